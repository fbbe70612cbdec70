//! The vault's files as types: the configuration (`config.json`) and the index of issued
//! certificates with the CRL state (`index.json`).

use std::fmt;

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

/// The format version of `config.json` and `index.json`.
pub const FORMAT: u32 = 1;

/// A CA of the vault.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum CaRole {
    /// The self-signed root: the trust anchor (`trusted`).
    Root,
    /// The issuing intermediate under the root (`issuers`), when the vault has one.
    Issuing,
}

impl CaRole {
    /// The file stem of its certificate, key and CRLs (`root`, `issuing`).
    #[must_use]
    pub fn stem(self) -> &'static str {
        match self {
            Self::Root => "root",
            Self::Issuing => "issuing",
        }
    }

    /// The stable twin name of its certificate and CRL (`opcVaultRoot`, `opcVaultIssuing`).
    #[must_use]
    pub fn twin_name(self) -> &'static str {
        match self {
            Self::Root => "opcVaultRoot",
            Self::Issuing => "opcVaultIssuing",
        }
    }
}

impl fmt::Display for CaRole {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.stem())
    }
}

/// What an application certificate may be used for (its extended key usage).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum CertType {
    /// A server: serverAuth.
    Server,
    /// A client: clientAuth.
    Client,
    /// Both (OPC UA servers that also connect to others, and the simplest choice).
    Both,
}

impl CertType {
    /// The reported spelling.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Server => "server",
            Self::Client => "client",
            Self::Both => "both",
        }
    }
}

impl fmt::Display for CertType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Why a certificate was revoked (RFC 5280 §5.3.1; holds are not offered).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "camelCase")]
#[value(rename_all = "camelCase")]
pub enum RevocationReason {
    /// No reason given (no `reasonCode` in the CRL entry).
    Unspecified,
    /// The application's key is known or suspected to be compromised.
    KeyCompromise,
    /// The CA's key is compromised.
    CaCompromise,
    /// The application's name or other information changed.
    AffiliationChanged,
    /// A new certificate replaces it.
    Superseded,
    /// The application is decommissioned.
    CessationOfOperation,
    /// The application may no longer use it.
    PrivilegeWithdrawn,
}

impl RevocationReason {
    /// The CRL entry's reason.
    #[must_use]
    pub fn crl_reason(self) -> pki::CrlReason {
        match self {
            Self::Unspecified => pki::CrlReason::Unspecified,
            Self::KeyCompromise => pki::CrlReason::KeyCompromise,
            Self::CaCompromise => pki::CrlReason::CaCompromise,
            Self::AffiliationChanged => pki::CrlReason::AffiliationChanged,
            Self::Superseded => pki::CrlReason::Superseded,
            Self::CessationOfOperation => pki::CrlReason::CessationOfOperation,
            Self::PrivilegeWithdrawn => pki::CrlReason::PrivilegeWithdrawn,
        }
    }
}

impl fmt::Display for RevocationReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Unspecified => "unspecified",
            Self::KeyCompromise => "keyCompromise",
            Self::CaCompromise => "caCompromise",
            Self::AffiliationChanged => "affiliationChanged",
            Self::Superseded => "superseded",
            Self::CessationOfOperation => "cessationOfOperation",
            Self::PrivilegeWithdrawn => "privilegeWithdrawn",
        })
    }
}

/// `config.json`: how the vault was set up and what it issues by default.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct VaultConfig {
    /// [`FORMAT`].
    pub format: u32,
    /// The root CA.
    pub root: CaConfig,
    /// The issuing intermediate, if the vault has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub issuing: Option<CaConfig>,
    /// The default lifetime of application certificates, in years.
    pub cert_years: u32,
    /// The default time from one CRL to the next, in days.
    pub crl_days: u32,
}

/// How a CA was created.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CaConfig {
    /// Its subject (`CN=…, O=…`).
    pub subject: String,
    /// Its RSA key size.
    pub key_bits: u32,
    /// Its lifetime in years (capped by its issuer's).
    pub years: u32,
}

/// Whether an issued certificate is still good.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum CertStatus {
    /// Not revoked (it may have expired: see `notAfter`).
    Valid,
    /// Revoked: listed in its CA's CRLs from then on.
    Revoked,
}

/// One certificate the vault issued.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct IssuedRecord {
    /// The serial number, upper-case hex of its 20 bytes.
    pub serial: String,
    /// SHA-1 of the DER, upper-case hex (the OPC UA thumbprint).
    pub thumbprint: String,
    /// The subject (`CN=OpcPlc`).
    pub subject: String,
    /// The SAN URI.
    pub application_uri: String,
    /// Server, client or both.
    #[serde(rename = "type")]
    pub cert_type: CertType,
    /// The CA that issued it.
    pub issuer: CaRole,
    /// Valid from.
    #[serde(with = "time::serde::rfc3339")]
    pub not_before: OffsetDateTime,
    /// Valid until.
    #[serde(with = "time::serde::rfc3339")]
    pub not_after: OffsetDateTime,
    /// When the vault issued it.
    #[serde(with = "time::serde::rfc3339")]
    pub issued_at: OffsetDateTime,
    /// Valid or revoked.
    pub status: CertStatus,
    /// When it was revoked.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        with = "time::serde::rfc3339::option"
    )]
    pub revoked_at: Option<OffsetDateTime>,
    /// Why it was revoked.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<RevocationReason>,
}

impl IssuedRecord {
    /// Whole days from `now` until `notAfter` (negative once expired).
    #[must_use]
    pub fn days_left(&self, now: OffsetDateTime) -> i64 {
        (self.not_after - now).whole_days()
    }

    /// Where its DER is kept, relative to the vault: `certs/<SERIAL>.der`.
    #[must_use]
    pub fn file(&self) -> String {
        format!("certs/{}.der", self.serial)
    }
}

/// The current CRL of one CA.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CrlState {
    /// Its `cRLNumber`; every CRL the CA issues has a higher one.
    pub number: u64,
    /// When it was issued.
    #[serde(with = "time::serde::rfc3339")]
    pub this_update: OffsetDateTime,
    /// When the next one is due.
    #[serde(with = "time::serde::rfc3339")]
    pub next_update: OffsetDateTime,
}

impl CrlState {
    /// Where the CRL is kept, relative to the vault: `crl/<role>-<number>.crl`.
    #[must_use]
    pub fn file(&self, role: CaRole) -> String {
        format!("crl/{}-{}.crl", role.stem(), self.number)
    }

    /// True when less than half of its period is left at `now` (or it is overdue): the CRL
    /// `provision` renews before it pushes CRLs.
    #[must_use]
    pub fn is_stale(&self, now: OffsetDateTime) -> bool {
        let half = (self.next_update - self.this_update) / 2;
        now >= self.this_update + half
    }
}

/// The current CRLs of the vault's CAs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CrlStates {
    /// The root's.
    pub root: CrlState,
    /// The issuing CA's, if the vault has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub issuing: Option<CrlState>,
}

impl CrlStates {
    /// The CRL of `role`.
    #[must_use]
    pub fn get(&self, role: CaRole) -> Option<&CrlState> {
        match role {
            CaRole::Root => Some(&self.root),
            CaRole::Issuing => self.issuing.as_ref(),
        }
    }

    /// Every CA's CRL, root first.
    pub fn iter(&self) -> impl Iterator<Item = (CaRole, &CrlState)> {
        std::iter::once((CaRole::Root, &self.root))
            .chain(self.issuing.as_ref().map(|s| (CaRole::Issuing, s)))
    }
}

/// `index.json`: every certificate the vault issued, and the current CRLs. The index is the
/// vault's commit point: files it names are written before it, so a crash leaves the old
/// index (and an unreferenced file) or the new one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Index {
    /// [`FORMAT`].
    pub format: u32,
    /// The current CRLs.
    pub crls: CrlStates,
    /// Every issued certificate, oldest first.
    pub certificates: Vec<IssuedRecord>,
}

impl Index {
    /// The certificate with this serial number or thumbprint (hex, any case, `:` and spaces
    /// ignored).
    #[must_use]
    pub fn find(&self, serial_or_thumbprint: &str) -> Option<&IssuedRecord> {
        let wanted = normalise_hex(serial_or_thumbprint);
        if wanted.is_empty() {
            return None;
        }
        self.certificates
            .iter()
            .find(|r| r.serial == wanted || r.thumbprint == wanted)
    }

    /// The certificate with this thumbprint.
    #[must_use]
    pub fn by_thumbprint(&self, thumbprint: &str) -> Option<&IssuedRecord> {
        let wanted = normalise_hex(thumbprint);
        self.certificates.iter().find(|r| r.thumbprint == wanted)
    }
}

/// Upper-case hex without separators (`ab:cd` -> `ABCD`).
#[must_use]
pub fn normalise_hex(text: &str) -> String {
    text.chars()
        .filter(|c| !matches!(c, ':' | ' ' | '-'))
        .map(|c| c.to_ascii_uppercase())
        .collect()
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use time::macros::datetime;

    use super::*;

    #[test]
    fn a_crl_is_stale_after_half_of_its_period() {
        let state = CrlState {
            number: 1,
            this_update: datetime!(2026-12-01 00:00 UTC),
            next_update: datetime!(2026-12-08 00:00 UTC),
        };
        assert!(!state.is_stale(datetime!(2026-12-04 11:59 UTC)));
        assert!(state.is_stale(datetime!(2026-12-04 12:00 UTC)));
        assert!(state.is_stale(datetime!(2026-12-09 00:00 UTC)));
        assert_eq!(state.file(CaRole::Issuing), "crl/issuing-1.crl");
    }

    #[test]
    fn revocation_reasons_are_written_and_read_by_their_rfc_names() {
        assert_eq!(
            serde_json::to_value(RevocationReason::KeyCompromise).unwrap(),
            "keyCompromise"
        );
        assert_eq!(
            RevocationReason::CessationOfOperation.to_string(),
            "cessationOfOperation"
        );
        assert_eq!(RevocationReason::KeyCompromise.crl_reason().code(), 1);
    }
}
