//! A printable sheet: the drawing at a standard scale on a standard paper
//! size, with a frame, a side column holding the north arrow, the scale
//! (as text and as a bar), the legend of the layers present and the title
//! block, and labels placed without collisions ([`crate::labels`]).
//!
//! The sheet is an SVG document in millimetres (`width="…mm"`, a viewBox in
//! mm), so a PDF converter or a browser prints it at its true size; the
//! PDF writer ([`crate::pdf`]) converts this same document.
//!
//! ```
//! use planform_export::sheet::{Paper, Scale, SheetOptions, fit};
//! # let d = planform_export::Drawing { layers: vec![planform_export::Layer {
//! #   name: "parcel".into(), style: Default::default(), fields: vec![],
//! #   entities: vec![planform_export::Entity { label: None, attributes: vec![],
//! #     shape: planform_export::Shape::Polyline(vec![(0.0, 0.0), (30.0, 40.0)].into()) }] }],
//! #   ..Default::default() };
//! // a 30 m x 40 m lot fits on A4 at 1:250
//! let layout = fit(&d, &SheetOptions::default())?;
//! assert_eq!(layout.paper, Paper::A4);
//! assert_eq!(layout.scale, Scale::metric(250));
//! # Ok::<(), planform_export::ExportError>(())
//! ```

use std::fmt::Write as _;
use std::io::Write;

use geo_types::{Coord, LineString};

use crate::drawing::{Drawing, Shape, Style, Units};
use crate::error::{ExportError, Result};
use crate::labels::{self, Rect, Request};
use crate::svg::{escape, num};

/// The font families a sheet asks for, in order.
pub const FONT_FAMILY: &str = "DejaVu Sans, Liberation Sans, Arial, Helvetica, sans-serif";

/// A standard paper size.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Paper {
    /// ANSI A, 8.5 × 11 in.
    Letter,
    /// ANSI B, 11 × 17 in.
    Tabloid,
    /// ANSI C, 17 × 22 in.
    AnsiC,
    /// ANSI D, 22 × 34 in.
    AnsiD,
    /// ANSI E, 34 × 44 in.
    AnsiE,
    /// ARCH C, 18 × 24 in.
    ArchC,
    /// ARCH D, 24 × 36 in.
    ArchD,
    /// ARCH E, 36 × 48 in.
    ArchE,
    /// ISO A4, 210 × 297 mm.
    A4,
    /// ISO A3, 297 × 420 mm.
    A3,
    /// ISO A2, 420 × 594 mm.
    A2,
    /// ISO A1, 594 × 841 mm.
    A1,
    /// ISO A0, 841 × 1189 mm.
    A0,
}

impl Paper {
    /// Every size, US sizes first.
    pub const ALL: [Paper; 13] = [
        Paper::Letter,
        Paper::Tabloid,
        Paper::AnsiC,
        Paper::AnsiD,
        Paper::AnsiE,
        Paper::ArchC,
        Paper::ArchD,
        Paper::ArchE,
        Paper::A4,
        Paper::A3,
        Paper::A2,
        Paper::A1,
        Paper::A0,
    ];

    /// The sizes tried, smallest first, for drawings in feet (US sheets)
    /// and in metres (ISO sheets).
    fn series(imperial: bool) -> &'static [Paper] {
        if imperial {
            &[
                Paper::Letter,
                Paper::Tabloid,
                Paper::AnsiC,
                Paper::AnsiD,
                Paper::AnsiE,
            ]
        } else {
            &[Paper::A4, Paper::A3, Paper::A2, Paper::A1, Paper::A0]
        }
    }

    /// (short side, long side) in millimetres.
    pub fn size_mm(self) -> (f64, f64) {
        let inch = |a: f64, b: f64| (a * 25.4, b * 25.4);
        match self {
            Paper::Letter => inch(8.5, 11.0),
            Paper::Tabloid => inch(11.0, 17.0),
            Paper::AnsiC => inch(17.0, 22.0),
            Paper::AnsiD => inch(22.0, 34.0),
            Paper::AnsiE => inch(34.0, 44.0),
            Paper::ArchC => inch(18.0, 24.0),
            Paper::ArchD => inch(24.0, 36.0),
            Paper::ArchE => inch(36.0, 48.0),
            Paper::A4 => (210.0, 297.0),
            Paper::A3 => (297.0, 420.0),
            Paper::A2 => (420.0, 594.0),
            Paper::A1 => (594.0, 841.0),
            Paper::A0 => (841.0, 1189.0),
        }
    }

    /// The name `--paper` takes (`letter`, `tabloid`, `ansi-c`, `arch-d`,
    /// `a3`, …).
    pub fn name(self) -> &'static str {
        match self {
            Paper::Letter => "letter",
            Paper::Tabloid => "tabloid",
            Paper::AnsiC => "ansi-c",
            Paper::AnsiD => "ansi-d",
            Paper::AnsiE => "ansi-e",
            Paper::ArchC => "arch-c",
            Paper::ArchD => "arch-d",
            Paper::ArchE => "arch-e",
            Paper::A4 => "a4",
            Paper::A3 => "a3",
            Paper::A2 => "a2",
            Paper::A1 => "a1",
            Paper::A0 => "a0",
        }
    }

    /// How the title block names it (`Letter 8.5 × 11 in`, `A3 297 × 420 mm`).
    pub fn describe(self) -> String {
        let (a, b) = self.size_mm();
        let upper = self.name().to_ascii_uppercase();
        if matches!(
            self,
            Paper::A4 | Paper::A3 | Paper::A2 | Paper::A1 | Paper::A0
        ) {
            format!("{upper} {a} × {b} mm")
        } else {
            let label = match self {
                Paper::Letter => "Letter".to_owned(),
                Paper::Tabloid => "Tabloid".to_owned(),
                _ => upper,
            };
            format!("{label} {} × {} in", num(a / 25.4, 1), num(b / 25.4, 1))
        }
    }

    /// Parses a `--paper` name (case-insensitive; `ansi-a`, `ansi-b`,
    /// `ledger` and the names without hyphen are accepted too).
    pub fn parse(s: &str) -> Result<Self> {
        let k = s.trim().to_ascii_lowercase().replace(['-', '_', ' '], "");
        let found = match k.as_str() {
            "ansia" => Some(Paper::Letter),
            "ansib" | "ledger" => Some(Paper::Tabloid),
            _ => Paper::ALL
                .into_iter()
                .find(|p| p.name().replace('-', "") == k),
        };
        found.ok_or_else(|| {
            let names: Vec<&str> = Paper::ALL.iter().map(|p| p.name()).collect();
            ExportError::Option(format!("paper {s:?}: expected one of {}", names.join(", ")))
        })
    }
}

/// A drawing scale: one unit on paper is `ratio` units on the ground.
#[derive(Debug, Clone, PartialEq)]
pub struct Scale {
    /// Ground length per paper length (200 for 1:200, 240 for 1" = 20').
    pub ratio: f64,
    /// How it is printed (`1:200`, `1" = 20'`).
    pub label: String,
}

impl Scale {
    /// The metric scale 1:`n`.
    pub fn metric(n: u32) -> Self {
        Self {
            ratio: f64::from(n),
            label: format!("1:{n}"),
        }
    }

    /// The engineer's scale 1" = `feet`'.
    pub fn engineer(feet: u32) -> Self {
        Self {
            ratio: f64::from(feet) * 12.0,
            label: format!("1\" = {feet}'"),
        }
    }

    /// Parses `1:200`, `200`, `1"=20'`, `1in=20ft` (spaces allowed).
    pub fn parse(s: &str) -> Result<Self> {
        let bad = || {
            ExportError::Option(format!(
                "scale {s:?}: expected 1:N (1:200) or an engineer's scale (1\"=20')"
            ))
        };
        let k: String = s.chars().filter(|c| !c.is_whitespace()).collect();
        let k = k.to_ascii_lowercase();
        let positive = |v: &str| {
            v.parse::<u32>()
                .ok()
                .filter(|n| (1..=10_000_000).contains(n))
        };
        if let Some(rest) = k.strip_prefix("1:") {
            return positive(rest).map(Scale::metric).ok_or_else(bad);
        }
        if let Some(n) = positive(&k) {
            return Ok(Scale::metric(n));
        }
        let (inch, feet) = k.split_once('=').ok_or_else(bad)?;
        if !matches!(inch, "1\"" | "1in") {
            return Err(bad());
        }
        let feet = feet
            .strip_suffix('\'')
            .or_else(|| feet.strip_suffix("ft"))
            .ok_or_else(bad)?;
        positive(feet).map(Scale::engineer).ok_or_else(bad)
    }

    /// The standard scales, most detailed first: metric 1, 2, 2.5, 5 × 10ⁿ
    /// from 1:50, or the engineer's 1" = 10, 20, 30, 40, 50, 60' × 10ⁿ.
    pub fn standard(imperial: bool) -> Vec<Scale> {
        let mut out = Vec::new();
        for e in 0..6u32 {
            let p = 10u32.pow(e);
            if imperial {
                for f in [10, 20, 30, 40, 50, 60] {
                    out.push(Scale::engineer(f * p));
                }
            } else {
                for m in [10, 20, 25, 50] {
                    if m * p >= 50 {
                        out.push(Scale::metric(m * p));
                    }
                }
            }
        }
        out
    }
}

/// The title block's contents: a heading (the address) and rows of
/// (label, value). The sheet adds its own `Scale` and `Sheet` rows.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TitleBlock {
    /// The heading.
    pub title: String,
    /// (label, value) rows, in order.
    pub rows: Vec<(String, String)>,
}

/// Sheet settings.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SheetOptions {
    /// The paper (`None`: the smallest standard size that holds the
    /// drawing at a site-plan scale).
    pub paper: Option<Paper>,
    /// The scale (`None`: the most detailed standard scale that fits).
    pub scale: Option<Scale>,
    /// The title block.
    pub title: TitleBlock,
    /// Legend names by layer (layers not listed get a name from their own).
    pub legend: Vec<(String, String)>,
    /// Leave out entity labels.
    pub no_labels: bool,
}

/// Where the sheet put things.
#[derive(Debug, Clone, PartialEq)]
pub struct SheetLayout {
    /// The paper.
    pub paper: Paper,
    /// Long side horizontal.
    pub landscape: bool,
    /// Page width and height, mm.
    pub size_mm: (f64, f64),
    /// The scale.
    pub scale: Scale,
    /// The drawing area on the page (mm, y down).
    pub area: Rect,
    /// Labels left out for want of room.
    pub dropped_labels: usize,
}

/// Frame thickness, margins and the side column.
pub(crate) const MARGIN: f64 = 10.0;
const GAP: f64 = 4.0;

pub(crate) fn column_width(page_w: f64) -> f64 {
    (page_w * 0.24).clamp(62.0, 95.0)
}

/// The drawing area of a page of width `w` and height `h`.
fn area_of(w: f64, h: f64) -> Rect {
    Rect {
        x0: MARGIN + GAP,
        y0: MARGIN + GAP,
        x1: w - MARGIN - column_width(w) - GAP,
        y1: h - MARGIN - GAP,
    }
}

/// The scales a site plan prints at by default: detailed (1:250, 1" = 20')
/// on the smaller sheets, else at most 1:500 and 1" = 50'.
const DETAIL_METRIC: f64 = 250.0;
const DETAIL_ENGINEER: f64 = 240.0;
const SITE_LIMIT_METRIC: f64 = 500.0;
const SITE_LIMIT_ENGINEER: f64 = 600.0;

/// Chooses the paper, orientation and scale for `d` (see [`SheetOptions`]):
/// given both a paper and a scale, the drawing must fit them.
pub fn fit(d: &Drawing, o: &SheetOptions) -> Result<SheetLayout> {
    let metres = d.units.metres().ok_or_else(|| {
        ExportError::Option(format!(
            "a sheet at a scale needs a drawing in metres or feet, not {}",
            d.units.as_str()
        ))
    })?;
    let b = d
        .bounds()
        .ok_or_else(|| ExportError::Empty("no coordinates".into()))?;
    // the drawing's extent on the ground, in millimetres
    let (gx, gy) = (
        (b[2] - b[0]) * metres * 1000.0,
        (b[3] - b[1]) * metres * 1000.0,
    );
    let imperial = d.units == Units::Feet;
    let scales = match &o.scale {
        Some(s) => vec![s.clone()],
        None => Scale::standard(imperial),
    };
    let papers: Vec<Paper> = match o.paper {
        Some(p) => vec![p],
        None => Paper::series(imperial).to_vec(),
    };
    // a page, both ways round, and the most detailed scale that fits it
    let on = |p: Paper, limit: f64| -> Option<(bool, Scale, Rect, (f64, f64))> {
        let (s, l) = p.size_mm();
        let mut best: Option<(bool, Scale, Rect, (f64, f64))> = None;
        for (landscape, (w, h)) in [(true, (l, s)), (false, (s, l))] {
            let a = area_of(w, h);
            let fits = scales.iter().find(|sc| {
                sc.ratio <= limit
                    && gx / sc.ratio <= (a.x1 - a.x0) * 0.96
                    && gy / sc.ratio <= (a.y1 - a.y0) * 0.96
            });
            if let Some(sc) = fits
                && best.as_ref().is_none_or(|b| sc.ratio < b.1.ratio)
            {
                best = Some((landscape, sc.clone(), a, (w, h)));
            }
        }
        best
    };
    // unless told: a detailed scale (1:250, 1" = 20') on the two smaller
    // sheets, else a site-plan scale (1:500, 1" = 50') on the three
    // smaller, else the second size at whatever scale fits (the larger
    // sheets only when asked for, by --paper or by a --scale that needs
    // them)
    let free = o.scale.is_none() && o.paper.is_none();
    let passes: Vec<(usize, f64)> = if free {
        let (fine, site) = if imperial {
            (DETAIL_ENGINEER, SITE_LIMIT_ENGINEER)
        } else {
            (DETAIL_METRIC, SITE_LIMIT_METRIC)
        };
        vec![(2, fine), (3, site)]
    } else {
        vec![(papers.len(), f64::INFINITY)]
    };
    let chosen = passes
        .iter()
        .find_map(|&(n, limit)| {
            papers[..n.min(papers.len())]
                .iter()
                .find_map(|&p| on(p, limit).map(|f| (p, f)))
        })
        .or_else(|| {
            let p = o.paper.unwrap_or(papers[1.min(papers.len() - 1)]);
            on(p, f64::INFINITY).map(|f| (p, f))
        });
    let Some((paper, (landscape, scale, area, size_mm))) = chosen else {
        return Err(ExportError::Option(match (&o.paper, &o.scale) {
            (Some(p), Some(s)) => format!(
                "at {} the drawing is {:.0} × {:.0} mm, larger than {}'s drawing area",
                s.label,
                gx / s.ratio,
                gy / s.ratio,
                p.describe()
            ),
            (None, Some(s)) => format!(
                "at {} the drawing is {:.0} × {:.0} mm, larger than every standard sheet",
                s.label,
                gx / s.ratio,
                gy / s.ratio
            ),
            _ => "the drawing is too large for any standard scale".to_owned(),
        }));
    };
    Ok(SheetLayout {
        paper,
        landscape,
        size_mm,
        scale,
        area,
        dropped_labels: 0,
    })
}

/// Drawing coordinates → page millimetres.
struct Frame {
    k: f64,
    cx: f64,
    cy: f64,
    px: f64,
    py: f64,
}

impl Frame {
    fn pt(&self, c: Coord<f64>) -> (f64, f64) {
        (
            self.px + (c.x - self.cx) * self.k,
            self.py - (c.y - self.cy) * self.k,
        )
    }

    fn path(&self, ring: &LineString<f64>, out: &mut String, close: bool) {
        for (i, c) in ring.0.iter().enumerate() {
            let (x, y) = self.pt(*c);
            let _ = write!(
                out,
                "{}{} {}",
                if i == 0 { "M" } else { " L" },
                num(x, 3),
                num(y, 3)
            );
        }
        if close {
            out.push_str(" Z");
        }
    }
}

/// A style's attributes on the sheet: line weights and dashes in paper
/// millimetres (dashes three times the style's).
fn style_attrs(s: &Style, area: bool) -> String {
    crate::svg::style_attrs(s, (1.0, 3.0, 3), area)
}

fn entity(s: &mut String, f: &Frame, shape: &Shape, style: &Style) {
    match shape {
        Shape::Multi(parts) => {
            for part in parts {
                entity(s, f, part, style);
            }
        }
        Shape::Point(c) => {
            let (x, y) = f.pt(*c);
            let _ = writeln!(
                s,
                r#"<circle cx="{}" cy="{}" r="1.2" {}/>"#,
                num(x, 3),
                num(y, 3),
                style_attrs(style, true)
            );
        }
        Shape::Polyline(l) => {
            let mut d = String::new();
            f.path(l, &mut d, false);
            let _ = writeln!(s, r#"<path d="{d}" {}/>"#, style_attrs(style, false));
        }
        Shape::Area(poly) => {
            let d = crate::svg::polygon_d(poly, |r, d| f.path(r, d, true));
            let _ = writeln!(s, r#"<path d="{d}" {}/>"#, style_attrs(style, true));
        }
    }
}

/// A layer's legend name: the options' name, else a few known layers'
/// plain names, else the layer name with its first letter capitalised.
fn legend_name(layer: &str, o: &SheetOptions) -> String {
    if let Some((_, n)) = o.legend.iter().find(|(l, _)| l == layer) {
        return n.clone();
    }
    let known = match layer {
        "parcel" => "Property line",
        "parcel-sides" => "Lot lines (role, length)",
        "dimensions" => "Lot line lengths",
        "building" => "Building",
        "yards" => "Yards",
        "buildable-envelope" => "Buildable envelope",
        "fence-layout" => "Proposed fence",
        "gates" => "Gates",
        "setbacks" => "Setback (actual, required)",
        "setbacks-short" => "Setback short of minimum",
        "tree" => "Trees",
        "hedge" => "Hedges",
        "fence" => "Fences",
        "pool" => "Pools",
        "vehicle" => "Vehicles",
        "structure" => "Structures",
        "amenity" => "Amenities",
        "driveway" => "Driveways",
        "surface" => "Surfaces",
        _ => "",
    };
    if !known.is_empty() {
        return known.to_owned();
    }
    let mut cs = layer.replace(['-', '_'], " ").chars().collect::<Vec<_>>();
    if let Some(c) = cs.first_mut() {
        *c = c.to_ascii_uppercase();
    }
    cs.into_iter().collect()
}

/// Splits `text` into lines no wider than `width` at font size `size`
/// (words longer than a line are cut with an ellipsis).
fn wrap(text: &str, width: f64, size: f64) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        let candidate = if line.is_empty() {
            word.to_owned()
        } else {
            format!("{line} {word}")
        };
        if labels::text_width(&candidate, size) <= width || line.is_empty() {
            line = candidate;
        } else {
            lines.push(std::mem::take(&mut line));
            word.clone_into(&mut line);
        }
    }
    if !line.is_empty() {
        lines.push(line);
    }
    for l in &mut lines {
        while labels::text_width(l, size) > width && l.chars().count() > 1 {
            l.pop();
            l.pop();
            l.push('…');
        }
    }
    lines
}

/// One text line of the side column.
fn text(s: &mut String, x: f64, y: f64, size: f64, bold: bool, t: &str) {
    let _ = writeln!(
        s,
        r#"<text x="{}" y="{}" font-size="{}"{}>{}</text>"#,
        num(x, 2),
        num(y, 2),
        num(size, 2),
        if bold { r#" font-weight="bold""# } else { "" },
        escape(t)
    );
}

/// Writes `d` as a sheet (see the module documentation) and returns where
/// things went.
pub fn write_sheet(d: &Drawing, w: &mut dyn Write, o: &SheetOptions) -> Result<SheetLayout> {
    d.check_finite()?;
    let mut layout = fit(d, o)?;
    let metres = d.units.metres().unwrap_or(1.0);
    let b = d
        .bounds()
        .ok_or_else(|| ExportError::Empty("no coordinates".into()))?;
    let a = layout.area;
    let f = Frame {
        k: metres * 1000.0 / layout.scale.ratio,
        cx: f64::midpoint(b[0], b[2]),
        cy: f64::midpoint(b[1], b[3]),
        px: f64::midpoint(a.x0, a.x1),
        py: f64::midpoint(a.y0, a.y1),
    };
    let (pw, ph) = layout.size_mm;
    let mut s = String::new();
    let _ = writeln!(s, r#"<?xml version="1.0" encoding="UTF-8"?>"#);
    let _ = writeln!(
        s,
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{0}mm" height="{1}mm" viewBox="0 0 {0} {1}" font-family="{FONT_FAMILY}">"#,
        num(pw, 2),
        num(ph, 2)
    );
    let title = heading(d, o);
    let _ = writeln!(s, "<title>{}</title>", escape(&title));
    let _ = writeln!(
        s,
        r#"<rect id="background" x="0" y="0" width="{}" height="{}" fill="white"/>"#,
        num(pw, 2),
        num(ph, 2)
    );
    let _ = writeln!(
        s,
        r#"<defs><clipPath id="drawing-area"><rect x="{}" y="{}" width="{}" height="{}"/></clipPath></defs>"#,
        num(a.x0, 2),
        num(a.y0, 2),
        num(a.x1 - a.x0, 2),
        num(a.y1 - a.y0, 2)
    );
    let _ = writeln!(s, r#"<g id="drawing" clip-path="url(#drawing-area)">"#);
    let mut requests = Vec::new();
    for layer in &d.layers {
        crate::svg::open_layer(&mut s, &layer.name);
        for e in &layer.entities {
            entity(&mut s, &f, &e.shape, &layer.style);
        }
        let _ = writeln!(s, "</g>");
        if o.no_labels {
            continue;
        }
        for e in &layer.entities {
            let Some(t) = &e.label else { continue };
            requests.push(request(&f, d, layer.name.as_str(), &e.shape, t));
        }
    }
    let _ = writeln!(s, "</g>");
    // lot lines first, then areas, then the rest
    requests.sort_by_key(|(rank, _)| *rank);
    let requests: Vec<Request> = requests.into_iter().map(|(_, r)| r).collect();
    let placement = labels::place(&requests, a, &[]);
    layout.dropped_labels = placement.dropped.len();
    let _ = writeln!(s, r#"<g id="labels">"#);
    for l in &placement.placed {
        if let Some((p, q)) = l.leader {
            let _ = writeln!(
                s,
                r##"<path d="M{} {} L{} {}" stroke="#555555" stroke-width="0.13" fill="none"/>"##,
                num(p.0, 2),
                num(p.1, 2),
                num(q.0, 2),
                num(q.1, 2)
            );
        }
        let _ = writeln!(
            s,
            r#"<text x="{}" y="{}" font-size="{}" text-anchor="middle" dominant-baseline="central">{}</text>"#,
            num(l.at.0, 2),
            num(l.at.1, 2),
            num(l.size, 2),
            escape(&l.text)
        );
    }
    let _ = writeln!(s, "</g>");
    column(&mut s, d, o, &layout, &title);
    let _ = writeln!(s, "</svg>");
    w.write_all(s.as_bytes())?;
    Ok(layout)
}

/// The sheet's heading: the title block's, else the drawing's title.
pub(crate) fn heading(d: &Drawing, o: &SheetOptions) -> String {
    if o.title.title.is_empty() {
        d.title.clone().unwrap_or_else(|| "Plan".to_owned())
    } else {
        o.title.title.clone()
    }
}

/// A label request for an entity: a lot line's label goes outside the lot
/// (its outward normal first), others on their anchor.
fn request(f: &Frame, d: &Drawing, layer: &str, shape: &Shape, t: &str) -> (u8, Request) {
    let anchor = f.pt(shape.anchor());
    let side = matches!(layer, "parcel-sides" | "dimensions");
    let prefer = match shape {
        Shape::Polyline(l) if side && l.0.len() >= 2 => outward(f, d, l),
        _ => None,
    };
    let rank = match (side, shape) {
        (true, _) => 0,
        (false, Shape::Area(_)) => 1,
        _ => 2,
    };
    (
        rank,
        Request {
            text: t.to_owned(),
            anchor,
            size: if side { 2.2 } else { 2.0 },
            prefer,
        },
    )
}

/// The unit normal (on the page) pointing out of the lot at a side's
/// middle: the side of the line where a point just off it is not inside
/// the parcel.
fn outward(f: &Frame, d: &Drawing, l: &LineString<f64>) -> Option<(f64, f64)> {
    let mid = Shape::Polyline(l.clone()).anchor();
    let (p, q) = (f.pt(l.0[0]), f.pt(l.0[l.0.len() - 1]));
    let (dx, dy) = (q.0 - p.0, q.1 - p.1);
    let n = dx.hypot(dy);
    if n <= 0.0 {
        return None;
    }
    let normal = (dy / n, -dx / n);
    // a millimetre off the line, back in drawing units (y up)
    let probe = Coord {
        x: mid.x + normal.0 / f.k,
        y: mid.y - normal.1 / f.k,
    };
    let inside = d.covers("parcel", probe);
    Some(if inside {
        (-normal.0, -normal.1)
    } else {
        normal
    })
}

/// The frame and the side column: north arrow, scale, legend, notes,
/// title block.
fn column(s: &mut String, d: &Drawing, o: &SheetOptions, layout: &SheetLayout, title: &str) {
    let (pw, ph) = layout.size_mm;
    let cw = column_width(pw);
    let x0 = pw - MARGIN - cw;
    let (inner_l, inner_r) = (x0 + 4.0, pw - MARGIN - 4.0);
    let width = inner_r - inner_l;
    let _ = writeln!(
        s,
        r#"<g id="frame" fill="none" stroke="black"><rect x="{m}" y="{m}" width="{}" height="{}" stroke-width="0.5"/><path d="M{} {m} L{} {}" stroke-width="0.35"/></g>"#,
        num(pw - 2.0 * MARGIN, 2),
        num(ph - 2.0 * MARGIN, 2),
        num(x0, 2),
        num(x0, 2),
        num(ph - MARGIN, 2),
        m = num(MARGIN, 2),
    );
    north_and_scale(s, d, layout, inner_l, inner_r);
    let block_top = title_block(s, o, layout, title, (x0, inner_l, width));
    legend(s, d, o, layout, (inner_l, width), block_top);
}

/// The north arrow (grid north of the projected frame) and the scale, as
/// text and as a bar, at the top of the column.
fn north_and_scale(s: &mut String, d: &Drawing, layout: &SheetLayout, inner_l: f64, inner_r: f64) {
    let top = MARGIN + 6.0;
    let cx = inner_l + 6.0;
    let _ = writeln!(
        s,
        r#"<g id="north-arrow"><path d="M{} {} L{} {} L{} {} L{} {} Z" fill="black"/>"#,
        num(cx, 2),
        num(top + 4.0, 2),
        num(cx + 4.0, 2),
        num(top + 16.0, 2),
        num(cx, 2),
        num(top + 13.0, 2),
        num(cx - 4.0, 2),
        num(top + 16.0, 2)
    );
    text(s, cx - 1.6, top + 2.6, 3.5, true, "N");
    let _ = writeln!(s, "</g>");
    let _ = writeln!(s, r#"<g id="scale">"#);
    let sx = inner_l + 16.0;
    text(
        s,
        sx,
        top + 4.0,
        3.0,
        true,
        &format!("SCALE {}", layout.scale.label),
    );
    if d.units == Units::Feet && layout.scale.label.contains('"') {
        text(
            s,
            sx,
            top + 8.5,
            2.2,
            false,
            &format!("(1:{})", num(layout.scale.ratio, 0)),
        );
    }
    // the bar: a round ground length near 40 mm of paper, in four parts
    let metres = d.units.metres().unwrap_or(1.0);
    let mm_per_unit = metres * 1000.0 / layout.scale.ratio;
    let bar_units = crate::svg::nice((inner_r - sx - 8.0).min(48.0) / mm_per_unit);
    let bar = bar_units * mm_per_unit;
    let by = top + 12.0;
    for i in 0..4 {
        let fill = if i % 2 == 0 { "black" } else { "white" };
        let _ = writeln!(
            s,
            r#"<rect x="{}" y="{}" width="{}" height="1.6" fill="{fill}" stroke="black" stroke-width="0.18"/>"#,
            num(sx + bar * f64::from(i) / 4.0, 2),
            num(by, 2),
            num(bar / 4.0, 2)
        );
    }
    for (t, x) in [
        ("0".to_owned(), sx),
        (num(bar_units / 2.0, 2), sx + bar / 2.0),
        (
            format!("{} {}", num(bar_units, 2), d.units.as_str()),
            sx + bar,
        ),
    ] {
        let _ = writeln!(
            s,
            r#"<text x="{}" y="{}" font-size="2" text-anchor="middle">{}</text>"#,
            num(x, 2),
            num(by + 4.6, 2),
            escape(&t)
        );
    }
    let _ = writeln!(s, "</g>");
}

/// The title block's lines, wrapped to `width` mm: (text height, bold,
/// text); the heading first, then a line per row (its label bold), the
/// sheet's own `Scale` and `Sheet` rows last. The SVG sheet and the DXF
/// layout print the same lines.
pub(crate) fn title_lines(
    o: &SheetOptions,
    layout: &SheetLayout,
    title: &str,
    width: f64,
) -> Vec<(f64, bool, String)> {
    let mut rows = o.title.rows.clone();
    rows.push(("Scale".into(), layout.scale.label.clone()));
    rows.push((
        "Sheet".into(),
        format!(
            "{}, {}",
            layout.paper.describe(),
            if layout.landscape {
                "landscape"
            } else {
                "portrait"
            }
        ),
    ));
    let mut block: Vec<(f64, bool, String)> = Vec::new();
    for t in wrap(title, width, HEADING) {
        block.push((HEADING, true, t));
    }
    for (k, v) in &rows {
        let lines = wrap(&format!("{k}: {v}"), width, ROW);
        for (i, l) in lines.into_iter().enumerate() {
            block.push((ROW, i == 0, l));
        }
    }
    block
}

/// Title block text heights, mm.
pub(crate) const HEADING: f64 = 3.5;
pub(crate) const ROW: f64 = 2.2;

/// The title block at the foot of the column; returns its top.
fn title_block(
    s: &mut String,
    o: &SheetOptions,
    layout: &SheetLayout,
    title: &str,
    (x0, inner_l, width): (f64, f64, f64),
) -> f64 {
    let (pw, ph) = layout.size_mm;
    let size = ROW;
    let block = title_lines(o, layout, title, width);
    let block_h: f64 = block.iter().map(|(sz, _, _)| sz * 1.45).sum::<f64>() + 4.0;
    let block_top = ph - MARGIN - block_h;
    let _ = writeln!(
        s,
        r#"<g id="title-block"><path d="M{} {} L{} {}" stroke="black" stroke-width="0.35"/>"#,
        num(x0, 2),
        num(block_top, 2),
        num(pw - MARGIN, 2),
        num(block_top, 2)
    );
    let mut y = block_top + 2.0;
    for (sz, bold, t) in &block {
        y += sz * 1.45;
        // only the heading is bold; rows print their label in bold
        if *sz > size {
            text(s, inner_l, y - sz * 0.35, *sz, *bold, t);
        } else if *bold && let Some((k, v)) = t.split_once(": ") {
            let _ = writeln!(
                s,
                r#"<text x="{}" y="{}" font-size="{}"><tspan font-weight="bold">{}:</tspan> {}</text>"#,
                num(inner_l, 2),
                num(y - sz * 0.35, 2),
                num(*sz, 2),
                escape(k),
                escape(v)
            );
        } else {
            text(s, inner_l, y - sz * 0.35, *sz, false, t);
        }
    }
    let _ = writeln!(s, "</g>");
    block_top
}

/// The legend of the layers present, in what is left between the scale
/// and the title block, and a note of labels left out.
fn legend(
    s: &mut String,
    d: &Drawing,
    o: &SheetOptions,
    layout: &SheetLayout,
    (inner_l, width): (f64, f64),
    block_top: f64,
) {
    let top = MARGIN + 6.0;
    let _ = writeln!(s, r#"<g id="legend">"#);
    let mut y = top + 24.0;
    text(s, inner_l, y, 2.8, true, "LEGEND");
    y += 2.0;
    let present: Vec<&crate::drawing::Layer> =
        d.layers.iter().filter(|l| !l.entities.is_empty()).collect();
    let step = 4.2;
    let room = ((block_top - 8.0 - y) / step).floor().max(0.0) as usize;
    let notes = usize::from(layout.dropped_labels > 0);
    let shown = if present.len() + notes > room {
        room.saturating_sub(1 + notes)
    } else {
        present.len()
    };
    for l in &present[..shown.min(present.len())] {
        y += step;
        let st = &l.style;
        let area = l
            .entities
            .iter()
            .any(|e| matches!(e.shape, Shape::Area(_) | Shape::Point(_)));
        if area && st.fill.is_some() {
            let _ = writeln!(
                s,
                r#"<rect x="{}" y="{}" width="8" height="3" {}/>"#,
                num(inner_l, 2),
                num(y - 2.6, 2),
                style_attrs(st, true)
            );
        } else {
            let _ = writeln!(
                s,
                r#"<path d="M{} {} L{} {}" {}/>"#,
                num(inner_l, 2),
                num(y - 1.1, 2),
                num(inner_l + 8.0, 2),
                num(y - 1.1, 2),
                style_attrs(st, false)
            );
        }
        let name = wrap(&legend_name(&l.name, o), width - 11.0, 2.2)
            .into_iter()
            .next()
            .unwrap_or_default();
        text(s, inner_l + 11.0, y, 2.2, false, &name);
    }
    if shown < present.len() {
        y += step;
        text(
            s,
            inner_l,
            y,
            2.2,
            false,
            &format!("and {} more layers", present.len() - shown),
        );
    }
    if layout.dropped_labels > 0 && y + step < block_top - 2.0 {
        y += step;
        let n = layout.dropped_labels;
        text(
            s,
            inner_l,
            y,
            2.0,
            false,
            &format!(
                "{n} label{} left out for room",
                if n == 1 { "" } else { "s" }
            ),
        );
    }
    let _ = writeln!(s, "</g>");
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::drawing::{Entity, Layer};

    fn lot(w: f64, h: f64, units: Units) -> Drawing {
        Drawing {
            layers: vec![Layer {
                name: "parcel".into(),
                style: crate::style::default_style("parcel"),
                entities: vec![Entity {
                    shape: Shape::Polyline(LineString::from(vec![
                        (0.0, 0.0),
                        (w, 0.0),
                        (w, h),
                        (0.0, h),
                        (0.0, 0.0),
                    ])),
                    label: Some("lot".into()),
                    attributes: vec![],
                }],
                fields: vec![],
            }],
            units,
            epsg: None,
            title: None,
        }
    }

    #[test]
    fn scales_and_papers_parse() {
        assert_eq!(Scale::parse("1:200").unwrap(), Scale::metric(200));
        assert_eq!(Scale::parse(" 500 ").unwrap(), Scale::metric(500));
        assert_eq!(Scale::parse("1\" = 20'").unwrap(), Scale::engineer(20));
        assert_eq!(Scale::parse("1in=40ft").unwrap().ratio, 480.0);
        for bad in ["", "1:0", "2:100", "1\"=x'", "1:-5", "abc"] {
            assert!(Scale::parse(bad).is_err(), "{bad}");
        }
        assert_eq!(Paper::parse("ANSI B").unwrap(), Paper::Tabloid);
        assert_eq!(Paper::parse("arch-d").unwrap(), Paper::ArchD);
        assert_eq!(Paper::parse("A3").unwrap(), Paper::A3);
        let e = Paper::parse("B5").unwrap_err().to_string();
        assert!(e.contains("letter") && e.contains("a3"), "{e}");
    }

    #[test]
    fn the_most_detailed_scale_on_the_smallest_sheet_that_holds_it() {
        // 30 x 40 m: A4 landscape drawing area is about 199 x 182 mm
        let l = fit(&lot(30.0, 40.0, Units::Metres), &SheetOptions::default()).unwrap();
        assert_eq!((l.paper, l.scale.label.as_str()), (Paper::A4, "1:250"));
        // a 120 x 100 m lot needs A3 at 1:500 (240 x 200 mm)
        let l = fit(&lot(120.0, 100.0, Units::Metres), &SheetOptions::default()).unwrap();
        assert_eq!((l.paper, l.scale.label.as_str()), (Paper::A3, "1:500"));
        // feet: engineer's scales on US sheets
        let l = fit(&lot(100.0, 130.0, Units::Feet), &SheetOptions::default()).unwrap();
        assert_eq!(l.paper, Paper::Letter);
        assert_eq!(l.scale.label, "1\" = 20'");
        // a county: the middle size at a small scale
        let l = fit(
            &lot(20_000.0, 9_000.0, Units::Metres),
            &SheetOptions::default(),
        )
        .unwrap();
        assert_eq!(l.paper, Paper::A3);
        assert!(l.scale.ratio >= 50_000.0);
    }

    #[test]
    fn a_fixed_paper_and_scale_must_hold_the_drawing() {
        let o = SheetOptions {
            paper: Some(Paper::A4),
            scale: Some(Scale::metric(100)),
            ..SheetOptions::default()
        };
        let e = fit(&lot(60.0, 40.0, Units::Metres), &o)
            .unwrap_err()
            .to_string();
        assert!(e.contains("1:100") && e.contains("600 × 400 mm"), "{e}");
        let o = SheetOptions {
            scale: Some(Scale::metric(100)),
            ..SheetOptions::default()
        };
        // 600 x 400 mm: A2's drawing area is about 471 mm wide, A1's 718
        assert_eq!(
            fit(&lot(60.0, 40.0, Units::Metres), &o).unwrap().paper,
            Paper::A1
        );
        let px = Drawing {
            units: Units::Pixels,
            ..lot(10.0, 10.0, Units::Metres)
        };
        assert!(fit(&px, &SheetOptions::default()).is_err());
    }

    #[test]
    fn the_sheet_is_a_page_in_millimetres_with_title_block_and_scale() {
        let o = SheetOptions {
            title: TitleBlock {
                title: "12 Oak Ave, Ennis, TX".into(),
                rows: vec![("Date".into(), "2026-12-07".into())],
            },
            ..SheetOptions::default()
        };
        let mut out = Vec::new();
        let l = write_sheet(&lot(30.0, 40.0, Units::Metres), &mut out, &o).unwrap();
        let s = String::from_utf8(out).unwrap();
        assert!(
            s.contains(r#"width="297mm" height="210mm" viewBox="0 0 297 210""#),
            "{s}"
        );
        assert!(s.contains("SCALE 1:250") && s.contains("12 Oak Ave, Ennis, TX"));
        assert!(s.contains("A4 210 × 297 mm, landscape"));
        assert_eq!(l.dropped_labels, 0);
        // the lot's 30 m side is 120 mm at 1:250
        let xs: Vec<f64> = s
            .lines()
            .find(|l| l.starts_with("<path d=\"M") && l.contains("stroke-dasharray"))
            .unwrap()
            .split(['M', 'L', ' ', '"'])
            .filter_map(|v| v.parse().ok())
            .collect();
        assert!((xs[2] - xs[0] - 120.0).abs() < 1e-6, "{xs:?}");
    }

    #[test]
    fn wrapping_keeps_lines_inside_the_width() {
        let lines = wrap(
            "a rather long address line, Springfield, Illinois 62704",
            40.0,
            2.2,
        );
        assert!(lines.len() > 1);
        assert!(lines.iter().all(|l| labels::text_width(l, 2.2) <= 40.0));
        let cut = wrap("Supercalifragilisticexpialidocious-and-more", 20.0, 2.2);
        assert!(cut[0].ends_with('…') && labels::text_width(&cut[0], 2.2) <= 20.0);
    }
}
