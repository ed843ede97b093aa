//! Integration tests: each builds a small fixture site from `tests/fixtures/<case>/` in a
//! temporary folder (with the real `themes/default` when the fixture has no theme) and
//! asserts on the files it produces, or on the diagnostics it reports.

mod architecture;
mod browser;
mod candidate_view;
mod check;
mod cli;
mod commonmark;
mod diagnostics;
mod facets;
mod favicon;
mod filters;
mod fuzz;
mod hostile;
mod i18n;
mod incremental;
mod init;
mod layout_shift;
mod leaflets;
mod markdown;
mod output;
mod pagination;
mod patched;
mod pdf;
mod plain_language;
mod print;
mod project;
mod publish;
mod published;
mod real_content;
mod routing;
mod rules;
mod scaffold;
mod seo;
mod serve;
mod serve_safety;
mod server;
mod structure_errors;
mod translate;
mod yaml_mistakes;
