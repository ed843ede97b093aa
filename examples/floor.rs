//! The floor for build-speed benchmarks: the least work any generator of this site must do.
//! It reads every `.md` under `content/`, splits off the front matter, renders the Markdown
//! with pulldown-cmark (brochure's options) and writes `--files` HTML files, in parallel with
//! rayon as `brochure build` renders. No templates, no model, no links, no QR codes.
//!
//! `cargo run --release --example floor -- --root CORPUS --output OUT --files N`
//!
//! `--files` is the number of files brochure writes for the same project (pages, leaflets,
//! booklets, lists, data), so both write the same number of files; the pages take turns
//! writing the files beyond one each.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::Parser as _;
use rayon::prelude::*;

#[derive(Debug, clap::Parser)]
#[command(about = "Reads, splits, renders and writes every page: the floor of a build")]
struct Args {
    /// Project folder (its `content/` is read).
    #[arg(long)]
    root: PathBuf,
    /// Output folder (replaced).
    #[arg(long)]
    output: PathBuf,
    /// Files to write in all; at least one per page.
    #[arg(long, default_value_t = 0)]
    files: usize,
}

fn main() -> ExitCode {
    let args = Args::parse();
    match run(&args) {
        Ok((pages, files, bytes)) => {
            println!("floor: {pages} pages, {files} files, {bytes} bytes written");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

fn run(args: &Args) -> std::io::Result<(usize, usize, usize)> {
    let content = args.root.join("content");
    let mut pages: Vec<PathBuf> = walkdir::WalkDir::new(&content)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file() && e.path().extension().is_some_and(|x| x == "md"))
        .map(|e| e.into_path())
        .collect();
    pages.sort();
    if args.output.exists() {
        fs::remove_dir_all(&args.output)?;
    }
    let files = args.files.max(pages.len());
    let written = pages
        .par_iter()
        .enumerate()
        .map(|(i, path)| {
            // Page i writes files i, i + pages, i + 2 × pages, … below `files`.
            let count = (files - i).div_ceil(pages.len());
            write_page(path, &content, &args.output, count)
        })
        .collect::<std::io::Result<Vec<(usize, usize)>>>()?;
    let (files, bytes) = written.iter().fold((0, 0), |(f, b), (wf, wb)| (f + wf, b + wb));
    Ok((pages.len(), files, bytes))
}

/// Renders one page and writes it `count` times into its own folder.
fn write_page(path: &Path, content: &Path, output: &Path, count: usize) -> std::io::Result<(usize, usize)> {
    let text = fs::read_to_string(path)?;
    let body = body(&text);
    let mut html = String::with_capacity(body.len() * 3 / 2);
    pulldown_cmark::html::push_html(
        &mut html,
        pulldown_cmark::Parser::new_ext(body, brochure::render::markdown::options()),
    );
    let relative = path.strip_prefix(content).unwrap_or(path).with_extension("");
    let folder = output.join(relative);
    fs::create_dir_all(&folder)?;
    for k in 0..count {
        let name = if k == 0 { "index.html".to_string() } else { format!("copy-{k}.html") };
        fs::write(folder.join(name), &html)?;
    }
    Ok((count, count * html.len()))
}

/// The text after the front matter (`---` lines), or all of it when there is none.
fn body(text: &str) -> &str {
    let Some(rest) = text.strip_prefix("---\n") else { return text };
    match rest.find("\n---\n") {
        Some(end) => &rest[end + 5..],
        None => text,
    }
}
