//! What kind of address a link is, read the way a browser reads it; shared by config
//! validation, Markdown rendering and `check` so that all three agree.

/// The scheme of `url` (`https`, `mailto`...), lower-cased, as a browser finds it: leading
/// spaces and control characters are skipped and tabs and line breaks inside are ignored
/// (`java\tscript:` is `javascript:`). `None` for a relative address.
pub fn scheme(url: &str) -> Option<String> {
    let cleaned = url.trim_start_matches(|c: char| c <= ' ').chars().filter(|c| !matches!(c, '\t' | '\n' | '\r'));
    let mut scheme = String::new();
    for c in cleaned {
        match c {
            ':' if !scheme.is_empty() => return Some(scheme),
            c if c.is_ascii_alphabetic() => scheme.push(c.to_ascii_lowercase()),
            c if !scheme.is_empty() && (c.is_ascii_digit() || "+-.".contains(c)) => scheme.push(c),
            _ => return None,
        }
    }
    None
}

/// Whether `url` names its scheme (`https:`, `mailto:`), i.e. is not relative to the site.
pub fn has_scheme(url: &str) -> bool {
    scheme(url).is_some()
}

/// Schemes a link on every page may use: the web, e-mail and telephone. Anything else
/// (`javascript:`, `data:`, `file:`) could run code or reach outside the site.
pub const LINK_SCHEMES: &[&str] = &["http", "https", "mailto", "tel"];

/// Whether `url` is relative or uses one of [`LINK_SCHEMES`].
pub fn is_safe_link(url: &str) -> bool {
    scheme(url).is_none_or(|s| LINK_SCHEMES.contains(&s.as_str()))
}

/// The relative address of `to` (a file's path inside the output folder, `a/b/qr.svg`) from a
/// page in `from_folder` (`a/c/`, or `` for the top): `../b/qr.svg`. A printed document links
/// its QR codes so, and then finds them wherever it is opened: on the web host, from the
/// disk, or by the PDF step.
pub fn relative(from_folder: &str, to: &str) -> String {
    let from: Vec<&str> = from_folder.split('/').filter(|s| !s.is_empty()).collect();
    let (to_folders, file) = to.rsplit_once('/').unwrap_or(("", to));
    let to_folders: Vec<&str> = to_folders.split('/').filter(|s| !s.is_empty()).collect();
    let shared = from.iter().zip(&to_folders).take_while(|(a, b)| a == b).count();
    let mut out = "../".repeat(from.len() - shared);
    for folder in &to_folders[shared..] {
        out.push_str(folder);
        out.push('/');
    }
    out.push_str(file);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_addresses_climb_only_as_far_as_the_folders_differ() {
        assert_eq!(relative("en/alpha/a1/", "en/alpha/a1/qr.svg"), "qr.svg");
        assert_eq!(relative("en/alpha/", "en/alpha/a1/qr.svg"), "a1/qr.svg");
        assert_eq!(relative("alpha/", "beta/b1/qr.svg"), "../beta/b1/qr.svg");
        assert_eq!(relative("", "alpha/qr.svg"), "alpha/qr.svg");
        assert_eq!(relative("alpha/a1/", "qr.svg"), "../../qr.svg");
        assert_eq!(relative("alpha/alphabet/", "alpha/alpha/qr.svg"), "../alpha/qr.svg");
    }

    #[test]
    fn schemes_are_read_as_a_browser_reads_them() {
        assert_eq!(scheme("https://x.org/").as_deref(), Some("https"));
        assert_eq!(scheme("MAILTO:a@b.it").as_deref(), Some("mailto"));
        assert_eq!(scheme(" java\tscript:alert(1)").as_deref(), Some("javascript"));
        assert_eq!(scheme("\u{1}javascript:x").as_deref(), Some("javascript"));
        assert_eq!(scheme("casa.it.md"), None);
        assert_eq!(scheme("/a:b"), None);
        assert_eq!(scheme("./a:b"), None);
        assert_eq!(scheme("1a:b"), None);
        assert_eq!(scheme("a@b.it"), None);
    }

    #[test]
    fn only_web_mail_phone_and_relative_links_are_safe() {
        for ok in ["https://x.org/", "http://x.org", "mailto:a@b.it", "tel:+39021234", "/privacy/", "privacy/"] {
            assert!(is_safe_link(ok), "{ok}");
        }
        for bad in ["javascript:alert(1)", "data:text/html,x", "JaVaScRiPt:x", "vbscript:x", "file:///etc/passwd"] {
            assert!(!is_safe_link(bad), "{bad}");
        }
    }
}
