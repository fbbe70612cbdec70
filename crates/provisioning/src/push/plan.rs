//! [`plan`] and [`apply`]: a session's staged changes replayed in order over the store's lists
//! (the would-be lists), refused whole on the first problem, otherwise the operations that turn
//! the store's lists into the would-be lists, committed as one `pki` transaction.
//!
//! CRLs: the store keeps a CRL beside the certificates that issued it (`UpdateCrl` installs it
//! in each list holding its issuer, whichever list the trust list named it in) and removes it
//! from both lists at once (`RemoveCrl`). So a CRL is removed only when neither would-be list
//! keeps it, and a CRL read back may sit in the other list than the one it was written to.
//! A CRL whose issuer is in neither list is refused by the store.

use std::collections::BTreeSet;

use pki::{
    Activation, Certificate, Crl, Operation, PlanOptions, PrivateKey, StoreContents, StoreKind,
    Thumbprint, UnknownCrlIssuer, ValidationOptions,
};
use time::OffsetDateTime;

use super::stage::{
    Change, Staged, TwinOwned, check_application_certificate_owner, decode_certificate, not_a_ca,
    parse_thumbprint, twin_owned,
};
use super::trust_list::Masks;
use super::{PushError, PushStatus};

/// One `pki` transaction for `ApplyChanges`.
#[derive(Debug, Clone)]
pub struct PushPlan {
    /// The operations for one `Store::transact`; empty when the store already is as staged.
    pub operations: Vec<Operation>,
    /// The batch's options: activation by the application, CRLs of unknown issuers refused,
    /// the current certificate's `ApplicationUri` required of a new one, the default
    /// validation policy (set the application's in `options.validation`; [`apply`] does).
    pub options: PlanOptions,
    /// True when a trust list (certificates or CRLs) changes.
    pub trust_changes: bool,
    /// True when the application certificate changes.
    pub own_changes: bool,
}

/// The would-be lists of a store.
#[derive(Debug, Clone, Default)]
struct Lists {
    trusted: Vec<Certificate>,
    trusted_crls: Vec<Crl>,
    issuer: Vec<Certificate>,
    issuer_crls: Vec<Crl>,
}

impl Lists {
    fn of(contents: &StoreContents) -> Self {
        Self {
            trusted: contents.trusted.iter().map(|s| s.cert.clone()).collect(),
            trusted_crls: contents
                .trusted_crls
                .iter()
                .map(|s| s.crl.clone())
                .collect(),
            issuer: contents.issuer.iter().map(|s| s.cert.clone()).collect(),
            issuer_crls: contents.issuer_crls.iter().map(|s| s.crl.clone()).collect(),
        }
    }

    fn certs(&mut self, is_trusted: bool) -> &mut Vec<Certificate> {
        if is_trusted {
            &mut self.trusted
        } else {
            &mut self.issuer
        }
    }

    fn crls(&mut self, is_trusted: bool) -> &mut Vec<Crl> {
        if is_trusted {
            &mut self.trusted_crls
        } else {
            &mut self.issuer_crls
        }
    }
}

/// A staged change with its items decoded.
enum Decoded {
    TrustList {
        specified: Masks,
        lists: Box<Lists>,
    },
    Add {
        cert: Box<Certificate>,
        is_trusted: bool,
    },
    Remove {
        thumbprint: Thumbprint,
        is_trusted: bool,
    },
}

/// Plans `staged` against a store's `contents` and its `record` (see the module docs): every
/// certificate and CRL is decoded first (`BadCertificateInvalid` naming the list and index),
/// the changes are replayed in order over the store's lists, removals of twin-owned entries
/// are refused (`BadRequestNotAllowed`), and the difference becomes the operations.
///
/// `pending_key` is the key `CreateSigningRequest` generated with `regeneratePrivateKey`, if
/// any; `now` is the time certificates are checked against.
pub fn plan(
    contents: &StoreContents,
    record: Option<&[u8]>,
    staged: &Staged,
    pending_key: Option<&PrivateKey>,
    now: OffsetDateTime,
) -> Result<PushPlan, PushError> {
    let owned = twin_owned(record);
    let decoded = decode(staged)?;
    let mut lists = Lists::of(contents);
    for change in decoded {
        replay(&mut lists, change)?;
    }

    let current = contents.application_certificate();
    let mut own = None;
    if let Some(update) = &staged.application_certificate {
        check_application_certificate_owner(&owned)?;
        let cert = decode_certificate(&update.der, "certificate")?;
        let key = application_key(contents, &cert, update.key.as_ref(), pending_key)?;
        if let Some(uri) = current.and_then(|own| own.cert.application_uri())
            && !cert.application_uris().iter().any(|u| u == uri)
        {
            return Err(PushError::new(
                pki::StatusCode::BadCertificateUriInvalid,
                format!(
                    "the new certificate does not carry the application's URI {uri} (it has {})",
                    cert.application_uris().join(", ")
                ),
            ));
        }
        for (index, der) in update.issuers.iter().enumerate() {
            let issuer = decode_certificate(der, &format!("issuerCertificates[{index}]"))?;
            add(&mut lists.issuer, issuer);
        }
        own = Some((cert, key));
    }

    check_ownership(contents, &lists, &owned)?;

    let mut operations = trust_operations(contents, &lists);
    let trust_changes = !operations.is_empty();
    let own_changes = own.is_some();
    if let Some((cert, key)) = own {
        operations.push(Operation::UpdateApplicationCertificate { cert, key });
    }

    let mut options = PlanOptions::new(now);
    options.unknown_crl_issuer = UnknownCrlIssuer::Reject;
    options.activation = Activation::ByApplication;
    options.application_uri = current
        .and_then(|own| own.cert.application_uri())
        .map(str::to_owned);
    Ok(PushPlan {
        operations,
        options,
        trust_changes,
        own_changes,
    })
}

/// What `ApplyChanges` did.
#[derive(Debug, Clone)]
pub struct Applied {
    /// The store's outcome (files written, log lines, the application certificate after it).
    pub outcome: pki::Outcome,
    /// True when a trust list changed: reload the trust lists.
    pub trust_changed: bool,
    /// True when the application certificate changed: the application must take it.
    pub application_certificate_changed: bool,
}

/// `ApplyChanges`: [`plan`] and commit `staged` in one [`pki::Store::transact_with`], so the
/// ownership check and the commit see the same store (a twin pass cannot slip in between).
/// A new application certificate's chain is checked with `validation` (the policy the
/// application runs with). A refusal of the plan or of the store leaves the store as it was.
pub fn apply(
    store: &pki::Store,
    staged: &Staged,
    pending_key: Option<&PrivateKey>,
    validation: &ValidationOptions,
    now: OffsetDateTime,
) -> Result<Applied, PushError> {
    let mut flags = (false, false);
    let outcome = store
        .transact_with(|contents, record| {
            let planned = batch(contents, record, staged, pending_key, validation, now)?;
            flags = (planned.trust_changes, planned.own_changes);
            Ok((planned.operations, planned.options))
        })
        .map_err(from_store)?;
    Ok(Applied {
        trust_changed: outcome.changed && flags.0,
        application_certificate_changed: outcome.changed && flags.1,
        outcome,
    })
}

/// What [`apply`] would do to the store now, without doing it: the same plan and the same
/// store validation (a new application certificate's chain against the trust lists as the
/// staged changes leave them, with `validation`), nothing written. `UpdateCertificate` calls
/// it: OPC 10000-12 §7.10.5 has the server validate the certificate per OPC 10000-4 when the
/// method is called and report the validation's status code.
pub fn check(
    store: &pki::Store,
    staged: &Staged,
    pending_key: Option<&PrivateKey>,
    validation: &ValidationOptions,
    now: OffsetDateTime,
) -> Result<(), PushError> {
    store
        .check_with(|contents, record| {
            let planned = batch(contents, record, staged, pending_key, validation, now)?;
            Ok((planned.operations, planned.options))
        })
        .map_err(from_store)
}

/// [`plan`] with the application's validation policy.
fn batch(
    contents: &StoreContents,
    record: Option<&[u8]>,
    staged: &Staged,
    pending_key: Option<&PrivateKey>,
    validation: &ValidationOptions,
    now: OffsetDateTime,
) -> Result<PushPlan, PushError> {
    let mut planned = plan(contents, record, staged, pending_key, now)?;
    planned.options.validation = validation.clone();
    Ok(planned)
}

fn from_store(error: pki::TransactWithError<PushError>) -> PushError {
    match error {
        pki::TransactWithError::Refused(e) => e,
        pki::TransactWithError::Transact(e) => PushError::from_transact(&e),
    }
}

/// The operations that turn the store's lists into `lists`.
fn trust_operations(contents: &StoreContents, lists: &Lists) -> Vec<Operation> {
    let mut operations = Vec::new();
    for (kind, before, after) in [
        (StoreKind::Trusted, &contents.trusted, &lists.trusted),
        (StoreKind::Issuer, &contents.issuer, &lists.issuer),
    ] {
        let keep: BTreeSet<Thumbprint> = after.iter().map(Certificate::thumbprint).collect();
        let have: BTreeSet<Thumbprint> = before.iter().map(|s| s.cert.thumbprint()).collect();
        for thumbprint in &have {
            let thumbprint = *thumbprint;
            if !keep.contains(&thumbprint) {
                operations.push(Operation::RemoveCertificate {
                    store: kind,
                    thumbprint,
                });
            }
        }
        let added: Vec<Certificate> = after
            .iter()
            .filter(|c| !have.contains(&c.thumbprint()))
            .cloned()
            .collect();
        if !added.is_empty() {
            operations.push(match kind {
                StoreKind::Issuer => Operation::AddIssuers(added),
                _ => Operation::AddTrusted(added),
            });
        }
    }
    // The store keeps a CRL beside the certificates that issued it (`UpdateCrl`) and removes
    // it from both lists (`RemoveCrl`): a CRL is removed when neither would-be list keeps it.
    let kept: BTreeSet<Thumbprint> = lists
        .trusted_crls
        .iter()
        .chain(&lists.issuer_crls)
        .map(Crl::thumbprint)
        .collect();
    let mut removed = BTreeSet::new();
    for stored in contents.trusted_crls.iter().chain(&contents.issuer_crls) {
        let thumbprint = stored.crl.thumbprint();
        if !kept.contains(&thumbprint) && removed.insert(thumbprint) {
            operations.push(Operation::RemoveCrl(thumbprint));
        }
    }
    let mut updated = BTreeSet::new();
    for (list, stored) in [
        (&lists.trusted_crls, &contents.trusted_crls),
        (&lists.issuer_crls, &contents.issuer_crls),
    ] {
        for crl in list {
            let thumbprint = crl.thumbprint();
            if !stored.iter().any(|s| s.crl.thumbprint() == thumbprint)
                && updated.insert(thumbprint)
            {
                operations.push(Operation::UpdateCrl(crl.clone()));
            }
        }
    }
    operations
}

fn decode(staged: &Staged) -> Result<Vec<Decoded>, PushError> {
    let mut decoded = Vec::with_capacity(staged.changes.len());
    for change in &staged.changes {
        decoded.push(match change {
            Change::TrustList(list) => {
                let certs = |items: &[Vec<u8>], name: &str| {
                    items
                        .iter()
                        .enumerate()
                        .map(|(i, der)| decode_certificate(der, &format!("{name}[{i}]")))
                        .collect::<Result<Vec<_>, _>>()
                };
                let crls = |items: &[Vec<u8>], name: &str| {
                    items
                        .iter()
                        .enumerate()
                        .map(|(i, der)| {
                            Crl::from_der(der).map_err(|e| {
                                PushError::new(
                                    pki::StatusCode::BadCertificateInvalid,
                                    format!("trust list {name}[{i}] is not a CRL: {e}"),
                                )
                            })
                        })
                        .collect::<Result<Vec<_>, _>>()
                };
                let lists = Lists {
                    trusted: certs(&list.trusted_certificates, "trust list TrustedCertificates")?,
                    trusted_crls: crls(&list.trusted_crls, "TrustedCrls")?,
                    issuer: certs(&list.issuer_certificates, "trust list IssuerCertificates")?,
                    issuer_crls: crls(&list.issuer_crls, "IssuerCrls")?,
                };
                for (i, cert) in lists.issuer.iter().enumerate() {
                    if !cert.is_ca() {
                        return Err(not_a_ca(
                            cert,
                            &format!("trust list IssuerCertificates[{i}]"),
                        ));
                    }
                }
                Decoded::TrustList {
                    specified: list.specified,
                    lists: Box::new(lists),
                }
            }
            Change::AddCertificate { der, is_trusted } => {
                let cert = decode_certificate(der, "certificate")?;
                if !is_trusted && !cert.is_ca() {
                    return Err(not_a_ca(&cert, "certificate"));
                }
                Decoded::Add {
                    cert: Box::new(cert),
                    is_trusted: *is_trusted,
                }
            }
            Change::RemoveCertificate {
                thumbprint,
                is_trusted,
            } => Decoded::Remove {
                thumbprint: parse_thumbprint(thumbprint)?,
                is_trusted: *is_trusted,
            },
        });
    }
    Ok(decoded)
}

fn replay(lists: &mut Lists, change: Decoded) -> Result<(), PushError> {
    match change {
        Decoded::TrustList {
            specified,
            lists: new,
        } => {
            let Lists {
                trusted,
                trusted_crls,
                issuer,
                issuer_crls,
            } = *new;
            if specified.contains(Masks::TRUSTED_CERTIFICATES) {
                lists.trusted = dedup(trusted, Certificate::thumbprint);
            }
            if specified.contains(Masks::TRUSTED_CRLS) {
                lists.trusted_crls = dedup(trusted_crls, Crl::thumbprint);
            }
            if specified.contains(Masks::ISSUER_CERTIFICATES) {
                lists.issuer = dedup(issuer, Certificate::thumbprint);
            }
            if specified.contains(Masks::ISSUER_CRLS) {
                lists.issuer_crls = dedup(issuer_crls, Crl::thumbprint);
            }
        }
        Decoded::Add { cert, is_trusted } => add(lists.certs(is_trusted), *cert),
        Decoded::Remove {
            thumbprint,
            is_trusted,
        } => {
            let certs = lists.certs(is_trusted);
            let Some(at) = certs.iter().position(|c| c.thumbprint() == thumbprint) else {
                return Err(PushError::new(
                    PushStatus::BadInvalidArgument,
                    format!(
                        "no certificate with thumbprint {thumbprint} is in the {} list",
                        if is_trusted { "trusted" } else { "issuer" }
                    ),
                ));
            };
            let cert = certs.remove(at);
            // A CA goes with its CRLs (OPC 10000-12 §7.8.2.6).
            if cert.is_ca() {
                lists
                    .crls(is_trusted)
                    .retain(|crl| crl.issuer_der() != cert.subject_der());
            }
        }
    }
    Ok(())
}

/// Refuses a plan that leaves out an entry the twin installed and the store holds.
fn check_ownership(
    contents: &StoreContents,
    lists: &Lists,
    owned: &TwinOwned,
) -> Result<(), PushError> {
    let lists_certs = [
        (&contents.trusted, &lists.trusted, &owned.trusted),
        (&contents.issuer, &lists.issuer, &owned.issuers),
    ];
    for (before, after, owned) in lists_certs {
        for stored in before {
            let thumbprint = stored.cert.thumbprint();
            if let Some(item) = owned.get(&thumbprint)
                && !after.iter().any(|c| c.thumbprint() == thumbprint)
            {
                return Err(twin_owns(item, thumbprint));
            }
        }
    }
    let kept: BTreeSet<Thumbprint> = lists
        .trusted_crls
        .iter()
        .chain(&lists.issuer_crls)
        .map(Crl::thumbprint)
        .collect();
    for stored in contents.trusted_crls.iter().chain(&contents.issuer_crls) {
        let thumbprint = stored.crl.thumbprint();
        if let Some(item) = owned.crls.get(&thumbprint)
            && !kept.contains(&thumbprint)
        {
            return Err(twin_owns(item, thumbprint));
        }
    }
    Ok(())
}

fn twin_owns(item: &str, thumbprint: Thumbprint) -> PushError {
    PushError::new(
        PushStatus::BadRequestNotAllowed,
        format!(
            "{thumbprint} is the module twin's entry {item}; push management may not remove it: change it through the module twin's desired pki section"
        ),
    )
}

/// The key for a new application certificate: the one given with it, else the pending key of
/// `CreateSigningRequest`, else the current key (`None`: the store keeps it).
fn application_key(
    contents: &StoreContents,
    cert: &Certificate,
    given: Option<&PrivateKey>,
    pending: Option<&PrivateKey>,
) -> Result<Option<PrivateKey>, PushError> {
    let mismatch = |which: &str| {
        PushError::new(
            pki::StatusCode::BadSecurityChecksFailed,
            format!("the certificate {} does not match {which}", cert.subject()),
        )
    };
    if let Some(key) = given {
        return if key.matches(cert) {
            Ok(Some(key.clone()))
        } else {
            Err(mismatch("the private key sent with it"))
        };
    }
    if let Some(key) = pending.filter(|key| key.matches(cert)) {
        return Ok(Some(key.clone()));
    }
    let current_matches = contents.application_certificate().is_some_and(|own| {
        own.key_file.is_some()
            && match (own.cert.x509().public_key(), cert.x509().public_key()) {
                (Ok(old), Ok(new)) => old.public_eq(&new),
                _ => false,
            }
    });
    if current_matches {
        Ok(None)
    } else if pending.is_some() {
        Err(mismatch(
            "the key of the last CreateSigningRequest nor the current private key",
        ))
    } else {
        Err(mismatch("the current private key"))
    }
}

fn add(list: &mut Vec<Certificate>, cert: Certificate) {
    if !list.iter().any(|c| c.thumbprint() == cert.thumbprint()) {
        list.push(cert);
    }
}

fn dedup<T>(items: Vec<T>, key: impl Fn(&T) -> Thumbprint) -> Vec<T> {
    let mut seen = BTreeSet::new();
    items
        .into_iter()
        .filter(|item| seen.insert(key(item)))
        .collect()
}
