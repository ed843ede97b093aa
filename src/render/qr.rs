//! QR codes as inline SVG, so leaflets print without any external file.

use qrcode::{EcLevel, QrCode};

/// Modules of white border around the code, as the QR specification asks.
pub const QUIET_ZONE: usize = 4;

/// An SVG drawing of `text` as a QR code with error correction M (15% of the code may be
/// damaged or covered and still scan), one `1×1` square per dark module.
pub fn svg(text: &str, label: &str) -> String {
    let code = match QrCode::with_error_correction_level(text.as_bytes(), EcLevel::M) {
        Ok(code) => code,
        // Only data longer than about 2 KB fails; no page address is that long.
        Err(_) => return String::new(),
    };
    let width = code.width();
    let size = width + 2 * QUIET_ZONE;
    let mut path = String::with_capacity(width * width * 4);
    for (i, color) in code.to_colors().iter().enumerate() {
        if *color == qrcode::Color::Dark {
            let (x, y) = (i % width + QUIET_ZONE, i / width + QUIET_ZONE);
            path.push_str(&format!("M{x} {y}h1v1h-1z"));
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
    fn svg_has_a_quiet_zone_and_only_unit_squares() {
        let s = svg("https://www.example.org/servizio-civile/", "QR");
        let view = s.split("viewBox=\"0 0 ").nth(1).unwrap().split(' ').next().unwrap();
        let size: usize = view.parse().unwrap();
        assert_eq!((size - 2 * QUIET_ZONE - 17) % 4, 0, "a QR width is 17 + 4k modules");
        assert!(s.contains("M4 4h1v1h-1z"), "the finder pattern starts after the quiet zone");
    }
}
