//! Side labels for a whole parcel fabric, in the OZFS "tidyparcel" shape
//! that zoneR reads and writes: one LineString per parcel edge with
//! `parcel_id` and `side` (`front`, `rear`, `interior side`, `exterior
//! side`, `unknown`), plus a centroid Point per parcel. A plain polygon
//! layer is read too (each polygon a parcel, its ring split into sides).
//!
//! A side is a street frontage when less than half of it lies within
//! `tolerance` of another parcel's boundary; roles then follow
//! [`crate::roles::assign`].

use std::collections::BTreeMap;

use geo_types::Coord;
use planform_model::LocalFrame;
use planform_model::analysis::SideRole;
use serde_json::{Value, json};

use crate::error::{Result, SiteError};
use crate::fabric::Fabric;
use crate::frontage::{Frontage, StreetSide};
use crate::roles::{Assigned, assign};
use crate::sides::{SideGeom, split_sides};

/// Labelling settings.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LabelOptions {
    /// Distance within which a side counts as touching another parcel,
    /// metres. Default 1.5.
    pub tolerance_m: f64,
    /// Consecutive polygon edges turning less than this are one side
    /// (polygon layers only), degrees. Default 15.
    pub max_turn_deg: f64,
}

impl Default for LabelOptions {
    fn default() -> Self {
        Self {
            tolerance_m: 1.5,
            max_turn_deg: 15.0,
        }
    }
}

/// One parcel of the fabric: its sides and where each came from.
struct Parcel {
    /// For tidyparcel input: the feature index of each side; for polygons,
    /// the polygon's feature index (once).
    features: Vec<usize>,
    sides: Vec<SideGeom>,
}

/// The labels of a fabric: one role per side of every parcel.
#[derive(Debug, Clone, Default)]
pub struct Labels {
    /// For tidyparcel input: feature index → the side's role.
    pub by_feature: BTreeMap<usize, Assigned>,
    /// For polygon input: feature index → roles of its sides in ring order
    /// (with each side's first ring index).
    pub by_polygon: BTreeMap<usize, Vec<(usize, Assigned)>>,
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
/// Tidyparcel edges grouped by parcel (in first-seen order) and polygons.
type Read = (Vec<Edges>, Vec<Positions>);

fn read_parcels(features: &[Value]) -> Result<Read> {
    // tidyparcel edges grouped by parcel, in first-seen order
    let mut groups: Vec<Edges> = Vec::new();
    let mut polygons: Vec<Positions> = Vec::new();
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
                match groups.iter_mut().find(|(k, _)| *k == id) {
                    Some((_, v)) => v.push((i, pts)),
                    None => groups.push((id, vec![(i, pts)])),
                }
            }
            Some("Polygon") => {
                let ring = coords
                    .and_then(Value::as_array)
                    .and_then(|r| r.first())
                    .and_then(positions)
                    .ok_or_else(|| {
                        SiteError::invalid(format!("/features/{i}/geometry"), "bad Polygon")
                    })?;
                polygons.push((i, ring));
            }
            _ => {}
        }
    }
    Ok((groups, polygons))
}

/// With several street sides, the one most lots along it face (ties: the
/// shorter); `None` with one street side or none.
fn front_by_block_face(
    frontage: &Frontage,
    owner: usize,
    sides: &[SideGeom],
    street: &[bool],
) -> Option<usize> {
    if street.iter().filter(|s| **s).count() < 2 {
        return None;
    }
    (0..sides.len())
        .filter(|i| street[*i])
        .map(|i| (frontage.score(&StreetSide::new(owner, &sides[i])), i))
        .max_by(|a, b| {
            a.0.cmp(&b.0)
                .then(sides[b.1].length().total_cmp(&sides[a.1].length()))
        })
        .map(|(_, i)| i)
}

/// Labels every side of a tidyparcel file or a polygon layer.
pub fn label(doc: &Value, o: &LabelOptions) -> Result<Labels> {
    let features = doc
        .get("features")
        .and_then(Value::as_array)
        .ok_or_else(|| SiteError::invalid("/features", "expected an array of features"))?;
    let (groups, polygons) = read_parcels(features)?;
    if groups.is_empty() && polygons.is_empty() {
        return Err(SiteError::invalid(
            "input",
            "no parcel edges (LineStrings with parcel_id) and no Polygons",
        ));
    }
    // one metric frame for the fabric, from the mean position
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
    let project = |pts: &[(f64, f64)]| -> Result<Vec<Coord<f64>>> {
        pts.iter()
            .map(|&(x, y)| {
                frame
                    .forward(x, y)
                    .map(|(e, n)| Coord { x: e, y: n })
                    .map_err(SiteError::from)
            })
            .collect()
    };
    let mut parcels = Vec::new();
    for (_, mut edges) in groups {
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
        });
    }
    let first_polygon = parcels.len();
    for (i, ring) in &polygons {
        let sides = split_sides(&project(ring)?, o.max_turn_deg.to_radians());
        parcels.push(Parcel {
            features: vec![*i],
            sides,
        });
    }
    let mut fabric = Fabric::new((o.tolerance_m * 8.0).max(10.0));
    for (owner, p) in parcels.iter().enumerate() {
        for s in &p.sides {
            fabric.add(owner, &s.points);
        }
    }
    let streets: Vec<Vec<bool>> = parcels
        .iter()
        .enumerate()
        .map(|(owner, p)| {
            p.sides
                .iter()
                .map(|s| fabric.shared_fraction(owner, s, o.tolerance_m) < 0.5)
                .collect()
        })
        .collect();
    let frontage = Frontage::new(parcels.iter().enumerate().flat_map(|(owner, p)| {
        p.sides
            .iter()
            .zip(&streets[owner])
            .filter(|(_, st)| **st)
            .map(move |(s, _)| StreetSide::new(owner, s))
    }));
    let mut labels = Labels::default();
    for (owner, p) in parcels.iter().enumerate() {
        let street = &streets[owner];
        let hint = front_by_block_face(&frontage, owner, &p.sides, street);
        let roles = assign(&p.sides, street, hint);
        if owner < first_polygon {
            for (f, r) in p.features.iter().zip(roles) {
                labels.by_feature.insert(*f, r);
            }
        } else {
            let v = p.sides.iter().map(|s| s.index).zip(roles).collect();
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
            .map(|(index, a)| {
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
