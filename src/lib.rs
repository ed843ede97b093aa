//! brochure: a static site generator for volunteer programme brochures.
//!
//! Data flows one way: [`load`] reads `content/` and the theme, [`model`] turns the files into
//! a validated [`model::Brochure`], [`render`] makes every output file in memory, and [`write`]
//! swaps them into the output folder. [`build`] sequences the chain.

// Diagnostics are the error type of the user-facing paths; they are rare and cold, so their
// size does not matter and boxing them everywhere would only add noise.
#![allow(clippy::result_large_err)]

pub mod build;
pub mod check;
pub mod config;
pub mod diagnostic;
pub mod favicon;
pub mod filter;
pub mod hashing;
pub mod load;
pub mod model;
pub mod pdf;
pub mod percent;
pub mod publish;
pub mod render;
pub mod scaffold;
pub mod serve;
pub mod slug;
pub mod stamp;
pub mod symlinks;
pub mod target;
pub mod translate;
pub mod url;
pub mod write;
mod yaml;

pub use build::{build, build_with_progress, prepare, BuildError, BuildOptions, BuildReport};
pub use diagnostic::{Diagnostic, Kind, Severity};
