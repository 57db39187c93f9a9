//! The shade report: sun hours per day over a sample grid of the parcel's
//! open ground, from the sun's path ([`crate::sun`]) and the shadows of
//! the plan's buildings, structures, trees, hedges and fences, grouped by
//! yard (a ground point belongs to the yard whose ground holds it, see
//! [`crate::yards`], else to the yard of its nearest side: front, back, or
//! side) and banded `full_sun` (≥ 6 h), `partial_sun` (3–6 h) or
//! `shaded` (< 3 h).
//!
//! A point is in shadow at a sun position when the ray from it toward the
//! sun meets an obstacle below the obstacle's height: for an obstacle of
//! height `h` at a sun elevation `e`, when the horizontal segment from the
//! point toward the sun's azimuth of length `h / tan e` crosses the
//! obstacle's outline (areas) or line (fences, line hedges). Heights from
//! attrs; documented defaults when absent: building 6 m (or 3 m a storey),
//! structure 3 m, tree 8 m (canopy radius 3 m when a point), hedge and
//! fence 1.8 m. Trees are solid cylinders from the ground (no trunk gap).
//! With a DSM, the surface shades too: the line from a point (on the
//! surface, 10 cm up) toward the sun is marched over the raster for 300 m.

use geo::Contains;
use geo_types::{Coord, Polygon};
use planform_model::analysis::{ShadeReport, SunBand, YardKind, YardShade};
use planform_model::{CatalogType, Feature, GeometryValue, SitePlan};
use serde_json::Number;

use crate::error::{Result, SiteError};
use crate::geom::{polygon, seg_dist};
use crate::grade::Dem;
use crate::parcel::{Frames, ParcelAnalysis};
use crate::sun::{Date, SunPosition, day_path};

/// An obstacle: an outline (closed) or a line, and its height in metres.
#[derive(Debug, Clone, PartialEq)]
pub struct Obstacle {
    /// Outline ring (closed) or line, local frame.
    pub points: Vec<Coord<f64>>,
    /// Height above the ground, metres.
    pub height: f64,
    bbox: [f64; 4],
    /// The outline as a polygon (a closed ring: under it is shade too).
    area: Option<Polygon<f64>>,
}

impl Obstacle {
    /// An obstacle from its points and height.
    pub fn new(points: Vec<Coord<f64>>, height: f64) -> Self {
        let bbox = points.iter().fold(
            [
                f64::INFINITY,
                f64::INFINITY,
                f64::NEG_INFINITY,
                f64::NEG_INFINITY,
            ],
            |b, c| [b[0].min(c.x), b[1].min(c.y), b[2].max(c.x), b[3].max(c.y)],
        );
        let closed = points.len() >= 4 && points.first() == points.last();
        Self {
            area: closed.then(|| polygon(&points)),
            points,
            height,
            bbox,
        }
    }
}

/// Shade settings.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ShadeOptions {
    /// The day (default: the June solstice, 21 June, of 2025; use the
    /// December one south of the equator yourself).
    pub date: Date,
    /// Hours east of UTC (default: the longitude's nominal zone).
    pub utc_offset_hours: Option<f64>,
    /// Sun step, minutes. Default 15.
    pub step_minutes: f64,
    /// Sample grid spacing, metres. Default 1.
    pub grid_m: f64,
}

impl Default for ShadeOptions {
    fn default() -> Self {
        Self {
            date: Date {
                year: 2025,
                month: 6,
                day: 21,
            },
            utc_offset_hours: None,
            step_minutes: 15.0,
            grid_m: 1.0,
        }
    }
}

fn cross(o: Coord<f64>, a: Coord<f64>, b: Coord<f64>) -> f64 {
    (a.x - o.x) * (b.y - o.y) - (a.y - o.y) * (b.x - o.x)
}

fn segments_cross(p: Coord<f64>, q: Coord<f64>, a: Coord<f64>, b: Coord<f64>) -> bool {
    let (d1, d2) = (cross(p, q, a), cross(p, q, b));
    let (d3, d4) = (cross(a, b, p), cross(a, b, q));
    ((d1 > 0.0) != (d2 > 0.0)) && ((d3 > 0.0) != (d4 > 0.0))
}

/// Whether `p` is in the shadow of `o` with the sun toward `dir` (unit,
/// east/north) at elevation tangent `tan_e`.
fn shades(o: &Obstacle, p: Coord<f64>, dir: Coord<f64>, tan_e: f64) -> bool {
    let reach = (o.height / tan_e).min(1000.0);
    let q = Coord {
        x: p.x + dir.x * reach,
        y: p.y + dir.y * reach,
    };
    let b = &o.bbox;
    if p.x.max(q.x) < b[0] || p.x.min(q.x) > b[2] || p.y.max(q.y) < b[1] || p.y.min(q.y) > b[3] {
        return false;
    }
    // under a closed outline (a canopy, a shed) the point is in shade too
    o.points
        .windows(2)
        .any(|w| segments_cross(p, q, w[0], w[1]))
        || o.area.as_ref().is_some_and(|a| a.contains(&p))
}

/// Sun hours at each point over a day's sun path (`step_hours` per sample),
/// under the obstacles and the surface model.
fn sun_hours(
    points: &[Coord<f64>],
    obstacles: &[Obstacle],
    surface: Option<&Surface<'_>>,
    path: &[SunPosition],
    step_hours: f64,
) -> Vec<f64> {
    let suns: Vec<(Coord<f64>, f64)> = path
        .iter()
        .map(|s| {
            let a = s.azimuth.to_radians();
            (
                Coord {
                    x: a.sin(),
                    y: a.cos(),
                },
                s.elevation.to_radians().tan(),
            )
        })
        .collect();
    points
        .iter()
        .map(|&p| {
            let lit = suns
                .iter()
                .filter(|(dir, t)| {
                    !obstacles.iter().any(|o| shades(o, p, *dir, *t))
                        && !surface.is_some_and(|s| s.shades(p, *dir, *t))
                })
                .count();
            lit as f64 * step_hours
        })
        .collect()
}

fn attr(f: &Feature, key: &str) -> Option<f64> {
    f.properties
        .as_ref()?
        .attrs
        .as_ref()?
        .to_object()
        .get(key)?
        .as_f64()
        .filter(|v| v.is_finite() && *v > 0.0)
}

/// The obstacles of a plan with their heights (see the module docs).
pub fn obstacles(plan: &SitePlan, frames: &Frames) -> Result<Vec<Obstacle>> {
    let mut out = Vec::new();
    for f in &plan.features {
        let Some(t) = f.catalog_type() else { continue };
        let ft = planform_model::units::FT_TO_M;
        let height = match t {
            CatalogType::Building => attr(f, "heightM")
                .or_else(|| attr(f, "stories").map(|s| s * 3.0))
                .unwrap_or(6.0),
            CatalogType::Structure => attr(f, "heightM").unwrap_or(3.0),
            CatalogType::Tree => attr(f, "heightM").unwrap_or(8.0),
            CatalogType::Hedge | CatalogType::Fence => attr(f, "heightFt").map_or(1.8, |h| h * ft),
            _ => continue,
        };
        let Some(g) = &f.geometry else { continue };
        let ring = |r: &[planform_model::Position]| -> Vec<(f64, f64)> {
            r.iter().map(|p| (p.x(), p.y())).collect()
        };
        let mut shapes: Vec<Vec<(f64, f64)>> = Vec::new();
        let mut trunks: Vec<(f64, f64)> = Vec::new();
        match &g.value {
            GeometryValue::Polygon(r) => shapes.extend(r.first().map(|r| ring(r))),
            GeometryValue::MultiPolygon(ps) => {
                shapes.extend(ps.iter().filter_map(|p| p.first()).map(|r| ring(r)));
            }
            GeometryValue::LineString(l) => shapes.push(ring(l)),
            GeometryValue::MultiLineString(ls) => shapes.extend(ls.iter().map(|l| ring(l))),
            GeometryValue::Point(p) => trunks.push((p.x(), p.y())),
            _ => {}
        }
        for s in shapes {
            out.push(Obstacle::new(frames.local(&s)?, height));
        }
        let radius = attr(f, "canopyRadiusM").unwrap_or(3.0);
        for c in trunks {
            let centre = frames.local(&[c])?[0];
            let mut disc: Vec<Coord<f64>> = (0..16)
                .map(|k| {
                    let a = std::f64::consts::TAU * f64::from(k) / 16.0;
                    Coord {
                        x: centre.x + radius * a.cos(),
                        y: centre.y + radius * a.sin(),
                    }
                })
                .collect();
            disc.push(disc[0]);
            out.push(Obstacle::new(disc, height));
        }
    }
    Ok(out)
}

fn band(hours: f64) -> SunBand {
    if hours >= 6.0 {
        SunBand::FullSun
    } else if hours >= 3.0 {
        SunBand::PartialSun
    } else {
        SunBand::Shaded
    }
}

/// Sample points of the parcel's open ground (outside the primary
/// footprint) with the yard each belongs to (the yard whose ground holds it,
/// [`crate::yards::yard_polygons`], else the yard of its nearest side),
/// every `grid_m` metres (coarser
/// for parcels whose bounding box holds more than 250 000 such cells: 25 ha
/// at 1 m).
pub fn yard_points(a: &ParcelAnalysis, grid_m: f64) -> Vec<(Coord<f64>, YardKind)> {
    use planform_model::analysis::SideRole;
    let ring = crate::sides::ring(&a.sides);
    let b = ring.iter().fold(
        [
            f64::INFINITY,
            f64::INFINITY,
            f64::NEG_INFINITY,
            f64::NEG_INFINITY,
        ],
        |b, c| [b[0].min(c.x), b[1].min(c.y), b[2].max(c.x), b[3].max(c.y)],
    );
    // at most about 250 000 points: a larger parcel gets a coarser grid
    let area = (b[2] - b[0]).max(0.0) * (b[3] - b[1]).max(0.0);
    let step = grid_m.max(0.05).max((area / 2.5e5).sqrt());
    if !step.is_finite() {
        return Vec::new();
    }
    let ground = crate::yards::yard_polygons(a);
    let parcel = polygon(&ring);
    let footprint = a.footprint.as_deref().map(polygon);
    let mut out = Vec::new();
    let mut y = b[1] + step / 2.0;
    while y < b[3] {
        let mut x = b[0] + step / 2.0;
        while x < b[2] {
            let p = Coord { x, y };
            if parcel.contains(&p) && footprint.as_ref().is_none_or(|f| !f.contains(&p)) {
                if let Some(g) = ground.iter().find(|g| g.contains(p)) {
                    out.push((p, g.kind.clone()));
                    x += step;
                    continue;
                }
                let nearest = a
                    .sides
                    .iter()
                    .zip(&a.roles)
                    .map(|(s, r)| {
                        let d = s
                            .points
                            .windows(2)
                            .map(|w| seg_dist(p, w[0], w[1]))
                            .fold(f64::INFINITY, f64::min);
                        (d, &r.role)
                    })
                    .min_by(|x, y| x.0.total_cmp(&y.0));
                let kind = match nearest.map(|n| n.1) {
                    Some(SideRole::Front) => YardKind::Front,
                    Some(SideRole::Rear) => YardKind::Back,
                    _ => YardKind::Side,
                };
                out.push((p, kind));
            }
            x += step;
        }
        y += step;
    }
    out
}

/// A ground sample point, its yard and its sun hours.
pub type SunPoint = (Coord<f64>, YardKind, f64);

/// A DSM's surface in the parcel's local frame: a linear map from the
/// local frame to the DSM's CRS (exact to well under a millimetre over a
/// lot) and the raster.
struct Surface<'a> {
    dem: &'a Dem,
    origin: Coord<f64>,
    at_origin: (f64, f64),
    jacobian: [f64; 4],
    top: f64,
    /// The highest elevation of each `BLOCK`×`BLOCK` cells (row-major),
    /// so that the march skips blocks wholly below the sun line.
    blocks: Vec<f64>,
    blocks_wide: usize,
}

/// Cells per side of a skipping block.
const BLOCK: usize = 8;

/// The highest elevation of each block of a raster.
fn block_maxima(dem: &Dem) -> (Vec<f64>, usize) {
    let bw = dem.width.div_ceil(BLOCK);
    let bh = dem.height.div_ceil(BLOCK);
    let mut out = vec![f64::NEG_INFINITY; bw * bh];
    for r in 0..dem.height {
        for c in 0..dem.width {
            let z = dem.z[r * dem.width + c];
            if z.is_finite() {
                let b = &mut out[(r / BLOCK) * bw + c / BLOCK];
                *b = b.max(z);
            }
        }
    }
    (out, bw)
}

impl Surface<'_> {
    fn to_dsm(&self, p: Coord<f64>) -> (f64, f64) {
        let (dx, dy) = (p.x - self.origin.x, p.y - self.origin.y);
        let j = &self.jacobian;
        (
            self.at_origin.0 + j[0] * dx + j[1] * dy,
            self.at_origin.1 + j[2] * dx + j[3] * dy,
        )
    }

    /// Whether the surface rises above the line from `p` toward the sun
    /// (`dir`, elevation tangent `tan_e`) within 300 m; `p` stands on the
    /// surface (plus 10 cm, so that its own cell does not shade it).
    fn shades(&self, p: Coord<f64>, dir: Coord<f64>, tan_e: f64) -> bool {
        let (x0, y0) = self.to_dsm(p);
        let Some(z0) = self.dem.sample(x0, y0) else {
            return false;
        };
        let z0 = z0 + 0.1;
        let j = &self.jacobian;
        let (ux, uy) = (j[0] * dir.x + j[1] * dir.y, j[2] * dir.x + j[3] * dir.y);
        let tr = &self.dem.transform;
        let step = tr[1].abs().min(tr[5].abs()) / 2.0;
        // the ray in cell units per metre along it
        let (dc, dr) = (ux / tr[1], uy / tr[5]);
        let mut t = step;
        while t <= 300.0 {
            let z_ray = z0 + t * tan_e;
            if z_ray > self.top {
                return false;
            }
            let (x, y) = (x0 + ux * t, y0 + uy * t);
            let (c, r) = ((x - tr[0]) / tr[1], (y - tr[3]) / tr[5]);
            if c < 0.0 || r < 0.0 || c >= self.dem.width as f64 || r >= self.dem.height as f64 {
                return false;
            }
            let (bc, br) = (c as usize / BLOCK, r as usize / BLOCK);
            if self.blocks[br * self.blocks_wide + bc] <= z_ray {
                // nothing in this block reaches the line here or further on:
                // jump to where the ray leaves it
                let exit = |pos: f64, d: f64, lo: usize| {
                    let (lo, hi) = ((lo * BLOCK) as f64, ((lo + 1) * BLOCK) as f64);
                    if d > 0.0 {
                        (hi - pos) / d
                    } else if d < 0.0 {
                        (lo - pos) / d
                    } else {
                        f64::INFINITY
                    }
                };
                // on to the next sample at or after the exit: the samples
                // stay those of the plain march
                let out = t + exit(c, dc, bc).min(exit(r, dr, br)).max(0.0);
                t = ((out / step).ceil() * step).max(t + step);
                continue;
            }
            if self.dem.sample(x, y).is_some_and(|z| z > z_ray) {
                return true;
            }
            t += step;
        }
        false
    }
}

fn surface<'a>(dem: &'a Dem, frames: &Frames, origin: Coord<f64>) -> Result<Option<Surface<'a>>> {
    let Some(code) = dem.epsg else {
        return Err(crate::error::SiteError::invalid(
            "DSM",
            "its GeoKeys name no EPSG code",
        ));
    };
    let target = planform_model::LocalFrame::from_epsg(code)?;
    let to = |c: Coord<f64>| -> Result<(f64, f64)> {
        let (lon, lat) = frames.frame.inverse(c.x, c.y)?;
        if code == 4326 {
            return Ok((lon, lat));
        }
        Ok(target.forward(lon, lat)?)
    };
    let o = to(origin)?;
    let ex = to(Coord {
        x: origin.x + 1.0,
        y: origin.y,
    })?;
    let ey = to(Coord {
        x: origin.x,
        y: origin.y + 1.0,
    })?;
    let Some(top) = dem.max() else {
        return Ok(None);
    };
    let (blocks, blocks_wide) = block_maxima(dem);
    Ok(Some(Surface {
        dem,
        origin,
        at_origin: o,
        jacobian: [ex.0 - o.0, ey.0 - o.0, ex.1 - o.1, ey.1 - o.1],
        top,
        blocks,
        blocks_wide,
    }))
}

/// The shade report of an analysed parcel, and every sample point with its
/// yard and sun hours (for heat maps); with a DSM, the surface's own
/// shadows (buildings and trees beyond the plan's features, neighbours'
/// houses, terrain) count too.
pub fn shade_report(
    plan: &SitePlan,
    a: &ParcelAnalysis,
    frames: &Frames,
    o: &ShadeOptions,
    dsm: Option<&Dem>,
    around: &[Obstacle],
) -> Result<(ShadeReport, Vec<SunPoint>)> {
    let path = day_path(
        frames.centre.1,
        frames.centre.0,
        o.date,
        o.utc_offset_hours,
        o.step_minutes,
    )?;
    let mut obstacles = obstacles(plan, frames)?;
    obstacles.extend_from_slice(around);
    if !(o.grid_m.is_finite() && o.grid_m > 0.0) {
        return Err(SiteError::invalid(
            "shade grid",
            "expected a spacing above 0 metres",
        ));
    }
    let samples = yard_points(a, o.grid_m);
    let points: Vec<Coord<f64>> = samples.iter().map(|s| s.0).collect();
    let surface = match (dsm, points.first()) {
        (Some(d), Some(first)) => surface(d, frames, *first)?,
        _ => None,
    };
    let hours = sun_hours(
        &points,
        &obstacles,
        surface.as_ref(),
        &path,
        o.step_minutes / 60.0,
    );
    let mut by_yard = Vec::new();
    for kind in [YardKind::Front, YardKind::Back, YardKind::Side] {
        let v: Vec<f64> = samples
            .iter()
            .zip(&hours)
            .filter(|(s, _)| s.1 == kind)
            .map(|(_, h)| *h)
            .collect();
        if v.is_empty() {
            continue;
        }
        let mean = v.iter().sum::<f64>() / v.len() as f64;
        by_yard.push(YardShade {
            kind: Some(kind),
            sun_hours_per_day: Number::from_f64((mean * 100.0).round() / 100.0),
            band: Some(band(mean)),
            ..YardShade::default()
        });
    }
    let report = ShadeReport {
        by_yard: Some(by_yard),
        ..ShadeReport::default()
    };
    let points = samples
        .into_iter()
        .zip(hours)
        .map(|((p, k), h)| (p, k, h))
        .collect();
    Ok((report, points))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_wall_shades_exactly_its_shadow() {
        // a 2 m wall along x = 0; the sun due west (270°) at 45°: the
        // shadow reaches 2 m east of the wall
        let wall = Obstacle::new(
            vec![Coord { x: 0.0, y: -10.0 }, Coord { x: 0.0, y: 10.0 }],
            2.0,
        );
        let sun = [SunPosition {
            azimuth: 270.0,
            elevation: 45.0,
        }];
        let pts = [
            Coord { x: 1.9, y: 0.0 },
            Coord { x: 2.1, y: 0.0 },
            Coord { x: -1.0, y: 0.0 },
        ];
        let h = sun_hours(&pts, &[wall], None, &sun, 1.0);
        assert_eq!(h, [0.0, 1.0, 1.0]);
        assert_eq!(band(6.0), SunBand::FullSun);
        assert_eq!(band(5.99), SunBand::PartialSun);
        assert_eq!(band(2.0), SunBand::Shaded);
    }
}

#[cfg(test)]
mod dsm_tests {
    use super::*;

    #[test]
    fn a_dsm_wall_shades_its_shadow_length() {
        // a flat 0 m surface, 0.5 m cells, with a 5 m wall along column 100
        // (x = 50 m in the raster's own metric CRS, here the local frame)
        let (w, h) = (200usize, 100usize);
        let mut z = vec![0.0; w * h];
        for r in 0..h {
            z[r * w + 100] = 5.0;
        }
        let dem = Dem {
            width: w,
            height: h,
            z,
            transform: [0.0, 0.5, 0.0, 50.0, 0.0, -0.5],
            epsg: None,
        };
        let (blocks, blocks_wide) = block_maxima(&dem);
        let s = Surface {
            dem: &dem,
            origin: Coord { x: 0.0, y: 0.0 },
            at_origin: (0.0, 0.0),
            jacobian: [1.0, 0.0, 0.0, 1.0],
            top: 5.0,
            blocks,
            blocks_wide,
        };
        // the sun due west at 45°: the wall (x 50–50.5) shades 4.9 m east
        // of it (5 m less the point's 10 cm)
        let west = Coord { x: -1.0, y: 0.0 };
        let tan = 1.0;
        assert!(s.shades(Coord { x: 55.0, y: 25.0 }, west, tan));
        assert!(!s.shades(Coord { x: 56.0, y: 25.0 }, west, tan));
        // in front of the wall the sun is free
        assert!(!s.shades(Coord { x: 45.0, y: 25.0 }, west, tan));
        let hours = sun_hours(
            &[Coord { x: 55.0, y: 25.0 }, Coord { x: 70.0, y: 25.0 }],
            &[],
            Some(&s),
            &[SunPosition {
                azimuth: 270.0,
                elevation: 45.0,
            }],
            1.0,
        );
        assert_eq!(hours, [0.0, 1.0]);
    }
}

#[cfg(test)]
mod skip_tests {
    use super::*;

    #[test]
    fn skipping_blocks_changes_no_answer() {
        // a rough synthetic surface: 200 × 160 cells of 0.5 m, pseudo-random
        // heights with a few tall spikes
        let (w, h) = (200usize, 160usize);
        let mut seed = 12_345u64;
        let mut next = || {
            seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
            (seed >> 33) as f64 / f64::from(1u32 << 31)
        };
        let z: Vec<f64> = (0..w * h)
            .map(|_| {
                let v = next();
                if v > 0.995 { 12.0 * v } else { v }
            })
            .collect();
        let dem = Dem {
            width: w,
            height: h,
            z,
            transform: [0.0, 0.5, 0.0, 80.0, 0.0, -0.5],
            epsg: None,
        };
        let (blocks, blocks_wide) = block_maxima(&dem);
        let make = |blocks: Vec<f64>| Surface {
            dem: &dem,
            origin: Coord { x: 0.0, y: 0.0 },
            at_origin: (0.0, 0.0),
            jacobian: [1.0, 0.0, 0.0, 1.0],
            top: dem.max().unwrap(),
            blocks,
            blocks_wide,
        };
        let fast = make(blocks.clone());
        let plain = make(vec![f64::INFINITY; blocks.len()]);
        let mut differ = 0;
        for k in 0..4000 {
            let p = Coord {
                x: 5.0 + next() * 90.0,
                y: 5.0 + next() * 70.0,
            };
            let a = next() * std::f64::consts::TAU;
            let dir = Coord {
                x: a.sin(),
                y: a.cos(),
            };
            let tan_e = (2.0 + f64::from(k % 60)).to_radians().tan();
            if fast.shades(p, dir, tan_e) != plain.shades(p, dir, tan_e) {
                differ += 1;
            }
        }
        assert_eq!(differ, 0);
    }
}
