//! The counts a filter panel shows before anything is chosen: how many sites each single
//! choice would leave, all counted from the list's [`FacetTable`]. [`count`] once per option
//! is a pass over the sites per option, which made most of the time of the list of all
//! sites at 50,000 sites; a pass over their strings still made a fifth of a facts edit's.
//!
//! The rules are those of [`count`] for a [`FilterState`] with that one choice made; the
//! tests below hold the two to the same answers.
//!
//! [`count`]: super::count
//! [`FilterState`]: super::FilterState

use super::FacetTable;

/// The values of [`super::bucket`].
const BUCKETS: [&str; 3] = ["1", "2", "3+"];

/// How many sites each single choice shows: a requirement offered, an obligation refused,
/// a programme, a city or a number of volunteers.
#[derive(Debug)]
pub struct ChoiceCounts<'a> {
    table: &'a FacetTable,
    /// The sites that require nothing: whatever the candidate offers, they stay.
    require_nothing: usize,
    /// Per key, the sites that require that key and no other: they stay when it alone is offered.
    require_only: Vec<usize>,
    /// Per key, the sites that ask that obligation (once each, however often they list it).
    oblige: Vec<usize>,
    /// Per key, whether a site requires or prefers it, and whether a site asks it as an obligation.
    in_requirements: Vec<bool>,
    in_obligations: Vec<bool>,
    per_area: Vec<usize>,
    /// Sites per programme id: the panel asks for each of 1,600 programmes, too many for a
    /// search along the table's list each time.
    per_programme: ahash::AHashMap<&'a str, usize>,
    /// Sites with 1, 2, 3 or more volunteers.
    buckets: [usize; 3],
}

impl<'a> ChoiceCounts<'a> {
    /// Counted by combination of keys, of which there are few, rather than by site.
    pub fn new(table: &'a FacetTable) -> ChoiceCounts<'a> {
        let keys = table.keys.len();
        let mut counts = ChoiceCounts {
            table,
            require_nothing: 0,
            require_only: vec![0; keys],
            oblige: vec![0; keys],
            in_requirements: vec![false; keys],
            in_obligations: vec![false; keys],
            per_area: vec![0; table.areas.len()],
            per_programme: ahash::AHashMap::with_capacity(table.programmes.len()),
            buckets: [0; 3],
        };
        // A programme's sites follow it, up to the next programme's first.
        let ends = table.programmes.iter().skip(1).map(|(_, first)| *first).chain([table.len()]);
        for ((id, first), end) in table.programmes.iter().zip(ends) {
            *counts.per_programme.entry(id.as_str()).or_default() += end - first;
        }
        let mut per_combo = vec![0; table.combos.len()];
        for &c in &table.combo {
            per_combo[c as usize] += 1;
        }
        for ([required, preferred, obligations], n) in table.combos.iter().zip(per_combo) {
            match required.split_first() {
                None => counts.require_nothing += n,
                Some((first, rest)) if rest.iter().all(|k| k == first) => counts.require_only[*first as usize] += n,
                Some(_) => {}
            }
            for (i, &key) in obligations.iter().enumerate() {
                // A key listed twice hides the site once.
                if !obligations[..i].contains(&key) {
                    counts.oblige[key as usize] += n;
                }
                counts.in_obligations[key as usize] = true;
            }
            for &key in required.iter().chain(preferred) {
                counts.in_requirements[key as usize] = true;
            }
        }
        for &a in &table.area {
            counts.per_area[a as usize] += 1;
        }
        for &v in &table.volunteers {
            counts.buckets[BUCKETS.iter().position(|b| *b == super::bucket(v)).unwrap_or(2)] += 1;
        }
        counts
    }

    /// How many sites show when the candidate offers `key` alone (`offer=key`).
    pub fn offer(&self, key: &str) -> usize {
        self.require_nothing + self.table.key(key).map_or(0, |k| self.require_only[k])
    }

    /// How many sites show when the candidate offers none of the requirements (`offer=none`).
    pub fn offer_none(&self) -> usize {
        self.require_nothing
    }

    /// How many sites show when the candidate cannot accept obligation `key` (`cannot=key`).
    pub fn cannot(&self, key: &str) -> usize {
        self.table.len() - self.table.key(key).map_or(0, |k| self.oblige[k])
    }

    /// Whether a site requires or prefers `key`.
    pub fn is_requirement(&self, key: &str) -> bool {
        self.table.key(key).is_some_and(|k| self.in_requirements[k])
    }

    /// Whether a site asks obligation `key`.
    pub fn is_obligation(&self, key: &str) -> bool {
        self.table.key(key).is_some_and(|k| self.in_obligations[k])
    }

    /// How many sites show for `programme=id`.
    pub fn programme(&self, id: &str) -> usize {
        self.per_programme.get(id).copied().unwrap_or(0)
    }

    /// The cities of the sites, in the order first met, each with how many sites show for `area=city`.
    pub fn areas(&self) -> impl Iterator<Item = (&'a str, usize)> + '_ {
        self.table.areas.iter().map(String::as_str).zip(self.per_area.iter().copied())
    }

    /// How many sites show for `volunteers=bucket` (`1`, `2` or `3+`).
    pub fn volunteers(&self, bucket: &str) -> usize {
        BUCKETS.iter().position(|b| *b == bucket).map_or(0, |i| self.buckets[i])
    }
}

#[cfg(test)]
mod tests {
    use super::super::{count, FilterSite, FilterState, Offer};
    use super::*;
    use proptest::prelude::*;

    const KEYS: &[&str] = &["english", "diploma", "travel", "evenings"];
    const VALUES: &[&str] = &["", "a", "b"];

    fn keys() -> impl Strategy<Value = Vec<String>> {
        // Short lists from few keys, so that repeats, single keys and empty lists all occur.
        prop::collection::vec(prop::sample::select(KEYS).prop_map(String::from), 0..4)
    }

    fn value() -> impl Strategy<Value = String> {
        prop::sample::select(VALUES).prop_map(String::from)
    }

    fn site() -> impl Strategy<Value = FilterSite> {
        (keys(), keys(), keys(), value(), value(), 0u32..5).prop_map(
            |(required, preferred, obligations, programme, area, volunteers)| FilterSite {
                id: "s".into(),
                programme,
                area,
                volunteers,
                required,
                preferred,
                obligations,
                text: "s".into(),
            },
        )
    }

    /// The table of `sites`, put in order of programme first, as lists hold them.
    fn table(sites: &mut [FilterSite]) -> FacetTable {
        sites.sort_by(|a, b| a.programme.cmp(&b.programme));
        let mut programmes: Vec<(&str, usize)> = Vec::new();
        for s in sites.iter() {
            match programmes.last_mut() {
                Some((id, n)) if *id == s.programme => *n += 1,
                _ => programmes.push((&s.programme, 1)),
            }
        }
        FacetTable::by_name(&programmes, sites)
    }

    proptest! {
        #[test]
        fn counts_by_combination_are_what_count_gives_for_each_single_choice(
            mut sites in prop::collection::vec(site(), 0..40)
        ) {
            let table = table(&mut sites);
            let counts = ChoiceCounts::new(&table);
            let with = |change: &dyn Fn(&mut FilterState)| {
                let mut state = FilterState::default();
                change(&mut state);
                count(&sites, &state)
            };
            for key in KEYS.iter().chain(&["unused"]) {
                let used = |list: &dyn Fn(&FilterSite) -> Vec<&String>| sites.iter().any(|s| list(s).iter().any(|k| k == key));
                prop_assert_eq!(counts.is_requirement(key), used(&|s| s.required.iter().chain(&s.preferred).collect()));
                prop_assert_eq!(counts.is_obligation(key), used(&|s| s.obligations.iter().collect()));
                prop_assert_eq!(counts.offer(key), with(&|s| s.offer = s.offer.and(key)), "offer={}", key);
                prop_assert_eq!(counts.cannot(key), with(&|s| { s.cannot.insert(key.to_string()); }), "cannot={}", key);
            }
            prop_assert_eq!(counts.offer_none(), with(&|s| s.offer = Offer::Keys(Default::default())));
            for v in VALUES.iter().chain(&["unused"]) {
                prop_assert_eq!(counts.programme(v), with(&|s| s.programme = Some(v.to_string())), "programme={}", v);
            }
            for (area, n) in counts.areas() {
                prop_assert_eq!(n, with(&|s| s.area = Some(area.to_string())), "area={}", area);
            }
            let mut seen = std::collections::HashSet::new();
            let first_met: Vec<&str> = sites.iter().map(|s| s.area.as_str()).filter(|a| seen.insert(*a)).collect();
            prop_assert_eq!(counts.areas().map(|(a, _)| a).collect::<Vec<_>>(), first_met);
            for b in ["1", "2", "3+", "4"] {
                prop_assert_eq!(counts.volunteers(b), with(&|s| s.volunteers = Some(b.to_string())), "volunteers={}", b);
            }
        }
    }

    #[test]
    fn a_key_required_twice_is_still_one_key_and_an_obligation_twice_hides_once() {
        let site = |required: &[&str], obligations: &[&str]| FilterSite {
            id: "s".into(),
            programme: "p".into(),
            area: String::new(),
            volunteers: 1,
            required: required.iter().map(|k| k.to_string()).collect(),
            preferred: Vec::new(),
            obligations: obligations.iter().map(|k| k.to_string()).collect(),
            text: String::new(),
        };
        let mut sites =
            vec![site(&["english", "english"], &["travel", "travel"]), site(&[], &[]), site(&["a", "b"], &[])];
        let table = table(&mut sites);
        let counts = ChoiceCounts::new(&table);
        assert_eq!((counts.offer("english"), counts.offer("a"), counts.offer_none()), (2, 1, 1));
        assert_eq!((counts.cannot("travel"), counts.cannot("evenings")), (2, 3));
    }
}
