//! From the front matter resolved for each language to entries: every version's facts,
//! its URL path, and the required fields a version lacks.

use std::sync::Arc;

use super::assemble::{lang_prefix, Assembly, Resolved};
use super::front::{PageFront, ProgrammeFront, SiteFront};
use super::validate::{locate, unknown_key};
use super::{Entry, PageFacts, ProgrammeFacts, SiteFacts, Version};
use crate::diagnostic::Diagnostic;

impl Assembly<'_> {
    /// The title; a missing one is reported on the source file only, so that it is reported once.
    fn title(&mut self, r_source: bool, title: &Option<String>, doc: usize, what: &str) -> Option<String> {
        match title.as_deref().map(str::trim) {
            Some(t) if !t.is_empty() => Some(t.to_string()),
            _ => {
                if r_source {
                    self.missing(doc, "title", what, "title: \"The page title\"");
                }
                None
            }
        }
    }

    fn missing(&mut self, doc: usize, field: &str, what: &str, example: &str) {
        let d = &self.docs[doc];
        self.problems.push(
            Diagnostic::error(format!("this {what} has no `{field}`"))
                .in_file(&d.path)
                .at(1, 1, Some(d.head()))
                .with_hint(format!("add a line `{example}` between the `---` lines")),
        );
    }

    pub(super) fn page_entry(&mut self, id: &str, resolved: Vec<Resolved<PageFront>>, home: bool) -> Entry<PageFacts> {
        let mut versions = Vec::new();
        for r in resolved {
            let title = if home {
                r.front.title.clone().unwrap_or_else(|| self.config.pick(&self.config.title, &r.lang).to_string())
            } else {
                self.title(r.source, &r.front.title, r.doc, "page").unwrap_or_default()
            };
            let prefix = lang_prefix(self.config, &r.lang);
            versions.push(Version {
                path: if home { prefix } else { format!("{prefix}{}/", r.slug) },
                lang: r.lang,
                translated: r.translated,
                doc: Some(Arc::clone(&self.docs[r.doc])),
                facts: PageFacts { title, description: r.front.description },
            });
        }
        Entry::new(id.to_string(), versions)
    }

    pub(super) fn programme_entry(
        &mut self,
        folder: &str,
        resolved: Vec<Resolved<ProgrammeFront>>,
    ) -> Entry<ProgrammeFacts> {
        let mut versions = Vec::new();
        for r in resolved {
            let written = r.translated || r.lang == self.config.default_language;
            if written && r.front.kind.as_deref() != Some("programme") {
                let d = &self.docs[r.doc];
                self.problems.push(
                    locate(Diagnostic::error("a programme file must say `type: programme`"), d, "type")
                        .with_hint("add the line `type: programme`; sites are the other files of the folder"),
                );
            }
            let title = self.title(r.source, &r.front.title, r.doc, "programme").unwrap_or_default();
            let f = r.front;
            versions.push(Version {
                path: format!("{}{}/", lang_prefix(self.config, &r.lang), r.slug),
                lang: r.lang,
                translated: r.translated,
                doc: Some(Arc::clone(&self.docs[r.doc])),
                facts: ProgrammeFacts {
                    title,
                    entity: f.entity,
                    sector: f.sector,
                    area: f.area,
                    year: f.year,
                    contacts: f.contacts.unwrap_or_default(),
                    description: f.description,
                },
            });
        }
        Entry::new(folder.to_string(), versions)
    }

    pub(super) fn site_entry(
        &mut self,
        folder: &str,
        programme_slugs: &[String],
        programme: &Entry<ProgrammeFacts>,
        resolved: Vec<Resolved<SiteFront>>,
    ) -> Option<Entry<SiteFacts>> {
        let stem = self.docs[resolved[0].doc].stem.clone();
        let mut versions = Vec::new();
        let mut ok = true;
        for (i, r) in resolved.into_iter().enumerate() {
            let facts = self.site_facts(&r, &programme.versions[i].facts);
            ok &= facts.is_some();
            versions.push(Version {
                path: format!("{}{}/{}/", lang_prefix(self.config, &r.lang), programme_slugs[i], r.slug),
                lang: r.lang,
                translated: r.translated,
                doc: Some(Arc::clone(&self.docs[r.doc])),
                facts: facts.unwrap_or_default(),
            });
        }
        ok.then(|| Entry::new(format!("{folder}/{stem}"), versions))
    }

    fn site_facts(&mut self, r: &Resolved<SiteFront>, programme: &ProgrammeFacts) -> Option<SiteFacts> {
        // Each problem is blamed on the file that has it: required fields on the source file,
        // vocabulary keys on the file that wrote them. Fallbacks repeat their source.
        let before = self.problems.len();
        let f = &r.front;
        let title = self.title(r.source, &f.title, r.doc, "site");
        let address = f.address.clone().filter(|a| !a.trim().is_empty());
        if address.is_none() && r.source {
            self.missing(r.doc, "address", "site", "address: \"Via Larga, 12\"");
        }
        if f.volunteers.is_none() && r.source {
            self.missing(r.doc, "volunteers", "site", "volunteers: 1");
        }
        if r.source {
            // A translation states the same facts (or is refused): checked once, on the original.
            self.problems.extend(super::sense::impossible_facts(&self.docs[r.doc], f));
        }
        let reqs = f.requirements.clone().unwrap_or_default();
        let obligations = f.obligations.clone().unwrap_or_default();
        if r.translated {
            let own_reqs = r.own.requirements.clone().unwrap_or_default();
            let own_obligations = r.own.obligations.clone().unwrap_or_default();
            let doc = &self.docs[r.doc];
            let mut found = Vec::new();
            for key in own_reqs.required.iter().chain(&own_reqs.preferred) {
                found.extend(unknown_key(doc, key, "requirement", self.config.requirements.keys().collect()));
            }
            for key in &own_obligations {
                found.extend(unknown_key(doc, key, "obligation", self.config.obligations.keys().collect()));
            }
            for key in own_reqs.required.iter().filter(|k| own_reqs.preferred.contains(k)) {
                found.push(
                    locate(Diagnostic::error(format!("`{key}` is both required and preferred")), doc, key)
                        .with_hint("keep it in one of the two lists"),
                );
            }
            self.problems.extend(found);
        }
        if self.problems.len() > before {
            return None;
        }
        let contacts = f.contacts.clone().filter(|c| !c.is_empty()).unwrap_or_else(|| programme.contacts.clone());
        Some(SiteFacts {
            title: title?,
            code: f.code.clone(),
            office: f.office.clone(),
            address: address?,
            postcode: f.postcode.clone(),
            city: f.city.clone(),
            volunteers: f.volunteers?,
            hours_per_year: f.hours_per_year,
            min_weekly_hours: f.min_weekly_hours,
            days_per_week: f.days_per_week,
            hours: f.hours.clone().unwrap_or_default(),
            activities: f.activities.clone().unwrap_or_default(),
            required: reqs.required,
            preferred: reqs.preferred,
            obligations,
            contacts,
            description: f.description.clone(),
        })
    }
}
