//! Any OGR source in, any OGR format out, through the system GDAL (feature
//! `gdal`, off by default: the default build needs no C library).
//!
//! - [`read_ogr`]: every layer of a vector dataset (Shapefile, FlatGeobuf,
//!   a county's parcel layer in a GeoPackage, KML…) as one `SitePlan`:
//!   geometries transformed to WGS84 longitude/latitude, fields as
//!   properties with their OGR types (integers, reals, strings, lists; dates
//!   as ISO 8601 text), the source layer's name in `properties.layer` when
//!   there is more than one layer.
//! - [`write_ogr`]: a drawing, a layer per drawing layer, through the OGR
//!   driver named or guessed from the file name, with typed fields and the
//!   drawing's EPSG code; written to a temporary sibling that replaces the
//!   target only on success.

use std::path::Path;

use gdal::spatial_ref::{AxisMappingStrategy, SpatialRef};
use gdal::vector::{
    FieldDefn, FieldValue, Geometry, LayerAccess, LayerOptions, OGRFieldType, OGRwkbGeometryType,
};
use gdal::{Dataset, DriverManager};
use planform_model::SitePlan;
use serde_json::{Map, Value as Json, json};

use crate::drawing::{Drawing, Value};
use crate::error::{ExportError, Result};
use crate::table::{ColType, ColumnType, Kind, Wkb, column_shape, columns};

fn gdal_err(e: &gdal::errors::GdalError) -> ExportError {
    ExportError::Gdal(e.to_string())
}

fn field_json(v: FieldValue) -> Json {
    match v {
        FieldValue::IntegerValue(i) => json!(i),
        FieldValue::Integer64Value(i) => json!(i),
        FieldValue::RealValue(r) if r.is_finite() => json!(r),
        FieldValue::RealValue(_) => Json::Null,
        FieldValue::StringValue(s) => json!(s),
        FieldValue::IntegerListValue(v) => json!(v),
        FieldValue::Integer64ListValue(v) => json!(v),
        FieldValue::RealListValue(v) => json!(v),
        FieldValue::StringListValue(v) => json!(v),
        FieldValue::DateValue(d) => json!(d.to_string()),
        FieldValue::DateTimeValue(d) => json!(d.to_string()),
    }
}

/// Reads every layer of an OGR dataset into one site plan in WGS84.
pub fn read_ogr(path: &Path) -> Result<SitePlan> {
    let ds = Dataset::open(path).map_err(|e| gdal_err(&e))?;
    let mut wgs84 = SpatialRef::from_epsg(4326).map_err(|e| gdal_err(&e))?;
    wgs84.set_axis_mapping_strategy(AxisMappingStrategy::TraditionalGisOrder);
    let many = ds.layer_count() > 1;
    let mut features = Vec::new();
    let mut first_name = None;
    for mut layer in ds.layers() {
        let name = layer.name();
        first_name.get_or_insert_with(|| name.clone());
        let srs = layer.spatial_ref().map(|mut s| {
            s.set_axis_mapping_strategy(AxisMappingStrategy::TraditionalGisOrder);
            s
        });
        let reproject = srs.as_ref().is_some_and(|s| {
            s.auth_code().ok() != Some(4326) || s.auth_name().as_deref() != Some("EPSG")
        });
        for (i, f) in layer.features().enumerate() {
            let geometry = match f.geometry() {
                None => Json::Null,
                Some(g) => {
                    let g = if reproject {
                        g.transform_to(&wgs84).map_err(|e| {
                            ExportError::Gdal(format!("layer {name:?}, feature {i}: {e}"))
                        })?
                    } else {
                        g.clone()
                    };
                    let text = g.json().map_err(|e| gdal_err(&e))?;
                    serde_json::from_str(&text).map_err(|e| {
                        ExportError::Gdal(format!("layer {name:?}, feature {i}: {e}"))
                    })?
                }
            };
            let mut props = Map::new();
            if many {
                props.insert("layer".into(), json!(name));
            }
            for (k, v) in f.fields() {
                props.insert(k, v.map_or(Json::Null, field_json));
            }
            let mut feature = json!({"type": "Feature", "properties": props, "geometry": geometry});
            if let Some(fid) = f.fid() {
                feature["id"] = json!(fid);
            }
            features.push(feature);
        }
    }
    let doc = json!({"type": "FeatureCollection", "name": first_name, "features": features});
    let bytes = serde_json::to_vec(&doc).map_err(|e| ExportError::Gdal(e.to_string()))?;
    Ok(SitePlan::from_slice(&bytes)?)
}

fn ogr_geometry_type(c: ColumnType) -> OGRwkbGeometryType::Type {
    match c {
        ColumnType::Single(Kind::Point) => OGRwkbGeometryType::wkbPoint,
        ColumnType::Single(Kind::Line) => OGRwkbGeometryType::wkbLineString,
        ColumnType::Single(Kind::Area) => OGRwkbGeometryType::wkbPolygon,
        ColumnType::Multi(Kind::Point) => OGRwkbGeometryType::wkbMultiPoint,
        ColumnType::Multi(Kind::Line) => OGRwkbGeometryType::wkbMultiLineString,
        ColumnType::Multi(Kind::Area) => OGRwkbGeometryType::wkbMultiPolygon,
        ColumnType::Geometry => OGRwkbGeometryType::wkbUnknown,
    }
}

fn field_value(v: &Value, t: ColType) -> FieldValue {
    match (v, t) {
        (Value::Int(i), ColType::Integer) => FieldValue::Integer64Value(*i),
        (Value::Int(i), ColType::Real) => FieldValue::RealValue(*i as f64),
        (Value::Real(r), ColType::Real) => FieldValue::RealValue(*r),
        (Value::Bool(b), ColType::Boolean) => FieldValue::IntegerValue(i32::from(*b)),
        (Value::Text(s), _) => FieldValue::StringValue(s.clone()),
        (Value::Int(i), _) => FieldValue::StringValue(i.to_string()),
        (Value::Real(r), _) => FieldValue::StringValue(r.to_string()),
        (Value::Bool(b), _) => FieldValue::StringValue(b.to_string()),
    }
}

fn write_to(d: &Drawing, path: &Path, driver: &str) -> Result<()> {
    use gdal::Metadata as _;
    let drv = DriverManager::get_driver_by_name(driver).map_err(|e| gdal_err(&e))?;
    let layers = d.layers.iter().filter(|l| !l.entities.is_empty()).count();
    let multi = drv
        .metadata_item("DCAP_MULTIPLE_VECTOR_LAYERS", "")
        .as_deref()
        == Some("YES");
    let dir = path.extension().is_none();
    if layers > 1 && !multi && !dir {
        return Err(ExportError::Option(format!(
            "{driver} holds one layer per file and this drawing has {layers}: give a directory \
             as OUT (one file per layer) or keep one layer (--types)"
        )));
    }
    let mut ds = drv.create_vector_only(path).map_err(|e| gdal_err(&e))?;
    let srs = match d.epsg {
        Some(code) => {
            let mut s = SpatialRef::from_epsg(code).map_err(|e| gdal_err(&e))?;
            s.set_axis_mapping_strategy(AxisMappingStrategy::TraditionalGisOrder);
            Some(s)
        }
        None => None,
    };
    // keep field names as they are where the driver would launder them
    let launder = drv
        .metadata_item("DS_LAYER_CREATIONOPTIONLIST", "")
        .is_some_and(|l| l.contains("name='LAUNDER'"));
    let no_launder: &[&str] = &["LAUNDER=NO"];
    for layer in d.layers.iter().filter(|l| !l.entities.is_empty()) {
        let col = ColumnType::of(layer);
        let cols = columns(layer);
        let lyr = ds
            .create_layer(LayerOptions {
                name: &layer.name,
                srs: srs.as_ref(),
                ty: ogr_geometry_type(col),
                options: launder.then_some(no_launder),
            })
            .map_err(|e| gdal_err(&e))?;
        for (_, name, t) in &cols {
            let ty = match t {
                ColType::Integer => OGRFieldType::OFTInteger64,
                ColType::Real => OGRFieldType::OFTReal,
                ColType::Boolean => OGRFieldType::OFTInteger,
                ColType::Text => OGRFieldType::OFTString,
            };
            FieldDefn::new(name, ty)
                .and_then(|f| f.add_to_layer(&lyr))
                .map_err(|e| gdal_err(&e))?;
        }
        // drivers may rename fields (Shapefile truncates to 10 characters):
        // set values by index, in creation order
        for e in &layer.entities {
            let mut f = gdal::vector::Feature::new(lyr.defn()).map_err(|e| gdal_err(&e))?;
            let mut w = Wkb(Vec::new());
            w.shape(&column_shape(&e.shape, col));
            f.set_geometry(Geometry::from_wkb(&w.0).map_err(|e| gdal_err(&e))?)
                .map_err(|e| gdal_err(&e))?;
            for (idx, (key, _, t)) in cols.iter().enumerate() {
                if let Some((_, v)) = e.attributes.iter().find(|(k, _)| k == key) {
                    f.set_field(idx, &field_value(v, *t))
                        .map_err(|e| gdal_err(&e))?;
                }
            }
            f.create(&lyr).map_err(|e| gdal_err(&e))?;
        }
    }
    ds.close().map_err(|e| gdal_err(&e))?;
    Ok(())
}

/// The short name of the OGR vector driver GDAL would pick for a file name
/// (by its extension), if any.
pub fn driver_for(path: &Path) -> Option<String> {
    DriverManager::get_output_driver_for_dataset_name(path, gdal::DriverType::Vector)
        .map(|d| d.short_name())
}

/// Writes the drawing with the OGR driver `driver` (e.g. `"ESRI
/// Shapefile"`, `"FlatGeobuf"`, `"KML"`), or the one GDAL guesses from
/// `path`'s extension; atomically (a temporary sibling renamed on success,
/// removed on failure).
pub fn write_ogr(d: &Drawing, path: &Path, driver: Option<&str>) -> Result<()> {
    if d.entity_count() == 0 {
        return Err(ExportError::Empty("the drawing has no entities".into()));
    }
    d.check_finite()?;
    let name = match driver {
        Some(n) => n.to_owned(),
        None => driver_for(path).ok_or_else(|| {
            ExportError::Option(format!(
                "{}: GDAL has no vector driver for this file name",
                path.display()
            ))
        })?,
    };
    let tmp_dir = tempfile_dir(path)?;
    let tmp = tmp_dir.join(path.file_name().unwrap_or_default());
    let result = write_to(d, &tmp, &name).and_then(|()| {
        std::fs::rename(&tmp, path).map_err(|source| {
            ExportError::Model(planform_model::ModelError::Io {
                path: path.to_owned(),
                source,
            })
        })
    });
    // a Shapefile is several files next to each other: move the siblings
    if result.is_ok() {
        for e in std::fs::read_dir(&tmp_dir).into_iter().flatten().flatten() {
            let target = path.with_file_name(e.file_name());
            let _ = std::fs::rename(e.path(), target);
        }
    }
    let _ = std::fs::remove_dir_all(&tmp_dir);
    result
}

/// A fresh private directory next to `path`.
fn tempfile_dir(path: &Path) -> Result<std::path::PathBuf> {
    let parent = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    for n in 0..1000 {
        let dir = parent.join(format!(".planform-ogr-{}-{n}", std::process::id()));
        match std::fs::create_dir(&dir) {
            Ok(()) => return Ok(dir),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {}
            Err(source) => {
                return Err(ExportError::Model(planform_model::ModelError::Io {
                    path: dir,
                    source,
                }));
            }
        }
    }
    Err(ExportError::Option(
        "no temporary directory name is free".into(),
    ))
}
