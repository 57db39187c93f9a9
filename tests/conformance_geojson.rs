//! RFC 7946 GeoJSON: every fixture and every shared site file, normalised
//! with 7 decimals, has right-hand rings (shapely), no `crs` member, every
//! position within 1e-7° of the input (unprojected by pyproj where the
//! input is projected), and reads back as a `SitePlan` with the same
//! features and properties.

#![allow(clippy::unwrap_used, clippy::missing_panics_doc)]

mod common;

use planform::export::geojson::{GeoJsonOptions, rfc7946};
use planform::model::SitePlan;

#[test]
fn every_input_normalises_to_rfc7946() {
    let dir = tempfile::tempdir().unwrap();
    let mut sets = Vec::new();
    for input in common::site_inputs() {
        let plan = SitePlan::read(&input).unwrap();
        let out = rfc7946(&plan, &GeoJsonOptions { precision: Some(7) }).unwrap();
        let path = dir.path().join(format!(
            "{}.json",
            input.file_stem().unwrap().to_string_lossy()
        ));
        std::fs::write(&path, out.to_vec().unwrap()).unwrap();
        // reads back as the same plan, but for coordinates
        let back = SitePlan::read(&path).unwrap();
        assert_eq!(back.features.len(), plan.features.len());
        for (a, b) in plan.features.iter().zip(&back.features) {
            assert_eq!(a.properties, b.properties, "{}", input.display());
            assert_eq!(a.id, b.id);
        }
        assert_eq!(back.parcel, plan.parcel);
        sets.push(format!("{}|{}", input.display(), path.display()));
    }
    let Some(py) = common::python_with(&["shapely", "pyproj"]) else {
        return;
    };
    let script = common::root().join("tests/conformance/rfc7946_check.py");
    common::run_each(&py, script.to_str().unwrap(), &sets);
}
