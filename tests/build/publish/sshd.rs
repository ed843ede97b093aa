//! A real OpenSSH server for the SFTP tests: started on a free port of 127.0.0.1 with a
//! temporary host key, accepting one temporary client key for the current user; and a
//! temporary HOME whose ~/.ssh holds that key and, unless a test says otherwise, a
//! known_hosts entry for the server.

use std::fs;
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use tempfile::TempDir;

pub struct Sshd {
    dir: TempDir,
    pub port: u16,
    child: Child,
}

fn keygen(path: &Path) {
    let ok = Command::new("ssh-keygen")
        .args(["-q", "-t", "ed25519", "-N", "", "-C", "brochure-test", "-f"])
        .arg(path)
        .status()
        .expect("run ssh-keygen (Debian openssh-client)")
        .success();
    assert!(ok, "ssh-keygen failed");
}

pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").expect("bind a free port").local_addr().expect("its address").port()
}

pub fn current_user() -> String {
    let out = Command::new("id").arg("-un").output().expect("run id -un");
    String::from_utf8(out.stdout).expect("a user name").trim().to_string()
}

impl Sshd {
    pub fn start() -> Sshd {
        let dir = tempfile::tempdir().expect("temporary folder");
        let d = dir.path();
        keygen(&d.join("host_key"));
        fs::create_dir_all(d.join("home/.ssh")).unwrap();
        keygen(&d.join("home/.ssh/id_ed25519"));
        fs::copy(d.join("home/.ssh/id_ed25519.pub"), d.join("authorized_keys")).unwrap();
        fs::create_dir_all(d.join("www")).unwrap();
        let port = free_port();
        let config = format!(
            "Port {port}\nListenAddress 127.0.0.1\nHostKey {host_key}\nAuthorizedKeysFile {keys}\n\
             PidFile none\nStrictModes no\nUsePAM no\nPasswordAuthentication no\n\
             KbdInteractiveAuthentication no\nPermitRootLogin prohibit-password\n\
             Subsystem sftp internal-sftp\nLogLevel ERROR\n",
            host_key = d.join("host_key").display(),
            keys = d.join("authorized_keys").display(),
        );
        fs::write(d.join("sshd_config"), config).unwrap();
        let mut child = Command::new("/usr/sbin/sshd")
            .args(["-D", "-e", "-f"])
            .arg(d.join("sshd_config"))
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start /usr/sbin/sshd (Debian openssh-server)");
        let started = Instant::now();
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            if let Ok(Some(_)) = child.try_wait() {
                let out = child.wait_with_output().unwrap();
                panic!(
                    "sshd did not start (as root it needs /run/sshd: `mkdir -p /run/sshd`):\n{}",
                    String::from_utf8_lossy(&out.stderr)
                );
            }
            assert!(started.elapsed() < Duration::from_secs(20), "sshd did not listen on {port}");
            std::thread::sleep(Duration::from_millis(20));
        }
        let sshd = Sshd { dir, port, child };
        sshd.trust_host_key(&sshd.host_public_key());
        sshd
    }

    /// The temporary HOME holding .ssh/id_ed25519 and .ssh/known_hosts.
    pub fn home(&self) -> PathBuf {
        self.dir.path().join("home")
    }

    /// The folder the tests publish into.
    pub fn www(&self) -> PathBuf {
        self.dir.path().join("www")
    }

    pub fn target(&self) -> String {
        format!("sftp://{}@127.0.0.1:{}{}", current_user(), self.port, self.www().display())
    }

    /// `ssh-ed25519 AAAA…` of the server.
    pub fn host_public_key(&self) -> String {
        let text = fs::read_to_string(self.dir.path().join("host_key.pub")).unwrap();
        text.split_whitespace().take(2).collect::<Vec<_>>().join(" ")
    }

    /// The server's SHA256 fingerprint as `ssh-keygen -l` prints it.
    pub fn fingerprint(&self) -> String {
        let out = Command::new("ssh-keygen").arg("-lf").arg(self.dir.path().join("host_key.pub")).output().unwrap();
        String::from_utf8(out.stdout).unwrap().split_whitespace().nth(1).unwrap().to_string()
    }

    /// Replaces known_hosts with one line recording `key` for this server.
    pub fn trust_host_key(&self, key: &str) {
        let line = format!("[127.0.0.1]:{} {key}\n", self.port);
        fs::write(self.home().join(".ssh/known_hosts"), line).unwrap();
    }

    pub fn forget_host(&self) {
        fs::write(self.home().join(".ssh/known_hosts"), "").unwrap();
    }
}

impl Drop for Sshd {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
