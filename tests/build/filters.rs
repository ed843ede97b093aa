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
    assert!(html.contains("<details class=\"filters-panel\" id=\"f-panel\" hidden>"));
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
    // Nothing ticked shows all four; ticking English hides a4 (it also requires a diploma);
    // "none of these" leaves a2 and a3; "cannot evenings" hides a2.
    assert!(
        html.contains("value=\"english\"> <span>Inglese</span> <span class=\"count\" data-count>(3)</span>"),
        "{html}"
    );
    assert!(html.contains("value=\"none\"> <span>Nessuno di questi</span> <span class=\"count\" data-count>(2)</span>"));
    assert!(
        html.contains("value=\"evenings\"> <span>Sere e festivi</span> <span class=\"count\" data-count>(3)</span>")
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

/// The real sites that require something, with what they require (from the source
/// documents): every other site requires nothing.
const REAL_REQUIRING: &[(&str, &str)] = &[
    ("comune-milano-informa/sportelli-casa", "it-skills"),
    ("comune-milano-informa/ufficio-tutela", "relational-skills"),
];

/// Ids of the site cards in a page, in order.
fn card_ids(html: &str) -> Vec<String> {
    crate::project::attribute_values(html, "data-site").into_iter().map(str::to_string).collect()
}

#[test]
fn on_the_real_content_every_site_is_listed_until_the_candidate_says_what_they_offer() {
    let p = Project::real();
    p.build_ok();
    let all: Vec<String> = card_ids(&p.read("sedi/index.html"));
    assert_eq!(all.len(), 10, "the real brochure has 10 sites: {all:?}");
    let listings =
        ["sedi/", "en/sites/", "comune-milano-informa/", "en/milan-city-informs/", "citta-metropolitana-formazione/"];
    for page in listings {
        let html = p.read(&format!("{page}index.html"));
        let cards = card_ids(&html);
        if !html.contains("id=\"filter-data\"") {
            assert_eq!(cards.len(), 1, "{page}: only a programme with one site has no filters");
            continue;
        }
        let data = filter_data(&html);
        let sites: Vec<FilterSite> = serde_json::from_value(data["sites"].clone()).expect("sites");
        let ids = |query: &str| -> Vec<String> {
            let mut shown: Vec<String> =
                apply(&sites, &FilterState::from_query(query)).into_iter().map(|(i, _)| sites[i].id.clone()).collect();
            shown.sort();
            shown
        };
        let mut listed = cards.clone();
        listed.sort();
        assert_eq!(ids(""), listed, "{page}: with nothing said, every card stays");
        let english: Vec<String> =
            listed.iter().filter(|id| !REAL_REQUIRING.iter().any(|(r, _)| r == id)).cloned().collect();
        assert_eq!(ids("offer=english"), english, "{page}?offer=english");
        for (id, key) in REAL_REQUIRING.iter().filter(|(id, _)| cards.iter().any(|c| c == id)) {
            let site = sites.iter().find(|s| s.id == *id).expect("in the data");
            assert_eq!(site.required, [key.to_string()], "{id}");
            assert!(ids(&format!("offer=english,{key}")).contains(&id.to_string()));
        }
    }
    let programme_cards: usize = ["comune-milano-informa/", "citta-metropolitana-formazione/"]
        .iter()
        .map(|p2| card_ids(&p.read(&format!("{p2}index.html"))).len())
        .sum();
    assert_eq!(programme_cards, 10, "each programme page lists all its sites");
    // A card of a site with required keys says so before any filter.
    let html = p.read("sedi/index.html");
    let card = &html[html.find("data-site=\"comune-milano-informa/sportelli-casa\"").expect("card")..];
    let card = &card[..card.find("</article>").expect("card end")];
    assert!(card.contains("<strong>Richiede:</strong> <span data-key=\"it-skills\">Competenze informatiche"), "{card}");
}

#[test]
fn rewording_a_label_changes_no_address() {
    let p = Project::real();
    p.build_ok();
    let before: Vec<_> = crate::project::tree(&p.public()).into_keys().collect();
    let config = std::fs::read_to_string(p.root().join("config.yaml")).expect("config.yaml");
    // Every label of every requirement and obligation, in every language, reworded.
    let mut in_vocabulary = false;
    let reworded: String = config
        .lines()
        .map(|line| {
            if !line.starts_with(' ') {
                in_vocabulary = line.starts_with("requirements:") || line.starts_with("obligations:");
            }
            let mut line = line.to_string();
            if in_vocabulary {
                for lang in ["it", "en"] {
                    line = line.replacen(&format!("{lang}: \""), &format!("{lang}: \"Nuova etichetta "), 1);
                }
            }
            line + "\n"
        })
        .collect();
    assert_ne!(reworded, config);
    p.write("config.yaml", &reworded);
    p.build_ok();
    assert!(p.read("sedi/index.html").contains("Nuova etichetta Conoscenza della lingua inglese"));
    let after: Vec<_> = crate::project::tree(&p.public()).into_keys().collect();
    assert_eq!(before, after, "the same files at the same addresses");
    assert!(p.exists("requisiti/inglese/index.html") && p.exists("en/requirements/english/index.html"));
    assert!(p.exists("obblighi/orario-giornaliero/index.html") && p.exists("en/obligations/fixed-schedule/index.html"));
}

#[test]
fn a_requirement_without_slug_is_addressed_by_its_key_and_a_bad_slug_is_an_error() {
    let p = Project::fixture("filters");
    p.build_ok();
    assert!(p.exists("requisiti/inglese/index.html"), "the written slug");
    assert!(p.exists("requisiti/it-skills/index.html"), "the key, not the label `Informatica`");
    assert!(p.exists("obblighi/evenings/index.html"));
    p.edit("config.yaml", "slug: { it: inglese }", "slug: { it: \"../inglese\" }");
    let errors = p.build_errors();
    assert!(
        errors.iter().any(|d| d.message.contains("requirements.english.slug.it") && d.message.contains('/')),
        "{}",
        crate::project::render_all(&errors)
    );
    p.edit("config.yaml", "slug: { it: \"../inglese\" }", "slug: { fr: inglese }");
    let errors = p.build_errors();
    assert!(errors.iter().any(|d| d.message.contains("`fr`")), "{}", crate::project::render_all(&errors));
}

/// A key without `slug:` is its page's address, so it follows the rule for names: the
/// names Windows keeps for devices, and `_`, which keys alone used to accept, are refused.
#[test]
fn a_requirement_key_that_cannot_be_a_folder_is_an_error() {
    for (key, message) in [
        ("con", "the key `con` is a device name on Windows, where it cannot be a folder"),
        ("it_skills", "`it_skills` is not a valid key"),
    ] {
        let p = Project::fixture("filters");
        p.edit("config.yaml", "  it-skills:", &format!("  {key}:"));
        let errors = p.build_errors();
        let found = errors.iter().find(|d| d.message == message);
        let e = found.unwrap_or_else(|| panic!("{key}: {}", crate::project::render_all(&errors)));
        assert_eq!(e.path.as_deref(), Some(std::path::Path::new("config.yaml")), "{e}");
        assert!(!p.public().exists(), "{key}: nothing is written");
    }
}
