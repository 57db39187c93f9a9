//! The front's axis from a lot's recorded width and depth.
//!
//! OZFS tidyparcel files carry, on each parcel's centroid Point, the lot's
//! `lot_width` and `lot_depth` in feet (zoneR writes the placeholder 1.0
//! where it has none). The width is measured along the front and the depth
//! across it, so a side whose chord gives the parcel those two extents
//! (along it and perpendicular to it) lies on the front's axis: the front
//! or, on a rectangular lot, the rear. On a 543 × 240 ft lot that fronts on
//! its long side, this is what tells it from a lot fronting on the short
//! one, which geometry alone cannot.

use geo_types::Coord;
use planform_model::units::ft_to_m;

use crate::sides::SideGeom;

/// A lot's recorded dimensions, metres.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LotDims {
    /// Along the front.
    pub width: f64,
    /// From the front to the rear.
    pub depth: f64,
}

impl LotDims {
    /// From `lot_width` / `lot_depth` in feet; `None` for zoneR's
    /// placeholder (either ≤ 1 ft) or non-finite values.
    pub fn from_feet(width: f64, depth: f64) -> Option<Self> {
        (width.is_finite() && depth.is_finite() && width > 1.0 && depth > 1.0).then_some(Self {
            width: ft_to_m(width),
            depth: ft_to_m(depth),
        })
    }
}

/// The extents of `ring` along the unit direction `u` and across it.
fn extents(ring: &[Coord<f64>], u: Coord<f64>) -> (f64, f64) {
    let (mut a0, mut a1, mut c0, mut c1) = (f64::MAX, f64::MIN, f64::MAX, f64::MIN);
    for p in ring {
        let along = p.x * u.x + p.y * u.y;
        let across = -p.x * u.y + p.y * u.x;
        a0 = a0.min(along);
        a1 = a1.max(along);
        c0 = c0.min(across);
        c1 = c1.max(across);
    }
    (a1 - a0, c1 - c0)
}

/// The sides on the front's axis: those whose chord direction gives the
/// parcel's ring an extent along it within `tolerance` (relative) of the
/// recorded width and across it of the recorded depth, best match first.
pub fn front_axis(
    sides: &[SideGeom],
    ring: &[Coord<f64>],
    dims: LotDims,
    tolerance: f64,
) -> Vec<usize> {
    let mut found: Vec<(f64, usize)> = sides
        .iter()
        .enumerate()
        .filter_map(|(i, s)| {
            let (a, b) = (s.points[0], s.points[s.points.len() - 1]);
            let l = (b.x - a.x).hypot(b.y - a.y);
            if l < 1e-9 {
                return None;
            }
            let u = Coord {
                x: (b.x - a.x) / l,
                y: (b.y - a.y) / l,
            };
            let (w, d) = extents(ring, u);
            let err = ((w - dims.width) / dims.width)
                .abs()
                .max(((d - dims.depth) / dims.depth).abs());
            (err <= tolerance).then_some((err, i))
        })
        .collect();
    found.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
    found.into_iter().map(|(_, i)| i).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sides::{ring, split_sides};

    #[test]
    fn the_recorded_dimensions_pick_the_long_or_the_short_axis() {
        // 165.5 m (543 ft) east-west, 73.2 m (240 ft) north-south
        let pts = crate::sides::rect_ring(0.0, 0.0, 165.5, 73.2);
        let sides = split_sides(&pts, 15f64.to_radians());
        let r = ring(&sides);
        let ew = |i: &usize| {
            let s = &sides[*i];
            (s.points[0].y - s.points[s.points.len() - 1].y).abs() < 1e-9
        };
        let wide = LotDims::from_feet(543.0, 240.0).unwrap();
        let hits = front_axis(&sides, &r, wide, 0.03);
        assert_eq!(hits.len(), 2);
        assert!(hits.iter().all(ew));
        let deep = LotDims::from_feet(240.0, 543.0).unwrap();
        let hits = front_axis(&sides, &r, deep, 0.03);
        assert_eq!(hits.len(), 2);
        assert!(!hits.iter().any(ew));
        // neither matches a 300 × 300 ft record; the placeholder is no record
        assert!(front_axis(&sides, &r, LotDims::from_feet(300.0, 300.0).unwrap(), 0.03).is_empty());
        assert_eq!(LotDims::from_feet(1.0, 1.0), None);
        assert_eq!(LotDims::from_feet(f64::NAN, 200.0), None);
    }
}
