//! The site's address (`base_url`): origin and path, and the links made from them.

use std::fmt;

/// Where the site lives: `https://host/sub/path/` split into origin and path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BaseUrl {
    /// `https://host`, no trailing slash.
    pub origin: String,
    /// Always starts and ends with `/`: `/` or `/sub/path/`.
    pub path: String,
}

impl BaseUrl {
    pub fn parse(raw: &str) -> Result<BaseUrl, String> {
        let rest = raw
            .strip_prefix("https://")
            .map(|r| ("https", r))
            .or_else(|| raw.strip_prefix("http://").map(|r| ("http", r)));
        let Some((scheme, rest)) = rest else {
            return Err(format!("`{raw}` does not start with https:// or http://"));
        };
        let (host, path) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
        if host.is_empty() || host.contains(|c: char| c.is_whitespace() || c == '?' || c == '#') {
            return Err(format!("`{raw}` has no valid host name"));
        }
        if path.contains(['?', '#', ' ', '"', '<', '>']) {
            return Err(format!("`{raw}` has characters that cannot be in a site address"));
        }
        let mut path = path.trim_end_matches('/').to_string();
        path.push('/');
        if !path.starts_with('/') {
            path.insert(0, '/');
        }
        Ok(BaseUrl { origin: format!("{scheme}://{host}"), path })
    }

    /// Absolute URL of a site-relative path (`en/programme/`).
    pub fn absolute(&self, rel: &str) -> String {
        [self.origin.as_str(), &self.path, rel].concat()
    }

    /// Root-relative URL of a site-relative path, correct when the site lives in a subfolder.
    pub fn href(&self, rel: &str) -> String {
        self.href_with(rel, "")
    }

    /// [`BaseUrl::href`] with `suffix` (`#orari`, `?x`) after it.
    pub fn href_with(&self, rel: &str, suffix: &str) -> String {
        [self.path.as_str(), rel, suffix].concat()
    }

    /// Whether the address cannot be the published site's: a domain reserved for examples
    /// and tests (RFC 2606: example.com/.net/.org, *.example, *.test, *.invalid, *.localhost)
    /// or this computer (localhost, 127.0.0.1, ::1).
    pub fn is_placeholder(&self) -> bool {
        let authority = self.origin.split_once("://").map_or(self.origin.as_str(), |(_, a)| a);
        let host = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
        let host = if host.starts_with('[') {
            host.split_once(']').map_or(host, |(h, _)| &h[1..])
        } else {
            host.split(':').next().unwrap_or(host)
        };
        let host = host.trim_end_matches('.').to_ascii_lowercase();
        let under = |domain: &str| host == domain || host.ends_with(&format!(".{domain}"));
        ["example.com", "example.net", "example.org", "example", "test", "invalid", "localhost"]
            .iter()
            .any(|d| under(d))
            || host.starts_with("127.")
            || host == "::1"
            || host == "0.0.0.0"
    }
}

impl fmt::Display for BaseUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}{}", self.origin, self.path)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_url_keeps_the_subfolder() {
        let b = BaseUrl::parse("https://www.example.org/servizio-civile").unwrap();
        assert_eq!(b.origin, "https://www.example.org");
        assert_eq!(b.path, "/servizio-civile/");
        assert_eq!(b.href("en/"), "/servizio-civile/en/");
        assert_eq!(b.absolute("en/"), "https://www.example.org/servizio-civile/en/");
        assert_eq!(BaseUrl::parse("http://localhost:1111").unwrap().path, "/");
        assert!(BaseUrl::parse("www.example.org").is_err());
    }
}
