//! The typed data each template receives. Everything a template shows is computed here,
//! formatted for the page's language, so templates hold layout and no logic.

use serde::Serialize;

use super::view_struct::view_struct;

use crate::model::Contact;

view_struct! {
    /// What every page shares: language, navigation, switcher, head metadata.
    #[derive(Debug)]
    pub struct Layout<'a> {
        pub lang: &'a str,
        pub dir: &'a str,
        pub site: SiteMeta<'a>,
        pub page: PageMeta,
        /// Translations of this page that exist, for `<link rel="alternate" hreflang>`.
        pub alternates: Vec<Alternate>,
        /// Every language, for the switcher.
        pub languages: Vec<LanguageLink>,
        pub nav: Vec<NavLink>,
        /// Set when this language has no translation and shows the source text.
        pub fallback: Option<Fallback>,
        /// The theme's UI strings in this language.
        pub t: &'a tera::Value,
    }
}

#[derive(Debug, Serialize)]
pub struct SiteMeta<'a> {
    pub title: &'a str,
    pub owner: &'a str,
    pub description: &'a str,
    /// Home page of this language.
    pub home: String,
    /// Root of the site, for theme assets: `{{ site.root }}css/site.css`.
    pub root: &'a str,
    /// The icon config.yaml names, in place of the theme's.
    pub favicon: Option<Icon>,
    pub accessibility: Option<String>,
    pub privacy: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct Icon {
    pub href: String,
    #[serde(rename = "type")]
    pub media_type: &'static str,
}

#[derive(Debug, Serialize)]
pub struct PageMeta {
    pub kind: &'static str,
    pub title: String,
    pub description: String,
    /// Root-relative URL of this page.
    pub url: String,
    /// Absolute URL of this page.
    pub permalink: String,
    /// schema.org JSON-LD, already escaped for a `<script>` element.
    pub jsonld: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct Alternate {
    pub lang: String,
    pub permalink: String,
}

#[derive(Debug, Serialize)]
pub struct LanguageLink {
    pub code: String,
    pub name: String,
    pub href: String,
    pub current: bool,
    /// False when that language shows this page untranslated.
    pub translated: bool,
}

#[derive(Debug, Serialize)]
pub struct NavLink {
    pub title: String,
    pub href: String,
    pub current: bool,
    /// The title's language and direction when it is not the page's (an untranslated page).
    pub text_lang: Option<String>,
    pub text_dir: Option<&'static str>,
}

#[derive(Debug, Serialize)]
pub struct Fallback {
    /// Language of the text shown, and its direction (`ltr`, `rtl`).
    pub lang: String,
    pub dir: &'static str,
    pub name: String,
}

/// A requirement or obligation with its label in the page's language.
#[derive(Debug, Clone, Serialize)]
pub struct Label {
    pub key: String,
    pub label: String,
}

#[derive(Debug, Serialize)]
pub struct HourLine {
    pub hours: String,
    pub purpose: String,
}

view_struct! {
    /// A site as listed on its programme page.
    #[derive(Debug)]
    pub struct SiteCard {
        /// Stable identity (`programme/stem`), shared with the filter data.
        pub id: String,
        /// The language of the site's own text when it differs from the page's (an untranslated
        /// site), and that language's direction.
        pub text_lang: Option<String>,
        pub text_dir: Option<&'static str>,
        pub title: String,
        pub href: String,
        pub code: Option<String>,
        pub address: String,
        pub volunteers: String,
        pub hours: Option<String>,
        pub required: Vec<Label>,
        pub preferred: Vec<Label>,
        pub obligations: Vec<Label>,
    }
}

/// A site in a list: its card, rendered once per site and language from the theme's
/// `partials/site-card.html` and placed as it is in every list that shows the site.
#[derive(Debug, Serialize)]
pub struct SiteCardHtml {
    pub id: String,
    /// The card's HTML, as a Tera string: a page that lists the card takes it as it is.
    pub html: tera::Value,
}

/// What `partials/site-card.html` is rendered with: the card and the UI strings.
#[derive(Serialize)]
pub struct CardContext<'a> {
    pub s: &'a SiteCard,
    pub t: &'a tera::Value,
}

view_struct! {
    /// A site with all its facts, for its own page.
    #[derive(Debug)]
    pub struct SiteView {
        ..pub card: SiteCard,
        pub office: Option<String>,
        pub hours_per_year: Option<String>,
        pub min_weekly_hours: Option<String>,
        pub days_per_week: Option<String>,
        pub hours_split: Vec<HourLine>,
        pub activities: Vec<String>,
        pub contacts: Vec<Contact>,
        pub no_requirements: bool,
    }
}

view_struct! {
    #[derive(Debug)]
    pub struct ProgrammeCard {
        /// The language (and direction) of the title when the programme is not translated.
        pub text_lang: Option<String>,
        pub text_dir: Option<&'static str>,
        pub title: String,
        pub href: String,
        pub entity: Option<String>,
        pub description: Option<String>,
        pub sites: String,
        pub volunteers: String,
    }
}

view_struct! {
    #[derive(Debug)]
    pub struct ProgrammeView {
        ..pub card: ProgrammeCard,
        pub sector: Option<String>,
        pub area: Option<String>,
        pub year: Option<u32>,
        pub contacts: Vec<Contact>,
    }
}

#[derive(Debug, Serialize)]
pub struct ParentLink {
    pub title: String,
    pub href: String,
    /// The title's language and direction when it is not the page's (an untranslated page).
    pub text_lang: Option<String>,
    pub text_dir: Option<&'static str>,
}

impl ParentLink {
    /// A link whose title is in the page's language.
    pub fn new(title: String, href: String) -> ParentLink {
        ParentLink { title, href, text_lang: None, text_dir: None }
    }
}

view_struct! {
    /// The context of one page: the layout plus what the page's template lists.
    #[derive(Debug)]
    pub struct PageContext<'a> {
        ..pub layout: Layout<'a>,
        /// The Markdown body as HTML: a Tera string already, which Tera takes as it is
        /// instead of copying it again into its own.
        pub content: tera::Value,
        pub programme: Option<ProgrammeView>,
        pub site_facts: Option<SiteView>,
        pub sites: Vec<SiteCardHtml>,
        pub programmes: Vec<ProgrammeCard>,
        pub parent: Option<ParentLink>,
        /// The filter panel of a listing of sites.
        pub filters: Option<FilterPanel>,
        /// Groups of sites on a requirement or obligation page.
        pub sections: Vec<Section>,
        /// The printable documents of a site page (its leaflet) or a programme page (booklet, all leaflets).
        pub print: Option<PrintLinks>,
        /// Links to the page of each requirement and obligation, for browsing without JavaScript.
        pub browse: Option<BrowseLinks>,
        /// The numbered pages of a list longer than `page_size`.
        pub pagination: Option<Pagination>,
    }
}

/// The pages of a long list: where this one is, and links to its neighbours.
#[derive(Debug, Serialize)]
pub struct Pagination {
    /// "pagina 2 di 7".
    pub label: String,
    pub previous: Option<PageLink>,
    pub next: Option<PageLink>,
    /// The first, the last and the pages around the current one; `None` is a gap (…).
    pub pages: Vec<Option<PageLink>>,
}

#[derive(Debug, Serialize)]
pub struct PageLink {
    /// The page's number, written for the page's language.
    pub number: String,
    pub href: String,
    /// Absolute, for `<link rel="prev">` and `rel="next"`.
    pub permalink: String,
    pub current: bool,
}

/// The static page of each requirement and obligation.
#[derive(Debug, Serialize)]
pub struct BrowseLinks {
    pub requirements: Vec<ParentLink>,
    pub obligations: Vec<ParentLink>,
}

/// A printable document: its PDF when the output holds it, its HTML version otherwise.
#[derive(Debug, Serialize)]
pub struct PrintLink {
    pub href: String,
    pub pdf: bool,
}

#[derive(Debug, Serialize)]
pub struct PrintLinks {
    pub leaflet: Option<PrintLink>,
    pub booklet: Option<PrintLink>,
    /// Every leaflet of a programme, one per page, for the print shop.
    pub leaflets: Option<PrintLink>,
}

impl<'a> PageContext<'a> {
    pub fn new(layout: Layout<'a>, content: impl Into<tera::Value>) -> Self {
        PageContext {
            layout,
            content: content.into(),
            programme: None,
            site_facts: None,
            sites: Vec::new(),
            programmes: Vec::new(),
            parent: None,
            filters: None,
            sections: Vec::new(),
            print: None,
            browse: None,
            pagination: None,
        }
    }
}

/// One choice of a filter facet; `count` is how many listed sites have it.
#[derive(Debug, Clone, Serialize)]
pub struct FacetOption {
    pub value: String,
    pub label: String,
    pub count: usize,
}

/// The requirement filters above a list of site cards.
#[derive(Debug, Clone, Serialize)]
pub struct FilterPanel {
    pub offer: Vec<FacetOption>,
    /// "None of these": the candidate offers no listed requirement.
    pub none: FacetOption,
    pub cannot: Vec<FacetOption>,
    pub programmes: Vec<FacetOption>,
    pub areas: Vec<FacetOption>,
    pub volunteers: Vec<FacetOption>,
    /// The status line and the folded panel's count before any filter is set, as the script
    /// writes them, so that the page as built is the page the script starts from.
    pub status: String,
    pub summary: String,
    /// Site data and UI strings for the script, escaped for a `<script>` element.
    pub json: String,
    /// For a list on several pages, the cards the script fills with the data it fetches:
    /// `partials/site-card.html` with every part present, then without requirements.
    pub card_template: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct Section {
    /// None for a list without sections (all sites, a programme's sites).
    pub title: Option<String>,
    pub sites: Vec<SiteCardHtml>,
}

/// Serialises `value` as JSON safe inside `<script>`: no `</script>`, no `<!--`.
pub fn script_json<T: Serialize>(value: &T) -> String {
    let json = serde_json::to_string(value).unwrap_or_else(|_| "null".into());
    // These characters occur only inside JSON strings, where the escapes mean the same.
    // Read as bytes: the filter data of 50,000 sites is megabytes, mostly nothing to escape.
    let bytes = json.as_bytes();
    let mut out = String::new();
    let mut copied = 0;
    for (i, &b) in bytes.iter().enumerate() {
        let (escape, len) = match b {
            b'<' => ("\\u003c", 1),
            b'>' => ("\\u003e", 1),
            b'&' => ("\\u0026", 1),
            0xE2 => match bytes.get(i + 1..i + 3) {
                Some([0x80, 0xA8]) => ("\\u2028", 3),
                Some([0x80, 0xA9]) => ("\\u2029", 3),
                _ => continue,
            },
            _ => continue,
        };
        if out.is_empty() {
            out.reserve(json.len() + json.len() / 16);
        }
        out.push_str(&json[copied..i]);
        out.push_str(escape);
        copied = i + len;
    }
    if copied == 0 {
        return json;
    }
    out.push_str(&json[copied..]);
    out
}

impl super::templates::TemplateData for PageContext<'_> {
    fn context(&self) -> Result<tera::Context, crate::Diagnostic> {
        super::templates::fields_context(self)
    }
}

impl super::templates::TemplateData for CardContext<'_> {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_json_cannot_close_the_script_element() {
        let s = script_json(&serde_json::json!({ "title": "</script><script>alert(1)</script>" }));
        assert!(!s.contains("</script>"), "{s}");
        let back: serde_json::Value = serde_json::from_str(&s).unwrap();
        assert_eq!(back["title"], "</script><script>alert(1)</script>");
    }

    #[test]
    fn embedded_json_escapes_what_html_or_old_javascript_would_misread_and_nothing_else() {
        // U+2027 and U+20AC share their first byte (or two) with U+2028 and U+2029.
        let text = "a<b>&c\u{2028}d\u{2029}e \u{2027}\u{20AC} Città";
        let s = script_json(&text);
        assert_eq!(s, "\"a\\u003cb\\u003e\\u0026c\\u2028d\\u2029e \u{2027}\u{20AC} Città\"");
        assert_eq!(serde_json::from_str::<String>(&s).unwrap(), text);
        assert_eq!(script_json(&"Città"), serde_json::to_string("Città").unwrap());
    }
}
