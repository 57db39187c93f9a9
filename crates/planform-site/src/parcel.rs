//! One parcel of a site plan analysed: its sides (geodesic lengths), their
//! roles and relations from whatever context is given, and its shape
//! class, as the service's top-level `parcel` record.
//!
//! Street frontage, best first: road centrelines (a side with a road ahead
//! of it within `road_distance`: outward, not beside it as the cross street
//! is beside a corner lot's rear line) or right-of-way polygons (a side
//! along their boundary), the neighbour parcel fabric (a side no neighbour
//! touches), and failing both a driveway feature (the side it reaches is
//! the front) or the garage door (the side it faces). Of the street sides the front is the one facing
//! the road the parcel's address names ([`crate::address`]), else the one
//! a driveway reaches, else the one the primary building's garage door
//! faces (`garageFaceEdgeIndex`), else the shorter frontage.

use geo_types::{Coord, LineString, MultiPolygon};
use planform_model::analysis::{ParcelClass, ParcelClassification, SideRole};
use planform_model::attrs::BuildingAttrs;
use planform_model::{
    CatalogType, Feature, Geometry, GeometryValue, LocalFrame, Parcel, Side, SitePlan,
};
use serde_json::Number;

use crate::address::{ADDRESS_KEYS, first_named};
use crate::error::{Result, SiteError};
use crate::fabric::Fabric;
use crate::roles::{Assigned, assign};
use crate::sides::{SideGeom, split_sides};
use crate::streets::Streets;

/// What is known around the parcel, in WGS84 longitude/latitude.
#[derive(Debug, Clone, Default)]
pub struct Context {
    /// Road centrelines.
    pub roads: Vec<Vec<(f64, f64)>>,
    /// Other parcels' outer rings (the subject parcel may be among them:
    /// a ring equal to it is ignored).
    pub parcels: Vec<Vec<(f64, f64)>>,
    /// The roads' names, in the order of `roads` (empty, or `None` for a
    /// road without one).
    pub road_names: Vec<Option<String>>,
    /// The parcel's street address; when absent, the parcel feature's own
    /// (its properties' [`crate::address::ADDRESS_KEYS`]), else the plan's
    /// top-level `address` (the one submitted to GetSitePlan.ai).
    pub address: Option<String>,
    /// The rings (outer and inner: a city's right-of-way polygon has the
    /// blocks as holes) of right-of-way polygons: a side lying along one
    /// (half of it within `share_tolerance_m`) is a street frontage.
    pub right_of_way: Vec<Vec<(f64, f64)>>,
    /// Buildings around the lot: outer rings and heights (metres).
    pub buildings: Vec<NearBuilding>,
    /// A parcel fabric was given, even if none of it lies near this lot
    /// (a batch hands each lot only the fabric around it): sides no
    /// neighbour shares are then frontages.
    pub fabric_given: bool,
}

impl Context {
    /// Whether the caller gave a parcel fabric at all.
    fn has_fabric(&self) -> bool {
        self.fabric_given || !self.parcels.is_empty()
    }
}

/// A building around the lot in WGS84: its outer ring and height, metres.
pub(crate) type NearBuilding = (Vec<(f64, f64)>, Option<f64>);

/// Analysis settings.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ParcelOptions {
    /// Consecutive edges turning less than this are one side, degrees. 15.
    pub max_turn_deg: f64,
    /// A side within this of a neighbour is shared, metres. 1.5.
    pub share_tolerance_m: f64,
    /// A side whose middle lies within this of a road faces it, metres. 30.
    pub road_distance_m: f64,
}

impl Default for ParcelOptions {
    fn default() -> Self {
        Self {
            max_turn_deg: 15.0,
            share_tolerance_m: 1.5,
            road_distance_m: 30.0,
        }
    }
}

/// The parcel's outer ring (the largest polygon's exterior).
fn outer_ring(f: &Feature) -> Option<Vec<(f64, f64)>> {
    let ring = |r: &[planform_model::Position]| r.iter().map(|p| (p.x(), p.y())).collect();
    match &f.geometry.as_ref()?.value {
        GeometryValue::Polygon(rings) => rings.first().map(|r| ring(r)),
        GeometryValue::MultiPolygon(polys) => polys
            .iter()
            .filter_map(|p| p.first())
            .max_by_key(|r| r.len())
            .map(|r| ring(r)),
        _ => None,
    }
}

/// Interior angle sum check: every corner within `tol` of 90°.
fn right_angled(sides: &[SideGeom], tol: f64) -> bool {
    sides.len() == 4
        && (0..4).all(|i| {
            let (a, b) = (sides[i].direction(), sides[(i + 1) % 4].direction());
            let turn = (b - a).rem_euclid(std::f64::consts::TAU);
            let turn = turn.min(std::f64::consts::TAU - turn);
            (turn - std::f64::consts::FRAC_PI_2).abs() <= tol
        })
}

/// The lot's area, square metres (`geo`'s `Area`).
fn lot_area(sides: &[SideGeom]) -> f64 {
    use geo::Area;
    crate::geom::polygon(&crate::sides::ring(sides)).unsigned_area()
}

/// A front arc of at most this radius is a cul-de-sac head, metres (bulbs
/// are 12–25 m in radius at the lot line).
const CULDESAC_RADIUS_M: f64 = 30.0;

/// A shape class and how sure of it the geometry is.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Classified {
    /// The class.
    pub class: ParcelClass,
    /// Confidence 0–1.
    pub confidence: f64,
}

/// The shape class and a confidence: corner (an exterior side), cul-de-sac
/// (the front a tight arc), flag (a narrow front on a lot of six sides or
/// more), rectangular (four right angles), else irregular.
pub(crate) fn classify(sides: &[SideGeom], roles: &[Assigned]) -> Classified {
    let c = |class, confidence| Classified { class, confidence };
    let front = roles.iter().position(|a| a.role == SideRole::Front);
    if roles.iter().any(|a| a.role == SideRole::Exterior) {
        return c(ParcelClass::Corner, 0.85);
    }
    if let Some(f) = front {
        // a cul-de-sac head is a tight arc; a street that merely bends
        // (radius of a hundred metres) makes no cul-de-sac lot
        if sides[f].curved && sides[f].length() <= CULDESAC_RADIUS_M * sides[f].turning() {
            return c(ParcelClass::Culdesac, 0.8);
        }
        let area = lot_area(sides);
        if sides.len() >= 6 && sides[f].length() < 0.25 * area.sqrt() {
            return c(ParcelClass::Flag, 0.7);
        }
    }
    if right_angled(sides, 5f64.to_radians()) {
        return c(ParcelClass::Rectangular, 0.95);
    }
    if right_angled(sides, 12f64.to_radians()) {
        return c(ParcelClass::Rectangular, 0.75);
    }
    c(ParcelClass::Irregular, 0.6)
}

/// A JSON number to the thousandth (0.3 mm in feet, 1 mm in metres).
fn num(v: f64) -> Option<Number> {
    Number::from_f64((v * 1000.0).round() / 1000.0)
}

/// A plan's own CRS (`None`: WGS84), for unprojecting its positions.
pub struct Source(Option<LocalFrame>);

impl Source {
    /// WGS84 longitude/latitude of positions in the plan's CRS.
    pub fn to_wgs(&self, pts: &[(f64, f64)]) -> Result<Vec<(f64, f64)>> {
        match &self.0 {
            None => Ok(pts.to_vec()),
            Some(f) => pts
                .iter()
                .map(|&(x, y)| f.inverse(x, y).map_err(SiteError::from))
                .collect(),
        }
    }
}

/// The frames of an analysis: the plan's own CRS and the local UTM frame
/// (its zone from the parcel ring's mean position) every distance is
/// measured in.
pub struct Frames {
    /// The plan's CRS.
    pub source: Source,
    /// The local metric frame.
    pub frame: LocalFrame,
    /// The parcel ring's mean position, WGS84 (the sun's site).
    pub centre: (f64, f64),
    /// The frame's inverse near the lot, as a quadratic.
    near: Quadratic,
    /// The frame's forward projection near the lot, as a quadratic.
    near_forward: Quadratic,
}

impl std::fmt::Debug for Frames {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Frames")
            .field("epsg", &self.frame.epsg())
            .field("centre", &self.centre)
            .finish_non_exhaustive()
    }
}

/// Within this of the lot's centre (metres) the quadratics stand in for
/// the frame's projection and its inverse.
const QUADRATIC_REACH_M: f64 = 500.0;

/// The second-order Taylor expansion of the transverse Mercator
/// projection or its inverse at the lot's centre, from central
/// differences 50 m apart (the inverse's from the projection's own
/// derivatives, [`Quadratic::inverse`]). Its error grows as the cube of the distance:
/// 2.1e-10° (0.02 mm) at most within [`QUADRATIC_REACH_M`] at latitudes
/// 0–70° (the test's measure against the series; 1.3e-8° at 2 km, hence
/// the reach), where the analysis writes positions rounded to 1e-7°. Written by hand
/// because the exact inverse (a series, then a Newton iteration on the
/// conformal latitude) was a third of the whole analysis of a lot, once
/// per vertex written back, and the projection another sixth, once per
/// vertex read.
#[derive(Debug, Clone, Copy)]
struct Quadratic {
    origin: Coord<f64>,
    /// Metres per unit of x and of y at the origin (for the reach).
    metres: (f64, f64),
    f: [f64; 2],
    fx: [f64; 2],
    fy: [f64; 2],
    fxx: [f64; 2],
    fxy: [f64; 2],
    fyy: [f64; 2],
}

impl Quadratic {
    /// The expansion of `map` at `origin` from differences `h` apart (50 m
    /// in the units of x and y).
    fn new(
        map: &dyn Fn(f64, f64) -> planform_model::Result<(f64, f64)>,
        origin: Coord<f64>,
        h: (f64, f64),
        metres: (f64, f64),
    ) -> Result<Self> {
        let at = |i: f64, j: f64| -> Result<[f64; 2]> {
            let (x, y) = map(origin.x + i * h.0, origin.y + j * h.1)?;
            Ok([x, y])
        };
        let f = at(0.0, 0.0)?;
        let (e, w, n, s) = (at(1.0, 0.0)?, at(-1.0, 0.0)?, at(0.0, 1.0)?, at(0.0, -1.0)?);
        let (ne, nw, se, sw) = (
            at(1.0, 1.0)?,
            at(-1.0, 1.0)?,
            at(1.0, -1.0)?,
            at(-1.0, -1.0)?,
        );
        let k = |g: &dyn Fn(usize) -> f64| [g(0), g(1)];
        Ok(Self {
            origin,
            metres,
            f,
            fx: k(&|i| (e[i] - w[i]) / (2.0 * h.0)),
            fy: k(&|i| (n[i] - s[i]) / (2.0 * h.1)),
            fxx: k(&|i| (e[i] - 2.0 * f[i] + w[i]) / (h.0 * h.0)),
            fyy: k(&|i| (n[i] - 2.0 * f[i] + s[i]) / (h.1 * h.1)),
            fxy: k(&|i| (ne[i] - nw[i] - se[i] + sw[i]) / (4.0 * h.0 * h.1)),
        })
    }

    /// The inverse map's expansion at `f`, from this one's derivatives:
    /// the Jacobian inverted, and the second derivatives
    /// `g''(a; b, c) = −Σ K[a][i]·f''(i; j, k)·K[j][b]·K[k][c]` with `K`
    /// that inverse. Nine projections fewer than differencing the
    /// inverse itself, which costs as much as the rest of a lot's frames.
    fn inverse(&self, metres: (f64, f64)) -> Option<Self> {
        let det = self.fx[0] * self.fy[1] - self.fy[0] * self.fx[1];
        if !det.is_normal() {
            return None;
        }
        // K = J⁻¹, J[i] = (fx[i], fy[i])
        let k = [
            [self.fy[1] / det, -self.fy[0] / det],
            [-self.fx[1] / det, self.fx[0] / det],
        ];
        let h = |i: usize, j: usize, l: usize| match (j, l) {
            (0, 0) => self.fxx[i],
            (1, 1) => self.fyy[i],
            _ => self.fxy[i],
        };
        let second = |a: usize, b: usize, c: usize| {
            let mut sum = 0.0;
            for i in 0..2 {
                for j in 0..2 {
                    for l in 0..2 {
                        sum += k[a][i] * h(i, j, l) * k[j][b] * k[l][c];
                    }
                }
            }
            -sum
        };
        Some(Self {
            origin: Coord {
                x: self.f[0],
                y: self.f[1],
            },
            metres,
            f: [self.origin.x, self.origin.y],
            fx: [k[0][0], k[1][0]],
            fy: [k[0][1], k[1][1]],
            fxx: [second(0, 0, 0), second(1, 0, 0)],
            fxy: [second(0, 0, 1), second(1, 0, 1)],
            fyy: [second(0, 1, 1), second(1, 1, 1)],
        })
    }

    fn at(&self, x: f64, y: f64) -> Option<(f64, f64)> {
        let (dx, dy) = (x - self.origin.x, y - self.origin.y);
        let (ex, ey) = (dx * self.metres.0, dy * self.metres.1);
        // (squared: libm's hypot was a tenth of a lot's projections)
        let reach2 = ex * ex + ey * ey;
        if reach2.is_nan() || reach2 > QUADRATIC_REACH_M * QUADRATIC_REACH_M {
            return None;
        }
        let v = |i: usize| {
            self.f[i]
                + self.fx[i] * dx
                + self.fy[i] * dy
                + 0.5 * self.fxx[i] * dx * dx
                + self.fxy[i] * dx * dy
                + 0.5 * self.fyy[i] * dy * dy
        };
        Some((v(0), v(1)))
    }
}

impl Frames {
    /// The plan's CRS: WGS84, or the EPSG code its `crs` member declares.
    pub fn source(plan: &SitePlan) -> Result<Source> {
        match (plan.is_wgs84(), plan.declared_epsg()) {
            (true, _) => Ok(Source(None)),
            (false, Some(code)) => Ok(Source(Some(LocalFrame::from_epsg(code)?))),
            (false, None) => Err(SiteError::invalid(
                "site plan",
                "its crs member names no EPSG code",
            )),
        }
    }

    /// The frames for a parcel ring given in WGS84.
    pub fn new(source: Source, ring_wgs84: &[(f64, f64)]) -> Result<Self> {
        let (cx, cy) = ring_wgs84
            .iter()
            .fold((0.0, 0.0), |a, p| (a.0 + p.0, a.1 + p.1));
        let n = ring_wgs84.len().max(1) as f64;
        let centre = (cx / n, cy / n);
        let frame = LocalFrame::utm_for(centre.0, centre.1)?;
        // degrees of longitude and latitude, about 50 m
        let m_lat = 111_000.0;
        let m_lon = m_lat * centre.1.to_radians().cos().max(1e-3);
        let near_forward = Quadratic::new(
            &|x, y| frame.forward(x, y),
            Coord {
                x: centre.0,
                y: centre.1,
            },
            (50.0 / m_lon, 50.0 / m_lat),
            (m_lon, m_lat),
        )?;
        let near = near_forward
            .inverse((1.0, 1.0))
            .ok_or_else(|| SiteError::invalid("parcel", "its projection is singular at the lot"))?;
        Ok(Self {
            source,
            frame,
            centre,
            near,
            near_forward,
        })
    }

    /// A local-frame point in WGS84 longitude/latitude (by the quadratic
    /// near the lot, the frame's exact inverse beyond).
    pub fn to_wgs(&self, c: Coord<f64>) -> Result<(f64, f64)> {
        if !(c.x.is_finite() && c.y.is_finite()) {
            return Ok(self.frame.inverse(c.x, c.y)?);
        }
        match self.near.at(c.x, c.y) {
            Some(p) => Ok(p),
            None => Ok(self.frame.inverse(c.x, c.y)?),
        }
    }

    /// WGS84 positions in the local frame (by the quadratic near the lot,
    /// the frame's exact projection beyond).
    pub fn local_wgs(&self, pts: &[(f64, f64)]) -> Result<Vec<Coord<f64>>> {
        let mut out = Vec::with_capacity(pts.len());
        for &(x, y) in pts {
            let (e, n) = match self.near_forward.at(x, y) {
                Some(p) => p,
                None => self.frame.forward(x, y)?,
            };
            out.push(Coord { x: e, y: n });
        }
        Ok(out)
    }

    /// Positions in the plan's CRS, in the local frame.
    pub fn local(&self, pts: &[(f64, f64)]) -> Result<Vec<Coord<f64>>> {
        self.local_wgs(&self.source.to_wgs(pts)?)
    }

    /// A local-frame point back in the plan's own CRS, as the analysis
    /// writes it: longitude/latitude rounded to 1e-7° (about 1 cm) for a
    /// WGS84 plan, the declared CRS's units rounded to 1 mm otherwise.
    pub fn to_plan(&self, c: Coord<f64>) -> Result<planform_model::Position> {
        let (lon, lat) = self.to_wgs(c)?;
        Ok(match &self.source.0 {
            None => {
                planform_model::Position::new((lon * 1e7).round() / 1e7, (lat * 1e7).round() / 1e7)
            }
            Some(f) => {
                let (x, y) = f.forward(lon, lat)?;
                planform_model::Position::new((x * 1e3).round() / 1e3, (y * 1e3).round() / 1e3)
            }
        })
    }

    /// Local polygons back in the plan's own CRS (as [`Frames::to_plan`]),
    /// as a GeoJSON Polygon (one piece) or MultiPolygon, rings closed and
    /// exteriors counter-clockwise as RFC 7946 asks.
    pub fn to_plan_polygons(&self, region: &MultiPolygon<f64>) -> Result<Geometry> {
        use geo::winding_order::Winding;
        // each ring written in the orientation asked for, reversed on the
        // way where it runs the other way (no oriented copy of the region)
        let ring = |r: &LineString<f64>, ccw: bool| -> Result<Vec<planform_model::Position>> {
            let mut out = Vec::with_capacity(r.0.len() + 1);
            if r.is_ccw() == ccw {
                for c in &r.0 {
                    out.push(self.to_plan(*c)?);
                }
            } else {
                for c in r.0.iter().rev() {
                    out.push(self.to_plan(*c)?);
                }
            }
            if let (Some(a), Some(b)) = (out.first().cloned(), out.last())
                && &a != b
            {
                out.push(a);
            }
            Ok(out)
        };
        let mut polygons = Vec::with_capacity(region.0.len());
        for p in &region.0 {
            let mut rings = Vec::with_capacity(1 + p.interiors().len());
            rings.push(ring(p.exterior(), true)?);
            for hole in p.interiors() {
                rings.push(ring(hole, false)?);
            }
            polygons.push(rings);
        }
        Ok(Geometry::new(if polygons.len() == 1 {
            GeometryValue::Polygon(polygons.remove(0))
        } else {
            GeometryValue::MultiPolygon(polygons)
        }))
    }
}

/// The front side's frame: where it starts, which way it runs, and which
/// way is into the lot.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct FrontFrame {
    /// The side's first point.
    pub origin: Coord<f64>,
    /// The unit direction of its chord.
    pub along: Coord<f64>,
    /// The unit normal pointing into the lot.
    pub inward: Coord<f64>,
}

/// What [`analyze_parcel`] finds.
#[derive(Debug, Clone)]
pub struct ParcelAnalysis {
    /// The plan's top-level `parcel` record.
    pub record: Parcel,
    /// The sides in the local metric frame, in the record's order.
    pub sides: Vec<SideGeom>,
    /// Their roles.
    pub roles: Vec<Assigned>,
    /// The primary building's footprint (the largest `building` polygon's
    /// outer ring) in the same frame, when the plan has one.
    pub footprint: Option<Vec<Coord<f64>>>,
    /// The parcel's outer ring in WGS84 longitude/latitude.
    pub ring: Vec<(f64, f64)>,
}

impl ParcelAnalysis {
    /// The frame of side `front`: its first point, the unit direction of
    /// its chord, and the unit normal pointing into the lot.
    pub fn front_frame(&self, front: usize) -> FrontFrame {
        let f = &self.sides[front];
        let (f0, f1) = (f.points[0], f.points[f.points.len() - 1]);
        let l = (f1.x - f0.x).hypot(f1.y - f0.y).max(1e-9);
        let dir = Coord {
            x: (f1.x - f0.x) / l,
            y: (f1.y - f0.y) / l,
        };
        // sides run in the ring's direction: the lot is left of travel on
        // a counter-clockwise ring
        let ccw = crate::geom::is_ccw(&crate::sides::ring(&self.sides));
        let inward = if ccw {
            Coord {
                x: -dir.y,
                y: dir.x,
            }
        } else {
            Coord {
                x: dir.y,
                y: -dir.x,
            }
        };
        FrontFrame {
            origin: f0,
            along: dir,
            inward,
        }
    }

    /// The setback report of the primary building against `minimums`
    /// (`None` without a building).
    pub fn setbacks(
        &self,
        minimums: &crate::setbacks::Minimums,
    ) -> Option<planform_model::analysis::SetbackReport> {
        let footprint = self.footprint.as_ref()?;
        let sides: Vec<(String, SideRole, &SideGeom)> = self
            .sides
            .iter()
            .zip(&self.roles)
            .enumerate()
            .map(|(i, (g, a))| (format!("side-{i}"), a.role.clone(), g))
            .collect();
        Some(crate::setbacks::setback_report(&sides, footprint, minimums))
    }
}

/// A building's outer ring in its plan's CRS and its garage door's edge.
type Building = (Vec<(f64, f64)>, Option<usize>);

/// The outer ring of the largest `building` polygon (by shoelace area in
/// the plan's units: only the ranking matters) and its
/// `garageFaceEdgeIndex`.
fn primary_building(plan: &SitePlan) -> Option<Building> {
    let area = |r: &[(f64, f64)]| {
        use geo::Area;
        let ring: Vec<Coord<f64>> = r.iter().map(|&(x, y)| Coord { x, y }).collect();
        crate::geom::polygon(&ring).unsigned_area()
    };
    plan.features
        .iter()
        .filter(|f| f.catalog_type() == Some(&CatalogType::Building))
        .filter_map(|f| {
            let garage = f
                .attrs::<BuildingAttrs>()
                .and_then(BuildingAttrs::garage_face_edge);
            outer_ring(f).map(|r| (r, garage))
        })
        .max_by(|a, b| area(&a.0).total_cmp(&area(&b.0)))
}

/// The side the garage door faces: the first side of the parcel met going
/// out from the middle of the footprint's edge `edge` (the building's
/// `garageFaceEdgeIndex`: the edge from vertex `edge` to the next), square
/// to it.
fn garage_front(sides: &[SideGeom], footprint: &[Coord<f64>], edge: usize) -> Option<usize> {
    let closed = footprint.len() > 1 && footprint[0] == footprint[footprint.len() - 1];
    let n = footprint.len() - usize::from(closed);
    if n < 3 || edge >= n {
        return None;
    }
    let (a, b) = (footprint[edge], footprint[(edge + 1) % n]);
    let (dx, dy) = (b.x - a.x, b.y - a.y);
    let l = dx.hypot(dy);
    if l == 0.0 {
        return None;
    }
    // right of travel is outside a counter-clockwise ring
    let sign = if crate::geom::is_ccw(&footprint[..n]) {
        1.0
    } else {
        -1.0
    };
    let out = Coord {
        x: sign * dy / l,
        y: -sign * dx / l,
    };
    let from = Coord {
        x: f64::midpoint(a.x, b.x),
        y: f64::midpoint(a.y, b.y),
    };
    let mut best: Option<(usize, f64)> = None;
    for (k, s) in sides.iter().enumerate() {
        for w in s.points.windows(2) {
            let (e, f) = (w[0], w[1]);
            let (sx, sy) = (f.x - e.x, f.y - e.y);
            let den = out.x * sy - out.y * sx;
            if den.abs() < 1e-12 {
                continue;
            }
            let (ax, ay) = (e.x - from.x, e.y - from.y);
            let t = (ax * sy - ay * sx) / den;
            let u = (ax * out.y - ay * out.x) / den;
            if t > 0.0 && (0.0..=1.0).contains(&u) && best.is_none_or(|(_, d)| t < d) {
                best = Some((k, t));
            }
        }
    }
    best.map(|(k, _)| k)
}

/// The service's `parcel` record of sides and roles.
fn record(sides: &[SideGeom], roles: &[Assigned], frames: &Frames) -> Result<Parcel> {
    let Classified { class, confidence } = classify(sides, roles);
    let mut out_sides = Vec::with_capacity(sides.len());
    for (i, (s, a)) in sides.iter().zip(roles).enumerate() {
        let lonlat: Vec<Coord<f64>> = s
            .points
            .iter()
            .map(|c| frames.to_wgs(*c).map(|(x, y)| Coord { x, y }))
            .collect::<std::result::Result<_, _>>()?;
        let metres: f64 = lonlat
            .windows(2)
            .map(|w| planform_model::geodesic::distance(w[0], w[1]))
            .sum();
        out_sides.push(Side {
            id: Some(format!("side-{i}")),
            index: Some(Number::from(s.index)),
            role: Some(a.role.clone()),
            relation: a.relation.clone(),
            measured_length_meters: num(metres),
            ..Side::default()
        });
    }
    let parcel = Parcel {
        classification: Some(ParcelClassification {
            class: Some(class),
            confidence: num(confidence),
            source: Some("planform".into()),
            ..ParcelClassification::default()
        }),
        sides: Some(out_sides),
        ..Parcel::default()
    };
    Ok(parcel)
}

/// The index of the plan's one parcel: its `catalogType` parcel feature
/// or, in a plain parcel layer, its one polygon; several are an error
/// naming how many.
pub(crate) fn parcel_index(plan: &SitePlan) -> Result<usize> {
    // one parcel per analysis: the typed parcel features, else (a plain
    // parcel layer) every polygon
    let typed: Vec<usize> = (0..plan.features.len())
        .filter(|&i| plan.features[i].catalog_type() == Some(&CatalogType::Parcel))
        .collect();
    let candidates = if typed.is_empty() {
        (0..plan.features.len())
            .filter(|&i| {
                let f = &plan.features[i];
                f.catalog_type().is_none() && outer_ring(f).is_some()
            })
            .collect()
    } else {
        typed
    };
    match candidates.as_slice() {
        [one] => Ok(*one),
        [] => Err(SiteError::invalid(
            "site plan",
            "no parcel feature (catalogType parcel, or a polygon)",
        )),
        many => Err(SiteError::invalid(
            "site plan",
            format!(
                "{} parcels: one site plan is one parcel (analyze each alone; \
                 --label-sides labels the sides of a whole layer)",
                many.len()
            ),
        )),
    }
}

/// Analyses the plan's parcel feature (`catalogType` parcel; in a plain
/// parcel layer, the first polygon): the record for the plan's top-level
/// `parcel`, with the sides, their roles and the primary building's
/// footprint in the local frame.
#[cfg(test)]
pub(crate) fn analyze_parcel(
    plan: &SitePlan,
    context: &Context,
    o: &ParcelOptions,
) -> Result<ParcelAnalysis> {
    analyze_parcel_framed(plan, context, o).map(|(a, _)| a)
}

/// [`analyze_parcel`] and the analysis' frames.
pub(crate) fn analyze_parcel_framed(
    plan: &SitePlan,
    context: &Context,
    o: &ParcelOptions,
) -> Result<(ParcelAnalysis, Frames)> {
    let feature = &plan.features[parcel_index(plan)?];
    let source = Frames::source(plan)?;
    let ring = source
        .to_wgs(&outer_ring(feature).ok_or_else(|| {
            SiteError::invalid("parcel feature", "not a Polygon or MultiPolygon")
        })?)?;
    let frames = Frames::new(source, &ring)?;
    let project = |pts: &[(f64, f64)]| frames.local_wgs(pts);
    let to_wgs = |pts: Vec<(f64, f64)>| frames.source.to_wgs(&pts);
    let local = project(&ring)?;
    let sides = split_sides(&local, o.max_turn_deg.to_radians());
    if sides.len() < 3 {
        return Err(SiteError::invalid(
            "parcel feature",
            "fewer than three sides",
        ));
    }
    let reach = Reach::of(o, frames.centre.1);
    let streets = Streets::from_context(
        context,
        o,
        (crate::geom::bbox(&ring), reach.roads, reach.boundaries),
        &project,
    )?;
    let shared = along(
        (&context.parcels, context.has_fabric()),
        &ring,
        (&ring, reach.boundaries),
        &sides,
        o.share_tolerance_m,
        &project,
    )?;
    let street: Vec<bool> = if !streets.is_empty() {
        streets.frontages(&sides, &shared)
    } else if context.has_fabric() {
        shared.iter().map(|s| !s).collect()
    } else {
        vec![false; sides.len()]
    };
    let address = context
        .address
        .clone()
        .or_else(|| {
            feature
                .properties
                .as_ref()
                .and_then(|p| first_named(&p.extra, &ADDRESS_KEYS))
        })
        .or_else(|| first_named(&plan.extra, &["address"]));
    let addressed = address
        .as_deref()
        .and_then(|a| streets.address_front(&sides, a))
        .filter(|h| street[*h]);
    let building = primary_building(plan);
    let footprint = building
        .as_ref()
        .map(|(r, _)| to_wgs(r.clone()).and_then(|r| project(&r)))
        .transpose()?;
    let garage = building
        .and_then(|(_, g)| g)
        .zip(footprint.as_deref())
        .and_then(|(edge, fp)| garage_front(&sides, fp, edge));
    let hint = driveway_front(plan, &sides, &|pts: &[(f64, f64)]| {
        project(&to_wgs(pts.to_vec())?)
    })?
    .or(garage);
    let roles = if street.iter().any(|s| *s) {
        assign(&sides, &street, addressed.or(hint.filter(|h| street[*h])))
    } else if let Some(h) = hint {
        // only a driveway or the garage door says where the street is
        let mut st = vec![false; sides.len()];
        st[h] = true;
        assign(&sides, &st, Some(h))
    } else {
        assign(&sides, &street, None)
    };
    let parcel = record(&sides, &roles, &frames)?;
    Ok((
        ParcelAnalysis {
            record: parcel,
            sides,
            roles,
            footprint,
            ring,
        },
        frames,
    ))
}

/// WGS84 positions to a local frame.
pub(crate) type Project<'a> = dyn Fn(&[(f64, f64)]) -> Result<Vec<Coord<f64>>> + 'a;

/// How far around the parcel each context layer is read, WGS84 degrees
/// (of longitude, the wider, at the lot's latitude): what can decide a
/// side's role with 10 m to spare. Roads: a road ahead within the road
/// distance, an address's street within twice it; the fabric and the
/// right-of-way: a boundary within the sharing tolerance. Farther lines
/// and rings (the rest of a county, a continent away in a wrong file) are
/// not projected at all, and a batch hands each lot only what lies within
/// these ([`Reach::of`] is the one measure for both).
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Reach {
    /// For road centrelines.
    pub roads: f64,
    /// For the parcel fabric and right-of-way rings.
    pub boundaries: f64,
}

impl Reach {
    pub(crate) fn of(o: &ParcelOptions, lat: f64) -> Self {
        let per_m = 1.0 / (111_000.0 * lat.to_radians().cos().max(0.05));
        Self {
            roads: (2.0 * o.road_distance_m.max(1.0) + 10.0) * per_m,
            boundaries: (o.share_tolerance_m + 10.0) * per_m,
        }
    }
}

/// The runs of consecutive segments of a WGS84 line whose bounding boxes
/// come within `margin` degrees of `area` (a segment farther away than the
/// reach decides nothing): the only parts of a long line the analysis
/// projects and indexes.
pub(crate) fn near_runs(
    line: &[(f64, f64)],
    area: Option<geo_types::Rect<f64>>,
    margin: f64,
) -> impl Iterator<Item = &[(f64, f64)]> {
    let Some(area) = area else {
        return Vec::new().into_iter();
    };
    let (lo, hi) = (area.min(), area.max());
    let meets = |a: (f64, f64), b: (f64, f64)| {
        a.0.min(b.0) <= hi.x + margin
            && a.0.max(b.0) >= lo.x - margin
            && a.1.min(b.1) <= hi.y + margin
            && a.1.max(b.1) >= lo.y - margin
    };
    let mut runs = Vec::new();
    let mut start = None;
    for (i, w) in line.windows(2).enumerate() {
        match (meets(w[0], w[1]), start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                runs.push(&line[s..=i]);
                start = None;
            }
            _ => {}
        }
    }
    if let Some(s) = start {
        runs.push(&line[s..]);
    }
    runs.into_iter()
}

/// Whether a WGS84 line's bounding box comes within `margin` degrees of
/// the parcel ring's.
fn near(line: &[(f64, f64)], ring: &[(f64, f64)], margin: f64) -> bool {
    crate::geom::boxes_meet(crate::geom::bbox(line), crate::geom::bbox(ring), margin)
}

/// Per side, whether half of it lies within `tolerance` of one of `lines`
/// (WGS84 rings or polylines near the parcel `ring`; one equal to `skip`,
/// the parcel itself in its own fabric, is left out).
fn along(
    (lines, given): (&[Vec<(f64, f64)>], bool),
    skip: &[(f64, f64)],
    (ring, margin): (&[(f64, f64)], f64),
    sides: &[SideGeom],
    tolerance: f64,
    project: &Project<'_>,
) -> Result<Vec<bool>> {
    let mut fabric = Fabric::new(10.0);
    for (i, r) in lines.iter().enumerate() {
        let same = r.len() == skip.len()
            && r.iter()
                .zip(skip)
                .all(|(a, b)| (a.0 - b.0).abs() < 1e-9 && (a.1 - b.1).abs() < 1e-9);
        if !same && near(r, ring, margin) {
            for run in near_runs(r, crate::geom::bbox(ring), margin) {
                fabric.add(i + 1, &project(run)?);
            }
        }
    }
    Ok(sides
        .iter()
        .map(|s| given && fabric.shared_fraction(0, s, tolerance) >= 0.5)
        .collect())
}

/// The side a driveway feature reaches (its nearest point within 3 m).
fn driveway_front(
    plan: &SitePlan,
    sides: &[SideGeom],
    project: &Project<'_>,
) -> Result<Option<usize>> {
    // the side nearest any driveway position, within 3 m (a lot has a
    // handful of sides: a scan, not the fabric's grid)
    let mut best: Option<(usize, f64)> = None;
    for f in plan
        .features
        .iter()
        .filter(|f| f.catalog_type() == Some(&CatalogType::Driveway))
    {
        let Some(g) = &f.geometry else { continue };
        let mut pts = Vec::new();
        g.for_each_position(&mut |p| pts.push((p.x(), p.y())));
        for p in project(&pts)? {
            for (i, s) in sides.iter().enumerate() {
                let d = s
                    .points
                    .windows(2)
                    .map(|w| crate::geom::seg_dist(p, w[0], w[1]))
                    .fold(f64::INFINITY, f64::min);
                if d <= 3.0 && best.is_none_or(|(_, b)| d < b) {
                    best = Some((i, d));
                }
            }
        }
    }
    Ok(best.map(|(side, _)| side))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_quadratics_are_the_series_within_their_reach() {
        // lots at the equator, mid-latitudes, the far north, a zone's edge
        let (mut worst, mut worst_m): (f64, f64) = (0.0, 0.0);
        for (lon, lat) in [
            (-87.9, 0.1),
            (-87.9, 41.7),
            (4.36, 52.0),
            (25.0, 69.9),
            (-89.99, 30.0),
        ] {
            let ring = [(lon, lat), (lon + 0.001, lat), (lon, lat + 0.001)];
            let f = Frames::new(Source(None), &ring).unwrap();
            let o = f.near.origin;
            for k in 0..64 {
                let t = f64::from(k) * 0.618;
                let r = QUADRATIC_REACH_M * (f64::from(k % 8) + 1.0) / 8.0;
                let c = Coord {
                    x: o.x + r * t.cos(),
                    y: o.y + r * t.sin(),
                };
                let got = f.to_wgs(c).unwrap();
                let want = f.frame.inverse(c.x, c.y).unwrap();
                worst = worst
                    .max((got.0 - want.0).abs())
                    .max((got.1 - want.1).abs());
                // and forward, in metres
                let back = f.local_wgs(&[want]).unwrap()[0];
                worst_m = worst_m.max((back.x - c.x).abs()).max((back.y - c.y).abs());
            }
            // beyond the reach, the series itself
            let far = Coord {
                x: o.x + 600.0,
                y: o.y,
            };
            assert_eq!(
                f.to_wgs(far).unwrap(),
                f.frame.inverse(far.x, far.y).unwrap()
            );
        }
        eprintln!("worst {worst:e} degrees, {worst_m:e} m");
        assert!(worst < 5e-10, "{worst:e} degrees");
        assert!(worst_m < 5e-5, "{worst_m:e} m");
    }

    const LAT: f64 = 32.33;
    const LON: f64 = -96.62;

    /// Local metres (east, north) around the test site to longitude/latitude.
    fn wgs(x: f64, y: f64) -> (f64, f64) {
        (
            LON + x / (111_320.0 * LAT.to_radians().cos()),
            LAT + y / 110_574.0,
        )
    }

    /// A 20 m × 40 m corner lot: Main St along its short south side, Oak
    /// Ave along its long east side, 8 m out; the parcel's own properties
    /// as given.
    fn corner(props: &serde_json::Value) -> (SitePlan, Context) {
        corner_with(props, &[])
    }

    /// The closed WGS84 ring of the rectangle `x0..x1` × `y0..y1` (local
    /// metres), as GeoJSON positions.
    fn rect_wgs(x0: f64, y0: f64, x1: f64, y1: f64) -> Vec<[f64; 2]> {
        crate::sides::rect_ring(x0, y0, x1, y1)
            .iter()
            .map(|c| {
                let (a, b) = wgs(c.x, c.y);
                [a, b]
            })
            .collect()
    }

    /// [`corner`] with more features (local metres turned to WGS84 by the
    /// caller with [`wgs`]).
    fn corner_with(props: &serde_json::Value, more: &[serde_json::Value]) -> (SitePlan, Context) {
        let ring = rect_wgs(0.0, 0.0, 20.0, 40.0);
        let mut p = props.clone();
        p["catalogType"] = "parcel".into();
        let mut doc = serde_json::json!({"type": "FeatureCollection", "features": [
            {"type": "Feature", "properties": p,
             "geometry": {"type": "Polygon", "coordinates": [ring]}}]});
        doc["features"]
            .as_array_mut()
            .unwrap()
            .extend(more.iter().cloned());
        let plan = SitePlan::from_slice(&serde_json::to_vec(&doc).unwrap()).unwrap();
        let context = Context {
            roads: vec![
                vec![wgs(-60.0, -8.0), wgs(80.0, -8.0)],
                vec![wgs(28.0, -60.0), wgs(28.0, 100.0)],
            ],
            road_names: vec![Some("W Main St".into()), Some("Oak Avenue".into())],
            ..Context::default()
        };
        (plan, context)
    }

    fn front(a: &ParcelAnalysis) -> Option<usize> {
        a.roles.iter().position(|r| r.role == SideRole::Front)
    }

    /// The side (by its outward direction) at index `k`: 0 south, 1 east.
    fn side_facing(a: &ParcelAnalysis, east: bool) -> usize {
        (0..a.sides.len())
            .max_by(|i, j| {
                let m = |k: usize| {
                    let p = a.sides[k].midpoint();
                    if east { p.x } else { -p.y }
                };
                m(*i).total_cmp(&m(*j))
            })
            .unwrap()
    }

    /// A lot whose front is an arc of `radius` turning 60°, closed by
    /// straight sides back to the arc's centre side.
    fn arc_lot(radius: f64) -> Vec<SideGeom> {
        let arc: Vec<Coord<f64>> = (0..=12)
            .map(|i| {
                let a = (60.0 + 5.0 * f64::from(i)).to_radians();
                Coord {
                    x: radius * a.cos(),
                    y: -radius * a.sin(),
                }
            })
            .collect();
        let mut ring = arc.clone();
        let (first, last) = (arc[0], arc[arc.len() - 1]);
        ring.push(Coord {
            x: last.x * 3.0,
            y: last.y - 40.0,
        });
        ring.push(Coord {
            x: first.x * 3.0,
            y: first.y - 40.0,
        });
        crate::sides::split_sides(&ring, 15f64.to_radians())
    }

    #[test]
    fn only_a_tight_arc_makes_a_culdesac_lot() {
        for (radius, culdesac) in [(15.0, true), (25.0, true), (120.0, false)] {
            let sides = arc_lot(radius);
            let front = sides.iter().position(|s| s.curved).unwrap();
            let mut street = vec![false; sides.len()];
            street[front] = true;
            let roles = assign(&sides, &street, None);
            assert_eq!(roles[front].role, SideRole::Front);
            let class = classify(&sides, &roles).class;
            assert_eq!(
                class == ParcelClass::Culdesac,
                culdesac,
                "radius {radius}: {class:?}"
            );
        }
    }

    #[test]
    fn the_garage_door_says_which_street_a_corner_lot_fronts_on() {
        let o = ParcelOptions::default();
        let house = |garage: Option<usize>| {
            let ring = rect_wgs(5.0, 10.0, 15.0, 30.0);
            let mut attrs = serde_json::json!({});
            if let Some(g) = garage {
                attrs["garageFaceEdgeIndex"] = g.into();
            }
            serde_json::json!({"type": "Feature",
                "properties": {"catalogType": "building", "attrs": attrs},
                "geometry": {"type": "Polygon", "coordinates": [ring]}})
        };
        // edge 1 runs up the east wall: the garage faces Oak Ave
        let (plan, context) = corner_with(&serde_json::json!({}), &[house(Some(1))]);
        let a = analyze_parcel(&plan, &context, &o).unwrap();
        assert_eq!(front(&a), Some(side_facing(&a, true)));
        // edge 0 (the south wall) faces Main St, as does a house without one
        for g in [Some(0), None] {
            let (plan, context) = corner_with(&serde_json::json!({}), &[house(g)]);
            let a = analyze_parcel(&plan, &context, &o).unwrap();
            assert_eq!(front(&a), Some(side_facing(&a, false)), "{g:?}");
        }
        // the address outranks the garage
        let (plan, context) = corner_with(
            &serde_json::json!({"ADDRESS": "3 Main St"}),
            &[house(Some(1))],
        );
        let a = analyze_parcel(&plan, &context, &o).unwrap();
        assert_eq!(front(&a), Some(side_facing(&a, false)));
    }

    #[test]
    fn a_corner_lot_fronts_on_its_shorter_frontage_unless_the_address_says_otherwise() {
        let o = ParcelOptions::default();
        let (plan, context) = corner(&serde_json::json!({}));
        let a = analyze_parcel(&plan, &context, &o).unwrap();
        assert_eq!(front(&a), Some(side_facing(&a, false)));
        // Oak Ave runs beside the rear and behind the west side: neither
        // faces a street
        let mut roles: Vec<SideRole> = a.roles.iter().map(|r| r.role.clone()).collect();
        roles.sort_by_key(|r| format!("{r:?}"));
        assert_eq!(
            roles,
            [
                SideRole::Exterior,
                SideRole::Front,
                SideRole::Interior,
                SideRole::Rear
            ]
        );
        // the address on the long side's street moves the front there
        let ctx = Context {
            address: Some("12 OAK AVE, ENNIS, TX".into()),
            ..context.clone()
        };
        let b = analyze_parcel(&plan, &ctx, &o).unwrap();
        assert_eq!(front(&b), Some(side_facing(&b, true)));
        assert_eq!(
            b.roles[side_facing(&b, false)].role,
            SideRole::Exterior,
            "{:?}",
            b.roles
        );
        // so does the plan's top-level address
        let (mut plan2, context2) = corner(&serde_json::json!({}));
        plan2
            .extra
            .insert("address".into(), "12 Oak Ave, Ennis, TX".into());
        let e = analyze_parcel(&plan2, &context2, &o).unwrap();
        assert_eq!(front(&e), Some(side_facing(&e, true)));
        // so does the parcel's own situs address
        let (plan, context) = corner(&serde_json::json!({"SITUS_ADDR": "12 NULL OAK , ENNIS"}));
        let c = analyze_parcel(&plan, &context, &o).unwrap();
        assert_eq!(front(&c), Some(side_facing(&c, true)));
        // an address naming neither street changes nothing
        let ctx = Context {
            address: Some("7 Elm St".into()),
            ..context
        };
        let d = analyze_parcel(&plan, &ctx, &o).unwrap();
        assert_eq!(front(&d), Some(side_facing(&d, false)));
    }
}
