//! The DXF as a drafter uses it: every site input written as `convert`
//! writes it (R2007 in metres, feet and millimetres, R2018 in
//! millimetres) passes the strict ezdxf gate and
//! `tests/conformance/dxf_sheet_check.py` (the `Sheet` layout of a
//! standard paper with its viewport at the printed 1:N, DIMENSIONs with
//! their `*D` blocks and the `PLANFORM` style, trees as attributed
//! INSERTs, no solid hatch, `$EXTMIN/$EXTMAX`, the named text style);
//! LibreCAD's `dxf2pdf -a` of the millimetre outputs plots them on a page
//! of the sheet's paper with the plan drawn inside the drawing area; R12
//! text stays ASCII with "·" as `\U+00B7`, which ezdxf's recover decodes.

#![allow(clippy::unwrap_used, clippy::missing_panics_doc)]

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use planform::export::Units;
use planform::export::dxf::DxfVersion;
use planform::model::SitePlan;
use planform::write::{PlanOutput, write_plan};

const DATE: &str = "2026-12-07";

fn unit_name(u: Units) -> &'static str {
    match u {
        Units::Feet => "ft",
        Units::Millimetres => "mm",
        _ => "m",
    }
}

/// Writes `input` as `convert` would, in `dir`.
fn write(input: &Path, dir: &Path, units: Units, version: DxfVersion) -> PathBuf {
    let plan = SitePlan::read(input).unwrap();
    let stem = input.file_stem().unwrap().to_string_lossy();
    let out = dir.join(format!(
        "{stem}.{}.{}.dxf",
        unit_name(units),
        version.acadver()
    ));
    let mut o = PlanOutput::for_path(&out);
    o.units = units;
    o.dxf_version = version;
    o.date = Some(DATE.into());
    write_plan(&plan, &out, &o).unwrap();
    out
}

#[test]
fn every_site_dxf_is_a_sheet_a_drafter_can_plot() {
    let Some(py) = common::python_with(&["ezdxf"]) else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let mut gate = Vec::new();
    let mut sheet = Vec::new();
    for input in common::site_inputs() {
        for (units, version) in [
            (Units::Metres, DxfVersion::R2007),
            (Units::Feet, DxfVersion::R2007),
            (Units::Millimetres, DxfVersion::R2007),
            (Units::Millimetres, DxfVersion::R2018),
        ] {
            let dxf = write(&input, dir.path(), units, version);
            gate.push(format!("{}|{}", dxf.display(), version.acadver()));
            sheet.push(format!(
                "{}|{}|{}",
                input.display(),
                dxf.display(),
                unit_name(units)
            ));
        }
    }
    common::run_each(&py, "tests/conformance/dxf_gate.py", &gate);
    common::run_each(&py, "tests/conformance/dxf_sheet_check.py", &sheet);
}

/// A grey PGM's width, height and pixels.
fn pgm(bytes: &[u8]) -> (usize, usize, Vec<u8>) {
    let mut fields = Vec::new();
    let mut i = 0;
    while fields.len() < 4 {
        while bytes[i].is_ascii_whitespace() {
            i += 1;
        }
        let start = i;
        while !bytes[i].is_ascii_whitespace() {
            i += 1;
        }
        fields.push(String::from_utf8_lossy(&bytes[start..i]).into_owned());
    }
    assert_eq!(fields[0], "P5");
    let (w, h): (usize, usize) = (fields[1].parse().unwrap(), fields[2].parse().unwrap());
    (w, h, bytes[i + 1..i + 1 + w * h].to_vec())
}

#[test]
fn librecad_plots_millimetre_dxfs_on_the_sheets_paper() {
    if !common::have_tool("librecad", &["dxf2pdf", "-h"]) || !common::have_tool("pdftoppm", &["-v"])
    {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    for input in common::good_site_plans() {
        let plan = SitePlan::read(&input).unwrap();
        let d = planform::export::site::site_plan_drawing(
            &plan,
            &planform::export::site::SiteDrawingOptions {
                units: Units::Millimetres,
                labels: true,
                ..Default::default()
            },
        )
        .unwrap();
        let layout =
            planform::export::sheet::fit(&d, &planform::export::sheet::SheetOptions::default())
                .unwrap();
        for version in [DxfVersion::R2007, DxfVersion::R2018] {
            let dxf = write(&input, dir.path(), Units::Millimetres, version);
            let pdf = common::librecad_pdf(&dxf, dir.path());
            // the page: the sheet's paper, in either orientation (pt)
            let info = Command::new("pdfinfo").arg(&pdf).output().unwrap();
            let info = String::from_utf8_lossy(&info.stdout);
            let size: Vec<f64> = info
                .lines()
                .find_map(|l| l.strip_prefix("Page size:"))
                .unwrap()
                .split_whitespace()
                .filter_map(|t| t.parse().ok())
                .collect();
            let (pw, ph) = layout.size_mm;
            let want = [pw / 25.4 * 72.0, ph / 25.4 * 72.0];
            let fits = |a: f64, b: f64| (a - want[0]).abs() < 2.0 && (b - want[1]).abs() < 2.0;
            assert!(
                fits(size[0], size[1]) || fits(size[1], size[0]),
                "{}: page {size:?} pt, the sheet is {want:?}",
                dxf.display()
            );
            // the plan drawn in the drawing area: ink there, not a speck
            let png = Command::new("pdftoppm")
                .args(["-gray", "-r", "40", "-singlefile"])
                .arg(&pdf)
                .arg(dir.path().join("page"))
                .output()
                .unwrap();
            assert!(png.status.success());
            let (w, h, px) = pgm(&std::fs::read(dir.path().join("page.pgm")).unwrap());
            // LibreCAD may turn a landscape sheet upright: scale by width
            let k = w as f64 / if w > h { pw.max(ph) } else { pw.min(ph) };
            let a = layout.area;
            let (mut ink, mut cells) = (0usize, 0usize);
            let (mut x0, mut x1) = (usize::MAX, 0);
            for y in 0..h {
                for x in 0..w {
                    let (mx, my) = (x as f64 / k, y as f64 / k);
                    let inside = if (w > h) == (pw > ph) {
                        mx > a.x0 && mx < a.x1 && my > a.y0 && my < a.y1
                    } else {
                        // turned: the page's x is the sheet's y
                        my > a.x0 && my < a.x1 && mx > a.y0 && mx < a.y1
                    };
                    if inside {
                        cells += 1;
                        if px[y * w + x] < 160 {
                            ink += 1;
                            x0 = x0.min(x);
                            x1 = x1.max(x);
                        }
                    }
                }
            }
            assert!(
                ink * 100 > cells,
                "{}: {ink} of {cells} pixels of the drawing area inked",
                dxf.display()
            );
            assert!(
                (x1 - x0) * 3 > w,
                "{}: the plan spans only pixels {x0}..{x1} of {w}",
                dxf.display()
            );
        }
    }
}

#[test]
fn r12_text_is_ascii_and_keeps_its_middle_dots() {
    let Some(py) = common::python_with(&["ezdxf"]) else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let dxf = write(
        &common::fixture("site/interior_lot.json"),
        dir.path(),
        Units::Metres,
        DxfVersion::R12,
    );
    let bytes = std::fs::read(&dxf).unwrap();
    assert!(bytes.is_ascii(), "R12 bytes beyond ASCII");
    assert!(String::from_utf8_lossy(&bytes).contains("front \\U+00B7 20.01 m"));
    let o = Command::new(py)
        .arg("-c")
        .arg(
            "import sys; from ezdxf import recover\n\
             doc, a = recover.readfile(sys.argv[1])\n\
             print('\\n'.join(t.dxf.text for t in doc.modelspace().query('TEXT')))",
        )
        .arg(&dxf)
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&o.stdout);
    assert!(
        text.lines().any(|l| l == "front \u{b7} 20.01 m"),
        "ezdxf read: {text}"
    );
}
