//! Requirement filters: which sites a candidate qualifies for, and in what order.
//!
//! The theme's JavaScript (`themes/default/static/js/filters.js`) implements the same rules
//! in the browser; the cases in `tests/fixtures/filters/cases.json` are run against both.
//!
//! - **offer**: requirement keys the candidate has. A site is shown only when every one of
//!   its *required* keys is offered. Sites are ordered by how many of their *preferred* keys
//!   are offered (most first), then by their usual order.
//! - **cannot**: obligation keys the candidate cannot accept. A site asking any of them is hidden.
//! - **programme**, **area** (city), **volunteers** (`1`, `2`, `3+`): exact facets.
//! - **q**: free text, matched case- and accent-insensitively against title and address.

use std::borrow::Borrow;
use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};

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

/// The candidate's choices, as in the page's query string.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FilterState {
    pub offer: BTreeSet<String>,
    pub cannot: BTreeSet<String>,
    pub programme: Option<String>,
    pub area: Option<String>,
    /// `1`, `2` or `3+`.
    pub volunteers: Option<String>,
    pub q: String,
}

impl FilterState {
    /// Reads `offer=a,b&cannot=c&programme=p&area=x&volunteers=3%2B&q=text`.
    pub fn from_query(query: &str) -> FilterState {
        let mut s = FilterState::default();
        for pair in query.trim_start_matches('?').split('&').filter(|p| !p.is_empty()) {
            let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
            let v = crate::percent::decode(v, true).unwrap_or_else(|| v.to_string());
            let list = || v.split(',').filter(|x| !x.is_empty()).map(str::to_string).collect::<BTreeSet<_>>();
            match k {
                "offer" => s.offer = list(),
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
    let shown = site.required.iter().all(|k| state.offer.contains(k))
        && !site.obligations.iter().any(|k| state.cannot.contains(k))
        && state.programme.as_ref().is_none_or(|p| *p == site.programme)
        && state.area.as_ref().is_none_or(|a| *a == site.area)
        && state.volunteers.as_deref().is_none_or(|v| bucket(site.volunteers) == v)
        && words.iter().all(|word| site.text.contains(word));
    shown.then(|| site.preferred.iter().filter(|k| state.offer.contains(*k)).count())
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

/// Lower case without the accents of Latin letters, so `citta` finds `Città`.
pub fn fold(s: &str) -> String {
    s.chars()
        .flat_map(char::to_lowercase)
        .map(|c| match c {
            'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' => 'a',
            'è' | 'é' | 'ê' | 'ë' => 'e',
            'ì' | 'í' | 'î' | 'ï' => 'i',
            'ò' | 'ó' | 'ô' | 'õ' | 'ö' => 'o',
            'ù' | 'ú' | 'û' | 'ü' => 'u',
            'ç' => 'c',
            'ñ' => 'n',
            c => c,
        })
        .collect()
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
        assert_eq!(ids(""), ["b"]);
        assert_eq!(ids("offer=english"), ["a", "b"]);
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
    fn volunteer_buckets() {
        assert_eq!(bucket(1), "1");
        assert_eq!(bucket(2), "2");
        assert_eq!(bucket(3), "3+");
        assert_eq!(FilterState::from_query("volunteers=3%2B").volunteers.as_deref(), Some("3+"));
    }
}
