//! From source files to a [`Brochure`]: grouping translations, inheriting facts,
//! checking required fields and vocabulary keys, and giving every version its URL path.

use std::collections::BTreeMap;
use std::sync::{Arc, OnceLock};

use rayon::prelude::*;
use serde::de::DeserializeOwned;
use serde::Serialize;

use super::front::{self, PageFront, ProgrammeFront, SiteFront};
use super::groups::{self, Group};
use super::memo::{unit_key, ModelCache, PageUnit, ProgrammeUnit, SiteUnit};
use super::resume::{LastAssembly, SiteRecord};
use super::validate::locate;
use super::{slug, validate, Brochure, Entry, PageFacts, Programme, ProgrammeFacts};
use crate::config::Config;
use crate::diagnostic::Diagnostic;
use crate::hashing::hash;
use crate::load::{PageName, SourceDoc};

/// Front-matter types share these accessors so translations are resolved the same way.
trait Front: Serialize + DeserializeOwned + Default + Clone {
    const KEYS: &'static [&'static str];
    /// The facts every language states alike: a translation that gives them must agree.
    const NEUTRAL: &'static [super::agree::Neutral];
    const WHAT: &'static str;
    fn slug(&self) -> Option<&str>;
    fn weight(&self) -> Option<i64>;
    fn draft(&self) -> bool;
}

macro_rules! impl_front {
    ($t:ty, $keys:expr, $neutral:expr, $what:expr) => {
        impl Front for $t {
            const KEYS: &'static [&'static str] = $keys;
            const NEUTRAL: &'static [super::agree::Neutral] = $neutral;
            const WHAT: &'static str = $what;
            fn slug(&self) -> Option<&str> {
                self.slug.as_deref()
            }
            fn weight(&self) -> Option<i64> {
                self.weight
            }
            fn draft(&self) -> bool {
                self.draft.unwrap_or(false)
            }
        }
    };
}
impl_front!(SiteFront, front::SITE_KEYS, super::agree::SITE_NEUTRAL, "site");
impl_front!(ProgrammeFront, front::PROGRAMME_KEYS, super::agree::PROGRAMME_NEUTRAL, "programme");
impl_front!(PageFront, front::PAGE_KEYS, super::agree::PAGE_NEUTRAL, "page");

/// A front matter resolved for one language, before it becomes facts.
pub(super) struct Resolved<T> {
    pub(super) lang: String,
    pub(super) translated: bool,
    /// True for the version shown from the source file itself (not a translation, not a fallback).
    pub(super) source: bool,
    pub(super) doc: usize,
    /// The front matter after inheritance.
    pub(super) front: T,
    /// What this version's own file says, for checks that must blame only that file.
    pub(super) own: T,
    pub(super) slug: String,
}

/// One assembly's inputs, and the problems it has found so far.
pub(super) struct Assembly<'a> {
    pub(super) config: &'a Config,
    pub(super) docs: &'a [Arc<SourceDoc>],
    pub(super) drafts: bool,
    pub(super) problems: Vec<Diagnostic>,
}

/// Builds the brochure; on failure returns every error found (warnings included).
pub fn assemble(
    docs: Vec<Arc<SourceDoc>>,
    config: &Config,
    drafts: bool,
) -> Result<(Brochure, Vec<Diagnostic>), Vec<Diagnostic>> {
    assemble_with(docs, &[], config, drafts, &ModelCache::for_one_build())
}

/// As [`assemble`], reusing the entries `cache` made from the same files earlier (serve).
/// The pages in `unreadable` have a file whose problem load reported: they are left out,
/// and so is every consequence of their absence.
pub fn assemble_with(
    docs: Vec<Arc<SourceDoc>>,
    unreadable: &[PageName],
    config: &Config,
    drafts: bool,
    cache: &ModelCache,
) -> Result<(Brochure, Vec<Diagnostic>), Vec<Diagnostic>> {
    let settings = if cache.remembers() { hash(&(config, drafts)) } else { 0 };
    let mut ctx = Assembly { config, docs: &docs, drafts, problems: Vec::new() };
    if cache.remembers() && unreadable.is_empty() {
        if let Some(resumed) = cache.resume(&docs, settings, &mut ctx) {
            return Ok(resumed);
        }
    }
    let unreadable =
        |folder: Option<&str>, stem: &str| unreadable.iter().any(|n| n.folder.as_deref() == folder && n.stem == stem);
    let (mut groups, twice) = groups::group(&docs, config);
    // A page with a file in error is that file's problem alone.
    groups.retain(|g| {
        !unreadable(g.folder, g.stem) && !twice.iter().any(|(f, s, _)| f.as_deref() == g.folder && s == g.stem)
    });
    let key_of = |kind: &str, g: &Group| unit_key(kind, settings, g, &docs);
    cache.start();
    // Problems are reported in file order: one slot per group.
    let mut slots: Vec<Vec<Diagnostic>> = Vec::new();
    let mut home = None;
    let mut pages = Vec::new();
    // A programme's key is part of each of its sites' keys: made once, when first needed.
    let mut programmes: BTreeMap<&str, (&Group, OnceLock<u64>, Arc<ProgrammeUnit>)> = BTreeMap::new();
    let mut site_groups: Vec<(usize, &str, &Group)> = Vec::new();
    for g in &groups {
        let slot = slots.len();
        match (g.folder, g.stem) {
            (None, stem) => {
                let is_home = stem == "_index";
                let unit = cache.unit(|| key_of("page", g), || ctx.page_unit(g, is_home));
                slots.push(unit.problems.clone());
                match &unit.entry {
                    Some(e) if is_home => home = Some(Arc::clone(e)),
                    Some(e) => pages.push((unit.weight, Arc::clone(e))),
                    None => {}
                }
            }
            (Some(folder), "_index") => {
                let key = OnceLock::new();
                let unit = cache.unit(|| *key.get_or_init(|| key_of("programme", g)), || ctx.programme_unit(folder, g));
                slots.push(unit.problems.clone());
                programmes.insert(folder, (g, key, unit));
            }
            (Some(folder), _) => {
                slots.push(Vec::new());
                site_groups.push((slot, folder, g));
            }
        }
    }
    // A site is made with its programme's facts and addresses, so its key includes them.
    // Sites are made in parallel (their front matter is most of a large site's reading), and
    // what they found is put in file order.
    let programme_key = |(g, key, _): &(&Group, OnceLock<u64>, _)| *key.get_or_init(|| key_of("programme", g));
    let made: Vec<Arc<SiteUnit>> = site_groups
        .par_iter()
        .map(|&(_, folder, g)| {
            let programme = programmes.get(folder);
            let found = programme.and_then(|(_, _, u)| u.found.as_ref());
            let key = || hash(&(key_of("site", g), programme.map(programme_key)));
            let mut ctx = Assembly { config, docs: &docs, drafts, problems: Vec::new() };
            cache.unit(key, || ctx.site_unit(folder, g, found))
        })
        .collect();
    let mut sites: BTreeMap<&str, Vec<Arc<SiteUnit>>> = BTreeMap::new();
    let mut records = Vec::new();
    for ((slot, folder, g), unit) in site_groups.into_iter().zip(made) {
        slots[slot] = unit.resolve_problems.clone();
        if cache.remembers() {
            let programme = programmes.get(folder).map(|p| (programme_key(p), Arc::clone(&p.2)));
            let docs = g.by_lang.iter().map(|&(_, i)| i as u32).collect();
            records.push(SiteRecord { docs, programme, unit: Arc::clone(&unit) });
        }
        sites.entry(folder).or_default().push(unit);
    }

    let mut problems: Vec<Diagnostic> = twice.into_iter().map(|(_, _, d)| d).collect();
    problems.extend(slots.into_iter().flatten());
    for (folder, list) in &sites {
        let first = list.iter().find_map(|u| u.resolved.as_ref());
        let known = programmes.contains_key(folder) || unreadable(Some(folder), "_index");
        if let (false, Some(first)) = (known, first) {
            problems.push(
                Diagnostic::error(format!("content/{folder}/ has sites but no programme file"))
                    .in_file(first)
                    .with_hint(format!(
                        "create content/{folder}/_index.{}.md with `type: programme` and a title",
                        config.default_language
                    )),
            );
        }
    }
    let mut built: Vec<(Option<i64>, Programme)> = Vec::new();
    for (folder, (_, _, unit)) in &programmes {
        let Some((entry, _)) = &unit.found else { continue };
        let mut list = Vec::new();
        for site in sites.get(folder).map(Vec::as_slice).unwrap_or_default() {
            problems.extend(site.entry_problems.iter().cloned());
            if let Some(e) = &site.entry {
                list.push((site.weight, Arc::clone(e)));
            }
        }
        if list.is_empty() {
            problems.extend(validate::no_site_yet(folder, entry, &problems));
        }
        built.push((unit.weight, Programme { entry: Arc::clone(entry), sites: sort_by_weight(list) }));
    }

    let home = home.unwrap_or_else(|| Arc::new(synthetic_home(config)));
    let brochure = Brochure { docs, home, programmes: sort_by_weight(built), pages: sort_by_weight(pages) };
    // The same addresses and codes give the same answer; where a finding points in its file
    // may not be the same, so an answer with findings is made again.
    let unique =
        cache.unit(|| hash(&("unique", validate::unique_key(&brochure))), || validate::check_unique(&brochure));
    match (unique.is_empty(), cache.remembers()) {
        (true, _) => {}
        (false, true) => problems.extend(validate::check_unique(&brochure)),
        (false, false) => problems.extend(unique.iter().cloned()),
    }
    cache.finish();
    if problems.iter().any(Diagnostic::is_error) {
        return Err(problems);
    }
    if cache.remembers() {
        cache.keep_last(LastAssembly::new(settings, brochure.clone(), problems.clone(), records));
    }
    Ok((brochure, problems))
}

/// Sorts by weight (weighted first, ascending), then by id, so that order never depends on
/// the file system.
fn sort_by_weight<T: HasId>(mut list: Vec<(Option<i64>, T)>) -> Vec<T> {
    list.sort_by(|(wa, a), (wb, b)| (wa.is_none(), wa, a.id()).cmp(&(wb.is_none(), wb, b.id())));
    list.into_iter().map(|(_, t)| t).collect()
}

trait HasId {
    fn id(&self) -> &str;
}
impl<F> HasId for Arc<Entry<F>> {
    fn id(&self) -> &str {
        &self.id
    }
}
impl HasId for Programme {
    fn id(&self) -> &str {
        &self.entry.id
    }
}

/// A home page for a site whose writers have not made one yet: the config title in every language.
fn synthetic_home(config: &Config) -> Entry<PageFacts> {
    Entry::generated(config, "", |lang| config.pick(&config.title, lang).to_string(), |_| String::new())
}

pub(super) fn lang_prefix(config: &Config, lang: &str) -> String {
    if lang == config.default_language {
        String::new()
    } else {
        format!("{lang}/")
    }
}

impl Assembly<'_> {
    fn page_unit(&mut self, g: &Group, home: bool) -> PageUnit {
        let before = self.problems.len();
        let (weight, entry) = match self.resolve::<PageFront>(g) {
            Some((w, r)) => (w, Some(Arc::new(self.page_entry(if home { "" } else { g.stem }, r, home)))),
            None => (None, None),
        };
        PageUnit { weight, entry, problems: self.problems.split_off(before) }
    }

    /// `None` found: a draft (its sites wait with it), or a file with errors (reported).
    fn programme_unit(&mut self, folder: &str, g: &Group) -> ProgrammeUnit {
        let before = self.problems.len();
        let (weight, found) = match self.resolve::<ProgrammeFront>(g) {
            Some((w, r)) => {
                let slugs = r.iter().map(|v| v.slug.clone()).collect();
                (w, Some((Arc::new(self.programme_entry(folder, r)), slugs)))
            }
            None => (None, None),
        };
        ProgrammeUnit { weight, found, problems: self.problems.split_off(before) }
    }

    pub(super) fn site_unit(
        &mut self,
        folder: &str,
        g: &Group,
        programme: Option<&(Arc<Entry<ProgrammeFacts>>, Vec<String>)>,
    ) -> SiteUnit {
        let before = self.problems.len();
        let found = self.resolve::<SiteFront>(g);
        let resolve_problems = self.problems.split_off(before);
        let Some((weight, resolved)) = found else {
            return SiteUnit {
                weight: None,
                resolved: None,
                resolve_problems,
                entry: None,
                entry_problems: Vec::new(),
            };
        };
        let first = self.docs[resolved[0].doc].path.clone();
        let entry = programme.and_then(|(entry, slugs)| self.site_entry(folder, slugs, entry, resolved)).map(Arc::new);
        SiteUnit {
            weight,
            resolved: Some(first),
            resolve_problems,
            entry,
            entry_problems: self.problems.split_off(before),
        }
    }

    /// Parses every language's file of a group and fills missing languages with the
    /// source file; `None` when the group is a draft or has errors (already reported).
    fn resolve<T: Front>(&mut self, g: &Group) -> Option<(Option<i64>, Vec<Resolved<T>>)> {
        let mut parsed: BTreeMap<&str, (usize, T)> = BTreeMap::new();
        for &(lang, i) in &g.by_lang {
            match front::parse::<T>(&self.docs[i], T::KEYS, T::WHAT) {
                Ok(f) => {
                    parsed.insert(lang, (i, f));
                }
                Err(d) => self.problems.push(d),
            }
        }
        if parsed.len() != g.by_lang.len() {
            return None;
        }
        let default = self.config.default_language.as_str();
        let source_lang = default;
        let Some((source_doc, source)) = parsed.get(default).cloned() else {
            let (_, &(i, _)) = parsed.iter().next()?;
            self.problems.push(super::agree::orphan(&self.docs[i], self.config));
            return None;
        };
        if source.draft() && !self.drafts {
            return None;
        }
        // Each file's front matter as JSON, made once for the checks and the inheritance.
        let source_json = front::as_json(&source);
        let mut translations = BTreeMap::new();
        for (lang, (i, own)) in &parsed {
            if *lang != source_lang && (!own.draft() || self.drafts) {
                let own_json = front::as_json(own);
                if let (Some(original), Some(translation)) = (&source_json, &own_json) {
                    let (source_file, file) = (&self.docs[source_doc], &self.docs[*i]);
                    let found = super::agree::disagreements(source_file, original, file, translation, T::NEUTRAL);
                    self.problems.extend(found);
                }
                translations.insert(*lang, own_json);
            }
        }
        let name_slug = slug::from_name(g.folder.filter(|_| g.stem == "_index").unwrap_or(g.stem));
        let mut out = Vec::new();
        for lang in &self.config.languages {
            let (doc, front, own, translated) = match parsed.get(lang.code.as_str()) {
                Some((i, own)) if !own.draft() || self.drafts => {
                    // Only translations inherit: the original's own file is not among them.
                    let front = match (&source_json, translations.remove(lang.code.as_str()).flatten()) {
                        (Some(base), Some(top)) => front::inherit_json(base, top, own),
                        _ => own.clone(),
                    };
                    (*i, front, own.clone(), true)
                }
                _ => (source_doc, source.clone(), source.clone(), false),
            };
            let slug = match front.slug() {
                Some(s) => match slug::validate(s) {
                    Ok(()) => s.to_string(),
                    Err(e) => {
                        let d = locate(Diagnostic::error(e), &self.docs[doc], "slug")
                            .with_hint("a slug is one part of an address: letters, digits and hyphens, e.g. `slug: public-housing`");
                        self.problems.push(d);
                        return None;
                    }
                },
                None => name_slug.clone(),
            };
            if slug.is_empty() {
                self.problems.push(
                    Diagnostic::error("cannot make an address from this file name")
                        .in_file(&self.docs[doc].path)
                        .with_hint(
                            "rename the file with letters or digits, or add `slug: my-page` to the front matter",
                        ),
                );
                return None;
            }
            // An address made from a file name follows the rule for written slugs (`nul.it.md`).
            if let Err(p) = slug::check(&slug, slug::Alphabet::Address) {
                self.problems.push(
                    Diagnostic::error(p.describe("the address made from this file name", &slug))
                        .in_file(&self.docs[doc].path)
                        .with_hint("rename the file, or add `slug: my-page` to the front matter"),
                );
                return None;
            }
            let is_source = translated && lang.code == source_lang;
            out.push(Resolved { lang: lang.code.clone(), translated, source: is_source, doc, front, own, slug });
        }
        Some((source.weight(), out))
    }
}
