//! The translations report: pages missing a translation, translations older than their
//! source, and translated sites whose programme is not translated.
//!
//! A translation made with `brochure new translation` carries `translated_from:`, a stamp
//! of its source file's text (see [`crate::stamp`]). When the source changes, its stamp no
//! longer matches and the translation is reported as older than its source until the writer
//! updates it and runs `brochure stamp FILE`. Stamps live in the files themselves, so the
//! check works without git, on any copy of the project.

use std::collections::HashMap;

use crate::config::Config;
use crate::diagnostic::{Diagnostic, Kind};
use crate::load::SourceDoc;
use crate::model::{Brochure, Entry};
use crate::stamp;

/// The content files by (folder, stem, language).
type Files<'b> = HashMap<(Option<&'b str>, &'b str, &'b str), &'b SourceDoc>;

pub fn check(b: &Brochure, config: &Config) -> Vec<Diagnostic> {
    let default = config.default_language.as_str();
    let name = |code: &str| config.language(code).map_or_else(|| code.to_string(), |l| l.name.clone());
    let mut found = Vec::new();
    // Every file by page and language, the first of each (drafts included): looked up once
    // per page instead of searched, so the report stays linear at 100,000 pages.
    let mut files: Files = HashMap::with_capacity(b.docs.len());
    for d in &b.docs {
        files.entry((d.folder.as_deref(), d.stem.as_str(), d.lang.as_str())).or_insert(d);
    }
    let files = &files;
    for p in &b.pages {
        report(files, b, p, default, "page", &name, &mut found);
    }
    for prog in &b.programmes {
        report(files, b, &prog.entry, default, "programme", &name, &mut found);
        for site in &prog.sites {
            report(files, b, site, default, "site", &name, &mut found);
            for v in site.versions.iter().filter(|v| v.translated) {
                if !prog.entry.version(&v.lang).translated {
                    if let Some(doc) = b.doc(v) {
                        found.push(
                            Diagnostic::warning(format!(
                                "this site is translated into {} but its programme is not",
                                name(&v.lang)
                            ))
                            .of_kind(Kind::ProgrammeNotTranslated)
                            .in_file(&doc.path)
                            .with_hint(format!(
                                "translate the programme too: brochure new translation content/{}/_index.{}.md {}",
                                prog.entry.id, config.default_language, v.lang
                            )),
                        );
                    }
                }
            }
        }
    }
    found
}

fn report<F>(
    files: &Files,
    b: &Brochure,
    e: &Entry<F>,
    default: &str,
    what: &str,
    name: &dyn Fn(&str) -> String,
    found: &mut Vec<Diagnostic>,
) {
    // The source is the default-language file, or the first translation when it has none.
    let source = e.versions.iter().filter(|v| v.translated).min_by_key(|v| v.lang != default).and_then(|v| b.doc(v));
    let Some(source) = source else { return };
    for v in &e.versions {
        let Some(doc) = b.doc(v) else { continue };
        let draft = files.get(&(source.folder.as_deref(), source.stem.as_str(), v.lang.as_str())).copied();
        if let (false, Some(draft)) = (v.translated, draft) {
            found.push(
                Diagnostic::warning(format!(
                    "the {} translation is a draft: the site shows the {} text",
                    name(&v.lang),
                    name(&source.lang)
                ))
                .of_kind(Kind::DraftTranslation)
                .in_file(&draft.path)
                .with_hint("when the translation is ready, set `draft: false`"),
            );
        } else if !v.translated {
            found.push(
                Diagnostic::warning(format!("this {what} has no {} translation ({})", name(&v.lang), v.lang))
                    .of_kind(Kind::MissingTranslation)
                    .in_file(&source.path)
                    .with_hint(format!(
                        "until it has one, the {} site shows this text; create it with: brochure new translation {} {}",
                        name(&v.lang),
                        source.path.display(),
                        v.lang
                    )),
            );
        } else if doc.lang != source.lang {
            if untranslated(doc.body(), source.body()) {
                found.push(
                    Diagnostic::warning(format!(
                        "this {} translation has the same text as its original {}",
                        name(&v.lang),
                        source.path.display()
                    ))
                    .of_kind(Kind::UntranslatedText)
                    .in_file(&doc.path)
                    .at(doc.body_line, 1, Some(&doc.text))
                    .with_hint(format!(
                        "translate the text into {}, or set `draft: true` until it is translated",
                        name(&v.lang)
                    )),
                );
            }
            let Some(stamp) = stamp::read_stamp(doc.front()) else { continue };
            if stamp != stamp::source_stamp(&source.text) {
                found.push(
                    Diagnostic::warning(format!("this translation is older than its source {}", source.path.display()))
                        .of_kind(Kind::StaleTranslation)
                        .in_file(&doc.path)
                        .with_hint(format!(
                            "the source changed after this translation was made: update it, then run `brochure stamp {}`",
                            doc.path.display()
                        )),
                );
            }
        }
    }
}

/// Whether a translation's text is its source's, word for word (blank lines and spacing
/// aside); an empty text is not a translation left undone.
fn untranslated(translation: &str, source: &str) -> bool {
    translation.split_whitespace().next().is_some() && translation.split_whitespace().eq(source.split_whitespace())
}
