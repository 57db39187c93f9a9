//! GeoPackage feature tables read back: each row's geometry (the
//! standard GeoPackage binary: the `GP` header with its srs id and
//! optional envelope, then ISO WKB, decoded by the georust `wkb` crate)
//! and its other columns as properties, in primary-key order, a page at a
//! time, so a county-sized table is never held as SQLite rows.
//!
//! The table's CRS comes from `gpkg_geometry_columns` and
//! `gpkg_spatial_ref_sys`: an EPSG code (organization `EPSG`), or an
//! error, since a layer is never placed by guessing (srs id −1 and 0 are
//! the spec's undefined Cartesian and geographic systems).
//!
//! Properties: INTEGER columns become integers, REAL numbers, TEXT
//! strings, BOOLEAN `true`/`false`, NULL `null`; BLOB columns are left out.
//! The primary key is a property under its own name (`fid`), so a batch
//! can name it as its id field. A row whose geometry is NULL or empty gives
//! no feature, as GeoJSON's `null` geometry does.

use std::collections::VecDeque;
use std::path::Path;

use geo_traits::to_geo::ToGeoGeometry;
use geo_types::Geometry;
use rusqlite::types::ValueRef;
use rusqlite::{Connection, OpenFlags, OptionalExtension};
use serde_json::{Map, Value};

use crate::error::{ExportError, Result};
use crate::gpkg::{ident, sql_err};

/// Rows fetched per query.
const PAGE: i64 = 4096;

/// One feature: its geometry and properties.
pub type Feature = (Geometry<f64>, Map<String, Value>);

/// A GeoPackage feature table opened for reading.
#[derive(Debug)]
pub struct GpkgReader {
    conn: Connection,
    table: String,
    geometry: String,
    pk: String,
    /// (name, declared type) of every non-geometry column, the key first.
    columns: Vec<(String, String)>,
    epsg: u32,
}

fn bad(table: &str, why: impl std::fmt::Display) -> ExportError {
    ExportError::Gpkg(format!("table {table:?}: {why}"))
}

impl GpkgReader {
    /// Opens `path` read-only and the feature table `table`, or the only
    /// feature table when `table` is `None` (several are an error that
    /// names them).
    pub fn open(path: &Path, table: Option<&str>) -> Result<Self> {
        if !path.is_file() {
            return Err(ExportError::Gpkg("no such file".into()));
        }
        let conn = Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
        .map_err(|e| sql_err(&e))?;
        let not_gpkg = |e: rusqlite::Error| ExportError::Gpkg(format!("not a GeoPackage ({e})"));
        let tables: Vec<String> = conn
            .prepare("SELECT table_name FROM gpkg_contents WHERE data_type = 'features' ORDER BY table_name")
            .and_then(|mut s| s.query_map([], |r| r.get(0))?.collect())
            .map_err(not_gpkg)?;
        let table = match (table, tables.as_slice()) {
            (Some(t), _) if tables.iter().any(|n| n == t) => t.to_owned(),
            (Some(t), _) => {
                return Err(ExportError::Gpkg(format!(
                    "no feature table {t:?} (it has {})",
                    list(&tables)
                )));
            }
            (None, [one]) => one.clone(),
            (None, []) => return Err(ExportError::Gpkg("no feature table in it".into())),
            (None, _) => {
                return Err(ExportError::Gpkg(format!(
                    "{} feature tables ({}): name one as FILE.gpkg:TABLE",
                    tables.len(),
                    list(&tables)
                )));
            }
        };
        let (geometry, srs_id): (String, i64) = conn
            .query_row(
                "SELECT column_name, srs_id FROM gpkg_geometry_columns WHERE table_name = ?1",
                [&table],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()
            .map_err(|e| sql_err(&e))?
            .ok_or_else(|| bad(&table, "not in gpkg_geometry_columns"))?;
        let epsg = epsg_of(&conn, &table, srs_id)?;
        let mut pk = None;
        let mut columns = Vec::new();
        let mut stmt = conn
            .prepare(&format!(
                "SELECT name, type, pk FROM pragma_table_info({})",
                crate::gpkg::literal(&table)
            ))
            .map_err(|e| sql_err(&e))?;
        let info: Vec<(String, String, i64)> = stmt
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .and_then(Iterator::collect)
            .map_err(|e| sql_err(&e))?;
        drop(stmt);
        for (name, ty, key) in info {
            if name == geometry {
                continue;
            }
            if key == 1 && ty.eq_ignore_ascii_case("INTEGER") {
                pk = Some(name.clone());
                columns.insert(0, (name, ty));
            } else {
                columns.push((name, ty));
            }
        }
        let pk = pk.ok_or_else(|| bad(&table, "no INTEGER PRIMARY KEY"))?;
        Ok(Self {
            conn,
            table,
            geometry,
            pk,
            columns,
            epsg,
        })
    }

    /// The feature table read.
    pub fn table(&self) -> &str {
        &self.table
    }

    /// The EPSG code of the table's CRS.
    pub fn epsg(&self) -> u32 {
        self.epsg
    }

    /// The features in primary-key order, fetched a page at a time; an
    /// unreadable geometry is an error item naming its row, after which
    /// the iterator ends.
    pub fn features(&self) -> Features<'_> {
        let cols: Vec<String> = self.columns.iter().map(|(n, _)| ident(n)).collect();
        let sql = format!(
            "SELECT {geom}, {cols} FROM {table} WHERE {pk} > ?1 ORDER BY {pk} LIMIT {PAGE}",
            geom = ident(&self.geometry),
            cols = cols.join(", "),
            table = ident(&self.table),
            pk = ident(&self.pk),
        );
        Features {
            reader: self,
            sql,
            after: i64::MIN,
            page: VecDeque::new(),
            done: false,
        }
    }

    /// One page of features after key `after`; the last key read.
    fn page(&self, sql: &str, after: i64, out: &mut VecDeque<Feature>) -> Result<Option<i64>> {
        let mut stmt = self.conn.prepare(sql).map_err(|e| sql_err(&e))?;
        let mut rows = stmt.query([after]).map_err(|e| sql_err(&e))?;
        let mut last = None;
        while let Some(row) = rows.next().map_err(|e| sql_err(&e))? {
            let key: i64 = row.get(1).map_err(|e| sql_err(&e))?;
            last = Some(key);
            let geometry = match row.get_ref(0).map_err(|e| sql_err(&e))? {
                ValueRef::Blob(b) => decode(b)
                    .map_err(|why| bad(&self.table, format!("row {}={key}: {why}", self.pk)))?,
                ValueRef::Null => None,
                _ => {
                    return Err(bad(
                        &self.table,
                        format!("row {}={key}: the geometry is not a blob", self.pk),
                    ));
                }
            };
            let Some(geometry) = geometry else { continue };
            let mut props = Map::new();
            for (i, (name, ty)) in self.columns.iter().enumerate() {
                let value = match row.get_ref(i + 1).map_err(|e| sql_err(&e))? {
                    ValueRef::Null => Value::Null,
                    ValueRef::Integer(v) if ty.eq_ignore_ascii_case("BOOLEAN") => {
                        Value::Bool(v != 0)
                    }
                    ValueRef::Integer(v) => Value::from(v),
                    ValueRef::Real(v) => {
                        serde_json::Number::from_f64(v).map_or(Value::Null, Value::Number)
                    }
                    ValueRef::Text(t) => Value::String(String::from_utf8_lossy(t).into_owned()),
                    ValueRef::Blob(_) => continue,
                };
                props.insert(name.clone(), value);
            }
            out.push_back((geometry, props));
        }
        Ok(last)
    }
}

fn list(names: &[String]) -> String {
    if names.is_empty() {
        return "none".into();
    }
    names
        .iter()
        .map(|n| format!("{n:?}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The EPSG code of srs id `srs_id`.
fn epsg_of(conn: &Connection, table: &str, srs_id: i64) -> Result<u32> {
    let row: Option<(String, i64)> = conn
        .query_row(
            "SELECT organization, organization_coordsys_id FROM gpkg_spatial_ref_sys WHERE srs_id = ?1",
            [srs_id],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()
        .map_err(|e| sql_err(&e))?;
    match row {
        _ if srs_id == -1 || srs_id == 0 => Err(bad(
            table,
            format!(
                "srs id {srs_id} is an undefined {} CRS: assign its EPSG code (ogr2ogr -a_srs EPSG:N)",
                if srs_id == 0 {
                    "geographic"
                } else {
                    "Cartesian"
                }
            ),
        )),
        None => Err(bad(
            table,
            format!("srs id {srs_id} is not in gpkg_spatial_ref_sys"),
        )),
        Some((org, code)) if org.eq_ignore_ascii_case("EPSG") => u32::try_from(code)
            .ok()
            .filter(|c| *c > 0)
            .ok_or_else(|| bad(table, format!("EPSG code {code} is not valid"))),
        Some((org, code)) => Err(bad(
            table,
            format!("its CRS {org}:{code} is not an EPSG CRS"),
        )),
    }
}

/// A GeoPackage binary geometry; `None` when it is empty.
fn decode(blob: &[u8]) -> std::result::Result<Option<Geometry<f64>>, String> {
    let [b'G', b'P', version, flags, ..] = *blob else {
        return Err("not a GeoPackage binary geometry (no GP header)".into());
    };
    if version != 0 {
        return Err(format!("GeoPackage binary version {version} is not 0"));
    }
    if flags & 0b10_0000 != 0 {
        return Err("an extended (non-standard) GeoPackage geometry".into());
    }
    let envelope = match (flags >> 1) & 0b111 {
        0 => 0,
        1 => 32,
        2 | 3 => 48,
        4 => 64,
        e => return Err(format!("envelope indicator {e} is not valid")),
    };
    let start = 8 + envelope;
    let wkb = blob
        .get(start..)
        .filter(|w| !w.is_empty())
        .ok_or("the geometry blob ends inside its header")?;
    let parsed = wkb::reader::read_wkb(wkb).map_err(|e| format!("bad WKB: {e}"))?;
    if flags & 0b1_0000 != 0 {
        return Ok(None);
    }
    Ok(parsed.try_to_geometry())
}

/// The features of a [`GpkgReader`], a page at a time.
#[derive(Debug)]
pub struct Features<'r> {
    reader: &'r GpkgReader,
    sql: String,
    after: i64,
    page: VecDeque<Feature>,
    done: bool,
}

impl Iterator for Features<'_> {
    type Item = Result<Feature>;

    fn next(&mut self) -> Option<Self::Item> {
        while self.page.is_empty() && !self.done {
            match self.reader.page(&self.sql, self.after, &mut self.page) {
                Ok(Some(last)) => self.after = last,
                Ok(None) => self.done = true,
                Err(e) => {
                    self.done = true;
                    self.page.clear();
                    return Some(Err(e));
                }
            }
        }
        self.page.pop_front().map(Ok)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::drawing::{Drawing, Entity, Shape, Style, Value as Attr};
    use crate::gpkg::{GpkgOptions, write_gpkg};
    use geo_types::{LineString, Polygon, polygon};

    fn square(x: f64) -> Polygon<f64> {
        polygon![(x: x, y: 0.0), (x: x + 1.0, y: 0.0), (x: x + 1.0, y: 1.0), (x: x, y: 1.0)]
    }

    fn written(dir: &Path) -> std::path::PathBuf {
        let mut d = Drawing {
            epsg: Some(32619),
            ..Drawing::default()
        };
        let lots = d.layer_mut("lots", Style::default);
        for i in 0..10_000 {
            lots.entities.push(Entity {
                shape: Shape::Area(square(f64::from(i))),
                label: None,
                attributes: vec![
                    ("name".into(), Attr::Text(format!("lot {i}"))),
                    ("area".into(), Attr::Real(1.5)),
                    ("corner".into(), Attr::Bool(i % 2 == 0)),
                ],
            });
        }
        d.layer_mut("fences", Style::default).entities.push(Entity {
            shape: Shape::Polyline(LineString::from(vec![(0.0, 0.0), (1.0, 1.0)])),
            label: None,
            attributes: vec![],
        });
        let path = dir.join("lots.gpkg");
        write_gpkg(&d, &path, &GpkgOptions::default()).expect("written");
        path
    }

    #[test]
    fn our_own_tables_read_back_in_order_over_pages() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = written(dir.path());
        let err = GpkgReader::open(&path, None).expect_err("two tables");
        assert!(
            err.to_string().contains("name one as FILE.gpkg:TABLE"),
            "{err}"
        );
        let r = GpkgReader::open(&path, Some("lots")).expect("opened");
        assert_eq!(r.epsg(), 32619);
        let features: Vec<Feature> = r.features().collect::<Result<_>>().expect("read");
        assert_eq!(features.len(), 10_000);
        for (i, (g, p)) in features.iter().enumerate() {
            assert_eq!(g, &Geometry::Polygon(square(i as f64)), "row {i}");
            assert_eq!(p["name"], Value::from(format!("lot {i}")));
            assert_eq!(p["corner"], Value::Bool(i % 2 == 0));
            assert_eq!(p["area"], Value::from(1.5));
            assert_eq!(p["fid"], Value::from(i as i64 + 1));
        }
        let missing = GpkgReader::open(&path, Some("roads")).expect_err("no such table");
        assert!(
            missing.to_string().contains(r#"it has "fences", "lots""#),
            "{missing}"
        );
    }

    #[test]
    fn hostile_blobs_are_errors_naming_the_row() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = written(dir.path());
        {
            let c = Connection::open(&path).expect("open");
            c.execute_batch(
                "DROP TRIGGER IF EXISTS rtree_lots_geom_update1;
                 DROP TRIGGER IF EXISTS rtree_lots_geom_update2;
                 DROP TRIGGER IF EXISTS rtree_lots_geom_update3;
                 DROP TRIGGER IF EXISTS rtree_lots_geom_update4;
                 UPDATE lots SET geom = substr(geom, 1, 30) WHERE fid = 5000;",
            )
            .expect("truncated");
        }
        let r = GpkgReader::open(&path, Some("lots")).expect("opened");
        let read: Vec<Result<Feature>> = r.features().collect();
        assert_eq!(read.len(), 4096 + 1, "the page before, then the error");
        let err = read.last().expect("last").as_ref().expect_err("an error");
        assert!(err.to_string().contains("row fid=5000"), "{err}");
        for (blob, why) in [
            (&b"XX\0\x01\0\0\0\0"[..], "no GP header"),
            (b"GP\x01\x01\0\0\0\0", "version 1"),
            (b"GP\0\x0f\0\0\0\0", "envelope indicator 7"),
            (b"GP\0\x03\0\0\0\0\0", "ends inside its header"),
            (b"GP\0\x01\0\0\0\0\x01\x03\0\0\0\xff\xff\xff\xff", "bad WKB"),
        ] {
            let e = decode(blob).expect_err(why);
            assert!(e.contains(why), "{e} should say {why}");
        }
        let not = dir.path().join("plain.gpkg");
        Connection::open(&not)
            .and_then(|c| c.execute_batch("CREATE TABLE t (a INTEGER)"))
            .expect("plain sqlite");
        let e = GpkgReader::open(&not, None).expect_err("no gpkg_contents");
        assert!(e.to_string().contains("not a GeoPackage"), "{e}");
        std::fs::write(dir.path().join("text.gpkg"), "hello").expect("text");
        assert!(GpkgReader::open(&dir.path().join("text.gpkg"), None).is_err());
        assert!(GpkgReader::open(&dir.path().join("absent.gpkg"), None).is_err());
    }
}
