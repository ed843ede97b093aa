//! What a publish sends and deletes, and in which order: decided from the built folder and
//! the host's manifest alone, so `--dry-run` shows exactly what a real publish would do.

use std::collections::BTreeMap;
use std::io;
use std::path::Path;

use super::manifest::{Manifest, Sent, MANIFEST};
use crate::hashing::ContentHash;

/// One file of the built site.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SiteFile {
    /// `en/index.html`, `/`-separated on every system.
    pub path: String,
    pub sent: Sent,
}

/// The files of the built site that are published: all but the build's own bookkeeping
/// (the output-folder marker and the PDF record), which only the next local build reads.
pub fn site_files(output: &Path) -> io::Result<Vec<SiteFile>> {
    let internal = [crate::write::MARKER, crate::pdf::RECORD, MANIFEST];
    let mut files = Vec::new();
    for entry in walkdir::WalkDir::new(output).sort_by_file_name() {
        let entry = entry.map_err(io::Error::other)?;
        if !entry.file_type().is_file() {
            continue;
        }
        let rel = entry.path().strip_prefix(output).map_err(io::Error::other)?;
        let parts: Vec<String> = rel.components().map(|c| c.as_os_str().to_string_lossy().into_owned()).collect();
        let path = parts.join("/");
        if parts.len() == 1 && internal.contains(&path.as_str()) {
            continue;
        }
        let bytes = std::fs::read(entry.path())?;
        files.push(SiteFile { path, sent: Sent { hash: ContentHash::of(&bytes), bytes: bytes.len() as u64 } });
    }
    Ok(files)
}

/// When a file is sent: each stage only links to files of earlier stages, so a visitor
/// never follows a link to a file that is not there yet.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Stage {
    /// Style sheets, scripts, images, PDFs: what pages link to.
    Asset,
    /// Every page but the home pages.
    Page,
    /// `index.html` at the root and at each language's root: what links to everything.
    Home,
    /// `sitemap.xml` and `robots.txt`: what search engines follow.
    Index,
}

/// The stage of a site path; `languages` are the site's language codes.
pub fn stage(path: &str, languages: &[String]) -> Stage {
    let top_level = !path.contains('/');
    if top_level && (path == "robots.txt" || (path.starts_with("sitemap") && path.ends_with(".xml"))) {
        Stage::Index
    } else if path == "index.html" || languages.iter().any(|l| path.strip_prefix(l.as_str()) == Some("/index.html")) {
        Stage::Home
    } else if path.ends_with(".html") {
        Stage::Page
    } else {
        Stage::Asset
    }
}

/// Whether a file is new on the host or replaces one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Change {
    Add,
    Replace,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Upload {
    pub path: String,
    pub bytes: u64,
    pub change: Change,
}

/// Everything a publish does, in order: `uploads`, then `deletions`, then the manifest.
#[derive(Debug, Clone, Default)]
pub struct Plan {
    pub uploads: Vec<Upload>,
    /// Files the host's manifest lists that the site no longer has, with their size when known.
    pub deletions: Vec<(String, u64)>,
    /// Files already on the host as they are in the site.
    pub unchanged: usize,
    /// The manifest that describes the host once the plan is carried out.
    pub manifest: Manifest,
}

impl Plan {
    /// Compares the site with what the host's manifest says is there.
    pub fn new(site: &[SiteFile], on_host: &Manifest, languages: &[String]) -> Plan {
        let mut plan = Plan::default();
        for file in site {
            plan.manifest.files.insert(file.path.clone(), Some(file.sent));
            let change = match on_host.files.get(&file.path) {
                None => Change::Add,
                Some(Some(sent)) if *sent == file.sent => {
                    plan.unchanged += 1;
                    continue;
                }
                // Changed, or sent by a publish that did not finish.
                Some(_) => Change::Replace,
            };
            plan.uploads.push(Upload { path: file.path.clone(), bytes: file.sent.bytes, change });
        }
        plan.uploads.sort_by(|a, b| (stage(&a.path, languages), &a.path).cmp(&(stage(&b.path, languages), &b.path)));
        let site_paths: BTreeMap<&str, ()> = site.iter().map(|f| (f.path.as_str(), ())).collect();
        plan.deletions = on_host
            .files
            .iter()
            .filter(|(path, _)| !site_paths.contains_key(path.as_str()))
            .map(|(path, sent)| (path.clone(), sent.map_or(0, |s| s.bytes)))
            .collect();
        plan
    }

    /// The manifest to write before the first upload, when files are added: the host's,
    /// plus each new file marked unfinished. An interrupted publish then leaves a manifest
    /// that lists every file it may have put there, so the next run finishes or removes them.
    pub fn manifest_before(&self, on_host: &Manifest) -> Option<Manifest> {
        let added: Vec<&Upload> = self.uploads.iter().filter(|u| u.change == Change::Add).collect();
        if added.is_empty() {
            return None;
        }
        let mut before = on_host.clone();
        for upload in added {
            before.files.insert(upload.path.clone(), None);
        }
        Some(before)
    }

    pub fn is_empty(&self) -> bool {
        self.uploads.is_empty() && self.deletions.is_empty()
    }

    /// (files, bytes) added, replaced and deleted.
    pub fn totals(&self) -> [(usize, u64); 3] {
        let sum = |change| {
            let matching = self.uploads.iter().filter(|u| u.change == change);
            matching.fold((0, 0), |(n, b), u| (n + 1, b + u.bytes))
        };
        let deleted = self.deletions.iter().fold((0, 0), |(n, b), (_, bytes)| (n + 1, b + bytes));
        [sum(Change::Add), sum(Change::Replace), deleted]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(path: &str, text: &str) -> SiteFile {
        SiteFile { path: path.into(), sent: Sent { hash: ContentHash::of(text.as_bytes()), bytes: text.len() as u64 } }
    }

    #[test]
    fn assets_go_first_then_pages_then_home_pages_then_the_sitemap() {
        let langs = vec!["it".to_string(), "en".to_string()];
        let site = [
            file("robots.txt", "r"),
            file("sitemap.xml", "s"),
            file("index.html", "h"),
            file("en/index.html", "h"),
            file("en/prog/index.html", "p"),
            file("404.html", "p"),
            file("prog/leaflet.pdf", "pdf"),
            file("static/site.css", "c"),
        ];
        let plan = Plan::new(&site, &Manifest::default(), &langs);
        let order: Vec<&str> = plan.uploads.iter().map(|u| u.path.as_str()).collect();
        assert_eq!(
            order,
            [
                "prog/leaflet.pdf",
                "static/site.css",
                "404.html",
                "en/prog/index.html",
                "en/index.html",
                "index.html",
                "robots.txt",
                "sitemap.xml"
            ]
        );
        assert_eq!(plan.totals()[0], (8, 10), "eight new files of ten bytes");
    }

    #[test]
    fn only_changed_files_are_sent_and_only_listed_files_deleted() {
        let langs = vec!["it".to_string()];
        let old = Plan::new(
            &[file("a.html", "1"), file("b.html", "2"), file("gone.html", "3")],
            &Manifest::default(),
            &langs,
        );
        let plan = Plan::new(&[file("a.html", "1"), file("b.html", "22"), file("c.css", "x")], &old.manifest, &langs);
        let sent: Vec<(&str, Change)> = plan.uploads.iter().map(|u| (u.path.as_str(), u.change)).collect();
        assert_eq!(sent, [("c.css", Change::Add), ("b.html", Change::Replace)]);
        assert_eq!(plan.deletions, [("gone.html".to_string(), 1)]);
        assert_eq!(plan.unchanged, 1);
        let before = plan.manifest_before(&old.manifest).unwrap();
        assert_eq!(before.files.get("c.css"), Some(&None));
        assert!(before.files.contains_key("gone.html"), "not deleted yet, so still listed");
    }

    #[test]
    fn an_unfinished_upload_is_sent_again() {
        let langs = vec!["it".to_string()];
        let mut host = Manifest::default();
        host.files.insert("a.html".into(), None);
        let plan = Plan::new(&[file("a.html", "1")], &host, &langs);
        assert_eq!(plan.uploads.len(), 1);
        assert_eq!(plan.uploads[0].change, Change::Replace);
    }
}
