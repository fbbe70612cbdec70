//! One reconciliation: the desired document against the store, applied atomically or not at
//! all, then the reported picture of the store.

use std::collections::{BTreeMap, BTreeSet};

use pki::{
    Certificate, Operation, PlanOptions, Store, StoreContents, StoreKind, Thumbprint,
    TransactError, UnknownCrlIssuer, ValidationOptions,
};
use serde_json::{Map, Value};
use time::OffsetDateTime;

use crate::desired::{DesiredPki, ItemError, Section};
use crate::record::Record;
use crate::reported;

/// What the module knows that the twin does not.
#[derive(Debug, Clone)]
pub struct Context {
    /// The time against which certificates are checked.
    pub now: OffsetDateTime,
    /// The module's `ApplicationUri`: a new application certificate must carry it, and the CSR
    /// asks for it. `None` for stores of other apps whose URI is not known (cert-agent).
    pub application_uri: Option<String>,
    /// DNS names (or IP addresses) for the CSR's SAN; `None` keeps those of the current
    /// certificate.
    pub dns_names: Option<Vec<String>>,
    /// The validation policy of the module's command line: the base the twin's
    /// `rejectUnknownRevocationStatus` overrides.
    pub validation: ValidationOptions,
    /// True when the module applies [`Reconciliation::validation`] to its running validators.
    /// Otherwise a `rejectUnknownRevocationStatus` other than the command line's is refused
    /// (`BadNotSupported`): reporting it as applied would lie about what the module does.
    pub live_policy: bool,
    /// Why the module refused the certificates of `rejected/` (thumbprint -> status name), as
    /// far as it saw it; reported next to each rejected certificate.
    pub rejection_reasons: BTreeMap<Thumbprint, String>,
}

impl Context {
    /// A context at `now` with the default policy and nothing else known.
    #[must_use]
    pub fn new(now: OffsetDateTime) -> Self {
        Self {
            now,
            application_uri: None,
            dns_names: None,
            validation: ValidationOptions::default(),
            live_policy: false,
            rejection_reasons: BTreeMap::new(),
        }
    }
}

/// The result of a reconciliation, reported as `status`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    /// The store holds what the desired document asks for.
    Applied,
    /// An item of the desired document is invalid; the store is unchanged.
    Rejected,
    /// The store could not be read or written; the store shows its old or its new state.
    Error,
}

impl Status {
    /// The reported spelling.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Applied => "applied",
            Self::Rejected => "rejected",
            Self::Error => "error",
        }
    }
}

/// What a reconciliation did and what to report.
#[derive(Debug, Clone)]
pub struct Reconciliation {
    /// Applied, rejected or error.
    pub status: Status,
    /// The refused item or the store failure (`None` when applied).
    pub error: Option<ItemError>,
    /// True when store files were written.
    pub changed: bool,
    /// True when the trust lists (certificates or CRLs) changed: reload them.
    pub trust_changed: bool,
    /// True when the application certificate changed: the stack must take the new one.
    pub application_certificate_changed: bool,
    /// cert-agent: the module to restart after an own-certificate change.
    pub restart_module: Option<String>,
    /// The policy the desired document asks for: the command line's with the twin's
    /// `rejectUnknownRevocationStatus` (the command line's alone when the document is refused).
    pub validation: ValidationOptions,
    /// The reported section (`properties.reported.pki` or `stores.<name>`), complete: diff it
    /// against the previous one to get the patch with `null`s for removed entries.
    pub reported: Map<String, Value>,
}

/// Reconciles `store` with a desired section (the full document, as after every connect, or
/// the section after a patch was merged into it). Idempotent: the same document again writes
/// nothing.
#[must_use]
pub fn reconcile(
    store: &Store,
    desired: Option<&Value>,
    desired_version: Option<i64>,
    section: Section,
    context: &Context,
) -> Reconciliation {
    let mut result = Reconciliation {
        status: Status::Applied,
        error: None,
        changed: false,
        trust_changed: false,
        application_certificate_changed: false,
        restart_module: None,
        validation: context.validation.clone(),
        reported: Map::new(),
    };
    let desired = match DesiredPki::parse(desired, section) {
        Ok(desired) => desired,
        Err(error) => return refused(store, desired_version, context, result, error),
    };
    let policy = context.validation.reject_unknown_revocation;
    if let Some(wanted) = desired.reject_unknown_revocation_status
        && wanted != policy
        && !context.live_policy
    {
        let error = ItemError::new(
            "rejectUnknownRevocationStatus",
            "BadNotSupported",
            format!(
                "the module runs with rejectUnknownRevocationStatus {policy} from its command line (--drurs) and cannot change it from the twin; set {policy} or remove the property"
            ),
        );
        return refused(store, desired_version, context, result, error);
    }
    match apply(store, &desired, context) {
        Ok(applied) => {
            result.changed = applied.changed;
            result.trust_changed = applied.trust_changed;
            result.application_certificate_changed = applied.own_changed;
            result.restart_module = desired.restart_module;
            if let Some(wanted) = desired.reject_unknown_revocation_status {
                result.validation.reject_unknown_revocation = wanted;
            }
        }
        Err((status, error)) => {
            tracing::debug!(target: "provisioning", item = %error.item, code = %error.code, "desired PKI not applied, the store is unchanged: {}", error.message);
            result.status = status;
            result.error = Some(error);
        }
    }
    result.reported = reported::report(
        store,
        result.status,
        desired_version,
        result.error.as_ref(),
        context,
    );
    result
}

/// A document refused before planning: the store is untouched, the report says why.
fn refused(
    store: &Store,
    desired_version: Option<i64>,
    context: &Context,
    mut result: Reconciliation,
    error: ItemError,
) -> Reconciliation {
    tracing::debug!(target: "provisioning", item = %error.item, code = %error.code, "desired PKI refused, the store is unchanged: {}", error.message);
    result.status = Status::Rejected;
    result.reported = reported::report(
        store,
        Status::Rejected,
        desired_version,
        Some(&error),
        context,
    );
    result.error = Some(error);
    result
}

struct Applied {
    changed: bool,
    trust_changed: bool,
    own_changed: bool,
}

fn store_error(e: &impl std::fmt::Display) -> (Status, ItemError) {
    (
        Status::Error,
        ItemError::new("store", "BadConfigurationError", e.to_string()),
    )
}

/// The plan: store operations, each with the desired item it comes from.
struct Plan {
    operations: Vec<Operation>,
    items: Vec<String>,
}

impl Plan {
    fn push(&mut self, item: String, op: Operation) {
        self.items.push(item);
        self.operations.push(op);
    }
}

fn thumbprints(recorded: &BTreeMap<String, String>) -> impl Iterator<Item = (&String, Thumbprint)> {
    recorded
        .iter()
        .filter_map(|(name, t)| t.parse().ok().map(|t| (name, t)))
}

type WouldBe = BTreeMap<StoreKind, Vec<Certificate>>;

impl Plan {
    /// Trust lists: removes what an earlier document installed and this one no longer names,
    /// adds what is missing; returns the would-be lists, which decide where CRLs go.
    fn trust_lists(
        &mut self,
        contents: &StoreContents,
        old: &Record,
        desired: &DesiredPki,
    ) -> WouldBe {
        let mut would_be = WouldBe::new();
        for (kind, section, recorded, wanted) in [
            (
                StoreKind::Trusted,
                "trusted",
                &old.trusted,
                &desired.trusted,
            ),
            (StoreKind::Issuer, "issuers", &old.issuers, &desired.issuers),
        ] {
            let wanted_thumbprints: BTreeSet<Thumbprint> =
                wanted.values().map(Certificate::thumbprint).collect();
            let mut removed = BTreeSet::new();
            for (name, thumbprint) in thumbprints(recorded) {
                if wanted_thumbprints.contains(&thumbprint) || !removed.insert(thumbprint) {
                    continue;
                }
                if contents
                    .certificates(kind)
                    .iter()
                    .any(|s| s.cert.thumbprint() == thumbprint)
                {
                    self.push(
                        format!("{section}.{name}"),
                        Operation::RemoveCertificate {
                            store: kind,
                            thumbprint,
                        },
                    );
                }
            }
            let mut list: Vec<Certificate> = contents
                .certificates(kind)
                .iter()
                .map(|s| s.cert.clone())
                .filter(|c| !removed.contains(&c.thumbprint()))
                .collect();
            for (name, cert) in wanted {
                if list.iter().any(|c| c.thumbprint() == cert.thumbprint()) {
                    continue;
                }
                let op = match kind {
                    StoreKind::Issuer => Operation::AddIssuers(vec![cert.clone()]),
                    _ => Operation::AddTrusted(vec![cert.clone()]),
                };
                self.push(format!("{section}.{name}"), op);
                list.push(cert.clone());
            }
            would_be.insert(kind, list);
        }
        would_be
    }

    /// cert-agent's approvals of rejected certificates not yet trusted.
    fn approvals(&mut self, desired: &DesiredPki, would_be: &WouldBe) {
        for thumbprint in &desired.approve_rejected {
            let in_trusted = would_be
                .get(&StoreKind::Trusted)
                .is_some_and(|l| l.iter().any(|c| c.thumbprint() == *thumbprint));
            if !in_trusted {
                self.push(
                    format!("approveRejected.{thumbprint}"),
                    Operation::ApproveRejected(*thumbprint),
                );
            }
        }
    }

    /// CRLs: each is installed where a would-be holder of its issuer lacks it; one whose
    /// issuer is nowhere goes to the store to be refused with the reason. CRLs an earlier
    /// document installed and this one no longer names are removed.
    fn crls(
        &mut self,
        contents: &StoreContents,
        old: &Record,
        desired: &DesiredPki,
        would_be: &WouldBe,
    ) {
        for (name, crl) in &desired.crls {
            let mut has_holder = false;
            let mut missing = false;
            for kind in [StoreKind::Trusted, StoreKind::Issuer] {
                let holds = would_be
                    .get(&kind)
                    .is_some_and(|l| l.iter().any(|c| c.subject_der() == crl.issuer_der()));
                if holds {
                    has_holder = true;
                    missing |= !installed(contents, kind, crl.thumbprint());
                }
            }
            if missing || !has_holder {
                self.push(format!("crls.{name}"), Operation::UpdateCrl(crl.clone()));
            }
        }
        let wanted: BTreeSet<Thumbprint> =
            desired.crls.values().map(pki::Crl::thumbprint).collect();
        let mut removed = BTreeSet::new();
        for (name, thumbprint) in thumbprints(&old.crls) {
            if !wanted.contains(&thumbprint)
                && removed.insert(thumbprint)
                && [StoreKind::Trusted, StoreKind::Issuer]
                    .into_iter()
                    .any(|kind| installed(contents, kind, thumbprint))
            {
                self.push(format!("crls.{name}"), Operation::RemoveCrl(thumbprint));
            }
        }
    }
}

fn apply(
    store: &Store,
    desired: &DesiredPki,
    context: &Context,
) -> Result<Applied, (Status, ItemError)> {
    let (contents, record_bytes) = store.contents_and_record().map_err(|e| store_error(&e))?;
    let old_record = Record::from_bytes(record_bytes.as_deref());
    let mut plan = Plan {
        operations: Vec::new(),
        items: Vec::new(),
    };
    let would_be = plan.trust_lists(&contents, &old_record, desired);
    plan.approvals(desired, &would_be);
    plan.crls(&contents, &old_record, desired, &would_be);
    let trust_ops = plan.operations.len();

    let current = contents
        .application_certificate()
        .map(|own| own.cert.thumbprint());
    if let Some(cert) = &desired.application_cert
        && current != Some(cert.thumbprint())
    {
        plan.push(
            "applicationCert".to_owned(),
            Operation::UpdateApplicationCertificate {
                cert: cert.clone(),
                key: None,
            },
        );
    }
    let own_changed = plan.operations.len() > trust_ops;

    let record = Record {
        trusted: names(&desired.trusted),
        issuers: names(&desired.issuers),
        crls: desired
            .crls
            .iter()
            .map(|(name, crl)| (name.clone(), crl.thumbprint().to_string()))
            .collect(),
        ..Record::new()
    };
    if plan.operations.is_empty() && record == old_record {
        return Ok(Applied {
            changed: false,
            trust_changed: false,
            own_changed: false,
        });
    }
    plan.push(
        "record".to_owned(),
        Operation::WriteRecord(record.to_bytes()),
    );

    let options = PlanOptions {
        now: context.now,
        validation: context.validation.clone(),
        unknown_crl_issuer: UnknownCrlIssuer::Reject,
        application_uri: context.application_uri.clone(),
        // The running module activates a new certificate and says so (the PLC's store watch).
        activation: pki::Activation::ByApplication,
    };
    match store.transact(plan.operations, &options) {
        Ok(outcome) => Ok(Applied {
            changed: outcome.changed,
            trust_changed: outcome.changed && trust_ops > 0,
            own_changed: outcome.changed && own_changed,
        }),
        Err(TransactError::Plan(err)) => {
            let item = plan.items.get(err.index).cloned().unwrap_or_default();
            Err((
                Status::Rejected,
                ItemError::new(item, err.kind.status_code().name(), err.kind.to_string()),
            ))
        }
        Err(TransactError::Store(err)) => Err(store_error(&err)),
    }
}

fn installed(contents: &StoreContents, kind: StoreKind, thumbprint: Thumbprint) -> bool {
    contents
        .crls(kind)
        .iter()
        .any(|s| s.crl.thumbprint() == thumbprint)
}

fn names(entries: &BTreeMap<String, Certificate>) -> BTreeMap<String, String> {
    entries
        .iter()
        .map(|(name, cert)| (name.clone(), cert.thumbprint().to_string()))
        .collect()
}
