//! The site as published: the real content and the right-to-left fixture
//! (`tests/fixtures/quality-rtl/`), each built with the real theme for an address in a
//! subfolder, read back as files answering URLs, and checked the way a visitor, a search
//! engine and a validator would meet them. No server is needed for the checks over files:
//! a URL is resolved to the file of the output that a plain web host would serve for it.
//! Each check is also run on `tests/fixtures/published-broken/`, whose planted flaws it
//! must report (and only those), so that a check that cannot fail is noticed.
//!
//! The checks that need another program are ignored by default and run by `.ci/run`:
//! `vnu` (Java), `xmllint`, the browser run (axe-core in Chromium) and Lighthouse (Node and
//! Chromium).

mod browser;
mod external;
mod html;
mod lighthouse;
mod links;
mod refs;
mod shots;
mod sitemap;
mod vnu;
mod xmllint;

use std::collections::{BTreeMap, HashSet};
use std::fmt;
use std::path::PathBuf;

use tempfile::TempDir;
use url::Url;

use crate::project::{copy_tree, repo, tree, Project};
use html::Tag;

/// The address both builds are checked at; no server listens there.
pub const BASE: &str = "http://127.0.0.1:8123/sub/";
/// The right-to-left fixture, two folders deep.
pub const RTL_BASE: &str = "http://127.0.0.1:8123/rtl/site/";
/// The address the broken fixture's absolute URLs were written for.
pub const BROKEN_BASE: &str = "http://127.0.0.1:8000/sub/";

/// A built site on disk and the address it is published at.
pub struct Published {
    pub name: &'static str,
    /// The output folder, answering for `base`.
    pub dir: PathBuf,
    /// The folder a web host serves at the root of `base`'s host (`dir` is inside it).
    pub www: PathBuf,
    pub base: Url,
    /// Every file of the output by its path relative to `dir` (with `/`), and its bytes.
    pub files: BTreeMap<String, Vec<u8>>,
    pages: BTreeMap<String, Vec<Tag>>,
    /// Holds `www`, removed with the site.
    _www: TempDir,
}

impl Published {
    /// The repository's content, config and theme, built for `base`.
    pub fn real(base: &str) -> Published {
        Published::build("milano", Project::real(), base)
    }

    /// `tests/fixtures/quality-rtl/` (Italian, English, Arabic) with the real theme.
    pub fn rtl(base: &str) -> Published {
        Published::build("rtl", Project::fixture("quality-rtl"), base)
    }

    /// The deliberately broken site of `tests/fixtures/published-broken/site/`, placed
    /// under the subfolder of `base`.
    pub fn broken(base: &str) -> Published {
        let (www, dir) = folders(base);
        copy_tree(&repo().join("tests/fixtures/published-broken/site"), &dir);
        Published::read("broken", www, dir, base)
    }

    fn build(name: &'static str, project: Project, base: &str) -> Published {
        let (www, dir) = folders(base);
        let mut options = project.options();
        options.output = Some(dir.clone());
        options.base_url = Some(base.to_string());
        if let Err(e) = brochure::build(&options) {
            panic!("build of {name} failed: {}", crate::project::describe(&e));
        }
        Published::read(name, www, dir, base)
    }

    fn read(name: &'static str, www: TempDir, dir: PathBuf, base: &str) -> Published {
        let files: BTreeMap<String, Vec<u8>> =
            tree(&dir).into_iter().map(|(path, bytes)| (path.to_string_lossy().replace('\\', "/"), bytes)).collect();
        let pages = files
            .iter()
            .filter(|(rel, _)| rel.ends_with(".html"))
            .map(|(rel, bytes)| (rel.clone(), html::parse(&String::from_utf8_lossy(bytes))))
            .collect();
        let base = Url::parse(base).expect("a base URL");
        Published { name, dir, www: www.path().to_path_buf(), base, files, pages, _www: www }
    }

    /// The same output read again, after a test changed it.
    pub fn reread(self) -> Published {
        let Published { name, dir, base, _www, .. } = self;
        Published::read(name, _www, dir, base.as_str())
    }

    /// A file of the output as text.
    pub fn text(&self, rel: &str) -> String {
        String::from_utf8_lossy(&self.files[rel]).into_owned()
    }

    /// The HTML files with their start tags, in path order.
    pub fn pages(&self) -> impl Iterator<Item = (&str, &[Tag])> {
        self.pages.iter().map(|(rel, tags)| (rel.as_str(), tags.as_slice()))
    }

    pub fn tags(&self, rel: &str) -> &[Tag] {
        &self.pages[rel]
    }

    pub fn ids(&self, rel: &str) -> HashSet<String> {
        html::ids(self.tags(rel))
    }

    /// The URL a file is served at (`a/index.html` at `a/`).
    pub fn url_of(&self, rel: &str) -> Url {
        let mut url = self.base.clone();
        let page = rel.strip_suffix("index.html").filter(|p| p.is_empty() || p.ends_with('/')).unwrap_or(rel);
        url.path_segments_mut().expect("a base URL with a path").pop_if_empty().extend(page.split('/'));
        url
    }

    /// The file a web host serves for `url`, or why there is none.
    pub fn resolve(&self, url: &Url) -> Result<String, Unresolved> {
        if url.origin() != self.base.origin() {
            return Err(Unresolved::OtherHost(url.host_str().unwrap_or("").to_string()));
        }
        let Some(rel) = url.path().strip_prefix(self.base.path()) else {
            return Err(Unresolved::OutsideFolder(self.base.path().to_string()));
        };
        let mut rel = brochure::percent::decode(rel, false).ok_or(Unresolved::Undecodable)?;
        if rel.is_empty() || rel.ends_with('/') {
            rel.push_str("index.html");
        }
        if self.files.contains_key(&rel) {
            Ok(rel)
        } else if self.files.range(format!("{rel}/")..).next().is_some_and(|(f, _)| f.starts_with(&format!("{rel}/"))) {
            Err(Unresolved::Folder(rel))
        } else {
            Err(Unresolved::NoFile(rel))
        }
    }
}

/// A temporary folder served at the host's root, and the output folder at `base`'s path in it.
fn folders(base: &str) -> (TempDir, PathBuf) {
    let www = tempfile::tempdir().expect("temporary folder");
    let dir = www.path().join(Url::parse(base).expect("a base URL").path().trim_matches('/'));
    (www, dir)
}

/// Why a URL of the site answers with no file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Unresolved {
    OtherHost(String),
    /// A root-relative URL that forgets the base URL's subfolder (given).
    OutsideFolder(String),
    /// Badly percent-encoded.
    Undecodable,
    /// A folder without its final slash: relative links on the page would break.
    Folder(String),
    NoFile(String),
}

impl fmt::Display for Unresolved {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Unresolved::OtherHost(host) => write!(f, "another host ({host})"),
            Unresolved::OutsideFolder(folder) => write!(f, "outside the site's folder {folder}"),
            Unresolved::Undecodable => write!(f, "badly percent-encoded path"),
            Unresolved::Folder(rel) => write!(f, "{rel} is a folder: link to {rel}/ with the slash"),
            Unresolved::NoFile(rel) => write!(f, "no file {rel} in the output"),
        }
    }
}

/// One thing a check found wrong, where it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding<F> {
    pub file: String,
    pub line: usize,
    pub fault: F,
}

impl<F: fmt::Display> fmt::Display for Finding<F> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}: {}", self.file, self.line, self.fault)
    }
}

/// Fails the test listing every finding, under the check's name and the site's.
#[track_caller]
pub fn assert_none<F: fmt::Display>(check: &str, site: &Published, findings: &[Finding<F>]) {
    if !findings.is_empty() {
        let list: Vec<String> = findings.iter().map(|f| format!("  {}: {f}", site.name)).collect();
        panic!(
            "{check} found {} problem(s) in {} (built in {}):\n{}",
            findings.len(),
            site.name,
            site.dir.display(),
            list.join("\n")
        );
    }
}

/// The findings as (file, line, fault), to compare with the planted flaws.
pub fn located<F: Clone>(findings: &[Finding<F>]) -> Vec<(&str, usize, F)> {
    findings.iter().map(|f| (f.file.as_str(), f.line, f.fault.clone())).collect()
}

/// Where the test run keeps what a person may want to look at (screenshots).
pub fn quality_dir() -> PathBuf {
    repo().join("target/quality")
}

/// A file that `npm ci` in `tools/` installs, or a failed test saying how to get it.
pub fn installed_tool(rel: &str) -> PathBuf {
    let path = repo().join("tools/node_modules").join(rel);
    assert!(
        path.is_file(),
        "{} is missing: run `npm ci --ignore-scripts` in tools/ (see tools/README.md)",
        path.display()
    );
    path
}
