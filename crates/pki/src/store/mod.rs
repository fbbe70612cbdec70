//! The OPC UA directory store (OPC 10000-12 Annex F, .NET-compatible layout).
//!
//! [`Store`] reads a store into [`StoreContents`] and changes it only through
//! [`Store::transact`] (see `ops`), which validates a whole batch first and then commits it
//! crash-safely (`txn`) under an advisory lock (`lock`).

mod layout;
mod lock;
mod read;
mod rejected;
pub(crate) mod txn;

use std::path::{Path, PathBuf};

pub use layout::{
    CERTS_DIR, CRL_DIR, JOURNAL_FILE, LOCK_FILE, PRIVATE_DIR, RECORD_FILE, STAGING_DIR, StoreKind,
    StoreLayout, certificate_file_name,
};
pub(crate) use lock::StoreLock;
pub(crate) use read::read as read_contents;
pub use read::{OwnCertificate, StoreContents, StoredCertificate, StoredCrl, UnreadableFile};
pub use txn::Recovery;

use crate::key::{KeyError, PrivateKey};

/// Default number of certificates kept in `rejected/certs` (the oldest are evicted).
pub const DEFAULT_MAX_REJECTED: usize = 100;

/// Why a store could not be read or written. The store is unchanged whenever this is returned
/// before the commit point; after it, the next open completes the update.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// A file system call failed.
    #[error("cannot {action} '{path}'")]
    Io {
        /// What was being done.
        action: &'static str,
        /// The path involved.
        path: PathBuf,
        /// The OS error.
        #[source]
        source: std::io::Error,
    },
    /// The store (or one of its folders) is read-only.
    #[error("the store folder '{path}' is read-only")]
    ReadOnly {
        /// The read-only folder.
        path: PathBuf,
    },
    /// A file exists where a store folder is expected.
    #[error("'{path}' is not a directory")]
    NotADirectory {
        /// The offending path.
        path: PathBuf,
    },
    /// A folder exists where a file is expected.
    #[error("'{path}' is a directory where a file is expected")]
    NotAFile {
        /// The offending path.
        path: PathBuf,
    },
    /// A file could not be given to the owner of the file it replaces (writing another
    /// application's key as a user that may not `chown`).
    #[error(
        "cannot give '{path}' to uid {uid} gid {gid}, the owner of the file it replaces (run as root or as that user)"
    )]
    Owner {
        /// The file.
        path: PathBuf,
        /// The owner's user id.
        uid: u32,
        /// The owner's group id.
        gid: u32,
        /// Why.
        #[source]
        source: std::io::Error,
    },
    /// Another writer held the lock for too long.
    #[error("timed out waiting for the store lock '{path}'")]
    LockTimeout {
        /// The lock file.
        path: PathBuf,
    },
    /// The commit journal is unreadable (it is written atomically, so this means tampering).
    #[error("the store journal '{path}' is corrupt; remove it to discard the pending update")]
    CorruptJournal {
        /// The journal file.
        path: PathBuf,
    },
    /// The private key file of the application certificate could not be read.
    #[error("cannot read the private key '{path}'")]
    Key {
        /// The key file.
        path: PathBuf,
        /// Why.
        #[source]
        source: KeyError,
    },
}

impl StoreError {
    pub(crate) fn io(action: &'static str, path: &Path, source: std::io::Error) -> Self {
        Self::Io {
            action,
            path: path.to_path_buf(),
            source,
        }
    }
}

/// An application's PKI store on disk.
#[derive(Debug, Clone)]
pub struct Store {
    layout: StoreLayout,
    key_password: Option<String>,
    max_rejected: usize,
}

impl Store {
    /// Opens the store at `layout`, creating missing folders (`0700`) and completing or
    /// discarding an update a crash interrupted.
    pub fn open(layout: StoreLayout) -> Result<Self, StoreError> {
        for dir in layout.directories() {
            txn::create_private_dir(&dir)?;
        }
        let store = Self {
            layout,
            key_password: None,
            max_rejected: DEFAULT_MAX_REJECTED,
        };
        // Taking the lock once creates the lock file, so later operations that change nothing
        // leave the store byte-for-byte as it was.
        match store.lock_exclusive() {
            Ok(_lock) => {
                txn::recover(&store.layout)?;
            }
            // Read-only stores can still be read and validated against.
            Err(StoreError::ReadOnly { .. }) => {}
            Err(e) => return Err(e),
        }
        Ok(store)
    }

    /// Sets the password for the own key when it is a PFX or encrypted PEM (`--cp`).
    #[must_use]
    pub fn with_key_password(mut self, password: Option<String>) -> Self {
        self.key_password = password;
        self
    }

    /// Sets how many certificates `rejected/certs` keeps.
    #[must_use]
    pub fn with_max_rejected(mut self, max: usize) -> Self {
        self.max_rejected = max.max(1);
        self
    }

    /// The layout.
    #[must_use]
    pub fn layout(&self) -> &StoreLayout {
        &self.layout
    }

    /// How many certificates `rejected/certs` keeps.
    #[must_use]
    pub fn max_rejected(&self) -> usize {
        self.max_rejected
    }

    /// Reads every store; files that do not parse are listed in
    /// [`StoreContents::unreadable`] rather than failing the read.
    pub fn contents(&self) -> Result<StoreContents, StoreError> {
        let _lock = self.lock_shared_recovered()?;
        read::read(&self.layout)
    }

    /// Reads every store and the owner's record ([`StoreLayout::record`], `None` when absent)
    /// under one lock, so the two describe the same committed state.
    pub fn contents_and_record(&self) -> Result<(StoreContents, Option<Vec<u8>>), StoreError> {
        let _lock = self.lock_shared_recovered()?;
        let contents = read::read(&self.layout)?;
        Ok((contents, self.read_record()?))
    }

    /// The owner's record, `None` when absent (the caller holds a lock).
    pub(crate) fn read_record(&self) -> Result<Option<Vec<u8>>, StoreError> {
        let path = self.layout.record();
        match std::fs::read(&path) {
            Ok(bytes) => Ok(Some(bytes)),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(StoreError::io("read the store record", &path, e)),
        }
    }

    /// Loads the private key of an own certificate.
    pub fn load_key(&self, own: &OwnCertificate) -> Result<PrivateKey, StoreError> {
        let path = own.key_file.as_ref().ok_or_else(|| StoreError::Key {
            path: self.layout.private(),
            source: KeyError::Unsupported,
        })?;
        let bytes =
            std::fs::read(path).map_err(|e| StoreError::io("read the private key", path, e))?;
        PrivateKey::from_bytes(&bytes, self.key_password.as_deref()).map_err(|source| {
            StoreError::Key {
                path: path.clone(),
                source,
            }
        })
    }

    /// Runs any pending recovery explicitly and says what it found.
    pub fn recover(&self) -> Result<Recovery, StoreError> {
        let _lock = self.lock_exclusive()?;
        txn::recover(&self.layout)
    }

    pub(crate) fn lock_exclusive(&self) -> Result<StoreLock, StoreError> {
        StoreLock::exclusive(&self.layout.lock_file())
    }

    /// A shared lock, after completing any interrupted update (which needs the writer lock).
    pub(crate) fn lock_shared_recovered(&self) -> Result<StoreLock, StoreError> {
        let lock = StoreLock::shared(&self.layout.lock_file())?;
        if !txn::pending(&self.layout) {
            return Ok(lock);
        }
        drop(lock);
        {
            let _writer = self.lock_exclusive()?;
            txn::recover(&self.layout)?;
        }
        StoreLock::shared(&self.layout.lock_file())
    }

    pub(crate) fn key_password(&self) -> Option<&str> {
        self.key_password.as_deref()
    }
}
