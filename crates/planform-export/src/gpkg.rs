//! GeoPackage 1.2 (`application_id` `GPKG`, `user_version` 10200: GDAL
//! 3.6 warns on 1.4), written through SQLite (bundled, so the default
//! build needs no system library) in one transaction into a temporary file
//! that replaces the target only when everything succeeded.
//!
//! - one feature table per drawing layer (`fid` primary key, `geom`, and a
//!   typed column per attribute: INTEGER, REAL, TEXT or BOOLEAN, inferred
//!   from the values: integers mixed with reals become REAL, anything mixed
//!   with text becomes TEXT);
//! - the geometry type of a layer is POINT, LINESTRING or POLYGON when all
//!   its shapes are of that kind, the MULTI type when some are multi-part
//!   (single parts are then written as one-part multis), GEOMETRY when
//!   kinds are mixed;
//! - standard GeoPackage binary geometries: little-endian ISO WKB behind a
//!   header with the srs id and an xy envelope (none for points);
//! - `gpkg_spatial_ref_sys` with the three required rows and the drawing's
//!   EPSG code with its full WKT; `gpkg_contents` with each table's extent;
//! - an R*Tree spatial index per table, filled, with the six triggers of
//!   the spec and its `gpkg_extensions` row.

use std::fmt::Write as _;
use std::path::Path;

use rusqlite::{Connection, params};

use crate::drawing::{Drawing, Layer, Shape, Value};
use crate::error::{ExportError, Result};
use crate::table::{ColType, ColumnType, Wkb, column_shape, columns, envelope, unique};

/// GeoPackage settings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GpkgOptions {
    /// Build an R*Tree spatial index per table. Default true.
    pub spatial_index: bool,
}

impl Default for GpkgOptions {
    fn default() -> Self {
        Self {
            spatial_index: true,
        }
    }
}

pub(crate) fn sql_err(e: &rusqlite::Error) -> ExportError {
    ExportError::Gpkg(e.to_string())
}

/// A quoted SQL identifier.
pub(crate) fn ident(s: &str) -> String {
    format!("\"{}\"", s.replace('"', "\"\""))
}

/// A quoted SQL string literal.
pub(crate) fn literal(s: &str) -> String {
    format!("'{}'", s.replace('\'', "''"))
}

/// A table name: ASCII letters, digits and `_`, starting with a letter,
/// never `gpkg_`/`rtree_`/`sqlite_`, unique (case-insensitively).
fn table_name(name: &str, taken: &mut Vec<String>) -> String {
    let mut s: String = name
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect();
    let lower = s.to_ascii_lowercase();
    if !s.starts_with(|c: char| c.is_ascii_alphabetic())
        || ["gpkg_", "rtree_", "sqlite_"]
            .iter()
            .any(|p| lower.starts_with(p))
    {
        s = format!("t_{s}");
    }
    unique(&s, taken)
}

/// A GeoPackage binary geometry: header (magic, version 0, flags: little
/// endian, xy envelope unless a point), srs id, envelope, WKB.
fn gpkg_blob(s: &Shape, srs: i32) -> (Vec<u8>, [f64; 4]) {
    let env = envelope(s);
    let point = matches!(s, Shape::Point(_));
    let mut b = Vec::with_capacity(64);
    b.extend_from_slice(b"GP");
    b.push(0);
    b.push(if point { 0b0000_0001 } else { 0b0000_0011 });
    b.extend_from_slice(&srs.to_le_bytes());
    if !point {
        for v in env {
            b.extend_from_slice(&v.to_le_bytes());
        }
    }
    let mut w = Wkb(b);
    w.shape(s);
    (w.0, env)
}

fn to_sql(v: &Value, t: ColType) -> rusqlite::types::Value {
    use rusqlite::types::Value as V;
    match (v, t) {
        (Value::Int(i), ColType::Integer) => V::Integer(*i),
        (Value::Int(i), ColType::Real) => V::Real(*i as f64),
        (Value::Real(r), ColType::Real) => V::Real(*r),
        (Value::Bool(b), ColType::Boolean) => V::Integer(i64::from(*b)),
        (Value::Text(s), _) => V::Text(s.clone()),
        (Value::Int(i), _) => V::Text(i.to_string()),
        (Value::Real(r), _) => V::Text(r.to_string()),
        (Value::Bool(b), _) => V::Text(b.to_string()),
    }
}

const CORE: &str = "
PRAGMA application_id = 1196444487;
PRAGMA user_version = 10200;
CREATE TABLE gpkg_spatial_ref_sys (
  srs_name TEXT NOT NULL,
  srs_id INTEGER NOT NULL PRIMARY KEY,
  organization TEXT NOT NULL,
  organization_coordsys_id INTEGER NOT NULL,
  definition TEXT NOT NULL,
  description TEXT
);
CREATE TABLE gpkg_contents (
  table_name TEXT NOT NULL PRIMARY KEY,
  data_type TEXT NOT NULL,
  identifier TEXT UNIQUE,
  description TEXT DEFAULT '',
  last_change DATETIME NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
  min_x DOUBLE,
  min_y DOUBLE,
  max_x DOUBLE,
  max_y DOUBLE,
  srs_id INTEGER,
  CONSTRAINT fk_gc_r_srs_id FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys(srs_id)
);
CREATE TABLE gpkg_geometry_columns (
  table_name TEXT NOT NULL,
  column_name TEXT NOT NULL,
  geometry_type_name TEXT NOT NULL,
  srs_id INTEGER NOT NULL,
  z TINYINT NOT NULL,
  m TINYINT NOT NULL,
  CONSTRAINT pk_geom_cols PRIMARY KEY (table_name, column_name),
  CONSTRAINT uk_gc_table_name UNIQUE (table_name),
  CONSTRAINT fk_gc_tn FOREIGN KEY (table_name) REFERENCES gpkg_contents(table_name),
  CONSTRAINT fk_gc_srs FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys (srs_id)
);
CREATE TABLE gpkg_extensions (
  table_name TEXT,
  column_name TEXT,
  extension_name TEXT NOT NULL,
  definition TEXT NOT NULL,
  scope TEXT NOT NULL,
  CONSTRAINT ge_tce UNIQUE (table_name, column_name, extension_name)
);
INSERT INTO gpkg_spatial_ref_sys VALUES
  ('Undefined cartesian SRS', -1, 'NONE', -1, 'undefined', 'undefined cartesian coordinate reference system'),
  ('Undefined geographic SRS', 0, 'NONE', 0, 'undefined', 'undefined geographic coordinate reference system');
";

/// The triggers of the R*Tree extension (GeoPackage 1.2, annex F.3).
fn rtree_triggers(t: &str, c: &str) -> String {
    let rt = ident(&format!("rtree_{t}_{c}"));
    let name = |s: &str| ident(&format!("rtree_{t}_{c}_{s}"));
    let (ti, ci) = (ident(t), ident(c));
    let values = format!(
        "INSERT OR REPLACE INTO {rt} VALUES (NEW.fid, ST_MinX(NEW.{ci}), ST_MaxX(NEW.{ci}), ST_MinY(NEW.{ci}), ST_MaxY(NEW.{ci}));"
    );
    let mut s = String::new();
    let _ = write!(
        s,
        "CREATE TRIGGER {} AFTER INSERT ON {ti} WHEN (new.{ci} NOT NULL AND NOT ST_IsEmpty(NEW.{ci})) BEGIN {values} END;\n\
         CREATE TRIGGER {} AFTER UPDATE OF {ci} ON {ti} WHEN OLD.fid = NEW.fid AND (NEW.{ci} NOTNULL AND NOT ST_IsEmpty(NEW.{ci})) BEGIN {values} END;\n\
         CREATE TRIGGER {} AFTER UPDATE OF {ci} ON {ti} WHEN OLD.fid = NEW.fid AND (NEW.{ci} ISNULL OR ST_IsEmpty(NEW.{ci})) BEGIN DELETE FROM {rt} WHERE id = OLD.fid; END;\n\
         CREATE TRIGGER {} AFTER UPDATE ON {ti} WHEN OLD.fid != NEW.fid AND (NEW.{ci} NOTNULL AND NOT ST_IsEmpty(NEW.{ci})) BEGIN DELETE FROM {rt} WHERE id = OLD.fid; {values} END;\n\
         CREATE TRIGGER {} AFTER UPDATE ON {ti} WHEN OLD.fid != NEW.fid AND (NEW.{ci} ISNULL OR ST_IsEmpty(NEW.{ci})) BEGIN DELETE FROM {rt} WHERE id IN (OLD.fid, NEW.fid); END;\n\
         CREATE TRIGGER {} AFTER DELETE ON {ti} WHEN old.{ci} NOT NULL BEGIN DELETE FROM {rt} WHERE id = OLD.fid; END;\n",
        name("insert"),
        name("update1"),
        name("update2"),
        name("update3"),
        name("update4"),
        name("delete"),
    );
    s
}

/// The `gpkg_spatial_ref_sys` row of the drawing's CRS: (srs id, name, WKT).
fn srs_row(d: &Drawing) -> Result<Option<(i32, String, &'static str)>> {
    let Some(code) = d.epsg else {
        return Ok(None);
    };
    let wkt = planform_model::crs::wkt(code)
        .ok_or_else(|| ExportError::Option(format!("EPSG:{code}: no WKT is bundled for it")))?;
    let name = wkt
        .split('"')
        .nth(1)
        .map_or_else(|| format!("EPSG:{code}"), str::to_owned);
    let id = i32::try_from(code)
        .map_err(|_| ExportError::Option(format!("EPSG:{code}: not a valid srs id")))?;
    Ok(Some((id, name, wkt)))
}

fn write_layer(tx: &Connection, layer: &Layer, table: &str, srs: i32, index: bool) -> Result<()> {
    let col_type = ColumnType::of(layer);
    let cols = columns(layer);
    let mut ddl = format!(
        "CREATE TABLE {} (fid INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL, geom {}",
        ident(table),
        col_type.name()
    );
    for (_, name, t) in &cols {
        let _ = write!(ddl, ", {} {}", ident(name), t.sql());
    }
    ddl.push_str(");");
    tx.execute_batch(&ddl).map_err(|e| sql_err(&e))?;
    let placeholders: Vec<String> = (0..cols.len() + 2).map(|i| format!("?{}", i + 1)).collect();
    let mut insert = tx
        .prepare(&format!(
            "INSERT INTO {} VALUES ({})",
            ident(table),
            placeholders.join(", ")
        ))
        .map_err(|e| sql_err(&e))?;
    let mut rtree_rows = Vec::with_capacity(layer.entities.len());
    let mut ext = [
        f64::INFINITY,
        f64::NEG_INFINITY,
        f64::INFINITY,
        f64::NEG_INFINITY,
    ];
    for (i, e) in layer.entities.iter().enumerate() {
        let fid = i as i64 + 1;
        let shape = column_shape(&e.shape, col_type);
        let (blob, env) = gpkg_blob(&shape, srs);
        ext = [
            ext[0].min(env[0]),
            ext[1].max(env[1]),
            ext[2].min(env[2]),
            ext[3].max(env[3]),
        ];
        rtree_rows.push((fid, env));
        let mut values: Vec<rusqlite::types::Value> = Vec::with_capacity(cols.len() + 2);
        values.push(fid.into());
        values.push(blob.into());
        for (key, _, t) in &cols {
            values.push(
                e.attributes
                    .iter()
                    .find(|(k, _)| k == key)
                    .map_or(rusqlite::types::Value::Null, |(_, v)| to_sql(v, *t)),
            );
        }
        insert
            .execute(rusqlite::params_from_iter(values))
            .map_err(|e| sql_err(&e))?;
    }
    let (min_x, max_x, min_y, max_y) = if ext[0].is_finite() {
        (Some(ext[0]), Some(ext[1]), Some(ext[2]), Some(ext[3]))
    } else {
        (None, None, None, None)
    };
    tx.execute(
        "INSERT INTO gpkg_contents (table_name, data_type, identifier, description, min_x, min_y, max_x, max_y, srs_id) \
         VALUES (?1, 'features', ?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        params![table, layer.name, min_x, min_y, max_x, max_y, srs],
    )
    .map_err(|e| sql_err(&e))?;
    tx.execute(
        "INSERT INTO gpkg_geometry_columns VALUES (?1, 'geom', ?2, ?3, 0, 0)",
        params![table, col_type.name(), srs],
    )
    .map_err(|e| sql_err(&e))?;
    if index {
        let rt = format!("rtree_{table}_geom");
        tx.execute_batch(&format!(
            "CREATE VIRTUAL TABLE {} USING rtree(id, minx, maxx, miny, maxy);",
            ident(&rt)
        ))
        .map_err(|e| sql_err(&e))?;
        let mut ins = tx
            .prepare(&format!(
                "INSERT INTO {} VALUES (?1, ?2, ?3, ?4, ?5)",
                ident(&rt)
            ))
            .map_err(|e| sql_err(&e))?;
        for (fid, e) in rtree_rows {
            ins.execute(params![fid, e[0], e[1], e[2], e[3]])
                .map_err(|e| sql_err(&e))?;
        }
        tx.execute(
            "INSERT INTO gpkg_extensions VALUES (?1, 'geom', 'gpkg_rtree_index', \
             'http://www.geopackage.org/spec120/#extension_rtree', 'write-only')",
            params![table],
        )
        .map_err(|e| sql_err(&e))?;
        tx.execute_batch(&rtree_triggers(table, "geom"))
            .map_err(|e| sql_err(&e))?;
    }
    Ok(())
}

fn write_file(d: &Drawing, path: &Path, o: &GpkgOptions) -> Result<()> {
    let mut conn = Connection::open(path).map_err(|e| sql_err(&e))?;
    // the file is private until it is renamed into place: no journal
    conn.execute_batch("PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF;")
        .map_err(|e| sql_err(&e))?;
    let tx = conn.transaction().map_err(|e| sql_err(&e))?;
    tx.execute_batch(CORE).map_err(|e| sql_err(&e))?;
    let srs = match srs_row(d)? {
        Some((id, name, wkt)) => {
            let description = if id == 4326 {
                "longitude/latitude coordinates in decimal degrees on the WGS 84 spheroid"
            } else {
                ""
            };
            tx.execute_batch(&format!(
                "INSERT INTO gpkg_spatial_ref_sys VALUES ({}, {id}, 'EPSG', {id}, {}, {});",
                literal(&name),
                literal(wkt),
                literal(description)
            ))
            .map_err(|e| sql_err(&e))?;
            id
        }
        None => -1,
    };
    if srs != 4326 {
        // the spec requires the WGS 84 row in every GeoPackage
        let wkt = planform_model::crs::wkt(4326)
            .ok_or_else(|| ExportError::Option("EPSG:4326: no WKT bundled".into()))?;
        tx.execute(
            "INSERT INTO gpkg_spatial_ref_sys VALUES ('WGS 84 geodetic', 4326, 'EPSG', 4326, ?1, \
             'longitude/latitude coordinates in decimal degrees on the WGS 84 spheroid')",
            params![wkt],
        )
        .map_err(|e| sql_err(&e))?;
    }
    let mut taken = Vec::new();
    for layer in &d.layers {
        if layer.entities.is_empty() {
            continue;
        }
        let table = table_name(&layer.name, &mut taken);
        write_layer(&tx, layer, &table, srs, o.spatial_index)?;
    }
    tx.commit().map_err(|e| sql_err(&e))?;
    conn.close().map_err(|(_, e)| sql_err(&e))?;
    Ok(())
}

/// Writes the drawing as a GeoPackage at `path`, atomically: on any error
/// nothing is created and an existing file is untouched.
pub fn write_gpkg(d: &Drawing, path: &Path, o: &GpkgOptions) -> Result<()> {
    if d.entity_count() == 0 {
        return Err(ExportError::Empty("the drawing has no entities".into()));
    }
    d.check_finite()?;
    planform_model::io::replace_atomic(path, |tmp| write_file(d, tmp, o))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::drawing::Entity;
    use geo_types::line_string;

    fn entity(shape: Shape, attrs: Vec<(&str, Value)>) -> Entity {
        Entity {
            shape,
            label: None,
            attributes: attrs.into_iter().map(|(k, v)| (k.to_owned(), v)).collect(),
        }
    }

    fn drawing() -> Drawing {
        let mut d = Drawing {
            epsg: Some(4326),
            ..Drawing::default()
        };
        let l = d.layer_mut("gpkg_fence", crate::drawing::Style::default);
        l.entities.push(entity(
            Shape::Polyline(line_string![(x: 1.0, y: 2.0), (x: 3.0, y: -1.0)]),
            vec![
                ("n", Value::Int(1)),
                ("mixed", Value::Int(2)),
                ("ok", Value::Bool(true)),
                ("FID", Value::Text("x".into())),
            ],
        ));
        l.entities.push(entity(
            Shape::Multi(vec![
                Shape::Polyline(line_string![(x: 0.0, y: 0.0), (x: 1.0, y: 1.0)]),
                Shape::Polyline(line_string![(x: 5.0, y: 5.0), (x: 6.0, y: 7.0)]),
            ]),
            vec![
                ("n", Value::Real(2.5)),
                ("mixed", Value::Text("a".into())),
                ("ok", Value::Bool(false)),
            ],
        ));
        d
    }

    #[test]
    fn huge_layer_and_attribute_names_are_cut() {
        let mut d = drawing();
        let long = "k".repeat(1 << 20);
        d.layers[0].name = long.clone();
        d.layers[0].entities[0]
            .attributes
            .push((long.clone(), Value::Text("v".into())));
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("t.gpkg");
        write_gpkg(&d, &p, &GpkgOptions::default()).unwrap();
        let c = Connection::open(&p).unwrap();
        let longest: i64 = c
            .query_row(
                "SELECT max(length(table_name)) FROM gpkg_contents",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert!(longest <= 63, "{longest}");
        let table: String = c
            .query_row(
                "SELECT table_name FROM gpkg_contents ORDER BY length(table_name) DESC",
                [],
                |r| r.get(0),
            )
            .unwrap();
        let cols: i64 = c
            .query_row(
                &format!("SELECT max(length(name)) FROM pragma_table_info('{table}')"),
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert!(cols <= 63, "{cols}");
    }

    #[test]
    fn columns_are_typed_and_singles_promoted() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("t.gpkg");
        write_gpkg(&drawing(), &p, &GpkgOptions::default()).unwrap();
        let c = Connection::open(&p).unwrap();
        let cols: Vec<(String, String)> = c
            .prepare("SELECT name, type FROM pragma_table_info('t_gpkg_fence')")
            .unwrap()
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .unwrap()
            .collect::<std::result::Result<_, _>>()
            .unwrap();
        let want = [
            ("fid", "INTEGER"),
            ("geom", "MULTILINESTRING"),
            ("n", "REAL"),
            ("mixed", "TEXT"),
            ("ok", "BOOLEAN"),
            ("FID_2", "TEXT"),
        ];
        assert_eq!(
            cols,
            want.map(|(a, b)| (a.to_owned(), b.to_owned())).to_vec()
        );
        let (app, ver): (i64, i64) = c
            .query_row(
                "SELECT * FROM pragma_application_id, pragma_user_version",
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .unwrap();
        assert_eq!((app, ver), (0x4750_4B47, 10200));
        let blob: Vec<u8> = c
            .query_row("SELECT geom FROM t_gpkg_fence WHERE fid = 1", [], |r| {
                r.get(0)
            })
            .unwrap();
        // magic, version 0, little endian + xy envelope, srs 4326
        assert_eq!(&blob[..4], b"GP\0\x03");
        assert_eq!(i32::from_le_bytes(blob[4..8].try_into().unwrap()), 4326);
        let env: Vec<f64> = blob[8..40]
            .chunks(8)
            .map(|b| f64::from_le_bytes(b.try_into().unwrap()))
            .collect();
        assert_eq!(env, [1.0, 3.0, -1.0, 2.0]);
        // a one-part MULTILINESTRING (type 5) of one LINESTRING
        assert_eq!(blob[40], 1);
        assert_eq!(u32::from_le_bytes(blob[41..45].try_into().unwrap()), 5);
        assert_eq!(u32::from_le_bytes(blob[45..49].try_into().unwrap()), 1);
        let rtree: i64 = c
            .query_row("SELECT count(*) FROM rtree_t_gpkg_fence_geom", [], |r| {
                r.get(0)
            })
            .unwrap();
        assert_eq!(rtree, 2);
    }

    #[test]
    fn a_failed_write_leaves_the_old_file_alone() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("t.gpkg");
        std::fs::write(&p, b"precious").unwrap();
        let mut d = drawing();
        d.layers[0].entities[0].shape =
            Shape::Polyline(line_string![(x: 1.0, y: f64::INFINITY), (x: 3.0, y: 1.0)]);
        assert!(matches!(
            write_gpkg(&d, &p, &GpkgOptions::default()),
            Err(ExportError::NonFinite { index: 0, .. })
        ));
        d.epsg = Some(999_999);
        d.layers[0].entities.remove(0);
        assert!(matches!(
            write_gpkg(&d, &p, &GpkgOptions::default()),
            Err(ExportError::Option(_))
        ));
        assert_eq!(std::fs::read(&p).unwrap(), b"precious");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }
}
