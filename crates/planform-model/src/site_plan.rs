//! The whole site-plan document: the FeatureCollection plus the service's
//! top-level `parcel`, `yards`, `gates` and `analysis`.

use std::fmt;
use std::path::Path;

use serde::de::{self, MapAccess, Visitor};
use serde::ser::SerializeMap;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::Value;

use crate::analysis::{Analysis, Gate, Parcel, Yard};
use crate::catalog::FeatureFilter;
use crate::error::{ModelError, ParseErrorKind, Result};
use crate::feature::{Feature, KeySeed, expect_type};
use crate::json::{FromJson, Object, ToJson, pointer_token};

/// A GetSitePlan.ai site plan (or any GeoJSON FeatureCollection).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SitePlan {
    /// The features, in document order.
    pub features: Vec<Feature>,
    /// Parcel classification and sides.
    pub parcel: Option<Parcel>,
    /// Front / back / side yards.
    pub yards: Option<Vec<Yard>>,
    /// Proposed gates.
    pub gates: Option<Vec<Gate>>,
    /// Setback, shade, grade and fence analyses.
    pub analysis: Option<Analysis>,
    /// `bbox`, `name`, `crs` and every other member, as given.
    pub extra: Object,
}

/// Limits for reading a site plan.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReadOptions {
    /// Largest input accepted, in bytes; larger inputs are refused before
    /// they are read. Default 256 MiB.
    pub max_bytes: u64,
}

impl Default for ReadOptions {
    fn default() -> Self {
        Self {
            max_bytes: 256 * 1024 * 1024,
        }
    }
}

fn take<T: FromJson>(v: Value, key: &str, extra: &mut Object) -> Option<T> {
    match T::from_json(v) {
        Ok(t) => Some(t),
        Err(v) => {
            extra.insert(key.to_owned(), v);
            None
        }
    }
}

impl<'de> Deserialize<'de> for SitePlan {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = SitePlan;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a GeoJSON FeatureCollection object")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<SitePlan, A::Error> {
                let mut plan = SitePlan::default();
                let (mut typed, mut featured) = (false, false);
                while let Some(key) = map.next_key_seed(KeySeed)? {
                    match key.as_ref() {
                        "type" => {
                            expect_type(&mut map, "FeatureCollection")?;
                            typed = true;
                        }
                        "features" => {
                            plan.features = map.next_value()?;
                            featured = true;
                        }
                        "parcel" => {
                            plan.parcel = take(map.next_value()?, "parcel", &mut plan.extra);
                        }
                        "yards" => plan.yards = take(map.next_value()?, "yards", &mut plan.extra),
                        "gates" => plan.gates = take(map.next_value()?, "gates", &mut plan.extra),
                        "analysis" => {
                            plan.analysis = take(map.next_value()?, "analysis", &mut plan.extra);
                        }
                        _ => {
                            let v: Value = map.next_value()?;
                            plan.extra.insert(key.into_owned(), v);
                        }
                    }
                }
                if !typed {
                    return Err(de::Error::missing_field("type"));
                }
                if !featured {
                    return Err(de::Error::missing_field("features"));
                }
                Ok(plan)
            }
        }
        d.deserialize_map(V)
    }
}

impl Serialize for SitePlan {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(None)?;
        map.serialize_entry("type", "FeatureCollection")?;
        for (k, v) in &self.extra {
            if !matches!(
                k.as_str(),
                "type" | "features" | "parcel" | "yards" | "gates" | "analysis"
            ) {
                map.serialize_entry(k, v)?;
            }
        }
        map.serialize_entry("features", &self.features)?;
        for (key, v) in [
            ("parcel", self.parcel.as_ref().map(ToJson::to_json)),
            ("yards", self.yards.as_ref().map(ToJson::to_json)),
            ("gates", self.gates.as_ref().map(ToJson::to_json)),
            ("analysis", self.analysis.as_ref().map(ToJson::to_json)),
        ] {
            match v {
                Some(v) => map.serialize_entry(key, &v)?,
                None => {
                    if let Some(v) = self.extra.get(key) {
                        map.serialize_entry(key, v)?;
                    }
                }
            }
        }
        map.end()
    }
}

/// Turns a `serde_path_to_error` path into a JSON Pointer.
fn pointer_of(path: &serde_path_to_error::Path) -> String {
    use serde_path_to_error::Segment;
    let mut out = String::new();
    for seg in path {
        match seg {
            Segment::Seq { index } => {
                out.push('/');
                out.push_str(&index.to_string());
            }
            Segment::Map { key } => {
                out.push('/');
                out.push_str(&pointer_token(key));
            }
            Segment::Enum { variant } => {
                out.push('/');
                out.push_str(&pointer_token(variant));
            }
            Segment::Unknown => {}
        }
    }
    out
}

fn parse_error(e: &serde_path_to_error::Error<serde_json::Error>) -> ModelError {
    let inner = e.inner();
    let message = inner.to_string();
    let message = message
        .rsplit_once(" at line ")
        .map_or(message.as_str(), |(m, _)| m)
        .to_owned();
    let kind = if message.contains("recursion limit") {
        ParseErrorKind::TooDeep
    } else if message.starts_with("number out of range") {
        // a literal beyond the doubles (`1e999`) is a syntax error of JSON
        // numbers, whether the parser or the coordinate reader finds it
        ParseErrorKind::Syntax
    } else {
        match inner.classify() {
            serde_json::error::Category::Eof => ParseErrorKind::Truncated,
            serde_json::error::Category::Data => ParseErrorKind::Data,
            _ => ParseErrorKind::Syntax,
        }
    };
    ModelError::Parse {
        path: None,
        pointer: pointer_of(e.path()),
        line: inner.line(),
        column: inner.column(),
        message,
        kind,
    }
}

/// The tracked parse accepted what the fast parse refused: cannot happen
/// (both run the same deserializer), but it is reported, not panicked on.
fn unreachable_parse() -> ModelError {
    ModelError::Parse {
        path: None,
        pointer: String::new(),
        line: 0,
        column: 0,
        message: "inconsistent parse (please report this input)".into(),
        kind: ParseErrorKind::Syntax,
    }
}

impl SitePlan {
    /// Parses a document from bytes (a UTF-8 BOM is skipped).
    pub fn from_slice(bytes: &[u8]) -> Result<Self> {
        let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
        if bytes.iter().all(u8::is_ascii_whitespace) {
            return Err(ModelError::Parse {
                path: None,
                pointer: String::new(),
                line: 0,
                column: 0,
                message: "the input is empty".into(),
                kind: ParseErrorKind::Empty,
            });
        }
        // Fast path without path tracking; on failure, parse again with
        // serde_path_to_error to find the JSON Pointer of the problem.
        let mut de = serde_json::Deserializer::from_slice(bytes);
        let Ok(plan) = SitePlan::deserialize(&mut de) else {
            let mut de = serde_json::Deserializer::from_slice(bytes);
            return Err(
                match serde_path_to_error::deserialize::<_, SitePlan>(&mut de) {
                    Err(e) => parse_error(&e),
                    Ok(_) => unreachable_parse(),
                },
            );
        };
        de.end().map_err(|e| ModelError::Parse {
            path: None,
            pointer: String::new(),
            line: e.line(),
            column: e.column(),
            message: "trailing characters after the document".into(),
            kind: ParseErrorKind::Syntax,
        })?;
        Ok(plan)
    }

    /// Parses a document from a string.
    pub fn from_json_str(s: &str) -> Result<Self> {
        Self::from_slice(s.as_bytes())
    }

    /// Reads and parses a file (no validation; see [`SitePlan::validate`]).
    pub fn read(path: impl AsRef<Path>) -> Result<Self> {
        Self::read_with(path, &ReadOptions::default())
    }

    /// [`SitePlan::read`] with limits.
    pub fn read_with(path: impl AsRef<Path>, options: &ReadOptions) -> Result<Self> {
        let path = path.as_ref();
        let bytes = crate::io::read_limited(path, options.max_bytes)?;
        Self::from_slice(&bytes).map_err(|e| e.with_path(path))
    }

    /// The document as a JSON value.
    pub fn to_value(&self) -> Result<Value> {
        serde_json::to_value(self).map_err(|e| ModelError::Write {
            message: e.to_string(),
        })
    }

    /// Serializes compactly.
    pub fn to_vec(&self) -> Result<Vec<u8>> {
        serde_json::to_vec(self).map_err(|e| ModelError::Write {
            message: e.to_string(),
        })
    }

    /// Serializes with indentation.
    pub fn to_vec_pretty(&self) -> Result<Vec<u8>> {
        serde_json::to_vec_pretty(self).map_err(|e| ModelError::Write {
            message: e.to_string(),
        })
    }

    /// Writes the document to `path` atomically: a temporary file in the same
    /// folder is written, flushed and renamed over `path` only on success.
    pub fn write(&self, path: impl AsRef<Path>) -> Result<()> {
        let bytes = self.to_vec()?;
        crate::io::write_atomic(path.as_ref(), |w| std::io::Write::write_all(w, &bytes))
    }

    /// A copy holding only the features the filter keeps (top-level records
    /// are kept as they are).
    #[must_use]
    pub fn filtered(&self, filter: &FeatureFilter) -> Self {
        Self {
            features: self
                .features
                .iter()
                .filter(|f| filter.keeps(f.catalog_type()))
                .cloned()
                .collect(),
            ..self.clone_without_features()
        }
    }

    /// Drops the features the filter does not keep.
    pub fn retain(&mut self, filter: &FeatureFilter) {
        self.features.retain(|f| filter.keeps(f.catalog_type()));
    }

    fn clone_without_features(&self) -> Self {
        Self {
            features: Vec::new(),
            parcel: self.parcel.clone(),
            yards: self.yards.clone(),
            gates: self.gates.clone(),
            analysis: self.analysis.clone(),
            extra: self.extra.clone(),
        }
    }

    /// Whether the document carries site-plan data (a `catalogType` on any
    /// feature or any of the top-level analysis records), as opposed to a
    /// plain GeoJSON FeatureCollection.
    pub fn is_site_plan(&self) -> bool {
        self.parcel.is_some()
            || self.yards.is_some()
            || self.gates.is_some()
            || self.analysis.is_some()
            || self.features.iter().any(|f| {
                f.properties
                    .as_ref()
                    .is_some_and(|p| p.catalog_type.is_some())
            })
    }

    /// The EPSG code named by a legacy GeoJSON `crs` member, if any
    /// (`urn:ogc:def:crs:EPSG::3857` → 3857; CRS84 → 4326).
    pub fn declared_epsg(&self) -> Option<u32> {
        let name = self
            .extra
            .get("crs")?
            .get("properties")?
            .get("name")?
            .as_str()?;
        crate::crs::epsg_from_name(name)
    }

    /// Whether coordinates are WGS84 longitude/latitude (no `crs` member, or
    /// one naming CRS84 / EPSG:4326).
    pub fn is_wgs84(&self) -> bool {
        self.extra
            .get("crs")
            .is_none_or(|_| self.declared_epsg() == Some(4326))
    }

    /// The plan as a `geojson` crate FeatureCollection (foreign members kept).
    pub fn to_geojson(&self) -> Result<geojson::FeatureCollection> {
        serde_json::from_value(self.to_value()?).map_err(|e| ModelError::Write {
            message: e.to_string(),
        })
    }

    /// A plan from a `geojson` crate FeatureCollection.
    pub fn from_geojson(fc: &geojson::FeatureCollection) -> Result<Self> {
        let bytes = serde_json::to_vec(fc).map_err(|e| ModelError::Write {
            message: e.to_string(),
        })?;
        Self::from_slice(&bytes)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn round_trip_keeps_foreign_members_and_records() {
        let v = json!({"type": "FeatureCollection", "name": "x", "features": [],
            "parcel": {"classification": {"type": "irregular", "confidence": 0.85, "source": "vision-qa"},
                       "sides": [{"id": "side-0", "index": 0, "role": "interior", "relation": "left",
                                  "measuredLengthMeters": 38.2}], "entrance": {"sideId": "side-2"}},
            "yards": [{"id": "yard-front", "kind": "front", "boundingSideIds": ["side-2"]}],
            "gates": [], "analysis": {"lotGrade": {"isFlat": true}, "future": 1}});
        let p = SitePlan::from_slice(v.to_string().as_bytes()).unwrap();
        assert_eq!(p.to_value().unwrap(), v);
        assert_eq!(
            p.parcel.as_ref().unwrap().sides.as_ref().unwrap()[0].length_m(),
            Some(38.2)
        );
    }

    #[test]
    fn parse_errors_carry_a_pointer() {
        let doc = r#"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{},
            "geometry":{"type":"Polygon","coordinates":[[[0,0],[1,0],[1,"x"],[0,0]]]}}]}"#;
        let e = SitePlan::from_slice(doc.as_bytes()).unwrap_err();
        assert_eq!(e.pointer(), Some("/features/0/geometry/coordinates/0/2/1"));
        assert!(matches!(
            e,
            ModelError::Parse {
                kind: ParseErrorKind::Data,
                ..
            }
        ));
    }

    #[test]
    fn truncated_empty_and_trailing_inputs() {
        let e = SitePlan::from_slice(br#"{"type":"FeatureCollection","features":[{"#).unwrap_err();
        assert!(
            matches!(
                e,
                ModelError::Parse {
                    kind: ParseErrorKind::Truncated,
                    ..
                }
            ),
            "{e}"
        );
        let e = SitePlan::from_slice(b"  \n").unwrap_err();
        assert!(matches!(
            e,
            ModelError::Parse {
                kind: ParseErrorKind::Empty,
                ..
            }
        ));
        let e =
            SitePlan::from_slice(br#"{"type":"FeatureCollection","features":[]} x"#).unwrap_err();
        assert!(matches!(
            e,
            ModelError::Parse {
                kind: ParseErrorKind::Syntax,
                ..
            }
        ));
        let e = SitePlan::from_slice(br#"{"type":"Feature","features":[]}"#).unwrap_err();
        assert_eq!(e.pointer(), Some("/type"));
        let bom = b"\xEF\xBB\xBF{\"type\":\"FeatureCollection\",\"features\":[]}";
        assert!(SitePlan::from_slice(bom).is_ok());
    }

    #[test]
    fn declared_crs() {
        let p = SitePlan::from_slice(
            br#"{"type":"FeatureCollection","features":[],
            "crs":{"type":"name","properties":{"name":"urn:ogc:def:crs:EPSG::3857"}}}"#,
        )
        .unwrap();
        assert_eq!(p.declared_epsg(), Some(3857));
        assert!(!p.is_wgs84());
        assert!(SitePlan::default().is_wgs84());
    }

    #[test]
    fn geojson_crate_round_trip() {
        let v = json!({"type": "FeatureCollection", "features": [{"type": "Feature",
            "geometry": {"type": "Point", "coordinates": [1.5, 2.5]}, "properties": {"catalogType": "tree"}}]});
        let p = SitePlan::from_slice(v.to_string().as_bytes()).unwrap();
        let fc = p.to_geojson().unwrap();
        assert_eq!(fc.features.len(), 1);
        let back = SitePlan::from_geojson(&fc).unwrap();
        assert_eq!(
            back.features[0].catalog_type(),
            p.features[0].catalog_type()
        );
    }
}
