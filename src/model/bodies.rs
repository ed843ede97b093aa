//! The brochure after an edit of bodies alone (serve): the same entries, facts and
//! addresses, with the edited files' new text. Facts come from front matters only, so an
//! edit that leaves every front matter as it was leaves every fact as it was; only the
//! pages that show the edited bodies need making again.

use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;

use super::{Brochure, Entry, Programme};
use crate::load::SourceDoc;

/// An entry of the brochure, by its place.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Place {
    Home,
    Page(usize),
    Programme(usize),
    /// Programme, site.
    Site(usize, usize),
}

impl Brochure {
    /// This brochure with `docs` (new readings of files it has, front matters unchanged) in
    /// place of the old ones, and the entries that show one of them.
    pub fn with_bodies(&self, docs: &[Arc<SourceDoc>]) -> (Brochure, Vec<Place>) {
        let by_path: HashMap<&Path, &Arc<SourceDoc>> = docs.iter().map(|d| (d.path.as_path(), d)).collect();
        let mut touched = Vec::new();
        let home = swap(&self.home, Place::Home, &by_path, &mut touched);
        let pages =
            self.pages.iter().enumerate().map(|(i, e)| swap(e, Place::Page(i), &by_path, &mut touched)).collect();
        let mut programmes = Vec::with_capacity(self.programmes.len());
        for (p, programme) in self.programmes.iter().enumerate() {
            let entry = swap(&programme.entry, Place::Programme(p), &by_path, &mut touched);
            let sites = programme.sites.iter().enumerate();
            let sites = sites.map(|(s, site)| swap(site, Place::Site(p, s), &by_path, &mut touched)).collect();
            programmes.push(Programme { entry, sites });
        }
        let docs = self.docs.iter().map(|d| Arc::clone(by_path.get(d.path.as_path()).copied().unwrap_or(d))).collect();
        (Brochure { docs, home, programmes, pages }, touched)
    }
}

/// The entry, or a new one with the new readings of its files when it shows one of them.
fn swap<F: Clone>(
    e: &Arc<Entry<F>>,
    place: Place,
    by_path: &HashMap<&Path, &Arc<SourceDoc>>,
    touched: &mut Vec<Place>,
) -> Arc<Entry<F>> {
    let new = |d: &Option<Arc<SourceDoc>>| d.as_ref().and_then(|d| by_path.get(d.path.as_path()).copied());
    if !e.versions.iter().any(|v| new(&v.doc).is_some()) {
        return Arc::clone(e);
    }
    touched.push(place);
    let versions = e
        .versions
        .iter()
        .map(|v| super::Version {
            lang: v.lang.clone(),
            translated: v.translated,
            doc: new(&v.doc).cloned().or_else(|| v.doc.clone()),
            facts: v.facts.clone(),
            path: v.path.clone(),
        })
        .collect();
    Arc::new(Entry::new(e.id.clone(), versions))
}
