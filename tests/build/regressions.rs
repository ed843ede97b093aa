//! Defects found in review, each kept fixed by a test.

use std::path::Path;

use crate::project::{render_all, Project};

#[test]
fn a_link_to_a_heading_stays_on_the_page_that_has_the_heading() {
    let p = Project::fixture("basic");
    let text = std::fs::read_to_string(p.root().join("content/servizio-civile.en.md")).expect("read");
    p.write("content/servizio-civile.en.md", format!("{text}\nSee [the context](progetto/casa.it.md#il-contesto).\n"));
    p.build_ok();
    let html = p.read("en/civil-service/index.html");
    // The English housing page is another file with other headings: the link keeps the Italian page.
    assert!(html.contains("href=\"/progetto/casa/#il-contesto\""), "{html}");
}

#[test]
fn a_link_to_a_draft_is_an_error_in_check_and_in_build() {
    let p = Project::fixture("basic");
    p.write("content/bozza.it.md", "---\ntitle: \"Bozza\"\ndraft: true\n---\nTesto.\n");
    let text = std::fs::read_to_string(p.root().join("content/servizio-civile.it.md")).expect("read");
    p.write("content/servizio-civile.it.md", format!("{text}\nVedi [la bozza](bozza.it.md).\n"));
    let from_build = p.build_error();
    assert!(!p.public().exists(), "a refused build writes nothing");
    let found = brochure::build::check(&p.options());
    let error = found.iter().find(|d| d.is_error() && d.message.contains("bozza.it.md")).expect("an error in check");
    assert_eq!(error.path.as_deref(), Some(Path::new("content/servizio-civile.it.md")));
    assert_eq!(&from_build, error, "build and check report the same error");
}

#[test]
fn italian_text_on_a_right_to_left_page_keeps_its_direction() {
    let p = Project::fixture("rtl");
    p.build_ok();
    let html = p.read("ar/chi-siamo/index.html");
    assert!(html.contains("<html lang=\"ar\" dir=\"rtl\">"));
    assert!(html.contains("lang=\"it\" dir=\"ltr\""), "{html}");
}

#[test]
fn a_translation_cannot_ask_for_a_requirement_its_original_does_not() {
    // Requirements are facts of the site, the same in every language: a
    // translation asking for another one is refused, located at its line.
    let p = Project::fixture("basic");
    p.edit(
        "content/progetto/casa.en.md",
        "slug: housing-desk",
        "slug: housing-desk\nrequirements: { required: [it-skills] }",
    );
    let e = p.build_error();
    assert_eq!(e.kind, brochure::Kind::TranslationDisagrees, "{e}");
    assert_eq!((e.path.as_deref(), e.line), (Some(Path::new("content/progetto/casa.en.md")), Some(4)), "{e}");
}

#[test]
fn an_enormous_number_of_volunteers_does_not_overflow() {
    let p = Project::fixture("basic");
    p.edit("content/progetto/casa.it.md", "volunteers: 2", "volunteers: 4294967295");
    p.build_ok();
    assert!(p.read("index.html").contains("4.294.967.295 volontari"));
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

#[test]
fn a_slug_taken_by_a_generated_page_names_the_file() {
    let p = Project::fixture("basic");
    p.edit("content/servizio-civile.it.md", "---\n", "---\nslug: sedi\n");
    let errors = p.build_errors();
    let d = errors.iter().find(|d| d.message == "two files would be written to sedi/index.html").expect("a clash");
    let hint = d.hint.as_deref().unwrap_or("");
    assert!(hint.contains("content/servizio-civile.it.md") && hint.contains("brochure's own list"), "{hint}");
}

#[test]
fn an_untranslated_programme_title_in_the_menu_and_breadcrumbs_says_its_language() {
    let p = Project::fixture("basic");
    p.remove("content/progetto/_index.en.md");
    p.build_ok();
    let site = p.read("en/progetto/housing-desk/index.html");
    // The menu, the breadcrumb and the link back show the Italian title, marked as Italian.
    let marked = "lang=\"it\" dir=\"ltr\">Progetto di Prova<";
    assert!(site.matches(marked).count() >= 3, "{site}");
    let programme = p.read("en/progetto/index.html");
    assert!(
        programme.contains("<span aria-current=\"page\" lang=\"it\" dir=\"ltr\">Progetto di Prova</span>"),
        "{programme}"
    );
    // A translated title is not marked.
    assert!(!p.read("progetto/casa/index.html").contains("lang=\"it\" dir=\"ltr\">Progetto"));
}
