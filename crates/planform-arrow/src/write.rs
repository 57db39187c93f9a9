//! Batch rows ([`ParcelRow`]) as Arrow record batches, and record batches
//! written as GeoParquet.
//!
//! The parcels table has one row per parcel: the id, `class`, `roles` and
//! `lengths_m` (lists, in side order), the side counts, the `envelope` (a
//! second geometry column), `envelope_area_sqm`, `footprint_fits`,
//! `error` and the parcel `geometry` (the primary column). The sides table
//! has one row per side. Geometries are WGS84 longitude/latitude, GeoArrow
//! native in the record batches and WKB in the files (GeoParquet 1.0 and
//! 1.1 readers alike: GDAL, geopandas, DuckDB), each with a bounding-box
//! covering column so readers can skip row groups.

use std::io::Write;
use std::sync::Arc;

use arrow_array::builder::{
    BooleanBuilder, Float64Builder, Int64Builder, ListBuilder, StringBuilder,
};
use arrow_array::{ArrayRef, RecordBatch};
use arrow_schema::{DataType, Field, Schema, SchemaRef};
use geoarrow_array::GeoArrowArray;
use geoarrow_array::builder::{LineStringBuilder, MultiPolygonBuilder, PolygonBuilder};
use geoarrow_schema::{Dimension, LineStringType, MultiPolygonType, PolygonType};
use geoparquet::writer::{
    GeoParquetRecordBatchEncoder, GeoParquetWriterEncoding, GeoParquetWriterOptionsBuilder,
};
use parquet::arrow::ArrowWriter;
use parquet::basic::{Compression, ZstdLevel};
use parquet::file::properties::WriterProperties;
use planform_site::ParcelRow;

use crate::error::Result;

/// Rows in a Parquet row group.
const ROW_GROUP: usize = 65_536;

fn polygon_type() -> PolygonType {
    PolygonType::new(Dimension::XY, Arc::default())
}

fn multi_polygon_type() -> MultiPolygonType {
    MultiPolygonType::new(Dimension::XY, Arc::default())
}

fn line_string_type() -> LineStringType {
    LineStringType::new(Dimension::XY, Arc::default())
}

fn list_of(item: DataType) -> DataType {
    DataType::List(Arc::new(Field::new_list_field(item, true)))
}

/// The parcels table's schema, the id column named `id_name`.
pub fn parcels_schema(id_name: &str) -> SchemaRef {
    Arc::new(Schema::new(vec![
        Field::new(id_name, DataType::Utf8, false),
        Field::new("class", DataType::Utf8, true),
        Field::new("roles", list_of(DataType::Utf8), false),
        Field::new("lengths_m", list_of(DataType::Float64), false),
        Field::new("total_sides", DataType::Int64, false),
        Field::new("compliant_sides", DataType::Int64, true),
        Field::new("undecided_sides", DataType::Int64, false),
        multi_polygon_type().to_field("envelope", true),
        Field::new("envelope_area_sqm", DataType::Float64, true),
        Field::new("footprint_fits", DataType::Boolean, true),
        Field::new("error", DataType::Utf8, true),
        polygon_type().to_field("geometry", true),
    ]))
}

/// The sides table's schema, the parcel's id column named `id_name`.
pub fn sides_schema(id_name: &str) -> SchemaRef {
    Arc::new(Schema::new(vec![
        Field::new(id_name, DataType::Utf8, false),
        Field::new("index", DataType::Int64, false),
        Field::new("role", DataType::Utf8, false),
        Field::new("relation", DataType::Utf8, true),
        Field::new("length_m", DataType::Float64, true),
        Field::new("required_ft", DataType::Float64, true),
        Field::new("actual_ft", DataType::Float64, true),
        Field::new("compliant", DataType::Boolean, true),
        line_string_type().to_field("geometry", false),
    ]))
}

fn count(n: usize) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

/// The parcels table of `rows` (schema [`parcels_schema`]).
///
/// ```
/// use planform_site::ParcelRow;
///
/// let row = ParcelRow { id: "12-34".into(), roles: vec!["front".into(), "rear".into()],
///     lengths_m: vec![20.0, 20.0], total_sides: 2, ..ParcelRow::default() };
/// let table = planform_arrow::parcels_batch(&[row], "PIN")?;
/// assert_eq!(table.num_rows(), 1);
/// assert_eq!(table.schema().field(0).name(), "PIN");
/// # Ok::<(), planform_arrow::TableError>(())
/// ```
pub fn parcels_batch(rows: &[ParcelRow], id_name: &str) -> Result<RecordBatch> {
    let mut id = StringBuilder::new();
    let mut class = StringBuilder::new();
    let mut roles = ListBuilder::new(StringBuilder::new());
    let mut lengths = ListBuilder::new(Float64Builder::new());
    let (mut total, mut compliant, mut undecided) = (
        Int64Builder::new(),
        Int64Builder::new(),
        Int64Builder::new(),
    );
    let mut envelope = MultiPolygonBuilder::new(multi_polygon_type());
    let mut area = Float64Builder::new();
    let mut fits = BooleanBuilder::new();
    let mut error = StringBuilder::new();
    let mut geometry = PolygonBuilder::new(polygon_type());
    for r in rows {
        id.append_value(&r.id);
        class.append_option(r.class.as_deref());
        for role in &r.roles {
            roles.values().append_value(role);
        }
        roles.append(true);
        lengths.values().append_slice(&r.lengths_m);
        lengths.append(true);
        total.append_value(count(r.total_sides));
        compliant.append_option(r.compliant_sides.map(count));
        undecided.append_value(count(r.undecided_sides));
        envelope.push_multi_polygon(r.envelope.as_ref())?;
        area.append_option(r.envelope_area_sqm);
        fits.append_option(r.footprint_fits);
        error.append_option(r.error.as_deref());
        geometry.push_polygon(r.geometry.as_ref())?;
    }
    let columns: Vec<ArrayRef> = vec![
        Arc::new(id.finish()),
        Arc::new(class.finish()),
        Arc::new(roles.finish()),
        Arc::new(lengths.finish()),
        Arc::new(total.finish()),
        Arc::new(compliant.finish()),
        Arc::new(undecided.finish()),
        envelope.finish().to_array_ref(),
        Arc::new(area.finish()),
        Arc::new(fits.finish()),
        Arc::new(error.finish()),
        geometry.finish().to_array_ref(),
    ];
    Ok(RecordBatch::try_new(parcels_schema(id_name), columns)?)
}

/// The sides table of `rows` (schema [`sides_schema`]), one row per side
/// in row and side order.
pub fn sides_batch(rows: &[ParcelRow], id_name: &str) -> Result<RecordBatch> {
    let mut id = StringBuilder::new();
    let mut index = Int64Builder::new();
    let mut role = StringBuilder::new();
    let mut relation = StringBuilder::new();
    let (mut length, mut required, mut actual) = (
        Float64Builder::new(),
        Float64Builder::new(),
        Float64Builder::new(),
    );
    let mut compliant = BooleanBuilder::new();
    let mut geometry = LineStringBuilder::new(line_string_type());
    for (r, s) in rows
        .iter()
        .flat_map(|r| r.sides.iter().map(move |s| (r, s)))
    {
        id.append_value(&r.id);
        index.append_value(count(s.index));
        role.append_value(&s.role);
        relation.append_option(s.relation.as_deref());
        length.append_option(s.length_m);
        required.append_option(s.required_ft);
        actual.append_option(s.actual_ft);
        compliant.append_option(s.compliant);
        geometry.push_line_string(Some(&s.line))?;
    }
    let columns: Vec<ArrayRef> = vec![
        Arc::new(id.finish()),
        Arc::new(index.finish()),
        Arc::new(role.finish()),
        Arc::new(relation.finish()),
        Arc::new(length.finish()),
        Arc::new(required.finish()),
        Arc::new(actual.finish()),
        Arc::new(compliant.finish()),
        geometry.finish().to_array_ref(),
    ];
    Ok(RecordBatch::try_new(sides_schema(id_name), columns)?)
}

/// Record batches of one schema written to `W` as a GeoParquet 1.1 file:
/// geometry columns as WKB with bounding-box coverings, the primary one
/// `geometry` (else the first), zstd, row groups of 65 536 rows, the `geo`
/// metadata (bounding boxes, geometry types) written by [`finish`].
///
/// Nothing is valid Parquet until [`finish`] returns: write to a staged
/// path and rename it into place after.
///
/// [`finish`]: GeoParquetWriter::finish
pub struct GeoParquetWriter<W: Write + Send> {
    writer: ArrowWriter<W>,
    encoder: GeoParquetRecordBatchEncoder,
}

impl<W: Write + Send> GeoParquetWriter<W> {
    /// A writer of batches with `schema`.
    pub fn try_new(out: W, schema: &Schema) -> Result<Self> {
        let mut options = GeoParquetWriterOptionsBuilder::default()
            .set_encoding(GeoParquetWriterEncoding::WKB)
            .set_generate_covering(true);
        if schema.field_with_name("geometry").is_ok() {
            options = options.set_primary_column("geometry".into());
        }
        let encoder = GeoParquetRecordBatchEncoder::try_new(schema, &options.build())?;
        let properties = WriterProperties::builder()
            .set_compression(Compression::ZSTD(ZstdLevel::try_new(3)?))
            .set_max_row_group_row_count(Some(ROW_GROUP))
            .build();
        let writer = ArrowWriter::try_new(out, encoder.target_schema(), Some(properties))?;
        Ok(Self { writer, encoder })
    }

    /// Writes one batch (of the writer's schema).
    pub fn write(&mut self, batch: &RecordBatch) -> Result<()> {
        let encoded = self.encoder.encode_record_batch(batch)?;
        self.writer.write(&encoded)?;
        Ok(())
    }

    /// Writes the `geo` metadata and the footer, and gives the output back.
    pub fn finish(mut self) -> Result<W> {
        self.writer
            .append_key_value_metadata(self.encoder.into_keyvalue()?);
        Ok(self.writer.into_inner()?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use arrow_array::Array;
    use arrow_array::cast::AsArray;
    use planform_site::{BatchParcel, Layer, LayerCrs, SideRow};

    fn square(x: f64) -> geo_types::Polygon<f64> {
        let ring = vec![(x, 0.0), (x + 1e-4, 0.0), (x + 1e-4, 1e-4), (x, 0.0)];
        geo_types::Polygon::new(ring.into(), vec![])
    }

    #[test]
    fn rows_written_read_back_are_the_rows() {
        let rows = vec![
            ParcelRow {
                id: "a".into(),
                geometry: Some(square(0.0)),
                class: Some("rectangular".into()),
                roles: vec!["front".into(), "rear".into(), "interior".into()],
                lengths_m: vec![11.1, 12.2, 13.3],
                total_sides: 3,
                compliant_sides: Some(2),
                undecided_sides: 0,
                envelope: Some(geo_types::MultiPolygon(vec![square(0.5)])),
                envelope_area_sqm: Some(42.5),
                footprint_fits: Some(true),
                error: None,
                sides: vec![SideRow {
                    index: 0,
                    role: "front".into(),
                    relation: None,
                    length_m: Some(11.1),
                    required_ft: Some(20.0),
                    actual_ft: None,
                    compliant: None,
                    line: vec![(0.0, 0.0), (1e-4, 0.0)].into(),
                }],
            },
            ParcelRow {
                id: "b".into(),
                error: Some("a ring of two points".into()),
                ..ParcelRow::default()
            },
        ];
        let table = parcels_batch(&rows, "PIN").unwrap();
        let sides = sides_batch(&rows, "PIN").unwrap();
        assert_eq!((table.num_rows(), sides.num_rows()), (2, 1));
        let path = std::env::temp_dir().join(format!(
            "planform-arrow-{}-roundtrip.parquet",
            std::process::id()
        ));
        let file = std::fs::File::create(&path).unwrap();
        let mut out = GeoParquetWriter::try_new(file, &table.schema()).unwrap();
        out.write(&table).unwrap();
        out.finish().unwrap();
        // the parcels come back (the one without a geometry is no parcel)
        let layer: Layer<BatchParcel> = crate::read_geoparquet(&path, None).unwrap();
        assert_eq!(layer.crs, LayerCrs::Wgs84);
        assert_eq!(layer.features.len(), 1);
        assert_eq!(layer.features[0].polygon, square(0.0));
        let p = &layer.features[0].properties;
        assert_eq!(p["PIN"], "a");
        assert_eq!(p["class"], "rectangular");
        assert_eq!(p["compliant_sides"], 2);
        assert_eq!(p["envelope_area_sqm"], 42.5);
        assert_eq!(p["footprint_fits"], true);
        assert!(!p.contains_key("error") && !p.contains_key("envelope"));
        // the envelope column as a layer of its own
        let envelopes: Layer<geo_types::Polygon<f64>> =
            crate::read_geoparquet(&path, Some("envelope")).unwrap();
        assert_eq!(envelopes.features, vec![square(0.5)]);
        // the lists, as written
        let (reader, primary) = crate::read::geoparquet_reader(&path).unwrap();
        assert_eq!(primary, "geometry");
        let batches: Vec<RecordBatch> = reader.map(|b| b.unwrap()).collect();
        let roles = batches[0].column_by_name("roles").unwrap().as_list::<i32>();
        assert_eq!(roles.value(0).as_string::<i32>().len(), 3);
        assert_eq!(roles.value(1).len(), 0);
        std::fs::remove_file(&path).unwrap();
    }

    #[test]
    fn a_batch_of_another_schema_is_refused() {
        let table = parcels_batch(&[], "id").unwrap();
        let mut out = GeoParquetWriter::try_new(Vec::new(), &sides_schema("id")).unwrap();
        assert!(out.write(&table).is_err());
    }
}
