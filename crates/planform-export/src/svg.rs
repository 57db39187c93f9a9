//! SVG: a readable sheet. Layers are `<g>` groups with ids, styled per
//! layer; a legend, a scale bar, a north arrow and labels; the viewBox is
//! in drawing units (metres or feet) with y flipped so north is up; output
//! is deterministic (fixed precision, document order).

use std::fmt::Write as _;
use std::io::Write;

use geo_types::{Coord, LineString};

use crate::drawing::{Drawing, Shape, Style};
use crate::error::{ExportError, Result};

/// Sheet settings.
#[derive(Debug, Clone, PartialEq)]
pub struct SvgOptions {
    /// Sheet width in millimetres (line weights are in mm). Default 297 (A4 landscape).
    pub sheet_width_mm: f64,
    /// Margin around the drawing, as a fraction of its larger side. Default 0.06.
    pub margin: f64,
    /// Decimals of coordinates. Default 3 (mm when the unit is metres).
    pub precision: usize,
    /// Draw the legend, scale bar and north arrow. Default true.
    pub furniture: bool,
    /// Draw entity labels. Default true.
    pub labels: bool,
}

impl Default for SvgOptions {
    fn default() -> Self {
        Self {
            sheet_width_mm: 297.0,
            margin: 0.06,
            precision: 3,
            furniture: true,
            labels: true,
        }
    }
}

/// A number with at most `p` decimals, trailing zeros trimmed.
pub(crate) fn num(v: f64, p: usize) -> String {
    let s = format!("{v:.p$}");
    let s = if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_owned()
    } else {
        s
    };
    if s == "-0" { "0".to_owned() } else { s }
}

/// Text as XML character data or an attribute value: markup escaped, and
/// control characters (which XML 1.0 does not allow, tab and line breaks
/// aside) as spaces.
pub(crate) fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\t' | '\n' => out.push(c),
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

struct Frame {
    x0: f64,
    y1: f64,
    p: usize,
}

impl Frame {
    fn pt(&self, c: Coord<f64>) -> (String, String) {
        (num(c.x - self.x0, self.p), num(self.y1 - c.y, self.p))
    }

    fn path(&self, ring: &LineString<f64>, out: &mut String, close: bool) {
        for (i, c) in ring.0.iter().enumerate() {
            let (x, y) = self.pt(*c);
            let _ = write!(out, "{}{x} {y}", if i == 0 { "M" } else { " L" });
        }
        if close {
            out.push_str(" Z");
        }
    }
}

/// A style as SVG presentation attributes: line weights `unit_per_mm`
/// units per paper millimetre, `dash` units per dash unit of the style,
/// `p` decimals. The preview and the sheet share it.
pub(crate) fn style_attrs(
    s: &Style,
    (unit_per_mm, dash, p): (f64, f64, usize),
    area: bool,
) -> String {
    let mut a = format!(
        r#"stroke="{}" stroke-width="{}""#,
        s.stroke.hex(),
        num(s.line_weight_mm * unit_per_mm, p)
    );
    if s.stroke_opacity < 1.0 {
        let _ = write!(a, r#" stroke-opacity="{}""#, num(s.stroke_opacity, 2));
    }
    match (area, s.fill) {
        (true, Some(f)) => {
            let _ = write!(
                a,
                r#" fill="{}" fill-opacity="{}" fill-rule="evenodd""#,
                f.hex(),
                num(s.fill_opacity, 2)
            );
        }
        _ => a.push_str(r#" fill="none""#),
    }
    if let Some(d) = &s.dash {
        let d: Vec<String> = d.iter().map(|v| num(v * dash, p)).collect();
        let _ = write!(a, r#" stroke-dasharray="{}""#, d.join(" "));
    }
    a
}

/// An area's path data: its outer ring, then its holes.
pub(crate) fn polygon_d(
    poly: &geo_types::Polygon<f64>,
    path: impl Fn(&geo_types::LineString<f64>, &mut String),
) -> String {
    let mut d = String::new();
    path(poly.exterior(), &mut d);
    for h in poly.interiors() {
        d.push(' ');
        path(h, &mut d);
    }
    d
}

/// Opens a layer's group: `id` the name with spaces as underscores,
/// `data-layer` the name.
pub(crate) fn open_layer(s: &mut String, name: &str) {
    let _ = writeln!(
        s,
        r#"<g id="layer-{}" data-layer="{}">"#,
        escape(&name.replace(' ', "_")),
        escape(name)
    );
}

/// A round length near `target`: 1, 2 or 5 × 10ⁿ.
pub(crate) fn nice(target: f64) -> f64 {
    let e = target.log10().floor();
    let base = 10f64.powf(e);
    [5.0, 2.0, 1.0]
        .into_iter()
        .map(|m| m * base)
        .find(|v| *v <= target)
        .unwrap_or(base)
}

/// Writes the drawing as an SVG sheet.
pub fn write_svg(d: &Drawing, w: &mut dyn Write, o: &SvgOptions) -> Result<()> {
    d.check_finite()?;
    let b = d
        .bounds()
        .ok_or_else(|| ExportError::Empty("no coordinates".into()))?;
    let (dx, dy) = ((b[2] - b[0]).max(1e-9), (b[3] - b[1]).max(1e-9));
    let m = dx.max(dy) * o.margin;
    let (width, height) = (dx + 2.0 * m, dy + 2.0 * m);
    let f = Frame {
        x0: b[0] - m,
        y1: b[3] + m,
        p: o.precision,
    };
    let unit_per_mm = width / o.sheet_width_mm;
    let p = o.precision;
    let mut s = String::new();
    let _ = writeln!(s, r#"<?xml version="1.0" encoding="UTF-8"?>"#);
    let _ = writeln!(
        s,
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{}mm" height="{}mm" viewBox="0 0 {} {}">"#,
        num(o.sheet_width_mm, 2),
        num(o.sheet_width_mm * height / width, 2),
        num(width, p),
        num(height, p)
    );
    if let Some(t) = &d.title {
        let _ = writeln!(s, "<title>{}</title>", escape(t));
    }
    let _ = writeln!(
        s,
        r#"<rect id="background" x="0" y="0" width="{}" height="{}" fill="white"/>"#,
        num(width, p),
        num(height, p)
    );
    let font = num(2.5 * unit_per_mm, p);
    for layer in &d.layers {
        open_layer(&mut s, &layer.name);
        for e in &layer.entities {
            entity(&mut s, &f, &e.shape, &layer.style, unit_per_mm);
        }
        if o.labels {
            for e in &layer.entities {
                let Some(text) = &e.label else { continue };
                let at = e.shape.anchor();
                let (x, y) = f.pt(at);
                let _ = writeln!(
                    s,
                    r#"<text x="{x}" y="{y}" font-size="{font}" font-family="sans-serif" text-anchor="middle">{}</text>"#,
                    escape(text)
                );
            }
        }
        let _ = writeln!(s, "</g>");
    }
    if o.furniture {
        furniture(d, &mut s, width, height, unit_per_mm, p);
    }
    let _ = writeln!(s, "</svg>");
    w.write_all(s.as_bytes())?;
    Ok(())
}

fn entity(s: &mut String, f: &Frame, shape: &Shape, style: &Style, unit_per_mm: f64) {
    let p = f.p;
    match shape {
        Shape::Multi(parts) => {
            for part in parts {
                entity(s, f, part, style, unit_per_mm);
            }
        }
        Shape::Point(c) => {
            let (x, y) = f.pt(*c);
            let r = num(1.2 * unit_per_mm, p);
            let _ = writeln!(
                s,
                r#"<circle cx="{x}" cy="{y}" r="{r}" {}/>"#,
                style_attrs(style, (unit_per_mm, unit_per_mm * 4.0, p), true)
            );
        }
        Shape::Polyline(l) => {
            let mut d = String::new();
            f.path(l, &mut d, false);
            let _ = writeln!(
                s,
                r#"<path d="{d}" {}/>"#,
                style_attrs(style, (unit_per_mm, unit_per_mm * 4.0, p), false)
            );
        }
        Shape::Area(poly) => {
            let d = polygon_d(poly, |r, d| f.path(r, d, true));
            let _ = writeln!(
                s,
                r#"<path d="{d}" {}/>"#,
                style_attrs(style, (unit_per_mm, unit_per_mm * 4.0, p), true)
            );
        }
    }
}

/// Renders an SVG document to a PNG `width` pixels wide (1 to 16 384) on
/// white, with resvg and the system's fonts (feature `png`).
#[cfg(feature = "png")]
pub fn render_png(svg: &[u8], width: u32) -> Result<Vec<u8>> {
    use resvg::tiny_skia;
    if !(1..=16_384).contains(&width) {
        return Err(ExportError::Option(format!(
            "preview width {width}: expected 1 to 16384 pixels"
        )));
    }
    let tree = crate::fonts::parse(svg)?;
    let size = tree.size();
    let scale = width as f32 / size.width();
    let height = (size.height() * scale).ceil();
    if !(1.0..=16_384.0).contains(&height) {
        return Err(ExportError::Render(format!(
            "a {width} px wide preview would be {height} px high"
        )));
    }
    let mut pixmap = tiny_skia::Pixmap::new(width, height as u32)
        .ok_or_else(|| ExportError::Render("cannot allocate the image".into()))?;
    pixmap.fill(tiny_skia::Color::WHITE);
    resvg::render(
        &tree,
        tiny_skia::Transform::from_scale(scale, scale),
        &mut pixmap.as_mut(),
    );
    pixmap
        .encode_png()
        .map_err(|e| ExportError::Render(e.to_string()))
}

fn furniture(d: &Drawing, s: &mut String, width: f64, height: f64, u: f64, p: usize) {
    let font = 2.8 * u;
    // legend, top left
    let _ = writeln!(
        s,
        r#"<g id="legend" font-family="sans-serif" font-size="{}">"#,
        num(font, p)
    );
    for (i, layer) in d.layers.iter().enumerate() {
        let y = 4.0 * u + i as f64 * font * 1.4;
        let fill = layer
            .style
            .fill
            .map_or_else(|| "none".to_owned(), crate::drawing::Rgb::hex);
        let _ = writeln!(
            s,
            r#"<rect x="{}" y="{}" width="{}" height="{}" fill="{fill}" stroke="{}" stroke-width="{}"/><text x="{}" y="{}">{}</text>"#,
            num(3.0 * u, p),
            num(y - font * 0.8, p),
            num(font, p),
            num(font * 0.8, p),
            layer.style.stroke.hex(),
            num(0.2 * u, p),
            num(3.0 * u + font * 1.5, p),
            num(y, p),
            escape(&layer.name)
        );
    }
    let _ = writeln!(s, "</g>");
    // scale bar, bottom left: a round length near a fifth of the width
    let len = nice(width / 5.0);
    let (x, y) = (3.0 * u, height - 4.0 * u);
    let _ = writeln!(
        s,
        r#"<g id="scale-bar" font-family="sans-serif" font-size="{}"><rect x="{}" y="{}" width="{}" height="{}" fill="black"/><text x="{}" y="{}">{} {}</text></g>"#,
        num(font, p),
        num(x, p),
        num(y, p),
        num(len, p),
        num(0.8 * u, p),
        num(x, p),
        num(y - 1.0 * u, p),
        num(len, 3),
        d.units.as_str()
    );
    // north arrow, top right (grid north of the projected frame)
    let (cx, top) = (width - 6.0 * u, 4.0 * u);
    let h = 8.0 * u;
    let _ = writeln!(
        s,
        r#"<g id="north-arrow" font-family="sans-serif" font-size="{}"><path d="M{} {} L{} {} L{} {} Z" fill="black"/><text x="{}" y="{}" text-anchor="middle">N</text></g>"#,
        num(font, p),
        num(cx, p),
        num(top + font, p),
        num(cx + 2.0 * u, p),
        num(top + font + h, p),
        num(cx - 2.0 * u, p),
        num(top + font + h, p),
        num(cx, p),
        num(top + font * 0.9, p)
    );
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::drawing::{Entity, Layer, Units};
    use geo_types::polygon;

    #[test]
    fn numbers_and_nice_lengths() {
        assert_eq!(num(1.230_00, 3), "1.23");
        assert_eq!(num(2.0, 3), "2");
        assert_eq!(num(-0.0001, 3), "0");
        assert_eq!(nice(7.3), 5.0);
        assert_eq!(nice(23.0), 20.0);
        assert_eq!(nice(0.12), 0.1);
    }

    #[test]
    fn overflowing_coordinates_are_an_error_in_every_writer() {
        for y in [1.797e308, f64::INFINITY, f64::NAN, -2e12] {
            let d = Drawing {
                layers: vec![Layer {
                    name: "walls".into(),
                    style: crate::style::default_style("walls"),
                    entities: vec![Entity {
                        shape: Shape::Polyline(LineString::from(vec![(0.0, 0.0), (10.0, y)])),
                        label: None,
                        attributes: vec![],
                    }],
                    fields: vec![],
                }],
                units: Units::Metres,
                epsg: None,
                title: None,
            };
            let mut out = Vec::new();
            let e = write_svg(&d, &mut out, &SvgOptions::default()).unwrap_err();
            assert!(
                matches!(e, ExportError::NonFinite { index: 0, .. }),
                "{y}: {e}"
            );
            assert!(out.is_empty());
            let e = crate::dxf::write_dxf(&d, &mut out, &crate::dxf::DxfOptions::default())
                .unwrap_err();
            assert!(matches!(e, ExportError::NonFinite { .. }), "{y}: {e}");
            let dir = tempfile::tempdir().unwrap();
            let gpkg = dir.path().join("x.gpkg");
            let e = crate::gpkg::write_gpkg(&d, &gpkg, &crate::gpkg::GpkgOptions::default())
                .unwrap_err();
            assert!(matches!(e, ExportError::NonFinite { .. }), "{y}: {e}");
            assert!(!gpkg.exists());
        }
    }

    #[test]
    fn a_sheet_is_deterministic_and_flips_y() {
        let d = Drawing {
            layers: vec![Layer {
                name: "pool".into(),
                style: crate::style::default_style("pool"),
                entities: vec![Entity {
                    shape: Shape::Area(
                        polygon![(x: 0.0, y: 0.0), (x: 10.0, y: 0.0), (x: 10.0, y: 5.0), (x: 0.0, y: 5.0), (x: 0.0, y: 0.0)],
                    ),
                    label: Some("a & b".into()),
                    attributes: vec![],
                }],
                fields: vec![],
            }],
            units: Units::Metres,
            epsg: Some(32616),
            title: None,
        };
        let mut a = Vec::new();
        write_svg(&d, &mut a, &SvgOptions::default()).unwrap();
        let mut b = Vec::new();
        write_svg(&d, &mut b, &SvgOptions::default()).unwrap();
        assert_eq!(a, b);
        let s = String::from_utf8(a).unwrap();
        assert!(
            s.contains(r#"<g id="layer-pool""#)
                && s.contains("a &amp; b")
                && s.contains(r#"id="scale-bar""#)
        );
        // margin 0.6 m: the polygon's south-west corner (0, 0) maps to (0.6, 5.6)
        assert!(s.contains("M0.6 5.6"), "{s}");
    }
}
