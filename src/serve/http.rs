//! A small HTTP/1.1 server for previews: GET and HEAD of the site held in memory, the
//! live-reload event stream, and nothing else. It never reads a file on request, answers
//! only requests naming this computer, and gives every client a fixed time and size.

use std::io::{Read, Write};
use std::net::{Shutdown, TcpStream};
use std::sync::Arc;
use std::time::{Duration, Instant};

use super::request::{self, host_allowed};
use super::{ConnectionPermit, Live, Served};

/// Where the browser side of live reload lives; outside any site path a writer could make.
pub const LIVE_PREFIX: &str = "/__brochure/";

/// How long a client has to send its whole request head, from connecting. A browser sends
/// it at once; a client dribbling bytes is cut off here, whatever its pace.
const HEAD_DEADLINE: Duration = Duration::from_secs(5);

/// How long sending one answer may take: a client that stops reading is let go.
const SEND_DEADLINE: Duration = Duration::from_secs(30);

/// The answer when every connection slot is taken.
pub const BUSY: &[u8] = b"HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";

const TEXT: &str = "text/plain; charset=utf-8";

/// Reads one request and answers it; errors (a client that went away) end the connection.
/// `permit` is this connection's place among the requests being answered.
pub fn handle(mut stream: TcpStream, live: &Live, permit: ConnectionPermit) {
    let head = match request::read_head(&mut stream, Instant::now() + HEAD_DEADLINE) {
        Ok(head) => head,
        Err(refusal) => {
            if let Some((status, text)) = refusal.status() {
                refuse(stream, status, text);
            }
            return;
        }
    };
    let deadline = Instant::now() + SEND_DEADLINE;
    let head_only = head.method == "HEAD";
    let answer = |mut stream: TcpStream, status: &str, kind: &str, body: &[u8]| {
        let _ = respond(&mut stream, status, kind, body, head_only, deadline);
    };
    let host_ok = match (&head.host, stream.local_addr()) {
        (Some(host), Ok(local)) => host_allowed(host, local),
        _ => false,
    };
    if !host_ok {
        let why = "brochure serve answers only requests for localhost, 127.0.0.1, [::1] or the address it listens on\n";
        return answer(stream, "403 Forbidden", TEXT, why.as_bytes());
    }
    if head.method != "GET" && !head_only {
        return answer(stream, "405 Method Not Allowed", TEXT, b"only GET and HEAD\n");
    }
    let Some(path) = decode_path(&head.target) else {
        return answer(stream, "400 Bad Request", TEXT, b"bad path\n");
    };
    if path == format!("{LIVE_PREFIX}events") {
        let Some(stream_permit) = live.stream_permit() else {
            return answer(stream, "503 Service Unavailable", TEXT, b"too many live-reload streams; close some tabs\n");
        };
        // A stream holds its place among the streams, not among the requests.
        drop(permit);
        let _ = stream.set_write_timeout(Some(SEND_DEADLINE));
        live.stream_events(stream);
        drop(stream_permit);
        return;
    }
    if path == format!("{LIVE_PREFIX}live.js") {
        return answer(stream, "200 OK", "text/javascript; charset=utf-8", LIVE_JS.as_bytes());
    }
    match live.lookup(&path) {
        (_, Some((_, Served::Redirect(to)))) => {
            // The query goes along: `/sedi?offer=english` is `/sedi/?offer=english`, the
            // filters included (it was dropped). Only visible ASCII, as the request gave it.
            let query = head.target.split_once('?').map(|(_, q)| q).filter(|q| q.bytes().all(|b| b.is_ascii_graphic()));
            let to = match query {
                Some(q) if !q.is_empty() => format!("{to}?{q}"),
                _ => to,
            };
            let head =
                format!("HTTP/1.1 302 Found\r\nLocation: {to}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
            let _ = send(&mut stream, head.as_bytes(), deadline);
        }
        (status, Some((name, Served::Bytes(bytes)))) => {
            let kind = content_type(&name);
            let body = if kind.starts_with("text/html") { inject(&bytes) } else { bytes };
            answer(stream, status, kind, &body);
        }
        (_, None) => answer(stream, "404 Not Found", TEXT, b"not found\n"),
    }
}

/// Answers a request that was not read whole, then lets the client finish sending for a
/// moment (up to a small amount), so that it reads the answer instead of a reset connection.
fn refuse(mut stream: TcpStream, status: &str, text: &str) {
    let _ = respond(&mut stream, status, TEXT, text.as_bytes(), false, Instant::now() + Duration::from_secs(2));
    let _ = stream.shutdown(Shutdown::Write);
    let _ = stream.set_read_timeout(Some(Duration::from_millis(500)));
    let mut drained = 0;
    let mut sink = [0u8; 4096];
    while drained < 64 * 1024 {
        match stream.read(&mut sink) {
            Ok(0) | Err(_) => break,
            Ok(n) => drained += n,
        }
    }
}

fn respond(
    stream: &mut TcpStream,
    status: &str,
    kind: &str,
    body: &[u8],
    head_only: bool,
    deadline: Instant,
) -> std::io::Result<()> {
    let head = format!(
        "HTTP/1.1 {status}\r\nContent-Type: {kind}\r\nContent-Length: {}\r\nCache-Control: no-store\r\nX-Content-Type-Options: nosniff\r\nConnection: close\r\n\r\n",
        body.len()
    );
    send(stream, head.as_bytes(), deadline)?;
    if !head_only {
        send(stream, body, deadline)?;
    }
    stream.flush()
}

/// Writes `bytes` in pieces, each given only the time left before `deadline`.
fn send(stream: &mut TcpStream, bytes: &[u8], deadline: Instant) -> std::io::Result<()> {
    for piece in bytes.chunks(64 * 1024) {
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return Err(std::io::ErrorKind::TimedOut.into());
        }
        stream.set_write_timeout(Some(left))?;
        stream.write_all(piece)?;
    }
    Ok(())
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
