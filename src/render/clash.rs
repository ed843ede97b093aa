//! Two output files at one path, or a file where a page needs a folder (`slug: sitemap.xml`
//! makes `sitemap.xml/index.html` beside the sitemap): refused before anything is made, each
//! naming the files it comes from.

use std::collections::HashMap;
use std::sync::Arc;

use crate::diagnostic::{Diagnostic, Kind};
use crate::load::SourceDoc;

/// Refuses every clash among `planned` paths; `doc` gives the content file an output comes
/// from (to locate the message there), `describe` says where it comes from in words.
pub(super) fn refuse_clashes<O>(
    planned: &mut [(Arc<str>, O)],
    doc: &dyn Fn(&O) -> Option<&SourceDoc>,
    describe: &dyn Fn(&O) -> String,
) -> Result<(), Vec<Diagnostic>> {
    let mut problems = Vec::new();
    // Usually there is no clash: find that out without sorting thousands of paths.
    let mut files: HashMap<&str, usize> = HashMap::with_capacity(planned.len());
    let mut same = false;
    for (i, (path, _)) in planned.iter().enumerate() {
        same |= files.insert(path, i).is_some();
    }
    // A page in a clash clashes in every language and with its leaflet: one message per file.
    let mut blamed = std::collections::HashSet::new();
    for (path, origin) in planned.iter() {
        let folders = path.match_indices('/').map(|(end, _)| &path[..end]);
        for folder in folders {
            let Some(&file) = files.get(folder) else { continue };
            let d = Diagnostic::error(format!(
                "the address /{folder}/ is taken: the site has a file named {folder}"
            ))
            .of_kind(Kind::OutputClash)
            .with_hint(format!(
                "{folder} comes from {}; give {} another `slug:` (sitemap.xml, robots.txt, 404.html, index.html, booklet.html, leaflets.html, leaflet.html and qr.svg are files brochure makes)",
                describe(&planned[file].1),
                describe(origin)
            ));
            let d = located(d, doc(origin));
            if d.path.is_none() || blamed.insert(d.path.clone()) {
                problems.push(d);
            }
        }
    }
    if same {
        planned.sort_by(|a, b| a.0.cmp(&b.0));
        for pair in planned.windows(2).filter(|pair| pair[0].0 == pair[1].0) {
            let d = Diagnostic::error(format!("two files would be written to {}", pair[0].0))
                .of_kind(Kind::OutputClash)
                .with_hint(format!(
                    "they come from {} and {}: give one a different `slug:` or file name",
                    describe(&pair[0].1),
                    describe(&pair[1].1)
                ));
            problems.push(located(d, doc(&pair[0].1).or(doc(&pair[1].1))));
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems)
    }
}

/// At the `slug:` line of the page's file, or at the file.
fn located(d: Diagnostic, doc: Option<&SourceDoc>) -> Diagnostic {
    let Some(doc) = doc else { return d };
    let d = d.in_file(&doc.path);
    match doc.front().lines().position(|l| l.trim_start().starts_with("slug:")) {
        Some(i) => d.at(doc.front_line + i, 1, Some(doc.head())),
        None => d,
    }
}
