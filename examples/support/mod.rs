//! What the browser benchmarks share: Chromium started with the project's flags, and a
//! list page opened until its filter script has run. (A folder, not `support.rs`, so that
//! Cargo does not take it for an example of its own.)

use std::ffi::OsStr;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use headless_chrome::{Browser, LaunchOptions, Tab};

/// Headless Chromium at `path` with the flags the PDF printer uses, its window `size`.
pub fn chromium(path: PathBuf, size: (u32, u32)) -> Browser {
    let flags: Vec<&OsStr> = brochure::pdf::CHROMIUM_FLAGS.iter().map(OsStr::new).collect();
    let launch = LaunchOptions::default_builder()
        .path(Some(path))
        .sandbox(false)
        .args(flags)
        .window_size(Some(size))
        .idle_browser_timeout(Duration::from_secs(600))
        .build()
        .expect("launch options");
    Browser::new(launch).expect("start chromium")
}

/// Opens the list page at `url` and waits until its filter script has run: the panel is
/// there from the first paint, so only the script's own mark says it is ready.
pub fn open_list(tab: &Tab, url: &str) {
    tab.navigate_to(url).expect("open").wait_until_navigated().expect("loaded");
    let started = Instant::now();
    while tab.evaluate("!!window.brochureFilters", false).ok().and_then(|r| r.value) != Some(true.into()) {
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "the filter script did not start within 60 s: is {url} served under the site's base path?"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}
