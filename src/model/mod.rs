//! The brochure as data: programmes, their sites and plain pages, each in every language.
//! Read-only once built; knows nothing of Markdown or templates.

mod assemble;
pub mod front;
pub mod slug;
mod validate;

pub use assemble::assemble;
pub use front::{Contact, HourShare};

use crate::load::SourceDoc;

/// Everything the renderer needs, validated.
#[derive(Debug)]
pub struct Brochure {
    /// All source files; versions point into this list by index.
    pub docs: Vec<SourceDoc>,
    pub home: Entry<PageFacts>,
    pub programmes: Vec<Programme>,
    pub pages: Vec<Entry<PageFacts>>,
}

#[derive(Debug)]
pub struct Programme {
    pub entry: Entry<ProgrammeFacts>,
    pub sites: Vec<Entry<SiteFacts>>,
}

/// One logical page (a site, a programme, a plain page) in every configured language.
#[derive(Debug)]
pub struct Entry<F> {
    /// Stable identity: `programme/stem`, `programme`, or `stem` for top-level pages.
    pub id: String,
    /// One version per configured language, in config order.
    pub versions: Vec<Version<F>>,
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
        Entry { id: id.to_string(), versions }
    }
}

impl<F> Entry<F> {
    pub fn version(&self, lang: &str) -> &Version<F> {
        self.versions.iter().find(|v| v.lang == lang).unwrap_or(&self.versions[0])
    }
}

/// A page in one language: its own translation, or the source text shown as a fallback.
#[derive(Debug)]
pub struct Version<F> {
    pub lang: String,
    /// False when the language has no file and shows the source-language text.
    pub translated: bool,
    /// Index into [`Brochure::docs`] of the file whose text is shown.
    pub doc: Option<usize>,
    pub facts: F,
    /// Site-relative URL path, empty for the home page, else ending in `/`: `en/programme/site/`.
    pub path: String,
}

#[derive(Debug, Clone, Default)]
pub struct PageFacts {
    pub title: String,
    pub description: Option<String>,
}

#[derive(Debug, Clone, Default)]
pub struct ProgrammeFacts {
    pub title: String,
    pub entity: Option<String>,
    pub sector: Option<String>,
    pub area: Option<String>,
    pub year: Option<u32>,
    pub contacts: Vec<Contact>,
    pub description: Option<String>,
}

#[derive(Debug, Clone, Default)]
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
    pub fn doc<F>(&self, v: &Version<F>) -> Option<&SourceDoc> {
        v.doc.map(|i| &self.docs[i])
    }
}
