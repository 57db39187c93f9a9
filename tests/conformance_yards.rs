//! The yards' ground written by the `analyze` example for every fixture,
//! against shapely in the parcel's UTM zone (pyproj): each yard rebuilt as
//! the parcel intersected with the half-planes of its definition, the same
//! area within 0.01 m², valid counter-clockwise geometry, no overlaps
//! between yards or with the building.

#![allow(clippy::unwrap_used, clippy::missing_panics_doc)]

mod common;

use std::process::Command;

#[test]
fn yards_match_shapely() {
    let Some(py) = common::python_with(&["shapely", "pyproj"]) else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let mut sets = Vec::new();
    for input in common::good_site_plans() {
        let out = dir.path().join(input.file_name().unwrap());
        let o = Command::new(common::example_bin("analyze"))
            .arg(&input)
            .arg(&out)
            .output()
            .unwrap();
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        sets.push(out.display().to_string());
    }
    let script = common::root().join("tests/conformance/yards_check.py");
    common::run_each(&py, script.to_str().unwrap(), &sets);
}
