//! URL segments: derived from file names or written by hand, and never able to escape
//! the output folder.

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
}
