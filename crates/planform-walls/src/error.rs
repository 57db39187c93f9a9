//! The crate's one error type.

use std::path::PathBuf;

/// Everything that can go wrong in `planform-walls`.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum WallsError {
    /// The file could not be read.
    #[error("{}: {source}", .path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// The I/O error.
        #[source]
        source: std::io::Error,
    },
    /// The bytes are not an image this crate can decode (unknown format,
    /// truncated or corrupt data).
    #[error("{}cannot decode the mask: {message}", prefix(.path.as_deref()))]
    Decode {
        /// The file, when decoding one.
        path: Option<PathBuf>,
        /// The decoder's message.
        message: String,
    },
    /// The image is larger than the configured limit; refused before its
    /// pixels were allocated.
    #[error("{}mask is {width}x{height} = {pixels} pixels, over the limit of {limit}", prefix(.path.as_deref()))]
    TooLarge {
        /// The file, when decoding one.
        path: Option<PathBuf>,
        /// Width in pixels.
        width: u32,
        /// Height in pixels.
        height: u32,
        /// `width * height`.
        pixels: u64,
        /// `DecodeOptions::max_pixels`.
        limit: u64,
    },
    /// Mask data whose length does not match its dimensions.
    #[error("mask data has {len} bytes; {width}x{height} needs {expected}")]
    BadDimensions {
        /// Width in pixels.
        width: u32,
        /// Height in pixels.
        height: u32,
        /// Bytes given.
        len: usize,
        /// Bytes needed.
        expected: usize,
    },
    /// An option out of its range (for example a negative tolerance).
    #[error("invalid option {name}: {reason}")]
    InvalidOption {
        /// The option.
        name: &'static str,
        /// Why.
        reason: String,
    },
    /// The mask has more structure than its size allows (see
    /// [`Budget`](crate::budget::Budget)): refused before the work starts.
    #[error(
        "mask too complex: {count} {what} in {width}x{height} pixels, over the budget of {limit} \
         for its size (real floor-plan masks have a small fraction of that; is this a wall mask?)"
    )]
    TooComplex {
        /// Mask width.
        width: u32,
        /// Mask height.
        height: u32,
        /// What was counted.
        what: &'static str,
        /// How many were counted (counting stops soon after the limit).
        count: u64,
        /// The budget's limit for this size.
        limit: u64,
    },
    /// A document that should follow the output contract does not.
    #[error("not a planform floor-plan GeoJSON: {pointer}: {reason}")]
    Contract {
        /// JSON Pointer of the offending member.
        pointer: String,
        /// What is wrong.
        reason: String,
    },
    /// Writing an output failed.
    #[error(transparent)]
    Model(#[from] planform_model::ModelError),
}

fn prefix(path: Option<&std::path::Path>) -> String {
    path.map(|p| format!("{}: ", p.display()))
        .unwrap_or_default()
}

impl WallsError {
    /// Attaches a file path to an error that can carry one.
    #[must_use]
    pub fn with_path(mut self, file: impl Into<PathBuf>) -> Self {
        if let Self::Decode { path, .. } | Self::TooLarge { path, .. } = &mut self {
            *path = Some(file.into());
        }
        self
    }
}

/// Shorthand for results of this crate.
pub type Result<T, E = WallsError> = std::result::Result<T, E>;
