//! The facet index, one of the files of filter data beside the list of all sites (see
//! `facets`): the [`FacetTable`] of every site, for the script of a list on several pages,
//! and how a list's table is made.

use std::sync::Arc;

use ahash::AHashMap;

use super::cards::{vocabulary, SiteInLists, VocabularyPlaces, LIST_END};
use super::views::script_json;
use super::{Output, PageResult, Renderer};
use crate::config::{Config, Vocabulary};
use crate::filter::{FacetTable, FilterSite};
use crate::model::Programme;

/// Between the lists of a combination in a row of key indexes: no index is this large.
const SEPARATOR: usize = usize::MAX;

/// The keys of the index in order of first use, found by name or by vocabulary place.
struct Keys<'a> {
    config: &'a Config,
    names: Vec<&'a str>,
    by_name: AHashMap<&'a str, usize>,
    /// Per place in `requirements`, then in `obligations`, the key's index once used.
    by_place: [Vec<Option<usize>>; 2],
}

impl<'a> Keys<'a> {
    fn new(config: &'a Config) -> Keys<'a> {
        let places = |v: &Vocabulary| vec![None; v.0.len()];
        Keys {
            config,
            names: Vec::new(),
            by_name: AHashMap::new(),
            by_place: [places(&config.requirements), places(&config.obligations)],
        }
    }

    /// The index of key `name`, added at the end if it is not there yet.
    fn named(&mut self, name: &'a str) -> usize {
        *self.by_name.entry(name).or_insert_with(|| {
            self.names.push(name);
            self.names.len() - 1
        })
    }

    /// The index of the key at `place` in the vocabulary of list `list`.
    fn placed(&mut self, list: usize, place: u16) -> usize {
        let (of, place) = (usize::from(list == 2), usize::from(place));
        if let Some(i) = self.by_place[of][place] {
            return i;
        }
        // By name too: a word may be both a requirement and an obligation, one key in the index.
        let i = self.named(&vocabulary(self.config, list).0[place].0);
        self.by_place[of][place] = Some(i);
        i
    }

    /// The site's combination as a row of key indexes, its lists apart by [`SEPARATOR`].
    fn row(&mut self, row: &mut Vec<usize>, site: &'a FilterSite, places: Option<&VocabularyPlaces>) {
        row.clear();
        match places {
            Some(places) => {
                let mut list = 0;
                for &place in places.0.iter() {
                    if place == LIST_END {
                        row.push(SEPARATOR);
                        list += 1;
                    } else {
                        row.push(self.placed(list, place));
                    }
                }
                row.pop();
            }
            None => {
                for (n, keys) in [&site.required, &site.preferred, &site.obligations].into_iter().enumerate() {
                    if n > 0 {
                        row.push(SEPARATOR);
                    }
                    row.extend(keys.iter().map(|k| self.named(k)));
                }
            }
        }
    }
}

impl Renderer<'_> {
    /// The facet index of `lang`.
    pub(super) fn facet_index(&self, lang: &str) -> PageResult {
        let table = self.every_site_facets(lang)?;
        Ok((Output::text(&self.facet_index_path(lang), script_json(&*table)), Vec::new()))
    }

    /// The facet table of `sites`, which are the sites of `programmes` in their order.
    pub(super) fn facet_table(&self, programmes: &[&Programme], sites: &[Arc<SiteInLists>]) -> FacetTable {
        let mut table = FacetTable {
            area: Vec::with_capacity(sites.len()),
            volunteers: sites.iter().map(|s| s.filter.volunteers).collect(),
            combo: Vec::with_capacity(sites.len()),
            ..FacetTable::default()
        };
        let mut first = 0;
        for p in programmes {
            table.programmes.push((p.entry.id.clone(), first));
            first += p.sites.len();
        }
        let mut areas = AHashMap::new();
        let mut keys = Keys::new(self.config);
        // A combination is looked up by its row, made in one buffer: a site allocates
        // nothing unless its combination is new.
        let mut combos: AHashMap<Vec<usize>, u32> = AHashMap::new();
        let mut row = Vec::new();
        for site in sites {
            let s = &site.filter;
            let next = areas.len() as u32;
            let area = *areas.entry(s.area.as_str()).or_insert(next);
            if area == next {
                table.areas.push(s.area.clone());
            }
            table.area.push(area);
            keys.row(&mut row, s, site.places.as_ref());
            let at = match combos.get(row.as_slice()) {
                Some(at) => *at,
                None => {
                    let at = table.combos.len() as u32;
                    let mut lists = row.split(|i| *i == SEPARATOR).map(|l| l.iter().map(|&k| k as u32).collect());
                    table.combos.push(std::array::from_fn(|_| lists.next().unwrap_or_default()));
                    combos.insert(row.clone(), at);
                    at
                }
            };
            table.combo.push(at);
        }
        table.keys = keys.names.into_iter().map(String::from).collect();
        table
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site(required: &[&str], preferred: &[&str], obligations: &[&str]) -> FilterSite {
        let keys = |l: &[&str]| l.iter().map(|k| k.to_string()).collect();
        FilterSite {
            id: "s".into(),
            programme: "p".into(),
            area: String::new(),
            volunteers: 1,
            required: keys(required),
            preferred: keys(preferred),
            obligations: keys(obligations),
            text: String::new(),
        }
    }

    #[test]
    fn keys_read_by_vocabulary_place_are_numbered_as_keys_read_by_name() {
        let config: Config = crate::yaml::from_str(
            r#"
title: { it: "Filtri" }
base_url: "https://example.org/"
default_language: it
languages: [{ code: it, name: "Italiano" }]
requirements: { english: { it: "Inglese" }, travel: { it: "Viaggi" }, diploma: { it: "Diploma" } }
obligations: { evenings: { it: "Sere" }, travel: { it: "Spostamenti" } }
"#,
        )
        .expect("a configuration");
        // `travel` is both a requirement and an obligation; `unknown` is in neither vocabulary.
        let sites = [
            site(&["diploma"], &[], &["travel"]),
            site(&["unknown", "travel"], &["english"], &[]),
            site(&[], &["travel", "diploma"], &["evenings", "travel"]),
            site(&[], &[], &[]),
        ];
        let (mut by_place, mut by_name) = (Keys::new(&config), Keys::new(&config));
        let (mut row, mut named_row) = (Vec::new(), Vec::new());
        let mut rows = Vec::new();
        for s in &sites {
            by_place.row(&mut row, s, VocabularyPlaces::new(&config, s).as_ref());
            by_name.row(&mut named_row, s, None);
            assert_eq!(row, named_row);
            rows.push(row.clone());
        }
        assert!(VocabularyPlaces::new(&config, &sites[1]).is_none(), "a key out of the vocabulary");
        assert_eq!(by_place.names, ["diploma", "travel", "unknown", "english", "evenings"]);
        assert_eq!(by_place.names, by_name.names);
        const S: usize = SEPARATOR;
        assert_eq!(rows, [vec![0, S, S, 1], vec![2, 1, S, 3, S], vec![S, 1, 0, S, 4, 1], vec![S, S]]);
    }
}
