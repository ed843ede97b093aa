//! Which pages to photograph, found in the output itself (addresses change with the
//! content and the theme): home, the programme with the most sites, its first site and
//! that site's leaflet, each in every language, following the language switcher's links.

use super::Published;

/// A page to photograph.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Shot {
    /// `home`, `programme`, `site` or `leaflet`.
    pub kind: &'static str,
    pub lang: String,
    pub rel: String,
}

/// A page of the plan missing from the output.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Missing {
    Home,
    /// No `<programme>/booklet.html` in the output.
    Programme,
    /// A site page in a language without the leaflet of that language.
    Leaflet {
        site_page: String,
        leaflet: String,
    },
}

pub fn screenshot_plan(site: &Published) -> (Vec<Shot>, Vec<Missing>) {
    let mut plan = Vec::new();
    let mut faults = Vec::new();
    if !site.files.contains_key("index.html") {
        return (plan, vec![Missing::Home]);
    }
    let add = |kind, rel: &str, plan: &mut Vec<Shot>| {
        plan.push(Shot { kind, lang: lang_of(site, rel), rel: rel.to_string() });
        for (lang, other) in other_languages(site, rel) {
            plan.push(Shot { kind, lang, rel: other });
        }
    };
    add("home", "index.html", &mut plan);
    let language_folders: Vec<String> =
        other_languages(site, "index.html").into_iter().filter_map(|(_, rel)| first_folder(&rel)).collect();
    let leaflets_of = |programme: &str| -> Vec<&String> {
        site.files.keys().filter(|f| f.starts_with(&format!("{programme}/")) && f.ends_with("/leaflet.html")).collect()
    };
    let mut programmes: Vec<String> = site
        .files
        .keys()
        .filter_map(|f| f.strip_suffix("/booklet.html").filter(|p| !p.contains('/')).map(str::to_string))
        .filter(|p| !language_folders.contains(p))
        .collect();
    programmes.sort_by_key(|p| (std::cmp::Reverse(leaflets_of(p).len()), p.clone()));
    let Some(programme) = programmes.first() else {
        faults.push(Missing::Programme);
        return (plan, faults);
    };
    add("programme", &format!("{programme}/index.html"), &mut plan);
    let Some(leaflet) = leaflets_of(programme).first().map(|l| l.to_string()) else {
        return (plan, faults);
    };
    let site_page = leaflet.replace("leaflet.html", "index.html");
    add("site", &site_page, &mut plan);
    // A leaflet has no language switcher: the same place as each language's site page.
    plan.push(Shot { kind: "leaflet", lang: lang_of(site, &leaflet), rel: leaflet });
    for (lang, other) in other_languages(site, &site_page) {
        let rel = other.replace("index.html", "leaflet.html");
        if site.files.contains_key(&rel) {
            plan.push(Shot { kind: "leaflet", lang, rel });
        } else {
            faults.push(Missing::Leaflet { site_page: other, leaflet: rel });
        }
    }
    (plan, faults)
}

fn lang_of(site: &Published, rel: &str) -> String {
    site.tags(rel).iter().find(|t| t.name == "html").and_then(|t| t.attr("lang")).unwrap_or("und").to_string()
}

fn first_folder(rel: &str) -> Option<String> {
    rel.split_once('/').map(|(folder, _)| folder.to_string())
}

/// The language switcher's links of a page: (language, file) of the other languages.
fn other_languages(site: &Published, rel: &str) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = Vec::new();
    let base = site.url_of(rel);
    for tag in site.tags(rel).iter().filter(|t| t.name == "a") {
        let (Some(lang), Some(href)) = (tag.attr("hreflang"), tag.attr("href")) else { continue };
        let Some(file) = base.join(href).ok().and_then(|url| site.resolve(&url).ok()) else { continue };
        if file != rel && !out.iter().any(|(l, _)| l == lang) {
            out.push((lang.to_string(), file));
        }
    }
    out
}
