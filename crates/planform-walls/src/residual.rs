//! Wall mass the centrelines miss: solid blocks (columns, chimney breasts,
//! stair cores drawn solid) and stretches of wall wider than the thickness
//! measured for their wall. A skeleton gives such a block at most a short
//! spur, pruned, and a wall's one thickness (a robust low quantile) leaves
//! its thicker stretches uncovered.
//!
//! The walls are re-rasterized as capsules (pixel centres within half the
//! thickness of the centreline); each connected piece of wall left
//! uncovered gets a straight wall along its principal axis: as long as the
//! piece less its width, drawn with the radius that takes in the most
//! uncovered wall pixels less background pixels. A candidate is kept only
//! when it covers at least 4 × `min_area` uncovered wall pixels (smaller
//! leftovers are the corners of round wall ends, not walls) and twice as
//! many as background pixels; what it leaves (the other arm of an L-shaped
//! piece) is tried again, up to three rounds.

use geo_types::{Coord, LineString};
use planform_model::{Wall, WallKind};

use crate::mask::Mask;
use crate::skeleton::Bits;

/// The most pixels a piece may hold: a solid region larger than this (no
/// floor plan's wall has a million pixels) is no wall and is left alone.
const MAX_PIECE: usize = 1 << 20;

/// Rounds of covering what is left.
const ROUNDS: usize = 3;
/// A residual wall covers at least this × `min_area` uncovered wall pixels.
const MIN_GAIN_AREAS: usize = 3;

/// Pixel centres within a capsule given in plan coordinates (x right, y
/// up, origin at the bottom-left), as (column, row) image pixels.
fn capsule_pixels(
    a: Coord<f64>,
    b: Coord<f64>,
    r: f64,
    size: (u32, u32),
    visit: impl FnMut(usize, usize),
) {
    let h = f64::from(size.1);
    crate::capsule::capsule_pixels([a.x, h - a.y], [b.x, h - b.y], r, size, visit);
}

/// The pieces of the pixels `todo(i)` (row-major, `w` × `h`) holds that
/// are reached from `seeds`, 8-connected, as pixel lists; `seen` marks the
/// pixels taken.
fn pieces(
    todo: &dyn Fn(usize) -> bool,
    (w, h): (usize, usize),
    seeds: impl Iterator<Item = usize>,
    seen: &mut Bits,
) -> Vec<Vec<(usize, usize)>> {
    let mut out = Vec::new();
    for start in seeds {
        if seen.get(start) || !todo(start) {
            continue;
        }
        seen.set(start, true);
        let mut stack = vec![start];
        let mut piece = Vec::new();
        let mut size = 0usize;
        while let Some(i) = stack.pop() {
            let (x, y) = (i % w, i / w);
            size += 1;
            if size <= MAX_PIECE {
                piece.push((x, y));
            }
            for ny in y.saturating_sub(1)..=(y + 1).min(h - 1) {
                for nx in x.saturating_sub(1)..=(x + 1).min(w - 1) {
                    let j = ny * w + nx;
                    if !seen.get(j) && todo(j) {
                        seen.set(j, true);
                        stack.push(j);
                    }
                }
            }
        }
        if size <= MAX_PIECE {
            out.push(piece);
        }
    }
    out
}

/// A straight wall along a piece's principal axis (plan coordinates).
fn fit(piece: &[(usize, usize)], h: usize) -> Option<(Coord<f64>, Coord<f64>, f64)> {
    let n = piece.len() as f64;
    let pts = piece
        .iter()
        .map(|&(x, y)| (x as f64 + 0.5, (h - y) as f64 - 0.5));
    let (mx, my) = pts.clone().fold((0.0, 0.0), |s, p| (s.0 + p.0, s.1 + p.1));
    let (mx, my) = (mx / n, my / n);
    let (mut sxx, mut syy, mut sxy) = (0.0, 0.0, 0.0);
    for (x, y) in pts.clone() {
        sxx += (x - mx) * (x - mx);
        syy += (y - my) * (y - my);
        sxy += (x - mx) * (y - my);
    }
    // a square (no principal axis) is taken along the image axes
    let theta = if (sxx - syy).abs() < 1e-9 * (sxx + syy) && sxy.abs() < 1e-9 * (sxx + syy) {
        0.0
    } else {
        0.5 * (2.0 * sxy).atan2(sxx - syy)
    };
    let (u, v) = ((theta.cos(), theta.sin()), (-theta.sin(), theta.cos()));
    let (mut a0, mut a1, mut b0, mut b1) = (f64::MAX, f64::MIN, f64::MAX, f64::MIN);
    for (x, y) in pts {
        let (s, t) = (
            (x - mx) * u.0 + (y - my) * u.1,
            (x - mx) * v.0 + (y - my) * v.1,
        );
        a0 = a0.min(s);
        a1 = a1.max(s);
        b0 = b0.min(t);
        b1 = b1.max(t);
    }
    // pixel squares reach half a pixel past their centres
    let (a0, a1, b0, b1) = (a0 - 0.5, a1 + 0.5, b0 - 0.5, b1 + 0.5);
    let width = b1 - b0;
    if width < 1.0 {
        return None;
    }
    let mid = f64::midpoint(b0, b1);
    let centre = f64::midpoint(a0, a1);
    let at = |s: f64| Coord {
        x: mx + u.0 * s + v.0 * mid,
        y: my + u.1 * s + v.1 * mid,
    };
    // as long as the piece less the caps: half its width at each end
    let ends = |r: f64| {
        let half = ((a1 - a0) / 2.0 - r).max(0.0);
        (at(centre - half), at(centre + half))
    };
    let (a, b) = ends(width / 2.0);
    Some((a, b, width))
}

/// The radius about `a`–`b` that takes in the most uncovered wall pixels
/// less background pixels (covered wall pixels count for nothing), up to
/// `limit`; `None` when no radius gains.
fn best_radius(
    a: Coord<f64>,
    b: Coord<f64>,
    limit: f64,
    size: (u32, u32),
    value: &dyn Fn(usize, usize) -> i64,
) -> Option<f64> {
    let (dx, dy) = (b.x - a.x, b.y - a.y);
    let len2 = dx * dx + dy * dy;
    let h = f64::from(size.1);
    let mut near = crate::fit::Profile::new(0.0, limit);
    capsule_pixels(a, b, limit, size, |x, y| {
        let (px, py) = (x as f64 + 0.5, h - y as f64 - 0.5);
        let t = if len2 == 0.0 {
            0.0
        } else {
            (((px - a.x) * dx + (py - a.y) * dy) / len2).clamp(0.0, 1.0)
        };
        let (ex, ey) = (a.x + t * dx - px, a.y + t * dy - py);
        near.add((ex * ex + ey * ey).sqrt(), value(x, y));
    });
    near.best_prefix()
}

/// Walls covering what `walls` leave of the mask (see the module docs).
pub fn residual_walls(mask: &Mask, walls: &[Wall], min_area: usize) -> Vec<Wall> {
    let (w, h) = (mask.width() as usize, mask.height() as usize);
    let size = (mask.width(), mask.height());
    let mut covered = Bits::new(w * h);
    for wall in walls {
        crate::capsule::wall_spans(wall, size, |row, c0, c1| {
            for i in row * w + c0..=row * w + c1 {
                covered.set(i, true);
            }
        });
    }
    let wall_at = |x: usize, y: usize| mask.row(y as u32)[x] != 0;
    let least = MIN_GAIN_AREAS * min_area.max(1);
    let mut seen = Bits::new(w * h);
    let mut candidates = {
        let todo = |i: usize| wall_at(i % w, i / w) && !covered.get(i);
        // row by row: only wall pixels can start a piece
        let seeds = (0..h).flat_map(|y| {
            let row = mask.row(y as u32);
            (0..w).filter(move |x| row[*x] != 0).map(move |x| y * w + x)
        });
        pieces(&todo, (w, h), seeds, &mut seen)
    };
    let mut out = Vec::new();
    for _ in 0..ROUNDS {
        let mut left = Vec::new();
        for piece in candidates {
            // a piece too small to give a wall its least gain
            if piece.len() < least {
                continue;
            }
            let Some((a, b, width)) = fit(&piece, h) else {
                continue;
            };
            let value = |x: usize, y: usize| -> i64 {
                if wall_at(x, y) {
                    i64::from(!covered.get(y * w + x))
                } else {
                    -1
                }
            };
            let Some(r) = best_radius(a, b, width / 2.0 + 1.0, size, &value) else {
                continue;
            };
            let t = 2.0 * r;
            let (mut gain, mut waste) = (0usize, 0usize);
            capsule_pixels(a, b, t / 2.0, size, |x, y| {
                if !wall_at(x, y) {
                    waste += 1;
                } else if !covered.get(y * w + x) {
                    gain += 1;
                }
            });
            if gain < 2 * waste || gain < least {
                continue;
            }
            capsule_pixels(a, b, t / 2.0, size, |x, y| covered.set(y * w + x, true));
            out.push(Wall {
                centerline: LineString(vec![a, b]),
                thickness: t,
                kind: WallKind::Wall,
            });
            // what the wall leaves of the piece is tried again
            left.extend(piece.iter().map(|&(x, y)| y * w + x));
        }
        if left.is_empty() {
            break;
        }
        for &i in &left {
            seen.set(i, false);
        }
        let todo = |i: usize| wall_at(i % w, i / w) && !covered.get(i);
        candidates = pieces(&todo, (w, h), left.into_iter(), &mut seen);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_solid_block_beside_a_wall_gets_its_own_wall() {
        // a 4 px wall along y (rows 10..14) and a 12 × 20 block below it
        let m = Mask::from_fn(60, 40, |x, y| {
            ((5..55).contains(&x) && (10..14).contains(&y))
                || ((20..40).contains(&x) && (14..26).contains(&y))
        });
        let h = 40.0;
        let wall = Wall {
            centerline: LineString(vec![
                Coord {
                    x: 7.0,
                    y: h - 12.0,
                },
                Coord {
                    x: 53.0,
                    y: h - 12.0,
                },
            ]),
            thickness: 4.0,
            kind: WallKind::Wall,
        };
        let extra = residual_walls(&m, std::slice::from_ref(&wall), 16);
        assert_eq!(extra.len(), 1);
        let e = &extra[0];
        // as thick as the block, or a little more where the round ends
        // reach its corners
        assert!((12.0..13.5).contains(&e.thickness), "{}", e.thickness);
        // along the block's long axis (x), centred on its rows 14..26
        let (a, b) = (e.centerline.0[0], e.centerline.0[1]);
        assert!((a.y - (h - 20.0)).abs() < 1e-9 && (b.y - a.y).abs() < 1e-9);
        assert!((a.x.min(b.x) - 26.0).abs() < 1e-9 && (a.x.max(b.x) - 34.0).abs() < 1e-9);
        // nothing left over: no second wall; a covered mask gets none
        assert!(residual_walls(&m, &[wall, e.clone()], 16).is_empty());
    }

    #[test]
    fn a_diagonal_strip_gets_a_diagonal_wall_a_thin_ring_none() {
        let m = Mask::from_fn(40, 40, |x, y| x == y || x == y + 1);
        let d = residual_walls(&m, &[], 4);
        assert_eq!(d.len(), 1);
        let (a, b) = (d[0].centerline.0[0], d[0].centerline.0[1]);
        // image y down is plan y up: the strip runs down-right in plan
        assert!(((b.y - a.y) / (b.x - a.x) + 1.0).abs() < 0.05);
        let ring = Mask::from_fn(40, 40, |x, y| {
            let (dx, dy) = (f64::from(x) - 20.0, f64::from(y) - 20.0);
            (14.0..16.0).contains(&dx.hypot(dy))
        });
        // a thin ring fits no straight wall
        assert!(residual_walls(&ring, &[], 16).is_empty());
    }
}
