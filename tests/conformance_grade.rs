//! Lot grade against gdaldem on the Delft AHN3 rasters: planform reads the
//! float32 tiled DEFLATE (predictor 3) GeoTIFFs itself, and its Horn slope
//! and aspect match `gdaldem slope|aspect -compute_edges` cell by cell
//! (within 1e-3°); the DTM's whole-raster and window figures match the data
//! README's gdaldem reference (mean slope 2.912°, relief 2.874 m, SW;
//! window rows/cols 100–140, end excluded as numpy slices it: 2.281°,
//! 0.781 m, SE); and each of Delft's 40 private yards (BGT `erf`) has the
//! mean slope, relief and dominant aspect that shapely (cells inside) and
//! gdaldem give: exactly with the `proj` feature, within a boundary cell
//! without it (proj4rs' EPSG:28992 is millimetres off PROJ's).

#![allow(clippy::unwrap_used, clippy::missing_panics_doc)]

mod common;

use std::process::Command;

use planform::model::analysis::Aspect;
use planform::site::grade::{GradeOptions, lot_grade, read_dem};

#[test]
fn horn_slope_and_aspect_match_gdaldem_cell_by_cell() {
    let Some(c) = common::corpus() else { return };
    if !common::have_tool("gdalinfo", &["--version"]) {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    for name in ["delft_ahn3_dtm_1m.tif", "delft_ahn3_dsm_0p5m.tif"] {
        let src = c.join("site/delft_nl").join(name);
        let dem = read_dem(&src, 50_000_000).unwrap();
        assert_eq!(dem.epsg, Some(28992), "{name}");
        let mut reference = Vec::new();
        for what in ["slope", "aspect"] {
            let out = dir.path().join(format!("{what}_{name}"));
            let o = Command::new("gdaldem")
                .args([what, "-compute_edges", "-q"])
                .arg(&src)
                .arg(&out)
                .output()
                .unwrap();
            assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
            reference.push(read_dem(&out, 50_000_000).unwrap());
        }
        let (mut worst_slope, mut worst_aspect, mut cells) = (0.0f64, 0.0f64, 0);
        for y in 0..dem.height {
            for x in 0..dem.width {
                let Some(planform::site::grade::Horn {
                    slope_deg: slope,
                    aspect_deg: aspect,
                }) = dem.horn(x, y)
                else {
                    continue;
                };
                cells += 1;
                let s = reference[0].at(x as isize, y as isize).unwrap();
                worst_slope = worst_slope.max((slope - s).abs());
                match (aspect, reference[1].at(x as isize, y as isize)) {
                    (Some(a), Some(r)) => {
                        let d = (a - r).abs();
                        worst_aspect = worst_aspect.max(d.min(360.0 - d));
                    }
                    (None, None) => {}
                    (a, r) => panic!("{name} ({x}, {y}): aspect {a:?} vs gdaldem {r:?}"),
                }
            }
        }
        eprintln!(
            "{name}: {cells} cells, max |Δslope| {worst_slope:.2e}°, max |Δaspect| {worst_aspect:.2e}°"
        );
        assert!(worst_slope < 1e-3 && worst_aspect < 1e-3, "{name}");
    }
}

#[test]
fn the_dtm_grade_matches_the_readme_reference() {
    let Some(c) = common::corpus() else { return };
    let dem = read_dem(&c.join("site/delft_nl/delft_ahn3_dtm_1m.tif"), 50_000_000).unwrap();
    let o = GradeOptions::default();
    let whole = lot_grade(&dem, |_, _| true, &o).unwrap();
    assert!((whole.mean_slope_deg.unwrap().as_f64().unwrap() - 2.912).abs() < 1e-3);
    assert!((whole.relief_meters.unwrap().as_f64().unwrap() - 2.874).abs() < 1e-3);
    assert_eq!(whole.dominant_aspect, Some(Aspect::Southwest));
    assert_eq!(whole.is_flat, Some(false));
    let window = lot_grade(
        &dem,
        |x, y| (100..140).contains(&x) && (100..140).contains(&y),
        &o,
    )
    .unwrap();
    assert!((window.mean_slope_deg.unwrap().as_f64().unwrap() - 2.281).abs() < 1e-3);
    assert!((window.relief_meters.unwrap().as_f64().unwrap() - 0.781).abs() < 1e-3);
    assert_eq!(window.dominant_aspect, Some(Aspect::Southeast));
}

#[test]
fn broken_rasters_are_typed_errors() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("bad.tif");
    std::fs::write(&p, b"II*\0garbage").unwrap();
    assert!(read_dem(&p, 1_000_000).is_err());
    let Some(c) = common::corpus() else { return };
    let src = c.join("site/delft_nl/delft_ahn3_dtm_1m.tif");
    let e = read_dem(&src, 1000).unwrap_err().to_string();
    assert!(e.contains("over the limit"), "{e}");
    let bytes = std::fs::read(&src).unwrap();
    std::fs::write(&p, &bytes[..bytes.len() / 2]).unwrap();
    assert!(read_dem(&p, 50_000_000).is_err());
}

#[test]
fn every_delft_yard_grades_as_gdaldem_and_shapely_say() {
    let Some(c) = common::corpus() else { return };
    let Some(py) = common::python_with(&["osgeo", "shapely", "pyproj", "numpy"]) else {
        return;
    };
    let delft = c.join("site/delft_nl");
    let dtm = delft.join("delft_ahn3_dtm_1m.tif");
    let dem = read_dem(&dtm, 50_000_000).unwrap();
    let yards: serde_json::Value = serde_json::from_slice(
        &std::fs::read(delft.join("delft_bgt_onbegroeidterreindeel.geojson")).unwrap(),
    )
    .unwrap();
    let mut out = Vec::new();
    for f in yards["features"].as_array().unwrap() {
        if f["properties"]["bgt_fysiekvoorkomen"] != "erf" || f["geometry"]["type"] != "Polygon" {
            continue;
        }
        let ring: Vec<geo_types::Coord<f64>> = f["geometry"]["coordinates"][0]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| geo_types::Coord {
                x: p[0].as_f64().unwrap(),
                y: p[1].as_f64().unwrap(),
            })
            .collect();
        let g = planform::site::grade::parcel_grade(&dem, &ring, &GradeOptions::default()).unwrap();
        let pairs: Vec<[f64; 2]> = ring.iter().map(|c| [c.x, c.y]).collect();
        out.push(serde_json::json!({"ring": pairs, "grade": g}));
    }
    assert!(out.len() >= 40, "{} yards", out.len());
    let dir = tempfile::tempdir().unwrap();
    let ours = dir.path().join("yards.json");
    std::fs::write(&ours, serde_json::to_vec(&out).unwrap()).unwrap();
    let mut refs = Vec::new();
    for what in ["slope", "aspect"] {
        let p = dir.path().join(format!("{what}.tif"));
        let o = Command::new("gdaldem")
            .args([what, "-compute_edges", "-q"])
            .arg(&dtm)
            .arg(&p)
            .output()
            .unwrap();
        assert!(o.status.success());
        refs.push(p);
    }
    let o = Command::new(py)
        .arg(common::root().join("tests/conformance/grade_check.py"))
        .arg(&ours)
        .arg(&dtm)
        .args(&refs)
        .args(if cfg!(feature = "proj") {
            &[][..]
        } else {
            &["--tolerant"][..]
        })
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&o.stdout);
    eprintln!("{text}{}", String::from_utf8_lossy(&o.stderr));
    assert!(o.status.success(), "{text}");
}

#[test]
fn a_dsm_only_takes_sun_away_and_delft_yards_lose_some() {
    use planform::model::SitePlan;
    use planform::site::{Rasters, ShadeOptions, SiteContext, SiteOptions, analyze};
    let Some(c) = common::corpus() else { return };
    let delft = c.join("site/delft_nl");
    let dsm = read_dem(&delft.join("delft_ahn3_dsm_0p5m.tif"), 50_000_000).unwrap();
    let yards: serde_json::Value = serde_json::from_slice(
        &std::fs::read(delft.join("delft_bgt_onbegroeidterreindeel.geojson")).unwrap(),
    )
    .unwrap();
    let o = SiteOptions {
        shade_points: true,
        shade_options: ShadeOptions {
            grid_m: 2.0,
            ..ShadeOptions::default()
        },
        ..SiteOptions::default()
    };
    let hours = |plan: &SitePlan, dsm| -> Vec<f64> {
        let rasters = Rasters { dtm: None, dsm };
        let site = analyze(plan, &SiteContext::default(), rasters, &o).unwrap();
        site.shade_points.iter().map(|p| p.sun_hours).collect()
    };
    let mut lost = 0;
    for f in yards["features"].as_array().unwrap().iter().take(8) {
        let doc = serde_json::json!({"type": "FeatureCollection", "features": [f]});
        let plan = SitePlan::from_slice(&serde_json::to_vec(&doc).unwrap()).unwrap();
        let open = hours(&plan, None);
        let with = hours(&plan, Some(&dsm));
        assert_eq!(open.len(), with.len());
        for (p, q) in open.iter().zip(&with) {
            assert!(q <= &(p + 1e-12));
        }
        if with.iter().zip(&open).any(|(q, p)| q < p) {
            lost += 1;
        }
    }
    assert!(
        lost >= 6,
        "only {lost} of 8 yards are shaded by the city around them"
    );
}
