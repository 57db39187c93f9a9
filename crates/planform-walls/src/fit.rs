//! Fitting each wall part to the mask: its thickness and, for a straight
//! wall, a sideways offset. A one-pixel skeleton sits half a pixel off the
//! middle of a wall an even number of pixels thick; a capsule drawn on it
//! then misses a row of pixels along one side however thick it is drawn.
//! The band fit finds the strip beside the wall (its edges parallel to it)
//! that holds the most wall pixels less background pixels, and the wall
//! moves to the strip's middle; the walls meeting at a junction are then
//! joined again at the intersection of their moved lines.

use crate::fasthash::FastMap;

use crate::mask::Mask;

/// Width of the wall through `p` (image coordinates): the shortest of the
/// four chords (horizontal, vertical, both diagonals) through the pixel,
/// each side counted up to 4096 pixels.
///
/// The eight rays are marched in lockstep and the march stops as soon as no
/// chord still growing can be shorter than the shortest one closed, so the
/// work is a few times the answer, not the longest chord: at a junction of
/// a one-pixel grid, the chord along a grid line spans the whole image
/// (walking each chord to its end made centrelines quadratic in the number
/// of walls, 111 s for a 64 Mpx grid).
pub(crate) fn local_width(mask: &Mask, p: [f64; 2]) -> f64 {
    const MAX_RUN: i64 = 4096;
    const DIRS: [(i64, i64, f64); 4] = [
        (1, 0, 1.0),
        (0, 1, 1.0),
        (1, 1, std::f64::consts::SQRT_2),
        (1, -1, std::f64::consts::SQRT_2),
    ];
    let (x, y) = (p[0].floor() as i64, p[1].floor() as i64);
    if !mask.get(x, y) {
        return 1.0;
    }
    // per direction: the run on each side, and whether each side goes on
    let mut len = [[0i64; 2]; 4];
    let mut open = [[true; 2]; 4];
    let mut best = f64::INFINITY;
    for step in 1..=MAX_RUN {
        let mut growing = false;
        for (d, &(dx, dy, s)) in DIRS.iter().enumerate() {
            let chord = |len: [i64; 2]| (len[0] + len[1] + 1) as f64 * s;
            if !(open[d][0] || open[d][1]) || chord(len[d]) >= best {
                continue;
            }
            for (side, sign) in [(0, 1), (1, -1)] {
                if open[d][side] && mask.get(x + sign * step * dx, y + sign * step * dy) {
                    len[d][side] += 1;
                } else {
                    open[d][side] = false;
                }
            }
            if open[d][0] || open[d][1] {
                growing = true;
            } else {
                best = best.min(chord(len[d]));
            }
        }
        if !growing {
            break;
        }
    }
    // chords still open at the cap count as they stand
    for (d, &(_, _, s)) in DIRS.iter().enumerate() {
        if open[d][0] || open[d][1] {
            best = best.min((len[d][0] + len[d][1] + 1) as f64 * s);
        }
    }
    best
}

/// Wall thickness across a segment at its interior sample points: the
/// distance between the mask's edges along the normal, marched in quarter
/// pixels, capped by the shortest chord through the point; the lower
/// quartile of the samples (robust against samples where the normal runs
/// into a crossing wall or a solid blob).
fn thickness(mask: &Mask, line: &[[f64; 2]], skip: [f64; 2]) -> Option<f64> {
    let inside = |x: f64, y: f64| mask.get(x.floor() as i64, y.floor() as i64);
    let total: f64 = line
        .windows(2)
        .map(|w| (w[1][0] - w[0][0]).hypot(w[1][1] - w[0][1]))
        .sum();
    let mut samples = Vec::new();
    let mut walked = 0.0;
    for w in line.windows(2) {
        let (a, b) = (w[0], w[1]);
        let len = (b[0] - a[0]).hypot(b[1] - a[1]);
        if len == 0.0 {
            continue;
        }
        let (ux, uy) = ((b[0] - a[0]) / len, (b[1] - a[1]) / len);
        let (nx, ny) = (-uy, ux);
        let mut t = 0.5;
        while t < len {
            let s = walked + t;
            if s >= skip[0] && s <= total - skip[1] {
                let (px, py) = (a[0] + ux * t, a[1] + uy * t);
                if inside(px, py) {
                    // samples at 1/8 + k/4 px never sit exactly on a pixel
                    // edge; the edge lies between the last inside sample
                    // and the next, so the estimate adds half a step
                    let reach = |sign: f64| {
                        let mut d = 0.125;
                        while d < 512.0 && inside(px + sign * nx * d, py + sign * ny * d) {
                            d += 0.25;
                        }
                        d - 0.125
                    };
                    // across the wall; never more than the shortest chord
                    // through the point (near junctions the normal can run
                    // along a crossing wall)
                    samples.push((reach(1.0) + reach(-1.0)).min(local_width(mask, [px, py])));
                }
            }
            t += 1.0;
        }
        walked += len;
    }
    if samples.is_empty() {
        return None;
    }
    samples.sort_by(f64::total_cmp);
    Some(samples[samples.len() / 4])
}

/// The thickness that best covers the wall around a centreline part: over
/// the pixels beside the part (their nearest point on it an interior one,
/// `skip` from each end, within `limit` pixels), the radius maximising the
/// wall pixels less the background pixels it takes in, doubled: the width
/// a capsule drawn with it matches the mask best. `None` without such
/// pixels.
fn best_cover(mask: &Mask, line: &[[f64; 2]], skip: [f64; 2], limit: f64) -> Option<f64> {
    // per segment: start, direction, squared length, length, arc length at its start
    let mut segs = Vec::with_capacity(line.len());
    let mut walked = 0.0;
    for w in line.windows(2) {
        let (dx, dy) = (w[1][0] - w[0][0], w[1][1] - w[0][1]);
        let len2 = dx * dx + dy * dy;
        let len = len2.sqrt();
        segs.push((w[0], w[1], dx, dy, len2, len, walked));
        walked += len;
    }
    let total = walked;
    let size = (mask.width(), mask.height());
    // (distance, is wall) of every pixel beside the part, each pixel once:
    // from the segment nearest to it
    let mut beside = Profile::new(0.0, limit);
    for (k, &(a, b, ..)) in segs.iter().enumerate() {
        crate::capsule::capsule_pixels(a, b, limit, size, |px, py| {
            let (x, y) = (px as f64 + 0.5, py as f64 + 0.5);
            let (mut best, mut at, mut owner) = (f64::MAX, 0.0, 0);
            for (m, &(a, _, dx, dy, len2, len, start)) in segs.iter().enumerate() {
                let t = if len2 == 0.0 {
                    0.0
                } else {
                    (((x - a[0]) * dx + (y - a[1]) * dy) / len2).clamp(0.0, 1.0)
                };
                let (ex, ey) = (a[0] + t * dx - x, a[1] + t * dy - y);
                let d2 = ex * ex + ey * ey;
                if d2 < best {
                    (best, at, owner) = (d2, start + t * len, m);
                }
            }
            if owner == k && at > skip[0] && at < total - skip[1] {
                beside.add(
                    best.sqrt(),
                    if mask.get(px as i64, py as i64) {
                        1
                    } else {
                        -1
                    },
                );
            }
        });
    }
    beside.best_prefix().map(|r| 2.0 * r)
}

/// The profile across a straight part `a`–`b` of the pixels beside it
/// (their foot on it between `skip[0]` and its length less `skip[1]`,
/// within `limit`): signed distance (positive left of travel in image
/// coordinates), weight +1 for wall, -1 for background.
fn beside(mask: &Mask, a: [f64; 2], b: [f64; 2], skip: [f64; 2], limit: f64) -> Option<Profile> {
    let (dx, dy) = (b[0] - a[0], b[1] - a[1]);
    let len = dx.hypot(dy);
    if len == 0.0 {
        return None;
    }
    let (ux, uy) = (dx / len, dy / len);
    let mut out = Profile::new(-limit, limit);
    let mut any = false;
    let size = (mask.width(), mask.height());
    crate::capsule::capsule_spans(a, b, limit, size, |row, c0, c1| {
        let cells = &mask.row(row as u32)[c0..=c1];
        let y = row as f64 + 0.5 - a[1];
        let x0 = c0 as f64 + 0.5 - a[0];
        // along and across the part, stepping one pixel right at a time
        let (mut along, mut across) = (x0 * ux + y * uy, x0 * uy - y * ux);
        for &cell in cells {
            if along > skip[0] && along < len - skip[1] {
                any = true;
                out.add(across, if cell != 0 { 1 } else { -1 });
            }
            along += ux;
            across += uy;
        }
    });
    any.then_some(out)
}

/// Wall-minus-background weights of pixels by their (signed) distance from
/// a centreline, in buckets of 1/32 px: what the band and radius fits
/// search, without sorting the pixels.
pub(crate) struct Profile {
    min: f64,
    /// Per bucket: summed weight, smallest and largest distance in it.
    buckets: Vec<(i64, f64, f64)>,
}

/// Buckets a pixel.
const BUCKETS_PER_PX: f64 = 32.0;

impl Profile {
    /// An empty profile for distances in `min..=max`.
    pub(crate) fn new(min: f64, max: f64) -> Self {
        let n = ((max - min).max(0.0) * BUCKETS_PER_PX).ceil() as usize + 1;
        Self {
            min,
            buckets: vec![(0, f64::INFINITY, f64::NEG_INFINITY); n],
        }
    }

    /// Adds a pixel at distance `d` with weight `v` (ignored outside the range).
    pub(crate) fn add(&mut self, d: f64, v: i64) {
        let k = ((d - self.min) * BUCKETS_PER_PX).floor();
        if k >= 0.0 && (k as usize) < self.buckets.len() {
            let b = &mut self.buckets[k as usize];
            b.0 += v;
            b.1 = b.1.min(d);
            b.2 = b.2.max(d);
        }
    }

    /// The filled buckets in order: (weight, smallest, largest distance).
    fn filled(&self) -> Vec<(i64, f64, f64)> {
        self.buckets
            .iter()
            .copied()
            .filter(|b| b.1 <= b.2)
            .collect()
    }

    /// The run of distances with the greatest summed weight (Kadane; the
    /// first best), its edges half-way to the neighbouring pixels.
    pub(crate) fn best_run(&self) -> Option<(f64, f64)> {
        let g = self.filled();
        let (mut run, mut start, mut best, mut span) = (0i64, 0usize, 0i64, None);
        for (i, &(v, ..)) in g.iter().enumerate() {
            if run <= 0 {
                run = 0;
                start = i;
            }
            run += v;
            if run > best {
                best = run;
                span = Some((start, i));
            }
        }
        let (i, j) = span?;
        let lo = if i == 0 {
            g[0].1 - 0.5
        } else {
            f64::midpoint(g[i - 1].2, g[i].1)
        };
        let hi = g
            .get(j + 1)
            .map_or(g[j].2 + 0.5, |n| f64::midpoint(g[j].2, n.1));
        Some((lo, hi))
    }

    /// The distance from the start with the greatest summed weight before
    /// it (the first best), half-way to the next pixel.
    pub(crate) fn best_prefix(&self) -> Option<f64> {
        let g = self.filled();
        let (mut score, mut best, mut edge) = (0i64, 0i64, None);
        for (i, &(v, _, dmax)) in g.iter().enumerate() {
            score += v;
            if score > best {
                best = score;
                edge = Some(
                    g.get(i + 1)
                        .map_or(dmax + 0.5, |n| f64::midpoint(dmax, n.1)),
                );
            }
        }
        edge
    }
}

/// A fitted part: the sideways offset of a straight part (along its left
/// normal in image coordinates) and the thickness.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Fit {
    /// Offset, pixels.
    pub offset: f64,
    /// Thickness, pixels.
    pub thickness: f64,
}

/// Fits one wall part. Samples within a wall width of a junction or corner
/// are skipped (they measure the crossing wall), not at a free wall end; a
/// part too short for that is measured at its free end, else by the
/// shortest chord at its middle. The robust (lower-quartile) thickness
/// bounds the fit: a straight part gets the best band within it, a
/// polyline the best symmetric cover.
pub(crate) fn fit_part(mask: &Mask, part: &[[f64; 2]], free_start: bool, free_end: bool) -> Fit {
    let (first, last) = (part[0], part[part.len() - 1]);
    let skip = |at: [f64; 2], free: bool| {
        if free {
            0.5
        } else {
            local_width(mask, at).min(64.0)
        }
    };
    let len: f64 = part
        .windows(2)
        .map(|w| (w[1][0] - w[0][0]).hypot(w[1][1] - w[0][1]))
        .sum();
    let ends = [skip(first, free_start), skip(last, free_end)];
    let straight = if part.len() == 2 {
        let mid = [
            f64::midpoint(first[0], last[0]),
            f64::midpoint(first[1], last[1]),
        ];
        let limit = (0.75 * local_width(mask, mid) + 2.0).min(96.0);
        beside(mask, first, last, ends, limit)
            .and_then(|p| p.best_run())
            .map(|(lo, hi)| Fit {
                offset: f64::midpoint(lo, hi),
                thickness: hi - lo,
            })
    } else {
        None
    };
    let fitted = straight.or_else(|| {
        thickness(mask, part, ends).map(|t| {
            let limit = t.max(2.0);
            if part.len() == 2 {
                beside(mask, first, last, ends, limit)
                    .and_then(|p| p.best_run())
                    .map_or(
                        Fit {
                            offset: 0.0,
                            thickness: t,
                        },
                        |(lo, hi)| Fit {
                            offset: f64::midpoint(lo, hi),
                            thickness: (hi - lo).min(t),
                        },
                    )
            } else {
                Fit {
                    offset: 0.0,
                    thickness: best_cover(mask, part, ends, limit).map_or(t, |b| b.min(t)),
                }
            }
        })
    });
    fitted.unwrap_or_else(|| {
        let t = match (free_start, free_end) {
            (true, false) => thickness(mask, part, [0.5, len / 2.0]),
            (false, true) => thickness(mask, part, [len / 2.0, 0.5]),
            _ => None,
        }
        .unwrap_or_else(|| {
            let mid = if part.len() == 2 {
                [
                    f64::midpoint(first[0], last[0]),
                    f64::midpoint(first[1], last[1]),
                ]
            } else {
                part[part.len() / 2]
            };
            local_width(mask, mid)
        });
        Fit {
            offset: 0.0,
            thickness: t,
        }
    })
}

/// The least-squares meeting point of lines (normal equations of the
/// distances to each line).
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Meet {
    a11: f64,
    a12: f64,
    a22: f64,
    b1: f64,
    b2: f64,
    /// Lines added.
    pub lines: usize,
}

impl Meet {
    /// Adds the line through `from` and `to` (ignored when they coincide).
    pub(crate) fn add(&mut self, from: [f64; 2], to: [f64; 2]) {
        let (dx, dy) = (to[0] - from[0], to[1] - from[1]);
        let l = dx.hypot(dy);
        if l == 0.0 {
            return;
        }
        let (nx, ny) = (-dy / l, dx / l);
        let c = nx * to[0] + ny * to[1];
        self.a11 += nx * nx;
        self.a12 += nx * ny;
        self.a22 += ny * ny;
        self.b1 += nx * c;
        self.b2 += ny * c;
        self.lines += 1;
    }

    /// The point nearest all the lines, when they cross at a clear angle.
    pub(crate) fn point(&self) -> Option<[f64; 2]> {
        let det = self.a11 * self.a22 - self.a12 * self.a12;
        (self.lines >= 2 && det > 0.05 * (self.a11 + self.a22).powi(2)).then(|| {
            [
                (self.a22 * self.b1 - self.a12 * self.b2) / det,
                (self.a11 * self.b2 - self.a12 * self.b1) / det,
            ]
        })
    }
}

/// Where part ends met: the point, and each (part, vertex index) there.
type Meeting = ([f64; 2], Vec<(usize, usize)>);

/// Moves each straight part by its offset and joins the parts that met at
/// a point again: at the least-squares intersection of their moved lines
/// when that lies within `reach(p)` of where they met, else at the mean of
/// their moved ends. Returns the new position of every meeting point (by
/// its old coordinates' bits) for the junction list.
pub(crate) fn apply_offsets(
    parts: &mut [Vec<[f64; 2]>],
    fits: &[Fit],
    reach: &dyn Fn([f64; 2]) -> f64,
) -> FastMap<[u64; 2], [f64; 2]> {
    let key = |p: [f64; 2]| [p[0].to_bits(), p[1].to_bits()];
    // which part ends met where
    let mut ends: FastMap<[u64; 2], Meeting> = FastMap::default();
    for (i, p) in parts.iter().enumerate() {
        for (k, at) in [(0, p[0]), (p.len() - 1, p[p.len() - 1])] {
            ends.entry(key(at))
                .or_insert((at, Vec::new()))
                .1
                .push((i, k));
        }
    }
    for (p, f) in parts.iter_mut().zip(fits) {
        if p.len() == 2 && f.offset != 0.0 {
            let (dx, dy) = (p[1][0] - p[0][0], p[1][1] - p[0][1]);
            let l = dx.hypot(dy);
            if l > 0.0 {
                let (nx, ny) = (dy / l * f.offset, -dx / l * f.offset);
                for q in p.iter_mut() {
                    q[0] += nx;
                    q[1] += ny;
                }
            }
        }
    }
    // every meeting point is worked out from the moved parts as they are
    // before any is joined (and in a fixed order): the result does not
    // depend on the order of the points
    let shifted: Vec<Vec<[f64; 2]>> = parts.to_vec();
    let mut ends: Vec<([u64; 2], Meeting)> = ends.into_iter().collect();
    ends.sort_unstable_by_key(|e| e.0);
    let mut moved = FastMap::default();
    for (k, (old, members)) in ends {
        let at = |&(i, e): &(usize, usize)| shifted[i][e];
        let new = if members.len() == 1 {
            at(&members[0])
        } else {
            // lines through each moved end along its part
            let mut lines = Meet::default();
            for &(i, e) in &members {
                let p = &shifted[i];
                let other = if e == 0 { p[1] } else { p[p.len() - 2] };
                lines.add(other, p[e]);
            }
            let n = members.len() as f64;
            let mean = members
                .iter()
                .map(at)
                .fold([0.0, 0.0], |s, p| [s[0] + p[0] / n, s[1] + p[1] / n]);
            if let Some(x) = lines.point()
                && (x[0] - old[0]).hypot(x[1] - old[1]) <= reach(old)
            {
                x
            } else {
                mean
            }
        };
        for &(i, e) in &members {
            parts[i][e] = new;
        }
        moved.insert(k, new);
    }
    moved
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every chord walked to its end (the definition).
    fn local_width_naive(mask: &Mask, p: [f64; 2]) -> f64 {
        let (x, y) = (p[0].floor() as i64, p[1].floor() as i64);
        if !mask.get(x, y) {
            return 1.0;
        }
        let run = |dx: i64, dy: i64| {
            let mut n = 0i64;
            while n < 4096 && mask.get(x + (n + 1) * dx, y + (n + 1) * dy) {
                n += 1;
            }
            n
        };
        [
            (1, 0, 1.0),
            (0, 1, 1.0),
            (1, 1, 2f64.sqrt()),
            (1, -1, 2f64.sqrt()),
        ]
        .iter()
        .map(|&(dx, dy, s)| (run(dx, dy) + run(-dx, -dy) + 1) as f64 * s)
        .fold(f64::INFINITY, f64::min)
    }

    #[test]
    fn the_lockstep_march_gives_every_chord_its_exact_width() {
        let mut seed = 0x2545_f491_u64;
        let mut random = move || {
            seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
            seed >> 33
        };
        let blobs = Mask::from_fn(120, 90, |_, _| random() % 4 != 0);
        let grid = Mask::from_fn(300, 200, |x, y| x % 25 < 3 || y % 40 < 2);
        let solid = Mask::from_fn(50, 50, |_, _| true);
        for m in [&blobs, &grid, &solid] {
            for y in 0..m.height() {
                for x in 0..m.width() {
                    let p = [f64::from(x) + 0.5, f64::from(y) + 0.5];
                    assert_eq!(local_width(m, p), local_width_naive(m, p), "{x},{y}");
                }
            }
        }
    }
}
