//! Rooms and openings from the wall graph on the 100 R2V plans
//! (`../shared/data/floorplans/r2v_plans`, drawn from R2V's vector
//! annotations): rooms compared on free space (the ground truth's rooms
//! are faces of the centre lines, ours run along the wall faces), one to
//! one at IoU >= 0.5; openings by their midpoints, within
//! max(2 x wall thickness, 6 px) of an annotated door, one to one.
//!
//! `PLANFORM_ROOMS_DEBUG=DIR` writes an SVG per plan to look at;
//! `PLANFORM_ROOMS_WHY=1` prints why rooms did not match (a room of ours
//! within one of the annotation's, over several, over none; an annotated
//! room that no room of ours covers).

#![allow(clippy::unwrap_used, clippy::missing_panics_doc)]

mod common;

use std::collections::HashMap;

use geo_types::{Coord, LineString, Polygon};
use planform::walls::centerline::{CenterlineOptions, centerlines};
use planform::walls::rooms::{RoomOptions, rooms};
use planform::walls::{DecodeOptions, read_mask};

/// Pixels (row-major indices of a `w` x `h` image) whose centres lie in
/// `p` (image coordinates, y down; even-odd over all its rings).
fn raster(p: &Polygon<f64>, w: usize, h: usize) -> Vec<usize> {
    let rings: Vec<&LineString<f64>> = std::iter::once(p.exterior()).chain(p.interiors()).collect();
    let mut out = Vec::new();
    let mut xs = Vec::new();
    for row in 0..h {
        let y = row as f64 + 0.5;
        xs.clear();
        for r in &rings {
            for l in r.lines() {
                let (a, b) = (l.start, l.end);
                if (a.y > y) != (b.y > y) {
                    xs.push(a.x + (y - a.y) / (b.y - a.y) * (b.x - a.x));
                }
            }
        }
        xs.sort_by(f64::total_cmp);
        for pair in xs.chunks(2) {
            if let [x0, x1] = pair {
                let c0 = ((x0 - 0.5).ceil().max(0.0)) as usize;
                let c1 = ((x1 - 0.5).ceil().max(0.0) as usize).min(w);
                out.extend((c0..c1).map(|c| row * w + c));
            }
        }
    }
    out
}

/// A polygon in plan pixels (y up) in image pixels (y down).
fn image_polygon(p: &Polygon<f64>, h: f64) -> Polygon<f64> {
    let mut p = p.clone();
    p.exterior_mut(|e| e.0.iter_mut().for_each(|c| c.y = h - c.y));
    p.interiors_mut(|rs| {
        for e in rs {
            e.0.iter_mut().for_each(|c| c.y = h - c.y);
        }
    });
    p
}

fn polygon_of(v: &serde_json::Value) -> Polygon<f64> {
    let ring = |r: &serde_json::Value| -> LineString<f64> {
        r.as_array()
            .unwrap()
            .iter()
            .map(|p| Coord {
                x: p[0].as_f64().unwrap(),
                y: p[1].as_f64().unwrap(),
            })
            .collect()
    };
    let rings = v.as_array().unwrap();
    Polygon::new(ring(&rings[0]), rings[1..].iter().map(ring).collect())
}

#[derive(Default)]
struct Tally {
    gt_rooms: usize,
    our_rooms: usize,
    matched: usize,
    iou_sum: f64,
    gt_doors: usize,
    our_openings: usize,
    openings_matched: usize,
}

/// Matches on free space: the pairs at IoU >= 0.5 (one to one by
/// construction) and their `IoU`s.
fn match_rooms(gt: &[Vec<usize>], ours: &[Vec<usize>], free: &[bool]) -> Vec<f64> {
    let free_only =
        |v: &Vec<usize>| -> Vec<usize> { v.iter().copied().filter(|&i| free[i]).collect() };
    let (gt, ours): (Vec<_>, Vec<_>) = (
        gt.iter().map(free_only).collect(),
        ours.iter().map(free_only).collect(),
    );
    let mut owner: HashMap<usize, usize> = HashMap::new();
    for (k, px) in gt.iter().enumerate() {
        for &i in px {
            owner.insert(i, k);
        }
    }
    if std::env::var_os("PLANFORM_ROOMS_WHY").is_some() {
        let mut mine: HashMap<usize, usize> = HashMap::new();
        for (k, px) in ours.iter().enumerate() {
            for &i in px {
                mine.insert(i, k);
            }
        }
        for px in &gt {
            let covered = px.iter().filter(|i| mine.contains_key(i)).count();
            if covered * 4 < px.len() {
                eprintln!("GTWHY uncovered gt {} covered {covered}", px.len());
            }
        }
    }
    let mut ious = Vec::new();
    for px in &ours {
        let mut overlap: HashMap<usize, usize> = HashMap::new();
        for i in px {
            if let Some(&k) = owner.get(i) {
                *overlap.entry(k).or_default() += 1;
            }
        }
        let best = overlap
            .iter()
            .map(|(&k, &n)| n as f64 / (gt[k].len() + px.len() - n) as f64)
            .fold(0.0, f64::max);
        if best >= 0.5 {
            ious.push(best);
        } else if std::env::var_os("PLANFORM_ROOMS_WHY").is_some() {
            // why not: ours within one room (a split), over several (a
            // merge), or over none (a face the annotation has no label in)
            let inside: usize = overlap.values().sum();
            let (k, n) = overlap
                .iter()
                .max_by_key(|(_, n)| **n)
                .map_or((0, 0), |(k, n)| (*k, *n));
            let kind = if inside * 4 < px.len() {
                "unlabelled"
            } else if n * 10 >= inside * 8 {
                "split"
            } else {
                "merge"
            };
            eprintln!(
                "WHY {kind} ours {} in-gt {inside} best {n} of gt {}",
                px.len(),
                gt.get(k).map_or(0, Vec::len)
            );
        }
    }
    ious
}

/// How many of `a` and `b` pair up one to one within `reach`, nearest
/// pairs first.
fn match_points(a: &[Coord<f64>], b: &[Coord<f64>], reach: f64) -> usize {
    let mut pairs: Vec<(f64, usize, usize)> = Vec::new();
    for (i, p) in a.iter().enumerate() {
        for (j, q) in b.iter().enumerate() {
            let dist = (p.x - q.x).hypot(p.y - q.y);
            if dist <= reach {
                pairs.push((dist, i, j));
            }
        }
    }
    pairs.sort_by(|x, y| x.0.total_cmp(&y.0));
    let (mut used_a, mut used_b) = (vec![false; a.len()], vec![false; b.len()]);
    let mut n = 0;
    for (_, i, j) in pairs {
        if !used_a[i] && !used_b[j] {
            used_a[i] = true;
            used_b[j] = true;
            n += 1;
        }
    }
    n
}

#[test]
fn r2v_plans_rooms_and_openings() {
    let Some(corpus) = common::corpus() else {
        return;
    };
    let dir = corpus.join("floorplans/r2v_plans");
    let mut t = Tally::default();
    let mut plans = 0;
    for gt_path in common::files_below(&dir) {
        let name = gt_path.to_string_lossy().into_owned();
        let Some(stem) = name.strip_suffix("_gt.geojson") else {
            continue;
        };
        plans += 1;
        let gt = common::json_value(&std::fs::read(&gt_path).unwrap());
        let mask = read_mask(format!("{stem}_wall.png"), &DecodeOptions::default()).unwrap();
        let (w, h) = (mask.width() as usize, mask.height() as usize);
        let free: Vec<bool> = mask.as_bytes().iter().map(|v| *v == 0).collect();
        let c = centerlines(&mask, &CenterlineOptions::default()).unwrap();
        let found = rooms(&mask, &c, &RoomOptions::default()).unwrap();
        let features = gt["features"].as_array().unwrap();
        let of_kind = |k: &'static str| {
            features
                .iter()
                .filter(move |f| f["properties"]["kind"] == k)
        };
        let gt_rooms: Vec<Vec<usize>> = of_kind("room")
            .map(|f| raster(&polygon_of(&f["geometry"]["coordinates"]), w, h))
            .collect();
        let hf = h as f64;
        let ours: Vec<Vec<usize>> = found
            .rooms
            .iter()
            .map(|r| raster(&image_polygon(&r.polygon, hf), w, h))
            .collect();
        if std::env::var_os("PLANFORM_ROOMS_WHY").is_some() {
            eprintln!("PLAN {stem}");
        }
        let ious = match_rooms(&gt_rooms, &ours, &free);
        t.gt_rooms += gt_rooms.len();
        t.our_rooms += ours.len();
        t.matched += ious.len();
        t.iou_sum += ious.iter().sum::<f64>();
        // openings: midpoints, one to one, nearest first
        let thickness = gt["properties"]["thickness_px"].as_f64().unwrap();
        let reach = (2.0 * thickness).max(6.0);
        let doors: Vec<Coord<f64>> = of_kind("door")
            .map(|f| {
                let c = &f["geometry"]["coordinates"];
                Coord {
                    x: f64::midpoint(c[0][0].as_f64().unwrap(), c[1][0].as_f64().unwrap()),
                    y: f64::midpoint(c[0][1].as_f64().unwrap(), c[1][1].as_f64().unwrap()),
                }
            })
            .collect();
        let mids: Vec<Coord<f64>> = found
            .openings
            .iter()
            .map(|o| Coord {
                x: f64::midpoint(o.from.x, o.to.x),
                y: hf - f64::midpoint(o.from.y, o.to.y),
            })
            .collect();
        t.openings_matched += match_points(&doors, &mids, reach);
        t.gt_doors += doors.len();
        t.our_openings += mids.len();
        if let Some(out) = std::env::var_os("PLANFORM_ROOMS_DEBUG") {
            debug_svg(
                std::path::Path::new(&out),
                stem,
                &gt,
                (&c, &found),
                h as f64,
                &ious,
                gt_rooms.len(),
            );
        }
    }
    assert_eq!(plans, 100, "the corpus holds 100 R2V plans");
    let ratio = |a: usize, b: usize| a as f64 / b.max(1) as f64;
    let (rp, rr) = (ratio(t.matched, t.our_rooms), ratio(t.matched, t.gt_rooms));
    let miou = t.iou_sum / t.matched.max(1) as f64;
    let (op, or) = (
        ratio(t.openings_matched, t.our_openings),
        ratio(t.openings_matched, t.gt_doors),
    );
    eprintln!(
        "R2V plans: rooms precision {rp:.3} recall {rr:.3} ({} of {} found, {} of ours), mean IoU {miou:.3}; \
         openings precision {op:.3} recall {or:.3} ({} of {} doors, {} of ours)",
        t.matched, t.gt_rooms, t.our_rooms, t.openings_matched, t.gt_doors, t.our_openings
    );
    // Issue 18's targets are 0.90 precision and recall for both and a mean
    // IoU of 0.92: not met yet. These floors hold what was measured
    // (2026-12-07: rooms 0.699 / 0.635, IoU 0.880; openings 0.772 / 0.695),
    // so that a change that loses rooms or openings fails.
    assert!(
        rp >= 0.69 && rr >= 0.62 && miou >= 0.87,
        "rooms {rp} {rr} {miou}"
    );
    assert!(op >= 0.76 && or >= 0.68, "openings {op} {or}");
}

/// An SVG of one plan for a person to look at (with
/// `PLANFORM_ROOMS_DEBUG=DIR`): the mask, the annotation's rooms (blue)
/// and doors (orange), our rooms (green) and openings (red).
fn debug_svg(
    dir: &std::path::Path,
    stem: &str,
    gt: &serde_json::Value,
    (c, found): (
        &planform::walls::centerline::Centerlines,
        &planform::walls::rooms::Rooms,
    ),
    h: f64,
    ious: &[f64],
    n_gt: usize,
) {
    use std::fmt::Write as _;
    let name = std::path::Path::new(stem)
        .file_name()
        .unwrap()
        .to_string_lossy()
        .into_owned();
    let w = gt["properties"]["width"].as_f64().unwrap();
    let png = std::fs::read(format!("{stem}_wall.png")).unwrap();
    let b64 = base64_encode(&png);
    let mut s = format!(
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{}" height="{}" viewBox="0 0 {w} {h}"><rect width="100%" height="100%" fill="white"/><image href="data:image/png;base64,{b64}" width="{w}" height="{h}" opacity="0.35"/>"#,
        w * 2.0,
        h * 2.0
    );
    for f in gt["features"].as_array().unwrap() {
        let c = &f["geometry"]["coordinates"];
        match f["properties"]["kind"].as_str() {
            Some("room") => {
                let pts: Vec<String> = c[0]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|p| format!("{},{}", p[0], p[1]))
                    .collect();
                let _ = write!(
                    s,
                    r#"<polygon points="{}" fill="none" stroke="blue" stroke-width="1"/>"#,
                    pts.join(" ")
                );
            }
            Some("door") => {
                let _ = write!(
                    s,
                    r#"<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="orange" stroke-width="3"/>"#,
                    c[0][0], c[0][1], c[1][0], c[1][1]
                );
            }
            _ => {}
        }
    }
    for r in &found.rooms {
        let pts: Vec<String> = r
            .polygon
            .exterior()
            .0
            .iter()
            .map(|p| format!("{},{}", p.x, h - p.y))
            .collect();
        let _ = write!(
            s,
            r#"<polygon points="{}" fill="green" fill-opacity="0.3" stroke="green" stroke-width="0.5"/>"#,
            pts.join(" ")
        );
    }
    for o in &found.openings {
        let _ = write!(
            s,
            r#"<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="red" stroke-width="1.5"/>"#,
            o.from.x,
            h - o.from.y,
            o.to.x,
            h - o.to.y
        );
    }
    for w in &c.walls {
        let pts: Vec<String> = w
            .centerline
            .0
            .iter()
            .map(|p| format!("{},{}", p.x, h - p.y))
            .collect();
        let _ = write!(
            s,
            r#"<polyline points="{}" fill="none" stroke="purple" stroke-width="0.6"/>"#,
            pts.join(" ")
        );
    }
    for j in &c.junctions {
        let color = ["black", "magenta", "cyan", "brown", "black"][j.degree.min(4)];
        let _ = write!(
            s,
            r#"<circle cx="{}" cy="{}" r="1.5" fill="{color}"/>"#,
            j.at.x,
            h - j.at.y
        );
    }
    let _ = write!(
        s,
        r#"<text x="4" y="12" font-size="10">{name}: {} of {n_gt} rooms, {} ours</text></svg>"#,
        ious.len(),
        found.rooms.len()
    );
    std::fs::create_dir_all(dir).unwrap();
    std::fs::write(dir.join(format!("{name}.svg")), s).unwrap();
}

fn base64_encode(bytes: &[u8]) -> String {
    const T: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for c in bytes.chunks(3) {
        let n = (u32::from(c[0]) << 16)
            | (u32::from(*c.get(1).unwrap_or(&0)) << 8)
            | u32::from(*c.get(2).unwrap_or(&0));
        for k in 0..4 {
            if k <= c.len() {
                out.push(T[(n >> (18 - 6 * k) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}
