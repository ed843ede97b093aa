//! brochure: a static site generator for volunteer programme brochures.
//!
//! Data flows one way: [`load`] reads `content/` and the theme, [`model`] turns the files into
//! a validated [`model::Brochure`], [`render`] makes every output file in memory, and [`write`]
//! swaps them into the output folder. [`build`] sequences the chain.

pub mod build;
pub mod config;
pub mod diagnostic;
pub mod load;
pub mod model;
pub mod render;
pub mod write;
mod yaml;

pub use build::{build, prepare, BuildError, BuildOptions, BuildReport};
pub use diagnostic::{Diagnostic, Severity};
