//! Where a store's files live: the OPC 10000-12 Annex F directory layout as the .NET stack
//! writes it, with each part's path overridable as the OPC PLC's `--ap/--tp/--ip/--rp` allow.

use std::path::{Path, PathBuf};

/// Sub-folder for certificates.
pub const CERTS_DIR: &str = "certs";
/// Sub-folder for private keys (own store only).
pub const PRIVATE_DIR: &str = "private";
/// Sub-folder for CRLs (trusted and issuer stores).
pub const CRL_DIR: &str = "crl";
/// The advisory lock file in the store root.
pub const LOCK_FILE: &str = ".pki.lock";
/// The commit record of a multi-file update in progress (see `store::txn`).
pub const JOURNAL_FILE: &str = ".pki.journal";
/// Where new files are staged before a commit.
pub const STAGING_DIR: &str = ".pki.staging";
/// The record a store's owner keeps with it (which twin entry installed which file), written
/// in the same atomic commit as the files it describes ([`crate::Operation::WriteRecord`]).
pub const RECORD_FILE: &str = ".pki.record.json";

/// One of the four stores of an application.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum StoreKind {
    /// The application's own certificate and key (`own`).
    Own,
    /// The trusted peer store (`trusted`).
    Trusted,
    /// The trusted issuer store (`issuer`): CAs that only help to build chains.
    Issuer,
    /// The rejected store (`rejected`).
    Rejected,
}

impl StoreKind {
    /// The name the OPC PLC uses in its log lines (`trusted peer`, `trusted issuer`, ...).
    #[must_use]
    pub fn log_name(self) -> &'static str {
        match self {
            Self::Own => "application certificate",
            Self::Trusted => "trusted peer",
            Self::Issuer => "trusted issuer",
            Self::Rejected => "rejected certificate",
        }
    }
}

/// Paths of an application's four stores plus the root that holds the lock and journal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoreLayout {
    root: PathBuf,
    own: PathBuf,
    trusted: PathBuf,
    issuer: PathBuf,
    rejected: PathBuf,
}

impl StoreLayout {
    /// The standard layout under one root: `<root>/own`, `<root>/trusted`, `<root>/issuer`,
    /// `<root>/rejected`.
    #[must_use]
    pub fn under(root: impl Into<PathBuf>) -> Self {
        let root = root.into();
        Self {
            own: root.join("own"),
            trusted: root.join("trusted"),
            issuer: root.join("issuer"),
            rejected: root.join("rejected"),
            root,
        }
    }

    /// Layout with each store at its own path (the OPC PLC's `--ap --tp --ip --rp`). The
    /// lock, journal and staging area live in `root`, which must be on the same file system.
    #[must_use]
    pub fn custom(
        root: PathBuf,
        own: PathBuf,
        trusted: PathBuf,
        issuer: PathBuf,
        rejected: PathBuf,
    ) -> Self {
        Self {
            root,
            own,
            trusted,
            issuer,
            rejected,
        }
    }

    /// The root holding the lock file, journal and staging area.
    #[must_use]
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// The directory of one store.
    #[must_use]
    pub fn store(&self, kind: StoreKind) -> &Path {
        match kind {
            StoreKind::Own => &self.own,
            StoreKind::Trusted => &self.trusted,
            StoreKind::Issuer => &self.issuer,
            StoreKind::Rejected => &self.rejected,
        }
    }

    /// `<store>/certs`.
    #[must_use]
    pub fn certs(&self, kind: StoreKind) -> PathBuf {
        self.store(kind).join(CERTS_DIR)
    }

    /// `<trusted|issuer>/crl`.
    #[must_use]
    pub fn crls(&self, kind: StoreKind) -> PathBuf {
        self.store(kind).join(CRL_DIR)
    }

    /// `own/private`.
    #[must_use]
    pub fn private(&self) -> PathBuf {
        self.own.join(PRIVATE_DIR)
    }

    /// Every directory of the layout, parents before children.
    #[must_use]
    pub fn directories(&self) -> Vec<PathBuf> {
        vec![
            self.root.clone(),
            self.own.clone(),
            self.certs(StoreKind::Own),
            self.private(),
            self.trusted.clone(),
            self.certs(StoreKind::Trusted),
            self.crls(StoreKind::Trusted),
            self.issuer.clone(),
            self.certs(StoreKind::Issuer),
            self.crls(StoreKind::Issuer),
            self.rejected.clone(),
            self.certs(StoreKind::Rejected),
        ]
    }

    /// The directories holding certificates, keys and CRLs (a report of the store follows
    /// them): the own, trust-list and rejected folders, not the root with its lock and journal.
    #[must_use]
    pub fn content_directories(&self) -> [PathBuf; 7] {
        [
            self.certs(StoreKind::Own),
            self.private(),
            self.certs(StoreKind::Trusted),
            self.crls(StoreKind::Trusted),
            self.certs(StoreKind::Issuer),
            self.crls(StoreKind::Issuer),
            self.certs(StoreKind::Rejected),
        ]
    }

    /// The directories whose contents decide trust (watched for changes).
    #[must_use]
    pub fn trust_directories(&self) -> [PathBuf; 4] {
        [
            self.certs(StoreKind::Trusted),
            self.crls(StoreKind::Trusted),
            self.certs(StoreKind::Issuer),
            self.crls(StoreKind::Issuer),
        ]
    }

    pub(crate) fn lock_file(&self) -> PathBuf {
        self.root.join(LOCK_FILE)
    }

    pub(crate) fn journal(&self) -> PathBuf {
        self.root.join(JOURNAL_FILE)
    }

    pub(crate) fn staging(&self) -> PathBuf {
        self.root.join(STAGING_DIR)
    }

    /// The owner's record of the store ([`RECORD_FILE`]).
    #[must_use]
    pub fn record(&self) -> PathBuf {
        self.root.join(RECORD_FILE)
    }
}

/// The file name of a certificate in a store: `<CN> [<THUMBPRINT>].der`.
#[must_use]
pub fn certificate_file_name(
    stem: &str,
    thumbprint: &crate::Thumbprint,
    extension: &str,
) -> String {
    format!("{stem} [{thumbprint}].{extension}")
}
