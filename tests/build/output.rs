//! The output folder: replaced whole or not at all, identical from one build to the next,
//! and never a folder that brochure must not overwrite.

use std::fs;
use std::path::PathBuf;

use brochure::write::{WriteError, MARKER};
use brochure::{build, BuildError, BuildOptions};

use crate::project::{tree, Project};

#[test]
fn failed_build_leaves_the_previous_site_byte_for_byte_intact() {
    let p = Project::fixture("basic");
    p.build_ok();
    let before = tree(&p.public());
    assert!(before.len() > 10, "{:?}", before.keys());

    p.edit("content/progetto/casa.it.md", "volunteers: 2", "volunteers: two");
    assert!(matches!(p.build(), Err(BuildError::Invalid(_))));
    assert_eq!(tree(&p.public()), before, "public/ changed after a failed build");

    p.edit("content/progetto/casa.it.md", "volunteers: two", "volunteers: 2\nbroken: [");
    assert!(matches!(p.build(), Err(BuildError::Invalid(_))));
    assert_eq!(tree(&p.public()), before, "public/ changed after a failed build");

    let mut beside: Vec<String> =
        fs::read_dir(p.root()).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    beside.sort();
    assert_eq!(beside, ["config.yaml", "content", "public", "themes"], "staging folders left beside public/");
}

#[test]
fn a_rebuild_replaces_the_previous_output_and_leaves_no_staging_folder() {
    let p = Project::fixture("basic");
    p.build_ok();
    p.remove("content/servizio-civile.en.md");
    p.build_ok();
    assert!(!p.exists("en/civil-service"), "a page removed from content/ must disappear from public/");
    assert!(p.exists("en/servizio-civile/index.html"));
    assert!(p.public().join(MARKER).is_file());
    assert!(!p.root().join(".public.brochure-new").exists());
    assert!(!p.root().join(".public.brochure-old").exists());
}

#[test]
fn two_builds_produce_byte_identical_trees() {
    let p = Project::fixture("basic");
    let into = |name: &str| {
        let output = p.root().join(name);
        build(&BuildOptions { output: Some(output.clone()), ..p.options() }).expect("build");
        tree(&output)
    };
    let first = into("out-1");
    let second = into("out-2");
    assert_eq!(first.keys().collect::<Vec<_>>(), second.keys().collect::<Vec<_>>());
    for (path, bytes) in &first {
        assert!(second[path] == *bytes, "{} differs between two builds", path.display());
    }
}

fn build_into(p: &Project, output: PathBuf) -> Result<brochure::BuildReport, BuildError> {
    build(&BuildOptions { output: Some(output), ..p.options() })
}

#[test]
fn output_into_the_project_or_a_folder_above_it_is_refused() {
    let p = Project::fixture("basic");
    let before = tree(p.root());
    for output in [p.root().to_path_buf(), p.root().join("content/.."), p.root().join("..")] {
        let result = build_into(&p, output.clone());
        assert!(
            matches!(result, Err(BuildError::Write(WriteError::UnsafeOutput { .. }))),
            "{}: {result:?}",
            output.display()
        );
    }
    assert_eq!(tree(p.root()), before, "the project was modified");
}

#[test]
fn output_into_a_folder_holding_content_is_refused() {
    let p = Project::fixture("basic");
    let other = tempfile::tempdir().unwrap();
    fs::create_dir(other.path().join("content")).unwrap();
    fs::write(other.path().join("content/keep.md"), "mine").unwrap();
    let result = build_into(&p, other.path().to_path_buf());
    assert!(matches!(result, Err(BuildError::Write(WriteError::UnsafeOutput { .. }))), "{result:?}");
    assert_eq!(fs::read_to_string(other.path().join("content/keep.md")).unwrap(), "mine");
}

#[test]
fn output_into_the_file_system_root_is_refused() {
    let p = Project::fixture("basic");
    let result = build_into(&p, PathBuf::from("/"));
    assert!(matches!(result, Err(BuildError::Write(WriteError::UnsafeOutput { .. }))), "{result:?}");
}

#[test]
fn a_folder_brochure_did_not_write_is_refused_and_left_intact() {
    let p = Project::fixture("basic");
    let foreign = p.root().join("site");
    fs::create_dir(&foreign).unwrap();
    fs::write(foreign.join("notes.txt"), "precious").unwrap();
    let result = build_into(&p, foreign.clone());
    match &result {
        Err(BuildError::Write(e @ WriteError::ForeignOutput { .. })) => {
            assert!(e.to_string().contains("site"), "{e}");
            assert_eq!(
                e.hint(),
                "move those files away, or choose another folder with --output; brochure only replaces folders it made"
            );
        }
        other => panic!("expected ForeignOutput, got {other:?}"),
    }
    let after = tree(&foreign);
    assert_eq!(after.len(), 1, "{:?}", after.keys());
    assert_eq!(after[&PathBuf::from("notes.txt")], b"precious");
    assert!(!p.root().join(".site.brochure-new").exists());
}

#[test]
fn an_empty_folder_or_a_previous_build_may_be_replaced() {
    let p = Project::fixture("basic");
    let out = p.root().join("empty");
    fs::create_dir(&out).unwrap();
    build_into(&p, out.clone()).expect("an empty folder is fine");
    assert!(out.join("index.html").is_file());
    assert!(out.join(MARKER).is_file());
    build_into(&p, out.clone()).expect("a folder brochure wrote is replaced");
}

/// Runs `brochure build` in the background with the given base URL.
fn spawn_build(p: &Project, base_url: &str) -> std::process::Child {
    std::process::Command::new(env!("CARGO_BIN_EXE_brochure"))
        .args(["build", "--base-url", base_url, "--root"])
        .arg(p.root())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("start brochure build")
}

/// What the project folder holds besides its sources: the output folder and any leftovers.
fn beside_the_sources(p: &Project) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(p.root())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| !["config.yaml", "content", "themes"].contains(&n.as_str()))
        .collect();
    names.sort();
    names
}

/// Sites of the project two builds write at once. 2,000 sites take ten seconds per
/// build in a debug build (QR codes dominate), so the test's default is smaller; run it at
/// full size with `BROCHURE_TEST_SITES=2000 cargo test --test build two_builds_at_once`.
fn overlapping_build_sites() -> usize {
    std::env::var("BROCHURE_TEST_SITES").ok().and_then(|n| n.parse().ok()).unwrap_or(300)
}

#[test]
fn two_builds_at_once_into_the_same_folder_leave_one_complete_site() {
    let sites = overlapping_build_sites();
    let p = Project::generated(sites);
    let started = std::time::Instant::now();
    let alone = spawn_build(&p, "https://aaa.example/").wait_with_output().expect("sequential build");
    assert!(alone.status.success(), "{}", String::from_utf8_lossy(&alone.stderr));
    let one_build = started.elapsed();
    let complete = tree(&p.public()).len();
    assert!(complete > 2 * sites, "{complete} files");
    let last_site = PathBuf::from(format!("prog-{:02}/sede-{:04}/index.html", (sites - 1) / 100, sites - 1));
    // The second build starts at several points of the first one's run: while it reads,
    // renders and writes; each time the result must be one whole site.
    for (round, fraction) in [0.05, 0.5, 0.25, 0.8].into_iter().enumerate() {
        let first = spawn_build(&p, "https://aaa.example/");
        std::thread::sleep(one_build.mul_f64(fraction));
        let second = spawn_build(&p, "https://bbb.example/");
        for (name, child) in [("first", first), ("second", second)] {
            let out = child.wait_with_output().expect("wait for the build");
            assert!(out.status.success(), "round {round}, {name} build:\n{}", String::from_utf8_lossy(&out.stderr));
        }
        let files = tree(&p.public());
        assert_eq!(files.len(), complete, "round {round}: the site is incomplete");
        // One build's site, not a mix of both: the first and the last page name the same address.
        let home = String::from_utf8_lossy(&files[&PathBuf::from("index.html")]).into_owned();
        let base = if home.contains("https://aaa.example/") { "https://aaa.example/" } else { "https://bbb.example/" };
        let last = String::from_utf8_lossy(&files[&last_site]).into_owned();
        assert!(last.contains(base), "round {round}: pages of two different builds");
        assert_eq!(beside_the_sources(&p), ["public"], "round {round}: leftovers beside public/");
    }
}

#[test]
fn output_inside_a_folder_the_build_reads_is_refused_and_nothing_is_written() {
    let p = Project::fixture("basic");
    let before = tree(p.root());
    for output in ["content/public", "content/progetto/sito", "themes/default/static/out", "themes/altro"] {
        for _ in 0..2 {
            let result = build_into(&p, p.root().join(output));
            match &result {
                Err(BuildError::Write(e @ WriteError::UnsafeOutput { .. })) => {
                    assert!(e.to_string().contains("inside content/ or themes/"), "{output}: {e}")
                }
                other => panic!("{output}: expected a refusal, got {other:?}"),
            }
        }
    }
    // Given relative to the working folder, as on the command line.
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_brochure"))
        .args(["build", "--output", "content/public"])
        .current_dir(p.root())
        .env("NO_COLOR", "1")
        .output()
        .expect("run brochure");
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("inside content/ or themes/"));
    assert_eq!(tree(p.root()), before, "the project was modified");
}

#[test]
fn the_output_folder_never_goes_missing_while_a_build_replaces_it() {
    use std::sync::atomic::{AtomicBool, Ordering};
    use std::sync::Arc;
    let p = Project::fixture("basic");
    p.build_ok();
    let index = p.public().join("index.html");
    let done = Arc::new(AtomicBool::new(false));
    // Someone (a web server, a sync tool) looks at the site all the time.
    let watcher = {
        let (done, index) = (Arc::clone(&done), index.clone());
        std::thread::spawn(move || {
            let (mut looks, mut missing) = (0u64, 0u64);
            while !done.load(Ordering::SeqCst) {
                looks += 1;
                if fs::metadata(&index).is_err() {
                    missing += 1;
                }
            }
            (looks, missing)
        })
    };
    for _ in 0..60 {
        p.build_ok();
    }
    done.store(true, Ordering::SeqCst);
    let (looks, missing) = watcher.join().expect("watcher");
    assert!(looks > 1000, "the watcher hardly ran ({looks} looks)");
    assert_eq!(missing, 0, "public/index.html was missing {missing} times in {looks} looks during 60 builds");
}

#[test]
fn leftovers_of_an_interrupted_build_are_removed_and_foreign_folders_kept() {
    let p = Project::fixture("basic");
    p.build_ok();
    // What a build killed halfway leaves: its staging folder, marked as ours.
    let leftover = p.root().join(".public.brochure-new-4242-0");
    fs::create_dir_all(leftover.join("progetto")).unwrap();
    fs::write(leftover.join(MARKER), "").unwrap();
    fs::write(leftover.join("progetto/index.html"), "half").unwrap();
    // A folder with a similar name that brochure did not make.
    let foreign = p.root().join(".public.brochure-new-notes");
    fs::create_dir(&foreign).unwrap();
    fs::write(foreign.join("mine.txt"), "keep").unwrap();
    p.build_ok();
    assert!(!leftover.exists(), "the leftover staging folder was not removed");
    assert_eq!(fs::read_to_string(foreign.join("mine.txt")).unwrap(), "keep");
    assert_eq!(beside_the_sources(&p), [".public.brochure-new-notes", "public"]);
}

/// An output folder that is a link (`public -> /var/www/site`) is written through: the site
/// replaces the folder the link leads to and the link stays. The link was swapped as if it
/// were the folder: it became the "old site" to delete, and the web root it led to was
/// emptied. A staging name left as such a link by that version is removed, not followed.
#[cfg(unix)]
#[test]
fn an_output_folder_that_is_a_link_is_written_through_and_its_target_kept_whole() {
    let p = Project::fixture("basic");
    let www = tempfile::tempdir().unwrap();
    let site = www.path().join("site");
    build_into(&p, site.clone()).unwrap();
    let first = tree(&site);
    assert!(first.len() > 5, "{first:?}");
    let link = p.root().join("public");
    std::os::unix::fs::symlink(&site, &link).unwrap();
    let old_leftover = p.root().join(".public.brochure-new-4242-0");
    std::os::unix::fs::symlink(&site, &old_leftover).unwrap();
    p.edit("content/progetto/casa.it.md", "---\n", "---\ndescription: \"Una casa nuova\"\n");
    p.build_ok();
    assert!(fs::symlink_metadata(&link).unwrap().file_type().is_symlink(), "public is still the link");
    assert_eq!(fs::read_link(&link).unwrap(), site);
    let second = tree(&site);
    assert_eq!(
        second.keys().collect::<Vec<_>>(),
        first.keys().collect::<Vec<_>>(),
        "the web root holds the whole site"
    );
    assert!(String::from_utf8_lossy(&second[&PathBuf::from("progetto/casa/index.html")]).contains("Una casa nuova"));
    assert!(fs::symlink_metadata(&old_leftover).is_err(), "the old staging link was removed");
    assert_eq!(beside_the_sources(&p), ["public"]);
    let around: Vec<_> = fs::read_dir(www.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
    assert_eq!(around, ["site"], "no staging folder or lock left beside the web root");
}

/// A link to a folder that does not exist is refused, and left as it is.
#[cfg(unix)]
#[test]
fn an_output_link_to_nothing_is_refused() {
    let p = Project::fixture("basic");
    let link = p.root().join("public");
    std::os::unix::fs::symlink(p.root().join("gone/site"), &link).unwrap();
    match p.build() {
        Err(BuildError::Write(WriteError::UnsafeOutput { why, .. })) => {
            assert!(why.contains("does not exist"), "{why}")
        }
        other => panic!("expected a refusal, got {other:?}"),
    }
    assert!(fs::symlink_metadata(&link).unwrap().file_type().is_symlink());
}

/// A disk that cannot take the new site (here every file over 4 KB is refused, as a full
/// disk refuses every file) is reported once, and the previous site stays. Each file that
/// could not be written had its own error: about a hundred for the real site.
#[cfg(unix)]
#[test]
fn a_disk_that_refuses_the_files_is_reported_once_and_the_previous_site_stays() {
    let p = Project::fixture("basic");
    p.build_ok();
    let before = tree(&p.public());
    p.edit("content/progetto/casa.it.md", "\n---\n", "\n---\nUna frase nuova.\n\n");
    // The shell ignores the signal a file over the limit sends, so the write fails instead,
    // and the limit (in blocks of 512 bytes) and the ignored signal pass on to brochure.
    let out = std::process::Command::new("sh")
        .arg("-c")
        .arg("trap '' XFSZ; ulimit -f 8; exec \"$0\" build --root \"$1\"")
        .arg(env!("CARGO_BIN_EXE_brochure"))
        .arg(p.root())
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "{said}");
    let errors: Vec<&str> = said.lines().filter(|l| l.starts_with("error")).collect();
    assert_eq!(errors.len(), 1, "{said}");
    assert!(errors[0].contains("cannot write") && errors[0].contains("File too large"), "{said}");
    assert!(said.contains("1 error(s) found; nothing was written, the previous site is untouched"), "{said}");
    assert_eq!(tree(&p.public()), before, "the previous site changed");
    assert_eq!(beside_the_sources(&p), ["public"], "a staging folder was left");
}
