//! Which street a lot faces when it has several: the one most lots along
//! it face. Lots on a block face line up along their street, so a street
//! side is scored by how many other parcels have a street side on the same
//! line (parallel within 10°, its midpoint within a street's width of the
//! line, within 600 m along it: a town street's length, which tells a main
//! street from a back one; a block's 150 m read Paradise's fronts worse,
//! 78.9 % of its labelled sides against 80.9 %). A corner lot's side street
//! scores low: few lots line up on it.

use std::collections::HashMap;

use geo_types::Coord;

use crate::sides::SideGeom;

/// A street side of some parcel: its owner, chord midpoint and direction.
#[derive(Debug, Clone, Copy)]
pub struct StreetSide {
    /// The parcel.
    pub owner: usize,
    /// Chord midpoint, metres.
    pub mid: Coord<f64>,
    /// Unit chord direction.
    pub dir: Coord<f64>,
}

impl StreetSide {
    /// From a side of parcel `owner`.
    pub fn new(owner: usize, s: &SideGeom) -> Self {
        let (a, b) = (s.points[0], s.points[s.points.len() - 1]);
        let l = (b.x - a.x).hypot(b.y - a.y).max(1e-12);
        Self {
            owner,
            mid: Coord {
                x: f64::midpoint(a.x, b.x),
                y: f64::midpoint(a.y, b.y),
            },
            dir: Coord {
                x: (b.x - a.x) / l,
                y: (b.y - a.y) / l,
            },
        }
    }
}

/// Street sides indexed for the block-face count.
pub struct Frontage {
    cell: f64,
    grid: HashMap<(i64, i64), Vec<StreetSide>>,
    /// Largest distance from the line of a counted side, metres.
    pub across: f64,
    /// Largest distance along the line, metres.
    pub along: f64,
}

impl Frontage {
    /// Indexes every street side of the fabric.
    pub fn new(sides: impl IntoIterator<Item = StreetSide>) -> Self {
        let along = 600.0;
        let mut f = Self {
            cell: along,
            grid: HashMap::new(),
            across: 30.0,
            along,
        };
        for s in sides {
            let k = f.key(s.mid);
            f.grid.entry(k).or_default().push(s);
        }
        f
    }

    fn key(&self, c: Coord<f64>) -> (i64, i64) {
        (
            (c.x / self.cell).floor() as i64,
            (c.y / self.cell).floor() as i64,
        )
    }

    /// How many other parcels have a street side on the line of `s`.
    pub fn score(&self, s: &StreetSide) -> usize {
        let k = self.key(s.mid);
        let cos10 = 10f64.to_radians().cos();
        let mut owners: Vec<usize> = Vec::new();
        for x in k.0 - 1..=k.0 + 1 {
            for y in k.1 - 1..=k.1 + 1 {
                for t in self.grid.get(&(x, y)).into_iter().flatten() {
                    if t.owner == s.owner || owners.contains(&t.owner) {
                        continue;
                    }
                    let parallel = (s.dir.x * t.dir.x + s.dir.y * t.dir.y).abs() >= cos10;
                    let (dx, dy) = (t.mid.x - s.mid.x, t.mid.y - s.mid.y);
                    let along = (dx * s.dir.x + dy * s.dir.y).abs();
                    let across = (dx * s.dir.y - dy * s.dir.x).abs();
                    if parallel && along <= self.along && across <= self.across {
                        owners.push(t.owner);
                    }
                }
            }
        }
        owners.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn side(owner: usize, a: (f64, f64), b: (f64, f64)) -> StreetSide {
        StreetSide::new(
            owner,
            &SideGeom {
                index: 0,
                points: vec![Coord { x: a.0, y: a.1 }, Coord { x: b.0, y: b.1 }],
                curved: false,
            },
        )
    }

    #[test]
    fn the_block_face_outscores_the_side_street() {
        // five lots in a row along a street y = 0 (x 0..100), the first a
        // corner lot with a side street along x = 0
        let mut all: Vec<StreetSide> = (0..5)
            .map(|i| {
                let x = f64::from(i) * 20.0;
                side(i as usize, (x, 0.0), (x + 20.0, 0.0))
            })
            .collect();
        let side_street = side(0, (0.0, 40.0), (0.0, 0.0));
        all.push(side_street);
        let f = Frontage::new(all.iter().copied());
        assert_eq!(f.score(&all[0]), 4);
        assert_eq!(f.score(&side_street), 0);
    }
}
