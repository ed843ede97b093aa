//! Resolving links written in Markdown: `other.it.md`, `../page.md#part`, images beside
//! the file, and site-absolute paths, to URLs that work under the site's base path.

use std::collections::HashMap;

use crate::config::{BaseUrl, Config};
use crate::load::SourceDoc;
use crate::model::{Brochure, Entry};
pub use crate::url::has_scheme;

/// Content file (relative to `content/`, with `/`) -> the file it names and its page's versions.
#[derive(Debug, Default)]
pub struct LinkIndex {
    by_file: HashMap<String, Named>,
    default_language: String,
}

/// A published content file, as a link may name it (`casa.md` names `casa.it.md` in the
/// default language).
#[derive(Debug, Clone)]
struct Named {
    /// The file's own path relative to content/: `prog/casa.it.md`.
    file: String,
    /// Its entry's page in every language.
    pages: Vec<Target>,
}

impl LinkIndex {
    pub fn new(b: &Brochure, config: &Config) -> LinkIndex {
        let mut index = LinkIndex { by_file: HashMap::new(), default_language: config.default_language.clone() };
        index.add(b, &b.home);
        for p in &b.pages {
            index.add(b, p);
        }
        for prog in &b.programmes {
            index.add(b, &prog.entry);
            for s in &prog.sites {
                index.add(b, s);
            }
        }
        index
    }

    fn add<F>(&mut self, b: &Brochure, e: &Entry<F>) {
        for v in e.versions.iter().filter(|v| v.translated) {
            if let Some(doc) = b.doc(v) {
                let paths: Vec<Target> = e
                    .versions
                    .iter()
                    .map(|o| Target { lang: o.lang.clone(), path: o.path.clone(), same_text: o.same_file(v) })
                    .collect();
                let key = content_path(doc);
                let named = Named { file: key.clone(), pages: paths };
                if v.lang == self.default_language {
                    // `page.md` and `page.it.md` name the same file for the default language.
                    if let Some(short) = key.strip_suffix(&format!(".{}.md", v.lang)) {
                        self.by_file.insert(format!("{short}.md"), named.clone());
                    }
                }
                self.by_file.insert(key, named);
            }
        }
    }

    /// What `dest`, written in a file of the folder `from_folder` of content/ on a page in
    /// `lang`, leads to in a site published under `base_path`. The one decision about a
    /// link: `build` turns it into a URL ([`LinkIndex::resolve`]), `check` reports on it.
    pub fn locate<'a>(
        &self,
        dest: &'a str,
        from_folder: Option<&str>,
        lang: &str,
        base_path: &str,
    ) -> Destination<'a, '_> {
        match LinkTarget::of(dest, from_folder, base_path) {
            LinkTarget::Elsewhere => Destination::Elsewhere,
            LinkTarget::OwnAnchor(id) => Destination::OwnAnchor(id),
            LinkTarget::Outside => Destination::Outside,
            LinkTarget::File { path, suffix } => Destination::File { path, suffix },
            LinkTarget::Page { file, suffix, fragment } => {
                let Some(named) = self.by_file.get(&file) else { return Destination::NoPage };
                let versions = &named.pages;
                let in_lang = versions.iter().find(|t| t.lang == lang);
                // An anchor names a heading of the file written: when this language's page shows
                // another file (a translation), the link goes to the page of the file named.
                let anchored = suffix.len() > 1 && suffix.starts_with('#');
                let target = match in_lang {
                    Some(t) if !anchored || t.same_text => Some(t),
                    _ => versions.iter().find(|t| t.same_text),
                }
                .or(versions.first());
                match target {
                    Some(t) => Destination::Page { path: &t.path, suffix, file: &named.file, fragment },
                    None => Destination::NoPage,
                }
            }
        }
    }

    /// The URL for `dest` written in the file `from` (relative to content/) on a page in `lang`.
    /// `None` keeps the link as written (external, anchors, mail, a page that does not exist).
    pub fn resolve(&self, dest: &str, from_folder: Option<&str>, lang: &str, base: &BaseUrl) -> Option<String> {
        match self.locate(dest, from_folder, lang, &base.path) {
            Destination::Page { path, suffix, .. } => Some(base.href_with(path, suffix)),
            Destination::File { path, suffix } => Some(base.href_with(&path, suffix)),
            Destination::Elsewhere | Destination::OwnAnchor(_) | Destination::Outside | Destination::NoPage => None,
        }
    }

    /// Whether a page shows the content file `file` (relative to content/, as
    /// [`content_path`] gives it): drafts, unless built with `--drafts`, are no page.
    pub fn is_published(&self, file: &str) -> bool {
        self.by_file.get(file).is_some_and(|named| named.file == file)
    }
}

/// Where a link written in Markdown leads, once the site's pages are known.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Destination<'a, 'i> {
    /// Kept as written: another site, e-mail, telephone.
    Elsewhere,
    /// A heading of the same page, without the `#`; empty for `#` or `?x`.
    OwnAnchor(&'a str),
    /// A relative path that climbs out of content/.
    Outside,
    /// A Markdown file that no page shows: missing, misspelt, or a draft.
    NoPage,
    /// The page at `path` (relative to the site root), which shows the content file `file`
    /// or a translation of it; `fragment` names a heading of `file`.
    Page { path: &'i str, suffix: &'a str, file: &'i str, fragment: Option<&'a str> },
    /// Any other file of the site, relative to the site root (`prog/foto.jpg`, `en/`).
    File { path: String, suffix: &'a str },
}

/// A content file's path relative to content/, with `/`: how links and the index name it.
pub fn content_path(doc: &SourceDoc) -> String {
    doc.path.strip_prefix("content").unwrap_or(&doc.path).to_string_lossy().replace('\\', "/")
}

/// What a link written in Markdown names, read from its text alone (the first half of
/// [`LinkIndex::locate`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LinkTarget<'a> {
    /// Kept as written: another site (`https:`, `//host`), e-mail (`mailto:`), telephone.
    Elsewhere,
    /// A heading of the same page (`#orari`), without the `#`; empty for `#` or `?x`.
    OwnAnchor(&'a str),
    /// A Markdown file of content/, by its path relative to content/ (`prog/casa.it.md`);
    /// `suffix` is what follows it (`#orari`, `?x`), `fragment` the anchor alone.
    Page { file: String, suffix: &'a str, fragment: Option<&'a str> },
    /// Any other file of the site, relative to the site root (`prog/foto.jpg`, `en/`).
    File { path: String, suffix: &'a str },
    /// A relative path that climbs out of content/.
    Outside,
}

impl<'a> LinkTarget<'a> {
    /// Reads `dest`, written in a file of the folder `from_folder` of content/, for a site
    /// published under `base_path` (`/` or `/sub/`): an absolute path may include it or not.
    pub fn of(dest: &'a str, from_folder: Option<&str>, base_path: &str) -> LinkTarget<'a> {
        if dest.is_empty() || dest.starts_with("//") || has_scheme(dest) {
            return LinkTarget::Elsewhere;
        }
        let (path, suffix) = dest.split_at(dest.find(['#', '?']).unwrap_or(dest.len()));
        let fragment = suffix.split_once('#').map(|(_, f)| f);
        if path.is_empty() {
            return LinkTarget::OwnAnchor(fragment.unwrap_or(""));
        }
        let joined = match path.strip_prefix('/') {
            Some(abs) => normalize(abs.strip_prefix(base_path.trim_start_matches('/')).unwrap_or(abs)),
            None => joined(from_folder.unwrap_or(""), path),
        };
        let Some(mut joined) = joined else { return LinkTarget::Outside };
        if joined.ends_with(".md") {
            return LinkTarget::Page { file: joined, suffix, fragment };
        }
        // A folder keeps its slash: `en/` is the page `en/index.html`.
        if path.ends_with('/') && !joined.is_empty() {
            joined.push('/');
        }
        LinkTarget::File { path: joined, suffix }
    }
}

/// One language's page of an entry, seen from one of the entry's files.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct Target {
    lang: String,
    path: String,
    /// Whether this page shows the text of the file that names it (so its anchors exist).
    same_text: bool,
}

/// Resolves `.` and `..`; `None` when the path climbs out of content/.
pub fn normalize(path: &str) -> Option<String> {
    joined("", path)
}

/// `path` read from the folder `folder`, `.` and `..` resolved, in one string: every link
/// of every page comes here.
fn joined(folder: &str, path: &str) -> Option<String> {
    let mut out = String::with_capacity(folder.len() + path.len() + 1);
    for seg in folder.split('/').chain(path.split('/')) {
        match seg {
            "" | "." => {}
            // No segment is empty: an empty path has none left to climb out of.
            ".." if out.is_empty() => return None,
            ".." => out.truncate(out.rfind('/').unwrap_or(0)),
            s => {
                if !out.is_empty() {
                    out.push('/');
                }
                out.push_str(s);
            }
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn index() -> LinkIndex {
        let mut i = LinkIndex { by_file: HashMap::new(), default_language: "it".into() };
        let t = |lang: &str, path: &str, same_text| Target { lang: lang.into(), path: path.into(), same_text };
        let paths = vec![t("it", "prog/casa/", true), t("en", "en/prog/house/", false)];
        let named = Named { file: "prog/casa.it.md".into(), pages: paths };
        i.by_file.insert("prog/casa.it.md".into(), named.clone());
        i.by_file.insert("prog/casa.md".into(), named);
        i
    }

    #[test]
    fn paths_are_joined_to_their_folder_and_may_not_climb_out() {
        assert_eq!(joined("prog", "casa.it.md").as_deref(), Some("prog/casa.it.md"));
        assert_eq!(joined("a/b", "../c/./d.md").as_deref(), Some("a/c/d.md"));
        assert_eq!(joined("a", "../../x.md"), None);
        assert_eq!(joined("", "../x.md"), None);
        assert_eq!(joined("a/b", "../..").as_deref(), Some(""));
        assert_eq!(normalize("/x//y/../z/").as_deref(), Some("x/z"));
    }

    #[test]
    fn markdown_links_point_to_the_page_in_the_same_language() {
        let base = BaseUrl::parse("https://e.org/sub/").unwrap();
        let i = index();
        assert_eq!(i.resolve("casa.it.md", Some("prog"), "en", &base).as_deref(), Some("/sub/en/prog/house/"));
        assert_eq!(
            i.resolve("../prog/casa.md#orari", Some("prog"), "it", &base).as_deref(),
            Some("/sub/prog/casa/#orari")
        );
        assert_eq!(i.resolve("/prog/casa.it.md", None, "it", &base).as_deref(), Some("/sub/prog/casa/"));
    }

    #[test]
    fn assets_and_absolute_paths_go_under_the_base_path() {
        let base = BaseUrl::parse("https://e.org/sub/").unwrap();
        let i = index();
        assert_eq!(i.resolve("foto.jpg", Some("prog"), "it", &base).as_deref(), Some("/sub/prog/foto.jpg"));
        assert_eq!(i.resolve("/css/x.css", None, "it", &base).as_deref(), Some("/sub/css/x.css"));
        assert_eq!(i.resolve("https://x.org/a.md", None, "it", &base), None);
        assert_eq!(i.resolve("mailto:a@b.it", None, "it", &base), None);
        assert_eq!(i.locate("nope.it.md", None, "it", &base.path), Destination::NoPage);
        assert!(i.resolve("../../etc/passwd", None, "it", &base).is_none());
        assert_eq!(i.resolve("/sub/css/x.css", None, "it", &base).as_deref(), Some("/sub/css/x.css"));
        assert_eq!(i.resolve("/en/", None, "it", &base).as_deref(), Some("/sub/en/"));
    }

    #[test]
    fn a_link_leads_to_one_page_for_build_and_check() {
        let i = index();
        let page = |path, suffix, fragment| Destination::Page { path, suffix, file: "prog/casa.it.md", fragment };
        // An anchor of the Italian text, from the English page: the page that shows that text.
        assert_eq!(i.locate("casa.it.md#orari", Some("prog"), "en", "/"), page("prog/casa/", "#orari", Some("orari")));
        assert_eq!(i.locate("casa.md?x", Some("prog"), "en", "/"), page("en/prog/house/", "?x", None));
        assert_eq!(i.locate("casa.en.md", Some("prog"), "en", "/"), Destination::NoPage);
        assert!(i.is_published("prog/casa.it.md"));
        assert!(!i.is_published("prog/casa.md"), "the short name is a way to link, not a file");
    }

    #[test]
    fn link_targets_are_read_once_for_build_and_check() {
        let t = |dest| LinkTarget::of(dest, Some("prog"), "/sub/");
        assert_eq!(t("https://x.org/a.md"), LinkTarget::Elsewhere);
        assert_eq!(t("mailto:servizio.civile@comune.milano.it"), LinkTarget::Elsewhere);
        assert_eq!(t("#orari"), LinkTarget::OwnAnchor("orari"));
        assert_eq!(
            t("casa.it.md#orari"),
            LinkTarget::Page { file: "prog/casa.it.md".into(), suffix: "#orari", fragment: Some("orari") }
        );
        assert_eq!(t("/sub/prog/foto.jpg"), LinkTarget::File { path: "prog/foto.jpg".into(), suffix: "" });
        assert_eq!(t("../../x.jpg"), LinkTarget::Outside);
    }
}
