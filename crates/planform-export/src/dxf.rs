//! DXF: R2007 (AC1021) by default, R2018 (AC1032) and R12 (AC1009) on
//! request.
//!
//! R2000 and later are written through [`acadrust`], whose output passes
//! ezdxf's strict load, recover and audit with zero fixes (the `dxf` crate
//! fails that gate on table handles and cannot write HATCH). R12 has no
//! handles, LWPOLYLINE, HATCH or MTEXT; it is written here directly with
//! POLYLINE/VERTEX, TEXT and no fills (acadrust silently writes AC1015 when
//! asked for AC1009).
//!
//! What a drawing becomes:
//! - a layer per drawing layer, with its ACI colour, true colour, line
//!   weight and (for dashed styles) its own line type, dashes in metres;
//! - points → POINT; polylines → open LWPOLYLINE; areas → one closed
//!   LWPOLYLINE per ring plus, when the layer is filled, a solid HATCH
//!   with the outer ring and its holes;
//! - labels → MTEXT (TEXT in R12), middle-centred at the shape;
//! - attributes → XDATA of the application `PLANFORM`: per attribute a
//!   1000 name then its value (1071 integer, 1040 real, 1000 text, 1070
//!   boolean), on every entity of the feature.
//!
//! `$INSUNITS` (6 metres, 2 feet, 0 pixels) and `$MEASUREMENT` (1 metric,
//! 0 imperial) follow the drawing's units (R2000+).

use std::fmt::Write as _;
use std::io::Write;

use acadrust::entities::{
    BoundaryEdge, BoundaryPath, EntityType, Hatch, LwPolyline, LwVertex, MText, Point, PolylineEdge,
};
use acadrust::tables::{AppId, Layer as CadLayer, LineType, LineTypeElement};
use acadrust::types::{Color, DxfVersion as CadVersion, LineWeight, Vector2, Vector3};
use acadrust::xdata::{ExtendedDataRecord, XDataValue};
use acadrust::{CadDocument, DxfWriter};
use geo_types::{Coord, LineString};

use crate::drawing::{Drawing, Entity, Layer, Shape, Style, Units, Value};
use crate::error::{ExportError, Result};

/// The application name of planform's XDATA.
pub const APP_ID: &str = "PLANFORM";

/// The DXF version written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum DxfVersion {
    /// AutoCAD R12 (AC1009): no fills, TEXT labels, no units header.
    R12,
    /// AutoCAD 2007 (AC1021), the default: what GetSitePlan.ai sells.
    #[default]
    R2007,
    /// AutoCAD 2018 (AC1032).
    R2018,
}

impl DxfVersion {
    /// The `$ACADVER` string.
    pub fn acadver(self) -> &'static str {
        match self {
            Self::R12 => "AC1009",
            Self::R2007 => "AC1021",
            Self::R2018 => "AC1032",
        }
    }
}

impl std::str::FromStr for DxfVersion {
    type Err = ExportError;

    fn from_str(s: &str) -> Result<Self> {
        match s.to_ascii_uppercase().as_str() {
            "R12" | "AC1009" => Ok(Self::R12),
            "R2007" | "AC1021" => Ok(Self::R2007),
            "R2018" | "AC1032" => Ok(Self::R2018),
            _ => Err(ExportError::Option(format!(
                "DXF version {s:?}: expected R12, R2007 or R2018"
            ))),
        }
    }
}

/// DXF settings.
#[derive(Debug, Clone, PartialEq)]
pub struct DxfOptions {
    /// The version. Default R2007.
    pub version: DxfVersion,
    /// Label height in drawing units (`None`: 1.2% of the drawing's larger
    /// side).
    pub text_height: Option<f64>,
    /// Solid HATCH under filled areas (R2000+). Default true.
    pub hatch: bool,
    /// Attributes as XDATA. Default true.
    pub xdata: bool,
}

impl Default for DxfOptions {
    fn default() -> Self {
        Self {
            version: DxfVersion::R2007,
            text_height: None,
            hatch: true,
            xdata: true,
        }
    }
}

/// Characters AutoCAD refuses in symbol table names.
fn table_name(name: &str) -> String {
    let s: String = name
        .chars()
        .map(|c| {
            if c.is_control() || "<>/\\\":;?*|=`,".contains(c) {
                '_'
            } else {
                c
            }
        })
        .collect();
    if s.trim().is_empty() {
        "unnamed".to_owned()
    } else {
        s
    }
}

/// The standard line weight (1/100 mm) nearest to `mm`.
fn line_weight(mm: f64) -> i16 {
    const W: [i16; 24] = [
        0, 5, 9, 13, 15, 18, 20, 25, 30, 35, 40, 50, 53, 60, 70, 80, 90, 100, 106, 120, 140, 158,
        200, 211,
    ];
    let want = mm * 100.0;
    W.iter()
        .copied()
        .min_by(|a, b| {
            (f64::from(*a) - want)
                .abs()
                .total_cmp(&(f64::from(*b) - want).abs())
        })
        .unwrap_or(25)
}

/// The label height in drawing units.
fn text_height(d: &Drawing, o: &DxfOptions) -> f64 {
    o.text_height.unwrap_or_else(|| {
        d.bounds()
            .map_or(1.0, |b| ((b[2] - b[0]).max(b[3] - b[1]) * 0.012).max(1e-3))
    })
}

/// Dash lengths in drawing units (styles give them in metres).
fn dashes(s: &Style, units: Units) -> Option<Vec<f64>> {
    let per_unit = units.metres().unwrap_or(1.0);
    s.dash
        .as_ref()
        .filter(|d| d.len() >= 2 && d.iter().all(|v| v.is_finite() && *v > 0.0))
        .map(|d| d.iter().map(|v| v / per_unit).collect())
}

/// XDATA text is limited to 255 bytes per string.
fn xdata_text(s: &str) -> String {
    let mut end = s.len().min(255);
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    s[..end].to_owned()
}

/// XDATA of one entity's attributes, capped below the 16 KiB DXF limit.
fn xdata(attrs: &[(String, Value)]) -> ExtendedDataRecord {
    let mut rec = ExtendedDataRecord::new(APP_ID);
    let mut bytes = 0usize;
    for (k, v) in attrs {
        let value = match v {
            Value::Int(i) => i32::try_from(*i)
                .map_or_else(|_| XDataValue::Real(*i as f64), XDataValue::Integer32),
            Value::Real(r) => XDataValue::Real(*r),
            Value::Text(t) => XDataValue::String(xdata_text(t)),
            Value::Bool(b) => XDataValue::Integer16(i16::from(*b)),
        };
        let size = k.len().min(255)
            + 8
            + if let Value::Text(t) = v {
                t.len().min(255)
            } else {
                8
            };
        if bytes + size > 15_000 {
            break;
        }
        bytes += size;
        rec.add_value(XDataValue::String(xdata_text(k)));
        rec.add_value(value);
    }
    rec
}

fn v2(c: Coord<f64>) -> Vector2 {
    Vector2::new(c.x, c.y)
}

/// A ring or line's vertices, without the closing repeat of a ring.
fn open_vertices(l: &LineString<f64>, closed: bool) -> &[Coord<f64>] {
    let v = &l.0[..];
    if closed && v.len() > 1 && v.first() == v.last() {
        &v[..v.len() - 1]
    } else {
        v
    }
}

/// An MTEXT label string: `\` and braces escaped, newlines as `\P`.
fn mtext_escape(s: &str) -> String {
    s.replace('\\', "\\\\")
        .replace('{', "\\{")
        .replace('}', "\\}")
        .replace("\r\n", "\\P")
        .replace('\n', "\\P")
}

struct Cad {
    doc: CadDocument,
    text_height: f64,
    hatch: bool,
    xdata: bool,
}

impl Cad {
    fn add(&mut self, e: EntityType) -> Result<()> {
        self.doc
            .add_entity(e)
            .map(|_| ())
            .map_err(|e| ExportError::Dxf(e.to_string()))
    }

    fn layer(&mut self, l: &Layer, units: Units, dash_types: &mut usize) -> Result<String> {
        let name = table_name(&l.name);
        let mut cl = CadLayer::new(&name);
        cl.color = Color::from_index(i16::from(l.style.aci.clamp(1, 255)));
        cl.line_weight = LineWeight::Value(line_weight(l.style.line_weight_mm));
        if let Some(d) = dashes(&l.style, units) {
            *dash_types += 1;
            let mut lt = LineType::new(format!("PLANFORM_DASH{dash_types}"));
            lt.description = format!("{} dashes", l.name);
            for (i, v) in d.iter().enumerate() {
                lt.add_element(if i % 2 == 0 {
                    LineTypeElement::dash(*v)
                } else {
                    LineTypeElement::space(*v)
                });
            }
            lt.pattern_length = d.iter().sum();
            cl.line_type.clone_from(&lt.name);
            self.doc
                .line_types
                .add(lt)
                .map_err(|e| ExportError::Dxf(e.to_string()))?;
        }
        self.doc
            .layers
            .add(cl)
            .map_err(|e| ExportError::Dxf(format!("layer {name:?}: {e}")))?;
        Ok(name)
    }

    fn common<T>(&self, layer: &str, e: &Entity, mut set: T) -> T
    where
        T: HasCommon,
    {
        let c = set.common_mut();
        layer.clone_into(&mut c.layer);
        if self.xdata && !e.attributes.is_empty() {
            c.extended_data.add_record(xdata(&e.attributes));
        }
        set
    }

    fn polyline(
        &mut self,
        layer: &str,
        e: &Entity,
        l: &LineString<f64>,
        closed: bool,
    ) -> Result<()> {
        let mut p = LwPolyline::new();
        p.vertices = open_vertices(l, closed)
            .iter()
            .map(|c| LwVertex::from_coords(c.x, c.y))
            .collect();
        p.is_closed = closed;
        let p = self.common(layer, e, p);
        self.add(EntityType::LwPolyline(p))
    }

    fn entity(&mut self, layer: &str, filled: bool, e: &Entity) -> Result<()> {
        self.shape(layer, filled, e, &e.shape)?;
        if let Some(text) = &e.label {
            let at = e.shape.anchor();
            let mut t = MText::with_value(mtext_escape(text), Vector3::new(at.x, at.y, 0.0))
                .with_height(self.text_height);
            t.attachment_point = acadrust::entities::AttachmentPoint::MiddleCenter;
            layer.clone_into(&mut t.common.layer);
            self.add(EntityType::MText(Box::new(t)))?;
        }
        Ok(())
    }

    fn shape(&mut self, layer: &str, filled: bool, e: &Entity, shape: &Shape) -> Result<()> {
        match shape {
            Shape::Multi(parts) => {
                for part in parts {
                    self.shape(layer, filled, e, part)?;
                }
            }
            Shape::Point(c) => {
                let mut p = Point::new();
                p.location = Vector3::new(c.x, c.y, 0.0);
                let p = self.common(layer, e, p);
                self.add(EntityType::Point(p))?;
            }
            Shape::Polyline(l) => self.polyline(layer, e, l, false)?,
            Shape::Area(poly) => {
                for ring in std::iter::once(poly.exterior()).chain(poly.interiors()) {
                    if ring.0.len() >= 2 {
                        self.polyline(layer, e, ring, true)?;
                    }
                }
                if filled && self.hatch && poly.exterior().0.len() >= 3 {
                    let mut h = Hatch::solid();
                    layer.clone_into(&mut h.common.layer);
                    for (i, ring) in std::iter::once(poly.exterior())
                        .chain(poly.interiors())
                        .enumerate()
                    {
                        let v = open_vertices(ring, true);
                        if v.len() < 3 {
                            continue;
                        }
                        let mut path = if i == 0 {
                            BoundaryPath::external()
                        } else {
                            BoundaryPath::new()
                        };
                        path.add_edge(BoundaryEdge::Polyline(PolylineEdge::new(
                            v.iter().copied().map(v2).collect(),
                            true,
                        )));
                        h.paths.push(path);
                    }
                    self.add(EntityType::Hatch(Box::new(h)))?;
                }
            }
        }
        Ok(())
    }
}

/// Entities whose common data can be set.
trait HasCommon {
    fn common_mut(&mut self) -> &mut acadrust::entities::EntityCommon;
}

impl HasCommon for LwPolyline {
    fn common_mut(&mut self) -> &mut acadrust::entities::EntityCommon {
        &mut self.common
    }
}

impl HasCommon for Point {
    fn common_mut(&mut self) -> &mut acadrust::entities::EntityCommon {
        &mut self.common
    }
}

/// Writes the drawing as DXF.
pub fn write_dxf(d: &Drawing, w: &mut dyn Write, o: &DxfOptions) -> Result<()> {
    if d.entity_count() == 0 {
        return Err(ExportError::Empty("the drawing has no entities".into()));
    }
    d.check_finite()?;
    if o.version == DxfVersion::R12 {
        return write_r12(d, w, o);
    }
    let version = match o.version {
        DxfVersion::R2018 => CadVersion::AC1032,
        _ => CadVersion::AC1021,
    };
    let mut doc = CadDocument::with_version(version);
    let (insunits, measurement) = match d.units {
        Units::Metres => (6, 1),
        Units::Feet => (2, 0),
        Units::Pixels | Units::Degrees => (0, 1),
    };
    doc.header.insertion_units = insunits;
    doc.header.measurement = measurement;
    doc.app_ids
        .add(AppId::new(APP_ID))
        .map_err(|e| ExportError::Dxf(e.to_string()))?;
    let mut cad = Cad {
        doc,
        text_height: text_height(d, o),
        hatch: o.hatch,
        xdata: o.xdata,
    };
    let mut dash_types = 0;
    for l in &d.layers {
        let name = cad.layer(l, d.units, &mut dash_types)?;
        let filled = l.style.fill.is_some();
        for e in &l.entities {
            cad.entity(&name, filled, e)?;
        }
    }
    let bytes = DxfWriter::new(&cad.doc)
        .write_to_vec()
        .map_err(|e| ExportError::Dxf(e.to_string()))?;
    w.write_all(&bytes)?;
    Ok(())
}

/// A group code and value line pair.
fn pair(s: &mut String, code: i32, value: impl std::fmt::Display) {
    let _ = write!(s, "{code:>3}\r\n{value}\r\n");
}

/// R12: tables LTYPE, LAYER, STYLE, APPID; entities POINT, POLYLINE, TEXT.
fn write_r12(d: &Drawing, w: &mut dyn Write, o: &DxfOptions) -> Result<()> {
    let mut s = String::new();
    let h = text_height(d, o);
    pair(&mut s, 0, "SECTION");
    pair(&mut s, 2, "HEADER");
    pair(&mut s, 9, "$ACADVER");
    pair(&mut s, 1, "AC1009");
    if let Some(b) = d.bounds() {
        for (name, x, y) in [("$EXTMIN", b[0], b[1]), ("$EXTMAX", b[2], b[3])] {
            pair(&mut s, 9, name);
            pair(&mut s, 10, x);
            pair(&mut s, 20, y);
            pair(&mut s, 30, 0.0);
        }
    }
    pair(&mut s, 0, "ENDSEC");
    let names = r12_tables(&mut s, d);
    pair(&mut s, 0, "SECTION");
    pair(&mut s, 2, "ENTITIES");
    for (l, name) in d.layers.iter().zip(&names) {
        for e in &l.entities {
            r12_entity(&mut s, name, e, h, o.xdata);
        }
    }
    pair(&mut s, 0, "ENDSEC");
    pair(&mut s, 0, "EOF");
    w.write_all(s.as_bytes())?;
    Ok(())
}

/// The R12 TABLES section; returns the layers' table names.
fn r12_tables(s: &mut String, d: &Drawing) -> Vec<String> {
    pair(s, 0, "SECTION");
    pair(s, 2, "TABLES");
    // line types
    let names: Vec<String> = d.layers.iter().map(|l| table_name(&l.name)).collect();
    let dashed: Vec<(usize, Vec<f64>)> = d
        .layers
        .iter()
        .enumerate()
        .filter_map(|(i, l)| dashes(&l.style, d.units).map(|v| (i, v)))
        .collect();
    pair(s, 0, "TABLE");
    pair(s, 2, "LTYPE");
    pair(s, 70, 1 + dashed.len());
    pair(s, 0, "LTYPE");
    pair(s, 2, "CONTINUOUS");
    pair(s, 70, 0);
    pair(s, 3, "Solid line");
    pair(s, 72, 65);
    pair(s, 73, 0);
    pair(s, 40, 0.0);
    for (n, (_, v)) in dashed.iter().enumerate() {
        pair(s, 0, "LTYPE");
        pair(s, 2, format!("PLANFORM_DASH{}", n + 1));
        pair(s, 70, 0);
        pair(s, 3, "dashes");
        pair(s, 72, 65);
        pair(s, 73, v.len());
        pair(s, 40, v.iter().sum::<f64>());
        for (k, x) in v.iter().enumerate() {
            pair(s, 49, if k % 2 == 0 { *x } else { -x });
        }
    }
    pair(s, 0, "ENDTAB");
    pair(s, 0, "TABLE");
    pair(s, 2, "LAYER");
    pair(s, 70, 1 + d.layers.len());
    let layer = |s: &mut String, name: &str, aci: u8, lt: &str| {
        pair(s, 0, "LAYER");
        pair(s, 2, name);
        pair(s, 70, 0);
        pair(s, 62, aci.clamp(1, 255));
        pair(s, 6, lt);
    };
    layer(s, "0", 7, "CONTINUOUS");
    for (i, l) in d.layers.iter().enumerate() {
        let lt = dashed.iter().position(|(j, _)| *j == i).map_or_else(
            || "CONTINUOUS".to_owned(),
            |n| format!("PLANFORM_DASH{}", n + 1),
        );
        layer(s, &names[i], l.style.aci, &lt);
    }
    pair(s, 0, "ENDTAB");
    pair(s, 0, "TABLE");
    pair(s, 2, "STYLE");
    pair(s, 70, 1);
    pair(s, 0, "STYLE");
    pair(s, 2, "STANDARD");
    pair(s, 70, 0);
    pair(s, 40, 0.0);
    pair(s, 41, 1.0);
    pair(s, 50, 0.0);
    pair(s, 71, 0);
    pair(s, 42, 2.5);
    pair(s, 3, "txt");
    pair(s, 4, "");
    pair(s, 0, "ENDTAB");
    pair(s, 0, "TABLE");
    pair(s, 2, "APPID");
    pair(s, 70, 2);
    for app in ["ACAD", APP_ID] {
        pair(s, 0, "APPID");
        pair(s, 2, app);
        pair(s, 70, 0);
    }
    pair(s, 0, "ENDTAB");
    pair(s, 0, "ENDSEC");
    names
}

fn r12_xdata(s: &mut String, attrs: &[(String, Value)]) {
    let rec = xdata(attrs);
    pair(s, 1001, APP_ID);
    for v in &rec.values {
        match v {
            XDataValue::String(t) => pair(s, 1000, t),
            XDataValue::Real(r) => pair(s, 1040, r),
            XDataValue::Integer32(i) => pair(s, 1071, i),
            XDataValue::Integer16(i) => pair(s, 1070, i),
            _ => {}
        }
    }
}

fn r12_entity(s: &mut String, layer: &str, e: &Entity, h: f64, xdata: bool) {
    r12_shape(s, layer, e, &e.shape, xdata);
    if let Some(text) = &e.label {
        let at = e.shape.anchor();
        pair(s, 0, "TEXT");
        pair(s, 8, layer);
        pair(s, 10, at.x);
        pair(s, 20, at.y);
        pair(s, 30, 0.0);
        pair(s, 40, h);
        pair(s, 1, text.replace(['\r', '\n'], " "));
        pair(s, 72, 1);
        pair(s, 11, at.x);
        pair(s, 21, at.y);
        pair(s, 31, 0.0);
        pair(s, 73, 2);
    }
}

fn r12_shape(s: &mut String, layer: &str, e: &Entity, shape: &Shape, xdata: bool) {
    let tail = |s: &mut String| {
        if xdata && !e.attributes.is_empty() {
            r12_xdata(s, &e.attributes);
        }
    };
    let poly = |s: &mut String, l: &LineString<f64>, closed: bool| {
        pair(s, 0, "POLYLINE");
        pair(s, 8, layer);
        pair(s, 66, 1);
        pair(s, 10, 0.0);
        pair(s, 20, 0.0);
        pair(s, 30, 0.0);
        pair(s, 70, i32::from(closed));
        tail(s);
        for c in open_vertices(l, closed) {
            pair(s, 0, "VERTEX");
            pair(s, 8, layer);
            pair(s, 10, c.x);
            pair(s, 20, c.y);
            pair(s, 30, 0.0);
        }
        pair(s, 0, "SEQEND");
        pair(s, 8, layer);
    };
    match shape {
        Shape::Multi(parts) => {
            for part in parts {
                r12_shape(s, layer, e, part, xdata);
            }
        }
        Shape::Point(c) => {
            pair(s, 0, "POINT");
            pair(s, 8, layer);
            pair(s, 10, c.x);
            pair(s, 20, c.y);
            pair(s, 30, 0.0);
            tail(s);
        }
        Shape::Polyline(l) => poly(s, l, false),
        Shape::Area(p) => {
            for ring in std::iter::once(p.exterior()).chain(p.interiors()) {
                if ring.0.len() >= 2 {
                    poly(s, ring, true);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::drawing::Entity;
    use geo_types::Polygon;

    fn drawing(c: Coord<f64>) -> Drawing {
        let mut d = Drawing::default();
        let l = d.layer_mut("pool", || crate::style::default_style("pool"));
        l.entities.push(Entity {
            shape: Shape::Area(Polygon::new(
                LineString(vec![
                    Coord { x: 0.0, y: 0.0 },
                    Coord { x: 4.0, y: 0.0 },
                    c,
                    Coord { x: 0.0, y: 0.0 },
                ]),
                vec![],
            )),
            label: Some("pool {1}".into()),
            attributes: vec![("depthM".into(), Value::Real(1.5))],
        });
        d
    }

    #[test]
    fn non_finite_coordinates_are_refused_before_writing() {
        let mut out = Vec::new();
        let e = write_dxf(
            &drawing(Coord {
                x: f64::NAN,
                y: 2.0,
            }),
            &mut out,
            &DxfOptions::default(),
        )
        .unwrap_err();
        assert!(matches!(e, ExportError::NonFinite { ref layer, index: 0 } if layer == "pool"));
        assert!(out.is_empty());
        let e = write_dxf(&Drawing::default(), &mut out, &DxfOptions::default()).unwrap_err();
        assert!(matches!(e, ExportError::Empty(_)));
    }

    #[test]
    fn versions_parse_and_r12_has_no_r2000_entities() {
        assert_eq!("r12".parse::<DxfVersion>().unwrap(), DxfVersion::R12);
        assert_eq!("AC1032".parse::<DxfVersion>().unwrap(), DxfVersion::R2018);
        assert!("R14".parse::<DxfVersion>().is_err());
        let mut out = Vec::new();
        let o = DxfOptions {
            version: DxfVersion::R12,
            ..Default::default()
        };
        write_dxf(&drawing(Coord { x: 4.0, y: 3.0 }), &mut out, &o).unwrap();
        let s = String::from_utf8(out).unwrap();
        assert!(s.contains("AC1009"));
        for absent in ["LWPOLYLINE", "HATCH", "MTEXT"] {
            assert!(!s.contains(absent), "{absent}");
        }
        assert!(s.contains("\r\nPOLYLINE\r\n") && s.contains("\r\nTEXT\r\n"));
        // the XDATA: name then a 1040 real
        assert!(s.contains("1001\r\nPLANFORM\r\n1000\r\ndepthM\r\n1040\r\n1.5\r\n"));
    }

    #[test]
    fn r2007_has_hatch_xdata_and_escaped_mtext() {
        let mut out = Vec::new();
        write_dxf(
            &drawing(Coord { x: 4.0, y: 3.0 }),
            &mut out,
            &DxfOptions::default(),
        )
        .unwrap();
        let s = String::from_utf8(out).unwrap();
        assert!(s.contains("AC1021"));
        assert!(s.contains("\r\nHATCH\r\n"));
        assert!(s.contains("pool \\{1\\}"));
        assert!(s.contains("PLANFORM"));
    }

    #[test]
    fn names_and_weights() {
        assert_eq!(table_name("a/b:c"), "a_b_c");
        assert_eq!(table_name("  "), "unnamed");
        assert_eq!(line_weight(0.25), 25);
        assert_eq!(line_weight(0.33), 35);
        assert_eq!(line_weight(9.0), 211);
        assert_eq!(xdata_text(&"é".repeat(200)).len(), 254);
    }
}
