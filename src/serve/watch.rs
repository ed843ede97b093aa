//! Watching the project's sources with notify, debounced so that an editor's save-by-rename
//! or a git checkout's burst of changes triggers one rebuild.

use std::path::{Path, PathBuf};
use std::sync::{mpsc, Arc, Mutex};
use std::time::Duration;

use notify::event::ModifyKind;
use notify::{EventKind, RecursiveMode};
use notify_debouncer_full::{new_debouncer, DebounceEventResult, Debouncer, RecommendedCache};

use super::ServeError;
use crate::build::Changes;

/// Short enough for an edit to show in under 10 ms, long enough to merge an editor's
/// write-rename-chmod (microseconds apart). A longer burst (git checkout) may give two
/// rebuilds; each is complete, so the last one is always right.
const DEBOUNCE: Duration = Duration::from_millis(3);

/// How often the debouncer looks for events old enough to report: an event waits at most
/// `DEBOUNCE + TICK`. The debouncer wakes this often even when nothing happens.
const TICK: Duration = Duration::from_millis(1);

/// The folders watched recursively; the project folder itself is watched flat, for
/// config.yaml and for these folders being deleted and made again.
const SOURCES: &[&str] = &["content", "themes"];

type Watched = Arc<Mutex<Debouncer<notify::RecommendedWatcher, RecommendedCache>>>;

pub struct Watcher {
    _debouncer: Watched,
}

/// Calls `rebuild` (on its own thread) after each burst of changes to config.yaml,
/// content/ or themes/, with a summary and the paths changed. Other folders (public/,
/// target/) are not watched at all.
pub fn watch(root: &Path, rebuild: impl Fn(&str, &Changes) + Send + 'static) -> Result<Watcher, ServeError> {
    let (tx, rx) = mpsc::channel::<DebounceEventResult>();
    let failed = |e: notify::Error| ServeError::Watch { path: root.to_path_buf(), message: e.to_string() };
    let debouncer: Watched = Arc::new(Mutex::new(new_debouncer(DEBOUNCE, Some(TICK), tx).map_err(failed)?));
    {
        let mut d = debouncer.lock().unwrap_or_else(|e| e.into_inner());
        d.watch(root, RecursiveMode::NonRecursive).map_err(failed)?;
        for dir in SOURCES {
            let _ = d.watch(root.join(dir), RecursiveMode::Recursive);
        }
    }
    let root = root.to_path_buf();
    let handle = Arc::clone(&debouncer);
    std::thread::spawn(move || {
        while let Ok(first) = rx.recv() {
            // What arrived meanwhile is covered by the same rebuild. When the watcher lost
            // track (an error, or a queue overflow that asks for a rescan), read everything.
            let mut lost = false;
            let mut events = Vec::new();
            for result in std::iter::once(first).chain(std::iter::from_fn(|| rx.try_recv().ok())) {
                match result {
                    Ok(list) => events.extend(list),
                    Err(_) => lost = true,
                }
            }
            lost |= events.iter().any(|e| e.need_rescan());
            let changed: Vec<&PathBuf> =
                events.iter().filter(|e| is_change(&e.kind)).flat_map(|e| e.paths.iter()).collect();
            rewatch_recreated(&handle, &root, &changed);
            let relevant: Vec<String> = changed
                .iter()
                .filter_map(|p| p.strip_prefix(&root).ok())
                .filter(|p| {
                    let first = p.components().next().map(|c| c.as_os_str().to_string_lossy().into_owned());
                    matches!(first.as_deref(), Some("content" | "themes" | "config.yaml"))
                })
                .map(|p| p.display().to_string())
                .collect();
            let changes = if lost {
                Changes::Everything
            } else {
                Changes::Paths(changed.iter().map(|p| p.to_path_buf()).collect())
            };
            if let Some(first) = relevant.first() {
                let more = if relevant.len() > 1 { format!(" and {} more", relevant.len() - 1) } else { String::new() };
                rebuild(&format!("{first}{more} changed"), &changes);
            } else if lost {
                rebuild("the watcher lost track of changes", &changes);
            }
        }
    });
    Ok(Watcher { _debouncer: debouncer })
}

/// A source folder deleted and made again (a git checkout, a restore) is watched again.
fn rewatch_recreated(debouncer: &Watched, root: &Path, changed: &[&PathBuf]) {
    for dir in SOURCES {
        let path = root.join(dir);
        if changed.iter().any(|p| **p == path) && path.is_dir() {
            let mut d = debouncer.lock().unwrap_or_else(|e| e.into_inner());
            let _ = d.unwatch(&path);
            let _ = d.watch(&path, RecursiveMode::Recursive);
        }
    }
}

/// Changes of content; opening or reading a file (which every build does) is not one.
fn is_change(kind: &EventKind) -> bool {
    match kind {
        EventKind::Create(_) | EventKind::Remove(_) => true,
        EventKind::Modify(ModifyKind::Metadata(_)) => false,
        EventKind::Modify(_) => true,
        EventKind::Access(_) | EventKind::Any | EventKind::Other => false,
    }
}
