//! The running PLC's watch over its store: another process (cert-agent, an operator with the
//! `pki` tools) may change it at any time.
//!
//! [`StoreWatcher::poll`] is called about once a second by `run` (polling, not inotify: the
//! store may sit on a mounted volume or a secret mount where inotify misses changes, and the
//! check costs two directory listings). Each poll:
//! - **Trust lists and CRLs** (`trusted/`, `issuer/`): asks the validator's trust cache for its
//!   snapshot, which re-reads the store only when a fingerprint (names, sizes, mtimes, inodes)
//!   changed. New connections are validated against the new lists anyway (the validator reads
//!   the same cache on every connection, and the server thread closes sessions of newly revoked
//!   peers); the watcher logs the change once.
//! - **Application certificate** (`own/certs`, `own/private`): when their fingerprint changed,
//!   reads the own certificate; if its thumbprint differs from the one the server offers
//!   ([`ua::Server::certificate_thumbprint`]), loads its key and
//!   activates it with [`ua::Server::update_certificate`] (no restart; the server logs
//!   `Activating the new application certificate with thumbprint '…'.`). A certificate whose key
//!   is missing or does not match (a writer half-way, a broken update) is logged once and the
//!   server keeps the previous one; it is tried again at the next change of the own store.
//! - **Files that do not parse** (garbage, a truncated certificate, a key where a certificate
//!   belongs, a folder where a file is expected), placed in any of those folders: after a change
//!   each is logged once as the startup listing does (`Skipped the unreadable store file '…':
//!   …`), skipped by the validator and the own-certificate check alike, never removed.

use pki::{FolderFingerprint, StoreKind, Thumbprint};
use ua::Server;

/// What a poll did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change {
    /// Nothing changed.
    None,
    /// The trust lists or CRLs changed (they apply to the next connection).
    TrustLists,
    /// A new application certificate is active.
    ApplicationCertificate(Thumbprint),
    /// The own store changed but its certificate could not be activated (logged).
    Failed,
}

/// Polls the store of a running server (see the module documentation).
#[derive(Debug)]
pub struct StoreWatcher {
    own_fingerprint: FolderFingerprint,
    generation: u64,
    /// The unreadable files already logged (with why): each is logged once.
    unreadable: std::collections::BTreeSet<(std::path::PathBuf, String)>,
}

impl StoreWatcher {
    /// Starts watching from the server's current state.
    #[must_use]
    pub fn new(server: &Server) -> Self {
        let cache = server.verifier().validator().cache();
        let _ = cache.snapshot();
        Self {
            // Empty when unreadable: the first poll then compares the store with the server.
            own_fingerprint: own_fingerprint(server).unwrap_or_default(),
            generation: cache.generation(),
            // The startup listing logged the ones present now.
            unreadable: server
                .store()
                .contents()
                .map(|c| unreadable(&c))
                .unwrap_or_default(),
        }
    }

    /// Checks the store once; returns the most important change seen.
    pub fn poll(&mut self, server: &Server) -> Change {
        let own = self.poll_own(server);
        let trust = self.poll_trust(server);
        match own {
            Change::None => trust,
            other => other,
        }
    }

    fn poll_trust(&mut self, server: &Server) -> Change {
        let cache = server.verifier().validator().cache();
        if let Err(e) = cache.snapshot() {
            tracing::error!(target: "opc_plc", error = %e, "Error while trying to read the trust lists of the store");
            return Change::None;
        }
        let generation = cache.generation();
        if generation == self.generation {
            return Change::None;
        }
        self.generation = generation;
        tracing::info!(target: "opc_plc", "The trusted peer or issuer store changed; new connections are validated against it");
        if let Ok(contents) = server.store().contents() {
            self.log_unreadable(&contents);
        }
        Change::TrustLists
    }

    fn poll_own(&mut self, server: &Server) -> Change {
        let fingerprint = match own_fingerprint(server) {
            Ok(f) => f,
            Err(e) => {
                tracing::error!(target: "opc_plc", error = %e, "Error while trying to read the application certificate store");
                return Change::None;
            }
        };
        if fingerprint == self.own_fingerprint {
            return Change::None;
        }
        // Remember it first: a failed update is retried only after the next change.
        self.own_fingerprint = fingerprint;
        let contents = match server.store().contents() {
            Ok(c) => c,
            Err(e) => {
                tracing::error!(target: "opc_plc", error = %e, "Error while trying to read the application certificate store");
                return Change::Failed;
            }
        };
        self.log_unreadable(&contents);
        let Some(own) = contents.application_certificate() else {
            tracing::warn!(target: "opc_plc", "The application certificate store holds no certificate with a private key; keeping the active application certificate");
            return Change::Failed;
        };
        let thumbprint = own.cert.thumbprint();
        if server.certificate_thumbprint() == thumbprint {
            return Change::None;
        }
        tracing::info!(
            target: "opc_plc",
            "The application certificate in the store changed to '{}' with thumbprint '{thumbprint}'; applying it without a restart",
            own.cert.subject()
        );
        let applied = server
            .store()
            .load_key(own)
            .map_err(ua::ServerError::from)
            .and_then(|key| server.update_certificate(&own.cert, &key));
        match applied {
            Ok(()) => Change::ApplicationCertificate(thumbprint),
            Err(e) => {
                tracing::error!(
                    target: "opc_plc",
                    error = %e,
                    "The new application certificate with thumbprint '{thumbprint}' could not be activated; the server keeps the current one"
                );
                Change::Failed
            }
        }
    }
}

impl StoreWatcher {
    /// Logs each unreadable file of `contents` not logged before (and forgets the ones gone).
    fn log_unreadable(&mut self, contents: &pki::StoreContents) {
        let now = unreadable(contents);
        for (file, reason) in now.difference(&self.unreadable) {
            tracing::warn!(
                target: "opc_plc",
                "Skipped the unreadable store file '{}': {reason}",
                file.display()
            );
        }
        self.unreadable = now;
    }
}

fn unreadable(
    contents: &pki::StoreContents,
) -> std::collections::BTreeSet<(std::path::PathBuf, String)> {
    contents
        .unreadable
        .iter()
        .map(|u| (u.file.clone(), u.reason.clone()))
        .collect()
}

/// The fingerprint of the own store's folders (`own/certs`, `own/private`).
fn own_fingerprint(server: &Server) -> std::io::Result<FolderFingerprint> {
    let layout = server.store().layout();
    FolderFingerprint::read([layout.certs(StoreKind::Own), layout.private()]).map_err(|e| e.source)
}
