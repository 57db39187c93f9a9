//! The crate's one error type.

/// Everything that can go wrong in parcel analysis.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SiteError {
    /// Reading, projecting or writing through the model failed.
    #[error(transparent)]
    Model(#[from] planform_model::ModelError),
    /// An input is not what the analysis needs, with where.
    #[error("{what}: {reason}")]
    Invalid {
        /// Which input or feature.
        what: String,
        /// What is wrong.
        reason: String,
    },
}

impl SiteError {
    pub(crate) fn invalid(what: impl Into<String>, reason: impl Into<String>) -> Self {
        Self::Invalid {
            what: what.into(),
            reason: reason.into(),
        }
    }
}

/// Shorthand for results of this crate.
pub type Result<T, E = SiteError> = std::result::Result<T, E>;
