//! The crate's one error type.

use std::path::PathBuf;

/// Everything that can go wrong in `planform-model`.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ModelError {
    /// The document is not valid JSON or not the GeoJSON structure this model
    /// reads (for example a string where coordinates must be numbers).
    #[error("{}parse error at {} (line {line}, column {column}): {message}", source_prefix(.path.as_deref()), show_pointer(.pointer))]
    Parse {
        /// The file, when parsing from one.
        path: Option<PathBuf>,
        /// JSON Pointer (RFC 6901) of the member being read, `""` for the root.
        pointer: String,
        /// 1-based line of the offending byte (0 when unknown).
        line: usize,
        /// 1-based column of the offending byte (0 when unknown).
        column: usize,
        /// What went wrong.
        message: String,
        /// Which kind of parse error.
        kind: ParseErrorKind,
    },
    /// The input is larger than the configured limit; nothing was read.
    #[error("{}input is {size} bytes, over the limit of {limit} bytes", source_prefix(.path.as_deref()))]
    TooLarge {
        /// The file, when reading from one.
        path: Option<PathBuf>,
        /// The input's size in bytes.
        size: u64,
        /// The limit in bytes (`ReadOptions::max_bytes`).
        limit: u64,
    },
    /// Reading or writing a file failed.
    #[error("{}: {source}", .path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// The I/O error.
        #[source]
        source: std::io::Error,
    },
    /// Writing JSON failed (for example a non-finite coordinate, which JSON
    /// cannot carry).
    #[error("cannot write JSON: {message}")]
    Write {
        /// What went wrong.
        message: String,
    },
    /// The document parsed but failed validation.
    #[error("{}{} validation problem(s); first: {}", source_prefix(.path.as_deref()), .issues.len(), .issues.iter().find(|i| i.is_error()).or(.issues.first()).map(ToString::to_string).unwrap_or_default())]
    Invalid {
        /// The file, when reading from one.
        path: Option<PathBuf>,
        /// Every problem found.
        issues: Vec<crate::validate::Issue>,
    },
    /// A `types` or `include` filter value the service would reject.
    #[error("invalid {param} filter value {value:?} (expected one of {expected})")]
    InvalidFilter {
        /// `types` or `include`.
        param: &'static str,
        /// The offending value.
        value: String,
        /// The accepted values.
        expected: &'static str,
    },
    /// A CRS string or EPSG code that cannot be used.
    #[error("unsupported CRS {crs:?}: {reason}")]
    UnsupportedCrs {
        /// What the caller asked for.
        crs: String,
        /// Why it cannot be used.
        reason: String,
    },
    /// A coordinate could not be projected.
    #[error("cannot project ({x}, {y}) with {crs}: {reason}")]
    Projection {
        /// The frame's name (`EPSG:32616`).
        crs: String,
        /// Input x (longitude or easting).
        x: f64,
        /// Input y (latitude or northing).
        y: f64,
        /// Why.
        reason: String,
    },
    /// A geometry that an operation cannot take (empty, wrong type, non-finite).
    #[error("invalid geometry: {reason}")]
    Geometry {
        /// Why.
        reason: String,
    },
}

/// The kind of a [`ModelError::Parse`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum ParseErrorKind {
    /// Not JSON: a syntax error or invalid UTF-8.
    Syntax,
    /// The input ended in the middle of a value.
    Truncated,
    /// JSON, but not of the expected shape or types.
    Data,
    /// The input is empty (or only white space).
    Empty,
    /// Nesting deeper than the parser's recursion limit.
    TooDeep,
}

/// A pointer for messages: `(root)` for the empty pointer, long ones shortened.
pub(crate) fn show_pointer(p: &str) -> String {
    if p.is_empty() {
        "(root)".to_owned()
    } else if p.len() > 120 {
        let cut = (0..=120)
            .rev()
            .find(|i| p.is_char_boundary(*i))
            .unwrap_or(0);
        format!("{}… ({} bytes)", &p[..cut], p.len())
    } else {
        p.to_owned()
    }
}

fn source_prefix(path: Option<&std::path::Path>) -> String {
    path.map(|p| format!("{}: ", p.display()))
        .unwrap_or_default()
}

impl ModelError {
    /// The JSON Pointer of a parse error, if this is one.
    pub fn pointer(&self) -> Option<&str> {
        match self {
            Self::Parse { pointer, .. } => Some(pointer),
            Self::Invalid { issues, .. } => issues.first().map(|i| i.pointer.as_str()),
            _ => None,
        }
    }

    /// Attaches a file path to an error that can carry one.
    #[must_use]
    pub fn with_path(mut self, file: impl Into<PathBuf>) -> Self {
        match &mut self {
            Self::Parse { path, .. } | Self::TooLarge { path, .. } | Self::Invalid { path, .. } => {
                *path = Some(file.into());
            }
            _ => {}
        }
        self
    }
}

/// Shorthand for results of this crate.
pub type Result<T, E = ModelError> = std::result::Result<T, E>;
