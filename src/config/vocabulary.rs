//! The requirement and obligation vocabularies of config.yaml: keys in the writers' order,
//! their labels per language, and the address segment of each key's page.

use std::collections::BTreeMap;
use std::fmt;

use serde::de::{MapAccess, Visitor};
use serde::{Deserialize, Deserializer};

use super::Localized;

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
