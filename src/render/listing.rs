//! Lists of sites with requirement filters: the all-sites page per language, the filter
//! panel of programme pages, and the static page of each requirement and obligation that
//! candidates without JavaScript browse instead of filtering.

use serde::Serialize;

use super::catalogue::SitesInLists;
use super::facets::FacetSource;
use super::pagination::List;
use super::pagination::{ListSection, ListSizes};
use super::views::{
    script_json, BrowseLinks, FacetOption, FilterPanel, PageContext, ParentLink, Section, SiteCardHtml,
};
use super::{Output, PageResult, Renderer, Strings};
use crate::config::{Config, Vocabulary};
use crate::diagnostic::Diagnostic;
use crate::filter;
use crate::model::{Brochure, Entry, PageFacts, Programme, SiteFacts, Version};
use crate::slug;

/// Pages generated from the data rather than written: one entry each, in every language.
pub struct Listings {
    pub all_sites: Entry<PageFacts>,
    /// Per requirement key used by at least one site.
    pub requirements: Vec<(String, Entry<PageFacts>)>,
    pub obligations: Vec<(String, Entry<PageFacts>)>,
    /// How many sites each list shows, for splitting long lists into pages.
    pub(super) sizes: ListSizes,
}

impl Listings {
    pub fn new(b: &Brochure, config: &Config, strings: &Strings) -> Listings {
        let entry = |id: String, title: &dyn Fn(&str) -> String, path: &dyn Fn(&str) -> String| {
            Entry::generated(config, &id, title, path)
        };
        let all_sites = entry("sites".into(), &|lang| strings.get(lang, "all_sites"), &|lang| {
            format!("{}/", slug::from_name(&strings.get(lang, "path_sites")))
        });
        // Every language's facts: a translation may ask for other requirements.
        let sites: Vec<&SiteFacts> =
            b.programmes.iter().flat_map(|p| &p.sites).flat_map(|s| s.versions.iter().map(|v| &v.facts)).collect();
        let vocab_pages = |vocab: &Vocabulary, section: &str, used: &dyn Fn(&SiteFacts, &str) -> bool| {
            vocab
                .0
                .iter()
                .filter(|(key, _)| sites.iter().any(|s| used(s, key)))
                .map(|(key, labels)| {
                    // The address comes from the key or its `slug:`, never from the label:
                    // rewording a label must not break printed or shared links.
                    let e = entry(format!("{section}/{key}"), &|lang| config.pick(labels, lang).to_string(), &|lang| {
                        format!("{}/{}/", slug::from_name(&strings.get(lang, section)), vocab.slug(key, lang))
                    });
                    (key.clone(), e)
                })
                .collect::<Vec<_>>()
        };
        let requirements = vocab_pages(&config.requirements, "path_requirements", &|s, k| {
            s.required.iter().chain(&s.preferred).any(|x| x == k)
        });
        let obligations =
            vocab_pages(&config.obligations, "path_obligations", &|s, k| s.obligations.iter().any(|x| x == k));
        let keys = |pages: &[(String, Entry<PageFacts>)]| pages.iter().map(|(k, _)| k.clone()).collect::<Vec<_>>();
        let languages = config.languages.iter().map(|l| l.code.clone()).collect();
        Listings {
            all_sites,
            sizes: ListSizes::new(b, languages, &keys(&requirements), &keys(&obligations)),
            requirements,
            obligations,
        }
    }

    pub fn entries(&self) -> impl Iterator<Item = &Entry<PageFacts>> {
        std::iter::once(&self.all_sites).chain(self.requirements.iter().chain(&self.obligations).map(|(_, e)| e))
    }
}

/// The data the filter script reads: sites in listing order, labels and UI strings.
#[derive(Serialize)]
struct FilterData<'a> {
    /// The page's language, for the browser's plural rules.
    lang: &'a str,
    /// The sites, for a list on one page; a list on several pages has `source` instead.
    #[serde(skip_serializing_if = "Option::is_none")]
    sites: Option<Vec<&'a serde_json::value::RawValue>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    source: Option<FacetSource>,
    labels: std::collections::BTreeMap<String, String>,
    strings: std::collections::BTreeMap<&'a str, serde_json::Value>,
    /// The letters [`filter::fold`] spells out, so the script folds the query the same way.
    fold: std::collections::BTreeMap<char, &'static str>,
}

/// UI strings the script needs (it has no access to the theme's files).
const SCRIPT_STRINGS: &[&str] = &[
    "thousands_separator",
    "results_count",
    "sites_count",
    "filters_set",
    "match_preferred",
    "you_have_it",
    "excluded_count",
    "excluded_show",
    "excluded_hide",
    "excluded_card",
    "no_results",
    "no_results_try",
];

/// The most options a programme or city facet has on a list on several pages.
const MANY_OPTIONS: usize = 100;

/// UI strings only the script of a list on several pages needs: its loading state and its
/// numbered pages of results.
const SOURCE_STRINGS: &[&str] =
    &["filters_loading", "filters_failed", "pagination", "page", "page_previous", "page_next"];

impl Renderer<'_> {
    /// The filter panel of a list. Every list but a programme's filters the whole catalogue,
    /// so their panels are one per language (and length): made once per render, not once
    /// per page that shows one (counting every facet over 50,000 sites is milliseconds).
    pub(super) fn filter_panel(&self, list: List, lang: &str) -> Result<FilterPanel, Diagnostic> {
        if let List::Programme(_) = list {
            return self.make_filter_panel(list, lang);
        }
        let key = (lang.to_string(), self.pages(list, lang) > 1);
        let made = |panels: &Vec<_>| panels.iter().find(|(k, _)| *k == key).map(|(_, p): &(_, FilterPanel)| p.clone());
        if let Some(panel) = made(&self.panels.lock().unwrap_or_else(|e| e.into_inner())) {
            return Ok(panel);
        }
        let panel = self.make_filter_panel(list, lang)?;
        self.panels.lock().unwrap_or_else(|e| e.into_inner()).push((key, panel.clone()));
        Ok(panel)
    }

    fn make_filter_panel(&self, list: List, lang: &str) -> Result<FilterPanel, Diagnostic> {
        let (programmes, programme_facet): (Vec<&Programme>, bool) = match list {
            List::Programme(i) => (vec![&self.b.programmes[i]], false),
            _ => (self.b.programmes.iter().collect(), true),
        };
        // A list on several pages leaves its sites' data to the files of `facets`.
        let source = (self.pages(list, lang) > 1).then(|| {
            let first: usize = match list {
                List::Programme(i) => self.b.programmes[..i].iter().map(|p| p.sites.len()).sum(),
                _ => 0,
            };
            self.facet_source(lang, first, first + programmes.iter().map(|p| p.sites.len()).sum::<usize>())
        });
        let long = source.is_some();
        let card_template = match source {
            Some(_) => Some(self.card_template(lang)?),
            None => None,
        };
        let (sites, table) = match list {
            List::Programme(_) => {
                let sites: SitesInLists = programmes
                    .iter()
                    .flat_map(|p| p.sites.iter().map(move |s| (*p, s)))
                    .map(|(p, s)| self.site_in_lists(p, s, lang))
                    .collect::<Result<_, _>>()?;
                let table = std::sync::Arc::new(self.facet_table(&programmes, &sites));
                (sites, table)
            }
            _ => (self.every_site_in_lists(lang)?, self.every_site_facets(lang)?),
        };
        let counts = filter::ChoiceCounts::new(&table);
        let vocab_options = |vocab: &Vocabulary, offer: bool| -> Vec<FacetOption> {
            vocab
                .0
                .iter()
                .filter(|(k, _)| if offer { counts.is_requirement(k) } else { counts.is_obligation(k) })
                .map(|(k, labels)| FacetOption {
                    value: k.clone(),
                    label: self.config.pick(labels, lang).to_string(),
                    count: if offer { counts.offer(k) } else { counts.cannot(k) },
                })
                .collect()
        };
        // The panel as built has nothing chosen: each option counts what choosing it alone shows.
        let option = |value: &str, label: &str, count: usize| FacetOption {
            value: value.to_string(),
            label: label.to_string(),
            count,
        };
        let programmes_facet = if programme_facet {
            let mut seen = std::collections::HashSet::new();
            let values = programmes.iter().map(|p| (p.entry.id.as_str(), p.entry.version(lang).facts.title.as_str()));
            values
                .filter(|v| !v.0.is_empty() && seen.insert(*v))
                .map(|(id, t)| option(id, t, counts.programme(id)))
                .collect()
        } else {
            Vec::new()
        };
        let areas: Vec<FacetOption> =
            counts.areas().filter(|(area, _)| !area.is_empty()).map(|(area, n)| option(area, area, n)).collect();
        let volunteers: Vec<FacetOption> = ["1", "2", "3+"]
            .into_iter()
            .filter(|b| counts.volunteers(b) > 0)
            .map(|b| option(b, b, counts.volunteers(b)))
            .collect();
        let mut labels = std::collections::BTreeMap::new();
        for (k, l) in self.config.requirements.0.iter().chain(&self.config.obligations.0) {
            labels.insert(k.clone(), self.config.pick(l, lang).to_string());
        }
        let extra = if source.is_some() { SOURCE_STRINGS } else { &[] };
        let strings = SCRIPT_STRINGS.iter().chain(extra).map(|k| (*k, self.strings.json(lang, k))).collect();
        let json = script_json(&FilterData {
            lang,
            sites: source.is_none().then(|| sites.iter().map(|l| &*l.json).collect()),
            source,
            labels,
            strings,
            fold: filter::FOLDED_LETTERS.iter().copied().collect(),
        });
        // A facet is shown when it has a choice to make; on a long list, not when its options
        // alone would outweigh the page (1,660 programmes: 300 KB of HTML).
        let shown = |options: Vec<FacetOption>| match options.len() {
            2.. if !long || options.len() <= MANY_OPTIONS => options,
            _ => Vec::new(),
        };
        let none = FacetOption {
            value: filter::NONE_OF_THESE.to_string(),
            label: self.strings.get(lang, "none_of_these"),
            count: counts.offer_none(),
        };
        Ok(FilterPanel {
            offer: vocab_options(&self.config.requirements, true),
            none,
            cannot: vocab_options(&self.config.obligations, false),
            programmes: shown(programmes_facet),
            areas: shown(areas),
            volunteers: shown(volunteers),
            status: self.strings.count(lang, "results_count", sites.len() as u32),
            summary: self.strings.count(lang, "sites_count", sites.len() as u32),
            json,
            card_template,
        })
    }

    /// The page of each requirement and obligation, for browsing without JavaScript.
    pub(super) fn browse_links(&self, lang: &str) -> BrowseLinks {
        let browse = |pages: &[(String, Entry<PageFacts>)]| -> Vec<ParentLink> {
            pages
                .iter()
                .map(|(_, e)| {
                    let v = e.version(lang);
                    ParentLink::new(v.facts.title.clone(), self.base.href(&v.path))
                })
                .collect()
        };
        BrowseLinks {
            requirements: browse(&self.listings.requirements),
            obligations: browse(&self.listings.obligations),
        }
    }

    /// The cards of page `n` of a list, in its sections; each section's title in `lang`.
    fn page_cards(&self, list: List, n: usize, lang: &str) -> Result<Vec<Section>, Diagnostic> {
        let cards = |sites: Vec<(&Programme, &Entry<SiteFacts>)>| -> Result<Vec<SiteCardHtml>, Diagnostic> {
            sites.into_iter().map(|(p, s)| self.card_html(p, s, lang)).collect()
        };
        let sections: Vec<ListSection> = self.page_sections(list, n, lang);
        sections
            .into_iter()
            .map(|(title, sites)| Ok(Section { title: title.map(|t| self.strings.get(lang, t)), sites: cards(sites)? }))
            .collect()
    }

    /// The cards of page `n` of a list without sections.
    pub(super) fn page_sites(&self, list: List, n: usize, lang: &str) -> Result<Vec<SiteCardHtml>, Diagnostic> {
        Ok(self.page_cards(list, n, lang)?.into_iter().flat_map(|s| s.sites).collect())
    }

    /// Page `n` (2 or more) of a long list: its cards and the numbered pages, under the
    /// list's title; the first page, with the list's introduction and filters, is the list's
    /// own (the home page for the programmes).
    pub(super) fn list_page(&self, list: List, n: usize, lang: &str) -> PageResult {
        let title = |v: &Version<PageFacts>| v.facts.title.clone();
        match list {
            List::Programmes => self.later_page(&self.b.home, |_| self.strings.get(lang, "programmes"), list, n, lang),
            List::AllSites => self.later_page(&self.listings.all_sites, title, list, n, lang),
            List::Programme(i) => {
                self.later_page(&self.b.programmes[i].entry, |v| v.facts.title.clone(), list, n, lang)
            }
            List::Requirement(i) => self.later_page(&self.listings.requirements[i].1, title, list, n, lang),
            List::Obligation(i) => self.later_page(&self.listings.obligations[i].1, title, list, n, lang),
        }
    }

    fn later_page<F>(
        &self,
        e: &Entry<F>,
        title: impl Fn(&Version<F>) -> String,
        list: List,
        n: usize,
        lang: &str,
    ) -> PageResult {
        let v = e.version(lang);
        let mut ctx = PageContext::new(self.layout(e, v, "list", title(v), None, None), String::new());
        self.paginate_layout(&mut ctx.layout, e, list, n);
        if list == List::Programmes {
            // Its first page is the home page, which the breadcrumb links already.
            ctx.programmes = self.page_programme_cards(n, lang);
        } else {
            let text_lang = self.text_lang(v, lang);
            ctx.parent = Some(ParentLink {
                title: title(v),
                href: self.base.href(&v.path),
                text_dir: text_lang.as_deref().map(|l| self.direction(l)),
                text_lang,
            });
            ctx.sections = self.page_cards(list, n, lang)?;
        }
        ctx.pagination = self.pagination(list, n, lang);
        let what = format!("the page /{}", self.page_path(list, n, lang));
        let html = self.templates.render_file("list-page.html", &ctx, &what, self.theme)?;
        Ok((Output::page(&self.page_path(list, n, lang), html), Vec::new()))
    }

    /// Every site of every programme, with the filters.
    pub(super) fn all_sites(&self, lang: &str) -> PageResult {
        let e = &self.listings.all_sites;
        let v = e.version(lang);
        let mut ctx = PageContext::new(self.layout(e, v, "sites", v.facts.title.clone(), None, None), String::new());
        ctx.pagination = self.pagination(List::AllSites, 1, lang);
        if ctx.pagination.is_some() {
            self.paginate_layout(&mut ctx.layout, e, List::AllSites, 1);
        }
        // On one page the script filters the cards in it; on several, the data of `facets`.
        ctx.filters = Some(self.filter_panel(List::AllSites, lang)?);
        ctx.browse = Some(self.browse_links(lang));
        ctx.sites = self.page_sites(List::AllSites, 1, lang)?;
        self.emit_generated("sites.html", &ctx, v)
    }

    /// The sites that ask for requirement `key` (required first, then preferred), or obligation `key`.
    pub(super) fn vocabulary_page(&self, requirement: bool, index: usize, lang: &str) -> PageResult {
        let (list, e) = match requirement {
            true => (List::Requirement(index), &self.listings.requirements[index].1),
            false => (List::Obligation(index), &self.listings.obligations[index].1),
        };
        let v = e.version(lang);
        let kind = if requirement { "requirement" } else { "obligation" };
        let mut ctx = PageContext::new(self.layout(e, v, kind, v.facts.title.clone(), None, None), String::new());
        ctx.sections = self.page_cards(list, 1, lang)?;
        ctx.pagination = self.pagination(list, 1, lang);
        if ctx.pagination.is_some() {
            self.paginate_layout(&mut ctx.layout, e, list, 1);
        }
        let all = self.listings.all_sites.version(lang);
        ctx.parent = Some(ParentLink::new(all.facts.title.clone(), self.base.href(&all.path)));
        self.emit_generated("vocabulary.html", &ctx, v)
    }

    fn emit_generated(&self, template: &str, ctx: &PageContext, v: &Version<PageFacts>) -> PageResult {
        // A list is rendered only when a site in it changed, so its (large) data is not
        // hashed in the hope that it did not.
        let what = format!("the page /{}", v.path);
        let html = self.templates.render_file(template, ctx, &what, self.theme)?;
        Ok((Output::page(&v.path, html), Vec::new()))
    }
}
