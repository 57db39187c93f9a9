//! The `convert` example as a user runs it: exit codes, messages naming the
//! file and the JSON Pointer, and no partial or clobbered output.

#![allow(clippy::unwrap_used, clippy::missing_panics_doc)]

mod common;

use std::path::Path;
use std::process::{Command, Output};

fn convert(args: &[&std::ffi::OsStr]) -> Output {
    Command::new(common::example_bin("convert"))
        .args(args)
        .output()
        .unwrap()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn os(p: &Path) -> &std::ffi::OsStr {
    p.as_os_str()
}

#[test]
fn converts_every_good_fixture_losslessly() {
    let dir = tempfile::tempdir().unwrap();
    for input in common::good_site_plans() {
        let out = dir.path().join("out.geojson");
        let o = convert(&[os(&input), os(&out)]);
        assert!(o.status.success(), "{}: {}", input.display(), stderr(&o));
        let a = common::json_value(&std::fs::read(&input).unwrap());
        let b = common::json_value(&std::fs::read(&out).unwrap());
        assert_eq!(a, b, "{}", input.display());
    }
}

#[test]
fn every_malformed_fixture_fails_cleanly_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let expected: serde_json::Map<String, serde_json::Value> =
        serde_json::from_slice(&std::fs::read(common::fixture("malformed/expected.json")).unwrap())
            .unwrap();
    for (name, want) in &expected {
        let input = common::fixture("malformed").join(name);
        let out = dir.path().join(format!("{name}.out.geojson"));
        let o = convert(&[os(&input), os(&out)]);
        let err = stderr(&o);
        assert_eq!(o.status.code(), Some(1), "{name}: {err}");
        assert!(!err.contains("panicked"), "{name}: {err}");
        assert!(
            err.contains(name.as_str()),
            "{name}: message must name the file: {err}"
        );
        let pointer = want["pointer"].as_str().unwrap();
        if !pointer.is_empty() && pointer.len() < 100 {
            assert!(
                err.contains(pointer),
                "{name}: message must give the pointer {pointer}: {err}"
            );
        }
        assert!(!out.exists(), "{name}: output must not be created");
    }
    assert_eq!(
        std::fs::read_dir(dir.path()).unwrap().count(),
        0,
        "no temporary files left behind"
    );
}

#[test]
fn an_existing_output_is_untouched_on_failure() {
    let dir = tempfile::tempdir().unwrap();
    for ext in ["geojson", "svg", "dxf", "gpkg"] {
        let out = dir.path().join(format!("keep.{ext}"));
        std::fs::write(&out, b"precious").unwrap();
        for bad in ["malformed/truncated.json", "malformed/nan_coordinates.json"] {
            let o = convert(&[os(&common::fixture(bad)), os(&out), "--lenient".as_ref()]);
            assert_eq!(o.status.code(), Some(1), "{bad} -> {ext}");
            assert_eq!(std::fs::read(&out).unwrap(), b"precious");
        }
    }
    // nothing else was left behind (no temporary files)
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 4);
}

#[test]
fn every_fixture_converts_to_every_format() {
    let dir = tempfile::tempdir().unwrap();
    for f in common::good_site_plans() {
        for ext in ["svg", "dxf", "gpkg"] {
            let out = dir.path().join(format!(
                "{}.{ext}",
                f.file_stem().unwrap().to_string_lossy()
            ));
            let o = convert(&[os(&f), os(&out)]);
            assert!(o.status.success(), "{}: {}", f.display(), stderr(&o));
            assert!(std::fs::metadata(&out).unwrap().len() > 1000);
        }
        // --format overrides the extension; R12 on request
        let out = dir.path().join("x.cad");
        let o = convert(&[
            os(&f),
            os(&out),
            "--format".as_ref(),
            "dxf".as_ref(),
            "--dxf-version".as_ref(),
            "R12".as_ref(),
            "--units".as_ref(),
            "ft".as_ref(),
        ]);
        assert!(o.status.success(), "{}", stderr(&o));
        assert!(
            String::from_utf8(std::fs::read(&out).unwrap())
                .unwrap()
                .contains("AC1009")
        );
    }
    let o = convert(&[
        os(&common::good_site_plans()[0]),
        os(&dir.path().join("x.xyz")),
    ]);
    // a usage error (with the gdal feature too: GDAL has no driver for it)
    let (code, text) = (2, "unsupported output format");
    assert_eq!(o.status.code(), Some(code));
    assert!(!dir.path().join("x.xyz").exists());
    assert!(stderr(&o).contains(text), "{}", stderr(&o));
    let o = convert(&[
        os(&common::good_site_plans()[0]),
        os(&dir.path().join("x.dxf")),
        "--dxf-version".as_ref(),
        "R14".as_ref(),
    ]);
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn lenient_turns_validation_errors_into_warnings_but_not_parse_errors() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out.geojson");
    let bad = common::fixture("malformed/confidence_out_of_range.json");
    let o = convert(&[os(&bad), os(&out), "--lenient".as_ref()]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stderr(&o).contains("warning"), "{}", stderr(&o));
    assert_eq!(
        common::json_value(&std::fs::read(&out).unwrap()),
        common::json_value(&std::fs::read(&bad).unwrap())
    );
    let broken = common::fixture("malformed/nan_coordinates.json");
    let out2 = dir.path().join("out2.geojson");
    let o = convert(&[os(&broken), os(&out2), "--lenient".as_ref()]);
    assert_eq!(o.status.code(), Some(1));
    assert!(!out2.exists());
}

#[test]
fn filters_and_usage_errors() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("trees.geojson");
    let input = common::fixture("site/interior_lot.json");
    let o = convert(&[os(&input), os(&out), "--types".as_ref(), "trees".as_ref()]);
    assert!(o.status.success(), "{}", stderr(&o));
    let v = common::json_value(&std::fs::read(&out).unwrap());
    assert_eq!(v["features"].as_array().unwrap().len(), 1);
    assert_eq!(v["features"][0]["properties"]["catalogType"], "tree");
    assert!(v.get("parcel").is_some(), "top-level records are kept");

    let o = convert(&[os(&input), os(&out), "--types".as_ref(), "ufos".as_ref()]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("ufos"));
    let o = convert(&[os(&input)]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("Usage: convert"), "{}", stderr(&o));
    let o = convert(&["/nonexistent/in.json".as_ref(), os(&out)]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("/nonexistent/in.json"));
}

#[test]
fn a_200_mb_input_is_refused_without_reading_it() {
    let dir = tempfile::tempdir().unwrap();
    let big = dir.path().join("big.json");
    std::fs::File::create(&big)
        .unwrap()
        .set_len(200_000_000)
        .unwrap();
    let out = dir.path().join("out.geojson");
    let o = convert(&[
        os(&big),
        os(&out),
        "--max-bytes".as_ref(),
        "67108864".as_ref(),
    ]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("over the limit"), "{}", stderr(&o));
    assert!(!out.exists());
}

/// A 40×30 wall mask (a room with a door gap) as PNG bytes.
fn room_png() -> Vec<u8> {
    let img = image::GrayImage::from_fn(40, 30, |x, y| {
        let wall = ((5..35).contains(&x) && (5..8).contains(&y))
            || ((5..35).contains(&x) && (22..25).contains(&y) && !(15..22).contains(&x))
            || ((5..8).contains(&x) && (5..25).contains(&y))
            || ((32..35).contains(&x) && (5..25).contains(&y));
        image::Luma([if wall { 255 } else { 0 }])
    });
    let mut out = std::io::Cursor::new(Vec::new());
    img.write_to(&mut out, image::ImageFormat::Png).unwrap();
    out.into_inner()
}

#[test]
fn masks_and_floor_plan_geojson_convert_to_every_format() {
    let dir = tempfile::tempdir().unwrap();
    let mask = dir.path().join("room_wall.png");
    std::fs::write(&mask, room_png()).unwrap();
    for mode in ["outline", "centerline"] {
        let contract = dir.path().join(format!("{mode}.geojson"));
        let o = convert(&[
            os(&mask),
            os(&contract),
            "--mode".as_ref(),
            mode.as_ref(),
            "--px-per-m".as_ref(),
            "10".as_ref(),
        ]);
        assert!(o.status.success(), "{}", stderr(&o));
        let v = common::json_value(&std::fs::read(&contract).unwrap());
        assert_eq!(v["planform"]["units"], "m");
        assert_eq!(v["planform"]["imageWidth"], 40);
        for ext in ["dxf", "gpkg", "svg"] {
            // from the mask and from the contract: the same drawing
            let a = dir.path().join(format!("{mode}_a.{ext}"));
            let b = dir.path().join(format!("{mode}_b.{ext}"));
            let args = ["--mode", mode, "--px-per-m", "10"].map(std::ffi::OsStr::new);
            let o = convert(&[&[os(&mask), os(&a)][..], &args[..]].concat());
            assert!(o.status.success(), "{}", stderr(&o));
            let o = convert(&[os(&contract), os(&b)]);
            assert!(o.status.success(), "{}", stderr(&o));
            if ext != "gpkg" {
                assert_eq!(
                    std::fs::read(&a).unwrap(),
                    std::fs::read(&b).unwrap(),
                    "{ext}"
                );
            }
        }
    }
    // a broken contract names the member
    let bad = dir.path().join("bad.geojson");
    std::fs::write(
        &bad,
        br#"{"type":"FeatureCollection","planform":{"units":"cm"},"features":[]}"#,
    )
    .unwrap();
    let o = convert(&[os(&bad), os(&dir.path().join("bad.dxf"))]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("/planform/units"), "{}", stderr(&o));
}

#[test]
fn a_directory_converts_in_a_batch_skipping_bad_files() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in");
    std::fs::create_dir(&input).unwrap();
    std::fs::write(input.join("room_wall.png"), room_png()).unwrap();
    std::fs::copy(
        common::fixture("site/corner_lot.json"),
        input.join("corner.json"),
    )
    .unwrap();
    std::fs::write(input.join("truncated.png"), &room_png()[..60]).unwrap();
    std::fs::write(input.join("notes.txt"), b"ignored").unwrap();
    let out = dir.path().join("out");
    let o = convert(&[os(&input), os(&out)]);
    assert_eq!(o.status.code(), Some(2), "a directory needs --format");
    let o = convert(&[os(&input), os(&out), "--format".as_ref(), "dxf".as_ref()]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(
        err.contains("truncated.png") && err.contains("1 failed"),
        "{err}"
    );
    let mut written: Vec<String> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    written.sort();
    assert_eq!(written, ["corner.dxf", "room_wall.dxf"]);
}
