//! Measures `serve`'s latency from saving a file to the reload message in the browser's
//! event stream, on a copy of a project (the real content by default).
//!
//! cargo run --release --example serve-latency -- [--root DIR] [--edits 20] [--change body|facts]
//!
//! The project is copied to a temporary folder; a site file is edited `--edits` times and
//! each time the time from the write to the `state` event with a new generation is taken.
//! The figure includes the file-system notification and the watcher's debounce.
//! `--change body` (the default) adds a sentence to the text; `--change facts` changes the
//! number of volunteers in the front matter, which every list of sites shows.

use std::io::{BufRead, BufReader, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::sync::{mpsc, Arc};
use std::time::{Duration, Instant};

use brochure::serve::{serve, ServeEvent, ServeOptions};
use brochure::BuildOptions;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let arg = |name: &str| args.iter().position(|a| a == name).and_then(|i| args.get(i + 1)).cloned();
    let source = PathBuf::from(arg("--root").unwrap_or_else(|| env!("CARGO_MANIFEST_DIR").to_string()));
    let edits: usize = arg("--edits").and_then(|n| n.parse().ok()).unwrap_or(20);
    let facts = arg("--change").as_deref() == Some("facts");
    let work = std::env::temp_dir().join(format!("brochure-latency-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&work);
    std::fs::create_dir_all(&work).expect("work folder");
    for part in ["config.yaml", "content", "themes"] {
        copy(&source.join(part), &work.join(part));
    }
    let site = find_site(&work.join("content")).expect("a site file to edit");
    let (tx, rx) = mpsc::channel::<ServeEvent>();
    let log: Arc<dyn Fn(ServeEvent) + Send + Sync> = Arc::new(move |event: ServeEvent| {
        let _ = tx.send(event);
    });
    let opts = ServeOptions {
        build: BuildOptions { root: work.clone(), ..Default::default() },
        bind: "127.0.0.1".into(),
        port: 0,
    };
    std::thread::spawn(move || serve(opts, log));
    let addr = loop {
        match rx.recv_timeout(Duration::from_secs(600)).expect("serve started") {
            ServeEvent::Listening { url } => {
                break url.trim_start_matches("http://").split('/').next().unwrap_or("").to_string()
            }
            line => eprintln!("{line}"),
        }
    };
    let mut events = TcpStream::connect(&addr).expect("events");
    // serve answers only requests whose Host names it (see `serve::request::host_allowed`).
    write!(events, "GET /__brochure/events HTTP/1.1\r\nHost: {addr}\r\n\r\n").expect("subscribe");
    let mut events = BufReader::new(events);
    let mut generation = next_generation(&mut events);
    let text = std::fs::read_to_string(&site).expect("site file");
    let mut times = Vec::new();
    for i in 0..edits {
        std::thread::sleep(Duration::from_millis(150));
        // Saved as most editors do: a new file renamed over the old one (one event).
        let tmp = site.with_extension("md.tmp~");
        let edited = if facts {
            text.replacen("volunteers: ", &format!("volunteers: {}", i + 1), 1)
        } else {
            format!("{text}\nEdit {i}.\n")
        };
        std::fs::write(&tmp, edited).expect("edit");
        let started = Instant::now();
        std::fs::rename(&tmp, &site).expect("save");
        loop {
            let g = next_generation(&mut events);
            if g > generation {
                generation = g;
                break;
            }
        }
        times.push(started.elapsed().as_secs_f64() * 1000.0);
    }
    while let Ok(event) = rx.try_recv() {
        eprintln!("{event}");
    }
    times.sort_by(|a, b| a.total_cmp(b));
    let median = times[times.len() / 2];
    let p95 = times[(times.len() * 95 / 100).min(times.len() - 1)];
    println!(
        "edited {} ({}): {edits} edits, save -> reload message: median {median:.1} ms, p95 {p95:.1} ms, min {:.1} ms",
        site.display(),
        if facts { "facts" } else { "body" },
        times[0]
    );
    let _ = std::fs::remove_dir_all(&work);
}

fn next_generation(events: &mut BufReader<TcpStream>) -> u64 {
    loop {
        let mut line = String::new();
        // A refused or closed stream ends the run instead of waiting for ever.
        assert!(events.read_line(&mut line).expect("event stream") > 0, "serve closed the event stream");
        if let Some(data) = line.strip_prefix("data: ") {
            let v: serde_json::Value = serde_json::from_str(data).expect("JSON");
            return v["generation"].as_u64().unwrap_or(0);
        }
    }
}

fn find_site(content: &Path) -> Option<PathBuf> {
    let mut dirs: Vec<PathBuf> =
        std::fs::read_dir(content).ok()?.flatten().map(|e| e.path()).filter(|p| p.is_dir()).collect();
    dirs.sort();
    let mut files: Vec<PathBuf> = std::fs::read_dir(dirs.first()?).ok()?.flatten().map(|e| e.path()).collect();
    files.sort();
    // A site file that states its facts (a translation may inherit them all).
    files.into_iter().find(|f| {
        !f.file_name().is_some_and(|n| n.to_string_lossy().starts_with("_index"))
            && std::fs::read_to_string(f).is_ok_and(|t| t.contains("\nvolunteers: "))
    })
}

fn copy(from: &Path, to: &Path) {
    if from.is_dir() {
        std::fs::create_dir_all(to).expect("mkdir");
        for e in std::fs::read_dir(from).expect("read dir").flatten() {
            copy(&e.path(), &to.join(e.file_name()));
        }
    } else if let Err(e) = std::fs::copy(from, to) {
        eprintln!("skipped {}: {e}", from.display());
    }
}
