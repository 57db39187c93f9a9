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
//!   centre|inclusive`, `--rooms` as in `vectorize`: rooms are drawn with
//!   their areas as labels, openings as lines, and a GeoPackage gets
//!   `rooms` and `openings` tables);
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

use clap::{CommandFactory, Parser};

#[path = "common/cli.rs"]
mod cli;
#[path = "common/export.rs"]
mod export;

use planform::export::ExportError;
use planform::export::floor::{FloorDrawingOptions, floor_plan_drawing};
use planform::model::{FeatureFilter, FloorPlan, ModelError, ReadOptions, SitePlan};
use planform::walls::WallsError;

/// Converts site plans, floor plans and wall masks between formats.
#[derive(Parser)]
#[command(name = "convert", version)]
#[allow(
    clippy::doc_markdown,
    reason = "doc comments are the --help text, not rustdoc"
)]
#[allow(
    clippy::struct_excessive_bools,
    reason = "one flag per command-line switch"
)]
struct Cli {
    /// A site plan, a floor-plan GeoJSON from vectorize, a wall mask image, or a folder of those
    input: PathBuf,
    /// The output file (a folder when IN is a folder)
    output: PathBuf,
    /// The output format [default: OUT's extension]: geojson, json, svg, dxf, gpkg, png, ogr:DRIVER
    #[arg(long, value_name = "F")]
    format: Option<String>,
    /// DXF version: R12, R2007 or R2018
    #[arg(long, value_name = "V", default_value = "R2007", value_parser = dxf_version)]
    dxf_version: planform::export::dxf::DxfVersion,
    /// The CAD/SVG frame: utm (the plan's own UTM zone) or EPSG:xxxx
    #[arg(long, value_name = "CRS", default_value = "utm", value_parser = crs)]
    crs: planform::model::CrsSpec,
    /// CAD/SVG units
    #[arg(long, value_enum, default_value_t = Unit::M)]
    units: Unit,
    /// RFC 7946 GeoJSON: WGS84, right-hand rings, no crs member
    #[arg(long)]
    rfc7946: bool,
    /// RFC 7946 GeoJSON with this many decimals (0-15; 7 is about 1 cm)
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u8).range(0..=15))]
    precision: Option<u8>,
    /// Report validation problems as warnings and convert anyway (parse errors still fail)
    #[arg(long)]
    lenient: bool,
    /// Indent the GeoJSON
    #[arg(long)]
    pretty: bool,
    /// Keep only these feature types, comma-separated (trees,fences,...)
    #[arg(long, value_name = "LIST")]
    types: Option<String>,
    /// Keep these top-level members, comma-separated (parcel,building,...)
    #[arg(long, value_name = "LIST")]
    include: Option<String>,
    /// Refuse inputs larger than this many bytes
    #[arg(long, value_name = "N", default_value_t = ReadOptions::default().max_bytes)]
    max_bytes: u64,
    /// Masks: wall polygons (outline) or centrelines with thickness (centerline)
    #[arg(long, value_enum, default_value_t = cli::Mode::Outline)]
    mode: cli::Mode,
    /// Masks: pixels per metre [default: pixels]
    #[arg(long, value_name = "N", value_parser = cli::positive)]
    px_per_m: Option<f64>,
    /// Masks: how the mask was drawn, centre or inclusive (see vectorize)
    #[arg(long, value_name = "EDGES", default_value = "centre", value_parser = mask_edges)]
    mask_edges: planform::walls::centerline::MaskEdges,
    /// Floor plans: also draw centreline walls as bodies of their thickness
    #[arg(long)]
    wall_bodies: bool,
    /// Masks, centreline mode: add the rooms (with their areas) and the door and window openings
    #[arg(long)]
    rooms: bool,
    /// Sheets (svg, pdf, png): the paper, e.g. letter, tabloid, ansi-d, arch-d, a4, a3 [default: the smallest that fits]
    #[arg(long, value_name = "PAPER", value_parser = paper)]
    paper: Option<planform::export::sheet::Paper>,
    /// Sheets: the scale, 1:N or an engineer's 1"=N' [default: the most detailed standard scale that fits]
    #[arg(long, value_name = "SCALE", value_parser = scale)]
    scale: Option<planform::export::sheet::Scale>,
    /// Sheets: the title block's date [default: today, or SOURCE_DATE_EPOCH's]
    #[arg(long, value_name = "YYYY-MM-DD")]
    date: Option<String>,
}

fn paper(v: &str) -> Result<planform::export::sheet::Paper, String> {
    planform::export::sheet::Paper::parse(v).map_err(|e| e.to_string())
}

fn scale(v: &str) -> Result<planform::export::sheet::Scale, String> {
    planform::export::sheet::Scale::parse(v).map_err(|e| e.to_string())
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum Unit {
    /// Metres
    M,
    /// Feet
    Ft,
    /// Millimetres (DXF: the metric CAD convention; LibreCAD plots it on a
    /// real page)
    Mm,
}

fn dxf_version(v: &str) -> Result<planform::export::dxf::DxfVersion, String> {
    v.parse().map_err(|e: ExportError| e.to_string())
}

fn crs(v: &str) -> Result<planform::model::CrsSpec, String> {
    v.parse().map_err(|e: ModelError| e.to_string())
}

fn mask_edges(v: &str) -> Result<planform::walls::centerline::MaskEdges, String> {
    v.parse().map_err(|e: WallsError| e.to_string())
}

struct Args {
    input: PathBuf,
    output: PathBuf,
    lenient: bool,
    pretty: bool,
    types: Option<String>,
    include: Option<String>,
    max_bytes: u64,
    crs: planform::model::CrsSpec,
    units: planform::export::Units,
    format: String,
    dxf_version: planform::export::dxf::DxfVersion,
    rfc7946: Option<planform::export::geojson::GeoJsonOptions>,
    /// Paper, scale and date of sheets.
    sheet: (
        Option<planform::export::sheet::Paper>,
        Option<planform::export::sheet::Scale>,
        Option<String>,
    ),
    floor: FloorArgs,
}

/// Options for masks and floor plans.
struct FloorArgs {
    centerline: bool,
    rooms: bool,
    px_per_m: Option<f64>,
    wall_bodies: bool,
    mask_edges: planform::walls::centerline::MaskEdges,
}

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

/// `error: INPUT: message`, naming the input once (some errors name it
/// themselves).
fn named(s: &mut String, input: &Path, e: &dyn std::fmt::Display) {
    use std::fmt::Write as _;
    let message = e.to_string();
    let name = input.display().to_string();
    if message.contains(&name) {
        let _ = write!(s, "error: {message}");
    } else {
        let _ = write!(s, "error: {name}: {message}");
    }
}

/// A failure's message (every validation issue, when it is one).
fn report(input: &Path, f: &Failure) -> String {
    use std::fmt::Write as _;
    let mut s = String::new();
    match f {
        Failure::Model(ModelError::Invalid { path, issues }) => {
            let name = path.as_deref().unwrap_or(input);
            s = export::issues_report(&name.display().to_string(), issues);
        }
        Failure::Model(e) => {
            let _ = write!(s, "error: {e}");
        }
        Failure::Walls(e) => named(&mut s, input, e),
        Failure::Export(e) => named(&mut s, input, e),
    }
    s
}

/// The arguments, checked; a usage error otherwise.
fn parse_args(c: Cli) -> Result<Args, String> {
    let format = match c.format {
        Some(f) => f.to_ascii_lowercase(),
        None if c.input.is_dir() => {
            return Err(format!(
                "{}: a directory IN needs --format ({})",
                c.input.display(),
                export::FORMATS
            ));
        }
        None => export::format_of(&c.output),
    };
    export::check_format(&format, &c.output)?;
    if c.rooms && c.mode != cli::Mode::Centerline {
        return Err(
            "--rooms needs --mode centerline (rooms and openings come from the wall graph)".into(),
        );
    }
    let rfc7946 =
        (c.rfc7946 || c.precision.is_some()).then_some(planform::export::geojson::GeoJsonOptions {
            precision: c.precision,
        });
    Ok(Args {
        input: c.input,
        output: c.output,
        lenient: c.lenient,
        pretty: c.pretty,
        types: c.types,
        include: c.include,
        max_bytes: c.max_bytes,
        crs: c.crs,
        units: match c.units {
            Unit::M => planform::export::Units::Metres,
            Unit::Ft => planform::export::Units::Feet,
            Unit::Mm => planform::export::Units::Millimetres,
        },
        format,
        dxf_version: c.dxf_version,
        rfc7946,
        sheet: (c.paper, c.scale, c.date),
        floor: FloorArgs {
            centerline: c.mode == cli::Mode::Centerline,
            rooms: c.rooms,
            px_per_m: c.px_per_m,
            wall_bodies: c.wall_bodies,
            mask_edges: c.mask_edges,
        },
    })
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
    let mask = cli::read_mask(input)?;
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
        let mut fp = centerlines_floor_plan(&c, &options)?;
        if args.floor.rooms {
            let r = planform::walls::rooms::rooms(
                &mask,
                &c,
                &planform::walls::rooms::RoomOptions::default(),
            )?;
            planform::walls::output::add_rooms(&mut fp, &r, &options)?;
        }
        Ok(fp)
    } else {
        let o = planform::walls::outline::outlines(
            &mask,
            &planform::walls::outline::OutlineOptions::default(),
        )?;
        outlines_floor_plan(&o, &options)
    }
}

/// A floor plan's title block: the file's name, walls, rooms and openings
/// counted, the date.
fn floor_title(fp: &FloorPlan, args: &Args) -> planform::export::sheet::TitleBlock {
    let mut rows = vec![("Walls".to_owned(), fp.walls.len().to_string())];
    if args.floor.rooms {
        // a sheet is drawn only in metres, so areas are m²
        let area: f64 = fp.rooms.iter().map(|r| r.area).sum();
        rows.push((
            "Rooms".into(),
            format!("{} ({area:.1} m² of floor)", fp.rooms.len()),
        ));
        rows.push(("Openings".into(), fp.openings.len().to_string()));
    }
    rows.push((
        "Date".into(),
        args.sheet
            .2
            .clone()
            .unwrap_or_else(planform::export::site_sheet::today),
    ));
    rows.push((
        "Sources".into(),
        format!("wall mask; planform {}", env!("CARGO_PKG_VERSION")),
    ));
    planform::export::sheet::TitleBlock {
        title: "Floor plan".to_owned(),
        rows,
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
    let scaled = d.units.metres().is_some();
    let sheet_options = || planform::export::sheet::SheetOptions {
        paper: args.sheet.0,
        scale: args.sheet.1.clone(),
        title: floor_title(fp, args),
        ..Default::default()
    };
    match args.format.as_str() {
        // in metres: a sheet at a standard scale; in pixels: a preview
        "svg" | "pdf" | "png" if scaled => {
            let mut sheet = Vec::new();
            planform::export::sheet::write_sheet(&d, &mut sheet, &sheet_options())?;
            let bytes = match args.format.as_str() {
                "pdf" => planform::write::sheet_pdf(&sheet)?,
                "png" => planform::write::sheet_png(&sheet)?,
                _ => sheet,
            };
            write_atomic(out, |w| w.write_all(&bytes))?;
        }
        "pdf" => {
            return Err(ExportError::Option(
                "a floor plan's PDF sheet needs its scale (--px-per-m)".into(),
            )
            .into());
        }
        "svg" => write_atomic_with(out, |w| svg::write_svg(&d, w, &svg::SvgOptions::default()))?,
        "png" => export::write_png(&d, out)?,
        // in metres: with a Sheet layout at a standard scale (and in
        // millimetres with --units mm, for tools that plot model space)
        "dxf" => {
            let mm = args.units == planform::export::Units::Millimetres;
            let d = if scaled && mm {
                d.in_units(args.units)
            } else {
                d
            };
            let o = dxf::DxfOptions {
                version: args.dxf_version,
                sheet: scaled.then(sheet_options),
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
    cli::check_parent(output).map_err(|source| ModelError::Io {
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
    let options = ReadOptions {
        max_bytes: args.max_bytes,
    };
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
        paper: args.sheet.0,
        scale: args.sheet.1.clone(),
        date: args.sheet.2.clone(),
    };
    export::write_plan(&plan, output, &out)?;
    Ok(format!("{} features", plan.features.len()))
}

fn batch(args: &Args) -> ExitCode {
    if let Err(e) = cli::batch_dir(&args.output) {
        eprintln!("error: {}: {e}", args.output.display());
        return ExitCode::from(1);
    }
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
    let args = match parse_args(Cli::parse()) {
        Ok(a) => a,
        Err(e) => Cli::command()
            .error(clap::error::ErrorKind::ValueValidation, e)
            .exit(),
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
