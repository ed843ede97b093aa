//! The record of the PDFs in an output folder: for each, the hash of the HTML document it
//! was printed from. A later build keeps a PDF whose document hashes the same.

use std::collections::BTreeMap;

use crate::hashing::ContentHash;

/// File name of the record, in the output folder beside the site's marker.
pub const RECORD: &str = ".brochure-pdfs";

/// Changes whenever the way documents are printed changes (paper, options, dates), so that
/// PDFs printed the old way are not kept.
const PRINT_SETUP: &str = "print-setup 3";

/// PDF path (inside the output folder) -> what it was printed from ([`made_from`]).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PdfRecord(pub BTreeMap<String, ContentHash>);

impl PdfRecord {
    /// Reads a record; one written by another print setup, or damaged lines, keep nothing.
    pub fn parse(text: &str) -> PdfRecord {
        let mut lines = text.lines().filter(|l| !l.starts_with('#'));
        if lines.next() != Some(PRINT_SETUP) {
            return PdfRecord::default();
        }
        PdfRecord(
            lines
                .filter_map(|l| {
                    let (hash, path) = l.split_once(' ')?;
                    Some((path.to_string(), ContentHash::parse(hash)?))
                })
                .collect(),
        )
    }

    /// The record's text, sorted by path, so that the same PDFs give the same bytes.
    pub fn to_text(&self) -> String {
        let mut out = String::from(
            "# Written by brochure: the PDFs in this folder and the hash of the HTML document each\n# was printed from. A build without --pdf keeps a PDF while its document is unchanged.\n",
        );
        out.push_str(PRINT_SETUP);
        out.push('\n');
        for (path, hash) in &self.0 {
            out.push_str(&format!("{hash} {path}\n"));
        }
        out
    }
}

/// What a PDF is made from, as its record keeps it: the hash of its HTML document and the
/// date it carries (`SOURCE_DATE_EPOCH`), so a PDF is kept only while both are unchanged.
pub fn made_from(html: ContentHash, epoch: i64) -> ContentHash {
    let mut bytes = html.0.to_le_bytes().to_vec();
    bytes.extend(epoch.to_le_bytes());
    ContentHash::of(&bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_record_reads_back_what_it_wrote() {
        let mut record = PdfRecord::default();
        record.0.insert("en/p/s/leaflet.pdf".into(), ContentHash(7));
        record.0.insert("p/booklet.pdf".into(), ContentHash(u64::MAX));
        assert_eq!(PdfRecord::parse(&record.to_text()), record);
    }

    #[test]
    fn a_record_of_another_print_setup_keeps_nothing() {
        let old = "print-setup 1\n0000000000000007 p/booklet.pdf\n";
        assert_eq!(PdfRecord::parse(old), PdfRecord::default());
        assert_eq!(PdfRecord::parse(""), PdfRecord::default());
        let damaged = format!("{PRINT_SETUP}\nnot-a-hash p/booklet.pdf\n0000000000000007 p/leaflets.pdf\n");
        assert_eq!(PdfRecord::parse(&damaged).0.len(), 1, "damaged lines are skipped");
    }
}
