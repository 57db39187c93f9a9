//! Outline mode: wall regions as polygons with holes.

use geo_types::{Coord, LineString, Polygon};

use crate::error::{Result, WallsError};
use crate::mask::Mask;
use crate::simplify::{conflicting_rings, simplify_all};
use crate::trace::{is_saddle, trace_rings};

/// Outline settings.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct OutlineOptions {
    /// Largest average boundary shift a simplified edge may make, as a
    /// fraction of its wall region's area/perimeter (about half the wall
    /// thickness). Keeps thin walls' area within a fixed fraction. Default
    /// 0.1; `f64::INFINITY` disables it.
    pub mean_deviation: f64,
    /// Snap edges within this many degrees of the plan's dominant direction
    /// (or its perpendicular) exactly onto it; diagonals are kept. Rings
    /// that snapping would make touch or cross others stay unsnapped.
    /// Default `None` (no snapping: the outline stays pixel-exact).
    pub snap_degrees: Option<f64>,
    /// Douglas–Peucker tolerance in pixels (0 keeps the exact pixel
    /// outline). Default 0.5: a 1-pixel staircase becomes a straight
    /// diagonal, and re-rasterized outlines still cover exactly the mask's
    /// pixels in almost every case.
    pub tolerance: f64,
    /// The most structure the mask may have (checked first; see
    /// [`Budget`](crate::budget::Budget)). Default [`Budget::default`](crate::budget::Budget::default).
    pub budget: crate::budget::Budget,
}

impl Default for OutlineOptions {
    fn default() -> Self {
        Self {
            tolerance: 0.5,
            mean_deviation: 0.1,
            snap_degrees: None,
            budget: crate::budget::Budget::default(),
        }
    }
}

/// The traced outlines of one mask, in plan pixels: x right, y up, origin
/// at the image's bottom-left corner. Exteriors run counter-clockwise and
/// holes clockwise (RFC 7946); rings are closed.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Outlines {
    /// One polygon per wall region (regions that touch only at a corner may
    /// come as separate polygons touching there).
    pub polygons: Vec<Polygon<f64>>,
    /// Vertices of the exact outline listed one per unit pixel edge (as a
    /// boundary chain such as OpenCV's `CHAIN_APPROX_NONE` lists it); the
    /// exact outline with only its turning corners has fewer.
    pub raw_vertex_count: usize,
    /// Vertices after simplification, closing points excluded.
    pub vertex_count: usize,
    /// Mask width in pixels.
    pub width: u32,
    /// Mask height in pixels.
    pub height: u32,
}

/// Twice the signed area (y up: positive = counter-clockwise).
fn area2(r: &[[i64; 2]]) -> i64 {
    let n = r.len();
    (0..n)
        .map(|i| r[i][0] * r[(i + 1) % n][1] - r[(i + 1) % n][0] * r[i][1])
        .sum()
}

/// Even-odd point-in-ring test for a point with half-integer coordinates
/// (never on an integer-cornered ring), given doubled to stay in integers.
fn contains2(r: &[[i64; 2]], px2: i64, py2: i64) -> bool {
    let n = r.len();
    let mut inside = false;
    for i in 0..n {
        let (a, b) = (r[i], r[(i + 1) % n]);
        let (ay, by) = (a[1] * 2, b[1] * 2);
        if (ay > py2) != (by > py2) {
            // x of the crossing, compared without division
            let (ax, bx) = (a[0] * 2, b[0] * 2);
            let lhs = (px2 - ax) * (by - ay);
            let rhs = (bx - ax) * (py2 - ay);
            if (by > ay && lhs < rhs) || (by < ay && lhs > rhs) {
                inside = !inside;
            }
        }
    }
    inside
}

/// Shells (counter-clockwise rings) and, for each, its holes: each hole
/// goes to the smallest shell containing the wall pixel just outside its
/// first edge.
fn shells_and_holes(raw: &[Vec<[i64; 2]>], areas: &[i64]) -> (Vec<usize>, Vec<Vec<usize>>) {
    let shells: Vec<usize> = (0..raw.len()).filter(|&i| areas[i] > 0).collect();
    let bbox = |r: &[[i64; 2]]| {
        r.iter()
            .fold([i64::MAX, i64::MAX, i64::MIN, i64::MIN], |b, p| {
                [
                    b[0].min(p[0]),
                    b[1].min(p[1]),
                    b[2].max(p[0]),
                    b[3].max(p[1]),
                ]
            })
    };
    let shell_boxes: Vec<[i64; 4]> = shells.iter().map(|&s| bbox(&raw[s])).collect();
    let mut holes_of: Vec<Vec<usize>> = vec![Vec::new(); shells.len()];
    for (i, r) in raw.iter().enumerate() {
        if areas[i] >= 0 {
            continue;
        }
        // wall is on the left of travel (y up): probe the pixel centre there
        // (half a pixel along the first edge, half a pixel to its left;
        // doubled so both coordinates are odd integers, never on a ring)
        let (a, b) = (r[0], r[1 % r.len()]);
        let (dx, dy) = ((b[0] - a[0]).signum(), (b[1] - a[1]).signum());
        let (px2, py2) = (2 * a[0] + dx - dy, 2 * a[1] + dy + dx);
        let best = shells
            .iter()
            .enumerate()
            .filter(|(k, _)| {
                let bb = shell_boxes[*k];
                px2 > 2 * bb[0] && px2 < 2 * bb[2] && py2 > 2 * bb[1] && py2 < 2 * bb[3]
            })
            .filter(|(_, s)| contains2(&raw[**s], px2, py2))
            .min_by_key(|(_, s)| areas[**s]);
        if let Some((k, _)) = best {
            holes_of[k].push(i);
        }
    }

    (shells, holes_of)
}

/// Each ring may move the boundary by at most `mean_deviation` × the
/// thickness of its wall region (area / perimeter ≈ half the wall thickness
/// for long walls) on average: thin walls keep more vertices, so their
/// re-rasterized area stays within a fixed fraction.
fn mean_tolerances(
    raw: &[Vec<[i64; 2]>],
    areas: &[i64],
    shells: &[usize],
    holes_of: &[Vec<usize>],
    mean_deviation: f64,
) -> Vec<f64> {
    let perimeter = |r: &[[i64; 2]]| -> f64 {
        let n = r.len();
        (0..n)
            .map(|i| {
                ((r[(i + 1) % n][0] - r[i][0]).abs() + (r[(i + 1) % n][1] - r[i][1]).abs()) as f64
            })
            .sum()
    };
    let mut mean_tols = vec![f64::INFINITY; raw.len()];
    for (&sh, holes) in shells.iter().zip(holes_of) {
        let area = (areas[sh] + holes.iter().map(|&h| areas[h]).sum::<i64>()) as f64 / 2.0;
        let per = perimeter(&raw[sh]) + holes.iter().map(|&h| perimeter(&raw[h])).sum::<f64>();
        let t = mean_deviation * area / per.max(1.0);
        mean_tols[sh] = t;
        for &h in holes {
            mean_tols[h] = t;
        }
    }
    mean_tols
}

/// Snaps, then keeps the unsnapped version of every ring that now touches
/// or crosses another (checked exactly in 1/65536-pixel fixed point).
fn snap_checked(polygons: &[Polygon<f64>], deg: f64) -> Vec<Polygon<f64>> {
    let snapped = crate::snap::snap_orthogonal(polygons, deg);
    let rings = |ps: &[Polygon<f64>]| -> Vec<LineString<f64>> {
        ps.iter()
            .flat_map(|p| {
                std::iter::once(p.exterior().clone()).chain(p.interiors().iter().cloned())
            })
            .collect()
    };
    let fixed = |r: &LineString<f64>| -> Vec<[i64; 2]> {
        let n = r.0.len().saturating_sub(1);
        r.0[..n]
            .iter()
            .map(|c| {
                [
                    (c.x * 65_536.0).round() as i64,
                    (c.y * 65_536.0).round() as i64,
                ]
            })
            .collect()
    };
    let (before, after) = (rings(polygons), rings(&snapped));
    let mut chosen: Vec<LineString<f64>> = after.clone();
    for _ in 0..4 {
        let bad = conflicting_rings(&chosen.iter().map(fixed).collect::<Vec<_>>(), 16 * 65_536);
        if bad.is_empty() {
            break;
        }
        for r in bad {
            chosen[r] = before[r].clone();
        }
    }
    let mut it = chosen.into_iter();
    polygons
        .iter()
        .map(|p| {
            let ext = it.next().unwrap_or_else(|| p.exterior().clone());
            let holes = p
                .interiors()
                .iter()
                .map(|h| it.next().unwrap_or_else(|| h.clone()))
                .collect();
            Polygon::new(ext, holes)
        })
        .collect()
}

/// Traces the outlines of a mask.
pub fn outlines(mask: &Mask, options: &OutlineOptions) -> Result<Outlines> {
    if let Some(d) = options
        .snap_degrees
        .filter(|d| !(d.is_finite() && (0.0..45.0).contains(d)))
    {
        return Err(WallsError::InvalidOption {
            name: "snap_degrees",
            reason: format!("{d} is not in 0..45"),
        });
    }
    if !(options.tolerance.is_finite() && options.tolerance >= 0.0) {
        return Err(WallsError::InvalidOption {
            name: "tolerance",
            reason: format!("{} is not a finite number >= 0", options.tolerance),
        });
    }
    options.budget.check(mask, crate::budget::Work::Outline)?;
    let h = i64::from(mask.height());
    let raw_img = trace_rings(mask);
    // anchors: saddle corners, where rings touch each other
    let anchors: Vec<Vec<usize>> = raw_img
        .iter()
        .map(|r| {
            r.iter()
                .enumerate()
                .filter(|(_, p)| is_saddle(mask, i64::from(p[0]), i64::from(p[1])))
                .map(|(i, _)| i)
                .collect()
        })
        .collect();
    // to plan pixels, y up
    let raw: Vec<Vec<[i64; 2]>> = raw_img
        .iter()
        .map(|r| {
            r.iter()
                .map(|p| [i64::from(p[0]), h - i64::from(p[1])])
                .collect()
        })
        .collect();
    // one vertex per unit pixel edge: the exact outline as a boundary-pixel
    // chain lists it (OpenCV's CHAIN_APPROX_NONE, a crack code)
    let raw_vertex_count = raw
        .iter()
        .map(|r| {
            let n = r.len();
            (0..n)
                .map(|i| {
                    ((r[(i + 1) % n][0] - r[i][0]).abs() + (r[(i + 1) % n][1] - r[i][1]).abs())
                        as usize
                })
                .sum::<usize>()
        })
        .sum();

    let areas: Vec<i64> = raw.iter().map(|r| area2(r)).collect();
    let (shells, holes_of) = shells_and_holes(&raw, &areas);
    let mean_tols = mean_tolerances(&raw, &areas, &shells, &holes_of, options.mean_deviation);
    let simple = simplify_all(&raw, &anchors, options.tolerance, &mean_tols);
    let vertex_count = simple.iter().map(Vec::len).sum();
    let ring = |r: &[[i64; 2]]| {
        let mut pts: Vec<Coord<f64>> = r
            .iter()
            .map(|p| Coord {
                x: p[0] as f64 / 2.0,
                y: p[1] as f64 / 2.0,
            })
            .collect();
        if let Some(&first) = pts.first() {
            pts.push(first);
        }
        LineString(pts)
    };
    let polygons: Vec<Polygon<f64>> = shells
        .iter()
        .zip(&holes_of)
        .map(|(&s, holes)| {
            Polygon::new(
                ring(&simple[s]),
                holes.iter().map(|&hi| ring(&simple[hi])).collect(),
            )
        })
        .collect();
    let polygons = match options.snap_degrees {
        Some(deg) => snap_checked(&polygons, deg),
        None => polygons,
    };
    Ok(Outlines {
        polygons,
        raw_vertex_count,
        vertex_count,
        width: mask.width(),
        height: mask.height(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::metrics::iou;

    #[test]
    fn a_room_is_a_polygon_with_a_hole() {
        let m = Mask::from_ascii(
            "
            ######
            #....#
            #....#
            ######",
        );
        let o = outlines(&m, &OutlineOptions::default()).unwrap();
        assert_eq!(o.polygons.len(), 1);
        assert_eq!(o.polygons[0].interiors().len(), 1);
        assert_eq!(o.polygons[0].exterior().0.len(), 5);
        assert!((iou(&m, &o.polygons, 4) - 1.0).abs() < 1e-12);
    }

    #[test]
    fn islands_in_holes_get_their_own_shell() {
        let m = Mask::from_ascii(
            "
            #########
            #.......#
            #..###..#
            #..#.#..#
            #..###..#
            #.......#
            #########",
        );
        let o = outlines(
            &m,
            &OutlineOptions {
                tolerance: 0.0,
                ..OutlineOptions::default()
            },
        )
        .unwrap();
        assert_eq!(o.polygons.len(), 2);
        let mut holes: Vec<usize> = o.polygons.iter().map(|p| p.interiors().len()).collect();
        holes.sort_unstable();
        assert_eq!(holes, [1, 1]);
        assert_eq!(iou(&m, &o.polygons, 4), 1.0);
    }

    #[test]
    fn exact_outline_on_noise_scores_one() {
        let mut s = 99u32;
        let m = Mask::from_fn(64, 48, |_, _| {
            s ^= s << 13;
            s ^= s >> 17;
            s ^= s << 5;
            s % 5 < 2
        });
        let o = outlines(
            &m,
            &OutlineOptions {
                tolerance: 0.0,
                ..OutlineOptions::default()
            },
        )
        .unwrap();
        assert_eq!(iou(&m, &o.polygons, 3), 1.0);
        let o = outlines(&m, &OutlineOptions::default()).unwrap();
        assert!(iou(&m, &o.polygons, 3) > 0.9);
    }

    #[test]
    fn snapping_aligns_near_dominant_edges_and_stays_close() {
        // a room rotated by 2 degrees: staircase edges
        let (s, c) = 2.0f64.to_radians().sin_cos();
        let m = Mask::from_fn(140, 100, |x, y| {
            let (fx, fy) = (f64::from(x) + 0.5 - 70.0, f64::from(y) + 0.5 - 50.0);
            let (u, v) = (fx * c + fy * s, -fx * s + fy * c);
            let outer = u.abs() < 55.0 && v.abs() < 35.0;
            let inner = u.abs() < 48.0 && v.abs() < 28.0;
            outer && !inner
        });
        let o = OutlineOptions {
            snap_degrees: Some(4.0),
            tolerance: 2.0,
            mean_deviation: f64::INFINITY,
            ..OutlineOptions::default()
        };
        let snapped = outlines(&m, &o).unwrap();
        assert_eq!(snapped.polygons.len(), 1);
        assert!(
            iou(&m, &snapped.polygons, 4) > 0.95,
            "{}",
            iou(&m, &snapped.polygons, 4)
        );
        let theta = crate::snap::dominant_direction(&snapped.polygons).unwrap();
        for ring in
            std::iter::once(snapped.polygons[0].exterior()).chain(snapped.polygons[0].interiors())
        {
            for l in ring.lines() {
                let a = (l.dy().atan2(l.dx()).to_degrees() - theta).rem_euclid(90.0);
                let off = a.min(90.0 - a);
                assert!(
                    !(1e-6..=4.0 - 1e-6).contains(&off),
                    "edge {off} degrees off the plan's axes"
                );
            }
        }
        assert!(
            outlines(
                &m,
                &OutlineOptions {
                    snap_degrees: Some(60.0),
                    ..OutlineOptions::default()
                }
            )
            .is_err()
        );
    }

    #[test]
    fn bad_tolerance_is_a_typed_error() {
        let m = Mask::from_ascii("#");
        for tolerance in [f64::NAN, -1.0] {
            let o = OutlineOptions {
                tolerance,
                ..OutlineOptions::default()
            };
            assert!(outlines(&m, &o).is_err());
        }
    }
}
