//! The one place that names the YAML crate, so that it can be swapped for a maintained
//! fork (serde_yml, serde_norway...) by changing the `use` below and the reading of its
//! messages in `classify.rs`. Every mistake leaves this module as a [`Problem`] (a kind, with
//! the writer's words and a hint), located in the text: no caller reads the parser's English.

mod classify;
mod problem;
mod scan;
mod walk;

use std::path::Path;

use serde::de::DeserializeOwned;
use serde_yaml as backend;

use crate::diagnostic::Diagnostic;
pub use problem::{Field, Problem};
pub use scan::MAX_DEPTH;
pub use walk::Step;

/// A mistake in a YAML text, classified once here so that no caller reads the parser's
/// English, and located at the 1-based line and column of the text where the writer acts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct YamlError {
    pub problem: Problem,
    pub line: usize,
    pub column: usize,
}

impl YamlError {
    pub fn message(&self) -> String {
        self.problem.message()
    }

    /// The field path an unknown field was found in (`.` at the top), to choose its valid keys.
    pub fn unknown_field_within(&self) -> Option<&Field> {
        match &self.problem {
            Problem::UnknownField { within, .. } => Some(within),
            _ => None,
        }
    }

    /// The error as a finding in `file`, whose whole text is `file_text` and in which the
    /// YAML starts on line `first_line`; `keys` are the fields valid where an unknown one was found.
    pub fn diagnostic(&self, file: &Path, file_text: &str, first_line: usize, keys: &[&str]) -> Diagnostic {
        Diagnostic::error(self.message())
            .in_file(file)
            .at(first_line + self.line - 1, self.column, Some(file_text))
            .with_hint(self.problem.hint(keys))
    }
}

/// Largest YAML document we accept; front matter and config are small, and this bounds
/// the memory a hostile file can make the parser use.
pub const MAX_YAML_BYTES: usize = 256 * 1024;

/// Parses `text` into `T`. Besides what `T` refuses, a key written twice in one map and a
/// control character in any text are errors: both would otherwise pass silently.
pub fn from_str<T: DeserializeOwned>(text: &str) -> Result<T, YamlError> {
    parse(text, Shape::WithMaps)
}

/// As [`from_str`], for a `T` made only of structs, lists and scalars (front matter): serde
/// refuses a repeated field of a struct itself, so the text is walked again after a good
/// parse only when an escape (`\0`) could hide a control character. The walk would cost
/// 70% of the parse on every page.
pub fn from_fields_str<T: DeserializeOwned>(text: &str) -> Result<T, YamlError> {
    parse(text, Shape::Fields)
}

/// What a good parse may have let through, and so whether to walk the text again.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Shape {
    /// Only structs, lists and scalars.
    Fields,
    /// Maps with free keys (`{ it: ..., en: ... }`), where a second key replaces the first.
    WithMaps,
}

fn parse<T: DeserializeOwned>(text: &str, shape: Shape) -> Result<T, YamlError> {
    let fail = |problem, (line, column)| Err(YamlError { problem, line, column });
    if text.len() > MAX_YAML_BYTES {
        return fail(Problem::TooLarge { limit_kib: MAX_YAML_BYTES / 1024 }, (1, 1));
    }
    if let Some(at) = scan::too_deep(text) {
        return fail(Problem::TooDeep { limit: MAX_DEPTH }, at);
    }
    if let Some((line, column, c)) = scan::literal_control(text) {
        return fail(Problem::ControlCharacter { code: c as u32 }, (line, column));
    }
    match backend::from_str::<T>(text) {
        Ok(value) if shape == Shape::Fields && !text.contains('\\') => Ok(value),
        Ok(value) => match inspect(text) {
            None => Ok(value),
            Some(e) => Err(e),
        },
        Err(e) => {
            let (line, column) = e.location().map_or((1, 1), |l| scan::to_text_position(text, l.line(), l.column()));
            let (problem, line, column) = classify::classify(&e.to_string(), text, line, column);
            if let Problem::DuplicateKey { .. } = problem {
                // The parser places a repeated field at the start of its map; the walk finds it.
                if let Some(found) = inspect(text) {
                    return Err(found);
                }
            }
            fail(problem, (line, column))
        }
    }
}

/// The first key written twice or control character in a text, located where it is written.
fn inspect(text: &str) -> Option<YamlError> {
    let (finding, line, column) = walk::inspect(text)?;
    let (line, column) = scan::to_text_position(text, line, column);
    Some(match finding {
        walk::Finding::DuplicateKey(key) => YamlError { problem: Problem::DuplicateKey { key }, line, column },
        walk::Finding::ControlCharacter(c) => {
            let (line, column, _) = scan::control_escape(text, line, column).unwrap_or((line, column, c));
            YamlError { problem: Problem::ControlCharacter { code: c as u32 }, line, column }
        }
        walk::Finding::Target => return None,
    })
}

/// The 1-based line and column of the value at `path` in `text`, e.g. `links` > `privacy` > `it`;
/// `None` when the path is not there (or the text does not parse).
pub fn locate(text: &str, path: &[Step]) -> Option<(usize, usize)> {
    let (line, column) = walk::locate(text, path)?;
    Some(scan::to_text_position(text, line, column))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    #[test]
    fn only_a_text_with_maps_or_escapes_is_walked_again() {
        #[derive(serde::Deserialize, Debug)]
        struct Fields {
            #[allow(dead_code)]
            title: String,
        }
        let escaped = "title: \"a\\x01b\"\n";
        assert!(matches!(
            from_fields_str::<Fields>(escaped),
            Err(YamlError { problem: Problem::ControlCharacter { code: 1 }, .. })
        ));
        assert!(from_fields_str::<Fields>("title: a\n").is_ok());
        let twice = "title: a\ntitle: b\n";
        assert_eq!(from_fields_str::<Fields>(twice).map_err(|e| (e.problem, e.line)).unwrap_err().1, 2);
        assert!(from_str::<BTreeMap<String, String>>(twice).is_err());
    }

    #[test]
    fn reports_position_of_a_syntax_error() {
        let err = from_str::<serde_json::Value>("a: 1\nb: [\n").unwrap_err();
        assert_eq!(err.problem, Problem::UnclosedBracket { open: '[' });
        assert_eq!((err.line, err.column), (2, 4));
    }

    #[test]
    fn unicode_line_separators_do_not_shift_error_lines_past_the_text() {
        let err = from_str::<BTreeMap<String, String>>("\u{2028}title: \n\u{2028}&a \n").unwrap_err();
        // Two text lines; an error at the end of the input is on the line after them.
        assert!(err.line <= 3, "{:?}", err.line);
    }

    #[test]
    fn deep_nesting_is_refused_at_once() {
        let text = format!("title: {}", "[".repeat(200_000));
        let started = std::time::Instant::now();
        let err = from_str::<serde_json::Value>(&text).unwrap_err();
        assert!(err.message().contains("nested"), "{}", err.message());
        assert!(started.elapsed().as_millis() < 1000);
        assert!(from_str::<serde_json::Value>("a: \"[[[[\" # [[[[\nb: [1, [2]]\n").is_ok());
    }

    #[test]
    fn alias_bomb_is_an_error_not_a_hang() {
        let bomb = "a: &a [x,x,x,x,x,x,x,x,x]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\ne: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]\nf: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]\ng: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]\nh: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]\ni: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]\n";
        assert_eq!(from_str::<serde_json::Value>(bomb).map_err(|e| e.problem), Err(Problem::TooManyReferences));
    }
}
