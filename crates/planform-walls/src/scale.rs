//! Scale from what a plan shows: door openings of a known width, or a wall
//! of a known length.

use geo_types::Coord;

use crate::centerline::Centerlines;

/// The end of a wall at a free end node: its position and the direction
/// pointing out of the wall.
fn free_ends(c: &Centerlines) -> Vec<(Coord<f64>, Coord<f64>, f64, usize)> {
    let is_free = |p: Coord<f64>| {
        c.junctions
            .iter()
            .any(|j| j.degree == 1 && (j.at.x - p.x).hypot(j.at.y - p.y) < 1e-6)
    };
    let mut out = Vec::new();
    for (k, w) in c.walls.iter().enumerate() {
        let pts = &w.centerline.0;
        if pts.len() < 2 {
            continue;
        }
        for (end, prev) in [(pts[0], pts[1]), (pts[pts.len() - 1], pts[pts.len() - 2])] {
            if !is_free(end) {
                continue;
            }
            let (dx, dy) = (end.x - prev.x, end.y - prev.y);
            let len = dx.hypot(dy);
            if len > 0.0 {
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

/// Widths of the door (or window) openings of a wall graph, in pixels: two
/// wall ends that face each other along one line, or a wall end facing the
/// side of another wall, not farther apart than `max_gap_walls` wall
/// thicknesses. Thinning stops half a thickness short of each wall end and
/// a centreline runs half a thickness inside its wall; the widths add that
/// back.
pub fn opening_widths(c: &Centerlines, max_gap_walls: f64) -> Vec<f64> {
    let ends = free_ends(c);
    let mut used = vec![false; ends.len()];
    let mut widths = Vec::new();
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
                if d == 0.0 || d > max_gap_walls * t || tp.max(tq) > 1.6 * tp.min(tq) {
                    return None;
                }
                let (ex, ey) = (gx / d, gy / d);
                // both ends point at each other, and the gap runs along the walls
                let facing = u.x * ex + u.y * ey > 0.97 && -(v.x * ex + v.y * ey) > 0.97;
                facing.then_some((j, d - f64::midpoint(tp, tq)))
            })
            .min_by(|a, b| a.1.total_cmp(&b.1));
        if let Some((j, width)) = best {
            used[i] = true;
            used[j] = true;
            if width > 0.0 {
                widths.push(width);
            }
        } else if let Some((d, t_hit)) = ray_hit(c, p, u, own) {
            let width = d - tp / 2.0 - t_hit / 2.0;
            if d <= max_gap_walls * tp && width > 0.0 {
                used[i] = true;
                widths.push(width);
            }
        }
    }
    widths
}

/// Pixels per metre from the openings of a plan whose doors are
/// `door_width_m` wide (the median opening is taken as a door). `None` when
/// the plan shows no opening.
pub fn px_per_m_from_doors(c: &Centerlines, door_width_m: f64) -> Option<f64> {
    if !(door_width_m.is_finite() && door_width_m > 0.0) {
        return None;
    }
    let mut w = opening_widths(c, 15.0);
    if w.is_empty() {
        return None;
    }
    w.sort_by(f64::total_cmp);
    Some(w[w.len() / 2] / door_width_m)
}

/// Pixels per metre from one length known in both units (a wall measured
/// on site and on the plan).
pub fn px_per_m_from_length(length_px: f64, length_m: f64) -> Option<f64> {
    (length_px.is_finite() && length_m.is_finite() && length_px > 0.0 && length_m > 0.0)
        .then(|| length_px / length_m)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Mask;
    use crate::centerline::{CenterlineOptions, centerlines};

    #[test]
    fn door_openings_give_the_scale() {
        // a 6 px wall with two 40 px openings, and a T wall
        let m = Mask::from_fn(300, 80, |x, y| {
            let along = (10..290).contains(&x)
                && (20..26).contains(&y)
                && !(60..100).contains(&x)
                && !(180..220).contains(&x);
            let stem = (140..146).contains(&x) && (20..70).contains(&y);
            along || stem
        });
        let c = centerlines(&m, &CenterlineOptions::default()).unwrap();
        let w = opening_widths(&c, 15.0);
        assert_eq!(w.len(), 2, "{w:?} {c:?}");
        for v in &w {
            assert!((v - 40.0).abs() <= 2.0, "{w:?}");
        }
        let s = px_per_m_from_doors(&c, 0.8).unwrap();
        assert!((s - 50.0).abs() <= 2.5, "{s}");
        assert_eq!(px_per_m_from_doors(&c, 0.0), None);
        assert_eq!(px_per_m_from_length(100.0, 2.0), Some(50.0));
        // a wall ending 30 px short of a perpendicular wall: a door beside a junction
        let m = Mask::from_fn(200, 200, |x, y| {
            ((20..180).contains(&x) && (20..26).contains(&y))
                || ((100..106).contains(&x) && (56..180).contains(&y))
        });
        let c = centerlines(&m, &CenterlineOptions::default()).unwrap();
        let w = opening_widths(&c, 15.0);
        assert_eq!(w.len(), 1, "{w:?}");
        assert!((w[0] - 30.0).abs() <= 2.0, "{w:?}");
        assert_eq!(px_per_m_from_length(100.0, f64::NAN), None);
    }
}
