//! Rooms: the free space the walls enclose once the openings of the wall
//! graph ([`crate::gaps`]) are closed.
//!
//! Each opening is closed by its closure segment drawn as a wall of its
//! thickness (from the wall end's node, half a thickness inside its wall,
//! to as far inside the wall across the gap); the background left is cut
//! into its 4-connected components, and each component that does not
//! reach the image's edge (the outside) and is large enough is a room,
//! traced along its pixel edges ([`crate::outline`]): rooms are drawn to
//! the wall faces. Nothing is closed that the graph does not show as an
//! opening: a morphological closing of the raster would also seal gaps
//! that are no openings and leave wide ones open.

use geo_types::{Coord, Polygon};

use crate::centerline::Centerlines;
use crate::error::Result;
use crate::gaps::{Opening, openings_along};
use crate::mask::Mask;
use crate::outline::{OutlineOptions, outlines};

/// Room settings.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RoomOptions {
    /// Two wall ends facing each other on one line are an opening when at
    /// most this many wall thicknesses apart (R2V's wide passages between
    /// rooms span most of a wall). Default 100.
    pub facing_walls: f64,
    /// A wall end facing the side of another wall is an opening when at
    /// most this many thicknesses from it (farther, it is more often a
    /// wall stopping in a room). Default 15.
    pub side_walls: f64,
    /// A room is at least this many square wall thicknesses of free space
    /// (smaller enclosures are shafts and drawing artefacts). Default 16.
    pub min_area_walls: f64,
    /// Douglas–Peucker tolerance of the room outlines, pixels. Default 0.5.
    pub tolerance: f64,
}

impl Default for RoomOptions {
    fn default() -> Self {
        Self {
            facing_walls: 100.0,
            side_walls: 15.0,
            min_area_walls: 16.0,
            tolerance: 0.5,
        }
    }
}

/// One room, in plan pixels (x right, y up).
#[derive(Debug, Clone, PartialEq)]
pub struct Room {
    /// Its outline along the wall faces (holes around free-standing walls
    /// and columns).
    pub polygon: Polygon<f64>,
    /// Its free space, pixels (square pixels counted, not the polygon's
    /// area).
    pub area: f64,
}

/// The rooms and openings of a plan.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Rooms {
    /// The rooms, largest first.
    pub rooms: Vec<Room>,
    /// The openings that were closed, in the order
    /// [`openings_along`] found them.
    pub openings: Vec<Opening>,
}

/// The rooms of `mask` given its wall graph `c` (from the same mask).
pub fn rooms(mask: &Mask, c: &Centerlines, o: &RoomOptions) -> Result<Rooms> {
    let found = openings_along(c, mask, o.facing_walls, o.side_walls);
    let (w, h) = (mask.width() as usize, mask.height() as usize);
    // walls and closures: 1; free space: 0
    let mut solid: Vec<u8> = mask.as_bytes().iter().map(|v| u8::from(*v != 0)).collect();
    let hf = f64::from(mask.height());
    let image = |p: Coord<f64>| [p.x, hf - p.y];
    for op in &found {
        let r = (op.thickness / 2.0).max(1.0);
        crate::capsule::capsule_spans(
            image(op.closure[0]),
            image(op.closure[1]),
            r,
            (mask.width(), mask.height()),
            |row, c0, c1| solid[row * w + c0..=row * w + c1].fill(1),
        );
    }
    let parts = components(&solid, w, h);
    let thickness = typical_thickness(c);
    let min_area = o.min_area_walls * thickness * thickness;
    let outline = OutlineOptions {
        tolerance: o.tolerance,
        ..OutlineOptions::default()
    };
    let mut rooms = Vec::new();
    for part in parts {
        let area: usize = part.runs.iter().map(|r| r.x1 - r.x0).sum();
        if part.edge || (area as f64) < min_area {
            continue;
        }
        if let Some(polygon) = trace(&part.runs, h, &outline)? {
            rooms.push(Room {
                polygon,
                area: area as f64,
            });
        }
    }
    rooms.sort_by(|a, b| b.area.total_cmp(&a.area));
    Ok(Rooms {
        rooms,
        openings: found,
    })
}

/// The median wall thickness, pixels (1 without walls).
fn typical_thickness(c: &Centerlines) -> f64 {
    let mut t: Vec<f64> = c
        .walls
        .iter()
        .map(|w| w.thickness)
        .filter(|t| t.is_finite() && *t > 0.0)
        .collect();
    if t.is_empty() {
        return 1.0;
    }
    t.sort_by(f64::total_cmp);
    t[t.len() / 2]
}

/// A run of free pixels: row `y`, columns `x0..x1`.
#[derive(Debug, Clone, Copy)]
struct Run {
    y: usize,
    x0: usize,
    x1: usize,
}

/// One 4-connected component of free space: its runs, and whether it
/// reaches the image's edge.
struct Part {
    runs: Vec<Run>,
    edge: bool,
}

fn find(parent: &mut [usize], mut i: usize) -> usize {
    while parent[i] != i {
        parent[i] = parent[parent[i]];
        i = parent[i];
    }
    i
}

/// The 4-connected components of the zero pixels of a `w` × `h` raster,
/// by runs: each row's runs joined (union–find) to the runs of the row
/// above they overlap, so the work goes with the number of runs, not of
/// pixels. Components in the order of their first run.
fn components(solid: &[u8], w: usize, h: usize) -> Vec<Part> {
    let mut runs: Vec<Run> = Vec::new();
    let mut row_start = Vec::with_capacity(h + 1);
    for y in 0..h {
        row_start.push(runs.len());
        let row = &solid[y * w..(y + 1) * w];
        let mut x = 0;
        while x < w {
            if row[x] != 0 {
                x += 1;
                continue;
            }
            let x0 = x;
            while x < w && row[x] == 0 {
                x += 1;
            }
            runs.push(Run { y, x0, x1: x });
        }
    }
    row_start.push(runs.len());
    let mut parent: Vec<usize> = (0..runs.len()).collect();
    for y in 1..h {
        let (above, here) = (
            row_start[y - 1]..row_start[y],
            row_start[y]..row_start[y + 1],
        );
        let mut a = above.start;
        for i in here {
            // runs above that end before this one starts are behind us
            while a < above.end && runs[a].x1 <= runs[i].x0 {
                a += 1;
            }
            let mut k = a;
            while k < above.end && runs[k].x0 < runs[i].x1 {
                let (ri, rk) = (find(&mut parent, i), find(&mut parent, k));
                if ri != rk {
                    parent[ri.max(rk)] = ri.min(rk);
                }
                k += 1;
            }
        }
    }
    let mut index = vec![usize::MAX; runs.len()];
    let mut parts: Vec<Part> = Vec::new();
    for (i, &r) in runs.iter().enumerate() {
        let root = find(&mut parent, i);
        if index[root] == usize::MAX {
            index[root] = parts.len();
            parts.push(Part {
                runs: Vec::new(),
                edge: false,
            });
        }
        let part = &mut parts[index[root]];
        part.edge |= r.y == 0 || r.y + 1 == h || r.x0 == 0 || r.x1 == w;
        part.runs.push(r);
    }
    parts
}

/// The outline of one component (its runs in an image `h` rows high),
/// traced in its box and moved into plan pixels of the whole image: its
/// largest polygon.
fn trace(runs: &[Run], h: usize, o: &OutlineOptions) -> Result<Option<Polygon<f64>>> {
    let (mut x0, mut y0, mut x1, mut y1) = (usize::MAX, usize::MAX, 0, 0);
    for r in runs {
        (x0, y0, x1, y1) = (x0.min(r.x0), y0.min(r.y), x1.max(r.x1 - 1), y1.max(r.y));
    }
    let (cw, ch) = (x1 - x0 + 1, y1 - y0 + 1);
    let mut data = vec![0u8; cw * ch];
    for r in runs {
        let row = (r.y - y0) * cw;
        data[row + r.x0 - x0..row + r.x1 - x0].fill(255);
    }
    let crop = Mask::new(cw as u32, ch as u32, data)?;
    let traced = outlines(&crop, o)?;
    // the crop's plan pixels (y up from its bottom) into the image's
    let (dx, dy) = (x0 as f64, (h - y0 - ch) as f64);
    let shift = |c: &mut Coord<f64>| {
        c.x += dx;
        c.y += dy;
    };
    let biggest = traced.polygons.into_iter().max_by(|a, b| {
        use geo::Area;
        a.unsigned_area().total_cmp(&b.unsigned_area())
    });
    Ok(biggest.map(|mut p| {
        p.exterior_mut(|r| r.0.iter_mut().for_each(shift));
        p.interiors_mut(|rs| {
            for r in rs {
                r.0.iter_mut().for_each(shift);
            }
        });
        p
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::centerline::{CenterlineOptions, centerlines};

    #[test]
    fn two_rooms_behind_a_door_and_the_door_between_them() {
        // a 200 x 100 box of 6 px walls, split by a wall with a 30 px door
        let m = Mask::from_fn(220, 120, |x, y| {
            let outer = (10..210).contains(&x) && (10..110).contains(&y);
            let inner = (16..204).contains(&x) && (16..104).contains(&y);
            let split = (100..106).contains(&x) && (16..104).contains(&y) && !(45..75).contains(&y);
            (outer && !inner) || split
        });
        let c = centerlines(&m, &CenterlineOptions::default()).unwrap();
        let r = rooms(&m, &c, &RoomOptions::default()).unwrap();
        assert_eq!(r.openings.len(), 1, "{:?}", r.openings);
        let op = r.openings[0];
        assert!((op.width - 30.0).abs() <= 2.0, "{op:?}");
        let mid = (op.from + op.to) / 2.0;
        assert!(
            (mid.x - 103.0).abs() <= 2.0 && (mid.y - 60.0).abs() <= 2.0,
            "{op:?}"
        );
        assert_eq!(r.rooms.len(), 2, "{:?}", r.rooms);
        // 84 x 88 and 98 x 88 of free space, less what the closure covers
        let areas: Vec<f64> = r.rooms.iter().map(|x| x.area).collect();
        assert!((areas[0] - 98.0 * 88.0).abs() < 200.0, "{areas:?}");
        assert!((areas[1] - 84.0 * 88.0).abs() < 200.0, "{areas:?}");
        // drawn to the wall faces: the left room spans x 16..100
        let left = &r.rooms[1].polygon;
        let b = geo::BoundingRect::bounding_rect(left).unwrap();
        assert!(
            (b.min().x - 16.0).abs() < 1.0 && (b.max().x - 100.0).abs() < 1.0,
            "{b:?}"
        );
        assert!(
            (b.min().y - 16.0).abs() < 1.0 && (b.max().y - 104.0).abs() < 1.0,
            "{b:?}"
        );
    }

    #[test]
    fn without_walls_there_is_no_room() {
        let m = Mask::from_fn(50, 50, |_, _| false);
        let c = centerlines(&m, &CenterlineOptions::default()).unwrap();
        let r = rooms(&m, &c, &RoomOptions::default()).unwrap();
        assert!(r.rooms.is_empty() && r.openings.is_empty());
    }
}
