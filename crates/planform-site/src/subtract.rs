//! A polygon less a union of convex shapes, by hand: the exact buildable
//! envelope's `parcel − ⋃ (bands, round parts)`.
//!
//! Written here rather than taken from `geo`'s `BooleanOps` because the
//! overlays were most of a concave lot's analysis: on the flag lot
//! fixture the two differences took 358 k of 703 k instructions (callgrind,
//! `cargo bench --bench site` for the times); this construction does the
//! same subtraction in a small fraction of that (see BENCHMARKS.md). Its
//! results are checked against `geo`'s overlay on random polygons and
//! shapes (the tests below) and against shapely on the concave lots of
//! `tests/conformance_setbacks.rs`.
//!
//! The construction: every edge of the polygon and of the shapes is split
//! where it crosses an edge of another; a piece is kept where it bounds
//! the result (a polygon piece outside every shape, a shape piece inside
//! the polygon and outside every other shape, tested at its midpoint), the
//! shapes' pieces reversed so that the result lies on the left of every
//! piece; and the kept pieces are chained into rings at their end points.
//! Each crossing is computed once, so the two pieces that meet there share
//! its exact coordinates and the chaining compares them exactly.
//!
//! Whatever it cannot decide cleanly is tried again with the shapes grown
//! by a micrometre or so (never taking less than asked), then returns
//! `None` and the caller takes the overlay: an edge along another's, a crossing at (or within 10⁻⁹ of
//! an edge's length from) an edge's end, a piece's midpoint on another
//! boundary, a point where two kept pieces start, a ring that does not
//! close, a hole outside every ring.

use geo_types::{Coord, LineString, MultiPolygon, Polygon};

/// Above this many edges the pairwise crossings cost more than an
/// overlay's sweep: `None`.
const MAX_EDGES: usize = 2_000;

/// Crossings this close to an edge's end (a fraction of its length) are
/// a vertex on an edge: undecided.
const END_TOL: f64 = 1e-9;

/// Midpoints this close to a boundary (a fraction of the polygon's
/// extent) lie on it: undecided.
const ON_TOL: f64 = 1e-9;

fn cross(u: Coord<f64>, v: Coord<f64>) -> f64 {
    u.x * v.y - u.y * v.x
}

#[derive(Clone, Copy)]
struct Bbox {
    min: Coord<f64>,
    max: Coord<f64>,
}

impl Bbox {
    fn of<'a>(pts: impl IntoIterator<Item = &'a Coord<f64>>) -> Self {
        let mut b = Bbox {
            min: Coord {
                x: f64::INFINITY,
                y: f64::INFINITY,
            },
            max: Coord {
                x: f64::NEG_INFINITY,
                y: f64::NEG_INFINITY,
            },
        };
        for p in pts {
            b.min.x = b.min.x.min(p.x);
            b.min.y = b.min.y.min(p.y);
            b.max.x = b.max.x.max(p.x);
            b.max.y = b.max.y.max(p.y);
        }
        b
    }

    fn meets(&self, o: &Bbox) -> bool {
        self.min.x <= o.max.x
            && o.min.x <= self.max.x
            && self.min.y <= o.max.y
            && o.min.y <= self.max.y
    }

    fn holds(&self, p: Coord<f64>) -> bool {
        self.min.x <= p.x && p.x <= self.max.x && self.min.y <= p.y && p.y <= self.max.y
    }
}

/// One edge, in the direction the result's boundary runs along it.
struct Edge {
    a: Coord<f64>,
    b: Coord<f64>,
    /// 0 for the polygon, k + 1 for shape k.
    owner: usize,
}

/// Undecided: the caller takes the overlay.
#[derive(Debug)]
struct Undecided;

/// Where `e` and `f` cross, as the parameter along each and the point.
fn crossing(e: &Edge, f: &Edge, tol: f64) -> Result<Option<(f64, f64, Coord<f64>)>, Undecided> {
    let (r, s) = (e.b - e.a, f.b - f.a);
    let den = cross(r, s);
    let qp = f.a - e.a;
    let (lr2, ls2) = (r.x * r.x + r.y * r.y, s.x * s.x + s.y * s.y);
    if den * den <= 1e-24 * lr2 * ls2 {
        // parallel: along each other if on one line and overlapping
        let lr = lr2.sqrt();
        let off = cross(qp, r).abs() / lr;
        if off <= tol {
            let along = |p: Coord<f64>| ((p.x - e.a.x) * r.x + (p.y - e.a.y) * r.y) / (lr * lr);
            let (u0, u1) = (along(f.a), along(f.b));
            if u0.max(u1) >= -END_TOL && u0.min(u1) <= 1.0 + END_TOL {
                return Err(Undecided);
            }
        }
        return Ok(None);
    }
    if e.a == f.a || e.a == f.b || e.b == f.a || e.b == f.b {
        // they meet at their common end and nowhere else
        return Ok(None);
    }
    let t = cross(qp, s) / den;
    let u = cross(qp, r) / den;
    let reach = -END_TOL..=1.0 + END_TOL;
    if !reach.contains(&t) || !reach.contains(&u) {
        return Ok(None);
    }
    let clear = END_TOL..=1.0 - END_TOL;
    if !clear.contains(&t) || !clear.contains(&u) {
        return Err(Undecided);
    }
    Ok(Some((
        t,
        u,
        Coord {
            x: e.a.x + r.x * t,
            y: e.a.y + r.y * t,
        },
    )))
}

/// A convex shape: its box and its edges' lines as unit inward normals
/// with offsets (`n · p − c` is the signed distance, positive inside).
struct Shape<'a> {
    ring: &'a [Coord<f64>],
    bbox: Bbox,
    lines: Vec<(Coord<f64>, f64)>,
}

impl<'a> Shape<'a> {
    fn new(ring: &'a [Coord<f64>]) -> Self {
        let n = ring.len();
        let lines = (0..n)
            .filter_map(|i| {
                let (a, b) = (ring[i], ring[(i + 1) % n]);
                let d = b - a;
                let l = (d.x * d.x + d.y * d.y).sqrt();
                (l > 0.0).then(|| {
                    let normal = Coord {
                        x: -d.y / l,
                        y: d.x / l,
                    };
                    (normal, normal.x * a.x + normal.y * a.y)
                })
            })
            .collect();
        Self {
            ring,
            bbox: Bbox::of(ring.iter()),
            lines,
        }
    }

    /// Whether `m` lies inside (`Some(true)`), outside (`Some(false)`),
    /// or within `tol` of the boundary (`None`).
    fn holds(&self, m: Coord<f64>, tol: f64) -> Option<bool> {
        let mut least = f64::INFINITY;
        for (normal, c) in &self.lines {
            let d = normal.x * m.x + normal.y * m.y - c;
            if d < -tol {
                return Some(false);
            }
            least = least.min(d);
        }
        (least > tol).then_some(true).or(if least.abs() <= tol {
            None
        } else {
            Some(false)
        })
    }
}

/// Whether `m` lies inside the polygon's rings (even-odd), `None` when
/// it lies within `tol` of one of their edges.
fn inside(rings: &[Vec<Coord<f64>>], m: Coord<f64>, tol: f64) -> Option<bool> {
    let mut odd = false;
    let tol2 = tol * tol;
    for ring in rings {
        let n = ring.len();
        for i in 0..n {
            let (a, b) = (ring[i], ring[(i + 1) % n]);
            let d = b - a;
            // within tol of the edge (tested only within its box grown by tol)
            if m.x >= a.x.min(b.x) - tol
                && m.x <= a.x.max(b.x) + tol
                && m.y >= a.y.min(b.y) - tol
                && m.y <= a.y.max(b.y) + tol
            {
                let l2 = d.x * d.x + d.y * d.y;
                let t = (((m.x - a.x) * d.x + (m.y - a.y) * d.y) / l2).clamp(0.0, 1.0);
                let (fx, fy) = (a.x + d.x * t - m.x, a.y + d.y * t - m.y);
                if fx * fx + fy * fy <= tol2 {
                    return None;
                }
            }
            if (a.y > m.y) != (b.y > m.y) && m.x < a.x + (m.y - a.y) / (b.y - a.y) * d.x {
                odd = !odd;
            }
        }
    }
    Some(odd)
}

/// How much the shapes grow, about their own centres, on each retry of a
/// case the construction could not decide: a vertex of one shape exactly
/// on another's edge (the corner of one band on the next one's edge,
/// where a side runs straight through a vertex) moves off it by about a
/// micrometre. Each shape grows by its own amount (shapes grown alike keep
/// edges that were in line in line); growing takes a little more, never
/// less, so the result stays inside the exact region.
const GROW: [f64; 2] = [1e-7, 3.1e-7];

/// `polygon − ⋃ shapes`: `polygon` as disjoint counter-clockwise rings
/// (open: no repeated first point), each shape a counter-clockwise convex
/// ring (open). Counter-clockwise exteriors and clockwise holes; `None`
/// where the construction cannot decide (see the module docs), even with
/// the shapes grown by [`GROW`].
pub(crate) fn subtract_convex(
    polygon: &[Vec<Coord<f64>>],
    shapes: &[Vec<Coord<f64>>],
) -> Option<MultiPolygon<f64>> {
    if let Some(done) = subtract_exactly(polygon, shapes) {
        return Some(done);
    }
    GROW.iter().find_map(|g| {
        let grown: Vec<Vec<Coord<f64>>> = shapes
            .iter()
            .enumerate()
            .map(|(k, s)| {
                let n = s.len().max(1) as f64;
                let c = s.iter().fold(Coord::zero(), |a, p| a + *p) / n;
                let by = 1.0 + g * (1.0 + 0.37 * (k % 7) as f64);
                s.iter().map(|p| c + (*p - c) * by).collect()
            })
            .collect();
        subtract_exactly(polygon, &grown)
    })
}

/// [`subtract_convex`] without retries.
fn subtract_exactly(
    polygon: &[Vec<Coord<f64>>],
    shapes: &[Vec<Coord<f64>>],
) -> Option<MultiPolygon<f64>> {
    if polygon.iter().all(|r| r.len() < 3) {
        return Some(MultiPolygon(vec![]));
    }
    let whole = Bbox::of(polygon.iter().flatten());
    let extent = (whole.max.x - whole.min.x)
        .max(whole.max.y - whole.min.y)
        .max(1.0);
    let tol = ON_TOL * extent;
    // the shapes that reach the polygon
    let shapes: Vec<Shape> = shapes
        .iter()
        .filter(|s| s.len() >= 3)
        .map(|s| Shape::new(s))
        .filter(|s| s.bbox.meets(&whole))
        .collect();
    let mut edges: Vec<Edge> = Vec::new();
    // each ring's edges, in order: edges[rings[k].0 .. rings[k].1]
    let mut rings = Vec::new();
    for ring in polygon.iter().filter(|r| r.len() >= 3) {
        let (start, n) = (edges.len(), ring.len());
        edges.extend((0..n).map(|i| Edge {
            a: ring[i],
            b: ring[(i + 1) % n],
            owner: 0,
        }));
        rings.push((start, edges.len()));
    }
    for (k, shape) in shapes.iter().enumerate() {
        let (start, n) = (edges.len(), shape.ring.len());
        let ring = shape.ring;
        // reversed (the result lies outside the shape, on the left), each
        // edge starting where the one before it ends
        edges.extend((0..n).rev().map(|i| Edge {
            a: ring[(i + 1) % n],
            b: ring[i],
            owner: k + 1,
        }));
        rings.push((start, edges.len()));
    }
    if edges.len() > MAX_EDGES {
        return None;
    }
    let found = crossings(&edges, &rings, tol)?;
    let pieces = kept(polygon, &shapes, &edges, &rings, &found, (whole, tol))?;
    chain(&pieces)
}

fn middle(p: Coord<f64>, q: Coord<f64>) -> Coord<f64> {
    Coord {
        x: p.x.midpoint(q.x),
        y: p.y.midpoint(q.y),
    }
}

/// An open ring.
type Ring = Vec<Coord<f64>>;

/// One crossing on an edge: the parameter along it, the point, and what
/// passing it changes.
#[derive(Clone, Copy)]
struct Cut {
    t: f64,
    at: Coord<f64>,
    /// Which boundary is crossed and whether the edge enters what it
    /// bounds.
    step: Step,
}

#[derive(Clone, Copy)]
enum Step {
    /// Into (`true`) or out of the polygon.
    Polygon(bool),
    /// Into (`true`) or out of one of the shapes.
    Shape(bool),
}

impl Step {
    /// What edge `e` does when it crosses `f` (of another owner): the
    /// polygon lies on the left of its edges, a shape on the right of its
    /// (reversed) ones.
    fn of(e: &Edge, f: &Edge) -> Self {
        let left = cross(f.b - f.a, e.b - e.a) > 0.0;
        if f.owner == 0 {
            Step::Polygon(left)
        } else {
            Step::Shape(!left)
        }
    }
}

/// Where the edges of different owners cross.
struct Crossings {
    /// Grouped by edge (in edge order), each edge's in order along it.
    cuts: Vec<Cut>,
    /// `cuts[starts[i]..starts[i + 1]]` are edge i's.
    starts: Vec<usize>,
    /// Where edges of different owners meet at a common end.
    touch: Vec<Coord<f64>>,
}

/// Where the edges of different owners cross: each pair of owners whose
/// boxes meet, each edge of one that meets the other's box against that
/// one's edges. (A sweep along x over all edges cost half as much again
/// on the site fixtures: their owners are few and far between.)
#[inline(never)]
fn crossings(edges: &[Edge], rings: &[(usize, usize)], tol: f64) -> Option<Crossings> {
    let edge_box: Vec<Bbox> = edges.iter().map(|e| Bbox::of([&e.a, &e.b])).collect();
    let ring_box: Vec<Bbox> = rings
        .iter()
        .map(|&(r0, r1)| Bbox::of(edges[r0..r1].iter().map(|e| &e.a)))
        .collect();
    let mut found: Vec<(usize, Cut)> = Vec::new();
    let mut touch = Vec::new();
    for (i, &(i0, i1)) in rings.iter().enumerate() {
        for (j, &(j0, j1)) in rings.iter().enumerate().skip(i + 1) {
            if edges[i0].owner == edges[j0].owner || !ring_box[i].meets(&ring_box[j]) {
                continue;
            }
            for ei in i0..i1 {
                if !edge_box[ei].meets(&ring_box[j]) {
                    continue;
                }
                for fj in j0..j1 {
                    if !edge_box[ei].meets(&edge_box[fj]) {
                        continue;
                    }
                    let (e, f) = (&edges[ei], &edges[fj]);
                    if let Some((t, u, at)) = crossing(e, f, tol).ok()? {
                        let step = Step::of(e, f);
                        found.push((ei, Cut { t, at, step }));
                        let step = Step::of(f, e);
                        found.push((fj, Cut { t: u, at, step }));
                    } else if e.a == f.a || e.a == f.b {
                        // edges that meet at a common end (a round part's
                        // centre at the lot's corner): what is inside what
                        // may change there
                        touch.push(e.a);
                    } else if e.b == f.a || e.b == f.b {
                        touch.push(e.b);
                    }
                }
            }
        }
    }
    // grouped by edge (a counting sort), then each edge's few in order
    let mut starts = vec![0usize; edges.len() + 1];
    for c in &found {
        starts[c.0 + 1] += 1;
    }
    for i in 0..edges.len() {
        starts[i + 1] += starts[i];
    }
    let mut at = starts.clone();
    let mut cuts = vec![
        Cut {
            t: 0.0,
            at: Coord::zero(),
            step: Step::Polygon(false),
        };
        found.len()
    ];
    for (i, c) in found {
        cuts[at[i]] = c;
        at[i] += 1;
    }
    for w in starts.windows(2) {
        cuts[w[0]..w[1]].sort_unstable_by(|x, y| x.t.total_cmp(&y.t));
    }
    touch.sort_unstable_by(|a, b| a.x.total_cmp(&b.x).then(a.y.total_cmp(&b.y)));
    touch.dedup();
    Some(Crossings {
        cuts,
        starts,
        touch,
    })
}

/// The pieces of the edges between their crossings that bound the
/// result, consecutive pieces of one edge joined; `None` where a ring's
/// first piece has its midpoint on a boundary.
///
/// Only each ring's first piece (and that of an edge starting where
/// another owner's edge ends) is placed by testing its midpoint against
/// the shapes and the polygon; past each crossing the boundary is in or
/// out of one more shape (or the polygon) than before, and each edge
/// starts where the one before it ended. In general position, which
/// [`crossing`] ensures (no crossing at or near an edge's end, so no
/// vertex on another boundary; no edges along each other), that is the
/// same answer as testing every piece, at a fraction of the cost; a ring
/// that does not come back to the state it started in is undecided.
#[inline(never)]
fn kept(
    polygon: &[Vec<Coord<f64>>],
    shapes: &[Shape],
    edges: &[Edge],
    rings: &[(usize, usize)],
    found: &Crossings,
    (whole, tol): (Bbox, f64),
) -> Option<Vec<(Coord<f64>, Coord<f64>)>> {
    let cuts_of = |i: usize| &found.cuts[found.starts[i]..found.starts[i + 1]];
    // where edge i's first piece lies: in how many other shapes, and
    // whether in the polygon
    let place = |i: usize| -> Option<(usize, bool)> {
        let e = &edges[i];
        let m = middle(e.a, cuts_of(i).first().map_or(e.b, |c| c.at));
        let mut within = 0usize;
        for (k, shape) in shapes.iter().enumerate() {
            if k + 1 != e.owner && shape.bbox.holds(m) && shape.holds(m, tol)? {
                within += 1;
            }
        }
        let in_polygon = e.owner == 0 || (whole.holds(m) && inside(polygon, m, tol)?);
        Some((within, in_polygon))
    };
    let mut pieces = Vec::new();
    for &(r0, r1) in rings {
        let start = place(r0)?;
        let (mut within, mut in_polygon) = start;
        let mut open: Option<(Coord<f64>, Coord<f64>)> = None;
        for (i, e) in edges.iter().enumerate().take(r1).skip(r0) {
            if i > r0 && found.touch.contains(&e.a) {
                (within, in_polygon) = place(i)?;
            }
            let cuts = cuts_of(i);
            let mut from = e.a;
            for j in 0..=cuts.len() {
                let q = cuts.get(j).map_or(e.b, |c| c.at);
                let p = std::mem::replace(&mut from, q);
                if p != q {
                    match (&mut open, within == 0 && in_polygon) {
                        (Some((_, end)), true) if *end == p => *end = q,
                        (_, true) => pieces.extend(open.replace((p, q))),
                        (_, false) => pieces.extend(open.take()),
                    }
                }
                match cuts.get(j).map(|c| c.step) {
                    Some(Step::Polygon(into)) => in_polygon = into,
                    Some(Step::Shape(true)) => within += 1,
                    // a count gone wrong shows here or at the ring's end
                    Some(Step::Shape(false)) => within = within.checked_sub(1)?,
                    None => {}
                }
            }
            pieces.extend(open.take());
        }
        if (within, in_polygon) != start && !found.touch.contains(&edges[r0].a) {
            return None;
        }
    }
    Some(pieces)
}

/// The kept pieces chained into rings at their exact end points.
#[inline(never)]
fn chain(pieces: &[(Coord<f64>, Coord<f64>)]) -> Option<MultiPolygon<f64>> {
    let key = |c: Coord<f64>| (c.x.to_bits(), c.y.to_bits());
    // the pieces by their start, to find each one's successor
    let mut starts: Vec<((u64, u64), usize)> = pieces
        .iter()
        .enumerate()
        .map(|(i, (p, _))| (key(*p), i))
        .collect();
    starts.sort_unstable();
    if starts.windows(2).any(|w| w[0].0 == w[1].0) {
        return None;
    }
    let after = |end: Coord<f64>| {
        starts
            .binary_search_by(|(k, _)| k.cmp(&key(end)))
            .ok()
            .map(|i| starts[i].1)
    };
    let mut used = vec![false; pieces.len()];
    let (mut outers, mut holes): (Vec<Ring>, Vec<Ring>) = (Vec::new(), Vec::new());
    for first in 0..pieces.len() {
        if used[first] {
            continue;
        }
        let mut ring = Vec::new();
        let mut at = first;
        loop {
            used[at] = true;
            ring.push(pieces[at].0);
            let next = after(pieces[at].1)?;
            if next == first {
                break;
            }
            if used[next] {
                return None;
            }
            at = next;
        }
        if ring.len() < 3 {
            return None;
        }
        let twice: f64 = (0..ring.len())
            .map(|i| cross(ring[i], ring[(i + 1) % ring.len()]))
            .sum();
        if twice > 0.0 {
            outers.push(ring);
        } else {
            holes.push(ring);
        }
    }
    let mut polygons: Vec<(Ring, Vec<LineString<f64>>)> =
        outers.into_iter().map(|r| (r, Vec::new())).collect();
    for hole in holes {
        let owner = polygons.iter().position(|(outer, _)| {
            inside(std::slice::from_ref(outer), hole[0], 0.0) == Some(true)
        })?;
        let mut hole = hole;
        hole.push(hole[0]);
        polygons[owner].1.push(LineString::from(hole));
    }
    Some(MultiPolygon(
        polygons
            .into_iter()
            .map(|(mut outer, holes)| {
                outer.push(outer[0]);
                Polygon::new(LineString::from(outer), holes)
            })
            .collect(),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo::Area;
    use geo::algorithm::bool_ops::{BooleanOps, FillRule, OpType};

    /// A small deterministic generator (xorshift), so the cases repeat.
    struct Rng(u64);

    impl Rng {
        fn next(&mut self) -> f64 {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            (self.0 >> 11) as f64 / (1u64 << 53) as f64
        }
    }

    fn c(x: f64, y: f64) -> Coord<f64> {
        Coord { x, y }
    }

    /// A star-shaped polygon around (50, 50): concave, simple, ccw.
    fn star(rng: &mut Rng, n: usize) -> Vec<Coord<f64>> {
        (0..n)
            .map(|i| {
                let a = std::f64::consts::TAU * (i as f64 + 0.3 * rng.next()) / n as f64;
                let r = 15.0 + 35.0 * rng.next();
                c(50.0 + r * a.cos(), 50.0 + r * a.sin())
            })
            .collect()
    }

    /// A convex shape: a rotated rectangle or a regular polygon.
    fn convex(rng: &mut Rng) -> Vec<Coord<f64>> {
        let (cx, cy) = (100.0 * rng.next(), 100.0 * rng.next());
        let turn = std::f64::consts::TAU * rng.next();
        if rng.next() < 0.5 {
            let (w, h) = (2.0 + 30.0 * rng.next(), 1.0 + 8.0 * rng.next());
            let (s, co) = turn.sin_cos();
            [(-w, -h), (w, -h), (w, h), (-w, h)]
                .into_iter()
                .map(|(x, y)| c(cx + x * co - y * s, cy + x * s + y * co))
                .collect()
        } else {
            let n = 3 + (rng.next() * 20.0) as usize;
            let r = 2.0 + 12.0 * rng.next();
            (0..n)
                .map(|i| {
                    let a = turn + std::f64::consts::TAU * i as f64 / n as f64;
                    c(cx + r * a.cos(), cy + r * a.sin())
                })
                .collect()
        }
    }

    fn poly(ring: &[Coord<f64>]) -> Polygon<f64> {
        let mut r = ring.to_vec();
        r.push(r[0]);
        Polygon::new(LineString::from(r), vec![])
    }

    #[test]
    fn agrees_with_the_overlay_on_random_polygons_and_shapes() {
        let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
        let (mut decided, mut cases) = (0, 0);
        for case in 0..400 {
            let polygon = star(&mut rng, 5 + case % 20);
            let shapes: Vec<Vec<Coord<f64>>> = (0..=case % 12).map(|_| convex(&mut rng)).collect();
            cases += 1;
            let Some(ours) = subtract_convex(std::slice::from_ref(&polygon), &shapes) else {
                continue;
            };
            decided += 1;
            let theirs = MultiPolygon(vec![poly(&polygon)]).boolean_op_with_fill_rule(
                &MultiPolygon(shapes.iter().map(|s| poly(s)).collect()),
                OpType::Difference,
                FillRule::NonZero,
            );
            // the same region: equal areas, and nothing of either outside the other
            let (a, b) = (ours.unsigned_area(), theirs.unsigned_area());
            let apart =
                ours.difference(&theirs).unsigned_area() + theirs.difference(&ours).unsigned_area();
            assert!((a - b).abs() < 1e-6 * b.max(1.0), "case {case}: {a} vs {b}");
            assert!(apart < 1e-6 * b.max(1.0), "case {case}: {apart} apart");
            // oriented as documented
            for p in &ours.0 {
                assert!(
                    p.exterior()
                        .0
                        .windows(2)
                        .map(|w| cross(w[0], w[1]))
                        .sum::<f64>()
                        > 0.0
                );
            }
        }
        // general position: every random case is decided
        assert_eq!(decided, cases);
    }

    #[test]
    fn agrees_with_the_overlay_on_polygons_of_several_rings() {
        let mut rng = Rng(0x2545_f491_4f6c_dd1d);
        for case in 0..200 {
            // two stars side by side (a lot cut in two by a half-plane),
            // shapes over both
            let a = star(&mut rng, 5 + case % 15);
            let b: Vec<Coord<f64>> = star(&mut rng, 4 + case % 9)
                .into_iter()
                .map(|p| c(p.x + 105.0, p.y))
                .collect();
            let shapes: Vec<Vec<Coord<f64>>> = (0..=case % 10)
                .map(|_| {
                    let dx = if rng.next() < 0.5 { 0.0 } else { 105.0 };
                    convex(&mut rng)
                        .into_iter()
                        .map(|p| c(p.x + dx, p.y))
                        .collect()
                })
                .collect();
            let ours = subtract_convex(&[a.clone(), b.clone()], &shapes)
                .unwrap_or_else(|| panic!("case {case}: undecided in general position"));
            let theirs = MultiPolygon(vec![poly(&a), poly(&b)]).boolean_op_with_fill_rule(
                &MultiPolygon(shapes.iter().map(|s| poly(s)).collect()),
                OpType::Difference,
                FillRule::NonZero,
            );
            let apart =
                ours.difference(&theirs).unsigned_area() + theirs.difference(&ours).unsigned_area();
            let area = theirs.unsigned_area().max(1.0);
            assert!(
                (ours.unsigned_area() - theirs.unsigned_area()).abs() < 1e-6 * area,
                "case {case}"
            );
            assert!(apart < 1e-6 * area, "case {case}: {apart} apart");
        }
    }

    #[test]
    fn hostile_polygons_never_panic() {
        // self-crossing rings, repeated and non-finite points, degenerate
        // shapes: an answer or `None`, never a panic or a hang
        let mut rng = Rng(0x0bad_cafe_f00d_1234);
        for case in 0..2000 {
            let mut pick = || {
                let v = rng.next();
                match case % 7 {
                    0 if v < 0.05 => f64::NAN,
                    1 if v < 0.05 => f64::INFINITY,
                    2 => (v * 4.0).round() * 25.0,
                    _ => v * 100.0,
                }
            };
            let n = 3 + case % 9;
            let polygon: Vec<Coord<f64>> = (0..n).map(|_| c(pick(), pick())).collect();
            let shapes: Vec<Vec<Coord<f64>>> = (0..case % 6)
                .map(|_| (0..3 + case % 4).map(|_| c(pick(), pick())).collect())
                .collect();
            let _ = subtract_convex(&[polygon.clone(), polygon.clone()], &shapes);
            let _ = subtract_convex(std::slice::from_ref(&polygon), &shapes);
        }
    }

    #[test]
    fn a_shape_inside_leaves_a_hole_and_one_outside_nothing() {
        let square = vec![c(0.0, 0.0), c(10.0, 0.0), c(10.0, 10.0), c(0.0, 10.0)];
        let inner = vec![c(4.0, 4.0), c(6.0, 4.0), c(6.0, 6.0), c(4.0, 6.0)];
        let far = vec![c(20.0, 20.0), c(21.0, 20.0), c(21.0, 21.0)];
        let r = subtract_convex(std::slice::from_ref(&square), &[inner, far]).expect("decided");
        assert_eq!(r.0.len(), 1);
        assert_eq!(r.0[0].interiors().len(), 1);
        assert!((r.unsigned_area() - 96.0).abs() < 1e-12);
    }

    #[test]
    fn a_band_across_splits_the_polygon_in_two() {
        let square = vec![c(0.0, 0.0), c(10.0, 0.0), c(10.0, 10.0), c(0.0, 10.0)];
        let band = vec![c(-1.0, 4.0), c(11.0, 4.0), c(11.0, 6.0), c(-1.0, 6.0)];
        let r = subtract_convex(std::slice::from_ref(&square), &[band]).expect("decided");
        assert_eq!(r.0.len(), 2);
        assert!((r.unsigned_area() - 80.0).abs() < 1e-12);
        let everything = vec![c(-1.0, -1.0), c(11.0, -1.0), c(11.0, 11.0), c(-1.0, 11.0)];
        let none = subtract_convex(std::slice::from_ref(&square), &[everything]).expect("decided");
        assert!(none.0.is_empty());
    }

    #[test]
    fn degenerate_cases_are_decided_by_growing_the_shapes_a_little() {
        let square = vec![c(0.0, 0.0), c(10.0, 0.0), c(10.0, 10.0), c(0.0, 10.0)];
        // a shape's edge along the square's (the strip 2 < x < 8, y < 3
        // taken), and a corner of the square on a shape's edge (the
        // triangle's half of the square taken)
        let along = vec![c(2.0, 0.0), c(8.0, 0.0), c(8.0, 3.0), c(2.0, 3.0)];
        let through = vec![c(5.0, -5.0), c(15.0, 5.0), c(5.0, 15.0)];
        for (shape, left) in [(along, 100.0 - 18.0), (through, 100.0 - 50.0)] {
            let shapes = std::slice::from_ref(&shape);
            assert!(subtract_exactly(std::slice::from_ref(&square), shapes).is_none());
            let r = subtract_convex(std::slice::from_ref(&square), shapes).expect("decided");
            let theirs =
                MultiPolygon(vec![poly(&square)]).difference(&MultiPolygon(vec![poly(&shape)]));
            // never more than the exact region, and within the growth
            assert!(r.unsigned_area() <= theirs.unsigned_area() + 1e-12);
            assert!(
                (r.unsigned_area() - left).abs() < 1e-4,
                "{}",
                r.unsigned_area()
            );
            assert!(r.difference(&theirs).unsigned_area() < 1e-9);
        }
    }
}
