//! Walls that add next to nothing are dropped.
//!
//! A wall whose pixels (drawn at its thickness, pixel centres) cover fewer
//! than `least` wall pixels, less the background pixels it adds, beyond
//! what the other walls cover is a leftover: a stub inside a junction's
//! blob, a short part doubling a neighbour, a residual piece another wall
//! came to cover. They go one at a time, the least useful first (the
//! others' gains then updated), so two walls doubling each other lose only
//! one. Two bits a pixel and a count for the pixels several walls share:
//! 16 MB for a 64 Mpx mask.

use planform_model::Wall;

use crate::capsule::wall_spans;
use crate::fasthash::FastMap;
use crate::mask::Mask;
use crate::skeleton::Bits;

/// Calls `visit` once with every pixel (row-major index) a wall covers: a
/// straight wall's rows straight from its capsule, a polyline's sorted so
/// that its parts' overlaps at the joints count once.
fn each_pixel(mask: &Mask, wall: &Wall, mut visit: impl FnMut(usize)) {
    let size = (mask.width(), mask.height());
    let w = mask.width() as usize;
    if wall.centerline.0.len() <= 2 {
        wall_spans(wall, size, |row, c0, c1| {
            (row * w + c0..=row * w + c1).for_each(&mut visit);
        });
        return;
    }
    let mut all = Vec::new();
    wall_spans(wall, size, |row, c0, c1| {
        all.extend(row * w + c0..=row * w + c1);
    });
    all.sort_unstable();
    all.dedup();
    all.into_iter().for_each(visit);
}

/// Drops, least useful first, the walls adding fewer than `least` wall
/// pixels net of background beyond the others; returns how many went.
/// Two bits a pixel tell the pixels one wall covers from those several do;
/// only the latter are counted (walls covering them, sum of their indices),
/// so when a wall goes the one wall left alone on a pixel is known and only
/// its gain changes.
pub(crate) fn prune(mask: &Mask, walls: &mut Vec<Wall>, least: usize) -> usize {
    let (w, h) = (mask.width() as usize, mask.height() as usize);
    let (mut once, mut more) = (Bits::new(w * h), Bits::new(w * h));
    for wall in walls.iter() {
        each_pixel(mask, wall, |i| {
            if once.get(i) {
                more.set(i, true);
            } else {
                once.set(i, true);
            }
        });
    }
    // the pixels several walls cover: how many, and the sum of their indices
    let mut shared: FastMap<usize, (u32, usize)> = FastMap::default();
    let value = |i: usize| -> i64 {
        if mask.row((i / w) as u32)[i % w] != 0 {
            1
        } else {
            -1
        }
    };
    let mut gain: Vec<i64> = Vec::with_capacity(walls.len());
    for (k, wall) in walls.iter().enumerate() {
        let mut g = 0;
        each_pixel(mask, wall, |i| {
            if more.get(i) {
                let e = shared.entry(i).or_default();
                e.0 += 1;
                e.1 += k;
            } else {
                g += value(i);
            }
        });
        gain.push(g);
    }
    let least = i64::try_from(least).unwrap_or(i64::MAX);
    let mut alive = vec![true; walls.len()];
    while let Some((g, k)) = (0..walls.len())
        .filter(|k| alive[*k])
        .map(|k| (gain[k], k))
        .min()
    {
        if g >= least {
            break;
        }
        alive[k] = false;
        each_pixel(mask, &walls[k], |i| {
            if let Some(e) = shared.get_mut(&i) {
                e.0 -= 1;
                e.1 -= k;
                if e.0 == 1 {
                    // the one wall left here has it to itself now
                    gain[e.1] += value(i);
                }
            }
        });
    }
    let before = walls.len();
    let mut k = 0;
    walls.retain(|_| {
        k += 1;
        alive[k - 1]
    });
    before - walls.len()
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo_types::{Coord, LineString};
    use planform_model::WallKind;

    fn wall(a: (f64, f64), b: (f64, f64), thickness: f64) -> Wall {
        Wall {
            centerline: LineString(vec![Coord { x: a.0, y: a.1 }, Coord { x: b.0, y: b.1 }]),
            thickness,
            kind: WallKind::Wall,
        }
    }

    #[test]
    fn a_wall_doubling_another_goes_and_one_of_two_twins_stays() {
        // a 40 x 6 bar (plan y up: rows 17..23 of a 40-row mask)
        let m = Mask::from_fn(60, 40, |x, y| {
            (10..50).contains(&x) && (17..23).contains(&y)
        });
        let mut walls = vec![
            wall((10.0, 20.0), (50.0, 20.0), 6.0),
            // a stub inside the bar
            wall((20.0, 20.0), (24.0, 20.0), 4.0),
            // a twin of the bar
            wall((10.0, 20.0), (50.0, 20.0), 6.0),
        ];
        assert_eq!(prune(&m, &mut walls, 16), 2);
        assert_eq!(walls.len(), 1);
        // a short wall of its own (a column) stays
        let m = Mask::from_fn(60, 40, |x, y| {
            ((10..50).contains(&x) && (17..23).contains(&y))
                || ((54..60).contains(&x) && (0..6).contains(&y))
        });
        let mut walls = vec![
            wall((10.0, 20.0), (50.0, 20.0), 6.0),
            wall((57.0, 37.0), (57.0, 37.0), 6.0),
        ];
        assert_eq!(prune(&m, &mut walls, 16), 0);
    }
}
