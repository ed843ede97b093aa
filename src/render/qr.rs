//! QR codes as inline SVG, so leaflets print without any external file.

use std::fmt::Write;

use qrcode::EcLevel;

use super::qr_mask;

/// Modules of white border around the code, as the QR specification asks.
pub const QUIET_ZONE: usize = 4;

/// An SVG drawing of `text` as a QR code with error correction M (15% of the code may be
/// damaged or covered and still scan), in units of one module.
pub fn svg(text: &str, label: &str) -> String {
    let code = match qr_mask::encode(text.as_bytes(), EcLevel::M) {
        Ok(code) => code,
        // Only data longer than about 2 KB fails; no page address is that long.
        Err(_) => return String::new(),
    };
    let width = code.width;
    let size = width + 2 * QUIET_ZONE;
    // One rectangle per horizontal run of dark modules keeps the SVG small.
    let mut path = String::with_capacity(width * width);
    for (y, row) in code.dark.chunks(width).enumerate() {
        let mut x = 0;
        while x < width {
            if !row[x] {
                x += 1;
                continue;
            }
            let run = row[x..].iter().take_while(|&&d| d).count();
            let _ = write!(path, "M{} {}h{run}v1h-{run}z", x + QUIET_ZONE, y + QUIET_ZONE);
            x += run;
        }
    }
    format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"qr\" viewBox=\"0 0 {size} {size}\" role=\"img\" aria-label=\"{}\" shape-rendering=\"crispEdges\"><rect width=\"{size}\" height=\"{size}\" fill=\"#fff\"/><path fill=\"#000\" d=\"{path}\"/></svg>",
        super::sitemap::xml_escape(label)
    )
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
