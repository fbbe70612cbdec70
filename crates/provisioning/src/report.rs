//! The reported picture of a store (docs/architecture.md §4), read back from disk after the
//! reconciliation so it shows what the store holds, not what was asked for.

use std::collections::BTreeMap;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use pki::store::{StoredCertificate, StoredCrl};
use pki::{
    Certificate, PeerExpectations, Store, StoreContents, Thumbprint, TrustSnapshot,
    ValidationOptions,
};
use time::OffsetDateTime;

use crate::contract::{
    ApplicationCertReport, CertificateReport, CrlReport, ErrorCode, ItemError, RejectedReport,
    ReportedPki, Section, Status,
};
use crate::expiry;
use crate::reconcile::Context;
use crate::record::Record;

/// How many rejected certificates are reported (the newest).
pub const MAX_REPORTED_REJECTED: usize = 10;

/// The largest reported section in compact JSON by default. edgeHub allows 32 KB for all
/// reported properties of a module; the rest is left to the module's other properties.
pub const REPORTED_BUDGET_BYTES: usize = 24 * 1024;

/// What the report says besides the store: the outcome of the last reconciliation and the
/// policy the module's validators run with.
#[derive(Debug, Clone)]
pub(crate) struct Header<'a> {
    pub status: Status,
    pub error: Option<&'a ItemError>,
    pub desired_version: Option<hub_proto::twin::TwinVersion>,
    pub section: Section,
    /// The policy in force (own `pki`), reported and used to judge rejected certificates.
    pub policy: &'a ValidationOptions,
    pub warning_days: u32,
}

/// The reported picture of `store` as it is.
pub(crate) fn report(store: &Store, header: &Header<'_>, context: &Context) -> ReportedPki {
    let mut out =
        ReportedPki::outcome_only(header.status, header.error.cloned(), header.desired_version);
    out.expiry.warning_days = header.warning_days;
    if header.section == Section::OwnPki {
        out.reject_unknown_revocation_status = Some(header.policy.reject_unknown_revocation);
        out.reject_sha1_signed_certificates = Some(header.policy.reject_sha1);
        out.minimum_certificate_key_size = Some(header.policy.min_key_bits);
    }
    let (contents, record) = match store.contents_and_record() {
        Ok((contents, bytes)) => (contents, Record::from_bytes(bytes.as_deref())),
        Err(e) => {
            out.status = Status::Error;
            out.error = Some(header.error.cloned().unwrap_or_else(|| {
                ItemError::new("store", ErrorCode::BadConfigurationError, e.to_string())
            }));
            return out;
        }
    };
    let now = context.now;
    out.application_cert = contents
        .application_certificate()
        .map(|own| application_cert(&own.cert, now));
    out.trusted = certificates(&contents.trusted, &record.trusted, now);
    out.issuers = certificates(&contents.issuer, &record.issuers, now);
    out.crls = crls(&contents, &record.crls, now);
    out.csr = csr(store, &contents, context);
    let policy = match header.section {
        Section::OwnPki => header.policy.clone(),
        // The app validates with its own policy; judge with the common defaults.
        Section::AgentStore => ValidationOptions::default(),
    };
    out.rejected = rejected(&contents, &policy, context);
    out.restart = record.restart;
    out.expiry = expiry::summary(&out, header.warning_days, now);
    out.fit(context.report_budget);
    out
}

fn application_cert(cert: &Certificate, now: OffsetDateTime) -> ApplicationCertReport {
    ApplicationCertReport {
        thumbprint: cert.thumbprint().to_string(),
        subject: cert.subject().to_owned(),
        issuer: cert.issuer().to_owned(),
        not_before: cert.not_before(),
        not_after: cert.not_after(),
        days_left: expiry::days_left(cert.not_after(), now),
        self_signed: cert.is_self_signed(),
        application_uri: cert.application_uri().map(str::to_owned),
    }
}

/// Names for store entries: the twin's name where the record has one, else the thumbprint
/// (entries put there by other means, such as the command line or an approval).
fn named<'a, T>(
    entries: impl Iterator<Item = (Thumbprint, &'a T)>,
    recorded: &BTreeMap<String, String>,
) -> Vec<(String, &'a T)> {
    let mut out = Vec::new();
    for (thumbprint, entry) in entries {
        let hex = thumbprint.to_string();
        let mut found = false;
        for (name, t) in recorded {
            if *t == hex {
                out.push((name.clone(), entry));
                found = true;
            }
        }
        if !found {
            out.push((hex, entry));
        }
    }
    out
}

fn certificates(
    stored: &[StoredCertificate],
    recorded: &BTreeMap<String, String>,
    now: OffsetDateTime,
) -> BTreeMap<String, CertificateReport> {
    named(
        stored.iter().map(|s| (s.cert.thumbprint(), &s.cert)),
        recorded,
    )
    .into_iter()
    .map(|(name, cert)| {
        (
            name,
            CertificateReport {
                thumbprint: cert.thumbprint().to_string(),
                subject: Some(cert.subject().to_owned()),
                not_after: Some(cert.not_after()),
                days_left: Some(expiry::days_left(cert.not_after(), now)),
            },
        )
    })
    .collect()
}

fn crls(
    contents: &StoreContents,
    recorded: &BTreeMap<String, String>,
    now: OffsetDateTime,
) -> BTreeMap<String, CrlReport> {
    // One entry per CRL, with the stores it sits in.
    let mut by_thumbprint: BTreeMap<Thumbprint, (&StoredCrl, Vec<String>)> = BTreeMap::new();
    for (stored, store) in contents
        .trusted_crls
        .iter()
        .map(|s| (s, "trusted"))
        .chain(contents.issuer_crls.iter().map(|s| (s, "issuer")))
    {
        by_thumbprint
            .entry(stored.crl.thumbprint())
            .or_insert((stored, Vec::new()))
            .1
            .push(store.to_owned());
    }
    named(by_thumbprint.iter().map(|(t, entry)| (*t, entry)), recorded)
        .into_iter()
        .map(|(name, (stored, stores))| {
            let crl = &stored.crl;
            (
                name,
                CrlReport {
                    issuer: crl.issuer().to_owned(),
                    this_update: crl.this_update(),
                    next_update: crl.next_update(),
                    out_of_date: crl.next_update().is_some_and(|next| next <= now),
                    crl_number: crl.crl_number(),
                    revoked_count: crl.revoked_count(),
                    stores: stores.clone(),
                },
            )
        })
        .collect()
}

/// The CSR for the current key, so a CA can sign a certificate the application can use
/// without its key ever leaving the device.
fn csr(store: &Store, contents: &StoreContents, context: &Context) -> Option<String> {
    let own = contents.application_certificate()?;
    own.key_file.as_ref()?;
    let request = store
        .load_key(own)
        .map_err(|e| e.to_string())
        .and_then(|key| {
            pki::create_csr(
                &own.cert,
                &key,
                context.application_uri.as_deref(),
                context.dns_names.as_deref(),
            )
            .map_err(|e| e.to_string())
        });
    match request {
        Ok(der) => Some(BASE64.encode(der)),
        Err(e) => {
            tracing::warn!(target: "provisioning", error = %e, "no CSR can be reported for the application certificate");
            None
        }
    }
}

/// The newest rejected certificates, each with the reason the module's verifier gave or, when
/// it does not remember one (an app of cert-agent, a restart since), the reason the store's
/// trust lists give now.
fn rejected(
    contents: &StoreContents,
    policy: &ValidationOptions,
    context: &Context,
) -> BTreeMap<String, RejectedReport> {
    let by_age = crate::push::rejected::newest_first(contents);
    let snapshot = TrustSnapshot::from_contents(contents);
    by_age
        .into_iter()
        .take(MAX_REPORTED_REJECTED)
        .map(|(at, s)| {
            let cert = &s.cert;
            let thumbprint = cert.thumbprint();
            let reason = context
                .rejection_reasons
                .get(&thumbprint)
                .map(|status| ErrorCode::from(*status))
                .or_else(|| {
                    pki::validate_chain(
                        &snapshot,
                        std::slice::from_ref(cert),
                        context.now,
                        policy,
                        &PeerExpectations::default(),
                    )
                    .err()
                    .map(|e| ErrorCode::from(e.status))
                });
            (
                thumbprint.to_string(),
                RejectedReport {
                    subject: cert.subject().to_owned(),
                    issuer: cert.issuer().to_owned(),
                    application_uri: cert.application_uri().map(str::to_owned),
                    not_before: cert.not_before(),
                    not_after: cert.not_after(),
                    at: OffsetDateTime::from(at),
                    reason,
                },
            )
        })
        .collect()
}
