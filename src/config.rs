//! `config.yaml`: the site's languages, address, theme and requirement vocabulary.

use std::collections::BTreeMap;
use std::fmt;
use std::path::Path;

use serde::de::Visitor;
use serde::{Deserialize, Deserializer, Serialize};

mod base_url;
mod page_size;
mod plain_language;
mod vocabulary;

pub use base_url::BaseUrl;
pub use page_size::PageSize;
pub use plain_language::PlainLanguage;
pub use vocabulary::{Vocabulary, VocabularySlugs};

use crate::diagnostic::Diagnostic;
use crate::url;
use crate::yaml::{self, Step};

/// Text given once per language: `{ it: "...", en: "..." }`.
pub type Localized = BTreeMap<String, String>;

/// Hashed (and compared) as a whole by serve's caches: any change to it is a new site.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    pub title: Localized,
    #[serde(default)]
    pub description: Localized,
    pub base_url: String,
    pub default_language: String,
    pub languages: Vec<Language>,
    #[serde(default = "default_theme")]
    pub theme: String,
    /// The public body's name, shown in the slim top bar.
    #[serde(default)]
    pub owner: Localized,
    #[serde(default)]
    pub links: Links,
    #[serde(default)]
    pub markdown: MarkdownConfig,
    /// What a candidate may be asked to have, in the order the config lists them.
    #[serde(default)]
    pub requirements: Vocabulary,
    /// What a site may ask of a volunteer's availability.
    #[serde(default)]
    pub obligations: Vocabulary,
    /// Also print leaflets and booklets to PDF on every build (as `build --pdf`).
    #[serde(default)]
    pub pdf: bool,
    /// Named web hosts for `brochure publish NAME`: name -> address, never with a password.
    #[serde(default)]
    pub publish: BTreeMap<String, String>,
    /// The thresholds of `check`'s plain-language report.
    #[serde(default)]
    pub plain_language: PlainLanguage,
    /// The office's own icon, a path from the project folder (see `favicon.rs`).
    #[serde(default)]
    pub favicon: Option<String>,
    /// Cards per page of a list (sites, or the home page's programmes); longer lists are
    /// split into numbered pages.
    #[serde(default)]
    pub page_size: PageSize,
}

fn default_theme() -> String {
    "default".into()
}

#[derive(Debug, Clone, PartialEq, Eq, Hash, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Language {
    pub code: String,
    pub name: String,
    #[serde(default)]
    pub direction: Direction,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Direction {
    #[default]
    Ltr,
    Rtl,
}

impl Direction {
    /// The value of HTML's `dir` attribute.
    pub fn as_str(self) -> &'static str {
        match self {
            Direction::Ltr => "ltr",
            Direction::Rtl => "rtl",
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Links {
    pub accessibility: Option<Localized>,
    pub privacy: Option<Localized>,
}

impl Links {
    /// Links shown on every page must be web, e-mail, telephone or site-relative addresses:
    /// a `javascript:` or `data:` link would run on every page.
    fn unsafe_links(&self) -> Vec<Invalid<'_>> {
        let named = [("accessibility", &self.accessibility), ("privacy", &self.privacy)];
        let each = named.into_iter().filter_map(|(name, map)| Some((name, map.as_ref()?)));
        each.flat_map(|(name, map)| map.iter().map(move |(lang, url)| (name, lang, url)))
            .filter(|(_, _, url)| !url::is_safe_link(url))
            .map(|(name, lang, url)| {
                Invalid::new(
                    vec![Step::Key("links"), Step::Key(name), Step::Key(lang)],
                    format!("the {name} link `{url}` is not a web address"),
                    "write an address starting with https:// (or mailto:, tel:, or a path of this site such as /privacy/)",
                )
            })
            .collect()
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MarkdownConfig {
    /// Raw HTML written inside Markdown. Off by default: writers paste from Word.
    #[serde(default)]
    pub unsafe_html: RawHtml,
}

/// What happens to raw HTML in Markdown: `false` (left out), `true` (kept, but scripts,
/// event handlers and `javascript:` URLs removed), or `dangerous` (kept exactly as written).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub enum RawHtml {
    #[default]
    Off,
    Sanitized,
    Dangerous,
}

impl<'de> Deserialize<'de> for RawHtml {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = RawHtml;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("false, true or dangerous")
            }
            fn visit_bool<E: serde::de::Error>(self, on: bool) -> Result<RawHtml, E> {
                Ok(if on { RawHtml::Sanitized } else { RawHtml::Off })
            }
            fn visit_str<E: serde::de::Error>(self, w: &str) -> Result<RawHtml, E> {
                match w {
                    "dangerous" => Ok(RawHtml::Dangerous),
                    _ => Err(E::unknown_variant(w, &["false", "true", "dangerous"])),
                }
            }
        }
        d.deserialize_any(V)
    }
}

/// Keys a user may write at the top of config.yaml, for "did you mean" hints.
const CONFIG_KEYS: &[&str] = &[
    "title",
    "description",
    "base_url",
    "default_language",
    "languages",
    "theme",
    "owner",
    "links",
    "markdown",
    "requirements",
    "obligations",
    "pdf",
    "publish",
    "plain_language",
    "favicon",
    "page_size",
];

/// A mistake found in a parsed config, with the path of the value it is about.
struct Invalid<'c> {
    at: Vec<Step<'c>>,
    message: String,
    hint: String,
    /// The line may hold a password: located, but not shown.
    secret: bool,
}

impl<'c> Invalid<'c> {
    fn new(at: Vec<Step<'c>>, message: String, hint: impl Into<String>) -> Self {
        Invalid { at, message, hint: hint.into(), secret: false }
    }

    /// Located at its value, or at the closest enclosing value that is written in the file.
    fn diagnostic(&self, shown_as: &Path, text: &str) -> Diagnostic {
        let (line, column) =
            (0..=self.at.len()).rev().find_map(|n| yaml::locate(text, &self.at[..n])).unwrap_or((1, 1));
        let shown = if self.secret { None } else { Some(text) };
        Diagnostic::error(&self.message).in_file(shown_as).at(line, column, shown).with_hint(&self.hint)
    }
}

impl Config {
    /// Reads and validates `config.yaml`; every problem found is returned at once.
    pub fn load(path: &Path, shown_as: &Path) -> Result<Config, Vec<Diagnostic>> {
        let text = std::fs::read_to_string(path).map_err(|e| {
            vec![Diagnostic::error(format!("cannot read the site configuration: {e}")).in_file(shown_as).with_hint(
                "run brochure from the folder that holds config.yaml, or pass --root; \
                     `brochure init` starts a new project",
            )]
        })?;
        let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
        let config: Config = yaml::from_str(text).map_err(|e| {
            let keys = e.unknown_field_within().map_or(CONFIG_KEYS, keys_within);
            vec![e.diagnostic(shown_as, text, 1, keys)]
        })?;
        let mut problems = config.validate();
        let root = path.parent().unwrap_or(Path::new("."));
        if let Some((message, hint)) = config.favicon.as_deref().and_then(|rel| crate::favicon::problem(rel, root)) {
            problems.push(Invalid::new(vec![Step::Key("favicon")], message, hint));
        }
        if problems.is_empty() {
            Ok(config)
        } else {
            Err(problems.iter().map(|p| p.diagnostic(shown_as, text)).collect())
        }
    }

    fn validate(&self) -> Vec<Invalid<'_>> {
        use Step::{Item, Key};
        let mut out = Vec::new();
        if let Err(e) = BaseUrl::parse(&self.base_url) {
            out.push(Invalid::new(
                vec![Key("base_url")],
                format!("base_url {e}"),
                "write the full address, e.g. https://www.example.org/servizio-civile/",
            ));
        }
        for (name, address) in &self.publish {
            if let Err(e) = crate::target::Target::parse(address) {
                out.push(Invalid {
                    secret: true,
                    ..Invalid::new(
                    vec![Key("publish"), Key(name)],
                    format!("publish address {e}"),
                    "write it as sftp://user@host/folder, ftp://user@host/folder, ftps://user@host/folder or file:///folder; passwords come from the SSH agent, key files or BROCHURE_FTP_PASSWORD, never from config.yaml",
                    )
                });
            }
        }
        for (i, lang) in self.languages.iter().enumerate() {
            if !is_language_code(&lang.code) {
                out.push(Invalid::new(
                    vec![Key("languages"), Item(i), Key("code")],
                    format!("`{}` is not a language code", lang.code),
                    "use a code like it, en, ar or pt-br",
                ));
            }
        }
        let codes: Vec<&str> = self.languages.iter().map(|l| l.code.as_str()).collect();
        for (i, c) in codes.iter().enumerate() {
            if codes[..i].contains(c) {
                out.push(Invalid::new(
                    vec![Key("languages"), Item(i), Key("code")],
                    format!("language `{c}` is listed twice"),
                    "keep one entry per language",
                ));
            }
        }
        if !codes.contains(&self.default_language.as_str()) {
            out.push(Invalid::new(
                vec![Key("default_language")],
                format!("default_language `{}` is not in languages", self.default_language),
                format!("add it to languages or choose one of: {}", codes.join(", ")),
            ));
        }
        if !crate::slug::is_plain_name(&self.theme) {
            out.push(Invalid::new(
                vec![Key("theme")],
                format!("theme `{}` is not a folder name", self.theme),
                "write the name of a folder inside themes/",
            ));
        }
        let mut localized: Vec<(Vec<Step>, &Localized)> = vec![(vec![Key("title")], &self.title)];
        for (group, vocabulary) in [("requirements", &self.requirements), ("obligations", &self.obligations)] {
            for (key, labels) in &vocabulary.0 {
                localized.push((vec![Key(group), Key(key)], labels));
            }
        }
        for (at, map) in localized {
            let name = at.iter().map(|s| if let Key(k) = s { *k } else { "" }).collect::<Vec<_>>().join(".");
            // An unknown default language is reported once, above, not once per text.
            if codes.contains(&self.default_language.as_str()) && !map.contains_key(&self.default_language) {
                out.push(Invalid::new(
                    at.clone(),
                    format!("{name} has no text in the default language `{}`", self.default_language),
                    format!("add `{}: \"...\"` to it", self.default_language),
                ));
            }
            // A text in `en` when languages lists `EN` is one mistake, reported above.
            for lang in map.keys().filter(|l| !codes.iter().any(|c| c.eq_ignore_ascii_case(l))) {
                out.push(Invalid::new(
                    [at.clone(), vec![Key(lang)]].concat(),
                    format!("{name} has text in `{lang}`, a language not in languages"),
                    "add the language to languages or remove the text",
                ));
            }
        }
        out.extend(vocabulary::problems(self, &codes));
        out.extend(self.links.unsafe_links());
        out
    }

    pub fn base(&self) -> BaseUrl {
        // validated in `load`; a config built in code falls back to the root of a local host.
        BaseUrl::parse(&self.base_url).unwrap_or(BaseUrl { origin: "http://localhost".into(), path: "/".into() })
    }

    pub fn language(&self, code: &str) -> Option<&Language> {
        self.languages.iter().find(|l| l.code == code)
    }

    /// The text of `map` in `lang`, else in the default language, else empty.
    pub fn pick<'a>(&self, map: &'a Localized, lang: &str) -> &'a str {
        map.get(lang).or_else(|| map.get(&self.default_language)).map_or("", String::as_str)
    }
}

/// The fields valid inside a group of config.yaml, for "did you mean" hints.
fn keys_within(field: &yaml::Field) -> &'static [&'static str] {
    if field.is_root() {
        return CONFIG_KEYS;
    }
    match field.key() {
        "languages" => &["code", "name", "direction"],
        "links" => &["accessibility", "privacy"],
        "markdown" => &["unsafe_html"],
        "plain_language" => &["gulpease_min", "flesch_min", "max_sentence_words"],
        _ => CONFIG_KEYS,
    }
}

pub fn is_language_code(code: &str) -> bool {
    let mut parts = code.split('-');
    let primary = parts.next().unwrap_or("");
    (2..=3).contains(&primary.len())
        && primary.chars().all(|c| c.is_ascii_lowercase())
        && parts.all(|p| (2..=8).contains(&p.len()) && p.chars().all(|c| c.is_ascii_alphanumeric()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn language_codes() {
        assert!(is_language_code("it"));
        assert!(is_language_code("pt-br"));
        assert!(!is_language_code("IT"));
        assert!(!is_language_code("../x"));
    }
}
