//! Every site of the catalogue as the list of all sites and its filter data take them, per
//! language: the sites as lists show them, their facet table and their search text. Taken once per render,
//! since each of those files reads all of them, and kept across serve's renders: an edit of
//! some sites' facts puts those sites anew rather than taking 50,000 again.

use std::sync::{Arc, Mutex};

use super::cards::SiteInLists;
use super::views::script_json;
use super::Renderer;
use crate::config::Config;
use crate::diagnostic::Diagnostic;
use crate::filter::FacetTable;

/// Sites as lists show them, in the order of a list.
pub(super) type SitesInLists = Arc<[Arc<SiteInLists>]>;

/// Per language, what a render took of every site.
pub(super) struct Catalogue(Vec<Taken>);

/// One language's: each part is taken when a job first needs it.
struct Taken {
    lang: String,
    sites: Mutex<Option<SitesInLists>>,
    facets: Mutex<Option<Arc<FacetTable>>>,
    /// The search text file's JSON.
    search: Mutex<Option<Arc<str>>>,
}

/// One language's, as a render leaves it for the next.
#[derive(Clone)]
pub(super) struct Kept {
    lang: String,
    sites: Option<SitesInLists>,
    facets: Option<Arc<FacetTable>>,
    search: Option<Arc<str>>,
}

/// What `slot` holds, or what `make` gives, then held. The jobs that need it in one language
/// wait for the first to make it rather than make it too.
fn held<T: Clone>(
    slot: Option<&Mutex<Option<T>>>,
    make: impl FnOnce() -> Result<T, Diagnostic>,
) -> Result<T, Diagnostic> {
    let Some(slot) = slot else { return make() };
    let mut held = lock(slot);
    if let Some(value) = &*held {
        return Ok(value.clone());
    }
    let made = make()?;
    *held = Some(made.clone());
    Ok(made)
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

impl Catalogue {
    /// Nothing taken yet, but what `last` holds: what a render of the same sites, in the
    /// same order and with the same cards took (serve's last render, before a patch).
    /// Taken from `last` rather than shared with it, so that a patch changes the lists in place.
    pub(super) fn new(config: &Config, mut last: Vec<Kept>) -> Catalogue {
        let mut taken = |code: &str| {
            let kept = last.iter().position(|k| k.lang == code).map(|at| last.swap_remove(at));
            let (sites, facets, search) = kept.map_or((None, None, None), |k| (k.sites, k.facets, k.search));
            Taken {
                lang: code.to_string(),
                sites: Mutex::new(sites),
                facets: Mutex::new(facets),
                search: Mutex::new(search),
            }
        };
        Catalogue(config.languages.iter().map(|l| taken(&l.code)).collect())
    }

    /// What was taken, for the next render to start from.
    pub(super) fn kept(&self) -> Vec<Kept> {
        let kept = |t: &Taken| Kept {
            lang: t.lang.clone(),
            sites: lock(&t.sites).clone(),
            facets: lock(&t.facets).clone(),
            search: lock(&t.search).clone(),
        };
        self.0.iter().map(kept).collect()
    }

    fn of(&self, lang: &str) -> Option<&Taken> {
        self.0.iter().find(|t| t.lang == lang)
    }
}

impl Renderer<'_> {
    /// Every site in the order of the list of all sites, as lists show it in `lang`.
    pub(super) fn every_site_in_lists(&self, lang: &str) -> Result<SitesInLists, Diagnostic> {
        held(self.catalogue.of(lang).map(|t| &t.sites), || {
            self.every_site().map(|(p, s)| self.site_in_lists(p, s, lang)).collect()
        })
    }

    /// The facet table of every site in `lang`, for the facet index and the panel's counts.
    pub(super) fn every_site_facets(&self, lang: &str) -> Result<Arc<FacetTable>, Diagnostic> {
        held(self.catalogue.of(lang).map(|t| &t.facets), || {
            let programmes: Vec<_> = self.b.programmes.iter().collect();
            Ok(Arc::new(self.facet_table(&programmes, &self.every_site_in_lists(lang)?)))
        })
    }

    /// The JSON of the search text of every site in `lang`.
    pub(super) fn every_site_search(&self, lang: &str) -> Result<Arc<str>, Diagnostic> {
        held(self.catalogue.of(lang).map(|t| &t.search), || {
            let sites = self.every_site_in_lists(lang)?;
            let text: Vec<&str> = sites.iter().map(|s| s.filter.text.as_str()).collect();
            Ok(script_json(&text).into())
        })
    }

    /// Puts the sites at `at` (programme, site) anew in what is held, once for all: their
    /// facts changed, not their place. What a new card fails in, or what a change of city,
    /// keys or searched text would reorder or change, is dropped, for the job that takes it
    /// again to make it whole.
    pub(super) fn put_in_every_site(&self, at: &[(usize, usize)]) {
        let programmes = &self.b.programmes;
        let place = |p: usize, s: usize| programmes[..p].iter().map(|p| p.sites.len()).sum::<usize>() + s;
        for taken in &self.catalogue.0 {
            let made: Result<Vec<(usize, Arc<SiteInLists>)>, Diagnostic> = at
                .iter()
                .map(|&(p, s)| {
                    Ok((place(p, s), self.site_in_lists(&programmes[p], &programmes[p].sites[s], &taken.lang)?))
                })
                .collect();
            // Locked in the order of the jobs that take them: a facet table or search text, then the sites.
            let (mut facets, mut search, mut sites) = (lock(&taken.facets), lock(&taken.search), lock(&taken.sites));
            let (Some(list), Ok(made)) = (sites.as_mut(), made) else {
                (*sites, *facets, *search) = (None, None, None);
                continue;
            };
            // In place when nothing else holds them, as after the last render.
            let list = match Arc::get_mut(list) {
                Some(list) => list,
                None => {
                    *list = list.to_vec().into();
                    Arc::get_mut(list).expect("a list just made")
                }
            };
            for (i, site) in made {
                if facets.as_mut().is_some_and(|t| !Arc::make_mut(t).put_volunteers(i, &site.filter)) {
                    *facets = None;
                }
                if list[i].filter.text != site.filter.text {
                    *search = None;
                }
                list[i] = site;
            }
        }
    }
}
