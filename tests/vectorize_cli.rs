//! The `vectorize` example as a user runs it: single masks, batches with a
//! bad file, previews, usage errors.

#![allow(clippy::unwrap_used, clippy::missing_panics_doc)]

mod common;

use std::process::{Command, Output};

use planform::walls::Mask;

fn run(args: &[&std::ffi::OsStr]) -> Output {
    Command::new(common::example_bin("vectorize"))
        .args(args)
        .output()
        .unwrap()
}

fn png(mask: &Mask) -> Vec<u8> {
    let img = image::GrayImage::from_fn(mask.width(), mask.height(), |x, y| {
        image::Luma([if mask.get(i64::from(x), i64::from(y)) {
            255
        } else {
            0
        }])
    });
    let mut out = std::io::Cursor::new(Vec::new());
    img.write_to(&mut out, image::ImageFormat::Png).unwrap();
    out.into_inner()
}

fn room() -> Mask {
    Mask::from_ascii(
        "
        ..........
        .########.
        .#......#.
        .#......#.
        .###..###.
        ..........",
    )
}

#[test]
fn a_single_mask_with_preview_and_scale() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("room_wall.png");
    std::fs::write(&input, png(&room())).unwrap();
    let out = dir.path().join("out/room.geojson");
    let preview = dir.path().join("out/room.png");
    let o = run(&[input.as_ref(), out.as_ref()]);
    assert_eq!(o.status.code(), Some(1), "no folder out/: refused");
    assert!(String::from_utf8_lossy(&o.stderr).contains("does not exist"));
    std::fs::create_dir(dir.path().join("out")).unwrap();
    let o = run(&[
        input.as_ref(),
        out.as_ref(),
        "--px-per-m".as_ref(),
        "20".as_ref(),
        "--preview".as_ref(),
        preview.as_ref(),
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let v: serde_json::Value = serde_json::from_slice(&std::fs::read(&out).unwrap()).unwrap();
    assert_eq!(v["planform"]["units"], "m");
    assert_eq!(
        v["features"].as_array().unwrap().len(),
        1,
        "a door gap leaves one U-shaped wall"
    );
    let img = image::open(&preview).unwrap();
    assert_eq!((img.width(), img.height()), (10, 6));
}

#[test]
fn a_batch_skips_bad_masks_writes_the_rest_and_fails_at_the_end() {
    let dir = tempfile::tempdir().unwrap();
    let masks = dir.path().join("masks");
    std::fs::create_dir(&masks).unwrap();
    std::fs::write(masks.join("a_wall.png"), png(&room())).unwrap();
    std::fs::write(masks.join("b_wall.png"), &png(&room())[..40]).unwrap(); // truncated
    std::fs::write(masks.join("c_wall.png"), b"not a png").unwrap();
    std::fs::write(
        masks.join("d_wall.png"),
        png(&Mask::from_fn(8, 8, |_, _| false)),
    )
    .unwrap();
    std::fs::write(masks.join("photo.png"), png(&room())).unwrap(); // not *_wall: skipped
    let out = dir.path().join("out");
    let o = run(&[masks.as_ref(), out.as_ref()]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(
        err.contains("b_wall.png") && err.contains("c_wall.png"),
        "{err}"
    );
    assert!(!err.contains("panicked"), "{err}");
    let mut written: Vec<String> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    written.sort();
    assert_eq!(written, ["a_wall.geojson", "d_wall.geojson"]);
    let empty: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("d_wall.geojson")).unwrap()).unwrap();
    assert_eq!(empty["features"].as_array().unwrap().len(), 0);
}

#[test]
fn centerline_mode_writes_walls_with_thickness() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("t_wall.png");
    let t = Mask::from_fn(80, 60, |x, y| {
        ((5..75).contains(&x) && (10..16).contains(&y))
            || ((37..43).contains(&x) && (10..55).contains(&y))
    });
    std::fs::write(&input, png(&t)).unwrap();
    let out = dir.path().join("t.geojson");
    let o = run(&[
        input.as_ref(),
        out.as_ref(),
        "--mode".as_ref(),
        "centerline".as_ref(),
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let v: serde_json::Value = serde_json::from_slice(&std::fs::read(&out).unwrap()).unwrap();
    let features = v["features"].as_array().unwrap();
    assert_eq!(features.len(), 3, "a T is three walls: {v}");
    for f in features {
        assert_eq!(f["geometry"]["type"], "LineString");
        assert!(
            (f["properties"]["thickness"].as_f64().unwrap() - 6.0).abs() <= 1.0,
            "{f}"
        );
    }
    // a mask filled with its polygons' boundary pixels: the same walls, a
    // pixel thinner
    let inclusive = dir.path().join("t_inclusive.geojson");
    let o = run(&[
        input.as_ref(),
        inclusive.as_ref(),
        "--mode".as_ref(),
        "centerline".as_ref(),
        "--mask-edges".as_ref(),
        "inclusive".as_ref(),
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let w: serde_json::Value = serde_json::from_slice(&std::fs::read(&inclusive).unwrap()).unwrap();
    let thinner = w["features"].as_array().unwrap();
    assert_eq!(thinner.len(), features.len());
    for (a, b) in features.iter().zip(thinner) {
        assert_eq!(a["geometry"], b["geometry"]);
        let (ta, tb) = (
            a["properties"]["thickness"].as_f64().unwrap(),
            b["properties"]["thickness"].as_f64().unwrap(),
        );
        assert!((ta - tb - 1.0).abs() < 1e-9, "{ta} {tb}");
    }
}

#[test]
fn usage_errors() {
    let o = run(&["only-one-arg".as_ref()]);
    assert_eq!(o.status.code(), Some(2));
    let o = run(&[
        "a.png".as_ref(),
        "b.geojson".as_ref(),
        "--tolerance".as_ref(),
        "x".as_ref(),
    ]);
    assert_eq!(o.status.code(), Some(2));
    let o = run(&[
        "a.png".as_ref(),
        "b.geojson".as_ref(),
        "--mask-edges".as_ref(),
        "outer".as_ref(),
    ]);
    assert_eq!(o.status.code(), Some(2));
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("m.png");
    std::fs::write(&input, png(&room())).unwrap();
    let o = run(&[
        input.as_ref(),
        dir.path().join("o.geojson").as_ref(),
        "--tolerance".as_ref(),
        "-1".as_ref(),
    ]);
    assert_eq!(
        o.status.code(),
        Some(2),
        "negative tolerance is a usage error"
    );
    assert!(!dir.path().join("o.geojson").exists());
    // an extension it does not write
    let o = run(&[input.as_ref(), dir.path().join("o.dxf").as_ref()]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("GeoJSON only"));
    assert!(!dir.path().join("o.dxf").exists());
}

/// Issue 13: masks whose structure would take minutes and gigabytes (an
/// 18.7 KB checkerboard PNG aborted the outline mode, noise took 49 s) are
/// refused with a typed error at once, in both modes, and nothing is
/// written; grey images are vectorized with a warning.
#[test]
fn hostile_masks_are_refused_and_grey_images_warned_about() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("o.geojson");
    let mut seed = 7u64;
    let mut random = move || {
        seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
        (seed >> 33).is_multiple_of(2)
    };
    let masks = [
        (
            "checker",
            Mask::from_fn(4000, 4000, |x, y| (x + y) % 2 == 0),
        ),
        ("noise", Mask::from_fn(2000, 2000, |_, _| random())),
        (
            "grid",
            Mask::from_fn(2000, 2000, |x, y| x % 10 == 0 || y % 10 == 0),
        ),
    ];
    for (name, m) in &masks {
        let input = dir.path().join(format!("{name}.png"));
        std::fs::write(&input, png(m)).unwrap();
        for mode in ["outline", "centerline"] {
            let o = run(&[
                input.as_ref(),
                out.as_ref(),
                "--mode".as_ref(),
                mode.as_ref(),
            ]);
            let err = String::from_utf8_lossy(&o.stderr);
            assert_eq!(o.status.code(), Some(1), "{name} {mode}: {err}");
            assert!(err.contains("too complex"), "{name} {mode}: {err}");
            assert!(!out.exists());
        }
    }
    // a grey gradient: vectorized, with a warning that it is no mask
    let grey = image::GrayImage::from_fn(64, 64, |x, _| image::Luma([(x * 4) as u8]));
    let input = dir.path().join("plan.png");
    grey.save(&input).unwrap();
    let o = run(&[input.as_ref(), out.as_ref()]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(o.status.success(), "{err}");
    assert!(err.contains("does not look like a wall mask"), "{err}");
    let o = run(&[dir.path().join("checker.png").as_ref(), out.as_ref()]);
    assert!(!String::from_utf8_lossy(&o.stderr).contains("does not look like"));
}
