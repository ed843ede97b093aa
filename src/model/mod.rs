//! The brochure as data: programmes, their sites and plain pages, each in every language.
//! Read-only once built; knows nothing of Markdown or templates.

mod agree;
mod assemble;
mod bodies;
mod edits;
mod entries;
pub mod front;
mod groups;
mod memo;
mod resume;
mod sense;
pub use crate::slug;
mod validate;

pub use assemble::{assemble, assemble_with};
pub use bodies::{places_showing, put_bodies, Bodies, Place};
pub use edits::{changed_sites, SiteEdit};
pub use front::{Contact, HourShare};
pub use memo::ModelCache;

use std::hash::Hash;
use std::sync::{Arc, OnceLock};

use crate::load::SourceDoc;

/// Everything the renderer needs, validated. A clone shares every entry and document.
#[derive(Debug, Clone)]
pub struct Brochure {
    /// All source files, in the order they were read.
    pub docs: Vec<Arc<SourceDoc>>,
    pub home: Arc<Entry<PageFacts>>,
    pub programmes: Vec<Programme>,
    pub pages: Vec<Arc<Entry<PageFacts>>>,
}

/// Entries are shared (`Arc`) so that serve can keep an entry whose files did not change.
#[derive(Debug, Clone)]
pub struct Programme {
    pub entry: Arc<Entry<ProgrammeFacts>>,
    pub sites: Vec<Arc<Entry<SiteFacts>>>,
}

/// One logical page (a site, a programme, a plain page) in every configured language.
#[derive(Debug)]
pub struct Entry<F> {
    /// Stable identity: `programme/stem`, `programme`, or `stem` for top-level pages.
    pub id: String,
    /// One version per configured language, in config order.
    pub versions: Vec<Version<F>>,
    fingerprints: OnceLock<Fingerprints>,
}

/// Hashes of what an entry shows, for serve's decisions about which pages to render again.
/// Made on first use, so a one-off build never pays for them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Fingerprints {
    /// Identity and addresses: what links, menus, language switchers and the sitemap read.
    pub address: u64,
    /// Everything but the Markdown bodies (facts, titles, the address fingerprint).
    pub facts: u64,
    /// The Markdown bodies shown, in every language.
    pub body: u64,
}

impl Entry<PageFacts> {
    /// A page made from data rather than a file (a listing, a default home page), in every
    /// language: `title(lang)` and `path(lang)` (after the language's folder).
    pub fn generated(
        config: &crate::config::Config,
        id: &str,
        title: impl Fn(&str) -> String,
        path: impl Fn(&str) -> String,
    ) -> Entry<PageFacts> {
        let versions = config
            .languages
            .iter()
            .map(|l| Version {
                lang: l.code.clone(),
                translated: true,
                doc: None,
                facts: PageFacts { title: title(&l.code), description: None },
                path: format!("{}{}", assemble::lang_prefix(config, &l.code), path(&l.code)),
            })
            .collect();
        Entry::new(id.to_string(), versions)
    }
}

impl<F> Entry<F> {
    pub fn new(id: String, versions: Vec<Version<F>>) -> Entry<F> {
        Entry { id, versions, fingerprints: OnceLock::new() }
    }

    pub fn version(&self, lang: &str) -> &Version<F> {
        self.versions.iter().find(|v| v.lang == lang).unwrap_or(&self.versions[0])
    }

    /// The languages that have a translation of their own (not the source text as a fallback).
    pub fn translated_languages(&self) -> impl Iterator<Item = &str> {
        self.versions.iter().filter(|v| v.translated).map(|v| v.lang.as_str())
    }
}

impl<F: Hash> Entry<F> {
    pub fn fingerprints(&self) -> Fingerprints {
        *self.fingerprints.get_or_init(|| {
            use crate::hashing::hash_with;
            let address = hash_with(|h| {
                self.id.hash(h);
                for v in &self.versions {
                    (&v.lang, v.translated, &v.path, v.doc.as_ref().map(|d| &d.path)).hash(h);
                }
            });
            let facts = hash_with(|h| {
                address.hash(h);
                self.versions.iter().for_each(|v| v.facts.hash(h));
            });
            let body = hash_with(|h| self.versions.iter().for_each(|v| v.doc.as_ref().map(|d| d.body_stamp()).hash(h)));
            Fingerprints { address, facts, body }
        })
    }
}

/// A page in one language: its own translation, or the source text shown as a fallback.
#[derive(Debug)]
pub struct Version<F> {
    pub lang: String,
    /// False when the language has no file and shows the source-language text.
    pub translated: bool,
    /// The file whose text is shown; `None` for generated pages.
    pub doc: Option<Arc<SourceDoc>>,
    pub facts: F,
    /// Site-relative URL path, empty for the home page, else ending in `/`: `en/programme/site/`.
    pub path: String,
}

impl<F> Version<F> {
    /// Whether both versions show the text of one file (a fallback and its source).
    pub fn same_file<G>(&self, other: &Version<G>) -> bool {
        self.doc.as_ref().map(|d| &d.path) == other.doc.as_ref().map(|d| &d.path)
    }
}

#[derive(Debug, Clone, Default, Hash)]
pub struct PageFacts {
    pub title: String,
    pub description: Option<String>,
}

#[derive(Debug, Clone, Default, Hash)]
pub struct ProgrammeFacts {
    pub title: String,
    pub entity: Option<String>,
    pub sector: Option<String>,
    pub area: Option<String>,
    pub year: Option<u32>,
    pub contacts: Vec<Contact>,
    pub description: Option<String>,
}

#[derive(Debug, Clone, Default, Hash)]
pub struct SiteFacts {
    pub title: String,
    pub code: Option<String>,
    pub office: Option<String>,
    pub address: String,
    pub postcode: Option<String>,
    pub city: Option<String>,
    pub volunteers: u32,
    pub hours_per_year: Option<u32>,
    pub min_weekly_hours: Option<u32>,
    pub days_per_week: Option<u32>,
    pub hours: Vec<HourShare>,
    pub activities: Vec<String>,
    /// Requirement keys (from config) the site asks for; a candidate must have all of them.
    pub required: Vec<String>,
    /// Requirement keys the site would like; used for ordering, never for exclusion.
    pub preferred: Vec<String>,
    /// Obligation keys (from config) the site asks of the volunteer's availability.
    pub obligations: Vec<String>,
    /// The site's contacts, or its programme's when it gives none.
    pub contacts: Vec<Contact>,
    pub description: Option<String>,
}

impl Brochure {
    pub fn doc<'v, F>(&self, v: &'v Version<F>) -> Option<&'v SourceDoc> {
        v.doc.as_deref()
    }
}
