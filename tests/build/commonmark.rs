//! The CommonMark spec examples (0.31.2, the version pulldown-cmark 0.13 follows, copied
//! from the `commonmark-spec` npm package into `tests/spec/`) run through real pages of a
//! build. Those without raw HTML render as the spec says, apart from brochure's documented
//! differences, each undone below before comparing:
//! - headings carry anchors (`<h2 id="orari">`);
//! - smart punctuation (“quotes”, ’, –, —, …);
//! - relative links are resolved against the page's address (`foo` -> `/foo`): the examples
//!   this changes are listed when the test runs.
//!
//! Like the spec's own test runner, the comparison takes `"` and `&quot;` in text as equal.

use pulldown_cmark::{Event, Options, Parser};

use crate::project::{repo, Project};

struct Example {
    number: usize,
    section: String,
    markdown: String,
    html: String,
}

/// The examples of spec.txt, numbered as the spec numbers them; `→` stands for a tab.
fn examples() -> Vec<Example> {
    let text = std::fs::read_to_string(repo().join("tests/spec/commonmark-0.31.2.txt")).expect("spec.txt");
    let fence = "`".repeat(32);
    let (mut out, mut section) = (Vec::new(), String::new());
    let mut lines = text.lines();
    while let Some(line) = lines.next() {
        if line.starts_with('#') {
            section = line.trim_start_matches('#').trim().to_string();
        } else if line == format!("{fence} example") {
            let (mut markdown, mut html, mut in_html) = (String::new(), String::new(), false);
            for l in lines.by_ref().take_while(|l| *l != fence) {
                match l {
                    "." if !in_html => in_html = true,
                    _ if in_html => html.push_str(&format!("{l}\n")),
                    _ => markdown.push_str(&format!("{l}\n")),
                }
            }
            let tabs = |s: String| s.replace('→', "\t");
            out.push(Example {
                number: out.len() + 1,
                section: section.clone(),
                markdown: tabs(markdown),
                html: tabs(html),
            });
        }
    }
    out
}

fn has_raw_html(markdown: &str) -> bool {
    let opts = Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_HEADING_ATTRIBUTES
        | Options::ENABLE_SMART_PUNCTUATION;
    Parser::new_ext(markdown, opts).any(|e| matches!(e, Event::Html(_) | Event::InlineHtml(_)))
}

/// The page's Markdown body: the `prose` block of the page template, up to its own `</div>`.
fn body_of(page: &str) -> String {
    let open = "<div class=\"prose\">";
    let start = page.find(open).expect("prose block") + open.len();
    let mut depth = 1;
    let mut at = start;
    while let Some(i) = page[at..].find("<div").into_iter().chain(page[at..].find("</div>")).min() {
        let closing = page[at + i..].starts_with("</div>");
        depth = if closing { depth - 1 } else { depth + 1 };
        if depth == 0 {
            return page[start..at + i].to_string();
        }
        at += i + 4;
    }
    panic!("the prose block is not closed")
}

/// Undoes heading anchors and smart punctuation, which every page has.
fn without_page_features(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(i) = rest.find(" id=\"") {
        let is_heading = rest[..i].rfind('<').is_some_and(|t| rest[t + 1..i].starts_with('h') && i - t == 3);
        out.push_str(&rest[..i]);
        let after = &rest[i + 5..];
        let close = after.find('"').map_or(after.len(), |q| q + 1);
        if !is_heading {
            out.push_str(&rest[i..i + 5 + close]);
        }
        rest = &after[close..];
    }
    out.push_str(rest);
    let out = out.replace(['‘', '’'], "'").replace(['“', '”'], "\"").replace('—', "---").replace('–', "--");
    same_quotes(&out.replace('…', "..."))
}

/// `&quot;` and `"` mean the same in text; pulldown-cmark writes the one, the spec the other.
fn same_quotes(html: &str) -> String {
    html.replace("&quot;", "\"")
}

/// The spec's HTML with its relative links resolved as a top-level page of a site at `/`
/// resolves them, and script URLs as brochure neutralises them.
fn with_links_resolved(html: &str) -> String {
    let mut out = String::new();
    let mut rest = html;
    loop {
        let next = ["href=\"", "src=\""].iter().filter_map(|a| rest.find(a).map(|i| (i, a.len()))).min();
        let Some((i, len)) = next else { break };
        out.push_str(&rest[..i + len]);
        rest = &rest[i + len..];
        let end = rest.find('"').unwrap_or(rest.len());
        let url = &rest[..end];
        let relative = !url.is_empty() && !url.starts_with(['/', '#', '?']) && !brochure::url::has_scheme(url);
        if url.to_ascii_lowercase().starts_with("javascript:") {
            out.push('#');
        } else {
            if relative {
                out.push('/');
            }
            out.push_str(url);
        }
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
}

#[test]
fn commonmark_spec_examples_render_as_the_spec_says_but_for_documented_differences() {
    let p = Project::fixture("basic");
    let examples: Vec<Example> = examples().into_iter().filter(|e| !has_raw_html(&e.markdown)).collect();
    assert!(examples.len() > 500, "{} examples without raw HTML", examples.len());
    for e in &examples {
        p.write(
            &format!("content/spec-{:03}.it.md", e.number),
            format!("---\ntitle: \"Esempio {}\"\n---\n{}", e.number, e.markdown),
        );
    }
    // The examples link to files that do not exist (`/bar*`), which `build` rightly refuses
    // to publish: the pages are taken from the render, before that review.
    let prepared = match brochure::prepare(&p.options()) {
        Ok(prepared) => prepared,
        Err(e) => panic!("the examples do not render: {e}"),
    };
    let pages: std::collections::HashMap<&str, String> = prepared
        .rendered
        .outputs
        .iter()
        .filter_map(|o| match &o.content {
            brochure::render::OutputContent::Bytes(b) => Some((&*o.path, String::from_utf8_lossy(b).into_owned())),
            brochure::render::OutputContent::Copy(_) => None,
        })
        .collect();
    let mut links: Vec<usize> = Vec::new();
    let mut differences: Vec<String> = Vec::new();
    for e in &examples {
        let ours = without_page_features(&body_of(&pages[format!("spec-{:03}/index.html", e.number).as_str()]));
        if ours == same_quotes(&e.html) {
            continue;
        }
        if ours == same_quotes(&with_links_resolved(&e.html)) {
            links.push(e.number);
        } else {
            differences.push(format!(
                "{} ({})\n--- markdown\n{}--- spec\n{}--- page\n{}",
                e.number, e.section, e.markdown, e.html, ours
            ));
        }
    }
    eprintln!("{} examples run; relative links resolved in examples {links:?}", examples.len());
    assert!(differences.is_empty(), "{} undocumented differences:\n{}", differences.len(), differences.join("\n"));
    assert!(!links.is_empty(), "relative links are resolved, so some examples must show it");
    let run: Vec<usize> = examples.iter().map(|e| e.number).collect();
    assert!(run.contains(&604) && run.contains(&605) && !links.contains(&604) && !links.contains(&605));
}

#[test]
fn email_autolinks_are_mailto_links_as_the_spec_says() {
    let p = Project::fixture("basic");
    p.edit("config.yaml", "base_url: \"https://example.org/\"", "base_url: \"https://example.org/servizio-civile/\"");
    let spec = examples();
    for n in [604, 605] {
        p.write(
            &format!("content/spec-{n}.it.md"),
            format!("---\ntitle: \"Esempio {n}\"\n---\n{}", spec[n - 1].markdown),
        );
    }
    p.write(
        "content/contatti.it.md",
        "---\ntitle: \"Contatti\"\n---\nScrivete a <servizio.civile@comune.milano.it>.\n",
    );
    let errors: Vec<_> = brochure::build::check(&p.options()).into_iter().filter(|d| d.is_error()).collect();
    assert!(errors.is_empty(), "check calls an e-mail address a file: {errors:?}");
    p.build_ok();
    for n in [604, 605] {
        assert_eq!(body_of(&p.read(&format!("spec-{n}/index.html"))), spec[n - 1].html, "example {n}");
    }
    assert_eq!(
        body_of(&p.read("contatti/index.html")),
        "<p>Scrivete a <a href=\"mailto:servizio.civile@comune.milano.it\">servizio.civile@comune.milano.it</a>.</p>\n"
    );
}
