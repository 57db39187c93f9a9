//! Link settings for this package's own binaries (examples, tests, benches).
//!
//! With the `gdal` feature, one process holds two SQLite libraries: the one
//! rusqlite bundles (GeoPackage writing) and the system one GDAL links.
//! An executable exports the symbols a shared library asks for, so GDAL's
//! `sqlite3_*` calls bound to the bundled copy while its own databases
//! were opened by the system copy: `convert x.gpkg y.geojson` crashed in
//! `sqlite3_close`. `--exclude-libs,ALL` keeps every symbol from a static
//! archive out of the executable's dynamic table, so each library calls
//! its own SQLite. A program of yours that links planform with `gdal` needs
//! the same flag (`cargo:rustc-link-arg=-Wl,--exclude-libs,ALL` in its
//! build script, or `RUSTFLAGS`).

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    let gnu_ld = std::env::var("CARGO_CFG_TARGET_OS").is_ok_and(|os| os == "linux");
    if gnu_ld && std::env::var_os("CARGO_FEATURE_GDAL").is_some() {
        for kind in ["examples", "tests", "benches"] {
            println!("cargo:rustc-link-arg-{kind}=-Wl,--exclude-libs,ALL");
        }
    }
}
