//! The theme's Tera templates, compiled once per build; Tera errors become diagnostics
//! that point at the template file and line.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::Arc;

use serde::Serialize;
use tera::{Context, ErrorKind, Tera};

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
    pub fn render<T: Serialize>(
        &self,
        name: &str,
        ctx: &T,
        page: &str,
        theme: &ThemeFiles,
    ) -> Result<String, Diagnostic> {
        let context = Context::from_serialize(ctx)
            .map_err(|e| Diagnostic::error(format!("cannot prepare the page data: {e}")))?;
        self.tera.render(name, &context).map_err(|e| {
            let mut d = to_diagnostic(&e, &self.paths, theme);
            d.message = format!("{} (while rendering {page})", d.message);
            d
        })
    }
}

/// Where a template still draws a QR code from `qr`, which held the drawing inline until
/// the codes became files of their own: Tera shows an unknown field as nothing, so a theme
/// copied before (`brochure init` writes one into every project) would print leaflets
/// without their code, and say nothing.
fn retired_qr(path: &std::path::Path, src: &str) -> Vec<Diagnostic> {
    let is_name = |c: char| c.is_alphanumeric() || c == '_';
    let mut found = Vec::new();
    for (n, line) in src.lines().enumerate() {
        // `s.qr` inside `{{ }}` or `{% %}`; not the class `.qr` of the theme's CSS.
        let in_tag = |i: usize| {
            let opened = line[..i].rfind("{{").max(line[..i].rfind("{%"));
            opened.is_some_and(|o| line[o..i].find("}}").or(line[o..i].find("%}")).is_none())
        };
        let Some(at) = line
            .match_indices(".qr")
            .map(|(i, _)| i)
            .find(|&i| !line[i + 3..].starts_with(is_name) && line[..i].ends_with(is_name) && in_tag(i))
        else {
            continue;
        };
        let start = line[..at].trim_end_matches(is_name).len();
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
    pub(super) fn render_template<T: serde::Serialize>(
        &self,
        name: &str,
        ctx: &T,
        what: &str,
    ) -> Result<Arc<str>, Diagnostic> {
        if !self.cache.remembers_pages() {
            return self.templates.render(name, ctx, what, self.theme).map(Arc::from);
        }
        // The typed data itself is hashed (see `hashing::hash_serialized`), not a text made from it.
        let Some(data) = crate::hashing::hash_serialized(ctx) else {
            return self.templates.render(name, ctx, what, self.theme).map(Arc::from);
        };
        let key = crate::hashing::hash(&(self.templates_hash, name, data));
        self.cache.page(key, || self.templates.render(name, ctx, what, self.theme))
    }
}
