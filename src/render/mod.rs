//! From the brochure and the theme to the list of output files, in memory, without I/O.

mod cache;
mod cards;
mod catalogue;
mod clash;
mod facet_index;
mod facets;
mod i18n;
mod jobs;
mod jsonld;
mod keys;
mod leaflet;
mod leaflet_fit;
mod links;
mod listing;
pub mod markdown;
mod pages;
mod pagination;
mod patch;
mod print_document;
pub mod qr;
mod qr_line;
mod qr_mask;
mod qr_template;
mod sitemap;
mod templates;
mod view_struct;
mod views;

use std::path::PathBuf;
use std::sync::{Arc, Mutex, OnceLock};

use rayon::prelude::*;

use crate::config::{BaseUrl, Config};
use crate::diagnostic::Diagnostic;
use crate::hashing::ContentHash;
use crate::load::{Asset, SourceDoc, ThemeFiles};
use crate::model::Brochure;

pub use cache::RenderCache;
pub use facets::read_card_column;
pub use i18n::Strings;
pub use links::{content_path, has_scheme, normalize, Destination, LinkIndex, LinkTarget};
pub use patch::{patch, patch_facts};
pub use print_document::{PdfDecision, PdfLinks, PrintDocument, PrintFingerprint};
/// XML escaping, for the sitemap and the translators' XLIFF files.
pub(crate) use sitemap::xml_escape;
pub use views::script_json;

use jobs::{plan, Job, Origin};
use print_document::pdf_path;

/// One file of the built site.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Output {
    /// Path inside the output folder, with `/`: `en/programme/index.html`. Shared, like
    /// the content, so that a page serve keeps costs no copy.
    pub path: Arc<str>,
    pub content: OutputContent,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OutputContent {
    /// Shared, so that serve can keep a page it does not render again.
    Bytes(Arc<[u8]>),
    /// A file copied as is (theme static files, images in content/).
    Copy(PathBuf),
}

impl Output {
    pub fn page(url_path: &str, html: Arc<[u8]>) -> Output {
        Output::file(&format!("{url_path}index.html"), html)
    }
    /// A file made by a template, as Tera wrote it.
    pub fn file(path: &str, bytes: Arc<[u8]>) -> Output {
        Output { path: path.into(), content: OutputContent::Bytes(bytes) }
    }
    /// A text file; its text is shared with serve's caches, not copied.
    pub fn text(path: &str, text: impl Into<Arc<str>>) -> Output {
        Output { path: path.into(), content: OutputContent::Bytes(Arc::<[u8]>::from(text.into())) }
    }
    fn copy(asset: &Asset) -> Output {
        Output { path: asset.dest.as_str().into(), content: OutputContent::Copy(asset.source.clone()) }
    }
}

/// The result of rendering: every output file, in an order fixed by the content (job
/// order), and the warnings raised.
#[derive(Debug)]
pub struct Rendered {
    pub outputs: Vec<Output>,
    pub warnings: Vec<Diagnostic>,
    /// The anchors and links of every body rendered, for the link rules (`check::Memo`).
    pub body_links: Vec<(Arc<SourceDoc>, Arc<markdown::BodyLinks>)>,
    /// How links were read, for the link rules, and a key that stands for it and for the
    /// paths of the files across serve's builds (0 in a one-off build).
    pub links: Arc<LinkIndex>,
    pub site_key: u64,
    /// After an edit of bodies alone (serve, [`patch`]): `outputs` holds only the files
    /// made again, and every other file is the last render's ([`RenderCache::outputs`]).
    /// Handing over 220,000 files that did not change took 20 ms of a save at 50,000 sites.
    pub patched: bool,
}

/// Shared, read-only state of one render.
pub struct Renderer<'a> {
    b: &'a Brochure,
    config: &'a Config,
    theme: &'a ThemeFiles,
    base: BaseUrl,
    strings: Arc<Strings>,
    templates: Arc<templates::Templates>,
    links: Arc<LinkIndex>,
    listings: Arc<listing::Listings>,
    cache: &'a RenderCache,
    /// Hash of the templates, part of every cached page's key.
    templates_hash: u64,
    /// Whether rendered pages are kept for the next build (serve), and under what.
    keeping: Keeping,
    /// Hash of every page address, part of every cached Markdown body's key (links depend on it).
    links_hash: u64,
    /// The PDFs that exist, set once the print documents are rendered.
    pdf_links: OnceLock<PdfLinks>,
    /// What the bodies rendered so far link to.
    body_links: Mutex<Vec<(Arc<SourceDoc>, Arc<markdown::BodyLinks>)>>,
    /// What a programme's booklet, its `leaflets.html` and its sites' leaflets all print.
    printed: leaflet::Printed,
    /// The filter panels of the lists of the whole catalogue, by language and length.
    panels: Mutex<Vec<((String, bool), views::FilterPanel)>>,
    /// Every site as lists show it, its facet table and search text, per language, once a
    /// list of the whole catalogue needs them.
    catalogue: catalogue::Catalogue,
}

/// Whether a render keeps what it makes for the next one.
#[derive(Debug, Clone, Copy)]
enum Keeping {
    /// A one-off build: nothing is kept and no key is computed.
    OneOff,
    /// Serve: pages are kept under keys that include the settings they were rendered with.
    AcrossBuilds(SettingsHash),
}

/// The hash of the configuration and the theme: a change to either is a new site to serve's caches.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
struct SettingsHash(u64);

/// A rendered page and the warnings its Markdown raised.
type PageResult = Result<(Output, Vec<Diagnostic>), Diagnostic>;

/// Where rendered files go: straight to disk (build), so that a large site is never held
/// in memory whole, or back to be kept in memory (check, serve, tests): the sink returns
/// the files to keep. Called from several threads.
pub type Sink<'a> = dyn Fn(Output) -> Result<Option<Output>, Diagnostic> + Sync + 'a;

/// Renders every output into memory, in a fixed order.
pub fn render(
    b: &Brochure,
    config: &Config,
    theme: &ThemeFiles,
    assets: &[Asset],
    cache: &RenderCache,
) -> Result<Rendered, Vec<Diagnostic>> {
    render_into(b, config, theme, assets, cache, &|o| Ok(Some(o)), None)
}

/// Renders every page in every language, the 404 page, sitemap, robots.txt and static
/// files, handing each file to `sink` as soon as it is made. Returns the files the sink
/// gave back, in a fixed order, and the warnings. The print documents come first: with
/// `pdfs`, they are hashed and `pdfs` decides which PDFs the pages link; without, none.
pub fn render_into(
    b: &Brochure,
    config: &Config,
    theme: &ThemeFiles,
    assets: &[Asset],
    cache: &RenderCache,
    sink: &Sink,
    pdfs: Option<&PdfDecision>,
) -> Result<Rendered, Vec<Diagnostic>> {
    let (strings, mut warnings) = Strings::new(theme, config);
    let strings_warnings = warnings.clone();
    let listings = Arc::new(listing::Listings::new(b, config, &strings));
    let templates_hash = crate::hashing::hash(&theme.templates);
    let templates = cache.templates(templates_hash, || templates::Templates::compile(theme))?;
    // Serve keys what it keeps by the configuration, the theme and every address; a one-off
    // build keeps nothing and computes no keys.
    let keeping = match cache.remembers_pages() {
        true => Keeping::AcrossBuilds(SettingsHash(crate::hashing::hash(&(config, theme)))),
        false => Keeping::OneOff,
    };
    let (links, links_hash) = match keeping {
        Keeping::AcrossBuilds(settings) => {
            let key = crate::hashing::hash(&(settings, keys::addresses(b)));
            (cache.links(key, || LinkIndex::new(b, config)), key)
        }
        Keeping::OneOff => (Arc::new(LinkIndex::new(b, config)), 0),
    };
    cache.start();
    // A render that fails leaves no last render for `patch` to start from.
    drop(cache.take_last());
    let r = Renderer {
        b,
        config,
        theme,
        base: config.base(),
        strings: Arc::new(strings),
        templates,
        links,
        listings,
        cache,
        templates_hash,
        links_hash,
        keeping,
        pdf_links: OnceLock::new(),
        body_links: Mutex::new(Vec::new()),
        panels: Mutex::default(),
        printed: leaflet::Printed::default(),
        catalogue: catalogue::Catalogue::new(config, Vec::new()),
    };
    let (print, pages): (Vec<_>, Vec<_>) =
        plan(b, config, &r.listings.sizes).into_iter().partition(|(j, _)| j.is_print());
    // Every file's path is known before any is made: a clash (two files at one path, or a
    // page whose folder is a file, such as `slug: sitemap.xml`) is refused before anything
    // is written, whether the files go to disk or stay in memory. A print document may
    // have a PDF beside it, printed now or kept from the previous build.
    let check_clashes = || {
        let mut planned: Vec<(Arc<str>, Origin)> = print
            .iter()
            .chain(&pages)
            .map(|&(job, lang)| (r.job_path(job, lang).into(), Origin::Job(job, lang)))
            .collect();
        let pdf_paths: Vec<_> = print
            .iter()
            .map(|&(job, lang)| (Arc::from(pdf_path(&r.job_path(job, lang))), Origin::Job(job, lang)))
            .collect();
        planned.extend(pdf_paths);
        planned.extend(["sitemap.xml", "404.html", "robots.txt"].map(|p| (Arc::from(p), Origin::Generated)));
        planned.extend(
            theme.statics.iter().chain(assets).map(|a| (Arc::from(a.dest.as_str()), Origin::File(a.source.clone()))),
        );
        clash::refuse_clashes(&mut planned, &|o: &Origin| r.origin_doc(o), &|o: &Origin| r.describe(o))
    };
    // serve: the paths are those of the last render when the addresses, the lists' sizes and
    // the copied files are.
    let paths_key = match keeping {
        Keeping::AcrossBuilds(_) => {
            let copied: Vec<&str> = theme.statics.iter().chain(assets).map(|a| a.dest.as_str()).collect();
            Some(crate::hashing::hash(&(links_hash, &r.listings.sizes, copied)))
        }
        Keeping::OneOff => None,
    };
    cache.refuse_clashes(paths_key, check_clashes)?;
    // Serve keys each page by what it reads and renders only pages whose key changed.
    let keys = match keeping {
        Keeping::AcrossBuilds(settings) => Some(keys::Keys::new(&r, settings)),
        Keeping::OneOff => None,
    };
    let kept = cache.take_jobs();
    // A job's file: the one kept under its key, or a new one; with the key, for the next render.
    type KeptJob = Option<(u64, Arc<cache::JobOutput>)>;
    type JobDone = Result<(Arc<str>, Vec<Diagnostic>, KeptJob, Option<Output>, Option<ContentHash>), Diagnostic>;
    let keyed = |key: &dyn Fn(&keys::Keys) -> u64, make: &dyn Fn() -> PageResult| match &keys {
        Some(k) => {
            let key = key(k);
            let made = match kept.get(&key) {
                Some(hit) => Arc::clone(hit),
                None => Arc::new(make()?),
            };
            Ok(((*made).clone(), Some((key, made))))
        }
        None => make().map(|made| (made, None)),
    };
    // Each job hands its file on and keeps only its path and warnings (and a print
    // document's hash, when PDFs are decided).
    let fingerprint = PrintFingerprint::new(&r.base);
    let run = |jobs: &[(Job, &str)]| -> Vec<JobDone> {
        jobs.par_iter()
            .map(|&(job, lang)| {
                let ((out, w), used) = keyed(&|k| k.job(&r, job, lang), &|| r.job(job, lang))?;
                let path = out.path.clone();
                debug_assert_eq!(&*path, r.job_path(job, lang), "a job's file is where the plan says");
                let source = match (&out.content, pdfs.is_some() && job.is_print()) {
                    (OutputContent::Bytes(bytes), true) => Some(fingerprint.of(bytes)),
                    _ => None,
                };
                Ok((path, w, used, sink(out)?, source))
            })
            .collect()
    };
    let mut results = run(&print);
    // Pages link the PDFs: decide them first, unless the build already failed.
    let documents: Vec<PrintDocument> = results
        .iter()
        .map_while(|res| res.as_ref().ok())
        .filter_map(|(html, _, _, _, source)| source.map(|source| PrintDocument { html: html.clone(), source }))
        .collect();
    let links = match pdfs {
        Some(decide) if documents.len() == results.len() => decide(&documents),
        _ => PdfLinks::default(),
    };
    let _ = r.pdf_links.set(links);
    results.extend(run(&pages));
    let mut errors = Vec::new();
    let mut used = cache::Jobs::default();
    let mut outputs = Vec::new();
    // serve keeps each job's file in output order, for a render of bodies alone (`patch`).
    let mut in_order = Vec::new();
    for (res, &(job, lang)) in results.into_iter().zip(print.iter().chain(&pages)) {
        match res {
            Ok((_, w, kept, out, _)) => {
                warnings.extend(w);
                if let Some((key, made)) = &kept {
                    let l = config.languages.iter().position(|l| l.code == lang).unwrap_or(0);
                    in_order.push((job, l, *key, Arc::clone(made)));
                }
                used.extend(kept);
                outputs.extend(out);
            }
            Err(d) => errors.push(d),
        }
    }
    let jobs_made = outputs.len();
    let mut rest = Vec::new();
    // Files made from data rather than from one entry are keyed by that data: the sitemap
    // by how many pages each list has (the later pages' addresses follow from those counts
    // and, as every page, from every address and the settings). Making those addresses to
    // key the sitemap by them took 9 ms of each save at 10,000 pages.
    let sitemap = || {
        let later = r.later_pages();
        Ok((Output::text("sitemap.xml", sitemap::sitemap(b, r.listings.entries(), &later, &r.base)), vec![]))
    };
    let not_found = || Ok((r.not_found()?, vec![]));
    type KeyOf<'k> = &'k dyn Fn(&keys::Keys) -> u64;
    let named: [(KeyOf, &dyn Fn() -> PageResult); 2] =
        [(&|k| k.data("sitemap.xml", &r.listings.sizes), &sitemap), (&|k| k.data("404.html", &()), &not_found)];
    for (key, make) in named {
        match keyed(key, make) {
            Ok(((out, _), kept)) => {
                rest.push(out);
                used.extend(kept);
            }
            Err(d) => errors.push(d),
        }
    }
    cache.keep_jobs(used);
    cache.finish();
    r.trim_sites_in_lists();
    rest.push(Output::text("robots.txt", sitemap::robots(&r.base)));
    rest.extend(theme.statics.iter().chain(assets).map(Output::copy));
    for out in rest {
        match sink(out) {
            Ok(out) => outputs.extend(out),
            Err(d) => errors.push(d),
        }
    }
    if !errors.is_empty() {
        dedup(&mut errors);
        return Err(errors);
    }
    if let (Some(keys), Some(site_key)) = (keys, paths_key) {
        // serve keeps the render for one after an edit of bodies alone, if every file came back.
        if in_order.len() == jobs_made && jobs_made == print.len() + pages.len() {
            patch::remember(&r, (keys, site_key), strings_warnings, in_order, outputs[jobs_made..].to_vec());
        }
    }
    let body_links = r.body_links.into_inner().unwrap_or_else(|e| e.into_inner());
    Ok(Rendered { outputs, warnings, body_links, links: r.links, site_key: paths_key.unwrap_or(0), patched: false })
}

/// A template error usually breaks every page that uses the template: report each place
/// in a template once (with the first page it broke), and every other error as it is.
fn dedup(errors: &mut Vec<Diagnostic>) {
    let mut seen = std::collections::HashSet::new();
    errors.retain(|d| {
        let message = (d.kind != crate::diagnostic::Kind::TemplateError).then(|| d.message.clone());
        seen.insert((d.kind, d.path.clone(), d.line, d.column, message))
    });
}
