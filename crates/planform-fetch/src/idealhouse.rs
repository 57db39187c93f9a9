//! ideal.house House Plan Generation: a design brief, validated field by
//! field before anything is sent (a task costs credits), a task id kept
//! exactly, polling, and the composite result image.

use std::sync::Arc;
use std::time::Duration;

use secrecy::SecretString;
use serde::{Deserialize, Deserializer, Serialize};
use serde_json::Value;

use crate::client::{Api, Endpoint, Sleeper, ThreadSleeper, context_of, encode_segment, poll};
use crate::error::{Context, FetchError, Result};
use crate::http::{Method, Request, Transport, UreqTransport};
use crate::retry::RetryPolicy;

/// The documented base URL.
pub const DEFAULT_BASE_URL: &str = "https://api.ideal.house";

/// A task id: a 19-digit integer that neither an `f64` nor always an `i64`
/// holds, kept as its decimal string. Reads a JSON number or string.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
#[serde(transparent)]
pub struct TaskId(pub String);

impl std::fmt::Display for TaskId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for TaskId {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        struct V;
        impl serde::de::Visitor<'_> for V {
            type Value = TaskId;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a task id (integer or string of digits)")
            }
            fn visit_u64<E>(self, v: u64) -> std::result::Result<TaskId, E> {
                Ok(TaskId(v.to_string()))
            }
            fn visit_i64<E: serde::de::Error>(self, v: i64) -> std::result::Result<TaskId, E> {
                if v < 0 {
                    Err(E::custom("a negative task id"))
                } else {
                    Ok(TaskId(v.to_string()))
                }
            }
            fn visit_f64<E: serde::de::Error>(self, _: f64) -> std::result::Result<TaskId, E> {
                Err(E::custom("a task id too large to read exactly"))
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> std::result::Result<TaskId, E> {
                let t = v.trim();
                if !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit()) {
                    Ok(TaskId(t.to_owned()))
                } else {
                    Err(E::custom(format!("{v:?} is not a task id")))
                }
            }
        }
        d.deserialize_any(V)
    }
}

/// One bedroom's area range.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct BedroomArea {
    /// Display name (`Room 1 (Master)`).
    pub name: String,
    /// Minimum area, a non-negative number as a string.
    pub min_area: String,
    /// Maximum area, ≥ `min_area`.
    pub max_area: String,
    /// `m²` or `ft²`.
    pub unit: String,
}

/// One bathroom's layout.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BathroomLayout {
    /// Display name (`Bathroom 1`).
    pub name: String,
    /// `With Wet & Dry Separation`, `Without Separation`, or none.
    pub layout: Option<String>,
}

/// The design brief of `POST /api/v1/housePlan/generate`, field for field.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct HousePlanBrief {
    /// Architectural style (see [`STYLES`]), or none.
    pub style: Option<String>,
    /// `1`, `2`, `3+`.
    pub stories: String,
    /// `1` … `4`, `5+`.
    pub bedrooms: String,
    /// `1`, `1.5` … `3.5`, `4+`.
    pub bathrooms: String,
    /// `min-max unit`: `150-200 m²` (50–500 step 10) or `1500-2000 ft²` (500–5000 step 100).
    pub total_area: String,
    /// Whether to include a garage.
    pub garage_enabled: bool,
    /// Required with a garage, none without.
    pub garage_type: Option<String>,
    /// Required with a garage, none without.
    pub garage_capacity: Option<String>,
    /// `None`, `Partial`, `Full`.
    pub basement: String,
    /// Roof type, or none.
    pub roof_type: Option<String>,
    /// Outdoor spaces.
    pub outdoor_spaces: Vec<String>,
    /// Layout concept, or none.
    pub layout_concept: Option<String>,
    /// One per bedroom.
    pub bedroom_area_ranges: Vec<BedroomArea>,
    /// `floor(bathrooms)` of them.
    pub bathroom_layouts: Vec<BathroomLayout>,
    /// Kitchen layout, or none.
    pub kitchen_layout: Option<String>,
    /// Kitchen features.
    pub kitchen_feature_options: Vec<String>,
    /// Key rooms joined by `", "`, or none.
    pub key_rooms: Option<String>,
    /// Free-text guidance.
    pub prompt: String,
    /// A reference image URL, or empty.
    pub ref_image_url: String,
    /// `Base` (10 credits) or `Pro` (20 credits).
    pub model_type: String,
}

/// Documented styles.
pub const STYLES: &[&str] = &[
    "Barndominium",
    "Cabin",
    "Cape Cod",
    "Coastal",
    "Colonial",
    "Contemporary",
    "Craftsman",
    "Farmhouse",
    "French Country",
    "Mediterranean",
    "Mid-Century Modern",
    "Modern",
    "Ranch",
    "Shingle Style",
    "Southwestern",
    "Transitional",
    "Tudor",
    "Victorian",
];
const STORIES: &[&str] = &["1", "2", "3+"];
const BEDROOMS: &[&str] = &["1", "2", "3", "4", "5+"];
const BATHROOMS: &[&str] = &["1", "1.5", "2", "2.5", "3", "3.5", "4+"];
const BASEMENTS: &[&str] = &["None", "Partial", "Full"];
const ROOFS: &[&str] = &["Gable roof", "Hip roof", "Flat roof", "Pitched roof"];
const GARAGE_TYPES: &[&str] = &["Detached", "Front Entry", "Side Entry", "Rear Entry"];
const GARAGE_CAPACITIES: &[&str] = &["1", "2", "3+"];
const OUTDOOR: &[&str] = &[
    "Front porch",
    "Covered patio",
    "Deck",
    "Balcony",
    "Courtyard",
    "Breezeway",
    "Outdoor Kitchen",
];
const LAYOUTS: &[&str] = &["Open Concept", "Traditional", "Split-Level"];
const BATH_LAYOUTS: &[&str] = &["With Wet & Dry Separation", "Without Separation"];
const KITCHENS: &[&str] = &["Open Kitchen", "Closed Kitchen"];
const KITCHEN_FEATURES: &[&str] = &["Eating Bar", "Kitchen Island", "Breakfast Nook"];
const KEY_ROOMS: &[&str] = &[
    "Home Office",
    "Bonus Room",
    "Media Room",
    "Mudroom",
    "Laundry Room",
    "Guest Suite",
];
const MODELS: &[&str] = &["Base", "Pro"];
const UNITS: &[&str] = &["m²", "ft²"];

impl Default for HousePlanBrief {
    /// The document's default brief (a two-storey, two-bedroom Barndominium).
    fn default() -> Self {
        Self {
            style: Some("Barndominium".into()),
            stories: "2".into(),
            bedrooms: "2".into(),
            bathrooms: "1".into(),
            total_area: "150-200 m²".into(),
            garage_enabled: false,
            garage_type: None,
            garage_capacity: None,
            basement: "None".into(),
            roof_type: None,
            outdoor_spaces: Vec::new(),
            layout_concept: None,
            bedroom_area_ranges: vec![
                BedroomArea {
                    name: "Room 1 (Master)".into(),
                    min_area: "12".into(),
                    max_area: "18".into(),
                    unit: "m²".into(),
                },
                BedroomArea {
                    name: "Room 2".into(),
                    min_area: "10".into(),
                    max_area: "14".into(),
                    unit: "m²".into(),
                },
            ],
            bathroom_layouts: vec![BathroomLayout {
                name: "Bathroom 1".into(),
                layout: None,
            }],
            kitchen_layout: None,
            kitchen_feature_options: Vec::new(),
            key_rooms: None,
            prompt: String::new(),
            ref_image_url: String::new(),
            model_type: "Base".into(),
        }
    }
}

fn invalid(field: &str, message: String) -> FetchError {
    FetchError::InvalidRequest {
        field: Some(field.to_owned()),
        message,
        context: Context::default(),
    }
}

fn one_of(field: &str, v: &str, allowed: &[&str]) -> Result<()> {
    if allowed.contains(&v) {
        Ok(())
    } else {
        Err(invalid(
            field,
            format!("{v:?} is not one of {}", allowed.join(", ")),
        ))
    }
}

fn total_area(v: &str) -> Result<()> {
    let bad = || {
        invalid(
            "totalArea",
            format!(
                "{v:?} is not `min-max m²` (50–500, step 10) or `min-max ft²` (500–5000, step 100)"
            ),
        )
    };
    let (range, unit) = v.trim().rsplit_once(' ').ok_or_else(bad)?;
    let (lo, hi, step) = match unit {
        "m²" => (50, 500, 10),
        "ft²" => (500, 5000, 100),
        _ => return Err(bad()),
    };
    let (a, b) = range.split_once('-').ok_or_else(bad)?;
    let (a, b): (u32, u32) = (
        a.trim().parse().map_err(|_| bad())?,
        b.trim().parse().map_err(|_| bad())?,
    );
    let on_grid = |x: u32| (lo..=hi).contains(&x) && (x - lo).is_multiple_of(step);
    if on_grid(a) && on_grid(b) && b >= a + step {
        Ok(())
    } else {
        Err(bad())
    }
}

impl HousePlanBrief {
    /// Bedroom ranges (one per bedroom) and bathroom layouts (floor of the
    /// bathroom count).
    fn validate_rooms(&self) -> Result<()> {
        let bedrooms: usize = self.bedrooms.trim_end_matches('+').parse().unwrap_or(0);
        if self.bedroom_area_ranges.len() != bedrooms {
            return Err(invalid(
                "bedroomAreaRanges",
                format!(
                    "{} ranges for {} bedrooms",
                    self.bedroom_area_ranges.len(),
                    self.bedrooms
                ),
            ));
        }
        for (i, r) in self.bedroom_area_ranges.iter().enumerate() {
            let f = format!("bedroomAreaRanges[{i}]");
            let num = |v: &str| {
                v.trim()
                    .parse::<f64>()
                    .ok()
                    .filter(|x| x.is_finite() && *x >= 0.0)
            };
            let (Some(a), Some(b)) = (num(&r.min_area), num(&r.max_area)) else {
                return Err(invalid(
                    &f,
                    "minArea and maxArea must be non-negative numbers".into(),
                ));
            };
            if b < a {
                return Err(invalid(&f, format!("maxArea {b} is below minArea {a}")));
            }
            one_of(&format!("{f}.unit"), &r.unit, UNITS)?;
        }
        let baths: f64 = self.bathrooms.trim_end_matches('+').parse().unwrap_or(0.0);
        if self.bathroom_layouts.len() != baths.floor() as usize {
            return Err(invalid(
                "bathroomLayouts",
                format!(
                    "{} layouts for {} bathrooms (needs floor of it)",
                    self.bathroom_layouts.len(),
                    self.bathrooms
                ),
            ));
        }
        for (i, b) in self.bathroom_layouts.iter().enumerate() {
            if let Some(l) = &b.layout {
                one_of(&format!("bathroomLayouts[{i}].layout"), l, BATH_LAYOUTS)?;
            }
        }
        Ok(())
    }

    /// Checks every documented field, enum and range; the first problem is
    /// an [`FetchError::InvalidRequest`] naming its field.
    pub fn validate(&self) -> Result<()> {
        if let Some(s) = &self.style {
            one_of("style", s, STYLES)?;
        }
        one_of("stories", &self.stories, STORIES)?;
        one_of("bedrooms", &self.bedrooms, BEDROOMS)?;
        one_of("bathrooms", &self.bathrooms, BATHROOMS)?;
        total_area(&self.total_area)?;
        one_of("basement", &self.basement, BASEMENTS)?;
        match (
            self.garage_enabled,
            &self.garage_type,
            &self.garage_capacity,
        ) {
            (true, Some(t), Some(c)) => {
                one_of("garageType", t, GARAGE_TYPES)?;
                one_of("garageCapacity", c, GARAGE_CAPACITIES)?;
            }
            (true, None, _) => {
                return Err(invalid(
                    "garageType",
                    "required when garageEnabled is true".into(),
                ));
            }
            (true, _, None) => {
                return Err(invalid(
                    "garageCapacity",
                    "required when garageEnabled is true".into(),
                ));
            }
            (false, None, None) => {}
            (false, _, _) => {
                return Err(invalid(
                    "garageType",
                    "must be null when garageEnabled is false".into(),
                ));
            }
        }
        if let Some(r) = &self.roof_type {
            one_of("roofType", r, ROOFS)?;
        }
        for o in &self.outdoor_spaces {
            one_of("outdoorSpaces", o, OUTDOOR)?;
        }
        if let Some(l) = &self.layout_concept {
            one_of("layoutConcept", l, LAYOUTS)?;
        }
        self.validate_rooms()?;
        if let Some(k) = &self.kitchen_layout {
            one_of("kitchenLayout", k, KITCHENS)?;
        }
        for k in &self.kitchen_feature_options {
            one_of("kitchenFeatureOptions", k, KITCHEN_FEATURES)?;
        }
        if let Some(k) = &self.key_rooms {
            for part in k.split(',') {
                one_of("keyRooms", part.trim(), KEY_ROOMS)?;
            }
        }
        let url = &self.ref_image_url;
        if !(url.is_empty() || url.starts_with("https://") || url.starts_with("http://")) {
            return Err(invalid(
                "refImageUrl",
                "must be empty or an http(s) URL".into(),
            ));
        }
        one_of("modelType", &self.model_type, MODELS)
    }
}

/// A task's output image(s).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TaskOutput {
    /// The composite presentation board.
    pub result_url: String,
    /// All result images (normally the same one).
    #[serde(default)]
    pub result_list: Vec<String>,
    /// Width in pixels.
    #[serde(default)]
    pub width: Option<u32>,
    /// Height in pixels.
    #[serde(default)]
    pub height: Option<u32>,
}

/// `GET /api/v1/housePlan/result`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Task {
    /// The task.
    pub id: TaskId,
    /// `Unprocessed`, `Processing`, `Success`, `Failed`, `Termination`.
    pub status: String,
    /// Tasks ahead in the queue.
    #[serde(default)]
    pub wait_number: Option<u32>,
    /// Progress 0–100.
    #[serde(default)]
    pub percentage: Option<u32>,
    /// The result, once `Success`.
    #[serde(default)]
    pub output: Option<TaskOutput>,
}

/// The ideal.house client.
#[derive(Debug)]
pub struct IdealHouse {
    api: Api,
    endpoint: Endpoint,
}

impl IdealHouse {
    /// A client with the real transport.
    pub fn new(api_key: SecretString, base_url: &str) -> Result<Self> {
        let transport = Arc::new(UreqTransport::new(Duration::from_secs(60), 256 << 20));
        Self::with_transport(
            api_key,
            base_url,
            transport,
            RetryPolicy::default(),
            Arc::new(ThreadSleeper),
        )
    }

    /// A client from `IDEALHOUSE_API_KEY` and `IDEALHOUSE_BASE_URL`.
    pub fn from_env() -> Result<Self> {
        let endpoint = Endpoint::from_env(
            "IDEALHOUSE_API_KEY",
            "IDEALHOUSE_BASE_URL",
            DEFAULT_BASE_URL,
            "APIKEY",
        )?;
        let transport = Arc::new(UreqTransport::new(Duration::from_secs(60), 256 << 20));
        Ok(Self {
            api: Api::new(transport, RetryPolicy::default(), Arc::new(ThreadSleeper)),
            endpoint,
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
            endpoint: Endpoint::new(base_url, api_key, "APIKEY")?,
        })
    }

    /// Sends a request and unwraps `{code, message, data}`: a code other
    /// than 0 in an HTTP 200 body becomes a typed error.
    fn call(&self, req: &Request, billable: bool) -> Result<Value> {
        let r = self.api.execute(req, billable)?;
        let context = context_of(&r, None);
        let v: Value = serde_json::from_slice(&r.body).map_err(|e| FetchError::Protocol {
            message: format!("not the documented JSON: {e}"),
            context: context.clone(),
        })?;
        let code = v
            .get("code")
            .and_then(Value::as_i64)
            .ok_or_else(|| FetchError::Protocol {
                message: "no `code` in the answer".into(),
                context: context.clone(),
            })?;
        let message = v
            .get("message")
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_owned();
        match code {
            0 => Ok(v.get("data").cloned().unwrap_or(Value::Null)),
            5002 => Err(FetchError::Authentication { message, context }),
            9051 => Err(FetchError::InsufficientCredits { message, context }),
            1011 => Err(FetchError::InvalidRequest {
                field: None,
                message,
                context,
            }),
            1003 => Err(FetchError::Server { message, context }),
            _ => Err(FetchError::Business {
                code,
                message,
                context,
            }),
        }
    }

    /// Validates the brief, then creates the task (10 or 20 credits). A
    /// lost answer is not retried (it may have been billed).
    pub fn create(&self, brief: &HousePlanBrief) -> Result<TaskId> {
        brief.validate()?;
        let body = serde_json::to_vec(brief).map_err(|e| FetchError::Config(e.to_string()))?;
        let req = self.endpoint.request(
            Method::Post,
            "/api/v1/housePlan/generate",
            Some((body, "application/json".into())),
        );
        let data = self.call(&req, true)?;
        serde_json::from_value(data).map_err(|e| FetchError::Protocol {
            message: format!("task id: {e}"),
            context: Context::default(),
        })
    }

    /// The task's status and output.
    pub fn result(&self, task: &TaskId) -> Result<Task> {
        let req = self.endpoint.request(
            Method::Get,
            &format!(
                "/api/v1/housePlan/result?taskId={}",
                encode_segment(&task.0)
            ),
            None,
        );
        let data = self.call(&req, false)?;
        serde_json::from_value(data).map_err(|e| FetchError::Protocol {
            message: format!("task: {e}"),
            context: Context::default(),
        })
    }

    /// Polls until `Success` (returns the output); `Failed` and
    /// `Termination` are [`FetchError::JobFailed`].
    pub fn wait(&self, task: &TaskId, interval: Duration, timeout: Duration) -> Result<TaskOutput> {
        poll(
            self.api.sleeper.as_ref(),
            &task.0,
            interval,
            timeout,
            || {
                let t = self.result(task)?;
                match (t.status.as_str(), t.output) {
                    ("Success", Some(out)) => Ok((Some(out), t.status)),
                    ("Success", None) => Err(FetchError::Protocol {
                        message: "Success without output".into(),
                        context: Context::default(),
                    }),
                    ("Failed" | "Termination", _) => Err(FetchError::JobFailed {
                        job_id: task.0.clone(),
                        message: t.status,
                    }),
                    (_, _) => Ok((None, t.status)),
                }
            },
        )
    }

    /// Downloads the result image (no API key is sent to the CDN).
    pub fn download(&self, url: &str) -> Result<Vec<u8>> {
        let req = Request {
            method: Method::Get,
            url: url.to_owned(),
            headers: Vec::new(),
            body: None,
        };
        Ok(self.api.execute(&req, false)?.body)
    }
}

#[cfg(test)]
#[allow(clippy::unnecessary_wraps, clippy::too_many_lines)]
mod tests {
    use super::*;
    use crate::http::{Response, TransportError};
    use std::sync::Mutex;

    struct Script(
        Mutex<Vec<std::result::Result<Response, TransportError>>>,
        Mutex<Vec<Request>>,
    );
    impl Transport for Script {
        fn send(&self, r: &Request) -> std::result::Result<Response, TransportError> {
            self.1.lock().unwrap().push(r.clone());
            let mut a = self.0.lock().unwrap();
            if a.is_empty() {
                Err(TransportError::Connect {
                    body_sent: false,
                    message: "end".into(),
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

    fn ok(body: &str) -> std::result::Result<Response, TransportError> {
        Ok(Response {
            status: 200,
            headers: vec![],
            body: body.as_bytes().to_vec(),
        })
    }

    fn client(
        answers: Vec<std::result::Result<Response, TransportError>>,
    ) -> (IdealHouse, Arc<Script>) {
        let s = Arc::new(Script(Mutex::new(answers), Mutex::new(Vec::new())));
        let c = IdealHouse::with_transport(
            SecretString::from("ih_key".to_owned()),
            "http://127.0.0.1:9",
            s.clone(),
            RetryPolicy::default(),
            Arc::new(NoSleep),
        )
        .unwrap();
        (c, s)
    }

    #[test]
    fn task_ids_keep_all_19_digits() {
        let (c, s) = client(vec![ok(
            r#"{"code":0,"message":"success","data":1234567890123456789}"#,
        )]);
        let id = c.create(&HousePlanBrief::default()).unwrap();
        assert_eq!(id.0, "1234567890123456789");
        let req = &s.1.lock().unwrap()[0];
        assert!(
            req.headers
                .iter()
                .any(|(k, v)| k == "APIKEY" && v == "ih_key")
        );
        let sent: Value = serde_json::from_slice(req.body.as_ref().unwrap()).unwrap();
        assert_eq!(sent["totalArea"], "150-200 m²");
        assert_eq!(sent["garageType"], Value::Null);
        assert_eq!(
            serde_json::from_str::<TaskId>("\"9223372036854775808\"")
                .unwrap()
                .0,
            "9223372036854775808"
        );
        assert_eq!(
            serde_json::from_str::<TaskId>("18446744073709551615")
                .unwrap()
                .0,
            "18446744073709551615"
        );
        assert!(serde_json::from_str::<TaskId>("1.5e30").is_err());
        assert!(serde_json::from_str::<TaskId>("\"12a\"").is_err());
    }

    #[test]
    fn a_task_id_is_one_encoded_query_value() {
        let (c, s) = client(vec![ok(
            r#"{"code":0,"message":"success","data":{"status":"Queued"}}"#,
        )]);
        let _ = c.result(&TaskId("a&x=1 #".into()));
        let url = &s.1.lock().unwrap()[0].url;
        assert!(
            url.ends_with("/api/v1/housePlan/result?taskId=a%26x%3D1%20%23"),
            "{url}"
        );
    }

    #[test]
    fn business_errors_in_200_bodies_are_typed() {
        for (code, check) in [
            (
                5002,
                (|e: &FetchError| matches!(e, FetchError::Authentication { .. }))
                    as fn(&FetchError) -> bool,
            ),
            (9051, |e| {
                matches!(e, FetchError::InsufficientCredits { .. })
            }),
            (1011, |e| matches!(e, FetchError::InvalidRequest { .. })),
            (1003, |e| matches!(e, FetchError::Server { .. })),
            (9010, |e| {
                matches!(e, FetchError::Business { code: 9010, .. })
            }),
            (9038, |e| {
                matches!(e, FetchError::Business { code: 9038, .. })
            }),
            (1001, |e| {
                matches!(e, FetchError::Business { code: 1001, .. })
            }),
        ] {
            let (c, _) = client(vec![ok(&format!(
                r#"{{"code":{code},"message":"m","data":null}}"#
            ))]);
            let e = c.create(&HousePlanBrief::default()).unwrap_err();
            assert!(check(&e), "{code}: {e}");
        }
    }

    #[test]
    fn briefs_are_validated_field_by_field_before_sending() {
        let field = |b: HousePlanBrief| match b.validate() {
            Err(FetchError::InvalidRequest { field, .. }) => field.unwrap_or_default(),
            other => panic!("{other:?}"),
        };
        assert!(HousePlanBrief::default().validate().is_ok());
        let d = HousePlanBrief::default;
        assert_eq!(
            field(HousePlanBrief {
                style: Some("Gothic".into()),
                ..d()
            }),
            "style"
        );
        assert_eq!(
            field(HousePlanBrief {
                stories: "4".into(),
                ..d()
            }),
            "stories"
        );
        assert_eq!(
            field(HousePlanBrief {
                total_area: "200-150 m²".into(),
                ..d()
            }),
            "totalArea"
        );
        assert_eq!(
            field(HousePlanBrief {
                total_area: "155-200 m²".into(),
                ..d()
            }),
            "totalArea"
        );
        assert_eq!(
            field(HousePlanBrief {
                total_area: "150-160 sqm".into(),
                ..d()
            }),
            "totalArea"
        );
        assert!(
            HousePlanBrief {
                total_area: "1500-2000 ft²".into(),
                ..d()
            }
            .validate()
            .is_ok()
        );
        assert_eq!(
            field(HousePlanBrief {
                garage_enabled: true,
                ..d()
            }),
            "garageType"
        );
        assert_eq!(
            field(HousePlanBrief {
                garage_enabled: true,
                garage_type: Some("Detached".into()),
                ..d()
            }),
            "garageCapacity"
        );
        assert_eq!(
            field(HousePlanBrief {
                garage_type: Some("Detached".into()),
                ..d()
            }),
            "garageType"
        );
        assert_eq!(
            field(HousePlanBrief {
                bedrooms: "3".into(),
                ..d()
            }),
            "bedroomAreaRanges"
        );
        assert_eq!(
            field(HousePlanBrief {
                bathrooms: "2.5".into(),
                ..d()
            }),
            "bathroomLayouts"
        );
        assert_eq!(
            field(HousePlanBrief {
                model_type: "Flash".into(),
                ..d()
            }),
            "modelType"
        );
        assert_eq!(
            field(HousePlanBrief {
                key_rooms: Some("Home Office, Gym".into()),
                ..d()
            }),
            "keyRooms"
        );
        assert_eq!(
            field(HousePlanBrief {
                ref_image_url: "ftp://x".into(),
                ..d()
            }),
            "refImageUrl"
        );
        let mut b = d();
        b.bedroom_area_ranges[0].max_area = "5".into();
        assert_eq!(field(b), "bedroomAreaRanges[0]");
        let (c, s) = client(vec![]);
        assert!(
            c.create(&HousePlanBrief {
                stories: "9".into(),
                ..d()
            })
            .is_err()
        );
        assert!(s.1.lock().unwrap().is_empty(), "nothing was sent");
    }

    #[test]
    fn polling_to_the_composite_image() {
        let (c, s) = client(vec![
            ok(
                r#"{"code":0,"message":"success","data":{"id":1234567890123456789,"status":"Processing","waitNumber":1,"percentage":45,"output":null}}"#,
            ),
            ok(
                r#"{"code":0,"message":"success","data":{"id":1234567890123456789,"status":"Success","waitNumber":0,"percentage":100,
                "output":{"resultUrl":"https://cdn.example/plan.jpg","resultList":["https://cdn.example/plan.jpg"],"width":2560,"height":1440}}}"#,
            ),
            ok("JPEGDATA"),
        ]);
        let id = TaskId("1234567890123456789".into());
        let out = c
            .wait(&id, Duration::from_secs(4), Duration::from_secs(600))
            .unwrap();
        assert_eq!(out.width, Some(2560));
        assert_eq!(c.download(&out.result_url).unwrap(), b"JPEGDATA");
        let seen = s.1.lock().unwrap();
        assert!(
            seen[0]
                .url
                .ends_with("/api/v1/housePlan/result?taskId=1234567890123456789")
        );
        assert!(seen[2].headers.is_empty(), "no key to the CDN");
        let (c, _) = client(vec![ok(
            r#"{"code":0,"message":"success","data":{"id":"7","status":"Termination"}}"#,
        )]);
        assert!(matches!(
            c.wait(
                &TaskId("7".into()),
                Duration::from_secs(4),
                Duration::from_secs(60)
            ),
            Err(FetchError::JobFailed { .. })
        ));
    }
}
