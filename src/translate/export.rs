//! `brochure translate export`: the pages to translate into one language, as XLIFF 1.2.

use std::path::Path;

use super::placeholders::{Piece, TargetPiece};
use super::xliff::{self, XliffFile, XliffUnit};
use super::{Freshness, PageUnits};
use crate::diagnostic::{Diagnostic, Kind};

/// Which pages to export.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Only {
    /// Pages without a translation (or with a draft one).
    Missing,
    /// Pages whose translation is older than the source.
    Stale,
    /// Every page.
    #[default]
    All,
}

/// The note that carries a unit's source stamp; import reads it back.
pub(super) const STAMP_NOTE: &str = "translated_from: ";

/// The XLIFF document for translating the project at `root` into `lang`, and the number of
/// pages and units in it.
pub fn export(root: &Path, lang: &str, only: Only) -> Result<(String, usize, usize), Vec<Diagnostic>> {
    let (config, docs) = super::load(root)?;
    if config.language(lang).is_none() || lang == config.default_language {
        let others = super::target_languages(&config);
        return Err(vec![Diagnostic::error(format!("`{lang}` is not a language to translate into"))
            .of_kind(Kind::BadXliff)
            .in_file("config.yaml")
            .with_hint(format!(
                "the languages to translate into, from config.yaml, are: {} (the source language is {})",
                if others.is_empty() { "none".to_string() } else { others.join(", ") },
                config.default_language
            ))]);
    }
    let pages = super::pages(&config, &docs, lang)?;
    let files: Vec<XliffFile> = pages
        .iter()
        .filter(|p| match only {
            Only::All => true,
            Only::Missing => p.freshness == Freshness::Missing,
            Only::Stale => p.freshness == Freshness::Stale,
        })
        .map(|p| file(p, &config.default_language, lang))
        .collect();
    let units = files.iter().map(|f| f.units.len()).sum();
    Ok((xliff::write(&files), files.len(), units))
}

fn file(page: &PageUnits, source_language: &str, lang: &str) -> XliffFile {
    let state = match page.freshness {
        Freshness::Stale => "needs-review-translation",
        // A draft translation is unfinished: its text is offered for review too.
        Freshness::Missing => "needs-review-translation",
        Freshness::Current => "translated",
    };
    let units = page
        .units
        .iter()
        .map(|u| XliffUnit {
            id: u.id.clone(),
            resname: u.place.name(),
            source: super::placeholders::as_target(&u.source),
            equiv: u
                .source
                .iter()
                .filter_map(|p| match p {
                    Piece::Markup(m) => Some(m.clone()),
                    Piece::Text(_) => None,
                })
                .collect(),
            target: u.target.clone().filter(|t| !t.iter().all(|p| matches!(p, TargetPiece::Text(s) if s.is_empty()))),
            state: u.target.as_ref().map(|_| state.to_string()),
            notes: vec![format!("{STAMP_NOTE}{}", page.source_stamp)],
            line: 0,
        })
        .collect();
    XliffFile {
        original: page.source.path.display().to_string().replace('\\', "/"),
        source_language: source_language.to_string(),
        target_language: lang.to_string(),
        units,
        line: 0,
    }
}
