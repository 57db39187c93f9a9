//! The HTTP layer behind a small trait, so client logic (retries, polling,
//! error mapping) is tested against scripted responses, and the real
//! transport (`ureq`, rustls) against a local server.

use std::fmt;
use std::time::Duration;

/// HTTP methods the clients use.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    /// GET
    Get,
    /// POST
    Post,
    /// PUT (presigned uploads)
    Put,
}

/// One request.
#[derive(Clone)]
pub struct Request {
    /// Method.
    pub method: Method,
    /// Absolute URL.
    pub url: String,
    /// Headers (name, value).
    pub headers: Vec<(String, String)>,
    /// Body, for POST and PUT.
    pub body: Option<Vec<u8>>,
}

impl fmt::Debug for Request {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let headers: Vec<(&str, &str)> = self
            .headers
            .iter()
            .map(|(k, v)| {
                let secret =
                    k.eq_ignore_ascii_case("authorization") || k.eq_ignore_ascii_case("apikey");
                (k.as_str(), if secret { "[redacted]" } else { v.as_str() })
            })
            .collect();
        f.debug_struct("Request")
            .field("method", &self.method)
            .field("url", &self.url)
            .field("headers", &headers)
            .field("body_bytes", &self.body.as_ref().map(Vec::len))
            .finish()
    }
}

/// One complete response.
#[derive(Debug, Clone, PartialEq)]
pub struct Response {
    /// HTTP status.
    pub status: u16,
    /// Headers, names lower-cased.
    pub headers: Vec<(String, String)>,
    /// The whole body.
    pub body: Vec<u8>,
}

impl Response {
    /// A header's value (name matched case-insensitively).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// How a request failed below HTTP.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TransportError {
    /// Could not connect, or the connection broke.
    Connect {
        /// Whether the request body had been sent.
        body_sent: bool,
        /// What failed.
        message: String,
    },
    /// No answer in time.
    Timeout {
        /// Whether the request body had been sent.
        body_sent: bool,
    },
    /// The body ended before its announced length.
    Truncated(String),
    /// The body is larger than the limit.
    TooLarge(u64),
}

/// Sends requests.
pub trait Transport: Send + Sync {
    /// Sends one request and reads the whole response.
    fn send(&self, request: &Request) -> Result<Response, TransportError>;
}

/// The real transport: `ureq` with rustls, a timeout per call and a limit
/// on response bodies.
pub struct UreqTransport {
    agent: ureq::Agent,
    max_body: u64,
}

impl UreqTransport {
    /// A transport with a per-call timeout and a response body limit.
    pub fn new(timeout: Duration, max_body: u64) -> Self {
        let agent = ureq::Agent::config_builder()
            .timeout_global(Some(timeout))
            .http_status_as_error(false)
            .max_redirects(0)
            .build()
            .into();
        Self { agent, max_body }
    }
}

fn classify(e: &ureq::Error, has_body: bool) -> TransportError {
    use ureq::Timeout as T;
    match e {
        ureq::Error::Timeout(t) => {
            let before_body = matches!(t, T::Resolve | T::Connect | T::SendRequest);
            TransportError::Timeout {
                body_sent: has_body && !before_body,
            }
        }
        ureq::Error::BodyExceedsLimit(n) => TransportError::TooLarge(*n),
        ureq::Error::HostNotFound | ureq::Error::ConnectionFailed => TransportError::Connect {
            body_sent: false,
            message: e.to_string(),
        },
        ureq::Error::Io(io) if io.kind() == std::io::ErrorKind::ConnectionRefused => {
            TransportError::Connect {
                body_sent: false,
                message: e.to_string(),
            }
        }
        // anything else broke mid-exchange: assume the body may have gone out
        other => TransportError::Connect {
            body_sent: has_body,
            message: other.to_string(),
        },
    }
}

impl Transport for UreqTransport {
    fn send(&self, request: &Request) -> Result<Response, TransportError> {
        let has_body = request.body.is_some();
        let result = match request.method {
            Method::Get => {
                let mut b = self.agent.get(&request.url);
                for (k, v) in &request.headers {
                    b = b.header(k, v);
                }
                b.call()
            }
            Method::Post | Method::Put => {
                let mut b = if request.method == Method::Post {
                    self.agent.post(&request.url)
                } else {
                    self.agent.put(&request.url)
                };
                for (k, v) in &request.headers {
                    b = b.header(k, v);
                }
                b.send(request.body.as_deref().unwrap_or_default())
            }
        };
        let mut response = result.map_err(|e| classify(&e, has_body))?;
        let status = response.status().as_u16();
        let headers = response
            .headers()
            .iter()
            .map(|(k, v)| {
                (
                    k.as_str().to_ascii_lowercase(),
                    String::from_utf8_lossy(v.as_bytes()).into_owned(),
                )
            })
            .collect();
        let body = response
            .body_mut()
            .with_config()
            .limit(self.max_body)
            .read_to_vec()
            .map_err(|e| match e {
                ureq::Error::BodyExceedsLimit(n) => TransportError::TooLarge(n),
                ureq::Error::Timeout(_) => TransportError::Timeout {
                    body_sent: has_body,
                },
                other => TransportError::Truncated(other.to_string()),
            })?;
        Ok(Response {
            status,
            headers,
            body,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_output_redacts_keys() {
        let r = Request {
            method: Method::Get,
            url: "https://example.test/api/v1/balance".into(),
            headers: vec![
                ("Authorization".into(), "Bearer spf_secret".into()),
                ("APIKEY".into(), "k".into()),
            ],
            body: None,
        };
        let d = format!("{r:?}");
        assert!(!d.contains("spf_secret") && d.contains("[redacted]"), "{d}");
    }
}
