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
    /// The drawing has nothing to draw (no finite coordinates).
    #[error("nothing to draw: {0}")]
    Empty(String),
}

/// Shorthand for results of this crate.
pub type Result<T, E = ExportError> = std::result::Result<T, E>;
