//! A real FTP server for the FTP tests: Debian's pure-ftpd in the foreground on a free
//! port of 127.0.0.1, with one virtual user (password in a temporary pure-pw database).

use std::fs;
use std::net::TcpStream;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use tempfile::TempDir;

use super::sshd::free_port;

pub const USER: &str = "tester";
pub const PASSWORD: &str = "brochure-test-password";

pub struct FtpServer {
    dir: TempDir,
    pub port: u16,
    child: Child,
}

fn id(flag: &str) -> u32 {
    let out = Command::new("id").arg(flag).output().expect("run id");
    String::from_utf8(out.stdout).unwrap().trim().parse().expect("a number")
}

/// A certificate authority and a certificate for 127.0.0.1 signed by it, made with the
/// `openssl` program; returns (the authority's PEM, the server's key and certificate PEM).
fn certificates(d: &Path) -> (PathBuf, PathBuf) {
    let openssl = |args: &[&str]| {
        let out = Command::new("openssl").args(args).current_dir(d).output().expect("run openssl (Debian openssl)");
        assert!(out.status.success(), "openssl {args:?}: {}", String::from_utf8_lossy(&out.stderr));
    };
    let key = ["-newkey", "rsa:2048", "-nodes", "-days", "2"];
    openssl(
        &[&["req", "-x509"][..], &key, &["-subj", "/CN=brochure test CA", "-keyout", "ca.key", "-out", "ca.pem"]]
            .concat(),
    );
    openssl(
        &[&["req"][..], &key[..3], &["-subj", "/CN=127.0.0.1", "-keyout", "leaf.key", "-out", "leaf.csr"]].concat(),
    );
    fs::write(d.join("leaf.ext"), "subjectAltName=IP:127.0.0.1\nbasicConstraints=CA:FALSE\n").unwrap();
    openssl(&[
        "x509",
        "-req",
        "-in",
        "leaf.csr",
        "-CA",
        "ca.pem",
        "-CAkey",
        "ca.key",
        "-CAcreateserial",
        "-days",
        "2",
        "-extfile",
        "leaf.ext",
        "-out",
        "leaf.pem",
    ]);
    let server = [fs::read(d.join("leaf.key")).unwrap(), fs::read(d.join("leaf.pem")).unwrap()].concat();
    fs::write(d.join("server.pem"), server).unwrap();
    (d.join("ca.pem"), d.join("server.pem"))
}

impl FtpServer {
    /// A server that accepts plain FTP.
    pub fn start() -> FtpServer {
        FtpServer::launch(false)
    }

    /// A server that refuses anything but TLS (`-Y 2`), with a certificate signed by a test
    /// authority: [`FtpServer::authority`] names the file that makes a client trust it.
    /// pure-ftpd reads the key and the certificate from one file (`-2`).
    pub fn start_tls() -> FtpServer {
        FtpServer::launch(true)
    }

    pub fn authority(&self) -> PathBuf {
        self.dir.path().join("tls/ca.pem")
    }

    fn launch(tls: bool) -> FtpServer {
        let dir = tempfile::tempdir().expect("temporary folder");
        let d = dir.path();
        fs::create_dir_all(d.join("www")).unwrap();
        // pure-ftpd refuses root as a virtual user: as root, the user is `nobody`, which
        // then needs to write the folders.
        let (uid, gid) = if id("-u") == 0 { (65534, 65534) } else { (id("-u"), id("-g")) };
        for folder in [d.to_path_buf(), d.join("www")] {
            fs::set_permissions(&folder, fs::Permissions::from_mode(0o777)).unwrap();
        }
        let mut pw = Command::new("pure-pw")
            .args(["useradd", USER, "-u", &uid.to_string(), "-g", &gid.to_string(), "-d"])
            .arg(d)
            .arg("-f")
            .arg(d.join("passwd"))
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .spawn()
            .expect("run pure-pw (Debian pure-ftpd)");
        use std::io::Write;
        pw.stdin.take().unwrap().write_all(format!("{PASSWORD}\n{PASSWORD}\n").as_bytes()).unwrap();
        assert!(pw.wait().unwrap().success(), "pure-pw useradd failed");
        let ok = Command::new("pure-pw").arg("mkdb").arg(d.join("pdb")).arg("-f").arg(d.join("passwd")).status();
        assert!(ok.unwrap().success(), "pure-pw mkdb failed");
        let port = free_port();
        let passive = free_port();
        let mut server = Command::new("/usr/sbin/pure-ftpd");
        if tls {
            fs::create_dir(d.join("tls")).unwrap();
            let (_, pem) = certificates(&d.join("tls"));
            server.args(["-Y", "2", "-2"]).arg(pem);
        }
        let mut child = server
            .arg("-S")
            .arg(format!("127.0.0.1,{port}"))
            .arg("-l")
            .arg(format!("puredb:{}", d.join("pdb").display()))
            // No anonymous logins, no DNS, passive data connections on 127.0.0.1.
            .args(["-E", "-H", "-P", "127.0.0.1", "-p", &format!("{passive}:{}", passive.saturating_add(20))])
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start pure-ftpd (Debian pure-ftpd)");
        let started = Instant::now();
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            if let Ok(Some(_)) = child.try_wait() {
                let out = child.wait_with_output().unwrap();
                panic!("pure-ftpd did not start:\n{}", String::from_utf8_lossy(&out.stderr));
            }
            assert!(started.elapsed() < Duration::from_secs(20), "pure-ftpd did not listen on {port}");
            std::thread::sleep(Duration::from_millis(20));
        }
        FtpServer { dir, port, child }
    }

    pub fn www(&self) -> PathBuf {
        self.dir.path().join("www")
    }

    /// The address of the published folder: pure-ftpd shows a virtual user its home as `/`.
    pub fn target(&self) -> String {
        format!("ftp://{USER}@127.0.0.1:{}/www", self.port)
    }

    pub fn tls_target(&self) -> String {
        format!("ftps://{USER}@127.0.0.1:{}/www", self.port)
    }
}

impl Drop for FtpServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
