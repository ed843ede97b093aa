//! The assembly after an edit of some sites' files alone (serve): the last assembly with
//! those sites made again, when nothing else can have changed. Even with every unit kept,
//! assembling 50,000 sites walked, grouped and keyed 100,000 files: 100 ms of each save.
//!
//! It applies when the files are the last assembly's, at the same places, and the ones
//! read anew are sites' files whose new unit has the old one's weight, id, address, code
//! and problems. Then every other unit, their order, the uniqueness of codes and addresses
//! and the problems found are the last assembly's; anything else assembles from the start.

use std::sync::Arc;

use super::assemble::Assembly;
use super::groups::Group;
use super::memo::unit_key;
use super::memo::{ModelCache, ProgrammeUnit, SiteUnit};
use super::Brochure;
use crate::diagnostic::Diagnostic;
use crate::hashing::hash;
use crate::load::SourceDoc;

/// What an assembly gave, and how its sites were made: kept by serve's model cache.
pub(super) struct LastAssembly {
    /// The configuration and drafts setting it was made with.
    settings: u64,
    brochure: Brochure,
    problems: Vec<Diagnostic>,
    /// Per document, its site in `sites`, or [`NOT_A_SITE`].
    site_of_doc: Vec<u32>,
    sites: Vec<SiteRecord>,
}

const NOT_A_SITE: u32 = u32::MAX;

/// A site as the last assembly made it.
pub(super) struct SiteRecord {
    /// Its files, in the order of language codes, as indexes of documents.
    pub(super) docs: Vec<u32>,
    /// Its programme's unit and key, which are part of the site's.
    pub(super) programme: Option<(u64, Arc<ProgrammeUnit>)>,
    pub(super) unit: Arc<SiteUnit>,
}

impl LastAssembly {
    pub(super) fn new(settings: u64, brochure: Brochure, problems: Vec<Diagnostic>, sites: Vec<SiteRecord>) -> Self {
        let mut site_of_doc = vec![NOT_A_SITE; brochure.docs.len()];
        for (at, site) in sites.iter().enumerate() {
            for &d in &site.docs {
                site_of_doc[d as usize] = at as u32;
            }
        }
        LastAssembly { settings, brochure, problems, site_of_doc, sites }
    }

    /// The assembly of `docs` when only sites' files differ from the last one's and their
    /// sites keep everything but their facts (`ctx` makes them); `None` otherwise.
    pub(super) fn resume(
        &mut self,
        docs: &[Arc<SourceDoc>],
        settings: u64,
        ctx: &mut Assembly<'_>,
        cache: &ModelCache,
    ) -> Option<(Brochure, Vec<Diagnostic>)> {
        let last = &self.brochure.docs;
        if settings != self.settings || docs.len() != last.len() {
            return None;
        }
        let mut changed: Vec<u32> = Vec::new();
        for (i, (new, old)) in docs.iter().zip(last).enumerate() {
            if Arc::ptr_eq(new, old) {
                continue;
            }
            let site = self.site_of_doc[i];
            if new.path != old.path || site == NOT_A_SITE {
                return None;
            }
            if !changed.contains(&site) {
                changed.push(site);
            }
        }
        let mut programmes = self.brochure.programmes.clone();
        let mut made = Vec::with_capacity(changed.len());
        for &at in &changed {
            let record = &self.sites[at as usize];
            let first = &docs[record.docs[0] as usize];
            let g = Group {
                folder: first.folder.as_deref(),
                stem: &first.stem,
                by_lang: record.docs.iter().map(|&d| (docs[d as usize].lang.as_str(), d as usize)).collect(),
            };
            let (programme_key, programme) = record.programme.as_ref()?;
            let key = hash(&(unit_key("site", settings, &g, docs), Some(*programme_key)));
            let found = programme.found.as_ref();
            let unit = cache.unit(|| key, || ctx.site_unit(g.folder.unwrap_or_default(), &g, found));
            let (old, new) = (record.unit.entry.as_ref()?, unit.entry.as_ref()?);
            let code = |e: &super::Entry<super::SiteFacts>| e.versions[0].facts.code.clone();
            let same_place = unit.weight == record.unit.weight
                && new.id == old.id
                && new.fingerprints().address == old.fingerprints().address
                && code(new) == code(old);
            let same_problems = unit.resolve_problems == record.unit.resolve_problems
                && unit.entry_problems == record.unit.entry_problems;
            if !same_place || !same_problems {
                return None;
            }
            let place = programmes.iter_mut().flat_map(|p| p.sites.iter_mut()).find(|s| Arc::ptr_eq(s, old))?;
            *place = Arc::clone(new);
            made.push((at, unit));
        }
        for (at, unit) in made {
            self.sites[at as usize].unit = unit;
        }
        let b = &self.brochure;
        self.brochure = Brochure { docs: docs.to_vec(), home: Arc::clone(&b.home), programmes, pages: b.pages.clone() };
        Some((self.brochure.clone(), self.problems.clone()))
    }
}

#[cfg(test)]
mod tests {
    use super::super::{assemble, assemble_with, Fingerprints};
    use super::*;
    use crate::config::Config;

    fn config() -> Config {
        crate::yaml::from_str(
            "title: {it: T}\nbase_url: https://e.org/\ndefault_language: it\nlanguages: [{code: it, name: I}, {code: en, name: E}]\n",
        )
        .expect("a configuration")
    }

    fn doc(name: &str, text: String) -> Arc<SourceDoc> {
        let (stem, lang) = name.trim_end_matches(".md").rsplit_once('.').expect("a language in the name");
        let path = format!("content/p/{name}").into();
        Arc::new(SourceDoc::parse(path, Some("p".into()), stem.into(), lang.into(), text).expect("a document"))
    }

    /// The English text of site b: its facts come from the Italian.
    fn translation(title: &str) -> Arc<SourceDoc> {
        doc("b.en.md", format!("---\ntitle: {title}\n---\nText.\n"))
    }

    fn site(name: &str, volunteers: u32, weight: i64, code: &str) -> Arc<SourceDoc> {
        let front = format!("title: \"{name}\"\ncode: \"{code}\"\naddress: \"Via {name}, 1\"\nvolunteers: {volunteers}\nweight: {weight}");
        doc(&format!("{name}.it.md"), format!("---\n{front}\n---\nText.\n"))
    }

    fn files() -> Vec<Arc<SourceDoc>> {
        let programme = doc("_index.it.md", "---\ntype: programme\ntitle: \"P\"\n---\nText.\n".into());
        vec![programme, site("a", 1, 1, "1"), translation("\"B\""), site("b", 2, 2, "2")]
    }

    /// What a brochure shows: every entry's id and fingerprints, in order.
    fn shown(b: &Brochure) -> Vec<(String, Fingerprints)> {
        let mut all = vec![(b.home.id.clone(), b.home.fingerprints())];
        for p in &b.programmes {
            all.push((p.entry.id.clone(), p.entry.fingerprints()));
            all.extend(p.sites.iter().map(|s| (s.id.clone(), s.fingerprints())));
        }
        all
    }

    fn resumed(cache: &ModelCache, config: &Config, docs: &[Arc<SourceDoc>]) -> Option<(Brochure, Vec<Diagnostic>)> {
        let mut ctx = Assembly { config, docs, drafts: false, problems: Vec::new() };
        cache.resume(docs, hash(&(config, false)), &mut ctx)
    }

    #[test]
    fn an_edit_of_a_sites_facts_resumes_the_last_assembly_and_gives_what_assembling_anew_gives() {
        let (config, cache) = (config(), ModelCache::default());
        let mut docs = files();
        let (first, _) = assemble_with(docs.clone(), &[], &config, false, &cache).expect("an assembly");
        docs[3] = site("b", 5, 2, "2");
        let (again, problems) = resumed(&cache, &config, &docs).expect("resumed");
        let (anew, anew_problems) = assemble(docs.clone(), &config, false).expect("an assembly");
        assert_eq!(shown(&again), shown(&anew));
        assert_eq!(problems, anew_problems);
        assert_eq!(again.programmes[0].sites[1].versions[0].facts.volunteers, 5);
        assert!(Arc::ptr_eq(&again.programmes[0].sites[0], &first.programmes[0].sites[0]), "the other site is kept");
        // The resumed assembly is the last one now: a second edit starts from it.
        docs[1] = site("a", 7, 1, "1");
        let (twice, _) = resumed(&cache, &config, &docs).expect("resumed again");
        assert_eq!(shown(&twice), shown(&assemble(docs, &config, false).expect("an assembly").0));
    }

    #[test]
    fn an_edit_that_may_change_more_than_a_sites_facts_assembles_from_the_start() {
        let (config, cache) = (config(), ModelCache::default());
        let docs = files();
        assemble_with(docs.clone(), &[], &config, false, &cache).expect("an assembly");
        let programme = doc("_index.it.md", "---\ntype: programme\ntitle: \"Q\"\n---\nText.\n".into());
        let with = |at: usize, d: Arc<SourceDoc>| {
            let mut docs = docs.clone();
            docs[at] = d;
            docs
        };
        let cases = [
            ("a programme file", with(0, programme)),
            ("a site moved by its weight", with(3, site("b", 2, 0, "2"))),
            ("a site's code", with(3, site("b", 2, 2, "1"))),
            ("a site without its facts", with(3, doc("b.it.md", "---\ntitle: \"b\"\n---\n".into()))),
            ("a translation's broken front matter", with(2, translation("[unclosed"))),
            // The site is still made, in Italian, with an error: the build fails.
            ("a translation that disagrees", with(2, translation("\"B\"\nvolunteers: 9"))),
            ("a file more", [docs.clone(), vec![site("c", 1, 3, "3")]].concat()),
        ];
        for (what, docs) in cases {
            assert!(resumed(&cache, &config, &docs).is_none(), "{what}");
        }
        assert!(resumed(&cache, &config, &docs).is_some(), "the last files as they were");
    }
}
