//! The thresholds of `check`'s plain-language report, as config.yaml's `plain_language:` sets them.

use serde::Deserialize;

/// Below these scores, or above this sentence length, `check` warns (see `check::plain`).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct PlainLanguage {
    /// Lowest Gulpease index of an Italian page.
    pub gulpease_min: f64,
    /// Lowest Flesch reading ease of an English page.
    pub flesch_min: f64,
    /// Most words in one sentence.
    pub max_sentence_words: usize,
}

// Scores are compared as written: two thresholds are the same when their bits are.
impl PartialEq for PlainLanguage {
    fn eq(&self, other: &Self) -> bool {
        self.gulpease_min.to_bits() == other.gulpease_min.to_bits()
            && self.flesch_min.to_bits() == other.flesch_min.to_bits()
            && self.max_sentence_words == other.max_sentence_words
    }
}

impl Eq for PlainLanguage {}

impl std::hash::Hash for PlainLanguage {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        (self.gulpease_min.to_bits(), self.flesch_min.to_bits(), self.max_sentence_words).hash(state);
    }
}

impl Default for PlainLanguage {
    fn default() -> Self {
        PlainLanguage { gulpease_min: 50.0, flesch_min: 50.0, max_sentence_words: 35 }
    }
}
