//! Walking a YAML document with the parser itself, to learn what typed parsing cannot tell:
//! which key is written twice, which text holds a control character, and where a key path
//! stands. The walk stops by failing at the spot, so the parser gives the exact position.

use std::cell::RefCell;
use std::collections::HashSet;
use std::fmt;

use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};

use super::backend;
use super::scan::is_refused_control;

/// One step of a path into a document: a key of a map, or an item of a list (0-based).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step<'a> {
    Key(&'a str),
    Item(usize),
}

/// What a walk found, at the parser's (line, column).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Finding {
    /// A key written a second time in the same map; the position is the second one's.
    DuplicateKey(String),
    /// A text value holding a control character; the position is the value's.
    ControlCharacter(char),
    /// The value a path leads to.
    Target,
}

/// The first duplicate key or control character in the document, if any.
pub fn inspect(text: &str) -> Option<(Finding, usize, usize)> {
    let found = RefCell::new(None);
    let err = Walk { found: &found, goal: Goal::Inspect }.deserialize(backend::Deserializer::from_str(text)).err()?;
    let finding = found.into_inner()?;
    let at = err.location()?;
    Some((finding, at.line(), at.column()))
}

/// The parser's (line, column) of the value at `path`, e.g. `links` > `privacy` > `it`.
pub fn locate(text: &str, path: &[Step]) -> Option<(usize, usize)> {
    let found = RefCell::new(None);
    let err =
        Walk { found: &found, goal: Goal::Value(path) }.deserialize(backend::Deserializer::from_str(text)).err()?;
    found.into_inner()?;
    let at = err.location()?;
    Some((at.line(), at.column()))
}

#[derive(Clone, Copy)]
enum Goal<'p> {
    Inspect,
    /// The value at the end of this path (the walk is at its start).
    Value(&'p [Step<'p>]),
}

#[derive(Clone, Copy)]
struct Walk<'w> {
    found: &'w RefCell<Option<Finding>>,
    goal: Goal<'w>,
}

/// The error that stops a walk; the parser adds the position, `found` says what it is.
fn stop<E: de::Error>() -> E {
    E::custom("stopped at what the walk looks for")
}

impl<'de> DeserializeSeed<'de> for Walk<'_> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        match self.goal {
            Goal::Value([]) => {
                // Any value fails here, so the parser marks where it starts.
                *self.found.borrow_mut() = Some(Finding::Target);
                d.deserialize_any(Fail)
            }
            _ => d.deserialize_any(self),
        }
    }
}

impl<'de> Visitor<'de> for Walk<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any YAML value")
    }
    fn visit_bool<E>(self, _: bool) -> Result<(), E> {
        Ok(())
    }
    fn visit_i64<E>(self, _: i64) -> Result<(), E> {
        Ok(())
    }
    fn visit_u64<E>(self, _: u64) -> Result<(), E> {
        Ok(())
    }
    fn visit_f64<E>(self, _: f64) -> Result<(), E> {
        Ok(())
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<(), E> {
        match (self.goal, v.chars().find(|c| is_refused_control(*c))) {
            (Goal::Inspect, Some(c)) => {
                *self.found.borrow_mut() = Some(Finding::ControlCharacter(c));
                Err(stop())
            }
            _ => Ok(()),
        }
    }
    fn visit_unit<E>(self) -> Result<(), E> {
        Ok(())
    }
    fn visit_none<E>(self) -> Result<(), E> {
        Ok(())
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        self.deserialize(d)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        let mut index = 0;
        loop {
            let more = match self.goal {
                Goal::Inspect => seq.next_element_seed(self)?,
                Goal::Value([Step::Item(i), rest @ ..]) if *i == index => {
                    seq.next_element_seed(Walk { goal: Goal::Value(rest), ..self })?
                }
                Goal::Value(_) => seq.next_element::<IgnoredAny>()?.map(|_| ()),
            };
            if more.is_none() {
                return Ok(());
            }
            index += 1;
        }
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let mut seen = HashSet::new();
        while let Some(key) = map.next_key_seed(Key { seen: &mut seen, walk: self })? {
            match self.goal {
                Goal::Inspect => map.next_value_seed(self)?,
                Goal::Value([Step::Key(k), rest @ ..]) if key.as_deref() == Some(*k) => {
                    map.next_value_seed(Walk { goal: Goal::Value(rest), ..self })?
                }
                Goal::Value(_) => map.next_value::<IgnoredAny>().map(|_| ())?,
            }
        }
        Ok(())
    }
}

/// A map's key, as text when it is a scalar; stops the walk at a key seen before.
struct Key<'s, 'w> {
    seen: &'s mut HashSet<String>,
    walk: Walk<'w>,
}

impl<'de> DeserializeSeed<'de> for Key<'_, '_> {
    type Value = Option<String>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Option<String>, D::Error> {
        d.deserialize_any(self)
    }
}

impl Key<'_, '_> {
    /// Fails inside the key's own parsing, so that the parser marks the key's position.
    fn accept<E: de::Error>(self, text: String) -> Result<Option<String>, E> {
        if matches!(self.walk.goal, Goal::Inspect) && !self.seen.insert(text.clone()) {
            *self.walk.found.borrow_mut() = Some(Finding::DuplicateKey(text));
            return Err(stop());
        }
        Ok(Some(text))
    }
}

impl<'de> Visitor<'de> for Key<'_, '_> {
    type Value = Option<String>;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a key")
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        self.accept(v.to_string())
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Self::Value, E> {
        self.accept(v.to_string())
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
        self.accept(v.to_string())
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
        self.accept(v.to_string())
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
        self.accept(v.to_string())
    }
    fn visit_unit<E>(self) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_none<E>(self) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(None)
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
        Ok(None)
    }
}

/// Fails on whatever value it is given.
struct Fail;

impl<'de> Visitor<'de> for Fail {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("nothing")
    }
    fn visit_bool<E: de::Error>(self, _: bool) -> Result<(), E> {
        Err(stop())
    }
    fn visit_i64<E: de::Error>(self, _: i64) -> Result<(), E> {
        Err(stop())
    }
    fn visit_u64<E: de::Error>(self, _: u64) -> Result<(), E> {
        Err(stop())
    }
    fn visit_f64<E: de::Error>(self, _: f64) -> Result<(), E> {
        Err(stop())
    }
    fn visit_str<E: de::Error>(self, _: &str) -> Result<(), E> {
        Err(stop())
    }
    fn visit_unit<E: de::Error>(self) -> Result<(), E> {
        Err(stop())
    }
    fn visit_none<E: de::Error>(self) -> Result<(), E> {
        Err(stop())
    }
    fn visit_some<D: Deserializer<'de>>(self, _: D) -> Result<(), D::Error> {
        Err(stop())
    }
    fn visit_seq<A: SeqAccess<'de>>(self, _: A) -> Result<(), A::Error> {
        Err(stop())
    }
    fn visit_map<A: MapAccess<'de>>(self, _: A) -> Result<(), A::Error> {
        Err(stop())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_duplicate_key_is_found_at_its_second_writing() {
        let text = "title: a\nowner:\n  it: x\n  en: y\n  it: z\n";
        assert_eq!(inspect(text), Some((Finding::DuplicateKey("it".into()), 5, 3)));
        assert_eq!(inspect("a: { it: x, it: y }\n"), Some((Finding::DuplicateKey("it".into()), 1, 13)));
        assert_eq!(inspect("- { a: 1 }\n- { a: 2 }\n"), None, "the same key in two maps is fine");
    }

    #[test]
    fn a_control_character_in_a_text_is_found_at_the_text() {
        assert_eq!(inspect("a: 1\ntitle: \"x\\0y\"\n"), Some((Finding::ControlCharacter('\0'), 2, 8)));
        assert_eq!(inspect("title: \"x\\ty\"\n"), None);
    }

    #[test]
    fn a_path_is_located_at_its_value_in_block_and_flow_style() {
        let text =
            "title: { it: a }\nlanguages:\n  - { code: it, name: I }\n  - code: xx\nlinks:\n  privacy:\n    it: y\n";
        assert_eq!(locate(text, &[Step::Key("title"), Step::Key("it")]), Some((1, 14)));
        assert_eq!(locate(text, &[Step::Key("languages"), Step::Item(1), Step::Key("code")]), Some((4, 11)));
        assert_eq!(locate(text, &[Step::Key("links"), Step::Key("privacy"), Step::Key("it")]), Some((7, 9)));
        assert_eq!(locate(text, &[Step::Key("links"), Step::Key("nope")]), None);
    }
}
