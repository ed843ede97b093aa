//! One headless Chromium for the whole build, driven through the DevTools protocol: a few
//! tabs print documents in parallel, each loading a file and printing it to PDF bytes.

use std::ffi::OsStr;
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc::{self, Receiver};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use headless_chrome::protocol::cdp::types::Event;
use headless_chrome::types::PrintToPdfOptions;
use headless_chrome::{Browser, LaunchOptions, Tab};

use super::chromium::CHROMIUM_FLAGS;

/// The longest a document may take to load or print; Chromium is usually 100 times faster.
const TIMEOUT: Duration = Duration::from_secs(120);

/// A tab that fails this many documents in a row stops: Chromium has likely gone away.
const FAILURES_IN_A_ROW: usize = 3;

/// The running browser.
pub struct Printer {
    browser: Browser,
}

impl Printer {
    /// Starts Chromium (about half a second); `Err` says why it could not start.
    pub fn launch(chromium: &Path) -> Result<Printer, String> {
        let args: Vec<&OsStr> = CHROMIUM_FLAGS.iter().map(OsStr::new).collect();
        let options = LaunchOptions::default_builder()
            .path(Some(chromium.to_path_buf()))
            .headless(true)
            .sandbox(false)
            .args(args)
            .idle_browser_timeout(TIMEOUT)
            .build()
            .map_err(|e| e.to_string())?;
        let browser = Browser::new(options).map_err(|e| format!("{e:#}"))?;
        Ok(Printer { browser })
    }

    /// Prints each of `files` (absolute paths of self-contained HTML documents) and hands
    /// `done(index, result)` the PDF bytes or the reason it failed, from several threads.
    pub fn print_all(&self, files: &[&Path], tabs: usize, done: &(dyn Fn(usize, Result<Vec<u8>, String>) + Sync)) {
        let next = AtomicUsize::new(0);
        std::thread::scope(|scope| {
            for _ in 0..tabs.clamp(1, files.len().max(1)) {
                scope.spawn(|| {
                    let tab = match PrintTab::open(&self.browser) {
                        Ok(tab) => tab,
                        Err(why) => return done_rest(&next, files.len(), &why, done),
                    };
                    let mut failures = 0;
                    loop {
                        let i = next.fetch_add(1, Ordering::SeqCst);
                        let Some(file) = files.get(i) else { break };
                        let result = tab.print(file);
                        failures = if result.is_ok() { 0 } else { failures + 1 };
                        done(i, result);
                        if failures == FAILURES_IN_A_ROW {
                            done_rest(&next, files.len(), "Chromium stopped answering", done);
                            break;
                        }
                    }
                    let _ = tab.tab.close(false);
                });
            }
        });
    }
}

/// Fails every document no tab has taken yet.
fn done_rest(next: &AtomicUsize, len: usize, why: &str, done: &(dyn Fn(usize, Result<Vec<u8>, String>) + Sync)) {
    loop {
        let i = next.fetch_add(1, Ordering::SeqCst);
        if i >= len {
            return;
        }
        done(i, Err(why.to_string()));
    }
}

/// A tab and the signal of its page's `load` event.
struct PrintTab {
    tab: Arc<Tab>,
    loaded: Receiver<()>,
}

impl PrintTab {
    fn open(browser: &Browser) -> Result<PrintTab, String> {
        let tab = browser.new_tab().map_err(|e| format!("cannot open a tab: {e:#}"))?;
        tab.set_default_timeout(TIMEOUT);
        let (tx, loaded) = mpsc::channel();
        let tx = Mutex::new(tx);
        // The load event, not headless_chrome's "network almost idle" wait, which adds half a
        // second per document; the documents are self-contained, so `load` means ready.
        tab.add_event_listener(Arc::new(move |event: &Event| {
            if let Event::PageLoadEventFired(_) = event {
                let _ = tx.lock().unwrap_or_else(|e| e.into_inner()).send(());
            }
        }))
        .map_err(|e| e.to_string())?;
        Ok(PrintTab { tab, loaded })
    }

    fn print(&self, file: &Path) -> Result<Vec<u8>, String> {
        while self.loaded.try_recv().is_ok() {}
        let url = file_url(file);
        self.tab.navigate_to(&url).map_err(|e| format!("cannot open {url}: {e:#}"))?;
        self.loaded.recv_timeout(TIMEOUT).map_err(|_| format!("{url} did not load within {} s", TIMEOUT.as_secs()))?;
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

/// `file:///…`: the characters a URL path cannot hold as they are (`%`, `#`, `?`, spaces,
/// non-ASCII) percent-encoded.
fn file_url(path: &Path) -> String {
    let text = path.to_string_lossy().replace('\\', "/").replace('%', "%25").replace('#', "%23").replace('?', "%3F");
    let slash = if text.starts_with('/') { "" } else { "/" };
    format!("file://{slash}{}", crate::percent::encode_non_ascii(&text))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_urls_encode_spaces_and_accents() {
        assert_eq!(file_url(Path::new("/tmp/a b/città #2.html")), "file:///tmp/a%20b/citt%C3%A0%20%232.html");
        assert_eq!(file_url(Path::new(r"C:\site\leaflet.html")), "file:///C:/site/leaflet.html");
    }
}
