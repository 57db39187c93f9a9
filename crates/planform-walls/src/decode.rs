//! Decoding a mask image (PNG, JPEG, TIFF, WebP; any bit depth or colour
//! type) into a [`Mask`], with limits checked before pixels are allocated.

use std::io::Cursor;
use std::path::Path;

use image::{DynamicImage, ImageReader, Limits};

use crate::error::{Result, WallsError};
use crate::mask::Mask;
use crate::tonality::Tonality;

/// Decoding settings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DecodeOptions {
    /// Largest image accepted, in pixels (width × height), checked from the
    /// header before decoding. Default 200 000 000.
    pub max_pixels: u64,
    /// Largest allocation the decoder may make, in bytes. Default 4 GiB.
    pub max_alloc: u64,
    /// Largest file read, in bytes. Default 1 GiB.
    pub max_file_bytes: u64,
    /// Luminance above this (0–255 scale) is wall. Default 127.
    pub threshold: u8,
}

impl Default for DecodeOptions {
    fn default() -> Self {
        Self {
            max_pixels: 200_000_000,
            max_alloc: 4 << 30,
            max_file_bytes: 1 << 30,
            threshold: 127,
        }
    }
}

/// Reads and decodes a mask file.
pub fn read_mask(path: impl AsRef<Path>, options: &DecodeOptions) -> Result<Mask> {
    read_mask_reporting(path, options).map(|(m, _)| m)
}

/// [`read_mask`], with how binary the image was (warn the user when it
/// does not [look binary](Tonality::looks_binary): a plan image given where
/// its mask was meant).
pub fn read_mask_reporting(
    path: impl AsRef<Path>,
    options: &DecodeOptions,
) -> Result<(Mask, Tonality)> {
    let path = path.as_ref();
    let bytes =
        planform_model::io::read_limited(path, options.max_file_bytes).map_err(|e| match e {
            planform_model::ModelError::Io { path, source } => WallsError::Io { path, source },
            other => WallsError::Decode {
                path: Some(path.to_owned()),
                message: other.to_string(),
            },
        })?;
    decode_mask_reporting(&bytes, options).map_err(|e| e.with_path(path))
}

/// Decodes a mask from bytes in any supported format.
///
/// Luminance (Rec. 709) above `threshold` is wall. Images with an alpha
/// channel are composited over black, except when every pixel has the same
/// colour and only alpha varies (an alpha-only mask), where alpha is the mask.
/// 16-bit images use the same threshold scaled to 16 bits.
pub fn decode_mask(bytes: &[u8], options: &DecodeOptions) -> Result<Mask> {
    decode_mask_reporting(bytes, options).map(|(m, _)| m)
}

/// [`decode_mask`], with how binary the image was.
pub fn decode_mask_reporting(bytes: &[u8], options: &DecodeOptions) -> Result<(Mask, Tonality)> {
    let decode_err = |e: image::ImageError| WallsError::Decode {
        path: None,
        message: e.to_string(),
    };
    let reader = || ImageReader::new(Cursor::new(bytes)).with_guessed_format();
    let reader1 = reader().map_err(|e| WallsError::Decode {
        path: None,
        message: e.to_string(),
    })?;
    let Some(format) = reader1.format() else {
        return Err(WallsError::Decode {
            path: None,
            message: "unknown or unsupported image format".into(),
        });
    };
    let (width, height) = reader1.into_dimensions().map_err(decode_err)?;
    let pixels = u64::from(width) * u64::from(height);
    if pixels > options.max_pixels {
        return Err(WallsError::TooLarge {
            path: None,
            width,
            height,
            pixels,
            limit: options.max_pixels,
        });
    }
    let floor = least_bytes(format, pixels);
    if (bytes.len() as u64) < floor {
        return Err(WallsError::Decode {
            path: None,
            message: format!(
                "truncated: the header says {width}x{height} pixels, but {} bytes cannot hold \
                 them ({format:?} needs at least {floor})",
                bytes.len()
            ),
        });
    }
    let mut limits = Limits::default();
    limits.max_image_width = Some(width);
    limits.max_image_height = Some(height);
    limits.max_alloc = Some(options.max_alloc);
    let mut reader2 = reader().map_err(|e| WallsError::Decode {
        path: None,
        message: e.to_string(),
    })?;
    reader2.limits(limits);
    let img = reader2.decode().map_err(decode_err)?;
    let tonality = Tonality::of(&img);
    Ok((threshold_image(img, options.threshold), tonality))
}

/// The fewest bytes any valid file of `format` needs for `pixels` pixels,
/// from the format's best possible compression; a file smaller than this
/// was cut short or lies in its header (a 335-byte JPEG claiming
/// 14000x14000 decoded as black; a 34-byte WebP claiming as much made the
/// decoder allocate 1.34 GB).
///
/// - JPEG: every 8x8 block of the luma plane codes at least its DC
///   difference and an end-of-block, one bit or more: `pixels / 512`.
/// - Everything else: 1 bit a pixel at most 4096:1 (deflate tops out at
///   1032:1, LZW near 2730:1, WebP lossless copies at most 4096 pixels per
///   length code with 10 extra bits, lossy WebP spends at least a bit per
///   16x16 macroblock on its mode): `pixels / 32768`.
fn least_bytes(format: image::ImageFormat, pixels: u64) -> u64 {
    match format {
        image::ImageFormat::Jpeg => pixels / 512,
        _ => pixels / 32_768,
    }
}

/// Thresholds a decoded image (see [`decode_mask`] for the rules).
pub fn threshold_image(img: DynamicImage, threshold: u8) -> Mask {
    match img {
        DynamicImage::ImageLuma8(g) => Mask::from_gray_owned(g, threshold),
        DynamicImage::ImageLuma16(g) => {
            let t = u16::from(threshold) * 257 + 128;
            Mask::from_fn(g.width(), g.height(), |x, y| g.get_pixel(x, y).0[0] > t)
        }
        other if other.color().has_alpha() => {
            let la = other.to_luma_alpha16();
            let (l0, a0) = la.pixels().next().map_or((0, 0), |p| (p.0[0], p.0[1]));
            let uniform_colour = la.pixels().all(|p| p.0[0] == l0);
            let alpha_varies = la.pixels().any(|p| p.0[1] != a0);
            let uniform_colour = uniform_colour && alpha_varies;
            let t = u32::from(threshold) * 257 + 128;
            Mask::from_fn(la.width(), la.height(), |x, y| {
                let [l, a] = la.get_pixel(x, y).0;
                if uniform_colour {
                    u32::from(a) > t
                } else {
                    u32::from(l) * u32::from(a) / 65_535 > t
                }
            })
        }
        other => {
            let l = other.to_luma16();
            let t = u16::from(threshold) * 257 + 128;
            Mask::from_fn(l.width(), l.height(), |x, y| l.get_pixel(x, y).0[0] > t)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use image::{ImageFormat, Luma, LumaA, Rgb, Rgba};

    fn encode(img: &DynamicImage, format: ImageFormat) -> Vec<u8> {
        let mut out = Cursor::new(Vec::new());
        img.write_to(&mut out, format).unwrap();
        out.into_inner()
    }

    fn pattern(x: u32, y: u32) -> bool {
        (x + y).is_multiple_of(3)
    }

    #[test]
    fn every_colour_type_and_depth_gives_the_same_mask() {
        let want = Mask::from_fn(7, 5, pattern);
        let v8 = |x, y| if pattern(x, y) { 255u8 } else { 0 };
        let v16 = |x, y| if pattern(x, y) { 65535u16 } else { 0 };
        let images = [
            DynamicImage::ImageLuma8(image::ImageBuffer::from_fn(7, 5, |x, y| Luma([v8(x, y)]))),
            DynamicImage::ImageLuma16(image::ImageBuffer::from_fn(7, 5, |x, y| Luma([v16(x, y)]))),
            DynamicImage::ImageRgb8(image::ImageBuffer::from_fn(7, 5, |x, y| Rgb([v8(x, y); 3]))),
            DynamicImage::ImageRgba8(image::ImageBuffer::from_fn(7, 5, |x, y| {
                Rgba([v8(x, y), v8(x, y), v8(x, y), 255])
            })),
            // alpha-only: black everywhere, alpha carries the mask
            DynamicImage::ImageLumaA8(image::ImageBuffer::from_fn(7, 5, |x, y| {
                LumaA([0, v8(x, y)])
            })),
            DynamicImage::ImageRgba16(image::ImageBuffer::from_fn(7, 5, |x, y| {
                Rgba([0, 0, 0, v16(x, y)])
            })),
        ];
        for img in images {
            let png = encode(&img, ImageFormat::Png);
            let m = decode_mask(&png, &DecodeOptions::default()).unwrap();
            assert_eq!(m, want, "{:?}", img.color());
        }
        // opaque black is background, not an alpha mask
        let black = DynamicImage::ImageRgba8(image::ImageBuffer::from_fn(3, 3, |_, _| {
            Rgba([0, 0, 0, 255])
        }));
        assert_eq!(
            decode_mask(&encode(&black, ImageFormat::Png), &DecodeOptions::default())
                .unwrap()
                .count(),
            0
        );
        let tiff = encode(&images_gray(), ImageFormat::Tiff);
        assert_eq!(decode_mask(&tiff, &DecodeOptions::default()).unwrap(), want);
    }

    /// `bytes` with the big-endian u16 at `at` (and the next) set to `v`.
    fn patch_be(mut bytes: Vec<u8>, at: &[usize], v: u16) -> Vec<u8> {
        for &i in at {
            bytes[i..i + 2].copy_from_slice(&v.to_be_bytes());
        }
        bytes
    }

    #[test]
    fn headers_claiming_more_pixels_than_the_data_holds_are_truncated() {
        let small = DynamicImage::ImageLuma8(image::ImageBuffer::from_fn(16, 16, |x, y| {
            Luma([if pattern(x, y) { 255 } else { 0 }])
        }));
        // a JPEG whose frame header (SOF0) says 14000 x 14000
        let jpeg = encode(&small, ImageFormat::Jpeg);
        let sof = jpeg.windows(2).position(|w| w == [0xFF, 0xC0]).unwrap();
        let jpeg = patch_be(jpeg, &[sof + 5, sof + 7], 14_000);
        let e = decode_mask(&jpeg, &DecodeOptions::default()).unwrap_err();
        assert!(e.to_string().contains("truncated"), "{e}");
        // a lossless WebP whose VP8L header says 14000 x 14000
        let mut webp = encode(&small, ImageFormat::WebP);
        assert_eq!(&webp[12..16], b"VP8L");
        let (w, h) = (13_999u32, 13_999u32);
        let bits = w | (h << 14) | (u32::from(webp[24]) >> 4 << 28);
        webp[21..25].copy_from_slice(&bits.to_le_bytes());
        let e = decode_mask(&webp, &DecodeOptions::default()).unwrap_err();
        assert!(e.to_string().contains("truncated"), "{e}");
        // big plain images well within their formats' reach still decode
        let black = |n| DynamicImage::ImageLuma8(image::ImageBuffer::from_pixel(n, n, Luma([0u8])));
        for (n, format) in [
            (4000, ImageFormat::Png),
            (2048, ImageFormat::Jpeg),
            (2048, ImageFormat::WebP),
        ] {
            let bytes = encode(&black(n), format);
            let m = decode_mask(&bytes, &DecodeOptions::default()).unwrap();
            assert_eq!(
                (m.width(), m.count()),
                (n, 0),
                "{format:?}: {} bytes",
                bytes.len()
            );
        }
    }

    fn images_gray() -> DynamicImage {
        DynamicImage::ImageLuma8(image::ImageBuffer::from_fn(7, 5, |x, y| {
            Luma([if pattern(x, y) { 200 } else { 30 }])
        }))
    }

    #[test]
    fn threshold_is_strictly_above_127() {
        let img = DynamicImage::ImageLuma8(image::ImageBuffer::from_fn(2, 1, |x, _| {
            Luma([127 + x as u8])
        }));
        let m = decode_mask(&encode(&img, ImageFormat::Png), &DecodeOptions::default()).unwrap();
        assert_eq!(m.as_bytes(), &[0, 1]);
    }

    #[test]
    fn truncated_unknown_and_empty_inputs_are_typed_errors() {
        let png = encode(&images_gray(), ImageFormat::Png);
        let o = DecodeOptions::default();
        assert!(matches!(
            decode_mask(&png[..png.len() / 2], &o),
            Err(WallsError::Decode { .. })
        ));
        assert!(matches!(
            decode_mask(b"not an image at all", &o),
            Err(WallsError::Decode { .. })
        ));
        assert!(matches!(
            decode_mask(b"", &o),
            Err(WallsError::Decode { .. })
        ));
    }

    #[test]
    fn oversized_images_are_refused_from_the_header() {
        // A valid PNG header claiming 20000 x 20000 (400 Mpx) with no pixel data.
        let mut png = Vec::new();
        png.extend_from_slice(b"\x89PNG\r\n\x1a\n");
        let mut ihdr = Vec::new();
        ihdr.extend_from_slice(&20_000u32.to_be_bytes());
        ihdr.extend_from_slice(&20_000u32.to_be_bytes());
        ihdr.extend_from_slice(&[8, 0, 0, 0, 0]);
        png.extend_from_slice(&13u32.to_be_bytes());
        let mut chunk = b"IHDR".to_vec();
        chunk.extend_from_slice(&ihdr);
        let crc = crc32(&chunk);
        png.extend_from_slice(&chunk);
        png.extend_from_slice(&crc.to_be_bytes());
        // an empty IDAT chunk: the decoder reads the header up to here
        png.extend_from_slice(&0u32.to_be_bytes());
        png.extend_from_slice(b"IDAT");
        png.extend_from_slice(&crc32(b"IDAT").to_be_bytes());
        let e = decode_mask(&png, &DecodeOptions::default()).unwrap_err();
        assert!(
            matches!(
                e,
                WallsError::TooLarge {
                    width: 20_000,
                    height: 20_000,
                    ..
                }
            ),
            "{e}"
        );
    }

    fn crc32(data: &[u8]) -> u32 {
        let mut c = 0xFFFF_FFFFu32;
        for &b in data {
            c ^= u32::from(b);
            for _ in 0..8 {
                c = if c & 1 != 0 {
                    0xEDB8_8320 ^ (c >> 1)
                } else {
                    c >> 1
                };
            }
        }
        !c
    }
}
