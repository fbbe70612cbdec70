//! Crash-safe files: atomic writes (a temp file in the same folder, fsync, rename, fsync the
//! folder), the vault's advisory lock, and the clean-up of temp files a crash left behind.

use std::fs::{self, File, OpenOptions, TryLockError};
use std::io::Write as _;
use std::os::unix::fs::{OpenOptionsExt as _, PermissionsExt as _};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use crate::error::VaultError;

/// The mode of keys and vault files: owner only.
pub(crate) const FILE_MODE: u32 = 0o600;
/// The mode of vault folders: owner only.
pub(crate) const DIR_MODE: u32 = 0o700;

/// How long a run waits for another one holding the lock.
pub(crate) const LOCK_TIMEOUT: Duration = Duration::from_mins(1);

/// The infix of temp files: `.<name>.tmp-<pid>-<n>`.
const TEMP_INFIX: &str = ".tmp-";

static TEMP_COUNTER: AtomicU64 = AtomicU64::new(0);

/// Writes `bytes` to `path` so that a crash leaves the old or the new content: a temp file in
/// the same folder (mode `mode`), fsynced, renamed over `path`, then the folder fsynced.
pub(crate) fn write_atomic(path: &Path, bytes: &[u8], mode: u32) -> Result<(), VaultError> {
    let dir = path.parent().unwrap_or(Path::new("."));
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let temp = dir.join(format!(
        ".{name}{TEMP_INFIX}{}-{}",
        std::process::id(),
        TEMP_COUNTER.fetch_add(1, Ordering::Relaxed)
    ));
    let result = (|| {
        let mut file = OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(mode)
            .open(&temp)
            .map_err(|e| VaultError::io("create", &temp, e))?;
        file.write_all(bytes)
            .and_then(|()| file.sync_all())
            .map_err(|e| VaultError::io("write", &temp, e))?;
        fs::rename(&temp, path).map_err(|e| VaultError::io("rename a temp file to", path, e))?;
        sync_dir(dir)
    })();
    if result.is_err() {
        let _ = fs::remove_file(&temp);
    }
    result
}

/// Fsyncs a folder so that the renames and creations in it are durable.
pub(crate) fn sync_dir(dir: &Path) -> Result<(), VaultError> {
    File::open(dir)
        .and_then(|d| d.sync_all())
        .map_err(|e| VaultError::io("fsync", dir, e))
}

/// Creates a folder with mode `0700` (and its missing parents with the default mode).
pub(crate) fn create_dir(dir: &Path) -> Result<(), VaultError> {
    fs::create_dir_all(dir).map_err(|e| VaultError::io("create", dir, e))?;
    fs::set_permissions(dir, fs::Permissions::from_mode(DIR_MODE))
        .map_err(|e| VaultError::io("set the mode of", dir, e))
}

/// Removes the temp files a crashed run left in `dir` (never called while another run may
/// write: the caller holds the exclusive lock). Returns the files removed.
pub(crate) fn remove_stale_temps(dir: &Path) -> Result<Vec<PathBuf>, VaultError> {
    let entries = match fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(VaultError::io("list", dir, e)),
    };
    let mut removed = Vec::new();
    for entry in entries {
        let entry = entry.map_err(|e| VaultError::io("list", dir, e))?;
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.starts_with('.') && name.contains(TEMP_INFIX) {
            let path = entry.path();
            fs::remove_file(&path).map_err(|e| VaultError::io("remove", &path, e))?;
            removed.push(path);
        }
    }
    Ok(removed)
}

/// Reads a whole file.
pub(crate) fn read(path: &Path) -> Result<Vec<u8>, VaultError> {
    fs::read(path).map_err(|e| VaultError::io("read", path, e))
}

/// The vault's advisory lock (`flock` on `<vault>/.lock`): exclusive for every run that
/// writes, shared for runs that only read, so that concurrent runs serialise. Released when
/// dropped (closing the file releases the lock).
#[derive(Debug)]
pub(crate) struct VaultLock {
    _file: File,
}

impl VaultLock {
    /// Takes the exclusive lock, waiting up to [`LOCK_TIMEOUT`].
    pub(crate) fn exclusive(path: &Path) -> Result<Self, VaultError> {
        Self::acquire(path, true, LOCK_TIMEOUT)
    }

    /// Takes a shared lock, waiting up to [`LOCK_TIMEOUT`].
    pub(crate) fn shared(path: &Path) -> Result<Self, VaultError> {
        Self::acquire(path, false, LOCK_TIMEOUT)
    }

    fn acquire(path: &Path, exclusive: bool, timeout: Duration) -> Result<Self, VaultError> {
        let file = OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .mode(FILE_MODE)
            .open(path)
            .map_err(|e| VaultError::io("open the lock file", path, e))?;
        let started = Instant::now();
        loop {
            let attempt = if exclusive {
                file.try_lock()
            } else {
                file.try_lock_shared()
            };
            match attempt {
                Ok(()) => return Ok(Self { _file: file }),
                Err(TryLockError::WouldBlock) if started.elapsed() < timeout => {
                    std::thread::sleep(Duration::from_millis(10));
                }
                Err(TryLockError::WouldBlock) => {
                    return Err(VaultError::Locked {
                        path: path.to_path_buf(),
                        waited: started.elapsed(),
                    });
                }
                Err(TryLockError::Error(e)) => return Err(VaultError::io("lock", path, e)),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    #[test]
    fn an_atomic_write_replaces_the_file_with_the_mode_and_leaves_no_temp_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("index.json");
        write_atomic(&path, b"old", FILE_MODE).unwrap();
        write_atomic(&path, b"new", FILE_MODE).unwrap();
        assert_eq!(fs::read(&path).unwrap(), b"new");
        assert_eq!(
            fs::metadata(&path).unwrap().permissions().mode() & 0o777,
            0o600
        );
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[test]
    fn stale_temp_files_are_removed_and_other_files_kept() {
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join(".index.json.tmp-1-0"), b"torn").unwrap();
        fs::write(dir.path().join("index.json"), b"{}").unwrap();
        let removed = remove_stale_temps(dir.path()).unwrap();
        assert_eq!(removed, vec![dir.path().join(".index.json.tmp-1-0")]);
        assert!(dir.path().join("index.json").exists());
    }

    #[test]
    fn a_second_exclusive_lock_waits_and_then_reports_the_lock_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(".lock");
        let held = VaultLock::exclusive(&path).unwrap();
        let err = VaultLock::acquire(&path, true, Duration::from_millis(50)).unwrap_err();
        assert!(matches!(err, VaultError::Locked { ref path, .. } if path.ends_with(".lock")));
        assert!(VaultLock::acquire(&path, false, Duration::from_millis(50)).is_err());
        drop(held);
        let shared = VaultLock::shared(&path).unwrap();
        assert!(VaultLock::acquire(&path, false, Duration::from_millis(50)).is_ok());
        drop(shared);
    }
}
