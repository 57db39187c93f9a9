//! The buildable envelope: the parcel with each side pushed in by its
//! setback (the zoning minimum for the side's role), by clipping the
//! parcel with one half-plane per side (Sutherland–Hodgman). Exact for
//! convex lots; on a concave lot a side's half-plane can cut off more than
//! its setback strip, so the envelope errs on the small (safe) side. And the
//! fit check: whether a footprint lies inside it.

use geo_types::Coord;
use planform_model::units::FT_TO_M;

use crate::geom::{area2, inside};
use crate::parcel::ParcelAnalysis;
use crate::setbacks::Minimums;

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

/// The envelope ring (open, counter-clockwise, local frame) of an analysed
/// parcel under `minimums` (feet); sides without a minimum are not pushed
/// in. Empty when the setbacks leave nothing.
pub fn envelope(a: &ParcelAnalysis, minimums: &Minimums) -> Vec<Coord<f64>> {
    let mut ring = crate::sides::ring(&a.sides);
    // sides run in the ring's own direction, whichever it is
    let ccw_sides = area2(&ring) > 0.0;
    if !ccw_sides {
        ring.reverse();
    }
    for (s, r) in a.sides.iter().zip(&a.roles) {
        let Some(feet) = minimums.for_role(&r.role) else {
            continue;
        };
        let d = feet * FT_TO_M;
        let (p, q) = (s.points[0], s.points[s.points.len() - 1]);
        let (dx, dy) = (q.x - p.x, q.y - p.y);
        let l = dx.hypot(dy);
        if l == 0.0 || d <= 0.0 {
            continue;
        }
        // the inward normal of a counter-clockwise ring is left of travel
        let (nx, ny) = if ccw_sides {
            (-dy / l, dx / l)
        } else {
            (dy / l, -dx / l)
        };
        let keep = move |c: Coord<f64>| (c.x - p.x) * nx + (c.y - p.y) * ny - d;
        ring = clip(&ring, &keep);
        if ring.len() < 3 {
            return Vec::new();
        }
    }
    ring
}

/// The envelope's area, square metres.
pub fn area(ring: &[Coord<f64>]) -> f64 {
    area2(ring).abs() / 2.0
}

fn crosses(p: Coord<f64>, q: Coord<f64>, a: Coord<f64>, b: Coord<f64>) -> bool {
    let c = |o: Coord<f64>, u: Coord<f64>, v: Coord<f64>| {
        (u.x - o.x) * (v.y - o.y) - (u.y - o.y) * (v.x - o.x)
    };
    let (d1, d2, d3, d4) = (c(p, q, a), c(p, q, b), c(a, b, p), c(a, b, q));
    d1 * d2 < 0.0 && d3 * d4 < 0.0
}

/// Whether a footprint ring lies inside the envelope: every vertex inside
/// and no edge crossing the envelope's outline.
pub fn fits(envelope: &[Coord<f64>], footprint: &[Coord<f64>]) -> bool {
    let n = envelope.len();
    n >= 3
        && footprint.iter().all(|p| inside(envelope, *p))
        && footprint
            .windows(2)
            .all(|w| (0..n).all(|i| !crosses(w[0], w[1], envelope[i], envelope[(i + 1) % n])))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::roles::Assigned;
    use crate::sides::split_sides;
    use planform_model::analysis::{SideRelation, SideRole};

    #[test]
    fn a_rectangle_loses_its_setback_strips() {
        // 20 m wide, 40 m deep, front at y = 0
        let ring = crate::sides::rect_ring(0.0, 0.0, 20.0, 40.0);
        let sides = split_sides(&ring, 15f64.to_radians());
        let roles: Vec<Assigned> = sides
            .iter()
            .map(|s| {
                let (a, b) = (s.points[0], s.points[1]);
                let role = if a.y == 0.0 && b.y == 0.0 {
                    SideRole::Front
                } else if a.y == 40.0 && b.y == 40.0 {
                    SideRole::Rear
                } else {
                    SideRole::Interior
                };
                Assigned {
                    role,
                    relation: Some(SideRelation::Left),
                }
            })
            .collect();
        let a = ParcelAnalysis {
            record: planform_model::Parcel::default(),
            sides,
            roles,
            footprint: None,
            ring: Vec::new(),
        };
        let ft = |m: f64| m / FT_TO_M;
        let m = Minimums {
            front: Some(ft(6.0)),
            rear: Some(ft(8.0)),
            interior: Some(ft(1.5)),
            exterior: None,
        };
        let e = envelope(&a, &m);
        // 17 m × 26 m
        assert!((area(&e) - 17.0 * 26.0).abs() < 1e-6, "{}", area(&e));
        let house = [
            Coord { x: 5.0, y: 10.0 },
            Coord { x: 15.0, y: 10.0 },
            Coord { x: 15.0, y: 20.0 },
        ];
        assert!(fits(&e, &house));
        assert!(!fits(&e, &[Coord { x: 1.0, y: 10.0 }]));
        let everything = Minimums {
            front: Some(ft(30.0)),
            rear: Some(ft(30.0)),
            ..m
        };
        assert!(envelope(&a, &everything).is_empty());
    }
}
