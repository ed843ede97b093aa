//! The translations report: pages missing a translation, translations older than their
//! source, and translated sites whose programme is not translated.
//!
//! A translation made with `brochure new translation` carries `translated_from:`, a stamp
//! of its source file's text (see [`crate::stamp`]). When the source changes, its stamp no
//! longer matches and the translation is reported as older than its source until the writer
//! updates it and runs `brochure stamp FILE`. Stamps live in the files themselves, so the
//! check works without git, on any copy of the project.

use std::collections::HashMap;
use std::sync::Mutex;

use crate::config::Config;
use crate::diagnostic::{Diagnostic, Kind};
use crate::load::SourceDoc;
use crate::model::{Brochure, Entry, Place};
use crate::stamp;

/// The content files by (folder, stem, language).
type Files<'b> = HashMap<(Option<&'b str>, &'b str, &'b str), &'b SourceDoc>;

/// serve: whether each translation repeats its source's text and whether it is older than
/// its source, under the stamps of the two files: comparing and hashing every text again
/// on each save cost 20 ms at 10,000 pages.
#[derive(Default)]
pub struct Memo {
    remembers: bool,
    compared: Mutex<Comparisons>,
}

/// The number of the current check, and each comparison under the two files' stamps with
/// the number of the last check that used it.
type Comparisons = (u64, HashMap<(u64, u64), (Compared, u64)>);

/// What comparing a translation with its source found.
#[derive(Debug, Clone, Copy)]
struct Compared {
    same_text: bool,
    older: bool,
}

impl Memo {
    pub fn remembering() -> Memo {
        Memo { remembers: true, ..Memo::default() }
    }

    /// Compares a translation with its source; either file may have to be read again
    /// (see [`SourceDoc::body`]), which fails if it changed since the build read it.
    fn compare(&self, doc: &SourceDoc, source: &SourceDoc) -> Result<Compared, Diagnostic> {
        let compare = || -> Result<Compared, Diagnostic> {
            let older = match stamp::read_stamp(doc.front()) {
                Some(s) => s != stamp::source_stamp(&source.text()?),
                None => false,
            };
            Ok(Compared { same_text: doc.same_words(source)?, older })
        };
        if !self.remembers {
            return compare();
        }
        let key = (doc.stamp(), source.stamp());
        let mut compared = self.lock();
        let (check, ref mut known) = *compared;
        if let Some(entry) = known.get_mut(&key) {
            entry.1 = check;
            return Ok(entry.0);
        }
        let found = compare()?;
        known.insert(key, (found, check));
        Ok(found)
    }

    /// Starts a check: what the previous one did not use is forgotten.
    fn start(&self) {
        let mut compared = self.lock();
        let (check, known) = &mut *compared;
        known.retain(|_, (_, used)| *used == *check);
        *check += 1;
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Comparisons> {
        self.compared.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// The findings of each page, programme and site, in the report's order.
pub type Slots = Vec<(Place, Vec<Diagnostic>)>;

pub fn check(b: &Brochure, config: &Config, memo: &Memo) -> Slots {
    memo.start();
    // Every file by page and language, the first of each (drafts included): looked up once
    // per page instead of searched, so the report stays linear at 100,000 pages.
    let mut files: Files = HashMap::with_capacity(b.docs.len());
    for d in &b.docs {
        files.entry((d.folder.as_deref(), d.stem.as_str(), d.lang.as_str())).or_insert(d);
    }
    let mut slots = Vec::with_capacity(b.docs.len());
    slots.extend((0..b.pages.len()).map(Place::Page));
    for (p, prog) in b.programmes.iter().enumerate() {
        slots.push(Place::Programme(p));
        slots.extend((0..prog.sites.len()).map(|s| Place::Site(p, s)));
    }
    slots.into_iter().map(|place| (place, entry_report(b, config, memo, &files, place))).collect()
}

/// The findings of the entries at `places` of `b`, whose files are those of the brochure
/// last checked but for the bodies of some (serve, after an edit of bodies alone).
pub fn check_again(b: &Brochure, config: &Config, memo: &Memo, places: &[Place]) -> Vec<Vec<Diagnostic>> {
    places
        .iter()
        .map(|&place| {
            let first = match place {
                Place::Home => first_doc(&b.home),
                Place::Page(i) => first_doc(&b.pages[i]),
                Place::Programme(p) => first_doc(&b.programmes[p].entry),
                Place::Site(p, s) => first_doc(&b.programmes[p].sites[s]),
            };
            // The files of the entry's page, drafts included: the report looks for those alone.
            let mut files: Files = HashMap::new();
            if let Some(first) = first {
                let same_page = |d: &&std::sync::Arc<SourceDoc>| d.folder == first.folder && d.stem == first.stem;
                for d in b.docs.iter().filter(same_page) {
                    files.entry((d.folder.as_deref(), d.stem.as_str(), d.lang.as_str())).or_insert(d);
                }
            }
            entry_report(b, config, memo, &files, place)
        })
        .collect()
}

fn first_doc<F>(e: &Entry<F>) -> Option<&SourceDoc> {
    e.versions.iter().find_map(|v| v.doc.as_deref())
}

fn entry_report(b: &Brochure, config: &Config, memo: &Memo, files: &Files, place: Place) -> Vec<Diagnostic> {
    let default = config.default_language.as_str();
    let name = |code: &str| config.language(code).map_or_else(|| code.to_string(), |l| l.name.clone());
    let context = Context { files, b, default, name: &name, memo };
    let mut found = Vec::new();
    match place {
        Place::Home => {}
        Place::Page(i) => report(&context, &b.pages[i], "page", &mut found),
        Place::Programme(p) => report(&context, &b.programmes[p].entry, "programme", &mut found),
        Place::Site(p, s) => {
            let (prog, site) = (&b.programmes[p], &b.programmes[p].sites[s]);
            report(&context, site, "site", &mut found);
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

/// What every entry's report reads.
struct Context<'c> {
    files: &'c Files<'c>,
    b: &'c Brochure,
    default: &'c str,
    name: &'c dyn Fn(&str) -> String,
    memo: &'c Memo,
}

fn report<F>(context: &Context, e: &Entry<F>, what: &str, found: &mut Vec<Diagnostic>) {
    let Context { files, b, default, name, memo } = *context;
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
            let compared = match memo.compare(doc, source) {
                Ok(compared) => compared,
                Err(e) => {
                    found.push(e);
                    continue;
                }
            };
            if compared.same_text {
                found.push(
                    Diagnostic::warning(format!(
                        "this {} translation has the same text as its original {}",
                        name(&v.lang),
                        source.path.display()
                    ))
                    .of_kind(Kind::UntranslatedText)
                    .in_file(&doc.path)
                    .at(doc.body_line, 1, doc.text().ok().as_deref())
                    .with_hint(format!(
                        "translate the text into {}, or set `draft: true` until it is translated",
                        name(&v.lang)
                    )),
                );
            }
            if compared.older {
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
