//! `FloorPlan` → [`Drawing`]: wall regions as filled closed outlines, wall
//! centrelines as polylines carrying their thickness, and (optionally) each
//! centreline wall drawn as a closed body of its thickness, in the plan's
//! units (pixels or metres; y up).

use geo_types::{Coord, LineString, Polygon};
use planform_model::{FloorPlan, PlanUnits};

use crate::drawing::{Drawing, Entity, Shape, Units, Value};
use crate::error::{ExportError, Result};
use crate::style::Styles;

/// How a floor plan becomes a drawing.
#[derive(Debug, Clone, Default)]
pub struct FloorDrawingOptions {
    /// Styles (layers `walls`, `wall-centerlines`, `wall-bodies`).
    pub styles: Styles,
    /// Also draw each centreline wall as a closed body of its thickness
    /// (layer `wall-bodies`), for CAD users who want solid walls.
    pub bodies: bool,
}

/// The closed body of a polyline of thickness `t`: the polyline offset by
/// `t/2` to each side with mitred joins (a miter longer than 2·t is
/// bevelled), right side reversed. `None` for fewer than two distinct
/// points or a non-positive thickness.
pub fn wall_body(line: &LineString<f64>, t: f64) -> Option<Polygon<f64>> {
    let mut pts: Vec<Coord<f64>> = Vec::with_capacity(line.0.len());
    for c in &line.0 {
        if pts.last() != Some(c) {
            pts.push(*c);
        }
    }
    if pts.len() < 2 || !(t > 0.0 && t.is_finite()) {
        return None;
    }
    let h = t / 2.0;
    let normal = |a: Coord<f64>, b: Coord<f64>| {
        let (dx, dy) = (b.x - a.x, b.y - a.y);
        let len = dx.hypot(dy);
        Coord {
            x: -dy / len,
            y: dx / len,
        }
    };
    let off = |p: Coord<f64>, n: Coord<f64>, s: f64| Coord {
        x: p.x + n.x * s,
        y: p.y + n.y * s,
    };
    let mut left = Vec::with_capacity(pts.len() + 2);
    let mut right = Vec::with_capacity(pts.len() + 2);
    for i in 0..pts.len() {
        let p = pts[i];
        let n_in = (i > 0).then(|| normal(pts[i - 1], p));
        let n_out = (i + 1 < pts.len()).then(|| normal(p, pts[i + 1]));
        // (offset direction, its length) at this vertex: one for a miter
        // or an end, two for a bevel
        let offsets: Vec<(Coord<f64>, f64)> = match (n_in, n_out) {
            (Some(a), Some(b)) => {
                let m = Coord {
                    x: a.x + b.x,
                    y: a.y + b.y,
                };
                let k = h / (m.x * a.x + m.y * a.y).max(1e-12);
                if k * m.x.hypot(m.y) <= 2.0 * t {
                    vec![(m, k)]
                } else {
                    vec![(a, h), (b, h)]
                }
            }
            (Some(n), None) | (None, Some(n)) => vec![(n, h)],
            (None, None) => return None,
        };
        for (n, s) in offsets {
            left.push(off(p, n, s));
            right.push(off(p, n, -s));
        }
    }
    right.reverse();
    left.extend(right);
    left.push(left[0]);
    Some(Polygon::new(LineString(left), vec![]))
}

/// The drawing of a floor plan.
pub fn floor_plan_drawing(fp: &FloorPlan, o: &FloorDrawingOptions) -> Result<Drawing> {
    let units = match fp.units {
        PlanUnits::Pixels => Units::Pixels,
        PlanUnits::Metres => Units::Metres,
    };
    let mut d = Drawing {
        units,
        epsg: None,
        title: Some(format!(
            "floor plan {}×{} px{}",
            fp.image_width,
            fp.image_height,
            fp.px_per_m
                .map_or_else(String::new, |s| format!(", {s:.2} px/m"))
        )),
        ..Drawing::default()
    };
    if !fp.outlines.is_empty() {
        let layer = d.layer_mut("walls", || o.styles.get("walls"));
        for p in &fp.outlines {
            layer.entities.push(Entity {
                shape: Shape::Area(p.clone()),
                label: None,
                attributes: vec![("kind".into(), Value::Text("wall".into()))],
            });
        }
    }
    if !fp.walls.is_empty() {
        // bodies under their centrelines
        if o.bodies {
            let bodies: Vec<Entity> = fp
                .walls
                .iter()
                .filter_map(|w| {
                    wall_body(&w.centerline, w.thickness).map(|p| Entity {
                        shape: Shape::Area(p),
                        label: None,
                        attributes: vec![("thickness".into(), Value::Real(w.thickness))],
                    })
                })
                .collect();
            d.layer_mut("wall-bodies", || o.styles.get("wall-bodies"))
                .entities
                .extend(bodies);
        }
        let layer = d.layer_mut("wall-centerlines", || o.styles.get("wall-centerlines"));
        for w in &fp.walls {
            layer.entities.push(Entity {
                shape: Shape::Polyline(w.centerline.clone()),
                label: None,
                attributes: vec![
                    ("kind".into(), Value::Text(w.kind.as_str().to_owned())),
                    ("thickness".into(), Value::Real(w.thickness)),
                ],
            });
        }
    }
    if !fp.rooms.is_empty() {
        let unit = match fp.units {
            PlanUnits::Pixels => "px²",
            PlanUnits::Metres => "m²",
        };
        let layer = d.layer_mut("rooms", || o.styles.get("rooms"));
        for r in &fp.rooms {
            layer.entities.push(Entity {
                shape: Shape::Area(r.polygon.clone()),
                label: Some(format!("{:.1} {unit}", r.area)),
                attributes: vec![("area".into(), Value::Real(r.area))],
            });
        }
    }
    if !fp.openings.is_empty() {
        let layer = d.layer_mut("openings", || o.styles.get("openings"));
        for op in &fp.openings {
            layer.entities.push(Entity {
                shape: Shape::Polyline(op.line.clone()),
                label: None,
                attributes: vec![("width".into(), Value::Real(op.width))],
            });
        }
    }
    if d.entity_count() == 0 {
        return Err(ExportError::Empty("the floor plan has no walls".into()));
    }
    Ok(d)
}

#[cfg(test)]
mod tests {
    use super::*;
    use planform_model::{Wall, WallKind};

    fn area(p: &Polygon<f64>) -> f64 {
        p.exterior()
            .0
            .windows(2)
            .map(|w| w[0].x * w[1].y - w[1].x * w[0].y)
            .sum::<f64>()
            .abs()
            / 2.0
    }

    #[test]
    fn an_l_wall_body_has_the_area_of_its_two_arms() {
        // arms 10 and 6 long, 2 thick, mitred corner: 10·2 + 6·2 (the
        // corner square counted once: the inner and outer miters cancel)
        let l = LineString::from(vec![(0.0, 0.0), (10.0, 0.0), (10.0, 6.0)]);
        let p = wall_body(&l, 2.0).unwrap();
        assert!((area(&p) - 32.0).abs() < 1e-9, "{}", area(&p));
        assert_eq!(p.exterior().0.len(), 7);
        assert!(wall_body(&LineString::from(vec![(1.0, 1.0), (1.0, 1.0)]), 1.0).is_none());
        assert!(wall_body(&l, 0.0).is_none());
    }

    #[test]
    fn layers_and_attributes() {
        let fp = FloorPlan {
            walls: vec![Wall {
                centerline: LineString::from(vec![(0.0, 0.0), (4.0, 0.0)]),
                thickness: 0.2,
                kind: WallKind::Wall,
            }],
            outlines: vec![],
            rooms: vec![],
            openings: vec![],
            px_per_m: Some(50.0),
            image_width: 200,
            image_height: 100,
            units: PlanUnits::Metres,
        };
        let d = floor_plan_drawing(
            &fp,
            &FloorDrawingOptions {
                bodies: true,
                ..Default::default()
            },
        )
        .unwrap();
        let names: Vec<&str> = d.layers.iter().map(|l| l.name.as_str()).collect();
        assert_eq!(names, ["wall-bodies", "wall-centerlines"]);
        assert_eq!(d.units, Units::Metres);
        assert!(
            d.layers[1].entities[0]
                .attributes
                .contains(&("thickness".into(), Value::Real(0.2)))
        );
        assert!(
            floor_plan_drawing(&FloorPlan::default(), &FloorDrawingOptions::default()).is_err()
        );
    }
}
