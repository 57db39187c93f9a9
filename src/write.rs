//! Writing a site plan in the format its output path asks for: GeoJSON
//! losslessly, GeoPackage in the plan's own CRS, DXF and SVG in a local
//! metric frame, a PNG preview (feature `png`), any OGR format (feature
//! `gdal`); always atomically (a temporary file renamed into place, so a
//! failed write leaves what was there).
//!
//! ```no_run
//! use planform::write::{PlanOutput, write_plan};
//!
//! let plan = planform::SitePlan::read("plan.json")?;
//! let out = std::path::Path::new("plan.dxf");
//! write_plan(&plan, out, &PlanOutput::for_path(out))?;
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use std::path::Path;

use planform_export::{ExportError, Units, dxf, gpkg, site, svg};
use planform_model::io::{write_atomic, write_atomic_with};
use planform_model::{CrsSpec, SitePlan};

/// Width of PNG previews, in pixels.
pub const PNG_WIDTH: u32 = 1600;

/// How a plan is written.
pub struct PlanOutput {
    /// `geojson`, `json`, `svg`, `dxf` or `gpkg`.
    pub format: String,
    /// The CAD/SVG frame.
    pub crs: CrsSpec,
    /// CAD/SVG units.
    pub units: Units,
    /// The DXF version.
    pub dxf_version: dxf::DxfVersion,
    /// Indented GeoJSON.
    pub pretty: bool,
    /// RFC 7946 GeoJSON (WGS84, right-hand rings), with this many decimals
    /// when set.
    pub rfc7946: Option<crate::export::geojson::GeoJsonOptions>,
}

impl PlanOutput {
    /// The defaults for the format of `path`'s extension.
    pub fn for_path(path: &Path) -> Self {
        Self {
            format: format_of(path),
            crs: CrsSpec::AutoUtm,
            units: Units::Metres,
            dxf_version: dxf::DxfVersion::R2007,
            pretty: false,
            rfc7946: None,
        }
    }
}

/// The format named by a path's extension (lower case).
pub fn format_of(path: &Path) -> String {
    path.extension()
        .and_then(|e| e.to_str())
        .unwrap_or("")
        .to_ascii_lowercase()
}

/// Writes a drawing's SVG sheet rendered as a PNG preview, atomically.
pub fn write_png(d: &crate::export::Drawing, out: &Path) -> Result<(), ExportError> {
    #[cfg(feature = "png")]
    {
        let mut sheet = Vec::new();
        svg::write_svg(d, &mut sheet, &svg::SvgOptions::default())?;
        let png = svg::render_png(&sheet, PNG_WIDTH)?;
        Ok(write_atomic(out, |w| w.write_all(&png))?)
    }
    #[cfg(not(feature = "png"))]
    {
        let _ = d;
        Err(ExportError::Option(format!(
            "{}: PNG previews need the png feature",
            out.display()
        )))
    }
}

/// Writes the plan, atomically: GeoJSON losslessly, GeoPackage in the
/// plan's own CRS, DXF and SVG in a local metric frame.
pub fn write_plan(plan: &SitePlan, out: &Path, o: &PlanOutput) -> Result<(), ExportError> {
    let drawing = |native: bool| {
        let options = site::SiteDrawingOptions {
            crs: o.crs,
            units: o.units,
            labels: true,
            native,
            ..Default::default()
        };
        site::site_plan_drawing(plan, &options)
    };
    match o.format.as_str() {
        "svg" => {
            let d = drawing(false)?;
            write_atomic_with(out, |w| svg::write_svg(&d, w, &svg::SvgOptions::default()))
        }
        "png" => write_png(&drawing(false)?, out),
        "dxf" => {
            let d = drawing(false)?;
            let options = dxf::DxfOptions {
                version: o.dxf_version,
                ..Default::default()
            };
            write_atomic_with(out, |w| dxf::write_dxf(&d, w, &options))
        }
        "gpkg" => gpkg::write_gpkg(&drawing(true)?, out, &gpkg::GpkgOptions::default()),
        #[cfg(feature = "gdal")]
        f if f != "geojson" && f != "json" => {
            crate::export::ogr::write_ogr(&drawing(true)?, out, f.strip_prefix("ogr:"))
        }
        _ => {
            let normalised;
            let plan = match &o.rfc7946 {
                Some(g) => {
                    normalised = crate::export::geojson::rfc7946(plan, g)?;
                    &normalised
                }
                None => plan,
            };
            let bytes = if o.pretty {
                plan.to_vec_pretty()?
            } else {
                plan.to_vec()?
            };
            Ok(write_atomic(out, |w| w.write_all(&bytes))?)
        }
    }
}
