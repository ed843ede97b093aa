//! Printable documents: a one-page A4 leaflet per site and language, and a booklet per
//! programme and language (cover, contents, one page per site, padded to a multiple of 4
//! pages for saddle stitching). Both are HTML with their CSS inline; each QR code is a file
//! beside the page it leads to (`qr.svg`, see `qr`), linked by a relative address, so that
//! the documents print from the web host, from the disk and in the PDF step alike.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard};

use serde::Serialize;

use super::leaflet_fit::{fit, Fit, Scale};
use super::view_struct::view_struct;
use super::views::{ProgrammeView, SiteView};
use super::{qr, Output, PageResult, Renderer};
use crate::diagnostic::Diagnostic;
use crate::model::{Entry, Programme, SiteFacts};

view_struct! {
    /// One site printed on one page (a leaflet, or a page of a booklet).
    #[derive(Debug)]
    pub struct PrintedSite {
        ..pub site: Arc<SiteView>,
        pub programme: String,
        pub scale: Scale,
        pub activities_shown: Vec<String>,
        pub shortened: bool,
        /// Absolute address of the site's web page, the same cut where it may wrap, and the
        /// address of its QR code from the document (none if the address cannot be encoded).
        pub url: String,
        pub url_parts: Vec<String>,
        pub qr_src: Option<String>,
    }
}

#[derive(Debug, Serialize)]
struct PrintContext<'a> {
    lang: &'a str,
    dir: &'a str,
    t: &'a tera::Value,
    site_title: &'a str,
    owner: &'a str,
    title: String,
    /// The running footer's text, escaped as a CSS string.
    footer_css: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    leaflet: Option<PrintedSite>,
    #[serde(skip_serializing_if = "Option::is_none")]
    booklet: Option<Booklet<'a>>,
    /// The site's address is a placeholder: the document says it is a preview on every page.
    preview: bool,
    /// Every leaflet of a programme (`leaflets.html`): its [`ProgrammeSites`].
    #[serde(skip_serializing_if = "Option::is_none")]
    leaflets: Option<&'a tera::Value>,
}

#[derive(Debug, Serialize)]
struct Booklet<'a> {
    programme: ProgrammeView,
    url: String,
    url_parts: Vec<String>,
    qr_src: Option<String>,
    /// Contents, split into pages.
    contents: Vec<Vec<ContentsLine>>,
    /// The programme's [`ProgrammeSites`].
    sites: &'a tera::Value,
    /// Blank pages added at the end to reach a multiple of 4.
    blank_pages: Vec<usize>,
    total_pages: usize,
}

#[derive(Debug, Serialize)]
struct ContentsLine {
    title: String,
    code: Option<String>,
    page: usize,
}

impl super::templates::TemplateData for PrintContext<'_> {}

/// A programme's sites as its booklet and its `leaflets.html` both print them, from the
/// programme's folder: made for whichever of the two renders first, and taken by the other.
#[derive(Debug)]
pub(super) struct ProgrammeSites {
    /// The [`PrintedSite`]s, as the templates receive them.
    printed: tera::Value,
    /// The title and code of each, for the booklet's contents.
    lines: Vec<(String, Option<String>)>,
}

/// What the print documents of one render share, each made for the first document that
/// needs it and taken by the last: in a build, none outlives its programme's documents
/// (in `serve`, a document kept from the last render takes nothing, and the render's end
/// drops what is left).
#[derive(Debug, Default)]
pub(super) struct Printed {
    /// A programme's [`ProgrammeSites`], by the programme's path: its booklet and its
    /// `leaflets.html` print them.
    programmes: Mutex<HashMap<String, Arc<ProgrammeSites>>>,
    /// A site's view and fit, by the site's path: its leaflet and its programme's
    /// [`ProgrammeSites`] print them.
    sites: Mutex<HashMap<String, (Arc<SiteView>, Fit)>>,
}

impl Printed {
    fn programmes(&self) -> MutexGuard<'_, HashMap<String, Arc<ProgrammeSites>>> {
        self.programmes.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn sites(&self) -> MutexGuard<'_, HashMap<String, (Arc<SiteView>, Fit)>> {
        self.sites.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// Contents lines on one contents page.
const CONTENTS_PER_PAGE: usize = 28;

impl Renderer<'_> {
    /// The site as printed in a document in the folder `from` (its leaflet's, or its programme's).
    fn printed_site(&self, p: &Programme, s: &Entry<SiteFacts>, lang: &str, from: &str) -> (PrintedSite, Fit) {
        let v = s.version(lang);
        let (site, fit) = self.printed_view(s, lang);
        let url = self.base.absolute(&v.path);
        let printed = PrintedSite {
            programme: p.entry.version(lang).facts.title.clone(),
            scale: fit.scale,
            activities_shown: site.activities[..fit.activities].to_vec(),
            shortened: fit.shortened,
            qr_src: self.qr_link(&v.path, &url, from),
            url_parts: url_parts(&url),
            url,
            site,
        };
        (printed, fit)
    }

    /// The site's view and its fit on a page, made once for the two that print it: its
    /// leaflet and its programme's [`ProgrammeSites`]. Whichever comes first makes it, the
    /// other takes it; two at once each make their own, and the map keeps neither.
    fn printed_view(&self, s: &Entry<SiteFacts>, lang: &str) -> (Arc<SiteView>, Fit) {
        let path = &s.version(lang).path;
        if let Some(made) = self.printed.sites().remove(path) {
            return made;
        }
        let view = Arc::new(self.site_view(s, lang));
        let fit = fit(&view);
        let mut sites = self.printed.sites();
        if sites.remove(path).is_none() {
            sites.insert(path.clone(), (Arc::clone(&view), fit));
        }
        (view, fit)
    }

    /// The QR code of the page at `path` (whose address is `url`), encoded once per address.
    fn qr_code(&self, url: &str) -> Option<Arc<qr::Code>> {
        self.cache.qr(url, || qr::encode(url))
    }

    /// The address, from a document in the folder `from`, of the QR code of the page at
    /// `path`; none when the page's address cannot be encoded (then neither is it printed).
    fn qr_link(&self, path: &str, url: &str, from: &str) -> Option<String> {
        self.qr_code(url).map(|_| crate::url::relative(from, &qr_path(path)))
    }

    /// `qr.svg` beside a page that printed documents lead to: a site's, or a programme's.
    pub(super) fn qr_file(&self, path: &str) -> PageResult {
        // A page whose address is too long to encode gets an empty drawing, linked by no
        // document: every job makes its file.
        let svg = self.qr_code(&self.base.absolute(path)).map_or_else(
            || "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 1 1\"/>\n".to_string(),
            |code| code.svg(),
        );
        Ok((Output::text(&qr_path(path), svg), Vec::new()))
    }

    fn print_context(&self, lang: &str, title: String) -> PrintContext<'_> {
        PrintContext {
            lang: self.config.language(lang).map_or("", |l| l.code.as_str()),
            dir: self.direction(lang),
            t: self.strings.template(lang),
            site_title: self.config.pick(&self.config.title, lang),
            owner: self.config.pick(&self.config.owner, lang),
            footer_css: css_string(&title),
            title,
            leaflet: None,
            booklet: None,
            preview: self.base.is_placeholder(),
            leaflets: None,
        }
    }

    /// `leaflet.html` beside the site's page.
    pub(super) fn leaflet(&self, p: &Programme, s: &Entry<SiteFacts>, lang: &str) -> PageResult {
        let v = s.version(lang);
        let (printed, fit) = self.printed_site(p, s, lang, &v.path);
        let mut warnings = Vec::new();
        if fit.shortened {
            let source = self.b.doc(v).map(|d| d.path.clone()).unwrap_or_default();
            warnings.push(
                Diagnostic::warning(format!(
                    "the {lang} leaflet is too long for one A4 page: {} of {} activities are printed, with \"see online\"",
                    fit.activities,
                    printed.site.activities.len()
                ))
                .in_file(source)
                .with_hint("shorten the activities or the requirement labels to print them all"),
            );
        }
        let mut ctx = self.print_context(lang, v.facts.title.clone());
        ctx.leaflet = Some(printed);
        let html = self.render_template("leaflet.html", &ctx, &format!("the leaflet of /{}", v.path))?;
        Ok((Output::file(&format!("{}leaflet.html", v.path), html), warnings))
    }

    /// `leaflets.html` beside the programme's page: its sites' leaflets in programme order,
    /// one per page, to send to a print shop as one file.
    pub(super) fn leaflets(&self, p: &Programme, lang: &str) -> PageResult {
        let v = p.entry.version(lang);
        let sites = self.programme_sites(p, lang)?;
        let mut ctx = self.print_context(lang, v.facts.title.clone());
        // A programme without a published site yet prints an empty list, not no list: the
        // theme's `for` needs one.
        ctx.leaflets = Some(&sites.printed);
        let html = self.render_template("leaflets.html", &ctx, &format!("the leaflets of /{}", v.path))?;
        Ok((Output::file(&format!("{}leaflets.html", v.path), html), Vec::new()))
    }

    /// The programme's [`ProgrammeSites`], made once for its two documents in this render.
    fn programme_sites(&self, p: &Programme, lang: &str) -> Result<Arc<ProgrammeSites>, Diagnostic> {
        let path = &p.entry.version(lang).path;
        if let Some(made) = self.printed.programmes().remove(path) {
            return Ok(made);
        }
        let sites: Vec<PrintedSite> = p.sites.iter().map(|s| self.printed_site(p, s, lang, path).0).collect();
        let printed = tera::Value::try_from_serializable(&sites)
            .map_err(|e| Diagnostic::error(format!("cannot prepare the data of the sites of /{path}: {e}")))?;
        let lines = sites.into_iter().map(|s| (s.site.card.title.clone(), s.site.card.code.clone())).collect();
        let made = Arc::new(ProgrammeSites { printed, lines });
        self.printed.programmes().insert(path.clone(), Arc::clone(&made));
        Ok(made)
    }

    /// `booklet.html` beside the programme's page.
    pub(super) fn booklet(&self, p: &Programme, lang: &str) -> PageResult {
        let v = p.entry.version(lang);
        let sites = self.programme_sites(p, lang)?;
        // No contents page for a programme without sites yet: it would list nothing.
        let contents_pages = sites.lines.len().div_ceil(CONTENTS_PER_PAGE);
        let first_site_page = 2 + contents_pages;
        let lines: Vec<ContentsLine> = sites
            .lines
            .iter()
            .enumerate()
            .map(|(i, (title, code))| ContentsLine {
                title: title.clone(),
                code: code.clone(),
                page: first_site_page + i,
            })
            .collect();
        let used = 1 + contents_pages + sites.lines.len();
        let total_pages = used.div_ceil(4) * 4;
        let url = self.base.absolute(&v.path);
        let booklet = Booklet {
            programme: self.programme_view(p, lang),
            qr_src: self.qr_link(&v.path, &url, &v.path),
            url_parts: url_parts(&url),
            url,
            contents: lines.into_iter().fold(Vec::new(), |mut pages: Vec<Vec<ContentsLine>>, line| {
                match pages.last_mut() {
                    Some(page) if page.len() < CONTENTS_PER_PAGE => page.push(line),
                    _ => pages.push(vec![line]),
                }
                pages
            }),
            sites: &sites.printed,
            blank_pages: (used + 1..=total_pages).collect(),
            total_pages,
        };
        let mut ctx = self.print_context(lang, v.facts.title.clone());
        ctx.booklet = Some(booklet);
        let html = self.render_template("booklet.html", &ctx, &format!("the booklet of /{}", v.path))?;
        Ok((Output::file(&format!("{}booklet.html", v.path), html), Vec::new()))
    }
}

/// Where the QR code of the page at `path` (a folder, `en/alpha/`) is written.
pub(super) fn qr_path(path: &str) -> String {
    format!("{path}qr.svg")
}

/// An address cut after each `/` of its path: a narrow column wraps it there, never inside a word.
fn url_parts(url: &str) -> Vec<String> {
    let path_start = url.find("://").map_or(0, |i| i + 3);
    let mut parts = Vec::new();
    let mut start = 0;
    for (i, c) in url.char_indices() {
        if c == '/' && i >= path_start {
            parts.push(url[start..=i].to_string());
            start = i + 1;
        }
    }
    if start < url.len() {
        parts.push(url[start..].to_string());
    }
    parts
}

/// `text` as a CSS string literal, safe inside a `<style>` element.
fn css_string(text: &str) -> String {
    let mut out = String::from("\"");
    for c in text.chars() {
        match c {
            '"' | '\\' | '<' | '>' | '&' => out.push_str(&format!("\\{:x} ", c as u32)),
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_wrap_after_the_slashes_of_their_path() {
        assert_eq!(
            url_parts("https://example.org/servizio-civile/wemi/"),
            ["https://example.org/", "servizio-civile/", "wemi/"]
        );
        assert_eq!(url_parts("https://example.org/a?b"), ["https://example.org/", "a?b"]);
    }

    #[test]
    fn css_strings_cannot_close_the_style_element() {
        assert_eq!(css_string("A \"b\" </style>"), "\"A \\22 b\\22  \\3c /style\\3e \"");
    }
}
