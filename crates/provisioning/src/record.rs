//! Which store entries the twin installed, under which names (`<root>/.pki.record.json`).
//!
//! The record commits in the same store transaction as the files it names, so a crash never
//! leaves one without the other. It lets a reconciliation remove exactly what an earlier
//! desired document installed and nothing an operator put there by other means.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// Format version of the record file.
const FORMAT: u32 = 1;

/// The twin-managed entries of a store: name -> thumbprint (upper-case hex).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub(crate) struct Record {
    pub format: u32,
    pub trusted: BTreeMap<String, String>,
    pub issuers: BTreeMap<String, String>,
    pub crls: BTreeMap<String, String>,
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
            Ok(record) if record.format == FORMAT => record,
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
