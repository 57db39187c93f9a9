//! # planform
//!
//! Site plans and floor plans offline. This facade re-exports the member
//! crates:
//!
//! * [`model`]: the typed, lossless GetSitePlan.ai site-plan model,
//!   validation, CRS frames and geodesic measures.
//! * [`walls`]: wall-mask vectorization.
//! * [`site`]: parcel analysis.
//! * [`export`]: DXF, GeoPackage, SVG and GeoJSON writers.
//! * `fetch` (feature `fetch`): clients for the three hosted services.
//! * `arrow` (feature `parquet`): parcel layers from GeoParquet files and
//!   Arrow record batches, and batch rows back as either.

pub use planform_export as export;
pub use planform_model as model;
pub use planform_site as site;
pub use planform_walls as walls;

#[cfg(feature = "fetch")]
pub use planform_fetch as fetch;

#[cfg(feature = "parquet")]
pub use planform_arrow as arrow;

pub mod synthetic;
pub mod write;

pub use planform_model::{Feature, ModelError, SitePlan};

/// The README's Rust examples, compiled and run as doc tests.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
pub struct ReadmeDoctests;
