//! Converts a site plan between formats.
//!
//! ```text
//! cargo run --release --example convert -- IN.json OUT.geojson [options]
//! ```
//!
//! IN is a GetSitePlan.ai features response (or any GeoJSON
//! FeatureCollection). The document is parsed and validated before anything
//! is written; OUT is written atomically (temporary file, then rename), so on
//! any error it is not created, and an existing OUT is left untouched.
//!
//! OUT's extension (or `--format`) picks the format: `.geojson`/`.json`
//! (lossless), `.gpkg` (a table per layer in the plan's own CRS, EPSG:4326
//! for service data), or `.dxf` / `.svg` (CAD drawing and sheet in a local
//! metric frame: `--crs utm|EPSG:xxxx`, `--units m|ft`; `--dxf-version
//! R12|R2007|R2018`, default R2007).
//!
//! GeoJSON is written as read unless `--rfc7946` (WGS84 coordinates,
//! projected plans unprojected and their `crs` member dropped, right-hand
//! rings) or `--precision N` (that plus N decimals; 7 is about 1 cm).
//!
//! Options:
//! * `--lenient`: report validation problems as warnings instead of failing
//!   (parse errors still fail).
//! * `--types trees,fences,...` / `--include parcel,building`: keep only
//!   these features, like the service's query parameters.
//! * `--pretty`: indent the output.
//! * `--max-bytes N`: refuse larger inputs (default 256 MiB).
//!
//! Exit status: 0 on success, 1 when the input is rejected, 2 for usage errors.

use std::path::PathBuf;
use std::process::ExitCode;

#[path = "common/cli.rs"]
mod cli;
#[path = "common/export.rs"]
mod export;

use planform::export::ExportError;
use planform::model::{FeatureFilter, ModelError, ReadOptions, SitePlan};

struct Args {
    input: PathBuf,
    output: PathBuf,
    lenient: bool,
    pretty: bool,
    types: Option<String>,
    include: Option<String>,
    max_bytes: Option<u64>,
    crs: planform::model::CrsSpec,
    units: planform::export::Units,
    format: String,
    dxf_version: planform::export::dxf::DxfVersion,
    rfc7946: Option<planform::export::geojson::GeoJsonOptions>,
}

const USAGE: &str = "usage: convert IN.json OUT.{geojson,svg,dxf,gpkg} [--format F] [--dxf-version R12|R2007|R2018] [--rfc7946] [--precision N] [--lenient] [--pretty] [--types trees,...] \
                     [--include parcel,building] [--max-bytes N] [--crs utm|EPSG:xxxx] [--units m|ft]";

fn parse_args() -> Result<Args, String> {
    let mut positional = Vec::new();
    let mut args = Args {
        input: PathBuf::new(),
        output: PathBuf::new(),
        lenient: false,
        pretty: false,
        types: None,
        include: None,
        max_bytes: None,
        crs: planform::model::CrsSpec::AutoUtm,
        units: planform::export::Units::Metres,
        format: String::new(),
        dxf_version: planform::export::dxf::DxfVersion::R2007,
        rfc7946: None,
    };
    let mut it = std::env::args_os().skip(1);
    while let Some(a) = it.next() {
        let mut value = |name: &str| {
            it.next()
                .and_then(|v| v.into_string().ok())
                .ok_or_else(|| format!("{name} needs a value"))
        };
        match a.to_str() {
            Some("--lenient") => args.lenient = true,
            Some("--pretty") => args.pretty = true,
            Some("--types") => args.types = Some(value("--types")?),
            Some("--include") => args.include = Some(value("--include")?),
            Some("--max-bytes") => {
                let v = value("--max-bytes")?;
                args.max_bytes = Some(
                    v.parse()
                        .map_err(|_| format!("--max-bytes: not a number: {v}"))?,
                );
            }
            Some("--crs") => {
                args.crs = value("--crs")?
                    .parse()
                    .map_err(|e: ModelError| e.to_string())?;
            }
            Some("--units") => {
                args.units = match value("--units")?.as_str() {
                    "m" => planform::export::Units::Metres,
                    "ft" => planform::export::Units::Feet,
                    u => return Err(format!("--units: expected m or ft, got {u}")),
                }
            }
            Some("--format") => args.format = value("--format")?.to_ascii_lowercase(),
            Some("--dxf-version") => {
                args.dxf_version = value("--dxf-version")?
                    .parse()
                    .map_err(|e: planform::export::ExportError| e.to_string())?;
            }
            Some("--rfc7946") => {
                args.rfc7946.get_or_insert_with(Default::default);
            }
            Some("--precision") => {
                let v = value("--precision")?;
                let p: u8 =
                    v.parse().ok().filter(|p| *p <= 15).ok_or_else(|| {
                        format!("--precision: expected 0 to 15 decimals, got {v}")
                    })?;
                args.rfc7946.get_or_insert_with(Default::default).precision = Some(p);
            }
            Some("-h" | "--help") => return Err(String::new()),
            Some(s) if s.starts_with("--") => return Err(format!("unknown option {s}")),
            _ => positional.push(PathBuf::from(a)),
        }
    }
    let [input, output] = <[PathBuf; 2]>::try_from(positional)
        .map_err(|p| format!("expected IN and OUT, got {} path(s)", p.len()))?;
    if args.format.is_empty() {
        args.format = export::format_of(&output);
    }
    export::check_format(&args.format, &output)?;
    args.input = input;
    args.output = output;
    Ok(args)
}

fn run(args: &Args) -> Result<(), ModelError> {
    let mut options = ReadOptions::default();
    if let Some(m) = args.max_bytes {
        options.max_bytes = m;
    }
    let filter = FeatureFilter::parse(args.types.as_deref(), args.include.as_deref())?;
    let mut plan = SitePlan::read_with(&args.input, &options)?;
    let issues = match plan.check() {
        Ok(warnings) => warnings,
        Err(ModelError::Invalid { issues, .. }) if args.lenient => issues,
        Err(e) => return Err(e.with_path(&args.input)),
    };
    for i in &issues {
        eprintln!("warning: {}: {i}", args.input.display());
    }
    if args.types.is_some() || args.include.is_some() {
        plan.retain(&filter);
    }
    cli::ensure_parent(&args.output).map_err(|source| ModelError::Io {
        path: args.output.clone(),
        source,
    })?;
    let output = export::PlanOutput {
        format: args.format.clone(),
        crs: args.crs,
        units: args.units,
        dxf_version: args.dxf_version,
        pretty: args.pretty,
        rfc7946: args.rfc7946,
    };
    export::write_plan(&plan, &args.output, &output).map_err(|e| match e {
        ExportError::Model(m) => m,
        other => ModelError::Write {
            message: other.to_string(),
        },
    })?;
    eprintln!(
        "{} -> {}: {} features",
        args.input.display(),
        args.output.display(),
        plan.features.len()
    );
    Ok(())
}

fn main() -> ExitCode {
    let args = match cli::args_or_usage(parse_args(), USAGE) {
        Ok(a) => a,
        Err(code) => return code,
    };
    match run(&args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(ModelError::Invalid { path, issues }) => {
            let name = path.unwrap_or_else(|| args.input.clone());
            for i in &issues {
                let level = if i.is_error() { "error" } else { "warning" };
                eprintln!("{level}: {}: {i}", name.display());
            }
            let errors = issues.iter().filter(|i| i.is_error()).count();
            eprintln!(
                "error: {}: {errors} validation error(s); nothing written (use --lenient to convert anyway)",
                name.display(),
            );
            ExitCode::from(1)
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(1)
        }
    }
}
