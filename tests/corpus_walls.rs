//! Outline mode on the real masks in `../shared/data/floorplans`: exactness,
//! IoU, vertex reduction and the output contract.

#![allow(clippy::unwrap_used, clippy::missing_panics_doc)]

mod common;

use planform::walls::metrics::iou;
use planform::walls::outline::{OutlineOptions, outlines};
use planform::walls::output::{OutputOptions, outlines_geojson};
use planform::walls::{DecodeOptions, read_mask};

fn masks(sub: &str) -> Vec<std::path::PathBuf> {
    let Some(corpus) = common::corpus() else {
        return Vec::new();
    };
    common::files_below(&corpus.join("floorplans").join(sub))
        .into_iter()
        .filter(|p| p.to_string_lossy().ends_with("_wall.png"))
        .collect()
}

#[test]
fn r3d_outlines_are_exact_at_zero_tolerance_and_pixel_exact_by_default() {
    let files = masks("r3d");
    if files.is_empty() {
        return;
    }
    assert_eq!(files.len(), 40);
    let (mut sum, mut min, mut raw, mut kept) = (0.0, 1.0f64, 0usize, 0usize);
    for f in &files {
        let m = read_mask(f, &DecodeOptions::default()).unwrap();
        let exact = outlines(
            &m,
            &OutlineOptions {
                tolerance: 0.0,
                ..OutlineOptions::default()
            },
        )
        .unwrap();
        assert_eq!(iou(&m, &exact.polygons, 4), 1.0, "{}", f.display());
        let o = outlines(&m, &OutlineOptions::default()).unwrap();
        // every pixel centre keeps its side: IoU exactly 1 at pixel-centre sampling
        assert_eq!(iou(&m, &o.polygons, 1), 1.0, "{}", f.display());
        let v = iou(&m, &o.polygons, 4);
        sum += v;
        min = min.min(v);
        raw += o.raw_vertex_count;
        kept += o.vertex_count;
    }
    let mean = sum / files.len() as f64;
    let ratio = kept as f64 / raw as f64;
    eprintln!(
        "R3D outline, tolerance 0.5: IoU@4x4 mean {mean:.5} min {min:.5}; vertices {kept}/{raw} = {ratio:.3}"
    );
    assert!(mean >= 0.995, "mean IoU {mean}");
    assert!(min >= 0.98, "min IoU {min}");
    assert!(ratio <= 0.15, "vertex ratio {ratio}");
}

#[test]
fn mlstruct_outlines_including_the_64_mpx_mask() {
    let files = masks("mlstruct");
    if files.is_empty() {
        return;
    }
    for f in &files {
        let m = read_mask(f, &DecodeOptions::default()).unwrap();
        let o = outlines(&m, &OutlineOptions::default()).unwrap();
        let k = if m.width() > 5000 { 1 } else { 2 };
        let v = iou(&m, &o.polygons, k);
        eprintln!(
            "{}: {}x{} IoU@{k} {v:.5}, {} polygons",
            f.display(),
            m.width(),
            m.height(),
            o.polygons.len()
        );
        assert!(v >= 0.98, "{}: {v}", f.display());
    }
}

#[test]
fn the_geojson_contract_holds_on_a_real_mask() {
    let files = masks("r2v");
    let Some(f) = files.first() else { return };
    let m = read_mask(f, &DecodeOptions::default()).unwrap();
    let o = outlines(&m, &OutlineOptions::default()).unwrap();
    let v = outlines_geojson(
        &o,
        &OutputOptions {
            px_per_m: Some(50.0),
            placement: None,
        },
    )
    .unwrap();
    assert_eq!(v["type"], "FeatureCollection");
    assert_eq!(v["planform"]["units"], "m");
    assert_eq!(v["planform"]["pxPerM"], 50.0);
    assert_eq!(v["planform"]["imageWidth"], m.width());
    let (w, h) = (f64::from(m.width()) / 50.0, f64::from(m.height()) / 50.0);
    for feat in v["features"].as_array().unwrap() {
        assert_eq!(feat["geometry"]["type"], "Polygon");
        assert_eq!(feat["properties"]["kind"], "wall");
        assert!(
            feat["properties"]["area"].as_f64().unwrap() > 0.0,
            "exterior rings run counter-clockwise"
        );
        for ring in feat["geometry"]["coordinates"].as_array().unwrap() {
            let ring = ring.as_array().unwrap();
            assert_eq!(ring.first(), ring.last(), "rings are closed");
            for p in ring {
                let (x, y) = (p[0].as_f64().unwrap(), p[1].as_f64().unwrap());
                assert!((0.0..=w).contains(&x) && (0.0..=h).contains(&y));
            }
        }
    }
}
