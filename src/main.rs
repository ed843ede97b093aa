//! The `brochure` binary: parses the command line, runs the library, prints findings once.

mod cli;

use std::io::IsTerminal;
use std::process::ExitCode;

use brochure::{BuildError, BuildOptions, Diagnostic};
use clap::Parser;

use cli::{Cli, Command};

fn main() -> ExitCode {
    let cli = Cli::parse();
    let out = Printer::new(cli.quiet, cli.verbose);
    match cli.command {
        Command::Build(args) => {
            let opts = BuildOptions {
                root: cli.root,
                output: args.output,
                base_url: args.base_url,
                drafts: args.drafts,
                pdf: args.pdf,
                chromium: args.chromium,
            };
            let progress = |done: usize, total: usize| out.progress(&format!("PDF {done}/{total}"), done == total);
            match brochure::build_with_progress(&opts, &progress) {
                Ok(report) => {
                    out.diagnostics(&report.warnings);
                    out.info(&report.summary());
                    if report.pdfs > 0 {
                        out.info(&format!("{} PDF documents printed with Chromium", report.pdfs));
                    }
                    if cli.verbose {
                        out.info(&format!("{} files written to {}", report.files, report.output.display()));
                    }
                    ExitCode::SUCCESS
                }
                Err(e) => {
                    out.failure(&e);
                    ExitCode::FAILURE
                }
            }
        }
    }
}

/// Where every message goes: stderr, coloured on a terminal unless NO_COLOR is set.
struct Printer {
    quiet: bool,
    verbose: bool,
    color: bool,
}

impl Printer {
    fn new(quiet: bool, verbose: bool) -> Printer {
        let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
        Printer { quiet, verbose, color: !no_color && std::io::stderr().is_terminal() }
    }

    fn info(&self, line: &str) {
        if !self.quiet {
            eprintln!("{line}");
        }
    }

    /// A progress line that rewrites itself on a terminal.
    fn progress(&self, line: &str, last: bool) {
        if self.quiet {
            return;
        }
        if self.color || std::io::stderr().is_terminal() {
            eprint!("\r{line}{}", if last { "\n" } else { "" });
        } else if last {
            eprintln!("{line}");
        }
    }

    fn diagnostics(&self, list: &[Diagnostic]) {
        let warnings = list.iter().filter(|d| !d.is_error()).count();
        for d in list {
            if d.is_error() || (!self.quiet && (self.verbose || warnings <= 20)) {
                eprint!("{}", d.render(self.color));
                eprintln!();
            }
        }
        if !self.quiet && !self.verbose && warnings > 20 {
            eprintln!("{warnings} warnings (run with --verbose to see them all)");
        }
    }

    fn failure(&self, e: &BuildError) {
        match e {
            BuildError::Invalid(list) => {
                self.diagnostics(list);
                eprintln!("{}; nothing was written, the previous site is untouched", e);
            }
            BuildError::Write(w) => {
                let d = Diagnostic::error(w.to_string()).with_hint(w.hint());
                eprint!("{}", d.render(self.color));
            }
        }
    }
}
