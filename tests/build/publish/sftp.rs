//! Publishing by SFTP to a real OpenSSH server on 127.0.0.1.

use super::sshd::Sshd;
use super::*;

/// Runs `f` with the environment of a user whose ~/.ssh is the test's.
fn with_env<T>(sshd: &Sshd, f: impl FnOnce(&[(&str, &str)]) -> T) -> T {
    let home = sshd.home().display().to_string();
    f(&[("HOME", home.as_str())])
}

#[test]
#[ignore = "needs sshd"]
fn sftp_publishes_the_site_incrementally() {
    let sshd = Sshd::start();
    with_env(&sshd, |env| first_second_and_deleting_publishes(&sshd.target(), &sshd.www(), env));
}

#[test]
#[ignore = "needs sshd"]
fn an_interrupted_sftp_publish_is_finished_by_the_next() {
    let sshd = Sshd::start();
    with_env(&sshd, |env| an_interrupted_publish_is_finished_by_the_next(&sshd.target(), &sshd.www(), env));
}

#[test]
#[ignore = "needs sshd"]
fn an_sftp_dry_run_changes_nothing() {
    let sshd = Sshd::start();
    with_env(&sshd, |env| a_dry_run_changes_nothing(&sshd.target(), &sshd.www(), env));
}

#[test]
#[ignore = "needs sshd"]
fn an_unknown_host_is_refused_with_its_fingerprint_and_how_to_accept_it() {
    let sshd = Sshd::start();
    sshd.forget_host();
    let p = site();
    let out = with_env(&sshd, |env| publish(&p, &[&sshd.target()], env));
    assert!(!out.status.success());
    let err = stderr(&out);
    assert!(err.contains("not a known host"), "{err}");
    assert!(err.contains(&sshd.fingerprint()), "the fingerprint {} is shown:\n{err}", sshd.fingerprint());
    assert!(err.contains(&format!("ssh-keyscan -p {} 127.0.0.1", sshd.port)), "{err}");
    assert!(published(&sshd.www()).is_empty(), "nothing may be sent to an unknown host");
}

#[test]
#[ignore = "needs sshd"]
fn a_changed_host_key_is_refused_loudly() {
    let sshd = Sshd::start();
    let other = tempfile::tempdir().unwrap();
    let key = other.path().join("k");
    let ok = std::process::Command::new("ssh-keygen").args(["-q", "-t", "ed25519", "-N", "", "-f"]).arg(&key).status();
    assert!(ok.unwrap().success());
    let text = std::fs::read_to_string(key.with_extension("pub")).unwrap();
    sshd.trust_host_key(&text.split_whitespace().take(2).collect::<Vec<_>>().join(" "));
    let p = site();
    let out = with_env(&sshd, |env| publish(&p, &[&sshd.target()], env));
    assert!(!out.status.success());
    let err = stderr(&out);
    assert!(err.contains("HAS CHANGED") && err.contains(&sshd.fingerprint()), "{err}");
    assert!(err.contains(&format!("ssh-keygen -R \"[127.0.0.1]:{}\"", sshd.port)), "{err}");
    assert!(published(&sshd.www()).is_empty(), "nothing may be sent to an impostor");
}

#[test]
#[ignore = "needs sshd"]
fn a_key_the_host_does_not_accept_is_a_login_error() {
    let sshd = Sshd::start();
    std::fs::remove_file(sshd.home().join(".ssh/id_ed25519")).unwrap();
    let p = site();
    let out = with_env(&sshd, |env| publish(&p, &[&sshd.target()], env));
    assert!(!out.status.success());
    let err = stderr(&out);
    assert!(err.contains("refused the login") && err.contains("ssh-add"), "{err}");
}

#[test]
#[ignore = "needs sshd"]
fn the_key_of_the_ssh_agent_logs_in() {
    let sshd = Sshd::start();
    let key = sshd.home().join(".ssh/id_ed25519");
    let socket = sshd.home().join("agent.sock");
    let mut agent = std::process::Command::new("ssh-agent")
        .arg("-D")
        .arg("-a")
        .arg(&socket)
        .stdout(std::process::Stdio::null())
        .spawn()
        .expect("start ssh-agent (Debian openssh-client)");
    let started = std::time::Instant::now();
    while !socket.exists() {
        assert!(started.elapsed() < std::time::Duration::from_secs(10), "ssh-agent made no socket");
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    let added = std::process::Command::new("ssh-add").arg(&key).env("SSH_AUTH_SOCK", &socket).output().unwrap();
    assert!(added.status.success(), "{}", String::from_utf8_lossy(&added.stderr));
    // Only the agent holds the key now.
    std::fs::remove_file(&key).unwrap();
    let p = site();
    let home = sshd.home().display().to_string();
    let sock = socket.display().to_string();
    let mut cmd = command(&p, &[&sshd.target()], &[("HOME", home.as_str())]);
    let out = cmd.env("SSH_AUTH_SOCK", &sock).output().unwrap();
    let _ = agent.kill();
    let _ = agent.wait();
    assert!(out.status.success(), "{}", stderr(&out));
    assert_same_site(&p, &sshd.www());
}
