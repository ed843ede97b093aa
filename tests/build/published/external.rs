//! Third parties: nothing in the output makes a visitor's browser contact another host.
//! Every URL the browser loads by itself (script src, img src/srcset, `<link>` other than
//! plain links, iframes, media, CSS `url()` and `@import`) is on the site's own origin, and
//! JavaScript (files, inline scripts, `on...` attributes) names no other host. Plain links
//! to other hosts (`<a href>`, `rel=canonical`) are fine. The browser run checks the same
//! from the other side: the requests actually made.

use std::fmt;

use regex::Regex;
use url::Url;

use super::html::line_at;
use super::refs::references;
use super::{assert_none, located, Finding, Published, BASE, BROKEN_BASE, RTL_BASE};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ExternalFault {
    /// A resource the browser loads from another host: where it is written, and the host.
    LoadsFrom { place: String, host: String },
    /// A script that spells out an address on another host.
    ScriptNames(String),
}

impl fmt::Display for ExternalFault {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ExternalFault::LoadsFrom { place, host } => write!(f, "{place} loads from another host ({host})"),
            ExternalFault::ScriptNames(url) => write!(f, "script names another host: {url}"),
        }
    }
}

/// Namespace names used as identifiers, never fetched.
const NAMESPACES: &[&str] = &[
    "http://www.w3.org/2000/svg",
    "http://www.w3.org/1999/xhtml",
    "http://www.w3.org/1999/xlink",
    "http://www.w3.org/1998/Math/MathML",
];

#[derive(Debug, Default)]
pub struct ExternalCount {
    pub resources: usize,
    pub scripts: usize,
}

pub fn check_external(site: &Published) -> (Vec<Finding<ExternalFault>>, ExternalCount) {
    let mut findings = Vec::new();
    let mut count = ExternalCount::default();
    let own = (site.base.host_str(), site.base.port_or_known_default());
    let foreign = |value: &str, base: &Url| -> Option<String> {
        let url = base.join(value).ok()?;
        let web = matches!(url.scheme(), "http" | "https" | "ws" | "wss");
        (web && (url.host_str(), url.port_or_known_default()) != own).then(|| url.host_str().unwrap_or("").to_string())
    };
    for r in references(site).into_iter().filter(|r| r.loads) {
        count.resources += 1;
        if let Some(host) = foreign(&r.value, &r.base) {
            findings.push(Finding {
                file: r.file,
                line: r.line,
                fault: ExternalFault::LoadsFrom { place: r.place, host },
            });
        }
    }
    let mut scan = |file: &str, first_line: usize, js: &str, base: &Url| {
        count.scripts += 1;
        for (url, line) in script_urls(js) {
            if foreign(&url, base).is_some() {
                findings.push(Finding {
                    file: file.to_string(),
                    line: first_line + line - 1,
                    fault: ExternalFault::ScriptNames(url),
                });
            }
        }
    };
    for rel in site.files.keys() {
        let base = site.url_of(rel);
        if rel.ends_with(".js") || rel.ends_with(".mjs") {
            scan(rel, 1, &site.text(rel), &base);
        }
        if !rel.ends_with(".html") {
            continue;
        }
        for tag in site.tags(rel) {
            if let Some(js) = tag.text.as_deref().filter(|_| tag.is_script_run() && tag.attr("src").is_none()) {
                scan(rel, tag.line, js, &base);
            }
            for (_, handler) in tag.attrs().filter(|(name, _)| name.starts_with("on")) {
                scan(rel, tag.line, handler, &base);
            }
        }
    }
    (findings, count)
}

/// Absolute and protocol-relative URLs spelled out in JavaScript, with their lines.
fn script_urls(js: &str) -> Vec<(String, usize)> {
    let absolute = Regex::new(r#"(?i)\b(?:https?|wss?)://[^\s'"`)<>\\]+"#).expect("URL pattern");
    let protocol_relative =
        Regex::new(r#"(?i)['"`(](//[a-z0-9-]+(?:\.[a-z0-9-]+)+(?::\d+)?)[/'"`?#]"#).expect("URL pattern");
    let found = absolute.find_iter(js).map(|m| (m.start(), m.as_str()));
    let found =
        found.chain(protocol_relative.captures_iter(js).filter_map(|c| c.get(1)).map(|m| (m.start(), m.as_str())));
    let mut urls: Vec<(usize, String)> = found
        .map(|(at, url)| (at, url.trim_end_matches(['.', ',', ';']).to_string()))
        .filter(|(_, url)| !NAMESPACES.contains(&url.as_str()))
        .collect();
    urls.sort();
    urls.into_iter().map(|(at, url)| (url, line_at(js, at))).collect()
}

#[test]
fn nothing_the_real_site_or_the_rtl_fixture_loads_comes_from_another_host() {
    for site in [Published::real(BASE), Published::rtl(RTL_BASE)] {
        let (findings, count) = check_external(&site);
        assert_none("the third-party check", &site, &findings);
        assert!(count.resources > 0 && count.scripts > 0, "{}: nothing looked at: {count:?}", site.name);
        println!(
            "third parties of {}: {} resource URLs, {} scripts, 0 from another host",
            site.name, count.resources, count.scripts
        );
    }
}

#[test]
fn the_third_party_check_reports_exactly_the_planted_foreign_resources() {
    let (findings, _) = check_external(&Published::broken(BROKEN_BASE));
    let loads = |place: &str, host: &str| ExternalFault::LoadsFrom { place: place.into(), host: host.into() };
    assert_eq!(
        located(&findings),
        [
            ("external.html", 6, loads("<link rel=\"stylesheet\" href>", "fonts.example.net")),
            ("external.html", 8, loads("<script src>", "cdn.example.com")),
            ("external.html", 10, loads("<style> url()", "tracker.example.com")),
            ("external.html", 16, loads("<img src>", "images.example.org")),
        ],
        "plain <a href> and rel=canonical to other hosts are fine; requests.html hides its host from any scan"
    );
}

#[test]
fn scripts_that_spell_out_another_host_are_reported_but_namespaces_and_data_are_not() {
    let site = Published::broken(BROKEN_BASE);
    let js = "const svg = 'http://www.w3.org/2000/svg';\nfetch(\"https://api.example.com/v1\");\n\
              load('//cdn.example.net/x.js');\nfetch('/sub/local.json');";
    let page =
        "<!DOCTYPE html><title>t</title>\n<script>\nnew Image().src = 'https://pixel.example.com/p.gif';\n</script>\n\
                <script type=\"application/ld+json\">{\"url\": \"https://example.org/\"}</script>\n\
                <button onclick=\"location='https://pay.example.com'\">x</button>";
    std::fs::write(site.dir.join("app.js"), js).expect("write script");
    std::fs::write(site.dir.join("inline.html"), page).expect("write page");
    let site = site.reread();
    let (findings, _) = check_external(&site);
    let named: Vec<_> =
        located(&findings).into_iter().filter(|(file, _, _)| ["app.js", "inline.html"].contains(file)).collect();
    let names = |url: &str| ExternalFault::ScriptNames(url.into());
    assert_eq!(
        named,
        [
            ("app.js", 2, names("https://api.example.com/v1")),
            ("app.js", 3, names("//cdn.example.net")),
            ("inline.html", 3, names("https://pixel.example.com/p.gif")),
            ("inline.html", 6, names("https://pay.example.com")),
        ]
    );
}
