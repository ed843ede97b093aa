//! A built page as a browser's tokenizer reads it: every start tag with its attributes
//! (decoded, lower-case names, the first of duplicates) and its line, and the raw text of
//! `<script>` and `<style>`. html5ever, the HTML parser of Servo that ammonia already
//! builds, does the tokenizing; its tokenizer (not its tree builder) is used because it
//! reports line numbers, which a DOM drops. `<noscript>` is read as markup, as a browser
//! without JavaScript reads it, so the fallback's links are checked too.

use std::cell::RefCell;
use std::collections::HashSet;

use html5ever::tendril::StrTendril;
use html5ever::tokenizer::states::RawKind;
use html5ever::tokenizer::{BufferQueue, TagKind, Token, TokenSink, TokenSinkResult, Tokenizer, TokenizerOpts};
use regex::Regex;

/// A start tag of a page.
pub struct Tag {
    pub name: String,
    attrs: Vec<(String, String)>,
    /// The line where the tag ends (its `>`), from 1.
    pub line: usize,
    /// The raw content of `<script>`, `<style>`, `<title>` and `<textarea>`.
    pub text: Option<String>,
}

impl Tag {
    pub fn attr(&self, name: &str) -> Option<&str> {
        self.attrs.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str())
    }

    pub fn attrs(&self) -> impl Iterator<Item = (&str, &str)> {
        self.attrs.iter().map(|(n, v)| (n.as_str(), v.as_str()))
    }

    /// The space-separated tokens of an attribute such as `rel`, lower-cased.
    pub fn tokens(&self, name: &str) -> Vec<String> {
        self.attr(name).unwrap_or("").split_ascii_whitespace().map(str::to_ascii_lowercase).collect()
    }

    /// True for a `<script>` the browser runs (not JSON data or JSON-LD).
    pub fn is_script_run(&self) -> bool {
        let kind = self.attr("type").unwrap_or("").trim().to_ascii_lowercase();
        let javascript = ["text/javascript", "application/javascript", "text/ecmascript", "application/ecmascript"];
        self.name == "script" && (kind.is_empty() || kind == "module" || javascript.contains(&kind.as_str()))
    }
}

/// The start tags of `html`, in document order.
pub fn parse(html: &str) -> Vec<Tag> {
    let tokenizer = Tokenizer::new(Collector::default(), TokenizerOpts::default());
    let input = BufferQueue::default();
    input.push_back(StrTendril::from_slice(html));
    let _ = tokenizer.feed(&input);
    tokenizer.end();
    tokenizer.sink.tags.into_inner()
}

/// Every `id` of a page, and every `<a name>` (an older kind of anchor).
pub fn ids(tags: &[Tag]) -> HashSet<String> {
    let mut ids = HashSet::new();
    for tag in tags {
        ids.extend(tag.attr("id").map(str::to_string));
        if tag.name == "a" {
            ids.extend(tag.attr("name").map(str::to_string));
        }
    }
    ids
}

#[derive(Default)]
struct Collector {
    tags: RefCell<Vec<Tag>>,
    /// Inside an element whose text is not markup: its text goes to the last tag.
    in_raw_text: RefCell<bool>,
}

impl TokenSink for Collector {
    type Handle = ();

    fn process_token(&self, token: Token, line: u64) -> TokenSinkResult<()> {
        match token {
            Token::TagToken(tag) if tag.kind == TagKind::StartTag => {
                let name = tag.name.to_string();
                // What the tree builder would tell the tokenizer for these elements.
                let raw = match name.as_str() {
                    "script" => Some(RawKind::ScriptData),
                    "style" | "xmp" | "iframe" | "noembed" | "noframes" => Some(RawKind::Rawtext),
                    "title" | "textarea" => Some(RawKind::Rcdata),
                    _ => None,
                };
                let attrs = tag.attrs.iter().map(|a| (a.name.local.to_string(), a.value.to_string())).collect();
                let text = raw.map(|_| String::new());
                self.tags.borrow_mut().push(Tag { name, attrs, line: line as usize, text });
                *self.in_raw_text.borrow_mut() = raw.is_some();
                if let Some(kind) = raw {
                    return TokenSinkResult::RawData(kind);
                }
            }
            Token::TagToken(_) => *self.in_raw_text.borrow_mut() = false,
            Token::CharacterTokens(chars) if *self.in_raw_text.borrow() => {
                if let Some(text) = self.tags.borrow_mut().last_mut().and_then(|t| t.text.as_mut()) {
                    text.push_str(&chars);
                }
            }
            _ => {}
        }
        TokenSinkResult::Continue
    }
}

/// A URL written in CSS, with its line counted from 1 at the start of the CSS text.
pub struct CssUrl {
    pub value: String,
    pub line: usize,
}

/// The URLs of a CSS text: every `url(...)` and `@import "..."`, comments left out.
pub fn css_urls(css: &str) -> Vec<CssUrl> {
    let comment = Regex::new(r"(?s)/\*.*?\*/").expect("comment pattern");
    // Comments blanked, line breaks kept, so that lines stay where they were.
    let css = comment.replace_all(css, |c: &regex::Captures| c[0].replace(|ch| ch != '\n', " "));
    let url = Regex::new(r#"(?i)url\(\s*(?:"([^"]*)"|'([^']*)'|([^)\s]*))\s*\)|@import\s+(?:"([^"]*)"|'([^']*)')"#)
        .expect("url pattern");
    let unescape = Regex::new(r"\\(.)").expect("escape pattern");
    url.captures_iter(&css)
        .map(|c| {
            let start = c.get(0).expect("whole match").start();
            let value = (1..=5).find_map(|i| c.get(i)).map_or("", |m| m.as_str());
            CssUrl { value: unescape.replace_all(value, "$1").into_owned(), line: line_at(&css, start) }
        })
        .collect()
}

/// The candidate URLs of a `srcset` attribute.
pub fn srcset_urls(value: &str) -> Vec<String> {
    let separator = Regex::new(r",\s+|,(\S)").expect("srcset pattern");
    separator
        .replace_all(value, "\n$1")
        .lines()
        .filter_map(|candidate| candidate.split_whitespace().next())
        .map(str::to_string)
        .collect()
}

/// The line (from 1) of byte offset `at` of `text`.
pub fn line_at(text: &str, at: usize) -> usize {
    1 + text.as_bytes()[..at].iter().filter(|&&b| b == b'\n').count()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokenizer_finds_tags_attributes_ids_lines_and_raw_text() {
        let tags = parse(concat!(
            "<!-- <a href=\"no\"> -->\n<p id=x class=\"a b\">t</p><a HREF='/y?a=1&amp;b=2' data-x>y</a>\n",
            "<script>if (a<b) x(\"<img src=z>\")</script><style>a{background:url(q.png)}</style><br/>\n",
            "<noscript><a name=n href=\"fallback.html\">no JS</a></noscript>",
        ));
        let names: Vec<&str> = tags.iter().map(|t| t.name.as_str()).collect();
        assert_eq!(names, ["p", "a", "script", "style", "br", "noscript", "a"]);
        assert_eq!((tags[0].attr("id"), tags[0].line), (Some("x"), 2));
        assert_eq!(tags[1].attr("href"), Some("/y?a=1&b=2"));
        assert_eq!(tags[1].attr("data-x"), Some(""));
        assert_eq!(tags[2].text.as_deref(), Some("if (a<b) x(\"<img src=z>\")"));
        let urls: Vec<String> = css_urls(tags[3].text.as_deref().unwrap_or("")).into_iter().map(|u| u.value).collect();
        assert_eq!(urls, ["q.png"]);
        assert_eq!(tags[6].line, 4);
        let found = ids(&tags);
        assert!(found.contains("x") && found.contains("n") && found.len() == 2, "{found:?}");
    }

    #[test]
    fn css_urls_skip_comments_and_keep_lines() {
        let css = "/* url(old.png)\n */ a { background: url( \"a b.png\" ) }\n@import 'print.css';\nb{x:URL(c.svg)}";
        let found: Vec<(String, usize)> = css_urls(css).into_iter().map(|u| (u.value, u.line)).collect();
        assert_eq!(found, [("a b.png".to_string(), 2), ("print.css".to_string(), 3), ("c.svg".to_string(), 4)]);
    }

    #[test]
    fn srcset_candidates_are_split_on_commas_between_candidates() {
        assert_eq!(srcset_urls("a.png 1x, b.png 2x"), ["a.png", "b.png"]);
        assert_eq!(srcset_urls("a,b.png 100w,c.png 200w"), ["a", "b.png", "c.png"]);
    }
}
