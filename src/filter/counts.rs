//! The counts a filter panel shows before anything is chosen: how many sites each single
//! choice would leave, all counted in one pass over the sites. [`count`] once per option is
//! a pass per option, which made most of the time of the list of all sites at 50,000 sites.
//!
//! The rules are those of [`count`] for a [`FilterState`] with that one choice made; the
//! tests below hold the two to the same answers.
//!
//! [`count`]: super::count
//! [`FilterState`]: super::FilterState

use super::{bucket, FilterSite};
use std::borrow::Borrow;

/// How many sites each single choice shows: a requirement offered, an obligation refused,
/// a programme, a city or a number of volunteers.
#[derive(Debug, Default)]
pub struct ChoiceCounts<'a> {
    sites: usize,
    /// The sites that require nothing: whatever the candidate offers, they stay.
    require_nothing: usize,
    /// Per key, the sites that require that key and no other: they stay when it alone is offered.
    require_only: Tally<'a>,
    /// Per key, the sites that ask that obligation (once each, however often they list it).
    oblige: Tally<'a>,
    programmes: Tally<'a>,
    areas: Tally<'a>,
    volunteers: Tally<'a>,
}

/// Sites per value, and the values in the order first met.
#[derive(Debug, Default)]
struct Tally<'a> {
    order: Vec<(&'a str, usize)>,
    at: ahash::AHashMap<&'a str, usize>,
    /// The place in `order` of the value added last: sites come grouped by programme, and
    /// often by city, so most values are the last one again and need no lookup.
    last: usize,
}

impl<'a> Tally<'a> {
    fn add(&mut self, value: &'a str) {
        if let Some((v, n)) = self.order.get_mut(self.last) {
            if *v == value {
                *n += 1;
                return;
            }
        }
        let next = self.order.len();
        let i = *self.at.entry(value).or_insert(next);
        if i == next {
            self.order.push((value, 0));
        }
        self.order[i].1 += 1;
        self.last = i;
    }

    fn get(&self, value: &str) -> usize {
        self.at.get(value).map_or(0, |i| self.order[*i].1)
    }
}

impl<'a> ChoiceCounts<'a> {
    pub fn new<S: Borrow<FilterSite>>(sites: &'a [S]) -> ChoiceCounts<'a> {
        let mut counts = ChoiceCounts { sites: sites.len(), ..ChoiceCounts::default() };
        for site in sites {
            let site: &'a FilterSite = site.borrow();
            match site.required.split_first() {
                None => counts.require_nothing += 1,
                Some((first, rest)) if rest.iter().all(|k| k == first) => counts.require_only.add(first),
                Some(_) => {}
            }
            for (i, key) in site.obligations.iter().enumerate() {
                // A key listed twice hides the site once.
                if !site.obligations[..i].contains(key) {
                    counts.oblige.add(key);
                }
            }
            counts.programmes.add(&site.programme);
            counts.areas.add(&site.area);
            counts.volunteers.add(bucket(site.volunteers));
        }
        counts
    }

    /// How many sites show when the candidate offers `key` alone (`offer=key`).
    pub fn offer(&self, key: &str) -> usize {
        self.require_nothing + self.require_only.get(key)
    }

    /// How many sites show when the candidate offers none of the requirements (`offer=none`).
    pub fn offer_none(&self) -> usize {
        self.require_nothing
    }

    /// How many sites show when the candidate cannot accept obligation `key` (`cannot=key`).
    pub fn cannot(&self, key: &str) -> usize {
        self.sites - self.oblige.get(key)
    }

    /// How many sites show for `programme=id`.
    pub fn programme(&self, id: &str) -> usize {
        self.programmes.get(id)
    }

    /// The cities of the sites, in the order first met, each with how many sites show for `area=city`.
    pub fn areas(&self) -> impl Iterator<Item = (&'a str, usize)> + '_ {
        self.areas.order.iter().copied()
    }

    /// How many sites show for `volunteers=bucket` (`1`, `2` or `3+`).
    pub fn volunteers(&self, bucket: &str) -> usize {
        self.volunteers.get(bucket)
    }
}

#[cfg(test)]
mod tests {
    use super::super::{count, FilterState, Offer};
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

    proptest! {
        #[test]
        fn one_pass_counts_are_what_count_gives_for_each_single_choice(
            sites in prop::collection::vec(site(), 0..40)
        ) {
            let counts = ChoiceCounts::new(&sites);
            let with = |change: &dyn Fn(&mut FilterState)| {
                let mut state = FilterState::default();
                change(&mut state);
                count(&sites, &state)
            };
            for key in KEYS.iter().chain(&["unused"]) {
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
        let sites = [site(&["english", "english"], &["travel", "travel"]), site(&[], &[]), site(&["a", "b"], &[])];
        let counts = ChoiceCounts::new(&sites);
        assert_eq!((counts.offer("english"), counts.offer("a"), counts.offer_none()), (2, 1, 1));
        assert_eq!((counts.cannot("travel"), counts.cannot("evenings")), (2, 3));
    }
}
