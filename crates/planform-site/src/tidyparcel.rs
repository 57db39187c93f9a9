//! Side labels for a whole parcel fabric, in the OZFS "tidyparcel" shape
//! that zoneR reads and writes: one LineString per parcel edge with
//! `parcel_id` and `side` (`front`, `rear`, `interior side`, `exterior
//! side`, `unknown`), plus a centroid Point per parcel. A plain polygon
//! layer is read too (each polygon a parcel, its ring split into sides; a
//! multipolygon's part with the most vertices), in WGS84 or the projected
//! CRS its `crs` member names.
//!
//! A side is a street frontage when less than half of it is shared with
//! another parcel; roles then follow as in [`crate::analyze`]. Shared
//! means, for tidyparcel edges, made of the very segments another parcel
//! has too: zoneR counts a side as
//! adjacent to another parcel only there, and labels a side that merely
//! runs along a neighbour's line (a road along a boundary the two lots do
//! not share vertex for vertex) an exterior side. For polygon layers, or
//! with a `tolerance` given, it means lying within the tolerance of another
//! parcel's boundary (default 1.5 m: digitising noise).
//!
//! Where the centroid Points record the lot's width and depth, the front
//! lies on the axis they give (the lot's width across it); of the two sides on it,
//! the front is the one most open to a street (least shared, then the
//! widest gap to the parcels across it, then the block face most lots
//! along it face).

use std::collections::{BTreeMap, HashMap};

use geo_types::Coord;
use planform_model::LocalFrame;
use planform_model::analysis::SideRole;
use serde_json::{Value, json};

use crate::address::{ADDRESS_KEYS, first_named};
use crate::context::SiteContext;
use crate::dims::{LotDims, front_axis};
use crate::error::{Result, SiteError};
use crate::fabric::{Fabric, shared_exactly};
use crate::front::{Lot, choose_fronts};
use crate::frontage::{Frontage, StreetSide};
use crate::parcel::ParcelOptions;
use crate::roles::{Assigned, assign};
use crate::sides::{SideGeom, ring, split_sides};
use crate::streets::Streets;

/// The fabric's tolerance for tidyparcel edges (sharing is exact there;
/// the fabric finds neighbours and gaps), metres.
const TIDYPARCEL_TOLERANCE: f64 = 0.01;
/// Default sharing tolerance for polygon layers, metres.
const POLYGON_TOLERANCE: f64 = 1.5;

/// Relative tolerance within which a side's extents match the recorded lot
/// width and depth.
const DIMS_TOLERANCE: f64 = 0.03;

/// Labelling settings.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LabelOptions {
    /// Distance within which a side counts as touching another parcel,
    /// metres. Default (`None`): tidyparcel edges are shared only segment
    /// for segment; polygon layers within 1.5 m.
    pub tolerance_m: Option<f64>,
    /// Consecutive polygon edges turning less than this are one side
    /// (polygon layers only), degrees. Default 15.
    pub max_turn_deg: f64,
    /// Read the fronts the file already labels as evidence: a labelled lot keeps its front and the lots
    /// beside it that the street leaves undecided face the same way.
    /// Default true; false labels every lot from the geometry alone.
    pub evidence: bool,
}

impl Default for LabelOptions {
    fn default() -> Self {
        Self {
            tolerance_m: None,
            max_turn_deg: 15.0,
            evidence: true,
        }
    }
}

/// One parcel of the fabric: its sides and where each came from.
struct Parcel {
    /// For tidyparcel input: the feature index of each side; for polygons,
    /// the polygon's feature index (once).
    features: Vec<usize>,
    sides: Vec<SideGeom>,
    /// The recorded lot width and depth (tidyparcel centroid Points).
    dims: Option<LotDims>,
}

/// The labels of a fabric: one role per side of every parcel.
#[derive(Debug, Clone, Default)]
pub struct Labels {
    /// For tidyparcel input: feature index → the side's role.
    pub by_feature: BTreeMap<usize, Assigned>,
    /// For polygon input: feature index → roles of its sides in ring order.
    pub by_polygon: BTreeMap<usize, Vec<SideLabel>>,
}

/// One side of a polygon and its role.
#[derive(Debug, Clone, PartialEq)]
pub struct SideLabel {
    /// The ring index of the side's first vertex.
    pub index: usize,
    /// Its role and relation.
    pub assigned: Assigned,
}

fn positions(v: &Value) -> Option<Vec<(f64, f64)>> {
    v.as_array()?
        .iter()
        .map(|p| {
            let a = p.as_array()?;
            Some((a.first()?.as_f64()?, a.get(1)?.as_f64()?))
        })
        .collect()
}

fn parcel_key(v: Option<&Value>) -> Option<String> {
    match v? {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// Orders a parcel's edges into a ring by chaining end to start (edges are
/// usually written in ring order already; a gap keeps file order).
fn chain(edges: &mut [Positions]) {
    for i in 1..edges.len() {
        let end = *edges[i - 1].1.last().unwrap_or(&(f64::NAN, f64::NAN));
        let close = |p: &(f64, f64)| (p.0 - end.0).abs() < 1e-9 && (p.1 - end.1).abs() < 1e-9;
        if let Some(j) = (i..edges.len()).find(|j| edges[*j].1.first().is_some_and(close)) {
            edges.swap(i, j);
        }
    }
}

/// A feature index and its positions (longitude, latitude).
type Positions = (usize, Vec<(f64, f64)>);
/// One parcel's tidyparcel edges, by parcel id.
type Edges = (String, Vec<Positions>);
/// Tidyparcel edges grouped by parcel (in first-seen order), polygons, and
/// the lot dimensions of the centroid Points by parcel id.
type Read = (Vec<Edges>, Vec<Positions>, HashMap<String, LotDims>);

/// The most vertices one parcel may have. Real parcels have tens, a
/// curved county lot a few hundred; a 300 000-vertex polygon made the
/// block-face count (every side against every side in its 600 m cell) run
/// for minutes.
pub const MAX_PARCEL_VERTICES: usize = 20_000;

/// A typed error for feature `i` when a parcel has more than
/// [`MAX_PARCEL_VERTICES`].
fn check_size(i: usize, n: usize) -> Result<()> {
    if n > MAX_PARCEL_VERTICES {
        return Err(SiteError::invalid(
            format!("/features/{i}/geometry"),
            format!(
                "a parcel of {n} vertices (at most {MAX_PARCEL_VERTICES}; simplify the layer first)"
            ),
        ));
    }
    Ok(())
}

fn read_parcels(features: &[Value]) -> Result<Read> {
    // tidyparcel edges grouped by parcel, in first-seen order
    let mut groups: Vec<Edges> = Vec::new();
    let mut group_of: HashMap<String, usize> = HashMap::new();
    let mut sizes: Vec<usize> = Vec::new();
    let mut polygons: Vec<Positions> = Vec::new();
    let mut dims = HashMap::new();
    for (i, f) in features.iter().enumerate() {
        let g = f.get("geometry");
        let kind = g.and_then(|g| g.get("type")).and_then(Value::as_str);
        let coords = g.and_then(|g| g.get("coordinates"));
        match kind {
            Some("LineString") => {
                let Some(id) = parcel_key(f.get("properties").and_then(|p| p.get("parcel_id")))
                else {
                    continue;
                };
                let pts = coords.and_then(positions).ok_or_else(|| {
                    SiteError::invalid(format!("/features/{i}/geometry"), "bad LineString")
                })?;
                let g = *group_of.entry(id.clone()).or_insert_with(|| {
                    groups.push((id, Vec::new()));
                    sizes.push(0);
                    groups.len() - 1
                });
                sizes[g] += pts.len();
                check_size(i, sizes[g])?;
                groups[g].1.push((i, pts));
            }
            Some("Polygon") => {
                let ring = coords
                    .and_then(Value::as_array)
                    .and_then(|r| r.first())
                    .and_then(positions)
                    .ok_or_else(|| {
                        SiteError::invalid(format!("/features/{i}/geometry"), "bad Polygon")
                    })?;
                check_size(i, ring.len())?;
                polygons.push((i, ring));
            }
            Some("MultiPolygon") => {
                // the part with the most vertices (as a site plan's parcel)
                let ring = coords
                    .and_then(Value::as_array)
                    .and_then(|ps| {
                        ps.iter()
                            .map(|p| p.as_array().and_then(|r| r.first()).and_then(positions))
                            .collect::<Option<Vec<_>>>()
                    })
                    .and_then(|rings| rings.into_iter().max_by_key(Vec::len))
                    .ok_or_else(|| {
                        SiteError::invalid(format!("/features/{i}/geometry"), "bad MultiPolygon")
                    })?;
                check_size(i, ring.len())?;
                polygons.push((i, ring));
            }
            Some("Point") => {
                let props = f.get("properties");
                let num = |k: &str| props.and_then(|p| p.get(k)).and_then(Value::as_f64);
                if let (Some(id), Some(w), Some(d)) = (
                    parcel_key(props.and_then(|p| p.get("parcel_id"))),
                    num("lot_width"),
                    num("lot_depth"),
                ) && let Some(l) = LotDims::from_feet(w, d)
                {
                    dims.insert(id, l);
                }
            }
            _ => {}
        }
    }
    Ok((groups, polygons, dims))
}

/// The parcels in one metric frame for the fabric (UTM from the mean
/// position): tidyparcel edge groups first, then polygons.
fn project(
    groups: Vec<Edges>,
    polygons: &[Positions],
    dims: &HashMap<String, LotDims>,
    o: &LabelOptions,
) -> Result<(Vec<Parcel>, LocalFrame)> {
    let all = groups
        .iter()
        .flat_map(|(_, e)| e.iter().flat_map(|(_, p)| p.iter()))
        .chain(polygons.iter().flat_map(|(_, p)| p.iter()));
    let (mut sx, mut sy, mut n) = (0.0, 0.0, 0.0);
    for p in all {
        sx += p.0;
        sy += p.1;
        n += 1.0;
    }
    let frame = LocalFrame::utm_for(sx / n, sy / n)?;
    let project = |pts: &[(f64, f64)]| forward(&frame, pts);
    let mut parcels = Vec::new();
    for (id, mut edges) in groups {
        chain(&mut edges);
        let mut sides = Vec::with_capacity(edges.len());
        for (k, (_, pts)) in edges.iter().enumerate() {
            sides.push(SideGeom {
                index: k,
                points: project(pts)?,
                curved: false,
            });
        }
        parcels.push(Parcel {
            features: edges.iter().map(|(i, _)| *i).collect(),
            sides,
            dims: dims.get(&id).copied(),
        });
    }
    for (i, ring) in polygons {
        let sides = split_sides(&project(ring)?, o.max_turn_deg.to_radians());
        parcels.push(Parcel {
            features: vec![*i],
            sides,
            dims: None,
        });
    }
    Ok((parcels, frame))
}

/// WGS84 positions in `frame`.
fn forward(frame: &LocalFrame, pts: &[(f64, f64)]) -> Result<Vec<Coord<f64>>> {
    pts.iter()
        .map(|&(x, y)| {
            frame
                .forward(x, y)
                .map(|(e, n)| Coord { x: e, y: n })
                .map_err(SiteError::from)
        })
        .collect()
}

/// The document's positions in WGS84: unprojected from the EPSG code its
/// `crs` member names (none, or CRS84 / EPSG:4326: already WGS84).
fn to_wgs84(doc: &Value, groups: &mut [Edges], polygons: &mut [Positions]) -> Result<()> {
    let Some(name) = doc.get("crs").map(|c| {
        c.get("properties")
            .and_then(|p| p.get("name"))
            .and_then(Value::as_str)
            .unwrap_or("")
    }) else {
        return Ok(());
    };
    let code = planform_model::crs::epsg_from_name(name)
        .ok_or_else(|| SiteError::invalid("/crs", format!("names no EPSG code: {name:?}")))?;
    if code == 4326 {
        return Ok(());
    }
    let frame = LocalFrame::from_epsg(code)?;
    let lines = groups
        .iter_mut()
        .flat_map(|(_, e)| e.iter_mut())
        .chain(polygons.iter_mut());
    for (_, pts) in lines {
        for p in pts.iter_mut() {
            *p = frame.inverse(p.0, p.1)?;
        }
    }
    Ok(())
}

/// The side a tidyparcel parcel's edges already label `front` (the first,
/// if several do).
fn given_front(features: &[Value], p: &Parcel) -> Option<usize> {
    if p.features.len() != p.sides.len() {
        return None;
    }
    p.features.iter().position(|&i| {
        features
            .get(i)
            .and_then(|f| f.get("properties"))
            .and_then(|pr| pr.get("side"))
            .and_then(Value::as_str)
            == Some("front")
    })
}

/// The fabric of `parcels` and, per parcel and side, the share of it
/// another parcel has: segment for segment for a tidyparcel file
/// (`tidy_only`) without a tolerance, else within the tolerance.
fn sharing(parcels: &[Parcel], o: &LabelOptions, tidy_only: bool) -> (Fabric, Vec<Vec<f64>>) {
    let tolerance = o.tolerance_m.unwrap_or(if tidy_only {
        TIDYPARCEL_TOLERANCE
    } else {
        POLYGON_TOLERANCE
    });
    let mut fabric = Fabric::new((tolerance * 8.0).max(10.0));
    for (owner, p) in parcels.iter().enumerate() {
        for s in &p.sides {
            fabric.add(owner, &s.points);
        }
    }
    let shared: Vec<Vec<f64>> = if o.tolerance_m.is_none() && tidy_only {
        let lots: Vec<&[SideGeom]> = parcels.iter().map(|p| p.sides.as_slice()).collect();
        shared_exactly(&lots)
    } else {
        parcels
            .iter()
            .enumerate()
            .map(|(owner, p)| {
                p.sides
                    .iter()
                    .map(|s| fabric.shared_fraction(owner, s, tolerance))
                    .collect()
            })
            .collect()
    };
    (fabric, shared)
}

/// Labels every side of a tidyparcel file or a polygon layer, from the
/// fabric alone.
///
/// ```
/// use planform_site::tidyparcel::{LabelOptions, apply, label};
///
/// // two lots side by side, 20 m × 40 m each, sharing their middle line
/// let lot = |x0: f64| {
///     let (d, w) = (40.0 / 111_000.0, 20.0 / 83_000.0);
///     let (x0, y0) = (-87.9 + x0 * w, 41.7);
///     serde_json::json!({"type": "Feature", "properties": {}, "geometry": {"type": "Polygon",
///         "coordinates": [[[x0, y0], [x0 + w, y0], [x0 + w, y0 + d], [x0, y0 + d], [x0, y0]]]}})
/// };
/// let mut layer = serde_json::json!({"type": "FeatureCollection", "features": [lot(0.0), lot(1.0)]});
/// let labels = label(&layer, &LabelOptions::default())?;
/// assert_eq!(labels.by_polygon.len(), 2);
/// let counts = apply(&mut layer, &labels);
/// // each lot shares one side with the other: an interior side
/// assert!(counts["interior side"] >= 2);
/// assert!(layer["features"][0]["properties"]["sides"].is_array());
/// # Ok::<(), planform_site::SiteError>(())
/// ```
pub fn label(doc: &Value, o: &LabelOptions) -> Result<Labels> {
    label_with(doc, o, &SiteContext::default())
}

/// Labels every side of a tidyparcel file or a polygon layer, with street
/// context: roads (and their names) and right-of-way polygons say which
/// sides are frontages (on top of the fabric's
/// sharing), and a polygon's situs address (its properties'
/// `SITUS_ADDR`, `ADDRESS`, …) which of them is the front. `context.parcels` and
/// `context.address` are not read (the fabric is the document's).
pub fn label_with(doc: &Value, o: &LabelOptions, context: &SiteContext) -> Result<Labels> {
    let context = &context.resolve()?;
    let features = doc
        .get("features")
        .and_then(Value::as_array)
        .ok_or_else(|| SiteError::invalid("/features", "expected an array of features"))?;
    let (mut groups, mut polygons, dims) = read_parcels(features)?;
    if groups.is_empty() && polygons.is_empty() {
        return Err(SiteError::invalid(
            "input",
            "no parcel edges (LineStrings with parcel_id) and no Polygons",
        ));
    }
    to_wgs84(doc, &mut groups, &mut polygons)?;
    let wgs_rings: Vec<Vec<(f64, f64)>> = groups
        .iter()
        .map(|(_, e)| e.iter().flat_map(|(_, p)| p.iter().copied()).collect())
        .chain(polygons.iter().map(|(_, p)| p.clone()))
        .collect();
    let (parcels, frame) = project(groups, &polygons, &dims, o)?;
    // roads within about a kilometre of the layer
    let context_streets = Streets::from_context(
        context,
        &ParcelOptions::default(),
        (crate::geom::bbox(wgs_rings.iter().flatten()), 0.01, 0.01),
        &|pts: &[(f64, f64)]| forward(&frame, pts),
    )?;
    let first_polygon = parcels.len() - polygons.len();
    let (fabric, shared) = sharing(&parcels, o, polygons.is_empty());
    let streets: Vec<Vec<bool>> = shared
        .iter()
        .zip(&parcels)
        .map(|(v, p)| {
            if context_streets.is_empty() {
                v.iter().map(|f| *f < 0.5).collect()
            } else {
                let sh: Vec<bool> = v.iter().map(|f| *f >= 0.5).collect();
                context_streets.frontages(&p.sides, &sh)
            }
        })
        .collect();
    let frontage = Frontage::new(parcels.iter().enumerate().flat_map(|(owner, p)| {
        p.sides
            .iter()
            .zip(&streets[owner])
            .filter(|(_, st)| **st)
            .map(move |(s, _)| StreetSide::new(owner, s))
    }));
    let lots: Vec<Lot> = parcels
        .iter()
        .enumerate()
        .map(|(owner, p)| Lot {
            sides: &p.sides,
            axis: p
                .dims
                .map(|d| front_axis(&p.sides, &ring(&p.sides), d, DIMS_TOLERANCE))
                .unwrap_or_default(),
            shared: &shared[owner],
            street: &streets[owner],
            given: if o.evidence {
                given_front(features, p)
            } else {
                None
            }
            .or_else(|| {
                // a polygon's situs address names its street
                let props = features
                    .get(p.features[0])?
                    .get("properties")?
                    .as_object()?;
                let address = first_named(props, &ADDRESS_KEYS)?;
                context_streets
                    .address_front(&p.sides, &address)
                    .filter(|k| streets[owner][*k])
            }),
        })
        .collect();
    let fronts = choose_fronts(&lots, &fabric, &frontage);
    let mut labels = Labels::default();
    for (owner, p) in parcels.iter().enumerate() {
        let roles = assign(&p.sides, &streets[owner], fronts[owner]);
        if owner < first_polygon {
            for (f, r) in p.features.iter().zip(roles) {
                labels.by_feature.insert(*f, r);
            }
        } else {
            let v = p
                .sides
                .iter()
                .zip(roles)
                .map(|(s, assigned)| SideLabel {
                    index: s.index,
                    assigned,
                })
                .collect();
            labels.by_polygon.insert(p.features[0], v);
        }
    }
    Ok(labels)
}

/// Writes labels into the document: a tidyparcel edge's `side` is set where
/// it is `unknown`, `withheld` or missing (given labels are kept); a
/// polygon gets `properties.sides`, `[{"index", "side", "relation"}]` in
/// ring order. Everything else is untouched. Returns counts by role.
pub fn apply(doc: &mut Value, labels: &Labels) -> BTreeMap<String, usize> {
    let mut counts = BTreeMap::new();
    let Some(features) = doc.get_mut("features").and_then(Value::as_array_mut) else {
        return counts;
    };
    for (i, a) in &labels.by_feature {
        let Some(props) = features
            .get_mut(*i)
            .and_then(|f| f.get_mut("properties"))
            .and_then(Value::as_object_mut)
        else {
            continue;
        };
        let current = props.get("side").and_then(Value::as_str);
        if matches!(current, None | Some("unknown" | "withheld")) {
            props.insert("side".into(), json!(a.role.ozfs()));
            *counts.entry(a.role.ozfs().to_owned()).or_default() += 1;
        }
    }
    for (i, roles) in &labels.by_polygon {
        let Some(f) = features.get_mut(*i).and_then(Value::as_object_mut) else {
            continue;
        };
        let sides: Vec<Value> = roles
            .iter()
            .map(|SideLabel { index, assigned: a }| {
                *counts.entry(a.role.ozfs().to_owned()).or_default() += 1;
                json!({"index": index, "side": a.role.ozfs(),
                       "relation": a.relation.as_ref().map(|r| r.as_str().to_owned())})
            })
            .collect();
        let props = f.entry("properties").or_insert_with(|| json!({}));
        if !props.is_object() {
            *props = json!({});
        }
        if let Some(p) = props.as_object_mut() {
            p.insert("sides".into(), Value::Array(sides));
        }
    }
    counts
}

/// Whether a parcel's roles make it a corner lot (an exterior side).
pub fn is_corner(roles: &[&Assigned]) -> bool {
    roles.iter().any(|a| a.role == SideRole::Exterior)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// A layer of one circular polygon of `n` vertices beside a square lot.
    fn layer(n: usize) -> Value {
        let ring: Vec<[f64; 2]> = (0..=n)
            .map(|k| {
                let t = 2.0 * std::f64::consts::PI * (k % n) as f64 / n as f64;
                [-96.59 + 0.001 * t.cos(), 32.29 + 0.001 * t.sin()]
            })
            .collect();
        let square = [
            [-96.5875, 32.29],
            [-96.5870, 32.29],
            [-96.5870, 32.2905],
            [-96.5875, 32.2905],
            [-96.5875, 32.29],
        ];
        json!({"type": "FeatureCollection", "features": [
            {"type": "Feature", "properties": {}, "geometry": {"type": "Polygon", "coordinates": [square]}},
            {"type": "Feature", "properties": {}, "geometry": {"type": "Polygon", "coordinates": [ring]}},
        ]})
    }

    #[test]
    fn absurdly_detailed_parcels_are_refused_by_name() {
        let e = label(&layer(MAX_PARCEL_VERTICES + 1), &LabelOptions::default()).unwrap_err();
        let text = e.to_string();
        assert!(
            text.contains("/features/1/geometry") && text.contains("vertices"),
            "{text}"
        );
        // a detailed but possible one is labelled
        label(&layer(2_000), &LabelOptions::default()).unwrap();
    }
}
