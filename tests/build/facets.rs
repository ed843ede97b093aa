//! Filtering a list on several pages: the files it is filtered from (facet index, search
//! text, card data), checked against the Rust filter on the shared cases; the page without
//! JavaScript; and, in Chromium, the script on the same cases, its pages of results, the
//! address and the cards it makes from the theme's card.

use std::time::Duration;

use brochure::filter::{apply, FilterSite, FilterState};
use serde_json::Value;

use crate::browser::{chromium, click, eval, open, ready, serve_project, visible, wait_for_address, wait_until};
use crate::filters::{cases, filter_data};
use crate::pagination::paged;
use crate::project::Project;

fn json(p: &Project, url: &str) -> Value {
    serde_json::from_str(&p.read(url.trim_start_matches('/'))).unwrap_or_else(|e| panic!("{url}: {e}"))
}

/// One column of a file of cards' data, read as the script reads it.
fn card_column(file: &Value, field: &str) -> Vec<Option<String>> {
    let values = file[field].as_array().unwrap_or_else(|| panic!("a column {field}"));
    brochure::render::read_card_column(values).unwrap_or_else(|e| panic!("{field}: {e}"))
}

/// The sites of the list at `page` as its published files describe them, for the Rust filter.
fn sites_from_files(p: &Project, page: &str) -> Vec<FilterSite> {
    let data = filter_data(&p.read(&format!("{page}index.html")));
    assert!(data.get("sites").is_none(), "{page}: a list on several pages carries no site data");
    let source = &data["source"];
    let index = json(p, source["index"].as_str().expect("index"));
    let text = json(p, source["text"].as_str().expect("text"));
    let number = |v: &Value| v.as_u64().expect("a number") as usize;
    let (start, end, chunk) = (number(&source["start"]), number(&source["end"]), number(&source["chunk"]));
    let cards = source["cards"].as_str().expect("cards");
    let keys = |list: &Value| -> Vec<String> {
        list.as_array().expect("keys").iter().map(|k| index["keys"][number(k)].as_str().expect("key").into()).collect()
    };
    (start..end)
        .map(|i| {
            let file = json(p, &cards.replace("{n}", &(i / chunk).to_string()));
            let id = card_column(&file, "id").swap_remove(i % chunk).expect("an id");
            let combo = &index["combos"][number(&index["combo"][i])];
            let programme =
                index["programmes"].as_array().expect("programmes").iter().rev().find(|p| number(&p[1]) <= i);
            FilterSite {
                id,
                programme: programme.expect("a programme")[0].as_str().expect("id").into(),
                area: index["areas"][number(&index["area"][i])].as_str().expect("area").into(),
                volunteers: number(&index["volunteers"][i]) as u32,
                required: keys(&combo[0]),
                preferred: keys(&combo[1]),
                obligations: keys(&combo[2]),
                text: text[i].as_str().expect("text").into(),
            }
        })
        .collect()
}

#[test]
fn shared_filter_cases_hold_for_the_published_files_of_lists_on_several_pages() {
    for size in [1, 2] {
        let p = paged(size);
        p.build_ok();
        for (page, query, expect) in cases() {
            let sites = sites_from_files(&p, &page);
            let shown: Vec<String> =
                apply(&sites, &FilterState::from_query(&query)).into_iter().map(|(i, _)| sites[i].id.clone()).collect();
            assert_eq!(shown, expect, "page_size {size}: page {page} with ?{query}");
        }
    }
}

#[test]
fn the_files_are_deterministic_and_made_only_when_a_list_takes_several_pages() {
    let files = |p: &Project| -> Vec<(String, Vec<u8>)> {
        crate::project::tree(&p.public())
            .into_iter()
            .filter(|(path, _)| path.extension().is_some_and(|e| e == "json"))
            .map(|(path, bytes)| (path.display().to_string(), bytes))
            .collect()
    };
    let (a, b) = (paged(2), paged(2));
    a.build_ok();
    b.build_ok();
    let names: Vec<String> = files(&a).into_iter().map(|(n, _)| n).collect();
    assert_eq!(
        names,
        [
            "en/sites/cards-0.json",
            "en/sites/filters.json",
            "en/sites/search.json",
            "sedi/cards-0.json",
            "sedi/filters.json",
            "sedi/search.json"
        ]
    );
    assert_eq!(files(&a), files(&b), "same input, same bytes");
    let small = Project::fixture("filters");
    small.build_ok();
    assert!(files(&small).is_empty(), "a list on one page needs no files");
    assert!(filter_data(&small.read("sedi/index.html")).get("source").is_none());
}

/// Every facet count of a page's panel, in order.
fn counts(html: &str) -> Vec<String> {
    html.split("data-count>(").skip(1).map(|rest| rest[..rest.find(')').expect("count end")].to_string()).collect()
}

#[test]
fn without_javascript_a_long_list_is_its_numbered_pages_and_its_panel_counts_the_whole_list() {
    let p = paged(2);
    p.build_ok();
    let whole = Project::fixture("filters");
    whole.build_ok();
    for page in ["sedi/", "alpha/", "en/sites/"] {
        let html = p.read(&format!("{page}index.html"));
        assert!(
            html.contains("<details class=\"filters-panel\" id=\"f-panel\" hidden>"),
            "{page}: the script shows the panel"
        );
        assert!(html.contains("<nav class=\"pagination\""), "{page}: numbered pages");
        assert_eq!(
            crate::project::attribute_values(&html, "data-site").len(),
            2 + 2,
            "{page}: two cards, and the template's two"
        );
        let one_page = whole.read(&format!("{page}index.html"));
        assert!(!counts(&html).is_empty());
        assert_eq!(counts(&html), counts(&one_page), "{page}: the counts of the whole list");
        // The cards the script makes are the theme's: the template holds the partial.
        let template = &html[html.find("<template id=\"f-card\">").expect("the card template")..];
        let template = &template[..template.find("</template>").expect("template end")];
        assert_eq!(template.matches("<article class=\"card site-card\"").count(), 2, "{template}");
    }
    assert!(p.read("sedi/index.html").contains("\"page_size\":2"));
}

/// The ids of the results of `query` on `page`, walking the script's pages of results.
fn results(tab: &headless_chrome::Tab, server: &crate::server::StaticServer, page: &str, query: &str) -> Vec<String> {
    let mut ids = Vec::new();
    for n in 1.. {
        let sep = if query.is_empty() { "" } else { "&" };
        open(tab, &server.url(&format!("{page}?{query}{sep}page={n}")));
        ready(tab);
        settled(tab);
        let shown = visible(tab);
        let last = eval(tab, "!document.querySelector('nav.pagination:not([hidden]) a[rel=next]')") == true;
        ids.extend(shown);
        if last {
            break;
        }
    }
    ids
}

/// Waits until the script has put the cards of the current state in.
fn settled(tab: &headless_chrome::Tab) {
    wait_until(tab, "!document.querySelector('[data-site-list]').hasAttribute('aria-busy')");
}

#[test]
#[ignore = "needs chromium"]
fn shared_filter_cases_hold_in_the_browser_on_lists_on_several_pages() {
    let (_p, server) = serve_project(paged(2));
    let browser = chromium();
    let tab = browser.new_tab().expect("tab");
    for (page, query, expect) in cases() {
        assert_eq!(results(&tab, &server, &page, &query), expect, "page {page} with ?{query}");
        let status = eval(&tab, "document.getElementById('f-status').textContent");
        assert!(status.as_str().unwrap_or("").starts_with(&expect.len().to_string()), "{page}?{query}: {status}");
    }
}

/// The same with more keys than a word of the script's bits holds.
#[test]
#[ignore = "needs chromium"]
fn shared_filter_cases_hold_in_the_browser_on_lists_on_several_pages_with_more_keys_than_a_word_of_bits() {
    let (_p, server) = serve_project(crate::browser::with_many_keys(paged(2)));
    let browser = chromium();
    let tab = browser.new_tab().expect("tab");
    for (page, query, expect) in cases() {
        assert_eq!(results(&tab, &server, &page, &query), expect, "page {page} with ?{query}");
    }
}

/// A card as the list shows it, its line on how well it matches left out (the script fills it).
fn normalised(card: &str) -> String {
    let card = match (card.find("<p class=\"match\""), card.find("<dl")) {
        (Some(a), Some(b)) => format!("{}{}", &card[..a], &card[b..]),
        _ => card.to_string(),
    };
    card.split_whitespace().collect::<Vec<_>>().join(" ").replace("> <", "><")
}

#[test]
#[ignore = "needs chromium"]
fn filtering_a_long_list_pages_its_results_in_the_address_with_the_themes_cards_and_the_whole_lists_counts() {
    let (p, server) = serve_project(paged(2));
    let (_whole, whole_server) = serve_project(Project::fixture("filters"));
    let browser = chromium();
    let tab = browser.new_tab().expect("tab");
    open(&tab, &server.url("sedi/"));
    ready(&tab);
    assert_eq!(visible(&tab), ["alpha/a1", "alpha/a2"], "the page as built");
    click(&tab, "input[name=offer][value=english]");
    settled(&tab);
    assert_eq!(visible(&tab), ["alpha/a2", "alpha/a1"]);
    wait_for_address(&tab, "/sedi/?offer=english");
    assert_eq!(eval(&tab, "document.querySelector('nav.pagination:not(#f-pages)').hidden"), true);
    click(&tab, "#f-pages a[rel=next]");
    wait_until(&tab, "location.search === '?offer=english&page=2'");
    settled(&tab);
    assert_eq!(visible(&tab), ["alpha/a3", "beta/b1"]);
    // The cards made from data are the built cards.
    let built: String =
        ["sedi/", "sedi/pagina/2/", "sedi/pagina/3/"].iter().map(|page| p.read(&format!("{page}index.html"))).collect();
    for id in ["alpha/a3", "beta/b1"] {
        let made = eval(&tab, &format!("document.querySelector('[data-site-list] [data-site=\"{id}\"]').outerHTML"));
        let at = built.find(&format!("<article class=\"card site-card\" data-site=\"{id}\"")).expect("built card");
        let card = &built[at..at + built[at..].find("</article>").expect("card end")];
        let made = made.as_str().expect("html").replace("data-match=\"\" hidden=\"\"", "data-match hidden");
        assert_eq!(normalised(made.trim_end_matches("</article>")), normalised(card), "{id}");
    }
    eval(&tab, "history.back()");
    wait_until(&tab, "location.search === '?offer=english'");
    settled(&tab);
    assert_eq!(visible(&tab), ["alpha/a2", "alpha/a1"]);
    eval(&tab, "history.back()");
    wait_until(&tab, "location.search === ''");
    assert_eq!(visible(&tab), ["alpha/a1", "alpha/a2"], "back to the page as built");
    assert_eq!(eval(&tab, "document.querySelector('nav.pagination:not(#f-pages)').hidden"), false);
    // The counts are the whole list's, as on a list on one page.
    let panel_counts = "JSON.stringify(Array.from(document.querySelectorAll('[data-count]')).map(c => c.textContent))";
    for query in ["offer=english", "cannot=evenings&area=Milano", "q=via", "offer=none&volunteers=2"] {
        open(&tab, &server.url(&format!("sedi/?{query}")));
        ready(&tab);
        settled(&tab);
        let long = eval(&tab, panel_counts);
        open(&tab, &whole_server.url(&format!("sedi/?{query}")));
        ready(&tab);
        assert_eq!(long, eval(&tab, panel_counts), "counts with ?{query}");
    }
    // The search fetches its text only when the candidate searches.
    open(&tab, &server.url("sedi/?offer=english"));
    ready(&tab);
    settled(&tab);
    let fetched =
        "performance.getEntriesByType('resource').map(e => e.name).filter(n => n.endsWith('.json')).join(' ')";
    let files = eval(&tab, fetched);
    assert!(!files.as_str().unwrap_or("").contains("search.json"), "{files}");
    tab.find_element("#f-q").expect("search box").click().expect("focus").type_into("perù").expect("type");
    std::thread::sleep(Duration::from_millis(200));
    settled(&tab);
    wait_until(&tab, "document.querySelectorAll('[data-site-list] [data-site]').length === 1");
    assert_eq!(visible(&tab), ["beta/b1"]);
    assert!(eval(&tab, fetched).as_str().unwrap_or("").contains("search.json"));
}

#[test]
fn a_long_list_leaves_out_a_facet_with_more_options_than_a_page_should_carry() {
    let with_cities = |size: usize| {
        let p = paged(size);
        for n in 0..101 {
            let site = format!("---\ntitle: \"Sede {n}\"\naddress: \"Via Roma, {n}\"\ncity: \"Città {n}\"\nvolunteers: 1\n---\nTesto.\n");
            p.write(&format!("content/beta/c{n:03}.it.md"), site);
        }
        p.build_ok();
        p.read("sedi/index.html")
    };
    // 102 cities: on one page, every one is a choice; on a list of pages, the facet would
    // outweigh the page's cards and is left out (the search and the programme pages remain).
    let one_page = with_cities(500);
    assert!(one_page.contains("name=\"area\" value=\"Città 100\"") && !one_page.contains("class=\"pagination\""));
    let long = with_cities(50);
    assert!(long.contains("class=\"pagination\"") && long.contains("id=\"filters\""));
    assert!(!long.contains("name=\"area\""), "no city facet");
    assert!(long.contains("name=\"programme\" value=\"beta\""), "the programme facet has two options");
}

#[test]
fn a_file_of_content_where_the_filter_data_goes_is_refused_naming_both() {
    let p = paged(2);
    p.write("content/sedi/filters.json", "{}");
    let errors = p.build_errors();
    let all = crate::project::render_all(&errors);
    assert!(all.contains("sedi/filters.json") && all.contains("filter data for the list of all sites"), "{all}");
    assert!(!p.public().exists(), "nothing is written");
}

/// A list of 650 sites, one in nine of them in Pavia: the first page of 50 results of
/// `area=Pavia` takes its cards from two files of card data.
fn pavia_in_several_files() -> Project {
    let p = paged(50);
    for n in 0..650 {
        let city = if n % 9 == 0 { "Pavia" } else { "Lodi" };
        let site =
            format!("---\ntitle: \"Sede {n}\"\naddress: \"Via Roma, {n}\"\ncity: {city}\nvolunteers: 1\n---\nTesto.\n");
        p.write(&format!("content/beta/c{n:03}.it.md"), site);
    }
    p
}

#[test]
#[ignore = "needs chromium"]
fn a_page_of_results_asks_for_all_its_card_files_at_once_and_goes_into_the_list_whole() {
    let (p, server) = serve_project(pavia_in_several_files());
    let sites = sites_from_files(&p, "sedi/");
    let expect: Vec<String> =
        apply(&sites, &FilterState::from_query("area=Pavia")).into_iter().map(|(i, _)| sites[i].id.clone()).collect();
    let browser = chromium();
    let tab = browser.new_tab().expect("tab");
    open(&tab, &server.url("sedi/"));
    ready(&tab);
    click(&tab, "input[name=area][value=Pavia]");
    settled(&tab);
    assert_eq!(visible(&tab), expect[..50], "the first page of results, from two files");
    // Both files were asked for before the first of them came: the page's cards do not wait
    // for the first cards' file to ask for the rest.
    let card_files = "JSON.stringify(performance.getEntriesByType('resource').filter(e => /cards-\\d+\\.json$/.test(e.name)).map(e => [e.name.replace(/.*\\//, ''), e.startTime, e.responseEnd]))";
    let files: Vec<(String, f64, f64)> =
        serde_json::from_str(eval(&tab, card_files).as_str().expect("JSON")).expect("entries");
    let names: Vec<&str> = files.iter().map(|f| f.0.as_str()).collect();
    assert_eq!(names, ["cards-0.json", "cards-1.json"], "{files:?}");
    let first_came = files.iter().map(|f| f.2).fold(f64::INFINITY, f64::min);
    assert!(files.iter().all(|f| f.1 < first_came), "every file asked for at once: {files:?}");
    // Its files here, another page of results goes into the list in one piece (one layout).
    eval(
        &tab,
        "window.added = []; new MutationObserver(rs => rs.forEach(r => r.addedNodes.length && window.added.push(r.addedNodes.length))).observe(document.querySelector('[data-site-list]'), { childList: true }); 0",
    );
    click(&tab, "#f-pages a[rel=next]");
    wait_until(&tab, "location.search === '?area=Pavia&page=2'");
    settled(&tab);
    assert_eq!(visible(&tab), expect[50..]);
    let added = eval(&tab, "JSON.stringify(window.added)");
    assert_eq!(added, format!("[{}]", expect.len() - 50), "the cards of the page, in one insertion");
}
