//! In-process hashes: the keys of serve's caches and the fingerprints they are made of.
//! Never written anywhere, so std's hasher needs no stability across releases; the one
//! fingerprint that is written, [`ContentHash`], has a fixed algorithm.

mod serialize;

use std::collections::hash_map::DefaultHasher;
use std::hash::{BuildHasherDefault, Hash, Hasher};

pub use serialize::hash_serialized;

/// The hash of one value (a tuple hashes its parts in order).
pub fn hash<T: Hash + ?Sized>(value: &T) -> u64 {
    hash_with(|h| value.hash(h))
}

/// The hash of what `f` feeds the hasher, for values made piece by piece.
pub fn hash_with(f: impl FnOnce(&mut DefaultHasher)) -> u64 {
    let mut h = DefaultHasher::new();
    f(&mut h);
    h.finish()
}

/// A map keyed by such hashes: the key is used as it is, not hashed again. Only a `u64`
/// key can be: the hasher keeps the last number written, so a key of several parts (a
/// tuple) would collide, and did (a (job, language) index took 3 s to fill at 50,000 sites).
pub type KeyMap<V> = std::collections::HashMap<u64, V, KeyHashing>;

type KeyHashing = BuildHasherDefault<KeyHasher>;

/// The hasher of [`KeyMap`]: public only because the map's type names it.
#[derive(Default)]
pub struct KeyHasher(u64);

impl Hasher for KeyHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 = self.0.rotate_left(8) ^ u64::from(*b);
        }
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }
}

/// A fingerprint of a file's bytes that is written to disk and compared by later builds
/// (the PDF carry-forward), so unlike [`hash`] its algorithm is fixed: 64-bit FNV-1a.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ContentHash(pub u64);

impl ContentHash {
    pub fn of(bytes: &[u8]) -> ContentHash {
        ContentHash(0xcbf2_9ce4_8422_2325).then(bytes)
    }

    /// The hash of what was hashed so far followed by `bytes` (FNV-1a goes on byte by byte).
    pub fn then(self, bytes: &[u8]) -> ContentHash {
        let mut h = self.0;
        for &b in bytes {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0000_0100_0000_01b3);
        }
        ContentHash(h)
    }

    /// Reads the 16 hex digits written by `Display`.
    pub fn parse(hex: &str) -> Option<ContentHash> {
        (hex.len() == 16).then(|| u64::from_str_radix(hex, 16).ok()).flatten().map(ContentHash)
    }
}

impl std::fmt::Display for ContentHash {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:016x}", self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn content_hashes_are_fnv1a_and_read_back() {
        // Reference values of 64-bit FNV-1a: a changed algorithm would orphan every recorded PDF.
        assert_eq!(ContentHash::of(b""), ContentHash(0xcbf2_9ce4_8422_2325));
        assert_eq!(ContentHash::of(b"a"), ContentHash(0xaf63_dc4c_8601_ec8c));
        let h = ContentHash::of(b"<html>leaflet</html>");
        assert_eq!(ContentHash::parse(&h.to_string()), Some(h));
        assert_eq!(ContentHash::parse("xyz"), None);
    }
}
