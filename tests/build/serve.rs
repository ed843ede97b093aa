//! `serve`: the preview server over HTTP, live rebuilds, the error overlay and recovery,
//! path safety, and incremental renders that equal a full build byte for byte.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::sync::mpsc;
use std::sync::Arc;
use std::time::{Duration, Instant};

use brochure::build::{prepare, prepare_in, Changes, Session};
use brochure::serve::{serve, ServeEvent, ServeOptions};

use crate::project::{output_files, served_files, Project};

/// Starts `serve` on a free port for the project; returns the address (`127.0.0.1:PORT`).
pub fn start(p: &Project) -> String {
    start_logging(p).0
}

/// As [`start`], with the lines serve logs after it started.
fn start_logging(p: &Project) -> (String, mpsc::Receiver<ServeEvent>) {
    let (tx, rx) = mpsc::channel::<ServeEvent>();
    let opts = ServeOptions { build: p.options(), bind: "127.0.0.1".into(), port: 0 };
    let log: Arc<dyn Fn(ServeEvent) + Send + Sync> = Arc::new(move |event: ServeEvent| {
        let _ = tx.send(event);
    });
    std::thread::spawn(move || serve(opts, log));
    let deadline = Instant::now() + Duration::from_secs(30);
    while Instant::now() < deadline {
        if let Ok(ServeEvent::Listening { url }) = rx.recv_timeout(Duration::from_secs(30)) {
            return (address_of(&url), rx);
        }
    }
    panic!("serve did not start");
}

/// `127.0.0.1:PORT` of `http://127.0.0.1:PORT/base/`.
pub fn address_of(url: &str) -> String {
    url.trim_start_matches("http://").split('/').next().expect("address").to_string()
}

/// A GET over a raw socket: (status line, body).
pub fn get(addr: &str, path: &str) -> (String, String) {
    let mut s = TcpStream::connect(addr).expect("connect");
    s.set_read_timeout(Some(Duration::from_secs(10))).expect("timeout");
    write!(s, "GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n").expect("send");
    let mut raw = Vec::new();
    let _ = s.read_to_end(&mut raw);
    let text = String::from_utf8_lossy(&raw).into_owned();
    let status = text.lines().next().unwrap_or("").to_string();
    let body = text.split_once("\r\n\r\n").map(|(_, b)| b.to_string()).unwrap_or_default();
    (status, body)
}

fn wait_for(what: &str, mut ok: impl FnMut() -> bool) {
    let deadline = Instant::now() + Duration::from_secs(10);
    while Instant::now() < deadline {
        if ok() {
            return;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    panic!("timed out waiting for {what}");
}

#[test]
fn serves_pages_under_the_base_path_with_live_reload_only_in_serve() {
    let p = Project::fixture("basic");
    let addr = start(&p);
    let (status, body) = get(&addr, "/progetto/casa/");
    assert!(status.contains("200"), "{status}");
    assert!(body.contains("<script src=\"/__brochure/live.js\"></script>"), "the reload script is injected");
    let (status, _) = get(&addr, "/__brochure/live.js");
    assert!(status.contains("200"));
    let (status, _) = get(&addr, "/progetto/casa");
    assert!(status.contains("302"), "a folder without its slash is redirected: {status}");
    let (status, body) = get(&addr, "/no/such/page/");
    assert!(status.contains("404") && body.contains("<html"), "the theme's 404 page: {status}");
    p.build_ok();
    assert!(!p.read("progetto/casa/index.html").contains("__brochure"), "never in build output");
}

#[test]
fn path_traversal_and_symlink_escapes_are_refused() {
    let p = Project::fixture("basic");
    let addr = start(&p);
    for path in [
        "/../config.yaml",
        "/%2e%2e/config.yaml",
        "/progetto/..%2f..%2fconfig.yaml",
        "/..\\config.yaml",
        "/content/progetto/casa.it.md",
    ] {
        let (status, body) = get(&addr, path);
        assert!(status.contains("400") || status.contains("404"), "{path}: {status}");
        assert!(!body.contains("base_url"), "{path} leaked config.yaml");
    }
}

/// Subscribes to the live-reload stream; each call returns the next state the server sends.
fn subscribe(addr: &str) -> impl FnMut() -> serde_json::Value {
    let mut events = TcpStream::connect(addr).expect("events");
    write!(events, "GET /__brochure/events HTTP/1.1\r\nHost: {addr}\r\n\r\n").expect("subscribe");
    events.set_read_timeout(Some(Duration::from_secs(10))).expect("timeout");
    let mut events = BufReader::new(events);
    move || loop {
        let mut line = String::new();
        let n = events.read_line(&mut line).expect("an event");
        assert!(n > 0, "the event stream ended");
        if let Some(data) = line.strip_prefix("data: ") {
            return serde_json::from_str::<serde_json::Value>(data).expect("JSON state");
        }
    }
}

#[test]
fn an_edit_is_served_after_a_rebuild_and_a_broken_file_shows_the_error_while_the_old_page_stays() {
    let p = Project::fixture("basic");
    let addr = start(&p);
    let mut next_state = subscribe(&addr);
    let first = next_state();
    assert!(first["error"].is_null());

    p.edit("content/progetto/casa.it.md", "Sportello Casa", "Sportello Casa Rinnovato");
    wait_for("the edit", || get(&addr, "/progetto/casa/").1.contains("Sportello Casa Rinnovato"));
    let after_edit = next_state();
    assert!(after_edit["generation"].as_u64() > first["generation"].as_u64(), "a reload event: {after_edit}");

    p.edit("content/progetto/casa.it.md", "volunteers: 2", "volunteers: two");
    let broken = loop {
        let s = next_state();
        if !s["error"].is_null() {
            break s;
        }
    };
    let text = broken["error"].as_str().expect("error text");
    assert!(text.contains("content/progetto/casa.it.md:") && text.contains("volunteers"), "{text}");
    assert!(get(&addr, "/progetto/casa/").1.contains("Sportello Casa Rinnovato"), "the last good page is still served");

    p.edit("content/progetto/casa.it.md", "volunteers: two", "volunteers: 2");
    let fixed = loop {
        let s = next_state();
        if s["error"].is_null() {
            break s;
        }
    };
    assert!(fixed["generation"].as_u64() > after_edit["generation"].as_u64());
}

#[test]
fn a_file_the_build_ignores_does_not_reload_the_browser() {
    // Editors write temporary and backup files beside the one saved (`casa.it.md.tmp~`,
    // `casa.it.md~`): the build skips them, so a reload would show the reader nothing new.
    let p = Project::fixture("basic");
    let (addr, log) = start_logging(&p);
    let first = subscribe(&addr)()["generation"].as_u64().expect("a generation");
    p.write("content/progetto/casa.it.md.tmp~", "half a save");
    p.write("content/progetto/casa.it.md~", "an editor's backup");
    // Long enough for the watcher to see both files and answer them on their own.
    std::thread::sleep(Duration::from_millis(500));
    p.edit("content/progetto/casa.it.md", "Sportello Casa", "Sportello Casa Rinnovato");
    wait_for("the edit", || get(&addr, "/progetto/casa/").1.contains("Sportello Casa Rinnovato"));
    // A new subscriber is told the state as it is now.
    let now = subscribe(&addr)()["generation"].as_u64();
    assert_eq!(now, Some(first + 1), "one reload, for the edit alone");
    // The terminal says so in the writer's words, not "built 0 files".
    let lines: Vec<String> = log.try_iter().map(|e| e.to_string()).collect();
    assert!(lines.iter().any(|l| l.ends_with("changed: nothing on the site changed")), "{lines:?}");
    assert!(!lines.iter().any(|l| l.contains("built 0 files")), "{lines:?}");
}

#[test]
fn a_hundred_concurrent_requests_and_a_client_that_hangs_up_do_not_stop_the_server() {
    let p = Project::fixture("basic");
    let addr = start(&p);
    // A client that sends half a request and leaves, and one that leaves mid-response.
    let mut half = TcpStream::connect(&addr).expect("connect");
    write!(half, "GET /progetto/ HTT").expect("half");
    drop(half);
    let mut rude = TcpStream::connect(&addr).expect("connect");
    write!(rude, "GET /progetto/casa/ HTTP/1.1\r\n\r\n").expect("request");
    let mut one = [0u8; 1];
    let _ = rude.read(&mut one);
    drop(rude);
    let handles: Vec<_> = (0..100)
        .map(|i| {
            let addr = addr.clone();
            std::thread::spawn(move || get(&addr, if i % 2 == 0 { "/progetto/casa/" } else { "/css/site.css" }).0)
        })
        .collect();
    for h in handles {
        assert!(h.join().expect("request thread").contains("200"));
    }
    assert!(get(&addr, "/").0.contains("200"));
}

#[test]
fn incremental_rebuilds_are_byte_identical_to_full_builds() {
    let p = Project::fixture("basic");
    let mut session = Session::remembering();
    let opts = p.options();
    prepare_in(&opts, &mut session, &Changes::Everything).expect("first build");
    let edits: [(&str, &str, &str); 6] = [
        ("content/progetto/casa.it.md", "Sportello Casa", "Sportello Casa Due"),
        ("content/progetto/casa.en.md", "slug: housing-desk", "slug: housing-office"),
        ("content/progetto/_index.it.md", "title: ", "title: Nuovo "),
        ("themes/default/i18n/it.yaml", "\"Volontari\"", "\"Volontari e volontarie\""),
        ("themes/default/templates/page.html", "<div class=\"prose\"", "<div class=\"prose changed\""),
        ("config.yaml", "base_url: ", "base_url: https://example.net/#"),
    ];
    for (file, from, to) in edits {
        if file == "config.yaml" {
            let text = std::fs::read_to_string(p.root().join(file)).expect("config");
            let line = text.lines().find(|l| l.starts_with("base_url:")).expect("base_url line").to_string();
            p.edit(file, &line, "base_url: \"https://example.net/other/\"");
        } else {
            p.edit(file, from, to);
        }
        let changes = Changes::Paths(vec![p.root().join(file)]);
        let incremental = prepare_in(&opts, &mut session, &changes).expect("incremental build");
        let incremental = served_files(&session, &incremental);
        let full = output_files(&prepare(&opts).expect("full build"));
        assert_eq!(incremental.len(), full.len(), "after editing {file}");
        for ((pa, a), (pb, b)) in incremental.iter().zip(&full) {
            assert_eq!(pa, pb);
            assert!(a == b, "{pa} differs after editing {file}");
        }
    }
}

#[test]
fn saving_by_rename_and_deleting_and_recreating_a_file_are_both_seen() {
    let p = Project::fixture("basic");
    let addr = start(&p);
    // An editor that writes a temporary file and renames it over the original.
    let target = p.root().join("content/progetto/casa.it.md");
    let text = std::fs::read_to_string(&target).expect("read");
    let tmp = p.root().join("content/progetto/.casa.it.md.swp~");
    std::fs::write(&tmp, text.replace("Sportello Casa", "Sportello Rinominato")).expect("write temp");
    std::fs::rename(&tmp, &target).expect("rename over");
    wait_for("the renamed save", || get(&addr, "/progetto/casa/").1.contains("Sportello Rinominato"));
    // Deleted, then made again.
    std::fs::remove_file(&target).expect("delete");
    std::thread::sleep(Duration::from_millis(300));
    std::fs::write(&target, text.replace("Sportello Casa", "Sportello Ricreato")).expect("recreate");
    wait_for("the recreated file", || get(&addr, "/progetto/casa/").1.contains("Sportello Ricreato"));
    // A burst of changes, as from a git checkout.
    for i in 0..20 {
        p.write(
            &format!("content/progetto/extra-{i}.it.md"),
            format!("---\ntitle: \"Extra {i}\"\naddress: \"Via {i}\"\nvolunteers: 1\n---\n"),
        );
    }
    wait_for("the burst", || get(&addr, "/progetto/extra-19/").0.contains("200"));
}

#[test]
fn serve_started_in_the_project_folder_sees_edits() {
    // `brochure serve` with no --root: the project is `.`, and the watcher reports absolute
    // paths, which must still be recognised as the project's.
    let p = Project::fixture("basic");
    let (mut child, addr) = crate::serve_safety::spawn_serve(&p);
    p.edit("content/progetto/casa.it.md", "Sportello Casa", "Sportello Osservato");
    let seen = (0..100).any(|_| {
        std::thread::sleep(Duration::from_millis(50));
        get(&addr, "/progetto/casa/").1.contains("Sportello Osservato")
    });
    let _ = child.kill();
    let _ = child.wait();
    assert!(seen, "the edit was not picked up by serve started in the project folder");
}

#[test]
fn an_error_build_would_refuse_is_shown_beside_the_new_preview_not_instead_of_it() {
    let p = Project::fixture("basic");
    let addr = start(&p);
    let mut next_state = subscribe(&addr);
    assert!(next_state()["error"].is_null());
    p.edit("content/progetto/casa.it.md", "Vedi anche", "Nuovo testo. Vedi [la chiusa](chiusa.it.md) e");
    // The preview shows the edit (build would refuse it, serve does not hide it)...
    wait_for("the edit", || get(&addr, "/progetto/casa/").1.contains("Nuovo testo."));
    // ...with the error that build would refuse it for, in the panel that leaves the page usable.
    let state = loop {
        let s = next_state();
        if !s["error"].is_null() {
            break s;
        }
    };
    let text = state["error"].as_str().expect("error text");
    assert!(text.contains("chiusa.it.md") && text.contains("content/progetto/casa.it.md:"), "{text}");
    assert_eq!(state["stale"], false, "the pages are the new build's: {state}");
    let (_, script) = get(&addr, "/__brochure/live.js");
    assert!(script.contains("`brochure build` refuses to publish it"), "{script}");
}

/// A folder asked for without its slash is redirected with its query: a shared link to
/// `/sedi?offer=english` keeps its filters (the query was dropped).
#[test]
fn the_redirect_to_a_folder_keeps_the_query() {
    let p = Project::fixture("basic");
    let addr = start(&p);
    let location = |path: &str| {
        let mut s = TcpStream::connect(&addr).expect("connect");
        s.set_read_timeout(Some(Duration::from_secs(10))).expect("timeout");
        write!(s, "GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n").expect("send");
        let mut raw = String::new();
        let _ = s.read_to_string(&mut raw);
        raw.lines().find_map(|l| l.strip_prefix("Location: ")).unwrap_or("").to_string()
    };
    assert_eq!(
        location("/progetto/casa?offer=english,it-skills&q=via%20roma"),
        "/progetto/casa/?offer=english,it-skills&q=via%20roma"
    );
    assert_eq!(location("/progetto/casa"), "/progetto/casa/");
    assert_eq!(location("/progetto/casa?"), "/progetto/casa/");
}
