//! The one place that names the YAML crate, so that it can be swapped for a maintained
//! fork (serde_yml, serde_norway...) by changing the `use` below.

use serde::de::DeserializeOwned;
use serde_yaml as backend;

/// A YAML parse or type error, with its 1-based position inside the parsed text.
#[derive(Debug, Clone)]
pub struct YamlError {
    pub message: String,
    pub line: Option<usize>,
    pub column: Option<usize>,
}

/// Largest YAML document we accept; front matter and config are small, and this bounds
/// the memory a hostile file can make the parser use.
pub const MAX_YAML_BYTES: usize = 1024 * 1024;

/// Parses `text` into `T`, reporting the position of the first error.
pub fn from_str<T: DeserializeOwned>(text: &str) -> Result<T, YamlError> {
    if text.len() > MAX_YAML_BYTES {
        return Err(YamlError {
            message: format!("YAML block is larger than {} KiB", MAX_YAML_BYTES / 1024),
            line: None,
            column: None,
        });
    }
    backend::from_str(text).map_err(|e| {
        let loc = e.location();
        YamlError {
            message: clean_message(&e.to_string()),
            line: loc.as_ref().map(|l| l.line()),
            column: loc.as_ref().map(|l| l.column()),
        }
    })
}

/// serde_yaml appends " at line X column Y" to its messages; we show positions ourselves.
fn clean_message(msg: &str) -> String {
    match msg.find(" at line ") {
        Some(i) => msg[..i].to_string(),
        None => msg.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    #[test]
    fn reports_position_of_a_syntax_error() {
        let err = from_str::<BTreeMap<String, String>>("a: 1\nb: [\n").unwrap_err();
        assert!(err.line.is_some());
        assert!(!err.message.contains(" at line "));
    }

    #[test]
    fn alias_bomb_is_an_error_not_a_hang() {
        let bomb = "a: &a [x,x,x,x,x,x,x,x,x]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\ne: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]\nf: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]\ng: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]\nh: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]\ni: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]\n";
        assert!(from_str::<serde_json::Value>(bomb).is_err());
    }
}
