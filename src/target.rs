//! Where a site is published: `sftp://user@host[:port]/path`, `ftp://…`, `ftps://…` or
//! `file:///path`. Parsed here, with nothing else, so that config.yaml can check its
//! `publish:` addresses without depending on the transports.

use std::fmt;

/// How the files travel.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Protocol {
    Sftp,
    Ftp,
    /// FTP over TLS, explicit (`AUTH TLS` on the FTP port), as hosting companies offer it.
    Ftps,
    /// A folder on this computer, typically a mounted network share.
    File,
}

impl Protocol {
    pub fn default_port(self) -> u16 {
        match self {
            Protocol::Sftp => 22,
            Protocol::Ftp | Protocol::Ftps => 21,
            Protocol::File => 0,
        }
    }
}

/// A parsed publishing address. Never holds a password: credentials come from the SSH
/// agent, key files, an environment variable or a prompt.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    pub protocol: Protocol,
    /// The login name; empty for `file://`.
    pub user: String,
    /// The server; empty for `file://`.
    pub host: String,
    pub port: u16,
    /// The folder on the server (or this computer), absolute, without a trailing slash
    /// (`/` stays `/`).
    pub path: String,
}

impl Target {
    /// Reads an address; the error says what is wrong with it, in words for the user.
    pub fn parse(raw: &str) -> Result<Target, String> {
        let (scheme, rest) =
            raw.split_once("://").ok_or_else(|| format!("`{raw}` is not an address like sftp://user@host/path"))?;
        let protocol = match scheme.to_ascii_lowercase().as_str() {
            "sftp" => Protocol::Sftp,
            "ftp" => Protocol::Ftp,
            "ftps" => Protocol::Ftps,
            "file" => Protocol::File,
            other => {
                return Err(format!("`{other}://` is not a way to publish: use sftp://, ftp://, ftps:// or file://"))
            }
        };
        if protocol == Protocol::File {
            if !rest.starts_with('/') {
                return Err(format!("`{raw}` names no folder: write file:///path/to/folder (three slashes)"));
            }
            return Ok(Target { protocol, user: String::new(), host: String::new(), port: 0, path: clean_path(rest) });
        }
        let (authority, path) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
        let (user, host_port) = authority
            .rsplit_once('@')
            .ok_or_else(|| format!("`{raw}` names no user: write {scheme}://user@host/path"))?;
        if user.contains(':') {
            return Err(format!(
                "`{scheme}://{}:…@{host_port}…` has a password in it; passwords never go in an address",
                user.split(':').next().unwrap_or("")
            ));
        }
        if user.is_empty() {
            return Err(format!("`{raw}` names no user: write {scheme}://user@host/path"));
        }
        let (host, port) = split_port(host_port, protocol.default_port())
            .ok_or_else(|| format!("`{raw}` has no valid host name and port"))?;
        if path.is_empty() {
            return Err(format!("`{raw}` names no folder: write {scheme}://{user}@{host_port}/folder"));
        }
        Ok(Target { protocol, user: user.to_string(), host, port, path: clean_path(path) })
    }

    /// The path of a site file on the server: the folder joined with `rel` (`en/index.html`).
    pub fn join(&self, rel: &str) -> String {
        if self.path == "/" {
            format!("/{rel}")
        } else {
            format!("{}/{rel}", self.path)
        }
    }
}

/// `host`, `host:port`, `[::1]:port`; None when the host is empty or the port not a number.
fn split_port(host_port: &str, default: u16) -> Option<(String, u16)> {
    let (host, port) = if let Some(rest) = host_port.strip_prefix('[') {
        let (host, after) = rest.split_once(']')?;
        (host, after.strip_prefix(':'))
    } else {
        match host_port.rsplit_once(':') {
            Some((h, p)) => (h, Some(p)),
            None => (host_port, None),
        }
    };
    let port = match port {
        Some(p) => p.parse().ok().filter(|&p: &u16| p > 0)?,
        None => default,
    };
    let bad = host.is_empty() || host.contains(|c: char| c.is_whitespace() || "/?#@".contains(c));
    (!bad).then(|| (host.to_string(), port))
}

fn clean_path(path: &str) -> String {
    let trimmed = path.trim_end_matches('/');
    if trimmed.is_empty() {
        "/".into()
    } else {
        trimmed.to_string()
    }
}

impl fmt::Display for Target {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let scheme = match self.protocol {
            Protocol::Sftp => "sftp",
            Protocol::Ftp => "ftp",
            Protocol::Ftps => "ftps",
            Protocol::File => return write!(f, "file://{}", self.path),
        };
        let host = if self.host.contains(':') { format!("[{}]", self.host) } else { self.host.clone() };
        if self.port == self.protocol.default_port() {
            write!(f, "{scheme}://{}@{host}{}", self.user, self.path)
        } else {
            write!(f, "{scheme}://{}@{host}:{}{}", self.user, self.port, self.path)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_are_read_with_their_ports_and_folders() {
        let t = Target::parse("sftp://anna@web.comune.it:2222/var/www/site/").unwrap();
        assert_eq!(
            (t.protocol, t.user.as_str(), t.host.as_str(), t.port),
            (Protocol::Sftp, "anna", "web.comune.it", 2222)
        );
        assert_eq!(t.path, "/var/www/site");
        assert_eq!(t.join("en/index.html"), "/var/www/site/en/index.html");
        assert_eq!(t.to_string(), "sftp://anna@web.comune.it:2222/var/www/site");
        let t = Target::parse("ftps://u@[::1]/").unwrap();
        assert_eq!((t.host.as_str(), t.port, t.path.as_str()), ("::1", 21, "/"));
        assert_eq!(t.join("a.css"), "/a.css");
        let t = Target::parse("file:///mnt/share/site").unwrap();
        assert_eq!((t.protocol, t.path.as_str()), (Protocol::File, "/mnt/share/site"));
    }

    #[test]
    fn a_password_in_an_address_is_refused_without_repeating_it() {
        let e = Target::parse("ftp://anna:s3cret@host/www").unwrap_err();
        assert!(e.contains("password"), "{e}");
        assert!(!e.contains("s3cret"), "the error must not print the password: {e}");
    }

    #[test]
    fn incomplete_addresses_say_what_is_missing() {
        assert!(Target::parse("web.comune.it/www").unwrap_err().contains("not an address"));
        assert!(Target::parse("http://a@b/c").unwrap_err().contains("not a way to publish"));
        assert!(Target::parse("sftp://host/www").unwrap_err().contains("no user"));
        assert!(Target::parse("sftp://a@host").unwrap_err().contains("no folder"));
        assert!(Target::parse("sftp://a@host:port/x").unwrap_err().contains("port"));
        assert!(Target::parse("file://relative/x").unwrap_err().contains("three slashes"));
    }
}
