//! One headless Chromium for the whole build, driven through the DevTools protocol: a few
//! tabs print documents in parallel, each putting a document's HTML (its drawings inline,
//! `inline`) into its page and printing it to PDF bytes.
//!
//! Measured (BENCHMARKS.md, "Printing PDFs"): loading each document by navigating to its
//! file costs Chromium about 50 ms of CPU, replacing the page's content about 15 ms; and
//! headless_chrome answers each call on one connection after up to 100 ms of polling, so
//! every tab has a connection of its own to the same browser.

use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use headless_chrome::protocol::cdp::Page;
use headless_chrome::types::PrintToPdfOptions;
use headless_chrome::{Browser, Tab};

use super::browser::BrowserProcess;
use crate::write::Scratch;

/// The longest a document may take to print; Chromium is usually 100 times faster.
const TIMEOUT: Duration = Duration::from_secs(120);

/// A tab that fails this many documents in a row stops: Chromium has likely gone away.
const FAILURES_IN_A_ROW: usize = 3;

/// The running browser; it quits when this is dropped.
pub struct Printer {
    /// A first connection, made at the start to know the browser answers; dropped first, so
    /// it closes before the browser is stopped.
    _browser: Browser,
    process: BrowserProcess,
}

impl Printer {
    /// Starts Chromium (about half a second); `Err` says why it could not start.
    pub fn launch(chromium: &Path, profile: Scratch) -> Result<Printer, String> {
        let process = BrowserProcess::start(chromium, profile)?;
        let browser = Browser::connect_with_timeout(process.ws_url.clone(), TIMEOUT)
            .map_err(|e| format!("cannot connect to it: {e:#}"))?;
        Ok(Printer { _browser: browser, process })
    }

    /// Prints each of `files` (HTML documents inside the folder `root`: the QR codes they
    /// link are put inline, no other file they refer to is loaded) and hands
    /// `done(index, result)` the PDF bytes or the reason it failed, from
    /// `tabs` threads. A document that fails is tried once more on a fresh tab at the end,
    /// so that one tab's lost connection does not cost the print shop a PDF.
    pub fn print_all(
        &self,
        root: &Path,
        files: &[&Path],
        tabs: usize,
        done: &(dyn Fn(usize, Result<Vec<u8>, String>) + Sync),
    ) {
        let failed = std::sync::Mutex::new(Vec::new());
        let first_try = |i: usize, result: Result<Vec<u8>, String>| match result {
            Ok(pdf) => done(i, Ok(pdf)),
            Err(_) => failed.lock().unwrap_or_else(|e| e.into_inner()).push(i),
        };
        self.print_on_tabs(root, files, &(0..files.len()).collect::<Vec<_>>(), tabs, &first_try);
        let mut again = failed.into_inner().unwrap_or_else(|e| e.into_inner());
        again.sort_unstable();
        self.print_on_tabs(root, files, &again, 1, done);
    }

    /// Prints `files[i]` for each `i` of `which` on `tabs` tabs, each on a connection of its own.
    fn print_on_tabs(
        &self,
        root: &Path,
        files: &[&Path],
        which: &[usize],
        tabs: usize,
        done: &(dyn Fn(usize, Result<Vec<u8>, String>) + Sync),
    ) {
        if which.is_empty() {
            return;
        }
        let next = AtomicUsize::new(0);
        let opened: Vec<PrintTab> = std::thread::scope(|scope| {
            let threads: Vec<_> = (0..tabs.clamp(1, which.len()))
                .map(|_| {
                    scope.spawn(|| {
                        let tab = match PrintTab::open(&self.process.ws_url) {
                            Ok(tab) => tab,
                            Err(why) => {
                                done_rest(&next, which, &why, done);
                                return None;
                            }
                        };
                        let mut failures = 0;
                        while let Some(&i) = which.get(next.fetch_add(1, Ordering::SeqCst)) {
                            let result = tab.print(root, files[i]);
                            failures = if result.is_ok() { 0 } else { failures + 1 };
                            done(i, result);
                            if failures == FAILURES_IN_A_ROW {
                                done_rest(&next, which, "Chromium stopped answering", done);
                                break;
                            }
                        }
                        Some(tab)
                    })
                })
                .collect();
            threads.into_iter().filter_map(|t| t.join().ok().flatten()).collect()
        });
        // Closed only once every tab is done: each connection attaches to every tab that
        // opens, and a tab closed while another connection attaches to it ends that
        // connection (headless_chrome stops its event loop), failing that tab's prints.
        for tab in opened {
            let _ = tab.tab.close(false);
        }
    }
}

/// Fails every document of `which` no tab has taken yet.
fn done_rest(next: &AtomicUsize, which: &[usize], why: &str, done: &(dyn Fn(usize, Result<Vec<u8>, String>) + Sync)) {
    while let Some(&i) = which.get(next.fetch_add(1, Ordering::SeqCst)) {
        done(i, Err(why.to_string()));
    }
}

/// A tab on a connection of its own, and the frame whose content it replaces.
struct PrintTab {
    /// Kept for the tab's sake: the tab lives on this connection.
    _connection: Browser,
    tab: Arc<Tab>,
    frame: String,
}

impl PrintTab {
    fn open(ws_url: &str) -> Result<PrintTab, String> {
        let connection = Browser::connect_with_timeout(ws_url.to_string(), TIMEOUT)
            .map_err(|e| format!("cannot connect to Chromium: {e:#}"))?;
        let tab = connection.new_tab().map_err(|e| format!("cannot open a tab: {e:#}"))?;
        tab.set_default_timeout(TIMEOUT);
        let frame = tab.call_method(Page::GetFrameTree(None)).map_err(|e| format!("{e:#}"))?.frame_tree.frame.id;
        Ok(PrintTab { _connection: connection, tab, frame })
    }

    fn print(&self, root: &Path, file: &Path) -> Result<Vec<u8>, String> {
        let html = std::fs::read_to_string(file).map_err(|e| format!("cannot read {}: {e}", file.display()))?;
        let html = super::inline::inline_svg_images(&html, file, root)?;
        self.tab
            .call_method(Page::SetDocumentContent { frame_id: self.frame.clone(), html })
            .map_err(|e| format!("Chromium did not take the document: {e:#}"))?;
        let options = PrintToPdfOptions {
            // Paper size and margins come from the document's `@page` rule (A4).
            prefer_css_page_size: Some(true),
            print_background: Some(true),
            display_header_footer: Some(false),
            ..Default::default()
        };
        self.tab.print_to_pdf(Some(options)).map_err(|e| format!("printing failed: {e:#}"))
    }
}
