//! Helpers shared by the example binaries (not an example itself).

#![allow(dead_code)] // each example uses a part

use std::path::Path;
use std::process::ExitCode;

/// Fails unless the folder `path` goes into exists, as ogr2ogr does: a
/// mistyped folder is an error, not a new folder.
pub fn check_parent(path: &Path) -> std::io::Result<()> {
    match path.parent().filter(|d| !d.as_os_str().is_empty()) {
        Some(d) if !d.is_dir() => Err(std::io::Error::new(
            std::io::ErrorKind::NotFound,
            format!("folder {} does not exist", d.display()),
        )),
        _ => Ok(()),
    }
}

/// A batch's output folder: created when missing, but only inside a
/// folder that exists.
pub fn batch_dir(dir: &Path) -> std::io::Result<()> {
    check_parent(dir)?;
    if dir.is_dir() {
        Ok(())
    } else {
        std::fs::create_dir(dir)
    }
}

/// What a wall mask is vectorized into.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Mode {
    /// Wall polygons, pixel-faithful
    Outline,
    /// Wall centrelines with thickness
    #[value(alias = "centreline")]
    Centerline,
}

/// A clap value parser for a positive, finite number.
pub fn positive(v: &str) -> Result<f64, String> {
    v.parse::<f64>()
        .ok()
        .filter(|x| x.is_finite() && *x > 0.0)
        .ok_or_else(|| format!("expected a positive number, got {v}"))
}

/// A clap value parser for an output path that must end in `.geojson` or
/// `.json` (the only format the example writes).
pub fn geojson_path(v: &str) -> Result<std::path::PathBuf, String> {
    let p = std::path::PathBuf::from(v);
    match p
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
    {
        Some(e) if e == "geojson" || e == "json" => Ok(p),
        _ => Err(format!(
            "{v}: writes GeoJSON only (name it .geojson or .json; convert writes DXF, GPKG, SVG)"
        )),
    }
}

/// Reads a mask, warning on stderr when the image does not look like a
/// 0/255 wall mask (a plan image given where its mask was meant).
pub fn read_mask(path: &Path) -> Result<planform::walls::Mask, planform::walls::WallsError> {
    let (mask, tonality) =
        planform::walls::read_mask_reporting(path, &planform::walls::DecodeOptions::default())?;
    warn_unless_binary(&path.display().to_string(), tonality);
    Ok(mask)
}

/// Decodes a mask from bytes, warning as [`read_mask`] does.
pub fn decode_mask(
    bytes: &[u8],
    what: &str,
) -> Result<planform::walls::Mask, planform::walls::WallsError> {
    let (mask, tonality) =
        planform::walls::decode_mask_reporting(bytes, &planform::walls::DecodeOptions::default())?;
    warn_unless_binary(what, tonality);
    Ok(mask)
}

fn warn_unless_binary(what: &str, t: planform::walls::Tonality) {
    if !t.looks_binary() {
        eprintln!(
            "warning: {what}: {:.0}% of its pixels are grey, not 0 or 255: this does not look like a wall mask \
             (a plan image? the Floor Plan API turns a plan into its mask)",
            t.midtone_fraction * 100.0
        );
    }
}

/// A mask vectorized as `mode` says, with default options: the GeoJSON
/// contract and the number of features.
pub fn vectorize_mask(
    mask: &planform::walls::Mask,
    mode: Mode,
    options: &planform::walls::output::OutputOptions,
) -> Result<(serde_json::Value, usize), planform::walls::WallsError> {
    use planform::walls::{centerline, outline, output};
    Ok(match mode {
        Mode::Centerline => {
            let c = centerline::centerlines(mask, &centerline::CenterlineOptions::default())?;
            (output::centerlines_geojson(&c, options)?, c.walls.len())
        }
        Mode::Outline => {
            let o = outline::outlines(mask, &outline::OutlineOptions::default())?;
            (output::outlines_geojson(&o, options)?, o.polygons.len())
        }
    })
}

/// Connection options every fetch example takes (`#[command(flatten)]`).
#[cfg(feature = "fetch")]
#[derive(Debug, clap::Args)]
pub struct Connection {
    /// The service's base URL [default: the service's environment variable, else its public URL]
    #[arg(long, value_name = "URL")]
    pub base_url: Option<String>,
    /// The API key [default: the service's environment variable]
    #[arg(long, value_name = "KEY")]
    pub api_key: Option<String>,
    /// Seconds one HTTP request may take
    #[arg(long, value_name = "SECS", default_value_t = 60.0, value_parser = positive_seconds)]
    pub timeout: f64,
    /// Seconds to wait for a job before giving up (its id is printed, to resume with)
    #[arg(long, value_name = "SECS", default_value_t = 900.0, value_parser = positive_seconds)]
    pub max_wait: f64,
}

/// A positive, finite number of seconds (at most a year).
#[cfg(feature = "fetch")]
pub fn positive_seconds(v: &str) -> Result<f64, String> {
    v.parse::<f64>()
        .ok()
        .filter(|t| t.is_finite() && *t > 0.0 && *t <= 31_536_000.0)
        .ok_or_else(|| format!("expected seconds between 0 and a year, got {v}"))
}

#[cfg(feature = "fetch")]
impl Connection {
    /// The key from `--api-key` or `env_var`.
    pub fn key(&self, env_var: &str) -> Result<secrecy::SecretString, String> {
        self.api_key
            .clone()
            .or_else(|| std::env::var(env_var).ok())
            .filter(|k| !k.is_empty())
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

    /// The transport with the per-request timeout.
    pub fn transport(&self) -> std::sync::Arc<planform::fetch::UreqTransport> {
        let t = std::time::Duration::from_secs_f64(self.timeout);
        std::sync::Arc::new(planform::fetch::UreqTransport::new(t, 512 << 20))
    }

    /// The retry policy: the default, with no single wait longer than
    /// `--max-wait` (a server asking for 30 s between retries does not
    /// outlast the user's limit).
    pub fn policy(&self) -> planform::fetch::RetryPolicy {
        let default = planform::fetch::RetryPolicy::default();
        planform::fetch::RetryPolicy {
            max_delay: default.max_delay.min(self.max_wait()),
            ..default
        }
    }

    /// `--max-wait` as a duration.
    pub fn max_wait(&self) -> std::time::Duration {
        std::time::Duration::from_secs_f64(self.max_wait)
    }
}

/// Every key this run may have sent (`--api-key` and the named environment
/// variables), for redacting printed text.
#[cfg(feature = "fetch")]
pub fn secrets(api_keys: &[Option<&str>], env_vars: &[&str]) -> Vec<secrecy::SecretString> {
    api_keys
        .iter()
        .flatten()
        .map(|k| (*k).to_owned())
        .chain(env_vars.iter().filter_map(|v| std::env::var(v).ok()))
        .map(secrecy::SecretString::from)
        .collect()
}

/// Prints `text` (which may hold a server's words) to stderr with every
/// secret redacted and control characters removed.
#[cfg(feature = "fetch")]
pub fn say(secrets: &[secrecy::SecretString], text: &str) {
    let refs: Vec<&secrecy::SecretString> = secrets.iter().collect();
    eprintln!("{}", planform::fetch::sanitize::sanitize(text, &refs));
}

/// Ends a fetch example: `error: ...` (sanitized) and exit status 1 on failure.
#[cfg(feature = "fetch")]
pub fn finish(secrets: &[secrecy::SecretString], result: Result<String, String>) -> ExitCode {
    match result {
        Ok(done) => {
            say(secrets, &done);
            ExitCode::SUCCESS
        }
        Err(e) => {
            say(secrets, &format!("error: {e}"));
            ExitCode::from(1)
        }
    }
}

/// Files written together: each is staged beside its destination and all
/// are renamed into place only when every one was staged, so a failure
/// leaves none of them written (and what was there before untouched).
#[derive(Default)]
pub struct Staged {
    files: Vec<(std::path::PathBuf, std::path::PathBuf)>,
}

impl Staged {
    /// A staging path for `dest` (in its folder, not existing yet); the
    /// caller writes it, and [`Staged::commit`] renames it to `dest`.
    pub fn path_for(&mut self, dest: &Path) -> std::path::PathBuf {
        let name = dest
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let tmp = dest.with_file_name(format!(
            ".{name}.{}.{}.staged",
            std::process::id(),
            self.files.len()
        ));
        self.files.push((tmp.clone(), dest.to_owned()));
        tmp
    }

    /// Stages `body` for `dest` (an error names `dest`).
    pub fn file(&mut self, dest: &Path, body: &[u8]) -> Result<(), String> {
        let tmp = self.path_for(dest);
        std::fs::write(&tmp, body).map_err(|e| format!("{}: {e}", dest.display()))
    }

    /// Renames every staged file into place.
    pub fn commit(mut self) -> std::io::Result<()> {
        let files = std::mem::take(&mut self.files);
        for (i, (tmp, dest)) in files.iter().enumerate() {
            if let Err(e) = std::fs::rename(tmp, dest) {
                for (t, _) in &files[i..] {
                    let _ = std::fs::remove_file(t);
                }
                return Err(e);
            }
        }
        Ok(())
    }
}

impl Drop for Staged {
    fn drop(&mut self) {
        for (tmp, _) in &self.files {
            let _ = std::fs::remove_file(tmp);
        }
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
