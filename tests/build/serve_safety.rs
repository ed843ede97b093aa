//! `serve` as a sealed local server: it serves only what the last good build produced,
//! answers only requests naming this computer, and gives every client a bounded time and
//! size, so that no client (or hundreds) can read outside the project, grow its memory or
//! lock pages out. Every client here is real and on 127.0.0.1, in bounded loops.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::sync::{mpsc, Arc};
use std::time::{Duration, Instant};

use brochure::serve::{serve, ServeEvent, ServeOptions};

use crate::project::Project;
use crate::serve::{get, start};

/// A raw request; returns the status line (empty if the connection closed without one,
/// as a busy server may do before the request is even sent).
fn status_of(addr: &str, request: &[u8]) -> String {
    let mut s = TcpStream::connect(addr).expect("connect");
    s.set_read_timeout(Some(Duration::from_secs(10))).expect("timeout");
    let _ = s.write_all(request);
    let mut line = String::new();
    let _ = BufReader::new(s).read_line(&mut line);
    line.trim_end().to_string()
}

#[test]
fn requests_naming_another_host_are_refused() {
    let p = Project::fixture("basic");
    let addr = start(&p);
    let port = addr.rsplit(':').next().expect("port");
    for host in [format!("localhost:{port}"), format!("127.0.0.1:{port}"), format!("[::1]:{port}"), "localhost".into()]
    {
        let status = status_of(&addr, format!("GET /progetto/casa/ HTTP/1.1\r\nHost: {host}\r\n\r\n").as_bytes());
        assert!(status.contains(" 200 "), "Host: {host}: {status}");
    }
    // What a page of another site reaches after DNS rebinding, and a request with no Host.
    for head in ["Host: evil.example", "Host: evil.example:80", "Host: localhost.evil.example", "Accept: */*"] {
        let mut s = TcpStream::connect(&addr).expect("connect");
        s.set_read_timeout(Some(Duration::from_secs(10))).expect("timeout");
        write!(s, "GET /progetto/casa/ HTTP/1.1\r\n{head}\r\n\r\n").expect("send");
        let mut answer = String::new();
        let _ = s.read_to_string(&mut answer);
        assert!(answer.starts_with("HTTP/1.1 403 "), "{head}: {answer}");
        assert!(!answer.contains("Sportello Casa"), "{head}: the page was served");
    }
}

/// Starts `serve` in-process; returns its address and the lines it logs.
fn start_logged(p: &Project) -> (String, mpsc::Receiver<ServeEvent>) {
    let (tx, rx) = mpsc::channel::<ServeEvent>();
    let opts = ServeOptions { build: p.options(), bind: "127.0.0.1".into(), port: 0 };
    let log: Arc<dyn Fn(ServeEvent) + Send + Sync> = Arc::new(move |event: ServeEvent| {
        let _ = tx.send(event);
    });
    std::thread::spawn(move || serve(opts, log));
    loop {
        let event = rx.recv_timeout(Duration::from_secs(60)).expect("serve did not start");
        if let ServeEvent::Listening { url } = event {
            return (super::serve::address_of(&url), rx);
        }
    }
}

#[test]
fn a_file_replaced_by_a_link_out_of_the_project_after_a_good_build_is_never_served() {
    let p = Project::fixture("basic");
    let outside = tempfile::tempdir().expect("outside folder");
    std::fs::write(outside.path().join("secret.txt"), "the secret outside the project").expect("write");
    p.write("content/progetto/nota.txt", "ciao");
    let (addr, log) = start_logged(&p);
    assert_eq!(get(&addr, "/progetto/nota.txt").1, "ciao");

    // Replaced in one step (a link made aside, renamed over the file), as an editor saves:
    // removed first, a loaded machine could see the removal alone and build without it.
    let link = outside.path().join("nota-link");
    std::os::unix::fs::symlink(outside.path().join("secret.txt"), &link).expect("link");
    std::fs::rename(&link, p.root().join("content/progetto/nota.txt")).expect("replace the file by the link");
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let line = log.recv_timeout(deadline.saturating_duration_since(Instant::now())).expect("a failed rebuild");
        let line = line.to_string();
        if line.contains("the build failed") {
            assert!(line.contains("points outside the project"), "{line}");
            break;
        }
    }
    let (status, body) = get(&addr, "/progetto/nota.txt");
    assert!(!body.contains("secret"), "a file outside the project was served: {status}");
    assert_eq!((status.as_str(), body.as_str()), ("HTTP/1.1 200 OK", "ciao"), "the last good build's file");
}

#[test]
fn an_overlong_request_line_gets_414_and_overlong_headers_get_431() {
    let p = Project::fixture("basic");
    let addr = start(&p);
    let long_path = format!("/{}", "a".repeat(9_000));
    let status = status_of(&addr, format!("GET {long_path} HTTP/1.1\r\nHost: {addr}\r\n\r\n").as_bytes());
    assert!(status.starts_with("HTTP/1.1 414 "), "{status:?}");
    let cookie = format!("Cookie: {}\r\n", "c".repeat(1_000)).repeat(20);
    let status = status_of(&addr, format!("GET / HTTP/1.1\r\nHost: {addr}\r\n{cookie}\r\n").as_bytes());
    assert!(status.starts_with("HTTP/1.1 431 "), "{status:?}");
    let many = "X-A: b\r\n".repeat(200);
    let status = status_of(&addr, format!("GET / HTTP/1.1\r\nHost: {addr}\r\n{many}\r\n").as_bytes());
    assert!(status.starts_with("HTTP/1.1 431 "), "{status:?}");
    assert!(get(&addr, "/progetto/casa/").0.contains("200"), "the server still answers");
}

/// `brochure serve` as its own process in the project folder: (the process, its address).
pub(crate) fn spawn_serve(p: &Project) -> (std::process::Child, String) {
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_brochure"))
        .args(["serve", "--port", "0"])
        .current_dir(p.root())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("start brochure serve");
    let stderr = BufReader::new(child.stderr.take().expect("stderr"));
    let (tx, rx) = mpsc::channel::<String>();
    std::thread::spawn(move || stderr.lines().map_while(Result::ok).for_each(|l| drop(tx.send(l))));
    let address = loop {
        match rx.recv_timeout(Duration::from_secs(60)) {
            Ok(line) => {
                if let Some(rest) = line.split("Serving on http://").nth(1) {
                    break rest.split('/').next().map(str::to_string);
                }
            }
            Err(_) => break None,
        }
    };
    match address {
        Some(address) => (child, address),
        None => {
            let _ = child.kill();
            let _ = child.wait();
            panic!("serve did not print its address");
        }
    }
}

/// The peak resident memory of a process, in MiB (Linux).
fn peak_memory_mib(pid: u32) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).expect("process status");
    let line = status.lines().find(|l| l.starts_with("VmHWM:")).expect("VmHWM line");
    line.split_whitespace().nth(1).and_then(|kb| kb.parse::<u64>().ok()).expect("a number of kB") / 1024
}

#[test]
fn clients_sending_endless_lines_are_cut_off_without_growing_memory() {
    const EACH: usize = 64 << 20;
    let p = Project::fixture("basic");
    let (mut child, addr) = spawn_serve(&p);
    assert!(get(&addr, "/progetto/casa/").0.contains("200"));
    let before = peak_memory_mib(child.id());
    // Five clients each send 64 MiB with no line end: a request line, then a header line.
    let senders: Vec<_> = (0..5)
        .map(|i| {
            let addr = addr.clone();
            std::thread::spawn(move || {
                let mut s = TcpStream::connect(&addr).expect("connect");
                s.set_write_timeout(Some(Duration::from_secs(20))).expect("timeout");
                let start = if i % 2 == 0 { "GET /" } else { "GET / HTTP/1.1\r\nX-Long: " };
                let mut sent = s.write(start.as_bytes()).unwrap_or(0);
                let block = vec![b'a'; 64 * 1024];
                while sent < EACH {
                    match s.write(&block) {
                        Ok(n) => sent += n,
                        Err(_) => break,
                    }
                }
                sent
            })
        })
        .collect();
    let sent: Vec<usize> = senders.into_iter().map(|h| h.join().expect("sender")).collect();
    let after = peak_memory_mib(child.id());
    let answering = get(&addr, "/progetto/casa/").0;
    let _ = child.kill();
    let _ = child.wait();
    for n in &sent {
        assert!(*n < 16 << 20, "a client sent {} MiB without being cut off", n >> 20);
    }
    assert!(after < before + 32, "peak memory grew from {before} MiB to {after} MiB");
    assert!(answering.contains("200"), "{answering}");
}

#[test]
fn clients_sending_a_byte_at_a_time_are_cut_off_and_pages_stay_reachable() {
    let p = Project::fixture("basic");
    let addr = start(&p);
    // 300 clients, more than the server answers at once, each sending a request one byte a
    // second for 15 s: longer than a request may take (5 s), shorter than the old timeout of
    // 10 s per read would ever end.
    let request = format!("GET /progetto/casa/ HTTP/1.1\r\nHost: {addr}\r\n\r\n").into_bytes();
    let slow: Vec<TcpStream> = (0..300).map(|_| TcpStream::connect(&addr).expect("connect")).collect();
    let started = Instant::now();
    let dribbler = std::thread::spawn(move || {
        let mut open: Vec<TcpStream> = slow;
        for byte in request.iter().take(15) {
            open.retain_mut(|s| s.write_all(std::slice::from_ref(byte)).is_ok());
            std::thread::sleep(Duration::from_secs(1));
        }
        let mut cut_off = 300 - open.len();
        for mut s in open {
            s.set_read_timeout(Some(Duration::from_secs(5))).expect("timeout");
            let mut answer = String::new();
            let _ = s.read_to_string(&mut answer);
            if answer.is_empty() || answer.starts_with("HTTP/1.1 408 ") || answer.starts_with("HTTP/1.1 503 ") {
                cut_off += 1;
            }
        }
        cut_off
    });
    std::thread::sleep(Duration::from_millis(500));
    let page = format!("GET /progetto/casa/ HTTP/1.1\r\nHost: {addr}\r\n\r\n");
    let reached = loop {
        if status_of(&addr, page.as_bytes()).contains(" 200 ") {
            break started.elapsed();
        }
        assert!(started.elapsed() < Duration::from_secs(10), "pages were unreachable for 10 s");
        std::thread::sleep(Duration::from_millis(200));
    };
    let cut_off = dribbler.join().expect("dribbler");
    assert_eq!(cut_off, 300, "every slow client is cut off (a page was reached after {reached:?})");
}

#[test]
fn open_live_reload_streams_do_not_lock_pages_out() {
    let p = Project::fixture("basic");
    let addr = start(&p);
    let mut streams = Vec::new();
    let mut refused = 0;
    for _ in 0..260 {
        let mut s = TcpStream::connect(&addr).expect("connect");
        s.set_read_timeout(Some(Duration::from_secs(10))).expect("timeout");
        // A refused stream may be closed before the request is even sent.
        let _ = write!(s, "GET /__brochure/events HTTP/1.1\r\nHost: {addr}\r\n\r\n");
        let mut reader = BufReader::new(s);
        let mut status = String::new();
        let _ = reader.read_line(&mut status);
        if status.starts_with("HTTP/1.1 503 ") {
            refused += 1;
        } else {
            assert!(status.starts_with("HTTP/1.1 200 "), "{status:?}");
        }
        streams.push(reader);
    }
    assert!(refused > 0 && refused < 260, "{refused} of 260 streams refused");
    for path in ["/progetto/casa/", "/css/site.css", "/"] {
        let (status, _) = get(&addr, path);
        assert!(status.contains("200"), "{path} with 260 streams open: {status}");
    }
}
