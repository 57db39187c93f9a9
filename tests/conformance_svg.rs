//! SVG sheets of every fixture and every shared site file: well-formed XML with a group per layer
//! (Python's XML parser), and rendered by librsvg (`rsvg-convert`) to a
//! non-blank PNG.

#![allow(clippy::unwrap_used, clippy::missing_panics_doc)]

mod common;

use std::process::Command;

use planform::export::svg::{SvgOptions, write_svg};

const CHECK: &str = r#"
import sys, xml.etree.ElementTree as ET
ns = {"s": "http://www.w3.org/2000/svg"}
for path in sys.argv[1:]:
    root = ET.parse(path).getroot()
    assert root.tag == "{http://www.w3.org/2000/svg}svg", root.tag
    vb = [float(v) for v in root.get("viewBox").split()]
    assert vb[2] > 0 and vb[3] > 0, vb
    groups = [g.get("id") for g in root.findall("s:g", ns)]
    assert any(g.startswith("layer-") for g in groups), groups
    for g in ("legend", "scale-bar", "north-arrow"):
        assert g in groups, (path, groups)
print("ok", len(sys.argv) - 1)
"#;

/// Every site input's sheet; `bare`: without legend, scale bar, north
/// arrow and labels, so that drawn pixels are the features' own.
fn sheets_with(dir: &std::path::Path, bare: bool) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    let o = SvgOptions {
        furniture: !bare,
        labels: !bare,
        ..SvgOptions::default()
    };
    for f in common::site_inputs() {
        let d = common::site_drawing(&f, false);
        let svg = dir.join(format!("{}.svg", f.file_stem().unwrap().to_string_lossy()));
        let mut bytes = Vec::new();
        write_svg(&d, &mut bytes, &o).unwrap();
        std::fs::write(&svg, bytes).unwrap();
        out.push(svg);
    }
    out
}

fn sheets(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    sheets_with(dir, false)
}

#[test]
fn sheets_are_well_formed_with_their_groups() {
    let Some(py) = common::python_with(&["xml.etree.ElementTree"]) else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let files = sheets(dir.path());
    let o = Command::new(py)
        .arg("-c")
        .arg(CHECK)
        .args(&files)
        .output()
        .unwrap();
    assert!(
        o.status.success(),
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    );
}

#[test]
fn sheets_render_with_librsvg() {
    let have = Command::new("rsvg-convert")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !have {
        assert!(
            std::env::var("PLANFORM_REQUIRE_VALIDATORS").as_deref() != Ok("1"),
            "rsvg-convert is missing"
        );
        eprintln!("SKIPPED: rsvg-convert (librsvg2-bin) is not installed");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    for svg in sheets_with(dir.path(), true) {
        let png = svg.with_extension("png");
        let o = Command::new("rsvg-convert")
            .arg("-w")
            .arg("1600")
            .arg(&svg)
            .arg("-o")
            .arg(&png)
            .output()
            .unwrap();
        assert!(
            o.status.success(),
            "{}: {}",
            svg.display(),
            String::from_utf8_lossy(&o.stderr)
        );
        let img = image::open(&png).unwrap().to_rgb8();
        let non_white = img.pixels().filter(|p| p.0 != [255, 255, 255]).count();
        assert!(
            non_white > 100,
            "{}: only {non_white} drawn pixels",
            svg.display()
        );
    }
}

/// The golden image of each sheet is librsvg's rendering (an independent
/// renderer): resvg's, through `render_png`, must match it to within a
/// small share of differing pixels (anti-aliasing and glyph shapes).
#[cfg(feature = "png")]
#[test]
fn resvg_renders_what_librsvg_renders() {
    if !common::have_tool("rsvg-convert", &["--version"]) {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    for svg in sheets(dir.path()) {
        let ours = planform::export::svg::render_png(&std::fs::read(&svg).unwrap(), 400).unwrap();
        let ours = image::load_from_memory(&ours).unwrap().to_rgb8();
        let golden = svg.with_extension("golden.png");
        let o = Command::new("rsvg-convert")
            .args(["-w", "400", "-b", "white"])
            .arg(&svg)
            .arg("-o")
            .arg(&golden)
            .output()
            .unwrap();
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        let golden = image::open(&golden).unwrap().to_rgb8();
        assert_eq!(ours.width(), golden.width());
        assert!(ours.height().abs_diff(golden.height()) <= 1);
        let (w, h) = (ours.width(), ours.height().min(golden.height()));
        let mut differing = 0u32;
        let mut drawn = 0u32;
        for y in 0..h {
            for x in 0..w {
                let (a, b) = (ours.get_pixel(x, y).0, golden.get_pixel(x, y).0);
                if a.iter().zip(b).any(|(p, q)| p.abs_diff(q) > 48) {
                    differing += 1;
                }
                if a != [255, 255, 255] {
                    drawn += 1;
                }
            }
        }
        let share = f64::from(differing) / f64::from(w * h);
        eprintln!("{}: {:.3}% of pixels differ", svg.display(), share * 100.0);
        assert!(drawn > 200, "{}: resvg drew {drawn} pixels", svg.display());
        assert!(
            share < 0.005,
            "{}: {:.2}% of pixels differ",
            svg.display(),
            share * 100.0
        );
    }
}
