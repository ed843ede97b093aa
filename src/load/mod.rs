//! Reading the project from disk: `content/` Markdown files, other content files to copy,
//! and the theme. This is the only stage besides `write` that touches the file system.

mod content;
pub mod frontmatter;
mod source;
mod theme;

use std::path::{Path, PathBuf};

use crate::diagnostic::Diagnostic;

pub use content::{load_content, Content, ContentStore, Refreshed};
pub use source::{Reading, SourceDoc};
pub use theme::{load_theme, I18nText, PluralForms, ThemeFiles};

/// Content files larger than this are refused: a brochure page is a few KiB, and reading a
/// stray 100 MB file into memory is never what the writer meant.
pub const MAX_CONTENT_FILE_BYTES: u64 = 2 * 1024 * 1024;

/// The page a content file was meant to be when the file itself cannot be read (a front
/// matter never closed, a misspelt language): the model leaves that page out instead of
/// reporting what its absence causes, so that the file's own message is the only one.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct PageName {
    /// The programme folder, `None` at the top of `content/`.
    pub folder: Option<String>,
    pub stem: String,
}

/// A non-Markdown file of `content/` (an image, a PDF), copied to the same relative path.
#[derive(Debug, Clone, Hash)]
pub struct Asset {
    pub source: PathBuf,
    pub dest: String,
}

/// The theme's static files with the icon `favicon:` names in place of the theme's icons
/// (see [`crate::favicon`]).
pub fn with_configured_icon(statics: &mut Vec<Asset>, root: &Path, favicon: Option<&str>) {
    let Some(rel) = favicon else { return };
    statics.retain(|a| !crate::favicon::THEME_ICONS.contains(&a.dest.as_str()));
    statics.push(Asset { source: root.join(rel), dest: crate::favicon::published_as(rel) });
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

/// A symbolic link of the project that leads outside it: reported, never read.
fn link_outside(root: &Path, path: &Path, hint: &str) -> Diagnostic {
    Diagnostic::error("this symbolic link points outside the project").in_file(shown_path(root, path)).with_hint(hint)
}

/// `path` relative to the project root, as the writer would type it.
pub fn shown_path(root: &Path, path: &Path) -> PathBuf {
    path.strip_prefix(root).unwrap_or(path).to_path_buf()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_configured_icon_replaces_the_themes_icons() {
        let asset = |dest: &str| Asset { source: dest.into(), dest: dest.into() };
        let mut statics: Vec<Asset> =
            ["css/site.css", "favicon.svg", "favicon.png", "favicon.ico", "apple-touch-icon.png"]
                .into_iter()
                .map(asset)
                .collect();
        with_configured_icon(&mut statics, Path::new("/p"), Some("static/Stemma.PNG"));
        let dests: Vec<&str> = statics.iter().map(|a| a.dest.as_str()).collect();
        assert_eq!(dests, ["css/site.css", "favicon.png"]);
        assert_eq!(statics[1].source, Path::new("/p/static/Stemma.PNG"));
        assert_eq!(crate::favicon::media_type("static/Stemma.PNG"), Some("image/png"));
    }
}
