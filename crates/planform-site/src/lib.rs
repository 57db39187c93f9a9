//! # planform-site
//!
//! Parcel analysis offline, in one call: [`analyze`] takes a site plan,
//! what is known around it ([`SiteContext`]: roads, the parcel fabric,
//! right-of-way polygons, each a geo-types [`Layer`] in its own CRS),
//! terrain and surface models ([`Rasters`]) and [`SiteOptions`], and
//! returns a typed [`SiteAnalysis`]:
//!
//! * the parcel's sides (a ring split where it turns, arcs kept whole,
//!   geodesic lengths) with their roles and relations (front, rear,
//!   interior and exterior sides, left/right as seen from the street) and
//!   its shape class;
//! * the setback report against zoning minimums ([`Minimums`], from OZFS
//!   or feet per role) and the exact buildable envelope ([`Envelope`]);
//! * the lot grade from a terrain model ([`grade`]: Horn slope and aspect
//!   as gdaldem);
//! * the sun hours per yard on a date ([`sun`]: NREL SPA), with the shadows
//!   of the plan's buildings, trees and fences and of a surface model;
//! * the yards' ground, and the fence layout with its gates.
//!
//! [`SiteAnalysis::apply`] writes it into the plan in the service's shape.
//! What the plan already knows (its classification, side roles, yards and
//! gates, detected from imagery) is kept unless
//! [`SiteOptions::replace`] asks otherwise ([`Kept`]).
//!
//! ```
//! use planform_site::{Layer, Minimums, Rasters, Road, SiteContext, SiteOptions, analyze, model::SitePlan};
//! use geo_types::line_string;
//!
//! // a 50 m × 44.5 m lot with the street along its south side
//! let mut plan = SitePlan::from_slice(br#"{"type": "FeatureCollection", "features": [
//!   {"type": "Feature", "properties": {"catalogType": "parcel"}, "geometry": {"type": "Polygon",
//!     "coordinates": [[[-87.9, 41.7], [-87.8994, 41.7], [-87.8994, 41.7004], [-87.9, 41.7004], [-87.9, 41.7]]]}}]}"#)?;
//! let context = SiteContext {
//!     roads: Layer::wgs84(vec![Road::named(
//!         line_string![(x: -87.901, y: 41.69985), (x: -87.8984, y: 41.69985)],
//!         "W 95th St",
//!     )]),
//!     ..SiteContext::default()
//! };
//! let options = SiteOptions {
//!     minimums: Minimums { front: Some(25.0), rear: Some(25.0), interior: Some(5.0), exterior: Some(10.0) },
//!     shade: false,
//!     ..SiteOptions::default()
//! };
//! let site = analyze(&plan, &context, Rasters::default(), &options)?;
//! let roles: Vec<&str> = site.parcel.sides.iter().flatten()
//!     .filter_map(|s| s.role.as_ref().map(|r| r.as_str())).collect();
//! assert_eq!(roles, ["front", "interior", "rear", "interior"]);
//! // 50 m less 2 × 5 ft by 44.5 m less 2 × 25 ft
//! let area = site.envelope.as_ref().unwrap().area();
//! assert!((area - (50.0 - 3.048) * (44.5 - 15.24)).abs() < 15.0, "{area}");
//! site.apply(&mut plan);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! Whole layers of parcels get their side labels from [`tidyparcel`]
//! (zoneR's OZFS shape, or `properties.sides` on a polygon layer).
//!
//! Depends only on `planform-model`, as DESIGN.md requires.

mod address;
mod batch;
mod context;
mod dims;
mod envelope;
mod error;
mod evidence;
mod fabric;
mod fence;
mod front;
mod frontage;
mod geom;
pub mod grade;
mod parcel;
mod pipeline;
mod roles;
mod setbacks;
mod shade;
mod sides;
mod streets;
mod subtract;
pub mod sun;
pub mod tidyparcel;
mod yards;

pub use batch::{Batch, BatchParcel, ParcelRow, SideRow};
pub use context::{Building, FromFeature, Layer, LayerCrs, Road, SiteContext};
pub use envelope::Envelope;
pub use error::{Result, SiteError};
pub use evidence::Kept;
pub use grade::{Dem, GradeOptions, read_dem};
pub use parcel::ParcelOptions;
pub use pipeline::{Rasters, ShadePoint, SiteAnalysis, SiteOptions, analyze};
pub use planform_model as model;
pub use roles::Assigned;
pub use setbacks::Minimums;
pub use shade::ShadeOptions;
pub use sun::Date;
