//! The request loop every client shares: send, classify, retry per the
//! policy, map failures to typed errors with status, request id and job id.

use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

use serde_json::Value;

use crate::error::{Context, FetchError, Result};
use crate::http::{Request, Response, Transport, TransportError};
use crate::retry::{Decision, Outcome, RetryPolicy, parse_retry_after};

/// Waits between attempts and polls (replaced by a recorder in tests).
pub trait Sleeper: Send + Sync {
    /// Waits `d`.
    fn sleep(&self, d: Duration);
}

/// The real sleeper.
pub struct ThreadSleeper;

impl Sleeper for ThreadSleeper {
    fn sleep(&self, d: Duration) {
        std::thread::sleep(d);
    }
}

/// A transport, a retry policy and a sleeper: what every client is built on.
#[derive(Clone)]
pub struct Api {
    pub(crate) transport: Arc<dyn Transport>,
    pub(crate) policy: RetryPolicy,
    pub(crate) sleeper: Arc<dyn Sleeper>,
    rng: Arc<Mutex<u64>>,
}

impl std::fmt::Debug for Api {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Api")
            .field("policy", &self.policy)
            .finish_non_exhaustive()
    }
}

/// The JSON error body the services send: `{"error", "message", ...}`.
fn body_json(r: &Response) -> Option<Value> {
    serde_json::from_slice(&r.body).ok()
}

fn str_field<'a>(v: Option<&'a Value>, key: &str) -> Option<&'a str> {
    v.and_then(|v| v.get(key)).and_then(Value::as_str)
}

/// Status, request id and job id of a response.
pub(crate) fn context_of(r: &Response, json: Option<&Value>) -> Context {
    Context {
        status: Some(r.status),
        request_id: r.header("x-request-id").map(str::to_owned),
        job_id: str_field(json, "job_id")
            .or_else(|| r.header("x-job-id"))
            .map(str::to_owned),
    }
}

/// The typed error for a complete non-2xx response.
pub(crate) fn status_error(r: &Response) -> FetchError {
    let json = body_json(r);
    let context = context_of(r, json.as_ref());
    // `{"error": "code", "message": "..."}` (GetSitePlan.ai) or
    // `{"error": {"type": "...", "message": "..."}}` (Floor Plan API)
    let nested = json
        .as_ref()
        .and_then(|j| j.get("error"))
        .filter(|e| e.is_object());
    let message = str_field(json.as_ref(), "message")
        .or_else(|| str_field(nested, "message"))
        .or_else(|| str_field(json.as_ref(), "error"))
        .map_or_else(
            || String::from_utf8_lossy(&r.body).chars().take(200).collect(),
            str::to_owned,
        );
    match r.status {
        401 | 403 => FetchError::Authentication { message, context },
        402 => FetchError::InsufficientCredits { message, context },
        404 => FetchError::NotFound { message, context },
        413 => FetchError::PayloadTooLarge { message, context },
        415 => FetchError::UnsupportedMedia { message, context },
        429 => FetchError::RateLimited {
            retry_after: retry_after_of(r, json.as_ref()),
            message,
            context,
        },
        400..=499 => FetchError::InvalidRequest {
            field: str_field(json.as_ref(), "field").map(str::to_owned),
            message,
            context,
        },
        _ => FetchError::Server { message, context },
    }
}

/// `Retry-After` (seconds or date), else a `retry_after_seconds` body field.
fn retry_after_of(r: &Response, json: Option<&Value>) -> Option<Duration> {
    r.header("retry-after")
        .and_then(|v| parse_retry_after(v, SystemTime::now()))
        .or_else(|| {
            json.and_then(|j| j.get("retry_after_seconds"))
                .and_then(Value::as_f64)
                .and_then(crate::retry::seconds)
        })
}

impl Api {
    /// An API layer over a transport.
    pub fn new(
        transport: Arc<dyn Transport>,
        policy: RetryPolicy,
        sleeper: Arc<dyn Sleeper>,
    ) -> Self {
        let seed = SystemTime::now()
            .duration_since(SystemTime::UNIX_EPOCH)
            .map_or(0x9E37_79B9, |d| d.as_nanos() as u64);
        Self {
            transport,
            policy,
            sleeper,
            rng: Arc::new(Mutex::new(seed | 1)),
        }
    }

    fn unit_random(&self) -> f64 {
        let mut s = self.rng.lock().map_or(0x2545_F491, |g| *g);
        s ^= s << 13;
        s ^= s >> 7;
        s ^= s << 17;
        if let Ok(mut g) = self.rng.lock() {
            *g = s;
        }
        (s >> 11) as f64 / (1u64 << 53) as f64
    }

    /// Sends `request` with retries; returns the first 2xx response.
    /// `billable` marks a request that starts a paid job: a lost answer to
    /// it is reported ([`FetchError::Timeout`] with `retry_unsafe`), never
    /// retried.
    pub fn execute(&self, request: &Request, billable: bool) -> Result<Response> {
        let mut retries = 0;
        loop {
            let (outcome_err, outcome): (FetchError, Outcome<'_>) =
                match self.transport.send(request) {
                    Ok(r) if (200..300).contains(&r.status) => return Ok(r),
                    Ok(r) => {
                        let e = status_error(&r);
                        let json = body_json(&r);
                        let retry_after = retry_after_of(&r, json.as_ref());
                        let has_job = str_field(json.as_ref(), "job_id").is_some();
                        let job_id = has_job.then_some("job");
                        (
                            e,
                            Outcome::Status {
                                status: r.status,
                                retry_after,
                                job_id,
                            },
                        )
                    }
                    Err(TransportError::Timeout { body_sent }) => (
                        FetchError::Timeout {
                            retry_unsafe: billable && body_sent,
                            context: Context::default(),
                        },
                        Outcome::Timeout { body_sent },
                    ),
                    Err(TransportError::Connect { body_sent, message }) => (
                        FetchError::Connection {
                            message,
                            context: Context::default(),
                        },
                        Outcome::Connect { body_sent },
                    ),
                    Err(TransportError::Truncated(m)) => (
                        FetchError::Protocol {
                            message: format!("truncated response: {m}"),
                            context: Context::default(),
                        },
                        Outcome::Truncated,
                    ),
                    Err(TransportError::TooLarge(n)) => {
                        return Err(FetchError::Protocol {
                            message: format!("response body over the {n}-byte limit"),
                            context: Context::default(),
                        });
                    }
                };
            match self
                .policy
                .decide(retries, &outcome, billable, self.unit_random())
            {
                Decision::Retry(d) => {
                    self.sleeper.sleep(d);
                    retries += 1;
                }
                Decision::Stop => {
                    // a lost answer to a billable request is a timeout the caller must not retry
                    if billable
                        && matches!(
                            outcome,
                            Outcome::Truncated | Outcome::Connect { body_sent: true }
                        )
                    {
                        return Err(FetchError::Timeout {
                            retry_unsafe: true,
                            context: Context::default(),
                        });
                    }
                    return Err(outcome_err);
                }
            }
        }
    }

    /// Sends a request and parses a JSON response body.
    pub fn json(&self, request: &Request, billable: bool) -> Result<(Value, Context)> {
        let r = self.execute(request, billable)?;
        let context = context_of(&r, None);
        let v = serde_json::from_slice(&r.body).map_err(|e| FetchError::Protocol {
            message: format!("response is not the documented JSON: {e}"),
            context: context.clone(),
        })?;
        Ok((v, context))
    }
}

/// A service's base URL and key; builds authorised requests.
#[derive(Clone)]
pub struct Endpoint {
    base: String,
    key: secrecy::SecretString,
    /// Header that carries the key: `Authorization: Bearer …` or another name.
    header: &'static str,
}

impl std::fmt::Debug for Endpoint {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Endpoint")
            .field("base", &self.base)
            .field("key", &"[redacted]")
            .field("header", &self.header)
            .finish()
    }
}

impl Endpoint {
    /// Checks the base URL (http or https) and the key (not empty).
    /// `header` is `"Authorization"` for bearer tokens, else the header
    /// that carries the bare key (`"APIKEY"`).
    pub fn new(base_url: &str, key: secrecy::SecretString, header: &'static str) -> Result<Self> {
        use secrecy::ExposeSecret;
        let base = base_url.trim().trim_end_matches('/').to_owned();
        if !(base.starts_with("https://") || base.starts_with("http://"))
            || base.len() <= "https://".len()
        {
            return Err(FetchError::Config(format!(
                "base URL {base:?} is not an http(s) URL"
            )));
        }
        if key.expose_secret().trim().is_empty() {
            return Err(FetchError::Config("the API key is empty".into()));
        }
        Ok(Self { base, key, header })
    }

    /// Key and base URL from the environment (`key_var` required,
    /// `base_var` optional with a default).
    pub fn from_env(
        key_var: &str,
        base_var: &str,
        default_base: &str,
        header: &'static str,
    ) -> Result<Self> {
        let key = std::env::var(key_var)
            .map_err(|_| FetchError::Config(format!("{key_var} is not set")))?;
        let base = std::env::var(base_var).unwrap_or_else(|_| default_base.to_owned());
        Self::new(&base, secrecy::SecretString::from(key), header)
    }

    /// The base URL.
    pub fn base(&self) -> &str {
        &self.base
    }

    /// An authorised request to `path` (relative to the base URL).
    pub fn request(
        &self,
        method: crate::http::Method,
        path: &str,
        body: Option<(Vec<u8>, String)>,
    ) -> Request {
        use secrecy::ExposeSecret;
        let value = if self.header == "Authorization" {
            format!("Bearer {}", self.key.expose_secret())
        } else {
            self.key.expose_secret().to_owned()
        };
        let mut headers = vec![(self.header.to_owned(), value)];
        let body = body.map(|(bytes, content_type)| {
            headers.push(("Content-Type".to_owned(), content_type));
            bytes
        });
        Request {
            method,
            url: format!("{}{path}", self.base),
            headers,
            body,
        }
    }
}

/// Polls `step` every `interval` until it returns `Some`, or fails with
/// [`FetchError::PollTimeout`] once `timeout` would be exceeded (`last`
/// names the last status seen).
pub fn poll<T>(
    sleeper: &dyn Sleeper,
    job_id: &str,
    interval: Duration,
    timeout: Duration,
    mut step: impl FnMut() -> Result<(Option<T>, String)>,
) -> Result<T> {
    let mut waited = Duration::ZERO;
    loop {
        let (done, last_status) = step()?;
        if let Some(t) = done {
            return Ok(t);
        }
        if waited + interval > timeout {
            return Err(FetchError::PollTimeout {
                job_id: job_id.to_owned(),
                waited,
                last_status,
            });
        }
        sleeper.sleep(interval);
        waited += interval;
    }
}

/// Percent-encodes a URL path segment.
pub fn encode_segment(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}
