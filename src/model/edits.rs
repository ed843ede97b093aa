//! Which sites an edit changed, when it changed nothing else (serve): the same home page,
//! pages and programme entries, and the same sites in the same order at the same addresses.
//! Then only the pages that show those sites can have changed.

use std::sync::Arc;

use super::{Brochure, Entry, SiteFacts};

/// A site whose entry is not the last build's, at the same place and addresses.
#[derive(Debug, Clone)]
pub struct SiteEdit {
    /// Programme, site within it.
    pub at: (usize, usize),
    /// The entry as the last build had it.
    pub old: Arc<Entry<SiteFacts>>,
}

/// The sites of `new` that differ from `old`'s, when nothing else does; `None` when anything
/// else does (an entry added, removed, moved or given another address, a page or programme
/// changed), and the whole site must be made again. Entries are compared by what they show
/// ([`Entry::fingerprints`]): an entry serve did not make again is the same one, and compares
/// by address first.
pub fn changed_sites(old: &Brochure, new: &Brochure) -> Option<Vec<SiteEdit>> {
    fn same<F: std::hash::Hash>(a: &Arc<Entry<F>>, b: &Arc<Entry<F>>) -> bool {
        Arc::ptr_eq(a, b) || (a.id == b.id && a.fingerprints() == b.fingerprints())
    }
    let pages = old.pages.len() == new.pages.len() && old.pages.iter().zip(&new.pages).all(|(a, b)| same(a, b));
    if !same(&old.home, &new.home) || !pages || old.programmes.len() != new.programmes.len() {
        return None;
    }
    let mut edits = Vec::new();
    for (p, (a, b)) in old.programmes.iter().zip(&new.programmes).enumerate() {
        if !same(&a.entry, &b.entry) || a.sites.len() != b.sites.len() {
            return None;
        }
        for (s, (x, y)) in a.sites.iter().zip(&b.sites).enumerate() {
            if same(x, y) {
                continue;
            }
            if x.id != y.id || x.fingerprints().address != y.fingerprints().address {
                return None;
            }
            edits.push(SiteEdit { at: (p, s), old: Arc::clone(x) });
        }
    }
    Some(edits)
}
