//! Generates a house plan with ideal.house from a design brief, downloads
//! the composite image, and (with `--walls`) sends it to the Floor Plan API
//! and vectorizes the walls.
//!
//! ```text
//! cargo run --release --features fetch --example house_plan -- BRIEF.json OUT_DIR [--walls] [--task TASK_ID] \
//!     [--base-url URL] [--api-key KEY] [--timeout SECS]
//! ```
//!
//! BRIEF.json is the request body the ideal.house document shows; it is
//! validated field by field before anything is sent (a task costs 10 or 20
//! credits). Key and base URL default to `IDEALHOUSE_API_KEY` and
//! `IDEALHOUSE_BASE_URL`; `--walls` uses `FLOORPLAN_API_KEY` and
//! `FLOORPLAN_BASE_URL`. Writes `OUT_DIR/house_plan.<ext>` and, with
//! `--walls`, `OUT_DIR/walls.geojson`.

use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

#[path = "common/cli.rs"]
mod cli;

use planform::fetch::floorplan::Image;
use planform::fetch::idealhouse::DEFAULT_BASE_URL;
use planform::fetch::{
    FloorPlanApi, HousePlanBrief, IdealHouse, RetryPolicy, TaskId, ThreadSleeper,
};
use planform::walls::outline::{OutlineOptions, outlines};
use planform::walls::output::{OutputOptions, outlines_geojson};
use planform::walls::{DecodeOptions, decode_mask};

const USAGE: &str = "usage: house_plan BRIEF.json OUT_DIR [--walls] [--task TASK_ID] [--base-url URL] [--api-key KEY] [--timeout SECS]";

struct Args {
    brief: std::path::PathBuf,
    out_dir: std::path::PathBuf,
    walls: bool,
    task: Option<String>,
    conn: cli::Connection,
}

fn parse() -> Result<Args, String> {
    let (conn, rest) = cli::Connection::take(std::env::args().skip(1).collect())?;
    let (mut pos, mut walls, mut task) = (Vec::new(), false, None);
    let mut it = rest.into_iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--walls" => walls = true,
            "--task" => task = Some(it.next().ok_or("--task needs a value")?),
            "-h" | "--help" => return Err(String::new()),
            s if s.starts_with("--") => return Err(format!("unknown option {s}")),
            _ => pos.push(a),
        }
    }
    let [brief, out_dir] = <[String; 2]>::try_from(pos)
        .map_err(|p| format!("expected BRIEF and OUT_DIR, got {} argument(s)", p.len()))?;
    Ok(Args {
        brief: brief.into(),
        out_dir: out_dir.into(),
        walls,
        task,
        conn,
    })
}

fn run(a: &Args) -> Result<(), String> {
    let text = std::fs::read(&a.brief).map_err(|e| format!("{}: {e}", a.brief.display()))?;
    let brief: HousePlanBrief =
        serde_json::from_slice(&text).map_err(|e| format!("{}: {e}", a.brief.display()))?;
    brief
        .validate()
        .map_err(|e| format!("{}: {e}", a.brief.display()))?;
    let key = a.conn.key("IDEALHOUSE_API_KEY")?;
    let base = a.conn.base("IDEALHOUSE_BASE_URL", DEFAULT_BASE_URL);
    let client = IdealHouse::with_transport(
        key,
        &base,
        a.conn.transport(),
        RetryPolicy::default(),
        Arc::new(ThreadSleeper),
    )
    .map_err(|e| e.to_string())?;
    let task = if let Some(t) = &a.task {
        TaskId(t.clone())
    } else {
        let t = client.create(&brief).map_err(|e| e.to_string())?;
        eprintln!("created task {t} (resume with --task {t})");
        t
    };
    let output = loop {
        let t = client.result(&task).map_err(|e| e.to_string())?;
        eprintln!("task {task}: {} {}%", t.status, t.percentage.unwrap_or(0));
        match (t.status.as_str(), t.output) {
            ("Success", Some(o)) => break o,
            ("Failed" | "Termination", _) => {
                return Err(format!("task {task} ended: {}", t.status));
            }
            _ => std::thread::sleep(Duration::from_secs(4)),
        }
    };
    let image = client
        .download(&output.result_url)
        .map_err(|e| e.to_string())?;
    std::fs::create_dir_all(&a.out_dir).map_err(|e| format!("{}: {e}", a.out_dir.display()))?;
    let img = Image::from_bytes(image.clone(), "house_plan").map_err(|e| e.to_string())?;
    let ext = img
        .content_type()
        .rsplit('/')
        .next()
        .unwrap_or("img")
        .replace("jpeg", "jpg");
    let img_path = a.out_dir.join(format!("house_plan.{ext}"));
    planform::model::io::write_atomic(&img_path, |w| w.write_all(&image))
        .map_err(|e| e.to_string())?;
    eprintln!("wrote {}", img_path.display());
    if a.walls {
        let fp = FloorPlanApi::from_env().map_err(|e| e.to_string())?;
        let mask = fp.extract(&img).map_err(|e| e.to_string())?;
        let m = decode_mask(mask.wall_mask_png(), &DecodeOptions::default())
            .map_err(|e| e.to_string())?;
        let o = outlines(&m, &OutlineOptions::default()).map_err(|e| e.to_string())?;
        let json = outlines_geojson(&o, &OutputOptions::default()).map_err(|e| e.to_string())?;
        let bytes = serde_json::to_vec(&json).map_err(|e| e.to_string())?;
        let walls = a.out_dir.join("walls.geojson");
        planform::model::io::write_atomic(&walls, |w| w.write_all(&bytes))
            .map_err(|e| e.to_string())?;
        eprintln!(
            "wrote {} ({} wall polygons)",
            walls.display(),
            o.polygons.len()
        );
    }
    Ok(())
}

fn main() -> ExitCode {
    let args = match cli::args_or_usage(parse(), USAGE) {
        Ok(a) => a,
        Err(code) => return code,
    };
    match run(&args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(1)
        }
    }
}
