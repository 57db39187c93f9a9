//! Whole parcel layers: `planform::site::Batch` and `analyze --batch`.
//!
//! - on the real Cambridge, MA lots (right-of-way polygon, street
//!   centrelines) and Ennis, TX parcels (EPSG:3857, TIGER roads), every
//!   row is the parcel's answer alone with the whole context (the layer as
//!   its fabric), through the library;
//! - `analyze --batch` on a generated block: the same rows on one thread
//!   and on two, GeoJSON and GeoPackage (GDAL's validator and the project's
//!   gate), one side row per side, an error row for a broken parcel, and
//!   nothing written for an unreadable layer.

#![allow(clippy::unwrap_used, clippy::missing_panics_doc)]

mod common;

use planform::model::SitePlan;
use planform::site::{
    Batch, BatchParcel, Layer, Minimums, Rasters, SiteContext, SiteOptions, analyze,
};

fn options() -> SiteOptions {
    SiteOptions {
        minimums: Minimums {
            front: Some(20.0),
            rear: Some(25.0),
            interior: Some(5.0),
            exterior: Some(10.0),
        },
        shade: false,
        ..SiteOptions::default()
    }
}

/// Every row against the lot's own analysis with the whole context.
fn rows_equal_alone(layer: &Layer<BatchParcel>, context: &SiteContext, id: &str) -> usize {
    let batch = Batch::new(layer, context, &options(), Some(id)).unwrap();
    let alone = SiteContext {
        parcels: Layer {
            crs: layer.crs,
            features: layer.features.iter().map(|p| p.polygon.clone()).collect(),
        },
        ..context.clone()
    };
    let mut fronts = 0;
    for (i, row) in batch.rows().enumerate() {
        assert_eq!(row.error, None, "{}", row.id);
        let site = analyze(
            &batch.plan(i).unwrap(),
            &alone,
            Rasters::default(),
            &options(),
        )
        .unwrap();
        let sides = site.parcel.sides.as_ref().unwrap();
        let roles: Vec<String> = sides
            .iter()
            .map(|s| s.role.as_ref().unwrap().as_str().to_owned())
            .collect();
        assert_eq!(row.roles, roles, "{}", row.id);
        let lengths: Vec<f64> = sides.iter().map(|s| s.length_m().unwrap()).collect();
        assert_eq!(row.lengths_m, lengths, "{}", row.id);
        assert_eq!(row.class.as_deref(), Some(site.class()), "{}", row.id);
        let env = site.buildable_envelope.as_ref().unwrap();
        assert_eq!(
            row.envelope_area_sqm,
            env.area_sqm.as_ref().and_then(serde_json::Number::as_f64),
            "{}",
            row.id
        );
        assert_eq!(row.footprint_fits, env.footprint_fits, "{}", row.id);
        let lines: Vec<_> = row.sides.iter().map(|s| s.line.clone()).collect();
        assert_eq!(lines, site.side_lines, "{}", row.id);
        fronts += usize::from(roles.iter().any(|r| r == "front"));
    }
    fronts
}

/// A reader of the corpus folder `site/DIR`'s files, or `None` without
/// the corpus.
fn corpus_site(dir: &str) -> Option<impl Fn(&str) -> SitePlan> {
    let d = common::corpus()?.join("site").join(dir);
    Some(move |f: &str| SitePlan::read(d.join(f)).unwrap())
}

#[test]
fn cambridge_rows_are_each_lots_answer_alone() {
    let Some(read) = corpus_site("cambridge_ma") else {
        return;
    };
    let layer = Layer::parcels_from(&read("cambridge_parcels_fy2014.geojson")).unwrap();
    assert_eq!(layer.features.len(), 147);
    let context = SiteContext {
        roads: Layer::roads_from(&read("cambridge_centerlines.geojson")).unwrap(),
        right_of_way: Layer::polygons_from(&read("cambridge_row_fy2014.geojson")).unwrap(),
        ..SiteContext::default()
    };
    let fronts = rows_equal_alone(&layer, &context, "ML");
    eprintln!("Cambridge: 147 rows equal to the lots alone, {fronts} with a front");
}

#[test]
fn ennis_rows_in_web_mercator_are_each_parcels_answer_alone() {
    let Some(read) = corpus_site("ennis_tx") else {
        return;
    };
    let layer = Layer::parcels_from(&read("parcels.geojson")).unwrap();
    assert!(matches!(layer.crs, planform::site::LayerCrs::Epsg(3857)));
    let context = SiteContext {
        roads: Layer::roads_from(&read("roads.geojson")).unwrap(),
        ..SiteContext::default()
    };
    let fronts = rows_equal_alone(&layer, &context, "id");
    eprintln!(
        "Ennis: {} rows equal to the parcels alone, {fronts} with a front",
        layer.features.len()
    );
}

#[test]
fn analyze_batch_writes_the_same_rows_on_any_number_of_threads() {
    let dir = tempfile::tempdir().unwrap();
    let (parcels, roads, houses) = common::write_block(dir.path(), 30);
    let minimums = common::fixture("analyzed/minimums.json");
    let run = |out: &str, sides: &str, threads: &str| {
        let (out, sides) = (dir.path().join(out), dir.path().join(sides));
        let o = common::batch_cli(&[
            parcels.as_os_str(),
            out.as_os_str(),
            "--sides".as_ref(),
            sides.as_os_str(),
            "--roads".as_ref(),
            roads.as_os_str(),
            "--buildings".as_ref(),
            houses.as_os_str(),
            "--minimums".as_ref(),
            minimums.as_os_str(),
            "--id-field".as_ref(),
            "PIN".as_ref(),
            "--threads".as_ref(),
            threads.as_ref(),
        ]);
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        (std::fs::read(out).unwrap(), std::fs::read(sides).unwrap())
    };
    let one = run("one.geojson", "one_sides.geojson", "1");
    let two = run("two.geojson", "two_sides.geojson", "2");
    assert_eq!(one, two, "the rows depend on the threads");
    let doc: serde_json::Value = serde_json::from_slice(&one.0).unwrap();
    let rows = doc["features"].as_array().unwrap();
    assert_eq!(rows.len(), 60);
    assert_eq!(rows[0]["properties"]["PIN"], "0-0");
    assert_eq!(rows[59]["properties"]["PIN"], "1-29");
    for r in rows {
        let p = &r["properties"];
        assert_eq!(p["error"], serde_json::Value::Null);
        assert_eq!(p["total_sides"], 4);
        assert_eq!(
            p["roles"]
                .as_array()
                .unwrap()
                .iter()
                .filter(|r| *r == "front")
                .count(),
            1,
            "{p}"
        );
        assert_eq!(p["footprint_fits"], true, "{p}");
        assert_eq!(p["envelope"]["type"], "MultiPolygon");
        assert!(p["envelope_area_sqm"].as_f64().unwrap() > 100.0, "{p}");
    }
    let sides: serde_json::Value = serde_json::from_slice(&one.1).unwrap();
    assert_eq!(sides["features"].as_array().unwrap().len(), 240);
}

#[test]
fn analyze_batch_geopackages_pass_the_gates() {
    let dir = tempfile::tempdir().unwrap();
    let (parcels, roads, houses) = common::write_block(dir.path(), 4);
    let minimums = common::fixture("analyzed/minimums.json");
    let out = dir.path().join("county.gpkg");
    let o = common::batch_cli(&[
        parcels.as_os_str(),
        out.as_os_str(),
        "--sides".as_ref(),
        out.as_os_str(),
        "--roads".as_ref(),
        roads.as_os_str(),
        "--buildings".as_ref(),
        houses.as_os_str(),
        "--minimums".as_ref(),
        minimums.as_os_str(),
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(std::fs::metadata(&out).unwrap().len() > 0);
    let Some(py) = common::python_with(&["osgeo", "osgeo_utils.samples.validate_gpkg"]) else {
        return;
    };
    let f = out.display().to_string();
    common::run_each(
        &py,
        "module:osgeo_utils.samples.validate_gpkg",
        &[format!("--extra|--warning-as-error|{f}")],
    );
    common::run_each(
        &py,
        common::root()
            .join("tests/conformance/gpkg_gate.py")
            .to_str()
            .unwrap(),
        &[f],
    );
}

#[test]
fn a_broken_parcel_is_a_row_and_a_broken_layer_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let (parcels, _, _) = common::write_block(dir.path(), 2);
    // one parcel of two points among the lots
    let mut doc: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&parcels).unwrap()).unwrap();
    doc["features"][1]["geometry"]["coordinates"] =
        serde_json::json!([[[-96.62, 32.33], [-96.6199, 32.33], [-96.62, 32.33]]]);
    std::fs::write(&parcels, serde_json::to_vec(&doc).unwrap()).unwrap();
    let out = dir.path().join("out.geojson");
    let o = common::batch_cli(&[
        parcels.as_os_str(),
        out.as_os_str(),
        "--id-field".as_ref(),
        "id".as_ref(),
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let rows: serde_json::Value = serde_json::from_slice(&std::fs::read(&out).unwrap()).unwrap();
    let rows = rows["features"].as_array().unwrap();
    assert_eq!(rows.len(), 4);
    assert_eq!(rows[1]["properties"]["id"], "lot-0-1");
    assert!(
        rows[1]["properties"]["error"]
            .as_str()
            .is_some_and(|e| e.contains("three sides")),
        "{}",
        rows[1]
    );
    assert!(
        rows.iter()
            .enumerate()
            .all(|(i, r)| (i == 1) != r["properties"]["error"].is_null())
    );
    // a layer that is not JSON: exit 1, and the output left as it was
    let bad = dir.path().join("bad.geojson");
    std::fs::write(&bad, b"{\"type\": \"FeatureCollection\", \"features\": [").unwrap();
    let kept = dir.path().join("kept.geojson");
    std::fs::write(&kept, b"mine").unwrap();
    let o = common::batch_cli(&[bad.as_os_str(), kept.as_os_str()]);
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).contains("bad.geojson"));
    assert_eq!(std::fs::read(&kept).unwrap(), b"mine");
    // a GeoJSON text sequence reads as the same layer
    let seq = dir.path().join("lots.geojsonl");
    let lines: Vec<String> = doc["features"]
        .as_array()
        .unwrap()
        .iter()
        .map(std::string::ToString::to_string)
        .collect();
    std::fs::write(&seq, lines.join("\n")).unwrap();
    let out2 = dir.path().join("out2.geojson");
    let o = common::batch_cli(&[
        seq.as_os_str(),
        out2.as_os_str(),
        "--id-field".as_ref(),
        "id".as_ref(),
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert_eq!(std::fs::read(&out).unwrap(), std::fs::read(&out2).unwrap());
}
