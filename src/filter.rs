//! Requirement filters: which sites a candidate qualifies for, and in what order.
//!
//! The theme's JavaScript (`themes/default/static/js/filters.js`) implements the same rules
//! in the browser; the cases in `tests/fixtures/filters/cases.json` are run against both.
//!
//! - **offer**: requirement keys the candidate has. Until they say anything (tick a
//!   requirement, or "none of these", `offer=none`), no site is hidden for what it requires:
//!   a candidate who has not answered is not told that sites do not exist. Once they have,
//!   a site is shown only when every one of its *required* keys is offered. Sites are
//!   ordered by how many of their *preferred* keys are offered (most first), then by their
//!   usual order.
//! - **cannot**: obligation keys the candidate cannot accept. A site asking any of them is hidden.
//! - **programme**, **area** (city), **volunteers** (`1`, `2`, `3+`): exact facets.
//! - **q**: free text, matched against title, address and code after [`fold`]ing both.
//!
//! [`FacetTable`] holds what they test of every site of a list compactly; [`ChoiceCounts`]
//! counts from it what each single choice shows, for the panel.

mod counts;
mod table;

use std::borrow::Borrow;
use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};

pub use counts::ChoiceCounts;
pub use table::FacetTable;

/// A site as the filters see it; serialised into each listing page for the script.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FilterSite {
    pub id: String,
    pub programme: String,
    pub area: String,
    pub volunteers: u32,
    pub required: Vec<String>,
    pub preferred: Vec<String>,
    pub obligations: Vec<String>,
    /// Title and address, folded (lower case, no accents), for the text search.
    pub text: String,
}

/// What the candidate says they can offer.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum Offer {
    /// Nothing ticked yet: no site is hidden for what it requires.
    #[default]
    NotSaid,
    /// These requirement keys; none at all for "none of these". A site then shows only
    /// when it requires nothing else.
    Keys(BTreeSet<String>),
}

/// The value of "none of these" in `offer=`; config.yaml may not use it as a key.
pub const NONE_OF_THESE: &str = "none";

impl Offer {
    /// Whether the candidate offers `key`.
    pub fn has(&self, key: &str) -> bool {
        matches!(self, Offer::Keys(keys) if keys.contains(key))
    }

    /// The offer with `key` ticked too.
    pub fn and(&self, key: &str) -> Offer {
        let mut keys = match self {
            Offer::NotSaid => BTreeSet::new(),
            Offer::Keys(keys) => keys.clone(),
        };
        keys.insert(key.to_string());
        Offer::Keys(keys)
    }

    /// Whether a site requiring `required` is left visible.
    fn allows(&self, required: &[String]) -> bool {
        match self {
            Offer::NotSaid => true,
            Offer::Keys(keys) => required.iter().all(|k| keys.contains(k)),
        }
    }
}

/// The candidate's choices, as in the page's query string.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FilterState {
    pub offer: Offer,
    pub cannot: BTreeSet<String>,
    pub programme: Option<String>,
    pub area: Option<String>,
    /// `1`, `2` or `3+`.
    pub volunteers: Option<String>,
    pub q: String,
}

impl FilterState {
    /// Reads `offer=a,b&cannot=c&programme=p&area=x&volunteers=3%2B&q=text` (`offer=none`:
    /// "none of these").
    pub fn from_query(query: &str) -> FilterState {
        let mut s = FilterState::default();
        for pair in query.trim_start_matches('?').split('&').filter(|p| !p.is_empty()) {
            let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
            let v = crate::percent::decode(v, true).unwrap_or_else(|| v.to_string());
            let list = || v.split(',').filter(|x| !x.is_empty()).map(str::to_string).collect::<BTreeSet<_>>();
            match k {
                "offer" => {
                    let keys = list();
                    s.offer = if keys.is_empty() {
                        Offer::NotSaid
                    } else {
                        Offer::Keys(keys.into_iter().filter(|k| k != NONE_OF_THESE).collect())
                    };
                }
                "cannot" => s.cannot = list(),
                "programme" if !v.is_empty() => s.programme = Some(v.clone()),
                "area" if !v.is_empty() => s.area = Some(v.clone()),
                "volunteers" if !v.is_empty() => s.volunteers = Some(v.clone()),
                "q" => s.q = v.clone(),
                _ => {}
            }
        }
        s
    }
}

/// How many of the site's preferred keys the candidate offers, or `None` if it is hidden.
pub fn score(site: &FilterSite, state: &FilterState) -> Option<usize> {
    let words = fold(state.q.trim());
    score_with(site, state, &words.split_whitespace().collect::<Vec<_>>())
}

/// [`score`] with the search text already folded into words.
fn score_with(site: &FilterSite, state: &FilterState, words: &[&str]) -> Option<usize> {
    let shown = state.offer.allows(&site.required)
        && !site.obligations.iter().any(|k| state.cannot.contains(k))
        && state.programme.as_ref().is_none_or(|p| *p == site.programme)
        && state.area.as_ref().is_none_or(|a| *a == site.area)
        && state.volunteers.as_deref().is_none_or(|v| bucket(site.volunteers) == v)
        && words.iter().all(|word| site.text.contains(word));
    shown.then(|| site.preferred.iter().filter(|k| state.offer.has(k)).count())
}

/// The visible sites' indexes, best match first; ties keep the listing order.
pub fn apply<S: Borrow<FilterSite>>(sites: &[S], state: &FilterState) -> Vec<(usize, usize)> {
    let words = fold(state.q.trim());
    let words: Vec<&str> = words.split_whitespace().collect();
    let mut visible: Vec<(usize, usize)> =
        sites.iter().enumerate().filter_map(|(i, s)| score_with(s.borrow(), state, &words).map(|n| (i, n))).collect();
    visible.sort_by_key(|(i, n)| (std::cmp::Reverse(*n), *i));
    visible
}

/// How many sites are shown: `apply(..).len()` without ordering them.
pub fn count<S: Borrow<FilterSite>>(sites: &[S], state: &FilterState) -> usize {
    let words = fold(state.q.trim());
    let words: Vec<&str> = words.split_whitespace().collect();
    sites.iter().filter(|s| score_with((*s).borrow(), state, &words).is_some()).count()
}

/// The volunteers facet value of a site.
pub fn bucket(volunteers: u32) -> &'static str {
    match volunteers {
        0 | 1 => "1",
        2 => "2",
        _ => "3+",
    }
}

/// Letters that Unicode does not decompose into a base letter and a mark, spelt as a
/// search box user types them. Part of [`fold`]; sent to filters.js with the page's data.
pub const FOLDED_LETTERS: &[(char, &str)] = &[
    ('ß', "ss"),
    ('æ', "ae"),
    ('œ', "oe"),
    ('ø', "o"),
    ('ł', "l"),
    ('đ', "d"),
    ('ð', "d"),
    ('ħ', "h"),
    ('ı', "i"),
    ('þ', "th"),
];

/// Text as the search compares it: lower case, decomposed (Unicode NFD), without
/// nonspacing marks (accents, Arabic short vowels), then [`FOLDED_LETTERS`]. So `citta`
/// and `CITTÀ` find `Città`. The one folding rule of brochure: filters.js folds the query
/// the same way (`toLowerCase().normalize('NFD')`, drop `\p{Mn}`, the same letters), and
/// `brochure new` folds suggested file names with it.
pub fn fold(s: &str) -> String {
    let lower = s.to_lowercase();
    let decomposed = icu_normalizer::DecomposingNormalizerBorrowed::new_nfd().normalize(&lower);
    let categories = icu_properties::CodePointMapData::<icu_properties::props::GeneralCategory>::new();
    let mut out = String::with_capacity(decomposed.len());
    for c in decomposed.chars() {
        if categories.get(c) == icu_properties::props::GeneralCategory::NonspacingMark {
            continue;
        }
        match FOLDED_LETTERS.iter().find(|(letter, _)| *letter == c) {
            Some((_, spelt)) => out.push_str(spelt),
            None => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site(id: &str, required: &[&str], preferred: &[&str], obligations: &[&str]) -> FilterSite {
        let v = |l: &[&str]| l.iter().map(|s| s.to_string()).collect();
        FilterSite {
            id: id.into(),
            programme: "p".into(),
            area: "Milano".into(),
            volunteers: 1,
            required: v(required),
            preferred: v(preferred),
            obligations: v(obligations),
            text: fold(&format!("{id} Via Larga")),
        }
    }

    #[test]
    fn required_keys_must_all_be_offered() {
        let sites = [site("a", &["english"], &[], &[]), site("b", &[], &[], &[])];
        let ids = |q| {
            apply(&sites, &FilterState::from_query(q)).into_iter().map(|(i, _)| sites[i].id.clone()).collect::<Vec<_>>()
        };
        assert_eq!(ids("offer=english"), ["a", "b"]);
        assert_eq!(ids("offer=none"), ["b"]);
        assert_eq!(ids("offer=it-skills"), ["b"]);
    }

    #[test]
    fn nothing_said_hides_nothing() {
        let sites = [site("a", &["english"], &[], &[]), site("b", &[], &[], &[])];
        assert_eq!(apply(&sites, &FilterState::from_query("")), [(0, 0), (1, 0)]);
        assert_eq!(apply(&sites, &FilterState::from_query("offer=")), [(0, 0), (1, 0)]);
        assert_eq!(FilterState::from_query("offer=none").offer, Offer::Keys(BTreeSet::new()));
    }

    #[test]
    fn obligations_the_candidate_cannot_accept_hide_the_site() {
        let sites = [site("a", &[], &[], &["evenings"]), site("b", &[], &[], &[])];
        let shown = apply(&sites, &FilterState::from_query("cannot=evenings"));
        assert_eq!(shown, [(1, 0)]);
    }

    #[test]
    fn preferred_matches_order_the_list_and_ties_keep_their_order() {
        let sites = [site("a", &[], &["x"], &[]), site("b", &[], &["x", "y"], &[]), site("c", &[], &[], &[])];
        let shown = apply(&sites, &FilterState::from_query("offer=x,y"));
        assert_eq!(shown, [(1, 2), (0, 1), (2, 0)]);
    }

    #[test]
    fn text_search_ignores_case_and_accents() {
        let mut s = site("a", &[], &[], &[]);
        s.text = fold("Città Mondo, Piazza Duomo");
        assert!(score(&s, &FilterState::from_query("q=citta+duomo")).is_some());
        assert!(score(&s, &FilterState::from_query("q=CITT%C3%80")).is_some());
        assert!(score(&s, &FilterState::from_query("q=larga")).is_none());
    }

    #[test]
    fn folding_drops_marks_and_case_in_any_script() {
        assert_eq!(fold("CITTÀ Perù"), "citta peru");
        // Decomposed input (a + combining grave) folds like the precomposed letter.
        assert_eq!(fold("Citta\u{300}"), fold("Città"));
        assert_eq!(fold("Straße Œuvre Łódź"), "strasse oeuvre lodz");
        assert_eq!(fold("İstanbul"), "istanbul");
        // Arabic short vowels are nonspacing marks: a search without them still matches.
        assert_eq!(fold("مُتَطَوِّع"), "متطوع");
    }

    #[test]
    fn volunteer_buckets() {
        assert_eq!(bucket(1), "1");
        assert_eq!(bucket(2), "2");
        assert_eq!(bucket(3), "3+");
        assert_eq!(FilterState::from_query("volunteers=3%2B").volunteers.as_deref(), Some("3+"));
    }
}
