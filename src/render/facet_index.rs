//! The facet index, one of the files of filter data beside the list of all sites (see
//! `facets`): what [`crate::filter`] tests of every site, compactly, for the script of a list
//! on several pages.

use ahash::AHashMap;
use serde::Serialize;

use super::views::script_json;
use super::{Output, PageResult, Renderer};
use crate::config::{Config, Vocabulary};
use crate::filter::FilterSite;

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

/// A site's required, preferred and obligation keys as places in the configuration's
/// vocabularies (`requirements` for the first two lists, `obligations` for the third), each
/// list followed by [`LIST_END`]. Made with the site's card, once per site and language, so
/// that the index of 50,000 sites reads a short row per site rather than 300,000 strings
/// scattered in memory, which took most of its time.
#[derive(Debug)]
pub struct VocabularyPlaces(Box<[u16]>);

const LIST_END: u16 = u16::MAX;

impl VocabularyPlaces {
    /// `None` when a key is not in the vocabulary (the model refuses such a site, but the
    /// index does not count on it: it reads that site's keys by name).
    pub(super) fn new(config: &Config, site: &FilterSite) -> Option<VocabularyPlaces> {
        let lists = [&site.required, &site.preferred, &site.obligations];
        let mut row = Vec::with_capacity(lists.iter().map(|l| l.len() + 1).sum());
        for (list, keys) in lists.into_iter().enumerate() {
            let vocabulary = vocabulary(config, list);
            for key in keys {
                let place = vocabulary.0.iter().position(|(k, _)| k == key)?;
                row.push(u16::try_from(place).ok().filter(|p| *p != LIST_END)?);
            }
            row.push(LIST_END);
        }
        Some(VocabularyPlaces(row.into()))
    }
}

/// The vocabulary of list `list` of a site (required, preferred, obligations).
fn vocabulary(config: &Config, list: usize) -> &Vocabulary {
    match list {
        0 | 1 => &config.requirements,
        _ => &config.obligations,
    }
}

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
        let sites = self.every_site_in_lists(lang)?;
        let mut index = FacetIndex {
            keys: Vec::new(),
            combos: Vec::new(),
            programmes: Vec::new(),
            areas: Vec::new(),
            area: Vec::with_capacity(sites.len()),
            volunteers: sites.iter().map(|s| s.filter.volunteers).collect(),
            combo: Vec::with_capacity(sites.len()),
        };
        let mut first = 0;
        for p in &self.b.programmes {
            index.programmes.push((&p.entry.id, first));
            first += p.sites.len();
        }
        let mut areas = AHashMap::new();
        let mut keys = Keys::new(self.config);
        // A combination is looked up by its row, made in one buffer: a site allocates
        // nothing unless its combination is new.
        let mut combos: AHashMap<Vec<usize>, usize> = AHashMap::new();
        let mut row = Vec::new();
        for site in sites.iter() {
            let s = &site.filter;
            let next = areas.len();
            let area = *areas.entry(s.area.as_str()).or_insert(next);
            if area == next {
                index.areas.push(&s.area);
            }
            index.area.push(area);
            keys.row(&mut row, s, site.places.as_ref());
            let at = match combos.get(row.as_slice()) {
                Some(at) => *at,
                None => {
                    let at = index.combos.len();
                    let mut lists = row.split(|i| *i == SEPARATOR).map(<[usize]>::to_vec);
                    index.combos.push(std::array::from_fn(|_| lists.next().unwrap_or_default()));
                    combos.insert(row.clone(), at);
                    at
                }
            };
            index.combo.push(at);
        }
        index.keys = keys.names;
        Ok((Output::text(&self.facet_index_path(lang), script_json(&index)), Vec::new()))
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
