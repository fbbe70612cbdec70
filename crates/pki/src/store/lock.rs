//! The advisory lock in the store root: serialises writers across processes (cert-agent and
//! the application may share one volume) and keeps readers away from half-applied updates.

use std::fs::{File, OpenOptions, TryLockError};
use std::io::ErrorKind;
use std::os::unix::fs::OpenOptionsExt;
use std::path::Path;
use std::time::{Duration, Instant};

use super::StoreError;

/// How long a writer waits for another writer before giving up.
const LOCK_TIMEOUT: Duration = Duration::from_secs(30);

/// A held lock; released on drop (closing the file releases a `flock`).
#[derive(Debug)]
pub(crate) struct StoreLock {
    _file: Option<File>,
}

impl StoreLock {
    /// Takes the exclusive (writer) lock, waiting up to 30 s.
    pub(crate) fn exclusive(path: &Path) -> Result<Self, StoreError> {
        Self::acquire(path, true)
    }

    /// Takes a shared (reader) lock, waiting up to 30 s.
    pub(crate) fn shared(path: &Path) -> Result<Self, StoreError> {
        Self::acquire(path, false)
    }

    fn acquire(path: &Path, exclusive: bool) -> Result<Self, StoreError> {
        let file = match OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .mode(0o600)
            .open(path)
        {
            Ok(file) => file,
            // A store on a read-only mount (a ConfigMap, a secret) has no writers to wait
            // for: readers go ahead without the lock. Writers report the read-only store.
            Err(e)
                if !exclusive
                    && matches!(
                        e.kind(),
                        ErrorKind::PermissionDenied | ErrorKind::ReadOnlyFilesystem
                    ) =>
            {
                return Ok(Self { _file: None });
            }
            Err(e)
                if matches!(
                    e.kind(),
                    ErrorKind::PermissionDenied | ErrorKind::ReadOnlyFilesystem
                ) =>
            {
                return Err(StoreError::ReadOnly {
                    path: path.parent().unwrap_or(path).to_path_buf(),
                });
            }
            Err(source) => return Err(StoreError::io("open the lock file", path, source)),
        };
        let deadline = Instant::now() + LOCK_TIMEOUT;
        loop {
            let attempt = if exclusive {
                file.try_lock()
            } else {
                file.try_lock_shared()
            };
            match attempt {
                Ok(()) => return Ok(Self { _file: Some(file) }),
                Err(TryLockError::WouldBlock) if Instant::now() < deadline => {
                    std::thread::sleep(Duration::from_millis(5));
                }
                Err(TryLockError::WouldBlock) => {
                    return Err(StoreError::LockTimeout {
                        path: path.to_path_buf(),
                    });
                }
                Err(TryLockError::Error(source)) => {
                    return Err(StoreError::io("lock the store", path, source));
                }
            }
        }
    }
}
