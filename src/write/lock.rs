//! One build at a time per output folder: an exclusive lock on a small file beside it.
//!
//! The lock file is `.<output>.brochure-lock` next to the output folder: not inside it,
//! because the folder itself is swapped away at the end of a build, and not anywhere else,
//! because a build only ever touches the output folder and its own siblings named after it.
//! On Unix the holder deletes the file as it lets go, so that no lock file stays in the
//! project; a build that was waiting on the deleted file sees it is gone and locks the new
//! one. Elsewhere the (empty) file stays, which is harmless.

use std::fs::{self, File, OpenOptions, TryLockError};
use std::io;
use std::path::{Path, PathBuf};

/// Held from the moment a build starts writing until its site is in place or abandoned.
#[derive(Debug)]
pub struct OutputLock {
    path: PathBuf,
    // Closing the file releases the lock; it is dropped after `Drop::drop` deleted the path.
    _file: File,
}

impl OutputLock {
    /// Locks `path`, waiting for another build that holds it; `on_wait` is called once if so.
    pub fn acquire(path: PathBuf, on_wait: &dyn Fn()) -> io::Result<OutputLock> {
        let mut told = false;
        loop {
            let file = OpenOptions::new().read(true).write(true).create(true).truncate(false).open(&path)?;
            match file.try_lock() {
                Ok(()) => {}
                Err(TryLockError::WouldBlock) => {
                    if !told {
                        on_wait();
                        told = true;
                    }
                    file.lock()?;
                }
                Err(TryLockError::Error(e)) => return Err(e),
            }
            if still_at(&file, &path) {
                return Ok(OutputLock { path, _file: file });
            }
            // The previous holder deleted the file we waited on: lock the current one.
        }
    }
}

impl Drop for OutputLock {
    fn drop(&mut self) {
        if cfg!(unix) {
            let _ = fs::remove_file(&self.path);
        }
    }
}

/// Whether the open `file` is still the one at `path` (not deleted, not replaced).
#[cfg(unix)]
fn still_at(file: &File, path: &Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    match (file.metadata(), fs::metadata(path)) {
        (Ok(held), Ok(named)) => held.dev() == named.dev() && held.ino() == named.ino(),
        _ => false,
    }
}

/// Without Unix file identities the file is never deleted, so it is always the one.
#[cfg(not(unix))]
fn still_at(_file: &File, _path: &Path) -> bool {
    true
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::mpsc;
    use std::time::Duration;

    #[test]
    fn a_second_holder_waits_until_the_first_lets_go() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(".public.brochure-lock");
        let first = OutputLock::acquire(path.clone(), &|| panic!("nobody holds it yet")).unwrap();
        let (tx, rx) = mpsc::channel();
        let waiter = std::thread::spawn(move || {
            let told = std::cell::Cell::new(false);
            let second = OutputLock::acquire(path, &|| told.set(true)).unwrap();
            tx.send(told.get()).unwrap();
            drop(second);
        });
        assert!(rx.recv_timeout(Duration::from_millis(300)).is_err(), "the second holder did not wait");
        drop(first);
        assert!(rx.recv_timeout(Duration::from_secs(10)).unwrap(), "the waiter was not told it waits");
        waiter.join().unwrap();
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 0, "the lock file is left behind");
    }
}
