//! `brochure publish`: builds the site as `brochure build` does, then sends it to the web
//! host, incrementally and in an order that never shows a broken site: assets and PDFs,
//! pages, home pages, sitemap and robots.txt, then deletions, and the manifest last.
//! Each transport (a folder, SFTP, FTP/FTPS) only puts, reads and deletes single files.

use std::num::NonZeroU64;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use thiserror::Error;

use crate::build::{BuildError, BuildOptions, BuildReport, Progress};
use crate::config::Config;
use crate::diagnostic::{did_you_mean, Diagnostic};

mod file;
mod ftp;
pub mod manifest;
pub mod plan;
mod sftp;

/// The longest a publish waits to reach the web host, and then for any answer of it: an
/// address that swallows the connection, or a server that accepts it and says nothing,
/// fails with a message instead of waiting forever.
pub(crate) const CONNECT_TIMEOUT: Duration = Duration::from_secs(15);
pub(crate) const ANSWER_TIMEOUT: Duration = Duration::from_secs(30);

pub use crate::target::{Protocol, Target};
pub use manifest::{Manifest, MANIFEST};
pub use plan::{Change, Plan};

/// What `brochure publish` is asked to do.
#[derive(Debug, Clone, Default)]
pub struct PublishOptions {
    /// The build, as `brochure build` would make it (PDFs included when configured).
    pub build: BuildOptions,
    /// An address, or a name under `publish:` in config.yaml; None: the only one there.
    pub target: Option<String>,
    /// Plan only: read the host's manifest, change nothing.
    pub dry_run: bool,
    /// Publish into a folder that holds files but no manifest (files of the same name are
    /// replaced; the others are left alone, never deleted).
    pub force: bool,
    /// An SSH private key to use instead of the agent and ~/.ssh/id_*.
    pub identity: Option<PathBuf>,
    /// At most this many kilobytes per second, averaged over the upload, so that a publish
    /// during office hours leaves the office's connection usable (as rsync's `--bwlimit`).
    pub bwlimit: Option<NonZeroU64>,
}

/// What a publish reports on the way, for the terminal.
pub enum PublishProgress<'a> {
    Build(Progress<'a>),
    Built(&'a BuildReport),
    Connecting(&'a Target),
    /// The plan is known; `uploads` files and `deletions` files to go.
    Planned(&'a Plan),
    Sent {
        done: usize,
        total: usize,
        path: &'a str,
    },
    Deleted {
        done: usize,
        total: usize,
        path: &'a str,
    },
}

/// A finished publish (or, with `dry_run`, the plan of one).
#[derive(Debug)]
pub struct PublishReport {
    pub target: Target,
    pub plan: Plan,
    pub dry_run: bool,
    pub elapsed: Duration,
}

#[derive(Debug, Error)]
pub enum PublishError {
    /// Mistakes in config.yaml or the command line, located where they are.
    #[error("{} error(s) found", .0.iter().filter(|d| d.is_error()).count())]
    Invalid(Vec<Diagnostic>),
    #[error(transparent)]
    Build(#[from] BuildError),
    #[error(transparent)]
    Remote(#[from] RemoteError),
    #[error(
        "{target} holds files that brochure did not put there (it has no {MANIFEST}); refusing to publish into it"
    )]
    ForeignFolder { target: String },
    #[error("{target}/{MANIFEST} cannot be read: {why}")]
    BadManifest { target: String, why: String },
    #[error("cannot read the built site in {path}: {source}")]
    Site { path: PathBuf, source: std::io::Error },
}

impl PublishError {
    /// Every finding to print, with what to do.
    pub fn diagnostics(&self) -> Vec<Diagnostic> {
        let hint = match self {
            PublishError::Invalid(list) => return list.clone(),
            PublishError::Build(BuildError::Invalid(list)) => return list.clone(),
            PublishError::Build(BuildError::Write(w)) => w.hint().to_string(),
            PublishError::Remote(r) => r.hint(),
            PublishError::ForeignFolder { .. } => "publish into an empty folder; or, if these files may be replaced, run again with --force: files of the same name are then overwritten and the others left alone".into(),
            PublishError::BadManifest { .. } => "the manifest lists what brochure published there; if it was edited by hand, restore it, or delete it and publish again with --force".into(),
            PublishError::Site { .. } => "check the output folder's permissions, then publish again".into(),
        };
        vec![Diagnostic::error(self.to_string()).with_hint(hint)]
    }
}

/// A failure talking to the host; nothing after the failed step was done, and running
/// the same publish again finishes the job.
#[derive(Debug, Error)]
pub enum RemoteError {
    #[error("cannot connect to {target}: {cause}")]
    Connect { target: String, cause: String },
    #[error("{host} is not a known host: its key is not in {}; its fingerprint is {fingerprint}", known_hosts.display())]
    UnknownHost { host: String, port: u16, fingerprint: String, known_hosts: PathBuf },
    #[error("THE KEY OF {host} HAS CHANGED since it was recorded on line {line} of {}: it is now {fingerprint}. Someone may be impersonating the host; nothing was sent", known_hosts.display())]
    HostKeyChanged { host: String, port: u16, line: usize, fingerprint: String, known_hosts: PathBuf },
    #[error("the TLS connection to {target} failed: {cause}")]
    Tls { target: String, cause: String },
    #[error("{target} refused the login: {tried}")]
    Login { target: String, tried: String },
    #[error("no password for {target}")]
    NoPassword { target: String },
    #[error("cannot {action} {path} on the host: {cause}")]
    Transfer { action: &'static str, path: String, cause: String },
}

impl RemoteError {
    pub fn hint(&self) -> String {
        match self {
            RemoteError::Connect { .. } => "check the address and port, and that this computer can reach the host".into(),
            RemoteError::UnknownHost { host, port, .. } => {
                let p = if *port == 22 { String::new() } else { format!(" -p {port}") };
                format!(
                    "ask the hosting company for the server's key fingerprint; if it matches, record the key with `ssh-keyscan{p} {host} >> ~/.ssh/known_hosts` (or connect once with `ssh{p} USER@{host}` and answer yes), then publish again"
                )
            }
            RemoteError::HostKeyChanged { host, port, .. } => {
                let name = if *port == 22 { host.clone() } else { format!("\"[{host}]:{port}\"") };
                format!(
                    "ask the hosting company whether the server's key changed; only if it did, remove the old key with `ssh-keygen -R {name}` and record the new one"
                )
            }
            RemoteError::Tls { .. } => "if the certificate is not trusted (UnknownIssuer), ask the hosting company which authority signed it; if it is their own, point SSL_CERT_FILE at its certificate (PEM) when you publish".into(),
            RemoteError::Login { .. } => "SFTP: load your key into the SSH agent (`ssh-add`), or name it with --identity; the host must list its public key. FTP: check the user name and BROCHURE_FTP_PASSWORD".into(),
            RemoteError::NoPassword { .. } => "set BROCHURE_FTP_PASSWORD in the environment, or run brochure in a terminal to be asked for it".into(),
            RemoteError::Transfer { .. } => "check the folder's permissions on the host and its free space, then publish again: it carries on where it stopped".into(),
        }
    }
}

/// One way of reaching the published folder. Paths are site paths (`en/index.html`).
pub(crate) trait Remote {
    /// A file's content; None when there is no such file.
    fn read(&mut self, path: &str) -> Result<Option<Vec<u8>>, RemoteError>;
    /// Whether the published folder exists and holds anything.
    fn has_files(&mut self) -> Result<bool, RemoteError>;
    /// Writes a file whole, creating its folders; readers see the old file or the new one.
    fn put(&mut self, path: &str, bytes: &[u8]) -> Result<(), RemoteError>;
    /// Deletes a file (gone already is fine) and the folders it leaves empty.
    fn delete(&mut self, path: &str) -> Result<(), RemoteError>;
}

/// Builds the site and publishes it; see the module documentation for the order.
pub fn publish(
    opts: &PublishOptions,
    progress: &(dyn Fn(PublishProgress) + Sync),
) -> Result<PublishReport, PublishError> {
    let started = Instant::now();
    let config =
        Config::load(&opts.build.root.join("config.yaml"), Path::new("config.yaml")).map_err(PublishError::Invalid)?;
    let target = resolve_target(opts.target.as_deref(), &config)?;
    if target.protocol == Protocol::File {
        // The rule `build --output` follows: a folder inside content/ or themes/ would be
        // read by the next build, which would publish the last publish into itself.
        let folder = file::path_of(&target);
        crate::write::check_output_dir(&folder, &opts.build.root).map_err(|e| {
            PublishError::Invalid(vec![Diagnostic::error(e.to_string()).with_hint(
                "publish to a folder outside the project, such as the web host's folder mounted on this computer",
            )])
        })?;
    }
    if config.base().is_placeholder() {
        let d = crate::build::placeholder_address(&opts.build, &config).as_error();
        return Err(PublishError::Invalid(vec![d.with_hint(
            "set `base_url:` in config.yaml to the address the site will have on the web host, then publish",
        )]));
    }
    // Held until the site is sent: a build or publish started meanwhile would replace the
    // output folder while its files are read, and two publishes would each write the
    // host's manifest. The second waits, as a second build does.
    let (report, _output_lock) =
        crate::build::build_holding_output(&opts.build, &|p| progress(PublishProgress::Build(p)))?;
    progress(PublishProgress::Built(&report));
    let site = plan::site_files(&report.output)
        .map_err(|source| PublishError::Site { path: report.output.clone(), source })?;
    progress(PublishProgress::Connecting(&target));
    let mut remote = connect(&target, opts.identity.as_deref())?;
    let on_host = match remote.read(MANIFEST)? {
        Some(bytes) => {
            Manifest::parse(&bytes).map_err(|why| PublishError::BadManifest { target: target.to_string(), why })?
        }
        None if !opts.force && remote.has_files()? => {
            return Err(PublishError::ForeignFolder { target: target.to_string() })
        }
        None => Manifest::default(),
    };
    let languages: Vec<String> = config.languages.iter().map(|l| l.code.clone()).collect();
    let plan = Plan::new(&site, &on_host, &languages);
    progress(PublishProgress::Planned(&plan));
    if !opts.dry_run {
        carry_out(&plan, &on_host, &report.output, remote.as_mut(), opts.bwlimit, progress)?;
    }
    Ok(PublishReport { target, plan, dry_run: opts.dry_run, elapsed: started.elapsed() })
}

fn carry_out(
    plan: &Plan,
    on_host: &Manifest,
    output: &Path,
    remote: &mut dyn Remote,
    bwlimit: Option<NonZeroU64>,
    progress: &(dyn Fn(PublishProgress) + Sync),
) -> Result<(), PublishError> {
    if let Some(before) = plan.manifest_before(on_host) {
        remote.put(MANIFEST, &before.to_bytes())?;
    }
    let started = Instant::now();
    let mut sent: u64 = 0;
    let total = plan.uploads.len();
    for (i, upload) in plan.uploads.iter().enumerate() {
        let local = output.join(&upload.path);
        let bytes = std::fs::read(&local).map_err(|source| PublishError::Site { path: local, source })?;
        remote.put(&upload.path, &bytes)?;
        progress(PublishProgress::Sent { done: i + 1, total, path: &upload.path });
        sent += bytes.len() as u64;
        if let Some(limit) = bwlimit {
            // Waits until the bytes sent so far are within the average rate asked for.
            let due = Duration::from_secs_f64(sent as f64 / (limit.get() as f64 * 1024.0));
            if let Some(wait) = due.checked_sub(started.elapsed()) {
                std::thread::sleep(wait);
            }
        }
    }
    let total = plan.deletions.len();
    for (i, (path, _)) in plan.deletions.iter().enumerate() {
        remote.delete(path)?;
        progress(PublishProgress::Deleted { done: i + 1, total, path });
    }
    if !plan.is_empty() || on_host != &plan.manifest {
        remote.put(MANIFEST, &plan.manifest.to_bytes())?;
    }
    Ok(())
}

/// The target named on the command line (an address or a `publish:` name), or the only
/// one config.yaml lists.
fn resolve_target(given: Option<&str>, config: &Config) -> Result<Target, PublishError> {
    let invalid =
        |message: String, hint: String| PublishError::Invalid(vec![Diagnostic::error(message).with_hint(hint)]);
    let names = || config.publish.keys().map(String::as_str).collect::<Vec<_>>().join(", ");
    let address = match given {
        Some(raw) if raw.contains("://") => {
            return Target::parse(raw).map_err(|e| {
                invalid(
                    e,
                    "write it as sftp://user@host/folder, ftp://user@host/folder, ftps://user@host/folder or file:///folder; passwords come from the SSH agent, key files or BROCHURE_FTP_PASSWORD".into(),
                )
            })
        }
        Some(name) => match config.publish.get(name) {
            Some(address) => address,
            None => {
                let close = did_you_mean(name, config.publish.keys().map(String::as_str));
                let hint = match close {
                    Some(c) => format!("did you mean `{c}`?"),
                    None if config.publish.is_empty() => "give an address such as sftp://user@host/folder, or name one under `publish:` in config.yaml".into(),
                    None => format!("config.yaml names: {}", names()),
                };
                return Err(invalid(format!("`{name}` is not an address nor a name under `publish:` in config.yaml"), hint));
            }
        },
        None => match config.publish.values().collect::<Vec<_>>()[..] {
            [only] => only,
            [] => {
                return Err(invalid(
                    "publish where? no address given".into(),
                    "run `brochure publish sftp://user@host/folder`, or name the host under `publish:` in config.yaml".into(),
                ))
            }
            _ => return Err(invalid("publish where? config.yaml names several hosts".into(), format!("name one: {}", names()))),
        },
    };
    // Checked when config.yaml was read.
    Target::parse(address).map_err(|e| invalid(e, "correct `publish:` in config.yaml".into()))
}

fn connect(target: &Target, identity: Option<&Path>) -> Result<Box<dyn Remote>, RemoteError> {
    Ok(match target.protocol {
        Protocol::File => Box::new(file::Folder::new(target)),
        Protocol::Sftp => Box::new(sftp::Sftp::connect(target, identity)?),
        Protocol::Ftp | Protocol::Ftps => Box::new(ftp::Ftp::connect(target)?),
    })
}
