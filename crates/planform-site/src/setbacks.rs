//! The setback report: the distance from the primary building's footprint
//! (the largest `building` feature) to each parcel side, in feet, against
//! the zoning minimum for the side's role.
//!
//! Minimums come from an OZFS zoning file (a district's `setback_front`,
//! `setback_side_int`, `setback_side_ext`, `setback_rear`, feet) or from a
//! plain JSON object (`{"front": 25, "rear": 25, "interior": 10,
//! "exterior": 15}`). OZFS lists candidate values under conditions planform
//! cannot evaluate (street class, floors, proximity to other districts):
//! among the entries whose `res_type` condition admits the requested
//! residence type (or that have none), the largest plain number is taken:
//! the conservative reading. Expressions that are not plain numbers are
//! skipped.

use geo_types::Coord;
use planform_model::analysis::{SetbackReport, SideRole, SideSetback};
use planform_model::units::FT_TO_M;
use serde_json::{Number, Value};

use crate::error::{Result, SiteError};
use crate::sides::SideGeom;

/// Minimum setbacks by side role, feet (`None`: no minimum).
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Minimums {
    /// Front.
    pub front: Option<f64>,
    /// Rear.
    pub rear: Option<f64>,
    /// Interior side.
    pub interior: Option<f64>,
    /// Exterior (street) side.
    pub exterior: Option<f64>,
}

impl Minimums {
    /// The minimum for a role.
    pub fn for_role(&self, role: &SideRole) -> Option<f64> {
        match role {
            SideRole::Front => self.front,
            SideRole::Rear => self.rear,
            SideRole::Interior => self.interior,
            SideRole::Exterior => self.exterior,
            _ => None,
        }
    }

    /// The minimum a side must keep: its role's, or for an undecided role
    /// the strictest one given (a side nothing decides is held to the
    /// worst case, never waved through).
    pub fn required_for(&self, role: &SideRole) -> Option<f64> {
        if is_decided(role) {
            self.for_role(role)
        } else {
            [self.front, self.rear, self.interior, self.exterior]
                .into_iter()
                .flatten()
                .reduce(f64::max)
        }
    }

    /// Whether no minimum is given at all.
    pub fn is_empty(&self) -> bool {
        [self.front, self.rear, self.interior, self.exterior]
            .iter()
            .all(Option::is_none)
    }

    /// From `{"front": ft, "rear": ft, "interior": ft, "exterior": ft}`.
    pub fn from_json(v: &Value) -> Result<Self> {
        let o = v
            .as_object()
            .ok_or_else(|| SiteError::invalid("minimums", "expected a JSON object"))?;
        let get = |k: &str| -> Result<Option<f64>> {
            match o.get(k) {
                None | Some(Value::Null) => Ok(None),
                Some(x) => x
                    .as_f64()
                    .filter(|f| f.is_finite() && *f >= 0.0)
                    .map(Some)
                    .ok_or_else(|| {
                        SiteError::invalid(format!("minimums/{k}"), "expected feet ≥ 0")
                    }),
            }
        };
        Ok(Self {
            front: get("front")?,
            rear: get("rear")?,
            interior: get("interior")?,
            exterior: get("exterior")?,
        })
    }

    /// From an OZFS zoning document's district `district` (its
    /// `dist_abbr`), for residence type `res_type` (e.g. `1_unit`).
    pub fn from_ozfs(doc: &Value, district: &str, res_type: &str) -> Result<Self> {
        let features = doc
            .get("features")
            .and_then(Value::as_array)
            .ok_or_else(|| SiteError::invalid("zoning", "no features"))?;
        let d = features
            .iter()
            .find(|f| f["properties"]["dist_abbr"].as_str() == Some(district))
            .ok_or_else(|| {
                let known: Vec<&str> = features
                    .iter()
                    .filter_map(|f| f["properties"]["dist_abbr"].as_str())
                    .collect();
                SiteError::invalid(
                    "zoning",
                    format!("no district {district:?} (districts: {})", known.join(", ")),
                )
            })?;
        let c = &d["properties"]["constraints"];
        let rule = |k: &str| ozfs_min(&c[k], res_type);
        Ok(Self {
            front: rule("setback_front"),
            rear: rule("setback_rear"),
            interior: rule("setback_side_int"),
            exterior: rule("setback_side_ext"),
        })
    }
}

/// The conservative minimum of one OZFS constraint (see the module docs).
fn ozfs_min(c: &Value, res_type: &str) -> Option<f64> {
    let strings = |v: &Value| -> Vec<String> {
        match v {
            Value::String(s) => vec![s.clone()],
            Value::Array(a) => a
                .iter()
                .filter_map(|x| x.as_str().map(str::to_owned))
                .collect(),
            _ => Vec::new(),
        }
    };
    c.get("min_val")?
        .as_array()?
        .iter()
        .filter(|entry| {
            let conds = strings(&entry["condition"]);
            let res: Vec<&String> = conds.iter().filter(|s| s.contains("res_type")).collect();
            res.is_empty() || res.iter().any(|s| s.contains(&format!("'{res_type}'")))
        })
        .flat_map(|entry| strings(&entry["expression"]))
        .filter_map(|e| e.trim().parse::<f64>().ok())
        .filter(|v| v.is_finite() && *v >= 0.0)
        .reduce(f64::max)
}

/// The squared distance between segments `a`–`b` and `c`–`d`: zero where
/// they cross, else the least of their ends' distances to the other.
fn seg_seg2(a: Coord<f64>, b: Coord<f64>, c: Coord<f64>, d: Coord<f64>) -> f64 {
    let cross = |o: Coord<f64>, p: Coord<f64>, q: Coord<f64>| {
        (p.x - o.x) * (q.y - o.y) - (p.y - o.y) * (q.x - o.x)
    };
    let (d1, d2, d3, d4) = (
        cross(a, b, c),
        cross(a, b, d),
        cross(c, d, a),
        cross(c, d, b),
    );
    if d1 * d2 < 0.0 && d3 * d4 < 0.0 {
        return 0.0;
    }
    point_seg2(a, c, d)
        .min(point_seg2(b, c, d))
        .min(point_seg2(c, a, b))
        .min(point_seg2(d, a, b))
}

/// The squared distance from `p` to segment `a`–`b`.
fn point_seg2(p: Coord<f64>, a: Coord<f64>, b: Coord<f64>) -> f64 {
    let (ab, ap) = (b - a, p - a);
    let len2 = ab.x * ab.x + ab.y * ab.y;
    let t = if len2 > 0.0 {
        ((ap.x * ab.x + ap.y * ab.y) / len2).clamp(0.0, 1.0)
    } else {
        0.0
    };
    let (dx, dy) = (ap.x - ab.x * t, ap.y - ab.y * t);
    dx * dx + dy * dy
}

/// The least distance between a footprint ring and a side, metres.
///
/// By hand, in squared distances with one square root at the end: `geo`'s
/// point-to-segment distance takes libm's `hypot` per pair, which was a
/// tenth of a concave lot's analysis (256 calls on the flag lot). Checked
/// against `geo` in the tests below.
pub fn distance_to_side(footprint: &[Coord<f64>], side: &SideGeom) -> f64 {
    let mut best = f64::INFINITY;
    for f in footprint.windows(2) {
        for s in side.points.windows(2) {
            best = best.min(seg_seg2(f[0], f[1], s[0], s[1]));
        }
    }
    best.sqrt()
}

/// A JSON number to the thousandth (0.3 mm in feet, 1 mm in metres).
fn num(v: f64) -> Option<Number> {
    Number::from_f64((v * 1000.0).round() / 1000.0)
}

/// Whether a role is one zoning gives minimums for (front, rear, interior,
/// exterior); `unknown` and unfamiliar values are undecided.
pub fn is_decided(role: &SideRole) -> bool {
    matches!(
        role,
        SideRole::Front | SideRole::Rear | SideRole::Interior | SideRole::Exterior
    )
}

/// The report for sides `(id, role, geometry)` and a footprint ring in the
/// same local frame: each side's distance to the footprint against its
/// required minimum ([`Minimums::required_for`]). Undecided sides are
/// reported as such (`roleUndecided`, counted in `undecidedSides`), never
/// as compliant; with no minimums at all, `compliantSides` is left out.
pub fn setback_report(
    sides: &[(String, SideRole, &SideGeom)],
    footprint: &[Coord<f64>],
    minimums: &Minimums,
) -> SetbackReport {
    let (mut compliant, mut undecided) = (0, 0);
    let by_side: Vec<SideSetback> = sides
        .iter()
        .map(|(id, role, g)| {
            let feet = distance_to_side(footprint, g) / FT_TO_M;
            let required = minimums.required_for(role);
            let decided = is_decided(role);
            // an undecided side is held to the strictest minimum but never
            // counted compliant; a decided side without a minimum complies
            let ok = if decided {
                required.map(|r| feet + 1e-9 >= r)
            } else {
                None
            };
            if !decided {
                undecided += 1;
            } else if ok.unwrap_or(true) {
                compliant += 1;
            }
            let mut row = SideSetback {
                side_id: Some(id.clone()),
                actual_feet: num(feet),
                required_feet: required.and_then(num),
                compliant: ok,
                ..SideSetback::default()
            };
            if !decided {
                row.extra.insert("roleUndecided".into(), Value::Bool(true));
            }
            row
        })
        .collect();
    let mut report = SetbackReport {
        total_sides: Some(Number::from(by_side.len())),
        // with no minimums nothing is claimed
        compliant_sides: (!minimums.is_empty()).then(|| Number::from(compliant)),
        by_side: Some(by_side),
        ..SetbackReport::default()
    };
    report
        .extra
        .insert("undecidedSides".into(), Value::from(undecided));
    report
}

#[cfg(test)]
mod tests {
    use super::*;

    fn side(a: (f64, f64), b: (f64, f64)) -> SideGeom {
        SideGeom {
            index: 0,
            points: vec![Coord { x: a.0, y: a.1 }, Coord { x: b.0, y: b.1 }],
            curved: false,
        }
    }

    #[test]
    fn side_distances_are_geos_line_string_distance() {
        use geo::{Distance, Euclidean, LineString};
        // a small deterministic generator (xorshift)
        let mut state = 0x853c_49e6_748f_ea9b_u64;
        let mut next = move || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state >> 11) as f64 / (1u64 << 53) as f64 * 40.0 - 20.0
        };
        for _ in 0..500 {
            let ring: Vec<Coord<f64>> = (0..5)
                .map(|_| Coord {
                    x: next(),
                    y: next(),
                })
                .collect();
            let points: Vec<Coord<f64>> = (0..3)
                .map(|_| Coord {
                    x: next(),
                    y: next(),
                })
                .collect();
            let s = SideGeom {
                index: 0,
                points: points.clone(),
                curved: true,
            };
            let ours = distance_to_side(&ring, &s);
            let theirs = Euclidean.distance(&LineString::from(ring), &LineString::from(points));
            assert!((ours - theirs).abs() < 1e-12, "{ours} vs {theirs}");
        }
    }

    #[test]
    fn distances_minimums_and_compliance() {
        // a 10 × 10 m house 6.096 m (20 ft) from the front line y = 0
        let house: Vec<Coord<f64>> = [
            (5.0, 6.096),
            (15.0, 6.096),
            (15.0, 16.096),
            (5.0, 16.096),
            (5.0, 6.096),
        ]
        .iter()
        .map(|&(x, y)| Coord { x, y })
        .collect();
        let front = side((0.0, 0.0), (20.0, 0.0));
        let east = side((20.0, 0.0), (20.0, 40.0));
        assert!((distance_to_side(&house, &front) - 6.096).abs() < 1e-12);
        let m = Minimums {
            front: Some(25.0),
            interior: Some(10.0),
            ..Minimums::default()
        };
        let r = setback_report(
            &[
                ("side-0".into(), SideRole::Front, &front),
                ("side-1".into(), SideRole::Interior, &east),
            ],
            &house,
            &m,
        );
        let by = r.by_side.unwrap();
        assert_eq!(by[0].actual_feet.as_ref().unwrap().as_f64(), Some(20.0));
        assert_eq!(by[0].compliant, Some(false));
        assert_eq!(by[1].actual_feet.as_ref().unwrap().as_f64(), Some(16.404));
        assert_eq!(by[1].compliant, Some(true));
        assert_eq!(r.compliant_sides.unwrap().as_u64(), Some(1));
    }

    #[test]
    fn ozfs_minimums_take_the_conservative_candidate() {
        let doc: Value = serde_json::from_str(
            r#"{"features":[{"properties":{"dist_abbr":"R-1","constraints":{
              "setback_front":{"min_val":[{"condition":["25 for residential, 35 for major","res_type == '2_unit'"],"expression":["25","35"]},
                                          {"condition":["x","res_type == '1_unit'"],"expression":["20","30"]}]},
              "setback_side_int":{"min_val":[{"expression":["10"]}]},
              "setback_rear":{"min_val":[{"expression":["0.2 * lot_depth","25"]}]}}}}]}"#,
        )
        .unwrap();
        let m = Minimums::from_ozfs(&doc, "R-1", "1_unit").unwrap();
        assert_eq!(
            m,
            Minimums {
                front: Some(30.0),
                rear: Some(25.0),
                interior: Some(10.0),
                exterior: None
            }
        );
        assert!(
            Minimums::from_ozfs(&doc, "X", "1_unit")
                .unwrap_err()
                .to_string()
                .contains("R-1")
        );
        let j = Minimums::from_json(&serde_json::json!({"front": 25, "rear": null})).unwrap();
        assert_eq!(j.front, Some(25.0));
        assert!(Minimums::from_json(&serde_json::json!({"front": -1})).is_err());
    }
}
