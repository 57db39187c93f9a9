//! Which side is a lot's front: one of the sides on the axis its record
//! gives ([`crate::dims`]), or, with no record, the street side most lots
//! along it face ([`crate::frontage`]).
//!
//! Of two sides on the front's axis, the front is the one more open to a
//! street: the less shared with other parcels, then the one with the wider
//! gap to the parcels across it (a street's right of way rather than an
//! alley's, or a neighbour's line). Where that does not decide (both open
//! with alike gaps: a one-lot-deep block between two streets), the lot
//! faces the way its decided neighbours face (lots side by side on a block
//! face front the same street), and then the way most lots on the two
//! block faces do. Only the address, which parcel files seldom carry,
//! would settle those; labels the file already gives come nearer: a lot
//! whose front is given keeps it, and counts as decided for the lots
//! beside it.

use std::cmp::Ordering;

use geo_types::Coord;

use crate::fabric::Fabric;
use crate::frontage::{Frontage, StreetSide};
use crate::sides::{SideGeom, ring};

/// Gaps to the parcels across a side are measured up to this, metres.
pub const MAX_GAP: f64 = 30.0;
/// Gaps closer than this are alike (digitising, kerb lines), metres.
const GAP_MARGIN: f64 = 2.5;
/// A neighbour is the parcel within this of a side's midpoint, metres.
const NEIGHBOUR: f64 = 1.5;

/// One lot of the fabric, as the front choice sees it.
#[derive(Debug, Clone)]
pub struct Lot<'a> {
    /// Its sides (ring order).
    pub sides: &'a [SideGeom],
    /// The sides on the front's axis, if its record gives one.
    pub axis: Vec<usize>,
    /// Per side, the share lying on another parcel.
    pub shared: &'a [f64],
    /// Per side, whether it is a street frontage.
    pub street: &'a [bool],
    /// The front the input already gives (a labelled lot), if any.
    pub given: Option<usize>,
}

/// What lies across a side.
#[derive(Debug, Clone, Copy)]
struct Open {
    shared: f64,
    gap: f64,
    block_face: usize,
}

impl Open {
    /// `Greater` when `self` is the more open to a street; `Equal` when
    /// nothing decides.
    fn by_street(&self, o: &Open) -> Ordering {
        o.shared.total_cmp(&self.shared).then_with(|| {
            if (self.gap - o.gap).abs() >= GAP_MARGIN {
                self.gap.total_cmp(&o.gap)
            } else {
                Ordering::Equal
            }
        })
    }
}

/// With several street sides, the one most lots along it face (ties: the
/// shorter); `None` with one street side or none.
fn by_block_face(frontage: &Frontage, owner: usize, lot: &Lot) -> Option<usize> {
    if lot.street.iter().filter(|s| **s).count() < 2 {
        return None;
    }
    (0..lot.sides.len())
        .filter(|i| lot.street[*i])
        .map(|i| (frontage.score(&StreetSide::new(owner, &lot.sides[i])), i))
        .max_by(|a, b| {
            a.0.cmp(&b.0)
                .then(lot.sides[b.1].length().total_cmp(&lot.sides[a.1].length()))
        })
        .map(|(_, i)| i)
}

/// The unit direction from a lot's vertex mean to the midpoint of side `i`.
fn facing(sides: &[SideGeom], i: usize) -> Coord<f64> {
    let r = ring(sides);
    let n = r.len().max(1) as f64;
    let c = Coord {
        x: r.iter().map(|p| p.x).sum::<f64>() / n,
        y: r.iter().map(|p| p.y).sum::<f64>() / n,
    };
    let m = sides[i].midpoint();
    let l = (m.x - c.x).hypot(m.y - c.y).max(1e-12);
    Coord {
        x: (m.x - c.x) / l,
        y: (m.y - c.y) / l,
    }
}

/// The side of `lot`'s axis facing most along `vote`.
fn towards(lot: &Lot, vote: Coord<f64>) -> Option<usize> {
    lot.axis.iter().copied().max_by(|a, b| {
        let (fa, fb) = (facing(lot.sides, *a), facing(lot.sides, *b));
        (fa.x * vote.x + fa.y * vote.y).total_cmp(&(fb.x * vote.x + fb.y * vote.y))
    })
}

/// The front side of every lot (`None` where nothing names one; the roles
/// then follow the street sides alone). `fabric` holds every lot's
/// boundary with the lot's index as its owner.
pub fn choose_fronts(lots: &[Lot], fabric: &Fabric, frontage: &Frontage) -> Vec<Option<usize>> {
    // the front, and whether the street (or the input) decided it
    let first: Vec<(Option<usize>, bool)> = lots
        .iter()
        .enumerate()
        .map(|(owner, lot)| {
            if let Some(g) = lot.given {
                return (Some(g), true);
            }
            let mut ranked: Vec<(Open, usize)> = lot
                .axis
                .iter()
                .map(|&i| {
                    let open = Open {
                        shared: lot.shared[i],
                        gap: fabric.gap(owner, &lot.sides[i], MAX_GAP),
                        block_face: frontage.score(&StreetSide::new(owner, &lot.sides[i])),
                    };
                    (open, i)
                })
                .collect();
            ranked.sort_by(|(a, _), (b, _)| b.by_street(a).then(b.block_face.cmp(&a.block_face)));
            match ranked.as_slice() {
                [] => (by_block_face(frontage, owner, lot), true),
                [(_, i)] => (Some(*i), true),
                [(a, i), (b, _), ..] => (Some(*i), a.by_street(b).is_ne()),
            }
        })
        .collect();
    lots.iter()
        .enumerate()
        .map(|(owner, lot)| {
            let (front, decided) = first[owner];
            if decided {
                return front;
            }
            let mut vote = Coord { x: 0.0, y: 0.0 };
            for s in lot.sides {
                if let Some((n, _)) = fabric.nearest(owner, s.midpoint(), NEIGHBOUR)
                    && let (Some(f), true) = first[n]
                {
                    let d = facing(lots[n].sides, f);
                    vote.x += d.x;
                    vote.y += d.y;
                }
            }
            if vote.x == 0.0 && vote.y == 0.0 {
                return front;
            }
            towards(lot, vote)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sides::split_sides;

    fn rect(x0: f64, y0: f64, x1: f64, y1: f64) -> Vec<SideGeom> {
        split_sides(&crate::sides::rect_ring(x0, y0, x1, y1), 15f64.to_radians())
    }

    /// The index of the side of `sides` running along y = `y`.
    fn along(sides: &[SideGeom], y: f64) -> usize {
        sides
            .iter()
            .position(|s| s.points.iter().all(|p| (p.y - y).abs() < 1e-9))
            .unwrap()
    }

    /// The fronts of `lots` (parcel index, axis as y values of its sides)
    /// in a fabric of `parcels`.
    fn fronts(parcels: &[Vec<SideGeom>], lots: &[(usize, &[f64])]) -> Vec<Option<usize>> {
        fronts_given(parcels, lots, &[])
    }

    /// [`fronts`] with given fronts (lot, y value of the given front).
    fn fronts_given(
        parcels: &[Vec<SideGeom>],
        lots: &[(usize, &[f64])],
        given: &[(usize, f64)],
    ) -> Vec<Option<usize>> {
        let mut fabric = Fabric::new(MAX_GAP);
        for (owner, p) in parcels.iter().enumerate() {
            for s in p {
                fabric.add(owner, &s.points);
            }
        }
        let shared: Vec<Vec<f64>> = parcels
            .iter()
            .enumerate()
            .map(|(o, p)| {
                p.iter()
                    .map(|s| fabric.shared_fraction(o, s, 0.01))
                    .collect()
            })
            .collect();
        let street: Vec<Vec<bool>> = shared
            .iter()
            .map(|v| v.iter().map(|f| *f < 0.5).collect())
            .collect();
        let frontage = Frontage::new(parcels.iter().enumerate().flat_map(|(o, p)| {
            p.iter()
                .zip(&street[o])
                .filter(|(_, st)| **st)
                .map(move |(s, _)| StreetSide::new(o, s))
        }));
        // lots are the first parcels, in order
        let lots: Vec<Lot> = lots
            .iter()
            .enumerate()
            .map(|(n, &(k, ys))| Lot {
                sides: &parcels[k],
                axis: ys.iter().map(|y| along(&parcels[k], *y)).collect(),
                shared: &shared[k],
                street: &street[k],
                given: given
                    .iter()
                    .find(|(lot, _)| *lot == n)
                    .map(|(_, y)| along(&parcels[k], *y)),
            })
            .collect();
        choose_fronts(&lots, &fabric, &frontage)
    }

    #[test]
    fn the_street_side_of_the_axis_then_the_neighbours_decide() {
        // A (0..20) and B (20..80) side by side, 40 m deep; parcel strips
        // 15 m away across a street south and north of both; C on A's rear
        // line
        let a = rect(0.0, 0.0, 20.0, 40.0);
        let b = rect(20.0, 0.0, 80.0, 40.0);
        let south = rect(-50.0, -40.0, 150.0, -15.0);
        let north = rect(-50.0, 55.0, 150.0, 80.0);
        let c = rect(0.0, 40.0, 20.0, 45.0);
        let all = [a.clone(), b.clone(), south.clone(), north.clone(), c];
        let axis: &[f64] = &[40.0, 0.0];
        let f = fronts(&all, &[(0, axis), (1, axis)]);
        // A's rear line lies on C: A fronts south, though north comes first
        assert_eq!(f[0], Some(along(&a, 0.0)));
        // B is open 15 m both ways: it follows A
        assert_eq!(f[1], Some(along(&b, 0.0)));
        // without A, nothing decides: B keeps the first side of its axis
        let f = fronts(&[b.clone(), south.clone(), north.clone()], &[(0, axis)]);
        assert_eq!(f[0], Some(along(&b, 40.0)));
        // A's front given as north (its file labels it so): A keeps it and
        // B, undecided, follows it
        let all = [
            a.clone(),
            b.clone(),
            south,
            north,
            rect(0.0, 40.0, 20.0, 45.0),
        ];
        let f = fronts_given(&all, &[(0, axis), (1, axis)], &[(0, 40.0)]);
        assert_eq!(f[0], Some(along(&a, 40.0)));
        assert_eq!(f[1], Some(along(&b, 40.0)));
    }

    #[test]
    fn a_wider_gap_is_a_street_an_alike_one_decides_nothing() {
        let o = |shared, gap| Open {
            shared,
            gap,
            block_face: 0,
        };
        assert_eq!(o(0.0, 15.2).by_street(&o(0.0, 6.1)), Ordering::Greater);
        assert_eq!(o(0.0, 7.3).by_street(&o(0.0, 6.1)), Ordering::Equal);
        assert_eq!(o(1.0, 30.0).by_street(&o(0.0, 0.0)), Ordering::Less);
    }
}
