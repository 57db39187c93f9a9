//! Parcel analysis offline.
//!
//! ```text
//! cargo run --release --example analyze -- IN OUT.json [--roads ROADS.geojson] [--parcels FABRIC.geojson] \
//!     [--row RIGHT_OF_WAY.geojson] [--buildings BUILDINGS.geojson] [--address "113 W Knox St, Ennis"] [--zoning ZONING.json --district CODE [--res-type 1_unit] | --minimums MIN.json] [--dtm DTM.tif] [--dsm DSM.tif] \
//!     [--date YYYY-MM-DD] [--shade-points PTS.geojson]
//! cargo run --release --example analyze -- --label-sides FABRIC.geojson OUT.geojson [--tolerance M] \
//!     [--roads ROADS.geojson] [--row ROW.geojson]
//! cargo run --release --example analyze -- --batch PARCELS.{geojson,geojsonl,parquet} OUT.{geojson,gpkg,parquet} [--sides SIDES.{geojson,gpkg,parquet}] \
//!     [--roads R] [--row ROW] [--buildings B] [--minimums M | --zoning Z --district D] [--id-field F] [--threads N]
//! ```
//!
//! The first form reads a GetSitePlan.ai response (or a parcel GeoJSON: its
//! first polygon is the parcel) and writes it back with the top-level
//! `parcel` record filled in the service's shape: shape class (`source:
//! "planform"`) and sides with `id`, `index`, `role`, `relation` and
//! geodesic `measuredLengthMeters`. Street frontage comes from `--roads`
//! (centrelines: a road ahead of the side within 30 m, running along it)
//! and `--row` (right-of-way polygons: a side along their boundary, within
//! 1.5 m), else from `--parcels` (a side no neighbour touches), else
//! from a driveway feature; with none, roles are `unknown`. Of the sides on
//! a street, the front is the one facing the road the parcel's address
//! names (`--address`, else the parcel's `SITUS_ADDR`/`ADDRESS`/… property,
//! else the plan's top-level `address`,
//! matched to the roads' `FULLNAME`/`name`/… as in
//! `planform::site::address`), else the one a driveway reaches, else the
//! one the primary building's garage door faces (`garageFaceEdgeIndex`),
//! else the shorter frontage; with no street at all, a driveway or the
//! garage door says where it is. With a building,
//! `analysis.setbackReport` gets each side's distance to the primary
//! footprint in feet, checked against the minimums of an OZFS zoning
//! district (`--zoning`, `--district`, `--res-type`) or of a JSON object
//! (`--minimums`: `{"front": 25, "rear": 25, "interior": 10, "exterior": 15}`
//! feet). With `--dtm` (a terrain model GeoTIFF with an EPSG code),
//! `analysis.lotGrade` gets the mean Horn slope, dominant aspect, relief and
//! flatness over its cells inside the parcel; a surface model (`--dsm`,
//! roofs and trees included) only casts shadows, never gives the grade. `analysis.shadeReport`
//! gets the sun hours per yard (front, back, side: a point belongs to the
//! yard it lies in, or of its nearest side) on `--date` (default the summer solstice of the
//! parcel's hemisphere) from the NREL SPA sun path every 15 minutes and the
//! shadows of buildings, structures, trees, hedges and fences, on a 1 m
//! grid (with `--dsm`, the surface's shadows too, and with `--buildings`
//! those of the buildings around the lot; `--shade-points` writes
//! every sample point with its yard and sun hours, for heat maps). `yards`
//! lists the sides bounding the front, back and side yards and, with a
//! building, each yard's ground (`geometry`, `areaSquareMeters`: planform
//! members; see `planform::site::yards`);
//! `analysis.fenceLayout` is the recommended fence (every non-front side
//! from the front building line back, with returns to the building; every
//! non-front side whole on a lot without a building;
//! stretches within 1 m of an existing fence or hedge reused) and `gates`
//! the openings where a driveway or walkway crosses it. With minimums,
//! `analysis.buildableEnvelope` (a planform member) is the parcel less
//! everything within each side's setback of that side (undecided sides:
//! the strictest minimum), a GeoJSON Polygon or MultiPolygon with its area
//! and whether the primary building fits (see `planform::site::envelope`).
//!
//! The second form labels every edge of an OZFS tidyparcel file (zoneR's
//! shape: one LineString per parcel edge with `parcel_id` and `side`) in
//! place of `unknown` and `withheld`, keeping every other feature and
//! member; for a plain polygon layer each polygon gets `properties.sides`.
//! Tidyparcel edges count as shared only segment for segment (zoneR's
//! adjacency), polygon sides within 1.5 m of another parcel; `--tolerance M`
//! sets that distance for both. The centroid Points' `lot_width` and
//! `lot_depth` give the front's axis (see `planform::site::dims`); the
//! fronts the file already labels are kept and count for the lots beside
//! them (see `planform::site::front`). With `--roads` and `--row` the
//! frontages are the sides facing a road or along the right-of-way (as in
//! the first form), a polygon's situs address names its front, and a layer
//! in a declared projected CRS (a county's EPSG:3857 parcels) is read.
//!
//! The plan's own classification, side roles (where its side records start
//! at the same vertices as planform's sides), yards and gates are kept,
//! with their `source`, and the side roles drive setbacks, envelope, yards
//! and fences; planform's yard ground is added to the plan's yards of the
//! same kind. `--replace` recomputes them all from the geometry.
//!
//! The third form analyses every parcel of a layer (a GeoJSON
//! FeatureCollection in WGS84 or a declared EPSG CRS, a GeoJSON text
//! sequence, a GeoPackage feature table, `FILE.gpkg` or `FILE.gpkg:TABLE`,
//! in its EPSG CRS, or GeoParquet in the CRS its geometry column declares,
//! with the `parquet` feature) as the first form would, the layer being its own fabric and
//! each parcel's primary building the largest of `--buildings` whose
//! centroid lies in it (see `planform::site::Batch`): one row per parcel
//! in input order (`--id-field`'s value or the index as `id`, `class`,
//! `roles`, `lengths_m`, `total_sides`, `compliant_sides`,
//! `undecided_sides`, `envelope`, `envelope_area_sqm`, `footprint_fits`,
//! and `error` for a parcel that could not be analysed), WGS84, as GeoJSON,
//! GeoPackage (tables `parcels` and `envelopes`) or GeoParquet (`envelope`
//! a second geometry column, `roles` and `lengths_m` lists; see
//! `planform::arrow`); `--sides` writes one
//! row per side (`index`, `role`, `relation`, `length_m`, `required_ft`,
//! `actual_ft`, `compliant`, the side's line), into the same GeoPackage
//! when it names the output. `--threads` (default: every core) gives the
//! same rows in the same order.
//!
//! The context layers (`--roads`, `--parcels`, `--row`, `--buildings`)
//! may be GeoPackage tables or GeoParquet too. Inputs in a declared projected CRS are
//! unprojected. Output is written
//! atomically; exit status 1 on a rejected input, 2 on usage errors.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::Parser;

#[path = "common/cli.rs"]
mod cli;
#[path = "common/site_batch.rs"]
mod site_batch;

use planform::model::SitePlan;
use planform::model::io::write_atomic;
use planform::site::tidyparcel::{LabelOptions, apply, label_with};
use planform::site::{Date, Layer, Minimums, Rasters, SiteContext, SiteOptions, analyze, read_dem};

/// Parcel analysis offline: sides and roles, setbacks, envelope, yards,
/// grade, shade and fences of one site plan; or side labels for a layer.
#[derive(Parser)]
#[command(name = "analyze", version)]
#[allow(
    clippy::doc_markdown,
    reason = "doc comments are the --help text, not rustdoc"
)]
struct Args {
    /// A site plan or parcel GeoJSON (with --label-sides: a tidyparcel file or polygon layer)
    input: PathBuf,
    /// Output GeoJSON
    output: PathBuf,
    /// Label every side of a parcel layer instead of analysing one plan
    #[arg(long, conflicts_with = "batch")]
    label_sides: bool,
    /// Analyse every parcel of a layer (GeoJSON, GeoJSONSeq or GeoParquet) into a table (.geojson, .gpkg, .parquet)
    #[arg(long)]
    batch: bool,
    /// With --batch: also write one row per side (.geojson, .gpkg, .parquet; the output's own GeoPackage too)
    #[arg(long, value_name = "SIDES", requires = "batch")]
    sides: Option<PathBuf>,
    /// With --batch: the property that identifies a parcel [default: its index, as `id`]
    #[arg(long, value_name = "FIELD", requires = "batch")]
    id_field: Option<String>,
    /// With --batch: worker threads (0: every core)
    #[arg(long, value_name = "N", default_value_t = 0, requires = "batch")]
    threads: usize,
    /// Road centrelines (GeoJSON LineStrings with names)
    #[arg(long, value_name = "ROADS.geojson")]
    roads: Option<PathBuf>,
    /// The parcel fabric around the lot (GeoJSON polygons)
    #[arg(long, value_name = "FABRIC.geojson")]
    parcels: Option<PathBuf>,
    /// Right-of-way polygons
    #[arg(long, value_name = "ROW.geojson")]
    row: Option<PathBuf>,
    /// Buildings around the lot (polygons with heightM/height in metres, else 6 m): their shadows
    #[arg(long, value_name = "BUILDINGS.geojson")]
    buildings: Option<PathBuf>,
    /// The parcel's street address, naming its front [default: the parcel's or plan's own]
    #[arg(long)]
    address: Option<String>,
    /// An OZFS zoning file (with --district)
    #[arg(
        long,
        value_name = "ZONING.json",
        requires = "district",
        conflicts_with = "minimums"
    )]
    zoning: Option<PathBuf>,
    /// The zoning district's code (with --zoning)
    #[arg(long, value_name = "CODE", requires = "zoning")]
    district: Option<String>,
    /// The OZFS residential type
    #[arg(long, value_name = "TYPE", default_value = "1_unit")]
    res_type: String,
    /// Setback minimums in feet: {"front": 25, "rear": 25, "interior": 10, "exterior": 15}
    #[arg(long, value_name = "MIN.json")]
    minimums: Option<PathBuf>,
    /// A terrain model (DTM) GeoTIFF: the lot grade
    #[arg(long, value_name = "DTM.tif")]
    dtm: Option<PathBuf>,
    /// A surface model (DSM) GeoTIFF: the shadows of everything on it (not the grade)
    #[arg(long, value_name = "DSM.tif")]
    dsm: Option<PathBuf>,
    /// The shade date [default: the summer solstice of the parcel's hemisphere]
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_date)]
    date: Option<Date>,
    /// Also write every shade sample point with its yard and sun hours
    #[arg(long, value_name = "PTS.geojson")]
    shade_points: Option<PathBuf>,
    /// Recompute the classification, side roles, yards and gates even where the plan has its own
    #[arg(long)]
    replace: bool,
    /// Metres within which two parcels' sides count as shared (--label-sides)
    #[arg(long, value_name = "M", value_parser = cli::positive)]
    tolerance: Option<f64>,
}

fn parse_date(v: &str) -> Result<Date, String> {
    v.parse::<Date>().map_err(|e| e.to_string())
}

/// The DTM, the DSM, the shade date, where to write the shade points, and
/// whether the plan's own records are recomputed.
#[derive(Default)]
struct Extra {
    replace: bool,
    dtm: Option<PathBuf>,
    dsm: Option<PathBuf>,
    date: Option<Date>,
    shade_points: Option<PathBuf>,
}

#[allow(
    clippy::large_enum_variant,
    reason = "one Mode per process: boxing saves nothing"
)]
enum Mode {
    Parcel {
        input: PathBuf,
        output: PathBuf,
        roads: Option<PathBuf>,
        parcels: Option<PathBuf>,
        row: Option<PathBuf>,
        buildings: Option<PathBuf>,
        address: Option<String>,
        minimums: Minimums,
        extra: Extra,
    },
    Label {
        input: PathBuf,
        output: PathBuf,
        tolerance: Option<f64>,
        roads: Option<PathBuf>,
        row: Option<PathBuf>,
    },
    Batch {
        input: PathBuf,
        output: PathBuf,
        sides: Option<PathBuf>,
        id_field: Option<String>,
        threads: usize,
        roads: Option<PathBuf>,
        row: Option<PathBuf>,
        buildings: Option<PathBuf>,
        minimums: Minimums,
    },
}

/// The mode the arguments ask for (reading the minimums' file).
fn mode_of(a: Args) -> Result<Mode, String> {
    let minimums = match (&a.zoning, &a.district, &a.minimums) {
        (Some(z), Some(d), None) => {
            let doc = read_json(z)?;
            Minimums::from_ozfs(&doc, d, &a.res_type)
                .map_err(|e| format!("{}: {e}", z.display()))?
        }
        (None, None, Some(m)) => {
            Minimums::from_json(&read_json(m)?).map_err(|e| format!("{}: {e}", m.display()))?
        }
        _ => Minimums::default(),
    };
    Ok(if a.batch {
        Mode::Batch {
            input: a.input,
            output: a.output,
            sides: a.sides,
            id_field: a.id_field,
            threads: a.threads,
            roads: a.roads,
            row: a.row,
            buildings: a.buildings,
            minimums,
        }
    } else if a.label_sides {
        Mode::Label {
            input: a.input,
            output: a.output,
            tolerance: a.tolerance,
            roads: a.roads,
            row: a.row,
        }
    } else {
        Mode::Parcel {
            input: a.input,
            output: a.output,
            roads: a.roads,
            parcels: a.parcels,
            row: a.row,
            buildings: a.buildings,
            address: a.address,
            minimums,
            extra: Extra {
                replace: a.replace,
                dtm: a.dtm,
                dsm: a.dsm,
                date: a.date,
                shade_points: a.shade_points,
            },
        }
    })
}

fn read_json(path: &Path) -> Result<serde_json::Value, String> {
    let bytes = planform::model::io::read_limited(path, 1 << 30).map_err(|e| e.to_string())?;
    serde_json::from_slice(&bytes).map_err(|e| format!("{}: {e}", path.display()))
}

/// The street context from the files given: roads (lines, with names),
/// the fabric and right-of-way polygons, each in its file's CRS.
fn read_context(
    roads: Option<&Path>,
    parcels: Option<&Path>,
    row: Option<&Path>,
    buildings: Option<&Path>,
) -> Result<SiteContext, String> {
    fn layer<T: planform::site::FromFeature>(p: Option<&Path>) -> Result<Layer<T>, String> {
        p.map_or_else(|| Ok(Layer::default()), site_batch::read_layer)
    }
    Ok(SiteContext {
        roads: layer(roads)?,
        parcels: layer(parcels)?,
        right_of_way: layer(row)?,
        buildings: layer(buildings)?,
        address: None,
    })
}

/// The shade sample points as GeoJSON (WGS84 points with `yard` and
/// `sunHours`), for heat maps.
fn shade_points_json(points: &[planform::site::ShadePoint]) -> Result<Vec<u8>, String> {
    let round = |v: f64| (v * 1e7).round() / 1e7;
    let features: Vec<serde_json::Value> = points
        .iter()
        .map(|p| {
            serde_json::json!({"type": "Feature",
                "geometry": {"type": "Point", "coordinates": [round(p.position.x()), round(p.position.y())]},
                "properties": {"yard": p.yard.as_str(), "sunHours": p.sun_hours}})
        })
        .collect();
    let doc = serde_json::json!({"type": "FeatureCollection", "features": features});
    serde_json::to_vec(&doc).map_err(|e| e.to_string())
}

/// Analyses one plan with the library's one call and writes it (and the
/// shade points) all or none.
fn run_parcel(
    input: &Path,
    output: &Path,
    context: &SiteContext,
    minimums: &Minimums,
    extra: &Extra,
) -> Result<String, String> {
    let mut plan = SitePlan::read(input).map_err(|e| e.to_string())?;
    let read = |p: &Path| read_dem(p, 200_000_000).map_err(|e| format!("{}: {e}", p.display()));
    let dtm = extra.dtm.as_deref().map(read).transpose()?;
    let dsm = extra.dsm.as_deref().map(read).transpose()?;
    let options = SiteOptions {
        minimums: *minimums,
        date: extra.date,
        shade_points: extra.shade_points.is_some(),
        replace: extra.replace,
        ..SiteOptions::default()
    };
    let rasters = Rasters {
        dtm: dtm.as_ref(),
        dsm: dsm.as_ref(),
    };
    let site = analyze(&plan, context, rasters, &options)
        .map_err(|e| format!("{}: {e}", input.display()))?;
    for w in &site.warnings {
        eprintln!("warning: {w}");
    }
    let shade_points = extra
        .shade_points
        .as_ref()
        .map(|_| shade_points_json(&site.shade_points))
        .transpose()?;
    let summary = format!(
        "{} sides, {}",
        site.parcel.sides.as_ref().map_or(0, Vec::len),
        site.class()
    );
    site.apply(&mut plan);
    let out = plan.to_vec().map_err(|e| e.to_string())?;
    cli::check_parent(output).map_err(|e| format!("{}: {e}", output.display()))?;
    if let Some(path) = &extra.shade_points {
        cli::check_parent(path).map_err(|e| format!("{}: {e}", path.display()))?;
    }
    write_atomic(output, |w| w.write_all(&out)).map_err(|e| e.to_string())?;
    if let (Some(path), Some(bytes)) = (&extra.shade_points, shade_points) {
        write_atomic(path, |w| w.write_all(&bytes)).map_err(|e| e.to_string())?;
    }
    Ok(summary)
}

fn run(mode: &Mode) -> Result<String, String> {
    match mode {
        Mode::Batch {
            input,
            output,
            sides,
            id_field,
            threads,
            roads,
            row,
            buildings,
            minimums,
        } => {
            let context =
                read_context(roads.as_deref(), None, row.as_deref(), buildings.as_deref())?;
            let options = SiteOptions {
                minimums: *minimums,
                ..SiteOptions::default()
            };
            let job = site_batch::BatchJob {
                input,
                output,
                sides: sides.as_deref(),
                id_field: id_field.as_deref(),
                threads: *threads,
            };
            site_batch::run(&job, &context, &options)
        }
        Mode::Label {
            input,
            output,
            tolerance,
            roads,
            row,
        } => {
            let bytes =
                planform::model::io::read_limited(input, 1 << 30).map_err(|e| e.to_string())?;
            let mut doc: serde_json::Value =
                serde_json::from_slice(&bytes).map_err(|e| format!("{}: {e}", input.display()))?;
            let o = LabelOptions {
                tolerance_m: *tolerance,
                ..LabelOptions::default()
            };
            let context = read_context(roads.as_deref(), None, row.as_deref(), None)?;
            let labels =
                label_with(&doc, &o, &context).map_err(|e| format!("{}: {e}", input.display()))?;
            let counts = apply(&mut doc, &labels);
            let out = serde_json::to_vec(&doc).map_err(|e| e.to_string())?;
            cli::check_parent(output).map_err(|e| format!("{}: {e}", output.display()))?;
            write_atomic(output, |w| w.write_all(&out)).map_err(|e| e.to_string())?;
            Ok(format!("labelled {counts:?}"))
        }
        Mode::Parcel {
            input,
            output,
            roads,
            parcels,
            row,
            buildings,
            address,
            minimums,
            extra,
        } => {
            let context = read_context(
                roads.as_deref(),
                parcels.as_deref(),
                row.as_deref(),
                buildings.as_deref(),
            )?;
            let context = SiteContext {
                address: address.clone(),
                ..context
            };
            run_parcel(input, output, &context, minimums, extra)
        }
    }
}

fn main() -> ExitCode {
    let mode = match mode_of(Args::parse()) {
        Ok(m) => m,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(1);
        }
    };
    let (Mode::Parcel { input, output, .. }
    | Mode::Label { input, output, .. }
    | Mode::Batch { input, output, .. }) = &mode;
    match run(&mode) {
        Ok(what) => {
            eprintln!("{} -> {}: {what}", input.display(), output.display());
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(1)
        }
    }
}
