//! Facts that cannot be true: a week of nine days, no volunteers, more hours in the split
//! than in the year. Each message gives the numbers, located at the field in the file.

use super::front::SiteFront;
use super::validate::locate;
use crate::diagnostic::{Diagnostic, Kind};
use crate::load::SourceDoc;

/// Hours of service a week no programme asks for more than.
pub const MAX_WEEKLY_HOURS: u32 = 60;
const WEEKS_A_YEAR: u32 = 52;

/// Every impossible fact of a site's front matter (after inheritance), located in `doc`.
pub(super) fn impossible_facts(doc: &SourceDoc, f: &SiteFront) -> Vec<Diagnostic> {
    let mut found = Vec::new();
    let mut wrong = |key: &str, message: String, hint: &str| {
        found.push(locate(Diagnostic::error(message).of_kind(Kind::ImpossibleFact), doc, key).with_hint(hint));
    };
    if f.volunteers == Some(0) {
        wrong(
            "volunteers",
            "`volunteers: 0`: a site takes at least one volunteer".into(),
            "write how many volunteers the site takes, e.g. `volunteers: 1`",
        );
    }
    if let Some(days) = f.days_per_week.filter(|d| !(1..=7).contains(d)) {
        wrong(
            "days_per_week",
            format!("`days_per_week: {days}`, but a week has 1 to 7 days of service"),
            "write the number of days of service a week, from 1 to 7, e.g. `days_per_week: 5`",
        );
    }
    if let Some(weekly) = f.min_weekly_hours.filter(|h| *h > MAX_WEEKLY_HOURS) {
        wrong(
            "min_weekly_hours",
            format!("`min_weekly_hours: {weekly}` is more than {MAX_WEEKLY_HOURS} hours a week"),
            "write the fewest hours of service a week, e.g. `min_weekly_hours: 12`",
        );
    }
    if let (Some(weekly), Some(yearly)) = (f.min_weekly_hours, f.hours_per_year) {
        let year = u64::from(weekly) * u64::from(WEEKS_A_YEAR);
        if weekly <= MAX_WEEKLY_HOURS && year > u64::from(yearly) {
            wrong(
                "min_weekly_hours",
                format!("`min_weekly_hours: {weekly}` × {WEEKS_A_YEAR} weeks = {year} hours, more than `hours_per_year: {yearly}`"),
                "check both numbers against the programme's documents: the weekly minimum over a year cannot exceed the year's hours",
            );
        }
    }
    if let (Some(shares), Some(yearly)) = (&f.hours, f.hours_per_year) {
        let total: u64 = shares.iter().map(|s| u64::from(s.hours)).sum();
        if total > u64::from(yearly) {
            let parts: Vec<String> = shares.iter().map(|s| s.hours.to_string()).collect();
            wrong(
                "hours",
                format!(
                    "the hours under `hours:` add up to {total} ({}), more than `hours_per_year: {yearly}`",
                    parts.join(" + ")
                ),
                "the shares under `hours:` are parts of the year's hours: check them against the programme's documents",
            );
        }
    }
    found
}
