//! serve's render after an edit that leaves the addresses and the lists as they were: the
//! pages whose key can change (`keys`) are found from what changed, made again with the
//! last render's templates, lists and link index, and every other file is the last
//! render's. Visiting the other 22,000 pages of a 10,000-page site (220,000 at 50,000
//! sites) to find them unchanged was most of a save.
//! - After an edit of bodies alone ([`patch`]), the pages of the edited entries.
//! - After an edit of some sites' facts ([`patch_facts`]), the pages that show those sites:
//!   their own, their programmes', the lists and filter data they are in.

use std::sync::{Arc, Mutex, OnceLock};

use rayon::prelude::*;

use super::cache::{JobOutput, LastRender};
use super::jobs::Job;
use super::pagination::List;
use super::{Keeping, RenderCache, Rendered, Renderer, SettingsHash};
use crate::config::Config;
use crate::diagnostic::Diagnostic;
use crate::load::ThemeFiles;
use crate::model::{Brochure, Place, SiteEdit};

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
    let r = renderer(&mut last, b, config, theme, cache);
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
    let made = jobs.iter().zip(&places).zip(made).map(|((&(job, l), &at), (key, out))| (at, job, l, key, out));
    Some(Ok(finish(r, last, made.collect())))
}

/// A renderer with what the last render made from the whole site.
fn renderer<'a>(
    last: &mut LastRender,
    b: &'a Brochure,
    config: &'a Config,
    theme: &'a ThemeFiles,
    cache: &'a RenderCache,
) -> Renderer<'a> {
    Renderer {
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
        printed: super::leaflet::Printed::default(),
        catalogue: super::catalogue::Catalogue::new(config, std::mem::take(&mut last.catalogue)),
    }
}

/// Puts the files made, as (place in the last render's jobs, job, language, key, file),
/// in the last render, which is kept for the next; the render holds only those files.
fn finish(r: Renderer<'_>, mut last: LastRender, made: Vec<(usize, Job, usize, u64, Arc<JobOutput>)>) -> Rendered {
    let mut outputs = Vec::with_capacity(made.len());
    for (at, job, l, key, out) in made {
        r.cache.replace_job(last.jobs[at].2, key, Arc::clone(&out));
        outputs.push(out.0.clone());
        last.jobs[at] = (job, l, key, out);
    }
    last.catalogue = r.catalogue.kept();
    let body_links = r.body_links.into_inner().unwrap_or_else(|e| e.into_inner());
    let rendered = Rendered {
        outputs,
        warnings: last.warnings(),
        body_links,
        links: Arc::clone(&last.links),
        site_key: last.site_key,
        patched: true,
    };
    r.cache.set_last(last);
    rendered
}

/// The pages that show the sites `edits` name made again, in every language, when their
/// key changed (every other file is as the last render made it); `None` when serve has no
/// last render to start from, or when the edit may change more than those pages: the
/// configuration or theme changed, or a site's requirements or obligations did (the lists
/// it is in, and so their pages, may be others). The brochure must differ from the last
/// render's by those sites' entries alone (`model::changed_sites`).
pub fn patch_facts(
    b: &Brochure,
    config: &Config,
    theme: &ThemeFiles,
    cache: &RenderCache,
    edits: &[SiteEdit],
) -> Option<Result<Rendered, Vec<Diagnostic>>> {
    let mut last = cache.take_last()?;
    let lists_kept = edits.iter().all(|e| {
        let new = &b.programmes[e.at.0].sites[e.at.1];
        fn terms(v: &crate::model::Version<crate::model::SiteFacts>) -> [&[String]; 3] {
            [&v.facts.required, &v.facts.preferred, &v.facts.obligations]
        }
        e.old.versions.iter().map(terms).eq(new.versions.iter().map(terms))
    });
    if !lists_kept || last.settings != SettingsHash(crate::hashing::hash(&(config, theme))) {
        return None;
    }
    let r = renderer(&mut last, b, config, theme, cache);
    r.put_in_every_site(&edits.iter().map(|e| e.at).collect::<Vec<_>>());
    let reach = Reach::of(&r, edits);
    reach.refresh(&r, &mut last.keys);
    debug_assert!(last.keys == super::keys::Keys::new(&r, last.settings), "refreshed keys are a whole render's");
    let wanted: Vec<usize> = (0..last.jobs.len()).filter(|&at| reach.may_show(last.jobs[at].0)).collect();
    let keys = &last.keys;
    let results: Vec<Result<_, Diagnostic>> = wanted
        .par_iter()
        .filter_map(|&at| {
            let (job, l, old, _) = &last.jobs[at];
            let key = keys.job(&r, *job, &config.languages[*l].code);
            (key != *old).then_some((at, *job, *l, key))
        })
        .map(|(at, job, l, key)| {
            let out = match cache.kept_job(key) {
                Some(hit) => hit,
                None => Arc::new(r.job(job, &config.languages[l].code)?),
            };
            Ok((at, job, l, key, out))
        })
        .collect();
    let (mut made, mut errors) = (Vec::new(), Vec::new());
    for result in results {
        match result {
            Ok(done) => made.push(done),
            Err(d) => errors.push(d),
        }
    }
    if !errors.is_empty() {
        super::dedup(&mut errors);
        return Some(Err(errors));
    }
    r.trim_sites_in_lists();
    Some(Ok(finish(r, last, made)))
}

/// What an edit of some sites' facts reaches, besides the pages that show the whole
/// catalogue (the home page, the first page of all sites, the facet index and search text).
struct Reach {
    /// Per programme: whether one of its sites changed (its pages, booklet and sites'
    /// pages show its totals).
    programmes: Vec<bool>,
    /// The files of card data the sites are in.
    chunks: Vec<usize>,
    /// The pages of lists on several pages that show them, as (list, page).
    pages: Vec<(List, usize)>,
}

impl Reach {
    fn of(r: &Renderer<'_>, edits: &[SiteEdit]) -> Reach {
        let size = r.config.page_size.get();
        let mut first = Vec::with_capacity(r.b.programmes.len());
        let mut sites = 0;
        for p in &r.b.programmes {
            first.push(sites);
            sites += p.sites.len();
        }
        let mut reach = Reach { programmes: vec![false; r.b.programmes.len()], chunks: Vec::new(), pages: Vec::new() };
        for &SiteEdit { at: (p, s), .. } in edits {
            let place = first[p] + s;
            reach.programmes[p] = true;
            reach.chunks.push(place / super::facets::CHUNK);
            reach.pages.push((List::AllSites, place / size + 1));
            reach.pages.push((List::Programmes, p / size + 1));
            reach.pages.extend(r.listings.sizes.term_pages_showing((p, s), size));
        }
        reach.chunks.sort_unstable();
        reach.chunks.dedup();
        reach.pages.sort_unstable();
        reach.pages.dedup();
        reach
    }

    fn refresh(&self, r: &Renderer<'_>, keys: &mut super::keys::Keys) {
        let programmes: Vec<usize> = (0..self.programmes.len()).filter(|&p| self.programmes[p]).collect();
        keys.refresh(r, &programmes, &self.chunks);
    }

    /// Whether `job`'s page may show one of the sites (its key decides whether it does).
    fn may_show(&self, job: Job) -> bool {
        match job {
            Job::Home | Job::AllSites | Job::FacetIndex | Job::SearchText => true,
            Job::Page(_) | Job::SiteQr(..) | Job::ProgrammeQr(_) => false,
            Job::Programme(p) | Job::Booklet(p) | Job::Leaflets(p) | Job::Site(p, _) | Job::Leaflet(p, _) => {
                self.programmes[p]
            }
            Job::ListPage(List::Programme(p), _) => self.programmes[p],
            Job::CardChunk(c) => self.chunks.binary_search(&c).is_ok(),
            Job::Requirement(i) => self.pages.binary_search(&(List::Requirement(i), 1)).is_ok(),
            Job::Obligation(i) => self.pages.binary_search(&(List::Obligation(i), 1)).is_ok(),
            Job::ListPage(list, n) => self.pages.binary_search(&(list, n)).is_ok(),
        }
    }
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
        catalogue: r.catalogue.kept(),
    });
}
