//! Centreline mode on the real masks: re-rasterized IoU (R3D), thickness
//! against MLSTRUCT ground truth, junction F1 against R2V ground truth.

#![allow(clippy::unwrap_used, clippy::missing_panics_doc)]

mod common;

use geo_types::{Coord, Point};
use planform::walls::centerline::{CenterlineOptions, Centerlines, MaskEdges, centerlines};
use planform::walls::metrics::{iou_walls, junction_scores};
use planform::walls::{DecodeOptions, read_mask};

fn corpus_file(rel: &str) -> Option<std::path::PathBuf> {
    common::corpus().map(|c| c.join("floorplans").join(rel))
}

#[test]
fn r3d_centerlines_re_rasterize_close_to_the_mask() {
    let Some(dir) = corpus_file("r3d") else {
        return;
    };
    let (mut sum, mut min, mut n, mut walls) = (0.0, 1.0f64, 0, 0);
    for f in common::files_below(&dir) {
        if !f.to_string_lossy().ends_with("_wall.png") {
            continue;
        }
        let m = read_mask(&f, &DecodeOptions::default()).unwrap();
        let c = centerlines(&m, &CenterlineOptions::default()).unwrap();
        // deterministic: the same walls and junctions every time
        assert_eq!(
            c,
            centerlines(&m, &CenterlineOptions::default()).unwrap(),
            "{}",
            f.display()
        );
        let v = iou_walls(&m, &c.walls, 2);
        sum += v;
        min = min.min(v);
        n += 1;
        walls += c.walls.len();
    }
    let mean = sum / f64::from(n);
    eprintln!(
        "R3D centreline: re-rasterized IoU@2x2 mean {mean:.4} min {min:.4} over {n} masks, {walls} walls"
    );
    // Issue 4's target: mean >= 0.90 (0.9051 measured 2026-12-01) with
    // fewer walls than skan's 1 760 paths (1 655)
    assert!(mean >= 0.90, "mean IoU {mean}");
    assert!(walls < 1760, "{walls} walls");
}

/// Ground-truth junctions of R2V-style wall lines (image coordinates, y
/// down): endpoints clustered within `r`, degree = line ends there plus two
/// per line passing through.
fn gt_junctions(lines: &[[Coord<f64>; 2]], r: f64) -> Vec<(Coord<f64>, usize)> {
    let mut out: Vec<(Coord<f64>, usize)> = Vec::new();
    for l in lines {
        for p in l {
            if out.iter().any(|(q, _)| (q.x - p.x).hypot(q.y - p.y) <= r) {
                continue;
            }
            let ends = lines
                .iter()
                .flatten()
                .filter(|q| (q.x - p.x).hypot(q.y - p.y) <= r)
                .count();
            let through = lines
                .iter()
                .filter(|m| {
                    let (a, b) = (m[0], m[1]);
                    let (dx, dy) = (b.x - a.x, b.y - a.y);
                    let len2 = dx * dx + dy * dy;
                    let t = ((p.x - a.x) * dx + (p.y - a.y) * dy) / len2;
                    let d = ((a.x + t * dx - p.x).hypot(a.y + t * dy - p.y)).abs();
                    t > 0.0
                        && t < 1.0
                        && d <= r
                        && (a.x - p.x).hypot(a.y - p.y) > r
                        && (b.x - p.x).hypot(b.y - p.y) > r
                })
                .count();
            out.push((*p, ends + 2 * through));
        }
    }
    out
}

#[test]
fn r2v_junctions_match_ground_truth() {
    let Some(mask_path) = corpus_file("r2v/r2v_floorplan_1_wall.png") else {
        return;
    };
    let gt: serde_json::Value = serde_json::from_slice(
        &std::fs::read(corpus_file("r2v/r2v_floorplan_1_gt.geojson").unwrap()).unwrap(),
    )
    .unwrap();
    let lines: Vec<[Coord<f64>; 2]> = gt["features"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["properties"]["kind"] == "wall_centerline")
        .map(|f| {
            let c = &f["geometry"]["coordinates"];
            let p = |i: usize| Coord {
                x: c[i][0].as_f64().unwrap(),
                y: c[i][1].as_f64().unwrap(),
            };
            [p(0), p(1)]
        })
        .collect();
    let m = read_mask(&mask_path, &DecodeOptions::default()).unwrap();
    let h = f64::from(m.height());
    let c: Centerlines = centerlines(&m, &CenterlineOptions::default()).unwrap();
    let radius = 0.02 * f64::from(m.width().max(m.height()));
    let truth = gt_junctions(&lines, 2.0);
    // per type (corners L, T, X), as R2V scores it; wall ends are not
    // junctions (and the ground truth runs walls through door openings,
    // where the mask has gaps and planform has wall ends)
    let (mut found_p, mut found_t, mut n_p, mut n_t) = (0.0, 0.0, 0usize, 0usize);
    for deg in [2usize, 3, 4] {
        let want = |d: usize| if deg == 4 { d >= 4 } else { d == deg };
        let t: Vec<Point<f64>> = truth
            .iter()
            .filter(|(_, d)| want(*d))
            .map(|(p, _)| Point::new(p.x, h - p.y))
            .collect();
        let p: Vec<Point<f64>> = c
            .junctions
            .iter()
            .filter(|j| want(j.degree + j.openings))
            .map(|j| Point::from(j.at))
            .collect();
        let (prec, rec, _) = junction_scores(&p, &t, radius);
        eprintln!(
            "  degree {deg}: truth {}, predicted {}, precision {prec:.3}, recall {rec:.3}",
            t.len(),
            p.len()
        );
        found_p += prec * p.len() as f64;
        found_t += rec * t.len() as f64;
        n_p += p.len();
        n_t += t.len();
    }
    let precision = found_p / n_p.max(1) as f64;
    let recall = found_t / n_t.max(1) as f64;
    let f1 = 2.0 * precision * recall / (precision + recall).max(1e-12);
    eprintln!(
        "R2V junctions: {n_t} in truth, {n_p} predicted; precision {precision:.3} recall {recall:.3} F1 {f1:.3}"
    );
    // Issue 4's target: F1 >= 0.85; 0.872 measured (2026-12-01: precision
    // 1.0, recall 0.773), typing each junction by its walls and the walls
    // going on across door openings (0.650 by its walls alone), two walls
    // going on straight being one (0.850 before: a speck beside the bottom
    // wall left a false corner). Of the misses, the mask has no left outer
    // wall for two corners and no wall for an open passage.
    assert!(f1 >= 0.86, "junction F1 {f1}");
}

/// Median absolute thickness error (px) of the walls found against an
/// MLSTRUCT floor's ground truth: each GT wall is matched to the predicted
/// wall whose centreline passes nearest its midpoint (within its thickness).
fn mlstruct_thickness_errors(id: &str, edges: MaskEdges) -> Option<(usize, usize, f64)> {
    let gt_path = corpus_file(&format!("mlstruct/mlstruct_{id}_gt.geojson"))?;
    let gt: serde_json::Value = serde_json::from_slice(&std::fs::read(gt_path).unwrap()).unwrap();
    let m = read_mask(
        corpus_file(&format!("mlstruct/mlstruct_{id}_wall.png")).unwrap(),
        &DecodeOptions::default(),
    )
    .unwrap();
    let h = f64::from(m.height());
    let options = CenterlineOptions {
        mask_edges: edges,
        ..CenterlineOptions::default()
    };
    let c = centerlines(&m, &options).unwrap();
    let mut errors = Vec::new();
    let features = gt["features"].as_array().unwrap();
    for f in features {
        let t = f["properties"]["thickness_px"].as_f64().unwrap();
        let cl = &f["properties"]["centerline_px"];
        let (a, b) = (
            Coord {
                x: cl[0][0].as_f64().unwrap(),
                y: h - cl[0][1].as_f64().unwrap(),
            },
            Coord {
                x: cl[1][0].as_f64().unwrap(),
                y: h - cl[1][1].as_f64().unwrap(),
            },
        );
        let mid = Coord {
            x: f64::midpoint(a.x, b.x),
            y: f64::midpoint(a.y, b.y),
        };
        // the predicted wall whose centreline passes nearest the GT midpoint
        let best = c
            .walls
            .iter()
            .flat_map(|w| w.centerline.lines().map(move |l| (w.thickness, l)))
            .map(|(th, l)| {
                let (dx, dy) = (l.end.x - l.start.x, l.end.y - l.start.y);
                let len2 = dx * dx + dy * dy;
                let s = if len2 == 0.0 {
                    0.0
                } else {
                    (((mid.x - l.start.x) * dx + (mid.y - l.start.y) * dy) / len2).clamp(0.0, 1.0)
                };
                (
                    (l.start.x + s * dx - mid.x).hypot(l.start.y + s * dy - mid.y),
                    th,
                )
            })
            .min_by(|x, y| x.0.total_cmp(&y.0));
        if let Some((_, th)) = best.filter(|(d, _)| *d <= t) {
            errors.push((th - t).abs());
        }
    }
    errors.sort_by(f64::total_cmp);
    let median = errors[errors.len() / 2];
    Some((errors.len(), features.len(), median))
}

#[test]
fn mlstruct_thickness_matches_ground_truth() {
    let (mut worst, mut worst_inclusive) = (0.0f64, 0.0f64);
    for id in ["302_q", "848_q", "748_q"] {
        let Some((matched, total, median)) = mlstruct_thickness_errors(id, MaskEdges::Centre)
        else {
            return;
        };
        let (_, _, inclusive) = mlstruct_thickness_errors(id, MaskEdges::Inclusive).unwrap();
        eprintln!(
            "MLSTRUCT {id}: {matched} of {total} GT walls matched; thickness median abs error {median:.3} px ({inclusive:.3} px with MaskEdges::Inclusive)"
        );
        assert!(
            matched * 10 >= total * 9,
            "{id}: {matched} of {total} matched"
        );
        worst = worst.max(median);
        worst_inclusive = worst_inclusive.max(inclusive);
    }
    // Issue 4's target is <= 1 px; 1.53 px measured at worst by default:
    // these masks were filled from the wall rectangles with their boundary
    // pixels (a 7.54 px wall covers 8 or 9 pixel rows) and planform
    // measures the mask's width; told so (`MaskEdges::Inclusive`) it takes
    // the pixel off
    assert!(worst <= 1.6, "median thickness error {worst}");
    assert!(
        worst_inclusive <= 1.0,
        "inclusive: median thickness error {worst_inclusive}"
    );
}

#[test]
fn r2v_openings_match_the_ground_truth_doors() {
    let Some(mask_path) = corpus_file("r2v/r2v_floorplan_1_wall.png") else {
        return;
    };
    let gt: serde_json::Value = serde_json::from_slice(
        &std::fs::read(corpus_file("r2v/r2v_floorplan_1_gt.geojson").unwrap()).unwrap(),
    )
    .unwrap();
    let mut doors: Vec<f64> = gt["features"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["properties"]["kind"] == "door")
        .map(|f| {
            let c = &f["geometry"]["coordinates"];
            let (a, b) = (&c[0], &c[1]);
            (a[0].as_f64().unwrap() - b[0].as_f64().unwrap())
                .hypot(a[1].as_f64().unwrap() - b[1].as_f64().unwrap())
        })
        .collect();
    doors.sort_by(f64::total_cmp);
    let m = read_mask(&mask_path, &DecodeOptions::default()).unwrap();
    let c = centerlines(&m, &CenterlineOptions::default()).unwrap();
    let mut found = planform::walls::scale::opening_widths(&c, 15.0);
    found.sort_by(f64::total_cmp);
    let (gt_median, ours) = (doors[doors.len() / 2], found[found.len() / 2]);
    eprintln!(
        "R2V openings: {} found, median {ours:.1} px; ground-truth doors: {}, median {gt_median:.1} px",
        found.len(),
        doors.len()
    );
    assert!(
        (ours - gt_median).abs() <= 0.2 * gt_median,
        "{ours} vs {gt_median}"
    );
}

#[test]
fn mlstruct_scale_from_door_openings() {
    let Some(dir) = corpus_file("mlstruct") else {
        return;
    };
    let mut ratios = Vec::new();
    for id in ["302", "748", "848"] {
        let gt: serde_json::Value = serde_json::from_slice(
            &std::fs::read(dir.join(format!("mlstruct_{id}_q_gt.geojson"))).unwrap(),
        )
        .unwrap();
        let truth = gt["properties"]["px_per_m"].as_f64().unwrap();
        let m = read_mask(
            dir.join(format!("mlstruct_{id}_q_wall.png")),
            &DecodeOptions::default(),
        )
        .unwrap();
        let c = centerlines(&m, &CenterlineOptions::default()).unwrap();
        let est = planform::walls::scale::px_per_m_from_doors(&c, 0.9).unwrap();
        eprintln!("MLSTRUCT {id}: {est:.2} px/m from 0.9 m door openings; ground truth {truth:.2}");
        ratios.push(est / truth);
    }
    // Floor 302's openings are doors: within 5 %. On 748 and 848 the median
    // opening is not a door (the estimate is 2.7x off): the heuristic needs a
    // plan whose typical opening is a door.
    assert!((ratios[0] - 1.0).abs() <= 0.05, "{ratios:?}");
}

/// Every corpus mask (R3D, R2V, the 100 R2V plans, MLSTRUCT) vectorizes in
/// both modes with every coordinate and thickness finite: r2v0083's
/// centreline wall started at NaN (written as `[null, null]`, exit 0) where a
/// corner was closed across a segment of no length.
#[test]
fn every_corpus_mask_gives_finite_geometry() {
    use planform::walls::centerline::{CenterlineOptions, centerlines};
    use planform::walls::outline::{OutlineOptions, outlines};
    use planform::walls::output::{OutputOptions, centerlines_geojson, outlines_geojson};
    let Some(corpus) = common::corpus() else {
        return;
    };
    let masks: Vec<_> = common::files_below(&corpus.join("floorplans"))
        .into_iter()
        .filter(|p| {
            let name = p.file_name().unwrap().to_string_lossy();
            name.ends_with("_wall.png") && !name.contains("_full_")
        })
        .collect();
    assert!(masks.len() >= 140, "{} masks", masks.len());
    for path in &masks {
        let mask =
            planform::walls::read_mask(path, &planform::walls::DecodeOptions::default()).unwrap();
        let c = centerlines(&mask, &CenterlineOptions::default()).unwrap();
        for w in &c.walls {
            assert!(w.thickness.is_finite(), "{}", path.display());
            assert!(
                w.centerline
                    .0
                    .iter()
                    .all(|p| p.x.is_finite() && p.y.is_finite()),
                "{}: {:?}",
                path.display(),
                w.centerline
            );
        }
        centerlines_geojson(&c, &OutputOptions::default()).unwrap();
        let o = outlines(&mask, &OutlineOptions::default()).unwrap();
        outlines_geojson(&o, &OutputOptions::default()).unwrap();
    }
}
