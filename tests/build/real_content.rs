//! The real brochure: every fact of the programmes' source documents (transcribed below,
//! not read from content/) appears on its site's page and its leaflet, in both languages.

use crate::project::Project;

/// (Italian page, English page, code, address, volunteers it/en, hour split it/en).
/// Transcribed from the source documents, not from content/.
type Fact = (
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static [&'static str],
    &'static [&'static str],
);

const SITES: &[Fact] = &[
    (
        "comune-milano-informa/alloggi-erp",
        "en/milan-city-informs/",
        "91231",
        "P.le Cimitero Monumentale, 14",
        "1 volontario",
        "1 volunteer",
        &["750 ore", "250 ore"],
        &["750 hours", "250 hours"],
    ),
    (
        "comune-milano-informa/sportelli-casa",
        "en/milan-city-informs/",
        "91920",
        "Via Larga, 12",
        "1 volontario",
        "1 volunteer",
        &[],
        &[],
    ),
    (
        "comune-milano-informa/ufficio-tutela",
        "en/milan-city-informs/",
        "91058",
        "Largo Treves, 1",
        "1 volontario",
        "1 volunteer",
        &["600 ore", "400 ore"],
        &["600 hours", "400 hours"],
    ),
    (
        "comune-milano-informa/wemi",
        "en/milan-city-informs/",
        "91237",
        "Via Palermo, 17",
        "1 volontario",
        "1 volunteer",
        &["600 ore", "400 ore"],
        &["600 hours", "400 hours"],
    ),
    (
        "comune-milano-informa/milano-citta-mondo",
        "en/milan-city-informs/",
        "91233",
        "Piazza Duomo, 14",
        "1 volontario",
        "1 volunteer",
        &[],
        &[],
    ),
    (
        "comune-milano-informa/servizi-civici-online",
        "en/milan-city-informs/",
        "91934",
        "Via Larga, 12",
        "3 volontari",
        "3 volunteers",
        &[],
        &[],
    ),
    (
        "comune-milano-informa/te-lo-dico-io",
        "en/milan-city-informs/",
        "92005",
        "Largo Treves, 1",
        "1 volontario",
        "1 volunteer",
        &[],
        &[],
    ),
    (
        "comune-milano-informa/contrasto-discriminazioni",
        "en/milan-city-informs/",
        "91249",
        "Via De Amicis, 10",
        "1 volontario",
        "1 volunteer",
        &[],
        &[],
    ),
    (
        "comune-milano-informa/promozione-volontariato",
        "en/milan-city-informs/",
        "92009",
        "Via Larga, 12",
        "3 volontari",
        "3 volunteers",
        &[],
        &[],
    ),
    (
        "citta-metropolitana-formazione/formazione-pari-opportunita",
        "en/",
        "",
        "Viale Piceno 60",
        "2 volontari",
        "2 volunteers",
        &["500 ore", "400 ore"],
        &["500 hours", "400 hours"],
    ),
];

/// The English page of a site: the Italian page's language switcher link to English.
fn english_path(p: &Project, it_path: &str) -> String {
    let html = p.read(&format!("{it_path}/index.html"));
    let link = html
        .split("lang=\"en\" hreflang=\"en\"")
        .next()
        .and_then(|h| h.rsplit("href=\"").next())
        .expect("link to English");
    link[..link.find('"').expect("end")].trim_start_matches('/').trim_start_matches("servizio-civile/").to_string()
}

#[test]
fn every_site_page_and_leaflet_shows_the_documents_facts_in_both_languages() {
    let p = Project::real();
    p.build_ok();
    for (it_path, en_prefix, code, address, vol_it, vol_en, hours_it, hours_en) in SITES {
        let en_path = english_path(&p, it_path);
        assert!(en_path.starts_with(en_prefix), "{it_path}: English page {en_path}");
        for (path, volunteers, hours, yearly) in [
            (it_path.to_string(), vol_it, hours_it, "1.400 ore"),
            (en_path.trim_end_matches('/').to_string(), vol_en, hours_en, "1,400 hours"),
        ] {
            for file in ["index.html", "leaflet.html"] {
                let html = p.read(&format!("{path}/{file}"));
                let what = format!("{path}/{file}");
                assert!(html.contains(code), "{what}: code {code}");
                assert!(html.contains(address), "{what}: address {address}");
                assert!(html.contains(volunteers), "{what}: {volunteers}");
                for h in hours.iter() {
                    assert!(html.contains(h), "{what}: hours {h}");
                }
                if !code.is_empty() {
                    assert!(html.contains(yearly), "{what}: {yearly} a year");
                    assert!(html.contains("12 ore") || html.contains("12 hours"), "{what}: weekly minimum");
                }
            }
        }
    }
}

#[test]
fn the_real_site_builds_without_warnings_and_has_every_page() {
    let p = Project::real();
    let report = p.build_ok();
    // While config.yaml has a placeholder base_url, that is the one warning.
    let placeholder = std::fs::read_to_string(p.root().join("config.yaml")).expect("config").contains("example.org/");
    let kinds: Vec<brochure::Kind> = report.warnings.iter().map(|w| w.kind).collect();
    let expected = if placeholder { vec![brochure::Kind::PlaceholderAddress] } else { vec![] };
    assert_eq!(kinds, expected, "{}", crate::project::render_all(&report.warnings));
    assert_eq!(report.languages, ["it", "en"]);
    for page in [
        "index.html",
        "en/index.html",
        "servizio-civile/index.html",
        "en/civil-service/index.html",
        "sedi/index.html",
        "en/sites/index.html",
        "404.html",
        "sitemap.xml",
        "robots.txt",
    ] {
        assert!(p.exists(page), "{page}");
    }
    let sites = crate::project::tree(&p.public()).keys().filter(|k| k.ends_with("leaflet.html")).count();
    assert_eq!(sites, 20, "10 sites in 2 languages");
}

#[test]
fn a_site_without_requirements_says_so_and_contacts_are_kept() {
    let p = Project::real();
    p.build_ok();
    let alloggi = p.read("comune-milano-informa/alloggi-erp/index.html");
    assert!(alloggi.contains("Non è richiesto nessun requisito particolare"));
    let piceno = p.read("citta-metropolitana-formazione/formazione-pari-opportunita/index.html");
    assert!(
        piceno.contains("s.galli@cittametropolitana.milano.it")
            && piceno.contains("02.7740.5453")
            && piceno.contains("02.7740.3135")
    );
}
