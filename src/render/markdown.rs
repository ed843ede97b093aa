//! Markdown to HTML: CommonMark plus tables, footnotes, strikethrough, heading anchors and
//! smart punctuation. Pure: links are resolved through a function the caller gives.

mod body_links;

use std::collections::{HashMap, HashSet};
use std::ops::Range;
use std::sync::Arc;

use body_links::read_links;
pub use body_links::{BodyLinks, WrittenLink};

use crate::config::RawHtml;
use pulldown_cmark::{CowStr, Event, HeadingLevel, LinkType, Options, Parser, Tag, TagEnd};

/// What the caller decides about a link target written in Markdown.
pub trait LinkResolver {
    /// Returns the URL to emit for `dest`, or `None` to keep it as written.
    fn resolve(&self, dest: &str) -> Option<String>;
}

impl<F: Fn(&str) -> Option<String>> LinkResolver for F {
    fn resolve(&self, dest: &str) -> Option<String> {
        self(dest)
    }
}

#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Rendered {
    pub html: String,
    /// How many raw HTML fragments were left out because raw HTML is off.
    pub omitted_html: usize,
    /// The anchors and links of the body, read in the same pass: the link rules need
    /// them, and parsing every body again for them cost a tenth of a build.
    pub links: Arc<BodyLinks>,
}

/// The Markdown extensions of every page (also how `translate` finds a page's blocks).
pub fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_HEADING_ATTRIBUTES
        | Options::ENABLE_SMART_PUNCTUATION
}

/// The anchors of a document's headings, as [`to_html`] gives them, without rendering it.
pub fn heading_ids(source: &str) -> Vec<String> {
    let (mut events, _, _) = parse(source);
    let mut headings = Vec::new();
    add_heading_ids(&mut events, &mut headings);
    headings.into_iter().map(|(_, id, _)| id).collect()
}

/// The anchors and links of a body, as [`to_html`] reads them, without rendering it.
pub fn body_links(source: &str) -> BodyLinks {
    let (mut events, starts, _) = parse(source);
    let mut headings = Vec::new();
    add_heading_ids(&mut events, &mut headings);
    read_links(&events, &starts, headings)
}

/// The events of `source`, the byte offset of each link and image start among them, and
/// whether any is raw HTML.
fn parse(source: &str) -> (Vec<Event<'_>>, Vec<usize>, bool) {
    let mut starts = Vec::new();
    let mut raw_html = false;
    // About one event per dozen bytes of prose: growing the list step by step cost more
    // than a list a little too long.
    let mut events = Vec::with_capacity(source.len() / 12);
    events.extend(Parser::new_ext(source, options()).into_offset_iter().map(|(e, range)| {
        match &e {
            Event::Start(Tag::Link { .. } | Tag::Image { .. }) => starts.push(range.start),
            Event::Html(_) | Event::InlineHtml(_) => raw_html = true,
            _ => {}
        }
        e
    }));
    (events, starts, raw_html)
}

/// Renders `source`; raw HTML is left out unless `raw` allows it, and sanitized unless `dangerous`.
pub fn to_html(source: &str, raw: RawHtml, links: &dyn LinkResolver) -> Rendered {
    let (mut events, starts, has_raw_html) = parse(source);
    let mut out = Rendered::default();
    let mut headings = Vec::new();
    add_heading_ids(&mut events, &mut headings);
    out.links = Arc::new(read_links(&events, &starts, headings));
    let mut html = String::with_capacity(source.len() * 3 / 2);
    if has_raw_html {
        let events = without_raw_html(events, raw != RawHtml::Off, &mut out.omitted_html);
        pulldown_cmark::html::push_html(&mut html, events.map(|e| with_resolved_link(e, links)));
    } else {
        pulldown_cmark::html::push_html(&mut html, events.into_iter().map(|e| with_resolved_link(e, links)));
    }
    // Only a body with raw HTML needs sanitizing.
    out.html = if raw == RawHtml::Sanitized && has_raw_html { sanitize(&html) } else { html };
    out
}

/// The events, less the raw HTML unless it is allowed (`unsafe_html`), and less what a
/// `<script>` or `<style>` element left out encloses; counts the pieces left out.
fn without_raw_html<'e, 'c>(
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

/// A link or image with the URL the resolver gives it; any other event as it is.
fn with_resolved_link<'e>(e: Event<'e>, links: &dyn LinkResolver) -> Event<'e> {
    match e {
        Event::Start(Tag::Link { link_type, dest_url, title, id }) => {
            let (link_type, dest_url) = match link_type {
                LinkType::Email => (LinkType::Autolink, link_url(link_type, dest_url)),
                other => (other, dest_url),
            };
            Event::Start(Tag::Link { link_type, dest_url: fix_url(dest_url, links), title, id })
        }
        Event::Start(Tag::Image { link_type, dest_url, title, id }) => {
            Event::Start(Tag::Image { link_type, dest_url: fix_url(dest_url, links), title, id })
        }
        other => other,
    }
}

/// Removes scripts, event handlers and script URLs from HTML a writer wrote by hand,
/// keeping ordinary markup and the anchors of headings.
fn sanitize(html: &str) -> String {
    ammonia::Builder::default().add_generic_attributes(["id", "class", "lang", "dir"]).clean(html).to_string()
}

/// The URL a Markdown link stands for: CommonMark gives an e-mail autolink
/// (`<servizio.civile@comune.milano.it>`) as the bare address, which is no path of the site.
pub fn link_url(link_type: LinkType, dest_url: CowStr<'_>) -> CowStr<'_> {
    match link_type {
        LinkType::Email => CowStr::from(format!("mailto:{dest_url}")),
        _ => dest_url,
    }
}

/// A link's URL as the resolver gives it; a link it cannot resolve is kept as written
/// (the link check, which reads links through the same resolver, reports the broken ones).
fn fix_url<'a>(dest: CowStr<'a>, links: &dyn LinkResolver) -> CowStr<'a> {
    if is_dangerous(&dest) {
        return CowStr::Borrowed("#");
    }
    match links.resolve(&dest) {
        Some(url) => CowStr::from(url),
        None => dest,
    }
}

/// Script-bearing URL schemes, refused whatever the raw-HTML setting.
pub fn is_dangerous(url: &str) -> bool {
    let cleaned: String =
        url.chars().filter(|c| !c.is_whitespace() && !c.is_control()).take(16).collect::<String>().to_ascii_lowercase();
    ["javascript:", "vbscript:", "data:text/html"].iter().any(|s| cleaned.starts_with(s))
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

/// Gives every heading without an explicit `{#id}` an id from its text, unique in the page.
fn add_heading_ids(events: &mut [Event], headings: &mut Vec<(u8, String, String)>) {
    let mut used: HashSet<String> = HashSet::new();
    // The next suffix to try per base: without it, the n-th repeat of a heading would try
    // n - 1 taken suffixes first (quadratic: 16,000 identical headings took 12 s).
    let mut next_suffix: HashMap<String, usize> = HashMap::new();
    let mut i = 0;
    while i < events.len() {
        if let Event::Start(Tag::Heading { level, id, .. }) = &events[i] {
            let level = heading_number(*level);
            let explicit = id.as_ref().map(|s| s.to_string());
            let mut text = String::new();
            let mut j = i + 1;
            while j < events.len() && !matches!(events[j], Event::End(TagEnd::Heading(_))) {
                if let Event::Text(t) | Event::Code(t) = &events[j] {
                    text.push_str(t);
                }
                j += 1;
            }
            let base = explicit.unwrap_or_else(|| anchor(&text));
            let candidate = if used.contains(&base) {
                // Suffixes below the stored one were taken when tried, and stay taken.
                let n = next_suffix.entry(base.clone()).or_insert(1);
                loop {
                    let candidate = format!("{base}-{n}");
                    *n += 1;
                    if !used.contains(&candidate) {
                        break candidate;
                    }
                }
            } else {
                base
            };
            used.insert(candidate.clone());
            if let Event::Start(Tag::Heading { id, .. }) = &mut events[i] {
                *id = Some(CowStr::from(candidate.clone()));
            }
            headings.push((level, candidate, text));
            i = j;
        }
        i += 1;
    }
}

fn heading_number(level: HeadingLevel) -> u8 {
    level as u8
}

/// An anchor from heading text: lower case, letters and digits, hyphens between words.
pub fn anchor(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut push = |c: char| {
        if c.is_alphanumeric() {
            out.push(c);
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    };
    for c in text.chars() {
        // Most headings are ASCII, whose lower case is one character.
        if c.is_ascii() {
            push(c.to_ascii_lowercase());
        } else {
            c.to_lowercase().for_each(&mut push);
        }
    }
    out.truncate(out.trim_end_matches('-').len());
    if out.is_empty() {
        "section".into()
    } else {
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn none(_: &str) -> Option<String> {
        None
    }

    #[test]
    fn raw_html_is_left_out_unless_allowed() {
        let md = "Hi <span onclick=\"x()\">there</span>\n\n<script>alert(1)</script>\n";
        let r = to_html(md, RawHtml::Off, &none);
        assert!(!r.html.contains("<script") && !r.html.contains("<span"), "{}", r.html);
        assert_eq!(r.omitted_html, 3);
        let sanitized = to_html(md, RawHtml::Sanitized, &none).html;
        assert!(sanitized.contains("<span>there</span>"), "{sanitized}");
        assert!(!sanitized.contains("<script") && !sanitized.contains("onclick"), "{sanitized}");
        assert!(to_html(md, RawHtml::Dangerous, &none).html.contains("<script>"));
    }

    #[test]
    fn headings_get_unique_anchors() {
        let r = to_html("## Cosa farai\n\n## Cosa farai\n\n## Orari {#orari}\n", RawHtml::Off, &none);
        assert!(r.html.contains("<h2 id=\"cosa-farai\">"), "{}", r.html);
        assert!(r.html.contains("<h2 id=\"cosa-farai-1\">"));
        assert!(r.html.contains("<h2 id=\"orari\">"));
    }

    #[test]
    fn repeated_anchors_skip_suffixes_taken_by_other_headings() {
        let ids = heading_ids("## A\n\n## A-1\n\n## A\n\n## A\n\n## X {#a-3}\n\n## A\n");
        assert_eq!(ids, ["a", "a-1", "a-2", "a-3", "a-3-1", "a-4"]);
    }

    #[test]
    fn tables_footnotes_strikethrough_and_smart_quotes() {
        let r = to_html("| a | b |\n|---|---|\n| 1 | 2 |\n\n~~old~~ \"new\"[^1]\n\n[^1]: note\n", RawHtml::Off, &none);
        assert!(r.html.contains("<table>"));
        assert!(r.html.contains("<del>old</del>"));
        assert!(r.html.contains("“new”"));
        assert!(r.html.contains("footnote"));
    }

    #[test]
    fn script_urls_are_neutralised() {
        let r = to_html("[x](javascript:alert(1)) [y]( JaVaScRiPt:alert(1))", RawHtml::Off, &none);
        assert!(!r.html.to_lowercase().contains("javascript"), "{}", r.html);
    }

    #[test]
    fn unresolved_links_are_kept_as_written() {
        let r = to_html("[a](gone.it.md#x) [b](https://x.org/a.md)", RawHtml::Off, &none);
        assert!(
            r.html.contains("href=\"gone.it.md#x\"") && r.html.contains("href=\"https://x.org/a.md\""),
            "{}",
            r.html
        );
        assert_eq!(heading_ids("## Uno\n\n## Uno\n"), ["uno", "uno-1"]);
    }

    #[test]
    fn links_go_through_the_resolver() {
        let r =
            to_html("[a](other.it.md#x)", RawHtml::Off, &|d: &str| (d == "other.it.md#x").then(|| "/o/#x".to_string()));
        assert!(r.html.contains("href=\"/o/#x\""), "{}", r.html);
    }

    #[test]
    fn the_links_a_render_reads_are_those_the_link_rules_read_alone() {
        let md = "## Orari\n\n[sede](../b/sede.it.md#orari) ![Ingresso `A`](ingresso.jpg) <ufficio@comune.it>\n\n## Orari\n\n<script>[x](y.md)</script>\n";
        let rendered = to_html(md, RawHtml::Off, &none);
        let alone = body_links(md);
        assert_eq!(*rendered.links, alone);
        let anchors: Vec<&str> = {
            let mut a: Vec<&str> = alone.anchors.iter().map(String::as_str).collect();
            a.sort();
            a
        };
        assert_eq!(anchors, ["orari", "orari-1"]);
        let dests: Vec<(&str, bool, &str, usize)> =
            alone.links.iter().map(|l| (l.dest.as_str(), l.image, l.alt.as_str(), l.offset)).collect();
        assert_eq!(
            dests,
            [
                ("../b/sede.it.md#orari", false, "", 10),
                ("ingresso.jpg", true, "Ingresso A", 40),
                ("mailto:ufficio@comune.it", false, "", 70),
            ]
        );
    }
}
