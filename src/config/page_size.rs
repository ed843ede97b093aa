//! `page_size:` in config.yaml: how many cards (sites, or programmes on the home page) one
//! page of a list shows.

use std::fmt;

use serde::de::{self, Visitor};
use serde::{Deserialize, Deserializer};

/// Cards per page of a list (all sites, a programme's sites, a requirement's or an
/// obligation's sites, the programmes of the home page); a list with more is split into
/// numbered pages. At least 1.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct PageSize(usize);

impl PageSize {
    pub fn get(self) -> usize {
        self.0
    }

    /// How many pages a list of `cards` takes: one at least, so an empty list still has its page.
    pub fn pages(self, cards: usize) -> usize {
        cards.div_ceil(self.0).max(1)
    }
}

impl Default for PageSize {
    /// About 50 cards: a first page of the all-sites list stays near 100 KB of HTML.
    fn default() -> Self {
        PageSize(50)
    }
}

impl<'de> Deserialize<'de> for PageSize {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = PageSize;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a whole number of cards per page, 1 or more")
            }
            fn visit_u64<E: de::Error>(self, n: u64) -> Result<PageSize, E> {
                match usize::try_from(n) {
                    Ok(n) if n > 0 => Ok(PageSize(n)),
                    _ => Err(E::invalid_value(de::Unexpected::Unsigned(n), &self)),
                }
            }
            fn visit_i64<E: de::Error>(self, n: i64) -> Result<PageSize, E> {
                match u64::try_from(n) {
                    Ok(n) => self.visit_u64(n),
                    Err(_) => Err(E::invalid_value(de::Unexpected::Signed(n), &self)),
                }
            }
        }
        d.deserialize_u64(V)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_list_takes_as_many_pages_as_its_sites_need_and_at_least_one() {
        let size = PageSize(50);
        assert_eq!([0, 1, 50, 51, 100, 101].map(|n| size.pages(n)), [1, 1, 1, 2, 2, 3]);
    }
}
