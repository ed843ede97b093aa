//! The pages one render makes: each job, the order of the output, and where each file
//! lands and comes from (known before anything is rendered, so clashes are refused first).

use std::path::PathBuf;

use super::pagination::{List, ListSizes};
use super::{facets, Renderer};
use crate::config::Config;
use crate::load::SourceDoc;
use crate::model::Brochure;

/// A page to render; pages are independent, so they render in parallel.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(super) enum Job {
    Home,
    Page(usize),
    Programme(usize),
    Site(usize, usize),
    Leaflet(usize, usize),
    Booklet(usize),
    /// Every leaflet of a programme in one document, for the print shop.
    Leaflets(usize),
    /// The QR codes printed documents lead to, beside the site's or programme's page.
    SiteQr(usize, usize),
    ProgrammeQr(usize),
    AllSites,
    Requirement(usize),
    Obligation(usize),
    /// Page `n` (2 or more) of a list longer than `page_size`; page 1 is the list's own job.
    ListPage(List, usize),
    /// The filter data of lists on several pages (see `facets`): the facet index, the
    /// search text and the cards' data of sites `n * facets::CHUNK ..`.
    FacetIndex,
    SearchText,
    CardChunk(usize),
}

/// What made an output file, for the message when two files land at one path.
#[derive(Clone)]
pub(super) enum Origin<'a> {
    Job(Job, &'a str),
    File(PathBuf),
    Generated,
}

/// Every page to render, in the fixed order of the output.
pub(super) fn plan<'c>(b: &Brochure, config: &'c Config, sizes: &ListSizes) -> Vec<(Job, &'c str)> {
    let mut jobs = Vec::new();
    for lang in config.languages.iter().map(|l| l.code.as_str()) {
        let more_pages =
            |list| (2..=sizes.pages(list, lang, config.page_size)).map(move |n| (Job::ListPage(list, n), lang));
        jobs.push((Job::Home, lang));
        jobs.extend(more_pages(List::Programmes));
        jobs.extend((0..b.pages.len()).map(|i| (Job::Page(i), lang)));
        for (pi, p) in b.programmes.iter().enumerate() {
            jobs.push((Job::Programme(pi), lang));
            jobs.extend(more_pages(List::Programme(pi)));
            jobs.push((Job::Booklet(pi), lang));
            jobs.push((Job::Leaflets(pi), lang));
            jobs.push((Job::ProgrammeQr(pi), lang));
            jobs.extend((0..p.sites.len()).map(|si| (Job::Site(pi, si), lang)));
            jobs.extend((0..p.sites.len()).map(|si| (Job::Leaflet(pi, si), lang)));
            jobs.extend((0..p.sites.len()).map(|si| (Job::SiteQr(pi, si), lang)));
        }
        jobs.push((Job::AllSites, lang));
        jobs.extend(more_pages(List::AllSites));
        let sites = sizes.cards_in(List::AllSites, lang);
        if config.page_size.pages(sites) > 1 {
            jobs.push((Job::FacetIndex, lang));
            jobs.push((Job::SearchText, lang));
            jobs.extend((0..sites.div_ceil(facets::CHUNK)).map(|n| (Job::CardChunk(n), lang)));
        }
        for i in 0..sizes.requirements {
            jobs.push((Job::Requirement(i), lang));
            jobs.extend(more_pages(List::Requirement(i)));
        }
        for i in 0..sizes.obligations {
            jobs.push((Job::Obligation(i), lang));
            jobs.extend(more_pages(List::Obligation(i)));
        }
    }
    jobs
}

impl Job {
    /// Documents printed to PDF, rendered before the pages that link them.
    pub(super) fn is_print(self) -> bool {
        matches!(self, Job::Leaflet(..) | Job::Booklet(_) | Job::Leaflets(_))
    }
}

impl Renderer<'_> {
    /// The path of the file a job makes, known before it is made.
    pub(super) fn job_path(&self, job: Job, lang: &str) -> String {
        let b = self.b;
        let l = &self.listings;
        match job {
            Job::Home => format!("{}index.html", b.home.version(lang).path),
            Job::Page(i) => format!("{}index.html", b.pages[i].version(lang).path),
            Job::Programme(i) => format!("{}index.html", b.programmes[i].entry.version(lang).path),
            Job::Booklet(i) => format!("{}booklet.html", b.programmes[i].entry.version(lang).path),
            Job::Leaflets(i) => format!("{}leaflets.html", b.programmes[i].entry.version(lang).path),
            Job::Site(p, s) => format!("{}index.html", b.programmes[p].sites[s].version(lang).path),
            Job::Leaflet(p, s) => format!("{}leaflet.html", b.programmes[p].sites[s].version(lang).path),
            Job::SiteQr(p, s) => super::leaflet::qr_path(&b.programmes[p].sites[s].version(lang).path),
            Job::ProgrammeQr(i) => super::leaflet::qr_path(&b.programmes[i].entry.version(lang).path),
            Job::AllSites => format!("{}index.html", l.all_sites.version(lang).path),
            Job::Requirement(i) => format!("{}index.html", l.requirements[i].1.version(lang).path),
            Job::Obligation(i) => format!("{}index.html", l.obligations[i].1.version(lang).path),
            Job::ListPage(list, n) => format!("{}index.html", self.page_path(list, n, lang)),
            Job::FacetIndex => self.facet_index_path(lang),
            Job::SearchText => self.search_text_path(lang),
            Job::CardChunk(n) => self.card_chunk_path(n, lang),
        }
    }

    /// The address of the first page of a list.
    pub(super) fn list_path(&self, list: List, lang: &str) -> &str {
        let l = &self.listings;
        match list {
            List::Programmes => &self.b.home.version(lang).path,
            List::AllSites => &l.all_sites.version(lang).path,
            List::Programme(i) => &self.b.programmes[i].entry.version(lang).path,
            List::Requirement(i) => &l.requirements[i].1.version(lang).path,
            List::Obligation(i) => &l.obligations[i].1.version(lang).path,
        }
    }

    /// The content file a job's page shows, if any.
    pub(super) fn job_doc(&self, job: Job, lang: &str) -> Option<&SourceDoc> {
        let b = self.b;
        match job {
            Job::Home => b.doc(b.home.version(lang)),
            Job::Page(i) => b.doc(b.pages[i].version(lang)),
            Job::Programme(i)
            | Job::Booklet(i)
            | Job::Leaflets(i)
            | Job::ProgrammeQr(i)
            | Job::ListPage(List::Programme(i), _) => b.doc(b.programmes[i].entry.version(lang)),
            Job::Site(p, s) | Job::Leaflet(p, s) | Job::SiteQr(p, s) => b.doc(b.programmes[p].sites[s].version(lang)),
            Job::AllSites | Job::Requirement(_) | Job::Obligation(_) | Job::ListPage(..) => None,
            Job::FacetIndex | Job::SearchText | Job::CardChunk(_) => None,
        }
    }

    /// The content file whose address an output has, for locating a clash.
    pub(super) fn origin_doc(&self, origin: &Origin) -> Option<&SourceDoc> {
        match origin {
            Origin::Job(job, lang) => self.job_doc(*job, lang),
            _ => None,
        }
    }

    /// What an output comes from, for messages: its file, or the kind of generated file.
    pub(super) fn describe(&self, origin: &Origin) -> String {
        let (job, lang) = match origin {
            Origin::Job(job, lang) => (*job, *lang),
            Origin::File(p) => return p.display().to_string(),
            Origin::Generated => return "brochure itself (sitemap.xml, robots.txt and 404.html)".to_string(),
        };
        match self.job_doc(job, lang) {
            Some(d) if job.is_print() => {
                format!("the printable version of {}", d.path.display())
            }
            Some(d) if matches!(job, Job::SiteQr(..) | Job::ProgrammeQr(_)) => {
                format!("the QR code of the page of {}", d.path.display())
            }
            Some(d) => d.path.display().to_string(),
            None if matches!(job, Job::FacetIndex | Job::SearchText | Job::CardChunk(_)) => {
                "brochure's filter data for the list of all sites".to_string()
            }
            None if matches!(job, Job::ListPage(List::Programmes, _)) => {
                "brochure's own list of programmes (page 2 and later of the home page)".to_string()
            }
            None => "brochure's own list of sites (all sites, a requirement or an obligation)".to_string(),
        }
    }
}

impl Renderer<'_> {
    /// Makes one job's file.
    pub(super) fn job(&self, job: Job, lang: &str) -> super::PageResult {
        let b = self.b;
        match job {
            Job::Home => self.home(lang),
            Job::Page(i) => self.page(&b.pages[i], lang),
            Job::Programme(i) => self.programme(i, lang),
            Job::Site(p, s) => self.site(&b.programmes[p], &b.programmes[p].sites[s], lang),
            Job::Leaflet(p, s) => self.leaflet(&b.programmes[p], &b.programmes[p].sites[s], lang),
            Job::Booklet(p) => self.booklet(&b.programmes[p], lang),
            Job::Leaflets(p) => self.leaflets(&b.programmes[p], lang),
            Job::SiteQr(p, s) => self.qr_file(&b.programmes[p].sites[s].version(lang).path),
            Job::ProgrammeQr(p) => self.qr_file(&b.programmes[p].entry.version(lang).path),
            Job::AllSites => self.all_sites(lang),
            Job::Requirement(i) => self.vocabulary_page(true, i, lang),
            Job::Obligation(i) => self.vocabulary_page(false, i, lang),
            Job::ListPage(list, n) => self.list_page(list, n, lang),
            Job::FacetIndex => self.facet_index(lang),
            Job::SearchText => self.search_text(lang),
            Job::CardChunk(n) => self.card_chunk(n, lang),
        }
    }
}
