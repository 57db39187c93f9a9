//! The real transport (`ureq`, rustls) against a local HTTP server on
//! 127.0.0.1 that misbehaves on purpose: 500 storms, truncated bodies,
//! silence past the timeout. No test talks to the internet.

#![allow(
    clippy::unwrap_used,
    clippy::missing_panics_doc,
    clippy::unnecessary_wraps
)]

use std::io::{Read, Write};
use std::net::TcpListener;
use std::sync::Arc;
use std::time::Duration;

use planform::fetch::{FetchError, GetSitePlan, RetryPolicy, Sleeper, UreqTransport};
use secrecy::SecretString;

struct NoSleep;
impl Sleeper for NoSleep {
    fn sleep(&self, _: Duration) {}
}

/// Serves one scripted raw answer per connection, in order; `None` means
/// "accept and say nothing for a while".
fn serve(answers: Vec<Option<String>>) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    std::thread::spawn(move || {
        for answer in answers {
            let Ok((mut s, _)) = listener.accept() else {
                return;
            };
            let mut buf = [0u8; 4096];
            let _ = s.read(&mut buf);
            match answer {
                Some(raw) => {
                    let _ = s.write_all(raw.as_bytes());
                }
                None => std::thread::sleep(Duration::from_millis(800)),
            }
        }
    });
    format!("http://{addr}/api/v1")
}

fn http(status: &str, body: &str) -> Option<String> {
    Some(format!(
        "HTTP/1.1 {status}\r\nContent-Type: application/json\r\nX-Request-Id: req_9\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    ))
}

fn client(base: &str, timeout_ms: u64) -> GetSitePlan {
    let t = Arc::new(UreqTransport::new(
        Duration::from_millis(timeout_ms),
        1 << 20,
    ));
    GetSitePlan::with_transport(
        SecretString::from("spf_local".to_owned()),
        base,
        t,
        RetryPolicy::default(),
        Arc::new(NoSleep),
    )
    .unwrap()
}

#[test]
fn a_500_storm_then_an_answer() {
    let base = serve(vec![
        http("500 Internal Server Error", "{}"),
        http("502 Bad Gateway", ""),
        http("200 OK", r#"{"credits": 58}"#),
    ]);
    assert_eq!(client(&base, 5_000).balance().unwrap(), 58);
}

#[test]
fn a_truncated_body_is_a_protocol_error_not_a_panic() {
    let cut = "HTTP/1.1 200 OK\r\nContent-Length: 100\r\nConnection: close\r\n\r\n{\"credits\": 5"
        .to_owned();
    let base = serve(vec![Some(cut.clone()); 4]);
    let e = client(&base, 5_000).balance().unwrap_err();
    assert!(matches!(e, FetchError::Protocol { .. }), "{e}");
}

#[test]
fn silence_is_a_timeout_and_a_billable_submission_is_not_retried() {
    let base = serve(vec![None, http("202 Accepted", r#"{"job_id":"late"}"#)]);
    let e = client(&base, 300).submit("5811 Rose Ct").unwrap_err();
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
}

#[test]
fn nothing_listening_is_a_connection_error() {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let base = format!("http://{}/api/v1", listener.local_addr().unwrap());
    drop(listener);
    let e = client(&base, 2_000).balance().unwrap_err();
    assert!(matches!(e, FetchError::Connection { .. }), "{e}");
}
