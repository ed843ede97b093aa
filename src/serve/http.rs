//! A small HTTP/1.1 server for previews: GET and HEAD of the site held in memory, the
//! live-reload event stream, and nothing else. It never reads a path it was not given.

use std::io::{BufRead, BufReader, Write};
use std::net::TcpStream;
use std::sync::Arc;
use std::time::Duration;

use super::{Live, Served};

/// Where the browser side of live reload lives; outside any site path a writer could make.
pub const LIVE_PREFIX: &str = "/__brochure/";

/// Reads one request and answers it; errors (a client that went away) end the connection.
pub fn handle(mut stream: TcpStream, live: &Live) {
    let _ = stream.set_read_timeout(Some(Duration::from_secs(10)));
    let mut reader = BufReader::new(match stream.try_clone() {
        Ok(s) => s,
        Err(_) => return,
    });
    let mut request_line = String::new();
    if reader.read_line(&mut request_line).is_err() || request_line.len() > 8192 {
        return;
    }
    // Headers are read and ignored: nothing in them changes the answer.
    let mut header = String::new();
    for _ in 0..100 {
        header.clear();
        match reader.read_line(&mut header) {
            Ok(0) | Err(_) => return,
            Ok(_) if header == "\r\n" || header == "\n" => break,
            Ok(_) => {}
        }
    }
    let mut parts = request_line.split_whitespace();
    let (method, target) = (parts.next().unwrap_or(""), parts.next().unwrap_or("/"));
    if method != "GET" && method != "HEAD" {
        let _ =
            respond(&mut stream, "405 Method Not Allowed", "text/plain; charset=utf-8", b"only GET and HEAD\n", false);
        return;
    }
    let head_only = method == "HEAD";
    let path = match decode_path(target) {
        Some(p) => p,
        None => {
            let _ = respond(&mut stream, "400 Bad Request", "text/plain; charset=utf-8", b"bad path\n", head_only);
            return;
        }
    };
    if path == format!("{LIVE_PREFIX}events") {
        live.stream_events(stream);
        return;
    }
    if path == format!("{LIVE_PREFIX}live.js") {
        let _ = respond(&mut stream, "200 OK", "text/javascript; charset=utf-8", LIVE_JS.as_bytes(), head_only);
        return;
    }
    let (status, file) = live.lookup(&path);
    match file {
        Some((_, Served::Redirect(to))) => {
            let head =
                format!("HTTP/1.1 302 Found\r\nLocation: {to}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
            let _ = stream.write_all(head.as_bytes());
        }
        Some((name, Served::Bytes(bytes))) => {
            let kind = content_type(&name);
            let body = if kind.starts_with("text/html") { inject(&bytes) } else { bytes };
            let _ = respond(&mut stream, status, kind, &body, head_only);
        }
        Some((name, Served::File(source))) => match std::fs::read(&source) {
            Ok(bytes) => {
                let _ = respond(&mut stream, status, content_type(&name), &bytes, head_only);
            }
            Err(_) => {
                let _ = respond(&mut stream, "404 Not Found", "text/plain; charset=utf-8", b"not found\n", head_only);
            }
        },
        None => {
            let _ = respond(&mut stream, "404 Not Found", "text/plain; charset=utf-8", b"not found\n", head_only);
        }
    }
}

fn respond(stream: &mut TcpStream, status: &str, kind: &str, body: &[u8], head_only: bool) -> std::io::Result<()> {
    let head = format!(
        "HTTP/1.1 {status}\r\nContent-Type: {kind}\r\nContent-Length: {}\r\nCache-Control: no-store\r\nX-Content-Type-Options: nosniff\r\nConnection: close\r\n\r\n",
        body.len()
    );
    stream.write_all(head.as_bytes())?;
    if !head_only {
        stream.write_all(body)?;
    }
    stream.flush()
}

/// The request path, percent-decoded, without query; `None` for anything that could climb
/// out of the site (`..`, backslashes, NUL) or is not UTF-8.
pub fn decode_path(target: &str) -> Option<String> {
    let raw = target.split(['?', '#']).next()?;
    if !raw.starts_with('/') {
        return None;
    }
    let path = crate::percent::decode(raw, false)?;
    if path.contains('\0') || path.contains('\\') || path.split('/').any(|s| s == ".." || s == ".") {
        return None;
    }
    Some(path)
}

pub fn content_type(name: &str) -> &'static str {
    match name.rsplit('.').next().unwrap_or("") {
        "html" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "xml" => "application/xml; charset=utf-8",
        "txt" => "text/plain; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "ico" => "image/x-icon",
        "pdf" => "application/pdf",
        "woff2" => "font/woff2",
        "woff" => "font/woff",
        _ => "application/octet-stream",
    }
}

/// Adds the live-reload script to an HTML page; only `serve` does this, never `build`.
fn inject(html: &Arc<[u8]>) -> Arc<[u8]> {
    let tag = format!("<script src=\"{LIVE_PREFIX}live.js\"></script>");
    let text = String::from_utf8_lossy(html);
    let out = match text.rfind("</body>") {
        Some(i) => format!("{}{tag}{}", &text[..i], &text[i..]),
        None => format!("{text}{tag}"),
    };
    out.into_bytes().into()
}

/// The browser side: reload on a new build; show a failed build's error over the page
/// (which is the last good build) until the next good build, and the errors that `build`
/// would refuse a served site for in a panel at the bottom that leaves the page usable.
const LIVE_JS: &str = r#"(function () {
  var box;
  function overlay(text, stale) {
    if (!box) {
      box = document.createElement('div');
      box.id = 'brochure-error';
      box.setAttribute('role', 'alert');
      document.body.appendChild(box);
    }
    var place = stale ? 'inset:0' : 'left:0;right:0;bottom:0;max-height:35vh;border-top:4px solid #e5484d';
    box.style.cssText = 'position:fixed;' + place + ';z-index:2147483647;overflow:auto;background:rgba(20,20,30,.94);color:#fff;padding:1rem 2rem;font:14px/1.5 ui-monospace,monospace;white-space:pre-wrap';
    box.textContent = (stale
      ? 'brochure: the last change could not be built; the page shows the last good build.\n\n'
      : 'brochure: this preview works, but `brochure build` refuses to publish it until these are fixed:\n\n') + text;
  }
  var source = new EventSource('/__brochure/events');
  var seen = null;
  source.addEventListener('state', function (e) {
    var msg = JSON.parse(e.data);
    if (seen !== null && msg.generation !== seen) { location.reload(); return; }
    seen = msg.generation;
    if (msg.error) overlay(msg.error, msg.stale); else if (box) { box.remove(); box = null; }
  });
})();
"#;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_that_climb_out_are_refused() {
        for bad in ["/../etc/passwd", "/a/%2e%2e/b", "/a\\..\\b", "/%00", "x", "/./a"] {
            assert_eq!(decode_path(bad), None, "{bad}");
        }
        assert_eq!(decode_path("/requisiti/capacit%C3%A0/?x=1").as_deref(), Some("/requisiti/capacità/"));
    }
}
