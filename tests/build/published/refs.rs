//! Every URL a built site writes down: in HTML attributes, in CSS (files, `<style>`,
//! `style=""`) and in robots.txt, each marked with whether the browser loads it by itself
//! (a resource: script, stylesheet, image, font...) or only follows it when asked (a link).

use url::Url;

use super::html::{css_urls, srcset_urls, Tag};
use super::Published;

/// A URL written in a file of the output.
pub struct Reference {
    pub file: String,
    pub line: usize,
    /// The element and attribute it was found in, e.g. `<img srcset>`, for reports.
    pub place: String,
    pub value: String,
    /// The URL `value` is relative to: the address of `file`.
    pub base: Url,
    /// Loaded by the browser with the page, not only followed when asked.
    pub loads: bool,
}

/// `<link rel>` values that only point somewhere: nothing is fetched for them.
const LINK_ONLY_RELS: &[&str] = &[
    "alternate",
    "author",
    "bookmark",
    "canonical",
    "external",
    "help",
    "home",
    "index",
    "license",
    "me",
    "next",
    "nofollow",
    "noopener",
    "noreferrer",
    "prev",
    "privacy-policy",
    "search",
    "shortlink",
    "tag",
    "terms-of-service",
    "up",
];

/// Attributes whose URL the browser loads, per element.
const LOADING: &[(&str, &[&str])] = &[
    ("script", &["src"]),
    ("img", &["src", "srcset"]),
    ("source", &["src", "srcset"]),
    ("iframe", &["src"]),
    ("frame", &["src"]),
    ("embed", &["src"]),
    ("object", &["data"]),
    ("audio", &["src"]),
    ("video", &["src", "poster"]),
    ("track", &["src"]),
    ("image", &["href", "xlink:href"]),
    ("use", &["href", "xlink:href"]),
    ("feimage", &["href", "xlink:href"]),
];

/// Attributes holding a URL that is only followed (navigation, citations).
const LINKING: &[(&str, &[&str])] = &[
    ("a", &["href"]),
    ("area", &["href"]),
    ("form", &["action"]),
    ("blockquote", &["cite"]),
    ("q", &["cite"]),
    ("del", &["cite"]),
    ("ins", &["cite"]),
];

const URL_META: &[&str] = &["og:url", "og:image", "og:image:url", "og:image:secure_url", "twitter:image"];

/// Every reference of the site, file by file in path order.
pub fn references(site: &Published) -> Vec<Reference> {
    let mut out = Vec::new();
    for rel in site.files.keys() {
        let base = site.url_of(rel);
        let mut add = |line: usize, place: String, value: &str, loads: bool| {
            let (file, base, value) = (rel.clone(), base.clone(), value.trim().to_string());
            out.push(Reference { file, line, place, value, base, loads });
        };
        if rel.ends_with(".html") {
            for tag in site.tags(rel) {
                of_tag(tag, &mut add);
            }
        } else if rel.ends_with(".css") {
            for u in css_urls(&site.text(rel)) {
                add(u.line, "url()".into(), &u.value, true);
            }
        } else if rel == "robots.txt" {
            for (i, line) in site.text(rel).lines().enumerate() {
                let field = line.split_once(':').filter(|(k, _)| k.trim().eq_ignore_ascii_case("sitemap"));
                if let Some((_, value)) = field {
                    add(i + 1, "Sitemap:".into(), value, false);
                }
            }
        }
    }
    out
}

fn of_tag(tag: &Tag, add: &mut impl FnMut(usize, String, &str, bool)) {
    let name = tag.name.as_str();
    let mut attr_urls = |attrs: &[&str], loads: bool| {
        for &attr in attrs {
            let Some(value) = tag.attr(attr) else { continue };
            let values = if attr == "srcset" { srcset_urls(value) } else { vec![value.to_string()] };
            for v in values {
                add(tag.line, format!("<{name} {attr}>"), &v, loads);
            }
        }
    };
    for (element, attrs) in LOADING {
        if *element == name {
            attr_urls(attrs, true);
        }
    }
    for (element, attrs) in LINKING {
        if *element == name {
            attr_urls(attrs, false);
        }
    }
    if name == "input" && tag.attr("type").is_some_and(|t| t.eq_ignore_ascii_case("image")) {
        attr_urls(&["src"], true);
    }
    if let ("link", Some(href)) = (name, tag.attr("href")) {
        let rels = tag.tokens("rel");
        let loads = rels.is_empty() || rels.iter().any(|r| !LINK_ONLY_RELS.contains(&r.as_str()));
        add(tag.line, format!("<link rel=\"{}\" href>", rels.join(" ")), href, loads);
    }
    if name == "meta" {
        let property = tag.attr("property").or(tag.attr("name")).unwrap_or("").to_ascii_lowercase();
        if URL_META.contains(&property.as_str()) {
            add(tag.line, format!("<meta property=\"{property}\">"), tag.attr("content").unwrap_or(""), false);
        }
        let refresh = tag.attr("http-equiv").is_some_and(|h| h.eq_ignore_ascii_case("refresh"));
        let content = tag.attr("content").unwrap_or("");
        if let Some(at) = content.to_ascii_lowercase().find("url=").filter(|_| refresh) {
            let target = content[at + 4..].trim_matches(|c: char| c == '\'' || c == '"' || c.is_whitespace());
            add(tag.line, "<meta http-equiv=\"refresh\">".into(), target, true);
        }
    }
    if let Some(style) = tag.attr("style") {
        for u in css_urls(style) {
            add(tag.line, format!("<{name} style> url()"), &u.value, true);
        }
    }
    if let ("style", Some(text)) = (name, &tag.text) {
        for u in css_urls(text) {
            add(tag.line + u.line - 1, "<style> url()".into(), &u.value, true);
        }
    }
}
