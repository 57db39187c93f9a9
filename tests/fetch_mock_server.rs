//! The fault scenarios of issue 7 over real HTTP: a scripted mock server on
//! 127.0.0.1 records every request and answers from a per-test script.
//! No test talks to the internet.

#![allow(
    clippy::unwrap_used,
    clippy::missing_panics_doc,
    clippy::unnecessary_wraps
)]

mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use planform::fetch::floorplan::Image;
use planform::fetch::{
    FetchError, FloorPlanApi, GetSitePlan, HousePlanBrief, IdealHouse, RetryPolicy, Sleeper,
    TaskId, ThreadSleeper, UreqTransport, WaitOptions,
};
use secrecy::SecretString;

/// One scripted answer: raw status line + headers + body, or silence.
enum Answer {
    Http {
        status: &'static str,
        headers: Vec<(String, String)>,
        body: Vec<u8>,
    },
    Silence(Duration),
    /// Bytes written as they are (for example a body shorter than its
    /// Content-Length).
    Raw(&'static str),
    /// A response built from the server's own address (links back to it).
    Dynamic(Box<dyn Fn(&str) -> Answer + Send>),
}

fn json(status: &'static str, body: &str) -> Answer {
    Answer::Http {
        status,
        headers: vec![("Content-Type".into(), "application/json".into())],
        body: body.as_bytes().to_vec(),
    }
}

fn with_header(mut a: Answer, k: &str, v: &str) -> Answer {
    if let Answer::Http { headers, .. } = &mut a {
        headers.push((k.to_owned(), v.to_owned()));
    }
    a
}

#[derive(Debug, Clone)]
struct Seen {
    method: String,
    path: String,
}

struct Mock {
    base: String,
    seen: Arc<Mutex<Vec<Seen>>>,
}

fn mock(script: Vec<Answer>) -> Mock {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let own = base.clone();
    let seen = Arc::new(Mutex::new(Vec::new()));
    let log = seen.clone();
    std::thread::spawn(move || {
        for answer in script {
            let Ok((stream, _)) = listener.accept() else {
                return;
            };
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            let mut line = String::new();
            if reader.read_line(&mut line).is_err() {
                continue;
            }
            let mut parts = line.split_whitespace();
            let (method, path) = (
                parts.next().unwrap_or("").to_owned(),
                parts.next().unwrap_or("").to_owned(),
            );
            let mut len = 0usize;
            loop {
                let mut h = String::new();
                if reader.read_line(&mut h).unwrap_or(0) == 0 || h == "\r\n" {
                    break;
                }
                if let Some(v) = h.to_ascii_lowercase().strip_prefix("content-length:") {
                    len = v.trim().parse().unwrap_or(0);
                }
            }
            let mut body = vec![0u8; len];
            let _ = reader.read_exact(&mut body);
            log.lock().unwrap().push(Seen { method, path });
            let mut stream = stream;
            let answer = match answer {
                Answer::Dynamic(f) => f(&own),
                other => other,
            };
            match answer {
                Answer::Http {
                    status,
                    headers,
                    body,
                } => {
                    let mut out = format!(
                        "HTTP/1.1 {status}\r\nContent-Length: {}\r\nConnection: close\r\nX-Request-Id: req_mock\r\n",
                        body.len()
                    );
                    out.extend(headers.iter().map(|(k, v)| format!("{k}: {v}\r\n")));
                    out.push_str("\r\n");
                    let _ = stream.write_all(out.as_bytes());
                    let _ = stream.write_all(&body);
                }
                Answer::Silence(d) => std::thread::sleep(d),
                Answer::Raw(raw) => {
                    let _ = stream.write_all(raw.as_bytes());
                }
                Answer::Dynamic(_) => {}
            }
        }
    });
    Mock { base, seen }
}

struct NoSleep;
impl Sleeper for NoSleep {
    fn sleep(&self, _: Duration) {}
}

/// Records the waits the client asks for instead of waiting (the delay a
/// client chooses is what is under test, not the machine's timer).
#[derive(Default)]
struct Recorder(std::sync::Mutex<Vec<Duration>>);
impl Sleeper for Recorder {
    fn sleep(&self, d: Duration) {
        self.0.lock().unwrap().push(d);
    }
}

fn transport(ms: u64) -> Arc<UreqTransport> {
    Arc::new(UreqTransport::new(Duration::from_millis(ms), 1 << 20))
}

fn gsp(m: &Mock, sleeper: Arc<dyn Sleeper>) -> GetSitePlan {
    GetSitePlan::with_transport(
        SecretString::from("spf_mock".to_owned()),
        &format!("{}/api/v1", m.base),
        transport(2000),
        RetryPolicy::default(),
        sleeper,
    )
    .unwrap()
}

fn fp(m: &Mock) -> FloorPlanApi {
    FloorPlanApi::with_transport(
        SecretString::from("fp_mock".to_owned()),
        &m.base,
        transport(2000),
        RetryPolicy::default(),
        Arc::new(NoSleep),
    )
    .unwrap()
}

fn ih(m: &Mock) -> IdealHouse {
    IdealHouse::with_transport(
        SecretString::from("ih_mock".to_owned()),
        &m.base,
        transport(2000),
        RetryPolicy::default(),
        Arc::new(NoSleep),
    )
    .unwrap()
}

const PNG: &[u8] = b"\x89PNG\r\n\x1a\n0000";

fn png(status: &'static str) -> Answer {
    Answer::Http {
        status,
        headers: vec![("Content-Type".into(), "image/png".into())],
        body: PNG.to_vec(),
    }
}

/// An IMF-fixdate `secs` seconds from now.
fn http_date_in(secs: u64) -> String {
    let t = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs()
        + secs;
    let (days, rem) = (t / 86_400, t % 86_400);
    // civil from days (Howard Hinnant)
    let z = days as i64 + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    let months = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let wd = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"][(days % 7) as usize];
    format!(
        "{wd}, {d:02} {} {y} {:02}:{:02}:{:02} GMT",
        months[(m - 1) as usize],
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}

#[test]
fn a_503_then_200_waits_exactly_the_retry_after() {
    let m = mock(vec![
        with_header(json("503 Service Unavailable", "{}"), "Retry-After", "1"),
        json("200 OK", r#"{"credits": 3}"#),
    ]);
    let rec = Arc::new(Recorder::default());
    assert_eq!(gsp(&m, rec.clone()).balance().unwrap(), 3);
    assert_eq!(*rec.0.lock().unwrap(), [Duration::from_secs(1)]);
    assert_eq!(m.seen.lock().unwrap().len(), 2);
}

#[test]
fn a_429_with_an_http_date_and_one_with_a_body_field() {
    let m = mock(vec![
        with_header(
            json("429 Too Many Requests", "{}"),
            "Retry-After",
            &http_date_in(1),
        ),
        json("200 OK", r#"{"credits": 4}"#),
    ]);
    let rec = Arc::new(Recorder::default());
    assert_eq!(gsp(&m, rec.clone()).balance().unwrap(), 4);
    // an HTTP date one second ahead, to the second: at most a second's wait
    let waits = rec.0.lock().unwrap().clone();
    assert_eq!(waits.len(), 1);
    assert!(waits[0] <= Duration::from_secs(2), "{waits:?}");
    let m = mock(vec![
        json(
            "429 Too Many Requests",
            r#"{"error":"rate_limit_exceeded","message":"slow","retry_after_seconds":0}"#,
        ),
        json("200 OK", r#"{"credits": 5}"#),
    ]);
    assert_eq!(gsp(&m, Arc::new(NoSleep)).balance().unwrap(), 5);
}

#[test]
fn a_504_with_x_job_id_is_polled_to_the_mask() {
    let m = mock(vec![
        with_header(
            json(
                "504 Gateway Timeout",
                r#"{"error":{"type":"timeout_error","message":"slow"},"job_id":"job_5"}"#,
            ),
            "X-Job-Id",
            "job_5",
        ),
        json(
            "200 OK",
            r#"{"job_id":"job_5","status":"completed","result":{"result_url":"/v1/jobs/job_5/mask","width":2,"height":2}}"#,
        ),
        png("200 OK"),
    ]);
    let out = fp(&m)
        .extract(&Image::from_bytes(PNG.to_vec(), "p.png").unwrap())
        .unwrap();
    assert_eq!(out.wall_mask_png(), PNG);
    let seen = m.seen.lock().unwrap();
    assert_eq!(
        seen.iter().filter(|s| s.method == "POST").count(),
        1,
        "paid once"
    );
    let gets: Vec<&str> = seen
        .iter()
        .filter(|s| s.method == "GET")
        .map(|s| s.path.as_str())
        .collect();
    assert_eq!(gets, ["/v1/status/job_5", "/v1/jobs/job_5/mask"]);
}

#[test]
fn documented_error_statuses_map_to_typed_errors() {
    let body = |t: &str| format!(r#"{{"error":{{"type":"{t}","message":"m"}}}}"#);
    for (status, kind) in [
        ("400 Bad Request", "invalid"),
        ("401 Unauthorized", "authentication"),
        ("403 Forbidden", "authentication"),
        ("404 Not Found", "not_found"),
        ("409 Conflict", "invalid"),
        ("413 Payload Too Large", "too_large"),
        ("415 Unsupported Media Type", "media"),
    ] {
        let m = mock(vec![json(status, &body("x"))]);
        let e = fp(&m)
            .extract(&Image::from_bytes(PNG.to_vec(), "p.png").unwrap())
            .unwrap_err();
        let ok = match kind {
            "authentication" => matches!(e, FetchError::Authentication { .. }),
            "not_found" => matches!(e, FetchError::NotFound { .. }),
            "invalid" => matches!(e, FetchError::InvalidRequest { .. }),
            "too_large" => matches!(e, FetchError::PayloadTooLarge { .. }),
            _ => matches!(e, FetchError::UnsupportedMedia { .. }),
        };
        assert!(ok, "{status}: {e}");
        assert_eq!(e.context().unwrap().request_id.as_deref(), Some("req_mock"));
    }
}

#[test]
fn retried_statuses_end_typed_when_the_retries_run_out() {
    let busy = || {
        with_header(
            json(
                "503 Service Unavailable",
                r#"{"error":{"type":"service_unavailable","message":"queue full"}}"#,
            ),
            "Retry-After",
            "0",
        )
    };
    let m = mock(vec![busy(), busy(), busy(), busy()]);
    let e = fp(&m)
        .extract(&Image::from_bytes(PNG.to_vec(), "p.png").unwrap())
        .unwrap_err();
    assert!(matches!(e, FetchError::Server { .. }), "{e}");
    assert_eq!(m.seen.lock().unwrap().len(), 4, "one try and three retries");
    let limited = || {
        with_header(
            json(
                "429 Too Many Requests",
                r#"{"error":{"type":"rate_limit_error","message":"slow"}}"#,
            ),
            "Retry-After",
            "0",
        )
    };
    let m = mock(vec![limited(), limited(), limited(), limited()]);
    let e = fp(&m)
        .extract(&Image::from_bytes(PNG.to_vec(), "p.png").unwrap())
        .unwrap_err();
    assert!(matches!(e, FetchError::RateLimited { .. }), "{e}");
}

#[test]
fn a_read_timeout_on_a_billable_post_sends_no_second_post() {
    let m = mock(vec![
        Answer::Silence(Duration::from_millis(600)),
        json("202 Accepted", r#"{"job_id":"dup"}"#),
    ]);
    let c = GetSitePlan::with_transport(
        SecretString::from("spf_mock".to_owned()),
        &format!("{}/api/v1", m.base),
        transport(200),
        RetryPolicy::default(),
        Arc::new(NoSleep),
    )
    .unwrap();
    let e = c.submit("1 Main St").unwrap_err();
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
    std::thread::sleep(Duration::from_millis(700));
    assert_eq!(
        m.seen
            .lock()
            .unwrap()
            .iter()
            .filter(|s| s.method == "POST")
            .count(),
        1
    );
}

#[test]
fn truncated_invalid_and_mislabelled_bodies_are_protocol_errors() {
    let cut = "HTTP/1.1 200 OK\r\nContent-Length: 100\r\nConnection: close\r\n\r\n{\"credits\": 5";
    let m = mock(vec![
        Answer::Raw(cut),
        Answer::Raw(cut),
        Answer::Raw(cut),
        Answer::Raw(cut),
    ]);
    assert!(matches!(
        gsp(&m, Arc::new(NoSleep)).balance().unwrap_err(),
        FetchError::Protocol { .. }
    ));
    let m = mock(vec![json("200 OK", "<html>not json</html>")]);
    assert!(matches!(
        gsp(&m, Arc::new(NoSleep)).balance().unwrap_err(),
        FetchError::Protocol { .. }
    ));
    // a PNG promised, HTML delivered
    let wrong = Answer::Http {
        status: "200 OK",
        headers: vec![("Content-Type".into(), "image/png".into())],
        body: b"<html>".to_vec(),
    };
    let m = mock(vec![wrong]);
    assert!(matches!(
        fp(&m)
            .extract(&Image::from_bytes(PNG.to_vec(), "p.png").unwrap())
            .unwrap_err(),
        FetchError::Protocol { .. }
    ));
}

#[test]
fn business_errors_and_task_ids_over_the_wire() {
    let m = mock(vec![json(
        "200 OK",
        r#"{"code":9051,"message":"Insufficient coins","data":null}"#,
    )]);
    assert!(matches!(
        ih(&m).create(&HousePlanBrief::default()).unwrap_err(),
        FetchError::InsufficientCredits { .. }
    ));
    let m = mock(vec![json(
        "200 OK",
        r#"{"code":0,"message":"success","data":1234567890123456789}"#,
    )]);
    assert_eq!(
        ih(&m).create(&HousePlanBrief::default()).unwrap(),
        TaskId("1234567890123456789".into())
    );
    let m = mock(vec![json(
        "200 OK",
        r#"{"code":0,"message":"success","data":"9876543210987654321"}"#,
    )]);
    assert_eq!(
        ih(&m).create(&HousePlanBrief::default()).unwrap(),
        TaskId("9876543210987654321".into())
    );
}

#[test]
fn slow_polling_past_the_wait_timeout() {
    let m = mock(
        (0..3)
            .map(|_| json("200 OK", r#"{"job_id":"j","status":"processing"}"#))
            .collect(),
    );
    let o = WaitOptions {
        interval: Duration::from_millis(50),
        timeout: Duration::from_millis(120),
    };
    let e = gsp(&m, Arc::new(ThreadSleeper)).wait("j", &o).unwrap_err();
    assert!(
        matches!(e, FetchError::PollTimeout { ref last_status, .. } if last_status == "processing"),
        "{e}"
    );
}

fn run_example(name: &str, args: &[&str]) -> std::process::Output {
    std::process::Command::new(common::example_bin(name))
        .args(args)
        .output()
        .unwrap()
}

fn mask_png() -> Vec<u8> {
    let img = image::GrayImage::from_fn(40, 30, |x, y| {
        let wall = (5..35).contains(&x)
            && (5..25).contains(&y)
            && !((8..32).contains(&x) && (8..22).contains(&y));
        image::Luma([if wall { 255 } else { 0 }])
    });
    let mut out = std::io::Cursor::new(Vec::new());
    img.write_to(&mut out, image::ImageFormat::Png).unwrap();
    out.into_inner()
}

#[test]
fn fetch_siteplan_example_end_to_end() {
    let fixture = std::fs::read(common::fixture("site/interior_lot.json")).unwrap();
    let m = mock(vec![
        json("202 Accepted", r#"{"job_id":"j1","status":"processing"}"#),
        json(
            "200 OK",
            r#"{"job_id":"j1","status":"ready","pdf_url":"https://x/p.pdf"}"#,
        ),
        Answer::Http {
            status: "200 OK",
            headers: vec![("Content-Type".into(), "application/json".into())],
            body: fixture.clone(),
        },
    ]);
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("plan.geojson");
    let base = format!("{}/api/v1", m.base);
    let o = run_example(
        "fetch_siteplan",
        &[
            "1 Main St",
            out.to_str().unwrap(),
            "--base-url",
            &base,
            "--api-key",
            "spf_secret_k",
            "--timeout",
            "5",
        ],
    );
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(o.status.success(), "{err}");
    assert!(!err.contains("spf_secret_k") && err.contains("j1"), "{err}");
    assert_eq!(
        common::json_value(&std::fs::read(&out).unwrap()),
        common::json_value(&fixture)
    );
    let paths: Vec<String> = m
        .seen
        .lock()
        .unwrap()
        .iter()
        .map(|s| format!("{} {}", s.method, s.path))
        .collect();
    assert_eq!(
        paths,
        [
            "POST /api/v1/site-plan",
            "GET /api/v1/site-plan/j1",
            "GET /api/v1/site-plan/j1/features"
        ]
    );
}

#[test]
fn fetch_siteplan_example_writes_cad_and_gis_formats() {
    let fixture = std::fs::read(common::fixture("site/interior_lot.json")).unwrap();
    let dir = tempfile::tempdir().unwrap();
    for (ext, magic) in [
        ("dxf", &b"  0\r\nSECTION"[..]),
        ("gpkg", &b"SQLite format 3\0"[..]),
        ("svg", &b"<?xml"[..]),
    ] {
        let m = mock(vec![
            json(
                "200 OK",
                r#"{"job_id":"j1","status":"ready","pdf_url":"https://x/p.pdf"}"#,
            ),
            Answer::Http {
                status: "200 OK",
                headers: vec![("Content-Type".into(), "application/json".into())],
                body: fixture.clone(),
            },
        ]);
        let out = dir.path().join(format!("plan.{ext}"));
        let base = format!("{}/api/v1", m.base);
        let o = run_example(
            "fetch_siteplan",
            &[
                "1 Main St",
                out.to_str().unwrap(),
                "--job",
                "j1",
                "--base-url",
                &base,
                "--api-key",
                "k",
            ],
        );
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        let bytes = std::fs::read(&out).unwrap();
        assert!(bytes.starts_with(magic), "{ext}");
    }
    // an unsupported OUT is a usage error before any request
    let o = run_example(
        "fetch_siteplan",
        &["1 Main St", "plan.xyz", "--api-key", "k"],
    );
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn fetch_walls_example_end_to_end() {
    let png = mask_png();
    let m = mock(vec![Answer::Http {
        status: "200 OK",
        headers: vec![("Content-Type".into(), "image/png".into())],
        body: png.clone(),
    }]);
    let dir = tempfile::tempdir().unwrap();
    let plan = dir.path().join("plan.png");
    std::fs::write(&plan, &png).unwrap();
    let out = dir.path().join("walls.geojson");
    let o = run_example(
        "fetch_walls",
        &[
            plan.to_str().unwrap(),
            out.to_str().unwrap(),
            "--base-url",
            &m.base,
            "--api-key",
            "fp_k",
        ],
    );
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let v = common::json_value(&std::fs::read(&out).unwrap());
    assert_eq!(v["planform"]["imageWidth"], 40);
    assert_eq!(v["features"].as_array().unwrap().len(), 1);
    // a server error is reported with its request id, exit status 1
    let m = mock(vec![json(
        "401 Unauthorized",
        r#"{"error":{"type":"authentication_error","message":"Invalid API key."}}"#,
    )]);
    let o = run_example(
        "fetch_walls",
        &[
            plan.to_str().unwrap(),
            out.to_str().unwrap(),
            "--base-url",
            &m.base,
            "--api-key",
            "fp_bad_key",
        ],
    );
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        err.contains("Invalid API key.") && err.contains("req_mock") && !err.contains("fp_bad_key"),
        "{err}"
    );
}

#[test]
fn house_plan_example_end_to_end() {
    let png = mask_png();
    let cdn = png.clone();
    let m = mock(vec![
        json(
            "200 OK",
            r#"{"code":0,"message":"success","data":1234567890123456789}"#,
        ),
        Answer::Dynamic(Box::new(|base: &str| {
            json_owned(&format!(
                r#"{{"code":0,"message":"success","data":{{"id":1234567890123456789,"status":"Success","percentage":100,"output":{{"resultUrl":"{base}/cdn/plan.png","resultList":[],"width":40,"height":30}}}}}}"#
            ))
        })),
        Answer::Http {
            status: "200 OK",
            headers: vec![("Content-Type".into(), "image/png".into())],
            body: cdn,
        },
    ]);
    let dir = tempfile::tempdir().unwrap();
    let brief = dir.path().join("brief.json");
    std::fs::write(
        &brief,
        serde_json::to_vec(&HousePlanBrief::default()).unwrap(),
    )
    .unwrap();
    let out = dir.path().join("out");
    let o = run_example(
        "house_plan",
        &[
            brief.to_str().unwrap(),
            out.to_str().unwrap(),
            "--base-url",
            &m.base,
            "--api-key",
            "ih_k",
        ],
    );
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert_eq!(std::fs::read(out.join("house_plan.png")).unwrap(), png);
    let seen = m.seen.lock().unwrap();
    assert_eq!(
        seen[1].path,
        "/api/v1/housePlan/result?taskId=1234567890123456789"
    );
}

fn json_owned(body: &str) -> Answer {
    Answer::Http {
        status: "200 OK",
        headers: vec![("Content-Type".into(), "application/json".into())],
        body: body.as_bytes().to_vec(),
    }
}

// ---- issue 13: what mutation fuzzing found ----

#[test]
fn huge_wait_hints_are_bounded_in_all_three_clients() {
    for hint in ["1e300", "1e20", "99999999999999999999999"] {
        let m = mock(vec![
            with_header(json("429 Too Many Requests", "{}"), "Retry-After", hint),
            json("200 OK", r#"{"credits": 3}"#),
        ]);
        let rec = Arc::new(Recorder::default());
        assert_eq!(gsp(&m, rec.clone()).balance().unwrap(), 3);
        assert_eq!(*rec.0.lock().unwrap(), [Duration::from_secs(30)], "{hint}");
    }
    let m = mock(vec![
        json(
            "503 Service Unavailable",
            r#"{"error":"busy","message":"x","retry_after_seconds":1e300}"#,
        ),
        json("200 OK", r#"{"credits": 3}"#),
    ]);
    let rec = Arc::new(Recorder::default());
    assert_eq!(gsp(&m, rec.clone()).balance().unwrap(), 3);
    assert_eq!(*rec.0.lock().unwrap(), [Duration::from_secs(30)]);
    // the Floor Plan API and ideal.house, on a GET
    let m = mock(vec![
        with_header(json("429 Too Many Requests", "{}"), "Retry-After", "1e300"),
        json("200 OK", r#"{"job_id":"j","status":"processing"}"#),
    ]);
    assert_eq!(fp(&m).status("j").unwrap().status, "processing");
    let m = mock(vec![
        with_header(json("503 Service Unavailable", "{}"), "Retry-After", "1e20"),
        json(
            "200 OK",
            r#"{"code":0,"message":"success","data":{"id":1,"status":"Queued"}}"#,
        ),
    ]);
    assert_eq!(ih(&m).result(&TaskId("1".into())).unwrap().status, "Queued");
}

/// A server that answers "still running" to every poll.
fn forever(body: &'static str, n: usize) -> Vec<Answer> {
    (0..n).map(|_| json("200 OK", body)).collect()
}

/// Runs a fetch example against `m` with `--max-wait 1`: it must stop with
/// exit status 1 and a message holding `needle`.
fn stops_at_max_wait(name: &str, args: &[&str], m: &Mock, needle: &str) {
    let mut all = args.to_vec();
    all.extend([
        "--base-url",
        &m.base,
        "--api-key",
        "k_k_k",
        "--max-wait",
        "1",
    ]);
    let o = run_example(name, &all);
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(1), "{name}: {err}");
    assert!(err.contains(needle), "{name}: {err}");
}

#[test]
fn every_example_stops_polling_at_max_wait_and_names_the_job() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("plan.geojson");
    let mut m = mock(forever(r#"{"job_id":"j9","status":"processing"}"#, 4));
    m.base.push_str("/api/v1");
    let o = out.to_str().unwrap();
    stops_at_max_wait(
        "fetch_siteplan",
        &["1 Main St", o, "--job", "j9"],
        &m,
        "not finished after 0 s (last status processing) (resume with --job j9)",
    );
    assert!(!out.exists());

    let plan = dir.path().join("plan.png");
    std::fs::write(&plan, mask_png()).unwrap();
    let m = mock(
        std::iter::once(json("202 Accepted", r#"{"job_id":"fj","status":"queued"}"#))
            .chain(forever(r#"{"job_id":"fj","status":"weird-new-status"}"#, 4))
            .collect(),
    );
    let walls = dir.path().join("walls.geojson");
    let args = [plan.to_str().unwrap(), walls.to_str().unwrap(), "--async"];
    stops_at_max_wait("fetch_walls", &args, &m, "job fj not finished");
    assert!(!walls.exists());

    let brief = dir.path().join("brief.json");
    std::fs::write(
        &brief,
        serde_json::to_vec(&HousePlanBrief::default()).unwrap(),
    )
    .unwrap();
    let m = mock(forever(
        r#"{"code":0,"message":"success","data":{"id":77,"status":"Running","percentage":5}}"#,
        4,
    ));
    let out_dir = dir.path().join("house");
    let args = [
        brief.to_str().unwrap(),
        out_dir.to_str().unwrap(),
        "--task",
        "77",
    ];
    stops_at_max_wait("house_plan", &args, &m, "--task 77");
    assert!(!out_dir.join("house_plan.png").exists());
}

/// A ready job whose features are `body`, then its PDF answered by `pdf`.
fn ready_job(features: &str, pdf: Answer) -> Mock {
    mock(vec![
        Answer::Dynamic(Box::new(|base: &str| {
            json_owned(&format!(
                r#"{{"job_id":"j1","status":"ready","pdf_url":"{base}/files/p.pdf"}}"#
            ))
        })),
        json_owned(features),
        pdf,
    ])
}

#[test]
fn fetch_siteplan_validates_and_writes_all_outputs_or_none() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("plan.geojson");
    let pdf = dir.path().join("plan.pdf");
    let args = |base: &str, extra: &[&str]| -> std::process::Output {
        let mut a = vec![
            "1 Main St",
            out.to_str().unwrap(),
            "--job",
            "j1",
            "--api-key",
            "k_k_k",
            "--base-url",
            base,
        ];
        a.extend(extra);
        run_example("fetch_siteplan", &a)
    };
    // features that do not validate: nothing written; --lenient writes them
    let bad = r#"{"type":"FeatureCollection","features":[{"type":"Feature","geometry":{"type":"Point","coordinates":[1e308,95]},"properties":{"catalogType":"tree"}}]}"#;
    let m = mock(vec![
        json("200 OK", r#"{"job_id":"j1","status":"ready"}"#),
        json_owned(bad),
    ]);
    let o = args(&format!("{}/api/v1", m.base), &[]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(
        err.contains("/features/0/geometry/coordinates") && err.contains("--lenient"),
        "{err}"
    );
    assert!(!out.exists());
    let m = mock(vec![
        json("200 OK", r#"{"job_id":"j1","status":"ready"}"#),
        json_owned(bad),
    ]);
    let o = args(&format!("{}/api/v1", m.base), &["--lenient"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(out.exists());

    // the PDF download fails: neither OUT nor the PDF is replaced
    std::fs::write(&out, b"before").unwrap();
    let good = String::from_utf8(std::fs::read(common::fixture("site/interior_lot.json")).unwrap())
        .unwrap();
    let m = ready_job(
        &good,
        json("404 Not Found", r#"{"error":"gone","message":"expired"}"#),
    );
    let o = args(
        &format!("{}/api/v1", m.base),
        &["--pdf", pdf.to_str().unwrap()],
    );
    assert_eq!(
        o.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    assert_eq!(std::fs::read(&out).unwrap(), b"before");
    assert!(!pdf.exists());
    // and when it works, both are written
    let m = ready_job(
        &good,
        Answer::Http {
            status: "200 OK",
            headers: vec![("Content-Type".into(), "application/pdf".into())],
            body: b"%PDF-1.7".to_vec(),
        },
    );
    let o = args(
        &format!("{}/api/v1", m.base),
        &["--pdf", pdf.to_str().unwrap()],
    );
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert_eq!(std::fs::read(&pdf).unwrap(), b"%PDF-1.7");
    assert_ne!(std::fs::read(&out).unwrap(), b"before");
    let left: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(left.len(), 2, "no staging files left: {left:?}");
}

#[test]
fn server_text_is_printed_without_the_key_or_control_characters() {
    let dir = tempfile::tempdir().unwrap();
    let plan = dir.path().join("plan.png");
    std::fs::write(&plan, mask_png()).unwrap();
    let m = mock(vec![json(
        "401 Unauthorized",
        "{\"error\":{\"type\":\"authentication_error\",\"message\":\"bad key fp_echoed_secret \\u001b[2J\\u001b]0;pwned\\u0007 fp_echoed%5Fsecret\"}}",
    )]);
    let o = run_example(
        "fetch_walls",
        &[
            plan.to_str().unwrap(),
            dir.path().join("w.geojson").to_str().unwrap(),
            "--base-url",
            &m.base,
            "--api-key",
            "fp_echoed_secret",
        ],
    );
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(err.contains("bad key [redacted]"), "{err}");
    assert!(!err.contains("fp_echoed"), "{err}");
    assert!(!err.contains('\u{1b}') && !err.contains('\u{7}'), "{err:?}");
}

#[test]
fn house_plan_walls_take_their_own_connection_options() {
    let png = mask_png();
    let cdn = png.clone();
    let m = mock(vec![
        Answer::Dynamic(Box::new(|base: &str| {
            json_owned(&format!(
                r#"{{"code":0,"message":"success","data":{{"id":5,"status":"Success","percentage":100,"output":{{"resultUrl":"{base}/cdn/plan.png","resultList":[],"width":40,"height":30}}}}}}"#
            ))
        })),
        Answer::Http {
            status: "200 OK",
            headers: vec![("Content-Type".into(), "image/png".into())],
            body: cdn,
        },
        Answer::Http {
            status: "200 OK",
            headers: vec![("Content-Type".into(), "image/png".into())],
            body: png,
        },
    ]);
    let dir = tempfile::tempdir().unwrap();
    let brief = dir.path().join("brief.json");
    std::fs::write(
        &brief,
        serde_json::to_vec(&HousePlanBrief::default()).unwrap(),
    )
    .unwrap();
    let out = dir.path().join("out");
    let o = std::process::Command::new(common::example_bin("house_plan"))
        .args([
            brief.to_str().unwrap(),
            out.to_str().unwrap(),
            "--task",
            "5",
            "--walls",
            "--base-url",
            &m.base,
            "--api-key",
            "ih_k",
        ])
        .args([
            "--walls-base-url",
            &format!("{}/fp", m.base),
            "--walls-api-key",
            "fp_k",
            "--timeout",
            "5",
        ])
        .env_remove("FLOORPLAN_API_KEY")
        .env_remove("FLOORPLAN_BASE_URL")
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let v = common::json_value(&std::fs::read(out.join("walls.geojson")).unwrap());
    assert_eq!(v["features"].as_array().unwrap().len(), 1);
    let seen = m.seen.lock().unwrap();
    assert_eq!(seen.last().unwrap().path, "/fp/v1/extract");
}
