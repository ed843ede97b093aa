//! The filter data of lists on several pages, published as files beside the list of all
//! sites in each language, so that a page carries none of it: the facet index (what
//! [`crate::filter`] tests of every site, compactly), the search text (fetched only when
//! the candidate searches) and the cards' data in chunks of [`CHUNK`] sites (fetched only
//! for the cards of the page of results shown). Sites are in the order of the list of all
//! sites; a programme's list is a range of it.

use serde::Serialize;

use super::views::{script_json, SiteCard};
use super::{Output, PageResult, Renderer};
use crate::diagnostic::Diagnostic;
use crate::filter::FilterSite;
use crate::model::{Entry, Programme, SiteFacts};

/// Sites per file of card data: a page of results fetches the chunks its cards are in.
pub(super) const CHUNK: usize = 25;

/// What the script needs to compute what [`crate::filter::apply`] computes, per site.
#[derive(Serialize)]
struct FacetIndex<'a> {
    /// The requirement and obligation keys the sites use, in order of first use.
    keys: Vec<&'a str>,
    /// Each distinct (required, preferred, obligations), as indexes into `keys`.
    combos: Vec<[Vec<usize>; 3]>,
    /// Each programme's id and the index of its first site.
    programmes: Vec<(&'a str, usize)>,
    /// The distinct cities; `area` holds an index into it per site.
    areas: Vec<&'a str>,
    area: Vec<usize>,
    volunteers: Vec<u32>,
    /// Per site, its index into `combos`.
    combo: Vec<usize>,
}

/// What a card shows, for the card template the script fills (`partials/site-card.html`).
#[derive(Serialize)]
struct CardData<'a> {
    id: &'a str,
    href: &'a str,
    title: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    lang: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    dir: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    code: Option<&'a str>,
    address: &'a str,
    volunteers: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    hours: Option<&'a str>,
}

/// The index of `value` in `list`, added at the end if it is not there yet.
fn position<'a>(list: &mut Vec<&'a str>, value: &'a str) -> usize {
    match list.iter().position(|v| *v == value) {
        Some(i) => i,
        None => {
            list.push(value);
            list.len() - 1
        }
    }
}

/// Where the script finds the files of a list on several pages.
#[derive(Serialize)]
pub(super) struct FacetSource {
    pub index: String,
    pub text: String,
    /// The address of chunk `n` is this with `{n}` replaced.
    pub cards: String,
    pub chunk: usize,
    /// The list's sites in the index: `start..end`.
    pub start: usize,
    pub end: usize,
    pub page_size: usize,
}

impl Renderer<'_> {
    pub(super) fn facet_index_path(&self, lang: &str) -> String {
        format!("{}filters.json", self.listings.all_sites.version(lang).path)
    }

    pub(super) fn search_text_path(&self, lang: &str) -> String {
        format!("{}search.json", self.listings.all_sites.version(lang).path)
    }

    pub(super) fn card_chunk_path(&self, n: usize, lang: &str) -> String {
        format!("{}cards-{n}.json", self.listings.all_sites.version(lang).path)
    }

    /// The files' addresses for a list of the sites `start..end`.
    pub(super) fn facet_source(&self, lang: &str, start: usize, end: usize) -> FacetSource {
        FacetSource {
            index: self.base.href(&self.facet_index_path(lang)),
            text: self.base.href(&self.search_text_path(lang)),
            cards: self.base.href(&self.card_chunk_path(usize::MAX, lang)).replace(&usize::MAX.to_string(), "{n}"),
            chunk: CHUNK,
            start,
            end,
            page_size: self.config.page_size.get(),
        }
    }

    /// Every site in the order of the list of all sites, with its programme.
    fn every_site(&self) -> impl Iterator<Item = (&Programme, &Entry<SiteFacts>)> {
        self.b.programmes.iter().flat_map(|p| p.sites.iter().map(move |s| (p, &**s)))
    }

    fn filter_sites(&self, lang: &str) -> Result<Vec<std::sync::Arc<super::cards::SiteInLists>>, Diagnostic> {
        self.every_site().map(|(p, s)| self.site_in_lists(p, s, lang)).collect()
    }

    /// The facet index of `lang`.
    pub(super) fn facet_index(&self, lang: &str) -> PageResult {
        let sites = self.filter_sites(lang)?;
        let filters: Vec<&FilterSite> = sites.iter().map(|s| &s.filter).collect();
        let mut index = FacetIndex {
            keys: Vec::new(),
            combos: Vec::new(),
            programmes: Vec::new(),
            areas: Vec::new(),
            area: Vec::with_capacity(filters.len()),
            volunteers: filters.iter().map(|s| s.volunteers).collect(),
            combo: Vec::with_capacity(filters.len()),
        };
        let mut first = 0;
        for p in &self.b.programmes {
            index.programmes.push((&p.entry.id, first));
            first += p.sites.len();
        }
        let mut areas = std::collections::HashMap::new();
        let mut combos = std::collections::HashMap::new();
        for s in &filters {
            let next = areas.len();
            let area = *areas.entry(s.area.as_str()).or_insert(next);
            if area == next {
                index.areas.push(&s.area);
            }
            index.area.push(area);
            let combo: [Vec<usize>; 3] = [&s.required, &s.preferred, &s.obligations]
                .map(|keys| keys.iter().map(|k| position(&mut index.keys, k.as_str())).collect());
            let next = combos.len();
            let at = *combos.entry(combo.clone()).or_insert(next);
            if at == next {
                index.combos.push(combo);
            }
            index.combo.push(at);
        }
        Ok((Output::text(&self.facet_index_path(lang), script_json(&index)), Vec::new()))
    }

    /// The folded text the search looks in, one string per site.
    pub(super) fn search_text(&self, lang: &str) -> PageResult {
        let sites = self.filter_sites(lang)?;
        let text: Vec<&str> = sites.iter().map(|s| s.filter.text.as_str()).collect();
        Ok((Output::text(&self.search_text_path(lang), script_json(&text)), Vec::new()))
    }

    /// The cards' data of sites `n * CHUNK ..`.
    pub(super) fn card_chunk(&self, n: usize, lang: &str) -> PageResult {
        let cards: Vec<SiteCard> =
            self.all_sites_from(n * CHUNK, CHUNK).into_iter().map(|(_, s)| self.site_card(s, lang)).collect();
        let data: Vec<CardData> = cards
            .iter()
            .map(|c| CardData {
                id: &c.id,
                href: &c.href,
                title: &c.title,
                lang: c.text_lang.as_deref(),
                dir: c.text_dir,
                code: c.code.as_deref(),
                address: &c.address,
                volunteers: &c.volunteers,
                hours: c.hours.as_deref(),
            })
            .collect();
        Ok((Output::text(&self.card_chunk_path(n, lang), script_json(&data)), Vec::new()))
    }
}
