//! `file:///path`: a folder on this computer, typically a mounted share of the web host.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use super::{Remote, RemoteError, Target};

pub struct Folder {
    root: PathBuf,
}

impl Folder {
    pub fn new(target: &Target) -> Folder {
        Folder { root: path_of(target) }
    }
}

/// The folder a `file://` address names.
pub fn path_of(target: &Target) -> PathBuf {
    // file:///C:/site names C:/site on Windows.
    let drive = target.path.strip_prefix('/').filter(|rest| cfg!(windows) && rest.as_bytes().get(1) == Some(&b':'));
    PathBuf::from(drive.unwrap_or(&target.path))
}

fn failed<'p>(action: &'static str, path: &'p str) -> impl FnOnce(io::Error) -> RemoteError + 'p {
    move |e| RemoteError::Transfer { action, path: path.to_string(), cause: e.to_string() }
}

impl Remote for Folder {
    fn read(&mut self, path: &str) -> Result<Option<Vec<u8>>, RemoteError> {
        match fs::read(self.root.join(path)) {
            Ok(bytes) => Ok(Some(bytes)),
            Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(failed("read", path)(e)),
        }
    }

    fn has_files(&mut self) -> Result<bool, RemoteError> {
        match fs::read_dir(&self.root) {
            Ok(mut entries) => Ok(entries.next().is_some()),
            Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(false),
            Err(e) => Err(failed("list", "/")(e)),
        }
    }

    fn put(&mut self, path: &str, bytes: &[u8]) -> Result<(), RemoteError> {
        let dest = self.root.join(path);
        let parent = dest.parent().unwrap_or(&self.root);
        fs::create_dir_all(parent).map_err(failed("create the folder of", path))?;
        // Written beside it under a temporary name, then renamed over it: never half-written.
        let temp = temporary_name(&dest);
        fs::write(&temp, bytes).map_err(failed("write", path))?;
        fs::rename(&temp, &dest).map_err(failed("rename into place", path))
    }

    fn delete(&mut self, path: &str) -> Result<(), RemoteError> {
        let dest = self.root.join(path);
        match fs::remove_file(&dest) {
            Ok(()) => {}
            Err(e) if e.kind() == io::ErrorKind::NotFound => {}
            Err(e) => return Err(failed("delete", path)(e)),
        }
        // Folders left empty go too; a folder holding anything stays (remove_dir refuses).
        let mut dir = dest.parent();
        while let Some(d) = dir.filter(|d| *d != self.root && d.starts_with(&self.root)) {
            if fs::remove_dir(d).is_err() {
                break;
            }
            dir = d.parent();
        }
        Ok(())
    }
}

/// `.name.brochure-upload` beside `dest`: the same each time, so a publish interrupted
/// mid-file leaves one leftover that the next run overwrites and renames.
pub fn temporary_name(dest: &Path) -> PathBuf {
    let name = dest.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    dest.with_file_name(format!(".{name}.brochure-upload"))
}
