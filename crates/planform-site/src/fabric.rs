//! The parcel fabric: every parcel's boundary segments in a grid index, to
//! tell a side shared with a neighbour (an interior lot line) from one that
//! no other parcel touches (a street frontage, the right-of-way being the
//! gap between parcels).

use std::collections::HashMap;

use geo_types::Coord;
use rustc_hash::FxBuildHasher;

use crate::sides::SideGeom;

/// A boundary segment and the parcel it belongs to.
type Segment = (usize, Coord<f64>, Coord<f64>);

/// What [`Fabric::nearest_ahead`] counts as ahead of a point.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Ahead {
    /// The way to the segment's nearest point is within this of the normal,
    /// radians.
    pub way: f64,
    /// The segment is within this of square to the normal, radians.
    pub across: f64,
    /// A segment this near (metres) counts whichever way it lies (a road
    /// centreline on the lot line, as rural parcels run to the road's
    /// middle).
    pub on: f64,
}

/// A segment crossing more cells than this (10 000 km in 10 m cells) is
/// no lot line or road anyone drew: it is left out rather than filed.
const MAX_CELLS: u64 = 1 << 20;

/// The grid cell (of side `cell`) holding `c`.
fn cell_of(cell: f64, c: Coord<f64>) -> (i64, i64) {
    ((c.x / cell).floor() as i64, (c.y / cell).floor() as i64)
}

/// Calls `f` with each cell (of side `cell`) the segment `a`–`b` passes
/// through, in order (Amanatides and Woo's grid traversal).
fn cells_along(cell: f64, a: Coord<f64>, b: Coord<f64>, mut f: impl FnMut((i64, i64))) {
    let (mut k, end) = (cell_of(cell, a), cell_of(cell, b));
    let (dx, dy) = (b.x - a.x, b.y - a.y);
    let axis = |d: f64, from: f64, at: i64| -> (i64, f64, f64) {
        if d > 0.0 {
            (1, ((at + 1) as f64 * cell - from) / d, cell / d)
        } else if d < 0.0 {
            (-1, (at as f64 * cell - from) / d, -cell / d)
        } else {
            (0, f64::INFINITY, f64::INFINITY)
        }
    };
    let (sx, mut tx, step_x) = axis(dx, a.x, k.0);
    let (sy, mut ty, step_y) = axis(dy, a.y, k.1);
    let steps = end.0.abs_diff(k.0).saturating_add(end.1.abs_diff(k.1));
    f(k);
    for _ in 0..steps {
        if tx < ty {
            k.0 += sx;
            tx += step_x;
        } else {
            k.1 += sy;
            ty += step_y;
        }
        f(k);
    }
    if k != end {
        // rounding at a cell corner: the end cell all the same
        f(end);
    }
}

/// The squared distance from `p` to the segment `a`–`b`, and the vector
/// from `p` to the segment's nearest point.
///
/// Written by hand rather than `geo`'s `Euclidean` distance and
/// `ClosestPoint`: the fabric compares millions of distances per county
/// and only the nearest needs its root; libm's `hypot` in each was a tenth
/// of a batch's time (`perf` of `scripts/peers.sh county`).
fn to_segment(p: Coord<f64>, a: Coord<f64>, b: Coord<f64>) -> (f64, Coord<f64>) {
    let (sx, sy) = (b.x - a.x, b.y - a.y);
    let l2 = sx * sx + sy * sy;
    let t = if l2 > 0.0 {
        (((p.x - a.x) * sx + (p.y - a.y) * sy) / l2).clamp(0.0, 1.0)
    } else {
        0.0
    };
    let v = Coord {
        x: a.x + t * sx - p.x,
        y: a.y + t * sy - p.y,
    };
    (v.x * v.x + v.y * v.y, v)
}

/// Boundary segments of many parcels, indexed on a square grid (hashed
/// with `FxHash`: the keys are cell numbers computed here, and `SipHash`
/// cost more than the lookups it guarded).
#[derive(Debug, Default)]
pub struct Fabric {
    cell: f64,
    grid: HashMap<(i64, i64), Vec<Segment>, FxBuildHasher>,
}

impl Fabric {
    /// An empty fabric whose grid cells are `cell` metres (a few times the
    /// sharing tolerance; 10 m suits lot fabrics). A lookup within a
    /// distance `d` visits (2⌈d / cell⌉ + 1)² cells.
    pub fn new(cell: f64) -> Self {
        Self {
            cell: cell.max(1e-3),
            grid: HashMap::default(),
        }
    }

    fn key(&self, c: Coord<f64>) -> (i64, i64) {
        cell_of(self.cell, c)
    }

    /// Adds the boundary of parcel `owner` (a ring or any polyline). Each
    /// segment is filed under the cells it passes through (a long diagonal
    /// road costs its length in cells, not its bounding box's area);
    /// segments with a non-finite end, or crossing more than 2²⁰ cells, are
    /// left out.
    pub fn add(&mut self, owner: usize, points: &[Coord<f64>]) {
        for w in points.windows(2) {
            let (a, b) = (w[0], w[1]);
            let (ka, kb) = (self.key(a), self.key(b));
            let span = ka.0.abs_diff(kb.0).saturating_add(ka.1.abs_diff(kb.1));
            if !(a.x.is_finite() && a.y.is_finite() && b.x.is_finite() && b.y.is_finite())
                || span > MAX_CELLS
            {
                continue;
            }
            let grid = &mut self.grid;
            cells_along(self.cell, a, b, |k| {
                grid.entry(k).or_default().push((owner, a, b));
            });
        }
    }

    /// The nearest boundary to `p` of a parcel other than `owner` within
    /// `max`: (its owner, the distance).
    pub fn nearest(&self, owner: usize, p: Coord<f64>, max: f64) -> Option<(usize, f64)> {
        self.nearest_where(p, max, |o| o != owner)
    }

    /// The nearest boundary to `p` within `max` of an owner `accept` takes:
    /// (its owner, the distance).
    pub fn nearest_where(
        &self,
        p: Coord<f64>,
        max: f64,
        accept: impl Fn(usize) -> bool,
    ) -> Option<(usize, f64)> {
        let k = self.key(p);
        let r = (max / self.cell).ceil().max(1.0) as i64;
        let mut best: Option<(usize, f64)> = None;
        let max2 = max * max;
        for x in k.0 - r..=k.0 + r {
            for y in k.1 - r..=k.1 + r {
                for &(o, a, b) in self.grid.get(&(x, y)).into_iter().flatten() {
                    if accept(o) {
                        let d2 = to_segment(p, a, b).0;
                        if d2 <= max2 && best.is_none_or(|(_, v)| d2 < v) {
                            best = Some((o, d2));
                        }
                    }
                }
            }
        }
        best.map(|(o, d2)| (o, d2.sqrt()))
    }

    /// Like [`Fabric::nearest`], counting only the segments that lie ahead
    /// of `p` along the unit vector `normal` and across it (a street in
    /// front of a lot line, not the cross street beside it or one behind
    /// it): see [`Ahead`].
    pub fn nearest_ahead(
        &self,
        owner: usize,
        p: Coord<f64>,
        normal: Coord<f64>,
        max: f64,
        ahead: Ahead,
    ) -> Option<(usize, f64)> {
        let k = self.key(p);
        let r = (max / self.cell).ceil().max(1.0) as i64;
        let (cos, sin) = (ahead.way.cos(), ahead.across.sin());
        let mut best: Option<(usize, f64)> = None;
        for x in k.0 - r..=k.0 + r {
            for y in k.1 - r..=k.1 + r {
                for &(o, a, b) in self.grid.get(&(x, y)).into_iter().flatten() {
                    if o == owner {
                        continue;
                    }
                    let (d2, v) = to_segment(p, a, b);
                    if d2 > max * max || best.is_some_and(|(_, best)| d2 >= best * best) {
                        continue;
                    }
                    let d = d2.sqrt();
                    let (sx, sy) = (b.x - a.x, b.y - a.y);
                    let len = (sx * sx + sy * sy).sqrt();
                    if len > 0.0
                        && (d <= ahead.on || v.x * normal.x + v.y * normal.y >= cos * d)
                        && (sx * normal.x + sy * normal.y).abs() <= sin * len
                    {
                        best = Some((o, d));
                    }
                }
            }
        }
        best
    }

    /// The segments of parcels other than `owner` filed in the cells
    /// within `margin` of the side's box, each once: what a side's samples
    /// are measured against, gathered once instead of per sample.
    fn near_side(&self, owner: usize, side: &SideGeom, margin: f64) -> Vec<Segment> {
        let Some(first) = side.points.first() else {
            return Vec::new();
        };
        let (mut lo, mut hi) = (*first, *first);
        for p in &side.points {
            (lo.x, lo.y, hi.x, hi.y) = (lo.x.min(p.x), lo.y.min(p.y), hi.x.max(p.x), hi.y.max(p.y));
        }
        let grow = Coord {
            x: margin,
            y: margin,
        };
        let (k0, k1) = (self.key(lo - grow), self.key(hi + grow));
        if k1.0.abs_diff(k0.0).saturating_mul(k1.1.abs_diff(k0.1)) > MAX_CELLS {
            return Vec::new();
        }
        let mut near: Vec<Segment> = Vec::new();
        for x in k0.0..=k1.0 {
            for y in k0.1..=k1.1 {
                near.extend(
                    self.grid
                        .get(&(x, y))
                        .into_iter()
                        .flatten()
                        .filter(|s| s.0 != owner),
                );
            }
        }
        let bits = |s: &Segment| {
            (
                s.0,
                s.1.x.to_bits(),
                s.1.y.to_bits(),
                s.2.x.to_bits(),
                s.2.y.to_bits(),
            )
        };
        near.sort_unstable_by_key(bits);
        near.dedup_by_key(|s| bits(s));
        near
    }

    /// Distances from points sampled along the middle 80% of a side of
    /// parcel `owner` (`n` of them, each in the middle of its share) to
    /// the nearest other parcel, where one lies within `max`.
    fn samples(
        &self,
        owner: usize,
        side: &SideGeom,
        n: usize,
        max: f64,
    ) -> impl Iterator<Item = Option<f64>> {
        let near = self.near_side(owner, side, max);
        let max2 = max * max;
        let points: Vec<Coord<f64>> = (0..n)
            .map(|i| side.at(0.1 + 0.8 * (i as f64 + 0.5) / n as f64))
            .collect();
        points.into_iter().map(move |p| {
            near.iter()
                .map(|&(_, a, b)| to_segment(p, a, b).0)
                .filter(|d2| *d2 <= max2)
                .min_by(f64::total_cmp)
                .map(f64::sqrt)
        })
    }

    /// The share (0–1) of points sampled along the middle 80% of a side of
    /// parcel `owner` that lie within `tolerance` metres of another parcel.
    pub fn shared_fraction(&self, owner: usize, side: &SideGeom, tolerance: f64) -> f64 {
        let n = ((side.length() / 2.0).ceil() as usize).clamp(5, 40);
        let hits = self.samples(owner, side, n, tolerance).flatten().count();
        hits as f64 / n as f64
    }

    /// How far the fabric lies from a side of parcel `owner`: the median,
    /// over points sampled along its middle 80%, of the distance to the
    /// nearest other parcel, capped at `max` metres (a street's width in
    /// front of a frontage, an alley's behind a rear line, nothing on a
    /// shared line).
    pub fn gap(&self, owner: usize, side: &SideGeom, max: f64) -> f64 {
        let mut d: Vec<f64> = self
            .samples(owner, side, 9, max)
            .map(|d| d.unwrap_or(max))
            .collect();
        d.sort_by(f64::total_cmp);
        d[d.len() / 2]
    }
}

/// A segment's end points as bits, in a fixed order (either direction).
fn segment_key(a: Coord<f64>, b: Coord<f64>) -> [u64; 4] {
    let (a, b) = (
        [a.x.to_bits(), a.y.to_bits()],
        [b.x.to_bits(), b.y.to_bits()],
    );
    if a <= b {
        [a[0], a[1], b[0], b[1]]
    } else {
        [b[0], b[1], a[0], a[1]]
    }
}

/// Per parcel (`lots[owner]` its sides), per side: the share of its length
/// made of segments another parcel has too, end point for end point
/// (exactly: the way a tidyparcel file's neighbours share an edge, the
/// same coordinates written twice).
pub fn shared_exactly(lots: &[&[SideGeom]]) -> Vec<Vec<f64>> {
    let mut owners: HashMap<[u64; 4], Vec<usize>> = HashMap::new();
    for (owner, sides) in lots.iter().enumerate() {
        for s in *sides {
            for w in s.points.windows(2) {
                let v = owners.entry(segment_key(w[0], w[1])).or_default();
                if !v.contains(&owner) {
                    v.push(owner);
                }
            }
        }
    }
    lots.iter()
        .enumerate()
        .map(|(owner, sides)| {
            sides
                .iter()
                .map(|s| {
                    let (mut all, mut shared) = (0.0, 0.0);
                    for w in s.points.windows(2) {
                        let l = (w[1].x - w[0].x).hypot(w[1].y - w[0].y);
                        all += l;
                        if owners[&segment_key(w[0], w[1])].iter().any(|o| *o != owner) {
                            shared += l;
                        }
                    }
                    if all > 0.0 { shared / all } else { 0.0 }
                })
                .collect()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn side(points: &[(f64, f64)]) -> SideGeom {
        SideGeom {
            index: 0,
            points: points.iter().map(|&(x, y)| Coord { x, y }).collect(),
            curved: false,
        }
    }

    #[test]
    fn a_side_on_a_neighbour_is_shared_a_side_across_a_street_is_not() {
        let mut f = Fabric::new(10.0);
        let ring = |x0: f64| {
            vec![
                Coord { x: x0, y: 0.0 },
                Coord {
                    x: x0 + 10.0,
                    y: 0.0,
                },
                Coord {
                    x: x0 + 10.0,
                    y: 20.0,
                },
                Coord { x: x0, y: 20.0 },
                Coord { x: x0, y: 0.0 },
            ]
        };
        f.add(0, &ring(0.0));
        f.add(1, &ring(10.3)); // 0.3 m gap: digitising noise
        f.add(2, &ring(40.0)); // across a 20 m street
        let east = side(&[(10.0, 0.0), (10.0, 20.0)]);
        assert_eq!(f.shared_fraction(0, &east, 1.5), 1.0);
        let west_of_1 = side(&[(30.3, 0.0), (30.3, 20.0)]);
        assert_eq!(f.shared_fraction(1, &west_of_1, 1.5), 0.0);
        assert!(f.nearest(0, Coord { x: 10.0, y: 5.0 }, 1.0).unwrap().1 < 0.31);
    }

    #[test]
    fn only_the_very_same_segment_is_shared_exactly() {
        let a = [side(&[(0.0, 0.0), (0.0, 10.0), (0.0, 20.0)])];
        // the same line, one half written the other way round, the other
        // half split at another vertex
        let b = [
            side(&[(0.0, 10.0), (0.0, 0.0)]),
            side(&[(0.0, 20.0), (0.0, 15.0), (0.0, 10.0)]),
        ];
        let v = shared_exactly(&[&a, &b]);
        assert_eq!(v[0], vec![0.5]);
        assert_eq!(v[1], vec![1.0, 0.0]);
    }

    #[test]
    fn a_segment_is_filed_under_every_cell_it_crosses() {
        let f = Fabric::new(10.0);
        for (a, b) in [
            ((3.0, 4.0), (97.5, 41.0)),
            ((-55.0, 12.0), (-3.0, -80.0)),
            ((0.0, 0.0), (30.0, 30.0)),
            ((5.0, 5.0), (5.0, -45.0)),
            ((12.0, 7.0), (12.5, 7.5)),
        ] {
            let (a, b) = (Coord { x: a.0, y: a.1 }, Coord { x: b.0, y: b.1 });
            let mut cells = Vec::new();
            cells_along(10.0, a, b, |k| cells.push(k));
            for i in 0..=10_000 {
                let t = f64::from(i) / 10_000.0;
                let p = Coord {
                    x: a.x + (b.x - a.x) * t,
                    y: a.y + (b.y - a.y) * t,
                };
                assert!(
                    cells.contains(&f.key(p)),
                    "{a:?}-{b:?} at {t}: {:?}",
                    f.key(p)
                );
            }
            // and not much more: one cell per crossing of a grid line
            let (ka, kb) = (f.key(a), f.key(b));
            assert!(cells.len() as u64 <= ka.0.abs_diff(kb.0) + ka.1.abs_diff(kb.1) + 2);
        }
        // a runaway segment is left out, not walked
        let mut g = Fabric::new(10.0);
        g.add(1, &[Coord { x: 0.0, y: 0.0 }, Coord { x: 1e300, y: 0.0 }]);
        g.add(
            2,
            &[
                Coord { x: 0.0, y: 0.0 },
                Coord {
                    x: f64::NAN,
                    y: 0.0,
                },
            ],
        );
        assert!(g.grid.is_empty());
    }
}
