//! `brochure translate import FILE`: the translated units of an XLIFF file written into the
//! translation files of `content/`. Every unit is checked first; when one is refused,
//! nothing is written.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

use super::compose::{compose, Outcome};
use super::export::STAMP_NOTE;
use super::placeholders::{self, TargetPiece};
use super::xliff::{self, XliffFile, XliffUnit};
use super::{PageUnits, Place};
use crate::config::Config;
use crate::diagnostic::{Diagnostic, Kind};
use crate::stamp;

/// What an import did.
#[derive(Debug, Default)]
pub struct ImportReport {
    /// Translation files written (created or updated), relative to the project.
    pub written: Vec<PathBuf>,
    pub unchanged: usize,
    /// Pages left as they were because the file does not translate all of them, and why.
    pub incomplete: Vec<(PathBuf, String)>,
}

/// States of a target that say the translator is done with it.
const DONE: &[&str] = &["translated", "signed-off", "final"];

/// Imports the XLIFF file `file` (relative to the project folder or the current folder)
/// into the project at `root`.
pub fn import(root: &Path, file: &Path) -> Result<ImportReport, Vec<Diagnostic>> {
    let found = [root.join(file), file.to_path_buf()].into_iter().find(|p| p.is_file());
    let refused = |message: String| {
        vec![Diagnostic::error(message)
            .of_kind(Kind::BadXliff)
            .with_hint("give the path of the XLIFF file the translator sent back (a text file: UTF-8 or UTF-16)")]
    };
    let bytes = found
        .as_ref()
        .ok_or_else(|| "no such file".to_string())
        .and_then(|p| fs::read(p).map_err(|e| e.to_string()))
        .map_err(|why| refused(format!("cannot read {}: {why}", file.display())))?;
    let xml = xliff_text(bytes).ok_or_else(|| refused(format!("{} is not text in UTF-8 or UTF-16", file.display())))?;
    let located = |line: usize, column: usize, kind: Kind, message: String, hint: &str| {
        Diagnostic::error(message).of_kind(kind).in_file(file).at(line, column, Some(&xml)).with_hint(hint)
    };
    let problem = |line: usize, kind: Kind, message: String, hint: &str| located(line, 1, kind, message, hint);
    let files = xliff::read(&xml).map_err(|e| vec![located(e.line, e.column, Kind::BadXliff, e.message, &e.hint)])?;
    let (config, docs) = super::load(root)?;
    let mut pages_by_lang: BTreeMap<String, Vec<PageUnits>> = BTreeMap::new();
    let mut errors = Vec::new();
    let mut plans = Vec::new();
    let mut seen = BTreeSet::new();
    for f in &files {
        let placed = destination(f, &config, &problem).and_then(|lang| {
            if !pages_by_lang.contains_key(&lang) {
                pages_by_lang.insert(lang.clone(), super::pages(&config, &docs, &lang)?);
            }
            let index = page_of(f, &pages_by_lang[&lang], &config, &mut seen, &lang, &problem)?;
            Ok((lang, index))
        });
        match placed.and_then(|(lang, index)| Ok((plan(&pages_by_lang[&lang][index], f, &problem)?, lang, index))) {
            Ok((p, lang, index)) => plans.push((lang, index, p)),
            Err(mut list) => errors.append(&mut list),
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let mut report = ImportReport::default();
    let mut writes = Vec::new();
    for (lang, index, p) in plans {
        let page = &pages_by_lang[&lang][index];
        let target = super::translation_path(&page.source, &lang);
        match compose(page, &p.texts, p.confirmed, &p.stamp).map_err(|d| vec![d])? {
            Outcome::Unchanged => report.unchanged += 1,
            Outcome::Incomplete(why) => report.incomplete.push((target, why)),
            Outcome::Write(text) => writes.push((target, text)),
        }
    }
    for (target, text) in writes {
        write(root, &target, &text)?;
        report.written.push(target);
    }
    Ok(report)
}

type Problem<'a> = dyn Fn(usize, Kind, String, &str) -> Diagnostic + 'a;

/// The language a `<file>` of the XLIFF translates into, when this project can take it.
fn destination(f: &XliffFile, config: &Config, problem: &Problem<'_>) -> Result<String, Vec<Diagnostic>> {
    let refuse = |message: String, hint: &str| Err(vec![problem(f.line, Kind::BadXliff, message, hint)]);
    if f.source_language != config.default_language {
        return refuse(
            format!("the source language is `{}`, not `{}`", f.source_language, config.default_language),
            "import only files exported by `brochure translate export` from this project",
        );
    }
    let lang = &f.target_language;
    if lang == &config.default_language || config.language(lang).is_none() {
        let others = super::target_languages(config);
        return refuse(
            format!("the target language `{lang}` is not a language to translate into"),
            &format!(
                "the CAT tool project must translate into one of {} (config.yaml); set its target language and export the file again",
                others.join(", ")
            ),
        );
    }
    Ok(lang.clone())
}

/// The index of the page a `<file>` translates, among `pages`, once per file.
fn page_of(
    f: &XliffFile,
    pages: &[PageUnits],
    config: &Config,
    seen: &mut BTreeSet<(String, usize)>,
    lang: &str,
    problem: &Problem<'_>,
) -> Result<usize, Vec<Diagnostic>> {
    let Some(index) = pages.iter().position(|p| p.source.path.to_string_lossy().replace('\\', "/") == f.original)
    else {
        return Err(vec![problem(
            f.line,
            Kind::UnknownUnit,
            format!("`{}` is not a page of this project in {}", f.original, config.default_language),
            "the page was renamed or deleted since the export: export again, and let the CAT tool's memory fill in what was translated",
        )]);
    };
    if !seen.insert((lang.to_string(), index)) {
        return Err(vec![problem(
            f.line,
            Kind::BadXliff,
            format!("`{}` is in the file twice", f.original),
            "keep one <file> per page",
        )]);
    }
    Ok(index)
}

/// A page's translated texts, checked.
struct Plan {
    texts: BTreeMap<String, String>,
    confirmed: bool,
    stamp: String,
}

fn plan(page: &PageUnits, f: &XliffFile, problem: &Problem<'_>) -> Result<Plan, Vec<Diagnostic>> {
    let mut errors = Vec::new();
    let mut texts = BTreeMap::new();
    let mut confirmed = f.units.len() >= page.units.len();
    let mut stamps = BTreeSet::new();
    for u in &f.units {
        match unit_stamp(u) {
            Some(s) => {
                stamps.insert(s);
            }
            None => errors.push(problem(
                u.line,
                Kind::BadXliff,
                format!("unit `{}` has lost its note `{STAMP_NOTE}…`", u.id),
                "the note says which version of the page was translated: export again and keep the notes",
            )),
        }
        let Some(unit) = page.units.iter().find(|p| p.id == u.id) else {
            errors.push(problem(
                u.line,
                Kind::UnknownUnit,
                format!("unit `{}` is not in {}", u.id, f.original),
                "its source text changed after the export, or the id was edited: export again (the CAT tool's memory fills in what was translated) and translate the changed text",
            ));
            continue;
        };
        let Some(target) = &u.target else {
            confirmed = false;
            continue;
        };
        confirmed &= u.state.as_deref().is_none_or(|s| DONE.contains(&s));
        let text = match unit.place {
            Place::Body(_) => {
                let markup: Vec<&str> = unit.markup.iter().map(String::as_str).collect();
                placeholders::rebuild(target, &markup).map_err(|e| e.to_string())
            }
            _ => match target.as_slice() {
                [TargetPiece::Text(t)] => Ok(t.clone()),
                _ => Err("this field has no placeholders, but the translation has some".to_string()),
            },
        };
        // A line break before or after the text, as some tools save a target, is no text.
        let text = text.map(|t| t.trim_matches(['\n', '\r']).to_string());
        if let Some(why) = text.as_ref().ok().and_then(|t| breaks_structure(unit, t)) {
            errors.push(problem(
                u.line,
                Kind::BadXliff,
                format!("unit `{}` ({}): {why}", u.id, u.resname),
                "join the lines of this translation into one (a line break in a heading, list item, table cell or field, or an empty line in a paragraph, would change the page's layout), then import again",
            ));
            continue;
        }
        match text {
            Ok(t) => {
                texts.insert(u.id.clone(), t);
            }
            Err(why) => errors.push(problem(
                u.line,
                Kind::PlaceholderMismatch,
                format!("unit `{}` ({}): {why}", u.id, u.resname),
                "put each placeholder of the source (the tags in the CAT tool) back into the translation, once each and in the source's order, then save the file from the CAT tool and import it again",
            )),
        }
    }
    if stamps.len() > 1 {
        errors.push(problem(
            f.line,
            Kind::BadXliff,
            format!("the units of `{}` come from different versions of the page", f.original),
            "do not merge XLIFF files of different exports: export again",
        ));
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    confirmed &= page.units.iter().all(|u| texts.contains_key(&u.id));
    Ok(Plan { texts, confirmed, stamp: stamps.into_iter().next().unwrap_or_default() })
}

/// Why the translated text `t` of `unit` would change the page's structure, if it would: a
/// line break where the source has none (a heading, list item, table cell or field ends at
/// its line; what follows a break becomes text of its own, or a new heading or field), or
/// an empty line anywhere (a new paragraph, or front matter: `---`). It was imported.
fn breaks_structure(unit: &super::Unit, t: &str) -> Option<&'static str> {
    let source_breaks = unit
        .source
        .iter()
        .any(|p| matches!(p, placeholders::Piece::Text(x) | placeholders::Piece::Markup(x) if x.contains('\n')));
    let lines: Vec<&str> = t.split('\n').collect();
    if lines.len() > 1 && (!source_breaks || !matches!(unit.place, Place::Body(_))) {
        return Some("the translation has a line break where the source has none");
    }
    if lines.iter().skip(1).any(|l| l.trim().is_empty()) {
        return Some("the translation has an empty line, which would start a new paragraph");
    }
    None
}

fn unit_stamp(u: &XliffUnit) -> Option<String> {
    u.notes
        .iter()
        .find_map(|n| n.trim().strip_prefix(STAMP_NOTE))
        .map(str::trim)
        .filter(|s| stamp::is_stamp(s))
        .map(String::from)
}

/// Writes a translation file inside `content/`, through a temporary file renamed over it,
/// so a crash never leaves half a file.
fn write(root: &Path, target: &Path, text: &str) -> Result<(), Vec<Diagnostic>> {
    let io = |e: std::io::Error| {
        vec![Diagnostic::error(format!("cannot write {}: {e}", target.display()))
            .of_kind(Kind::BadXliff)
            .with_hint("check the folder's permissions and the free space, then import again: the files already written are complete")]
    };
    if !target.starts_with("content") {
        return Err(io(std::io::Error::other("not inside content/")));
    }
    let full = root.join(target);
    let name = full.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let temp = full.with_file_name(format!(".{name}.brochure-import"));
    fs::write(&temp, text).map_err(io)?;
    fs::rename(&temp, &full).map_err(|e| {
        let _ = fs::remove_file(&temp);
        io(e)
    })
}

/// The text of an XLIFF file: UTF-8, or UTF-16 with its byte-order mark, as some translation
/// tools save it (it was refused as "cannot read"). `None` when it is neither.
fn xliff_text(bytes: Vec<u8>) -> Option<String> {
    let utf16 = |units: &[u8], unit: fn([u8; 2]) -> u16| {
        if units.len() % 2 == 1 {
            return None;
        }
        let units: Vec<u16> = units.chunks_exact(2).map(|c| unit([c[0], c[1]])).collect();
        String::from_utf16(&units).ok()
    };
    match bytes.as_slice() {
        [0xFF, 0xFE, rest @ ..] => utf16(rest, u16::from_le_bytes),
        [0xFE, 0xFF, rest @ ..] => utf16(rest, u16::from_be_bytes),
        _ => {
            String::from_utf8(bytes).ok().map(|text| text.strip_prefix('\u{feff}').map_or(text.clone(), str::to_string))
        }
    }
}
