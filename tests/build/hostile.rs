//! Files a writer's tools or an attacker may produce: each gives a clear error or builds,
//! never a panic or a hang.

use std::path::Path;

use brochure::{BuildError, BuildReport};

use crate::project::{assert_at, hint, render_all, within, Project};

const CASA: &str = "content/progetto/casa.it.md";

/// Builds on another thread, failing the test on a panic or after a minute.
fn build_in_time(p: Project, what: &str) -> (Project, Result<BuildReport, BuildError>) {
    within(60, what, move || {
        let result = p.build();
        (p, result)
    })
}

/// Builds in time, expecting exactly one error, located in `path`.
fn one_error_in(p: Project, path: &str, what: &str) -> brochure::Diagnostic {
    let (_p, result) = build_in_time(p, what);
    let errors = match result {
        Err(BuildError::Invalid(list)) => list.into_iter().filter(brochure::Diagnostic::is_error).collect::<Vec<_>>(),
        other => panic!("{what}: expected an error, got {other:?}"),
    };
    assert_eq!(errors.len(), 1, "{what}:\n{}", render_all(&errors));
    let e = errors.into_iter().next().unwrap();
    assert_eq!(e.path.as_deref(), Some(std::path::Path::new(path)), "{e}");
    assert!(e.hint.is_some(), "{what}: no hint\n{e}");
    e
}

#[test]
fn byte_order_mark_is_ignored() {
    let p = Project::fixture("basic");
    let text = std::fs::read_to_string(p.root().join(CASA)).unwrap();
    p.write(CASA, format!("\u{feff}{text}"));
    let config = std::fs::read_to_string(p.root().join("config.yaml")).unwrap();
    p.write("config.yaml", format!("\u{feff}{config}"));
    let (p, result) = build_in_time(p, "BOM");
    result.expect("a BOM must not break the build");
    let html = p.read("progetto/casa/index.html");
    assert!(html.contains("<h1>Sportello Casa</h1>"), "{html}");
    assert!(!html.contains('\u{feff}'));
}

#[test]
fn crlf_line_endings_build_and_errors_keep_their_line() {
    let p = Project::fixture("basic");
    let text = std::fs::read_to_string(p.root().join(CASA)).unwrap();
    p.write(CASA, text.replace('\n', "\r\n"));
    let (p, result) = build_in_time(p, "CRLF");
    result.expect("CRLF files must build");
    let html = p.read("progetto/casa/index.html");
    assert!(html.contains("<h1>Sportello Casa</h1>"), "{html}");
    assert!(html.contains("<dd>Via Larga, 12, Milano</dd>"), "{html}");
    assert!(!html.contains('\r'), "carriage returns leaked into the page");

    p.edit(CASA, "volunteers: 2", "volunteers: two");
    let e = one_error_in(p, CASA, "CRLF with an error");
    assert_at(&e, CASA, Some(6), Some(13));
    assert_eq!(e.snippet.as_deref(), Some("volunteers: two"));
}

#[test]
fn empty_file_is_reported_as_having_no_front_matter() {
    let p = Project::fixture("basic");
    p.write("content/vuota.it.md", "");
    let e = one_error_in(p, "content/vuota.it.md", "empty file");
    assert_eq!(e.message, "the file has no front matter");
}

#[test]
fn file_with_only_front_matter_builds_an_empty_page() {
    let p = Project::fixture("basic");
    p.write("content/solo.it.md", "---\ntitle: \"Solo titolo\"\n---");
    let (p, result) = build_in_time(p, "only front matter");
    result.expect("a page without body must build");
    assert!(p.read("solo/index.html").contains("<h1>Solo titolo</h1>"));
}

#[test]
fn empty_front_matter_reports_the_missing_title() {
    let p = Project::fixture("basic");
    p.write("content/senza.it.md", "---\n---\nTesto.\n");
    let (_p, result) = build_in_time(p, "empty front matter");
    let Err(BuildError::Invalid(errors)) = result else { panic!("expected an error, got {result:?}") };
    // How many times it is reported is `diagnostics::missing_page_title_is_reported_once`.
    assert!(!errors.is_empty());
    for e in errors.iter().filter(|e| e.is_error()) {
        assert_eq!(e.message, "this page has no `title`", "{e}");
        assert_at(e, "content/senza.it.md", Some(1), Some(1));
    }
}

#[test]
fn invalid_utf8_is_located() {
    let p = Project::fixture("basic");
    // "Caffè" saved as Latin-1.
    p.write("content/caffe.it.md", b"---\ntitle: \"Caff\xe8\"\n---\nTesto.\n");
    let e = one_error_in(p, "content/caffe.it.md", "invalid UTF-8");
    assert_eq!(e.message, "the file is not valid UTF-8 text");
    assert_at(&e, "content/caffe.it.md", Some(2), Some(13));
    assert!(hint(&e).contains("UTF-8"));
}

#[test]
fn yaml_alias_bomb_is_refused_quickly() {
    let p = Project::fixture("basic");
    let mut front = String::from("---\ntitle: \"Bomba\"\nactivities: [&a [x,x,x,x,x,x,x,x,x]");
    for (name, prev) in ["b", "c", "d", "e", "f", "g", "h", "i"].iter().zip(["a", "b", "c", "d", "e", "f", "g", "h"]) {
        front.push_str(&format!(", &{name} [{}]", vec![format!("*{prev}"); 9].join(",")));
    }
    front.push_str("]\naddress: \"Via Roma, 1\"\nvolunteers: 1\n---\nTesto.\n");
    p.write("content/progetto/bomba.it.md", front);
    one_error_in(p, "content/progetto/bomba.it.md", "alias bomb in a site");

    let p = Project::fixture("basic");
    let mut front =
        String::from("---\na: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n");
    for (name, prev) in ["b", "c", "d", "e", "f", "g", "h", "i"].iter().zip(["a", "b", "c", "d", "e", "f", "g", "h"]) {
        front.push_str(&format!("{name}: &{name} [{}]\n", vec![format!("*{prev}"); 9].join(",")));
    }
    front.push_str("title: \"Bomba\"\n---\nTesto.\n");
    p.write("content/bomba.it.md", front);
    one_error_in(p, "content/bomba.it.md", "classic alias bomb");
}

#[test]
fn deeply_nested_yaml_is_refused_without_overflowing_the_stack() {
    let p = Project::fixture("basic");
    p.write("content/profonda.it.md", format!("---\ntitle: {}\n---\nTesto.\n", "[".repeat(10_000)));
    one_error_in(p, "content/profonda.it.md", "10,000 nested lists");
}

/// Its size to a tenth: a 2.5 MiB file was "2 MiB, larger than the 2 MiB".
#[test]
fn a_file_over_the_size_limit_is_refused_with_its_size() {
    let p = Project::fixture("basic");
    let body = "Una riga di testo abbastanza lunga per riempire il file.\n".repeat(5 * 1024 * 1024 / 2 / 56 + 1);
    p.write("content/enorme.it.md", format!("---\ntitle: \"Enorme\"\n---\n{body}"));
    let e = one_error_in(p, "content/enorme.it.md", "2.5 MiB file");
    assert!(e.message.contains("the file is 2.5 MiB, larger than the 2 MiB a page may be"), "{e}");
}

#[test]
fn symbolic_links_out_of_the_project_are_refused_and_links_inside_are_followed() {
    let p = Project::fixture("basic");
    let outside = tempfile::tempdir().expect("outside folder");
    std::fs::write(outside.path().join("secret.it.md"), "---\ntitle: \"Secret\"\n---\nsecret\n").expect("write");
    std::os::unix::fs::symlink(outside.path().join("secret.it.md"), p.root().join("content/segreto.it.md"))
        .expect("link");
    std::os::unix::fs::symlink(outside.path(), p.root().join("themes/default/static/escape")).expect("link");
    let errors = p.build_errors();
    let out: Vec<_> = errors.iter().filter(|d| d.message.contains("points outside the project")).collect();
    assert_eq!(out.len(), 2, "{}", crate::project::render_all(&errors));
    assert!(out.iter().any(|d| d.path.as_deref() == Some(Path::new("content/segreto.it.md"))));
    std::fs::remove_file(p.root().join("content/segreto.it.md")).expect("unlink");
    std::fs::remove_file(p.root().join("themes/default/static/escape")).expect("unlink");
    // A link that stays inside the project is fine.
    std::os::unix::fs::symlink(p.root().join("content/servizio-civile.it.md"), p.root().join("content/alias.it.md"))
        .expect("link");
    p.build_ok();
    assert!(p.exists("alias/index.html"));
}

#[test]
fn a_folder_link_out_of_the_project_is_reported_once_and_never_entered() {
    let p = Project::fixture("basic");
    let outside = tempfile::tempdir().expect("outside folder");
    for i in 0..30 {
        std::fs::write(outside.path().join(format!("pagina-{i}.it.md")), "---\ntitle: \"Fuori\"\n---\n").unwrap();
    }
    std::fs::create_dir(outside.path().join("sotto")).unwrap();
    std::fs::write(outside.path().join("sotto/profonda.it.md"), "---\ntitle: \"Profonda\"\n---\n").unwrap();
    // A loop that only a walk entering the folder would meet.
    std::os::unix::fs::symlink(outside.path(), outside.path().join("sotto/giro")).unwrap();
    std::os::unix::fs::symlink(outside.path(), p.root().join("content/fuori")).unwrap();
    std::os::unix::fs::symlink(outside.path(), p.root().join("themes/default/static/fuori")).unwrap();
    let (_p, result) = build_in_time(p, "a folder link out of the project");
    let Err(BuildError::Invalid(found)) = result else { panic!("expected errors, got {result:?}") };
    let found: Vec<_> = found.into_iter().filter(|d| d.is_error()).collect();
    let paths: Vec<String> =
        found.iter().map(|d| d.path.as_deref().unwrap_or(Path::new("?")).display().to_string()).collect();
    assert_eq!(paths, ["content/fuori", "themes/default/static/fuori"], "{}", render_all(&found));
    assert!(
        found.iter().all(|d| d.message == "this symbolic link points outside the project"),
        "{}",
        render_all(&found)
    );
}

#[test]
fn an_enormous_number_of_volunteers_does_not_overflow() {
    let p = Project::fixture("basic");
    p.edit("content/progetto/casa.it.md", "volunteers: 2", "volunteers: 4294967295");
    p.build_ok();
    assert!(p.read("index.html").contains("4.294.967.295 volontari"));
}
