//! UI strings of the theme per language, with fallback to the default language, plural
//! forms chosen by the language's CLDR rules, and language-aware number formatting.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use serde_json::Value;

use crate::config::Config;
use crate::diagnostic::Diagnostic;
use crate::load::{I18nText, PluralForms, ThemeFiles};

/// A string as JSON: a text, or an object of its plural forms.
fn json_value(text: &I18nText) -> Value {
    match text {
        I18nText::Plain(s) => Value::String(s.clone()),
        I18nText::Plural(forms) => serde_json::to_value(forms).unwrap_or(Value::Null),
    }
}

/// The theme's strings, completed for every configured language.
#[derive(Debug, Default)]
pub struct Strings {
    by_lang: BTreeMap<String, BTreeMap<String, I18nText>>,
    /// Per language, its CLDR cardinal plural rules (the browser uses `Intl.PluralRules`).
    plural_rules: BTreeMap<String, icu_plurals::PluralRules>,
    /// Per language, the strings as the templates' `t`: made once, since every page and
    /// card holds it and a Tera value shares its contents when cloned into a page's data.
    /// One copy per thread of the render's pool (and one for any other thread): Tera
    /// counts the references to a value each time a template reads `t`, and threads that
    /// count on one copy keep taking its count from each other.
    template: BTreeMap<String, Vec<tera::Value>>,
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
            let json = Value::Object(merged.iter().map(|(k, v)| (k.clone(), json_value(v))).collect());
            let copies = rayon::current_num_threads() + 1;
            let template = (0..copies).map(|_| tera::Value::from_serializable(&json)).collect();
            strings.template.insert(lang.code.clone(), template);
            if let Some(rules) = plural_rules(&lang.code) {
                strings.plural_rules.insert(lang.code.clone(), rules);
            }
            strings.by_lang.insert(lang.code.clone(), merged);
        }
        (strings, warnings)
    }

    /// String `key` of `lang` as JSON, for the filter script: a text, its plural forms, or
    /// null when the theme lacks it.
    pub fn json(&self, lang: &str, key: &str) -> Value {
        self.by_lang.get(lang).and_then(|m| m.get(key)).map_or(Value::Null, json_value)
    }

    /// The strings of `lang` as the templates' `t`.
    pub fn template(&self, lang: &str) -> &tera::Value {
        static EMPTY: OnceLock<tera::Value> = OnceLock::new();
        let copy = rayon::current_thread_index().map_or(0, |i| i + 1);
        self.template
            .get(lang)
            .and_then(|copies| copies.get(copy).or(copies.first()))
            .unwrap_or_else(|| EMPTY.get_or_init(tera::Value::none))
    }

    /// A plain string, or `key` itself when the theme lacks it (visible, never a crash).
    pub fn get(&self, lang: &str, key: &str) -> String {
        match self.by_lang.get(lang).and_then(|m| m.get(key)) {
            Some(I18nText::Plain(s)) => s.clone(),
            Some(I18nText::Plural(forms)) => forms.other.clone(),
            None => key.to_string(),
        }
    }

    /// `key` with `{n}` replaced by `n` formatted for `lang`, in the form the language's
    /// plural rules choose for `n`.
    pub fn count(&self, lang: &str, key: &str, n: u32) -> String {
        let number = self.number(lang, n);
        let form = match self.by_lang.get(lang).and_then(|m| m.get(key)) {
            Some(I18nText::Plural(forms)) => {
                form_for(forms, self.plural_rules.get(lang).map(|rules| rules.category_for(n)))
            }
            Some(I18nText::Plain(s)) => s.as_str(),
            None => return format!("{key} {number}"),
        };
        with_number(form, &number)
    }

    /// `n` with the language's thousands separator (`thousands_separator` in the i18n file).
    pub fn number(&self, lang: &str, n: u32) -> String {
        if n < 1000 {
            return n.to_string();
        }
        let sep = match self.by_lang.get(lang).and_then(|m| m.get("thousands_separator")) {
            Some(I18nText::Plain(s)) => s.as_str(),
            _ => ",",
        };
        group_thousands(n, sep)
    }
}

/// The cardinal plural rules of `lang`. A language ICU does not know gets the root rules
/// (every number `other`); without rules at all, strings use their `other` form.
fn plural_rules(lang: &str) -> Option<icu_plurals::PluralRules> {
    let locale = icu_locale_core::Locale::try_from_str(lang).unwrap_or(icu_locale_core::Locale::UNKNOWN);
    icu_plurals::PluralRules::try_new_cardinal((&locale).into()).ok()
}

/// The form of `forms` for a plural category; a category the writer left out uses `other`.
fn form_for(forms: &PluralForms, category: Option<icu_plurals::PluralCategory>) -> &str {
    use icu_plurals::PluralCategory::*;
    let chosen = match category {
        Some(Zero) => forms.zero.as_ref(),
        Some(One) => forms.one.as_ref(),
        Some(Two) => forms.two.as_ref(),
        Some(Few) => forms.few.as_ref(),
        Some(Many) => forms.many.as_ref(),
        Some(Other) | None => None,
    };
    chosen.unwrap_or(&forms.other)
}

/// `form` with each `{n}` replaced by `number`. Strings hold one `{n}` at most, after a
/// few words: a scan for `{` costs less than setting up a search for the whole pattern
/// (`str::replace`), which took most of the time of counts on a large site.
fn with_number(form: &str, number: &str) -> String {
    let mut out = String::with_capacity(form.len() + number.len());
    let mut rest = form;
    while let Some(i) = rest.find('{') {
        let (before, from) = rest.split_at(i);
        out.push_str(before);
        match from.strip_prefix("{n}") {
            Some(after) => {
                out.push_str(number);
                rest = after;
            }
            None => {
                out.push('{');
                rest = &from[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

pub fn group_thousands(n: u32, sep: &str) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + 2 * sep.len());
    for (i, c) in digits.char_indices() {
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
    fn every_placeholder_is_replaced_and_other_braces_kept() {
        assert_eq!(with_number("{n} volontari", "3"), "3 volontari");
        assert_eq!(with_number("{n} of {n}", "1.400"), "1.400 of 1.400");
        assert_eq!(with_number("{x} {n}{", "7"), "{x} 7{");
        assert_eq!(with_number("sedi", "7"), "sedi");
    }

    #[test]
    fn numbers_are_grouped_per_language() {
        assert_eq!(group_thousands(1400, "."), "1.400");
        assert_eq!(group_thousands(1400, ","), "1,400");
        assert_eq!(group_thousands(999, "."), "999");
        assert_eq!(group_thousands(1_234_567, "\u{a0}"), "1\u{a0}234\u{a0}567");
    }

    #[test]
    fn plural_forms_follow_each_languages_cldr_rules() {
        let forms = PluralForms {
            zero: Some("zero".into()),
            one: Some("one".into()),
            two: Some("two".into()),
            few: Some("few".into()),
            many: Some("many".into()),
            other: "other".into(),
        };
        let form = |lang: &str, n: u32| form_for(&forms, plural_rules(lang).map(|r| r.category_for(n))).to_string();
        let arabic: Vec<String> = [0, 1, 2, 3, 11, 100].iter().map(|n| form("ar", *n)).collect();
        assert_eq!(arabic, ["zero", "one", "two", "few", "many", "other"]);
        assert_eq!([form("it", 1), form("it", 0), form("it", 2)], ["one", "other", "other"]);
        assert_eq!([form("en", 1), form("en", 0)], ["one", "other"]);
        // A category the writer left out uses `other`.
        let short = PluralForms { one: Some("1 sede".into()), other: "{n} sedi".into(), ..forms.clone() };
        let short = PluralForms { zero: None, two: None, few: None, many: None, ..short };
        assert_eq!(form_for(&short, plural_rules("ar").map(|r| r.category_for(3u32))), "{n} sedi");
    }
}
