//! GeoJSON features with typed site-plan properties.

use std::borrow::Cow;
use std::fmt;

use serde::de::{self, DeserializeSeed, MapAccess, SeqAccess, Visitor};
use serde::ser::SerializeMap;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::{Number, Value};

use crate::attrs::{Attrs, CatalogAttrs, SurfaceKind};
use crate::catalog::{CatalogSlug, CatalogType};
use crate::geometry::Geometry;
use crate::json::{FromJson, Object, ToJson, num_f64, open_enum};

open_enum! {
    /// Detection provenance (`properties.source`).
    pub enum Source {
        /// `sam`
        Sam = "sam",
        /// `sam3`
        Sam3 = "sam3",
        /// `vision`
        Vision = "vision",
        /// `vision-qa`
        VisionQa = "vision-qa",
        /// `corrected`
        Corrected = "corrected",
        /// `fused`
        Fused = "fused",
        /// `roadmap`
        Roadmap = "roadmap",
        /// `osm`
        Osm = "osm",
        /// `mask`
        Mask = "mask",
        /// `image2`
        Image2 = "image2",
        /// `manual`
        Manual = "manual",
        /// `planform`: computed offline by this library.
        Planform = "planform",
    }
}

/// A feature's `properties`, typed where the service documents a member and
/// lossless for everything else.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Properties {
    /// `catalogType` (aliases resolved, spelling kept).
    pub catalog_type: Option<CatalogSlug>,
    /// `attrs`, typed by `catalogType`.
    pub attrs: Option<Attrs>,
    /// `confidence`, 0–1.
    pub confidence: Option<Number>,
    /// `source`.
    pub source: Option<Source>,
    /// `areaSqm`, square metres.
    pub area_sqm: Option<Number>,
    /// `sideId` (hedge, fence).
    pub side_id: Option<String>,
    /// `roadId` (driveway).
    pub road_id: Option<String>,
    /// `kind` (surface).
    pub kind: Option<SurfaceKind>,
    /// `headingDeg`, clockwise from north (vehicle).
    pub heading_deg: Option<Number>,
    /// `parkedOn` (vehicle).
    pub parked_on: Option<String>,
    /// Every other member (foreign, `null`, or of an unexpected JSON type),
    /// written back as given.
    pub extra: Object,
}

fn take<T: FromJson>(object: &mut Object, key: &str) -> Option<T> {
    let v = object.remove(key)?;
    match T::from_json(v) {
        Ok(t) => Some(t),
        Err(v) => {
            object.insert(key.to_owned(), v);
            None
        }
    }
}

fn put<T: ToJson>(object: &mut Object, key: &str, v: Option<&T>) {
    if let Some(v) = v {
        object.insert(key.to_owned(), v.to_json());
    }
}

impl Properties {
    /// The documented member names, in wire spelling.
    pub const KEYS: &'static [&'static str] = &[
        "catalogType",
        "attrs",
        "confidence",
        "source",
        "areaSqm",
        "sideId",
        "roadId",
        "kind",
        "headingDeg",
        "parkedOn",
    ];

    /// Properties of a given catalog type with empty `attrs`.
    pub fn of_type(t: CatalogType) -> Self {
        let attrs = Attrs::from_object(Some(&t), Object::new());
        Self {
            catalog_type: Some(CatalogSlug::new(t)),
            attrs: Some(attrs),
            ..Self::default()
        }
    }

    /// Builds typed properties from a JSON object; never fails.
    pub fn from_object(mut object: Object) -> Self {
        let catalog_type: Option<CatalogSlug> = take(&mut object, "catalogType");
        let attrs = match object.remove("attrs") {
            Some(Value::Object(o)) => Some(Attrs::from_object(
                catalog_type.as_ref().map(CatalogSlug::canonical),
                o,
            )),
            Some(other) => {
                object.insert("attrs".to_owned(), other);
                None
            }
            None => None,
        };
        Self {
            catalog_type,
            attrs,
            confidence: take(&mut object, "confidence"),
            source: take(&mut object, "source"),
            area_sqm: take(&mut object, "areaSqm"),
            side_id: take(&mut object, "sideId"),
            road_id: take(&mut object, "roadId"),
            kind: take(&mut object, "kind"),
            heading_deg: take(&mut object, "headingDeg"),
            parked_on: take(&mut object, "parkedOn"),
            extra: object,
        }
    }

    /// The properties as a JSON object.
    pub fn to_object(&self) -> Object {
        let mut o = self.extra.clone();
        put(&mut o, "catalogType", self.catalog_type.as_ref());
        if let Some(a) = &self.attrs {
            o.insert("attrs".to_owned(), Value::Object(a.to_object()));
        }
        put(&mut o, "confidence", self.confidence.as_ref());
        put(&mut o, "source", self.source.as_ref());
        put(&mut o, "areaSqm", self.area_sqm.as_ref());
        put(&mut o, "sideId", self.side_id.as_ref());
        put(&mut o, "roadId", self.road_id.as_ref());
        put(&mut o, "kind", self.kind.as_ref());
        put(&mut o, "headingDeg", self.heading_deg.as_ref());
        put(&mut o, "parkedOn", self.parked_on.as_ref());
        o
    }

    /// Documented members (of the properties themselves, not `attrs`) present
    /// with the wrong JSON type: `(member, expected)`.
    pub fn mistyped(&self) -> Vec<(&'static str, &'static str)> {
        let checks: [(&'static str, bool, &'static str); 10] = [
            ("catalogType", self.catalog_type.is_some(), "a string"),
            ("attrs", self.attrs.is_some(), "an object"),
            ("confidence", self.confidence.is_some(), "a number"),
            ("source", self.source.is_some(), "a string"),
            ("areaSqm", self.area_sqm.is_some(), "a number"),
            ("sideId", self.side_id.is_some(), "a string"),
            ("roadId", self.road_id.is_some(), "a string"),
            ("kind", self.kind.is_some(), "a string"),
            ("headingDeg", self.heading_deg.is_some(), "a number"),
            ("parkedOn", self.parked_on.is_some(), "a string"),
        ];
        checks
            .into_iter()
            .filter(|(k, typed, _)| !typed && self.extra.get(*k).is_some_and(|v| !v.is_null()))
            .map(|(k, _, e)| (k, e))
            .collect()
    }

    /// The canonical catalog type.
    pub fn catalog_type(&self) -> Option<&CatalogType> {
        self.catalog_type.as_ref().map(CatalogSlug::canonical)
    }
}

impl Properties {
    /// Whether the documented member `key` is held by a typed field.
    fn typed(&self, key: &str) -> bool {
        match key {
            "catalogType" => self.catalog_type.is_some(),
            "attrs" => self.attrs.is_some(),
            "confidence" => self.confidence.is_some(),
            "source" => self.source.is_some(),
            "areaSqm" => self.area_sqm.is_some(),
            "sideId" => self.side_id.is_some(),
            "roadId" => self.road_id.is_some(),
            "kind" => self.kind.is_some(),
            "headingDeg" => self.heading_deg.is_some(),
            "parkedOn" => self.parked_on.is_some(),
            _ => false,
        }
    }
}

impl Serialize for Properties {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(None)?;
        macro_rules! entry {
            ($key:literal, $field:expr) => {
                if let Some(v) = &$field {
                    map.serialize_entry($key, v)?;
                }
            };
        }
        entry!("catalogType", self.catalog_type);
        entry!("attrs", self.attrs);
        entry!("confidence", self.confidence);
        entry!("source", self.source);
        entry!("areaSqm", self.area_sqm);
        entry!("sideId", self.side_id);
        entry!("roadId", self.road_id);
        entry!("kind", self.kind);
        entry!("headingDeg", self.heading_deg);
        entry!("parkedOn", self.parked_on);
        for (k, v) in &self.extra {
            // a typed member wins over a stale copy of its key in `extra`
            if !self.typed(k) {
                map.serialize_entry(k, v)?;
            }
        }
        map.end()
    }
}

/// The member name `serde_json` gives a number it keeps as text.
const NUMBER_TOKEN: &str = "$serde_json::private::Number";

/// A map whose first key was read already.
struct Replay<A> {
    first: Option<String>,
    rest: A,
}

impl<'de, A: MapAccess<'de>> MapAccess<'de> for Replay<A> {
    type Error = A::Error;
    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, A::Error> {
        match self.first.take() {
            Some(k) => seed
                .deserialize(de::value::StringDeserializer::<A::Error>::new(k))
                .map(Some),
            None => self.rest.next_key_seed(seed),
        }
    }
    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, A::Error> {
        self.rest.next_value_seed(seed)
    }
}

enum AttrsOrValue {
    Attrs(Attrs),
    Value(Value),
}

/// Reads `attrs`: an object is typed by the catalog type when it is known
/// (`Some`), or kept as a JSON object to type later (`None`); any other JSON
/// value is handed back as is.
struct AttrsSeed<'a>(Option<&'a CatalogType>);

impl<'de> DeserializeSeed<'de> for AttrsSeed<'_> {
    type Value = AttrsOrValue;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<AttrsOrValue, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for AttrsSeed<'_> {
    type Value = AttrsOrValue;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an attrs object")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<AttrsOrValue, A::Error> {
        use crate::attrs as a;
        // serde_json hands a number to `visit_map` as a one-member map
        // (its `arbitrary_precision` mode): read the first key to tell
        let first: Option<Key<'de>> = map.next_key_seed(KeySeed)?;
        if let Some(k) = &first
            && k.as_ref() == NUMBER_TOKEN
        {
            let text: String = map.next_value()?;
            return text
                .parse::<Number>()
                .map(|n| AttrsOrValue::Value(Value::Number(n)))
                .map_err(de::Error::custom);
        }
        let de = de::value::MapAccessDeserializer::new(Replay {
            first: first.map(Key::into_owned),
            rest: map,
        });
        let Some(t) = self.0 else {
            return Object::deserialize(de).map(|o| AttrsOrValue::Value(Value::Object(o)));
        };
        Ok(AttrsOrValue::Attrs(match t {
            CatalogType::Tree => Attrs::Tree(a::TreeAttrs::deserialize(de)?),
            CatalogType::Hedge => Attrs::Hedge(a::HedgeAttrs::deserialize(de)?),
            CatalogType::Fence => Attrs::Fence(a::FenceAttrs::deserialize(de)?),
            CatalogType::Pool => Attrs::Pool(a::PoolAttrs::deserialize(de)?),
            CatalogType::Vehicle => Attrs::Vehicle(a::VehicleAttrs::deserialize(de)?),
            CatalogType::Structure => Attrs::Structure(a::StructureAttrs::deserialize(de)?),
            CatalogType::Amenity => Attrs::Amenity(a::AmenityAttrs::deserialize(de)?),
            CatalogType::Driveway | CatalogType::Surface => {
                Attrs::Surface(a::SurfaceAttrs::deserialize(de)?)
            }
            CatalogType::Building => Attrs::Building(a::BuildingAttrs::deserialize(de)?),
            CatalogType::Parcel | CatalogType::Other(_) => Attrs::Other(Object::deserialize(de)?),
        }))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<AttrsOrValue, A::Error> {
        Value::deserialize(de::value::SeqAccessDeserializer::new(seq)).map(AttrsOrValue::Value)
    }
    fn visit_bool<E>(self, v: bool) -> Result<AttrsOrValue, E> {
        Ok(AttrsOrValue::Value(Value::Bool(v)))
    }
    fn visit_i64<E>(self, v: i64) -> Result<AttrsOrValue, E> {
        Ok(AttrsOrValue::Value(v.into()))
    }
    fn visit_u64<E>(self, v: u64) -> Result<AttrsOrValue, E> {
        Ok(AttrsOrValue::Value(v.into()))
    }
    fn visit_f64<E>(self, v: f64) -> Result<AttrsOrValue, E> {
        Ok(AttrsOrValue::Value(
            Number::from_f64(v).map_or(Value::Null, Value::Number),
        ))
    }
    fn visit_str<E>(self, v: &str) -> Result<AttrsOrValue, E> {
        Ok(AttrsOrValue::Value(Value::String(v.to_owned())))
    }
    fn visit_string<E>(self, v: String) -> Result<AttrsOrValue, E> {
        Ok(AttrsOrValue::Value(Value::String(v)))
    }
    fn visit_unit<E>(self) -> Result<AttrsOrValue, E> {
        Ok(AttrsOrValue::Value(Value::Null))
    }
    fn visit_none<E>(self) -> Result<AttrsOrValue, E> {
        Ok(AttrsOrValue::Value(Value::Null))
    }
}

fn set<T: FromJson>(slot: &mut Option<T>, key: Key<'_>, v: Value, extra: &mut Object) {
    match T::from_json(v) {
        Ok(t) => *slot = Some(t),
        Err(v) => {
            extra.insert(key.into_owned(), v);
        }
    }
}

impl<'de> Deserialize<'de> for Properties {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Properties;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a properties object")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Properties, A::Error> {
                let mut p = Properties::default();
                let mut attrs: Option<Object> = None;
                let x = &mut p.extra;
                while let Some(key) = map.next_key_seed(KeySeed)? {
                    if key.as_ref() == "attrs" {
                        // Typed straight from the input when the catalog type
                        // came first (the service's order); else buffered.
                        let t = p.catalog_type.as_ref().map(CatalogSlug::canonical);
                        match map.next_value_seed(AttrsSeed(t))? {
                            AttrsOrValue::Attrs(a) => p.attrs = Some(a),
                            AttrsOrValue::Value(Value::Object(o)) => attrs = Some(o),
                            AttrsOrValue::Value(other) => {
                                x.insert(key.into_owned(), other);
                            }
                        }
                        continue;
                    }
                    let v: Value = map.next_value()?;
                    match key.as_ref() {
                        "catalogType" => set(&mut p.catalog_type, key, v, x),
                        "confidence" => set(&mut p.confidence, key, v, x),
                        "source" => set(&mut p.source, key, v, x),
                        "areaSqm" => set(&mut p.area_sqm, key, v, x),
                        "sideId" => set(&mut p.side_id, key, v, x),
                        "roadId" => set(&mut p.road_id, key, v, x),
                        "kind" => set(&mut p.kind, key, v, x),
                        "headingDeg" => set(&mut p.heading_deg, key, v, x),
                        "parkedOn" => set(&mut p.parked_on, key, v, x),
                        _ => {
                            x.insert(key.into_owned(), v);
                        }
                    }
                }
                if let Some(o) = attrs {
                    p.attrs = Some(Attrs::from_object(p.catalog_type(), o));
                }
                Ok(p)
            }
        }
        d.deserialize_map(V)
    }
}

/// A GeoJSON feature.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Feature {
    /// `id` (string or number), as given.
    pub id: Option<Value>,
    /// `geometry`; `None` for `null` (or absent).
    pub geometry: Option<Geometry>,
    /// `properties`; `None` for `null` (or absent).
    pub properties: Option<Properties>,
    /// `bbox` and foreign members, as given.
    pub extra: Object,
    absent: u8,
}

const GEOMETRY_ABSENT: u8 = 1;
const PROPERTIES_ABSENT: u8 = 2;

impl Feature {
    /// A feature with a geometry and properties.
    pub fn new(geometry: Option<Geometry>, properties: Properties) -> Self {
        Self {
            geometry,
            properties: Some(properties),
            ..Self::default()
        }
    }

    /// The canonical catalog type, if the feature has one.
    pub fn catalog_type(&self) -> Option<&CatalogType> {
        self.properties.as_ref().and_then(Properties::catalog_type)
    }

    /// Typed attrs: `feature.attrs::<TreeAttrs>()`.
    pub fn attrs<T: CatalogAttrs>(&self) -> Option<&T> {
        self.properties
            .as_ref()?
            .attrs
            .as_ref()
            .and_then(T::from_attrs)
    }

    /// Detection confidence, 0–1.
    pub fn confidence(&self) -> Option<f64> {
        num_f64(self.properties.as_ref()?.confidence.as_ref())
    }

    /// Whether `geometry` was absent (not `null`) in the input.
    pub fn geometry_was_absent(&self) -> bool {
        self.absent & GEOMETRY_ABSENT != 0
    }
}

impl Serialize for Feature {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(None)?;
        map.serialize_entry("type", "Feature")?;
        if let Some(id) = &self.id {
            map.serialize_entry("id", id)?;
        }
        if self.geometry.is_some() || self.absent & GEOMETRY_ABSENT == 0 {
            map.serialize_entry("geometry", &self.geometry)?;
        }
        if self.properties.is_some() || self.absent & PROPERTIES_ABSENT == 0 {
            map.serialize_entry("properties", &self.properties)?;
        }
        for (k, v) in &self.extra {
            if !matches!(k.as_str(), "type" | "id" | "geometry" | "properties") {
                map.serialize_entry(k, v)?;
            }
        }
        map.end()
    }
}

/// A map key, borrowed from the input when it can be.
pub(crate) struct Key<'de>(Cow<'de, str>);

impl Key<'_> {
    pub(crate) fn into_owned(self) -> String {
        self.0.into_owned()
    }
}

impl AsRef<str> for Key<'_> {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl<'de> Deserialize<'de> for Key<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        KeySeed.deserialize(d)
    }
}

pub(crate) struct KeySeed;

impl<'de> DeserializeSeed<'de> for KeySeed {
    type Value = Key<'de>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Key<'de>, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Key<'de>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a string")
            }
            fn visit_borrowed_str<E>(self, v: &'de str) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Borrowed(v)))
            }
            fn visit_str<E>(self, v: &str) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Owned(v.to_owned())))
            }
            fn visit_string<E>(self, v: String) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Owned(v)))
            }
        }
        d.deserialize_str(V)
    }
}

/// Checks a `"type"` member against the expected GeoJSON type name (inside
/// the value's deserialization, so the error's path names the member).
pub(crate) fn expect_type<'de, A: MapAccess<'de>>(
    map: &mut A,
    want: &'static str,
) -> Result<(), A::Error> {
    struct TypeSeed(&'static str);
    impl<'de> DeserializeSeed<'de> for TypeSeed {
        type Value = ();
        fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
            let t = KeySeed.deserialize(d)?;
            if t.as_ref() == self.0 {
                Ok(())
            } else {
                Err(de::Error::custom(format!(
                    "expected \"type\": \"{}\", found {:?}",
                    self.0,
                    t.as_ref()
                )))
            }
        }
    }
    map.next_value_seed(TypeSeed(want))
}

impl<'de> Deserialize<'de> for Feature {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Feature;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a GeoJSON Feature object")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Feature, A::Error> {
                let mut f = Feature {
                    absent: GEOMETRY_ABSENT | PROPERTIES_ABSENT,
                    ..Feature::default()
                };
                let mut typed = false;
                while let Some(key) = map.next_key_seed(KeySeed)? {
                    match key.as_ref() {
                        "type" => {
                            expect_type(&mut map, "Feature")?;
                            typed = true;
                        }
                        "id" => f.id = Some(map.next_value()?),
                        "geometry" => {
                            f.geometry = map.next_value()?;
                            f.absent &= !GEOMETRY_ABSENT;
                        }
                        "properties" => {
                            f.properties = map.next_value()?;
                            f.absent &= !PROPERTIES_ABSENT;
                        }
                        _ => {
                            let v: Value = map.next_value()?;
                            f.extra.insert(key.into_owned(), v);
                        }
                    }
                }
                if !typed {
                    return Err(de::Error::missing_field("type"));
                }
                Ok(f)
            }
        }
        d.deserialize_map(V)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::attrs::{BuildingAttrs, TreeAttrs};
    use serde_json::json;

    fn rt(v: &Value) -> Feature {
        let f: Feature = serde_json::from_value(v.clone()).unwrap();
        assert_eq!(&serde_json::to_value(&f).unwrap(), v);
        f
    }

    #[test]
    fn detected_feature_is_typed_and_lossless() {
        let f = rt(&json!({"type": "Feature",
            "geometry": {"type": "Point", "coordinates": [-87.878, 41.748]},
            "properties": {"catalogType": "tree", "attrs": {"heightM": 8.4, "species": "deciduous",
                "canopyRadiusM": 2.8, "leafColour": "red"}, "confidence": 0.92, "source": "sam",
                "areaSqm": 24.5, "note": null}}));
        assert_eq!(f.catalog_type(), Some(&CatalogType::Tree));
        let t = f.attrs::<TreeAttrs>().unwrap();
        assert_eq!(t.height(), Some(8.4));
        assert_eq!(t.extra.get("leafColour"), Some(&json!("red")));
        assert!(f.attrs::<BuildingAttrs>().is_none());
        assert_eq!(f.confidence(), Some(0.92));
    }

    #[test]
    fn null_and_absent_members_stay_apart() {
        rt(&json!({"type": "Feature", "geometry": null, "properties": null}));
        let f = rt(&json!({"type": "Feature", "properties": {}}));
        assert!(f.geometry_was_absent());
        rt(&json!({"type": "Feature", "geometry": null}));
        rt(
            &json!({"type": "Feature", "id": 7, "geometry": null, "properties": {"attrs": null}, "bbox": [1, 2, 3, 4]}),
        );
    }

    #[test]
    fn mistyped_members_are_kept_and_reported() {
        let f = rt(&json!({"type": "Feature", "geometry": null,
            "properties": {"catalogType": "tree", "attrs": {"heightM": "tall"}, "confidence": "high"}}));
        let p = f.properties.as_ref().unwrap();
        assert_eq!(p.mistyped(), vec![("confidence", "a number")]);
        assert_eq!(
            p.attrs.as_ref().unwrap().mistyped(),
            vec![("heightM", "a number")]
        );
    }

    #[test]
    fn attrs_before_catalog_type_are_still_typed() {
        let f = rt(
            &json!({"properties": {"attrs": {"stories": 2}, "catalogType": "building"},
            "geometry": null, "type": "Feature"}),
        );
        assert_eq!(f.attrs::<BuildingAttrs>().unwrap().stories, Some(2.into()));
    }

    #[test]
    fn structural_errors_fail_the_parse() {
        for bad in [
            json!({"type": "Feature", "geometry": {"type": "Point", "coordinates": "x"}}),
            json!({"type": "Topology"}),
            json!({"geometry": null}),
            json!({"type": "Feature", "properties": 5}),
        ] {
            assert!(
                serde_json::from_value::<Feature>(bad.clone()).is_err(),
                "{bad}"
            );
        }
    }
}
