//! Memory of earlier assemblies, for `serve`: the entry made from a group of files (a page,
//! a programme, a site and its translations) is kept under a hash of everything that went
//! into it: the files' paths and text, the configuration and, for a site, its programme's
//! files. A hit is therefore what assembling again would give, problems included.

use std::any::Any;
use std::hash::Hash;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use super::assemble::Assembly;
use super::groups::Group;
use super::resume::LastAssembly;
use super::{Entry, PageFacts, ProgrammeFacts, SiteFacts};
use crate::diagnostic::Diagnostic;
use crate::load::SourceDoc;

/// The key of a unit made from group `g`: its files (path and text), and the settings that
/// change what they give.
pub(super) fn unit_key(kind: &str, settings: u64, g: &Group, docs: &[Arc<SourceDoc>]) -> u64 {
    crate::hashing::hash_with(|h| {
        (kind, settings, g.by_lang.len()).hash(h);
        g.by_lang.iter().for_each(|&(_, i)| docs[i].stamp().hash(h));
    })
}

/// A page or the home page: its weight, its entry (none for a draft or a file with
/// errors) and the problems found.
pub(super) struct PageUnit {
    pub weight: Option<i64>,
    pub entry: Option<Arc<Entry<PageFacts>>>,
    pub problems: Vec<Diagnostic>,
}

/// A programme file and its translations; `slugs` are its address part per language.
pub(super) struct ProgrammeUnit {
    pub weight: Option<i64>,
    pub found: Option<(Arc<Entry<ProgrammeFacts>>, Vec<String>)>,
    pub problems: Vec<Diagnostic>,
}

/// A site file and its translations.
pub(super) struct SiteUnit {
    pub weight: Option<i64>,
    /// The first file of the site when its front matter could be read (and it is no draft).
    pub resolved: Option<PathBuf>,
    /// Problems found reading the files, reported in file order.
    pub resolve_problems: Vec<Diagnostic>,
    /// The site, when its programme exists.
    pub entry: Option<Arc<Entry<SiteFacts>>>,
    /// Problems found making the site's facts, reported after its programme's.
    pub entry_problems: Vec<Diagnostic>,
}

/// Assembled units by key. `ModelCache::default()` remembers across builds (serve); a
/// one-off build uses [`ModelCache::for_one_build`], which keeps nothing and so never
/// needs to hash the files.
#[derive(Default)]
pub struct ModelCache {
    one_build: bool,
    inner: Mutex<Inner>,
    /// The last assembly, which an edit of some sites' files alone resumes.
    last: Mutex<Option<LastAssembly>>,
}

type ErasedUnit = Arc<dyn Any + Send + Sync>;

#[derive(Default)]
struct Inner {
    generation: u64,
    units: crate::hashing::KeyMap<(u64, ErasedUnit)>,
}

impl ModelCache {
    pub fn for_one_build() -> ModelCache {
        ModelCache { one_build: true, ..ModelCache::default() }
    }

    pub(super) fn remembers(&self) -> bool {
        !self.one_build
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Starts an assembly: units it does not use are dropped at [`ModelCache::finish`].
    pub(super) fn start(&self) {
        self.lock().generation += 1;
    }

    pub(super) fn finish(&self) {
        let mut inner = self.lock();
        let g = inner.generation;
        inner.units.retain(|_, (used, _)| *used == g);
    }

    /// The assembly of `docs` resumed from the last one (see [`LastAssembly::resume`]).
    pub(super) fn resume(
        &self,
        docs: &[Arc<super::SourceDoc>],
        settings: u64,
        ctx: &mut Assembly<'_>,
    ) -> Option<(super::Brochure, Vec<Diagnostic>)> {
        let mut last = self.last.lock().unwrap_or_else(|e| e.into_inner());
        last.as_mut()?.resume(docs, settings, ctx, self)
    }

    pub(super) fn keep_last(&self, assembly: LastAssembly) {
        *self.last.lock().unwrap_or_else(|e| e.into_inner()) = Some(assembly);
    }

    /// The unit stored under `key`, or the one `make` gives (then stored). `key` is only
    /// called when the cache remembers.
    pub(super) fn unit<T: Any + Send + Sync>(&self, key: impl FnOnce() -> u64, make: impl FnOnce() -> T) -> Arc<T> {
        if self.one_build {
            return Arc::new(make());
        }
        let key = key();
        {
            let mut inner = self.lock();
            let g = inner.generation;
            if let Some((used, unit)) = inner.units.get_mut(&key) {
                if let Ok(hit) = Arc::clone(unit).downcast::<T>() {
                    *used = g;
                    return hit;
                }
            }
        }
        let made = Arc::new(make());
        let mut inner = self.lock();
        let g = inner.generation;
        inner.units.insert(key, (g, Arc::clone(&made) as ErasedUnit));
        made
    }
}
