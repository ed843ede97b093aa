//! `brochure publish` on the terminal: the build's messages, a progress bar (plain lines
//! when the output is not a terminal), the plan of a dry run, and failures.

use std::io::{IsTerminal, Write};
use std::path::Path;
use std::process::ExitCode;

use brochure::build::Progress;
use brochure::publish::{self, Change, Plan, PublishOptions, PublishProgress};
use brochure::BuildOptions;

use super::cli::PublishArgs;
use super::Printer;

pub fn publish(out: &Printer, root: &Path, args: PublishArgs) -> ExitCode {
    let opts = PublishOptions {
        build: BuildOptions { root: root.to_path_buf(), pdf: args.pdf, chromium: args.chromium, ..Default::default() },
        target: args.target,
        dry_run: args.dry_run,
        force: args.force,
        identity: args.identity,
        bwlimit: args.bwlimit,
    };
    let terminal = std::io::stderr().is_terminal();
    let progress = |step: PublishProgress| match step {
        PublishProgress::Build(Progress::WaitingForOutput(path)) => out.info(&brochure::build::waiting_for(path)),
        PublishProgress::Build(Progress::Pdf { done, total }) => {
            out.progress(&format!("PDF {done}/{total}"), done == total)
        }
        PublishProgress::Built(report) => {
            out.diagnostics(&report.warnings);
            out.info(&report.summary());
        }
        PublishProgress::Connecting(target) => out.info(&format!("Publishing to {target}")),
        PublishProgress::Planned(plan) => out.info(&summary(plan, "to send", "to delete")),
        PublishProgress::Sent { done, total, path } | PublishProgress::Deleted { done, total, path } => {
            let verb = if matches!(step, PublishProgress::Sent { .. }) { "sent" } else { "deleted" };
            if terminal {
                out.progress(&bar(verb, done, total, path), done == total);
            } else {
                out.info(&format!("{verb} {path} ({done}/{total})"));
            }
        }
    };
    match publish::publish(&opts, &progress) {
        Ok(report) if report.dry_run => {
            let mut stdout = std::io::stdout().lock();
            for u in &report.plan.uploads {
                let what = if u.change == Change::Add { "add" } else { "change" };
                let _ = writeln!(stdout, "{what:<7}{:>10}  {}", size(u.bytes), u.path);
            }
            for (path, bytes) in &report.plan.deletions {
                let _ = writeln!(stdout, "{:<7}{:>10}  {path}", "delete", size(*bytes));
            }
            out.info(&format!("dry run: nothing was changed on {}", report.target));
            ExitCode::SUCCESS
        }
        Ok(report) => {
            let done = summary(&report.plan, "sent", "deleted");
            out.info(&format!("Published to {} in {:.1} s: {done}", report.target, report.elapsed.as_secs_f64()));
            ExitCode::SUCCESS
        }
        Err(e) => {
            out.diagnostics(&e.diagnostics());
            if let publish::PublishError::Build(_) | publish::PublishError::Invalid(_) = e {
                say_line!("nothing was published");
            }
            ExitCode::FAILURE
        }
    }
}

/// `3 files to send (12.5 kB: 1 new, 2 changed), 1 to delete (2.1 kB), 40 unchanged`.
fn summary(plan: &Plan, send: &str, delete: &str) -> String {
    let [(added, added_bytes), (changed, changed_bytes), (deleted, deleted_bytes)] = plan.totals();
    if plan.is_empty() {
        return format!("the host is up to date ({} files unchanged)", plan.unchanged);
    }
    format!(
        "{} file{} {send} ({}: {added} new, {changed} changed), {deleted} {delete} ({}), {} unchanged",
        added + changed,
        if added + changed == 1 { "" } else { "s" },
        size(added_bytes + changed_bytes),
        size(deleted_bytes),
        plan.unchanged
    )
}

/// `[#########           ] 12/40 sent en/index.html`, for a terminal line.
fn bar(verb: &str, done: usize, total: usize, path: &str) -> String {
    const WIDTH: usize = 24;
    let filled = (done * WIDTH).checked_div(total).unwrap_or(WIDTH);
    // The end of a long path says most: `…/biblioteca/leaflet.html`.
    let count = path.chars().count();
    let mut path: String = if count > 40 {
        std::iter::once('…').chain(path.chars().skip(count - 39)).collect()
    } else {
        path.to_string()
    };
    // Pads over the longer name of the line before.
    path.push_str(&" ".repeat(40usize.saturating_sub(path.chars().count())));
    format!("[{}{}] {done}/{total} {verb} {path}", "#".repeat(filled), " ".repeat(WIDTH - filled))
}

/// `532 B`, `12.5 kB`, `3.4 MB` (powers of 1000, as file managers show).
fn size(bytes: u64) -> String {
    match bytes {
        b if b < 1000 => format!("{b} B"),
        b if b < 1_000_000 => format!("{:.1} kB", b as f64 / 1e3),
        b if b < 1_000_000_000 => format!("{:.1} MB", b as f64 / 1e6),
        b => format!("{:.1} GB", b as f64 / 1e9),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_bar_fills_with_progress_and_keeps_the_end_of_long_paths() {
        let line = bar("sent", 6, 24, "en/test-programme/housing-desk/leaflet.html");
        assert!(line.starts_with("[######                  ] 6/24 sent …"), "{line}");
        assert!(line.ends_with("housing-desk/leaflet.html"), "{line}");
        assert!(bar("sent", 1, 1, "a.css").starts_with(&format!("[{}] 1/1 sent a.css ", "#".repeat(24))));
    }

    #[test]
    fn sizes_read_as_file_managers_show_them() {
        assert_eq!([size(532), size(12_500), size(3_400_000)], ["532 B", "12.5 kB", "3.4 MB"]);
    }
}
