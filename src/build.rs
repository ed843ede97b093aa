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
    let Loaded { config, brochure, theme, assets, mut warnings, .. } = load_and_model(opts)?;
    let rendered = match render::render(&brochure, &config, &theme, &assets, cache) {
        Ok(r) => r,
        Err(mut found) => {
            warnings.append(&mut found);
            return Err(BuildError::Invalid(warnings));
        }
    };
    Ok(Prepared { config, brochure, rendered, warnings })
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

fn load_and_model(opts: &BuildOptions) -> Result<Loaded, BuildError> {
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
    Ok(Loaded { config, chromium, brochure, theme, assets: content.assets, warnings: problems })
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
    let Loaded { config, chromium, brochure, theme, assets, mut warnings } = load_and_model(opts)?;
    let output = opts.output.clone().unwrap_or_else(|| opts.root.join("public"));
    // Each file goes to the staging folder as soon as it is rendered: a large site is never
    // held in memory whole, and the old output is replaced only if everything succeeds.
    let staged = write::Staged::begin(&output, &opts.root)?;
    let written = std::sync::Mutex::new(Vec::new());
    let write_one = |o: render::Output| {
        staged.write(&o).map_err(|e| Diagnostic::error(e.to_string()).with_hint(e.hint()))?;
        written.lock().unwrap_or_else(|e| e.into_inner()).push(o.path);
        Ok(())
    };
    let cache = RenderCache::for_one_build();
    match render::render_into(&brochure, &config, &theme, &assets, &cache, &write_one) {
        Ok(mut found) => warnings.append(&mut found),
        Err(mut found) => {
            warnings.append(&mut found);
            return Err(BuildError::Invalid(warnings));
        }
    }
    let mut paths = written.into_inner().unwrap_or_else(|e| e.into_inner());
    paths.sort();
    let mut pdfs = 0;
    if let Some(chromium) = &chromium {
        let documents: Vec<String> =
            paths.iter().filter(|p| p.ends_with("/leaflet.html") || p.ends_with("/booklet.html")).cloned().collect();
        let problems = pdf::export(chromium, staged.dir(), &documents, pdf_progress);
        pdfs = documents.len() - problems.len();
        warnings.extend(problems);
    }
    staged.commit()?;
    let languages: Vec<String> = config.languages.iter().map(|l| l.code.clone()).collect();
    Ok(BuildReport {
        pages_per_language: count_pages(&paths, &config),
        languages,
        files: paths.len() + pdfs,
        pdfs,
        warnings,
        elapsed: started.elapsed(),
        output,
    })
}

/// HTML pages written per language: a language's pages live under `<code>/`, the default
/// language's everywhere else (404.html included).
fn count_pages(paths: &[String], config: &Config) -> BTreeMap<String, usize> {
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
