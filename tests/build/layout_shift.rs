//! No layout shift on the list pages, in real headless Chromium: the test holds the filter
//! script back (as a slow network would), and still no card, panel or line moves after the
//! first paint, at 1280 and 375 px, with and without filters in the address. The script does
//! not hold up the first paint: without filters in the address the page as built is the
//! page it starts from; with them, what it will move stays out of sight until it has run.

use std::sync::Arc;
use std::time::Duration;

use headless_chrome::browser::tab::RequestPausedDecision;
use headless_chrome::protocol::cdp::Fetch::events::RequestPausedEvent;
use headless_chrome::protocol::cdp::{Fetch, Network, Page};
use headless_chrome::Tab;

use crate::browser::{address, chromium, eval, open, ready, serve_project, visible, wait_until};
use crate::project::Project;

/// How long the filter script is held back: well past the first paint of a page served on loopback.
const HELD: Duration = Duration::from_millis(700);

fn viewport(tab: &Tab, width: u32) {
    crate::browser::viewport(tab, width, 812, width < 600);
}

#[test]
#[ignore = "needs chromium"]
fn list_pages_do_not_move_after_the_first_paint_even_when_the_filter_script_is_slow() {
    let pages =
        ["sedi/", "sedi/?offer=english", "comune-milano-informa/", "comune-milano-informa/?offer=none&cannot=travel"];
    let moved = shifts(Project::real(), &pages, "*/filters.js");
    assert!(moved.is_empty(), "the list moved after the first paint:\n{}", moved.join("\n"));
}

/// A list on several pages with filters in the address shows its loading state in the
/// list's place, then its results, without moving: here its data files are the slow ones.
#[test]
#[ignore = "needs chromium"]
fn long_lists_with_filters_in_the_address_do_not_move_while_their_data_arrives() {
    let pages = ["sedi/", "sedi/?offer=english", "sedi/?q=citta", "alpha/?cannot=evenings&page=2"];
    let moved = shifts(crate::pagination::paged(2), &pages, "*.json");
    assert!(moved.is_empty(), "the list moved after the first paint:\n{}", moved.join("\n"));
}

/// The panel is there before the script: a box ticked then is still ticked once the script
/// has come, and the list and the address follow it.
#[test]
#[ignore = "needs chromium"]
fn a_box_ticked_before_the_filter_script_comes_stays_ticked_and_filters_the_list() {
    let (_p, server) = serve_project(Project::real());
    let browser = chromium();
    let tab = browser.new_tab().expect("tab");
    viewport(&tab, 1280);
    open(&tab, &server.url("sedi/?offer=english"));
    ready(&tab);
    let english = visible(&tab);
    assert!(english.len() < eval(&tab, "document.querySelectorAll('[data-site]').length").as_u64().unwrap() as usize);

    let held = browser.new_tab().expect("tab");
    viewport(&held, 1280);
    hold(&held, "*/filters.js", Duration::from_secs(3), false);
    held.navigate_to(&server.url("sedi/")).expect("navigate");
    let box_ = "input[name=offer][value=english]";
    held.wait_for_element(box_).expect("the panel before the script").click().expect("tick");
    assert_eq!(eval(&held, "!!window.brochureFilters"), false, "the script came before the tick: hold it longer");
    ready(&held);
    assert_eq!(eval(&held, &format!("document.querySelector('{box_}').checked")), true, "the tick was undone");
    wait_until(&held, "location.search === '?offer=english'");
    assert_eq!(visible(&held), english, "the list does not follow the tick ({})", address(&held));
}

/// Filters in the address keep the list out of sight until the script has applied them;
/// should the script never come, the list shows all the same.
#[test]
#[ignore = "needs chromium"]
fn with_filters_in_the_address_the_list_shows_even_if_the_script_never_comes() {
    let (_p, server) = serve_project(Project::real());
    let browser = chromium();
    let tab = browser.new_tab().expect("tab");
    hold(&tab, "*/filters.js", Duration::ZERO, true);
    let shown = "['[data-site-list]', '.site-footer'].every(s => \
                 getComputedStyle(document.querySelector(s)).visibility === 'visible')";
    // Read when the page is parsed, whatever the machine's load when the test asks.
    tab.call_method(Page::AddScriptToEvaluateOnNewDocument {
        source: format!("document.addEventListener('DOMContentLoaded', () => {{ window.__atFirst = {shown}; }});"),
        world_name: None,
        include_command_line_api: None,
        run_immediately: None,
    })
    .expect("watch the list");
    open(&tab, &server.url("sedi/?offer=english"));
    assert_eq!(eval(&tab, "window.__atFirst"), false, "the list showed before the script could apply the address");
    wait_until(&tab, shown);
    assert_eq!(eval(&tab, "!!window.brochureFilters"), false, "the script ran after all");
}

/// Holds back the requests of `tab` matching `pattern` for `delay`, or fails them.
fn hold(tab: &Tab, pattern: &str, delay: Duration, fail: bool) {
    let pattern = Fetch::RequestPattern { url_pattern: Some(pattern.into()), resource_Type: None, request_stage: None };
    tab.enable_fetch(Some(&[pattern]), None).expect("intercept the requests");
    tab.enable_request_interception(Arc::new(move |_transport, _session, paused: RequestPausedEvent| {
        std::thread::sleep(delay);
        if fail {
            RequestPausedDecision::Fail(Fetch::FailRequest {
                request_id: paused.params.request_id,
                error_reason: Network::ErrorReason::Failed,
            })
        } else {
            RequestPausedDecision::Continue(None)
        }
    }))
    .expect("hold them back");
}

/// The layout shifts of each page at 1280 and 375 px, with the requests matching `slow` held
/// back; each says which elements moved.
fn shifts(project: Project, pages: &[&str], slow: &str) -> Vec<String> {
    let (_p, server) = serve_project(project);
    let browser = chromium();
    let tab = browser.new_tab().expect("tab");
    hold(&tab, slow, HELD, false);
    // Every layout shift of the page and when the first paint came, from the page's start.
    let watch = "window.__shifts = []; new PerformanceObserver(l => l.getEntries().forEach(e => \
                 __shifts.push(e.value.toFixed(4) + ' at ' + Math.round(e.startTime) + ' ms:' + \
                 e.sources.map(s => ' ' + (s.node ? s.node.id || s.node.className || s.node.nodeName : '?')).join('')))).observe({ type: 'layout-shift', buffered: true });";
    tab.call_method(Page::AddScriptToEvaluateOnNewDocument {
        source: watch.into(),
        world_name: None,
        include_command_line_api: None,
        run_immediately: None,
    })
    .expect("watch layout shifts");
    let mut moved = Vec::new();
    for width in [1280, 375] {
        viewport(&tab, width);
        for page in pages {
            open(&tab, &server.url(page));
            ready(&tab);
            std::thread::sleep(HELD + Duration::from_millis(300));
            let shifts = eval(&tab, "JSON.stringify(__shifts)");
            let shifts: Vec<String> = serde_json::from_str(shifts.as_str().unwrap_or("[]")).expect("a list");
            let painted =
                eval(&tab, "Math.round(performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? -1)");
            if !shifts.is_empty() {
                moved.push(format!("{page} at {width} px: first paint at {painted} ms, shifts {shifts:?}"));
            }
        }
    }
    moved
}
