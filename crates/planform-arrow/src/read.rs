//! Parcel and context layers from Arrow record batches and GeoParquet
//! files: each row's geometry (any GeoArrow encoding: WKB, WKT or native)
//! as geo-types and its other columns as properties, in the CRS the
//! geometry column declares.

use std::path::Path;
use std::sync::Arc;

use arrow_array::cast::AsArray;
use arrow_array::types::{
    Float32Type, Float64Type, Int8Type, Int16Type, Int32Type, Int64Type, UInt8Type, UInt16Type,
    UInt32Type, UInt64Type,
};
use arrow_array::{Array, RecordBatch, RecordBatchReader};
use arrow_schema::{DataType, Field, Schema};
use geo_traits::to_geo::ToGeoGeometry;
use geoarrow_array::{GeoArrowArray, GeoArrowArrayAccessor, downcast_geoarrow_array};
use geoarrow_schema::{CoordType, GeoArrowType, Metadata};
use geoparquet::reader::{GeoParquetReaderBuilder, GeoParquetRecordBatchReader};
use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;
use planform_site::{FromFeature, Layer, LayerCrs};
use serde_json::{Map, Value};

use crate::error::{Result, TableError};

/// One feature: its geometry and its properties.
pub type FeatureRow = (geo_types::Geometry<f64>, Map<String, Value>);

/// Rows decoded at a time from a GeoParquet file.
const READ_BATCH: usize = 8192;

/// Whether a field holds GeoArrow geometries (its extension type says so).
fn is_geometry(field: &Field) -> bool {
    matches!(GeoArrowType::from_extension_field(field), Ok(Some(_)))
}

/// The index of the geometry column: the one named `name`, else the first
/// GeoArrow field.
pub fn geometry_column(schema: &Schema, name: Option<&str>) -> Result<usize> {
    let found = match name {
        Some(name) => schema.index_of(name).ok(),
        None => schema.fields().iter().position(|f| is_geometry(f)),
    };
    let i = found.ok_or_else(|| {
        TableError::Layer(match name {
            Some(n) => format!("no column {n:?}"),
            None => "no geometry column (no field with a GeoArrow extension type)".into(),
        })
    })?;
    if !is_geometry(schema.field(i)) {
        return Err(TableError::Layer(format!(
            "column {:?} is not a GeoArrow geometry column",
            schema.field(i).name()
        )));
    }
    Ok(i)
}

/// The CRS a GeoArrow field declares: none or OGC:CRS84 is WGS84
/// longitude/latitude (GeoParquet's default); PROJJSON with an `id`, an
/// `AUTHORITY:CODE` string or WKT ending in an EPSG `ID` name its EPSG
/// code. Anything else is an error: a layer is never placed by a guess.
pub fn field_crs(field: &Field) -> Result<LayerCrs> {
    let metadata = Metadata::try_from(field)?;
    crs_of(metadata.crs().crs_value())
}

fn crs_of(value: Option<&Value>) -> Result<LayerCrs> {
    let unknown = |v: &Value| {
        let mut text = v.to_string();
        if text.len() > 120 {
            let cut = (0..=120)
                .rev()
                .find(|&i| text.is_char_boundary(i))
                .unwrap_or(0);
            text.truncate(cut);
            text.push('…');
        }
        TableError::Layer(format!("its CRS names no EPSG code: {text}"))
    };
    let code = match value {
        None | Some(Value::Null) => return Ok(LayerCrs::Wgs84),
        Some(Value::Object(o)) => o.get("id").and_then(|id| {
            let authority = id.get("authority")?.as_str()?;
            let code = id.get("code")?;
            let code = code
                .as_u64()
                .map(|c| c.to_string())
                .or_else(|| code.as_str().map(str::to_owned))?;
            Some((authority.to_ascii_uppercase(), code))
        }),
        Some(Value::String(s)) => authority_code(s).or_else(|| wkt_id(s)),
        Some(_) => None,
    };
    let (authority, code) = code.ok_or_else(|| unknown(value.unwrap_or(&Value::Null)))?;
    match (authority.as_str(), code.as_str()) {
        ("OGC", "CRS84") | ("EPSG", "4326") => Ok(LayerCrs::Wgs84),
        ("EPSG", c) => c
            .parse()
            .map(LayerCrs::Epsg)
            .map_err(|_| unknown(value.unwrap_or(&Value::Null))),
        _ => Err(unknown(value.unwrap_or(&Value::Null))),
    }
}

/// `EPSG:3857`, `OGC:CRS84` (or a bare SRID, taken as EPSG).
fn authority_code(s: &str) -> Option<(String, String)> {
    let s = s.trim();
    if let Some((a, c)) = s.split_once(':') {
        let ok = |t: &str| !t.is_empty() && t.chars().all(|ch| ch.is_ascii_alphanumeric());
        return (ok(a) && ok(c)).then(|| (a.to_ascii_uppercase(), c.to_ascii_uppercase()));
    }
    (!s.is_empty() && s.chars().all(|c| c.is_ascii_digit())).then(|| ("EPSG".into(), s.into()))
}

/// The last `ID["EPSG",N]` (WKT2) or `AUTHORITY["EPSG","N"]` (WKT1) of a
/// WKT text: the CRS's own (those of its parts come before it).
fn wkt_id(s: &str) -> Option<(String, String)> {
    let upper = s.to_ascii_uppercase();
    let at = ["ID[\"EPSG\"", "AUTHORITY[\"EPSG\""]
        .iter()
        .filter_map(|p| upper.rfind(p))
        .max()?;
    let rest = &upper[at..];
    let open = rest.find(',')?;
    let digits: String = rest[open + 1..]
        .chars()
        .skip_while(|c| !c.is_ascii_digit())
        .take_while(char::is_ascii_digit)
        .collect();
    (!digits.is_empty()).then(|| ("EPSG".into(), digits))
}

/// Each row of `batch`: the geometry of column `geometry` (a null one as
/// an empty collection, which no layer takes, as GeoJSON's null) and
/// the values of the other columns that are not geometries (strings,
/// numbers, booleans and dictionaries of them; other types are left out).
pub fn features(batch: &RecordBatch, geometry: usize) -> Result<Vec<FeatureRow>> {
    let schema = batch.schema();
    let field = schema.field(geometry);
    let array = geoarrow_array::array::from_arrow_array(batch.column(geometry).as_ref(), field)?;
    let geometries = geometries(array.as_ref())?;
    let columns: Vec<(&str, Vec<Option<Value>>)> = schema
        .fields()
        .iter()
        .zip(batch.columns())
        .enumerate()
        .filter(|(i, (f, _))| *i != geometry && !is_geometry(f))
        .filter_map(|(_, (f, c))| Some((f.name().as_str(), values(c.as_ref())?)))
        .collect();
    Ok(geometries
        .into_iter()
        .enumerate()
        .map(|(row, g)| {
            let properties = columns
                .iter()
                .filter_map(|(name, vs)| Some(((*name).to_owned(), vs[row].clone()?)))
                .collect();
            (g, properties)
        })
        .collect())
}

fn empty() -> geo_types::Geometry<f64> {
    geo_types::Geometry::GeometryCollection(geo_types::GeometryCollection(Vec::new()))
}

fn geometries(array: &dyn GeoArrowArray) -> Result<Vec<geo_types::Geometry<f64>>> {
    fn each<'a>(a: &'a impl GeoArrowArrayAccessor<'a>) -> Result<Vec<geo_types::Geometry<f64>>> {
        a.iter()
            .map(|g| match g {
                None => Ok(empty()),
                Some(g) => Ok(g?.try_to_geometry().unwrap_or_else(empty)),
            })
            .collect()
    }
    downcast_geoarrow_array!(array, each)
}

/// A column's values as JSON (`None`: a type a property cannot hold).
fn values(column: &dyn Array) -> Option<Vec<Option<Value>>> {
    fn nums<T: arrow_array::ArrowPrimitiveType>(
        c: &dyn Array,
        f: impl Fn(T::Native) -> Option<Value>,
    ) -> Vec<Option<Value>> {
        let a = c.as_primitive::<T>();
        (0..a.len())
            .map(|i| a.is_valid(i).then(|| f(a.value(i))).flatten())
            .collect()
    }
    fn texts<'a>(c: &'a dyn Array, value: impl Fn(usize) -> &'a str) -> Vec<Option<Value>> {
        (0..c.len())
            .map(|i| c.is_valid(i).then(|| Value::String(value(i).to_owned())))
            .collect()
    }
    let float = |v: f64| serde_json::Number::from_f64(v).map(Value::Number);
    Some(match column.data_type() {
        DataType::Utf8 => texts(column, |i| column.as_string::<i32>().value(i)),
        DataType::LargeUtf8 => texts(column, |i| column.as_string::<i64>().value(i)),
        DataType::Utf8View => texts(column, |i| column.as_string_view().value(i)),
        DataType::Boolean => {
            let a = column.as_boolean();
            (0..a.len())
                .map(|i| a.is_valid(i).then(|| Value::Bool(a.value(i))))
                .collect()
        }
        DataType::Int8 => nums::<Int8Type>(column, |v| Some(v.into())),
        DataType::Int16 => nums::<Int16Type>(column, |v| Some(v.into())),
        DataType::Int32 => nums::<Int32Type>(column, |v| Some(v.into())),
        DataType::Int64 => nums::<Int64Type>(column, |v| Some(v.into())),
        DataType::UInt8 => nums::<UInt8Type>(column, |v| Some(v.into())),
        DataType::UInt16 => nums::<UInt16Type>(column, |v| Some(v.into())),
        DataType::UInt32 => nums::<UInt32Type>(column, |v| Some(v.into())),
        DataType::UInt64 => nums::<UInt64Type>(column, |v| Some(v.into())),
        DataType::Float32 => nums::<Float32Type>(column, |v| float(f64::from(v))),
        DataType::Float64 => nums::<Float64Type>(column, float),
        DataType::Dictionary(_, _) => {
            let d = column.as_any_dictionary();
            let vals = values(d.values().as_ref())?;
            let keys = d.normalized_keys();
            (0..column.len())
                .map(|i| {
                    column
                        .is_valid(i)
                        .then(|| vals.get(keys[i]).cloned().flatten())
                        .flatten()
                })
                .collect()
        }
        _ => return None,
    })
}

/// A layer from record batches of one schema, the geometry column named
/// `geometry_column` (else the first GeoArrow field), in the CRS that
/// column declares.
///
/// ```
/// use std::sync::Arc;
/// use arrow_array::{RecordBatch, StringArray};
/// use arrow_schema::Schema;
/// use geoarrow_array::{GeoArrowArray, builder::PolygonBuilder};
/// use geoarrow_schema::{Dimension, PolygonType};
/// use planform_site::{BatchParcel, Layer, LayerCrs};
///
/// let ring = vec![(-96.62, 32.33), (-96.6198, 32.33), (-96.6198, 32.3303), (-96.62, 32.33)];
/// let lot = geo_types::Polygon::new(ring.into(), vec![]);
/// let typ = PolygonType::new(Dimension::XY, Default::default());
/// let geometry = PolygonBuilder::from_polygons(&[lot], typ.clone()).finish();
/// let schema = Schema::new(vec![arrow_schema::Field::new("PIN", arrow_schema::DataType::Utf8, false),
///     typ.to_field("geometry", true)]);
/// let batch = RecordBatch::try_new(Arc::new(schema), vec![
///     Arc::new(StringArray::from(vec!["12-34"])), geometry.to_array_ref()])?;
/// let layer: Layer<BatchParcel> = planform_arrow::layer_from_batches([batch], None)?;
/// assert_eq!(layer.crs, LayerCrs::Wgs84);
/// assert_eq!(layer.features[0].properties["PIN"], "12-34");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn layer_from_batches<T: FromFeature>(
    batches: impl IntoIterator<Item = RecordBatch>,
    geometry_column: Option<&str>,
) -> Result<Layer<T>> {
    layer_from_results(batches.into_iter().map(Ok), geometry_column)
}

fn layer_from_results<T: FromFeature>(
    batches: impl Iterator<Item = Result<RecordBatch>>,
    column: Option<&str>,
) -> Result<Layer<T>> {
    let mut crs = None;
    let mut failed = None;
    let mut items = Vec::new();
    for batch in batches {
        let rows = batch.and_then(|b| {
            let g = geometry_column(&b.schema(), column)?;
            let this = field_crs(b.schema().field(g))?;
            if crs.is_some_and(|c| c != this) {
                return Err(TableError::Layer(
                    "its record batches declare different CRSs".into(),
                ));
            }
            crs = Some(this);
            features(&b, g)
        });
        match rows {
            Ok(rows) => items.push(rows),
            Err(e) => {
                failed = Some(e);
                break;
            }
        }
    }
    if let Some(e) = failed {
        return Err(e);
    }
    let crs = crs.ok_or_else(|| TableError::Layer("no record batch".into()))?;
    Ok(Layer::from_features(crs, items.into_iter().flatten())?)
}

/// A GeoParquet file (1.0 or 1.1; WKB or GeoArrow-native encodings; any
/// codec the reader is built with: zstd, snappy, uncompressed) read as a
/// layer, row groups decoded in turn: the geometry column named
/// `geometry_column`, else the file's primary one, in the CRS it declares.
/// A Parquet file without `geo` metadata is an error.
pub fn read_geoparquet<T: FromFeature>(
    path: &Path,
    geometry_column: Option<&str>,
) -> Result<Layer<T>> {
    let reader = geoparquet_reader(path)?;
    let column = match geometry_column {
        Some(c) => c.to_owned(),
        None => reader.1,
    };
    layer_from_results(reader.0.map(|b| b.map_err(TableError::from)), Some(&column))
}

/// A GeoParquet file's record batches with GeoArrow fields, and its
/// primary geometry column.
pub fn geoparquet_reader(path: &Path) -> Result<(impl RecordBatchReader + Send + use<>, String)> {
    let file = std::fs::File::open(path).map_err(|source| TableError::Io {
        path: path.to_owned(),
        source,
    })?;
    let builder = ParquetRecordBatchReaderBuilder::try_new(file)?;
    let meta = builder.geoparquet_metadata().ok_or_else(|| {
        TableError::Layer("a Parquet file without GeoParquet `geo` metadata".into())
    })??;
    let schema = builder.geoarrow_schema(&meta, false, CoordType::default())?;
    let reader = builder.with_batch_size(READ_BATCH).build()?;
    let reader: GeoParquetRecordBatchReader =
        GeoParquetRecordBatchReader::try_new(reader, Arc::clone(&schema))?;
    Ok((reader, meta.primary_column))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn crs_values_name_their_epsg_code_or_are_refused() {
        let projjson = json!({"type": "ProjectedCRS", "name": "WGS 84 / Pseudo-Mercator",
            "id": {"authority": "EPSG", "code": 3857}});
        assert_eq!(crs_of(Some(&projjson)).unwrap(), LayerCrs::Epsg(3857));
        let crs84 = json!({"type": "GeographicCRS", "id": {"authority": "OGC", "code": "CRS84"}});
        assert_eq!(crs_of(Some(&crs84)).unwrap(), LayerCrs::Wgs84);
        assert_eq!(crs_of(None).unwrap(), LayerCrs::Wgs84);
        assert_eq!(
            crs_of(Some(&json!("EPSG:2249"))).unwrap(),
            LayerCrs::Epsg(2249)
        );
        assert_eq!(crs_of(Some(&json!("epsg:4326"))).unwrap(), LayerCrs::Wgs84);
        let wkt = r#"PROJCRS["NAD83 / Massachusetts Mainland (ftUS)",BASEGEOGCRS["NAD83",ID["EPSG",4269]],ID["EPSG",2249]]"#;
        assert_eq!(crs_of(Some(&json!(wkt))).unwrap(), LayerCrs::Epsg(2249));
        let wkt1 = r#"PROJCS["x",GEOGCS["y",AUTHORITY["EPSG","4269"]],AUTHORITY["EPSG","26986"]]"#;
        assert_eq!(crs_of(Some(&json!(wkt1))).unwrap(), LayerCrs::Epsg(26986));
        for bad in [
            json!({"type": "ProjectedCRS", "name": "custom"}),
            json!("ESRI:102003"),
            json!("a local grid"),
            json!(42),
            json!({"id": {"authority": "EPSG", "code": "not a number"}}),
        ] {
            let e = crs_of(Some(&bad)).unwrap_err().to_string();
            assert!(e.contains("names no EPSG code"), "{bad}: {e}");
        }
    }
}
