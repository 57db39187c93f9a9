//! Small plane-geometry helpers shared by the analyses (local metric
//! frame, x east, y north).

use geo::{Area, BoundingRect, Distance, Euclidean, Intersects, Winding};
use geo_types::{Coord, Line, LineString, MultiPoint, Point, Polygon, Rect};

/// Distance from `p` to the segment `a`–`b` (`geo`'s Euclidean distance).
pub(crate) fn seg_dist(p: Coord<f64>, a: Coord<f64>, b: Coord<f64>) -> f64 {
    Euclidean.distance(&Point::from(p), &Line::new(a, b))
}

/// The stretch `t0..t1` (within 0–1) of the segment `p`–`q` whose points
/// lie within `r` of the segment `a`–`b`, if any: the segment crosses the
/// capsule around `a`–`b`, which is convex, in one interval (the hull of
/// its crossings of the two end discs and the middle band).
///
/// Written by hand: `geo` measures distances between geometries but has
/// no operation for the part of a line within a distance of another (a
/// buffer and a clip would approximate the end discs by polygons; this is
/// exact).
pub(crate) fn within_interval(
    p: Coord<f64>,
    q: Coord<f64>,
    a: Coord<f64>,
    b: Coord<f64>,
    r: f64,
) -> Option<(f64, f64)> {
    let d = Coord {
        x: q.x - p.x,
        y: q.y - p.y,
    };
    let dd = d.x * d.x + d.y * d.y;
    // |p + t d - c| <= r
    let disc = |c: Coord<f64>| -> Option<(f64, f64)> {
        let (wx, wy) = (p.x - c.x, p.y - c.y);
        let cc = wx * wx + wy * wy - r * r;
        if dd == 0.0 {
            return (cc <= 0.0).then_some((0.0, 1.0));
        }
        let bb = d.x * wx + d.y * wy;
        let k = bb * bb - dd * cc;
        (k >= 0.0).then(|| ((-bb - k.sqrt()) / dd, (-bb + k.sqrt()) / dd))
    };
    // lo <= c0 + t c1 <= hi
    let slab = |c0: f64, c1: f64, lo: f64, hi: f64| -> Option<(f64, f64)> {
        if c1.abs() < 1e-15 {
            return (lo..=hi)
                .contains(&c0)
                .then_some((f64::NEG_INFINITY, f64::INFINITY));
        }
        let (t0, t1) = ((lo - c0) / c1, (hi - c0) / c1);
        Some((t0.min(t1), t0.max(t1)))
    };
    let (ex, ey) = (b.x - a.x, b.y - a.y);
    let len = ex.hypot(ey);
    let band = if len > 0.0 {
        let (ux, uy) = (ex / len, ey / len);
        let (wx, wy) = (p.x - a.x, p.y - a.y);
        slab(wx * ux + wy * uy, d.x * ux + d.y * uy, 0.0, len)
            .zip(slab(wx * -uy + wy * ux, d.x * -uy + d.y * ux, -r, r))
            .map(|(s, t)| (s.0.max(t.0), s.1.min(t.1)))
            .filter(|(t0, t1)| t0 <= t1)
    } else {
        None
    };
    let hull = [disc(a), disc(b), band]
        .into_iter()
        .flatten()
        .fold(None::<(f64, f64)>, |acc, (t0, t1)| {
            Some(acc.map_or((t0, t1), |(a0, a1)| (a0.min(t0), a1.max(t1))))
        })?;
    let (t0, t1) = (hull.0.max(0.0), hull.1.min(1.0));
    (t0 <= t1).then_some((t0, t1))
}

/// The bounding box of some points (`geo`'s `BoundingRect`); `None` for
/// none.
pub(crate) fn bbox<'a>(pts: impl IntoIterator<Item = &'a (f64, f64)>) -> Option<Rect<f64>> {
    pts.into_iter()
        .map(|&(x, y)| Coord { x, y })
        .collect::<MultiPoint<f64>>()
        .bounding_rect()
}

/// Whether two bounding boxes come within `margin` of each other.
pub(crate) fn boxes_meet(a: Option<Rect<f64>>, b: Option<Rect<f64>>, margin: f64) -> bool {
    let (Some(a), Some(b)) = (a, b) else {
        return false;
    };
    let m = Coord {
        x: margin,
        y: margin,
    };
    Rect::new(a.min() - m, a.max() + m).intersects(&b)
}

/// A ring (open or closed) as a polygon, for `geo`'s predicates.
pub(crate) fn polygon(ring: &[Coord<f64>]) -> Polygon<f64> {
    Polygon::new(LineString::from(ring.to_vec()), vec![])
}

/// Whether a ring (open or closed) runs counter-clockwise (`geo`'s
/// `Winding`).
pub(crate) fn is_ccw(ring: &[Coord<f64>]) -> bool {
    let mut line = LineString::from(ring.to_vec());
    line.close();
    line.is_ccw()
}

/// The parts of a simple ring (open or closed) where `keep(p) >= 0`, for an
/// affine `keep` (a half-plane): one ring per connected piece (a concave
/// ring can fall into several), each open, in the input's orientation,
/// pieces of no area dropped. Where the boundary leaves and re-enters the
/// half-plane, the pieces are closed along its edge line, pairing the
/// crossings in their order along it.
///
/// Written by hand rather than with `geo`'s `BooleanOps` (the ring
/// intersected with a large rectangle): one overlay costs 3.6 µs, and the
/// yards take four of them, against 20 µs for the whole analysis of a
/// lot; this walk costs well under a microsecond.
pub(crate) fn split_half_plane(
    ring: &[Coord<f64>],
    keep: &dyn Fn(Coord<f64>) -> f64,
) -> Vec<Vec<Coord<f64>>> {
    let ring = match ring {
        [first, .., last] if first == last => &ring[..ring.len() - 1],
        _ => ring,
    };
    let n = ring.len();
    if n < 3 {
        return Vec::new();
    }
    let d: Vec<f64> = ring.iter().map(|p| keep(*p)).collect();
    let Some(start) = (0..n).find(|i| d[*i] < 0.0) else {
        return vec![ring.to_vec()];
    };
    // chains inside the half-plane, each from an entry to an exit crossing
    let mut chains: Vec<Vec<Coord<f64>>> = Vec::new();
    let mut cur: Vec<Coord<f64>> = Vec::with_capacity(n + 2);
    for k in 0..n {
        let (i, j) = ((start + k) % n, (start + k + 1) % n);
        let (a, b) = (ring[i], ring[j]);
        let (da, db) = (d[i], d[j]);
        if (da >= 0.0) != (db >= 0.0) {
            let t = da / (da - db);
            let c = Coord {
                x: a.x + (b.x - a.x) * t,
                y: a.y + (b.y - a.y) * t,
            };
            cur.push(c);
            if db < 0.0 {
                chains.push(std::mem::take(&mut cur));
            }
        }
        if db >= 0.0 {
            cur.push(b);
        }
    }
    if chains.is_empty() {
        return Vec::new();
    }
    if let [chain] = chains.as_mut_slice() {
        // one stretch inside (a convex ring's only case): the chain is the
        // piece, closed along the line from its exit to its entry
        let mut piece = std::mem::take(chain);
        piece.dedup();
        while piece.len() > 1 && piece[0] == piece[piece.len() - 1] {
            piece.pop();
        }
        return if piece.len() >= 3 && polygon(&piece).unsigned_area() > 5e-10 {
            vec![piece]
        } else {
            Vec::new()
        };
    }
    close_along_line(&chains, keep)
}

/// Several chains of a split ring joined into pieces along the split line:
/// the crossings in order along it, consecutive pairs bounding the
/// stretches of the line inside the ring.
fn close_along_line(
    chains: &[Vec<Coord<f64>>],
    keep: &dyn Fn(Coord<f64>) -> f64,
) -> Vec<Vec<Coord<f64>>> {
    let (p0, p1) = (chains[0][0], chains[0][chains[0].len() - 1]);
    let mut dir = Coord {
        x: p1.x - p0.x,
        y: p1.y - p0.y,
    };
    if dir.x == 0.0 && dir.y == 0.0 {
        // a gradient of keep gives the line's normal; its perpendicular runs along it
        let g = Coord {
            x: keep(Coord {
                x: p0.x + 1.0,
                y: p0.y,
            }) - keep(p0),
            y: keep(Coord {
                x: p0.x,
                y: p0.y + 1.0,
            }) - keep(p0),
        };
        dir = Coord { x: -g.y, y: g.x };
    }
    let along = |p: Coord<f64>| (p.x - p0.x) * dir.x + (p.y - p0.y) * dir.y;
    // (position, chain, is the chain's exit)
    let mut ends: Vec<(f64, usize, bool)> = chains
        .iter()
        .enumerate()
        .flat_map(|(c, ch)| [(along(ch[0]), c, false), (along(ch[ch.len() - 1]), c, true)])
        .collect();
    ends.sort_by(|a, b| a.0.total_cmp(&b.0));
    // each exit continues along the line to the entry it is paired with
    let mut next = vec![usize::MAX; chains.len()];
    for pair in ends.chunks(2) {
        match pair {
            [(_, a, true), (_, b, false)] | [(_, b, false), (_, a, true)] => next[*a] = *b,
            _ => return Vec::new(),
        }
    }
    let mut used = vec![false; chains.len()];
    let mut pieces = Vec::new();
    for first in 0..chains.len() {
        if used[first] {
            continue;
        }
        let mut piece: Vec<Coord<f64>> = Vec::new();
        let mut c = first;
        while c != usize::MAX && !used[c] {
            used[c] = true;
            for p in &chains[c] {
                if piece.last() != Some(p) {
                    piece.push(*p);
                }
            }
            c = next[c];
        }
        while piece.len() > 1 && piece[0] == piece[piece.len() - 1] {
            piece.pop();
        }
        if piece.len() >= 3 && polygon(&piece).unsigned_area() > 5e-10 {
            pieces.push(piece);
        }
    }
    pieces
}

#[cfg(test)]
mod tests {
    use super::*;

    fn c(x: f64, y: f64) -> Coord<f64> {
        Coord { x, y }
    }

    fn close(got: Option<(f64, f64)>, want: (f64, f64)) {
        let (a, b) = got.unwrap();
        assert!(
            (a - want.0).abs() < 1e-12 && (b - want.1).abs() < 1e-12,
            "{got:?} vs {want:?}"
        );
    }

    #[test]
    fn the_stretch_of_a_segment_near_another() {
        // along an existing fence 0.5 m off, overlapping x = 5..12 of 0..20,
        // plus the 1 m end discs' reach (sqrt(1 - 0.25) each side)
        let h = 0.75f64.sqrt();
        close(
            within_interval(c(0.0, 0.0), c(20.0, 0.0), c(5.0, 0.5), c(12.0, 0.5), 1.0),
            ((5.0 - h) / 20.0, (12.0 + h) / 20.0),
        );
        // crossing it square: 1 m either side of the crossing
        close(
            within_interval(c(8.0, -10.0), c(8.0, 10.0), c(5.0, 0.0), c(12.0, 0.0), 1.0),
            (9.0 / 20.0, 11.0 / 20.0),
        );
        // passing its end disc only
        close(
            within_interval(
                c(13.0, -10.0),
                c(13.0, 10.0),
                c(5.0, 0.0),
                c(12.0, 0.0),
                1.0,
            ),
            (0.5, 0.5),
        );
        assert_eq!(
            within_interval(c(0.0, 3.0), c(20.0, 3.0), c(5.0, 0.0), c(12.0, 0.0), 1.0),
            None
        );
        // a degenerate barrier (one point) is its disc
        close(
            within_interval(c(0.0, 0.0), c(10.0, 0.0), c(5.0, 0.0), c(5.0, 0.0), 1.0),
            (0.4, 0.6),
        );
    }

    #[test]
    fn a_half_plane_splits_a_u_into_its_two_arms() {
        // a U open to the north: arms x 0..2 and 8..10 above y = 2
        let u = [
            c(0.0, 0.0),
            c(10.0, 0.0),
            c(10.0, 10.0),
            c(8.0, 10.0),
            c(8.0, 2.0),
            c(2.0, 2.0),
            c(2.0, 10.0),
            c(0.0, 10.0),
        ];
        let above = split_half_plane(&u, &|p| p.y - 5.0);
        assert_eq!(above.len(), 2);
        let mut areas: Vec<f64> = above.iter().map(|r| polygon(r).signed_area()).collect();
        areas.sort_by(f64::total_cmp);
        assert_eq!(areas, vec![10.0, 10.0]);
        // below y = 5 stays one piece: 10 × 2 + 2 × (2 × 3)
        let below = split_half_plane(&u, &|p| 5.0 - p.y);
        assert_eq!(below.len(), 1);
        assert!((polygon(&below[0]).signed_area() - 32.0).abs() < 1e-9);
        // wholly inside, wholly outside, a closed ring repeated point
        let mut closed = u.to_vec();
        closed.push(u[0]);
        assert_eq!(split_half_plane(&closed, &|p| p.y + 1.0).len(), 1);
        assert!(split_half_plane(&u, &|p| p.y - 11.0).is_empty());
        // clockwise input keeps its orientation
        let mut cw = u.to_vec();
        cw.reverse();
        assert!(
            split_half_plane(&cw, &|p| p.y - 5.0)
                .iter()
                .all(|r| polygon(r).signed_area() < 0.0)
        );
        // touching the line at a vertex from inside keeps the ring whole
        let tri = [c(0.0, 0.0), c(4.0, 0.0), c(2.0, 3.0)];
        let t = split_half_plane(&tri, &|p| 3.0 - p.y);
        assert_eq!(t.len(), 1);
        assert!((polygon(&t[0]).signed_area() - 6.0).abs() < 1e-9);
    }
}
