//! Parcel analysis offline.
//!
//! ```text
//! cargo run --release --example analyze -- IN OUT.json [--roads ROADS.geojson] [--parcels FABRIC.geojson] \
//!     [--row RIGHT_OF_WAY.geojson] [--address "113 W Knox St, Ennis"] [--zoning ZONING.json --district CODE [--res-type 1_unit] | --minimums MIN.json] [--dtm DTM.tif] [--dsm DSM.tif] \
//!     [--date YYYY-MM-DD] [--shade-points PTS.geojson]
//! cargo run --release --example analyze -- --label-sides FABRIC.geojson OUT.geojson [--tolerance M] \
//!     [--roads ROADS.geojson] [--row ROW.geojson]
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
//! grid (with `--dsm`, the surface's shadows too; `--shade-points` writes
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
//! Inputs in a declared projected CRS are unprojected. Output is written
//! atomically; exit status 1 on a rejected input, 2 on usage errors.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::Parser;

#[path = "common/cli.rs"]
mod cli;

use planform::model::io::write_atomic;
use planform::model::{GeometryValue, LocalFrame, SitePlan};
use planform::site::address::{ROAD_NAME_KEYS, first_named};
use planform::site::envelope::envelope;
use planform::site::evidence::{Kept, adopt, merge_yards};
use planform::site::fence::fence_layout;
use planform::site::grade::{GradeOptions, parcel_grade, read_dem};
use planform::site::parcel::{Context, ParcelOptions, analyze_parcel};
use planform::site::setbacks::Minimums;
use planform::site::shade::{ShadeOptions, shade_report_with_dsm};
use planform::site::sun::Date;
use planform::site::tidyparcel::{LabelOptions, apply, label_with};
use planform::site::yards::yards;

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
    #[arg(long)]
    label_sides: bool,
    /// Road centrelines (GeoJSON LineStrings with names)
    #[arg(long, value_name = "ROADS.geojson")]
    roads: Option<PathBuf>,
    /// The parcel fabric around the lot (GeoJSON polygons)
    #[arg(long, value_name = "FABRIC.geojson")]
    parcels: Option<PathBuf>,
    /// Right-of-way polygons
    #[arg(long, value_name = "ROW.geojson")]
    row: Option<PathBuf>,
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
    Ok(if a.label_sides {
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

/// What [`shapes`] takes from a layer's features.
#[derive(Clone, Copy, PartialEq)]
enum Take {
    /// `LineString`s (roads).
    Lines,
    /// Polygons' outer rings (parcels).
    Outer,
    /// Polygons' every ring (a right-of-way polygon's holes are the blocks).
    Rings,
}

/// Lines or rings of a GeoJSON file, in WGS84, each with its feature's
/// name (a road's `FULLNAME`, `name`, …).
fn shapes(path: &Path, take: Take) -> Result<Vec<Shape>, String> {
    let plan = SitePlan::read(path).map_err(|e| e.to_string())?;
    let from = match (plan.is_wgs84(), plan.declared_epsg()) {
        (true, _) => None,
        (false, Some(code)) => Some(LocalFrame::from_epsg(code).map_err(|e| e.to_string())?),
        (false, None) => return Err(format!("{}: its crs names no EPSG code", path.display())),
    };
    let wgs = |ps: &[planform::model::Position]| -> Result<Vec<(f64, f64)>, String> {
        ps.iter()
            .map(|p| match &from {
                Some(f) => f.inverse(p.x(), p.y()).map_err(|e| e.to_string()),
                None => Ok((p.x(), p.y())),
            })
            .collect()
    };
    let mut out = Vec::new();
    for f in &plan.features {
        let Some(g) = &f.geometry else { continue };
        let name = f
            .properties
            .as_ref()
            .and_then(|p| first_named(&p.extra, &ROAD_NAME_KEYS));
        let mut push = |ps: &[planform::model::Position]| -> Result<(), String> {
            out.push((wgs(ps)?, name.clone()));
            Ok(())
        };
        let polygons: Vec<&Vec<Vec<planform::model::Position>>> = match &g.value {
            GeometryValue::Polygon(r) => vec![r],
            GeometryValue::MultiPolygon(ps) => ps.iter().collect(),
            _ => Vec::new(),
        };
        match (&g.value, take) {
            (GeometryValue::LineString(l), Take::Lines) => push(l)?,
            (GeometryValue::MultiLineString(ls), Take::Lines) => {
                for l in ls {
                    push(l)?;
                }
            }
            (_, Take::Outer) => {
                for p in polygons.iter().filter(|p| !p.is_empty()) {
                    push(&p[0])?;
                }
            }
            (_, Take::Rings) => {
                for r in polygons.iter().flat_map(|p| p.iter()) {
                    push(r)?;
                }
            }
            _ => {}
        }
    }
    if out.is_empty() {
        // a roads file of polygons or a right-of-way of lines would
        // otherwise be ignored without a word
        return Err(format!(
            "{}: no {} in it",
            path.display(),
            if take == Take::Lines {
                "LineString or MultiLineString"
            } else {
                "Polygon or MultiPolygon"
            }
        ));
    }
    Ok(out)
}

/// The street context from the files given: roads (lines, with names),
/// the fabric (outer rings) and right-of-way polygons (every ring).
fn read_context(
    roads: Option<&Path>,
    parcels: Option<&Path>,
    row: Option<&Path>,
) -> Result<Context, String> {
    let read = |p: Option<&Path>, take: Take| -> Result<Vec<Shape>, String> {
        Ok(p.map(|p| shapes(p, take)).transpose()?.unwrap_or_default())
    };
    let rings = |v: Vec<Shape>| v.into_iter().map(|(ring, _)| ring).collect();
    let (roads, road_names) = read(roads, Take::Lines)?.into_iter().unzip();
    Ok(Context {
        roads,
        road_names,
        parcels: rings(read(parcels, Take::Outer)?),
        right_of_way: rings(read(row, Take::Rings)?),
        address: None,
    })
}

/// A line or ring in WGS84 and its feature's name.
type Shape = (Vec<(f64, f64)>, Option<String>);

/// The shade sample points as GeoJSON (WGS84 points with `yard` and
/// `sunHours`), for heat maps.
fn shade_points_json(
    plan: &SitePlan,
    a: &planform::site::parcel::ParcelAnalysis,
    points: &[planform::site::shade::SunPoint],
) -> Result<Vec<u8>, String> {
    let frames = planform::site::parcel::Frames::new(
        planform::site::parcel::Frames::source(plan).map_err(|e| e.to_string())?,
        &a.ring,
    )
    .map_err(|e| e.to_string())?;
    let mut features = Vec::with_capacity(points.len());
    for (c, yard, hours) in points {
        let (lon, lat) = frames.frame.inverse(c.x, c.y).map_err(|e| e.to_string())?;
        features.push(serde_json::json!({"type": "Feature",
            "geometry": {"type": "Point", "coordinates": [(lon * 1e7).round() / 1e7, (lat * 1e7).round() / 1e7]},
            "properties": {"yard": yard.as_str(), "sunHours": hours}}));
    }
    let doc = serde_json::json!({"type": "FeatureCollection", "features": features});
    serde_json::to_vec(&doc).map_err(|e| e.to_string())
}

/// Setbacks, lot grade (with a DEM), shade, yards, fence layout and gates;
/// returns the shade points' GeoJSON when `--shade-points` asks for it
/// (written after the plan, so that a failure leaves neither file).
fn fill_analysis(
    plan: &mut SitePlan,
    a: &planform::site::parcel::ParcelAnalysis,
    minimums: &Minimums,
    extra: &Extra,
    kept: Kept,
) -> Result<Option<Vec<u8>>, String> {
    let (dsm, date) = (extra.dsm.as_deref(), extra.date);
    if !minimums.is_empty() {
        let env = envelope(a, minimums);
        let frames = planform::site::parcel::Frames::new(
            planform::site::parcel::Frames::source(plan).map_err(|e| e.to_string())?,
            &a.ring,
        )
        .map_err(|e| e.to_string())?;
        let ring = |r: &geo_types::LineString<f64>| -> Result<serde_json::Value, String> {
            r.0.iter()
                .map(|c| {
                    let p = frames.to_plan(*c).map_err(|e| e.to_string())?;
                    Ok(serde_json::json!([p.x(), p.y()]))
                })
                .collect::<Result<Vec<_>, String>>()
                .map(serde_json::Value::from)
        };
        let polygons = env
            .region
            .0
            .iter()
            .map(|p| {
                std::iter::once(p.exterior())
                    .chain(p.interiors())
                    .map(ring)
                    .collect::<Result<Vec<_>, String>>()
            })
            .collect::<Result<Vec<_>, String>>()?;
        let geometry = match polygons.as_slice() {
            [one] => serde_json::json!({"type": "Polygon", "coordinates": one}),
            _ => serde_json::json!({"type": "MultiPolygon", "coordinates": polygons}),
        };
        let record = serde_json::json!({
            "geometry": geometry,
            "areaSqm": (env.area() * 100.0).round() / 100.0,
            "footprintFits": a.footprint.as_ref().map(|f| env.fits(f)),
            "source": "planform",
        });
        plan.analysis
            .get_or_insert_with(Default::default)
            .extra
            .insert("buildableEnvelope".into(), record);
    }
    if let Some(report) = a.setbacks(minimums) {
        plan.analysis
            .get_or_insert_with(Default::default)
            .setback_report = Some(report);
    }
    let read = |p: &Path| read_dem(p, 200_000_000).map_err(|e| format!("{}: {e}", p.display()));
    // the grade comes from the terrain only: a surface model's roofs and
    // trees are not the lot's slope
    if let Some(path) = &extra.dtm {
        let dtm = read(path)?;
        let grade = parcel_grade(&dtm, &a.ring, &GradeOptions::default())
            .map_err(|e| format!("{}: {e}", path.display()))?
            .ok_or_else(|| format!("{}: no cell of the DTM lies in the parcel", path.display()))?;
        plan.analysis.get_or_insert_with(Default::default).lot_grade = Some(grade);
    } else if dsm.is_some() {
        eprintln!("warning: no lot grade: it needs the terrain (--dtm); --dsm only casts shadows");
    }
    let dem = dsm.map(read).transpose()?;
    // the summer solstice of the parcel's hemisphere unless a date is given
    let south = a.ring.first().is_some_and(|p| p.1 < 0.0);
    let day = date.unwrap_or(Date {
        year: 2025,
        month: if south { 12 } else { 6 },
        day: 21,
    });
    let shade_options = ShadeOptions {
        date: day,
        ..ShadeOptions::default()
    };
    let (shade, points) =
        shade_report_with_dsm(plan, a, &shade_options, dem.as_ref()).map_err(|e| e.to_string())?;
    let shade_points = extra
        .shade_points
        .as_ref()
        .map(|_| shade_points_json(plan, a, &points))
        .transpose()?;
    plan.analysis
        .get_or_insert_with(Default::default)
        .shade_report = Some(shade);
    let yards = yards(plan, a).map_err(|e| e.to_string())?;
    match (&mut plan.yards, kept.yards) {
        (Some(own), true) => merge_yards(own, &yards),
        _ if !yards.is_empty() => plan.yards = Some(yards),
        _ => {}
    }
    if let Some((layout, gates)) = fence_layout(plan, a).map_err(|e| e.to_string())? {
        let mut record = planform::model::analysis::FenceLayout::default();
        if let serde_json::Value::Object(m) = layout {
            record.extra = m.into_iter().collect();
        }
        plan.analysis
            .get_or_insert_with(Default::default)
            .fence_layout = Some(record);
        if !kept.gates {
            plan.gates = Some(gates);
        }
    }
    Ok(shade_points)
}

fn run(mode: &Mode) -> Result<String, String> {
    match mode {
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
            let context = read_context(roads.as_deref(), None, row.as_deref())?;
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
            address,
            minimums,
            extra,
        } => {
            let mut plan = SitePlan::read(input).map_err(|e| e.to_string())?;
            let context = read_context(roads.as_deref(), parcels.as_deref(), row.as_deref())?;
            let context = Context {
                address: address.clone(),
                ..context
            };
            let mut a = analyze_parcel(&plan, &context, &ParcelOptions::default())
                .map_err(|e| format!("{}: {e}", input.display()))?;
            let kept = if extra.replace {
                Kept::default()
            } else {
                adopt(&plan, &mut a)
            };
            let shade_points = fill_analysis(&mut plan, &a, minimums, extra, kept)
                .map_err(|e| format!("{}: {e}", input.display()))?;
            let mut parcel = a.record;
            if let Some(own) = plan.parcel.as_ref().filter(|_| kept.classification) {
                parcel.classification.clone_from(&own.classification);
            }
            let summary = format!(
                "{} sides, {}",
                parcel.sides.as_ref().map_or(0, Vec::len),
                parcel
                    .classification
                    .as_ref()
                    .and_then(|c| c.class.as_ref())
                    .map_or("unclassified", |c| c.as_str())
            );
            plan.parcel = Some(parcel);
            let out = plan.to_vec().map_err(|e| e.to_string())?;
            cli::check_parent(output).map_err(|e| format!("{}: {e}", output.display()))?;
            write_atomic(output, |w| w.write_all(&out)).map_err(|e| e.to_string())?;
            if let (Some(path), Some(bytes)) = (&extra.shade_points, shade_points) {
                cli::check_parent(path).map_err(|e| format!("{}: {e}", path.display()))?;
                write_atomic(path, |w| w.write_all(&bytes)).map_err(|e| e.to_string())?;
            }
            Ok(summary)
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
    let (Mode::Parcel { input, output, .. } | Mode::Label { input, output, .. }) = &mode;
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
