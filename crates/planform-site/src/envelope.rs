//! The buildable envelope: the parcel less everything within each side's
//! required setback of that side, and whether the primary building fits.
//!
//! The exact region is `parcel − ⋃ buffer(side, setback)` (round caps and
//! joins: the points nearer a side than its setback), pieces kept and
//! slivers under 0.01 m² dropped. The buffers are built as convex pieces:
//! a band along each segment (half-planes where a side spans the lot) and
//! only those round parts at the corners that the bands leave uncovered
//! inside the lot (see [`taken`]; the joins inside a curved side are
//! corners too), subtracted by [`crate::subtract`] (by hand: a fraction of
//! an overlay's cost) or, where that cannot decide a degenerate case, by
//! `geo`'s `BooleanOps`; round parts circumscribe their arcs, so the
//! envelope is never larger than the exact one. Half-plane
//! clipping, which this module used before, is right only on convex lots;
//! on a flag lot it left a 40.6 m² strip of an exact 716.9 m².
//!
//! Convex lots whose sides are straight take a fast path that gives the
//! same region: the parcel clipped by each side's inward half-plane. For a
//! point inside a convex polygon the distance to a side's line is the
//! distance to the side itself wherever the foot of the perpendicular lies
//! on the side, which holds near every corner of at most 90°; at a corner
//! between two sides with equal setbacks the two constructions agree
//! whatever its angle. So the fast path is taken when every corner joining
//! sides of unequal setback is at most 91° (the 1° allows for surveyed
//! rectangles; it can leave out at most ½·d²·tan 1°, 0.5 m² for a 25 ft
//! setback, per such corner). Anything else takes the exact path.
//!
//! Sides whose role is undecided are held to the strictest minimum given.

use geo::algorithm::bool_ops::{BooleanOps, FillRule, OpType};
use geo::{Area, Contains, Distance, Euclidean, Orient, orient::Direction};
use geo_types::{Coord, LineString, MultiPolygon, Point, Polygon};
use planform_model::units::FT_TO_M;

use crate::geom::{is_ccw, seg_dist, split_half_plane};
use crate::parcel::ParcelAnalysis;
use crate::setbacks::Minimums;
use crate::setbacks::distance_to_side;

/// Pieces smaller than this (m²) are dropped from the envelope.
pub const SLIVER_M2: f64 = 0.01;

/// The buildable envelope of an analysed parcel, in its local metric frame.
#[derive(Debug, Clone, PartialEq)]
pub struct Envelope {
    /// The region: counter-clockwise exteriors, clockwise holes; empty when
    /// the setbacks leave nothing.
    pub region: MultiPolygon<f64>,
    /// Whether the exact (boolean) construction was needed, rather than
    /// the convex fast path.
    pub exact: bool,
    /// Whether the primary building's footprint lies in the envelope
    /// (`None` without a building).
    pub footprint_fits: Option<bool>,
}

impl Envelope {
    /// The area, square metres.
    pub fn area(&self) -> f64 {
        self.region.unsigned_area()
    }

    /// Whether a footprint ring (closed or not) lies inside the envelope.
    pub fn fits(&self, footprint: &[Coord<f64>]) -> bool {
        if footprint.len() < 3 || self.region.0.is_empty() {
            return false;
        }
        let ring = LineString::from(footprint.to_vec());
        self.region.contains(&Polygon::new(ring, vec![]))
    }
}

/// The setback each side must keep, metres: its role's minimum; the
/// strictest minimum for an undecided role; 0 without one.
pub fn required_m(a: &ParcelAnalysis, minimums: &Minimums) -> Vec<f64> {
    a.roles
        .iter()
        .map(|r| {
            minimums
                .required_for(&r.role)
                .filter(|f| f.is_finite() && *f > 0.0)
                .map_or(0.0, |f| f * FT_TO_M)
        })
        .collect()
}

/// The envelope of an analysed parcel under `minimums` (feet).
pub fn envelope(a: &ParcelAnalysis, minimums: &Minimums) -> Envelope {
    let required = required_m(a, minimums);
    let ring = crate::sides::ring(&a.sides);
    if ring.len() < 3 {
        return Envelope {
            region: MultiPolygon(vec![]),
            exact: false,
            footprint_fits: a.footprint.as_ref().map(|_| false),
        };
    }
    let clear = a
        .footprint
        .as_deref()
        .map(|f| footprint_clear(a, &required, &ring, f));
    let (region, exact) = match convex_fast_path(a, &required, &ring) {
        Some(r) => (r, false),
        None => (exact_region(a, &required, ring), true),
    };
    let mut env = Envelope {
        region: drop_slivers(region),
        exact,
        footprint_fits: None,
    };
    env.footprint_fits = match (clear, a.footprint.as_deref()) {
        (Some(Some(fits)), _) => Some(fits),
        (_, Some(f)) => Some(env.fits(f)),
        _ => None,
    };
    env
}

/// Whether a footprint lies in the exact envelope, from distances: inside
/// the parcel and at least each side's setback from it (what the setback
/// report checks side by side). `None` when some side has no setback (a
/// footprint could then cross it at distance 0): the region decides.
/// Cheaper than `Contains` on the region (geo's relate), a tenth of a
/// concave lot's analysis.
fn footprint_clear(
    a: &ParcelAnalysis,
    required: &[f64],
    ring: &[Coord<f64>],
    footprint: &[Coord<f64>],
) -> Option<bool> {
    if footprint.len() < 3 || required.iter().any(|d| *d <= 0.0) {
        return None;
    }
    let clear = a
        .sides
        .iter()
        .zip(required)
        .all(|(s, d)| distance_to_side(footprint, s) >= *d);
    // clear of every side by a positive distance, the footprint is wholly
    // inside the parcel or wholly outside it
    Some(clear && crate::geom::polygon(ring).contains(&footprint[0]))
}

/// Whether the part of segment `seg` outside the local wedge at corner `v`
/// (between the incoming edge direction `ein` and the outgoing `eout` of
/// a counter-clockwise ring: the left of both lines at a convex corner, of
/// either at a reflex one) comes within `r` of `v`.
fn beyond_wedge(
    v: Coord<f64>,
    ein: Coord<f64>,
    eout: Coord<f64>,
    seg: (Coord<f64>, Coord<f64>),
    r: f64,
) -> bool {
    // the part of p–q where f < 0, for an affine f along it
    let clip = |(p, q): (Coord<f64>, Coord<f64>), f: &dyn Fn(Coord<f64>) -> f64| {
        let (fp, fq) = (f(p), f(q));
        match (fp < 0.0, fq < 0.0) {
            (true, true) => Some((p, q)),
            (false, false) => None,
            _ => {
                let t = fp / (fp - fq);
                let c = Coord {
                    x: p.x + (q.x - p.x) * t,
                    y: p.y + (q.y - p.y) * t,
                };
                Some(if fp < 0.0 { (p, c) } else { (c, q) })
            }
        }
    };
    let left_of = |e: Coord<f64>| move |c: Coord<f64>| e.x * (c.y - v.y) - e.y * (c.x - v.x);
    let (fin, fout) = (left_of(ein), left_of(eout));
    let near =
        |part: Option<(Coord<f64>, Coord<f64>)>| part.is_some_and(|(a, b)| seg_dist(v, a, b) < r);
    if ein.x * eout.y - ein.y * eout.x >= 0.0 {
        // convex: outside is right of either line
        near(clip(seg, &fin)) || near(clip(seg, &fout))
    } else {
        // reflex: outside is right of both
        near(clip(seg, &fin).and_then(|part| clip(part, &fout)))
    }
}

/// A round part at a corner: its convex pieces, and the corner and the
/// radius they lie within.
struct Round {
    centre: Coord<f64>,
    reach: f64,
    parts: Vec<Polygon<f64>>,
}

/// How far the pieces of a sector wider than a right angle overlap,
/// radians: pieces that only touched along a radius would put two edges
/// along each other, which the subtraction leaves to the overlay.
const PART_OVERLAP: f64 = 0.005;

impl Round {
    /// The sector of radius `r` around `centre` from `from` radians
    /// counter-clockwise through `span` (a disc for a full turn), in
    /// convex pieces of at most a third of a turn (a disc whole).
    fn new(centre: Coord<f64>, r: f64, from: f64, span: f64) -> Self {
        use std::f64::consts::TAU;
        let parts = if span >= TAU - 1e-12 {
            vec![sector(centre, 0.0, TAU, r)]
        } else {
            let k = (span / (TAU / 3.0)).ceil().max(1.0);
            let step = span / k;
            (0..k as usize)
                .map(|j| {
                    let lo = if j == 0 { 0.0 } else { PART_OVERLAP };
                    let hi = if j + 1 == k as usize {
                        0.0
                    } else {
                        PART_OVERLAP
                    };
                    let start = from + j as f64 * step - lo;
                    sector(centre, start, step + lo + hi, r)
                })
                .collect()
        };
        // circumscribed: its vertices lie out to r / cos(half a step)
        Self {
            centre,
            reach: r / (ROUND_STEP / 2.0).cos() + 1e-9,
            parts,
        }
    }
}

/// How far each sector reaches past the edges it must cover, radians:
/// every point within `r` of a vertex lies within `r` of the sides that
/// meet there, so a wider sector takes nothing it should not, and its
/// straight edges then cross the bands instead of lying along their ends
/// (a collinear overlap is the overlay's degenerate case).
const SPREAD: f64 = 0.02;

/// How far each band runs past its segment's start and end, metres: a
/// band's end through the parcel's own vertex is a degenerate crossing,
/// and so is one band's corner on the next one's end, which equal
/// overruns give at every right-angled corner of a surveyed lot (a fifth
/// of Cambridge's lots then went to the overlay); unequal ones do not. At
/// most 1.3 mm beyond a segment, a band takes at most 1.3 mm × the
/// setback more than the exact region.
const OVERRUN: (f64, f64) = (0.0007, 0.0013);

/// Angular step of the round parts, radians (π/32: 5.6°).
const ROUND_STEP: f64 = std::f64::consts::PI / 32.0;

fn at(c: Coord<f64>, angle: f64, r: f64) -> Coord<f64> {
    let (s, co) = angle.sin_cos();
    Coord {
        x: c.x + r * co,
        y: c.y + r * s,
    }
}

/// The circular sector of radius `r` around `c` from `from` radians
/// counter-clockwise through `span`, as a counter-clockwise polygon that
/// circumscribes it (tangent lines, never inside the circle: the envelope
/// is never larger than the exact one, by at most `r·(1/cos(π/64) − 1)`,
/// 1.2‰ of the setback, along the round parts only). A full turn is a
/// disc.
fn sector(c: Coord<f64>, from: f64, span: f64, r: f64) -> Polygon<f64> {
    let steps = (span / ROUND_STEP).ceil().max(1.0);
    let step = span / steps;
    let outer = r / (step / 2.0).cos();
    let full = span >= std::f64::consts::TAU - 1e-12;
    let mut ring = Vec::with_capacity(steps as usize + 4);
    if !full {
        ring.push(c);
        ring.push(at(c, from, r));
    }
    for k in 0..steps as usize {
        ring.push(at(c, from + (k as f64 + 0.5) * step, outer));
    }
    if !full {
        ring.push(at(c, from + span, r));
    }
    ring.push(ring[0]);
    Polygon::new(LineString::from(ring), vec![])
}

/// The bands of [`taken`]: one rectangle per segment (a curved side's
/// segments each have theirs, and the round joins between them are added
/// as corners), except where the segment's side spans the lot.
fn bands(ring: &[Coord<f64>], d: &[f64], spans: &[bool]) -> Vec<Polygon<f64>> {
    let n = d.len();
    let mut bands = Vec::with_capacity(n);
    for i in 0..n {
        let (a, b) = (ring[i], ring[i + 1]);
        let (dx, dy) = (b.x - a.x, b.y - a.y);
        let len = dx.hypot(dy);
        if d[i] <= 0.0 || len == 0.0 || spans[i] {
            continue;
        }
        // the left normal, d long, and the unit direction
        let (nx, ny) = (-dy / len * d[i], dx / len * d[i]);
        let (ex, ey) = (dx / len, dy / len);
        let c = |p: Coord<f64>, s: f64, e: f64| Coord {
            x: p.x + s * nx + e * ex,
            y: p.y + s * ny + e * ey,
        };
        let (before, after) = (-OVERRUN.0, OVERRUN.1);
        bands.push(Polygon::new(
            LineString::from(vec![
                c(a, -1.0, before),
                c(b, -1.0, after),
                c(b, 1.0, after),
                c(a, 1.0, before),
                c(a, -1.0, before),
            ]),
            vec![],
        ));
    }
    bands
}

/// What must be taken from a counter-clockwise ring (closed, each segment
/// `i` from `ring[i]` to `ring[i + 1]` with setback `d[i]`): the points
/// nearer a segment than its setback are the segment's band (the
/// rectangle 2·d wide along it) and the discs of radius d around its two
/// ends; a disc at a vertex is needed only where the bands leave part of
/// it uncovered inside the parcel. So each vertex adds, with `r` the
/// larger setback of its two segments:
/// - nothing at a convex corner of at most 90°, or of equal setbacks (the
///   bands cover its wedge);
/// - the sector of its interior wedge at a convex corner over 90° with
///   unequal setbacks, or at a reflex one with unequal setbacks;
/// - the sector between the two segments' inward normals at a reflex
///   corner of equal setbacks (a round join);
/// - the whole disc where another side passes within `r` (a thin or
///   folded parcel, where the disc reaches parcel beyond the wedge).
///
/// Every shape lies within the exact region to take, so the union is the
/// exact region (up to the circumscribed round parts).
///
/// Written here rather than taken from `geo`'s `Buffer` for straight
/// sides: stroking every side with round caps and joins and unioning the
/// strips took most of the exact path (the flag lot's envelope 120 µs),
/// much of it on round caps this construction proves unnecessary. Curved
/// sides are still stroked by `geo` (see [`bands`]).
fn taken(
    ring: &[Coord<f64>],
    d: &[f64],
    side: &[usize],
    spans: &[bool],
) -> (Vec<Polygon<f64>>, Vec<Round>) {
    use std::f64::consts::{FRAC_PI_2, PI, TAU};
    let n = d.len();
    let bands = bands(ring, d, spans);
    let mut out = Vec::new();
    for k in 0..n {
        let prev = (k + n - 1) % n;
        let r = d[prev].max(d[k]);
        if r <= 0.0 {
            continue;
        }
        let (u, v, w) = (ring[prev], ring[k], ring[k + 1]);
        let (ein, eout) = (
            Coord {
                x: v.x - u.x,
                y: v.y - u.y,
            },
            Coord {
                x: w.x - v.x,
                y: w.y - v.y,
            },
        );
        // another side within reach outside the wedge: the disc may cover
        // parcel there (a thin or folded lot). The segments of the sides
        // meeting here are the wedge's own; at a join inside a curved side
        // so are the sides at its two ends (the lot turns away from the
        // side there, it does not fold back behind it). A side inside the
        // wedge (the far side of a flag lot's pole) is the wedge's parcel.
        let n_sides = side.iter().max().map_or(0, |m| m + 1);
        let near = |j: usize| {
            let (a, b) = (side[j], side[k]);
            a == b
                || a == side[prev]
                || (side[prev] == side[k] && ((a + 1) % n_sides == b || (b + 1) % n_sides == a))
        };
        let folded = (0..n)
            .filter(|j| !near(*j))
            .any(|j| beyond_wedge(v, ein, eout, (ring[j], ring[j + 1]), r));
        if folded || ein == Coord::zero() || eout == Coord::zero() {
            out.push(Round::new(v, r, 0.0, TAU));
            continue;
        }
        let turn = (ein.x * eout.y - ein.y * eout.x).atan2(ein.x * eout.x + ein.y * eout.y);
        let interior = PI - turn;
        let along = eout.y.atan2(eout.x);
        let equal = d[prev] == d[k];
        if equal && turn < 0.0 {
            // reflex, a round join between the inward normals
            out.push(Round::new(
                v,
                r,
                along + FRAC_PI_2 - SPREAD,
                -turn + 2.0 * SPREAD,
            ));
        } else if !equal && interior > FRAC_PI_2 {
            // the larger setback's band covers the quarter of the disc
            // next to its side (when its segment is at least r long): the
            // sector runs from that side's inward normal to the other side
            let beyond = interior - FRAC_PI_2 + 2.0 * SPREAD;
            let (from, span) = if d[k] > d[prev] && eout.x.hypot(eout.y) >= r {
                (along + FRAC_PI_2 - SPREAD, beyond)
            } else if d[prev] > d[k] && ein.x.hypot(ein.y) >= r {
                (along - SPREAD, beyond)
            } else {
                (along - SPREAD, interior + 2.0 * SPREAD)
            };
            out.push(Round::new(v, r, from, span));
        }
    }
    (bands, out)
}

/// Whether segment `i` of a counter-clockwise closed ring spans the lot:
/// every vertex on its inner side and within its length, so that every
/// point of the lot is nearest the segment's line at a point of the
/// segment, and its band is the half-plane `distance < d` there.
fn spans_lot(ring: &[Coord<f64>], i: usize) -> bool {
    let (a, b) = (ring[i], ring[i + 1]);
    let (dx, dy) = (b.x - a.x, b.y - a.y);
    let len = dx.hypot(dy);
    if len == 0.0 {
        return false;
    }
    let (ux, uy) = (dx / len, dy / len);
    let eps = 1e-9 * len.max(1.0);
    ring.iter().all(|c| {
        let (wx, wy) = (c.x - a.x, c.y - a.y);
        let along = wx * ux + wy * uy;
        let across = wx * -uy + wy * ux;
        across >= -eps && along >= -eps && along <= len + eps
    })
}

/// `parcel − taken`, by `geo`'s boolean differences.
fn exact_region(a: &ParcelAnalysis, required: &[f64], ring: Vec<Coord<f64>>) -> MultiPolygon<f64> {
    // each segment with its side's setback and index, counter-clockwise
    let (mut d, mut side): (Vec<f64>, Vec<usize>) = a
        .sides
        .iter()
        .zip(required)
        .enumerate()
        .flat_map(|(i, (s, r))| std::iter::repeat_n((*r, i), s.points.len() - 1))
        .unzip();
    let mut ring = ring;
    if !is_ccw(&ring) {
        // segment i of the reversed ring (from ring[n-1-i] to ring[n-2-i])
        // is segment n-2-i of the ring
        ring.reverse();
        d.reverse();
        d.rotate_left(1);
        side.reverse();
        side.rotate_left(1);
    }
    ring.push(ring[0]);
    let n = d.len();
    let one_segment = |i: usize| side[i] != side[(i + 1) % n] && side[i] != side[(i + n - 1) % n];
    let spans: Vec<bool> = (0..n)
        .map(|i| d[i] > 0.0 && one_segment(i) && spans_lot(&ring, i))
        .collect();
    let (bands, rounds) = taken(&ring, &d, &side, &spans);
    // the spanning sides' bands are half-planes on this lot: clipped first,
    // by hand (exact, and a fraction of an overlay's cost)
    let mut pieces = vec![ring[..n].to_vec()];
    for i in (0..n).filter(|i| spans[*i]) {
        let (a, b) = (ring[i], ring[i + 1]);
        let len = (b.x - a.x).hypot(b.y - a.y);
        let (nx, ny) = (-(b.y - a.y) / len, (b.x - a.x) / len);
        let keep = |c: Coord<f64>| (c.x - a.x) * nx + (c.y - a.y) * ny - d[i];
        pieces = pieces
            .iter()
            .flat_map(|p| split_half_plane(p, &keep))
            .collect();
    }
    // then the bands and round parts: by hand where that decides (see
    // `subtract`), else by the overlay
    let open = |p: &Polygon<f64>| {
        let r = &p.exterior().0;
        r[..r.len() - 1].to_vec()
    };
    let shapes: Vec<Vec<Coord<f64>>> = bands
        .iter()
        .chain(rounds.iter().flat_map(|r| &r.parts))
        .map(open)
        .collect();
    if let Some(region) = crate::subtract::subtract_convex(&pieces, &shapes) {
        return region;
    }
    let clipped = MultiPolygon(
        pieces
            .into_iter()
            .map(|r| Polygon::new(LineString::from(r), vec![]))
            .collect(),
    );
    // then the other bands, in one difference (non-zero: overlapping bands
    // count once); then each round part that still meets what is left
    // (most lie within the bands already)
    let mut region = if bands.is_empty() {
        clipped
    } else {
        clipped.boolean_op_with_fill_rule(
            &MultiPolygon(bands),
            OpType::Difference,
            FillRule::NonZero,
        )
    };
    // the rounds that come within reach of what the bands left (a
    // point-to-polygon distance; an intersection test costs ten times as
    // much and the difference takes a round that only comes near anyway)
    let meeting: Vec<Polygon<f64>> = rounds
        .into_iter()
        .filter(|round| Euclidean.distance(&Point::from(round.centre), &region) < round.reach)
        .flat_map(|round| round.parts)
        .collect();
    if !meeting.is_empty() {
        region = region.boolean_op_with_fill_rule(
            &MultiPolygon(meeting),
            OpType::Difference,
            FillRule::NonZero,
        );
    }
    region
}

/// Pieces of at least [`SLIVER_M2`], oriented.
fn drop_slivers(m: MultiPolygon<f64>) -> MultiPolygon<f64> {
    MultiPolygon(
        m.0.into_iter()
            .filter(|p| p.unsigned_area() >= SLIVER_M2)
            .collect(),
    )
    .orient(Direction::Default)
}

/// The envelope by half-plane clipping, when that is exact (see the module
/// docs): every side straight, the lot convex, every corner between sides
/// of unequal setback at most 91°. `None` otherwise.
fn convex_fast_path(
    a: &ParcelAnalysis,
    required: &[f64],
    ring: &[Coord<f64>],
) -> Option<MultiPolygon<f64>> {
    if a.sides.iter().any(|s| s.points.len() != 2) || a.sides.len() < 3 {
        return None;
    }
    // sides run in the ring's own direction, whichever it is
    let sign = if is_ccw(ring) { 1.0 } else { -1.0 };
    let n = a.sides.len();
    let max_cos = -(1f64.to_radians().sin()); // cos(91°)
    for i in 0..n {
        let (s, t) = (&a.sides[i], &a.sides[(i + 1) % n]);
        let (p, v, q) = (s.points[0], s.points[1], t.points[1]);
        let (u, w) = (
            Coord {
                x: p.x - v.x,
                y: p.y - v.y,
            },
            Coord {
                x: q.x - v.x,
                y: q.y - v.y,
            },
        );
        // convex: every turn the ring's way
        let turn = (v.x - p.x) * (q.y - v.y) - (v.y - p.y) * (q.x - v.x);
        if turn * sign < 0.0 {
            return None;
        }
        let (lu, lw) = (u.x.hypot(u.y), w.x.hypot(w.y));
        if lu == 0.0 || lw == 0.0 {
            return None;
        }
        let cos = (u.x * w.x + u.y * w.y) / (lu * lw);
        if required[i] != required[(i + 1) % n] && cos < max_cos {
            return None;
        }
    }
    let mut poly = ring.to_vec();
    if sign < 0.0 {
        poly.reverse();
    }
    for (s, d) in a.sides.iter().zip(required) {
        if *d <= 0.0 {
            continue;
        }
        let (p, q) = (s.points[0], s.points[1]);
        let (dx, dy) = (q.x - p.x, q.y - p.y);
        let l = dx.hypot(dy);
        // the inward normal of the ring's travel (left of a
        // counter-clockwise ring, right of a clockwise one)
        let (nx, ny) = (-dy / l * sign, dx / l * sign);
        let keep = |c: Coord<f64>| (c.x - p.x) * nx + (c.y - p.y) * ny - d;
        poly = clip(&poly, &keep);
        if poly.len() < 3 {
            return Some(MultiPolygon(vec![]));
        }
    }
    Some(MultiPolygon(vec![Polygon::new(
        LineString::from(poly),
        vec![],
    )]))
}

/// Sutherland–Hodgman: the part of a convex ring where `keep >= 0`.
fn clip(poly: &[Coord<f64>], keep: &dyn Fn(Coord<f64>) -> f64) -> Vec<Coord<f64>> {
    let mut out = Vec::with_capacity(poly.len() + 2);
    let n = poly.len();
    for i in 0..n {
        let (a, b) = (poly[i], poly[(i + 1) % n]);
        let (da, db) = (keep(a), keep(b));
        if da >= 0.0 {
            out.push(a);
        }
        if (da >= 0.0) != (db >= 0.0) {
            let t = da / (da - db);
            out.push(Coord {
                x: a.x + (b.x - a.x) * t,
                y: a.y + (b.y - a.y) * t,
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::roles::Assigned;
    use crate::sides::split_sides;
    use planform_model::analysis::{SideRelation, SideRole};

    fn analysed(
        ring: &[Coord<f64>],
        role: impl Fn(Coord<f64>, Coord<f64>) -> SideRole,
    ) -> ParcelAnalysis {
        let sides = split_sides(ring, 15f64.to_radians());
        let roles = sides
            .iter()
            .map(|s| Assigned {
                role: role(s.points[0], s.points[s.points.len() - 1]),
                relation: Some(SideRelation::Left),
            })
            .collect();
        ParcelAnalysis {
            record: planform_model::Parcel::default(),
            sides,
            roles,
            footprint: None,
            ring: Vec::new(),
        }
    }

    fn ft(m: f64) -> f64 {
        m / FT_TO_M
    }

    #[test]
    fn a_rectangle_loses_its_setback_strips_on_the_fast_path() {
        // 20 m wide, 40 m deep, front at y = 0
        let ring = crate::sides::rect_ring(0.0, 0.0, 20.0, 40.0);
        let a = analysed(&ring, |p, q| {
            if p.y == 0.0 && q.y == 0.0 {
                SideRole::Front
            } else if p.y == 40.0 && q.y == 40.0 {
                SideRole::Rear
            } else {
                SideRole::Interior
            }
        });
        let m = Minimums {
            front: Some(ft(6.0)),
            rear: Some(ft(8.0)),
            interior: Some(ft(1.5)),
            exterior: None,
        };
        let e = envelope(&a, &m);
        assert!(!e.exact);
        // 17 m × 26 m
        assert!((e.area() - 17.0 * 26.0).abs() < 1e-6, "{}", e.area());
        let house = [
            Coord { x: 5.0, y: 10.0 },
            Coord { x: 15.0, y: 10.0 },
            Coord { x: 15.0, y: 20.0 },
        ];
        assert!(e.fits(&house));
        assert!(!e.fits(&[
            Coord { x: 1.0, y: 10.0 },
            Coord { x: 5.0, y: 10.0 },
            Coord { x: 5.0, y: 12.0 }
        ]));
        let everything = Minimums {
            front: Some(ft(30.0)),
            rear: Some(ft(30.0)),
            ..m
        };
        assert_eq!(envelope(&a, &everything).area(), 0.0);
    }

    #[test]
    fn an_l_shaped_lot_keeps_its_whole_notch_side() {
        // an L: 30 x 30 with the 15 x 15 top-right quarter cut away;
        // 2 m on every side. Half-plane clipping by the notch's sides
        // would cut away the whole right or top arm.
        let ring = [
            Coord { x: 0.0, y: 0.0 },
            Coord { x: 30.0, y: 0.0 },
            Coord { x: 30.0, y: 15.0 },
            Coord { x: 15.0, y: 15.0 },
            Coord { x: 15.0, y: 30.0 },
            Coord { x: 0.0, y: 30.0 },
        ];
        let a = analysed(&ring, |_, _| SideRole::Interior);
        let m = Minimums {
            interior: Some(ft(2.0)),
            ..Minimums::default()
        };
        let e = envelope(&a, &m);
        assert!(e.exact);
        // the inner L: 26 x 11 + 11 x 15 = 451 m², plus what the round
        // buffer leaves of the 2 x 2 square at the notch's reflex corner
        // (only the quarter disc within 2 m of the corner is taken)
        let want = 26.0 * 11.0 + 11.0 * 15.0 + (4.0 - std::f64::consts::PI);
        assert!((e.area() - want).abs() < 0.05, "{} vs {want}", e.area());
        assert_eq!(e.region.0.len(), 1);
    }

    #[test]
    fn undecided_sides_keep_the_strictest_minimum() {
        let ring = crate::sides::rect_ring(0.0, 0.0, 20.0, 40.0);
        let a = analysed(&ring, |_, _| SideRole::Unknown);
        let m = Minimums {
            front: Some(ft(5.0)),
            interior: Some(ft(1.0)),
            ..Minimums::default()
        };
        // 5 m on every side: 10 x 30
        let e = envelope(&a, &m);
        assert!((e.area() - 300.0).abs() < 1e-6, "{}", e.area());
    }
}
