//! Which store entries the twin installed, under which names, and the last restart it asked
//! for (`<root>/.pki.record.json`).
//!
//! The record commits in the same store transaction as the files it names, so a crash never
//! leaves one without the other. It lets a reconciliation remove exactly what an earlier
//! desired document installed (or approved) and nothing an operator put there by other means,
//! and it carries a restart that was committed with a new application certificate until the
//! runtime confirmed it, so a restart is never lost to a crash.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use crate::contract::RestartReport;

/// Format version written; format 1 (without `approved` and `restart`) is still read. The
/// optional `applicationCert` joined format 2 without a bump: a record without it reads as
/// before.
const FORMAT: u32 = 2;

/// The twin-managed entries of a store: name -> thumbprint (upper-case hex).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub(crate) struct Record {
    pub format: u32,
    pub trusted: BTreeMap<String, String>,
    pub issuers: BTreeMap<String, String>,
    pub crls: BTreeMap<String, String>,
    /// Thumbprints trusted by `approveRejected`.
    #[serde(default)]
    pub approved: BTreeSet<String>,
    /// The thumbprint of the application certificate the desired document names
    /// (`applicationCert`): while it is set the twin manages the application certificate, and
    /// push management may not replace it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub application_cert: Option<String>,
    /// The last restart asked for after an own-certificate change.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub restart: Option<RestartReport>,
}

impl Record {
    pub(crate) fn new() -> Self {
        Self {
            format: FORMAT,
            ..Self::default()
        }
    }

    /// Reads the record's bytes; an unreadable record counts as empty (the store's files stay
    /// the truth; only the names of earlier entries are lost) and is reported in the log.
    pub(crate) fn from_bytes(bytes: Option<&[u8]>) -> Self {
        let Some(bytes) = bytes else {
            return Self::new();
        };
        match serde_json::from_slice::<Self>(bytes) {
            Ok(record) if (1..=FORMAT).contains(&record.format) => Self {
                format: FORMAT,
                ..record
            },
            Ok(record) => {
                tracing::warn!(
                    target: "provisioning",
                    format = record.format,
                    "the store record has an unknown format; entries installed earlier by the twin are kept as unnamed"
                );
                Self::new()
            }
            Err(e) => {
                tracing::warn!(
                    target: "provisioning",
                    error = %e,
                    "the store record is unreadable; entries installed earlier by the twin are kept as unnamed"
                );
                Self::new()
            }
        }
    }

    pub(crate) fn to_bytes(&self) -> Vec<u8> {
        let mut bytes = serde_json::to_vec_pretty(self).unwrap_or_default();
        bytes.push(b'\n');
        bytes
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_format_1_record_is_read_and_upgraded() {
        let old = br#"{"format": 1, "trusted": {"ca": "AB"}, "issuers": {}, "crls": {}}"#;
        let record = Record::from_bytes(Some(old));
        assert_eq!(record.format, FORMAT);
        assert_eq!(record.trusted["ca"], "AB");
        assert!(record.approved.is_empty());
        assert_eq!(Record::from_bytes(Some(&record.to_bytes())), record);
    }

    #[test]
    fn the_application_certificate_is_recorded_only_when_named() {
        let mut record = Record::new();
        assert!(!String::from_utf8_lossy(&record.to_bytes()).contains("applicationCert"));
        record.application_cert = Some("AB".to_owned());
        let bytes = record.to_bytes();
        assert!(String::from_utf8_lossy(&bytes).contains(r#""applicationCert": "AB""#));
        assert_eq!(Record::from_bytes(Some(&bytes)), record);
    }

    #[test]
    fn an_unknown_format_or_garbage_counts_as_empty() {
        let future = br#"{"format": 9, "trusted": {"ca": "AB"}, "issuers": {}, "crls": {}}"#;
        assert_eq!(Record::from_bytes(Some(future)), Record::new());
        assert_eq!(Record::from_bytes(Some(b"{")), Record::new());
    }
}
