//! Printing at scale: how long one headless Chromium takes to print every leaflet of a
//! corpus (made by `gen-corpus`), with a few tab counts, and how long a whole
//! `build --pdf` takes (leaflets, booklets and `leaflets.pdf`). Reports the start-up share,
//! the time per PDF, Chromium's CPU time and the machine's load, for BENCHMARKS.md.
//!
//! ```text
//! cargo run --release --example gen-corpus -- --sites 500 --languages it,en --out /tmp/corpus
//! cargo run --release --example pdf-bench -- --corpus /tmp/corpus --chromium /usr/bin/chromium
//! ```

use std::path::{Path, PathBuf};
use std::time::Instant;

use brochure::pdf::Printer;
use brochure::BuildOptions;
use clap::Parser;

#[derive(Debug, Parser)]
struct Args {
    /// A project made by gen-corpus.
    #[arg(long)]
    corpus: PathBuf,
    #[arg(long, default_value = "/usr/bin/chromium")]
    chromium: PathBuf,
    /// Tab counts to try for the leaflets alone.
    #[arg(long, value_delimiter = ',', default_value = "2,3,4")]
    tabs: Vec<usize>,
    /// Skip the whole `build --pdf`.
    #[arg(long)]
    leaflets_only: bool,
}

fn main() {
    let args = Args::parse();
    let output = args.corpus.join("public");
    let opts = BuildOptions { root: args.corpus.clone(), output: Some(output.clone()), ..Default::default() };
    brochure::build(&opts).unwrap_or_else(|e| panic!("HTML build: {e}"));
    let mut leaflets = Vec::new();
    collect(&output, &mut leaflets);
    leaflets.sort();
    let files: Vec<&Path> = leaflets.iter().map(PathBuf::as_path).collect();
    println!("{} leaflets in {}", files.len(), output.display());
    for &tabs in &args.tabs {
        let load = loadavg();
        let cpu_before = children_cpu_seconds();
        let started = Instant::now();
        let profile = args.corpus.join(".pdf-bench-browser");
        std::fs::create_dir_all(&profile).expect("the browser's profile folder");
        let profile = brochure::write::Scratch::mark(profile).expect("the browser's profile folder");
        let printer = Printer::launch(&args.chromium, profile).expect("Chromium starts");
        let startup = started.elapsed();
        let failed = std::sync::atomic::AtomicUsize::new(0);
        printer.print_all(&output, &files, tabs, &|_, result| {
            if result.is_err() {
                failed.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            }
        });
        drop(printer);
        let total = started.elapsed();
        let cpu = children_cpu_seconds() - cpu_before;
        println!(
            "leaflets, {tabs} tabs: {} PDFs in {:.1} s ({:.0} ms per PDF; start-up {:.2} s = {:.1}%); Chromium CPU {:.1} s ({:.0} ms per PDF); failed {}; load before {load}, after {}",
            files.len(),
            total.as_secs_f64(),
            total.as_secs_f64() * 1000.0 / files.len() as f64,
            startup.as_secs_f64(),
            100.0 * startup.as_secs_f64() / total.as_secs_f64(),
            cpu,
            cpu * 1000.0 / files.len() as f64,
            failed.into_inner(),
            loadavg()
        );
    }
    if args.leaflets_only {
        return;
    }
    let load = loadavg();
    let cpu_before = children_cpu_seconds();
    let started = Instant::now();
    let report = brochure::build(&BuildOptions { pdf: true, chromium: Some(args.chromium.clone()), ..opts })
        .unwrap_or_else(|e| panic!("build --pdf: {e}"));
    let total = started.elapsed();
    let pdf = &report.pdf;
    println!(
        "build --pdf: {:.1} s in all; {} PDFs printed in {:.1} s ({:.0} ms per PDF; start-up {:.2} s, overlapping the render); Chromium CPU {:.1} s; {} warnings; load before {load}, after {}",
        total.as_secs_f64(),
        pdf.printed,
        pdf.elapsed.as_secs_f64(),
        pdf.elapsed.as_secs_f64() * 1000.0 / pdf.printed.max(1) as f64,
        pdf.startup.as_secs_f64(),
        children_cpu_seconds() - cpu_before,
        report.warnings.len(),
        loadavg()
    );
}

fn collect(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("read the output").flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect(&path, out);
        } else if path.file_name().is_some_and(|n| n == "leaflet.html") {
            out.push(path);
        }
    }
}

/// The 1-minute load average (Linux), as `uptime` shows it.
fn loadavg() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .ok()
        .and_then(|s| s.split(' ').next().map(str::to_string))
        .unwrap_or_default()
}

/// CPU time of the finished child processes (Chromium and its helpers, once it has quit),
/// from /proc/self/stat: load-independent, unlike the wall time on a shared machine.
fn children_cpu_seconds() -> f64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    let fields: Vec<&str> = stat.rsplit(')').next().unwrap_or("").split_whitespace().collect();
    // After the command name: state is field 3, cutime 16 and cstime 17 (1-based, man proc).
    let ticks = |i: usize| fields.get(i - 3).and_then(|v| v.parse::<f64>().ok()).unwrap_or(0.0);
    (ticks(16) + ticks(17)) / 100.0
}
