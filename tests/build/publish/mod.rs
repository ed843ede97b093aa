//! `brochure publish`: the binary run as a user would, against a folder (`file://`, no
//! server needed) and against real servers started on 127.0.0.1 (sshd, pure-ftpd).

mod ftp;
mod ftp_server;
mod sftp;
mod sshd;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

use crate::project::{tree, Project};

/// The basic fixture with a real-looking address, so that publishing is allowed, and a
/// page that nothing links to, for the tests that delete one.
pub fn site() -> Project {
    let p = Project::fixture("basic");
    p.edit("config.yaml", "base_url: \"https://example.org/\"", "base_url: \"https://servizio.comune-prova.it/\"");
    p.write(NOTICE, "---\ntitle: \"Avviso\"\n---\nGli uffici sono chiusi il 2 giugno.\n");
    p
}

/// The page the tests delete, and its folder in the built site.
const NOTICE: &str = "content/avviso.it.md";
const NOTICE_FOLDER: &str = "avviso";

/// `brochure publish --root <project> <args>`, with these extra environment variables.
pub fn command(p: &Project, args: &[&str], env: &[(&str, &str)]) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_brochure"));
    cmd.arg("publish").arg("--root").arg(p.root()).args(args).env("NO_COLOR", "1").env_remove("SSH_AUTH_SOCK");
    cmd.env_remove("BROCHURE_FTP_PASSWORD");
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd.stdin(Stdio::null());
    cmd
}

pub fn publish(p: &Project, args: &[&str], env: &[(&str, &str)]) -> Output {
    command(p, args, env).output().expect("run brochure publish")
}

pub fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// Runs a publish that must succeed; its stderr.
pub fn publish_ok(p: &Project, args: &[&str], env: &[(&str, &str)]) -> String {
    let out = publish(p, args, env);
    assert!(out.status.success(), "publish failed:\n{}", stderr(&out));
    stderr(&out)
}

/// The files a publish says it sent, in the order it sent them.
pub fn sent(log: &str) -> Vec<String> {
    log.lines()
        .filter_map(|l| l.strip_prefix("sent "))
        .map(|l| l.rsplit_once(" (").map_or(l, |(path, _)| path).to_string())
        .collect()
}

/// The built site as it should be on the host: the output folder minus the build's own
/// bookkeeping files.
pub fn built(p: &Project) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut files = tree(&p.public());
    files.remove(Path::new(".brochure-output"));
    files.remove(Path::new(".brochure-pdfs"));
    files
}

/// What is in a published folder, minus the manifest.
pub fn published(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut files = tree(dir);
    files.remove(Path::new(".brochure-manifest.json"));
    files
}

/// Asserts the host holds exactly the built site (as `diff -r` would, minus the manifest).
pub fn assert_same_site(p: &Project, dir: &Path) {
    let (want, have) = (built(p), published(dir));
    let names = |m: &BTreeMap<PathBuf, Vec<u8>>| m.keys().map(|k| k.display().to_string()).collect::<Vec<_>>();
    assert_eq!(names(&have), names(&want), "the host's files differ from the built site's");
    for (path, bytes) in &want {
        assert!(have[path] == *bytes, "{} differs on the host", path.display());
    }
    assert!(dir.join(".brochure-manifest.json").is_file(), "no manifest on the host");
}

/// How many site files `dir` holds while a publish writes into it: counted, not read, since a
/// temporary upload may be renamed between listing and reading.
fn files_on_host(dir: &Path) -> usize {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file() && e.file_name() != ".brochure-manifest.json")
        .count()
}

/// Starts a publish slowed down to 4 KB/s (`--bwlimit`), waits until it has put `files`
/// site files into `dir`, and kills it there: a publish stopped half-way.
pub fn interrupt_after(mut cmd: Command, dir: &Path, files: usize) {
    cmd.args(["--bwlimit", "4"]).stdout(Stdio::null()).stderr(Stdio::null());
    let mut child: Child = cmd.spawn().expect("start brochure publish");
    let started = Instant::now();
    while files_on_host(dir) < files {
        if let Ok(Some(status)) = child.try_wait() {
            panic!("the publish ended ({status}) before it could be interrupted");
        }
        assert!(started.elapsed() < Duration::from_secs(120), "the publish sent nothing in 2 minutes");
        std::thread::sleep(Duration::from_millis(20));
    }
    child.kill().expect("kill brochure publish");
    let _ = child.wait();
}

/// The common cases, for every kind of host: `target` is its address, `dir` the folder it
/// writes to on this computer, `env` what the publish needs (HOME, a password).
pub fn first_second_and_deleting_publishes(target: &str, dir: &Path, env: &[(&str, &str)]) {
    let p = site();
    let first = publish_ok(&p, &[target], env);
    assert_same_site(&p, dir);
    assert_eq!(sent(&first).len(), built(&p).len(), "the first publish sends every file:\n{first}");
    // Assets first; the home pages, sitemap and robots.txt last, in that order.
    let order = sent(&first);
    let tail: Vec<&str> = order[order.len() - 4..].iter().map(String::as_str).collect();
    assert_eq!(tail, ["en/index.html", "index.html", "robots.txt", "sitemap.xml"], "{first}");
    assert!(!order[0].ends_with(".html"), "assets first:\n{first}");

    let again = publish_ok(&p, &[target], env);
    assert_eq!(sent(&again), Vec::<String>::new(), "nothing changed, nothing sent:\n{again}");
    assert!(again.contains("up to date"), "{again}");

    // One edit of one site's text: only the files that show that text change.
    let before = built(&p);
    let text = std::fs::read_to_string(p.root().join("content/progetto/casa.it.md")).unwrap();
    p.write("content/progetto/casa.it.md", text.replacen("\n---\n", "\n---\nUna frase nuova.\n\n", 1));
    let second = publish_ok(&p, &[target], env);
    let after = built(&p);
    let changed: Vec<String> = after
        .iter()
        .filter(|(path, bytes)| before.get(*path) != Some(*bytes))
        .map(|(path, _)| path.display().to_string())
        .collect();
    let mut sent_now = sent(&second);
    sent_now.sort();
    assert!(!changed.is_empty());
    assert_eq!(sent_now, changed, "exactly the changed files are sent:\n{second}");
    assert_same_site(&p, dir);

    // A deleted page is removed from the host, its folder too.
    assert!(dir.join(NOTICE_FOLDER).join("index.html").is_file());
    p.remove(NOTICE);
    let third = publish_ok(&p, &[target], env);
    assert!(third.contains("deleted "), "{third}");
    assert_same_site(&p, dir);
    assert!(!dir.join(NOTICE_FOLDER).exists(), "the deleted page's folder is left on the host");
}

/// A publish killed half-way is finished by the next one.
pub fn an_interrupted_publish_is_finished_by_the_next(target: &str, dir: &Path, env: &[(&str, &str)]) {
    let p = site();
    interrupt_after(command(&p, &[target], env), dir, 3);
    let partial = published(dir).len();
    assert!(partial < built(&p).len(), "the publish was not interrupted");
    // What an interrupted publish left can be neither refused nor lost.
    let log = publish_ok(&p, &[target], env);
    assert_same_site(&p, dir);
    assert!(!tree(dir).keys().any(|k| k.to_string_lossy().contains("brochure-upload")), "a temporary upload is left");
    let again = publish_ok(&p, &[target], env);
    assert_eq!(sent(&again), Vec::<String>::new(), "{log}\n{again}");
}

/// `--dry-run` prints the plan and changes nothing on the host.
pub fn a_dry_run_changes_nothing(target: &str, dir: &Path, env: &[(&str, &str)]) {
    let p = site();
    let out = publish(&p, &["--dry-run", target], env);
    assert!(out.status.success(), "{}", stderr(&out));
    let plan = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(plan.lines().any(|l| l.starts_with("add") && l.ends_with(" index.html")), "{plan}");
    assert_eq!(plan.lines().count(), built(&p).len(), "{plan}");
    assert!(tree(dir).is_empty(), "a dry run wrote to the host");
    publish_ok(&p, &[target], env);
    p.remove(NOTICE);
    let host_before = tree(dir);
    let out = publish(&p, &["--dry-run", target], env);
    let plan = String::from_utf8_lossy(&out.stdout).into_owned();
    let gone = format!(" {NOTICE_FOLDER}/index.html");
    assert!(plan.lines().any(|l| l.starts_with("delete") && l.ends_with(&gone)), "{plan}\n{}", stderr(&out));
    assert_eq!(tree(dir), host_before, "a dry run changed the host");
}

/// Two publishes of one project at once run one after the other: the second waits until the
/// first has sent its site, and the host ends with the second's site and a manifest that
/// says so. They ran together: the second build replaced the output folder while the first
/// was reading it to send, and each wrote the host's manifest.
#[test]
fn a_publish_started_during_another_waits_for_it() {
    let p = site();
    let host = tempfile::tempdir().unwrap();
    let dir = host.path().join("www");
    let target = format!("file://{}", dir.display());
    let mut first = command(&p, &[&target, "--bwlimit", "20"], &[])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start brochure publish");
    let started = Instant::now();
    while files_on_host(&dir) < 2 {
        assert!(first.try_wait().unwrap().is_none(), "the first publish ended before the second started");
        assert!(started.elapsed() < Duration::from_secs(60), "the first publish sent nothing in a minute");
        std::thread::sleep(Duration::from_millis(20));
    }
    p.edit(NOTICE, "chiusi il 2 giugno", "chiusi il 2 e il 3 giugno");
    let second = publish(&p, &[&target], &[]);
    let said = stderr(&second);
    assert!(second.status.success(), "{said}");
    assert!(said.contains("another build or publish is using"), "the second publish did not wait:\n{said}");
    assert!(first.wait().unwrap().success(), "the first publish failed");
    assert_same_site(&p, &dir);
    assert!(p.read("avviso/index.html").contains("2 e il 3 giugno"));
    let out = publish(&p, &["--dry-run", &target], &[]);
    assert_eq!(String::from_utf8_lossy(&out.stdout), "", "the manifest does not describe the host");
}

#[test]
fn a_folder_target_receives_the_site_incrementally() {
    let host = tempfile::tempdir().unwrap();
    let dir = host.path().join("www");
    first_second_and_deleting_publishes(&format!("file://{}", dir.display()), &dir, &[]);
}

#[test]
fn an_interrupted_publish_to_a_folder_is_finished_by_the_next() {
    let host = tempfile::tempdir().unwrap();
    let dir = host.path().join("www");
    an_interrupted_publish_is_finished_by_the_next(&format!("file://{}", dir.display()), &dir, &[]);
}

#[test]
fn a_dry_run_to_a_folder_changes_nothing() {
    let host = tempfile::tempdir().unwrap();
    a_dry_run_changes_nothing(&format!("file://{}", host.path().display()), host.path(), &[]);
}

#[test]
fn a_folder_with_files_brochure_did_not_put_there_is_refused_unless_forced() {
    let p = site();
    let host = tempfile::tempdir().unwrap();
    std::fs::write(host.path().join("old-site.html"), "<p>the old site</p>").unwrap();
    let target = format!("file://{}", host.path().display());
    let out = publish(&p, &[&target], &[]);
    assert!(!out.status.success());
    let err = stderr(&out);
    assert!(err.contains("holds files that brochure did not put there"), "{err}");
    assert!(err.contains("--force"), "{err}");
    assert_eq!(tree(host.path()).len(), 1, "a refused publish wrote to the host");

    publish_ok(&p, &["--force", &target], &[]);
    p.remove(NOTICE);
    publish_ok(&p, &[&target], &[]);
    let mut want = built(&p);
    want.insert("old-site.html".into(), b"<p>the old site</p>".to_vec());
    assert_eq!(published(host.path()), want, "the foreign file must stay, the site be complete");
}

#[test]
fn a_password_in_an_address_is_refused_and_never_printed() {
    let p = site();
    let out = publish(&p, &["ftp://anna:s3cret@127.0.0.1/www"], &[]);
    assert!(!out.status.success());
    let err = stderr(&out);
    assert!(err.contains("password") && !err.contains("s3cret"), "{err}");

    p.edit(
        "config.yaml",
        "theme: default",
        "theme: default\npublish:\n  comune: \"sftp://anna:s3cret@web.comune-prova.it/www\"",
    );
    let out = publish(&p, &["comune"], &[]);
    assert!(!out.status.success());
    let err = stderr(&out);
    assert!(err.contains("--> config.yaml:"), "located in config.yaml: {err}");
    assert!(err.contains("password") && !err.contains("s3cret"), "{err}");
}

#[test]
fn a_name_from_config_yaml_is_a_target_and_a_misspelt_one_is_explained() {
    let p = site();
    let host = tempfile::tempdir().unwrap();
    let yaml = format!("theme: default\npublish:\n  share: \"file://{}\"", host.path().display());
    p.edit("config.yaml", "theme: default", &yaml);
    publish_ok(&p, &["share"], &[]);
    assert_same_site(&p, host.path());
    // The only name is the default.
    let log = publish_ok(&p, &[], &[]);
    assert!(log.contains("up to date"), "{log}");
    let err = stderr(&publish(&p, &["shrae"], &[]));
    assert!(err.contains("did you mean `share`?"), "{err}");
}

#[test]
fn a_placeholder_address_is_refused_before_anything_is_built_or_sent() {
    let p = Project::fixture("basic");
    let host = tempfile::tempdir().unwrap();
    let out = publish(&p, &[&format!("file://{}", host.path().display())], &[]);
    assert!(!out.status.success());
    let err = stderr(&out);
    assert!(err.contains("placeholder") && err.contains("--> config.yaml:"), "{err}");
    assert!(tree(host.path()).is_empty() && !p.public().exists(), "{err}");
}

#[test]
fn a_site_with_errors_is_not_published() {
    let p = site();
    let host = tempfile::tempdir().unwrap();
    p.write("content/progetto/rotta.it.md", "---\ntitle: \"Rotta\"\nvolunters: 1\n---\n");
    let out = publish(&p, &[&format!("file://{}", host.path().display())], &[]);
    assert!(!out.status.success());
    assert!(stderr(&out).contains("nothing was published"), "{}", stderr(&out));
    assert!(tree(host.path()).is_empty());
}

/// A host that accepts the connection and never says a word (a hung server, a firewall
/// that swallows the session): publish gives up with a message in well under a minute. It
/// waited forever, silent.
#[test]
fn a_host_that_never_answers_is_given_up_with_a_message() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    // Accepts every connection and keeps it open, silent, until the test ends.
    std::thread::spawn(move || {
        let mut held = Vec::new();
        for stream in listener.incoming().flatten() {
            held.push(stream);
        }
    });
    let addresses = [format!("sftp://anna@127.0.0.1:{port}/www"), format!("ftp://anna@127.0.0.1:{port}/www")];
    std::thread::scope(|scope| {
        for address in &addresses {
            scope.spawn(move || {
                // A project each: two publishes of one project run one after the other.
                let p = site();
                let started = Instant::now();
                let out = publish(&p, &[address], &[("BROCHURE_FTP_PASSWORD", "prova")]);
                let err = stderr(&out);
                assert!(!out.status.success(), "{address}: {err}");
                assert!(err.contains("cannot connect to"), "{address}: {err}");
                assert!(
                    started.elapsed() < Duration::from_secs(60),
                    "{address}: gave up after {:?}",
                    started.elapsed()
                );
            });
        }
    });
}

/// A `file://` folder is held to the rule of `build --output`: inside content/ (or
/// themes/, or the project itself), each build would read the last publish and publish it
/// into itself again. It was accepted, and the site grew inside content/ at every publish.
#[test]
fn a_folder_inside_the_project_s_sources_is_refused_as_a_target() {
    let p = site();
    for inside in ["content/mirror", "themes/mirror", ""] {
        let folder = p.root().join(inside);
        std::fs::create_dir_all(&folder).unwrap();
        let out = publish(&p, &[&format!("file://{}", folder.display())], &[]);
        let err = stderr(&out);
        assert!(!out.status.success(), "{inside}: {err}");
        assert!(err.contains("refusing to write the site into"), "{inside}: {err}");
    }
    assert!(tree(&p.root().join("content/mirror")).is_empty(), "nothing was published into content/");
    assert!(!p.public().exists(), "refused before anything was built");
}
