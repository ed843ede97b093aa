//! What the link rules read of a body (its heading anchors and its links), gathered from
//! the events as the render parses them.

use std::collections::HashSet;

use pulldown_cmark::{Event, Tag, TagEnd};

use super::link_url;

/// What the link rules read in a body: the anchors of its headings and every link and
/// image as written (before any resolver rewrote it).
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct BodyLinks {
    pub anchors: HashSet<String>,
    /// A hash of the anchors, whatever their order: what other pages' links depend on.
    pub anchors_hash: u64,
    pub links: Vec<WrittenLink>,
}

/// A link or image as the writer wrote it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WrittenLink {
    pub dest: String,
    pub image: bool,
    /// An image's alternative text.
    pub alt: String,
    /// Byte offset in the body.
    pub offset: usize,
}

/// Reads a body's links and images as its events go by, in the order of the page.
#[derive(Debug, Default)]
pub(super) struct LinkReader {
    links: Vec<WrittenLink>,
    in_image: bool,
}

impl LinkReader {
    /// Whether an image is open: its text is its alternative text, which is read.
    pub(super) fn reading_image(&self) -> bool {
        self.in_image
    }

    /// Takes in `event`, which starts at byte `offset` of the body: a link or an image, or
    /// the text or end of an image.
    pub(super) fn see(&mut self, event: &Event, offset: usize) {
        match event {
            Event::Start(Tag::Link { link_type, dest_url, .. }) => self.links.push(WrittenLink {
                dest: link_url(*link_type, dest_url.clone()).to_string(),
                image: false,
                alt: String::new(),
                offset,
            }),
            Event::Start(Tag::Image { dest_url, .. }) => {
                self.in_image = true;
                self.links.push(WrittenLink { dest: dest_url.to_string(), image: true, alt: String::new(), offset });
            }
            Event::Text(t) | Event::Code(t) if self.in_image => {
                if let Some(last) = self.links.last_mut() {
                    last.alt.push_str(t);
                }
            }
            Event::End(TagEnd::Image) => self.in_image = false,
            _ => {}
        }
    }

    /// What was read, with the anchors of the body's headings.
    pub(super) fn finish(mut self, anchors: HashSet<String>) -> BodyLinks {
        // Kept until the build's link check: no room to spare (a tenth of a large build's heap).
        self.links.shrink_to_fit();
        let anchors_hash = anchors.iter().map(crate::hashing::hash).fold(0, u64::wrapping_add);
        BodyLinks { anchors, anchors_hash, links: self.links }
    }
}
