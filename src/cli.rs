//! Command-line interface (clap derive).

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

#[derive(Debug, Parser)]
#[command(name = "brochure", version, about = "Builds a multilingual volunteer-programme brochure site from Markdown")]
pub struct Cli {
    /// Project folder (holding config.yaml, content/ and themes/).
    #[arg(long, global = true, default_value = ".")]
    pub root: PathBuf,
    /// Only print errors.
    #[arg(long, short, global = true, conflicts_with = "verbose")]
    pub quiet: bool,
    /// Print each warning in full and per-stage details.
    #[arg(long, short, global = true)]
    pub verbose: bool,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Build the site into public/ (or --output).
    Build(BuildArgs),
}

#[derive(Debug, Args)]
pub struct BuildArgs {
    /// Write the site here instead of public/.
    #[arg(long, short)]
    pub output: Option<PathBuf>,
    /// Use this address instead of config.yaml's base_url (for preview builds).
    #[arg(long)]
    pub base_url: Option<String>,
    /// Include pages marked `draft: true`.
    #[arg(long)]
    pub drafts: bool,
    /// Also print every leaflet and booklet to PDF with headless Chromium.
    #[arg(long)]
    pub pdf: bool,
    /// The Chromium program for --pdf (default: chromium found on PATH).
    #[arg(long, value_name = "PATH")]
    pub chromium: Option<PathBuf>,
}
