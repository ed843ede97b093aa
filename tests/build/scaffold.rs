//! `brochure new ...` and `brochure stamp`: created files hold every field, build, never
//! replace a file, and translations carry their source's stamp.

use std::fs;
use std::path::{Path, PathBuf};

use brochure::config::Config;
use brochure::model::front;
use brochure::scaffold::{self, ScaffoldError};
use brochure::stamp;
use brochure::BuildOptions;

use crate::project::{describe, Project};

fn config(p: &Project) -> Config {
    Config::load(&p.root().join("config.yaml"), Path::new("config.yaml")).expect("the fixture's config is valid")
}

fn text(p: &Project, rel: &Path) -> String {
    fs::read_to_string(p.root().join(rel)).expect("read created file")
}

/// The front matter of a file, between its `---` lines.
fn front_of(text: &str) -> &str {
    let rest = text.strip_prefix("---\n").expect("front matter");
    &rest[..rest.find("\n---\n").expect("closed front matter")]
}

/// Asserts every key is written at the start of a line, followed on that line by a comment.
#[track_caller]
fn assert_fields(front: &str, keys: &[&str]) {
    for key in keys.iter().filter(|k| **k != stamp::KEY) {
        let line = front
            .lines()
            .find(|l| l.starts_with(&format!("{key}:")))
            .unwrap_or_else(|| panic!("no `{key}:` line in:\n{front}"));
        assert!(line.contains(" # "), "`{key}` has no comment: {line}");
    }
}

fn build_with_drafts(p: &Project) {
    let opts = BuildOptions { root: p.root().to_path_buf(), drafts: true, ..Default::default() };
    if let Err(e) = brochure::build(&opts) {
        panic!("build --drafts failed: {e}\n{}", describe(&e));
    }
}

#[test]
fn new_files_are_created_at_their_place_with_every_field() {
    let p = Project::fixture("basic");
    let c = config(&p);
    let programme = scaffold::new_programme(p.root(), &c, "nuovo-progetto").unwrap();
    assert_eq!(programme, PathBuf::from("content/nuovo-progetto/_index.it.md"));
    let programme_front = text(&p, &programme);
    assert_fields(front_of(&programme_front), front::PROGRAMME_KEYS);
    assert!(programme_front.contains("type: programme"));
    assert!(programme_front.contains("title: \"Nuovo progetto\""), "{programme_front}");

    let site = scaffold::new_site(p.root(), &c, "nuovo-progetto", "sede-centrale").unwrap();
    assert_eq!(site, PathBuf::from("content/nuovo-progetto/sede-centrale.it.md"));
    let site_text = text(&p, &site);
    assert_fields(front_of(&site_text), front::SITE_KEYS);
    for vocabulary_line in ["#   english", "Conoscenza della lingua inglese", "#   flexible-hours"] {
        assert!(site_text.contains(vocabulary_line), "no `{vocabulary_line}` in:\n{site_text}");
    }

    let page = scaffold::new_page(p.root(), &c, "contatti").unwrap();
    assert_eq!(page, PathBuf::from("content/contatti.it.md"));
    assert_fields(front_of(&text(&p, &page)), front::PAGE_KEYS);
}

#[test]
fn created_files_build_and_start_as_drafts() {
    let p = Project::fixture("basic");
    let c = config(&p);
    scaffold::new_programme(p.root(), &c, "nuovo-progetto").unwrap();
    scaffold::new_site(p.root(), &c, "nuovo-progetto", "sede-centrale").unwrap();
    scaffold::new_site(p.root(), &c, "progetto", "ludoteca").unwrap();
    scaffold::new_page(p.root(), &c, "contatti").unwrap();
    for file in [
        "content/nuovo-progetto/_index.it.md",
        "content/nuovo-progetto/sede-centrale.it.md",
        "content/progetto/ludoteca.it.md",
        "content/contatti.it.md",
        "content/progetto/biblioteca.it.md",
    ] {
        scaffold::new_translation(p.root(), &c, Path::new(file), "en").unwrap();
    }
    p.build_ok();
    assert!(!p.exists("contatti/index.html"), "a new page is a draft until the writer publishes it");
    build_with_drafts(&p);
    for page in ["nuovo-progetto/sede-centrale/index.html", "progetto/ludoteca/index.html", "contatti/index.html"] {
        assert!(p.exists(page), "{page} was not built");
    }
    assert!(p.read("en/nuovo-progetto/sede-centrale/index.html").contains("Sede centrale"));
}

#[test]
fn published_new_files_build_without_drafts() {
    let p = Project::fixture("basic");
    let c = config(&p);
    let site = scaffold::new_site(p.root(), &c, "progetto", "ludoteca").unwrap();
    p.edit(site.to_str().unwrap(), "draft: true", "draft: false");
    let page = scaffold::new_page(p.root(), &c, "contatti").unwrap();
    p.edit(page.to_str().unwrap(), "draft: true", "draft: false");
    p.build_ok();
    assert!(p.read("progetto/ludoteca/index.html").contains("Ludoteca"));
    assert!(p.read("contatti/index.html").contains("Contatti"));
}

#[test]
fn existing_files_are_never_replaced() {
    let p = Project::fixture("basic");
    let c = config(&p);
    let before = fs::read_to_string(p.root().join("content/progetto/casa.en.md")).unwrap();
    let attempts: Vec<Result<PathBuf, ScaffoldError>> = vec![
        scaffold::new_programme(p.root(), &c, "progetto"),
        scaffold::new_site(p.root(), &c, "progetto", "casa"),
        scaffold::new_page(p.root(), &c, "servizio-civile"),
        scaffold::new_translation(p.root(), &c, Path::new("content/progetto/casa.it.md"), "en"),
    ];
    for result in attempts {
        let e = result.expect_err("an existing file must not be replaced");
        assert!(matches!(e, ScaffoldError::Exists { .. }), "{e}");
        assert!(e.to_string().ends_with("already exists"), "{e}");
        assert!(e.hint().contains("never replaces"), "{}", e.hint());
    }
    assert_eq!(fs::read_to_string(p.root().join("content/progetto/casa.en.md")).unwrap(), before);
    // A page cannot take a programme's address, nor a programme a page's.
    let e = scaffold::new_page(p.root(), &c, "progetto").unwrap_err();
    assert!(matches!(e, ScaffoldError::NameTaken { .. }), "{e}");
    let e = scaffold::new_programme(p.root(), &c, "servizio-civile").unwrap_err();
    assert!(matches!(e, ScaffoldError::NameTaken { .. }), "{e}");
}

#[test]
fn names_that_are_not_slugs_are_refused_with_a_valid_suggestion() {
    let p = Project::fixture("basic");
    let c = config(&p);
    let e = scaffold::new_page(p.root(), &c, "Chi Siamo").unwrap_err();
    assert_eq!(e.to_string(), "`Chi Siamo` cannot be the name of a page");
    assert!(e.hint().contains("try `chi-siamo`"), "{}", e.hint());
    let e = scaffold::new_site(p.root(), &c, "progetto", "Città Studi").unwrap_err();
    assert!(e.hint().contains("`citta-studi`"), "{}", e.hint());
    let e = scaffold::new_programme(p.root(), &c, "../fuori").unwrap_err();
    assert!(e.hint().contains("`fuori`"), "{}", e.hint());
    assert!(scaffold::new_page(p.root(), &c, "_index").is_err());
    // `con.it.md` is a device on Windows: the suggestion must be a name `new` accepts.
    let e = scaffold::new_page(p.root(), &c, "con").unwrap_err();
    assert!(e.hint().contains("try `con-page`"), "{}", e.hint());
    assert!(!p.root().join("content/con.it.md").exists());
    assert!(!p.root().join("content/Chi Siamo.it.md").exists());
    assert!(!p.root().join("fuori").exists());
}

#[test]
fn unknown_programmes_and_languages_are_refused() {
    let p = Project::fixture("basic");
    let c = config(&p);
    for programme in ["nessuno", "../progetto", ""] {
        let e = scaffold::new_site(p.root(), &c, programme, "sede").unwrap_err();
        assert!(matches!(e, ScaffoldError::UnknownProgramme { .. }), "{e}");
        assert!(e.hint().contains(": progetto;"), "{}", e.hint());
    }
    let source = Path::new("content/progetto/biblioteca.it.md");
    let e = scaffold::new_translation(p.root(), &c, source, "fr").unwrap_err();
    assert_eq!(e.to_string(), "`fr` is not a language of this site");
    assert!(e.hint().contains("it, en"), "{}", e.hint());
    let e = scaffold::new_translation(p.root(), &c, source, "it").unwrap_err();
    assert!(matches!(e, ScaffoldError::DefaultLanguage { .. }), "{e}");
    assert!(e.hint().contains("en"), "{}", e.hint());
    let e = scaffold::new_translation(p.root(), &c, Path::new("content/progetto/nessuna.it.md"), "en").unwrap_err();
    assert!(matches!(e, ScaffoldError::NotFound { .. }), "{e}");
    let e = scaffold::new_translation(p.root(), &c, Path::new("config.yaml"), "en").unwrap_err();
    assert!(matches!(e, ScaffoldError::NotContent { .. }), "{e}");
    assert!(!p.root().join("content/progetto/biblioteca.fr.md").exists());
}

#[test]
fn a_translation_copies_the_text_to_translate_and_the_source_stamp() {
    let p = Project::fixture("basic");
    let c = config(&p);
    p.edit(
        "content/progetto/biblioteca.it.md",
        "weight: 2\n",
        "weight: 2\noffice: \"Settore Biblioteche\"\nhours:\n  - { hours: 600, purpose: \"Accoglienza: \\\"prestiti\\\"\" }\nactivities: [\"Prestito libri\", \"Letture # ad alta voce\"]\ndescription: \"La biblioteca.\"\n",
    );
    let created =
        scaffold::new_translation(p.root(), &c, Path::new("content/progetto/biblioteca.it.md"), "en").unwrap();
    assert_eq!(created, PathBuf::from("content/progetto/biblioteca.en.md"));
    let source = fs::read_to_string(p.root().join("content/progetto/biblioteca.it.md")).unwrap();
    let translation = text(&p, &created);
    let front = front_of(&translation);
    assert_eq!(stamp::read_stamp(front), Some(stamp::source_stamp(&source)));
    for copied in ["title: \"Biblioteca Civica\"", "office: \"Settore Biblioteche\"", "Letture # ad alta voce"] {
        assert!(front.contains(copied), "no {copied} in:\n{front}");
    }
    assert!(front.contains("  - { hours: 600, purpose: \"Accoglienza: \\\"prestiti\\\"\" }"), "{front}");
    assert!(front.contains("# TODO translate"));
    assert!(front.contains("#slug: biblioteca"));
    for inherited in ["code", "address", "city", "volunteers", "hours_per_year", "obligations"] {
        assert!(!front.lines().any(|l| l.starts_with(&format!("{inherited}:"))), "{inherited} was copied");
        assert!(front.contains(inherited), "the note does not name {inherited}");
    }
    assert!(translation.ends_with("\n---\nTesto solo in italiano della biblioteca civica.\n"), "{translation}");
    p.edit(created.to_str().unwrap(), "draft: true", "draft: false");
    let report = p.build_ok();
    // No more "has no English translation"; the text, still Italian, is now the warning.
    let about: Vec<_> = report
        .warnings
        .iter()
        .filter(|w| w.path.as_ref().is_some_and(|p| p.to_string_lossy().contains("biblioteca")))
        .map(|w| w.kind)
        .collect();
    assert_eq!(about, [brochure::Kind::UntranslatedText], "{:?}", report.warnings);
    assert!(p.read("en/test-programme/biblioteca/index.html").contains("Settore Biblioteche"));
}

#[test]
fn a_translation_of_a_programme_or_the_home_page_copies_their_text() {
    let p = Project::fixture("basic");
    let c = config(&p);
    p.remove("content/progetto/_index.en.md");
    p.remove("content/_index.en.md");
    let programme = scaffold::new_translation(p.root(), &c, Path::new("content/progetto/_index.it.md"), "en").unwrap();
    let front = text(&p, &programme);
    assert!(front.contains("type: programme") && front.contains("entity: \"Comune di Prova\""), "{front}");
    assert!(!front.lines().any(|l| l.starts_with("year:")), "{front}");
    let home = scaffold::new_translation(p.root(), &c, Path::new("content/_index.it.md"), "en").unwrap();
    let front = text(&p, &home);
    assert!(front.contains("title: \"Servizio Civile di Prova\"") && !front.contains("slug"), "{front}");
    build_with_drafts(&p);
}

#[test]
fn a_translation_keeps_the_crlf_line_ends_of_its_source() {
    let p = Project::fixture("basic");
    let c = config(&p);
    p.write(
        "content/progetto/crlf.it.md",
        "---\r\ntitle: \"Sede\"\r\naddress: \"Via A, 1\"\r\nvolunteers: 1\r\n---\r\nTesto.\r\n",
    );
    let created = scaffold::new_translation(p.root(), &c, Path::new("content/progetto/crlf.it.md"), "en").unwrap();
    let translation = text(&p, &created);
    assert!(!translation.replace("\r\n", "").contains('\n'), "an LF line in:\n{translation:?}");
    build_with_drafts(&p);
}

#[test]
fn stamp_records_the_source_version_after_the_source_changes() {
    let p = Project::fixture("basic");
    let c = config(&p);
    let source_rel = "content/progetto/biblioteca.it.md";
    let created = scaffold::new_translation(p.root(), &c, Path::new(source_rel), "en").unwrap();
    let stamp_of = |rel: &Path| stamp::read_stamp(front_of(&text(&p, rel))).expect("a stamp");
    let first = stamp_of(&created);
    p.edit(source_rel, "Testo solo in italiano", "Nuovo testo in italiano");
    let changed = stamp::source_stamp(&fs::read_to_string(p.root().join(source_rel)).unwrap());
    assert_ne!(first, changed);
    let before = text(&p, &created);
    assert_eq!(scaffold::stamp(p.root(), &c, &created).unwrap(), created);
    let after = text(&p, &created);
    assert_eq!(stamp_of(&created), changed);
    assert_eq!(after, before.replace(&first, &changed), "stamp changed more than its line");
    // A file without a stamp gets one; an absolute path works too.
    let casa = p.root().join("content/progetto/casa.en.md");
    scaffold::stamp(p.root(), &c, &casa).unwrap();
    let casa_source = fs::read_to_string(p.root().join("content/progetto/casa.it.md")).unwrap();
    assert_eq!(stamp_of(Path::new("content/progetto/casa.en.md")), stamp::source_stamp(&casa_source));
    p.build_ok();
}

#[test]
fn stamp_refuses_sources_and_translations_without_source() {
    let p = Project::fixture("basic");
    let c = config(&p);
    let e = scaffold::stamp(p.root(), &c, Path::new("content/progetto/casa.it.md")).unwrap_err();
    assert!(matches!(e, ScaffoldError::NotATranslation { .. }), "{e}");
    p.write("content/solo.en.md", "---\ntitle: \"Only English\"\n---\n");
    let e = scaffold::stamp(p.root(), &c, Path::new("content/solo.en.md")).unwrap_err();
    assert!(matches!(e, ScaffoldError::NoSource { .. }), "{e}");
    assert!(e.hint().contains("content/solo.it.md"), "{}", e.hint());
    assert_eq!(fs::read_to_string(p.root().join("content/solo.en.md")).unwrap(), "---\ntitle: \"Only English\"\n---\n");
}

#[test]
fn every_real_page_can_be_translated_again_and_builds() {
    let p = Project::real();
    let c = config(&p);
    let mut sources = Vec::new();
    for entry in walk(&p.root().join("content")) {
        let name = entry.file_name().unwrap().to_str().unwrap().to_string();
        if name.ends_with(".en.md") {
            fs::remove_file(&entry).unwrap();
        } else if name.ends_with(".it.md") {
            sources.push(entry);
        }
    }
    assert!(sources.len() > 5);
    for source in &sources {
        let created = scaffold::new_translation(p.root(), &c, source, "en").unwrap();
        p.edit(created.to_str().unwrap(), "draft: true", "draft: false");
    }
    p.build_ok();
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for entry in fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            out.extend(walk(&path));
        } else {
            out.push(path);
        }
    }
    out.sort();
    out
}
