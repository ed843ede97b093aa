//! The build chain: load -> model -> render -> write. `check` and `serve` drive the same
//! chain; this module only sequences it and gathers what each stage reports.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use thiserror::Error;

use crate::config::Config;
use crate::diagnostic::Diagnostic;
use crate::load;
use crate::model::{self, Brochure};
use crate::pdf;
use crate::render::{self, RenderCache, Rendered};
use crate::write::{self, WriteError};

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
    /// PDF documents made (0 without `--pdf`).
    pub pdfs: usize,
    pub warnings: Vec<Diagnostic>,
    pub elapsed: Duration,
    pub output: PathBuf,
}

/// The site in memory, before anything is written.
pub struct Prepared {
    pub config: Config,
    /// Chromium, when PDFs were asked for and it was found.
    pub chromium: Option<PathBuf>,
    pub brochure: Brochure,
    pub rendered: Rendered,
    pub warnings: Vec<Diagnostic>,
}

/// Loads, checks and renders the project; returns every problem at once on failure.
pub fn prepare(opts: &BuildOptions) -> Result<Prepared, BuildError> {
    prepare_with_cache(opts, &RenderCache::for_one_build())
}

/// As [`prepare`], reusing what `cache` remembers of earlier renders (serve).
pub fn prepare_with_cache(opts: &BuildOptions, cache: &RenderCache) -> Result<Prepared, BuildError> {
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
    let (content, mut problems) = load::load_content(&opts.root, &config);
    // PDFs are linked from the pages only when they will exist.
    let mut chromium = None;
    if opts.pdf || config.pdf {
        match pdf::find_chromium(opts.chromium.as_deref()) {
            Ok(path) => chromium = Some(path),
            Err(d) => problems.push(d),
        }
    }
    config.pdf = chromium.is_some();
    let (theme, theme_problems) = load::load_theme(&opts.root, &config.theme);
    problems.extend(theme_problems);
    let assembled = model::assemble(content.docs, &config, opts.drafts);
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
    let rendered = match render::render(&brochure, &config, &theme, &content.assets, cache) {
        Ok(r) => r,
        Err(mut found) => {
            problems.append(&mut found);
            return Err(BuildError::Invalid(problems));
        }
    };
    Ok(Prepared { config, chromium, brochure, rendered, warnings: problems })
}

/// Builds the site into the output folder.
pub fn build(opts: &BuildOptions) -> Result<BuildReport, BuildError> {
    build_with_progress(opts, &|_, _| {})
}

/// Builds the site; `pdf_progress(done, total)` is called as PDFs are made.
pub fn build_with_progress(
    opts: &BuildOptions,
    pdf_progress: &(dyn Fn(usize, usize) + Sync),
) -> Result<BuildReport, BuildError> {
    let started = Instant::now();
    let mut prepared = prepare(opts)?;
    let output = opts.output.clone().unwrap_or_else(|| opts.root.join("public"));
    let staged = write::stage(&prepared.rendered.outputs, &output, &opts.root)?;
    let mut warnings = std::mem::take(&mut prepared.warnings);
    warnings.append(&mut prepared.rendered.warnings);
    let mut pdfs = 0;
    if let Some(chromium) = &prepared.chromium {
        let documents: Vec<String> = prepared
            .rendered
            .outputs
            .iter()
            .map(|o| o.path.clone())
            .filter(|p| p.ends_with("/leaflet.html") || p.ends_with("/booklet.html"))
            .collect();
        let problems = pdf::export(chromium, staged.dir(), &documents, pdf_progress);
        pdfs = documents.len() - problems.len();
        warnings.extend(problems);
    }
    staged.commit()?;
    let languages: Vec<String> = prepared.config.languages.iter().map(|l| l.code.clone()).collect();
    Ok(BuildReport {
        pages_per_language: count_pages(&prepared.rendered.outputs, &prepared.config),
        languages,
        files: prepared.rendered.outputs.len() + pdfs,
        pdfs,
        warnings,
        elapsed: started.elapsed(),
        output,
    })
}

/// HTML pages written per language: a language's pages live under `<code>/`, the default
/// language's everywhere else (404.html included).
fn count_pages(outputs: &[render::Output], config: &Config) -> BTreeMap<String, usize> {
    let mut counts: BTreeMap<String, usize> = config.languages.iter().map(|l| (l.code.clone(), 0)).collect();
    for o in outputs.iter().filter(|o| o.path.ends_with(".html")) {
        let first = o.path.split('/').next().unwrap_or("");
        let lang = if o.path.contains('/') && counts.contains_key(first) && first != config.default_language {
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
