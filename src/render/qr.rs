//! QR codes as inline SVG, so leaflets print without any external file.

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
    /// Row-major, bit `i % 64` of word `i / 64` for module `i`; set when dark.
    dark: Box<[u64]>,
}

/// `text` as a QR code with error correction M (15% of the code may be damaged or covered
/// and still scan); `None` only for data longer than about 2 KB, which no page address is.
pub fn encode(text: &str) -> Option<Code> {
    let code = qr_mask::encode(text.as_bytes(), EcLevel::M).ok()?;
    let mut dark = vec![0u64; code.dark.len().div_ceil(64)];
    for (i, _) in code.dark.iter().enumerate().filter(|(_, d)| **d) {
        dark[i / 64] |= 1 << (i % 64);
    }
    Some(Code { width: code.width, dark: dark.into() })
}

/// An SVG drawing of `text` as a QR code (see [`encode`]), in units of one module; empty
/// when the text cannot be encoded.
pub fn svg(text: &str, label: &str) -> String {
    encode(text).map_or_else(String::new, |code| code.svg(label))
}

impl Code {
    fn is_dark(&self, x: usize, y: usize) -> bool {
        let i = y * self.width + x;
        self.dark[i / 64] & (1 << (i % 64)) != 0
    }

    /// The code as SVG, `label` naming it for screen readers.
    pub fn svg(&self, label: &str) -> String {
        let width = self.width;
        let size = width + 2 * QUIET_ZONE;
        // One rectangle per horizontal run of dark modules keeps the SVG small. Numbers are
        // written digit by digit: `write!` made this a tenth of a build's time.
        let mut path = String::with_capacity(width * width);
        for y in 0..width {
            let mut x = 0;
            while x < width {
                if !self.is_dark(x, y) {
                    x += 1;
                    continue;
                }
                let run = (x..width).take_while(|&i| self.is_dark(i, y)).count();
                path.push('M');
                push_number(&mut path, x + QUIET_ZONE);
                path.push(' ');
                push_number(&mut path, y + QUIET_ZONE);
                path.push('h');
                push_number(&mut path, run);
                path.push_str("v1h-");
                push_number(&mut path, run);
                path.push('z');
                x += run;
            }
        }
        format!(
            "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"qr\" viewBox=\"0 0 {size} {size}\" role=\"img\" aria-label=\"{}\" shape-rendering=\"crispEdges\"><rect width=\"{size}\" height=\"{size}\" fill=\"#fff\"/><path fill=\"#000\" d=\"{path}\"/></svg>",
            super::sitemap::xml_escape(label)
        )
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

    #[test]
    fn svg_has_a_quiet_zone_and_the_finder_pattern_in_place() {
        let s = svg("https://www.example.org/servizio-civile/", "QR");
        let view = s.split("viewBox=\"0 0 ").nth(1).unwrap().split(' ').next().unwrap();
        let size: usize = view.parse().unwrap();
        assert_eq!((size - 2 * QUIET_ZONE - 17) % 4, 0, "a QR width is 17 + 4k modules");
        assert!(s.contains("M4 4h7v1h-7z"), "the finder pattern's top row starts after the quiet zone");
    }
}
