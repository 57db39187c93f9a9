//! Orthogonal snapping: the plan's dominant wall direction is estimated from
//! the outline itself, and edges within a few degrees of it (or of its
//! perpendicular) are made exactly parallel to it; diagonal edges are kept.

use geo_types::{Coord, LineString, Polygon};

/// The dominant direction of a set of polygons, in degrees in `[0, 90)`:
/// the length-weighted circular mean of edge directions modulo 90°.
pub fn dominant_direction(polygons: &[Polygon<f64>]) -> Option<f64> {
    let (mut sx, mut sy) = (0.0, 0.0);
    for p in polygons {
        for ring in std::iter::once(p.exterior()).chain(p.interiors()) {
            for l in ring.lines() {
                let len = l.dx().hypot(l.dy());
                if len == 0.0 {
                    continue;
                }
                // directions modulo 90°: multiply the angle by 4
                let a = 4.0 * l.dy().atan2(l.dx());
                sx += len * len * a.cos();
                sy += len * len * a.sin();
            }
        }
    }
    if sx == 0.0 && sy == 0.0 {
        return None;
    }
    Some((sy.atan2(sx) / 4.0).to_degrees().rem_euclid(90.0))
}

fn rotate(c: Coord<f64>, (s, k): (f64, f64)) -> Coord<f64> {
    Coord {
        x: c.x * k - c.y * s,
        y: c.x * s + c.y * k,
    }
}

/// Which axis (in the rotated frame) an edge follows: 0 = along x, 1 = along
/// y, or `None` for a diagonal.
fn axis(a: Coord<f64>, b: Coord<f64>, tol_deg: f64) -> Option<usize> {
    let ang = (b.y - a.y).atan2(b.x - a.x).to_degrees().rem_euclid(180.0);
    if ang <= tol_deg || ang >= 180.0 - tol_deg {
        Some(0)
    } else if (ang - 90.0).abs() <= tol_deg {
        Some(1)
    } else {
        None
    }
}

/// Snaps one closed ring (first point repeated last) in a frame rotated so
/// the dominant direction is the x axis.
fn snap_ring(ring: &LineString<f64>, rot: (f64, f64), tol_deg: f64) -> LineString<f64> {
    let pts: Vec<Coord<f64>> = ring.0.iter().map(|&c| rotate(c, (-rot.0, rot.1))).collect();
    let n = pts.len().saturating_sub(1);
    if n < 3 {
        return ring.clone();
    }
    let kinds: Vec<Option<usize>> = (0..n).map(|i| axis(pts[i], pts[i + 1], tol_deg)).collect();
    let mut out = pts[..n].to_vec();
    let mut moved = vec![false; n];
    for i in 0..n {
        // an axis edge fixes the shared coordinate of its two ends to their mean
        if let Some(k) = kinds[i] {
            let j = (i + 1) % n;
            let fixed = 1 - k; // along x: y is shared; along y: x is shared
            let v = |c: Coord<f64>| if fixed == 1 { c.y } else { c.x };
            let m = f64::midpoint(v(pts[i]), v(pts[j]));
            for idx in [i, j] {
                moved[idx] = true;
                if fixed == 1 {
                    out[idx].y = m;
                } else {
                    out[idx].x = m;
                }
            }
        }
    }
    // vertices no snapped edge touches keep their exact input coordinates
    let mut back: Vec<Coord<f64>> = out
        .into_iter()
        .zip(&moved)
        .enumerate()
        .map(|(i, (c, &m))| if m { rotate(c, rot) } else { ring.0[i] })
        .collect();
    back.push(back[0]);
    LineString(back)
}

/// Snaps the polygons' near-dominant edges (within `tol_deg` degrees of the
/// dominant direction or its perpendicular) to it exactly.
pub fn snap_orthogonal(polygons: &[Polygon<f64>], tol_deg: f64) -> Vec<Polygon<f64>> {
    let Some(mut theta) = dominant_direction(polygons) else {
        return polygons.to_vec();
    };
    if !(1e-9..=90.0 - 1e-9).contains(&theta) {
        theta = 0.0; // axis-aligned: no rotation, no rounding noise
    }
    let rot = if theta == 0.0 {
        (0.0, 1.0)
    } else {
        theta.to_radians().sin_cos()
    };
    polygons
        .iter()
        .map(|p| {
            Polygon::new(
                snap_ring(p.exterior(), rot, tol_deg),
                p.interiors()
                    .iter()
                    .map(|r| snap_ring(r, rot, tol_deg))
                    .collect(),
            )
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rect(theta_deg: f64, jitter: f64) -> Polygon<f64> {
        let (s, c) = theta_deg.to_radians().sin_cos();
        let pts = [(0.0, 0.0), (100.0, jitter), (100.0, 40.0), (jitter, 40.0)];
        let mut ring: Vec<Coord<f64>> = pts
            .iter()
            .map(|&(x, y)| Coord {
                x: x * c - y * s,
                y: x * s + y * c,
            })
            .collect();
        ring.push(ring[0]);
        Polygon::new(LineString(ring), vec![])
    }

    #[test]
    fn a_rotated_plan_snaps_to_its_own_axes() {
        let p = rect(10.0, 1.5); // edges 0.86° off the plan's 10° axes
        let theta = dominant_direction(std::slice::from_ref(&p)).unwrap();
        assert!((theta - 10.0).abs() < 1.0, "{theta}");
        let s = snap_orthogonal(&[p], 3.0);
        let t = dominant_direction(&s).unwrap();
        for l in s[0].exterior().lines() {
            let a = l.dy().atan2(l.dx()).to_degrees().rem_euclid(90.0);
            assert!(
                (a - t).abs() < 1e-9 || (a - t).abs() > 90.0 - 1e-9,
                "{a} vs {t}"
            );
        }
    }

    #[test]
    fn diagonals_are_kept() {
        let ring = LineString(vec![
            Coord { x: 0.0, y: 0.0 },
            Coord { x: 100.0, y: 0.0 },
            Coord { x: 100.0, y: 50.0 },
            Coord { x: 50.0, y: 100.0 },
            Coord { x: 0.0, y: 100.0 },
            Coord { x: 0.0, y: 0.0 },
        ]);
        let p = Polygon::new(ring.clone(), vec![]);
        let s = snap_orthogonal(&[p], 3.0);
        assert_eq!(s[0].exterior(), &ring);
    }
}
