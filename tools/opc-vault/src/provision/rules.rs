//! The decisions of provisioning as plain functions over the contract types and the vault's
//! index: keep or sign ([`decide`]), the desired section ([`desired_document`]), whether to
//! write it ([`needs_patch`]) and what the module's report means ([`verdict`]).

use std::collections::BTreeMap;

use base64::Engine as _;
use hub_proto::twin::TwinVersion;
use provisioning::{DesiredPki, ItemError, ReportedPki, Status};
use serde_json::Value;
use time::OffsetDateTime;

use crate::model::{CaRole, CertStatus, Index};
use crate::vault::VaultState;

use super::TargetError;

const BASE64: base64::engine::general_purpose::GeneralPurpose =
    base64::engine::general_purpose::STANDARD;

/// What to do with a target's application certificate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Decision {
    /// Leave it: issued by this vault, valid, not due.
    Keep {
        /// Its thumbprint.
        thumbprint: String,
        /// Days left.
        days_left: i64,
    },
    /// Sign the reported CSR, for this reason.
    Sign {
        /// Why (`self-signed`, `revoked`, `expires in 12 days`, …).
        why: String,
    },
}

/// Whether the reported application certificate stays: it must be one this vault issued
/// (by thumbprint), not revoked, with more than `renew_days` left at `now`.
#[must_use]
pub fn decide(
    index: &Index,
    reported: &ReportedPki,
    renew_days: u32,
    now: OffsetDateTime,
) -> Decision {
    let Some(app) = &reported.application_cert else {
        return Decision::Sign {
            why: "no application certificate reported".to_owned(),
        };
    };
    match index.by_thumbprint(&app.thumbprint) {
        None if app.self_signed => Decision::Sign {
            why: "self-signed".to_owned(),
        },
        None => Decision::Sign {
            why: format!("issued by '{}', not by this vault", app.issuer),
        },
        Some(record) if record.status == CertStatus::Revoked => Decision::Sign {
            why: format!("{} was revoked", record.thumbprint),
        },
        Some(record) if record.days_left(now) <= i64::from(renew_days) => Decision::Sign {
            why: format!("{} day(s) left", record.days_left(now)),
        },
        Some(record) => Decision::Keep {
            thumbprint: record.thumbprint.clone(),
            days_left: record.days_left(now),
        },
    }
}

fn b64(der: &[u8]) -> String {
    BASE64.encode(der)
}

/// The desired section the vault writes: `application_cert` (when one was issued), the root
/// in `trusted` and `issuers`, the intermediate in `issuers`, each CA's current CRL in
/// `crls`, under the stable names of [`CaRole::twin_name`]. An intermediate name that the
/// vault no longer has but `current` still carries is removed (`null`).
#[must_use]
pub fn desired_document(
    state: &VaultState,
    application_cert: Option<&pki::Certificate>,
    current: Option<&DesiredPki>,
) -> DesiredPki {
    let mut document = DesiredPki {
        application_cert: application_cert.map(|c| b64(c.der())),
        ..DesiredPki::default()
    };
    let root = CaRole::Root.twin_name().to_owned();
    document
        .trusted
        .insert(root.clone(), Some(b64(state.root.der())));
    document.issuers.insert(root, Some(b64(state.root.der())));
    let issuing = CaRole::Issuing.twin_name().to_owned();
    if let Some(cert) = &state.issuing {
        document.issuers.insert(issuing, Some(b64(cert.der())));
    } else {
        if current.is_some_and(|c| c.issuers.contains_key(&issuing)) {
            document.issuers.insert(issuing.clone(), None);
        }
        if current.is_some_and(|c| c.crls.contains_key(&issuing)) {
            document.crls.insert(issuing, None);
        }
    }
    for issued in &state.crls {
        document.crls.insert(
            issued.role.twin_name().to_owned(),
            Some(b64(issued.crl.der())),
        );
    }
    document
}

/// True unless `current` already holds every member `wanted` sets (a `None` entry of
/// `wanted` must be absent from `current`).
#[must_use]
pub fn needs_patch(current: Option<&DesiredPki>, wanted: &DesiredPki) -> bool {
    let Some(current) = current else {
        return true;
    };
    let differs = |have: &BTreeMap<String, Option<String>>,
                   want: &BTreeMap<String, Option<String>>| {
        want.iter().any(|(name, value)| match value {
            Some(_) => have.get(name) != Some(value),
            None => have.get(name).is_some_and(Option::is_some),
        })
    };
    (wanted.application_cert.is_some() && wanted.application_cert != current.application_cert)
        || differs(&current.trusted, &wanted.trusted)
        || differs(&current.issuers, &wanted.issuers)
        || differs(&current.crls, &wanted.crls)
}

/// What a target must report once it applied the document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Expectation {
    /// The desired version written (or found current).
    pub version: Option<TwinVersion>,
    /// The application certificate's thumbprint, when it matters.
    pub thumbprint: Option<String>,
    /// Each CRL's twin name and number.
    pub crls: Vec<(String, u64)>,
}

/// Where a target stands.
#[derive(Debug)]
pub enum Verdict {
    /// It reports what was expected.
    Done,
    /// Not yet, for this reason.
    Wait(String),
    /// It refused the document or could not apply it.
    Failed(TargetError),
}

/// Judges a reported section against the expectation.
#[must_use]
pub fn verdict(reported: &ReportedPki, expected: &Expectation, property: &str) -> Verdict {
    let answered = reported.desired_version.map(TwinVersion::get);
    if let Some(version) = expected.version
        && answered.is_none_or(|answered| answered < version.get())
    {
        return Verdict::Wait(match answered {
            Some(answered) => format!(
                "it reports desired version {answered}, waiting for {}",
                version.get()
            ),
            None => "it reports no desired version yet".to_owned(),
        });
    }
    if reported.status != Status::Applied {
        let error = reported.error.clone().unwrap_or_else(|| {
            ItemError::new(
                "",
                provisioning::ErrorCode::BadConfigurationError,
                "no error reported",
            )
        });
        return Verdict::Failed(TargetError::Refused {
            status: reported.status.as_str(),
            property: property.to_owned(),
            version: answered.unwrap_or_default(),
            error,
        });
    }
    if let Some(thumbprint) = &expected.thumbprint {
        let current = reported
            .application_cert
            .as_ref()
            .map(|a| a.thumbprint.as_str());
        if current != Some(thumbprint.as_str()) {
            return Verdict::Wait(format!(
                "it reports the certificate {}, waiting for {thumbprint}",
                current.unwrap_or("(none)")
            ));
        }
    }
    for (name, number) in &expected.crls {
        let current = reported.crls.get(name).and_then(|c| c.crl_number);
        if current != Some(*number) {
            return Verdict::Wait(format!(
                "it reports CRL {name} number {}, waiting for {number}",
                current.map_or_else(|| "(none)".to_owned(), |n| n.to_string())
            ));
        }
    }
    Verdict::Done
}

/// Reads a reported section; `Err` says why it is not one (yet).
pub(crate) fn parse_reported(value: Option<Value>, property: &str) -> Result<ReportedPki, String> {
    let value = value.ok_or_else(|| format!("it reports no {property} yet"))?;
    serde_json::from_value(value)
        .map_err(|e| format!("its reported {property} is not readable: {e}"))
}
