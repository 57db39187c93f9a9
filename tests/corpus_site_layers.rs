//! Street frontages from a county's or a city's own layers, every parcel
//! analysed by the library's one call (`planform::site::analyze`, as the
//! `analyze` example does) and checked with shapely and pyproj:
//! - Ennis, TX (50 `StratMap` parcels with situs addresses, EPSG:3857, and
//!   the TIGER roads around them): `address_front_check.py` checks that
//!   each parcel whose address names a road passing within 30 m has its
//!   front on the side nearest that road;
//! - Cambridge, MA (147 assessor lots and the right-of-way polygon):
//!   `row_sides_check.py` checks that the sides along the right-of-way are
//!   the frontages (front, exterior side or rear) and no other side is a
//!   front or an exterior side; with the city's fences, driveways and
//!   pools around each lot, `fence_check.py` checks the fence layout's
//!   lengths (total, and reused within 1 m of a fence) and its gates.

#![allow(clippy::unwrap_used, clippy::missing_panics_doc)]

mod common;

use std::process::Command;

use planform::site::{Layer, Rasters, SiteContext, SiteOptions, analyze};

/// The shared site data's folder `name` and a Python with shapely and
/// pyproj, when both are here.
fn site_data(name: &str) -> Option<(std::path::PathBuf, std::path::PathBuf)> {
    Some((
        common::corpus()?.join("site").join(name),
        common::python_with(&["shapely", "pyproj"])?,
    ))
}

/// Each polygon feature of a layer alone, as a `FeatureCollection` in the
/// layer's CRS.
fn one_by_one(layer: &std::path::Path) -> Vec<serde_json::Value> {
    let doc = common::json_value(&std::fs::read(layer).unwrap());
    doc["features"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            let mut one = serde_json::json!({"type": "FeatureCollection", "features": [f]});
            if !doc["crs"].is_null() {
                one["crs"] = doc["crs"].clone();
            }
            one
        })
        .collect()
}

/// A context layer read from a GeoJSON file: polygons, or roads.
fn layer(path: &std::path::Path) -> planform::model::SitePlan {
    planform::model::SitePlan::read(path).unwrap()
}

/// Analyses every document with `context` (two at a time, each through
/// [`analyze`]), writes each analysed plan into `dir`, and returns their
/// paths.
fn analyze_each(
    docs: &[serde_json::Value],
    dir: &std::path::Path,
    context: &SiteContext,
) -> Vec<String> {
    let options = SiteOptions {
        shade: false,
        ..SiteOptions::default()
    };
    let run = |i: usize| {
        let out = dir.join(format!("plan_{i}_analyzed.json"));
        let mut plan =
            planform::model::SitePlan::from_slice(&serde_json::to_vec(&docs[i]).unwrap()).unwrap();
        let site = analyze(&plan, context, Rasters::default(), &options)
            .unwrap_or_else(|e| panic!("plan {i}: {e}"));
        site.apply(&mut plan);
        std::fs::write(&out, plan.to_vec().unwrap()).unwrap();
        out.display().to_string()
    };
    let half = docs.len() / 2;
    std::thread::scope(|s| {
        let first = s.spawn(|| (0..half).map(run).collect::<Vec<_>>());
        let mut rest: Vec<String> = (half..docs.len()).map(run).collect();
        let mut all = first.join().unwrap();
        all.append(&mut rest);
        all
    })
}

/// Runs a checker on every output (with the extra argument, if any) in one
/// Python process; its stdout, after asserting that every run passed.
fn check_each(
    py: &std::path::Path,
    script: &str,
    outs: &[String],
    extra: Option<&std::path::Path>,
) -> String {
    let sets: Vec<String> = outs
        .iter()
        .map(|o| match extra {
            Some(e) => format!("{o}|{}", e.display()),
            None => o.clone(),
        })
        .collect();
    let o = Command::new(py)
        .arg(common::root().join("tests/conformance/run_each.py"))
        .arg(common::root().join("tests/conformance").join(script))
        .args(&sets)
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&o.stdout).into_owned();
    assert!(o.status.success(), "{text}");
    text
}

/// Every polygon of `lots` analysed alone with `context` and the fabric of
/// `lots` itself, then checked by `script` (given `file`, the context
/// layer's file, too); the checker's stdout.
fn each_alone_checked(
    py: &std::path::Path,
    lots: &std::path::Path,
    context: SiteContext,
    file: &std::path::Path,
    script: &str,
) -> String {
    let dir = tempfile::tempdir().unwrap();
    let context = SiteContext {
        parcels: Layer::polygons_from(&layer(lots)).unwrap(),
        ..context
    };
    let outs = analyze_each(&one_by_one(lots), dir.path(), &context);
    check_each(py, script, &outs, Some(file))
}

/// The bounding box of every position in a GeoJSON geometry.
fn bbox(g: &serde_json::Value) -> [f64; 4] {
    let mut pts = Vec::new();
    common::positions(&g["coordinates"], &mut pts);
    pts.iter().fold(
        [
            f64::INFINITY,
            f64::INFINITY,
            f64::NEG_INFINITY,
            f64::NEG_INFINITY,
        ],
        |b, (x, y)| [b[0].min(*x), b[1].min(*y), b[2].max(*x), b[3].max(*y)],
    )
}

#[test]
fn cambridge_fence_layouts_reuse_the_fences_and_gate_the_driveways() {
    let Some((c, py)) = site_data("cambridge_ma") else {
        return;
    };
    let (lots, row) = (
        c.join("cambridge_parcels_fy2014.geojson"),
        c.join("cambridge_row_fy2014.geojson"),
    );
    // each lot as a site plan with the fences, driveways and pools around
    // it (bounding boxes within about 3 m)
    let mut around = Vec::new();
    for (layer, kind) in [
        ("cambridge_fences.geojson", "fence"),
        ("cambridge_driveways.geojson", "driveway"),
        ("cambridge_swimmingpools.geojson", "pool"),
    ] {
        let doc = common::json_value(&std::fs::read(c.join(layer)).unwrap());
        for f in doc["features"].as_array().unwrap() {
            around.push((bbox(&f["geometry"]), kind, f["geometry"].clone()));
        }
    }
    let pad = 3e-5;
    let plans: Vec<serde_json::Value> = one_by_one(&lots)
        .into_iter()
        .map(|mut doc| {
            let lot = doc["features"][0]["geometry"].clone();
            let b = bbox(&lot);
            doc["features"][0]["properties"] = serde_json::json!({"catalogType": "parcel"});
            let features = doc["features"].as_array_mut().unwrap();
            for (fb, kind, g) in &around {
                if fb[0] <= b[2] + pad && fb[2] >= b[0] - pad && fb[1] <= b[3] + pad && fb[3] >= b[1] - pad {
                    features.push(serde_json::json!({"type": "Feature", "geometry": g, "properties": {"catalogType": kind}}));
                }
            }
            doc
        })
        .collect();
    let dir = tempfile::tempdir().unwrap();
    let context = SiteContext {
        right_of_way: Layer::polygons_from(&layer(&row)).unwrap(),
        parcels: Layer::polygons_from(&layer(&lots)).unwrap(),
        ..SiteContext::default()
    };
    let outs = analyze_each(&plans, dir.path(), &context);
    let text = check_each(&py, "fence_check.py", &outs, None);
    let layouts = text.matches(" ft reused, ").count();
    let gates: usize = text
        .lines()
        .filter_map(|l| l.strip_suffix(" gates"))
        .filter_map(|l| l.rsplit(' ').next()?.parse::<usize>().ok())
        .sum();
    eprintln!("Cambridge: {layouts} fence layouts, {gates} gates");
    // measured 2026-12-01: 143 layouts (the other 4 lots reach the street
    // at a corner only: no front, no layout) with 45 gates
    assert!(layouts >= 140, "{text}");
    assert!(gates >= 40, "{text}");
}

#[test]
fn cambridge_frontages_are_the_sides_along_the_right_of_way() {
    let Some((c, py)) = site_data("cambridge_ma") else {
        return;
    };
    let (lots, row) = (
        c.join("cambridge_parcels_fy2014.geojson"),
        c.join("cambridge_row_fy2014.geojson"),
    );
    let context = SiteContext {
        right_of_way: Layer::polygons_from(&layer(&row)).unwrap(),
        ..SiteContext::default()
    };
    let text = each_alone_checked(&py, &lots, context, &row, "row_sides_check.py");
    // measured 2026-12-01: 147 lots, every one with a side along the
    // right-of-way and its one front there
    let along = text.matches(" along the right-of-way, roles").count();
    eprintln!("Cambridge: {along} lots checked");
    assert_eq!(along, 147, "{text}");
}

#[test]
fn ennis_fronts_face_the_street_of_the_address() {
    let Some((ennis, py)) = site_data("ennis_tx") else {
        return;
    };
    let (parcels, roads) = (ennis.join("parcels.geojson"), ennis.join("roads.geojson"));
    let context = SiteContext {
        roads: Layer::roads_from(&layer(&roads)).unwrap(),
        ..SiteContext::default()
    };
    let text = each_alone_checked(&py, &parcels, context, &roads, "address_front_check.py");
    // measured 2026-12-01: 33 of the 50 addresses name a road within 30 m
    // (the rest have none, or a name written otherwise), all 33 fronts on
    // it; without the addresses 12 of them were not
    let checked = text.matches("nearest the named road").count();
    eprintln!("Ennis: {checked} fronts on the street of their address");
    assert!(checked >= 30, "{text}");
}

#[test]
fn ennis_as_one_layer_labelled_with_its_roads() {
    let Some((ennis, py)) = site_data("ennis_tx") else {
        return;
    };
    let (parcels, roads) = (ennis.join("parcels.geojson"), ennis.join("roads.geojson"));
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("labelled.geojson");
    let o = Command::new(common::example_bin("analyze"))
        .arg("--label-sides")
        .arg(&parcels)
        .arg(&out)
        .arg("--roads")
        .arg(&roads)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let text = check_each(
        &py,
        "address_front_check.py",
        &[out.display().to_string()],
        Some(&roads),
    );
    // measured 2026-12-01: the same 33 parcels as one at a time, all
    // fronting their addressed street (the EPSG:3857 layer read as such;
    // without the roads every side of these scattered lots was a street)
    let checked = text.matches("nearest the named road").count();
    eprintln!("Ennis layer: {checked} fronts on the street of their address");
    assert!(checked >= 30, "{text}");
}
