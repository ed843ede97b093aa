//! A row or column of a QR matrix as bits, so that the mask penalty rules (`qr_mask`) look
//! at 64 modules at a time.

/// A row or column of up to `64 × N` modules, bit `x` for module `x`, set for dark. Codes
/// up to version 11 (61 modules, addresses up to about 250 bytes) fit one word: scoring
/// their masks over three words, as version 40's 177 modules need, took three times as long.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) struct Line<const N: usize>(pub(super) [u64; N]);

pub(super) type Lines<const N: usize> = Vec<Line<N>>;

/// Words enough for the widest code, version 40.
pub(super) const WIDEST: usize = 3;

impl<const N: usize> Default for Line<N> {
    fn default() -> Self {
        Line([0; N])
    }
}

impl<const N: usize> Line<N> {
    #[cfg(test)]
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
    pub(super) fn next(self, k: u32) -> Line<N> {
        if k == 0 {
            return self;
        }
        let w = self.0;
        Line(std::array::from_fn(|i| w[i] >> k | w.get(i + 1).map_or(0, |h| h << (64 - k))))
    }
    /// Bit `x` of the result is bit `x - k` of `self` (0 before the start); `k` < 64.
    pub(super) fn previous(self, k: u32) -> Line<N> {
        if k == 0 {
            return self;
        }
        let w = self.0;
        Line(std::array::from_fn(|i| w[i] << k | i.checked_sub(1).map_or(0, |l| w[l] >> (64 - k))))
    }
    /// The first `M` words (`M` ≤ `N`): a line of a wide code's template read as a narrow one.
    pub(super) fn narrow<const M: usize>(self) -> Line<M> {
        Line(std::array::from_fn(|w| self.0[w]))
    }
    pub(super) fn count(self) -> u32 {
        self.0.iter().map(|w| w.count_ones()).sum()
    }
    /// The first `n` bits set.
    pub(super) fn first(n: usize) -> Line<N> {
        Line(std::array::from_fn(|i| {
            let bits = n.saturating_sub(i * 64).min(64);
            if bits == 64 {
                u64::MAX
            } else {
                (1u64 << bits) - 1
            }
        }))
    }
}

impl<const N: usize> std::ops::BitAnd for Line<N> {
    type Output = Line<N>;
    fn bitand(self, o: Line<N>) -> Line<N> {
        Line(std::array::from_fn(|i| self.0[i] & o.0[i]))
    }
}

impl<const N: usize> std::ops::BitOr for Line<N> {
    type Output = Line<N>;
    fn bitor(self, o: Line<N>) -> Line<N> {
        Line(std::array::from_fn(|i| self.0[i] | o.0[i]))
    }
}

impl<const N: usize> std::ops::BitXor for Line<N> {
    type Output = Line<N>;
    fn bitxor(self, o: Line<N>) -> Line<N> {
        Line(std::array::from_fn(|i| self.0[i] ^ o.0[i]))
    }
}

impl<const N: usize> std::ops::Not for Line<N> {
    type Output = Line<N>;
    fn not(self) -> Line<N> {
        Line(std::array::from_fn(|i| !self.0[i]))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_shift_across_their_64_bit_words() {
        let mut l = Line::<3>::default();
        l.set(63);
        l.set(130);
        assert!(l.next(1).get(62) && l.next(3).get(127));
        assert!(l.previous(1).get(64) && l.previous(2).get(132));
        assert_eq!(l.count(), 2);
        let mut one = Line::<1>::default();
        one.set(0);
        one.set(63);
        assert!(one.next(63).get(0) && !one.next(1).get(63) && one.previous(1).get(1) && one.previous(1).count() == 1);
    }
}
