//! Lot grade from a DSM/DTM GeoTIFF: the raster read in pure Rust (`tiff`:
//! float32 and integer samples, strips or tiles, DEFLATE/LZW, the
//! floating-point predictor), georeferenced from its GeoTIFF tags; slope
//! and aspect by Horn's method exactly as `gdaldem slope|aspect
//! -compute_edges` computes them (edges extrapolated as GDAL does, a
//! neighbour without data takes the centre cell's value, sums in single
//! precision); then over a lot's cells the
//! mean slope, relief (highest minus lowest), the dominant 8-sector aspect
//! of the cells that have one, and whether the lot is flat (mean slope
//! under [`GradeOptions::flat_below_deg`], 2° by default).

use std::io::{BufReader, Read, Seek};
use std::path::Path;

use geo::Contains;
use geo_types::Coord;
use planform_model::analysis::{Aspect, LotGrade};
use serde_json::Number;
use tiff::decoder::{Decoder, DecodingResult, Limits};
use tiff::tags::Tag;

use crate::error::{Result, SiteError};

/// A single-band elevation raster.
#[derive(Debug, Clone, PartialEq)]
pub struct Dem {
    /// Columns.
    pub width: usize,
    /// Rows.
    pub height: usize,
    /// Elevations, row-major from the top row (`NaN`: no data).
    pub z: Vec<f64>,
    /// GDAL-order geotransform: x0, pixel width, row rotation, y0, column
    /// rotation, pixel height (negative for north-up).
    pub transform: [f64; 6],
    /// The EPSG code of the GeoKey directory (projected, else geographic).
    pub epsg: Option<u32>,
}

/// Grade settings.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct GradeOptions {
    /// A lot whose mean slope is under this is flat, degrees. Default 2.
    pub flat_below_deg: f64,
}

impl Default for GradeOptions {
    fn default() -> Self {
        Self {
            flat_below_deg: 2.0,
        }
    }
}

/// Values beyond this magnitude are no data (see [`read_dem`]).
pub const MAX_ELEVATION: f64 = 1e7;

fn tiff_err(path: &Path, e: &tiff::TiffError) -> SiteError {
    SiteError::invalid(
        path.display().to_string(),
        format!("cannot read the GeoTIFF: {e}"),
    )
}

/// Reads a DEM GeoTIFF, refusing rasters of more than `max_pixels`.
///
/// ```
/// use planform_site::grade::{GradeOptions, parcel_grade, read_dem};
/// use geo_types::coord;
///
/// let dtm = read_dem("../../fixtures/dem/interior_lot_dtm.tif".as_ref(), 1 << 24)?;
/// // the interior lot fixture's ring, WGS84
/// let plan = planform_site::model::SitePlan::read("../../fixtures/site/interior_lot.json")?;
/// let parcel = plan.features.iter()
///     .find(|f| f.catalog_type().is_some_and(|t| t.as_str() == "parcel")).unwrap();
/// let planform_site::model::GeometryValue::Polygon(rings) = &parcel.geometry.as_ref().unwrap().value
///     else { unreachable!() };
/// let ring: Vec<_> = rings[0].iter().map(|p| coord! { x: p.x(), y: p.y() }).collect();
/// let grade = parcel_grade(&dtm, &ring, &GradeOptions::default())?.expect("cells in the lot");
/// assert!(grade.mean_slope_deg.is_some() && grade.relief_meters.is_some());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn read_dem(path: &Path, max_pixels: u64) -> Result<Dem> {
    let file = std::fs::File::open(path).map_err(|source| planform_model::ModelError::Io {
        path: path.to_owned(),
        source,
    })?;
    decode(BufReader::new(file), path, max_pixels)
}

fn decode<R: Read + Seek>(r: R, path: &Path, max_pixels: u64) -> Result<Dem> {
    let mut limits = Limits::default();
    limits.decoding_buffer_size =
        usize::try_from(max_pixels.saturating_mul(8)).unwrap_or(usize::MAX);
    let mut d = Decoder::new(r)
        .map_err(|e| tiff_err(path, &e))?
        .with_limits(limits);
    let (w, h) = d.dimensions().map_err(|e| tiff_err(path, &e))?;
    if u64::from(w) * u64::from(h) > max_pixels {
        return Err(SiteError::invalid(
            path.display().to_string(),
            format!("{w}×{h} cells is over the limit of {max_pixels}"),
        ));
    }
    let scale = d
        .get_tag_f64_vec(Tag::ModelPixelScaleTag)
        .map_err(|_| SiteError::invalid(path.display().to_string(), "no ModelPixelScale tag"))?;
    let tie = d
        .get_tag_f64_vec(Tag::ModelTiepointTag)
        .map_err(|_| SiteError::invalid(path.display().to_string(), "no ModelTiepoint tag"))?;
    if scale.len() < 2 || tie.len() < 6 {
        return Err(SiteError::invalid(
            path.display().to_string(),
            "short georeferencing tags",
        ));
    }
    // tie point (i, j) ↔ (x, y): the raster's corner at pixel (0, 0)
    let transform = [
        tie[3] - tie[0] * scale[0],
        scale[0],
        0.0,
        tie[4] + tie[1] * scale[1],
        0.0,
        -scale[1],
    ];
    let epsg = d
        .get_tag_u16_vec(Tag::GeoKeyDirectoryTag)
        .ok()
        .and_then(|keys| {
            // header of 4, then (key, location, count, value) entries
            let entries: Vec<&[u16]> = keys.get(4..)?.chunks(4).collect();
            let find = |k: u16| {
                entries
                    .iter()
                    .find(|e| e.len() == 4 && e[0] == k && e[1] == 0)
                    .map(|e| u32::from(e[3]))
            };
            find(3072).or_else(|| find(2048))
        });
    let nodata = d
        .get_tag_ascii_string(Tag::GdalNodata)
        .ok()
        .and_then(|s| s.trim().trim_end_matches('\0').parse::<f64>().ok());
    let z: Vec<f64> = match d.read_image().map_err(|e| tiff_err(path, &e))? {
        DecodingResult::F32(v) => v.into_iter().map(f64::from).collect(),
        DecodingResult::F64(v) => v,
        DecodingResult::I16(v) => v.into_iter().map(f64::from).collect(),
        DecodingResult::U16(v) => v.into_iter().map(f64::from).collect(),
        DecodingResult::I32(v) => v.into_iter().map(f64::from).collect(),
        DecodingResult::U8(v) => v.into_iter().map(f64::from).collect(),
        _ => {
            return Err(SiteError::invalid(
                path.display().to_string(),
                "unsupported sample type for a DEM",
            ));
        }
    };
    let (w, h) = (w as usize, h as usize);
    if z.len() != w * h {
        return Err(SiteError::invalid(
            path.display().to_string(),
            format!("{} samples for {w}×{h} cells (one band expected)", z.len()),
        ));
    }
    // cells beyond any elevation (±10^7: Everest in millimetres would be
    // 8.8 x 10^6) are no data: float DEMs often mark it with -3.4e38 without
    // declaring it, and ±3e38 overflowed Horn's single-precision sums into
    // a "flat" lot with 6e38 m of relief
    let z: Vec<f64> = z
        .into_iter()
        .map(|v| match nodata {
            Some(n) if v == n => f64::NAN,
            _ if v.abs() > MAX_ELEVATION => f64::NAN,
            _ => v,
        })
        .collect();
    if !z.iter().any(|v| v.is_finite()) {
        return Err(SiteError::invalid(
            path.display().to_string(),
            format!(
                "no cell has an elevation (every value is no data or beyond ±{MAX_ELEVATION:e})"
            ),
        ));
    }
    Ok(Dem {
        width: w,
        height: h,
        z,
        transform,
        epsg,
    })
}

impl Dem {
    /// The elevation at column `x`, row `y` (`None`: outside or no data).
    pub fn at(&self, x: isize, y: isize) -> Option<f64> {
        if x < 0 || y < 0 || x as usize >= self.width || y as usize >= self.height {
            return None;
        }
        let v = self.z[y as usize * self.width + x as usize];
        v.is_finite().then_some(v)
    }

    /// The elevation of the cell containing the point (`x`, `y`) of the
    /// raster's CRS (`None`: outside or no data).
    pub fn sample(&self, x: f64, y: f64) -> Option<f64> {
        let t = &self.transform;
        let c = ((x - t[0]) / t[1]).floor();
        let r = ((y - t[3]) / t[5]).floor();
        if !(c.is_finite() && r.is_finite()) {
            return None;
        }
        self.at(c as isize, r as isize)
    }

    /// The highest elevation with data.
    pub fn max(&self) -> Option<f64> {
        self.z
            .iter()
            .copied()
            .filter(|v| v.is_finite())
            .reduce(f64::max)
    }

    /// The centre of cell (`x`, `y`) in the raster's CRS.
    pub fn centre(&self, x: usize, y: usize) -> Coord<f64> {
        let t = &self.transform;
        let (c, r) = (x as f64 + 0.5, y as f64 + 0.5);
        Coord {
            x: t[0] + c * t[1] + r * t[2],
            y: t[3] + c * t[4] + r * t[5],
        }
    }

    /// The 3×3 window around a cell with data, as gdaldem builds it with
    /// `-compute_edges`: outside the raster, the first and last rows are
    /// extrapolated linearly (`2a − b`) from the two nearest rows (the
    /// column clamped), other rows from the two nearest columns; a
    /// neighbour without data takes the centre's value. In single
    /// precision, like GDAL.
    fn window(&self, x: usize, y: usize) -> Option<[f32; 9]> {
        let (w, h) = (self.width as isize, self.height as isize);
        let z = |c: isize, r: isize| -> Option<f32> { self.at(c, r).map(|v| v as f32) };
        let lerp = |a: Option<f32>, b: Option<f32>| Some(2.0 * a? - b?);
        let (xi, yi) = (x as isize, y as isize);
        let centre = z(xi, yi)?;
        let mut win = [centre; 9];
        let edge_row = yi == 0 || yi == h - 1;
        for (k, (dx, dy)) in [
            (-1, -1),
            (0, -1),
            (1, -1),
            (-1, 0),
            (0, 0),
            (1, 0),
            (-1, 1),
            (0, 1),
            (1, 1),
        ]
        .into_iter()
        .enumerate()
        {
            let (c, r) = (xi + dx, yi + dy);
            let v = if (0..w).contains(&c) && (0..h).contains(&r) {
                z(c, r)
            } else if w < 2 || h < 2 {
                None
            } else if edge_row {
                // the column is clamped, the row extrapolated
                let c = if (0..w).contains(&c) { c } else { xi };
                if r < 0 {
                    lerp(z(c, 0), z(c, 1))
                } else if r >= h {
                    lerp(z(c, h - 1), z(c, h - 2))
                } else {
                    z(c, r)
                }
            } else if c < 0 {
                lerp(z(0, r), z(1, r))
            } else {
                lerp(z(w - 1, r), z(w - 2, r))
            };
            win[k] = v.unwrap_or(centre);
        }
        Some(win)
    }

    /// Horn's slope (degrees) and aspect (degrees clockwise from north;
    /// `None` where flat) at a cell with data, as `gdaldem slope|aspect
    /// -compute_edges` computes them.
    pub fn horn(&self, x: usize, y: usize) -> Option<Horn> {
        let [a, b, c, d, _, f, g, h, i] = self.window(x, y)?;
        // GDAL sums the window in single precision, left to right
        let dx = f64::from((c + f + f + i) - (a + d + d + g));
        let dy = f64::from((g + h + h + i) - (a + b + b + c));
        let (ew, ns) = (self.transform[1].abs(), self.transform[5].abs());
        let slope = (dx / (8.0 * ew)).hypot(dy / (8.0 * ns)).atan().to_degrees();
        // gdaldem's aspect: 0° north, clockwise, downslope direction
        let aspect = if dx == 0.0 && dy == 0.0 {
            None
        } else {
            let mut deg = dy.atan2(-dx).to_degrees();
            deg = if deg > 90.0 { 450.0 - deg } else { 90.0 - deg };
            Some(if deg >= 360.0 { deg - 360.0 } else { deg })
        };
        Some(Horn {
            slope_deg: slope,
            aspect_deg: aspect,
        })
    }
}

/// Horn's slope and aspect at a cell.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Horn {
    /// Slope, degrees.
    pub slope_deg: f64,
    /// Downslope direction, degrees clockwise from north; `None` where flat.
    pub aspect_deg: Option<f64>,
}

/// The lot grade over the cells `inside(x, y)` accepts; `None` when no
/// such cell has data.
pub fn lot_grade(
    dem: &Dem,
    inside: impl Fn(usize, usize) -> bool,
    o: &GradeOptions,
) -> Option<LotGrade> {
    let (mut n, mut sum, mut lo, mut hi) = (0usize, 0.0, f64::INFINITY, f64::NEG_INFINITY);
    let mut sectors = [0usize; 8];
    for y in 0..dem.height {
        for x in 0..dem.width {
            if !inside(x, y) {
                continue;
            }
            let Some(Horn {
                slope_deg: slope,
                aspect_deg: aspect,
            }) = dem.horn(x, y).filter(|h| h.slope_deg.is_finite())
            else {
                continue;
            };
            let z = dem.z[y * dem.width + x];
            n += 1;
            sum += slope;
            lo = lo.min(z);
            hi = hi.max(z);
            if let Some(a) = aspect {
                sectors[(((a + 22.5) % 360.0) / 45.0) as usize % 8] += 1;
            }
        }
    }
    if n == 0 {
        return None;
    }
    let mean = sum / n as f64;
    let (best, count) = sectors
        .iter()
        .enumerate()
        .max_by_key(|(i, c)| (**c, std::cmp::Reverse(*i)))
        .map_or((0, 0), |(i, c)| (i, *c));
    let dominant = if count == 0 {
        Aspect::Flat
    } else {
        Aspect::from_azimuth(best as f64 * 45.0)
    };
    Some(LotGrade {
        mean_slope_deg: Number::from_f64((mean * 1e4).round() / 1e4),
        dominant_aspect: Some(dominant),
        relief_meters: Number::from_f64(((hi - lo) * 1e4).round() / 1e4),
        is_flat: Some(mean < o.flat_below_deg),
        ..LotGrade::default()
    })
}

/// The lot grade over the DEM cells whose centres lie inside a parcel ring
/// given in WGS84 longitude/latitude (projected into the DEM's CRS, which
/// must carry an EPSG code).
pub fn parcel_grade(
    dem: &Dem,
    ring_wgs84: &[Coord<f64>],
    o: &GradeOptions,
) -> Result<Option<LotGrade>> {
    let code = dem
        .epsg
        .ok_or_else(|| SiteError::invalid("DEM", "its GeoKeys name no EPSG code"))?;
    let ring: Vec<Coord> = if code == 4326 {
        ring_wgs84.to_vec()
    } else {
        let frame = planform_model::LocalFrame::from_epsg(code)?;
        ring_wgs84
            .iter()
            .map(|c| frame.forward(c.x, c.y).map(|(x, y)| Coord { x, y }))
            .collect::<std::result::Result<_, _>>()?
    };
    let parcel = crate::geom::polygon(&ring);
    Ok(lot_grade(dem, |x, y| parcel.contains(&dem.centre(x, y)), o))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A one-band float GeoTIFF, 1 m cells.
    fn geotiff(w: u32, h: u32, z: &[f32]) -> Vec<u8> {
        let mut buf = std::io::Cursor::new(Vec::new());
        let mut enc = tiff::encoder::TiffEncoder::new(&mut buf).unwrap();
        let mut img = enc
            .new_image::<tiff::encoder::colortype::Gray32Float>(w, h)
            .unwrap();
        img.encoder()
            .write_tag(Tag::ModelPixelScaleTag, &[1.0f64, 1.0, 0.0][..])
            .unwrap();
        img.encoder()
            .write_tag(
                Tag::ModelTiepointTag,
                &[0.0f64, 0.0, 0.0, 500_000.0, 4_000_000.0, 0.0][..],
            )
            .unwrap();
        img.write_data(z).unwrap();
        buf.into_inner()
    }

    #[test]
    fn values_beyond_any_elevation_are_no_data() {
        let path = Path::new("t.tif");
        // alternating ±3e38: no elevation at all, an error
        let z: Vec<f32> = (0..64)
            .map(|i| if i % 2 == 0 { 3e38 } else { -3e38 })
            .collect();
        let e = decode(std::io::Cursor::new(geotiff(8, 8, &z)), path, 1 << 20).unwrap_err();
        assert!(e.to_string().contains("no cell has an elevation"), "{e}");
        // a plane rising 1 m per cell eastwards, one corner marked -3.4e38
        // without a nodata tag: the corner is no data, the grade the plane's
        let mut z: Vec<f32> = (0..64).map(|i| (i % 8) as f32).collect();
        z[0] = -3.4e38;
        let dem = decode(std::io::Cursor::new(geotiff(8, 8, &z)), path, 1 << 20).unwrap();
        assert_eq!(dem.at(0, 0), None);
        let g = lot_grade(&dem, |_, _| true, &GradeOptions::default()).unwrap();
        let relief = g.relief_meters.unwrap().as_f64().unwrap();
        assert!((relief - 7.0).abs() < 1e-9, "{relief}");
        let slope = g.mean_slope_deg.unwrap().as_f64().unwrap();
        assert!(slope > 40.0 && slope < 46.0, "{slope}");
        assert_eq!(g.is_flat, Some(false));
    }

    fn plane(w: usize, h: usize, f: impl Fn(f64, f64) -> f64) -> Dem {
        let mut z = Vec::new();
        for y in 0..h {
            for x in 0..w {
                z.push(f(x as f64, y as f64));
            }
        }
        Dem {
            width: w,
            height: h,
            z,
            transform: [0.0, 1.0, 0.0, h as f64, 0.0, -1.0],
            epsg: None,
        }
    }

    #[test]
    fn a_plane_rising_to_the_east_faces_west() {
        // z rises 1 m per metre eastward: 45°, downslope to the west (270°)
        let d = plane(5, 5, |x, _| x);
        let Horn {
            slope_deg: s,
            aspect_deg: a,
        } = d.horn(2, 2).unwrap();
        assert!((s - 45.0).abs() < 1e-12);
        assert!((a.unwrap() - 270.0).abs() < 1e-12);
        // rows grow southward: z rising with the row faces north
        let d = plane(5, 5, |_, y| 0.1 * y);
        assert!(d.horn(2, 2).unwrap().aspect_deg.unwrap().abs() < 1e-9);
        let g = lot_grade(&d, |_, _| true, &GradeOptions::default()).unwrap();
        assert_eq!(g.dominant_aspect, Some(Aspect::North));
        assert_eq!(g.relief_meters.unwrap().as_f64(), Some(0.4));
        assert_eq!(g.is_flat, Some(false));
        // a flat lot
        let f = plane(3, 3, |_, _| 7.0);
        let g = lot_grade(&f, |_, _| true, &GradeOptions::default()).unwrap();
        assert_eq!(g.dominant_aspect, Some(Aspect::Flat));
        assert_eq!(g.is_flat, Some(true));
    }
}
