//! The sitemap's validity against the XML schemas of sitemaps.org 0.9 and its `xhtml:link`
//! extension, vendored in `tools/schemas/`, checked by `xmllint` (Debian's libxml2-utils).
//! A Rust test rather than a line of shell, so that it runs, and is proven to fail, with
//! the other checks of the same builds.

use std::collections::BTreeSet;
use std::process::Command;

use super::{repo, Published, BASE, BROKEN_BASE, RTL_BASE};

/// Runs xmllint with the vendored schemas on the site's sitemap: success, and the lines
/// of the errors it reports.
fn xmllint(site: &Published) -> (bool, Vec<usize>, String) {
    let schema = repo().join("tools/schemas/sitemap-hreflang.xsd");
    let file = site.dir.join("sitemap.xml");
    let out = Command::new("xmllint")
        .args(["--noout", "--nonet", "--schema"])
        .arg(&schema)
        .arg(&file)
        .output()
        .unwrap_or_else(|e| panic!("cannot run xmllint ({e}): install Debian's libxml2-utils"));
    let report = String::from_utf8_lossy(&out.stderr).into_owned();
    let prefix = format!("{}:", file.display());
    let lines: BTreeSet<usize> =
        report.lines().filter_map(|l| l.strip_prefix(&prefix)?.split(':').next()?.parse().ok()).collect();
    (out.status.success(), lines.into_iter().collect(), report)
}

#[test]
#[ignore = "needs xmllint"]
fn the_sitemaps_are_valid_against_the_schemas_and_xmllint_rejects_the_planted_errors() {
    for site in [Published::real(BASE), Published::rtl(RTL_BASE)] {
        let (valid, _, report) = xmllint(&site);
        assert!(valid, "{}: sitemap.xml is not valid against tools/schemas/:\n{report}", site.name);
    }
    let (valid, lines, report) = xmllint(&Published::broken(BROKEN_BASE));
    assert!(!valid, "xmllint passed the broken sitemap");
    assert_eq!(lines, [10, 14], "a bad <lastmod> and an element the schema does not allow:\n{report}");
}
