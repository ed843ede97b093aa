//! Links written in Markdown: pages, files, anchors and images must exist; images need
//! alternative text.

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex};

use rayon::prelude::*;

use crate::config::Config;
use crate::diagnostic::{Diagnostic, Kind};
use crate::hashing::{hash, KeyMap};
use crate::load::SourceDoc;
use crate::model::Brochure;
use crate::render::markdown::{self, BodyLinks, WrittenLink};
use crate::render::{content_path, Destination, LinkIndex};

/// The anchors and links of each body, kept under the body's hash by `serve` (reading every
/// page's Markdown again on each save cost 0.7 s at 10,000 pages) and, within one build,
/// under the document: the render hands over what it read ([`LinkMemo::offer`]), so that
/// a body is parsed once per build.
#[derive(Default)]
pub struct LinkMemo {
    remembers: bool,
    bodies: Mutex<KeyMap<Arc<BodyLinks>>>,
    /// serve: each file's findings under the file's stamp, with the key of the rest of the
    /// site they were judged against (addresses, anchors, files); judging every link of a
    /// 10,000-page site again on each save cost 30 ms.
    judged: Mutex<KeyMap<(u64, Vec<Diagnostic>)>>,
}

impl LinkMemo {
    /// For a sequence of builds of one project (serve).
    pub fn remembering() -> LinkMemo {
        LinkMemo { remembers: true, ..LinkMemo::default() }
    }

    /// Keeps what the render read of these bodies.
    pub fn offer(&self, read: &[(Arc<SourceDoc>, Arc<BodyLinks>)]) {
        let mut bodies = self.lock();
        for (doc, links) in read {
            bodies.insert(self.key(doc), Arc::clone(links));
        }
    }

    /// Within one build the documents live as long as the memo, so the address of one is
    /// its identity; across builds a document is read again, and its body's hash is.
    fn key(&self, doc: &SourceDoc) -> u64 {
        match self.remembers {
            true => doc.body_stamp(),
            false => doc as *const SourceDoc as usize as u64,
        }
    }

    fn body(&self, doc: &SourceDoc) -> Arc<BodyLinks> {
        let key = self.key(doc);
        if let Some(known) = self.lock().get(&key) {
            return Arc::clone(known);
        }
        // A body that cannot be read again has failed its render already, which says so.
        let body = Arc::new(doc.body().map(|b| markdown::body_links(&b)).unwrap_or_default());
        if self.remembers {
            self.lock().insert(key, Arc::clone(&body));
        }
        body
    }

    /// Forgets the bodies and files no page has any more.
    fn keep_only(&self, docs: &[(&Arc<SourceDoc>, Arc<str>)]) {
        if self.remembers {
            let used: HashSet<u64> = docs.iter().map(|(d, _)| d.body_stamp()).collect();
            self.lock().retain(|key, _| used.contains(key));
            let used: HashSet<u64> = docs.iter().map(|(d, _)| d.stamp()).collect();
            self.judged().retain(|key, _| used.contains(key));
        }
    }

    /// The findings of `doc` judged against the site `context` stands for, judged now or
    /// kept from an earlier build of the same site.
    fn judge(&self, doc: &SourceDoc, context: Option<u64>, judge: impl FnOnce() -> Vec<Diagnostic>) -> Vec<Diagnostic> {
        let Some(context) = context else { return judge() };
        if let Some((seen, found)) = self.judged().get(&doc.stamp()) {
            if *seen == context {
                return found.clone();
            }
        }
        let found = judge();
        self.judged().insert(doc.stamp(), (context, found.clone()));
        found
    }

    fn judged(&self) -> std::sync::MutexGuard<'_, KeyMap<(u64, Vec<Diagnostic>)>> {
        self.judged.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, KeyMap<Arc<BodyLinks>>> {
        self.bodies.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// Every broken link, missing anchor and image without alternative text, located in its file;
/// `outputs` are the paths of the site's files, for links to images and other files.
/// Links are read as `build` read them: `index` is the render's, and `site_key` stands for
/// it and for `outputs` across serve's builds.
pub fn check(
    brochure: &Brochure,
    config: &Config,
    outputs: HashSet<Arc<str>>,
    (index, site_key): (&LinkIndex, u64),
    memo: &LinkMemo,
) -> Checked {
    // Only files that become pages can be linked to: a draft is not one, and its links are
    // checked when it is published (`--drafts`).
    let built: Vec<(&Arc<SourceDoc>, Arc<str>)> = brochure
        .docs
        .iter()
        .map(|d| (d, content_path(d)))
        .filter(|(_, file)| index.is_published(file))
        .map(|(d, file)| (d, Arc::from(file)))
        .collect();
    memo.keep_only(&built);
    // Pages are independent: each file's links are checked in parallel, in file order.
    let bodies: Vec<Arc<BodyLinks>> = built.par_iter().map(|(d, _)| memo.body(d)).collect();
    let anchors: HashMap<Arc<str>, Arc<BodyLinks>> =
        built.iter().zip(&bodies).map(|((_, file), body)| (Arc::clone(file), Arc::clone(body))).collect();
    let base_path = config.base().path;
    // What a file's findings depend on besides the file: every address and file of the site
    // (`site_key`) and every anchor (a sum of hashes: the set has no order).
    let context = memo.remembers.then(|| {
        let anchors = built.iter().zip(&bodies).map(|((_, file), body)| hash(&(&**file, body.anchors_hash)));
        hash(&(site_key, anchors.fold(0u64, u64::wrapping_add), &base_path))
    });
    let of = |file: &str| anchors.get(file).map(|b| &b.anchors);
    let exists = |file: &str| outputs.contains(file);
    let per_doc: Vec<Vec<Diagnostic>> = built
        .par_iter()
        .zip(&bodies)
        .map(|((doc, file), body)| {
            memo.judge(doc, context, || judge_links(doc, file, body, index, &of, &exists, &base_path))
        })
        .collect();
    if !memo.remembers {
        return Checked::Found(per_doc.into_iter().flatten().collect());
    }
    let files = built.into_iter().zip(per_doc).map(|((d, file), found)| (Arc::clone(d), file, found)).collect();
    Checked::Kept(LastLinks { files, anchors, outputs, base_path })
}

/// The findings of a site's links: as a list (one build), or kept per file with what they
/// were judged against (serve, see [`LastLinks::found`]).
pub enum Checked {
    Found(Vec<Diagnostic>),
    Kept(LastLinks),
}

/// serve: each published file's findings, in file order, and the anchors and files they
/// were judged against, to judge again only the files an edit of bodies changed.
pub struct LastLinks {
    /// Each published file, its path in content/ and its findings.
    files: Vec<(Arc<SourceDoc>, Arc<str>, Vec<Diagnostic>)>,
    anchors: HashMap<Arc<str>, Arc<BodyLinks>>,
    outputs: HashSet<Arc<str>>,
    base_path: String,
}

impl LastLinks {
    /// Judges again the links of `docs`, new readings of files whose front matter did not
    /// change. `false` when that is not enough: an edit changed a file's headings, which
    /// other files' links may name (then every file must be judged again).
    pub fn rejudge(&mut self, docs: &[Arc<SourceDoc>], index: &LinkIndex, memo: &LinkMemo) -> bool {
        let mut read = Vec::new();
        for doc in docs {
            // A draft has no page and no links checked; few files change, so each is looked for.
            let path = doc.path.as_os_str();
            let Some(at) = self.files.iter().position(|(d, _, _)| d.path.as_os_str() == path) else { continue };
            let body = memo.body(doc);
            if self.anchors.get(&self.files[at].1).map(|b| b.anchors_hash) != Some(body.anchors_hash) {
                return false;
            }
            read.push((doc, at, body));
        }
        for (doc, at, body) in read {
            let file = Arc::clone(&self.files[at].1);
            self.anchors.insert(Arc::clone(&file), Arc::clone(&body));
            let anchors = &self.anchors;
            let of = |f: &str| anchors.get(f).map(|b| &b.anchors);
            let exists = |f: &str| self.outputs.contains(f);
            let found = judge_links(doc, &file, &body, index, &of, &exists, &self.base_path);
            self.files[at] = (Arc::clone(doc), file, found);
        }
        true
    }

    pub fn found(&self) -> impl Iterator<Item = &Diagnostic> {
        self.files.iter().flat_map(|(_, _, found)| found)
    }
}

/// The headings of each published file, by its path in content/.
type Anchors<'a> = dyn Fn(&str) -> Option<&'a HashSet<String>> + Sync + 'a;
/// Whether the site has a file at a path.
type Exists<'a> = dyn Fn(&str) -> bool + Sync + 'a;

fn judge_links(
    doc: &SourceDoc,
    file: &str,
    body: &BodyLinks,
    index: &LinkIndex,
    anchors: &Anchors,
    outputs: &Exists,
    base_path: &str,
) -> Vec<Diagnostic> {
    let own_anchors = anchors(file);
    let text = std::cell::OnceCell::new();
    let problems = body.links.iter().filter_map(|link| {
        let found = index.locate(&link.dest, doc.folder.as_deref(), &doc.lang, base_path);
        let (kind, message, hint) = judge(link, found, anchors, own_anchors, outputs)?;
        // Read once per file with findings, and only then: `build` left the body on disk.
        let text = text.get_or_init(|| doc.text().ok());
        let (line, col) = position(doc, text.as_deref(), link.offset);
        Some(Diagnostic::error(message).of_kind(kind).in_file(&doc.path).at(line, col, text.as_deref()).with_hint(hint))
    });
    problems.collect()
}

/// What is wrong with a link that leads to `found`, as (kind, message, hint), or `None`
/// when it is fine; `anchors` are the headings of each published file.
fn judge(
    link: &WrittenLink,
    found: Destination,
    anchors: &Anchors,
    own_anchors: Option<&HashSet<String>>,
    outputs: &Exists,
) -> Option<(Kind, String, String)> {
    if link.image && link.alt.trim().is_empty() {
        return Some((
            Kind::ImageWithoutAlt,
            format!("the image `{}` has no alternative text", link.dest),
            "describe the image between the brackets: ![Ingresso della sede in via Larga](sede.jpg)".into(),
        ));
    }
    let dest = link.dest.as_str();
    match found {
        Destination::Elsewhere => None,
        Destination::OwnAnchor(id) => {
            (!id.is_empty() && !own_anchors.is_some_and(|a| a.contains(id))).then(|| missing_anchor(id, own_anchors))
        }
        Destination::Outside => Some((
            Kind::BrokenLink,
            format!("the link `{dest}` climbs out of the site"),
            "link to a page or file inside content/".into(),
        )),
        Destination::NoPage => Some((
            Kind::BrokenLink,
            format!("the link `{dest}` points to a page that does not exist"),
            "link to a published file of content/ (not a draft), relative to this file, e.g. [alloggi](alloggi-erp.it.md)".into(),
        )),
        Destination::Page { file, fragment, .. } => {
            let id = fragment.unwrap_or("");
            let target = anchors(file);
            (!id.is_empty() && !target.is_some_and(|a| a.contains(id))).then(|| missing_anchor(id, target))
        }
        Destination::File { path, .. } => {
            let file = if path.is_empty() || path.ends_with('/') { format!("{path}index.html") } else { path };
            (!outputs(file.as_str()) && !outputs(format!("{file}/index.html").as_str())).then(|| {
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

/// 1-based line and column in the file of a byte offset in the body; `text` is the file's
/// whole text, when it could be read.
fn position(doc: &SourceDoc, text: Option<&str>, offset: usize) -> (usize, usize) {
    let Some(body) = text.and_then(|t| t.get(doc.head().len()..)) else { return (doc.body_line, 1) };
    let before = &body[..offset.min(body.len())];
    let line = doc.body_line + before.matches('\n').count();
    let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, col)
}
