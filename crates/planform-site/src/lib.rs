//! # planform-site
//!
//! Parcel analysis offline: sides ([`sides`]: a ring split where it turns,
//! arcs kept whole), the parcel fabric ([`fabric`]: which sides are shared
//! with neighbours), roles and relations ([`roles`]: front, rear, interior
//! and exterior sides, left/right as seen from the street; [`front`] and
//! [`dims`]: which side is the front; [`frontage`]: block faces),
//! fabric-wide side labels in the OZFS tidyparcel shape ([`tidyparcel`]),
//! a site plan's `parcel` record ([`parcel`]: sides with geodesic lengths,
//! roles from roads, the fabric or a driveway, shape class), its setback
//! report against zoning minimums ([`setbacks`]) and buildable envelope
//! ([`envelope`]); lot grade from a DEM GeoTIFF ([`grade`]: Horn slope and
//! aspect as gdaldem); the sun's path ([`sun`]: NREL SPA) and the shade
//! report per yard ([`shade`], with the shadows of a DSM too); the yards'
//! ground ([`yards`]) and the fence layout with gates ([`fence`]).
//!
//! Depends only on `planform-model`, as DESIGN.md requires.

pub mod address;
pub mod dims;
pub mod envelope;
pub mod error;
pub mod evidence;
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
pub mod streets;
pub mod sun;
pub mod tidyparcel;
pub mod yards;

pub use error::{Result, SiteError};
pub use planform_model as model;
