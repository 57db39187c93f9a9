//! Local metric frames for analysis and CAD: auto UTM from a plan's centroid,
//! or any projected `EPSG:xxxx`.
//!
//! UTM zones (EPSG 326xx / 327xx) use this crate's own Krüger-series
//! Transverse Mercator ([`crate::tmerc`], nanometre-accurate). Other EPSG
//! codes are resolved through `crs-definitions` and projected by the pure-Rust
//! `proj4rs`, or, with the `proj` feature, by the system PROJ library (which
//! knows every EPSG code and picks PROJ's own datum pipelines). Input
//! coordinates are always WGS84 longitude/latitude degrees.

use std::fmt;
use std::str::FromStr;

use crate::error::{ModelError, Result};
use crate::geometry::Geometry;
use crate::site_plan::SitePlan;
use crate::tmerc::TransverseMercator;

/// What frame the caller asks for (`--crs utm` or `--crs EPSG:32616`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum CrsSpec {
    /// The UTM zone of the data's centroid.
    #[default]
    AutoUtm,
    /// A projected EPSG code.
    Epsg(u32),
}

impl FromStr for CrsSpec {
    type Err = ModelError;
    fn from_str(s: &str) -> Result<Self> {
        let t = s.trim();
        if t.eq_ignore_ascii_case("utm") || t.eq_ignore_ascii_case("auto") {
            return Ok(Self::AutoUtm);
        }
        epsg_from_name(t)
            .map(Self::Epsg)
            .ok_or_else(|| ModelError::UnsupportedCrs {
                crs: s.to_owned(),
                reason: "expected `utm`, `EPSG:<code>` or a bare EPSG code".into(),
            })
    }
}

impl fmt::Display for CrsSpec {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::AutoUtm => f.write_str("utm"),
            Self::Epsg(c) => write!(f, "EPSG:{c}"),
        }
    }
}

/// Reads an EPSG code from the usual spellings: `EPSG:3857`, `epsg:3857`,
/// `3857`, `urn:ogc:def:crs:EPSG::3857`, `urn:ogc:def:crs:EPSG:9.9:3857`,
/// and the CRS84 URN (→ 4326).
pub fn epsg_from_name(name: &str) -> Option<u32> {
    let n = name.trim();
    if n.ends_with("CRS84") {
        return Some(4326);
    }
    let code = n.rsplit(':').next()?;
    let has_epsg = n.to_ascii_uppercase().contains("EPSG") || !n.contains(':');
    if !has_epsg {
        return None;
    }
    code.parse().ok().filter(|c| *c > 0)
}

/// The OGC WKT 1 of an EPSG code, when `crs-definitions` bundles it
/// (geographic and projected systems, EPSG:4326 among them).
pub fn wkt(epsg: u32) -> Option<&'static str> {
    u16::try_from(epsg)
        .ok()
        .and_then(crs_definitions::from_code)
        .map(|d| d.wkt)
}

/// The UTM zone (1–60) of a WGS84 position, with the Norway and Svalbard
/// exceptions of the UTM grid.
pub fn utm_zone(lon: f64, lat: f64) -> u8 {
    let lon = (lon + 180.0).rem_euclid(360.0) - 180.0;
    let mut zone = ((lon + 180.0) / 6.0).floor() as i32 + 1;
    if (56.0..64.0).contains(&lat) && (3.0..12.0).contains(&lon) {
        zone = 32;
    }
    if (72.0..84.0).contains(&lat) {
        zone = match lon {
            l if (0.0..9.0).contains(&l) => 31,
            l if (9.0..21.0).contains(&l) => 33,
            l if (21.0..33.0).contains(&l) => 35,
            l if (33.0..42.0).contains(&l) => 37,
            _ => zone,
        };
    }
    zone.clamp(1, 60) as u8
}

enum Engine {
    Tm(TransverseMercator),
    #[cfg_attr(feature = "proj", allow(dead_code))]
    Proj4 {
        wgs84: Box<proj4rs::Proj>,
        dst: Box<proj4rs::Proj>,
    },
    #[cfg(feature = "proj")]
    System,
}

/// The system PROJ backend. `proj::Proj` is neither `Send` nor `Sync`, so
/// each thread keeps its own transformations, created on first use; a
/// `LocalFrame` itself stays `Send + Sync` whichever backend it uses.
#[cfg(feature = "proj")]
mod system {
    use std::cell::RefCell;
    use std::collections::HashMap;

    thread_local! {
        static CACHE: RefCell<HashMap<(u32, bool), proj::Proj>> = RefCell::new(HashMap::new());
    }

    /// Transforms one coordinate: WGS84 → EPSG:`code` when `forward`, else back.
    pub(super) fn transform(
        code: u32,
        forward: bool,
        x: f64,
        y: f64,
    ) -> Result<(f64, f64), String> {
        CACHE.with(|cache| {
            let mut cache = cache.borrow_mut();
            let p = match cache.entry((code, forward)) {
                std::collections::hash_map::Entry::Occupied(e) => e.into_mut(),
                std::collections::hash_map::Entry::Vacant(e) => {
                    let (wgs84, other) = ("EPSG:4326".to_owned(), format!("EPSG:{code}"));
                    let (from, to) = if forward {
                        (wgs84, other)
                    } else {
                        (other, wgs84)
                    };
                    e.insert(
                        proj::Proj::new_known_crs(&from, &to, None).map_err(|e| e.to_string())?,
                    )
                }
            };
            p.convert((x, y)).map_err(|e| e.to_string())
        })
    }
}

/// A projected frame: WGS84 degrees in, easting/northing in the frame's
/// unit out (metres for UTM; see [`LocalFrame::metres_per_unit`]).
pub struct LocalFrame {
    epsg: u32,
    metres_per_unit: f64,
    engine: Engine,
}

#[allow(clippy::missing_fields_in_debug)] // the engine holds no user-facing state
impl fmt::Debug for LocalFrame {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("LocalFrame")
            .field("epsg", &self.epsg)
            .field("metres_per_unit", &self.metres_per_unit)
            .finish()
    }
}

fn unit_of(proj4: &str) -> f64 {
    for part in proj4.split_whitespace() {
        if let Some(Ok(v)) = part.strip_prefix("+to_meter=").map(str::parse) {
            return v;
        }
        if let Some(u) = part.strip_prefix("+units=") {
            return match u {
                "us-ft" => crate::units::US_FT_TO_M,
                "ft" => crate::units::FT_TO_M,
                "km" => 1000.0,
                _ => 1.0,
            };
        }
    }
    1.0
}

impl LocalFrame {
    /// The UTM frame whose zone holds `(lon, lat)`.
    pub fn utm_for(lon: f64, lat: f64) -> Result<Self> {
        if !(lon.is_finite()
            && lat.is_finite()
            && (-180.0..=180.0).contains(&lon)
            && (-80.0..=84.0).contains(&lat))
        {
            return Err(ModelError::UnsupportedCrs {
                crs: "utm".into(),
                reason: format!("({lon}, {lat}) is outside the UTM grid (lat -80..84)"),
            });
        }
        let zone = utm_zone(lon, lat);
        let north = lat >= 0.0;
        Ok(Self::utm(zone, north))
    }

    /// UTM zone `zone` on WGS84 (EPSG 326zz north, 327zz south).
    pub fn utm(zone: u8, north: bool) -> Self {
        let epsg = if north { 32600 } else { 32700 } + u32::from(zone);
        Self {
            epsg,
            metres_per_unit: 1.0,
            engine: Engine::Tm(TransverseMercator::utm(zone, north)),
        }
    }

    /// A frame for a projected EPSG code.
    pub fn from_epsg(code: u32) -> Result<Self> {
        let unsupported = |reason: String| ModelError::UnsupportedCrs {
            crs: format!("EPSG:{code}"),
            reason,
        };
        if let 32601..=32660 | 32701..=32760 = code {
            return Ok(Self::utm((code % 100) as u8, code < 32700));
        }
        let def = u16::try_from(code)
            .ok()
            .and_then(crs_definitions::from_code);
        #[cfg(feature = "proj")]
        {
            if def.is_some_and(|d| d.proj4.contains("+proj=longlat")) {
                return Err(unsupported(
                    "a geographic CRS is not a metric frame; pick a projected one".into(),
                ));
            }
            system::transform(code, true, 0.0, 0.0).map_err(unsupported)?;
            return Ok(Self {
                epsg: code,
                metres_per_unit: def.map_or(1.0, |d| unit_of(d.proj4)),
                engine: Engine::System,
            });
        }
        #[cfg_attr(feature = "proj", allow(unreachable_code))]
        let def = def.ok_or_else(|| unsupported("not in the bundled EPSG table".into()))?;
        let dst =
            proj4rs::Proj::from_proj_string(def.proj4).map_err(|e| unsupported(e.to_string()))?;
        if dst.is_latlong() {
            return Err(unsupported(
                "a geographic CRS is not a metric frame; pick a projected one".into(),
            ));
        }
        let wgs84 = proj4rs::Proj::from_proj_string("+proj=longlat +datum=WGS84 +no_defs")
            .map_err(|e| unsupported(e.to_string()))?;
        Ok(Self {
            epsg: code,
            metres_per_unit: unit_of(def.proj4),
            engine: Engine::Proj4 {
                wgs84: Box::new(wgs84),
                dst: Box::new(dst),
            },
        })
    }

    /// The frame a [`CrsSpec`] names for this plan.
    pub fn for_plan(plan: &SitePlan, spec: CrsSpec) -> Result<Self> {
        match spec {
            CrsSpec::Epsg(code) => Self::from_epsg(code),
            CrsSpec::AutoUtm => {
                let (lon, lat) = centroid(plan).ok_or_else(|| ModelError::Geometry {
                    reason: "the plan has no coordinates to choose a UTM zone from".into(),
                })?;
                Self::utm_for(lon, lat)
            }
        }
    }

    /// The frame's EPSG code.
    pub fn epsg(&self) -> u32 {
        self.epsg
    }

    /// Metres per frame unit (1 for UTM; 0.3048006 for US-foot state planes).
    pub fn metres_per_unit(&self) -> f64 {
        self.metres_per_unit
    }

    /// The frame's OGC WKT (for GeoPackage and `.prj` files), when bundled.
    pub fn wkt(&self) -> Option<&'static str> {
        wkt(self.epsg)
    }

    fn err(&self, x: f64, y: f64, reason: impl Into<String>) -> ModelError {
        ModelError::Projection {
            crs: format!("EPSG:{}", self.epsg),
            x,
            y,
            reason: reason.into(),
        }
    }

    /// WGS84 longitude/latitude degrees → frame coordinates.
    pub fn forward(&self, lon: f64, lat: f64) -> Result<(f64, f64)> {
        if !(lon.is_finite() && lat.is_finite()) || lat.abs() > 90.0 {
            return Err(self.err(lon, lat, "not a valid longitude/latitude"));
        }
        let out = match &self.engine {
            Engine::Tm(tm) => tm.forward(lon, lat),
            #[cfg(feature = "proj")]
            Engine::System => {
                system::transform(self.epsg, true, lon, lat).map_err(|e| self.err(lon, lat, e))?
            }
            Engine::Proj4 { wgs84, dst } => {
                let mut p = (lon.to_radians(), lat.to_radians(), 0.0);
                proj4rs::transform::transform(wgs84, dst, &mut p)
                    .map_err(|e| self.err(lon, lat, e.to_string()))?;
                (p.0, p.1)
            }
        };
        if out.0.is_finite() && out.1.is_finite() {
            Ok(out)
        } else {
            Err(self.err(lon, lat, "result is not finite"))
        }
    }

    /// Frame coordinates → WGS84 longitude/latitude degrees.
    pub fn inverse(&self, x: f64, y: f64) -> Result<(f64, f64)> {
        if !(x.is_finite() && y.is_finite()) {
            return Err(self.err(x, y, "not a finite coordinate"));
        }
        let out = match &self.engine {
            Engine::Tm(tm) => tm.inverse(x, y),
            #[cfg(feature = "proj")]
            Engine::System => {
                system::transform(self.epsg, false, x, y).map_err(|e| self.err(x, y, e))?
            }
            Engine::Proj4 { wgs84, dst } => {
                let mut p = (x, y, 0.0);
                proj4rs::transform::transform(dst, wgs84, &mut p)
                    .map_err(|e| self.err(x, y, e.to_string()))?;
                (p.0.to_degrees(), p.1.to_degrees())
            }
        };
        if out.0.is_finite() && out.1.is_finite() {
            Ok(out)
        } else {
            Err(self.err(x, y, "result is not finite"))
        }
    }

    /// Projects a WGS84 geometry into the frame (z and extra members kept).
    pub fn project(&self, g: &Geometry) -> Result<Geometry> {
        map_xy(g, |x, y| self.forward(x, y))
    }

    /// Unprojects a frame geometry back to WGS84.
    pub fn unproject(&self, g: &Geometry) -> Result<Geometry> {
        map_xy(g, |x, y| self.inverse(x, y))
    }

    /// Projects a `geo-types` geometry in WGS84 degrees into the frame.
    pub fn project_geo(&self, g: &geo_types::Geometry<f64>) -> Result<geo_types::Geometry<f64>> {
        Ok(self.project(&Geometry::from(g))?.to_geo())
    }
}

fn map_xy(g: &Geometry, f: impl Fn(f64, f64) -> Result<(f64, f64)>) -> Result<Geometry> {
    let mut out = g.clone();
    let mut err = None;
    out.map_positions(&mut |p| {
        if err.is_none() {
            match f(p.x(), p.y()) {
                Ok((x, y)) => p.set_xy(x, y),
                Err(e) => err = Some(e),
            }
        }
    });
    err.map_or(Ok(out), Err)
}

/// The centre of a plan's coordinate bounding box (longitude wrap ignored).
pub fn centroid(plan: &SitePlan) -> Option<(f64, f64)> {
    let mut b = [
        f64::INFINITY,
        f64::INFINITY,
        f64::NEG_INFINITY,
        f64::NEG_INFINITY,
    ];
    for f in &plan.features {
        if let Some(g) = &f.geometry {
            g.for_each_position(&mut |p| {
                if p.is_finite() {
                    b = [
                        b[0].min(p.x()),
                        b[1].min(p.y()),
                        b[2].max(p.x()),
                        b[3].max(p.y()),
                    ];
                }
            });
        }
    }
    b[0].is_finite()
        .then(|| (f64::midpoint(b[0], b[2]), f64::midpoint(b[1], b[3])))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn epsg_spellings() {
        assert_eq!(epsg_from_name("EPSG:3857"), Some(3857));
        assert_eq!(epsg_from_name("urn:ogc:def:crs:EPSG::28992"), Some(28992));
        assert_eq!(epsg_from_name("urn:ogc:def:crs:OGC:1.3:CRS84"), Some(4326));
        assert_eq!(epsg_from_name("32616"), Some(32616));
        assert_eq!(epsg_from_name("ESRI:102003"), None);
        assert_eq!("utm".parse::<CrsSpec>().unwrap(), CrsSpec::AutoUtm);
        assert!("EPSG:x".parse::<CrsSpec>().is_err());
    }

    #[test]
    fn utm_zones_including_exceptions() {
        assert_eq!(utm_zone(-87.878, 41.748), 16);
        assert_eq!(utm_zone(4.36, 52.01), 31);
        assert_eq!(utm_zone(5.3, 60.4), 32); // Bergen
        assert_eq!(utm_zone(15.6, 78.2), 33); // Longyearbyen
        assert_eq!(utm_zone(180.0, 0.0), 1);
        let f = LocalFrame::utm_for(-71.13, 42.376).unwrap();
        assert_eq!(f.epsg(), 32619);
        assert_eq!(LocalFrame::utm_for(151.2, -33.9).unwrap().epsg(), 32756);
        assert!(LocalFrame::utm_for(0.0, 85.0).is_err());
    }

    #[test]
    fn proj4_frames_round_trip_and_refuse_geographic() {
        let f = LocalFrame::from_epsg(3857).unwrap();
        let (x, y) = f.forward(-87.878, 41.748).unwrap();
        assert!((x - -9_782_535.0).abs() < 50.0, "{x}");
        assert!((y - 5_123_000.0).abs() < 5_000.0, "{y}");
        let (lon, lat) = f.inverse(x, y).unwrap();
        assert!((lon + 87.878).abs() < 1e-9 && (lat - 41.748).abs() < 1e-9);
        assert!(matches!(
            LocalFrame::from_epsg(4326),
            Err(ModelError::UnsupportedCrs { .. })
        ));
        assert!(matches!(
            LocalFrame::from_epsg(99999),
            Err(ModelError::UnsupportedCrs { .. })
        ));
        assert!(f.forward(f64::NAN, 0.0).is_err());
    }

    #[test]
    fn frames_are_send_and_sync_with_any_backend() {
        fn check<T: Send + Sync>() {}
        check::<LocalFrame>();
    }

    #[test]
    fn state_plane_feet_report_their_unit() {
        let f = LocalFrame::from_epsg(2276).unwrap();
        assert!((f.metres_per_unit() - crate::units::US_FT_TO_M).abs() < 1e-12);
        assert!(f.wkt().unwrap().contains("Texas North Central"));
    }
}
