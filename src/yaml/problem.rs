//! What went wrong in a YAML text, decided once from the parser's report and the text the
//! writer typed, and said in the writer's words: no Rust type names, the value as written.

use crate::diagnostic::did_you_mean;

use super::scan;

/// The kinds of value a field can ask for, in a writer's terms.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Expected {
    /// Digits only, never negative; the largest accepted value.
    WholeNumber {
        max: u64,
    },
    /// Digits, possibly with a minus sign.
    SignedNumber,
    Number,
    Text,
    TrueOrFalse,
    List,
    /// Lines of `key: value` (a map, or a group of fields).
    Fields,
    /// One of a fixed set of words.
    Choice,
    /// What one of our own types says it wants (`false, true or dangerous`).
    Described(String),
}

/// One mistake in a YAML text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    TooLarge {
        limit_kib: usize,
    },
    TooDeep {
        limit: usize,
    },
    /// An invisible control character, written as such or as an escape like `\0`.
    ControlCharacter {
        code: u32,
    },
    /// A tab where YAML wants spaces.
    Tab,
    /// `volunteers:2`: the colon is glued to the value.
    MissingSpaceAfterColon {
        key: String,
    },
    /// A line that is neither `key: value` nor `- item`.
    LineWithoutKey,
    /// `city: Milano: centro`: a second `: ` in a value.
    ColonInValue {
        key: String,
        value: String,
    },
    /// A key indented deeper than the line above allows.
    IndentedTooFar,
    /// Keys or list items that do not line up.
    BadIndentation,
    /// `'l'orario'`: a quote closes the text before the line ends.
    QuoteEndsEarly {
        quote: char,
    },
    /// `[a, b] c`: text after a closing bracket.
    TextAfterBracket {
        close: char,
    },
    /// A `---` line inside config.yaml starts a second document.
    SeveralDocuments,
    UnclosedQuote {
        quote: char,
    },
    UnclosedBracket {
        open: char,
    },
    /// A value starting with a character YAML reserves (`@`, backquote, `%`...).
    ReservedStart {
        first: char,
    },
    /// `*name` with no `&name`.
    UnknownReference,
    /// References (`*name`) that repeat a value so often the text would explode.
    TooManyReferences,
    /// A value of the wrong kind; `written` is the text as typed (empty for a list or group).
    WrongKind {
        field: Field,
        expected: Expected,
        written: String,
    },
    /// `1.400` or `1,400` where a whole number is wanted.
    ThousandsSeparator {
        field: Field,
        written: String,
        digits: String,
    },
    Negative {
        field: Field,
        written: String,
    },
    TooBig {
        field: Field,
        written: String,
        max: u64,
    },
    MissingField {
        within: Field,
        name: String,
    },
    UnknownField {
        within: Field,
        name: String,
    },
    DuplicateKey {
        key: String,
    },
    UnknownChoice {
        field: Field,
        written: String,
        choices: Vec<String>,
    },
    /// The whole text is one value instead of `key: value` lines.
    NotFields,
    /// A message of our own types (e.g. `unsafe_html is ...`), or one not classified above.
    Other {
        message: String,
    },
}

/// Where in the document a problem is: `hours[0].purpose` as the parser names it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Field(pub String);

impl Field {
    /// The last key of the path (`purpose`), for examples in hints.
    pub fn key(&self) -> &str {
        let last = self.0.rsplit('.').next().unwrap_or("");
        let key = last.split('[').next().unwrap_or("");
        if key.is_empty() {
            "key"
        } else {
            key
        }
    }

    pub fn is_root(&self) -> bool {
        self.0.is_empty() || self.0 == "."
    }

    /// `hours[0].purpose` -> "`purpose` in item 1 of `hours`".
    pub fn label(&self) -> String {
        let mut words: Vec<String> = Vec::new();
        for segment in self.0.split('.').filter(|s| !s.is_empty()) {
            let mut parts = segment.split('[');
            let name = parts.next().unwrap_or("");
            let mut here = if name.is_empty() { Vec::new() } else { vec![format!("`{name}`")] };
            for index in parts.filter_map(|p| p.trim_end_matches(']').parse::<usize>().ok()) {
                here.push(format!("item {}", index + 1));
            }
            words.extend(here);
        }
        words.reverse();
        let mut out = String::new();
        for (i, w) in words.iter().enumerate() {
            let next_is_item = words.get(i + 1).is_some_and(|n| n.starts_with("item"));
            out.push_str(w);
            if i + 1 < words.len() {
                out.push_str(if w.starts_with("item") || !next_is_item { " of " } else { " in " });
            }
        }
        if out.is_empty() {
            "the value".into()
        } else {
            out
        }
    }
}

/// The parser's report, taken apart: the field path it names, its words, and the position
/// of what it was reading when it failed (`while scanning ... at line L column C`).
pub struct Report<'a> {
    pub field: Field,
    pub words: &'a str,
    pub context: Option<(usize, usize)>,
}

impl<'a> Report<'a> {
    pub fn parse(message: &'a str) -> Report<'a> {
        let (field, rest) = match message.split_once(": ") {
            Some((path, rest)) if !path.contains(' ') && !path.is_empty() => (Field(path.to_string()), rest),
            _ => (Field::default(), message),
        };
        let context = rest.split_once(", while ").and_then(|(_, c)| position_in(c));
        let words = rest.split(" at line ").next().unwrap_or(rest);
        let words = words.split(", while ").next().unwrap_or(words);
        Report { field, words, context }
    }
}

/// `... at line 3 column 5` -> (3, 5).
fn position_in(text: &str) -> Option<(usize, usize)> {
    let rest = text.split(" at line ").nth(1)?;
    let mut numbers = rest.split(|c: char| !c.is_ascii_digit()).filter(|s| !s.is_empty());
    Some((numbers.next()?.parse().ok()?, numbers.next()?.parse().ok()?))
}

/// The text between the first pair of backquotes after `after`.
fn quoted_after<'m>(words: &'m str, after: &str) -> Option<&'m str> {
    let rest = &words[words.find(after)? + after.len()..];
    let start = rest.find('`')? + 1;
    let len = rest[start..].find('`')?;
    Some(&rest[start..start + len])
}

fn expected_kind(what: &str) -> Expected {
    let max = |bits: u32| if bits >= 64 { u64::MAX } else { (1u64 << bits) - 1 };
    match what {
        "u8" => Expected::WholeNumber { max: max(8) },
        "u16" => Expected::WholeNumber { max: max(16) },
        "u32" => Expected::WholeNumber { max: max(32) },
        "u64" | "usize" | "u128" => Expected::WholeNumber { max: max(64) },
        "i8" | "i16" | "i32" | "i64" | "isize" | "i128" => Expected::SignedNumber,
        "f32" | "f64" => Expected::Number,
        "a string" | "a character" | "a borrowed string" => Expected::Text,
        "a boolean" => Expected::TrueOrFalse,
        w if w.starts_with("a sequence") => Expected::List,
        w if w.starts_with("struct ") || w.starts_with("a map") || w == "map" => Expected::Fields,
        w if w.contains("variant") || w.starts_with("enum ") => Expected::Choice,
        w => Expected::Described(w.to_string()),
    }
}

/// Classifies the parser's `message`, reported at (`line`, `column`) of `text` (text positions).
pub fn classify(message: &str, text: &str, line: usize, column: usize) -> (Problem, usize, usize) {
    let report = Report::parse(message);
    let words = report.words;
    let field = report.field.clone();
    let at = |p: Problem| (p, line, column);
    let written = || scan::value_at(text, line, column);
    if let Some(rest) = words.strip_prefix("invalid type: ").or_else(|| words.strip_prefix("invalid value: ")) {
        let expected = expected_kind(rest.rsplit(", expected ").next().unwrap_or(""));
        if field.is_root() && expected == Expected::Fields {
            // The whole text read as one value: most often a first line without its space.
            return match scan::missing_space_after_colon(text, usize::MAX) {
                Some((l, c, key)) => (Problem::MissingSpaceAfterColon { key }, l, c),
                None => at(Problem::NotFields),
            };
        }
        return at(wrong_value(field, expected, rest, written()));
    }
    if let Some(name) = quoted_after(words, "missing field") {
        return at(Problem::MissingField { within: field, name: name.into() });
    }
    if let Some(name) = quoted_after(words, "unknown field") {
        return at(Problem::UnknownField { within: field, name: name.into() });
    }
    if let Some(key) = quoted_after(words, "duplicate field") {
        return at(Problem::DuplicateKey { key: key.into() });
    }
    if let Some(given) = quoted_after(words, "unknown variant") {
        let choices = words.split(", expected ").nth(1).unwrap_or("");
        let choices = choices.split('`').skip(1).step_by(2).map(String::from).collect();
        return at(Problem::UnknownChoice { field, written: given.into(), choices });
    }
    let context = report.context.map(|(l, c)| scan::to_text_position(text, l, c));
    syntax(words, context, text, line, column)
}

fn wrong_value(field: Field, expected: Expected, rest: &str, written: String) -> Problem {
    let is_scalar = !(rest.starts_with("sequence") || rest.starts_with("map"));
    let written = if is_scalar { written } else { String::new() };
    let max = match &expected {
        Expected::WholeNumber { max } => Some(*max),
        Expected::SignedNumber => Some(i64::MAX as u64),
        _ => None,
    };
    if let Some(max) = max {
        if let Some(digits) = scan::thousands_separated(&written) {
            return Problem::ThousandsSeparator { field, written, digits };
        }
        if rest.starts_with("integer") && written.starts_with('-') {
            return Problem::Negative { field, written };
        }
        if rest.starts_with("integer") {
            return Problem::TooBig { field, written, max };
        }
    }
    Problem::WrongKind { field, expected, written }
}

/// Mistakes the YAML scanner reports, placed where the writer has to act.
fn syntax(
    words: &str,
    context: Option<(usize, usize)>,
    text: &str,
    line: usize,
    column: usize,
) -> (Problem, usize, usize) {
    if let Some((l, c, key)) = scan::missing_space_after_colon(text, line) {
        return (Problem::MissingSpaceAfterColon { key }, l, c);
    }
    let here = scan::line_at(text, line);
    let before: String = here.chars().take(column.saturating_sub(1)).collect();
    if words.contains("tab character") || scan::char_at(text, line, column) == Some('\t') {
        let tab = here.find('\t').map_or(column, |i| here[..i].chars().count() + 1);
        return (Problem::Tab, line, tab);
    }
    if words.starts_with("could not find expected ':'") {
        let (l, c) = context.unwrap_or((line, column));
        return (Problem::LineWithoutKey, l, c);
    }
    if words.starts_with("mapping values are not allowed") {
        return match before.find(": ") {
            Some(i) => {
                let key = here[..i].trim_start_matches([' ', '-']).trim().to_string();
                let value = here[i + 2..].trim().to_string();
                (Problem::ColonInValue { key, value }, line, column)
            }
            None => {
                let indent = here.len() - here.trim_start().len();
                (Problem::IndentedTooFar, line, indent + 1)
            }
        };
    }
    if words.contains("while scanning a quoted scalar") || words.starts_with("found unexpected end of stream") {
        if let Some((l, c)) = context {
            let quote = scan::char_at(text, l, c).filter(|q| matches!(q, '"' | '\'')).unwrap_or('"');
            return (Problem::UnclosedQuote { quote }, l, c);
        }
    }
    if let Some(close) = ["']'", "'}'"].iter().find(|c| words.contains(*c)) {
        let (l, c) = context.unwrap_or((line, column));
        return (Problem::UnclosedBracket { open: if close.contains(']') { '[' } else { '{' } }, l, c);
    }
    if words.starts_with("did not find expected node content") {
        if let Some((l, c, open)) = scan::unclosed_bracket(text) {
            return (Problem::UnclosedBracket { open }, l, c);
        }
    }
    if words.contains("more than one document") {
        let second = text.split('\n').position(|l| l.trim_end() == "---").map_or(1, |i| i + 1);
        return (Problem::SeveralDocuments, second, 1);
    }
    if words.starts_with("did not find expected") || words.contains("not allowed in this context") {
        let last = before.trim_end().chars().last();
        if let Some(close) = last.filter(|q| matches!(q, ']' | '}')) {
            return (Problem::TextAfterBracket { close }, line, column);
        }
        if let Some(quote) = last.filter(|q| matches!(q, '"' | '\'')) {
            if before.matches(quote).count() % 2 == 0 {
                return (Problem::QuoteEndsEarly { quote }, line, column);
            }
            // This quote closes one left open on an earlier line.
            if let Some((l, c)) = scan::unbalanced_quote_before(text, line, quote) {
                return (Problem::UnclosedQuote { quote }, l, c);
            }
        }
        let indent = here.len() - here.trim_start().len();
        return (Problem::BadIndentation, line, indent + 1);
    }
    if words.starts_with("found character that cannot start any token") {
        let first = scan::char_at(text, line, column).unwrap_or('?');
        return (Problem::ReservedStart { first }, line, column);
    }
    if words.contains("recursion limit exceeded") {
        return (Problem::TooDeep { limit: scan::MAX_DEPTH }, line, column);
    }
    if words.contains("repetition limit exceeded") {
        return (Problem::TooManyReferences, line, column);
    }
    if words.starts_with("unknown anchor") {
        return (Problem::UnknownReference, line, column);
    }
    if words.starts_with("control characters are not allowed") {
        return (Problem::ControlCharacter { code: 0 }, line, column);
    }
    (Problem::Other { message: words.to_string() }, line, column)
}

impl Problem {
    /// What is wrong, in a writer's words.
    pub fn message(&self) -> String {
        match self {
            Problem::TooLarge { limit_kib } => format!("this YAML is larger than {limit_kib} KiB"),
            Problem::TooDeep { limit } => format!("lists or maps are nested more than {limit} levels deep"),
            Problem::ControlCharacter { code } => format!("an invisible control character (U+{code:04X}) in the text"),
            Problem::Tab => "a tab is used to indent this line".into(),
            Problem::MissingSpaceAfterColon { key } => format!("there is no space after `{key}:`"),
            Problem::LineWithoutKey => "this line is not a `key: value` line".into(),
            Problem::ColonInValue { key, .. } => format!("the value of `{key}` has a second `: ` in it"),
            Problem::IndentedTooFar => "this line is indented more than the line above allows".into(),
            Problem::BadIndentation => "this line does not line up with the lines of its group".into(),
            Problem::QuoteEndsEarly { quote } => {
                format!("the text in quotes ends at this `{quote}`, before the line does")
            }
            Problem::TextAfterBracket { close } => format!("text follows the closing `{close}`"),
            Problem::SeveralDocuments => "a `---` line here starts a second document".into(),
            Problem::UnclosedQuote { quote } => format!("the quote `{quote}` opened here is never closed"),
            Problem::UnclosedBracket { open } => format!("the `{open}` opened here is never closed"),
            Problem::ReservedStart { first } => format!("a value cannot start with `{first}`"),
            Problem::UnknownReference => "`*` at the start of a value refers to an `&name` that does not exist".into(),
            Problem::TooManyReferences => "references (`*name`) repeat the values too many times".into(),
            Problem::WrongKind { field, expected, written } => {
                let noun = noun(expected);
                match written.as_str() {
                    "" => format!("{} must be {noun}", field.label()),
                    w => format!("{} must be {noun}, not `{w}`", field.label()),
                }
            }
            Problem::ThousandsSeparator { field, written, .. } => {
                format!("{} is written with a thousands separator: `{written}`", field.label())
            }
            Problem::Negative { field, written } => format!("{} cannot be negative: `{written}`", field.label()),
            Problem::TooBig { field, written, .. } => format!("{} is too large: `{written}`", field.label()),
            Problem::MissingField { within, name } if within.is_root() => format!("the field `{name}` is missing"),
            Problem::MissingField { within, name } => format!("{} has no `{name}`", within.label()),
            Problem::UnknownField { name, .. } => format!("unknown field `{name}`"),
            Problem::DuplicateKey { key } => format!("`{key}` is written twice"),
            Problem::UnknownChoice { field, written, .. } => format!("{} cannot be `{written}`", field.label()),
            Problem::NotFields => "this is not a list of `key: value` lines".into(),
            Problem::Other { message } => message.clone(),
        }
    }

    /// What to do about it; `keys` are the fields valid where an unknown field was found.
    pub fn hint(&self, keys: &[&str]) -> String {
        match self {
            Problem::TooLarge { .. } => "keep the facts here and move long text into the page itself".into(),
            Problem::TooDeep { .. } => "write lists one `- item` per line instead of nesting brackets".into(),
            Problem::ControlCharacter { .. } => {
                "delete it: it cannot be shown (it often comes with text pasted from a PDF, or from an escape like `\\0`)".into()
            }
            Problem::Tab => "indent with spaces only: YAML does not accept tabs at the start of a line".into(),
            Problem::MissingSpaceAfterColon { key } => format!("put a space after the colon: `{key}: ...`"),
            Problem::LineWithoutKey => {
                "write `key: value` (with a space after the colon); if the line continues the text above, put that text in double quotes".into()
            }
            Problem::ColonInValue { key, value } => {
                format!("put the value in double quotes: `{key}: \"{}\"`", value.trim_matches('"'))
            }
            Problem::IndentedTooFar => "start this key under the first letter of the key above it".into(),
            Problem::BadIndentation => {
                "indent with spaces so that the keys of one group, and the `-` of one list, start in the same column".into()
            }
            Problem::QuoteEndsEarly { quote: '\'' } => {
                "inside single quotes write an apostrophe twice (`'l''orario'`), or use double quotes: `\"l'orario\"`".into()
            }
            Problem::QuoteEndsEarly { .. } => {
                "inside double quotes write a quote as `\\\"`, or put the text in single quotes".into()
            }
            Problem::TextAfterBracket { .. } => {
                "move the text inside the brackets, or put the whole value in double quotes".into()
            }
            Problem::SeveralDocuments => "delete the `---` line: this file holds one list of settings".into(),
            Problem::UnclosedQuote { quote } => format!("add the closing `{quote}` at the end of the text"),
            Problem::UnclosedBracket { open } => {
                format!("add the closing `{}` after the last item", if *open == '[' { ']' } else { '}' })
            }
            Problem::TooManyReferences => "write the values out instead of repeating them with `*name`".into(),
            Problem::ReservedStart { .. } | Problem::UnknownReference => {
                "put the whole value in double quotes: `key: \"...\"`".into()
            }
            Problem::WrongKind { field, expected, .. } => example(field.key(), expected),
            Problem::ThousandsSeparator { digits, .. } => format!("write {digits}: digits only, without dots or commas"),
            Problem::Negative { .. } => "write a whole number of 0 or more".into(),
            Problem::TooBig { max, .. } => format!("check the number: the largest accepted here is {max}"),
            Problem::MissingField { name, .. } => format!("add a line `{name}: ...`"),
            Problem::UnknownField { name, .. } => match did_you_mean(name, keys.iter().copied()) {
                Some(k) => format!("did you mean `{k}`?"),
                None => format!("remove it; the valid fields here are: {}", keys.join(", ")),
            },
            Problem::DuplicateKey { key } => format!("keep one `{key}:` and delete the other: the second would replace the first"),
            Problem::UnknownChoice { choices, .. } => format!("write one of: {}", choices.join(", ")),
            Problem::NotFields | Problem::Other { .. } => {
                "write one `key: value` per line, lists as `- item`; put text containing `: ` or ` #` in double quotes".into()
            }
        }
    }
}

fn noun(expected: &Expected) -> &str {
    match expected {
        Expected::WholeNumber { .. } | Expected::SignedNumber => "a whole number",
        Expected::Number => "a number",
        Expected::Text => "text",
        Expected::TrueOrFalse => "true or false",
        Expected::List => "a list",
        Expected::Fields => "a group of `key: value` lines",
        Expected::Choice => "one of its choices",
        Expected::Described(words) => words,
    }
}

fn example(key: &str, expected: &Expected) -> String {
    match expected {
        Expected::WholeNumber { .. } | Expected::SignedNumber => {
            format!("write digits only, without quotes, e.g. `{key}: 2`")
        }
        Expected::Number => format!("write digits only, e.g. `{key}: 2.5`"),
        Expected::Text => format!("write the text after the colon, in double quotes: `{key}: \"...\"`"),
        Expected::TrueOrFalse => format!("write `{key}: true` or `{key}: false`"),
        Expected::List => format!("write one `- item` per line under `{key}:`, or `{key}: [first, second]`"),
        Expected::Fields => format!("write its fields on their own lines, indented under `{key}:`"),
        Expected::Choice => format!("check the spelling of `{key}:` against the README"),
        Expected::Described(words) => format!("write {words}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn field_paths_read_as_words() {
        assert_eq!(Field("hours_per_year".into()).label(), "`hours_per_year`");
        assert_eq!(Field("hours[0]".into()).label(), "item 1 of `hours`");
        assert_eq!(Field("hours[0].purpose".into()).label(), "`purpose` in item 1 of `hours`");
        assert_eq!(Field("requirements.required".into()).label(), "`required` of `requirements`");
        assert_eq!(Field("hours[0].purpose".into()).key(), "purpose");
    }

    #[test]
    fn reports_are_split_into_field_words_and_context() {
        let r = Report::parse(
            "could not find expected ':' at line 3 column 1, while scanning a simple key at line 2 column 1",
        );
        assert_eq!((r.field.0.as_str(), r.words, r.context), ("", "could not find expected ':'", Some((2, 1))));
        let r = Report::parse("hours[0].hours: invalid type: string \"x\", expected u32 at line 4 column 12");
        assert_eq!((r.field.0.as_str(), r.words), ("hours[0].hours", "invalid type: string \"x\", expected u32"));
    }
}
