//! File helpers shared by every crate: size-limited reads and atomic writes.

use std::fs::{self, File, OpenOptions};
use std::io::{self, BufWriter, Read, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use crate::error::{ModelError, Result};

/// Reads a whole file, refusing (before reading) one larger than `limit` bytes.
pub fn read_limited(path: &Path, limit: u64) -> Result<Vec<u8>> {
    let io_err = |source| ModelError::Io {
        path: path.to_owned(),
        source,
    };
    let file = File::open(path).map_err(io_err)?;
    let size = file.metadata().map_err(io_err)?.len();
    if size > limit {
        return Err(ModelError::TooLarge {
            path: Some(path.to_owned()),
            size,
            limit,
        });
    }
    let mut bytes = Vec::with_capacity(size as usize);
    // `take` also guards files that grow while they are read.
    file.take(limit + 1)
        .read_to_end(&mut bytes)
        .map_err(io_err)?;
    if bytes.len() as u64 > limit {
        return Err(ModelError::TooLarge {
            path: Some(path.to_owned()),
            size: bytes.len() as u64,
            limit,
        });
    }
    Ok(bytes)
}

static COUNTER: AtomicU64 = AtomicU64::new(0);

fn temp_path(path: &Path) -> PathBuf {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    path.with_file_name(format!(".{name}.{}.{n}.tmp", std::process::id()))
}

/// Writes `path` atomically: `write` fills a temporary file in the same
/// folder, which is flushed, synced and renamed over `path` only when every
/// step succeeded. On failure the temporary file is removed and whatever was
/// at `path` before is untouched.
pub fn write_atomic<F>(path: &Path, write: F) -> Result<()>
where
    F: FnOnce(&mut dyn Write) -> io::Result<()>,
{
    let tmp = temp_path(path);
    let result = (|| {
        let file = OpenOptions::new().write(true).create_new(true).open(&tmp)?;
        let mut w = BufWriter::new(file);
        write(&mut w)?;
        let file = w.into_inner().map_err(io::IntoInnerError::into_error)?;
        file.sync_all()?;
        drop(file);
        fs::rename(&tmp, path)
    })();
    result.map_err(|source| {
        let _ = fs::remove_file(&tmp);
        ModelError::Io {
            path: path.to_owned(),
            source,
        }
    })
}

/// [`write_atomic`] for writers whose errors are not `io::Error`: the closure's
/// error is returned as is, and the temporary file is removed.
pub fn write_atomic_with<E, F>(path: &Path, write: F) -> std::result::Result<(), E>
where
    E: From<ModelError>,
    F: FnOnce(&mut dyn Write) -> std::result::Result<(), E>,
{
    let mut inner: Option<E> = None;
    let r = write_atomic(path, |w| {
        write(w).map_err(|e| {
            inner = Some(e);
            io::Error::other("writer failed")
        })
    });
    match (r, inner) {
        (_, Some(e)) => Err(e),
        (Err(e), None) => Err(e.into()),
        (Ok(()), None) => Ok(()),
    }
}

/// Like [`write_atomic_with`] for writers that need a path of their own
/// (SQLite databases): `write` creates the file at the temporary path it is
/// given (in the same folder, not existing yet), which is renamed over
/// `path` only when `write` succeeded; on failure it is removed and
/// whatever was at `path` is untouched.
pub fn replace_atomic<E, F>(path: &Path, write: F) -> std::result::Result<(), E>
where
    E: From<ModelError>,
    F: FnOnce(&Path) -> std::result::Result<(), E>,
{
    let tmp = temp_path(path);
    let cleanup = |tmp: &Path| {
        let _ = fs::remove_file(tmp);
        // SQLite's side files, if a crash left any
        for ext in ["-journal", "-wal", "-shm"] {
            let mut side = tmp.as_os_str().to_owned();
            side.push(ext);
            let _ = fs::remove_file(PathBuf::from(side));
        }
    };
    if let Err(e) = write(&tmp) {
        cleanup(&tmp);
        return Err(e);
    }
    let synced = File::open(&tmp).and_then(|f| f.sync_all());
    if let Err(source) = synced.and_then(|()| fs::rename(&tmp, path)) {
        cleanup(&tmp);
        return Err(ModelError::Io {
            path: path.to_owned(),
            source,
        }
        .into());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn failed_write_leaves_the_old_file_and_no_temp() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("out.json");
        fs::write(&p, b"old").unwrap();
        let r = write_atomic(&p, |w| {
            w.write_all(b"half")?;
            Err(io::Error::other("boom"))
        });
        assert!(r.is_err());
        assert_eq!(fs::read(&p).unwrap(), b"old");
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 1);
        write_atomic(&p, |w| w.write_all(b"new")).unwrap();
        assert_eq!(fs::read(&p).unwrap(), b"new");
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[test]
    fn replace_atomic_keeps_the_old_file_on_failure() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("out.gpkg");
        fs::write(&p, b"old").unwrap();
        let r: Result<()> = replace_atomic(&p, |tmp| {
            fs::write(tmp, b"half").unwrap();
            Err(ModelError::Write {
                message: "boom".into(),
            })
        });
        assert!(r.is_err());
        assert_eq!(fs::read(&p).unwrap(), b"old");
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 1);
        let r: Result<()> = replace_atomic(&p, |tmp| {
            assert!(!tmp.exists());
            fs::write(tmp, b"new").map_err(|source| ModelError::Io {
                path: tmp.to_owned(),
                source,
            })
        });
        r.unwrap();
        assert_eq!(fs::read(&p).unwrap(), b"new");
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[test]
    fn oversized_files_are_refused_before_reading() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("big.json");
        let f = File::create(&p).unwrap();
        f.set_len(200 * 1024 * 1024).unwrap(); // sparse: claims 200 MB
        let e = read_limited(&p, 1024).unwrap_err();
        assert!(
            matches!(e, ModelError::TooLarge { size, limit: 1024, .. } if size == 200 * 1024 * 1024)
        );
    }
}
