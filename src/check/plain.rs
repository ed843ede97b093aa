//! Plain language: a readability score for each page in each language, and its longest
//! sentences, for readers aged 18–28 often reading on a phone.
//!
//! The text is the page's body as rendered, without markup: text and inline code, each
//! heading, list item, table cell and paragraph a block; a sentence ends at `.`, `!`, `?`
//! or `…` followed by a space, or at the end of a block. A word is a run of letters and
//! digits (`l'OLP` is two words); its letters are its characters.
//!
//! - Italian: the Gulpease index, 89 + (300 × sentences − 10 × letters) / words (Lucisano
//!   and Piemontese, 1988). Under 80 is hard for readers with elementary schooling, under
//!   60 for lower secondary, under 40 for upper secondary.
//! - English: Flesch reading ease, 206.835 − 1.015 × words / sentences − 84.6 × syllables /
//!   words, syllables counted by a heuristic: groups of vowels (a, e, i, o, u, y) in the
//!   word, one less for a final silent `e` (not `-le`), at least one.
//!
//! Other languages have no formula here: they are listed as skipped.

use pulldown_cmark::{Event, Parser, Tag, TagEnd};
use serde::Serialize;

use crate::config::Config;
use crate::diagnostic::{Diagnostic, Kind};
use crate::load::SourceDoc;
use crate::model::Brochure;

/// The score of one page in one language.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PageScore {
    pub path: String,
    pub lang: String,
    /// `gulpease` or `flesch`.
    pub formula: &'static str,
    /// Rounded to one decimal.
    pub score: f64,
    pub sentences: usize,
    pub words: usize,
    /// The longest sentences, longest first (at most three).
    pub longest: Vec<SentenceLength>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SentenceLength {
    pub line: usize,
    pub words: usize,
}

/// The plain-language report of a site.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Report {
    pub pages: Vec<PageScore>,
    /// Languages of the site with no formula.
    pub skipped_languages: Vec<String>,
    #[serde(skip)]
    pub findings: Vec<Diagnostic>,
}

/// Counts of a text, and where its sentences start.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Counts {
    pub sentences: Vec<SentenceLength>,
    pub words: usize,
    pub letters: usize,
    pub syllables: usize,
}

impl Counts {
    pub fn gulpease(&self) -> Option<f64> {
        let (s, w) = (self.sentences.len() as f64, self.words as f64);
        (self.words > 0).then(|| 89.0 + (300.0 * s - 10.0 * self.letters as f64) / w)
    }

    pub fn flesch(&self) -> Option<f64> {
        let (s, w) = (self.sentences.len() as f64, self.words as f64);
        (self.words > 0 && s > 0.0).then(|| 206.835 - 1.015 * (w / s) - 84.6 * (self.syllables as f64 / w))
    }
}

/// Scores every published page and reports pages under the threshold and long sentences.
pub fn review(b: &Brochure, config: &Config) -> Report {
    let rules = &config.plain_language;
    let mut report = Report::default();
    let home = b.home.versions.iter().map(|v| (v.translated, b.doc(v)));
    let pages = b.pages.iter().flat_map(|p| p.versions.iter().map(|v| (v.translated, b.doc(v))));
    let programmes = b.programmes.iter().flat_map(|p| p.entry.versions.iter().map(|v| (v.translated, b.doc(v))));
    let sites = b
        .programmes
        .iter()
        .flat_map(|p| p.sites.iter())
        .flat_map(|s| s.versions.iter().map(|v| (v.translated, b.doc(v))));
    // Published versions with a file of their own (an untranslated one shows its source's).
    let mut docs: Vec<&SourceDoc> =
        home.chain(pages).chain(programmes).chain(sites).filter(|(t, _)| *t).filter_map(|(_, d)| d).collect();
    docs.dedup_by(|a, b| a.path == b.path);
    docs.sort_by(|a, b| a.path.cmp(&b.path));
    docs.dedup_by(|a, b| a.path == b.path);
    for doc in docs {
        let formula = match doc.lang.split('-').next() {
            Some("it") => "gulpease",
            Some("en") => "flesch",
            _ => {
                if !report.skipped_languages.contains(&doc.lang) {
                    report.skipped_languages.push(doc.lang.clone());
                }
                continue;
            }
        };
        let text = match doc.text() {
            Ok(text) => text,
            Err(e) => {
                report.findings.push(e);
                continue;
            }
        };
        let counts = count(doc, &text);
        let (score, minimum) = match formula {
            "gulpease" => (counts.gulpease(), rules.gulpease_min),
            _ => (counts.flesch(), rules.flesch_min),
        };
        let Some(score) = score else { continue };
        let score = (score * 10.0).round() / 10.0;
        let path = doc.path.display().to_string().replace('\\', "/");
        if score < minimum {
            let name = if formula == "gulpease" { "Gulpease index" } else { "Flesch reading ease" };
            report.findings.push(
                Diagnostic::warning(format!("this page is hard to read: {name} {score}, under {minimum}"))
                    .of_kind(Kind::HardToRead)
                    .in_file(&doc.path)
                    .at(doc.body_line, 1, Some(&text))
                    .with_hint("shorter sentences and shorter, everyday words raise the score (see \"Plain language\" in the README)"),
            );
        }
        for s in counts.sentences.iter().filter(|s| s.words > rules.max_sentence_words) {
            report.findings.push(
                Diagnostic::warning(format!(
                    "this sentence has {} words, more than {} ({name} of the page: {score})",
                    s.words,
                    rules.max_sentence_words,
                    name = if formula == "gulpease" { "Gulpease" } else { "Flesch" }
                ))
                .of_kind(Kind::LongSentence)
                .in_file(&doc.path)
                .at(s.line, 1, Some(&text))
                .with_hint("split it in two or three sentences: readers on a phone lose the thread of long ones"),
            );
        }
        let mut longest = counts.sentences.clone();
        longest.sort_by(|a, b| b.words.cmp(&a.words).then(a.line.cmp(&b.line)));
        longest.truncate(3);
        report.pages.push(PageScore {
            path,
            lang: doc.lang.clone(),
            formula,
            score,
            sentences: counts.sentences.len(),
            words: counts.words,
            longest,
        });
    }
    report
}

/// The counts of a page's rendered body; sentence lines are the file's. `text` is the
/// document's whole text (see [`SourceDoc::text`]).
pub fn count(doc: &SourceDoc, text: &str) -> Counts {
    let body = &text[doc.head().len()..];
    let line_of = |offset: usize| doc.body_line + body[..offset.min(body.len())].matches('\n').count();
    let mut counts = Counts::default();
    // The current sentence: its words and the offset of its first word.
    let mut sentence: Option<(usize, usize)> = None;
    let close = |counts: &mut Counts, sentence: &mut Option<(usize, usize)>| {
        if let Some((words, at)) = sentence.take() {
            counts.sentences.push(SentenceLength { line: line_of(at), words });
        }
    };
    let mut in_code_block = false;
    let mut pending_end = false;
    for (event, range) in Parser::new_ext(body, crate::render::markdown::options()).into_offset_iter() {
        let text = match &event {
            Event::Start(Tag::CodeBlock(_) | Tag::HtmlBlock) => {
                in_code_block = true;
                continue;
            }
            Event::End(TagEnd::CodeBlock | TagEnd::HtmlBlock) => {
                in_code_block = false;
                continue;
            }
            Event::End(TagEnd::Paragraph | TagEnd::Heading(_) | TagEnd::Item | TagEnd::TableCell) => {
                close(&mut counts, &mut sentence);
                continue;
            }
            Event::Text(t) | Event::Code(t) if !in_code_block => t.clone(),
            Event::SoftBreak | Event::HardBreak => " ".into(),
            _ => continue,
        };
        // Offsets are approximate inside a text with entities; lines stay right.
        let mut word = String::new();
        for (i, c) in text.char_indices() {
            // A `.` ends a sentence when a space follows, maybe in the next event (smart
            // punctuation makes `...` an event of its own).
            if std::mem::take(&mut pending_end) && c.is_whitespace() {
                close(&mut counts, &mut sentence);
            }
            if c.is_alphanumeric() {
                if word.is_empty() {
                    let s = sentence.get_or_insert((0, range.start + i));
                    s.0 += 1;
                }
                word.push(c);
                continue;
            }
            if !word.is_empty() {
                counts.words += 1;
                counts.letters += word.chars().count();
                counts.syllables += syllables(&word);
                word.clear();
            }
            pending_end = matches!(c, '.' | '!' | '?' | '…');
        }
        if !word.is_empty() {
            counts.words += 1;
            counts.letters += word.chars().count();
            counts.syllables += syllables(&word);
        }
    }
    close(&mut counts, &mut sentence);
    counts
}

/// English syllables by the heuristic of the module's comment.
pub fn syllables(word: &str) -> usize {
    let w = word.to_lowercase();
    let vowel = |c: char| matches!(c, 'a' | 'e' | 'i' | 'o' | 'u' | 'y');
    let mut groups = 0;
    let mut previous = false;
    for c in w.chars() {
        let v = vowel(c);
        if v && !previous {
            groups += 1;
        }
        previous = v;
    }
    if w.ends_with('e') && !w.ends_with("le") && groups > 1 {
        groups -= 1;
    }
    groups.max(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(lang: &str, body: &str) -> SourceDoc {
        let text = format!("---\ntitle: x\n---\n{body}");
        SourceDoc::parse("content/x.md".into(), None, "x".into(), lang.into(), text).unwrap()
    }

    fn count_of(doc: &SourceDoc) -> Counts {
        count(doc, &doc.text().unwrap())
    }

    #[test]
    fn gulpease_of_a_small_italian_text_matches_the_hand_count() {
        // "Il gatto dorme. Il cane corre." 2 sentences, 6 words (Il gatto dorme Il cane corre),
        // 2+5+5+2+4+5 = 23 letters: 89 + (300 × 2 − 10 × 23) / 6 = 89 + 370 / 6 = 150.67.
        let c = count_of(&doc("it", "Il gatto dorme. Il cane corre.\n"));
        assert_eq!((c.sentences.len(), c.words, c.letters), (2, 6, 23));
        assert!((c.gulpease().unwrap() - 150.666).abs() < 0.01);
        // A heading and a list item are sentences of their own; l'OLP is two words.
        // "Obiettivi" (9) / "Lavorare con l'OLP" (8+3+1+3 = 15): 5 words, 24 letters, 2 sentences:
        // 89 + (600 − 240) / 5 = 161.
        let c = count_of(&doc("it", "## Obiettivi\n\n- Lavorare con **l'OLP**\n"));
        assert_eq!((c.sentences.len(), c.words, c.letters), (2, 5, 24));
        assert!((c.gulpease().unwrap() - 161.0).abs() < 0.01);
    }

    #[test]
    fn flesch_of_small_english_texts_matches_the_hand_count() {
        // "The cat sat on the mat." 1 sentence, 6 words, 6 syllables:
        // 206.835 − 1.015 × 6 − 84.6 × 1 = 116.145.
        let c = count_of(&doc("en", "The cat sat on the mat.\n"));
        assert!((c.flesch().unwrap() - 116.145).abs() < 0.001);
        // "Volunteers welcome residents." vol-un-teers 3, wel-come 2 (silent e), res-i-dents 3:
        // 206.835 − 1.015 × 3 − 84.6 × 8 / 3 = 206.835 − 3.045 − 225.6 = −21.81.
        let c = count_of(&doc("en", "Volunteers welcome residents.\n"));
        assert_eq!(c.syllables, 8);
        assert!((c.flesch().unwrap() + 21.81).abs() < 0.001);
        assert_eq!(syllables("table"), 2);
    }

    #[test]
    fn sentences_know_their_line_and_abbreviations_inside_words_do_not_end_them() {
        let c = count_of(&doc("it", "Primo.\n\nSecondo con Informa...MI e 8.30 ancora\nsulla riga dopo. Terzo.\n"));
        let lines: Vec<(usize, usize)> = c.sentences.iter().map(|s| (s.line, s.words)).collect();
        // The file's body starts on line 4. "8.30" is two words (8, 30): 11 in the second.
        assert_eq!(lines, [(4, 1), (6, 11), (7, 1)]);
    }
}
