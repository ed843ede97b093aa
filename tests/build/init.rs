//! `brochure init`: a new project builds and passes `check` at once, from the binary alone,
//! never over an existing project; the theme it writes is the repository's.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use brochure::config::Config;
use brochure::scaffold::init::{init, StarterLanguage, DEFAULT_THEME};
use brochure::{BuildOptions, Kind};

use crate::project::{copy_tree, describe, read_out, render_all, repo, tree};

fn run(cwd: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_brochure"))
        .current_dir(cwd)
        .args(args)
        .env("NO_COLOR", "1")
        .output()
        .expect("run brochure")
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// The theme as embedded, keyed like [`tree`].
fn embedded_theme() -> Vec<(PathBuf, Vec<u8>)> {
    DEFAULT_THEME.iter().map(|(rel, bytes)| (rel.split('/').collect::<PathBuf>(), bytes.to_vec())).collect()
}

#[test]
fn a_new_project_builds_and_checks_with_only_the_placeholder_address_warning() {
    for (language, first, second, programme) in [
        (StarterLanguage::Italian, "it", "en", "progetto-esempio/sede-esempio"),
        (StarterLanguage::English, "en", "it", "example-programme/example-site"),
    ] {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("nuovo-sito");
        let made = init(&dir, language).unwrap_or_else(|e| panic!("{e}"));
        assert!(made.files.contains(&"config.yaml".to_string()), "{:?}", made.files);

        let opts = BuildOptions { root: dir.clone(), ..Default::default() };
        let found = brochure::build::check(&opts);
        assert_eq!(
            found.iter().map(|d| (d.kind, d.is_error())).collect::<Vec<_>>(),
            [(Kind::PlaceholderAddress, false)],
            "{first}: {}",
            render_all(&found)
        );
        let report = brochure::build(&opts).unwrap_or_else(|e| panic!("{first}: {}", describe(&e)));
        assert_eq!(report.warnings.iter().map(|d| d.kind).collect::<Vec<_>>(), [Kind::PlaceholderAddress]);

        let config = Config::load(&dir.join("config.yaml"), Path::new("config.yaml")).unwrap();
        assert_eq!(config.default_language, first);
        let codes: Vec<&str> = config.languages.iter().map(|l| l.code.as_str()).collect();
        assert_eq!(codes, [first, second]);
        // The example site is published in both languages, its facts in its card.
        let out = dir.join("public");
        let page = read_out(&out, &format!("{programme}/index.html"));
        assert!(page.contains(&format!("<html lang=\"{first}\"")), "{page}");
        assert!(page.contains("1.145") || page.contains("1,145"), "the year's hours: {page}");
        let translated = read_out(&out, &format!("{second}/{programme}/index.html"));
        assert!(translated.contains(&format!("<html lang=\"{second}\"")), "{translated}");
        let home = read_out(&out, "index.html");
        let folder = programme.split('/').next().unwrap_or_default();
        assert!(home.contains(&format!("/{folder}/\"")), "the home page links the programme: {home}");
    }
}

#[test]
fn the_notes_in_the_new_files_tell_the_truth() {
    // The site's note says `brochure new site progetto-esempio NAME` adds a site, and the
    // translations' notes say `brochure stamp` records their source's version: both work.
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    init(dir, StarterLanguage::Italian).unwrap();
    let config = Config::load(&dir.join("config.yaml"), Path::new("config.yaml")).unwrap();
    let note = fs::read_to_string(dir.join("content/progetto-esempio/sede-esempio.it.md")).unwrap();
    assert!(note.contains("brochure new site progetto-esempio NOME"), "{note}");
    brochure::scaffold::new_site(dir, &config, "progetto-esempio", "seconda-sede").unwrap();
    let opts = BuildOptions { root: dir.to_path_buf(), drafts: true, ..Default::default() };
    brochure::build(&opts).unwrap_or_else(|e| panic!("{}", describe(&e)));

    let translation = dir.join("content/progetto-esempio/sede-esempio.en.md");
    let before = fs::read(&translation).unwrap();
    brochure::scaffold::stamp(dir, &config, Path::new("content/progetto-esempio/sede-esempio.en.md")).unwrap();
    assert_eq!(fs::read(&translation).unwrap(), before, "init wrote the source's current stamp");
}

#[test]
fn init_refuses_a_folder_with_a_project_and_changes_nothing() {
    let cases: [(&str, &[&str]); 4] = [
        ("config.yaml", &["config.yaml"]),
        ("content", &["content/"]),
        ("themes", &["themes/"]),
        ("real", &["config.yaml", "content/", "themes/"]),
    ];
    for (case, named) in cases {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("progetto");
        fs::create_dir(&dir).unwrap();
        match case {
            "config.yaml" => fs::write(dir.join("config.yaml"), "title: mine\n").unwrap(),
            "content" => fs::create_dir(dir.join("content")).unwrap(),
            "themes" => copy_tree(&repo().join("themes"), &dir.join("themes")),
            _ => {
                fs::copy(repo().join("config.yaml"), dir.join("config.yaml")).unwrap();
                copy_tree(&repo().join("content"), &dir.join("content"));
                copy_tree(&repo().join("themes"), &dir.join("themes"));
            }
        }
        let before = tree(&dir);
        let dirs_before = folders(&dir);
        let out = run(tmp.path(), &["init", "progetto"]);
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(1), "{case}: {err}");
        let first = err.lines().next().unwrap_or_default();
        assert_eq!(first, format!("error: the folder progetto already holds a project: {}", named.join(", ")));
        assert!(err.contains("= help: `brochure init` never writes over a project"), "{err}");
        assert_eq!(tree(&dir), before, "{case}: a file changed");
        assert_eq!(folders(&dir), dirs_before, "{case}: a folder was made");
    }
}

/// Every folder under `dir`, sorted.
fn folders(dir: &Path) -> Vec<PathBuf> {
    let mut found: Vec<PathBuf> = walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_dir())
        .map(|e| e.path().to_path_buf())
        .collect();
    found.sort();
    found
}

#[test]
fn init_accepts_a_folder_with_unrelated_files_and_keeps_them() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    fs::create_dir_all(dir.join(".git")).unwrap();
    fs::write(dir.join(".git/HEAD"), "ref: refs/heads/main\n").unwrap();
    fs::write(dir.join("README.md"), "# Our site\n").unwrap();
    init(dir, StarterLanguage::Italian).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(fs::read_to_string(dir.join(".git/HEAD")).unwrap(), "ref: refs/heads/main\n");
    assert_eq!(fs::read_to_string(dir.join("README.md")).unwrap(), "# Our site\n");
    assert!(dir.join("content/_index.it.md").is_file());
}

#[test]
fn the_embedded_theme_is_the_repository_theme_file_by_file() {
    // build.rs embeds themes/default/; if this fails, the binary was built from another copy.
    let on_disk: Vec<(PathBuf, Vec<u8>)> = tree(&repo().join("themes/default"))
        .into_iter()
        .filter(|(rel, _)| {
            rel.iter().all(|part| !part.to_string_lossy().starts_with('.') && !part.to_string_lossy().ends_with('~'))
        })
        .collect();
    let embedded = embedded_theme();
    let names = |files: &[(PathBuf, Vec<u8>)]| files.iter().map(|(p, _)| p.clone()).collect::<Vec<_>>();
    assert_eq!(names(&embedded), names(&on_disk), "the same files");
    for ((rel, embedded), (_, disk)) in embedded.iter().zip(&on_disk) {
        assert!(embedded == disk, "{} differs from themes/default/{}", rel.display(), rel.display());
    }
}

#[test]
fn the_binary_alone_makes_and_builds_a_project_in_an_empty_folder() {
    // cwd is a folder with no themes/ anywhere near: the theme comes from the binary.
    let tmp = tempfile::tempdir().unwrap();
    let out = run(tmp.path(), &["init"]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(0), "{err}");
    assert!(out.stdout.is_empty(), "messages go to stderr");
    let here = std::path::absolute(tmp.path()).unwrap().display().to_string();
    assert!(err.starts_with(&format!("Created a brochure project in {here}/:")), "{err}");
    assert!(err.contains("Next: brochure serve"), "{err}");

    let theme: Vec<(PathBuf, Vec<u8>)> = tree(&tmp.path().join("themes/default")).into_iter().collect();
    assert!(theme == embedded_theme(), "the written theme is the embedded one");

    let built = run(tmp.path(), &["build"]);
    assert_eq!(built.status.code(), Some(0), "{}", stderr(&built));
    assert!(stderr(&built).contains("placeholder address"), "{}", stderr(&built));
    assert!(read_out(&tmp.path().join("public"), "index.html").contains("Servizio civile – Il mio ente"));
}

#[test]
fn init_with_a_folder_name_creates_it_and_says_where_to_go() {
    let tmp = tempfile::tempdir().unwrap();
    let out = run(tmp.path(), &["init", "--language", "en", "my-site"]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(0), "{err}");
    assert!(err.contains("Next: cd my-site, then brochure serve"), "{err}");
    assert!(tmp.path().join("my-site/content/example-programme/example-site.en.md").is_file());
}

#[test]
fn version_prints_the_package_version() {
    let out = run(&repo(), &["--version"]);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(String::from_utf8_lossy(&out.stdout), format!("brochure {}\n", env!("CARGO_PKG_VERSION")));
}
