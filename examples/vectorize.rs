//! Vectorizes floor-plan wall masks.
//!
//! ```text
//! cargo run --release --example vectorize -- IN OUT [--mode outline] [--px-per-m N]
//!     [--tolerance PX] [--mask-edges centre|inclusive] [--preview PREVIEW.png]
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
//! see `planform_walls::centerline::MaskEdges`).

use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[path = "common/cli.rs"]
mod cli;

use planform::walls::centerline::{CenterlineOptions, MaskEdges, centerlines};
use planform::walls::outline::{OutlineOptions, outlines};
use planform::walls::output::{OutputOptions, centerlines_geojson, outlines_geojson};
use planform::walls::preview::{render_centerlines, render_outlines};
use planform::walls::scale::px_per_m_from_doors;
use planform::walls::{DecodeOptions, WallsError, read_mask};

const USAGE: &str = "usage: vectorize IN OUT [--mode outline|centerline] [--px-per-m N] [--tolerance PX] [--mask-edges centre|inclusive] [--preview PREVIEW.png]";

struct Args {
    centerline: bool,
    door_width_m: Option<f64>,
    input: PathBuf,
    output: PathBuf,
    preview: Option<PathBuf>,
    outline: OutlineOptions,
    output_options: OutputOptions,
    mask_edges: MaskEdges,
}

fn parse_args() -> Result<Args, String> {
    let mut positional = Vec::new();
    let mut preview = None;
    let mut outline = OutlineOptions::default();
    let mut output_options = OutputOptions::default();
    let mut centerline = false;
    let mut door_width_m = None;
    let mut mask_edges = MaskEdges::Centre;
    let mut it = std::env::args_os().skip(1);
    while let Some(a) = it.next() {
        let mut value = |name: &str| {
            it.next()
                .and_then(|v| v.into_string().ok())
                .ok_or_else(|| format!("{name} needs a value"))
        };
        let number = |name: &str, v: String| {
            v.parse::<f64>()
                .map_err(|_| format!("{name}: not a number: {v}"))
        };
        match a.to_str() {
            Some("--mode") => match value("--mode")?.as_str() {
                "outline" => centerline = false,
                "centerline" => centerline = true,
                other => {
                    return Err(format!(
                        "--mode: expected outline or centerline, got {other}"
                    ));
                }
            },
            Some("--px-per-m") => {
                output_options.px_per_m = Some(number("--px-per-m", value("--px-per-m")?)?);
            }
            Some("--tolerance") => {
                outline.tolerance = number("--tolerance", value("--tolerance")?)?;
            }
            Some("--snap") => outline.snap_degrees = Some(number("--snap", value("--snap")?)?),
            Some("--door-width-m") => {
                door_width_m = Some(number("--door-width-m", value("--door-width-m")?)?);
            }
            Some("--mask-edges") => {
                mask_edges = value("--mask-edges")?
                    .parse()
                    .map_err(|e| format!("--mask-edges: {e}"))?;
            }
            Some("--preview") => preview = Some(PathBuf::from(value("--preview")?)),
            Some("-h" | "--help") => return Err(String::new()),
            Some(s) if s.starts_with("--") => return Err(format!("unknown option {s}")),
            _ => positional.push(PathBuf::from(a)),
        }
    }
    let [input, output] = <[PathBuf; 2]>::try_from(positional)
        .map_err(|p| format!("expected IN and OUT, got {} path(s)", p.len()))?;
    if door_width_m.is_some() && output_options.px_per_m.is_some() {
        return Err("give --px-per-m or --door-width-m, not both".into());
    }
    Ok(Args {
        centerline,
        door_width_m,
        input,
        output,
        preview,
        outline,
        output_options,
        mask_edges,
    })
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
    cli::ensure_parent(path).map_err(|source| WallsError::Io {
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
    let mask = read_mask(input, &DecodeOptions::default())?;
    let options = CenterlineOptions {
        tolerance: args.outline.tolerance.max(1.0),
        mask_edges: args.mask_edges,
        ..CenterlineOptions::default()
    };
    let walls = if args.centerline || args.door_width_m.is_some() {
        Some(centerlines(&mask, &options)?)
    } else {
        None
    };
    let mut output_options = args.output_options;
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
    let (json, img, n) = if let (Some(c), true) = (&walls, args.centerline) {
        let img = preview.map(|_| render_centerlines(&mask, c));
        (centerlines_geojson(c, &output_options)?, img, c.walls.len())
    } else {
        let o = outlines(&mask, &args.outline)?;
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
    let args = match cli::args_or_usage(parse_args(), USAGE) {
        Ok(a) => a,
        Err(code) => return code,
    };
    if !args.input.is_dir() {
        return match one(&args.input, &args.output, args.preview.as_deref(), &args) {
            Ok(n) => {
                eprintln!(
                    "{} -> {}: {n} {}",
                    args.input.display(),
                    args.output.display(),
                    if args.centerline {
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
        Ok(files) => cli::batch(&args.input.display().to_string(), &files, |f| {
            let out = cli::output_for(&args.output, f, "geojson");
            let preview = args.preview.as_ref().map(|d| cli::output_for(d, f, "png"));
            one(f, &out, preview.as_deref(), &args)
                .map(|_| ())
                .map_err(|e| format!("error: {e}"))
        }),
        Err(e) => {
            eprintln!("error: {}: {e}", args.input.display());
            ExitCode::from(1)
        }
    }
}
