//! Putting a new folder in place of an old one. Where the platform can exchange two paths in
//! one step (Linux `renameat2` with `RENAME_EXCHANGE`, macOS `renameatx_np` with
//! `RENAME_SWAP`), there is no moment when the output folder is missing, even if the process
//! is killed. Elsewhere, or on a file system that cannot exchange, the old folder is renamed
//! aside and the new one renamed in: between the two renames the output folder is missing.

use std::fs;
use std::io;
use std::path::Path;

/// After `Ok`, `new` is at `output` and the previous output is at `new` (to be deleted).
/// `aside` is the spare name used only by the two-rename fallback.
pub fn replace(new: &Path, output: &Path, aside: &Path) -> io::Result<()> {
    match exchange(new, output) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == io::ErrorKind::Unsupported => two_renames(new, output, aside),
        Err(e) => Err(e),
    }
}

#[cfg(any(target_os = "linux", target_os = "android", target_vendor = "apple"))]
fn exchange(a: &Path, b: &Path) -> io::Result<()> {
    use rustix::fs::{renameat_with, RenameFlags, CWD};
    use rustix::io::Errno;
    match renameat_with(CWD, a, CWD, b, RenameFlags::EXCHANGE) {
        Ok(()) => Ok(()),
        // An old kernel, or a file system (some network or FUSE ones) without the flag.
        Err(Errno::INVAL | Errno::NOSYS | Errno::NOTSUP) => Err(io::ErrorKind::Unsupported.into()),
        Err(e) => Err(e.into()),
    }
}

#[cfg(not(any(target_os = "linux", target_os = "android", target_vendor = "apple")))]
fn exchange(_: &Path, _: &Path) -> io::Result<()> {
    Err(io::ErrorKind::Unsupported.into())
}

/// The fallback: `output` moves to `aside`, `new` to `output`, then `aside` to `new`, so that
/// the caller finds the old site where [`replace`] promises. Undone if the second step fails.
fn two_renames(new: &Path, output: &Path, aside: &Path) -> io::Result<()> {
    fs::rename(output, aside)?;
    if let Err(e) = fs::rename(new, output) {
        let _ = fs::rename(aside, output);
        return Err(e);
    }
    fs::rename(aside, new)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_two_folders_change_places() {
        let dir = tempfile::tempdir().unwrap();
        let (new, output, aside) = (dir.path().join("new"), dir.path().join("out"), dir.path().join("aside"));
        for (folder, text) in [(&new, "new"), (&output, "old")] {
            fs::create_dir(folder).unwrap();
            fs::write(folder.join("index.html"), text).unwrap();
        }
        replace(&new, &output, &aside).unwrap();
        assert_eq!(fs::read_to_string(output.join("index.html")).unwrap(), "new");
        assert_eq!(fs::read_to_string(new.join("index.html")).unwrap(), "old");
        two_renames(&new, &output, &aside).unwrap();
        assert_eq!(fs::read_to_string(output.join("index.html")).unwrap(), "old");
        assert!(!aside.exists());
    }
}
