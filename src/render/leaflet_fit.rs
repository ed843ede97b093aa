//! How a site is set on one A4 page (a leaflet, or a page of a booklet): the largest type
//! at which its facts and activities fit, estimated from the lengths of its texts, so that
//! the HTML carries the size and no script measures the page.

use serde::Serialize;

use super::views::SiteView;

/// How tightly a leaflet is set: 12 pt when there is room, shrinking to a readable minimum of 9 pt.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Scale {
    Large,
    Normal,
    Compact,
    Tight,
}

impl Scale {
    fn points(self) -> f32 {
        match self {
            Scale::Large => 12.0,
            Scale::Normal => 11.0,
            Scale::Compact => 10.0,
            Scale::Tight => 9.0,
        }
    }
}

/// The layout chosen for a site's page: its type size and how many activities fit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Fit {
    pub scale: Scale,
    pub activities: usize,
    /// True when activities were left out ("see online").
    pub shortened: bool,
}

/// Characters in a line of one of the two columns of a leaflet at 11 pt (default theme).
const COLUMN_CHARS_AT_11PT: f32 = 40.0;

/// Of the 268 mm of an A4 leaflet's text area, what the lines of text may take: the rest is
/// the QR code's block at the foot (about 61 mm) and the space between parts. Measured in
/// Chromium's print layout of the default theme (every leaflet of the real site, and
/// longer titles and offices), with [`head_lines`] and a line of a column of safety.
const TEXT_MM: f32 = 191.0;

/// The height of a line of text at `scale` (1.3 times the type), in millimetres.
fn line_mm(scale: Scale) -> f32 {
    scale.points() * 1.3 * 25.4 / 72.0
}

/// The lines of text above the columns, in lines of the type of the page: the owner and
/// programme, the title (each line 2.1 times the type, 1.1 high, with fewer characters
/// than a column line, in bold at that size), the site's code, then the facts, whose
/// address box spans both columns, the office and the address each wrapped in it.
fn head_lines(view: &SiteView, cpl: f32) -> f32 {
    let wrapped = |text: &str, per_line: f32| (text.chars().count() as f32 / per_line).ceil().max(1.0);
    let title = wrapped(&view.card.title, cpl * 0.85);
    let address =
        view.office.as_deref().map_or(0.0, |o| wrapped(o, 1.9 * cpl)) + wrapped(&view.card.address, 1.9 * cpl);
    3.1 + 1.8 * title + 4.2 + address
}

/// Chooses the largest type at which the facts and activities fit one page, leaving out
/// activities (never facts) only at the smallest size.
pub fn fit(view: &SiteView) -> Fit {
    let lines = |items: &[String], cpl: f32| -> f32 {
        items.iter().map(|s| (s.chars().count() as f32 / cpl).ceil().max(1.0)).sum::<f32>()
    };
    let measure = |scale: Scale, activities: usize| -> bool {
        let ratio = 11.0 / scale.points();
        let cpl = COLUMN_CHARS_AT_11PT * ratio;
        // A column's estimate can be a line short (words that do not fill their line).
        let cap = TEXT_MM / line_mm(scale) - head_lines(view, cpl) - 1.0;
        let labels = |l: &[super::views::Label]| l.iter().map(|x| x.label.clone()).collect::<Vec<_>>();
        let left = 3.0
            + lines(&labels(&view.card.required), cpl)
            + lines(&labels(&view.card.preferred), cpl)
            + 2.0
            + lines(&labels(&view.card.obligations), cpl).max(1.0)
            + 2.0;
        let hours: Vec<String> = view.hours_split.iter().map(|h| format!("{} {}", h.hours, h.purpose)).collect();
        let right = 2.0 + lines(&hours, cpl) + 2.0 + lines(&view.activities[..activities], cpl);
        left.max(right) <= cap
    };
    let all = view.activities.len();
    for scale in [Scale::Large, Scale::Normal, Scale::Compact, Scale::Tight] {
        if measure(scale, all) {
            return Fit { scale, activities: all, shortened: false };
        }
    }
    let shown = (0..all).rev().find(|&n| measure(Scale::Tight, n)).unwrap_or(0);
    Fit { scale: Scale::Tight, activities: shown, shortened: true }
}
