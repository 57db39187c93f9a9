//! Helpers shared by the example binaries (not an example itself).

#![allow(dead_code)] // each example uses a part

use std::path::Path;
use std::process::ExitCode;

/// The parsed arguments, or exit status 2 after printing the error (if any)
/// and the usage line.
pub fn args_or_usage<T>(parsed: Result<T, String>, usage: &str) -> Result<T, ExitCode> {
    parsed.map_err(|e| {
        if !e.is_empty() {
            eprintln!("error: {e}");
        }
        eprintln!("{usage}");
        ExitCode::from(2)
    })
}

/// Creates the folder an output file goes into.
#[allow(dead_code)] // not every example writes into folders
pub fn ensure_parent(path: &Path) -> std::io::Result<()> {
    match path.parent().filter(|d| !d.as_os_str().is_empty()) {
        Some(d) => std::fs::create_dir_all(d),
        None => Ok(()),
    }
}

/// Connection options every fetch example takes.
#[cfg(feature = "fetch")]
#[allow(dead_code)] // not every example uses every helper
#[derive(Debug, Default)]
pub struct Connection {
    /// `--base-url` (else the service's environment variable or default).
    pub base_url: Option<String>,
    /// `--api-key` (else the service's environment variable).
    pub api_key: Option<String>,
    /// `--timeout SECS` per request.
    pub timeout: Option<f64>,
}

#[cfg(feature = "fetch")]
#[allow(dead_code)]
impl Connection {
    /// Consumes `--base-url`, `--api-key` and `--timeout` from `args`
    /// (the value after each flag); returns the remaining arguments.
    pub fn take(args: Vec<String>) -> Result<(Self, Vec<String>), String> {
        let mut c = Self::default();
        let mut rest = Vec::new();
        let mut it = args.into_iter();
        while let Some(a) = it.next() {
            let mut value = |name: &str| it.next().ok_or_else(|| format!("{name} needs a value"));
            match a.as_str() {
                "--base-url" => c.base_url = Some(value("--base-url")?),
                "--api-key" => c.api_key = Some(value("--api-key")?),
                "--timeout" => {
                    let v = value("--timeout")?;
                    let t: f64 = v
                        .parse()
                        .map_err(|_| format!("--timeout: not a number: {v}"))?;
                    if !(t.is_finite() && t > 0.0) {
                        return Err(format!("--timeout: must be positive, got {v}"));
                    }
                    c.timeout = Some(t);
                }
                _ => rest.push(a),
            }
        }
        Ok((c, rest))
    }

    /// The key from `--api-key` or `env_var`.
    pub fn key(&self, env_var: &str) -> Result<secrecy::SecretString, String> {
        self.api_key
            .clone()
            .or_else(|| std::env::var(env_var).ok())
            .map(secrecy::SecretString::from)
            .ok_or_else(|| format!("no API key: pass --api-key or set {env_var}"))
    }

    /// The base URL from `--base-url`, `env_var`, or `default`.
    pub fn base(&self, env_var: &str, default: &str) -> String {
        self.base_url
            .clone()
            .or_else(|| std::env::var(env_var).ok())
            .unwrap_or_else(|| default.to_owned())
    }

    /// The transport with the per-request timeout (60 s by default).
    pub fn transport(&self) -> std::sync::Arc<planform::fetch::UreqTransport> {
        let t = std::time::Duration::from_secs_f64(self.timeout.unwrap_or(60.0));
        std::sync::Arc::new(planform::fetch::UreqTransport::new(t, 512 << 20))
    }
}

/// Runs `one` over `files` in parallel (rayon) with a progress bar. A
/// failure's message is printed above the bar and the file skipped; the
/// summary names `what` the files are; exit status 1 if any failed.
pub fn batch<F>(what: &str, files: &[std::path::PathBuf], one: F) -> ExitCode
where
    F: Fn(&Path) -> Result<(), String> + Sync,
{
    use rayon::prelude::*;
    use std::sync::atomic::{AtomicUsize, Ordering};
    let bar = indicatif::ProgressBar::new(files.len() as u64);
    let failed = AtomicUsize::new(0);
    files.par_iter().for_each(|f| {
        if let Err(message) = one(f) {
            bar.suspend(|| eprintln!("{message}"));
            failed.fetch_add(1, Ordering::Relaxed);
        }
        bar.inc(1);
    });
    bar.finish_and_clear();
    let failed = failed.into_inner();
    eprintln!(
        "{what}: {} files, {} written, {failed} failed",
        files.len(),
        files.len() - failed
    );
    if failed == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}

/// `dir/<stem of file>.<ext>`.
pub fn output_for(dir: &Path, file: &Path, ext: &str) -> std::path::PathBuf {
    let stem = file
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    dir.join(format!("{stem}.{ext}"))
}
