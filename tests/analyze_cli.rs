//! The `analyze` example: a site plan's parcel record, and fabric-wide
//! side labels in zoneR's tidyparcel shape.

#![allow(clippy::unwrap_used, clippy::missing_panics_doc)]

mod common;

use std::process::{Command, Output};

fn analyze(args: &[&std::ffi::OsStr]) -> Output {
    Command::new(common::example_bin("analyze"))
        .args(args)
        .output()
        .unwrap()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// The fence stays on the parcel's bounding box, is not longer than its
/// perimeter and a half (the returns), and new + reused = total.
fn check_fence(name: &str, ours: &serde_json::Value) {
    // the fence stays on the parcel's bounding box and is not longer
    // than its perimeter plus its width (the returns)
    let fl = &ours["analysis"]["fenceLayout"];
    let lines = fl["lines"].as_array().unwrap();
    assert!(!lines.is_empty(), "{name}");
    let ring = ours["features"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["properties"]["catalogType"] == "parcel")
        .unwrap()["geometry"]["coordinates"][0]
        .as_array()
        .unwrap()
        .clone();
    let (mut x0, mut y0, mut x1, mut y1) = (f64::MAX, f64::MAX, f64::MIN, f64::MIN);
    for p in &ring {
        let (x, y) = (p[0].as_f64().unwrap(), p[1].as_f64().unwrap());
        (x0, y0, x1, y1) = (x0.min(x), y0.min(y), x1.max(x), y1.max(y));
    }
    for l in lines {
        for p in l.as_array().unwrap() {
            let (x, y) = (p[0].as_f64().unwrap(), p[1].as_f64().unwrap());
            assert!(x >= x0 - 1e-6 && x <= x1 + 1e-6 && y >= y0 - 1e-6 && y <= y1 + 1e-6);
        }
    }
    let perimeter: f64 = ours["parcel"]["sides"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["measuredLengthMeters"].as_f64().unwrap())
        .sum();
    let total_m = fl["totalLengthFeet"].as_f64().unwrap() * 0.3048;
    assert!(
        total_m > 0.0 && total_m < perimeter * 1.5,
        "{name}: {total_m} m"
    );
    assert!(
        (fl["newLengthFeet"].as_f64().unwrap() + fl["reusedLengthFeet"].as_f64().unwrap()
            - fl["totalLengthFeet"].as_f64().unwrap())
        .abs()
            < 0.11
    );
}

#[test]
fn the_parcel_record_in_the_services_shape() {
    let dir = tempfile::tempdir().unwrap();
    for name in ["culdesac_lot", "flag_lot", "interior_lot"] {
        let input = common::fixture(&format!("site/{name}.json"));
        let out = dir.path().join(format!("{name}.json"));
        let pts = dir.path().join(format!("{name}_shade.geojson"));
        // --replace: planform's own inference, compared with the service's
        let o = analyze(&[
            input.as_os_str(),
            out.as_os_str(),
            "--shade-points".as_ref(),
            pts.as_os_str(),
            "--replace".as_ref(),
        ]);
        assert!(o.status.success(), "{}", stderr(&o));
        let ours = common::json_value(&std::fs::read(&out).unwrap());
        let given = common::json_value(&std::fs::read(&input).unwrap());
        // the fixtures carry the service's record: the same class, roles,
        // relations and lengths (to 1 cm), side by side in ring order
        assert_eq!(
            ours["parcel"]["classification"]["type"], given["parcel"]["classification"]["type"],
            "{name}"
        );
        assert_eq!(ours["parcel"]["classification"]["source"], "planform");
        let key = |s: &serde_json::Value| {
            (
                s["role"].as_str().unwrap().to_owned(),
                s["relation"].as_str().unwrap().to_owned(),
                (s["measuredLengthMeters"].as_f64().unwrap() * 100.0).round() as i64,
            )
        };
        let mut a: Vec<_> = ours["parcel"]["sides"]
            .as_array()
            .unwrap()
            .iter()
            .map(key)
            .collect();
        let mut b: Vec<_> = given["parcel"]["sides"]
            .as_array()
            .unwrap()
            .iter()
            .map(key)
            .collect();
        a.sort();
        b.sort();
        for (x, y) in a.iter().zip(&b) {
            assert_eq!((&x.0, &x.1), (&y.0, &y.1), "{name}");
            assert!((x.2 - y.2).abs() <= 1, "{name}: {x:?} vs {y:?}");
        }
        // everything else is kept
        assert_eq!(ours["features"], given["features"]);
        // the heat-map points: one per ground sample, hours within the day
        let pts = common::json_value(&std::fs::read(&pts).unwrap());
        let features = pts["features"].as_array().unwrap();
        assert!(features.len() > 100, "{name}");
        assert!(features.iter().all(|f| {
            let h = f["properties"]["sunHours"].as_f64().unwrap();
            (0.0..=24.0).contains(&h)
        }));
        // yards name the sides of their roles
        let yards = ours["yards"].as_array().unwrap();
        let front = yards.iter().find(|y| y["kind"] == "front").unwrap();
        for id in front["boundingSideIds"].as_array().unwrap() {
            let side = ours["parcel"]["sides"]
                .as_array()
                .unwrap()
                .iter()
                .find(|s| &s["id"] == id)
                .unwrap();
            assert_eq!(side["role"], "front");
        }
        check_fence(name, &ours);
    }
    // no polygon: a clear error, nothing written
    let bad = dir.path().join("points.json");
    std::fs::write(
        &bad,
        br#"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{},"geometry":{"type":"Point","coordinates":[1,2]}}]}"#,
    )
    .unwrap();
    let out = dir.path().join("bad_out.json");
    let o = analyze(&[bad.as_os_str(), out.as_os_str()]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("no parcel feature"), "{}", stderr(&o));
    assert!(!out.exists());
}

#[test]
fn label_sides_fills_only_unknown_and_withheld() {
    let Some(c) = common::corpus() else { return };
    let input = c.join("site/paradise_tx/Paradise.parcel");
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("paradise.geojson");
    let o = analyze(&["--label-sides".as_ref(), input.as_os_str(), out.as_os_str()]);
    assert!(o.status.success(), "{}", stderr(&o));
    let a = common::json_value(&std::fs::read(&input).unwrap());
    let b = common::json_value(&std::fs::read(&out).unwrap());
    let (fa, fb) = (
        a["features"].as_array().unwrap(),
        b["features"].as_array().unwrap(),
    );
    assert_eq!(fa.len(), fb.len());
    let words = ["front", "rear", "interior side", "exterior side", "unknown"];
    for (x, y) in fa.iter().zip(fb) {
        assert_eq!(x["geometry"], y["geometry"]);
        assert_eq!(x["properties"]["parcel_id"], y["properties"]["parcel_id"]);
        let (before, after) = (
            x["properties"]["side"].as_str().unwrap(),
            y["properties"]["side"].as_str().unwrap(),
        );
        if x["geometry"]["type"] == "LineString" {
            assert!(words.contains(&after), "{after}");
            if before != "unknown" && before != "withheld" {
                assert_eq!(before, after);
            }
        } else {
            assert_eq!(x, y);
        }
    }
    assert!(!fb.iter().any(|f| f["properties"]["side"] == "withheld"));
}

#[test]
fn degenerate_and_huge_parcels_are_errors_or_results_never_panics() {
    let dir = tempfile::tempdir().unwrap();
    let cases = [
        // a ring with two distinct points
        "[[0,0],[0.0001,0],[0,0]]",
        // zero area (collinear)
        "[[0,0],[0.0001,0],[0.0002,0],[0,0]]",
        // a bow tie
        "[[0,0],[0.0002,0.0002],[0.0002,0],[0,0.0002],[0,0]]",
        // repeated vertices
        "[[0,0],[0,0],[0.0002,0],[0.0002,0],[0.0002,0.0002],[0,0.0002],[0,0]]",
        // a 2° × 2° "parcel" (about 200 km across)
        "[[0,0],[2,0],[2,2],[0,2],[0,0]]",
    ];
    for (i, ring) in cases.iter().enumerate() {
        let input = dir.path().join(format!("case{i}.json"));
        std::fs::write(
            &input,
            format!(
                r#"{{"type":"FeatureCollection","features":[
                  {{"type":"Feature","properties":{{"catalogType":"parcel"}},"geometry":{{"type":"Polygon","coordinates":[{ring}]}}}},
                  {{"type":"Feature","properties":{{"catalogType":"building","attrs":{{"heightM":5}}}},"geometry":{{"type":"Polygon","coordinates":[[[0.00005,0.00005],[0.0001,0.00005],[0.0001,0.0001],[0.00005,0.00005]]]}}}}]}}"#
            ),
        )
        .unwrap();
        let out = dir.path().join(format!("out{i}.json"));
        let o = analyze(&[input.as_os_str(), out.as_os_str()]);
        let err = stderr(&o);
        assert!(
            o.status.code() == Some(0)
                || (o.status.code() == Some(1) && err.starts_with("error: ")),
            "case {i}: {:?} {err}",
            o.status
        );
        assert!(!err.contains("panicked"), "case {i}: {err}");
        assert_eq!(out.exists(), o.status.success(), "case {i}");
    }
}

#[test]
fn context_layers_of_the_wrong_kind_are_errors() {
    let dir = tempfile::tempdir().unwrap();
    let input = common::fixture("site/interior_lot.json");
    let lines = dir.path().join("lines.geojson");
    std::fs::write(
        &lines,
        r#"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"FULLNAME":"Main St"},"geometry":{"type":"LineString","coordinates":[[0,0],[0.001,0]]}}]}"#,
    )
    .unwrap();
    let polygons = dir.path().join("polygons.geojson");
    std::fs::write(
        &polygons,
        r#"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{},"geometry":{"type":"Polygon","coordinates":[[[0,0],[0.001,0],[0.001,0.001],[0,0]]]}}]}"#,
    )
    .unwrap();
    let out = dir.path().join("out.json");
    // polygons as roads and lines as right-of-way
    for (flag, layer) in [("--roads", polygons.clone()), ("--row", lines.clone())] {
        let o = analyze(&[
            input.as_os_str(),
            out.as_os_str(),
            flag.as_ref(),
            layer.as_os_str(),
        ]);
        let err = stderr(&o);
        assert_eq!(o.status.code(), Some(1), "{flag}: {err}");
        assert!(
            err.contains("no ") && err.contains(" in it"),
            "{flag}: {err}"
        );
        assert!(!out.exists(), "{flag}");
    }
    // the same layers the right way round are read (and, being half the
    // world away from the lot, left out quickly: projected into the lot's
    // UTM zone their segments once spanned 10^11 grid cells)
    let o = analyze(&[
        input.as_os_str(),
        out.as_os_str(),
        "--roads".as_ref(),
        lines.as_os_str(),
        "--row".as_ref(),
        polygons.as_os_str(),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
}

/// Every position below `v` through `f`.
fn project(v: &mut serde_json::Value, f: &planform::model::LocalFrame) {
    match v {
        serde_json::Value::Array(a)
            if a.len() >= 2 && a.iter().all(serde_json::Value::is_number) =>
        {
            let (x, y) = f
                .forward(a[0].as_f64().unwrap(), a[1].as_f64().unwrap())
                .unwrap();
            *v = serde_json::json!([x, y]);
        }
        serde_json::Value::Array(a) => a.iter_mut().for_each(|x| project(x, f)),
        serde_json::Value::Object(m) => m.values_mut().for_each(|x| project(x, f)),
        _ => {}
    }
}

#[test]
fn a_projected_plan_gets_its_yards_fence_and_envelope_in_its_own_crs() {
    use planform::model::LocalFrame;
    let dir = tempfile::tempdir().unwrap();
    let wgs_in = common::fixture("site/interior_lot.json");
    // the same plan in EPSG:3857, as county layers come
    let mut doc: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&wgs_in).unwrap()).unwrap();
    let merc = LocalFrame::from_epsg(3857).unwrap();
    for f in doc["features"].as_array_mut().unwrap() {
        project(&mut f["geometry"], &merc);
    }
    for k in ["parcel", "yards", "gates", "analysis"] {
        doc.as_object_mut().unwrap().remove(k);
    }
    doc["crs"] = serde_json::json!({"type": "name", "properties": {"name": "EPSG:3857"}});
    let merc_in = dir.path().join("merc.json");
    std::fs::write(&merc_in, serde_json::to_vec(&doc).unwrap()).unwrap();
    let minimums = dir.path().join("minimums.json");
    std::fs::write(&minimums, br#"{"front": 20, "rear": 25, "interior": 5}"#).unwrap();
    let run = |input: &std::path::Path, name: &str| -> serde_json::Value {
        let out = dir.path().join(name);
        // --replace: the WGS84 plan's own yards and gates are recomputed as
        // the projected copy's (which has none) are
        let o = analyze(&[
            input.as_os_str(),
            out.as_os_str(),
            "--minimums".as_ref(),
            minimums.as_os_str(),
            "--replace".as_ref(),
        ]);
        assert!(o.status.success(), "{}", stderr(&o));
        serde_json::from_slice(&std::fs::read(out).unwrap()).unwrap()
    };
    let wgs = run(&wgs_in, "wgs.json");
    let mer = run(&merc_in, "merc_out.json");
    for part in [
        &["yards"][..],
        &["gates"][..],
        &["analysis", "fenceLayout", "lines"][..],
        &["analysis", "buildableEnvelope", "geometry"][..],
    ] {
        let get = |d: &serde_json::Value| part.iter().fold(d.clone(), |v, k| v[*k].clone());
        let (mut a, mut b) = (Vec::new(), Vec::new());
        common::positions(&get(&wgs), &mut a);
        common::positions(&get(&mer), &mut b);
        // (no fixture's driveway crosses its fence: no gates to compare)
        assert!(!a.is_empty() || part == ["gates"], "{part:?}");
        assert_eq!(a.len(), b.len(), "{part:?}");
        for (p, q) in a.iter().zip(&b) {
            // the projected plan's output is in metres; back to degrees it
            // lands where the WGS84 plan's does (both rounded, 1e-7° / 1 mm)
            assert!(q.0.abs() > 1000.0, "{part:?}: {q:?} is not in EPSG:3857");
            let (lon, lat) = merc.inverse(q.0, q.1).unwrap();
            assert!(
                (lon - p.0).abs() < 2e-7 && (lat - p.1).abs() < 2e-7,
                "{part:?}: {p:?} vs {lon},{lat}"
            );
        }
    }
}

/// Issue 14: the lot grade comes from the terrain (`--dtm`) only; a surface
/// model (`--dsm`: roofs, trees) casts shadows and gives no grade (with the
/// Delft DSM the "grade" was 38.3° and 6.1 m of relief: the roofs).
#[test]
fn the_grade_comes_from_the_terrain_only() {
    let dir = tempfile::tempdir().unwrap();
    let input = common::fixture("site/interior_lot.json");
    let dem = common::fixture("dem/interior_lot_dtm.tif");
    let out = dir.path().join("dtm.json");
    let o = analyze(&[input.as_ref(), out.as_ref(), "--dtm".as_ref(), dem.as_ref()]);
    assert!(o.status.success(), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_slice(&std::fs::read(&out).unwrap()).unwrap();
    let grade = &v["analysis"]["lotGrade"];
    // a plane falling 0.1 m per metre to the south: atan(0.1) = 5.71°
    let slope = grade["meanSlopeDeg"].as_f64().unwrap();
    assert!((slope - 0.1f64.atan().to_degrees()).abs() < 0.01, "{grade}");
    assert_eq!(grade["dominantAspect"], "south", "{grade}");
    let out = dir.path().join("dsm.json");
    let o = analyze(&[input.as_ref(), out.as_ref(), "--dsm".as_ref(), dem.as_ref()]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stderr(&o).contains("no lot grade"), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_slice(&std::fs::read(&out).unwrap()).unwrap();
    // the service's own grade, as the input had it: nothing from the DSM
    let before: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&input).unwrap()).unwrap();
    assert_eq!(v["analysis"]["lotGrade"], before["analysis"]["lotGrade"]);
    assert!(v["analysis"].get("shadeReport").is_some());
}

/// Issue 14: a layer of several parcels is an error naming how many (it
/// used to analyse the first one silently).
#[test]
fn several_parcels_are_an_error_naming_how_many() {
    let dir = tempfile::tempdir().unwrap();
    let square = |x: f64| {
        serde_json::json!({"type": "Feature", "properties": {"APN": x},
            "geometry": {"type": "Polygon", "coordinates": [[[x, 41.75], [x + 0.0003, 41.75], [x + 0.0003, 41.7503], [x, 41.7503], [x, 41.75]]]}})
    };
    let layer = serde_json::json!({"type": "FeatureCollection",
        "features": [square(-87.88), square(-87.879), square(-87.878)]});
    let input = dir.path().join("layer.geojson");
    std::fs::write(&input, serde_json::to_vec(&layer).unwrap()).unwrap();
    let out = dir.path().join("out.json");
    let o = analyze(&[input.as_ref(), out.as_ref()]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("3 parcels"), "{}", stderr(&o));
    assert!(!out.exists());
}

/// Issue 14: what the service detected is kept (the corner lot's `corner`
/// from vision-qa at 0.88, its street sides, its two gates), and its side
/// roles drive the analysis; `--replace` recomputes from the geometry
/// alone (without roads: a rectangular lot, no gates where no driveway
/// crosses the fence).
#[test]
fn the_services_evidence_is_kept_unless_replaced() {
    let dir = tempfile::tempdir().unwrap();
    let input = common::fixture("site/corner_lot.json");
    let given = common::json_value(&std::fs::read(&input).unwrap());
    let out = dir.path().join("kept.json");
    let o = analyze(&[input.as_ref(), out.as_ref()]);
    assert!(o.status.success(), "{}", stderr(&o));
    let kept = common::json_value(&std::fs::read(&out).unwrap());
    assert_eq!(
        kept["parcel"]["classification"],
        given["parcel"]["classification"]
    );
    for (k, g) in kept["parcel"]["sides"]
        .as_array()
        .unwrap()
        .iter()
        .zip(given["parcel"]["sides"].as_array().unwrap())
    {
        for key in ["id", "index", "role", "relation"] {
            assert_eq!(k[key], g[key], "{key}");
        }
        // the length is planform's geodesic measurement (the service rounds)
        assert!(
            (k["measuredLengthMeters"].as_f64().unwrap()
                - g["measuredLengthMeters"].as_f64().unwrap())
            .abs()
                < 0.05
        );
    }
    assert_eq!(kept["gates"], given["gates"]);
    for (k, g) in kept["yards"]
        .as_array()
        .unwrap()
        .iter()
        .zip(given["yards"].as_array().unwrap())
    {
        assert_eq!(k["id"], g["id"]);
        assert_eq!(k["boundingSideIds"], g["boundingSideIds"]);
        assert!(k["geometry"].is_object(), "planform's ground added: {k}");
    }
    let out = dir.path().join("replaced.json");
    let o = analyze(&[input.as_ref(), out.as_ref(), "--replace".as_ref()]);
    assert!(o.status.success(), "{}", stderr(&o));
    let replaced = common::json_value(&std::fs::read(&out).unwrap());
    assert_eq!(replaced["parcel"]["classification"]["source"], "planform");
    assert_ne!(
        replaced["parcel"]["classification"],
        given["parcel"]["classification"]
    );
}

#[test]
fn buildings_around_the_lot_cast_shadows() {
    let dir = tempfile::tempdir().unwrap();
    let input = common::fixture("site/interior_lot.json");
    let plan: serde_json::Value = serde_json::from_slice(&std::fs::read(&input).unwrap()).unwrap();
    // a 30 m block 10–40 m south of the lot's southernmost point
    let mut pts = Vec::new();
    for f in plan["features"].as_array().unwrap() {
        if f["properties"]["catalogType"] == "parcel" {
            common::positions(&f["geometry"]["coordinates"], &mut pts);
        }
    }
    let lon = pts.iter().map(|p| p.0).sum::<f64>() / pts.len() as f64;
    let lat = pts.iter().map(|p| p.1).fold(f64::INFINITY, f64::min);
    let (dy, dx) = (1.0 / 111_000.0, 1.0 / (111_000.0 * lat.to_radians().cos()));
    let block = serde_json::json!({"type": "FeatureCollection", "features": [{"type": "Feature",
        "properties": {"heightM": 30},
        "geometry": {"type": "Polygon", "coordinates": [[
            [lon - 40.0 * dx, lat - 40.0 * dy], [lon + 40.0 * dx, lat - 40.0 * dy],
            [lon + 40.0 * dx, lat - 10.0 * dy], [lon - 40.0 * dx, lat - 10.0 * dy],
            [lon - 40.0 * dx, lat - 40.0 * dy]]]}}]});
    let buildings = dir.path().join("buildings.geojson");
    std::fs::write(&buildings, serde_json::to_vec(&block).unwrap()).unwrap();
    let hours = |extra: &[&std::ffi::OsStr]| {
        let out = dir.path().join("out.json");
        let mut args: Vec<&std::ffi::OsStr> = vec![
            input.as_os_str(),
            out.as_os_str(),
            "--date".as_ref(),
            "2025-12-21".as_ref(),
        ];
        args.extend_from_slice(extra);
        let o = analyze(&args);
        assert!(o.status.success(), "{}", stderr(&o));
        let v: serde_json::Value = serde_json::from_slice(&std::fs::read(&out).unwrap()).unwrap();
        v["analysis"]["shadeReport"]["byYard"]
            .as_array()
            .unwrap()
            .iter()
            .map(|y| y["sunHoursPerDay"].as_f64().unwrap())
            .sum::<f64>()
    };
    let open = hours(&[]);
    let shaded = hours(&["--buildings".as_ref(), buildings.as_os_str()]);
    assert!(shaded < open - 1.0, "{shaded} vs {open}");
}
