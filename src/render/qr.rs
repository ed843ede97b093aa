//! QR codes as inline SVG, so leaflets print without any external file.

use std::fmt::Write;

use qrcode::EcLevel;

use super::qr_mask;

/// Modules of white border around the code, as the QR specification asks.
pub const QUIET_ZONE: usize = 4;

/// An SVG drawing of `text` as a QR code with error correction M (15% of the code may be
/// damaged or covered and still scan), in units of one module, for inline use in HTML.
pub fn svg(text: &str, label: &str) -> String {
    let code = match qr_mask::encode(text.as_bytes(), EcLevel::M) {
        Ok(code) => code,
        // Only data longer than about 2 KB fails; no page address is that long.
        Err(_) => return String::new(),
    };
    let size = code.width + 2 * QUIET_ZONE;
    format!(
        "<svg class=\"qr\" viewBox=\"0 0 {size} {size}\" role=\"img\" aria-label=\"{}\" shape-rendering=\"crispEdges\"><rect width=\"{size}\" height=\"{size}\" fill=\"#fff\"/><path stroke=\"#000\" d=\"{}\"/></svg>",
        super::sitemap::xml_escape(label),
        runs(&code)
    )
}

/// The dark modules as one path: a line one module wide (the stroke) along the middle of
/// each horizontal run of dark modules, reached by a move relative to the end of the last
/// run. A booklet holds one code per site: this is less than half the size of a filled
/// rectangle per run (`M12 4h3v1h-3z`), for the same modules.
fn runs(code: &qr_mask::Matrix) -> String {
    let width = code.width;
    let mut path = String::with_capacity(width * width);
    // Where the pen is after the last run, in modules from the top left of the drawing.
    let mut pen: Option<(usize, usize)> = None;
    for (y, row) in code.dark.chunks(width).enumerate() {
        let mut x = 0;
        while x < width {
            if !row[x] {
                x += 1;
                continue;
            }
            let run = row[x..].iter().take_while(|&&d| d).count();
            let (to_x, to_y) = (x + QUIET_ZONE, y + QUIET_ZONE);
            let _ = match pen {
                None => write!(path, "M{to_x} {to_y}.5h{run}"),
                Some((from_x, from_y)) => {
                    write!(path, "m{} {}h{run}", to_x as isize - from_x as isize, to_y - from_y)
                }
            };
            pen = Some((to_x + run, to_y));
            x += run;
        }
    }
    path
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
        for url in [
            "https://www.example.org/servizio-civile/",
            "https://www.example.org/servizio-civile/en/programme-038/site-01221-en/",
            "https://example.org/a/",
        ] {
            let code = qr_mask::encode(url.as_bytes(), EcLevel::M).unwrap();
            let (size, dark) = painted(&svg(url, "QR"));
            assert_eq!(size, code.width + 2 * QUIET_ZONE, "{url}");
            let expected: Vec<bool> = (0..size * size)
                .map(|i| {
                    let (x, y) = (i % size, i / size);
                    let inside = |c: usize| (QUIET_ZONE..QUIET_ZONE + code.width).contains(&c);
                    inside(x) && inside(y) && code.dark[(y - QUIET_ZONE) * code.width + x - QUIET_ZONE]
                })
                .collect();
            assert!(dark == expected, "{url}: the painted modules differ from the matrix");
        }
    }

    #[test]
    fn svg_has_a_quiet_zone_and_the_finder_pattern_in_place() {
        let s = svg("https://www.example.org/servizio-civile/", "QR");
        let view = s.split("viewBox=\"0 0 ").nth(1).unwrap().split(' ').next().unwrap();
        let size: usize = view.parse().unwrap();
        assert_eq!((size - 2 * QUIET_ZONE - 17) % 4, 0, "a QR width is 17 + 4k modules");
        assert!(s.contains(" d=\"M4 4.5h7m"), "the finder pattern's top row starts after the quiet zone");
    }
}
