//! Markdown bodies and the URLs in pages: raw HTML policy, script URLs, links between
//! content files, and a site served from a subfolder.

use std::path::Path;

use crate::project::{attribute_values, tree, Project};

const RAW: &str = "---\ntitle: \"Pagina grezza\"\n---\n\
Ciao <span onclick=\"steal()\">mondo</span>.\n\n\
<script>alert(1)</script>\n\n\
[clicca](javascript:alert(2)) e [anche qui]( JaVaScRiPt:alert(3))\n";

#[test]
fn raw_html_and_script_links_are_left_out_by_default() {
    let p = Project::fixture("basic");
    p.write("content/grezza.it.md", RAW);
    let report = p.build_ok();
    let html = p.read("grezza/index.html");
    let body = &html[html.find("<div class=\"prose\">").expect("a prose block")..];
    assert!(!html.contains("<script>alert"), "{body}");
    assert!(!html.contains("onclick"), "{body}");
    assert!(!html.to_lowercase().contains("javascript:"), "{body}");
    assert!(body.contains("mondo"), "the text around raw HTML is kept:\n{body}");
    assert!(body.contains(">clicca</a>"), "{body}");
    // The writer is told once, on their file.
    let warnings: Vec<_> = report.warnings.iter().filter(|w| w.message.contains("raw HTML")).collect();
    assert_eq!(warnings.len(), 1, "{:?}", report.warnings);
    assert_eq!(warnings[0].path.as_deref(), Some(Path::new("content/grezza.it.md")));
}

#[test]
fn raw_html_allowed_by_the_config_is_kept_without_scripts_or_event_handlers() {
    let p = Project::fixture("basic");
    p.write("content/grezza.it.md", RAW);
    p.edit("config.yaml", "unsafe_html: false", "unsafe_html: true");
    p.build_ok();
    let html = p.read("grezza/index.html");
    let main = &html[html.find("<main").expect("main")..html.find("</main>").expect("main end")];
    assert!(main.contains("<span>mondo</span>"), "markup is kept: {main}");
    assert!(!main.contains("onclick") && !main.contains("<script>alert"), "scripts are removed: {main}");
    // Script URLs in Markdown links stay neutralised whatever the setting.
    assert!(!main.to_lowercase().contains("javascript:"), "{main}");
}

#[test]
fn raw_html_is_emitted_as_written_only_when_marked_dangerous() {
    let p = Project::fixture("basic");
    p.write("content/grezza.it.md", RAW);
    p.edit("config.yaml", "unsafe_html: false", "unsafe_html: dangerous");
    p.build_ok();
    let html = p.read("grezza/index.html");
    assert!(html.contains("<span onclick=\"steal()\">mondo</span>"), "{html}");
    assert!(html.contains("<script>alert(1)</script>"), "{html}");
    assert!(!html.to_lowercase().contains("javascript:"), "{html}");
}

#[test]
fn every_root_relative_url_carries_the_subfolder_of_base_url() {
    let p = Project::fixture("basic");
    p.edit("config.yaml", "base_url: \"https://example.org/\"", "base_url: \"https://example.org/sub/dir/\"");
    p.build_ok();
    let files = tree(&p.public());
    let mut checked = 0;
    for (path, bytes) in files.iter().filter(|(path, _)| path.extension().is_some_and(|e| e == "html")) {
        let html = std::str::from_utf8(bytes).expect("UTF-8 HTML");
        for url in attribute_values(html, "href").into_iter().chain(attribute_values(html, "src")) {
            if url.starts_with('/') {
                assert!(url.starts_with("/sub/dir/"), "{} links to {url}", path.display());
                checked += 1;
            }
        }
    }
    assert!(checked > 50, "only {checked} root-relative URLs found: is the scan working?");
    let home = p.read("index.html");
    assert!(home.contains("<link rel=\"canonical\" href=\"https://example.org/sub/dir/\">"), "{home}");
    assert!(p.read("robots.txt").contains("Sitemap: https://example.org/sub/dir/sitemap.xml"));
}

#[test]
fn links_to_content_files_point_to_the_target_page_in_the_same_language() {
    let p = Project::fixture("basic");
    p.edit("config.yaml", "base_url: \"https://example.org/\"", "base_url: \"https://example.org/sub/dir/\"");
    p.build_ok();
    let cases = [
        // (page, link text, expected href): every source links to the .it.md file.
        ("index.html", "come funziona", "/sub/dir/servizio-civile/"),
        ("en/index.html", "how it works", "/sub/dir/en/civil-service/"),
        ("servizio-civile/index.html", "Sportello Casa", "/sub/dir/progetto/casa/"),
        ("en/civil-service/index.html", "Housing Desk", "/sub/dir/en/test-programme/housing-desk/"),
        ("progetto/casa/index.html", "la biblioteca", "/sub/dir/progetto/biblioteca/"),
        // The library has no English file: the link goes to its English fallback page.
        ("en/test-programme/housing-desk/index.html", "the library", "/sub/dir/en/test-programme/biblioteca/"),
    ];
    for (page, text, href) in cases {
        let html = p.read(page);
        let link = format!("<a href=\"{href}\">{text}</a>");
        assert!(html.contains(&link), "{page} should contain {link}:\n{html}");
    }
}

#[test]
fn removed_script_and_style_elements_leave_no_text_on_the_page() {
    let p = Project::fixture("basic");
    p.write(
        "content/grezza.it.md",
        "---\ntitle: \"Pagina grezza\"\n---\n\
         Prima <script>steal(document.cookie)</script> dopo.\n\n\
         Sopra <STYLE type=\"text/css\">p { color: red }</style> sotto.\n\n\
         Qui <script>var a = 1;\n\nvar b = 2;</script> fine.\n\n\
         Il tag <script> citato nel testo resta leggibile.\n",
    );
    p.build_ok();
    let html = p.read("grezza/index.html");
    let prose = &html[html.find("<div class=\"prose\">").expect("a prose block")..];
    let prose = &prose[..prose.find("</div>").expect("end of the prose block")];
    for code in ["steal(", "document.cookie", "color: red", "var a", "var b"] {
        assert!(!prose.contains(code), "`{code}` is visible:\n{prose}");
    }
    for text in ["Prima", "dopo.", "Sopra", "sotto.", "Qui", "fine.", "citato nel testo resta leggibile"] {
        assert!(prose.contains(text), "`{text}` is missing:\n{prose}");
    }
}

/// The processor time this thread has used: unlike the time on the clock, it does not grow
/// when other tests or programs keep the machine busy.
fn thread_cpu_time() -> std::time::Duration {
    let t = rustix::time::clock_gettime(rustix::time::ClockId::ThreadCPUTime);
    std::time::Duration::new(t.tv_sec as u64, t.tv_nsec as u32)
}

/// The anchors of `count` headings all titled "Orari", and the processor time they took.
fn identical_headings(count: usize) -> (Vec<String>, std::time::Duration) {
    let source = "## Orari\n\n".repeat(count);
    let started = thread_cpu_time();
    let html = brochure::render::markdown::to_html(&source, Default::default(), &|_: &str| None).html;
    let ids = brochure::render::markdown::heading_ids(&source);
    let elapsed = thread_cpu_time() - started;
    assert_eq!(html.matches("<h2 id=").count(), count);
    (ids, elapsed)
}

#[test]
fn a_hundred_thousand_identical_headings_get_unique_anchors_in_linear_time() {
    let (ids, small) = identical_headings(10_000);
    assert_eq!(ids.len(), 10_000);
    let (ids, large) = identical_headings(100_000);
    assert_eq!((ids[0].as_str(), ids[1].as_str(), ids[99_999].as_str()), ("orari", "orari-1", "orari-99999"));
    assert_eq!(ids.iter().collect::<std::collections::HashSet<_>>().len(), 100_000, "anchors are unique");
    // Quadratic work (each repeat trying every taken suffix) took 12 s for 16,000 headings:
    // ten times the headings would cost a hundred times as long. An unoptimised test build
    // is about ten times slower than `--release`, where the bound is 1 s.
    let bound = std::time::Duration::from_secs(if cfg!(debug_assertions) { 6 } else { 1 });
    assert!(large < bound, "100,000 headings took {large:?}");
    assert!(large < small * 30, "10,000 headings took {small:?}, 100,000 took {large:?}: not linear");
}

#[test]
fn a_link_to_a_heading_stays_on_the_page_that_has_the_heading() {
    let p = Project::fixture("basic");
    let text = std::fs::read_to_string(p.root().join("content/servizio-civile.en.md")).expect("read");
    p.write("content/servizio-civile.en.md", format!("{text}\nSee [the context](progetto/casa.it.md#il-contesto).\n"));
    p.build_ok();
    let html = p.read("en/civil-service/index.html");
    // The English housing page is another file with other headings: the link keeps the Italian page.
    assert!(html.contains("href=\"/progetto/casa/#il-contesto\""), "{html}");
}
