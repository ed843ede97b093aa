//! Names that become part of an address or a file name: hand-written URL segments (never
//! able to escape the output folder), the names `brochure new` gives files, and the keys and
//! theme name of config.yaml. One rule, [`check`], serves them all: only the letters a name
//! may hold depend on its use ([`Alphabet`]); length, dots, hyphens and the names Windows
//! keeps for devices are checked alike.

/// The most bytes a name may have (a letter outside A-Z takes two or more).
pub const MAX_NAME_BYTES: usize = 100;

/// The letters a name may hold, the one thing that depends on what the name is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Alphabet {
    /// A segment of an address written by hand (`slug:`): lower-case letters of any script,
    /// digits, `-`, `_` and `.`. A dot lets a slug be `v2.0`; one that takes the name of a
    /// file the build makes (`sitemap.xml`) is refused as a clash, which names both files.
    Address,
    /// A name that is also a file, a folder or a key in addresses and filters (config.yaml's
    /// keys, the theme, the files `brochure new` writes): lower-case ASCII letters, digits
    /// and hyphens. No dot (`name.it.md` must read as a name and a language), no `_`
    /// (`_index` is the programme file).
    Plain,
}

/// What is wrong with a name, as [`check`] finds it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NameProblem {
    Empty,
    StartsWithDot,
    /// A character the alphabet does not allow.
    Forbidden(char),
    /// A capital letter: addresses are lower case, the same on systems that ignore case.
    Capital(char),
    TooLong,
    EndsWithDot,
    EdgeHyphen,
    WindowsDevice,
}

impl NameProblem {
    /// The problem as a sentence about `what` (`the slug`, `the key`), whose value is `name`.
    pub fn describe(&self, what: &str, name: &str) -> String {
        match self {
            NameProblem::Empty => format!("{what} is empty"),
            NameProblem::StartsWithDot => format!("{what} `{name}` starts with a dot"),
            NameProblem::Forbidden(c) => format!("{what} `{name}` contains `{c}`, which cannot be part of an address"),
            NameProblem::Capital(c) => {
                format!("{what} `{name}` contains the capital `{c}`: addresses are written in lower case")
            }
            NameProblem::TooLong => {
                format!("{what} is longer than {MAX_NAME_BYTES} bytes (a letter outside A-Z takes two or more)")
            }
            NameProblem::EndsWithDot => {
                format!("{what} `{name}` ends with a dot, which Windows drops from folder names")
            }
            NameProblem::EdgeHyphen => format!("{what} `{name}` starts or ends with a hyphen"),
            NameProblem::WindowsDevice => {
                format!("{what} `{name}` is a device name on Windows, where it cannot be a folder")
            }
        }
    }
}

/// The one rule for every name of a project, with the letters `alphabet` allows.
pub fn check(name: &str, alphabet: Alphabet) -> Result<(), NameProblem> {
    if name.is_empty() {
        return Err(NameProblem::Empty);
    }
    if name.starts_with('.') {
        return Err(NameProblem::StartsWithDot);
    }
    for c in name.chars() {
        let allowed = match alphabet {
            Alphabet::Address => is_slug_char(c),
            Alphabet::Plain => c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-',
        };
        if c.is_uppercase() {
            return Err(NameProblem::Capital(c));
        }
        if !allowed {
            return Err(NameProblem::Forbidden(c));
        }
    }
    if name.len() > MAX_NAME_BYTES {
        return Err(NameProblem::TooLong);
    }
    if name.ends_with('.') {
        return Err(NameProblem::EndsWithDot);
    }
    if name.starts_with('-') || name.ends_with('-') {
        return Err(NameProblem::EdgeHyphen);
    }
    if is_windows_device(name) {
        return Err(NameProblem::WindowsDevice);
    }
    Ok(())
}

/// Checks a hand-written `slug:`; the error says what is wrong with it.
pub fn validate(slug: &str) -> Result<(), String> {
    check(slug, Alphabet::Address).map_err(|p| p.describe("the slug", slug))
}

/// A name that is safe as a file, a folder and a key: see [`Alphabet::Plain`].
pub fn is_plain_name(name: &str) -> bool {
    check(name, Alphabet::Plain).is_ok()
}

/// `con`, `nul`, `com1`, `lpt9.txt`...: names Windows reserves for devices, with or without
/// an extension, in any case. A page at such an address could not be built or copied there.
fn is_windows_device(slug: &str) -> bool {
    let stem = slug.split('.').next().unwrap_or(slug).to_ascii_lowercase();
    match stem.as_str() {
        "con" | "prn" | "aux" | "nul" => true,
        _ => ["com", "lpt"]
            .iter()
            .any(|p| stem.strip_prefix(p).is_some_and(|n| n.len() == 1 && n.bytes().all(|b| b.is_ascii_digit()))),
    }
}

fn is_slug_char(c: char) -> bool {
    (c.is_alphanumeric() && !c.is_uppercase()) || matches!(c, '-' | '_' | '.')
}

/// A slug from a file or folder name: lower case, spaces to hyphens, unsafe characters dropped.
pub fn from_name(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    for c in name.chars().flat_map(char::to_lowercase) {
        if is_slug_char(c) {
            out.push(c);
        } else if (c.is_whitespace() || c == '+') && !out.ends_with('-') {
            out.push('-');
        }
    }
    out.trim_matches(|c| c == '-' || c == '.').to_string()
}

/// `Città Studi!` -> `citta-studi`: folded like the site search folds text (accents
/// dropped, `ß` -> `ss`), anything else between words a hyphen.
pub fn suggest_name(name: &str) -> String {
    let mut out = String::new();
    for c in crate::filter::fold(name).chars() {
        match c {
            c if c.is_ascii_lowercase() || c.is_ascii_digit() => out.push(c),
            _ if !out.is_empty() && !out.ends_with('-') => out.push('-'),
            _ => {}
        }
    }
    let out = out.trim_end_matches('-');
    let cut = out.char_indices().nth(80).map_or(out.len(), |(i, _)| i);
    out[..cut].trim_end_matches('-').to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hostile_slugs_are_refused() {
        for bad in [
            "../../etc",
            "a/b",
            "..",
            ".hidden",
            "a\\b",
            "a?b",
            "",
            "v2.",
            "con",
            "NUL",
            "com1",
            "lpt9.html",
            "aux.it",
            "com0",
        ] {
            assert!(validate(bad).is_err(), "{bad} should be refused");
        }
        for good in ["alloggi-erp", "public-housing", "سكن", "v2.0", "console", "com", "com10", "null"] {
            assert!(validate(good).is_ok(), "{good} should be accepted");
        }
    }

    #[test]
    fn file_names_become_slugs() {
        assert_eq!(from_name("Alloggi ERP"), "alloggi-erp");
        assert_eq!(from_name("../x"), "x");
    }

    #[test]
    fn names_are_lower_case_ascii_slugs() {
        for good in ["biblioteca", "alloggi-erp", "sede-2", "default", "it-skills"] {
            assert!(is_plain_name(good), "{good}");
        }
        for bad in ["", "Biblioteca", "città", "a b", "-a", "a-", "_index", "../x", "a.b", "a_b", "con", "lpt1"] {
            assert!(!is_plain_name(bad), "{bad}");
        }
    }

    /// Before there was one rule, a slug, a config key, the theme and a new file's name each
    /// had their own, and they disagreed: each case below was accepted by one of them.
    #[test]
    fn the_rules_that_disagreed_are_the_strictest_for_every_name() {
        // Slugs took capitals (`Casa` and `casa` are one folder where case is ignored), a
        // hyphen at either end and 200 bytes.
        assert_eq!(check("Casa", Alphabet::Address), Err(NameProblem::Capital('C')));
        assert_eq!(check("-casa", Alphabet::Address), Err(NameProblem::EdgeHyphen));
        assert_eq!(check("casa-", Alphabet::Address), Err(NameProblem::EdgeHyphen));
        assert_eq!(check(&"a".repeat(101), Alphabet::Address), Err(NameProblem::TooLong));
        assert_eq!(check(&"a".repeat(100), Alphabet::Address), Ok(()));
        // Keys and the theme took `_`; keys, the theme and new files took device names.
        assert_eq!(check("it_skills", Alphabet::Plain), Err(NameProblem::Forbidden('_')));
        assert_eq!(check("con", Alphabet::Plain), Err(NameProblem::WindowsDevice));
        assert_eq!(check("com1", Alphabet::Plain), Err(NameProblem::WindowsDevice));
        // Only the letters differ: an address may be in any script and hold a dot.
        assert_eq!(check("سكن", Alphabet::Address), Ok(()));
        assert_eq!(check("سكن", Alphabet::Plain), Err(NameProblem::Forbidden('س')));
        assert_eq!(check("v2.0", Alphabet::Plain), Err(NameProblem::Forbidden('.')));
        assert_eq!(
            validate("con").unwrap_err(),
            "the slug `con` is a device name on Windows, where it cannot be a folder"
        );
    }

    #[test]
    fn suggestions_are_valid_names() {
        assert_eq!(suggest_name("Città Studi!"), "citta-studi");
        assert_eq!(suggest_name("  Alloggi  ERP "), "alloggi-erp");
        assert_eq!(suggest_name("Straße_Œuvre"), "strasse-oeuvre");
        assert_eq!(suggest_name("مكتب"), "");
        assert!(is_plain_name(&suggest_name(&"Lungo nome ".repeat(20))));
    }
}
