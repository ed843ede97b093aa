//! Links written in Markdown: pages, files, anchors and images must exist; images need
//! alternative text.

use std::collections::{HashMap, HashSet};

use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};
use rayon::prelude::*;

use crate::config::Config;
use crate::diagnostic::{Diagnostic, Kind};
use crate::load::SourceDoc;
use crate::model::Brochure;
use crate::render::markdown;
use crate::render::LinkTarget;

/// Every broken link, missing anchor and image without alternative text, located in its file;
/// `outputs` are the paths of the site's files, for links to images and other files.
pub fn check(brochure: &Brochure, config: &Config, outputs: &HashSet<&str>) -> Vec<Diagnostic> {
    let docs = &brochure.docs;
    let default = &config.default_language;
    // Only files that become pages can be linked to: a draft is not one.
    let built = built_docs(brochure);
    let mut by_key: HashMap<String, usize> = HashMap::new();
    for (i, d) in docs.iter().enumerate().filter(|(_, d)| built.contains(d.path.as_path())) {
        let key = content_key(d);
        if d.lang == *default {
            if let Some(short) = key.strip_suffix(&format!(".{default}.md")) {
                by_key.insert(format!("{short}.md"), i);
            }
        }
        by_key.insert(key, i);
    }
    // Pages are independent: each file's links are checked in parallel, in file order.
    let anchors: Vec<HashSet<String>> =
        docs.par_iter().map(|d| markdown::heading_ids(d.body()).into_iter().collect()).collect();
    let base_path = config.base().path;
    let per_doc: Vec<Vec<Diagnostic>> = docs
        .par_iter()
        .enumerate()
        // A draft is not published: its links are checked when it is (`--drafts`).
        .filter(|(_, doc)| built.contains(doc.path.as_path()))
        .map(|(i, doc)| {
            let problems = links_of(doc).into_iter().filter_map(|link| {
                let (kind, message, hint) = judge(&link, doc, &by_key, &anchors, anchors.get(i), outputs, &base_path)?;
                let (line, col) = position(doc, link.offset);
                Some(
                    Diagnostic::error(message)
                        .of_kind(kind)
                        .in_file(&doc.path)
                        .at(line, col, Some(&doc.text))
                        .with_hint(hint),
                )
            });
            problems.collect()
        })
        .collect();
    per_doc.into_iter().flatten().collect()
}

fn built_docs(b: &crate::model::Brochure) -> HashSet<&std::path::Path> {
    fn add<'b, F>(e: &'b crate::model::Entry<F>, set: &mut HashSet<&'b std::path::Path>) {
        set.extend(e.versions.iter().filter(|v| v.translated).filter_map(|v| v.doc.as_ref()).map(|d| d.path.as_path()));
    }
    let mut set = HashSet::new();
    add(&b.home, &mut set);
    b.pages.iter().for_each(|p| add(p, &mut set));
    for prog in &b.programmes {
        add(&prog.entry, &mut set);
        prog.sites.iter().for_each(|s| add(s, &mut set));
    }
    set
}

struct Link {
    dest: String,
    image: bool,
    alt: String,
    /// Byte offset in the body.
    offset: usize,
}

fn content_key(d: &SourceDoc) -> String {
    d.path.strip_prefix("content").unwrap_or(&d.path).to_string_lossy().replace('\\', "/")
}

fn links_of(doc: &SourceDoc) -> Vec<Link> {
    let mut out: Vec<Link> = Vec::new();
    let mut in_image = false;
    let opts = Options::ENABLE_TABLES | Options::ENABLE_FOOTNOTES | Options::ENABLE_HEADING_ATTRIBUTES;
    for (event, range) in Parser::new_ext(doc.body(), opts).into_offset_iter() {
        match event {
            Event::Start(Tag::Link { link_type, dest_url, .. }) => {
                let dest = markdown::link_url(link_type, dest_url).to_string();
                out.push(Link { dest, image: false, alt: String::new(), offset: range.start })
            }
            Event::Start(Tag::Image { dest_url, .. }) => {
                in_image = true;
                out.push(Link { dest: dest_url.to_string(), image: true, alt: String::new(), offset: range.start });
            }
            Event::Text(t) | Event::Code(t) if in_image => {
                if let Some(last) = out.last_mut() {
                    last.alt.push_str(&t);
                }
            }
            Event::End(TagEnd::Image) => in_image = false,
            _ => {}
        }
    }
    out
}

/// What is wrong with a link, as (kind, message, hint), or `None` when it is fine.
fn judge(
    link: &Link,
    doc: &SourceDoc,
    by_key: &HashMap<String, usize>,
    anchors: &[HashSet<String>],
    own_anchors: Option<&HashSet<String>>,
    outputs: &HashSet<&str>,
    base_path: &str,
) -> Option<(Kind, String, String)> {
    if link.image && link.alt.trim().is_empty() {
        return Some((
            Kind::ImageWithoutAlt,
            format!("the image `{}` has no alternative text", link.dest),
            "describe the image between the brackets: ![Ingresso della sede in via Larga](sede.jpg)".into(),
        ));
    }
    let dest = link.dest.as_str();
    match LinkTarget::of(dest, doc.folder.as_deref(), base_path) {
        LinkTarget::Elsewhere => None,
        LinkTarget::OwnAnchor(id) => {
            (!id.is_empty() && !own_anchors.is_some_and(|a| a.contains(id))).then(|| missing_anchor(id, own_anchors))
        }
        LinkTarget::Outside => Some((
            Kind::BrokenLink,
            format!("the link `{dest}` climbs out of the site"),
            "link to a page or file inside content/".into(),
        )),
        LinkTarget::Page { file, fragment, .. } => {
            let Some(&target) = by_key.get(&file) else {
                return Some((
                    Kind::BrokenLink,
                    format!("the link `{dest}` points to a page that does not exist"),
                    "link to a published file of content/ (not a draft), relative to this file, e.g. [alloggi](alloggi-erp.it.md)".into(),
                ));
            };
            let id = fragment.unwrap_or("");
            (!id.is_empty() && !anchors[target].contains(id)).then(|| missing_anchor(id, anchors.get(target)))
        }
        LinkTarget::File { path, .. } => {
            let file = if path.is_empty() || path.ends_with('/') { format!("{path}index.html") } else { path };
            (!outputs.contains(file.as_str()) && !outputs.contains(format!("{file}/index.html").as_str())).then(|| {
                (
                    Kind::BrokenLink,
                    format!("the {} `{dest}` points to a file that does not exist", if link.image { "image" } else { "link" }),
                    "put the file next to this page in content/, or in the theme's static/ folder, and check the spelling"
                        .into(),
                )
            })
        }
    }
}

fn missing_anchor(id: &str, anchors: Option<&HashSet<String>>) -> (Kind, String, String) {
    let mut known: Vec<&str> = anchors.map(|a| a.iter().map(String::as_str).collect()).unwrap_or_default();
    known.sort_unstable();
    let hint = match crate::diagnostic::did_you_mean(id, known.iter().copied()) {
        Some(k) => format!("did you mean `#{k}`?"),
        None if known.is_empty() => "the page has no headings to link to".into(),
        None => {
            format!("the page's anchors are: {}", known.iter().map(|k| format!("#{k}")).collect::<Vec<_>>().join(", "))
        }
    };
    (Kind::MissingAnchor, format!("the anchor `#{id}` does not exist"), hint)
}

/// 1-based line and column in the file of a byte offset in the body.
fn position(doc: &SourceDoc, offset: usize) -> (usize, usize) {
    let body = doc.body();
    let before = &body[..offset.min(body.len())];
    let line = doc.body_line + before.matches('\n').count();
    let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, col)
}
