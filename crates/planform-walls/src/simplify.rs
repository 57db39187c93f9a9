//! Topology-preserving, pixel-exact simplification of pixel-corner rings.
//!
//! Douglas–Peucker over each ring's corners, with two extra rules. A
//! shortcut is accepted only if it is within the tolerance of the corners it
//! replaces **and** keeps every pixel centre along the replaced boundary on
//! its side (wall centres on the wall side, background centres on the other):
//! so the simplified outline still covers exactly the mask's pixel centres,
//! and a digital straight edge (any staircase a straight wall edge makes)
//! collapses to one segment. Saddle corners, where rings touch, are anchors.
//!
//! Coordinates are doubled so pixel centres are integers and every predicate
//! is exact. Then every simplified segment is checked against every nearby
//! segment; a ring involved in a crossing, an overlap or a T-touch is
//! simplified again with half the tolerance, down to the raw ring, which is
//! valid by construction. The result has no self-intersections and no new
//! contacts between rings.

use std::collections::HashMap;

/// Whether the shortcut from `pts[a]` to `pts[b]` keeps every pixel centre
/// next to the boundary between them on its side (doubled coordinates; wall
/// on the left of travel, y up: exteriors counter-clockwise).
fn keeps_pixels(pts: &[[i64; 2]], a: usize, b: usize) -> bool {
    let (pa, pb) = (
        [2 * pts[a][0], 2 * pts[a][1]],
        [2 * pts[b][0], 2 * pts[b][1]],
    );
    for i in a..b {
        let (s, e) = (pts[i], pts[i + 1]);
        let d = [(e[0] - s[0]).signum(), (e[1] - s[1]).signum()];
        let n = [-d[1], d[0]]; // left normal: the wall side
        let len = (e[0] - s[0]).abs() + (e[1] - s[1]).abs();
        for k in 0..len {
            let m = [2 * (s[0] + k * d[0]) + d[0], 2 * (s[1] + k * d[1]) + d[1]];
            let wall = [m[0] + n[0], m[1] + n[1]];
            let back = [m[0] - n[0], m[1] - n[1]];
            if orient(pa, pb, wall) <= 0 || orient(pa, pb, back) >= 0 {
                return false;
            }
        }
    }
    true
}

fn manhattan(a: [i64; 2], b: [i64; 2]) -> i64 {
    (a[0] - b[0]).abs() + (a[1] - b[1]).abs()
}

/// Whether the shortcut from `pts[a]` to `pts[b]` may replace the corners
/// between them: every corner within `tol`, the mean shift at most
/// `mean_tol`, and every adjacent pixel centre kept on its side.
fn shortcut_ok(pts: &[[i64; 2]], a: usize, b: usize, tol: f64, mean_tol: f64) -> bool {
    if b <= a + 1 {
        return true;
    }
    let (pa, pb) = (pts[a], pts[b]);
    let (dx, dy) = ((pb[0] - pa[0]) as f64, (pb[1] - pa[1]) as f64);
    let len = dx.hypot(dy);
    if len == 0.0 {
        return false;
    }
    // integral of the deviation along the chain (each corner's distance
    // times half its two edges): bounds the area the shortcut moves
    let mut moved = 0.0;
    for i in a + 1..b {
        let p = pts[i];
        let d = (dx * (p[1] - pa[1]) as f64 - dy * (p[0] - pa[0]) as f64).abs() / len;
        if d > tol {
            return false;
        }
        moved += d * (manhattan(pts[i - 1], p) + manhattan(p, pts[i + 1])) as f64 / 2.0;
    }
    moved <= mean_tol * len && keeps_pixels(pts, a, b)
}

/// Greedy simplification of an open chain of pixel corners: from each kept
/// corner, the farthest corner reachable by an acceptable shortcut (looking
/// a few corners past the first refusal, since a staircase can refuse one
/// step and accept the next). Keeps both ends; pushes the kept indices.
fn simplify_chain(pts: &[[i64; 2]], tol: f64, mean_tol: f64, keep: &mut Vec<usize>) {
    const LOOKAHEAD: usize = 4;
    let n = pts.len();
    let mut i = 0;
    while i + 1 < n {
        let mut best = i + 1;
        let mut misses = 0;
        let mut j = i + 2;
        while j < n && misses <= LOOKAHEAD {
            if shortcut_ok(pts, i, j, tol, mean_tol) {
                best = j;
                misses = 0;
            } else {
                misses += 1;
            }
            j += 1;
        }
        if best + 1 < n {
            keep.push(best);
        }
        i = best;
    }
}

/// Simplifies one closed raw ring (implicitly closed, integer pixel
/// corners, y up, wall on the left) keeping the corners at `anchors`
/// (indices). Returns the kept corners in order, in doubled coordinates.
/// Tolerance 0 returns the raw ring.
pub(crate) fn simplify_ring(
    ring: &[[i64; 2]],
    anchors: &[usize],
    tol: f64,
    mean_tol: f64,
) -> Vec<[i64; 2]> {
    let doubled = || {
        ring.iter()
            .map(|p| [2 * p[0], 2 * p[1]])
            .collect::<Vec<_>>()
    };
    if tol <= 0.0 || ring.len() <= 4 {
        return doubled();
    }
    let out = dp_ring(ring, anchors, tol, mean_tol);
    if out.len() < 3 {
        doubled()
    } else {
        out.iter().map(|p| [2 * p[0], 2 * p[1]]).collect()
    }
}

/// Simplification of a closed ring of pixel corners with anchors.
fn dp_ring(ring: &[[i64; 2]], anchors: &[usize], tol: f64, mean_tol: f64) -> Vec<[i64; 2]> {
    let n = ring.len();
    if n <= 3 {
        return ring.to_vec();
    }
    let mut cuts: Vec<usize> = anchors.to_vec();
    if cuts.is_empty() {
        // anchor at the first point and the point farthest from it
        let p0 = ring[0];
        let far = (1..n)
            .max_by_key(|&i| {
                let (dx, dy) = (ring[i][0] - p0[0], ring[i][1] - p0[1]);
                dx * dx + dy * dy
            })
            .unwrap_or(n / 2);
        cuts = vec![0, far];
    } else if cuts.len() == 1 {
        cuts.push((cuts[0] + n / 2) % n);
    }
    cuts.sort_unstable();
    cuts.dedup();
    let mut keep = cuts.clone();
    for (k, &a) in cuts.iter().enumerate() {
        let b = cuts[(k + 1) % cuts.len()];
        let chain: Vec<[i64; 2]> = if b > a {
            ring[a..=b].to_vec()
        } else {
            ring[a..].iter().chain(ring[..=b].iter()).copied().collect()
        };
        let mut local = Vec::new();
        simplify_chain(&chain, tol, mean_tol, &mut local);
        keep.extend(local.into_iter().map(|i| (a + i) % n));
    }
    keep.sort_unstable();
    keep.dedup();
    keep.into_iter().map(|i| ring[i]).collect()
}

#[inline]
fn orient(a: [i64; 2], b: [i64; 2], c: [i64; 2]) -> i64 {
    // i128: exact for any i64 input (snapped outlines use fixed-point coordinates)
    let v = i128::from(b[0] - a[0]) * i128::from(c[1] - a[1])
        - i128::from(b[1] - a[1]) * i128::from(c[0] - a[0]);
    v.signum() as i64
}

#[inline]
fn between(a: [i64; 2], b: [i64; 2], p: [i64; 2]) -> bool {
    // p collinear with a-b: strictly inside the segment?
    let (lo_x, hi_x) = (a[0].min(b[0]), a[0].max(b[0]));
    let (lo_y, hi_y) = (a[1].min(b[1]), a[1].max(b[1]));
    p != a && p != b && (lo_x..=hi_x).contains(&p[0]) && (lo_y..=hi_y).contains(&p[1])
}

/// Whether two segments meet other than at a shared endpoint.
fn conflict(a: [i64; 2], b: [i64; 2], c: [i64; 2], d: [i64; 2]) -> bool {
    let (o1, o2, o3, o4) = (
        orient(a, b, c),
        orient(a, b, d),
        orient(c, d, a),
        orient(c, d, b),
    );
    if o1 * o2 < 0 && o3 * o4 < 0 {
        return true; // proper crossing
    }
    (o1 == 0 && between(a, b, c))
        || (o2 == 0 && between(a, b, d))
        || (o3 == 0 && between(c, d, a))
        || (o4 == 0 && between(c, d, b))
        || (o1 == 0 && o2 == 0 && ((a == c && b == d) || (a == d && b == c)))
}

/// Rings (indices) with a segment that conflicts with another segment;
/// `cell` is the bucket size of the spatial grid in coordinate units.
pub(crate) fn conflicting_rings(rings: &[Vec<[i64; 2]>], cell: i64) -> Vec<usize> {
    let cell = cell.max(1);
    let mut grid: HashMap<(i64, i64), Vec<(usize, usize)>> = HashMap::new();
    for (r, ring) in rings.iter().enumerate() {
        let n = ring.len();
        for i in 0..n {
            let (a, b) = (ring[i], ring[(i + 1) % n]);
            for gx in a[0].min(b[0]).div_euclid(cell)..=a[0].max(b[0]).div_euclid(cell) {
                for gy in a[1].min(b[1]).div_euclid(cell)..=a[1].max(b[1]).div_euclid(cell) {
                    grid.entry((gx, gy)).or_default().push((r, i));
                }
            }
        }
    }
    let mut bad = vec![false; rings.len()];
    for segs in grid.values() {
        for (k, &(r1, i1)) in segs.iter().enumerate() {
            for &(r2, i2) in &segs[k + 1..] {
                if bad[r1] && bad[r2] {
                    continue;
                }
                let (n1, n2) = (rings[r1].len(), rings[r2].len());
                let (a, b) = (rings[r1][i1], rings[r1][(i1 + 1) % n1]);
                let (c, d) = (rings[r2][i2], rings[r2][(i2 + 1) % n2]);
                if r1 == r2 && i1 == i2 {
                    continue;
                }
                if r1 == r2 && (b == c || d == a) {
                    // neighbours in one ring: they conflict only by folding back
                    let (p, q, t) = if b == c { (a, b, d) } else { (c, d, b) };
                    if orient(p, q, t) == 0 && (between(p, q, t) || between(q, t, p)) {
                        bad[r1] = true;
                    }
                    continue;
                }
                if conflict(a, b, c, d) {
                    bad[r1] = true;
                    bad[r2] = true;
                }
            }
        }
    }
    bad.iter()
        .enumerate()
        .filter(|(_, b)| **b)
        .map(|(i, _)| i)
        .collect()
}

/// Simplifies every ring with `tol`, then re-simplifies conflicting rings
/// with halved tolerances until none conflict (at worst: the raw rings).
/// Output in doubled coordinates.
pub(crate) fn simplify_all(
    raw: &[Vec<[i64; 2]>],
    anchors: &[Vec<usize>],
    tol: f64,
    mean_tols: &[f64],
) -> Vec<Vec<[i64; 2]>> {
    let mut scale = vec![1.0f64; raw.len()];
    let mut out: Vec<Vec<[i64; 2]>> = (0..raw.len())
        .map(|r| simplify_ring(&raw[r], &anchors[r], tol, mean_tols[r]))
        .collect();
    for _ in 0..8 {
        let bad = conflicting_rings(&out, 32);
        if bad.is_empty() {
            return out;
        }
        for r in bad {
            scale[r] = if tol * scale[r] < 0.05 {
                0.0
            } else {
                scale[r] / 2.0
            };
            out[r] = simplify_ring(
                &raw[r],
                &anchors[r],
                tol * scale[r],
                mean_tols[r] * scale[r],
            );
        }
    }
    for r in conflicting_rings(&out, 32) {
        out[r] = simplify_ring(&raw[r], &anchors[r], 0.0, 0.0);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_staircase_becomes_a_diagonal() {
        // 1-px steps: every corner is within 0.5 px of the diagonal
        let mut ring = Vec::new();
        for i in 0..10 {
            ring.push([i, i]);
            ring.push([i + 1, i]);
        }
        ring.push([10, 10]);
        ring.push([0, 10]);
        // (wall on the left of travel: this ring runs counter-clockwise, a shell)
        let s = simplify_ring(&ring, &[], 0.75, f64::INFINITY);
        assert!(s.len() <= 4, "{s:?}");
        let doubled: Vec<[i64; 2]> = ring.iter().map(|p| [2 * p[0], 2 * p[1]]).collect();
        assert_eq!(simplify_ring(&ring, &[], 0.0, 0.0), doubled);
    }

    #[test]
    fn anchors_are_kept() {
        let ring = vec![[0, 0], [5, 0], [10, 0], [10, 10], [5, 10], [0, 10]];
        let s = simplify_ring(&ring, &[1, 4], 0.5, f64::INFINITY);
        assert!(s.contains(&[10, 0]) && s.contains(&[10, 20]), "{s:?}");
        assert!(s.contains(&[0, 0]) && s.contains(&[20, 20]), "{s:?}");
    }

    #[test]
    fn conflicts_are_found() {
        assert!(conflict([0, 0], [4, 4], [0, 4], [4, 0]));
        assert!(conflict([0, 0], [4, 0], [2, 0], [2, 3])); // T-touch
        assert!(conflict([0, 0], [4, 0], [2, 0], [6, 0])); // overlap
        assert!(!conflict([0, 0], [4, 0], [4, 0], [4, 4])); // shared endpoint
        assert!(!conflict([0, 0], [4, 0], [0, 1], [4, 1]));
        let rings = vec![
            vec![[0, 0], [4, 0], [4, 4], [0, 4]],
            vec![[2, 2], [6, 2], [6, 6], [2, 6]],
        ];
        assert_eq!(conflicting_rings(&rings, 16), vec![0, 1]);
    }
}
