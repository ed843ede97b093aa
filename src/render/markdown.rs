//! Markdown to HTML: CommonMark plus tables, footnotes, strikethrough, heading anchors and
//! smart punctuation. Pure: links are resolved through a function the caller gives.

mod body_links;
mod headings;
mod raw_html;

use std::collections::VecDeque;
use std::sync::Arc;

use body_links::LinkReader;
pub use body_links::{BodyLinks, WrittenLink};
pub use headings::anchor;
use headings::HeadingIds;
use raw_html::{sanitize, without_raw_html};

use crate::config::RawHtml;
use pulldown_cmark::{CowStr, DefaultBrokenLinkCallback, Event, LinkType, OffsetIter, Options, Parser, Tag, TagEnd};

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
    Events::new(source, None)
        .filter_map(|e| match e {
            Event::Start(Tag::Heading { id, .. }) => id.map(|id| id.to_string()),
            _ => None,
        })
        .collect()
}

/// The anchors and links of a body, as [`to_html`] reads them, without rendering it.
pub fn body_links(source: &str) -> BodyLinks {
    let mut events = Events::new(source, None);
    events.by_ref().for_each(drop);
    events.finish()
}

/// The events of a body with an anchor on every heading, its links read as they go by and
/// given the URLs `resolver` gives them. One adapter, not three: a body is hundreds of
/// events, and each layer moved every one of them again.
struct Events<'a, 'r> {
    parser: OffsetIter<'a, DefaultBrokenLinkCallback>,
    resolver: Option<&'r dyn LinkResolver>,
    /// The events of a heading after its start, which waits for its text (its anchor),
    /// with where each starts in the body.
    heading: VecDeque<(Event<'a>, usize)>,
    ids: HeadingIds,
    links: LinkReader,
}

impl<'a, 'r> Events<'a, 'r> {
    fn new(source: &'a str, resolver: Option<&'r dyn LinkResolver>) -> Self {
        Events {
            parser: Parser::new_ext(source, options()).into_offset_iter(),
            resolver,
            heading: VecDeque::new(),
            ids: HeadingIds::default(),
            links: LinkReader::default(),
        }
    }

    /// The next event from the parser, with where it starts in the body.
    fn pull(&mut self) -> Option<(Event<'a>, usize)> {
        self.parser.next().map(|(event, range)| (event, range.start))
    }

    /// The anchors and links read, once every event went by.
    fn finish(self) -> BodyLinks {
        self.links.finish(self.ids.used)
    }

    /// A heading's start with its anchor, its other events queued: a few in a page, kept
    /// out of the way of the events of every other kind.
    #[cold]
    #[inline(never)]
    fn anchored(&mut self, start: Event<'a>) -> Event<'a> {
        let Event::Start(Tag::Heading { level, id, classes, attrs }) = start else { return start };
        let mut text = String::new();
        while let Some((event, start)) = self.pull() {
            let end = matches!(event, Event::End(TagEnd::Heading(_)));
            if let Event::Text(t) | Event::Code(t) = &event {
                text.push_str(t);
            }
            self.heading.push_back((event, start));
            if end {
                break;
            }
        }
        let id = self.ids.next(id.as_deref(), &text);
        Event::Start(Tag::Heading { level, id: Some(CowStr::from(id)), classes, attrs })
    }
}

impl<'a> Iterator for Events<'a, '_> {
    type Item = Event<'a>;

    fn next(&mut self) -> Option<Event<'a>> {
        // The parser's (event, range) is taken apart here, once, and the event looked at by
        // reference: repacking it into (event, start) first made each 80-byte event be read
        // back across the writes that made it, which the processor cannot forward (a third
        // of this adapter's time; 10,087 bodies parse and render 352 -> 335 ms).
        if let Some((event, start)) = self.heading.pop_front() {
            return Some(self.pass(event, start));
        }
        let (event, range) = self.parser.next()?;
        Some(self.pass(event, range.start))
    }
}

impl<'a> Events<'a, '_> {
    /// Every event, a heading's queued ones too, goes through this one match: the link
    /// reader takes links, images and their text here, where the resolver looks anyway.
    #[inline(always)]
    fn pass(&mut self, event: Event<'a>, start: usize) -> Event<'a> {
        match &event {
            Event::Start(Tag::Heading { .. }) => self.anchored(event),
            Event::Start(Tag::Link { .. } | Tag::Image { .. }) => self.link(event, start),
            Event::End(TagEnd::Image) | Event::Text(_) | Event::Code(_) if self.links.reading_image() => {
                self.links.see(&event, start);
                event
            }
            _ => event,
        }
    }

    /// A link or image, read and given its URL.
    #[inline(never)]
    fn link(&mut self, link: Event<'a>, start: usize) -> Event<'a> {
        self.links.see(&link, start);
        match self.resolver {
            Some(resolver) => with_resolved_link(link, resolver),
            None => link,
        }
    }
}

/// Renders `source`; raw HTML is left out unless `raw` allows it, and sanitized unless `dangerous`.
pub fn to_html(source: &str, raw: RawHtml, links: &dyn LinkResolver) -> Rendered {
    let mut events = Events::new(source, Some(links));
    let mut out = Rendered::default();
    let mut html = String::with_capacity(source.len() * 3 / 2);
    // Raw HTML needs every event before the first is written (what a `<script>` encloses
    // is left out), and every piece of it begins with `<`: a body without one streams.
    let raw_html = if !source.contains('<') {
        pulldown_cmark::html::push_html(&mut html, events.by_ref());
        false
    } else {
        let all: Vec<Event> = events.by_ref().collect();
        let found = all.iter().any(|e| matches!(e, Event::Html(_) | Event::InlineHtml(_)));
        if found {
            pulldown_cmark::html::push_html(
                &mut html,
                without_raw_html(all, raw != RawHtml::Off, &mut out.omitted_html),
            );
        } else {
            pulldown_cmark::html::push_html(&mut html, all.into_iter());
        }
        found
    };
    // Only a body with raw HTML needs sanitizing.
    out.html = if raw == RawHtml::Sanitized && raw_html { sanitize(&html) } else { html };
    out.links = Arc::new(events.finish());
    out
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
    // The first 16 characters that are not spaces or controls, in ASCII lower case (any
    // other character as a byte no scheme has), on the stack: every link is asked.
    let mut head = [0u8; 16];
    let mut len = 0;
    for c in url.chars().filter(|c| !c.is_whitespace() && !c.is_control()).take(16) {
        head[len] = if c.is_ascii() { c.to_ascii_lowercase() as u8 } else { 0xFF };
        len += 1;
    }
    ["javascript:", "vbscript:", "data:text/html"].iter().any(|s| head[..len].starts_with(s.as_bytes()))
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
    fn a_body_without_a_less_than_sign_streams_to_the_same_page() {
        let resolve = |d: &str| (d == "b.it.md").then(|| "/b/".to_string());
        let md = "## Orari\n\n[b](b.it.md) ![Ingresso](i.jpg)\n\n## Orari {#o}\n\n## *Orari* `x`\n";
        // A `<` in a code span is no raw HTML, but sends the body the collecting way.
        let (streamed, collected) =
            (to_html(md, RawHtml::Off, &resolve), to_html(&format!("{md}\n`<`\n"), RawHtml::Off, &resolve));
        assert_eq!(format!("{}<p><code>&lt;</code></p>\n", streamed.html), collected.html);
        assert_eq!(streamed.links, collected.links);
        assert!(streamed.html.contains("<h2 id=\"orari-x\"><em>Orari</em> <code>x</code></h2>"), "{}", streamed.html);
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
    fn script_schemes_are_found_through_case_spaces_and_controls() {
        for url in ["javascript:x", " JaVa\tScRiPt:x", "java\u{0}script:x", "VBScript:x", "DATA:text/HTML,x"] {
            assert!(is_dangerous(url), "{url:?}");
        }
        for url in ["https://x.org", "javascrip:x", "javascrïpt:x", "data:image/png,x", "mailto:a@b.it", ""] {
            assert!(!is_dangerous(url), "{url:?}");
        }
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
