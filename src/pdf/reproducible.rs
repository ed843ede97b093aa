//! Reproducible PDFs: Chromium stamps each PDF with the time it was printed (and a PDF may
//! carry a random document ID). Both are overwritten in place with values of the same
//! length, so the cross-reference offsets stay true and the file stays valid.

use crate::hashing::ContentHash;

/// The date written into every PDF: `SOURCE_DATE_EPOCH` when set (reproducible-builds.org),
/// else the Unix epoch, so that two builds of the same content give the same bytes.
pub fn source_date_epoch() -> i64 {
    std::env::var("SOURCE_DATE_EPOCH").ok().and_then(|s| s.trim().parse().ok()).unwrap_or(0)
}

#[derive(Debug, PartialEq, Eq)]
pub enum Unexpected {
    /// No `trailer` with `/Info n 0 R`, or no such object (a layout Chromium does not write today).
    NoInfoDictionary,
    /// A date not in the `D:YYYYMMDDHHmmSS` form, whose length could not be kept.
    DateForm,
}

/// Replaces the document's creation and modification dates with `epoch` and any document
/// ID with one derived from the content; the length of the file does not change.
pub fn normalise(pdf: &mut [u8], epoch: i64) -> Result<(), Unexpected> {
    let trailer = rfind(pdf, b"trailer").ok_or(Unexpected::NoInfoDictionary)?;
    let info = object_number_after(&pdf[trailer..], b"/Info").ok_or(Unexpected::NoInfoDictionary)?;
    let start = find(pdf, format!("\n{info} 0 obj").as_bytes()).ok_or(Unexpected::NoInfoDictionary)?;
    let end = start + find(&pdf[start..], b"endobj").ok_or(Unexpected::NoInfoDictionary)?;
    for key in [&b"/CreationDate ("[..], b"/ModDate ("] {
        let Some(at) = find(&pdf[start..end], key) else { continue };
        let value = start + at + key.len();
        let len = pdf[value..end].iter().position(|&b| b == b')').ok_or(Unexpected::DateForm)?;
        let date = pdf_date(epoch, len).ok_or(Unexpected::DateForm)?;
        pdf[value..value + len].copy_from_slice(date.as_bytes());
    }
    normalise_id(pdf, trailer);
    Ok(())
}

/// `/ID [<hex> <hex>]` in the trailer: each string becomes hex digits of a hash of the
/// file (with the ID blanked), of the same length.
fn normalise_id(pdf: &mut [u8], trailer: usize) {
    let Some(at) = find(&pdf[trailer..], b"/ID") else { return };
    let ids_start = trailer + at;
    let Some(close) = pdf[ids_start..].iter().position(|&b| b == b']') else { return };
    let ids = ids_start..ids_start + close;
    let mut inside = false;
    let mut digits = Vec::new();
    for i in ids {
        match pdf[i] {
            b'<' => inside = true,
            b'>' => inside = false,
            c if inside && c.is_ascii_hexdigit() => digits.push(i),
            _ => {}
        }
    }
    for &i in &digits {
        pdf[i] = b'0';
    }
    let hash = ContentHash::of(pdf).to_string();
    for (n, &i) in digits.iter().enumerate() {
        pdf[i] = hash.as_bytes()[n % hash.len()];
    }
}

/// A PDF date of exactly `len` characters: `D:YYYYMMDDHHmmSS` and a UTC zone in the form
/// the original used (`+00'00'` or `Z`).
fn pdf_date(epoch: i64, len: usize) -> Option<String> {
    let days = epoch.div_euclid(86_400);
    let secs = epoch.rem_euclid(86_400);
    let (y, m, d) = civil_from_days(days);
    let base = format!("D:{y:04}{m:02}{d:02}{:02}{:02}{:02}", secs / 3600, secs / 60 % 60, secs % 60);
    let zone = match len.checked_sub(base.len())? {
        0 => "",
        1 => "Z",
        7 => "+00'00'",
        8 => "+00'00''",
        _ => return None,
    };
    Some(base + zone).filter(|s| s.len() == len)
}

/// Days since 1970-01-01 to a proleptic Gregorian date (Howard Hinnant's algorithm).
fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (yoe + era * 400 + i64::from(m <= 2), m, d)
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

fn rfind(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).rposition(|w| w == needle)
}

/// `n` in `<key> n 0 R`.
fn object_number_after(bytes: &[u8], key: &[u8]) -> Option<u32> {
    let at = find(bytes, key)? + key.len();
    let rest = std::str::from_utf8(&bytes[at..(at + 24).min(bytes.len())]).ok()?;
    rest.split_whitespace().next()?.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The shape of a Chromium (Skia) PDF: the Info dictionary is object 1, named by the trailer.
    fn skia_like(date: &str, id: &str) -> Vec<u8> {
        format!(
            "%PDF-1.4\n1 0 obj\n<</Title (Leaflet)\n/Producer (Skia/PDF m156)\n/CreationDate (D:{date})\n/ModDate (D:{date})>>\nendobj\n2 0 obj\n<</Type /Catalog>>\nendobj\nxref\n0 3\ntrailer\n<</Size 3\n/Root 2 0 R\n/Info 1 0 R{id}>>\nstartxref\n120\n%%EOF\n"
        )
        .into_bytes()
    }

    #[test]
    fn dates_become_the_source_date_and_the_length_is_kept() {
        let mut a = skia_like("20261202204129+00'00'", "");
        let mut b = skia_like("20270317091501+00'00'", "");
        let len = a.len();
        normalise(&mut a, 1_700_000_000).unwrap();
        normalise(&mut b, 1_700_000_000).unwrap();
        assert_eq!(a.len(), len);
        assert_eq!(a, b, "two prints at different times give the same bytes");
        let text = String::from_utf8(a).unwrap();
        assert!(text.contains("/CreationDate (D:20231114221320+00'00')"), "{text}");
        assert!(text.contains("/ModDate (D:20231114221320+00'00')"));
    }

    #[test]
    fn a_document_id_is_replaced_by_one_derived_from_the_content() {
        let mut a = skia_like("20261202204129+00'00'", "\n/ID [<0123456789abcdef> <fedcba9876543210>]");
        let mut b = skia_like("20261202204129+00'00'", "\n/ID [<a1a1a1a1a1a1a1a1> <b2b2b2b2b2b2b2b2>]");
        normalise(&mut a, 0).unwrap();
        normalise(&mut b, 0).unwrap();
        assert_eq!(a, b);
        assert!(!String::from_utf8_lossy(&a).contains("0123456789abcdef"));
    }

    #[test]
    fn epoch_zero_and_leap_days_are_dated_right() {
        assert_eq!(pdf_date(0, 23).as_deref(), Some("D:19700101000000+00'00'"));
        assert_eq!(pdf_date(951_782_400, 17).as_deref(), Some("D:20000229000000Z"));
        assert_eq!(pdf_date(0, 20), None, "no form of that length");
    }

    #[test]
    fn a_pdf_without_an_info_dictionary_is_reported_not_damaged() {
        let mut pdf = b"%PDF-1.7\n1 0 obj\n<</Type /Catalog>>\nendobj\n%%EOF".to_vec();
        let before = pdf.clone();
        assert_eq!(normalise(&mut pdf, 0), Err(Unexpected::NoInfoDictionary));
        assert_eq!(pdf, before);
    }
}
