//! schema.org descriptions of programmes and sites, for search engines.

use serde_json::{json, Value};

use super::views::{script_json, ProgrammeView, SiteCard, SiteView};
use crate::config::BaseUrl;
use crate::model::ProgrammeFacts;

/// A site as a volunteer position at a place with a postal address.
pub fn site(view: &SiteView, programme: &ProgrammeFacts, permalink: &str, lang: &str) -> String {
    let mut place = json!({
        "@type": "Place",
        "address": {
            "@type": "PostalAddress",
            "streetAddress": view.card.address,
            "addressCountry": "IT",
        }
    });
    if let Some(office) = &view.office {
        place["name"] = Value::String(office.clone());
    }
    let mut ld = json!({
        "@context": "https://schema.org",
        "@type": "JobPosting",
        "title": view.card.title,
        "url": permalink,
        "inLanguage": lang,
        "employmentType": "VOLUNTEER",
        "jobLocation": place,
        "description": view.activities.join("; "),
    });
    if let Some(entity) = &programme.entity {
        ld["hiringOrganization"] = json!({ "@type": "GovernmentOrganization", "name": entity });
    }
    if let Some(code) = &view.card.code {
        ld["identifier"] = Value::String(code.clone());
    }
    script_json(&ld)
}

/// A programme as a list of its sites.
pub fn programme(view: &ProgrammeView, sites: &[SiteCard], permalink: &str, base: &BaseUrl) -> String {
    let items: Vec<Value> = sites
        .iter()
        .enumerate()
        .map(|(i, s)| {
            json!({
                "@type": "ListItem",
                "position": i + 1,
                "name": s.title,
                "url": format!("{}{}", base.origin, s.href),
            })
        })
        .collect();
    let mut ld = json!({
        "@context": "https://schema.org",
        "@type": "ItemList",
        "name": view.card.title,
        "url": permalink,
        "numberOfItems": sites.len(),
        "itemListElement": items,
    });
    if let Some(entity) = &view.card.entity {
        ld["provider"] = json!({ "@type": "GovernmentOrganization", "name": entity });
    }
    script_json(&ld)
}
