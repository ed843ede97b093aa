//! Watching the project's sources with notify, debounced so that an editor's save-by-rename
//! or a git checkout's burst of changes triggers one rebuild.

use std::path::Path;
use std::sync::mpsc;
use std::time::Duration;

use notify::event::ModifyKind;
use notify::{EventKind, RecursiveMode};
use notify_debouncer_full::{new_debouncer, DebounceEventResult, Debouncer, RecommendedCache};

use super::ServeError;

/// Short enough to feel instant, long enough to merge an editor's write-rename-chmod.
const DEBOUNCE: Duration = Duration::from_millis(30);

pub struct Watcher {
    _debouncer: Debouncer<notify::RecommendedWatcher, RecommendedCache>,
}

/// Calls `rebuild` (on its own thread) after each burst of changes to config.yaml,
/// content/ or themes/.
pub fn watch(root: &Path, rebuild: impl Fn(&str) + Send + 'static) -> Result<Watcher, ServeError> {
    let (tx, rx) = mpsc::channel::<DebounceEventResult>();
    let mut debouncer = new_debouncer(DEBOUNCE, None, tx)
        .map_err(|e| ServeError::Watch { path: root.to_path_buf(), message: e.to_string() })?;
    // The folder itself is watched (not each path) so that content/ or config.yaml being
    // deleted and recreated keeps being seen.
    debouncer
        .watch(root, RecursiveMode::Recursive)
        .map_err(|e| ServeError::Watch { path: root.to_path_buf(), message: e.to_string() })?;
    let root = root.to_path_buf();
    std::thread::spawn(move || {
        while let Ok(first) = rx.recv() {
            // What arrived meanwhile is covered by the same rebuild.
            let mut events = first.unwrap_or_default();
            while let Ok(more) = rx.try_recv() {
                events.extend(more.unwrap_or_default());
            }
            let relevant: Vec<String> = events
                .iter()
                .filter(|e| is_change(&e.kind))
                .flat_map(|e| e.paths.iter())
                .filter_map(|p| p.strip_prefix(&root).ok())
                .filter(|p| {
                    let first = p.components().next().map(|c| c.as_os_str().to_string_lossy().into_owned());
                    matches!(first.as_deref(), Some("content" | "themes" | "config.yaml"))
                })
                .map(|p| p.display().to_string())
                .collect();
            if let Some(first) = relevant.first() {
                let more = if relevant.len() > 1 { format!(" and {} more", relevant.len() - 1) } else { String::new() };
                rebuild(&format!("{first}{more} changed"));
            }
        }
    });
    Ok(Watcher { _debouncer: debouncer })
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
