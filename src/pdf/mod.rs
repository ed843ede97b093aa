//! PDFs of the print documents (leaflets, booklets, all leaflets of a programme): printed by
//! one headless Chromium with `--pdf`, made reproducible, and recorded in the output folder,
//! so that a later build, with or without `--pdf`, can keep every PDF whose document is
//! unchanged instead of losing it.

mod browser;
mod chromium;
mod inline;
mod print;
mod record;
mod reproducible;

use std::path::{Path, PathBuf};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::sync::{Mutex, OnceLock};
use std::time::{Duration, Instant};

pub use chromium::{candidates, find_chromium, Platform, CHROMIUM_FLAGS};
pub use inline::inline_svg_images;
pub use print::Printer;
pub use record::{made_from, PdfRecord, RECORD};
pub use reproducible::{normalise, source_date_epoch};

use crate::diagnostic::{Diagnostic, Kind};
use crate::render::{Output, PdfLinks, PrintDocument};
use crate::write::Staged;

/// How a PDF of this build comes to be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Source {
    Print,
    /// Copied from the output folder being replaced: its document has not changed.
    Keep,
}

/// The PDF step of one build: decided when the print documents are rendered (the pages
/// link what it decides), carried out by [`PdfExport::finish`] once the whole site is staged.
pub struct PdfExport {
    /// `--pdf`: the browser starts in the background while the site renders.
    asked: bool,
    launching: Mutex<Option<Receiver<Started>>>,
    /// The browser once started, or why it did not: awaited when the pages' links are
    /// decided, so that no page links a PDF that a browser that failed to start cannot make.
    started: OnceLock<Started>,
    /// The output folder being replaced, and the PDFs its record lists.
    previous_dir: PathBuf,
    previous: PdfRecord,
    /// The date written into the PDFs (`SOURCE_DATE_EPOCH`), part of what each is made from.
    epoch: i64,
    plan: Mutex<Vec<(PrintDocument, Source)>>,
    /// PDFs of the previous build whose document changed.
    stale: Mutex<usize>,
}

/// What the PDF step did, for the build's summary.
#[derive(Debug, Default)]
pub struct PdfReport {
    pub printed: usize,
    /// Kept from the previous build, their documents unchanged.
    pub kept: usize,
    /// PDFs of the previous build left out because their document changed (print them again with `--pdf`).
    pub stale: usize,
    /// Time to start Chromium, and the whole step (start included).
    pub startup: Duration,
    pub elapsed: Duration,
    /// Found while printing; `build` moves them into `BuildReport::warnings` (kind
    /// `PdfNotMade` for a PDF that was asked for and is missing).
    pub warnings: Vec<Diagnostic>,
}

/// The browser started, or why not, and the time it took.
type Started = (Result<Printer, String>, Duration);

/// The longest the browser may take to start. Chromium takes about half a second; a program
/// that is no browser may never say it is ready, and a build must not wait for it forever
/// (holding the output's lock).
const LAUNCH_TIMEOUT: Duration = Duration::from_secs(20);

impl PdfExport {
    /// `chromium`: print every document with it; without, keep what the previous build
    /// printed. `staged` is the new site, whose output folder holds the previous build.
    pub fn new(chromium: Option<PathBuf>, staged: &Staged) -> PdfExport {
        let asked = chromium.is_some();
        let launching = chromium.map(|path| {
            let (send, receive) = mpsc::channel();
            let profile = staged.browser_profile();
            // Left behind if it never returns (see LAUNCH_TIMEOUT): the build goes on without it.
            std::thread::spawn(move || {
                let started = Instant::now();
                let printer = profile
                    .map_err(|e| format!("cannot make its profile folder: {e}"))
                    .and_then(|profile| Printer::launch(&path, profile));
                let _ = send.send((printer, started.elapsed()));
            });
            receive
        });
        let previous_dir = staged.previous().to_path_buf();
        let previous =
            std::fs::read_to_string(previous_dir.join(RECORD)).map(|t| PdfRecord::parse(&t)).unwrap_or_default();
        PdfExport {
            asked,
            launching: Mutex::new(launching),
            started: OnceLock::new(),
            previous_dir,
            previous,
            epoch: source_date_epoch(),
            plan: Mutex::new(Vec::new()),
            stale: Mutex::new(0),
        }
    }

    /// Whether this build may have PDFs at all (else the documents need no hashing).
    pub fn wanted(&self) -> bool {
        self.asked || !self.previous.0.is_empty()
    }

    /// The browser, waited for (once) up to [`LAUNCH_TIMEOUT`].
    fn started(&self) -> &Started {
        self.started.get_or_init(|| match lock(&self.launching).take() {
            Some(launch) => launch.recv_timeout(LAUNCH_TIMEOUT).unwrap_or_else(|e| {
                let why = match e {
                    RecvTimeoutError::Timeout => format!("it did not start within {} s", LAUNCH_TIMEOUT.as_secs()),
                    RecvTimeoutError::Disconnected => "its start panicked".to_string(),
                };
                (Err(why), LAUNCH_TIMEOUT)
            }),
            None => (Err("no browser was asked for".to_string()), Duration::ZERO),
        })
    }

    /// Chooses, for every print document, whether its PDF is printed, kept, or absent;
    /// returns the PDFs the pages may link.
    pub fn decide(&self, documents: &[PrintDocument]) -> PdfLinks {
        let mut plan = Vec::new();
        let mut stale = 0;
        for doc in documents {
            let pdf = doc.pdf();
            // A PDF whose document is unchanged is the same PDF printed again (they are
            // reproducible): keep it, even with --pdf, and print only what changed.
            if self.can_keep(doc) {
                plan.push((doc.clone(), Source::Keep));
            } else if self.asked && self.started().0.is_ok() {
                plan.push((doc.clone(), Source::Print));
            } else if self.previous.0.contains_key(&pdf) {
                stale += 1;
            }
        }
        let links = PdfLinks(plan.iter().map(|(doc, _)| doc.pdf()).collect());
        *lock(&self.plan) = plan;
        *lock(&self.stale) = stale;
        links
    }

    fn can_keep(&self, doc: &PrintDocument) -> bool {
        let pdf = doc.pdf();
        self.previous.0.get(&pdf) == Some(&made_from(doc.source, self.epoch)) && is_pdf(&self.previous_dir.join(&pdf))
    }

    /// Prints and keeps the PDFs decided, into `staged`, and records them there;
    /// `progress(done, total)` follows the printing.
    pub fn finish(mut self, staged: &Staged, progress: &(dyn Fn(usize, usize) + Sync)) -> PdfReport {
        let started = Instant::now();
        let plan = std::mem::take(&mut *lock(&self.plan));
        let mut report = PdfReport { stale: *lock(&self.stale), ..PdfReport::default() };
        let record = Mutex::new(PdfRecord::default());
        let (to_print, to_keep): (Vec<_>, Vec<_>) = plan.into_iter().partition(|(_, s)| *s == Source::Print);
        let mut to_keep: Vec<PrintDocument> = to_keep.into_iter().map(|(doc, _)| doc).collect();
        let to_print: Vec<PrintDocument> = to_print.into_iter().map(|(doc, _)| doc).collect();
        if self.asked {
            self.started();
            let (printer, startup) =
                std::mem::take(&mut self.started).into_inner().unwrap_or((Err(String::new()), Duration::ZERO));
            report.startup = startup;
            let failed = match printer {
                Ok(printer) => print_documents(&printer, &to_print, self.epoch, staged, &record, &mut report, progress),
                Err(why) => {
                    report.warnings.push(
                        Diagnostic::warning(format!("PDF export skipped: Chromium did not start: {why}"))
                            .with_hint("check that the program given with --chromium (or found) is Chromium, Chrome or Edge and starts; the HTML site was built")
                            .of_kind(Kind::PdfNotMade),
                    );
                    to_print.clone()
                }
            };
            // A document that could not be printed keeps its previous PDF when that is still true.
            for doc in failed {
                if self.can_keep(&doc) {
                    to_keep.push(doc);
                } else {
                    report.warnings.push(missing_pdf(&doc));
                }
            }
        }
        for doc in to_keep {
            match staged.keep_previous(&doc.pdf()) {
                Ok(true) => {
                    lock(&record).0.insert(doc.pdf(), made_from(doc.source, self.epoch));
                    report.kept += 1;
                }
                Ok(false) => report.warnings.push(missing_pdf(&doc)),
                Err(e) => report
                    .warnings
                    .push(Diagnostic::warning(e.to_string()).with_hint(e.hint()).of_kind(Kind::PdfNotMade)),
            }
        }
        let record = record.into_inner().unwrap_or_else(|e| e.into_inner());
        if !record.0.is_empty() {
            if let Err(e) = staged.write(&Output::text(RECORD, record.to_text())) {
                report.warnings.push(Diagnostic::warning(e.to_string()).with_hint(e.hint()).of_kind(Kind::PdfNotMade));
            }
        }
        report.warnings.sort_by(|a, b| a.message.cmp(&b.message));
        report.elapsed = started.elapsed() + report.startup;
        report
    }
}

/// Prints `documents` into `staged` and records them; returns the ones that failed.
fn print_documents(
    printer: &Printer,
    documents: &[PrintDocument],
    epoch: i64,
    staged: &Staged,
    record: &Mutex<PdfRecord>,
    report: &mut PdfReport,
    progress: &(dyn Fn(usize, usize) + Sync),
) -> Vec<PrintDocument> {
    let dir = std::path::absolute(staged.dir()).unwrap_or_else(|_| staged.dir().to_path_buf());
    let files: Vec<PathBuf> = documents.iter().map(|d| dir.join(&*d.html)).collect();
    let paths: Vec<&Path> = files.iter().map(PathBuf::as_path).collect();
    let failed = Mutex::new(Vec::new());
    let warnings = Mutex::new(Vec::new());
    let unexpected_form = std::sync::Once::new();
    let done = std::sync::atomic::AtomicUsize::new(0);
    // Each call waits on Chromium more than it computes: more tabs than cores (BENCHMARKS.md).
    let tabs = std::thread::available_parallelism().map_or(8, |n| n.get() * 4).clamp(4, 12);
    printer.print_all(&dir, &paths, tabs, &|i, result| {
        let doc = &documents[i];
        let saved = result.and_then(|mut pdf| {
            if let Err(kind) = normalise(&mut pdf, epoch) {
                unexpected_form.call_once(|| {
                    lock(&warnings).push(
                        Diagnostic::warning(format!(
                            "PDFs such as {} may differ from build to build ({kind:?})",
                            doc.pdf()
                        ))
                        .with_hint("this browser writes PDFs in an unexpected form; please report it with its version"),
                    )
                });
            }
            staged
                .write(&Output { path: doc.pdf().into(), content: crate::render::OutputContent::Bytes(pdf.into()) })
                .map_err(|e| e.to_string())
        });
        match saved {
            Ok(()) => {
                lock(record).0.insert(doc.pdf(), made_from(doc.source, epoch));
            }
            Err(why) => {
                lock(&warnings).push(Diagnostic::warning(format!("PDF of {} not made: {why}", doc.html)).with_hint(
                    "run the build again; if it keeps failing, open the HTML file in Chromium and print it from there",
                ).of_kind(Kind::PdfNotMade));
                lock(&failed).push(doc.clone());
            }
        }
        progress(done.fetch_add(1, std::sync::atomic::Ordering::SeqCst) + 1, documents.len());
    });
    let failed = failed.into_inner().unwrap_or_else(|e| e.into_inner());
    report.printed = documents.len() - failed.len();
    report.warnings.extend(warnings.into_inner().unwrap_or_else(|e| e.into_inner()));
    failed
}

/// A PDF that pages link and that could not be made (the browser went away while printing,
/// or a kept PDF vanished): an error, so that no site with a link to nothing is published.
fn missing_pdf(doc: &PrintDocument) -> Diagnostic {
    Diagnostic::error(format!("{} could not be made, and its page links it", doc.pdf()))
        .with_hint("run `brochure build --pdf` again; the previous site is untouched (a build without --pdf links the HTML version of each document whose PDF is out of date)")
        .of_kind(Kind::PdfNotMade)
}

/// Whether `path` is a PDF file to keep: a file (not a link), that begins as a PDF does.
/// Kept PDFs are trusted from the record; a file emptied or replaced since is printed again.
fn is_pdf(path: &Path) -> bool {
    use std::io::Read;
    let regular = std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_file());
    let mut head = [0u8; 5];
    regular && std::fs::File::open(path).and_then(|mut f| f.read_exact(&mut head)).is_ok() && &head == b"%PDF-"
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}
