//! `.brochure-manifest.json`, kept on the host: every file brochure put there, with the
//! hash of its content. It is how a publish knows what changed without reading the host's
//! files back, and the list of what brochure may delete (nothing else, ever).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::hashing::ContentHash;

/// The manifest's name in the published folder.
pub const MANIFEST: &str = ".brochure-manifest.json";

/// Written by this version; a manifest of a later format is refused rather than misread.
const FORMAT: u32 = 1;

/// What one published file was, when it was sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sent {
    pub hash: ContentHash,
    pub bytes: u64,
}

/// Path (`en/index.html`) -> what was sent; `None` for a file whose upload began but is not
/// known to have finished (written before the uploads, so an interrupted publish still
/// lists it: the next one sends it again, or deletes it if the site no longer has it).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Manifest {
    pub files: BTreeMap<String, Option<Sent>>,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct OnDisk {
    brochure_manifest: u32,
    files: BTreeMap<String, Entry>,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Entry {
    /// 16 hex digits of [`ContentHash`], or empty while the upload is unfinished.
    hash: String,
    bytes: u64,
}

impl Manifest {
    /// Reads a manifest; the error says what is wrong, for a message naming the host.
    pub fn parse(bytes: &[u8]) -> Result<Manifest, String> {
        let disk: OnDisk = serde_json::from_slice(bytes).map_err(|e| e.to_string())?;
        if disk.brochure_manifest != FORMAT {
            return Err(format!("it is of format {}, this brochure reads format {FORMAT}", disk.brochure_manifest));
        }
        let mut files = BTreeMap::new();
        for (path, entry) in disk.files {
            if !is_site_path(&path) {
                return Err(format!("it lists `{path}`, which is not a path inside the site"));
            }
            let sent = ContentHash::parse(&entry.hash).map(|hash| Sent { hash, bytes: entry.bytes });
            files.insert(path, sent);
        }
        Ok(Manifest { files })
    }

    /// The manifest as written: sorted keys, one file a line, so the same site gives the same bytes.
    pub fn to_bytes(&self) -> Vec<u8> {
        let files = self
            .files
            .iter()
            .map(|(path, sent)| {
                let entry = match sent {
                    Some(s) => Entry { hash: s.hash.to_string(), bytes: s.bytes },
                    None => Entry { hash: String::new(), bytes: 0 },
                };
                (path.clone(), entry)
            })
            .collect();
        let mut out = serde_json::to_vec_pretty(&OnDisk { brochure_manifest: FORMAT, files }).unwrap_or_default();
        out.push(b'\n');
        out
    }
}

/// A relative path of plain names: what a manifest on a server may list, so that a
/// tampered manifest cannot make brochure delete `../../elsewhere`.
pub fn is_site_path(path: &str) -> bool {
    !path.is_empty()
        && path != MANIFEST
        && path.split('/').all(|part| !part.is_empty() && part != "." && part != ".." && !part.contains('\\'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn manifests_read_back_what_was_written() {
        let mut m = Manifest::default();
        m.files.insert("en/index.html".into(), Some(Sent { hash: ContentHash::of(b"x"), bytes: 1 }));
        m.files.insert("new.css".into(), None);
        assert_eq!(Manifest::parse(&m.to_bytes()).unwrap(), m);
    }

    #[test]
    fn a_manifest_cannot_reach_outside_the_site() {
        for bad in ["../x", "a/../../b", "/etc/passwd", "a//b", ".brochure-manifest.json", "a\\..\\b"] {
            let text = format!(
                r#"{{"brochure_manifest":1,"files":{{"{}":{{"hash":"","bytes":0}}}}}}"#,
                bad.replace('\\', "\\\\")
            );
            assert!(Manifest::parse(text.as_bytes()).is_err(), "{bad} accepted");
        }
        assert!(Manifest::parse(br#"{"brochure_manifest":2,"files":{}}"#).is_err());
        assert!(Manifest::parse(b"not json").is_err());
    }
}
