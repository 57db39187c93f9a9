//! Geodesic lengths and areas on the WGS84 ellipsoid (Karney's algorithms,
//! via `geographiclib-rs`): what GeographicLib and pyproj's `Geod` compute.

use geo_types::{Coord, LineString, Polygon};
use geographiclib_rs::{Geodesic, InverseGeodesic, PolygonArea, Winding};

use crate::geometry::{Geometry, GeometryValue, Position};
use crate::units::{m_to_ft, sqm_to_sqft};

fn wgs84() -> &'static Geodesic {
    static G: std::sync::OnceLock<Geodesic> = std::sync::OnceLock::new();
    G.get_or_init(Geodesic::wgs84)
}

/// Geodesic distance in metres between two WGS84 points (x = lon, y = lat).
pub fn distance(a: Coord<f64>, b: Coord<f64>) -> f64 {
    let s: f64 = wgs84().inverse(a.y, a.x, b.y, b.x);
    s
}

/// Initial azimuth (degrees clockwise from north) and distance (metres) from
/// `a` to `b`.
pub fn azimuth_distance(a: Coord<f64>, b: Coord<f64>) -> (f64, f64) {
    let (s12, azi1, _azi2, _a12): (f64, f64, f64, f64) = wgs84().inverse(a.y, a.x, b.y, b.x);
    (azi1, s12)
}

/// Geodesic length of a polyline in metres.
pub fn length(line: &LineString<f64>) -> f64 {
    line.0.windows(2).map(|w| distance(w[0], w[1])).sum()
}

fn ring_area(ring: &LineString<f64>) -> f64 {
    let pts = &ring.0;
    let n = if pts.len() > 1 && pts.first() == pts.last() {
        pts.len() - 1
    } else {
        pts.len()
    };
    if n < 3 {
        return 0.0;
    }
    let mut pa = PolygonArea::new(wgs84(), Winding::CounterClockwise);
    for c in &pts[..n] {
        pa.add_point(c.y, c.x);
    }
    let (_perimeter, area, _) = pa.compute(true);
    area.abs()
}

/// Geodesic area of a polygon in m² (holes subtracted; ring orientation ignored).
pub fn area(polygon: &Polygon<f64>) -> f64 {
    let holes: f64 = polygon.interiors().iter().map(ring_area).sum();
    (ring_area(polygon.exterior()) - holes).max(0.0)
}

/// Geodesic perimeter of a polygon's exterior ring in metres.
pub fn perimeter(polygon: &Polygon<f64>) -> f64 {
    let mut ring = polygon.exterior().clone();
    ring.close();
    length(&ring)
}

fn line_of(ps: &[Position]) -> LineString<f64> {
    LineString(ps.iter().map(Position::coord).collect())
}

fn polygon_of(rings: &[Vec<Position>]) -> Polygon<f64> {
    let mut it = rings.iter();
    let ext = it.next().map_or_else(|| LineString(vec![]), |r| line_of(r));
    Polygon::new(ext, it.map(|r| line_of(r)).collect())
}

/// Geodesic measures of a WGS84 [`Geometry`].
pub trait GeodesicMeasure {
    /// Area in m² (0 for points and lines).
    fn geodesic_area_m2(&self) -> f64;
    /// Length in metres: lines' lengths, polygons' ring perimeters (holes
    /// included), 0 for points.
    fn geodesic_length_m(&self) -> f64;
    /// Area in square feet.
    fn geodesic_area_sqft(&self) -> f64 {
        sqm_to_sqft(self.geodesic_area_m2())
    }
    /// Length in feet.
    fn geodesic_length_ft(&self) -> f64 {
        m_to_ft(self.geodesic_length_m())
    }
}

impl GeodesicMeasure for Geometry {
    fn geodesic_area_m2(&self) -> f64 {
        match &self.value {
            GeometryValue::Polygon(r) => area(&polygon_of(r)),
            GeometryValue::MultiPolygon(ps) => ps.iter().map(|r| area(&polygon_of(r))).sum(),
            GeometryValue::GeometryCollection(gs) => {
                gs.iter().map(GeodesicMeasure::geodesic_area_m2).sum()
            }
            _ => 0.0,
        }
    }

    fn geodesic_length_m(&self) -> f64 {
        let rings =
            |rs: &Vec<Vec<Position>>| -> f64 { rs.iter().map(|r| length(&line_of(r))).sum() };
        match &self.value {
            GeometryValue::LineString(l) => length(&line_of(l)),
            GeometryValue::MultiLineString(ls) | GeometryValue::Polygon(ls) => rings(ls),
            GeometryValue::MultiPolygon(ps) => ps.iter().map(rings).sum(),
            GeometryValue::GeometryCollection(gs) => {
                gs.iter().map(GeodesicMeasure::geodesic_length_m).sum()
            }
            GeometryValue::Point(_) | GeometryValue::MultiPoint(_) => 0.0,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo_types::{coord, polygon};

    #[test]
    fn one_degree_of_longitude_at_the_equator() {
        // a * pi / 180 on the equator.
        let d = distance(coord! {x: 0.0, y: 0.0}, coord! {x: 1.0, y: 0.0});
        assert!((d - 111_319.490_793_273_57).abs() < 1e-6, "{d}");
    }

    #[test]
    fn area_ignores_orientation_and_subtracts_holes() {
        let ccw = polygon![(x: 0.0, y: 0.0), (x: 0.01, y: 0.0), (x: 0.01, y: 0.01), (x: 0.0, y: 0.01), (x: 0.0, y: 0.0)];
        let cw = polygon![(x: 0.0, y: 0.0), (x: 0.0, y: 0.01), (x: 0.01, y: 0.01), (x: 0.01, y: 0.0), (x: 0.0, y: 0.0)];
        let a = area(&ccw);
        assert!((a - area(&cw)).abs() < 1e-6);
        // ~1.113 km x 1.106 km
        assert!((a - 1_230_963.0).abs() < 2_000.0, "{a}");
        let with_hole = Polygon::new(ccw.exterior().clone(), vec![cw.exterior().clone()]);
        assert!(area(&with_hole) < 1e-6);
    }
}
