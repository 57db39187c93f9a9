//! # planform-model
//!
//! The GetSitePlan.ai site plan as Rust types: a GeoJSON FeatureCollection
//! whose features carry a `catalogType` with typed `attrs`, plus the
//! top-level `parcel`, `yards`, `gates` and `analysis` records.
//!
//! * **Lossless**: parse → write gives the same JSON value: unknown members,
//!   unknown catalog types and enum values, `null` vs absent, integer vs
//!   float spelling and alias spellings all survive.
//! * **Typed**: `feature.attrs::<TreeAttrs>()`, enums for every documented
//!   sub-kind, SI helpers for the wire's feet.
//! * **Validated separately**: [`SitePlan::validate`] lists every problem with
//!   its JSON Pointer; parse errors carry one too.
//! * **Measured**: geodesic areas and lengths, and local metric frames (auto
//!   UTM or any projected EPSG code) for analysis and CAD.
//!
//! ```
//! use planform_model::{SitePlan, attrs::TreeAttrs};
//!
//! let json = r#"{"type": "FeatureCollection", "features": [{"type": "Feature",
//!   "geometry": {"type": "Point", "coordinates": [-87.878, 41.748]},
//!   "properties": {"catalogType": "tree", "attrs": {"heightM": 8.4, "species": "deciduous"},
//!                  "confidence": 0.92, "source": "sam"}}]}"#;
//! let plan = SitePlan::from_json_str(json)?;
//! assert!(plan.validate().is_empty());
//! let tree = plan.features[0].attrs::<TreeAttrs>().unwrap();
//! assert_eq!(tree.height(), Some(8.4));
//! // Lossless: the same JSON value comes back out.
//! let again: serde_json::Value = serde_json::from_slice(&plan.to_vec()?)?;
//! assert_eq!(again, serde_json::from_str::<serde_json::Value>(json)?);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

pub mod analysis;
pub mod attrs;
pub mod catalog;
pub mod crs;
pub mod error;
pub mod feature;
pub mod floorplan;
pub mod geodesic;
pub mod geometry;
pub mod io;
pub mod json;
pub mod planar;
pub mod site_plan;
pub mod tmerc;
pub mod units;
pub mod validate;

pub use analysis::{Analysis, Gate, Parcel, Side, Yard};
pub use attrs::{Attrs, CatalogAttrs};
pub use catalog::{CatalogSlug, CatalogType, Category, FeatureFilter, Include};
pub use crs::{CrsSpec, LocalFrame};
pub use error::{ModelError, ParseErrorKind, Result};
pub use feature::{Feature, Properties, Source};
pub use floorplan::{FloorPlan, Opening, PlanUnits, Room, Wall, WallKind};
pub use geodesic::GeodesicMeasure;
pub use geometry::{Geometry, GeometryType, GeometryValue, Position};
pub use site_plan::{ReadOptions, SitePlan};
pub use validate::{Issue, IssueKind, Profile, Severity, ValidateOptions};
