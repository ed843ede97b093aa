//! The site's icon: the theme's icons linked from every page with the site's subfolder,
//! `favicon:` in config.yaml replacing them, and `check` reporting an icon file that is missing.

use crate::check::run_check;
use crate::project::{repo, Project};

/// The `<link>` start tags of a page's head that name an icon.
fn icon_links(html: &str) -> Vec<&str> {
    let head = &html[..html.find("</head>").expect("a head")];
    head.match_indices("<link rel=\"")
        .filter(|(i, _)| head[*i..].contains("icon"))
        .map(|(i, _)| {
            let tag = &head[i..];
            &tag[..=tag.find('>').expect("end of tag")]
        })
        .filter(|tag| tag.contains("icon\""))
        .collect()
}

#[test]
fn the_themes_icons_are_published_and_linked_with_the_sites_subfolder() {
    let p = Project::fixture("basic");
    let mut opts = p.options();
    opts.base_url = Some("https://www.example.org/servizio-civile/".into());
    brochure::build(&opts).unwrap_or_else(|e| panic!("build: {e}"));
    let home = p.read("index.html");
    let links = icon_links(&home);
    assert_eq!(
        links,
        [
            "<link rel=\"icon\" href=\"/servizio-civile/favicon.png\" sizes=\"32x32\" type=\"image/png\">",
            "<link rel=\"icon\" href=\"/servizio-civile/favicon.svg\" type=\"image/svg+xml\">",
            "<link rel=\"apple-touch-icon\" href=\"/servizio-civile/apple-touch-icon.png\">",
        ]
    );
    assert_eq!(icon_links(&p.read("404.html")), links, "the error page links them too");
    let theme = repo().join("themes/default/static");
    for icon in brochure::favicon::THEME_ICONS {
        assert_eq!(p.read_bytes(icon), std::fs::read(theme.join(icon)).unwrap(), "{icon} copied as it is");
    }
    // At a host's root, /favicon.ico answers: one 32x32 PNG inside an ICO.
    let ico = p.read_bytes("favicon.ico");
    assert_eq!(&ico[..6], [0, 0, 1, 0, 1, 0], "an ICO with one image");
    assert_eq!(&ico[22..30], b"\x89PNG\r\n\x1a\n", "stored as PNG");
}

#[test]
fn favicon_in_config_replaces_the_themes_icons() {
    let p = Project::fixture("basic");
    let stemma =
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 1 1\"><rect width=\"1\" height=\"1\"/></svg>\n";
    p.write("static/stemma.svg", stemma);
    p.edit("config.yaml", "theme: default\n", "theme: default\nfavicon: static/stemma.svg\n");
    p.build_ok();
    assert_eq!(p.read("favicon.svg"), stemma, "published at the site's root as favicon.svg");
    for gone in ["favicon.png", "favicon.ico", "apple-touch-icon.png"] {
        assert!(!p.exists(gone), "the theme's {gone} is left out: it would show another icon");
    }
    assert_eq!(
        icon_links(&p.read("en/index.html")),
        ["<link rel=\"icon\" href=\"/favicon.svg\" type=\"image/svg+xml\">"]
    );
}

#[test]
fn check_reports_a_missing_icon_at_its_line_of_config_yaml() {
    let p = Project::fixture("basic");
    p.edit("config.yaml", "theme: default\n", "theme: default\nfavicon: static/stemma.svg\n");
    let line = p.root().join("config.yaml");
    let line = std::fs::read_to_string(line).unwrap().lines().position(|l| l.starts_with("favicon:")).unwrap() + 1;
    let (code, _, stderr) = run_check(&p, &[]);
    assert_eq!(code, 1, "a missing icon is an error:\n{stderr}");
    assert!(stderr.contains(&format!("config.yaml:{line}:")), "located at the favicon line {line}:\n{stderr}");
    assert!(stderr.contains("the icon file `static/stemma.svg` named by favicon is missing"), "{stderr}");
    assert!(stderr.contains("remove `favicon:` to use the theme's icon"), "says what to do:\n{stderr}");
    let error = p.build_error();
    assert_eq!((error.path.as_deref(), error.line), (Some(std::path::Path::new("config.yaml")), Some(line)));
    assert!(!p.exists("index.html"), "the build writes nothing");
}
