//! The buildable envelope: the parcel less everything within each side's
//! required setback of that side, and whether the primary building fits.
//!
//! The exact region is `parcel − ⋃ buffer(side, setback)` (round caps and
//! joins: the points nearer a side than its setback), built with `geo`'s
//! `Buffer` and `BooleanOps`, pieces kept and slivers under 0.01 m²
//! dropped. Half-plane clipping, which this module used before, is right
//! only on convex lots; on a flag lot it left a 40.6 m² strip of an exact
//! 716.9 m².
//!
//! Convex lots whose sides are straight take a fast path that gives the
//! same region: the parcel clipped by each side's inward half-plane. For a
//! point inside a convex polygon the distance to a side's line is the
//! distance to the side itself wherever the foot of the perpendicular lies
//! on the side, which holds near every corner of at most 90°; at a corner
//! between two sides with equal setbacks the two constructions agree
//! whatever its angle. So the fast path is taken when every corner joining
//! sides of unequal setback is at most 91° (the 1° allows for surveyed
//! rectangles; it can leave out at most ½·d²·tan 1°, 0.5 m² for a 25 ft
//! setback, per such corner). Anything else takes the exact path.
//!
//! Sides whose role is undecided are held to the strictest minimum given.

use geo::{Area, Buffer, Contains, Orient, orient::Direction};
use geo_types::{Coord, LineString, MultiLineString, MultiPolygon, Polygon};
use planform_model::units::FT_TO_M;

use crate::geom::area2;
use crate::parcel::ParcelAnalysis;
use crate::setbacks::Minimums;

/// Pieces smaller than this (m²) are dropped from the envelope.
pub const SLIVER_M2: f64 = 0.01;

/// The buildable envelope of an analysed parcel, in its local metric frame.
#[derive(Debug, Clone, PartialEq)]
pub struct Envelope {
    /// The region: counter-clockwise exteriors, clockwise holes; empty when
    /// the setbacks leave nothing.
    pub region: MultiPolygon<f64>,
    /// Whether the exact (boolean) construction was needed, rather than
    /// the convex fast path.
    pub exact: bool,
}

impl Envelope {
    /// The area, square metres.
    pub fn area(&self) -> f64 {
        self.region.unsigned_area()
    }

    /// Whether a footprint ring (closed or not) lies inside the envelope.
    pub fn fits(&self, footprint: &[Coord<f64>]) -> bool {
        if footprint.len() < 3 || self.region.0.is_empty() {
            return false;
        }
        let ring = LineString::from(footprint.to_vec());
        self.region.contains(&Polygon::new(ring, vec![]))
    }
}

/// The setback each side must keep, metres: its role's minimum; the
/// strictest minimum for an undecided role; 0 without one.
pub fn required_m(a: &ParcelAnalysis, minimums: &Minimums) -> Vec<f64> {
    a.roles
        .iter()
        .map(|r| {
            minimums
                .required_for(&r.role)
                .filter(|f| f.is_finite() && *f > 0.0)
                .map_or(0.0, |f| f * FT_TO_M)
        })
        .collect()
}

/// The envelope of an analysed parcel under `minimums` (feet).
pub fn envelope(a: &ParcelAnalysis, minimums: &Minimums) -> Envelope {
    let required = required_m(a, minimums);
    let ring = crate::sides::ring(&a.sides);
    if ring.len() < 3 {
        return Envelope {
            region: MultiPolygon(vec![]),
            exact: false,
        };
    }
    let (region, exact) = match convex_fast_path(a, &required, &ring) {
        Some(r) => (r, false),
        None => (exact_region(a, &required, ring), true),
    };
    Envelope {
        region: drop_slivers(region),
        exact,
    }
}

/// `parcel − ⋃ buffer(side, required)`, by `geo`'s boolean operations.
fn exact_region(
    a: &ParcelAnalysis,
    required: &[f64],
    mut ring: Vec<Coord<f64>>,
) -> MultiPolygon<f64> {
    if area2(&ring) < 0.0 {
        ring.reverse();
    }
    let parcel = Polygon::new(LineString::from(ring), vec![]);
    // one buffer per setback distance: the sides that share it buffered
    // together as one MultiLineString (i_overlay's stroke solver unions
    // them as it goes), then the few groups unioned
    let mut groups: Vec<(f64, Vec<LineString<f64>>)> = Vec::new();
    for (s, d) in a.sides.iter().zip(required).filter(|(_, d)| **d > 0.0) {
        let line = LineString::from(s.points.clone());
        match groups.iter_mut().find(|(g, _)| g == d) {
            Some((_, lines)) => lines.push(line),
            None => groups.push((*d, vec![line])),
        }
    }
    let strips: Vec<MultiPolygon<f64>> = groups
        .into_iter()
        .map(|(d, lines)| MultiLineString(lines).buffer(d))
        .collect();
    let taken = match strips.as_slice() {
        [one] => one.clone(),
        _ => geo::unary_union(strips.iter()),
    };
    geo::BooleanOps::difference(&parcel, &taken)
}

/// Pieces of at least [`SLIVER_M2`], oriented.
fn drop_slivers(m: MultiPolygon<f64>) -> MultiPolygon<f64> {
    MultiPolygon(
        m.0.into_iter()
            .filter(|p| p.unsigned_area() >= SLIVER_M2)
            .collect(),
    )
    .orient(Direction::Default)
}

/// The envelope by half-plane clipping, when that is exact (see the module
/// docs): every side straight, the lot convex, every corner between sides
/// of unequal setback at most 91°. `None` otherwise.
fn convex_fast_path(
    a: &ParcelAnalysis,
    required: &[f64],
    ring: &[Coord<f64>],
) -> Option<MultiPolygon<f64>> {
    if a.sides.iter().any(|s| s.points.len() != 2) || a.sides.len() < 3 {
        return None;
    }
    // sides run in the ring's own direction, whichever it is
    let sign = area2(ring).signum();
    let n = a.sides.len();
    let max_cos = -(1f64.to_radians().sin()); // cos(91°)
    for i in 0..n {
        let (s, t) = (&a.sides[i], &a.sides[(i + 1) % n]);
        let (p, v, q) = (s.points[0], s.points[1], t.points[1]);
        let (u, w) = (
            Coord {
                x: p.x - v.x,
                y: p.y - v.y,
            },
            Coord {
                x: q.x - v.x,
                y: q.y - v.y,
            },
        );
        // convex: every turn the ring's way
        let turn = (v.x - p.x) * (q.y - v.y) - (v.y - p.y) * (q.x - v.x);
        if turn * sign < 0.0 {
            return None;
        }
        let (lu, lw) = (u.x.hypot(u.y), w.x.hypot(w.y));
        if lu == 0.0 || lw == 0.0 {
            return None;
        }
        let cos = (u.x * w.x + u.y * w.y) / (lu * lw);
        if required[i] != required[(i + 1) % n] && cos < max_cos {
            return None;
        }
    }
    let mut poly = ring.to_vec();
    if sign < 0.0 {
        poly.reverse();
    }
    for (s, d) in a.sides.iter().zip(required) {
        if *d <= 0.0 {
            continue;
        }
        let (p, q) = (s.points[0], s.points[1]);
        let (dx, dy) = (q.x - p.x, q.y - p.y);
        let l = dx.hypot(dy);
        // the inward normal of the ring's travel (left of a
        // counter-clockwise ring, right of a clockwise one)
        let (nx, ny) = (-dy / l * sign, dx / l * sign);
        let keep = |c: Coord<f64>| (c.x - p.x) * nx + (c.y - p.y) * ny - d;
        poly = clip(&poly, &keep);
        if poly.len() < 3 {
            return Some(MultiPolygon(vec![]));
        }
    }
    Some(MultiPolygon(vec![Polygon::new(
        LineString::from(poly),
        vec![],
    )]))
}

/// Sutherland–Hodgman: the part of a convex ring where `keep >= 0`.
fn clip(poly: &[Coord<f64>], keep: &dyn Fn(Coord<f64>) -> f64) -> Vec<Coord<f64>> {
    let mut out = Vec::with_capacity(poly.len() + 2);
    let n = poly.len();
    for i in 0..n {
        let (a, b) = (poly[i], poly[(i + 1) % n]);
        let (da, db) = (keep(a), keep(b));
        if da >= 0.0 {
            out.push(a);
        }
        if (da >= 0.0) != (db >= 0.0) {
            let t = da / (da - db);
            out.push(Coord {
                x: a.x + (b.x - a.x) * t,
                y: a.y + (b.y - a.y) * t,
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::roles::Assigned;
    use crate::sides::split_sides;
    use planform_model::analysis::{SideRelation, SideRole};

    fn analysed(
        ring: &[Coord<f64>],
        role: impl Fn(Coord<f64>, Coord<f64>) -> SideRole,
    ) -> ParcelAnalysis {
        let sides = split_sides(ring, 15f64.to_radians());
        let roles = sides
            .iter()
            .map(|s| Assigned {
                role: role(s.points[0], s.points[s.points.len() - 1]),
                relation: Some(SideRelation::Left),
            })
            .collect();
        ParcelAnalysis {
            record: planform_model::Parcel::default(),
            sides,
            roles,
            footprint: None,
            ring: Vec::new(),
        }
    }

    fn ft(m: f64) -> f64 {
        m / FT_TO_M
    }

    #[test]
    fn a_rectangle_loses_its_setback_strips_on_the_fast_path() {
        // 20 m wide, 40 m deep, front at y = 0
        let ring = crate::sides::rect_ring(0.0, 0.0, 20.0, 40.0);
        let a = analysed(&ring, |p, q| {
            if p.y == 0.0 && q.y == 0.0 {
                SideRole::Front
            } else if p.y == 40.0 && q.y == 40.0 {
                SideRole::Rear
            } else {
                SideRole::Interior
            }
        });
        let m = Minimums {
            front: Some(ft(6.0)),
            rear: Some(ft(8.0)),
            interior: Some(ft(1.5)),
            exterior: None,
        };
        let e = envelope(&a, &m);
        assert!(!e.exact);
        // 17 m × 26 m
        assert!((e.area() - 17.0 * 26.0).abs() < 1e-6, "{}", e.area());
        let house = [
            Coord { x: 5.0, y: 10.0 },
            Coord { x: 15.0, y: 10.0 },
            Coord { x: 15.0, y: 20.0 },
        ];
        assert!(e.fits(&house));
        assert!(!e.fits(&[
            Coord { x: 1.0, y: 10.0 },
            Coord { x: 5.0, y: 10.0 },
            Coord { x: 5.0, y: 12.0 }
        ]));
        let everything = Minimums {
            front: Some(ft(30.0)),
            rear: Some(ft(30.0)),
            ..m
        };
        assert_eq!(envelope(&a, &everything).area(), 0.0);
    }

    #[test]
    fn an_l_shaped_lot_keeps_its_whole_notch_side() {
        // an L: 30 x 30 with the 15 x 15 top-right quarter cut away;
        // 2 m on every side. Half-plane clipping by the notch's sides
        // would cut away the whole right or top arm.
        let ring = [
            Coord { x: 0.0, y: 0.0 },
            Coord { x: 30.0, y: 0.0 },
            Coord { x: 30.0, y: 15.0 },
            Coord { x: 15.0, y: 15.0 },
            Coord { x: 15.0, y: 30.0 },
            Coord { x: 0.0, y: 30.0 },
        ];
        let a = analysed(&ring, |_, _| SideRole::Interior);
        let m = Minimums {
            interior: Some(ft(2.0)),
            ..Minimums::default()
        };
        let e = envelope(&a, &m);
        assert!(e.exact);
        // the inner L: 26 x 11 + 11 x 15 = 451 m², plus what the round
        // buffer leaves of the 2 x 2 square at the notch's reflex corner
        // (only the quarter disc within 2 m of the corner is taken)
        let want = 26.0 * 11.0 + 11.0 * 15.0 + (4.0 - std::f64::consts::PI);
        assert!((e.area() - want).abs() < 0.05, "{} vs {want}", e.area());
        assert_eq!(e.region.0.len(), 1);
    }

    #[test]
    fn undecided_sides_keep_the_strictest_minimum() {
        let ring = crate::sides::rect_ring(0.0, 0.0, 20.0, 40.0);
        let a = analysed(&ring, |_, _| SideRole::Unknown);
        let m = Minimums {
            front: Some(ft(5.0)),
            interior: Some(ft(1.0)),
            ..Minimums::default()
        };
        // 5 m on every side: 10 x 30
        let e = envelope(&a, &m);
        assert!((e.area() - 300.0).abs() < 1e-6, "{}", e.area());
    }
}
