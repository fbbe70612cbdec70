//! `opc-vault`: the CA of OPC UA applications on IoT Edge, in place of the archived OPC Vault.
//!
//! Layer L2 (a tool, docs/architecture.md §2): on `pki` (certificates, CRLs), `provisioning`
//! (the twin contract's types), `hub-proto` and `hub-service` (IoT Hub's service REST API). An
//! operator runs one command, `opc-vault provision`, and every module is provisioned through
//! its twin: the CSR it reports is signed, the certificate, the CA chain and the CRLs are
//! written to its desired properties, and the module's report is awaited. Private keys never
//! leave the devices; the CA's keys stay in the vault folder. See `docs/opc-vault.md`.
//!
//! # Layout
//! - `vault`: [`Vault`], the vault folder (CA keys and certificates, the index of issued
//!   certificates, the current CRLs, the configuration) and its operations (`init`, `sign`,
//!   `revoke`, CRLs), each under the vault's advisory lock, every write atomic.
//! - `model`: the vault's files as types ([`VaultConfig`], [`Index`], [`IssuedRecord`],
//!   [`CrlState`]) and the names of roles, certificate types and revocation reasons.
//! - `csr`: [`CertificateRequest`], a verified PKCS#10 request with its subjectAltName.
//! - `issue`: building the root, the intermediate, application certificates (OPC 10000-6
//!   §6.2.2) and CRLs with OpenSSL.
//! - [`provision`]: provisioning targets through their twins ([`provision::provision`]), with
//!   the decisions as plain functions ([`provision::decide`], [`provision::desired_document`],
//!   [`provision::needs_patch`], [`provision::verdict`]).
//! - [`serve`]: `opc-vault serve`, the operator's page (login, the modules' certificates,
//!   actions as jobs, the twin editor, the CA), all assets embedded.
//! - [`trust`]: trusting a CA across the fleet as an IoT Hub configuration
//!   (`trust-config`), and following its applied count.
//! - [`cli`]: the command line ([`cli::Cli`]) and [`cli::run`]; `main.rs` only parses and
//!   reports.
//! - [`fleet`]: fleet runs: targets by twin query, bounded concurrency, the fleet table and
//!   JSON summary.
//! - [`journal`]: the run journal of fleet runs (`<vault>/runs/`), so that an interrupted run
//!   continues without signing a CSR twice.
//! - `fsio`: atomic writes, the lock, the clean-up after an interrupted run.
//! - [`table`]: aligned tables for operators.
//! - `error`: [`VaultError`], [`CsrError`].

pub mod cli;
mod csr;
mod error;
pub mod fleet;
mod fsio;
mod issue;
pub mod journal;
mod model;
pub mod provision;
pub mod serve;
pub mod table;
pub mod trust;
mod vault;

pub use csr::{CertificateRequest, MIN_RSA_BITS};
pub use error::{CsrError, VaultError};
pub use issue::{CaKeyPair, KEY_SIZES};
pub use model::{
    CaConfig, CaRole, CertStatus, CertType, CrlState, CrlStates, FORMAT, Index, IssuedRecord,
    RevocationReason, VaultConfig, normalise_hex,
};
pub use vault::{
    CONFIG_FILE, DEFAULT_VAULT_DIR, INDEX_FILE, InitOptions, IntermediateOptions, IssuedCrl,
    LOCK_FILE, Revocation, SignOptions, Signed, Vault, VaultState,
};

use time::OffsetDateTime;
use time::macros::format_description;

/// A date for tables (`2027-12-01`).
#[must_use]
pub fn date(at: OffsetDateTime) -> String {
    at.format(format_description!("[year]-[month]-[day]"))
        .unwrap_or_default()
}

/// A UTC time stamp for messages (`2027-12-01T10:00:00Z`).
#[must_use]
pub fn timestamp(at: OffsetDateTime) -> String {
    at.format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_default()
}

/// An error with its causes, `: `-separated (what failed, then why).
#[must_use]
pub fn error_chain(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        let cause_text = cause.to_string();
        if !text.ends_with(&cause_text) {
            text.push_str(": ");
            text.push_str(&cause_text);
        }
        source = cause.source();
    }
    text
}
