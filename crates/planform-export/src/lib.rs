//! # planform-export
//!
//! One layered [`Drawing`] and the writers that consume it. No writer knows
//! about site plans or floor plans: [`site`] turns a `SitePlan` into a
//! drawing (a layer per catalog type, in a local metric frame), [`floor`]
//! a `FloorPlan` (wall outlines, centrelines with thickness, wall bodies);
//! writers turn drawings into files.
//!
//! Writers: [`dxf`], [`gpkg`], [`svg`] (a layer preview), [`sheet`] (a
//! printable sheet at a standard scale; `pdf` converts it with the `pdf`
//! feature); [`gpkg_read`] reads GeoPackage
//! feature tables back (a batch's input); [`geojson`] normalises a plan to
//! RFC 7946; with the `gdal` feature, `ogr` reads any OGR source into a
//! plan and writes any OGR format.

pub mod drawing;
pub mod dxf;
mod dxf_dims;
mod dxf_layout;
mod dxf_symbols;
pub mod error;
pub mod floor;
#[cfg(any(feature = "png", feature = "pdf"))]
mod fonts;
pub mod geojson;
pub mod gpkg;
pub mod gpkg_read;
pub mod labels;
#[cfg(feature = "gdal")]
pub mod ogr;
#[cfg(feature = "pdf")]
pub mod pdf;
pub mod sheet;
pub mod site;
pub mod site_sheet;
pub mod style;
pub mod svg;
mod table;

pub use drawing::{
    Dimensioning, Drawing, Entity, FieldType, Layer, Rgb, Shape, Style, Symbol, Units, Value,
};
pub use error::{ExportError, Result};
pub use planform_model as model;
