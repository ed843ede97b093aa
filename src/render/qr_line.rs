//! A row or column of a QR matrix as bits, so that the mask penalty rules (`qr_mask`) look
//! at 64 modules at a time.

/// A row or column of up to 192 modules (version 40 has 177), bit `x` for module `x`, set
/// for dark: the penalty rules then look at 64 modules at a time.
#[derive(Clone, Copy, Default, PartialEq, Eq)]
pub(super) struct Line(pub(super) [u64; 3]);

pub(super) type Lines = Vec<Line>;

impl Line {
    pub(super) fn get(self, x: usize) -> bool {
        self.0[x / 64] >> (x % 64) & 1 == 1
    }
    pub(super) fn set(&mut self, x: usize) {
        self.0[x / 64] |= 1 << (x % 64);
    }
    pub(super) fn clear(&mut self, x: usize) {
        self.0[x / 64] &= !(1 << (x % 64));
    }
    /// Bit `x` of the result is bit `x + k` of `self` (0 past the end); `k` < 64.
    pub(super) fn next(self, k: u32) -> Line {
        let w = self.0;
        if k == 0 {
            return self;
        }
        Line([w[0] >> k | w[1] << (64 - k), w[1] >> k | w[2] << (64 - k), w[2] >> k])
    }
    /// Bit `x` of the result is bit `x - k` of `self` (0 before the start); `k` < 64.
    pub(super) fn previous(self, k: u32) -> Line {
        let w = self.0;
        if k == 0 {
            return self;
        }
        Line([w[0] << k, w[1] << k | w[0] >> (64 - k), w[2] << k | w[1] >> (64 - k)])
    }
    pub(super) fn count(self) -> u32 {
        self.0.iter().map(|w| w.count_ones()).sum()
    }
    /// The first `n` bits set.
    pub(super) fn first(n: usize) -> Line {
        let mut line = Line::default();
        for (i, w) in line.0.iter_mut().enumerate() {
            let bits = n.saturating_sub(i * 64).min(64);
            *w = if bits == 64 { u64::MAX } else { (1u64 << bits) - 1 };
        }
        line
    }
}

impl std::ops::BitAnd for Line {
    type Output = Line;
    fn bitand(self, o: Line) -> Line {
        Line([self.0[0] & o.0[0], self.0[1] & o.0[1], self.0[2] & o.0[2]])
    }
}

impl std::ops::BitOr for Line {
    type Output = Line;
    fn bitor(self, o: Line) -> Line {
        Line([self.0[0] | o.0[0], self.0[1] | o.0[1], self.0[2] | o.0[2]])
    }
}

impl std::ops::BitXor for Line {
    type Output = Line;
    fn bitxor(self, o: Line) -> Line {
        Line([self.0[0] ^ o.0[0], self.0[1] ^ o.0[1], self.0[2] ^ o.0[2]])
    }
}

impl std::ops::Not for Line {
    type Output = Line;
    fn not(self) -> Line {
        Line([!self.0[0], !self.0[1], !self.0[2]])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_shift_across_their_64_bit_words() {
        let mut l = Line::default();
        l.set(63);
        l.set(130);
        assert!(l.next(1).get(62) && l.next(3).get(127));
        assert!(l.previous(1).get(64) && l.previous(2).get(132));
        assert_eq!(l.count(), 2);
    }
}
