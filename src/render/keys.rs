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
//! - page 2 and later of a long list: the facts of the sites on that page, in order, and
//!   how many pages the list has in every language (its navigation, alternates and
//!   language links): an edit of one site's facts renders again only the pages showing it;
//! - the sitemap: also how many pages every list takes in every language;
//! - the facet index and search text of lists on several pages: the facts of every site;
//!   each file of card data: the facts of its sites.
//!
//! A page keyed too narrowly would be served stale; the test
//! `incremental_rebuilds_are_byte_identical_to_full_builds` and the random edit sequences in
//! `tests/build/incremental.rs` compare every file with a full build.

use std::collections::hash_map::DefaultHasher;
use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::sync::Arc;

use super::jobs::List;
use super::pagination::{OBLIGATION_SECTIONS, REQUIREMENT_SECTIONS};
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
    /// Per page of the list of all sites: the facts of its sites.
    all_sites: Vec<u64>,
    /// Per file of card data (`facets::CHUNK` sites): the facts of its sites.
    card_chunks: Vec<u64>,
}

/// The facts of the sites each requirement or obligation page lists, by
/// `hash((language, is a requirement, key))`; see [`sites_by_term`].
pub(super) type VocabularyKeys = HashMap<u64, TermKeys>;

/// The keys of one requirement's or obligation's list in one language.
#[derive(Debug, Default)]
pub(super) struct TermKeys {
    /// The facts of every site listed (its first page, which shows how many pages there are).
    whole: u64,
    /// Per page, the facts of the sites on it and the section each is in.
    pages: Vec<u64>,
}

/// What [`sites_by_term`] gathers for one list: every listed site's facts, and each
/// section's sites in order, as the list's pages show them.
#[derive(Default)]
struct TermSites {
    whole: DefaultHasher,
    sections: [Vec<u64>; 2],
}

/// Per language and requirement (or obligation) key, the facts of the sites that key's page
/// lists, in listing order: one pass over every site. The sections follow the same rules
/// as the pages (`pagination::REQUIREMENT_SECTIONS`, `OBLIGATION_SECTIONS`).
fn sites_by_term(b: &Brochure) -> HashMap<(&str, bool, &str), TermSites> {
    let mut found: HashMap<(&str, bool, &str), TermSites> = HashMap::new();
    for s in b.programmes.iter().flat_map(|p| &p.sites) {
        let facts = s.fingerprints().facts;
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
                    facts.hash(&mut found.entry((v.lang.as_str(), requirement, key.as_str())).or_default().whole);
                }
            }
            let rules =
                REQUIREMENT_SECTIONS.iter().map(|r| (true, r)).chain(OBLIGATION_SECTIONS.iter().map(|r| (false, r)));
            let mut section = [0usize; 2];
            for (requirement, (_, pick)) in rules {
                let i = &mut section[usize::from(!requirement)];
                let keys = pick(f);
                for (_, key) in keys.iter().enumerate().filter(|(j, k)| !keys[..*j].contains(k)) {
                    found.entry((v.lang.as_str(), requirement, key.as_str())).or_default().sections[*i].push(facts);
                }
                *i += 1;
            }
        }
    }
    found
}

/// The key of each page of a list: the facts of its sites, in order, with the section of each.
fn page_keys(sections: &[&[u64]], size: usize) -> Vec<u64> {
    let listed: Vec<(usize, u64)> =
        sections.iter().enumerate().flat_map(|(i, sites)| sites.iter().map(move |f| (i, *f))).collect();
    listed.chunks(size.max(1)).map(|page| hash(&page)).collect()
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
        let size = r.config.page_size.get();
        // Made from the sites' facts only: kept while they stay as they are.
        let vocabulary = r.cache.vocabulary_keys(hash(&(all, size)), || {
            sites_by_term(b)
                .into_iter()
                .map(|(page, t)| {
                    let pages = page_keys(&[&t.sections[0], &t.sections[1]], size);
                    (hash(&page), TermKeys { whole: t.whole.finish(), pages })
                })
                .collect()
        });
        let every: Vec<u64> = b.programmes.iter().flat_map(|p| &p.sites).map(|s| s.fingerprints().facts).collect();
        let all_sites = page_keys(&[&every], size);
        let card_chunks = page_keys(&[&every], super::facets::CHUNK);
        let languages: Vec<&str> = r.config.languages.iter().map(|l| l.code.as_str()).collect();
        let lists = hash(&r.listings.page_counts(b, &languages, r.config.page_size));
        Keys { global: hash(&(settings, addresses, menu)), all, programmes, vocabulary, lists, all_sites, card_chunks }
    }

    fn term(&self, lang: &str, requirement: bool, key: &str) -> Option<&TermKeys> {
        self.vocabulary.get(&hash(&(lang, requirement, key)))
    }

    fn term_page(&self, lang: &str, requirement: bool, key: &str) -> u64 {
        self.term(lang, requirement, key).map_or(0, |t| t.whole)
    }

    /// Page `n` (from 1) of a term's list: the facts of its sites only.
    fn term_later_page(&self, lang: &str, requirement: bool, key: &str, n: usize) -> u64 {
        self.term(lang, requirement, key).and_then(|t| t.pages.get(n - 1)).copied().unwrap_or(0)
    }

    /// A later page of a list reads only its own sites' facts, and how many pages the list
    /// has in every language (its navigation, its alternates and language links).
    fn later_page(&self, r: &Renderer<'_>, list: List, n: usize, lang: &str) -> u64 {
        let counts: Vec<usize> = r.config.languages.iter().map(|l| r.pages(list, &l.code)).collect();
        let sites = match list {
            List::AllSites => self.all_sites.get(n - 1).copied().unwrap_or(0),
            List::Programme(p) => self.programmes[p],
            List::Requirement(i) => self.term_later_page(lang, true, &r.listings.requirements[i].0, n),
            List::Obligation(i) => self.term_later_page(lang, false, &r.listings.obligations[i].0, n),
        };
        hash(&(counts, sites))
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
            Job::ListPage(list, n) => (self.later_page(r, list, n, lang), 0),
            Job::FacetIndex | Job::SearchText => (self.all, 0),
            Job::CardChunk(n) => (self.card_chunks.get(n).copied().unwrap_or(0), 0),
        };
        hash(&(self.global, job, lang, facts, body))
    }
}
