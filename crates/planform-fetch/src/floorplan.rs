//! The Floor Plan API: wall-segmentation masks from plan images, sync or
//! as async jobs, inline or through presigned uploads, and the newer JSON
//! results (base64 masks, rooms, door/window detections).

use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use base64::Engine as _;
use secrecy::SecretString;
use serde::Deserialize;
use serde_json::{Value, json};

use crate::client::{Api, Endpoint, Sleeper, ThreadSleeper, context_of, encode_segment, poll};
use crate::error::{Context, FetchError, Result};
use crate::http::{Method, Request, Response, Transport, UreqTransport};
use crate::retry::RetryPolicy;

/// The documented base URL.
pub const DEFAULT_BASE_URL: &str = "https://api.floorplanapi.com";
/// The inline upload limit: larger images go through a presigned upload.
pub const INLINE_LIMIT: usize = 10 * 1024 * 1024;

/// An image to segment, with its MIME type sniffed from its bytes.
#[derive(Clone, PartialEq, Eq)]
pub struct Image {
    bytes: Vec<u8>,
    content_type: &'static str,
    filename: String,
}

impl std::fmt::Debug for Image {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "Image({}, {} bytes, {})",
            self.filename,
            self.bytes.len(),
            self.content_type
        )
    }
}

impl Image {
    /// Image bytes; PNG, JPEG, WebP or (newer servers) PDF, detected from
    /// the content, else [`FetchError::UnsupportedMedia`] before anything is
    /// sent.
    pub fn from_bytes(bytes: Vec<u8>, filename: &str) -> Result<Self> {
        let content_type = if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
            "image/png"
        } else if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
            "image/jpeg"
        } else if bytes.len() >= 12 && &bytes[..4] == b"RIFF" && &bytes[8..12] == b"WEBP" {
            "image/webp"
        } else if bytes.starts_with(b"%PDF-") {
            "application/pdf"
        } else {
            return Err(FetchError::UnsupportedMedia {
                message: format!("{filename}: not a PNG, JPEG, WebP or PDF"),
                context: Context::default(),
            });
        };
        Ok(Self {
            bytes,
            content_type,
            filename: filename.to_owned(),
        })
    }

    /// Reads an image file.
    pub fn from_path(path: &Path) -> Result<Self> {
        let bytes = std::fs::read(path)
            .map_err(|e| FetchError::Config(format!("{}: {e}", path.display())))?;
        let name = path
            .file_name()
            .map_or_else(|| "image".to_owned(), |n| n.to_string_lossy().into_owned());
        Self::from_bytes(bytes, &name)
    }

    /// The sniffed MIME type.
    pub fn content_type(&self) -> &str {
        self.content_type
    }
}

/// A PNG wall mask as the 0.5 servers return it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MaskPng {
    /// The single-channel 0/255 PNG.
    pub png: Vec<u8>,
    /// `X-Mask-Width`, when sent.
    pub width: Option<u32>,
    /// `X-Mask-Height`, when sent.
    pub height: Option<u32>,
    /// Status and ids (`X-Job-Id`, `X-Request-Id`).
    pub context: Context,
}

/// A door or window the newer servers detect.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Detection {
    /// `door`, `window`, … (as sent).
    #[serde(rename = "class")]
    pub class_name: String,
    /// 0–1.
    #[serde(default)]
    pub confidence: Option<f64>,
    /// Outline in image pixels.
    #[serde(default)]
    pub polygon: Option<Vec<[f64; 2]>>,
    /// Centre in image pixels.
    #[serde(default)]
    pub center: Option<[f64; 2]>,
    /// Width and height in pixels.
    #[serde(default)]
    pub size: Option<[f64; 2]>,
}

/// A room the newer servers segment.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Room {
    /// Room id, as sent.
    #[serde(default)]
    pub id: Value,
    /// Segmentation score.
    #[serde(default)]
    pub score: Option<f64>,
    /// Area in pixels.
    #[serde(default)]
    pub area: Option<f64>,
    /// Polygon rings in image pixels.
    #[serde(default)]
    pub polygon: Option<Vec<Vec<[f64; 2]>>>,
}

/// The JSON result of the newer servers (client 0.6).
#[derive(Debug, Clone, PartialEq)]
pub struct JsonResult {
    /// The wall mask PNG (decoded from base64).
    pub wall_mask_png: Vec<u8>,
    /// The room mask PNG, when sent.
    pub room_mask_png: Option<Vec<u8>>,
    /// Rooms.
    pub rooms: Vec<Room>,
    /// Doors and windows.
    pub detections: Vec<Detection>,
    /// Image width and height, when sent.
    pub size: Option<(u32, u32)>,
    /// The whole JSON, as sent.
    pub raw: Value,
    /// Status and ids.
    pub context: Context,
}

/// What a segmentation call returns, by the response's Content-Type.
#[derive(Debug, Clone, PartialEq)]
pub enum Segmentation {
    /// `image/png`.
    Mask(MaskPng),
    /// `application/json`.
    Json(Box<JsonResult>),
}

impl Segmentation {
    /// The wall mask PNG, whichever the shape.
    pub fn wall_mask_png(&self) -> &[u8] {
        match self {
            Self::Mask(m) => &m.png,
            Self::Json(j) => &j.wall_mask_png,
        }
    }
}

/// An async job (`GET /v1/status/{id}`).
#[derive(Debug, Clone, PartialEq)]
pub struct Job {
    /// The job.
    pub id: String,
    /// `queued`, `processing`, `completed` or `failed` (as sent).
    pub status: String,
    /// Where the result is (`/v1/jobs/{id}/mask` or `/result`), when done.
    pub result_url: Option<String>,
    /// The error, for failed jobs.
    pub error: Option<String>,
}

impl Job {
    /// Whether the job will not change any more.
    pub fn is_terminal(&self) -> bool {
        matches!(self.status.as_str(), "completed" | "failed")
    }
}

/// A presigned upload slot (`POST /v1/uploads`).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct UploadSlot {
    /// Where to PUT the bytes (no Authorization header).
    pub upload_url: String,
    /// The storage key to submit.
    pub key: String,
    /// Expiry, as sent.
    #[serde(default)]
    pub expires_at: Option<String>,
    /// The Content-Type the PUT must use.
    pub content_type: String,
}

/// The Floor Plan API client.
#[derive(Debug)]
pub struct FloorPlanApi {
    api: Api,
    endpoint: Endpoint,
    max_wait: Duration,
}

/// How long a job named by a 504 is polled by default (5 min).
pub const DEFAULT_MAX_WAIT: Duration = Duration::from_secs(300);

fn protocol(message: impl Into<String>, context: &Context) -> FetchError {
    FetchError::Protocol {
        message: message.into(),
        context: context.clone(),
    }
}

/// A multipart/form-data body of text fields and at most one file.
fn multipart(text: &[(&str, &str)], file: Option<&Image>) -> (Vec<u8>, String) {
    let mut n = 0u64;
    let boundary = loop {
        let b = format!(
            "planform-{:016x}",
            0x9E37_79B9_7F4A_7C15u64.wrapping_mul(n + 1)
        );
        if file.is_none_or(|f| !f.bytes.windows(b.len()).any(|w| w == b.as_bytes())) {
            break b;
        }
        n += 1;
    };
    let mut body = Vec::new();
    for (name, value) in text {
        body.extend_from_slice(
            format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n"
            )
            .as_bytes(),
        );
    }
    if let Some(f) = file {
        let name = f.filename.replace(['"', '\r', '\n'], "_");
        body.extend_from_slice(
            format!("--{boundary}\r\nContent-Disposition: form-data; name=\"image\"; filename=\"{name}\"\r\nContent-Type: {}\r\n\r\n", f.content_type).as_bytes(),
        );
        body.extend_from_slice(&f.bytes);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
    (body, format!("multipart/form-data; boundary={boundary}"))
}

/// Reads a segmentation response by its Content-Type.
fn segmentation(r: Response) -> Result<Segmentation> {
    let context = context_of(&r, None);
    let ct = r.header("content-type").unwrap_or("").to_ascii_lowercase();
    if ct.starts_with("image/png") || r.body.starts_with(b"\x89PNG\r\n\x1a\n") {
        if !r.body.starts_with(b"\x89PNG\r\n\x1a\n") {
            return Err(protocol("the mask is not a PNG", &context));
        }
        let dim = |h: &str| r.header(h).and_then(|v| v.trim().parse().ok());
        return Ok(Segmentation::Mask(MaskPng {
            width: dim("x-mask-width"),
            height: dim("x-mask-height"),
            png: r.body,
            context,
        }));
    }
    let raw: Value = serde_json::from_slice(&r.body)
        .map_err(|e| protocol(format!("neither a PNG nor JSON: {e}"), &context))?;
    let b64 = |k: &str| -> Result<Option<Vec<u8>>> {
        match raw.get(k).and_then(Value::as_str) {
            None => Ok(None),
            Some(s) => base64::engine::general_purpose::STANDARD
                .decode(s.trim())
                .map(Some)
                .map_err(|e| protocol(format!("`{k}` is not base64: {e}"), &context)),
        }
    };
    let wall_mask_png = b64("wall_mask_png")?
        .ok_or_else(|| protocol("no `wall_mask_png` in the result", &context))?;
    let room_mask_png = b64("room_mask_png")?;
    let list = |k: &str| raw.get(k).cloned().unwrap_or(Value::Array(vec![]));
    let rooms: Vec<Room> = serde_json::from_value(list("rooms"))
        .map_err(|e| protocol(format!("`rooms`: {e}"), &context))?;
    let detections: Vec<Detection> = serde_json::from_value(list("detections"))
        .map_err(|e| protocol(format!("`detections`: {e}"), &context))?;
    let dim = |k: &str| {
        raw.get(k)
            .and_then(Value::as_u64)
            .and_then(|v| u32::try_from(v).ok())
    };
    let size = dim("width").zip(dim("height"));
    let mut context = context;
    if context.job_id.is_none() {
        context.job_id = raw.get("job_id").and_then(Value::as_str).map(str::to_owned);
    }
    Ok(Segmentation::Json(Box::new(JsonResult {
        wall_mask_png,
        room_mask_png,
        rooms,
        detections,
        size,
        raw,
        context,
    })))
}

impl FloorPlanApi {
    /// A client with the real transport (60 s per call, as the official client).
    pub fn new(api_key: SecretString, base_url: &str) -> Result<Self> {
        let transport = Arc::new(UreqTransport::new(Duration::from_secs(60), 512 << 20));
        Self::with_transport(
            api_key,
            base_url,
            transport,
            RetryPolicy::default(),
            Arc::new(ThreadSleeper),
        )
    }

    /// A client from `FLOORPLAN_API_KEY` and `FLOORPLAN_BASE_URL` (the
    /// official client's names; default [`DEFAULT_BASE_URL`]).
    pub fn from_env() -> Result<Self> {
        let endpoint = Endpoint::from_env(
            "FLOORPLAN_API_KEY",
            "FLOORPLAN_BASE_URL",
            DEFAULT_BASE_URL,
            "Authorization",
        )?;
        let transport = Arc::new(UreqTransport::new(Duration::from_secs(60), 512 << 20));
        Ok(Self {
            api: Api::new(transport, RetryPolicy::default(), Arc::new(ThreadSleeper)),
            endpoint,
            max_wait: DEFAULT_MAX_WAIT,
        })
    }

    /// A client over any transport.
    pub fn with_transport(
        api_key: SecretString,
        base_url: &str,
        transport: Arc<dyn Transport>,
        policy: RetryPolicy,
        sleeper: Arc<dyn Sleeper>,
    ) -> Result<Self> {
        Ok(Self {
            api: Api::new(transport, policy, sleeper),
            endpoint: Endpoint::new(base_url, api_key, "Authorization")?,
            max_wait: DEFAULT_MAX_WAIT,
        })
    }

    /// The same client, polling a job that a 504 names for at most
    /// `max_wait` ([`DEFAULT_MAX_WAIT`] otherwise) before
    /// [`FetchError::PollTimeout`].
    #[must_use]
    pub fn with_max_wait(mut self, max_wait: Duration) -> Self {
        self.max_wait = max_wait;
        self
    }

    fn segment(
        &self,
        path: &str,
        text: &[(&str, &str)],
        image: Option<&Image>,
    ) -> Result<Segmentation> {
        if let Some(i) = image.filter(|i| i.bytes.len() > INLINE_LIMIT) {
            return Err(FetchError::PayloadTooLarge {
                message: format!(
                    "{} is {} bytes; inline uploads take 10 MB (use upload_then_extract)",
                    i.filename,
                    i.bytes.len()
                ),
                context: Context::default(),
            });
        }
        let req = self
            .endpoint
            .request(Method::Post, path, Some(multipart(text, image)));
        match self.api.execute(&req, true) {
            Ok(r) => segmentation(r),
            // a 504 names the job: it runs on, so poll it instead of paying again
            Err(FetchError::Server {
                context:
                    Context {
                        status: Some(504),
                        job_id: Some(job),
                        ..
                    },
                ..
            }) => {
                let done = self.wait(&job, Duration::from_secs(2), self.max_wait)?;
                self.download_result(&done)
            }
            Err(e) => Err(e),
        }
    }

    /// `POST /v1/extract` (1 credit): the wall mask of an image ≤ 10 MB.
    pub fn extract(&self, image: &Image) -> Result<Segmentation> {
        self.segment("/v1/extract", &[], Some(image))
    }

    /// `POST /v1/analyze` (2 credits), synchronously.
    pub fn analyze(&self, image: &Image) -> Result<Segmentation> {
        self.segment("/v1/analyze", &[], Some(image))
    }

    /// `POST /v1/extract` by the storage key of an earlier upload.
    pub fn extract_key(&self, upload_key: &str) -> Result<Segmentation> {
        self.segment("/v1/extract", &[("upload_key", upload_key)], None)
    }

    /// `POST /v1/uploads`: a presigned slot (free).
    pub fn create_upload(&self, content_type: &str) -> Result<UploadSlot> {
        let body = json!({"content_type": content_type})
            .to_string()
            .into_bytes();
        let req = self.endpoint.request(
            Method::Post,
            "/v1/uploads",
            Some((body, "application/json".into())),
        );
        let (v, ctx) = self.api.json(&req, false)?;
        serde_json::from_value(v).map_err(|e| protocol(format!("upload slot: {e}"), &ctx))
    }

    /// Uploads an image through a presigned slot; returns its storage key.
    /// The PUT carries only Content-Type, never the API key.
    pub fn upload(&self, image: &Image) -> Result<String> {
        let slot = self.create_upload(image.content_type)?;
        let put = Request {
            method: Method::Put,
            url: slot.upload_url.clone(),
            headers: vec![("Content-Type".to_owned(), slot.content_type.clone())],
            body: Some(image.bytes.clone()),
        };
        self.api.execute(&put, false)?;
        Ok(slot.key)
    }

    /// Extracts inline below `threshold_bytes` (default [`INLINE_LIMIT`]),
    /// through a presigned upload above it.
    pub fn upload_then_extract(
        &self,
        image: &Image,
        threshold_bytes: usize,
    ) -> Result<Segmentation> {
        if image.bytes.len() < threshold_bytes.min(INLINE_LIMIT + 1) {
            self.extract(image)
        } else {
            let key = self.upload(image)?;
            self.extract_key(&key)
        }
    }

    /// `POST /v1/analyze` with `async=true`: the queued job.
    pub fn analyze_async(&self, image: &Image) -> Result<Job> {
        let req = self.endpoint.request(
            Method::Post,
            "/v1/analyze",
            Some(multipart(&[("async", "true")], Some(image))),
        );
        let (v, ctx) = self.api.json(&req, true)?;
        let id = v
            .get("job_id")
            .and_then(Value::as_str)
            .ok_or_else(|| protocol("no `job_id` in the answer", &ctx))?;
        Ok(Job {
            id: id.to_owned(),
            status: v
                .get("status")
                .and_then(Value::as_str)
                .unwrap_or("queued")
                .to_owned(),
            result_url: None,
            error: None,
        })
    }

    /// `GET /v1/status/{id}`.
    pub fn status(&self, job_id: &str) -> Result<Job> {
        let req = self.endpoint.request(
            Method::Get,
            &format!("/v1/status/{}", encode_segment(job_id)),
            None,
        );
        let (v, ctx) = self.api.json(&req, false)?;
        let status = v
            .get("status")
            .and_then(Value::as_str)
            .ok_or_else(|| protocol("no `status` in the job", &ctx))?;
        let error = v.get("error").filter(|e| !e.is_null()).map(|e| {
            e.get("message")
                .and_then(Value::as_str)
                .map_or_else(|| e.to_string(), str::to_owned)
        });
        Ok(Job {
            id: v
                .get("job_id")
                .and_then(Value::as_str)
                .unwrap_or(job_id)
                .to_owned(),
            status: status.to_owned(),
            result_url: v
                .get("result")
                .and_then(|r| r.get("result_url"))
                .and_then(Value::as_str)
                .map(str::to_owned),
            error,
        })
    }

    /// Polls until the job completes; a failed job is [`FetchError::JobFailed`].
    pub fn wait(&self, job_id: &str, interval: Duration, timeout: Duration) -> Result<Job> {
        poll(self.api.sleeper.as_ref(), job_id, interval, timeout, || {
            let job = self.status(job_id)?;
            match job.status.as_str() {
                "completed" => Ok((Some(job), "completed".to_owned())),
                "failed" => Err(FetchError::JobFailed {
                    job_id: job_id.to_owned(),
                    message: job.error.unwrap_or_else(|| "no reason given".into()),
                }),
                other => Ok((None, other.to_owned())),
            }
        })
    }

    /// Downloads a completed job's result: its `result_url` when the status
    /// gave one, else `/v1/jobs/{id}/mask` (0.5 servers) and then
    /// `/v1/jobs/{id}/result` (0.6 servers).
    pub fn download_result(&self, job: &Job) -> Result<Segmentation> {
        let id = encode_segment(&job.id);
        let paths = match &job.result_url {
            Some(u) if u.starts_with('/') => vec![u.clone()],
            _ => vec![
                format!("/v1/jobs/{id}/mask"),
                format!("/v1/jobs/{id}/result"),
            ],
        };
        let mut last = None;
        for p in paths {
            match self
                .api
                .execute(&self.endpoint.request(Method::Get, &p, None), false)
            {
                Ok(r) => return segmentation(r),
                Err(e @ FetchError::NotFound { .. }) => last = Some(e),
                Err(e) => return Err(e),
            }
        }
        Err(last.unwrap_or_else(|| protocol("no result location", &Context::default())))
    }
}

#[cfg(test)]
#[allow(clippy::unnecessary_wraps)]
mod tests {
    use super::*;
    use crate::http::TransportError;
    use std::sync::Mutex;

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

    struct NoSleep;
    impl Sleeper for NoSleep {
        fn sleep(&self, _: Duration) {}
    }

    const PNG: &[u8] = b"\x89PNG\r\n\x1a\nrest-of-png";

    fn resp(
        status: u16,
        headers: &[(&str, &str)],
        body: &[u8],
    ) -> std::result::Result<Response, TransportError> {
        Ok(Response {
            status,
            headers: headers
                .iter()
                .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
                .collect(),
            body: body.to_vec(),
        })
    }

    fn client(
        answers: Vec<std::result::Result<Response, TransportError>>,
    ) -> (FloorPlanApi, Arc<Script>) {
        let s = Arc::new(Script {
            answers: Mutex::new(answers),
            seen: Mutex::new(Vec::new()),
        });
        let c = FloorPlanApi::with_transport(
            SecretString::from("fp_test_key".to_owned()),
            "http://127.0.0.1:9",
            s.clone(),
            RetryPolicy::default(),
            Arc::new(NoSleep),
        )
        .unwrap();
        (c, s)
    }

    fn image() -> Image {
        Image::from_bytes(PNG.to_vec(), "plan.png").unwrap()
    }

    #[test]
    fn extract_returns_the_png_with_its_headers() {
        let (c, s) = client(vec![resp(
            200,
            &[
                ("content-type", "image/png"),
                ("x-mask-width", "1024"),
                ("x-mask-height", "768"),
                ("x-job-id", "job_abc123"),
                ("x-request-id", "req_def456"),
            ],
            PNG,
        )]);
        let Segmentation::Mask(m) = c.extract(&image()).unwrap() else {
            panic!("expected a PNG")
        };
        assert_eq!((m.width, m.height), (Some(1024), Some(768)));
        assert_eq!(m.context.job_id.as_deref(), Some("job_abc123"));
        let seen = s.seen.lock().unwrap();
        assert_eq!(seen[0].url, "http://127.0.0.1:9/v1/extract");
        let ct = &seen[0]
            .headers
            .iter()
            .find(|(k, _)| k == "Content-Type")
            .unwrap()
            .1;
        assert!(ct.starts_with("multipart/form-data; boundary="));
        let body = String::from_utf8_lossy(seen[0].body.as_ref().unwrap()).into_owned();
        assert!(
            body.contains("name=\"image\"; filename=\"plan.png\"")
                && body.contains("Content-Type: image/png")
        );
    }

    #[test]
    fn json_results_are_decoded() {
        let b64 = base64::engine::general_purpose::STANDARD.encode(PNG);
        let body = json!({"wall_mask_png": b64, "room_mask_png": b64, "width": 1024, "height": 768, "job_id": "job_9",
            "rooms": [{"id": 1, "score": 0.9, "area": 1200.0, "polygon": [[[0.0, 0.0], [10.0, 0.0], [10.0, 10.0]]]}],
            "detections": [{"class": "door", "confidence": 0.8, "center": [5.0, 5.0], "size": [2.0, 1.0]}]});
        let (c, _) = client(vec![resp(
            200,
            &[("content-type", "application/json")],
            body.to_string().as_bytes(),
        )]);
        let Segmentation::Json(j) = c.analyze(&image()).unwrap() else {
            panic!("expected JSON")
        };
        assert_eq!(j.wall_mask_png, PNG);
        assert_eq!(j.size, Some((1024, 768)));
        assert_eq!(j.detections[0].class_name, "door");
        assert_eq!(j.rooms.len(), 1);
        assert_eq!(j.context.job_id.as_deref(), Some("job_9"));
        let bad = json!({"wall_mask_png": "***"});
        let (c, _) = client(vec![resp(
            200,
            &[("content-type", "application/json")],
            bad.to_string().as_bytes(),
        )]);
        assert!(matches!(
            c.extract(&image()).unwrap_err(),
            FetchError::Protocol { .. }
        ));
    }

    #[test]
    fn a_504_with_a_job_id_is_polled_not_paid_again() {
        let (c, s) = client(vec![
            resp(504, &[("x-job-id", "job_7")], br#"{"error":{"type":"timeout_error","message":"slow"},"job_id":"job_7"}"#),
            resp(200, &[], br#"{"job_id":"job_7","status":"processing"}"#),
            resp(200, &[], br#"{"job_id":"job_7","status":"completed","result":{"result_url":"/v1/jobs/job_7/mask","width":4,"height":3}}"#),
            resp(200, &[("content-type", "image/png")], PNG),
        ]);
        assert_eq!(c.extract(&image()).unwrap().wall_mask_png(), PNG);
        let urls: Vec<String> = s
            .seen
            .lock()
            .unwrap()
            .iter()
            .map(|r| r.url.clone())
            .collect();
        assert_eq!(
            urls.iter().filter(|u| u.ends_with("/v1/extract")).count(),
            1,
            "{urls:?}"
        );
        assert!(urls.last().unwrap().ends_with("/v1/jobs/job_7/mask"));
    }

    #[test]
    fn a_504_job_is_polled_no_longer_than_max_wait() {
        let processing = || resp(200, &[], br#"{"job_id":"job_7","status":"processing"}"#);
        let (c, _) = client(vec![
            resp(
                504,
                &[("x-job-id", "job_7")],
                br#"{"error":{"type":"timeout_error","message":"slow"},"job_id":"job_7"}"#,
            ),
            processing(),
            processing(),
            processing(),
        ]);
        let c = c.with_max_wait(Duration::from_secs(5));
        assert!(matches!(
            c.extract(&image()).unwrap_err(),
            FetchError::PollTimeout { job_id, .. } if job_id == "job_7"
        ));
    }

    #[test]
    fn presigned_uploads_never_carry_the_key() {
        let slot = json!({"upload_url": "https://bucket.example/uploads/x?sig=1", "key": "uploads/x.png", "expires_at": "2026-04-28T13:15:00.000Z", "content_type": "image/png"});
        let (c, s) = client(vec![
            resp(200, &[], slot.to_string().as_bytes()),
            resp(200, &[], b""),
            resp(200, &[("content-type", "image/png")], PNG),
        ]);
        c.upload_then_extract(&image(), 0).unwrap();
        let seen = s.seen.lock().unwrap();
        assert_eq!(seen[1].method, Method::Put);
        assert_eq!(
            seen[1].headers,
            vec![("Content-Type".to_owned(), "image/png".to_owned())]
        );
        assert!(String::from_utf8_lossy(seen[2].body.as_ref().unwrap()).contains("uploads/x.png"));
    }

    #[test]
    fn floorplan_errors_are_typed() {
        let (c, _) = client(vec![resp(
            401,
            &[("x-request-id", "req_1")],
            br#"{"error":{"type":"authentication_error","message":"Invalid API key."}}"#,
        )]);
        let e = c.extract(&image()).unwrap_err();
        assert!(
            matches!(&e, FetchError::Authentication { message, context } if message == "Invalid API key." && context.request_id.as_deref() == Some("req_1")),
            "{e}"
        );
        assert!(!e.to_string().contains("fp_test_key"));
        assert!(matches!(
            Image::from_bytes(b"GIF89a".to_vec(), "x.gif"),
            Err(FetchError::UnsupportedMedia { .. })
        ));
        let big = Image {
            bytes: vec![0; INLINE_LIMIT + 1],
            content_type: "image/png",
            filename: "big.png".into(),
        };
        assert!(matches!(
            c.extract(&big),
            Err(FetchError::PayloadTooLarge { .. })
        ));
    }

    #[test]
    fn async_jobs_poll_and_download() {
        let (c, _) = client(vec![
            resp(202, &[], br#"{"success":true,"job_id":"job_a","status":"queued"}"#),
            resp(200, &[], br#"{"job_id":"job_a","status":"queued"}"#),
            resp(200, &[], br#"{"job_id":"job_a","status":"failed","error":{"type":"x","message":"bad image"}}"#),
        ]);
        let job = c.analyze_async(&image()).unwrap();
        assert_eq!(job.id, "job_a");
        let e = c
            .wait(&job.id, Duration::from_secs(1), Duration::from_secs(60))
            .unwrap_err();
        assert!(matches!(e, FetchError::JobFailed { message, .. } if message == "bad image"));
    }
}
