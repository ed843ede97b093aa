//! Reading a theme: Tera templates, UI strings per language, and static files.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use walkdir::WalkDir;

use super::{shown_path, Asset};
use crate::diagnostic::Diagnostic;
use crate::yaml;

/// A UI string: plain text, or forms by count for words like "1 volunteer / 3 volunteers".
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum I18nText {
    Plain(String),
    Plural(PluralForms),
}

/// By hand rather than `untagged`: an untagged enum reports any mistake in the forms as "did
/// not match any variant", at the first line of the file; reading the map as `PluralForms`
/// keeps the parser's own message and position (an unknown form, a missing `other`).
impl<'de> Deserialize<'de> for I18nText {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Text;
        impl<'de> serde::de::Visitor<'de> for Text {
            type Value = I18nText;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a text, or forms by count such as { one: \"...\", other: \"...\" }")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<I18nText, E> {
                Ok(I18nText::Plain(v.to_string()))
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(self, map: A) -> Result<I18nText, A::Error> {
                PluralForms::deserialize(serde::de::value::MapAccessDeserializer::new(map)).map(I18nText::Plural)
            }
        }
        d.deserialize_any(Text)
    }
}

/// The forms of a string with a number in it, by CLDR plural category
/// (<https://cldr.unicode.org/index/cldr-spec/plural-rules>): English and Italian use `one`
/// and `other`, Arabic all six. `other` is required; a category left out uses it.
#[derive(Debug, Clone, Deserialize, serde::Serialize, PartialEq, Eq, Hash)]
#[serde(deny_unknown_fields)]
pub struct PluralForms {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub zero: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub one: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub two: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub few: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub many: Option<String>,
    pub other: String,
}

/// The CLDR plural categories a UI string may give forms for; `other` is required.
const PLURAL_FORMS: [&str; 6] = ["zero", "one", "two", "few", "many", "other"];

/// A theme as read from disk; templates are kept as text and compiled by `render`.
#[derive(Debug, Default, Hash)]
pub struct ThemeFiles {
    /// Template name (path inside `templates/`, with `/`) -> (shown path, source).
    pub templates: BTreeMap<String, (PathBuf, String)>,
    /// Language -> key -> text.
    pub i18n: BTreeMap<String, BTreeMap<String, I18nText>>,
    /// Shown path of each i18n file, for messages.
    pub i18n_paths: BTreeMap<String, PathBuf>,
    pub statics: Vec<Asset>,
}

/// Reads `themes/<name>/`; missing folders and unreadable files are reported together.
pub fn load_theme(root: &Path, name: &str) -> (ThemeFiles, Vec<Diagnostic>) {
    let dir = root.join("themes").join(name);
    let mut theme = ThemeFiles::default();
    let mut problems = Vec::new();
    if !dir.join("templates").is_dir() {
        problems.push(
            Diagnostic::error(format!("the theme `{name}` has no templates/ folder"))
                .in_file(shown_path(root, &dir))
                .with_hint("check `theme:` in config.yaml; themes live in themes/<name>/templates/"),
        );
        return (theme, problems);
    }
    let resolved_root = crate::symlinks::resolved_root(root);
    for (sub, _) in [("templates", ()), ("i18n", ()), ("static", ())] {
        let base = dir.join(sub);
        if !base.is_dir() {
            continue;
        }
        let mut walker = WalkDir::new(&base).follow_links(true).sort_by_file_name().into_iter();
        while let Some(entry) = walker.next() {
            let entry = match entry {
                Ok(e) => e,
                Err(e) => {
                    problems.push(
                        Diagnostic::error(format!("cannot read the theme: {e}")).in_file(shown_path(root, &base)),
                    );
                    continue;
                }
            };
            let shown = shown_path(root, entry.path());
            if entry.path_is_symlink() && !crate::symlinks::leads_inside(entry.path(), &resolved_root) {
                problems.push(super::link_outside(
                    root,
                    entry.path(),
                    "copy the file into the theme instead of linking to it",
                ));
                if entry.file_type().is_dir() {
                    walker.skip_current_dir(); // reported once, never read
                }
                continue;
            }
            let file_name = entry.file_name().to_string_lossy();
            if !entry.file_type().is_file() || file_name.starts_with('.') || file_name.ends_with('~') {
                continue;
            }
            let rel = entry.path().strip_prefix(&base).unwrap_or(entry.path()).to_string_lossy().replace('\\', "/");
            match sub {
                "static" => theme.statics.push(Asset { source: entry.path().to_path_buf(), dest: rel }),
                _ => match std::fs::read_to_string(entry.path()) {
                    Err(e) => problems.push(Diagnostic::error(format!("cannot read the file: {e}")).in_file(&shown)),
                    Ok(text) if sub == "templates" => {
                        theme.templates.insert(rel, (shown, text));
                    }
                    Ok(text) => read_i18n(&mut theme, &rel, shown, &text, &mut problems),
                },
            }
        }
    }
    (theme, problems)
}

fn read_i18n(theme: &mut ThemeFiles, rel: &str, shown: PathBuf, text: &str, problems: &mut Vec<Diagnostic>) {
    let Some(lang) = rel.strip_suffix(".yaml") else {
        return;
    };
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    match yaml::from_str::<BTreeMap<String, I18nText>>(text) {
        Ok(strings) => {
            theme.i18n.insert(lang.to_string(), strings);
            theme.i18n_paths.insert(lang.to_string(), shown);
        }
        Err(e) => {
            let mut d = e.diagnostic(&shown, text, 1, &PLURAL_FORMS);
            d.message = format!("UI strings: {}", d.message);
            problems.push(d);
        }
    }
}
