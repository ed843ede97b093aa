//! Names that become part of an address: URL segments (derived from file names or written
//! by hand, never able to escape the output folder), the names `brochure new` gives files,
//! and the keys and theme names of config.yaml. Each rule accepts a different set on
//! purpose; they live here together so that a new one is written beside them, not again.

/// Checks a hand-written `slug:`; the error says what is wrong with it.
pub fn validate(slug: &str) -> Result<(), String> {
    if slug.is_empty() {
        return Err("the slug is empty".into());
    }
    if slug == "." || slug == ".." || slug.starts_with('.') {
        return Err(format!("the slug `{slug}` starts with a dot"));
    }
    if let Some(bad) = slug.chars().find(|c| !is_slug_char(*c)) {
        return Err(format!("the slug `{slug}` contains `{bad}`, which cannot be part of an address"));
    }
    if slug.len() > 200 {
        return Err("the slug is longer than 200 characters".into());
    }
    if slug.ends_with('.') {
        return Err(format!("the slug `{slug}` ends with a dot, which Windows drops from folder names"));
    }
    if is_windows_device(slug) {
        return Err(format!("the slug `{slug}` is a device name on Windows, where it cannot be a folder"));
    }
    Ok(())
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
    c.is_alphanumeric() || matches!(c, '-' | '_' | '.')
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

/// A name that is safe as a single path segment and a CSS/URL key.
pub fn is_safe_name(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 100
        && name.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_')
}

/// A name for a new file: lower-case ASCII letters, digits and inner hyphens.
pub fn is_valid_name(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 100
        && !name.starts_with('-')
        && !name.ends_with('-')
        && name.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
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
        for good in ["biblioteca", "alloggi-erp", "sede-2"] {
            assert!(is_valid_name(good), "{good}");
        }
        for bad in ["", "Biblioteca", "città", "a b", "-a", "a-", "_index", "../x", "a.b", "a_b"] {
            assert!(!is_valid_name(bad), "{bad}");
        }
    }

    #[test]
    fn suggestions_are_valid_names() {
        assert_eq!(suggest_name("Città Studi!"), "citta-studi");
        assert_eq!(suggest_name("  Alloggi  ERP "), "alloggi-erp");
        assert_eq!(suggest_name("Straße_Œuvre"), "strasse-oeuvre");
        assert_eq!(suggest_name("مكتب"), "");
        assert!(is_valid_name(&suggest_name(&"Lungo nome ".repeat(20))));
    }
}
