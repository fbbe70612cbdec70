//! The fast path: a cached [`TrustSnapshot`] of a store on disk, re-read only when the trust
//! folders change (another process, e.g. cert-agent, may write them at any time).

use std::ffi::OsString;
use std::fs;
use std::os::unix::fs::MetadataExt;
use std::path::PathBuf;
use std::sync::{Arc, Mutex, PoisonError, RwLock};

use time::OffsetDateTime;

use super::chain::{ValidatedChain, ValidationError, validate_chain};
use super::options::{PeerExpectations, ValidationOptions};
use super::parsed::ParsedChains;
use super::snapshot::TrustSnapshot;
use super::status::StatusCode;
use crate::cert::Certificate;
use crate::store::{Store, StoreError};

/// What identifies a version of some store folders (the trust folders here; a server's
/// `own/certs` and `own/private` for a watcher): every entry's folder, name, size, mtime and
/// inode, sorted. Store writes replace files by rename, which changes the inode, so no update
/// goes unseen; compare two fingerprints with `==`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FolderFingerprint(Vec<(PathBuf, OsString, u64, i64, i64, u64)>);

/// A folder of a [`FolderFingerprint`] that could not be listed.
#[derive(Debug, thiserror::Error)]
#[error("cannot list {}", .dir.display())]
pub struct FingerprintError {
    /// The folder.
    pub dir: PathBuf,
    /// Why.
    #[source]
    pub source: std::io::Error,
}

impl FolderFingerprint {
    /// Lists `dirs`: a missing folder counts as empty, symlinks are followed (a mounted secret
    /// changes its target, not the link) and an entry whose metadata cannot be read (removed
    /// meanwhile) is left out.
    pub fn read(dirs: impl IntoIterator<Item = PathBuf>) -> Result<Self, FingerprintError> {
        let mut out = Vec::new();
        for dir in dirs {
            let entries = match fs::read_dir(&dir) {
                Ok(entries) => entries,
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => continue,
                Err(source) => return Err(FingerprintError { dir, source }),
            };
            for entry in entries {
                let entry = match entry {
                    Ok(entry) => entry,
                    Err(source) => return Err(FingerprintError { dir, source }),
                };
                let Ok(meta) = fs::metadata(entry.path()) else {
                    continue;
                };
                out.push((
                    dir.clone(),
                    entry.file_name(),
                    meta.len(),
                    meta.mtime(),
                    meta.mtime_nsec(),
                    meta.ino(),
                ));
            }
        }
        out.sort();
        Ok(Self(out))
    }
}

/// A cached, immutable view of a store's trust lists, refreshed when the folders change.
#[derive(Debug)]
pub struct TrustCache {
    store: Store,
    state: Mutex<CacheState>,
}

#[derive(Debug, Default)]
struct CacheState {
    fingerprint: Option<FolderFingerprint>,
    snapshot: Arc<TrustSnapshot>,
    generation: u64,
}

impl TrustCache {
    /// A cache over `store`; the first [`Self::snapshot`] reads it.
    #[must_use]
    pub fn new(store: Store) -> Self {
        Self {
            store,
            state: Mutex::new(CacheState::default()),
        }
    }

    /// The store behind the cache.
    #[must_use]
    pub fn store(&self) -> &Store {
        &self.store
    }

    /// The current snapshot: the cached one if the trust folders are unchanged, else a fresh
    /// read. Concurrent callers share one snapshot (`Arc`), so validations never lock each other
    /// out for longer than a fingerprint comparison.
    pub fn snapshot(&self) -> Result<Arc<TrustSnapshot>, StoreError> {
        let fingerprint = self.fingerprint()?;
        let mut state = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        if state.fingerprint.as_ref() == Some(&fingerprint) {
            return Ok(Arc::clone(&state.snapshot));
        }
        // The fingerprint was taken before reading: a change during the read is seen next time.
        let contents = self.store.contents()?;
        state.snapshot = Arc::new(TrustSnapshot::from_contents(&contents));
        state.fingerprint = Some(fingerprint);
        state.generation += 1;
        Ok(Arc::clone(&state.snapshot))
    }

    /// Counts reloads: it changes whenever the trust lists changed on disk and were re-read
    /// (drivers use it to re-check open connections after a CRL update).
    #[must_use]
    pub fn generation(&self) -> u64 {
        self.state
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .generation
    }

    fn fingerprint(&self) -> Result<FolderFingerprint, StoreError> {
        FolderFingerprint::read(self.store.layout().trust_directories())
            .map_err(|e| StoreError::io("list a trust folder", &e.dir, e.source))
    }
}

/// Validates peer certificates against a store: the cached snapshot, the policy, and the copy
/// of untrusted certificates to `rejected/certs`.
#[derive(Debug)]
pub struct Validator {
    cache: TrustCache,
    parsed: ParsedChains,
    // Replaced at run time when a module's twin changes the policy (`set_options`).
    options: RwLock<ValidationOptions>,
}

impl Validator {
    /// A validator over `store` with `options`.
    #[must_use]
    pub fn new(store: Store, options: ValidationOptions) -> Self {
        Self {
            cache: TrustCache::new(store),
            parsed: ParsedChains::new(),
            options: RwLock::new(options),
        }
    }

    /// The cache (for its generation counter and the store).
    #[must_use]
    pub fn cache(&self) -> &TrustCache {
        &self.cache
    }

    /// The certificates of a chain as OPC UA transmits it (concatenated DER, leaf first),
    /// parsed once per distinct chain ([`ParsedChains`]): a peer presents the same chain at
    /// every channel and session.
    ///
    /// # Errors
    /// The chain does not parse (every time it is presented).
    pub fn parse_chain(&self, chain_der: &[u8]) -> Result<Vec<Certificate>, crate::DecodeError> {
        self.parsed.parse(chain_der)
    }

    /// The policy in force.
    #[must_use]
    pub fn options(&self) -> ValidationOptions {
        self.options
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    /// Replaces the policy for every later decision; true when it changed.
    pub fn set_options(&self, options: ValidationOptions) -> bool {
        let mut current = self.options.write().unwrap_or_else(PoisonError::into_inner);
        let changed = *current != options;
        *current = options;
        changed
    }

    /// Validates a chain as OPC UA transmits it (concatenated DER, leaf first). An untrusted
    /// certificate (unknown, or of an unknown issuer) is copied to `rejected/certs` so an
    /// operator can approve it.
    pub fn validate(
        &self,
        chain_der: &[u8],
        now: OffsetDateTime,
        expect: &PeerExpectations,
    ) -> Result<ValidatedChain, ValidationError> {
        let presented = self.parse_chain(chain_der).map_err(|e| ValidationError {
            status: StatusCode::BadCertificateInvalid,
            subject: String::new(),
            reason: e.to_string(),
        })?;
        self.validate_certificates(&presented, now, expect)
    }

    /// Validates already parsed certificates (leaf first); an unknown peer's leaf is copied to
    /// `rejected/certs` (what a server or client does with a new peer).
    pub fn validate_certificates(
        &self,
        presented: &[Certificate],
        now: OffsetDateTime,
        expect: &PeerExpectations,
    ) -> Result<ValidatedChain, ValidationError> {
        let result = self.check_certificates(presented, now, expect);
        if let (Err(err), Some(leaf)) = (&result, presented.first())
            && matches!(
                err.status,
                StatusCode::BadCertificateUntrusted | StatusCode::BadCertificateChainIncomplete
            )
            && let Err(store_err) = self.cache.store().add_rejected(leaf)
        {
            tracing::warn!(error = %store_err, "could not copy the rejected certificate to the rejected store");
        }
        result
    }

    /// The decision of [`Self::validate_certificates`] without side effects: nothing is copied
    /// to `rejected/certs` (for a second look at a peer, e.g. before auto-accepting it).
    pub fn check_certificates(
        &self,
        presented: &[Certificate],
        now: OffsetDateTime,
        expect: &PeerExpectations,
    ) -> Result<ValidatedChain, ValidationError> {
        let snapshot = self.cache.snapshot().map_err(|e| ValidationError {
            status: StatusCode::BadSecurityChecksFailed,
            subject: presented
                .first()
                .map(|c| c.subject().to_owned())
                .unwrap_or_default(),
            reason: format!("the trust lists cannot be read: {e}"),
        })?;
        validate_chain(&snapshot, presented, now, &self.options(), expect)
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]

    use super::*;

    #[test]
    fn a_folder_fingerprint_changes_with_a_replaced_file_only() {
        let root = tempfile::tempdir().unwrap();
        let (a, missing) = (root.path().join("a"), root.path().join("missing"));
        fs::create_dir(&a).unwrap();
        let read = || FolderFingerprint::read([a.clone(), missing.clone()]).unwrap();
        assert_eq!(read(), FolderFingerprint::default());
        fs::write(a.join("x.der"), b"one").unwrap();
        let first = read();
        assert_ne!(first, FolderFingerprint::default());
        assert_eq!(read(), first);
        // A store write: a new file renamed over the old one (same size).
        fs::write(a.join("x.tmp"), b"two").unwrap();
        fs::rename(a.join("x.tmp"), a.join("x.der")).unwrap();
        assert_ne!(read(), first);
    }

    #[test]
    fn a_folder_that_cannot_be_listed_is_named() {
        let root = tempfile::tempdir().unwrap();
        let file = root.path().join("not-a-folder");
        fs::write(&file, b"").unwrap();
        let err = FolderFingerprint::read([file.clone()]).unwrap_err();
        assert_eq!(err.dir, file);
        assert!(err.to_string().starts_with("cannot list "), "{err}");
    }
}
