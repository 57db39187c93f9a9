//! `SitePlan` → [`Drawing`]: a layer per catalog type plus the parcel,
//! building and gates, projected into a local metric frame.

use geo_types::{Coord, LineString, Polygon};
use planform_model::{CrsSpec, Feature, GeometryValue, LocalFrame, SitePlan};
use serde_json::Value as Json;

use crate::drawing::{Drawing, Entity, FieldType, Shape, Units, Value};
use crate::error::{ExportError, Result};
use crate::style::Styles;

/// How a site plan becomes a drawing.
#[derive(Debug, Clone, Default)]
pub struct SiteDrawingOptions {
    /// The frame (auto UTM by default).
    pub crs: CrsSpec,
    /// Metres or feet.
    pub units: Units,
    /// Styles.
    pub styles: Styles,
    /// Write labels (heights, areas, names).
    pub labels: bool,
    /// Keep the plan's own coordinates and CRS (WGS84, or its declared EPSG
    /// code) instead of projecting into `crs`: what GeoPackage and GeoJSON
    /// want.
    pub native: bool,
}

/// Projects positions into the frame (from the plan's declared CRS when it
/// is not WGS84), in the drawing's units.
struct Projector {
    from: Option<LocalFrame>,
    /// `None`: coordinates are kept as they are.
    to: Option<LocalFrame>,
    scale: f64,
}

impl Projector {
    fn xy(&self, x: f64, y: f64) -> Result<Coord<f64>> {
        let Some(to) = &self.to else {
            return Ok(Coord { x, y });
        };
        let (lon, lat) = match &self.from {
            Some(f) => f.inverse(x, y)?,
            None => (x, y),
        };
        let (e, n) = to.forward(lon, lat)?;
        let m = to.metres_per_unit();
        Ok(Coord {
            x: e * m / self.scale,
            y: n * m / self.scale,
        })
    }

    fn line(&self, ps: &[planform_model::Position]) -> Result<LineString<f64>> {
        ps.iter()
            .map(|p| self.xy(p.x(), p.y()))
            .collect::<Result<Vec<_>>>()
            .map(LineString)
    }

    fn polygon(&self, rings: &[Vec<planform_model::Position>]) -> Result<Polygon<f64>> {
        let mut it = rings.iter();
        let ext = it
            .next()
            .map_or_else(|| Ok(LineString(vec![])), |r| self.line(r))?;
        Ok(Polygon::new(
            ext,
            it.map(|r| self.line(r)).collect::<Result<Vec<_>>>()?,
        ))
    }

    fn shapes(&self, g: &planform_model::Geometry, out: &mut Vec<Shape>) -> Result<()> {
        match &g.value {
            GeometryValue::Point(p) => out.push(Shape::Point(self.xy(p.x(), p.y())?)),
            GeometryValue::MultiPoint(ps) => {
                for p in ps {
                    out.push(Shape::Point(self.xy(p.x(), p.y())?));
                }
            }
            GeometryValue::LineString(l) => out.push(Shape::Polyline(self.line(l)?)),
            GeometryValue::MultiLineString(ls) => {
                for l in ls {
                    out.push(Shape::Polyline(self.line(l)?));
                }
            }
            GeometryValue::Polygon(r) => out.push(Shape::Area(self.polygon(r)?)),
            GeometryValue::MultiPolygon(ps) => {
                for r in ps {
                    out.push(Shape::Area(self.polygon(r)?));
                }
            }
            GeometryValue::GeometryCollection(gs) => {
                for g in gs {
                    self.shapes(g, out)?;
                }
            }
        }
        Ok(())
    }

    /// One shape per feature: single geometries as they are, Multi* and
    /// collections as [`Shape::Multi`].
    fn shape(&self, g: &planform_model::Geometry) -> Result<Shape> {
        let mut parts = Vec::new();
        self.shapes(g, &mut parts)?;
        let single = matches!(
            g.value,
            GeometryValue::Point(_) | GeometryValue::LineString(_) | GeometryValue::Polygon(_)
        );
        Ok(match parts.pop() {
            Some(s) if single && parts.is_empty() => s,
            last => {
                parts.extend(last);
                Shape::Multi(parts)
            }
        })
    }
}

/// An attribute value of a JSON value by its JSON type, which is what the
/// schema fixes: every number is a Real (a height of `8` in one plan and
/// `8.5` in the next are one column type), arrays and objects are JSON
/// text.
fn value(v: &Json) -> Option<Value> {
    match v {
        Json::Bool(b) => Some(Value::Bool(*b)),
        Json::Number(n) => n.as_f64().map(Value::Real),
        Json::String(s) => Some(Value::Text(s.clone())),
        Json::Array(_) | Json::Object(_) => Some(Value::Text(v.to_string())),
        Json::Null => None,
    }
}

/// The layer a feature goes to: its canonical catalog type; for plain
/// GeoJSON the collection's `name` member, else `features`.
pub fn layer_name(f: &Feature, collection: Option<&str>) -> String {
    let clean = |s: &str| {
        s.replace(
            |c: char| !c.is_ascii_alphanumeric() && c != '_' && c != '-',
            "_",
        )
    };
    f.catalog_type().map_or_else(
        || {
            collection
                .filter(|n| !n.trim().is_empty())
                .map_or_else(|| "features".to_owned(), clean)
        },
        |t| clean(t.as_str()),
    )
}

fn label(f: &Feature, units: Units) -> Option<String> {
    let props = f.properties.as_ref()?.to_object();
    let attrs = props.get("attrs").and_then(Json::as_object);
    let num = |k: &str| attrs.and_then(|a| a.get(k)).and_then(Json::as_f64);
    let ft = units == Units::Feet;
    let len = |m: f64| {
        if ft {
            format!("{:.1} ft", m / planform_model::units::FT_TO_M)
        } else {
            format!("{m:.1} m")
        }
    };
    match f.catalog_type()?.as_str() {
        "tree" => num("heightM").map(len),
        "building" => match (num("stories"), num("heightM")) {
            (Some(s), Some(h)) => Some(format!("{s} st, {}", len(h))),
            (None, Some(h)) => Some(len(h)),
            _ => None,
        },
        "structure" => attrs
            .and_then(|a| a.get("kind"))
            .and_then(Json::as_str)
            .map(str::to_owned),
        "fence" | "hedge" => num("heightFt").map(|h| {
            if ft {
                format!("{h} ft")
            } else {
                format!("{:.1} m", h * planform_model::units::FT_TO_M)
            }
        }),
        _ => None,
    }
}

/// A feature's attributes: its `id` (when no property is named `id` in any
/// case), its
/// scalar properties, then its attrs (an attr whose name a property already
/// uses is written `attrs_NAME`); arrays and objects as JSON text.
fn attributes(f: &Feature) -> Vec<(String, Value)> {
    let mut attributes: Vec<(String, Value)> = Vec::new();
    let obj = f
        .properties
        .as_ref()
        .map(planform_model::Properties::to_object)
        .unwrap_or_default();
    // a feature id is text, whether written as a string or a number
    if !obj.keys().any(|k| k.eq_ignore_ascii_case("id"))
        && let Some(id) = f.id.as_ref().and_then(|v| match v {
            Json::String(s) => Some(s.clone()),
            Json::Number(n) => Some(n.to_string()),
            _ => None,
        })
    {
        attributes.push(("id".to_owned(), Value::Text(id)));
    }
    for (k, v) in &obj {
        if k != "attrs"
            && let Some(val) = value(v)
        {
            attributes.push((k.clone(), val));
        }
    }
    for (ak, av) in obj
        .get("attrs")
        .and_then(Json::as_object)
        .into_iter()
        .flatten()
    {
        if let Some(val) = value(av) {
            let name = if attributes.iter().any(|(k, _)| k == ak) {
                format!("attrs_{ak}")
            } else {
                ak.clone()
            };
            attributes.push((name, val));
        }
    }
    attributes
}

/// A length in the drawing's units, for a label.
fn length_label(metres: f64, units: Units) -> String {
    if units == Units::Feet {
        format!("{:.1} ft", metres / planform_model::units::FT_TO_M)
    } else {
        format!("{metres:.2} m")
    }
}

/// The rows of the plan's setback report (none without one).
fn setback_rows(plan: &SitePlan) -> &[planform_model::analysis::SideSetback] {
    plan.analysis
        .as_ref()
        .and_then(|a| a.setback_report.as_ref())
        .and_then(|r| r.by_side.as_ref())
        .map_or(&[][..], Vec::as_slice)
}

/// For the parcel record's sides: ring edge index → (side id, role) from
/// `parcel.sides`.
fn side_notes(plan: &SitePlan) -> Vec<(usize, (String, String))> {
    let sides = plan
        .parcel
        .as_ref()
        .and_then(|p| p.sides.as_ref())
        .map_or(&[][..], Vec::as_slice);
    sides
        .iter()
        .filter_map(|side| {
            let index = side.index.as_ref()?.as_u64()? as usize;
            let id = side.id.clone().unwrap_or_default();
            let note = side
                .role
                .as_ref()
                .map_or_else(|| "side".to_owned(), |r| r.as_str().to_owned());
            Some((index, (id, note)))
        })
        .collect()
}

/// Every run of two or more `[x, y]` positions inside a JSON value (the
/// service does not document `analysis.fenceLayout`'s members).
fn coordinate_runs(v: &Json, out: &mut Vec<Vec<planform_model::Position>>) {
    let pos = |p: &Json| {
        let a = p.as_array()?;
        (a.len() >= 2).then(|| {
            Some(planform_model::Position::new(
                a[0].as_f64()?,
                a[1].as_f64()?,
            ))
        })?
    };
    match v {
        Json::Array(items) => {
            let run: Option<Vec<_>> = items.iter().map(pos).collect();
            match run {
                Some(r) if r.len() >= 2 => out.push(r),
                _ => items.iter().for_each(|i| coordinate_runs(i, out)),
            }
        }
        Json::Object(m) => m.values().for_each(|i| coordinate_runs(i, out)),
        _ => {}
    }
}

/// The `fence-layout` layer: the recommended fence linework of
/// `analysis.fenceLayout` (its `lines`, and runs of positions anywhere in
/// its other members).
fn fence_layout(
    plan: &SitePlan,
    p: &Projector,
    options: &SiteDrawingOptions,
    d: &mut Drawing,
) -> Result<()> {
    let Some(layout) = plan.analysis.as_ref().and_then(|a| a.fence_layout.as_ref()) else {
        return Ok(());
    };
    // planform's own `lines`, and any runs of positions in the members the
    // service may send
    let mut runs: Vec<Vec<planform_model::Position>> = layout
        .lines
        .iter()
        .flatten()
        .filter(|l| l.len() >= 2)
        .cloned()
        .collect();
    for v in layout.extra.values() {
        coordinate_runs(v, &mut runs);
    }
    if runs.is_empty() {
        return Ok(());
    }
    let mut entities = Vec::new();
    for r in &runs {
        entities.push(Entity {
            shape: Shape::Polyline(p.line(r)?),
            label: None,
            attributes: vec![],
        });
    }
    d.layer_mut("fence-layout", || options.styles.get("fence-layout"))
        .entities
        .extend(entities);
    Ok(())
}

/// `"{what} 450 m²"` (or ft² in a drawing in feet) when labels are asked
/// for.
fn area_label(what: &str, m2: f64, options: &SiteDrawingOptions) -> Option<String> {
    let m = options.units.metres().filter(|_| options.labels)?;
    Some(if (m - 1.0).abs() < 1e-12 {
        format!("{what} {m2:.0} m²")
    } else {
        format!("{what} {:.0} ft²", m2 / (m * m))
    })
}

/// The `buildable-envelope` layer: `analysis.buildableEnvelope.geometry`
/// (a planform member, Polygon or MultiPolygon) with its area and whether
/// the primary building fits.
fn buildable_envelope(
    plan: &SitePlan,
    p: &Projector,
    options: &SiteDrawingOptions,
    d: &mut Drawing,
) -> Result<()> {
    let Some(env) = plan
        .analysis
        .as_ref()
        .and_then(|a| a.buildable_envelope.as_ref())
    else {
        return Ok(());
    };
    let Some(g) = &env.geometry else {
        return Ok(());
    };
    let area = env.area_sqm.as_ref().and_then(serde_json::Number::as_f64);
    let mut attributes = Vec::new();
    if let Some(a) = area {
        attributes.push(("areaSqm".to_owned(), Value::Real(a)));
    }
    if let Some(f) = env.footprint_fits {
        attributes.push(("footprintFits".to_owned(), Value::Bool(f)));
    }
    let text = area.and_then(|a| area_label("buildable", a, options));
    let shape = p.shape(g)?;
    declared(
        d,
        "buildable-envelope",
        options,
        &[
            ("areaSqm", FieldType::Real),
            ("footprintFits", FieldType::Boolean),
        ],
    )
    .entities
    .push(Entity {
        shape,
        label: text,
        attributes,
    });
    Ok(())
}

/// The `yards` layer: each yard's ground (`yards[].geometry`, a planform
/// member) with its kind and area, drawn beneath everything else.
fn yards(
    plan: &SitePlan,
    p: &Projector,
    options: &SiteDrawingOptions,
    d: &mut Drawing,
) -> Result<()> {
    for y in plan.yards.iter().flatten() {
        let Some(g) = &y.geometry else { continue };
        let kind = y.kind.as_ref().map(|k| k.as_str().to_owned());
        let area = y
            .area_square_meters
            .as_ref()
            .and_then(serde_json::Number::as_f64);
        let text = match (&kind, area) {
            (Some(k), Some(a)) => area_label(&format!("{k} yard"), a, options),
            _ => None,
        };
        let mut attributes = vec![];
        if let Some(id) = &y.id {
            attributes.push(("id".to_owned(), Value::Text(id.clone())));
        }
        if let Some(k) = kind {
            attributes.push(("kind".to_owned(), Value::Text(k)));
        }
        if let Some(a) = area {
            attributes.push(("areaSquareMeters".to_owned(), Value::Real(a)));
        }
        let shape = p.shape(g)?;
        declared(
            d,
            "yards",
            options,
            &[
                ("id", FieldType::Text),
                ("kind", FieldType::Text),
                ("areaSquareMeters", FieldType::Real),
            ],
        )
        .entities
        .push(Entity {
            shape,
            label: text,
            attributes,
        });
    }
    Ok(())
}

/// The layer `name` with its columns' types fixed (the analysis layers:
/// a column is there, of its type, whatever the values of one plan).
fn declared<'d>(
    d: &'d mut Drawing,
    name: &str,
    options: &SiteDrawingOptions,
    fields: &[(&str, FieldType)],
) -> &'d mut crate::drawing::Layer {
    let layer = d.layer_mut(name, || options.styles.get(name));
    if layer.fields.is_empty() {
        layer.fields = fields.iter().map(|(k, t)| ((*k).to_owned(), *t)).collect();
    }
    layer
}

/// The parcel feature's outer ring (of its largest part, by vertex count,
/// as the analysis reads it), open (no repeated last position).
fn parcel_ring(plan: &SitePlan) -> Option<&[planform_model::Position]> {
    let f = plan
        .features
        .iter()
        .find(|f| f.catalog_type() == Some(&planform_model::CatalogType::Parcel))?;
    let ring = match &f.geometry.as_ref()?.value {
        GeometryValue::Polygon(rings) => rings.first()?,
        GeometryValue::MultiPolygon(ps) => ps
            .iter()
            .filter_map(|p| p.first())
            .max_by_key(|r| r.len())?,
        _ => return None,
    };
    Some(match ring.as_slice() {
        [first, .., last] if first == last => &ring[..ring.len() - 1],
        r => r,
    })
}

/// The `parcel-sides` layer of an analysed plan: one polyline per side of
/// the `parcel` record (from its `index` to the next side's), with `id`,
/// `role`, `relation`, `lengthM`, the setback report's `requiredFeet`,
/// `actualFeet` and `compliant` (columns fixed whatever the values), and
/// one label per side. Returns whether the layer was drawn.
fn parcel_sides(
    plan: &SitePlan,
    p: &Projector,
    options: &SiteDrawingOptions,
    d: &mut Drawing,
) -> Result<bool> {
    let Some(sides) = plan.parcel.as_ref().and_then(|p| p.sides.as_ref()) else {
        return Ok(false);
    };
    let Some(ring) = parcel_ring(plan) else {
        return Ok(false);
    };
    let n = ring.len();
    let mut starts: Vec<(usize, &planform_model::Side)> = sides
        .iter()
        .filter_map(|s| Some((usize::try_from(s.index.as_ref()?.as_u64()?).ok()?, s)))
        .filter(|(i, _)| *i < n)
        .collect();
    starts.sort_by_key(|(i, _)| *i);
    if n < 3 || starts.is_empty() {
        return Ok(false);
    }
    let setbacks = setback_rows(plan);
    let num = |v: Option<&serde_json::Number>| v.and_then(serde_json::Number::as_f64);
    let mut entities = Vec::with_capacity(starts.len());
    for (k, (start, side)) in starts.iter().enumerate() {
        let end = starts[(k + 1) % starts.len()].0;
        let count = (end + n - start - 1) % n + 2;
        let positions: Vec<planform_model::Position> =
            (0..count).map(|j| ring[(start + j) % n].clone()).collect();
        let line = p.line(&positions)?;
        let id = side.id.clone();
        let setback = setbacks.iter().find(|b| id.is_some() && b.side_id == id);
        let metres = num(side.measured_length_meters.as_ref());
        let mut attributes = Vec::new();
        let mut put = |k: &str, v: Option<Value>| {
            if let Some(v) = v {
                attributes.push((k.to_owned(), v));
            }
        };
        put("id", id.clone().map(Value::Text));
        put(
            "role",
            side.role
                .as_ref()
                .map(|r| Value::Text(r.as_str().to_owned())),
        );
        put(
            "relation",
            side.relation
                .as_ref()
                .map(|r| Value::Text(r.as_str().to_owned())),
        );
        put("lengthM", metres.map(Value::Real));
        put(
            "requiredFeet",
            num(setback.and_then(|b| b.required_feet.as_ref())).map(Value::Real),
        );
        put(
            "actualFeet",
            num(setback.and_then(|b| b.actual_feet.as_ref())).map(Value::Real),
        );
        put(
            "compliant",
            setback.and_then(|b| b.compliant).map(Value::Bool),
        );
        // role and length; the setback has its own dimension line
        let label = options.labels.then(|| {
            let role = side.role.as_ref().map_or("side", |r| r.as_str());
            match metres {
                Some(m) => format!("{role} · {}", length_label(m, options.units)),
                None => role.to_owned(),
            }
        });
        entities.push(Entity {
            shape: Shape::Polyline(line),
            label,
            attributes,
        });
    }
    let layer = declared(
        d,
        "parcel-sides",
        options,
        &[
            ("id", FieldType::Text),
            ("role", FieldType::Text),
            ("relation", FieldType::Text),
            ("lengthM", FieldType::Real),
            ("requiredFeet", FieldType::Real),
            ("actualFeet", FieldType::Real),
            ("compliant", FieldType::Boolean),
        ],
    );
    layer.entities.extend(entities);
    Ok(true)
}

/// The `dimensions` layer: every edge of the parcel's outer ring, labelled
/// with its geodesic length (WGS84 ellipsoid, not the frame's scale).
fn dimensions(
    plan: &SitePlan,
    p: &Projector,
    options: &SiteDrawingOptions,
    d: &mut Drawing,
) -> Result<()> {
    let notes = side_notes(plan);
    let mut edges = Vec::new();
    for f in &plan.features {
        let Some(GeometryValue::Polygon(rings)) = f.geometry.as_ref().map(|g| &g.value) else {
            continue;
        };
        if f.catalog_type().map(planform_model::CatalogType::as_str) != Some("parcel") {
            continue;
        }
        let Some(ring) = rings.first() else { continue };
        for (i, w) in ring.windows(2).enumerate() {
            let line = p.line(w)?;
            // geodesic on WGS84 positions (unprojected when the plan is not)
            let wgs = |q: &planform_model::Position| match &p.from {
                Some(fr) => fr.inverse(q.x(), q.y()).map(|(x, y)| Coord { x, y }),
                None => Ok(q.coord()),
            };
            let metres = planform_model::geodesic::distance(wgs(&w[0])?, wgs(&w[1])?);
            if metres > 0.0 {
                let mut label = length_label(metres, options.units);
                let mut attributes = vec![("lengthM".into(), Value::Real(metres))];
                if let Some((id, note)) = notes.iter().find(|(k, _)| *k == i).map(|(_, n)| n) {
                    label = format!("{note} · {label}");
                    attributes.push(("sideId".into(), Value::Text(id.clone())));
                }
                edges.push(Entity {
                    shape: Shape::Polyline(line),
                    label: Some(label),
                    attributes,
                });
            }
        }
    }
    if !edges.is_empty() {
        d.layer_mut("dimensions", || options.styles.get("dimensions"))
            .entities
            .extend(edges);
    }
    Ok(())
}

/// The drawing of a site plan.
pub fn site_plan_drawing(plan: &SitePlan, options: &SiteDrawingOptions) -> Result<Drawing> {
    let scale = match options.units.metres() {
        Some(m) => m,
        None if options.native => 1.0,
        None => {
            return Err(ExportError::Option(format!(
                "a site plan cannot be drawn in {}",
                options.units.as_str()
            )));
        }
    };
    let from = match (plan.is_wgs84(), plan.declared_epsg()) {
        (true, _) => None,
        (false, Some(code)) => Some(LocalFrame::from_epsg(code)?),
        (false, None) => {
            return Err(ExportError::Empty(
                "the plan's `crs` member names no EPSG code".into(),
            ));
        }
    };
    // the target frame is chosen from WGS84 coordinates
    let (to, epsg, units) = if options.native {
        let code = plan.declared_epsg().unwrap_or(4326);
        let units = match &from {
            None => Units::Degrees,
            Some(f) if (f.metres_per_unit() - 1.0).abs() < 1e-12 => Units::Metres,
            Some(_) => Units::Feet,
        };
        (None, code, units)
    } else {
        let to = match (options.crs, &from) {
            (CrsSpec::AutoUtm, Some(f)) => {
                let c = planform_model::crs::centroid(plan)
                    .ok_or_else(|| ExportError::Empty("no coordinates".into()))?;
                let (lon, lat) = f.inverse(c.0, c.1)?;
                LocalFrame::utm_for(lon, lat)?
            }
            (spec, _) => LocalFrame::for_plan(plan, spec)?,
        };
        let code = to.epsg();
        (Some(to), code, options.units)
    };
    let p = Projector { from, to, scale };
    let mut d = Drawing {
        units,
        epsg: Some(epsg),
        title: plan
            .extra
            .get("name")
            .and_then(Json::as_str)
            .map(str::to_owned),
        ..Drawing::default()
    };
    // yards, parcel and building first (bottom), then the rest in
    // document order
    yards(plan, &p, options, &mut d)?;
    let collection = plan.extra.get("name").and_then(Json::as_str);
    let order = |f: &&Feature| match layer_name(f, collection).as_str() {
        "parcel" => 0,
        "building" => 1,
        _ => 2,
    };
    let mut features: Vec<&Feature> = plan.features.iter().collect();
    features.sort_by_key(order);
    for f in features {
        let Some(g) = &f.geometry else { continue };
        let shape = p.shape(g)?;
        let name = layer_name(f, collection);
        let attributes = attributes(f);
        let text = if options.labels {
            label(f, options.units)
        } else {
            None
        };
        let layer = d.layer_mut(&name, || options.styles.get(&name));
        layer.entities.push(Entity {
            shape,
            label: text,
            attributes,
        });
    }
    // an analysed plan's sides, each labelled once; else every ring edge
    // dimensioned
    if !parcel_sides(plan, &p, options, &mut d)? && options.labels && !options.native {
        dimensions(plan, &p, options, &mut d)?;
    }
    if !options.native {
        crate::site_sheet::setback_lines(&mut d, &options.styles, options.labels);
    }
    fence_layout(plan, &p, options, &mut d)?;
    buildable_envelope(plan, &p, options, &mut d)?;
    for (i, gate) in plan.gates.iter().flatten().enumerate() {
        if let Some(c) = &gate.coordinates {
            let line = p.line(c)?;
            let layer = declared(&mut d, "gates", options, &[("index", FieldType::Integer)]);
            layer.entities.push(Entity {
                shape: Shape::Polyline(line),
                label: options.labels.then(|| format!("gate {}", i + 1)),
                attributes: vec![("index".into(), Value::Int(i as i64))],
            });
        }
    }
    if d.entity_count() == 0 {
        return Err(ExportError::Empty("the plan has no geometry".into()));
    }
    Ok(d)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn interior_lot() -> SitePlan {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../fixtures/site/interior_lot.json"
        );
        SitePlan::read(path).unwrap()
    }

    #[test]
    fn parcel_edges_carry_their_side_role_setback_and_geodesic_length() {
        let d = site_plan_drawing(
            &interior_lot(),
            &SiteDrawingOptions {
                labels: true,
                ..Default::default()
            },
        )
        .unwrap();
        // the plan's own sides, each labelled once, instead of every ring
        // edge dimensioned
        assert!(d.layers.iter().all(|l| l.name != "dimensions"));
        let sides = d.layers.iter().find(|l| l.name == "parcel-sides").unwrap();
        assert_eq!(sides.entities.len(), 4);
        let front = sides.entities[0].label.as_deref().unwrap();
        // the service says side-0 is 20.01 m long
        assert_eq!(front, "front · 20.01 m");
        // the setback is a line of its own from the house to the side,
        // labelled with the distance drawn: the fixture's house stands 8 m
        // behind the front line (scripts/make_fixtures.py)
        let setbacks = d.layers.iter().find(|l| l.name == "setbacks").unwrap();
        assert_eq!(setbacks.entities.len(), 4);
        assert!(
            setbacks.entities[0]
                .label
                .as_deref()
                .unwrap()
                .starts_with("8.00 m"),
            "{:?}",
            setbacks.entities[0].label
        );
        let fence = d.layers.iter().find(|l| l.name == "fence-layout").unwrap();
        assert_eq!(fence.entities.len(), 1);
        let Shape::Polyline(l) = &fence.entities[0].shape else {
            panic!("polyline")
        };
        assert_eq!(l.0.len(), 4);
        // native drawings keep coordinates: the sides are data there too,
        // without labels
        let n = site_plan_drawing(
            &interior_lot(),
            &SiteDrawingOptions {
                native: true,
                ..Default::default()
            },
        )
        .unwrap();
        assert!(n.layers.iter().all(|l| l.name != "dimensions"));
        let sides = n.layers.iter().find(|l| l.name == "parcel-sides").unwrap();
        assert!(sides.entities.iter().all(|e| e.label.is_none()));
        assert_eq!(n.units, Units::Degrees);
    }

    #[test]
    fn the_buildable_envelope_is_a_layer_of_its_own() {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../fixtures/analyzed/flag_lot_analyzed.json");
        let plan = SitePlan::read(&path).unwrap();
        let d = site_plan_drawing(&plan, &SiteDrawingOptions::default()).unwrap();
        let env = d
            .layers
            .iter()
            .find(|l| l.name == "buildable-envelope")
            .expect("an envelope layer");
        assert_eq!(env.entities.len(), 1);
        let e = &env.entities[0];
        assert!(matches!(e.shape, Shape::Area(_)));
        assert!(
            e.attributes
                .iter()
                .any(|(k, v)| k == "footprintFits" && *v == Value::Bool(true))
        );
        let area = e
            .attributes
            .iter()
            .find_map(|(k, v)| match (k.as_str(), v) {
                ("areaSqm", Value::Real(a)) => Some(*a),
                _ => None,
            });
        // shapely's exact construction gives 716.91 m²
        assert!((area.unwrap() - 716.91).abs() < 0.05);
        // drawn in the local metric frame: the polygon's own area agrees
        if let Shape::Area(poly) = &e.shape {
            let shoelace: f64 = poly
                .exterior()
                .0
                .windows(2)
                .map(|w| w[0].x * w[1].y - w[1].x * w[0].y)
                .sum::<f64>()
                / 2.0;
            assert!((shoelace.abs() - 716.91).abs() < 1.0, "{shoelace}");
        }
    }

    #[test]
    fn yards_with_ground_are_drawn_first_with_kind_and_area() {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../fixtures/analyzed/flag_lot_analyzed.json"
        );
        let plan = SitePlan::read(path).unwrap();
        let options = SiteDrawingOptions {
            labels: true,
            ..Default::default()
        };
        let d = site_plan_drawing(&plan, &options).unwrap();
        let yards = &d.layers[0];
        assert_eq!(yards.name, "yards");
        assert_eq!(yards.entities.len(), 3);
        let side = &yards.entities[2];
        assert!(matches!(side.shape, Shape::Multi(_)), "{:?}", side.shape);
        assert!(side.label.as_deref().unwrap().starts_with("side yard "));
        assert!(
            side.attributes
                .iter()
                .any(|(k, v)| k == "kind" && *v == Value::Text("side".into()))
        );
        // in feet, areas in square feet
        let ft = site_plan_drawing(
            &plan,
            &SiteDrawingOptions {
                units: Units::Feet,
                ..options
            },
        )
        .unwrap();
        let label = ft.layers[0].entities[0].label.clone().unwrap();
        assert!(label.ends_with(" ft²"), "{label}");
    }
}
