//! GeoParquet in and out of `analyze --batch` (feature `parquet`), against
//! geopandas and pyarrow:
//!
//! - a block's parcels, roads and houses written as GeoParquet by
//!   geopandas (WKB; the roads GeoArrow-native; the parcels once more in
//!   EPSG:3857) give the rows the GeoJSON files give;
//! - the GeoParquet rows and sides, read back by geopandas, equal the
//!   GeoJSON output row for row, and their `geo` metadata is what the
//!   GeoParquet 1.1 specification asks (version, primary column, WKB,
//!   bounding boxes and bbox coverings);
//! - a Parquet file without `geo` metadata, a truncated GeoParquet file
//!   and a text file named `.parquet` are refused with exit 1, naming the
//!   file, and leave the output as it was.

#![allow(clippy::unwrap_used, clippy::missing_panics_doc)]

mod common;

use std::ffi::OsStr;
use std::path::Path;
use std::process::Command;

fn check(py: &Path, args: &[&OsStr]) {
    let o = Command::new(py)
        .arg(common::root().join("tests/conformance/parquet_check.py"))
        .args(args)
        .output()
        .unwrap();
    assert!(
        o.status.success(),
        "parquet_check.py {:?}: {}{}",
        args,
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    );
}

#[test]
fn geoparquet_in_and_out_gives_the_geojson_rows() {
    let Some(py) = common::python_with(&["geopandas", "pyarrow", "shapely"]) else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    // the GeoJSON batch, the reference
    let ((parcels, roads, houses), want, want_sides) = common::block_reference(d, 12);
    // the same layers as geopandas writes them
    let pq = |name: &str| d.join(name);
    let (p_pq, r_pq, h_pq, p_3857) = (
        pq("parcels.parquet"),
        pq("roads.parquet"),
        pq("houses.parquet"),
        pq("parcels_3857.parquet"),
    );
    check(
        &py,
        &["write".as_ref(), parcels.as_os_str(), p_pq.as_os_str()],
    );
    check(
        &py,
        &[
            "write".as_ref(),
            roads.as_os_str(),
            r_pq.as_os_str(),
            "--encoding".as_ref(),
            "geoarrow".as_ref(),
        ],
    );
    check(
        &py,
        &["write".as_ref(), houses.as_os_str(), h_pq.as_os_str()],
    );
    check(
        &py,
        &[
            "write".as_ref(),
            parcels.as_os_str(),
            p_3857.as_os_str(),
            "--crs".as_ref(),
            "3857".as_ref(),
        ],
    );
    // GeoParquet in, GeoJSON out: the reference's bytes
    let (got, got_sides) = (d.join("got.geojson"), d.join("got_sides.geojson"));
    common::assert_ok(&common::block_batch(
        (&p_pq, &r_pq, &h_pq),
        &got,
        &got_sides,
    ));
    assert_eq!(std::fs::read(&got).unwrap(), std::fs::read(&want).unwrap());
    assert_eq!(
        std::fs::read(&got_sides).unwrap(),
        std::fs::read(&want_sides).unwrap()
    );
    // GeoParquet out, read back by geopandas
    let (out, out_sides) = (d.join("rows.parquet"), d.join("sides.parquet"));
    common::assert_ok(&common::block_batch(
        (&p_pq, &r_pq, &h_pq),
        &out,
        &out_sides,
    ));
    check(
        &py,
        &[
            "rows".as_ref(),
            out.as_os_str(),
            out_sides.as_os_str(),
            want.as_os_str(),
            want_sides.as_os_str(),
            "PIN".as_ref(),
        ],
    );
    // the parcels in Web Mercator: the same roles, areas within a
    // reprojection's round trip
    let mercator = d.join("mercator.geojson");
    common::assert_ok(&common::block_batch(
        (&p_3857, &r_pq, &h_pq),
        &mercator,
        &d.join("mercator_sides.geojson"),
    ));
    common::assert_same_analysis(&want, &mercator, 24);
}

#[test]
fn what_is_not_geoparquet_is_refused_and_writes_nothing() {
    let Some(py) = common::python_with(&["geopandas", "pyarrow", "shapely"]) else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let (parcels, _, _) = common::write_block(d, 2);
    let plain = d.join("plain.parquet");
    check(
        &py,
        &["plain".as_ref(), parcels.as_os_str(), plain.as_os_str()],
    );
    let good = d.join("good.parquet");
    check(
        &py,
        &["write".as_ref(), parcels.as_os_str(), good.as_os_str()],
    );
    let bytes = std::fs::read(&good).unwrap();
    let truncated = d.join("truncated.parquet");
    std::fs::write(&truncated, &bytes[..bytes.len() / 2]).unwrap();
    let text = d.join("text.parquet");
    std::fs::write(&text, b"PIN,geometry\n1,POINT (0 0)\n").unwrap();
    let kept = d.join("kept.parquet");
    let cases: [(&Path, &str, &str); 3] = [
        (&plain, "plain.parquet", "without GeoParquet `geo` metadata"),
        (&truncated, "truncated.parquet", "Parquet"),
        (&text, "text.parquet", "Parquet"),
    ];
    common::assert_refused(d, &kept, &cases);
    // one file cannot hold the rows and the sides
    let o = common::batch_cli(&[
        good.as_os_str(),
        kept.as_os_str(),
        "--sides".as_ref(),
        kept.as_os_str(),
    ]);
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).contains("holds one table"));
}
