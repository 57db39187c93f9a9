//! Street context in a local metric frame: road centrelines (with their
//! names) and right-of-way boundaries, indexed once, then asked per lot
//! which of its sides are street frontages and which one faces the street
//! its address names. A single site plan builds one around its parcel
//! ([`crate::parcel`]); a whole parcel layer builds one for the layer
//! ([`crate::tidyparcel`]).
//!
//! A side is a frontage when it lies along a right-of-way boundary (half
//! of it within the sharing tolerance: even a 3.5 m access strip between
//! two lots, which neighbours come within the tolerance of, unless it is a
//! jog no longer than twice the tolerance), or when no neighbour shares it
//! and a road lies ahead of it within the road distance and runs along it
//! (the way within 60° of the outward normal, or the road within 3 m; the
//! road within 30° of parallel), not beside it as the cross street lies
//! beside a corner lot's rear line.

use geo_types::Coord;

use crate::address::{same_street, street_key};
use crate::error::Result;
use crate::fabric::{Ahead, Fabric};
use crate::geom::{bbox, boxes_meet};
use crate::parcel::{Context, ParcelOptions, Project};
use crate::roles::outward;
use crate::sides::SideGeom;

/// A road faces a side when the way to it from the side is within 60° of
/// the side's outward normal (or the road lies within 3 m) and the road
/// within 30° of parallel to the side.
const ROAD_AHEAD: Ahead = Ahead {
    way: std::f64::consts::FRAC_PI_3,
    across: std::f64::consts::FRAC_PI_6,
    on: 3.0,
};

/// Roads and right-of-way boundaries in one local frame.
#[derive(Debug)]
pub struct Streets {
    roads: Fabric,
    /// Per road (owner `i + 1` in `roads`), its street key.
    keys: Vec<Option<String>>,
    row: Fabric,
    has_roads: bool,
    has_row: bool,
    road_distance: f64,
    tolerance: f64,
}

impl Streets {
    /// Indexes `roads` (local polylines, each as the runs of it that matter,
    /// with their names where known: `names` is empty or as long as
    /// `roads`) and the rings of right-of-way polygons `row` (as runs too); a road `road_distance` m ahead of a side faces it, a
    /// side within `tolerance` m of the right-of-way lies along it.
    pub fn new(
        roads: &[Vec<Vec<Coord<f64>>>],
        names: &[Option<String>],
        row: &[Vec<Vec<Coord<f64>>>],
        road_distance: f64,
        tolerance: f64,
    ) -> Self {
        let mut road_fabric = Fabric::new(road_distance.max(1.0));
        for (i, runs) in roads.iter().enumerate() {
            for r in runs {
                road_fabric.add(i + 1, r);
            }
        }
        let mut row_fabric = Fabric::new(10.0);
        for (i, runs) in row.iter().enumerate() {
            for r in runs {
                row_fabric.add(i + 1, r);
            }
        }
        Self {
            roads: road_fabric,
            keys: (0..roads.len())
                .map(|i| {
                    names
                        .get(i)
                        .cloned()
                        .flatten()
                        .as_deref()
                        .and_then(street_key)
                })
                .collect(),
            row: row_fabric,
            has_roads: !roads.is_empty(),
            has_row: !row.is_empty(),
            road_distance,
            tolerance,
        }
    }

    /// The roads (with their names) and right-of-way rings of `context`
    /// (WGS84) whose bounding boxes come within `roads` and `row` degrees
    /// of `area`'s, put into a local frame by `project`.
    pub(crate) fn from_context(
        context: &Context,
        o: &ParcelOptions,
        (area, roads_margin, row_margin): (Option<geo_types::Rect<f64>>, f64, f64),
        project: &Project<'_>,
    ) -> Result<Self> {
        let near = |line: &[(f64, f64)], margin| boxes_meet(bbox(line), area, margin);
        // each line near the lot as the runs of it within the margin: a
        // city's right-of-way polygon or a long road is not projected and
        // filed whole for every lot
        let runs = |line: &[(f64, f64)], margin| -> Result<Vec<Vec<Coord<f64>>>> {
            crate::parcel::near_runs(line, area, margin)
                .map(project)
                .collect()
        };
        let (mut roads, mut names) = (Vec::new(), Vec::new());
        for (i, r) in context.roads.iter().enumerate() {
            if near(r, roads_margin) {
                roads.push(runs(r, roads_margin)?);
                names.push(context.road_names.get(i).cloned().flatten());
            }
        }
        let row = context
            .right_of_way
            .iter()
            .filter(|r| near(r, row_margin))
            .map(|r| runs(r, row_margin))
            .collect::<Result<Vec<_>>>()?;
        Ok(Self::new(
            &roads,
            &names,
            &row,
            o.road_distance_m,
            o.share_tolerance_m,
        ))
    }

    /// Whether there is neither a road nor a right-of-way.
    pub fn is_empty(&self) -> bool {
        !self.has_roads && !self.has_row
    }

    /// Per side of a lot, whether it is a street frontage, given which
    /// sides a neighbour shares.
    pub fn frontages(&self, sides: &[SideGeom], shared: &[bool]) -> Vec<bool> {
        let ccw = crate::geom::is_ccw(&crate::sides::ring(sides));
        sides
            .iter()
            .zip(shared)
            .map(|(s, sh)| {
                let along_row =
                    self.has_row && self.row.shared_fraction(0, s, self.tolerance) >= 0.5;
                if along_row && (!sh || s.length() > 2.0 * self.tolerance) {
                    return true;
                }
                let n = outward(s, ccw);
                !sh && self.has_roads
                    && [0.25, 0.5, 0.75].iter().any(|t| {
                        self.roads
                            .nearest_ahead(0, s.at(*t), n, self.road_distance, ROAD_AHEAD)
                            .is_some()
                    })
            })
            .collect()
    }

    /// The side nearest a road named as the `address`'s street (over its
    /// quarter, middle and three-quarter points, within twice the road
    /// distance), if any road is.
    pub fn address_front(&self, sides: &[SideGeom], address: &str) -> Option<usize> {
        let street = street_key(address)?;
        let named = |o: usize| {
            self.keys
                .get(o.wrapping_sub(1))
                .and_then(Option::as_deref)
                .is_some_and(|k| same_street(k, &street))
        };
        let reach = 2.0 * self.road_distance.max(1.0);
        sides
            .iter()
            .enumerate()
            .filter_map(|(k, s)| {
                [0.25, 0.5, 0.75]
                    .iter()
                    .filter_map(|t| {
                        self.roads
                            .nearest_where(s.at(*t), reach, named)
                            .map(|(_, d)| d)
                    })
                    .min_by(f64::total_cmp)
                    .map(|d| (k, d))
            })
            .min_by(|a, b| a.1.total_cmp(&b.1))
            .map(|(k, _)| k)
    }
}
