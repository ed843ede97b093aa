//! Mistakes in the shape of the project rather than in one field: file names, the
//! front-matter fences, folders, and config.yaml itself.

use crate::project::{assert_at, hint, Project};

#[test]
fn language_code_not_in_config_is_an_error() {
    let p = Project::fixture("basic");
    p.write("content/pagina.fr.md", "---\ntitle: \"Page\"\n---\nTexte.\n");
    let e = p.build_error();
    assert_eq!(e.message, "`fr` in the file name is a language not listed in config.yaml");
    assert_at(&e, "content/pagina.fr.md", None, None);
    assert!(hint(&e).contains("it, en"), "the hint must list the configured languages:\n{e}");
}

#[test]
fn unknown_key_in_config_suggests_the_closest_one() {
    let p = Project::fixture("basic");
    p.edit("config.yaml", "theme: default", "themes: default");
    let e = p.build_error();
    assert!(e.message.contains("unknown field `themes`"), "{e}");
    assert_at(&e, "config.yaml", Some(10), Some(1));
    assert_eq!(hint(&e), "did you mean `theme`?");
}

#[test]
fn file_without_front_matter_is_an_error() {
    let p = Project::fixture("basic");
    p.write("content/nota.it.md", "# Nota\n\nTesto senza front matter.\n");
    let e = p.build_error();
    assert_eq!(e.message, "the file has no front matter");
    assert_at(&e, "content/nota.it.md", Some(1), Some(1));
    assert!(hint(&e).contains("---"), "{e}");
}

#[test]
fn unclosed_front_matter_is_an_error() {
    let p = Project::fixture("basic");
    p.write("content/nota.it.md", "---\ntitle: \"Nota\"\n\nTesto.\n");
    let e = p.build_error();
    assert_eq!(e.message, "the front matter is never closed");
    assert_at(&e, "content/nota.it.md", Some(1), Some(1));
    assert!(hint(&e).contains("---"), "{e}");
}

#[test]
fn site_folder_without_programme_file_is_an_error() {
    let p = Project::fixture("basic");
    let site = "---\ntitle: \"Sede\"\naddress: \"Via Roma, 1\"\nvolunteers: 1\n---\nTesto.\n";
    p.write("content/orfani/sede.it.md", site);
    let e = p.build_error();
    assert_eq!(e.message, "content/orfani/ has sites but no programme file");
    assert_at(&e, "content/orfani/sede.it.md", None, None);
    assert!(hint(&e).contains("content/orfani/_index.it.md"), "{e}");
    assert!(hint(&e).contains("type: programme"), "{e}");
}
