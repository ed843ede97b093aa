//! `serve --open`: the command that opens the preview in the default browser of each system.

use crate::pdf::Platform;

/// The program and arguments that open `url` in the default browser on `platform`:
/// `xdg-open` on Linux, `open` on macOS, and on Windows the shell's URL handler, called
/// directly rather than through `cmd /c start`, so that no shell ever parses the URL.
pub fn open_command(platform: Platform, url: &str) -> (&'static str, Vec<String>) {
    match platform {
        Platform::Linux => ("xdg-open", vec![url.to_string()]),
        Platform::MacOs => ("open", vec![url.to_string()]),
        Platform::Windows => ("rundll32", vec!["url.dll,FileProtocolHandler".to_string(), url.to_string()]),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_system_opens_the_address_with_its_own_program() {
        let url = "http://127.0.0.1:1111/servizio-civile/";
        assert_eq!(open_command(Platform::Linux, url), ("xdg-open", vec![url.to_string()]));
        assert_eq!(open_command(Platform::MacOs, url), ("open", vec![url.to_string()]));
        let (program, args) = open_command(Platform::Windows, url);
        assert_eq!(program, "rundll32", "xdg-open does not exist on Windows");
        assert_eq!(args, ["url.dll,FileProtocolHandler", url]);
    }
}
