//! planform's columnar side: parcel and context layers read from Arrow
//! record batches or GeoParquet files, and the rows of a county batch
//! ([`planform_site::Batch`]) given back as record batches or written as
//! GeoParquet.
//!
//! ```no_run
//! use std::path::Path;
//! use planform_site::{BatchParcel, Layer, SiteContext, SiteOptions};
//!
//! let parcels: Layer<BatchParcel> = planform_arrow::read_geoparquet(Path::new("parcels.parquet"), None)?;
//! let context = SiteContext {
//!     roads: planform_arrow::read_geoparquet(Path::new("roads.parquet"), None)?,
//!     ..SiteContext::default()
//! };
//! let (table, sides) = planform_arrow::analyze_layer(&parcels, &context, &SiteOptions::default(), Some("PIN"))?;
//! let file = std::fs::File::create("rows.parquet")?;
//! let mut out = planform_arrow::GeoParquetWriter::try_new(file, &table.schema())?;
//! out.write(&table)?;
//! out.finish()?;
//! # let _ = sides;
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod error;
pub mod read;
pub mod write;

use arrow_array::RecordBatch;
use planform_site::{Batch, BatchParcel, Layer, SiteContext, SiteOptions};

pub use error::{Result, TableError};
pub use read::{FeatureRow, layer_from_batches, read_geoparquet};
pub use write::{GeoParquetWriter, parcels_batch, parcels_schema, sides_batch, sides_schema};

/// Every parcel of `parcels` analysed with `context` (one thread, in
/// order; [`planform_site::Batch::analyze`] spreads rows over threads), as
/// the parcels table and the sides table. `id_field` names the property
/// that identifies a parcel (the id column takes its name; else `id`, the
/// row's index).
pub fn analyze_layer(
    parcels: &Layer<BatchParcel>,
    context: &SiteContext,
    options: &SiteOptions,
    id_field: Option<&str>,
) -> Result<(RecordBatch, RecordBatch)> {
    let batch = Batch::new(parcels, context, options, id_field)?;
    let rows: Vec<_> = batch.rows().collect();
    let id_name = id_field.unwrap_or("id");
    Ok((parcels_batch(&rows, id_name)?, sides_batch(&rows, id_name)?))
}

/// [`analyze_layer`] of the parcels in record batches (the geometry column
/// named `geometry_column`, else the first GeoArrow field).
pub fn analyze_batches(
    parcels: impl IntoIterator<Item = RecordBatch>,
    geometry_column: Option<&str>,
    context: &SiteContext,
    options: &SiteOptions,
    id_field: Option<&str>,
) -> Result<(RecordBatch, RecordBatch)> {
    let layer = layer_from_batches(parcels, geometry_column)?;
    analyze_layer(&layer, context, options, id_field)
}
