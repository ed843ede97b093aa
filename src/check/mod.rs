//! `brochure check`: everything a build does except writing, plus the checks a build
//! does not need (links, anchors, images, translations), so writers see every mistake
//! before publishing.

mod links;
mod translations;

use crate::build::{prepare, BuildError, BuildOptions};
use crate::diagnostic::{Diagnostic, Severity};

/// Every finding about the project, errors first, each group in file and line order.
pub fn check(opts: &BuildOptions) -> Vec<Diagnostic> {
    let mut found = match prepare(opts) {
        Err(BuildError::Invalid(list)) => list,
        Err(other) => vec![Diagnostic::error(other.to_string())],
        Ok(mut prepared) => {
            let mut found = std::mem::take(&mut prepared.warnings);
            // The build's warnings about links are repeated, with their line, by the link check.
            found.extend(
                prepared.rendered.warnings.drain(..).filter(|w| !w.message.ends_with(crate::render::UNRESOLVED_LINK)),
            );
            found.extend(links::check(&prepared));
            found.extend(translations::check(&prepared));
            found
        }
    };
    found.sort_by(|a, b| (a.severity, &a.path, a.line, a.column).cmp(&(b.severity, &b.path, b.line, b.column)));
    found.dedup();
    found
}

/// Counts of (errors, warnings).
pub fn counts(found: &[Diagnostic]) -> (usize, usize) {
    let errors = found.iter().filter(|d| d.severity == Severity::Error).count();
    (errors, found.len() - errors)
}
