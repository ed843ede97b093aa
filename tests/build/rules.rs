//! One rule set: what `check` calls an error, `build` refuses to publish, and
//! the other way round; each mistake named by its cause, not by what it causes; facts that
//! make sense; translations that agree with their original; placeholder addresses marked.

use std::path::Path;

use brochure::{Diagnostic, Kind};

use crate::project::{assert_at, hint, render_all, repo, tree, Project};

/// The errors `check` reports, rendered, in a stable order.
fn check_errors(p: &Project) -> Vec<String> {
    let mut list: Vec<String> =
        brochure::build::check(&p.options()).iter().filter(|d| d.is_error()).map(|d| d.render(false)).collect();
    list.sort();
    list
}

/// The errors `build` fails with (none when it succeeds), rendered, in a stable order.
fn build_errors(p: &Project) -> Vec<String> {
    let mut list: Vec<String> = match p.build() {
        Ok(_) => Vec::new(),
        Err(brochure::BuildError::Invalid(list)) => {
            list.iter().filter(|d| d.is_error()).map(|d| d.render(false)).collect()
        }
        Err(other) => vec![other.to_string()],
    };
    list.sort();
    list
}

/// The findings of `check` (errors and warnings) of one kind.
fn found(p: &Project, kind: Kind) -> Vec<Diagnostic> {
    brochure::build::check(&p.options()).into_iter().filter(|d| d.kind == kind).collect()
}

/// One writer mistake, applied to the `basic` fixture.
type Mistake = (&'static str, fn(&Project));

const CASA: &str = "content/progetto/casa.it.md";

/// Every mistake the rules name, each alone.
const MISTAKES: &[Mistake] = &[
    ("broken link", |p| p.edit(CASA, "Vedi anche", "Vedi [la chiusa](chiusa.it.md) e")),
    ("missing image", |p| p.edit(CASA, "## Il contesto", "## Il contesto\n\n![Facciata](facciata.jpg)")),
    ("image without alt text", |p| {
        p.write("content/progetto/ingresso.jpg", "jpg");
        p.edit(CASA, "## Il contesto", "## Il contesto\n\n![](ingresso.jpg)")
    }),
    ("orphan translation", |p| p.write("content/progetto/harar.en.md", "---\ntitle: \"Harar\"\n---\nText.\n")),
    ("unclosed front matter", |p| p.edit(CASA, "weight: 1\n---\n", "weight: 1\n")),
    ("misnamed language", |p| {
        let text = std::fs::read_to_string(p.root().join(CASA)).unwrap();
        p.remove(CASA);
        p.write("content/progetto/casa.ita.md", text);
    }),
    ("same page twice", |p| p.write("content/servizio-civile.md", "---\ntitle: \"Doppione\"\n---\nTesto.\n")),
    ("page with the extension .MD", |p| p.write("content/nota.it.MD", "---\ntitle: \"Nota\"\n---\nTesto.\n")),
    ("page with the extension .markdown", |p| {
        p.write("content/nota.it.markdown", "---\ntitle: \"Nota\"\n---\nTesto.\n")
    }),
    ("slug sitemap.xml", |p| p.edit("content/servizio-civile.it.md", "---\n", "---\nslug: sitemap.xml\n")),
    ("slug robots.txt", |p| p.edit("content/servizio-civile.it.md", "---\n", "---\nslug: robots.txt\n")),
    ("slug 404.html", |p| p.edit("content/servizio-civile.it.md", "---\n", "---\nslug: 404.html\n")),
    ("slug index.html", |p| p.edit("content/servizio-civile.it.md", "---\n", "---\nslug: index.html\n")),
    ("slug booklet.html", |p| p.edit(CASA, "---\n", "---\nslug: booklet.html\n")),
    ("slug qr.svg", |p| p.edit(CASA, "---\n", "---\nslug: qr.svg\n")),
    ("translation with another code", |p| p.edit("content/progetto/casa.en.md", "city:", "code: \"10002\"\ncity:")),
    ("translation with other volunteers", |p| p.edit("content/progetto/casa.en.md", "city:", "volunteers: 5\ncity:")),
    ("hours split over the year", |p| {
        p.edit(CASA, "hours_per_year: 1400", "hours_per_year: 1400\nhours:\n  - { hours: 600, purpose: \"Sportello\" }\n  - { hours: 5800, purpose: \"Archivio\" }")
    }),
    ("nine days a week", |p| p.edit(CASA, "volunteers: 2", "volunteers: 2\ndays_per_week: 9")),
    ("200 hours a week", |p| p.edit(CASA, "volunteers: 2", "volunteers: 2\nmin_weekly_hours: 200")),
    ("no volunteers", |p| p.edit(CASA, "volunteers: 2", "volunteers: 0")),
];

#[test]
fn build_and_check_report_the_same_errors_on_every_fixture_and_every_mistake() {
    let mut cases: Vec<(String, Project)> = Vec::new();
    let fixtures = std::fs::read_dir(repo().join("tests/fixtures")).expect("fixtures");
    let mut names: Vec<String> =
        fixtures.map(|e| e.expect("entry").file_name().to_string_lossy().into_owned()).collect();
    names.sort();
    for name in names {
        cases.push((format!("fixture {name}"), Project::fixture(&name)));
    }
    for (what, make) in MISTAKES {
        let p = Project::fixture("basic");
        make(&p);
        cases.push((what.to_string(), p));
    }
    for (what, p) in &cases {
        let from_check = check_errors(p);
        let from_build = build_errors(p);
        assert_eq!(from_build, from_check, "{what}: build and check disagree");
        if !what.starts_with("fixture") {
            assert!(!from_check.is_empty(), "{what}: no error");
        }
    }
}

#[test]
fn a_refused_build_exits_1_and_leaves_the_previous_site_untouched() {
    let p = Project::fixture("basic");
    p.build_ok();
    let before = tree(&p.public());
    for (what, make) in MISTAKES {
        let q = Project::fixture("basic");
        make(&q);
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_brochure"))
            .arg("--root")
            .arg(q.root())
            .args(["build", "--output"])
            .arg(p.public())
            .env("NO_COLOR", "1")
            .output()
            .expect("run brochure build");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{what}: {stderr}");
        assert!(stderr.contains("nothing was written, the previous site is untouched"), "{what}: {stderr}");
        assert!(!stderr.contains("disk space"), "{what}: a writer mistake, not a disk problem: {stderr}");
        assert!(tree(&p.public()) == before, "{what}: the previous site changed");
    }
}

#[test]
fn links_images_and_alt_text_that_check_refuses_are_refused_by_build() {
    let p = Project::fixture("check");
    let errors = p.build_errors();
    let kinds: Vec<Kind> = errors.iter().map(|d| d.kind).collect();
    assert_eq!(
        kinds,
        [Kind::MissingAnchor, Kind::MissingAnchor, Kind::BrokenLink, Kind::ImageWithoutAlt, Kind::BrokenLink],
        "{}",
        render_all(&errors)
    );
    assert!(!p.public().exists(), "nothing is published");
}

#[test]
fn strict_makes_warnings_errors_in_build_as_in_check() {
    let p = Project::fixture("basic");
    p.build_ok();
    let strict = brochure::BuildOptions { strict: true, ..p.options() };
    let before = tree(&p.public());
    let Err(brochure::BuildError::Invalid(list)) = brochure::build(&strict) else { panic!("--strict must fail") };
    assert!(list.iter().all(Diagnostic::is_error), "{}", render_all(&list));
    assert!(list.iter().any(|d| d.kind == Kind::MissingTranslation), "{}", render_all(&list));
    assert!(tree(&p.public()) == before);
    let mut from_check: Vec<String> = brochure::build::check(&strict).iter().map(|d| d.render(false)).collect();
    let mut from_build: Vec<String> = list.iter().map(|d| d.render(false)).collect();
    from_check.sort();
    from_build.sort();
    assert_eq!(from_build, from_check);
}

#[test]
fn a_translation_without_its_original_names_the_missing_file() {
    let p = Project::fixture("basic");
    p.write("content/progetto/harar.en.md", "---\ntitle: \"Harar\"\n---\nText.\n");
    let e = p.build_error();
    assert_eq!(e.message, "`harar.it.md` is missing: this translation has no original");
    assert_at(&e, "content/progetto/harar.en.md", None, None);
    assert!(hint(&e).contains("content/progetto/harar.it.md"), "{e}");
}

#[test]
fn an_unclosed_front_matter_is_reported_alone_not_its_consequences() {
    let p = Project::fixture("basic");
    p.edit(CASA, "weight: 1\n---\n", "weight: 1\n");
    let errors: Vec<Diagnostic> = brochure::build::check(&p.options()).into_iter().filter(|d| d.is_error()).collect();
    assert_eq!(errors.len(), 1, "{}", render_all(&errors));
    assert_eq!(errors[0].message, "the front matter is never closed");
    assert_at(&errors[0], CASA, Some(1), Some(1));
}

#[test]
fn a_misnamed_language_is_reported_alone_and_suggests_the_name() {
    let p = Project::fixture("basic");
    let text = std::fs::read_to_string(p.root().join(CASA)).unwrap();
    p.remove(CASA);
    p.write("content/progetto/casa.ita.md", text);
    let errors: Vec<Diagnostic> = brochure::build::check(&p.options()).into_iter().filter(|d| d.is_error()).collect();
    assert_eq!(errors.len(), 1, "{}", render_all(&errors));
    assert_eq!(errors[0].message, "`ita` in the file name is a language not listed in config.yaml");
    assert_at(&errors[0], "content/progetto/casa.ita.md", None, None);
    assert!(hint(&errors[0]).contains("rename the file to `casa.it.md`"), "{}", errors[0]);
}

/// A language written with its region (`en-GB`) points at the configured language. It was
/// refused with no name to rename the file to.
#[test]
fn a_language_with_a_region_suggests_the_configured_language() {
    let p = Project::fixture("basic");
    let english = "content/progetto/casa.en.md";
    let text = std::fs::read_to_string(p.root().join(english)).unwrap();
    p.remove(english);
    p.write("content/progetto/casa.en-GB.md", text);
    let errors: Vec<Diagnostic> = brochure::build::check(&p.options()).into_iter().filter(|d| d.is_error()).collect();
    assert_eq!(errors.len(), 1, "{}", render_all(&errors));
    assert_eq!(errors[0].message, "`en-GB` in the file name is a language not listed in config.yaml");
    assert!(hint(&errors[0]).contains("rename the file to `casa.en.md`"), "{}", errors[0]);
}

#[test]
fn a_programme_file_in_error_does_not_make_its_sites_orphans() {
    let p = Project::fixture("basic");
    p.edit("content/progetto/_index.it.md", "weight: 1\n", "weight: 1\ndescription: \"x\n");
    p.remove("content/progetto/_index.en.md");
    p.edit("content/progetto/_index.it.md", "---\nIl progetto", "Il progetto");
    let errors = p.build_errors();
    assert_eq!(errors.len(), 1, "{}", render_all(&errors));
    assert_eq!(errors[0].path.as_deref(), Some(Path::new("content/progetto/_index.it.md")));
}

#[test]
fn two_files_for_one_page_in_one_language_are_refused() {
    let p = Project::fixture("basic");
    p.write("content/servizio-civile.md", "---\ntitle: \"Doppione\"\n---\nTesto.\n");
    let e = p.build_error();
    assert_eq!(e.kind, Kind::SamePageTwice);
    assert!(e.message.contains("`servizio-civile.md`") && e.message.contains("`servizio-civile.it.md`"), "{e}");
    assert!(e.message.ends_with("are both the Italiano text of one page"), "{e}");
}

#[test]
fn page_like_files_are_never_published_raw() {
    let p = Project::fixture("basic");
    p.write("content/progetto/casa.it.md.bak", "---\ntitle: \"Vecchia\"\ndraft: true\n---\nBozza segreta.\n");
    let report = p.build_ok();
    let skipped: Vec<&Diagnostic> = report.warnings.iter().filter(|w| w.kind == Kind::NotAPage).collect();
    assert_eq!(skipped.len(), 1, "{}", render_all(&report.warnings));
    assert_at(skipped[0], "content/progetto/casa.it.md.bak", None, None);
    let published = tree(&p.public());
    assert!(published.keys().all(|k| !k.to_string_lossy().contains(".bak")), "a backup was published");
    assert!(published.values().all(|bytes| !String::from_utf8_lossy(bytes).contains("Bozza segreta")));

    for name in ["nota.it.MD", "nota.it.markdown"] {
        let p = Project::fixture("basic");
        p.write(&format!("content/{name}"), "---\ntitle: \"Nota\"\n---\nTesto.\n");
        let e = p.build_error();
        assert_eq!(e.kind, Kind::NotAPage, "{e}");
        assert_at(&e, &format!("content/{name}"), None, None);
        assert!(hint(&e).contains("rename it to `nota.it.md`"), "{e}");
        assert!(!p.public().exists());
    }
}

#[test]
fn slugs_of_generated_files_are_refused_before_anything_is_written() {
    for (file, slug) in [
        ("content/servizio-civile.it.md", "sitemap.xml"),
        ("content/servizio-civile.it.md", "robots.txt"),
        ("content/servizio-civile.it.md", "404.html"),
        ("content/servizio-civile.it.md", "index.html"),
        (CASA, "booklet.html"),
        (CASA, "qr.svg"),
    ] {
        let p = Project::fixture("basic");
        p.edit(file, "---\n", &format!("---\nslug: {slug}\n"));
        let errors = p.build_errors();
        assert_eq!(errors.len(), 1, "{slug}: {}", render_all(&errors));
        let e = &errors[0];
        assert_eq!(e.kind, Kind::OutputClash, "{e}");
        assert_at(e, file, Some(2), Some(1));
        assert!(hint(e).contains("another `slug:`"), "{e}");
        assert!(!p.public().exists(), "{slug}: nothing is written");
        assert_eq!(check_errors(&p), vec![e.render(false)], "{slug}: check says the same");
    }
}

#[test]
fn impossible_facts_are_refused_with_their_numbers() {
    let p = Project::fixture("basic");
    p.edit(
        CASA,
        "volunteers: 2\nhours_per_year: 1400",
        "volunteers: 0\nhours_per_year: 1400\ndays_per_week: 9\nmin_weekly_hours: 200\nhours:\n  - { hours: 600, purpose: \"Sportello\" }\n  - { hours: 5800, purpose: \"Archivio\" }",
    );
    let strict = brochure::BuildOptions { strict: true, ..p.options() };
    let errors: Vec<Diagnostic> =
        brochure::build::check(&strict).into_iter().filter(|d| d.kind == Kind::ImpossibleFact).collect();
    let messages: Vec<&str> = errors.iter().map(|d| d.message.as_str()).collect();
    assert_eq!(
        messages,
        [
            "`volunteers: 0`: a site takes at least one volunteer",
            "`days_per_week: 9`, but a week has 1 to 7 days of service",
            "`min_weekly_hours: 200` is more than 60 hours a week",
            "the hours under `hours:` add up to 6400 (600 + 5800), more than `hours_per_year: 1400`",
        ],
        "{}",
        render_all(&errors)
    );
    assert_eq!(errors.iter().map(|d| d.line).collect::<Vec<_>>(), [Some(6), Some(8), Some(9), Some(10)]);

    let p = Project::fixture("basic");
    p.edit(CASA, "hours_per_year: 1400", "hours_per_year: 1400\nmin_weekly_hours: 30");
    let e = p.build_error();
    assert_eq!(e.message, "`min_weekly_hours: 30` × 52 weeks = 1560 hours, more than `hours_per_year: 1400`");
}

#[test]
fn a_translation_disagreeing_on_a_neutral_fact_is_refused() {
    let p = Project::fixture("basic");
    let en = "content/progetto/casa.en.md";
    p.edit(en, "city: \"Milan\"", "city: \"Milan\"\ncode: \"10002\"\nvolunteers: 5\noffice: \"Housing office\"");
    let errors = p.build_errors();
    let messages: Vec<&str> = errors.iter().map(|d| d.message.as_str()).collect();
    assert_eq!(
        messages,
        [
            "this translation says `code: \"10002\"`, but its original content/progetto/casa.it.md says `code: \"10001\"`",
            "this translation says `volunteers: 5`, but its original content/progetto/casa.it.md says `volunteers: 2`",
        ],
        "city and office may be translated:\n{}",
        render_all(&errors)
    );
    assert_at(&errors[0], en, Some(5), Some(1));
    assert_at(&errors[1], en, Some(6), Some(1));
    assert!(errors.iter().all(|d| d.kind == Kind::TranslationDisagrees));
}

#[test]
fn a_translation_may_give_contact_roles_only_but_not_other_emails() {
    let p = Project::fixture("basic");
    let programme = "content/progetto/_index.it.md";
    p.edit(
        programme,
        "year: 2019",
        "year: 2019\ncontacts:\n  - { name: \"Anna Neri\", role: \"Referente di progetto\", email: \"a.neri@prova.it\" }",
    );
    p.edit("content/progetto/_index.en.md", "slug:", "contacts:\n  - { role: \"Project officer\" }\nslug:");
    p.build_ok();
    let en = p.read("en/test-programme/index.html");
    assert!(en.contains("Anna Neri") && en.contains("(Project officer)") && en.contains("a.neri@prova.it"), "{en}");
    assert!(p.read("progetto/index.html").contains("(Referente di progetto)"));

    p.edit(
        "content/progetto/_index.en.md",
        "{ role: \"Project officer\" }",
        "{ role: \"Project officer\", email: \"x@prova.it\" }",
    );
    let e = p.build_error();
    assert_eq!(e.kind, Kind::TranslationDisagrees, "{e}");
    assert!(e.message.contains("`email: \"x@prova.it\"`") && e.message.contains("`email: \"a.neri@prova.it\"`"), "{e}");
}

#[test]
fn a_published_translation_identical_to_its_original_is_a_warning() {
    let p = Project::fixture("basic");
    let body =
        "\n## Il contesto\n\nTesto italiano dello sportello casa. Vedi anche [la biblioteca](biblioteca.it.md).\n";
    let en = std::fs::read_to_string(p.root().join("content/progetto/casa.en.md")).unwrap();
    let front = &en[..en.rfind("---").unwrap() + 4];
    p.write("content/progetto/casa.en.md", format!("{front}{body}"));
    let warnings = found(&p, Kind::UntranslatedText);
    assert_eq!(warnings.len(), 1, "{}", render_all(&warnings));
    assert!(!warnings[0].is_error());
    assert_eq!(warnings[0].path.as_deref(), Some(Path::new("content/progetto/casa.en.md")));
    assert!(warnings[0].message.contains("same text as its original content/progetto/casa.it.md"), "{}", warnings[0]);
    let report = p.build_ok();
    assert!(report.warnings.iter().any(|w| w.kind == Kind::UntranslatedText), "build warns too");
}

#[test]
fn a_placeholder_address_is_warned_once_and_marks_every_printed_page() {
    let p = Project::fixture("basic");
    let report = p.build_ok();
    let placeholder: Vec<&Diagnostic> = report.warnings.iter().filter(|w| w.kind == Kind::PlaceholderAddress).collect();
    assert_eq!(placeholder.len(), 1, "{}", render_all(&report.warnings));
    assert_at(placeholder[0], "config.yaml", Some(5), Some(11));
    let mark = "<p class=\"preview-mark\" role=\"note\">";
    for (file, text) in [
        ("progetto/casa/leaflet.html", "Anteprima — indirizzo non definitivo"),
        ("en/test-programme/housing-desk/leaflet.html", "Preview — address not final"),
        ("progetto/booklet.html", "Anteprima — indirizzo non definitivo"),
    ] {
        assert!(p.read(file).contains(&format!("{mark}{text}</p>")), "{file}");
    }
    assert!(!p.read("progetto/casa/index.html").contains("class=\"preview-mark\""), "web pages are not marked");

    for base in ["https://test.example/", "http://localhost:8000/", "http://127.0.0.1/", "https://sc.example.com/"] {
        let opts = brochure::BuildOptions { base_url: Some(base.into()), ..p.options() };
        let report = brochure::build(&opts).expect("builds");
        assert_eq!(report.warnings.iter().filter(|w| w.kind == Kind::PlaceholderAddress).count(), 1, "{base}");
    }
    let real = brochure::BuildOptions { base_url: Some("https://www.comune.milano.it/sc/".into()), ..p.options() };
    let report = brochure::build(&real).expect("builds");
    assert!(report.warnings.iter().all(|w| w.kind != Kind::PlaceholderAddress));
    assert!(!p.read("progetto/casa/leaflet.html").contains("class=\"preview-mark\""));
}

#[test]
fn a_draft_is_checked_when_it_would_be_published() {
    let p = Project::fixture("basic");
    p.write("content/bozza.it.md", "---\ntitle: \"Bozza\"\ndraft: true\n---\nVedi [la chiusa](chiusa.it.md).\n");
    // Not published: its link blocks nothing...
    p.build_ok();
    assert!(check_errors(&p).is_empty());
    // ...until it is, with --drafts, in check and build alike.
    let drafts = brochure::BuildOptions { drafts: true, ..p.options() };
    let from_check: Vec<Diagnostic> = brochure::build::check(&drafts).into_iter().filter(|d| d.is_error()).collect();
    assert_eq!(from_check.len(), 1, "{}", render_all(&from_check));
    assert_at(&from_check[0], "content/bozza.it.md", Some(5), Some(6));
    let Err(brochure::BuildError::Invalid(list)) = brochure::build(&drafts) else { panic!("--drafts must fail") };
    assert_eq!(list.into_iter().filter(|d| d.is_error()).collect::<Vec<_>>(), from_check);
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
