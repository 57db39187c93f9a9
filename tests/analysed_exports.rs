//! The analysis made visible downstream: analysed plans (through the
//! library's one call) export a `parcel-sides` layer with one labelled
//! polyline per side and columns fixed by the schema, two analysed plans'
//! GeoPackages append into one table per layer with `ogr2ogr -append`, and
//! a raw county parcel without `catalogType`, once analysed, converts
//! without `--lenient`.

#![allow(clippy::unwrap_used, clippy::missing_panics_doc)]

mod common;

use std::process::Command;

use planform::export::gpkg::{GpkgOptions, write_gpkg};
use planform::export::site::{SiteDrawingOptions, site_plan_drawing};
use planform::export::{Drawing, FieldType, Shape, Value};
use planform::model::SitePlan;
use planform::site::{Minimums, Rasters, SiteContext, SiteOptions, analyze};

fn minimums() -> Minimums {
    Minimums {
        front: Some(20.0),
        rear: Some(25.0),
        interior: Some(5.0),
        exterior: Some(10.0),
    }
}

/// A fixture analysed with the minimums (no shade: it does not show in
/// these layers).
fn analysed(name: &str) -> SitePlan {
    let mut plan = SitePlan::read(common::fixture(&format!("site/{name}.json"))).unwrap();
    let options = SiteOptions {
        minimums: minimums(),
        shade: false,
        ..SiteOptions::default()
    };
    let site = analyze(&plan, &SiteContext::default(), Rasters::default(), &options).unwrap();
    site.apply(&mut plan);
    plan
}

fn labelled(plan: &SitePlan) -> Drawing {
    let options = SiteDrawingOptions {
        labels: true,
        ..SiteDrawingOptions::default()
    };
    site_plan_drawing(plan, &options).unwrap()
}

#[test]
fn every_side_is_one_labelled_polyline_with_fixed_columns() {
    for name in ["interior_lot", "corner_lot", "flag_lot", "culdesac_lot"] {
        let plan = analysed(name);
        let sides = plan.parcel.as_ref().unwrap().sides.as_ref().unwrap();
        let d = labelled(&plan);
        assert!(
            d.layers.iter().all(|l| l.name != "dimensions"),
            "{name}: ring edges dimensioned beside the sides"
        );
        let layer = d.layers.iter().find(|l| l.name == "parcel-sides").unwrap();
        assert_eq!(layer.entities.len(), sides.len(), "{name}");
        let fields: Vec<(&str, FieldType)> =
            layer.fields.iter().map(|(k, t)| (k.as_str(), *t)).collect();
        assert_eq!(
            fields,
            [
                ("id", FieldType::Text),
                ("role", FieldType::Text),
                ("relation", FieldType::Text),
                ("lengthM", FieldType::Real),
                ("requiredFeet", FieldType::Real),
                ("actualFeet", FieldType::Real),
                ("compliant", FieldType::Boolean),
            ]
        );
        for (side, e) in sides.iter().zip(&layer.entities) {
            let Shape::Polyline(line) = &e.shape else {
                panic!("{name}: {:?}", e.shape)
            };
            // the polyline is the side: its planar length (metres, in the
            // local UTM frame) is the side's geodesic length
            let planar: f64 = line
                .0
                .windows(2)
                .map(|w| (w[1].x - w[0].x).hypot(w[1].y - w[0].y))
                .sum();
            let metres = side.length_m().unwrap();
            assert!(
                (planar - metres).abs() < 0.01 * metres,
                "{name}: {planar} vs {metres}"
            );
            let label = e.label.as_deref().unwrap();
            let role = side.role.as_ref().unwrap().as_str();
            assert!(label.starts_with(role), "{name}: {label}");
            assert!(
                label.ends_with(&format!("{metres:.2} m")),
                "{name}: {label}"
            );
            let id = e.attributes.iter().find(|(k, _)| k == "id").unwrap();
            assert_eq!(id.1, Value::Text(side.id.clone().unwrap()));
        }
    }
}

#[test]
fn a_cul_de_sac_front_arc_is_one_side_with_one_label() {
    let plan = analysed("culdesac_lot");
    let d = labelled(&plan);
    let layer = d.layers.iter().find(|l| l.name == "parcel-sides").unwrap();
    let fronts: Vec<&str> = layer
        .entities
        .iter()
        .filter_map(|e| e.label.as_deref())
        .filter(|l| l.starts_with("front"))
        .collect();
    assert_eq!(fronts.len(), 1, "{fronts:?}");
    let Shape::Polyline(arc) = &layer.entities[0].shape else {
        panic!()
    };
    // the arc keeps its vertices (a tight curve, not a chord)
    assert!(arc.0.len() > 3, "{} vertices", arc.0.len());
    let labels = d
        .layers
        .iter()
        .flat_map(|l| &l.entities)
        .filter(|e| e.label.as_deref().is_some_and(|l| l.contains(" m")))
        .count();
    eprintln!("cul-de-sac: {fronts:?}, {labels} length labels");
}

#[test]
fn two_analysed_plans_append_into_one_table_per_layer() {
    if !common::have_tool("ogr2ogr", &["--version"]) {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let mut files = Vec::new();
    for name in ["interior_lot", "corner_lot"] {
        let mut plan = analysed(name);
        if name == "corner_lot" {
            // a 5.5 ft fence where the first plan's is 6 ft: an inferred
            // INTEGER column would cut it to 5
            let fence = plan
                .features
                .iter_mut()
                .find(|f| f.catalog_type().is_some_and(|t| t.as_str() == "fence"))
                .unwrap();
            let mut v = serde_json::to_value(&*fence).unwrap();
            v["properties"]["attrs"]["heightFt"] = serde_json::json!(5.5);
            *fence = serde_json::from_value(v).unwrap();
        }
        let d = site_plan_drawing(
            &plan,
            &SiteDrawingOptions {
                native: true,
                ..SiteDrawingOptions::default()
            },
        )
        .unwrap();
        let out = dir.path().join(format!("{name}.gpkg"));
        write_gpkg(&d, &out, &GpkgOptions::default()).unwrap();
        files.push(out);
    }
    let o = Command::new("ogr2ogr")
        .args(["-append", "-f", "GPKG"])
        .arg(&files[0])
        .arg(&files[1])
        // the layers whose geometry type is one in both (a tree is a
        // point in one plan and a canopy polygon in the other: the layer's
        // geometry type is still the plan's)
        .args([
            "parcel_sides",
            "fence",
            "building",
            "buildable_envelope",
            "yards",
        ])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(o.status.success() && !err.contains("Warning"), "{err}");
    let info = Command::new("ogrinfo")
        .args(["-so", "-al"])
        .arg(&files[0])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&info.stdout);
    // the parcel sides of both lots in one table, their columns unchanged
    let sides = text
        .split("Layer name: ")
        .find(|l| l.starts_with("parcel_sides"))
        .unwrap();
    assert!(sides.contains("Feature Count: 8"), "{sides}");
    assert!(sides.contains("compliant: Integer(Boolean)"), "{sides}");
    assert!(sides.contains("requiredFeet: Real"), "{sides}");
    let fence = Command::new("ogrinfo")
        .args(["-q", "-sql", "SELECT heightFt FROM fence"])
        .arg(&files[0])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&fence.stdout);
    assert!(text.contains("heightFt (Real) = 5.5"), "{text}");
}

#[test]
fn an_analysed_raw_county_parcel_converts_without_lenient() {
    let dir = tempfile::tempdir().unwrap();
    // a county layer's one parcel: no catalogType, the assessor's fields
    let raw = serde_json::json!({"type": "FeatureCollection", "features": [{
        "type": "Feature", "id": 1711,
        "properties": {"OBJECTID": 1711, "SITUS_ADDR": "100 MAIN ST", "ACRES": 0.27},
        "geometry": {"type": "Polygon", "coordinates": [[
            [-96.6250, 32.3290], [-96.6244, 32.3290], [-96.6244, 32.3296],
            [-96.6250, 32.3296], [-96.6250, 32.3290]]]}}]});
    let input = dir.path().join("county_parcel.geojson");
    std::fs::write(&input, serde_json::to_vec(&raw).unwrap()).unwrap();
    let analysed = dir.path().join("analysed.json");
    let o = Command::new(common::example_bin("analyze"))
        .arg(&input)
        .arg(&analysed)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    for ext in ["dxf", "gpkg", "svg"] {
        let out = dir.path().join(format!("analysed.{ext}"));
        let o = Command::new(common::example_bin("convert"))
            .arg(&analysed)
            .arg(&out)
            .output()
            .unwrap();
        assert!(
            o.status.success(),
            "{ext}: {}",
            String::from_utf8_lossy(&o.stderr)
        );
    }
    // the parcel is typed now, its own fields kept
    let plan = SitePlan::read(&analysed).unwrap();
    let f = &plan.features[0];
    assert_eq!(
        f.catalog_type().map(planform::model::CatalogType::as_str),
        Some("parcel")
    );
    let props = f.properties.as_ref().unwrap();
    assert_eq!(props.extra["SITUS_ADDR"], "100 MAIN ST");
}
