//! Leaflets and booklets: one per site/programme and language, with the facts and a QR
//! code that decodes back to the page's address; long content is shortened with a warning.

use crate::project::Project;

/// The addresses the QR codes of the printed document `doc` lead to, in order: the file of
/// each `<img class="qr">`, found from the document's folder as a browser finds it, decoded.
pub fn linked_qr_codes(p: &Project, doc: &str) -> Vec<String> {
    let html = p.read(doc);
    let folder = doc.rsplit_once('/').map_or("", |(folder, _)| folder);
    html.split("<img class=\"qr\" src=\"")
        .skip(1)
        .map(|rest| {
            let src = &rest[..rest.find('"').expect("src end")];
            let mut path: Vec<&str> = folder.split('/').filter(|s| !s.is_empty()).collect();
            for segment in src.split('/') {
                if segment == ".." {
                    path.pop().unwrap_or_else(|| panic!("{src} climbs out of the site from {doc}"));
                } else {
                    path.push(segment);
                }
            }
            decode_qr(&p.read(&path.join("/")))
        })
        .collect()
}

/// The QR code of an SVG drawing (the first in `svg`), rasterised and decoded with rqrr.
pub fn decode_qr(svg: &str) -> String {
    let html = svg;
    let svg_start = html.find("<svg").expect("an inline SVG");
    let svg = &html[svg_start..svg_start + html[svg_start..].find("</svg>").expect("svg end")];
    let size: usize = svg
        .split("viewBox=\"0 0 ")
        .nth(1)
        .and_then(|v| v.split(' ').next())
        .and_then(|v| v.parse().ok())
        .expect("viewBox");
    let d = svg.split(" d=\"").nth(1).and_then(|v| v.split('"').next()).expect("path");
    let mut dark = vec![false; size * size];
    // The path strokes each run of dark modules along the middle of its row: `M4 4.5h7`
    // first, then moves relative to the end of the last run, `m-30 1h2`.
    let (mut x, mut y) = (0.0f64, 0.0f64);
    let mut rest = d;
    while let Some(command) = rest.chars().next() {
        let end = rest[1..].find(['M', 'm', 'h']).map_or(rest.len(), |i| i + 1);
        let n: Vec<f64> = rest[1..end].split(' ').map(|n| n.parse().expect("a number")).collect();
        match (command, n.as_slice()) {
            ('M', [to_x, to_y]) => (x, y) = (*to_x, *to_y),
            ('m', [dx, dy]) => (x, y) = (x + dx, y + dy),
            ('h', [run]) => {
                for i in 0..*run as usize {
                    dark[y.floor() as usize * size + x as usize + i] = true;
                }
                x += run;
            }
            other => panic!("unexpected path command {other:?}"),
        }
        rest = &rest[end..];
    }
    let scale = 6;
    let px = size * scale;
    let mut img =
        rqrr::PreparedImage::prepare_from_greyscale(
            px,
            px,
            |x, y| if dark[(y / scale) * size + x / scale] { 0 } else { 255 },
        );
    let grids = img.detect_grids();
    assert_eq!(grids.len(), 1, "exactly one QR code found");
    grids[0].decode().expect("the QR code decodes").1
}

#[test]
fn every_site_has_a_leaflet_and_every_programme_a_booklet_in_every_language() {
    let p = Project::fixture("filters");
    p.build_ok();
    for site in ["alpha/a1", "alpha/a2", "alpha/a3", "alpha/a4", "beta/b1"] {
        assert!(p.exists(&format!("{site}/leaflet.html")), "{site} it leaflet");
    }
    assert!(p.exists("en/alpha-en/a1/leaflet.html"));
    assert!(p.exists("en/beta/b1/leaflet.html"), "an untranslated site still gets an English leaflet");
    for booklet in ["alpha/booklet.html", "beta/booklet.html", "en/alpha-en/booklet.html", "en/beta/booklet.html"] {
        assert!(p.exists(booklet), "{booklet}");
    }
    let page = p.read("alpha/a1/index.html");
    assert!(page.contains("href=\"/alpha/a1/leaflet.html\""), "the site page links its leaflet");
    assert!(
        p.read("alpha/index.html").contains("href=\"/alpha/booklet.html\""),
        "the programme page links its booklet"
    );
}

#[test]
fn leaflet_holds_the_facts_in_its_language_and_a_qr_code_to_the_page() {
    let p = Project::fixture("filters");
    p.build_ok();
    let it = p.read("alpha/a4/leaflet.html");
    assert!(it.contains("<html lang=\"it\" dir=\"ltr\">"));
    for fact in [
        "Ufficio Quattro",
        "A4",
        "Largo Treves, 1, Milano",
        "1 volontario",
        "Inglese",
        "Diploma",
        "Informatica",
        "Spostamenti",
    ] {
        assert!(it.contains(fact), "leaflet lacks {fact}");
    }
    assert_eq!(linked_qr_codes(&p, "alpha/a4/leaflet.html"), ["https://example.org/alpha/a4/"]);
    let en = p.read("en/alpha-en/a1/leaflet.html");
    assert!(en.contains("<html lang=\"en\"") && en.contains("Desk One") && en.contains("1 volunteer"));
    assert_eq!(linked_qr_codes(&p, "en/alpha-en/a1/leaflet.html"), ["https://example.org/en/alpha-en/a1/"]);
}

#[test]
fn booklet_has_cover_contents_and_a_page_per_site_padded_to_a_multiple_of_four() {
    let p = Project::fixture("filters");
    p.build_ok();
    let html = p.read("alpha/booklet.html");
    let sheets = html.matches("<section class=\"sheet").count();
    assert_eq!(sheets, 8, "cover + contents + 4 sites = 6 pages, padded to 8");
    assert_eq!(html.matches("class=\"sheet blank\"").count(), 2);
    // Contents: the sites start on pages 3 to 6, in programme order.
    let contents: Vec<&str> =
        html.split("<span class=\"pg\">").skip(1).map(|s| &s[..s.find('<').unwrap_or(0)]).collect();
    assert_eq!(contents, ["3", "4", "5", "6"]);
    assert!(html.contains("counter(page) \" / \" counter(pages)"), "running footer with n / N");
    let codes = linked_qr_codes(&p, "alpha/booklet.html");
    assert_eq!(
        codes,
        [
            "https://example.org/alpha/",
            "https://example.org/alpha/a1/",
            "https://example.org/alpha/a2/",
            "https://example.org/alpha/a3/",
            "https://example.org/alpha/a4/"
        ],
        "the cover's code, then one a site"
    );
}

#[test]
fn a_leaflet_too_long_for_one_page_is_shortened_and_the_build_warns() {
    let p = Project::fixture("filters");
    let many: String = (1..=25).map(|i| format!("  - \"Attività numero {i} con una descrizione piuttosto lunga che occupa almeno due righe di colonna\"\n")).collect();
    p.edit("content/alpha/a3.it.md", "weight: 3\n", &format!("weight: 3\nactivities:\n{many}"));
    let report = p.build_ok();
    let warning = report
        .warnings
        .iter()
        .find(|w| w.message.contains("leaflet is too long for one A4 page"))
        .expect("a warning about the long leaflet");
    assert_eq!(warning.path.as_deref(), Some(std::path::Path::new("content/alpha/a3.it.md")));
    let html = p.read("alpha/a3/leaflet.html");
    assert!(html.contains("class=\"sheet scale-tight\""), "the type is set at the 9 pt minimum");
    assert!(html.contains("Altre attività sulla pagina web della sede."), "\"see online\" replaces the rest");
    assert!(!html.contains("Attività numero 25 "), "not every activity is printed");
}

#[test]
fn qr_codes_of_short_long_and_non_ascii_addresses_decode_back_to_the_address() {
    let long = format!("https://www.example.org/servizio-civile/en/{}end/", "programme-of-volunteer-sites-".repeat(30));
    let addresses = [
        "https://example.org/",
        "https://www.example.org/servizio-civile/en/alpha-en/a1/",
        "https://www.example.org/servizio-civile/programma-001/sede-00042-via-roma-12-milano/",
        "https://caffè.example/città/%C3%A8/?q=1#sede",
        &long,
    ];
    for url in addresses {
        assert_eq!(decode_qr(&brochure::render::qr::svg(url).expect("encodable")), url, "{} bytes", url.len());
    }
}

/// A programme of 50 sites (the most a programme has at national scale) with every fact a
/// leaflet prints, at addresses as long as the real ones.
fn programme_of_fifty_sites() -> Project {
    let p = Project::fixture("basic");
    p.edit(
        "config.yaml",
        "base_url: \"https://example.org/\"",
        "base_url: \"https://www.example.org/servizio-civile/\"",
    );
    p.write(
        "content/comune-milano-informa/_index.it.md",
        "---\ntype: programme\ntitle: \"Comune di Milano Informa: sportelli e servizi al cittadino\"\n\
         entity: \"Comune di Milano\"\nsector: \"Educazione e promozione culturale\"\nyear: 2024\n---\nIl progetto.\n",
    );
    for n in 1..=50 {
        p.write(
            &format!("content/comune-milano-informa/sede-{n:02}-sportello-di-quartiere.it.md"),
            format!(
                "---\ntitle: \"Sportello di quartiere {n} – Servizi al cittadino\"\ncode: \"{}\"\n\
                 office: \"Direzione Servizi Civici, Partecipazione e Sport\"\naddress: \"Via Larga, {n}\"\n\
                 postcode: \"20122\"\ncity: \"Milano\"\nvolunteers: 2\nhours_per_year: 1145\n\
                 min_weekly_hours: 12\ndays_per_week: 5\nhours:\n\
                 \x20 - {{ hours: 600, purpose: \"Accogliere e orientare i cittadini allo sportello\" }}\n\
                 \x20 - {{ hours: 400, purpose: \"Aggiornare le banche dati e l'archivio digitale\" }}\n\
                 activities:\n\
                 \x20 - \"Accoglienza e orientamento degli utenti allo sportello\"\n\
                 \x20 - \"Aggiornamento delle banche dati e dell'archivio digitale\"\n\
                 \x20 - \"Preparazione dei materiali informativi per il quartiere\"\n\
                 \x20 - \"Supporto agli eventi culturali e di partecipazione\"\n\
                 \x20 - \"Raccolta dei bisogni dei cittadini e restituzione allo staff\"\n\
                 \x20 - \"Comunicazione sui canali social del municipio\"\n\
                 requirements: {{ required: [english], preferred: [it-skills, teamwork] }}\n\
                 obligations: [flexible-hours, travel]\n\
                 contacts: [{{ name: \"Maria Rossi\", role: \"OLP\", email: \"sportello{n:02}@comune.milano.it\", phone: \"02 8845 {n:04}\" }}]\n\
                 weight: {n}\n---\nLa sede.\n",
                100_000 + n
            ),
        );
    }
    p
}

/// A booklet is a print source that also travels over the web (it is linked while it has no
/// PDF): its weight is its sites' facts, not their QR codes or markup around them. Drawn
/// inline, the 51 codes of a booklet of fifty sites were half of its 240 KB, and every
/// site's code was written three times (issue 20: no HTML file over 200 KB). They are files
/// of their own now, one beside each page, linked by the leaflet, the booklet and
/// `leaflets.html` alike.
#[test]
fn a_booklet_of_fifty_sites_links_its_codes_and_weighs_its_facts() {
    let p = programme_of_fifty_sites();
    p.build_ok();
    let booklet = p.read("comune-milano-informa/booklet.html");
    assert!(!booklet.contains("<svg"), "no code drawn inline");
    let codes = linked_qr_codes(&p, "comune-milano-informa/booklet.html");
    assert_eq!(codes.len(), 51, "the cover's code and one a site");
    assert_eq!(codes[0], "https://www.example.org/servizio-civile/comune-milano-informa/");
    assert_eq!(
        codes[50],
        "https://www.example.org/servizio-civile/comune-milano-informa/sede-50-sportello-di-quartiere/"
    );
    let site = "comune-milano-informa/sede-07-sportello-di-quartiere";
    let leaflets = linked_qr_codes(&p, "comune-milano-informa/leaflets.html");
    assert_eq!(leaflets, codes[1..], "leaflets.html links the same codes as the booklet");
    assert_eq!(linked_qr_codes(&p, &format!("{site}/leaflet.html")), [codes[7].clone()]);
    // One stroke a run of dark modules: about 1.2 bytes a module of the drawing.
    let code = p.read(&format!("{site}/qr.svg"));
    assert!(code.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\""), "a drawing a browser opens alone");
    let size: usize =
        code.split("viewBox=\"0 0 ").nth(1).and_then(|v| v.split(' ').next()?.parse().ok()).expect("viewBox");
    assert!(code.len() < size * size * 3 / 2, "{site}/qr.svg: {} bytes for {size} x {size} modules", code.len());
    // About 2.5 KB of facts a site, and 60 bytes of link to its code.
    let per_site = booklet.len() / 50;
    assert!(per_site < 3_000, "booklet.html: {} bytes, {per_site} a site", booklet.len());
    let leaflets = p.read("comune-milano-informa/leaflets.html");
    assert!(leaflets.len() / 50 < 3_000, "leaflets.html: {} bytes", leaflets.len());
}

/// Until the codes became files, a template drew one with `{{ s.qr | safe }}`; Tera shows
/// the now unknown field as nothing, so a theme copied then would print every leaflet
/// without its code, silently. The build refuses it and says what to write instead.
#[test]
fn a_theme_that_still_draws_the_code_inline_is_refused_with_the_line_to_write() {
    let p = Project::fixture("filters");
    let rel = "themes/default/templates/partials/print-site.html";
    let current = std::fs::read_to_string(p.root().join(rel)).expect("the partial");
    let line = current.lines().position(|l| l.contains("s.qr_src %}")).expect("the code's test") + 1;
    p.edit(
        rel,
        "{%- if s.qr_src %}\n    <img class=\"qr\" src=\"{{ s.qr_src }}\" alt=\"{{ t.qr_label }}\">\n    {%- endif %}",
        "{{ s.qr | safe }}",
    );
    let e = p.build_error();
    assert_eq!(e.kind, brochure::diagnostic::Kind::TemplateError, "{e}");
    crate::project::assert_at(&e, rel, Some(line), Some(8));
    assert!(e.message.contains("leaflets would print without their code"), "{e}");
    assert!(crate::project::hint(&e).contains("<img class=\"qr\" src=\"{{ s.qr_src }}\""), "{e}");
    assert!(!p.public().exists(), "nothing is written");
}

/// A programme made before its sites (`brochure new programme`, then `draft: false`), or
/// whose sites are all drafts, builds: its booklet is its cover padded to four pages, its
/// leaflets list none, and `check` and `build` both warn that it has no site yet. Its
/// leaflets were a template error that told the writer to fix the theme.
#[test]
fn a_programme_without_a_published_site_builds_with_a_warning() {
    let p = Project::fixture("filters");
    p.edit("content/beta/b1.it.md", "---\n", "---\ndraft: true\n");
    let report = p.build_ok();
    let warned = |found: &[brochure::diagnostic::Diagnostic]| {
        found.iter().any(|d| {
            d.message.contains("has no published site yet")
                && d.path.as_deref() == Some(std::path::Path::new("content/beta/_index.it.md"))
        })
    };
    assert!(warned(&report.warnings), "build warns: {:?}", report.warnings);
    assert!(warned(&brochure::build::check(&p.options())), "check warns as build does");
    let leaflets = p.read("beta/leaflets.html");
    assert_eq!(leaflets.matches("class=\"sheet").count(), 0, "{leaflets}");
    let booklet = p.read("beta/booklet.html");
    assert_eq!(booklet.matches("<section class=\"sheet").count(), 4, "cover and three blank pages: {booklet}");
    assert_eq!(booklet.matches("class=\"sheet blank\"").count(), 3);
    assert!(!booklet.contains("class=\"sheet contents\""), "no contents page that lists nothing");
    assert!(p.read("beta/index.html").contains("0 sedi"));
}
