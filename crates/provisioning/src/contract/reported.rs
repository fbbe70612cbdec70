//! The reported documents: `properties.reported.pki` and cert-agent's
//! `properties.reported.stores.<storeName>` (docs/architecture.md §4), always a picture of
//! the store as it is after the last reconciliation.
//!
//! Optional members are left out rather than sent as `null` (a `null` in a reported patch
//! deletes the property, so the twin never holds one): a report diffed against what the hub
//! holds then yields exactly the members that changed.

use std::collections::BTreeMap;

use hub_proto::twin::TwinVersion;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use time::OffsetDateTime;

use super::error::{ErrorCode, ItemError, Status};

/// cert-agent's `properties.reported.stores`: store name -> its picture.
pub type ReportedStores = BTreeMap<String, ReportedPki>;

/// The reported picture of one store.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ReportedPki {
    /// Whether the last desired document was applied.
    pub status: Status,
    /// The desired `$version` this picture answers.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub desired_version: Option<TwinVersion>,
    /// Why the last desired document was not applied.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<ItemError>,
    /// The revocation policy in force in the module's validators (own `pki` only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reject_unknown_revocation_status: Option<bool>,
    /// The SHA-1 policy in force (own `pki` only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reject_sha1_signed_certificates: Option<bool>,
    /// The minimum peer key size in force, in bits (own `pki` only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub minimum_certificate_key_size: Option<u32>,
    /// The application certificate in use.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub application_cert: Option<ApplicationCertReport>,
    /// The trusted peer store, by the twin's names (thumbprints for entries the twin did not
    /// install).
    #[serde(default)]
    pub trusted: BTreeMap<String, CertificateReport>,
    /// The trusted issuer store, named likewise.
    #[serde(default)]
    pub issuers: BTreeMap<String, CertificateReport>,
    /// The CRLs of both trust lists, one entry per CRL.
    #[serde(default)]
    pub crls: BTreeMap<String, CrlReport>,
    /// Base64 DER PKCS#10 request for the current key (SAN: `ApplicationUri` and DNS names).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub csr: Option<String>,
    /// The newest certificates in `rejected/`, by thumbprint.
    #[serde(default)]
    pub rejected: BTreeMap<String, RejectedReport>,
    /// When something expires (OPC 10000-12 §7.8.3 `CertificateExpirationAlarm`).
    pub expiry: ExpiryReport,
    /// The last restart asked for after an own-certificate change (`stores` only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub restart: Option<RestartReport>,
    /// Set when entries were left out to keep the report within its size budget.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub truncated: Option<bool>,
}

/// The application certificate in use.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ApplicationCertReport {
    /// SHA-1 of the DER, upper-case hex.
    pub thumbprint: String,
    /// The subject (`CN=OpcPlc`).
    pub subject: String,
    /// The issuer.
    pub issuer: String,
    /// Valid from.
    #[serde(with = "time::serde::rfc3339")]
    pub not_before: OffsetDateTime,
    /// Valid until.
    #[serde(with = "time::serde::rfc3339")]
    pub not_after: OffsetDateTime,
    /// Whole days until `notAfter` (negative once expired).
    pub days_left: i64,
    /// True for the app's own self-signed certificate (not yet CA-signed).
    pub self_signed: bool,
    /// The SAN URI.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub application_uri: Option<String>,
}

/// A trust-list certificate. Only the thumbprint is kept when the report has to shrink.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CertificateReport {
    /// SHA-1 of the DER, upper-case hex.
    pub thumbprint: String,
    /// The subject.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subject: Option<String>,
    /// Valid until.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        with = "time::serde::rfc3339::option"
    )]
    pub not_after: Option<OffsetDateTime>,
    /// Whole days until `notAfter` (negative once expired).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub days_left: Option<i64>,
}

/// A CRL.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CrlReport {
    /// The issuing CA.
    pub issuer: String,
    /// When it was issued.
    #[serde(with = "time::serde::rfc3339")]
    pub this_update: OffsetDateTime,
    /// When the next one is due.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        with = "time::serde::rfc3339::option"
    )]
    pub next_update: Option<OffsetDateTime>,
    /// True once `nextUpdate` has passed: the CA should have issued a newer CRL (in the
    /// spirit of OPC 10000-12 §7.8.2.11 `TrustListOutOfDateAlarm`).
    pub out_of_date: bool,
    /// Its `cRLNumber`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub crl_number: Option<u64>,
    /// How many certificates it revokes.
    pub revoked_count: usize,
    /// The trust lists it sits in (`trusted`, `issuer`).
    pub stores: Vec<String>,
}

/// A certificate the application refused, with what an operator needs to decide whether to
/// approve it (`approveRejected`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RejectedReport {
    /// The subject.
    pub subject: String,
    /// The issuer.
    pub issuer: String,
    /// The SAN URI.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub application_uri: Option<String>,
    /// Valid from.
    #[serde(with = "time::serde::rfc3339")]
    pub not_before: OffsetDateTime,
    /// Valid until.
    #[serde(with = "time::serde::rfc3339")]
    pub not_after: OffsetDateTime,
    /// When it was put into `rejected/`.
    #[serde(with = "time::serde::rfc3339")]
    pub at: OffsetDateTime,
    /// Why it is refused: what the module's verifier said, or else how the store's trust
    /// lists judge it now; absent when they would accept it now.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<ErrorCode>,
}

/// How urgent the store's expiries are.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ExpiryStatus {
    /// Nothing expires within the warning limit and every CRL is current.
    Ok,
    /// A certificate expires within the limit, or a CRL is past its `nextUpdate`.
    Warning,
    /// A certificate has expired.
    Expired,
}

/// The expiry summary a fleet query can filter on (`expiry.status != 'ok'`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ExpiryReport {
    /// The worst state of any item.
    pub status: ExpiryStatus,
    /// The warning limit in days (desired `expiryWarningDays`, default 14).
    pub warning_days: u32,
    /// The certificate that expires first.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub soonest: Option<SoonestReport>,
    /// The CRLs past their `nextUpdate`, by name.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub crls_out_of_date: Vec<String>,
}

/// The certificate that expires first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SoonestReport {
    /// Where it is: `applicationCert`, `trusted.<name>`, `issuers.<name>`.
    pub item: String,
    /// Its subject.
    pub subject: String,
    /// Its thumbprint.
    pub thumbprint: String,
    /// Valid until.
    #[serde(with = "time::serde::rfc3339")]
    pub not_after: OffsetDateTime,
    /// Whole days until then (negative once expired).
    pub days_left: i64,
}

/// Where a restart after an own-certificate change stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum RestartState {
    /// Committed with the new certificate, not yet asked for.
    Pending,
    /// The runtime restarted the module.
    Restarted,
    /// The runtime refused or could not be reached (see `error`).
    Failed,
}

/// The last restart of an application after its own certificate changed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RestartReport {
    /// The IoT Edge module restarted.
    pub module: String,
    /// The application certificate that made it necessary.
    pub thumbprint: String,
    /// Where it stands.
    pub state: RestartState,
    /// When the certificate was committed.
    #[serde(with = "time::serde::rfc3339")]
    pub requested_at: OffsetDateTime,
    /// When the runtime answered.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        with = "time::serde::rfc3339::option"
    )]
    pub at: Option<OffsetDateTime>,
    /// The runtime's answer when it failed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

impl ReportedPki {
    /// The report of a store that cannot be read at all (a refused store name, a root the
    /// store cannot be created under): the outcome and nothing else.
    #[must_use]
    pub fn outcome_only(
        status: Status,
        error: Option<ItemError>,
        desired_version: Option<TwinVersion>,
    ) -> Self {
        Self {
            status,
            desired_version,
            error,
            reject_unknown_revocation_status: None,
            reject_sha1_signed_certificates: None,
            minimum_certificate_key_size: None,
            application_cert: None,
            trusted: BTreeMap::new(),
            issuers: BTreeMap::new(),
            crls: BTreeMap::new(),
            csr: None,
            rejected: BTreeMap::new(),
            expiry: ExpiryReport {
                status: ExpiryStatus::Ok,
                warning_days: crate::decode::DEFAULT_EXPIRY_WARNING_DAYS,
                soonest: None,
                crls_out_of_date: Vec::new(),
            },
            restart: None,
            truncated: None,
        }
    }

    /// The report as a JSON object, to diff against what the hub holds.
    #[must_use]
    pub fn to_twin(&self) -> Map<String, Value> {
        match serde_json::to_value(self) {
            Ok(Value::Object(map)) => map,
            _ => Map::new(),
        }
    }

    /// Its size in compact JSON.
    #[must_use]
    pub fn size(&self) -> usize {
        serde_json::to_vec(self).map_or(usize::MAX, |v| v.len())
    }

    /// Keeps the report within `budget` bytes of compact JSON: first the rejected list goes,
    /// then trust-list entries keep only their thumbprints, then entries are left out (CRLs
    /// last), each step marked by `truncated: true`.
    pub fn fit(&mut self, budget: usize) {
        if self.size() <= budget {
            return;
        }
        self.truncated = Some(true);
        self.rejected.clear();
        if self.size() <= budget {
            return;
        }
        for entry in self.trusted.values_mut().chain(self.issuers.values_mut()) {
            entry.subject = None;
            entry.not_after = None;
            entry.days_left = None;
        }
        while self.size() > budget && self.trusted.pop_last().is_some() {}
        while self.size() > budget && self.issuers.pop_last().is_some() {}
        while self.size() > budget && self.crls.pop_last().is_some() {}
    }
}
