//! Writes a synthetic site plan of N features (for benchmarks and peers).
//!
//! `cargo run --release --example synth -- 10000 out/synthetic_10k.json`

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Parser;

#[path = "common/cli.rs"]
mod cli;

/// Writes a deterministic synthetic N-feature site plan.
#[derive(Parser)]
#[command(name = "synth", version)]
#[allow(
    clippy::doc_markdown,
    reason = "doc comments are the --help text, not rustdoc"
)]
struct Args {
    /// How many features
    #[arg(value_parser = clap::value_parser!(u64).range(1..=10_000_000))]
    n: u64,
    /// Output JSON
    out: PathBuf,
}

fn main() -> ExitCode {
    let args = Args::parse();
    let bytes = planform::synthetic::site_plan_json(args.n as usize);
    let written = cli::check_parent(&args.out)
        .map_err(|source| planform::model::ModelError::Io {
            path: args.out.clone(),
            source,
        })
        .and_then(|()| planform::model::io::write_atomic(&args.out, |w| w.write_all(&bytes)));
    match written {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(1)
        }
    }
}
