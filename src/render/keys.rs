//! Which pages a change reaches. Each page (a job) gets a key made from the fingerprints of
//! everything its template data is built from; serve keeps each page under its key and
//! renders again only the pages whose key changed.
//!
//! What each kind of page reads, and so what its key holds:
//! - every page: the configuration, the theme (templates and UI strings), the base URL,
//!   every address (Markdown links may lead anywhere), and the menu and the lists of
//!   generated pages (`global`);
//! - a page, programme page or site page: its own Markdown body;
//! - a programme page, booklet, site page or leaflet: the facts of the programme and of all
//!   its sites (a site page shows the programme's totals);
//! - the home page and the list of all sites: the facts of every programme and site;
//! - the page of a requirement or an obligation: the facts of the sites it lists;
//! - page 2 and later of a long list: what its first page reads, and for a requirement or
//!   an obligation the sites listed in every language (its alternates are the languages
//!   whose list has that page);
//! - the sitemap: also how many pages every list takes in every language.
//!
//! A page keyed too narrowly would be served stale; the test
//! `incremental_rebuilds_are_byte_identical_to_full_builds` and the random edit sequences in
//! `tests/build/incremental.rs` compare every file with a full build.

use std::collections::hash_map::DefaultHasher;
use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::sync::Arc;

use super::jobs::List;
use super::{Job, Renderer};
use crate::hashing::{hash, hash_with};
use crate::model::Brochure;

pub(super) struct Keys {
    global: u64,
    /// Per programme: its facts and its sites'.
    programmes: Vec<u64>,
    /// Every programme's and site's facts.
    all: u64,
    /// Per language and requirement or obligation key: the facts of the sites listed.
    vocabulary: Arc<VocabularyKeys>,
    /// How many pages every list takes in every language (the sitemap lists them).
    lists: u64,
}

/// The facts of the sites each requirement or obligation page lists, by
/// `hash((language, is a requirement, key))`; see [`sites_by_term`].
pub(super) type VocabularyKeys = HashMap<u64, u64>;

/// Per language and requirement (or obligation) key, the facts of the sites that key's page
/// lists, in listing order: one pass over every site.
fn sites_by_term(b: &Brochure) -> HashMap<(&str, bool, &str), DefaultHasher> {
    let mut found: HashMap<(&str, bool, &str), DefaultHasher> = HashMap::new();
    for s in b.programmes.iter().flat_map(|p| &p.sites) {
        for v in &s.versions {
            let f = &v.facts;
            let mut seen = Vec::new();
            let keys = f
                .required
                .iter()
                .chain(&f.preferred)
                .map(|k| (true, k))
                .chain(f.obligations.iter().map(|k| (false, k)));
            for (requirement, key) in keys {
                // A key both required and preferred (an error elsewhere) lists the site once here.
                if !seen.contains(&(requirement, key)) {
                    seen.push((requirement, key));
                    s.fingerprints().facts.hash(found.entry((v.lang.as_str(), requirement, key.as_str())).or_default());
                }
            }
        }
    }
    found
}

/// Every entry's addresses: what Markdown links are resolved against.
pub(super) fn addresses(b: &Brochure) -> u64 {
    hash_with(|h| {
        b.home.fingerprints().address.hash(h);
        b.pages.iter().for_each(|p| p.fingerprints().address.hash(h));
        for p in &b.programmes {
            p.entry.fingerprints().address.hash(h);
            p.sites.iter().for_each(|s| s.fingerprints().address.hash(h));
        }
    })
}

impl Keys {
    pub(super) fn new(r: &Renderer<'_>, settings: super::SettingsHash) -> Keys {
        let b = r.b;
        let addresses = addresses(b);
        let menu = hash_with(|h| {
            b.home.fingerprints().facts.hash(h);
            b.pages.iter().for_each(|p| p.fingerprints().facts.hash(h));
            b.programmes.iter().for_each(|p| p.entry.fingerprints().facts.hash(h));
            r.listings.entries().for_each(|e| e.fingerprints().facts.hash(h));
        });
        let programmes: Vec<u64> = b
            .programmes
            .iter()
            .map(|p| {
                hash_with(|h| {
                    p.entry.fingerprints().facts.hash(h);
                    p.sites.iter().for_each(|s| s.fingerprints().facts.hash(h));
                })
            })
            .collect();
        let all = hash(&programmes);
        // Made from the sites' facts only: kept while they stay as they are.
        let vocabulary = r
            .cache
            .vocabulary_keys(all, || sites_by_term(b).into_iter().map(|(page, h)| (hash(&page), h.finish())).collect());
        let languages: Vec<&str> = r.config.languages.iter().map(|l| l.code.as_str()).collect();
        let lists = hash(&r.listings.page_counts(b, &languages, r.config.page_size));
        Keys { global: hash(&(settings, addresses, menu)), all, programmes, vocabulary, lists }
    }

    fn term_page(&self, lang: &str, requirement: bool, key: &str) -> u64 {
        self.vocabulary.get(&hash(&(lang, requirement, key))).copied().unwrap_or(0)
    }

    /// A later page of a term's list links the same page in the other languages that have
    /// one: it reads the sites listed in every language.
    fn term_pages(&self, r: &Renderer<'_>, requirement: bool, key: &str) -> u64 {
        hash(&r.config.languages.iter().map(|l| self.term_page(&l.code, requirement, key)).collect::<Vec<_>>())
    }

    /// The key of a file made from the addresses, menus and list pages only (sitemap, 404 page).
    pub(super) fn named(&self, name: &str) -> u64 {
        hash(&(self.global, self.lists, name))
    }

    /// The key of one page: equal keys, equal pages.
    pub(super) fn job(&self, r: &Renderer<'_>, job: Job, lang: &str) -> u64 {
        let b = r.b;
        let (facts, body) = match job {
            Job::Home => (self.all, b.home.fingerprints().body),
            Job::Page(i) => (0, b.pages[i].fingerprints().body),
            Job::Programme(p) => (self.programmes[p], b.programmes[p].entry.fingerprints().body),
            Job::Site(p, s) => (self.programmes[p], b.programmes[p].sites[s].fingerprints().body),
            Job::Leaflet(p, _) | Job::Booklet(p) | Job::Leaflets(p) => (self.programmes[p], 0),
            Job::AllSites => (self.all, 0),
            Job::Requirement(i) => (self.term_page(lang, true, &r.listings.requirements[i].0), 0),
            Job::Obligation(i) => (self.term_page(lang, false, &r.listings.obligations[i].0), 0),
            Job::ListPage(list, _) => match list {
                List::AllSites => (self.all, 0),
                List::Programme(p) => (self.programmes[p], 0),
                List::Requirement(i) => (self.term_pages(r, true, &r.listings.requirements[i].0), 0),
                List::Obligation(i) => (self.term_pages(r, false, &r.listings.obligations[i].0), 0),
            },
        };
        hash(&(self.global, job, lang, facts, body))
    }
}
