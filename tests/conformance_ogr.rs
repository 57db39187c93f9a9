//! The `gdal` feature against GDAL itself and against planform's own
//! readers: every fixture written through OGR (SpatiaLite-free SQLite,
//! several layers; a Shapefile directory) reads back through GDAL's Python
//! bindings with the input's features, coordinates and attributes; county
//! layers read through OGR (EPSG:3857 GeoJSON, a Shapefile made by
//! `ogr2ogr`) agree with planform's own reading and unprojection.

#![allow(clippy::unwrap_used, clippy::missing_panics_doc)]

mod common;

use std::process::Command;

use planform::export::ogr::{read_ogr, write_ogr};
use planform::model::{GeometryValue, LocalFrame, SitePlan};

fn positions(p: &SitePlan) -> Vec<(f64, f64)> {
    let mut v = Vec::new();
    for f in &p.features {
        if let Some(g) = &f.geometry {
            g.for_each_position(&mut |q| v.push((q.x(), q.y())));
        }
    }
    v
}

#[test]
fn fixtures_written_through_ogr_read_back_through_gdal() {
    let Some(py) = common::python_with(&["osgeo"]) else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let script = common::root().join("tests/conformance/gpkg_roundtrip.py");
    let mut sets = Vec::new();
    for input in common::good_site_plans() {
        let d = common::site_drawing(&input, true);
        let stem = input.file_stem().unwrap().to_string_lossy().into_owned();
        let out = dir.path().join(format!("{stem}.sqlite"));
        write_ogr(&d, &out, None).unwrap();
        sets.push(format!("{}|{}", input.display(), out.display()));
        // single-layer formats: refused as one file, written as a directory
        let shp = dir.path().join(format!("{stem}.shp"));
        let e = write_ogr(&d, &shp, None).unwrap_err().to_string();
        assert!(e.contains("one layer per file"), "{e}");
        assert!(!shp.exists());
        let shp_dir = dir.path().join(format!("{stem}_shp"));
        write_ogr(&d, &shp_dir, Some("ESRI Shapefile")).unwrap();
        let n = std::fs::read_dir(&shp_dir)
            .unwrap()
            .filter(|e| {
                e.as_ref()
                    .unwrap()
                    .path()
                    .extension()
                    .is_some_and(|x| x == "shp")
            })
            .count();
        assert_eq!(n, d.layers.len());
    }
    common::run_each(&py, script.to_str().unwrap(), &sets);
    // nothing but the outputs was left in the folder
    assert!(
        std::fs::read_dir(dir.path()).unwrap().all(|e| !e
            .unwrap()
            .file_name()
            .to_string_lossy()
            .starts_with('.'))
    );
}

#[test]
fn a_projected_county_layer_reads_as_planform_unprojects_it() {
    let Some(c) = common::corpus() else { return };
    let path = c.join("site/ennis_tx/parcels.geojson");
    let ours = SitePlan::read(&path).unwrap();
    let theirs = read_ogr(&path).unwrap();
    assert_eq!(theirs.features.len(), ours.features.len());
    // planform's unprojection (proj4rs), position by position
    let frame = LocalFrame::from_epsg(ours.declared_epsg().unwrap()).unwrap();
    let a: Vec<(f64, f64)> = positions(&ours)
        .into_iter()
        .map(|(x, y)| frame.inverse(x, y).unwrap())
        .collect();
    let b = positions(&theirs);
    assert_eq!(a.len(), b.len());
    let worst = a
        .iter()
        .zip(&b)
        .map(|(p, q)| (p.0 - q.0).abs().max((p.1 - q.1).abs()))
        .fold(0.0, f64::max);
    assert!(worst < 1e-8, "largest difference {worst}°");
    // the same attribute values
    for (x, y) in ours.features.iter().zip(&theirs.features) {
        let (px, py) = (
            x.properties.as_ref().unwrap().to_object(),
            y.properties.as_ref().unwrap().to_object(),
        );
        for (k, v) in &px {
            if v.is_null() {
                continue;
            }
            let w = &py[k];
            let same = match (v.as_f64(), w.as_f64()) {
                (Some(p), Some(q)) => (p - q).abs() <= 1e-9 * p.abs().max(1.0),
                _ => v == w,
            };
            assert!(same, "{k}: {v} vs {w}");
        }
    }
}

#[test]
fn a_shapefile_made_by_ogr2ogr_reads_with_its_geometry() {
    let Some(c) = common::corpus() else { return };
    if !common::have_tool("ogr2ogr", &["--version"]) {
        return;
    }
    let src = c.join("site/cambridge_ma/cambridge_parcels_fy2014.geojson");
    let dir = tempfile::tempdir().unwrap();
    let shp = dir.path().join("parcels.shp");
    let o = Command::new("ogr2ogr")
        .args(["-f", "ESRI Shapefile"])
        .arg(&shp)
        .arg(&src)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let ours = SitePlan::read(&src).unwrap();
    let theirs = read_ogr(&shp).unwrap();
    assert_eq!(theirs.features.len(), ours.features.len());
    // Shapefile stores rings clockwise: compare vertex sets per feature
    for (x, y) in ours.features.iter().zip(&theirs.features) {
        let set = |f: &planform::model::Feature| {
            let mut v = Vec::new();
            if let Some(g) = &f.geometry {
                g.for_each_position(&mut |q| {
                    v.push(((q.x() * 1e7).round() as i64, (q.y() * 1e7).round() as i64));
                });
            }
            v.sort_unstable();
            v.dedup();
            v
        };
        assert_eq!(set(x), set(y));
        assert!(matches!(
            y.geometry.as_ref().unwrap().value,
            GeometryValue::Polygon(_) | GeometryValue::MultiPolygon(_)
        ));
    }
}

/// Issue 13: every GeoPackage input crashed the `gdal` feature (GDAL's
/// SQLite calls bound to rusqlite's bundled copy; see `build.rs`). A
/// GeoPackage made by `ogr2ogr` and one written by planform both read,
/// in this process (the test binary links like the examples) and through
/// the `convert` example.
#[test]
fn geopackages_read_through_gdal() {
    if !common::have_tool("ogr2ogr", &["--version"]) {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let src = common::fixture("site/interior_lot.json");
    let theirs = dir.path().join("ogr2ogr.gpkg");
    let o = Command::new("ogr2ogr")
        .args(["-f", "GPKG"])
        .arg(&theirs)
        .arg(&src)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let ours = dir.path().join("planform.gpkg");
    planform::export::gpkg::write_gpkg(
        &common::site_drawing(&src, true),
        &ours,
        &planform::export::gpkg::GpkgOptions::default(),
    )
    .unwrap();
    let want = SitePlan::read(&src).unwrap();
    let read = read_ogr(&theirs).unwrap();
    assert_eq!(read.features.len(), want.features.len());
    assert_eq!(positions(&read).len(), positions(&want).len());
    assert!(!read_ogr(&ours).unwrap().features.is_empty());
    for input in [&theirs, &ours] {
        let out = dir.path().join("out.geojson");
        let o = Command::new(common::example_bin("convert"))
            .arg(input)
            .arg(&out)
            .arg("--lenient")
            .output()
            .unwrap();
        assert!(
            o.status.success(),
            "{}: {:?} {}",
            input.display(),
            o.status,
            String::from_utf8_lossy(&o.stderr)
        );
        assert!(out.exists());
    }
}
