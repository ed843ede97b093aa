//! No layout shift on the list pages, in real headless Chromium: the test holds the filter
//! script back (as a slow network would), and still no card, panel or line moves after the
//! first paint, at 1280 and 375 px, with and without filters in the address. The first
//! frame is the final one because the script blocks rendering until it has run.

use std::sync::Arc;
use std::time::Duration;

use headless_chrome::browser::tab::RequestPausedDecision;
use headless_chrome::protocol::cdp::{Fetch, Page};
use headless_chrome::Tab;

use crate::browser::{chromium, eval, open, ready, serve_project};
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

/// The layout shifts of each page at 1280 and 375 px, with the requests matching `slow` held
/// back; each says which elements moved.
fn shifts(project: Project, pages: &[&str], slow: &str) -> Vec<String> {
    let (_p, server) = serve_project(project);
    let browser = chromium();
    let tab = browser.new_tab().expect("tab");
    let pattern = Fetch::RequestPattern { url_pattern: Some(slow.into()), resource_Type: None, request_stage: None };
    tab.enable_fetch(Some(&[pattern]), None).expect("intercept the slow requests");
    tab.enable_request_interception(Arc::new(|_transport, _session, _paused| {
        std::thread::sleep(HELD);
        RequestPausedDecision::Continue(None)
    }))
    .expect("hold them back");
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
