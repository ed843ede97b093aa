//! serve's render after an edit of bodies alone: facts, addresses and lists are as the last
//! render left them (see `model::Place`), so the pages keyed by those bodies are the only
//! ones whose key can change (`keys`). They are made again with the last render's
//! templates, lists and link index; every other file is the last render's. Visiting the
//! other 22,000 pages of a 10,000-page site to find them unchanged was most of a save.

use std::sync::{Arc, Mutex, OnceLock};

use super::jobs::Job;
use super::{Keeping, RenderCache, Rendered, Renderer};
use crate::config::Config;
use crate::diagnostic::Diagnostic;
use crate::load::ThemeFiles;
use crate::model::{Brochure, Place};

/// The pages of the entries at `touched` made again, in every language (every other file
/// is as the last render made it); `None` when serve has no last render to start from (it
/// failed, or this is the first). The brochure must differ from the last render's by the
/// bodies of those entries alone.
pub fn patch(
    b: &Brochure,
    config: &Config,
    theme: &ThemeFiles,
    cache: &RenderCache,
    touched: &[Place],
) -> Option<Result<Rendered, Vec<Diagnostic>>> {
    let mut last = cache.take_last()?;
    let jobs: Vec<(Job, usize)> = touched
        .iter()
        .flat_map(|place| {
            let job = match *place {
                Place::Home => Job::Home,
                Place::Page(i) => Job::Page(i),
                Place::Programme(p) => Job::Programme(p),
                Place::Site(p, s) => Job::Site(p, s),
            };
            (0..config.languages.len()).map(move |l| (job, l))
        })
        .collect();
    // One pass over every job finds the few needed: cheaper than keeping an index of
    // 220,000 jobs up to date (0.5 ms at 50,000 sites). Many (a checkout of another
    // branch) are looked up by hash instead.
    let wanted: std::collections::HashMap<(Job, usize), usize> = match jobs.len() > 16 {
        true => jobs.iter().enumerate().map(|(i, k)| (*k, i)).collect(),
        false => Default::default(),
    };
    let find = |k: (Job, usize)| match jobs.len() > 16 {
        true => wanted.get(&k).copied(),
        false => jobs.iter().position(|j| *j == k),
    };
    let mut places = vec![None; jobs.len()];
    for (at, (job, l, _, _)) in last.jobs.iter().enumerate() {
        if let Some(i) = find((*job, *l)) {
            places[i] = Some(at);
        }
    }
    let places: Vec<usize> = places.into_iter().collect::<Option<_>>()?;
    let r = Renderer {
        b,
        config,
        theme,
        base: config.base(),
        strings: Arc::clone(&last.strings),
        templates: Arc::clone(&last.templates),
        links: Arc::clone(&last.links),
        listings: Arc::clone(&last.listings),
        cache,
        templates_hash: last.templates_hash,
        keeping: Keeping::AcrossBuilds(last.settings),
        links_hash: last.links_hash,
        pdf_links: OnceLock::from(last.pdf_links.clone()),
        body_links: Mutex::new(Vec::new()),
        panels: Mutex::default(),
        every_site_in_lists: super::cards::EverySiteInLists::new(config),
    };
    let mut made = Vec::with_capacity(jobs.len());
    let mut errors = Vec::new();
    for &(job, l) in &jobs {
        let lang = config.languages[l].code.as_str();
        let key = last.keys.job(&r, job, lang);
        let result = match cache.kept_job(key) {
            Some(hit) => Ok(hit),
            None => r.job(job, lang).map(Arc::new),
        };
        match result {
            Ok(out) => made.push((key, out)),
            Err(d) => errors.push(d),
        }
    }
    if !errors.is_empty() {
        return Some(Err(errors));
    }
    let mut outputs = Vec::with_capacity(made.len());
    for ((&(job, l), &at), (key, out)) in jobs.iter().zip(&places).zip(made) {
        cache.keep_job(key, Arc::clone(&out));
        outputs.push(out.0.clone());
        last.jobs[at] = (job, l, key, out);
    }
    let body_links = r.body_links.into_inner().unwrap_or_else(|e| e.into_inner());
    let rendered = Rendered {
        outputs,
        warnings: last.warnings(),
        body_links,
        links: Arc::clone(&last.links),
        site_key: last.site_key,
        patched: true,
    };
    cache.set_last(last);
    Some(Ok(rendered))
}

/// Keeps a whole render for [`patch`]: what it made from the whole site, each job's file
/// in output order (`jobs`), and the files after them (`tail`).
pub(super) fn remember(
    r: &Renderer<'_>,
    (keys, site_key): (super::keys::Keys, u64),
    strings_warnings: Vec<crate::diagnostic::Diagnostic>,
    jobs: Vec<(Job, usize, u64, Arc<super::cache::JobOutput>)>,
    tail: Vec<super::Output>,
) {
    let Keeping::AcrossBuilds(settings) = r.keeping else { return };
    r.cache.set_last(super::cache::LastRender {
        strings: Arc::clone(&r.strings),
        strings_warnings,
        listings: Arc::clone(&r.listings),
        templates: Arc::clone(&r.templates),
        templates_hash: r.templates_hash,
        links: Arc::clone(&r.links),
        links_hash: r.links_hash,
        settings,
        keys,
        site_key,
        pdf_links: r.pdf_links.get().cloned().unwrap_or_default(),
        jobs,
        tail,
    });
}
