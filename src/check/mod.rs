//! The rules that `check` and `build` share beyond what the model refuses: links, anchors,
//! images and translations. Both commands run them on the same site, so that what `check`
//! calls an error `build` never publishes (see `build::check`). The plain-language
//! report ([`plain`]) is `check`'s alone: it is advice for writers, not a defect to stop
//! a build for.

mod links;
pub mod plain;
mod translations;

use std::collections::HashSet;
use std::sync::Arc;

use crate::config::Config;
use crate::diagnostic::{Diagnostic, Severity};
use crate::load::SourceDoc;
use crate::model::{self, Brochure, Place};
use crate::render::markdown::BodyLinks;
use crate::render::LinkIndex;

/// What the rules read and found, kept by `serve` for its next build under keys of what it
/// depends on; within one build, what the render already read of each body.
#[derive(Default)]
pub struct Memo {
    links: links::LinkMemo,
    translations: translations::Memo,
    /// serve: the last review's findings, per file and per entry.
    last: std::sync::Mutex<Option<LastReview>>,
}

/// What the last review found, where: what a review after an edit of bodies alone starts from.
struct LastReview {
    links: links::LastLinks,
    translations: translations::Slots,
    /// Where each entry's findings are in `translations`.
    at: std::collections::HashMap<Place, usize>,
    /// The key of the addresses and files the findings were judged against.
    site_key: u64,
    /// The documents reviewed.
    docs: Vec<Arc<SourceDoc>>,
}

impl LastReview {
    fn found(&self) -> Vec<Diagnostic> {
        let translations = self.translations.iter().flat_map(|(_, found)| found);
        self.links.found().chain(translations).cloned().collect()
    }
}

impl Memo {
    /// For a sequence of builds of one project (serve).
    pub fn remembering() -> Memo {
        Memo {
            links: links::LinkMemo::remembering(),
            translations: translations::Memo::remembering(),
            last: Default::default(),
        }
    }

    fn last(&self) -> std::sync::MutexGuard<'_, Option<LastReview>> {
        self.last.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// For one build.
    pub fn for_one_build() -> Memo {
        Memo::default()
    }

    /// Keeps the anchors and links the render read of these bodies.
    pub fn offer(&self, read: &[(Arc<SourceDoc>, Arc<BodyLinks>)]) {
        self.links.offer(read);
    }
}

/// Every broken link, missing image or anchor, and translation finding of a rendered site;
/// `outputs` gives the paths of the files the site is made of, `index` is the render's
/// reading of links and a key that stands for it and the outputs across serve's builds.
///
/// serve: when the addresses and files are the last review's and the documents the same
/// files, only the documents read anew are judged again (and the entries that show them),
/// unless one of them changed its headings, which other files' links may name. Judging
/// the 100,000 files of a 50,000-site project again took 0.45 s of a save.
pub fn review(
    brochure: &Brochure,
    config: &Config,
    outputs: impl FnOnce() -> HashSet<Arc<str>>,
    index: (&LinkIndex, u64),
    memo: &Memo,
) -> Vec<Diagnostic> {
    let last = memo.last().take();
    if let Some(found) = last.and_then(|last| review_changes(last, brochure, config, index, memo)) {
        return found;
    }
    let links = links::check(brochure, config, outputs(), index, &memo.links);
    let translations = translations::check(brochure, config, &memo.translations);
    let last = match links {
        links::Checked::Kept(last) => last,
        links::Checked::Found(mut found) => {
            found.extend(translations.into_iter().flat_map(|(_, found)| found));
            return found;
        }
    };
    let at = translations.iter().enumerate().map(|(i, (place, _))| (*place, i)).collect();
    let review = LastReview { links: last, translations, at, site_key: index.1, docs: brochure.docs.clone() };
    let found = review.found();
    *memo.last() = Some(review);
    found
}

/// The last review's findings with those of the documents read anew judged again, when
/// that is enough (see [`review`]).
fn review_changes(
    mut last: LastReview,
    brochure: &Brochure,
    config: &Config,
    (index, site_key): (&LinkIndex, u64),
    memo: &Memo,
) -> Option<Vec<Diagnostic>> {
    if last.site_key != site_key || last.docs.len() != brochure.docs.len() {
        return None;
    }
    let mut changed = Vec::new();
    for (old, new) in last.docs.iter_mut().zip(&brochure.docs) {
        if Arc::ptr_eq(old, new) {
            continue;
        }
        if old.path.as_os_str() != new.path.as_os_str() {
            return None;
        }
        *old = Arc::clone(new);
        changed.push(Arc::clone(new));
    }
    if !last.links.rejudge(&changed, index, &memo.links) {
        return None;
    }
    let places: Vec<Place> =
        model::places_showing(brochure, &changed).into_iter().filter(|p| last.at.contains_key(p)).collect();
    for (place, found) in places.iter().zip(translations::check_again(brochure, config, &memo.translations, &places)) {
        last.translations[last.at[place]].1 = found;
    }
    let found = last.found();
    *memo.last() = Some(last);
    Some(found)
}

/// Counts of (errors, warnings).
pub fn counts(found: &[Diagnostic]) -> (usize, usize) {
    let errors = found.iter().filter(|d| d.severity == Severity::Error).count();
    (errors, found.len() - errors)
}
