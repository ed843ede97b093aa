//! Memory of earlier renders, for `serve`: a page whose template data did not change is not
//! rendered again, a Markdown body whose text and link targets did not change is not parsed
//! again, and a QR code is drawn once per address. Entries are keyed by a hash of all their
//! inputs, so a hit is always what a fresh render would give; a full rebuild and a cached one
//! are byte-identical by construction (and tested).

use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::sync::{Arc, Mutex};

use super::markdown::Rendered;
use super::Output;
use crate::Diagnostic;

/// Cached renders; `RenderCache::default()` remembers across renders (serve), while a
/// one-off build uses [`RenderCache::for_one_build`], which only shares QR codes.
#[derive(Default)]
pub struct RenderCache {
    one_build: bool,
    inner: Mutex<Inner>,
}

#[derive(Default)]
struct Inner {
    generation: u64,
    qr: HashMap<String, (u64, Arc<str>)>,
    markdown: HashMap<u64, (u64, Arc<Rendered>)>,
    pages: HashMap<u64, (u64, Arc<str>)>,
    jobs: HashMap<u64, (u64, Arc<Made>)>,
}

/// A file made by one job, and the warnings it raised.
type Made = (Output, Vec<Diagnostic>);

pub fn hash_of(parts: &[&[u8]]) -> u64 {
    // In-process only: std's hasher needs no stability across releases here.
    let mut h = std::collections::hash_map::DefaultHasher::new();
    for p in parts {
        p.hash(&mut h);
    }
    h.finish()
}

impl RenderCache {
    pub fn for_one_build() -> RenderCache {
        RenderCache { one_build: true, inner: Mutex::default() }
    }

    /// Whether pages and Markdown are remembered (serve) or only QR codes (build).
    pub fn remembers_pages(&self) -> bool {
        !self.one_build
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Starts a render: entries not used by it are dropped at [`RenderCache::finish`].
    pub fn start(&self) {
        self.lock().generation += 1;
    }

    pub fn finish(&self) {
        let mut inner = self.lock();
        let g = inner.generation;
        inner.qr.retain(|_, (used, _)| *used == g);
        inner.markdown.retain(|_, (used, _)| *used == g);
        inner.pages.retain(|_, (used, _)| *used == g);
        inner.jobs.retain(|_, (used, _)| *used == g);
    }

    pub fn qr(&self, key: &str, make: impl FnOnce() -> String) -> Arc<str> {
        {
            let mut inner = self.lock();
            let g = inner.generation;
            if let Some((used, svg)) = inner.qr.get_mut(key) {
                *used = g;
                return Arc::clone(svg);
            }
        }
        let svg: Arc<str> = make().into();
        let mut inner = self.lock();
        let g = inner.generation;
        inner.qr.insert(key.to_string(), (g, Arc::clone(&svg)));
        svg
    }

    pub fn markdown(&self, key: u64, make: impl FnOnce() -> Rendered) -> Arc<Rendered> {
        if self.one_build {
            return Arc::new(make());
        }
        if let Some(hit) = self.get(key, |i| &mut i.markdown) {
            return hit;
        }
        let value = Arc::new(make());
        let mut inner = self.lock();
        let g = inner.generation;
        inner.markdown.insert(key, (g, Arc::clone(&value)));
        value
    }

    pub fn page(
        &self,
        key: u64,
        make: impl FnOnce() -> Result<String, crate::Diagnostic>,
    ) -> Result<Arc<str>, crate::Diagnostic> {
        if let Some(hit) = self.get(key, |i| &mut i.pages) {
            return Ok(hit);
        }
        let value: Arc<str> = make()?.into();
        let mut inner = self.lock();
        let g = inner.generation;
        inner.pages.insert(key, (g, Arc::clone(&value)));
        Ok(value)
    }

    /// A whole file, kept under a key made from everything its job reads (see `keys`).
    pub fn job(&self, key: u64, make: &dyn Fn() -> Result<Made, Diagnostic>) -> Result<Made, Diagnostic> {
        if let Some(hit) = self.get(key, |i| &mut i.jobs) {
            return Ok((*hit).clone());
        }
        let value = Arc::new(make()?);
        let mut inner = self.lock();
        let g = inner.generation;
        inner.jobs.insert(key, (g, Arc::clone(&value)));
        drop(inner);
        Ok(Arc::unwrap_or_clone(value))
    }

    fn get<V: ?Sized>(&self, key: u64, map: impl Fn(&mut Inner) -> &mut HashMap<u64, (u64, Arc<V>)>) -> Option<Arc<V>> {
        let mut inner = self.lock();
        let g = inner.generation;
        let (used, v) = map(&mut inner).get_mut(&key)?;
        *used = g;
        Some(Arc::clone(v))
    }
}
