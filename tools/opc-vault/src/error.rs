//! [`VaultError`] and [`CsrError`]: why a vault operation or a certificate request failed,
//! each naming the file, the certificate or the request and the reason.

use std::path::PathBuf;
use std::time::Duration;

use time::OffsetDateTime;

/// Why a vault operation failed.
#[derive(Debug, thiserror::Error)]
pub enum VaultError {
    /// `init` found a vault (or other files) where it would create one.
    #[error("{path} already exists and is not empty: init never overwrites a vault")]
    Exists {
        /// The vault folder.
        path: PathBuf,
    },
    /// The folder holds no vault (`config.json` is missing).
    #[error("{path} is not a vault (no config.json): run `opc-vault init` or pass --vault")]
    NotAVault {
        /// The vault folder.
        path: PathBuf,
    },
    /// A file or folder could not be read or written.
    #[error("cannot {action} {path}")]
    Io {
        /// What was done (`read`, `write`, `create`, …).
        action: &'static str,
        /// The file or folder.
        path: PathBuf,
        /// The operating system's reason.
        #[source]
        source: std::io::Error,
    },
    /// A vault file does not parse.
    #[error("{path} is corrupt: {reason}; restore it from a backup")]
    Corrupt {
        /// The file.
        path: PathBuf,
        /// What is wrong with it.
        reason: String,
    },
    /// Another `opc-vault` run held the vault's lock for too long.
    #[error("{path} stayed locked by another opc-vault run for {waited:?}")]
    Locked {
        /// The lock file.
        path: PathBuf,
        /// How long this run waited.
        waited: Duration,
    },
    /// An option is out of range.
    #[error("{0}")]
    Invalid(String),
    /// A certificate request was refused.
    #[error("the certificate request was refused")]
    Csr(#[from] CsrError),
    /// The issuing CA has expired (or expires before a certificate could start).
    #[error(
        "the issuing CA '{subject}' is valid until {not_after}: it cannot issue certificates any more"
    )]
    CaExpired {
        /// The CA's subject.
        subject: String,
        /// Its `notAfter`.
        not_after: OffsetDateTime,
    },
    /// No issued certificate has this serial number or thumbprint.
    #[error("no certificate issued by this vault has the serial number or thumbprint {0}")]
    NotFound(String),
    /// OpenSSL failed while creating keys, certificates or CRLs.
    #[error("openssl failed while {what}")]
    OpenSsl {
        /// What was being done.
        what: &'static str,
        /// OpenSSL's errors.
        #[source]
        source: openssl::error::ErrorStack,
    },
    /// A CRL could not be built.
    #[error("cannot issue the CRL of '{subject}'")]
    Crl {
        /// The CA.
        subject: String,
        /// pki's reason.
        #[source]
        source: pki::CrlBuildError,
    },
}

impl VaultError {
    pub(crate) fn io(
        action: &'static str,
        path: impl Into<PathBuf>,
        source: std::io::Error,
    ) -> Self {
        Self::Io {
            action,
            path: path.into(),
            source,
        }
    }

    pub(crate) fn openssl(what: &'static str) -> impl FnOnce(openssl::error::ErrorStack) -> Self {
        move |source| Self::OpenSsl { what, source }
    }
}

/// Why a certificate request (PKCS#10 CSR) was refused.
#[derive(Debug, thiserror::Error)]
pub enum CsrError {
    /// The input is empty.
    #[error("the CSR is empty")]
    Empty,
    /// Neither PEM, DER nor base64 of either.
    #[error("the CSR is not PEM, DER or base64 of a PKCS#10 request: {0}")]
    Encoding(String),
    /// The request's signature does not verify with its own public key.
    #[error(
        "the CSR's signature does not verify with its public key (it was not signed by the key it asks a certificate for)"
    )]
    Signature,
    /// The request has no subject.
    #[error("the CSR has an empty subject")]
    NoSubject,
    /// The request has no URI in its subjectAltName: no OPC UA `ApplicationUri`.
    #[error(
        "the CSR has no URI in its subjectAltName: an OPC UA application certificate must carry the ApplicationUri (OPC 10000-6 §6.2.2)"
    )]
    NoApplicationUri,
    /// The request's URI is not the expected one.
    #[error("the CSR asks for the ApplicationUri '{requested}', but '{expected}' was expected")]
    UriMismatch {
        /// The CSR's URI.
        requested: String,
        /// The expected URI.
        expected: String,
    },
    /// The key is too weak for OPC UA's security policies.
    #[error("the CSR's RSA key has {bits} bits; OPC UA's security policies need at least 2048")]
    WeakKey {
        /// The key size.
        bits: u32,
    },
}
