//! GeoPackage conformance: every fixture and every shared site file (and
//! floor plans vectorized from corpus masks), written as GeoPackage, passes GDAL's validator (`validate_gpkg.py --extra
//! --warning-as-error`, from `PyPI`'s `gdal-utils`), the project's own
//! `tests/conformance/gpkg_gate.py` (header envelopes, R*Tree rows, finite coordinates, contents extent) and `ogrinfo`
//! without a warning; read back through GDAL it has the input's features,
//! coordinates and attribute values.

#![allow(clippy::unwrap_used, clippy::missing_panics_doc)]

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use planform::export::gpkg::{GpkgOptions, write_gpkg};

/// Floor plans from corpus masks as GeoPackages (no CRS: srs -1).
fn write_floor_plans(dir: &Path) -> Vec<PathBuf> {
    common::corpus_floor_drawings()
        .into_iter()
        .map(|(name, d)| {
            let out = dir.join(format!("{name}.gpkg"));
            write_gpkg(&d, &out, &GpkgOptions::default()).unwrap();
            out
        })
        .collect()
}

fn write_all(dir: &Path) -> Vec<(PathBuf, PathBuf)> {
    common::site_inputs()
        .into_iter()
        .map(|input| {
            let d = common::site_drawing(&input, true);
            let out = dir.join(format!(
                "{}.gpkg",
                input.file_stem().unwrap().to_string_lossy()
            ));
            write_gpkg(&d, &out, &GpkgOptions::default()).unwrap();
            (input, out)
        })
        .collect()
}

#[test]
fn every_input_passes_gdals_validator_and_the_extra_checks() {
    let Some(py) = common::python_with(&["osgeo", "osgeo_utils.samples.validate_gpkg"]) else {
        return;
    };
    let extra = common::root().join("tests/conformance/gpkg_gate.py");
    let dir = tempfile::tempdir().unwrap();
    let mut files: Vec<PathBuf> = write_all(dir.path()).into_iter().map(|(_, f)| f).collect();
    files.extend(write_floor_plans(dir.path()));
    assert!(files.len() > 5);
    let sets: Vec<String> = files
        .iter()
        .map(|f| format!("--extra|--warning-as-error|{}", f.display()))
        .collect();
    common::run_each(&py, "module:osgeo_utils.samples.validate_gpkg", &sets);
    let sets: Vec<String> = files.iter().map(|f| f.display().to_string()).collect();
    common::run_each(&py, extra.to_str().unwrap(), &sets);
}

#[test]
fn ogrinfo_reads_every_file_without_a_warning() {
    if !common::have_tool("ogrinfo", &["--version"]) {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let mut files: Vec<PathBuf> = write_all(dir.path()).into_iter().map(|(_, f)| f).collect();
    files.extend(write_floor_plans(dir.path()));
    for f in files {
        let o = Command::new("ogrinfo")
            .args(["-ro", "-al", "-so"])
            .arg(&f)
            .output()
            .unwrap();
        let text = format!(
            "{}{}",
            String::from_utf8_lossy(&o.stdout),
            String::from_utf8_lossy(&o.stderr)
        );
        assert!(o.status.success(), "{}: {text}", f.display());
        assert!(
            !text.contains("Warning") && !text.contains("ERROR"),
            "{}: {text}",
            f.display()
        );
        assert!(text.contains("Feature Count"), "{}: {text}", f.display());
    }
}

#[test]
fn read_back_through_gdal_features_and_attributes_are_the_inputs() {
    let Some(py) = common::python_with(&["osgeo"]) else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let script = common::root().join("tests/conformance/gpkg_roundtrip.py");
    let sets: Vec<String> = write_all(dir.path())
        .iter()
        .map(|(i, f)| format!("{}|{}", i.display(), f.display()))
        .collect();
    common::run_each(&py, script.to_str().unwrap(), &sets);
}
