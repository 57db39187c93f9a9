//! Sends a floor-plan image to the Floor Plan API and vectorizes the wall
//! mask it returns.
//!
//! ```text
//! cargo run --release --features fetch --example fetch_walls -- plan.png OUT.geojson \
//!     [--async] [--mode outline|centerline] [--px-per-m N] [--mask MASK.png] \
//!     [--base-url URL] [--api-key KEY] [--timeout SECS]
//! ```
//!
//! Images over 10 MB go through a presigned upload; `--async` submits a job
//! and polls it. OUT follows the `vectorize` example's contract. Key and
//! base URL default to `FLOORPLAN_API_KEY` and `FLOORPLAN_BASE_URL`.

use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

#[path = "common/cli.rs"]
mod cli;

use planform::fetch::floorplan::{DEFAULT_BASE_URL, INLINE_LIMIT, Image};
use planform::fetch::{FloorPlanApi, RetryPolicy, ThreadSleeper};
use planform::walls::centerline::{CenterlineOptions, centerlines};
use planform::walls::outline::{OutlineOptions, outlines};
use planform::walls::output::{OutputOptions, centerlines_geojson, outlines_geojson};
use planform::walls::{DecodeOptions, decode_mask};

const USAGE: &str = "usage: fetch_walls IMAGE OUT.geojson [--async] [--mode outline|centerline] [--px-per-m N] \
                     [--mask MASK.png] [--base-url URL] [--api-key KEY] [--timeout SECS]";

struct Args {
    image: std::path::PathBuf,
    out: std::path::PathBuf,
    asynchronous: bool,
    centerline: bool,
    px_per_m: Option<f64>,
    mask: Option<std::path::PathBuf>,
    conn: cli::Connection,
}

fn parse() -> Result<Args, String> {
    let (conn, rest) = cli::Connection::take(std::env::args().skip(1).collect())?;
    let (mut pos, mut asynchronous, mut centerline, mut px_per_m, mut mask) =
        (Vec::new(), false, false, None, None);
    let mut it = rest.into_iter();
    while let Some(a) = it.next() {
        let mut value = |n: &str| it.next().ok_or_else(|| format!("{n} needs a value"));
        match a.as_str() {
            "--async" => asynchronous = true,
            "--mode" => match value("--mode")?.as_str() {
                "outline" => centerline = false,
                "centerline" => centerline = true,
                m => return Err(format!("--mode: expected outline or centerline, got {m}")),
            },
            "--px-per-m" => {
                let v = value("--px-per-m")?;
                px_per_m = Some(
                    v.parse()
                        .map_err(|_| format!("--px-per-m: not a number: {v}"))?,
                );
            }
            "--mask" => mask = Some(value("--mask")?.into()),
            "-h" | "--help" => return Err(String::new()),
            s if s.starts_with("--") => return Err(format!("unknown option {s}")),
            _ => pos.push(a),
        }
    }
    let [image, out] = <[String; 2]>::try_from(pos)
        .map_err(|p| format!("expected IMAGE and OUT, got {} argument(s)", p.len()))?;
    Ok(Args {
        image: image.into(),
        out: out.into(),
        asynchronous,
        centerline,
        px_per_m,
        mask,
        conn,
    })
}

fn run(a: &Args) -> Result<usize, String> {
    let image = Image::from_path(&a.image).map_err(|e| e.to_string())?;
    let key = a.conn.key("FLOORPLAN_API_KEY")?;
    let base = a.conn.base("FLOORPLAN_BASE_URL", DEFAULT_BASE_URL);
    let api = FloorPlanApi::with_transport(
        key,
        &base,
        a.conn.transport(),
        RetryPolicy::default(),
        Arc::new(ThreadSleeper),
    )
    .map_err(|e| e.to_string())?;
    let result = if a.asynchronous {
        let job = api.analyze_async(&image).map_err(|e| e.to_string())?;
        eprintln!("submitted job {}", job.id);
        let done = loop {
            let j = api.status(&job.id).map_err(|e| e.to_string())?;
            eprintln!("job {}: {}", j.id, j.status);
            match j.status.as_str() {
                "completed" => break j,
                "failed" => {
                    return Err(format!(
                        "job {} failed: {}",
                        j.id,
                        j.error.unwrap_or_default()
                    ));
                }
                _ => std::thread::sleep(Duration::from_secs(2)),
            }
        };
        api.download_result(&done)
    } else {
        api.upload_then_extract(&image, INLINE_LIMIT)
    }
    .map_err(|e| e.to_string())?;
    let png = result.wall_mask_png();
    if let Some(p) = &a.mask {
        planform::model::io::write_atomic(p, |w| w.write_all(png)).map_err(|e| e.to_string())?;
    }
    let mask = decode_mask(png, &DecodeOptions::default())
        .map_err(|e| format!("the returned mask: {e}"))?;
    let options = OutputOptions {
        px_per_m: a.px_per_m,
        placement: None,
    };
    let (json, n) = if a.centerline {
        let c = centerlines(&mask, &CenterlineOptions::default()).map_err(|e| e.to_string())?;
        (
            centerlines_geojson(&c, &options).map_err(|e| e.to_string())?,
            c.walls.len(),
        )
    } else {
        let o = outlines(&mask, &OutlineOptions::default()).map_err(|e| e.to_string())?;
        (
            outlines_geojson(&o, &options).map_err(|e| e.to_string())?,
            o.polygons.len(),
        )
    };
    let bytes = serde_json::to_vec(&json).map_err(|e| e.to_string())?;
    cli::ensure_parent(&a.out).map_err(|e| format!("{}: {e}", a.out.display()))?;
    planform::model::io::write_atomic(&a.out, |w| w.write_all(&bytes))
        .map_err(|e| e.to_string())?;
    Ok(n)
}

fn main() -> ExitCode {
    let args = match cli::args_or_usage(parse(), USAGE) {
        Ok(a) => a,
        Err(code) => return code,
    };
    match run(&args) {
        Ok(n) => {
            eprintln!(
                "{} -> {}: {n} features",
                args.image.display(),
                args.out.display()
            );
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(1)
        }
    }
}
