//! One Markdown file of `content/`, split into front matter and body but not yet
//! interpreted.
//!
//! A one-off build leaves each body on disk once the file is split ([`Reading::BodyOnDisk`])
//! and reads it again when its page is rendered: holding every body for the whole build was
//! half of its memory (79 of 161 MB at 10,000 pages, heaptrack). A body read again is
//! checked against the file as first read, so a page is never made of a front matter and
//! a body saved at different times. `serve`, `check` and the writers' commands keep bodies.

use std::borrow::Cow;
use std::fs::{File, Metadata};
use std::io::Read;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use std::time::SystemTime;

use super::{frontmatter, MAX_CONTENT_FILE_BYTES};
use crate::diagnostic::Diagnostic;

/// Whether a document keeps its body in memory once the file is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reading {
    KeepBody,
    BodyOnDisk,
}

/// One Markdown file of `content/`, split but not yet interpreted.
#[derive(Debug, Clone)]
pub struct SourceDoc {
    /// Path relative to the project root, for messages: `content/prog/site.en.md`.
    pub path: PathBuf,
    /// The programme folder the file is in, `None` at the top of `content/`.
    pub folder: Option<String>,
    /// File name without language and extension: `_index`, `alloggi-erp`.
    pub stem: String,
    pub lang: String,
    /// The file's text, BOM removed: all of it, or only its head (the front matter and its
    /// fences) when the body was left on disk.
    text: String,
    front: Range<usize>,
    pub front_line: usize,
    /// The body's place in the whole text: it runs to the end.
    body: Range<usize>,
    pub body_line: usize,
    /// Where the body is read again from when `text` holds only the head.
    on_disk: Option<OnDisk>,
    /// The body's ASCII letters and digits: two bodies with the same words have as many, so
    /// the check for an untranslated page reads again only the pairs that agree.
    letters: usize,
    /// Hashes of the whole text and of the body, made on first use: serve's caches key on them.
    stamps: OnceLock<(u64, u64)>,
}

/// The file a body was left in, as it was when first read.
#[derive(Debug, Clone)]
struct OnDisk {
    file: PathBuf,
    len: u64,
    modified: Option<SystemTime>,
}

impl SourceDoc {
    /// Reads `file`, shown in messages as `shown`.
    pub fn read(
        file: &Path,
        shown: &Path,
        (folder, stem, lang): (Option<String>, String, String),
        reading: Reading,
    ) -> Result<SourceDoc, Diagnostic> {
        let (text, meta) = read_text(file, shown)?;
        let mut doc = SourceDoc::parse(shown.to_path_buf(), folder, stem, lang, text)?;
        if reading == Reading::BodyOnDisk {
            doc.text.truncate(doc.body.start);
            doc.text.shrink_to_fit();
            doc.on_disk = Some(OnDisk { file: file.to_path_buf(), len: meta.len(), modified: meta.modified().ok() });
        }
        Ok(doc)
    }

    /// Builds a document from text already in memory (used by `load` and by tests).
    pub fn parse(
        path: PathBuf,
        folder: Option<String>,
        stem: String,
        lang: String,
        text: String,
    ) -> Result<SourceDoc, Diagnostic> {
        let text = without_bom(text);
        let split = frontmatter::split(&text).map_err(|e| match e {
            frontmatter::SplitError::NoFrontMatter => Diagnostic::error("the file has no front matter")
                .in_file(&path)
                .at(1, 1, Some(&text))
                .with_hint("start the file with a line `---`, the fields (title: ...), and another line `---`"),
            frontmatter::SplitError::Unclosed => Diagnostic::error("the front matter is never closed")
                .in_file(&path)
                .at(1, 1, Some(&text))
                .with_hint("add a line with only `---` after the last field"),
        })?;
        let base = text.as_ptr() as usize;
        let front_start = split.front.as_ptr() as usize - base;
        let body_start = split.body.as_ptr() as usize - base;
        Ok(SourceDoc {
            front: front_start..front_start + split.front.len(),
            front_line: split.front_line,
            body: body_start..text.len(),
            body_line: split.body_line,
            letters: ascii_alphanumerics(split.body.as_bytes()),
            path,
            folder,
            stem,
            lang,
            text,
            on_disk: None,
            stamps: OnceLock::new(),
        })
    }

    pub fn front(&self) -> &str {
        &self.text[self.front.clone()]
    }

    /// The text up to the body: the front matter and its fences, always in memory; enough
    /// for the snippet of a finding in the front matter.
    pub fn head(&self) -> &str {
        &self.text[..self.body.start]
    }

    /// The head's text before and after the front matter: its opening and closing fences.
    pub fn fences(&self) -> (&str, &str) {
        (&self.text[..self.front.start], &self.text[self.front.end..self.body.start])
    }

    /// The body, read again from the file when it was left there.
    pub fn body(&self) -> Result<Cow<'_, str>, Diagnostic> {
        match &self.on_disk {
            None => Ok(Cow::Borrowed(&self.text[self.body.clone()])),
            Some(disk) => {
                // Only the body is new: the head was checked against the text first read.
                let mut bytes = self.read_again(disk)?;
                bytes.drain(..self.body.start);
                String::from_utf8(bytes).map(Cow::Owned).map_err(|_| self.changed())
            }
        }
    }

    /// The whole text, BOM removed, read again from the file when the body was left there.
    pub fn text(&self) -> Result<Cow<'_, str>, Diagnostic> {
        match &self.on_disk {
            None => Ok(Cow::Borrowed(&self.text)),
            Some(disk) => String::from_utf8(self.read_again(disk)?).map(Cow::Owned).map_err(|_| self.changed()),
        }
    }

    /// Whether the two bodies are the same words (as `split_whitespace` cuts them) and have
    /// at least one.
    pub fn same_words(&self, other: &SourceDoc) -> Result<bool, Diagnostic> {
        if self.letters != other.letters {
            return Ok(false);
        }
        let (a, b) = (self.body()?, other.body()?);
        Ok(a.split_whitespace().next().is_some() && a.split_whitespace().eq(b.split_whitespace()))
    }

    /// A hash of the file's path and text: equal stamps, equal files (within one process).
    pub fn stamp(&self) -> u64 {
        self.stamps().0
    }

    /// A hash of the body only: a change of the front matter alone leaves it as it was.
    pub fn body_stamp(&self) -> u64 {
        self.stamps().1
    }

    fn stamps(&self) -> (u64, u64) {
        *self.stamps.get_or_init(|| match self.text() {
            Ok(text) => (crate::hashing::hash(&(&self.path, &text)), crate::hashing::hash(&text[self.body.start..])),
            // Only caches key on stamps, and a file that cannot be read again fails the
            // build that asked: no two files share these.
            Err(_) => (crate::hashing::hash(&(&self.path, "unreadable")), crate::hashing::hash(&(&self.path, 0))),
        })
    }

    fn changed(&self) -> Diagnostic {
        Diagnostic::error("the file changed while the site was being built")
            .in_file(&self.path)
            .with_hint("run the build again once the file is saved")
    }

    /// The file's bytes again, BOM removed, refused unless the file is the one first read:
    /// the same size and time, and the same head.
    fn read_again(&self, disk: &OnDisk) -> Result<Vec<u8>, Diagnostic> {
        let file = File::open(&disk.file).map_err(|_| self.changed())?;
        let meta = file.metadata().map_err(|_| self.changed())?;
        if meta.len() != disk.len || meta.modified().ok() != disk.modified {
            return Err(self.changed());
        }
        let mut bytes = read_to_size(file, disk.len).map_err(|_| self.changed())?;
        if bytes.starts_with(BOM.as_bytes()) {
            bytes.drain(..BOM.len());
        }
        if bytes.len() != self.body.end || !bytes.starts_with(self.head().as_bytes()) {
            return Err(self.changed());
        }
        Ok(bytes)
    }
}

/// How many bytes are ASCII letters or digits. Counted in chunks whose count fits a byte,
/// which the compiler adds many bytes at a time: counting into a `usize` byte by byte
/// was 1.6% of a 5,000-site build.
fn ascii_alphanumerics(bytes: &[u8]) -> usize {
    bytes
        .chunks(255)
        .map(|chunk| chunk.iter().fold(0u8, |n, b| n.wrapping_add(u8::from(b.is_ascii_alphanumeric()))))
        .map(usize::from)
        .sum()
}

/// The text without its byte-order mark.
fn without_bom(mut text: String) -> String {
    if text.starts_with(BOM) {
        text.drain(..BOM.len());
    }
    text
}

/// The byte-order mark some editors on Windows put first.
const BOM: &str = "\u{feff}";

/// The first `len` bytes of `file`: the size its metadata gave, no more. That is one read
/// call where the system allows, and none to find the end (one call less for each of
/// 10,000 pages), never more than a page may be. A file saved meanwhile has another time,
/// which a build sees (`read_again`) and `serve` answers with a new build.
fn read_to_size(file: File, len: u64) -> std::io::Result<Vec<u8>> {
    let mut bytes = Vec::with_capacity(usize::try_from(len).unwrap_or(0));
    file.take(len).read_to_end(&mut bytes)?;
    Ok(bytes)
}

/// A file's text and its metadata, taken from the same open file.
fn read_text(file: &Path, shown: &Path) -> Result<(String, Metadata), Diagnostic> {
    let cannot = |e: std::io::Error| Diagnostic::error(format!("cannot read the file: {e}")).in_file(shown);
    let f = File::open(file).map_err(cannot)?;
    let meta = f.metadata().map_err(cannot)?;
    if meta.len() > MAX_CONTENT_FILE_BYTES {
        return Err(Diagnostic::error(format!(
            "the file is {:.1} MiB, larger than the {} MiB a page may be",
            meta.len() as f64 / (1024.0 * 1024.0),
            MAX_CONTENT_FILE_BYTES / (1024 * 1024)
        ))
        .in_file(shown)
        .with_hint("split the page, or move large data out of content/"));
    }
    let bytes = read_to_size(f, meta.len()).map_err(cannot)?;
    let text = String::from_utf8(bytes).map_err(|e| {
        let good = &e.as_bytes()[..e.utf8_error().valid_up_to()];
        let line = good.iter().filter(|b| **b == b'\n').count() + 1;
        let col = good.iter().rev().take_while(|b| **b != b'\n').count() + 1;
        Diagnostic::error("the file is not valid UTF-8 text")
            .in_file(shown)
            .at(line, col, None)
            .with_hint("save the file as UTF-8 (in Word or your editor: Save as, Encoding: UTF-8)")
    })?;
    Ok((text, meta))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn letters_and_digits_are_counted_across_chunks() {
        let text = "Sede 5000 – l'archivio è aperto. ".repeat(40);
        let expected = text.bytes().filter(u8::is_ascii_alphanumeric).count();
        assert!(text.len() > 3 * 255, "several chunks");
        assert_eq!(ascii_alphanumerics(text.as_bytes()), expected);
        assert_eq!(ascii_alphanumerics(&[b'a'; 255]), 255);
        assert_eq!(ascii_alphanumerics(b""), 0);
    }

    fn on_disk(dir: &Path, text: &str) -> (PathBuf, SourceDoc) {
        let file = dir.join("page.it.md");
        std::fs::write(&file, text).unwrap();
        let names = (None, "page".to_string(), "it".to_string());
        let doc = SourceDoc::read(&file, Path::new("content/page.it.md"), names, Reading::BodyOnDisk).unwrap();
        (file, doc)
    }

    #[test]
    fn a_body_left_on_disk_is_read_again_as_it_was() {
        let dir = tempfile::tempdir().unwrap();
        let (_, doc) = on_disk(dir.path(), "\u{feff}---\ntitle: A\n---\nThe body.\n");
        assert_eq!(doc.head(), "---\ntitle: A\n---\n");
        assert_eq!(doc.front(), "title: A\n");
        assert_eq!(doc.body().unwrap(), "The body.\n");
        assert_eq!(doc.text().unwrap(), "---\ntitle: A\n---\nThe body.\n");
        let kept = SourceDoc::parse(doc.path.clone(), None, "page".into(), "it".into(), doc.text().unwrap().into());
        assert_eq!(doc.stamp(), kept.as_ref().unwrap().stamp(), "a stamp does not depend on where the body is");
        assert_eq!(doc.body_stamp(), kept.unwrap().body_stamp());
    }

    #[test]
    fn a_body_changed_after_the_first_read_is_refused_not_mixed_with_the_old_front_matter() {
        let dir = tempfile::tempdir().unwrap();
        for later in ["---\ntitle: A\n---\nAnother body.\n", "---\ntitle: B\n---\nThe body.\n", ""] {
            let (file, doc) = on_disk(dir.path(), "---\ntitle: A\n---\nThe body.\n");
            std::fs::write(&file, later).unwrap();
            let e = doc.body().unwrap_err();
            assert!(e.message.contains("changed while the site was being built"), "{e:?}");
            assert_eq!(e.path.as_deref(), Some(Path::new("content/page.it.md")));
        }
        let (file, doc) = on_disk(dir.path(), "---\ntitle: A\n---\nThe body.\n");
        std::fs::remove_file(file).unwrap();
        assert!(doc.text().is_err(), "a file deleted since is refused");
    }

    #[test]
    fn same_words_ignores_spacing_and_needs_a_word() {
        let dir = tempfile::tempdir().unwrap();
        let doc = |body: &str| {
            SourceDoc::parse("p.md".into(), None, "p".into(), "it".into(), format!("---\nt: 1\n---\n{body}")).unwrap()
        };
        assert!(doc("Ciao  mondo\n").same_words(&doc("Ciao\nmondo")).unwrap());
        assert!(doc("Ciao\u{a0}mondo").same_words(&doc("Ciao mondo")).unwrap(), "no-break space is a space");
        assert!(!doc("Ciao mondo").same_words(&doc("Ciao mondi")).unwrap());
        assert!(!doc("  \n").same_words(&doc("")).unwrap(), "an empty body is not untranslated");
        let (_, on_disk) = on_disk(dir.path(), "---\ntitle: A\n---\nCiao mondo\n");
        assert!(on_disk.same_words(&doc("Ciao mondo")).unwrap());
    }
}
