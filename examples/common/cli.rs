//! Helpers shared by the example binaries (not an example itself).

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
pub fn ensure_parent(path: &Path) -> std::io::Result<()> {
    match path.parent().filter(|d| !d.as_os_str().is_empty()) {
        Some(d) => std::fs::create_dir_all(d),
        None => Ok(()),
    }
}
