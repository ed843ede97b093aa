//! Translations and their original: a translation states the page in another language, so
//! the language-neutral facts it gives (a code, a number of volunteers, hours, requirements)
//! must be the original's. What a translation may say differently is everything else:
//! titles, texts, the office's name, the city's name, activities, hour purposes, contact
//! names and roles, slugs.

use serde_json::Value;

use super::validate::locate;
use crate::config::Config;
use crate::diagnostic::{Diagnostic, Kind};
use crate::load::SourceDoc;

/// A language-neutral field of a front matter.
pub(super) enum Neutral {
    /// The whole value.
    Whole(&'static str),
    /// A list: as many items as the original's, and these fields of each item alike.
    Each(&'static str, &'static [&'static str]),
}

use Neutral::{Each, Whole};

pub(super) const SITE_NEUTRAL: &[Neutral] = &[
    Whole("code"),
    Whole("address"),
    Whole("postcode"),
    Whole("volunteers"),
    Whole("hours_per_year"),
    Whole("min_weekly_hours"),
    Whole("days_per_week"),
    Each("hours", &["hours"]),
    Whole("requirements"),
    Whole("obligations"),
    Each("contacts", &["email", "phone"]),
    Whole("weight"),
];

// `type: programme` is checked in every file that gives it (see `programme_entry`).
pub(super) const PROGRAMME_NEUTRAL: &[Neutral] =
    &[Whole("year"), Each("contacts", &["email", "phone"]), Whole("weight")];

pub(super) const PAGE_NEUTRAL: &[Neutral] = &[Whole("weight")];

/// Every neutral fact the translation `own` (in `own_doc`) gives differently from its
/// original `source`, located in the translation.
/// Both are the front matter as JSON (`front::as_json`), which the model makes once for
/// this and for the translation's inheritance.
pub(super) fn disagreements(
    source_doc: &SourceDoc,
    original: &serde_json::Map<String, Value>,
    own_doc: &SourceDoc,
    translation: &serde_json::Map<String, Value>,
    neutral: &[Neutral],
) -> Vec<Diagnostic> {
    let given = |map: &serde_json::Map<String, Value>, key: &str| map.get(key).filter(|v| !v.is_null()).cloned();
    let mut found = Vec::new();
    let mut differ = |key: &str, needle: &str, says: String, original_says: String| {
        let message = format!(
            "this translation says {says}, but its original {} says {original_says}",
            source_doc.path.display()
        );
        let d = Diagnostic::error(message).of_kind(Kind::TranslationDisagrees).with_hint(format!(
            "`{key}` is the same in every language: delete it here (a translation takes it from its original), or correct the original if the fact changed"
        ));
        found.push(locate(d, own_doc, needle));
    };
    for field in neutral {
        match *field {
            Whole(key) => {
                let Some(theirs) = given(translation, key) else { continue };
                let ours = given(original, key);
                if ours.as_ref() != Some(&theirs) {
                    let original_says = ours.map_or_else(|| "nothing".to_string(), |v| shown(key, &v));
                    differ(key, key, shown(key, &theirs), original_says);
                }
            }
            Each(key, fields) => {
                let Some(Value::Array(theirs)) = given(translation, key) else { continue };
                let ours = match given(original, key) {
                    Some(Value::Array(list)) => list,
                    _ => Vec::new(),
                };
                if theirs.len() != ours.len() {
                    differ(key, key, count(key, theirs.len()), count(key, ours.len()));
                    continue;
                }
                for (n, (t, o)) in theirs.iter().zip(&ours).enumerate() {
                    for &f in fields {
                        let Some(tv) = t.get(f).filter(|v| !v.is_null()) else { continue };
                        if o.get(f) != Some(tv) {
                            let needle = tv.as_str().map_or_else(|| f.to_string(), str::to_string);
                            let original_says = o.get(f).filter(|v| !v.is_null()).map_or_else(
                                || format!("nothing for the {} of {key}", f),
                                |v| format!("{} {}", ordinal(n), shown(f, v)),
                            );
                            differ(key, &needle, format!("{} {}", ordinal(n), shown(f, tv)), original_says);
                        }
                    }
                }
            }
        }
    }
    found
}

/// `volunteers: 3`, `code: "91231"`, as the writer would type it.
fn shown(key: &str, value: &Value) -> String {
    format!(
        "`{key}: {}`",
        serde_json::to_string(value).unwrap_or_default().replace("\",\"", "\", \"").replace(',', ", ")
    )
}

fn count(key: &str, n: usize) -> String {
    format!("{n} item{} under `{key}:`", if n == 1 { "" } else { "s" })
}

/// "in item 2," for messages about one item of a list.
fn ordinal(index: usize) -> String {
    format!("in item {},", index + 1)
}

/// A translation whose original (the default-language file) is missing; names that file.
pub(super) fn orphan(doc: &SourceDoc, config: &Config) -> Diagnostic {
    let default = &config.default_language;
    let language = config.language(default).map_or(default.as_str(), |l| l.name.as_str());
    let expected = format!("{}.{default}.md", doc.stem);
    let expected_path = doc.path.with_file_name(&expected);
    Diagnostic::error(format!("`{expected}` is missing: this translation has no original"))
        .of_kind(Kind::OrphanTranslation)
        .in_file(&doc.path)
        .with_hint(format!(
            "every page is written first in {language}, the default language, and its translations take their facts from it: create {}, or rename this file to {expected} if it is the original",
            expected_path.display()
        ))
}
