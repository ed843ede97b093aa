//! Reading `content/`: Markdown files become [`SourceDoc`]s, other files are copied as
//! assets. A [`ContentStore`] keeps what was read, so that `serve` re-reads only the paths
//! the watcher names; a full read and a read refreshed path by path give the same content.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;
use walkdir::WalkDir;

use super::{is_ignored, shown_path, Asset, PageName, Reading, SourceDoc};
use crate::config::{is_language_code, Config};
use crate::diagnostic::{Diagnostic, Kind};

#[derive(Debug, Default)]
pub struct Content {
    pub docs: Vec<Arc<SourceDoc>>,
    pub assets: Vec<Asset>,
    /// Pages with a file that could not be read (its problem is reported).
    pub unreadable: Vec<PageName>,
}

/// What one path of `content/` gave when it was read.
#[derive(Debug, Clone)]
enum Item {
    Doc(Arc<SourceDoc>),
    Asset(Asset),
    /// A problem, and the page the file was meant to be when that is known.
    Problem(Diagnostic, Option<PageName>),
}

/// What [`ContentStore::refresh_docs`] found.
#[derive(Debug)]
pub enum Refreshed {
    /// Only the bodies of documents already read changed (the text after the front
    /// matter): the documents as they were and as now read.
    Bodies(Vec<(Arc<SourceDoc>, Arc<SourceDoc>)>),
    /// Only documents already read changed, some in their front matter.
    Documents,
    /// Anything else, or what may be: a new, deleted or renamed file, a folder, a file that
    /// is not a document or is outside `content/`, a file that cannot be read.
    More,
}

/// `content/` as last read: one item per path, in the order of a sorted walk.
#[derive(Debug)]
pub struct ContentStore {
    root: PathBuf,
    /// Keyed by the path inside `content/`; `Path`'s order is the walk's order.
    items: BTreeMap<PathBuf, Item>,
    /// Whether documents keep their bodies in memory.
    reading: Reading,
    /// Set when there is no `content/` folder at all.
    missing: bool,
    /// A symbolic link inside `content/` hides its target's changes from the path named in
    /// an event: with one, every refresh reads everything again.
    symlinks: bool,
}

/// Walks `root/content` in sorted order; problems are collected, not fatal one by one.
pub fn load_content(root: &Path, config: &Config) -> (Content, Vec<Diagnostic>) {
    ContentStore::read(root, config, Reading::KeepBody).content()
}

impl ContentStore {
    /// Reads all of `root/content`.
    pub fn read(root: &Path, config: &Config, reading: Reading) -> ContentStore {
        let mut store =
            ContentStore { root: root.to_path_buf(), items: BTreeMap::new(), reading, missing: false, symlinks: false };
        let dir = root.join("content");
        if dir.is_dir() {
            store.walk(&dir, config);
        } else {
            store.missing = true;
        }
        store
    }

    /// Reads again the given paths (absolute or under the project root as given to
    /// [`ContentStore::read`]), which may be files or folders, new, changed or deleted.
    pub fn refresh(&mut self, config: &Config, changed: &[PathBuf]) {
        let dir = self.root.join("content");
        for path in changed {
            let Ok(rel) = path.strip_prefix(&dir) else { continue };
            if rel.as_os_str().is_empty() || self.missing || self.symlinks {
                *self = ContentStore::read(&self.root, config, self.reading);
                return;
            }
            if rel.iter().any(|c| is_ignored(c.to_str().unwrap_or(""))) {
                continue;
            }
            // The path and everything under it: in `Path` order they follow it directly.
            let gone: Vec<PathBuf> = self
                .items
                .range(rel.to_path_buf()..)
                .map(|(k, _)| k)
                .take_while(|k| k.starts_with(rel))
                .cloned()
                .collect();
            for k in gone {
                self.items.remove(&k);
            }
            match std::fs::symlink_metadata(path) {
                Err(_) => {} // deleted, or moved away
                Ok(m) if m.file_type().is_symlink() => {
                    *self = ContentStore::read(&self.root, config, self.reading);
                    return;
                }
                Ok(m) if m.is_dir() => self.walk(path, config),
                Ok(m) => {
                    if let Some(item) = self.item(path, m.is_file(), config) {
                        self.items.insert(rel.to_path_buf(), item);
                    }
                }
            }
        }
    }

    /// Reads again the given paths, as [`ContentStore::refresh`], and tells what kind of
    /// change that was, for serve to do only its work: see [`Refreshed`]. A path that names
    /// nothing before and after (an editor's passing file) changes nothing.
    pub fn refresh_docs(&mut self, config: &Config, changed: &[PathBuf]) -> Refreshed {
        let dir = self.root.join("content");
        let rels: Option<Vec<PathBuf>> = changed
            .iter()
            .map(|p| p.strip_prefix(&dir).ok().filter(|r| !r.as_os_str().is_empty()).map(Path::to_path_buf))
            .collect();
        let (Some(rels), false, false) = (rels, self.missing, self.symlinks) else {
            self.refresh(config, changed);
            return Refreshed::More;
        };
        let before: Option<Vec<Option<Item>>> = rels.iter().map(|r| self.file_at(r)).collect();
        self.refresh(config, changed);
        let Some(before) = before else { return Refreshed::More };
        let mut bodies = Vec::new();
        let mut heads = false;
        for (rel, old) in rels.iter().zip(before) {
            match (old, self.file_at(rel)) {
                (None, Some(None)) => {}
                (Some(Item::Doc(old)), Some(Some(Item::Doc(new)))) => {
                    heads |= old.head() != new.head();
                    bodies.push((old, new));
                }
                _ => return Refreshed::More,
            }
        }
        match heads {
            false => Refreshed::Bodies(bodies),
            true => Refreshed::Documents,
        }
    }

    /// The item read from the file at `rel`, `Some(None)` when there is none; `None` for a
    /// folder (items under it).
    fn file_at(&self, rel: &Path) -> Option<Option<Item>> {
        match self.items.get(rel) {
            Some(item) => Some(Some(item.clone())),
            None if self.items.range(rel.to_path_buf()..).next().is_some_and(|(k, _)| k.starts_with(rel)) => None,
            None => Some(None),
        }
    }

    /// The documents and assets in walk order, and the problems met reading them.
    pub fn content(&self) -> (Content, Vec<Diagnostic>) {
        let mut content = Content::default();
        let mut problems = Vec::new();
        if self.missing {
            problems.push(
                Diagnostic::error("there is no content/ folder")
                    .in_file("content")
                    .with_hint("create content/ with an _index.md home page, or run `brochure new`"),
            );
        }
        for item in self.items.values() {
            match item {
                Item::Doc(d) => content.docs.push(Arc::clone(d)),
                Item::Asset(a) => content.assets.push(a.clone()),
                Item::Problem(d, page) => {
                    problems.push(d.clone());
                    content.unreadable.extend(page.clone());
                }
            }
        }
        (content, problems)
    }

    /// Reads a folder of `content/` (or all of it) into the store.
    fn walk(&mut self, from: &Path, config: &Config) {
        let dir = self.root.join("content");
        let resolved_root = crate::symlinks::resolved_root(&self.root);
        let mut walker = WalkDir::new(from)
            .follow_links(true)
            .sort_by_file_name()
            .into_iter()
            .filter_entry(|e| !is_ignored(e.file_name().to_str().unwrap_or("")));
        // The files found, read after the walk on rayon's threads: reading them one after the
        // other took a sixth of the model's time at 10,000 pages.
        let mut files = Vec::new();
        while let Some(entry) = walker.next() {
            let entry = match entry {
                Ok(e) => e,
                Err(e) => {
                    let at = e.path().unwrap_or(from).to_path_buf();
                    let problem = Diagnostic::error(format!("cannot read this path: {}", e))
                        .in_file(shown_path(&self.root, &at))
                        .with_hint("check the file's permissions, or remove a symbolic link that loops");
                    self.items.insert(at.strip_prefix(&dir).unwrap_or(&at).to_path_buf(), Item::Problem(problem, None));
                    continue;
                }
            };
            let rel = entry.path().strip_prefix(&dir).unwrap_or(entry.path()).to_path_buf();
            if entry.path_is_symlink() {
                self.symlinks = true;
                if !crate::symlinks::leads_inside(entry.path(), &resolved_root) {
                    let hint = "copy the file into content/ instead of linking to it";
                    let problem = super::link_outside(&self.root, entry.path(), hint);
                    self.items.insert(rel, Item::Problem(problem, None));
                    if entry.file_type().is_dir() {
                        walker.skip_current_dir(); // reported once, never read
                    }
                    continue;
                }
            }
            if entry.file_type().is_file() {
                files.push((rel, entry.into_path()));
            }
        }
        let read: Vec<(PathBuf, Item)> =
            files.into_par_iter().filter_map(|(rel, path)| Some((rel, self.item(&path, true, config)?))).collect();
        self.items.extend(read);
    }

    /// What a path of `content/` gives: a document, an asset, a problem, or nothing (a folder).
    fn item(&self, path: &Path, is_file: bool, config: &Config) -> Option<Item> {
        if !is_file {
            return None;
        }
        let dir = self.root.join("content");
        let shown = shown_path(&self.root, path);
        let rel = path.strip_prefix(&dir).unwrap_or(path);
        Some(match classify(rel, config) {
            Ok(FileKind::Markdown { folder, stem, lang }) => {
                let page = PageName { folder: folder.clone(), stem: stem.clone() };
                match SourceDoc::read(path, &shown, (folder, stem, lang), self.reading) {
                    Ok(doc) => Item::Doc(Arc::new(doc)),
                    Err(d) => Item::Problem(d.of_kind(Kind::UnreadableFile), Some(page)),
                }
            }
            Ok(FileKind::Asset) => {
                Item::Asset(Asset { source: path.to_path_buf(), dest: rel.to_string_lossy().replace('\\', "/") })
            }
            Err(Refused { problem, page }) => Item::Problem(problem.in_file(&shown), page),
        })
    }
}

enum FileKind {
    Markdown { folder: Option<String>, stem: String, lang: String },
    Asset,
}

/// A file of content/ that is neither a page nor published: why, and the page it was meant
/// to be, when it was meant to be one.
struct Refused {
    problem: Diagnostic,
    page: Option<PageName>,
}

/// Extensions of Markdown files other than `.md`, compared in lower case.
const MARKDOWN_EXTENSIONS: &[&str] = &["md", "markdown", "mdown", "mkd", "mkdn", "mdwn"];

/// Reads a file's place in `content/` from its path: folder, stem and language.
fn classify(rel: &Path, config: &Config) -> Result<FileKind, Refused> {
    let parts: Vec<&str> = rel.iter().map(|p| p.to_str().unwrap_or("\u{fffd}")).collect();
    let name = parts.last().copied().unwrap_or("");
    let refused = |problem: Diagnostic, page| Refused { problem: problem.of_kind(Kind::UnreadableFile), page };
    let Some(base) = name.strip_suffix(".md") else {
        return lookalike(rel, name, config);
    };
    if parts.iter().any(|p| p.contains('\u{fffd}')) {
        return Err(refused(
            Diagnostic::error("the file name is not valid UTF-8").with_hint("rename the file using ordinary letters"),
            None,
        ));
    }
    if parts.len() > 2 {
        return Err(refused(
            Diagnostic::error("Markdown files may be at most one folder deep inside content/")
                .with_hint("put a programme's sites directly in content/<programme>/"),
            None,
        ));
    }
    let folder = (parts.len() == 2).then(|| parts[0].to_string());
    let (stem, lang) = match base.rsplit_once('.') {
        Some((stem, lang)) => (stem, lang),
        None => (base, config.default_language.as_str()),
    };
    if config.language(lang).is_none() {
        let page = Some(PageName { folder, stem: stem.to_string() });
        return Err(refused(unknown_language(stem, lang, config), page));
    }
    if stem.is_empty() {
        return Err(refused(
            Diagnostic::error("the file name has no name before the language").with_hint("name it like alloggi.it.md"),
            None,
        ));
    }
    Ok(FileKind::Markdown { folder, stem: stem.to_string(), lang: lang.to_string() })
}

/// `sede.ita.md`: the language part is not a configured code; suggests the likely one.
fn unknown_language(stem: &str, lang: &str, config: &Config) -> Diagnostic {
    let known: Vec<&str> = config.languages.iter().map(|l| l.code.as_str()).collect();
    let what = if is_language_code(lang) { "a language not listed in config.yaml" } else { "not a language code" };
    // `ita`, `eng`, `IT`, `en-GB`: the writer meant the configured code these begin with.
    let lower = lang.to_lowercase();
    let primary = lower.split('-').next().unwrap_or_default();
    let meant = known.iter().find(|&&c| lower == c || primary == c || (primary.len() == 3 && primary.starts_with(c)));
    let hint = match meant {
        Some(code) => format!(
            "rename the file to `{stem}.{code}.md`: the language is written as in config.yaml ({})",
            known.join(", ")
        ),
        None => format!(
            "name the file <name>.<language>.md with one of: {}, or add the language to config.yaml",
            known.join(", ")
        ),
    };
    Diagnostic::error(format!("`{lang}` in the file name is {what}")).with_hint(hint)
}

/// A file not named `.md`: an asset, unless it looks like a page, which brochure would
/// otherwise copy as plain text, front matter and drafts included. A backup of a page
/// (`wemi.it.md.bak`) is left out with a warning; a page with another extension
/// (`x.it.MD`, `x.it.markdown`) is refused, since its writer meant it to be a page.
fn lookalike(rel: &Path, name: &str, config: &Config) -> Result<FileKind, Refused> {
    let lower = name.to_lowercase();
    let pieces: Vec<&str> = lower.split('.').collect();
    let extension = pieces.last().copied().unwrap_or("");
    if pieces.len() > 1 && MARKDOWN_EXTENSIONS.contains(&extension) {
        let stem = &name[..name.len() - extension.len() - 1];
        let renamed = format!("{stem}.md");
        let page = match classify(&rel.with_file_name(&renamed), config) {
            Ok(FileKind::Markdown { folder, stem, .. }) => Some(PageName { folder, stem }),
            _ => None,
        };
        let problem = Diagnostic::error(format!("`{name}` would be published as a plain file, not made a page"))
            .of_kind(Kind::NotAPage)
            .with_hint(format!(
                "brochure reads pages from files ending in `.md` (lower case): rename it to `{renamed}`"
            ));
        return Err(Refused { problem, page });
    }
    let copy_of_page = pieces.len() > 2 && pieces[1..pieces.len() - 1].iter().any(|p| MARKDOWN_EXTENSIONS.contains(p));
    if copy_of_page {
        let problem = Diagnostic::warning(format!("`{name}` looks like a copy of a page: it is left out of the site"))
            .of_kind(Kind::NotAPage)
            .with_hint("brochure never publishes copies of pages; delete it, or keep it outside content/");
        return Err(Refused { problem, page: None });
    }
    Ok(FileKind::Asset)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config() -> Config {
        crate::yaml::from_str(
            "title: {it: T}\nbase_url: https://e.org/\ndefault_language: it\nlanguages: [{code: it, name: I}, {code: en, name: E}]\n",
        )
        .unwrap()
    }

    #[test]
    fn file_names_give_folder_stem_and_language() {
        let c = config();
        match classify(Path::new("prog/alloggi.en.md"), &c) {
            Ok(FileKind::Markdown { folder, stem, lang }) => {
                assert_eq!((folder.as_deref(), stem.as_str(), lang.as_str()), (Some("prog"), "alloggi", "en"))
            }
            _ => panic!("expected markdown"),
        }
        match classify(Path::new("chi-siamo.md"), &c) {
            Ok(FileKind::Markdown { folder, lang, .. }) => assert_eq!((folder, lang.as_str()), (None, "it")),
            _ => panic!("expected markdown"),
        }
        assert!(matches!(classify(Path::new("prog/foto.jpg"), &c), Ok(FileKind::Asset)));
    }

    #[test]
    fn unknown_language_and_deep_files_are_errors() {
        let c = config();
        let err = classify(Path::new("page.fr.md"), &c).err().unwrap().problem;
        assert!(err.message.contains("`fr`"), "{}", err.message);
        assert!(classify(Path::new("a/b/c.it.md"), &c).is_err());
    }
}
