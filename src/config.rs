//! `config.yaml`: the site's languages, address, theme and requirement vocabulary.

use std::collections::BTreeMap;
use std::fmt;
use std::path::Path;

use serde::de::{MapAccess, Visitor};
use serde::{Deserialize, Deserializer, Serialize};

use crate::diagnostic::{did_you_mean, Diagnostic};
use crate::yaml;

/// Text given once per language: `{ it: "...", en: "..." }`.
pub type Localized = BTreeMap<String, String>;

#[derive(Debug, Clone, Deserialize)]
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
}

fn default_theme() -> String {
    "default".into()
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Language {
    pub code: String,
    pub name: String,
    #[serde(default)]
    pub direction: Direction,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Direction {
    #[default]
    Ltr,
    Rtl,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Links {
    pub accessibility: Option<Localized>,
    pub privacy: Option<Localized>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MarkdownConfig {
    /// Raw HTML written inside Markdown. Off by default: writers paste from Word.
    #[serde(default)]
    pub unsafe_html: RawHtml,
}

/// What happens to raw HTML in Markdown: `false` (left out), `true` (kept, but scripts,
/// event handlers and `javascript:` URLs removed), or `dangerous` (kept exactly as written).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum RawHtml {
    #[default]
    Off,
    Sanitized,
    Dangerous,
}

impl<'de> Deserialize<'de> for RawHtml {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Raw {
            Flag(bool),
            Word(String),
        }
        match Raw::deserialize(d)? {
            Raw::Flag(false) => Ok(RawHtml::Off),
            Raw::Flag(true) => Ok(RawHtml::Sanitized),
            Raw::Word(w) if w == "dangerous" => Ok(RawHtml::Dangerous),
            Raw::Word(w) => {
                Err(serde::de::Error::custom(format!("unsafe_html is `{w}`: write false, true or dangerous")))
            }
        }
    }
}

/// An ordered `key -> labels` map; order is the config file's, so the theme can list
/// requirements the way the writers arranged them. The second field holds the address
/// segments written as `slug:`.
#[derive(Debug, Clone, Default)]
pub struct Vocabulary(pub Vec<(String, Localized)>, pub VocabularySlugs);

/// Per key, the address segment of its page per language (`slug: { it: inglese }`).
/// Addresses never come from labels, so rewording a label breaks no link.
#[derive(Debug, Clone, Default)]
pub struct VocabularySlugs(BTreeMap<String, Localized>);

impl Vocabulary {
    pub fn get(&self, key: &str) -> Option<&Localized> {
        self.0.iter().find(|(k, _)| k == key).map(|(_, v)| v)
    }
    pub fn keys(&self) -> impl Iterator<Item = &str> {
        self.0.iter().map(|(k, _)| k.as_str())
    }
    /// The address segment of `key`'s page in `lang`: its `slug:` for that language, else the key.
    pub fn slug<'a>(&'a self, key: &'a str, lang: &str) -> &'a str {
        self.1 .0.get(key).and_then(|slugs| slugs.get(lang)).map_or(key, String::as_str)
    }
}

/// One entry as written: labels per language, and optionally `slug:` per language.
#[derive(Deserialize)]
struct Term {
    #[serde(default)]
    slug: Localized,
    #[serde(flatten)]
    labels: Localized,
}

impl<'de> Deserialize<'de> for Vocabulary {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Vocabulary;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a map of key: { language: label, slug: { language: address } }")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Vocabulary, A::Error> {
                let mut out: Vec<(String, Localized)> = Vec::new();
                let mut slugs = BTreeMap::new();
                while let Some((k, term)) = map.next_entry::<String, Term>()? {
                    if out.iter().any(|(existing, _)| *existing == k) {
                        return Err(serde::de::Error::custom(format!("key `{k}` is listed twice")));
                    }
                    if !term.slug.is_empty() {
                        slugs.insert(k.clone(), term.slug);
                    }
                    out.push((k, term.labels));
                }
                Ok(Vocabulary(out, VocabularySlugs(slugs)))
            }
        }
        d.deserialize_map(V)
    }
}

/// Where the site lives: `https://host/sub/path/` split into origin and path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BaseUrl {
    /// `https://host`, no trailing slash.
    pub origin: String,
    /// Always starts and ends with `/`: `/` or `/sub/path/`.
    pub path: String,
}

impl BaseUrl {
    pub fn parse(raw: &str) -> Result<BaseUrl, String> {
        let rest = raw
            .strip_prefix("https://")
            .map(|r| ("https", r))
            .or_else(|| raw.strip_prefix("http://").map(|r| ("http", r)));
        let Some((scheme, rest)) = rest else {
            return Err(format!("`{raw}` does not start with https:// or http://"));
        };
        let (host, path) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
        if host.is_empty() || host.contains(|c: char| c.is_whitespace() || c == '?' || c == '#') {
            return Err(format!("`{raw}` has no valid host name"));
        }
        if path.contains(['?', '#', ' ', '"', '<', '>']) {
            return Err(format!("`{raw}` has characters that cannot be in a site address"));
        }
        let mut path = path.trim_end_matches('/').to_string();
        path.push('/');
        if !path.starts_with('/') {
            path.insert(0, '/');
        }
        Ok(BaseUrl { origin: format!("{scheme}://{host}"), path })
    }

    /// Absolute URL of a site-relative path (`en/programme/`).
    pub fn absolute(&self, rel: &str) -> String {
        format!("{}{}{}", self.origin, self.path, rel)
    }

    /// Root-relative URL of a site-relative path, correct when the site lives in a subfolder.
    pub fn href(&self, rel: &str) -> String {
        format!("{}{}", self.path, rel)
    }

    /// Whether the address cannot be the published site's: a domain reserved for examples
    /// and tests (RFC 2606: example.com/.net/.org, *.example, *.test, *.invalid, *.localhost)
    /// or this computer (localhost, 127.0.0.1, ::1).
    pub fn is_placeholder(&self) -> bool {
        let authority = self.origin.split_once("://").map_or(self.origin.as_str(), |(_, a)| a);
        let host = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
        let host = if host.starts_with('[') {
            host.split_once(']').map_or(host, |(h, _)| &h[1..])
        } else {
            host.split(':').next().unwrap_or(host)
        };
        let host = host.trim_end_matches('.').to_ascii_lowercase();
        let under = |domain: &str| host == domain || host.ends_with(&format!(".{domain}"));
        ["example.com", "example.net", "example.org", "example", "test", "invalid", "localhost"]
            .iter()
            .any(|d| under(d))
            || host.starts_with("127.")
            || host == "::1"
            || host == "0.0.0.0"
    }
}

impl fmt::Display for BaseUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}{}", self.origin, self.path)
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
];

impl Config {
    /// Reads and validates `config.yaml`; every problem found is returned at once.
    pub fn load(path: &Path, shown_as: &Path) -> Result<Config, Vec<Diagnostic>> {
        let text = std::fs::read_to_string(path).map_err(|e| {
            vec![Diagnostic::error(format!("cannot read the site configuration: {e}"))
                .in_file(shown_as)
                .with_hint("run brochure from the folder that holds config.yaml, or pass --root")]
        })?;
        let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
        let config: Config = yaml::from_str(text).map_err(|e| {
            let mut d = Diagnostic::error(format!("config.yaml: {}", e.message)).in_file(shown_as);
            if let (Some(l), Some(c)) = (e.line, e.column) {
                d = d.at(l, c, Some(text));
            }
            if let Some(hint) = unknown_key_hint(&e.message, CONFIG_KEYS) {
                d = d.with_hint(hint);
            }
            vec![d]
        })?;
        let problems = config.validate();
        if problems.is_empty() {
            Ok(config)
        } else {
            Err(problems.into_iter().map(|m| Diagnostic::error(m.0).in_file(shown_as).with_hint(m.1)).collect())
        }
    }

    fn validate(&self) -> Vec<(String, String)> {
        let mut out = Vec::new();
        if let Err(e) = BaseUrl::parse(&self.base_url) {
            out.push((
                format!("base_url {e}"),
                "write the full address, e.g. https://www.example.org/servizio-civile/".into(),
            ));
        }
        for lang in &self.languages {
            if !is_language_code(&lang.code) {
                out.push((
                    format!("`{}` is not a language code", lang.code),
                    "use a code like it, en, ar or pt-br".into(),
                ));
            }
        }
        let codes: Vec<&str> = self.languages.iter().map(|l| l.code.as_str()).collect();
        for (i, c) in codes.iter().enumerate() {
            if codes[..i].contains(c) {
                out.push((format!("language `{c}` is listed twice"), "keep one entry per language".into()));
            }
        }
        if !codes.contains(&self.default_language.as_str()) {
            out.push((
                format!("default_language `{}` is not in languages", self.default_language),
                format!("add it to languages or choose one of: {}", codes.join(", ")),
            ));
        }
        if !is_safe_name(&self.theme) {
            out.push((
                format!("theme `{}` is not a folder name", self.theme),
                "write the name of a folder inside themes/".into(),
            ));
        }
        let mut localized: Vec<(String, &Localized)> = vec![("title".into(), &self.title)];
        for (key, labels) in &self.requirements.0 {
            localized.push((format!("requirements.{key}"), labels));
        }
        for (key, labels) in &self.obligations.0 {
            localized.push((format!("obligations.{key}"), labels));
        }
        for (name, map) in localized {
            if !map.contains_key(&self.default_language) {
                out.push((
                    format!("{name} has no text in the default language `{}`", self.default_language),
                    format!("add `{}: \"...\"` to it", self.default_language),
                ));
            }
            for lang in map.keys().filter(|l| !codes.contains(&l.as_str())) {
                out.push((
                    format!("{name} has text in `{lang}`, a language not in languages"),
                    "add the language to languages or remove the text".into(),
                ));
            }
        }
        for key in self.requirements.keys().chain(self.obligations.keys()) {
            if !is_safe_name(key) {
                out.push((
                    format!("`{key}` is not a valid key"),
                    "use lower-case letters, digits and hyphens, e.g. it-skills".into(),
                ));
            }
        }
        if self.requirements.get(crate::filter::NONE_OF_THESE).is_some() {
            out.push((
                format!("the requirement key `{}` is reserved", crate::filter::NONE_OF_THESE),
                "it means \"none of these\" in the filters' addresses: choose another key".into(),
            ));
        }
        for (what, vocabulary) in [("requirements", &self.requirements), ("obligations", &self.obligations)] {
            for (key, slugs) in &vocabulary.1 .0 {
                for (lang, slug) in slugs {
                    if !codes.contains(&lang.as_str()) {
                        out.push((
                            format!("{what}.{key}.slug has an address in `{lang}`, a language not in languages"),
                            "add the language to languages or remove the slug".into(),
                        ));
                    } else if let Err(e) = crate::model::slug::validate(slug) {
                        out.push((
                            format!("{what}.{key}.slug.{lang}: {e}"),
                            "write one part of an address: letters, digits and hyphens, e.g. lingua-inglese".into(),
                        ));
                    }
                }
            }
        }
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

/// A "did you mean" hint for serde's "unknown field `x`" messages.
pub fn unknown_key_hint(message: &str, keys: &[&str]) -> Option<String> {
    let rest = message.split("unknown field `").nth(1)?;
    let field = &rest[..rest.find('`')?];
    Some(match did_you_mean(field, keys.iter().copied()) {
        Some(k) => format!("did you mean `{k}`?"),
        None => format!("remove it; the valid keys here are: {}", keys.join(", ")),
    })
}

pub fn is_language_code(code: &str) -> bool {
    let mut parts = code.split('-');
    let primary = parts.next().unwrap_or("");
    (2..=3).contains(&primary.len())
        && primary.chars().all(|c| c.is_ascii_lowercase())
        && parts.all(|p| (2..=8).contains(&p.len()) && p.chars().all(|c| c.is_ascii_alphanumeric()))
}

/// A name that is safe as a single path segment and a CSS/URL key.
pub fn is_safe_name(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 100
        && name.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_url_keeps_the_subfolder() {
        let b = BaseUrl::parse("https://www.example.org/servizio-civile").unwrap();
        assert_eq!(b.origin, "https://www.example.org");
        assert_eq!(b.path, "/servizio-civile/");
        assert_eq!(b.href("en/"), "/servizio-civile/en/");
        assert_eq!(b.absolute("en/"), "https://www.example.org/servizio-civile/en/");
        assert_eq!(BaseUrl::parse("http://localhost:1111").unwrap().path, "/");
        assert!(BaseUrl::parse("www.example.org").is_err());
    }

    #[test]
    fn language_codes() {
        assert!(is_language_code("it"));
        assert!(is_language_code("pt-br"));
        assert!(!is_language_code("IT"));
        assert!(!is_language_code("../x"));
    }
}
