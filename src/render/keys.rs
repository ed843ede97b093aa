//! Which pages a change reaches. Each page (a job) gets a key made from the fingerprints of
//! everything its template data is built from; serve keeps each page under its key and
//! renders again only the pages whose key changed.
//!
//! What each kind of page reads, and so what its key holds:
//! - every page: the configuration, the theme (templates and UI strings), the base URL,
//!   every address (Markdown links may lead anywhere), and the menu and the lists of
//!   generated pages (`global`);
//! - a page, programme page or site page: its own Markdown body;
//! - a programme page or booklet: the facts of the programme and of all its sites;
//! - a site page: its own facts, its programme's entry and the programme's totals (how many
//!   sites, how many volunteers), which it shows;
//! - a leaflet: the facts of its programme's entry and of its own site (it shows no other
//!   site: an edit of one site's facts prints one leaflet again, not the programme's 50);
//! - the home page and the list of all sites: the facts of every programme and site;
//! - page 2 and later of the home page's programmes: the facts of the programmes it shows
//!   and of their sites (a card counts the sites and their volunteers), and how many pages
//!   the list has in every language;
//! - any other page of a list (a requirement's or obligation's first page, page 2 and
//!   later of any list): the sites it shows, found by the function that picks them for the
//!   page itself (`Renderer::page_sections`), and how many pages the list has in every
//!   language (its navigation, alternates and language links), so an edit of one site's
//!   facts renders again only the pages showing it;
//! - a file made from data rather than a template (the sitemap): that data ([`Keys::data`]);
//! - the facet index and search text of lists on several pages: the facts of every site;
//!   each file of card data: the facts of its sites.
//!
//! Whole-page keys are what keeps a rebuild fast: the template data of a page is not built
//! at all unless its key changed (building and hashing it for all 22,000 pages of a
//! 10,000-page project takes 0.6 to 1.3 s, see BENCHMARKS.md). A page keyed too narrowly
//! would be served stale; the test `incremental_rebuilds_are_byte_identical_to_full_builds`
//! and the random edit sequences in `tests/build/incremental.rs` compare every file with a
//! full build.

use std::hash::Hash;

use super::pagination::List;
use super::{Job, Renderer};
use crate::hashing::{hash, hash_with};
use crate::model::{Brochure, Programme};

#[derive(Debug, PartialEq, Eq)]
pub(super) struct Keys {
    global: u64,
    /// Per programme: its facts and its sites'.
    programmes: Vec<u64>,
    /// Per programme: its entry's facts and its totals in every language (sites, volunteers).
    totals: Vec<u64>,
    /// Every programme's and site's facts.
    all: u64,
    /// Per file of card data (`facets::CHUNK` sites): the facts of its sites.
    card_chunks: Vec<u64>,
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

/// A programme's facts and its sites'.
fn programme(p: &Programme) -> u64 {
    hash_with(|h| {
        p.entry.fingerprints().facts.hash(h);
        p.sites.iter().for_each(|s| s.fingerprints().facts.hash(h));
    })
}

/// A programme entry's facts and its totals in every language (sites, volunteers).
fn totals(r: &Renderer<'_>, p: &Programme) -> u64 {
    hash_with(|h| {
        p.entry.fingerprints().facts.hash(h);
        p.sites.len().hash(h);
        for lang in r.config.languages.iter().map(|l| l.code.as_str()) {
            let volunteers = p.sites.iter().fold(0u32, |n, s| n.saturating_add(s.version(lang).facts.volunteers));
            volunteers.hash(h);
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
        let programmes: Vec<u64> = b.programmes.iter().map(programme).collect();
        let totals = b.programmes.iter().map(|p| totals(r, p)).collect();
        let every: Vec<u64> = b.programmes.iter().flat_map(|p| &p.sites).map(|s| s.fingerprints().facts).collect();
        let card_chunks = every.chunks(super::facets::CHUNK).map(|c| hash(&c)).collect();
        Keys { global: hash(&(settings, addresses, menu)), all: hash(&programmes), programmes, totals, card_chunks }
    }

    /// The keys after an edit of the facts of some sites of `programmes` alone, in `chunks`
    /// of card data (serve, `patch`): what [`Keys::new`] would make, from what those sites reach.
    pub(super) fn refresh(&mut self, r: &Renderer<'_>, programmes: &[usize], chunks: &[usize]) {
        for &p in programmes {
            self.programmes[p] = programme(&r.b.programmes[p]);
            self.totals[p] = totals(r, &r.b.programmes[p]);
        }
        self.all = hash(&self.programmes);
        for &c in chunks {
            let sites = r.all_sites_from(c * super::facets::CHUNK, super::facets::CHUNK);
            let facts: Vec<u64> = sites.iter().map(|(_, s)| s.fingerprints().facts).collect();
            self.card_chunks[c] = hash(&facts.as_slice());
        }
    }

    /// Page `n` of a list other than a programme's first, the home page or the list of all
    /// sites: the facts of the programmes or sites it shows (sites in their sections), and
    /// how many pages the list has in every language.
    fn list_page(&self, r: &Renderer<'_>, list: List, n: usize, lang: &str) -> u64 {
        hash_with(|h| {
            if list == List::Programmes {
                self.programmes[r.page_programmes(n)].hash(h);
            }
            for (title, sites) in r.page_sections(list, n, lang) {
                title.hash(h);
                sites.iter().for_each(|(_, s)| s.fingerprints().facts.hash(h));
            }
            r.config.languages.iter().for_each(|l| r.pages(list, &l.code).hash(h));
        })
    }

    /// The key of a file made from `data` (and the configuration, theme and addresses) only.
    pub(super) fn data(&self, name: &str, data: &impl Hash) -> u64 {
        hash(&(self.global, name, data))
    }

    /// The key of one page: equal keys, equal pages.
    pub(super) fn job(&self, r: &Renderer<'_>, job: Job, lang: &str) -> u64 {
        let b = r.b;
        let (facts, body) = match job {
            Job::Home => (self.all, b.home.fingerprints().body),
            Job::Page(i) => (0, b.pages[i].fingerprints().body),
            Job::Programme(p) => (self.programmes[p], b.programmes[p].entry.fingerprints().body),
            Job::Site(p, s) => {
                let site = &b.programmes[p].sites[s];
                (hash(&(self.totals[p], site.fingerprints().facts)), site.fingerprints().body)
            }
            Job::Leaflet(p, s) => {
                let (programme, site) = (&b.programmes[p].entry, &b.programmes[p].sites[s]);
                (hash(&(programme.fingerprints().facts, site.fingerprints().facts)), 0)
            }
            Job::Booklet(p) | Job::Leaflets(p) => (self.programmes[p], 0),
            // A code is its page's address; the job's place alone does not say which page.
            Job::SiteQr(..) | Job::ProgrammeQr(_) => (hash(&r.job_path(job, lang)), 0),
            Job::AllSites => (self.all, 0),
            Job::Requirement(i) => (self.list_page(r, List::Requirement(i), 1, lang), 0),
            Job::Obligation(i) => (self.list_page(r, List::Obligation(i), 1, lang), 0),
            Job::ListPage(list, n) => (self.list_page(r, list, n, lang), 0),
            Job::FacetIndex | Job::SearchText => (self.all, 0),
            Job::CardChunk(n) => (self.card_chunks.get(n).copied().unwrap_or(0), 0),
        };
        hash(&(self.global, job, lang, facts, body))
    }
}
