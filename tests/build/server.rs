//! A minimal static file server on loopback, so that browser tests load the built site
//! over HTTP with its root-relative links, as a web host would serve it.

use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::thread;

pub struct StaticServer {
    pub port: u16,
}

impl StaticServer {
    /// Binds a free port now (so the site can be built for it) and serves `dir` from `start`.
    pub fn bind() -> (TcpListener, u16) {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind a loopback port");
        let port = listener.local_addr().expect("local address").port();
        (listener, port)
    }

    pub fn start(listener: TcpListener, dir: PathBuf) -> StaticServer {
        let port = listener.local_addr().expect("local address").port();
        thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let dir = dir.clone();
                thread::spawn(move || serve(stream, &dir));
            }
        });
        StaticServer { port }
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}/{}", self.port, path.trim_start_matches('/'))
    }
}

fn serve(mut stream: TcpStream, dir: &Path) {
    let mut line = String::new();
    if BufReader::new(&stream).read_line(&mut line).is_err() {
        return;
    }
    let target = line.split_whitespace().nth(1).unwrap_or("/");
    // The same path rules as `brochure serve`: decoded, and refused if it could climb out.
    let Some(decoded) = brochure::serve::decode_path(target) else {
        let _ = stream.write_all(b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
        return;
    };
    let mut file = dir.join(decoded.trim_start_matches('/'));
    if file.is_dir() {
        file = file.join("index.html");
    }
    let (status, body, file) = match std::fs::read(&file) {
        Ok(b) => ("200 OK", b, file),
        Err(_) => ("404 Not Found", std::fs::read(dir.join("404.html")).unwrap_or_default(), dir.join("404.html")),
    };
    let kind = brochure::serve::content_type(&file.to_string_lossy());
    let head = format!(
        "HTTP/1.1 {status}\r\nContent-Type: {kind}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    );
    let _ = stream.write_all(head.as_bytes()).and_then(|()| stream.write_all(&body));
}
