//! The translators' round trip: `brochure translate export` writes the pages to translate as
//! XLIFF 1.2, the exchange format of CAT tools (OmegaT, Trados, memoQ, Weblate), and
//! `brochure translate import` writes the translated files back into `content/`.
//!
//! A page becomes translation units: its translatable front-matter fields (the ones
//! [`crate::model`] lets a translation say differently, facts excepted) and each block of
//! text of its body (see [`placeholders`]). A unit's id is its place (`title`,
//! `hours.2.purpose`, `body.7`) and a hash of its source text, so exporting an unchanged
//! page again gives the same ids, and a unit whose source changed after the export is
//! refused on import rather than put where another text now stands.

mod compose;
mod export;
mod import;
pub mod placeholders;
mod xliff;

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;

use serde::Serialize;
use serde_json::{Map, Value};

use crate::config::Config;
use crate::diagnostic::Diagnostic;
use crate::hashing::ContentHash;
use crate::load::SourceDoc;
use crate::model::front::{self, PageFront, ProgrammeFront, SiteFront};
use crate::stamp;
use placeholders::{Block, Piece, TargetPiece};

pub use export::{export, Only};
pub use import::{import, ImportReport};

/// What a content file is, by its place in `content/`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum PageKind {
    /// A plain page or the home page.
    Page,
    Programme,
    Site,
}

impl PageKind {
    fn of(doc: &SourceDoc) -> PageKind {
        match (&doc.folder, doc.stem == "_index") {
            (None, _) => PageKind::Page,
            (Some(_), true) => PageKind::Programme,
            (Some(_), false) => PageKind::Site,
        }
    }

    /// The fields a translator translates, in the order of the front matter. Text fields
    /// only: facts (codes, numbers, addresses, e-mails), names of people and slugs stay.
    fn text_fields(self) -> &'static [&'static str] {
        match self {
            PageKind::Page => &["title", "description"],
            PageKind::Programme => &["title", "entity", "sector", "area", "contacts", "description"],
            PageKind::Site => &["title", "office", "city", "hours", "activities", "contacts", "description"],
        }
    }

    /// The front matter as values, checked as the build checks it.
    fn front(self, doc: &SourceDoc) -> Result<Map<String, Value>, Diagnostic> {
        fn parsed<T: serde::de::DeserializeOwned + Default + Serialize>(
            doc: &SourceDoc,
            keys: &[&str],
            what: &str,
        ) -> Result<Map<String, Value>, Diagnostic> {
            let front: T = front::parse(doc, keys, what)?;
            match serde_json::to_value(front) {
                Ok(Value::Object(map)) => Ok(map.into_iter().filter(|(_, v)| !v.is_null()).collect()),
                _ => Ok(Map::new()),
            }
        }
        match self {
            PageKind::Page => parsed::<PageFront>(doc, front::PAGE_KEYS, "page"),
            PageKind::Programme => parsed::<ProgrammeFront>(doc, front::PROGRAMME_KEYS, "programme"),
            PageKind::Site => parsed::<SiteFront>(doc, front::SITE_KEYS, "site"),
        }
    }
}

/// Where a unit's text goes in a translation.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Place {
    /// A text field: `title`, `description`...
    Field(&'static str),
    /// An item of a list of texts: `activities.3`.
    Item(&'static str, usize),
    /// A text field of an item of a list: `hours.1.purpose`, `contacts.0.role`.
    ItemField(&'static str, usize, &'static str),
    /// A block of text of the body, by its order.
    Body(usize),
}

impl Place {
    fn name(&self) -> String {
        match self {
            Place::Field(k) => (*k).to_string(),
            Place::Item(k, i) => format!("{k}.{}", i + 1),
            Place::ItemField(k, i, f) => format!("{k}.{}.{f}", i + 1),
            Place::Body(i) => format!("body.{}", i + 1),
        }
    }
}

/// One piece to translate.
#[derive(Debug, Clone)]
struct Unit {
    id: String,
    place: Place,
    source: Vec<Piece>,
    /// The existing translation, when there is one that matches the source's shape.
    target: Option<Vec<TargetPiece>>,
    /// The Markdown a translated block takes for its placeholders: the existing
    /// translation's (its links may differ) or else the source's.
    markup: Vec<String>,
}

/// How a page's translation stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Freshness {
    /// No translation file, or a draft.
    Missing,
    /// Made from an older source (its stamp differs).
    Stale,
    /// Up to date, or without a stamp to tell.
    Current,
}

/// A source page with its translation into one language, as units.
struct PageUnits {
    kind: PageKind,
    source: Arc<SourceDoc>,
    translation: Option<Arc<SourceDoc>>,
    source_stamp: String,
    freshness: Freshness,
    /// The source's front matter, and the translation's own fields (without inherited ones).
    source_front: Map<String, Value>,
    own_front: Map<String, Value>,
    units: Vec<Unit>,
    /// The blocks of the source's body and of the translation's, when they align one to one.
    source_blocks: Vec<Block>,
    own_blocks: Option<Vec<Block>>,
}

/// The project's content: config and documents, refused when it does not load cleanly
/// (a translation made from a broken source would only carry the problem over).
fn load(root: &Path) -> Result<(Config, Vec<Arc<SourceDoc>>), Vec<Diagnostic>> {
    let config = Config::load(&root.join("config.yaml"), Path::new("config.yaml"))?;
    let (content, problems) = crate::load::load_content(root, &config);
    let errors: Vec<Diagnostic> = problems.into_iter().filter(Diagnostic::is_error).collect();
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok((config, content.docs))
}

/// Every default-language page of `docs` with its `lang` translation, in path order.
fn pages(config: &Config, docs: &[Arc<SourceDoc>], lang: &str) -> Result<Vec<PageUnits>, Vec<Diagnostic>> {
    // (folder, stem) -> (source, translation)
    type Pair<'d> = (Option<&'d Arc<SourceDoc>>, Option<&'d Arc<SourceDoc>>);
    let mut by_page: BTreeMap<(Option<&str>, &str), Pair> = BTreeMap::new();
    for d in docs {
        let slot = by_page.entry((d.folder.as_deref(), d.stem.as_str())).or_default();
        if d.lang == config.default_language {
            slot.0 = Some(d);
        } else if d.lang == lang {
            slot.1 = Some(d);
        }
    }
    let mut found = Vec::new();
    let mut problems = Vec::new();
    for (source, translation) in by_page.into_values() {
        let Some(source) = source else { continue };
        match page_units(source, translation) {
            Ok(p) => found.push(p),
            Err(d) => problems.push(d),
        }
    }
    found.sort_by(|a, b| a.source.path.cmp(&b.source.path));
    if problems.is_empty() {
        Ok(found)
    } else {
        Err(problems)
    }
}

fn page_units(source: &Arc<SourceDoc>, translation: Option<&Arc<SourceDoc>>) -> Result<PageUnits, Diagnostic> {
    let kind = PageKind::of(source);
    let source_front = kind.front(source)?;
    let own_front = translation.map(|t| kind.front(t)).transpose()?.unwrap_or_default();
    let source_stamp = stamp::source_stamp(&source.text()?);
    let freshness = match translation {
        None => Freshness::Missing,
        Some(_) if own_front.get("draft") == Some(&Value::Bool(true)) => Freshness::Missing,
        Some(t) => match stamp::read_stamp(t.front()) {
            Some(s) if s != source_stamp => Freshness::Stale,
            _ => Freshness::Current,
        },
    };
    let source_body = source.body()?;
    let own_body = translation.map(|t| t.body()).transpose()?;
    let source_blocks = placeholders::blocks(&source_body);
    let own_blocks = own_body.map(|b| placeholders::blocks(&b)).filter(|own| own.len() == source_blocks.len());
    let mut units = field_units(kind, &source_front, &own_front);
    for (i, block) in source_blocks.iter().enumerate() {
        let own = own_blocks.as_ref().map(|o| &o[i]).filter(|o| o.markup().len() == block.markup().len());
        let markup = own.unwrap_or(block).markup().into_iter().map(String::from).collect();
        let raw = &source_body[block.range.clone()];
        units.push(Unit {
            id: unit_id(&Place::Body(i), raw),
            place: Place::Body(i),
            source: block.pieces.clone(),
            target: own.map(|o| placeholders::as_target(&o.pieces)),
            markup,
        });
    }
    Ok(PageUnits {
        kind,
        source: Arc::clone(source),
        translation: translation.cloned(),
        source_stamp,
        freshness,
        source_front,
        own_front,
        units,
        source_blocks,
        own_blocks,
    })
}

/// The units of the text fields, with the translation's own value as target.
fn field_units(kind: PageKind, source: &Map<String, Value>, own: &Map<String, Value>) -> Vec<Unit> {
    let mut units = Vec::new();
    let mut add = |place: Place, text: Option<&str>, own: Option<&str>| {
        let Some(text) = text.filter(|t| !t.trim().is_empty()) else { return };
        units.push(Unit {
            id: unit_id(&place, text),
            place,
            source: vec![Piece::Text(text.to_string())],
            target: own.map(|o| vec![TargetPiece::Text(o.to_string())]),
            markup: Vec::new(),
        });
    };
    for &key in kind.text_fields() {
        let list = |m: &Map<String, Value>| m.get(key).and_then(Value::as_array).cloned().unwrap_or_default();
        let (items, own_items) = (list(source), list(own));
        // A translated list is taken item by item only when it has the source's items.
        let own_item = |i: usize| own_items.get(i).filter(|_| own_items.len() == items.len());
        match key {
            "hours" | "contacts" => {
                let field = if key == "hours" { "purpose" } else { "role" };
                for (i, item) in items.iter().enumerate() {
                    let theirs = own_item(i).and_then(|o| o.get(field)).and_then(Value::as_str);
                    add(Place::ItemField(key, i, field), item.get(field).and_then(Value::as_str), theirs);
                }
            }
            "activities" => {
                for (i, item) in items.iter().enumerate() {
                    add(Place::Item(key, i), item.as_str(), own_item(i).and_then(Value::as_str));
                }
            }
            _ => add(Place::Field(key), source.get(key).and_then(Value::as_str), own.get(key).and_then(Value::as_str)),
        }
    }
    units
}

/// The place and 8 hex digits of the source text's FNV-1a hash: the same for an unchanged
/// source, different when the text at that place changed.
fn unit_id(place: &Place, source: &str) -> String {
    format!("{}.{:08x}", place.name(), ContentHash::of(source.as_bytes()).0 & 0xffff_ffff)
}

/// The languages a page can be translated into: config.yaml's, the default one excepted.
fn target_languages(config: &Config) -> Vec<&str> {
    config.languages.iter().map(|l| l.code.as_str()).filter(|c| *c != config.default_language).collect()
}

/// The translation's file beside the source: `stem.<lang>.md`.
fn translation_path(source: &SourceDoc, lang: &str) -> std::path::PathBuf {
    source.path.with_file_name(format!("{}.{lang}.md", source.stem))
}
