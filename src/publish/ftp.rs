//! `ftp://` and `ftps://` (explicit TLS, `AUTH TLS`): what much municipal hosting offers.
//! The password comes from BROCHURE_FTP_PASSWORD or, on a terminal, a prompt; FTPS trusts
//! the system's certificate authorities (or the file named by SSL_CERT_FILE).

use std::io::{Cursor, IsTerminal};
use std::sync::Arc;

use suppaftp::types::FileType;
use suppaftp::{FtpError, RustlsConnector, RustlsFtpStream, Status};

use super::{Protocol, Remote, RemoteError, Target};

/// The environment variable holding the FTP password.
pub const PASSWORD_VARIABLE: &str = "BROCHURE_FTP_PASSWORD";

pub struct Ftp {
    stream: RustlsFtpStream,
    target: Target,
    made_folders: std::collections::HashSet<String>,
}

impl Ftp {
    pub fn connect(target: &Target) -> Result<Ftp, RemoteError> {
        let connect_error = |e: FtpError| match tls_failure(&e) {
            Some(cause) => RemoteError::Tls { target: target.to_string(), cause },
            None => RemoteError::Connect { target: target.to_string(), cause: e.to_string() },
        };
        let password = password(target)?;
        let mut stream = RustlsFtpStream::connect_with_stream(control_connection(target)?).map_err(connect_error)?;
        if target.protocol == Protocol::Ftps {
            stream = stream.into_secure(tls_connector(), &target.host).map_err(connect_error)?;
        }
        // The TLS handshake happens on the first exchange, the login.
        stream.login(target.user.as_str(), password.as_str()).map_err(|e| match e {
            FtpError::UnexpectedResponse(_) => RemoteError::Login {
                target: target.to_string(),
                tried: format!("the password from {PASSWORD_VARIABLE} or the prompt ({e})"),
            },
            other => connect_error(other),
        })?;
        stream.transfer_type(FileType::Binary).map_err(connect_error)?;
        Ok(Ftp { stream, target: target.clone(), made_folders: Default::default() })
    }
}

/// The control connection, with time limits: a server that accepts the connection and
/// then says nothing (or a firewall that swallows it) made `publish` wait forever, silent.
fn control_connection(target: &Target) -> Result<std::net::TcpStream, RemoteError> {
    use std::net::{TcpStream, ToSocketAddrs};
    let failed = |cause: String| RemoteError::Connect { target: target.to_string(), cause };
    let addresses = (target.host.as_str(), target.port).to_socket_addrs().map_err(|e| failed(e.to_string()))?;
    let mut last = String::from("the host name has no address");
    for address in addresses {
        match TcpStream::connect_timeout(&address, super::CONNECT_TIMEOUT) {
            Ok(stream) => {
                // Every answer of the server on this connection, the greeting first.
                stream.set_read_timeout(Some(super::ANSWER_TIMEOUT)).map_err(|e| failed(e.to_string()))?;
                stream.set_write_timeout(Some(super::ANSWER_TIMEOUT)).map_err(|e| failed(e.to_string()))?;
                return Ok(stream);
            }
            Err(e) => last = e.to_string(),
        }
    }
    Err(failed(last))
}

fn tls_connector() -> RustlsConnector {
    let mut roots = rustls::RootCertStore::empty();
    for cert in rustls_native_certs::load_native_certs().certs {
        let _ = roots.add(cert);
    }
    let config = rustls::ClientConfig::builder_with_provider(Arc::new(rustls::crypto::ring::default_provider()))
        .with_safe_default_protocol_versions()
        .map(|b| b.with_root_certificates(roots).with_no_client_auth());
    // The ring provider supports the default versions; the fallback is never taken.
    let config = config.unwrap_or_else(|_| {
        rustls::ClientConfig::builder().with_root_certificates(rustls::RootCertStore::empty()).with_no_client_auth()
    });
    RustlsConnector::from(Arc::new(config))
}

/// The TLS library's complaint, when that is why a connection failed (an untrusted
/// certificate, a name that does not match).
fn tls_failure(e: &FtpError) -> Option<String> {
    match e {
        FtpError::SecureError(cause) => Some(cause.clone()),
        FtpError::ConnectionError(io) if io.get_ref().is_some_and(|inner| inner.is::<rustls::Error>()) => {
            Some(io.to_string())
        }
        _ => None,
    }
}

/// From the environment, or asked on the terminal without echoing it.
fn password(target: &Target) -> Result<String, RemoteError> {
    if let Some(p) = std::env::var_os(PASSWORD_VARIABLE).filter(|p| !p.is_empty()) {
        return Ok(p.to_string_lossy().into_owned());
    }
    let no_password = || RemoteError::NoPassword { target: target.to_string() };
    if !std::io::stdin().is_terminal() {
        return Err(no_password());
    }
    prompt(&format!("Password for {}@{}: ", target.user, target.host)).ok_or_else(no_password)
}

#[cfg(unix)]
fn prompt(question: &str) -> Option<String> {
    use rustix::termios::{tcgetattr, tcsetattr, LocalModes, OptionalActions};
    use std::io::Write;
    let stdin = std::io::stdin();
    let before = tcgetattr(&stdin).ok()?;
    let mut quiet = before.clone();
    quiet.local_modes.remove(LocalModes::ECHO);
    let _ = write!(std::io::stderr(), "{question}");
    tcsetattr(&stdin, OptionalActions::Now, &quiet).ok()?;
    let mut line = String::new();
    let read = stdin.read_line(&mut line);
    let _ = tcsetattr(&stdin, OptionalActions::Now, &before);
    let _ = writeln!(std::io::stderr());
    read.ok()?;
    Some(line.trim_end_matches(['\r', '\n']).to_string())
}

#[cfg(not(unix))]
fn prompt(_question: &str) -> Option<String> {
    None
}

fn failed<'p>(action: &'static str, path: &'p str) -> impl FnOnce(FtpError) -> RemoteError + 'p {
    move |e| RemoteError::Transfer { action, path: path.to_string(), cause: e.to_string() }
}

fn is_missing(e: &FtpError) -> bool {
    matches!(e, FtpError::UnexpectedResponse(r) if r.status == Status::FileUnavailable)
}

impl Remote for Ftp {
    fn read(&mut self, path: &str) -> Result<Option<Vec<u8>>, RemoteError> {
        match self.stream.retr_as_buffer(&self.target.join(path)) {
            Ok(buffer) => Ok(Some(buffer.into_inner())),
            Err(e) if is_missing(&e) => Ok(None),
            Err(e) => Err(failed("read", path)(e)),
        }
    }

    fn has_files(&mut self) -> Result<bool, RemoteError> {
        match self.stream.nlst(Some(&self.target.path)) {
            Ok(names) => Ok(names.iter().any(|n| {
                let name = n.rsplit('/').next().unwrap_or(n);
                name != "." && name != ".."
            })),
            Err(e) if is_missing(&e) => Ok(false),
            Err(e) => Err(failed("list", "/")(e)),
        }
    }

    fn put(&mut self, path: &str, bytes: &[u8]) -> Result<(), RemoteError> {
        let parts: Vec<&str> = path.split('/').collect();
        for n in 0..parts.len() {
            let folder = if n == 0 { self.target.path.clone() } else { self.target.join(&parts[..n].join("/")) };
            if self.made_folders.insert(folder.clone()) {
                // Fails when it exists: then the upload below says what is really wrong, if anything.
                let _ = self.stream.mkdir(&folder);
            }
        }
        let dest = self.target.join(path);
        let temp = super::file::temporary_name(std::path::Path::new(&dest)).to_string_lossy().into_owned();
        self.stream.put_file(&temp, &mut Cursor::new(bytes)).map_err(failed("write", path))?;
        // Servers that refuse to rename onto an existing file get the old one removed first.
        if self.stream.rename(&temp, &dest).is_ok() {
            return Ok(());
        }
        let _ = self.stream.rm(&dest);
        self.stream.rename(&temp, &dest).map_err(failed("rename into place", path))
    }

    fn delete(&mut self, path: &str) -> Result<(), RemoteError> {
        match self.stream.rm(self.target.join(path)) {
            Ok(()) => {}
            Err(e) if is_missing(&e) => {}
            Err(e) => return Err(failed("delete", path)(e)),
        }
        let mut parts: Vec<&str> = path.split('/').collect();
        parts.pop();
        while !parts.is_empty() && self.stream.rmdir(self.target.join(&parts.join("/"))).is_ok() {
            parts.pop();
        }
        self.made_folders.clear();
        Ok(())
    }
}

impl Drop for Ftp {
    fn drop(&mut self) {
        let _ = self.stream.quit();
    }
}
