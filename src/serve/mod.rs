//! `brochure serve`: builds the site in memory, serves it on loopback, rebuilds when
//! config.yaml, content/ or themes/ change, and reloads every open page. Nothing is
//! written to disk. A failed rebuild keeps the last good site and shows the error over it;
//! a site that builds but that `build` would refuse (a broken link...) is served, with its
//! errors shown in a panel beside the pages.

mod browser;
mod files;
mod http;
mod request;
mod watch;

use std::collections::HashMap;
use std::io::Write;
use std::net::{TcpListener, TcpStream};
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Condvar, Mutex, RwLock};
use std::time::{Duration, Instant};

use thiserror::Error;

use crate::build::{prepare_in, BuildError, BuildOptions, Changes, Session};
use crate::config::{BaseUrl, Config};
use crate::diagnostic::Diagnostic;
use crate::load::shown_path;
use crate::render::OutputContent;
use files::CopiedFiles;

pub use browser::open_command;
pub use http::{content_type, decode_path};

#[derive(Debug, Clone)]
pub struct ServeOptions {
    pub build: BuildOptions,
    pub bind: String,
    /// 0 picks a free port.
    pub port: u16,
}

#[derive(Debug, Error)]
pub enum ServeError {
    #[error("cannot listen on {address}: {source}")]
    Bind { address: String, source: std::io::Error },
    #[error("cannot watch {path} for changes: {message}")]
    Watch { path: PathBuf, message: String },
}

/// One file of the site as served: always from memory, never read from disk on request.
#[derive(Debug, Clone)]
pub enum Served {
    Bytes(Arc<[u8]>),
    Redirect(String),
}

/// The site being served and the state of the last build, shared by all connections.
pub struct Live {
    site: RwLock<Site>,
    changed: (Mutex<u64>, Condvar),
    base_path: String,
    /// Connections being answered, live-reload streams apart.
    requests: Arc<AtomicUsize>,
    /// Open live-reload streams: one per open tab, each open until the tab closes.
    streams: Arc<AtomicUsize>,
}

/// A place among a limited number of connections, given back when dropped.
pub struct ConnectionPermit(Arc<AtomicUsize>);

impl ConnectionPermit {
    fn take(count: &Arc<AtomicUsize>, cap: usize) -> Option<ConnectionPermit> {
        count.fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| (n < cap).then_some(n + 1)).ok()?;
        Some(ConnectionPermit(Arc::clone(count)))
    }
}

impl Drop for ConnectionPermit {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::SeqCst);
    }
}

#[derive(Default)]
struct Site {
    files: HashMap<Arc<str>, Served>,
    /// The last build's error text, shown over the pages until a good build.
    error: Option<String>,
    /// Whether the pages are the last good build's (the last build failed) rather than the
    /// last build's, whose errors `error` lists without hiding the pages.
    stale: bool,
    generation: u64,
}

/// Connections beyond this get "503 busy" instead of a thread each. Each is closed after
/// one answer, and must send its request within a few seconds, so slow clients free theirs.
const MAX_REQUESTS: usize = 256;

/// Live-reload streams beyond this get "503 busy": enough for every tab a person has open,
/// and kept apart from [`MAX_REQUESTS`], so that open tabs never lock pages out.
const MAX_STREAMS: usize = 32;

impl Live {
    fn new(base_path: String) -> Live {
        Live {
            site: RwLock::new(Site::default()),
            changed: (Mutex::new(0), Condvar::new()),
            base_path,
            requests: Arc::new(AtomicUsize::new(0)),
            streams: Arc::new(AtomicUsize::new(0)),
        }
    }

    /// A place for a live-reload stream, if fewer than [`MAX_STREAMS`] are open.
    fn stream_permit(&self) -> Option<ConnectionPermit> {
        ConnectionPermit::take(&self.streams, MAX_STREAMS)
    }

    /// Finds the file for a request path: `dir/` means `dir/index.html`; unknown paths get
    /// the 404 page with status 404.
    fn lookup(&self, path: &str) -> (&'static str, Option<(String, Served)>) {
        let site = self.site.read().unwrap_or_else(|e| e.into_inner());
        if path == "/" && self.base_path != "/" {
            return ("302 Found", Some((String::new(), Served::Redirect(self.base_path.clone()))));
        }
        let rel = path.strip_prefix(&self.base_path).unwrap_or("\u{0}");
        let mut candidates = vec![rel.to_string()];
        if rel.is_empty() || rel.ends_with('/') {
            candidates = vec![format!("{rel}index.html")];
        } else if !rel.rsplit('/').next().unwrap_or("").contains('.') {
            candidates.push(format!("{rel}/index.html"));
        }
        for c in candidates {
            if let Some(f) = site.files.get(c.as_str()) {
                if c.ends_with("/index.html") && !rel.ends_with('/') && !rel.is_empty() && c != rel {
                    return ("302 Found", Some((c, Served::Redirect(format!("{path}/")))));
                }
                return ("200 OK", Some((c, f.clone())));
            }
        }
        ("404 Not Found", site.files.get("404.html").map(|f| ("404.html".to_string(), f.clone())))
    }

    fn publish(&self, files: Option<SiteFiles>, error: Option<String>) -> u64 {
        let mut site = self.site.write().unwrap_or_else(|e| e.into_inner());
        let mut old = None;
        let files_kept = files.is_none();
        match files {
            Some(SiteFiles::Whole(files)) => {
                old = Some(std::mem::replace(&mut site.files, files));
                site.generation += 1;
            }
            // No file made (an editor's temporary file changed): nothing to reload for.
            Some(SiteFiles::Changed(changed)) if changed.is_empty() => {}
            Some(SiteFiles::Changed(changed)) => {
                site.files.extend(changed);
                site.generation += 1;
            }
            None => {}
        }
        site.stale = files_kept && error.is_some();
        site.error = error;
        let generation = site.generation;
        drop(site);
        let (lock, cvar) = &self.changed;
        *lock.lock().unwrap_or_else(|e| e.into_inner()) += 1;
        cvar.notify_all();
        // The previous site is freed once the browsers are told, not before.
        drop(old);
        generation
    }

    /// Sends `state` events (generation and error) on every change, until the client leaves.
    fn stream_events(&self, mut stream: TcpStream) {
        let head = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-store\r\nConnection: keep-alive\r\n\r\n";
        if stream.write_all(head.as_bytes()).is_err() {
            return;
        }
        let (lock, cvar) = &self.changed;
        let mut seen = *lock.lock().unwrap_or_else(|e| e.into_inner());
        loop {
            let message = {
                let site = self.site.read().unwrap_or_else(|e| e.into_inner());
                let state =
                    serde_json::json!({ "generation": site.generation, "error": site.error, "stale": site.stale });
                format!("event: state\ndata: {state}\n\n")
            };
            if stream.write_all(message.as_bytes()).and_then(|()| stream.flush()).is_err() {
                return;
            }
            let guard = lock.lock().unwrap_or_else(|e| e.into_inner());
            let (guard, timeout) = cvar
                .wait_timeout_while(guard, Duration::from_secs(15), |n| *n == seen)
                .unwrap_or_else(|e| e.into_inner());
            if timeout.timed_out() {
                drop(guard);
                if stream.write_all(b": keep-alive\n\n").is_err() {
                    return;
                }
                continue;
            }
            seen = *guard;
        }
    }
}

/// The site built in memory, with its warning count and the text of the errors `build`
/// would refuse it for (as the terminal shows them).
type BuiltFiles = (SiteFiles, usize, Option<String>);

/// The files of a build: all of them, or those that changed since the last build (after an
/// edit of bodies alone, the rest are the files being served).
enum SiteFiles {
    Whole(HashMap<Arc<str>, Served>),
    Changed(Vec<(Arc<str>, Served)>),
}

impl SiteFiles {
    fn len(&self) -> usize {
        match self {
            SiteFiles::Whole(files) => files.len(),
            SiteFiles::Changed(files) => files.len(),
        }
    }
}

/// Builds in memory, copied files included; returns the files, or the error text (as the
/// terminal shows it). `opts.root` is the project's canonical path.
fn build_files(
    opts: &BuildOptions,
    session: &mut Session,
    copied: &mut CopiedFiles,
    changes: &Changes,
) -> Result<BuiltFiles, String> {
    let errors_text = |list: &[Diagnostic]| {
        list.iter().filter(|d| d.is_error()).map(|d| d.render(false)).collect::<Vec<_>>().join("\n")
    };
    let prepared = match prepare_in(opts, session, changes) {
        Ok(prepared) => prepared,
        Err(BuildError::Invalid(list)) => return Err(errors_text(&list)),
        Err(e) => return Err(e.to_string()),
    };
    let errors = prepared.findings.iter().any(|d| d.is_error()).then(|| errors_text(&prepared.findings));
    let warnings = prepared.findings.iter().filter(|d| !d.is_error()).count();
    if prepared.rendered.patched {
        let files = prepared.rendered.outputs.iter().filter_map(|o| match &o.content {
            OutputContent::Bytes(b) => Some((Arc::clone(&o.path), Served::Bytes(Arc::clone(b)))),
            OutputContent::Copy(_) => None, // pages only: an edit of bodies or facts copies no file
        });
        return Ok((SiteFiles::Changed(files.collect()), warnings, errors));
    }
    let mut files = HashMap::with_capacity(prepared.rendered.outputs.len());
    let mut sources = Vec::new();
    for o in &prepared.rendered.outputs {
        let bytes = match &o.content {
            OutputContent::Bytes(b) => Arc::clone(b),
            OutputContent::Copy(source) => {
                sources.push(source.as_path());
                copied.read(&opts.root, source).map_err(|e| {
                    // The files served stay those of an earlier build: the next starts afresh.
                    session.forget_last();
                    Diagnostic::error(format!("cannot read this file: {e}"))
                        .in_file(shown_path(&opts.root, source))
                        .with_hint("it changed while the site was built; save it again")
                        .render(false)
                })?
            }
        };
        files.insert(Arc::clone(&o.path), Served::Bytes(bytes));
    }
    copied.keep_only(&sources);
    Ok((SiteFiles::Whole(files), warnings, errors))
}

/// What serve tells its caller, as values: where it listens, and what each rebuild did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ServeEvent {
    /// Listening; the site's address (`http://127.0.0.1:1111/base/`).
    Listening { url: String },
    /// A line for the log: a rebuild, with its time and warnings, or why it failed.
    Log(String),
}

impl std::fmt::Display for ServeEvent {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ServeEvent::Listening { url } => write!(f, "Serving on {url} (Ctrl-C to stop)"),
            ServeEvent::Log(line) => f.write_str(line),
        }
    }
}

/// Runs the preview server until the process is stopped, telling `report` what happens.
pub fn serve(mut opts: ServeOptions, report: Arc<dyn Fn(ServeEvent) + Send + Sync>) -> Result<(), ServeError> {
    // The watcher reports changes under the folder's real, absolute path: with the project
    // given as `.` (the usual case) or through a symbolic link, the paths must still match.
    if let Ok(root) = opts.build.root.canonicalize() {
        opts.build.root = root;
    }
    let address = format!("{}:{}", opts.bind, opts.port);
    let listener =
        TcpListener::bind(&address).map_err(|source| ServeError::Bind { address: address.clone(), source })?;
    let local = listener.local_addr().map_err(|source| ServeError::Bind { address: address.clone(), source })?;
    let base_path = Config::load(&opts.build.root.join("config.yaml"), "config.yaml".as_ref())
        .ok()
        .and_then(|c| BaseUrl::parse(&c.base_url).ok())
        .map_or_else(|| "/".to_string(), |b| b.path);
    let mut build_opts = opts.build.clone();
    build_opts.base_url = Some(format!("http://{local}{base_path}"));
    build_opts.pdf = false;
    let live = Arc::new(Live::new(base_path.clone()));

    let session = Mutex::new((Session::remembering(), CopiedFiles::default()));
    let rebuild = {
        let live = Arc::clone(&live);
        let report = Arc::clone(&report);
        let log = move |line: String| report(ServeEvent::Log(line));
        move |why: &str, changes: &Changes| {
            let started = Instant::now();
            let mut guard = session.lock().unwrap_or_else(|e| e.into_inner());
            let (session, copied) = &mut *guard;
            match build_files(&build_opts, session, copied, changes) {
                Ok((files, warnings, errors)) => {
                    let n = files.len();
                    live.publish(Some(files), errors.clone());
                    log(match n {
                        // A file the build skips, such as an editor's backup.
                        0 => format!("{why}: nothing on the site changed"),
                        _ => format!(
                            "{why}: built {n} files in {} ms ({warnings} warnings)",
                            started.elapsed().as_millis()
                        ),
                    });
                    if let Some(text) = errors {
                        log(format!("`brochure build` would refuse this site until these are fixed:\n{text}"));
                    }
                }
                Err(text) => {
                    live.publish(None, Some(text.clone()));
                    log(format!("{why}: the build failed; still serving the last good site\n{text}"));
                }
            }
        }
    };
    // Watch first, so that no change made after the first build is missed.
    let rebuild = Arc::new(rebuild);
    let on_change = Arc::clone(&rebuild);
    let _watcher = watch::watch(&opts.build.root, move |why: &str, changes: &Changes| on_change(why, changes))?;
    rebuild("start", &Changes::Everything);
    report(ServeEvent::Listening { url: format!("http://{local}{base_path}") });
    for stream in listener.incoming() {
        let Ok(mut stream) = stream else { continue };
        let Some(permit) = ConnectionPermit::take(&live.requests, MAX_REQUESTS) else {
            let _ = stream.set_write_timeout(Some(Duration::from_secs(1)));
            let _ = stream.write_all(http::BUSY);
            continue;
        };
        let live = Arc::clone(&live);
        std::thread::spawn(move || http::handle(stream, &live, permit));
    }
    Ok(())
}
