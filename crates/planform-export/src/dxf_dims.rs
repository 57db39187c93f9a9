//! Aligned DIMENSION entities for DXF (R2000+), each with the `*D` block
//! that renders it, and the text and dimension styles they use.
//!
//! A CAD tool draws a dimension from its block, not from its definition
//! points: a DIMENSION without one shows nothing in LibreCAD and many
//! viewers, and AutoCAD regenerates it only on edit. So every dimension
//! gets its own anonymous block (`*D1`, `*D2`, …) holding what AutoCAD
//! would draw for the `PLANFORM` dimension style: the dimension line, two
//! extension lines (none when the dimension line is the measured line),
//! closed filled arrowheads and the text above the line, read from below
//! or from the right. Sizes are paper millimetres times the drawing units
//! per paper millimetre at the sheet's scale, written into the style
//! (`DIMSCALE` 1).

use acadrust::CadDocument;
use acadrust::entities::{
    Dimension, DimensionAligned, EntityType, Line, Solid, Text, TextHorizontalAlignment,
    TextVerticalAlignment,
};
use acadrust::tables::{DimStyle, TextStyle};
use acadrust::types::Vector3;
use geo_types::Coord;

use crate::drawing::{Drawing, Entity, Shape};
use crate::error::{Result, cad};

/// The text style of every text planform writes.
pub(crate) const TEXT_STYLE: &str = "PLANFORM";
/// The dimension style of every dimension planform writes.
pub(crate) const DIM_STYLE: &str = "PLANFORM";

/// Dimension text height, arrow size, gap and extension line sizes, in
/// paper millimetres (the ISO 129 / NCS habit for 1:N plans).
const DIMTXT: f64 = 2.2;
const DIMASZ: f64 = 2.0;
const DIMGAP: f64 = 0.8;
const DIMEXO: f64 = 1.0;
const DIMEXE: f64 = 1.25;

/// One aligned dimension: measured from `p1` to `p2`, the dimension line
/// `offset` drawing units to the left of `p1 → p2` (negative: right).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Dim {
    pub layer: String,
    pub p1: Coord<f64>,
    pub p2: Coord<f64>,
    pub offset: f64,
    pub text: String,
}

/// What an entity of a dimensioned layer measures: a labelled straight
/// polyline's first and last vertex, when they differ. A curved line (a
/// cul-de-sac's arc frontage: some vertex more than 0.5 % of the chord off
/// it) is not dimensioned, since an aligned dimension measures its chord;
/// it keeps its line and label.
pub(crate) fn measured(e: &Entity) -> Option<(Coord<f64>, Coord<f64>)> {
    let (Shape::Polyline(line), Some(_)) = (&e.shape, &e.label) else {
        return None;
    };
    let (&p1, &p2) = (line.0.first()?, line.0.last()?);
    let len = (p2.x - p1.x).hypot(p2.y - p1.y);
    let straight = line.0.iter().all(|c| {
        ((c.x - p1.x) * (p2.y - p1.y) - (c.y - p1.y) * (p2.x - p1.x)).abs() <= 0.005 * len * len
    });
    (len > 0.0 && straight).then_some((p1, p2))
}

/// The dimensions of a drawing's dimensioned layers (see
/// [`crate::drawing::Dimensioning`]), `k` drawing units per paper
/// millimetre.
pub(crate) fn dims_of(d: &Drawing, k: f64, layer_name: impl Fn(&str) -> String) -> Vec<Dim> {
    let mut out = Vec::new();
    for l in &d.layers {
        let Some(how) = &l.style.dimension else {
            continue;
        };
        for e in &l.entities {
            let (Some((p1, p2)), Shape::Polyline(line), Some(text)) =
                (measured(e), &e.shape, &e.label)
            else {
                continue;
            };
            let len = (p2.x - p1.x).hypot(p2.y - p1.y);
            let mut offset = how.offset_mm * k;
            if let Some(areas) = &how.outside_of {
                let mid = Shape::Polyline(line.clone()).anchor();
                let n = Coord {
                    x: -(p2.y - p1.y) / len,
                    y: (p2.x - p1.x) / len,
                };
                let probe = Coord {
                    x: mid.x + n.x * k * 0.5,
                    y: mid.y + n.y * k * 0.5,
                };
                if d.covers(areas, probe) {
                    offset = -offset;
                }
            }
            out.push(Dim {
                layer: layer_name(&l.name),
                p1,
                p2,
                offset,
                text: text.clone(),
            });
        }
    }
    out
}

/// Whether a layer is drawn by its dimensions only (offset 0: the
/// dimension line is the line), so its polylines and labels are not
/// written again.
pub(crate) fn replaced(d: &crate::drawing::Layer) -> bool {
    d.style
        .dimension
        .as_ref()
        .is_some_and(|m| m.offset_mm == 0.0)
}

fn v3(c: Coord<f64>) -> Vector3 {
    Vector3::new(c.x, c.y, 0.0)
}

/// Adds the `PLANFORM` text style and dimension style (`k` drawing units
/// per paper millimetre) to the document.
pub(crate) fn add_styles(doc: &mut CadDocument, k: f64) -> Result<()> {
    let mut ts = TextStyle::new(TEXT_STYLE);
    ts.font_file = "arial.ttf".into();
    ts.width_factor = 1.0;
    doc.text_styles.add(ts).map_err(cad)?;
    // sizes in drawing units with DIMSCALE 1, the same as paper sizes
    // with DIMSCALE k for AutoCAD, but LibreCAD, which draws dimensions
    // itself and ignores DIMSCALE, then prints them at the sheet's size
    let [txt, asz, gap, exo, exe] = [DIMTXT, DIMASZ, DIMGAP, DIMEXO, DIMEXE].map(|v| v * k);
    let mut ds = DimStyle::new(DIM_STYLE);
    (ds.dimtxt, ds.dimasz, ds.dimgap, ds.dimexo, ds.dimexe) = (txt, asz, gap, exo, exe);
    ds.dimtad = 1;
    ds.dimtih = false;
    ds.dimtoh = false;
    ds.dimdec = 2;
    ds.dimscale = 1.0;
    ds.dimtxsty = TEXT_STYLE.into();
    doc.dim_styles.add(ds).map_err(cad)?;
    // the same as the drawing's current dimension variables, which LibreCAD
    // reads instead of the style
    let h = &mut doc.header;
    (
        h.dim_text_height,
        h.dim_arrow_size,
        h.dim_line_gap,
        h.dim_ext_line_offset,
        h.dim_ext_line_extension,
    ) = (txt, asz, gap, exo, exe);
    h.dim_text_above = 1;
    h.dim_text_inside_horizontal = false;
    h.dim_text_outside_horizontal = false;
    h.dim_scale = 1.0;
    doc.header.current_text_style_name = TEXT_STYLE.into();
    doc.header.current_dimstyle_name = DIM_STYLE.into();
    Ok(())
}

/// Adds each dimension to model space with its rendered `*D` block.
pub(crate) fn add_dims(doc: &mut CadDocument, dims: &[Dim], k: f64) -> Result<()> {
    for (i, dm) in dims.iter().enumerate() {
        let name = format!("*D{}", i + 1);
        let (parts, text_at, rotation) = render(dm, k);
        crate::dxf_symbols::add_block(doc, &name, true, parts)?;
        let mut dim = DimensionAligned::new(v3(dm.p1), v3(dm.p2));
        let len = (dm.p2.x - dm.p1.x).hypot(dm.p2.y - dm.p1.y);
        dim.definition_point = v3(Coord {
            x: dm.p2.x - (dm.p2.y - dm.p1.y) / len * dm.offset,
            y: dm.p2.y + (dm.p2.x - dm.p1.x) / len * dm.offset,
        });
        dim.base.block_name = name;
        dim.base.style_name = DIM_STYLE.into();
        dim.base.text_middle_point = v3(text_at);
        dim.base.text_user_positioned = true;
        dim.base.text_rotation = rotation;
        dim.base.set_text_override(Some(dm.text.clone()));
        dim.base.common.layer.clone_from(&dm.layer);
        doc.add_entity(EntityType::Dimension(Box::new(Dimension::Aligned(dim))))
            .map_err(cad)?;
    }
    Ok(())
}

/// What a dimension's block draws, where its text sits and its rotation
/// (radians).
fn render(dm: &Dim, k: f64) -> (Vec<EntityType>, Coord<f64>, f64) {
    let (dx, dy) = (dm.p2.x - dm.p1.x, dm.p2.y - dm.p1.y);
    let len = dx.hypot(dy);
    let u = Coord {
        x: dx / len,
        y: dy / len,
    };
    let n = Coord { x: -u.y, y: u.x };
    let at = |p: Coord<f64>, along: f64, across: f64| Coord {
        x: p.x + u.x * along + n.x * across,
        y: p.y + u.y * along + n.y * across,
    };
    let q1 = at(dm.p1, 0.0, dm.offset);
    let q2 = at(dm.p2, 0.0, dm.offset);
    let line = |a: Coord<f64>, b: Coord<f64>| {
        EntityType::Line(Line::from_coords(a.x, a.y, 0.0, b.x, b.y, 0.0))
    };
    let mut parts = vec![line(q1, q2)];
    if dm.offset != 0.0 {
        let s = dm.offset.signum();
        for p in [dm.p1, dm.p2] {
            parts.push(line(
                at(p, 0.0, s * DIMEXO * k),
                at(p, 0.0, dm.offset + s * DIMEXE * k),
            ));
        }
    }
    // closed filled arrowheads pointing out to each end, when they fit
    let a = DIMASZ * k;
    if len > 2.5 * a {
        for (tip, back) in [(q1, a), (q2, -a)] {
            let b1 = at(tip, back, a / 6.0);
            let b2 = at(tip, back, -a / 6.0);
            parts.push(EntityType::Solid(Solid::new(
                v3(tip),
                v3(b1),
                v3(b2),
                v3(b2),
            )));
        }
    }
    // text above the line as it is read (left to right, or bottom to top)
    let mut angle = u.y.atan2(u.x);
    let mut up = n;
    if angle > std::f64::consts::FRAC_PI_2 + 1e-9 || angle <= -std::f64::consts::FRAC_PI_2 + 1e-9 {
        angle += if angle > 0.0 {
            -std::f64::consts::PI
        } else {
            std::f64::consts::PI
        };
        up = Coord { x: -n.x, y: -n.y };
    }
    let mid = Coord {
        x: f64::midpoint(q1.x, q2.x),
        y: f64::midpoint(q1.y, q2.y),
    };
    let lift = (DIMGAP + DIMTXT / 2.0) * k;
    let text_at = Coord {
        x: mid.x + up.x * lift,
        y: mid.y + up.y * lift,
    };
    let mut t = Text::with_value(dm.text.clone(), v3(text_at))
        .with_height(DIMTXT * k)
        .with_rotation(angle);
    t.style = TEXT_STYLE.into();
    t.horizontal_alignment = TextHorizontalAlignment::Center;
    t.vertical_alignment = TextVerticalAlignment::Middle;
    t.alignment_point = Some(v3(text_at));
    parts.push(EntityType::Text(t));
    (parts, text_at, angle)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dim(p1: (f64, f64), p2: (f64, f64), offset: f64) -> Dim {
        Dim {
            layer: "x".into(),
            p1: Coord { x: p1.0, y: p1.1 },
            p2: Coord { x: p2.0, y: p2.1 },
            offset,
            text: "10.00 m".into(),
        }
    }

    #[test]
    fn text_reads_upright_above_the_dimension_line() {
        // a line drawn right to left reads left to right, above it
        let (parts, at, angle) = render(&dim((10.0, 0.0), (0.0, 0.0), 0.0), 0.1);
        assert!(angle.abs() < 1e-9, "{angle}");
        assert!(at.y > 0.0 && (at.x - 5.0).abs() < 1e-9, "{at:?}");
        // dimension line, two arrows, text; no extension lines at offset 0
        assert_eq!(parts.len(), 4);
        // a vertical line reads from below: rotated +90°
        let (_, at, angle) = render(&dim((0.0, 10.0), (0.0, 0.0), 0.0), 0.1);
        assert!(
            (angle - std::f64::consts::FRAC_PI_2).abs() < 1e-9,
            "{angle}"
        );
        assert!(at.x < 0.0, "{at:?}");
    }

    #[test]
    fn straight_lines_are_measured_and_arcs_are_not() {
        let e = |pts: Vec<(f64, f64)>| Entity {
            shape: Shape::Polyline(geo_types::LineString::from(pts)),
            label: Some("x".into()),
            attributes: vec![],
        };
        // a straight side of three vertices: measured end to end
        let (p, q) = measured(&e(vec![(0.0, 0.0), (5.0, 0.01), (10.0, 0.0)])).unwrap();
        assert_eq!((p.x, q.x), (0.0, 10.0));
        // an arc frontage: its chord is not its length
        assert!(measured(&e(vec![(0.0, 0.0), (5.0, 1.5), (10.0, 0.0)])).is_none());
        // unlabelled or degenerate: nothing
        let mut bare = e(vec![(0.0, 0.0), (1.0, 0.0)]);
        bare.label = None;
        assert!(measured(&bare).is_none());
        assert!(measured(&e(vec![(1.0, 1.0), (1.0, 1.0)])).is_none());
    }

    #[test]
    fn offset_dimensions_have_extension_lines_to_the_offset_line() {
        let (parts, at, _) = render(&dim((0.0, 0.0), (10.0, 0.0), -1.0), 0.1);
        assert_eq!(parts.len(), 6);
        // the dimension line is one unit below the measured line
        match &parts[0] {
            EntityType::Line(l) => {
                assert!((l.start.y + 1.0).abs() < 1e-12 && (l.end.y + 1.0).abs() < 1e-12);
            }
            other => panic!("{other:?}"),
        }
        assert!(at.y > -1.0 && at.y < 0.0, "{at:?}");
    }
}
