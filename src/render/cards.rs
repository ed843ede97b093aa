//! A site as lists show it: its card (the view and the theme's HTML) and what the filters
//! test of it, made once per site and language and shared by every list and page that shows it.

use std::sync::Arc;

use super::views::{CardContext, Label, SiteCard, SiteCardHtml};
use super::Renderer;
use crate::config::{Config, Vocabulary};
use crate::diagnostic::Diagnostic;
use crate::filter::{self, FilterSite};
use crate::model::{Entry, Programme, SiteFacts};

/// What every list that shows a site needs of it, made once per site and language: its
/// card as HTML, what the filters test, that as JSON for the script, and its keys' places
/// in the vocabularies for the facet index.
pub struct SiteInLists {
    /// A Tera string, which every list's page data shares rather than copies.
    pub card: tera::Value,
    pub filter: FilterSite,
    pub json: Box<serde_json::value::RawValue>,
    pub places: Option<VocabularyPlaces>,
}

/// A site's required, preferred and obligation keys as places in the configuration's
/// vocabularies (`requirements` for the first two lists, `obligations` for the third), each
/// list followed by [`LIST_END`]. Made with the site's card, once per site and language, so
/// that the index of 50,000 sites reads a short row per site rather than 300,000 strings
/// scattered in memory, which took most of its time.
#[derive(Debug)]
pub struct VocabularyPlaces(pub(super) Box<[u16]>);

pub(super) const LIST_END: u16 = u16::MAX;

impl VocabularyPlaces {
    /// `None` when a key is not in the vocabulary (the model refuses such a site, but the
    /// index does not count on it: it reads that site's keys by name).
    pub(super) fn new(config: &Config, site: &FilterSite) -> Option<VocabularyPlaces> {
        let lists = [&site.required, &site.preferred, &site.obligations];
        let mut row = Vec::with_capacity(lists.iter().map(|l| l.len() + 1).sum());
        for (list, keys) in lists.into_iter().enumerate() {
            let vocabulary = vocabulary(config, list);
            for key in keys {
                let place = vocabulary.0.iter().position(|(k, _)| k == key)?;
                row.push(u16::try_from(place).ok().filter(|p| *p != LIST_END)?);
            }
            row.push(LIST_END);
        }
        Some(VocabularyPlaces(row.into()))
    }
}

/// The vocabulary of list `list` of a site (required, preferred, obligations).
pub(super) fn vocabulary(config: &Config, list: usize) -> &Vocabulary {
    match list {
        0 | 1 => &config.requirements,
        _ => &config.obligations,
    }
}

impl Renderer<'_> {
    fn labels(&self, keys: &[String], vocab: &crate::config::Vocabulary, lang: &str) -> Vec<Label> {
        keys.iter()
            .map(|k| Label {
                key: k.clone(),
                label: vocab.get(k).map_or_else(|| k.clone(), |m| self.config.pick(m, lang).to_string()),
            })
            .collect()
    }

    pub(super) fn site_card(&self, e: &Entry<SiteFacts>, lang: &str) -> SiteCard {
        let v = e.version(lang);
        let f = &v.facts;
        let mut address = f.address.clone();
        if let Some(city) = &f.city {
            address = match &f.postcode {
                Some(pc) => format!("{address}, {pc} {city}"),
                None => format!("{address}, {city}"),
            };
        }
        let text_lang = self.text_lang(v, lang);
        SiteCard {
            id: e.id.clone(),
            text_dir: text_lang.as_deref().map(|l| self.direction(l)),
            text_lang,
            title: f.title.clone(),
            href: self.base.href(&v.path),
            code: f.code.clone(),
            address,
            volunteers: self.strings.count(lang, "volunteers_count", f.volunteers),
            hours: f.hours_per_year.map(|h| self.strings.count(lang, "hours_per_year_count", h)),
            required: self.labels(&f.required, &self.config.requirements, lang),
            preferred: self.labels(&f.preferred, &self.config.requirements, lang),
            obligations: self.labels(&f.obligations, &self.config.obligations, lang),
        }
    }

    /// What lists need of a site, made once per site and language and reused by every list.
    pub(super) fn site_in_lists(
        &self,
        p: &Programme,
        e: &Entry<SiteFacts>,
        lang: &str,
    ) -> Result<Arc<SiteInLists>, Diagnostic> {
        self.cache.site_in_lists(self.card_key(e, lang), || {
            let card = self.site_card(e, lang);
            let ctx = CardContext { s: &card, t: self.strings.template(lang) };
            let what = format!("the card of {}", e.id);
            let card = tera::Value::normal_string(&self.templates.render(
                "partials/site-card.html",
                &ctx,
                &what,
                self.theme,
            )?);
            let filter = self.filter_site(p, e, lang);
            let json = serde_json::value::to_raw_value(&filter)
                .map_err(|e| Diagnostic::error(format!("cannot prepare the filter data: {e}")))?;
            let places = VocabularyPlaces::new(self.config, &filter);
            Ok(SiteInLists { card, filter, json, places })
        })
    }

    /// Every site in the order of the list of all sites, with its programme.
    pub(super) fn every_site(&self) -> impl Iterator<Item = (&Programme, &Entry<SiteFacts>)> {
        self.b.programmes.iter().flat_map(|p| p.sites.iter().map(move |s| (p, &**s)))
    }

    /// The site card with a placeholder in every part, then one without requirements, for
    /// the script to fill (lists on several pages render their results from data): one
    /// card design, the theme's.
    pub(super) fn card_template(&self, lang: &str) -> Result<String, Diagnostic> {
        let label = || Label { key: String::new(), label: "-".into() };
        let mut card = SiteCard {
            id: String::new(),
            text_lang: None,
            text_dir: None,
            title: "-".into(),
            href: String::new(),
            code: Some("-".into()),
            address: "-".into(),
            volunteers: "-".into(),
            hours: Some("-".into()),
            required: vec![label(), label()],
            preferred: vec![label()],
            obligations: vec![label()],
        };
        let mut html = String::new();
        for _ in 0..2 {
            let ctx = CardContext { s: &card, t: self.strings.template(lang) };
            html += &self.templates.render("partials/site-card.html", &ctx, "the card template", self.theme)?;
            card.required.clear();
            card.preferred.clear();
        }
        Ok(html)
    }

    /// A site's card, as a list shows it.
    pub(super) fn card_html(
        &self,
        p: &Programme,
        e: &Entry<SiteFacts>,
        lang: &str,
    ) -> Result<SiteCardHtml, Diagnostic> {
        Ok(SiteCardHtml { id: e.id.clone(), html: self.site_in_lists(p, e, lang)?.card.clone() })
    }

    /// Within one build an id names one site; across serve's builds the key also holds the
    /// site's facts and the settings (configuration, theme).
    pub(super) fn card_key(&self, e: &Entry<SiteFacts>, lang: &str) -> u64 {
        match self.keeping {
            super::Keeping::AcrossBuilds(settings) => {
                crate::hashing::hash(&("card", settings, e.fingerprints().facts, &e.id, lang))
            }
            super::Keeping::OneOff => crate::hashing::hash(&("card", &e.id, lang)),
        }
    }

    /// Lets serve's cache forget the listed sites that no longer exist.
    pub(super) fn trim_sites_in_lists(&self) {
        if let super::Keeping::OneOff = self.keeping {
            return;
        }
        let sites = || self.b.programmes.iter().flat_map(|p| &p.sites);
        let languages = self.config.languages.iter().map(|l| l.code.as_str());
        self.cache.trim_sites_in_lists(sites().count() * self.config.languages.len(), || {
            languages.flat_map(|lang| sites().map(move |s| self.card_key(s, lang))).collect()
        });
    }

    /// What the filters test of a site, in one language.
    pub(super) fn filter_site(&self, p: &Programme, s: &Entry<SiteFacts>, lang: &str) -> FilterSite {
        let f = &s.version(lang).facts;
        FilterSite {
            id: s.id.clone(),
            programme: p.entry.id.clone(),
            area: f.city.clone().unwrap_or_default(),
            volunteers: f.volunteers,
            required: f.required.clone(),
            preferred: f.preferred.clone(),
            obligations: f.obligations.clone(),
            text: filter::fold(&format!("{} {} {}", f.title, f.address, f.code.as_deref().unwrap_or(""))),
        }
    }
}
