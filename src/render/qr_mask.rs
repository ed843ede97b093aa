//! The QR matrix of a text, with the mask chosen as the `qrcode` crate chooses it, scored
//! quickly.
//!
//! The QR standard (ISO/IEC 18004, 7.8.3) draws the code with each of its 8 mask patterns
//! and keeps the one with the lowest penalty: long runs of one colour, 2×2 blocks, shapes
//! that look like a finder pattern, and an unbalanced share of dark modules all make a code
//! harder to scan. `qrcode::QrCode` does exactly that, but its scoring allocates a boxed
//! closure for every module of every line and reads each module through bounds-checked,
//! wrapped coordinates: at 10,000 pages it was about 40% of a build's CPU time.
//!
//! This module keeps everything else of `qrcode` (segmenting, error correction, the
//! functional patterns, data placement, the masks and the format information), and
//! recomputes the same four penalty rules, with the crate's own readings of the standard,
//! over plain bytes. The matrix is therefore the crate's, module for module: a unit test
//! compares the two over many addresses.

use qrcode::canvas::{Canvas, MaskPattern};
use qrcode::types::QrResult;
use qrcode::{bits, ec, Color, EcLevel, Version};

/// Mask patterns in the order `qrcode` tries them: on a tie the first one wins.
const MASKS: [MaskPattern; 8] = [
    MaskPattern::Checkerboard,
    MaskPattern::HorizontalLines,
    MaskPattern::VerticalLines,
    MaskPattern::DiagonalLines,
    MaskPattern::LargeCheckerboard,
    MaskPattern::Fields,
    MaskPattern::Diamonds,
    MaskPattern::Meadow,
];

/// A QR code's modules, row by row, `true` for dark.
pub struct Matrix {
    pub width: usize,
    pub dark: Vec<bool>,
}

/// The QR code of `data` at error-correction level `ec_level`, in the smallest version that
/// holds it. Fails only when the data does not fit in any version.
pub fn encode(data: &[u8], ec_level: EcLevel) -> QrResult<Matrix> {
    let bits = bits::encode_auto(data, ec_level)?;
    let version = bits.version();
    let (data, ec_data) = ec::construct_codewords(&bits.into_bytes(), version, ec_level)?;
    let mut canvas = Canvas::new(version, ec_level);
    canvas.draw_all_functional_patterns();
    canvas.draw_data(&data, &ec_data);
    let width = version.width() as usize;
    if let Version::Micro(_) = version {
        // Micro QR scores differently; `encode_auto` never picks it, but stay correct.
        return Ok(Matrix { width, dark: dark_modules(canvas.apply_best_mask()) });
    }
    let mut best: Option<(u32, Vec<bool>)> = None;
    for mask in MASKS {
        let mut masked = canvas.clone();
        masked.apply_mask(mask);
        let dark = dark_modules(masked);
        let score = penalty(&dark, width);
        if best.as_ref().is_none_or(|(lowest, _)| score < *lowest) {
            best = Some((score, dark));
        }
    }
    let dark = best.map(|(_, dark)| dark).unwrap_or_default();
    Ok(Matrix { width, dark })
}

fn dark_modules(canvas: Canvas) -> Vec<bool> {
    canvas.into_colors().into_iter().map(|c| c == Color::Dark).collect()
}

/// The penalty of a masked matrix, as `qrcode` computes it (`compute_total_penalty_scores`):
/// the rules run over the rows, then over the columns (a transposed copy).
fn penalty(dark: &[bool], width: usize) -> u32 {
    let mut columns = vec![false; dark.len()];
    for (y, row) in dark.chunks(width).enumerate() {
        for (x, &d) in row.iter().enumerate() {
            columns[x * width + y] = d;
        }
    }
    let lines =
        |grid: &[bool]| -> u32 { grid.chunks(width).map(|line| run_penalty(line) + finder_penalty(line)).sum() };
    // `qrcode` takes off the 9 lines of the three real finder patterns in each direction
    // (2 × 9 × 40): the same for every mask, so it does not change which mask wins.
    lines(dark) + lines(&columns) + block_penalty(dark, width) + balance_penalty(dark)
}

/// Rule 1: a run of 5 + n modules of one colour in a line costs 3 + n.
fn run_penalty(line: &[bool]) -> u32 {
    let mut score = 0;
    let mut start = 0;
    for i in 1..=line.len() {
        if i == line.len() || line[i] != line[start] {
            let run = (i - start) as u32;
            if run >= 5 {
                score += run - 2;
            }
            start = i;
        }
    }
    score
}

/// Rule 2: every 2×2 block of one colour (overlapping ones too) costs 3.
fn block_penalty(dark: &[bool], width: usize) -> u32 {
    let mut score = 0;
    for pair in dark.chunks(width).collect::<Vec<_>>().windows(2) {
        let (top, bottom) = (pair[0], pair[1]);
        for x in 0..width - 1 {
            let c = top[x];
            if top[x + 1] == c && bottom[x] == c && bottom[x + 1] == c {
                score += 3;
            }
        }
    }
    score
}

/// Rule 3: dark-light-dark×3-light-dark (1:1:3:1:1) with no dark module in the 4 modules on
/// at least one side (outside the code counts as light) costs 40.
fn finder_penalty(line: &[bool]) -> u32 {
    const PATTERN: [bool; 7] = [true, false, true, true, true, false, true];
    let mut score = 0;
    for j in 0..line.len().saturating_sub(6) {
        if line[j..j + 7] != PATTERN {
            continue;
        }
        let before = line[j.saturating_sub(4)..j].contains(&true);
        let after = line[j + 7..(j + 11).min(line.len())].contains(&true);
        if !before || !after {
            score += 40;
        }
    }
    score
}

/// Rule 4: the share of dark modules away from 50%, 2 points per percent (`qrcode` does not
/// round to the standard's 5% steps).
fn balance_penalty(dark: &[bool]) -> u32 {
    let ratio = dark.iter().filter(|&&d| d).count() * 200 / dark.len();
    ratio.abs_diff(100) as u32
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
            assert_eq!(ours.dark, crate_matrix(&text), "{text}");
            assert_eq!(ours.width * ours.width, ours.dark.len());
        }
    }

    #[test]
    fn too_long_data_is_an_error_not_a_panic() {
        assert!(encode(&[b'x'; 3000], EcLevel::M).is_err());
    }

    #[test]
    fn rule_1_counts_runs_of_five_and_more_to_the_end_of_the_line() {
        let line = |s: &str| s.chars().map(|c| c == '#').collect::<Vec<_>>();
        assert_eq!(run_penalty(&line("####.")), 0);
        assert_eq!(run_penalty(&line("#####.")), 3);
        assert_eq!(run_penalty(&line("#.......")), 5, "a light run of 7 at the end");
    }

    #[test]
    fn rule_3_needs_four_light_modules_on_one_side() {
        let line = |s: &str| s.chars().map(|c| c == '#').collect::<Vec<_>>();
        assert_eq!(finder_penalty(&line("#.###.#")), 40, "the edge of the code is light");
        assert_eq!(finder_penalty(&line("#...#.###.#...#")), 0);
        assert_eq!(finder_penalty(&line("#...#.###.#....")), 40);
    }
}
