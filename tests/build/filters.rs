//! Requirement filters without a browser: the generated filter data, run through the
//! Rust rules on the shared cases, and the no-JavaScript fallback pages.

use brochure::filter::{apply, FilterSite, FilterState};
use serde_json::Value;

use crate::project::Project;

/// The shared cases (`tests/fixtures/filters/cases.json`): page, query, expected site ids.
pub fn cases() -> Vec<(String, String, Vec<String>)> {
    let text =
        std::fs::read_to_string(crate::project::repo().join("tests/fixtures/filters/cases.json")).expect("cases");
    let json: Value = serde_json::from_str(&text).expect("cases are JSON");
    json["cases"]
        .as_array()
        .expect("a list of cases")
        .iter()
        .map(|c| {
            let ids = c["expect"].as_array().expect("expect").iter().map(|v| v.as_str().expect("id").to_string());
            (
                c["page"].as_str().expect("page").to_string(),
                c["query"].as_str().expect("query").to_string(),
                ids.collect(),
            )
        })
        .collect()
}

/// The JSON a listing page embeds for its script.
pub fn filter_data(html: &str) -> Value {
    let start = html.find("<script type=\"application/json\" id=\"filter-data\">").expect("filter data in the page");
    let rest = &html[start..];
    let body = &rest[rest.find('>').expect("tag end") + 1..rest.find("</script>").expect("script end")];
    serde_json::from_str(body).expect("filter data is JSON")
}

#[test]
fn shared_filter_cases_hold_for_the_generated_data() {
    let p = Project::fixture("filters");
    p.build_ok();
    for (page, query, expect) in cases() {
        let data = filter_data(&p.read(&format!("{page}index.html")));
        let sites: Vec<FilterSite> = serde_json::from_value(data["sites"].clone()).expect("sites");
        let shown: Vec<String> =
            apply(&sites, &FilterState::from_query(&query)).into_iter().map(|(i, _)| sites[i].id.clone()).collect();
        assert_eq!(shown, expect, "page {page} with ?{query}");
    }
}

#[test]
fn programme_page_has_a_filter_panel_hidden_until_the_script_runs() {
    let p = Project::fixture("filters");
    p.build_ok();
    let html = p.read("alpha/index.html");
    assert!(html.contains("<form class=\"filters\" id=\"filters\" hidden>"));
    for key in ["english", "it-skills", "diploma"] {
        assert!(html.contains(&format!("name=\"offer\" value=\"{key}\"")), "offer checkbox {key}");
    }
    assert!(html.contains("name=\"cannot\" value=\"evenings\""));
    assert!(html.contains("aria-live=\"polite\""));
    // Without JavaScript every card is in the page, with its badges.
    for id in ["alpha/a1", "alpha/a2", "alpha/a3", "alpha/a4"] {
        assert!(html.contains(&format!("data-site=\"{id}\"")), "card {id}");
    }
    assert!(html.contains("data-key=\"english\""));
}

#[test]
fn facet_counts_say_how_many_sites_each_choice_leaves() {
    let p = Project::fixture("filters");
    p.build_ok();
    let html = p.read("alpha/index.html");
    // Nothing ticked shows a2 and a3; ticking English adds a1; ticking "cannot evenings" hides a2.
    assert!(
        html.contains("value=\"english\"> <span>Inglese</span> <span class=\"count\" data-count>(3)</span>"),
        "{html}"
    );
    assert!(
        html.contains("value=\"evenings\"> <span>Sere e festivi</span> <span class=\"count\" data-count>(1)</span>")
    );
}

#[test]
fn all_sites_page_and_requirement_pages_exist_in_every_language() {
    let p = Project::fixture("filters");
    p.build_ok();
    let it = p.read("sedi/index.html");
    assert!(it.contains("name=\"programme\" value=\"beta\""), "programme facet on the all-sites page");
    assert!(it.contains("name=\"area\" value=\"Monza\""), "area facet when sites are in several cities");
    let en = p.read("en/sites/index.html");
    assert!(en.contains("data-site=\"beta/b1\""));
    // Static pages for browsing without JavaScript, with translated addresses.
    let english = p.read("requisiti/inglese/index.html");
    assert!(english.contains("data-site=\"alpha/a1\"") && english.contains("data-site=\"alpha/a2\""));
    assert!(!english.contains("data-site=\"alpha/a3\""), "a3 neither requires nor prefers English");
    assert!(p.exists("en/requirements/english/index.html"));
    let travel = p.read("en/obligations/travel/index.html");
    assert!(travel.contains("data-site=\"alpha/a4\"") && travel.contains("data-site=\"beta/b1\""));
    assert!(p.read("sitemap.xml").contains("https://example.org/en/requirements/english/"));
}

#[test]
fn embedded_filter_data_cannot_break_out_of_its_script_element() {
    let p = Project::fixture("filters");
    p.edit("content/alpha/a3.it.md", "title: \"Città Mondo\"", "title: \"</script><script>alert(1)</script>\"");
    p.build_ok();
    let html = p.read("alpha/index.html");
    let data_start = html.find("id=\"filter-data\">").expect("data");
    let data_end = data_start + html[data_start..].find("</script>").expect("end");
    assert!(!html[data_start..data_end].contains("<script"), "the title escaped the data block");
    assert!(filter_data(&html)["sites"][2]["text"].as_str().unwrap_or("").contains("</script>"));
}
