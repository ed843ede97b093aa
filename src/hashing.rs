//! In-process hashes: the keys of serve's caches and the fingerprints they are made of.
//! Never written anywhere, so std's hasher needs no stability across releases.

use std::collections::hash_map::DefaultHasher;
use std::hash::{BuildHasherDefault, Hash, Hasher};

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

/// For maps keyed by such hashes: the key is used as it is.
pub type KeyHashing = BuildHasherDefault<KeyHasher>;

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
