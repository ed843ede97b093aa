//! Percent-encoding of addresses: decoding request paths and query strings, and encoding
//! the non-ASCII letters of slugs where plain ASCII is required (sitemaps).

/// Decodes `%XX` escapes, and `+` as a space when `plus_is_space` (query strings); `None`
/// when an escape is malformed or the result is not UTF-8.
pub fn decode(s: &str, plus_is_space: bool) -> Option<String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'%' => {
                let hex = std::str::from_utf8(bytes.get(i + 1..i + 3)?).ok()?;
                out.push(u8::from_str_radix(hex, 16).ok()?);
                i += 3;
            }
            b'+' if plus_is_space => {
                out.push(b' ');
                i += 1;
            }
            b => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8(out).ok()
}

/// Escapes every character that is not printable ASCII, byte by byte of its UTF-8.
pub fn encode_non_ascii(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if c.is_ascii() && !c.is_ascii_whitespace() && !c.is_ascii_control() {
            out.push(c);
        } else {
            let mut buf = [0u8; 4];
            for b in c.encode_utf8(&mut buf).bytes() {
                out.push_str(&format!("%{b:02X}"));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_paths_and_query_strings() {
        assert_eq!(decode("capacit%C3%A0", false).as_deref(), Some("capacità"));
        assert_eq!(decode("a+b%2B", true).as_deref(), Some("a b+"));
        assert_eq!(decode("a+b", false).as_deref(), Some("a+b"));
        assert_eq!(decode("%zz", false), None);
        assert_eq!(decode("%C3", false), None, "not UTF-8");
    }

    #[test]
    fn non_ascii_is_encoded() {
        assert_eq!(encode_non_ascii("https://e.org/città/"), "https://e.org/citt%C3%A0/");
    }
}
