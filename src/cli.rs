//! Command-line interface (clap derive).

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

#[derive(Debug, Parser)]
#[command(name = "brochure", version, about = "Builds a multilingual volunteer-programme brochure site from Markdown")]
pub struct Cli {
    /// Project folder (holding config.yaml, content/ and themes/).
    #[arg(long, global = true, default_value = ".")]
    pub root: PathBuf,
    /// Only print errors.
    #[arg(long, short, global = true, conflicts_with = "verbose")]
    pub quiet: bool,
    /// Print every warning in full and more details.
    #[arg(long, short, global = true)]
    pub verbose: bool,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Start a new project in DIR: config.yaml, content/ with a worked example, and the default theme.
    Init(InitArgs),
    /// Build the site into public/ (or --output).
    Build(BuildArgs),
    /// Find every mistake (front matter, links, images, translations, templates) without writing anything.
    Check(CheckArgs),
    /// Preview the site on http://127.0.0.1:1111/, rebuilding and reloading on every change.
    Serve(ServeArgs),
    /// Create a programme, a site, a page or a translation with every field explained.
    #[command(subcommand)]
    New(NewCommand),
    /// Build the site and upload it to the web host: only new and changed files, in an order that never shows a broken site.
    Publish(PublishArgs),
    /// Exchange translations with translators as XLIFF 1.2 (the format of CAT tools).
    #[command(subcommand)]
    Translate(TranslateCommand),
    /// Record that a translation is up to date with its source (after updating it).
    Stamp {
        /// The translation file, e.g. content/comune-milano-informa/wemi.en.md
        file: PathBuf,
    },
}

#[derive(Debug, Args)]
pub struct InitArgs {
    /// The project folder, created if missing; it must not hold config.yaml, content/ or themes/ yet
    /// (default: --root, i.e. the current folder).
    pub dir: Option<PathBuf>,
    /// The language of the site's first pages and of the notes in its files; the other one
    /// becomes the site's second language.
    #[arg(long, value_enum, default_value_t = StarterLanguage::It)]
    pub language: StarterLanguage,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum StarterLanguage {
    /// Italian, with English translations.
    It,
    /// English, with Italian translations.
    En,
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
    /// Fail (exit 1, nothing written) on warnings too, as `check --strict` does.
    #[arg(long)]
    pub strict: bool,
}

#[derive(Debug, Args)]
pub struct PublishArgs {
    /// sftp://user@host[:port]/folder, ftp://…, ftps://…, file:///folder, or a name under `publish:` in config.yaml
    /// (default: the only one there).
    pub target: Option<String>,
    /// Print what would be added, changed and deleted; change nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// Publish into a folder holding files that brochure did not put there (same names are overwritten, the rest left alone).
    #[arg(long)]
    pub force: bool,
    /// SFTP: this private key instead of the SSH agent and ~/.ssh/id_*.
    #[arg(long, short = 'i', value_name = "FILE")]
    pub identity: Option<PathBuf>,
    /// Upload at most this many kilobytes per second (on average), to leave the connection usable.
    #[arg(long, value_name = "KBPS")]
    pub bwlimit: Option<std::num::NonZeroU64>,
    /// Also print every leaflet and booklet to PDF with headless Chromium, as `build --pdf`.
    #[arg(long)]
    pub pdf: bool,
    /// The Chromium program for --pdf (default: chromium found on PATH).
    #[arg(long, value_name = "PATH")]
    pub chromium: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Fail (exit 1) on warnings too, reporting them as errors, as `build --strict` does.
    #[arg(long)]
    pub strict: bool,
    /// Output format: text for people, json for editors and CI.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
    /// Check pages marked `draft: true` too.
    #[arg(long)]
    pub drafts: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Text,
    Json,
}

#[derive(Debug, Args)]
pub struct ServeArgs {
    #[arg(long, default_value_t = 1111)]
    pub port: u16,
    /// Address to listen on; the default only accepts this computer.
    #[arg(long, default_value = "127.0.0.1")]
    pub bind: String,
    /// Open the site in the default browser.
    #[arg(long)]
    pub open: bool,
    /// Include pages marked `draft: true`.
    #[arg(long)]
    pub drafts: bool,
}

#[derive(Debug, Subcommand)]
pub enum NewCommand {
    /// A programme: content/NAME/_index.<default language>.md
    Programme { name: String },
    /// A site of a programme: content/PROGRAMME/NAME.<default language>.md
    Site { programme: String, name: String },
    /// A plain page: content/NAME.<default language>.md
    Page { name: String },
    /// A translation of FILE into LANG, next to it.
    Translation { file: PathBuf, lang: String },
}

#[derive(Debug, Subcommand)]
pub enum TranslateCommand {
    /// Write the pages to translate into LANG as an XLIFF 1.2 file for a CAT tool.
    Export {
        /// The language to translate into, e.g. en
        #[arg(long, value_name = "LANG")]
        to: String,
        /// Which pages: those without a translation, those older than their source, or all.
        #[arg(long, value_enum, default_value_t = Only::All)]
        only: Only,
        /// Write the XLIFF here instead of to standard output.
        #[arg(long, short, value_name = "FILE")]
        output: Option<PathBuf>,
    },
    /// Write the translations of an XLIFF file into content/ (nothing if a unit is refused).
    Import {
        /// The XLIFF file the translator sent back.
        file: PathBuf,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Only {
    Missing,
    Stale,
    All,
}
