//! A work budget proportional to the image, checked before vectorizing.
//!
//! Outline tracing and centreline extraction do work and hold memory in
//! proportion to the mask's structure (rings, skeleton branches, junctions),
//! not its pixel count: an 18.7 KB PNG of a 4000 x 4000 one-pixel
//! checkerboard is eight million rings, and 23 GB of them. The structure is
//! measured cheaply first, as the number of horizontal runs of wall pixels
//! (each ring, branch and junction crosses at least one row in a run of its
//! own), and a mask over [`Budget`] is refused with
//! [`WallsError::TooComplex`] before any of that work starts.
//!
//! Outlines also hold a ring per region (about 6 KB each once written as
//! GeoJSON), so for them the regions are bounded too, counted from above as
//! region *births*: runs (of wall, 8-connected, or of background,
//! 4-connected) that touch no run of their kind in the row above. Every
//! region is born at least once, so births bound the rings.
//!
//! Real masks are far below the defaults: over the 152 masks of the
//! external corpus (R3D, R2V, MLSTRUCT, up to 65 Mpx) the densest has 0.014
//! runs per pixel (median 0.0054) and 0.0005 births per pixel (median
//! 0.00008); a one-pixel checkerboard has 0.5 runs per pixel, random noise
//! 0.25, a one-pixel grid every 10 px 0.09. Within the defaults the
//! slowest masks found take seconds: centrelines of a one-pixel grid every
//! 25 px (205 000 walls at 64 Mpx) 10 s and 1.1 GB.

use crate::error::{Result, WallsError};
use crate::mask::Mask;

/// How much structure a mask may have.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Budget {
    /// Runs of wall pixels allowed per pixel of the image (default 0.04:
    /// about three times the densest real mask).
    pub runs_per_pixel: f64,
    /// Region births allowed per pixel, for outlines (default 0.004: eight
    /// times the densest real mask).
    pub births_per_pixel: f64,
    /// Runs and births always allowed, whatever the image's size (default
    /// 65 536), so small drawings and tests are never refused.
    pub min_count: u64,
}

impl Default for Budget {
    fn default() -> Self {
        Self {
            runs_per_pixel: 0.04,
            births_per_pixel: 0.004,
            min_count: 65_536,
        }
    }
}

/// What a mask is vectorized into (outlines bound their rings too).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Work {
    /// Outline polygons: runs and region births are bounded.
    Outline,
    /// Centrelines: runs are bounded.
    Centerline,
}

impl Budget {
    /// No limit (for callers that bound their inputs themselves).
    pub const UNLIMITED: Self = Self {
        runs_per_pixel: f64::INFINITY,
        births_per_pixel: f64::INFINITY,
        min_count: u64::MAX,
    };

    fn limit(&self, per_pixel: f64, width: u32, height: u32) -> u64 {
        let pixels = f64::from(width) * f64::from(height);
        let scaled = (pixels * per_pixel.max(0.0)).min(u64::MAX as f64) as u64;
        scaled.max(self.min_count)
    }

    /// `Ok` when `mask` is within the budget for `work`, else
    /// [`WallsError::TooComplex`] with what was counted and the limit.
    pub fn check(&self, mask: &Mask, work: Work) -> Result<()> {
        for (name, v) in [
            ("budget.runs_per_pixel", self.runs_per_pixel),
            ("budget.births_per_pixel", self.births_per_pixel),
        ] {
            if v.is_nan() {
                return Err(WallsError::InvalidOption {
                    name,
                    reason: "NaN".into(),
                });
            }
        }
        let (w, h) = (mask.width(), mask.height());
        let runs_limit = self.limit(self.runs_per_pixel, w, h);
        let births_limit = match work {
            Work::Outline => self.limit(self.births_per_pixel, w, h),
            Work::Centerline => u64::MAX,
        };
        let c = count(mask, runs_limit, births_limit);
        let too = |what, count, limit| WallsError::TooComplex {
            width: w,
            height: h,
            what,
            count,
            limit,
        };
        if c.runs > runs_limit {
            return Err(too("runs of wall pixels", c.runs, runs_limit));
        }
        if c.births > births_limit {
            return Err(too("separate regions", c.births, births_limit));
        }
        Ok(())
    }
}

/// What [`count`] found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Counts {
    runs: u64,
    births: u64,
}

/// Runs of wall pixels and region births (see the module docs), one row
/// at a time; counting stops once either passes its limit.
fn count(mask: &Mask, runs_limit: u64, births_limit: u64) -> Counts {
    let mut c = Counts { runs: 0, births: 0 };
    let w = mask.width() as usize;
    let mut above: &[u8] = &[];
    for y in 0..mask.height() {
        let row = mask.row(y);
        let mut x = 0;
        while x < w {
            let v = row[x];
            let start = x;
            while x < w && row[x] == v {
                x += 1;
            }
            c.runs += u64::from(v != 0);
            // the pixels above that would join it: 8-connected for wall,
            // 4-connected for background
            let (lo, hi) = if v != 0 {
                (start.saturating_sub(1), (x + 1).min(w))
            } else {
                (start, x)
            };
            if above.is_empty() || !above[lo..hi].iter().any(|&a| (a != 0) == (v != 0)) {
                c.births += 1;
            }
        }
        if c.runs > runs_limit || c.births > births_limit {
            break;
        }
        above = row;
    }
    c
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn runs_and_births_are_counted_per_row() {
        let m = Mask::from_ascii(
            "#.##.\n\
             #####\n\
             .....\n\
             .#.#.",
        );
        let c = count(&m, u64::MAX, u64::MAX);
        assert_eq!(c.runs, 5);
        // wall: 2 in row 0 and the two dots of row 3; background: 2 in
        // row 0 (x 1 and x 4) and row 2 (cut off by the full wall row 1)
        assert_eq!(c.births, 7);
        // diagonal wall pixels are one region (8-connected)
        let d = Mask::from_ascii("#.\n.#");
        assert_eq!(count(&d, u64::MAX, u64::MAX).births, 1 + 2);
    }

    #[test]
    fn a_checkerboard_is_refused_and_a_plan_is_not() {
        let checker = Mask::from_fn(1000, 1000, |x, y| (x + y) % 2 == 0);
        let e = Budget::default()
            .check(&checker, Work::Centerline)
            .unwrap_err();
        assert!(
            matches!(e, WallsError::TooComplex { limit: 65_536, .. }),
            "{e}"
        );
        assert!(e.to_string().contains("too complex"), "{e}");
        // a room: walls 6 px thick on a 1000 x 1000 image
        let room = Mask::from_fn(1000, 1000, |x, y| {
            let edge = |v: u32| (100..106).contains(&v) || (894..900).contains(&v);
            (100..900).contains(&x) && (100..900).contains(&y) && (edge(x) || edge(y))
        });
        for work in [Work::Outline, Work::Centerline] {
            Budget::default().check(&room, work).unwrap();
            Budget::UNLIMITED.check(&checker, work).unwrap();
            // small images always pass
            Budget::default()
                .check(&Mask::from_fn(200, 200, |x, y| (x + y) % 2 == 0), work)
                .unwrap();
        }
    }

    #[test]
    fn scattered_dots_are_refused_for_outlines_only() {
        // a dot every 10 x 10 pixels: few runs, a ring each
        let dots = Mask::from_fn(3000, 3000, |x, y| x % 10 == 0 && y % 10 == 0);
        Budget::default().check(&dots, Work::Centerline).unwrap();
        let e = Budget::default().check(&dots, Work::Outline).unwrap_err();
        assert!(e.to_string().contains("separate regions"), "{e}");
    }
}
