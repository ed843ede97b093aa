//! What every QR code of one version has in common: its functional patterns (finders,
//! timing, alignment and version information, format areas reserved) and the order in
//! which the data fills the modules they leave free. Made once per version, from the
//! `qrcode` crate's own canvas; a code then only sets its data bits. Drawing a canvas for
//! each code, module by module, and reading it back into lines of bits took half of the
//! time of a code (qr-bench).

use std::sync::OnceLock;

use qrcode::canvas::{Canvas, Module};
use qrcode::{EcLevel, Version};

use super::qr_line::{Line, WIDEST};

/// A version's modules before any data: by rows and by columns (the mask penalty reads both).
pub(super) struct Template {
    pub(super) width: usize,
    /// Dark functional modules: bit `x` of row `y` (and bit `y` of column `x`).
    pub(super) colour: Vec<Line<WIDEST>>,
    pub(super) colour_t: Vec<Line<WIDEST>>,
    /// The modules a mask flips: every module no functional pattern holds, data or not.
    pub(super) flips: Vec<Line<WIDEST>>,
    pub(super) flips_t: Vec<Line<WIDEST>>,
    /// The free modules as (x, y), in the order the data bits fill them.
    pub(super) places: Vec<(u8, u8)>,
}

/// The template of normal (not Micro) version `version`, 1 to 40.
pub(super) fn of(version: i16) -> &'static Template {
    static TEMPLATES: [OnceLock<Template>; 40] = [const { OnceLock::new() }; 40];
    let i = usize::try_from(version - 1).unwrap_or(0).min(39);
    TEMPLATES[i].get_or_init(|| make(i as i16 + 1))
}

fn make(version: i16) -> Template {
    let mut canvas = Canvas::new(Version::Normal(version), EcLevel::M);
    canvas.draw_all_functional_patterns();
    let width = Version::Normal(version).width() as usize;
    let lines = || vec![Line::<WIDEST>::default(); width];
    let mut t =
        Template { width, colour: lines(), colour_t: lines(), flips: lines(), flips_t: lines(), places: Vec::new() };
    let free = |x: usize, y: usize| canvas.get(x as i16, y as i16) == Module::Empty;
    for y in 0..width {
        for x in 0..width {
            if free(x, y) {
                t.flips[y].set(x);
                t.flips_t[x].set(y);
            } else if canvas.get(x as i16, y as i16).is_dark() {
                t.colour[y].set(x);
                t.colour_t[x].set(y);
            }
        }
    }
    t.places = placement(width, free);
    t
}

/// The standard's data placement (ISO/IEC 18004, 7.7.3): columns two modules wide from the
/// right edge, upwards then downwards in turn, the right module of a pair before the left,
/// stepping over the vertical timing pattern (column 6) and every module not `free`.
fn placement(width: usize, free: impl Fn(usize, usize) -> bool) -> Vec<(u8, u8)> {
    let mut places = Vec::new();
    let mut right = width - 1;
    let mut upwards = true;
    loop {
        for i in 0..width {
            let y = if upwards { width - 1 - i } else { i };
            for x in [right, right - 1] {
                if free(x, y) {
                    places.push((x as u8, y as u8));
                }
            }
        }
        upwards = !upwards;
        match right {
            1 => break,
            // Column 6 is the timing pattern's: after the pair 8-7 comes 5-4.
            8 => right = 5,
            _ => right -= 2,
        }
    }
    places
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The crate's canvas with `codewords` drawn, module by module as (dark, data or free).
    fn crate_canvas(version: i16, codewords: &[u8]) -> Vec<(bool, bool)> {
        let mut canvas = Canvas::new(Version::Normal(version), EcLevel::M);
        canvas.draw_all_functional_patterns();
        canvas.draw_data(codewords, &[]);
        let w = Version::Normal(version).width();
        (0..w * w)
            .map(|i| canvas.get(i % w, i / w))
            .map(|m| (m.is_dark(), matches!(m, Module::Unmasked(_) | Module::Empty)))
            .collect()
    }

    /// Every version's template filled with the same codewords is the crate's canvas, bits
    /// left over included: the placement order is the crate's, module for module.
    #[test]
    fn a_filled_template_is_the_crates_canvas_for_every_version() {
        for version in 1..=40 {
            let t = of(version);
            let codewords: Vec<u8> = (0..t.places.len() / 8).map(|i| (i * 37 + 11) as u8).collect();
            let mut dark: Vec<bool> = (0..t.width * t.width).map(|i| t.colour[i / t.width].get(i % t.width)).collect();
            for (k, &(x, y)) in t.places.iter().enumerate().take(codewords.len() * 8) {
                dark[y as usize * t.width + x as usize] = codewords[k / 8] >> (7 - k % 8) & 1 == 1;
            }
            let flips: Vec<bool> = (0..t.width * t.width).map(|i| t.flips[i / t.width].get(i % t.width)).collect();
            let ours: Vec<(bool, bool)> = dark.into_iter().zip(flips).collect();
            assert_eq!(ours, crate_canvas(version, &codewords), "version {version}");
            for (y, row) in t.colour.iter().enumerate() {
                for x in 0..t.width {
                    assert_eq!(row.get(x), t.colour_t[x].get(y), "version {version}: columns are rows turned");
                    assert_eq!(t.flips[y].get(x), t.flips_t[x].get(y), "version {version}: columns are rows turned");
                }
            }
        }
    }
}
