//! Resolving links written in Markdown: `other.it.md`, `../page.md#part`, images beside
//! the file, and site-absolute paths, to URLs that work under the site's base path.

use std::collections::HashMap;

use crate::config::{BaseUrl, Config};
use crate::model::{Brochure, Entry};
pub use crate::url::has_scheme;

/// Content file (relative to `content/`, with `/`) -> its page's versions.
#[derive(Debug, Default)]
pub struct LinkIndex {
    by_file: HashMap<String, Vec<Target>>,
    default_language: String,
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
                let rel = doc.path.strip_prefix("content").unwrap_or(&doc.path);
                let key = rel.to_string_lossy().replace('\\', "/");
                if v.lang == self.default_language {
                    // `page.md` and `page.it.md` name the same file for the default language.
                    if let Some(short) = key.strip_suffix(&format!(".{}.md", v.lang)) {
                        self.by_file.insert(format!("{short}.md"), paths.clone());
                    }
                }
                self.by_file.insert(key, paths.clone());
            }
        }
    }

    /// The URL for `dest` written in the file `from` (relative to content/) on a page in `lang`.
    /// `None` keeps the link as written (external, anchors, mail).
    pub fn resolve(&self, dest: &str, from_folder: Option<&str>, lang: &str, base: &BaseUrl) -> Option<String> {
        if dest.is_empty() || dest.starts_with('#') || dest.starts_with("//") || has_scheme(dest) {
            return None;
        }
        let (path, fragment) = match dest.find(['#', '?']) {
            Some(i) => dest.split_at(i),
            None => (dest, ""),
        };
        let joined = if let Some(abs) = path.strip_prefix('/') {
            if !path.ends_with(".md") {
                // Already under the base path, or a site-absolute path to put under it.
                return (!dest.starts_with(&base.path)).then(|| base.href(abs) + fragment);
            }
            normalize(abs)?
        } else {
            let within = from_folder.map(|f| format!("{f}/{path}")).unwrap_or_else(|| path.to_string());
            normalize(&within)?
        };
        if joined.ends_with(".md") {
            let versions = self.by_file.get(&joined)?;
            let in_lang = versions.iter().find(|t| t.lang == lang);
            // An anchor names a heading of the file written: when this language's page shows
            // another file (a translation), the link goes to the page of the file named.
            let anchored = fragment.len() > 1 && fragment.starts_with('#');
            let target = match in_lang {
                Some(t) if !anchored || t.same_text => Some(t),
                _ => versions.iter().find(|t| t.same_text),
            }
            .or(versions.first())?;
            return Some(base.href(&target.path) + fragment);
        }
        Some(base.href(&joined) + fragment)
    }

    /// Whether `dest` names a content Markdown file that does not exist.
    pub fn is_broken_page_link(&self, dest: &str, from_folder: Option<&str>, lang: &str, base: &BaseUrl) -> bool {
        let path = dest.split(['#', '?']).next().unwrap_or("");
        path.ends_with(".md") && !has_scheme(dest) && self.resolve(dest, from_folder, lang, base).is_none()
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
    let mut parts: Vec<&str> = Vec::new();
    for seg in path.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            s => parts.push(s),
        }
    }
    Some(parts.join("/"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn index() -> LinkIndex {
        let mut i = LinkIndex { by_file: HashMap::new(), default_language: "it".into() };
        let t = |lang: &str, path: &str, same_text| Target { lang: lang.into(), path: path.into(), same_text };
        let paths = vec![t("it", "prog/casa/", true), t("en", "en/prog/house/", false)];
        i.by_file.insert("prog/casa.it.md".into(), paths.clone());
        i.by_file.insert("prog/casa.md".into(), paths);
        i
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
        assert!(i.is_broken_page_link("nope.it.md", None, "it", &base));
        assert!(i.resolve("../../etc/passwd", None, "it", &base).is_none());
    }
}
