//! `sitemap.xml` with hreflang alternates, and `robots.txt`.

use std::fmt::Write;

use crate::config::BaseUrl;
use crate::model::{Brochure, Entry, PageFacts};
use crate::percent::encode_non_ascii;

/// Every translated page, each listing all its translations (itself included) as alternates.
pub fn sitemap<'a>(b: &Brochure, generated: impl Iterator<Item = &'a Entry<PageFacts>>, base: &BaseUrl) -> String {
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
    out.push_str("</urlset>\n");
    out
}

fn add<F>(out: &mut String, e: &Entry<F>, base: &BaseUrl) {
    let translated: Vec<_> = e.versions.iter().filter(|v| v.translated).collect();
    for v in &translated {
        let _ = writeln!(out, "  <url>\n    <loc>{}</loc>", xml_escape(&encode_non_ascii(&base.absolute(&v.path))));
        if translated.len() > 1 {
            for alt in &translated {
                let _ = writeln!(
                    out,
                    "    <xhtml:link rel=\"alternate\" hreflang=\"{}\" href=\"{}\"/>",
                    xml_escape(&alt.lang),
                    xml_escape(&encode_non_ascii(&base.absolute(&alt.path)))
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
