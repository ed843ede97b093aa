//! The `brochure` binary: exit codes, the summary line, rustc-style errors, overrides.

use std::process::{Command, Output};

use crate::project::{read_out, Project};

fn brochure(p: &Project, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_brochure"))
        .arg("build")
        .arg("--root")
        .arg(p.root())
        .args(args)
        .env("NO_COLOR", "1")
        .output()
        .expect("run brochure")
}

fn stderr(out: &Output) -> String {
    String::from_utf8(out.stderr.clone()).expect("UTF-8 on stderr")
}

#[test]
fn build_exits_zero_and_prints_the_summary_line() {
    let p = Project::fixture("basic");
    let out = brochure(&p, &[]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(0), "{err}");
    assert!(out.stdout.is_empty(), "nothing belongs on stdout: {:?}", String::from_utf8_lossy(&out.stdout));
    assert!(p.read("index.html").contains("<html lang=\"it\""));

    // `Built N pages in 2 languages (it X, en Y) in T ms`, with the library's counts.
    let summary = err.lines().last().unwrap_or_default();
    let report = p.build_ok();
    let (it, en) = (report.pages_per_language["it"], report.pages_per_language["en"]);
    assert!(it >= 5 && en >= 4, "{summary}");
    let prefix = format!("Built {} pages in 2 languages (it {it}, en {en}) in ", it + en);
    let ms = summary
        .strip_prefix(&prefix)
        .and_then(|rest| rest.strip_suffix(" ms"))
        .unwrap_or_else(|| panic!("expected `{prefix}... ms`, got:\n{err}"));
    assert!(ms.parse::<u64>().is_ok(), "{summary}");
}

#[test]
fn build_error_exits_one_with_a_rustc_style_message() {
    let p = Project::fixture("basic");
    p.edit("content/progetto/casa.it.md", "volunteers: 2", "volunteers: two");
    let out = brochure(&p, &[]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    let lines: Vec<&str> = err.lines().collect();
    let i = lines
        .iter()
        .position(|l| l.starts_with("error: ") && l.contains("must be a whole number"))
        .unwrap_or_else(|| panic!("{err}"));
    assert_eq!(lines[i + 1].trim_start(), "--> content/progetto/casa.it.md:6:13", "{err}");
    assert!(err.contains("6 | volunteers: two"), "{err}");
    assert!(err.contains("= help: "), "{err}");
    assert!(!p.public().exists(), "nothing may be written on error");
}

#[test]
fn no_color_output_has_no_ansi_escapes() {
    let p = Project::fixture("basic");
    let ok = brochure(&p, &[]);
    p.edit("content/progetto/casa.it.md", "volunteers: 2", "volunteers: two");
    let failed = brochure(&p, &[]);
    for out in [ok, failed] {
        assert!(!stderr(&out).contains('\x1b'), "{:?}", stderr(&out));
    }
}

#[test]
fn output_and_base_url_flags_override_the_config() {
    let p = Project::fixture("basic");
    let dest = p.root().join("preview");
    let out = brochure(&p, &["--output", dest.to_str().unwrap(), "--base-url", "http://localhost:8000/anteprima/"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(!p.public().exists(), "--output must replace public/");
    let home = read_out(&dest, "index.html");
    assert!(home.contains("<link rel=\"canonical\" href=\"http://localhost:8000/anteprima/\">"), "{home}");
    assert!(home.contains("href=\"/anteprima/css/site.css\""), "{home}");
    assert!(read_out(&dest, "robots.txt").contains("Sitemap: http://localhost:8000/anteprima/sitemap.xml"));
}

#[test]
fn invalid_base_url_flag_is_an_error() {
    let p = Project::fixture("basic");
    let out = brochure(&p, &["--base-url", "localhost:8000"]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.starts_with("error: --base-url"), "{err}");
    assert!(err.contains("= help: "), "{err}");
}

/// Runs `brochure <args>` with stderr going into a pipe nobody reads: closed at once, as
/// `brochure build 2>&1 | head -0` or a reader that quit early leaves it.
fn exit_code_with_closed_stderr(p: &Project, args: &[&str]) -> Option<i32> {
    let mut child = Command::new(env!("CARGO_BIN_EXE_brochure"))
        .args(args)
        .arg("--root")
        .arg(p.root())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("run brochure");
    drop(child.stderr.take());
    child.wait().expect("wait for brochure").code()
}

#[test]
fn a_closed_stderr_pipe_is_no_panic_and_the_exit_code_is_the_builds() {
    let p = Project::fixture("basic");
    assert_eq!(exit_code_with_closed_stderr(&p, &["build", "--verbose"]), Some(0), "a good build");
    assert_eq!(exit_code_with_closed_stderr(&p, &["check"]), Some(0), "a clean check");
    p.edit("content/progetto/casa.it.md", "volunteers: 2", "volunteers: two");
    assert_eq!(exit_code_with_closed_stderr(&p, &["build"]), Some(1), "a failed build");
    assert_eq!(exit_code_with_closed_stderr(&p, &["check"]), Some(1), "a check finding errors");
}
