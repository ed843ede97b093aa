//! Mistakes in front matter: each is reported with its message, the file, the line of the
//! file (not of the front-matter block), the column where known, and a hint.

use crate::project::{assert_at, error_in, hint, render_all, Project};

const CASA: &str = "content/progetto/casa.it.md";
const BIBLIOTECA: &str = "content/progetto/biblioteca.it.md";

/// Column (1-based) of `needle` on `line` (1-based) of a project file.
fn column_of(p: &Project, rel: &str, line: usize, needle: &str) -> usize {
    let text = std::fs::read_to_string(p.root().join(rel)).unwrap();
    let l = text.lines().nth(line - 1).unwrap();
    l[..l.find(needle).unwrap_or_else(|| panic!("{needle} not on line {line}: {l}"))].chars().count() + 1
}

#[test]
fn unknown_front_matter_key_suggests_the_closest_one() {
    let p = Project::fixture("basic");
    p.edit(CASA, "volunteers: 2", "volunters: 2");
    let e = p.build_error();
    assert!(e.message.contains("unknown field `volunters`"), "{e}");
    assert_at(&e, CASA, Some(6), Some(1));
    assert_eq!(hint(&e), "did you mean `volunteers`?");
    assert_eq!(e.snippet.as_deref(), Some("volunters: 2"));
}

#[test]
fn yaml_syntax_error_points_at_the_line_of_the_file() {
    let p = Project::fixture("basic");
    // Line 5 of the file, line 4 of the front-matter block.
    p.edit(CASA, "city: \"Milano\"", "city: Milano: centro");
    let e = p.build_error();
    assert_eq!(e.message, "the value of `city` has a second `: ` in it");
    assert_at(&e, CASA, Some(5), Some(13));
    assert_eq!(e.snippet.as_deref(), Some("city: Milano: centro"));
    assert_eq!(hint(&e), "put the value in double quotes: `city: \"Milano: centro\"`");
}

#[test]
fn wrong_type_names_the_expected_kind_in_words() {
    let p = Project::fixture("basic");
    p.edit(CASA, "volunteers: 2", "volunteers: two");
    let e = p.build_error();
    assert_eq!(e.message, "`volunteers` must be a whole number, not `two`");
    assert_at(&e, CASA, Some(6), Some(13));
    assert!(hint(&e).contains("digits"), "{e}");
}

#[test]
fn missing_required_field_is_named() {
    let p = Project::fixture("basic");
    p.edit(BIBLIOTECA, "address: \"Piazza Duomo, 1\"\n", "");
    let e = p.build_error();
    assert_eq!(e.message, "this site has no `address`");
    assert_at(&e, BIBLIOTECA, Some(1), Some(1));
    assert!(hint(&e).contains("address:"), "{e}");
}

#[test]
fn unknown_requirement_suggests_the_closest_declared_key() {
    let p = Project::fixture("basic");
    p.edit(BIBLIOTECA, "obligations: [travel]", "requirements: { required: [englsh] }\nobligations: [travel]");
    let e = p.build_error();
    assert_eq!(e.message, "unknown requirement `englsh`");
    assert_at(&e, BIBLIOTECA, Some(8), Some(column_of(&p, BIBLIOTECA, 8, "englsh")));
    assert!(hint(&e).contains("did you mean `english`?"), "{e}");
}

#[test]
fn unknown_obligation_suggests_the_closest_declared_key() {
    let p = Project::fixture("basic");
    p.edit(BIBLIOTECA, "obligations: [travel]", "obligations: [travl]");
    let e = p.build_error();
    assert_eq!(e.message, "unknown obligation `travl`");
    assert_at(&e, BIBLIOTECA, Some(8), Some(15));
    assert!(hint(&e).contains("did you mean `travel`?"), "{e}");
}

#[test]

fn a_mistake_inherited_by_a_translation_is_reported_once_on_the_source_file() {
    let p = Project::fixture("basic");
    // casa.en.md inherits the requirements of casa.it.md.
    p.edit(CASA, "required: [english]", "required: [englsh]");
    let errors = p.build_errors();
    assert_eq!(errors.len(), 1, "{}", render_all(&errors));
    assert_at(&errors[0], CASA, Some(8), Some(column_of(&p, CASA, 8, "englsh")));
}

#[test]

fn missing_page_title_is_reported_once() {
    let p = Project::fixture("basic");
    p.write("content/senza.it.md", "---\ndescription: \"Senza titolo\"\n---\nTesto.\n");
    let e = p.build_error();
    assert_eq!(e.message, "this page has no `title`");
    assert_at(&e, "content/senza.it.md", Some(1), Some(1));
    assert!(hint(&e).contains("title:"), "{e}");
}

#[test]
fn duplicate_site_codes_name_both_files() {
    let p = Project::fixture("basic");
    p.edit(BIBLIOTECA, "code: \"10002\"", "code: \"10001\"");
    let e = p.build_error();
    assert_eq!(e.message, "the site code 10001 is used twice");
    let (here, other) =
        if e.path.as_deref() == Some(std::path::Path::new(CASA)) { (CASA, BIBLIOTECA) } else { (BIBLIOTECA, CASA) };
    assert_at(&e, here, Some(3), Some(8));
    assert!(hint(&e).contains(other), "the hint must name the other file:\n{e}");
}

#[test]
fn two_pages_with_the_same_address_are_refused() {
    let p = Project::fixture("basic");
    p.write("content/chi-siamo.it.md", "---\ntitle: \"Chi siamo\"\nslug: servizio-civile\n---\nTesto.\n");
    let e = p.build_error();
    assert_eq!(e.message, "two pages have the address /servizio-civile/");
    let files = ["content/chi-siamo.it.md", "content/servizio-civile.it.md"];
    let here = e.path.as_deref().and_then(|p| p.to_str()).unwrap_or_default().to_string();
    assert!(files.contains(&here.as_str()), "{e}");
    let other = files.iter().find(|f| **f != here).unwrap();
    assert!(hint(&e).contains(other), "the hint must name the other file:\n{e}");
}

#[test]
fn slug_that_climbs_out_of_the_site_is_refused() {
    let p = Project::fixture("basic");
    p.edit("content/servizio-civile.en.md", "slug: civil-service", "slug: ../../etc");
    let e = p.build_error();
    assert!(e.message.contains("`../../etc`"), "{e}");
    assert_at(&e, "content/servizio-civile.en.md", Some(3), Some(1));
    assert!(hint(&e).contains("slug"), "{e}");
    assert!(!p.public().exists());
    assert!(!p.root().parent().unwrap().join("etc/index.html").exists());
}

/// One rule for every name: slugs used to accept capitals (`Casa` and `casa` are one folder
/// where case is ignored) and a hyphen at either end, and the theme a `_`, which the other
/// names refused.
#[test]
fn slugs_and_the_theme_follow_the_rule_for_names() {
    for (slug, message) in [
        ("Civil-Service", "the slug `Civil-Service` contains the capital `C`: addresses are written in lower case"),
        ("civil-service-", "the slug `civil-service-` starts or ends with a hyphen"),
    ] {
        let p = Project::fixture("basic");
        p.edit("content/servizio-civile.en.md", "slug: civil-service", &format!("slug: {slug}"));
        let e = p.build_error();
        assert_eq!(e.message, message);
        assert_at(&e, "content/servizio-civile.en.md", Some(3), Some(1));
        assert!(!p.public().exists());
    }
    // An address made from a file name follows the same rule.
    let p = Project::fixture("basic");
    p.write("content/nul.it.md", "---\ntitle: \"Nul\"\n---\nTesto.\n");
    let e = p.build_error();
    let expected =
        "the address made from this file name `nul` is a device name on Windows, where it cannot be a folder";
    assert_eq!(e.message, expected);
    assert_at(&e, "content/nul.it.md", None, None);
    let p = Project::fixture("basic");
    p.edit("config.yaml", "theme: default", "theme: my_theme");
    let e = p.build_error();
    assert_eq!(e.message, "theme `my_theme` is not a folder name");
    assert_at(&e, "config.yaml", Some(10), Some(8));
}

#[test]
fn programme_file_without_type_programme_is_an_error() {
    let p = Project::fixture("basic");
    p.edit("content/progetto/_index.it.md", "type: programme\n", "");
    let e = p.build_error();
    assert_eq!(e.message, "a programme file must say `type: programme`");
    assert_at(&e, "content/progetto/_index.it.md", Some(1), Some(1));
    assert!(hint(&e).contains("type: programme"), "{e}");
}

#[test]
fn all_errors_of_a_build_are_reported_at_once() {
    let p = Project::fixture("basic");
    p.edit(CASA, "volunteers: 2", "volunteers: two");
    p.write("content/servizio-civile.it.md", "---\ntitle: \"Il servizio civile\"\n\nTesto.\n");
    let errors = p.build_errors();
    assert_eq!(errors.len(), 2, "{}", render_all(&errors));
    assert_at(error_in(&errors, CASA), CASA, Some(6), Some(13));
    let unclosed = error_in(&errors, "content/servizio-civile.it.md");
    assert_eq!(unclosed.message, "the front matter is never closed");
}

#[test]
fn a_template_error_that_breaks_every_site_page_is_reported_once_with_the_first_page() {
    let p = Project::fixture("basic");
    let rel = "themes/default/templates/site.html";
    p.edit(rel, "<nav class=\"breadcrumb\"", "{{ no_such_value.title }}<nav class=\"breadcrumb\"");
    let errors = p.build_errors();
    assert_eq!(errors.len(), 1, "{}", render_all(&errors));
    let e = &errors[0];
    assert_eq!(e.kind, brochure::diagnostic::Kind::TemplateError);
    assert_at(e, rel, Some(3), Some(4));
    assert!(e.message.starts_with("template error: "), "{e}");
    assert!(e.message.ends_with("(while rendering content/progetto/casa.it.md)"), "{e}");
}

#[test]
fn an_unknown_key_is_located_on_its_own_line_not_inside_another_word() {
    let p = Project::fixture("basic");
    p.edit("content/progetto/casa.it.md", "preferred: [teamwork]", "preferred: [it]");
    let d = p.build_error();
    assert_eq!(d.message, "unknown requirement `it`");
    assert_eq!(d.snippet.as_deref(), Some("requirements: { required: [english], preferred: [it] }"), "{d}");
}

#[test]
fn a_mistake_in_a_programme_file_is_reported_once() {
    let p = Project::fixture("basic");
    p.edit("content/progetto/_index.it.md", "title:", "titel:");
    let errors = p.build_errors();
    assert_eq!(errors.len(), 1, "{}", render_all(&errors));
    assert!(errors[0].message.contains("unknown field `titel`"));
}
