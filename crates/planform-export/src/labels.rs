//! Label placement on a sheet: each label tries its anchor, then positions
//! around it in widening rings (the direction it prefers first, a side's
//! outward normal for instance), and takes the first whose box stays inside
//! the drawing area and clear of every label placed before it; a label
//! moved far from its anchor gets a leader line, one with no free position
//! is dropped and counted. Greedy in priority order, with a uniform grid of
//! placed boxes so that a 10 000-label sheet places in linear time.
//!
//! Text widths are estimated from `DejaVu Sans`' advance widths (the face the
//! sheet asks for first), rounded up, so boxes are never narrower than the
//! rendered text.

use std::collections::HashMap;

/// An axis-aligned box on the sheet, in millimetres (y down).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rect {
    /// Left.
    pub x0: f64,
    /// Top.
    pub y0: f64,
    /// Right.
    pub x1: f64,
    /// Bottom.
    pub y1: f64,
}

impl Rect {
    /// Whether the two boxes share interior.
    pub fn overlaps(&self, o: &Rect) -> bool {
        self.x0 < o.x1 && o.x0 < self.x1 && self.y0 < o.y1 && o.y0 < self.y1
    }

    /// Whether `o` lies inside this box.
    pub fn contains(&self, o: &Rect) -> bool {
        o.x0 >= self.x0 && o.x1 <= self.x1 && o.y0 >= self.y0 && o.y1 <= self.y1
    }
}

/// The advance width of `text` at font size `size` (em), rounded up from
/// `DejaVu Sans`' metrics.
pub fn text_width(text: &str, size: f64) -> f64 {
    let em: f64 = text
        .chars()
        .map(|c| match c {
            ' ' | '.' | ',' | ':' | ';' | '\'' | '|' | '!' | '·' | 'i' | 'j' | 'l' | 'I' => 0.34,
            'f' | 't' | 'r' | '(' | ')' | '[' | ']' | '-' | '/' | '"' => 0.44,
            'm' | 'w' | 'M' | 'W' | '%' | '@' | '²' => 1.0,
            c if c.is_ascii_uppercase() => 0.78,
            c if c.is_ascii() => 0.64,
            _ => 0.8,
        })
        .sum();
    em * size
}

/// A label to place.
#[derive(Debug, Clone)]
pub struct Request {
    /// The text.
    pub text: String,
    /// Where it belongs (sheet mm).
    pub anchor: (f64, f64),
    /// Font size (mm).
    pub size: f64,
    /// A unit direction to try first (a side's outward normal), if any.
    pub prefer: Option<(f64, f64)>,
}

/// A placed label: its text centred at `at` (the box's centre), and a leader
/// from the anchor to the box when it moved away.
#[derive(Debug, Clone)]
pub struct Placed {
    /// The text.
    pub text: String,
    /// Font size (mm).
    pub size: f64,
    /// The box's centre.
    pub at: (f64, f64),
    /// The box.
    pub rect: Rect,
    /// Anchor → nearest point of the box, when the label moved.
    pub leader: Option<((f64, f64), (f64, f64))>,
}

/// What placement gives back.
#[derive(Debug, Clone, Default)]
pub struct Placement {
    /// The labels placed, in request order.
    pub placed: Vec<Placed>,
    /// The texts that found no free position.
    pub dropped: Vec<String>,
}

const CELL: f64 = 10.0;

struct Grid {
    cells: HashMap<(i64, i64), Vec<Rect>>,
}

impl Grid {
    fn keys(r: &Rect) -> impl Iterator<Item = (i64, i64)> {
        let (i0, i1) = ((r.x0 / CELL).floor() as i64, (r.x1 / CELL).floor() as i64);
        let (j0, j1) = ((r.y0 / CELL).floor() as i64, (r.y1 / CELL).floor() as i64);
        (i0..=i1).flat_map(move |i| (j0..=j1).map(move |j| (i, j)))
    }

    fn free(&self, r: &Rect) -> bool {
        Self::keys(r).all(|k| {
            self.cells
                .get(&k)
                .is_none_or(|v| v.iter().all(|o| !o.overlaps(r)))
        })
    }

    fn insert(&mut self, r: Rect) {
        for k in Self::keys(&r) {
            self.cells.entry(k).or_default().push(r);
        }
    }
}

/// Places `requests` in order inside `area`, clear of `obstacles` and of
/// each other (boxes padded by a tenth of the font size).
pub fn place(requests: &[Request], area: Rect, obstacles: &[Rect]) -> Placement {
    let mut grid = Grid {
        cells: HashMap::new(),
    };
    for o in obstacles {
        grid.insert(*o);
    }
    let compass: [(f64, f64); 8] = [
        (0.0, -1.0),
        (0.0, 1.0),
        (1.0, 0.0),
        (-1.0, 0.0),
        (0.707, -0.707),
        (-0.707, -0.707),
        (0.707, 0.707),
        (-0.707, 0.707),
    ];
    let mut out = Placement::default();
    for q in requests {
        let pad = 0.1 * q.size;
        let (w, h) = (text_width(&q.text, q.size) + 2.0 * pad, 1.25 * q.size + pad);
        let boxed = |cx: f64, cy: f64| Rect {
            x0: cx - w / 2.0,
            y0: cy - h / 2.0,
            x1: cx + w / 2.0,
            y1: cy + h / 2.0,
        };
        let dirs: Vec<(f64, f64)> = q.prefer.into_iter().chain(compass).collect();
        let mut found = None;
        'rings: for ring in 0..8 {
            let step = f64::from(ring) * h * 0.8;
            for (k, &(dx, dy)) in dirs.iter().enumerate() {
                if ring == 0 && k > 0 && q.prefer.is_none() {
                    break;
                }
                // clear of the anchor along the direction, then `step` on
                let lift = if ring == 0 && q.prefer.is_none() {
                    0.0
                } else {
                    (w / 2.0 * dx.abs()).max(h / 2.0 * dy.abs()) + step
                };
                let c = (q.anchor.0 + dx * lift, q.anchor.1 + dy * lift);
                let r = boxed(c.0, c.1);
                if area.contains(&r) && grid.free(&r) {
                    found = Some((c, r, ring));
                    break 'rings;
                }
            }
        }
        match found {
            Some((at, rect, ring)) => {
                grid.insert(rect);
                let leader = (ring >= 2).then(|| {
                    let near = (
                        q.anchor.0.clamp(rect.x0, rect.x1),
                        q.anchor.1.clamp(rect.y0, rect.y1),
                    );
                    (q.anchor, near)
                });
                out.placed.push(Placed {
                    text: q.text.clone(),
                    size: q.size,
                    at,
                    rect,
                    leader,
                });
            }
            None => out.dropped.push(q.text.clone()),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn req(text: &str, x: f64, y: f64) -> Request {
        Request {
            text: text.into(),
            anchor: (x, y),
            size: 2.0,
            prefer: None,
        }
    }

    const AREA: Rect = Rect {
        x0: 0.0,
        y0: 0.0,
        x1: 100.0,
        y1: 100.0,
    };

    #[test]
    fn labels_on_one_anchor_spread_out_without_overlapping() {
        let reqs: Vec<Request> = (0..12)
            .map(|i| req(&format!("label {i}"), 50.0, 50.0))
            .collect();
        let p = place(&reqs, AREA, &[]);
        assert_eq!(p.placed.len(), 12);
        for (i, a) in p.placed.iter().enumerate() {
            assert!(AREA.contains(&a.rect));
            for b in &p.placed[i + 1..] {
                assert!(!a.rect.overlaps(&b.rect), "{a:?} {b:?}");
            }
        }
        // the first sits on its anchor, the far ones have leaders
        assert_eq!(p.placed[0].at, (50.0, 50.0));
        assert!(p.placed.iter().any(|l| l.leader.is_some()));
    }

    #[test]
    fn a_label_at_the_edge_moves_inside_and_one_with_no_room_is_dropped() {
        let p = place(&[req("right edge", 99.0, 50.0)], AREA, &[]);
        assert!(AREA.contains(&p.placed[0].rect) && p.placed[0].at.0 < 99.0);
        let tiny = Rect {
            x0: 0.0,
            y0: 0.0,
            x1: 5.0,
            y1: 5.0,
        };
        let p = place(&[req("much too long for the box", 2.5, 2.5)], tiny, &[]);
        assert!(p.placed.is_empty());
        assert_eq!(p.dropped, ["much too long for the box"]);
    }

    #[test]
    fn the_preferred_direction_comes_first() {
        let mut q = req("north", 50.0, 50.0);
        q.prefer = Some((0.0, -1.0));
        let p = place(&[q], AREA, &[]);
        assert!(p.placed[0].rect.y1 <= 50.0 + 1e-9, "{:?}", p.placed[0]);
    }

    #[test]
    fn widths_cover_wide_glyphs() {
        assert!(text_width("MMMM", 1.0) >= 4.0 * 0.86);
        assert!(text_width("1234", 1.0) >= 4.0 * 0.636);
    }
}
