//! Heading anchors: every heading without an explicit `{#id}` gets one from its text,
//! unique in the page.

use std::collections::{HashMap, HashSet};

/// The anchors given so far in one page.
#[derive(Debug, Default)]
pub(super) struct HeadingIds {
    pub(super) used: HashSet<String>,
    /// The next suffix to try per base: without it, the n-th repeat of a heading would try
    /// n - 1 taken suffixes first (quadratic: 16,000 identical headings took 12 s).
    next_suffix: HashMap<String, usize>,
}

impl HeadingIds {
    /// The anchor of the next heading, whose `{#id}` is `explicit` and whose text is `text`.
    pub(super) fn next(&mut self, explicit: Option<&str>, text: &str) -> String {
        let base = explicit.map_or_else(|| anchor(text), str::to_string);
        let id = if self.used.contains(&base) {
            // Suffixes below the stored one were taken when tried, and stay taken.
            let n = self.next_suffix.entry(base.clone()).or_insert(1);
            loop {
                let candidate = format!("{base}-{n}");
                *n += 1;
                if !self.used.contains(&candidate) {
                    break candidate;
                }
            }
        } else {
            base
        };
        self.used.insert(id.clone());
        id
    }
}

/// An anchor from heading text: lower case, letters and digits, hyphens between words.
pub fn anchor(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut push = |c: char| {
        if c.is_alphanumeric() {
            out.push(c);
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    };
    for c in text.chars() {
        // Most headings are ASCII, whose lower case is one character.
        if c.is_ascii() {
            push(c.to_ascii_lowercase());
        } else {
            c.to_lowercase().for_each(&mut push);
        }
    }
    out.truncate(out.trim_end_matches('-').len());
    if out.is_empty() {
        "section".into()
    } else {
        out
    }
}
