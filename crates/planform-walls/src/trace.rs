//! Crack following: the exact boundary of the wall pixels, traced along pixel
//! edges (between pixel corners), so the unsimplified outline encloses
//! exactly the wall pixels.
//!
//! Wall regions are 4-connected (pixels sharing an edge), background regions
//! 8-connected: this is what makes the polygons valid simple features, whose
//! interiors must be connected through more than a point. Two wall pixels
//! that touch only at a corner (a "saddle") therefore belong to polygons
//! that touch at that point. A boundary may pass twice through a saddle;
//! rings are split there, so every returned ring is simple and rings touch
//! only at saddle corners.

use crate::mask::Mask;

/// Directions on the pixel-corner grid, in image coordinates (y down).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Dir {
    N,
    E,
    S,
    W,
}

impl Dir {
    fn right(self) -> Self {
        match self {
            Self::N => Self::E,
            Self::E => Self::S,
            Self::S => Self::W,
            Self::W => Self::N,
        }
    }
    fn left(self) -> Self {
        match self {
            Self::N => Self::W,
            Self::W => Self::S,
            Self::S => Self::E,
            Self::E => Self::N,
        }
    }
    fn delta(self) -> (i64, i64) {
        match self {
            Self::N => (0, -1),
            Self::E => (1, 0),
            Self::S => (0, 1),
            Self::W => (-1, 0),
        }
    }
}

/// A bit set.
struct Bits(Vec<u64>);

impl Bits {
    fn new(n: usize) -> Self {
        Self(vec![0; n.div_ceil(64)])
    }
    #[inline]
    fn get(&self, i: usize) -> bool {
        self.0[i >> 6] >> (i & 63) & 1 != 0
    }
    #[inline]
    fn set(&mut self, i: usize) {
        self.0[i >> 6] |= 1 << (i & 63);
    }
}

struct Tracer<'a> {
    mask: &'a Mask,
    w: i64,
    horizontal: Bits,
    vertical: Bits,
}

impl Tracer<'_> {
    #[inline]
    fn fg(&self, x: i64, y: i64) -> bool {
        self.mask.get(x, y)
    }

    /// Whether the boundary edge leaving corner (cx, cy) in direction `d`
    /// exists with wall on its left (image coordinates).
    #[inline]
    fn valid(&self, cx: i64, cy: i64, d: Dir) -> bool {
        let (tl, tr, bl, br) = (
            self.fg(cx - 1, cy - 1),
            self.fg(cx, cy - 1),
            self.fg(cx - 1, cy),
            self.fg(cx, cy),
        );
        match d {
            Dir::N => tl && !tr,
            Dir::S => br && !bl,
            Dir::W => bl && !tl,
            Dir::E => tr && !br,
        }
    }

    /// The visited bit of the edge leaving (cx, cy) in direction `d`.
    #[inline]
    fn edge(&self, cx: i64, cy: i64, d: Dir) -> (bool, usize) {
        match d {
            Dir::N => (false, ((cy - 1) * (self.w + 1) + cx) as usize),
            Dir::S => (false, (cy * (self.w + 1) + cx) as usize),
            Dir::W => (true, (cy * self.w + cx - 1) as usize),
            Dir::E => (true, (cy * self.w + cx) as usize),
        }
    }

    fn mark(&mut self, cx: i64, cy: i64, d: Dir) {
        match self.edge(cx, cy, d) {
            (true, i) => self.horizontal.set(i),
            (false, i) => self.vertical.set(i),
        }
    }

    /// Follows one boundary from a start edge; returns its turning corners.
    fn follow(&mut self, sx: i64, sy: i64, sd: Dir) -> Vec<[u32; 2]> {
        let mut pts = Vec::new();
        let (mut cx, mut cy, mut d) = (sx, sy, sd);
        loop {
            self.mark(cx, cy, d);
            let (dx, dy) = d.delta();
            cx += dx;
            cy += dy;
            // Left turn first: at a saddle the boundary hugs the wall pixel
            // it follows (wall 4-connected, background 8-connected).
            let nd = [d.left(), d, d.right()]
                .into_iter()
                .find(|&n| self.valid(cx, cy, n))
                .unwrap_or(d.right());
            if nd != d {
                pts.push([cx as u32, cy as u32]);
            }
            if cx == sx && cy == sy && nd == sd {
                break;
            }
            d = nd;
        }
        pts
    }
}

/// Whether the corner (cx, cy) is a saddle: its four pixels form a
/// checkerboard.
pub(crate) fn is_saddle(mask: &Mask, cx: i64, cy: i64) -> bool {
    let (tl, tr, bl, br) = (
        mask.get(cx - 1, cy - 1),
        mask.get(cx, cy - 1),
        mask.get(cx - 1, cy),
        mask.get(cx, cy),
    );
    tl == br && tr == bl && tl != tr
}

/// Splits a ring that passes twice through a saddle corner into simple loops.
fn split_at_repeats(mask: &Mask, ring: Vec<[u32; 2]>, out: &mut Vec<Vec<[u32; 2]>>) {
    let mut seen: Vec<([u32; 2], usize)> = Vec::new();
    for (i, p) in ring.iter().enumerate() {
        if !is_saddle(mask, i64::from(p[0]), i64::from(p[1])) {
            continue;
        }
        if let Some(&(_, j)) = seen.iter().find(|(q, _)| q == p) {
            let inner: Vec<[u32; 2]> = ring[j..i].to_vec();
            let mut outer: Vec<[u32; 2]> = ring[..j].to_vec();
            outer.extend_from_slice(&ring[i..]);
            split_at_repeats(mask, inner, out);
            split_at_repeats(mask, outer, out);
            return;
        }
        seen.push((*p, i));
    }
    out.push(ring);
}

/// Every boundary ring of the wall pixels, as pixel-corner coordinates in
/// image space (y down), wall on the left of travel (so, with y flipped up,
/// outer boundaries run counter-clockwise and holes clockwise). Rings hold
/// only turning corners, are implicitly closed (first point not repeated),
/// are simple, and touch other rings only at saddle corners.
pub fn trace_rings(mask: &Mask) -> Vec<Vec<[u32; 2]>> {
    let (w, h) = (i64::from(mask.width()), i64::from(mask.height()));
    let mut t = Tracer {
        mask,
        w,
        horizontal: Bits::new(((h + 1) * w) as usize),
        vertical: Bits::new((h * (w + 1)) as usize),
    };
    let zeros = vec![0u8; w as usize];
    let mut rings = Vec::new();
    for y in 0..=h {
        let above = if y > 0 {
            mask.row((y - 1) as u32)
        } else {
            &zeros[..]
        };
        let below = if y < h {
            mask.row(y as u32)
        } else {
            &zeros[..]
        };
        for x in 0..w {
            let (a, b) = (above[x as usize] != 0, below[x as usize] != 0);
            if a == b || t.horizontal.get((y * w + x) as usize) {
                continue;
            }
            // top edge of a wall pixel runs west; bottom edge runs east
            let ring = if b {
                t.follow(x + 1, y, Dir::W)
            } else {
                t.follow(x, y, Dir::E)
            };
            split_at_repeats(mask, ring, &mut rings);
        }
    }
    rings
}

#[cfg(test)]
mod tests {
    use super::*;

    fn area_up(r: &[[u32; 2]]) -> i64 {
        // shoelace in image coords, negated for y up
        let n = r.len();
        let s: i64 = (0..n)
            .map(|i| {
                let (a, b) = (r[i], r[(i + 1) % n]);
                i64::from(a[0]) * i64::from(b[1]) - i64::from(b[0]) * i64::from(a[1])
            })
            .sum();
        -s / 2
    }

    #[test]
    fn one_pixel_is_one_ccw_square() {
        let m = Mask::from_ascii("#");
        let r = trace_rings(&m);
        assert_eq!(r.len(), 1);
        assert_eq!(r[0].len(), 4);
        assert_eq!(area_up(&r[0]), 1);
    }

    #[test]
    fn a_ring_wall_has_a_shell_and_a_hole() {
        let m = Mask::from_ascii(
            "
            #####
            #...#
            #...#
            #####",
        );
        let r = trace_rings(&m);
        assert_eq!(r.len(), 2);
        let areas: Vec<i64> = r.iter().map(|r| area_up(r)).collect();
        assert!(areas.contains(&20) && areas.contains(&-6), "{areas:?}");
    }

    #[test]
    fn diagonal_pixels_are_separate_regions_touching_at_saddles() {
        let m = Mask::from_ascii(
            "
            #..
            .#.
            ..#",
        );
        let r = trace_rings(&m);
        assert_eq!(r.len(), 3);
        assert!(r.iter().all(|r| area_up(r) == 1));
        // the centre background pixel is 8-connected to the outside: no hole
        let m = Mask::from_ascii(
            "
            .#.
            #.#
            .#.",
        );
        let r = trace_rings(&m);
        let areas: Vec<i64> = r.iter().map(|r| area_up(r)).collect();
        assert_eq!(areas, [1, 1, 1, 1]);
        // a U whose tips touch diagonally: one shell and a hole touching it
        let m = Mask::from_ascii(
            "
            ##.##
            #.#.#
            #...#
            #####",
        );
        let r = trace_rings(&m);
        for ring in &r {
            let mut pts = ring.clone();
            pts.sort_unstable();
            pts.dedup();
            assert_eq!(pts.len(), ring.len(), "ring revisits a point: {ring:?}");
        }
        let total: i64 = r.iter().map(|r| area_up(r)).sum();
        assert_eq!(total as u64, m.count());
    }

    #[test]
    fn areas_sum_to_the_pixel_count_on_noise() {
        let mut s = 12345u32;
        let m = Mask::from_fn(40, 30, |_, _| {
            s ^= s << 13;
            s ^= s >> 17;
            s ^= s << 5;
            s.is_multiple_of(3)
        });
        let r = trace_rings(&m);
        let total: i64 = r.iter().map(|r| area_up(r)).sum();
        assert_eq!(total as u64, m.count());
    }

    #[test]
    fn empty_and_full_images() {
        assert!(trace_rings(&Mask::from_fn(5, 4, |_, _| false)).is_empty());
        let full = trace_rings(&Mask::from_fn(5, 4, |_, _| true));
        assert_eq!(full.len(), 1);
        assert_eq!(area_up(&full[0]), 20);
        assert!(trace_rings(&Mask::from_fn(0, 0, |_, _| true)).is_empty());
    }
}
