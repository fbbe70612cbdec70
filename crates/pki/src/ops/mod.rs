//! Store operations with the OPC PLC's semantics, validated as a batch and applied atomically.
//!
//! [`Store::transact`] takes the writer lock, completes any interrupted update, reads the store,
//! plans every [`Operation`] against the would-be state (nothing is written if any item is
//! invalid), commits the file changes crash-safely, and emits the OPC PLC's log lines.
//! Operations run in the 2018 order whatever order they are given in: removals, issuers,
//! trusted, approvals, CRLs, CRL removals, the application certificate, then self-signed creation
//! (docs/reference/opc-ua-apps.md §1.4), so one batch with a CA-signed certificate, its CA and the
//! CA's CRL works on an empty store.

mod error;
mod plan;

use time::OffsetDateTime;

pub use error::{PlanError, PlanErrorKind, TransactError};

use crate::cert::Certificate;
use crate::create::SelfSignedSpec;
use crate::crl::Crl;
use crate::key::PrivateKey;
use crate::log::{LogLine, emit_all};
use crate::store::{Recovery, Store, StoreContents, StoreKind, txn};
use crate::thumbprint::Thumbprint;
use crate::validate::ValidationOptions;

/// One change to a store.
#[derive(Debug, Clone)]
pub enum Operation {
    /// Remove certificates by thumbprint from the trusted peer and trusted issuer stores (`--rc`).
    RemoveCertificates(Vec<Thumbprint>),
    /// Remove one certificate from one trust list (for reconcilers; no warning when absent).
    RemoveCertificate {
        /// `Trusted` or `Issuer`.
        store: StoreKind,
        /// The certificate.
        thumbprint: Thumbprint,
    },
    /// Add CA certificates to the trusted issuer store (`--ib/--if`).
    AddIssuers(Vec<Certificate>),
    /// Add certificates to the trusted peer store (`--tb/--tf`).
    AddTrusted(Vec<Certificate>),
    /// Move a certificate from `rejected/certs` to the trusted peer store.
    ApproveRejected(Thumbprint),
    /// Install a CRL into every store holding a certificate that issued it (`--rb/--uc`).
    UpdateCrl(Crl),
    /// Remove a CRL (by the thumbprint of its DER) from both trust lists.
    RemoveCrl(Thumbprint),
    /// Replace the application certificate (`--ab/--af`), with a new key (`--pb/--pk`) or the
    /// existing one (the CSR flow).
    UpdateApplicationCertificate {
        /// The new certificate.
        cert: Certificate,
        /// A key that comes with it; `None` keeps the existing key.
        key: Option<PrivateKey>,
    },
    /// Create a self-signed application certificate when the own store has none.
    CreateSelfSigned(SelfSignedSpec),
    /// Replace the owner's record of the store (`<root>/.pki.record.json`, opaque bytes) in the
    /// same commit as the batch's files, so the record never describes a state the store is
    /// not in. Identical bytes write nothing.
    WriteRecord(Vec<u8>),
}

impl Operation {
    /// Position in the 2018 processing order.
    fn order(&self) -> u8 {
        match self {
            Self::RemoveCertificates(_) | Self::RemoveCertificate { .. } => 0,
            Self::AddIssuers(_) => 1,
            Self::AddTrusted(_) => 2,
            Self::ApproveRejected(_) => 3,
            Self::UpdateCrl(_) => 4,
            Self::RemoveCrl(_) => 5,
            Self::UpdateApplicationCertificate { .. } => 6,
            Self::CreateSelfSigned(_) => 7,
            Self::WriteRecord(_) => 8,
        }
    }

    /// A short name for error reports.
    #[must_use]
    pub fn name(&self) -> &'static str {
        match self {
            Self::RemoveCertificates(_) => "remove certificates",
            Self::RemoveCertificate { .. } => "remove certificate",
            Self::AddIssuers(_) => "add issuer certificates",
            Self::AddTrusted(_) => "add trusted certificates",
            Self::ApproveRejected(_) => "approve rejected certificate",
            Self::UpdateCrl(_) => "update CRL",
            Self::RemoveCrl(_) => "remove CRL",
            Self::UpdateApplicationCertificate { .. } => "update application certificate",
            Self::CreateSelfSigned(_) => "create self-signed certificate",
            Self::WriteRecord(_) => "write record",
        }
    }
}

/// What to do with a CRL that no certificate in the store issued.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum UnknownCrlIssuer {
    /// Refuse the batch (the default: a CRL that protects nothing is a configuration error).
    #[default]
    Reject,
    /// Skip it with a warning (the OPC PLC silently skips it).
    Ignore,
}

/// Context of a batch.
#[derive(Debug, Clone)]
pub struct PlanOptions {
    /// The time against which validity is checked.
    pub now: OffsetDateTime,
    /// Policy for checking a new application certificate's chain.
    pub validation: ValidationOptions,
    /// Handling of CRLs of unknown issuers.
    pub unknown_crl_issuer: UnknownCrlIssuer,
    /// When set, a new application certificate's SAN URI must equal it.
    pub application_uri: Option<String>,
    /// Whether the batch logs the OPC PLC's `Activating the new application certificate …`
    /// line after installing one.
    pub activation: Activation,
}

/// Who announces a new application certificate as activated (one change, one line).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Activation {
    /// The batch logs the line: a start-up batch, whose certificate the server takes when it
    /// starts (the 2018 OPC PLC's sequence).
    #[default]
    Logged,
    /// The running application logs it when it actually activates the certificate (the PLC's
    /// store watch), or it is another application's store (cert-agent): the batch only
    /// installs it.
    ByApplication,
}

impl PlanOptions {
    /// Defaults at `now`.
    #[must_use]
    pub fn new(now: OffsetDateTime) -> Self {
        Self {
            now,
            validation: ValidationOptions::default(),
            unknown_crl_issuer: UnknownCrlIssuer::default(),
            application_uri: None,
            activation: Activation::Logged,
        }
    }
}

/// The result of an applied batch.
#[derive(Debug, Clone)]
pub struct Outcome {
    /// True when files were written; false for a no-op batch (nothing was touched).
    pub changed: bool,
    /// The OPC PLC log lines of the batch, in order (already emitted).
    pub lines: Vec<LogLine>,
    /// The thumbprint of the application certificate after the batch, if any.
    pub application_certificate: Option<Thumbprint>,
}

impl Store {
    /// Validates and applies a batch atomically (see the module docs). On any invalid item the
    /// store is left byte-for-byte unchanged and the error names the item.
    pub fn transact(
        &self,
        operations: Vec<Operation>,
        options: &PlanOptions,
    ) -> Result<Outcome, TransactError> {
        let _lock = self.lock_exclusive()?;
        let contents = self.recovered_contents()?;
        self.plan_and_commit(contents, operations, options)
    }

    /// Like [`Store::transact`], but the batch is planned by `planner` from the store's
    /// contents and the owner's record (`<root>/.pki.record.json`, `None` when absent) read
    /// under the same writer lock as the commit: nothing another writer (a twin pass, a push)
    /// commits can slip in between the caller's checks and this batch. `planner` runs with the
    /// lock held, so it must not touch the store itself; when it refuses, nothing is written
    /// and its error is returned as [`TransactWithError::Refused`].
    pub fn transact_with<E>(
        &self,
        planner: impl FnOnce(&StoreContents, Option<&[u8]>) -> Result<(Vec<Operation>, PlanOptions), E>,
    ) -> Result<Outcome, TransactWithError<E>> {
        let _lock = self.lock_exclusive().map_err(TransactError::from)?;
        let contents = self.recovered_contents()?;
        let record = self.read_record().map_err(TransactError::from)?;
        let (operations, options) =
            planner(&contents, record.as_deref()).map_err(TransactWithError::Refused)?;
        Ok(self.plan_and_commit(contents, operations, &options)?)
    }

    /// [`Store::transact_with`] without the commit: the batch is planned exactly as it would be
    /// (under the writer lock, after completing an interrupted update, every item validated
    /// against the would-be state), then dropped; nothing is written and nothing is logged. For
    /// a caller that must refuse a change when it is asked for and commit it later (OPC
    /// 10000-12's `UpdateCertificate` validates the certificate, `ApplyChanges` commits it).
    pub fn check_with<E>(
        &self,
        planner: impl FnOnce(&StoreContents, Option<&[u8]>) -> Result<(Vec<Operation>, PlanOptions), E>,
    ) -> Result<(), TransactWithError<E>> {
        let _lock = self.lock_exclusive().map_err(TransactError::from)?;
        let contents = self.recovered_contents()?;
        let record = self.read_record().map_err(TransactError::from)?;
        let (operations, options) =
            planner(&contents, record.as_deref()).map_err(TransactWithError::Refused)?;
        plan::plan(self, contents, &in_order(operations), &options)
            .map(drop)
            .map_err(|e| TransactWithError::Transact(TransactError::Plan(e)))
    }

    /// Completes an interrupted update and reads the store (the writer lock held).
    fn recovered_contents(&self) -> Result<StoreContents, TransactError> {
        if txn::recover(self.layout())? != Recovery::Clean {
            tracing::warn!(target: "pki", root = %self.layout().root().display(), "completed an interrupted store update");
        }
        Ok(crate::store::read_contents(self.layout())?)
    }

    fn plan_and_commit(
        &self,
        contents: StoreContents,
        operations: Vec<Operation>,
        options: &PlanOptions,
    ) -> Result<Outcome, TransactError> {
        let planned = plan::plan(self, contents, &in_order(operations), options);
        let planned = match planned {
            Ok(planned) => planned,
            Err(err) => {
                emit_all(&err.lines);
                LogLine::error(err.kind.to_string()).emit();
                return Err(TransactError::Plan(err));
            }
        };
        txn::commit(self.layout(), &planned.changes)?;
        emit_all(&planned.lines);
        Ok(Outcome {
            changed: !planned.changes.is_empty(),
            lines: planned.lines,
            application_certificate: planned.application_certificate,
        })
    }
}

/// `operations` with their indices, in the order they run (the module docs).
fn in_order(operations: Vec<Operation>) -> Vec<(usize, Operation)> {
    let mut indexed: Vec<(usize, Operation)> = operations.into_iter().enumerate().collect();
    indexed.sort_by_key(|(_, op)| op.order());
    indexed
}

/// Why [`Store::transact_with`] wrote nothing.
#[derive(Debug)]
pub enum TransactWithError<E> {
    /// The planner refused the batch.
    Refused(E),
    /// The store refused the planned batch or could not be read or written.
    Transact(TransactError),
}

impl<E> From<TransactError> for TransactWithError<E> {
    fn from(error: TransactError) -> Self {
        Self::Transact(error)
    }
}

impl<E: std::fmt::Display> std::fmt::Display for TransactWithError<E> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Refused(e) => e.fmt(f),
            Self::Transact(e) => e.fmt(f),
        }
    }
}

impl<E: std::error::Error + 'static> std::error::Error for TransactWithError<E> {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Self::Refused(e) => Some(e),
            Self::Transact(e) => Some(e),
        }
    }
}
