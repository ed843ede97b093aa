//! Reading the project from disk: `content/` Markdown files, other content files to copy,
//! and the theme. This is the only stage besides `write` that touches the file system.

pub mod frontmatter;
mod theme;

use std::ops::Range;
use std::path::{Path, PathBuf};

use walkdir::WalkDir;

use crate::config::{is_language_code, Config};
use crate::diagnostic::Diagnostic;

pub use theme::{load_theme, I18nText, ThemeFiles};

/// Content files larger than this are refused: a brochure page is a few KiB, and reading a
/// stray 100 MB file into memory is never what the writer meant.
pub const MAX_CONTENT_FILE_BYTES: u64 = 2 * 1024 * 1024;

/// One Markdown file of `content/`, split but not yet interpreted.
#[derive(Debug, Clone)]
pub struct SourceDoc {
    /// Path relative to the project root, for messages: `content/prog/site.en.md`.
    pub path: PathBuf,
    /// The programme folder the file is in, `None` at the top of `content/`.
    pub folder: Option<String>,
    /// File name without language and extension: `_index`, `alloggi-erp`.
    pub stem: String,
    pub lang: String,
    /// The whole file, BOM removed, for error snippets.
    pub text: String,
    front: Range<usize>,
    pub front_line: usize,
    body: Range<usize>,
    pub body_line: usize,
}

impl SourceDoc {
    pub fn front(&self) -> &str {
        &self.text[self.front.clone()]
    }
    pub fn body(&self) -> &str {
        &self.text[self.body.clone()]
    }
    /// Builds a document from text already in memory (used by `load` and by tests).
    pub fn parse(
        path: PathBuf,
        folder: Option<String>,
        stem: String,
        lang: String,
        text: String,
    ) -> Result<SourceDoc, Diagnostic> {
        let text = match text.strip_prefix('\u{feff}') {
            Some(rest) => rest.to_string(),
            None => text,
        };
        let split = frontmatter::split(&text).map_err(|e| match e {
            frontmatter::SplitError::NoFrontMatter => Diagnostic::error("the file has no front matter")
                .in_file(&path)
                .at(1, 1, Some(&text))
                .with_hint("start the file with a line `---`, the fields (title: ...), and another line `---`"),
            frontmatter::SplitError::Unclosed => Diagnostic::error("the front matter is never closed")
                .in_file(&path)
                .at(1, 1, Some(&text))
                .with_hint("add a line with only `---` after the last field"),
        })?;
        let base = text.as_ptr() as usize;
        let front_start = split.front.as_ptr() as usize - base;
        let body_start = split.body.as_ptr() as usize - base;
        Ok(SourceDoc {
            front: front_start..front_start + split.front.len(),
            front_line: split.front_line,
            body: body_start..body_start + split.body.len(),
            body_line: split.body_line,
            path,
            folder,
            stem,
            lang,
            text,
        })
    }
}

/// A non-Markdown file of `content/` (an image, a PDF), copied to the same relative path.
#[derive(Debug, Clone)]
pub struct Asset {
    pub source: PathBuf,
    pub dest: String,
}

#[derive(Debug, Default)]
pub struct Content {
    pub docs: Vec<SourceDoc>,
    pub assets: Vec<Asset>,
}

/// Walks `root/content` in sorted order; problems are collected, not fatal one by one.
pub fn load_content(root: &Path, config: &Config) -> (Content, Vec<Diagnostic>) {
    let content_dir = root.join("content");
    let mut content = Content::default();
    let mut problems = Vec::new();
    if !content_dir.is_dir() {
        problems.push(
            Diagnostic::error("there is no content/ folder")
                .in_file("content")
                .with_hint("create content/ with an _index.md home page, or run `brochure new`"),
        );
        return (content, problems);
    }
    let canonical_root = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
    let walker = WalkDir::new(&content_dir)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| !is_ignored(e.file_name().to_str().unwrap_or("")));
    for entry in walker {
        let entry = match entry {
            Ok(e) => e,
            Err(e) => {
                let shown = e.path().map(|p| shown_path(root, p)).unwrap_or_else(|| PathBuf::from("content"));
                problems.push(
                    Diagnostic::error(format!("cannot read this path: {}", e))
                        .in_file(shown)
                        .with_hint("check the file's permissions, or remove a symbolic link that loops"),
                );
                continue;
            }
        };
        let shown = shown_path(root, entry.path());
        if entry.path_is_symlink() {
            let inside = entry.path().canonicalize().is_ok_and(|p| p.starts_with(&canonical_root));
            if !inside {
                problems.push(
                    Diagnostic::error("this symbolic link points outside the project")
                        .in_file(&shown)
                        .with_hint("copy the file into content/ instead of linking to it"),
                );
                continue;
            }
        }
        if !entry.file_type().is_file() {
            continue;
        }
        let rel = entry.path().strip_prefix(&content_dir).unwrap_or(entry.path());
        match classify(rel, config) {
            Ok(Kind::Markdown { folder, stem, lang }) => match read_doc(entry.path(), &shown, folder, stem, lang) {
                Ok(doc) => content.docs.push(doc),
                Err(d) => problems.push(d),
            },
            Ok(Kind::Asset) => content
                .assets
                .push(Asset { source: entry.path().to_path_buf(), dest: rel.to_string_lossy().replace('\\', "/") }),
            Err(d) => problems.push(d.in_file(&shown)),
        }
    }
    (content, problems)
}

enum Kind {
    Markdown { folder: Option<String>, stem: String, lang: String },
    Asset,
}

/// Reads a file's place in `content/` from its path: folder, stem and language.
fn classify(rel: &Path, config: &Config) -> Result<Kind, Diagnostic> {
    let parts: Vec<&str> = rel.iter().map(|p| p.to_str().unwrap_or("\u{fffd}")).collect();
    let name = parts.last().copied().unwrap_or("");
    let Some(base) = name.strip_suffix(".md") else {
        return Ok(Kind::Asset);
    };
    if parts.iter().any(|p| p.contains('\u{fffd}')) {
        return Err(
            Diagnostic::error("the file name is not valid UTF-8").with_hint("rename the file using ordinary letters")
        );
    }
    if parts.len() > 2 {
        return Err(Diagnostic::error("Markdown files may be at most one folder deep inside content/")
            .with_hint("put a programme's sites directly in content/<programme>/"));
    }
    let (stem, lang) = match base.rsplit_once('.') {
        Some((stem, lang)) => (stem, lang),
        None => (base, config.default_language.as_str()),
    };
    if config.language(lang).is_none() {
        let known: Vec<&str> = config.languages.iter().map(|l| l.code.as_str()).collect();
        let what = if is_language_code(lang) { "a language not listed in config.yaml" } else { "not a language code" };
        return Err(Diagnostic::error(format!("`{lang}` in the file name is {what}")).with_hint(format!(
            "name the file <name>.<language>.md with one of: {}, or add the language to config.yaml",
            known.join(", ")
        )));
    }
    if stem.is_empty() {
        return Err(
            Diagnostic::error("the file name has no name before the language").with_hint("name it like alloggi.it.md")
        );
    }
    Ok(Kind::Markdown {
        folder: (parts.len() == 2).then(|| parts[0].to_string()),
        stem: stem.to_string(),
        lang: lang.to_string(),
    })
}

fn read_doc(
    path: &Path,
    shown: &Path,
    folder: Option<String>,
    stem: String,
    lang: String,
) -> Result<SourceDoc, Diagnostic> {
    let meta =
        std::fs::metadata(path).map_err(|e| Diagnostic::error(format!("cannot read the file: {e}")).in_file(shown))?;
    if meta.len() > MAX_CONTENT_FILE_BYTES {
        return Err(Diagnostic::error(format!(
            "the file is {} MiB, larger than the {} MiB a page may be",
            meta.len() / (1024 * 1024),
            MAX_CONTENT_FILE_BYTES / (1024 * 1024)
        ))
        .in_file(shown)
        .with_hint("split the page, or move large data out of content/"));
    }
    let bytes =
        std::fs::read(path).map_err(|e| Diagnostic::error(format!("cannot read the file: {e}")).in_file(shown))?;
    let text = String::from_utf8(bytes).map_err(|e| {
        let good = &e.as_bytes()[..e.utf8_error().valid_up_to()];
        let line = good.iter().filter(|b| **b == b'\n').count() + 1;
        let col = good.iter().rev().take_while(|b| **b != b'\n').count() + 1;
        Diagnostic::error("the file is not valid UTF-8 text")
            .in_file(shown)
            .at(line, col, None)
            .with_hint("save the file as UTF-8 (in Word or your editor: Save as, Encoding: UTF-8)")
    })?;
    SourceDoc::parse(shown.to_path_buf(), folder, stem, lang, text)
}

/// Editor backups, hidden files and OS clutter are never content.
fn is_ignored(name: &str) -> bool {
    (name.starts_with('.') && name != ".")
        || name.ends_with('~')
        || name.ends_with(".swp")
        || name.ends_with(".tmp")
        || name.starts_with("#")
        || name == "Thumbs.db"
}

/// `path` relative to the project root, as the writer would type it.
pub fn shown_path(root: &Path, path: &Path) -> PathBuf {
    path.strip_prefix(root).unwrap_or(path).to_path_buf()
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
            Ok(Kind::Markdown { folder, stem, lang }) => {
                assert_eq!((folder.as_deref(), stem.as_str(), lang.as_str()), (Some("prog"), "alloggi", "en"))
            }
            _ => panic!("expected markdown"),
        }
        match classify(Path::new("chi-siamo.md"), &c) {
            Ok(Kind::Markdown { folder, lang, .. }) => assert_eq!((folder, lang.as_str()), (None, "it")),
            _ => panic!("expected markdown"),
        }
        assert!(matches!(classify(Path::new("prog/foto.jpg"), &c), Ok(Kind::Asset)));
    }

    #[test]
    fn unknown_language_and_deep_files_are_errors() {
        let c = config();
        let err = classify(Path::new("page.fr.md"), &c).err().unwrap();
        assert!(err.message.contains("`fr`"), "{}", err.message);
        assert!(classify(Path::new("a/b/c.it.md"), &c).is_err());
    }
}
