//! Writes a synthetic site plan of N features (for benchmarks and peers).
//!
//! `cargo run --release --example synth -- 10000 out/synthetic_10k.json`

use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (Some(n), Some(out)) = (
        args.first().and_then(|n| n.parse::<usize>().ok()),
        args.get(1),
    ) else {
        eprintln!("usage: synth N OUT.json");
        return ExitCode::from(2);
    };
    let bytes = planform::synthetic::site_plan_json(n);
    match planform::model::io::write_atomic(std::path::Path::new(out), |w| w.write_all(&bytes)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(1)
        }
    }
}
