//! Printing in real Chromium: every leaflet of the real content fits one A4 page; the
//! booklet's page count, contents, running footer, blank padding pages and cover are right
//! (checked with poppler-utils).

use std::path::Path;
use std::process::Command;

use crate::project::Project;

fn pdfinfo(pdf: &Path) -> String {
    let out = Command::new("pdfinfo").arg(pdf).output().expect("pdfinfo (install poppler-utils)");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn field(info: &str, name: &str) -> String {
    info.lines().find(|l| l.starts_with(name)).map(|l| l[name.len() + 1..].trim().to_string()).unwrap_or_default()
}

fn page_text(pdf: &Path, page: usize) -> String {
    let out = Command::new("pdftotext")
        .args(["-f", &page.to_string(), "-l", &page.to_string(), "-layout"])
        .arg(pdf)
        .arg("-")
        .output()
        .expect("pdftotext");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// The real content as it will be published: with a final address, so the documents carry no
/// "preview" mark (tested apart) across the text and the blank padding pages.
fn real_site_with_pdfs() -> Project {
    let p = Project::real();
    let mut opts = p.options();
    opts.base_url = Some("https://www.comune.milano.it/servizio-civile/".into());
    opts.pdf = true;
    opts.chromium = Some("/usr/bin/chromium".into());
    let report = brochure::build(&opts).unwrap_or_else(|e| panic!("build: {e}"));
    assert!(report.pdf.printed > 0, "PDFs were made: {:?}", report.warnings);
    p
}

#[test]
#[ignore = "needs chromium"]
fn every_leaflet_of_the_real_content_prints_on_one_a4_page() {
    let p = real_site_with_pdfs();
    let mut count = 0;
    for (rel, _) in crate::project::tree(&p.public()) {
        if rel.file_name().is_some_and(|n| n == "leaflet.pdf") {
            let info = pdfinfo(&p.public().join(&rel));
            assert_eq!(field(&info, "Pages:"), "1", "{} has more than one page", rel.display());
            assert!(field(&info, "Page size:").contains("(A4)"), "{} is not A4: {info}", rel.display());
            assert!(!field(&info, "Title:").is_empty(), "{} has a title", rel.display());
            count += 1;
        }
    }
    assert_eq!(count, 20, "10 sites in 2 languages");
}

#[test]
#[ignore = "needs chromium"]
fn booklet_pages_contents_and_footer_match_in_the_pdf() {
    let p = real_site_with_pdfs();
    let pdf = p.public().join("comune-milano-informa/booklet.pdf");
    let pages: usize = field(&pdfinfo(&pdf), "Pages:").parse().expect("page count");
    assert_eq!(pages % 4, 0, "{pages} pages cannot be saddle-stitched");
    assert_eq!(pages, 12, "cover, contents, 9 sites, 1 blank");
    let contents = page_text(&pdf, 2);
    let words = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
    let lines: Vec<&str> =
        contents.lines().filter(|l| l.contains(" (") && l.trim_end().ends_with(|c: char| c.is_ascii_digit())).collect();
    assert_eq!(lines.len(), 9, "one contents line per site:\n{contents}");
    for line in lines {
        let page: usize = line.split_whitespace().last().and_then(|n| n.parse().ok()).expect("a page number");
        let title = words(&line[..line.find(" (").expect("code")]);
        // A long title wraps on the site's page: compare words, not lines.
        assert!(words(&page_text(&pdf, page)).contains(&title), "contents says {title} is on page {page}");
    }
    for n in 2..=11 {
        assert!(page_text(&pdf, n).contains(&format!("{n} / {pages}")), "footer of page {n}");
    }
    assert!(!page_text(&pdf, 1).contains(&format!("1 / {pages}")), "no footer on the cover");
    assert_eq!(page_text(&pdf, 12).trim(), "", "the padding page is blank: no footer, no number");
    assert!(!contents.contains("Inquadra") && !contents.contains("example.org"), "no QR block on the contents");
}

#[test]
#[ignore = "needs chromium"]
fn the_booklet_cover_shows_every_programme_fact_of_the_web_page() {
    let p = real_site_with_pdfs();
    let words = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
    let cover = words(&page_text(&p.public().join("comune-milano-informa/booklet.pdf"), 1));
    let web = p.read("comune-milano-informa/index.html");
    let facts =
        web.split("<dl class=\"facts facts-programme\">").nth(1).and_then(|s| s.split("</dl>").next()).expect("facts");
    let values: Vec<String> = facts
        .split("<dd>")
        .skip(1)
        .map(|v| words(&v[..v.find("</dd>").expect("dd end")].replace("&#x27;", "'")))
        .collect();
    assert_eq!(values.len(), 6, "entity, year, sites, volunteers, sector, area: {values:?}");
    for value in values {
        // A long value may be cut with "..." on the web and the cover alike: compare its start.
        let start: String = value.chars().take(40).collect();
        assert!(cover.contains(&start), "the cover lacks {value:?}:\n{cover}");
    }
}

#[test]
#[ignore = "needs chromium"]
fn a_shortened_long_leaflet_still_prints_on_one_page() {
    let p = Project::fixture("filters");
    let many: String = (1..=25).map(|i| format!("  - \"Attività numero {i} con una descrizione piuttosto lunga che occupa almeno due righe di colonna\"\n")).collect();
    p.edit("content/alpha/a3.it.md", "weight: 3\n", &format!("weight: 3\nactivities:\n{many}"));
    let mut opts = p.options();
    opts.pdf = true;
    opts.chromium = Some("/usr/bin/chromium".into());
    let report = brochure::build(&opts).expect("build");
    assert!(report.warnings.iter().any(|w| w.message.contains("too long for one A4 page")));
    assert_eq!(field(&pdfinfo(&p.public().join("alpha/a3/leaflet.pdf")), "Pages:"), "1");
}

#[test]
fn missing_chromium_is_a_warning_and_the_html_site_is_built() {
    let p = Project::fixture("filters");
    let mut opts = p.options();
    opts.pdf = true;
    opts.chromium = Some("/nonexistent/chromium".into());
    let report = brochure::build(&opts).expect("the HTML build succeeds");
    let w = report.warnings.iter().find(|w| w.message.contains("PDF export skipped")).expect("a warning");
    assert!(w.hint.as_deref().unwrap_or("").contains("apt-get install chromium"));
    assert!(p.exists("alpha/a1/leaflet.html"));
    assert!(!p.read("alpha/a1/index.html").contains("leaflet.pdf"), "no link to a PDF that does not exist");
}

/// How far the columns of each printed site in `doc` run past the top of its footer (QR
/// code, contacts), in CSS pixels, in Chromium's print layout at A4's text width: above
/// zero, text prints under the footer.
fn columns_past_footer(tab: &headless_chrome::Tab, doc: &Path) -> Vec<f64> {
    crate::browser::open(tab, &format!("file://{}", doc.display()));
    let js = "JSON.stringify([...document.querySelectorAll('.sheet')].filter(s => s.querySelector('.p-cols')).map(s => \
              Math.max(...[...s.querySelectorAll('.p-cols li, .p-cols p, .p-cols h2, .p-cols h3')].map(e => e.getBoundingClientRect().bottom)) \
              - s.querySelector('.p-foot').getBoundingClientRect().top))";
    let found = crate::browser::eval(tab, js);
    serde_json::from_str(found.as_str().unwrap_or("[]")).expect("numbers")
}

/// The type of a leaflet is chosen with its title and address box counted: a title of three
/// lines and an office of two printed the last activities under the QR code, at the
/// largest type, without a warning. Every leaflet of the real content, and that one, ends
/// its columns above its footer.
#[test]
#[ignore = "needs chromium"]
fn no_leaflet_prints_its_text_under_its_footer_even_with_a_long_title_and_office() {
    use headless_chrome::protocol::cdp::Emulation;
    let p = Project::real();
    let site = "content/comune-milano-informa/alloggi-erp.it.md";
    let text = std::fs::read_to_string(p.root().join(site)).expect("the site's file");
    let title = text.lines().find(|l| l.starts_with("title:")).expect("a title").to_string();
    let office = text.lines().find(|l| l.starts_with("office:")).expect("an office").to_string();
    p.edit(
        site,
        &title,
        "title: \"Assegnazione degli Alloggi di Edilizia Residenziale Pubblica e supporto alla domanda\"",
    );
    p.edit(
        site,
        &office,
        "office: \"Area Assegnazione Alloggi ERP – Direzione Casa – Unità Bandi e Graduatorie, Ufficio Relazioni con il Pubblico e Sportello Informativo\"",
    );
    p.build_ok();
    let browser = crate::browser::chromium();
    let tab = browser.new_tab().expect("tab");
    tab.call_method(Emulation::SetEmulatedMedia { media: Some("print".into()), features: None }).expect("print media");
    // 210 mm less the page's side margins (14 mm each) at 96 px an inch.
    crate::browser::viewport(&tab, 688, 1100, false);
    let mut sheets = 0;
    for (rel, _) in crate::project::tree(&p.public()) {
        if rel.file_name().is_some_and(|n| n == "leaflet.html") {
            for past in columns_past_footer(&tab, &p.public().join(&rel)) {
                assert!(past < 0.0, "{}: the columns run {past:.0} px under the footer", rel.display());
                sheets += 1;
            }
        }
    }
    assert_eq!(sheets, 20, "10 sites in 2 languages");
    let long = p.read("comune-milano-informa/alloggi-erp/leaflet.html");
    assert!(!long.contains("sheet scale-large"), "the long header takes room: a smaller type");
}
