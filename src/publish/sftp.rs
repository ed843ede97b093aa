//! `sftp://user@host[:port]/path`: SSH with the user's agent or key files, the host's key
//! checked against ~/.ssh/known_hosts as `ssh` does. russh is asynchronous; each call runs
//! to completion on a one-thread runtime, since files are sent one after another anyway.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use russh::client::{self, Handle};
use russh::keys::agent::client::AgentClient;
use russh::keys::agent::AgentIdentity;
use russh::keys::{HashAlg, PrivateKeyWithHashAlg, PublicKey, PublicKeyOrCertificate};
use russh_sftp::client::error::Error as SftpError;
use russh_sftp::client::RawSftpSession;
use russh_sftp::protocol::{FileAttributes, OpenFlags, Packet, StatusCode};
use tokio::runtime::Runtime;

use super::{Remote, RemoteError, Target};

/// Bytes per SFTP write request: well under every server's packet limit.
const CHUNK: usize = 32 * 1024;

pub struct Sftp {
    runtime: Runtime,
    // Kept open for as long as the SFTP channel is used.
    _session: Handle<HostKeyCheck>,
    sftp: RawSftpSession,
    target: Target,
    /// OpenSSH's rename that replaces the destination in one step.
    posix_rename: bool,
    made_folders: std::collections::HashSet<String>,
}

/// Accepts the host only if its key is the one recorded in known_hosts.
struct HostKeyCheck {
    host: String,
    port: u16,
    known_hosts: PathBuf,
}

/// Why a connection failed: the library's error, or our verdict on the host key.
#[derive(Debug)]
enum Refusal {
    Ssh(russh::Error),
    HostKey(RemoteError),
}

impl From<russh::Error> for Refusal {
    fn from(e: russh::Error) -> Self {
        Refusal::Ssh(e)
    }
}

impl client::Handler for HostKeyCheck {
    type Error = Refusal;

    async fn check_server_key(&mut self, offered: &PublicKeyOrCertificate) -> Result<bool, Refusal> {
        let PublicKeyOrCertificate::PublicKey { key, .. } = offered else {
            return Ok(false);
        };
        let fingerprint = key.fingerprint(HashAlg::Sha256).to_string();
        let recorded = russh::keys::known_hosts::known_host_keys_path(&self.host, self.port, &self.known_hosts)
            .map_err(|e| Refusal::Ssh(e.into()))?;
        let same_kind: Vec<&(usize, PublicKey)> =
            recorded.iter().filter(|(_, k)| k.algorithm() == key.algorithm()).collect();
        if same_kind.iter().any(|(_, k)| k == key) {
            return Ok(true);
        }
        let host = self.host.clone();
        let known_hosts = self.known_hosts.clone();
        Err(Refusal::HostKey(match same_kind.first() {
            Some((line, _)) => {
                RemoteError::HostKeyChanged { host, port: self.port, line: *line, fingerprint, known_hosts }
            }
            None => RemoteError::UnknownHost { host, port: self.port, fingerprint, known_hosts },
        }))
    }
}

/// The user's home folder, where `ssh` keeps ~/.ssh (HOME on Unix, the profile on Windows).
fn home() -> Option<PathBuf> {
    std::env::home_dir().filter(|h| !h.as_os_str().is_empty())
}

impl Sftp {
    pub fn connect(target: &Target, identity: Option<&Path>) -> Result<Sftp, RemoteError> {
        let connect_error = |cause: String| RemoteError::Connect { target: target.to_string(), cause };
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(|e| connect_error(e.to_string()))?;
        let ssh_dir = home().unwrap_or_default().join(".ssh");
        let check =
            HostKeyCheck { host: target.host.clone(), port: target.port, known_hosts: ssh_dir.join("known_hosts") };
        let (session, sftp, posix_rename) = runtime.block_on(async {
            let config = Arc::new(client::Config::default());
            // A server that accepts the connection and never answers made `publish` wait
            // forever, silent: the connection and the key exchange have a time limit.
            let connecting = client::connect(config, (target.host.as_str(), target.port), check);
            let mut session = match tokio::time::timeout(super::ANSWER_TIMEOUT, connecting).await {
                Err(_) => return Err(connect_error(format!("no answer within {} s", super::ANSWER_TIMEOUT.as_secs()))),
                Ok(Ok(s)) => s,
                Ok(Err(Refusal::HostKey(e))) => return Err(e),
                Ok(Err(Refusal::Ssh(e))) => return Err(connect_error(e.to_string())),
            };
            log_in(&mut session, target, identity, &ssh_dir).await?;
            let ssh = |e: russh::Error| connect_error(e.to_string());
            let channel = session.channel_open_session().await.map_err(ssh)?;
            channel.request_subsystem(true, "sftp").await.map_err(ssh)?;
            let sftp = RawSftpSession::new(channel.into_stream());
            let version =
                sftp.init().await.map_err(|e| connect_error(format!("the SFTP service did not start: {e}")))?;
            let posix_rename = version.extensions.contains_key("posix-rename@openssh.com");
            Ok((session, sftp, posix_rename))
        })?;
        sftp.set_timeout(120);
        Ok(Sftp {
            runtime,
            _session: session,
            sftp,
            target: target.clone(),
            posix_rename,
            made_folders: Default::default(),
        })
    }
}

/// Tries the key given with --identity; otherwise each key of the SSH agent, then
/// ~/.ssh/id_ed25519, id_ecdsa and id_rsa, as `ssh` does.
async fn log_in(
    session: &mut Handle<HostKeyCheck>,
    target: &Target,
    identity: Option<&Path>,
    ssh_dir: &Path,
) -> Result<(), RemoteError> {
    let user = target.user.as_str();
    let mut tried = Vec::new();
    let rsa_hash = session.best_supported_rsa_hash().await.ok().flatten().flatten();
    let with_hash = |key: &PublicKey| if key.algorithm().is_rsa() { rsa_hash } else { None };
    let files: Vec<PathBuf> = match identity {
        Some(path) => vec![path.to_path_buf()],
        None => {
            if let Ok(mut agent) = AgentClient::connect_env().await {
                for id in agent.request_identities().await.unwrap_or_default() {
                    let AgentIdentity::PublicKey { key, comment } = id else { continue };
                    let hash = with_hash(&key);
                    let result = session.authenticate_publickey_with(user, key, hash, &mut agent).await;
                    if result.is_ok_and(|r| r.success()) {
                        return Ok(());
                    }
                    tried.push(format!("the agent's key {comment}"));
                }
            }
            ["id_ed25519", "id_ecdsa", "id_rsa"].iter().map(|n| ssh_dir.join(n)).filter(|p| p.is_file()).collect()
        }
    };
    for path in files {
        let key = match russh::keys::load_secret_key(&path, None) {
            Ok(key) => key,
            Err(e) => {
                tried.push(format!(
                    "{} (unreadable: {e}; a key with a passphrase must be added to the agent with ssh-add)",
                    path.display()
                ));
                continue;
            }
        };
        let hash = with_hash(key.public_key());
        let key = PrivateKeyWithHashAlg::new(Arc::new(key), hash);
        if session.authenticate_publickey(user, key).await.is_ok_and(|r| r.success()) {
            return Ok(());
        }
        tried.push(path.display().to_string());
    }
    let tried = if tried.is_empty() {
        "no SSH agent and no key in ~/.ssh".to_string()
    } else {
        format!("tried {}", tried.join(", "))
    };
    Err(RemoteError::Login { target: target.to_string(), tried })
}

fn status(e: &SftpError) -> Option<StatusCode> {
    match e {
        SftpError::Status(s) => Some(s.status_code),
        _ => None,
    }
}

/// SSH's string encoding: a 32-bit big-endian length, then the bytes.
fn ssh_string(out: &mut Vec<u8>, s: &str) {
    out.extend_from_slice(&(s.len() as u32).to_be_bytes());
    out.extend_from_slice(s.as_bytes());
}

impl Sftp {
    fn failed<'p>(action: &'static str, path: &'p str) -> impl FnOnce(SftpError) -> RemoteError + 'p {
        move |e| RemoteError::Transfer { action, path: path.to_string(), cause: e.to_string() }
    }

    /// Creates the folders above `path` that this publish has not seen yet.
    async fn make_folders(
        sftp: &RawSftpSession,
        made: &mut std::collections::HashSet<String>,
        target: &Target,
        path: &str,
    ) -> Result<(), RemoteError> {
        let parts: Vec<&str> = path.split('/').collect();
        for n in 0..parts.len() {
            let folder = if n == 0 { target.path.clone() } else { target.join(&parts[..n].join("/")) };
            if made.contains(&folder) {
                continue;
            }
            if sftp.stat(folder.as_str()).await.is_err() {
                sftp.mkdir(folder.as_str(), FileAttributes::default())
                    .await
                    .map_err(Self::failed("create the folder of", path))?;
            }
            made.insert(folder);
        }
        Ok(())
    }

    async fn replace(&self, temp: &str, dest: &str, path: &str) -> Result<(), RemoteError> {
        if self.posix_rename {
            let mut data = Vec::new();
            ssh_string(&mut data, temp);
            ssh_string(&mut data, dest);
            return match self.sftp.extended("posix-rename@openssh.com", data).await {
                Ok(Packet::Status(s)) if s.status_code == StatusCode::Ok => Ok(()),
                Ok(Packet::Status(s)) => Err(Self::failed("rename into place", path)(SftpError::Status(s))),
                Ok(_) => Err(Self::failed("rename into place", path)(SftpError::UnexpectedPacket)),
                Err(e) => Err(Self::failed("rename into place", path)(e)),
            };
        }
        // Plain SFTP renames only onto a free name: the old file goes first, for an instant.
        if self.sftp.rename(temp, dest).await.is_ok() {
            return Ok(());
        }
        let _ = self.sftp.remove(dest).await;
        self.sftp.rename(temp, dest).await.map(|_| ()).map_err(Self::failed("rename into place", path))
    }
}

impl Remote for Sftp {
    fn read(&mut self, path: &str) -> Result<Option<Vec<u8>>, RemoteError> {
        let full = self.target.join(path);
        let sftp = &self.sftp;
        self.runtime.block_on(async {
            let handle = match sftp.open(full.as_str(), OpenFlags::READ, FileAttributes::default()).await {
                Ok(h) => h.handle,
                Err(e) if status(&e) == Some(StatusCode::NoSuchFile) => return Ok(None),
                Err(e) => return Err(Self::failed("read", path)(e)),
            };
            let mut bytes = Vec::new();
            loop {
                match sftp.read(handle.as_str(), bytes.len() as u64, CHUNK as u32).await {
                    Ok(data) if !data.data.is_empty() => bytes.extend_from_slice(&data.data),
                    Ok(_) => break,
                    Err(e) if status(&e) == Some(StatusCode::Eof) => break,
                    Err(e) => return Err(Self::failed("read", path)(e)),
                }
            }
            let _ = sftp.close(handle).await;
            Ok(Some(bytes))
        })
    }

    fn has_files(&mut self) -> Result<bool, RemoteError> {
        let sftp = &self.sftp;
        let root = self.target.path.clone();
        self.runtime.block_on(async {
            let handle = match sftp.opendir(root.as_str()).await {
                Ok(h) => h.handle,
                Err(e) if status(&e) == Some(StatusCode::NoSuchFile) => return Ok(false),
                Err(e) => return Err(Self::failed("list", "/")(e)),
            };
            let listed = sftp.readdir(handle.as_str()).await;
            let _ = sftp.close(handle).await;
            match listed {
                Ok(names) => Ok(names.files.iter().any(|f| f.filename != "." && f.filename != "..")),
                Err(e) if status(&e) == Some(StatusCode::Eof) => Ok(false),
                Err(e) => Err(Self::failed("list", "/")(e)),
            }
        })
    }

    fn put(&mut self, path: &str, bytes: &[u8]) -> Result<(), RemoteError> {
        let dest = self.target.join(path);
        let temp = super::file::temporary_name(Path::new(&dest)).to_string_lossy().into_owned();
        let mut made = std::mem::take(&mut self.made_folders);
        let result = self.runtime.block_on(async {
            Self::make_folders(&self.sftp, &mut made, &self.target, path).await?;
            let flags = OpenFlags::CREATE | OpenFlags::TRUNCATE | OpenFlags::WRITE;
            let handle = self
                .sftp
                .open(temp.as_str(), flags, FileAttributes::default())
                .await
                .map_err(Self::failed("write", path))?
                .handle;
            for (i, chunk) in bytes.chunks(CHUNK).enumerate() {
                let offset = (i * CHUNK) as u64;
                self.sftp.write(handle.as_str(), offset, chunk.to_vec()).await.map_err(Self::failed("write", path))?;
            }
            self.sftp.close(handle).await.map_err(Self::failed("write", path))?;
            self.replace(&temp, &dest, path).await
        });
        self.made_folders = made;
        result
    }

    fn delete(&mut self, path: &str) -> Result<(), RemoteError> {
        let full = self.target.join(path);
        let sftp = &self.sftp;
        let target = &self.target;
        let result = self.runtime.block_on(async {
            match sftp.remove(full.as_str()).await {
                Ok(_) => {}
                Err(e) if status(&e) == Some(StatusCode::NoSuchFile) => {}
                Err(e) => return Err(Self::failed("delete", path)(e)),
            }
            // Folders left empty go too; a folder holding anything stays (rmdir refuses).
            let mut parts: Vec<&str> = path.split('/').collect();
            parts.pop();
            while !parts.is_empty() {
                if sftp.rmdir(target.join(&parts.join("/"))).await.is_err() {
                    break;
                }
                parts.pop();
            }
            Ok(())
        });
        self.made_folders.clear();
        result
    }
}
