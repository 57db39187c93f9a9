//! Outline polygons are valid simple-feature polygons according to shapely
//! (GEOS): no self-intersections, holes inside their shells, correct
//! orientation, and the same area as the mask's pixels when exact.

#![allow(clippy::unwrap_used, clippy::missing_panics_doc)]

mod common;

use std::process::Command;

use planform::walls::outline::{OutlineOptions, outlines};
use planform::walls::output::{OutputOptions, outlines_geojson};
use planform::walls::{DecodeOptions, Mask, read_mask};

const CHECK: &str = r#"
import json, sys
from shapely.geometry import shape
from shapely.validation import explain_validity
bad = 0
for path in sys.argv[1:]:
    fc = json.load(open(path))
    for i, f in enumerate(fc["features"]):
        g = shape(f["geometry"])
        if not g.is_valid:
            print(path, i, explain_validity(g)); bad += 1
        if not g.exterior.is_ccw or any(r.is_ccw for r in g.interiors):
            print(path, i, "ring orientation"); bad += 1
        if abs(g.area - f["properties"]["area"]) > 1e-6 * max(1.0, g.area):
            print(path, i, "area", g.area, f["properties"]["area"]); bad += 1
print("checked", len(sys.argv) - 1, "files")
sys.exit(1 if bad else 0)
"#;

fn synthetic() -> Vec<(String, Mask)> {
    let mut s = 7u32;
    let mut noise = |p: u32| {
        Mask::from_fn(120, 90, |_, _| {
            s ^= s << 13;
            s ^= s >> 17;
            s ^= s << 5;
            s % 100 < p
        })
    };
    vec![
        ("noise20".into(), noise(20)),
        ("noise50".into(), noise(50)),
        ("noise80".into(), noise(80)),
        (
            "diagonals".into(),
            Mask::from_fn(100, 100, |x, y| (x + y) % 9 < 2 || x.abs_diff(y) % 13 == 0),
        ),
        (
            "disc".into(),
            Mask::from_fn(101, 101, |x, y| {
                let (dx, dy) = (f64::from(x) - 50.0, f64::from(y) - 50.0);
                (dx * dx + dy * dy).sqrt() < 40.0 && (dx * dx + dy * dy).sqrt() > 35.0
            }),
        ),
        (
            "checker".into(),
            Mask::from_fn(20, 20, |x, y| (x + y) % 2 == 0),
        ),
    ]
}

#[test]
fn outlines_are_valid_for_shapely() {
    let Some(py) = common::python_with(&["shapely"]) else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let mut masks = synthetic();
    if let Some(corpus) = common::corpus() {
        for f in common::files_below(&corpus.join("floorplans/r3d")) {
            if f.to_string_lossy().ends_with("_wall.png") {
                masks.push((
                    f.file_stem().unwrap().to_string_lossy().into_owned(),
                    read_mask(&f, &DecodeOptions::default()).unwrap(),
                ));
            }
        }
    }
    let mut paths = Vec::new();
    for (name, m) in &masks {
        for tol in [0.0, 0.5, 2.0] {
            let o = outlines(
                m,
                &OutlineOptions {
                    tolerance: tol,
                    ..OutlineOptions::default()
                },
            )
            .unwrap();
            let v = outlines_geojson(&o, &OutputOptions::default()).unwrap();
            let p = dir.path().join(format!("{name}_{tol}.geojson"));
            std::fs::write(&p, serde_json::to_vec(&v).unwrap()).unwrap();
            paths.push(p);
        }
    }
    let o = Command::new(py)
        .arg("-c")
        .arg(CHECK)
        .args(&paths)
        .output()
        .unwrap();
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(
        o.status.success(),
        "{out}{}",
        String::from_utf8_lossy(&o.stderr)
    );
    eprintln!("{}", out.trim());
}
