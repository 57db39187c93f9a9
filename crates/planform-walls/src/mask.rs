//! A binary wall mask: 1 = wall, 0 = background, row-major, y down.

use image::GrayImage;

use crate::error::{Result, WallsError};

/// A binary mask. Pixel (x, y) has its top-left corner at (x, y) in image
/// coordinates (y down); outputs flip to y up with the origin at the
/// bottom-left corner.
#[derive(Clone, PartialEq, Eq)]
pub struct Mask {
    width: u32,
    height: u32,
    data: Vec<u8>,
}

impl std::fmt::Debug for Mask {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "Mask({}x{}, {} wall px)",
            self.width,
            self.height,
            self.count()
        )
    }
}

impl Mask {
    /// A mask from row-major bytes; any non-zero byte is wall.
    pub fn new(width: u32, height: u32, mut data: Vec<u8>) -> Result<Self> {
        let expected = width as usize * height as usize;
        if data.len() != expected {
            return Err(WallsError::BadDimensions {
                width,
                height,
                len: data.len(),
                expected,
            });
        }
        for v in &mut data {
            *v = u8::from(*v != 0);
        }
        Ok(Self {
            width,
            height,
            data,
        })
    }

    /// Thresholds a grey image: luminance > `threshold` is wall (the Floor
    /// Plan API's masks are 0/255; 127 is the documented threshold).
    pub fn from_gray(img: &GrayImage, threshold: u8) -> Self {
        let data = img
            .as_raw()
            .iter()
            .map(|&v| u8::from(v > threshold))
            .collect();
        Self {
            width: img.width(),
            height: img.height(),
            data,
        }
    }

    /// Thresholds a grey image in place, reusing its buffer (no copy).
    pub fn from_gray_owned(img: GrayImage, threshold: u8) -> Self {
        let (width, height) = img.dimensions();
        let mut data = img.into_raw();
        for v in &mut data {
            *v = u8::from(*v > threshold);
        }
        Self {
            width,
            height,
            data,
        }
    }

    /// A mask from a function of (x, y).
    pub fn from_fn(width: u32, height: u32, mut f: impl FnMut(u32, u32) -> bool) -> Self {
        let mut data = Vec::with_capacity(width as usize * height as usize);
        for y in 0..height {
            for x in 0..width {
                data.push(u8::from(f(x, y)));
            }
        }
        Self {
            width,
            height,
            data,
        }
    }

    /// A mask drawn as ASCII art: `#` is wall, anything else background;
    /// lines are rows (top first), surrounding blank lines and common
    /// indentation are ignored, short rows are padded with background.
    ///
    /// ```
    /// // (a leading `.` column keeps rustdoc from reading `##` as an escape)
    /// let m = planform_walls::Mask::from_ascii("
    ///     .###
    ///     .#.#
    ///     .###");
    /// assert_eq!((m.width(), m.height(), m.count()), (4, 3, 8));
    /// ```
    pub fn from_ascii(art: &str) -> Self {
        let lines: Vec<&str> = art.lines().filter(|l| !l.trim().is_empty()).collect();
        let indent = lines
            .iter()
            .map(|l| l.len() - l.trim_start().len())
            .min()
            .unwrap_or(0);
        let rows: Vec<&str> = lines
            .iter()
            .map(|l| l.get(indent..).unwrap_or("").trim_end())
            .collect();
        let width = rows.iter().map(|r| r.chars().count()).max().unwrap_or(0) as u32;
        let height = rows.len() as u32;
        let mut data = vec![0u8; width as usize * height as usize];
        for (y, r) in rows.iter().enumerate() {
            for (x, c) in r.chars().enumerate() {
                data[y * width as usize + x] = u8::from(c == '#');
            }
        }
        Self {
            width,
            height,
            data,
        }
    }

    /// Width in pixels.
    pub fn width(&self) -> u32 {
        self.width
    }

    /// Height in pixels.
    pub fn height(&self) -> u32 {
        self.height
    }

    /// Whether pixel (x, y) is wall; `false` outside the image.
    #[inline]
    pub fn get(&self, x: i64, y: i64) -> bool {
        if x < 0 || y < 0 || x >= i64::from(self.width) || y >= i64::from(self.height) {
            return false;
        }
        self.data[y as usize * self.width as usize + x as usize] != 0
    }

    /// One row as 0/1 bytes.
    pub fn row(&self, y: u32) -> &[u8] {
        let w = self.width as usize;
        &self.data[y as usize * w..(y as usize + 1) * w]
    }

    /// Number of wall pixels.
    pub fn count(&self) -> u64 {
        self.data.iter().map(|&v| u64::from(v)).sum()
    }

    /// The 0/1 bytes, row-major.
    pub fn as_bytes(&self) -> &[u8] {
        &self.data
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ascii_art_and_bounds() {
        let m = Mask::from_ascii(
            "
            #..
            .##
            ",
        );
        assert_eq!((m.width(), m.height()), (3, 2));
        assert!(m.get(0, 0) && !m.get(1, 0) && m.get(2, 1));
        assert!(!m.get(-1, 0) && !m.get(3, 1) && !m.get(0, 2));
        assert_eq!(m.count(), 3);
    }

    #[test]
    fn new_checks_length_and_normalises() {
        assert!(Mask::new(2, 2, vec![0, 255, 7]).is_err());
        let m = Mask::new(2, 1, vec![0, 255]).unwrap();
        assert_eq!(m.as_bytes(), &[0, 1]);
    }
}
