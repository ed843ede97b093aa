//! Linear scans of YAML text that need no parser: refusing what the parser must never see,
//! converting the parser's positions to the editor's, and reading what the writer typed at
//! a position, so that messages can quote it.

/// Deeper nesting than any front matter needs; refused before parsing because the parser's
/// time grows with the square of the depth (200,000 `[` take minutes).
pub const MAX_DEPTH: usize = 64;

/// Where flow nesting (`[`, `{`) first exceeds [`MAX_DEPTH`], skipping quoted text and comments;
/// a linear scan, so a hostile file costs nothing.
pub fn too_deep(text: &str) -> Option<(usize, usize)> {
    // Every front matter is read twice (here and by the parser): most have too few brackets
    // to count their nesting character by character.
    if text.bytes().filter(|b| matches!(b, b'[' | b'{')).count() <= MAX_DEPTH {
        return None;
    }
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

/// The innermost `[` or `{` still open at the end of the text, skipping quoted text and
/// comments: (line, column, bracket).
pub fn unclosed_bracket(text: &str) -> Option<(usize, usize, char)> {
    let mut open: Vec<(usize, usize, char)> = Vec::new();
    for (i, row) in text.split('\n').enumerate() {
        let mut quote: Option<char> = None;
        let mut prev = ' ';
        for (j, c) in row.chars().enumerate() {
            match (quote, c) {
                (Some(q), c) if c == q => quote = None,
                (Some(_), _) => {}
                (None, '"') => quote = Some(c),
                (None, '\'') if !prev.is_alphanumeric() => quote = Some(c),
                (None, '#') if prev.is_whitespace() => break,
                (None, '[' | '{') => open.push((i + 1, j + 1, c)),
                (None, ']' | '}') => {
                    open.pop();
                }
                _ => {}
            }
            prev = c;
        }
    }
    open.pop()
}

/// A character no writer means to type and no page may show: C0 controls other than tab
/// and line ends, DEL, and C1 controls (NEL included, which YAML would take for a line end).
pub fn is_refused_control(c: char) -> bool {
    c.is_control() && !matches!(c, '\t' | '\n' | '\r')
}

/// The first refused control character written as such in `text`: (line, column, character).
pub fn literal_control(text: &str) -> Option<(usize, usize, char)> {
    // A control character is a byte below 0x20, 0x7F, or 0xC2 then 0x80–0x9F in UTF-8: a
    // text without those bytes is looked at no closer.
    if !text.bytes().any(|b| (b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r')) || b == 0x7F || b == 0xC2) {
        return None;
    }
    text.split('\n').enumerate().find_map(|(i, line)| {
        line.trim_end_matches('\r')
            .chars()
            .enumerate()
            .find(|(_, c)| is_refused_control(*c))
            .map(|(col, c)| (i + 1, col + 1, c))
    })
}

/// The first escape (`\0`, `\x07`, `\u0000`...) at or after (`line`, `column`) that stands for
/// a refused control character: where a double-quoted value hides one.
pub fn control_escape(text: &str, line: usize, column: usize) -> Option<(usize, usize, char)> {
    for (i, row) in text.split('\n').enumerate().skip(line.saturating_sub(1)) {
        let chars: Vec<char> = row.chars().collect();
        let start = if i + 1 == line { column.saturating_sub(1) } else { 0 };
        let mut j = start;
        while j < chars.len() {
            if chars[j] == '\\' {
                if let Some(c) = escaped(&chars[j + 1..]).filter(|c| is_refused_control(*c)) {
                    return Some((i + 1, j + 1, c));
                }
                j += 1;
            }
            j += 1;
        }
    }
    None
}

/// The character a double-quoted escape stands for, given the characters after the `\`.
fn escaped(after: &[char]) -> Option<char> {
    let hex = |n: usize| -> Option<char> {
        let digits: String = after.get(1..=n)?.iter().collect();
        char::from_u32(u32::from_str_radix(&digits, 16).ok()?)
    };
    match after.first()? {
        '0' => Some('\0'),
        'a' => Some('\u{7}'),
        'b' => Some('\u{8}'),
        'e' => Some('\u{1b}'),
        'v' => Some('\u{b}'),
        'f' => Some('\u{c}'),
        'N' => Some('\u{85}'),
        'L' => Some('\u{2028}'),
        'P' => Some('\u{2029}'),
        'x' => hex(2),
        'u' => hex(4),
        'U' => hex(8),
        _ => None,
    }
}

/// YAML also breaks lines at U+0085, U+2028 and U+2029, which editors show inside one line:
/// converts YAML's 1-based line and column to the text's lines (split at `\n` only).
pub fn to_text_position(text: &str, yaml_line: usize, yaml_column: usize) -> (usize, usize) {
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

/// Line `line` (1-based) of `text`, without its line end.
pub fn line_at(text: &str, line: usize) -> &str {
    text.split('\n').nth(line.saturating_sub(1)).unwrap_or("").trim_end_matches('\r')
}

/// The character at (`line`, `column`), 1-based.
pub fn char_at(text: &str, line: usize, column: usize) -> Option<char> {
    line_at(text, line).chars().nth(column.saturating_sub(1))
}

/// The value written at (`line`, `column`) as the writer typed it: a quoted text up to its
/// closing quote, or plain text up to a comment, a comma, a bracket or the line end.
pub fn value_at(text: &str, line: usize, column: usize) -> String {
    let rest: String = line_at(text, line).chars().skip(column.saturating_sub(1)).collect();
    let mut chars = rest.char_indices();
    let end = match chars.next() {
        Some((_, q @ ('"' | '\''))) => chars.find(|(_, c)| *c == q).map_or(rest.len(), |(i, c)| i + c.len_utf8()),
        Some(_) => {
            let bytes = rest.as_bytes();
            (0..rest.len())
                .find(|&i| {
                    let next = bytes.get(i + 1).copied().unwrap_or(b' ');
                    match bytes[i] {
                        b']' | b'}' => true,
                        b',' => next == b' ',
                        b' ' => next == b'#',
                        _ => false,
                    }
                })
                .unwrap_or(rest.len())
        }
        None => 0,
    };
    rest[..end].trim().to_string()
}

/// A line `key:value` missing the space after the colon, at or before line `until`:
/// (line, column just after the colon, key). URLs (`https://`) and times (`8:30`) are not keys.
pub fn missing_space_after_colon(text: &str, until: usize) -> Option<(usize, usize, String)> {
    text.split('\n').take(until).enumerate().find_map(|(i, row)| {
        let row = row.trim_end_matches('\r');
        let indent = row.len() - row.trim_start_matches([' ', '-']).len();
        let rest = &row[indent..];
        let key_len = rest.find(|c: char| !(c.is_alphanumeric() || c == '_' || c == '-'))?;
        let (key, after) = rest.split_at(key_len);
        let glued = after.strip_prefix(':')?.chars().next()?;
        let is_key = key.starts_with(|c: char| c.is_alphabetic() || c == '_');
        (is_key && !glued.is_whitespace() && !matches!(glued, '/' | ':'))
            .then(|| (i + 1, row[..indent + key_len + 1].chars().count() + 1, key.to_string()))
    })
}

/// The last `quote` of the closest line before `line` that holds an odd number of them:
/// where a quoted text that runs on was opened.
pub fn unbalanced_quote_before(text: &str, line: usize, quote: char) -> Option<(usize, usize)> {
    let rows: Vec<&str> = text.split('\n').take(line.saturating_sub(1)).collect();
    rows.iter().enumerate().rev().find(|(_, row)| row.matches(quote).count() % 2 == 1).map(|(i, row)| {
        let last = row.rfind(quote).unwrap_or(0);
        (i + 1, row[..last].chars().count() + 1)
    })
}

/// `1.400`, `1,400`, `1 400`: a whole number written with a thousands separator, as Italian
/// and English writers do; the digits alone.
pub fn thousands_separated(written: &str) -> Option<String> {
    let written = written.trim_matches(['"', '\'']);
    let groups: Vec<&str> = written.split(['.', ',', ' ', '\'', '’']).collect();
    let well_formed = groups.len() > 1
        && (1..=3).contains(&groups[0].len())
        && groups[1..].iter().all(|g| g.len() == 3)
        && groups.iter().all(|g| !g.is_empty() && g.bytes().all(|b| b.is_ascii_digit()));
    well_formed.then(|| groups.concat())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_are_read_as_typed() {
        let text = "a: 1.400 # ore\nb: { x: 1,400, y: 2 }\nc: \"Milano: centro\" # x\nd: [1, 2]\n";
        assert_eq!(value_at(text, 1, 4), "1.400");
        assert_eq!(value_at(text, 2, 9), "1,400");
        assert_eq!(value_at(text, 3, 4), "\"Milano: centro\"");
        assert_eq!(value_at(text, 4, 5), "1");
    }

    #[test]
    fn thousands_separators_are_recognised_only_in_whole_groups() {
        assert_eq!(thousands_separated("1.400").as_deref(), Some("1400"));
        assert_eq!(thousands_separated("1,400").as_deref(), Some("1400"));
        assert_eq!(thousands_separated("\"12 400\"").as_deref(), Some("12400"));
        assert_eq!(thousands_separated("1.400.000").as_deref(), Some("1400000"));
        assert_eq!(thousands_separated("1.5"), None);
        assert_eq!(thousands_separated("1400"), None);
        assert_eq!(thousands_separated("1234.567"), None);
    }

    #[test]
    fn a_key_glued_to_its_value_is_found_but_urls_and_times_are_not() {
        assert_eq!(missing_space_after_colon("a: 1\nvolunteers:2\n", 9), Some((2, 12, "volunteers".into())));
        assert_eq!(missing_space_after_colon("  - purpose:x\n", 9), Some((1, 13, "purpose".into())));
        assert_eq!(missing_space_after_colon("url: https://x\ntime: 8:30\n- https://y\n", 9), None);
        assert_eq!(missing_space_after_colon("a: 1\nb:2\n", 1), None);
    }

    #[test]
    fn nesting_is_too_deep_past_the_limit_and_not_inside_quotes() {
        let open = |n: usize| format!("a: {}\n", "[".repeat(n));
        assert_eq!(too_deep(&open(MAX_DEPTH)), None);
        assert_eq!(too_deep(&open(MAX_DEPTH + 1)), Some((1, 4 + MAX_DEPTH)));
        assert_eq!(too_deep(&format!("a: \"{}\"\n", "[".repeat(MAX_DEPTH + 1))), None);
        assert_eq!(too_deep(&"- [a]\n".repeat(MAX_DEPTH + 1)), None, "many lists, none inside another");
    }

    #[test]
    fn control_characters_are_found_written_or_escaped() {
        assert_eq!(literal_control("a: 1\ntitle: x\u{0}y\n"), Some((2, 9, '\0')));
        assert_eq!(literal_control("a: \"tab\there\"\r\n"), None);
        assert_eq!(literal_control("a: 20°\nb: x\u{7f}\n"), Some((2, 5, '\u{7f}')));
        assert_eq!(literal_control("a: «x»\u{85}\n"), Some((1, 7, '\u{85}')));
        assert_eq!(literal_control("a: 20° «x»\n"), None);
        assert_eq!(control_escape("title: \"a\\0b\"\n", 1, 8), Some((1, 10, '\0')));
        assert_eq!(control_escape("t: \"a\\\\0 \\x07\"\n", 1, 4), Some((1, 10, '\u{7}')));
        assert_eq!(control_escape("t: \"a\\t\\n\\u00e8\"\n", 1, 4), None);
    }
}
