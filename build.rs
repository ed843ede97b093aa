//! Embeds the default theme (`themes/default/`) in the binary, so that `brochure init` can
//! write it into a new project with nothing but the program at hand.
//!
//! Writes `$OUT_DIR/default_theme.rs`: one `(path, include_bytes!(...))` entry per file,
//! sorted by path, so the list (and the binary) is the same on every machine. Skipped as the
//! theme loader skips them: hidden files and editor backups (`name~`). Cargo reruns this
//! script when anything under `themes/default/` changes, so the embedded copy cannot lag
//! behind the folder (and `tests/build/init.rs` compares the two file by file).

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

fn main() -> io::Result<()> {
    let theme = Path::new("themes").join("default");
    println!("cargo::rerun-if-changed={}", theme.display());
    let mut files = Vec::new();
    collect(&theme, &theme, &mut files)?;
    files.sort();
    let mut out = String::from("&[\n");
    for (rel, full) in &files {
        let full = full.canonicalize()?;
        // `{:?}` writes a Rust string literal: backslashes of Windows paths are escaped.
        out.push_str(&format!("    ({rel:?}, include_bytes!({:?})),\n", full.display().to_string()));
    }
    out.push_str("]\n");
    let dest = PathBuf::from(std::env::var_os("OUT_DIR").ok_or_else(|| io::Error::other("OUT_DIR is not set"))?);
    fs::write(dest.join("default_theme.rs"), out)
}

/// Every file under `dir`, as (path relative to `base` with `/`, full path).
fn collect(base: &Path, dir: &Path, files: &mut Vec<(String, PathBuf)>) -> io::Result<()> {
    for entry in fs::read_dir(dir)? {
        let entry = entry?;
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.starts_with('.') || name.ends_with('~') {
            continue;
        }
        let path = entry.path();
        if entry.file_type()?.is_dir() {
            collect(base, &path, files)?;
        } else {
            let rel = path.strip_prefix(base).map_err(io::Error::other)?;
            let parts: Vec<String> = rel.iter().map(|p| p.to_string_lossy().into_owned()).collect();
            files.push((parts.join("/"), path));
        }
    }
    Ok(())
}
