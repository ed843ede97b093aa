//! QR codes as SVG files of their own, one beside each page a printed document leads to
//! (`qr.svg`). A booklet of fifty sites links fifty codes: drawn inline, they were half of
//! its bytes, and every code was written three times (the site's leaflet, its programme's
//! booklet and `leaflets.html`). The PDF step puts them back inline (`pdf::inline`).

use qrcode::EcLevel;

use super::qr_mask;

/// Modules of white border around the code, as the QR specification asks.
pub const QUIET_ZONE: usize = 4;

/// A QR code's modules, one bit each. This is what a build keeps of a code between the
/// documents that print it (a site's leaflet, its programme's booklet and leaflets): the
/// SVG drawing is twelve times larger, and drawing it again costs microseconds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Code {
    width: usize,
    /// Row by row, each row in `width.div_ceil(64)` words: bit `x % 64` of the row's word
    /// `x / 64` is set when module `x` is dark.
    dark: Box<[u64]>,
}

/// `text` as a QR code with error correction M (15% of the code may be damaged or covered
/// and still scan); `None` only for data longer than about 2 KB, which no page address is.
pub fn encode(text: &str) -> Option<Code> {
    let code = qr_mask::encode(text.as_bytes(), EcLevel::M).ok()?;
    Some(Code { width: code.width, dark: code.dark.into_boxed_slice() })
}

/// An SVG file of `text` as a QR code (see [`encode`]), in units of one module; `None`
/// when the text cannot be encoded.
pub fn svg(text: &str) -> Option<String> {
    encode(text).map(|code| code.svg())
}

impl Code {
    /// Row `y`'s words.
    fn row(&self, y: usize) -> &[u64] {
        let words = self.width.div_ceil(64);
        &self.dark[y * words..(y + 1) * words]
    }

    /// The length of the run of modules of one colour (dark or not) from module `x` of row `y`.
    fn run(&self, x: usize, y: usize, dark: bool) -> usize {
        let row = self.row(y);
        let mut run = 0;
        while x + run < self.width {
            let at = x + run;
            let word = if dark { row[at / 64] } else { !row[at / 64] };
            // The modules from `at` on, shifted down (zeros come in at the top): the run is
            // their trailing ones, and goes on into the next word if it reaches this one's end.
            let ones = (word >> (at % 64)).trailing_ones() as usize;
            run += ones;
            if ones < 64 - at % 64 {
                break;
            }
        }
        run.min(self.width - x)
    }

    /// The code as an SVG file; the `<img>` that shows it names it for screen readers.
    pub fn svg(&self) -> String {
        let size = self.width + 2 * QUIET_ZONE;
        let mut svg = String::with_capacity(200 + self.width * self.width);
        // The numbers go in digit by digit, as in the path (see `runs`).
        let parts = [
            "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 ",
            " ",
            "\" shape-rendering=\"crispEdges\"><rect width=\"",
            "\" height=\"",
        ];
        for part in parts {
            svg.push_str(part);
            push_number(&mut svg, size);
        }
        svg.push_str("\" fill=\"#fff\"/><path stroke=\"#000\" d=\"");
        self.runs(&mut svg);
        svg.push_str("\"/></svg>\n");
        svg
    }

    /// The dark modules as one path: a line one module wide (the stroke) along the middle
    /// of each horizontal run of dark modules, reached by a move relative to the end of the
    /// last run. A booklet holds one code per site: this is less than half the size of a
    /// filled rectangle per run (`M12 4h3v1h-3z`), for the same modules. Numbers are
    /// written digit by digit: `write!` made drawing codes a tenth of a build's time.
    fn runs(&self, path: &mut String) {
        let width = self.width;
        // Where the pen is after the last run, in modules from the top left of the drawing.
        let mut pen: Option<(usize, usize)> = None;
        for y in 0..width {
            let mut x = 0;
            loop {
                x += self.run(x, y, false);
                if x >= width {
                    break;
                }
                let run = self.run(x, y, true);
                let (to_x, to_y) = (x + QUIET_ZONE, y + QUIET_ZONE);
                match pen {
                    None => {
                        path.push('M');
                        push_number(path, to_x);
                        path.push(' ');
                        push_number(path, to_y);
                        path.push_str(".5h");
                    }
                    Some((from_x, from_y)) => {
                        path.push('m');
                        if to_x < from_x {
                            path.push('-');
                        }
                        push_number(path, to_x.abs_diff(from_x));
                        path.push(' ');
                        push_number(path, to_y - from_y);
                        path.push('h');
                    }
                }
                push_number(path, run);
                pen = Some((to_x + run, to_y));
                x += run;
            }
        }
    }
}

fn push_number(out: &mut String, n: usize) {
    if n >= 10 {
        push_number(out, n / 10);
    }
    out.push(char::from(b'0' + (n % 10) as u8));
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The modules an SVG of [`svg`] paints dark, read back from its path: (size, dark).
    fn painted(svg: &str) -> (usize, Vec<bool>) {
        let size: usize = svg.split("viewBox=\"0 0 ").nth(1).unwrap().split(' ').next().unwrap().parse().unwrap();
        let d = svg.split(" d=\"").nth(1).unwrap().split('"').next().unwrap();
        let mut dark = vec![false; size * size];
        let (mut x, mut y) = (0.0f64, 0.0f64);
        let mut rest = d;
        while let Some(command) = rest.chars().next() {
            let end = rest[1..].find(['M', 'm', 'h']).map_or(rest.len(), |i| i + 1);
            let numbers: Vec<f64> = rest[1..end].split(' ').map(|n| n.parse().unwrap()).collect();
            match (command, numbers.as_slice()) {
                ('M', [to_x, to_y]) => (x, y) = (*to_x, *to_y),
                ('m', [dx, dy]) => (x, y) = (x + dx, y + dy),
                ('h', [run]) => {
                    assert_eq!(y.fract(), 0.5, "a stroke one module wide along the middle of its row");
                    // Each run is whole: the module before it is light, or the path would
                    // draw one run as two strokes (and change the file).
                    let start = (y as usize) * size + x as usize;
                    assert!(!dark[start - 1], "a stroke continues the one before it at ({x}, {y}) in {d}");
                    for i in 0..*run as usize {
                        dark[(y as usize) * size + x as usize + i] = true;
                    }
                    x += run;
                }
                other => panic!("unexpected path command {other:?} in {d}"),
            }
            rest = &rest[end..];
        }
        (size, dark)
    }

    #[test]
    fn the_path_paints_exactly_the_dark_modules_of_the_matrix() {
        // The last two are wider than 64 modules: rows of two and three words, whose runs
        // cross from one word into the next.
        let long = |n: usize| format!("https://www.example.org/{}/", "sede-".repeat(n));
        for url in [
            "https://www.example.org/servizio-civile/".to_string(),
            "https://www.example.org/servizio-civile/en/programme-038/site-01221-en/".to_string(),
            "https://example.org/a/".to_string(),
            long(60),
            long(300),
        ] {
            let url = url.as_str();
            let code = qr_mask::encode(url.as_bytes(), EcLevel::M).unwrap();
            assert!(code.width > 64 || !url.contains("sede-"), "{url} is {} modules wide", code.width);
            let (size, dark) = painted(&svg(url).unwrap());
            assert_eq!(size, code.width + 2 * QUIET_ZONE, "{url}");
            let expected: Vec<bool> = (0..size * size)
                .map(|i| {
                    let (x, y) = (i % size, i / size);
                    let inside = |c: usize| (QUIET_ZONE..QUIET_ZONE + code.width).contains(&c);
                    inside(x) && inside(y) && code.is_dark(x - QUIET_ZONE, y - QUIET_ZONE)
                })
                .collect();
            assert!(dark == expected, "{url}: the painted modules differ from the matrix");
        }
    }

    #[test]
    fn svg_has_a_quiet_zone_and_the_finder_pattern_in_place() {
        let s = svg("https://www.example.org/servizio-civile/").unwrap();
        let view = s.split("viewBox=\"0 0 ").nth(1).unwrap().split(' ').next().unwrap();
        let size: usize = view.parse().unwrap();
        assert_eq!((size - 2 * QUIET_ZONE - 17) % 4, 0, "a QR width is 17 + 4k modules");
        assert!(s.contains(" d=\"M4 4.5h7m"), "the finder pattern's top row starts after the quiet zone");
    }
}
