//! Generates a site plan for an address with GetSitePlan.ai and writes its
//! features (typed, validated) as GeoJSON (lossless), DXF, GeoPackage or
//! SVG, by OUT's extension (as the `convert` example writes them).
//!
//! ```text
//! cargo run --release --features fetch --example fetch_siteplan -- "5811 Rose Ct, Countryside, IL" OUT.{geojson,dxf,gpkg,svg} \
//!     [--types trees,fences] [--include parcel,building] [--job JOB_ID] [--pdf OUT.pdf] [--dxf OUT.dxf] \
//!     [--lenient] [--base-url URL] [--api-key KEY] [--timeout SECS] [--max-wait SECS]
//! ```
//!
//! Submitting costs 29 credits; `--job` resumes an earlier job instead (the
//! job id is printed as soon as the job is submitted, so a lost connection
//! never costs a second submission). Key and base URL default to
//! `GETSITEPLAN_TOKEN` and `GETSITEPLAN_BASE_URL`. The features are
//! validated as `convert` validates them (`--lenient` turns problems into
//! warnings). OUT, `--pdf` and `--dxf` are written together: when any of
//! them fails, none is written. Text from the server is printed with the
//! key redacted and control characters removed.

use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

use clap::Parser;

#[path = "common/cli.rs"]
mod cli;
#[path = "common/export.rs"]
mod export;

use planform::fetch::getsiteplan::DEFAULT_BASE_URL;
use planform::fetch::{FetchError, GetSitePlan, ThreadSleeper, WaitOptions};
use planform::model::FeatureFilter;

/// Generates a site plan with GetSitePlan.ai and writes its features.
#[derive(Parser)]
#[command(name = "fetch_siteplan", version)]
#[allow(
    clippy::doc_markdown,
    reason = "doc comments are the --help text, not rustdoc"
)]
struct Args {
    /// The street address to plan
    address: String,
    /// Output file; its extension picks the format (geojson, json, dxf, gpkg, svg)
    #[arg(value_parser = export::output_path)]
    out: PathBuf,
    /// Keep only these feature types (the service's `types`), comma-separated
    #[arg(long, value_name = "LIST")]
    types: Option<String>,
    /// Also return these members (the service's `include`), comma-separated
    #[arg(long, value_name = "LIST")]
    include: Option<String>,
    /// Resume this job instead of submitting (and paying for) a new one
    #[arg(long, value_name = "JOB_ID")]
    job: Option<String>,
    /// Also save the service's PDF here
    #[arg(long, value_name = "FILE")]
    pdf: Option<PathBuf>,
    /// Also save the service's DXF here
    #[arg(long, value_name = "FILE")]
    dxf: Option<PathBuf>,
    /// Report validation problems as warnings and write anyway
    #[arg(long)]
    lenient: bool,
    #[command(flatten)]
    conn: cli::Connection,
}

fn run(a: &Args, secrets: &[secrecy::SecretString]) -> Result<String, String> {
    let filter = FeatureFilter::parse(a.types.as_deref(), a.include.as_deref())
        .map_err(|e| e.to_string())?;
    for out in std::iter::once(&a.out).chain(&a.pdf).chain(&a.dxf) {
        cli::check_parent(out).map_err(|e| format!("{}: {e}", out.display()))?;
    }
    let key = a.conn.key("GETSITEPLAN_TOKEN")?;
    let base = a.conn.base("GETSITEPLAN_BASE_URL", DEFAULT_BASE_URL);
    let client = GetSitePlan::with_transport(
        key,
        &base,
        a.conn.transport(),
        a.conn.policy(),
        Arc::new(ThreadSleeper),
    )
    .map_err(|e| e.to_string())?;
    let job = if let Some(j) = &a.job {
        j.clone()
    } else {
        let j = client.submit(&a.address).map_err(|e| e.to_string())?;
        cli::say(
            secrets,
            &format!("submitted job {j} (resume with --job {j})"),
        );
        j
    };
    let resume = |e: FetchError| format!("{e} (resume with --job {job})");
    let wait = WaitOptions {
        interval: Duration::from_secs(5),
        timeout: a.conn.max_wait(),
    };
    let status = client.wait(&job, &wait).map_err(resume)?;
    let plan = client.features(&job, &filter).map_err(resume)?;
    let what = format!("job {job}'s features");
    export::validated(&plan, &what, a.lenient)?;
    // every download before anything is written
    let mut files = Vec::new();
    for (want, url, kind) in [
        (&a.pdf, &status.pdf_url, "PDF"),
        (&a.dxf, &status.dxf_url, "DXF"),
    ] {
        if let Some(path) = want {
            let url = url
                .as_ref()
                .ok_or_else(|| format!("job {job} has no {kind} link"))?;
            files.push((path, client.download(url).map_err(resume)?));
        }
    }
    let mut staged = cli::Staged::default();
    let tmp = staged.path_for(&a.out);
    export::write_plan(&plan, &tmp, &export::PlanOutput::for_path(&a.out))
        .map_err(|e| format!("{}: {e}", a.out.display()))?;
    for (path, body) in files {
        staged.file(path, &body)?;
    }
    staged
        .commit()
        .map_err(|e| format!("{}: {e}", a.out.display()))?;
    Ok(format!(
        "{}: {} features",
        a.out.display(),
        plan.features.len()
    ))
}

fn main() -> ExitCode {
    let args = Args::parse();
    let secrets = cli::secrets(&[args.conn.api_key.as_deref()], &["GETSITEPLAN_TOKEN"]);
    let result = run(&args, &secrets);
    cli::finish(&secrets, result)
}
