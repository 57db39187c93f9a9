//! Whole parcel layers: every parcel of a county analysed by the one-parcel
//! pipeline ([`crate::analyze`]) with the context around it.
//!
//! [`Batch::new`] resolves the layers once (the parcels, which are also
//! each other's fabric, the roads, the right-of-way and the buildings, each
//! from its own CRS into WGS84) and indexes their bounding boxes in R-trees.
//! [`Batch::analyze`] then gives one parcel's row: the context whose boxes
//! come within the reach the pipeline reads each layer within (widened by
//! half), handed to
//! the same pipeline a single site plan goes through. So a parcel's row is
//! the answer it gets alone with the whole context, whatever the order,
//! the chunking or the threads a caller runs the rows in: [`Batch`] is
//! `Sync`, and each row depends on its parcel and the layers only.
//!
//! The primary building of a parcel is the largest footprint of the
//! buildings layer whose centroid lies in it. A parcel that cannot be
//! analysed (a ring of fewer than three sides, coordinates that are not
//! numbers) keeps its row, with [`ParcelRow::error`] saying why.

use geo::{Area, Centroid, Contains};
use geo_types::{Coord, LineString, MultiPolygon, Polygon};
use planform_model::analysis::SideRole;
use planform_model::feature::Properties;
use planform_model::{CatalogSlug, Feature, Geometry, GeometryValue, Position, SitePlan};
use rstar::primitives::{GeomWithData, Rectangle};
use rstar::{AABB, RTree};
use serde_json::{Map, Value};

use crate::context::{Layer, SiteContext, to_wgs84};
use crate::error::Result;
use crate::parcel::{Context, Reach};
use crate::pipeline::{Rasters, SiteAnalysis, SiteOptions, analyze_in};

/// One parcel of a layer: its polygon (in the layer's CRS) and its
/// properties (an address such as `SITUS_ADDR` names its front's street;
/// the id field is read from them).
#[derive(Debug, Clone, PartialEq)]
pub struct BatchParcel {
    /// The parcel.
    pub polygon: Polygon<f64>,
    /// Its attributes.
    pub properties: Map<String, Value>,
}

/// One side of an analysed parcel.
#[derive(Debug, Clone, PartialEq)]
pub struct SideRow {
    /// Position along the ring, from 0.
    pub index: usize,
    /// `front`, `rear`, `interior`, `exterior` or `unknown`.
    pub role: String,
    /// `left`, `right`, … as seen from the street, when known.
    pub relation: Option<String>,
    /// Geodesic length, metres.
    pub length_m: Option<f64>,
    /// The zoning minimum, feet (with minimums and a building).
    pub required_ft: Option<f64>,
    /// Distance from the primary building, feet (with a building).
    pub actual_ft: Option<f64>,
    /// Whether the minimum is kept (never for an undecided role).
    pub compliant: Option<bool>,
    /// The side, WGS84.
    pub line: LineString<f64>,
}

/// One analysed parcel, as `analyze --batch` writes it.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ParcelRow {
    /// The id field's value, or the row's index.
    pub id: String,
    /// The parcel, WGS84.
    pub geometry: Option<Polygon<f64>>,
    /// Shape class (`rectangular`, `corner`, `flag`, …).
    pub class: Option<String>,
    /// Each side's role, in side order.
    pub roles: Vec<String>,
    /// Each side's geodesic length, metres.
    pub lengths_m: Vec<f64>,
    /// Number of sides.
    pub total_sides: usize,
    /// Sides that keep their minimum (with minimums and a building).
    pub compliant_sides: Option<usize>,
    /// Sides whose role is undecided (held to the strictest minimum).
    pub undecided_sides: usize,
    /// The exact buildable envelope, WGS84 (with minimums).
    pub envelope: Option<MultiPolygon<f64>>,
    /// Its area, square metres.
    pub envelope_area_sqm: Option<f64>,
    /// Whether the primary building lies inside the envelope.
    pub footprint_fits: Option<bool>,
    /// Why the parcel could not be analysed.
    pub error: Option<String>,
    /// Its sides.
    pub sides: Vec<SideRow>,
}

type Boxed = GeomWithData<Rectangle<[f64; 2]>, usize>;

/// A polygon's rings, WGS84.
type Rings = Vec<Vec<(f64, f64)>>;

/// The layers of a batch, resolved once and indexed.
pub struct Batch<'a> {
    parcels: &'a Layer<BatchParcel>,
    /// Each parcel's rings in WGS84, or why not.
    rings: Vec<std::result::Result<Rings, String>>,
    context: Context,
    /// Building footprints (outer rings) in WGS84, for the primary building.
    footprints: Vec<Polygon<f64>>,
    trees: [RTree<Boxed>; 4],
    id_field: Option<String>,
    options: SiteOptions,
}

const PARCELS: usize = 0;
const ROADS: usize = 1;
const ROW: usize = 2;
const BUILDINGS: usize = 3;

fn boxed(lines: &[Vec<(f64, f64)>]) -> RTree<Boxed> {
    RTree::bulk_load(
        lines
            .iter()
            .enumerate()
            .filter_map(|(i, l)| {
                let b = crate::geom::bbox(l)?;
                Some(GeomWithData::new(
                    Rectangle::from_corners([b.min().x, b.min().y], [b.max().x, b.max().y]),
                    i,
                ))
            })
            .collect(),
    )
}

impl<'a> Batch<'a> {
    /// Resolves and indexes `parcels` (each other's fabric) and the
    /// context's roads, right-of-way and buildings. A context layer that
    /// cannot be placed is an error; a parcel that cannot be is its row's.
    /// `id_field` names the property that identifies a parcel (else its
    /// index). Shade, yards and fences, which a row does not hold, are not
    /// computed.
    ///
    /// ```
    /// use planform_site::{Batch, BatchParcel, Layer, Minimums, Road, SiteContext, SiteOptions};
    /// use geo_types::{LineString, Polygon};
    ///
    /// // two 20 m × 35 m lots side by side, Main St 8 m south of them
    /// let (dx, dy) = (1.0 / 94_000.0, 1.0 / 110_574.0); // degrees per metre near 32.33° N
    /// let lot = |x: f64| Polygon::new(LineString::from(vec![
    ///     (-96.62 + x * dx, 32.33), (-96.62 + (x + 20.0) * dx, 32.33),
    ///     (-96.62 + (x + 20.0) * dx, 32.33 + 35.0 * dy), (-96.62 + x * dx, 32.33 + 35.0 * dy),
    ///     (-96.62 + x * dx, 32.33)]), vec![]);
    /// let parcels = Layer::wgs84(vec![
    ///     BatchParcel { polygon: lot(0.0), properties: Default::default() },
    ///     BatchParcel { polygon: lot(20.0), properties: Default::default() },
    /// ]);
    /// let main_st = LineString::from(vec![(-96.621, 32.33 - 8.0 * dy), (-96.619, 32.33 - 8.0 * dy)]);
    /// let context = SiteContext { roads: Layer::wgs84(vec![Road::named(main_st, "Main St")]), ..SiteContext::default() };
    /// let options = SiteOptions {
    ///     minimums: Minimums { front: Some(20.0), rear: Some(20.0), interior: Some(5.0), exterior: Some(10.0) },
    ///     ..SiteOptions::default()
    /// };
    /// let batch = Batch::new(&parcels, &context, &options, None)?;
    /// let rows: Vec<_> = batch.rows().collect(); // or batch.analyze(i) from any thread
    /// assert_eq!(rows[1].id, "1");
    /// assert_eq!(rows[0].roles.iter().filter(|r| *r == "front").count(), 1);
    /// assert!(rows[0].envelope_area_sqm.unwrap() > 0.0);
    /// # Ok::<(), planform_site::SiteError>(())
    /// ```
    pub fn new(
        parcels: &'a Layer<BatchParcel>,
        context: &SiteContext,
        options: &SiteOptions,
        id_field: Option<&str>,
    ) -> Result<Self> {
        let rings: Vec<_> = parcels
            .features
            .iter()
            .map(|p| {
                let lines: Vec<&LineString<f64>> = std::iter::once(p.polygon.exterior())
                    .chain(p.polygon.interiors())
                    .collect();
                to_wgs84("parcels", parcels.crs, lines.into_iter()).map_err(|e| e.to_string())
            })
            .collect();
        let mut resolved = context.resolve()?;
        // the parcels are the fabric (each ring equal to the subject is
        // ignored by the pipeline)
        resolved.parcels = rings
            .iter()
            .map(|r| {
                r.as_ref()
                    .ok()
                    .and_then(|r| r.first().cloned())
                    .unwrap_or_default()
            })
            .collect();
        resolved.fabric_given = !parcels.features.is_empty();
        let footprints = resolved
            .buildings
            .iter()
            .map(|(r, _)| Polygon::new(r.iter().map(|&(x, y)| Coord { x, y }).collect(), vec![]))
            .collect();
        let building_rings: Vec<Vec<(f64, f64)>> =
            resolved.buildings.iter().map(|(r, _)| r.clone()).collect();
        let trees = [
            boxed(&resolved.parcels),
            boxed(&resolved.roads),
            boxed(&resolved.right_of_way),
            boxed(&building_rings),
        ];
        Ok(Self {
            parcels,
            rings,
            context: resolved,
            footprints,
            trees,
            id_field: id_field.map(str::to_owned),
            // what a row holds: no shade, yards or fences
            options: SiteOptions {
                shade: false,
                yards: false,
                fence: false,
                ..options.clone()
            },
        })
    }

    /// Number of parcels.
    pub fn len(&self) -> usize {
        self.parcels.features.len()
    }

    /// Whether the layer has no parcel.
    pub fn is_empty(&self) -> bool {
        self.parcels.features.is_empty()
    }

    /// Every row, in input order (one thread; see [`Batch::analyze`] to
    /// spread them).
    pub fn rows(&self) -> impl Iterator<Item = ParcelRow> + '_ {
        (0..self.len()).map(|i| self.analyze(i))
    }

    /// Parcel `i`'s row (an error row for a parcel that cannot be
    /// analysed; `i` past the end is one too).
    pub fn analyze(&self, i: usize) -> ParcelRow {
        let id = self.id(i);
        let fail = |error: String, geometry| ParcelRow {
            id: id.clone(),
            geometry,
            error: Some(error),
            ..ParcelRow::default()
        };
        let Some(Ok(rings)) = self.rings.get(i) else {
            let why = match self.rings.get(i) {
                Some(Err(e)) => e.clone(),
                _ => format!("no parcel {i}"),
            };
            return fail(why, None);
        };
        let polygon = polygon(rings);
        let plan = match self.plan(i) {
            Ok(plan) => plan,
            Err(e) => return fail(e.to_string(), Some(polygon)),
        };
        let context = self.around(&rings[0]);
        match analyze_in(&plan, &context, Rasters::default(), &self.options) {
            Ok(site) => row(id, polygon, &site),
            Err(e) => fail(e.to_string(), Some(polygon)),
        }
    }

    /// Parcel `i` as the site plan the pipeline analyses: the parcel (its
    /// properties, `catalogType: parcel`) and its primary building, WGS84.
    /// `analyze(&batch.plan(i)?, &context, …)` with the batch's whole
    /// context (its parcels as the fabric) gives [`Batch::analyze`]'s row.
    pub fn plan(&self, i: usize) -> Result<SitePlan> {
        let rings = match self.rings.get(i) {
            Some(Ok(r)) => r,
            Some(Err(e)) => return Err(crate::error::SiteError::invalid("parcel", e.clone())),
            None => {
                return Err(crate::error::SiteError::invalid(
                    "parcel",
                    format!("no parcel {i}"),
                ));
            }
        };
        let mut props = Properties {
            catalog_type: Some(CatalogSlug::parse("parcel")),
            ..Properties::default()
        };
        props.extra.clone_from(&self.parcels.features[i].properties);
        props.extra.remove("catalogType");
        let positions = |r: &[(f64, f64)]| {
            r.iter()
                .map(|&(x, y)| Position::new(x, y))
                .collect::<Vec<_>>()
        };
        let mut features = vec![Feature::new(
            Some(Geometry::new(GeometryValue::Polygon(
                rings.iter().map(|r| positions(r)).collect(),
            ))),
            props,
        )];
        if let Some(b) = self.primary_building(&polygon(rings)) {
            let building = Properties {
                catalog_type: Some(CatalogSlug::parse("building")),
                ..Properties::default()
            };
            let ring: Vec<(f64, f64)> = b.exterior().0.iter().map(|c| (c.x, c.y)).collect();
            features.push(Feature::new(
                Some(Geometry::new(GeometryValue::Polygon(vec![positions(
                    &ring,
                )]))),
                building,
            ));
        }
        Ok(SitePlan {
            features,
            ..SitePlan::default()
        })
    }

    fn id(&self, i: usize) -> String {
        self.id_field
            .as_deref()
            .and_then(|f| self.parcels.features.get(i)?.properties.get(f))
            .map_or_else(
                || i.to_string(),
                |v| match v {
                    Value::String(s) => s.clone(),
                    other => other.to_string(),
                },
            )
    }

    /// The largest building whose centroid lies in the parcel.
    fn primary_building(&self, parcel: &Polygon<f64>) -> Option<&Polygon<f64>> {
        let b = geo::BoundingRect::bounding_rect(parcel)?;
        let query = AABB::from_corners([b.min().x, b.min().y], [b.max().x, b.max().y]);
        self.trees[BUILDINGS]
            .locate_in_envelope_intersecting(&query)
            .map(|g| &self.footprints[g.data])
            .filter(|f| f.centroid().is_some_and(|c| parcel.contains(&c)))
            .max_by(|a, b| a.unsigned_area().total_cmp(&b.unsigned_area()))
    }

    /// The context whose boxes come within the pipeline's reach of `ring`
    /// (in the layers' order, as the pipeline would read them whole).
    fn around(&self, ring: &[(f64, f64)]) -> Context {
        let Some(b) = crate::geom::bbox(ring) else {
            return Context::default();
        };
        // half as far again as the pipeline reads each layer: a superset
        // of what it keeps, whatever its centre's latitude
        let reach = Reach::of(&self.options.parcel, b.center().y);
        let near = |tree: usize, m: f64| {
            let m = 1.5 * m + 1e-9;
            let query = AABB::from_corners(
                [b.min().x - m, b.min().y - m],
                [b.max().x + m, b.max().y + m],
            );
            let mut found: Vec<usize> = self.trees[tree]
                .locate_in_envelope_intersecting(&query)
                .map(|g| g.data)
                .collect();
            found.sort_unstable();
            found
        };
        let c = &self.context;
        let roads = near(ROADS, reach.roads);
        Context {
            road_names: if c.road_names.is_empty() {
                Vec::new()
            } else {
                roads.iter().map(|i| c.road_names[*i].clone()).collect()
            },
            roads: roads.iter().map(|i| c.roads[*i].clone()).collect(),
            parcels: near(PARCELS, reach.boundaries)
                .iter()
                .map(|i| c.parcels[*i].clone())
                .collect(),
            right_of_way: near(ROW, reach.boundaries)
                .iter()
                .map(|i| c.right_of_way[*i].clone())
                .collect(),
            address: c.address.clone(),
            buildings: Vec::new(),
            fabric_given: c.fabric_given,
        }
    }
}

fn polygon(rings: &[Vec<(f64, f64)>]) -> Polygon<f64> {
    let line = |r: &Vec<(f64, f64)>| {
        r.iter()
            .map(|&(x, y)| Coord { x, y })
            .collect::<LineString<f64>>()
    };
    let (outer, inner) = rings
        .split_first()
        .map_or((LineString(vec![]), &[][..]), |(o, i)| (line(o), i));
    Polygon::new(outer, inner.iter().map(line).collect())
}

/// The row of an analysed parcel.
fn row(id: String, geometry: Polygon<f64>, site: &SiteAnalysis) -> ParcelRow {
    let sides = site.parcel.sides.as_deref().unwrap_or_default();
    let report = site.setback_report.as_ref();
    let by_side = |sid: Option<&str>| {
        report.and_then(|r| r.by_side.as_ref()).and_then(|rows| {
            rows.iter()
                .find(|s| s.side_id.as_deref() == sid && sid.is_some())
        })
    };
    let num = |n: Option<&serde_json::Number>| n.and_then(serde_json::Number::as_f64);
    let side_rows: Vec<SideRow> = sides
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let setback = by_side(s.id.as_deref());
            SideRow {
                index: i,
                role: s
                    .role
                    .as_ref()
                    .map_or("unknown", SideRole::as_str)
                    .to_owned(),
                relation: s.relation.as_ref().map(|r| r.as_str().to_owned()),
                length_m: s.length_m(),
                required_ft: setback.and_then(|b| num(b.required_feet.as_ref())),
                actual_ft: setback.and_then(|b| num(b.actual_feet.as_ref())),
                compliant: setback.and_then(|b| b.compliant),
                line: site
                    .side_lines
                    .get(i)
                    .cloned()
                    .unwrap_or(LineString(vec![])),
            }
        })
        .collect();
    let undecided = side_rows
        .iter()
        .filter(|s| !crate::setbacks::is_decided(&SideRole::from(s.role.clone())))
        .count();
    let envelope = site.buildable_envelope.as_ref();
    ParcelRow {
        id,
        geometry: Some(geometry),
        class: site
            .parcel
            .classification
            .as_ref()
            .and_then(|c| c.class.as_ref())
            .map(|c| c.as_str().to_owned()),
        roles: side_rows.iter().map(|s| s.role.clone()).collect(),
        lengths_m: side_rows
            .iter()
            .map(|s| s.length_m.unwrap_or(f64::NAN))
            .collect(),
        total_sides: side_rows.len(),
        compliant_sides: report
            .and_then(|r| r.compliant_sides.as_ref())
            .and_then(serde_json::Number::as_u64)
            .map(|n| n as usize),
        undecided_sides: undecided,
        envelope: envelope
            .and_then(|e| e.geometry.as_ref())
            .map(|g| match g.to_geo() {
                geo_types::Geometry::Polygon(p) => MultiPolygon(vec![p]),
                geo_types::Geometry::MultiPolygon(m) => m,
                _ => MultiPolygon(vec![]),
            }),
        envelope_area_sqm: envelope.and_then(|e| num(e.area_sqm.as_ref())),
        footprint_fits: envelope.and_then(|e| e.footprint_fits),
        error: None,
        sides: side_rows,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::context::Road;
    use crate::pipeline::analyze;
    use crate::setbacks::Minimums;

    const LAT: f64 = 32.33;
    const LON: f64 = -96.62;

    /// Local metres (east, north) to longitude/latitude.
    fn wgs(x: f64, y: f64) -> Coord<f64> {
        Coord {
            x: LON + x / (111_320.0 * LAT.to_radians().cos()),
            y: LAT + y / 110_574.0,
        }
    }

    fn rect(x0: f64, y0: f64, w: f64, h: f64) -> Polygon<f64> {
        Polygon::new(
            LineString(vec![
                wgs(x0, y0),
                wgs(x0 + w, y0),
                wgs(x0 + w, y0 + h),
                wgs(x0, y0 + h),
                wgs(x0, y0),
            ]),
            vec![],
        )
    }

    /// Two rows of four 20 × 35 m lots between two streets (Main St at
    /// the south, Elm St at the north), a cross street at the east; a
    /// house on each lot but the last.
    fn block() -> (Layer<BatchParcel>, SiteContext) {
        let mut lots = Vec::new();
        for (row, y) in [0.0, 35.0].into_iter().enumerate() {
            for k in 0..4 {
                let mut properties = Map::new();
                properties.insert("PIN".into(), Value::from(format!("{row}-{k}")));
                lots.push(BatchParcel {
                    polygon: rect(20.0 * f64::from(k), y, 20.0, 35.0),
                    properties,
                });
            }
        }
        let houses = (0..7)
            .map(|i| {
                let (row, k) = (f64::from(i / 4), f64::from(i % 4));
                crate::context::Building {
                    footprint: rect(20.0 * k + 4.0, 35.0 * row + 10.0, 12.0, 12.0),
                    height_m: None,
                }
            })
            .collect();
        let context = SiteContext {
            roads: Layer::wgs84(vec![
                Road::named(
                    LineString(vec![wgs(-50.0, -8.0), wgs(130.0, -8.0)]),
                    "Main St",
                ),
                Road::named(
                    LineString(vec![wgs(-50.0, 78.0), wgs(130.0, 78.0)]),
                    "Elm St",
                ),
                Road::named(
                    LineString(vec![wgs(88.0, -50.0), wgs(88.0, 120.0)]),
                    "Oak Ave",
                ),
            ]),
            buildings: Layer::wgs84(houses),
            ..SiteContext::default()
        };
        (Layer::wgs84(lots), context)
    }

    fn options() -> SiteOptions {
        SiteOptions {
            minimums: Minimums {
                front: Some(20.0),
                rear: Some(20.0),
                interior: Some(5.0),
                exterior: Some(10.0),
            },
            ..SiteOptions::default()
        }
    }

    #[test]
    fn every_row_is_the_parcels_answer_alone_with_the_whole_context() {
        let (layer, context) = block();
        let batch = Batch::new(&layer, &context, &options(), Some("PIN")).unwrap();
        // alone: the whole context, the layer as the fabric, no shade
        let alone_context = SiteContext {
            parcels: Layer::wgs84(layer.features.iter().map(|p| p.polygon.clone()).collect()),
            ..context.clone()
        };
        let alone_options = SiteOptions {
            shade: false,
            ..options()
        };
        let rows: Vec<ParcelRow> = batch.rows().collect();
        assert_eq!(rows.len(), 8);
        for (i, got) in rows.iter().enumerate() {
            let plan = batch.plan(i).unwrap();
            let site = analyze(&plan, &alone_context, Rasters::default(), &alone_options).unwrap();
            let want = row(
                batch.id(i),
                polygon(batch.rings[i].as_ref().unwrap()),
                &site,
            );
            assert_eq!(got, &want, "lot {i}");
            assert_eq!(got.error, None);
        }
        // the south row fronts on Main St, the north row on Elm St; the
        // east lots are corner lots on Oak Ave; the houses fit
        assert_eq!(rows[0].id, "0-0");
        assert!(
            rows[0].roles.contains(&"front".to_owned()),
            "{:?}",
            rows[0].roles
        );
        assert!(
            rows[3].roles.contains(&"exterior".to_owned()),
            "{:?}",
            rows[3].roles
        );
        assert_eq!(rows[0].footprint_fits, Some(true));
        assert!(rows[0].envelope_area_sqm.unwrap() > 0.0);
        // the last lot has no house: an envelope, nothing to fit
        assert_eq!(rows[7].footprint_fits, None);
        assert!(
            rows.iter()
                .all(|r| r.total_sides == 4 && r.sides.len() == 4)
        );
    }

    #[test]
    fn rows_do_not_depend_on_the_order_they_are_run_in() {
        let (layer, context) = block();
        let batch = Batch::new(&layer, &context, &options(), None).unwrap();
        let forward: Vec<ParcelRow> = batch.rows().collect();
        let mut backward: Vec<ParcelRow> =
            (0..batch.len()).rev().map(|i| batch.analyze(i)).collect();
        backward.reverse();
        assert_eq!(forward, backward);
        assert_eq!(forward[5].id, "5");
    }

    #[test]
    fn a_bad_parcel_keeps_its_row_with_the_reason() {
        let (mut layer, context) = block();
        layer.features[2].polygon =
            Polygon::new(LineString(vec![wgs(0.0, 0.0), wgs(1.0, 0.0)]), vec![]);
        layer.features[5].polygon = Polygon::new(
            LineString(vec![
                Coord {
                    x: f64::NAN,
                    y: 1.0,
                },
                wgs(1.0, 0.0),
                wgs(0.0, 1.0),
            ]),
            vec![],
        );
        let batch = Batch::new(&layer, &context, &options(), None).unwrap();
        let rows: Vec<ParcelRow> = batch.rows().collect();
        assert!(
            rows[2]
                .error
                .as_deref()
                .is_some_and(|e| e.contains("sides")),
            "{:?}",
            rows[2].error
        );
        assert!(
            rows[5]
                .error
                .as_deref()
                .is_some_and(|e| e.contains("finite")),
            "{:?}",
            rows[5].error
        );
        assert!(
            rows.iter()
                .enumerate()
                .all(|(i, r)| (i == 2 || i == 5) == r.error.is_some())
        );
        assert_eq!(batch.analyze(99).error.as_deref(), Some("no parcel 99"));
    }
}
