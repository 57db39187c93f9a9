//! Property tests (proptest) for every parser and writer: whatever the
//! input, the answer is a value or a typed error, never a panic, and what
//! is written is well formed.
//!
//! - site-plan JSON: mutated fixtures parse or fail with a pointer; what
//!   parses validates without panicking and writes back to the same value;
//! - floor-plan GeoJSON: random documents in the contract's shape;
//! - masks: random PNG bytes decode or fail; random small masks vectorize
//!   in both modes, outlines exactly (tolerance 0 covers the mask's pixels),
//!   centrelines with finite coordinates and positive thickness;
//! - DEM GeoTIFFs: mutated files read or fail;
//! - the whole site analysis on random lots (self-crossing rings, repeated
//!   vertices) with random minimums: an answer or an error, and an envelope
//!   that is finite and within the lot's box;
//! - the DXF, SVG and GeoPackage writers on arbitrary drawings (names,
//!   labels and attributes with control characters, coordinates up to
//!   1e300, NaN): a typed error, or a file whose structure holds (DXF tag
//!   pairs, no non-finite numbers); `conformance_properties` runs a sample
//!   of the same drawings through the external strict gates.
//!
//! Cases per property: 64 (`PROPTEST_CASES` overrides), so the whole file
//! runs in seconds in a debug build.

#![allow(clippy::unwrap_used, clippy::missing_panics_doc)]

mod common;

use proptest::prelude::*;

use planform::export::{Drawing, Entity, Layer, Shape, Units, Value, dxf, gpkg, svg};
use planform::model::SitePlan;
use planform::walls::Mask;

fn config() -> ProptestConfig {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(64);
    ProptestConfig {
        cases,
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

/// A byte-level mutation of `base`: flips, deletions, insertions, a cut.
fn mutated(base: Vec<u8>) -> impl Strategy<Value = Vec<u8>> {
    let n = base.len().max(1);
    (
        prop::collection::vec((0..n, any::<u8>(), 0u8..4), 1..8),
        prop::option::of(0..n),
    )
        .prop_map(move |(edits, cut)| {
            let mut b = base.clone();
            for (at, byte, op) in edits {
                let at = at.min(b.len());
                match op {
                    0 if at < b.len() => b[at] = byte,
                    1 if at < b.len() => {
                        b.remove(at);
                    }
                    2 => b.insert(at, byte),
                    _ => {
                        // a JSON-significant byte, to reach deeper
                        let tokens = b"{}[],:\"0-e.9nt";
                        b.insert(at, tokens[byte as usize % tokens.len()]);
                    }
                }
            }
            if let Some(c) = cut {
                b.truncate(c);
            }
            b
        })
}

/// Strings with what breaks writers: controls, quotes, XML and DXF
/// specials, non-ASCII.
fn nasty_string() -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop_oneof![
            Just('\n'),
            Just('\r'),
            Just('\0'),
            Just('\u{1b}'),
            Just('"'),
            Just('\''),
            Just('<'),
            Just('&'),
            Just('{'),
            Just('\\'),
            Just('·'),
            Just('é'),
            Just('漢'),
            prop::char::range('a', 'z'),
            prop::char::range(' ', '~'),
        ],
        0..40,
    )
    .prop_map(|v| v.into_iter().collect())
}

/// Coordinates mostly plausible, sometimes absurd.
fn coordinate() -> impl Strategy<Value = f64> {
    prop_oneof![
        8 => -1e6..1e6f64,
        1 => Just(f64::NAN),
        1 => Just(1e300),
        1 => Just(-2e12),
        1 => Just(f64::INFINITY),
    ]
}

fn point() -> impl Strategy<Value = geo_types::Coord<f64>> {
    (coordinate(), coordinate()).prop_map(|(x, y)| geo_types::Coord { x, y })
}

fn shape() -> BoxedStrategy<Shape> {
    let line = prop::collection::vec(point(), 2..8).prop_map(|v| Shape::Polyline(v.into()));
    let area = prop::collection::vec(point(), 3..8).prop_map(|mut v| {
        v.push(v[0]);
        Shape::Area(geo_types::Polygon::new(v.into(), vec![]))
    });
    let single = prop_oneof![point().prop_map(Shape::Point), line, area].boxed();
    prop_oneof![
        4 => single.clone(),
        1 => prop::collection::vec(single, 1..4).prop_map(Shape::Multi),
    ]
    .boxed()
}

fn value() -> impl Strategy<Value = Value> {
    prop_oneof![
        any::<i64>().prop_map(Value::Int),
        any::<f64>().prop_map(Value::Real),
        nasty_string().prop_map(Value::Text),
        any::<bool>().prop_map(Value::Bool),
    ]
}

fn entity() -> impl Strategy<Value = Entity> {
    (
        shape(),
        prop::option::of(nasty_string()),
        prop::collection::vec((nasty_string(), value()), 0..4),
    )
        .prop_map(|(shape, label, attributes)| Entity {
            shape,
            label,
            attributes,
        })
}

/// Arbitrary drawings: 1-3 layers with nasty names, 1-5 entities each.
pub fn drawing() -> impl Strategy<Value = Drawing> {
    (
        prop::collection::vec(
            (nasty_string(), prop::collection::vec(entity(), 1..5)),
            1..4,
        ),
        any::<bool>(),
        prop::option::of(nasty_string()),
    )
        .prop_map(|(layers, feet, title)| Drawing {
            layers: layers
                .into_iter()
                .map(|(name, entities)| Layer {
                    style: planform::export::style::default_style(&name),
                    name,
                    entities,
                    fields: vec![],
                })
                .collect(),
            units: if feet { Units::Feet } else { Units::Metres },
            epsg: None,
            title,
        })
}

/// The DXF's tag stream: codes and values alternate line by line, every
/// code is an integer, every float group a finite number, and it ends
/// with 0/EOF.
fn check_dxf_structure(bytes: &[u8]) -> Result<(), String> {
    let text = String::from_utf8_lossy(bytes);
    let lines: Vec<&str> = text.split("\r\n").collect();
    if lines.last() != Some(&"") || lines.len() % 2 != 1 {
        return Err("lines do not pair".into());
    }
    for pair in lines.chunks(2).filter(|p| p.len() == 2) {
        let code: i32 = pair[0]
            .trim()
            .parse()
            .map_err(|_| format!("code {:?}", pair[0]))?;
        if pair[1].contains(['\n', '\r']) {
            return Err(format!("a line break in group {code}"));
        }
        let float = (10..60).contains(&code)
            || (110..150).contains(&code)
            || (210..240).contains(&code)
            || (1010..1060).contains(&code);
        if float && !pair[1].trim().parse::<f64>().is_ok_and(f64::is_finite) {
            return Err(format!("group {code} value {:?}", pair[1]));
        }
    }
    if lines[lines.len() - 3..lines.len() - 1] != ["  0", "EOF"] {
        return Err("no 0/EOF at the end".into());
    }
    Ok(())
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn site_plan_json_parses_or_fails_with_a_pointer(
        bytes in mutated(std::fs::read(common::fixture("site/corner_lot.json")).unwrap())
    ) {
        match SitePlan::from_slice(&bytes) {
            Ok(plan) => {
                let _ = plan.validate();
                let again = SitePlan::from_slice(&plan.to_vec().unwrap()).unwrap();
                let a: serde_json::Value = serde_json::from_slice(&plan.to_vec().unwrap()).unwrap();
                let b: serde_json::Value = serde_json::from_slice(&again.to_vec().unwrap()).unwrap();
                prop_assert_eq!(a, b);
            }
            Err(e) => prop_assert!(!e.to_string().is_empty()),
        }
    }

    #[test]
    fn floor_plan_geojson_reads_or_fails(
        units in prop_oneof![Just("px"), Just("m"), Just("cm")],
        px_per_m in prop::option::of(coordinate()),
        walls in prop::collection::vec((prop::collection::vec((coordinate(), coordinate()), 0..5), coordinate()), 0..5),
    ) {
        let features: Vec<serde_json::Value> = walls
            .iter()
            .map(|(pts, t)| serde_json::json!({
                "type": "Feature",
                "properties": {"kind": "wall", "thickness": t},
                "geometry": {"type": "LineString", "coordinates": pts.iter().map(|(x, y)| [x, y]).collect::<Vec<_>>()},
            }))
            .collect();
        let doc = serde_json::json!({
            "type": "FeatureCollection",
            "planform": {"units": units, "pxPerM": px_per_m, "imageWidth": 100, "imageHeight": 80},
            "features": features,
        });
        if let Ok(fp) = planform::walls::output::floor_plan_from_geojson(&doc)
            && let Ok(d) = planform::export::floor::floor_plan_drawing(&fp, &planform::export::floor::FloorDrawingOptions::default())
        {
            let mut out = Vec::new();
            if dxf::write_dxf(&d, &mut out, &dxf::DxfOptions::default()).is_ok() {
                prop_assert!(check_dxf_structure(&out).is_ok());
            }
        }
    }

    #[test]
    fn mask_bytes_decode_or_fail(
        bytes in mutated({
            let img = image::GrayImage::from_fn(24, 16, |x, y| image::Luma([if (x / 4 + y / 4) % 2 == 0 { 255 } else { 0 }]));
            let mut out = std::io::Cursor::new(Vec::new());
            img.write_to(&mut out, image::ImageFormat::Png).unwrap();
            out.into_inner()
        })
    ) {
        let _ = planform::walls::decode_mask(&bytes, &planform::walls::DecodeOptions::default());
    }

    #[test]
    fn small_masks_vectorize_in_both_modes(
        w in 1u32..40,
        h in 1u32..40,
        bits in prop::collection::vec(any::<bool>(), 1600),
        blocky in any::<bool>(),
    ) {
        let mask = Mask::from_fn(w, h, |x, y| {
            let (x, y) = if blocky { (x / 3, y / 3) } else { (x, y) };
            bits[(y * 40 + x) as usize % bits.len()]
        });
        let exact = planform::walls::outline::outlines(
            &mask,
            &planform::walls::outline::OutlineOptions { tolerance: 0.0, ..Default::default() },
        ).unwrap();
        if mask.count() == 0 {
            prop_assert!(exact.polygons.is_empty());
        } else {
            prop_assert_eq!(planform::walls::metrics::iou(&mask, &exact.polygons, 2), 1.0);
        }
        planform::walls::outline::outlines(&mask, &planform::walls::outline::OutlineOptions::default()).unwrap();
        let c = planform::walls::centerline::centerlines(&mask, &planform::walls::centerline::CenterlineOptions::default()).unwrap();
        for wall in &c.walls {
            prop_assert!(wall.thickness.is_finite() && wall.thickness > 0.0);
            prop_assert!(wall.centerline.0.iter().all(|p| p.x.is_finite() && p.y.is_finite()));
        }
        // every coordinate written is a number (a NaN would be written null)
        let json = planform::walls::output::centerlines_geojson(&c, &planform::walls::output::OutputOptions::default()).unwrap();
        for f in json["features"].as_array().unwrap() {
            let coords = f["geometry"]["coordinates"].as_array().unwrap();
            prop_assert!(coords.iter().flat_map(|p| p.as_array().unwrap()).all(serde_json::Value::is_number));
        }
    }

    #[test]
    fn dem_geotiffs_read_or_fail(bytes in mutated(dem_fixture())) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("dem.tif");
        std::fs::write(&path, &bytes).unwrap();
        let _ = planform::site::grade::read_dem(&path, 1 << 20);
    }

    #[test]
    fn any_parcel_is_analysed_or_refused(
        ring in prop::collection::vec((-40.0f64..40.0, -40.0f64..40.0), 3..12),
        house in (-15.0f64..15.0, -15.0f64..15.0, 1.0f64..20.0),
        feet in prop::collection::vec(prop::option::of(0.0f64..60.0), 4),
    ) {
        // a lot of random vertices (often self-crossing, sometimes with
        // repeats) 40 m around a point in Texas, a square house, random
        // minimums: the whole analysis answers or refuses, and any
        // envelope is finite and no larger than the lot's box
        let (lon0, lat0): (f64, f64) = (-96.62, 32.33);
        let (mx, my) = (111_320.0 * lat0.to_radians().cos(), 110_574.0);
        let at = |x: f64, y: f64| serde_json::json!([lon0 + x / mx, lat0 + y / my]);
        let mut parcel: Vec<serde_json::Value> = ring.iter().map(|&(x, y)| at(x, y)).collect();
        parcel.push(parcel[0].clone());
        let (hx, hy, w) = house;
        let footprint = vec![at(hx, hy), at(hx + w, hy), at(hx + w, hy + w), at(hx, hy + w), at(hx, hy)];
        let plan = serde_json::json!({"type": "FeatureCollection", "features": [
            {"type": "Feature", "geometry": {"type": "Polygon", "coordinates": [parcel]},
             "properties": {"catalogType": "parcel"}},
            {"type": "Feature", "geometry": {"type": "Polygon", "coordinates": [footprint]},
             "properties": {"catalogType": "building"}},
        ]});
        let plan = SitePlan::from_slice(&serde_json::to_vec(&plan).unwrap()).unwrap();
        let options = planform::site::SiteOptions {
            minimums: planform::site::Minimums {
                front: feet[0], rear: feet[1], interior: feet[2], exterior: feet[3],
            },
            shade: false,
            ..Default::default()
        };
        let context = planform::site::SiteContext::default();
        if let Ok(site) = planform::site::analyze(&plan, &context, planform::site::Rasters::default(), &options)
            && let Some(envelope) = site.envelope.as_ref()
        {
            let (x0, x1) = ring.iter().fold((f64::MAX, f64::MIN), |(a, b), p| (a.min(p.0), b.max(p.0)));
            let (y0, y1) = ring.iter().fold((f64::MAX, f64::MIN), |(a, b), p| (a.min(p.1), b.max(p.1)));
            let area = envelope.area();
            prop_assert!(area.is_finite() && area >= 0.0, "{}", area);
            prop_assert!(area <= (x1 - x0) * (y1 - y0) * 1.01 + 1.0, "{} m² in a {} m² box", area, (x1 - x0) * (y1 - y0));
        }
    }

    #[test]
    fn writers_give_a_typed_error_or_a_well_formed_file(d in drawing()) {
        let finite = d.check_finite().is_ok();
        for version in [dxf::DxfVersion::R12, dxf::DxfVersion::R2007] {
            let mut out = Vec::new();
            let o = dxf::DxfOptions { version, ..Default::default() };
            match dxf::write_dxf(&d, &mut out, &o) {
                Ok(()) => {
                    prop_assert!(finite);
                    prop_assert!(check_dxf_structure(&out).is_ok(), "{:?}", check_dxf_structure(&out));
                }
                Err(e) => prop_assert!(!finite || !e.to_string().is_empty()),
            }
        }
        let mut out = Vec::new();
        match svg::write_svg(&d, &mut out, &svg::SvgOptions::default()) {
            Ok(()) => {
                let text = String::from_utf8(out).unwrap();
                prop_assert!(finite);
                prop_assert!(!text.contains("NaN") && !text.contains("inf"));
                prop_assert!(!text.chars().any(|c| c.is_control() && c != '\n' && c != '\t'));
            }
            Err(_) => prop_assert!(!finite),
        }
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("d.gpkg");
        match gpkg::write_gpkg(&d, &path, &gpkg::GpkgOptions::default()) {
            Ok(()) => prop_assert!(finite && path.exists()),
            Err(e) => {
                // only coordinates are refused: names and values always fit
                prop_assert!(!finite, "{}", e);
                prop_assert!(!path.exists());
            }
        }
    }
}

/// A small float GeoTIFF DEM with georeferencing, written by the tiff crate
/// as GDAL would read it.
fn dem_fixture() -> Vec<u8> {
    let bytes = include_bytes!("../fixtures/dem/small_dem.tif");
    bytes.to_vec()
}

/// A fixed sample of the random drawings (finite ones) through the external
/// strict gates: ezdxf's strict load, recover and audit (`dxf_gate.py`), and
/// GDAL's GeoPackage validator with the project's extra checks.
#[test]
fn random_drawings_pass_the_strict_gates() {
    use proptest::strategy::ValueTree;
    use proptest::test_runner::{Config, TestRng, TestRunner};
    let (Some(ezdxf), Some(gdal)) = (
        common::python_with(&["ezdxf"]),
        common::python_with(&["osgeo", "osgeo_utils.samples.validate_gpkg"]),
    ) else {
        return;
    };
    let mut runner = TestRunner::new_with_rng(
        Config::default(),
        TestRng::deterministic_rng(proptest::test_runner::RngAlgorithm::ChaCha),
    );
    let dir = tempfile::tempdir().unwrap();
    let (mut dxfs, mut gpkgs) = (Vec::new(), Vec::new());
    let mut n = 0;
    while n < 24 {
        let d = drawing().new_tree(&mut runner).unwrap().current();
        if d.check_finite().is_err() {
            continue;
        }
        for (version, tag) in [
            (dxf::DxfVersion::R12, "AC1009"),
            (dxf::DxfVersion::R2007, "AC1021"),
        ] {
            let path = dir.path().join(format!("d{n}.{tag}.dxf"));
            let mut out = Vec::new();
            dxf::write_dxf(
                &d,
                &mut out,
                &dxf::DxfOptions {
                    version,
                    ..Default::default()
                },
            )
            .unwrap();
            std::fs::write(&path, out).unwrap();
            dxfs.push(format!("{}|{tag}", path.display()));
        }
        let path = dir.path().join(format!("d{n}.gpkg"));
        gpkg::write_gpkg(&d, &path, &gpkg::GpkgOptions::default()).unwrap();
        gpkgs.push(path.display().to_string());
        n += 1;
    }
    let gate = common::root().join("tests/conformance/dxf_gate.py");
    common::run_each(&ezdxf, gate.to_str().unwrap(), &dxfs);
    let sets: Vec<String> = gpkgs
        .iter()
        .map(|f| format!("--extra|--warning-as-error|{f}"))
        .collect();
    common::run_each(&gdal, "module:osgeo_utils.samples.validate_gpkg", &sets);
    let gate = common::root().join("tests/conformance/gpkg_gate.py");
    common::run_each(&gdal, gate.to_str().unwrap(), &gpkgs);
}
