//! The filter data of lists on several pages, published as files beside the list of all
//! sites in each language, so that a page carries none of it: the facet index (what
//! [`crate::filter`] tests of every site, compactly; made in `facet_index`), the search
//! text (fetched only when the candidate searches) and the cards' data in chunks of
//! [`CHUNK`] sites (fetched only for the cards of the page of results shown). Sites are in
//! the order of the list of all sites; a programme's list is a range of it.

use serde::Serialize;
use serde_json::Value;

use super::views::{script_json, SiteCard};
use super::{Output, PageResult, Renderer};

/// Sites per file of card data: a page of results fetches the chunks its cards are in. The
/// results of a filter are spread over the catalogue, so a page of 50 needs nearly as many
/// files as it has cards unless files are large; each fetch costs the browser's main thread
/// a few milliseconds (BENCHMARKS.md, "filter change").
pub(super) const CHUNK: usize = 250;

/// What the cards of one file show, for the card template the script fills
/// (`partials/site-card.html`): a column per field, one value per site, each value written
/// against the one above it (see [`front_coded`]), so that a file of many sites stays small.
#[derive(Serialize)]
struct CardColumns {
    id: Vec<Value>,
    href: Vec<Value>,
    title: Vec<Value>,
    code: Vec<Value>,
    address: Vec<Value>,
    volunteers: Vec<Value>,
    hours: Vec<Value>,
    /// The sites whose text is not in the page's language: (site in the file, language, direction).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    lang: Vec<(usize, String, &'static str)>,
}

/// `value` as the script reads it after `previous` in its column: `[n, rest]` when the two
/// share a beginning of four or more UTF-16 code units (the script's string indexes), `n`
/// being its length; the whole string otherwise.
fn front_coded(previous: &str, value: &str) -> Value {
    let shared: usize =
        previous.chars().zip(value.chars()).take_while(|(a, b)| a == b).map(|(c, _)| c.len_utf8()).sum();
    let units: usize = value[..shared].encode_utf16().count();
    if units < 4 {
        return Value::from(value);
    }
    Value::from(vec![Value::from(units), Value::from(&value[shared..])])
}

/// Appends each site's value of one field to its column; `None` is written as null.
fn column<'a>(values: impl Iterator<Item = Option<&'a str>>) -> Vec<Value> {
    let mut previous = "";
    values
        .map(|v| match v {
            None => Value::Null,
            Some(v) => {
                let coded = front_coded(previous, v);
                previous = v;
                coded
            }
        })
        .collect()
}

/// Where the script finds the files of a list on several pages.
#[derive(Serialize)]
pub(super) struct FacetSource {
    pub index: String,
    pub text: String,
    /// The address of chunk `n` is this with `{n}` replaced.
    pub cards: String,
    pub chunk: usize,
    /// The list's sites in the index: `start..end`.
    pub start: usize,
    pub end: usize,
    pub page_size: usize,
}

impl Renderer<'_> {
    pub(super) fn facet_index_path(&self, lang: &str) -> String {
        format!("{}filters.json", self.listings.all_sites.version(lang).path)
    }

    pub(super) fn search_text_path(&self, lang: &str) -> String {
        format!("{}search.json", self.listings.all_sites.version(lang).path)
    }

    pub(super) fn card_chunk_path(&self, n: usize, lang: &str) -> String {
        format!("{}cards-{n}.json", self.listings.all_sites.version(lang).path)
    }

    /// The files' addresses for a list of the sites `start..end`.
    pub(super) fn facet_source(&self, lang: &str, start: usize, end: usize) -> FacetSource {
        FacetSource {
            index: self.base.href(&self.facet_index_path(lang)),
            text: self.base.href(&self.search_text_path(lang)),
            cards: self.base.href(&self.card_chunk_path(usize::MAX, lang)).replace(&usize::MAX.to_string(), "{n}"),
            chunk: CHUNK,
            start,
            end,
            page_size: self.config.page_size.get(),
        }
    }

    /// The folded text the search looks in, one string per site.
    pub(super) fn search_text(&self, lang: &str) -> PageResult {
        Ok((Output::text(&self.search_text_path(lang), self.every_site_search(lang)?), Vec::new()))
    }

    /// The cards' data of sites `n * CHUNK ..`.
    pub(super) fn card_chunk(&self, n: usize, lang: &str) -> PageResult {
        let cards: Vec<SiteCard> =
            self.all_sites_from(n * CHUNK, CHUNK).into_iter().map(|(_, s)| self.site_card(s, lang)).collect();
        let text = |field: fn(&SiteCard) -> Option<&str>| column(cards.iter().map(field));
        let data = CardColumns {
            id: text(|c| Some(&c.id)),
            href: text(|c| Some(&c.href)),
            title: text(|c| Some(&c.title)),
            code: text(|c| c.code.as_deref()),
            address: text(|c| Some(&c.address)),
            volunteers: text(|c| Some(&c.volunteers)),
            hours: text(|c| c.hours.as_deref()),
            lang: cards
                .iter()
                .enumerate()
                .filter_map(|(i, c)| Some((i, c.text_lang.clone()?, c.text_dir.unwrap_or("ltr"))))
                .collect(),
        };
        Ok((Output::text(&self.card_chunk_path(n, lang), script_json(&data)), Vec::new()))
    }
}

/// A column of a file of cards' data read back as the script reads it (`filters.js`,
/// `readCards`): null, a string, or `[n, rest]`, the first `n` UTF-16 code units of the value
/// above followed by `rest`. For the tests over published files; what is not such a column
/// is an `Err` saying why.
pub fn read_card_column(column: &[Value]) -> Result<Vec<Option<String>>, String> {
    let mut previous: Vec<u16> = Vec::new();
    let mut values = Vec::with_capacity(column.len());
    for v in column {
        let units: Vec<u16> = match v {
            Value::Null => {
                values.push(None);
                continue;
            }
            Value::String(s) => s.encode_utf16().collect(),
            Value::Array(a) => match (a.first().and_then(Value::as_u64), a.get(1).and_then(Value::as_str)) {
                (Some(n), Some(rest)) if n as usize <= previous.len() => {
                    previous[..n as usize].iter().copied().chain(rest.encode_utf16()).collect()
                }
                _ => return Err(format!("not [shared units, rest] after {} units: {v}", previous.len())),
            },
            other => return Err(format!("not a column value: {other}")),
        };
        values.push(Some(String::from_utf16(&units).map_err(|_| format!("splits a character: {v}"))?));
        previous = units;
    }
    Ok(values)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_column_reads_back_as_its_values_with_shared_beginnings_counted_in_utf16_units() {
        let values = [
            Some("/servizio-civile/prog-006/site-00176/"),
            Some("/servizio-civile/prog-006/site-00177/"),
            None,
            Some("/servizio-civile/prog-007/sede-città/"),
            Some("/servizio-civile/prog-007/sede-città-2/"),
            Some("𝔄𝔅𝔆𝔇 first"),
            Some("𝔄𝔅𝔆𝔈 second"),
            Some("𝔄𝔅𝔆𝔈 second"),
            Some("abc"),
            Some("abd"),
            Some(""),
        ];
        let column = column(values.iter().copied());
        assert_eq!(read_card_column(&column), Ok(values.map(|v| v.map(String::from)).to_vec()));
        assert_eq!(column[1], serde_json::json!([35, "7/"]), "the shared beginning is not written again");
        assert_eq!(column[6], serde_json::json!([6, "𝔈 second"]), "three characters, six UTF-16 units");
        assert_eq!(column[7], serde_json::json!([15, ""]), "the same value: all of it shared");
        let bad = |v: Value| read_card_column(&[serde_json::json!("ab"), v]).is_err();
        assert!(bad(serde_json::json!([3, "x"])), "more units shared than the value above has");
        assert!(bad(serde_json::json!(7)) && bad(serde_json::json!(["x"])), "not a column value");
        assert_eq!(column[9], serde_json::json!("abd"), "too short a beginning to share");
    }
}
