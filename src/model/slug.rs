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
    Ok(())
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
        for bad in ["../../etc", "a/b", "..", ".hidden", "a\\b", "a?b", ""] {
            assert!(validate(bad).is_err(), "{bad} should be refused");
        }
        for good in ["alloggi-erp", "public-housing", "سكن", "v2.0"] {
            assert!(validate(good).is_ok(), "{good} should be accepted");
        }
    }

    #[test]
    fn file_names_become_slugs() {
        assert_eq!(from_name("Alloggi ERP"), "alloggi-erp");
        assert_eq!(from_name("../x"), "x");
    }
}
