//! Plane geometry the other crates share (coordinates in any planar frame).

use geo_types::Coord;

/// The point at fraction `t` (clamped to 0–1) of a polyline's length; the
/// last point when it has no length; `None` without points.
pub fn point_along(points: &[Coord<f64>], t: f64) -> Option<Coord<f64>> {
    let seg = |w: &[Coord<f64>]| (w[1].x - w[0].x).hypot(w[1].y - w[0].y);
    let mut rest = points.windows(2).map(seg).sum::<f64>() * t.clamp(0.0, 1.0);
    for w in points.windows(2) {
        let l = seg(w);
        if l >= rest && l > 0.0 {
            let k = rest / l;
            return Some(Coord {
                x: w[0].x + (w[1].x - w[0].x) * k,
                y: w[0].y + (w[1].y - w[0].y) * k,
            });
        }
        rest -= l;
    }
    points.last().copied()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn points_along_a_bent_line() {
        let c = |x, y| Coord { x, y };
        let l = [c(0.0, 0.0), c(10.0, 0.0), c(10.0, 10.0)];
        assert_eq!(point_along(&l, 0.5), Some(c(10.0, 0.0)));
        assert_eq!(point_along(&l, 0.75), Some(c(10.0, 5.0)));
        assert_eq!(point_along(&l, 2.0), Some(c(10.0, 10.0)));
        assert_eq!(point_along(&[c(3.0, 4.0)], 0.5), Some(c(3.0, 4.0)));
        assert_eq!(point_along(&[], 0.5), None);
    }
}
