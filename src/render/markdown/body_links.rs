//! What the link rules read of a body (its heading anchors and its links), gathered from
//! the events the render parses anyway.

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

pub(super) fn read_links(events: &[Event], starts: &[usize], headings: Vec<(u8, String, String)>) -> BodyLinks {
    let mut starts = starts.iter().copied();
    let mut links: Vec<WrittenLink> = Vec::new();
    let mut in_image = false;
    for event in events {
        match event {
            Event::Start(Tag::Link { link_type, dest_url, .. }) => links.push(WrittenLink {
                dest: link_url(*link_type, dest_url.clone()).to_string(),
                image: false,
                alt: String::new(),
                offset: starts.next().unwrap_or(0),
            }),
            Event::Start(Tag::Image { dest_url, .. }) => {
                in_image = true;
                let offset = starts.next().unwrap_or(0);
                links.push(WrittenLink { dest: dest_url.to_string(), image: true, alt: String::new(), offset });
            }
            Event::Text(t) | Event::Code(t) if in_image => {
                if let Some(last) = links.last_mut() {
                    last.alt.push_str(t);
                }
            }
            Event::End(TagEnd::Image) => in_image = false,
            _ => {}
        }
    }
    // Kept until the build's link check: no room to spare (a tenth of a large build's heap).
    links.shrink_to_fit();
    let anchors: HashSet<String> = headings.into_iter().map(|(_, id, _)| id).collect();
    let anchors_hash = anchors.iter().map(crate::hashing::hash).fold(0, u64::wrapping_add);
    BodyLinks { anchors, anchors_hash, links }
}
