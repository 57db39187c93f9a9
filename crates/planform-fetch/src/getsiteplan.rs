//! GetSitePlan.ai: submit an address, poll the job, fetch its features as a
//! typed [`SitePlan`], download the PDF/DXF, check balance and usage.

use std::sync::Arc;
use std::time::Duration;

use planform_model::{FeatureFilter, SitePlan};
use secrecy::SecretString;
use serde_json::{Value, json};

use crate::client::{Api, Endpoint, Sleeper, ThreadSleeper, encode_segment as encode, poll};
use crate::error::{Context, FetchError, Result};
use crate::http::{Method, Request, Transport, UreqTransport};
use crate::retry::RetryPolicy;

/// The documented base URL.
pub const DEFAULT_BASE_URL: &str = "https://getsiteplan.ai/api/v1";

/// A job's status.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum JobState {
    /// `pending`
    Pending,
    /// `processing`
    Processing,
    /// `ready`
    Ready,
    /// `failed` (credits refunded)
    Failed,
    /// A status this version does not know.
    Other(String),
}

/// `GET /site-plan/:jobId`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JobStatus {
    /// The job.
    pub job_id: String,
    /// Its state.
    pub state: JobState,
    /// Signed PDF link (ready jobs; expires after 7 days).
    pub pdf_url: Option<String>,
    /// Signed DXF (R2007) link.
    pub dxf_url: Option<String>,
    /// The failure reason (failed jobs).
    pub error: Option<String>,
}

/// Polling settings for [`GetSitePlan::wait`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct WaitOptions {
    /// Time between polls (5 s, as the service's examples).
    pub interval: Duration,
    /// Give up after this long (10 min; jobs take 60–90 s).
    pub timeout: Duration,
}

impl Default for WaitOptions {
    fn default() -> Self {
        Self {
            interval: Duration::from_secs(5),
            timeout: Duration::from_secs(600),
        }
    }
}

/// The GetSitePlan.ai client.
#[derive(Debug)]
pub struct GetSitePlan {
    api: Api,
    endpoint: Endpoint,
}

fn protocol(message: impl Into<String>, context: &Context) -> FetchError {
    FetchError::Protocol {
        message: message.into(),
        context: context.clone(),
    }
}

impl GetSitePlan {
    /// A client with the real transport (60 s per call, 256 MiB bodies).
    pub fn new(token: SecretString, base_url: &str) -> Result<Self> {
        let transport = Arc::new(UreqTransport::new(Duration::from_secs(60), 256 << 20));
        Self::with_transport(
            token,
            base_url,
            transport,
            RetryPolicy::default(),
            Arc::new(ThreadSleeper),
        )
    }

    /// A client from `GETSITEPLAN_TOKEN` and `GETSITEPLAN_BASE_URL`
    /// (default [`DEFAULT_BASE_URL`]).
    pub fn from_env() -> Result<Self> {
        let endpoint = Endpoint::from_env(
            "GETSITEPLAN_TOKEN",
            "GETSITEPLAN_BASE_URL",
            DEFAULT_BASE_URL,
            "Authorization",
        )?;
        let transport = Arc::new(UreqTransport::new(Duration::from_secs(60), 256 << 20));
        Ok(Self {
            api: Api::new(transport, RetryPolicy::default(), Arc::new(ThreadSleeper)),
            endpoint,
        })
    }

    /// A client over any transport (tests, proxies).
    pub fn with_transport(
        token: SecretString,
        base_url: &str,
        transport: Arc<dyn Transport>,
        policy: RetryPolicy,
        sleeper: Arc<dyn Sleeper>,
    ) -> Result<Self> {
        let endpoint = Endpoint::new(base_url, token, "Authorization")?;
        Ok(Self {
            api: Api::new(transport, policy, sleeper),
            endpoint,
        })
    }

    fn request(&self, method: Method, path: &str, body: Option<Value>) -> Request {
        self.endpoint.request(
            method,
            path,
            body.map(|b| (b.to_string().into_bytes(), "application/json".to_owned())),
        )
    }

    /// `GET /balance`: credits left.
    pub fn balance(&self) -> Result<u64> {
        let (v, ctx) = self
            .api
            .json(&self.request(Method::Get, "/balance", None), false)?;
        v.get("credits")
            .and_then(Value::as_u64)
            .ok_or_else(|| protocol("no `credits` in the balance", &ctx))
    }

    /// `POST /site-plan` (costs 29 credits): the new job's id. A lost
    /// answer is reported as [`FetchError::Timeout`] with `retry_unsafe`,
    /// never retried, so the address is never billed twice.
    pub fn submit(&self, address: &str) -> Result<String> {
        if address.trim().is_empty() {
            return Err(FetchError::InvalidRequest {
                field: Some("address".into()),
                message: "the address is empty".into(),
                context: Context::default(),
            });
        }
        let req = self.request(
            Method::Post,
            "/site-plan",
            Some(json!({"address": address})),
        );
        let (v, ctx) = self.api.json(&req, true)?;
        v.get("job_id")
            .and_then(Value::as_str)
            .map(str::to_owned)
            .ok_or_else(|| protocol("no `job_id` in the answer", &ctx))
    }

    /// `GET /site-plan/:jobId`.
    pub fn status(&self, job_id: &str) -> Result<JobStatus> {
        let (v, ctx) = self.api.json(
            &self.request(Method::Get, &format!("/site-plan/{}", encode(job_id)), None),
            false,
        )?;
        let s = |k: &str| v.get(k).and_then(Value::as_str).map(str::to_owned);
        let state = match s("status").as_deref() {
            Some("pending") => JobState::Pending,
            Some("processing") => JobState::Processing,
            Some("ready") => JobState::Ready,
            Some("failed") => JobState::Failed,
            Some(other) => JobState::Other(other.to_owned()),
            None => return Err(protocol("no `status` in the job", &ctx)),
        };
        Ok(JobStatus {
            job_id: s("job_id").unwrap_or_else(|| job_id.to_owned()),
            state,
            pdf_url: s("pdf_url"),
            dxf_url: s("dxf_url"),
            error: s("error"),
        })
    }

    /// Polls until the job is ready; a failed job is [`FetchError::JobFailed`],
    /// running past `options.timeout` is [`FetchError::PollTimeout`].
    pub fn wait(&self, job_id: &str, options: &WaitOptions) -> Result<JobStatus> {
        poll(
            self.api.sleeper.as_ref(),
            job_id,
            options.interval,
            options.timeout,
            || {
                let st = self.status(job_id)?;
                match &st.state {
                    JobState::Ready => Ok((Some(st), "ready".to_owned())),
                    JobState::Failed => Err(FetchError::JobFailed {
                        job_id: job_id.to_owned(),
                        message: st.error.clone().unwrap_or_else(|| "no reason given".into()),
                    }),
                    JobState::Pending => Ok((None, "pending".to_owned())),
                    JobState::Processing => Ok((None, "processing".to_owned())),
                    JobState::Other(s) => Ok((None, s.clone())),
                }
            },
        )
    }

    /// `GET /site-plan/:jobId/features` with the service's `types` and
    /// `include` filters, parsed into the typed, lossless model.
    pub fn features(&self, job_id: &str, filter: &FeatureFilter) -> Result<SitePlan> {
        let q = filter.to_query();
        let path = format!(
            "/site-plan/{}/features{}{q}",
            encode(job_id),
            if q.is_empty() { "" } else { "?" }
        );
        let r = self
            .api
            .execute(&self.request(Method::Get, &path, None), false)?;
        let ctx = crate::client::context_of(&r, None);
        SitePlan::from_slice(&r.body)
            .map_err(|e| protocol(format!("features are not a site plan: {e}"), &ctx))
    }

    /// Downloads a signed PDF or DXF link. The Authorization header is
    /// never sent to it.
    pub fn download(&self, url: &str) -> Result<Vec<u8>> {
        let req = Request {
            method: Method::Get,
            url: url.to_owned(),
            headers: Vec::new(),
            body: None,
        };
        Ok(self.api.execute(&req, false)?.body)
    }

    /// `GET /usage?days=N`: call counts per token, as sent.
    pub fn usage(&self, days: u32) -> Result<Value> {
        Ok(self
            .api
            .json(
                &self.request(Method::Get, &format!("/usage?days={days}"), None),
                false,
            )?
            .0)
    }
}

#[cfg(test)]
#[allow(clippy::unnecessary_wraps)]
mod tests {
    use super::*;
    use crate::http::{Response, TransportError};
    use std::sync::Mutex;

    /// Scripted answers, recorded requests.
    struct Script {
        answers: Mutex<Vec<std::result::Result<Response, TransportError>>>,
        seen: Mutex<Vec<Request>>,
    }

    impl Transport for Script {
        fn send(&self, r: &Request) -> std::result::Result<Response, TransportError> {
            self.seen.lock().unwrap().push(r.clone());
            let mut a = self.answers.lock().unwrap();
            if a.is_empty() {
                Err(TransportError::Connect {
                    body_sent: false,
                    message: "script ended".into(),
                })
            } else {
                a.remove(0)
            }
        }
    }

    #[derive(Default)]
    struct Naps(Mutex<Vec<Duration>>);
    impl Sleeper for Naps {
        fn sleep(&self, d: Duration) {
            self.0.lock().unwrap().push(d);
        }
    }

    fn ok(status: u16, body: &str) -> std::result::Result<Response, TransportError> {
        Ok(Response {
            status,
            headers: vec![("x-request-id".into(), "req_1".into())],
            body: body.as_bytes().to_vec(),
        })
    }

    fn client(
        answers: Vec<std::result::Result<Response, TransportError>>,
    ) -> (GetSitePlan, Arc<Script>, Arc<Naps>) {
        let script = Arc::new(Script {
            answers: Mutex::new(answers),
            seen: Mutex::new(Vec::new()),
        });
        let naps = Arc::new(Naps::default());
        let c = GetSitePlan::with_transport(
            SecretString::from("spf_test_token".to_owned()),
            "http://127.0.0.1:9/api/v1/",
            script.clone(),
            RetryPolicy::default(),
            naps.clone(),
        )
        .unwrap();
        (c, script, naps)
    }

    #[test]
    fn balance_retries_a_500_storm_then_succeeds() {
        let (c, script, naps) = client(vec![
            ok(500, "{}"),
            ok(503, ""),
            ok(200, r#"{"credits": 290}"#),
        ]);
        assert_eq!(c.balance().unwrap(), 290);
        assert_eq!(script.seen.lock().unwrap().len(), 3);
        assert_eq!(naps.0.lock().unwrap().len(), 2);
        let seen = script.seen.lock().unwrap();
        assert_eq!(seen[0].url, "http://127.0.0.1:9/api/v1/balance");
        assert!(
            seen[0]
                .headers
                .iter()
                .any(|(k, v)| k == "Authorization" && v == "Bearer spf_test_token")
        );
    }

    #[test]
    fn a_storm_that_never_ends_is_a_server_error_with_the_request_id() {
        let (c, script, _) = client(vec![
            ok(500, r#"{"error":"internal","message":"boom"}"#);
            10
        ]);
        let e = c.balance().unwrap_err();
        assert!(
            matches!(&e, FetchError::Server { message, context } if message == "boom" && context.request_id.as_deref() == Some("req_1")),
            "{e}"
        );
        assert_eq!(script.seen.lock().unwrap().len(), 4, "1 try + 3 retries");
    }

    #[test]
    fn rate_limits_wait_as_told_by_header_or_body() {
        let limited = Ok(Response {
            status: 429,
            headers: vec![],
            body:
                br#"{"error":"rate_limit_exceeded","message":"slow down","retry_after_seconds":7}"#
                    .to_vec(),
        });
        let (c, _, naps) = client(vec![limited, ok(200, r#"{"credits": 1}"#)]);
        assert_eq!(c.balance().unwrap(), 1);
        assert_eq!(naps.0.lock().unwrap().as_slice(), &[Duration::from_secs(7)]);
    }

    #[test]
    fn a_lost_answer_to_a_submission_is_never_retried() {
        let (c, script, _) = client(vec![
            Err(TransportError::Timeout { body_sent: true }),
            ok(202, r#"{"job_id":"x"}"#),
        ]);
        let e = c.submit("5811 Rose Ct, Countryside, IL").unwrap_err();
        assert!(
            matches!(
                e,
                FetchError::Timeout {
                    retry_unsafe: true,
                    ..
                }
            ),
            "{e}"
        );
        assert_eq!(script.seen.lock().unwrap().len(), 1, "billed at most once");
        let (c, script, _) = client(vec![Err(TransportError::Truncated("eof".into()))]);
        assert!(matches!(
            c.submit("a").unwrap_err(),
            FetchError::Timeout {
                retry_unsafe: true,
                ..
            }
        ));
        assert_eq!(script.seen.lock().unwrap().len(), 1);
        // a connection refused before anything was sent is safe to retry
        let (c, _, _) = client(vec![
            Err(TransportError::Connect {
                body_sent: false,
                message: "refused".into(),
            }),
            ok(202, r#"{"job_id":"j1","status":"processing"}"#),
        ]);
        assert_eq!(c.submit("a").unwrap(), "j1");
    }

    #[test]
    fn every_documented_error_row_is_typed() {
        // the service's error reference: 400, 401, 402, 404, 405, 422 (two codes), 429, 500
        let rows = [
            (400, "invalid_request"),
            (401, "unauthorized"),
            (402, "insufficient_credits"),
            (404, "not_found"),
            (405, "method_not_allowed"),
            (422, "not_ready"),
            (422, "validation_error"),
            (429, "rate_limit_exceeded"),
            (500, "internal"),
        ];
        for (status, code) in rows {
            let (c, _, _) = client(vec![
                ok(
                    status,
                    &format!(r#"{{"error":"{code}","message":"m"}}"#)
                );
                4
            ]);
            let e = c.balance().unwrap_err();
            let ok = match status {
                401 => matches!(e, FetchError::Authentication { .. }),
                402 => matches!(e, FetchError::InsufficientCredits { .. }),
                404 => matches!(e, FetchError::NotFound { .. }),
                429 => matches!(e, FetchError::RateLimited { .. }),
                500 => matches!(e, FetchError::Server { .. }),
                _ => matches!(e, FetchError::InvalidRequest { .. }),
            };
            assert!(ok, "{status} {code}: {e}");
            assert_eq!(e.context().unwrap().status, Some(status));
        }
    }

    #[test]
    fn usage_is_returned_as_sent() {
        let body = std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../fixtures/seed/usage.json"
        ))
        .unwrap();
        let (c, script, _) = client(vec![ok(200, &body)]);
        let u = c.usage(30).unwrap();
        assert_eq!(u["tokens"][0]["total_calls"], 142);
        assert!(
            script.seen.lock().unwrap()[0]
                .url
                .ends_with("/usage?days=30")
        );
    }

    #[test]
    fn typed_errors_for_documented_statuses() {
        let cases = [
            (401, "unauthorized"),
            (402, "insufficient_credits"),
            (404, "not_found"),
            (422, "validation_error"),
        ];
        for (status, code) in cases {
            let (c, _, _) = client(vec![ok(
                status,
                &format!(r#"{{"error":"{code}","message":"m"}}"#),
            )]);
            let e = c.submit("somewhere").unwrap_err();
            let ok = match status {
                401 => matches!(e, FetchError::Authentication { .. }),
                402 => matches!(e, FetchError::InsufficientCredits { .. }),
                404 => matches!(e, FetchError::NotFound { .. }),
                _ => matches!(e, FetchError::InvalidRequest { .. }),
            };
            assert!(ok, "{status}: {e}");
            assert!(!e.to_string().contains("spf_test_token"));
        }
        let (c, _, _) = client(vec![]);
        assert!(matches!(
            c.submit("  ").unwrap_err(),
            FetchError::InvalidRequest { field: Some(_), .. }
        ));
    }

    #[test]
    fn wait_polls_until_ready_or_failed_or_too_long() {
        let (c, script, naps) = client(vec![
            ok(200, r#"{"job_id":"j","status":"pending"}"#),
            ok(200, r#"{"job_id":"j","status":"processing"}"#),
            ok(
                200,
                r#"{"job_id":"j","status":"ready","pdf_url":"https://s/p.pdf","dxf_url":"https://s/p.dxf"}"#,
            ),
        ]);
        let st = c.wait("j", &WaitOptions::default()).unwrap();
        assert_eq!(st.dxf_url.as_deref(), Some("https://s/p.dxf"));
        assert_eq!(script.seen.lock().unwrap().len(), 3);
        assert_eq!(
            naps.0.lock().unwrap().as_slice(),
            &[Duration::from_secs(5); 2]
        );
        let (c, _, _) = client(vec![ok(
            200,
            r#"{"job_id":"j","status":"failed","error":"Pipeline timeout"}"#,
        )]);
        assert!(
            matches!(c.wait("j", &WaitOptions::default()).unwrap_err(), FetchError::JobFailed { message, .. } if message == "Pipeline timeout")
        );
        let (c, _, _) = client(vec![ok(200, r#"{"status":"processing"}"#); 5]);
        let o = WaitOptions {
            interval: Duration::from_secs(5),
            timeout: Duration::from_secs(12),
        };
        assert!(matches!(
            c.wait("j", &o).unwrap_err(),
            FetchError::PollTimeout { .. }
        ));
    }

    #[test]
    fn features_parse_into_the_model_with_filters() {
        let body = std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../fixtures/seed/features_include.json"
        ))
        .unwrap();
        let (c, script, _) = client(vec![ok(200, &body), ok(200, "{not json")]);
        let f = FeatureFilter::parse(Some("trees"), Some("parcel,building")).unwrap();
        let plan = c.features("job 1", &f).unwrap();
        assert_eq!(plan.features.len(), 3);
        assert_eq!(
            script.seen.lock().unwrap()[0].url,
            "http://127.0.0.1:9/api/v1/site-plan/job%201/features?types=trees&include=parcel,building"
        );
        assert!(matches!(
            c.features("j", &FeatureFilter::default()).unwrap_err(),
            FetchError::Protocol { .. }
        ));
    }

    #[test]
    fn downloads_never_carry_the_token() {
        let (c, script, _) = client(vec![ok(200, "%PDF-1.7")]);
        assert_eq!(
            c.download("https://storage.example/signed?x=1").unwrap(),
            b"%PDF-1.7"
        );
        assert!(script.seen.lock().unwrap()[0].headers.is_empty());
    }

    #[test]
    fn debug_never_shows_the_token() {
        let (c, _, _) = client(vec![]);
        assert!(!format!("{c:?}").contains("spf_test_token"));
    }
}
