//! Times the QR codes of page addresses: the `qrcode` crate's own mask choice (the matrix
//! only) against `render::qr::svg` (the same matrix, with the masks scored by
//! `render/qr_mask.rs`, drawn as SVG).
//!
//! `cargo run --release --example qr-bench -- [CODES]` (default 2,000)

use std::hint::black_box;
use std::time::Instant;

use qrcode::{EcLevel, QrCode};

fn main() {
    let codes: usize = std::env::args().nth(1).and_then(|n| n.parse().ok()).unwrap_or(2000);
    // Addresses as long as the corpus's: base URL, language, programme and site slugs.
    let addresses: Vec<String> = (0..codes)
        .map(|i| format!("https://www.example.org/servizio-civile/en/prog-{:03}/site-{i:05}/", i % 160))
        .collect();
    let time = |name: &str, f: &dyn Fn(&str)| {
        let start = Instant::now();
        for a in &addresses {
            f(a);
        }
        let took = start.elapsed();
        println!(
            "{name:<48} {:>8.1} ms for {codes} codes, {:>6.1} µs each",
            took.as_secs_f64() * 1e3,
            took.as_secs_f64() * 1e6 / codes as f64
        );
    };
    time("qrcode::QrCode (matrix only)", &|a| {
        black_box(QrCode::with_error_correction_level(a.as_bytes(), EcLevel::M).map(|c| c.to_colors()).ok());
    });
    time("brochure::render::qr::svg (matrix and SVG)", &|a| {
        black_box(brochure::render::qr::svg(a));
    });
}
