//! The only module that writes files: the whole site goes into a temporary folder beside
//! the output folder, which then replaces it, so a failed build never leaves a half-written
//! or emptied site behind.

use std::fs;
use std::io::{self, Write};
use std::path::{Component, Path, PathBuf};

use thiserror::Error;

use crate::render::{Output, OutputContent};

mod lock;
mod swap;

pub use lock::OutputLock;

/// Written into every output folder so that a later build knows the folder is its own and
/// may be replaced. A folder without it that holds files is never deleted.
pub const MARKER: &str = ".brochure-output";

#[derive(Debug, Error)]
pub enum WriteError {
    #[error("refusing to write the site into {path}: {why}")]
    UnsafeOutput { path: PathBuf, why: &'static str },
    #[error("{path} holds files that brochure did not write; refusing to replace it")]
    ForeignOutput { path: PathBuf },
    #[error("cannot write {path}: {source}")]
    Io { path: PathBuf, source: io::Error },
    #[error("the output path {0} is not a plain relative path")]
    BadOutputPath(String),
}

impl WriteError {
    pub fn hint(&self) -> &'static str {
        match self {
            WriteError::UnsafeOutput { .. } => "choose a dedicated folder with --output, e.g. --output public",
            WriteError::ForeignOutput { .. } => {
                "move those files away, or choose another folder with --output; brochure only replaces folders it made"
            }
            WriteError::Io { .. } => {
                "check free disk space and the folder's permissions; the previous site is untouched"
            }
            WriteError::BadOutputPath(_) => "this is a bug in brochure: please report it",
        }
    }
}

fn io_err(path: &Path) -> impl FnOnce(io::Error) -> WriteError + '_ {
    move |source| WriteError::Io { path: path.to_path_buf(), source }
}

/// Refuses output folders whose replacement would destroy something that is not a build:
/// the file system root, the home folder, the project, or a folder holding `content/`.
pub fn check_output_dir(output: &Path, project_root: &Path) -> Result<(), WriteError> {
    let abs = absolute(output);
    let unsafe_out = |why| WriteError::UnsafeOutput { path: output.to_path_buf(), why };
    if abs.parent().is_none() {
        return Err(unsafe_out("it is the root of the file system"));
    }
    if let Some(home) = std::env::var_os("HOME").map(PathBuf::from) {
        if absolute(&home) == abs {
            return Err(unsafe_out("it is your home folder"));
        }
    }
    let root = absolute(project_root);
    if root == abs || root.starts_with(&abs) {
        return Err(unsafe_out("it contains the project"));
    }
    if abs.join("content").is_dir() || abs.join("config.yaml").is_file() {
        return Err(unsafe_out("it contains content/ or config.yaml"));
    }
    // Inside a folder the build reads, each build would copy the previous output into itself.
    if ["content", "themes"].iter().any(|read| abs.starts_with(absolute(&root.join(read)))) {
        return Err(unsafe_out("it is inside content/ or themes/, which the build reads"));
    }
    Ok(())
}

/// Absolute, normalised path: `..` removed lexically, then symbolic links resolved in the
/// longest part that exists (the folder itself may not exist yet).
fn absolute(p: &Path) -> PathBuf {
    let joined = if p.is_absolute() { p.to_path_buf() } else { std::env::current_dir().unwrap_or_default().join(p) };
    let mut out = PathBuf::new();
    for c in joined.components() {
        match c {
            Component::ParentDir => {
                out.pop();
            }
            Component::CurDir => {}
            other => out.push(other),
        }
    }
    let mut missing = Vec::new();
    let mut existing = out.as_path();
    loop {
        if let Ok(real) = existing.canonicalize() {
            return missing.iter().rev().fold(real, |path, part| path.join(part));
        }
        match (existing.parent(), existing.file_name()) {
            (Some(parent), Some(part)) => {
                missing.push(part.to_os_string());
                existing = parent;
            }
            _ => return out,
        }
    }
}

/// A complete new site in a temporary folder beside the output folder, not yet in place.
/// Dropped without [`Staged::commit`], it is removed and the output folder is untouched.
/// While it exists, no other build writes to the same output folder.
pub struct Staged {
    staging: PathBuf,
    output: PathBuf,
    committed: bool,
    // Dropped after the staging folder is removed (fields drop after `Drop::drop`); handed
    // to the caller by `commit`.
    lock: Option<OutputLock>,
}

impl Staged {
    /// The folder holding the new site, for steps that add files to it (PDF export).
    pub fn dir(&self) -> &Path {
        &self.staging
    }

    /// The output folder this site will replace, holding the previous build (if any).
    pub fn previous(&self) -> &Path {
        &self.output
    }

    /// A folder of this build's own beside the output folder, for the PDF step's browser
    /// profile: marked as ours, so the next build removes it if this one was killed. In the
    /// system's temporary folder, each killed build left one behind for good.
    pub fn browser_profile(&self) -> Result<Scratch, WriteError> {
        let parent = self.staging.parent().unwrap_or(Path::new("."));
        let name = self.output.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        Scratch::mark(new_sibling(parent, &name, BROWSER)?)
    }

    /// Puts a file of the previous build into the new site unchanged (a PDF whose document
    /// did not change); false when the previous build has no such file.
    pub fn keep_previous(&self, path: &str) -> Result<bool, WriteError> {
        let rel = safe_relative(path)?;
        let (old, dest) = (self.output.join(&rel), self.staging.join(&rel));
        if !old.is_file() {
            return Ok(false);
        }
        if let Some(parent) = dest.parent() {
            fs::create_dir_all(parent).map_err(io_err(parent))?;
        }
        // A hard link costs no copy; the previous folder is deleted, not changed, after the swap.
        fs::hard_link(&old, &dest).or_else(|_| fs::copy(&old, &dest).map(|_| ())).map(|()| true).map_err(io_err(&dest))
    }

    /// Puts the new site in place of the output folder, and deletes the previous one. The
    /// output's lock is handed back: no other build replaces the site while it is held.
    pub fn commit(mut self) -> Result<OutputLock, WriteError> {
        self.committed = true;
        let result = if self.output.exists() {
            // The fallback's spare name: the staging folder's, with `-old` for `-new`.
            let name = self.staging.file_name().unwrap_or_default().to_string_lossy().replacen(
                ".brochure-new-",
                ".brochure-old-",
                1,
            );
            swap::replace(&self.staging, &self.output, &self.staging.with_file_name(name)).map_err(io_err(&self.output))
        } else {
            fs::rename(&self.staging, &self.output).map_err(io_err(&self.output))
        };
        // On success the staging name holds the previous site; on failure, the new one.
        if self.staging.exists() {
            let _ = remove_ours(&self.staging);
        }
        result.map(|()| self.lock.take().expect("the lock is held until commit"))
    }
}

impl Drop for Staged {
    fn drop(&mut self) {
        if !self.committed && self.staging.exists() {
            let _ = remove_ours(&self.staging);
        }
    }
}

impl Staged {
    /// Checks that `output` may be replaced, waits for any other build writing it (calling
    /// `on_wait` first), and makes an empty staging folder of this build beside it.
    pub fn begin(output: &Path, project_root: &Path, on_wait: &dyn Fn()) -> Result<Staged, WriteError> {
        check_output_dir(output, project_root)?;
        let link = output;
        let output = &through_link(output)?;
        let name = output.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| "public".into());
        let parent = output.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
        fs::create_dir_all(parent).map_err(io_err(parent))?;
        let lock_path = parent.join(format!(".{name}.brochure-lock"));
        let lock = OutputLock::acquire(lock_path.clone(), on_wait).map_err(io_err(&lock_path))?;
        // Only now is the output folder stable: no other build is swapping it.
        if output.exists() && !is_ours_or_empty(output)? {
            return Err(WriteError::ForeignOutput { path: output.to_path_buf() });
        }
        remove_leftovers(parent, &name)?;
        if link != output {
            // Earlier versions left their staging folders beside the link (see `remove_ours`).
            let beside = link.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
            remove_leftovers(beside, &link.file_name().unwrap_or_default().to_string_lossy())?;
        }
        let staging = new_staging_dir(parent, &name)?;
        fs::write(staging.join(MARKER), "This folder is written by brochure; it is replaced on every build.\n")
            .map_err(io_err(&staging))?;
        Ok(Staged { staging, output: output.to_path_buf(), committed: false, lock: Some(lock) })
    }
    /// Writes one file into the staging folder; may be called from several threads.
    pub fn write(&self, o: &Output) -> Result<(), WriteError> {
        let dest = self.staging.join(safe_relative(&o.path)?);
        let write = || match &o.content {
            OutputContent::Bytes(bytes) => fs::File::create(&dest).and_then(|mut file| file.write_all(bytes)),
            OutputContent::Copy(src) => fs::copy(src, &dest).map(|_| ()),
        };
        // Most files go to a folder an earlier file made: try first, and make the folder
        // only when it is missing (a check before each of 30,000 files cost a system call each).
        match write() {
            Err(e) if e.kind() == io::ErrorKind::NotFound => {
                if let Some(parent) = dest.parent() {
                    fs::create_dir_all(parent).map_err(io_err(parent))?;
                }
                write().map_err(io_err(&dest))
            }
            other => other.map_err(io_err(&dest)),
        }
    }
}

/// The kind of a browser profile folder beside the output folder (`.public.brochure-browser-…`).
const BROWSER: &str = "browser";

/// A folder of a build's own beside the output folder, removed when dropped.
#[derive(Debug)]
pub struct Scratch(PathBuf);

impl Scratch {
    /// Takes the folder `dir`, made by the caller, as a build's own.
    pub fn mark(dir: PathBuf) -> Result<Scratch, WriteError> {
        fs::write(dir.join(MARKER), "A folder of brochure's own; removed after the build.\n").map_err(io_err(&dir))?;
        Ok(Scratch(dir))
    }

    pub fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        // Left for the next build to remove if something still holds a file in it.
        let _ = remove_ours(&self.0);
    }
}

/// The output folder a build replaces: `output` itself, or the folder it is a link to
/// (`public -> /var/www/site`), which is written through, the link staying as it is. Swapped
/// itself, the link became the old site to delete, and the folder it led to was emptied.
fn through_link(output: &Path) -> Result<PathBuf, WriteError> {
    match fs::symlink_metadata(output) {
        Ok(meta) if meta.file_type().is_symlink() => fs::canonicalize(output).map_err(|_| WriteError::UnsafeOutput {
            path: output.to_path_buf(),
            why: "it is a link to a folder that does not exist",
        }),
        _ => Ok(output.to_path_buf()),
    }
}

/// Staging folders of builds that were interrupted (killed, or a power cut): ours by
/// name, and removed only if marked as ours. Called with the lock held, so none is in use.
/// The plain names are those of earlier versions of brochure.
fn remove_leftovers(parent: &Path, name: &str) -> Result<(), WriteError> {
    let prefixes =
        [format!(".{name}.brochure-new"), format!(".{name}.brochure-old"), format!(".{name}.brochure-{BROWSER}")];
    for entry in fs::read_dir(parent).map_err(io_err(parent))? {
        let entry = entry.map_err(io_err(parent))?;
        let file_name = entry.file_name().to_string_lossy().into_owned();
        let leftover = prefixes
            .iter()
            .any(|p| file_name.strip_prefix(p.as_str()).is_some_and(|rest| rest.is_empty() || rest.starts_with('-')));
        if leftover && is_ours_or_empty(&entry.path())? {
            remove_ours(&entry.path()).map_err(io_err(&entry.path()))?;
        }
    }
    Ok(())
}

/// A new, empty folder `.<name>.brochure-new-<process>-<n>` beside the output folder: its
/// own for every build, even two in one process, since creating a folder fails if it exists.
fn new_staging_dir(parent: &Path, name: &str) -> Result<PathBuf, WriteError> {
    new_sibling(parent, name, "new")
}

/// A new, empty folder `.<name>.brochure-<kind>-<process>-<n>` beside the output folder.
fn new_sibling(parent: &Path, name: &str, kind: &str) -> Result<PathBuf, WriteError> {
    let pid = std::process::id();
    let mut n = 0u32;
    loop {
        let dir = parent.join(format!(".{name}.brochure-{kind}-{pid}-{n}"));
        match fs::create_dir(&dir) {
            Ok(()) => return Ok(dir),
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists && n < 10_000 => n += 1,
            Err(e) => return Err(io_err(&dir)(e)),
        }
    }
}

/// Removes a folder of ours, its marker last, so that an interrupted removal still leaves
/// a folder that the next build recognises as its own.
fn remove_ours(dir: &Path) -> io::Result<()> {
    // A link is removed, never what it leads to (an earlier version could leave a staging
    // name that was a link to a user's web root).
    if fs::symlink_metadata(dir)?.file_type().is_symlink() {
        return fs::remove_file(dir);
    }
    for entry in fs::read_dir(dir)? {
        let entry = entry?;
        if entry.file_name() == MARKER {
            continue;
        }
        if entry.file_type()?.is_dir() {
            fs::remove_dir_all(entry.path())?;
        } else {
            fs::remove_file(entry.path())?;
        }
    }
    let _ = fs::remove_file(dir.join(MARKER));
    fs::remove_dir(dir)
}

fn is_ours_or_empty(dir: &Path) -> Result<bool, WriteError> {
    if !dir.is_dir() {
        return Ok(false);
    }
    if dir.join(MARKER).is_file() {
        return Ok(true);
    }
    Ok(fs::read_dir(dir).map_err(io_err(dir))?.next().is_none())
}

/// Output paths come from slugs already validated; this is the last line of defence.
fn safe_relative(path: &str) -> Result<PathBuf, WriteError> {
    let p = Path::new(path);
    if path.is_empty() || p.components().any(|c| !matches!(c, Component::Normal(_))) {
        return Err(WriteError::BadOutputPath(path.to_string()));
    }
    Ok(p.to_path_buf())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn output_paths_cannot_escape() {
        assert!(safe_relative("../x").is_err());
        assert!(safe_relative("/etc/passwd").is_err());
        assert!(safe_relative("a/../../b").is_err());
        assert!(safe_relative("en/a/index.html").is_ok());
    }

    #[test]
    fn dangerous_output_folders_are_refused() {
        let project = tempfile::tempdir().unwrap();
        assert!(check_output_dir(Path::new("/"), project.path()).is_err());
        assert!(check_output_dir(project.path(), project.path()).is_err());
        assert!(check_output_dir(project.path().parent().unwrap(), project.path()).is_err());
        assert!(check_output_dir(&project.path().join("public"), project.path()).is_ok());
        assert!(check_output_dir(&project.path().join("out/site"), project.path()).is_ok());
        assert!(check_output_dir(&project.path().join("content/out"), project.path()).is_err());
        assert!(check_output_dir(&project.path().join("themes/default/static/out"), project.path()).is_err());
    }
}
