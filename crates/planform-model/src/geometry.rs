//! GeoJSON geometry that round-trips exactly and converts to `geo-types`.
//!
//! Coordinates are `f64` (what every algorithm needs) but each position also
//! remembers which of its numbers were written as integers, so `[-87, 41]`
//! stays `[-87, 41]` and `[-87.0, 41.0]` stays `[-87.0, 41.0]` on output.
//! Members other than `type` and `coordinates`/`geometries` (`bbox`, foreign
//! members) are kept in `extra`.

use std::fmt;

use serde::de::{self, MapAccess, SeqAccess, Visitor};
use serde::ser::{SerializeMap, SerializeSeq};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::{Number, Value};

use crate::json::Object;

/// One GeoJSON position: x (longitude or easting), y (latitude or northing),
/// an optional z, and any further numbers kept verbatim.
#[derive(Debug, Clone, PartialEq)]
pub struct Position {
    xyz: [f64; 3],
    len: u8,
    ints: u8,
    // Boxed so that a position stays 40 bytes: extra dimensions are rare.
    #[allow(clippy::box_collection)]
    more: Option<Box<Vec<Number>>>,
}

impl Position {
    /// A 2-D position.
    pub fn new(x: f64, y: f64) -> Self {
        Self {
            xyz: [x, y, 0.0],
            len: 2,
            ints: 0,
            more: None,
        }
    }

    /// A 3-D position.
    pub fn new_3d(x: f64, y: f64, z: f64) -> Self {
        Self {
            xyz: [x, y, z],
            len: 3,
            ints: 0,
            more: None,
        }
    }

    /// x: longitude (WGS84) or easting.
    pub fn x(&self) -> f64 {
        self.xyz[0]
    }

    /// y: latitude (WGS84) or northing.
    pub fn y(&self) -> f64 {
        self.xyz[1]
    }

    /// z (elevation), when the position has one.
    pub fn z(&self) -> Option<f64> {
        (self.len >= 3).then_some(self.xyz[2])
    }

    /// Number of values in the position as written (2 or more).
    pub fn dimensions(&self) -> usize {
        usize::from(self.len) + self.more.as_ref().map_or(0, |m| m.len())
    }

    /// Whether x, y (and z) are finite.
    pub fn is_finite(&self) -> bool {
        self.xyz[..usize::from(self.len)]
            .iter()
            .all(|v| v.is_finite())
    }

    /// Sets x and y (the integer spelling of both is forgotten).
    pub fn set_xy(&mut self, x: f64, y: f64) {
        self.xyz[0] = x;
        self.xyz[1] = y;
        self.ints &= !0b11;
    }

    /// The position as a `geo-types` coordinate (x, y).
    pub fn coord(&self) -> geo_types::Coord<f64> {
        geo_types::Coord {
            x: self.xyz[0],
            y: self.xyz[1],
        }
    }
}

impl From<geo_types::Coord<f64>> for Position {
    fn from(c: geo_types::Coord<f64>) -> Self {
        Self::new(c.x, c.y)
    }
}

impl Serialize for Position {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut seq = s.serialize_seq(Some(self.dimensions()))?;
        for i in 0..usize::from(self.len) {
            let v = self.xyz[i];
            if !v.is_finite() {
                return Err(serde::ser::Error::custom(format!(
                    "non-finite coordinate {v}"
                )));
            }
            if self.ints & (1 << i) != 0 && v.fract() == 0.0 && v.abs() < 9.0e15 {
                seq.serialize_element(&(v as i64))?;
            } else {
                seq.serialize_element(&v)?;
            }
        }
        if let Some(more) = &self.more {
            for n in more.iter() {
                seq.serialize_element(n)?;
            }
        }
        seq.end()
    }
}

/// One coordinate number with its spelling (integer or not).
enum Num {
    Int(f64, Number),
    /// The value, and the number as written when it was kept as text.
    Float(f64, Option<Number>),
}

impl Num {
    /// A number `serde_json` kept as text (feature `exact-numbers`: its
    /// `arbitrary_precision` mode hands numbers to `visit_map`): an integer
    /// when it fits 64 bits, else its value as a double with its digits
    /// kept; an error beyond the doubles (`1e999`), as the parser gives
    /// without that mode.
    fn from_map<'de, A: MapAccess<'de>>(map: A) -> Result<Self, A::Error> {
        let n = Number::deserialize(de::value::MapAccessDeserializer::new(map))?;
        let v = n
            .as_f64()
            .filter(|v| v.is_finite())
            .ok_or_else(|| de::Error::custom("number out of range"))?;
        Ok(if n.is_i64() || n.is_u64() {
            Self::Int(v, n)
        } else {
            Self::Float(v, Some(n))
        })
    }
}

impl<'de> Deserialize<'de> for Num {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Num;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a JSON number")
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Num, A::Error> {
                Num::from_map(map)
            }
            fn visit_f64<E>(self, v: f64) -> Result<Num, E> {
                Ok(Num::Float(v, None))
            }
            fn visit_i64<E>(self, v: i64) -> Result<Num, E> {
                Ok(Num::Int(v as f64, v.into()))
            }
            fn visit_u64<E>(self, v: u64) -> Result<Num, E> {
                Ok(Num::Int(v as f64, v.into()))
            }
        }
        // with `exact-numbers`, serde_json hands numbers over as text
        // through `deserialize_any` (`visit_map`), the only way a buffered
        // `Value` still tells `2` from `2.0`; without it `deserialize_f64`
        // visits integers as integers on its fast path
        if cfg!(feature = "exact-numbers") {
            d.deserialize_any(V)
        } else {
            d.deserialize_f64(V)
        }
    }
}

impl Position {
    fn empty() -> Self {
        Self {
            xyz: [0.0; 3],
            len: 0,
            ints: 0,
            more: None,
        }
    }

    fn push<E: de::Error>(&mut self, n: Num) -> Result<(), E> {
        if self.len < 3 {
            let i = usize::from(self.len);
            self.xyz[i] = match n {
                Num::Int(v, _) => {
                    self.ints |= 1 << i;
                    v
                }
                Num::Float(v, _) => v,
            };
            self.len += 1;
        } else {
            let n = match n {
                Num::Int(_, n) | Num::Float(_, Some(n)) => n,
                Num::Float(v, None) => {
                    Number::from_f64(v).ok_or_else(|| E::custom("non-finite number"))?
                }
            };
            self.more.get_or_insert_with(Box::default).push(n);
        }
        Ok(())
    }

    /// Reads the remaining numbers of a position whose first is `first`.
    fn read_rest<'de, A: SeqAccess<'de>>(mut self, seq: &mut A) -> Result<Self, A::Error> {
        while let Some(n) = seq.next_element::<Num>()? {
            self.push(n)?;
        }
        if self.len < 2 {
            return Err(de::Error::invalid_length(
                usize::from(self.len),
                &"a position of at least two numbers",
            ));
        }
        Ok(self)
    }
}

impl<'de> Deserialize<'de> for Position {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Position;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a position: an array of at least two numbers")
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Position, A::Error> {
                Position::empty().read_rest(&mut seq)
            }
        }
        d.deserialize_seq(V)
    }
}

/// The seven GeoJSON geometry types with their coordinates.
#[derive(Debug, Clone, PartialEq)]
pub enum GeometryValue {
    /// `Point`
    Point(Position),
    /// `MultiPoint`
    MultiPoint(Vec<Position>),
    /// `LineString`
    LineString(Vec<Position>),
    /// `MultiLineString`
    MultiLineString(Vec<Vec<Position>>),
    /// `Polygon`: exterior ring first, then holes.
    Polygon(Vec<Vec<Position>>),
    /// `MultiPolygon`
    MultiPolygon(Vec<Vec<Vec<Position>>>),
    /// `GeometryCollection`
    GeometryCollection(Vec<Geometry>),
}

/// The GeoJSON geometry type names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum GeometryType {
    /// `Point`
    Point,
    /// `MultiPoint`
    MultiPoint,
    /// `LineString`
    LineString,
    /// `MultiLineString`
    MultiLineString,
    /// `Polygon`
    Polygon,
    /// `MultiPolygon`
    MultiPolygon,
    /// `GeometryCollection`
    GeometryCollection,
}

impl GeometryType {
    /// The wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Point => "Point",
            Self::MultiPoint => "MultiPoint",
            Self::LineString => "LineString",
            Self::MultiLineString => "MultiLineString",
            Self::Polygon => "Polygon",
            Self::MultiPolygon => "MultiPolygon",
            Self::GeometryCollection => "GeometryCollection",
        }
    }

    fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "Point" => Self::Point,
            "MultiPoint" => Self::MultiPoint,
            "LineString" => Self::LineString,
            "MultiLineString" => Self::MultiLineString,
            "Polygon" => Self::Polygon,
            "MultiPolygon" => Self::MultiPolygon,
            "GeometryCollection" => Self::GeometryCollection,
            _ => return None,
        })
    }
}

impl fmt::Display for GeometryType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A GeoJSON geometry object: its value plus any other members (`bbox`,
/// foreign members), kept verbatim.
#[derive(Debug, Clone, PartialEq)]
pub struct Geometry {
    /// Type and coordinates.
    pub value: GeometryValue,
    /// `bbox` and foreign members, written back as given.
    pub extra: Object,
}

impl Geometry {
    /// A geometry with no extra members.
    pub fn new(value: GeometryValue) -> Self {
        Self {
            value,
            extra: Object::new(),
        }
    }

    /// The geometry's type.
    pub fn geometry_type(&self) -> GeometryType {
        match &self.value {
            GeometryValue::Point(_) => GeometryType::Point,
            GeometryValue::MultiPoint(_) => GeometryType::MultiPoint,
            GeometryValue::LineString(_) => GeometryType::LineString,
            GeometryValue::MultiLineString(_) => GeometryType::MultiLineString,
            GeometryValue::Polygon(_) => GeometryType::Polygon,
            GeometryValue::MultiPolygon(_) => GeometryType::MultiPolygon,
            GeometryValue::GeometryCollection(_) => GeometryType::GeometryCollection,
        }
    }

    /// Calls `f` on every position, in document order.
    pub fn for_each_position(&self, f: &mut impl FnMut(&Position)) {
        match &self.value {
            GeometryValue::Point(p) => f(p),
            GeometryValue::MultiPoint(ps) | GeometryValue::LineString(ps) => ps.iter().for_each(f),
            GeometryValue::MultiLineString(ls) | GeometryValue::Polygon(ls) => {
                ls.iter().flatten().for_each(f);
            }
            GeometryValue::MultiPolygon(ps) => ps.iter().flatten().flatten().for_each(f),
            GeometryValue::GeometryCollection(gs) => gs.iter().for_each(|g| g.for_each_position(f)),
        }
    }

    /// Applies `f` to every position (for reprojection).
    pub fn map_positions(&mut self, f: &mut impl FnMut(&mut Position)) {
        match &mut self.value {
            GeometryValue::Point(p) => f(p),
            GeometryValue::MultiPoint(ps) | GeometryValue::LineString(ps) => {
                ps.iter_mut().for_each(f);
            }
            GeometryValue::MultiLineString(ls) | GeometryValue::Polygon(ls) => {
                ls.iter_mut().flatten().for_each(f);
            }
            GeometryValue::MultiPolygon(ps) => ps.iter_mut().flatten().flatten().for_each(f),
            GeometryValue::GeometryCollection(gs) => {
                for g in gs.iter_mut() {
                    g.map_positions(f);
                }
            }
        }
    }

    /// The geometry as `geo-types` (x and y; z and extra members dropped).
    pub fn to_geo(&self) -> geo_types::Geometry<f64> {
        use geo_types as g;
        fn line(ps: &[Position]) -> g::LineString<f64> {
            g::LineString(ps.iter().map(Position::coord).collect())
        }
        fn poly(rings: &[Vec<Position>]) -> g::Polygon<f64> {
            let mut it = rings.iter();
            let exterior = it.next().map_or_else(|| g::LineString(vec![]), |r| line(r));
            g::Polygon::new(exterior, it.map(|r| line(r)).collect())
        }
        match &self.value {
            GeometryValue::Point(p) => g::Geometry::Point(g::Point(p.coord())),
            GeometryValue::MultiPoint(ps) => {
                g::Geometry::MultiPoint(ps.iter().map(|p| g::Point(p.coord())).collect())
            }
            GeometryValue::LineString(ps) => g::Geometry::LineString(line(ps)),
            GeometryValue::MultiLineString(ls) => g::Geometry::MultiLineString(g::MultiLineString(
                ls.iter().map(|l| line(l)).collect(),
            )),
            GeometryValue::Polygon(rings) => g::Geometry::Polygon(poly(rings)),
            GeometryValue::MultiPolygon(ps) => {
                g::Geometry::MultiPolygon(g::MultiPolygon(ps.iter().map(|p| poly(p)).collect()))
            }
            GeometryValue::GeometryCollection(gs) => g::Geometry::GeometryCollection(
                g::GeometryCollection(gs.iter().map(Geometry::to_geo).collect()),
            ),
        }
    }
}

impl From<&geo_types::Geometry<f64>> for Geometry {
    fn from(geom: &geo_types::Geometry<f64>) -> Self {
        use geo_types as g;
        fn line(l: &g::LineString<f64>) -> Vec<Position> {
            l.0.iter().copied().map(Position::from).collect()
        }
        fn poly(p: &g::Polygon<f64>) -> Vec<Vec<Position>> {
            std::iter::once(p.exterior())
                .chain(p.interiors())
                .map(line)
                .collect()
        }
        let value = match geom {
            g::Geometry::Point(p) => GeometryValue::Point(p.0.into()),
            g::Geometry::Line(l) => GeometryValue::LineString(vec![l.start.into(), l.end.into()]),
            g::Geometry::LineString(l) => GeometryValue::LineString(line(l)),
            g::Geometry::Polygon(p) => GeometryValue::Polygon(poly(p)),
            g::Geometry::MultiPoint(m) => {
                GeometryValue::MultiPoint(m.0.iter().map(|p| p.0.into()).collect())
            }
            g::Geometry::MultiLineString(m) => {
                GeometryValue::MultiLineString(m.0.iter().map(line).collect())
            }
            g::Geometry::MultiPolygon(m) => {
                GeometryValue::MultiPolygon(m.0.iter().map(poly).collect())
            }
            g::Geometry::GeometryCollection(c) => {
                GeometryValue::GeometryCollection(c.0.iter().map(Geometry::from).collect())
            }
            g::Geometry::Rect(r) => GeometryValue::Polygon(poly(&r.to_polygon())),
            g::Geometry::Triangle(t) => GeometryValue::Polygon(poly(&t.to_polygon())),
        };
        Self::new(value)
    }
}

impl From<geo_types::Geometry<f64>> for Geometry {
    fn from(geom: geo_types::Geometry<f64>) -> Self {
        Self::from(&geom)
    }
}

/// Conversion to the `geojson` crate's geometry (foreign members kept).
impl TryFrom<&Geometry> for geojson::Geometry {
    type Error = crate::ModelError;
    fn try_from(g: &Geometry) -> Result<Self, Self::Error> {
        let write = |e: serde_json::Error| crate::ModelError::Write {
            message: e.to_string(),
        };
        serde_json::from_value(serde_json::to_value(g).map_err(write)?).map_err(write)
    }
}

/// Conversion from the `geojson` crate's geometry.
impl TryFrom<&geojson::Geometry> for Geometry {
    type Error = crate::ModelError;
    fn try_from(g: &geojson::Geometry) -> Result<Self, Self::Error> {
        let err = |e: serde_json::Error| crate::ModelError::Geometry {
            reason: e.to_string(),
        };
        serde_json::from_value(serde_json::to_value(g).map_err(err)?).map_err(err)
    }
}

impl Serialize for Geometry {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(Some(2 + self.extra.len()))?;
        map.serialize_entry("type", self.geometry_type().as_str())?;
        match &self.value {
            GeometryValue::Point(p) => map.serialize_entry("coordinates", p)?,
            GeometryValue::MultiPoint(c) | GeometryValue::LineString(c) => {
                map.serialize_entry("coordinates", c)?;
            }
            GeometryValue::MultiLineString(c) | GeometryValue::Polygon(c) => {
                map.serialize_entry("coordinates", c)?;
            }
            GeometryValue::MultiPolygon(c) => map.serialize_entry("coordinates", c)?,
            GeometryValue::GeometryCollection(g) => map.serialize_entry("geometries", g)?,
        }
        for (k, v) in &self.extra {
            if k != "type" && k != "coordinates" && k != "geometries" {
                map.serialize_entry(k, v)?;
            }
        }
        map.end()
    }
}

/// Coordinates read before the `type` member: typed by their nesting depth,
/// straight from the input (no intermediate tree).
enum AnyCoords {
    Empty,
    P(Position),
    L1(Vec<Position>),
    L2(Vec<Vec<Position>>),
    L3(Vec<Vec<Vec<Position>>>),
}

/// One element of a coordinate array: a number or a nested array.
enum Elem {
    Num(Num),
    Arr(AnyCoords),
}

impl<'de> Deserialize<'de> for Elem {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Elem;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a number or an array of coordinates")
            }
            fn visit_f64<E>(self, v: f64) -> Result<Elem, E> {
                Ok(Elem::Num(Num::Float(v, None)))
            }
            fn visit_i64<E>(self, v: i64) -> Result<Elem, E> {
                Ok(Elem::Num(Num::Int(v as f64, v.into())))
            }
            fn visit_u64<E>(self, v: u64) -> Result<Elem, E> {
                Ok(Elem::Num(Num::Int(v as f64, v.into())))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Elem, A::Error> {
                AnyCoordsVisitor.visit_seq(seq).map(Elem::Arr)
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Elem, A::Error> {
                Num::from_map(map).map(Elem::Num)
            }
        }
        d.deserialize_any(V)
    }
}

struct AnyCoordsVisitor;

fn rest<'de, T: Deserialize<'de>, A: SeqAccess<'de>>(
    first: T,
    seq: &mut A,
) -> Result<Vec<T>, A::Error> {
    let mut v = Vec::with_capacity(seq.size_hint().unwrap_or(4).max(1));
    v.push(first);
    while let Some(x) = seq.next_element()? {
        v.push(x);
    }
    Ok(v)
}

impl<'de> Visitor<'de> for AnyCoordsVisitor {
    type Value = AnyCoords;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("coordinates: nested arrays of numbers")
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<AnyCoords, A::Error> {
        Ok(match seq.next_element::<Elem>()? {
            None => AnyCoords::Empty,
            Some(Elem::Num(n)) => {
                let mut p = Position::empty();
                p.push(n)?;
                AnyCoords::P(p.read_rest(&mut seq)?)
            }
            Some(Elem::Arr(AnyCoords::P(p))) => AnyCoords::L1(rest(p, &mut seq)?),
            Some(Elem::Arr(AnyCoords::L1(l))) => AnyCoords::L2(rest(l, &mut seq)?),
            Some(Elem::Arr(AnyCoords::Empty)) => AnyCoords::L2(rest(Vec::new(), &mut seq)?),
            Some(Elem::Arr(AnyCoords::L2(l))) => AnyCoords::L3(rest(l, &mut seq)?),
            Some(Elem::Arr(AnyCoords::L3(_))) => {
                return Err(de::Error::custom(
                    "coordinates nested deeper than any geometry type",
                ));
            }
        })
    }
}

impl<'de> Deserialize<'de> for AnyCoords {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_seq(AnyCoordsVisitor)
    }
}

impl AnyCoords {
    fn empty_l1(self) -> Self {
        match self {
            Self::L1(v) if v.is_empty() => Self::Empty,
            other => other,
        }
    }
}

fn typed_coords(t: GeometryType, c: AnyCoords) -> Result<GeometryValue, String> {
    use AnyCoords as C;
    use GeometryValue as G;
    Ok(match (t, c.empty_l1()) {
        (GeometryType::Point, C::P(p)) => G::Point(p),
        (GeometryType::MultiPoint, C::L1(v)) => G::MultiPoint(v),
        (GeometryType::MultiPoint, C::Empty) => G::MultiPoint(vec![]),
        (GeometryType::LineString, C::L1(v)) => G::LineString(v),
        (GeometryType::LineString, C::Empty) => G::LineString(vec![]),
        (GeometryType::MultiLineString, C::L2(v)) => G::MultiLineString(v),
        (GeometryType::MultiLineString, C::Empty) => G::MultiLineString(vec![]),
        (GeometryType::Polygon, C::L2(v)) => G::Polygon(v),
        (GeometryType::Polygon, C::Empty) => G::Polygon(vec![]),
        (GeometryType::MultiPolygon, C::L3(v)) => G::MultiPolygon(v),
        (GeometryType::MultiPolygon, C::Empty) => G::MultiPolygon(vec![]),
        (t, _) => return Err(format!("coordinates do not fit a {t}")),
    })
}

/// Reads a geometry `type`, failing inside the value so the error path names it.
struct TypeSeed;

impl<'de> de::DeserializeSeed<'de> for TypeSeed {
    type Value = GeometryType;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<GeometryType, D::Error> {
        let s = crate::feature::KeySeed.deserialize(d)?;
        GeometryType::parse(s.as_ref())
            .ok_or_else(|| de::Error::custom(format!("unknown geometry type {:?}", s.as_ref())))
    }
}

impl<'de> Deserialize<'de> for Geometry {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_map(GeometryVisitor)
    }
}

struct GeometryVisitor;

impl<'de> Visitor<'de> for GeometryVisitor {
    type Value = Geometry;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a GeoJSON geometry object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Geometry, A::Error> {
        let mut gtype: Option<GeometryType> = None;
        let mut value: Option<GeometryValue> = None;
        let mut early: Option<AnyCoords> = None;
        let mut extra = Object::new();
        while let Some(key) = map.next_key_seed(crate::feature::KeySeed)? {
            match key.as_ref() {
                "type" => gtype = Some(map.next_value_seed(TypeSeed)?),
                "coordinates" => match gtype {
                    Some(GeometryType::Point) => {
                        value = Some(GeometryValue::Point(map.next_value()?));
                    }
                    Some(GeometryType::MultiPoint) => {
                        value = Some(GeometryValue::MultiPoint(map.next_value()?));
                    }
                    Some(GeometryType::LineString) => {
                        value = Some(GeometryValue::LineString(map.next_value()?));
                    }
                    Some(GeometryType::MultiLineString) => {
                        value = Some(GeometryValue::MultiLineString(map.next_value()?));
                    }
                    Some(GeometryType::Polygon) => {
                        value = Some(GeometryValue::Polygon(map.next_value()?));
                    }
                    Some(GeometryType::MultiPolygon) => {
                        value = Some(GeometryValue::MultiPolygon(map.next_value()?));
                    }
                    Some(GeometryType::GeometryCollection) | None => {
                        early = Some(map.next_value()?);
                    }
                },
                "geometries" => {
                    value = Some(GeometryValue::GeometryCollection(map.next_value()?));
                }
                _ => {
                    let v: Value = map.next_value()?;
                    extra.insert(key.into_owned(), v);
                }
            }
        }
        let gtype = gtype.ok_or_else(|| de::Error::missing_field("type"))?;
        let value = match (gtype, value, early) {
            (
                GeometryType::GeometryCollection,
                Some(v @ GeometryValue::GeometryCollection(_)),
                _,
            ) => v,
            (GeometryType::GeometryCollection, _, _) => {
                return Err(de::Error::missing_field("geometries"));
            }
            (t, Some(GeometryValue::GeometryCollection(_)), _) => {
                return Err(de::Error::custom(format!(
                    "{t} has `geometries`; only GeometryCollection may"
                )));
            }
            (_, Some(v), _) => v,
            (t, None, Some(c)) => typed_coords(t, c).map_err(de::Error::custom)?,
            (_, None, None) => return Err(de::Error::missing_field("coordinates")),
        };
        Ok(Geometry { value, extra })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn rt(v: &Value) -> Value {
        let g: Geometry = serde_json::from_value(v.clone()).unwrap();
        serde_json::to_value(&g).unwrap()
    }

    #[test]
    fn integer_and_float_spellings_survive() {
        let v = json!({"type": "Point", "coordinates": [-87, 41.0, 3]});
        assert_eq!(rt(&v), v);
        let s = serde_json::to_string(&serde_json::from_value::<Geometry>(v).unwrap()).unwrap();
        assert_eq!(s, r#"{"type":"Point","coordinates":[-87,41.0,3]}"#);
    }

    #[test]
    fn extra_dimensions_bbox_and_foreign_members_survive() {
        let v = json!({"bbox": [0, 0, 1, 1], "coordinates": [[0, 0, 1, 2, 3], [1.5, 1]],
                       "type": "LineString", "foo": {"bar": null}});
        assert_eq!(rt(&v), v);
    }

    #[test]
    fn coordinates_before_type_are_typed_afterwards() {
        let v = json!({"coordinates": [[[0, 0], [1, 0], [1, 1], [0, 0]]], "type": "Polygon"});
        let g: Geometry = serde_json::from_value(v.clone()).unwrap();
        assert_eq!(g.geometry_type(), GeometryType::Polygon);
        assert_eq!(serde_json::to_value(&g).unwrap(), v);
        let bad = json!({"coordinates": [0, 0], "type": "Polygon"});
        assert!(serde_json::from_value::<Geometry>(bad).is_err());
    }

    #[test]
    fn every_type_parses_with_coordinates_first() {
        for v in [
            json!({"coordinates": [1, 2.5], "type": "Point"}),
            json!({"coordinates": [[1, 2], [3, 4]], "type": "MultiPoint"}),
            json!({"coordinates": [[1, 2], [3, 4]], "type": "LineString"}),
            json!({"coordinates": [[[1, 2], [3, 4]], [[5, 6], [7, 8]]], "type": "MultiLineString"}),
            json!({"coordinates": [[[[0, 0], [1, 0], [0, 1], [0, 0]]], []], "type": "MultiPolygon"}),
            json!({"coordinates": [], "type": "Polygon"}),
            json!({"coordinates": [[]], "type": "Polygon"}),
            json!({"coordinates": [], "type": "LineString"}),
        ] {
            let g: Geometry =
                serde_json::from_value(v.clone()).unwrap_or_else(|e| panic!("{v}: {e}"));
            assert_eq!(serde_json::to_value(&g).unwrap(), v);
        }
        for bad in [
            json!({"coordinates": [[1, 2]], "type": "Point"}),
            json!({"coordinates": [[[1, 2]]], "type": "LineString"}),
            json!({"coordinates": [[[[[1, 2]]]]], "type": "MultiPolygon"}),
            json!({"coordinates": [[1, 2], 3], "type": "LineString"}),
        ] {
            assert!(
                serde_json::from_value::<Geometry>(bad.clone()).is_err(),
                "{bad}"
            );
        }
    }

    #[test]
    fn malformed_geometries_are_errors() {
        for bad in [
            json!({"type": "Point", "coordinates": [1]}),
            json!({"type": "Point", "coordinates": ["1", 2]}),
            json!({"type": "Circle", "coordinates": [1, 2]}),
            json!({"type": "Polygon"}),
            json!({"coordinates": [1, 2]}),
            json!({"type": "GeometryCollection"}),
        ] {
            assert!(
                serde_json::from_value::<Geometry>(bad.clone()).is_err(),
                "{bad}"
            );
        }
    }

    #[test]
    fn collections_nest() {
        let v = json!({"type": "GeometryCollection", "geometries": [
            {"type": "Point", "coordinates": [1, 2]},
            {"type": "MultiPolygon", "coordinates": [[[[0, 0], [1, 0], [0, 1], [0, 0]]]]}]});
        assert_eq!(rt(&v), v);
    }

    #[test]
    fn non_finite_coordinates_refuse_to_serialize() {
        let g = Geometry::new(GeometryValue::Point(Position::new(f64::NAN, 1.0)));
        assert!(serde_json::to_string(&g).is_err());
    }

    #[test]
    fn geojson_crate_round_trip() {
        let v = json!({"type": "MultiLineString", "coordinates": [[[1.5, 2.0], [3.25, 4.0]]]});
        let g: Geometry = serde_json::from_value(v.clone()).unwrap();
        let gj = geojson::Geometry::try_from(&g).unwrap();
        assert_eq!(serde_json::to_value(&gj).unwrap(), v);
        assert_eq!(Geometry::try_from(&gj).unwrap(), g);
    }

    #[test]
    fn geo_types_round_trip() {
        let v = json!({"type": "Polygon", "coordinates": [[[0.5, 0.5], [2.5, 0.5], [2.5, 2.5], [0.5, 0.5]],
                                                         [[1.0, 1.0], [1.5, 1.0], [1.0, 1.5], [1.0, 1.0]]]});
        let g: Geometry = serde_json::from_value(v.clone()).unwrap();
        let geo = g.to_geo();
        let back = Geometry::from(&geo);
        assert_eq!(serde_json::to_value(&back).unwrap(), v);
    }
}
