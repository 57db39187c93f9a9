//! Generates a site plan for an address with GetSitePlan.ai and writes its
//! features (typed, validated) as GeoJSON (lossless), DXF, GeoPackage or
//! SVG, by OUT's extension (as the `convert` example writes them).
//!
//! ```text
//! cargo run --release --features fetch --example fetch_siteplan -- "5811 Rose Ct, Countryside, IL" OUT.{geojson,dxf,gpkg,svg} \
//!     [--types trees,fences] [--include parcel,building] [--job JOB_ID] [--pdf OUT.pdf] [--dxf OUT.dxf] \
//!     [--base-url URL] [--api-key KEY] [--timeout SECS]
//! ```
//!
//! Submitting costs 29 credits; `--job` resumes an earlier job instead (the
//! job id is printed as soon as the job is submitted, so a lost connection
//! never costs a second submission). Key and base URL default to
//! `GETSITEPLAN_TOKEN` and `GETSITEPLAN_BASE_URL`. `--dxf` saves the
//! service's own DXF beside planform's output.

use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

#[path = "common/cli.rs"]
mod cli;
#[path = "common/export.rs"]
mod export;

use planform::fetch::getsiteplan::DEFAULT_BASE_URL;
use planform::fetch::{GetSitePlan, JobState, RetryPolicy, ThreadSleeper};
use planform::model::FeatureFilter;

const USAGE: &str = "usage: fetch_siteplan ADDRESS OUT.{geojson,dxf,gpkg,svg} [--types LIST] [--include LIST] [--job JOB_ID] \
                     [--pdf OUT.pdf] [--dxf OUT.dxf] [--base-url URL] [--api-key KEY] [--timeout SECS]";

struct Args {
    address: String,
    out: std::path::PathBuf,
    types: Option<String>,
    include: Option<String>,
    job: Option<String>,
    pdf: Option<std::path::PathBuf>,
    dxf: Option<std::path::PathBuf>,
    conn: cli::Connection,
}

fn parse() -> Result<Args, String> {
    let (conn, rest) = cli::Connection::take(std::env::args().skip(1).collect())?;
    let (mut pos, mut types, mut include, mut job, mut pdf, mut dxf) =
        (Vec::new(), None, None, None, None, None);
    let mut it = rest.into_iter();
    while let Some(a) = it.next() {
        let mut value = |n: &str| it.next().ok_or_else(|| format!("{n} needs a value"));
        match a.as_str() {
            "--types" => types = Some(value("--types")?),
            "--include" => include = Some(value("--include")?),
            "--job" => job = Some(value("--job")?),
            "--pdf" => pdf = Some(value("--pdf")?.into()),
            "--dxf" => dxf = Some(value("--dxf")?.into()),
            "-h" | "--help" => return Err(String::new()),
            s if s.starts_with("--") => return Err(format!("unknown option {s}")),
            _ => pos.push(a),
        }
    }
    let [address, out] = <[String; 2]>::try_from(pos)
        .map_err(|p| format!("expected ADDRESS and OUT, got {} argument(s)", p.len()))?;
    let path = std::path::Path::new(&out);
    export::check_format(&export::format_of(path), path)?;
    Ok(Args {
        address,
        out: out.into(),
        types,
        include,
        job,
        pdf,
        dxf,
        conn,
    })
}

fn run(a: &Args) -> Result<usize, String> {
    let filter = FeatureFilter::parse(a.types.as_deref(), a.include.as_deref())
        .map_err(|e| e.to_string())?;
    let key = a.conn.key("GETSITEPLAN_TOKEN")?;
    let base = a.conn.base("GETSITEPLAN_BASE_URL", DEFAULT_BASE_URL);
    let client = GetSitePlan::with_transport(
        key,
        &base,
        a.conn.transport(),
        RetryPolicy::default(),
        Arc::new(ThreadSleeper),
    )
    .map_err(|e| e.to_string())?;
    let job = if let Some(j) = &a.job {
        j.clone()
    } else {
        let j = client.submit(&a.address).map_err(|e| e.to_string())?;
        eprintln!("submitted job {j} (resume with --job {j})");
        j
    };
    let status = loop {
        let st = client.status(&job).map_err(|e| e.to_string())?;
        eprintln!("job {job}: {:?}", st.state);
        match st.state {
            JobState::Ready => break st,
            JobState::Failed => {
                return Err(format!(
                    "job {job} failed: {}",
                    st.error.unwrap_or_default()
                ));
            }
            _ => std::thread::sleep(Duration::from_secs(5)),
        }
    };
    let plan = client.features(&job, &filter).map_err(|e| e.to_string())?;
    cli::ensure_parent(&a.out).map_err(|e| format!("{}: {e}", a.out.display()))?;
    export::write_plan(&plan, &a.out, &export::PlanOutput::for_path(&a.out))
        .map_err(|e| format!("{}: {e}", a.out.display()))?;
    for (want, url, what) in [
        (&a.pdf, &status.pdf_url, "PDF"),
        (&a.dxf, &status.dxf_url, "DXF"),
    ] {
        if let Some(path) = want {
            let url = url
                .as_ref()
                .ok_or_else(|| format!("the job has no {what} link"))?;
            let body = client.download(url).map_err(|e| e.to_string())?;
            planform::model::io::write_atomic(path, |w| w.write_all(&body))
                .map_err(|e| e.to_string())?;
        }
    }
    Ok(plan.features.len())
}

fn main() -> ExitCode {
    let args = match cli::args_or_usage(parse(), USAGE) {
        Ok(a) => a,
        Err(code) => return code,
    };
    match run(&args) {
        Ok(n) => {
            eprintln!("{}: {n} features", args.out.display());
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(1)
        }
    }
}
