//! The rules that `check` and `build` share beyond what the model refuses: links, anchors,
//! images and translations. Both commands run them on the same site, so that what `check`
//! calls an error `build` never publishes (see `build::check`). The plain-language
//! report ([`plain`]) is `check`'s alone: it is advice for writers, not a defect to stop
//! a build for.

mod links;
pub mod plain;
mod translations;

pub use links::LinkMemo;

use std::collections::HashSet;

use crate::config::Config;
use crate::diagnostic::{Diagnostic, Severity};
use crate::model::Brochure;

/// Every broken link, missing image or anchor, and translation finding of a rendered site;
/// `outputs` are the paths of the files the site is made of.
/// `memo` keeps what serve's next rebuild can reuse.
pub fn review(brochure: &Brochure, config: &Config, outputs: &HashSet<&str>, memo: &LinkMemo) -> Vec<Diagnostic> {
    let mut found = links::check(brochure, config, outputs, memo);
    found.extend(translations::check(brochure, config));
    found
}

/// Counts of (errors, warnings).
pub fn counts(found: &[Diagnostic]) -> (usize, usize) {
    let errors = found.iter().filter(|d| d.severity == Severity::Error).count();
    (errors, found.len() - errors)
}
