//! serve after an edit of bodies alone (the text under an unchanged front matter), or of
//! some sites' facts alone: only the pages that show what was edited are made again and
//! only its findings judged again, and the result is still that of a build from scratch,
//! files and messages.

use std::collections::BTreeSet;

use brochure::build::{prepare, prepare_in, Changes, Prepared, Session};

use crate::project::{output_files, served_files, Project};

/// Messages as the terminal shows them.
fn messages(p: &Prepared) -> Vec<String> {
    p.findings.iter().map(|d| d.render(false)).collect()
}

/// A build in a serve session and every file the session serves after it.
struct Saved {
    build: Prepared,
    files: Vec<(String, Vec<u8>)>,
}

/// Saves `text` as `rel` in a project served since `session` began and builds again; checks
/// the build against one from scratch and returns it.
fn save(p: &Project, session: &mut Session, rel: &str, text: &str) -> Saved {
    p.write(rel, text);
    let opts = p.options();
    let build = prepare_in(&opts, session, &Changes::Paths(vec![p.root().join(rel)])).expect("incremental build");
    let files = served_files(session, &build);
    let full = prepare(&opts).expect("full build");
    assert_eq!(files, output_files(&full), "files after saving {rel}");
    assert_eq!(messages(&build), messages(&full), "messages after saving {rel}");
    Saved { build, files }
}

/// A file of the project as written.
fn source(p: &Project, rel: &str) -> String {
    std::fs::read_to_string(p.root().join(rel)).expect("a file of the project")
}

fn served(p: &Project) -> (Session, Saved) {
    let mut session = Session::remembering();
    let build = prepare_in(&p.options(), &mut session, &Changes::Everything).expect("first build");
    let files = output_files(&build);
    (session, Saved { build, files })
}

/// The files whose bytes differ between two builds, or that only one has.
fn differing(before: &Saved, after: &Saved) -> BTreeSet<String> {
    let (a, b) = (&before.files, &after.files);
    a.iter().filter(|f| !b.contains(f)).chain(b.iter().filter(|f| !a.contains(f))).map(|(p, _)| p.clone()).collect()
}

/// The files a build after an edit of bodies or of sites' facts alone made again; `None`
/// for a whole build.
fn patched(saved: &Saved) -> Option<BTreeSet<String>> {
    let rendered = &saved.build.rendered;
    rendered.patched.then(|| rendered.outputs.iter().map(|o| o.path.to_string()).collect())
}

#[test]
fn an_edit_of_a_body_makes_again_only_the_pages_that_show_it() {
    let p = Project::fixture("basic");
    let (mut session, first) = served(&p);
    let rel = "content/progetto/casa.it.md";
    let after = save(&p, &mut session, rel, &(source(&p, rel) + "\nUn paragrafo in più.\n"));
    let changed = differing(&first, &after);
    assert_eq!(changed, BTreeSet::from(["progetto/casa/index.html".to_string()]), "the Italian page alone shows it");
    // The entry's pages in every language are made again (the English one has its own
    // text, so its bytes stay the same); nothing else is.
    let expected = ["progetto/casa/index.html", "en/test-programme/housing-desk/index.html"];
    assert_eq!(patched(&after), Some(expected.map(String::from).into()));
    let rel = "content/_index.it.md";
    let again = save(&p, &mut session, rel, &(source(&p, rel) + "\nBenvenuti.\n"));
    assert_eq!(differing(&after, &again), BTreeSet::from(["index.html".to_string()]));
    assert_eq!(patched(&again), Some(["index.html", "en/index.html"].map(String::from).into()));
}

/// A site's facts edited: its pages, its programme's, and the lists and filter data it is
/// in are made again, not the rest (the plain page, the other requirement's list).
#[test]
fn an_edit_of_a_sites_facts_makes_again_only_the_pages_that_show_it() {
    let p = Project::fixture("basic");
    let (mut session, first) = served(&p);
    let rel = "content/progetto/casa.it.md";
    let after = save(&p, &mut session, rel, &source(&p, rel).replace("volunteers: 2", "volunteers: 3"));
    let made = patched(&after).expect("the pages that show the site, not the whole site");
    let expected = [
        // The site's own pages, in both languages.
        "progetto/casa/index.html",
        "progetto/casa/leaflet.html",
        "en/test-programme/housing-desk/index.html",
        "en/test-programme/housing-desk/leaflet.html",
        // Its programme's pages, and its other site's page (which has the programme's totals).
        "progetto/index.html",
        "progetto/booklet.html",
        "progetto/leaflets.html",
        "progetto/biblioteca/index.html",
        "en/test-programme/index.html",
        "en/test-programme/booklet.html",
        "en/test-programme/leaflets.html",
        "en/test-programme/biblioteca/index.html",
        // The lists it is in, and the home page's programme card.
        "index.html",
        "sedi/index.html",
        "requisiti/english/index.html",
        "requisiti/teamwork/index.html",
        "obblighi/flexible-hours/index.html",
        "en/index.html",
        "en/sites/index.html",
        "en/requirements/english/index.html",
        "en/requirements/teamwork/index.html",
        "en/obligations/flexible-hours/index.html",
    ];
    assert_eq!(made, expected.map(String::from).into());
    assert!(differing(&first, &after).is_subset(&made), "every file that changed was made again");
    // A front matter that says the same in other words changes no page.
    let same = save(&p, &mut session, rel, &source(&p, rel).replace("volunteers: 3", "volunteers:  3"));
    assert_eq!(patched(&same), Some(BTreeSet::new()));
}

/// Three programmes generated with one card a page, so that every list is on several
/// pages, served; and a site of the first programme.
fn served_one_card_a_page() -> (Project, Session, &'static str) {
    let p = Project::generated(3);
    p.write("config.yaml", source(&p, "config.yaml") + "page_size: 1\n");
    let (session, _) = served(&p);
    (p, session, "content/prog-00/sede-0002.it.md")
}

/// With one card a page, a site's facts are on a later page of every list it is in (the
/// home page's list of programmes shows its programme's totals): each is made again.
#[test]
fn an_edit_of_a_sites_facts_reaches_the_later_pages_of_the_lists_it_is_in() {
    let (p, mut session, rel) = served_one_card_a_page();
    let after = save(&p, &mut session, rel, &source(&p, rel).replace("volunteers: 3", "volunteers: 9"));
    let made = patched(&after).expect("the pages that show the site");
    for later in ["pagina/2/index.html", "sedi/pagina/5/index.html", "requisiti/english/pagina/4/index.html"] {
        assert!(made.contains(later), "{later} shows the site or its programme: {made:?}");
    }
}

/// A site's city is a facet of the list of all sites: an edit of it reaches that list's
/// filter data (the facet index), and the next edit starts from what it made.
#[test]
fn an_edit_of_a_sites_city_reaches_the_filter_data_of_the_whole_catalogue() {
    let (p, mut session, rel) = served_one_card_a_page();
    let moved = source(&p, rel).replace("volunteers: 3", "volunteers: 3\ncity: \"Lodi\"");
    let after = save(&p, &mut session, rel, &moved);
    let made = patched(&after).expect("the pages that show the site");
    assert!(made.contains("sedi/filters.json"), "the facet index: {made:?}");
    let again = save(&p, &mut session, rel, &moved.replace("volunteers: 3", "volunteers: 9"));
    assert!(patched(&again).expect("the pages that show the site").contains("sedi/filters.json"));
}

/// What may change other pages than those of the site and of the lists it is in builds the
/// whole site: a site moved to another address, its requirements (the lists it is in), a
/// programme's facts (every page's menu).
#[test]
fn an_edit_that_moves_a_site_or_changes_its_lists_builds_the_whole_site() {
    let p = Project::fixture("basic");
    let (mut session, _) = served(&p);
    let rel = "content/progetto/casa.it.md";
    let moved = save(&p, &mut session, rel, &source(&p, rel).replace("weight: 1\n", "weight: 1\nslug: sportello\n"));
    assert_eq!(patched(&moved), None, "a new address");
    let listed = save(&p, &mut session, rel, &source(&p, rel).replace("required: [english]", "required: []"));
    assert_eq!(patched(&listed), None, "other lists");
    let programme = "content/progetto/_index.it.md";
    let retitled = save(&p, &mut session, programme, &source(&p, programme).replacen("title:", "title: Nuovo", 1));
    assert_eq!(patched(&retitled), None, "a programme's facts");
}

#[test]
fn a_broken_link_or_image_written_in_a_body_is_found_and_mended() {
    let p = Project::fixture("basic");
    let (mut session, _) = served(&p);
    let rel = "content/progetto/casa.en.md";
    let text = source(&p, rel);
    let broken = save(&p, &mut session, rel, &(text.clone() + "\nSee [nothing](nowhere.md) and ![](foto.jpg).\n"));
    assert!(patched(&broken).is_some(), "a body edit");
    let found = messages(&broken.build).join("\n");
    assert!(found.contains("`nowhere.md` points to a page that does not exist"), "{found}");
    assert!(found.contains("the image `foto.jpg` has no alternative text"), "{found}");
    let mended = save(&p, &mut session, rel, &text);
    assert!(!messages(&mended.build).join("\n").contains("nowhere.md"));
}

#[test]
fn a_translation_given_its_source_text_is_reported_and_then_cleared() {
    let p = Project::fixture("basic");
    let (mut session, _) = served(&p);
    let (original, translation) = ("content/progetto/casa.it.md", "content/progetto/casa.en.md");
    let own = source(&p, translation);
    let source_body = source(&p, original).split_once("---\n## ").map(|(_, b)| format!("## {b}")).expect("a body");
    let head = own.split_once("---\n## ").map(|(h, _)| format!("{h}---\n")).expect("a head");
    let copied = save(&p, &mut session, translation, &(head + &source_body));
    assert!(patched(&copied).is_some(), "a body edit");
    assert!(
        messages(&copied.build).join("\n").contains("has the same text as its original"),
        "{:#?}",
        messages(&copied.build)
    );
    let translated = save(&p, &mut session, translation, &own);
    assert!(!messages(&translated.build).join("\n").contains("has the same text as its original"));
}

#[test]
fn a_heading_other_pages_link_to_is_judged_with_every_link_to_it() {
    let p = Project::fixture("basic");
    let casa = "content/progetto/casa.it.md";
    p.write(casa, source(&p, casa) + "\nVedi [gli orari](biblioteca.it.md#orari).\n");
    let (mut session, first) = served(&p);
    assert!(messages(&first.build).join("\n").contains("`#orari` does not exist"));
    let biblioteca = "content/progetto/biblioteca.it.md";
    let text = source(&p, biblioteca);
    let mended = save(&p, &mut session, biblioteca, &(text.clone() + "\n## Orari\n\nDalle 9.\n"));
    assert!(!messages(&mended.build).join("\n").contains("`#orari` does not exist"));
    let broken = save(&p, &mut session, biblioteca, &text);
    assert!(messages(&broken.build).join("\n").contains("`#orari` does not exist"));
}

#[test]
fn an_edit_of_a_draft_changes_no_file() {
    let p = Project::fixture("basic");
    let rel = "content/bozza.it.md";
    p.write(rel, "---\ntitle: Bozza\ndraft: true\n---\nTesto.\n");
    let (mut session, first) = served(&p);
    let after = save(&p, &mut session, rel, "---\ntitle: Bozza\ndraft: true\n---\nAltro testo.\n");
    assert_eq!(patched(&after), Some(BTreeSet::new()));
    assert!(differing(&first, &after).is_empty());
}

/// An editor that saves through a passing file (`4913`, a swap file) names it too: it
/// changes nothing, and the edit is still one of a body alone.
#[test]
fn a_passing_file_beside_an_edited_body_changes_nothing() {
    let p = Project::fixture("basic");
    let (mut session, _) = served(&p);
    let rel = "content/servizio-civile.it.md";
    p.write(rel, source(&p, rel) + "\nAltro.\n");
    let paths = vec![p.root().join(rel), p.root().join("content/4913")];
    let build = prepare_in(&p.options(), &mut session, &Changes::Paths(paths)).expect("build");
    let files = served_files(&session, &build);
    assert_eq!(patched(&Saved { build, files: Vec::new() }).map(|s| s.len()), Some(2), "the page in both languages");
    assert_eq!(files, output_files(&prepare(&p.options()).expect("full")));
}

/// After a failed build, the next starts from the files, not from the last good build: an
/// edit of another file's body must not hide the error.
#[test]
fn a_body_edit_after_a_failed_build_builds_from_the_files() {
    let p = Project::fixture("basic");
    let (mut session, _) = served(&p);
    let opts = p.options();
    let rel = "content/progetto/casa.it.md";
    let good = source(&p, rel);
    p.write(rel, good.replacen("---\n", "---\ntitle: [broken\n", 1));
    assert!(prepare_in(&opts, &mut session, &Changes::Paths(vec![p.root().join(rel)])).is_err());
    let other = "content/servizio-civile.it.md";
    p.write(other, source(&p, other) + "\nAltro.\n");
    let still = prepare_in(&opts, &mut session, &Changes::Paths(vec![p.root().join(other)]));
    assert!(still.is_err(), "the broken file is still broken");
    let fixed = save(&p, &mut session, rel, &good);
    assert!(!fixed.build.rendered.patched);
    let again = save(&p, &mut session, other, &(source(&p, other) + "\nAncora.\n"));
    assert!(again.build.rendered.patched);
}

/// A file saved unchanged, then a new address elsewhere (a whole build, which keeps
/// the entries of unchanged files as first read), then an edit of the first file's body:
/// its pages are found by the file, whichever reading of it an entry holds.
#[test]
fn a_body_edit_after_saves_without_change_and_whole_builds_reaches_its_pages() {
    let p = Project::fixture("basic");
    let (mut session, _) = served(&p);
    let rel = "content/progetto/casa.it.md";
    let same = save(&p, &mut session, rel, &source(&p, rel));
    assert!(same.build.rendered.patched);
    let other = "content/progetto/biblioteca.it.md";
    let whole = save(&p, &mut session, other, &source(&p, other).replacen("---\n", "---\nslug: libri\n", 1));
    assert!(!whole.build.rendered.patched);
    let after = save(&p, &mut session, rel, &(source(&p, rel) + "\nUn paragrafo in più.\n"));
    assert!(patched(&after).is_some_and(|s| s.contains("progetto/casa/index.html")), "{:?}", patched(&after));
}

/// Many bodies edited at once (a checkout of another branch): all their pages are made again.
#[test]
fn many_bodies_edited_at_once_are_all_made_again() {
    let p = Project::generated(12);
    let (mut session, first) = served(&p);
    let files: Vec<String> = crate::project::tree(&p.root().join("content"))
        .into_keys()
        .map(|k| format!("content/{}", k.to_string_lossy()))
        .filter(|k| k.ends_with(".md"))
        .collect();
    assert!(files.len() > 16, "{files:?}");
    for rel in &files {
        p.write(rel, source(&p, rel) + "\nUn paragrafo in più.\n");
    }
    let opts = p.options();
    let paths = files.iter().map(|rel| p.root().join(rel)).collect();
    let build = prepare_in(&opts, &mut session, &Changes::Paths(paths)).expect("build");
    assert!(build.rendered.patched, "bodies alone");
    let files_now = served_files(&session, &build);
    assert_eq!(files_now, output_files(&prepare(&opts).expect("full")));
    assert!(differing(&first, &Saved { build, files: files_now }).len() > 16);
}

/// Two sites with one code: the error points at the line of the code, also after a line
/// is added above it (serve reuses the check of unique codes only when it found nothing).
#[test]
fn a_site_code_used_twice_is_pointed_at_after_the_lines_above_it_move() {
    let p = Project::fixture("basic");
    let (mut session, _) = served(&p);
    let opts = p.options();
    let biblioteca = "content/progetto/biblioteca.it.md";
    let text = source(&p, biblioteca).replace("code: \"10002\"\n", "");
    let errors = |r: Result<Prepared, brochure::BuildError>| match r {
        Err(brochure::BuildError::Invalid(list)) => list.iter().map(|d| d.render(false)).collect::<Vec<_>>(),
        other => panic!("a duplicate code is an error: {:?}", other.map(|p| messages(&p))),
    };
    let mut seen = Vec::new();
    for head in ["---\ncode: \"10001\"\n", "---\n# a comment\ncode: \"10001\"\n"] {
        p.write(biblioteca, text.replacen("---\n", head, 1));
        let again = errors(prepare_in(&opts, &mut session, &Changes::Paths(vec![p.root().join(biblioteca)])));
        assert_eq!(again, errors(prepare(&opts)));
        let line = again.iter().find(|m| m.contains("the site code 10001 is used twice")).expect("the error");
        seen.push(line.lines().find(|l| l.contains("biblioteca.it.md:")).unwrap_or("").to_string());
    }
    assert!(seen[0].ends_with(":2:8") && seen[1].ends_with(":3:8"), "{seen:?}");
}
