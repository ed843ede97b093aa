//! The site's icon. The theme ships `favicon.svg`, `favicon.png` (32x32),
//! `apple-touch-icon.png` (180x180) and `favicon.ico` in its `static/` folder, and its
//! templates link them. `favicon:` in config.yaml names an office's own icon instead (a
//! path relative to the project folder): it is published as `favicon.<svg|png|ico>` at the
//! site's root, the theme's icons are left out, and pages link that one file.

use std::path::Path;

/// The theme's icon files (in its `static/`), left out when config.yaml names another icon.
pub const THEME_ICONS: [&str; 4] = ["favicon.svg", "favicon.png", "favicon.ico", "apple-touch-icon.png"];

/// The media type of an icon file by its extension, for the `type` of the page's link.
pub fn media_type(rel: &str) -> Option<&'static str> {
    match rel.rsplit_once('.')?.1.to_ascii_lowercase().as_str() {
        "svg" => Some("image/svg+xml"),
        "png" => Some("image/png"),
        "ico" => Some("image/x-icon"),
        _ => None,
    }
}

/// Where the configured icon is published, relative to the site's root.
pub fn published_as(rel: &str) -> String {
    let ext = rel.rsplit_once('.').map_or("", |(_, e)| e).to_ascii_lowercase();
    format!("favicon.{ext}")
}

/// What is wrong with `favicon: <rel>` in a project at `root`, as (message, hint).
pub fn problem(rel: &str, root: &Path) -> Option<(String, String)> {
    let path = Path::new(rel);
    if rel.is_empty() || path.is_absolute() || rel.contains('\\') || rel.split('/').any(|p| p == "..") {
        return Some((
            format!("favicon `{rel}` is not a path inside the project"),
            "write the path from the folder of config.yaml, e.g. favicon: static/stemma.svg".into(),
        ));
    }
    if media_type(rel).is_none() {
        return Some((
            format!("favicon `{rel}` is not an SVG, PNG or ICO file"),
            "give an icon ending in .svg, .png or .ico (an SVG stays sharp at every size)".into(),
        ));
    }
    let file = root.join(path);
    if !file.is_file() {
        return Some((
            format!("the icon file `{rel}` named by favicon is missing"),
            format!(
                "put the icon at {rel} (from the folder of config.yaml) and check the spelling, \
                 or remove `favicon:` to use the theme's icon"
            ),
        ));
    }
    if !crate::symlinks::leads_inside(&file, &crate::symlinks::resolved_root(root)) {
        return Some((
            format!("the icon file `{rel}` is a link to a file outside the project"),
            "copy the icon into the project instead of linking to it".into(),
        ));
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_icon_must_be_an_svg_png_or_ico_file_inside_the_project() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("static")).unwrap();
        std::fs::write(dir.path().join("static/stemma.svg"), "<svg/>").unwrap();
        std::fs::write(dir.path().join("stemma.gif"), "GIF89a").unwrap();
        assert_eq!(problem("static/stemma.svg", dir.path()), None);
        let message = |rel| problem(rel, dir.path()).map(|(m, _)| m).unwrap_or_default();
        assert!(message("static/missing.svg").contains("is missing"));
        assert!(message("stemma.gif").contains("not an SVG, PNG or ICO"));
        assert!(message("../stemma.svg").contains("not a path inside the project"));
        assert!(message("/etc/stemma.svg").contains("not a path inside the project"));
        assert!(message("static").contains("not an SVG"));
    }
}
