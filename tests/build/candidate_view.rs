//! The candidate's view, in real headless Chromium: every site listed until they say what
//! they offer, the filter panel on a 375 px phone, texts with numbers in their plural form
//! and quotation marks from the strings, on the real content and on the right-to-left fixture.

use headless_chrome::protocol::cdp::Emulation;
use headless_chrome::Tab;

use crate::browser::{chromium, click, eval, open, ready, serve_fixture, serve_project, visible, wait_for_address};
use crate::project::Project;

/// The real sites that require something (from the source documents); `?offer=english`
/// hides exactly these.
const REAL_REQUIRING: &[&str] = &["comune-milano-informa/sportelli-casa", "comune-milano-informa/ufficio-tutela"];

/// Every card of the page's list, shown or not, in page order.
fn cards(tab: &Tab) -> Vec<String> {
    let js = "JSON.stringify(Array.from(document.querySelectorAll('[data-site-list] [data-site]')).map(c => c.dataset.site))";
    serde_json::from_str(eval(tab, js).as_str().expect("a JSON string")).expect("ids")
}

fn sorted(mut ids: Vec<String>) -> Vec<String> {
    ids.sort();
    ids
}

fn text(tab: &Tab, selector: &str) -> String {
    let js = format!("(document.querySelector('{selector}') || {{ textContent: '<missing>' }}).textContent.trim()");
    eval(tab, &js).as_str().unwrap_or("").to_string()
}

/// A 375 × 812 phone screen (an iPhone X/11 Pro in CSS pixels), honouring the viewport meta.
fn phone(tab: &Tab) {
    crate::browser::viewport(tab, 375, 812, true);
}

#[test]
#[ignore = "needs chromium"]
fn real_lists_show_every_site_on_first_load_and_offer_english_hides_only_what_english_lacks() {
    let (_p, server) = serve_project(Project::real());
    let browser = chromium();
    let tab = browser.new_tab().expect("tab");
    for (page, sites) in
        [("sedi/", 10), ("en/sites/", 10), ("comune-milano-informa/", 9), ("en/milan-city-informs/", 9)]
    {
        open(&tab, &server.url(page));
        ready(&tab);
        let all = cards(&tab);
        assert_eq!(all.len(), sites, "{page}");
        assert_eq!(sorted(visible(&tab)), sorted(all.clone()), "{page}: nothing said, nothing hidden");
        assert!(eval(&tab, "document.getElementById('f-excluded').hidden") == true, "{page}: no site hidden");

        open(&tab, &server.url(&format!("{page}?offer=english")));
        ready(&tab);
        let english: Vec<String> = all.iter().filter(|id| !REAL_REQUIRING.contains(&id.as_str())).cloned().collect();
        assert_eq!(sorted(visible(&tab)), sorted(english), "{page}?offer=english");
        let excluded = text(&tab, "#f-excluded [data-excluded-text]");
        assert!(excluded.starts_with('2'), "{page}: the line says how many are hidden: {excluded}");
    }
    // The programme with one site lists it, without a filter panel.
    open(&tab, &server.url("citta-metropolitana-formazione/"));
    assert_eq!(visible(&tab), ["citta-metropolitana-formazione/formazione-pari-opportunita"]);

    let no_js = browser.new_tab().expect("tab");
    no_js.call_method(Emulation::SetScriptExecutionDisabled { value: true }).expect("disable JavaScript");
    for (page, sites) in [("sedi/?offer=english", 10), ("en/sites/", 10), ("comune-milano-informa/?offer=none", 9)] {
        open(&no_js, &server.url(page));
        let html = no_js.get_content().expect("content");
        let cards: Vec<&str> = html.split("<article").skip(1).map(|a| &a[..a.find('>').unwrap_or(0)]).collect();
        assert_eq!(cards.iter().filter(|tag| tag.contains("data-site=")).count(), sites, "{page} without JavaScript");
        assert!(cards.iter().all(|tag| !tag.contains("hidden")), "{page}: a card is hidden without JavaScript");
    }
}

#[test]
#[ignore = "needs chromium"]
fn on_a_phone_the_first_card_is_on_the_first_screen_and_the_folded_panel_counts_the_filters() {
    let (_p, server) = serve_project(Project::real());
    let browser = chromium();
    let tab = browser.new_tab().expect("tab");
    phone(&tab);
    let first_card_top =
        "document.querySelector('[data-site-list] [data-site]:not([hidden])').getBoundingClientRect().top";
    for (page, toggle, set) in
        [("sedi/", "Filtra le sedi", "2 filtri attivi"), ("en/sites/", "Filter the sites", "2 filters set")]
    {
        open(&tab, &server.url(page));
        ready(&tab);
        assert_eq!(eval(&tab, "innerWidth"), 375);
        let top = eval(&tab, first_card_top).as_f64().expect("a number");
        assert!(top < 812.0, "{page}: the first card starts at {top} px, below the first screen");
        assert_eq!(eval(&tab, "document.getElementById('f-panel').open"), false, "{page}: the panel starts folded");
        assert_eq!(text(&tab, "#f-panel summary .filters-toggle"), toggle);
        assert_eq!(eval(&tab, "document.getElementById('f-set').hidden"), true, "no filter set, no count");
        // The menu wraps: every item is whole inside the screen, and nothing scrolls sideways.
        let menu = "Array.from(document.querySelectorAll('.main-nav a')).every(a => { const r = a.getBoundingClientRect(); return r.width > 0 && r.left >= 0 && r.right <= innerWidth; })";
        assert_eq!(eval(&tab, menu), true, "{page}: a menu item is cut off");
        assert_eq!(eval(&tab, "document.documentElement.scrollWidth <= innerWidth"), true);

        // "None of these" and one obligation: the line about hidden sites shows too.
        open(&tab, &server.url(&format!("{page}?offer=none&cannot=travel")));
        ready(&tab);
        assert_eq!(text(&tab, "#f-set [aria-hidden]"), "(2)");
        assert_eq!(text(&tab, "#f-set .visually-hidden"), set);
        let shown = visible(&tab).len();
        assert!(
            text(&tab, "#f-summary-results").starts_with(&shown.to_string()),
            "{page}: result count in the summary"
        );
        let top = eval(&tab, first_card_top).as_f64().expect("a number");
        assert!(top < 812.0, "{page} with filters: the first card starts at {top} px");

        // Unfolded, the summary with the count stays in view while the panel scrolls by.
        click(&tab, "#f-panel summary");
        assert_eq!(eval(&tab, "document.getElementById('f-panel').open"), true);
        eval(&tab, "document.getElementById('f-clear').scrollIntoView({ block: 'end' })");
        let summary = "(() => { const r = document.querySelector('#f-panel summary').getBoundingClientRect(); return r.top >= 0 && r.bottom <= innerHeight; })()";
        assert_eq!(eval(&tab, summary), true, "{page}: the summary scrolled out of view");
    }
    // On a wide screen the panel starts open.
    let wide = browser.new_tab().expect("tab");
    open(&wide, &server.url("sedi/"));
    ready(&wide);
    assert_eq!(eval(&wide, "document.getElementById('f-panel').open"), true);
}

#[test]
#[ignore = "needs chromium"]
fn sites_the_rule_hides_are_counted_and_one_control_shows_them() {
    let (_p, server) = serve_fixture("filters");
    let browser = chromium();
    let tab = browser.new_tab().expect("tab");
    open(&tab, &server.url("alpha/"));
    ready(&tab);
    click(&tab, "input[name=offer][value=none]");
    wait_for_address(&tab, "/alpha/?offer=none");
    assert_eq!(visible(&tab), ["alpha/a2", "alpha/a3"]);
    assert_eq!(
        text(&tab, "#f-excluded [data-excluded-text]"),
        "2 sedi nascoste: chiedono requisiti che non hai indicato o obblighi che non puoi garantire."
    );
    assert_eq!(text(&tab, "#f-excluded button"), "Mostrale");
    click(&tab, "#f-excluded button");
    assert_eq!(visible(&tab), ["alpha/a2", "alpha/a3", "alpha/a1", "alpha/a4"], "shown after the others");
    assert_eq!(
        eval(&tab, "document.querySelector('[data-site=\"alpha/a1\"]').classList.contains('is-excluded')"),
        true
    );
    assert_eq!(
        text(&tab, "[data-site=\"alpha/a1\"] [data-match]"),
        "Non adatta a quello che hai indicato: guarda requisiti e obblighi."
    );
    assert_eq!(text(&tab, "#f-excluded button"), "Nascondile");
    assert_eq!(eval(&tab, "document.querySelector('#f-excluded button').getAttribute('aria-pressed')"), "true");
    click(&tab, "#f-excluded button");
    assert_eq!(visible(&tab), ["alpha/a2", "alpha/a3"]);

    // "None of these" and the requirements exclude each other.
    click(&tab, "input[name=offer][value=english]");
    assert_eq!(eval(&tab, "document.querySelector('input[name=offer][value=none]').checked"), false);
    wait_for_address(&tab, "/alpha/?offer=english");
    assert_eq!(
        text(&tab, "#f-excluded [data-excluded-text]"),
        "1 sede nascosta: chiede un requisito che non hai indicato o un obbligo che non puoi garantire."
    );
    assert_eq!(text(&tab, "#f-excluded button"), "Mostrala");
    click(&tab, "input[name=offer][value=none]");
    assert_eq!(eval(&tab, "document.querySelector('input[name=offer][value=english]').checked"), false);
    wait_for_address(&tab, "/alpha/?offer=none");
}

#[test]
#[ignore = "needs chromium"]
fn matched_preferred_requirements_are_ticked_and_named_not_only_coloured() {
    let (_p, server) = serve_fixture("filters");
    let browser = chromium();
    let tab = browser.new_tab().expect("tab");
    open(&tab, &server.url("alpha/?offer=english"));
    ready(&tab);
    let badge = |key: &str| {
        format!("document.querySelector('[data-site=\"alpha/a2\"] .badges-preferred [data-key=\"{key}\"]')")
    };
    let before = |key: &str| format!("getComputedStyle({}, '::before').content", badge(key));
    assert_eq!(eval(&tab, &format!("{}.classList.contains('is-matched')", badge("english"))), true);
    assert!(eval(&tab, &before("english")).as_str().unwrap_or("").contains('✓'), "a tick, not only a colour");
    assert!(eval(&tab, &format!("{}.textContent", badge("english"))).as_str().unwrap_or("").contains("(ce l'hai)"));
    assert_eq!(eval(&tab, &format!("{}.classList.contains('is-matched')", badge("it-skills"))), false);
    assert!(eval(&tab, &before("it-skills")).as_str().unwrap_or("").contains('○'));
    assert_eq!(text(&tab, "[data-site=\"alpha/a2\"] [data-match]"), "Hai 1 requisito preferenziale su 2");
    // Before anything is said, no card claims a match.
    open(&tab, &server.url("alpha/"));
    ready(&tab);
    assert_eq!(eval(&tab, "document.querySelector('[data-site=\"alpha/a2\"] [data-match]').hidden"), true);
    assert_eq!(eval(&tab, "document.querySelectorAll('.is-matched').length"), 0);
}

#[test]
#[ignore = "needs chromium"]
fn texts_with_numbers_take_their_plural_form_and_quotes_come_from_the_string() {
    let (_p, server) = serve_fixture("filters");
    let browser = chromium();
    let tab = browser.new_tab().expect("tab");
    open(&tab, &server.url("alpha/?offer=english,it-skills&cannot=evenings"));
    ready(&tab);
    assert_eq!(text(&tab, "[data-site=\"alpha/a3\"] [data-match]"), "Hai 1 requisito preferenziale su 1");
    assert_eq!(text(&tab, "#f-status"), "2 sedi corrispondono ai filtri");
    for (page, hint) in [
        ("alpha/?q=duomo&volunteers=1", "Togli il filtro «duomo» per vedere 2 sedi"),
        ("alpha/?offer=none&q=duomo&cannot=evenings", "Togli il filtro «Sere e festivi» per vedere 1 sede"),
        ("en/alpha-en/?q=duomo&volunteers=1", "Remove the filter “duomo” to see 2 sites"),
        ("en/alpha-en/?offer=none&q=duomo&cannot=evenings", "Remove the filter “Evenings and holidays” to see 1 site"),
    ] {
        open(&tab, &server.url(page));
        ready(&tab);
        assert!(visible(&tab).is_empty(), "{page}");
        assert_eq!(text(&tab, "#f-empty button"), hint, "{page}");
    }
    open(&tab, &server.url("alpha/?q=citta"));
    ready(&tab);
    assert_eq!(text(&tab, "#f-status"), "1 sede corrisponde ai filtri");
}

#[test]
#[ignore = "needs chromium"]
fn arabic_texts_take_the_arabic_plural_forms() {
    let (_p, server) = serve_fixture("quality-rtl");
    let browser = chromium();
    let tab = browser.new_tab().expect("tab");
    let page = "ar/المواقع/";
    open(&tab, &server.url(page));
    ready(&tab);
    assert_eq!(eval(&tab, "document.documentElement.dir"), "rtl");
    assert_eq!(visible(&tab).len(), 2);
    assert_eq!(text(&tab, "#f-status"), "موقعان يطابقان عوامل التصفية", "two");
    open(&tab, &server.url(&format!("{page}?offer=none")));
    ready(&tab);
    assert_eq!(text(&tab, "#f-status"), "موقع واحد يطابق عوامل التصفية", "one");
    assert_eq!(
        text(&tab, "#f-excluded [data-excluded-text]"),
        "موقع واحد مخفي لأنه يطلب متطلبًا لم تحدده أو التزامًا لا تستطيع الوفاء به."
    );
    assert_eq!(text(&tab, "#f-excluded button"), "أظهره");
    open(&tab, &server.url(&format!("{page}?offer=none&cannot=evenings-holidays")));
    ready(&tab);
    assert_eq!(text(&tab, "#f-status"), "لا يوجد موقع يطابق عوامل التصفية", "zero");
    assert_eq!(text(&tab, "#f-excluded button"), "أظهرهما", "two hidden");

    // Right to left on a phone: the first card on the first screen, the menu whole.
    let small = browser.new_tab().expect("tab");
    phone(&small);
    open(&small, &server.url(page));
    ready(&small);
    let top = eval(&small, "document.querySelector('[data-site-list] [data-site]').getBoundingClientRect().top");
    assert!(top.as_f64().expect("a number") < 812.0, "the first card starts at {top} px");
    let menu = "Array.from(document.querySelectorAll('.main-nav a')).every(a => { const r = a.getBoundingClientRect(); return r.width > 0 && r.left >= 0 && r.right <= innerWidth; })";
    assert_eq!(eval(&small, menu), true);
}

#[test]
#[ignore = "needs chromium"]
fn on_a_phone_a_leaflet_and_a_booklet_show_the_whole_sheet_width() {
    let (_p, server) = serve_project(Project::real());
    let browser = chromium();
    let tab = browser.new_tab().expect("tab");
    phone(&tab);
    for page in ["comune-milano-informa/milano-citta-mondo/leaflet.html", "comune-milano-informa/booklet.html"] {
        open(&tab, &server.url(page));
        // The sheet is laid out at its own width and the phone opens it zoomed out to show it
        // whole, as for a PDF (at initial-scale=1 it showed the left 375 px of the sheet).
        let sheet = "(() => { const r = document.querySelector('.sheet').getBoundingClientRect(); return r.left >= 0 && r.right <= visualViewport.width; })()";
        assert_eq!(eval(&tab, sheet), true, "{page}: the sheet is cut off on a phone");
    }
}
