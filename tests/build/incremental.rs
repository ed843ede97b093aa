//! Serve's incremental builds against full builds: random sequences of the edits writers,
//! translators and designers make (bodies, facts, titles, slugs, drafts, new and deleted
//! files and folders, broken front matter, templates, UI strings, config), each followed by
//! an incremental build told only the paths that changed. After every step its files and
//! messages must equal those of a build from scratch.

use std::path::PathBuf;

use brochure::build::{prepare, prepare_in, Changes, Prepared, Session};
use brochure::BuildError;

use crate::project::{output_files, served_files, Project};

/// A deterministic generator (xorshift), so that a failing sequence can be replayed by seed.
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % n as u64) as usize
    }
    fn pick<'a, T>(&mut self, list: &'a [T]) -> &'a T {
        &list[self.below(list.len())]
    }
}

/// What a build gave, comparable: every file's bytes and every message, or the errors.
type Outcome = Result<(Vec<(String, Vec<u8>)>, Vec<String>), Vec<String>>;

fn outcome(result: Result<Prepared, BuildError>) -> Outcome {
    outcome_with(result, &output_files)
}

/// The outcome of a build in a serve session, with every file the session serves.
fn served_outcome(session: &mut Session, opts: &brochure::BuildOptions, changes: &Changes) -> Outcome {
    let result = prepare_in(opts, session, changes);
    outcome_with(result, &|p| served_files(session, p))
}

/// Every file of a build, with its path.
type Files = Vec<(String, Vec<u8>)>;

fn outcome_with(result: Result<Prepared, BuildError>, files: &dyn Fn(&Prepared) -> Files) -> Outcome {
    match result {
        Ok(p) => {
            let files = files(&p);
            let messages = p.findings.iter().map(|d| d.render(false)).collect();
            Ok((files, messages))
        }
        Err(BuildError::Invalid(list)) => Err(list.iter().map(|d| d.render(false)).collect()),
        Err(e) => Err(vec![e.to_string()]),
    }
}

/// The Markdown files of the project, relative to its root.
fn markdown_files(p: &Project) -> Vec<String> {
    let mut files: Vec<String> = walkdir::WalkDir::new(p.root().join("content"))
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file() && e.path().extension().is_some_and(|x| x == "md"))
        .map(|e| e.path().strip_prefix(p.root()).expect("inside").to_string_lossy().replace('\\', "/"))
        .collect();
    files.sort();
    files
}

/// Replaces the value of the first line starting with `key:` (or adds the line to the front matter).
fn set_field(text: &str, key: &str, value: &str) -> String {
    let prefix = format!("{key}:");
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    let end = lines.iter().skip(1).position(|l| l.trim_end() == "---").map(|i| i + 1);
    match (lines.iter().position(|l| l.starts_with(&prefix)), end) {
        (Some(i), Some(end)) if i < end => lines[i] = format!("{prefix} {value}"),
        (_, Some(end)) => lines.insert(end, format!("{prefix} {value}")),
        _ => {}
    }
    lines.join("\n") + "\n"
}

/// Makes one random edit and returns the paths it touched.
fn edit(p: &Project, rng: &mut Rng, step: usize) -> (String, Vec<PathBuf>) {
    let files = markdown_files(p);
    let sites: Vec<&String> = files.iter().filter(|f| f.matches('/').count() == 2 && !f.contains("_index")).collect();
    let any = rng.pick(&files).clone();
    let read = |rel: &str| std::fs::read_to_string(p.root().join(rel)).unwrap_or_default();
    let touched = |rel: &str| vec![p.root().join(rel)];
    match rng.below(19) {
        0 | 1 => {
            p.write(&any, read(&any) + &format!("\nParagraph {step}.\n"));
            (format!("body of {any}"), touched(&any))
        }
        2 if !sites.is_empty() => {
            let site = (*rng.pick(&sites)).clone();
            p.write(&site, set_field(&read(&site), "volunteers", &format!("{}", 1 + rng.below(4))));
            (format!("volunteers of {site}"), touched(&site))
        }
        3 => {
            p.write(&any, set_field(&read(&any), "title", &format!("\"Title {step}\"")));
            (format!("title of {any}"), touched(&any))
        }
        4 if !sites.is_empty() => {
            let site = (*rng.pick(&sites)).clone();
            let keys = ["[english]", "[it-skills]", "[]", "[teamwork, it-skills]", "[unknown-key]"];
            let value = format!("{{ required: {}, preferred: [] }}", rng.pick(&keys));
            p.write(&site, set_field(&read(&site), "requirements", &value));
            (format!("requirements of {site}"), touched(&site))
        }
        5 => {
            let lang = rng.pick(&["it", "en"]);
            let rel = format!("content/progetto/nuova-{}.{lang}.md", rng.below(3));
            let text = format!("---\ntitle: \"Nuova {step}\"\naddress: \"Via {step}\"\nvolunteers: 1\n---\nTesto.\n");
            p.write(&rel, text);
            (format!("new {rel}"), touched(&rel))
        }
        6 if files.len() > 4 && !any.ends_with("_index.it.md") => {
            p.remove(&any);
            (format!("deleted {any}"), touched(&any))
        }
        7 => {
            // Renamed: a new address for the same text.
            let to = any.replace(".md", "").replace('.', "-r.") + ".md";
            let text = read(&any);
            p.remove(&any);
            p.write(&to, text);
            (format!("renamed {any}"), vec![p.root().join(&any), p.root().join(&to)])
        }
        8 => {
            let value = *rng.pick(&["true", "false"]);
            p.write(&any, set_field(&read(&any), "draft", value));
            (format!("draft: {value} in {any}"), touched(&any))
        }
        9 => {
            p.write(&any, read(&any).replacen("---\n", "---\ntitle: [broken\n", 1));
            (format!("broken front matter in {any}"), touched(&any))
        }
        10 => {
            let rel = "themes/default/templates/site.html";
            p.write(rel, read(rel).replacen("</article>", &format!("<!-- {step} --></article>"), 1));
            ("site template".into(), touched(rel))
        }
        11 => {
            let rel = format!("themes/default/i18n/{}.yaml", rng.pick(&["it", "en"]));
            let text = read(&rel);
            let line = text.lines().find(|l| l.starts_with("home:")).unwrap_or("home: x").to_string();
            p.write(&rel, text.replacen(&line, &format!("home: \"Home {step}\""), 1));
            (format!("UI strings {rel}"), touched(&rel))
        }
        12 => {
            let rel = "config.yaml";
            let text = read(rel).replace("Teamwork\"", &format!("Teamwork {step}\""));
            p.write(rel, text);
            ("config label".into(), touched(rel))
        }
        13 => {
            p.write(&any, set_field(&read(&any), "weight", &format!("{}", rng.below(5))));
            (format!("weight of {any}"), touched(&any))
        }
        14 if !any.contains("_index") => {
            let slug = rng.pick(&["uno", "due", "servizio-civile"]).to_string();
            p.write(&any, set_field(&read(&any), "slug", &slug));
            (format!("slug of {any}"), touched(&any))
        }
        15 => {
            // To the heading of another page (which edit 16 adds and removes), and links
            // that are mostly broken.
            let other = rng.pick(&files).clone();
            let up = "../".repeat(any.matches('/').count() - 1);
            let there = format!("{up}{}#il-contesto", other.trim_start_matches("content/"));
            let target = other.rsplit('/').next().unwrap_or("x.md").to_string();
            let links = format!("\nSee [it]({there}), [there](../{target}#il-contesto) and [here]({target}).\n");
            p.write(&any, read(&any) + &links);
            (format!("link in {any}"), touched(&any))
        }
        16 => {
            // A heading that links in other files may lead to comes or goes.
            let text = read(&any);
            let text = match text.contains("\n## Il contesto\n") {
                true => text.replace("\n## Il contesto\n", "\n"),
                false => text + "\n## Il contesto\n\nTesto.\n",
            };
            p.write(&any, text);
            (format!("heading in {any}"), touched(&any))
        }
        17 => {
            // A translation's stamp: current or not, whether its source changed or not.
            let stamp = rng.pick(&["0123456789abcdef", "fedcba9876543210"]).to_string();
            p.write(&any, set_field(&read(&any), "translated_from", &stamp));
            (format!("stamp of {any}"), touched(&any))
        }
        _ => {
            // A whole programme folder appears, or goes: one event for the folder.
            let dir = "content/altro";
            if p.root().join(dir).exists() {
                std::fs::remove_dir_all(p.root().join(dir)).expect("remove folder");
                ("programme folder removed".into(), touched(dir))
            } else {
                let staging = p.root().join("altro.tmp");
                std::fs::create_dir_all(&staging).expect("staging");
                let write = |name: &str, text: &str| std::fs::write(staging.join(name), text).expect("write");
                write("_index.it.md", "---\ntype: programme\ntitle: \"Altro\"\n---\nAltro.\n");
                write("sede.it.md", "---\ntitle: \"Sede\"\naddress: \"Via Altra, 1\"\nvolunteers: 3\n---\n");
                std::fs::rename(&staging, p.root().join(dir)).expect("move folder in");
                ("programme folder added".into(), touched(dir))
            }
        }
    }
}

/// Every file of the project, to put a broken project back as it was.
fn snapshot(p: &Project) -> std::collections::BTreeMap<PathBuf, Vec<u8>> {
    crate::project::tree(p.root())
}

/// Puts the project back as `before`; returns the paths that changed.
fn restore(p: &Project, before: &std::collections::BTreeMap<PathBuf, Vec<u8>>) -> Vec<PathBuf> {
    let now = snapshot(p);
    let mut changed = Vec::new();
    for rel in now.keys().filter(|k| !before.contains_key(*k)) {
        std::fs::remove_file(p.root().join(rel)).expect("remove");
        changed.push(p.root().join(rel));
    }
    for (rel, bytes) in before.iter().filter(|(k, v)| now.get(*k) != Some(v)) {
        p.write(&rel.to_string_lossy(), bytes);
        changed.push(p.root().join(rel));
    }
    changed
}

#[test]
fn random_edit_sequences_build_as_from_scratch() {
    random_edit_sequences(&|_| {});
}

/// With one site a page every list of sites is paginated, and the edits (sites added,
/// removed, drafted, their requirements changed) keep changing how many pages each has.
#[test]
fn random_edit_sequences_on_paginated_lists_build_as_from_scratch() {
    random_edit_sequences(&|p| {
        let config = std::fs::read_to_string(p.root().join("config.yaml")).expect("config.yaml");
        p.write("config.yaml", config + "page_size: 1\n");
    });
}

/// Runs the random edit sequences on the basic fixture, made ready by `setup`.
fn random_edit_sequences(setup: &dyn Fn(&Project)) {
    let (mut good, mut bad) = (0, 0);
    for seed in [1u64, 7, 42, 1234, 99_991] {
        let p = Project::fixture("basic");
        setup(&p);
        let opts = p.options();
        let mut session = Session::remembering();
        let first = served_outcome(&mut session, &opts, &Changes::Everything);
        assert_eq!(first, outcome(prepare(&opts)), "seed {seed}: first build");
        let mut rng = Rng(seed * 0x9E37_79B9 + 1);
        let mut history = Vec::new();
        let mut last_good = snapshot(&p);
        let mut broken = false;
        for step in 0..40 {
            // A writer usually fixes a mistake soon: a broken project is mostly put back.
            let (what, paths) = if broken && rng.below(3) > 0 {
                ("put back as before the mistake".to_string(), restore(&p, &last_good))
            } else {
                edit(&p, &mut rng, step)
            };
            history.push(what);
            let incremental = served_outcome(&mut session, &opts, &Changes::Paths(paths));
            let full = outcome(prepare(&opts));
            if incremental != full {
                let describe = |o: &Outcome| match o {
                    Ok((files, messages)) => format!("{} files, messages {messages:#?}", files.len()),
                    Err(errors) => format!("errors {errors:#?}"),
                };
                let differing: Vec<&String> = match (&incremental, &full) {
                    (Ok((a, _)), Ok((b, _))) => a
                        .iter()
                        .filter(|f| !b.contains(f))
                        .map(|(path, _)| path)
                        .chain(b.iter().filter(|f| !a.contains(f)).map(|(path, _)| path))
                        .collect(),
                    _ => Vec::new(),
                };
                panic!(
                    "seed {seed}, step {step}: the incremental build differs from a full build\nedits: {history:#?}\nfiles that differ: {differing:?}\nincremental: {}\nfull: {}",
                    describe(&incremental),
                    describe(&full)
                );
            }
            broken = full.is_err();
            if broken {
                bad += 1;
            } else {
                good += 1;
                last_good = snapshot(&p);
            }
        }
    }
    // Both kinds of state must be visited for the comparison to mean anything.
    assert!(good >= 100 && bad >= 15, "{good} good and {bad} broken states");
}

/// Writes each text in turn to `rel` of a project served since `session` began, and gives
/// each incremental build's outcome once it equals a build from scratch.
fn each_edit_as_from_scratch(p: &Project, session: &mut Session, rel: &str, texts: &[String]) -> Vec<Outcome> {
    let opts = p.options();
    let mut outcomes = Vec::new();
    for (i, text) in texts.iter().enumerate() {
        p.write(rel, text);
        let incremental = served_outcome(session, &opts, &Changes::Paths(vec![p.root().join(rel)]));
        assert_eq!(incremental, outcome(prepare(&opts)), "edit {i} of {rel}");
        outcomes.push(incremental);
    }
    outcomes
}

/// A session of serve over `p`, after its first build.
fn served(p: &Project) -> (Session, Outcome) {
    let mut session = Session::remembering();
    let first = served_outcome(&mut session, &p.options(), &Changes::Everything);
    (session, first)
}

/// serve keeps each file's link findings while the rest of the site stays as it was: a
/// heading added to (or removed from) another page must mend (or break) the links to it.
#[test]
fn a_heading_added_to_another_page_mends_the_links_to_it() {
    let p = Project::fixture("basic");
    let read = |rel: &str| std::fs::read_to_string(p.root().join(rel)).expect("read");
    let (casa, biblioteca) = ("content/progetto/casa.it.md", "content/progetto/biblioteca.it.md");
    p.write(casa, read(casa) + "\nVedi [gli orari](biblioteca.it.md#orari-di-apertura).\n");
    let without = read(biblioteca);
    let missing = |o: &Outcome| match o {
        Ok((_, messages)) => messages.iter().any(|m| m.contains("#orari-di-apertura")),
        Err(errors) => errors.iter().any(|m| m.contains("#orari-di-apertura")),
    };
    let (mut session, first) = served(&p);
    assert!(missing(&first), "the anchor does not exist yet: {first:#?}");
    let steps = [without.clone() + "\n## Orari di apertura\n\nDalle 9.\n", without];
    let outcomes = each_edit_as_from_scratch(&p, &mut session, biblioteca, &steps);
    assert_eq!(outcomes.iter().map(missing).collect::<Vec<_>>(), [false, true], "broken only without the heading");
}

/// serve keeps what comparing a translation with its source found: an edit of the source
/// alone must make the translation stale, and an edit putting the text back, current again.
#[test]
fn an_edit_of_the_source_alone_makes_its_translation_stale() {
    let p = Project::fixture("basic");
    let read = |rel: &str| std::fs::read_to_string(p.root().join(rel)).expect("read");
    let (source, translation) = ("content/progetto/casa.it.md", "content/progetto/casa.en.md");
    let stamp = brochure::stamp::source_stamp(&read(source));
    p.write(translation, brochure::stamp::set_stamp(&read(translation), &stamp).expect("stamp"));
    let original = read(source);
    let stale = |o: &Outcome| match o {
        Ok((_, messages)) => messages.iter().any(|m| m.contains("older than its source")),
        Err(errors) => panic!("{errors:#?}"),
    };
    let (mut session, first) = served(&p);
    assert!(!stale(&first), "stamped as current");
    let steps = [original.clone() + "\nUna frase in più.\n", original];
    let outcomes = each_edit_as_from_scratch(&p, &mut session, source, &steps);
    assert_eq!(outcomes.iter().map(stale).collect::<Vec<_>>(), [true, false], "stale only while the source differs");
}

/// serve skips the check of file paths while they are those of the last render: an edit
/// that puts a page where a file of the site is must be refused as a full build refuses it.
#[test]
fn a_slug_edited_into_a_files_path_is_refused_as_in_a_full_build() {
    let p = Project::fixture("basic");
    let page = "content/servizio-civile.it.md";
    let original = std::fs::read_to_string(p.root().join(page)).expect("read");
    let (mut session, first) = served(&p);
    assert!(first.is_ok());
    // The page's folder would be the file sitemap.xml: only the check of paths sees it.
    let steps = [set_field(&original, "slug", "sitemap.xml"), original];
    let outcomes = each_edit_as_from_scratch(&p, &mut session, page, &steps);
    assert_eq!(outcomes.iter().map(Result::is_err).collect::<Vec<_>>(), [true, false], "refused only while they clash");
}
