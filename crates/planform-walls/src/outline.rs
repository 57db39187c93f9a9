//! Outline mode: wall regions as polygons with holes.

use geo_types::{Coord, LineString, Polygon};

use crate::error::{Result, WallsError};
use crate::mask::Mask;
use crate::simplify::simplify_all;
use crate::trace::{is_saddle, trace_rings};

/// Outline settings.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct OutlineOptions {
    /// Largest average boundary shift a simplified edge may make, as a
    /// fraction of its wall region's area/perimeter (about half the wall
    /// thickness). Keeps thin walls' area within a fixed fraction. Default
    /// 0.1; `f64::INFINITY` disables it.
    pub mean_deviation: f64,
    /// Douglas–Peucker tolerance in pixels (0 keeps the exact pixel
    /// outline). Default 0.5: a 1-pixel staircase becomes a straight
    /// diagonal, and re-rasterized outlines still cover exactly the mask's
    /// pixels in almost every case.
    pub tolerance: f64,
}

impl Default for OutlineOptions {
    fn default() -> Self {
        Self {
            tolerance: 0.5,
            mean_deviation: 0.1,
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
        // wall is on the right of travel (y up): probe the pixel centre there
        // (half a pixel along the first edge, half a pixel to its right;
        // doubled so both coordinates are odd integers, never on a ring)
        let (a, b) = (r[0], r[1 % r.len()]);
        let (dx, dy) = ((b[0] - a[0]).signum(), (b[1] - a[1]).signum());
        let (px2, py2) = (2 * a[0] + dx + dy, 2 * a[1] + dy - dx);
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

/// Traces the outlines of a mask.
pub fn outlines(mask: &Mask, options: &OutlineOptions) -> Result<Outlines> {
    if !(options.tolerance.is_finite() && options.tolerance >= 0.0) {
        return Err(WallsError::InvalidOption {
            name: "tolerance",
            reason: format!("{} is not a finite number >= 0", options.tolerance),
        });
    }
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
    // Each ring may move the boundary by at most `mean_deviation` × the
    // thickness of its wall region (area / perimeter ≈ half the wall
    // thickness for long walls) on average: thin walls keep more vertices,
    // so their re-rasterized area stays within a fixed fraction.
    let perimeter = |r: &[[i64; 2]]| -> f64 {
        (0..r.len())
            .map(|i| {
                ((r[(i + 1) % r.len()][0] - r[i][0]).abs()
                    + (r[(i + 1) % r.len()][1] - r[i][1]).abs()) as f64
            })
            .sum()
    };
    let mut mean_tols = vec![f64::INFINITY; raw.len()];
    for (&sh, holes) in shells.iter().zip(&holes_of) {
        let area = (areas[sh] + holes.iter().map(|&h| areas[h]).sum::<i64>()) as f64 / 2.0;
        let per = perimeter(&raw[sh]) + holes.iter().map(|&h| perimeter(&raw[h])).sum::<f64>();
        let t = options.mean_deviation * area / per.max(1.0);
        mean_tols[sh] = t;
        for &h in holes {
            mean_tols[h] = t;
        }
    }
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
    let polygons = shells
        .iter()
        .zip(&holes_of)
        .map(|(&s, holes)| {
            Polygon::new(
                ring(&simple[s]),
                holes.iter().map(|&hi| ring(&simple[hi])).collect(),
            )
        })
        .collect();
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
