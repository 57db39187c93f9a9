//! The output contract: one GeoJSON FeatureCollection per mask, and the
//! model's [`FloorPlan`] for the export crate.
//!
//! ```json
//! {"type": "FeatureCollection",
//!  "planform": {"units": "px" | "m", "pxPerM": 52.3 | null, "imageWidth": 600, "imageHeight": 400},
//!  "features": [{"type": "Feature", "geometry": {"type": "Polygon", ...},
//!                "properties": {"kind": "wall", "area": 1234.5}}]}
//! ```
//!
//! Coordinates: x right, y up, origin at the image's bottom-left corner, in
//! pixels, or in metres when a scale is given (then optionally moved by an
//! affine placement into a site plan's local frame).

use geo_types::{Coord, LineString, Polygon};
use planform_model::{FloorPlan, PlanUnits};
use serde_json::{Value, json};

use crate::centerline::Centerlines;
use crate::error::{Result, WallsError};
use crate::outline::Outlines;

/// An affine map `x' = a·x + b·y + c`, `y' = d·x + e·y + f`, applied to
/// metre coordinates (for example a rotation and translation into a site
/// plan's UTM frame).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Affine(pub [f64; 6]);

impl Affine {
    /// Applies the map.
    pub fn apply(&self, c: Coord<f64>) -> Coord<f64> {
        let [a, b, cc, d, e, f] = self.0;
        Coord {
            x: a * c.x + b * c.y + cc,
            y: d * c.x + e * c.y + f,
        }
    }

    /// The map's determinant (negative: it mirrors, so ring orientation flips).
    pub fn determinant(&self) -> f64 {
        self.0[0] * self.0[4] - self.0[1] * self.0[3]
    }
}

/// How to scale and place the output.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct OutputOptions {
    /// Pixels per metre: when given, coordinates are written in metres.
    pub px_per_m: Option<f64>,
    /// Placement of the metre coordinates (needs `px_per_m`).
    pub placement: Option<Affine>,
}

impl OutputOptions {
    fn check(&self) -> Result<()> {
        if let Some(s) = self.px_per_m.filter(|s| !(s.is_finite() && *s > 0.0)) {
            return Err(WallsError::InvalidOption {
                name: "px_per_m",
                reason: format!("{s} is not a positive number"),
            });
        }
        if let Some(p) = self.placement {
            if self.px_per_m.is_none() {
                return Err(WallsError::InvalidOption {
                    name: "placement",
                    reason: "needs px_per_m (placement is in metres)".into(),
                });
            }
            if !p.0.iter().all(|v| v.is_finite()) || p.determinant() == 0.0 {
                return Err(WallsError::InvalidOption {
                    name: "placement",
                    reason: "not an invertible finite affine map".into(),
                });
            }
        }
        Ok(())
    }

    /// The unit of the output.
    pub fn units(&self) -> PlanUnits {
        if self.px_per_m.is_some() {
            PlanUnits::Metres
        } else {
            PlanUnits::Pixels
        }
    }

    fn map(&self, c: Coord<f64>) -> Coord<f64> {
        match self.px_per_m {
            None => c,
            Some(s) => {
                let m = Coord {
                    x: c.x / s,
                    y: c.y / s,
                };
                self.placement.map_or(m, |p| p.apply(m))
            }
        }
    }

    fn map_ring(&self, r: &LineString<f64>) -> LineString<f64> {
        let mut out: Vec<Coord<f64>> = r.0.iter().map(|&c| self.map(c)).collect();
        if self.placement.is_some_and(|p| p.determinant() < 0.0) {
            out.reverse(); // keep exteriors counter-clockwise
        }
        LineString(out)
    }

    /// A polygon in output units.
    pub fn map_polygon(&self, p: &Polygon<f64>) -> Polygon<f64> {
        Polygon::new(
            self.map_ring(p.exterior()),
            p.interiors().iter().map(|r| self.map_ring(r)).collect(),
        )
    }

    /// Lengths scale by this factor from pixels to output units.
    pub fn length_factor(&self) -> f64 {
        let s = self.px_per_m.map_or(1.0, |s| 1.0 / s);
        s * self.placement.map_or(1.0, |p| p.determinant().abs().sqrt())
    }
}

fn ring_json(r: &LineString<f64>) -> Value {
    Value::Array(r.0.iter().map(|c| json!([c.x, c.y])).collect())
}

/// The `planform` member of the output collection.
pub fn header(width: u32, height: u32, options: &OutputOptions) -> Value {
    json!({"units": options.units().as_str(), "pxPerM": options.px_per_m,
           "imageWidth": width, "imageHeight": height})
}

/// Outline mode as the GeoJSON contract: one Polygon feature per wall
/// region, `properties.kind = "wall"` and `properties.area` (output units²).
pub fn outlines_geojson(o: &Outlines, options: &OutputOptions) -> Result<Value> {
    options.check()?;
    let features: Vec<Value> = o
        .polygons
        .iter()
        .map(|p| {
            let q = options.map_polygon(p);
            // `geo`'s area: the exterior's less the holes', whatever their
            // orientation
            let area = geo::Area::unsigned_area(&q);
            let rings: Vec<Value> = std::iter::once(q.exterior())
                .chain(q.interiors())
                .map(ring_json)
                .collect();
            json!({"type": "Feature", "geometry": {"type": "Polygon", "coordinates": rings},
                   "properties": {"kind": "wall", "area": area}})
        })
        .collect();
    Ok(
        json!({"type": "FeatureCollection", "planform": header(o.width, o.height, options), "features": features}),
    )
}

/// Outline mode as the model's [`FloorPlan`] (walls empty, outlines filled).
pub fn outlines_floor_plan(o: &Outlines, options: &OutputOptions) -> Result<FloorPlan> {
    options.check()?;
    Ok(FloorPlan {
        walls: Vec::new(),
        outlines: o.polygons.iter().map(|p| options.map_polygon(p)).collect(),
        rooms: Vec::new(),
        openings: Vec::new(),
        px_per_m: options.px_per_m,
        image_width: o.width,
        image_height: o.height,
        units: options.units(),
    })
}

/// Centreline mode as the GeoJSON contract: one LineString feature per
/// wall, `properties.kind = "wall"`, `properties.thickness` (output units).
pub fn centerlines_geojson(c: &Centerlines, options: &OutputOptions) -> Result<Value> {
    options.check()?;
    check_finite(c)?;
    let f = options.length_factor();
    let features: Vec<Value> = c
        .walls
        .iter()
        .map(|w| {
            let line = LineString(w.centerline.0.iter().map(|&p| options.map(p)).collect());
            json!({"type": "Feature", "geometry": {"type": "LineString", "coordinates": ring_json(&line)},
                   "properties": {"kind": w.kind.as_str(), "thickness": w.thickness * f}})
        })
        .collect();
    Ok(
        json!({"type": "FeatureCollection", "planform": header(c.width, c.height, options), "features": features}),
    )
}

/// Rooms and openings ([`crate::rooms`]) as features of the contract, to
/// follow a centreline collection's walls: one Polygon per room with
/// `kind = "room"` and `area` (output units²: px², or m² with a scale);
/// one LineString per opening, wall face to wall face, with
/// `kind = "opening"` and `width` (output units).
pub fn rooms_features(r: &crate::rooms::Rooms, options: &OutputOptions) -> Result<Vec<Value>> {
    let mut fp = FloorPlan::default();
    add_rooms(&mut fp, r, options)?;
    Ok(room_features(&fp))
}

/// A floor plan's rooms and openings as features.
fn room_features(fp: &FloorPlan) -> Vec<Value> {
    let rooms = fp.rooms.iter().map(|room| {
        let rings: Vec<Value> = std::iter::once(room.polygon.exterior())
            .chain(room.polygon.interiors())
            .map(ring_json)
            .collect();
        json!({"type": "Feature", "geometry": {"type": "Polygon", "coordinates": rings},
               "properties": {"kind": "room", "area": room.area}})
    });
    let openings = fp.openings.iter().map(|o| {
        json!({"type": "Feature", "geometry": {"type": "LineString", "coordinates": ring_json(&o.line)},
               "properties": {"kind": "opening", "width": o.width}})
    });
    rooms.chain(openings).collect()
}

/// Adds rooms and openings ([`crate::rooms`]) to a centreline
/// [`FloorPlan`] made with the same `options`, in its units.
pub fn add_rooms(
    fp: &mut FloorPlan,
    r: &crate::rooms::Rooms,
    options: &OutputOptions,
) -> Result<()> {
    options.check()?;
    let f = options.length_factor();
    fp.rooms
        .extend(r.rooms.iter().map(|room| planform_model::Room {
            polygon: options.map_polygon(&room.polygon),
            area: room.area * f * f,
        }));
    fp.openings
        .extend(r.openings.iter().map(|o| planform_model::Opening {
            line: LineString(vec![options.map(o.from), options.map(o.to)]),
            width: o.width * f,
        }));
    let finite = |v: f64| v.is_finite();
    let bad_room = fp.rooms.iter().position(|r| {
        !finite(r.area)
            || !r
                .polygon
                .exterior()
                .0
                .iter()
                .all(|c| finite(c.x) && finite(c.y))
    });
    let bad_opening = fp
        .openings
        .iter()
        .position(|o| !finite(o.width) || !o.line.0.iter().all(|c| finite(c.x) && finite(c.y)));
    if bad_room.is_some() || bad_opening.is_some() {
        return Err(WallsError::Contract {
            pointer: "/features".into(),
            reason: "a room's or an opening's coordinate, area or width is not finite".into(),
        });
    }
    Ok(())
}

/// A typed error naming the first wall with a coordinate or thickness that
/// is not finite (it would be written as `null`).
fn check_finite(c: &Centerlines) -> Result<()> {
    for (i, w) in c.walls.iter().enumerate() {
        if !(w.thickness.is_finite()
            && w.centerline
                .0
                .iter()
                .all(|p| p.x.is_finite() && p.y.is_finite()))
        {
            return Err(WallsError::Contract {
                pointer: format!("/features/{i}/geometry/coordinates"),
                reason: "a coordinate or the thickness is not finite".into(),
            });
        }
    }
    Ok(())
}

/// Centreline mode as the model's [`FloorPlan`] (walls filled, outlines empty).
pub fn centerlines_floor_plan(c: &Centerlines, options: &OutputOptions) -> Result<FloorPlan> {
    options.check()?;
    check_finite(c)?;
    let f = options.length_factor();
    Ok(FloorPlan {
        walls: c
            .walls
            .iter()
            .map(|w| planform_model::Wall {
                centerline: LineString(w.centerline.0.iter().map(|&p| options.map(p)).collect()),
                thickness: w.thickness * f,
                kind: w.kind.clone(),
            })
            .collect(),
        outlines: Vec::new(),
        rooms: Vec::new(),
        openings: Vec::new(),
        px_per_m: options.px_per_m,
        image_width: c.width,
        image_height: c.height,
        units: options.units(),
    })
}

/// A [`FloorPlan`] as the output contract (outlines as Polygon features,
/// walls as LineString features with `thickness` and `kind`): the inverse
/// of [`floor_plan_from_geojson`].
pub fn floor_plan_geojson(fp: &FloorPlan) -> Value {
    let mut features: Vec<Value> = fp
        .outlines
        .iter()
        .map(|p| {
            let rings: Vec<Value> = std::iter::once(p.exterior())
                .chain(p.interiors())
                .map(ring_json)
                .collect();
            json!({"type": "Feature", "geometry": {"type": "Polygon", "coordinates": rings},
                   "properties": {"kind": "wall"}})
        })
        .collect();
    features.extend(fp.walls.iter().map(|w| {
        json!({"type": "Feature", "geometry": {"type": "LineString", "coordinates": ring_json(&w.centerline)},
               "properties": {"kind": w.kind.as_str(), "thickness": w.thickness}})
    }));
    features.extend(room_features(fp));
    json!({"type": "FeatureCollection",
           "planform": {"units": fp.units.as_str(), "pxPerM": fp.px_per_m,
                        "imageWidth": fp.image_width, "imageHeight": fp.image_height},
           "features": features})
}

fn contract_err(pointer: impl Into<String>, reason: impl Into<String>) -> WallsError {
    WallsError::Contract {
        pointer: pointer.into(),
        reason: reason.into(),
    }
}

fn coords(v: &Value, at: &str) -> Result<LineString<f64>> {
    let arr = v
        .as_array()
        .ok_or_else(|| contract_err(at, "expected an array of positions"))?;
    arr.iter()
        .enumerate()
        .map(|(i, p)| {
            let xy = p
                .as_array()
                .filter(|a| a.len() >= 2)
                .and_then(|a| Some((a[0].as_f64()?, a[1].as_f64()?)))
                .filter(|(x, y)| x.is_finite() && y.is_finite());
            xy.map(|(x, y)| Coord { x, y })
                .ok_or_else(|| contract_err(format!("{at}/{i}"), "expected a finite [x, y]"))
        })
        .collect::<Result<Vec<_>>>()
        .map(LineString)
}

fn polygon(v: &Value, at: &str) -> Result<Polygon<f64>> {
    let rings = v
        .as_array()
        .filter(|r| !r.is_empty())
        .ok_or_else(|| contract_err(at, "expected an array of rings"))?;
    let mut it = rings
        .iter()
        .enumerate()
        .map(|(i, r)| coords(r, &format!("{at}/{i}")));
    let ext = it.next().unwrap_or_else(|| Ok(LineString(vec![])))?;
    Ok(Polygon::new(ext, it.collect::<Result<Vec<_>>>()?))
}

/// Reads a document written by this crate's output contract (a
/// FeatureCollection with the `planform` member) back into a
/// [`FloorPlan`]: Polygon/MultiPolygon features become outlines, LineString
/// features walls with their `thickness` and `kind`. Anything else is a
/// typed error naming the member.
pub fn floor_plan_from_geojson(v: &Value) -> Result<FloorPlan> {
    let header = v
        .get("planform")
        .and_then(Value::as_object)
        .ok_or_else(|| contract_err("/planform", "missing"))?;
    let units = match header.get("units").and_then(Value::as_str) {
        Some("px") => planform_model::PlanUnits::Pixels,
        Some("m") => planform_model::PlanUnits::Metres,
        _ => return Err(contract_err("/planform/units", "expected \"px\" or \"m\"")),
    };
    let px_per_m = match header.get("pxPerM") {
        None | Some(Value::Null) => None,
        Some(x) => Some(
            x.as_f64()
                .filter(|s| s.is_finite() && *s > 0.0)
                .ok_or_else(|| contract_err("/planform/pxPerM", "expected a positive number"))?,
        ),
    };
    let dim = |k: &str| {
        header
            .get(k)
            .and_then(Value::as_u64)
            .and_then(|n| u32::try_from(n).ok())
            .ok_or_else(|| contract_err(format!("/planform/{k}"), "expected a pixel count"))
    };
    let mut fp = FloorPlan {
        image_width: dim("imageWidth")?,
        image_height: dim("imageHeight")?,
        px_per_m,
        units,
        ..FloorPlan::default()
    };
    let features = v
        .get("features")
        .and_then(Value::as_array)
        .ok_or_else(|| contract_err("/features", "expected an array"))?;
    for (i, f) in features.iter().enumerate() {
        let at = format!("/features/{i}/geometry");
        let g = f
            .get("geometry")
            .ok_or_else(|| contract_err(&at, "missing"))?;
        let c = g
            .get("coordinates")
            .ok_or_else(|| contract_err(format!("{at}/coordinates"), "missing"))?;
        let at_c = format!("{at}/coordinates");
        let props = f.get("properties");
        let kind = props.and_then(|p| p.get("kind")).and_then(Value::as_str);
        let number = |name: &str| -> Result<f64> {
            props
                .and_then(|p| p.get(name))
                .and_then(Value::as_f64)
                .filter(|v| v.is_finite() && *v >= 0.0)
                .ok_or_else(|| {
                    contract_err(
                        format!("/features/{i}/properties/{name}"),
                        "expected a non-negative number",
                    )
                })
        };
        match (g.get("type").and_then(Value::as_str), kind) {
            (Some("Polygon"), Some("room")) => fp.rooms.push(planform_model::Room {
                polygon: polygon(c, &at_c)?,
                area: number("area")?,
            }),
            (Some("LineString"), Some("opening")) => fp.openings.push(planform_model::Opening {
                line: coords(c, &at_c)?,
                width: number("width")?,
            }),
            (Some("Polygon"), _) => fp.outlines.push(polygon(c, &at_c)?),
            (Some("MultiPolygon"), _) => {
                for (j, p) in c.as_array().into_iter().flatten().enumerate() {
                    fp.outlines.push(polygon(p, &format!("{at_c}/{j}"))?);
                }
            }
            (Some("LineString"), _) => {
                let thickness = number("thickness")?;
                let kind = match kind {
                    None | Some("wall") => planform_model::WallKind::Wall,
                    Some("door") => planform_model::WallKind::Door,
                    Some("window") => planform_model::WallKind::Window,
                    Some(other) => planform_model::WallKind::Other(other.to_owned()),
                };
                fp.walls.push(planform_model::Wall {
                    centerline: coords(c, &at_c)?,
                    thickness,
                    kind,
                });
            }
            _ => {
                return Err(contract_err(
                    format!("{at}/type"),
                    "expected Polygon, MultiPolygon or LineString",
                ));
            }
        }
    }
    Ok(fp)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Mask;
    use crate::outline::{OutlineOptions, outlines};

    #[test]
    fn the_contract_reads_back() {
        let m = Mask::from_ascii(
            "
            ......
            .####.
            .#..#.
            .####.",
        );
        let o = outlines(&m, &OutlineOptions::default()).unwrap();
        let opts = OutputOptions {
            px_per_m: Some(10.0),
            ..OutputOptions::default()
        };
        let v = outlines_geojson(&o, &opts).unwrap();
        let fp = floor_plan_from_geojson(&v).unwrap();
        assert_eq!(fp, outlines_floor_plan(&o, &opts).unwrap());
        assert_eq!(
            floor_plan_from_geojson(&floor_plan_geojson(&fp)).unwrap(),
            fp
        );
        let mut bad = v.clone();
        bad["features"][0]["geometry"]["coordinates"][0][1] = json!([1.0, "x"]);
        let e = floor_plan_from_geojson(&bad).unwrap_err().to_string();
        assert!(e.contains("/features/0/geometry/coordinates/0/1"), "{e}");
        let e = floor_plan_from_geojson(&json!({"type": "FeatureCollection", "features": []}))
            .unwrap_err()
            .to_string();
        assert!(e.contains("/planform"), "{e}");
    }

    #[test]
    fn contract_in_pixels_and_metres() {
        let m = Mask::from_ascii(
            "
            ....
            ##..
            ##..",
        );
        let o = outlines(&m, &OutlineOptions::default()).unwrap();
        let v = outlines_geojson(&o, &OutputOptions::default()).unwrap();
        assert_eq!(
            v["planform"],
            json!({"units": "px", "pxPerM": null, "imageWidth": 4, "imageHeight": 3})
        );
        let ring = v["features"][0]["geometry"]["coordinates"][0]
            .as_array()
            .unwrap();
        // bottom-left 2x2 block, y up: x 0..2, y 0..2, counter-clockwise
        let pts: Vec<(f64, f64)> = ring
            .iter()
            .map(|p| (p[0].as_f64().unwrap(), p[1].as_f64().unwrap()))
            .collect();
        assert!(
            pts.iter()
                .all(|&(x, y)| (0.0..=2.0).contains(&x) && (0.0..=2.0).contains(&y))
        );
        assert_eq!(v["features"][0]["properties"]["area"], 4.0);
        let v = outlines_geojson(
            &o,
            &OutputOptions {
                px_per_m: Some(2.0),
                placement: None,
            },
        )
        .unwrap();
        assert_eq!(v["planform"]["units"], "m");
        assert_eq!(v["features"][0]["properties"]["area"], 1.0);
        let mirrored = OutputOptions {
            px_per_m: Some(1.0),
            placement: Some(Affine([-1.0, 0.0, 100.0, 0.0, 1.0, 0.0])),
        };
        let v = outlines_geojson(&o, &mirrored).unwrap();
        assert_eq!(
            v["features"][0]["properties"]["area"], 4.0,
            "mirroring keeps exteriors counter-clockwise"
        );
    }

    #[test]
    fn centreline_contract_scales_thickness() {
        let m = Mask::from_fn(100, 20, |x, y| {
            (10..90).contains(&x) && (6..12).contains(&y)
        });
        let c =
            crate::centerline::centerlines(&m, &crate::centerline::CenterlineOptions::default())
                .unwrap();
        let v = centerlines_geojson(
            &c,
            &OutputOptions {
                px_per_m: Some(10.0),
                placement: None,
            },
        )
        .unwrap();
        assert_eq!(v["planform"]["units"], "m");
        let f = &v["features"][0];
        assert_eq!(f["geometry"]["type"], "LineString");
        assert_eq!(f["properties"]["kind"], "wall");
        assert!((f["properties"]["thickness"].as_f64().unwrap() - 0.6).abs() < 0.06);
        let plan = centerlines_floor_plan(&c, &OutputOptions::default()).unwrap();
        assert_eq!(plan.walls.len(), 1);
    }

    #[test]
    fn bad_options_are_typed_errors() {
        let o = Outlines::default();
        for bad in [
            OutputOptions {
                px_per_m: Some(0.0),
                placement: None,
            },
            OutputOptions {
                px_per_m: Some(f64::NAN),
                placement: None,
            },
            OutputOptions {
                px_per_m: None,
                placement: Some(Affine([1.0, 0.0, 0.0, 0.0, 1.0, 0.0])),
            },
            OutputOptions {
                px_per_m: Some(1.0),
                placement: Some(Affine([0.0; 6])),
            },
        ] {
            assert!(outlines_geojson(&o, &bad).is_err(), "{bad:?}");
        }
    }
}
