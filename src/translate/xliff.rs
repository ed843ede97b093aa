//! XLIFF 1.2 (urn:oasis:names:tc:xliff:document:1.2), written by hand and read with
//! roxmltree.
//!
//! Markdown inside a unit is an empty placeholder `<x id="n" equiv-text="**"/>`. Of XLIFF
//! 1.2's inline elements, `<x/>` is the one every CAT tool keeps as a single protected tag:
//! it holds no text a translator could edit (unlike `<ph>`, whose content is the native
//! code), and it need not pair up (unlike `<g>` or `<bx/>`/`<ex/>`, which Markdown's
//! delimiters do not map onto when one piece of Markdown closes a link and opens emphasis).
//! Import never reads the Markdown from the file: it takes it from the page by number, so
//! a link's target cannot change in translation.

use std::fmt::Write as _;

use super::placeholders::TargetPiece;

pub const NAMESPACE: &str = "urn:oasis:names:tc:xliff:document:1.2";

/// A `<file>`: one source page.
#[derive(Debug, Clone)]
pub struct XliffFile {
    pub original: String,
    pub source_language: String,
    pub target_language: String,
    pub units: Vec<XliffUnit>,
    /// Line of the element in the XLIFF file (reading only).
    pub line: usize,
}

/// A `<trans-unit>`.
#[derive(Debug, Clone)]
pub struct XliffUnit {
    pub id: String,
    /// The field or block, for the translator's context.
    pub resname: String,
    pub source: Vec<TargetPiece>,
    /// The Markdown of each placeholder, shown as `equiv-text` (writing only).
    pub equiv: Vec<String>,
    pub target: Option<Vec<TargetPiece>>,
    pub state: Option<String>,
    pub notes: Vec<String>,
    pub line: usize,
}

/// The XLIFF document of `files`; the same files give the same bytes.
pub fn write(files: &[XliffFile]) -> String {
    let mut out = String::new();
    out.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let _ = writeln!(out, "<xliff version=\"1.2\" xmlns=\"{NAMESPACE}\">");
    for f in files {
        let _ = writeln!(
            out,
            "  <file original=\"{}\" source-language=\"{}\" target-language=\"{}\" datatype=\"x-markdown\">",
            attr(&f.original),
            attr(&f.source_language),
            attr(&f.target_language)
        );
        out.push_str("    <body>\n");
        for u in &f.units {
            let _ = writeln!(
                out,
                "      <trans-unit id=\"{}\" resname=\"{}\" xml:space=\"preserve\">",
                attr(&u.id),
                attr(&u.resname)
            );
            let _ = writeln!(out, "        <source>{}</source>", inline(&u.source, &u.equiv));
            if let Some(target) = &u.target {
                let state = u.state.as_deref().map(|s| format!(" state=\"{}\"", attr(s))).unwrap_or_default();
                let _ = writeln!(out, "        <target{state}>{}</target>", inline(target, &u.equiv));
            }
            for n in &u.notes {
                let _ = writeln!(out, "        <note from=\"brochure\">{}</note>", text(n));
            }
            out.push_str("      </trans-unit>\n");
        }
        out.push_str("    </body>\n  </file>\n");
    }
    out.push_str("</xliff>\n");
    out
}

fn inline(pieces: &[TargetPiece], equiv: &[String]) -> String {
    pieces
        .iter()
        .map(|p| match p {
            TargetPiece::Text(t) => text(t),
            TargetPiece::Placeholder(id) => {
                let shown = id.parse::<usize>().ok().and_then(|n| equiv.get(n.wrapping_sub(1)));
                match shown {
                    Some(m) => format!("<x id=\"{}\" equiv-text=\"{}\"/>", attr(id), attr(m)),
                    None => format!("<x id=\"{}\"/>", attr(id)),
                }
            }
        })
        .collect()
}

/// Character data, escaped as the sitemap's; a carriage return is kept (XML readers would
/// turn a literal one into a line feed) and characters XML 1.0 forbids are left out.
fn text(s: &str) -> String {
    let allowed =
        |c: &char| ((*c as u32) >= 0x20 || matches!(c, '\t' | '\n' | '\r')) && !matches!(c, '\u{fffe}' | '\u{ffff}');
    crate::render::xml_escape(&s.chars().filter(allowed).collect::<String>()).replace('\r', "&#13;")
}

/// An attribute value: also the white space that readers would fold.
fn attr(s: &str) -> String {
    text(s).replace('\n', "&#10;").replace('\t', "&#9;")
}

/// Why an XLIFF file cannot be read, and where (1-based line).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReadError {
    pub line: usize,
    pub column: usize,
    pub message: String,
    pub hint: String,
}

/// The files and units of an XLIFF 1.2 document.
pub fn read(xml: &str) -> Result<Vec<XliffFile>, ReadError> {
    let options = roxmltree::ParsingOptions { allow_dtd: false, ..Default::default() };
    let doc = roxmltree::Document::parse_with_options(xml, options).map_err(|e| ReadError {
        line: e.pos().row as usize,
        column: e.pos().col as usize,
        message: format!("the file is not well-formed XML: {e}"),
        hint:
            "the CAT tool or an editor damaged the file: export it again from the CAT tool, or fix the XML at this line"
                .into(),
    })?;
    let line = |n: roxmltree::Node| doc.text_pos_at(n.range().start).row as usize;
    let root = doc.root_element();
    if root.tag_name().name() != "xliff" || root.tag_name().namespace() != Some(NAMESPACE) {
        return Err(ReadError {
            line: line(root),
            column: 1,
            message: format!("this is not an XLIFF 1.2 file (the root element is <{}>)", root.tag_name().name()),
            hint: format!("import the XLIFF 1.2 file made by `brochure translate export` (namespace {NAMESPACE})"),
        });
    }
    let mut files = Vec::new();
    for f in root.children().filter(|n| is(n, "file")) {
        let get = |name: &str| f.attribute(name).unwrap_or_default().to_string();
        let mut units = Vec::new();
        for u in f.descendants().filter(|n| is(n, "trans-unit")) {
            let child = |name: &str| u.children().find(|n| is(n, name));
            let source = match child("source") {
                Some(s) => pieces(s, line)?,
                None => Vec::new(),
            };
            let target = child("target").map(|t| pieces(t, line)).transpose()?;
            units.push(XliffUnit {
                id: u.attribute("id").unwrap_or_default().to_string(),
                resname: u.attribute("resname").unwrap_or_default().to_string(),
                source,
                equiv: Vec::new(),
                state: child("target").and_then(|t| t.attribute("state")).map(String::from),
                target: target.filter(|t| t.iter().any(|p| !matches!(p, TargetPiece::Text(s) if s.trim().is_empty()))),
                notes: u
                    .children()
                    .filter(|n| is(n, "note"))
                    .map(|n| n.text().unwrap_or_default().to_string())
                    .collect(),
                line: line(u),
            });
        }
        files.push(XliffFile {
            original: get("original"),
            source_language: get("source-language"),
            target_language: get("target-language"),
            units,
            line: line(f),
        });
    }
    Ok(files)
}

fn is(n: &roxmltree::Node, name: &str) -> bool {
    n.is_element() && n.tag_name().name() == name && n.tag_name().namespace() == Some(NAMESPACE)
}

/// The text and placeholders of a `<source>` or `<target>`; `<mrk>` (segment marks some
/// tools add) is read through.
fn pieces(
    node: roxmltree::Node,
    line: impl Fn(roxmltree::Node) -> usize + Copy,
) -> Result<Vec<TargetPiece>, ReadError> {
    let mut out: Vec<TargetPiece> = Vec::new();
    for n in node.children() {
        if n.is_text() {
            let t = n.text().unwrap_or_default();
            match out.last_mut() {
                Some(TargetPiece::Text(last)) => last.push_str(t),
                _ => out.push(TargetPiece::Text(t.to_string())),
            }
        } else if is(&n, "x") {
            out.push(TargetPiece::Placeholder(n.attribute("id").unwrap_or_default().to_string()));
        } else if is(&n, "mrk") {
            for p in pieces(n, line)? {
                match (out.last_mut(), p) {
                    (Some(TargetPiece::Text(last)), TargetPiece::Text(t)) => last.push_str(&t),
                    (_, p) => out.push(p),
                }
            }
        } else if n.is_element() {
            return Err(ReadError {
                line: line(n),
                column: 1,
                message: format!("<{}> is not a placeholder brochure made", n.tag_name().name()),
                hint: "keep only the text and the <x/> placeholders of the source; the Markdown they stand for comes back on import".into(),
            });
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn written_units_read_back_the_same() {
        let t = |s: &str| TargetPiece::Text(s.into());
        let x = |s: &str| TargetPiece::Placeholder(s.into());
        let unit = XliffUnit {
            id: "body.1.0000abcd".into(),
            resname: "body.1".into(),
            source: vec![x("1"), t("A & <b> \"q\"\r\nline"), x("2")],
            equiv: vec!["**".into(), "](https://x.it/?a=1&b=\"2\")".into()],
            target: Some(vec![x("1"), t("B"), x("2")]),
            state: Some("translated".into()),
            notes: vec!["translated_from: 0123456789abcdef".into()],
            line: 0,
        };
        let file = XliffFile {
            original: "content/a.it.md".into(),
            source_language: "it".into(),
            target_language: "en".into(),
            units: vec![unit.clone()],
            line: 0,
        };
        let xml = write(&[file]);
        let back = read(&xml).unwrap();
        assert_eq!(back[0].original, "content/a.it.md");
        assert_eq!(back[0].units[0].source, unit.source);
        assert_eq!(back[0].units[0].target, unit.target);
        assert_eq!(back[0].units[0].notes, unit.notes);
        assert_eq!(back[0].units[0].line, 5);
    }
}
