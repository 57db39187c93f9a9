//! Sends a floor-plan image to the Floor Plan API and vectorizes the wall
//! mask it returns.
//!
//! ```text
//! cargo run --release --features fetch --example fetch_walls -- plan.png OUT.geojson \
//!     [--async] [--mode outline|centerline] [--px-per-m N] [--mask MASK.png] \
//!     [--base-url URL] [--api-key KEY] [--timeout SECS] [--max-wait SECS]
//! ```
//!
//! Images over 10 MB go through a presigned upload; `--async` submits a job
//! and polls it (at most `--max-wait` seconds, also for a job a 504 names).
//! OUT follows the `vectorize` example's contract. Key and base URL default
//! to `FLOORPLAN_API_KEY` and `FLOORPLAN_BASE_URL`. OUT and `--mask` are
//! written together: when either fails, neither is written.

use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

use clap::Parser;

#[path = "common/cli.rs"]
mod cli;

use planform::fetch::floorplan::{DEFAULT_BASE_URL, INLINE_LIMIT, Image};
use planform::fetch::{FloorPlanApi, ThreadSleeper};
use planform::walls::output::OutputOptions;

/// Floor Plan API: image in, wall mask out, vectorized.
#[derive(Parser)]
#[command(name = "fetch_walls", version)]
#[allow(
    clippy::doc_markdown,
    reason = "doc comments are the --help text, not rustdoc"
)]
struct Args {
    /// The floor-plan image (PNG, JPEG, WebP)
    image: PathBuf,
    /// Output GeoJSON (the vectorize contract)
    #[arg(value_parser = cli::geojson_path)]
    out: PathBuf,
    /// Submit a job and poll it instead of one synchronous call
    #[arg(long = "async")]
    asynchronous: bool,
    /// Wall polygons (outline) or centrelines with thickness (centerline)
    #[arg(long, value_enum, default_value_t = cli::Mode::Outline)]
    mode: cli::Mode,
    /// Pixels per metre: coordinates in metres [default: pixels]
    #[arg(long, value_name = "N", value_parser = cli::positive)]
    px_per_m: Option<f64>,
    /// Also save the returned mask PNG here
    #[arg(long, value_name = "FILE")]
    mask: Option<PathBuf>,
    #[command(flatten)]
    conn: cli::Connection,
}

fn run(a: &Args, secrets: &[secrecy::SecretString]) -> Result<String, String> {
    for out in std::iter::once(&a.out).chain(&a.mask) {
        cli::check_parent(out).map_err(|e| format!("{}: {e}", out.display()))?;
    }
    let image = Image::from_path(&a.image).map_err(|e| e.to_string())?;
    let key = a.conn.key("FLOORPLAN_API_KEY")?;
    let base = a.conn.base("FLOORPLAN_BASE_URL", DEFAULT_BASE_URL);
    let api = FloorPlanApi::with_transport(
        key,
        &base,
        a.conn.transport(),
        a.conn.policy(),
        Arc::new(ThreadSleeper),
    )
    .map_err(|e| e.to_string())?
    .with_max_wait(a.conn.max_wait());
    let result = if a.asynchronous {
        let job = api.analyze_async(&image).map_err(|e| e.to_string())?;
        cli::say(secrets, &format!("submitted job {}", job.id));
        let done = api
            .wait(&job.id, Duration::from_secs(2), a.conn.max_wait())
            .map_err(|e| format!("{e} (its result stays at /v1/status/{})", job.id))?;
        api.download_result(&done)
    } else {
        api.upload_then_extract(&image, INLINE_LIMIT)
    }
    .map_err(|e| e.to_string())?;
    let png = result.wall_mask_png();
    let mask = cli::decode_mask(png, "the returned mask")
        .map_err(|e| format!("the returned mask: {e}"))?;
    let options = OutputOptions {
        px_per_m: a.px_per_m,
        placement: None,
    };
    let (json, n) = cli::vectorize_mask(&mask, a.mode, &options).map_err(|e| e.to_string())?;
    let bytes = serde_json::to_vec(&json).map_err(|e| e.to_string())?;
    let mut staged = cli::Staged::default();
    staged.file(&a.out, &bytes)?;
    if let Some(m) = &a.mask {
        staged.file(m, png)?;
    }
    staged
        .commit()
        .map_err(|e| format!("{}: {e}", a.out.display()))?;
    Ok(format!(
        "{} -> {}: {n} features",
        a.image.display(),
        a.out.display()
    ))
}

fn main() -> ExitCode {
    let args = Args::parse();
    let secrets = cli::secrets(&[args.conn.api_key.as_deref()], &["FLOORPLAN_API_KEY"]);
    let result = run(&args, &secrets);
    cli::finish(&secrets, result)
}
