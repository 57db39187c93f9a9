//! # planform-walls
//!
//! Floor-plan wall masks (the Floor Plan API's 0/255 PNG) into wall geometry.
//!
//! * [`decode`]: PNG/JPEG/TIFF/WebP of any depth or colour type into a
//!   binary [`Mask`], refusing oversized images from their header.
//! * [`outline`]: wall regions as polygons with holes, traced exactly along
//!   pixel edges and simplified without changing topology.
//! * [`centerline`]: a wall graph: centrelines with thickness, junctions
//!   snapped, spurs pruned, door gaps kept; [`residual`] walls cover the
//!   mass the centrelines miss; [`openings`] types junctions with the
//!   walls going on across door openings; [`gaps`] finds the openings as
//!   lines across the gaps, and [`rooms`] the rooms they close off.
//! * [`output`]: the GeoJSON contract (`"planform"` header, y up, px or
//!   metres, optional affine placement) and the model's `FloorPlan`.
//! * [`scale`]: pixels per metre from door openings of a known width or a
//!   known length.
//! * [`metrics`]: IoU against the mask, Hausdorff distance, junction
//!   precision/recall, thickness error.
//!
//! ```
//! use planform_walls::{Mask, outline::{outlines, OutlineOptions}, metrics::iou};
//!
//! let mask = Mask::from_ascii("
//!     .########
//!     .#......#
//!     .#......#
//!     .########");
//! let o = outlines(&mask, &OutlineOptions::default())?;
//! assert_eq!(o.polygons.len(), 1);             // one wall region
//! assert_eq!(o.polygons[0].interiors().len(), 1); // around one room
//! assert_eq!(iou(&mask, &o.polygons, 4), 1.0);
//! # Ok::<(), planform_walls::WallsError>(())
//! ```

pub mod budget;
mod capsule;
pub mod centerline;
mod collinear;
pub mod decode;
pub mod error;
mod fasthash;
mod fit;
pub mod gaps;
mod graph;
pub mod mask;
pub mod metrics;
pub mod openings;
pub mod outline;
pub mod output;
pub mod preview;
mod prune;
pub mod residual;
pub mod rooms;
pub mod scale;
mod simplify;
mod skeleton;
pub mod snap;
pub mod tonality;
pub mod trace;

pub use budget::Budget;
pub use decode::{
    DecodeOptions, decode_mask, decode_mask_reporting, read_mask, read_mask_reporting,
};
pub use error::{Result, WallsError};
pub use mask::Mask;
pub use planform_model as model;
pub use tonality::Tonality;
