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
use crate::model::Brochure;
use crate::render::markdown::BodyLinks;
use crate::render::LinkIndex;

/// What the rules read and found, kept by `serve` for its next build under keys of what it
/// depends on; within one build, what the render already read of each body.
#[derive(Default)]
pub struct Memo {
    links: links::LinkMemo,
    translations: translations::Memo,
}

impl Memo {
    /// For a sequence of builds of one project (serve).
    pub fn remembering() -> Memo {
        Memo { links: links::LinkMemo::remembering(), translations: translations::Memo::remembering() }
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
/// `outputs` are the paths of the files the site is made of, `index` the render's reading
/// of links and a key that stands for it and `outputs` across serve's builds.
pub fn review(
    brochure: &Brochure,
    config: &Config,
    outputs: &HashSet<&str>,
    index: (&LinkIndex, u64),
    memo: &Memo,
) -> Vec<Diagnostic> {
    let mut found = links::check(brochure, config, outputs, index, &memo.links);
    found.extend(translations::check(brochure, config, &memo.translations));
    found
}

/// Counts of (errors, warnings).
pub fn counts(found: &[Diagnostic]) -> (usize, usize) {
    let errors = found.iter().filter(|d| d.severity == Severity::Error).count();
    (errors, found.len() - errors)
}
