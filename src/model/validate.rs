//! Checks across the whole brochure and the locating of findings in front matter.

use std::collections::HashMap;

use super::{Brochure, Entry, ProgrammeFacts};
use crate::diagnostic::{did_you_mean, Diagnostic};
use crate::load::SourceDoc;

/// A hash of what [`check_unique`] compares: every entry's addresses and every site's code.
/// Where its findings point in a file is not part of it: a result with findings is not
/// reused (see `assemble`). A site's other facts (its volunteers, its hours) are not part
/// of it either: checking 100,000 addresses again took 25 ms of an edit of one site's facts.
pub(super) fn unique_key(b: &Brochure) -> u64 {
    crate::hashing::hash_with(|h| {
        use std::hash::Hash;
        b.home.fingerprints().address.hash(h);
        b.pages.iter().for_each(|p| p.fingerprints().address.hash(h));
        for p in &b.programmes {
            p.entry.fingerprints().address.hash(h);
            for s in &p.sites {
                (s.fingerprints().address, &s.versions[0].facts.code).hash(h);
            }
        }
    })
}

/// Two pages at one address, or two sites with one code, are errors naming both files.
pub(super) fn check_unique(b: &Brochure) -> Vec<Diagnostic> {
    let mut paths: HashMap<&str, &SourceDoc> = HashMap::new();
    let mut problems = Vec::new();
    let mut clash = |path, doc, problems: &mut Vec<Diagnostic>| clash(&mut paths, path, doc, problems);
    for v in &b.home.versions {
        clash(&v.path, v.doc.as_deref(), &mut problems);
    }
    for p in &b.pages {
        for v in p.versions.iter().filter(|v| v.translated) {
            clash(&v.path, v.doc.as_deref(), &mut problems);
        }
    }
    let mut codes: HashMap<&str, &SourceDoc> = HashMap::new();
    for prog in &b.programmes {
        for v in prog.entry.versions.iter().filter(|v| v.translated) {
            clash(&v.path, v.doc.as_deref(), &mut problems);
        }
        for site in &prog.sites {
            for v in site.versions.iter().filter(|v| v.translated) {
                clash(&v.path, v.doc.as_deref(), &mut problems);
            }
            let source = &site.versions[0];
            if let (Some(code), Some(doc)) = (source.facts.code.as_deref(), source.doc.as_deref()) {
                if let Some(other) = codes.get(code) {
                    problems.push(
                        locate(Diagnostic::error(format!("the site code {code} is used twice")), doc, code).with_hint(
                            format!("{} has the same code; each site's code must be unique", other.path.display()),
                        ),
                    );
                }
                codes.insert(code, doc);
            }
        }
    }
    problems
}

/// A programme with no published site: its page, booklet and leaflets list none. Not an
/// error: a writer makes the programme first and its sites after, or keeps them drafts.
/// None when `found` has an error in the programme's folder: sites refused for an error are
/// named by that error, not again as its consequence.
pub(super) fn no_site_yet(folder: &str, programme: &Entry<ProgrammeFacts>, found: &[Diagnostic]) -> Option<Diagnostic> {
    let inside = std::path::Path::new("content").join(folder);
    if found.iter().any(|d| d.is_error() && d.path.as_ref().is_some_and(|p| p.starts_with(&inside))) {
        return None;
    }
    let d = Diagnostic::warning("this programme has no published site yet: its page, booklet and leaflets list none")
        .with_hint(format!(
            "add one with `brochure new site {folder} NAME` (set `draft: false` in it when it is ready), or keep `draft: true` in this file until it has one"
        ));
    Some(match programme.versions.iter().find_map(|v| v.doc.as_deref()) {
        Some(doc) => d.in_file(&doc.path),
        None => d,
    })
}

fn clash<'a>(
    paths: &mut HashMap<&'a str, &'a SourceDoc>,
    path: &'a str,
    doc: Option<&'a SourceDoc>,
    problems: &mut Vec<Diagnostic>,
) {
    let Some(doc) = doc else { return };
    match paths.get(path) {
        Some(other) if other.path != doc.path => problems.push(
            Diagnostic::error(format!("two pages have the address /{path}"))
                .in_file(&doc.path)
                .with_hint(format!("the other is {}; give one of them a different `slug:`", other.path.display())),
        ),
        Some(_) => {}
        None => {
            paths.insert(path, doc);
        }
    }
}

pub(super) fn unknown_key(doc: &SourceDoc, key: &str, what: &str, known: Vec<&str>) -> Option<Diagnostic> {
    if known.contains(&key) {
        return None;
    }
    let hint = match did_you_mean(key, known.iter().copied()) {
        Some(k) => format!("did you mean `{k}`? Keys are declared under `{what}s:` in config.yaml"),
        None if known.is_empty() => format!("declare it under `{what}s:` in config.yaml"),
        None => format!("declared {what}s are: {}; or add it to config.yaml", known.join(", ")),
    };
    Some(locate(Diagnostic::error(format!("unknown {what} `{key}`")), doc, key).with_hint(hint))
}

/// Points a diagnostic at the first front-matter line mentioning `needle`, or at line 1.
pub(super) fn locate(d: Diagnostic, doc: &SourceDoc, needle: &str) -> Diagnostic {
    let d = d.in_file(&doc.path);
    let hit = doc.front().lines().enumerate().find_map(|(i, line)| token_at(line, needle).map(|c| (i, c)));
    match hit {
        Some((i, col)) => {
            let column = doc.front().lines().nth(i).map_or(1, |l| l[..col].chars().count() + 1);
            d.at(doc.front_line + i, column, Some(doc.head()))
        }
        None => d.at(1, 1, Some(doc.head())),
    }
}

/// Where `needle` stands in `line` as a whole word (`it` in `[it, en]`, not in `title`).
fn token_at(line: &str, needle: &str) -> Option<usize> {
    let word = |c: char| c.is_alphanumeric() || c == '-' || c == '_';
    line.match_indices(needle).map(|(i, _)| i).find(|&i| {
        let before = line[..i].chars().next_back().is_none_or(|c| !word(c));
        let after = line[i + needle.len()..].chars().next().is_none_or(|c| !word(c));
        before && after
    })
}

#[cfg(test)]
mod tests {
    use super::token_at;

    #[test]
    fn keys_are_found_as_whole_words() {
        assert_eq!(token_at("title: \"Sportello Casa\"", "it"), None);
        assert_eq!(token_at("preferred: [it, en]", "it"), Some(12));
        assert_eq!(token_at("city: x", "ci"), None);
        assert_eq!(token_at("code: \"91231\"", "91231"), Some(7));
    }
}
