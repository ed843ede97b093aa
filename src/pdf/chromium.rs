//! Finding a Chromium-family browser (Chromium, Chrome, Edge) where Linux, macOS and
//! Windows usually install it: a communications office laptop may only have Edge.

use std::path::{Path, PathBuf};

use crate::diagnostic::{Diagnostic, Kind};

/// Flags for a headless Chromium that never reaches the network (shared with the browser tests).
pub const CHROMIUM_FLAGS: &[&str] = &[
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Platform {
    Linux,
    MacOs,
    Windows,
}

impl Platform {
    pub fn current() -> Platform {
        if cfg!(windows) {
            Platform::Windows
        } else if cfg!(target_os = "macos") {
            Platform::MacOs
        } else {
            Platform::Linux
        }
    }
}

/// Program names looked up on PATH, in order of preference.
fn program_names(platform: Platform) -> &'static [&'static str] {
    match platform {
        Platform::Windows => &["chrome.exe", "msedge.exe", "chromium.exe"],
        Platform::Linux | Platform::MacOs => &[
            "chromium",
            "chromium-browser",
            "google-chrome-stable",
            "google-chrome",
            "microsoft-edge-stable",
            "microsoft-edge",
        ],
    }
}

/// Every place a Chromium-family browser is looked for, in order: the program names in
/// each PATH folder, then the usual install folders. `var` reads an environment variable
/// (HOME, ProgramFiles, ...); passed in so that every platform's list can be tested anywhere.
pub fn candidates(platform: Platform, path: &[PathBuf], var: &dyn Fn(&str) -> Option<PathBuf>) -> Vec<PathBuf> {
    let mut found: Vec<PathBuf> =
        program_names(platform).iter().flat_map(|name| path.iter().map(move |dir| dir.join(name))).collect();
    let join = |base: PathBuf, parts: &[&str]| parts.iter().fold(base, |p, part| p.join(part));
    match platform {
        Platform::Linux => found.extend(
            [
                "/usr/bin/chromium",
                "/usr/bin/chromium-browser",
                "/snap/bin/chromium",
                "/usr/bin/google-chrome-stable",
                "/opt/google/chrome/chrome",
                "/usr/bin/microsoft-edge-stable",
                "/opt/microsoft/msedge/msedge",
            ]
            .map(PathBuf::from),
        ),
        Platform::MacOs => {
            let apps = [
                ["Chromium.app", "Contents", "MacOS", "Chromium"],
                ["Google Chrome.app", "Contents", "MacOS", "Google Chrome"],
                ["Microsoft Edge.app", "Contents", "MacOS", "Microsoft Edge"],
            ];
            let folders = [Some(PathBuf::from("/Applications")), var("HOME").map(|h| h.join("Applications"))];
            for folder in folders.into_iter().flatten() {
                found.extend(apps.iter().map(|app| join(folder.clone(), app)));
            }
        }
        Platform::Windows => {
            let installs: [(&str, &[&str]); 6] = [
                ("ProgramFiles", &["Google", "Chrome", "Application", "chrome.exe"]),
                ("ProgramFiles(x86)", &["Google", "Chrome", "Application", "chrome.exe"]),
                ("LOCALAPPDATA", &["Google", "Chrome", "Application", "chrome.exe"]),
                ("ProgramFiles(x86)", &["Microsoft", "Edge", "Application", "msedge.exe"]),
                ("ProgramFiles", &["Microsoft", "Edge", "Application", "msedge.exe"]),
                ("LOCALAPPDATA", &["Chromium", "Application", "chrome.exe"]),
            ];
            found.extend(installs.iter().filter_map(|(base, parts)| var(base).map(|b| join(b, parts))));
        }
    }
    found
}

/// Finds the browser: the given path, else the first of [`candidates`] that exists.
pub fn find_chromium(given: Option<&Path>) -> Result<PathBuf, Diagnostic> {
    if let Some(path) = given {
        return if path.is_file() {
            Ok(path.to_path_buf())
        } else {
            Err(Diagnostic::warning(format!("PDF export skipped: --chromium {} does not exist", path.display()))
                .with_hint("give the path of Chromium, Chrome or Edge, e.g. --chromium /usr/bin/chromium, or install Chromium (Debian/Ubuntu: sudo apt-get install chromium)").of_kind(Kind::PdfNotMade))
        };
    }
    let path: Vec<PathBuf> = std::env::var_os("PATH").map(|p| std::env::split_paths(&p).collect()).unwrap_or_default();
    let var = |name: &str| std::env::var_os(name).map(PathBuf::from);
    candidates(Platform::current(), &path, &var).into_iter().find(|p| p.is_file()).ok_or_else(|| {
        Diagnostic::warning(
            "PDF export skipped: no Chromium, Chrome or Edge was found (on PATH or where they are usually installed); the HTML site was built",
        )
        .with_hint("install Chromium (Debian/Ubuntu: sudo apt-get install chromium) or pass --chromium /path/to/chrome")
        .of_kind(Kind::PdfNotMade)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(name: &str) -> Option<PathBuf> {
        match name {
            "HOME" => Some(PathBuf::from("/Users/anna")),
            "ProgramFiles" => Some(PathBuf::from(r"C:\Program Files")),
            "ProgramFiles(x86)" => Some(PathBuf::from(r"C:\Program Files (x86)")),
            "LOCALAPPDATA" => Some(PathBuf::from(r"C:\Users\anna\AppData\Local")),
            _ => None,
        }
    }

    fn rel(parts: &[&str]) -> PathBuf {
        parts.iter().collect()
    }

    #[test]
    fn linux_looks_on_path_first_then_in_the_usual_folders() {
        let list = candidates(Platform::Linux, &[PathBuf::from("/home/a/bin"), PathBuf::from("/usr/bin")], &env);
        assert_eq!(list[0], Path::new("/home/a/bin/chromium"), "PATH order and name preference");
        assert_eq!(list[1], Path::new("/usr/bin/chromium"));
        for expected in [
            "/usr/bin/microsoft-edge",
            "/snap/bin/chromium",
            "/opt/google/chrome/chrome",
            "/opt/microsoft/msedge/msedge",
        ] {
            assert!(list.contains(&PathBuf::from(expected)), "{expected} in {list:?}");
        }
    }

    #[test]
    fn macos_looks_in_the_applications_folders() {
        let list = candidates(Platform::MacOs, &[], &env);
        assert_eq!(list[0], Path::new("/Applications/Chromium.app/Contents/MacOS/Chromium"));
        assert!(list.contains(&PathBuf::from("/Applications/Google Chrome.app/Contents/MacOS/Google Chrome")));
        assert!(list.contains(&PathBuf::from("/Applications/Microsoft Edge.app/Contents/MacOS/Microsoft Edge")));
        assert!(
            list.contains(&PathBuf::from("/Users/anna/Applications/Microsoft Edge.app/Contents/MacOS/Microsoft Edge"))
        );
    }

    #[test]
    fn windows_finds_chrome_and_edge_in_program_files() {
        let list = candidates(Platform::Windows, &[PathBuf::from(r"C:\tools")], &env);
        assert_eq!(list[0], PathBuf::from(r"C:\tools").join("chrome.exe"));
        assert!(list.contains(&PathBuf::from(r"C:\tools").join("msedge.exe")));
        let edge =
            PathBuf::from(r"C:\Program Files (x86)").join(rel(&["Microsoft", "Edge", "Application", "msedge.exe"]));
        let chrome = PathBuf::from(r"C:\Program Files").join(rel(&["Google", "Chrome", "Application", "chrome.exe"]));
        let user_chrome =
            PathBuf::from(r"C:\Users\anna\AppData\Local").join(rel(&["Google", "Chrome", "Application", "chrome.exe"]));
        for expected in [&edge, &chrome, &user_chrome] {
            assert!(list.contains(expected), "{} in {list:?}", expected.display());
        }
        let no_env = candidates(Platform::Windows, &[], &|_| None);
        assert!(no_env.is_empty(), "no folder is guessed without its variable: {no_env:?}");
    }

    #[test]
    fn a_given_path_that_does_not_exist_is_a_warning_with_a_hint() {
        let d = find_chromium(Some(Path::new("/nonexistent/chrome"))).expect_err("missing");
        assert!(!d.is_error());
        assert!(d.hint.as_deref().is_some_and(|h| h.contains("--chromium")));
    }
}
