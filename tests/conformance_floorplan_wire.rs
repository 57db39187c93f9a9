//! Wire compatibility with the official `floorplan-api` Python client
//! (0.5.0): the same calls through both clients against one loopback
//! recorder must produce the same normalized request transcript (method,
//! path, query, Authorization, content types, multipart field names and
//! file names, JSON bodies; boundaries and User-Agent ignored). In
//! particular planform makes no request the official client would not.

#![allow(clippy::unwrap_used, clippy::missing_panics_doc)]

mod common;

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::time::Duration;

use planform::fetch::floorplan::Image;
use planform::fetch::{
    FloorPlanApi, Method, Request, RetryPolicy, Sleeper, Transport, UreqTransport,
};
use secrecy::SecretString;

struct NoSleep;
impl Sleeper for NoSleep {
    fn sleep(&self, _: Duration) {}
}

struct Recorder(std::process::Child);
impl Drop for Recorder {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn transcript(base: &str) -> serde_json::Value {
    let t = UreqTransport::new(Duration::from_secs(10), 1 << 20);
    let get = Request {
        method: Method::Get,
        url: format!("{base}/__transcript"),
        headers: vec![],
        body: None,
    };
    let v = serde_json::from_slice(&t.send(&get).unwrap().body).unwrap();
    let reset = Request {
        method: Method::Post,
        url: format!("{base}/__reset"),
        headers: vec![],
        body: Some(vec![]),
    };
    t.send(&reset).unwrap();
    v
}

#[test]
fn planform_speaks_the_same_http_as_the_official_client() {
    let Some(py) = common::python_with(&["floorplan_api"]) else {
        return;
    };
    let root = common::root().join("tests/conformance");
    let mut child = Command::new(&py)
        .arg(root.join("fp_recorder.py"))
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let _recorder = Recorder(child);
    let base = format!("http://127.0.0.1:{}", line.trim());

    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("plan.png");
    image::GrayImage::from_fn(8, 6, |x, _| image::Luma([if x % 2 == 0 { 255 } else { 0 }]))
        .save(&path)
        .unwrap();

    // planform
    let transport = Arc::new(UreqTransport::new(Duration::from_secs(10), 1 << 20));
    let policy = RetryPolicy {
        base_delay: Duration::ZERO,
        ..RetryPolicy::default()
    };
    let c = FloorPlanApi::with_transport(
        SecretString::from("fp_test_wire".to_owned()),
        &base,
        transport,
        policy,
        Arc::new(NoSleep),
    )
    .unwrap();
    let img = Image::from_path(&path).unwrap();
    c.extract(&img).unwrap();
    c.upload_then_extract(&img, 0).unwrap();
    let job = c.analyze_async(&img).unwrap();
    let done = c
        .wait(&job.id, Duration::ZERO, Duration::from_secs(10))
        .unwrap();
    assert_eq!(
        c.download_result(&done).unwrap().wall_mask_png()[..8],
        *b"\x89PNG\r\n\x1a\n"
    );
    let ours = transcript(&base);

    // the official client
    let o = Command::new(&py)
        .arg(root.join("fp_client_seq.py"))
        .arg(&base)
        .arg(&path)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let theirs = transcript(&base);

    let pretty = |v: &serde_json::Value| serde_json::to_string_pretty(v).unwrap();
    assert_eq!(ours.as_array().unwrap().len(), 8, "{}", pretty(&ours));
    assert_eq!(
        ours,
        theirs,
        "planform:\n{}\nofficial client:\n{}",
        pretty(&ours),
        pretty(&theirs)
    );
}
