//! PDF export of leaflets and booklets by the machine's headless Chromium, run on the
//! staged site before it replaces the output folder, several documents at a time.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use crate::diagnostic::Diagnostic;

/// Flags for a headless Chromium that never reaches the network (shared with the browser tests).
pub const CHROMIUM_FLAGS: &[&str] = &[
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
];

/// Names Chromium goes by on PATH, in order of preference.
const NAMES: &[&str] = &["chromium", "chromium-browser", "google-chrome-stable", "google-chrome"];

/// One document printed on the longest when Chromium is slow; beyond it the document is skipped.
const TIMEOUT: Duration = Duration::from_secs(120);

/// Finds Chromium: the given path, else the first of [`NAMES`] on PATH.
pub fn find_chromium(given: Option<&Path>) -> Result<PathBuf, Diagnostic> {
    if let Some(path) = given {
        return if path.is_file() {
            Ok(path.to_path_buf())
        } else {
            Err(Diagnostic::warning(format!("PDF export skipped: --chromium {} does not exist", path.display()))
                .with_hint("give the path of the Chromium program, e.g. --chromium /usr/bin/chromium, or install it (Debian/Ubuntu: sudo apt-get install chromium)"))
        };
    }
    let dirs: Vec<PathBuf> = std::env::var_os("PATH").map(|p| std::env::split_paths(&p).collect()).unwrap_or_default();
    NAMES.iter().flat_map(|name| dirs.iter().map(move |d| d.join(name))).find(|p| p.is_file()).ok_or_else(|| {
        Diagnostic::warning("PDF export skipped: Chromium was not found on PATH (looked for chromium, chromium-browser, google-chrome); the HTML site was built")
            .with_hint("install it (Debian/Ubuntu: sudo apt-get install chromium) or pass --chromium /path/to/chromium")
    })
}

/// Prints every `documents` HTML file (paths relative to `dir`) to a PDF beside it:
/// `leaflet.html` -> `leaflet.pdf`. Failures are warnings: the HTML site is still good.
pub fn export(
    chromium: &Path,
    dir: &Path,
    documents: &[String],
    progress: &(dyn Fn(usize, usize) + Sync),
) -> Vec<Diagnostic> {
    let next = AtomicUsize::new(0);
    let done = AtomicUsize::new(0);
    let problems = Mutex::new(Vec::new());
    let workers = std::thread::available_parallelism().map_or(2, |n| n.get()).clamp(1, 4);
    std::thread::scope(|scope| {
        for _ in 0..workers {
            scope.spawn(|| loop {
                let i = next.fetch_add(1, Ordering::SeqCst);
                let Some(rel) = documents.get(i) else { break };
                if let Err(d) = print_one(chromium, dir, rel) {
                    problems.lock().unwrap_or_else(|e| e.into_inner()).push(d);
                }
                progress(done.fetch_add(1, Ordering::SeqCst) + 1, documents.len());
            });
        }
    });
    let mut problems = problems.into_inner().unwrap_or_else(|e| e.into_inner());
    problems.sort_by(|a, b| a.message.cmp(&b.message));
    problems
}

fn print_one(chromium: &Path, dir: &Path, rel: &str) -> Result<(), Diagnostic> {
    let html = dir.join(rel);
    let pdf = html.with_extension("pdf");
    let profile = chromium_profile(rel);
    let url = format!("file://{}", absolute(&html).display());
    let fail = |why: String| {
        Diagnostic::warning(format!("PDF of {rel} not made: {why}"))
            .with_hint("run the build again; if it keeps failing, try `chromium --headless --print-to-pdf` by hand")
    };
    let mut child = Command::new(chromium)
        .args(CHROMIUM_FLAGS)
        .arg("--no-pdf-header-footer")
        .arg(format!("--user-data-dir={}", profile.display()))
        .arg(format!("--print-to-pdf={}", absolute(&pdf).display()))
        .arg(url)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| fail(format!("cannot start {}: {e}", chromium.display())))?;
    let started = Instant::now();
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break status,
            Ok(None) if started.elapsed() > TIMEOUT => {
                let _ = child.kill();
                let _ = child.wait();
                let _ = std::fs::remove_dir_all(&profile);
                return Err(fail(format!("Chromium took longer than {} s", TIMEOUT.as_secs())));
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(50)),
            Err(e) => return Err(fail(e.to_string())),
        }
    };
    let _ = std::fs::remove_dir_all(&profile);
    if !status.success() || !pdf.is_file() {
        return Err(fail(format!("Chromium exited with {status}")));
    }
    Ok(())
}

/// A throw-away Chromium profile in the system's temporary folder, never inside the site.
fn chromium_profile(rel: &str) -> PathBuf {
    let name: String = rel.chars().map(|c| if c.is_ascii_alphanumeric() { c } else { '-' }).collect();
    std::env::temp_dir().join(format!("brochure-chromium-{}-{name}", std::process::id()))
}

fn absolute(p: &Path) -> PathBuf {
    if p.is_absolute() {
        p.to_path_buf()
    } else {
        std::env::current_dir().unwrap_or_default().join(p)
    }
}
