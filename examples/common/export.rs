//! Writing a site plan in the format its output path asks for, shared by
//! `convert` and `fetch_siteplan` (not an example itself).

#![allow(dead_code)]

use std::path::Path;

use planform::export::{ExportError, Units, dxf, gpkg, site, svg};
use planform::model::io::{write_atomic, write_atomic_with};
use planform::model::{CrsSpec, SitePlan};

/// The formats a site plan can be written in.
pub const FORMATS: &str = "geojson, json, svg, dxf, gpkg, png (feature png) or, with the gdal feature, any OGR format by \
     extension or as ogr:DRIVER";

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
    pub rfc7946: Option<planform::export::geojson::GeoJsonOptions>,
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

/// A usage error unless `format` is one the plan can be written in.
pub fn check_format(format: &str, out: &Path) -> Result<(), String> {
    match format {
        "geojson" | "json" | "svg" | "dxf" | "gpkg" => Ok(()),
        "png" if cfg!(feature = "png") => Ok(()),
        "png" => Err(format!(
            "{}: PNG previews need the png feature (cargo run --features png ...)",
            out.display()
        )),
        // any other OGR format: `ogr:DRIVER`, or the driver GDAL guesses
        // from the file name
        #[cfg(feature = "gdal")]
        other if other.starts_with("ogr:") || planform::export::ogr::driver_for(out).is_some() => {
            Ok(())
        }
        other => Err(format!(
            "{}: unsupported output format {other:?} ({FORMATS})",
            out.display()
        )),
    }
}

/// A clap value parser for an output file named with an extension the plan
/// can be written in.
pub fn output_path(v: &str) -> Result<std::path::PathBuf, String> {
    let p = std::path::PathBuf::from(v);
    check_format(&format_of(&p), &p)?;
    Ok(p)
}

/// Every validation problem of `plan`, one line each (`level: what: problem`)
/// with a closing line when it is rejected.
pub fn issues_report(what: &str, issues: &[planform::model::Issue]) -> String {
    use std::fmt::Write as _;
    let mut s = String::new();
    for i in issues {
        let level = if i.is_error() { "error" } else { "warning" };
        let _ = writeln!(s, "{level}: {what}: {i}");
    }
    let errors = issues.iter().filter(|i| i.is_error()).count();
    let _ = write!(
        s,
        "error: {what}: {errors} validation error(s); nothing written (use --lenient to write anyway)"
    );
    s
}

/// Validates `plan` as `convert` does: warnings are printed; errors reject
/// it (printed as warnings when `lenient`).
pub fn validated(plan: &SitePlan, what: &str, lenient: bool) -> Result<(), String> {
    let issues = match plan.check() {
        Ok(warnings) => warnings,
        Err(planform::model::ModelError::Invalid { issues, .. }) if lenient => issues,
        Err(planform::model::ModelError::Invalid { issues, .. }) => {
            return Err(issues_report(what, &issues));
        }
        Err(e) => return Err(format!("{what}: {e}")),
    };
    for i in &issues {
        eprintln!("warning: {what}: {i}");
    }
    Ok(())
}

/// Writes a drawing's SVG sheet rendered as a PNG preview, atomically.
pub fn write_png(d: &planform::export::Drawing, out: &Path) -> Result<(), ExportError> {
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
            planform::export::ogr::write_ogr(&drawing(true)?, out, f.strip_prefix("ogr:"))
        }
        _ => {
            let normalised;
            let plan = match &o.rfc7946 {
                Some(g) => {
                    normalised = planform::export::geojson::rfc7946(plan, g)?;
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
