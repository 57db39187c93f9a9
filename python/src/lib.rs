//! planform for Python: the extension module `planform._planform` behind
//! the `planform` package. Thin: each function hands its inputs to the
//! planform library (the same calls the example binaries make) with the
//! GIL released, and gives back plain Python values (bytes of WKB, lists,
//! JSON text) that the package's Python layer turns into `GeoDataFrame`s
//! and dicts. Every error is a `planform.PlanformError` with the Rust
//! error's message (and its JSON Pointer, where there is one, in the
//! message); a panic would be a `pyo3_runtime.PanicException`, never an
//! abort.

use std::path::PathBuf;

use geo_traits::to_geo::ToGeoGeometry;
use planform::site::{
    Batch, BatchParcel, Building, FromFeature, Layer, LayerCrs, Minimums, ParcelRow, Road,
    SiteContext, SiteOptions,
};
use pyo3::exceptions::PyException;
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyDict, PyList};
use rayon::prelude::*;
use serde_json::{Map, Value};

pyo3::create_exception!(
    _planform,
    PlanformError,
    PyException,
    "A planform error: the input was refused, with the reason (and, for documents, the JSON Pointer of the offending member)."
);

fn err(e: impl std::fmt::Display) -> PyErr {
    PlanformError::new_err(e.to_string())
}

/// planform's version.
#[pyfunction]
fn version() -> &'static str {
    env!("CARGO_PKG_VERSION")
}

/// A site plan (GetSitePlan.ai FeatureCollection or any GeoJSON), typed
/// and lossless.
#[pyclass(name = "SitePlan", module = "planform", frozen)]
struct PySitePlan {
    plan: planform::SitePlan,
}

#[pymethods]
impl PySitePlan {
    /// Every validation problem as (JSON Pointer, message, "error" or
    /// "warning"); empty when the plan is valid.
    fn validate(&self, py: Python<'_>) -> Vec<(String, String, &'static str)> {
        py.detach(|| {
            self.plan
                .validate()
                .into_iter()
                .map(|i| {
                    let level = if i.is_error() { "error" } else { "warning" };
                    (i.pointer.clone(), i.kind.to_string(), level)
                })
                .collect()
        })
    }

    /// The plan as GeoJSON text (the same JSON value as the file it came
    /// from).
    fn to_geojson_text(&self, py: Python<'_>) -> PyResult<String> {
        py.detach(|| {
            let bytes = self.plan.to_vec().map_err(err)?;
            String::from_utf8(bytes).map_err(err)
        })
    }

    /// Writes the plan by the extension of `path`: `.geojson`/`.json`
    /// losslessly, `.gpkg`, `.dxf`, `.svg` (atomically: a failed write
    /// leaves what was there).
    fn write(&self, py: Python<'_>, path: PathBuf) -> PyResult<()> {
        py.detach(|| {
            let o = planform::write::PlanOutput::for_path(&path);
            if !matches!(
                o.format.as_str(),
                "geojson" | "json" | "gpkg" | "dxf" | "svg"
            ) {
                return Err(err(format!(
                    "{}: write .geojson, .json, .gpkg, .dxf or .svg",
                    path.display()
                )));
            }
            planform::write::write_plan(&self.plan, &path, &o)
                .map_err(|e| err(format!("{}: {e}", path.display())))
        })
    }

    /// Number of features.
    fn __len__(&self) -> usize {
        self.plan.features.len()
    }

    fn __repr__(&self) -> String {
        format!("<planform.SitePlan: {} features>", self.plan.features.len())
    }
}

/// Reads a site plan from a path or from the bytes of a document.
#[pyfunction]
fn read_site_plan(py: Python<'_>, source: &Bound<'_, PyAny>) -> PyResult<PySitePlan> {
    if let Ok(b) = source.cast::<PyBytes>() {
        let bytes = b.as_bytes().to_vec();
        return py
            .detach(|| planform::SitePlan::from_slice(&bytes).map_err(err))
            .map(|plan| PySitePlan { plan });
    }
    let path: PathBuf = source.extract()?;
    py.detach(|| {
        planform::SitePlan::read(&path).map_err(|e| err(format!("{}: {e}", path.display())))
    })
    .map(|plan| PySitePlan { plan })
}

/// A layer as the Python layer hands it over: each feature's geometry as
/// WKB (None for a missing one), the properties as one JSON array of
/// objects (or None), and the CRS's EPSG code (None: WGS84).
type LayerIn = (Vec<Option<Vec<u8>>>, Option<String>, Option<u32>);

/// Copies a `(list of bytes or None, str or None, int or None)` tuple out
/// of Python (the bytes read as buffers, not element by element).
fn layer_in(obj: Option<&Bound<'_, PyAny>>) -> PyResult<Option<LayerIn>> {
    let Some(obj) = obj.filter(|o| !o.is_none()) else {
        return Ok(None);
    };
    let (list, props, epsg): (Bound<'_, PyList>, Option<String>, Option<u32>) = obj.extract()?;
    let mut wkbs = Vec::with_capacity(list.len());
    for item in list.iter() {
        if item.is_none() {
            wkbs.push(None);
        } else {
            wkbs.push(Some(item.cast::<PyBytes>()?.as_bytes().to_vec()));
        }
    }
    Ok(Some((wkbs, props, epsg)))
}

fn layer<T: FromFeature>(what: &str, input: Option<LayerIn>) -> PyResult<Layer<T>> {
    let Some((wkbs, props, epsg)) = input else {
        return Ok(Layer::default());
    };
    let named = |e: &dyn std::fmt::Display| err(format!("{what}: {e}"));
    let mut properties: Vec<Map<String, Value>> = match props {
        Some(text) => serde_json::from_str::<Vec<Value>>(&text)
            .map_err(|e| named(&e))?
            .into_iter()
            .map(|v| match v {
                Value::Object(m) => m,
                _ => Map::new(),
            })
            .collect(),
        None => Vec::new(),
    };
    properties.resize(wkbs.len(), Map::new());
    let mut features = Vec::with_capacity(wkbs.len());
    for (i, (w, p)) in wkbs.iter().zip(properties).enumerate() {
        let Some(w) = w else { continue };
        let g = wkb::reader::read_wkb(w).map_err(|e| named(&format!("row {i}: bad WKB: {e}")))?;
        if let Some(g) = g.try_to_geometry() {
            features.push((g, p));
        }
    }
    let crs = match epsg {
        None | Some(4326) => LayerCrs::Wgs84,
        Some(code) => LayerCrs::Epsg(code),
    };
    Layer::from_features(crs, features).map_err(|e| named(&e))
}

/// WKB of a geometry (little-endian ISO).
fn to_wkb(g: &geo_types::Geometry<f64>) -> PyResult<Vec<u8>> {
    let mut out = Vec::new();
    wkb::writer::write_geometry(&mut out, g, &wkb::writer::WriteOptions::default()).map_err(err)?;
    Ok(out)
}

/// The rows of a batch, column by column.
#[derive(Default)]
struct Columns {
    id: Vec<String>,
    class: Vec<Option<String>>,
    roles: Vec<Vec<String>>,
    lengths_m: Vec<Vec<f64>>,
    total_sides: Vec<usize>,
    compliant_sides: Vec<Option<usize>>,
    undecided_sides: Vec<usize>,
    envelope: Vec<Option<Vec<u8>>>,
    envelope_area_sqm: Vec<Option<f64>>,
    footprint_fits: Vec<Option<bool>>,
    error: Vec<Option<String>>,
    geometry: Vec<Option<Vec<u8>>>,
    // the sides
    side_id: Vec<String>,
    side_index: Vec<usize>,
    side_role: Vec<String>,
    side_relation: Vec<Option<String>>,
    side_length_m: Vec<Option<f64>>,
    side_required_ft: Vec<Option<f64>>,
    side_actual_ft: Vec<Option<f64>>,
    side_compliant: Vec<Option<bool>>,
    side_geometry: Vec<Option<Vec<u8>>>,
}

impl Columns {
    fn push(&mut self, r: ParcelRow) -> PyResult<()> {
        for s in &r.sides {
            self.side_id.push(r.id.clone());
            self.side_index.push(s.index);
            self.side_role.push(s.role.clone());
            self.side_relation.push(s.relation.clone());
            self.side_length_m.push(s.length_m);
            self.side_required_ft.push(s.required_ft);
            self.side_actual_ft.push(s.actual_ft);
            self.side_compliant.push(s.compliant);
            self.side_geometry
                .push(Some(to_wkb(&geo_types::Geometry::LineString(
                    s.line.clone(),
                ))?));
        }
        self.id.push(r.id);
        self.class.push(r.class);
        self.roles.push(r.roles);
        self.lengths_m.push(r.lengths_m);
        self.total_sides.push(r.total_sides);
        self.compliant_sides.push(r.compliant_sides);
        self.undecided_sides.push(r.undecided_sides);
        self.envelope.push(
            r.envelope
                .map(|m| to_wkb(&geo_types::Geometry::MultiPolygon(m)))
                .transpose()?,
        );
        self.envelope_area_sqm.push(r.envelope_area_sqm);
        self.footprint_fits.push(r.footprint_fits);
        self.error.push(r.error);
        self.geometry.push(
            r.geometry
                .map(|p| to_wkb(&geo_types::Geometry::Polygon(p)))
                .transpose()?,
        );
        Ok(())
    }
}

fn bytes_list(py: Python<'_>, v: Vec<Option<Vec<u8>>>) -> PyResult<Bound<'_, PyList>> {
    PyList::new(
        py,
        v.into_iter().map(|b| {
            b.map_or_else(
                || py.None().into_bound(py),
                |b| PyBytes::new(py, &b).into_any(),
            )
        }),
    )
}

/// Analyses every parcel of a layer as `analyze --batch` does, over
/// `threads` threads (0: all cores) with the GIL released; the rows and
/// the sides, column by column (geometries as WKB, WGS84). With `first`,
/// only the first `first` parcels get rows; the others are their
/// neighbours.
#[pyfunction]
#[pyo3(signature = (parcels, *, roads=None, row=None, buildings=None, minimums=None, id_field=None, threads=0, first=None))]
#[allow(clippy::too_many_arguments)]
fn analyze_parcels<'py>(
    py: Python<'py>,
    parcels: &Bound<'py, PyAny>,
    roads: Option<&Bound<'py, PyAny>>,
    row: Option<&Bound<'py, PyAny>>,
    buildings: Option<&Bound<'py, PyAny>>,
    minimums: Option<String>,
    id_field: Option<String>,
    threads: usize,
    first: Option<usize>,
) -> PyResult<(Bound<'py, PyDict>, Bound<'py, PyDict>)> {
    let parcels = layer_in(Some(parcels))?;
    let (roads, row, buildings) = (layer_in(roads)?, layer_in(row)?, layer_in(buildings)?);
    let columns = py.detach(|| -> PyResult<Columns> {
        let parcels: Layer<BatchParcel> = layer("parcels", parcels)?;
        let context = SiteContext {
            roads: layer::<Road>("roads", roads)?,
            right_of_way: layer::<geo_types::Polygon<f64>>("row", row)?,
            buildings: layer::<Building>("buildings", buildings)?,
            ..SiteContext::default()
        };
        let minimums = match minimums {
            Some(text) => {
                let v: Value =
                    serde_json::from_str(&text).map_err(|e| err(format!("minimums: {e}")))?;
                Minimums::from_json(&v).map_err(|e| err(format!("minimums: {e}")))?
            }
            None => Minimums::default(),
        };
        let options = SiteOptions {
            minimums,
            ..SiteOptions::default()
        };
        let batch = Batch::new(&parcels, &context, &options, id_field.as_deref()).map_err(err)?;
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .map_err(err)?;
        // `first`: only the first rows (a partition's own parcels, the
        // rest being its neighbours, there as the fabric)
        let n = first.map_or(batch.len(), |k| k.min(batch.len()));
        let rows: Vec<ParcelRow> =
            pool.install(|| (0..n).into_par_iter().map(|i| batch.analyze(i)).collect());
        let mut c = Columns::default();
        for r in rows {
            c.push(r)?;
        }
        Ok(c)
    })?;
    let out = PyDict::new(py);
    out.set_item("id", columns.id)?;
    out.set_item("class", columns.class)?;
    out.set_item("roles", columns.roles)?;
    out.set_item("lengths_m", columns.lengths_m)?;
    out.set_item("total_sides", columns.total_sides)?;
    out.set_item("compliant_sides", columns.compliant_sides)?;
    out.set_item("undecided_sides", columns.undecided_sides)?;
    out.set_item("envelope", bytes_list(py, columns.envelope)?)?;
    out.set_item("envelope_area_sqm", columns.envelope_area_sqm)?;
    out.set_item("footprint_fits", columns.footprint_fits)?;
    out.set_item("error", columns.error)?;
    out.set_item("geometry", bytes_list(py, columns.geometry)?)?;
    let sides = PyDict::new(py);
    sides.set_item("id", columns.side_id)?;
    sides.set_item("index", columns.side_index)?;
    sides.set_item("role", columns.side_role)?;
    sides.set_item("relation", columns.side_relation)?;
    sides.set_item("length_m", columns.side_length_m)?;
    sides.set_item("required_ft", columns.side_required_ft)?;
    sides.set_item("actual_ft", columns.side_actual_ft)?;
    sides.set_item("compliant", columns.side_compliant)?;
    sides.set_item("geometry", bytes_list(py, columns.side_geometry)?)?;
    Ok((out, sides))
}

/// Vectorizes a wall mask (row-major bytes, `width` × `height`, nonzero =
/// wall) into the vectorize GeoJSON contract, as text: `mode` outline or
/// centerline, `rooms` (centreline mode) adding rooms and openings.
#[pyfunction]
#[pyo3(signature = (data, width, height, *, mode="centerline", px_per_m=None, rooms=false))]
fn vectorize_mask(
    py: Python<'_>,
    data: &Bound<'_, PyBytes>,
    width: u32,
    height: u32,
    mode: &str,
    px_per_m: Option<f64>,
    rooms: bool,
) -> PyResult<String> {
    use planform::walls::output::{
        OutputOptions, centerlines_geojson, outlines_geojson, rooms_features,
    };
    let centerline = match mode {
        "centerline" | "centreline" => true,
        "outline" => false,
        other => {
            return Err(err(format!(
                "mode: expected centerline or outline, got {other:?}"
            )));
        }
    };
    if rooms && !centerline {
        return Err(err(
            "rooms need mode=\"centerline\" (they come from the wall graph)",
        ));
    }
    let data = data.as_bytes().to_vec();
    py.detach(move || {
        let mask = planform::walls::Mask::new(width, height, data).map_err(err)?;
        let options = OutputOptions {
            px_per_m,
            ..OutputOptions::default()
        };
        let json = if centerline {
            let c = planform::walls::centerline::centerlines(
                &mask,
                &planform::walls::centerline::CenterlineOptions::default(),
            )
            .map_err(err)?;
            let mut json = centerlines_geojson(&c, &options).map_err(err)?;
            if rooms {
                let r = planform::walls::rooms::rooms(
                    &mask,
                    &c,
                    &planform::walls::rooms::RoomOptions::default(),
                )
                .map_err(err)?;
                let extra = rooms_features(&r, &options).map_err(err)?;
                if let Some(f) = json["features"].as_array_mut() {
                    f.extend(extra);
                }
            }
            json
        } else {
            let o = planform::walls::outline::outlines(
                &mask,
                &planform::walls::outline::OutlineOptions::default(),
            )
            .map_err(err)?;
            outlines_geojson(&o, &options).map_err(err)?
        };
        serde_json::to_string(&json).map_err(err)
    })
}

/// The extension module.
#[pymodule]
fn _planform(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add("PlanformError", m.py().get_type::<PlanformError>())?;
    m.add_class::<PySitePlan>()?;
    m.add_function(wrap_pyfunction!(version, m)?)?;
    m.add_function(wrap_pyfunction!(read_site_plan, m)?)?;
    m.add_function(wrap_pyfunction!(analyze_parcels, m)?)?;
    m.add_function(wrap_pyfunction!(vectorize_mask, m)?)?;
    Ok(())
}
