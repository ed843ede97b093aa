//! PDFs as files: reproducible from build to build, kept by a build without `--pdf` while
//! their document is unchanged (and reported when out of date), one `leaflets.pdf` per
//! programme and language for the print shop, and a QR code that still decodes once printed.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use brochure::diagnostic::Kind;
use brochure::hashing::ContentHash;
use brochure::pdf::PdfRecord;
use brochure::BuildReport;

use crate::project::{tree, Project};

fn pdf_build(p: &Project) -> BuildReport {
    let mut opts = p.options();
    opts.pdf = true;
    opts.chromium = Some("/usr/bin/chromium".into());
    let report = brochure::build(&opts).unwrap_or_else(|e| panic!("build --pdf: {e}"));
    let not_made: Vec<&str> =
        report.warnings.iter().filter(|w| w.kind == Kind::PdfNotMade).map(|w| w.message.as_str()).collect();
    assert!(report.pdf.printed > 0 && not_made.is_empty(), "PDFs not made: {not_made:?}");
    report
}

/// Every PDF of the output folder, by path.
fn pdfs(out: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    tree(out).into_iter().filter(|(rel, _)| rel.extension().is_some_and(|e| e == "pdf")).collect()
}

fn pdfinfo(pdf: &Path) -> String {
    let out = Command::new("pdfinfo").arg(pdf).output().expect("pdfinfo (install poppler-utils)");
    assert!(out.status.success(), "pdfinfo rejects {}: {}", pdf.display(), String::from_utf8_lossy(&out.stderr));
    assert!(
        out.stderr.is_empty(),
        "pdfinfo finds errors in {}: {}",
        pdf.display(),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn pages(pdf: &Path) -> usize {
    let info = pdfinfo(pdf);
    let line = info.lines().find(|l| l.starts_with("Pages:")).expect("a page count");
    line["Pages:".len()..].trim().parse().expect("a number")
}

fn page_text(pdf: &Path, page: usize) -> String {
    let n = page.to_string();
    let out = Command::new("pdftotext").args(["-f", &n, "-l", &n]).arg(pdf).arg("-").output().expect("pdftotext");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
#[ignore = "needs chromium"]
fn two_pdf_builds_of_the_same_content_give_byte_identical_valid_pdfs() {
    let p = Project::fixture("filters");
    pdf_build(&p);
    let first = pdfs(&p.public());
    assert_eq!(first.len(), 10 + 4 + 4, "10 leaflets, 4 booklets, 4 leaflets.pdf");
    // The same content in another folder, printed from scratch, seconds later (Chromium
    // dates its PDFs to the second).
    std::thread::sleep(std::time::Duration::from_millis(1100));
    let other = Project::fixture("filters");
    let report = pdf_build(&other);
    assert_eq!(report.pdf.printed, 18, "a new project prints every PDF");
    let second = pdfs(&other.public());
    for (rel, bytes) in &first {
        assert!(second.get(rel) == Some(bytes), "{} differs between two builds", rel.display());
        let info = pdfinfo(&p.public().join(rel));
        assert!(info.contains("CreationDate:    Thu Jan  1 00:00:00 1970 UTC"), "{}: {info}", rel.display());
    }
}

#[test]
#[ignore = "needs chromium"]
fn build_pdf_prints_again_only_the_documents_that_changed() {
    let p = Project::fixture("filters");
    pdf_build(&p);
    let before = pdfs(&p.public());
    let mut opts = p.options();
    opts.pdf = true;
    opts.chromium = Some("/usr/bin/chromium".into());
    let again = brochure::build(&opts).expect("build --pdf");
    assert_eq!((again.pdf.printed, again.pdf.kept), (0, 18), "nothing changed, nothing printed");
    assert_eq!(pdfs(&p.public()), before);

    p.edit("content/alpha/a2.it.md", "volunteers: 2", "volunteers: 3");
    let report = pdf_build(&p);
    // a2's leaflets (it; en falls back to it), alpha's booklets and leaflets.pdf (it, en).
    assert_eq!((report.pdf.printed, report.pdf.kept), (6, 12));
    let after = pdfs(&p.public());
    assert_eq!(after[Path::new("alpha/a1/leaflet.pdf")], before[Path::new("alpha/a1/leaflet.pdf")]);
    assert_ne!(after[Path::new("alpha/a2/leaflet.pdf")], before[Path::new("alpha/a2/leaflet.pdf")]);
    assert!(page_text(&p.public().join("alpha/a2/leaflet.pdf"), 1).contains("3 volontari"), "the new fact is printed");
}

#[test]
#[ignore = "needs chromium"]
fn the_pdf_date_comes_from_source_date_epoch() {
    let p = Project::fixture("filters");
    let build_at = |epoch: &str| {
        let out = Command::new(env!("CARGO_BIN_EXE_brochure"))
            .args(["build", "--pdf", "--chromium", "/usr/bin/chromium", "--root"])
            .arg(p.root())
            .env("SOURCE_DATE_EPOCH", epoch)
            .output()
            .expect("run brochure");
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        pdfinfo(&p.public().join("alpha/a1/leaflet.pdf"))
    };
    let info = build_at("1700000000");
    assert!(info.contains("CreationDate:    Tue Nov 14 22:13:20 2023 UTC"), "{info}");
    assert!(info.contains("ModDate:         Tue Nov 14 22:13:20 2023 UTC"), "{info}");
    // Another date is another PDF: not kept from the previous build.
    let info = build_at("1800000000");
    assert!(info.contains("CreationDate:    Fri Jan 15 08:00:00 2027 UTC"), "{info}");
}

#[test]
#[ignore = "needs chromium"]
fn a_build_without_pdf_keeps_unchanged_pdfs_and_counts_the_out_of_date_ones() {
    let p = Project::fixture("filters");
    pdf_build(&p);
    let printed = pdfs(&p.public());
    let report = p.build_ok();
    assert_eq!((report.pdf.kept, report.pdf.stale, report.pdf.printed), (18, 0, 0));
    assert_eq!(pdfs(&p.public()), printed, "every PDF is still there, unchanged");
    assert!(p.read("alpha/a1/index.html").contains("href=\"/alpha/a1/leaflet.pdf\""), "the page links the PDF");

    // A fact of a2 changes: its leaflets (it, en falls back to it) and the programme's
    // booklets and leaflets.pdf (both languages) are out of date.
    p.edit("content/alpha/a2.it.md", "volunteers: 2", "volunteers: 3");
    let report = p.build_ok();
    assert_eq!(report.pdf.stale, 6, "a2's 2 leaflets, alpha's 2 booklets and 2 leaflets.pdf");
    assert_eq!(report.pdf.kept, 12);
    assert!(!p.exists("alpha/a2/leaflet.pdf"), "an out-of-date PDF is not kept");
    assert!(p.read("alpha/a2/index.html").contains("href=\"/alpha/a2/leaflet.html\""), "its page links the HTML");
    assert!(!p.read("alpha/index.html").contains("booklet.pdf"));
    assert_eq!(p.read_bytes("alpha/a1/leaflet.pdf"), printed[Path::new("alpha/a1/leaflet.pdf")], "a1 kept");

    // A later build does not count them again: they are gone, not out of date twice.
    assert_eq!(p.build_ok().pdf.stale, 0);
}

#[test]
#[ignore = "needs chromium"]
fn leaflets_pdf_holds_every_leaflet_of_the_programme_one_a4_page_each_in_order() {
    let p = Project::real();
    pdf_build(&p);
    let programme = "comune-milano-informa";
    let pdf = p.public().join(programme).join("leaflets.pdf");
    let sites: Vec<String> = p
        .read(&format!("{programme}/index.html"))
        .split("<h3 class=\"card-title\"")
        .skip(1)
        .map(|card| card.split("</a>").next().unwrap_or("").rsplit('>').next().unwrap_or("").to_string())
        .collect();
    assert_eq!(sites.len(), 9, "the programme page lists 9 sites: {sites:?}");
    assert_eq!(pages(&pdf), sites.len(), "one page per site");
    assert!(pdfinfo(&pdf).contains("(A4)"));
    let words = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
    for (i, title) in sites.iter().enumerate() {
        let title = words(&title.replace("&#x27;", "'").replace("&amp;", "&"));
        assert!(words(&page_text(&pdf, i + 1)).contains(&title), "page {} is the leaflet of {title}", i + 1);
    }
    let page = p.read(&format!("{programme}/index.html"));
    assert!(page.contains(&format!("href=\"/servizio-civile/{programme}/leaflets.pdf\"")), "linked from the programme");
}

#[test]
#[ignore = "needs chromium"]
fn the_qr_code_printed_on_a_leaflet_decodes_to_its_page() {
    let p = Project::fixture("filters");
    pdf_build(&p);
    let pdf = p.public().join("en/alpha-en/a1/leaflet.pdf");
    let prefix = p.root().join("page");
    let status = Command::new("pdftoppm").args(["-r", "150", "-gray", "-singlefile"]).arg(&pdf).arg(&prefix).status();
    assert!(status.expect("pdftoppm").success());
    let pgm = std::fs::read(prefix.with_extension("pgm")).expect("the page as an image");
    let (width, height, pixels) = parse_pgm(&pgm);
    let mut img = rqrr::PreparedImage::prepare_from_greyscale(width, height, |x, y| pixels[y * width + x]);
    let grids = img.detect_grids();
    assert_eq!(grids.len(), 1, "one QR code on the page");
    assert_eq!(grids[0].decode().expect("it decodes").1, "https://example.org/en/alpha-en/a1/");
}

/// A binary greyscale PGM (`P5`, 8 bits), as pdftoppm writes it.
fn parse_pgm(bytes: &[u8]) -> (usize, usize, &[u8]) {
    let mut fields = Vec::new();
    let mut at = 0;
    while fields.len() < 4 {
        while bytes[at].is_ascii_whitespace() {
            at += 1;
        }
        let start = at;
        while !bytes[at].is_ascii_whitespace() {
            at += 1;
        }
        fields.push(std::str::from_utf8(&bytes[start..at]).expect("header"));
    }
    assert_eq!((fields[0], fields[3]), ("P5", "255"));
    let (w, h) = (fields[1].parse().expect("width"), fields[2].parse().expect("height"));
    (w, h, &bytes[at + 1..at + 1 + w * h])
}

/// What a build records a PDF as printed from: the document's hash with its QR codes' (see
/// `render::PrintFingerprint`), for the project's `base_url`.
fn printed_from(p: &Project, html: &str) -> ContentHash {
    let config = std::fs::read_to_string(p.root().join("config.yaml")).expect("config.yaml");
    let base = config.lines().find_map(|l| l.strip_prefix("base_url: ")).expect("base_url").trim_matches('"');
    let base = brochure::config::BaseUrl::parse(base).expect("a valid base_url");
    brochure::render::PrintFingerprint::new(&base).of(p.read(html).as_bytes())
}

/// The QR code is a file beside the page, drawn from the site's address: a theme that does
/// not print the address under the code makes the same leaflet for another `base_url`, but
/// a PDF printed then leads to the old address and must not be kept.
#[test]
fn a_recorded_pdf_is_not_kept_when_only_its_qr_codes_address_changed() {
    let p = Project::fixture("filters");
    let rel = "themes/default/templates/partials/print-site.html";
    let text = std::fs::read_to_string(p.root().join(rel)).expect("the partial");
    let line = text.lines().find(|l| l.contains("class=\"p-url\"")).expect("the address line").to_string();
    p.edit(rel, &line, "");
    p.build_ok();
    let before = p.read("alpha/a1/leaflet.html");
    let mut record = PdfRecord::default();
    let made = brochure::pdf::made_from(printed_from(&p, "alpha/a1/leaflet.html"), brochure::pdf::source_date_epoch());
    record.0.insert("alpha/a1/leaflet.pdf".into(), made);
    std::fs::write(p.public().join(brochure::pdf::RECORD), record.to_text()).unwrap();
    std::fs::write(p.public().join("alpha/a1/leaflet.pdf"), "%PDF-1.4 a1").unwrap();
    assert_eq!(p.build_ok().pdf.kept, 1, "unchanged: kept");

    p.edit("config.yaml", "base_url: \"https://example.org/\"", "base_url: \"https://example.org/civile/\"");
    let report = p.build_ok();
    assert_eq!(p.read("alpha/a1/leaflet.html"), before, "the leaflet's text is the same");
    assert_eq!(p.read("alpha/a1/qr.svg"), brochure::render::qr::svg("https://example.org/civile/alpha/a1/").unwrap());
    assert_eq!((report.pdf.kept, report.pdf.stale), (0, 1), "its code leads elsewhere: not kept");
    assert!(!p.exists("alpha/a1/leaflet.pdf"));
}

/// Without Chromium: a PDF recorded by an earlier build (here written by the test, as a
/// `--pdf` build would) is kept while its leaflet is unchanged, and its page links it.
#[test]
fn a_recorded_pdf_is_kept_and_linked_while_its_document_is_unchanged() {
    let p = Project::fixture("filters");
    p.build_ok();
    let html = printed_from(&p, "alpha/a1/leaflet.html");
    let leaflet = brochure::pdf::made_from(html, brochure::pdf::source_date_epoch());
    let mut record = PdfRecord::default();
    record.0.insert("alpha/a1/leaflet.pdf".into(), leaflet);
    record.0.insert("alpha/a3/leaflet.pdf".into(), ContentHash(1));
    let public = p.public();
    std::fs::write(public.join(brochure::pdf::RECORD), record.to_text()).unwrap();
    std::fs::write(public.join("alpha/a1/leaflet.pdf"), "%PDF-1.4 a1").unwrap();
    std::fs::write(public.join("alpha/a3/leaflet.pdf"), "%PDF-1.4 a3, printed from another leaflet").unwrap();

    let report = p.build_ok();
    assert_eq!((report.pdf.kept, report.pdf.stale), (1, 1));
    assert_eq!(p.read("alpha/a1/leaflet.pdf"), "%PDF-1.4 a1");
    assert!(p.read("alpha/a1/index.html").contains("href=\"/alpha/a1/leaflet.pdf\" type=\"application/pdf\""));
    assert!(!p.exists("alpha/a3/leaflet.pdf"), "printed from a different leaflet: left out");
    assert!(p.read("alpha/a3/index.html").contains("href=\"/alpha/a3/leaflet.html\""));
    let kept = PdfRecord::parse(&p.read(brochure::pdf::RECORD));
    assert_eq!(kept.0.keys().collect::<Vec<_>>(), ["alpha/a1/leaflet.pdf"], "the new record lists what is there");

    // The CLI says how many are out of date.
    std::fs::write(public.join("alpha/a1/leaflet.pdf"), "%PDF-1.4 a1").unwrap();
    p.edit("content/alpha/a1.it.md", "volunteers: 1", "volunteers: 4");
    let out = Command::new(env!("CARGO_BIN_EXE_brochure")).arg("build").arg("--root").arg(p.root()).output().unwrap();
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(said.contains("1 PDF document is out of date"), "{said}");
    assert!(said.contains("brochure build --pdf"), "{said}");
}

/// A browser that exits at once (`--chromium /bin/false`), or that says it is listening and
/// then never answers: the build waits at most its start timeout, not forever while holding
/// the output's lock, says why, and the pages link the HTML documents. The pages linked PDFs
/// that nothing could make, and the build succeeded.
#[cfg(unix)]
#[test]
fn a_browser_that_fails_to_start_leaves_the_pages_linking_the_html_documents() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let mute = dir.path().join("mute-browser");
    std::fs::write(
        &mute,
        "#!/bin/sh\necho 'DevTools listening on ws://127.0.0.1:1/devtools/browser/x' >&2\nexec sleep 600\n",
    )
    .unwrap();
    std::fs::set_permissions(&mute, std::fs::Permissions::from_mode(0o755)).unwrap();
    for browser in [PathBuf::from("/bin/false"), mute] {
        let p = Project::fixture("filters");
        let mut opts = p.options();
        opts.pdf = true;
        opts.chromium = Some(browser.clone());
        let report = crate::project::within(60, "a build with a browser that does not start", move || {
            brochure::build(&opts).map_err(|e| e.to_string())
        })
        .unwrap_or_else(|e| panic!("{}: {e}", browser.display()));
        let why: Vec<&str> =
            report.warnings.iter().filter(|w| w.kind == Kind::PdfNotMade).map(|w| w.message.as_str()).collect();
        assert!(why.iter().any(|w| w.contains("did not start")), "{}: {why:?}", browser.display());
        assert_eq!(report.pdf.printed, 0);
        assert!(pdfs(&p.public()).is_empty());
        for page in ["alpha/a1/index.html", "alpha/index.html"] {
            assert!(!p.read(page).contains(".pdf\""), "{}: {page} links no PDF", browser.display());
        }
        assert!(p.read("alpha/a1/index.html").contains("href=\"/alpha/a1/leaflet.html\""));
    }
}

/// A build stopped while its browser runs, with SIGTERM (a service manager, `timeout`) or
/// SIGKILL, takes the browser with it. The browser outlived the build: one more Chromium
/// left running on the server by each build that was stopped.
#[cfg(target_os = "linux")]
#[test]
fn a_build_stopped_while_its_browser_runs_takes_the_browser_with_it() {
    use std::os::unix::fs::PermissionsExt;
    use std::time::{Duration, Instant};
    let dir = tempfile::tempdir().unwrap();
    // A browser that never says where it listens: the build waits for it, up to 20 s.
    let browser = dir.path().join("slow-browser");
    std::fs::write(&browser, "#!/bin/sh\necho $$ > \"$BROWSER_PID_FILE\"\nexec sleep 600\n").unwrap();
    std::fs::set_permissions(&browser, std::fs::Permissions::from_mode(0o755)).unwrap();
    let until = |secs: u64, what: &str, done: &dyn Fn() -> bool| {
        let end = Instant::now() + Duration::from_secs(secs);
        while !done() {
            assert!(Instant::now() < end, "{what} within {secs} s");
            std::thread::sleep(Duration::from_millis(50));
        }
    };
    // Gone, or dead and waiting to be reaped by whoever adopted it.
    let running = |pid: &str| {
        std::fs::read_to_string(format!("/proc/{pid}/stat"))
            .is_ok_and(|stat| stat.rsplit_once(") ").is_some_and(|(_, rest)| !rest.starts_with('Z')))
    };
    for signal in ["TERM", "KILL"] {
        let p = Project::fixture("filters");
        let pid_file = dir.path().join(format!("browser-{signal}.pid"));
        let mut build = Command::new(env!("CARGO_BIN_EXE_brochure"))
            .args(["build", "--pdf", "--chromium"])
            .arg(&browser)
            .current_dir(p.root())
            .env("BROWSER_PID_FILE", &pid_file)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        let pid = || std::fs::read_to_string(&pid_file).unwrap_or_default().trim().to_string();
        until(15, "the browser starts", &|| !pid().is_empty());
        let pid = pid();
        assert!(running(&pid), "the browser runs while the build waits for it");
        let sent = Command::new("kill").args(["-s", signal, &build.id().to_string()]).status().unwrap();
        assert!(sent.success());
        let _ = build.wait();
        until(5, &format!("the browser ends with a build stopped by SIG{signal}"), &|| !running(&pid));
        // Its profile is beside the output folder, not in the system's temporary folder,
        // and the next build removes it.
        let profiles = || {
            std::fs::read_dir(p.root())
                .unwrap()
                .filter(|e| e.as_ref().unwrap().file_name().to_string_lossy().starts_with(".public.brochure-browser-"))
                .count()
        };
        assert_eq!(profiles(), 1, "the stopped build's browser profile");
        p.build_ok();
        assert_eq!(profiles(), 0, "the next build removes it");
    }
}

/// A kept PDF is a PDF: one emptied, or replaced by a link, since the build that printed it
/// is not kept on the record's word (it was, and an empty booklet was published); its page
/// links the HTML document until it is printed again.
#[cfg(unix)]
#[test]
#[ignore = "needs chromium"]
fn a_recorded_pdf_that_was_emptied_or_replaced_by_a_link_is_not_kept() {
    let p = Project::fixture("filters");
    pdf_build(&p);
    std::fs::write(p.public().join("alpha/a1/leaflet.pdf"), "").unwrap();
    let a3 = p.public().join("alpha/a3/leaflet.pdf");
    std::fs::remove_file(&a3).unwrap();
    std::os::unix::fs::symlink("/etc/hostname", &a3).unwrap();
    let report = p.build_ok();
    assert_eq!((report.pdf.kept, report.pdf.stale), (16, 2));
    for site in ["a1", "a3"] {
        assert!(!p.exists(&format!("alpha/{site}/leaflet.pdf")), "{site}'s PDF is not kept");
        assert!(p.read(&format!("alpha/{site}/index.html")).contains(&format!("href=\"/alpha/{site}/leaflet.html\"")));
    }
    assert!(p.read("alpha/a2/index.html").contains("href=\"/alpha/a2/leaflet.pdf\""), "the others are kept");
}
