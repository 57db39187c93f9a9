//! Writing a site plan in the format its output path asks for: GeoJSON
//! losslessly, GeoPackage in the plan's own CRS, DXF in a local metric
//! frame, the sheet (a standard paper size at a standard scale, with title
//! block, legend and setbacks) as SVG, as PDF (feature `pdf`) or as a PNG
//! preview (feature `png`), any OGR format (feature `gdal`); always
//! atomically (a temporary file renamed into place, so a
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

use planform_export::sheet::{Paper, Scale, SheetOptions};
use planform_export::{Drawing, ExportError, Units, dxf, gpkg, sheet, site, site_sheet};
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
    /// The sheet's paper (`None`: the smallest that fits).
    pub paper: Option<Paper>,
    /// The sheet's scale (`None`: the most detailed standard scale that fits).
    pub scale: Option<Scale>,
    /// The title block's date (`None`: today, or `SOURCE_DATE_EPOCH`'s).
    pub date: Option<String>,
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
            paper: None,
            scale: None,
            date: None,
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
        use planform_export::svg;
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

/// A site plan's sheet settings: the paper and scale asked for, its title
/// block. The SVG/PDF sheet and the DXF's paper space use the same.
pub fn sheet_options(plan: &SitePlan, d: &Drawing, o: &PlanOutput) -> SheetOptions {
    let date = o.date.clone().unwrap_or_else(site_sheet::today);
    SheetOptions {
        paper: o.paper,
        scale: o.scale.clone(),
        title: site_sheet::title_block(plan, d, &date),
        ..SheetOptions::default()
    }
}

/// A site plan's sheet as an SVG document, and where things went.
pub fn site_sheet(
    plan: &SitePlan,
    d: &Drawing,
    o: &PlanOutput,
) -> Result<(Vec<u8>, sheet::SheetLayout), ExportError> {
    let options = sheet_options(plan, d, o);
    let mut svg = Vec::new();
    let layout = sheet::write_sheet(d, &mut svg, &options)?;
    Ok((svg, layout))
}

/// An SVG sheet as PDF (feature `pdf`).
pub fn sheet_pdf(svg: &[u8]) -> Result<Vec<u8>, ExportError> {
    #[cfg(feature = "pdf")]
    {
        planform_export::pdf::svg_to_pdf(svg)
    }
    #[cfg(not(feature = "pdf"))]
    {
        let _ = svg;
        Err(ExportError::Option(
            "PDF sheets need the pdf feature (cargo run --features pdf ...)".into(),
        ))
    }
}

/// An SVG sheet as a PNG preview `PNG_WIDTH` wide (feature `png`).
pub fn sheet_png(svg: &[u8]) -> Result<Vec<u8>, ExportError> {
    #[cfg(feature = "png")]
    {
        planform_export::svg::render_png(svg, PNG_WIDTH)
    }
    #[cfg(not(feature = "png"))]
    {
        let _ = svg;
        Err(ExportError::Option(
            "PNG previews need the png feature (cargo run --features png ...)".into(),
        ))
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
        "svg" | "pdf" | "png" => {
            let d = drawing(false)?;
            let (sheet, _) = site_sheet(plan, &d, o)?;
            let bytes = match o.format.as_str() {
                "pdf" => sheet_pdf(&sheet)?,
                "png" => sheet_png(&sheet)?,
                _ => sheet,
            };
            Ok(write_atomic(out, |w| w.write_all(&bytes))?)
        }
        "dxf" => {
            let d = drawing(false)?;
            let options = dxf::DxfOptions {
                version: o.dxf_version,
                sheet: Some(sheet_options(plan, &d, o)),
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
