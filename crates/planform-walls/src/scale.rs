//! Scale from what a plan shows: door openings of a known width, or a wall
//! of a known length.

use crate::centerline::Centerlines;

/// Widths of the door (or window) openings of a wall graph, in pixels
/// (see [`crate::gaps::openings`]).
pub fn opening_widths(c: &Centerlines, max_gap_walls: f64) -> Vec<f64> {
    crate::gaps::openings(c, max_gap_walls)
        .into_iter()
        .map(|o| o.width)
        .collect()
}

/// Pixels per metre from the openings of a plan whose doors are
/// `door_width_m` wide (the median opening is taken as a door). `None` when
/// the plan shows no opening.
pub fn px_per_m_from_doors(c: &Centerlines, door_width_m: f64) -> Option<f64> {
    if !(door_width_m.is_finite() && door_width_m > 0.0) {
        return None;
    }
    let mut w = opening_widths(c, 15.0);
    if w.is_empty() {
        return None;
    }
    w.sort_by(f64::total_cmp);
    Some(w[w.len() / 2] / door_width_m)
}

/// Pixels per metre from one length known in both units (a wall measured
/// on site and on the plan).
pub fn px_per_m_from_length(length_px: f64, length_m: f64) -> Option<f64> {
    (length_px.is_finite() && length_m.is_finite() && length_px > 0.0 && length_m > 0.0)
        .then(|| length_px / length_m)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Mask;
    use crate::centerline::{CenterlineOptions, centerlines};

    #[test]
    fn door_openings_give_the_scale() {
        // a 6 px wall with two 40 px openings, and a T wall
        let m = Mask::from_fn(300, 80, |x, y| {
            let along = (10..290).contains(&x)
                && (20..26).contains(&y)
                && !(60..100).contains(&x)
                && !(180..220).contains(&x);
            let stem = (140..146).contains(&x) && (20..70).contains(&y);
            along || stem
        });
        let c = centerlines(&m, &CenterlineOptions::default()).unwrap();
        let w = opening_widths(&c, 15.0);
        assert_eq!(w.len(), 2, "{w:?} {c:?}");
        for v in &w {
            assert!((v - 40.0).abs() <= 2.0, "{w:?}");
        }
        let s = px_per_m_from_doors(&c, 0.8).unwrap();
        assert!((s - 50.0).abs() <= 2.5, "{s}");
        assert_eq!(px_per_m_from_doors(&c, 0.0), None);
        assert_eq!(px_per_m_from_length(100.0, 2.0), Some(50.0));
        // a wall ending 30 px short of a perpendicular wall: a door beside a junction
        let m = Mask::from_fn(200, 200, |x, y| {
            ((20..180).contains(&x) && (20..26).contains(&y))
                || ((100..106).contains(&x) && (56..180).contains(&y))
        });
        let c = centerlines(&m, &CenterlineOptions::default()).unwrap();
        let w = opening_widths(&c, 15.0);
        assert_eq!(w.len(), 1, "{w:?}");
        assert!((w[0] - 30.0).abs() <= 2.0, "{w:?}");
        assert_eq!(px_per_m_from_length(100.0, f64::NAN), None);
    }
}
