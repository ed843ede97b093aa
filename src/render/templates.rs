//! The theme's Tera templates, compiled once per build; Tera errors become diagnostics
//! that point at the template file and line.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::Arc;

use serde::Serialize;
use tera::{Context, ErrorKind, Tera};

use super::view_struct::Fields;
use crate::diagnostic::{Diagnostic, Kind};
use crate::load::ThemeFiles;

/// Templates every theme must provide.
pub const REQUIRED: &[&str] = &["home.html", "programme.html", "site.html", "page.html", "404.html"];

pub struct Templates {
    tera: Tera,
    /// Template name -> shown path, for messages.
    paths: BTreeMap<String, PathBuf>,
}

impl Templates {
    pub fn compile(theme: &ThemeFiles) -> Result<Templates, Vec<Diagnostic>> {
        let mut tera = Tera::default();
        tera.autoescape_on([".html", ".xml"]);
        let paths: BTreeMap<String, PathBuf> =
            theme.templates.iter().map(|(n, (p, _))| (n.clone(), p.clone())).collect();
        let mut problems = Vec::new();
        if let Err(e) = tera.add_raw_templates(theme.templates.iter().map(|(n, (_, src))| (n.as_str(), src.as_str()))) {
            problems.push(to_diagnostic(&e, &paths, theme));
        }
        for name in REQUIRED {
            if problems.is_empty() && !tera.contains_template(name) {
                problems.push(
                    Diagnostic::error(format!("the theme has no {name} template"))
                        .in_file(format!("themes/<theme>/templates/{name}"))
                        .with_hint("every theme needs home.html, programme.html, site.html, page.html and 404.html"),
                );
            }
        }
        problems.extend(theme.templates.iter().flat_map(|(_, (path, src))| retired_qr(path, src)));
        if problems.is_empty() {
            Ok(Templates { tera, paths })
        } else {
            Err(problems)
        }
    }

    /// Renders `name` with `ctx`; `page` names the content file in the error message.
    pub fn render<T: TemplateData>(
        &self,
        name: &str,
        ctx: &T,
        page: &str,
        theme: &ThemeFiles,
    ) -> Result<String, Diagnostic> {
        let context = ctx.context()?;
        self.tera.render(name, &context).map_err(|e| self.error(&e, page, theme))
    }

    /// Renders a whole file: its bytes go to the output as they are, unchecked as UTF-8
    /// (Tera writes only UTF-8). Tera writes into a buffer kept by the thread from page to
    /// page, and the file is one copy of it: a buffer made for each page grew a few times
    /// for the larger ones, and the memory of each was new to the process (page faults).
    pub fn render_file<T: TemplateData>(
        &self,
        name: &str,
        ctx: &T,
        page: &str,
        theme: &ThemeFiles,
    ) -> Result<Arc<[u8]>, Diagnostic> {
        thread_local! {
            static BUFFER: std::cell::RefCell<Vec<u8>> = const { std::cell::RefCell::new(Vec::new()) };
        }
        let context = ctx.context()?;
        BUFFER.with(|buffer| {
            // Taken out while Tera writes: no borrow is held across the render.
            let mut out = buffer.take();
            out.clear();
            let rendered = self.tera.render_to(name, &context, &mut out).map_err(|e| self.error(&e, page, theme));
            let file = rendered.map(|()| Arc::<[u8]>::from(out.as_slice()));
            // The buffer of a very large file is not kept for the pages after it.
            if out.capacity() <= KEPT_BUFFER {
                buffer.replace(out);
            }
            file
        })
    }

    fn error(&self, e: &tera::Error, page: &str, theme: &ThemeFiles) -> Diagnostic {
        let mut d = to_diagnostic(e, &self.paths, theme);
        d.message = format!("{} (while rendering {page})", d.message);
        d
    }
}

/// The largest render buffer a thread keeps between files: a booklet of a large programme.
const KEPT_BUFFER: usize = 4 << 20;

/// The data a template is rendered with.
pub trait TemplateData: Serialize {
    /// The data as Tera's context.
    fn context(&self) -> Result<Context, Diagnostic> {
        Context::from_serialize(self).map_err(|e| cannot_prepare(&e))
    }
}

fn cannot_prepare(e: &dyn std::fmt::Display) -> Diagnostic {
    Diagnostic::error(format!("cannot prepare the page data: {e}"))
}

/// A view's fields (see `view_struct`), each put in the context under its own name.
/// `Context::from_serialize` makes the whole struct one Tera map first, then copies each
/// key into a new string.
pub(super) fn fields_context<T: Fields>(view: &T) -> Result<Context, Diagnostic> {
    let mut into = IntoContext(Context::new());
    view.fields(&mut into).map_err(|e| cannot_prepare(&e.0))?;
    Ok(into.0)
}

struct IntoContext(Context);

#[derive(Debug)]
struct FieldError(String);

impl std::fmt::Display for FieldError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for FieldError {}

impl serde::ser::Error for FieldError {
    fn custom<M: std::fmt::Display>(msg: M) -> Self {
        FieldError(msg.to_string())
    }
}

impl serde::ser::SerializeStruct for IntoContext {
    type Ok = ();
    type Error = FieldError;

    fn serialize_field<V: Serialize + ?Sized>(&mut self, key: &'static str, value: &V) -> Result<(), FieldError> {
        let value = tera::Value::try_from_serializable(value).map_err(|e| FieldError(e.to_string()))?;
        self.0.insert_value(key, value);
        Ok(())
    }

    fn end(self) -> Result<(), FieldError> {
        Ok(())
    }
}

/// Where a template still draws a QR code from `qr`, which held the drawing inline until
/// the codes became files of their own: Tera shows an unknown field as nothing, so a theme
/// copied before (`brochure init` writes one into every project) would print leaflets
/// without their code, and say nothing.
fn retired_qr(path: &std::path::Path, src: &str) -> Vec<Diagnostic> {
    let is_name = |c: char| c.is_alphanumeric() || c == '_';
    let code = without_comments(src);
    let mut found = Vec::new();
    for (n, line) in code.lines().enumerate() {
        // `s.qr`, `s?.qr` or `s["qr"]` inside `{{ }}` or `{% %}`; not the CSS class `.qr`.
        let in_tag = |i: usize| {
            let opened = line[..i].rfind("{{").max(line[..i].rfind("{%"));
            opened.is_some_and(|o| line[o..i].find("}}").or(line[o..i].find("%}")).is_none())
        };
        let dotted = line.match_indices(".qr").map(|(i, _)| i).filter(|&i| {
            let after_name = line[..i].trim_end_matches('?').ends_with(is_name);
            !line[i + 3..].starts_with(is_name) && after_name
        });
        let indexed = line.match_indices("[\"qr\"]").chain(line.match_indices("['qr']")).map(|(i, _)| i);
        let Some(at) = dotted.chain(indexed).filter(|&i| in_tag(i)).min() else {
            continue;
        };
        let start = line[..at].trim_end_matches('?').trim_end_matches(is_name).len();
        found.push(
            Diagnostic::error("this template draws the QR code from `qr`, which no longer holds it: leaflets would print without their code")
                .in_file(path)
                .at(n + 1, line[..start].chars().count() + 1, Some(src))
                .with_hint("each code is a file now: write `{% if s.qr_src %}<img class=\"qr\" src=\"{{ s.qr_src }}\" alt=\"{{ t.qr_label }}\">{% endif %}` (`b.qr_src` on a booklet's cover), as themes/default does")
                .of_kind(Kind::TemplateError),
        );
    }
    found
}

/// `src` with every `{# comment #}` blanked, a space for each character but line breaks, so
/// that lines and columns stay where they were.
fn without_comments(src: &str) -> String {
    let mut out = String::with_capacity(src.len());
    let mut rest = src;
    while let Some(open) = rest.find("{#") {
        out.push_str(&rest[..open]);
        let close = rest[open..].find("#}").map_or(rest.len(), |c| open + c + 2);
        out.extend(rest[open..close].chars().map(|c| if c == '\n' { c } else { ' ' }));
        rest = &rest[close..];
    }
    out.push_str(rest);
    out
}

fn to_diagnostic(e: &tera::Error, paths: &BTreeMap<String, PathBuf>, theme: &ThemeFiles) -> Diagnostic {
    match e.kind() {
        ErrorKind::SyntaxError(r) | ErrorKind::RenderingError(r) => {
            let file = paths.get(r.filename()).cloned().unwrap_or_else(|| PathBuf::from(r.filename()));
            let source = theme.templates.get(r.filename()).map(|(_, s)| s.as_str());
            Diagnostic::error(format!("template error: {}", r.message()))
                .in_file(file)
                .at(r.span().start_line, r.span().start_col + 1, source)
                .with_hint("fix the template; `brochure check` renders every template for every page")
                .of_kind(Kind::TemplateError)
        }
        _ => Diagnostic::error(format!("template error: {e}"))
            .with_hint("check the theme's templates")
            .of_kind(Kind::TemplateError),
    }
}

impl super::Renderer<'_> {
    /// Renders a template, or reuses the page rendered earlier from identical data.
    pub(super) fn render_template<T: TemplateData>(
        &self,
        name: &str,
        ctx: &T,
        what: &str,
    ) -> Result<Arc<[u8]>, Diagnostic> {
        if !self.cache.remembers_pages() {
            return self.templates.render_file(name, ctx, what, self.theme);
        }
        // The typed data itself is hashed (see `hashing::hash_serialized`), not a text made from it.
        let Some(data) = crate::hashing::hash_serialized(ctx) else {
            return self.templates.render_file(name, ctx, what, self.theme);
        };
        let key = crate::hashing::hash(&(self.templates_hash, name, data));
        self.cache.page(key, || self.templates.render_file(name, ctx, what, self.theme))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn flagged(src: &str) -> Vec<(usize, usize)> {
        retired_qr(std::path::Path::new("t.html"), src).iter().map(|d| (d.line.unwrap(), d.column.unwrap())).collect()
    }

    #[test]
    fn the_old_qr_field_is_found_in_every_spelling_and_only_in_template_code() {
        assert_eq!(flagged("<div>\n  {{ s.qr | safe }}\n</div>"), [(2, 6)]);
        assert_eq!(flagged("{{ b?.qr | safe }}"), [(1, 4)]);
        assert_eq!(flagged("{% if s[\"qr\"] %}x{% endif %}"), [(1, 7)]);
        assert!(flagged(".qr { width: 36mm }\n.p-qr img.qr { }").is_empty(), "CSS");
        assert!(flagged("{{ s.qr_src }} {{ t.qr_label }}").is_empty(), "the new fields");
        assert!(flagged("{# was: {{ s.qr | safe }} #}\n{#\n{{ b.qr }}\n#}").is_empty(), "comments");
        assert!(flagged("<p>s.qr</p>").is_empty(), "text outside tags");
    }
}
