//! The crate's one error type.

/// Everything that can go wrong while exporting.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ExportError {
    /// Projecting the input into the drawing's frame failed.
    #[error(transparent)]
    Model(#[from] planform_model::ModelError),
    /// Writing failed.
    #[error("cannot write: {0}")]
    Io(#[from] std::io::Error),
    /// A coordinate is NaN, infinite or beyond
    /// [`MAX_COORDINATE`](crate::drawing::MAX_COORDINATE).
    #[error("layer {layer:?}, entity {index}: a coordinate is not finite or beyond ±1e12")]
    NonFinite {
        /// The layer.
        layer: String,
        /// The entity's index in its layer.
        index: usize,
    },
    /// A writer option is invalid.
    #[error("invalid option: {0}")]
    Option(String),
    /// The DXF library refused the drawing.
    #[error("DXF: {0}")]
    Dxf(String),
    /// SQLite refused a GeoPackage statement.
    #[error("GeoPackage: {0}")]
    Gpkg(String),
    /// GDAL/OGR refused a read or a write (feature `gdal`).
    #[error("GDAL: {0}")]
    Gdal(String),
    /// Rendering a preview failed.
    #[error("cannot render the preview: {0}")]
    Render(String),
    /// The drawing has nothing to draw (no finite coordinates).
    #[error("nothing to draw: {0}")]
    Empty(String),
}

/// Shorthand for results of this crate.
pub type Result<T, E = ExportError> = std::result::Result<T, E>;

/// An acadrust error as [`ExportError::Dxf`].
#[allow(clippy::needless_pass_by_value)] // used as `map_err(cad)`
pub(crate) fn cad(e: acadrust::error::DxfError) -> ExportError {
    ExportError::Dxf(e.to_string())
}
