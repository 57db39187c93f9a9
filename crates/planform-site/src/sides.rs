//! Splitting a parcel ring into sides: consecutive edges whose bearings
//! differ by less than a threshold (15° by default) form one side, so a
//! straight lot line digitised as several edges, or the gentle arc of a
//! cul-de-sac, is one side.

use geo_types::Coord;

/// One side of a parcel, in a local metric frame (x east, y north, metres).
#[derive(Debug, Clone, PartialEq)]
pub struct SideGeom {
    /// The ring index of the side's first vertex.
    pub index: usize,
    /// Its vertices, first to last (two or more).
    pub points: Vec<Coord<f64>>,
    /// Whether it was merged from edges turning by more than 30° in all
    /// (an arc, as at a cul-de-sac head).
    pub curved: bool,
}

impl SideGeom {
    /// Length along the side, metres.
    pub fn length(&self) -> f64 {
        self.points
            .windows(2)
            .map(|w| (w[1].x - w[0].x).hypot(w[1].y - w[0].y))
            .sum()
    }

    /// Bearing of the chord from first to last point, radians from east.
    pub fn direction(&self) -> f64 {
        let (a, b) = (self.points[0], self.points[self.points.len() - 1]);
        (b.y - a.y).atan2(b.x - a.x)
    }

    /// How far the side turns from its first edge to its last, radians,
    /// left and right turns cancelling (an arc's angle; 0 for a straight
    /// side, or one that zig-zags along a straight line).
    pub fn turning(&self) -> f64 {
        self.points
            .windows(3)
            .map(|w| {
                let d = |a: Coord<f64>, b: Coord<f64>| (b.y - a.y).atan2(b.x - a.x);
                let t = d(w[1], w[2]) - d(w[0], w[1]);
                // into -π..π
                (t + std::f64::consts::PI).rem_euclid(std::f64::consts::TAU) - std::f64::consts::PI
            })
            .sum::<f64>()
            .abs()
    }

    /// The point half-way along the side.
    pub fn midpoint(&self) -> Coord<f64> {
        self.at(0.5)
    }

    /// The point at fraction `t` (0–1) of the length along the side.
    pub fn at(&self, t: f64) -> Coord<f64> {
        planform_model::planar::point_along(&self.points, t).unwrap_or(Coord { x: 0.0, y: 0.0 })
    }
}

/// The closed, counter-clockwise ring of the rectangle `x0..x1` × `y0..y1`
/// from its corner (`x0`, `y0`): the lot the unit tests draw.
#[cfg(test)]
pub(crate) fn rect_ring(x0: f64, y0: f64, x1: f64, y1: f64) -> Vec<Coord<f64>> {
    [(x0, y0), (x1, y0), (x1, y1), (x0, y1), (x0, y0)]
        .iter()
        .map(|&(x, y)| Coord { x, y })
        .collect()
}

/// The open ring (no repeated first point) that consecutive sides trace.
pub fn ring(sides: &[SideGeom]) -> Vec<Coord<f64>> {
    sides
        .iter()
        .flat_map(|s| s.points[..s.points.len() - 1].iter().copied())
        .collect()
}

fn angle_diff(a: f64, b: f64) -> f64 {
    let d = (a - b).rem_euclid(std::f64::consts::TAU);
    d.min(std::f64::consts::TAU - d)
}

/// Splits a closed ring (first point repeated last or not) into sides,
/// merging consecutive edges that turn by less than `max_turn` radians. The
/// first side starts at a corner, so a straight run crossing the ring's
/// start is one side. Zero-length edges are ignored.
pub fn split_sides(ring: &[Coord<f64>], max_turn: f64) -> Vec<SideGeom> {
    let mut pts: Vec<(usize, Coord<f64>)> = Vec::with_capacity(ring.len());
    for (i, c) in ring.iter().enumerate() {
        if pts.last().is_none_or(|(_, p)| p != c) {
            pts.push((i, *c));
        }
    }
    if pts.len() > 1 && pts[0].1 == pts[pts.len() - 1].1 {
        pts.pop();
    }
    let n = pts.len();
    if n < 3 {
        return Vec::new();
    }
    let dir = |i: usize| {
        let (a, b) = (pts[i % n].1, pts[(i + 1) % n].1);
        (b.y - a.y).atan2(b.x - a.x)
    };
    // corners: vertices where the ring turns by max_turn or more
    let corner: Vec<bool> = (0..n)
        .map(|i| angle_diff(dir((i + n - 1) % n), dir(i)) >= max_turn)
        .collect();
    let Some(start) = corner.iter().position(|c| *c) else {
        // no corner at all (a circle): one side per edge
        return (0..n)
            .map(|i| SideGeom {
                index: pts[i].0,
                points: vec![pts[i].1, pts[(i + 1) % n].1],
                curved: false,
            })
            .collect();
    };
    let mut sides = Vec::new();
    let mut k = start;
    loop {
        let mut points = vec![pts[k].1];
        let mut turn = 0.0;
        let first = k;
        loop {
            k = (k + 1) % n;
            points.push(pts[k].1);
            if corner[k] {
                break;
            }
            turn += angle_diff(dir((k + n - 1) % n), dir(k));
        }
        sides.push(SideGeom {
            index: pts[first].0,
            points,
            curved: turn > 30f64.to_radians(),
        });
        if k == start {
            break;
        }
    }
    sides
}

#[cfg(test)]
mod tests {
    use super::*;

    fn c(x: f64, y: f64) -> Coord<f64> {
        Coord { x, y }
    }

    #[test]
    fn a_rectangle_with_a_split_edge_and_a_start_mid_side_has_four_sides() {
        // starts half-way along the bottom; the right side is two edges
        let ring = [
            c(5.0, 0.0),
            c(10.0, 0.0),
            c(10.0, 4.0),
            c(10.0, 8.0),
            c(0.0, 8.0),
            c(0.0, 0.0),
            c(5.0, 0.0),
        ];
        let s = split_sides(&ring, 15f64.to_radians());
        assert_eq!(s.len(), 4);
        let lengths: Vec<f64> = s.iter().map(SideGeom::length).collect();
        assert_eq!(lengths, [8.0, 10.0, 8.0, 10.0]);
        assert_eq!(s[0].index, 1);
        assert!((s[3].midpoint().x - 5.0).abs() < 1e-12 && s[3].midpoint().y == 0.0);
    }

    #[test]
    fn an_arc_is_one_curved_side() {
        // a square lot whose top bulges out in a quarter-circle arc of 12
        // chords (centre (10, 10)), meeting the side lines at 45°
        let r = 200f64.sqrt();
        let mut ring = vec![c(0.0, 0.0), c(20.0, 0.0), c(20.0, 20.0)];
        for k in 1..12 {
            let a = std::f64::consts::FRAC_PI_4 + std::f64::consts::FRAC_PI_2 * f64::from(k) / 12.0;
            ring.push(c(10.0 + r * a.cos(), 10.0 + r * a.sin()));
        }
        ring.push(c(0.0, 20.0));
        ring.push(c(0.0, 0.0));
        let s = split_sides(&ring, 15f64.to_radians());
        assert_eq!(s.len(), 4, "{s:?}");
        assert_eq!(s.iter().filter(|x| x.curved).count(), 1);
        assert_eq!(s[2].points.len(), 13);
        // its 12 chords turn by 90° less the first and last half-steps
        let expected = std::f64::consts::FRAC_PI_2 * 11.0 / 12.0;
        assert!(
            (s[2].turning() - expected).abs() < 1e-9,
            "{}",
            s[2].turning()
        );
    }

    #[test]
    fn a_zigzag_along_a_straight_line_does_not_turn() {
        let side = SideGeom {
            index: 0,
            points: vec![c(0.0, 0.0), c(5.0, 1.0), c(10.0, 0.0), c(15.0, 1.0)],
            curved: true,
        };
        assert!(side.turning().abs() < 1e-12, "{}", side.turning());
    }
}
