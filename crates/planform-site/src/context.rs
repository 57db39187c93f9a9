//! What is known around a parcel, as geo-types layers each in its own
//! CRS: road centrelines with names, the neighbour parcel fabric and
//! right-of-way polygons. [`SiteContext`] is what a caller builds;
//! [`SiteContext::resolve`] checks every layer and brings it into WGS84
//! once, for the analysis to project into the parcel's local frame.

use geo_types::{Coord, LineString, Polygon};
use planform_model::{LocalFrame, SitePlan};

use crate::address::{ROAD_NAME_KEYS, first_named};
use crate::error::{Result, SiteError};
use crate::parcel::Context;

/// A context layer's coordinate reference system.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum LayerCrs {
    /// WGS84 longitude/latitude in degrees (GeoJSON's default).
    #[default]
    Wgs84,
    /// A projected (or geographic) CRS by its EPSG code: EPSG:3857, a UTM
    /// zone, a state plane in feet, …
    Epsg(u32),
}

/// Features of one kind in one CRS.
#[derive(Debug, Clone, PartialEq)]
pub struct Layer<T> {
    /// Their CRS.
    pub crs: LayerCrs,
    /// The features.
    pub features: Vec<T>,
}

impl<T> Default for Layer<T> {
    fn default() -> Self {
        Self {
            crs: LayerCrs::Wgs84,
            features: Vec::new(),
        }
    }
}

impl<T> Layer<T> {
    /// A layer in WGS84 longitude/latitude.
    pub fn wgs84(features: Vec<T>) -> Self {
        Self {
            crs: LayerCrs::Wgs84,
            features,
        }
    }

    /// A layer in the CRS of an EPSG code.
    pub fn epsg(code: u32, features: Vec<T>) -> Self {
        Self {
            crs: LayerCrs::Epsg(code),
            features,
        }
    }
}

/// What a layer holds, made from the features of any source (a GeoJSON
/// [`SitePlan`], a GeoParquet file, Arrow record batches): each feature's
/// geometry (geo-types, in the layer's CRS) and properties give none, one
/// or several items.
pub trait FromFeature: Sized {
    /// What a layer of them is made of, for the error when a layer holds
    /// none ("LineString or MultiLineString").
    const WHAT: &'static str;

    /// The items of one feature, pushed onto `out`.
    fn from_feature(
        geometry: &geo_types::Geometry<f64>,
        properties: serde_json::Map<String, serde_json::Value>,
        out: &mut Vec<Self>,
    );
}

impl<T: FromFeature> Layer<T> {
    /// A layer in `crs` from features (geometry and properties) of any
    /// source; a layer that gives no item is an error (a roads file of
    /// polygons or a right-of-way of lines would otherwise be ignored
    /// without a word).
    pub fn from_features(
        crs: LayerCrs,
        features: impl IntoIterator<
            Item = (
                geo_types::Geometry<f64>,
                serde_json::Map<String, serde_json::Value>,
            ),
        >,
    ) -> Result<Self> {
        let mut items = Vec::new();
        for (geometry, properties) in features {
            T::from_feature(&geometry, properties, &mut items);
        }
        if items.is_empty() {
            return Err(SiteError::invalid("layer", format!("no {} in it", T::WHAT)));
        }
        Ok(Self {
            crs,
            features: items,
        })
    }

    /// The features of a GeoJSON layer read as a [`SitePlan`] (WGS84, or
    /// the EPSG code its `crs` member declares), with each feature's `id`
    /// as the property `id` where its properties have none (what a
    /// batch's id field can name).
    pub fn from_plan(plan: &SitePlan) -> Result<Self> {
        let crs = match (plan.is_wgs84(), plan.declared_epsg()) {
            (true, _) => LayerCrs::Wgs84,
            (false, Some(code)) => LayerCrs::Epsg(code),
            (false, None) => {
                return Err(SiteError::invalid(
                    "layer",
                    "its crs member names no EPSG code",
                ));
            }
        };
        Self::from_features(
            crs,
            plan.features.iter().filter_map(|f| {
                let g = f.geometry.as_ref()?;
                let mut props = f
                    .properties
                    .as_ref()
                    .map(|p| p.extra.clone())
                    .unwrap_or_default();
                if let Some(id) = f.id.as_ref().filter(|_| !props.contains_key("id")) {
                    props.insert("id".into(), id.clone());
                }
                Some((g.to_geo(), props))
            }),
        )
    }
}

/// Each Polygon, and each part of a MultiPolygon (those with an exterior
/// ring).
fn polygons(g: &geo_types::Geometry<f64>) -> Vec<Polygon<f64>> {
    let parts = match g {
        geo_types::Geometry::Polygon(p) => std::slice::from_ref(p),
        geo_types::Geometry::MultiPolygon(m) => m.0.as_slice(),
        _ => &[],
    };
    parts
        .iter()
        .filter(|p| !p.exterior().0.is_empty())
        .cloned()
        .collect()
}

impl FromFeature for Road {
    const WHAT: &'static str = "LineString or MultiLineString";

    fn from_feature(
        geometry: &geo_types::Geometry<f64>,
        properties: serde_json::Map<String, serde_json::Value>,
        out: &mut Vec<Self>,
    ) {
        let name = first_named(&properties, &ROAD_NAME_KEYS);
        let lines: Vec<&LineString<f64>> = match geometry {
            geo_types::Geometry::LineString(l) => vec![l],
            geo_types::Geometry::MultiLineString(ls) => ls.0.iter().collect(),
            _ => Vec::new(),
        };
        out.extend(lines.into_iter().map(|l| Road {
            line: l.clone(),
            name: name.clone(),
        }));
    }
}

impl FromFeature for Building {
    const WHAT: &'static str = "Polygon or MultiPolygon";

    fn from_feature(
        geometry: &geo_types::Geometry<f64>,
        properties: serde_json::Map<String, serde_json::Value>,
        out: &mut Vec<Self>,
    ) {
        let height_m = ["heightM", "height", "HEIGHT", "building_height"]
            .iter()
            .find_map(|k| properties.get(*k).and_then(serde_json::Value::as_f64))
            .filter(|h| h.is_finite() && *h > 0.0);
        out.extend(polygons(geometry).into_iter().map(|footprint| Building {
            footprint,
            height_m,
        }));
    }
}

impl FromFeature for Polygon<f64> {
    const WHAT: &'static str = "Polygon or MultiPolygon";

    fn from_feature(
        geometry: &geo_types::Geometry<f64>,
        _: serde_json::Map<String, serde_json::Value>,
        out: &mut Vec<Self>,
    ) {
        out.extend(polygons(geometry));
    }
}

impl FromFeature for crate::batch::BatchParcel {
    const WHAT: &'static str = "Polygon or MultiPolygon";

    /// Each Polygon, and each MultiPolygon's largest part (a county's
    /// parcel split by a road keeps the lot; the sliver goes).
    fn from_feature(
        geometry: &geo_types::Geometry<f64>,
        properties: serde_json::Map<String, serde_json::Value>,
        out: &mut Vec<Self>,
    ) {
        use geo::Area;
        let parcel = polygons(geometry)
            .into_iter()
            .max_by(|a, b| a.unsigned_area().total_cmp(&b.unsigned_area()));
        out.extend(parcel.map(|polygon| crate::batch::BatchParcel {
            polygon,
            properties,
        }));
    }
}

impl Layer<Road> {
    /// The `LineString`s and `MultiLineString`s of a GeoJSON layer, each named
    /// by its feature's `FULLNAME`, `name`, … property.
    ///
    /// ```
    /// use planform_site::{Layer, LayerCrs, model::SitePlan};
    ///
    /// let roads = SitePlan::from_slice(br#"{"type": "FeatureCollection",
    ///   "crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::3857"}},
    ///   "features": [{"type": "Feature", "properties": {"FULLNAME": "W Knox St"},
    ///     "geometry": {"type": "LineString", "coordinates": [[-10756000, 3807000], [-10755000, 3807000]]}}]}"#)?;
    /// let layer = Layer::roads_from(&roads)?;
    /// assert_eq!(layer.crs, LayerCrs::Epsg(3857));
    /// assert_eq!(layer.features[0].name.as_deref(), Some("W Knox St"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn roads_from(plan: &SitePlan) -> Result<Self> {
        Self::from_plan(plan)
    }
}

impl Layer<Building> {
    /// The `Polygon`s and `MultiPolygon`s (each part) of a GeoJSON layer
    /// as buildings, each with its feature's height in metres
    /// (`heightM`, `height`, `HEIGHT`, `building_height`; none: 6 m).
    pub fn buildings_from(plan: &SitePlan) -> Result<Self> {
        Self::from_plan(plan)
    }
}

impl Layer<Polygon<f64>> {
    /// The `Polygon`s and `MultiPolygon`s (each part) of a GeoJSON layer.
    pub fn polygons_from(plan: &SitePlan) -> Result<Self> {
        Self::from_plan(plan)
    }
}

impl Layer<crate::batch::BatchParcel> {
    /// The parcels of a GeoJSON layer with their properties (and the
    /// feature's `id` as the property `id` where they have none): each
    /// Polygon, and each MultiPolygon's largest part (a county's parcel
    /// split by a road keeps the lot; the sliver goes).
    pub fn parcels_from(plan: &SitePlan) -> Result<Self> {
        Self::from_plan(plan)
    }
}

/// A road centreline and its name (`FULLNAME`, `name`, …), which the
/// parcel's address is matched against to find its front.
#[derive(Debug, Clone, PartialEq)]
pub struct Road {
    /// The centreline.
    pub line: LineString<f64>,
    /// The street's name, when known.
    pub name: Option<String>,
}

impl Road {
    /// A road without a name.
    pub fn new(line: LineString<f64>) -> Self {
        Self { line, name: None }
    }

    /// A named road.
    pub fn named(line: LineString<f64>, name: impl Into<String>) -> Self {
        Self {
            line,
            name: Some(name.into()),
        }
    }
}

/// A building around the lot (a neighbour's house): its footprint and
/// height, for the shadows it casts.
#[derive(Debug, Clone, PartialEq)]
pub struct Building {
    /// The footprint (its exterior casts the shadow).
    pub footprint: Polygon<f64>,
    /// Height above the ground, metres; `None`: 6 m, as for a plan's own
    /// building without one.
    pub height_m: Option<f64>,
}

/// What is known around the parcel. Every layer is optional (empty);
/// with none, side roles come from a driveway or the garage door alone.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SiteContext {
    /// Road centrelines: a side with a road ahead of it within 30 m is a
    /// street frontage.
    pub roads: Layer<Road>,
    /// The parcel fabric: other parcels (a polygon equal to the subject
    /// parcel is ignored); a side no neighbour touches is a frontage.
    pub parcels: Layer<Polygon<f64>>,
    /// Right-of-way polygons (every ring: a city's right-of-way has the
    /// blocks as holes); a side along their boundary is a frontage.
    pub right_of_way: Layer<Polygon<f64>>,
    /// Buildings around the lot: their shadows count in the shade report
    /// (those within 500 m of the lot).
    pub buildings: Layer<Building>,
    /// The parcel's street address, naming the road it fronts on; when
    /// absent, the parcel feature's own (`SITUS_ADDR`, `ADDRESS`, …), else
    /// the plan's top-level `address`.
    pub address: Option<String>,
}

/// How far a WGS84 layer's coordinates may stray and still be degrees.
fn is_lon_lat(c: Coord<f64>) -> bool {
    c.x.abs() <= 180.0 && c.y.abs() <= 90.0
}

/// A layer's coordinates in WGS84, checked: finite, and degrees where the
/// layer says WGS84 (a layer of metres declared WGS84 is an error naming
/// it, not a context that silently matches nothing).
pub(crate) fn to_wgs84<'a>(
    name: &str,
    crs: LayerCrs,
    lines: impl Iterator<Item = &'a LineString<f64>>,
) -> Result<Vec<Vec<(f64, f64)>>> {
    let frame = match crs {
        LayerCrs::Wgs84 => None,
        LayerCrs::Epsg(code) => Some(
            LocalFrame::from_epsg(code)
                .map_err(|e| SiteError::invalid(format!("{name} layer"), e.to_string()))?,
        ),
    };
    let mut out = Vec::new();
    for line in lines {
        let mut pts = Vec::with_capacity(line.0.len());
        for c in &line.0 {
            if !(c.x.is_finite() && c.y.is_finite()) {
                return Err(SiteError::invalid(
                    format!("{name} layer"),
                    "a coordinate is not a finite number",
                ));
            }
            let p = match &frame {
                None if !is_lon_lat(*c) => {
                    return Err(SiteError::invalid(
                        format!("{name} layer"),
                        format!(
                            "({}, {}) is not a longitude/latitude: give the layer's CRS \
                             (LayerCrs::Epsg)",
                            c.x, c.y
                        ),
                    ));
                }
                None => (c.x, c.y),
                Some(f) => f
                    .inverse(c.x, c.y)
                    .map_err(|e| SiteError::invalid(format!("{name} layer"), e.to_string()))?,
            };
            pts.push(p);
        }
        out.push(pts);
    }
    Ok(out)
}

impl SiteContext {
    /// The layers checked and in WGS84, as the analysis reads them.
    pub(crate) fn resolve(&self) -> Result<Context> {
        let roads = to_wgs84(
            "roads",
            self.roads.crs,
            self.roads.features.iter().map(|r| &r.line),
        )?;
        let road_names = self.roads.features.iter().map(|r| r.name.clone()).collect();
        let parcels = to_wgs84(
            "parcels",
            self.parcels.crs,
            self.parcels.features.iter().map(Polygon::exterior),
        )?;
        let right_of_way = to_wgs84(
            "right-of-way",
            self.right_of_way.crs,
            self.right_of_way
                .features
                .iter()
                .flat_map(|p| std::iter::once(p.exterior()).chain(p.interiors())),
        )?;
        if let Some(b) = self.buildings.features.iter().find(|b| {
            b.height_m
                .is_some_and(|h| !(h.is_finite() && h > 0.0 && h < 1e4))
        }) {
            return Err(SiteError::invalid(
                "buildings layer",
                format!(
                    "a height of {:?} m: expected above 0 and below 10 km",
                    b.height_m
                ),
            ));
        }
        let footprints = to_wgs84(
            "buildings",
            self.buildings.crs,
            self.buildings
                .features
                .iter()
                .map(|b| b.footprint.exterior()),
        )?;
        let buildings = footprints
            .into_iter()
            .zip(&self.buildings.features)
            .map(|(ring, b)| (ring, b.height_m))
            .collect();
        Ok(Context {
            roads,
            road_names,
            parcels,
            right_of_way,
            address: self.address.clone(),
            buildings,
            fabric_given: !self.parcels.features.is_empty(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo_types::line_string;

    #[test]
    fn metres_declared_as_degrees_are_an_error_naming_the_layer() {
        let roads = vec![Road::new(line_string![
            (x: -9_780_000.0, y: 5_120_000.0),
            (x: -9_779_900.0, y: 5_120_000.0)
        ])];
        let c = SiteContext {
            roads: Layer::wgs84(roads.clone()),
            ..SiteContext::default()
        };
        let e = c.resolve().unwrap_err().to_string();
        assert!(
            e.contains("roads layer") && e.contains("LayerCrs::Epsg"),
            "{e}"
        );
        // the same road in its CRS comes back in degrees
        let c = SiteContext {
            roads: Layer::epsg(3857, roads),
            ..SiteContext::default()
        };
        let r = c.resolve().unwrap();
        // spherical Mercator's inverse, written out
        let r_earth = 6_378_137.0_f64;
        let lon = (-9_780_000.0 / r_earth).to_degrees();
        let lat = (5_120_000.0 / r_earth).sinh().atan().to_degrees();
        let got = r.roads[0][0];
        assert!(
            (got.0 - lon).abs() < 1e-9 && (got.1 - lat).abs() < 1e-9,
            "{got:?}"
        );
    }

    #[test]
    fn building_heights_must_be_heights() {
        for h in [f64::NAN, -3.0, 0.0, 1e300] {
            let c = SiteContext {
                buildings: Layer::wgs84(vec![Building {
                    footprint: Polygon::new(
                        line_string![(x: 0.0, y: 0.0), (x: 0.001, y: 0.0), (x: 0.0, y: 0.001)],
                        vec![],
                    ),
                    height_m: Some(h),
                }]),
                ..SiteContext::default()
            };
            let e = c.resolve().unwrap_err().to_string();
            assert!(e.contains("buildings layer"), "{h}: {e}");
        }
    }

    #[test]
    fn unknown_codes_and_non_finite_coordinates_are_errors() {
        let c = SiteContext {
            parcels: Layer::epsg(
                999_999,
                vec![Polygon::new(line_string![(x: 0.0, y: 0.0)], vec![])],
            ),
            ..SiteContext::default()
        };
        assert!(
            c.resolve()
                .unwrap_err()
                .to_string()
                .contains("parcels layer")
        );
        let c = SiteContext {
            right_of_way: Layer::wgs84(vec![Polygon::new(
                line_string![(x: f64::NAN, y: 0.0)],
                vec![],
            )]),
            ..SiteContext::default()
        };
        let e = c.resolve().unwrap_err().to_string();
        assert!(
            e.contains("right-of-way layer") && e.contains("finite"),
            "{e}"
        );
    }
}
