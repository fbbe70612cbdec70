//! The reported picture of a store (ARCHITECTURE §4.1 "Reported"), read back from disk after
//! the reconciliation so it shows what the store holds, not what was asked for.

use std::collections::BTreeMap;
use std::time::SystemTime;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use pki::store::{StoredCertificate, StoredCrl};
use pki::{Certificate, Store, StoreContents, Thumbprint};
use serde_json::{Map, Value, json};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use crate::desired::ItemError;
use crate::reconcile::{Context, Status};
use crate::record::Record;

/// How many rejected certificates are reported (the newest).
pub const MAX_REPORTED_REJECTED: usize = 10;

/// The largest reported section in compact JSON. edgeHub allows 32 KB for all reported
/// properties of a module; the rest is left to the module's other properties.
pub const REPORTED_BUDGET_BYTES: usize = 24 * 1024;

/// The reported picture of `store` as it is, with `status` and `error` ([`crate::reconcile`]
/// ends with it; a module re-reports a refused document with it without planning it again).
#[must_use]
pub fn report(
    store: &Store,
    status: Status,
    desired_version: Option<i64>,
    error: Option<&ItemError>,
    context: &Context,
) -> Map<String, Value> {
    let mut out = Map::new();
    out.insert("desiredVersion".into(), json!(desired_version));
    let (contents, record) = match store.contents_and_record() {
        Ok((contents, bytes)) => (contents, Record::from_bytes(bytes.as_deref())),
        Err(e) => {
            let error = error
                .cloned()
                .unwrap_or_else(|| ItemError::new("store", "BadConfigurationError", e.to_string()));
            out.insert("status".into(), json!(Status::Error.as_str()));
            out.insert("error".into(), error_value(Some(&error)));
            return out;
        }
    };
    out.insert("status".into(), json!(status.as_str()));
    out.insert("error".into(), error_value(error));

    let own = contents.application_certificate();
    out.insert(
        "applicationCert".into(),
        own.map_or(Value::Null, |own| application_cert(&own.cert)),
    );
    out.insert(
        "trusted".into(),
        Value::Object(certificates(&contents.trusted, &record.trusted)),
    );
    out.insert(
        "issuers".into(),
        Value::Object(certificates(&contents.issuer, &record.issuers)),
    );
    out.insert("crls".into(), Value::Object(crls(&contents, &record.crls)));
    out.insert("csr".into(), csr(store, &contents, context));
    out.insert(
        "rejected".into(),
        Value::Object(rejected(&contents.rejected, context)),
    );
    fit(&mut out);
    out
}

fn error_value(error: Option<&ItemError>) -> Value {
    error.map_or(
        Value::Null,
        |e| json!({ "item": e.item, "code": e.code, "message": e.message }),
    )
}

fn time(at: OffsetDateTime) -> Value {
    at.format(&Rfc3339).map_or(Value::Null, Value::String)
}

fn application_cert(cert: &Certificate) -> Value {
    json!({
        "thumbprint": cert.thumbprint().to_string(),
        "subject": cert.subject(),
        "issuer": cert.issuer(),
        "notBefore": time(cert.not_before()),
        "notAfter": time(cert.not_after()),
        "selfSigned": cert.is_self_signed(),
        "applicationUri": cert.application_uri(),
    })
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
) -> Map<String, Value> {
    named(
        stored.iter().map(|s| (s.cert.thumbprint(), &s.cert)),
        recorded,
    )
    .into_iter()
    .map(|(name, cert)| {
        (
            name,
            json!({
                "thumbprint": cert.thumbprint().to_string(),
                "subject": cert.subject(),
                "notAfter": time(cert.not_after()),
            }),
        )
    })
    .collect()
}

fn crls(contents: &StoreContents, recorded: &BTreeMap<String, String>) -> Map<String, Value> {
    // One entry per CRL, with the stores it sits in.
    let mut by_thumbprint: BTreeMap<Thumbprint, (&StoredCrl, Vec<&str>)> = BTreeMap::new();
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
            .push(store);
    }
    named(by_thumbprint.iter().map(|(t, entry)| (*t, entry)), recorded)
        .into_iter()
        .map(|(name, (stored, stores))| {
            let crl = &stored.crl;
            (
                name,
                json!({
                    "issuer": crl.issuer(),
                    "thisUpdate": time(crl.this_update()),
                    "nextUpdate": crl.next_update().map_or(Value::Null, time),
                    "crlNumber": crl.crl_number(),
                    "revokedCount": crl.revoked_count(),
                    "stores": stores,
                }),
            )
        })
        .collect()
}

/// The CSR for the current key, so a CA can sign a certificate the module can use without
/// its key ever leaving the device.
fn csr(store: &Store, contents: &StoreContents, context: &Context) -> Value {
    let Some(own) = contents.application_certificate() else {
        return Value::Null;
    };
    if own.key_file.is_none() {
        return Value::Null;
    }
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
        Ok(der) => Value::String(BASE64.encode(der)),
        Err(e) => {
            tracing::warn!(target: "provisioning", error = %e, "no CSR can be reported for the application certificate");
            Value::Null
        }
    }
}

fn rejected(stored: &[StoredCertificate], context: &Context) -> Map<String, Value> {
    let mut by_age: Vec<(SystemTime, &StoredCertificate)> = stored
        .iter()
        .map(|s| {
            let at = std::fs::metadata(&s.file)
                .and_then(|m| m.modified())
                .unwrap_or(SystemTime::UNIX_EPOCH);
            (at, s)
        })
        .collect();
    by_age.sort_by_key(|entry| std::cmp::Reverse(entry.0));
    by_age
        .into_iter()
        .take(MAX_REPORTED_REJECTED)
        .map(|(at, s)| {
            let thumbprint = s.cert.thumbprint();
            let mut entry = json!({
                "subject": s.cert.subject(),
                "at": time(OffsetDateTime::from(at)),
            });
            if let Some(reason) = context.rejection_reasons.get(&thumbprint) {
                entry["reason"] = json!(reason);
            }
            (thumbprint.to_string(), entry)
        })
        .collect()
}

fn size(map: &Map<String, Value>) -> usize {
    serde_json::to_vec(map).map_or(usize::MAX, |v| v.len())
}

/// Keeps the section within [`REPORTED_BUDGET_BYTES`]: first the rejected list goes, then
/// trust-list entries keep only their thumbprints, then entries are left out, each step
/// marked by `truncated: true`.
fn fit(out: &mut Map<String, Value>) {
    if size(out) <= REPORTED_BUDGET_BYTES {
        return;
    }
    out.insert("truncated".into(), Value::Bool(true));
    if let Some(Value::Object(rejected)) = out.get_mut("rejected") {
        rejected.clear();
    }
    if size(out) <= REPORTED_BUDGET_BYTES {
        return;
    }
    for list in ["trusted", "issuers"] {
        if let Some(Value::Object(entries)) = out.get_mut(list) {
            for entry in entries.values_mut() {
                if let Value::Object(fields) = entry {
                    fields.retain(|k, _| k == "thumbprint");
                }
            }
        }
    }
    for list in ["trusted", "issuers", "crls"] {
        while size(out) > REPORTED_BUDGET_BYTES {
            let Some(Value::Object(entries)) = out.get_mut(list) else {
                break;
            };
            let Some(last) = entries.keys().next_back().cloned() else {
                break;
            };
            entries.remove(&last);
        }
    }
}
