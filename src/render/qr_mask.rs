//! The QR matrix of a text, with the mask chosen as the `qrcode` crate chooses it, quickly.
//!
//! The QR standard (ISO/IEC 18004, 7.8) draws the code with each of its 8 mask patterns and
//! keeps the one with the lowest penalty: long runs of one colour, 2×2 blocks, shapes that
//! look like a finder pattern, and an unbalanced share of dark modules all make a code
//! harder to scan. `qrcode::QrCode` does exactly that, but it masks a copy of its canvas
//! module by module through wrapped coordinates, and its scoring allocates a boxed closure
//! for every module of every line: at 10,000 pages that was about 40% of a build's CPU time.
//!
//! This module keeps `qrcode`'s segmenting and error correction, sets the data bits into
//! the version's functional patterns as the crate places them (`qr_template`, made once per
//! version from the crate's canvas), then masks and scores the 8 candidates over lines of
//! bits with the crate's own rules (its readings of the standard included), and writes the
//! format information as the crate does. The matrix is therefore the crate's, module for
//! module: a unit test compares the two over addresses of every size.

use qrcode::canvas::Canvas;
use qrcode::types::QrResult;
use qrcode::{bits, ec, Color, EcLevel, Version};

use super::qr_line::{Line, Lines, WIDEST};
use super::qr_template::{self, Template};

/// A QR code's modules, row by row, each row in `width.div_ceil(64)` words: bit `x % 64` of
/// row `y`'s word `x / 64` is set when module (x, y) is dark ([`super::qr::Code`] keeps them so).
pub struct Matrix {
    pub width: usize,
    pub dark: Vec<u64>,
}

impl Matrix {
    #[cfg(test)]
    pub fn is_dark(&self, x: usize, y: usize) -> bool {
        self.dark[y * self.width.div_ceil(64) + x / 64] >> (x % 64) & 1 == 1
    }
}

/// Where the 15 format bits stand, most significant first, as (x, y) with negative values
/// counted from the far edge: beside the top-left finder, and split between the other two.
const FORMAT_MAIN: [(i16, i16); 15] = [
    (0, 8),
    (1, 8),
    (2, 8),
    (3, 8),
    (4, 8),
    (5, 8),
    (7, 8),
    (8, 8),
    (8, 7),
    (8, 5),
    (8, 4),
    (8, 3),
    (8, 2),
    (8, 1),
    (8, 0),
];
const FORMAT_SIDE: [(i16, i16); 15] = [
    (8, -1),
    (8, -2),
    (8, -3),
    (8, -4),
    (8, -5),
    (8, -6),
    (8, -7),
    (-8, 8),
    (-7, 8),
    (-6, 8),
    (-5, 8),
    (-4, 8),
    (-3, 8),
    (-2, 8),
    (-1, 8),
];

/// The QR code of `data` at error-correction level `ec_level`, in the smallest version that
/// holds it. Fails only when the data does not fit in any version.
pub fn encode(data: &[u8], ec_level: EcLevel) -> QrResult<Matrix> {
    let bits = bits::encode_auto(data, ec_level)?;
    let version = bits.version();
    let (data, ec_data) = ec::construct_codewords(&bits.into_bytes(), version, ec_level)?;
    let Version::Normal(number) = version else {
        // Micro QR has other masks and scores; `encode_auto` never picks it, but stay correct.
        let mut canvas = Canvas::new(version, ec_level);
        canvas.draw_all_functional_patterns();
        canvas.draw_data(&data, &ec_data);
        let width = version.width() as usize;
        let best = canvas.apply_best_mask().into_colors();
        let words = width.div_ceil(64);
        let mut dark = vec![0; width * words];
        for (i, _) in best.iter().enumerate().filter(|(_, c)| **c == Color::Dark) {
            let (x, y) = (i % width, i / width);
            dark[y * words + x / 64] |= 1 << (x % 64);
        }
        return Ok(Matrix { width, dark });
    };
    let template = qr_template::of(number);
    let codewords = data.iter().chain(&ec_data);
    let dark = if template.width <= 64 {
        best_mask::<1>(template, codewords, ec_level)
    } else {
        best_mask::<WIDEST>(template, codewords, ec_level)
    };
    Ok(Matrix { width: template.width, dark })
}

/// The rows of the code whose data and error correction are `codewords`, with the mask of
/// lowest penalty applied, scored in lines of `N` words, each row kept in the words its
/// width needs (see [`Matrix`]).
fn best_mask<'c, const N: usize>(
    template: &Template,
    codewords: impl Iterator<Item = &'c u8>,
    ec_level: EcLevel,
) -> Vec<u64> {
    let width = template.width;
    let narrow = |lines: &[Line<WIDEST>]| -> Lines<N> { lines.iter().map(|l| l.narrow()).collect() };
    // Each module's colour before masking (1 = dark), by rows and by columns: the penalty
    // reads both, and turning each masked candidate's rows into columns module by module
    // was a fifth of the time of a code (49 -> 39 µs, qr-bench). The modules a mask flips
    // are the template's own, read in place.
    let (mut colour, mut colour_t) = (narrow(&template.colour), narrow(&template.colour_t));
    let bits = codewords.flat_map(|&b| (0..8).rev().map(move |j| b >> j & 1 == 1));
    for (&(x, y), _) in template.places.iter().zip(bits).filter(|(_, dark)| *dark) {
        let (x, y) = (usize::from(x), usize::from(y));
        colour[y].set(x);
        colour_t[x].set(y);
    }
    let mut best: Option<(u32, Lines<N>)> = None;
    for mask in 0..8 {
        let rows = masked(&colour, &template.flips, width, mask, ec_level, false);
        let columns = masked(&colour_t, &template.flips_t, width, mask, ec_level, true);
        let score = penalty(&rows, &columns, width);
        // On a tie the first mask wins, as in `qrcode`.
        if best.as_ref().is_none_or(|(lowest, _)| score < *lowest) {
            best = Some((score, rows));
        }
    }
    let rows = best.map(|(_, rows)| rows).unwrap_or_default();
    rows.iter().flat_map(|row| row.0[..width.div_ceil(64)].iter().copied()).collect()
}

/// Whether mask pattern `mask` (0–7, the standard's numbers) flips the module in column `x`,
/// row `y`.
const fn mask_flips(mask: usize, x: usize, y: usize) -> bool {
    match mask {
        0 => (x + y).is_multiple_of(2),
        1 => y.is_multiple_of(2),
        2 => x.is_multiple_of(3),
        3 => (x + y).is_multiple_of(3),
        4 => (y / 2 + x / 3).is_multiple_of(2),
        5 => (x * y) % 2 + (x * y) % 3 == 0,
        6 => ((x * y) % 2 + (x * y) % 3).is_multiple_of(2),
        _ => ((x + y) % 2 + (x * y) % 3).is_multiple_of(2),
    }
}

/// The modules each mask flips in lines 0 to 11 (every mask repeats every 12 rows and every
/// 12 columns): along rows (`false`), bit `x` of line `y`; along columns (`true`), bit `y`
/// of line `x`.
const fn mask_lines(columns: bool) -> [[[u64; 3]; 12]; 8] {
    let mut lines = [[[0; 3]; 12]; 8];
    let mut mask = 0;
    while mask < 8 {
        let mut line = 0;
        while line < 12 {
            let mut i = 0;
            while i < 192 {
                let (x, y) = if columns { (line, i) } else { (i, line) };
                if mask_flips(mask, x, y) {
                    lines[mask][line][i / 64] |= 1 << (i % 64);
                }
                i += 1;
            }
            line += 1;
        }
        mask += 1;
    }
    lines
}

const MASK_ROWS: [[[u64; 3]; 12]; 8] = mask_lines(false);
const MASK_COLUMNS: [[[u64; 3]; 12]; 8] = mask_lines(true);

/// The rows (or, `columns`, the columns: `colour` and `flips` by column) with mask `mask`
/// applied and the format information for it drawn. `flips` are a version's template lines,
/// of which the first `N` words are read.
fn masked<const N: usize>(
    colour: &[Line<N>],
    flips: &[Line<WIDEST>],
    width: usize,
    mask: usize,
    ec_level: EcLevel,
    columns: bool,
) -> Lines<N> {
    let table = if columns { &MASK_COLUMNS } else { &MASK_ROWS };
    let flipped = |i: usize| Line(std::array::from_fn(|w| table[mask][i % 12][w]));
    let mut lines: Lines<N> = (0..width).map(|i| colour[i] ^ (flips[i].narrow() & flipped(i))).collect();
    let format = format_information(ec_level, mask as u16);
    let wrap = |v: i16| if v < 0 { (v + width as i16) as usize } else { v as usize };
    // The line and the place in it of module (x, y).
    let at = |x: i16, y: i16| if columns { (wrap(x), wrap(y)) } else { (wrap(y), wrap(x)) };
    for coords in [&FORMAT_MAIN, &FORMAT_SIDE] {
        for (k, &(x, y)) in coords.iter().enumerate() {
            let (line, i) = at(x, y);
            if (format >> (14 - k)) & 1 == 1 {
                lines[line].set(i);
            } else {
                lines[line].clear(i);
            }
        }
    }
    let (line, i) = at(8, -8); // The dark module beside the bottom-left finder.
    lines[line].set(i);
    lines
}

/// The 15-bit format information (ISO/IEC 18004, 7.9): error-correction level and mask
/// pattern, a BCH(15,5) code, XORed with 101010000010010.
fn format_information(ec_level: EcLevel, mask: u16) -> u16 {
    // The standard's level bits: L 01, M 00, Q 11, H 10.
    let data = (((ec_level as u16) ^ 1) << 3) | mask;
    let mut remainder = data << 10;
    for bit in (10..15).rev() {
        if remainder & (1 << bit) != 0 {
            remainder ^= 0x537 << (bit - 10);
        }
    }
    ((data << 10) | remainder) ^ 0x5412
}

/// The penalty of a masked matrix, as `qrcode` computes it (`compute_total_penalty_scores`):
/// the line rules over the rows and over the columns, the block and balance rules once.
/// `qrcode` also takes off the 9 lines of the three real finder patterns in each direction
/// (2 × 9 × 40): the same for every mask, so left out here.
fn penalty<const N: usize>(rows: &[Line<N>], columns: &[Line<N>], width: usize) -> u32 {
    let inside = Line::first(width);
    let lines = |lines: &[Line<N>]| -> u32 { lines.iter().map(|&l| run_penalty(l, inside) + finder_penalty(l)).sum() };
    let dark: u32 = rows.iter().map(|r| r.count()).sum();
    lines(rows) + lines(columns) + block_penalty(rows, inside) + balance_penalty(dark, width)
}

/// Rule 1: a run of 5 + n modules of one colour in a line costs 3 + n. A run of n ≥ 5 has
/// n − 4 starts of five equal modules, one after the other: the cost is those plus 2 a run.
fn run_penalty<const N: usize>(line: Line<N>, inside: Line<N>) -> u32 {
    // Bit x: module x has the colour of module x + 1 (both inside the line).
    let same = !(line ^ line.next(1)) & inside.next(1);
    let five = same & same.next(1) & same.next(2) & same.next(3);
    let runs = five & !five.previous(1);
    five.count() + 2 * runs.count()
}

/// Rule 2: every 2×2 block of one colour (overlapping ones too) costs 3.
fn block_penalty<const N: usize>(rows: &[Line<N>], inside: Line<N>) -> u32 {
    let pairs = inside.next(1);
    let blocks: u32 = rows
        .windows(2)
        .map(|pair| {
            let (top, bottom) = (pair[0], pair[1]);
            (!(top ^ top.next(1)) & !(top ^ bottom) & !(bottom ^ bottom.next(1)) & pairs).count()
        })
        .sum();
    3 * blocks
}

/// Rule 3: dark-light-dark×3-light-dark (1:1:3:1:1) with no dark module among the 4 modules
/// on at least one side (outside the code counts as light) costs 40.
fn finder_penalty<const N: usize>(line: Line<N>) -> u32 {
    let l = line;
    let pattern = l & !l.next(1) & l.next(2) & l.next(3) & l.next(4) & !l.next(5) & l.next(6);
    let dark_before = l.previous(1) | l.previous(2) | l.previous(3) | l.previous(4);
    let dark_after = l.next(7) | l.next(8) | l.next(9) | l.next(10);
    40 * (pattern & (!dark_before | !dark_after)).count()
}

/// Rule 4: the share of dark modules away from 50%, 2 points per percent (`qrcode` does not
/// round to the standard's 5% steps).
fn balance_penalty(dark: u32, width: usize) -> u32 {
    (dark as usize * 200 / (width * width)).abs_diff(100) as u32
}

#[cfg(test)]
mod tests {
    use super::*;

    fn crate_matrix(text: &str) -> Vec<bool> {
        let code = qrcode::QrCode::with_error_correction_level(text.as_bytes(), EcLevel::M).unwrap();
        code.to_colors().into_iter().map(|c| c == Color::Dark).collect()
    }

    /// Addresses of every length up to 300 bytes (versions 1 to 12), and three up to the
    /// longest of version 40-M. (The crate scores slowly without optimisation: keep it short.)
    fn addresses() -> impl Iterator<Item = String> {
        (0..=30).map(|i| i * 9).chain([600, 1200, 2200]).map(|len: usize| {
            let slug: String = (0..len).map(|k| (b'a' + ((len * 31 + k * 7) % 26) as u8) as char).collect();
            format!("https://www.example.org/programma/{slug}/")
        })
    }

    #[test]
    fn the_matrix_is_the_qrcode_crates_module_for_module() {
        for text in addresses().chain(["", "A", "12345", "https://é.example/ü?q=%20"].map(String::from)) {
            let ours = encode(text.as_bytes(), EcLevel::M).unwrap();
            let w = ours.width;
            let dark: Vec<bool> = (0..w * w).map(|i| ours.is_dark(i % w, i / w)).collect();
            assert_eq!(dark, crate_matrix(&text), "{text}");
            assert_eq!(ours.dark.len(), w * w.div_ceil(64), "a row is the words its width needs");
        }
    }

    /// The matrix test above catches a wrong column only when it changes which mask wins:
    /// the masked columns must be the masked rows turned, for every mask and every width,
    /// in lines of one word (widths up to 64) and of three.
    #[test]
    fn each_candidates_columns_are_its_rows_turned() {
        for version in 1..=40 {
            let width = 17 + 4 * version;
            if width <= 64 {
                check_columns_are_rows_turned::<1>(width);
            }
            check_columns_are_rows_turned::<WIDEST>(width);
        }
    }

    fn check_columns_are_rows_turned<const N: usize>(width: usize) {
        let mut seed = 0x9E37_79B9_7F4A_7C15u64 ^ width as u64;
        let mut bit = || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed & 1 == 1
        };
        let (mut colour, mut flips) = (vec![Line::<N>::default(); width], vec![Line::<WIDEST>::default(); width]);
        let (mut colour_t, mut flips_t) = (vec![Line::<N>::default(); width], vec![Line::<WIDEST>::default(); width]);
        for y in 0..width {
            for x in 0..width {
                if bit() {
                    colour[y].set(x);
                    colour_t[x].set(y);
                }
                if bit() {
                    flips[y].set(x);
                    flips_t[x].set(y);
                }
            }
        }
        for mask in 0..8 {
            let rows = masked(&colour, &flips, width, mask, EcLevel::M, false);
            let columns = masked(&colour_t, &flips_t, width, mask, EcLevel::M, true);
            for (x, column) in columns.iter().enumerate() {
                for y in 0..64 * N {
                    let turned = rows.get(y).is_some_and(|row| row.get(x));
                    assert_eq!(column.get(y), turned, "width {width}, mask {mask}, module ({x}, {y})");
                }
            }
        }
    }

    #[test]
    fn too_long_data_is_an_error_not_a_panic() {
        assert!(encode(&[b'x'; 3000], EcLevel::M).is_err());
    }

    /// A line from `#` (dark) and `.` (light).
    fn line(s: &str) -> Line<WIDEST> {
        let mut line = Line::default();
        s.bytes().enumerate().filter(|(_, c)| *c == b'#').for_each(|(x, _)| line.set(x));
        line
    }

    #[test]
    fn rule_1_counts_runs_of_five_and_more_to_the_end_of_the_line() {
        let run = |s: &str| run_penalty(line(s), Line::first(s.len()));
        assert_eq!(run("####."), 0);
        assert_eq!(run("#####."), 3);
        assert_eq!(run("#......."), 5, "a light run of 7 at the end");
        assert_eq!(run("#####.....######"), 3 + 3 + 4, "runs of 5, 5 and 6 side by side");
    }

    #[test]
    fn rule_3_needs_four_light_modules_on_one_side() {
        assert_eq!(finder_penalty(line("#.###.#")), 40, "the edge of the code is light");
        assert_eq!(finder_penalty(line("#...#.###.#...#")), 0);
        assert_eq!(finder_penalty(line("#...#.###.#....")), 40);
    }
}
