//! Translation freshness stamps: a translation records which version of its source it was
//! made from, so `brochure check` can report translations older than their source.
//!
//! The stamp of a source file is the FNV-1a 64-bit hash of its text, normalised so that
//! changes a writer cannot see do not count: the byte order mark is removed, CRLF becomes
//! LF, trailing whitespace is trimmed from every line and trailing blank lines are dropped.
//! It is written as 16 lower-case hex digits. A translation carries the stamp of its source
//! in its front matter, `translated_from: "0123456789abcdef"`; `brochure new translation`
//! writes it, and `brochure stamp FILE` rewrites it once the translation has been updated.
//!
//! FNV-1a is implemented here rather than taken from std's `DefaultHasher`, whose output
//! may change between Rust releases: stamps live in the writers' files and must stay valid.

/// The key of the front-matter line that holds a translation's stamp.
pub const KEY: &str = "translated_from";

const FNV_OFFSET_BASIS: u64 = 0xcbf2_9ce4_8422_2325;
const FNV_PRIME: u64 = 0x0000_0100_0000_01b3;

/// The stamp of a source file's text: 16 lower-case hex digits.
pub fn source_stamp(text: &str) -> String {
    format!("{:016x}", fnv1a(normalise(text).as_bytes()))
}

/// True when `s` looks like a stamp: exactly 16 lower-case hex digits.
pub fn is_stamp(s: &str) -> bool {
    s.len() == 16 && s.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

/// The text as the stamp sees it: no BOM, LF line ends, no trailing whitespace, no
/// trailing blank lines, and no `draft:` line in the front matter. Publishing a page
/// (`draft: true` to `false`, or the line deleted) changes nothing a translator translates;
/// it made every translation of the page "older than its source".
pub fn normalise(text: &str) -> String {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut in_front = false;
    let lines: Vec<&str> = text
        .split('\n')
        .map(str::trim_end)
        .enumerate()
        .filter(|(i, line)| {
            if *line == "---" && (*i == 0 || in_front) {
                in_front = *i == 0;
            }
            !(in_front && line.starts_with("draft:"))
        })
        .map(|(_, line)| line)
        .collect();
    let keep = lines.iter().rposition(|l| !l.is_empty()).map_or(0, |i| i + 1);
    lines[..keep].join("\n")
}

fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(FNV_OFFSET_BASIS, |hash, b| (hash ^ u64::from(*b)).wrapping_mul(FNV_PRIME))
}

/// The stamp written in a front matter's `translated_from:` line, quotes and a trailing
/// comment removed; `None` when there is no such line or it is empty.
pub fn read_stamp(front_matter_text: &str) -> Option<String> {
    front_matter_text.lines().find_map(stamp_value).filter(|v| !v.is_empty())
}

/// The value of a top-level `translated_from:` line, or `None` for any other line.
fn stamp_value(line: &str) -> Option<String> {
    split_stamp_line(line).map(|(value, _)| value.trim().to_string())
}

/// A top-level `translated_from:` line split into its value (quotes removed) and what
/// follows the value (spaces and a comment), line end excluded.
fn split_stamp_line(line: &str) -> Option<(&str, &str)> {
    let line = line.trim_end_matches(['\n', '\r']);
    let rest = line.strip_prefix(KEY)?.trim_start_matches([' ', '\t']).strip_prefix(':')?;
    let rest = rest.trim_start();
    match rest.chars().next() {
        Some(q @ ('"' | '\'')) => match rest[1..].find(q) {
            Some(i) => Some((&rest[1..1 + i], &rest[2 + i..])),
            None => Some((&rest[1..], "")),
        },
        _ => {
            let end = rest.find(" #").unwrap_or(rest.len());
            Some((&rest[..end], &rest[end..]))
        }
    }
}

/// Returns `file_text` with its `translated_from:` line set to `stamp`: the existing line is
/// replaced (later duplicates are removed), or a line is added as the last line of the front
/// matter. Nothing else changes; the file's line ending (LF or CRLF) is kept.
pub fn set_stamp(file_text: &str, stamp: &str) -> Result<String, String> {
    if !is_stamp(stamp) {
        return Err(format!("`{stamp}` is not a stamp (16 lower-case hex digits)"));
    }
    let (bom, text) = match file_text.strip_prefix('\u{feff}') {
        Some(rest) => ("\u{feff}", rest),
        None => ("", file_text),
    };
    let lines: Vec<&str> = text.split_inclusive('\n').collect();
    if lines.first().map(|l| l.trim_end()) != Some("---") {
        return Err("the file has no front matter (it must start with a line `---`)".into());
    }
    let Some(close) = lines.iter().skip(1).position(|l| matches!(l.trim_end(), "---" | "...")).map(|i| i + 1) else {
        return Err("the front matter is never closed (no second line `---`)".into());
    };
    let newline = if lines[0].ends_with("\r\n") { "\r\n" } else { "\n" };
    let new_line = format!("{KEY}: \"{stamp}\"{newline}");
    let mut out = String::with_capacity(file_text.len() + new_line.len());
    out.push_str(bom);
    out.push_str(lines[0]);
    let mut written = false;
    for line in &lines[1..close] {
        if stamp_value(line).is_none() {
            out.push_str(line);
        } else if !written {
            // Keep the line's comment and own ending (a file may mix LF and CRLF).
            let after = split_stamp_line(line).map_or("", |(_, after)| after);
            let ending = if line.ends_with("\r\n") { "\r\n" } else { "\n" };
            out.push_str(&format!("{KEY}: \"{stamp}\"{after}{ending}"));
            written = true;
        }
    }
    if !written {
        out.push_str(&new_line);
    }
    for line in &lines[close..] {
        out.push_str(line);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fnv1a_matches_the_reference_vectors() {
        assert_eq!(fnv1a(b""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(fnv1a(b"a"), 0xaf63_dc4c_8601_ec8c);
        assert_eq!(fnv1a(b"foobar"), 0x8594_4171_f739_67e8);
    }

    #[test]
    fn stamp_is_sixteen_hex_digits_and_stable_across_releases() {
        let s = source_stamp("---\ntitle: a\n---\nBody\n");
        assert!(is_stamp(&s), "{s}");
        // Fixed value: a change here invalidates every stamp in every project.
        assert_eq!(s, format!("{:016x}", fnv1a(b"---\ntitle: a\n---\nBody")));
        assert_eq!(source_stamp(""), "cbf29ce484222325");
    }

    #[test]
    fn invisible_changes_keep_the_stamp() {
        let base = source_stamp("---\ntitle: a\n---\nBody\n");
        assert_eq!(source_stamp("\u{feff}---\r\ntitle: a  \r\n---\r\nBody\t\r\n\r\n\n"), base);
        assert_eq!(source_stamp("---\ntitle: a\n---\nBody"), base);
    }

    #[test]
    fn publishing_the_source_keeps_the_stamp() {
        let published = source_stamp("---\ntitle: a\n---\nBody\n");
        assert_eq!(source_stamp("---\ntitle: a\ndraft: true\n---\nBody\n"), published);
        assert_eq!(source_stamp("---\ndraft: false\ntitle: a\n---\nBody\n"), published);
        // Only the front matter's own field: the body, and a nested field, still count.
        assert_ne!(source_stamp("---\ntitle: a\n---\ndraft: true\nBody\n"), published);
        assert_ne!(source_stamp("---\ntitle: a\nx:\n  draft: true\n---\nBody\n"), published);
    }

    #[test]
    fn visible_changes_change_the_stamp() {
        let base = source_stamp("---\ntitle: a\n---\nBody\n");
        assert_ne!(source_stamp("---\ntitle: b\n---\nBody\n"), base);
        assert_ne!(source_stamp("---\ntitle: a\n---\n  Body\n"), base, "leading spaces matter in Markdown");
        assert_ne!(source_stamp("---\ntitle: a\n---\n\nBody\n"), base);
    }

    #[test]
    fn reads_the_stamp_quoted_or_not() {
        assert_eq!(
            read_stamp("title: x\ntranslated_from: \"0123456789abcdef\"\n").as_deref(),
            Some("0123456789abcdef")
        );
        assert_eq!(read_stamp("translated_from: '0123456789abcdef'\r\n").as_deref(), Some("0123456789abcdef"));
        assert_eq!(read_stamp("translated_from:0123456789abcdef # made in May").as_deref(), Some("0123456789abcdef"));
        assert_eq!(read_stamp("translated_from : \"abc\" # note").as_deref(), Some("abc"));
    }

    #[test]
    fn ignores_other_lines_and_empty_stamps() {
        assert_eq!(read_stamp("title: x\n"), None);
        assert_eq!(read_stamp("# translated_from: \"0123456789abcdef\"\n"), None);
        assert_eq!(read_stamp("  translated_from: \"0123456789abcdef\"\n"), None, "nested keys are not the stamp");
        assert_eq!(read_stamp("translated_fromage: x\n"), None);
        assert_eq!(read_stamp("translated_from: \"\"\n"), None);
        assert_eq!(read_stamp("translated_from: \"abc\n").as_deref(), Some("abc"), "an unclosed quote keeps the text");
    }

    const STAMP: &str = "0123456789abcdef";

    #[test]
    fn set_stamp_adds_the_line_at_the_end_of_the_front_matter() {
        let out = set_stamp("---\ntitle: x\n---\nBody\n---\nmore\n", STAMP).unwrap();
        assert_eq!(out, "---\ntitle: x\ntranslated_from: \"0123456789abcdef\"\n---\nBody\n---\nmore\n");
        let empty = set_stamp("---\n---\n", STAMP).unwrap();
        assert_eq!(empty, "---\ntranslated_from: \"0123456789abcdef\"\n---\n");
    }

    #[test]
    fn set_stamp_replaces_the_line_in_place_and_keeps_the_rest() {
        let text =
            "---\ntitle: x # the title\ntranslated_from: \"ffffffffffffffff\"  # made in May\nslug: y\n---\nBody";
        let out = set_stamp(text, STAMP).unwrap();
        assert_eq!(
            out,
            "---\ntitle: x # the title\ntranslated_from: \"0123456789abcdef\"  # made in May\nslug: y\n---\nBody"
        );
        let bare = set_stamp("---\ntranslated_from: abc # old\r\n---\n", STAMP).unwrap();
        assert_eq!(bare, "---\ntranslated_from: \"0123456789abcdef\" # old\r\n---\n");
        let twice = set_stamp("---\ntranslated_from: a\ntranslated_from: b\n---\n", STAMP).unwrap();
        assert_eq!(twice, "---\ntranslated_from: \"0123456789abcdef\"\n---\n");
    }

    #[test]
    fn set_stamp_keeps_crlf_and_the_bom() {
        let out = set_stamp("\u{feff}---\r\ntitle: x\r\n---\r\nBody\r\n", STAMP).unwrap();
        assert_eq!(out, "\u{feff}---\r\ntitle: x\r\ntranslated_from: \"0123456789abcdef\"\r\n---\r\nBody\r\n");
        assert_eq!(read_stamp(&out).as_deref(), Some(STAMP));
    }

    #[test]
    fn set_stamp_refuses_files_without_front_matter_and_bad_stamps() {
        assert!(set_stamp("# Title\n", STAMP).is_err());
        assert!(set_stamp("---\ntitle: x\n", STAMP).is_err());
        assert!(set_stamp("", STAMP).is_err());
        assert!(set_stamp("---\n---\n", "\"\nx: y").is_err());
    }
}
