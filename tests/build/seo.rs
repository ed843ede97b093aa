//! What search engines read: hreflang alternates in each page, sitemap.xml, robots.txt.

use std::collections::{BTreeMap, BTreeSet};

use crate::project::{tree, Project};

/// Translated pages of the `basic` fixture: (Italian file, English file, Italian URL, English URL).
const TRANSLATED: &[(&str, &str, &str, &str)] = &[
    ("index.html", "en/index.html", "https://example.org/", "https://example.org/en/"),
    (
        "servizio-civile/index.html",
        "en/civil-service/index.html",
        "https://example.org/servizio-civile/",
        "https://example.org/en/civil-service/",
    ),
    (
        "progetto/index.html",
        "en/test-programme/index.html",
        "https://example.org/progetto/",
        "https://example.org/en/test-programme/",
    ),
    (
        "progetto/casa/index.html",
        "en/test-programme/housing-desk/index.html",
        "https://example.org/progetto/casa/",
        "https://example.org/en/test-programme/housing-desk/",
    ),
];

#[test]
fn each_translation_lists_every_translation_as_an_absolute_hreflang_alternate() {
    let p = Project::fixture("basic");
    p.build_ok();
    for (it_file, en_file, it_url, en_url) in TRANSLATED {
        let expected = [
            format!("<link rel=\"alternate\" hreflang=\"it\" href=\"{it_url}\">"),
            format!("<link rel=\"alternate\" hreflang=\"en\" href=\"{en_url}\">"),
        ];
        for file in [it_file, en_file] {
            let html = p.read(file);
            let found: Vec<&str> = html.lines().filter(|l| l.starts_with("<link rel=\"alternate\"")).collect();
            assert_eq!(found, expected, "alternates of {file}");
        }
    }
}

/// `<loc>` -> its `(hreflang, href)` alternates, read from the sitemap.
fn sitemap_entries(xml: &str) -> BTreeMap<String, BTreeSet<(String, String)>> {
    let mut out = BTreeMap::new();
    for block in xml.split("<url>").skip(1) {
        let block = &block[..block.find("</url>").expect("closed <url>")];
        let loc = between(block, "<loc>", "</loc>").expect("a <loc>").to_string();
        let alternates = block
            .lines()
            .filter(|l| l.trim_start().starts_with("<xhtml:link"))
            .map(|l| {
                let lang = between(l, "hreflang=\"", "\"").expect("hreflang").to_string();
                let href = between(l, "href=\"", "\"").expect("href").to_string();
                assert!(l.contains("rel=\"alternate\""), "{l}");
                (lang, href)
            })
            .collect();
        assert!(out.insert(loc.clone(), alternates).is_none(), "{loc} listed twice");
    }
    out
}

fn between<'a>(s: &'a str, start: &str, end: &str) -> Option<&'a str> {
    let from = s.find(start)? + start.len();
    let len = s[from..].find(end)?;
    Some(&s[from..from + len])
}

/// `(canonical URL, hreflang alternates)` of every `index.html` page of the output.
fn pages_with_alternates(p: &Project) -> Vec<(String, BTreeSet<(String, String)>)> {
    tree(&p.public())
        .into_iter()
        .filter(|(path, _)| path.file_name().is_some_and(|n| n == "index.html"))
        .map(|(path, bytes)| {
            let html = String::from_utf8(bytes).expect("UTF-8 HTML");
            let canonical = between(&html, "<link rel=\"canonical\" href=\"", "\"")
                .unwrap_or_else(|| panic!("{} has no canonical link", path.display()))
                .to_string();
            let alternates = html
                .lines()
                .filter(|l| l.starts_with("<link rel=\"alternate\" hreflang=\""))
                .map(|l| {
                    let lang = between(l, "hreflang=\"", "\"").expect("hreflang").to_string();
                    (lang, between(l, "href=\"", "\"").expect("href").to_string())
                })
                .collect();
            (canonical, alternates)
        })
        .collect()
}

#[test]
fn sitemap_lists_every_translated_page_with_reciprocal_alternates() {
    let p = Project::fixture("basic");
    p.build_ok();
    let xml = p.read("sitemap.xml");
    assert!(xml.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"), "{xml}");
    assert!(xml.contains("xmlns:xhtml=\"http://www.w3.org/1999/xhtml\""), "{xml}");
    let entries = sitemap_entries(&xml);

    for (_, _, it_url, en_url) in TRANSLATED {
        let both: BTreeSet<(String, String)> =
            [("it".to_string(), it_url.to_string()), ("en".to_string(), en_url.to_string())].into();
        assert_eq!(entries.get(*it_url), Some(&both), "alternates of {it_url}");
        assert_eq!(entries.get(*en_url), Some(&both), "alternates of {en_url}");
    }
    // The Italian-only site: listed alone, without alternates; its English fallback is not listed.
    assert_eq!(entries.get("https://example.org/progetto/biblioteca/"), Some(&BTreeSet::new()));
    assert!(!entries.contains_key("https://example.org/en/test-programme/biblioteca/"));

    // Every page that names itself as a translation is listed with the same alternates;
    // a fallback page (which does not) is left out.
    let pages = pages_with_alternates(&p);
    let mut translated = BTreeSet::new();
    for (canonical, alternates) in &pages {
        let is_translation = alternates.iter().any(|(_, href)| href == canonical);
        if is_translation {
            let expected = if alternates.len() > 1 { alternates.clone() } else { BTreeSet::new() };
            assert_eq!(entries.get(canonical), Some(&expected), "sitemap entry of {canonical}");
            translated.insert(canonical.clone());
        } else {
            assert!(!entries.contains_key(canonical), "the fallback {canonical} is in the sitemap");
        }
    }
    assert_eq!(entries.keys().cloned().collect::<BTreeSet<_>>(), translated, "sitemap entries without a page");
    // Reciprocity: every alternate is itself listed, with the same set.
    for (loc, alternates) in &entries {
        for (_, href) in alternates {
            assert_eq!(entries.get(href), Some(alternates), "{loc} names {href}, which does not name it back");
        }
    }
}

#[test]
fn robots_txt_points_to_the_sitemap() {
    let p = Project::fixture("basic");
    p.build_ok();
    let robots = p.read("robots.txt");
    assert!(robots.lines().any(|l| l == "Sitemap: https://example.org/sitemap.xml"), "{robots}");
    assert!(robots.contains("User-agent: *"), "{robots}");
}
