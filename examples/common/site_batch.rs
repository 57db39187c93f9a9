//! `analyze --batch`: a whole parcel layer through `planform::site::Batch`,
//! read, spread over threads in input order, and written (GeoJSON,
//! GeoPackage or GeoParquet) all or none.

use std::path::Path;

use std::io::Write;

use indicatif::{ProgressBar, ProgressStyle};
use planform::export::style::default_style;
use planform::export::{Drawing, Entity, FieldType, Shape, Units, Value, gpkg, gpkg_read};
use planform::model::SitePlan;
use planform::site::{
    Batch, BatchParcel, FromFeature, Layer, LayerCrs, ParcelRow, SiteContext, SiteOptions,
};
use rayon::prelude::*;

/// Rows analysed between two writes (and progress updates).
const CHUNK: usize = 2048;

fn is_parquet(p: &Path) -> bool {
    p.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("parquet"))
}

/// A GeoPackage path and its table: `FILE.gpkg` (its only feature table)
/// or `FILE.gpkg:TABLE`.
fn gpkg_table(path: &Path) -> Option<(&Path, Option<&str>)> {
    if is_gpkg(path) {
        return Some((path, None));
    }
    let s = path.to_str()?;
    let (file, table) = s.rsplit_once(':')?;
    let file = Path::new(file);
    (is_gpkg(file) && !table.is_empty()).then_some((file, Some(table)))
}

/// Reads a layer: a GeoParquet file (`.parquet`, in the CRS its geometry
/// column declares; with the `parquet` feature), a GeoPackage feature
/// table (`FILE.gpkg` or `FILE.gpkg:TABLE`, in its EPSG CRS) or a GeoJSON
/// FeatureCollection (WGS84 or a declared EPSG CRS).
pub fn read_layer<T: FromFeature>(path: &Path) -> Result<Layer<T>, String> {
    let named = |e: &dyn std::fmt::Display| format!("{}: {e}", path.display());
    if let Some((file, table)) = gpkg_table(path) {
        let reader = gpkg_read::GpkgReader::open(file, table).map_err(|e| named(&e))?;
        let crs = match reader.epsg() {
            4326 => LayerCrs::Wgs84,
            code => LayerCrs::Epsg(code),
        };
        let mut failed = None;
        let features = reader
            .features()
            .map_while(|f| f.map_err(|e| failed = Some(e)).ok());
        let layer = Layer::from_features(crs, features);
        if let Some(e) = failed {
            return Err(named(&e));
        }
        return layer.map_err(|e| named(&e));
    }
    if is_parquet(path) {
        #[cfg(feature = "parquet")]
        return planform::arrow::read_geoparquet(path, None).map_err(|e| named(&e));
        #[cfg(not(feature = "parquet"))]
        return Err(named(&NO_PARQUET));
    }
    let plan = SitePlan::read_with(path, &planform::model::ReadOptions { max_bytes: 1 << 32 })
        .map_err(|e| named(&e))?;
    Layer::from_plan(&plan).map_err(|e| named(&e))
}

#[cfg(not(feature = "parquet"))]
const NO_PARQUET: &str = "GeoParquet needs the `parquet` feature (cargo run --release --features parquet --example analyze …)";

/// Reads a parcel layer: GeoParquet or a GeoJSON FeatureCollection
/// ([`read_layer`]), or a GeoJSON text sequence (one feature per line,
/// `.geojsonl`, `.geojsons`, `.jsonl`, `.ndjson`: WGS84, read in chunks on
/// `pool`), by `planform::site::Layer::from_features`.
fn read_parcels(path: &Path, pool: &rayon::ThreadPool) -> Result<Layer<BatchParcel>, String> {
    let named = |e: &dyn std::fmt::Display| format!("{}: {e}", path.display());
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or("")
        .to_ascii_lowercase();
    if !matches!(ext.as_str(), "geojsonl" | "geojsons" | "jsonl" | "ndjson") {
        return read_layer(path);
    }
    let bytes = planform::model::io::read_limited(path, 1 << 32).map_err(|e| named(&e))?;
    let text = std::str::from_utf8(&bytes).map_err(|e| named(&e))?;
    let lines: Vec<(usize, &str)> = text
        .lines()
        .enumerate()
        .map(|(n, l)| (n + 1, l.trim_start_matches('\u{1e}').trim()))
        .filter(|(_, l)| !l.is_empty())
        .collect();
    // chunks of lines parsed as collections side by side, in order; each
    // line first checked to be one whole JSON value, so that joining them
    // cannot make a document the lines were not
    let chunks: Vec<Result<Vec<BatchParcel>, String>> = pool.install(|| {
        lines
            .par_chunks(4096)
            .map(|chunk| {
                for (n, l) in chunk {
                    serde_json::from_str::<serde::de::IgnoredAny>(l)
                        .map_err(|e| named(&format!("line {n}: {e}")))?;
                }
                let body: Vec<&str> = chunk.iter().map(|(_, l)| *l).collect();
                let doc = format!(
                    r#"{{"type": "FeatureCollection", "features": [{}]}}"#,
                    body.join(",")
                );
                let plan = SitePlan::from_slice(doc.as_bytes())
                    .map_err(|e| named(&format!("lines {}-: {e}", chunk[0].0)))?;
                // a chunk of other geometries only holds no parcel
                Ok(Layer::parcels_from(&plan).map_or_else(|_| Vec::new(), |l| l.features))
            })
            .collect()
    });
    let mut features = Vec::with_capacity(lines.len());
    for chunk in chunks {
        features.extend(chunk?);
    }
    if features.is_empty() {
        return Err(named(&"no Polygon or MultiPolygon parcels in it"));
    }
    Ok(Layer::wgs84(features))
}

/// Every row, in input order, over `threads` threads (0: all cores), with
/// a progress bar on stderr.
/// A row and its GeoJSON features, formatted where the rows were made.
struct Done {
    row: ParcelRow,
    parcel: Option<String>,
    sides: Vec<String>,
}

fn rows(
    batch: &Batch<'_>,
    pool: &rayon::ThreadPool,
    format: &(dyn Fn(ParcelRow) -> Done + Sync),
    each: &mut dyn FnMut(Vec<Done>) -> Result<(), String>,
) -> Result<(), String> {
    let bar = ProgressBar::new(batch.len() as u64);
    bar.set_style(
        ProgressStyle::with_template("{bar:40} {pos}/{len} parcels, {per_sec}, ETA {eta}")
            .map_err(|e| e.to_string())?,
    );
    for start in (0..batch.len()).step_by(CHUNK) {
        let end = (start + CHUNK).min(batch.len());
        let chunk: Vec<Done> = pool.install(|| {
            (start..end)
                .into_par_iter()
                .map(|i| format(batch.analyze(i)))
                .collect()
        });
        each(chunk)?;
        bar.set_position(end as u64);
    }
    bar.finish_and_clear();
    Ok(())
}

/// A GeoJSON FeatureCollection written feature by feature.
struct Collection {
    out: std::io::BufWriter<std::fs::File>,
    dest: std::path::PathBuf,
    first: bool,
}

impl Collection {
    fn create(staged: &mut super::cli::Staged, dest: &Path) -> Result<Self, String> {
        let named = |e: std::io::Error| format!("{}: {e}", dest.display());
        let file = std::fs::File::create(staged.path_for(dest)).map_err(named)?;
        let mut out = std::io::BufWriter::new(file);
        out.write_all(br#"{"type": "FeatureCollection", "features": ["#)
            .map_err(named)?;
        Ok(Self {
            out,
            dest: dest.to_owned(),
            first: true,
        })
    }

    fn push(&mut self, feature: &str) -> Result<(), String> {
        let named = |e: std::io::Error| format!("{}: {e}", self.dest.display());
        if !std::mem::replace(&mut self.first, false) {
            self.out.write_all(b",\n").map_err(named)?;
        }
        self.out.write_all(feature.as_bytes()).map_err(named)
    }

    fn finish(mut self) -> Result<(), String> {
        let named = |e: std::io::Error| format!("{}: {e}", self.dest.display());
        self.out.write_all(b"]}\n").map_err(named)?;
        self.out.flush().map_err(named)?;
        self.out.get_ref().sync_all().map_err(named)
    }
}

/// A GeoParquet table (the parcels or the sides) written chunk by chunk
/// (`planform::arrow`: row groups of 65 536 rows, zstd, WKB geometries).
#[cfg(feature = "parquet")]
struct Table {
    out: planform::arrow::GeoParquetWriter<std::io::BufWriter<std::fs::File>>,
    dest: std::path::PathBuf,
    sides: bool,
}

#[cfg(feature = "parquet")]
impl Table {
    fn create(
        staged: &mut super::cli::Staged,
        dest: &Path,
        id_name: &str,
        sides: bool,
    ) -> Result<Self, String> {
        let named = |e: &dyn std::fmt::Display| format!("{}: {e}", dest.display());
        let file = std::fs::File::create(staged.path_for(dest)).map_err(|e| named(&e))?;
        let schema = if sides {
            planform::arrow::sides_schema(id_name)
        } else {
            planform::arrow::parcels_schema(id_name)
        };
        let out =
            planform::arrow::GeoParquetWriter::try_new(std::io::BufWriter::new(file), &schema)
                .map_err(|e| named(&e))?;
        Ok(Self {
            out,
            dest: dest.to_owned(),
            sides,
        })
    }

    fn push(&mut self, rows: &[ParcelRow], id_name: &str) -> Result<(), String> {
        let named = |e: &dyn std::fmt::Display| format!("{}: {e}", self.dest.display());
        let batch = if self.sides {
            planform::arrow::sides_batch(rows, id_name)
        } else {
            planform::arrow::parcels_batch(rows, id_name)
        }
        .map_err(|e| named(&e))?;
        self.out.write(&batch).map_err(|e| named(&e))
    }

    fn finish(self) -> Result<(), String> {
        let named = |e: &dyn std::fmt::Display| format!("{}: {e}", self.dest.display());
        let file = self
            .out
            .finish()
            .map_err(|e| named(&e))?
            .into_inner()
            .map_err(|e| named(&e.error()))?;
        file.sync_all().map_err(|e| named(&e))
    }
}

/// Without the `parquet` feature a `.parquet` output is refused up front.
#[cfg(not(feature = "parquet"))]
struct Table;

#[cfg(not(feature = "parquet"))]
impl Table {
    fn create(_: &mut super::cli::Staged, dest: &Path, _: &str, _: bool) -> Result<Self, String> {
        Err(format!("{}: {NO_PARQUET}", dest.display()))
    }

    #[allow(clippy::unused_self, clippy::unnecessary_wraps)]
    fn push(&mut self, _: &[ParcelRow], _: &str) -> Result<(), String> {
        Ok(())
    }

    #[allow(clippy::unused_self, clippy::unnecessary_wraps)]
    fn finish(self) -> Result<(), String> {
        Ok(())
    }
}

fn round(v: f64) -> f64 {
    (v * 1e7).round() / 1e7
}

fn ring_json(r: &geo_types::LineString<f64>) -> serde_json::Value {
    r.0.iter()
        .map(|c| serde_json::json!([round(c.x), round(c.y)]))
        .collect()
}

fn polygon_json(p: &geo_types::Polygon<f64>) -> serde_json::Value {
    std::iter::once(p.exterior())
        .chain(p.interiors())
        .map(ring_json)
        .collect()
}

fn envelope_json(m: &geo_types::MultiPolygon<f64>) -> serde_json::Value {
    serde_json::json!({"type": "MultiPolygon", "coordinates": m.0.iter().map(polygon_json).collect::<Vec<_>>()})
}

/// A row as a GeoJSON feature: the parcel with its columns (`envelope` a
/// GeoJSON geometry member of the properties).
fn parcel_feature(r: &ParcelRow, id_name: &str) -> serde_json::Value {
    let mut props = serde_json::Map::new();
    props.insert(id_name.to_owned(), r.id.clone().into());
    props.insert("class".into(), r.class.clone().into());
    props.insert("roles".into(), r.roles.clone().into());
    props.insert(
        "lengths_m".into(),
        r.lengths_m
            .iter()
            .map(|v| serde_json::json!((v * 1000.0).round() / 1000.0))
            .collect(),
    );
    props.insert("total_sides".into(), r.total_sides.into());
    props.insert("compliant_sides".into(), r.compliant_sides.into());
    props.insert("undecided_sides".into(), r.undecided_sides.into());
    props.insert(
        "envelope".into(),
        r.envelope
            .as_ref()
            .map_or(serde_json::Value::Null, envelope_json),
    );
    props.insert("envelope_area_sqm".into(), r.envelope_area_sqm.into());
    props.insert("footprint_fits".into(), r.footprint_fits.into());
    props.insert("error".into(), r.error.clone().into());
    serde_json::json!({"type": "Feature",
        "geometry": r.geometry.as_ref().map_or(serde_json::Value::Null,
            |p| serde_json::json!({"type": "Polygon", "coordinates": polygon_json(p)})),
        "properties": props})
}

fn side_features<'r>(
    r: &'r ParcelRow,
    id_name: &'r str,
) -> impl Iterator<Item = serde_json::Value> + 'r {
    r.sides.iter().map(move |s| {
        serde_json::json!({"type": "Feature",
            "geometry": {"type": "LineString", "coordinates": ring_json(&s.line)},
            "properties": {id_name: r.id, "index": s.index, "role": s.role, "relation": s.relation,
                "length_m": s.length_m.map(|v| (v * 1000.0).round() / 1000.0),
                "required_ft": s.required_ft, "actual_ft": s.actual_ft, "compliant": s.compliant}})
    })
}

fn columns(fields: &[(&str, FieldType)]) -> Vec<(String, FieldType)> {
    fields.iter().map(|(n, t)| ((*n).to_owned(), *t)).collect()
}

/// An entity with the attributes that have a value.
fn entity(shape: Shape, attrs: Vec<(&str, Option<Value>)>) -> Entity {
    Entity {
        shape,
        label: None,
        attributes: attrs
            .into_iter()
            .filter_map(|(k, v)| v.map(|v| (k.to_owned(), v)))
            .collect(),
    }
}

/// The rows as GeoPackage tables: `parcels` (the parcel and its columns,
/// lists as JSON text), `envelopes` (id, area) and, with `sides`, `sides`.
fn write_gpkg(path: &Path, rows: &[ParcelRow], id_name: &str, sides: bool) -> Result<(), String> {
    let text = |v: &Option<String>| v.clone().map(Value::Text);
    let mut d = Drawing {
        units: Units::Degrees,
        epsg: Some(4326),
        ..Drawing::default()
    };
    let json_text = |v: serde_json::Value| Some(Value::Text(v.to_string()));
    let parcels = d.layer_mut("parcels", || default_style("parcel"));
    parcels.fields = columns(&[
        (id_name, FieldType::Text),
        ("class", FieldType::Text),
        ("roles", FieldType::Text),
        ("lengths_m", FieldType::Text),
        ("total_sides", FieldType::Integer),
        ("compliant_sides", FieldType::Integer),
        ("undecided_sides", FieldType::Integer),
        ("envelope_area_sqm", FieldType::Real),
        ("footprint_fits", FieldType::Boolean),
        ("error", FieldType::Text),
    ]);
    for r in rows {
        let Some(p) = &r.geometry else { continue };
        parcels.entities.push(entity(
            Shape::Area(p.clone()),
            vec![
                (id_name, Some(Value::Text(r.id.clone()))),
                ("class", text(&r.class)),
                ("roles", json_text(r.roles.clone().into())),
                ("lengths_m", json_text(r.lengths_m.clone().into())),
                ("total_sides", Some(Value::Int(r.total_sides as i64))),
                (
                    "compliant_sides",
                    r.compliant_sides.map(|v| Value::Int(v as i64)),
                ),
                (
                    "undecided_sides",
                    Some(Value::Int(r.undecided_sides as i64)),
                ),
                ("envelope_area_sqm", r.envelope_area_sqm.map(Value::Real)),
                ("footprint_fits", r.footprint_fits.map(Value::Bool)),
                ("error", text(&r.error)),
            ],
        ));
    }
    let envelopes = d.layer_mut("envelopes", || default_style("buildable-envelope"));
    envelopes.fields = columns(&[
        (id_name, FieldType::Text),
        ("envelope_area_sqm", FieldType::Real),
    ]);
    for r in rows {
        let Some(m) = r.envelope.as_ref().filter(|m| !m.0.is_empty()) else {
            continue;
        };
        envelopes.entities.push(entity(
            Shape::Multi(m.0.iter().cloned().map(Shape::Area).collect()),
            vec![
                (id_name, Some(Value::Text(r.id.clone()))),
                ("envelope_area_sqm", r.envelope_area_sqm.map(Value::Real)),
            ],
        ));
    }
    if sides {
        sides_layer(&mut d, rows, id_name);
    }
    d.layers.retain(|l| !l.entities.is_empty());
    gpkg::write_gpkg(&d, path, &gpkg::GpkgOptions::default())
        .map_err(|e| format!("{}: {e}", path.display()))
}

/// The `sides` table: one row per side.
fn sides_layer(d: &mut Drawing, rows: &[ParcelRow], id_name: &str) {
    let text = |v: &Option<String>| v.clone().map(Value::Text);
    let layer = d.layer_mut("sides", || default_style("parcel-sides"));
    layer.fields = columns(&[
        (id_name, FieldType::Text),
        ("index", FieldType::Integer),
        ("role", FieldType::Text),
        ("relation", FieldType::Text),
        ("length_m", FieldType::Real),
        ("required_ft", FieldType::Real),
        ("actual_ft", FieldType::Real),
        ("compliant", FieldType::Boolean),
    ]);
    for r in rows {
        for s in &r.sides {
            layer.entities.push(entity(
                Shape::Polyline(s.line.clone()),
                vec![
                    (id_name, Some(Value::Text(r.id.clone()))),
                    ("index", Some(Value::Int(s.index as i64))),
                    ("role", Some(Value::Text(s.role.clone()))),
                    ("relation", text(&s.relation)),
                    ("length_m", s.length_m.map(Value::Real)),
                    ("required_ft", s.required_ft.map(Value::Real)),
                    ("actual_ft", s.actual_ft.map(Value::Real)),
                    ("compliant", s.compliant.map(Value::Bool)),
                ],
            ));
        }
    }
}

/// What `analyze --batch` is asked.
pub struct BatchJob<'a> {
    pub input: &'a Path,
    pub output: &'a Path,
    pub sides: Option<&'a Path>,
    pub id_field: Option<&'a str>,
    pub threads: usize,
}

fn is_gpkg(p: &Path) -> bool {
    p.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("gpkg"))
}

/// Runs a batch: every parcel of `job.input` analysed with `context`,
/// written to `job.output` (and `job.sides`).
pub fn run(
    job: &BatchJob<'_>,
    context: &SiteContext,
    options: &SiteOptions,
) -> Result<String, String> {
    for out in std::iter::once(job.output).chain(job.sides) {
        let ext = out.extension().and_then(|e| e.to_str()).unwrap_or("");
        if !matches!(
            ext.to_ascii_lowercase().as_str(),
            "geojson" | "json" | "gpkg" | "parquet"
        ) {
            return Err(format!(
                "{}: write .geojson, .gpkg or .parquet",
                out.display()
            ));
        }
        super::cli::check_parent(out).map_err(|e| format!("{}: {e}", out.display()))?;
    }
    if is_parquet(job.output) && job.sides == Some(job.output) {
        return Err(format!(
            "{}: a Parquet file holds one table: give --sides a file of its own",
            job.output.display()
        ));
    }
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(job.threads)
        .build()
        .map_err(|e| e.to_string())?;
    let layer = read_parcels(job.input, &pool)?;
    let batch = Batch::new(&layer, context, options, job.id_field)
        .map_err(|e| format!("{}: {e}", job.input.display()))?;
    let id_name = job.id_field.unwrap_or("id");
    let sides_in_gpkg = job.sides.is_some_and(|s| s == job.output);
    let (mut done, mut failed) = (0, 0);
    let mut staged = super::cli::Staged::default();
    // GeoJSON goes out as the rows come (a county is not held in memory),
    // formatted on the threads that made the rows; a GeoPackage is written
    // from every row at the end
    let json = |p: &Path| !is_gpkg(p) && !is_parquet(p);
    let mut parcels = json(job.output)
        .then(|| Collection::create(&mut staged, job.output))
        .transpose()?;
    let mut sides = job
        .sides
        .filter(|s| json(s))
        .map(|s| Collection::create(&mut staged, s))
        .transpose()?;
    // GeoParquet goes out chunk by chunk as record batches
    let mut tables = std::iter::once((job.output, false))
        .chain(job.sides.map(|s| (s, true)))
        .filter(|(p, _)| is_parquet(p))
        .map(|(p, sides)| Table::create(&mut staged, p, id_name, sides))
        .collect::<Result<Vec<_>, _>>()?;
    let (parcels_json, sides_json) = (parcels.is_some(), sides.is_some());
    let format = |row: ParcelRow| Done {
        parcel: parcels_json.then(|| parcel_feature(&row, id_name).to_string()),
        sides: if sides_json {
            side_features(&row, id_name)
                .map(|f| f.to_string())
                .collect()
        } else {
            Vec::new()
        },
        row,
    };
    let keep = is_gpkg(job.output) || job.sides.is_some_and(is_gpkg);
    let mut kept = Vec::new();
    rows(&batch, &pool, &format, &mut |chunk| {
        let mut chunk_rows = Vec::with_capacity(chunk.len());
        for d in chunk {
            done += 1;
            failed += usize::from(d.row.error.is_some());
            if let (Some(c), Some(f)) = (parcels.as_mut(), &d.parcel) {
                c.push(f)?;
            }
            if let Some(c) = sides.as_mut() {
                for f in &d.sides {
                    c.push(f)?;
                }
            }
            chunk_rows.push(d.row);
        }
        for t in &mut tables {
            t.push(&chunk_rows, id_name)?;
        }
        if keep {
            kept.extend(chunk_rows);
        }
        Ok(())
    })?;
    for c in parcels.into_iter().chain(sides) {
        c.finish()?;
    }
    for t in tables {
        t.finish()?;
    }
    if is_gpkg(job.output) {
        write_gpkg(&staged.path_for(job.output), &kept, id_name, sides_in_gpkg)?;
    }
    if let Some(s) = job.sides.filter(|s| is_gpkg(s) && !sides_in_gpkg) {
        write_sides_gpkg(&staged.path_for(s), &kept, id_name)?;
    }
    staged
        .commit()
        .map_err(|e| format!("{}: {e}", job.output.display()))?;
    Ok(format!("{done} parcels, {failed} not analysed"))
}

fn write_sides_gpkg(path: &Path, rows: &[ParcelRow], id_name: &str) -> Result<(), String> {
    // the sides table alone: the rows without parcels or envelopes
    let bare: Vec<ParcelRow> = rows
        .iter()
        .map(|r| ParcelRow {
            geometry: None,
            envelope: None,
            ..r.clone()
        })
        .collect();
    write_gpkg(path, &bare, id_name, true)
}
