//! The pixels of a capsule (every point within a radius of a segment), row
//! by row: a wall drawn with its thickness and round ends. Image
//! coordinates: x right, y down, pixel (col, row) centred at (col + 0.5,
//! row + 0.5). Each row's pixels are one interval (a capsule is convex), so
//! no per-pixel distance is computed.

/// The interval of x where the line y = `y` meets the capsule `a`–`b` of
/// radius `r`, if it does.
fn row_span(a: [f64; 2], b: [f64; 2], r: f64, y: f64) -> Option<(f64, f64)> {
    let mut lo = f64::INFINITY;
    let mut hi = f64::NEG_INFINITY;
    // the end discs
    for c in [a, b] {
        let dy = y - c[1];
        if dy.abs() <= r {
            let h = (r * r - dy * dy).sqrt();
            lo = lo.min(c[0] - h);
            hi = hi.max(c[0] + h);
        }
    }
    // the band between the ends: 0 <= (p - a)·d <= |d|², |(p - a)×d| <= r|d|
    let (dx, dy) = (b[0] - a[0], b[1] - a[1]);
    let len2 = dx * dx + dy * dy;
    if len2 > 0.0 {
        let (mut x0, mut x1) = (f64::NEG_INFINITY, f64::INFINITY);
        let ry = y - a[1];
        // linear in x: k * x + c within [min, max]
        let mut clip = |k: f64, c: f64, min: f64, max: f64| {
            if k == 0.0 {
                if c < min || c > max {
                    x0 = f64::INFINITY;
                }
            } else {
                let (p, q) = ((min - c) / k, (max - c) / k);
                x0 = x0.max(p.min(q));
                x1 = x1.min(p.max(q));
            }
        };
        // (p - a)·d = dx (x - a.x) + dy ry
        clip(dx, -dx * a[0] + dy * ry, 0.0, len2);
        // (p - a)×d = (x - a.x) dy - ry dx
        let rl = r * len2.sqrt();
        clip(dy, -dy * a[0] - ry * dx, -rl, rl);
        if x0 <= x1 {
            lo = lo.min(x0);
            hi = hi.max(x1);
        }
    }
    (lo <= hi).then_some((lo, hi))
}

/// Calls `visit(row, first, last)` for every row of a `width` × `height`
/// image holding pixels whose centre lies within `r` of the segment
/// `a`–`b`: columns `first..=last`.
pub(crate) fn capsule_spans(
    a: [f64; 2],
    b: [f64; 2],
    r: f64,
    (width, height): (u32, u32),
    mut visit: impl FnMut(usize, usize, usize),
) {
    if r.is_nan() || r < 0.0 || width == 0 || height == 0 {
        return;
    }
    let (w, h) = (f64::from(width), f64::from(height));
    let y0 = (a[1].min(b[1]) - r - 0.5).ceil().max(0.0);
    let y1 = (a[1].max(b[1]) + r - 0.5).floor().min(h - 1.0);
    let mut row = y0;
    while row <= y1 {
        if let Some((lo, hi)) = row_span(a, b, r, row + 0.5) {
            let c0 = (lo - 0.5).ceil().max(0.0);
            let c1 = (hi - 0.5).floor().min(w - 1.0);
            if c0 <= c1 {
                visit(row as usize, c0 as usize, c1 as usize);
            }
        }
        row += 1.0;
    }
}

/// Calls `visit(row, first, last)` for the pixel rows of a `width` ×
/// `height` mask that a wall (plan coordinates: y up from the bottom edge)
/// covers at its thickness, segment by segment (a polyline's segments
/// overlap at its joints).
pub(crate) fn wall_spans(
    wall: &planform_model::Wall,
    size: (u32, u32),
    mut visit: impl FnMut(usize, usize, usize),
) {
    let hf = f64::from(size.1);
    for l in wall.centerline.lines() {
        let (a, b) = ([l.start.x, hf - l.start.y], [l.end.x, hf - l.end.y]);
        capsule_spans(a, b, wall.thickness / 2.0, size, &mut visit);
    }
}

/// Calls `visit(col, row)` for every pixel of a `width` × `height` image
/// whose centre lies within `r` of the segment `a`–`b`.
pub(crate) fn capsule_pixels(
    a: [f64; 2],
    b: [f64; 2],
    r: f64,
    size: (u32, u32),
    mut visit: impl FnMut(usize, usize),
) {
    capsule_spans(a, b, r, size, |row, c0, c1| {
        for col in c0..=c1 {
            visit(col, row);
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The same pixels by brute force.
    fn brute(a: [f64; 2], b: [f64; 2], r: f64, w: u32, h: u32) -> Vec<(usize, usize)> {
        let mut out = Vec::new();
        for row in 0..h {
            for col in 0..w {
                let (x, y) = (f64::from(col) + 0.5, f64::from(row) + 0.5);
                let (dx, dy) = (b[0] - a[0], b[1] - a[1]);
                let l2 = dx * dx + dy * dy;
                let t = if l2 == 0.0 {
                    0.0
                } else {
                    (((x - a[0]) * dx + (y - a[1]) * dy) / l2).clamp(0.0, 1.0)
                };
                if (a[0] + t * dx - x).hypot(a[1] + t * dy - y) <= r {
                    out.push((col as usize, row as usize));
                }
            }
        }
        out
    }

    #[test]
    fn spans_match_a_per_pixel_distance_test() {
        let cases = [
            ([5.0, 5.0], [30.0, 5.0], 2.5),
            ([5.3, 4.1], [28.7, 19.9], 3.2),
            ([10.0, 2.0], [10.0, 25.0], 1.5),
            ([12.0, 12.0], [12.0, 12.0], 4.0),
            ([-3.0, 7.0], [45.0, 31.0], 5.5),
            ([20.0, 3.0], [3.0, 20.0], 0.7),
        ];
        for (a, b, r) in cases {
            let mut got = Vec::new();
            capsule_pixels(a, b, r, (40, 30), |c, r| got.push((c, r)));
            got.sort_by_key(|p| (p.1, p.0));
            assert_eq!(got, brute(a, b, r, 40, 30), "{a:?} {b:?} {r}");
        }
    }
}
