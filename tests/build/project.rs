//! A fixture project copied into a temporary folder, and helpers to build it and read
//! what it produced.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::thread;
use std::time::Duration;

use brochure::{build, BuildError, BuildOptions, BuildReport, Diagnostic};
use tempfile::TempDir;

/// The repository, for fixtures and the real theme.
pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A copy of `tests/fixtures/<name>` that a test may edit and build; removed on drop.
pub struct Project {
    dir: TempDir,
}

impl Project {
    /// Copies the fixture, and the real theme when the fixture brings none.
    pub fn fixture(name: &str) -> Project {
        let dir = tempfile::tempdir().expect("temporary folder");
        let source = repo().join("tests/fixtures").join(name);
        assert!(source.is_dir(), "no fixture {}", source.display());
        copy_tree(&source, dir.path());
        if !dir.path().join("themes").exists() {
            copy_tree(&repo().join("themes/default"), &dir.path().join("themes/default"));
        }
        Project { dir }
    }

    /// A copy of the real project: config.yaml, content/ and themes/ of the repository.
    pub fn real() -> Project {
        let dir = tempfile::tempdir().expect("temporary folder");
        fs::copy(repo().join("config.yaml"), dir.path().join("config.yaml")).expect("copy config");
        copy_tree(&repo().join("content"), &dir.path().join("content"));
        copy_tree(&repo().join("themes"), &dir.path().join("themes"));
        Project { dir }
    }

    /// The basic fixture with `sites` more sites in programmes of a hundred: a large project
    /// for tests about builds that overlap. The sites differ only in their numbers.
    pub fn generated(sites: usize) -> Project {
        let p = Project::fixture("basic");
        for n in 0..sites {
            let programme = n / 100;
            if n % 100 == 0 {
                p.write(
                    &format!("content/prog-{programme:02}/_index.it.md"),
                    format!(
                        "---\ntype: programme\ntitle: \"Progetto {programme}\"\nentity: \"Comune di Prova\"\n\
                         year: 2019\nweight: {}\n---\nIl progetto numero {programme}.\n",
                        programme + 2
                    ),
                );
            }
            p.write(
                &format!("content/prog-{programme:02}/sede-{n:04}.it.md"),
                format!(
                    "---\ntitle: \"Sede {n}\"\naddress: \"Via Roma, {n}\"\nvolunteers: {}\n\
                     requirements: {{ required: [english] }}\n---\n## Cosa farai\n\nAccoglierai gli utenti della sede {n}.\n",
                    1 + n % 4
                ),
            );
        }
        p
    }

    pub fn root(&self) -> &Path {
        self.dir.path()
    }

    /// The default output folder.
    pub fn public(&self) -> PathBuf {
        self.root().join("public")
    }

    pub fn options(&self) -> BuildOptions {
        BuildOptions { root: self.root().to_path_buf(), ..Default::default() }
    }

    pub fn build(&self) -> Result<BuildReport, BuildError> {
        build(&self.options())
    }

    /// Builds and fails the test, showing the diagnostics, if the build fails.
    pub fn build_ok(&self) -> BuildReport {
        match self.build() {
            Ok(report) => report,
            Err(e) => panic!("build failed: {e}\n{}", describe(&e)),
        }
    }

    /// Builds, expecting invalid input; returns the errors (warnings left out).
    pub fn build_errors(&self) -> Vec<Diagnostic> {
        match self.build() {
            Ok(_) => panic!("the build succeeded but errors were expected"),
            Err(BuildError::Invalid(list)) => list.into_iter().filter(Diagnostic::is_error).collect(),
            Err(e) => panic!("expected diagnostics, got: {e}"),
        }
    }

    /// Builds expecting exactly one error and returns it.
    pub fn build_error(&self) -> Diagnostic {
        let mut errors = self.build_errors();
        assert_eq!(errors.len(), 1, "expected one error, got:\n{}", render_all(&errors));
        errors.remove(0)
    }

    /// Writes a project file (creating folders), replacing any previous one.
    pub fn write(&self, rel: &str, text: impl AsRef<[u8]>) {
        let path = self.root().join(rel);
        fs::create_dir_all(path.parent().expect("a parent folder")).expect("create folders");
        fs::write(path, text).expect("write project file");
    }

    /// Replaces `from` by `to` in a project file; `from` must be there.
    pub fn edit(&self, rel: &str, from: &str, to: &str) {
        let path = self.root().join(rel);
        let text = fs::read_to_string(&path).expect("read project file");
        assert!(text.contains(from), "{rel} does not contain {from:?}");
        fs::write(path, text.replacen(from, to, 1)).expect("write project file");
    }

    pub fn remove(&self, rel: &str) {
        fs::remove_file(self.root().join(rel)).expect("remove project file");
    }

    /// A file of the default output folder, as text.
    pub fn read(&self, rel: &str) -> String {
        read_out(&self.public(), rel)
    }

    /// A file of the default output folder, as bytes.
    pub fn read_bytes(&self, rel: &str) -> Vec<u8> {
        fs::read(self.public().join(rel)).unwrap_or_else(|e| panic!("read {rel}: {e}"))
    }

    pub fn exists(&self, rel: &str) -> bool {
        self.public().join(rel).exists()
    }
}

/// Every file of an in-memory build (`prepare`) as bytes, with its path, in output order.
pub fn output_files(prepared: &brochure::build::Prepared) -> Vec<(String, Vec<u8>)> {
    assert!(!prepared.rendered.patched, "a build after an edit of bodies holds only what changed: see `served_files`");
    files_of(&prepared.rendered.outputs)
}

/// Every file of a build made in a serve session: after an edit of bodies alone the build
/// holds only the files made again, and the session every file.
pub fn served_files(
    session: &brochure::build::Session,
    prepared: &brochure::build::Prepared,
) -> Vec<(String, Vec<u8>)> {
    match prepared.rendered.patched {
        true => files_of(&session.outputs().expect("the session's files after a good build")),
        false => output_files(prepared),
    }
}

fn files_of(outputs: &[brochure::render::Output]) -> Vec<(String, Vec<u8>)> {
    outputs
        .iter()
        .map(|o| {
            let bytes = match &o.content {
                brochure::render::OutputContent::Bytes(b) => b.to_vec(),
                brochure::render::OutputContent::Copy(path) => fs::read(path).expect("a copied file"),
            };
            (o.path.to_string(), bytes)
        })
        .collect()
}

/// A file of an output folder, as text; fails the test with the folder's listing if missing.
pub fn read_out(out: &Path, rel: &str) -> String {
    fs::read_to_string(out.join(rel)).unwrap_or_else(|e| {
        let listing: Vec<String> = tree(out).keys().map(|p| p.display().to_string()).collect();
        panic!("cannot read {rel}: {e}\noutput holds:\n{}", listing.join("\n"))
    })
}

/// Every file under `dir`: relative path -> bytes, in a stable order.
pub fn tree(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut out = BTreeMap::new();
    collect(dir, dir, &mut out);
    out
}

fn collect(base: &Path, dir: &Path, out: &mut BTreeMap<PathBuf, Vec<u8>>) {
    let Ok(entries) = fs::read_dir(dir) else { return };
    for entry in entries {
        let path = entry.expect("directory entry").path();
        if path.is_dir() {
            collect(base, &path, out);
        } else {
            let rel = path.strip_prefix(base).expect("inside the tree").to_path_buf();
            out.insert(rel, fs::read(&path).expect("read output file"));
        }
    }
}

pub fn copy_tree(from: &Path, to: &Path) {
    fs::create_dir_all(to).expect("create folder");
    for entry in fs::read_dir(from).expect("read fixture folder") {
        let entry = entry.expect("directory entry");
        let dest = to.join(entry.file_name());
        if entry.file_type().expect("file type").is_dir() {
            copy_tree(&entry.path(), &dest);
        } else {
            fs::copy(entry.path(), dest).expect("copy fixture file");
        }
    }
}

/// Every value of `attr="..."` in `html`.
pub fn attribute_values<'a>(html: &'a str, attr: &str) -> Vec<&'a str> {
    let needle = format!(" {attr}=\"");
    let mut out = Vec::new();
    let mut rest = html;
    while let Some(i) = rest.find(&needle) {
        rest = &rest[i + needle.len()..];
        let end = rest.find('"').unwrap_or(rest.len());
        out.push(&rest[..end]);
        rest = &rest[end..];
    }
    out
}

/// Runs `f` on another thread and fails the test if it panics or takes longer than `secs`.
pub fn within<T: Send + 'static>(secs: u64, what: &str, f: impl FnOnce() -> T + Send + 'static) -> T {
    let (tx, rx) = mpsc::channel();
    let handle = thread::spawn(move || {
        let _ = tx.send(f());
    });
    match rx.recv_timeout(Duration::from_secs(secs)) {
        Ok(value) => value,
        Err(mpsc::RecvTimeoutError::Disconnected) => {
            let _ = handle.join();
            panic!("{what}: the build panicked")
        }
        Err(mpsc::RecvTimeoutError::Timeout) => panic!("{what}: the build took longer than {secs} s"),
    }
}

pub fn render_all(list: &[Diagnostic]) -> String {
    list.iter().map(|d| d.render(false)).collect::<Vec<_>>().join("\n")
}

pub fn describe(e: &BuildError) -> String {
    match e {
        BuildError::Invalid(list) => render_all(list),
        other => other.to_string(),
    }
}

/// The one error whose path is `path`; fails listing all errors otherwise.
pub fn error_in<'a>(errors: &'a [Diagnostic], path: &str) -> &'a Diagnostic {
    let found: Vec<&Diagnostic> = errors.iter().filter(|d| d.path.as_deref() == Some(Path::new(path))).collect();
    assert_eq!(found.len(), 1, "expected one error in {path}, got:\n{}", render_all(errors));
    found[0]
}

/// Asserts where a diagnostic points: file, line and column (`None` when not known).
#[track_caller]
pub fn assert_at(d: &Diagnostic, path: &str, line: Option<usize>, column: Option<usize>) {
    assert_eq!(d.path.as_deref(), Some(Path::new(path)), "wrong file:\n{d}");
    assert_eq!((d.line, d.column), (line, column), "wrong line:column:\n{d}");
}

/// The hint of a diagnostic, failing the test if there is none.
#[track_caller]
pub fn hint(d: &Diagnostic) -> &str {
    d.hint.as_deref().unwrap_or_else(|| panic!("no hint:\n{d}"))
}
