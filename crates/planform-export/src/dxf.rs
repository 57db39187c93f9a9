//! DXF: R2007 (AC1021) by default, R2018 (AC1032) and R12 (AC1009) on
//! request.
//!
//! R2000 and later: the document around the entities (header, classes,
//! tables with the layers, line types and application ids, blocks,
//! objects) is written by [`acadrust`], whose output passes ezdxf's strict
//! load, recover and audit with zero fixes (the `dxf` crate fails that gate
//! on table handles and cannot write HATCH); the entities are then streamed
//! straight into its ENTITIES section with handles from its `$HANDSEED`
//! (patched to the first free handle after them) and owned by its model
//! space, coordinates to 6 decimals: memory stays flat in the entity count
//! and the writer is several times faster than building acadrust entities. R12 has no
//! handles, LWPOLYLINE, HATCH or MTEXT; it is written here directly with
//! POLYLINE/VERTEX, TEXT and no fills (acadrust silently writes AC1015 when
//! asked for AC1009).
//!
//! What a drawing becomes:
//! - a layer per drawing layer, with its ACI colour, true colour, line
//!   weight and (for dashed styles) its own line type, dashes in metres;
//! - points → POINT; polylines → open LWPOLYLINE; areas → one closed
//!   LWPOLYLINE per ring plus, when the layer is filled, a HATCH with the
//!   outer ring and its holes: ANSI31 lines 2.5 paper mm apart with the
//!   fill opacity as transparency, so that nothing under it is hidden;
//! - labels → MTEXT (TEXT in R12) in the `PLANFORM` text style,
//!   middle-centred at the shape;
//! - layers with a [`crate::drawing::Dimensioning`] → an aligned DIMENSION
//!   per straight labelled polyline with its rendered `*D` block and the
//!   `PLANFORM` dimension style;
//! - layers with a [`crate::drawing::Symbol`] → an INSERT of its block per
//!   entity with invisible ATTRIBs (trees: `PLANFORM_TREE`);
//! - with [`DxfOptions::sheet`] and a drawing in a length unit → the
//!   `Sheet` layout at the sheet's 1:N;
//! - attributes → XDATA of the application `PLANFORM`: per attribute a
//!   1000 name then its value (1071 integer, 1040 real, 1000 text, 1070
//!   boolean), on every entity of the feature.
//!
//! `$INSUNITS` (6 metres, 2 feet, 4 millimetres, 0 pixels) and
//! `$MEASUREMENT` (1 metric, 0 imperial) follow the drawing's units
//! (R2000+); `$EXTMIN/$EXTMAX` are the drawing's bounds. R12 is model
//! space only: no layout, dimensions, blocks or hatches, its text ASCII
//! with `\U+XXXX` for the rest.

use std::fmt::Write as _;
use std::io::Write;

use acadrust::tables::{AppId, Layer as CadLayer, LineType, LineTypeElement};
use acadrust::types::{Color, DxfVersion as CadVersion, LineWeight};
use acadrust::xdata::{ExtendedDataRecord, XDataValue};
use acadrust::{CadDocument, DxfWriter};
use geo_types::{Coord, LineString};

use crate::drawing::{Drawing, Entity, Shape, Style, Units, Value};
use crate::dxf_dims;
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
    /// A HATCH in filled areas (R2000+): 45° lines 2.5 paper mm apart in
    /// the layer's colour, with the layer's fill opacity as transparency,
    /// so that nothing under it is hidden. Default true.
    pub hatch: bool,
    /// Attributes as XDATA. Default true.
    pub xdata: bool,
    /// A paper-space sheet (R2000+): the layout sized to the paper, a
    /// viewport at the sheet's scale, the frame and title block, as on the
    /// SVG/PDF sheet ([`crate::sheet`]); labels and dimensions sized for
    /// that scale. `None`: model space only, sized for the drawing's
    /// extent; drawings without a scale (pixels, degrees) never get one.
    pub sheet: Option<crate::sheet::SheetOptions>,
}

impl Default for DxfOptions {
    fn default() -> Self {
        Self {
            version: DxfVersion::R2007,
            text_height: None,
            hatch: true,
            xdata: true,
            sheet: None,
        }
    }
}

/// Characters AutoCAD refuses in symbol table names replaced, cut to the
/// 255 characters AutoCAD takes.
fn table_name(name: &str) -> String {
    let s: String = name
        .chars()
        .take(255)
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

/// A string as one DXF group value: a value is one line, so line breaks
/// and every other control character become spaces (a newline in a feature
/// property used to end the value early and shift every later group: a
/// file ezdxf could not even recover).
fn group_text(s: &str) -> std::borrow::Cow<'_, str> {
    if s.chars().any(char::is_control) {
        s.chars()
            .map(|c| if c.is_control() { ' ' } else { c })
            .collect::<String>()
            .into()
    } else {
        s.into()
    }
}

/// XDATA text: one line, limited to 255 bytes per string.
fn xdata_text(s: &str) -> String {
    let s = group_text(s);
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

/// The document around the entities, written by acadrust: everything
/// before the ENTITIES section's first entity, everything after its last,
/// the first free handle and the model space's block record handle.
struct Skeleton {
    head: String,
    tail: String,
    handseed: u64,
    model_space: String,
}

/// The group-code/value pairs of DXF text: (byte offset of the code line,
/// code, value).
fn pairs(text: &str) -> Vec<(usize, &str, &str)> {
    let mut out = Vec::new();
    let mut lines = text.split_inclusive('\n');
    let mut at = 0;
    while let (Some(c), Some(v)) = (lines.next(), lines.next()) {
        out.push((at, c.trim(), v.trim_end_matches(['\r', '\n'])));
        at += c.len() + v.len();
    }
    out
}

/// The CAD structure beyond layers: extents, the text and dimension
/// styles, the dimensions with their blocks, the sheet.
fn furnish(doc: &mut CadDocument, d: &Drawing, cad: &Cad, o: &DxfOptions) -> Result<()> {
    if let Some(b) = d.bounds() {
        doc.header.model_space_extents_min = acadrust::types::Vector3::new(b[0], b[1], 0.0);
        doc.header.model_space_extents_max = acadrust::types::Vector3::new(b[2], b[3], 0.0);
        doc.header.model_space_limits_min = acadrust::types::Vector2::new(b[0], b[1]);
        doc.header.model_space_limits_max = acadrust::types::Vector2::new(b[2], b[3]);
    }
    dxf_dims::add_styles(doc, cad.k)?;
    crate::dxf_symbols::add_blocks(doc, &crate::dxf_symbols::symbols(d))?;
    dxf_dims::add_dims(doc, &cad.dims, cad.k)?;
    if let (Some(so), Some(l), Some(b)) = (&o.sheet, &cad.layout, d.bounds()) {
        crate::dxf_layout::add_sheet(doc, d, so, l, cad.k, b)?;
    }
    Ok(())
}

fn skeleton(
    d: &Drawing,
    version: CadVersion,
    entities: u64,
    cad: &Cad,
    o: &DxfOptions,
) -> Result<Skeleton> {
    let mut doc = CadDocument::with_version(version);
    let (insunits, measurement) = match d.units {
        Units::Metres => (6, 1),
        Units::Feet => (2, 0),
        Units::Millimetres => (4, 1),
        Units::Pixels | Units::Degrees => (0, 1),
    };
    doc.header.insertion_units = insunits;
    doc.header.measurement = measurement;
    let cad_err = |e: acadrust::error::DxfError| ExportError::Dxf(e.to_string());
    doc.app_ids.add(AppId::new(APP_ID)).map_err(cad_err)?;
    let mut dash_types = 0;
    for l in &d.layers {
        let name = table_name(&l.name);
        let mut cl = CadLayer::new(&name);
        cl.color = Color::from_index(i16::from(l.style.aci.clamp(1, 255)));
        cl.line_weight = LineWeight::Value(line_weight(l.style.line_weight_mm));
        if let Some(dv) = dashes(&l.style, d.units) {
            dash_types += 1;
            let mut lt = LineType::new(format!("PLANFORM_DASH{dash_types}"));
            lt.description = format!("{} dashes", l.name);
            for (i, v) in dv.iter().enumerate() {
                lt.add_element(if i % 2 == 0 {
                    LineTypeElement::dash(*v)
                } else {
                    LineTypeElement::space(*v)
                });
            }
            lt.pattern_length = dv.iter().sum();
            cl.line_type.clone_from(&lt.name);
            doc.line_types.add(lt).map_err(cad_err)?;
        }
        doc.layers
            .add(cl)
            .map_err(|e| ExportError::Dxf(format!("layer {name:?}: {e}")))?;
    }
    furnish(&mut doc, d, cad, o)?;
    let bytes = DxfWriter::new(&doc).write_to_vec().map_err(cad_err)?;
    let text = String::from_utf8(bytes).map_err(|e| ExportError::Dxf(e.to_string()))?;
    let p = pairs(&text);
    let bad = |what: &str| ExportError::Dxf(format!("unexpected DXF skeleton: no {what}"));
    let (seed_name_at, seed_at) = p
        .windows(2)
        .find(|w| w[0].1 == "9" && w[0].2 == "$HANDSEED")
        .map(|w| (w[0].0, w[1]))
        .ok_or_else(|| bad("$HANDSEED"))?;
    let handseed = u64::from_str_radix(seed_at.2, 16).map_err(|_| bad("hex $HANDSEED"))?;
    // the model space block record: its handle precedes its name
    let mut model_space = None;
    let mut handle = None;
    for &(_, c, v) in &p {
        match (c, v) {
            ("0", _) => handle = None,
            ("5", h) => handle = Some(h),
            ("2", "*Model_Space") if handle.is_some() => {
                model_space = handle.map(str::to_owned);
                break;
            }
            _ => {}
        }
    }
    let model_space = model_space.ok_or_else(|| bad("*Model_Space block record"))?;
    let entities_at = p
        .windows(2)
        .position(|w| w[0].1 == "0" && w[0].2 == "SECTION" && w[1].1 == "2" && w[1].2 == "ENTITIES")
        .ok_or_else(|| bad("ENTITIES section"))?;
    // ours go first, before the skeleton's dimensions and paper space
    let (head_end, tail_start) = {
        let first = p.get(entities_at + 2).ok_or_else(|| bad("ENTITIES end"))?;
        (first.0, first.0)
    };
    // patch $HANDSEED: the first free handle after ours
    let seed_line_start = seed_at.0;
    let seed_line_end = seed_line_start
        + text[seed_line_start..]
            .split_inclusive('\n')
            .take(2)
            .map(str::len)
            .sum::<usize>();
    // acadrust writes no $PLIMMIN/$PLIMMAX: the page, when there is a
    // sheet (LibreCAD sizes its plot from them)
    let mut limits = String::new();
    if let Some(l) = &cad.layout {
        let (pw, ph) = l.size_mm;
        for (name, x, y) in [("$PLIMMIN", 0.0, 0.0), ("$PLIMMAX", pw, ph)] {
            pair(&mut limits, 9, name);
            pair(&mut limits, 10, x);
            pair(&mut limits, 20, y);
        }
    }
    let head = format!(
        "{}{limits}{}  5\r\n{:X}\r\n{}",
        &text[..seed_name_at],
        &text[seed_name_at..seed_line_start],
        handseed + entities,
        &text[seed_line_end..head_end]
    );
    Ok(Skeleton {
        head,
        tail: text[tail_start..].to_owned(),
        handseed,
        model_space,
    })
}

/// Appends a number with at most 6 decimals, trailing zeros trimmed
/// (micro-units: far below any drawing's precision), fast.
fn push_num(buf: &mut Vec<u8>, v: f64) {
    if v.is_nan() || v.abs() >= 9.0e12 {
        let _ = write!(buf, "{v}");
        return;
    }
    let scaled = (v * 1e6).round() as i64;
    if scaled < 0 {
        buf.push(b'-');
    }
    let u = scaled.unsigned_abs();
    let (int, frac) = (u / 1_000_000, u % 1_000_000);
    let mut digits = [0u8; 20];
    let mut n = 0;
    let mut i = int;
    loop {
        digits[n] = b'0' + (i % 10) as u8;
        n += 1;
        i /= 10;
        if i == 0 {
            break;
        }
    }
    buf.extend(digits[..n].iter().rev());
    buf.push(b'.');
    if frac == 0 {
        buf.push(b'0');
    } else {
        let mut f = [0u8; 6];
        let mut x = frac;
        for d in f.iter_mut().rev() {
            *d = b'0' + (x % 10) as u8;
            x /= 10;
        }
        let end = f.iter().rposition(|d| *d != b'0').map_or(1, |p| p + 1);
        buf.extend_from_slice(&f[..end]);
    }
}

/// Streams R2000+ entities straight into the ENTITIES section.
struct Entities<'a> {
    w: &'a mut dyn Write,
    buf: Vec<u8>,
    next: u64,
    model_space: String,
    text_height: f64,
    /// Drawing units per paper millimetre.
    k: f64,
    hatch: bool,
    xdata: bool,
}

impl Entities<'_> {
    fn code(&mut self, code: u16) {
        let _ = write!(self.buf, "{code:>3}\r\n");
    }

    fn text(&mut self, code: u16, v: &str) {
        self.code(code);
        self.buf.extend_from_slice(group_text(v).as_bytes());
        self.buf.extend_from_slice(b"\r\n");
    }

    fn int(&mut self, code: u16, v: i64) {
        self.code(code);
        let _ = write!(self.buf, "{v:>6}\r\n");
    }

    fn num(&mut self, code: u16, v: f64) {
        self.code(code);
        push_num(&mut self.buf, v);
        self.buf.extend_from_slice(b"\r\n");
    }

    fn xy(&mut self, c: Coord<f64>) {
        self.num(10, c.x);
        self.num(20, c.y);
    }

    /// Entity head: type, handle, owner, layer, subclass.
    fn head(&mut self, kind: &str, layer: &str, subclass: &str) {
        self.start(kind, layer, None);
        self.text(100, subclass);
    }

    /// Entity type, handle, owner (model space unless given), layer;
    /// returns the handle.
    fn start(&mut self, kind: &str, layer: &str, owner: Option<&str>) -> String {
        self.text(0, kind);
        let h = format!("{:X}", self.next);
        self.next += 1;
        self.text(5, &h);
        if let Some(o) = owner {
            self.text(330, o);
        } else {
            let ms = std::mem::take(&mut self.model_space);
            self.text(330, &ms);
            self.model_space = ms;
        }
        self.text(100, "AcDbEntity");
        self.text(8, layer);
        h
    }

    /// A symbol INSERT with its invisible ATTRIBs and SEQEND.
    fn insert(&mut self, layer: &str, s: &crate::drawing::Symbol, e: &Entity, unit: f64) {
        let Some((at, scale)) = crate::dxf_symbols::placement(&e.shape, unit) else {
            return;
        };
        let owner = self.start("INSERT", layer, None);
        self.text(100, "AcDbBlockReference");
        self.int(66, 1);
        self.text(2, &s.block);
        self.xy(at);
        self.num(30, 0.0);
        for c in [41, 42, 43] {
            self.num(c, scale);
        }
        for (i, (tag, value)) in crate::dxf_symbols::values(s, e).into_iter().enumerate() {
            self.start("ATTRIB", layer, Some(&owner));
            self.text(100, "AcDbText");
            self.xy(Coord {
                x: at.x,
                y: at.y - 0.3 * scale * (i as f64 + 1.0),
            });
            self.num(30, 0.0);
            self.num(40, 0.2 * scale);
            self.text(1, &value);
            self.text(7, dxf_dims::TEXT_STYLE);
            self.text(100, "AcDbAttribute");
            self.text(2, tag);
            self.int(70, 1);
        }
        self.start("SEQEND", layer, Some(&owner));
    }

    fn xdata(&mut self, e: &Entity) {
        if !self.xdata || e.attributes.is_empty() {
            return;
        }
        self.text(1001, APP_ID);
        for v in xdata(&e.attributes).values {
            match v {
                XDataValue::String(t) => self.text(1000, &t),
                XDataValue::Real(r) => self.num(1040, r),
                XDataValue::Integer32(i) => self.int(1071, i64::from(i)),
                XDataValue::Integer16(i) => self.int(1070, i64::from(i)),
                _ => {}
            }
        }
    }

    fn flush(&mut self) -> Result<()> {
        if self.buf.len() >= 1 << 16 {
            self.w.write_all(&self.buf)?;
            self.buf.clear();
        }
        Ok(())
    }

    fn polyline(&mut self, layer: &str, e: &Entity, l: &LineString<f64>, closed: bool) {
        self.head("LWPOLYLINE", layer, "AcDbPolyline");
        let v = open_vertices(l, closed);
        self.int(90, v.len() as i64);
        self.int(70, i64::from(closed));
        for c in v {
            self.xy(*c);
        }
        self.xdata(e);
    }

    fn shape(&mut self, layer: &str, style: &Style, e: &Entity, shape: &Shape) -> Result<()> {
        let filled = style.fill.is_some();
        match shape {
            Shape::Multi(parts) => {
                for part in parts {
                    self.shape(layer, style, e, part)?;
                }
            }
            Shape::Point(c) => {
                self.head("POINT", layer, "AcDbPoint");
                self.xy(*c);
                self.num(30, 0.0);
                self.xdata(e);
            }
            Shape::Polyline(l) => self.polyline(layer, e, l, false),
            Shape::Area(poly) => {
                let rings: Vec<&LineString<f64>> = std::iter::once(poly.exterior())
                    .chain(poly.interiors())
                    .filter(|r| r.0.len() >= 2)
                    .collect();
                for r in &rings {
                    self.polyline(layer, e, r, true);
                }
                // a symbol layer's areas are marked by their symbol
                if hatched(filled && self.hatch && style.symbol.is_none(), poly) {
                    self.hatch_of(layer, style, poly);
                }
            }
        }
        self.flush()
    }

    fn hatch_of(&mut self, layer: &str, style: &Style, poly: &geo_types::Polygon<f64>) {
        let paths: Vec<&[Coord<f64>]> = std::iter::once(poly.exterior())
            .chain(poly.interiors())
            .map(|r| open_vertices(r, true))
            .enumerate()
            .filter(|(i, v)| *i == 0 || v.len() >= 3)
            .map(|(_, v)| v)
            .collect();
        self.text(0, "HATCH");
        let h = format!("{:X}", self.next);
        self.next += 1;
        self.text(5, &h);
        let ms = std::mem::take(&mut self.model_space);
        self.text(330, &ms);
        self.model_space = ms;
        self.text(100, "AcDbEntity");
        self.text(8, layer);
        // transparency: 0x02 then the opacity (0 clear … 255 opaque)
        let alpha = (style.fill_opacity.clamp(0.0, 1.0) * 255.0).round() as i64;
        self.int(440, 0x0200_0000 | alpha);
        self.text(100, "AcDbHatch");
        for (c, v) in [
            (10, 0.0),
            (20, 0.0),
            (30, 0.0),
            (210, 0.0),
            (220, 0.0),
            (230, 1.0),
        ] {
            self.num(c, v);
        }
        self.text(2, "ANSI31");
        self.int(70, 0);
        self.int(71, 0);
        self.int(91, paths.len() as i64);
        for (i, v) in paths.iter().enumerate() {
            // polyline path (2), the outer one external (1)
            self.int(92, if i == 0 { 3 } else { 2 });
            self.int(72, 0);
            self.int(73, 1);
            self.int(93, v.len() as i64);
            for c in *v {
                self.xy(*c);
            }
            self.int(97, 0);
        }
        // ANSI31: one family of 45° lines, 3.175 pattern units apart,
        // scaled to HATCH_SPACING_MM on paper
        let scale = HATCH_SPACING_MM * self.k / 3.175;
        let step = 3.175 * scale * std::f64::consts::FRAC_1_SQRT_2;
        self.int(75, 0);
        self.int(76, 1);
        self.num(52, 0.0);
        self.num(41, scale);
        self.int(77, 0);
        self.int(78, 1);
        self.num(53, 45.0);
        self.num(43, 0.0);
        self.num(44, 0.0);
        self.num(45, -step);
        self.num(46, step);
        self.int(79, 0);
        self.int(98, 0);
    }

    fn label(&mut self, layer: &str, e: &Entity) {
        let Some(text) = &e.label else { return };
        let at = e.shape.anchor();
        self.head("MTEXT", layer, "AcDbMText");
        self.xy(at);
        self.num(30, 0.0);
        self.num(40, self.text_height);
        self.num(41, 0.0);
        self.int(71, 5);
        self.int(72, 1);
        self.text(1, &mtext_escape(text));
        self.text(7, crate::dxf_dims::TEXT_STYLE);
    }
}

/// Whether an area gets a HATCH (filled layer, at least a triangle).
fn hatched(filled: bool, poly: &geo_types::Polygon<f64>) -> bool {
    filled && open_vertices(poly.exterior(), true).len() >= 3
}

/// Handles the entities of a drawing need (R2000+).
fn handles_needed(d: &Drawing, hatch: bool) -> u64 {
    fn shape(s: &Shape, filled: bool) -> u64 {
        match s {
            Shape::Multi(p) => p.iter().map(|x| shape(x, filled)).sum(),
            Shape::Point(_) | Shape::Polyline(_) => 1,
            Shape::Area(p) => {
                let rings = std::iter::once(p.exterior())
                    .chain(p.interiors())
                    .filter(|r| r.0.len() >= 2)
                    .count() as u64;
                rings + u64::from(hatched(filled, p))
            }
        }
    }
    d.layers
        .iter()
        .map(|l| {
            let filled = hatch && l.style.fill.is_some();
            // INSERT, ATTRIBs, SEQEND
            let symbol = l
                .style
                .symbol
                .as_ref()
                .map_or(0, |s| 2 + s.attributes.len() as u64);
            l.entities
                .iter()
                .map(|e| shape(&e.shape, filled) + u64::from(e.label.is_some()) + symbol)
                .sum::<u64>()
        })
        .sum()
}

/// Paper spacing of hatch lines, mm.
const HATCH_SPACING_MM: f64 = 2.5;
/// Label height on paper, mm (the SVG sheet's).
const LABEL_MM: f64 = 2.0;

/// What the CAD structure around the entities needs: the sheet (when
/// asked and the drawing has a scale), drawing units per paper millimetre
/// and the dimensions.
struct Cad {
    layout: Option<crate::sheet::SheetLayout>,
    k: f64,
    text_height: f64,
    dims: Vec<dxf_dims::Dim>,
}

impl Cad {
    fn of(d: &Drawing, o: &DxfOptions) -> Result<Self> {
        let layout = match (&o.sheet, d.units.metres()) {
            (Some(so), Some(_)) => Some(crate::sheet::fit(d, so)?),
            _ => None,
        };
        let (k, text_height) = if let (Some(l), Some(m)) = (&layout, d.units.metres()) {
            let k = l.scale.ratio * 0.001 / m;
            (k, o.text_height.unwrap_or(LABEL_MM * k))
        } else {
            let h = text_height(d, o);
            (h / LABEL_MM, h)
        };
        let dims = dxf_dims::dims_of(d, k, table_name);
        Ok(Self {
            layout,
            k,
            text_height,
            dims,
        })
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
    let cad = Cad::of(d, o)?;
    let sk = skeleton(d, version, handles_needed(d, o.hatch), &cad, o)?;
    w.write_all(sk.head.as_bytes())?;
    let mut out = Entities {
        w,
        buf: Vec::with_capacity(1 << 17),
        next: sk.handseed,
        model_space: sk.model_space,
        text_height: cad.text_height,
        k: cad.k,
        hatch: o.hatch,
        xdata: o.xdata,
    };
    for l in &d.layers {
        let name = table_name(&l.name);
        for e in &l.entities {
            let dimensioned = l.style.dimension.is_some() && dxf_dims::measured(e).is_some();
            if !(dimensioned && dxf_dims::replaced(l)) {
                out.shape(&name, &l.style, e, &e.shape)?;
            }
            if !dimensioned {
                out.label(&name, e);
            }
            if let Some(sym) = &l.style.symbol {
                out.insert(&name, sym, e, 1.0 / d.units.metres().unwrap_or(1.0));
            }
        }
    }
    let Entities { w, buf, .. } = out;
    w.write_all(&buf)?;
    w.write_all(sk.tail.as_bytes())?;
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
    pair(&mut s, 9, "$DWGCODEPAGE");
    pair(&mut s, 3, "ANSI_1252");
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
    pair(s, 70, 2);
    for (name, font) in [
        ("STANDARD", "txt"),
        (crate::dxf_dims::TEXT_STYLE, "arial.ttf"),
    ] {
        pair(s, 0, "STYLE");
        pair(s, 2, name);
        pair(s, 70, 0);
        pair(s, 40, 0.0);
        pair(s, 41, 1.0);
        pair(s, 50, 0.0);
        pair(s, 71, 0);
        pair(s, 42, 2.5);
        pair(s, 3, font);
        pair(s, 4, "");
    }
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
        pair(s, 1, r12_text(text));
        pair(s, 7, crate::dxf_dims::TEXT_STYLE);
        pair(s, 72, 1);
        pair(s, 11, at.x);
        pair(s, 21, at.y);
        pair(s, 31, 0.0);
        pair(s, 73, 2);
    }
}

/// R12 text: one line, every character beyond ASCII as `\U+XXXX` (R12
/// files are read in their code page, so UTF-8 bytes come out as
/// mojibake: "·" as "Â·"; AutoCAD, LibreCAD and ezdxf decode the escape).
fn r12_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in group_text(s).chars() {
        if c.is_ascii() {
            out.push(c);
        } else {
            let mut units = [0u16; 2];
            for u in c.encode_utf16(&mut units) {
                let _ = write!(out, "\\U+{u:04X}");
            }
        }
    }
    out
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
    fn line_breaks_in_strings_never_break_the_group_pairs() {
        let mut d = drawing(Coord { x: 4.0, y: 3.0 });
        let e = &mut d.layers[0].entities[0];
        e.label = Some("two\nlines\r\nand\u{0}a NUL".into());
        e.attributes.push((
            "note\n".into(),
            Value::Text("first\nsecond\rthird\u{1b}[0m".into()),
        ));
        for version in [DxfVersion::R12, DxfVersion::R2007, DxfVersion::R2018] {
            let mut out = Vec::new();
            let o = DxfOptions {
                version,
                ..Default::default()
            };
            write_dxf(&d, &mut out, &o).unwrap();
            let text = String::from_utf8_lossy(&out);
            let lines: Vec<&str> = text.split("\r\n").collect();
            // codes and values alternate to the end: 0 / EOF, then ""
            assert_eq!(lines.len() % 2, 1, "{version:?}");
            for pair in lines.chunks(2).filter(|p| p.len() == 2) {
                assert!(
                    pair[0].trim().parse::<i32>().is_ok(),
                    "{version:?}: {pair:?}"
                );
                assert!(
                    !pair[1].contains(['\n', '\r', '\0', '\u{1b}']),
                    "{version:?}"
                );
            }
            assert!(text.contains("first second third"), "{version:?}");
        }
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
    fn numbers_are_written_to_the_micro_unit() {
        let show = |v: f64| {
            let mut b = Vec::new();
            push_num(&mut b, v);
            String::from_utf8(b).unwrap()
        };
        assert_eq!(show(0.0), "0.0");
        assert_eq!(show(-0.000_000_1), "0.0");
        assert_eq!(show(427_009.613_035_434_57), "427009.613035");
        assert_eq!(show(-12.5), "-12.5");
        assert_eq!(show(4_622_184.000_000_4), "4622184.0");
        assert_eq!(show(0.000_001), "0.000001");
        assert_eq!(show(1e13), "10000000000000");
        for v in [3.25, -7.125, 1234.5678, 0.1] {
            assert_eq!(show(v).parse::<f64>().unwrap(), v);
        }
    }

    #[test]
    fn the_handle_seed_is_past_every_entity() {
        let d = drawing(Coord { x: 4.0, y: 3.0 });
        let mut out = Vec::new();
        write_dxf(&d, &mut out, &DxfOptions::default()).unwrap();
        let s = String::from_utf8(out).unwrap();
        let p = pairs(&s);
        let at = p.iter().position(|x| x.2 == "$HANDSEED").unwrap() + 1;
        let seed = u64::from_str_radix(p[at].2, 16).unwrap();
        let max = p
            .iter()
            .enumerate()
            .filter(|(i, (_, c, _))| *c == "5" && *i != at)
            .map(|(_, x)| x)
            .map(|(_, _, v)| u64::from_str_radix(v, 16).unwrap())
            .max()
            .unwrap();
        assert_eq!(seed, max + 1);
        // one closed LWPOLYLINE, its HATCH and its MTEXT label
        assert_eq!(handles_needed(&d, true), 3);
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
