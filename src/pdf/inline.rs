//! The drawings a printed document links, put back into it before Chromium prints it.
//!
//! A document is handed to Chromium as text (`Page.setDocumentContent`: a third of the cost
//! of loading it from its file, BENCHMARKS.md "Printing PDFs"), so nothing it links is
//! loaded. Its QR codes are SVG files of their own (`render::qr`): each `<img class="qr">`
//! of a relative `.svg` address inside the output folder becomes that drawing, inline,
//! which Chromium prints as lines, as it did when the build wrote the codes inline. Other
//! images are left as they are (and, as before, not loaded): a theme's own drawing is no
//! reason to refuse the print shop a PDF.

use std::path::{Component, Path, PathBuf};

/// `html` (the document `file`, inside the output folder `root`) with every QR code's
/// `<img class="qr">` of a relative `.svg` address replaced by the drawing, which keeps the
/// image's `class` and takes its `alt` as its name for screen readers. `Err` names a drawing it cannot read:
/// a document printed without its QR code would send readers nowhere.
pub fn inline_svg_images(html: &str, file: &Path, root: &Path) -> Result<String, String> {
    let folder = file.parent().unwrap_or(root);
    let mut out = String::with_capacity(html.len() * 2);
    let mut rest = html;
    while let Some(start) = find_img(rest) {
        let Some(len) = rest[start..].find('>') else { break };
        let tag = &rest[start..start + len + 1];
        out.push_str(&rest[..start]);
        match svg_source(tag) {
            Some(src) => out.push_str(&inline(tag, &src, folder, root)?),
            None => out.push_str(tag),
        }
        rest = &rest[start + len + 1..];
    }
    out.push_str(rest);
    Ok(out)
}

/// Where the next `<img` tag starts.
fn find_img(html: &str) -> Option<usize> {
    html.match_indices("<img").map(|(i, _)| i).find(|&i| html[i + 4..].starts_with(|c: char| c.is_ascii_whitespace()))
}

/// The `src` of a QR code's image tag, decoded, when it is a relative address of an SVG file.
fn svg_source(tag: &str) -> Option<String> {
    if !attribute(tag, "class")?.split_ascii_whitespace().any(|c| c == "qr") {
        return None;
    }
    let src = decode(attribute(tag, "src")?);
    let relative = !src.starts_with('/') && !crate::url::has_scheme(&src);
    (relative && src.ends_with(".svg")).then_some(src)
}

/// The drawing `src` names (relative to `folder`), with the tag's class and text alternative.
fn inline(tag: &str, src: &str, folder: &Path, root: &Path) -> Result<String, String> {
    let path = inside(root, folder, src).ok_or_else(|| format!("the drawing {src} is outside the output folder"))?;
    let svg = std::fs::read_to_string(&path).map_err(|e| format!("cannot read the drawing {}: {e}", path.display()))?;
    let Some(at) = svg.find("<svg") else {
        return Err(format!("{} is not an SVG drawing", path.display()));
    };
    let mut drawn = String::with_capacity(svg.len() + 120);
    drawn.push_str("<svg");
    if let Some(class) = attribute(tag, "class") {
        drawn.push_str(&format!(" class=\"{class}\""));
    }
    if let Some(alt) = attribute(tag, "alt") {
        drawn.push_str(&format!(" role=\"img\" aria-label=\"{alt}\""));
    }
    drawn.push_str(svg[at + 4..].trim_end());
    Ok(drawn)
}

/// The raw value of an attribute of `tag`, quoted with `"` or `'` (a theme may write either).
fn attribute<'a>(tag: &'a str, name: &str) -> Option<&'a str> {
    let mut from = 0;
    while let Some(i) = tag[from..].find(name) {
        let at = from + i;
        let before = tag[..at].chars().next_back();
        let after = &tag[at + name.len()..];
        if before.is_some_and(|c| c.is_ascii_whitespace()) {
            if let Some(value) = after.strip_prefix('=') {
                let quote = value.chars().next().filter(|q| *q == '"' || *q == '\'')?;
                let value = &value[1..];
                return value.find(quote).map(|end| &value[..end]);
            }
        }
        from = at + name.len();
    }
    None
}

/// An attribute's text with the character references the templates write decoded.
fn decode(value: &str) -> String {
    [("&quot;", "\""), ("&#x27;", "'"), ("&#39;", "'"), ("&lt;", "<"), ("&gt;", ">"), ("&#x2F;", "/"), ("&amp;", "&")]
        .iter()
        .fold(value.to_string(), |text, (reference, c)| text.replace(reference, c))
}

/// `folder/src` when it stays inside `root`, read without following `..` past it.
fn inside(root: &Path, folder: &Path, src: &str) -> Option<PathBuf> {
    let mut parts: Vec<Component> = folder.strip_prefix(root).ok()?.components().collect();
    for part in Path::new(src).components() {
        match part {
            Component::Normal(_) => parts.push(part),
            Component::CurDir => {}
            Component::ParentDir => {
                parts.pop()?;
            }
            Component::RootDir | Component::Prefix(_) => return None,
        }
    }
    Some(parts.iter().fold(root.to_path_buf(), |path, part| path.join(part)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site() -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("alpha/a1")).unwrap();
        std::fs::write(
            dir.path().join("alpha/a1/qr.svg"),
            "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 9 9\"><path d=\"M4 4.5h1\"/></svg>\n",
        )
        .unwrap();
        dir
    }

    #[test]
    fn a_linked_drawing_is_put_inline_with_its_class_and_name() {
        let dir = site();
        let html = "<p>x</p><img class=\"qr\" src=\"a1/qr.svg\" alt=\"Codice QR: &quot;pagina&quot;\"><p>y</p>";
        let out = inline_svg_images(html, &dir.path().join("alpha/booklet.html"), dir.path()).unwrap();
        assert_eq!(
            out,
            "<p>x</p><svg class=\"qr\" role=\"img\" aria-label=\"Codice QR: &quot;pagina&quot;\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 9 9\"><path d=\"M4 4.5h1\"/></svg><p>y</p>"
        );
    }

    #[test]
    fn a_code_linked_with_single_quotes_is_put_inline_too() {
        let dir = site();
        let out = inline_svg_images(
            "<img class='qr' src='qr.svg' alt='QR'>",
            &dir.path().join("alpha/a1/leaflet.html"),
            dir.path(),
        )
        .unwrap();
        assert!(out.starts_with("<svg class=\"qr\" role=\"img\" aria-label=\"QR\" xmlns="), "{out}");
    }

    #[test]
    fn other_images_stay_as_they_are() {
        let dir = site();
        let html = "<img class=\"qr\" src=\"/logo.svg\" alt=\"\"><img class=\"qr\" src=\"https://x.org/a.svg\"><img class=\"qr\" src=\"photo.png\"><imgx class=\"qr\" src=\"a1/qr.svg\"><img src=\"a1/qr.svg\"><img class=\"logo\" src=\"missing.svg\">";
        let out = inline_svg_images(html, &dir.path().join("alpha/booklet.html"), dir.path()).unwrap();
        assert_eq!(out, html);
    }

    #[test]
    fn a_missing_drawing_or_one_outside_the_output_folder_fails_the_document() {
        let dir = site();
        let file = dir.path().join("alpha/a1/leaflet.html");
        let missing =
            inline_svg_images("<img class=\"qr\" src=\"../a2/qr.svg\" alt=\"\">", &file, dir.path()).unwrap_err();
        assert!(missing.contains("cannot read the drawing") && missing.contains("a2"), "{missing}");
        let outside = inline_svg_images("<img class='qr' src='../../../x.svg' alt=''>", &file, dir.path()).unwrap_err();
        assert!(outside.contains("outside the output folder"), "{outside}");
    }
}
