//! serve's sequence of builds: what one build keeps for the next, and the short ways
//! through an edit of bodies alone (the text under a front matter, the usual save while
//! writing) and of some sites' facts alone (a number of volunteers, opening hours).

use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::{load_and_model, BuildError, BuildOptions, Loaded, Prepared};
use crate::check;
use crate::config::Config;
use crate::diagnostic::Diagnostic;
use crate::load::{self, ContentStore, SourceDoc};
use crate::model::{self, Brochure, ModelCache};
use crate::render::{self, RenderCache};

/// What changed since the last build of a [`Session`].
#[derive(Debug, Clone)]
pub enum Changes {
    /// Unknown: read everything again.
    Everything,
    /// These paths (files or folders, absolute or under the project root as given) changed,
    /// appeared or were deleted; nothing else did.
    Paths(Vec<PathBuf>),
}

/// What one build keeps for the next (serve): the files read, the entries assembled and
/// the pages rendered, each under keys of what made them, so that a build after a change
/// does the work of that change only. A one-off build keeps nothing.
pub struct Session {
    /// The content as last read, and the configuration it was read with.
    content: Option<(Config, ContentStore)>,
    /// Whether documents keep their bodies: all but `build` do, which reads each body again
    /// as it renders it rather than hold them all.
    reading: load::Reading,
    pub(super) model: ModelCache,
    pub(super) render: RenderCache,
    review: check::Memo,
    /// The last build, when it succeeded: an edit of bodies alone starts from it.
    last: Option<LastBuild>,
}

/// A successful build's site and what was found making it, before its own render and review.
struct LastBuild {
    config: Config,
    brochure: Arc<Brochure>,
    theme: Arc<load::ThemeFiles>,
    /// The problems found loading and assembling the site (warnings only: it was built).
    warnings: Vec<Diagnostic>,
}

impl Session {
    /// A session for a sequence of builds of one project.
    pub fn remembering() -> Session {
        Session {
            content: None,
            reading: load::Reading::KeepBody,
            model: ModelCache::default(),
            render: RenderCache::default(),
            review: check::Memo::remembering(),
            last: None,
        }
    }

    pub(super) fn one_off() -> Session {
        Session::one_off_reading(load::Reading::KeepBody)
    }

    /// A session for one build, reading documents as `reading` says.
    pub(super) fn one_off_reading(reading: load::Reading) -> Session {
        Session {
            content: None,
            reading,
            model: ModelCache::for_one_build(),
            render: RenderCache::for_one_build(),
            review: check::Memo::for_one_build(),
            last: None,
        }
    }

    /// The content, read again where `changes` says (all of it when the configuration changed).
    pub(super) fn content(
        &mut self,
        root: &Path,
        config: &Config,
        changes: &Changes,
    ) -> (load::Content, Vec<Diagnostic>) {
        let store = match (self.content.take(), changes) {
            (Some((before, mut store)), Changes::Paths(paths)) if before == *config => {
                store.refresh(config, paths);
                store
            }
            _ => ContentStore::read(root, config, self.reading),
        };
        let content = store.content();
        if self.render.remembers_pages() {
            self.content = Some((config.clone(), store));
        }
        content
    }

    /// Every file of the last build, when it succeeded: after an edit of bodies alone,
    /// [`Prepared`] holds only the files made again.
    pub fn outputs(&self) -> Option<Vec<render::Output>> {
        self.render.outputs()
    }

    /// Starts the next build afresh: what the last one made is not what is being served.
    pub fn forget_last(&mut self) {
        self.last = None;
    }

    /// Reads again the files `changes` names when the last build succeeded, and tells
    /// whether the change was to bodies alone.
    fn read_changes(&mut self, changes: &Changes) -> Read {
        let (Changes::Paths(paths), Some(last), Some((config, store))) = (changes, &self.last, &mut self.content)
        else {
            return Read::NotYet;
        };
        if *config != last.config {
            return Read::NotYet;
        }
        match store.refresh_docs(config, paths) {
            load::Refreshed::Bodies(docs) => Read::Bodies(docs),
            load::Refreshed::Documents => Read::Documents,
            load::Refreshed::More => Read::More,
        }
    }
}

/// What [`Session::read_changes`] did.
enum Read {
    /// Nothing: the whole build reads the changes.
    NotYet,
    /// The changes were read, and are more than documents already read.
    More,
    /// The changes were read: documents already read, some front matters among them.
    Documents,
    /// The changes were read: new readings of bodies alone, as (old, new).
    Bodies(Vec<(Arc<SourceDoc>, Arc<SourceDoc>)>),
}

/// As [`super::prepare`], redoing only what `changes` reach of what `session` remembers (serve).
pub fn prepare_in(opts: &BuildOptions, session: &mut Session, changes: &Changes) -> Result<Prepared, BuildError> {
    // Once the store has read the paths, the whole build must not read them again.
    let read = Changes::Paths(Vec::new());
    let result = match session.read_changes(changes) {
        Read::Bodies(docs) => match prepare_bodies(session, &docs) {
            Some(result) => result,
            None => prepare_whole(opts, session, &read, false),
        },
        Read::Documents => prepare_whole(opts, session, &read, true),
        Read::More => prepare_whole(opts, session, &read, false),
        Read::NotYet => prepare_whole(opts, session, changes, false),
    };
    if result.is_err() {
        session.last = None;
    }
    result
}

/// The site made from everything read again; with `documents` (only documents already
/// read changed), only the pages that show the sites whose entries changed are made again
/// when nothing else changed (`render::patch_facts`).
fn prepare_whole(
    opts: &BuildOptions,
    session: &mut Session,
    changes: &Changes,
    documents: bool,
) -> Result<Prepared, BuildError> {
    let last = session.last.take().filter(|_| documents);
    let Loaded { config, brochure, theme, assets, warnings, .. } = load_and_model(opts, session, changes)?;
    let mut findings = warnings.clone();
    let brochure = Arc::new(brochure);
    let edits =
        last.filter(|last| last.config == config).and_then(|last| model::changed_sites(&last.brochure, &brochure));
    let patched = edits.and_then(|edits| render::patch_facts(&brochure, &config, &theme, &session.render, &edits));
    let rendered = match patched {
        Some(rendered) => rendered,
        None => render::render(&brochure, &config, &theme, &assets, &session.render),
    };
    let mut rendered = match rendered {
        Ok(r) => r,
        Err(mut found) => {
            findings.append(&mut found);
            return Err(BuildError::Invalid(findings));
        }
    };
    findings.append(&mut rendered.warnings);
    session.review.offer(&rendered.body_links);
    let index = (&*rendered.links, rendered.site_key);
    // A patched render holds only the files made again: every other is kept by the cache.
    let outputs = || match rendered.patched {
        true => session.render.outputs().unwrap_or_default().iter().map(|o| Arc::clone(&o.path)).collect(),
        false => rendered.outputs.iter().map(|o| Arc::clone(&o.path)).collect(),
    };
    findings.extend(check::review(&brochure, &config, outputs, index, &session.review));
    if session.render.remembers_pages() {
        let theme = Arc::new(theme);
        session.last = Some(LastBuild { config: config.clone(), brochure: Arc::clone(&brochure), theme, warnings });
    }
    Ok(Prepared { config, brochure, rendered, findings })
}

/// The build after an edit of `docs`' bodies alone: the last build's site with the pages that
/// show them made again, and their findings judged again. `None` when the last build cannot
/// be started from (then build the whole site).
fn prepare_bodies(session: &mut Session, docs: &model::Bodies) -> Option<Result<Prepared, BuildError>> {
    let mut last = session.last.take()?;
    let touched = model::put_bodies(&mut last.brochure, docs);
    let brochure = Arc::clone(&last.brochure);
    let mut findings = last.warnings.clone();
    let mut rendered = match render::patch(&brochure, &last.config, &last.theme, &session.render, &touched)? {
        Ok(rendered) => rendered,
        Err(mut found) => {
            findings.append(&mut found);
            return Some(Err(BuildError::Invalid(findings)));
        }
    };
    findings.append(&mut rendered.warnings);
    session.review.offer(&rendered.body_links);
    // Every file is the last build's: the review judges again only the files read anew.
    let outputs = || session.render.outputs().unwrap_or_default().iter().map(|o| Arc::clone(&o.path)).collect();
    let index = (&*rendered.links, rendered.site_key);
    let reviewed = check::review(&brochure, &last.config, outputs, index, &session.review);
    findings.extend(reviewed);
    let config = last.config.clone();
    session.last = Some(last);
    Some(Ok(Prepared { config, brochure, rendered, findings }))
}
