//! What a site plan adds to its sheet: setback dimension lines from the
//! primary building to each lot line (required against actual, short ones
//! on a layer of their own, drawn red), and the title block (address,
//! parcel, lot area, coverage, setbacks, date, units, sources).

use geo::{Area, Closest, ClosestPoint};
use geo_types::{Coord, LineString, Point, Polygon};
use planform_model::SitePlan;
use serde_json::Value as Json;

use crate::drawing::{Drawing, Entity, Shape, Units, Value};
use crate::sheet::TitleBlock;

/// Areas of a shape's polygons.
fn polygons(shape: &Shape) -> Vec<&Polygon<f64>> {
    match shape {
        Shape::Area(p) => vec![p],
        Shape::Multi(parts) => parts.iter().flat_map(polygons).collect(),
        _ => Vec::new(),
    }
}

fn layer_area(d: &Drawing, name: &str) -> f64 {
    d.layers
        .iter()
        .filter(|l| l.name == name)
        .flat_map(|l| &l.entities)
        .flat_map(|e| polygons(&e.shape))
        .map(Area::unsigned_area)
        .sum()
}

/// The largest building footprint of the drawing.
fn primary_building(d: &Drawing) -> Option<Polygon<f64>> {
    d.layers
        .iter()
        .filter(|l| l.name == "building")
        .flat_map(|l| &l.entities)
        .flat_map(|e| polygons(&e.shape))
        .max_by(|a, b| a.unsigned_area().total_cmp(&b.unsigned_area()))
        .cloned()
}

fn closest(l: &LineString<f64>, p: Coord<f64>) -> Option<Coord<f64>> {
    match l.closest_point(&Point::from(p)) {
        Closest::Intersection(q) | Closest::SinglePoint(q) => Some(q.0),
        Closest::Indeterminate => None,
    }
}

/// The closest pair of points of two polylines (the nearest distance
/// between two polylines is reached at a vertex of one of them), footprint
/// side first.
fn nearest_pair(a: &LineString<f64>, b: &LineString<f64>) -> Option<(Coord<f64>, Coord<f64>)> {
    let d2 = |p: Coord<f64>, q: Coord<f64>| (p.x - q.x).powi(2) + (p.y - q.y).powi(2);
    let from_a = a.0.iter().filter_map(|&p| Some((p, closest(b, p)?)));
    let from_b = b.0.iter().filter_map(|&q| Some((closest(a, q)?, q)));
    from_a
        .chain(from_b)
        .min_by(|x, y| d2(x.0, x.1).total_cmp(&d2(y.0, y.1)))
}

fn real(attributes: &[(String, Value)], key: &str) -> Option<f64> {
    attributes.iter().find_map(|(k, v)| match v {
        Value::Real(r) if k == key => Some(*r),
        _ => None,
    })
}

/// A length in feet, in the drawing's units.
fn feet_label(ft: f64, units: Units) -> String {
    if units == Units::Feet {
        format!("{ft:.1} ft")
    } else {
        format!("{:.2} m", ft * planform_model::units::FT_TO_M)
    }
}

/// The `setbacks` and `setbacks-short` layers: from the primary building
/// to each side of `parcel-sides` that the setback report measured, a line
/// labelled with the actual and the required distance.
pub(crate) fn setback_lines(d: &mut Drawing, styles: &crate::style::Styles, labels: bool) {
    let Some(building) = primary_building(d) else {
        return;
    };
    let mut ok = Vec::new();
    let mut short = Vec::new();
    for side in d
        .layers
        .iter()
        .filter(|l| l.name == "parcel-sides")
        .flat_map(|l| &l.entities)
    {
        let Shape::Polyline(line) = &side.shape else {
            continue;
        };
        if real(&side.attributes, "actualFeet").is_none() {
            continue;
        }
        let required = real(&side.attributes, "requiredFeet");
        let compliant = side.attributes.iter().find_map(|(k, v)| match v {
            Value::Bool(b) if k == "compliant" => Some(*b),
            _ => None,
        });
        let Some((p, q)) = nearest_pair(building.exterior(), line) else {
            continue;
        };
        if p == q {
            continue;
        }
        // the distance drawn (the report's own figure stays an attribute:
        // a plan's numbers may come from another footprint)
        let drawn = (q.x - p.x).hypot(q.y - p.y) * d.units.metres().unwrap_or(1.0)
            / planform_model::units::FT_TO_M;
        let text = labels.then(|| match required {
            Some(r) => format!(
                "{} (min {})",
                feet_label(drawn, d.units),
                feet_label(r, d.units)
            ),
            None => feet_label(drawn, d.units),
        });
        let mut attributes: Vec<(String, Value)> = side
            .attributes
            .iter()
            .filter(|(k, _)| {
                ["id", "role", "requiredFeet", "actualFeet", "compliant"].contains(&k.as_str())
            })
            .cloned()
            .collect();
        attributes.retain(|(k, _)| k != "id");
        if let Some((_, id)) = side.attributes.iter().find(|(k, _)| k == "id") {
            attributes.insert(0, ("sideId".into(), id.clone()));
        }
        let e = Entity {
            shape: Shape::Polyline(LineString::from(vec![p, q])),
            label: text,
            attributes,
        };
        if compliant == Some(false) {
            short.push(e);
        } else {
            ok.push(e);
        }
    }
    for (name, entities) in [("setbacks", ok), ("setbacks-short", short)] {
        if !entities.is_empty() {
            d.layer_mut(name, || styles.get(name))
                .entities
                .extend(entities);
        }
    }
}

fn text_of<'a>(o: &'a serde_json::Map<String, Json>, keys: &[&str]) -> Option<&'a str> {
    keys.iter()
        .find_map(|k| o.get(*k).and_then(Json::as_str))
        .map(str::trim)
        .filter(|s| !s.is_empty())
}

/// Today's date (UTC) as `YYYY-MM-DD`, or the date of `SOURCE_DATE_EPOCH`
/// when set (reproducible sheets).
pub fn today() -> String {
    let secs = std::env::var("SOURCE_DATE_EPOCH")
        .ok()
        .and_then(|v| v.trim().parse::<i64>().ok())
        .unwrap_or_else(|| {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.as_secs() as i64)
        });
    civil(secs)
}

/// Seconds since the Unix epoch to a civil date `YYYY-MM-DD` (Howard
/// Hinnant's days-to-civil algorithm).
fn civil(secs: i64) -> String {
    let z = secs.div_euclid(86_400) + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!("{year:04}-{month:02}-{day:02}")
}

fn area_text(m2: f64, units: Units) -> String {
    if units == Units::Feet {
        format!("{:.0} sq ft", m2 / planform_model::units::FT_TO_M.powi(2))
    } else {
        format!("{m2:.1} m²")
    }
}

/// Lot area, building coverage, setbacks and buildable area rows.
fn analysis_rows(plan: &SitePlan, d: &Drawing, rows: &mut Vec<(String, String)>) {
    let m2 = d.units.metres().unwrap_or(1.0).powi(2);
    let lot = layer_area(d, "parcel") * m2;
    if lot > 0.0 {
        rows.push(("Lot area".into(), area_text(lot, d.units)));
        let built = layer_area(d, "building") * m2;
        if built > 0.0 {
            rows.push((
                "Building coverage".into(),
                format!(
                    "{:.1} % ({})",
                    100.0 * built / lot,
                    area_text(built, d.units)
                ),
            ));
        }
    }
    if let Some(r) = plan
        .analysis
        .as_ref()
        .and_then(|a| a.setback_report.as_ref())
    {
        let n = |v: &Option<serde_json::Number>| v.as_ref().and_then(serde_json::Number::as_u64);
        if let (Some(c), Some(t)) = (n(&r.compliant_sides), n(&r.total_sides)) {
            rows.push(("Setbacks".into(), format!("{c} of {t} sides compliant")));
        }
    }
    if let Some(a) = plan
        .analysis
        .as_ref()
        .and_then(|a| a.buildable_envelope.as_ref())
        .and_then(|e| e.area_sqm.as_ref())
        .and_then(serde_json::Number::as_f64)
    {
        rows.push(("Buildable area".into(), area_text(a, d.units)));
    }
}

/// The title block of a site plan's sheet: the address (the plan's
/// top-level `address`, else the parcel feature's), then parcel id, lot
/// type, lot area, building coverage, setbacks, buildable area, date,
/// units and frame, and the data sources.
pub fn title_block(plan: &SitePlan, d: &Drawing, date: &str) -> TitleBlock {
    const ADDRESS: [&str; 6] = [
        "address",
        "ADDRESS",
        "situsAddress",
        "SITUS_ADDR",
        "formattedAddress",
        "addr",
    ];
    let parcel = plan
        .features
        .iter()
        .find(|f| f.catalog_type() == Some(&planform_model::CatalogType::Parcel))
        .and_then(|f| f.properties.as_ref())
        .map(planform_model::Properties::to_object)
        .unwrap_or_default();
    let title = text_of(&plan.extra, &ADDRESS)
        .or_else(|| text_of(&parcel, &ADDRESS))
        .or_else(|| text_of(&plan.extra, &["name"]))
        .unwrap_or("Site plan")
        .to_owned();
    let mut rows: Vec<(String, String)> = Vec::new();
    let attrs = parcel.get("attrs").and_then(Json::as_object);
    let id = text_of(
        &parcel,
        &["parcelId", "apn", "APN", "PARCEL_ID", "pin", "PIN"],
    )
    .or_else(|| attrs.and_then(|a| text_of(a, &["parcelId", "apn"])));
    if let Some(id) = id {
        rows.push(("Parcel".into(), id.to_owned()));
    }
    if let Some(kind) = plan
        .parcel
        .as_ref()
        .and_then(|p| p.classification.as_ref())
        .and_then(|c| c.class.as_ref())
    {
        rows.push(("Lot type".into(), kind.as_str().to_owned()));
    }
    analysis_rows(plan, d, &mut rows);
    rows.push(("Date".into(), date.to_owned()));
    let units = match d.units {
        Units::Feet => "feet",
        Units::Metres => "metres",
        Units::Millimetres => "millimetres",
        Units::Pixels => "pixels",
        Units::Degrees => "degrees",
    };
    rows.push((
        "Units".into(),
        match d.epsg {
            Some(code) => format!("{units}, EPSG:{code}, grid north"),
            None => units.to_owned(),
        },
    ));
    let engine = text_of(&plan.extra, &["generatedBy", "engine", "source"]);
    let service = if plan.is_site_plan() {
        "GetSitePlan.ai"
    } else {
        "GeoJSON"
    };
    rows.push((
        "Sources".into(),
        format!(
            "{}; planform {}",
            engine.map_or_else(|| service.to_owned(), |e| format!("{service} ({e})")),
            env!("CARGO_PKG_VERSION")
        ),
    ));
    TitleBlock { title, rows }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn civil_dates() {
        assert_eq!(civil(0), "1970-01-01");
        assert_eq!(civil(951_782_400), "2000-02-29");
        assert_eq!(civil(1_796_601_600 + 86_399), "2026-12-07");
        assert_eq!(civil(-86_400), "1969-12-31");
        assert_eq!(today().len(), 10);
    }

    #[test]
    fn nearest_pairs_reach_vertices_of_either_line() {
        let a = LineString::from(vec![(0.0, 0.0), (10.0, 0.0)]);
        let b = LineString::from(vec![(5.0, 3.0), (5.0, 10.0)]);
        let (p, q) = nearest_pair(&a, &b).unwrap();
        assert_eq!((p, q), (Coord { x: 5.0, y: 0.0 }, Coord { x: 5.0, y: 3.0 }));
    }
}
