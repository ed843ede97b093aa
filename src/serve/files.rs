//! The files a build copies from the project (content assets, theme static files), read into
//! memory when the build makes the site: `serve` answers requests from memory only, so a
//! file changed or replaced by a symbolic link after a good build is never read on request.

use std::collections::HashMap;
use std::fs::File;
use std::io::{self, Read};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::SystemTime;

/// The copied files of the last build, kept to skip reading unchanged ones again.
#[derive(Default)]
pub struct CopiedFiles {
    read: HashMap<PathBuf, (Identity, Arc<[u8]>)>,
}

/// What tells one version of a file from another without reading it.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Identity {
    len: u64,
    modified: Option<SystemTime>,
    #[cfg(unix)]
    inode: (u64, u64),
}

impl CopiedFiles {
    /// The bytes of `source`, which must be inside `root` (a canonical path).
    pub fn read(&mut self, root: &Path, source: &Path) -> io::Result<Arc<[u8]>> {
        let mut file = open_inside(root, source)?;
        let identity = identity(&file.metadata()?);
        if let Some((known, bytes)) = self.read.get(source) {
            if *known == identity {
                return Ok(Arc::clone(bytes));
            }
        }
        let mut bytes = Vec::with_capacity(identity.len as usize);
        file.read_to_end(&mut bytes)?;
        let bytes: Arc<[u8]> = bytes.into();
        self.read.insert(source.to_path_buf(), (identity, Arc::clone(&bytes)));
        Ok(bytes)
    }

    /// Forgets files no longer part of the site.
    pub fn keep_only(&mut self, sources: &[&Path]) {
        let wanted: std::collections::HashSet<&Path> = sources.iter().copied().collect();
        self.read.retain(|path, _| wanted.contains(path.as_path()));
    }
}

fn identity(meta: &std::fs::Metadata) -> Identity {
    #[cfg(unix)]
    use std::os::unix::fs::MetadataExt;
    Identity {
        len: meta.len(),
        modified: meta.modified().ok(),
        #[cfg(unix)]
        inode: (meta.dev(), meta.ino()),
    }
}

fn outside(source: &Path) -> io::Error {
    io::Error::new(io::ErrorKind::PermissionDenied, format!("{} leads outside the project", source.display()))
}

/// Opens `source` by its real path, proved inside `root` at the moment of opening: the
/// load stage allowed it, but it may have been replaced by a link since.
fn open_inside(root: &Path, source: &Path) -> io::Result<File> {
    let real = source.canonicalize()?;
    if !real.starts_with(root) {
        return Err(outside(source));
    }
    // `real` holds no symbolic link; one found while opening was put there since.
    let file = open_following_no_link(&real)?;
    if !file.metadata()?.is_file() {
        return Err(io::Error::new(io::ErrorKind::InvalidInput, format!("{} is not a file", source.display())));
    }
    Ok(file)
}

#[cfg(target_os = "linux")]
fn open_following_no_link(real: &Path) -> io::Result<File> {
    use rustix::fs::{openat2, Mode, OFlags, ResolveFlags, CWD};
    let flags = OFlags::RDONLY | OFlags::CLOEXEC;
    match openat2(CWD, real, flags, Mode::empty(), ResolveFlags::NO_SYMLINKS) {
        Ok(fd) => Ok(File::from(fd)),
        // Kernels before 5.6 have no openat2: only the last part is checked there.
        Err(rustix::io::Errno::NOSYS) => open_last_part_no_link(real),
        Err(rustix::io::Errno::LOOP) => Err(outside(real)),
        Err(e) => Err(e.into()),
    }
}

#[cfg(all(unix, not(target_os = "linux")))]
fn open_following_no_link(real: &Path) -> io::Result<File> {
    open_last_part_no_link(real)
}

#[cfg(unix)]
fn open_last_part_no_link(real: &Path) -> io::Result<File> {
    use std::os::unix::fs::OpenOptionsExt;
    let nofollow = rustix::fs::OFlags::NOFOLLOW.bits() as i32;
    std::fs::OpenOptions::new().read(true).custom_flags(nofollow).open(real)
}

#[cfg(not(unix))]
fn open_following_no_link(real: &Path) -> io::Result<File> {
    File::open(real)
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;

    #[test]
    fn files_inside_are_read_and_links_leading_out_are_refused() {
        let project = tempfile::tempdir().unwrap();
        let outside_dir = tempfile::tempdir().unwrap();
        let root = project.path().canonicalize().unwrap();
        std::fs::write(root.join("note.txt"), "hi").unwrap();
        std::fs::write(outside_dir.path().join("secret.txt"), "secret").unwrap();
        std::os::unix::fs::symlink(outside_dir.path().join("secret.txt"), root.join("link.txt")).unwrap();
        std::os::unix::fs::symlink(root.join("note.txt"), root.join("alias.txt")).unwrap();
        let mut files = CopiedFiles::default();
        assert_eq!(&*files.read(&root, &root.join("note.txt")).unwrap(), b"hi");
        assert_eq!(&*files.read(&root, &root.join("alias.txt")).unwrap(), b"hi", "links inside are followed");
        let refused = files.read(&root, &root.join("link.txt")).unwrap_err();
        assert_eq!(refused.kind(), io::ErrorKind::PermissionDenied);
        std::fs::write(root.join("note.txt"), "changed").unwrap();
        assert_eq!(&*files.read(&root, &root.join("note.txt")).unwrap(), b"changed");
    }
}
