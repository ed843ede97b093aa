//! The `brochure` binary: parses the command line, runs the library, prints findings once.

mod cli;

use std::io::{IsTerminal, Write};
use std::path::Path;
use std::process::ExitCode;
use std::sync::Arc;

use brochure::build::Progress;
use brochure::config::Config;
use brochure::serve::ServeEvent;
use brochure::{BuildError, BuildOptions, Diagnostic};

/// mimalloc instead of the system's allocator: a build of 10,000 pages takes about a quarter
/// less CPU time for 12–23% more peak memory (measured in BENCHMARKS.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;
use clap::Parser;

use cli::{
    BuildArgs, CheckArgs, Cli, Command, Format, InitArgs, NewCommand, ServeArgs, StarterLanguage, TranslateCommand,
};

/// `eprint!` that does not panic when stderr is closed (`brochure build 2>&1 | head -1`):
/// what fits is printed, and the program goes on to exit with its own status.
macro_rules! say {
    ($($arg:tt)*) => {{
        let _ = write!(std::io::stderr(), $($arg)*);
    }};
}

/// `eprintln!` that does not panic when stderr is closed; see [`say!`].
macro_rules! say_line {
    ($($arg:tt)*) => {{
        let _ = writeln!(std::io::stderr(), $($arg)*);
    }};
}
mod publish_cli;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let out = Printer::new(cli.quiet, cli.verbose);
    let root = cli.root.clone();
    match cli.command {
        Command::Init(args) => init(&out, &root, args),
        Command::Build(args) => build(&out, &root, args),
        Command::Check(args) => check(&out, &root, args),
        Command::Serve(args) => serve(out, &root, args),
        Command::New(what) => new(&out, &root, what),
        Command::Publish(args) => publish_cli::publish(&out, &root, args),
        Command::Translate(what) => translate(&out, &root, what),
        Command::Stamp { file } => scaffold(&out, &root, |config| brochure::scaffold::stamp(&root, config, &file)),
    }
}

fn init(out: &Printer, root: &Path, args: InitArgs) -> ExitCode {
    use brochure::scaffold::init::{init, StarterLanguage as Language};
    // Without a folder, the project is made here: say where that is, not ".".
    let here = args.dir.is_none() && root == Path::new(".");
    let dir = args.dir.unwrap_or_else(|| std::path::absolute(root).unwrap_or_else(|_| root.to_path_buf()));
    let language = match args.language {
        StarterLanguage::It => Language::Italian,
        StarterLanguage::En => Language::English,
    };
    match init(&dir, language) {
        Ok(project) => {
            let theme = project.files.iter().filter(|f| f.starts_with("themes/")).count();
            let shown = dir.display().to_string().replace('\\', "/");
            out.info(&format!("Created a brochure project in {}/:", shown.trim_end_matches('/')));
            out.info("  config.yaml       the site's settings, each explained: set base_url before publishing");
            out.info(&format!(
                "  content/          the home page and the programme {} with one site",
                project.programme
            ));
            out.info(&format!("  themes/default/   the default theme ({theme} files), yours to change"));
            // Two steps rather than `&&`, which Windows PowerShell 5 does not know.
            let cd = match shown.as_str() {
                _ if here => String::new(),
                s if s.contains(char::is_whitespace) => format!("cd \"{s}\", then "),
                s => format!("cd {s}, then "),
            };
            out.info(&format!("Next: {cd}brochure serve, and open the address it prints"));
            ExitCode::SUCCESS
        }
        Err(e) => {
            say!("{}", e.to_diagnostic().render(out.color));
            ExitCode::FAILURE
        }
    }
}

fn build(out: &Printer, root: &Path, args: BuildArgs) -> ExitCode {
    let opts = BuildOptions {
        root: root.to_path_buf(),
        output: args.output,
        base_url: args.base_url,
        drafts: args.drafts,
        pdf: args.pdf,
        chromium: args.chromium,
        strict: args.strict,
        process_ends_after: true,
    };
    let progress = |step: Progress| match step {
        Progress::WaitingForOutput(path) => out.info(&brochure::build::waiting_for(path)),
        Progress::Pdf { done, total } => out.progress(&format!("PDF {done}/{total}"), done == total),
    };
    match brochure::build_with_progress(&opts, &progress) {
        Ok(report) => {
            out.diagnostics(&report.warnings);
            out.info(&report.summary());
            let pdf = &report.pdf;
            if pdf.printed > 0 {
                out.info(&format!(
                    "{} PDF documents printed with Chromium in {:.1} s",
                    pdf.printed,
                    pdf.elapsed.as_secs_f64()
                ));
            }
            if pdf.kept > 0 {
                out.info(&format!("{} PDF documents kept from the previous build (unchanged)", pdf.kept));
            }
            if pdf.stale > 0 {
                out.info(&format!(
                    "{} PDF document{} out of date (the leaflet or booklet changed) and left out: run `brochure build --pdf` to print {}",
                    pdf.stale,
                    if pdf.stale == 1 { " is" } else { "s are" },
                    if pdf.stale == 1 { "it again" } else { "them again" }
                ));
            }
            if out.verbose {
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

fn check(out: &Printer, root: &Path, args: CheckArgs) -> ExitCode {
    let opts =
        BuildOptions { root: root.to_path_buf(), drafts: args.drafts, strict: args.strict, ..Default::default() };
    let (found, plain) = brochure::build::check_with_scores(&opts);
    let (errors, warnings) = brochure::check::counts(&found);
    match args.format {
        Format::Json => {
            let report = serde_json::json!({
                "errors": errors,
                "warnings": warnings,
                "diagnostics": found,
                "plain_language": plain,
            });
            // A closed pipe (`| head`) is not an error worth a panic.
            let _ = writeln!(std::io::stdout(), "{}", serde_json::to_string_pretty(&report).unwrap_or_default());
        }
        Format::Text => {
            // `--quiet`: errors only, as for every command.
            for d in found.iter().filter(|d| d.is_error() || !out.quiet) {
                say!("{}", d.render(out.color));
                say_line!();
            }
            if let Some(plain) = &plain {
                out.info(&plain_summary(plain));
            }
            out.info(&format!("check: {errors} error(s), {warnings} warning(s); nothing was written"));
        }
    }
    // With --strict the warnings were made errors.
    if errors > 0 {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}

/// One line on readability: the range of scores per formula, and the languages skipped.
fn plain_summary(plain: &brochure::check::plain::Report) -> String {
    let mut parts = Vec::new();
    for (formula, name) in [("gulpease", "Gulpease (Italian)"), ("flesch", "Flesch reading ease (English)")] {
        let scores: Vec<f64> = plain.pages.iter().filter(|p| p.formula == formula).map(|p| p.score).collect();
        if let (Some(low), Some(high)) =
            (scores.iter().copied().reduce(f64::min), scores.iter().copied().reduce(f64::max))
        {
            parts.push(format!("{name} {low}–{high} over {} pages", scores.len()));
        }
    }
    if !plain.skipped_languages.is_empty() {
        parts.push(format!("no readability formula for: {}", plain.skipped_languages.join(", ")));
    }
    format!("plain language: {}", if parts.is_empty() { "no text to score".to_string() } else { parts.join("; ") })
}

fn serve(out: Printer, root: &Path, args: ServeArgs) -> ExitCode {
    let opts = brochure::serve::ServeOptions {
        build: BuildOptions { root: root.to_path_buf(), drafts: args.drafts, ..Default::default() },
        bind: args.bind,
        port: args.port,
    };
    let open = args.open;
    let out = Arc::new(out);
    let log_out = Arc::clone(&out);
    let report: Arc<dyn Fn(ServeEvent) + Send + Sync> = Arc::new(move |event: ServeEvent| {
        log_out.info(&event.to_string());
        if let (true, ServeEvent::Listening { url }) = (open, &event) {
            let (program, args) = brochure::serve::open_command(brochure::pdf::Platform::current(), url);
            let _ = std::process::Command::new(program).args(args).spawn();
        }
    });
    match brochure::serve::serve(opts, report) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            let d = Diagnostic::error(e.to_string())
                .with_hint("choose another port with --port, or stop the program using it");
            say!("{}", d.render(out.color));
            ExitCode::FAILURE
        }
    }
}

fn new(out: &Printer, root: &Path, what: NewCommand) -> ExitCode {
    use brochure::scaffold;
    scaffold(out, root, |config| match &what {
        NewCommand::Programme { name } => scaffold::new_programme(root, config, name),
        NewCommand::Site { programme, name } => scaffold::new_site(root, config, programme, name),
        NewCommand::Page { name } => scaffold::new_page(root, config, name),
        NewCommand::Translation { file, lang } => scaffold::new_translation(root, config, file, lang),
    })
}

fn translate(out: &Printer, root: &Path, what: TranslateCommand) -> ExitCode {
    use brochure::translate::{self, Only};
    let importing = matches!(what, TranslateCommand::Import { .. });
    let result = match what {
        TranslateCommand::Export { to, only, output } => {
            let only = match only {
                cli::Only::Missing => Only::Missing,
                cli::Only::Stale => Only::Stale,
                cli::Only::All => Only::All,
            };
            translate::export(root, &to, only).and_then(|(xml, pages, units)| {
                let done = match &output {
                    Some(path) => std::fs::write(path, &xml).map_err(|e| {
                        vec![Diagnostic::error(format!("cannot write {}: {e}", path.display()))
                            .with_hint("choose a file in a folder you can write to")]
                    }),
                    None => {
                        let _ = std::io::stdout().write_all(xml.as_bytes());
                        Ok(())
                    }
                };
                let to_file = output.map(|p| format!(" to {}", p.display())).unwrap_or_default();
                done.map(|()| {
                    out.info(&format!("exported {pages} page(s), {units} unit(s) for translation into {to}{to_file}"))
                })
            })
        }
        TranslateCommand::Import { file } => translate::import(root, &file).map(|report| {
            for path in &report.written {
                out.info(&format!("wrote {}", path.display()));
            }
            for (path, why) in &report.incomplete {
                out.info(&format!("left {} as it was: {why}; translate it and import again", path.display()));
            }
            out.info(&format!(
                "import: {} file(s) written, {} unchanged, {} incomplete",
                report.written.len(),
                report.unchanged,
                report.incomplete.len()
            ));
        }),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(list) => {
            out.diagnostics(&list);
            // Refusals (they have kinds) come before any file is written; a failed write does not.
            if importing && list.iter().all(|d| d.kind != brochure::Kind::Other) {
                say_line!("nothing was written to content/");
            }
            ExitCode::FAILURE
        }
    }
}

/// Runs a command that creates or updates one content file, and reports it.
fn scaffold(
    out: &Printer,
    root: &Path,
    run: impl FnOnce(&Config) -> Result<std::path::PathBuf, brochure::scaffold::ScaffoldError>,
) -> ExitCode {
    let config = match Config::load(&root.join("config.yaml"), Path::new("config.yaml")) {
        Ok(c) => c,
        Err(list) => {
            out.diagnostics(&list);
            return ExitCode::FAILURE;
        }
    };
    match run(&config) {
        Ok(path) => {
            let text = std::fs::read_to_string(root.join(&path)).unwrap_or_default();
            let draft = text.lines().any(|l| l.trim_start().starts_with("draft: true"));
            let note = if draft { " (a draft: set `draft: false` when it is ready to publish)" } else { "" };
            out.info(&format!("wrote {}{note}", path.display()));
            ExitCode::SUCCESS
        }
        Err(e) => {
            say!("{}", e.to_diagnostic().render(out.color));
            ExitCode::FAILURE
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
        // TERM=dumb has no colours; a Windows console shows ANSI colours only once asked to
        // (anstyle-query turns on its virtual-terminal mode, as clap and cargo do), and
        // where it cannot, the text stays plain instead of filling with `←[1;31m`.
        let color = !no_color
            && std::io::stderr().is_terminal()
            && anstyle_query::term_supports_color()
            && anstyle_query::windows::enable_ansi_colors().unwrap_or(true);
        Printer { quiet, verbose, color }
    }

    fn info(&self, line: &str) {
        if !self.quiet {
            say_line!("{line}");
        }
    }

    /// A progress line that rewrites itself on a terminal.
    fn progress(&self, line: &str, last: bool) {
        if self.quiet {
            return;
        }
        if std::io::stderr().is_terminal() {
            say!("\r{line}{}", if last { "\n" } else { "" });
        } else if last {
            say_line!("{line}");
        }
    }

    fn diagnostics(&self, list: &[Diagnostic]) {
        let warnings = list.iter().filter(|d| !d.is_error()).count();
        for d in list {
            if d.is_error() || (!self.quiet && (self.verbose || warnings <= 20)) {
                say!("{}", d.render(self.color));
                say_line!();
            }
        }
        if !self.quiet && !self.verbose && warnings > 20 {
            say_line!("{warnings} warnings (run with --verbose to see them all, or `brochure check`)");
        }
    }

    fn failure(&self, e: &BuildError) {
        match e {
            BuildError::Invalid(list) => {
                self.diagnostics(list);
                say_line!("{e}; nothing was written, the previous site is untouched");
            }
            BuildError::Write(w) => {
                let d = Diagnostic::error(w.to_string()).with_hint(w.hint());
                say!("{}", d.render(self.color));
            }
        }
    }
}
