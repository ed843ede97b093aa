//! A Markdown body as translators see it: the blocks of text (paragraphs, headings, list
//! items, table cells), each split into text to translate and Markdown to keep. The Markdown
//! (emphasis marks, a link's target, inline code, a list marker inside a block) becomes a
//! numbered placeholder, so a translator can neither break nor change it.
//!
//! Pieces are slices of the source text, so putting a block's pieces back together gives
//! the source byte for byte.

use std::ops::Range;

use pulldown_cmark::{Event, Parser, Tag, TagEnd};

/// A part of a block: text to translate, or Markdown to keep.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Piece {
    Text(String),
    /// Markdown that stays as it is; numbered from 1 in the block's order.
    Markup(String),
}

/// One block of text of a body, where it is and what it is made of.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Block {
    /// Byte range of the block's text in the body (list markers and `#`s outside it).
    pub range: Range<usize>,
    pub pieces: Vec<Piece>,
}

impl Block {
    /// The Markdown of the block's placeholders, in order.
    pub fn markup(&self) -> Vec<&str> {
        self.pieces
            .iter()
            .filter_map(|p| match p {
                Piece::Markup(m) => Some(m.as_str()),
                Piece::Text(_) => None,
            })
            .collect()
    }
}

/// A block being collected: the span of its inline events and its text ranges.
struct Collecting {
    span: Option<Range<usize>>,
    text: Vec<Range<usize>>,
}

/// The blocks of text of `body`, in order. Code blocks and HTML blocks are not text.
pub fn blocks(body: &str) -> Vec<Block> {
    let mut found: Vec<Collecting> = Vec::new();
    // The block each inline event belongs to: `None` inside code or HTML blocks and containers.
    let mut stack: Vec<Option<usize>> = Vec::new();
    for (event, range) in Parser::new_ext(body, crate::render::markdown::options()).into_offset_iter() {
        match &event {
            Event::Start(tag) if is_block(tag) => {
                let leaf = matches!(tag, Tag::Paragraph | Tag::Heading { .. } | Tag::Item | Tag::TableCell);
                stack.push(leaf.then(|| {
                    found.push(Collecting { span: None, text: Vec::new() });
                    found.len() - 1
                }));
            }
            Event::End(end) if is_block_end(end) => {
                stack.pop();
            }
            _ => {
                let Some(Some(i)) = stack.last() else { continue };
                let block = &mut found[*i];
                block.span = Some(match block.span.take() {
                    Some(s) => s.start.min(range.start)..s.end.max(range.end),
                    None => range.clone(),
                });
                if matches!(event, Event::Text(_) | Event::SoftBreak) {
                    match block.text.last_mut() {
                        Some(last) if last.end == range.start => last.end = range.end,
                        _ => block.text.push(range),
                    }
                }
            }
        }
    }
    found.into_iter().filter_map(|c| split(body, c)).collect()
}

/// The block's pieces; `None` when it has no text to translate.
fn split(body: &str, c: Collecting) -> Option<Block> {
    let span = c.span?;
    if !c.text.iter().any(|r| body[r.clone()].chars().any(char::is_alphanumeric)) {
        return None;
    }
    let mut pieces = Vec::new();
    let mut at = span.start;
    for r in c.text {
        if r.start > at {
            pieces.push(Piece::Markup(body[at..r.start].to_string()));
        }
        pieces.push(Piece::Text(body[r.clone()].to_string()));
        at = r.end;
    }
    if span.end > at {
        pieces.push(Piece::Markup(body[at..span.end].to_string()));
    }
    Some(Block { range: span, pieces })
}

fn is_block(tag: &Tag) -> bool {
    !matches!(
        tag,
        Tag::Emphasis
            | Tag::Strong
            | Tag::Strikethrough
            | Tag::Superscript
            | Tag::Subscript
            | Tag::Link { .. }
            | Tag::Image { .. }
    )
}

fn is_block_end(end: &TagEnd) -> bool {
    !matches!(
        end,
        TagEnd::Emphasis
            | TagEnd::Strong
            | TagEnd::Strikethrough
            | TagEnd::Superscript
            | TagEnd::Subscript
            | TagEnd::Link
            | TagEnd::Image
    )
}

/// A part of a translated block as the translator returned it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TargetPiece {
    Text(String),
    /// A placeholder by its number.
    Placeholder(String),
}

/// What is wrong with the placeholders of a translated block.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PlaceholderError {
    #[error("placeholder {id} (`{markup}`) is missing from the translation")]
    Lost { id: usize, markup: String },
    #[error("placeholder `{id}` is not in the source")]
    Unknown { id: String },
    #[error("placeholder {id} appears more than once")]
    Twice { id: usize },
    #[error("the placeholders are in the order {found}, but must stay in the source's order {expected}")]
    Reordered { found: String, expected: String },
}

/// The translated block's Markdown: the translator's text with each placeholder replaced by
/// `markup` (the Markdown of placeholder n at index n - 1). Placeholders must all be there,
/// once each, in order: moved Markdown would pair emphasis marks or link brackets wrongly.
pub fn rebuild(target: &[TargetPiece], markup: &[&str]) -> Result<String, PlaceholderError> {
    let mut order = Vec::new();
    for piece in target {
        if let TargetPiece::Placeholder(id) = piece {
            let n = id.parse::<usize>().ok().filter(|n| (1..=markup.len()).contains(n));
            let n = n.ok_or_else(|| PlaceholderError::Unknown { id: id.clone() })?;
            if order.contains(&n) {
                return Err(PlaceholderError::Twice { id: n });
            }
            order.push(n);
        }
    }
    if let Some(id) = (1..=markup.len()).find(|n| !order.contains(n)) {
        return Err(PlaceholderError::Lost { id, markup: markup[id - 1].to_string() });
    }
    if order.windows(2).any(|w| w[0] > w[1]) {
        let list = |v: &mut dyn Iterator<Item = usize>| v.map(|n| n.to_string()).collect::<Vec<_>>().join(", ");
        return Err(PlaceholderError::Reordered {
            found: list(&mut order.iter().copied()),
            expected: list(&mut (1..=markup.len())),
        });
    }
    Ok(target
        .iter()
        .map(|p| match p {
            TargetPiece::Text(t) => t.as_str(),
            TargetPiece::Placeholder(id) => id.parse::<usize>().map_or("", |n| markup[n - 1]),
        })
        .collect())
}

/// `pieces` as a translated block: its text and numbered placeholders.
pub fn as_target(pieces: &[Piece]) -> Vec<TargetPiece> {
    let mut n = 0;
    pieces
        .iter()
        .map(|p| match p {
            Piece::Text(t) => TargetPiece::Text(t.clone()),
            Piece::Markup(_) => {
                n += 1;
                TargetPiece::Placeholder(n.to_string())
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shown(b: &Block) -> String {
        let mut n = 0;
        b.pieces
            .iter()
            .map(|p| match p {
                Piece::Text(t) => t.clone(),
                Piece::Markup(m) => {
                    n += 1;
                    format!("<{n}:{m}>")
                }
            })
            .collect()
    }

    #[test]
    fn inline_markdown_becomes_placeholders_and_structure_stays_outside() {
        let body = "## Il contesto\n\n**WeMi** è un [progetto](https://x.it/a \"t\") con `codice`.\n\n- uno;\n- *due*\n\n```\nnot text\n```\n\n![Una foto](foto.jpg)\n";
        let found: Vec<String> = blocks(body).iter().map(shown).collect();
        assert_eq!(
            found,
            [
                "Il contesto",
                "<1:**>WeMi<2:**> è un <3:[>progetto<4:](https://x.it/a \"t\")> con <5:`codice`>.",
                "uno;",
                "<1:*>due<2:*>",
                "<1:![>Una foto<2:](foto.jpg)>",
            ]
        );
    }

    #[test]
    fn pieces_put_back_together_are_the_source() {
        let body = "Una riga\ncontinua qui, con \\*stelle\\* e &amp; entità.\n\n1. primo\n2. secondo\n";
        for b in blocks(body) {
            let joined: String = b
                .pieces
                .iter()
                .map(|p| match p {
                    Piece::Text(t) | Piece::Markup(t) => t.as_str(),
                })
                .collect();
            assert_eq!(joined, &body[b.range.clone()]);
        }
    }

    #[test]
    fn placeholders_must_all_be_there_in_order() {
        let markup = ["**", "**"];
        let t = |s: &str| TargetPiece::Text(s.into());
        let x = |s: &str| TargetPiece::Placeholder(s.into());
        assert_eq!(rebuild(&[x("1"), t("WeMi"), x("2"), t(" is")], &markup).unwrap(), "**WeMi** is");
        assert_eq!(rebuild(&[x("1"), t("WeMi")], &markup), Err(PlaceholderError::Lost { id: 2, markup: "**".into() }));
        assert_eq!(
            rebuild(&[x("2"), t("WeMi"), x("1")], &markup),
            Err(PlaceholderError::Reordered { found: "2, 1".into(), expected: "1, 2".into() })
        );
        assert_eq!(rebuild(&[x("1"), x("3"), x("2")], &markup), Err(PlaceholderError::Unknown { id: "3".into() }));
        assert_eq!(rebuild(&[x("1"), x("1"), x("2")], &markup), Err(PlaceholderError::Twice { id: 1 }));
    }
}
