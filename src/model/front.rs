//! Front matter as writers type it: every field optional here, so that a translation can
//! leave out the facts it inherits. Required fields are checked after inheritance.

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use crate::diagnostic::Diagnostic;
use crate::load::SourceDoc;
use crate::yaml::{self, Field};

/// A share of the year's hours and what it is for.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct HourShare {
    pub hours: u32,
    pub purpose: String,
}

/// An office contact, as given by the source documents.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Contact {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RequirementKeys {
    #[serde(default)]
    pub required: Vec<String>,
    #[serde(default)]
    pub preferred: Vec<String>,
}

// The three front-matter types repeat their common fields (slug, weight, draft...) on
// purpose: serde cannot combine `flatten` with `deny_unknown_fields`, and unknown keys must
// stay errors with a "did you mean".
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct SiteFront {
    pub title: Option<String>,
    pub code: Option<String>,
    pub office: Option<String>,
    pub address: Option<String>,
    pub postcode: Option<String>,
    pub city: Option<String>,
    pub volunteers: Option<u32>,
    pub hours_per_year: Option<u32>,
    pub min_weekly_hours: Option<u32>,
    pub days_per_week: Option<u32>,
    pub hours: Option<Vec<HourShare>>,
    pub activities: Option<Vec<String>>,
    pub requirements: Option<RequirementKeys>,
    pub obligations: Option<Vec<String>>,
    pub contacts: Option<Vec<Contact>>,
    pub description: Option<String>,
    pub slug: Option<String>,
    pub weight: Option<i64>,
    pub draft: Option<bool>,
    /// In a translation: the stamp of the source it was made from (see `stamp`).
    pub translated_from: Option<String>,
}

pub const SITE_KEYS: &[&str] = &[
    "title",
    "code",
    "office",
    "address",
    "postcode",
    "city",
    "volunteers",
    "hours_per_year",
    "min_weekly_hours",
    "days_per_week",
    "hours",
    "activities",
    "requirements",
    "obligations",
    "contacts",
    "description",
    "slug",
    "weight",
    "draft",
    "translated_from",
];

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ProgrammeFront {
    #[serde(rename = "type")]
    pub kind: Option<String>,
    pub title: Option<String>,
    pub entity: Option<String>,
    pub sector: Option<String>,
    pub area: Option<String>,
    pub year: Option<u32>,
    pub contacts: Option<Vec<Contact>>,
    pub description: Option<String>,
    pub slug: Option<String>,
    pub weight: Option<i64>,
    pub draft: Option<bool>,
    /// In a translation: the stamp of the source it was made from (see `stamp`).
    pub translated_from: Option<String>,
}

pub const PROGRAMME_KEYS: &[&str] = &[
    "type",
    "title",
    "entity",
    "sector",
    "area",
    "year",
    "contacts",
    "description",
    "slug",
    "weight",
    "draft",
    "translated_from",
];

/// A plain page, or the home page (`content/_index.md`).
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct PageFront {
    pub title: Option<String>,
    pub description: Option<String>,
    pub slug: Option<String>,
    pub weight: Option<i64>,
    pub draft: Option<bool>,
    /// In a translation: the stamp of the source it was made from (see `stamp`).
    pub translated_from: Option<String>,
}

pub const PAGE_KEYS: &[&str] = &["title", "description", "slug", "weight", "draft", "translated_from"];

/// Parses a document's front matter as `T` (a `what`: site, programme or page), locating
/// errors in the file; `keys` are its valid top-level fields.
pub fn parse<T: DeserializeOwned + Default>(doc: &SourceDoc, keys: &[&str], what: &str) -> Result<T, Diagnostic> {
    let front = doc.front();
    if front.trim().is_empty() {
        return Ok(T::default());
    }
    yaml::from_fields_str::<T>(front).map_err(|e| {
        let within = e.unknown_field_within();
        let mut d = e.diagnostic(&doc.path, doc.head(), doc.front_line, within.map_or(keys, |f| keys_within(f, keys)));
        if within.is_some_and(Field::is_root) {
            // A field may be valid in another kind of file: say which kind this one is.
            d.message.push_str(&format!(" in the front matter of this {what}"));
        }
        d
    })
}

/// The fields valid inside a group of the front matter (an item of `hours:`...).
fn keys_within<'k>(field: &Field, top: &'k [&'k str]) -> &'k [&'k str] {
    if field.is_root() {
        return top;
    }
    match field.key() {
        "hours" => &["hours", "purpose"],
        "contacts" => &["name", "role", "email", "phone"],
        "requirements" => &["required", "preferred"],
        _ => top,
    }
}

/// Front matter as a JSON object, as [`inherit_json`] and the translation checks read it.
pub fn as_json<T: Serialize>(front: &T) -> Option<serde_json::Map<String, serde_json::Value>> {
    match serde_json::to_value(front) {
        Ok(serde_json::Value::Object(map)) => Some(map),
        _ => None,
    }
}

/// Applies a translation's fields over the default-language file's: a field the
/// translation leaves out is inherited. In a list of items as long as the original's
/// (`contacts:`), each item inherits what it leaves out from the original's item, so that
/// a translation may give only the contacts' roles.
/// Both are given as JSON ([`as_json`]); `over` itself if the merge does not read back.
pub fn inherit_json<T: DeserializeOwned + Clone>(
    base: &serde_json::Map<String, serde_json::Value>,
    top: serde_json::Map<String, serde_json::Value>,
    over: &T,
) -> T {
    use serde_json::Value;
    let mut merged = base.clone();
    for (k, v) in top {
        let v = match (merged.get(&k), v) {
            (_, Value::Null) => continue,
            (Some(Value::Array(original)), Value::Array(items)) if original.len() == items.len() => {
                Value::Array(original.iter().zip(items).map(|(o, item)| merge_item(o, item)).collect())
            }
            (_, v) => v,
        };
        merged.insert(k, v);
    }
    serde_json::from_value(Value::Object(merged)).unwrap_or_else(|_| over.clone())
}

/// An item of a translated list over the original's item: the fields it gives win.
fn merge_item(original: &serde_json::Value, item: serde_json::Value) -> serde_json::Value {
    match (original, item) {
        (serde_json::Value::Object(o), serde_json::Value::Object(i)) => {
            let mut merged = o.clone();
            merged.extend(i.into_iter().filter(|(_, v)| !v.is_null()));
            serde_json::Value::Object(merged)
        }
        (_, item) => item,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn inherit<T: Serialize + DeserializeOwned + Clone>(base: &T, over: &T) -> T {
        inherit_json(&as_json(base).unwrap(), as_json(over).unwrap(), over)
    }

    #[test]
    fn translation_inherits_the_facts_it_leaves_out() {
        let it = SiteFront {
            title: Some("Alloggi".into()),
            address: Some("Via Larga, 12".into()),
            volunteers: Some(3),
            ..Default::default()
        };
        let en = SiteFront { title: Some("Housing".into()), ..Default::default() };
        let merged = inherit(&it, &en);
        assert_eq!(merged.title.as_deref(), Some("Housing"));
        assert_eq!(merged.address.as_deref(), Some("Via Larga, 12"));
        assert_eq!(merged.volunteers, Some(3));
    }

    #[test]
    fn a_translated_contact_keeps_the_original_email_and_phone() {
        let contact = |name: &str, role: Option<&str>, email: Option<&str>| Contact {
            name: Some(name.into()),
            role: role.map(Into::into),
            email: email.map(Into::into),
            phone: None,
        };
        let it = ProgrammeFront {
            contacts: Some(vec![contact("Anna Neri", Some("Referente di progetto"), Some("a.neri@comune.it"))]),
            ..Default::default()
        };
        let en = ProgrammeFront {
            contacts: Some(vec![Contact { role: Some("Project officer".into()), ..Default::default() }]),
            ..Default::default()
        };
        let merged = inherit(&it, &en);
        assert_eq!(
            merged.contacts,
            Some(vec![contact("Anna Neri", Some("Project officer"), Some("a.neri@comune.it"))])
        );
    }
}
