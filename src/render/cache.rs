//! Memory of earlier renders, for `serve`. From the coarsest to the finest:
//! - whole files, by a key of everything their page reads (see `keys`): most pages of a
//!   rebuild are taken from here and not rendered at all;
//! - what lists show of each site (its card as HTML, its filter data), by site and language;
//! - pages by a hash of their template data, Markdown bodies by their text and link
//!   targets, and QR codes by address, for pages that must be rendered again;
//! - values made from the whole site (compiled templates, link index), by a hash of what
//!   they were made from.
//!
//! Every entry is keyed by a hash of all its inputs, so a hit is what a fresh render would
//! give: a full build and a cached one are byte-identical by construction (and tested).
//! A one-off build ([`RenderCache::for_one_build`]) keeps only what repeats within it.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, RwLock};

use super::cards::SiteInLists;
use super::i18n::Strings;
use super::jobs::Job;
use super::keys::Keys;
use super::links::LinkIndex;
use super::listing::Listings;
use super::markdown::Rendered;
use super::qr::Code;
use super::templates::Templates;
use super::{Output, PdfLinks, SettingsHash};
use crate::hashing::KeyMap;
use crate::Diagnostic;

/// Cached renders; `RenderCache::default()` remembers across renders (serve), while a
/// one-off build uses [`RenderCache::for_one_build`], which only shares QR codes.
#[derive(Default)]
pub struct RenderCache {
    one_build: bool,
    inner: Mutex<Inner>,
    /// Whole files by job key, from the last render: each render takes them, looks them up
    /// from every thread without locking, and leaves the ones it used.
    jobs: Mutex<Jobs>,
    /// What lists show of each site, by key. Lists read thousands per page, from every
    /// thread at once, so readers share the lock.
    sites_in_lists: RwLock<KeyMap<Arc<SiteInLists>>>,
    /// The compiled templates of the last render, and the hash of their sources.
    templates: LastValue<Templates>,
    /// The link index of the last render, and its key.
    links: LastValue<LinkIndex>,
    /// The key of the last render's file paths, when none clashed.
    clash_free: LastValue<()>,
    /// The last render, for one after an edit of bodies alone (`patch`); none after a failure.
    last: Mutex<Option<LastRender>>,
}

/// One value made from the whole site, kept with the key of what it was made from and made
/// again when that changes.
struct LastValue<T>(Mutex<Option<(u64, Arc<T>)>>);

impl<T> Default for LastValue<T> {
    fn default() -> Self {
        LastValue(Mutex::new(None))
    }
}

impl<T> LastValue<T> {
    fn get_or(&self, key: u64, make: impl FnOnce() -> T) -> Arc<T> {
        self.get(key, || Ok::<_, std::convert::Infallible>(make())).unwrap_or_else(|never| match never {})
    }

    fn get<E>(&self, key: u64, make: impl FnOnce() -> Result<T, E>) -> Result<Arc<T>, E> {
        let mut last = self.0.lock().unwrap_or_else(|e| e.into_inner());
        match &*last {
            Some((k, value)) if *k == key => Ok(Arc::clone(value)),
            _ => {
                let value = Arc::new(make()?);
                *last = Some((key, Arc::clone(&value)));
                Ok(value)
            }
        }
    }
}

/// How many renders a page, Markdown body or QR code is kept after its last use.
const KEEP_GENERATIONS: u64 = 16;

/// Files kept by job key.
pub type Jobs = KeyMap<Arc<JobOutput>>;

#[derive(Default)]
struct Inner {
    generation: u64,
    qr: HashMap<String, (u64, Option<Arc<Code>>)>,
    markdown: HashMap<u64, (u64, Arc<Rendered>)>,
    pages: HashMap<u64, (u64, Arc<[u8]>)>,
}

/// A file made by one job, and the warnings it raised.
pub type JobOutput = (Output, Vec<Diagnostic>);

impl RenderCache {
    pub fn for_one_build() -> RenderCache {
        RenderCache { one_build: true, ..RenderCache::default() }
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

    /// Drops what the last renders did not use. Most pages are not rendered at all in a
    /// rebuild (their whole file is kept), so the parts they were made of are kept for a
    /// while: a later change may need them again.
    pub fn finish(&self) {
        let mut inner = self.lock();
        let oldest = inner.generation.saturating_sub(KEEP_GENERATIONS);
        inner.qr.retain(|_, (used, _)| *used > oldest);
        inner.markdown.retain(|_, (used, _)| *used > oldest);
        inner.pages.retain(|_, (used, _)| *used > oldest);
    }

    /// Keeps only the listed sites that exist, once the old ones outnumber them: one is
    /// read only when a list is rendered again, which may be long after it was made.
    pub fn trim_sites_in_lists(&self, live: usize, keys: impl FnOnce() -> std::collections::HashSet<u64>) {
        let mut kept = self.sites_in_lists.write().unwrap_or_else(|e| e.into_inner());
        if kept.len() > 2 * live + 64 {
            let keys = keys();
            kept.retain(|k, _| keys.contains(k));
        }
    }

    /// The QR code of an address, encoded once per build (and kept across serve's builds).
    pub fn qr(&self, url: &str, make: impl FnOnce() -> Option<Code>) -> Option<Arc<Code>> {
        {
            let mut inner = self.lock();
            let g = inner.generation;
            if let Some((used, code)) = inner.qr.get_mut(url) {
                *used = g;
                return code.clone();
            }
        }
        let code = make().map(Arc::new);
        let mut inner = self.lock();
        let g = inner.generation;
        inner.qr.insert(url.to_string(), (g, code.clone()));
        code
    }

    pub fn markdown(&self, key: impl FnOnce() -> u64, make: impl FnOnce() -> Rendered) -> Arc<Rendered> {
        if self.one_build {
            return Arc::new(make());
        }
        let key = key();
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
        make: impl FnOnce() -> Result<Arc<[u8]>, crate::Diagnostic>,
    ) -> Result<Arc<[u8]>, crate::Diagnostic> {
        if let Some(hit) = self.get(key, |i| &mut i.pages) {
            return Ok(hit);
        }
        let value = make()?;
        let mut inner = self.lock();
        let g = inner.generation;
        inner.pages.insert(key, (g, Arc::clone(&value)));
        Ok(value)
    }

    /// The files kept by the last render, for this one to look up (see `keys`).
    pub fn take_jobs(&self) -> Jobs {
        std::mem::take(&mut *self.jobs.lock().unwrap_or_else(|e| e.into_inner()))
    }

    /// Keeps the files this render used, for the next.
    pub fn keep_jobs(&self, used: Jobs) {
        *self.jobs.lock().unwrap_or_else(|e| e.into_inner()) = used;
    }

    /// One file kept by the last renders, by job key.
    pub(super) fn kept_job(&self, key: u64) -> Option<Arc<JobOutput>> {
        self.jobs.lock().unwrap_or_else(|e| e.into_inner()).get(&key).cloned()
    }

    /// Keeps a file made by a render of part of the site (`patch`) for the next render, in
    /// place of the one it replaces: what serve keeps stays one file per job, however long
    /// it runs without a whole render.
    pub(super) fn replace_job(&self, old: u64, key: u64, made: Arc<JobOutput>) {
        let mut jobs = self.jobs.lock().unwrap_or_else(|e| e.into_inner());
        jobs.remove(&old);
        jobs.insert(key, made);
    }

    /// The last render, taken: a render that fails leaves none.
    pub(super) fn take_last(&self) -> Option<LastRender> {
        self.last.lock().unwrap_or_else(|e| e.into_inner()).take()
    }

    /// Every file of the last render, when it succeeded and pages are remembered (serve).
    pub fn outputs(&self) -> Option<Vec<Output>> {
        self.last.lock().unwrap_or_else(|e| e.into_inner()).as_ref().map(LastRender::outputs)
    }

    pub(super) fn set_last(&self, last: LastRender) {
        *self.last.lock().unwrap_or_else(|e| e.into_inner()) = Some(last);
    }

    /// The compiled templates, compiled again only when their sources changed.
    pub fn templates(
        &self,
        key: u64,
        compile: impl FnOnce() -> Result<Templates, Vec<Diagnostic>>,
    ) -> Result<Arc<Templates>, Vec<Diagnostic>> {
        self.templates.get(key, compile)
    }

    /// The link index, made again only when its key (the addresses) changed.
    pub fn links(&self, key: u64, make: impl FnOnce() -> LinkIndex) -> Arc<LinkIndex> {
        self.links.get_or(key, make)
    }

    /// Refuses clashing file paths, unless the paths are those of the last render, which
    /// had none (`key` stands for them): checking 20,000 paths took 30 ms of each save.
    pub fn refuse_clashes(
        &self,
        key: Option<u64>,
        check: impl FnOnce() -> Result<(), Vec<Diagnostic>>,
    ) -> Result<(), Vec<Diagnostic>> {
        match key {
            Some(key) => self.clash_free.get(key, check).map(|_| ()),
            None => check(),
        }
    }

    /// What lists show of a site; kept within a one-off build too, where lists repeat sites.
    pub fn site_in_lists(
        &self,
        key: u64,
        make: impl FnOnce() -> Result<SiteInLists, Diagnostic>,
    ) -> Result<Arc<SiteInLists>, Diagnostic> {
        if let Some(hit) = self.sites_in_lists.read().unwrap_or_else(|e| e.into_inner()).get(&key) {
            return Ok(Arc::clone(hit));
        }
        let value = Arc::new(make()?);
        self.sites_in_lists.write().unwrap_or_else(|e| e.into_inner()).insert(key, Arc::clone(&value));
        Ok(value)
    }

    fn get<V: ?Sized>(&self, key: u64, map: impl Fn(&mut Inner) -> &mut HashMap<u64, (u64, Arc<V>)>) -> Option<Arc<V>> {
        let mut inner = self.lock();
        let g = inner.generation;
        let (used, v) = map(&mut inner).get_mut(&key)?;
        *used = g;
        Some(Arc::clone(v))
    }
}

/// What a render made from the whole site, and every file it made, in output order.
pub(super) struct LastRender {
    pub(super) strings: Arc<Strings>,
    /// The warnings about the theme's strings, reported first.
    pub(super) strings_warnings: Vec<Diagnostic>,
    pub(super) listings: Arc<Listings>,
    pub(super) templates: Arc<Templates>,
    pub(super) templates_hash: u64,
    pub(super) links: Arc<LinkIndex>,
    pub(super) links_hash: u64,
    pub(super) settings: SettingsHash,
    pub(super) keys: Keys,
    pub(super) site_key: u64,
    pub(super) pdf_links: PdfLinks,
    /// Each job's file and warnings, with its key and its language's place in config.
    pub(super) jobs: Vec<(Job, usize, u64, Arc<JobOutput>)>,
    /// The files after the jobs': sitemap, 404 page, robots.txt, copied files.
    pub(super) tail: Vec<Output>,
    /// Every site as lists show it, its facet table and search text, per language, where
    /// the render took them.
    pub(super) catalogue: Vec<super::catalogue::Kept>,
}

impl LastRender {
    /// Every file, in output order.
    pub(super) fn outputs(&self) -> Vec<Output> {
        let jobs = self.jobs.iter().map(|(_, _, _, made)| made.0.clone());
        jobs.chain(self.tail.iter().cloned()).collect()
    }

    /// Every warning, as the render that made the files returned them.
    pub(super) fn warnings(&self) -> Vec<Diagnostic> {
        let jobs = self.jobs.iter().flat_map(|(_, _, _, made)| &made.1);
        self.strings_warnings.iter().chain(jobs).cloned().collect()
    }
}
