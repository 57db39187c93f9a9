//! Centreline mode: a wall graph whose edges are wall centrelines with a
//! thickness.
//!
//! Steps: drop specks below `min_area`; thin the walls to a one-pixel
//! skeleton; build the graph (nodes at ends and junctions); prune spurs
//! shorter than `spur_factor` × the local wall width; merge junctions closer
//! than `junction_factor` × the width (X junctions split by thinning); join
//! edges through degree-2 nodes; place each junction at the least-squares
//! intersection of its walls; simplify each edge with Douglas–Peucker
//! (straight walls become one segment, curved walls polylines); measure each
//! edge's thickness across the mask; cover what the walls miss (solid
//! blocks, stretches wider than their wall) with walls of their own. Door
//! and window gaps stay gaps: thinning never bridges background.

use geo_types::{Coord, LineString};
use planform_model::{Wall, WallKind};

use crate::error::{Result, WallsError};
use crate::fit::{Fit, Meet, apply_offsets, fit_part, local_width};
use crate::graph::{Graph, build, dissolve_degree_two, merge_close_junctions, prune_spurs};
use crate::mask::Mask;
use crate::residual::residual_walls;

/// An opening is at most this many wall thicknesses wide.
const OPENING_WALLS: f64 = 8.0;

/// A part shorter than this × its thickness is a stub (a corner's or a
/// junction's leftover), not a wall.
const STUB: f64 = 1.0;
use crate::skeleton::{Grid, drop_specks, thin};

/// Centreline settings.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CenterlineOptions {
    /// Wall components smaller than this many pixels are dropped as specks.
    /// Default 16.
    pub min_area: usize,
    /// A dead-end branch shorter than this × the local wall width is a
    /// thinning artefact and is pruned. Default 1.5.
    pub spur_factor: f64,
    /// Junctions closer than this × the local width are one junction.
    /// Default 1.0.
    pub junction_factor: f64,
    /// Douglas–Peucker tolerance for the centrelines, pixels. Default 1.0.
    pub tolerance: f64,
    /// A centreline turning by more than this many degrees at a vertex is
    /// split there into two walls meeting at a corner junction; gentler
    /// turns stay one polyline (a curved wall). Default 30.
    pub corner_deg: f64,
    /// Cover the wall mass the centrelines miss (solid blocks, stretches
    /// wider than their wall) with walls of their own
    /// ([`crate::residual`]). Default true.
    pub fill_residual: bool,
    /// How the mask was drawn, which decides what a wall `n` pixels across
    /// measures. Default [`MaskEdges::Centre`].
    pub mask_edges: MaskEdges,
    /// The most structure the mask may have (checked first; see
    /// [`Budget`](crate::budget::Budget)). Default [`Budget::default`](crate::budget::Budget::default).
    pub budget: crate::budget::Budget,
}

/// How a mask's walls were drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum MaskEdges {
    /// A pixel is wall when the wall covers its centre (a segmentation
    /// model's mask such as the Floor Plan API's, any point-sampled
    /// raster): a wall `n` pixels across is `n` px thick, and the
    /// centrelines drawn at their thickness cover the mask's pixels.
    #[default]
    Centre,
    /// Wall polygons filled with their boundary pixels (PIL's
    /// `ImageDraw.polygon`, OpenCV's `fillPoly`, as MLSTRUCT-FP's and
    /// other datasets' masks are made from vector walls): a wall covers
    /// one pixel row more than its thickness, `n − 1` px (at least 1 px;
    /// the geometry is unchanged).
    Inclusive,
}

impl std::str::FromStr for MaskEdges {
    type Err = crate::WallsError;

    /// `centre` (or `center`) or `inclusive`.
    fn from_str(s: &str) -> Result<Self> {
        match s {
            "centre" | "center" => Ok(Self::Centre),
            "inclusive" => Ok(Self::Inclusive),
            other => Err(crate::WallsError::InvalidOption {
                name: "mask edges",
                reason: format!("expected centre or inclusive, got {other}"),
            }),
        }
    }
}

impl Default for CenterlineOptions {
    fn default() -> Self {
        Self {
            min_area: 16,
            spur_factor: 1.5,
            junction_factor: 1.0,
            tolerance: 1.0,
            corner_deg: 30.0,
            fill_residual: true,
            mask_edges: MaskEdges::Centre,
            budget: crate::budget::Budget::default(),
        }
    }
}

/// A node of the wall graph.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Junction {
    /// Position in plan pixels.
    pub at: Coord<f64>,
    /// Number of walls meeting there.
    pub degree: usize,
    /// Walls that go on from here across a door or window opening (see
    /// [`crate::openings`]): `degree + openings` is the junction's type as
    /// a drawing reads it, walls running through their openings.
    pub openings: usize,
}

/// The wall graph of one mask, in plan pixels (x right, y up, origin at the
/// bottom-left corner).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Centerlines {
    /// One wall per graph edge: centreline and thickness in pixels.
    pub walls: Vec<Wall>,
    /// The graph's nodes in plan pixels with their degree: wall ends (1),
    /// corners where one wall turns into the next (2), T (3) and X (4+)
    /// junctions.
    pub junctions: Vec<Junction>,
    /// Mask width in pixels.
    pub width: u32,
    /// Mask height in pixels.
    pub height: u32,
}

/// Douglas–Peucker on a polyline (keeps both ends), by `geo`'s
/// `Simplify`.
pub(crate) fn simplify(line: &[[f64; 2]], tol: f64) -> Vec<[f64; 2]> {
    use geo::Simplify;
    if line.len() < 3 || tol <= 0.0 {
        return line.to_vec();
    }
    let ls: geo_types::LineString<f64> = line
        .iter()
        .map(|p| geo_types::Coord { x: p[0], y: p[1] })
        .collect();
    ls.simplify(tol).0.into_iter().map(|c| [c.x, c.y]).collect()
}

/// Splits a polyline at vertices where it turns by more than `corner_deg`.
fn split_at_corners(line: &[[f64; 2]], corner_deg: f64) -> Vec<Vec<[f64; 2]>> {
    let mut parts = vec![vec![line[0]]];
    for i in 1..line.len() {
        let cur = parts.last_mut().expect("parts is never empty");
        cur.push(line[i]);
        if i + 1 < line.len() {
            let (a, b, c) = (line[i - 1], line[i], line[i + 1]);
            let h1 = (b[1] - a[1]).atan2(b[0] - a[0]);
            let h2 = (c[1] - b[1]).atan2(c[0] - b[0]);
            let mut turn = (h2 - h1).to_degrees().abs() % 360.0;
            if turn > 180.0 {
                turn = 360.0 - turn;
            }
            if turn > corner_deg {
                parts.push(vec![line[i]]);
            }
        }
    }
    parts
}

/// Where thinning cut a corner with a short diagonal (a part shorter than
/// the wall width between two others), drops it and extends its
/// neighbours to their intersection, which becomes the corner.
fn close_corners(
    mut parts: Vec<Vec<[f64; 2]>>,
    width_at: &dyn Fn([f64; 2]) -> f64,
) -> Vec<Vec<[f64; 2]>> {
    let len = |p: &[[f64; 2]]| {
        p.windows(2)
            .map(|w| (w[1][0] - w[0][0]).hypot(w[1][1] - w[0][1]))
            .sum::<f64>()
    };
    let mut i = 1;
    while i + 1 < parts.len() {
        let short = &parts[i];
        let w = width_at(short[0]).max(width_at(short[short.len() - 1]));
        if short.len() != 2 || len(short) > 1.5 * w {
            i += 1;
            continue;
        }
        let (p, q) = (&parts[i - 1], &parts[i + 1]);
        let (a0, a1) = (p[p.len() - 2], p[p.len() - 1]);
        let (b0, b1) = (q[0], q[1]);
        let (d1, d2) = (
            [a1[0] - a0[0], a1[1] - a0[1]],
            [b1[0] - b0[0], b1[1] - b0[1]],
        );
        let den = d1[0] * d2[1] - d1[1] * d2[0];
        let (n1, n2) = (d1[0].hypot(d1[1]), d2[0].hypot(d2[1]));
        // parallel lines, or an end segment of no length (a repeated
        // point: 0 / 0 made r2v0083's wall start at NaN)
        if n1 == 0.0 || n2 == 0.0 || den.abs() < 1e-9 * n1 * n2 {
            i += 1;
            continue;
        }
        let t = ((b0[0] - a0[0]) * d2[1] - (b0[1] - a0[1]) * d2[0]) / den;
        let x = [a0[0] + t * d1[0], a0[1] + t * d1[1]];
        let mid = [
            f64::midpoint(short[0][0], short[1][0]),
            f64::midpoint(short[0][1], short[1][1]),
        ];
        let off = (x[0] - mid[0]).hypot(x[1] - mid[1]);
        if !off.is_finite() || off > 2.0 * w {
            i += 1;
            continue;
        }
        let last = parts[i - 1].len() - 1;
        parts[i - 1][last] = x;
        parts[i + 1][0] = x;
        parts.remove(i);
    }
    parts
}

/// Moves each junction to the least-squares intersection of its walls'
/// directions (taken between `w` and `3w` from the junction), when that
/// point is a wall pixel within one wall width `w` of where thinning put it.
fn snap_junctions(graph: &mut Graph, mask: &Mask) {
    let inc = graph.incidence();
    for n in 0..graph.nodes.len() {
        if !graph.nodes[n].alive || graph.degree_at(&inc, n) < 2 {
            continue;
        }
        let p0 = graph.nodes[n].pos;
        let w = local_width(mask, p0).clamp(2.0, 64.0);
        let mut meet = Meet::default();
        for e in inc[n]
            .iter()
            .map(|&k| &graph.edges[k])
            .filter(|e| e.alive && e.a != e.b)
        {
            let mut line = graph.line(e);
            if e.b == n {
                line.reverse();
            }
            let mut walked = 0.0;
            let pts: Vec<[f64; 2]> = line
                .windows(2)
                .filter_map(|s| {
                    walked += (s[1][0] - s[0][0]).hypot(s[1][1] - s[0][1]);
                    (walked >= w && walked <= 3.0 * w).then_some(s[1])
                })
                .collect();
            if pts.len() < 2 {
                continue;
            }
            let (q, r) = (pts[0], pts[pts.len() - 1]);
            if (r[0] - q[0]).hypot(r[1] - q[1]) >= 1.0 {
                meet.add(q, r);
            }
        }
        if let Some([x, y]) = meet.point() {
            // only a local correction: stay within one wall width, on a wall pixel
            if (x - p0[0]).hypot(y - p0[1]) <= w && mask.get(x.floor() as i64, y.floor() as i64) {
                graph.nodes[n].pos = [x, y];
            }
        }
    }
}

/// Whether a part drawn `thickness` wide covers more than half as many
/// background pixels as wall pixels.
fn mostly_background(mask: &Mask, part: &[[f64; 2]], thickness: f64) -> bool {
    let (mut wall, mut background) = (0usize, 0usize);
    let size = (mask.width(), mask.height());
    if let [a, b] = part {
        crate::capsule::capsule_spans(*a, *b, thickness / 2.0, size, |row, c0, c1| {
            let n = mask.row(row as u32)[c0..=c1]
                .iter()
                .filter(|v| **v != 0)
                .count();
            wall += n;
            background += c1 + 1 - c0 - n;
        });
        return 2 * background > wall;
    }
    // a pixel in two segments' capsules counts once
    let mut seen = crate::fasthash::FastSet::default();
    for w in part.windows(2) {
        crate::capsule::capsule_pixels(w[0], w[1], thickness / 2.0, size, |x, y| {
            if seen.insert((x, y)) {
                if mask.get(x as i64, y as i64) {
                    wall += 1;
                } else {
                    background += 1;
                }
            }
        });
    }
    2 * background > wall
}

/// Thinning leaves a wall's free end anywhere from the wall's end to about
/// half a thickness short of it. Move each free end along its wall so that
/// it sits half a thickness inside the wall's end: a wall drawn with its
/// thickness then ends flush with the mask.
fn place_free_ends(graph: &mut Graph, mask: &Mask) {
    let inside = |x: f64, y: f64| mask.get(x.floor() as i64, y.floor() as i64);
    let inc = graph.incidence();
    for n in 0..graph.nodes.len() {
        if !graph.nodes[n].alive || graph.degree_at(&inc, n) != 1 {
            continue;
        }
        let Some(e) = inc[n].iter().map(|&k| &graph.edges[k]).find(|e| e.alive) else {
            continue;
        };
        let mut line = graph.line(e);
        if e.a == n {
            line.reverse(); // now ends at n
        }
        let end = line[line.len() - 1];
        let w = local_width(mask, end).clamp(1.0, 64.0);
        // direction from a point about two widths back along the wall
        let mut walked = 0.0;
        let mut from = line[0];
        for s in line.windows(2).rev() {
            walked += (s[1][0] - s[0][0]).hypot(s[1][1] - s[0][1]);
            from = s[0];
            if walked >= 2.0 * w {
                break;
            }
        }
        let (dx, dy) = (end[0] - from[0], end[1] - from[1]);
        let len = dx.hypot(dy);
        if len < 1.0 || !inside(end[0], end[1]) {
            continue;
        }
        let (ux, uy) = (dx / len, dy / len);
        let mut d = 0.125;
        while d < 4.0 * w && inside(end[0] + ux * d, end[1] + uy * d) {
            d += 0.25;
        }
        let to_end = d - 0.125;
        let shift = to_end - w / 2.0;
        // never pull an end back past the point it was measured from
        if shift > -len / 2.0 {
            graph.nodes[n].pos = [end[0] + ux * shift, end[1] + uy * shift];
        }
    }
}

/// The walls and junctions of the fitted parts (image coordinates in,
/// plan coordinates out): straight parts centred on the mask and joined
/// again, parts that are no walls (mostly background; stubs shorter than
/// their thickness) dropped, each junction's degree the wall ends left at
/// it. `nodes` are the graph's junctions and ends with their degree,
/// `corners` the points where a centreline was split at a corner.
fn assemble(
    mask: &Mask,
    mut all_parts: Vec<Vec<[f64; 2]>>,
    fits: &[Fit],
    nodes: Vec<([f64; 2], usize)>,
    corners: Vec<[f64; 2]>,
) -> (Vec<Wall>, Vec<Junction>) {
    let h = f64::from(mask.height());
    let to_plan = |p: [f64; 2]| Coord {
        x: p[0],
        y: h - p[1],
    };
    let mut walls = Vec::new();
    // centre the straight walls on the mask and join them up again
    let moved = apply_offsets(&mut all_parts, fits, &|p| {
        local_width(mask, p).clamp(2.0, 64.0)
    });
    let key = |p: [f64; 2]| [p[0].to_bits(), p[1].to_bits()];
    let mut junctions: Vec<Junction> = nodes
        .into_iter()
        .chain(corners.into_iter().map(|p| (p, 2)))
        .map(|(p, degree)| Junction {
            at: to_plan(moved.get(&key(p)).copied().unwrap_or(p)),
            degree,
            openings: 0,
        })
        .collect();
    for (part, f) in all_parts.into_iter().zip(fits.iter().copied()) {
        // a wall drawn mostly over background (the medial axis of a solid
        // block's corner, a spur thinning left in a blob) is not a wall:
        // the block is covered below as a block
        let length: f64 = part
            .windows(2)
            .map(|w| (w[1][0] - w[0][0]).hypot(w[1][1] - w[0][1]))
            .sum();
        if mostly_background(mask, &part, f.thickness) || length < STUB * f.thickness {
            continue;
        }
        walls.push(Wall {
            centerline: LineString(part.into_iter().map(to_plan).collect()),
            thickness: f.thickness,
            kind: WallKind::Wall,
        });
    }
    recount(&walls, &mut junctions);
    (walls, junctions)
}

/// Sets each junction's degree to the wall ends left there, dropping the
/// junctions no wall ends at.
fn recount(walls: &[Wall], junctions: &mut Vec<Junction>) {
    let mut ends: crate::fasthash::FastMap<[u64; 2], usize> = crate::fasthash::FastMap::default();
    for w in walls {
        for c in [w.centerline.0[0], w.centerline.0[w.centerline.0.len() - 1]] {
            *ends.entry([c.x.to_bits(), c.y.to_bits()]).or_default() += 1;
        }
    }
    junctions.retain_mut(|j| {
        let n = ends
            .get(&[j.at.x.to_bits(), j.at.y.to_bits()])
            .copied()
            .unwrap_or(0);
        j.degree = n;
        n > 0
    });
}

/// Extracts the wall graph of a mask.
pub fn centerlines(mask: &Mask, options: &CenterlineOptions) -> Result<Centerlines> {
    let o = options;
    for (name, v) in [
        ("spur_factor", o.spur_factor),
        ("junction_factor", o.junction_factor),
        ("tolerance", o.tolerance),
        ("corner_deg", o.corner_deg),
    ] {
        if !(v.is_finite() && v >= 0.0) {
            return Err(WallsError::InvalidOption {
                name,
                reason: format!("{v} is not a finite number >= 0"),
            });
        }
    }
    o.budget.check(mask, crate::budget::Work::Centerline)?;
    let mut grid = Grid::from_mask(mask);
    drop_specks(&mut grid, o.min_area);
    thin(&mut grid);
    let mut graph = build(&grid);
    let width_at = |p: [f64; 2]| local_width(mask, p);
    prune_spurs(&mut graph, &width_at, o.spur_factor);
    merge_close_junctions(&mut graph, &width_at, o.junction_factor);
    dissolve_degree_two(&mut graph);
    snap_junctions(&mut graph, mask);
    place_free_ends(&mut graph, mask);
    // graph nodes (image coordinates) with their degree, and corner points
    let degree = graph.degrees();
    let nodes: Vec<([f64; 2], usize)> = (0..graph.nodes.len())
        .filter(|&n| graph.nodes[n].alive && degree[n] != 2 && degree[n] > 0)
        .map(|n| (graph.nodes[n].pos, degree[n]))
        .collect();
    let mut corners: Vec<[f64; 2]> = Vec::new();
    let (mut all_parts, mut fits) = (Vec::new(), Vec::new());
    for e in graph.edges.iter().filter(|e| e.alive) {
        if graph.length(e) == 0.0 {
            continue;
        }
        // skeleton points within a wall width of a junction bend towards it
        // (thinning artefacts): the wall runs straight from the junction to
        // the first point beyond
        let line = graph.line(e);
        let (pa, pb) = (graph.nodes[e.a].pos, graph.nodes[e.b].pos);
        let (wa, wb) = (
            local_width(mask, pa).min(64.0),
            local_width(mask, pb).min(64.0),
        );
        let near = |p: [f64; 2], q: [f64; 2], w: f64| (p[0] - q[0]).hypot(p[1] - q[1]) < w;
        let mut trimmed = vec![pa];
        trimmed.extend(
            line[1..line.len() - 1]
                .iter()
                .copied()
                .filter(|&p| !near(p, pa, wa) && !near(p, pb, wb)),
        );
        trimmed.push(pb);
        let simple = simplify(&trimmed, o.tolerance);
        // split at corners: a turn sharper than `corner_deg` ends one wall
        // and starts the next (L corners); gentle turns stay in one
        // polyline (curved walls)
        let parts = close_corners(split_at_corners(&simple, o.corner_deg), &|p| {
            local_width(mask, p)
        });
        let free = [degree[e.a] == 1, degree[e.b] == 1];
        let n_parts = parts.len();
        for (k, part) in parts.into_iter().enumerate() {
            if k > 0 {
                corners.push(part[0]);
            }
            fits.push(fit_part(
                mask,
                &part,
                k == 0 && free[0],
                k + 1 == n_parts && free[1],
            ));
            all_parts.push(part);
        }
    }
    let (mut walls, mut junctions) = assemble(mask, all_parts, &fits, nodes, corners);
    if o.fill_residual {
        let extra = residual_walls(mask, &walls, o.min_area);
        walls.extend(extra);
    }
    // walls adding less than a speck beyond the others
    if crate::prune::prune(mask, &mut walls, o.min_area) > 0 {
        recount(&walls, &mut junctions);
    }
    let mut c = Centerlines {
        walls,
        junctions,
        width: mask.width(),
        height: mask.height(),
    };
    crate::openings::count_openings(&mut c, mask, OPENING_WALLS);
    crate::collinear::merge_collinear(&mut c, o.corner_deg);
    if o.mask_edges == MaskEdges::Inclusive {
        for w in &mut c.walls {
            w.thickness = (w.thickness - 1.0).max(w.thickness.min(1.0));
        }
    }
    Ok(c)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bar(w: u32, h: u32, f: impl Fn(u32, u32) -> bool) -> Mask {
        Mask::from_fn(w, h, f)
    }

    #[test]
    fn a_straight_wall_is_one_segment_with_its_thickness() {
        let m = bar(100, 20, |x, y| {
            (10..90).contains(&x) && (6..13).contains(&y)
        });
        let c = centerlines(&m, &CenterlineOptions::default()).unwrap();
        assert_eq!(c.walls.len(), 1, "{c:?}");
        let w = &c.walls[0];
        assert!((w.thickness - 7.0).abs() <= 0.5, "{}", w.thickness);
        assert_eq!(w.centerline.0.len(), 2);
        let y = w.centerline.0[0].y;
        assert!((y - 10.5).abs() <= 0.6, "centre at y={y}");
    }

    #[test]
    fn l_t_and_x_junctions_are_single_nodes() {
        let l = bar(60, 60, |x, y| {
            ((10..50).contains(&x) && (10..16).contains(&y))
                || ((10..16).contains(&x) && (10..50).contains(&y))
        });
        let t = bar(60, 60, |x, y| {
            ((5..55).contains(&x) && (10..16).contains(&y))
                || ((27..33).contains(&x) && (10..55).contains(&y))
        });
        let x = bar(60, 60, |x, y| {
            ((5..55).contains(&x) && (27..33).contains(&y))
                || ((27..33).contains(&x) && (5..55).contains(&y))
        });
        let cl = centerlines(&l, &CenterlineOptions::default()).unwrap();
        let ct = centerlines(&t, &CenterlineOptions::default()).unwrap();
        let cx = centerlines(&x, &CenterlineOptions::default()).unwrap();
        let inner = |c: &Centerlines| {
            c.junctions
                .iter()
                .filter(|j| j.degree >= 2)
                .map(|j| j.at)
                .collect::<Vec<_>>()
        };
        assert_eq!(
            (cl.walls.len(), inner(&cl).len()),
            (2, 1),
            "an L is two walls and a corner: {cl:?}"
        );
        let j = inner(&cl)[0];
        assert!(
            (j.x - 13.0).abs() < 1.5 && (j.y - 47.0).abs() < 1.5,
            "{j:?}"
        );
        assert_eq!((ct.walls.len(), inner(&ct).len()), (3, 1), "{ct:?}");
        assert_eq!((cx.walls.len(), inner(&cx).len()), (4, 1), "{cx:?}");
        assert_eq!(
            cx.junctions.iter().filter(|j| j.degree == 1).count(),
            4,
            "four wall ends"
        );
        let j = inner(&cx)[0];
        assert!(
            (j.x - 30.0).abs() < 1.5 && (j.y - 30.0).abs() < 1.5,
            "{j:?}"
        );
    }

    #[test]
    fn door_gaps_stay_gaps_and_specks_go() {
        let m = bar(80, 20, |x, y| {
            (((5..35).contains(&x) || (45..75).contains(&x)) && (8..14).contains(&y))
                || (x == 40 && y == 2)
        });
        let c = centerlines(&m, &CenterlineOptions::default()).unwrap();
        assert_eq!(c.walls.len(), 2, "{c:?}");
    }

    #[test]
    fn empty_and_full_masks() {
        assert!(
            centerlines(&bar(10, 10, |_, _| false), &CenterlineOptions::default())
                .unwrap()
                .walls
                .is_empty()
        );
        let full = centerlines(&bar(30, 30, |_, _| true), &CenterlineOptions::default()).unwrap();
        assert!(full.walls.len() <= 4);
        assert!(
            centerlines(
                &bar(5, 5, |_, _| true),
                &CenterlineOptions {
                    tolerance: -1.0,
                    ..Default::default()
                }
            )
            .is_err()
        );
    }
}
