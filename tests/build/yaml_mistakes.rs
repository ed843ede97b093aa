//! Mistakes in YAML (front matter and config.yaml), each reported by `brochure check` in
//! the writer's words, at the line and column where the writer has to act, and compared
//! with a snapshot in `tests/snapshots/yaml/` (`UPDATE_SNAPSHOTS=1` rewrites them).

use crate::check::{assert_snapshot, run_check};
use crate::project::Project;

const CASA: &str = "content/progetto/casa.it.md";

/// Makes one edit to the basic fixture and compares what `check` prints with the snapshot.
fn mistake(snapshot: &str, file: &str, from: &str, to: &str) -> String {
    let p = Project::fixture("basic");
    p.edit(file, from, to);
    let (code, _, stderr) = run_check(&p, &[]);
    assert_eq!(code, 1, "a mistake is an error:\n{stderr}");
    assert_snapshot(&format!("yaml/{snapshot}.txt"), &stderr);
    assert!(p.build().is_err(), "build refuses it too");
    stderr
}

/// Words that name Rust types or serde's vocabulary, which a writer cannot act on.
fn assert_no_type_names(out: &str) {
    for word in ["u32", "i64", "floating point", "invalid type", "sequence", "map", "struct", "expected"] {
        assert!(!out.contains(word), "`{word}` in a message for writers:\n{out}");
    }
}

#[test]
fn a_number_in_words_asks_for_digits() {
    let out = mistake("number-in-words", CASA, "volunteers: 2", "volunteers: two");
    assert_no_type_names(&out);
}

#[test]
fn an_italian_thousands_separator_says_write_1400() {
    let out = mistake("thousands-dot", CASA, "hours_per_year: 1400", "hours_per_year: 1.400");
    assert!(out.contains("write 1400"), "{out}");
    assert_no_type_names(&out);
}

/// The help fits every number field: it said "a whole number of 0 or more" for
/// `volunteers`, which refuses 0.
#[test]
fn a_negative_number_asks_for_it_without_the_minus_sign() {
    let out = mistake("negative", CASA, "volunteers: 2", "volunteers: -1");
    assert!(out.contains("write the number without the minus sign"), "{out}");
    assert!(!out.contains("0 or more"), "{out}");
    assert_no_type_names(&out);
}

#[test]
fn a_thousands_comma_says_write_1400() {
    let out = mistake("thousands-comma", CASA, "hours_per_year: 1400", "hours_per_year: 1,400");
    assert!(out.contains("write 1400"), "{out}");
    assert_no_type_names(&out);
}

#[test]
fn a_tab_used_for_indentation_is_called_a_tab() {
    let out = mistake("tab", CASA, "obligations: [flexible-hours]", "obligations:\n\t- flexible-hours");
    assert!(out.contains("a tab is used to indent this line") && out.contains(&format!("{CASA}:10:1")), "{out}");
}

#[test]
fn a_key_without_its_space_after_the_colon_is_pointed_at_on_its_own_line() {
    let out = mistake("missing-space", CASA, "volunteers: 2", "volunteers:2");
    assert!(out.contains(&format!("{CASA}:6:12")), "the line of `volunteers:2`, not the next one:\n{out}");
}

#[test]
fn a_duplicate_key_is_reported_at_the_duplicate() {
    let out = mistake("duplicate-key", CASA, "weight: 1", "weight: 1\ntitle: \"Sportello\"");
    assert!(out.contains(&format!("{CASA}:11:1")), "at the second `title:`, not at the first key:\n{out}");
}

#[test]
fn a_language_written_twice_in_config_is_reported_at_the_duplicate() {
    // Before, the second `it:` silently replaced the first.
    let out = mistake(
        "config-duplicate-language",
        "config.yaml",
        "owner: { it: \"Comune di Prova\", en: \"Town of Prova\" }",
        "owner: { it: \"Comune di Prova\", en: \"Town of Prova\", it: \"Comune\" }",
    );
    assert!(out.contains("config.yaml:11:54"), "{out}");
}

#[test]
fn config_mistakes_found_after_reading_it_have_a_line_and_column() {
    let p = Project::fixture("basic");
    p.edit("config.yaml", "theme: default", "theme: Default");
    p.edit("config.yaml", "  - { code: en, name: \"English\" }", "  - { code: EN, name: \"English\" }");
    p.edit("config.yaml", "default_language: it", "default_language: fr");
    let (code, _, stderr) = run_check(&p, &[]);
    assert_eq!(code, 1);
    assert_snapshot("yaml/config-located.txt", &stderr);
    for line in stderr.lines().filter(|l| l.trim_start().starts_with("--> config.yaml")) {
        assert!(line.matches(':').count() == 2, "no line and column: {line}\n{stderr}");
    }
}

#[test]
fn a_wrong_setting_in_config_names_the_choices_in_words() {
    let out = mistake("config-choice", "config.yaml", "  unsafe_html: false", "  unsafe_html: maybe");
    assert!(out.contains("write one of: false, true, dangerous"), "{out}");
}

#[test]
fn a_script_link_in_config_is_refused_with_its_line() {
    let out = mistake(
        "config-script-link",
        "config.yaml",
        "theme: default",
        "theme: default\nlinks:\n  privacy: { it: \"javascript:alert(1)\", en: \"https://example.org/privacy/\" }\n  accessibility: { it: \"data:text/html,<script>alert(1)</script>\" }",
    );
    assert!(out.contains("config.yaml:12:18") && out.contains("config.yaml:13:24"), "{out}");
}

#[test]
fn config_links_to_web_mail_phone_and_site_pages_are_accepted() {
    let p = Project::fixture("basic");
    p.edit(
        "config.yaml",
        "theme: default",
        "theme: default\nlinks:\n  privacy: { it: \"https://example.org/privacy/\", en: \"/privacy/\" }\n  accessibility: { it: \"mailto:a@example.org\", en: \"tel:+390200\" }",
    );
    p.build_ok();
    assert!(p.read("index.html").contains("href=\"mailto:a@example.org\""));
}

#[test]
fn a_control_character_in_a_title_is_refused_where_it_is_written() {
    let out = mistake("control-escape", CASA, "title: \"Sportello Casa\"", "title: \"Sportello\\0 Casa\"");
    assert!(out.contains(&format!("{CASA}:2:18")), "{out}");
}

#[test]
fn a_control_character_typed_into_any_front_matter_text_is_refused() {
    let p = Project::fixture("basic");
    p.edit(CASA, "city: \"Milano\"", "city: \"Mil\u{7}ano\"");
    let e = p.build_error();
    assert_eq!(e.message, "an invisible control character (U+0007) in the text");
    assert_eq!((e.line, e.column), (Some(5), Some(11)), "{e}");
    assert!(!p.public().exists());
}
