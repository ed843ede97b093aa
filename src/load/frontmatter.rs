//! Splitting a Markdown file into its YAML front matter and its body, keeping line numbers
//! so that YAML errors point at the line of the file, not of the block.

/// A file's two parts; line numbers are 1-based lines of the whole file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Split<'a> {
    pub front: &'a str,
    /// Line of the file on which the front matter's first line stands.
    pub front_line: usize,
    pub body: &'a str,
    pub body_line: usize,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SplitError {
    /// The file does not start with a `---` line.
    NoFrontMatter,
    /// `---` opens the front matter but no line closes it.
    Unclosed,
}

/// Splits `text` (BOM already removed) at `---` lines; CRLF line endings are accepted.
pub fn split(text: &str) -> Result<Split<'_>, SplitError> {
    let mut lines = line_spans(text);
    let Some((_, first)) = lines.next() else {
        return Err(SplitError::NoFrontMatter);
    };
    if first.trim_end() != "---" {
        return Err(SplitError::NoFrontMatter);
    }
    let front_start = first.len();
    for (n, (offset, line)) in lines.enumerate() {
        let trimmed = line.trim_end();
        if trimmed == "---" || trimmed == "..." {
            let body_start = offset + line.len();
            return Ok(Split {
                front: &text[front_start..offset],
                front_line: 2,
                body: &text[body_start..],
                body_line: n + 3,
            });
        }
    }
    Err(SplitError::Unclosed)
}

/// Lines with their byte offsets, each including its line terminator.
fn line_spans(text: &str) -> impl Iterator<Item = (usize, &str)> {
    let mut offset = 0;
    text.split_inclusive('\n').map(move |line| {
        let start = offset;
        offset += line.len();
        (start, line)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_front_matter_and_body_with_line_numbers() {
        let s = split("---\ntitle: a\nx: 1\n---\n# Body\n").unwrap();
        assert_eq!(s.front, "title: a\nx: 1\n");
        assert_eq!(s.front_line, 2);
        assert_eq!(s.body, "# Body\n");
        assert_eq!(s.body_line, 5);
    }

    #[test]
    fn accepts_crlf_and_a_file_with_only_front_matter() {
        let s = split("---\r\ntitle: a\r\n---").unwrap();
        assert_eq!(s.front, "title: a\r\n");
        assert_eq!(s.body, "");
    }

    #[test]
    fn reports_missing_and_unclosed_front_matter() {
        assert_eq!(split(""), Err(SplitError::NoFrontMatter));
        assert_eq!(split("# Title\n"), Err(SplitError::NoFrontMatter));
        assert_eq!(split("---\ntitle: a\n"), Err(SplitError::Unclosed));
    }

    #[test]
    fn a_horizontal_rule_in_the_body_is_not_a_delimiter() {
        let s = split("---\ntitle: a\n---\ntext\n\n---\n\nmore\n").unwrap();
        assert_eq!(s.body, "text\n\n---\n\nmore\n");
    }
}
