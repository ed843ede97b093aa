//! Findings about the user's files: what is wrong, where, and how to fix it.
//!
//! Every stage (load, model, render) reports problems as [`Diagnostic`]s instead of
//! stopping at the first one, so a writer sees all their mistakes in one run.

use std::fmt;
use std::path::{Path, PathBuf};

/// How bad a finding is: errors stop the build, warnings do not.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

/// What a finding is about. Code that filters, orders or folds findings decides on this,
/// never on the message text. New kinds go here, grouped by the stage that finds them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// Not classified yet.
    #[default]
    Other,
    // The files of content/.
    /// A content file that cannot be read or split (encoding, front-matter fences, file name).
    UnreadableFile,
    /// A file that looks like a page but would not be read as one (`x.it.MD`, `x.it.md.bak`).
    NotAPage,
    /// Two files for one page in one language (`x.md` beside `x.it.md`).
    SamePageTwice,
    /// A translation whose original (default-language file) is missing.
    OrphanTranslation,
    /// Two outputs at one path, or a file where a folder must be.
    OutputClash,
    // The theme.
    /// A template that does not compile or fails while rendering a page.
    TemplateError,
    // Facts.
    /// A translation states a language-neutral fact differently from its original.
    TranslationDisagrees,
    /// A fact that cannot be true (a week of 9 days, 0 volunteers).
    ImpossibleFact,
    // Links in Markdown.
    BrokenLink,
    MissingAnchor,
    ImageWithoutAlt,
    // Translations report.
    MissingTranslation,
    DraftTranslation,
    StaleTranslation,
    /// A published translation whose text is its original's, word for word.
    UntranslatedText,
    ProgrammeNotTranslated,
    // Plain language (`check` only; advice, which `--strict` leaves a warning).
    /// A page whose readability score is under the threshold of config.yaml.
    HardToRead,
    /// A sentence longer than config.yaml's `max_sentence_words`.
    LongSentence,
    // Translators' XLIFF files (`brochure translate import`).
    /// An XLIFF file that cannot be read or does not fit the project (language, notes).
    BadXliff,
    /// A unit or page of an XLIFF file that the project does not have (any more).
    UnknownUnit,
    /// A translated unit whose placeholders were lost, added, repeated or moved.
    PlaceholderMismatch,
    // config.yaml.
    /// `base_url` is a reserved example domain or this computer.
    PlaceholderAddress,
    // Printing.
    /// A PDF that was asked for and could not be made (Chromium missing, stopped or failed).
    PdfNotMade,
}

/// One finding, located in a file when the location is known.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Diagnostic {
    pub severity: Severity,
    pub kind: Kind,
    /// Path as the user would type it (relative to the project root).
    pub path: Option<PathBuf>,
    /// 1-based line and column in the file.
    pub line: Option<usize>,
    pub column: Option<usize>,
    pub message: String,
    /// What to do about it.
    pub hint: Option<String>,
    /// The offending line's text, shown under the location.
    pub snippet: Option<String>,
}

impl Diagnostic {
    pub fn error(message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            kind: Kind::Other,
            path: None,
            line: None,
            column: None,
            message: message.into(),
            hint: None,
            snippet: None,
        }
    }

    pub fn warning(message: impl Into<String>) -> Self {
        Diagnostic { severity: Severity::Warning, ..Diagnostic::error(message) }
    }

    pub fn of_kind(mut self, kind: Kind) -> Self {
        self.kind = kind;
        self
    }

    /// The same finding as an error: `--strict` makes every warning one.
    pub fn as_error(mut self) -> Self {
        self.severity = Severity::Error;
        self
    }

    pub fn in_file(mut self, path: impl AsRef<Path>) -> Self {
        self.path = Some(path.as_ref().to_path_buf());
        self
    }

    /// Locates the finding at `line`:`column` and, given the file's text, keeps the line for display.
    pub fn at(mut self, line: usize, column: usize, text: Option<&str>) -> Self {
        self.line = Some(line);
        self.column = Some(column.max(1));
        self.snippet =
            text.and_then(|t| t.lines().nth(line.saturating_sub(1))).map(|l| l.trim_end_matches('\r').to_string());
        self
    }

    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// Renders the finding rustc-style; `color` adds ANSI colours for terminals.
    pub fn render(&self, color: bool) -> String {
        let paint = |code: &str, s: &str| {
            if color {
                format!("\x1b[{code}m{s}\x1b[0m")
            } else {
                s.to_string()
            }
        };
        let (label, code) = match self.severity {
            Severity::Error => ("error", "1;31"),
            Severity::Warning => ("warning", "1;33"),
        };
        let mut out = format!("{}: {}\n", paint(code, label), paint("1", &self.message));
        let gutter = self.line.map_or(0, |l| l.to_string().len());
        let pad = " ".repeat(gutter.max(1));
        if let Some(path) = &self.path {
            let mut loc = path.display().to_string().replace('\\', "/");
            if let Some(line) = self.line {
                loc.push_str(&format!(":{line}:{}", self.column.unwrap_or(1)));
            }
            out.push_str(&format!("{pad}{} {loc}\n", paint("1;34", "-->")));
        }
        if let (Some(line), Some(snippet)) = (self.line, &self.snippet) {
            let bar = paint("1;34", "|");
            let col = self.column.unwrap_or(1);
            let caret_pad: String = snippet.chars().take(col - 1).map(|c| if c == '\t' { '\t' } else { ' ' }).collect();
            out.push_str(&format!("{pad} {bar}\n"));
            out.push_str(&format!("{} {bar} {snippet}\n", paint("1;34", &line.to_string())));
            out.push_str(&format!("{pad} {bar} {caret_pad}{}\n", paint(code, "^")));
        }
        if let Some(hint) = &self.hint {
            out.push_str(&format!("{pad} = {}: {hint}\n", paint("1", "help")));
        }
        out
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.render(false))
    }
}

/// The closest candidate to `word` by edit distance, when it is close enough to be a likely typo.
pub fn did_you_mean<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let limit = (word.chars().count() / 3).max(2);
    candidates.into_iter().map(|c| (edit_distance(word, c), c)).filter(|(d, _)| *d <= limit).min().map(|(_, c)| c)
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != *cb);
            cur[j + 1] = (prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_the_closest_key_for_a_typo() {
        let keys = ["volunteers", "address", "title"];
        assert_eq!(did_you_mean("volunters", keys), Some("volunteers"));
        assert_eq!(did_you_mean("adress", keys), Some("address"));
        assert_eq!(did_you_mean("zzzzzzzz", keys), None);
    }

    #[test]
    fn renders_location_snippet_and_hint_like_rustc() {
        let text = "---\ntitle: x\nvolunters: 1\n---\n";
        let d = Diagnostic::error("unknown field `volunters`")
            .in_file("content/p/a.it.md")
            .at(3, 1, Some(text))
            .with_hint("did you mean `volunteers`?");
        let out = d.render(false);
        let expected = "\
error: unknown field `volunters`
 --> content/p/a.it.md:3:1
  |
3 | volunters: 1
  | ^
  = help: did you mean `volunteers`?
";
        assert_eq!(out, expected);
    }
}
