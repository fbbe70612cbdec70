//! One reconciliation: the desired document against the store, applied atomically or not at
//! all, then the reported picture of the store.

use std::collections::{BTreeMap, BTreeSet};

use hub_proto::twin::TwinVersion;
use pki::{
    Certificate, Operation, PlanOptions, Store, StoreContents, StoreKind, Thumbprint,
    TransactError, UnknownCrlIssuer, ValidationOptions,
};
use serde_json::Value;
use time::OffsetDateTime;

use crate::contract::{
    DesiredPki, ErrorCode, ItemError, ReportedPki, RestartReport, RestartState, Section, Status,
};
use crate::decode::{DEFAULT_EXPIRY_WARNING_DAYS, Desired};
use crate::record::Record;
use crate::report::{self, Header, REPORTED_BUDGET_BYTES};

/// What the module knows that the twin does not.
#[derive(Debug, Clone)]
pub struct Context {
    /// The time against which certificates are checked and expiry is counted.
    pub now: OffsetDateTime,
    /// The module's `ApplicationUri`: a new application certificate must carry it, and the CSR
    /// asks for it. `None` for stores of other apps: the URI of the app's current certificate
    /// is then required of a new one, and the CSR asks for it.
    pub application_uri: Option<String>,
    /// DNS names (or IP addresses) for the CSR's SAN; `None` keeps those of the current
    /// certificate.
    pub dns_names: Option<Vec<String>>,
    /// The validation policy of the module's command line: the base the twin's knobs override.
    pub validation: ValidationOptions,
    /// The policy the module's validators run with now (reported for a refused document).
    pub policy_in_force: ValidationOptions,
    /// True when the module applies [`Reconciliation::validation`] to its running validators.
    /// Otherwise a knob other than the command line's is refused (`BadNotSupported`):
    /// reporting it as applied would lie about what the module does.
    pub live_policy: bool,
    /// Why the module refused the certificates of `rejected/`, as far as it saw it; reported
    /// next to each rejected certificate.
    pub rejection_reasons: BTreeMap<Thumbprint, pki::StatusCode>,
    /// The size budget of the report in compact JSON.
    pub report_budget: usize,
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
            policy_in_force: ValidationOptions::default(),
            live_policy: false,
            rejection_reasons: BTreeMap::new(),
            report_budget: REPORTED_BUDGET_BYTES,
        }
    }
}

/// A desired section as received: the value of `pki` (or `stores.<name>`) and the desired
/// `$version` of the twin it came with.
#[derive(Debug, Clone, Copy)]
pub struct DesiredInput<'a> {
    /// The section; `None` when the twin has none.
    pub value: Option<&'a Value>,
    /// The desired `$version`.
    pub version: Option<TwinVersion>,
    /// Which kind of section it is.
    pub section: Section,
}

/// How the last reconciliation ended, as a module remembers it between passes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outcome {
    /// Applied, rejected or error.
    pub status: Status,
    /// The refused item or the store failure (`None` when applied).
    pub error: Option<ItemError>,
}

impl Outcome {
    /// An applied document.
    #[must_use]
    pub fn applied() -> Self {
        Self {
            status: Status::Applied,
            error: None,
        }
    }
}

/// What a reconciliation did and what to report.
#[derive(Debug, Clone)]
pub struct Reconciliation {
    /// How it ended.
    pub outcome: Outcome,
    /// True when store files were written.
    pub changed: bool,
    /// True when the trust lists (certificates or CRLs) changed: reload them.
    pub trust_changed: bool,
    /// True when the application certificate changed: the application must take the new one.
    pub application_certificate_changed: bool,
    /// The policy the document asks for: the command line's with the twin's knobs (the policy
    /// in force when the document is refused).
    pub validation: ValidationOptions,
    /// The reported picture after it.
    pub reported: ReportedPki,
}

/// Reconciles `store` with a desired section (the full document, as after every connect, or
/// the section after a patch was merged into it). Idempotent: the same document again writes
/// nothing.
#[must_use]
pub fn reconcile(store: &Store, desired: DesiredInput<'_>, context: &Context) -> Reconciliation {
    let decoded = DesiredPki::from_twin(desired.value, desired.section)
        .and_then(|doc| Desired::decode(&doc))
        .and_then(|decoded| check_policy(&decoded, context).map(|()| decoded));
    let decoded = match decoded {
        Ok(decoded) => decoded,
        Err(error) => {
            tracing::debug!(target: "provisioning", item = %error.item, code = %error.code, "desired PKI refused, the store is unchanged: {}", error.message);
            return finish(
                store,
                desired,
                None,
                Outcome {
                    status: Status::Rejected,
                    error: Some(error),
                },
                Applied::default(),
                context,
            );
        }
    };
    let (outcome, applied) = match apply(store, &decoded, context) {
        Ok(applied) => (Outcome::applied(), applied),
        Err((status, error)) => {
            tracing::debug!(target: "provisioning", item = %error.item, code = %error.code, "desired PKI not applied, the store is unchanged: {}", error.message);
            (
                Outcome {
                    status,
                    error: Some(error),
                },
                Applied::default(),
            )
        }
    };
    finish(store, desired, Some(&decoded), outcome, applied, context)
}

/// The reported picture of `store` after an earlier pass ended with `outcome`, without
/// planning the document again (a refused document would log its refusal every time). The
/// document is read only for the report's settings (the warning limit).
#[must_use]
pub fn report(
    store: &Store,
    desired: DesiredInput<'_>,
    outcome: &Outcome,
    context: &Context,
) -> ReportedPki {
    let decoded = DesiredPki::from_twin(desired.value, desired.section)
        .ok()
        .and_then(|doc| Desired::decode(&doc).ok());
    let warning_days = decoded
        .as_ref()
        .map_or(DEFAULT_EXPIRY_WARNING_DAYS, Desired::warning_days);
    report::report(
        store,
        &Header {
            status: outcome.status,
            error: outcome.error.as_ref(),
            desired_version: desired.version,
            section: desired.section,
            policy: &context.policy_in_force,
            warning_days,
        },
        context,
    )
}

fn finish(
    store: &Store,
    desired: DesiredInput<'_>,
    decoded: Option<&Desired>,
    outcome: Outcome,
    applied: Applied,
    context: &Context,
) -> Reconciliation {
    let validation = match decoded {
        Some(decoded) if outcome.status == Status::Applied => {
            decoded.policy.over(&context.validation)
        }
        _ => context.policy_in_force.clone(),
    };
    // The validators take the document's policy once it is applied (`live_policy`).
    let policy = if context.live_policy {
        &validation
    } else {
        &context.policy_in_force
    };
    let reported = report::report(
        store,
        &Header {
            status: outcome.status,
            error: outcome.error.as_ref(),
            desired_version: desired.version,
            section: desired.section,
            policy,
            warning_days: decoded.map_or(DEFAULT_EXPIRY_WARNING_DAYS, Desired::warning_days),
        },
        context,
    );
    Reconciliation {
        outcome,
        changed: applied.changed,
        trust_changed: applied.trust_changed,
        application_certificate_changed: applied.own_changed,
        validation,
        reported,
    }
}

/// A knob other than the command line's needs a module that applies it live.
fn check_policy(desired: &Desired, context: &Context) -> Result<(), ItemError> {
    if context.live_policy {
        return Ok(());
    }
    let base = &context.validation;
    let knobs = desired.policy;
    let differs = [
        (
            "rejectUnknownRevocationStatus",
            knobs
                .reject_unknown_revocation
                .is_some_and(|v| v != base.reject_unknown_revocation),
            base.reject_unknown_revocation.to_string(),
        ),
        (
            "rejectSha1SignedCertificates",
            knobs.reject_sha1.is_some_and(|v| v != base.reject_sha1),
            base.reject_sha1.to_string(),
        ),
        (
            "minimumCertificateKeySize",
            knobs.min_key_bits.is_some_and(|v| v != base.min_key_bits),
            base.min_key_bits.to_string(),
        ),
    ];
    match differs.into_iter().find(|(_, differs, _)| *differs) {
        Some((name, _, value)) => Err(ItemError::new(
            name,
            ErrorCode::BadNotSupported,
            format!(
                "the module runs with {name} {value} from its command line and cannot change it from the twin; set {value} or remove the property"
            ),
        )),
        None => Ok(()),
    }
}

#[derive(Debug, Clone, Copy, Default)]
struct Applied {
    changed: bool,
    trust_changed: bool,
    own_changed: bool,
}

fn store_error(e: &impl std::fmt::Display) -> (Status, ItemError) {
    (
        Status::Error,
        ItemError::new("store", ErrorCode::BadConfigurationError, e.to_string()),
    )
}

/// The plan: store operations, each with the desired item it comes from.
#[derive(Default)]
struct Plan {
    operations: Vec<Operation>,
    items: Vec<String>,
}

fn thumbprints(recorded: &BTreeMap<String, String>) -> impl Iterator<Item = (&String, Thumbprint)> {
    recorded
        .iter()
        .filter_map(|(name, t)| t.parse().ok().map(|t| (name, t)))
}

type WouldBe = BTreeMap<StoreKind, Vec<Certificate>>;

impl Plan {
    fn push(&mut self, item: String, op: Operation) {
        self.items.push(item);
        self.operations.push(op);
    }

    /// Trust lists: removes what an earlier document installed (by name or by approval) and
    /// this one no longer names, adds what is missing; returns the would-be lists, which
    /// decide where CRLs go and which approvals are still to do.
    fn trust_lists(
        &mut self,
        contents: &StoreContents,
        old: &Record,
        desired: &Desired,
    ) -> WouldBe {
        let approved_before: BTreeMap<String, String> = old
            .approved
            .iter()
            .map(|t| (format!("approveRejected.{t}"), t.clone()))
            .collect();
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
            let mut wanted_thumbprints: BTreeSet<Thumbprint> =
                wanted.values().map(Certificate::thumbprint).collect();
            let mut previously: Vec<(String, Thumbprint)> = thumbprints(recorded)
                .map(|(name, t)| (format!("{section}.{name}"), t))
                .collect();
            if kind == StoreKind::Trusted {
                wanted_thumbprints.extend(desired.approve_rejected.iter().copied());
                previously.extend(
                    approved_before
                        .iter()
                        .filter_map(|(item, t)| t.parse().ok().map(|t| (item.clone(), t))),
                );
            }
            let mut removed = BTreeSet::new();
            for (item, thumbprint) in previously {
                if wanted_thumbprints.contains(&thumbprint) || !removed.insert(thumbprint) {
                    continue;
                }
                if contents
                    .certificates(kind)
                    .iter()
                    .any(|s| s.cert.thumbprint() == thumbprint)
                {
                    self.push(
                        item,
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

    /// Approvals of rejected certificates not yet trusted; one that is in neither store is
    /// refused by name.
    fn approvals(
        &mut self,
        contents: &StoreContents,
        desired: &Desired,
        would_be: &mut WouldBe,
    ) -> Result<(), ItemError> {
        for thumbprint in &desired.approve_rejected {
            let trusted = would_be.entry(StoreKind::Trusted).or_default();
            if trusted.iter().any(|c| c.thumbprint() == *thumbprint) {
                continue;
            }
            let item = format!("approveRejected.{thumbprint}");
            let Some(rejected) = contents
                .rejected
                .iter()
                .find(|s| s.cert.thumbprint() == *thumbprint)
            else {
                return Err(ItemError::new(
                    item,
                    ErrorCode::BadNotFound,
                    format!(
                        "no certificate with thumbprint {thumbprint} is in the rejected store (nor trusted): check the thumbprint against the reported rejected list"
                    ),
                ));
            };
            trusted.push(rejected.cert.clone());
            self.push(item, Operation::ApproveRejected(*thumbprint));
        }
        Ok(())
    }

    /// CRLs: each is installed where a would-be holder of its issuer lacks it; one whose
    /// issuer is nowhere goes to the store to be refused with the reason. CRLs an earlier
    /// document installed and this one no longer names are removed.
    fn crls(
        &mut self,
        contents: &StoreContents,
        old: &Record,
        desired: &Desired,
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

/// What a desired document asks of a store, planned against its contents without touching
/// it: the operations for one `pki` transaction, each with the desired item it comes from.
#[derive(Debug, Clone)]
pub struct StorePlan {
    /// The operations, the store's record last; empty when the store already is as desired.
    pub operations: Vec<Operation>,
    /// The desired item of each operation (`trusted.<name>`, `crls.<name>`, `applicationCert`,
    /// `approveRejected.<thumbprint>`, `record`), index for index.
    pub items: Vec<String>,
    /// True when the operations change a trust list (certificates, approvals or CRLs).
    pub trust_changes: bool,
    /// True when the operations replace the application certificate.
    pub own_changes: bool,
    /// The batch's options (time, policy, the application URI a new certificate must carry).
    pub options: PlanOptions,
}

/// Plans `desired` against a store's `contents` and its `record` (the bytes of
/// `<root>/.pki.record.json`, `None` when absent). A plain function over values: reconciling
/// is reading the store, this, and one [`Store::transact`] of the operations. An approval of a
/// certificate that is neither rejected nor trusted is refused here; everything else the
/// store's planner checks against the would-be state.
pub fn plan(
    contents: &StoreContents,
    record: Option<&[u8]>,
    desired: &Desired,
    context: &Context,
) -> Result<StorePlan, ItemError> {
    let old_record = Record::from_bytes(record);
    let mut plan = Plan::default();
    let mut would_be = plan.trust_lists(contents, &old_record, desired);
    plan.approvals(contents, desired, &mut would_be)?;
    plan.crls(contents, &old_record, desired, &would_be);
    let trust_ops = plan.operations.len();

    let current = contents.application_certificate();
    let mut restart = old_record.restart.clone();
    if let Some(cert) = &desired.application_cert
        && current.map(|own| own.cert.thumbprint()) != Some(cert.thumbprint())
    {
        plan.push(
            "applicationCert".to_owned(),
            Operation::UpdateApplicationCertificate {
                cert: cert.clone(),
                key: None,
            },
        );
        // Committed with the certificate, so a crash before the restart does not lose it.
        if let Some(module) = &desired.restart_module {
            restart = Some(RestartReport {
                module: module.clone(),
                thumbprint: cert.thumbprint().to_string(),
                state: RestartState::Pending,
                requested_at: context.now,
                at: None,
                error: None,
            });
        }
    }
    let own_changes = plan.operations.len() > trust_ops;

    let record = Record {
        trusted: names(&desired.trusted),
        issuers: names(&desired.issuers),
        crls: desired
            .crls
            .iter()
            .map(|(name, crl)| (name.clone(), crl.thumbprint().to_string()))
            .collect(),
        approved: desired
            .approve_rejected
            .iter()
            .map(ToString::to_string)
            .collect(),
        application_cert: desired
            .application_cert
            .as_ref()
            .map(|cert| cert.thumbprint().to_string()),
        restart,
        ..Record::new()
    };
    if !plan.operations.is_empty() || record != old_record {
        plan.push(
            "record".to_owned(),
            Operation::WriteRecord(record.to_bytes()),
        );
    }

    // A store of another app: its new certificate must be for the same application.
    let application_uri = context.application_uri.clone().or_else(|| {
        current
            .and_then(|own| own.cert.application_uri())
            .map(str::to_owned)
    });
    let mut options = PlanOptions::new(context.now);
    options.validation = context.validation.clone();
    options.unknown_crl_issuer = UnknownCrlIssuer::Reject;
    options.application_uri = application_uri;
    // The running application activates a new certificate and says so (the PLC's store watch,
    // the restarted app of a cert-agent store): one change, one activation line.
    options.activation = pki::Activation::ByApplication;
    Ok(StorePlan {
        operations: plan.operations,
        items: plan.items,
        trust_changes: trust_ops > 0,
        own_changes,
        options,
    })
}

fn apply(
    store: &Store,
    desired: &Desired,
    context: &Context,
) -> Result<Applied, (Status, ItemError)> {
    let (contents, record) = store.contents_and_record().map_err(|e| store_error(&e))?;
    let plan =
        plan(&contents, record.as_deref(), desired, context).map_err(|e| (Status::Rejected, e))?;
    if plan.operations.is_empty() {
        return Ok(Applied::default());
    }
    let StorePlan {
        operations,
        items,
        trust_changes,
        own_changes,
        options,
    } = plan;
    match store.transact(operations, &options) {
        Ok(outcome) => Ok(Applied {
            changed: outcome.changed,
            trust_changed: outcome.changed && trust_changes,
            own_changed: outcome.changed && own_changes,
        }),
        Err(TransactError::Plan(err)) => {
            let item = items.get(err.index).cloned().unwrap_or_default();
            Err((
                Status::Rejected,
                ItemError::new(item, err.kind.status_code(), err.kind.to_string()),
            ))
        }
        Err(TransactError::Store(err)) => Err(store_error(&err)),
    }
}

/// Records how the restart committed with application certificate `thumbprint` ended (the
/// runtime's answer, `Err` with its message), unless a newer certificate replaced it since.
/// Returns the restart as the store's record now holds it.
pub fn record_restart(
    store: &Store,
    thumbprint: &str,
    result: Result<(), String>,
    now: OffsetDateTime,
) -> Result<Option<RestartReport>, pki::StoreError> {
    let (_, bytes) = store.contents_and_record()?;
    let mut record = Record::from_bytes(bytes.as_deref());
    let Some(restart) = record.restart.as_mut() else {
        return Ok(None);
    };
    if restart.thumbprint != thumbprint || restart.state != RestartState::Pending {
        return Ok(record.restart);
    }
    restart.at = Some(now);
    match result {
        Ok(()) => restart.state = RestartState::Restarted,
        Err(message) => {
            restart.state = RestartState::Failed;
            restart.error = Some(message);
        }
    }
    match store.transact(
        vec![Operation::WriteRecord(record.to_bytes())],
        &PlanOptions::new(now),
    ) {
        Ok(_) => Ok(record.restart),
        Err(TransactError::Store(e)) => Err(e),
        Err(TransactError::Plan(e)) => Err(pki::StoreError::Io {
            action: "write the store record",
            path: store.layout().record(),
            source: std::io::Error::other(e.to_string()),
        }),
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
