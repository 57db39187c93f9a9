//! Vectorizes floor-plan wall masks.
//!
//! ```text
//! cargo run --release --example vectorize -- IN OUT [--mode outline] [--px-per-m N]
//!     [--tolerance PX] [--mask-edges centre|inclusive] [--rooms] [--preview PREVIEW.png]
//! ```
//!
//! IN is a mask image (PNG, JPEG, TIFF, WebP; 0/255 walls) or a directory of
//! masks (`*_wall.png` when there are any, else `*.png`); OUT is a `.geojson`
//! file or, for a directory, a directory that receives one `<stem>.geojson`
//! per mask. Directories are processed in parallel with a progress bar. A bad
//! mask in a batch is reported and skipped; the others are still written and
//! the exit status is 1 at the end. `--preview` writes a PNG (a directory of
//! PNGs for a batch) with the vectors drawn over the mask.
//!
//! Output: the planform GeoJSON contract (see `planform_walls::output`):
//! x right, y up, origin at the bottom-left, in px or (with `--px-per-m`) m.
//! `--snap DEG` (outline mode) snaps edges within DEG degrees of the plan's
//! dominant direction onto it. `--door-width-m W` sets the scale from the plan's door openings (their
//! median width is taken as W metres) instead of `--px-per-m`.
//! `--mode outline` (default) writes wall polygons; `--mode centerline`
//! writes wall centrelines with `thickness` (its `--tolerance` is the
//! centreline simplification tolerance, at least 1 px). `--mask-edges
//! inclusive` says the mask was filled from wall polygons with their
//! boundary pixels (PIL, OpenCV `fillPoly`): each wall's thickness is then
//! one pixel less than its width in the mask (default `centre`: the width;
//! see `planform_walls::centerline::MaskEdges`). `--rooms` (centreline
//! mode) adds `kind: "room"` Polygons (the free space the walls enclose with
//! the openings closed, drawn to the wall faces, with `area` and `area_px`)
//! and `kind: "opening"` line strings across each door or window gap (wall
//! face to wall face, with `width`), found in the wall graph (see
//! `planform_walls::rooms`).

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{CommandFactory, Parser};

#[path = "common/cli.rs"]
mod cli;

use planform::walls::WallsError;
use planform::walls::centerline::{CenterlineOptions, MaskEdges, centerlines};
use planform::walls::outline::{OutlineOptions, outlines};
use planform::walls::output::{
    OutputOptions, centerlines_geojson, outlines_geojson, rooms_features,
};
use planform::walls::preview::{render_centerlines, render_outlines};
use planform::walls::rooms::{RoomOptions, rooms};
use planform::walls::scale::px_per_m_from_doors;

/// Vectorizes floor-plan wall masks into the planform GeoJSON contract.
#[derive(Parser)]
#[command(name = "vectorize", version)]
#[allow(
    clippy::doc_markdown,
    reason = "doc comments are the --help text, not rustdoc"
)]
struct Args {
    /// A mask image (PNG, JPEG, TIFF, WebP; 0/255 walls) or a folder of masks
    input: PathBuf,
    /// Output .geojson (a folder when IN is a folder)
    output: PathBuf,
    /// Wall polygons (outline) or centrelines with thickness (centerline)
    #[arg(long, value_enum, default_value_t = cli::Mode::Outline)]
    mode: cli::Mode,
    /// Pixels per metre: coordinates in metres [default: pixels]
    #[arg(long, value_name = "N", value_parser = cli::positive, conflicts_with = "door_width_m")]
    px_per_m: Option<f64>,
    /// Simplification tolerance in pixels (centreline: at least 1)
    #[arg(long, value_name = "PX", default_value_t = OutlineOptions::default().tolerance, value_parser = non_negative)]
    tolerance: f64,
    /// Outline mode: snap edges within DEG degrees of the plan's main direction onto it
    #[arg(long, value_name = "DEG", value_parser = non_negative)]
    snap: Option<f64>,
    /// Take the scale from the door openings, whose median width is W metres
    #[arg(long, value_name = "W", value_parser = cli::positive)]
    door_width_m: Option<f64>,
    /// How the mask was drawn: centre (a model's mask) or inclusive (filled with boundary pixels: thickness one pixel less)
    #[arg(long, value_name = "EDGES", default_value = "centre", value_parser = mask_edges)]
    mask_edges: MaskEdges,
    /// Centreline mode: add the rooms (polygons along the wall faces, with their area) and the door and window openings (lines across the gaps, with their width)
    #[arg(long)]
    rooms: bool,
    /// Also write a PNG of the vectors over the mask (a folder for a batch)
    #[arg(long, value_name = "PREVIEW.png")]
    preview: Option<PathBuf>,
}

impl Args {
    fn centerline(&self) -> bool {
        self.mode == cli::Mode::Centerline
    }

    fn outline(&self) -> OutlineOptions {
        OutlineOptions {
            tolerance: self.tolerance,
            snap_degrees: self.snap,
            ..OutlineOptions::default()
        }
    }
}

fn non_negative(v: &str) -> Result<f64, String> {
    v.parse::<f64>()
        .ok()
        .filter(|x| x.is_finite() && *x >= 0.0)
        .ok_or_else(|| format!("expected a number >= 0, got {v}"))
}

fn mask_edges(v: &str) -> Result<MaskEdges, String> {
    v.parse().map_err(|e: WallsError| e.to_string())
}

/// Refuses an output the example would not write as named.
fn check_output(args: &Args) -> Result<(), String> {
    if args.input.is_dir() {
        return Ok(());
    }
    cli::geojson_path(&args.output.to_string_lossy()).map(|_| ())
}

/// The masks of a directory: `*_wall.png` when there are any, else `*.png`.
fn masks_in(dir: &Path) -> std::io::Result<Vec<PathBuf>> {
    let mut all: Vec<PathBuf> = std::fs::read_dir(dir)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_file() && p.extension().is_some_and(|e| e.eq_ignore_ascii_case("png")))
        .collect();
    all.sort();
    let walls: Vec<PathBuf> = all
        .iter()
        .filter(|p| {
            p.file_stem()
                .is_some_and(|s| s.to_string_lossy().ends_with("_wall"))
        })
        .cloned()
        .collect();
    Ok(if walls.is_empty() { all } else { walls })
}

fn ensure_parent(path: &Path) -> Result<(), WallsError> {
    cli::check_parent(path).map_err(|source| WallsError::Io {
        path: path.to_owned(),
        source,
    })
}

fn one(
    input: &Path,
    output: &Path,
    preview: Option<&Path>,
    args: &Args,
) -> Result<usize, WallsError> {
    let mask = cli::read_mask(input)?;
    let options = CenterlineOptions {
        tolerance: args.tolerance.max(1.0),
        mask_edges: args.mask_edges,
        ..CenterlineOptions::default()
    };
    let walls = if args.centerline() || args.door_width_m.is_some() {
        Some(centerlines(&mask, &options)?)
    } else {
        None
    };
    let mut output_options = OutputOptions {
        px_per_m: args.px_per_m,
        ..OutputOptions::default()
    };
    if let (Some(door), Some(c)) = (args.door_width_m, &walls) {
        let scale = px_per_m_from_doors(c, door).ok_or_else(|| WallsError::InvalidOption {
            name: "door_width_m",
            reason: format!("{}: no door opening found to measure", input.display()),
        })?;
        eprintln!(
            "{}: {scale:.2} px/m from its door openings",
            input.display()
        );
        output_options.px_per_m = Some(scale);
    }
    let (json, img, n) = if let (Some(c), true) = (&walls, args.centerline()) {
        let img = preview.map(|_| render_centerlines(&mask, c));
        let mut json = centerlines_geojson(c, &output_options)?;
        if args.rooms {
            let r = rooms(&mask, c, &RoomOptions::default())?;
            let extra = rooms_features(&r, &output_options)?;
            if let Some(features) = json["features"].as_array_mut() {
                features.extend(extra);
            }
        }
        (json, img, c.walls.len())
    } else {
        let o = outlines(&mask, &args.outline())?;
        let img = preview.map(|_| render_outlines(&mask, &o.polygons));
        (
            outlines_geojson(&o, &output_options)?,
            img,
            o.polygons.len(),
        )
    };
    let bytes = serde_json::to_vec(&json).map_err(|e| WallsError::Decode {
        path: None,
        message: e.to_string(),
    })?;
    ensure_parent(output)?;
    planform::model::io::write_atomic(output, |w| w.write_all(&bytes))?;
    if let (Some(p), Some(img)) = (preview, img) {
        ensure_parent(p)?;
        planform::model::io::write_atomic(p, |w| {
            let mut buf = std::io::Cursor::new(Vec::new());
            img.write_to(&mut buf, image::ImageFormat::Png)
                .map_err(std::io::Error::other)?;
            w.write_all(buf.get_ref())
        })?;
    }
    Ok(n)
}

fn main() -> ExitCode {
    let args = Args::parse();
    if args.rooms && !args.centerline() {
        let mut cmd = Args::command();
        cmd.error(
            clap::error::ErrorKind::ArgumentConflict,
            "--rooms needs --mode centerline (rooms and openings come from the wall graph)",
        )
        .exit();
    }
    if let Err(e) = check_output(&args) {
        Args::command()
            .error(clap::error::ErrorKind::ValueValidation, e)
            .exit();
    }
    if !args.input.is_dir() {
        return match one(&args.input, &args.output, args.preview.as_deref(), &args) {
            Ok(n) => {
                eprintln!(
                    "{} -> {}: {n} {}",
                    args.input.display(),
                    args.output.display(),
                    if args.centerline() {
                        "walls"
                    } else {
                        "wall polygons"
                    }
                );
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("error: {e}");
                ExitCode::from(1)
            }
        };
    }
    match masks_in(&args.input) {
        Ok(files) => {
            for dir in std::iter::once(&args.output).chain(&args.preview) {
                if let Err(e) = cli::batch_dir(dir) {
                    eprintln!("error: {}: {e}", dir.display());
                    return ExitCode::from(1);
                }
            }
            cli::batch(&args.input.display().to_string(), &files, |f| {
                let out = cli::output_for(&args.output, f, "geojson");
                let preview = args.preview.as_ref().map(|d| cli::output_for(d, f, "png"));
                one(f, &out, preview.as_deref(), &args)
                    .map(|_| ())
                    .map_err(|e| format!("error: {e}"))
            })
        }
        Err(e) => {
            eprintln!("error: {}: {e}", args.input.display());
            ExitCode::from(1)
        }
    }
}
