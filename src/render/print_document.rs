//! The documents printed to PDF as the render sees them: what each is printed from (one
//! hash), where its PDF lands, and which PDFs the pages link.

use std::collections::HashSet;
use std::sync::Arc;

use super::qr;
use crate::config::BaseUrl;
use crate::hashing::ContentHash;

/// A document printed to PDF (a leaflet, a booklet, all leaflets of a programme), rendered
/// as HTML with its CSS inline: its hash is a fingerprint of everything the PDF shows. (The
/// QR codes it links are files, each drawn from an address the document prints in full.)
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PrintDocument {
    /// The HTML file inside the output folder: `programme/site/leaflet.html`.
    pub html: Arc<str>,
    pub source: ContentHash,
}

/// What a PDF is printed from, as one hash: its document's text, and what draws the QR codes
/// the document links. Those are files, each drawn from the site's address and the path the
/// document names, so the hash takes in the address and a code drawn now: a new address or a
/// new way of drawing codes prints the PDF again, even where the document's text is the same
/// (a theme that does not print the address under the code).
#[derive(Debug, Clone, Copy)]
pub struct PrintFingerprint(ContentHash);

impl PrintFingerprint {
    /// Draws one code (about 20 µs): make it once a build.
    pub fn new(base: &BaseUrl) -> PrintFingerprint {
        let probe = qr::svg(&base.absolute("")).unwrap_or_default();
        PrintFingerprint(ContentHash::of(base.to_string().as_bytes()).then(b"\0").then(probe.as_bytes()))
    }

    /// The hash of a print document whose HTML is `html`.
    pub fn of(self, html: &[u8]) -> ContentHash {
        self.0.then(b"\0").then(html)
    }
}

impl PrintDocument {
    /// The PDF beside the HTML file: `programme/site/leaflet.pdf`.
    pub fn pdf(&self) -> String {
        pdf_path(&self.html)
    }
}

pub(super) fn pdf_path(html: &str) -> String {
    format!("{}.pdf", html.strip_suffix(".html").unwrap_or(html))
}

/// The PDFs the output folder will hold, by path: pages link a document's PDF when it is
/// here and its HTML version otherwise.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PdfLinks(pub HashSet<String>);

/// Decides, once the print documents are rendered and before the pages that link them,
/// which PDFs the output will hold (printed now, or kept from the previous build).
pub type PdfDecision<'a> = dyn Fn(&[PrintDocument]) -> PdfLinks + Sync + 'a;
