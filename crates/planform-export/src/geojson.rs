//! RFC 7946 GeoJSON: a site plan normalised so that the strictest GeoJSON
//! readers take it, and that still reads back as the same `SitePlan`.
//!
//! - coordinates in WGS84 longitude/latitude: a plan whose `crs` member
//!   names a projected EPSG code is unprojected and the member dropped
//!   (RFC 7946 §4 has no `crs`);
//! - polygon rings follow the right-hand rule (§3.1.6): exteriors
//!   counter-clockwise, holes clockwise; unclosed rings are closed;
//! - an optional precision (§11.2: 7 decimals is about 1 cm), applied to
//!   every position of features and gates;
//! - a `bbox` member, when the plan has one, is recomputed.
//!
//! Properties, attrs, top-level records and unknown members are untouched.

use planform_model::{Geometry, GeometryValue, LocalFrame, Position, SitePlan};
use serde_json::Value as Json;

use crate::error::{ExportError, Result};

/// GeoJSON settings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct GeoJsonOptions {
    /// Decimals kept (`None`: every digit; `Some(7)`: about 1 cm).
    pub precision: Option<u8>,
}

/// Twice the signed area of a ring (positive: counter-clockwise).
fn signed_area2(ring: &[Position]) -> f64 {
    ring.windows(2)
        .map(|w| w[0].x() * w[1].y() - w[1].x() * w[0].y())
        .sum()
}

/// Closes a ring and orients it (counter-clockwise when `ccw`).
fn orient(ring: &mut Vec<Position>, ccw: bool) {
    if let (Some(a), Some(b)) = (ring.first(), ring.last())
        && (a.x(), a.y()) != (b.x(), b.y())
    {
        ring.push(a.clone());
    }
    let area = signed_area2(ring);
    if area != 0.0 && (area > 0.0) != ccw {
        ring.reverse();
    }
}

fn orient_polygon(rings: &mut [Vec<Position>]) {
    for (i, r) in rings.iter_mut().enumerate() {
        orient(r, i == 0);
    }
}

fn right_hand(g: &mut Geometry) {
    match &mut g.value {
        GeometryValue::Polygon(rings) => orient_polygon(rings),
        GeometryValue::MultiPolygon(polys) => {
            for p in polys {
                orient_polygon(p);
            }
        }
        GeometryValue::GeometryCollection(gs) => gs.iter_mut().for_each(right_hand),
        _ => {}
    }
}

fn round(v: f64, decimals: u8) -> f64 {
    let m = 10f64.powi(i32::from(decimals));
    let r = (v * m).round() / m;
    if r.is_finite() { r } else { v }
}

/// The plan as RFC 7946 GeoJSON wants it (see the module docs).
pub fn rfc7946(plan: &SitePlan, o: &GeoJsonOptions) -> Result<SitePlan> {
    let mut out = plan.clone();
    let from = if plan.is_wgs84() {
        None
    } else {
        let code = plan.declared_epsg().ok_or_else(|| {
            ExportError::Option("the plan's `crs` member names no EPSG code".into())
        })?;
        Some(LocalFrame::from_epsg(code)?)
    };
    out.extra.remove("crs");
    let mut err = None;
    let mut fix = |p: &mut Position| {
        if let Some(f) = &from {
            match f.inverse(p.x(), p.y()) {
                Ok((x, y)) => p.set_xy(x, y),
                Err(e) => {
                    err.get_or_insert(e);
                    return;
                }
            }
        }
        if let Some(d) = o.precision {
            p.set_xy(round(p.x(), d), round(p.y(), d));
        }
    };
    for f in &mut out.features {
        if let Some(g) = &mut f.geometry {
            g.map_positions(&mut fix);
            right_hand(g);
        }
    }
    for gate in out.gates.iter_mut().flatten() {
        if let Some(c) = &mut gate.coordinates {
            c.iter_mut().for_each(&mut fix);
        }
    }
    if let Some(e) = err {
        return Err(e.into());
    }
    if out.extra.contains_key("bbox") {
        let b = out
            .features
            .iter()
            .filter_map(|f| f.geometry.as_ref())
            .fold(
                [
                    f64::INFINITY,
                    f64::INFINITY,
                    f64::NEG_INFINITY,
                    f64::NEG_INFINITY,
                ],
                |mut b, g| {
                    g.for_each_position(&mut |p| {
                        b = [
                            b[0].min(p.x()),
                            b[1].min(p.y()),
                            b[2].max(p.x()),
                            b[3].max(p.y()),
                        ];
                    });
                    b
                },
            );
        if b[0].is_finite() {
            out.extra.insert(
                "bbox".into(),
                Json::Array(b.iter().map(|v| Json::from(*v)).collect()),
            );
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plan(json: &str) -> SitePlan {
        SitePlan::from_slice(json.as_bytes()).unwrap()
    }

    #[test]
    fn rings_follow_the_right_hand_rule_and_are_closed() {
        // a clockwise exterior (unclosed) with a counter-clockwise hole
        let p = plan(
            r#"{"type":"FeatureCollection","bbox":[0,0,0,0],"features":[{"type":"Feature","properties":{"catalogType":"pool"},
            "geometry":{"type":"Polygon","coordinates":[[[0,0],[0,10],[10,10],[10,0]],[[2,2],[4,2],[4,4],[2,2]]]}}]}"#,
        );
        let out = rfc7946(&p, &GeoJsonOptions::default()).unwrap();
        let Some(Geometry {
            value: GeometryValue::Polygon(rings),
            ..
        }) = &out.features[0].geometry
        else {
            panic!("polygon")
        };
        assert!(signed_area2(&rings[0]) > 0.0);
        assert!(signed_area2(&rings[1]) < 0.0);
        assert_eq!(rings[0].len(), 5);
        assert_eq!(rings[0][0], rings[0][4]);
        let bbox = out.extra["bbox"].as_array().unwrap();
        assert_eq!(bbox[2].as_f64(), Some(10.0));
    }

    #[test]
    fn projected_plans_are_unprojected_and_rounded() {
        // EPSG:3857 (x, y) of lon 10, lat 50 is (1113194.9079, 6446275.8410)
        let p = plan(
            r#"{"type":"FeatureCollection","crs":{"type":"name","properties":{"name":"urn:ogc:def:crs:EPSG::3857"}},
            "features":[{"type":"Feature","properties":{},"geometry":{"type":"Point","coordinates":[1113194.9079327357,6446275.841017158]}}]}"#,
        );
        let out = rfc7946(&p, &GeoJsonOptions { precision: Some(7) }).unwrap();
        assert!(!out.extra.contains_key("crs"));
        let Some(Geometry {
            value: GeometryValue::Point(pt),
            ..
        }) = &out.features[0].geometry
        else {
            panic!("point")
        };
        assert!((pt.x() - 10.0).abs() < 1e-9 && (pt.y() - 50.0).abs() < 1e-9);
        let text = String::from_utf8(out.to_vec().unwrap()).unwrap();
        assert!(text.contains("[10.0,50.0]"), "{text}");
    }
}
