//! The sitemap: `sitemap.xml` lists only pages of the output, once each, in the
//! sitemaps.org namespace; its hreflang alternates exist, include the URL itself and are
//! reciprocal (a page listing B is listed by B). The `<link rel="alternate" hreflang>` of
//! the pages' heads obey the same rules and agree with the sitemap. A page whose
//! `rel=canonical` names another page (a fallback showing another language's text) is a
//! duplicate: it stays out of the sitemap and repeats its canonical page's alternates.
//! Validity against the XML schemas of `tools/schemas/` is checked by `xmllint` (xmllint.rs).

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use roxmltree::{Document, Node};
use url::Url;

use super::{assert_none, located, Finding, Published, Unresolved, BASE, BROKEN_BASE, RTL_BASE};

const SITEMAP_NS: &str = "http://www.sitemaps.org/schemas/sitemap/0.9";
const XHTML_NS: &str = "http://www.w3.org/1999/xhtml";

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SitemapFault {
    Missing,
    NotXml(String),
    /// The root is not a `<urlset>` of the sitemaps.org namespace.
    NotAUrlset,
    /// An XHTML element other than `<link>`.
    Stray(String),
    NoLoc,
    NotAbsolute(String),
    ListedTwice(String),
    LocUnresolved(String, Unresolved),
    NotAPage {
        url: String,
        file: String,
    },
    AlternateNotAUrl(String),
    HreflangTwice(String),
    AlternateUnresolved {
        hreflang: String,
        url: String,
        why: Unresolved,
    },
    /// An alternate that is not listed itself, so it cannot link back.
    AlternateNotListed {
        hreflang: String,
        url: String,
    },
    /// `from` lists `to` as its `hreflang` alternate, and `to` does not list `from`.
    NotReciprocal {
        from: String,
        to: String,
        hreflang: String,
    },
    /// A URL with alternates that does not list itself among them.
    NoSelf(String),
    /// A page whose head gives other alternates than its sitemap entry (at that line).
    HeadDiffersFromSitemap {
        sitemap_line: usize,
    },
    /// A duplicate (its canonical URL given) listed in the sitemap.
    DuplicateListed {
        canonical: String,
    },
    /// A duplicate whose alternates differ from those of its canonical page.
    DuplicateDiffersFrom {
        canonical_page: String,
    },
}

impl fmt::Display for SitemapFault {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use SitemapFault::*;
        match self {
            Missing => write!(f, "no sitemap.xml in the output"),
            NotXml(e) => write!(f, "not well-formed XML: {e}"),
            NotAUrlset => write!(f, "the root is not a <urlset> of {SITEMAP_NS}"),
            Stray(name) => write!(f, "<xhtml:{name}>: only link is allowed from the XHTML namespace"),
            NoLoc => write!(f, "<url> without <loc>"),
            NotAbsolute(loc) => write!(f, "<loc> {loc:?} is not an absolute URL"),
            ListedTwice(url) => write!(f, "{url} is listed twice"),
            LocUnresolved(url, why) => write!(f, "<loc> {url}: {why}"),
            NotAPage { url, file } => write!(f, "<loc> {url} is not a page ({file})"),
            AlternateNotAUrl(href) => write!(f, "alternate href {href:?} is not a URL"),
            HreflangTwice(lang) => write!(f, "hreflang {lang} given twice, for different URLs"),
            AlternateUnresolved { hreflang, url, why } => write!(f, "alternate {hreflang} {url}: {why}"),
            AlternateNotListed { hreflang, url } => {
                write!(f, "alternate {hreflang} {url} is not listed itself, so it cannot link back")
            }
            NotReciprocal { from, to, hreflang } => {
                write!(f, "not reciprocal: {from} lists {to} ({hreflang}), which does not list {from}")
            }
            NoSelf(url) => write!(f, "{url} has alternates but does not list itself among them"),
            HeadDiffersFromSitemap { sitemap_line } => {
                write!(f, "the page's hreflang alternates differ from its sitemap entry (sitemap.xml:{sitemap_line})")
            }
            DuplicateListed { canonical } => write!(f, "in the sitemap, but its canonical URL is {canonical}"),
            DuplicateDiffersFrom { canonical_page } => {
                write!(f, "its hreflang alternates differ from those of its canonical page {canonical_page}")
            }
        }
    }
}

struct Alternate {
    hreflang: String,
    href: String,
    line: usize,
}

/// A URL with its alternates, as the sitemap or a page's head gives them.
struct Listing {
    url: String,
    /// Where it is written: `sitemap.xml` or the page's file.
    file: String,
    line: usize,
    alternates: Vec<Alternate>,
}

#[derive(Debug, Default)]
pub struct SitemapCount {
    pub urls: usize,
    pub alternates: usize,
    pub pages_with_alternates: usize,
}

type Findings = Vec<Finding<SitemapFault>>;

pub fn check_sitemap(site: &Published) -> (Findings, SitemapCount) {
    let mut findings = Vec::new();
    let mut count = SitemapCount::default();
    let listed = if site.files.contains_key("sitemap.xml") {
        sitemap_entries(site, &mut findings)
    } else {
        fault_at(&mut findings, "sitemap.xml", 0, SitemapFault::Missing);
        Vec::new()
    };
    count.urls = listed.len();
    count.alternates = listed.iter().map(|l| l.alternates.len()).sum();
    check_alternates(site, &listed, &mut findings);
    check_heads(site, &listed, &mut findings, &mut count);
    findings.sort_by(|a, b| (&a.file, a.line).cmp(&(&b.file, b.line)));
    (findings, count)
}

fn fault_at(findings: &mut Findings, file: &str, line: usize, fault: SitemapFault) {
    findings.push(Finding { file: file.to_string(), line, fault });
}

/// The `<url>` entries of the sitemap whose `<loc>` is a page of the output.
fn sitemap_entries(site: &Published, findings: &mut Findings) -> Vec<Listing> {
    let xml = site.text("sitemap.xml");
    let doc = match Document::parse(&xml) {
        Ok(doc) => doc,
        Err(e) => {
            fault_at(findings, "sitemap.xml", e.pos().row as usize, SitemapFault::NotXml(e.to_string()));
            return Vec::new();
        }
    };
    let line = |node: Node| doc.text_pos_at(node.range().start).row as usize;
    let root = doc.root_element();
    if root.tag_name().namespace() != Some(SITEMAP_NS) || root.tag_name().name() != "urlset" {
        fault_at(findings, "sitemap.xml", line(root), SitemapFault::NotAUrlset);
    }
    let mut seen = BTreeSet::new();
    let mut entries = Vec::new();
    for url in root.children().filter(|n| n.has_tag_name((SITEMAP_NS, "url"))) {
        let mut fault = |node, fault| fault_at(findings, "sitemap.xml", line(node), fault);
        let mut alternates = Vec::new();
        for el in url.children().filter(|n| n.tag_name().namespace() == Some(XHTML_NS)) {
            if el.tag_name().name() != "link" {
                fault(el, SitemapFault::Stray(el.tag_name().name().to_string()));
            } else if el
                .attribute("rel")
                .unwrap_or("")
                .split_ascii_whitespace()
                .any(|r| r.eq_ignore_ascii_case("alternate"))
            {
                let attr = |name| el.attribute(name).unwrap_or("").to_string();
                alternates.push(Alternate { hreflang: attr("hreflang"), href: attr("href"), line: line(el) });
            }
        }
        let Some(loc) = url.children().find(|n| n.has_tag_name((SITEMAP_NS, "loc"))) else {
            fault(url, SitemapFault::NoLoc);
            continue;
        };
        let text = loc.text().unwrap_or("").trim();
        let Ok(absolute) = Url::parse(text) else {
            fault(loc, SitemapFault::NotAbsolute(text.to_string()));
            continue;
        };
        let address = absolute.to_string();
        if !seen.insert(address.clone()) {
            fault(loc, SitemapFault::ListedTwice(address.clone()));
        }
        match site.resolve(&absolute) {
            Err(why) => fault(loc, SitemapFault::LocUnresolved(address.clone(), why)),
            Ok(file) if !file.ends_with(".html") => fault(loc, SitemapFault::NotAPage { url: address.clone(), file }),
            Ok(_) => {}
        }
        entries.push(Listing { url: address, file: "sitemap.xml".into(), line: line(url), alternates });
    }
    entries
}

/// The rules for one set of listings: alternates exist, include the URL, and link back.
fn check_alternates(site: &Published, listings: &[Listing], findings: &mut Findings) {
    let by_url: BTreeMap<&str, &Listing> = listings.iter().map(|l| (l.url.as_str(), l)).collect();
    for listing in listings.iter().filter(|l| !l.alternates.is_empty()) {
        let mut fault = |line, fault| findings.push(Finding { file: listing.file.clone(), line, fault });
        let mut langs: BTreeMap<&str, String> = BTreeMap::new();
        let mut lists_itself = false;
        for a in &listing.alternates {
            let Some(href) = joined(&listing.url, &a.href) else {
                fault(a.line, SitemapFault::AlternateNotAUrl(a.href.clone()));
                continue;
            };
            if langs.insert(&a.hreflang, href.clone()).is_some_and(|before| before != href) {
                fault(a.line, SitemapFault::HreflangTwice(a.hreflang.clone()));
            }
            if href == listing.url {
                lists_itself = true;
                continue;
            }
            let (hreflang, url) = (a.hreflang.clone(), href.clone());
            if let Err(why) = site.resolve(&Url::parse(&href).expect("joined URL")) {
                fault(a.line, SitemapFault::AlternateUnresolved { hreflang, url, why });
            } else if let Some(other) = by_url.get(href.as_str()) {
                if !other.alternates.iter().any(|b| joined(&other.url, &b.href).as_deref() == Some(&listing.url)) {
                    fault(a.line, SitemapFault::NotReciprocal { from: listing.url.clone(), to: url, hreflang });
                }
            } else {
                fault(a.line, SitemapFault::AlternateNotListed { hreflang, url });
            }
        }
        if !lists_itself {
            fault(listing.alternates[0].line, SitemapFault::NoSelf(listing.url.clone()));
        }
    }
}

/// The same rules for the pages' heads, which must agree with the sitemap; duplicates
/// (canonical URL elsewhere) must stay out of it and repeat their canonical's alternates.
fn check_heads(site: &Published, sitemap: &[Listing], findings: &mut Findings, count: &mut SitemapCount) {
    let mut pages = Vec::new();
    let mut duplicates = Vec::new();
    // The error page answers for any missing address: it is no page of its own.
    for (rel, tags) in site.pages().filter(|(rel, _)| *rel != "404.html") {
        let url = site.url_of(rel).to_string();
        let links = tags.iter().filter(|t| t.name == "link");
        let alternates: Vec<Alternate> = links
            .clone()
            .filter(|t| t.tokens("rel").iter().any(|r| r == "alternate") && t.attr("hreflang").is_some())
            .map(|t| Alternate {
                hreflang: t.attr("hreflang").unwrap_or("").to_string(),
                href: t.attr("href").unwrap_or("").to_string(),
                line: t.line,
            })
            .collect();
        let canonical = links
            .clone()
            .find(|t| t.tokens("rel").iter().any(|r| r == "canonical"))
            .and_then(|t| joined(&url, t.attr("href").unwrap_or("")));
        count.pages_with_alternates += usize::from(!alternates.is_empty());
        let head_line = tags.iter().find(|t| t.name == "head").map_or(1, |t| t.line);
        let page = Listing { url, file: rel.to_string(), line: head_line, alternates };
        match canonical.filter(|c| *c != page.url) {
            Some(canonical) => duplicates.push((page, canonical)),
            None => pages.push(page),
        }
    }
    check_alternates(site, &pages, findings);
    let in_sitemap: BTreeMap<&str, &Listing> = sitemap.iter().map(|l| (l.url.as_str(), l)).collect();
    let by_url: BTreeMap<&str, &Listing> = pages.iter().map(|l| (l.url.as_str(), l)).collect();
    let mut fault = |page: &Listing, fault| findings.push(Finding { file: page.file.clone(), line: page.line, fault });
    for page in &pages {
        if let Some(entry) =
            in_sitemap.get(page.url.as_str()).filter(|entry| key(page, &page.url) != key(entry, &entry.url))
        {
            fault(page, SitemapFault::HeadDiffersFromSitemap { sitemap_line: entry.line });
        }
    }
    for (duplicate, canonical) in &duplicates {
        if in_sitemap.contains_key(duplicate.url.as_str()) {
            fault(duplicate, SitemapFault::DuplicateListed { canonical: canonical.clone() });
        }
        // A canonical URL that is no page is the links check's to report.
        if let Some(original) = by_url.get(canonical.as_str()).filter(|c| key(duplicate, canonical) != key(c, &c.url)) {
            fault(duplicate, SitemapFault::DuplicateDiffersFrom { canonical_page: original.file.clone() });
        }
    }
}

/// The alternates as a comparable set; listing only oneself says as much as listing nothing.
fn key(listing: &Listing, own_url: &str) -> BTreeSet<(String, String)> {
    let set: BTreeSet<(String, String)> = listing
        .alternates
        .iter()
        .map(|a| (a.hreflang.clone(), joined(&listing.url, &a.href).unwrap_or_else(|| a.href.clone())))
        .collect();
    if set.len() == 1 && set.iter().all(|(_, url)| url == own_url) {
        BTreeSet::new()
    } else {
        set
    }
}

fn joined(base: &str, href: &str) -> Option<String> {
    Url::parse(base).ok()?.join(href).ok().map(String::from)
}

#[test]
fn the_sitemaps_and_page_heads_of_the_real_site_and_the_rtl_fixture_agree() {
    for site in [Published::real(BASE), Published::rtl(RTL_BASE)] {
        let (findings, count) = check_sitemap(&site);
        assert_none("the sitemap check", &site, &findings);
        assert!(count.urls > 0 && count.alternates >= count.urls, "{}: {count:?}", site.name);
        println!(
            "sitemap of {}: {} URLs, {} alternates; {} pages with alternates",
            site.name, count.urls, count.alternates, count.pages_with_alternates
        );
    }
}

#[test]
fn the_sitemap_check_reports_exactly_the_planted_flaws() {
    let (findings, _) = check_sitemap(&Published::broken(BROKEN_BASE));
    let home = BROKEN_BASE.to_string();
    let gone = format!("{BROKEN_BASE}gone.html");
    assert_eq!(
        located(&findings),
        [
            ("index.html", 3, SitemapFault::HeadDiffersFromSitemap { sitemap_line: 3 }),
            (
                "sitemap.xml",
                6,
                SitemapFault::NotReciprocal {
                    from: home,
                    to: format!("{BROKEN_BASE}links.html"),
                    hreflang: "it".into()
                }
            ),
            ("sitemap.xml", 13, SitemapFault::LocUnresolved(gone, Unresolved::NoFile("gone.html".into()))),
        ]
    );
}

#[test]
fn page_heads_must_link_back_agree_with_the_sitemap_and_duplicates_follow_their_canonical_page() {
    let site = Published::broken(BROKEN_BASE);
    let page = |lang: &str, links: &str| {
        format!("<!DOCTYPE html>\n<html lang=\"{lang}\">\n<head>\n<title>{lang}</title>\n{links}\n</head>\n</html>\n")
    };
    let alternate = |lang: &str| format!("<link rel=\"alternate\" hreflang=\"{lang}\" href=\"{lang}.html\">");
    let write = |rel: &str, text: String| std::fs::write(site.dir.join(rel), text).expect("write file");
    write("it.html", page("it", &format!("{}\n{}", alternate("it"), alternate("en"))));
    write("en.html", page("en", &alternate("en")));
    write("ar.html", page("ar", &format!("<link rel=\"canonical\" href=\"it.html\">\n{}", alternate("it"))));
    let entry = |lang: &str, alternates: &[&str]| {
        let links: String = alternates
            .iter()
            .map(|a| format!("<xhtml:link rel=\"alternate\" hreflang=\"{a}\" href=\"{BROKEN_BASE}{a}.html\"/>"))
            .collect();
        format!("<url><loc>{BROKEN_BASE}{lang}.html</loc>{links}</url>\n")
    };
    write(
        "sitemap.xml",
        format!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"{SITEMAP_NS}\" xmlns:xhtml=\"{XHTML_NS}\">\n{}{}{}</urlset>\n",
            entry("it", &["it", "en"]),
            entry("en", &["en", "it"]),
            entry("ar", &[])
        ),
    );
    let (findings, _) = check_sitemap(&site.reread());
    let url = |lang: &str| format!("{BROKEN_BASE}{lang}.html");
    assert_eq!(
        located(&findings),
        [
            ("ar.html", 3, SitemapFault::DuplicateListed { canonical: url("it") }),
            ("ar.html", 3, SitemapFault::DuplicateDiffersFrom { canonical_page: "it.html".into() }),
            ("en.html", 3, SitemapFault::HeadDiffersFromSitemap { sitemap_line: 4 }),
            ("it.html", 6, SitemapFault::NotReciprocal { from: url("it"), to: url("en"), hreflang: "en".into() }),
        ]
    );
}

#[test]
fn an_alternate_dropped_from_a_real_sitemap_is_one_way_and_disagrees_with_the_page() {
    let site = Published::rtl(RTL_BASE);
    let xml = site.text("sitemap.xml");
    // The first entry is the home page; drop its English alternate.
    let lines: Vec<&str> = xml.lines().collect();
    let dropped = lines.iter().position(|l| l.contains("hreflang=\"en\"")).expect("an English alternate");
    let english_home = lines[dropped].split("href=\"").nth(1).and_then(|h| h.split('"').next()).expect("its href");
    let kept: Vec<&str> = lines.iter().enumerate().filter(|(i, _)| *i != dropped).map(|(_, l)| *l).collect();
    std::fs::write(site.dir.join("sitemap.xml"), kept.join("\n")).expect("write the sitemap");
    let (findings, _) = check_sitemap(&site.reread());
    let found: Vec<(&str, SitemapFault)> = findings.iter().map(|f| (f.file.as_str(), f.fault.clone())).collect();
    let one_way =
        SitemapFault::NotReciprocal { from: english_home.to_string(), to: RTL_BASE.to_string(), hreflang: "it".into() };
    assert_eq!(
        found,
        [("index.html", SitemapFault::HeadDiffersFromSitemap { sitemap_line: 3 }), ("sitemap.xml", one_way)]
    );
}
