//! The Chromium process of a build, started by brochure rather than by headless_chrome so
//! that it never outlives the build. headless_chrome's own start left the browser (and its
//! helpers) running when the build was stopped with SIGTERM, as a service manager or a
//! `timeout` does, or with SIGKILL: on a server that builds every night, one more Chromium
//! each time.
//!
//! On Linux the browser is started with a parent-death signal (SIGKILL): the kernel sends it
//! when the thread that started the browser ends, and that thread ends when the printing is
//! done or when brochure ends, however it ends. Elsewhere the browser is stopped when the
//! printing is done, as before.

use std::io::{BufRead, BufReader, Read};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::thread::JoinHandle;

use super::chromium::CHROMIUM_FLAGS;
use crate::write::Scratch;

/// Flags headless_chrome gave the browser when it started it, kept so that the PDFs do not
/// change (`--force-color-profile`) and background tabs print as fast as the first.
const LAUNCH_FLAGS: &[&str] = &[
    "--remote-debugging-port=0",
    "--disable-background-timer-throttling",
    "--disable-backgrounding-occluded-windows",
    "--disable-renderer-backgrounding",
    "--disable-breakpad",
    "--disable-client-side-phishing-detection",
    "--disable-component-extensions-with-background-pages",
    "--disable-default-apps",
    "--disable-dev-shm-usage",
    "--disable-extensions",
    "--disable-features=TranslateUI,BlinkGenPropertyTrees",
    "--disable-hang-monitor",
    "--disable-ipc-flooding-protection",
    "--disable-popup-blocking",
    "--disable-prompt-on-repost",
    "--disable-setuid-sandbox",
    "--enable-features=NetworkService,NetworkServiceInProcess",
    "--force-color-profile=srgb",
    "--metrics-recording-only",
    "--password-store=basic",
    "--use-mock-keychain",
    "--enable-automation",
];

/// How long the browser's helper processes take to notice it is gone and stop writing to
/// its profile.
const HELPERS_END: std::time::Duration = std::time::Duration::from_millis(200);

/// How many of the browser's last lines of output a failed start quotes.
const LINES_QUOTED: usize = 3;

/// A running browser; it is stopped (and its temporary profile removed) when dropped.
pub struct BrowserProcess {
    /// The DevTools address the browser printed once ready.
    pub ws_url: String,
    /// Dropped to tell the keeper thread to stop the browser.
    quit: Option<mpsc::Sender<()>>,
    keeper: Option<JoinHandle<()>>,
}

impl BrowserProcess {
    /// Starts `chromium` and waits until it says where it listens; `Err` says why it did
    /// not. Blocks for as long as the browser takes: the caller sets the time limit.
    pub fn start(chromium: &Path, profile: Scratch) -> Result<BrowserProcess, String> {
        let (ready, is_ready) = mpsc::channel();
        let (quit, quitting) = mpsc::channel::<()>();
        let chromium = chromium.to_path_buf();
        // The thread that starts the browser is the one whose end kills it (Linux): it lives
        // until the printing is done, or as long as brochure when the browser never answers.
        let keeper = std::thread::Builder::new()
            .name("chromium".to_string())
            .spawn(move || {
                let mut child = match command(&chromium, profile.path()).spawn() {
                    Ok(child) => child,
                    Err(e) => return drop(ready.send(Err(format!("cannot run {}: {e}", chromium.display())))),
                };
                let listening = child.stderr.take().map_or_else(|| Err(String::new()), listening_url);
                let started = listening.is_ok();
                let _ = ready.send(listening.map_err(|said| exited(&mut child, &said)));
                if started {
                    // Returns when the printer drops its end.
                    let _ = quitting.recv();
                }
                stop(&mut child);
                // Its helpers end with it; the profile is removed once they have.
                std::thread::sleep(HELPERS_END);
                drop(profile);
            })
            .map_err(|e| format!("cannot start a thread for it: {e}"))?;
        match is_ready.recv() {
            Ok(Ok(ws_url)) => Ok(BrowserProcess { ws_url, quit: Some(quit), keeper: Some(keeper) }),
            Ok(Err(why)) => {
                let _ = keeper.join();
                Err(why)
            }
            Err(_) => Err("its start panicked".to_string()),
        }
    }
}

impl Drop for BrowserProcess {
    fn drop(&mut self) {
        drop(self.quit.take());
        if let Some(keeper) = self.keeper.take() {
            let _ = keeper.join();
        }
    }
}

fn command(chromium: &Path, profile: &Path) -> Command {
    let mut command = Command::new(chromium);
    command
        .args(CHROMIUM_FLAGS)
        .args(LAUNCH_FLAGS)
        .arg(format!("--user-data-dir={}", profile.display()))
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    #[cfg(target_os = "linux")]
    {
        use std::os::unix::process::CommandExt as _;
        let brochure = rustix::process::getpid();
        // SAFETY: between fork and exec the closure makes two system calls and builds no
        // value on the heap except for the error of a parent already gone.
        unsafe {
            command.pre_exec(move || {
                rustix::process::set_parent_process_death_signal(Some(rustix::process::Signal::KILL))?;
                // brochure may have ended before the signal was asked for: then nobody sends it.
                if rustix::process::getppid() != Some(brochure) {
                    return Err(std::io::Error::other("brochure ended before the browser started"));
                }
                Ok(())
            });
        }
    }
    command
}

/// The DevTools address the browser prints when ready, or its last lines if it stops
/// writing before that (it exited).
fn listening_url(stderr: impl Read) -> Result<String, String> {
    let mut last: Vec<String> = Vec::new();
    for line in BufReader::new(stderr).lines() {
        let Ok(line) = line else { break };
        if let Some(url) = line.split_once("listening on ").map(|(_, url)| url.trim()) {
            if url.starts_with("ws://") && url.contains("/devtools/browser/") {
                return Ok(url.to_string());
            }
        }
        if !line.trim().is_empty() {
            last.push(line);
            if last.len() > LINES_QUOTED {
                last.remove(0);
            }
        }
    }
    Err(last.join(" / "))
}

/// Why the browser stopped before it was ready: its exit status and what it last said.
fn exited(child: &mut Child, said: &str) -> String {
    // Its output closes as it exits; the status follows within moments.
    let status = (0..EXIT_POLLS).find_map(|_| {
        let status = child.try_wait().ok().flatten();
        if status.is_none() {
            std::thread::sleep(EXIT_POLL);
        }
        status
    });
    let status = status.map_or_else(
        || "it closed its output without saying where it listens".to_string(),
        |s| format!("it exited ({s})"),
    );
    if said.is_empty() {
        status
    } else {
        format!("{status}: {said}")
    }
}

/// How long a browser whose output closed is given to exit: 2 s.
const EXIT_POLLS: usize = 20;
const EXIT_POLL: std::time::Duration = std::time::Duration::from_millis(100);

fn stop(child: &mut Child) {
    let _ = child.kill();
    let _ = child.wait();
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_devtools_address_is_read_from_the_browsers_output() {
        let said = "[0101/000000.000:WARNING:x.cc(1)] something\n\nDevTools listening on ws://127.0.0.1:40107/devtools/browser/5a1e\nmore\n";
        assert_eq!(listening_url(said.as_bytes()).unwrap(), "ws://127.0.0.1:40107/devtools/browser/5a1e");
    }

    #[test]
    fn a_browser_that_stops_early_is_quoted_by_its_last_lines() {
        let said = "one\ntwo\n\nthree\nRunning as root without --no-sandbox is not supported\n";
        assert_eq!(
            listening_url(said.as_bytes()).unwrap_err(),
            "two / three / Running as root without --no-sandbox is not supported"
        );
    }
}
