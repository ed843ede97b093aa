//! Where pages land and what each language's version shows: URLs per language, translated
//! slugs, fallbacks for missing translations, inherited facts, per-language formatting.

use crate::project::Project;

fn basic() -> Project {
    let p = Project::fixture("basic");
    p.build_ok();
    p
}

/// The `<link rel="alternate" hreflang>` tags of a page, as written.
fn alternate_links(html: &str) -> Vec<&str> {
    html.lines().filter(|l| l.starts_with("<link rel=\"alternate\"")).collect()
}

#[test]
fn default_language_is_at_the_root_and_others_under_their_code() {
    let p = basic();
    assert!(p.read("index.html").contains("<html lang=\"it\" dir=\"ltr\">"));
    assert!(p.read("en/index.html").contains("<html lang=\"en\" dir=\"ltr\">"));
    assert!(!p.exists("it"), "the default language must not get its own folder");
    for (page, lang) in [
        ("servizio-civile/index.html", "it"),
        ("progetto/index.html", "it"),
        ("progetto/casa/index.html", "it"),
        ("progetto/biblioteca/index.html", "it"),
        ("en/civil-service/index.html", "en"),
        ("en/test-programme/index.html", "en"),
        ("en/test-programme/housing-desk/index.html", "en"),
        ("en/test-programme/biblioteca/index.html", "en"),
    ] {
        assert!(p.read(page).contains(&format!("<html lang=\"{lang}\"")), "{page} is not in {lang}");
    }
}

#[test]
fn programme_and_site_pages_are_at_programme_slash_site() {
    let p = basic();
    let programme = p.read("progetto/index.html");
    assert!(programme.contains("<h1>Progetto di Prova</h1>"), "{programme}");
    assert!(programme.contains("<a href=\"/progetto/casa/\">Sportello Casa</a>"), "{programme}");
    assert!(programme.contains("<a href=\"/progetto/biblioteca/\">Biblioteca Civica</a>"), "{programme}");
    assert!(p.read("progetto/casa/index.html").contains("<h1>Sportello Casa</h1>"));
    assert!(p.read("progetto/biblioteca/index.html").contains("<h1>Biblioteca Civica</h1>"));
    assert!(p.read("servizio-civile/index.html").contains("<h1>Il servizio civile</h1>"));
}

#[test]
fn translated_slugs_give_the_english_url_segments() {
    let p = basic();
    // `slug:` in the .en.md files of the page, the programme and a site.
    assert!(p.read("en/civil-service/index.html").contains("<h1>About the civil service</h1>"));
    assert!(p.read("en/test-programme/index.html").contains("<h1>Test Programme</h1>"));
    assert!(p.read("en/test-programme/housing-desk/index.html").contains("<h1>Housing Desk</h1>"));
    // A site without its own English slug still sits under the programme's English slug.
    assert!(p.exists("en/test-programme/biblioteca/index.html"));
    for unwanted in ["en/servizio-civile", "en/progetto", "en/test-programme/casa"] {
        assert!(!p.exists(unwanted), "{unwanted} should not exist: the English slug replaces it");
    }
    let programme = p.read("en/test-programme/index.html");
    assert!(programme.contains("<a href=\"/en/test-programme/housing-desk/\">Housing Desk</a>"), "{programme}");
}

#[test]
fn untranslated_site_falls_back_to_the_italian_text_with_a_note() {
    let p = basic();
    let html = p.read("en/test-programme/biblioteca/index.html");
    assert!(html.contains("<html lang=\"en\" dir=\"ltr\">"), "{html}");
    assert!(html.contains("Testo solo in italiano della biblioteca civica."), "{html}");
    assert!(html.contains("not translated"), "no visible note:\n{html}");
    assert!(html.contains("<span lang=\"it\">Italiano</span>"), "the note must name the language shown:\n{html}");
    // Only the real translation is offered to search engines.
    assert_eq!(
        alternate_links(&html),
        ["<link rel=\"alternate\" hreflang=\"it\" href=\"https://example.org/progetto/biblioteca/\">"]
    );
    let italian = p.read("progetto/biblioteca/index.html");
    assert!(!italian.contains("not translated"));
    assert_eq!(
        alternate_links(&italian),
        ["<link rel=\"alternate\" hreflang=\"it\" href=\"https://example.org/progetto/biblioteca/\">"]
    );
    let sitemap = p.read("sitemap.xml");
    assert!(!sitemap.contains("en/test-programme/biblioteca"), "{sitemap}");
    assert!(sitemap.contains("<loc>https://example.org/progetto/biblioteca/</loc>"), "{sitemap}");
}

#[test]
fn translation_inherits_the_facts_it_leaves_out() {
    let p = basic();
    // casa.en.md gives no address, volunteers, code, hours or requirements.
    let en = p.read("en/test-programme/housing-desk/index.html");
    for fact in ["<dd>10001</dd>", "<dd>2 volunteers</dd>", "<dd>1,400 hours</dd>", ">English language skills</li>"] {
        assert!(en.contains(fact), "{fact} missing from the English page:\n{en}");
    }
    assert!(en.contains("English text of the housing desk."));
    assert!(!en.contains("Testo italiano"), "the English page must show its own body");
}

#[test]
fn translation_may_override_a_fact() {
    let p = basic();
    // casa.en.md says `city: "Milan"` over the Italian `city: "Milano"`.
    assert!(p.read("en/test-programme/housing-desk/index.html").contains("<dd>Via Larga, 12, Milan</dd>"));
    assert!(p.read("progetto/casa/index.html").contains("<dd>Via Larga, 12, Milano</dd>"));
}

#[test]
fn numbers_are_formatted_for_the_page_language() {
    let p = basic();
    let it = p.read("progetto/casa/index.html");
    let en = p.read("en/test-programme/housing-desk/index.html");
    assert!(it.contains("1.400") && !it.contains("1,400"), "{it}");
    assert!(en.contains("1,400") && !en.contains("1.400"), "{en}");
}

#[test]
fn right_to_left_language_gets_dir_rtl_and_a_warning_for_missing_ui_strings() {
    let p = Project::fixture("rtl");
    // The real theme has Arabic UI strings: take them away to see the fallback.
    p.remove("themes/default/i18n/ar.yaml");
    let report = p.build_ok();
    assert_eq!(report.languages, ["it", "en", "ar"]);
    let home = p.read("ar/index.html");
    assert!(home.contains("<html lang=\"ar\" dir=\"rtl\">"), "{home}");
    assert!(home.contains("أهلا وسهلا."), "{home}");
    // Pages only in Italian, shown in the Arabic layout, under the Arabic programme slug.
    assert!(p.read("ar/chi-siamo/index.html").contains("<html lang=\"ar\" dir=\"rtl\">"));
    assert!(p.read("ar/mashrou/sede/index.html").contains("<html lang=\"ar\" dir=\"rtl\">"));
    assert!(p.read("ar/mashrou/index.html").contains("مشروع بموقع واحد."));
    assert!(p.read("index.html").contains("<html lang=\"it\" dir=\"ltr\">"));
    assert!(p.read("en/index.html").contains("<html lang=\"en\" dir=\"ltr\">"));
    // No i18n/ar.yaml: a warning, and the default language's UI strings.
    let warning = report
        .warnings
        .iter()
        .find(|w| w.message.contains("`ar`"))
        .unwrap_or_else(|| panic!("no warning about ar: {:?}", report.warnings));
    assert!(!warning.is_error());
    assert!(warning.hint.is_some(), "{warning}");
    assert!(home.contains("Vai al contenuto"), "Italian UI strings expected as fallback:\n{home}");
}

#[test]

fn site_without_programmes_builds() {
    let p = Project::fixture("basic");
    for file in ["_index.it.md", "_index.en.md", "casa.it.md", "casa.en.md", "biblioteca.it.md"] {
        p.remove(&format!("content/progetto/{file}"));
    }
    // The pages' links to the housing desk would now lead nowhere: build refuses those.
    p.edit("content/servizio-civile.it.md", "[Sportello Casa](progetto/casa.it.md)", "Sportello Casa");
    p.edit("content/servizio-civile.en.md", "[Housing Desk](progetto/casa.it.md)", "Housing Desk");
    p.build_ok();
    assert!(p.read("index.html").contains("<h1>Servizio Civile di Prova</h1>"));
}

#[test]
fn untranslated_text_is_marked_with_its_language_and_points_to_its_canonical_page() {
    let p = basic();
    let html = p.read("en/test-programme/biblioteca/index.html");
    assert!(html.contains("<h1 lang=\"it\" dir=\"ltr\">Biblioteca Civica</h1>"), "{html}");
    assert!(html.contains("<div class=\"prose\" lang=\"it\" dir=\"ltr\">"), "the body is marked as Italian");
    assert!(html.contains("<link rel=\"canonical\" href=\"https://example.org/progetto/biblioteca/\">"));
    let listing = p.read("en/test-programme/index.html");
    assert!(listing.contains("<h3 class=\"card-title\" lang=\"it\" dir=\"ltr\"><a href=\"/en/test-programme/biblioteca/\">Biblioteca Civica</a></h3>"), "{listing}");
    assert!(
        listing.contains("<h3 class=\"card-title\"><a href=\"/en/test-programme/housing-desk/\">"),
        "translated cards are not marked"
    );
    let leaflet = p.read("en/test-programme/biblioteca/leaflet.html");
    assert!(leaflet.contains("class=\"p-title\" lang=\"it\" dir=\"ltr\""), "{leaflet}");
    assert!(!p.read("404.html").contains("rel=\"canonical\""), "an error page has no canonical address");
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
