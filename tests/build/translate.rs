//! `brochure translate export` and `import`: the XLIFF round trip changes nothing when
//! nothing was translated, a complete import gives pages that build and pass `check`, and a
//! damaged file is refused whole with a located message.

use std::path::Path;

use brochure::translate::{self, Only};
use brochure::{BuildOptions, Kind};

use crate::check::assert_snapshot;
use crate::project::{render_all, tree, Project};

fn export(p: &Project, only: Only) -> String {
    let (xml, _, _) = translate::export(p.root(), "en", only).unwrap_or_else(|e| panic!("{}", render_all(&e)));
    xml
}

fn file(p: &Project, rel: &str) -> String {
    std::fs::read_to_string(p.root().join(rel)).expect("read a file of the project")
}

/// Imports `xml` saved as `en.xlf` in the project.
fn import(p: &Project, xml: &str) -> Result<translate::ImportReport, Vec<brochure::Diagnostic>> {
    p.write("en.xlf", xml);
    translate::import(p.root(), Path::new("en.xlf"))
}

/// A translator's work: every unit without a target gets one, the source with `[en] ` before.
fn fill(xml: &str) -> String {
    let unit = regex::Regex::new(r"(?s)(<source>(.*?)</source>\n)(\s*<note)").unwrap();
    unit.replace_all(xml, "${1}        <target state=\"translated\">[en] $2</target>\n$3").into_owned()
}

#[test]
fn a_round_trip_without_changes_leaves_every_file_byte_identical() {
    for p in [Project::real(), Project::fixture("basic")] {
        let before = tree(&p.root().join("content"));
        let xml = export(&p, Only::All);
        let report = import(&p, &xml).unwrap_or_else(|e| panic!("{}", render_all(&e)));
        assert!(report.written.is_empty(), "{:?}", report.written);
        assert!(report.unchanged > 0);
        assert!(before == tree(&p.root().join("content")), "a file of content/ changed");
    }
}

#[test]
fn export_is_deterministic_and_keeps_unit_ids_while_the_source_text_stays() {
    let p = Project::fixture("basic");
    let first = export(&p, Only::All);
    assert_eq!(first, export(&p, Only::All));
    let ids = |xml: &str| {
        regex::Regex::new(r#"trans-unit id="([^"]+)""#)
            .unwrap()
            .captures_iter(xml)
            .map(|c| c[1].to_string())
            .collect::<Vec<_>>()
    };
    // A fact changes: the stamp changes, no unit id does.
    p.edit("content/progetto/casa.it.md", "volunteers: 2", "volunteers: 3");
    let second = export(&p, Only::All);
    assert_eq!(ids(&first), ids(&second));
    assert_ne!(first, second, "the stamp notes follow the source");
    // Its text changes: that unit's id changes.
    p.edit("content/progetto/casa.it.md", "Testo italiano", "Nuovo testo italiano");
    let third = ids(&export(&p, Only::All));
    let changed: Vec<_> = ids(&first).into_iter().filter(|id| !third.contains(id)).collect();
    assert_eq!(changed.len(), 1, "{changed:?}");
    assert!(changed[0].starts_with("body.2."), "{changed:?}");
}

#[test]
fn the_exported_file_protects_markdown_and_marks_stale_translations() {
    let p = Project::fixture("basic");
    p.edit("content/progetto/casa.en.md", "city: \"Milan\"", "city: \"Milan\"\ntranslated_from: \"0000000000000000\"");
    let xml = export(&p, Only::Stale);
    assert_eq!(xml.matches("<file ").count(), 1, "{xml}");
    let unit = xml.split("<trans-unit").find(|u| u.contains("resname=\"body.2\"")).expect("the linked paragraph");
    assert!(unit.contains(
        "<source>Testo italiano dello sportello casa. Vedi anche <x id=\"1\" equiv-text=\"[\"/>la biblioteca<x id=\"2\" equiv-text=\"](biblioteca.it.md)\"/>.</source>"
    ), "{unit}");
    assert!(unit.contains("<target state=\"needs-review-translation\">English text of the housing desk. See also <x id=\"1\" equiv-text=\"[\"/>the library<x id=\"2\" equiv-text=\"](biblioteca.it.md)\"/>.</target>"), "{unit}");
    assert!(xml.contains("<file original=\"content/progetto/casa.it.md\" source-language=\"it\" target-language=\"en\" datatype=\"x-markdown\">"));
    let missing = export(&p, Only::Missing);
    assert!(missing.contains("content/progetto/biblioteca.it.md") && !missing.contains("casa.it.md"), "{missing}");
}

#[test]
fn a_complete_import_gives_pages_that_build_pass_check_and_show_the_new_text() {
    let p = Project::fixture("basic");
    let xml = fill(&export(&p, Only::Missing));
    let report = import(&p, &xml).unwrap_or_else(|e| panic!("{}", render_all(&e)));
    assert_eq!(report.written, [Path::new("content/progetto/biblioteca.en.md")]);
    let stamp = brochure::stamp::source_stamp(&file(&p, "content/progetto/biblioteca.it.md"));
    assert_eq!(
        file(&p, "content/progetto/biblioteca.en.md"),
        format!(
            "---\ntitle: \"[en] Biblioteca Civica\"\ncity: \"[en] Milano\"\ntranslated_from: \"{stamp}\"\n---\n[en] Testo solo in italiano della biblioteca civica.\n"
        )
    );
    let found = brochure::build::check(&BuildOptions { root: p.root().to_path_buf(), ..Default::default() });
    assert!(!found.iter().any(|d| d.is_error()), "{}", render_all(&found));
    assert!(
        !found.iter().any(|d| matches!(d.kind, Kind::MissingTranslation | Kind::StaleTranslation)
            && d.path.as_deref().is_some_and(|x| x.to_string_lossy().contains("biblioteca"))),
        "{}",
        render_all(&found)
    );
    p.build_ok();
    let pages = tree(&p.public());
    let shown = pages.iter().any(|(path, bytes)| {
        path.starts_with("en")
            && String::from_utf8_lossy(bytes).contains("[en] Testo solo in italiano della biblioteca civica.")
    });
    assert!(shown, "no English page shows the imported text");
}

/// Some translation tools save XLIFF in UTF-16: it imports as the same file in UTF-8 does.
/// It was refused as "cannot read"; a file in no text encoding still is, saying so.
#[test]
fn an_xliff_file_saved_in_utf16_imports_as_in_utf8() {
    let p = Project::fixture("basic");
    let xml = fill(&export(&p, Only::Missing)).replacen("encoding=\"UTF-8\"", "encoding=\"UTF-16\"", 1);
    for big_endian in [false, true] {
        let mut bytes = if big_endian { vec![0xFE, 0xFF] } else { vec![0xFF, 0xFE] };
        for unit in xml.encode_utf16() {
            bytes.extend(if big_endian { unit.to_be_bytes() } else { unit.to_le_bytes() });
        }
        p.write("en.xlf", bytes);
        let report = translate::import(p.root(), Path::new("en.xlf")).unwrap_or_else(|e| panic!("{}", render_all(&e)));
        assert!(file(&p, "content/progetto/biblioteca.en.md").contains("[en] Testo solo in italiano"));
        assert!(report.written.len() <= 1, "{:?}", report.written);
    }
    p.write("en.xlf", [0xFF, 0xFE, 0x3C]);
    let refused = translate::import(p.root(), Path::new("en.xlf")).unwrap_err();
    assert_eq!(refused[0].message, "en.xlf is not text in UTF-8 or UTF-16", "{}", render_all(&refused));
}

#[test]
fn an_import_keeps_hand_written_fields_and_the_export_stamp() {
    let p = Project::fixture("basic");
    let xml = export(&p, Only::All);
    let old = brochure::stamp::source_stamp(&file(&p, "content/progetto/casa.it.md"));
    // The source changes after the export (a fact): the import still stamps the old version.
    p.edit("content/progetto/casa.it.md", "volunteers: 2", "volunteers: 3");
    let xml = xml.replace(">Housing Desk</target>", ">Housing Help Desk</target>");
    let report = import(&p, &xml).unwrap_or_else(|e| panic!("{}", render_all(&e)));
    assert_eq!(report.written, [Path::new("content/progetto/casa.en.md")]);
    assert_eq!(
        file(&p, "content/progetto/casa.en.md"),
        format!("---\ntitle: \"Housing Help Desk\"\nslug: housing-desk\ncity: \"Milan\"\ntranslated_from: \"{old}\"\n---\n## Background\n\nEnglish text of the housing desk. See also [the library](biblioteca.it.md).\n")
    );
    let found = brochure::build::check(&BuildOptions { root: p.root().to_path_buf(), ..Default::default() });
    assert!(found.iter().any(|d| d.kind == Kind::StaleTranslation), "{}", render_all(&found));
}

#[test]
fn damaged_files_are_refused_whole_with_located_messages() {
    let p = Project::fixture("basic");
    let good = export(&p, Only::All);
    let before = tree(&p.root().join("content"));
    let link = "<x id=\"1\" equiv-text=\"[\"/>the library<x id=\"2\" equiv-text=\"](biblioteca.it.md)\"/>";
    // Each damage comes with a good change, which must not be written either.
    let retitled = good.replace(">Housing Desk</target>", ">Housing Help Desk</target>");
    let cases = [
        ("malformed", retitled.replace("<body>", "<body><oops>")),
        ("wrong target language", retitled.replacen("target-language=\"en\"", "target-language=\"fr\"", 1)),
        ("lost placeholder", retitled.replace(link, "<x id=\"1\"/>the library")),
        ("reordered placeholders", retitled.replace(link, "<x id=\"2\"/>the library<x id=\"1\"/>")),
        ("unknown unit id", retitled.replacen("id=\"title.", "id=\"titel.", 1)),
        (
            "a page outside content/",
            retitled.replacen("original=\"content/_index.it.md\"", "original=\"../config.it.md\"", 1),
        ),
        ("a lost stamp note", retitled.replacen("<note from=\"brochure\">translated_from: ", "<note>", 1)),
    ];
    let mut shown = String::new();
    for (case, xml) in cases {
        assert_ne!(xml, retitled, "{case}: the damage was not made");
        let errors = import(&p, &xml).expect_err(case);
        assert!(before == tree(&p.root().join("content")), "{case}: a file of content/ changed");
        shown.push_str(&format!("== {case}\n{}\n", render_all(&errors)));
    }
    assert_snapshot("translate-import-errors.txt", &shown);
}

/// The Python with Translate Toolkit: `$PYTHON` (`.ci/run` sets it to its virtual
/// environment's), or `python3`.
fn python() -> String {
    std::env::var("PYTHON").unwrap_or_else(|_| "python3".into())
}

#[test]
#[ignore = "needs translate-toolkit"]
fn translate_toolkit_reads_the_export_and_its_filled_file_imports_into_pages_that_build() {
    let p = Project::fixture("basic");
    let (xml, _, units) = translate::export(p.root(), "en", Only::All).unwrap_or_else(|e| panic!("{}", render_all(&e)));
    p.write("export.xlf", &xml);
    let script = crate::project::repo().join("tests/tools/fill_xliff.py");
    let out = std::process::Command::new(python())
        .arg(&script)
        .arg(p.root().join("export.xlf"))
        .arg(p.root().join("filled.xlf"))
        .arg("[tt] ")
        .output()
        .expect("run python3 with Translate Toolkit");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let filled: usize = String::from_utf8_lossy(&out.stdout).trim().parse().expect("the script prints a count");
    assert_eq!(filled, units, "Translate Toolkit reads every unit");
    let report = translate::import(p.root(), Path::new("filled.xlf")).unwrap_or_else(|e| panic!("{}", render_all(&e)));
    assert!(report.incomplete.is_empty(), "{:?}", report.incomplete);
    assert!(report.written.contains(&Path::new("content/progetto/biblioteca.en.md").to_path_buf()));
    let casa = file(&p, "content/progetto/casa.en.md");
    assert!(
        casa.contains("[tt] Testo italiano dello sportello casa. Vedi anche [la biblioteca](biblioteca.it.md)."),
        "the link came back around its text:\n{casa}"
    );
    let found = brochure::build::check(&BuildOptions { root: p.root().to_path_buf(), ..Default::default() });
    assert!(!found.iter().any(|d| d.is_error()), "{}", render_all(&found));
    assert!(!found.iter().any(|d| d.kind == Kind::StaleTranslation), "{}", render_all(&found));
    p.build_ok();
    let shown = tree(&p.public()).iter().any(|(path, bytes)| {
        path.starts_with("en")
            && String::from_utf8_lossy(bytes).contains("[tt] Testo solo in italiano della biblioteca")
    });
    assert!(shown, "no English page shows the imported text");
}

#[test]
fn a_reviewed_stale_translation_takes_the_new_stamp_and_an_unreviewed_one_keeps_the_old() {
    let p = Project::fixture("basic");
    p.edit("content/progetto/casa.en.md", "city: \"Milan\"", "city: \"Milan\"\ntranslated_from: \"0000000000000000\"");
    let xml = export(&p, Only::Stale);
    let before = file(&p, "content/progetto/casa.en.md");
    // Not reviewed: the units come back `needs-review-translation`, the file stays stale.
    let report = import(&p, &xml).unwrap_or_else(|e| panic!("{}", render_all(&e)));
    assert!(report.written.is_empty());
    assert_eq!(file(&p, "content/progetto/casa.en.md"), before);
    // Reviewed without a change of text: only the stamp changes, to the exported version's.
    let reviewed = xml.replace("state=\"needs-review-translation\"", "state=\"translated\"");
    let report = import(&p, &reviewed).unwrap_or_else(|e| panic!("{}", render_all(&e)));
    assert_eq!(report.written, [Path::new("content/progetto/casa.en.md")]);
    let stamp = brochure::stamp::source_stamp(&file(&p, "content/progetto/casa.it.md"));
    assert_eq!(file(&p, "content/progetto/casa.en.md"), before.replace("0000000000000000", &stamp));
}

/// A line break typed into a target (Enter in the CAT tool) would change the page: a heading
/// split into a heading and a paragraph, a paragraph into two, or front matter injected after
/// an empty line. Such a file is refused whole, the unit's line named; it was imported.
#[test]
fn a_line_break_that_would_change_the_page_s_structure_is_refused() {
    let p = Project::fixture("basic");
    let good = export(&p, Only::All);
    let before = tree(&p.root().join("content"));
    let cases = [
        ("a heading split", good.replace(">Background</target>", ">Back\nground</target>")),
        (
            "front matter after an empty line",
            good.replace(">Background</target>", ">Background\n\n---\ntitle: x\n---</target>"),
        ),
        ("a field split", good.replace(">Housing Desk</target>", ">Housing\nDesk</target>")),
        ("a paragraph split", good.replace(">The English home page.</target>", ">The English\n\nhome page.</target>")),
    ];
    for (case, xml) in cases {
        assert_ne!(xml, good, "{case}: the damage was not made");
        let errors = import(&p, &xml).expect_err(case);
        let shown = render_all(&errors);
        assert!(shown.contains("line break") || shown.contains("empty line"), "{case}: {shown}");
        assert!(shown.contains("en.xlf:"), "{case}: the unit's line is named: {shown}");
        assert!(before == tree(&p.root().join("content")), "{case}: a file of content/ changed");
    }
    // A target that only ends with a line break, as some tools save it, is the same text.
    let trailing = good.replace(">Housing Desk</target>", ">Housing Help Desk\n</target>");
    import(&p, &trailing).unwrap_or_else(|e| panic!("{}", render_all(&e)));
    assert!(file(&p, "content/progetto/casa.en.md").contains("title: \"Housing Help Desk\"\n"));
}
