//! Valid HTML: the W3C Nu checker (`vnu.jar`, from the `vnu-jar` package that `npm ci`
//! installs in `tools/`, on the machine's Java) finds no error in any HTML file of either
//! build, pages, leaflets, booklets and the error page alike.

use std::collections::BTreeSet;
use std::path::PathBuf;
use std::process::Command;

use serde_json::Value;

use super::{installed_tool, Published, BASE, BROKEN_BASE, RTL_BASE};

/// An error vnu reports: the file (relative to its site), the line and the message.
#[derive(Debug)]
struct VnuError {
    site: &'static str,
    file: String,
    line: usize,
    message: String,
}

/// Runs vnu once over every HTML file of `sites`; returns the errors and the file count.
fn vnu(sites: &[&Published]) -> (Vec<VnuError>, usize) {
    let files: Vec<(&Published, &str, PathBuf)> =
        sites.iter().flat_map(|site| site.pages().map(move |(rel, _)| (*site, rel, site.dir.join(rel)))).collect();
    let jar = installed_tool("vnu-jar/build/dist/vnu.jar");
    let out = Command::new("java")
        .args(["-Xss8m", "-jar"])
        .arg(&jar)
        .args(["--errors-only", "--format", "json"])
        .args(files.iter().map(|(_, _, path)| path))
        .output()
        .unwrap_or_else(|e| panic!("cannot run java ({e}): install Debian's default-jre-headless"));
    let report = String::from_utf8_lossy(&out.stderr);
    let json: Value =
        serde_json::from_str(&report).unwrap_or_else(|e| panic!("vnu's report is not JSON ({e}):\n{report}"));
    let messages = json["messages"].as_array().cloned().unwrap_or_default();
    let errors: Vec<VnuError> = messages
        .iter()
        .filter(|m| matches!(m["type"].as_str(), Some("error" | "non-document-error")))
        .map(|m| {
            let path = m["url"].as_str().and_then(|u| url::Url::parse(u).ok()?.to_file_path().ok());
            let found = path.as_deref().and_then(|p| files.iter().find(|(_, _, f)| f.as_path() == p));
            let (site, file) = found.map_or(("?", m["url"].to_string()), |(site, rel, _)| (site.name, rel.to_string()));
            let line = m["lastLine"].as_u64().unwrap_or(0) as usize;
            VnuError { site, file, line, message: m["message"].as_str().unwrap_or("").to_string() }
        })
        .collect();
    assert!(out.status.success() || !errors.is_empty(), "vnu failed without a message:\n{report}");
    (errors, files.len())
}

fn describe(errors: &[VnuError]) -> String {
    errors.iter().map(|e| format!("  {}: {}:{}: {}", e.site, e.file, e.line, e.message)).collect::<Vec<_>>().join("\n")
}

#[test]
#[ignore = "needs java"]
fn every_html_file_of_the_real_site_and_the_rtl_fixture_is_valid_html() {
    let (real, rtl) = (Published::real(BASE), Published::rtl(RTL_BASE));
    let (errors, files) = vnu(&[&real, &rtl]);
    assert!(errors.is_empty(), "vnu found {} error(s):\n{}", errors.len(), describe(&errors));
    assert!(files > 100, "only {files} HTML files checked");
    println!("vnu: {files} HTML files, 0 errors");
}

#[test]
#[ignore = "needs java"]
fn vnu_reports_the_planted_invalid_markup_and_passes_the_control_page() {
    let broken = Published::broken(BROKEN_BASE);
    let (errors, _) = vnu(&[&broken]);
    let at: BTreeSet<(&str, usize)> = errors.iter().map(|e| (e.file.as_str(), e.line)).collect();
    let expected = BTreeSet::from([("axe.html", 11), ("invalid.html", 11), ("invalid.html", 12)]);
    assert_eq!(at, expected, "an <img> without alt, a stray </p>, an attribute <div> lacks:\n{}", describe(&errors));
}
