//! One HTML page per entry and language: building its typed context from the model and
//! rendering it with the theme.

use std::sync::Arc;

use super::jsonld;
use super::pagination::List;
use super::views::*;
use super::{Output, PageResult, Renderer};
use crate::diagnostic::Diagnostic;
use crate::model::{Entry, PageFacts, Programme, ProgrammeFacts, SiteFacts, Version};

/// Programmes listed in the main menu; with more, the menu links the lists instead.
const MAX_PROGRAMMES_IN_MENU: usize = 6;

impl Renderer<'_> {
    /// The home page: its text and the first page of the programmes (the next pages are
    /// `ListPage(List::Programmes, n)`, so the home stays small however many there are).
    pub(super) fn home(&self, lang: &str) -> PageResult {
        let v = self.b.home.version(lang);
        let (content, warnings) = self.body(v);
        let title = self.config.pick(&self.config.title, lang).to_string();
        let mut ctx =
            PageContext::new(self.layout(&self.b.home, v, "home", title, v.facts.description.clone(), None), content);
        ctx.programmes = self.page_programme_cards(1, lang);
        ctx.pagination = self.pagination(List::Programmes, 1, lang);
        if ctx.pagination.is_some() {
            self.paginate_layout(&mut ctx.layout, &self.b.home, List::Programmes, 1);
        }
        self.emit("home.html", &ctx, v, warnings)
    }

    /// The cards of page `n` of the list of programmes.
    pub(super) fn page_programme_cards(&self, n: usize, lang: &str) -> Vec<ProgrammeCard> {
        self.b.programmes[self.page_programmes(n)].iter().map(|p| self.programme_card(p, lang)).collect()
    }

    pub(super) fn page(&self, e: &Entry<PageFacts>, lang: &str) -> PageResult {
        let v = e.version(lang);
        let (content, warnings) = self.body(v);
        let ctx = PageContext::new(
            self.layout(e, v, "page", v.facts.title.clone(), v.facts.description.clone(), None),
            content,
        );
        self.emit("page.html", &ctx, v, warnings)
    }

    pub(super) fn programme(&self, index: usize, lang: &str) -> PageResult {
        let p = &self.b.programmes[index];
        let list = List::Programme(index);
        let v = p.entry.version(lang);
        let (content, warnings) = self.body(v);
        let cards: Vec<SiteCard> = p.sites.iter().map(|s| self.site_card(s, lang)).collect();
        let sites = self.page_sites(list, 1, lang)?;
        let view = self.programme_view(p, lang);
        let permalink = self.base.absolute(&v.path);
        let ld = jsonld::programme(&view, &cards, &permalink, &self.base);
        let layout =
            self.layout(&p.entry, v, "programme", v.facts.title.clone(), v.facts.description.clone(), Some(ld));
        let mut ctx = PageContext::new(layout, content);
        // Filters for a list of more than one site; a longer list also has numbered pages.
        ctx.pagination = self.pagination(list, 1, lang);
        if ctx.pagination.is_some() {
            self.paginate_layout(&mut ctx.layout, &p.entry, list, 1);
        }
        if p.sites.len() > 1 {
            ctx.filters = Some(self.filter_panel(list, lang)?);
            ctx.browse = Some(self.browse_links(lang));
        }
        ctx.programme = Some(view);
        ctx.sites = sites;
        ctx.print = Some(PrintLinks {
            leaflet: None,
            booklet: Some(self.print_link(&v.path, "booklet")),
            leaflets: Some(self.print_link(&v.path, "leaflets")),
        });
        self.emit("programme.html", &ctx, v, warnings)
    }

    pub(super) fn site(&self, p: &Programme, s: &Entry<SiteFacts>, lang: &str) -> PageResult {
        let v = s.version(lang);
        let (content, warnings) = self.body(v);
        let pv = p.entry.version(lang);
        let view = self.site_view(s, lang);
        let description = v
            .facts
            .description
            .clone()
            .or_else(|| Some(format!("{} – {}, {}", v.facts.title, view.card.address, view.card.volunteers)));
        let ld = jsonld::site(&view, &pv.facts, &self.base.absolute(&v.path), lang);
        let mut ctx =
            PageContext::new(self.layout(s, v, "site", v.facts.title.clone(), description, Some(ld)), content);
        ctx.programme = Some(self.programme_view(p, lang));
        ctx.site_facts = Some(view);
        ctx.print =
            Some(PrintLinks { leaflet: Some(self.print_link(&v.path, "leaflet")), booklet: None, leaflets: None });
        let text_lang = self.text_lang(pv, lang);
        ctx.parent = Some(ParentLink {
            title: pv.facts.title.clone(),
            href: self.base.href(&pv.path),
            text_dir: text_lang.as_deref().map(|l| self.direction(l)),
            text_lang,
        });
        self.emit("site.html", &ctx, v, warnings)
    }

    /// `404.html` at the root, in the default language, linking every language's home.
    pub(super) fn not_found(&self) -> Result<Output, Diagnostic> {
        let v = self.b.home.version(&self.config.default_language);
        let title = self.strings.get(&v.lang, "not_found_title");
        let mut ctx = PageContext::new(self.layout(&self.b.home, v, "404", title, None, None), String::new());
        ctx.layout.alternates.clear();
        ctx.layout.nav.iter_mut().for_each(|n| n.current = false);
        let html = self.render_template("404.html", &ctx, "the 404 page")?;
        Ok(Output::file("404.html", html))
    }

    /// The `name` document beside the page at `path`: its PDF if the output holds it.
    fn print_link(&self, path: &str, name: &str) -> PrintLink {
        let pdf = format!("{path}{name}.pdf");
        let exists = self.pdf_links.get().is_some_and(|links| links.0.contains(&pdf));
        PrintLink { href: self.base.href(&if exists { pdf } else { format!("{path}{name}.html") }), pdf: exists }
    }

    fn emit<F>(&self, template: &str, ctx: &PageContext, v: &Version<F>, warnings: Vec<Diagnostic>) -> PageResult {
        let shown = self.b.doc(v).map_or_else(|| "the home page".to_string(), |d| d.path.display().to_string());
        let html = self.render_template(template, ctx, &shown)?;
        Ok((Output::page(&v.path, html), warnings))
    }

    /// The Markdown body as HTML, with a warning per file when raw HTML was left out. Links
    /// to no page are the link check's (`check::review`), which both build and check run.
    fn body<F>(&self, v: &Version<F>) -> (tera::Value, Vec<Diagnostic>) {
        let Some(doc) = self.b.doc(v) else {
            return (tera::Value::normal_string(""), Vec::new());
        };
        let folder = doc.folder.as_deref();
        let resolve = |dest: &str| self.links.resolve(dest, folder, &v.lang, &self.base);
        let raw = self.config.markdown.unsafe_html;
        let key = || crate::hashing::hash(&(doc.body_stamp(), &v.lang, folder, raw, self.links_hash, &self.base.path));
        // A one-off build reads the body from the file here, and drops it once rendered.
        let body = match doc.body() {
            Ok(body) => body,
            Err(e) => return (tera::Value::normal_string(""), vec![e]),
        };
        let r = self.cache.markdown(key, || super::markdown::to_html(&body, raw, &resolve));
        if let Some(shared) = &v.doc {
            let mut read = self.body_links.lock().unwrap_or_else(|e| e.into_inner());
            read.push((Arc::clone(shared), Arc::clone(&r.links)));
        }
        let (html, omitted) = (&r.html, r.omitted_html);
        let mut warnings = Vec::new();
        // A fallback repeats its source's text: warn once, on the source language.
        if omitted > 0 && (v.translated && v.lang == doc.lang) {
            warnings.push(
                Diagnostic::warning(format!("{omitted} piece(s) of raw HTML left out of the page"))
                    .in_file(&doc.path)
                    .with_hint("write it in Markdown, or set `markdown: { unsafe_html: true }` in config.yaml"),
            );
        }
        (tera::Value::normal_string(html), warnings)
    }

    pub(super) fn layout<'s, F>(
        &'s self,
        entry: &Entry<F>,
        v: &'s Version<F>,
        kind: &'static str,
        title: String,
        description: Option<String>,
        jsonld: Option<String>,
    ) -> Layout<'s> {
        let lang = v.lang.as_str();
        let home = &self.b.home.version(lang).path;
        let alternates = entry
            .versions
            .iter()
            .filter(|o| o.translated)
            .map(|o| Alternate { lang: o.lang.clone(), permalink: self.base.absolute(&o.path) })
            .collect();
        let languages = entry
            .versions
            .iter()
            .map(|o| LanguageLink {
                code: o.lang.clone(),
                name: self.config.language(&o.lang).map_or_else(|| o.lang.clone(), |l| l.name.clone()),
                href: self.base.href(&o.path),
                current: o.lang == lang,
                translated: o.translated,
            })
            .collect();
        let fallback = (!v.translated).then(|| {
            let source = self.b.doc(v).map_or(self.config.default_language.as_str(), |d| d.lang.as_str());
            Fallback {
                lang: source.to_string(),
                dir: self.direction(source),
                name: self.config.language(source).map_or_else(|| source.to_string(), |l| l.name.clone()),
            }
        });
        let site_description = self.config.pick(&self.config.description, lang);
        // A fallback shows another language's text: that page is the canonical one.
        let canonical = match v.translated {
            true => &v.path,
            false => entry.versions.iter().find(|o| o.translated && o.same_file(v)).map_or(&v.path, |o| &o.path),
        };
        Layout {
            lang,
            dir: self.direction(lang),
            site: SiteMeta {
                title: self.config.pick(&self.config.title, lang),
                owner: self.config.pick(&self.config.owner, lang),
                description: site_description,
                home: self.base.href(home),
                root: &self.base.path,
                favicon: self.config.favicon.as_deref().and_then(|rel| {
                    let href = self.base.href(&crate::favicon::published_as(rel));
                    Some(Icon { href, media_type: crate::favicon::media_type(rel)? })
                }),
                accessibility: self.config.links.accessibility.as_ref().map(|m| self.config.pick(m, lang).to_string()),
                privacy: self.config.links.privacy.as_ref().map(|m| self.config.pick(m, lang).to_string()),
            },
            page: PageMeta {
                kind,
                title,
                description: description.unwrap_or_else(|| site_description.to_string()),
                url: self.base.href(&v.path),
                permalink: self.base.absolute(canonical),
                jsonld,
            },
            alternates,
            languages,
            nav: self.nav(lang, &v.path),
            fallback,
            t: self.strings.template(lang),
        }
    }

    /// Main navigation: home, each programme, each plain page.
    fn nav(&self, lang: &str, current: &str) -> Vec<NavLink> {
        // (title, path, the title's language when it is not the page's)
        let mut links = vec![];
        let home = self.b.home.version(lang);
        links.push((self.strings.get(lang, "home"), &home.path, None));
        let all = self.listings.all_sites.version(lang);
        links.push((all.facts.title.clone(), &all.path, None));
        // A few programmes fit a menu; many would fill every page (and make each page's size
        // grow with the site): then the home page and "all sites" list them instead.
        if self.b.programmes.len() <= MAX_PROGRAMMES_IN_MENU {
            for p in &self.b.programmes {
                let v = p.entry.version(lang);
                links.push((v.facts.title.clone(), &v.path, self.text_lang(v, lang)));
            }
        }
        for page in &self.b.pages {
            let v = page.version(lang);
            links.push((v.facts.title.clone(), &v.path, self.text_lang(v, lang)));
        }
        links
            .into_iter()
            .map(|(title, path, text_lang)| NavLink {
                title,
                href: self.base.href(path),
                current: path == current,
                text_dir: text_lang.as_deref().map(|l| self.direction(l)),
                text_lang,
            })
            .collect()
    }

    /// The language of a version's text when it is not the page's (a fallback).
    pub(super) fn text_lang<F>(&self, v: &Version<F>, lang: &str) -> Option<String> {
        self.b.doc(v).filter(|d| !v.translated && d.lang != lang).map(|d| d.lang.clone())
    }

    /// The `dir` of a language's pages; a language not in the configuration is left to right.
    pub(super) fn direction(&self, lang: &str) -> &'static str {
        self.config.language(lang).map(|l| l.direction).unwrap_or_default().as_str()
    }

    pub(super) fn site_view(&self, e: &Entry<SiteFacts>, lang: &str) -> SiteView {
        let f = &e.version(lang).facts;
        SiteView {
            card: self.site_card(e, lang),
            office: f.office.clone(),
            hours_per_year: f.hours_per_year.map(|h| self.strings.count(lang, "hours_count", h)),
            min_weekly_hours: f.min_weekly_hours.map(|h| self.strings.count(lang, "hours_count", h)),
            days_per_week: f.days_per_week.map(|d| self.strings.count(lang, "days_count", d)),
            hours_split: f
                .hours
                .iter()
                .map(|h| HourLine {
                    hours: self.strings.count(lang, "hours_count", h.hours),
                    purpose: h.purpose.clone(),
                })
                .collect(),
            activities: f.activities.clone(),
            contacts: f.contacts.clone(),
            no_requirements: f.required.is_empty() && f.preferred.is_empty(),
        }
    }

    fn programme_card(&self, p: &Programme, lang: &str) -> ProgrammeCard {
        let v = p.entry.version(lang);
        let f: &ProgrammeFacts = &v.facts;
        let volunteers = p.sites.iter().fold(0u32, |n, s| n.saturating_add(s.version(lang).facts.volunteers));
        ProgrammeCard {
            text_lang: self.text_lang(v, lang),
            text_dir: self.text_lang(v, lang).map(|l| self.direction(&l)),
            title: f.title.clone(),
            href: self.base.href(&v.path),
            entity: f.entity.clone(),
            description: f.description.clone(),
            sites: self.strings.count(lang, "sites_count", p.sites.len() as u32),
            volunteers: self.strings.count(lang, "volunteers_count", volunteers),
        }
    }

    pub(super) fn programme_view(&self, p: &Programme, lang: &str) -> ProgrammeView {
        let f = &p.entry.version(lang).facts;
        ProgrammeView {
            card: self.programme_card(p, lang),
            sector: f.sector.clone(),
            area: f.area.clone(),
            year: f.year,
            contacts: f.contacts.clone(),
        }
    }
}
