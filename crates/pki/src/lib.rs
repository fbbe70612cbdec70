//! OPC UA PKI: certificate stores, certificates, CRLs, CSRs and trust decisions.
//!
//! Layer L0 of the workspace: no tokio, no sockets, and time is always an argument, so every
//! rule here is tested as a plain function.
//!
//! # Layout
//! - [`Certificate`], [`Crl`], [`PrivateKey`], [`Thumbprint`]: parsed inputs (`cert`, `crl`,
//!   `key`, `thumbprint`); decoding errors in [`DecodeError`] (`input`).
//! - [`CrlBuilder`]: issuing CRLs (for the CA tool and fixtures), entries with a [`CrlReason`],
//!   on a small DER encoder (`der`).

mod cert;
mod create;
pub mod crl;
mod der;
pub mod input;
mod kdf_limit;
mod key;
mod listing;
mod log;
mod name;
mod ops;
mod thumbprint;

pub use cert::{Certificate, ExtendedKeyUsage, KeyUsage, SignatureDigest};
pub use create::{
    CreateError, SelfSignedSpec, add_months, create_csr, create_csr_with_subject,
    create_self_signed, create_self_signed_for_key, generate_rsa_key,
};
pub use crl::{Crl, CrlBuildError, CrlBuilder, CrlReason};
pub use input::DecodeError;
pub use kdf_limit::MAX_KDF_ITERATIONS;
pub use key::{KeyError, KeyFormat, PrivateKey};
pub use thumbprint::{Thumbprint, ThumbprintParseError};
pub mod store;

pub use store::{Store, StoreContents, StoreError, StoreKind, StoreLayout};
pub mod validate;

pub use listing::{configuration_lines, store_listing};
pub use log::{Level, LogLine, dotnet_time, emit_all};
pub use ops::{
    Activation, Operation, Outcome, PlanError, PlanErrorKind, PlanOptions, TransactError,
    TransactWithError, UnknownCrlIssuer,
};
pub use validate::{
    FingerprintError, FolderFingerprint, KEY_SIZE_RANGE, PeerExpectations, PeerRole,
    SecurityPolicy, StatusCode, TrustCache, TrustSnapshot, ValidatedChain, ValidationError,
    ValidationOptions, Validator, validate_chain,
};
