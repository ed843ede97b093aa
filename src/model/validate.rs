//! Checks across the whole brochure and the locating of findings in front matter.

use std::collections::HashMap;

use super::Brochure;
use crate::diagnostic::{did_you_mean, Diagnostic};
use crate::load::SourceDoc;

/// Two pages at one address, or two sites with one code, are errors naming both files.
pub(super) fn check_unique(b: &Brochure, docs: &[SourceDoc]) -> Vec<Diagnostic> {
    let mut paths: HashMap<String, usize> = HashMap::new();
    let mut clash = |path: &str, doc: Option<usize>, problems: &mut Vec<Diagnostic>| {
        let Some(doc) = doc else { return };
        if let Some(&other) = paths.get(path) {
            if other != doc {
                problems.push(
                    Diagnostic::error(format!("two pages have the address /{path}"))
                        .in_file(&docs[doc].path)
                        .with_hint(format!(
                            "the other is {}; give one of them a different `slug:`",
                            docs[other].path.display()
                        )),
                );
            }
        }
        paths.entry(path.to_string()).or_insert(doc);
    };
    let mut problems = Vec::new();
    for v in &b.home.versions {
        clash(&v.path, v.doc, &mut problems);
    }
    for p in &b.pages {
        for v in p.versions.iter().filter(|v| v.translated) {
            clash(&v.path, v.doc, &mut problems);
        }
    }
    let mut codes: HashMap<&str, usize> = HashMap::new();
    for prog in &b.programmes {
        for v in prog.entry.versions.iter().filter(|v| v.translated) {
            clash(&v.path, v.doc, &mut problems);
        }
        for site in &prog.sites {
            for v in site.versions.iter().filter(|v| v.translated) {
                clash(&v.path, v.doc, &mut problems);
            }
            let source = &site.versions[0];
            if let (Some(code), Some(doc)) = (source.facts.code.as_deref(), source.doc) {
                if let Some(&other) = codes.get(code) {
                    problems.push(
                        locate(Diagnostic::error(format!("the site code {code} is used twice")), &docs[doc], code)
                            .with_hint(format!(
                                "{} has the same code; each site's code must be unique",
                                docs[other].path.display()
                            )),
                    );
                }
                codes.insert(code, doc);
            }
        }
    }
    problems
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
            d.at(doc.front_line + i, column, Some(&doc.text))
        }
        None => d.at(1, 1, Some(&doc.text)),
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
