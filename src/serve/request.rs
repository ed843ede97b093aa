//! Reading one request head within fixed limits: a bounded number of bytes, read against one
//! deadline for the whole head, so that neither a client that never ends a line nor one that
//! sends a byte now and then can hold memory or a connection for long.

use std::io::{ErrorKind, Read};
use std::net::{IpAddr, SocketAddr, TcpStream};
use std::time::Instant;

/// Longer request lines get 414; browsers keep URLs far below this.
pub const MAX_REQUEST_LINE: usize = 8 * 1024;
/// Longer heads (request line and headers) get 431.
pub const MAX_HEAD: usize = 16 * 1024;
/// More header lines than this get 431.
const MAX_HEADER_LINES: usize = 100;

/// The parts of a request head that change the answer.
#[derive(Debug, PartialEq, Eq)]
pub struct Head {
    pub method: String,
    pub target: String,
    pub host: Option<String>,
}

/// Why no request was read; the first four are answered, the last is not.
#[derive(Debug, PartialEq, Eq)]
pub enum Refusal {
    /// 400: not an HTTP request head.
    Malformed,
    /// 414: the request line is longer than [`MAX_REQUEST_LINE`].
    UriTooLong,
    /// 431: the head is longer than [`MAX_HEAD`] or has too many lines.
    HeadTooLarge,
    /// 408: the head did not arrive whole before the deadline.
    TooSlow,
    /// The client went away.
    Gone,
}

impl Refusal {
    /// The status line and the text shown for it, `None` when nobody is left to answer.
    pub fn status(&self) -> Option<(&'static str, &'static str)> {
        Some(match self {
            Refusal::Malformed => ("400 Bad Request", "bad request\n"),
            Refusal::UriTooLong => ("414 URI Too Long", "the address is too long\n"),
            Refusal::HeadTooLarge => ("431 Request Header Fields Too Large", "the request headers are too large\n"),
            Refusal::TooSlow => ("408 Request Timeout", "the request did not arrive in time\n"),
            Refusal::Gone => return None,
        })
    }
}

/// Reads a request head from `stream`, never holding more than [`MAX_HEAD`] bytes of it.
pub fn read_head(stream: &mut TcpStream, deadline: Instant) -> Result<Head, Refusal> {
    let mut head = Vec::with_capacity(1024);
    let mut chunk = [0u8; 4096];
    let mut line_ended = false;
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return Err(Refusal::TooSlow);
        }
        stream.set_read_timeout(Some(left)).map_err(|_| Refusal::Gone)?;
        // One byte more than allowed is enough to know the limit was passed.
        let room = (MAX_HEAD + 1 - head.len()).min(chunk.len());
        let read = match stream.read(&mut chunk[..room]) {
            Ok(0) => return Err(Refusal::Gone),
            Ok(n) => n,
            Err(e) if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => return Err(Refusal::TooSlow),
            Err(e) if e.kind() == ErrorKind::Interrupted => continue,
            Err(_) => return Err(Refusal::Gone),
        };
        // Only the new bytes (and three before them) can complete the blank line.
        let from = head.len().saturating_sub(3);
        head.extend_from_slice(&chunk[..read]);
        if let Some(end) = blank_line(&head[from..]) {
            return parse(&head[..from + end]);
        }
        line_ended |= chunk[..read].contains(&b'\n');
        if !line_ended && head.len() > MAX_REQUEST_LINE {
            return Err(Refusal::UriTooLong);
        }
        if head.len() > MAX_HEAD {
            return Err(Refusal::HeadTooLarge);
        }
    }
}

/// Where the head ends: just before its blank line (`\r\n\r\n`, or `\n\n` from lenient clients).
fn blank_line(bytes: &[u8]) -> Option<usize> {
    (0..bytes.len()).find(|&i| bytes[i..].starts_with(b"\r\n\r\n") || bytes[i..].starts_with(b"\n\n"))
}

fn parse(head: &[u8]) -> Result<Head, Refusal> {
    let text = std::str::from_utf8(head).map_err(|_| Refusal::Malformed)?;
    let mut lines = text.split('\n').map(|l| l.strip_suffix('\r').unwrap_or(l));
    let request_line = lines.next().unwrap_or("");
    if request_line.len() > MAX_REQUEST_LINE {
        return Err(Refusal::UriTooLong);
    }
    let mut parts = request_line.split(' ');
    let (Some(method), Some(target), Some(version), None) = (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(Refusal::Malformed);
    };
    if method.is_empty() || target.is_empty() || !version.starts_with("HTTP/1.") {
        return Err(Refusal::Malformed);
    }
    let mut host = None;
    for (count, line) in lines.enumerate() {
        if count >= MAX_HEADER_LINES {
            return Err(Refusal::HeadTooLarge);
        }
        let (name, value) = line.split_once(':').ok_or(Refusal::Malformed)?;
        if name.eq_ignore_ascii_case("host") {
            // Two Host headers could make two parts of a chain disagree on the host.
            if host.replace(value.trim().to_string()).is_some() {
                return Err(Refusal::Malformed);
            }
        }
    }
    Ok(Head { method: method.to_string(), target: target.to_string(), host })
}

/// Whether a request's Host names this server: `localhost`, a loopback address, or the
/// address the connection came in on. Any other name means a page of another site reached
/// us through DNS rebinding; answering it would let that site read the preview.
pub fn host_allowed(host: &str, local: SocketAddr) -> bool {
    let name = match host.strip_prefix('[') {
        Some(rest) => rest.split_once(']').map_or("", |(inside, _)| inside),
        None => host.rsplit_once(':').map_or(host, |(name, _)| name),
    };
    let name = name.strip_suffix('.').unwrap_or(name);
    if name.eq_ignore_ascii_case("localhost") {
        return true;
    }
    match name.parse::<IpAddr>() {
        Ok(ip) => ip.is_loopback() || ip.to_canonical() == local.ip().to_canonical(),
        Err(_) => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn heads_are_parsed_with_their_host() {
        let head = parse(b"GET /a/?x=1 HTTP/1.1\r\nHost: localhost:1111\r\nAccept: */*").unwrap();
        assert_eq!(head, Head { method: "GET".into(), target: "/a/?x=1".into(), host: Some("localhost:1111".into()) });
        assert_eq!(parse(b"GET / HTTP/1.1\r\nHost: a\r\nHost: b"), Err(Refusal::Malformed));
        assert_eq!(parse(b"GET /"), Err(Refusal::Malformed));
        assert_eq!(parse(b"GET / HTTP/1.1\r\nno colon"), Err(Refusal::Malformed));
    }

    #[test]
    fn only_names_of_this_computer_are_allowed() {
        let local: SocketAddr = "192.168.1.5:1111".parse().unwrap();
        for ok in
            ["localhost", "localhost:1111", "LOCALHOST.", "127.0.0.1:1111", "127.0.0.2", "[::1]:1111", "192.168.1.5"]
        {
            assert!(host_allowed(ok, local), "{ok}");
        }
        for refused in ["evil.example", "evil.example:1111", "192.168.1.6", "[::2]", "localhost.evil.example", ""] {
            assert!(!host_allowed(refused, local), "{refused}");
        }
    }
}
