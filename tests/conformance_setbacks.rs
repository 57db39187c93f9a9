//! The parcel record and setback report of every fixture, written by the
//! `analyze` example, against shapely and pyproj: side lengths (geodesic)
//! and building-to-side distances (in the parcel's UTM zone) within 1 mm;
//! every buildable-envelope vertex at least its setback from every side;
//! every yard's ground rebuilt by shapely as the parcel intersected with
//! the half-planes of its definition, the same area within 0.01 m², valid
//! counter-clockwise geometry, no overlaps between yards or with the
//! building.

#![allow(clippy::unwrap_used, clippy::missing_panics_doc)]

mod common;

use std::process::Command;

use geo_types::LineString;
use planform::model::SitePlan;
use planform::site::{Layer, Minimums, Rasters, Road, SiteContext, SiteOptions, analyze};

#[test]
fn lengths_setbacks_and_yards_match_shapely_and_pyproj() {
    let Some(py) = common::python_with(&["shapely", "pyproj"]) else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let mut sets = Vec::new();
    for input in common::good_site_plans() {
        let out = dir.path().join(input.file_name().unwrap());
        let minimums = dir.path().join("minimums.json");
        std::fs::write(
            &minimums,
            br#"{"front": 20, "rear": 25, "interior": 5, "exterior": 10}"#,
        )
        .unwrap();
        let o = Command::new(common::example_bin("analyze"))
            .arg(&input)
            .arg(&out)
            .arg("--minimums")
            .arg(&minimums)
            .output()
            .unwrap();
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        sets.push(out.display().to_string());
    }
    let with_minimums: Vec<String> = sets
        .iter()
        .map(|s| format!("{s}|{}", dir.path().join("minimums.json").display()))
        .collect();
    let script = common::root().join("tests/conformance/setbacks_check.py");
    common::run_each(&py, script.to_str().unwrap(), &with_minimums);
    let script = common::root().join("tests/conformance/yards_check.py");
    common::run_each(&py, script.to_str().unwrap(), &sets);
}

/// A lot's outline in metres (front along y = 0), a point well inside it
/// for a 6 x 6 m house, and its name.
type Shape = (&'static str, Vec<(f64, f64)>, (f64, f64));

fn concave_shapes() -> Vec<Shape> {
    vec![
        (
            "L",
            vec![
                (0.0, 0.0),
                (30.0, 0.0),
                (30.0, 15.0),
                (15.0, 15.0),
                (15.0, 35.0),
                (0.0, 35.0),
            ],
            (7.0, 20.0),
        ),
        (
            "T",
            vec![
                (13.0, 0.0),
                (27.0, 0.0),
                (27.0, 20.0),
                (40.0, 20.0),
                (40.0, 32.0),
                (0.0, 32.0),
                (0.0, 20.0),
                (13.0, 20.0),
            ],
            (17.0, 6.0),
        ),
        (
            "U",
            vec![
                (0.0, 0.0),
                (40.0, 0.0),
                (40.0, 35.0),
                (28.0, 35.0),
                (28.0, 12.0),
                (12.0, 12.0),
                (12.0, 35.0),
                (0.0, 35.0),
            ],
            (17.0, 3.5),
        ),
        (
            "flag",
            vec![
                (0.0, 0.0),
                (5.0, 0.0),
                (5.0, 30.0),
                (25.0, 30.0),
                (25.0, 60.0),
                (-10.0, 60.0),
                (-10.0, 30.0),
                (0.0, 30.0),
            ],
            (4.0, 42.0),
        ),
        (
            "notched",
            vec![
                (0.0, 0.0),
                (25.0, 0.0),
                (25.0, 15.0),
                (20.0, 15.0),
                (20.0, 20.0),
                (25.0, 20.0),
                (25.0, 40.0),
                (0.0, 40.0),
            ],
            (8.0, 18.0),
        ),
    ]
}

/// Issue 14: the buildable envelope of forty concave lots (L, T, U, flag,
/// notched; two sizes, two bearings, with and without a street in front),
/// each under 10 ft on every side and under unequal minimums (front 25,
/// rear 20, interior side 5, exterior side 15 ft), analysed through the
/// library's one call, against shapely's exact construction: area within
/// 1 % or 0.5 m², `footprintFits` equal to shapely's containment. Half-plane
/// clipping came within 1 % on none of them.
#[test]
fn concave_lots_get_their_exact_envelope() {
    let Some(py) = common::python_with(&["shapely", "pyproj"]) else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let mut rules = Vec::new();
    for (i, text) in [
        r#"{"front": 10, "rear": 10, "interior": 10, "exterior": 10}"#,
        r#"{"front": 25, "rear": 20, "interior": 5, "exterior": 15}"#,
    ]
    .into_iter()
    .enumerate()
    {
        let path = dir.path().join(format!("minimums{i}.json"));
        std::fs::write(&path, text).unwrap();
        let m = Minimums::from_json(&serde_json::from_str(text).unwrap()).unwrap();
        rules.push((path, m));
    }
    let (lon0, lat0) = (-87.88_f64, 41.75_f64);
    let to_lonlat = |x: f64, y: f64| {
        let m_per_deg_lat = 111_132.0;
        let m_per_deg_lon = 111_320.0 * lat0.to_radians().cos();
        [lon0 + x / m_per_deg_lon, lat0 + y / m_per_deg_lat]
    };
    let mut sets = Vec::new();
    let mut n = 0;
    for (name, outline, house) in concave_shapes() {
        for scale in [1.0, 1.6] {
            for bearing in [0.0f64, 35.0] {
                for street in [true, false] {
                    let (sin, cos) = bearing.to_radians().sin_cos();
                    let place = |(x, y): (f64, f64)| {
                        let (x, y) = (x * scale, y * scale);
                        to_lonlat(x * cos - y * sin, x * sin + y * cos)
                    };
                    let mut ring: Vec<[f64; 2]> = outline.iter().copied().map(place).collect();
                    ring.push(ring[0]);
                    let (hx, hy) = (house.0 * scale, house.1 * scale);
                    let mut footprint: Vec<[f64; 2]> =
                        [(0.0, 0.0), (6.0, 0.0), (6.0, 6.0), (0.0, 6.0)]
                            .iter()
                            .map(|&(dx, dy)| {
                                place(((hx + dx - 3.0) / scale, (hy + dy - 3.0) / scale))
                            })
                            .collect();
                    footprint.push(footprint[0]);
                    let plan = serde_json::json!({"type": "FeatureCollection", "features": [
                        {"type": "Feature", "properties": {"catalogType": "parcel"},
                         "geometry": {"type": "Polygon", "coordinates": [ring]}},
                        {"type": "Feature", "properties": {"catalogType": "building"},
                         "geometry": {"type": "Polygon", "coordinates": [footprint]}},
                    ]});
                    let plan = SitePlan::from_slice(&serde_json::to_vec(&plan).unwrap()).unwrap();
                    let mut context = SiteContext::default();
                    if street {
                        let [a, b] = [place((-30.0, -8.0)), place((70.0, -8.0))];
                        context.roads = Layer::wgs84(vec![Road::named(
                            LineString::from(vec![(a[0], a[1]), (b[0], b[1])]),
                            "Test St",
                        )]);
                    }
                    for (k, (path, minimums)) in rules.iter().enumerate() {
                        let options = SiteOptions {
                            minimums: *minimums,
                            shade: false,
                            ..SiteOptions::default()
                        };
                        let mut out_plan = plan.clone();
                        analyze(&plan, &context, Rasters::default(), &options)
                            .unwrap_or_else(|e| panic!("{name}: {e}"))
                            .apply(&mut out_plan);
                        let out = dir.path().join(format!("lot{n}_{name}_{k}_out.json"));
                        std::fs::write(&out, out_plan.to_vec().unwrap()).unwrap();
                        sets.push(format!("{}|{}", out.display(), path.display()));
                    }
                    n += 1;
                }
            }
        }
    }
    assert_eq!(sets.len(), 80);
    let script = common::root().join("tests/conformance/setbacks_check.py");
    common::run_each(&py, script.to_str().unwrap(), &sets);
}
