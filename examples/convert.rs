//! Converts site plans and floor plans between formats.
//!
//! ```text
//! cargo run --release --example convert -- IN OUT [options]
//! ```
//!
//! IN is one of:
//! * a GetSitePlan.ai features response or any GeoJSON FeatureCollection
//!   (parsed and validated before anything is written);
//! * a floor-plan vector GeoJSON written by `vectorize` (the planform
//!   contract: a top-level `planform` member);
//! * a wall mask image (`.png`, `.jpg`, `.tif`, `.webp`), vectorized first
//!   (`--mode outline|centerline`, `--px-per-m N`, `--mask-edges
//!   centre|inclusive` as in `vectorize`);
//! * with the `gdal` feature, any other OGR source (Shapefile, FlatGeobuf,
//!   a county's parcel layer…), read into WGS84;
//! * a directory of those: every file is converted into OUT (a directory)
//!   as `<stem>.<format>`, in parallel with a progress bar; bad files are
//!   reported and skipped and the exit status is 1 at the end.
//!
//! OUT is written atomically (temporary file, then rename), so on any error
//! it is not created, and an existing OUT is left untouched.
//!
//! OUT's extension (or `--format`) picks the format: `.geojson`/`.json`
//! (site plans losslessly; floor plans as the contract), `.gpkg` (a table
//! per layer in the plan's own CRS, EPSG:4326 for service data), or `.dxf`
//! / `.svg` (CAD drawing and sheet: site plans in a local metric frame,
//! `--crs utm|EPSG:xxxx`, `--units m|ft`; floor plans in their px or m).
//! `.png` (feature `png`) renders the SVG sheet with resvg as a preview;
//! with the `gdal` feature any other extension is written through the OGR
//! driver GDAL picks for it (`.shp`, `.fgb`, `.kml`…), in the plan's CRS.
//! `--dxf-version R12|R2007|R2018`, default R2007. `--wall-bodies` also
//! draws centreline walls as closed bodies of their thickness.
//!
//! Site-plan GeoJSON is written as read unless `--rfc7946` (WGS84
//! coordinates, projected plans unprojected and their `crs` member dropped,
//! right-hand rings) or `--precision N` (that plus N decimals; 7 is about
//! 1 cm).
//!
//! Options:
//! * `--lenient`: report validation problems as warnings instead of failing
//!   (parse errors still fail).
//! * `--types trees,fences,...` / `--include parcel,building`: keep only
//!   these features, like the service's query parameters.
//! * `--pretty`: indent the output.
//! * `--max-bytes N`: refuse larger inputs (default 256 MiB).
//!
//! Exit status: 0 on success, 1 when an input is rejected, 2 for usage errors.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
#[path = "common/cli.rs"]
mod cli;
#[path = "common/export.rs"]
mod export;

use planform::export::ExportError;
use planform::export::floor::{FloorDrawingOptions, floor_plan_drawing};
use planform::model::{FeatureFilter, FloorPlan, ModelError, ReadOptions, SitePlan};
use planform::walls::WallsError;

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
    floor: FloorArgs,
}

/// Options for masks and floor plans.
#[derive(Default)]
struct FloorArgs {
    centerline: bool,
    px_per_m: Option<f64>,
    wall_bodies: bool,
    mask_edges: planform::walls::centerline::MaskEdges,
}

impl FloorArgs {
    /// Takes a floor-plan option; `Ok(false)` when `flag` is not one.
    fn take(
        &mut self,
        flag: &str,
        value: &mut dyn FnMut(&str) -> Result<String, String>,
    ) -> Result<bool, String> {
        match flag {
            "--mode" => {
                self.centerline = match value("--mode")?.as_str() {
                    "outline" => false,
                    "centerline" | "centreline" => true,
                    m => return Err(format!("--mode: expected outline or centerline, got {m}")),
                };
            }
            "--px-per-m" => {
                let v = value("--px-per-m")?;
                self.px_per_m = Some(
                    v.parse::<f64>()
                        .ok()
                        .filter(|s| s.is_finite() && *s > 0.0)
                        .ok_or_else(|| {
                            format!("--px-per-m: expected a positive number, got {v}")
                        })?,
                );
            }
            "--wall-bodies" => self.wall_bodies = true,
            "--mask-edges" => {
                self.mask_edges = value("--mask-edges")?
                    .parse()
                    .map_err(|e| format!("--mask-edges: {e}"))?;
            }
            _ => return Ok(false),
        }
        Ok(true)
    }
}

const USAGE: &str = "usage: convert IN OUT [--format geojson|dxf|gpkg|svg] [--dxf-version R12|R2007|R2018] \
                     [--crs utm|EPSG:xxxx] [--units m|ft] [--rfc7946] [--precision N] [--lenient] [--pretty] \
                     [--types trees,...] [--include parcel,building] [--max-bytes N] \
                     [--mode outline|centerline] [--px-per-m N] [--mask-edges centre|inclusive] [--wall-bodies]
  IN: a site plan (.json/.geojson), a floor-plan GeoJSON from vectorize, a wall mask image, or a directory";

/// Why one input was not converted.
enum Failure {
    Model(ModelError),
    Walls(WallsError),
    Export(ExportError),
}

impl From<ModelError> for Failure {
    fn from(e: ModelError) -> Self {
        Self::Model(e)
    }
}

impl From<WallsError> for Failure {
    fn from(e: WallsError) -> Self {
        Self::Walls(e)
    }
}

impl From<ExportError> for Failure {
    fn from(e: ExportError) -> Self {
        match e {
            ExportError::Model(m) => Self::Model(m),
            other => Self::Export(other),
        }
    }
}

/// A failure's message (every validation issue, when it is one).
fn report(input: &Path, f: &Failure) -> String {
    use std::fmt::Write as _;
    let mut s = String::new();
    match f {
        Failure::Model(ModelError::Invalid { path, issues }) => {
            let name = path.as_deref().unwrap_or(input);
            for i in issues {
                let level = if i.is_error() { "error" } else { "warning" };
                let _ = writeln!(s, "{level}: {}: {i}", name.display());
            }
            let errors = issues.iter().filter(|i| i.is_error()).count();
            let _ = write!(
                s,
                "error: {}: {errors} validation error(s); nothing written (use --lenient to convert anyway)",
                name.display(),
            );
        }
        Failure::Model(e) => {
            let _ = write!(s, "error: {e}");
        }
        Failure::Walls(e) => {
            let _ = write!(s, "error: {}: {e}", input.display());
        }
        Failure::Export(e) => {
            let _ = write!(s, "error: {}: {e}", input.display());
        }
    }
    s
}

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
        floor: FloorArgs::default(),
    };
    let mut it = std::env::args_os().skip(1);
    while let Some(a) = it.next() {
        let mut value = |name: &str| {
            it.next()
                .and_then(|v| v.into_string().ok())
                .ok_or_else(|| format!("{name} needs a value"))
        };
        if args.floor.take(a.to_str().unwrap_or(""), &mut value)? {
            continue;
        }
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
        if input.is_dir() {
            return Err(format!(
                "{}: a directory IN needs --format ({})",
                input.display(),
                export::FORMATS
            ));
        }
        args.format = export::format_of(&output);
    }
    export::check_format(&args.format, &output)?;
    args.input = input;
    args.output = output;
    Ok(args)
}

/// Image extensions read as wall masks.
const MASKS: [&str; 6] = ["png", "jpg", "jpeg", "tif", "tiff", "webp"];

fn is_mask(p: &Path) -> bool {
    MASKS.contains(&export::format_of(p).as_str())
}

/// The files of a directory that convert reads (sorted).
fn inputs_in(dir: &Path) -> std::io::Result<Vec<PathBuf>> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            p.is_file()
                && (is_mask(p) || ["json", "geojson"].contains(&export::format_of(p).as_str()))
        })
        .collect();
    v.sort();
    Ok(v)
}

/// A floor plan from a mask image, vectorized as `--mode` says.
fn vectorize(input: &Path, args: &Args) -> Result<FloorPlan, WallsError> {
    use planform::walls::output::{OutputOptions, centerlines_floor_plan, outlines_floor_plan};
    let mask = planform::walls::read_mask(input, &planform::walls::DecodeOptions::default())?;
    let options = OutputOptions {
        px_per_m: args.floor.px_per_m,
        ..OutputOptions::default()
    };
    if args.floor.centerline {
        let c = planform::walls::centerline::centerlines(
            &mask,
            &planform::walls::centerline::CenterlineOptions {
                mask_edges: args.floor.mask_edges,
                ..planform::walls::centerline::CenterlineOptions::default()
            },
        )?;
        centerlines_floor_plan(&c, &options)
    } else {
        let o = planform::walls::outline::outlines(
            &mask,
            &planform::walls::outline::OutlineOptions::default(),
        )?;
        outlines_floor_plan(&o, &options)
    }
}

/// Writes a floor plan: GeoJSON as the contract, the rest as a drawing.
fn write_floor(
    fp: &FloorPlan,
    contract: Option<&[u8]>,
    out: &Path,
    args: &Args,
) -> Result<(), Failure> {
    use planform::export::{dxf, gpkg, svg};
    use planform::model::io::{write_atomic, write_atomic_with};
    if matches!(args.format.as_str(), "geojson" | "json") {
        let bytes = match contract {
            Some(b) => b.to_vec(),
            None => serde_json::to_vec(&planform::walls::output::floor_plan_geojson(fp)).map_err(
                |e| ModelError::Write {
                    message: e.to_string(),
                },
            )?,
        };
        return Ok(write_atomic(out, |w| w.write_all(&bytes))?);
    }
    let d = floor_plan_drawing(
        fp,
        &FloorDrawingOptions {
            bodies: args.floor.wall_bodies,
            ..Default::default()
        },
    )?;
    match args.format.as_str() {
        "svg" => write_atomic_with(out, |w| svg::write_svg(&d, w, &svg::SvgOptions::default()))?,
        "png" => export::write_png(&d, out)?,
        "dxf" => {
            let o = dxf::DxfOptions {
                version: args.dxf_version,
                ..Default::default()
            };
            write_atomic_with(out, |w| dxf::write_dxf(&d, w, &o))?;
        }
        _ => gpkg::write_gpkg(&d, out, &gpkg::GpkgOptions::default())?,
    }
    Ok(())
}

/// Converts one input; returns what was written, for the summary line.
fn run(args: &Args, input: &Path, output: &Path) -> Result<String, Failure> {
    cli::ensure_parent(output).map_err(|source| ModelError::Io {
        path: output.to_owned(),
        source,
    })?;
    if is_mask(input) {
        let fp = vectorize(input, args)?;
        write_floor(&fp, None, output, args)?;
        return Ok(format!(
            "{} walls, {} wall polygons",
            fp.walls.len(),
            fp.outlines.len()
        ));
    }
    let mut options = ReadOptions::default();
    if let Some(m) = args.max_bytes {
        options.max_bytes = m;
    }
    #[cfg(feature = "gdal")]
    if !["json", "geojson"].contains(&export::format_of(input).as_str()) {
        let plan = planform::export::ogr::read_ogr(input)?;
        return write_site_plan(args, plan, input, output);
    }
    let bytes = planform::model::io::read_limited(input, options.max_bytes)?;
    if bytes.windows(10).any(|w| w == b"\"planform\"")
        && let Ok(v) = serde_json::from_slice::<serde_json::Value>(&bytes)
        && v.get("planform").is_some_and(serde_json::Value::is_object)
    {
        let fp = planform::walls::output::floor_plan_from_geojson(&v)?;
        write_floor(&fp, Some(&bytes), output, args)?;
        return Ok(format!(
            "{} walls, {} wall polygons",
            fp.walls.len(),
            fp.outlines.len()
        ));
    }
    let plan = SitePlan::from_slice(&bytes).map_err(|e| e.with_path(input))?;
    drop(bytes);
    write_site_plan(args, plan, input, output)
}

/// Validates, filters and writes a site plan.
fn write_site_plan(
    args: &Args,
    mut plan: SitePlan,
    input: &Path,
    output: &Path,
) -> Result<String, Failure> {
    let filter = FeatureFilter::parse(args.types.as_deref(), args.include.as_deref())?;
    let issues = match plan.check() {
        Ok(warnings) => warnings,
        Err(ModelError::Invalid { issues, .. }) if args.lenient => issues,
        Err(e) => return Err(e.with_path(input).into()),
    };
    for i in &issues {
        eprintln!("warning: {}: {i}", input.display());
    }
    if args.types.is_some() || args.include.is_some() {
        plan.retain(&filter);
    }
    let out = export::PlanOutput {
        format: args.format.clone(),
        crs: args.crs,
        units: args.units,
        dxf_version: args.dxf_version,
        pretty: args.pretty,
        rfc7946: args.rfc7946,
    };
    export::write_plan(&plan, output, &out)?;
    Ok(format!("{} features", plan.features.len()))
}

fn batch(args: &Args) -> ExitCode {
    match inputs_in(&args.input) {
        Ok(files) => cli::batch(&args.input.display().to_string(), &files, |f| {
            let out = cli::output_for(&args.output, f, &args.format);
            run(args, f, &out).map(|_| ()).map_err(|e| report(f, &e))
        }),
        Err(e) => {
            eprintln!("error: {}: {e}", args.input.display());
            ExitCode::from(1)
        }
    }
}

fn main() -> ExitCode {
    let args = match cli::args_or_usage(parse_args(), USAGE) {
        Ok(a) => a,
        Err(code) => return code,
    };
    if args.input.is_dir() {
        return batch(&args);
    }
    match run(&args, &args.input, &args.output) {
        Ok(what) => {
            eprintln!(
                "{} -> {}: {what}",
                args.input.display(),
                args.output.display()
            );
            ExitCode::SUCCESS
        }
        Err(f) => {
            eprintln!("{}", report(&args.input, &f));
            ExitCode::from(1)
        }
    }
}
