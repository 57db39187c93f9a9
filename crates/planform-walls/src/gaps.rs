//! Door and window openings found in the wall graph, as lines across the
//! gaps: two free wall ends that face each other along one line, or a free
//! wall end facing the side of another wall, no farther apart than a
//! number of wall thicknesses.
//!
//! Thinning stops half a thickness short of each wall end and a
//! centreline runs half a thickness inside its wall, so each opening runs
//! from wall face to wall face: half a thickness beyond the wall end's
//! node, to half the other wall's thickness short of its centreline.

use geo_types::Coord;

use crate::centerline::Centerlines;

/// An opening across a gap in the walls, in plan pixels.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Opening {
    /// Where it leaves the first wall's face.
    pub from: Coord<f64>,
    /// Where it meets the other wall's face.
    pub to: Coord<f64>,
    /// Its width, `from` to `to`, pixels.
    pub width: f64,
    /// The thicker of the two walls it joins, pixels.
    pub thickness: f64,
    /// The wall end's node `from` was measured from (on the centreline,
    /// half a thickness inside the wall), and the point as far inside the
    /// other wall: the segment that closes the gap when drawn
    /// `thickness` wide.
    pub closure: [Coord<f64>; 2],
}

/// A wall's end at a free end node: its position, the unit direction
/// pointing out of the wall, its thickness and the wall's index.
type FreeEnd = (Coord<f64>, Coord<f64>, f64, usize);

fn free_ends(c: &Centerlines) -> Vec<FreeEnd> {
    let key = |p: Coord<f64>| [p.x.to_bits(), p.y.to_bits()];
    let free: crate::fasthash::FastSet<[u64; 2]> = c
        .junctions
        .iter()
        .filter(|j| j.degree == 1)
        .map(|j| key(j.at))
        .collect();
    let mut out = Vec::new();
    for (k, w) in c.walls.iter().enumerate() {
        let pts = &w.centerline.0;
        if pts.len() < 2 {
            continue;
        }
        for (end, prev) in [(pts[0], pts[1]), (pts[pts.len() - 1], pts[pts.len() - 2])] {
            if !free.contains(&key(end)) {
                continue;
            }
            let (dx, dy) = (end.x - prev.x, end.y - prev.y);
            let len = dx.hypot(dy);
            if len > 0.0 && len.is_finite() {
                out.push((
                    end,
                    Coord {
                        x: dx / len,
                        y: dy / len,
                    },
                    w.thickness,
                    k,
                ));
            }
        }
    }
    out
}

/// Where a ray from `p` along `u` first meets another wall's centreline:
/// the distance and that wall's thickness.
fn ray_hit(c: &Centerlines, p: Coord<f64>, u: Coord<f64>, own: usize) -> Option<(f64, f64)> {
    let mut best: Option<(f64, f64)> = None;
    for (k, w) in c.walls.iter().enumerate() {
        if k == own {
            continue;
        }
        for l in w.centerline.lines() {
            let (sx, sy) = (l.end.x - l.start.x, l.end.y - l.start.y);
            let den = u.x * sy - u.y * sx;
            if den.abs() < 1e-12 {
                continue;
            }
            let (qx, qy) = (l.start.x - p.x, l.start.y - p.y);
            let t = (qx * sy - qy * sx) / den; // along the ray
            let s = (qx * u.y - qy * u.x) / den; // along the segment
            // the wall is half its thickness wider than its centreline at the ends
            let e = w.thickness / 2.0 / sx.hypot(sy);
            if t > 0.0 && (-e..=1.0 + e).contains(&s) && best.is_none_or(|b| t < b.0) {
                best = Some((t, w.thickness));
            }
        }
    }
    best
}

fn along(p: Coord<f64>, u: Coord<f64>, d: f64) -> Coord<f64> {
    Coord {
        x: p.x + u.x * d,
        y: p.y + u.y * d,
    }
}

/// The openings of a wall graph: each free end paired with the nearest
/// free end facing it along one line (walls of similar thickness, at most
/// `max_gap_walls` thicknesses apart), else with the first wall its line
/// meets within that reach. Each free end is in one opening at most; the
/// first free end of a pair is the one earlier in wall order.
pub fn openings(c: &Centerlines, max_gap_walls: f64) -> Vec<Opening> {
    openings_within(c, max_gap_walls, max_gap_walls)
}

/// [`openings`] with a reach of its own for each kind: two free ends
/// facing each other on one line at most `facing_walls` thicknesses apart,
/// a free end facing a wall's side at most `side_walls`.
pub fn openings_within(c: &Centerlines, facing_walls: f64, side_walls: f64) -> Vec<Opening> {
    let ends = free_ends(c);
    let mut used = vec![false; ends.len()];
    let mut out = Vec::new();
    for i in 0..ends.len() {
        if used[i] {
            continue;
        }
        let (p, u, tp, own) = ends[i];
        let best = (0..ends.len())
            .filter(|&j| j != i && !used[j])
            .filter_map(|j| {
                let (q, v, tq, _) = ends[j];
                let (gx, gy) = (q.x - p.x, q.y - p.y);
                let d = gx.hypot(gy);
                let t = tp.max(tq);
                if d == 0.0 || d > facing_walls * t || tp.max(tq) > 1.6 * tp.min(tq) {
                    return None;
                }
                let (ex, ey) = (gx / d, gy / d);
                // both ends point at each other, on one line (each within
                // a thickness, at least 3 px, of the other's line: R2V's
                // walls are offset by a pixel or two across a door), and
                // the gap runs along the walls
                let facing = u.x * ex + u.y * ey > 0.97 && -(v.x * ex + v.y * ey) > 0.97;
                let off = (gx * u.y - gy * u.x).abs().max((gx * v.y - gy * v.x).abs());
                (facing && off <= t.max(3.0)).then_some((j, d))
            })
            .min_by(|a, b| a.1.total_cmp(&b.1));
        if let Some((j, d)) = best {
            used[i] = true;
            used[j] = true;
            let (q, v, tq, _) = ends[j];
            let width = d - f64::midpoint(tp, tq);
            if width > 0.0 {
                out.push(Opening {
                    from: along(p, u, tp / 2.0),
                    to: along(q, v, tq / 2.0),
                    width,
                    thickness: tp.max(tq),
                    closure: [p, q],
                });
            }
        } else if let Some((d, t_hit)) = ray_hit(c, p, u, own) {
            let width = d - tp / 2.0 - t_hit / 2.0;
            if d <= side_walls * tp && width > 0.0 {
                used[i] = true;
                out.push(Opening {
                    from: along(p, u, tp / 2.0),
                    to: along(p, u, d - t_hit / 2.0),
                    width,
                    thickness: tp.max(t_hit),
                    closure: [p, along(p, u, d)],
                });
            }
        }
    }
    out
}
