//! # planform-site
//!
//! Parcel analysis offline. So far: sides ([`sides`]: a ring split where it
//! turns, arcs kept whole), the parcel fabric ([`fabric`]: which sides are
//! shared with neighbours), roles and relations ([`roles`]: front, rear,
//! interior and exterior sides, left/right as seen from the street), and
//! fabric-wide side labels in the OZFS tidyparcel shape ([`tidyparcel`]),
//! and a site plan's `parcel` record ([`parcel`]: sides with geodesic
//! lengths, roles from roads, the fabric or a driveway, shape class) and
//! its setback report against zoning minimums ([`setbacks`]) and buildable
//! envelope ([`envelope`]); lot grade
//! from a DEM GeoTIFF ([`grade`]: Horn slope and aspect as gdaldem); the
//! sun's path ([`sun`]: NREL SPA) and the shade report per yard
//! ([`shade`]); yards and the fence layout with gates ([`fence`]).
//! Yard polygons and DSM shadows are the open part of the site-analysis
//! issue.
//!
//! Depends only on `planform-model`, as DESIGN.md requires.

pub mod dims;
pub mod envelope;
pub mod error;
pub mod fabric;
pub mod fence;
pub mod front;
pub mod frontage;
mod geom;
pub mod grade;
pub mod parcel;
pub mod roles;
pub mod setbacks;
pub mod shade;
pub mod sides;
pub mod sun;
pub mod tidyparcel;

pub use error::{Result, SiteError};
pub use planform_model as model;
