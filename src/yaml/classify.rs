//! Reading the parser's report, once: which [`Problem`] it is, from its words, the text the
//! writer typed, and where the writer has to act (which is not always where the parser stopped).

use super::problem::{Expected, Field, Problem};
use super::scan;

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

#[cfg(test)]
mod tests {
    use super::*;

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
