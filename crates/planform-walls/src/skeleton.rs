//! Thinning to an 8-connected, one-pixel-wide skeleton (Zhang–Suen, then a
//! pass that removes staircase corners), and removal of specks.

use crate::mask::Mask;

/// A padded binary image (one background pixel all around), so neighbour
/// lookups need no bounds checks.
pub(crate) struct Grid {
    /// Padded width (`w + 2`).
    pub(crate) pw: usize,
    pub(crate) px: Vec<u8>,
}

impl Grid {
    pub(crate) fn from_mask(mask: &Mask) -> Self {
        let (w, h) = (mask.width() as usize, mask.height() as usize);
        let pw = w + 2;
        let mut px = vec![0u8; pw * (h + 2)];
        for y in 0..h {
            px[(y + 1) * pw + 1..(y + 1) * pw + 1 + w].copy_from_slice(mask.row(y as u32));
        }
        Self { pw, px }
    }

    /// Index of image pixel (x, y).
    #[cfg(test)]
    pub(crate) fn idx(&self, x: usize, y: usize) -> usize {
        (y + 1) * self.pw + x + 1
    }

    /// Image coordinates of an index.
    #[inline]
    pub(crate) fn xy(&self, i: usize) -> (usize, usize) {
        (i % self.pw - 1, i / self.pw - 1)
    }

    /// Offsets of the 8 neighbours: N, NE, E, SE, S, SW, W, NW.
    pub(crate) fn ring(&self) -> [isize; 8] {
        let pw = self.pw as isize;
        [-pw, -pw + 1, 1, pw + 1, pw, pw - 1, -1, -pw - 1]
    }

    #[inline]
    pub(crate) fn at(&self, i: usize, off: isize) -> bool {
        self.px[(i as isize + off) as usize] != 0
    }

    /// Number of set 8-neighbours.
    #[inline]
    pub(crate) fn neighbours(&self, i: usize) -> usize {
        self.ring().iter().filter(|&&o| self.at(i, o)).count()
    }
}

/// One bit a pixel.
pub(crate) struct Bits(Vec<u64>);

impl Bits {
    pub(crate) fn new(n: usize) -> Self {
        Self(vec![0; n.div_ceil(64)])
    }
    pub(crate) fn get(&self, i: usize) -> bool {
        self.0[i / 64] >> (i % 64) & 1 == 1
    }
    pub(crate) fn set(&mut self, i: usize, v: bool) {
        if v {
            self.0[i / 64] |= 1 << (i % 64);
        } else {
            self.0[i / 64] &= !(1 << (i % 64));
        }
    }
}

/// The root of `i` in a union–find forest, halving the path on the way.
fn root(parent: &mut [usize], mut i: usize) -> usize {
    while parent[i] != i {
        parent[i] = parent[parent[i]];
        i = parent[i];
    }
    i
}

/// Removes 4-connected wall components smaller than `min_area` pixels.
/// Components are found over row runs (a run joins the runs it overlaps in
/// the row above, union–find), so the memory is a few words a run, not a
/// word a pixel: a solid 64 Mpx mask is 8 000 runs.
pub(crate) fn drop_specks(g: &mut Grid, min_area: usize) {
    if min_area <= 1 {
        return;
    }
    let pw = g.pw;
    let rows = g.px.len() / pw;
    // runs: (start index, end index exclusive), row by row
    let mut runs: Vec<(usize, usize)> = Vec::new();
    let mut row_start: Vec<usize> = Vec::with_capacity(rows + 1);
    for r in 0..rows {
        row_start.push(runs.len());
        let row = &g.px[r * pw..(r + 1) * pw];
        let mut x = 0;
        while x < pw {
            if row[x] == 0 {
                x += 1;
                continue;
            }
            let from = x;
            while x < pw && row[x] != 0 {
                x += 1;
            }
            runs.push((r * pw + from, r * pw + x));
        }
    }
    row_start.push(runs.len());
    let mut parent: Vec<usize> = (0..runs.len()).collect();
    for r in 1..rows {
        let (above, here) = (
            row_start[r - 1]..row_start[r],
            row_start[r]..row_start[r + 1],
        );
        let mut a = above.start;
        for h in here {
            let (h0, h1) = (runs[h].0 - r * pw, runs[h].1 - r * pw);
            // runs above that overlap this one in x
            while a < above.end && runs[a].1 - (r - 1) * pw <= h0 {
                a += 1;
            }
            let mut k = a;
            while k < above.end && runs[k].0 - (r - 1) * pw < h1 {
                let (x, y) = (root(&mut parent, h), root(&mut parent, k));
                if x != y {
                    parent[x.max(y)] = x.min(y);
                }
                k += 1;
            }
        }
    }
    let mut area = vec![0usize; runs.len()];
    for (i, &(from, to)) in runs.iter().enumerate() {
        let r = root(&mut parent, i);
        area[r] += to - from;
    }
    for (i, &(from, to)) in runs.iter().enumerate() {
        if area[root(&mut parent, i)] < min_area {
            g.px[from..to].fill(0);
        }
    }
}

/// Zhang–Suen's test for each of the 256 neighbourhoods (bit `k` set when
/// the neighbour at `ring[k]` is, clockwise from north) in sub-step
/// `step`: whether the centre pixel may be removed.
fn removable(step: usize) -> [bool; 256] {
    std::array::from_fn(|code| {
        let p: [bool; 8] = std::array::from_fn(|k| code >> k & 1 == 1);
        let b = p.iter().filter(|&&v| v).count();
        let a = (0..8).filter(|&k| !p[k] && p[(k + 1) % 8]).count();
        // p[0]=N p[2]=E p[4]=S p[6]=W
        // step 0: not (N and E and S), not (E and S and W), i.e.
        // E and S are not both set or neither N nor W is
        let ok = if step == 0 {
            !(p[2] && p[4] && (p[0] || p[6]))
        } else {
            !(p[0] && p[6] && (p[2] || p[4]))
        };
        (2..=6).contains(&b) && a == 1 && ok
    })
}

/// The 8-neighbourhood of pixel `i` as a code for [`removable`]: bit `k`
/// set when the neighbour at `ring[k]` (N, NE, E, SE, S, SW, W, NW) is.
/// Three row slices, so each row is bounds-checked once.
fn neighbourhood(g: &Grid, i: usize) -> usize {
    let pw = g.pw;
    let up = &g.px[i - pw - 1..i - pw + 2];
    let mid = &g.px[i - 1..i + 2];
    let down = &g.px[i + pw - 1..i + pw + 2];
    let b = |v: u8, k: usize| usize::from(v != 0) << k;
    b(up[1], 0)
        | b(up[2], 1)
        | b(mid[2], 2)
        | b(down[2], 3)
        | b(down[1], 4)
        | b(down[0], 5)
        | b(mid[0], 6)
        | b(up[0], 7)
}

/// Zhang–Suen thinning in place, driven by a list of border pixels so the
/// work is proportional to the wall area, not the image area.
pub(crate) fn thin(g: &mut Grid) {
    let ring = g.ring();
    let tables = [removable(0), removable(1)];
    let mut candidates: Vec<usize> = (0..g.px.len())
        .filter(|&i| g.px[i] != 0 && ring.iter().step_by(2).any(|&o| !g.at(i, o)))
        .collect();
    let mut remove = Vec::new();
    // which pixels are in `candidates` (the list stays free of repeats
    // without sorting it each round: a sub-step's removals are decided on
    // the image as it was, so their order does not matter)
    let mut listed = Bits::new(g.px.len());
    for &i in &candidates {
        listed.set(i, true);
    }
    loop {
        let mut changed = false;
        for table in &tables {
            remove.clear();
            for &i in &candidates {
                if g.px[i] == 0 {
                    continue;
                }
                let code = neighbourhood(g, i);
                if table[code] {
                    remove.push(i);
                }
            }
            for &i in &remove {
                g.px[i] = 0;
            }
            changed |= !remove.is_empty();
        }
        if !changed {
            break;
        }
        // next candidates: wall pixels next to anything removed
        let mut next = Vec::new();
        for &i in &candidates {
            if g.px[i] == 0 {
                for &o in &ring {
                    let j = (i as isize + o) as usize;
                    if g.px[j] != 0 && !listed.get(j) {
                        listed.set(j, true);
                        next.push(j);
                    }
                }
            }
        }
        candidates.retain(|&i| {
            let keep = g.px[i] != 0;
            if !keep {
                listed.set(i, false);
            }
            keep
        });
        candidates.extend(next);
    }
    // staircase corners: a pixel whose only neighbours are two perpendicular
    // 4-neighbours (which already touch diagonally) is redundant
    let (n, e, s, w) = (ring[0], ring[2], ring[4], ring[6]);
    for i in 0..g.px.len() {
        if g.px[i] == 0 || g.neighbours(i) != 2 {
            continue;
        }
        let pairs = [(n, e), (e, s), (s, w), (w, n)];
        if pairs.iter().any(|&(a, b)| g.at(i, a) && g.at(i, b)) {
            g.px[i] = 0;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn skeleton(m: &Mask) -> Vec<(usize, usize)> {
        let mut g = Grid::from_mask(m);
        thin(&mut g);
        (0..g.px.len())
            .filter(|&i| g.px[i] != 0)
            .map(|i| g.xy(i))
            .collect()
    }

    #[test]
    fn a_thick_bar_thins_to_its_centre_line() {
        let m = Mask::from_fn(30, 7, |x, y| (1..6).contains(&y) && (1..29).contains(&x));
        let s = skeleton(&m);
        assert!(s.iter().all(|&(_, y)| y == 3), "{s:?}");
        assert!(s.len() >= 20);
    }

    #[test]
    fn skeletons_are_thin_and_connected() {
        let m = Mask::from_fn(40, 40, |x, y| x.abs_diff(y) <= 2 || (15..20).contains(&x));
        let mut g = Grid::from_mask(&m);
        thin(&mut g);
        // no 2x2 block of skeleton pixels
        for y in 0..39 {
            for x in 0..39 {
                let i = g.idx(x, y);
                let block = [i, i + 1, i + g.pw, i + g.pw + 1]
                    .iter()
                    .all(|&j| g.px[j] != 0);
                assert!(!block, "2x2 block at {x},{y}");
            }
        }
    }

    #[test]
    fn specks_below_the_minimum_area_are_dropped() {
        let m = Mask::from_ascii(
            "
            ##......
            ##..####
            ....####",
        );
        let mut g = Grid::from_mask(&m);
        drop_specks(&mut g, 5);
        assert_eq!(g.px.iter().filter(|&&v| v != 0).count(), 8);
    }
}
