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
    for check in ["setbacks_check.py", "yards_check.py"] {
        let script = common::root().join("tests/conformance").join(check);
        common::run_each(&py, script.to_str().unwrap(), &sets);
    }
}
