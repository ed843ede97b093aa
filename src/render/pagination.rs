//! Long lists split into numbered pages of `page_size` cards: which sites (or, on the home
//! page, which programmes) each list shows (one definition, for counting and for
//! rendering), how many pages that makes in each language, their addresses, their
//! navigation and their head links.

use std::collections::HashMap;

use super::views::{Alternate, Layout, PageLink, Pagination};
use super::Renderer;
use crate::config::PageSize;
use crate::model::{Brochure, Entry, Programme, SiteFacts};
use crate::slug;

/// Which facts put a site in a section of a requirement's or obligation's page: the
/// section's title (a UI string) and the keys it looks in, in the order of the page.
pub(super) type SectionRule = (&'static str, fn(&SiteFacts) -> &Vec<String>);

pub(super) const REQUIREMENT_SECTIONS: [SectionRule; 2] =
    [("sites_requiring", |f| &f.required), ("sites_preferring", |f| &f.preferred)];
pub(super) const OBLIGATION_SECTIONS: [SectionRule; 1] = [("sites_asking", |f| &f.obligations)];

/// A list that may take several pages: the programmes of the home page, or a list of sites.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(super) enum List {
    /// Every programme, on the home page of each language.
    Programmes,
    AllSites,
    Programme(usize),
    Requirement(usize),
    Obligation(usize),
}

/// A site by its place: (programme, site within it).
type SiteAt = (usize, usize);

/// The sites of a requirement's or obligation's list, in its sections.
type TermSites = Vec<Vec<SiteAt>>;

/// A part of a list: its title's UI string (none for an all-sites or programme list) and its sites.
pub(super) type ListSection<'a> = (Option<&'static str>, Vec<(&'a Programme, &'a Entry<SiteFacts>)>);

/// How many sites each list shows, per language, and the sites of each requirement's or
/// obligation's list, gathered in one pass over the sites: the pages, their counts and
/// serve's keys all read them from here.
#[derive(Debug, Default, Hash)]
pub struct ListSizes {
    all: usize,
    programmes: Vec<usize>,
    languages: Vec<String>,
    /// Per requirement page, then per obligation page (as `Listings` orders them), per
    /// language: the sites listed, (programme, site) in each section.
    members: Vec<TermSites>,
    /// How many requirement and obligation pages there are.
    pub(super) requirements: usize,
    pub(super) obligations: usize,
}

impl ListSizes {
    pub fn new(b: &Brochure, languages: Vec<String>, requirements: &[String], obligations: &[String]) -> ListSizes {
        let slots = |keys: &[String], from: usize| -> HashMap<String, usize> {
            keys.iter().enumerate().map(|(i, k)| (k.clone(), from + i)).collect()
        };
        let slots = [slots(requirements, 0), slots(obligations, requirements.len())];
        let sections = [REQUIREMENT_SECTIONS.len(), OBLIGATION_SECTIONS.len()];
        let mut members: Vec<TermSites> = (0..requirements.len() + obligations.len())
            .flat_map(|term| {
                let kind = usize::from(term >= requirements.len());
                (0..languages.len()).map(move |_| vec![Vec::new(); sections[kind]])
            })
            .collect();
        for (p, programme) in b.programmes.iter().enumerate() {
            for (si, s) in programme.sites.iter().enumerate() {
                for v in &s.versions {
                    let Some(l) = languages.iter().position(|c| *c == v.lang) else { continue };
                    let rules = REQUIREMENT_SECTIONS
                        .iter()
                        .enumerate()
                        .map(|(i, r)| (0, i, r))
                        .chain(OBLIGATION_SECTIONS.iter().enumerate().map(|(i, r)| (1, i, r)));
                    for (kind, section, (_, pick)) in rules {
                        let keys = pick(&v.facts);
                        // A key written twice lists the site once in the section.
                        for (_, key) in keys.iter().enumerate().filter(|(i, k)| !keys[..*i].contains(k)) {
                            if let Some(slot) = slots[kind].get(key.as_str()) {
                                members[slot * languages.len() + l][section].push((p, si));
                            }
                        }
                    }
                }
            }
        }
        ListSizes {
            all: b.programmes.iter().map(|p| p.sites.len()).sum(),
            programmes: b.programmes.iter().map(|p| p.sites.len()).collect(),
            members,
            languages,
            requirements: requirements.len(),
            obligations: obligations.len(),
        }
    }

    /// The index of a requirement's or obligation's list in `lang` in `members`.
    fn slot(&self, term: usize, lang: &str) -> Option<usize> {
        let l = self.languages.iter().position(|c| c == lang)?;
        Some(term * self.languages.len() + l)
    }
}

impl ListSizes {
    /// Requirement pages first, then obligation pages: the index of a term's list.
    pub(super) fn term(&self, list: List) -> Option<(usize, &'static [SectionRule])> {
        match list {
            List::Requirement(i) => Some((i, &REQUIREMENT_SECTIONS)),
            List::Obligation(i) => Some((self.requirements + i, &OBLIGATION_SECTIONS)),
            List::Programmes | List::AllSites | List::Programme(_) => None,
        }
    }

    /// How many cards `list` shows in `lang`: programmes on the home page, sites elsewhere.
    pub(super) fn cards_in(&self, list: List, lang: &str) -> usize {
        match (list, self.term(list)) {
            (List::Programmes, _) => self.programmes.len(),
            (List::AllSites, _) => self.all,
            (List::Programme(i), _) => self.programmes.get(i).copied().unwrap_or(0),
            (_, Some((term, ..))) => {
                self.slot(term, lang).map_or(0, |slot| self.members[slot].iter().map(Vec::len).sum())
            }
            (_, None) => 0,
        }
    }

    /// How many pages `list` takes in `lang`.
    pub(super) fn pages(&self, list: List, lang: &str, size: PageSize) -> usize {
        size.pages(self.cards_in(list, lang))
    }

    /// The pages of the requirements' and obligations' lists that show the site `at` in
    /// some language, as (list, page number), for pages of `size` cards.
    pub(super) fn term_pages_showing(&self, at: SiteAt, size: usize) -> Vec<(List, usize)> {
        let mut pages = Vec::new();
        for (slot, sections) in self.members.iter().enumerate() {
            let term = slot / self.languages.len().max(1);
            let list = match term.checked_sub(self.requirements) {
                None => List::Requirement(term),
                Some(i) => List::Obligation(i),
            };
            let mut before = 0;
            for sites in sections {
                // Sites are in programme order, so a binary search finds the site.
                if let Ok(i) = sites.binary_search(&at) {
                    pages.push((list, (before + i) / size.max(1) + 1));
                }
                before += sites.len();
            }
        }
        pages
    }

    /// Every list, in the order of the output.
    pub(super) fn lists(&self) -> impl Iterator<Item = List> {
        [List::Programmes, List::AllSites]
            .into_iter()
            .chain((0..self.programmes.len()).map(List::Programme))
            .chain((0..self.requirements).map(List::Requirement))
            .chain((0..self.obligations).map(List::Obligation))
    }
}

/// Numbered links shown around the current page; the first and last are always shown.
const NEIGHBOURS: usize = 2;

/// The page numbers the navigation of page `n` of `total` shows, `None` for a gap: the
/// first, the last and [`NEIGHBOURS`] either side of `n`, so it stays short for a thousand pages.
fn numbered(total: usize, n: usize) -> Vec<Option<usize>> {
    let mut numbers: Vec<Option<usize>> = Vec::new();
    for number in 1..=total {
        if number == 1 || number == total || number.abs_diff(n) <= NEIGHBOURS {
            numbers.push(Some(number));
        } else if numbers.last().is_some_and(Option::is_some) {
            numbers.push(None);
        }
    }
    numbers
}

impl Renderer<'_> {
    pub(super) fn pages(&self, list: List, lang: &str) -> usize {
        self.listings.sizes.pages(list, lang, self.config.page_size)
    }

    /// The address of page `n` of a list: the list's own for page 1, then
    /// `sedi/pagina/2/`, `en/sites/page/2/` (the folder's name is the UI string `path_page`).
    pub(super) fn page_path(&self, list: List, n: usize, lang: &str) -> String {
        let first = self.list_path(list, lang);
        match n {
            0 | 1 => first.to_string(),
            n => format!("{first}{}/{n}/", slug::from_name(&self.strings.get(lang, "path_page"))),
        }
    }

    /// `count` sites of the list of all sites from the `skip`th on, the programmes before
    /// them stepped over whole rather than site by site (50,000 sites make a thousand pages
    /// and two thousand files of card data).
    pub(super) fn all_sites_from(&self, skip: usize, count: usize) -> Vec<(&Programme, &Entry<SiteFacts>)> {
        let (mut skip, mut sites) = (skip, Vec::new());
        for p in &self.b.programmes {
            if sites.len() == count {
                break;
            }
            let room = count - sites.len();
            sites.extend(p.sites[skip.min(p.sites.len())..].iter().take(room).map(|s| (p, &**s)));
            skip = skip.saturating_sub(p.sites.len());
        }
        sites
    }

    /// The programmes of page `n` of the list of programmes, by their index.
    pub(super) fn page_programmes(&self, n: usize) -> std::ops::Range<usize> {
        let (size, count) = (self.config.page_size.get(), self.b.programmes.len());
        let skip = n.saturating_sub(1).saturating_mul(size).min(count);
        skip..skip.saturating_add(size).min(count)
    }

    /// The sites of page `n` of a list, in their sections (empty sections left out). Only
    /// the page's sites are gathered: a list of 50,000 sites has a thousand pages. The list
    /// of programmes has none (see `page_programmes`).
    pub(super) fn page_sections(&self, list: List, n: usize, lang: &str) -> Vec<ListSection<'_>> {
        let size = self.config.page_size.get();
        let skip = n.saturating_sub(1) * size;
        let programmes = &self.b.programmes;
        let site = |(p, s): SiteAt| (&programmes[p], &*programmes[p].sites[s]);
        let window = |sections: Vec<(Option<&'static str>, &[SiteAt])>| {
            let (mut skip, mut room) = (skip, size);
            let mut page = Vec::new();
            for (title, sites) in sections {
                let taken: Vec<_> = sites.iter().skip(skip).take(room).map(|&i| site(i)).collect();
                skip = skip.saturating_sub(sites.len());
                room -= taken.len();
                if !taken.is_empty() {
                    page.push((title, taken));
                }
            }
            page
        };
        match (list, self.listings.sizes.term(list)) {
            (List::AllSites, _) => {
                let sites = self.all_sites_from(skip, size);
                if sites.is_empty() {
                    Vec::new()
                } else {
                    vec![(None, sites)]
                }
            }
            (List::Programme(p), _) => {
                let sites: Vec<_> = (0..programmes[p].sites.len()).map(|s| (p, s)).collect();
                window(vec![(None, &sites)])
            }
            (_, Some((term, rules))) => {
                let Some(slot) = self.listings.sizes.slot(term, lang) else { return Vec::new() };
                let members = &self.listings.sizes.members[slot];
                window(rules.iter().map(|(title, _)| Some(*title)).zip(members.iter().map(Vec::as_slice)).collect())
            }
            (List::Programmes, _) | (_, None) => Vec::new(),
        }
    }

    /// The navigation of page `n` of a list, or `None` when the list fits on one page.
    pub(super) fn pagination(&self, list: List, n: usize, lang: &str) -> Option<Pagination> {
        let total = self.pages(list, lang);
        if total <= 1 {
            return None;
        }
        let link = |number: usize| {
            let path = self.page_path(list, number, lang);
            PageLink {
                number: self.strings.number(lang, number as u32),
                href: self.base.href(&path),
                permalink: self.base.absolute(&path),
                current: number == n,
            }
        };
        let numbers = numbered(total, n).into_iter().map(|number| number.map(link)).collect();
        Some(Pagination {
            label: self.page_label(n, total, lang),
            previous: (n > 1).then(|| link(n - 1)),
            next: (n < total).then(|| link(n + 1)),
            pages: numbers,
        })
    }

    /// "pagina 2 di 7", from the UI string `page_of`.
    fn page_label(&self, n: usize, total: usize, lang: &str) -> String {
        self.strings
            .get(lang, "page_of")
            .replace("{n}", &self.strings.number(lang, n as u32))
            .replace("{total}", &self.strings.number(lang, total as u32))
    }

    /// Page `n` of a list is its own page: its title says which, it is its own canonical
    /// address, and its alternates and language links lead to page `n` of the list in the
    /// languages that have one (the first page in the others).
    pub(super) fn paginate_layout<F>(&self, layout: &mut Layout<'_>, entry: &Entry<F>, list: List, n: usize) {
        let lang = layout.lang;
        if n > 1 {
            let total = self.pages(list, lang);
            layout.page.title = format!("{} – {}", layout.page.title, self.page_label(n, total, lang));
            // The menu links the list's first page, which this one is not.
            layout.nav.iter_mut().for_each(|l| l.current = false);
        }
        let path = self.page_path(list, n, lang);
        layout.page.url = self.base.href(&path);
        // A fallback's canonical page is its source language's (see `layout`).
        let canonical = match entry.version(lang).translated {
            true => lang,
            false => entry
                .versions
                .iter()
                .find(|o| o.translated && o.same_file(entry.version(lang)))
                .map_or(lang, |o| &o.lang),
        };
        layout.page.permalink = self.base.absolute(&self.page_path(list, n, canonical));
        layout.alternates = entry
            .versions
            .iter()
            .filter(|o| o.translated && self.pages(list, &o.lang) >= n)
            .map(|o| Alternate {
                lang: o.lang.clone(),
                permalink: self.base.absolute(&self.page_path(list, n, &o.lang)),
            })
            .collect();
        for l in &mut layout.languages {
            let page = if self.pages(list, &l.code) >= n { n } else { 1 };
            l.href = self.base.href(&self.page_path(list, page, &l.code));
        }
    }

    /// Pages 2 and later of every list, each with the address of that page in every
    /// language that has it, for the sitemap.
    pub(super) fn later_pages(&self) -> Vec<Vec<(String, String)>> {
        let mut groups = Vec::new();
        for list in self.listings.sizes.lists() {
            let translated: Vec<&str> = match list {
                List::Programmes => self.b.home.translated_languages().collect(),
                List::Programme(i) => self.b.programmes[i].entry.translated_languages().collect(),
                _ => self.config.languages.iter().map(|l| l.code.as_str()).collect(),
            };
            let most = translated.iter().map(|lang| self.pages(list, lang)).max().unwrap_or(1);
            for n in 2..=most {
                groups.push(
                    translated
                        .iter()
                        .filter(|lang| self.pages(list, lang) >= n)
                        .map(|lang| (lang.to_string(), self.page_path(list, n, lang)))
                        .collect(),
                );
            }
        }
        groups
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_navigation_shows_the_ends_and_the_neighbours_with_gaps_between() {
        assert_eq!(numbered(3, 2), [Some(1), Some(2), Some(3)]);
        assert_eq!(numbered(1000, 1), [Some(1), Some(2), Some(3), None, Some(1000)]);
        assert_eq!(
            numbered(1000, 500),
            [Some(1), None, Some(498), Some(499), Some(500), Some(501), Some(502), None, Some(1000)]
        );
        assert_eq!(numbered(7, 4), (1..=7).map(Some).collect::<Vec<_>>(), "no gap where there is nothing to skip");
        assert_eq!(numbered(8, 8), [Some(1), None, Some(6), Some(7), Some(8)]);
    }
}
