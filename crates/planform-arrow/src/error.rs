//! The crate's one error type.

use std::path::PathBuf;

/// Why a table could not be read, analysed or written.
#[derive(Debug, thiserror::Error)]
pub enum TableError {
    /// A file could not be opened, created or written.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// What the system said.
        source: std::io::Error,
    },
    /// The Parquet reader or writer refused the file (not Parquet, a
    /// truncated footer, a corrupt page, a codec it was built without).
    #[error("Parquet: {0}")]
    Parquet(String),
    /// An Arrow or GeoArrow array is not what its field says (a column of
    /// the wrong type, WKB that is not WKB).
    #[error("Arrow: {0}")]
    Arrow(String),
    /// The table is not a layer planform can read: no geometry column, no
    /// GeoParquet `geo` metadata, a CRS without an EPSG code.
    #[error("{0}")]
    Layer(String),
    /// The site analysis refused the layer (a context layer it cannot place).
    #[error(transparent)]
    Site(#[from] planform_site::SiteError),
}

impl From<parquet::errors::ParquetError> for TableError {
    fn from(e: parquet::errors::ParquetError) -> Self {
        Self::Parquet(e.to_string())
    }
}

impl From<arrow_schema::ArrowError> for TableError {
    fn from(e: arrow_schema::ArrowError) -> Self {
        Self::Arrow(e.to_string())
    }
}

impl From<geoarrow_schema::error::GeoArrowError> for TableError {
    fn from(e: geoarrow_schema::error::GeoArrowError) -> Self {
        Self::Arrow(e.to_string())
    }
}

/// The crate's result.
pub type Result<T> = std::result::Result<T, TableError>;
