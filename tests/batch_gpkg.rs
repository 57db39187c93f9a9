//! GeoPackage in `analyze --batch`, against GDAL:
//!
//! - a block's parcels, roads and houses written by `ogr2ogr` as tables of
//!   one GeoPackage (`FILE.gpkg:TABLE`), and the parcels once more alone in
//!   EPSG:3857, give the rows the GeoJSON files give;
//! - planform's own GeoPackage rows read back as parcels give them too;
//! - a text file named `.gpkg`, a truncated GeoPackage, a GeoPackage of
//!   several tables named by none, a missing table and a table whose CRS is
//!   undefined are refused with exit 1, naming the file, and leave the
//!   output as it was; a parcel with a NaN coordinate keeps its row with an
//!   error.

#![allow(clippy::unwrap_used, clippy::missing_panics_doc)]

mod common;

use std::ffi::OsString;
use std::path::Path;
use std::process::Command;

fn ogr2ogr(args: &[&std::ffi::OsStr]) {
    let o = Command::new("ogr2ogr").args(args).output().unwrap();
    assert!(
        o.status.success(),
        "ogr2ogr {args:?}: {}",
        String::from_utf8_lossy(&o.stderr)
    );
}

fn table(file: &Path, name: &str) -> OsString {
    let mut s = file.as_os_str().to_owned();
    s.push(":");
    s.push(name);
    s
}

/// Runs Python's sqlite3 on `gpkg` with `code` (the connection is `c`),
/// its triggers dropped first (GDAL's call `SpatiaLite` functions).
fn sqlite(py: &Path, gpkg: &Path, code: &str) {
    let script = format!(
        "import sqlite3, struct, sys\nc = sqlite3.connect(sys.argv[1])\n\
         for (n,) in c.execute(\"SELECT name FROM sqlite_master WHERE type = 'trigger'\").fetchall():\n\
         \x20   c.execute(f'DROP TRIGGER \"{{n}}\"')\n{code}\nc.commit()\n"
    );
    let o = Command::new(py)
        .arg("-c")
        .arg(script)
        .arg(gpkg)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
}

#[test]
fn geopackage_tables_give_the_geojson_rows() {
    if !common::have_tool("ogr2ogr", &["--version"]) {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let ((parcels, roads, houses), want, want_sides) = common::block_reference(d, 12);
    // one GeoPackage of three tables, as GDAL writes it
    let block = d.join("block.gpkg");
    for (src, name, update) in [
        (&parcels, "lots", false),
        (&roads, "roads", true),
        (&houses, "houses", true),
    ] {
        let mut args: Vec<&std::ffi::OsStr> = vec!["-f".as_ref(), "GPKG".as_ref()];
        if update {
            args.push("-update".as_ref());
        }
        args.extend([
            "-nln".as_ref(),
            name.as_ref(),
            block.as_os_str(),
            src.as_os_str(),
        ]);
        ogr2ogr(&args);
    }
    let (got, got_sides) = (d.join("got.geojson"), d.join("got_sides.geojson"));
    let (lots, roads_t, houses_t) = (
        table(&block, "lots"),
        table(&block, "roads"),
        table(&block, "houses"),
    );
    let in_block = (Path::new(&lots), Path::new(&roads_t), Path::new(&houses_t));
    common::assert_ok(&common::block_batch(in_block, &got, &got_sides));
    assert_eq!(std::fs::read(&got).unwrap(), std::fs::read(&want).unwrap());
    assert_eq!(
        std::fs::read(&got_sides).unwrap(),
        std::fs::read(&want_sides).unwrap()
    );
    // planform's own GeoPackage rows, read back as the parcels
    let rows = d.join("rows.gpkg");
    common::assert_ok(&common::block_batch(
        (&parcels, &roads, &houses),
        &rows,
        &rows,
    ));
    let again = d.join("again.geojson");
    let own = table(&rows, "parcels");
    common::assert_ok(&common::block_batch(
        (Path::new(&own), in_block.1, in_block.2),
        &again,
        &d.join("again_sides.geojson"),
    ));
    assert_eq!(
        std::fs::read(&again).unwrap(),
        std::fs::read(&want).unwrap()
    );
    // the parcels alone (no table named) in Web Mercator
    let mercator_in = d.join("parcels_3857.gpkg");
    ogr2ogr(&[
        "-f".as_ref(),
        "GPKG".as_ref(),
        "-t_srs".as_ref(),
        "EPSG:3857".as_ref(),
        mercator_in.as_os_str(),
        parcels.as_os_str(),
    ]);
    let mercator = d.join("mercator.geojson");
    common::assert_ok(&common::block_batch(
        (&mercator_in, in_block.1, in_block.2),
        &mercator,
        &d.join("mercator_sides.geojson"),
    ));
    common::assert_same_analysis(&want, &mercator, 24);
}

#[test]
fn what_is_not_a_readable_geopackage_is_refused_and_writes_nothing() {
    if !common::have_tool("ogr2ogr", &["--version"]) {
        return;
    }
    let Some(py) = common::python_with(&["sqlite3"]) else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let (parcels, roads, _) = common::write_block(d, 2);
    let good = d.join("good.gpkg");
    ogr2ogr(&[
        "-f".as_ref(),
        "GPKG".as_ref(),
        good.as_os_str(),
        parcels.as_os_str(),
    ]);
    let bytes = std::fs::read(&good).unwrap();
    let truncated = d.join("truncated.gpkg");
    std::fs::write(&truncated, &bytes[..bytes.len() / 3]).unwrap();
    let text = d.join("text.gpkg");
    std::fs::write(&text, b"PIN,geometry\n1,POINT (0 0)\n").unwrap();
    let two = d.join("two.gpkg");
    std::fs::copy(&good, &two).unwrap();
    ogr2ogr(&[
        "-f".as_ref(),
        "GPKG".as_ref(),
        "-update".as_ref(),
        "-nln".as_ref(),
        "roads".as_ref(),
        two.as_os_str(),
        roads.as_os_str(),
    ]);
    let undefined = d.join("undefined.gpkg");
    std::fs::copy(&good, &undefined).unwrap();
    sqlite(
        &py,
        &undefined,
        "c.execute('UPDATE gpkg_geometry_columns SET srs_id = -1')",
    );
    let missing = table(&good, "nowhere");
    let kept = d.join("kept.geojson");
    let cases: [(&Path, &str, &str); 6] = [
        (&text, "text.gpkg", "GeoPackage"),
        (&truncated, "truncated.gpkg", "GeoPackage"),
        (&two, "two.gpkg", "2 feature tables"),
        (Path::new(&missing), "good.gpkg:nowhere", "no feature table"),
        (&undefined, "undefined.gpkg", "undefined Cartesian CRS"),
        (&d.join("absent.gpkg"), "absent.gpkg", "no such file"),
    ];
    common::assert_refused(d, &kept, &cases);
    // a NaN coordinate in the second parcel: its row says why, the rest
    // are analysed
    let nan = d.join("nan.gpkg");
    std::fs::copy(&good, &nan).unwrap();
    sqlite(
        &py,
        &nan,
        "ring = [(0.0, 0.0), (float('nan'), 0.0), (1e-4, 1e-4), (0.0, 1e-4), (0.0, 0.0)]\n\
         wkb = struct.pack('<BII', 1, 3, 1) + struct.pack('<I', len(ring)) \
         + b''.join(struct.pack('<dd', *p) for p in ring)\n\
         blob = b'GP' + bytes([0, 1]) + struct.pack('<i', 4326) + wkb\n\
         c.execute('UPDATE parcels SET geom = ? WHERE fid = 2', (blob,))",
    );
    let out = d.join("nan_rows.geojson");
    let o = common::batch_cli(&[
        nan.as_os_str(),
        out.as_os_str(),
        "--id-field".as_ref(),
        "PIN".as_ref(),
    ]);
    common::assert_ok(&o);
    let doc = common::json_value(&std::fs::read(&out).unwrap());
    let rows = doc["features"].as_array().unwrap();
    assert_eq!(rows.len(), 4);
    let errors: Vec<_> = rows
        .iter()
        .map(|r| r["properties"]["error"].as_str().unwrap_or(""))
        .collect();
    assert!(errors[1].contains("finite"), "{errors:?}");
    assert!(
        errors
            .iter()
            .enumerate()
            .all(|(i, e)| i == 1 || e.is_empty()),
        "{errors:?}"
    );
}
