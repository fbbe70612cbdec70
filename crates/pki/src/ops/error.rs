//! Why a batch was refused.

use crate::key::KeyError;
use crate::log::LogLine;
use crate::store::StoreError;
use crate::thumbprint::Thumbprint;
use crate::validate::{StatusCode, ValidationError};

/// Why one operation of a batch is invalid. Messages use the OPC PLC's wording where it has
/// one (docs/reference/opc-ua-apps.md §1.5.2–1.5.3).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PlanErrorKind {
    /// `RemoveCertificates` with an empty list.
    #[error(
        "There is no thumbprint specified for certificates to remove. Please check your command line options."
    )]
    NoThumbprints,
    /// `AddIssuers` with an empty list.
    #[error("The issuer certificate data is invalid. Please check your command line options.")]
    NoIssuerCertificates,
    /// `AddTrusted` with an empty list.
    #[error("The trusted certificate data is invalid. Please check your command line options.")]
    NoTrustedCertificates,
    /// No certificate in the trusted or issuer store has the CRL issuer's name.
    #[error(
        "The new CRL data is invalid: no certificate of its issuer '{issuer}' is in the trusted peer or trusted issuer store."
    )]
    CrlIssuerUnknown {
        /// The CRL issuer.
        issuer: String,
    },
    /// A certificate with the issuer's name is present but the CRL signature does not verify.
    #[error(
        "The new CRL data is invalid: its signature does not verify with the certificate of '{issuer}'."
    )]
    CrlSignatureInvalid {
        /// The CRL issuer.
        issuer: String,
    },
    /// The CRL is older than the installed one of the same issuer.
    #[error(
        "The new CRL data is invalid: the CRL of '{issuer}' (number {new}) is older than the installed one (number {installed}); revocations cannot be rolled back."
    )]
    CrlRollback {
        /// The CRL issuer.
        issuer: String,
        /// CRL number of the installed CRL (or `-`).
        installed: String,
        /// CRL number of the refused CRL (or `-`).
        new: String,
    },
    /// The new application certificate's subject differs from the current one.
    #[error(
        "The SubjectName '{new}' of the new certificate doesn't match the current certificates SubjectName '{current}'."
    )]
    SubjectMismatch {
        /// New subject.
        new: String,
        /// Current subject.
        current: String,
    },
    /// The new application certificate does not chain to the trusted and issuer stores.
    #[error("Failed to verify integrity of the new certificate and the trusted issuer list. ({0})")]
    NotChained(ValidationError),
    /// A CA certificate was given as application certificate.
    #[error(
        "The certificate '{subject}' is a CA certificate and cannot be used as application certificate."
    )]
    CaAsApplicationCertificate {
        /// Its subject.
        subject: String,
    },
    /// The application certificate is expired or not yet valid.
    #[error(
        "The application certificate '{subject}' is not valid now (valid from {not_before} to {not_after})."
    )]
    NotValidNow {
        /// Its subject.
        subject: String,
        /// Start of validity.
        not_before: String,
        /// End of validity.
        not_after: String,
    },
    /// The new application certificate's URI is not the application's.
    #[error(
        "The ApplicationUri '{found}' of the new certificate doesn't match the ApplicationUri '{expected}'."
    )]
    UriMismatch {
        /// Expected URI.
        expected: String,
        /// URI in the certificate.
        found: String,
    },
    /// No key was given and the store has no key to reuse.
    #[error(
        "There is no existing application certificate we can use to extract the private key. You need to pass in a private key using PFX or PEM format."
    )]
    NoPrivateKey,
    /// The key does not belong to the certificate.
    #[error("The new application certificate does not match the {which} private key.")]
    KeyMismatch {
        /// `existing` or `provided`.
        which: &'static str,
    },
    /// The existing or supplied key could not be parsed.
    #[error("{0}")]
    Key(KeyError),
    /// The existing key file could not be read from the store.
    #[error("Error while loading private key. ({0})")]
    KeyUnreadable(String),
    /// `ApproveRejected` for a certificate not in the rejected store.
    #[error("There is no certificate with thumbprint '{0}' in the rejected certificate store.")]
    RejectedNotFound(Thumbprint),
    /// Creating the self-signed certificate failed.
    #[error("Failed to create the self-signed application certificate: {0}")]
    Create(String),
}

impl PlanErrorKind {
    /// The OPC UA status code that best names the problem (for twin reports).
    #[must_use]
    pub fn status_code(&self) -> StatusCode {
        match self {
            Self::NotChained(err) => err.status,
            Self::NotValidNow { .. } => StatusCode::BadCertificateTimeInvalid,
            Self::CaAsApplicationCertificate { .. } => StatusCode::BadCertificateUseNotAllowed,
            Self::UriMismatch { .. } => StatusCode::BadCertificateUriInvalid,
            Self::CrlIssuerUnknown { .. } => StatusCode::BadCertificateChainIncomplete,
            _ => StatusCode::BadCertificateInvalid,
        }
    }
}

/// An invalid operation: which item of the batch (index as given), and why.
#[derive(Debug, Clone, thiserror::Error)]
#[error("item {index} ({operation}): {kind}")]
pub struct PlanError {
    /// Index of the operation in the batch as given.
    pub index: usize,
    /// The operation's name.
    pub operation: &'static str,
    /// Why it is invalid.
    #[source]
    pub kind: PlanErrorKind,
    /// Log lines of the operations planned before the failure (already emitted).
    pub lines: Vec<LogLine>,
}

/// Why [`crate::Store::transact`] failed.
#[derive(Debug, thiserror::Error)]
pub enum TransactError {
    /// An operation is invalid; nothing was written.
    #[error(transparent)]
    Plan(#[from] Box<PlanError>),
    /// The store could not be read or written.
    #[error(transparent)]
    Store(#[from] StoreError),
}
