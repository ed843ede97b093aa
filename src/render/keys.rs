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
//! - the home page and the lists of sites: the facts of every programme and site.
//!
//! A page keyed too narrowly would be served stale; the test
//! `incremental_rebuilds_are_byte_identical_to_full_builds` and the random edit sequences in
//! `tests/build/incremental.rs` compare every file with a full build.

use std::hash::Hash;

use super::{Job, Renderer};
use crate::hashing::{hash, hash_with};
use crate::model::Brochure;

pub(super) struct Keys {
    global: u64,
    /// Per programme: its facts and its sites'.
    programmes: Vec<u64>,
    /// Every programme's and site's facts.
    all: u64,
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
    pub(super) fn new(r: &Renderer<'_>, settings: u64) -> Keys {
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
        Keys { global: hash(&(settings, addresses, menu)), all: hash(&programmes), programmes }
    }

    /// The key of a file made from the addresses and menus only (sitemap, 404 page).
    pub(super) fn named(&self, name: &str) -> u64 {
        hash(&(self.global, name))
    }

    /// The key of one page: equal keys, equal pages.
    pub(super) fn job(&self, r: &Renderer<'_>, job: Job, lang: &str) -> u64 {
        let b = r.b;
        let (facts, body) = match job {
            Job::Home => (self.all, b.home.fingerprints().body),
            Job::Page(i) => (0, b.pages[i].fingerprints().body),
            Job::Programme(p) => (self.programmes[p], b.programmes[p].entry.fingerprints().body),
            Job::Site(p, s) => (self.programmes[p], b.programmes[p].sites[s].fingerprints().body),
            Job::Leaflet(p, _) | Job::Booklet(p) => (self.programmes[p], 0),
            Job::AllSites | Job::Requirement(_) | Job::Obligation(_) => (self.all, 0),
        };
        hash(&(self.global, job, lang, facts, body))
    }
}
