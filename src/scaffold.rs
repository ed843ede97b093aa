//! `brochure new ...` and `brochure stamp FILE`: starting files for writers.
//!
//! Each created file holds every field of its kind, each followed by a plain-words comment;
//! required fields hold a placeholder the build accepts, optional ones are left empty. New
//! files start as drafts (`draft: true`), so a placeholder address or an untranslated copy is
//! never published by accident: a new page shows with `build --drafts`, and goes live when
//! the writer sets `draft: false`. A new translation copies the source's text fields to be
//! translated, leaves out the facts it inherits, and carries the source's stamp (see
//! [`crate::stamp`]).
//!
//! Unlike the build, which writes only its output folder, this module writes into `content/`,
//! on the writer's request. It never replaces a file: `stamp` rewrites one line of a
//! translation, through a temporary file renamed over it. The files' text is made in `text`.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::{Map, Value};
use thiserror::Error;

use crate::config::Config;
use crate::diagnostic::Diagnostic;
use crate::load::SourceDoc;
use crate::model::front::{self, PageFront, ProgrammeFront, SiteFront};
pub use crate::slug::{is_plain_name, suggest_name};
use crate::stamp;

pub mod init;
mod text;

pub(crate) use text::yaml_string;

/// Why a file could not be created or stamped; [`ScaffoldError::hint`] says what to do.
#[derive(Debug, Error)]
pub enum ScaffoldError {
    #[error("`{name}` cannot be the name of a {what}")]
    BadName { name: String, what: &'static str, suggestion: String },
    #[error("`{lang}` is not a language of this site")]
    UnknownLanguage { lang: String, known: Vec<String> },
    #[error("`{lang}` is the default language, the language of the source {}", path.display())]
    DefaultLanguage { lang: String, path: PathBuf, others: Vec<String> },
    #[error("there is no programme `{name}`")]
    UnknownProgramme { name: String, known: Vec<String> },
    #[error("{} already exists", path.display())]
    Exists { path: PathBuf },
    #[error("the folder {} already holds a project: {}", dir.display(), found.iter().map(|p| p.display().to_string()).collect::<Vec<_>>().join(", "))]
    ProjectExists { dir: PathBuf, found: Vec<PathBuf> },
    #[error("the address /{name}/ is already taken by {}", other.display())]
    NameTaken { name: String, other: PathBuf },
    #[error("cannot find {}", path.display())]
    NotFound { path: PathBuf },
    #[error("{} is not a page of content/", path.display())]
    NotContent { path: PathBuf },
    #[error("{} is in the default language, so it is not a translation", path.display())]
    NotATranslation { path: PathBuf },
    #[error("{} has no source file in the default language", path.display())]
    NoSource { path: PathBuf, expected: PathBuf },
    #[error("{}: {message}", path.display())]
    Invalid { path: PathBuf, message: String },
    #[error("cannot {action} {}: {source}", path.display())]
    Io {
        action: &'static str,
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
}

impl ScaffoldError {
    /// What the writer can do about it.
    pub fn hint(&self) -> String {
        use ScaffoldError::*;
        match self {
            BadName { suggestion, .. } => {
                format!("a name is lower-case letters, digits and hyphens (it becomes the address): try `{suggestion}`")
            }
            UnknownLanguage { known, .. } => {
                format!("the languages of config.yaml are: {}; add the language there first", known.join(", "))
            }
            DefaultLanguage { others, .. } if others.is_empty() => {
                "config.yaml lists only the default language: add another one there first".into()
            }
            DefaultLanguage { others, .. } => format!("translate into one of: {}", others.join(", ")),
            UnknownProgramme { name, known } if known.is_empty() => {
                format!("there are no programmes yet: create one with `brochure new programme {name}`")
            }
            UnknownProgramme { name, known } => format!(
                "the programmes are the folders of content/: {}; or create it with `brochure new programme {name}`",
                known.join(", ")
            ),
            Exists { .. } => "brochure never replaces a file: edit it, or choose another name".into(),
            ProjectExists { .. } => "`brochure init` never writes over a project: work on this one (`brochure serve` \
                                     there), or give a new or empty folder, e.g. `brochure init my-site`"
                .into(),
            NameTaken { .. } => "choose another name".into(),
            NotFound { .. } => {
                "check the path: it is relative to the project folder, e.g. content/prog/site.it.md".into()
            }
            NotContent { .. } => "give a Markdown file inside content/, e.g. content/prog/site.it.md".into(),
            NotATranslation { path } => format!(
                "stamp the translation made from it instead, e.g. {}, once it matches this file",
                path.with_file_name("NAME.en.md").display()
            ),
            NoSource { expected, .. } => format!("a translation needs its source: create {} first", expected.display()),
            Invalid { .. } => "fix the file first: `brochure build` shows where the problem is".into(),
            Io { .. } => "check that the folder exists and that you may write in it".into(),
        }
    }

    /// The error as a diagnostic, to be printed like the build's findings.
    pub fn to_diagnostic(&self) -> Diagnostic {
        Diagnostic::error(self.to_string()).with_hint(self.hint())
    }
}

/// Creates `content/<name>/_index.<default>.md`, a programme, and its folder.
pub fn new_programme(root: &Path, config: &Config, name: &str) -> Result<PathBuf, ScaffoldError> {
    check_name(name, "programme")?;
    let content = content_dir(root)?;
    if let Some(other) = default_file(&content, None, name, config) {
        return Err(ScaffoldError::NameTaken { name: name.into(), other: shown(root, &other) });
    }
    let dir = content.join(name);
    if let Some(existing) = default_file(&content, Some(name), "_index", config) {
        return Err(ScaffoldError::Exists { path: shown(root, &existing) });
    }
    fs::create_dir_all(&dir).map_err(|e| io_error("create", root, &dir, e))?;
    let text = text::programme_text(name);
    create(root, &dir.join(format!("_index.{}.md", config.default_language)), &text)
}

/// Creates `content/<programme>/<name>.<default>.md`, a site of an existing programme.
pub fn new_site(root: &Path, config: &Config, programme: &str, name: &str) -> Result<PathBuf, ScaffoldError> {
    let content = content_dir(root)?;
    let plain = !programme.is_empty() && !programme.starts_with('.') && !programme.contains(['/', '\\']);
    if !plain || default_file(&content, Some(programme), "_index", config).is_none() {
        return Err(ScaffoldError::UnknownProgramme { name: programme.into(), known: programmes(&content, config) });
    }
    check_name(name, "site")?;
    if let Some(existing) = default_file(&content, Some(programme), name, config) {
        return Err(ScaffoldError::Exists { path: shown(root, &existing) });
    }
    let text = text::site_text(config, programme, name);
    create(root, &content.join(programme).join(format!("{name}.{}.md", config.default_language)), &text)
}

/// Creates `content/<name>.<default>.md`, a plain page.
pub fn new_page(root: &Path, config: &Config, name: &str) -> Result<PathBuf, ScaffoldError> {
    check_name(name, "page")?;
    let content = content_dir(root)?;
    if let Some(existing) = default_file(&content, None, name, config) {
        return Err(ScaffoldError::Exists { path: shown(root, &existing) });
    }
    if content.join(name).is_dir() {
        return Err(ScaffoldError::NameTaken { name: name.into(), other: shown(root, &content.join(name)) });
    }
    create(root, &content.join(format!("{name}.{}.md", config.default_language)), text::page_text(name))
}

/// Creates the `lang` translation of `file` (a source file, or another translation of it)
/// beside it: the source's text fields to translate, its body, and its stamp.
pub fn new_translation(root: &Path, config: &Config, file: &Path, lang: &str) -> Result<PathBuf, ScaffoldError> {
    if config.language(lang).is_none() {
        return Err(ScaffoldError::UnknownLanguage {
            lang: lang.into(),
            known: config.languages.iter().map(|l| l.code.clone()).collect(),
        });
    }
    let located = locate(root, config, file)?;
    let source = located.source(root, config)?;
    if lang == config.default_language {
        let others = config.languages.iter().map(|l| l.code.clone()).filter(|c| *c != lang).collect();
        return Err(ScaffoldError::DefaultLanguage { lang: lang.into(), path: shown(root, &source), others });
    }
    let target = located.path.with_file_name(format!("{}.{lang}.md", located.stem));
    if target.exists() {
        return Err(ScaffoldError::Exists { path: shown(root, &target) });
    }
    let text = read(root, &source)?;
    let (folder, stem) = (located.folder.clone(), located.stem.clone());
    let doc = SourceDoc::parse(shown(root, &source), folder, stem, config.default_language.clone(), text)
        .map_err(|d| invalid(&d))?;
    let kind = located.kind();
    let (copied, values) = kind.fields(&doc)?;
    let skipped = ["type", "slug", "draft", stamp::KEY];
    let shown_target = shown(root, &target);
    let translation = text::Translation {
        doc: &doc,
        copied,
        values: &values,
        inherited: kind.keys().iter().copied().filter(|k| !copied.contains(k) && !skipped.contains(k)).collect(),
        programme: matches!(kind, Kind::Programme),
        slug: (!matches!(kind, Kind::Home))
            .then(|| values.get("slug").and_then(Value::as_str).unwrap_or(&located.stem).to_string()),
        language: config.language(lang).map_or(lang, |l| l.name.as_str()),
        target: &shown_target,
    };
    create(root, &target, translation.text().map_err(|d| invalid(&d))?)
}

/// Writes the current stamp of its source into a translation, once the writer has brought
/// the translation up to date. Returns the translation's path.
pub fn stamp(root: &Path, config: &Config, file: &Path) -> Result<PathBuf, ScaffoldError> {
    let located = locate(root, config, file)?;
    let rel = shown(root, &located.path);
    if located.lang == config.default_language {
        return Err(ScaffoldError::NotATranslation { path: rel });
    }
    let source = located.source(root, config)?;
    let source_text = read(root, &source)?;
    let text = read(root, &located.path)?;
    let stamped = stamp::set_stamp(&text, &stamp::source_stamp(&source_text))
        .map_err(|message| ScaffoldError::Invalid { path: rel.clone(), message })?;
    if stamped != text {
        // Written beside the file and renamed over it, so a crash never leaves half a file.
        let name = located.path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        let temp = located.path.with_file_name(format!(".{name}.brochure-stamp"));
        fs::write(&temp, stamped).map_err(|e| io_error("write", root, &temp, e))?;
        fs::rename(&temp, &located.path).map_err(|e| {
            let _ = fs::remove_file(&temp);
            io_error("replace", root, &located.path, e)
        })?;
    }
    Ok(rel)
}

/// A file of `content/` named by the writer: where it is and what it is.
struct Located {
    path: PathBuf,
    folder: Option<String>,
    stem: String,
    lang: String,
}

enum Kind {
    Home,
    Page,
    Programme,
    Site,
}

impl Located {
    fn kind(&self) -> Kind {
        match (&self.folder, self.stem == "_index") {
            (None, true) => Kind::Home,
            (None, false) => Kind::Page,
            (Some(_), true) => Kind::Programme,
            (Some(_), false) => Kind::Site,
        }
    }

    /// The default-language file of the same page.
    fn source(&self, root: &Path, config: &Config) -> Result<PathBuf, ScaffoldError> {
        let content = root.join("content");
        default_file(&content, self.folder.as_deref(), &self.stem, config).ok_or_else(|| {
            let expected = self.path.with_file_name(format!("{}.{}.md", self.stem, config.default_language));
            ScaffoldError::NoSource { path: shown(root, &self.path), expected: shown(root, &expected) }
        })
    }
}

impl Kind {
    /// The fields a translation copies, in order, and the source's front matter as values.
    fn fields(&self, doc: &SourceDoc) -> Result<(&'static [&'static str], Map<String, Value>), ScaffoldError> {
        fn parsed<T: DeserializeOwned + Default + Serialize>(
            doc: &SourceDoc,
            keys: &[&str],
            what: &str,
        ) -> Result<Map<String, Value>, ScaffoldError> {
            let front: T = front::parse(doc, keys, what).map_err(|d| invalid(&d))?;
            match serde_json::to_value(front) {
                Ok(Value::Object(map)) => Ok(map),
                _ => Ok(Map::new()),
            }
        }
        Ok(match self {
            Kind::Home | Kind::Page => (&["title", "description"], parsed::<PageFront>(doc, front::PAGE_KEYS, "page")?),
            Kind::Programme => (
                &["title", "entity", "sector", "area", "description"],
                parsed::<ProgrammeFront>(doc, front::PROGRAMME_KEYS, "programme")?,
            ),
            Kind::Site => (
                &["title", "office", "hours", "activities", "description"],
                parsed::<SiteFront>(doc, front::SITE_KEYS, "site")?,
            ),
        })
    }

    fn keys(&self) -> &'static [&'static str] {
        match self {
            Kind::Home | Kind::Page => front::PAGE_KEYS,
            Kind::Programme => front::PROGRAMME_KEYS,
            Kind::Site => front::SITE_KEYS,
        }
    }
}

/// Finds `file` (relative to the project folder, or to the current folder, or absolute)
/// and reads its folder, stem and language as `load` does.
fn locate(root: &Path, config: &Config, file: &Path) -> Result<Located, ScaffoldError> {
    let found = [root.join(file), file.to_path_buf()].into_iter().find(|p| p.is_file());
    let path = found.ok_or_else(|| ScaffoldError::NotFound { path: file.to_path_buf() })?;
    let not_content = || ScaffoldError::NotContent { path: file.to_path_buf() };
    let content = content_dir(root)?.canonicalize().map_err(|_| not_content())?;
    let full = path.canonicalize().map_err(|_| not_content())?;
    let rel = full.strip_prefix(&content).map_err(|_| not_content())?;
    let parts: Vec<&str> = rel.iter().filter_map(|p| p.to_str()).collect();
    let base = match parts.last().and_then(|n| n.strip_suffix(".md")) {
        Some(base) if parts.len() == rel.iter().count() && parts.len() <= 2 => base,
        _ => return Err(not_content()),
    };
    let (stem, lang) = base.rsplit_once('.').unwrap_or((base, config.default_language.as_str()));
    if stem.is_empty() || config.language(lang).is_none() {
        return Err(not_content());
    }
    let folder = (parts.len() == 2).then(|| parts[0].to_string());
    Ok(Located { path: content.join(rel), folder, stem: stem.into(), lang: lang.into() })
}

/// `content/`, which must exist: brochure creates files in a project, not projects.
fn content_dir(root: &Path) -> Result<PathBuf, ScaffoldError> {
    let content = root.join("content");
    if content.is_dir() {
        Ok(content)
    } else {
        Err(ScaffoldError::NotFound { path: PathBuf::from("content") })
    }
}

/// The existing default-language file of a page: `<stem>.<default>.md` or `<stem>.md`.
fn default_file(content: &Path, folder: Option<&str>, stem: &str, config: &Config) -> Option<PathBuf> {
    let dir = folder.map_or_else(|| content.to_path_buf(), |f| content.join(f));
    [format!("{stem}.{}.md", config.default_language), format!("{stem}.md")]
        .into_iter()
        .map(|n| dir.join(n))
        .find(|p| p.is_file())
}

/// The folders of `content/` that hold a programme file, sorted.
fn programmes(content: &Path, config: &Config) -> Vec<String> {
    let Ok(entries) = fs::read_dir(content) else { return Vec::new() };
    let mut names: Vec<String> = entries
        .filter_map(Result::ok)
        .filter_map(|e| e.file_name().to_str().map(String::from))
        .filter(|n| default_file(content, Some(n), "_index", config).is_some())
        .collect();
    names.sort();
    names
}

fn check_name(name: &str, what: &'static str) -> Result<(), ScaffoldError> {
    if is_plain_name(name) {
        return Ok(());
    }
    // `Città` -> `citta`; a folded name still refused (`con`) takes the kind of file: `con-page`.
    let folded = suggest_name(name);
    let mut suggestions = [folded.clone(), format!("{folded}-{what}"), format!("my-{what}")].into_iter();
    let suggestion = suggestions.find(|s| is_plain_name(s)).unwrap_or_default();
    Err(ScaffoldError::BadName { name: name.into(), what, suggestion })
}

/// Creates `path` with `contents`, failing if it exists; returns it relative to `root`.
fn create(root: &Path, path: &Path, contents: impl AsRef<[u8]>) -> Result<PathBuf, ScaffoldError> {
    let mut file = fs::OpenOptions::new().write(true).create_new(true).open(path).map_err(|e| match e.kind() {
        std::io::ErrorKind::AlreadyExists => ScaffoldError::Exists { path: shown(root, path) },
        _ => io_error("create", root, path, e),
    })?;
    if let Err(e) = file.write_all(contents.as_ref()).and_then(|()| file.sync_all()) {
        drop(file);
        let _ = fs::remove_file(path);
        return Err(io_error("write", root, path, e));
    }
    Ok(shown(root, path))
}

fn read(root: &Path, path: &Path) -> Result<String, ScaffoldError> {
    fs::read_to_string(path).map_err(|e| io_error("read", root, path, e))
}

fn io_error(action: &'static str, root: &Path, path: &Path, source: std::io::Error) -> ScaffoldError {
    ScaffoldError::Io { action, path: shown(root, path), source }
}

fn invalid(d: &Diagnostic) -> ScaffoldError {
    let path = d.path.clone().unwrap_or_default();
    let message = match d.line {
        Some(line) => format!("line {line}: {}", d.message),
        None => d.message.clone(),
    };
    ScaffoldError::Invalid { path, message }
}

fn shown(root: &Path, path: &Path) -> PathBuf {
    let canonical_root = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
    path.strip_prefix(root).or_else(|_| path.strip_prefix(&canonical_root)).unwrap_or(path).to_path_buf()
}
