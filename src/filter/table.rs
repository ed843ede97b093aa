//! What the filters test of every site of a list, compactly: each distinct combination of
//! requirement and obligation keys once, and per site its place in the tables. Published as
//! the facet index of a list on several pages, for the script; the panel's counts are read
//! from it ([`super::ChoiceCounts`]) by combination rather than by site.

use serde::Serialize;

/// Serialised as the facet index: the fields and their order are what `filters.js` reads.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct FacetTable {
    /// The requirement and obligation keys the sites use, in order of first use.
    pub keys: Vec<String>,
    /// Each distinct (required, preferred, obligations), as indexes into `keys`.
    pub combos: Vec<[Vec<u32>; 3]>,
    /// Each programme's id and the index of its first site; its sites follow it.
    pub programmes: Vec<(String, usize)>,
    /// The distinct cities, in order of first use; `area` holds an index into it per site.
    pub areas: Vec<String>,
    pub area: Vec<u32>,
    pub volunteers: Vec<u32>,
    /// Per site, its index into `combos`.
    pub combo: Vec<u32>,
}

impl FacetTable {
    /// The index of `key` in `keys`.
    pub fn key(&self, key: &str) -> Option<usize> {
        self.keys.iter().position(|k| k == key)
    }

    /// The number of sites.
    pub fn len(&self) -> usize {
        self.combo.len()
    }

    pub fn is_empty(&self) -> bool {
        self.combo.is_empty()
    }

    /// Gives site `i` the volunteers of `site` when the rest the table holds of it (its city
    /// and keys) is `site`'s, and says so; otherwise the table must be made again.
    pub fn put_volunteers(&mut self, i: usize, site: &super::FilterSite) -> bool {
        let same_area = self.area.get(i).is_some_and(|&a| self.areas[a as usize] == site.area);
        let same_keys = self.combo.get(i).is_some_and(|&c| {
            let lists = [&site.required, &site.preferred, &site.obligations];
            self.combos[c as usize].iter().zip(lists).all(|(keys, names)| {
                keys.len() == names.len() && keys.iter().zip(names).all(|(k, n)| self.keys[*k as usize] == *n)
            })
        });
        if same_area && same_keys {
            self.volunteers[i] = site.volunteers;
        }
        same_area && same_keys
    }

    /// The table of `sites`, read key by key by name: what any faster way of making it
    /// must give. `programmes` are (id, number of sites), the sites in their order.
    #[cfg(test)]
    pub fn by_name(programmes: &[(&str, usize)], sites: &[super::FilterSite]) -> FacetTable {
        let mut t = FacetTable::default();
        let mut first = 0;
        for (id, n) in programmes {
            t.programmes.push((id.to_string(), first));
            first += n;
        }
        fn place(list: &mut Vec<String>, value: &str) -> u32 {
            let at = list.iter().position(|v| v == value).unwrap_or_else(|| {
                list.push(value.to_string());
                list.len() - 1
            });
            at as u32
        }
        for s in sites {
            t.area.push(place(&mut t.areas, &s.area));
            t.volunteers.push(s.volunteers);
            let combo = [&s.required, &s.preferred, &s.obligations]
                .map(|keys| keys.iter().map(|k| place(&mut t.keys, k)).collect::<Vec<u32>>());
            let at = t.combos.iter().position(|c| *c == combo).unwrap_or_else(|| {
                t.combos.push(combo);
                t.combos.len() - 1
            });
            t.combo.push(at as u32);
        }
        t
    }
}
