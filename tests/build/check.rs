//! `brochure check`: every finding printed rustc-style (compared with a snapshot), JSON for
//! editors, exit codes, `--strict`, and the promise that it writes nothing.

use std::process::Command;

use crate::project::{repo, tree, Project};

/// Runs the binary's `check` on a project with colours off: (exit code, stdout, stderr).
pub fn run_check(p: &Project, args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_brochure"))
        .arg("--root")
        .arg(p.root())
        .arg("check")
        .args(args)
        .env("NO_COLOR", "1")
        .output()
        .expect("run brochure check");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// Compares with `tests/snapshots/<name>`; `UPDATE_SNAPSHOTS=1` rewrites it instead.
pub fn assert_snapshot(name: &str, actual: &str) {
    let path = repo().join("tests/snapshots").join(name);
    if std::env::var_os("UPDATE_SNAPSHOTS").is_some() {
        std::fs::write(&path, actual).expect("write snapshot");
        return;
    }
    let expected =
        std::fs::read_to_string(&path).unwrap_or_else(|_| panic!("no snapshot {name}: run with UPDATE_SNAPSHOTS=1"));
    assert!(
        expected == actual,
        "check output differs from tests/snapshots/{name}:\n--- expected\n{expected}\n--- actual\n{actual}"
    );
}

#[test]
fn check_reports_links_anchors_images_and_translations_like_rustc() {
    let p = Project::fixture("check");
    let (code, _, stderr) = run_check(&p, &[]);
    assert_eq!(code, 1, "errors exit 1");
    assert_snapshot("check.txt", &stderr);
}

#[test]
fn check_json_lists_every_finding_with_its_location() {
    let p = Project::fixture("check");
    let (code, stdout, _) = run_check(&p, &["--format", "json"]);
    assert_eq!(code, 1);
    let report: serde_json::Value = serde_json::from_str(&stdout).expect("JSON on stdout");
    assert_eq!(report["errors"], 5);
    let list = report["diagnostics"].as_array().expect("diagnostics");
    let missing_page =
        list.iter().find(|d| d["message"].as_str().unwrap_or("").contains("chiusa.it.md")).expect("broken link");
    assert_eq!(missing_page["path"], "content/progetto/casa.it.md");
    assert_eq!(missing_page["severity"], "error");
    assert_eq!((&missing_page["line"], &missing_page["column"]), (&18.into(), &69.into()), "where the link is");
    assert_eq!(missing_page["kind"], "broken_link");
    assert!(list.iter().all(|d| d["hint"].is_string()), "every finding says what to do");
}

#[test]
fn warnings_alone_exit_zero_unless_strict() {
    let p = Project::fixture("basic");
    let (code, _, stderr) = run_check(&p, &[]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stderr.contains("warning: this site has no English translation (en)"), "{stderr}");
    assert!(stderr.contains("check: 0 error(s), "), "{stderr}");
    let (strict, _, _) = run_check(&p, &["--strict"]);
    assert_eq!(strict, 1, "--strict fails on warnings");
}

#[test]
fn check_writes_nothing() {
    let p = Project::fixture("check");
    let before = tree(p.root());
    run_check(&p, &[]);
    run_check(&p, &["--format", "json"]);
    assert_eq!(tree(p.root()), before, "check changed the project folder");
    assert!(!p.public().exists(), "check made an output folder");
}

#[test]
fn front_matter_mistakes_are_found_by_check_too() {
    let p = Project::fixture("basic");
    p.edit("content/progetto/casa.it.md", "volunteers: 2", "volunters: 2");
    let (code, _, stderr) = run_check(&p, &[]);
    assert_eq!(code, 1);
    assert!(
        stderr.contains("--> content/progetto/casa.it.md:6:1") && stderr.contains("did you mean `volunteers`?"),
        "{stderr}"
    );
}

#[test]
fn a_draft_translation_and_a_draft_programme_are_explained_not_errors() {
    let p = Project::fixture("basic");
    p.write("content/progetto/biblioteca.en.md", "---\ntitle: \"Library\"\ndraft: true\n---\nText.\n");
    p.write("content/bozza/_index.it.md", "---\ntype: programme\ntitle: \"Bozza\"\ndraft: true\n---\n");
    p.write("content/bozza/sede.it.md", "---\ntitle: \"Sede\"\naddress: \"Via Roma, 1\"\nvolunteers: 1\n---\n");
    let (code, _, stderr) = run_check(&p, &[]);
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stderr.contains("warning: the English translation is a draft: the site shows the Italiano text"),
        "{stderr}"
    );
    assert!(stderr.contains("--> content/progetto/biblioteca.en.md"), "{stderr}");
    p.build_ok();
    assert!(!p.exists("bozza/sede/index.html"), "the sites of a draft programme wait with it");
}

#[test]
fn check_names_each_mistake_by_its_cause_not_by_its_consequences() {
    let p = Project::fixture("basic");
    let page = |title: &str| format!("---\ntitle: \"{title}\"\n---\nTesto.\n");
    // A translation without its original; a misnamed original beside its translation; a
    // front matter never closed beside its translation; two files for one page.
    p.write("content/progetto/harar.en.md", page("Harar"));
    let casa = std::fs::read_to_string(p.root().join("content/progetto/casa.it.md")).unwrap();
    p.remove("content/progetto/casa.it.md");
    p.write("content/progetto/casa.ita.md", casa);
    p.write("content/aperta.it.md", "---\ntitle: \"Aperta\"\n\nTesto.\n");
    p.write("content/aperta.en.md", page("Open"));
    p.write("content/servizio-civile.md", page("Doppione"));
    // Files that look like pages; a translation stating another fact; an impossible fact.
    p.write("content/nota.it.MD", page("Nota"));
    p.write("content/nota.it.md.bak", page("Nota vecchia"));
    p.edit("content/progetto/_index.en.md", "slug:", "year: 2020\nslug:");
    p.edit("content/progetto/biblioteca.it.md", "volunteers: 1", "volunteers: 1\ndays_per_week: 9");
    let (code, _, stderr) = run_check(&p, &[]);
    assert_eq!(code, 1);
    assert_snapshot("check-causes.txt", &stderr);
}

/// `--quiet` prints the errors alone, as it does for every command (check printed every
/// warning and its summary lines all the same).
#[test]
fn quiet_check_prints_the_errors_alone() {
    let p = Project::fixture("check");
    let (code, _, all) = run_check(&p, &[]);
    assert!(all.contains("\nwarning: ") || all.starts_with("warning: "), "the fixture has warnings: {all}");
    let (quiet_code, _, quiet) = run_check(&p, &["--quiet"]);
    assert_eq!(quiet_code, code);
    assert!(quiet.contains("error: "), "{quiet}");
    assert!(!quiet.contains("warning: ") && !quiet.contains("check: "), "{quiet}");
}
