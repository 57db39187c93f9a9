//! Quality metrics for vectorized walls, against the mask or ground truth.

use geo_types::{Coord, LineString, Point, Polygon};

use crate::mask::Mask;

/// Intersection over union between the mask and polygons re-rasterized at
/// `k × k` samples per pixel (pixel-centre sampling of each sub-pixel).
/// Polygons are in plan pixels (x right, y up, origin bottom-left). An
/// exact pixel outline scores exactly 1.0. Rings are filled even-odd.
pub fn iou(mask: &Mask, polygons: &[Polygon<f64>], k: u32) -> f64 {
    let k = k.max(1);
    let (w, h) = (mask.width(), mask.height());
    // edges in sample units, y up
    let mut edges: Vec<(f64, f64, f64, f64)> = Vec::new();
    for p in polygons {
        for ring in std::iter::once(p.exterior()).chain(p.interiors()) {
            for l in ring.lines() {
                if l.start.y != l.end.y {
                    edges.push((l.start.x, l.start.y, l.end.x, l.end.y));
                }
            }
        }
    }
    edges.sort_by(|a, b| a.1.min(a.3).total_cmp(&b.1.min(b.3)));
    let kf = f64::from(k);
    let mut inter = 0u64;
    let mut union = 0u64;
    let mut active: Vec<usize> = Vec::new();
    let mut next = 0usize;
    let mut xs: Vec<f64> = Vec::new();
    let mut covered = vec![0u32; w as usize];
    for sy in 0..(h * k) {
        // sample row, y up: rows are scanned bottom to top
        let y = (f64::from(sy) + 0.5) / kf;
        while next < edges.len() && edges[next].1.min(edges[next].3) <= y {
            active.push(next);
            next += 1;
        }
        active.retain(|&e| edges[e].1.max(edges[e].3) > y);
        xs.clear();
        for &e in &active {
            let (x0, y0, x1, y1) = edges[e];
            if (y0 <= y) != (y1 <= y) {
                xs.push(x0 + (y - y0) * (x1 - x0) / (y1 - y0));
            }
        }
        xs.sort_by(f64::total_cmp);
        covered.fill(0);
        for pair in xs.chunks_exact(2) {
            // samples with centre in [pair[0], pair[1])
            let first = ((pair[0] * kf) - 0.5).ceil().max(0.0) as i64;
            let last = ((pair[1] * kf) - 0.5).ceil().min(f64::from(w * k)) as i64;
            for sx in first..last {
                covered[(sx / i64::from(k)) as usize] += 1;
            }
        }
        let img_row = h - 1 - sy / k;
        let row = mask.row(img_row);
        for x in 0..w as usize {
            let c = u64::from(covered[x]);
            if row[x] != 0 {
                inter += c;
                union += u64::from(k);
            } else {
                union += c;
            }
        }
    }
    if union == 0 {
        1.0
    } else {
        inter as f64 / union as f64
    }
}

/// IoU between the mask and walls re-rasterized as capsules (every sample
/// within half the wall's thickness of its centreline), `k × k` samples per
/// pixel. Centrelines in plan pixels (y up), thickness in pixels.
pub fn iou_walls(mask: &Mask, walls: &[planform_model::Wall], k: u32) -> f64 {
    // segments bucketed by 8-px cells, each stored in every cell its capsule touches
    type Capsule = (Coord<f64>, Coord<f64>, f64);
    const CELL: f64 = 8.0;
    let k = k.max(1);
    let (w, h) = (mask.width(), mask.height());
    let mut cells: std::collections::HashMap<(i64, i64), Vec<Capsule>> =
        std::collections::HashMap::new();
    for wall in walls {
        let r = wall.thickness / 2.0;
        for l in wall.centerline.lines() {
            let (x0, x1) = (l.start.x.min(l.end.x) - r, l.start.x.max(l.end.x) + r);
            let (y0, y1) = (l.start.y.min(l.end.y) - r, l.start.y.max(l.end.y) + r);
            for cx in (x0 / CELL).floor() as i64..=(x1 / CELL).floor() as i64 {
                for cy in (y0 / CELL).floor() as i64..=(y1 / CELL).floor() as i64 {
                    cells.entry((cx, cy)).or_default().push((l.start, l.end, r));
                }
            }
        }
    }
    let covered = |x: f64, y: f64| {
        cells
            .get(&((x / CELL).floor() as i64, (y / CELL).floor() as i64))
            .is_some_and(|segs| {
                segs.iter().any(|&(a, b, r)| {
                    let (dx, dy) = (b.x - a.x, b.y - a.y);
                    let len2 = dx * dx + dy * dy;
                    let t = if len2 == 0.0 {
                        0.0
                    } else {
                        (((x - a.x) * dx + (y - a.y) * dy) / len2).clamp(0.0, 1.0)
                    };
                    let (px, py) = (a.x + t * dx - x, a.y + t * dy - y);
                    px * px + py * py <= r * r
                })
            })
    };
    let kf = f64::from(k);
    let (mut inter, mut union) = (0u64, 0u64);
    for iy in 0..h {
        let row = mask.row(iy);
        for ix in 0..w {
            let wall = row[ix as usize] != 0;
            for sy in 0..k {
                for sx in 0..k {
                    let x = f64::from(ix) + (f64::from(sx) + 0.5) / kf;
                    let y = f64::from(h - iy - 1) + (f64::from(sy) + 0.5) / kf;
                    let c = covered(x, y);
                    inter += u64::from(c && wall);
                    union += u64::from(c || wall);
                }
            }
        }
    }
    if union == 0 {
        1.0
    } else {
        inter as f64 / union as f64
    }
}

fn densify(line: &LineString<f64>, step: f64, out: &mut Vec<Coord<f64>>) {
    for l in line.lines() {
        let len = l.dx().hypot(l.dy());
        let n = (len / step).ceil().max(1.0) as usize;
        for i in 0..n {
            let t = i as f64 / n as f64;
            out.push(Coord {
                x: l.start.x + t * l.dx(),
                y: l.start.y + t * l.dy(),
            });
        }
    }
    if let Some(&c) = line.0.last() {
        out.push(c);
    }
}

/// Points along every ring of the polygons, at most `step` apart.
pub fn boundary_points(polygons: &[Polygon<f64>], step: f64) -> Vec<Coord<f64>> {
    let mut out = Vec::new();
    for p in polygons {
        for ring in std::iter::once(p.exterior()).chain(p.interiors()) {
            densify(ring, step, &mut out);
        }
    }
    out
}

/// Points along every line, at most `step` apart.
pub fn line_points(lines: &[LineString<f64>], step: f64) -> Vec<Coord<f64>> {
    let mut out = Vec::new();
    for l in lines {
        densify(l, step, &mut out);
    }
    out
}

/// A uniform grid for nearest-point queries.
struct Grid {
    cell: f64,
    cells: std::collections::HashMap<(i64, i64), Vec<Coord<f64>>>,
}

impl Grid {
    fn new(points: &[Coord<f64>], cell: f64) -> Self {
        let mut cells: std::collections::HashMap<(i64, i64), Vec<Coord<f64>>> =
            std::collections::HashMap::new();
        for &p in points {
            cells
                .entry(((p.x / cell).floor() as i64, (p.y / cell).floor() as i64))
                .or_default()
                .push(p);
        }
        Self { cell, cells }
    }

    fn nearest(&self, p: Coord<f64>) -> f64 {
        let (cx, cy) = (
            (p.x / self.cell).floor() as i64,
            (p.y / self.cell).floor() as i64,
        );
        let mut best = f64::INFINITY;
        let mut r = 0i64;
        loop {
            for gx in cx - r..=cx + r {
                for gy in cy - r..=cy + r {
                    if (gx - cx).abs() != r && (gy - cy).abs() != r {
                        continue;
                    }
                    if let Some(v) = self.cells.get(&(gx, gy)) {
                        for q in v {
                            best = best.min((q.x - p.x).hypot(q.y - p.y));
                        }
                    }
                }
            }
            // every unvisited cell is at least r * cell away
            if best <= r as f64 * self.cell || r > 1 << 20 {
                return best;
            }
            r += 1;
        }
    }
}

/// Symmetric Hausdorff distance between two point sets (`INFINITY` when
/// exactly one is empty, 0 when both are).
pub fn hausdorff(a: &[Coord<f64>], b: &[Coord<f64>]) -> f64 {
    match (a.is_empty(), b.is_empty()) {
        (true, true) => return 0.0,
        (true, false) | (false, true) => return f64::INFINITY,
        _ => {}
    }
    let directed = |from: &[Coord<f64>], to: &[Coord<f64>]| {
        let g = Grid::new(to, 8.0);
        from.iter().map(|&p| g.nearest(p)).fold(0.0f64, f64::max)
    };
    directed(a, b).max(directed(b, a))
}

/// Precision, recall and F1 of predicted junctions against ground truth:
/// a ground-truth junction is found when an unused prediction lies within
/// `radius` (R2V's rule uses `0.02 * max(W, H)`); greedy nearest matching.
pub fn junction_scores(
    predicted: &[Point<f64>],
    truth: &[Point<f64>],
    radius: f64,
) -> (f64, f64, f64) {
    let mut used = vec![false; predicted.len()];
    let mut found = 0usize;
    for t in truth {
        let best = predicted
            .iter()
            .enumerate()
            .filter(|(i, _)| !used[*i])
            .map(|(i, p)| (i, (p.x() - t.x()).hypot(p.y() - t.y())))
            .filter(|(_, d)| *d <= radius)
            .min_by(|a, b| a.1.total_cmp(&b.1));
        if let Some((i, _)) = best {
            used[i] = true;
            found += 1;
        }
    }
    let precision = if predicted.is_empty() {
        1.0
    } else {
        found as f64 / predicted.len() as f64
    };
    let recall = if truth.is_empty() {
        1.0
    } else {
        found as f64 / truth.len() as f64
    };
    let f1 = if precision + recall == 0.0 {
        0.0
    } else {
        2.0 * precision * recall / (precision + recall)
    };
    (precision, recall, f1)
}

/// Median absolute error between predicted and true thicknesses, paired by
/// index (same unit).
pub fn median_abs_error(predicted: &[f64], truth: &[f64]) -> f64 {
    let mut e: Vec<f64> = predicted
        .iter()
        .zip(truth)
        .map(|(p, t)| (p - t).abs())
        .collect();
    if e.is_empty() {
        return 0.0;
    }
    e.sort_by(f64::total_cmp);
    let n = e.len();
    if n % 2 == 1 {
        e[n / 2]
    } else {
        f64::midpoint(e[n / 2 - 1], e[n / 2])
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo_types::polygon;

    #[test]
    fn iou_of_a_shifted_square() {
        let m = Mask::from_ascii(
            "
            ##..
            ##..",
        );
        let exact = polygon![(x: 0.0, y: 0.0), (x: 2.0, y: 0.0), (x: 2.0, y: 2.0), (x: 0.0, y: 2.0), (x: 0.0, y: 0.0)];
        assert_eq!(iou(&m, &[exact], 4), 1.0);
        let shifted = polygon![(x: 1.0, y: 0.0), (x: 3.0, y: 0.0), (x: 3.0, y: 2.0), (x: 1.0, y: 2.0), (x: 1.0, y: 0.0)];
        assert!((iou(&m, &[shifted], 4) - 1.0 / 3.0).abs() < 1e-12);
        assert_eq!(iou(&m, &[], 2), 0.0);
        assert_eq!(iou(&Mask::from_ascii("...."), &[], 2), 1.0);
    }

    #[test]
    fn hausdorff_and_junctions() {
        let a = [Coord { x: 0.0, y: 0.0 }, Coord { x: 10.0, y: 0.0 }];
        let b = [
            Coord { x: 0.0, y: 1.0 },
            Coord { x: 10.0, y: 3.0 },
            Coord { x: 100.0, y: 0.0 },
        ];
        assert!((hausdorff(&a, &b) - 90.0).abs() < 1e-9);
        let (p, r, f) = junction_scores(
            &[Point::new(0.0, 0.0), Point::new(50.0, 50.0)],
            &[Point::new(1.0, 1.0), Point::new(20.0, 20.0)],
            2.0,
        );
        assert_eq!((p, r, f), (0.5, 0.5, 0.5));
        assert_eq!(median_abs_error(&[1.0, 2.0, 10.0], &[1.5, 2.0, 3.0]), 0.5);
    }
}
