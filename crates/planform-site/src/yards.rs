//! Yards: the open ground between the primary building and the lot lines,
//! as zoning codes define them, in the front side's frame (depth into the
//! lot from the front line, and position along it):
//!
//! - **front yard**: the full width of the lot between the front line and
//!   the front building line (the line parallel to the front through the
//!   building's point nearest to it);
//! - **back yard**: the full width of the lot between the rear building
//!   line (through the building's deepest point) and the rear of the lot;
//! - **side yards**: between the two building lines, from each side of the
//!   lot to the line through the building's outermost point on that side.
//!
//! Ground inside the building's extent but outside its footprint (the
//! notch of an L-shaped house) belongs to no yard. Each yard is the parcel
//! clipped by half-planes, so a concave lot's yard may fall into several
//! pieces (a multipolygon). Without a front side or a building only the
//! yards' bounding side ids are known.

use geo::{Area, Contains};
use geo_types::{Coord, LineString, MultiPolygon, Polygon};

use planform_model::analysis::{SideRole, Yard, YardKind};
use serde_json::Number;

use crate::error::Result;
use crate::geom::{is_ccw, split_half_plane};
use crate::parcel::{Frames, ParcelAnalysis};

/// One yard's ground in the local metric frame.
#[derive(Debug, Clone, PartialEq)]
pub struct YardGeom {
    /// Front, back or side.
    pub kind: YardKind,
    /// Its pieces, counter-clockwise.
    pub region: MultiPolygon<f64>,
}

impl YardGeom {
    /// Area, square metres (`geo`'s `Area`).
    pub fn area(&self) -> f64 {
        self.region.unsigned_area()
    }

    /// Whether `p` lies in one of its pieces (`geo`'s `Contains`).
    pub fn contains(&self, p: Coord<f64>) -> bool {
        self.region.contains(&p)
    }
}

/// The parcel ring split by the half-planes `keeps` in turn.
fn clip_all(ring: &[Coord<f64>], keeps: &[&dyn Fn(Coord<f64>) -> f64]) -> Vec<Vec<Coord<f64>>> {
    let mut pieces = vec![ring.to_vec()];
    for keep in keeps {
        pieces = pieces
            .iter()
            .flat_map(|p| split_half_plane(p, *keep))
            .collect();
    }
    pieces
}

/// The yards' ground (front, back, side; kinds with no ground left out);
/// empty without a front side or a building footprint.
pub fn yard_polygons(a: &ParcelAnalysis) -> Vec<YardGeom> {
    let (Some(front), Some(footprint)) = (
        a.roles.iter().position(|r| r.role == SideRole::Front),
        a.footprint.as_ref().filter(|f| f.len() >= 3),
    ) else {
        return Vec::new();
    };
    let crate::parcel::FrontFrame {
        origin: f0,
        along: dir,
        inward,
    } = a.front_frame(front);
    let depth = move |p: Coord<f64>| (p.x - f0.x) * inward.x + (p.y - f0.y) * inward.y;
    let along = move |p: Coord<f64>| (p.x - f0.x) * dir.x + (p.y - f0.y) * dir.y;
    let range = |f: &dyn Fn(Coord<f64>) -> f64| {
        footprint
            .iter()
            .map(|p| f(*p))
            .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), v| {
                (lo.min(v), hi.max(v))
            })
    };
    let (d0, d1) = range(&depth);
    let (l0, l1) = range(&along);
    let mut ring = crate::sides::ring(&a.sides);
    if !is_ccw(&ring) {
        ring.reverse();
    }
    let before = move |p: Coord<f64>| d0 - depth(p);
    let after = move |p: Coord<f64>| depth(p) - d1;
    let between0 = move |p: Coord<f64>| depth(p) - d0;
    let between1 = move |p: Coord<f64>| d1 - depth(p);
    let left = move |p: Coord<f64>| l0 - along(p);
    let right = move |p: Coord<f64>| along(p) - l1;
    let mut sides = clip_all(&ring, &[&between0, &between1, &left]);
    sides.extend(clip_all(&ring, &[&between0, &between1, &right]));
    [
        (YardKind::Front, clip_all(&ring, &[&before])),
        (YardKind::Back, clip_all(&ring, &[&after])),
        (YardKind::Side, sides),
    ]
    .into_iter()
    .filter(|(_, pieces)| !pieces.is_empty())
    .map(|(kind, pieces)| YardGeom {
        kind,
        region: MultiPolygon(
            pieces
                .into_iter()
                .map(|r| Polygon::new(LineString::from(r), Vec::new()))
                .collect(),
        ),
    })
    .collect()
}

/// The yards of the service's shape: one per kind present, bounded by the
/// sides of the matching roles (front; rear; interior and exterior), with
/// planform's `geometry` (Polygon or MultiPolygon, in the plan's own
/// coordinates) and
/// `areaSquareMeters` where [`yard_polygons`] finds their ground.
pub fn yards(a: &ParcelAnalysis, frames: &Frames) -> Result<Vec<Yard>> {
    let ids = |want: &[SideRole]| -> Vec<String> {
        a.roles
            .iter()
            .enumerate()
            .filter(|(_, r)| want.contains(&r.role))
            .map(|(i, _)| format!("side-{i}"))
            .collect()
    };
    let ground = yard_polygons(a);
    let mut out = Vec::new();
    for (id, kind, roles) in [
        ("yard-front", YardKind::Front, vec![SideRole::Front]),
        ("yard-back", YardKind::Back, vec![SideRole::Rear]),
        (
            "yard-side",
            YardKind::Side,
            vec![SideRole::Interior, SideRole::Exterior],
        ),
    ] {
        let sides = ids(&roles);
        let g = ground.iter().find(|g| g.kind == kind);
        if sides.is_empty() && g.is_none() {
            continue;
        }
        let mut yard = Yard {
            id: Some(id.to_owned()),
            kind: Some(kind),
            bounding_side_ids: Some(sides),
            ..Yard::default()
        };
        if let Some(g) = g {
            yard.geometry = Some(frames.to_plan_polygons(&g.region)?);
            yard.area_square_meters = Number::from_f64((g.area() * 100.0).round() / 100.0);
        }
        out.push(yard);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::roles::assign;
    use crate::sides::split_sides;

    fn c(x: f64, y: f64) -> Coord<f64> {
        Coord { x, y }
    }

    /// A lot of `ring` fronting on its side along y = 0, with `footprint`.
    fn lot(ring: &[(f64, f64)], footprint: &[(f64, f64)]) -> ParcelAnalysis {
        let mut pts: Vec<Coord<f64>> = ring.iter().map(|&(x, y)| c(x, y)).collect();
        pts.push(pts[0]);
        let sides = split_sides(&pts, 15f64.to_radians());
        let street: Vec<bool> = sides
            .iter()
            .map(|s| s.points.iter().all(|p| p.y == 0.0))
            .collect();
        let roles = assign(&sides, &street, None);
        ParcelAnalysis {
            record: planform_model::Parcel::default(),
            sides,
            roles,
            footprint: Some(footprint.iter().map(|&(x, y)| c(x, y)).collect()),
            ring: Vec::new(),
        }
    }

    fn area_of(y: &[YardGeom], kind: &YardKind) -> f64 {
        y.iter()
            .find(|g| g.kind == *kind)
            .map_or(0.0, YardGeom::area)
    }

    #[test]
    fn a_rectangle_around_a_house() {
        // 20 × 40 m lot, house 10 × 15 m from 10 m to 25 m deep
        let a = lot(
            &[(0.0, 0.0), (20.0, 0.0), (20.0, 40.0), (0.0, 40.0)],
            &[(5.0, 10.0), (15.0, 10.0), (15.0, 25.0), (5.0, 25.0)],
        );
        let y = yard_polygons(&a);
        assert_eq!(area_of(&y, &YardKind::Front), 200.0);
        assert_eq!(area_of(&y, &YardKind::Back), 300.0);
        let side = y.iter().find(|g| g.kind == YardKind::Side).unwrap();
        assert_eq!(side.region.0.len(), 2);
        assert_eq!(side.area(), 150.0);
        assert!(
            y.iter()
                .all(|g| g.region.0.iter().all(|r| r.signed_area() > 0.0))
        );
        // points land in the right yard, the house in none
        assert!(y[0].kind == YardKind::Front && y[0].contains(c(10.0, 5.0)));
        assert!(y.iter().all(|g| !g.contains(c(10.0, 20.0))));
    }

    #[test]
    fn a_notched_lot_and_a_turned_house() {
        // the rear of the lot notched: the back yard wraps around it
        let a = lot(
            &[
                (0.0, 0.0),
                (30.0, 0.0),
                (30.0, 40.0),
                (20.0, 40.0),
                (20.0, 30.0),
                (10.0, 30.0),
                (10.0, 40.0),
                (0.0, 40.0),
            ],
            &[(10.0, 10.0), (20.0, 10.0), (20.0, 20.0), (10.0, 20.0)],
        );
        let y = yard_polygons(&a);
        let back = y.iter().find(|g| g.kind == YardKind::Back).unwrap();
        assert_eq!(back.region.0.len(), 1);
        assert_eq!(back.area(), 30.0 * 10.0 + 2.0 * 10.0 * 10.0);
        // the front notched (a lot around a corner shop): a house 5 m back
        // leaves a front yard in two pieces, either side of the notch
        let a = lot(
            &[
                (0.0, 0.0),
                (10.0, 0.0),
                (10.0, 10.0),
                (20.0, 10.0),
                (20.0, 0.0),
                (30.0, 0.0),
                (30.0, 40.0),
                (0.0, 40.0),
            ],
            &[(22.0, 5.0), (28.0, 5.0), (28.0, 20.0), (22.0, 20.0)],
        );
        let y = yard_polygons(&a);
        let front = y.iter().find(|g| g.kind == YardKind::Front).unwrap();
        assert_eq!(front.region.0.len(), 2);
        assert_eq!(front.area(), 2.0 * 10.0 * 5.0);
        // a house turned 45°: its corners set the building lines
        let d = 5.0 * std::f64::consts::SQRT_2;
        let a = lot(
            &[(0.0, 0.0), (30.0, 0.0), (30.0, 40.0), (0.0, 40.0)],
            &[
                (15.0, 10.0),
                (15.0 + d, 10.0 + d),
                (15.0, 10.0 + 2.0 * d),
                (15.0 - d, 10.0 + d),
            ],
        );
        let y = yard_polygons(&a);
        assert!((area_of(&y, &YardKind::Front) - 300.0).abs() < 1e-9);
        let sides = area_of(&y, &YardKind::Side);
        assert!((sides - 2.0 * d * (30.0 - 2.0 * d)).abs() < 1e-9, "{sides}");
        // the corners of the house's bounding square belong to no yard
        let total: f64 = y.iter().map(YardGeom::area).sum();
        assert!((total + (2.0 * d).powi(2) - 1200.0).abs() < 1e-9);
    }

    #[test]
    fn without_a_house_or_a_front_there_is_no_ground() {
        let mut a = lot(
            &[(0.0, 0.0), (20.0, 0.0), (20.0, 40.0), (0.0, 40.0)],
            &[(5.0, 10.0), (15.0, 10.0), (15.0, 25.0)],
        );
        a.footprint = None;
        assert!(yard_polygons(&a).is_empty());
        let a = lot(
            &[(0.0, 5.0), (20.0, 5.0), (20.0, 40.0)],
            &[(5.0, 10.0), (15.0, 10.0), (15.0, 25.0)],
        );
        assert!(yard_polygons(&a).is_empty());
    }
}
