//! Links: every internal reference of the output (each href, src, srcset... of every
//! page, each `url()` of the CSS, the `Sitemap:` line of robots.txt) resolves to a file of
//! the output under the site's base URL, so that a root-relative link forgetting the
//! subfolder fails, and each `#fragment` to an element with that id in the target page.
//! `mailto:` and `tel:` must hold an address and a number; no other scheme is written.

use std::fmt;

use url::Url;

use super::refs::references;
use super::{assert_none, located, Finding, Published, Unresolved, BASE, BROKEN_BASE, RTL_BASE};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LinkFault {
    NotAUrl(String),
    NotAnEmailAddress(String),
    NotAPhoneNumber(String),
    /// A scheme other than http(s), mailto, tel and data.
    Scheme(String),
    Unresolved(String, Unresolved),
    BadFragment(String),
    NoSuchId {
        id: String,
        page: String,
    },
    /// A `#fragment` on a file that is not a page.
    FragmentOutsidePage {
        id: String,
        file: String,
    },
}

impl fmt::Display for LinkFault {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LinkFault::NotAUrl(value) => write!(f, "{value:?} is not a valid URL"),
            LinkFault::NotAnEmailAddress(value) => write!(f, "{value:?} is not an e-mail address"),
            LinkFault::NotAPhoneNumber(value) => write!(f, "{value:?} is not a phone number"),
            LinkFault::Scheme(value) => write!(f, "{value:?}: links of this scheme are not written"),
            LinkFault::Unresolved(value, why) => write!(f, "{value:?}: {why}"),
            LinkFault::BadFragment(value) => write!(f, "{value:?}: badly percent-encoded fragment"),
            LinkFault::NoSuchId { id, page } => write!(f, "no element with id=\"{id}\" in {page}"),
            LinkFault::FragmentOutsidePage { id, file } => write!(f, "#{id} in {file}, which is not a page"),
        }
    }
}

/// What the check looked at, for the report.
#[derive(Debug, Default)]
pub struct LinkCount {
    pub files: usize,
    pub internal: usize,
}

pub fn check_links(site: &Published) -> (Vec<Finding<LinkFault>>, LinkCount) {
    let mut findings = Vec::new();
    let files = site.files.keys().filter(|f| f.ends_with(".html") || f.ends_with(".css") || *f == "robots.txt");
    let mut count = LinkCount { files: files.count(), internal: 0 };
    for r in references(site) {
        let mut fault = |fault: LinkFault| findings.push(Finding { file: r.file.clone(), line: r.line, fault });
        let Ok(url) = r.base.join(&r.value) else {
            fault(LinkFault::NotAUrl(r.value.clone()));
            continue;
        };
        match url.scheme() {
            "http" | "https" => {}
            "mailto" if !is_email(url.path()) => fault(LinkFault::NotAnEmailAddress(r.value.clone())),
            "tel" if !is_phone(url.path()) => fault(LinkFault::NotAPhoneNumber(r.value.clone())),
            "mailto" | "tel" | "data" => {}
            _ => fault(LinkFault::Scheme(r.value.clone())),
        }
        if !matches!(url.scheme(), "http" | "https") || url.origin() != site.base.origin() {
            continue;
        }
        count.internal += 1;
        if let Some(fault) = target_fault(site, &url, &r.value) {
            findings.push(Finding { file: r.file.clone(), line: r.line, fault });
        }
    }
    (findings, count)
}

/// What is wrong with an address of the site itself: no file, or no such `#fragment`.
fn target_fault(site: &Published, url: &Url, value: &str) -> Option<LinkFault> {
    let file = match site.resolve(url) {
        Ok(file) => file,
        Err(why) => return Some(LinkFault::Unresolved(value.to_string(), why)),
    };
    let fragment = url.fragment().filter(|f| !f.is_empty())?;
    let Some(id) = brochure::percent::decode(fragment, false) else {
        return Some(LinkFault::BadFragment(value.to_string()));
    };
    if !file.ends_with(".html") {
        Some(LinkFault::FragmentOutsidePage { id, file })
    } else if !site.ids(&file).contains(&id) {
        Some(LinkFault::NoSuchId { id, page: file })
    } else {
        None
    }
}

fn is_email(path: &str) -> bool {
    let address = brochure::percent::decode(path, false).unwrap_or_default();
    let parts: Vec<&str> = address.split('@').collect();
    parts.len() == 2 && parts.iter().all(|p| !p.is_empty() && !p.contains(char::is_whitespace))
}

fn is_phone(path: &str) -> bool {
    let number = brochure::percent::decode(path, false).unwrap_or_default();
    let digits = number.strip_prefix('+').unwrap_or(&number);
    digits.starts_with(|c: char| c.is_ascii_digit())
        && digits.len() >= 3
        && digits.chars().all(|c| c.is_ascii_digit() || "().-".contains(c))
}

#[test]
fn every_link_of_the_real_site_and_the_rtl_fixture_reaches_a_file_and_its_anchor() {
    for site in [Published::real(BASE), Published::rtl(RTL_BASE)] {
        let (findings, count) = check_links(&site);
        assert_none("the links check", &site, &findings);
        assert!(count.internal >= count.files, "{}: only {count:?}: was the output read?", site.name);
        println!("links of {}: {} files, {} internal links, 0 broken", site.name, count.files, count.internal);
    }
}

#[test]
fn the_links_check_reports_exactly_the_planted_broken_links() {
    let site = Published::broken(BROKEN_BASE);
    let (findings, _) = check_links(&site);
    let unresolved = |value: &str, why| LinkFault::Unresolved(value.into(), why);
    assert_eq!(
        located(&findings),
        [
            ("css/broken.css", 2, unresolved("../img/missing.png", Unresolved::NoFile("img/missing.png".into()))),
            ("links.html", 13, unresolved("/sub/no-such-page.html", Unresolved::NoFile("no-such-page.html".into()))),
            ("links.html", 14, LinkFault::NoSuchId { id: "no-such-id".into(), page: "index.html".into() }),
            ("links.html", 15, unresolved("/axe.html", Unresolved::OutsideFolder("/sub/".into()))),
        ],
        "the control page index.html and the good link of links.html:16 pass"
    );
}

#[test]
fn mail_and_phone_links_need_an_address_and_a_number_and_no_other_scheme_is_written() {
    let site = Published::broken(BROKEN_BASE);
    let page = "<!DOCTYPE html><title>t</title>\n<a href=\"mailto:info@example.org\">ok</a><a href=\"tel:+390212345\">ok</a>\n\
                <a href=\"mailto:nobody\">x</a><a href=\"tel:call-us\">x</a><a href=\"javascript:void(0)\">x</a>\n\
                <a href=\"folder\">x</a>";
    std::fs::write(site.dir.join("schemes.html"), page).expect("write page");
    std::fs::create_dir_all(site.dir.join("folder")).expect("folder");
    std::fs::write(site.dir.join("folder/index.html"), "<!DOCTYPE html><title>f</title>").expect("write page");
    let site = site.reread();
    let (findings, _) = check_links(&site);
    let in_page: Vec<_> = located(&findings).into_iter().filter(|(file, _, _)| *file == "schemes.html").collect();
    assert_eq!(
        in_page,
        [
            ("schemes.html", 3, LinkFault::NotAnEmailAddress("mailto:nobody".into())),
            ("schemes.html", 3, LinkFault::NotAPhoneNumber("tel:call-us".into())),
            ("schemes.html", 3, LinkFault::Scheme("javascript:void(0)".into())),
            ("schemes.html", 4, LinkFault::Unresolved("folder".into(), Unresolved::Folder("folder".into()))),
        ]
    );
}

#[test]
fn deleting_a_page_of_a_real_build_breaks_exactly_the_links_to_it() {
    let site = Published::rtl(RTL_BASE);
    // The English home, found through the home page's language switcher.
    let english = site.tags("index.html").iter().find(|t| t.name == "a" && t.attr("hreflang") == Some("en"));
    let href = english.and_then(|t| t.attr("href")).expect("a link to the English home");
    let gone = site.resolve(&site.url_of("index.html").join(href).expect("a URL")).expect("the English home");
    std::fs::remove_file(site.dir.join(&gone)).expect("delete the page");
    let (findings, _) = check_links(&site.reread());
    assert!(findings.len() >= 3, "every page links to its translations: {findings:#?}");
    for f in &findings {
        assert!(matches!(&f.fault, LinkFault::Unresolved(_, Unresolved::NoFile(rel)) if *rel == gone), "{f}");
    }
}
