//! `brochure serve`: builds the site in memory, serves it on loopback, rebuilds when
//! config.yaml, content/ or themes/ change, and reloads every open page. Nothing is
//! written to disk. A failed rebuild keeps the last good site and shows the error over it;
//! a site that builds but that `build` would refuse (a broken link...) is served, with its
//! errors shown in a panel beside the pages.

mod http;
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
use crate::render::OutputContent;

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

/// One file of the site as served.
#[derive(Debug, Clone)]
pub enum Served {
    Bytes(Arc<[u8]>),
    File(PathBuf),
    Redirect(String),
}

/// The site being served and the state of the last build, shared by all connections.
pub struct Live {
    site: RwLock<Site>,
    changed: (Mutex<u64>, Condvar),
    base_path: String,
    connections: AtomicUsize,
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

/// Open connections beyond this get "503 busy" instead of a thread each.
const MAX_CONNECTIONS: usize = 256;

impl Live {
    fn new(base_path: String) -> Live {
        Live {
            site: RwLock::new(Site::default()),
            changed: (Mutex::new(0), Condvar::new()),
            base_path,
            connections: AtomicUsize::new(0),
        }
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

    fn publish(&self, files: Option<HashMap<Arc<str>, Served>>, error: Option<String>) -> u64 {
        let mut site = self.site.write().unwrap_or_else(|e| e.into_inner());
        let mut old = None;
        let files_kept = files.is_none();
        if let Some(files) = files {
            old = Some(std::mem::replace(&mut site.files, files));
            site.generation += 1;
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
type BuiltFiles = (HashMap<Arc<str>, Served>, usize, Option<String>);

/// Builds in memory; returns the files, or the error text (as the terminal shows it).
fn build_files(opts: &BuildOptions, session: &mut Session, changes: &Changes) -> Result<BuiltFiles, String> {
    let errors_text = |list: &[crate::Diagnostic]| {
        list.iter().filter(|d| d.is_error()).map(|d| d.render(false)).collect::<Vec<_>>().join("\n")
    };
    match prepare_in(opts, session, changes) {
        Ok(prepared) => {
            let errors = prepared.findings.iter().any(|d| d.is_error()).then(|| errors_text(&prepared.findings));
            let warnings = prepared.findings.iter().filter(|d| !d.is_error()).count();
            let files = prepared
                .rendered
                .outputs
                .into_iter()
                .map(|o| {
                    let served = match o.content {
                        OutputContent::Bytes(b) => Served::Bytes(b),
                        OutputContent::Copy(p) => Served::File(p),
                    };
                    (o.path, served)
                })
                .collect();
            Ok((files, warnings, errors))
        }
        Err(BuildError::Invalid(list)) => Err(errors_text(&list)),
        Err(e) => Err(e.to_string()),
    }
}

/// Runs the preview server until the process is stopped. `log` receives one line per event.
pub fn serve(mut opts: ServeOptions, log: Arc<dyn Fn(&str) + Send + Sync>) -> Result<(), ServeError> {
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

    let session = Mutex::new(Session::remembering());
    let rebuild = {
        let live = Arc::clone(&live);
        let log = Arc::clone(&log);
        move |why: &str, changes: &Changes| {
            let started = Instant::now();
            let mut session = session.lock().unwrap_or_else(|e| e.into_inner());
            match build_files(&build_opts, &mut session, changes) {
                Ok((files, warnings, errors)) => {
                    let n = files.len();
                    live.publish(Some(files), errors.clone());
                    log(&format!(
                        "{why}: built {n} files in {} ms ({warnings} warnings)",
                        started.elapsed().as_millis()
                    ));
                    if let Some(text) = errors {
                        log(&format!("`brochure build` would refuse this site until these are fixed:\n{text}"));
                    }
                }
                Err(text) => {
                    live.publish(None, Some(text.clone()));
                    log(&format!("{why}: the build failed; still serving the last good site\n{text}"));
                }
            }
        }
    };
    // Watch first, so that no change made after the first build is missed.
    let rebuild = Arc::new(rebuild);
    let on_change = Arc::clone(&rebuild);
    let _watcher = watch::watch(&opts.build.root, move |why: &str, changes: &Changes| on_change(why, changes))?;
    rebuild("start", &Changes::Everything);
    log(&format!("Serving on http://{local}{base_path} (Ctrl-C to stop)"));
    for stream in listener.incoming() {
        let Ok(stream) = stream else { continue };
        if live.connections.load(Ordering::SeqCst) >= MAX_CONNECTIONS {
            let mut s = stream;
            let _ = s.write_all(b"HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
            continue;
        }
        let live = Arc::clone(&live);
        live.connections.fetch_add(1, Ordering::SeqCst);
        std::thread::spawn(move || {
            http::handle(stream, &live);
            live.connections.fetch_sub(1, Ordering::SeqCst);
        });
    }
    Ok(())
}
