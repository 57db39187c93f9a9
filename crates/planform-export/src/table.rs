//! A drawing layer as a table: its geometry column type, typed attribute
//! columns and little-endian ISO WKB geometries (shared by the GeoPackage
//! and OGR writers).

use std::collections::HashMap;

use geo_types::{Coord, LineString, Polygon};

use crate::drawing::{Layer, Shape, Value};

/// The longest table or column name written, in bytes (`PostgreSQL`'s limit,
/// so tables also load into `PostGIS` unchanged).
pub(crate) const MAX_NAME: usize = 63;

/// `s` (cut to [`MAX_NAME`] bytes, control characters as `_`), or `s_2`,
/// `s_3`… when a case-insensitive equal is taken.
pub(crate) fn unique(s: &str, taken: &mut Vec<String>) -> String {
    // long names are cut (a 10 MiB layer name, repeated through the R*Tree
    // triggers' SQL, took SQLite 13 s and 1.2 GB to parse)
    let mut end = s.len().min(MAX_NAME);
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    // control characters (a NUL ends SQLite's statement text) as `_`
    let s: String = s[..end]
        .chars()
        .map(|c| if c.is_control() { '_' } else { c })
        .collect();
    let s = s.as_str();
    let mut out = s.to_owned();
    let mut n = 1;
    while taken.iter().any(|t| t.eq_ignore_ascii_case(&out)) {
        n += 1;
        out = format!("{s}_{n}");
    }
    taken.push(out.clone());
    out
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    Point,
    Line,
    Area,
}

impl Kind {
    pub(crate) fn of(s: &Shape) -> Option<(Kind, bool)> {
        match s {
            Shape::Point(_) => Some((Kind::Point, false)),
            Shape::Polyline(_) => Some((Kind::Line, false)),
            Shape::Area(_) => Some((Kind::Area, false)),
            Shape::Multi(parts) => {
                let mut kinds = parts.iter().map(Kind::of);
                let (first, _) = kinds.next()??;
                kinds
                    .all(|k| k == Some((first, false)))
                    .then_some((first, true))
            }
        }
    }
}

/// The column geometry type of a layer, and whether singles are promoted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ColumnType {
    Single(Kind),
    Multi(Kind),
    Geometry,
}

impl ColumnType {
    pub(crate) fn of(layer: &Layer) -> Self {
        let mut kind = None;
        let mut multi = false;
        for e in &layer.entities {
            match (Kind::of(&e.shape), kind) {
                (Some((k, m)), None) => {
                    kind = Some(k);
                    multi |= m;
                }
                (Some((k, m)), Some(prev)) if k == prev => multi |= m,
                _ => return Self::Geometry,
            }
        }
        match (kind, multi) {
            (Some(k), false) => Self::Single(k),
            (Some(k), true) => Self::Multi(k),
            (None, _) => Self::Geometry,
        }
    }

    pub(crate) fn name(self) -> &'static str {
        match self {
            Self::Single(Kind::Point) => "POINT",
            Self::Single(Kind::Line) => "LINESTRING",
            Self::Single(Kind::Area) => "POLYGON",
            Self::Multi(Kind::Point) => "MULTIPOINT",
            Self::Multi(Kind::Line) => "MULTILINESTRING",
            Self::Multi(Kind::Area) => "MULTIPOLYGON",
            Self::Geometry => "GEOMETRY",
        }
    }
}

/// Little-endian ISO WKB.
pub(crate) struct Wkb(pub(crate) Vec<u8>);

impl Wkb {
    fn head(&mut self, t: u32) {
        self.0.push(1);
        self.0.extend_from_slice(&t.to_le_bytes());
    }

    fn count(&mut self, n: usize) {
        self.0.extend_from_slice(&(n as u32).to_le_bytes());
    }

    fn xy(&mut self, c: Coord<f64>) {
        self.0.extend_from_slice(&c.x.to_le_bytes());
        self.0.extend_from_slice(&c.y.to_le_bytes());
    }

    fn points(&mut self, l: &LineString<f64>, close: bool) {
        let v = &l.0;
        let add = close && !v.is_empty() && v.first() != v.last();
        self.count(v.len() + usize::from(add));
        for c in v {
            self.xy(*c);
        }
        if add {
            self.xy(v[0]);
        }
    }

    fn polygon_body(&mut self, p: &Polygon<f64>) {
        self.count(1 + p.interiors().len());
        self.points(p.exterior(), true);
        for r in p.interiors() {
            self.points(r, true);
        }
    }

    pub(crate) fn shape(&mut self, s: &Shape) {
        match s {
            Shape::Point(c) => {
                self.head(1);
                self.xy(*c);
            }
            Shape::Polyline(l) => {
                self.head(2);
                self.points(l, false);
            }
            Shape::Area(p) => {
                self.head(3);
                self.polygon_body(p);
            }
            Shape::Multi(parts) => {
                let t = match Kind::of(s) {
                    Some((Kind::Point, _)) => 4,
                    Some((Kind::Line, _)) => 5,
                    Some((Kind::Area, _)) => 6,
                    None => 7,
                };
                self.head(t);
                self.count(parts.len());
                for p in parts {
                    self.shape(p);
                }
            }
        }
    }
}

/// The shape as the column wants it: singles promoted to one-part multis.
pub(crate) fn column_shape(s: &Shape, column: ColumnType) -> std::borrow::Cow<'_, Shape> {
    match (column, s) {
        (ColumnType::Multi(_), Shape::Point(_) | Shape::Polyline(_) | Shape::Area(_)) => {
            std::borrow::Cow::Owned(Shape::Multi(vec![s.clone()]))
        }
        _ => std::borrow::Cow::Borrowed(s),
    }
}

/// `[min x, max x, min y, max y]`.
pub(crate) fn envelope(s: &Shape) -> [f64; 4] {
    s.coords().fold(
        [
            f64::INFINITY,
            f64::NEG_INFINITY,
            f64::INFINITY,
            f64::NEG_INFINITY,
        ],
        |e, c| [e[0].min(c.x), e[1].max(c.x), e[2].min(c.y), e[3].max(c.y)],
    )
}

pub(crate) use crate::drawing::FieldType as ColType;

impl ColType {
    pub(crate) fn of(v: &Value) -> Self {
        match v {
            Value::Int(_) => Self::Integer,
            Value::Real(_) => Self::Real,
            Value::Text(_) => Self::Text,
            Value::Bool(_) => Self::Boolean,
        }
    }

    pub(crate) fn merge(self, other: Self) -> Self {
        use ColType::{Integer, Real, Text};
        match (self, other) {
            (a, b) if a == b => a,
            (Integer | Real, Integer | Real) => Real,
            _ => Text,
        }
    }

    pub(crate) fn sql(self) -> &'static str {
        match self {
            Self::Integer => "INTEGER",
            Self::Real => "REAL",
            Self::Text => "TEXT",
            Self::Boolean => "BOOLEAN",
        }
    }
}

/// A layer's columns: (attribute name, column name, type): its declared
/// fields with their types, then the other attributes in first-seen order
/// with types inferred from their values.
pub(crate) fn columns(layer: &Layer) -> Vec<(String, String, ColType)> {
    let mut cols: Vec<(String, String, ColType)> = Vec::new();
    let mut index: HashMap<&str, usize> = HashMap::new();
    let mut taken = vec!["fid".to_owned(), "geom".to_owned()];
    for (k, t) in &layer.fields {
        if !index.contains_key(k.as_str()) {
            let name = unique(k, &mut taken);
            index.insert(k, cols.len());
            cols.push((k.clone(), name, *t));
        }
    }
    let fixed = cols.len();
    for e in &layer.entities {
        for (k, v) in &e.attributes {
            let t = ColType::of(v);
            if let Some(&i) = index.get(k.as_str()) {
                if i >= fixed {
                    cols[i].2 = cols[i].2.merge(t);
                }
            } else {
                let name = unique(k, &mut taken);
                index.insert(k, cols.len());
                cols.push((k.clone(), name, t));
            }
        }
    }
    cols
}
