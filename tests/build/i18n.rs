//! UI strings of the theme: forms by CLDR plural category, chosen by each language's rules.

use crate::project::Project;

#[test]
fn arabic_pages_use_the_arabic_plural_forms() {
    let p = Project::fixture("quality-rtl");
    p.build_ok();
    let programme = p.read("ar/wasata/index.html");
    // Two sites (dual), three volunteers (few): Arabic has six plural categories.
    assert!(programme.contains("<dd>موقعان</dd>"), "{programme}");
    assert!(programme.contains("<dd>3 متطوعين</dd>"), "{programme}");
    let sites = p.read("ar/المواقع/index.html");
    assert!(sites.contains("متطوع واحد") && sites.contains("متطوعان"), "one and two volunteers");
    assert!(sites.contains("1,145 ساعة في السنة"), "1,145 takes the `many` form");
    let italian = p.read("mediazione/index.html");
    assert!(italian.contains("<dd>2 sedi</dd>") && italian.contains("<dd>3 volontari</dd>"));
}

#[test]
fn a_plural_entry_without_its_other_form_is_an_error_in_its_file() {
    let p = Project::fixture("basic");
    let path = p.root().join("themes/default/i18n/it.yaml");
    let text = std::fs::read_to_string(&path).expect("it.yaml");
    let broken = text.replace(
        "sites_count: { one: \"{n} sede\", other: \"{n} sedi\" }",
        "sites_count: { one: \"{n} sede\", altre: \"{n} sedi\" }",
    );
    assert_ne!(broken, text);
    std::fs::write(&path, broken).expect("write it.yaml");
    let d = p.build_error();
    assert_eq!(d.path.as_deref(), Some(std::path::Path::new("themes/default/i18n/it.yaml")));
    let line = text.lines().position(|l| l.starts_with("sites_count:")).expect("sites_count") + 1;
    assert_eq!(d.line, Some(line), "at the broken entry, not the file's first line: {d:?}");
    assert!(d.message.contains("`altre`") && !d.message.contains("variant"), "{d:?}");
    assert!(crate::project::hint(&d).contains("one, two, few, many, other"), "{d:?}");
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
