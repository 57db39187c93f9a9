//! Fence layout and gates: the recommended fence around the back of the
//! lot.
//!
//! The fence runs along every side that is not the front, from the front
//! building line back (the line parallel to the front side through the
//! building's point nearest to it), and returns along that line from each
//! side line to the building; on a lot without a building it runs along
//! every side but the front in full. Stretches within 1 m of an existing fence or
//! hedge are reused (not counted as new). Where a driveway or a walkway
//! (`surface` with `kind: walkway`) crosses the fence, the crossing is a
//! gate: an open polyline across the opening.

use geo_types::Coord;
use planform_model::analysis::{FenceLayout, Gate, SideRole};
use planform_model::attrs::SurfaceKind;
use planform_model::units::FT_TO_M;
use planform_model::{CatalogType, GeometryValue, Position, SitePlan};
use serde_json::Number;

use crate::error::Result;
use crate::geom::within_interval;
use crate::parcel::{Frames, ParcelAnalysis};

fn sub(a: Coord<f64>, b: Coord<f64>) -> Coord<f64> {
    Coord {
        x: a.x - b.x,
        y: a.y - b.y,
    }
}

fn dot(a: Coord<f64>, b: Coord<f64>) -> f64 {
    a.x * b.x + a.y * b.y
}

fn lerp(a: Coord<f64>, b: Coord<f64>, t: f64) -> Coord<f64> {
    Coord {
        x: a.x + (b.x - a.x) * t,
        y: a.y + (b.y - a.y) * t,
    }
}

/// The part of a polyline where `depth(p) >= limit` (depth measured into
/// the lot from the front line), as separate runs.
fn behind(
    points: &[Coord<f64>],
    depth: &dyn Fn(Coord<f64>) -> f64,
    limit: f64,
) -> Vec<Vec<Coord<f64>>> {
    let mut runs = Vec::new();
    let mut cur: Vec<Coord<f64>> = Vec::new();
    for w in points.windows(2) {
        let (a, b) = (w[0], w[1]);
        let (da, db) = (depth(a) - limit, depth(b) - limit);
        if da >= 0.0 && cur.is_empty() {
            cur.push(a);
        }
        if (da >= 0.0) != (db >= 0.0) {
            let c = lerp(a, b, da / (da - db));
            cur.push(c);
            if db < 0.0 {
                runs.push(std::mem::take(&mut cur));
            }
        }
        if db >= 0.0 {
            if cur.is_empty() {
                cur.push(a);
            }
            cur.push(b);
        }
    }
    if cur.len() >= 2 {
        runs.push(cur);
    }
    runs.retain(|r| r.len() >= 2);
    runs
}

fn length(run: &[Coord<f64>]) -> f64 {
    run.windows(2)
        .map(|w| (w[1].x - w[0].x).hypot(w[1].y - w[0].y))
        .sum()
}

/// Where a polyline crosses a polygon ring: each entry/exit pair as the
/// opening's two ends.
fn crossings(run: &[Coord<f64>], ring: &[Coord<f64>]) -> Vec<(Coord<f64>, Coord<f64>)> {
    let mut hits: Vec<(f64, Coord<f64>)> = Vec::new();
    let mut along = 0.0;
    for w in run.windows(2) {
        let (p, q) = (w[0], w[1]);
        let r = sub(q, p);
        for e in ring.windows(2) {
            let s = sub(e[1], e[0]);
            let den = r.x * s.y - r.y * s.x;
            if den.abs() < 1e-12 {
                continue;
            }
            let ap = sub(e[0], p);
            let t = (ap.x * s.y - ap.y * s.x) / den;
            let u = (ap.x * r.y - ap.y * r.x) / den;
            if (0.0..=1.0).contains(&t) && (0.0..=1.0).contains(&u) {
                hits.push((along + t * length(&[p, q]), lerp(p, q, t)));
            }
        }
        along += length(&[p, q]);
    }
    hits.sort_by(|a, b| a.0.total_cmp(&b.0));
    hits.chunks(2)
        .filter(|c| c.len() == 2 && (c[1].0 - c[0].0) > 0.3)
        .map(|c| (c[0].1, c[1].1))
        .collect()
}

/// The fence's runs: every non-front side behind the front building line,
/// and the returns along that line from the side lines to the building;
/// without a building, every non-front side whole.
fn fence_runs(
    a: &ParcelAnalysis,
    front: usize,
    footprint: Option<&[Coord<f64>]>,
) -> Vec<Vec<Coord<f64>>> {
    let Some(footprint) = footprint else {
        return a
            .sides
            .iter()
            .zip(&a.roles)
            .filter(|(_, r)| r.role != SideRole::Front)
            .map(|(s, _)| s.points.clone())
            .collect();
    };
    let crate::parcel::FrontFrame {
        origin: f0,
        along: dir,
        inward,
    } = a.front_frame(front);
    let depth = |p: Coord<f64>| dot(sub(p, f0), inward);
    let line_depth = footprint
        .iter()
        .map(|p| depth(*p))
        .fold(f64::INFINITY, f64::min);
    let mut runs: Vec<Vec<Coord<f64>>> = Vec::new();
    for (s, r) in a.sides.iter().zip(&a.roles) {
        if r.role != SideRole::Front {
            runs.extend(behind(&s.points, &depth, line_depth));
        }
    }
    let base = Coord {
        x: f0.x + inward.x * line_depth,
        y: f0.y + inward.y * line_depth,
    };
    let at = |t: f64| Coord {
        x: base.x + dir.x * t,
        y: base.y + dir.y * t,
    };
    let (lo, hi) = footprint
        .iter()
        .filter(|p| (depth(**p) - line_depth).abs() < 0.5)
        .map(|p| dot(sub(*p, base), dir))
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), v| {
            (lo.min(v), hi.max(v))
        });
    if !lo.is_finite() {
        return runs;
    }
    let ends: Vec<f64> = runs
        .iter()
        .flat_map(|r| [r[0], r[r.len() - 1]])
        .filter(|p| (depth(*p) - line_depth).abs() < 1e-6)
        .map(|p| dot(sub(p, base), dir))
        .collect();
    for e in ends {
        let to = if e < lo {
            lo
        } else if e > hi {
            hi
        } else {
            continue;
        };
        if (to - e).abs() > 0.1 {
            runs.push(vec![at(e), at(to)]);
        }
    }
    runs
}

/// A polyline or ring in the local frame.
type Line = Vec<Coord<f64>>;

/// Existing fences and hedges (to reuse), and driveways and walkways (to
/// gate), in the local frame.
fn context(plan: &SitePlan, frames: &Frames) -> Result<(Vec<Line>, Vec<Line>)> {
    let mut existing = Vec::new();
    let mut openings = Vec::new();
    let pts = |r: &[Position]| -> Vec<(f64, f64)> { r.iter().map(|p| (p.x(), p.y())).collect() };
    for feat in &plan.features {
        let Some(g) = &feat.geometry else { continue };
        let t = feat.catalog_type();
        let walkway = t == Some(&CatalogType::Surface)
            && feat
                .properties
                .as_ref()
                .is_some_and(|p| p.kind == Some(SurfaceKind::Walkway));
        let barrier = matches!(t, Some(CatalogType::Fence | CatalogType::Hedge));
        let gated = t == Some(&CatalogType::Driveway) || walkway;
        // fences and hedges as lines or outlines; driveways and walkways by
        // their outlines (every part of a Multi* geometry)
        let (lines, rings): (Vec<&Vec<Position>>, Vec<&Vec<Position>>) = match &g.value {
            GeometryValue::LineString(l) => (vec![l], Vec::new()),
            GeometryValue::MultiLineString(ls) => (ls.iter().collect(), Vec::new()),
            GeometryValue::Polygon(r) => (Vec::new(), r.first().into_iter().collect()),
            GeometryValue::MultiPolygon(ps) => {
                (Vec::new(), ps.iter().filter_map(|p| p.first()).collect())
            }
            _ => (Vec::new(), Vec::new()),
        };
        if barrier {
            for l in lines.iter().chain(&rings) {
                existing.push(frames.local(&pts(l))?);
            }
        } else if gated {
            for r in rings {
                openings.push(frames.local(&pts(r))?);
            }
        }
    }
    Ok((existing, openings))
}

/// A fence stretch within this of an existing fence or hedge reuses it,
/// metres.
const REUSE_M: f64 = 1.0;

/// Total length of the runs and the part within [`REUSE_M`] of an existing
/// barrier (exactly: per run segment, the union of the stretches near each
/// barrier segment), metres.
fn lengths(runs: &[Vec<Coord<f64>>], existing: &[Vec<Coord<f64>>]) -> (f64, f64) {
    let (mut total, mut reused) = (0.0, 0.0);
    for w in runs.iter().flat_map(|r| r.windows(2)) {
        let l = length(w);
        total += l;
        let mut near: Vec<(f64, f64)> = existing
            .iter()
            .flat_map(|e| e.windows(2))
            .filter_map(|e| within_interval(w[0], w[1], e[0], e[1], REUSE_M))
            .collect();
        near.sort_by(|a, b| a.0.total_cmp(&b.0));
        let (mut covered, mut end) = (0.0, f64::NEG_INFINITY);
        for (t0, t1) in near {
            let from = t0.max(end);
            if t1 > from {
                covered += t1 - from;
            }
            end = end.max(t1);
        }
        reused += l * covered;
    }
    (total, reused)
}

/// The fence layout (`analysis.fenceLayout`, in the plan's own coordinates)
/// and the gates; `None` without a front side.
pub fn fence_layout(
    plan: &SitePlan,
    a: &ParcelAnalysis,
    frames: &Frames,
) -> Result<Option<(FenceLayout, Vec<Gate>)>> {
    let Some(front) = a.roles.iter().position(|r| r.role == SideRole::Front) else {
        return Ok(None);
    };
    let runs = fence_runs(a, front, a.footprint.as_deref());
    let (existing, openings) = context(plan, frames)?;
    let (total, reused) = lengths(&runs, &existing);
    let at = |c: Coord<f64>| frames.to_plan(c);
    let mut gates = Vec::new();
    for r in &runs {
        for o in &openings {
            for (p, q) in crossings(r, o) {
                gates.push(Gate {
                    coordinates: Some(vec![at(p)?, at(q)?]),
                    ..Gate::default()
                });
            }
        }
    }
    let mut lines = Vec::with_capacity(runs.len());
    for run in &runs {
        let mut line = Vec::with_capacity(run.len());
        for c in run {
            line.push(at(*c)?);
        }
        lines.push(line);
    }
    let ft = |m: f64| Number::from_f64((m / FT_TO_M * 10.0).round() / 10.0);
    let layout = FenceLayout {
        lines: Some(lines),
        total_length_feet: ft(total),
        new_length_feet: ft(total - reused),
        reused_length_feet: ft(reused),
        source: Some("planform".to_owned()),
        ..FenceLayout::default()
    };
    Ok(Some((layout, gates)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn c(x: f64, y: f64) -> Coord<f64> {
        Coord { x, y }
    }

    #[test]
    fn only_the_part_behind_the_line_and_the_crossings() {
        // a side line from y = 0 to y = 40, the building line at y = 10
        let runs = behind(&[c(0.0, 0.0), c(0.0, 40.0)], &|p: Coord<f64>| p.y, 10.0);
        assert_eq!(runs, vec![vec![c(0.0, 10.0), c(0.0, 40.0)]]);
        let runs = behind(&[c(0.0, 0.0), c(0.0, 5.0)], &|p: Coord<f64>| p.y, 10.0);
        assert!(runs.is_empty());
        // a 4 m wide driveway crossing a fence along y = 20
        let drive = [
            c(-2.0, 0.0),
            c(2.0, 0.0),
            c(2.0, 30.0),
            c(-2.0, 30.0),
            c(-2.0, 0.0),
        ];
        let gate = crossings(&[c(-10.0, 20.0), c(10.0, 20.0)], &drive);
        assert_eq!(gate, vec![(c(-2.0, 20.0), c(2.0, 20.0))]);
    }
}
