//! In the browser: one run of headless Chromium (the same driver as the other browser
//! tests) over every HTML page of a site, served on 127.0.0.1 under its subfolder, at
//! 1280 and 375 px wide. axe-core (`npm ci` in `tools/` installs it) finds no violation
//! of WCAG 2.0/2.1 A and AA on any page and no page throws a script error; the pages ask
//! nothing of any host but the local server (every request is intercepted: those to
//! other hosts are failed before they leave, and reported); and home, the programme with
//! the most sites, its first site and that site's leaflet are photographed in every
//! language at both widths, into `target/quality/screenshots/<site>/`.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use headless_chrome::browser::tab::RequestPausedDecision;
use headless_chrome::protocol::cdp::types::Event;
use headless_chrome::protocol::cdp::{Fetch, Network, Page};
use headless_chrome::{Browser, Tab};
use serde_json::Value;
use url::Url;

use super::shots::{screenshot_plan, Missing, Shot};
use super::{installed_tool, quality_dir, Published, BROKEN_BASE};
use crate::server::StaticServer;

pub const AXE_TAGS: &str = "['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']";
pub const WIDTHS: [u32; 2] = [1280, 375];
const HEIGHT: u32 = 900;

/// What is wrong with a page at a width.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PageFault {
    /// An axe rule violated: the rule, how many elements, and the first ones with why.
    Violation {
        rule: String,
        elements: usize,
        detail: String,
    },
    ScriptError(String),
    NotLoaded(String),
    Status(u64),
}

#[derive(Debug)]
pub struct PageFinding {
    pub file: String,
    pub width: u32,
    pub fault: PageFault,
}

impl fmt::Display for PageFinding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ({} px): ", self.file, self.width)?;
        match &self.fault {
            PageFault::Violation { rule, elements, detail } => write!(f, "{rule}: {elements} element(s){detail}"),
            PageFault::ScriptError(e) => write!(f, "script error: {e}"),
            PageFault::NotLoaded(e) => write!(f, "did not load: {e}"),
            PageFault::Status(code) => write!(f, "HTTP {code}"),
        }
    }
}

/// What one browser run over a site found.
#[derive(Debug, Default)]
pub struct BrowserReport {
    pub findings: Vec<PageFinding>,
    pub page_loads: usize,
    pub requests: usize,
    /// Requests to other hosts (all failed): (page, URL) -> how many times.
    pub foreign: BTreeMap<(String, String), usize>,
    /// axe rules left for a person to review ("incomplete"): rule -> page loads.
    pub review: BTreeMap<String, usize>,
    pub screenshots: Vec<PathBuf>,
    pub missing_for_screenshots: Vec<Missing>,
}

/// Visits every page of `site` (built for, and served at, its base URL) at each width.
pub fn visit(site: &Published, screenshots: &Path) -> BrowserReport {
    let axe = std::fs::read_to_string(installed_tool("axe-core/axe.min.js")).expect("read axe.min.js");
    let (plan, missing_for_screenshots) = screenshot_plan(site);
    let _ = std::fs::remove_dir_all(screenshots);
    std::fs::create_dir_all(screenshots).expect("create the screenshot folder");
    // One browser per width, each with its one tab in front: a tab in the background of a
    // browser may never deliver the frame a screenshot waits for.
    let reports: Vec<BrowserReport> = std::thread::scope(|scope| {
        let jobs: Vec<_> = WIDTHS
            .iter()
            .map(|&width| {
                let (axe, plan) = (&axe, &plan);
                scope.spawn(move || visit_at(&crate::browser::chromium(), site, width, axe, plan, screenshots))
            })
            .collect();
        jobs.into_iter().map(|job| job.join().expect("a browser thread")).collect()
    });
    let mut report = BrowserReport { missing_for_screenshots, ..Default::default() };
    for r in reports {
        report.findings.extend(r.findings);
        report.page_loads += r.page_loads;
        report.requests += r.requests;
        report.screenshots.extend(r.screenshots);
        for (key, n) in r.foreign {
            *report.foreign.entry(key).or_default() += n;
        }
        for (rule, n) in r.review {
            *report.review.entry(rule).or_default() += n;
        }
    }
    report
}

/// The page being visited, and what the page did: for the event and request handlers.
#[derive(Default)]
struct Visit {
    page: String,
    script_errors: Vec<String>,
    requests: usize,
    foreign: BTreeMap<(String, String), usize>,
}

fn visit_at(browser: &Browser, site: &Published, width: u32, axe: &str, plan: &[Shot], shots: &Path) -> BrowserReport {
    let tab = browser.new_tab().expect("a tab");
    tab.set_default_timeout(Duration::from_secs(60));
    resize(&tab, width, HEIGHT);
    let visit = Arc::new(Mutex::new(Visit::default()));
    watch(&tab, site, &visit);
    let mut report = BrowserReport::default();
    for (rel, _) in site.pages() {
        visit.lock().expect("visit").page = rel.to_string();
        visit.lock().expect("visit").script_errors.clear();
        report.page_loads += 1;
        let mut fault = |fault| report.findings.push(PageFinding { file: rel.to_string(), width, fault });
        if let Err(e) = open(&tab, &site.url_of(rel)) {
            fault(PageFault::NotLoaded(e));
            continue;
        }
        let status = eval(&tab, "performance.getEntriesByType('navigation')[0].responseStatus", false);
        if status.as_u64() != Some(200) {
            fault(PageFault::Status(status.as_u64().unwrap_or(0)));
            continue;
        }
        let (violations, incomplete) = run_axe(&tab, axe);
        violations.into_iter().for_each(&mut fault);
        for rule in incomplete {
            *report.review.entry(rule).or_default() += 1;
        }
        for shot in plan.iter().filter(|s| s.rel == rel) {
            let file = shots.join(format!("{}-{}-{width}.png", shot.kind, shot.lang));
            std::fs::write(&file, full_page_png(&tab, width)).expect("write a screenshot");
            report.screenshots.push(file);
        }
        let errors = std::mem::take(&mut visit.lock().expect("visit").script_errors);
        errors.into_iter().map(PageFault::ScriptError).for_each(&mut fault);
    }
    let visit = visit.lock().expect("visit");
    report.requests = visit.requests;
    report.foreign = visit.foreign.clone();
    report
}

/// Records script errors, and every request: those to other hosts are failed.
fn watch(tab: &Arc<Tab>, site: &Published, visit: &Arc<Mutex<Visit>>) {
    let own = (site.base.host_str().map(str::to_string), site.base.port_or_known_default());
    let seen = Arc::clone(visit);
    tab.add_event_listener(Arc::new(move |event: &Event| {
        if let Event::RuntimeExceptionThrown(e) = event {
            let details = &e.params.exception_details;
            let description = details.exception.as_ref().and_then(|x| x.description.clone());
            seen.lock().expect("visit").script_errors.push(description.unwrap_or_else(|| details.text.clone()));
        }
    }))
    .expect("listen to the page");
    tab.enable_runtime().expect("enable runtime events");
    let pattern = Fetch::RequestPattern { url_pattern: Some("*".into()), resource_Type: None, request_stage: None };
    tab.enable_fetch(Some(&[pattern]), None).expect("intercept requests");
    let seen = Arc::clone(visit);
    tab.enable_request_interception(Arc::new(
        move |_transport, _session, paused: Fetch::events::RequestPausedEvent| {
            let url = paused.params.request.url;
            let host = Url::parse(&url).ok().map(|u| (u.host_str().map(str::to_string), u.port_or_known_default()));
            let mut visit = seen.lock().expect("visit");
            visit.requests += 1;
            if host.as_ref() == Some(&own) {
                return RequestPausedDecision::Continue(None);
            }
            let key = (visit.page.clone(), url);
            *visit.foreign.entry(key).or_default() += 1;
            let request_id = paused.params.request_id;
            RequestPausedDecision::Fail(Fetch::FailRequest {
                request_id,
                error_reason: Network::ErrorReason::BlockedByClient,
            })
        },
    ))
    .expect("intercept requests");
}

/// Navigates and waits for the page's `load` event and its fonts (the Arabic screenshots
/// need them). Not `wait_until_navigated`, which waits for the network to be idle for half
/// a second more on every page; the first tries may still meet the previous page.
fn open(tab: &Tab, url: &Url) -> Result<(), String> {
    tab.navigate_to(url.as_str()).map_err(|e| e.to_string())?;
    let loaded = "new Promise(done => { const fonts = () => document.fonts.ready.then(() => done(location.href)); \
                  document.readyState === 'complete' ? fonts() : addEventListener('load', fonts); })";
    for _ in 0..500 {
        match tab.evaluate(loaded, true) {
            Ok(r) if r.value.as_ref().and_then(Value::as_str) == Some(url.as_str()) => return Ok(()),
            _ => std::thread::sleep(Duration::from_millis(10)),
        }
    }
    Err(format!("still not at {url} after 500 tries"))
}

fn eval(tab: &Tab, js: &str, await_promise: bool) -> Value {
    let result =
        tab.evaluate(js, await_promise).unwrap_or_else(|e| panic!("evaluate {}: {e}", &js[..js.len().min(80)]));
    result.value.unwrap_or(Value::Null)
}

/// axe's violations as faults, and the rules it left for a person to review.
fn run_axe(tab: &Tab, axe: &str) -> (Vec<PageFault>, Vec<String>) {
    if eval(tab, "typeof axe", false) != "object" {
        eval(tab, axe, false);
    }
    let run = format!(
        "axe.run(document, {{ runOnly: {{ type: 'tag', values: {AXE_TAGS} }}, resultTypes: ['violations'] }}).then(r => \
         JSON.stringify({{ incomplete: r.incomplete.map(v => v.id), violations: r.violations.map(v => ({{ id: v.id, \
         nodes: v.nodes.map(n => n.target.join(' ') + '  ' + n.html.replace(/\\s+/g, ' ').slice(0, 160) + '\\n        ' \
         + (n.failureSummary || '').replace(/\\s+/g, ' ').slice(0, 300)) }})) }}))"
    );
    let json = eval(tab, &run, true);
    let result: Value = serde_json::from_str(json.as_str().unwrap_or("{}")).expect("axe's result as JSON");
    let list = |v: &Value| v.as_array().cloned().unwrap_or_default();
    let violations = list(&result["violations"])
        .iter()
        .map(|v| {
            let nodes: Vec<String> = list(&v["nodes"]).iter().filter_map(|n| n.as_str().map(str::to_string)).collect();
            let detail: String = nodes.iter().take(5).map(|n| format!("\n      {n}")).collect();
            PageFault::Violation { rule: v["id"].as_str().unwrap_or("?").to_string(), elements: nodes.len(), detail }
        })
        .collect();
    let incomplete = list(&result["incomplete"]).iter().filter_map(|v| v.as_str().map(str::to_string)).collect();
    (violations, incomplete)
}

fn resize(tab: &Tab, width: u32, height: u32) {
    crate::browser::viewport(tab, width, height, false);
}

/// A PNG of the whole page, as tall as its content.
fn full_page_png(tab: &Tab, width: u32) -> Vec<u8> {
    let height = eval(tab, "Math.ceil(document.documentElement.scrollHeight)", false).as_u64().unwrap_or(HEIGHT as u64);
    resize(tab, width, height.clamp(1, 20_000) as u32);
    let png = tab.capture_screenshot(Page::CaptureScreenshotFormatOption::Png, None, None, true).expect("a screenshot");
    resize(tab, width, HEIGHT);
    png
}

/// Builds `site` for a loopback port, serves it there under its subfolder, and visits it.
fn built_and_visited(build: fn(&str) -> Published, folder: &str) -> (Published, BrowserReport) {
    let (listener, port) = StaticServer::bind();
    let site = build(&format!("http://127.0.0.1:{port}/{folder}"));
    let _server = StaticServer::start(listener, site.www.clone());
    let report = visit(&site, &quality_dir().join("screenshots").join(site.name));
    (site, report)
}

fn assert_clean(site: &Published, report: &BrowserReport) {
    let pages = site.pages().count();
    let problems: Vec<String> = report.findings.iter().map(|f| format!("  {f}")).collect();
    assert!(
        problems.is_empty(),
        "{}: {} problem(s) in the browser:\n{}",
        site.name,
        problems.len(),
        problems.join("\n")
    );
    let foreign: Vec<String> = report.foreign.keys().map(|(page, url)| format!("  {page}: {url}")).collect();
    assert!(foreign.is_empty(), "{}: requests to other hosts (blocked):\n{}", site.name, foreign.join("\n"));
    assert_eq!(report.missing_for_screenshots, [], "{}: nothing to photograph", site.name);
    assert_eq!(report.page_loads, pages * WIDTHS.len(), "{}: every page at every width", site.name);
    for shot in &report.screenshots {
        let bytes = std::fs::metadata(shot).map(|m| m.len()).unwrap_or(0);
        assert!(bytes > 1000, "{}: screenshot {} is empty", site.name, shot.display());
    }
    println!(
        "browser on {}: {pages} pages x {} widths = {} page loads, 0 axe violations, 0 script errors; {} requests, all local; \
         {} screenshots; left for a person to review: {:?}",
        site.name,
        WIDTHS.len(),
        report.page_loads,
        report.requests,
        report.screenshots.len(),
        report.review
    );
}

/// The languages photographed; fails unless every kind of page was, in each of them, at
/// each width.
fn photographed_languages(site: &Published, report: &BrowserReport) -> Vec<String> {
    let (plan, _) = screenshot_plan(site);
    let langs: BTreeSet<String> = plan.iter().map(|s| s.lang.clone()).collect();
    let kinds: BTreeSet<(&str, &str)> = plan.iter().map(|s| (s.kind, s.lang.as_str())).collect();
    assert_eq!(kinds.len(), 4 * langs.len(), "{}: home, programme, site and leaflet in each of {langs:?}", site.name);
    assert_eq!(report.screenshots.len(), plan.len() * WIDTHS.len(), "{}: every planned screenshot", site.name);
    langs.into_iter().collect()
}

#[test]
#[ignore = "needs chromium and `npm ci` in tools/"]
fn the_real_site_passes_axe_asks_no_other_host_and_is_photographed() {
    let (site, report) = built_and_visited(Published::real, "sub/");
    assert_clean(&site, &report);
    assert!(photographed_languages(&site, &report).len() >= 2, "Italian and English at least");
}

#[test]
#[ignore = "needs chromium and `npm ci` in tools/"]
fn the_rtl_fixture_passes_axe_asks_no_other_host_and_is_photographed() {
    let (site, report) = built_and_visited(Published::rtl, "rtl/site/");
    assert_clean(&site, &report);
    assert_eq!(photographed_languages(&site, &report), ["ar", "en", "it"]);
}

#[test]
#[ignore = "needs chromium and `npm ci` in tools/"]
fn the_browser_run_reports_the_planted_violations_and_requests_and_nothing_on_the_control_page() {
    let (listener, port) = StaticServer::bind();
    let base = BROKEN_BASE.replace("8000", &port.to_string());
    let site = Published::broken(&base);
    let _server = StaticServer::start(listener, site.www.clone());
    let shots = tempfile::tempdir().expect("temporary folder");
    let report = visit(&site, shots.path());
    let faults: BTreeSet<(&str, u32, String)> = report
        .findings
        .iter()
        .map(|f| match &f.fault {
            PageFault::Violation { rule, .. } => (f.file.as_str(), f.width, rule.clone()),
            PageFault::ScriptError(e) if e.contains("brochureFunctionThatDoesNotExist") => {
                (f.file.as_str(), f.width, "script error".to_string())
            }
            other => panic!("not planted: {other:?}"),
        })
        .collect();
    let at = |file, width, rule: &str| (file, width, rule.to_string());
    let expected = [
        at("axe.html", 1280, "color-contrast"),
        at("axe.html", 1280, "image-alt"),
        at("axe.html", 375, "color-contrast"),
        at("axe.html", 375, "image-alt"),
        at("script-error.html", 1280, "script error"),
        at("script-error.html", 375, "script error"),
    ];
    assert_eq!(faults, BTreeSet::from(expected), "axe.html violates, script-error.html throws, at both widths");
    assert_eq!(report.findings.len(), 6, "one finding per rule or error and width");
    let host = |url: &str| Url::parse(url).ok().and_then(|u| u.host_str().map(str::to_string)).unwrap_or_default();
    let foreign: BTreeSet<(String, String)> =
        report.foreign.keys().map(|(page, url)| (page.clone(), host(url))).collect();
    let expected = [
        ("external.html", "cdn.example.com"),
        ("external.html", "fonts.example.net"),
        ("external.html", "images.example.org"),
        ("external.html", "tracker.example.com"),
        ("requests.html", "beacon.example"),
    ]
    .map(|(page, host)| (page.to_string(), host.to_string()));
    assert_eq!(foreign, BTreeSet::from(expected), "the scan's four, and the address requests.html builds at run time");
    assert_eq!(report.missing_for_screenshots, [Missing::Programme]);
}
