//! Openings at junctions: where a wall stops at a junction and, across a
//! door or window opening, another junction carries the same line on, the
//! wall runs through the opening as drawings (and R2V's ground truth) read
//! it. Each such junction's
//! [`openings`](crate::centerline::Junction::openings) counts the walls
//! that continue across an opening from it, so that a corner whose third
//! wall starts behind a door reads as the T it is. The walls themselves
//! keep their gaps.
//!
//! An opening joins junctions `J` and `M` when a wall leaves `J` in
//! direction `-s` and none leaves it along `s`, `M` lies ahead along `s`
//! within half a wall thickness of the line and at most `max_gap_walls`
//! wall thicknesses away, a wall leaves `M` along `s` and none toward `J`,
//! and the mask between them is mostly background. (A wall end facing the
//! side of a wall across an opening would meet it in a T the graph has no
//! node for; on R2V's ground truth adding those cost more false junctions
//! than it found, so they are not added.)

use geo_types::Coord;

use crate::centerline::Centerlines;
use crate::mask::Mask;

/// For each junction, the unit directions of the walls leaving it (from
/// their end there into the wall) with their thickness, in wall order.
/// Wall ends are sorted by x once and each junction looks up its own, so
/// the work is O((walls + junctions) log walls), not walls x junctions.
pub(crate) fn leaving_all(c: &Centerlines) -> Vec<Vec<(Coord<f64>, f64)>> {
    // (end, direction, thickness) of every wall end, in wall order
    let mut ends: Vec<(Coord<f64>, Coord<f64>, f64)> = Vec::with_capacity(2 * c.walls.len());
    for w in &c.walls {
        let p = &w.centerline.0;
        if p.len() < 2 {
            continue;
        }
        // the direction over about two thicknesses (a kink at the very end,
        // where the wall was joined to the junction, says little)
        let ahead = |pts: &mut dyn Iterator<Item = Coord<f64>>| {
            let first = pts.next()?;
            let mut last = first;
            for q in pts {
                last = q;
                if (q.x - first.x).hypot(q.y - first.y) >= 2.0 * w.thickness {
                    break;
                }
            }
            Some((first, last))
        };
        for (end, next) in [
            ahead(&mut p.iter().copied()),
            ahead(&mut p.iter().rev().copied()),
        ]
        .into_iter()
        .flatten()
        {
            let (dx, dy) = (next.x - end.x, next.y - end.y);
            let l = dx.hypot(dy);
            if l > 0.0 {
                ends.push((
                    end,
                    Coord {
                        x: dx / l,
                        y: dy / l,
                    },
                    w.thickness,
                ));
            }
        }
    }
    let mut by_x: Vec<usize> = (0..ends.len()).collect();
    by_x.sort_by(|&i, &j| ends[i].0.x.total_cmp(&ends[j].0.x).then(i.cmp(&j)));
    c.junctions
        .iter()
        .map(|j| {
            let at = j.at;
            let from = by_x.partition_point(|&i| ends[i].0.x <= at.x - 1e-9);
            let mut found: Vec<usize> = by_x[from..]
                .iter()
                .copied()
                .take_while(|&i| ends[i].0.x < at.x + 1e-9)
                .filter(|&i| (ends[i].0.y - at.y).abs() < 1e-9)
                .collect();
            found.sort_unstable();
            found.into_iter().map(|i| (ends[i].1, ends[i].2)).collect()
        })
        .collect()
}

/// Junctions filed in square cells, to find those near a point.
struct Cells {
    size: f64,
    cells: crate::fasthash::FastMap<(i64, i64), Vec<usize>>,
}

impl Cells {
    fn new(c: &Centerlines, size: f64) -> Self {
        let mut cells: crate::fasthash::FastMap<(i64, i64), Vec<usize>> =
            crate::fasthash::FastMap::default();
        for (k, j) in c.junctions.iter().enumerate() {
            cells
                .entry((
                    (j.at.x / size).floor() as i64,
                    (j.at.y / size).floor() as i64,
                ))
                .or_default()
                .push(k);
        }
        Self { size, cells }
    }

    /// Junctions within the square of half-side `r` around `p` (and some
    /// beyond it), in no order.
    fn near(&self, p: Coord<f64>, r: f64) -> Vec<usize> {
        let cell = |v: f64| (v / self.size).floor() as i64;
        let (x0, x1, y0, y1) = (cell(p.x - r), cell(p.x + r), cell(p.y - r), cell(p.y + r));
        let span = (x1 - x0 + 1).saturating_mul(y1 - y0 + 1);
        if span < 0 || span as usize > self.cells.len() {
            // a square wider than the filed cells: every junction
            return self.cells.values().flatten().copied().collect();
        }
        (x0..=x1)
            .flat_map(move |x| (y0..=y1).map(move |y| (x, y)))
            .filter_map(|k| self.cells.get(&k))
            .flatten()
            .copied()
            .collect()
    }
}

/// Whether the straight run between two plan points is mostly background.
fn open_between(mask: &Mask, a: Coord<f64>, b: Coord<f64>) -> bool {
    let h = f64::from(mask.height());
    let n = ((b.x - a.x).hypot(b.y - a.y).ceil() as usize).max(1);
    let wall = (1..n)
        .filter(|k| {
            let t = *k as f64 / n as f64;
            let (x, y) = (a.x + (b.x - a.x) * t, a.y + (b.y - a.y) * t);
            mask.get(x.floor() as i64, (h - y).floor() as i64)
        })
        .count();
    2 * wall < n.saturating_sub(1).max(1)
}

/// Counts, for every junction of degree 2 or more, the walls that continue
/// across an opening from it (see the module docs).
pub fn count_openings(c: &mut Centerlines, mask: &Mask, max_gap_walls: f64) {
    let dirs = leaving_all(c);
    let cells = Cells::new(c, 64.0);
    let along = |d: &[(Coord<f64>, f64)], s: Coord<f64>| {
        d.iter().any(|(u, _)| u.x * s.x + u.y * s.y > 0.95)
    };
    let mut add = vec![0usize; c.junctions.len()];
    for (i, j) in c.junctions.iter().enumerate() {
        if j.degree < 2 {
            continue;
        }
        for &(u, t) in &dirs[i] {
            // the wall leaves along u; does the line go on along -u?
            let s = Coord { x: -u.x, y: -u.y };
            if along(&dirs[i], s) {
                continue;
            }
            // M lies ahead within max_gap_walls * t, within t / 2 of the line
            let reach = max_gap_walls * t + t;
            let best = cells
                .near(j.at, reach)
                .into_iter()
                .map(|k| (k, &c.junctions[k]))
                .filter(|(k, m)| *k != i && m.degree >= 1)
                .filter_map(|(k, m)| {
                    let (gx, gy) = (m.at.x - j.at.x, m.at.y - j.at.y);
                    let ahead = gx * s.x + gy * s.y;
                    let off = (gx * s.y - gy * s.x).abs();
                    (ahead > 0.0 && ahead <= max_gap_walls * t && off <= t / 2.0)
                        .then_some((k, ahead))
                })
                .min_by(|a, b| a.1.total_cmp(&b.1).then(a.0.cmp(&b.0)));
            if let Some((k, _)) = best
                && along(&dirs[k], s)
                && !along(&dirs[k], u)
                && open_between(mask, j.at, c.junctions[k].at)
            {
                // M, when a junction, counts it from its own side
                add[i] += 1;
            }
        }
    }
    for (j, a) in c.junctions.iter_mut().zip(add) {
        j.openings = a;
    }
}

#[cfg(test)]
mod tests {
    use crate::centerline::{CenterlineOptions, centerlines};
    use crate::mask::Mask;

    /// The junctions of degree 2 or more with their type (degree +
    /// openings), in image coordinates.
    fn types(m: &Mask) -> Vec<((f64, f64), usize, usize)> {
        let c = centerlines(m, &CenterlineOptions::default()).unwrap();
        let h = f64::from(m.height());
        c.junctions
            .iter()
            .filter(|j| j.degree + j.openings >= 2)
            .map(|j| ((j.at.x, h - j.at.y), j.degree, j.openings))
            .collect()
    }

    #[test]
    fn a_corner_whose_third_wall_starts_behind_a_door_is_a_t() {
        // a wall along the top, one up from its middle, and below the
        // middle a wall that starts after a 14 px door opening
        let m = Mask::from_fn(100, 100, |x, y| {
            let top = (5..53).contains(&x) && (20..26).contains(&y);
            let up = (47..53).contains(&x) && (2..26).contains(&y);
            let down = (47..53).contains(&x) && (40..95).contains(&y);
            top || up || down
        });
        let t = types(&m);
        assert_eq!(t.len(), 1, "{t:?}");
        let ((x, y), degree, openings) = t[0];
        assert!((x - 50.0).abs() < 2.0 && (y - 23.0).abs() < 2.0, "{t:?}");
        assert_eq!((degree, openings), (2, 1));
        // without the door, nothing continues: a plain corner
        let closed = Mask::from_fn(100, 100, |x, y| {
            ((5..53).contains(&x) && (20..26).contains(&y))
                || ((47..53).contains(&x) && (2..26).contains(&y))
        });
        assert_eq!(
            types(&closed).iter().map(|t| t.1 + t.2).collect::<Vec<_>>(),
            vec![2]
        );
    }

    #[test]
    fn a_wall_end_facing_a_passing_wall_adds_no_node() {
        // a wall straight across, and a wall below it starting after a
        // 14 px opening: the graph has no node where its line meets the
        // wall, and none is made up (see the module docs)
        let m = Mask::from_fn(100, 100, |x, y| {
            ((5..95).contains(&x) && (20..26).contains(&y))
                || ((47..53).contains(&x) && (40..95).contains(&y))
        });
        assert!(types(&m).is_empty(), "{:?}", types(&m));
    }
}
