//! What can go wrong in a YAML text, as kinds, and how to say it in the writer's words: no
//! Rust type names, the value quoted as written. `classify` decides the kind.

use crate::diagnostic::did_you_mean;

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
            Problem::Negative { .. } => "write the number without the minus sign".into(),
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
}
