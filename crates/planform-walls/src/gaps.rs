//! Door and window openings found in the wall graph, as lines across the
//! gaps: two free wall ends that face each other along one line, or a free
//! wall end facing the side of another wall, no farther apart than a
//! number of wall thicknesses.
//!
//! Two readings: [`openings`] pairs free ends from the graph alone (strict:
//! the door widths [`crate::scale`] takes a plan's scale from), and
//! [`openings_along`] walks the mask along every wall line that stops, from
//! corners and junctions too (complete: the openings [`crate::rooms`]
//! closes; on the R2V plans it finds 0.70 of the annotated doors where the
//! pairs find 0.48, but its widths include windows, which put MLSTRUCT's
//! door scale 8 % off where the pairs' is within 5 %).
//!
//! Thinning stops half a thickness short of each wall end and a
//! centreline runs half a thickness inside its wall, so each opening runs
//! from wall face to wall face: half a thickness beyond the wall end's
//! node, to half the other wall's thickness short of its centreline.

use geo_types::Coord;

use crate::centerline::Centerlines;
use crate::mask::Mask;

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

/// The plan's main wall direction, radians in `0..π/2`: the
/// length-weighted circular mean of the walls' directions taken modulo a
/// right angle. `None` without walls.
fn main_direction(c: &Centerlines) -> Option<f64> {
    let (mut sx, mut sy) = (0.0, 0.0);
    for l in c.walls.iter().flat_map(|w| w.centerline.lines()) {
        let (dx, dy) = (l.dx(), l.dy());
        let len = dx.hypot(dy);
        if len > 0.0 && len.is_finite() {
            let a = 4.0 * dy.atan2(dx);
            sx += len * a.cos();
            sy += len * a.sin();
        }
    }
    (sx != 0.0 || sy != 0.0).then(|| sy.atan2(sx).rem_euclid(std::f64::consts::TAU) / 4.0)
}

/// `u` turned onto the nearest of the plan's four main directions when it
/// is within `tol` radians of it.
fn snapped(u: Coord<f64>, main: Option<f64>, tol: f64) -> Coord<f64> {
    let Some(m) = main else { return u };
    let a = u.y.atan2(u.x);
    let q = std::f64::consts::FRAC_PI_2;
    let k = ((a - m) / q).round();
    let axis = m + k * q;
    if (a - axis).abs() <= tol {
        Coord {
            x: axis.cos(),
            y: axis.sin(),
        }
    } else {
        u
    }
}

/// What a walk from a wall end along its line meets: the distance to the
/// wall's face, to the first wall pixel beyond the gap, and how far that
/// wall goes on along the line.
struct Walk {
    face: f64,
    hit: f64,
    run: f64,
}

/// Walks the mask from `p` along `s` in half-pixel steps: through the
/// wall `p` lies in (at most `inside`), the background after it (at most
/// `gap`), and the wall met beyond it (at most `beyond`).
fn walk(
    mask: &Mask,
    p: Coord<f64>,
    s: Coord<f64>,
    (inside, gap, beyond): (f64, f64, f64),
) -> Option<Walk> {
    let h = f64::from(mask.height());
    let wall = |d: f64| {
        let (x, y) = (p.x + s.x * d, p.y + s.y * d);
        mask.get(x.floor() as i64, (h - y).floor() as i64)
    };
    let step = 0.5;
    let mut d = 0.0;
    while wall(d) {
        d += step;
        if d > inside {
            return None;
        }
    }
    let face = d;
    while !wall(d) {
        d += step;
        if d - face > gap {
            return None;
        }
    }
    let hit = d;
    while wall(d) && d - hit < beyond {
        d += step;
    }
    Some(Walk {
        face,
        hit,
        run: d - hit,
    })
}

/// Whether a walk's gap `face..hit` (from `p` along `s`) runs along a
/// wall's side rather than through a hole in a wall line: beside a hole
/// there is free space on both sides of the line, beside a wall's side
/// the wall on one (more than a quarter of the samples).
fn grazes(mask: &Mask, p: Coord<f64>, s: Coord<f64>, (face, hit): (f64, f64), t: f64) -> bool {
    let h = f64::from(mask.height());
    let wall = |q: Coord<f64>| mask.get(q.x.floor() as i64, (h - q.y).floor() as i64);
    let n = Coord { x: -s.y, y: s.x };
    let off = t / 2.0 + 1.5;
    let samples = (((hit - face) / 2.0).ceil() as usize).clamp(3, 200);
    let beside = (0..samples)
        .filter(|k| {
            let d = face + (hit - face) * (*k as f64 + 0.5) / samples as f64;
            let q = along(p, s, d);
            wall(along(q, n, off)) || wall(along(q, n, -off))
        })
        .count();
    4 * beside > samples
}

/// The openings of a wall graph read against its mask: from every wall
/// end where the wall's line stops (no wall at the end goes on along it),
/// a walk along the line (its direction taken on the plan's main axes
/// within 12°) through the wall's end face and across the background to
/// the next wall. The gap is an opening when the wall met goes on along
/// the line for two thicknesses (a wall continuing across a door: at most
/// `facing_walls` thicknesses away), or, from a free end, when it is the
/// side of a wall within `side_walls` thicknesses. Openings found from
/// both of their sides are kept once.
pub fn openings_along(
    c: &Centerlines,
    mask: &Mask,
    facing_walls: f64,
    side_walls: f64,
) -> Vec<Opening> {
    let dirs = crate::openings::leaving_all(c);
    let main = main_direction(c);
    let mut out: Vec<Opening> = Vec::new();
    for (j, leaving) in c.junctions.iter().zip(&dirs) {
        for &(u, t) in leaving {
            let s = snapped(Coord { x: -u.x, y: -u.y }, main, 12f64.to_radians());
            if leaving.iter().any(|(v, _)| v.x * s.x + v.y * s.y > 0.95) {
                continue; // the line goes on through the junction
            }
            let t = t.max(1.0);
            let Some(w) = walk(mask, j.at, s, (2.0 * t, facing_walls * t, 2.0 * t)) else {
                continue;
            };
            let width = w.hit - w.face;
            if grazes(mask, j.at, s, (w.face, w.hit), t) {
                continue;
            }
            let along_line = w.run >= 2.0 * t;
            let ok = if along_line {
                true
            } else {
                j.degree == 1 && width <= side_walls * t
            };
            if !ok || width <= 0.0 {
                continue;
            }
            let from = along(j.at, s, w.face);
            let to = along(j.at, s, w.hit);
            let mid = (from + to) / 2.0;
            let same = out.iter().any(|o| {
                let m = (o.from + o.to) / 2.0;
                (m.x - mid.x).hypot(m.y - mid.y) <= t.max(o.thickness)
            });
            if same {
                continue;
            }
            out.push(Opening {
                from,
                to,
                width,
                thickness: t,
                closure: [j.at, along(j.at, s, w.hit + w.run.min(t))],
            });
        }
    }
    out
}
