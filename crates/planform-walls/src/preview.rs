//! A picture for people: the mask in grey with the vectors drawn over it.

use geo_types::{Coord, LineString, Polygon};
use image::{Rgb, RgbImage};

use crate::mask::Mask;

/// Exterior rings are drawn in this colour.
pub const EXTERIOR: Rgb<u8> = Rgb([230, 40, 40]);
/// Holes are drawn in this colour.
pub const HOLE: Rgb<u8> = Rgb([40, 120, 255]);
/// Vertices are marked in this colour.
pub const VERTEX: Rgb<u8> = Rgb([255, 210, 0]);

fn plot(img: &mut RgbImage, x: i64, y: i64, c: Rgb<u8>) {
    if x >= 0 && y >= 0 && x < i64::from(img.width()) && y < i64::from(img.height()) {
        img.put_pixel(x as u32, y as u32, c);
    }
}

/// Draws a line in plan pixels (y up) onto an image (y down).
fn line(img: &mut RgbImage, a: Coord<f64>, b: Coord<f64>, c: Rgb<u8>) {
    let h = f64::from(img.height());
    let (x0, y0, x1, y1) = (a.x, h - a.y, b.x, h - b.y);
    let n = (x1 - x0).abs().max((y1 - y0).abs()).ceil().max(1.0) as i64;
    for i in 0..=n {
        let t = i as f64 / n as f64;
        let (x, y) = (x0 + t * (x1 - x0), y0 + t * (y1 - y0));
        // a boundary at integer x lies between pixels x-1 and x: draw the pixel inside
        plot(img, (x - 0.5).round() as i64, (y - 0.5).round() as i64, c);
    }
}

fn ring(img: &mut RgbImage, r: &LineString<f64>, c: Rgb<u8>) {
    for l in r.lines() {
        line(img, l.start, l.end, c);
    }
    let h = f64::from(img.height());
    for p in &r.0 {
        plot(
            img,
            (p.x - 0.5).round() as i64,
            (h - p.y - 0.5).round() as i64,
            VERTEX,
        );
    }
}

/// The mask in dark grey (walls light grey) with polygon rings drawn over
/// it: exteriors red, holes blue, vertices yellow.
pub fn render_outlines(mask: &Mask, polygons: &[Polygon<f64>]) -> RgbImage {
    let mut img = RgbImage::from_fn(mask.width(), mask.height(), |x, y| {
        if mask.get(i64::from(x), i64::from(y)) {
            Rgb([150, 150, 150])
        } else {
            Rgb([30, 30, 30])
        }
    });
    for p in polygons {
        ring(&mut img, p.exterior(), EXTERIOR);
        for hole in p.interiors() {
            ring(&mut img, hole, HOLE);
        }
    }
    img
}

/// The mask with the wall graph drawn over it: centrelines red, wall ends
/// cyan, corners and junctions yellow.
pub fn render_centerlines(mask: &Mask, c: &crate::centerline::Centerlines) -> RgbImage {
    let mut img = render_outlines(mask, &[]);
    for w in &c.walls {
        for l in w.centerline.lines() {
            line(&mut img, l.start, l.end, EXTERIOR);
        }
    }
    let h = f64::from(img.height());
    for j in &c.junctions {
        let colour = if j.degree == 1 {
            Rgb([0, 200, 255])
        } else {
            VERTEX
        };
        let (x, y) = (
            (j.at.x - 0.5).round() as i64,
            (h - j.at.y - 0.5).round() as i64,
        );
        for dx in -1..=1 {
            for dy in -1..=1 {
                plot(&mut img, x + dx, y + dy, colour);
            }
        }
    }
    img
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::outline::{OutlineOptions, outlines};

    #[test]
    fn rings_are_drawn_on_the_wall_pixels() {
        let m = Mask::from_ascii(
            "
            ......
            .####.
            .#..#.
            .####.
            ......",
        );
        let o = outlines(&m, &OutlineOptions::default()).unwrap();
        let img = render_outlines(&m, &o.polygons);
        assert_eq!((img.width(), img.height()), (6, 5));
        assert_ne!(
            *img.get_pixel(1, 1),
            Rgb([150, 150, 150]),
            "corner pixel is marked"
        );
        assert_eq!(
            *img.get_pixel(0, 0),
            Rgb([30, 30, 30]),
            "background untouched"
        );
    }
}
