//! Generates a house plan with ideal.house from a design brief, downloads
//! the composite image, and (with `--walls`) sends it to the Floor Plan API
//! and vectorizes the walls.
//!
//! ```text
//! cargo run --release --features fetch --example house_plan -- BRIEF.json OUT_DIR [--walls] [--task TASK_ID] \
//!     [--base-url URL] [--api-key KEY] [--timeout SECS] [--max-wait SECS] \
//!     [--walls-base-url URL] [--walls-api-key KEY] [--mode outline|centerline]
//! ```
//!
//! BRIEF.json is the request body the ideal.house document shows; it is
//! validated field by field before anything is sent (a task costs 10 or 20
//! credits). Key and base URL default to `IDEALHOUSE_API_KEY` and
//! `IDEALHOUSE_BASE_URL`; the Floor Plan API step (`--walls`) takes
//! `--walls-base-url`/`--walls-api-key`, else `FLOORPLAN_API_KEY` and
//! `FLOORPLAN_BASE_URL`, and the same `--timeout` and `--max-wait`. Writes
//! `OUT_DIR/house_plan.<ext>` and, with `--walls`, `OUT_DIR/walls.geojson`,
//! together: when a step fails, neither is written.

use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

use clap::Parser;

#[path = "common/cli.rs"]
mod cli;

use planform::fetch::floorplan::Image;
use planform::fetch::idealhouse::DEFAULT_BASE_URL;
use planform::fetch::{FloorPlanApi, HousePlanBrief, IdealHouse, TaskId, ThreadSleeper};
use planform::walls::output::OutputOptions;

/// ideal.house: design brief in, house-plan image out (and its walls).
#[derive(Parser)]
#[command(name = "house_plan", version)]
#[allow(
    clippy::doc_markdown,
    reason = "doc comments are the --help text, not rustdoc"
)]
struct Args {
    /// The design brief (the request body of ideal.house's document)
    brief: PathBuf,
    /// The folder to write into (it must exist or its parent must)
    out_dir: PathBuf,
    /// Also extract and vectorize the plan's walls with the Floor Plan API
    #[arg(long)]
    walls: bool,
    /// Wall polygons (outline) or centrelines with thickness (centerline), with --walls
    #[arg(long, value_enum, default_value_t = cli::Mode::Outline)]
    mode: cli::Mode,
    /// Resume this task instead of creating (and paying for) a new one
    #[arg(long, value_name = "TASK_ID")]
    task: Option<String>,
    /// The Floor Plan API's base URL [default: FLOORPLAN_BASE_URL, else its public URL]
    #[arg(long, value_name = "URL")]
    walls_base_url: Option<String>,
    /// The Floor Plan API key [default: FLOORPLAN_API_KEY]
    #[arg(long, value_name = "KEY")]
    walls_api_key: Option<String>,
    #[command(flatten)]
    conn: cli::Connection,
}

fn floor_plan_api(a: &Args) -> Result<FloorPlanApi, String> {
    let conn = cli::Connection {
        base_url: a.walls_base_url.clone(),
        api_key: a.walls_api_key.clone(),
        ..a.conn
    };
    FloorPlanApi::with_transport(
        conn.key("FLOORPLAN_API_KEY")?,
        &conn.base(
            "FLOORPLAN_BASE_URL",
            planform::fetch::floorplan::DEFAULT_BASE_URL,
        ),
        conn.transport(),
        conn.policy(),
        Arc::new(ThreadSleeper),
    )
    .map(|api| api.with_max_wait(conn.max_wait()))
    .map_err(|e| e.to_string())
}

fn run(a: &Args, secrets: &[secrecy::SecretString]) -> Result<String, String> {
    let text = std::fs::read(&a.brief).map_err(|e| format!("{}: {e}", a.brief.display()))?;
    let brief: HousePlanBrief =
        serde_json::from_slice(&text).map_err(|e| format!("{}: {e}", a.brief.display()))?;
    brief
        .validate()
        .map_err(|e| format!("{}: {e}", a.brief.display()))?;
    cli::batch_dir(&a.out_dir).map_err(|e| format!("{}: {e}", a.out_dir.display()))?;
    // the Floor Plan API's key is checked before ideal.house is paid
    let walls_api = if a.walls {
        Some(floor_plan_api(a)?)
    } else {
        None
    };
    let key = a.conn.key("IDEALHOUSE_API_KEY")?;
    let base = a.conn.base("IDEALHOUSE_BASE_URL", DEFAULT_BASE_URL);
    let client = IdealHouse::with_transport(
        key,
        &base,
        a.conn.transport(),
        a.conn.policy(),
        Arc::new(ThreadSleeper),
    )
    .map_err(|e| e.to_string())?;
    let task = if let Some(t) = &a.task {
        TaskId(t.clone())
    } else {
        let t = client.create(&brief).map_err(|e| e.to_string())?;
        cli::say(
            secrets,
            &format!("created task {t} (resume with --task {t})"),
        );
        t
    };
    let resume = |e: planform::fetch::FetchError| format!("{e} (resume with --task {task})");
    let output = client
        .wait(&task, Duration::from_secs(4), a.conn.max_wait())
        .map_err(resume)?;
    let image = client.download(&output.result_url).map_err(resume)?;
    let img = Image::from_bytes(image.clone(), "house_plan").map_err(|e| e.to_string())?;
    let ext = img
        .content_type()
        .rsplit('/')
        .next()
        .unwrap_or("img")
        .replace("jpeg", "jpg");
    let img_path = a.out_dir.join(format!("house_plan.{ext}"));
    let mut files = vec![(img_path, image)];
    if let Some(fp) = walls_api {
        let mask = fp.extract(&img).map_err(|e| e.to_string())?;
        let m = cli::decode_mask(mask.wall_mask_png(), "the returned mask")
            .map_err(|e| format!("the returned mask: {e}"))?;
        let (json, n) = cli::vectorize_mask(&m, a.mode, &OutputOptions::default())
            .map_err(|e| e.to_string())?;
        let bytes = serde_json::to_vec(&json).map_err(|e| e.to_string())?;
        cli::say(secrets, &format!("{n} walls"));
        files.push((a.out_dir.join("walls.geojson"), bytes));
    }
    let mut staged = cli::Staged::default();
    for (path, body) in &files {
        staged.file(path, body)?;
    }
    staged
        .commit()
        .map_err(|e| format!("{}: {e}", a.out_dir.display()))?;
    let names: Vec<String> = files.iter().map(|(p, _)| p.display().to_string()).collect();
    Ok(format!("wrote {}", names.join(", ")))
}

fn main() -> ExitCode {
    let args = Args::parse();
    let secrets = cli::secrets(
        &[args.conn.api_key.as_deref(), args.walls_api_key.as_deref()],
        &["IDEALHOUSE_API_KEY", "FLOORPLAN_API_KEY"],
    );
    let result = run(&args, &secrets);
    cli::finish(&secrets, result)
}
