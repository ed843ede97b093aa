//! The shape of the code: modules depend one way. A circle between two modules (each using
//! the other, directly or through others) is what makes a change in one ripple back into
//! itself; issue 16 removed the last ones and this keeps them out.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use crate::project::repo;

/// Which modules each module of `dir` uses, by the paths written in its code: `crate::x`
/// for the crate's top-level modules, `super::x` for the submodules of `src/render/`,
/// `x` being one of the modules (a file or folder of `dir`), alone or in a `{...}` group.
fn uses(dir: &Path, prefix: &str, module_of: impl Fn(&Path) -> String) -> BTreeMap<String, BTreeSet<String>> {
    let files: Vec<_> = walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.path().extension().is_some_and(|e| e == "rs"))
        .collect();
    let modules: BTreeSet<String> = files.iter().map(|e| module_of(e.path())).collect();
    let mut found: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for entry in &files {
        let module = module_of(entry.path());
        let text = std::fs::read_to_string(entry.path()).expect("read a source file");
        // Code only: a line comment may name a module without using it.
        let code: String = text.lines().map(|l| l.split("//").next().unwrap_or("")).collect::<Vec<_>>().join("\n");
        let mut names = BTreeSet::new();
        for (at, _) in code.match_indices(prefix) {
            let rest = &code[at + prefix.len()..];
            let group = rest.strip_prefix('{').map(|g| &g[..g.find('}').unwrap_or(g.len())]);
            for item in group.map_or_else(|| vec![rest], |g| g.split(',').collect()) {
                let name: String = item.trim().chars().take_while(|c| c.is_ascii_lowercase() || *c == '_').collect();
                if modules.contains(&name) && name != module {
                    names.insert(name);
                }
            }
        }
        found.entry(module).or_default().extend(names);
    }
    found
}

/// Each pair of modules that reach each other.
fn circles(uses: &BTreeMap<String, BTreeSet<String>>) -> Vec<(String, String)> {
    let reaches = |from: &str, to: &str| {
        let mut seen = BTreeSet::new();
        let mut next = vec![from.to_string()];
        while let Some(m) = next.pop() {
            for d in uses.get(&m).into_iter().flatten() {
                if d == to {
                    return true;
                }
                if seen.insert(d.clone()) {
                    next.push(d.clone());
                }
            }
        }
        false
    };
    let mut found = Vec::new();
    for (a, used) in uses {
        for b in used.iter().filter(|b| a < *b && uses.contains_key(*b)) {
            if reaches(b, a) {
                found.push((a.clone(), b.clone()));
            }
        }
    }
    found
}

#[test]
fn no_two_modules_of_the_crate_use_each_other() {
    let src = repo().join("src");
    let top = uses(&src, "crate::", |path| {
        let rel = path.strip_prefix(&src).expect("inside src");
        let first = rel.components().next().expect("a component").as_os_str().to_string_lossy();
        first.trim_end_matches(".rs").to_string()
    });
    assert!(top.get("config").is_some_and(|u| u.contains("slug")), "the scan reads the modules' paths: {top:?}");
    let found = circles(&top);
    assert!(found.is_empty(), "modules that use each other: {found:?}");
}

#[test]
fn no_two_modules_of_the_render_use_each_other() {
    let render = repo().join("src/render");
    let within = uses(&render, "super::", |path| path.file_stem().expect("a name").to_string_lossy().to_string());
    assert!(within.get("listing").is_some_and(|u| u.contains("pagination")), "the scan reads the paths: {within:?}");
    let found = circles(&within);
    assert!(found.is_empty(), "render modules that use each other: {found:?}");
}
