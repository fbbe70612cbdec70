//! `GetRejectedList` (OPC 10000-12 §7.8.3.5): the certificates the application refused.

use std::cmp::Reverse;
use std::time::SystemTime;

use pki::StoreContents;
use pki::store::StoredCertificate;

/// The most certificates [`rejected_list`] returns (as many as the store keeps by default).
pub const MAX_REJECTED_LIST: usize = pki::store::DEFAULT_MAX_REJECTED;

/// DER of the certificates in `rejected/certs`, the most recently rejected first (by the
/// file's modification time, as the store evicts and the twin reports them; then by file
/// name), at most [`MAX_REJECTED_LIST`].
#[must_use]
pub fn rejected_list(contents: &StoreContents) -> Vec<Vec<u8>> {
    newest_first(contents)
        .into_iter()
        .take(MAX_REJECTED_LIST)
        .map(|(_, s)| s.cert.der().to_vec())
        .collect()
}

/// The certificates of `rejected/certs` with their files' modification times, the most recently
/// rejected first (then by file name): the order `GetRejectedList` and the twin's report share.
pub(crate) fn newest_first(contents: &StoreContents) -> Vec<(SystemTime, &StoredCertificate)> {
    let mut by_age: Vec<(SystemTime, &StoredCertificate)> = contents
        .rejected
        .iter()
        .map(|s| {
            let at = std::fs::metadata(&s.file)
                .and_then(|m| m.modified())
                .unwrap_or(SystemTime::UNIX_EPOCH);
            (at, s)
        })
        .collect();
    by_age.sort_by(|a, b| {
        Reverse(a.0)
            .cmp(&Reverse(b.0))
            .then_with(|| a.1.file.cmp(&b.1.file))
    });
    by_age
}
