//! The requirement and obligation vocabularies of config.yaml: keys in the writers' order,
//! their labels per language, and the address segment of each key's page.

use std::collections::BTreeMap;
use std::fmt;

use serde::de::{MapAccess, Visitor};
use serde::{Deserialize, Deserializer};

use super::{Config, Invalid, Localized};
use crate::slug::{self, Alphabet, NameProblem};
use crate::yaml::Step::Key;

/// An ordered `key -> labels` map; order is the config file's, so the theme can list
/// requirements the way the writers arranged them. The second field holds the address
/// segments written as `slug:`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct Vocabulary(pub Vec<(String, Localized)>, pub VocabularySlugs);

/// Per key, the address segment of its page per language (`slug: { it: inglese }`).
/// Addresses never come from labels, so rewording a label breaks no link.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct VocabularySlugs(pub(super) BTreeMap<String, Localized>);

impl Vocabulary {
    pub fn get(&self, key: &str) -> Option<&Localized> {
        self.0.iter().find(|(k, _)| k == key).map(|(_, v)| v)
    }
    pub fn keys(&self) -> impl Iterator<Item = &str> {
        self.0.iter().map(|(k, _)| k.as_str())
    }
    /// The address segment of `key`'s page in `lang`: its `slug:` for that language, else the key.
    pub fn slug<'a>(&'a self, key: &'a str, lang: &str) -> &'a str {
        self.1 .0.get(key).and_then(|slugs| slugs.get(lang)).map_or(key, String::as_str)
    }
}

/// One entry as written: labels per language, and optionally `slug:` per language.
#[derive(Deserialize)]
struct Term {
    #[serde(default)]
    slug: Localized,
    #[serde(flatten)]
    labels: Localized,
}

impl<'de> Deserialize<'de> for Vocabulary {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Vocabulary;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a map of key: { language: label, slug: { language: address } }")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Vocabulary, A::Error> {
                let mut out: Vec<(String, Localized)> = Vec::new();
                let mut slugs = BTreeMap::new();
                while let Some((k, term)) = map.next_entry::<String, Term>()? {
                    // A key listed twice is refused by `yaml::from_str`, at the second one.
                    if !term.slug.is_empty() {
                        slugs.insert(k.clone(), term.slug);
                    }
                    out.push((k, term.labels));
                }
                Ok(Vocabulary(out, VocabularySlugs(slugs)))
            }
        }
        d.deserialize_map(V)
    }
}

/// What is wrong with the keys and `slug:`s of both vocabularies; `codes` are the site's
/// languages. A key is a plain name ([`Alphabet::Plain`]): it is the address of its page
/// in every language without a `slug:`, and a key in the filters' addresses.
pub(super) fn problems<'c>(config: &'c Config, codes: &[&str]) -> Vec<Invalid<'c>> {
    let mut out = Vec::new();
    let groups = [("requirements", &config.requirements), ("obligations", &config.obligations)];
    for (group, vocabulary) in groups {
        for key in vocabulary.keys() {
            let (message, hint) = match slug::check(key, Alphabet::Plain) {
                Ok(()) => continue,
                Err(p @ NameProblem::WindowsDevice) => {
                    (p.describe("the key", key), "choose another key: it is the address of its page, e.g. it-skills")
                }
                Err(_) => (
                    format!("`{key}` is not a valid key"),
                    "use lower-case letters, digits and hyphens, e.g. it-skills",
                ),
            };
            out.push(Invalid::new(vec![Key(group), Key(key)], message, hint));
        }
    }
    if config.requirements.get(crate::filter::NONE_OF_THESE).is_some() {
        out.push(Invalid::new(
            vec![Key("requirements"), Key(crate::filter::NONE_OF_THESE)],
            format!("the requirement key `{}` is reserved", crate::filter::NONE_OF_THESE),
            "it means \"none of these\" in the filters' addresses: choose another key",
        ));
    }
    for (what, vocabulary) in groups {
        for (key, slugs) in &vocabulary.1 .0 {
            for (lang, slug) in slugs {
                let at = vec![Key(what), Key(key), Key("slug"), Key(lang)];
                if !codes.contains(&lang.as_str()) {
                    out.push(Invalid::new(
                        at,
                        format!("{what}.{key}.slug has an address in `{lang}`, a language not in languages"),
                        "add the language to languages or remove the slug",
                    ));
                } else if let Err(e) = slug::validate(slug) {
                    out.push(Invalid::new(
                        at,
                        format!("{what}.{key}.slug.{lang}: {e}"),
                        "write one part of an address: letters, digits and hyphens, e.g. lingua-inglese",
                    ));
                }
            }
        }
    }
    out
}
