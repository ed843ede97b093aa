//! The build chain: load -> model -> render -> write. `check` and `serve` drive the same
//! chain; this module only sequences it and gathers what each stage reports, so that the
//! three commands find the same problems.

mod session;

pub use session::{prepare_in, Changes, Session};

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use thiserror::Error;

use crate::check;
use crate::config::Config;
use crate::diagnostic::Diagnostic;
use crate::load;
use crate::model::{self, Brochure};
use crate::pdf;
use crate::render::{self, Rendered};
use crate::write::{self, OutputLock, WriteError};

/// What a build is asked to do beyond what config.yaml says.
#[derive(Debug, Clone, Default)]
pub struct BuildOptions {
    /// Project folder holding config.yaml, content/ and themes/.
    pub root: PathBuf,
    /// Output folder; `public/` inside the project by default.
    pub output: Option<PathBuf>,
    /// Overrides `base_url`, for preview builds.
    pub base_url: Option<String>,
    /// Includes pages marked `draft: true`.
    pub drafts: bool,
    /// Prints leaflets and booklets to PDF with Chromium (also set by `pdf: true` in config).
    pub pdf: bool,
    /// The Chromium program for PDF export; default: found on PATH.
    pub chromium: Option<PathBuf>,
    /// Treats every warning as an error (`--strict`).
    pub strict: bool,
    /// The process ends after this build (`brochure build`): the site's model and the
    /// build's records are left for the system to reclaim at exit, all at once, instead of
    /// being freed piece by piece (1.4% of a 5,000-site build).
    pub process_ends_after: bool,
}

#[derive(Debug, Error)]
pub enum BuildError {
    /// Problems in the user's files; the previous output is untouched.
    #[error("{} error(s) found", .0.iter().filter(|d| d.is_error()).count())]
    Invalid(Vec<Diagnostic>),
    #[error(transparent)]
    Write(#[from] WriteError),
}

/// A successful build: counts for the summary line, and the warnings to show.
#[derive(Debug)]
pub struct BuildReport {
    pub pages_per_language: BTreeMap<String, usize>,
    pub languages: Vec<String>,
    pub files: usize,
    /// PDFs printed (with `--pdf`), kept from the previous build, and out of date.
    pub pdf: pdf::PdfReport,
    pub warnings: Vec<Diagnostic>,
    pub elapsed: Duration,
    pub output: PathBuf,
}

/// The site in memory, before anything is written.
pub struct Prepared {
    pub config: Config,
    /// Shared with serve's session, which starts the next build from it.
    pub brochure: Arc<Brochure>,
    pub rendered: Rendered,
    /// Everything found on the way, the render's warnings included. Errors here (a broken
    /// link...) did not stop the site from being made, but `build` refuses to publish it.
    pub findings: Vec<Diagnostic>,
}

/// Loads, checks and renders the project; returns every problem at once on failure.
pub fn prepare(opts: &BuildOptions) -> Result<Prepared, BuildError> {
    prepare_in(opts, &mut Session::one_off(), &Changes::Everything)
}

/// Every finding about the project, as `brochure check` reports them: what `build` would
/// refuse (errors), and its warnings (errors too with `strict`); errors first, each group
/// in file and line order. Nothing is written.
pub fn check(opts: &BuildOptions) -> Vec<Diagnostic> {
    check_with_scores(opts).0
}

/// As [`check`], with the plain-language report (`None` when the site could not be made).
pub fn check_with_scores(opts: &BuildOptions) -> (Vec<Diagnostic>, Option<check::plain::Report>) {
    let (mut found, plain) = match prepare(opts) {
        Err(BuildError::Invalid(list)) => (list, None),
        Err(other) => (vec![Diagnostic::error(other.to_string())], None),
        Ok(prepared) => {
            let mut plain = check::plain::review(&prepared.brochure, &prepared.config);
            let mut found = prepared.findings;
            found.append(&mut plain.findings);
            (found, Some(plain))
        }
    };
    strictly(opts, &mut found);
    found.sort_by(|a, b| (a.severity, &a.path, a.line, a.column).cmp(&(b.severity, &b.path, b.line, b.column)));
    found.dedup();
    (found, plain)
}

/// With `--strict`, every warning is an error, but for the plain-language advice: a long
/// sentence is a writer's judgment call, not a defect to stop a release for.
fn strictly(opts: &BuildOptions, found: &mut [Diagnostic]) {
    use crate::diagnostic::Kind;
    if opts.strict {
        found
            .iter_mut()
            .filter(|d| !matches!(d.kind, Kind::HardToRead | Kind::LongSentence))
            .for_each(|d| d.severity = crate::diagnostic::Severity::Error);
    }
}

/// The project read and checked, ready to render.
struct Loaded {
    config: Config,
    chromium: Option<PathBuf>,
    brochure: Brochure,
    theme: load::ThemeFiles,
    assets: Vec<load::Asset>,
    warnings: Vec<Diagnostic>,
}

fn load_and_model(opts: &BuildOptions, session: &mut Session, changes: &Changes) -> Result<Loaded, BuildError> {
    let mut config =
        Config::load(&opts.root.join("config.yaml"), Path::new("config.yaml")).map_err(BuildError::Invalid)?;
    if let Some(url) = &opts.base_url {
        crate::config::BaseUrl::parse(url).map_err(|e| {
            BuildError::Invalid(vec![
                Diagnostic::error(format!("--base-url {e}")).with_hint("e.g. --base-url http://localhost:8000/")
            ])
        })?;
        config.base_url = url.clone();
    }
    let mut problems = Vec::new();
    if config.base().is_placeholder() {
        problems.push(placeholder_address(opts, &config));
    }
    let (content, content_problems) = session.content(&opts.root, &config, changes);
    problems.extend(content_problems);
    let mut chromium = None;
    if opts.pdf || config.pdf {
        match pdf::find_chromium(opts.chromium.as_deref()) {
            Ok(path) => chromium = Some(path),
            Err(d) => problems.push(d),
        }
    }
    let (mut theme, theme_problems) = load::load_theme(&opts.root, &config.theme);
    crate::load::with_configured_icon(&mut theme.statics, &opts.root, config.favicon.as_deref());
    problems.extend(theme_problems);
    let assembled = model::assemble_with(content.docs, &content.unreadable, &config, opts.drafts, &session.model);
    let (brochure, model_warnings) = match assembled {
        Ok(ok) => ok,
        Err(mut found) => {
            problems.append(&mut found);
            return Err(BuildError::Invalid(problems));
        }
    };
    problems.extend(model_warnings);
    if problems.iter().any(Diagnostic::is_error) {
        return Err(BuildError::Invalid(problems));
    }
    Ok(Loaded { config, chromium, brochure, theme, assets: content.assets, warnings: problems })
}

/// The warning about a `base_url` that cannot be the published site's, located at the line
/// of config.yaml that sets it (or naming `--base-url`); `publish` makes it an error.
pub fn placeholder_address(opts: &BuildOptions, config: &Config) -> Diagnostic {
    let d = Diagnostic::warning(format!("`{}` is a placeholder address, not the site's real one", config.base_url))
        .of_kind(crate::diagnostic::Kind::PlaceholderAddress)
        .with_hint(
            "every leaflet and booklet is marked \"preview — address not final\" and its QR code leads there; set `base_url:` in config.yaml to the address the site will have",
        );
    if opts.base_url.is_some() {
        return d;
    }
    let text = std::fs::read_to_string(opts.root.join("config.yaml")).unwrap_or_default();
    match text.lines().position(|l| l.starts_with("base_url:")) {
        Some(i) => d.in_file("config.yaml").at(i + 1, 11, Some(&text)),
        None => d.in_file("config.yaml"),
    }
}

/// What a running build reports, for the terminal.
#[derive(Debug, Clone, Copy)]
pub enum Progress<'a> {
    /// Another build is writing this output folder; this one waits until it is done.
    WaitingForOutput(&'a Path),
    /// PDF documents printed so far.
    Pdf { done: usize, total: usize },
}

/// What the terminal says while [`Progress::WaitingForOutput`].
pub fn waiting_for(output: &Path) -> String {
    format!("another build or publish is using {}; waiting for it to finish", output.display())
}

/// Builds the site into the output folder.
pub fn build(opts: &BuildOptions) -> Result<BuildReport, BuildError> {
    build_with_progress(opts, &|_| {})
}

/// Builds the site; `progress` is called while it waits for the output folder and as PDFs are
/// made. Fails, leaving the output folder untouched, on every error `check` reports (and on
/// warnings with `strict`).
pub fn build_with_progress(
    opts: &BuildOptions,
    progress: &(dyn Fn(Progress) + Sync),
) -> Result<BuildReport, BuildError> {
    build_holding_output(opts, progress).map(|(report, _released)| report)
}

/// Builds the site as [`build_with_progress`] does, and keeps the output folder locked
/// until the lock returned is dropped: `publish` reads the site it sends from the output
/// folder, which another build or publish must not replace meanwhile.
pub fn build_holding_output(
    opts: &BuildOptions,
    progress: &(dyn Fn(Progress) + Sync),
) -> Result<(BuildReport, OutputLock), BuildError> {
    build_staged(opts, progress).map_err(|e| match e {
        BuildError::Invalid(mut list) => {
            strictly(opts, &mut list);
            BuildError::Invalid(list)
        }
        other => other,
    })
}

fn build_staged(
    opts: &BuildOptions,
    progress: &(dyn Fn(Progress) + Sync),
) -> Result<(BuildReport, OutputLock), BuildError> {
    let started = Instant::now();
    let mut session = Session::one_off_reading(load::Reading::BodyOnDisk);
    let Loaded { config, chromium, brochure, theme, assets, mut warnings } =
        load_and_model(opts, &mut session, &Changes::Everything)?;
    let output = opts.output.clone().unwrap_or_else(|| opts.root.join("public"));
    // Each file goes to the staging folder as soon as it is rendered: a large site is never
    // held in memory whole, and the old output is replaced only if everything succeeds.
    let staged = write::Staged::begin(&output, &opts.root, &|| progress(Progress::WaitingForOutput(&output)))?;
    // Chromium starts while the site renders; the pages link the PDFs decided here.
    let pdfs = pdf::PdfExport::new(chromium, &staged);
    let decide = |documents: &[render::PrintDocument]| pdfs.decide(documents);
    let decide: Option<&render::PdfDecision> = if pdfs.wanted() { Some(&decide) } else { None };
    let written = std::sync::Mutex::new(Vec::new());
    // The first file that cannot be written is the one reported, and nothing more is
    // written: a full disk failed every file after it, one message each (about a hundred).
    let cannot_write = AtomicBool::new(false);
    let write_one = |o: render::Output| {
        if cannot_write.load(Ordering::Relaxed) {
            return Ok(None);
        }
        if let Err(e) = staged.write(&o) {
            if cannot_write.swap(true, Ordering::Relaxed) {
                return Ok(None);
            }
            return Err(Diagnostic::error(e.to_string()).with_hint(e.hint()));
        }
        written.lock().unwrap_or_else(|e| e.into_inner()).push(Arc::clone(&o.path));
        Ok(None)
    };
    let memo = check::Memo::for_one_build();
    let rendered = match render::render_into(&brochure, &config, &theme, &assets, &session.render, &write_one, decide) {
        Ok(mut rendered) => {
            warnings.append(&mut rendered.warnings);
            memo.offer(&rendered.body_links);
            rendered
        }
        Err(mut found) => {
            warnings.append(&mut found);
            return Err(BuildError::Invalid(warnings));
        }
    };
    let mut paths = written.into_inner().unwrap_or_else(|e| e.into_inner());
    paths.sort();
    // The rules `check` applies to the same files: an error leaves the staging folder unused.
    let outputs = || paths.iter().cloned().collect();
    warnings.extend(check::review(&brochure, &config, outputs, (&rendered.links, rendered.site_key), &memo));
    let refused = |found: &[Diagnostic]| found.iter().any(|d| d.is_error() || opts.strict);
    if refused(&warnings) {
        return Err(BuildError::Invalid(warnings));
    }
    let mut pdf = pdfs.finish(&staged, &|done, total| progress(Progress::Pdf { done, total }));
    warnings.append(&mut pdf.warnings);
    if refused(&warnings) {
        return Err(BuildError::Invalid(warnings));
    }
    let lock = staged.commit()?;
    let languages: Vec<String> = config.languages.iter().map(|l| l.code.clone()).collect();
    if opts.process_ends_after {
        // Memory only: the staging folder is released above, the output's lock by the caller.
        std::mem::forget((session, brochure, memo, rendered));
    }
    let report = BuildReport {
        pages_per_language: count_pages(&paths, &config),
        languages,
        files: paths.len() + pdf.printed + pdf.kept + usize::from(pdf.printed + pdf.kept > 0),
        pdf,
        warnings,
        elapsed: started.elapsed(),
        output,
    };
    Ok((report, lock))
}

/// HTML pages written per language: a language's pages live under `<code>/`, the default
/// language's everywhere else (404.html included).
fn count_pages(paths: &[Arc<str>], config: &Config) -> BTreeMap<String, usize> {
    let mut counts: BTreeMap<String, usize> = config.languages.iter().map(|l| (l.code.clone(), 0)).collect();
    for path in paths.iter().filter(|p| p.ends_with(".html")) {
        let first = path.split('/').next().unwrap_or("");
        let lang = if path.contains('/') && counts.contains_key(first) && first != config.default_language {
            first
        } else {
            config.default_language.as_str()
        };
        *counts.entry(lang.to_string()).or_default() += 1;
    }
    counts
}

impl BuildReport {
    /// `Built 24 pages in 2 languages (it 12, en 12) in 38 ms`.
    pub fn summary(&self) -> String {
        let total: usize = self.pages_per_language.values().sum();
        let per: Vec<String> = self.languages.iter().map(|l| format!("{l} {}", self.pages_per_language[l])).collect();
        format!(
            "Built {total} pages in {} language{} ({}) in {} ms",
            self.languages.len(),
            if self.languages.len() == 1 { "" } else { "s" },
            per.join(", "),
            self.elapsed.as_millis()
        )
    }
}
