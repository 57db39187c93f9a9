//! The crate's one error type.

use std::time::Duration;

/// What is known about the request an error came from.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Context {
    /// HTTP status, when a response arrived.
    pub status: Option<u16>,
    /// The service's request id (`X-Request-Id`), when sent.
    pub request_id: Option<String>,
    /// The job the request created or concerned, when known.
    pub job_id: Option<String>,
}

impl std::fmt::Display for Context {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let mut parts = Vec::new();
        if let Some(s) = self.status {
            parts.push(format!("HTTP {s}"));
        }
        if let Some(r) = &self.request_id {
            parts.push(format!("request {r}"));
        }
        if let Some(j) = &self.job_id {
            parts.push(format!("job {j}"));
        }
        if parts.is_empty() {
            Ok(())
        } else {
            write!(f, " ({})", parts.join(", "))
        }
    }
}

/// Everything that can go wrong talking to the three services. Messages
/// never contain API keys.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum FetchError {
    /// Missing or invalid configuration (no API key, bad base URL).
    #[error("configuration: {0}")]
    Config(String),
    /// The key was refused (401/403).
    #[error("authentication failed: {message}{context}")]
    Authentication {
        /// The service's message.
        message: String,
        /// Status and ids.
        context: Context,
    },
    /// Not enough credits (402).
    #[error("insufficient credits: {message}{context}")]
    InsufficientCredits {
        /// The service's message.
        message: String,
        /// Status and ids.
        context: Context,
    },
    /// The resource does not exist (404).
    #[error("not found: {message}{context}")]
    NotFound {
        /// The service's message.
        message: String,
        /// Status and ids.
        context: Context,
    },
    /// Too many requests (429), after the retries ran out.
    #[error("rate limited{}: {message}{context}", .retry_after.map(|d| format!(", retry after {} s", d.as_secs())).unwrap_or_default())]
    RateLimited {
        /// When the service said to retry.
        retry_after: Option<Duration>,
        /// The service's message.
        message: String,
        /// Status and ids.
        context: Context,
    },
    /// The request was refused as invalid (other 4xx, or a brief that fails
    /// validation before sending).
    #[error("invalid request{}: {message}{context}", .field.as_ref().map(|f| format!(" ({f})")).unwrap_or_default())]
    InvalidRequest {
        /// The offending field, when known.
        field: Option<String>,
        /// What is wrong.
        message: String,
        /// Status and ids.
        context: Context,
    },
    /// The upload is too large (413).
    #[error("payload too large: {message}{context}")]
    PayloadTooLarge {
        /// The service's message.
        message: String,
        /// Status and ids.
        context: Context,
    },
    /// The media type is not accepted (415).
    #[error("unsupported media type: {message}{context}")]
    UnsupportedMedia {
        /// The service's message.
        message: String,
        /// Status and ids.
        context: Context,
    },
    /// A server error (5xx), after the retries ran out.
    #[error("server error: {message}{context}")]
    Server {
        /// The service's message.
        message: String,
        /// Status and ids.
        context: Context,
    },
    /// No answer in time. When `retry_unsafe` is set, the request was a
    /// billable job submission whose body was sent: it was **not** retried
    /// (that could bill twice); poll the job id instead when there is one.
    #[error("timed out{}{context}", if *.retry_unsafe { " after a billable request was sent (not retried)" } else { "" })]
    Timeout {
        /// Whether retrying could run (and bill) the job twice.
        retry_unsafe: bool,
        /// Status and ids.
        context: Context,
    },
    /// The connection failed, after the retries ran out.
    #[error("connection failed: {message}{context}")]
    Connection {
        /// What failed.
        message: String,
        /// Status and ids.
        context: Context,
    },
    /// The response is not what the service documents (bad JSON, truncated
    /// body, missing field, body over the size limit).
    #[error("protocol error: {message}{context}")]
    Protocol {
        /// What is wrong.
        message: String,
        /// Status and ids.
        context: Context,
    },
    /// The job ended in failure on the service's side.
    #[error("job {job_id} failed: {message}")]
    JobFailed {
        /// The job.
        job_id: String,
        /// The service's reason.
        message: String,
    },
    /// Polling a job ran past the overall timeout.
    #[error("job {job_id} not finished after {} s (last status {last_status})", .waited.as_secs())]
    PollTimeout {
        /// The job.
        job_id: String,
        /// How long polling went on.
        waited: Duration,
        /// The last status seen.
        last_status: String,
    },
    /// A business error the service reports inside an HTTP 200 body
    /// (ideal.house codes).
    #[error("service error {code}: {message}{context}")]
    Business {
        /// The service's code.
        code: i64,
        /// The service's message.
        message: String,
        /// Status and ids.
        context: Context,
    },
}

impl FetchError {
    /// Status and ids of the failed request, when the error has them.
    pub fn context(&self) -> Option<&Context> {
        match self {
            Self::Authentication { context, .. }
            | Self::InsufficientCredits { context, .. }
            | Self::NotFound { context, .. }
            | Self::RateLimited { context, .. }
            | Self::InvalidRequest { context, .. }
            | Self::PayloadTooLarge { context, .. }
            | Self::UnsupportedMedia { context, .. }
            | Self::Server { context, .. }
            | Self::Timeout { context, .. }
            | Self::Connection { context, .. }
            | Self::Protocol { context, .. }
            | Self::Business { context, .. } => Some(context),
            _ => None,
        }
    }
}

/// Shorthand for results of this crate.
pub type Result<T, E = FetchError> = std::result::Result<T, E>;
