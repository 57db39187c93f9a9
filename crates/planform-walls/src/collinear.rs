//! Walls that meet end to end in a straight line are one wall.
//!
//! A junction is left with two walls when a third part at it is dropped
//! (a spur over a speck beside the wall, a stub), and when both go on
//! nearly straight (turning less than the corner angle) it is no corner:
//! the two become one polyline (Douglas–Peucker again at a quarter pixel,
//! so a straight run is two points), with their length-weighted thickness when the two are
//! alike (within 1 px or a quarter), and the junction goes. Consecutive
//! repeated points (a zero-length segment where a wall's end was moved
//! onto its last vertex) are dropped from every wall, but for a wall of
//! one point (a column), which keeps it twice.

use geo_types::{Coord, LineString};

use crate::centerline::Centerlines;

/// Two walls' thicknesses are alike within this many pixels or this share
/// of the larger.
const ALIKE_PX: f64 = 1.0;
const ALIKE_SHARE: f64 = 0.25;

/// The unit direction from a wall's end `at_start` (its first point, else
/// its last) to its next distinct point.
fn outgoing(line: &[Coord<f64>], at_start: bool) -> Option<Coord<f64>> {
    let from = if at_start { line.first() } else { line.last() }?;
    let to = if at_start {
        line.iter().find(|p| *p != from)
    } else {
        line.iter().rev().find(|p| *p != from)
    }?;
    let (dx, dy) = (to.x - from.x, to.y - from.y);
    let l = dx.hypot(dy);
    Some(Coord {
        x: dx / l,
        y: dy / l,
    })
}

/// Drops consecutive repeated points, keeping two where all are one (a
/// zero-length wall: a column drawn as a disc of its thickness).
fn dedup(line: &mut Vec<Coord<f64>>) {
    line.dedup();
    if line.len() == 1 {
        line.push(line[0]);
    }
}

fn length(line: &[Coord<f64>]) -> f64 {
    line.windows(2)
        .map(|w| (w[1].x - w[0].x).hypot(w[1].y - w[0].y))
        .sum()
}

/// The joined centreline is simplified again at this many pixels: a
/// straight run of two parts becomes two points, and the fits' own
/// sub-pixel offsets stay (1 px, the centrelines' tolerance, moved walls
/// off their fit: R3D's IoU fell by 0.0002).
const TOLERANCE: f64 = 0.25;

/// Merges the walls at straight degree-2 junctions (turning less than
/// `corner_deg`).
pub(crate) fn merge_collinear(c: &mut Centerlines, corner_deg: f64) {
    for w in &mut c.walls {
        dedup(&mut w.centerline.0);
    }
    let straight = -corner_deg.to_radians().cos();
    let key = |p: Coord<f64>| [p.x.to_bits(), p.y.to_bits()];
    loop {
        let mut merged = false;
        for j in 0..c.junctions.len() {
            let jn = c.junctions[j];
            if jn.degree != 2 || jn.openings != 0 {
                continue;
            }
            // the two wall ends at the junction
            let ends: Vec<(usize, bool)> = c
                .walls
                .iter()
                .enumerate()
                .flat_map(|(i, w)| {
                    let l = &w.centerline.0;
                    [(i, true, l[0]), (i, false, l[l.len() - 1])]
                })
                .filter(|(_, _, p)| key(*p) == key(jn.at))
                .map(|(i, s, _)| (i, s))
                .collect();
            let [(a, a_start), (b, b_start)] = ends[..] else {
                continue;
            };
            if a == b {
                continue;
            }
            let (wa, wb) = (&c.walls[a], &c.walls[b]);
            let (Some(da), Some(db)) = (
                outgoing(&wa.centerline.0, a_start),
                outgoing(&wb.centerline.0, b_start),
            ) else {
                continue;
            };
            let (ta, tb) = (wa.thickness, wb.thickness);
            if da.x * db.x + da.y * db.y > straight
                || (ta - tb).abs() > ALIKE_PX.max(ALIKE_SHARE * ta.max(tb))
            {
                continue;
            }
            // a's points ending at the junction, then b's from it
            let mut pa = wa.centerline.0.clone();
            if a_start {
                pa.reverse();
            }
            let mut pb = wb.centerline.0.clone();
            if !b_start {
                pb.reverse();
            }
            let (la, lb) = (length(&wa.centerline.0), length(&wb.centerline.0));
            pa.extend(pb.into_iter().skip(1));
            dedup(&mut pa);
            let raw: Vec<[f64; 2]> = pa.iter().map(|p| [p.x, p.y]).collect();
            let line: Vec<Coord<f64>> = crate::centerline::simplify(&raw, TOLERANCE)
                .into_iter()
                .map(|[x, y]| Coord { x, y })
                .collect();
            let thickness = if la + lb > 0.0 {
                (ta * la + tb * lb) / (la + lb)
            } else {
                ta
            };
            let kind = wa.kind.clone();
            let (lo, hi) = (a.min(b), a.max(b));
            c.walls.remove(hi);
            c.walls[lo] = planform_model::Wall {
                centerline: LineString(line),
                thickness,
                kind,
            };
            c.junctions.remove(j);
            merged = true;
            break;
        }
        if !merged {
            break;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::centerline::Junction;
    use planform_model::{Wall, WallKind};

    fn wall(pts: &[(f64, f64)], thickness: f64) -> Wall {
        Wall {
            centerline: LineString(pts.iter().map(|&(x, y)| Coord { x, y }).collect()),
            thickness,
            kind: WallKind::Wall,
        }
    }

    fn junction(x: f64, y: f64, degree: usize) -> Junction {
        Junction {
            at: Coord { x, y },
            degree,
            openings: 0,
        }
    }

    #[test]
    fn a_straight_two_wall_junction_is_one_wall_a_corner_stays() {
        let mut c = Centerlines {
            walls: vec![
                // a straight wall split at (10, 0), its first part with a
                // repeated end point
                wall(&[(0.0, 0.0), (10.0, 0.0), (10.0, 0.0)], 6.0),
                wall(&[(10.0, 0.0), (30.0, 0.3)], 5.0),
                // and a corner at (0, 0)
                wall(&[(0.0, 0.0), (0.0, 20.0)], 6.0),
            ],
            junctions: vec![junction(10.0, 0.0, 2), junction(0.0, 0.0, 2)],
            width: 40,
            height: 40,
        };
        merge_collinear(&mut c, 30.0);
        assert_eq!(c.walls.len(), 2, "{:?}", c.walls);
        assert_eq!(c.junctions.len(), 1);
        assert_eq!(c.junctions[0].at, Coord { x: 0.0, y: 0.0 });
        let merged = c
            .walls
            .iter()
            .find(|w| w.centerline.0.len() == 2 && w.centerline.0[1].x == 30.0);
        let merged = merged.expect("one wall from (0, 0) to (30, 0.3)");
        // length-weighted: 10 px at 6, 20 px at 5
        assert!(
            (merged.thickness - (60.0 + 5.0 * 20.0f64.hypot(0.3)) / (10.0 + 20.0f64.hypot(0.3)))
                .abs()
                < 1e-9
        );
    }

    #[test]
    fn unlike_thicknesses_or_an_opening_keep_the_junction() {
        let mut c = Centerlines {
            walls: vec![
                wall(&[(0.0, 0.0), (10.0, 0.0)], 12.0),
                wall(&[(10.0, 0.0), (30.0, 0.0)], 5.0),
            ],
            junctions: vec![junction(10.0, 0.0, 2)],
            width: 40,
            height: 40,
        };
        merge_collinear(&mut c, 30.0);
        assert_eq!(c.walls.len(), 2);
        c.walls[0].thickness = 5.0;
        c.junctions[0].openings = 1;
        merge_collinear(&mut c, 30.0);
        assert_eq!(c.walls.len(), 2);
    }
}
