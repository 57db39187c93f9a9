//! Helpers shared by the integration tests: fixture paths, the external
//! corpus in `../shared/data`, external validator tools, and the
//! `PLANFORM_REQUIRE_*` gates that turn a skip into a failure.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Command;

/// The workspace root.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A path under `fixtures/`.
pub fn fixture(rel: &str) -> PathBuf {
    root().join("fixtures").join(rel)
}

fn flag(name: &str) -> bool {
    std::env::var(name).is_ok_and(|v| v == "1" || v.eq_ignore_ascii_case("true"))
}

/// Skips (returns `None` after printing why) or, when the gate variable is
/// set, fails the test.
fn skip_or_fail<T>(gate: &str, why: &str) -> Option<T> {
    assert!(!flag(gate), "{gate}=1 but {why}");
    eprintln!("SKIPPED: {why} (set {gate}=1 to make this a failure)");
    None
}

/// `../shared/data` (or `PLANFORM_CORPUS`), or `None` with a printed reason.
pub fn corpus() -> Option<PathBuf> {
    let dir = std::env::var_os("PLANFORM_CORPUS").map_or_else(
        || root().join("..").join("shared").join("data"),
        PathBuf::from,
    );
    if dir.is_dir() {
        Some(dir)
    } else {
        skip_or_fail(
            "PLANFORM_REQUIRE_CORPUS",
            &format!("corpus {} is absent", dir.display()),
        )
    }
}

/// A Python interpreter that can import every module in `modules`, or `None`
/// with a printed reason (failure under `PLANFORM_REQUIRE_VALIDATORS=1`).
pub fn python_with(modules: &[&str]) -> Option<PathBuf> {
    let candidates = std::env::var_os("PLANFORM_PYTHON").map_or_else(
        || vec![PathBuf::from("python3"), PathBuf::from("/usr/bin/python3")],
        |p| vec![PathBuf::from(p)],
    );
    let probe = format!("import {}", modules.join(", "));
    for py in candidates {
        let ok = Command::new(&py)
            .arg("-c")
            .arg(&probe)
            .output()
            .is_ok_and(|o| o.status.success());
        if ok {
            return Some(py);
        }
    }
    skip_or_fail(
        "PLANFORM_REQUIRE_VALIDATORS",
        &format!(
            "no python3 with {} (scripts/test.sh installs it)",
            modules.join(", ")
        ),
    )
}

/// Every file below `dir` (sorted), recursively.
pub fn files_below(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(rd) = std::fs::read_dir(&d) else {
            continue;
        };
        for e in rd.flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

/// Parses bytes as a plain JSON value (the reference for round trips),
/// each number as the round trip promises to keep it: integers digit for
/// digit (`serde_json` keeps their text), every other number as the double it
/// denotes (`-10757008.239565646275878`, more digits than a double holds,
/// equals the `-10757008.239565646` a position writes back).
pub fn json_value(bytes: &[u8]) -> serde_json::Value {
    fn canonical(v: &mut serde_json::Value) {
        match v {
            serde_json::Value::Number(n) => {
                let integer = !n.to_string().contains(['.', 'e', 'E']);
                if !integer && let Some(d) = n.as_f64().and_then(serde_json::Number::from_f64) {
                    *n = d;
                }
            }
            serde_json::Value::Array(a) => a.iter_mut().for_each(canonical),
            serde_json::Value::Object(o) => o.values_mut().for_each(canonical),
            _ => {}
        }
    }
    let mut v = serde_json::from_slice(bytes).expect("reference JSON parse");
    canonical(&mut v);
    v
}

/// The authored and seed site plans that must parse, validate and round-trip.
pub fn good_site_plans() -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = files_below(&fixture("site"));
    v.push(fixture("seed/features_include.json"));
    v.retain(|p| p.extension().is_some_and(|e| e == "json"));
    v
}

/// An example binary cargo built for this test run (`cargo test` builds the
/// examples next to the test executables).
pub fn example_bin(name: &str) -> PathBuf {
    let exe = std::env::current_exe().expect("test executable path");
    let dir = exe
        .parent()
        .and_then(Path::parent)
        .expect("target directory");
    let bin = dir
        .join("examples")
        .join(format!("{name}{}", std::env::consts::EXE_SUFFIX));
    assert!(
        bin.exists(),
        "{} not built; run `cargo test` (it builds the examples)",
        bin.display()
    );
    bin
}

/// Every site input the writers are checked on: the good fixtures, the
/// analysed lot (yards with ground, fence layout, gates), then
/// the shared corpus's site GeoJSON files (`.geojson`, `.parcel`) when the
/// corpus is present.
pub fn site_inputs() -> Vec<PathBuf> {
    let mut v = good_site_plans();
    v.push(fixture("analyzed/flag_lot_analyzed.json"));
    if let Some(c) = corpus() {
        v.extend(files_below(&c.join("site")).into_iter().filter(|p| {
            p.extension()
                .is_some_and(|e| e == "geojson" || e == "parcel")
        }));
    }
    v
}

/// Whether a command runs (the probe arguments exit 0; Qt programs on the
/// offscreen platform); else skips with a printed reason or fails under
/// `PLANFORM_REQUIRE_VALIDATORS=1`.
pub fn have_tool(cmd: &str, probe: &[&str]) -> bool {
    let ok = Command::new(cmd)
        .args(probe)
        .env("QT_QPA_PLATFORM", "offscreen")
        .output()
        .is_ok_and(|o| o.status.success());
    ok || skip_or_fail::<()>(
        "PLANFORM_REQUIRE_VALIDATORS",
        &format!("{cmd} is not installed (scripts/test.sh installs it)"),
    )
    .is_some()
}

/// Runs `tests/conformance/run_each.py SCRIPT SETS...` with `py` and fails
/// the test with every run's output unless all passed.
pub fn run_each(py: &Path, script: &str, sets: &[String]) {
    let o = Command::new(py)
        .arg(root().join("tests/conformance/run_each.py"))
        .arg(script)
        .args(sets)
        .output()
        .expect("run python");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    );
    assert!(o.status.success(), "{script}:\n{text}");
    eprintln!("{text}");
}

/// Floor plans vectorized from a few corpus masks (R3D, MLSTRUCT, R2V), in
/// outline and centreline mode, with their names; empty without the corpus.
pub fn corpus_floor_plans() -> Vec<(String, planform::model::FloorPlan)> {
    use planform::walls::output::{OutputOptions, centerlines_floor_plan, outlines_floor_plan};
    let Some(c) = corpus() else {
        return Vec::new();
    };
    let masks = [
        "floorplans/r3d/r3d_10_wall.png",
        "floorplans/mlstruct/mlstruct_302_q_wall.png",
        "floorplans/r2v/r2v_floorplan_1_wall.png",
    ];
    let mut out = Vec::new();
    for m in masks {
        let path = c.join(m);
        let mask = planform::walls::read_mask(&path, &planform::walls::DecodeOptions::default())
            .expect("corpus mask");
        let stem = path.file_stem().unwrap().to_string_lossy().into_owned();
        let px = OutputOptions::default();
        let metres = OutputOptions {
            px_per_m: Some(50.0),
            ..OutputOptions::default()
        };
        let o = planform::walls::outline::outlines(
            &mask,
            &planform::walls::outline::OutlineOptions::default(),
        )
        .unwrap();
        out.push((
            format!("{stem}_outline"),
            outlines_floor_plan(&o, &px).unwrap(),
        ));
        let cl = planform::walls::centerline::centerlines(
            &mask,
            &planform::walls::centerline::CenterlineOptions::default(),
        )
        .unwrap();
        out.push((
            format!("{stem}_centerline"),
            centerlines_floor_plan(&cl, &metres).unwrap(),
        ));
    }
    out
}

/// The drawing of a site-plan file: in a local UTM frame with labels, or
/// (`native`) in the plan's own CRS.
pub fn site_drawing(input: &Path, native: bool) -> planform::export::Drawing {
    let plan = planform::model::SitePlan::read(input).expect("read plan");
    planform::export::site::site_plan_drawing(
        &plan,
        &planform::export::site::SiteDrawingOptions {
            labels: !native,
            native,
            ..Default::default()
        },
    )
    .expect("drawing")
}

/// The drawings of [`corpus_floor_plans`], wall bodies included.
pub fn corpus_floor_drawings() -> Vec<(String, planform::export::Drawing)> {
    use planform::export::floor::{FloorDrawingOptions, floor_plan_drawing};
    let o = FloorDrawingOptions {
        bodies: true,
        ..Default::default()
    };
    corpus_floor_plans()
        .into_iter()
        .map(|(name, fp)| (name, floor_plan_drawing(&fp, &o).expect("drawing")))
        .collect()
}

/// Every coordinate array (`[x, y]` leaves) below `v`, in document order.
pub fn positions(v: &serde_json::Value, out: &mut Vec<(f64, f64)>) {
    match v {
        serde_json::Value::Array(a)
            if a.len() >= 2 && a.iter().all(serde_json::Value::is_number) =>
        {
            out.push((
                a[0].as_f64().unwrap_or(f64::NAN),
                a[1].as_f64().unwrap_or(f64::NAN),
            ));
        }
        serde_json::Value::Array(a) => a.iter().for_each(|x| positions(x, out)),
        serde_json::Value::Object(m) => m.values().for_each(|x| positions(x, out)),
        _ => {}
    }
}

/// A block of 2 × `n` lots 20 × 35 m between Main St and Elm St, with a
/// house on each: parcels and roads as GeoJSON files in `dir`.
pub fn write_block(
    dir: &Path,
    n: usize,
) -> (std::path::PathBuf, std::path::PathBuf, std::path::PathBuf) {
    let (lat, lon) = (32.33f64, -96.62f64);
    let at = |x: f64, y: f64| {
        serde_json::json!([
            lon + x / (111_320.0 * lat.to_radians().cos()),
            lat + y / 110_574.0
        ])
    };
    let rect = |x: f64, y: f64, w: f64, h: f64| {
        serde_json::json!([[
            at(x, y),
            at(x + w, y),
            at(x + w, y + h),
            at(x, y + h),
            at(x, y)
        ]])
    };
    let mut lots = Vec::new();
    let mut houses = Vec::new();
    for row in 0..2 {
        for k in 0..n {
            let (x, y) = (20.0 * k as f64, 35.0 * f64::from(row));
            lots.push(
                serde_json::json!({"type": "Feature", "id": format!("lot-{row}-{k}"),
                "properties": {"PIN": format!("{row}-{k}")},
                "geometry": {"type": "Polygon", "coordinates": rect(x, y, 20.0, 35.0)}}),
            );
            houses.push(serde_json::json!({"type": "Feature", "properties": {},
                "geometry": {"type": "Polygon", "coordinates": rect(x + 4.0, y + 10.0, 12.0, 12.0)}}));
        }
    }
    let w = 20.0 * n as f64;
    let roads = serde_json::json!({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"FULLNAME": "Main St"},
         "geometry": {"type": "LineString", "coordinates": [at(-50.0, -8.0), at(w + 50.0, -8.0)]}},
        {"type": "Feature", "properties": {"FULLNAME": "Elm St"},
         "geometry": {"type": "LineString", "coordinates": [at(-50.0, 78.0), at(w + 50.0, 78.0)]}}]});
    let paths = (
        dir.join("parcels.geojson"),
        dir.join("roads.geojson"),
        dir.join("houses.geojson"),
    );
    let fc = |features: Vec<serde_json::Value>| {
        serde_json::to_vec(&serde_json::json!({"type": "FeatureCollection", "features": features}))
            .unwrap()
    };
    std::fs::write(&paths.0, fc(lots)).unwrap();
    std::fs::write(&paths.1, serde_json::to_vec(&roads).unwrap()).unwrap();
    std::fs::write(&paths.2, fc(houses)).unwrap();
    paths
}

/// `analyze --batch` with `args`, run to its end.
pub fn batch_cli(args: &[&std::ffi::OsStr]) -> std::process::Output {
    Command::new(example_bin("analyze"))
        .arg("--batch")
        .args(args)
        .output()
        .unwrap()
}

/// `analyze --batch IN OUT --sides SIDES` with the block's context
/// (parcels, roads, houses as `inputs`; [`write_block`]), the fixture
/// minimums and `PIN` as the id field.
pub fn block_batch(
    inputs: (&Path, &Path, &Path),
    out: &Path,
    sides: &Path,
) -> std::process::Output {
    let minimums = fixture("analyzed/minimums.json");
    batch_cli(&[
        inputs.0.as_os_str(),
        out.as_os_str(),
        "--sides".as_ref(),
        sides.as_os_str(),
        "--roads".as_ref(),
        inputs.1.as_os_str(),
        "--buildings".as_ref(),
        inputs.2.as_os_str(),
        "--minimums".as_ref(),
        minimums.as_os_str(),
        "--id-field".as_ref(),
        "PIN".as_ref(),
    ])
}

/// Fails with the process's stderr unless it exited 0.
pub fn assert_ok(o: &std::process::Output) {
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
}

/// Two batches' GeoJSON rows (`n` of them, `PIN` ids) agree as the same
/// parcels in two CRSs must: the same ids, roles and fits in the same
/// order, envelope areas within 0.1 % (a reprojection's round trip).
pub fn assert_same_analysis(a: &Path, b: &Path, n: usize) {
    let rows = |p: &Path| {
        let doc: serde_json::Value = serde_json::from_slice(&std::fs::read(p).unwrap()).unwrap();
        doc["features"].as_array().unwrap().clone()
    };
    let (a, b) = (rows(a), rows(b));
    assert_eq!(a.len(), n);
    assert_eq!(a.len(), b.len());
    for (a, b) in a.iter().zip(&b) {
        let (a, b) = (&a["properties"], &b["properties"]);
        assert_eq!(a["PIN"], b["PIN"]);
        assert_eq!(a["roles"], b["roles"], "{}", a["PIN"]);
        assert_eq!(a["footprint_fits"], b["footprint_fits"]);
        let (x, y) = (
            a["envelope_area_sqm"].as_f64().unwrap(),
            b["envelope_area_sqm"].as_f64().unwrap(),
        );
        assert!((x - y).abs() < 1e-3 * x, "{}: {x} vs {y}", a["PIN"]);
    }
}

/// The block of [`write_block`] (2 × `n` lots) in `dir` and its GeoJSON
/// batch, the reference other inputs are held to: the input paths, the
/// rows and the sides.
pub fn block_reference(dir: &Path, n: usize) -> ((PathBuf, PathBuf, PathBuf), PathBuf, PathBuf) {
    let inputs = write_block(dir, n);
    let (want, want_sides) = (dir.join("want.geojson"), dir.join("want_sides.geojson"));
    assert_ok(&block_batch(
        (&inputs.0, &inputs.1, &inputs.2),
        &want,
        &want_sides,
    ));
    (inputs, want, want_sides)
}

/// Each input of `cases` (path, the name the message gives, what it says)
/// refused by `analyze --batch` with exit 1 and that message, `kept` (an
/// existing output) left as it was, and no staged file left in `dir`.
pub fn assert_refused(dir: &Path, kept: &Path, cases: &[(&Path, &str, &str)]) {
    for (input, name, says) in cases {
        std::fs::write(kept, b"mine").unwrap();
        let o = batch_cli(&[input.as_os_str(), kept.as_os_str()]);
        let err = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(1), "{}: {err}", input.display());
        assert!(err.contains(name) && err.contains(says), "{says}? {err}");
        assert_eq!(std::fs::read(kept).unwrap(), b"mine");
    }
    let leftovers: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .filter_map(|e| {
            let n = e.unwrap().file_name().to_string_lossy().into_owned();
            n.ends_with(".staged").then_some(n)
        })
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

/// LibreCAD's `dxf2pdf -a` of `dxf` (headless, in `dir`); returns the PDF
/// beside it, failing the test when LibreCAD fails or writes none.
pub fn librecad_pdf(dxf: &Path, dir: &Path) -> PathBuf {
    let o = Command::new("librecad")
        .arg("dxf2pdf")
        .arg("-a")
        .arg(dxf)
        .current_dir(dir)
        .env("QT_QPA_PLATFORM", "offscreen")
        .env("XDG_RUNTIME_DIR", dir)
        .output()
        .expect("run librecad");
    let pdf = dxf.with_extension("pdf");
    assert!(
        o.status.success() && pdf.exists(),
        "{}: {}{}",
        dxf.display(),
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    );
    pdf
}
