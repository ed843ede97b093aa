//! UI strings of the theme per language, with fallback to the default language, and
//! language-aware number formatting.

use std::collections::BTreeMap;

use serde_json::Value;

use crate::config::Config;
use crate::diagnostic::Diagnostic;
use crate::load::{I18nText, ThemeFiles};

/// The theme's strings, completed for every configured language.
#[derive(Debug, Default)]
pub struct Strings {
    by_lang: BTreeMap<String, BTreeMap<String, I18nText>>,
    /// Per language, the strings as a JSON object for templates (`t.key`).
    json: BTreeMap<String, Value>,
}

impl Strings {
    /// Merges each language over the default one; each missing string is a warning.
    pub fn new(theme: &ThemeFiles, config: &Config) -> (Strings, Vec<Diagnostic>) {
        let mut warnings = Vec::new();
        let default = theme.i18n.get(&config.default_language).cloned().unwrap_or_default();
        let mut strings = Strings::default();
        for lang in &config.languages {
            let own = theme.i18n.get(&lang.code);
            let shown = theme
                .i18n_paths
                .get(&lang.code)
                .cloned()
                .unwrap_or_else(|| format!("themes/{}/i18n/{}.yaml", config.theme, lang.code).into());
            if own.is_none() && !default.is_empty() {
                warnings.push(
                    Diagnostic::warning(format!(
                        "the theme has no UI strings for `{}`; using `{}`",
                        lang.code, config.default_language
                    ))
                    .in_file(&shown)
                    .with_hint(format!("copy the default language's file to i18n/{}.yaml and translate it", lang.code)),
                );
            }
            let mut merged = default.clone();
            if let Some(own) = own {
                let missing: Vec<&str> = default.keys().filter(|k| !own.contains_key(*k)).map(String::as_str).collect();
                if !missing.is_empty() {
                    warnings.push(
                        Diagnostic::warning(format!(
                            "{} UI string(s) missing in `{}`: {}",
                            missing.len(),
                            lang.code,
                            missing.join(", ")
                        ))
                        .in_file(&shown)
                        .with_hint(format!("add them; until then the `{}` text is shown", config.default_language)),
                    );
                }
                merged.extend(own.iter().map(|(k, v)| (k.clone(), v.clone())));
            }
            let json = Value::Object(
                merged
                    .iter()
                    .map(|(k, v)| {
                        let v = match v {
                            I18nText::Plain(s) => Value::String(s.clone()),
                            I18nText::Plural { one, other } => serde_json::json!({ "one": one, "other": other }),
                        };
                        (k.clone(), v)
                    })
                    .collect(),
            );
            strings.json.insert(lang.code.clone(), json);
            strings.by_lang.insert(lang.code.clone(), merged);
        }
        (strings, warnings)
    }

    pub fn json(&self, lang: &str) -> &Value {
        static EMPTY: Value = Value::Null;
        self.json.get(lang).unwrap_or(&EMPTY)
    }

    /// A plain string, or `key` itself when the theme lacks it (visible, never a crash).
    pub fn get(&self, lang: &str, key: &str) -> String {
        match self.by_lang.get(lang).and_then(|m| m.get(key)) {
            Some(I18nText::Plain(s)) => s.clone(),
            Some(I18nText::Plural { other, .. }) => other.clone(),
            None => key.to_string(),
        }
    }

    /// `key` with `{n}` replaced by `n` formatted for `lang`, in its singular or plural form.
    pub fn count(&self, lang: &str, key: &str, n: u32) -> String {
        let form = match self.by_lang.get(lang).and_then(|m| m.get(key)) {
            Some(I18nText::Plural { one, other }) => if n == 1 { one } else { other }.clone(),
            Some(I18nText::Plain(s)) => s.clone(),
            None => format!("{key} {{n}}"),
        };
        form.replace("{n}", &self.number(lang, n))
    }

    /// `n` with the language's thousands separator (`thousands_separator` in the i18n file).
    pub fn number(&self, lang: &str, n: u32) -> String {
        let sep = match self.by_lang.get(lang).and_then(|m| m.get("thousands_separator")) {
            Some(I18nText::Plain(s)) => s.as_str(),
            _ => ",",
        };
        group_thousands(n, sep)
    }
}

pub fn group_thousands(n: u32, sep: &str) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + 4);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push_str(sep);
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_grouped_per_language() {
        assert_eq!(group_thousands(1400, "."), "1.400");
        assert_eq!(group_thousands(1400, ","), "1,400");
        assert_eq!(group_thousands(999, "."), "999");
        assert_eq!(group_thousands(1_234_567, "\u{a0}"), "1\u{a0}234\u{a0}567");
    }
}
