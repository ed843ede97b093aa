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
pub const MAX_YAML_BYTES: usize = 256 * 1024;

/// Parses `text` into `T`, reporting the position of the first error.
pub fn from_str<T: DeserializeOwned>(text: &str) -> Result<T, YamlError> {
    if text.len() > MAX_YAML_BYTES {
        return Err(YamlError {
            message: format!("YAML block is larger than {} KiB", MAX_YAML_BYTES / 1024),
            line: None,
            column: None,
        });
    }
    if let Some((line, column)) = too_deep(text) {
        return Err(YamlError {
            message: format!("lists or maps are nested more than {MAX_DEPTH} levels deep"),
            line: Some(line),
            column: Some(column),
        });
    }
    backend::from_str(text).map_err(|e| {
        let loc = e.location().map(|l| to_text_position(text, l.line(), l.column()));
        YamlError { message: clean_message(&e.to_string()), line: loc.map(|l| l.0), column: loc.map(|l| l.1) }
    })
}

/// Deeper nesting than any front matter needs; refused before parsing because the parser's
/// time grows with the square of the depth (200,000 `[` take minutes).
pub const MAX_DEPTH: usize = 64;

/// Where flow nesting (`[`, `{`) first exceeds [`MAX_DEPTH`], skipping quoted text and comments;
/// a linear scan, so a hostile file costs nothing.
fn too_deep(text: &str) -> Option<(usize, usize)> {
    let (mut depth, mut line, mut col) = (0usize, 1usize, 0usize);
    let mut quote: Option<char> = None;
    let mut comment = false;
    let mut prev = ' ';
    for c in text.chars() {
        col += 1;
        if c == '\n' {
            line += 1;
            col = 0;
            comment = false;
            prev = c;
            continue;
        }
        match (quote, c) {
            _ if comment => {}
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '"' | '\'') => quote = Some(c),
            (None, '#') if prev.is_whitespace() => comment = true,
            (None, '[' | '{') => {
                depth += 1;
                if depth > MAX_DEPTH {
                    return Some((line, col));
                }
            }
            (None, ']' | '}') => depth = depth.saturating_sub(1),
            _ => {}
        }
        prev = c;
    }
    None
}

/// YAML also breaks lines at U+0085, U+2028 and U+2029, which editors show inside one line:
/// converts YAML's 1-based line and column to the text's lines (split at `\n` only).
fn to_text_position(text: &str, yaml_line: usize, yaml_column: usize) -> (usize, usize) {
    let (mut line, mut col, mut yline) = (1, 1, 1);
    let mut chars = text.chars().peekable();
    while yline < yaml_line {
        let Some(c) = chars.next() else { break };
        match c {
            '\n' => {
                line += 1;
                col = 1;
                yline += 1;
            }
            '\r' if chars.peek() != Some(&'\n') => {
                col += 1;
                yline += 1;
            }
            '\u{85}' | '\u{2028}' | '\u{2029}' => {
                col += 1;
                yline += 1;
            }
            _ => col += 1,
        }
    }
    (line, col + yaml_column.saturating_sub(1))
}

/// serde_yaml appends " at line X column Y" to its messages; we show positions ourselves.
/// The list of every valid key after "unknown field" is left out too: the hint names the closest one.
fn clean_message(msg: &str) -> String {
    let msg = match msg.find(" at line ") {
        Some(i) => &msg[..i],
        None => msg,
    };
    match msg.find(", expected one of ") {
        Some(i) if msg.contains("unknown field") => msg[..i].to_string(),
        _ => msg.to_string(),
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
    fn unicode_line_separators_do_not_shift_error_lines_past_the_text() {
        let err = from_str::<BTreeMap<String, String>>("\u{2028}title: \n\u{2028}&a \n").unwrap_err();
        // Two text lines; an error at the end of the input is on the line after them.
        assert!(err.line.unwrap_or(0) <= 3, "{:?}", err.line);
    }

    #[test]
    fn deep_nesting_is_refused_at_once() {
        let text = format!("title: {}", "[".repeat(200_000));
        let started = std::time::Instant::now();
        let err = from_str::<serde_json::Value>(&text).unwrap_err();
        assert!(err.message.contains("nested"), "{}", err.message);
        assert!(started.elapsed().as_millis() < 1000);
        assert!(from_str::<serde_json::Value>("a: \"[[[[\" # [[[[\nb: [1, [2]]\n").is_ok());
    }

    #[test]
    fn alias_bomb_is_an_error_not_a_hang() {
        let bomb = "a: &a [x,x,x,x,x,x,x,x,x]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\ne: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]\nf: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]\ng: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]\nh: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]\ni: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]\n";
        assert!(from_str::<serde_json::Value>(bomb).is_err());
    }
}
