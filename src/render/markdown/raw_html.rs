//! Raw HTML written by hand in Markdown: left out unless allowed, and sanitized unless
//! allowed without limits.

use std::ops::Range;

use pulldown_cmark::{Event, Tag, TagEnd};

/// The events, less the raw HTML unless it is allowed (`unsafe_html`), and less what a
/// `<script>` or `<style>` element left out encloses; counts the pieces left out.
pub(super) fn without_raw_html<'e, 'c>(
    events: Vec<Event<'e>>,
    unsafe_html: bool,
    omitted: &'c mut usize,
) -> impl Iterator<Item = Event<'e>> + use<'e, 'c> {
    let hidden = if unsafe_html { Vec::new() } else { script_and_style_elements(&events) };
    let mut hidden = hidden.into_iter().peekable();
    events.into_iter().enumerate().filter_map(move |(i, e)| {
        while hidden.peek().is_some_and(|r| r.end <= i) {
            hidden.next();
        }
        let in_hidden = hidden.peek().is_some_and(|r| r.contains(&i));
        match e {
            Event::Html(_) | Event::InlineHtml(_) if !unsafe_html => {
                *omitted += 1;
                None
            }
            e if in_hidden && !is_block_boundary(&e) => None,
            other => Some(other),
        }
    })
}

/// Removes scripts, event handlers and script URLs from HTML a writer wrote by hand,
/// keeping ordinary markup and the anchors of headings.
pub(super) fn sanitize(html: &str) -> String {
    ammonia::Builder::default().add_generic_attributes(["id", "class", "lang", "dir"]).clean(html).to_string()
}

/// The events between an inline `<script>` or `<style>` tag and its closing tag: with raw
/// HTML off the tags are left out, and so must be what they enclose (code, not prose). An
/// opening tag never closed encloses nothing: the text after it is most likely prose.
fn script_and_style_elements(events: &[Event]) -> Vec<Range<usize>> {
    let mut found = Vec::new();
    let mut open: Option<(&str, usize)> = None;
    for (i, e) in events.iter().enumerate() {
        let Event::InlineHtml(tag) = e else { continue };
        match (open, raw_text_tag(tag)) {
            (None, Some((name, false))) => open = Some((name, i)),
            (Some((name, start)), Some((closing, true))) if closing == name => {
                found.push(start..i + 1);
                open = None;
            }
            _ => {}
        }
    }
    found
}

/// `<script ...>` gives `("script", false)`, `</style>` gives `("style", true)`.
fn raw_text_tag(tag: &str) -> Option<(&'static str, bool)> {
    let rest = tag.trim_start().strip_prefix('<')?;
    let (closing, rest) = match rest.strip_prefix('/') {
        Some(r) => (true, r),
        None => (false, rest),
    };
    let name_end = rest.find(|c: char| !c.is_ascii_alphanumeric()).unwrap_or(rest.len());
    ["script", "style"].into_iter().find(|n| rest[..name_end].eq_ignore_ascii_case(n)).map(|n| (n, closing))
}

/// Starts and ends of blocks, kept inside a hidden element so that the page stays well formed.
fn is_block_boundary(e: &Event) -> bool {
    match e {
        Event::Start(t) => {
            !matches!(t, Tag::Emphasis | Tag::Strong | Tag::Strikethrough | Tag::Link { .. } | Tag::Image { .. })
        }
        Event::End(t) => {
            !matches!(t, TagEnd::Emphasis | TagEnd::Strong | TagEnd::Strikethrough | TagEnd::Link | TagEnd::Image)
        }
        _ => false,
    }
}
