//! `sitemap.xml` with hreflang alternates, and `robots.txt`.

use std::fmt::Write;

use crate::config::BaseUrl;
use crate::model::{Brochure, Entry, PageFacts};
use crate::percent::encode_non_ascii;

/// Every translated page, each listing all its translations (itself included) as alternates,
/// then pages 2 and later of long lists (`later`: each page's (language, path) in every
/// language that has it).
pub fn sitemap<'a>(
    b: &Brochure,
    generated: impl Iterator<Item = &'a Entry<PageFacts>>,
    later: &[Vec<(String, String)>],
    base: &BaseUrl,
) -> String {
    let mut out = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\" xmlns:xhtml=\"http://www.w3.org/1999/xhtml\">\n",
    );
    add(&mut out, &b.home, base);
    for prog in &b.programmes {
        add(&mut out, &prog.entry, base);
        for s in &prog.sites {
            add(&mut out, s, base);
        }
    }
    for p in &b.pages {
        add(&mut out, p, base);
    }
    for e in generated {
        add(&mut out, e, base);
    }
    for page in later {
        add_translations(
            &mut out,
            &page.iter().map(|(lang, path)| (lang.as_str(), path.as_str())).collect::<Vec<_>>(),
            base,
        );
    }
    out.push_str("</urlset>\n");
    out
}

fn add<F>(out: &mut String, e: &Entry<F>, base: &BaseUrl) {
    let translated: Vec<(&str, &str)> =
        e.versions.iter().filter(|v| v.translated).map(|v| (v.lang.as_str(), v.path.as_str())).collect();
    add_translations(out, &translated, base);
}

/// One `<url>` per translation of a page, each with every translation as an alternate.
fn add_translations(out: &mut String, translated: &[(&str, &str)], base: &BaseUrl) {
    for (_, path) in translated {
        let _ = writeln!(out, "  <url>\n    <loc>{}</loc>", xml_escape(&encode_non_ascii(&base.absolute(path))));
        if translated.len() > 1 {
            for (lang, path) in translated {
                let _ = writeln!(
                    out,
                    "    <xhtml:link rel=\"alternate\" hreflang=\"{}\" href=\"{}\"/>",
                    xml_escape(lang),
                    xml_escape(&encode_non_ascii(&base.absolute(path)))
                );
            }
        }
        out.push_str("  </url>\n");
    }
}

pub fn robots(base: &BaseUrl) -> String {
    format!("User-agent: *\nAllow: /\n\nSitemap: {}\n", base.absolute("sitemap.xml"))
}

/// Escapes the five XML special characters (percent-encoding of non-ASCII is left to the writer's slugs).
pub fn xml_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c => out.push(c),
        }
    }
    out
}
