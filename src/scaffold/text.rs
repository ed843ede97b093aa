//! The text of the files `brochure new` creates: every field with a comment in plain words
//! for writers, and values written as YAML that reads back exactly as given.

use std::path::Path;

use serde_json::{Map, Value};

use crate::config::{Config, Vocabulary};
use crate::diagnostic::Diagnostic;
use crate::load::SourceDoc;
use crate::stamp;

/// Where the comments after the fields start, so that they line up.
const COMMENT_COLUMN: usize = 34;

/// A front matter being written: fields with their comments, and notes.
#[derive(Default)]
struct FrontText(String);

impl FrontText {
    fn field(&mut self, yaml: &str, comment: &str) -> &mut Self {
        let pad = COMMENT_COLUMN.saturating_sub(yaml.chars().count()).max(2);
        self.0.push_str(&format!("{yaml}{}# {comment}\n", " ".repeat(pad)));
        self
    }

    fn note(&mut self, text: &str) -> &mut Self {
        for line in text.lines() {
            self.0.push_str(if line.is_empty() { "#" } else { "# " });
            self.0.push_str(line);
            self.0.push('\n');
        }
        self
    }

    fn line(&mut self, text: &str) -> &mut Self {
        self.0.push_str(text);
        self.0.push('\n');
        self
    }

    fn finish(&self, body: &str) -> String {
        format!("---\n{}---\n{body}", self.0)
    }
}

const HOW_TO: &str = "Lines starting with # are notes for you: the site ignores them.
Write each value after its colon; text goes in double quotes. REQUIRED fields must have
a value; the others may stay empty. Below the closing --- line, write the page in Markdown.";

const DRAFT: &str = "true: not published yet; set to false when the page is ready";
const DESCRIPTION: &str = "one sentence for search engines and link previews";

pub(super) fn programme_text(name: &str) -> String {
    let mut f = FrontText::default();
    f.note(&format!("A programme: a project with its sites, in the folder content/{name}/.\n{HOW_TO}"))
        .field("type: programme", "REQUIRED. Marks this file as a programme: leave it as it is")
        .field(
            &format!("title: {}", yaml_string(&humanise(name))),
            "REQUIRED. The programme's name, as visitors see it",
        )
        .field("entity:", "the body that runs the programme, e.g. \"Comune di Milano\"")
        .field("sector:", "the sector of the official call")
        .field("area:", "the area of intervention of the official call")
        .field("year:", "the year of the call, e.g. 2025")
        .field("contacts:", "people to contact, one line each like the example below")
        .line("#  - { name: \"Name Surname\", role: \"OLP\", email: \"name@example.org\", phone: \"02 1234567\" }")
        .field("description:", DESCRIPTION)
        .field("slug:", &format!("the programme's address; empty: {name}"))
        .field("weight:", "order among the programmes: lower numbers first")
        .field("draft: true", DRAFT);
    f.finish("")
}

pub(super) fn page_text(name: &str) -> String {
    let mut f = FrontText::default();
    f.note(&format!("A page of the site, e.g. what the civil service is.\n{HOW_TO}"))
        .field(&format!("title: {}", yaml_string(&humanise(name))), "REQUIRED. The page's title, as visitors see it")
        .field("description:", DESCRIPTION)
        .field("slug:", &format!("the page's address; empty: {name}"))
        .field("weight:", "order in the menu: lower numbers first")
        .field("draft: true", DRAFT);
    f.finish("")
}

pub(super) fn site_text(config: &Config, programme: &str, name: &str) -> String {
    let example = config.requirements.keys().next().map_or(String::new(), |k| format!(", e.g. [{k}]"));
    let mut f = FrontText::default();
    f.note(&format!("A site of the programme {programme}: an office where volunteers serve.\n{HOW_TO}"))
        .field(&format!("title: {}", yaml_string(&humanise(name))), "REQUIRED. The site's name, as visitors see it")
        .field("code:", "the site's code in the official call, in quotes, e.g. \"91231\"")
        .field("office:", "the office or department the volunteers join")
        .field("address: \"TODO street, number\"", "REQUIRED. The office's street and number")
        .field("postcode:", "the postcode, in quotes, e.g. \"20154\"")
        .field("city:", "the town or city")
        .field("volunteers: 1", "REQUIRED. How many volunteers the site takes")
        .field("hours_per_year:", "hours of service in the year, e.g. 1145")
        .field("min_weekly_hours:", "the fewest hours of service in a week, e.g. 20")
        .field("days_per_week:", "days of service in a week, e.g. 5")
        .field("hours:", "how the year's hours are split, one line per purpose like the example")
        .line("#  - { hours: 750, purpose: \"What these hours are for\" }")
        .field("activities:", "what the volunteer does, one short line each like the example")
        .line("#  - \"Welcoming visitors\"")
        .field("requirements:", "what a candidate should have: keys from the list at the end")
        .field("  required: []", &format!("the candidate must have all of these{example}"))
        .field("  preferred: []", "nice to have")
        .field("obligations: []", "what the site asks of the volunteer's time: keys from the list")
        .field("contacts:", "people to contact, like the example; empty: the programme's")
        .line("#  - { name: \"Name Surname\", role: \"OLP\", email: \"name@example.org\", phone: \"02 1234567\" }")
        .field("description:", DESCRIPTION)
        .field("slug:", &format!("the site's address; empty: {name}"))
        .field("weight:", "order within the programme: lower numbers first")
        .field("draft: true", DRAFT)
        .line("#");
    vocabulary(&mut f, config, "requirements", &config.requirements);
    vocabulary(&mut f, config, "obligations", &config.obligations);
    f.finish("")
}

/// Lists a config vocabulary in a comment, so the writer can copy its keys.
fn vocabulary(f: &mut FrontText, config: &Config, what: &str, vocabulary: &Vocabulary) {
    if vocabulary.0.is_empty() {
        f.note(&format!("config.yaml lists no {what} yet."));
        return;
    }
    f.note(&format!("Keys for {what} (from config.yaml):"));
    let width = vocabulary.keys().map(str::len).max().unwrap_or(0);
    for (key, labels) in &vocabulary.0 {
        let label: String =
            config.pick(labels, &config.default_language).split_whitespace().collect::<Vec<_>>().join(" ");
        f.note(&format!("  {key:width$}  {label}"));
    }
}

/// What a field of a translation is, for its comment.
fn describe(key: &str) -> &'static str {
    match key {
        "title" => "the name visitors see",
        "office" => "the office or department",
        "entity" => "the body that runs the programme",
        "sector" => "the sector of the official call",
        "area" => "the area of intervention",
        "hours" => "translate each purpose; keep the hours",
        "activities" => "what the volunteer does, one short line each",
        "description" => DESCRIPTION,
        _ => "",
    }
}

/// `biblioteca-civica` -> `Biblioteca civica`, the title placeholder.
fn humanise(name: &str) -> String {
    let spaced = name.replace('-', " ");
    let mut chars = spaced.chars();
    chars.next().map(|c| c.to_uppercase().chain(chars).collect()).unwrap_or_default()
}

/// What a new translation holds, decided by [`super::new_translation`].
pub(super) struct Translation<'a> {
    /// The source file.
    pub doc: &'a SourceDoc,
    /// The fields copied to be translated, in order, and the source's values.
    pub copied: &'a [&'static str],
    pub values: &'a Map<String, Value>,
    /// The fields left to inheritance, named in a note.
    pub inherited: Vec<&'static str>,
    pub programme: bool,
    /// The default `slug:` shown commented out; `None` for the home page, which has none.
    pub slug: Option<String>,
    /// The language's name, `English`.
    pub language: &'a str,
    /// The translation's path, for the `brochure stamp` note.
    pub target: &'a Path,
}

impl Translation<'_> {
    pub(super) fn text(&self) -> Result<String, Diagnostic> {
        let Translation { doc, copied, values, language, .. } = self;
        let source = doc.path.display().to_string().replace('\\', "/");
        let mut f = FrontText::default();
        f.note(&format!(
            "{language} translation of {source}.\nThe facts not written here are inherited from that file, so that they are written once:\n  {}.\nNames among them (office, city, entity, sector, area) may be translated: add the field\nhere in {language}. The others are the same in every language: a different value is refused.",
            wrap(&self.inherited.join(", "), 80)
        ));
        if self.programme {
            f.field("type: programme", "marks this file as a programme: leave it as it is");
        }
        f.note("TODO translate: the fields below are copied from the source.");
        for key in copied.iter() {
            match values.get(*key) {
                Some(Value::Array(items)) if !items.is_empty() => {
                    f.field(&format!("{key}:"), describe(key));
                    for item in items {
                        f.line(&format!("  - {}", yaml_flow(item)));
                    }
                }
                Some(v @ (Value::String(_) | Value::Number(_) | Value::Bool(_))) => {
                    f.field(&format!("{key}: {}", yaml_flow(v)), describe(key));
                }
                _ => {}
            }
        }
        if let Some(default) = &self.slug {
            f.field(
                &format!("#slug: {default}"),
                &format!("this page's address in {language}; delete the first # to use it"),
            );
        }
        f.field("draft: true", "true: visitors see the source text until you set false");
        let whole = doc.text()?;
        let stamp_line = format!("{}: \"{}\"", stamp::KEY, stamp::source_stamp(&whole));
        let target = self.target.display().to_string().replace('\\', "/");
        f.field(&stamp_line, "the version of the source this was made from")
            .note(&format!("When the source changes, update this file, then run: brochure stamp {target}"));
        let body = &whole[doc.head().len()..];
        let text = f.finish(body);
        Ok(if whole.starts_with("---\r\n") {
            // Keep the source's line ends: only the lines written here are LF.
            let (front, body) = text.split_at(text.len() - body.len());
            format!("{}{body}", front.replace('\n', "\r\n"))
        } else {
            text
        })
    }
}

/// Joins words into lines of at most `width` characters, for notes.
fn wrap(text: &str, width: usize) -> String {
    let mut out = String::new();
    let mut line_len = 0;
    for word in text.split(' ') {
        if line_len > 0 && line_len + 1 + word.len() > width {
            out.push_str("\n  ");
            line_len = 0;
        } else if line_len > 0 {
            out.push(' ');
            line_len += 1;
        }
        out.push_str(word);
        line_len += word.len();
    }
    out
}

/// A value as one line of YAML flow syntax: `"text"`, `750`, `{ hours: 750, purpose: "x" }`.
fn yaml_flow(value: &Value) -> String {
    match value {
        Value::Null => "null".into(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => n.to_string(),
        Value::String(s) => yaml_string(s),
        Value::Array(items) => format!("[{}]", items.iter().map(yaml_flow).collect::<Vec<_>>().join(", ")),
        Value::Object(map) => {
            let parts: Vec<String> = map
                .iter()
                .filter(|(_, v)| !v.is_null())
                .map(|(k, v)| match k.bytes().all(|b| b.is_ascii_lowercase() || b == b'_') && !k.is_empty() {
                    true => format!("{k}: {}", yaml_flow(v)),
                    false => format!("{}: {}", yaml_string(k), yaml_flow(v)),
                })
                .collect();
            format!("{{ {} }}", parts.join(", "))
        }
    }
}

/// `text` as a YAML double-quoted scalar; every character YAML would not read back as
/// itself (controls, line breaks, the BOM) is escaped.
pub fn yaml_string(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            ' '..='~' | '\u{a0}'..='\u{2027}' | '\u{202a}'..='\u{d7ff}' | '\u{e000}'..='\u{fefe}' => out.push(c),
            '\u{ff00}'..='\u{fffd}' | '\u{10000}'.. => out.push(c),
            c if (c as u32) <= 0xffff => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push_str(&format!("\\U{:08x}", c as u32)),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn titles_come_from_names() {
        assert_eq!(humanise("biblioteca-civica"), "Biblioteca civica");
        assert_eq!(humanise("2-sede"), "2 sede");
    }

    #[test]
    fn yaml_strings_read_back_as_written() {
        for text in ["plain", "a \"quote\" and \\", "line\nbreak\ttab", "\u{2028}\u{feff}", "كتاب 📚", ": # - [x]"]
        {
            let yaml = format!("v: {}", yaml_string(text));
            let back: std::collections::BTreeMap<String, String> = crate::yaml::from_str(&yaml).unwrap();
            assert_eq!(back["v"], text, "{yaml}");
        }
        // Control characters are written as escapes, which reading refuses like the characters.
        let control = format!("v: {}", yaml_string("a\u{1}b"));
        assert!(crate::yaml::from_str::<std::collections::BTreeMap<String, String>>(&control).is_err(), "{control}");
    }

    #[test]
    fn lists_of_maps_become_flow_lines() {
        let v = serde_json::json!({"hours": 750, "purpose": "Ridurre l'attesa"});
        assert_eq!(yaml_flow(&v), "{ hours: 750, purpose: \"Ridurre l'attesa\" }");
    }
}
