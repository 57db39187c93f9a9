//! Writing a site plan in the format its output path asks for, shared by
//! `convert` and `fetch_siteplan` (not an example itself).

#![allow(dead_code)]

use std::path::Path;

use planform::model::SitePlan;
// each example that includes this module uses some of these
#[allow(unused_imports)]
pub use planform::write::{PlanOutput, format_of, site_sheet, write_plan, write_png};

/// The formats a site plan can be written in.
pub const FORMATS: &str = "geojson, json, svg, dxf, gpkg, pdf (feature pdf), png (feature png) or, with the gdal feature, any OGR format by \
     extension or as ogr:DRIVER";

/// A usage error unless `format` is one the plan can be written in.
pub fn check_format(format: &str, out: &Path) -> Result<(), String> {
    match format {
        "geojson" | "json" | "svg" | "dxf" | "gpkg" => Ok(()),
        "png" if cfg!(feature = "png") => Ok(()),
        "pdf" if cfg!(feature = "pdf") => Ok(()),
        "pdf" => Err(format!(
            "{}: PDF sheets need the pdf feature (cargo run --features pdf ...)",
            out.display()
        )),
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
