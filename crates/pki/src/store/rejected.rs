//! The rejected store: untrusted peer certificates kept for an operator to approve, bounded
//! so a scanning peer cannot fill the disk (the oldest are evicted).

use std::fs;

use super::txn::{self, FileChange};
use super::{Store, StoreError, StoreKind, certificate_file_name};
use crate::cert::Certificate;

impl Store {
    /// Copies `cert` to `rejected/certs` (a no-op when it is already there) and evicts the
    /// oldest entries beyond [`Store::max_rejected`].
    pub fn add_rejected(&self, cert: &Certificate) -> Result<(), StoreError> {
        let _lock = self.lock_exclusive()?;
        txn::recover(self.layout())?;
        let dir = self.layout().certs(StoreKind::Rejected);
        let target = dir.join(certificate_file_name(
            &cert.file_stem(),
            &cert.thumbprint(),
            "der",
        ));
        if target.is_file() {
            return Ok(());
        }
        let mut existing: Vec<(std::time::SystemTime, std::path::PathBuf)> = fs::read_dir(&dir)
            .map_err(|e| StoreError::io("list the rejected store", &dir, e))?
            .filter_map(Result::ok)
            .filter(|e| e.file_type().is_ok_and(|t| t.is_file()))
            .filter(|e| !e.file_name().as_encoded_bytes().starts_with(b"."))
            .filter_map(|e| Some((e.metadata().ok()?.modified().ok()?, e.path())))
            .collect();
        existing.sort();
        let excess = (existing.len() + 1).saturating_sub(self.max_rejected());
        let mut changes: Vec<FileChange> = existing
            .into_iter()
            .take(excess)
            .map(|(_, path)| FileChange::Delete { path })
            .collect();
        changes.push(FileChange::Write {
            path: target,
            bytes: cert.der().to_vec(),
            mode: 0o644,
            owner: None,
        });
        txn::commit(self.layout(), &changes)
    }
}
