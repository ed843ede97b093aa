//! A translation file made from translated units: the existing file with the translated
//! fields and blocks put in place (so a translator's file changes only where the text did,
//! and fields written by hand stay), or a new file with the source's layout.

use std::collections::BTreeMap;

use serde_json::{Map, Value};

use super::{PageUnits, Place};
use crate::diagnostic::Diagnostic;
use crate::scaffold::yaml_string;
use crate::stamp;

/// What importing a page's units gives.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Outcome {
    /// The new text of the translation file.
    Write(String),
    Unchanged,
    /// The page cannot be made whole: what is missing.
    Incomplete(String),
}

/// The page's translation with `new` (unit id to translated text) in place. `confirmed`:
/// every unit of the page came back translated, so the file takes `export_stamp`. Fails
/// only when a file read by the import cannot be read again (see `SourceDoc::body`).
pub(super) fn compose(
    page: &PageUnits,
    new: &BTreeMap<String, String>,
    confirmed: bool,
    export_stamp: &str,
) -> Result<Outcome, Diagnostic> {
    let text_at = |place: &Place| page.units.iter().find(|u| &u.place == place).and_then(|u| new.get(&u.id));
    let body = match body(page, &text_at)? {
        Ok(b) => b,
        Err(missing) => return Ok(Outcome::Incomplete(missing)),
    };
    let (before, mut front_text, between) = match &page.translation {
        Some(t) => {
            let (before, between) = t.fences();
            (before, t.front().to_string(), between)
        }
        None => ("---\n", String::new(), "---\n"),
    };
    for &key in page.kind.text_fields() {
        if let Some(line) = field(page, key, &text_at) {
            front_text = set_key(&front_text, key, &line);
        }
    }
    let mut text = format!("{before}{front_text}{between}{body}");
    let existing = page.translation.as_ref().map(|t| t.text()).transpose()?;
    let existing = existing.as_deref();
    let changed = existing != Some(text.as_str());
    let old_stamp = page.translation.as_ref().and_then(|t| stamp::read_stamp(t.front()));
    let review_done = old_stamp.as_deref().is_some_and(|s| s != export_stamp);
    if confirmed && (changed || review_done) {
        if let Ok(stamped) = stamp::set_stamp(&text, export_stamp) {
            text = stamped;
        }
    }
    Ok(if existing == Some(text.as_str()) { Outcome::Unchanged } else { Outcome::Write(text) })
}

/// The translated body: the translation's own (when its blocks match the source's) or
/// the source's, each block replaced by its translated text.
fn body<'a>(
    page: &'a PageUnits,
    text_at: &dyn Fn(&Place) -> Option<&'a String>,
) -> Result<Result<String, String>, Diagnostic> {
    let (mut out, blocks) = match (&page.translation, &page.own_blocks) {
        (Some(t), Some(own)) => (t.body()?.into_owned(), own),
        _ => (page.source.body()?.into_owned(), &page.source_blocks),
    };
    let own = page.own_blocks.is_some() && page.translation.is_some();
    for (i, block) in blocks.iter().enumerate().rev() {
        match text_at(&Place::Body(i)) {
            Some(text) => out.replace_range(block.range.clone(), text),
            None if own => {}
            None => {
                return Ok(Err(format!("block {} of the text (`{}`) has no translation", i + 1, Place::Body(i).name())))
            }
        }
    }
    Ok(Ok(out))
}

/// The front-matter lines of `key` with the translated texts, or `None` when the field
/// stays as it is.
fn field<'a>(page: &'a PageUnits, key: &'static str, text_at: &dyn Fn(&Place) -> Option<&'a String>) -> Option<String> {
    let own = page.own_front.get(key);
    let source_items = page.source_front.get(key).and_then(Value::as_array).cloned().unwrap_or_default();
    let own_items = own.and_then(Value::as_array).filter(|o| o.len() == source_items.len());
    let mut any = false;
    let new_value = match key {
        "activities" => Value::Array(
            (0..source_items.len())
                .map(|i| {
                    let text = text_at(&Place::Item(key, i)).inspect(|_| any = true);
                    text.map(|t| Value::String(t.clone()))
                        .or_else(|| own_items.map(|o| o[i].clone()))
                        .unwrap_or_else(|| source_items[i].clone())
                })
                .collect(),
        ),
        "hours" | "contacts" => {
            let f = if key == "hours" { "purpose" } else { "role" };
            Value::Array(
                (0..source_items.len())
                    .map(|i| {
                        let mut item = match (key, own_items) {
                            (_, Some(o)) => o[i].as_object().cloned().unwrap_or_default(),
                            ("hours", None) => source_items[i].as_object().cloned().unwrap_or_default(),
                            _ => Map::new(),
                        };
                        if let Some(t) = text_at(&Place::ItemField(key, i, f)) {
                            any = true;
                            item.insert(f.to_string(), Value::String(t.clone()));
                        }
                        Value::Object(item.into_iter().filter(|(_, v)| !v.is_null()).collect())
                    })
                    .collect(),
            )
        }
        _ => Value::String(text_at(&Place::Field(key)).inspect(|_| any = true)?.clone()),
    };
    if !any || own == Some(&new_value) {
        return None;
    }
    Some(match &new_value {
        Value::Array(items) => {
            let mut lines = format!("{key}:\n");
            for item in items {
                lines.push_str(&format!("  - {}\n", flow(item, key)));
            }
            lines
        }
        v => format!("{key}: {}\n", flow(v, key)),
    })
}

/// A value on one line of YAML: strings quoted, items of `hours:` and `contacts:` as
/// `{ hours: 600, purpose: "..." }` in the fields' documented order.
fn flow(value: &Value, key: &str) -> String {
    match value {
        Value::String(s) => yaml_string(s),
        Value::Object(map) => {
            let order: &[&str] =
                if key == "hours" { &["hours", "purpose"] } else { &["name", "role", "email", "phone"] };
            let parts: Vec<String> =
                order.iter().filter_map(|k| map.get(*k).map(|v| format!("{k}: {}", flow(v, key)))).collect();
            if parts.is_empty() {
                "{}".into()
            } else {
                format!("{{ {} }}", parts.join(", "))
            }
        }
        other => other.to_string(),
    }
}

/// `front` with the top-level field `key` (its line and the indented or `-` lines under it)
/// replaced by `lines`, or `lines` added before the stamp line (or at the end).
fn set_key(front: &str, key: &str, lines: &str) -> String {
    let all: Vec<&str> = front.split_inclusive('\n').collect();
    let starts =
        |l: &str, k: &str| l.strip_prefix(k).is_some_and(|r| r.trim_start_matches([' ', '\t']).starts_with(':'));
    let crlf = all.first().is_some_and(|l| l.ends_with("\r\n"));
    let lines = if crlf { lines.replace('\n', "\r\n") } else { lines.to_string() };
    let (start, end) = match all.iter().position(|l| starts(l, key)) {
        Some(i) => {
            let more = all[i + 1..].iter().take_while(|l| l.starts_with([' ', '\t', '-'])).count();
            (i, i + 1 + more)
        }
        None => {
            let at = all.iter().position(|l| starts(l, stamp::KEY)).unwrap_or(all.len());
            (at, at)
        }
    };
    let mut out: String = all[..start].concat();
    if !out.is_empty() && !out.ends_with('\n') {
        out.push('\n');
    }
    out.push_str(&lines);
    out.push_str(&all[end..].concat());
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn set_key_replaces_a_field_with_its_lines_and_keeps_the_rest() {
        let front = "title: \"Old\" # kept? no, the line is new\nactivities:\n  - \"a\"\n  - \"b\"\nslug: x\ntranslated_from: \"0123456789abcdef\"\n";
        let out = set_key(front, "activities", "activities:\n  - \"c\"\n");
        assert_eq!(out, "title: \"Old\" # kept? no, the line is new\nactivities:\n  - \"c\"\nslug: x\ntranslated_from: \"0123456789abcdef\"\n");
        let added = set_key(&out, "description", "description: \"D\"\n");
        assert!(added.ends_with("slug: x\ndescription: \"D\"\ntranslated_from: \"0123456789abcdef\"\n"), "{added}");
        assert_eq!(set_key("", "title", "title: \"T\"\n"), "title: \"T\"\n");
        assert_eq!(set_key("slug: x", "title", "title: \"T\"\n"), "slug: x\ntitle: \"T\"\n");
    }
}
