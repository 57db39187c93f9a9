//! DXF conformance: every fixture and every shared site file, written as
//! R2007 (and the fixtures as R2018 and R12), and floor plans vectorized
//! from corpus masks (outlines, centrelines, wall bodies), pass the strict ezdxf gate
//! (`tests/conformance/dxf_gate.py`: the raw tag stream, strict load, recover
//! and audit with zero fixes and zero errors); read back by ezdxf, every vertex lies
//! within 1 mm of the input projected by pyproj; LibreCAD renders each
//! fixture to a PDF with drawn paths.

#![allow(clippy::unwrap_used, clippy::missing_panics_doc)]

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use planform::export::dxf::{DxfOptions, DxfVersion, write_dxf};

/// Writes `input` as DXF in `dir`; returns the file and the drawing's EPSG.
fn write(input: &Path, dir: &Path, version: DxfVersion) -> (PathBuf, u32) {
    let d = common::site_drawing(input, false);
    let stem = input.file_stem().unwrap().to_string_lossy();
    let out = dir.join(format!("{stem}.{}.dxf", version.acadver()));
    let mut bytes = Vec::new();
    write_dxf(
        &d,
        &mut bytes,
        &DxfOptions {
            version,
            ..Default::default()
        },
    )
    .unwrap();
    std::fs::write(&out, bytes).unwrap();
    (out, d.epsg.unwrap())
}

/// The project's own strict gate.
fn gate() -> PathBuf {
    common::root().join("tests/conformance/dxf_gate.py")
}

#[test]
fn every_input_passes_the_strict_ezdxf_gate() {
    let Some(py) = common::python_with(&["ezdxf"]) else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let fixtures = common::good_site_plans();
    let mut sets = Vec::new();
    for input in common::site_inputs() {
        let mut versions = vec![DxfVersion::R2007];
        if fixtures.contains(&input) {
            versions.extend([DxfVersion::R2018, DxfVersion::R12]);
        }
        for v in versions {
            let (out, _) = write(&input, dir.path(), v);
            sets.push(format!("{}|{}", out.display(), v.acadver()));
        }
    }
    for (name, d) in common::corpus_floor_drawings() {
        for v in [DxfVersion::R2007, DxfVersion::R12] {
            let out = dir.path().join(format!("{name}.{}.dxf", v.acadver()));
            let mut bytes = Vec::new();
            let o = DxfOptions {
                version: v,
                ..Default::default()
            };
            write_dxf(&d, &mut bytes, &o).unwrap();
            std::fs::write(&out, bytes).unwrap();
            sets.push(format!("{}|{}", out.display(), v.acadver()));
        }
    }
    assert!(sets.len() > 15, "{} files", sets.len());
    common::run_each(&py, gate().to_str().unwrap(), &sets);
}

#[test]
fn read_back_by_ezdxf_every_vertex_is_within_a_millimetre_of_pyproj() {
    let Some(py) = common::python_with(&["ezdxf", "pyproj"]) else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let script = common::root().join("tests/conformance/dxf_roundtrip.py");
    let mut sets = Vec::new();
    for input in common::site_inputs() {
        for v in [DxfVersion::R2007, DxfVersion::R12] {
            let (out, epsg) = write(&input, dir.path(), v);
            sets.push(format!("{}|{}|{epsg}", input.display(), out.display()));
        }
    }
    common::run_each(&py, script.to_str().unwrap(), &sets);
}

const PDF_PATHS: &str = r"
import re, sys, zlib
b = open(sys.argv[1], 'rb').read()
ops = 0
for m in re.finditer(rb'stream\r?\n(.*?)\r?\nendstream', b, re.S):
    d = m.group(1)
    try:
        d = zlib.decompress(d)
    except zlib.error:
        pass
    ops += len(re.findall(rb'\sl\n', d))
print(ops)
";

#[test]
fn librecad_renders_every_fixture_to_pdf() {
    if !common::have_tool("librecad", &["dxf2pdf", "-h"]) {
        return;
    }
    let Some(py) = common::python_with(&["zlib"]) else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    for input in common::good_site_plans() {
        let (dxf, _) = write(&input, dir.path(), DxfVersion::R2007);
        let pdf = common::librecad_pdf(&dxf, dir.path());
        let ops = Command::new(&py)
            .arg("-c")
            .arg(PDF_PATHS)
            .arg(&pdf)
            .output()
            .unwrap();
        let n: usize = String::from_utf8_lossy(&ops.stdout).trim().parse().unwrap();
        assert!(n >= 10, "{}: only {n} line segments drawn", pdf.display());
    }
}
