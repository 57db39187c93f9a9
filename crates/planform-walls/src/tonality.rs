//! Whether a decoded image looks like a binary wall mask at all.
//!
//! A wall mask is 0/255 (a few grey pixels along edges after JPEG or
//! resampling); a photo or scan of the plan itself has paper texture, grey
//! lines and anti-aliased text. Thresholding either gives *a* mask, so a
//! plan passed where its mask was meant would be vectorized silently.
//!
//! Measured on the external corpus: the 152 wall masks (R3D, R2V,
//! MLSTRUCT) have at most 1.8 % of their pixels between 16 and 239; the 40
//! R3D plan images have at least 4.0 % (`r3d_10.jpg`: 14 %). The line is
//! drawn at 3 %.

use image::{DynamicImage, GenericImageView};

/// Pixels sampled at most (on a regular grid), whatever the image's size.
const MAX_SAMPLES: u64 = 1 << 20;

/// The grey levels of a decoded image.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Tonality {
    /// Share of pixels (sampled) whose luminance, composited over black, is
    /// between 16 and 239 of 255.
    pub midtone_fraction: f64,
}

impl Tonality {
    /// The largest share of mid-tones a binary mask has (3 %).
    pub const MAX_MIDTONES: f64 = 0.03;

    /// Measures `img` on at most about a million pixels.
    pub fn of(img: &DynamicImage) -> Self {
        let (w, h) = img.dimensions();
        let pixels = u64::from(w) * u64::from(h);
        if pixels == 0 {
            return Self {
                midtone_fraction: 0.0,
            };
        }
        // the same stride both ways keeps the sample grid square
        let stride = ((pixels as f64 / MAX_SAMPLES as f64).sqrt().ceil() as u32).max(1);
        let (mut n, mut mid) = (0u64, 0u64);
        for y in (0..h).step_by(stride as usize) {
            for x in (0..w).step_by(stride as usize) {
                let [r, g, b, a] = img.get_pixel(x, y).0;
                // Rec. 709 luma, composited over black
                let l = (2126 * u32::from(r) + 7152 * u32::from(g) + 722 * u32::from(b)) / 10_000;
                let l = l * u32::from(a) / 255;
                n += 1;
                mid += u64::from((16..=239).contains(&l));
            }
        }
        Self {
            midtone_fraction: mid as f64 / n as f64,
        }
    }

    /// Whether the image is plausibly a binary mask (mid-tones at most
    /// [`Self::MAX_MIDTONES`]).
    pub fn looks_binary(&self) -> bool {
        self.midtone_fraction <= Self::MAX_MIDTONES
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use image::{GrayImage, Luma};

    #[test]
    fn masks_are_binary_and_grey_plans_are_not() {
        let mask = GrayImage::from_fn(300, 200, |x, _| Luma([if x % 40 < 6 { 255 } else { 0 }]));
        let t = Tonality::of(&DynamicImage::ImageLuma8(mask));
        assert_eq!(t.midtone_fraction, 0.0);
        assert!(t.looks_binary());
        // a grey gradient, as a scan's paper and lines
        let scan = GrayImage::from_fn(300, 200, |x, _| Luma([(x % 256) as u8]));
        let t = Tonality::of(&DynamicImage::ImageLuma8(scan));
        assert!((t.midtone_fraction - 252.0 / 300.0).abs() < 0.01, "{t:?}");
        assert!(!t.looks_binary());
        // big images are sampled, with the same answer
        let big = GrayImage::from_fn(3000, 2000, |x, _| Luma([if x % 2 == 0 { 128 } else { 0 }]));
        let t = Tonality::of(&DynamicImage::ImageLuma8(big));
        assert!((t.midtone_fraction - 0.5).abs() < 0.01, "{t:?}");
    }
}
