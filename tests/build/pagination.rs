//! Long lists split into numbered pages (`page_size:` in config.yaml), the home page's
//! programmes as the lists of sites: every card on exactly one page, in the list's order;
//! navigation that works without JavaScript; each page with its own canonical address,
//! alternates, `rel` prev/next and sitemap entry; and small lists exactly as they were.

use crate::project::{attribute_values, Project};

/// The filters fixture (5 sites: alpha has 4, beta 1) with `page_size: size`.
pub fn paged(size: usize) -> Project {
    let p = Project::fixture("filters");
    let config = std::fs::read_to_string(p.root().join("config.yaml")).expect("config.yaml");
    p.write("config.yaml", format!("{config}page_size: {size}\n"));
    p
}

/// The site cards of a page, in order (not the blank cards of the script's template).
fn cards(html: &str) -> Vec<String> {
    attribute_values(html, "data-site").into_iter().filter(|id| !id.is_empty()).map(str::to_string).collect()
}

/// The programme cards of a home page, in order: the addresses they link.
fn programme_cards(html: &str) -> Vec<String> {
    let start = html.find("<ul class=\"cards programme-cards\">").expect("the programme cards");
    let list = &html[start..];
    let list = &list[..list.find("</ul>").expect("the end of the cards")];
    attribute_values(list, "href").into_iter().map(str::to_string).collect()
}

/// The links of a page's numbered navigation, in order.
fn navigation(html: &str) -> Vec<&str> {
    let nav = &html[html.find("<nav class=\"pagination\"").expect("page navigation")..];
    attribute_values(&nav[..nav.find("</nav>").expect("the end of the navigation")], "href")
}

/// Every page of the list whose first page is `first` (`sedi/`), following `rel="next"`.
fn pages(p: &Project, first: &str) -> Vec<String> {
    let mut out = vec![first.to_string()];
    loop {
        let html = p.read(&format!("{}index.html", out.last().expect("a page")));
        let Some(start) = html.find("<link rel=\"next\" href=\"https://example.org/") else { break };
        let rest = &html[start + "<link rel=\"next\" href=\"https://example.org/".len()..];
        out.push(rest[..rest.find('"').expect("end of the address")].to_string());
        assert!(out.len() < 20, "the pages of {first} do not end: {out:?}");
    }
    out
}

#[test]
fn a_long_list_is_split_into_pages_that_hold_every_card_once_in_the_lists_order() {
    let whole = Project::fixture("filters");
    whole.build_ok();
    let p = paged(2);
    p.build_ok();
    for (first, lang_pages) in [("sedi/", "sedi/pagina/"), ("en/sites/", "en/sites/page/"), ("alpha/", "alpha/pagina/")]
    {
        let list = pages(&p, first);
        let expected: Vec<String> =
            std::iter::once(first.to_string()).chain((2..=list.len()).map(|n| format!("{lang_pages}{n}/"))).collect();
        assert_eq!(list, expected, "the pages of {first}");
        let per_page: Vec<Vec<String>> = list.iter().map(|page| cards(&p.read(&format!("{page}index.html")))).collect();
        assert!(per_page.iter().all(|c| !c.is_empty() && c.len() <= 2), "{first}: {per_page:?}");
        assert_eq!(
            per_page.concat(),
            cards(&whole.read(&format!("{first}index.html"))),
            "{first}: every card once, in order"
        );
    }
    assert_eq!(pages(&p, "sedi/").len(), 3, "5 sites, 2 a page");
    assert!(!p.exists("sedi/pagina/4/index.html"));
    // A list that fits on one page has no pages and keeps its filters.
    let beta = p.read("beta/index.html");
    assert!(!beta.contains("class=\"pagination\"") && !p.exists("beta/pagina/2/index.html"));
}

#[test]
fn the_numbered_pages_are_plain_links_and_the_first_page_keeps_the_browsing_links() {
    let p = paged(2);
    p.build_ok();
    let second = p.read("sedi/pagina/2/index.html");
    let nav = &second[second.find("<nav class=\"pagination\"").expect("page navigation")..];
    let nav = &nav[..nav.find("</nav>").expect("end of the navigation")];
    assert_eq!(
        attribute_values(nav, "href"),
        ["/sedi/", "/sedi/", "/sedi/pagina/2/", "/sedi/pagina/3/", "/sedi/pagina/3/"],
        "previous, 1, 2, 3, next: {nav}"
    );
    assert!(nav.contains("<a href=\"/sedi/pagina/2/\" aria-current=\"page\">"), "{nav}");
    assert!(nav.contains("rel=\"prev\"") && nav.contains("rel=\"next\""));
    assert!(second.contains("<h1>Tutte le sedi – pagina 2 di 3</h1>"), "{second}");
    assert!(second.contains("<title>Tutte le sedi – pagina 2 di 3 – Filtri</title>"));
    // Only the current page is `aria-current="page"`: not the menu's link to the first.
    assert_eq!(second.matches("aria-current=\"page\"").count(), 2, "the breadcrumb and the page's number");
    // The first page of a long list has its filters (over the whole list: see
    // tests/build/facets.rs) and still links the page of each requirement and obligation.
    let first = p.read("sedi/index.html");
    assert!(first.contains("filters.js") && first.contains("id=\"filter-data\""));
    assert!(first.contains("<details class=\"browse\">") && first.contains("href=\"/requisiti/inglese/\""));
    let alpha = p.read("alpha/index.html");
    assert!(alpha.contains("filters.js") && alpha.contains("href=\"/alpha/pagina/2/\" rel=\"next\""));
}

#[test]
fn each_page_is_its_own_canonical_address_with_alternates_prev_next_and_a_sitemap_entry() {
    let p = paged(2);
    p.build_ok();
    let second = p.read("sedi/pagina/2/index.html");
    for line in [
        "<link rel=\"canonical\" href=\"https://example.org/sedi/pagina/2/\">",
        "<link rel=\"alternate\" hreflang=\"it\" href=\"https://example.org/sedi/pagina/2/\">",
        "<link rel=\"alternate\" hreflang=\"en\" href=\"https://example.org/en/sites/page/2/\">",
        "<link rel=\"prev\" href=\"https://example.org/sedi/\">",
        "<link rel=\"next\" href=\"https://example.org/sedi/pagina/3/\">",
    ] {
        assert!(second.contains(line), "{line} in\n{second}");
    }
    assert!(second.contains("<a href=\"/en/sites/page/2/\" lang=\"en\" hreflang=\"en\">"), "the language switcher");
    let first = p.read("en/sites/index.html");
    assert!(first.contains("<link rel=\"canonical\" href=\"https://example.org/en/sites/\">"));
    assert!(
        !first.contains("rel=\"prev\"")
            && first.contains("<link rel=\"next\" href=\"https://example.org/en/sites/page/2/\">")
    );
    let sitemap = p.read("sitemap.xml");
    for page in ["sedi/pagina/2/", "sedi/pagina/3/", "en/sites/page/3/", "alpha/pagina/2/", "en/alpha-en/page/2/"] {
        assert!(sitemap.contains(&format!("<loc>https://example.org/{page}</loc>")), "{page} in\n{sitemap}");
    }
    assert!(sitemap.contains(
        "<loc>https://example.org/sedi/pagina/2/</loc>\n    <xhtml:link rel=\"alternate\" hreflang=\"it\" href=\"https://example.org/sedi/pagina/2/\"/>\n    <xhtml:link rel=\"alternate\" hreflang=\"en\" href=\"https://example.org/en/sites/page/2/\"/>"
    ));
}

#[test]
fn the_home_page_shows_the_first_programmes_and_numbered_pages_of_the_others() {
    let whole = Project::fixture("filters");
    whole.build_ok();
    // Two programmes (alpha, beta), one a page.
    let p = paged(1);
    p.build_ok();
    for (home, later) in [("", "pagina/"), ("en/", "en/page/")] {
        let list = pages(&p, home);
        assert_eq!(list, [home.to_string(), format!("{later}2/")], "the pages of the home page /{home}");
        let per_page: Vec<Vec<String>> =
            list.iter().map(|page| programme_cards(&p.read(&format!("{page}index.html")))).collect();
        assert!(per_page.iter().all(|c| c.len() == 1), "one programme a page: {per_page:?}");
        assert_eq!(
            per_page.concat(),
            programme_cards(&whole.read(&format!("{home}index.html"))),
            "/{home}: every programme once, in order"
        );
    }
    assert!(!p.exists("pagina/3/index.html"));
    let first = p.read("index.html");
    assert!(first.contains("<div class=\"prose\"><p>Home.</p>"), "the home page keeps its text");
    assert_eq!(navigation(&first), ["/", "/pagina/2/", "/pagina/2/"], "1, 2, next");
    assert!(first.contains("<a href=\"/pagina/2/\" rel=\"next\">"));
    let second = p.read("pagina/2/index.html");
    assert_eq!(navigation(&second), ["/", "/", "/pagina/2/"], "previous, 1, 2");
    assert!(
        second.contains("<a href=\"/\" rel=\"prev\">")
            && second.contains("<a href=\"/pagina/2/\" aria-current=\"page\">")
    );
    assert!(second.contains("<h1>I progetti – pagina 2 di 2</h1>"), "{second}");
    assert!(second.contains("<title>I progetti – pagina 2 di 2 – Filtri</title>"));
    assert!(!second.contains("<div class=\"prose\">"), "the home page's text is on its first page only");
    // Under the page's h1 the cards' titles are h2 (on the home page, h3 under "I progetti").
    assert!(second.contains("<h2 class=\"card-title\"><a href=\"/beta/\">Beta</a></h2>"), "{second}");
    assert_eq!(
        second.matches("aria-current=\"page\"").count(),
        2,
        "the breadcrumb and the page's number, not the menu's link to the home page"
    );
    // Plain pages and plain links: nothing needs a script.
    for html in [&first, &second] {
        assert!(!html.contains("<script"), "{html}");
    }
}

#[test]
fn each_page_of_the_programmes_has_its_canonical_address_alternates_prev_next_and_sitemap_entry() {
    let p = paged(1);
    p.build_ok();
    let second = p.read("pagina/2/index.html");
    for line in [
        "<link rel=\"canonical\" href=\"https://example.org/pagina/2/\">",
        "<link rel=\"alternate\" hreflang=\"it\" href=\"https://example.org/pagina/2/\">",
        "<link rel=\"alternate\" hreflang=\"en\" href=\"https://example.org/en/page/2/\">",
        "<link rel=\"prev\" href=\"https://example.org/\">",
    ] {
        assert!(second.contains(line), "{line} in\n{second}");
    }
    assert!(!second.contains("rel=\"next\""));
    assert!(second.contains("<a href=\"/en/page/2/\" lang=\"en\" hreflang=\"en\">"), "the language switcher");
    let first = p.read("en/index.html");
    for line in [
        "<link rel=\"canonical\" href=\"https://example.org/en/\">",
        "<link rel=\"next\" href=\"https://example.org/en/page/2/\">",
    ] {
        assert!(first.contains(line), "{line} in\n{first}");
    }
    assert!(!first.contains("rel=\"prev\""));
    let sitemap = p.read("sitemap.xml");
    assert!(sitemap.contains(
        "<loc>https://example.org/pagina/2/</loc>\n    <xhtml:link rel=\"alternate\" hreflang=\"it\" href=\"https://example.org/pagina/2/\"/>\n    <xhtml:link rel=\"alternate\" hreflang=\"en\" href=\"https://example.org/en/page/2/\"/>"
    ), "{sitemap}");
    assert!(sitemap.contains("<loc>https://example.org/en/page/2/</loc>"), "{sitemap}");
}

#[test]
fn a_requirement_page_splits_its_sections_across_pages_in_order() {
    let whole = Project::fixture("filters");
    whole.build_ok();
    let p = paged(1);
    p.build_ok();
    // (section title, card) in the order a reader meets them.
    let read = |html: &str| -> Vec<(String, String)> {
        let mut section = String::new();
        let mut out = Vec::new();
        for line in html.lines() {
            if let Some(title) = line.strip_prefix("<h2>").and_then(|l| l.strip_suffix("</h2>")) {
                section = title.to_string();
            }
            out.extend(attribute_values(line, "data-site").into_iter().map(|id| (section.clone(), id.to_string())));
        }
        out
    };
    let expected = read(&whole.read("requisiti/inglese/index.html"));
    assert!(expected.len() >= 2 && expected.iter().any(|(s, _)| s == "Sedi che lo preferiscono"), "{expected:?}");
    let list = pages(&p, "requisiti/inglese/");
    assert_eq!(list.len(), expected.len(), "one site a page");
    let paged: Vec<(String, String)> =
        list.iter().flat_map(|page| read(&p.read(&format!("{page}index.html")))).collect();
    assert_eq!(paged, expected);
}

#[test]
fn small_lists_stay_on_one_page_exactly_as_before() {
    let before = Project::fixture("filters");
    before.build_ok();
    // 5 sites on a page of 5: nothing is split, and nothing else changes.
    let p = paged(5);
    p.build_ok();
    assert_eq!(crate::project::tree(&p.public()), crate::project::tree(&before.public()));
}

#[test]
fn a_page_size_of_zero_is_an_error_at_its_line() {
    let p = paged(0);
    let d = p.build_error();
    assert!(d.message.contains("page_size") || d.message.contains("1 or more"), "{}", d.render(false));
    let lines = std::fs::read_to_string(p.root().join("config.yaml")).expect("config.yaml").lines().count();
    assert_eq!(
        (d.path.as_deref(), d.line),
        (Some(std::path::Path::new("config.yaml")), Some(lines)),
        "{}",
        d.render(false)
    );
}

/// The heading levels of a page in document order never skip one (h1 then h3): screen
/// readers list a page by its headings, and the HTML checker refuses a skipped level.
#[test]
fn later_pages_of_lists_never_skip_a_heading_level() {
    let p = paged(1);
    p.build_ok();
    for page in ["sedi/pagina/2/", "en/sites/page/2/", "alpha/pagina/2/", "pagina/2/", "en/page/2/"] {
        let html = p.read(&format!("{page}index.html"));
        let levels: Vec<u32> = html
            .match_indices("<h")
            .filter_map(|(i, _)| html[i + 2..].chars().next()?.to_digit(10))
            .filter(|l| (1..=6).contains(l))
            .collect();
        assert!(levels.first() == Some(&1), "{page}: starts with its h1: {levels:?}");
        assert!(levels.windows(2).all(|w| w[1] <= w[0] + 1), "{page}: a level skipped in {levels:?}");
    }
}
