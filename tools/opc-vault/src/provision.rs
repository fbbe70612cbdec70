//! Provisioning modules through their twins, with IoT Hub's service REST API.
//!
//! For each [`Target`] (a module's own `pki`, or a cert-agent store `module:store`), at the
//! same time: read the reported section; decide whether its application certificate stays
//! ([`decide`]: issued by this vault, not revoked, more than `renew_days` left) or its CSR is
//! signed (the CSR's URI must be the reported certificate's); write the desired section
//! ([`desired_document`]: the certificate, the CA chain and the current CRLs under stable
//! names) unless it already says exactly that ([`needs_patch`]); then poll until the module
//! reports `applied` for that desired version with the expected thumbprint and CRL numbers
//! ([`verdict`]), fail at once on `rejected`/`error`, or time out.
//!
//! The decisions are plain functions over the contract types and the vault's index; only
//! [`provision`] talks to the hub.

use std::collections::BTreeMap;
use std::fmt;
use std::str::FromStr;
use std::sync::Arc;
use std::time::{Duration, Instant};

use base64::Engine as _;
use hub_proto::twin::TwinVersion;
use hub_service::{ModuleTwin, ServiceClient, ServiceError};
use provisioning::{
    DesiredPki, ItemError, PKI_PROPERTY, ReportedPki, STORES_PROPERTY, Section, Status, StoreName,
};
use serde_json::{Value, json};
use time::OffsetDateTime;

use crate::csr::CertificateRequest;
use crate::error::VaultError;
use crate::model::{CaRole, CertStatus, CertType, Index};
use crate::vault::{SignOptions, Vault, VaultState};

const BASE64: base64::engine::GeneralPurpose = base64::engine::general_purpose::STANDARD;

/// One thing to provision: a module's own `pki`, or store `store` of cert-agent `module`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Target {
    /// The module id.
    pub module: String,
    /// The cert-agent store, for `module:store`.
    pub store: Option<String>,
}

impl Target {
    /// The module's own `pki`.
    #[must_use]
    pub fn own(module: &str) -> Self {
        Self {
            module: module.to_owned(),
            store: None,
        }
    }

    /// Store `store` of cert-agent `module`.
    #[must_use]
    pub fn store(module: &str, store: &str) -> Self {
        Self {
            module: module.to_owned(),
            store: Some(store.to_owned()),
        }
    }

    /// The twin section it is read with.
    #[must_use]
    pub fn section(&self) -> Section {
        if self.store.is_some() {
            Section::AgentStore
        } else {
            Section::OwnPki
        }
    }

    /// Where its document is, for messages: `pki` or `stores.<store>`.
    #[must_use]
    pub fn property(&self) -> String {
        match &self.store {
            Some(store) => format!("{STORES_PROPERTY}.{store}"),
            None => PKI_PROPERTY.to_owned(),
        }
    }

    /// Its reported section in a twin.
    fn reported(&self, twin: &ModuleTwin) -> Option<Value> {
        match &self.store {
            None => twin.reported(PKI_PROPERTY),
            Some(store) => twin
                .reported(STORES_PROPERTY)
                .and_then(|stores| stores.get(store).cloned()),
        }
    }

    /// Its desired section in a twin.
    fn desired(&self, twin: &ModuleTwin) -> Option<Value> {
        match &self.store {
            None => twin.desired(PKI_PROPERTY),
            Some(store) => twin
                .desired(STORES_PROPERTY)
                .and_then(|stores| stores.get(store).cloned()),
        }
    }

    /// The desired patch that sets its section to (the members of) `document`.
    fn patch(&self, document: &DesiredPki) -> Value {
        let section = Value::Object(document.to_twin());
        match &self.store {
            None => json!({ PKI_PROPERTY: section }),
            Some(store) => json!({ STORES_PROPERTY: { store: section } }),
        }
    }
}

impl fmt::Display for Target {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.store {
            Some(store) => write!(f, "{}:{store}", self.module),
            None => f.write_str(&self.module),
        }
    }
}

impl FromStr for Target {
    type Err = String;

    /// `module` or `module:store`, each a valid name.
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let (module, store) = match text.split_once(':') {
            Some((module, store)) => (module, Some(store)),
            None => (text, None),
        };
        hub_proto::ModuleId::new(module)
            .map_err(|e| format!("'{text}': the module id is invalid: {e}"))?;
        if let Some(store) = store {
            StoreName::new(store)
                .map_err(|e| format!("'{text}': the store name is invalid: {e}"))?;
        }
        Ok(Self {
            module: module.to_owned(),
            store: store.map(str::to_owned),
        })
    }
}

/// How [`provision`] runs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProvisionOptions {
    /// How long each target may take, from the start.
    pub timeout: Duration,
    /// How often a twin is read while waiting.
    pub poll: Duration,
    /// Push the CA chain and the current CRLs only; leave certificates alone.
    pub crl_only: bool,
    /// A vault certificate with this many days left or fewer is renewed.
    pub renew_days: u32,
    /// What new certificates are for.
    pub cert_type: CertType,
}

impl Default for ProvisionOptions {
    /// 60 s, polling every 500 ms, certificates renewed 30 days before they expire, both
    /// server and client use.
    fn default() -> Self {
        Self {
            timeout: Duration::from_mins(1),
            poll: Duration::from_millis(500),
            crl_only: false,
            renew_days: 30,
            cert_type: CertType::Both,
        }
    }
}

/// A progress line: the target it concerns (none for the vault) and what happened.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Progress {
    /// The target, or `None` for the vault itself.
    pub target: Option<Target>,
    /// What happened.
    pub message: String,
}

impl fmt::Display for Progress {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.target {
            Some(target) => write!(f, "{target}: {}", self.message),
            None => write!(f, "vault: {}", self.message),
        }
    }
}

/// Where progress lines go (the CLI prints them; tests collect them).
pub type ProgressSink = Arc<dyn Fn(&Progress) + Send + Sync>;

/// What happened to a target's application certificate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CertAction {
    /// Its CSR was signed: a new certificate.
    Issued,
    /// Its certificate from this vault stays.
    Kept,
    /// `--crl-only`: certificates were not looked at.
    NotChecked,
}

/// How a target ended.
#[derive(Debug)]
pub enum TargetOutcome {
    /// The module reports `applied` with what was written.
    Applied {
        /// False when the desired section already said it all (nothing was written).
        written: bool,
    },
    /// It failed.
    Failed(TargetError),
}

/// The result of one target.
#[derive(Debug)]
pub struct TargetReport {
    /// The target.
    pub target: Target,
    /// What happened to its certificate.
    pub action: CertAction,
    /// How it ended.
    pub outcome: TargetOutcome,
    /// The desired version written (or found current).
    pub desired_version: Option<TwinVersion>,
    /// The thumbprint it reports last (of the certificate issued, when one was).
    pub thumbprint: Option<String>,
    /// Its certificate's `notAfter`.
    pub not_after: Option<OffsetDateTime>,
    /// How long it took.
    pub elapsed: Duration,
}

impl TargetReport {
    /// True unless it failed.
    #[must_use]
    pub fn succeeded(&self) -> bool {
        matches!(self.outcome, TargetOutcome::Applied { .. })
    }
}

/// Why a target failed.
#[derive(Debug, thiserror::Error)]
pub enum TargetError {
    /// The service API failed.
    #[error("the service API call failed")]
    Hub(#[from] ServiceError),
    /// The vault failed.
    #[error("the vault failed")]
    Vault(#[from] VaultError),
    /// The module reports no CSR to sign.
    #[error("reports no csr in {property}: its store has no application key to sign for")]
    NoCsr {
        /// `pki` or `stores.<store>`.
        property: String,
    },
    /// The module's report does not say which `ApplicationUri` it has.
    #[error("reports no applicationCert.applicationUri in {property} to check its CSR against")]
    NoApplicationUri {
        /// `pki` or `stores.<store>`.
        property: String,
    },
    /// The CSR's URI is not the module's.
    #[error("its CSR asks for '{csr}', but its certificate is for '{reported}': refusing to sign")]
    UriMismatch {
        /// The CSR's URI.
        csr: String,
        /// The reported certificate's URI.
        reported: String,
    },
    /// The module refused the document (or could not write its store).
    #[error("{status} the desired {property} of version {version}: {error}")]
    Refused {
        /// `rejected` or `error`.
        status: &'static str,
        /// `pki` or `stores.<store>`.
        property: String,
        /// The desired version it answered.
        version: u64,
        /// Its `error`: item, code and message.
        error: ItemError,
    },
    /// No final report in time.
    #[error("no applied report within {waited:?}: {last}")]
    Timeout {
        /// How long it waited.
        waited: Duration,
        /// What it was waiting for last.
        last: String,
    },
}

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
fn parse_reported(value: Option<Value>, property: &str) -> Result<ReportedPki, String> {
    let value = value.ok_or_else(|| format!("it reports no {property} yet"))?;
    serde_json::from_value(value)
        .map_err(|e| format!("its reported {property} is not readable: {e}"))
}

/// Provisions every target at the same time (see the module documentation): stale CRLs are
/// renewed first; the result has one report per target, in the order given. `Err` only when
/// the vault cannot be read at all or the targets are not distinct.
pub async fn provision(
    vault: &Vault,
    hub: &ServiceClient,
    device: &str,
    targets: &[Target],
    options: &ProvisionOptions,
    now: OffsetDateTime,
    progress: ProgressSink,
) -> Result<Vec<TargetReport>, VaultError> {
    let mut seen = std::collections::BTreeSet::new();
    for target in targets {
        if !seen.insert(target) {
            return Err(VaultError::Invalid(format!(
                "the target {target} is named twice"
            )));
        }
    }
    let renewing = vault.clone();
    let renewed = blocking(move || renewing.refresh_crls(now)).await?;
    for issued in &renewed {
        progress(&Progress {
            target: None,
            message: format!(
                "renewed the CRL of '{}' (number {}), the last one was past half its period",
                issued.crl.issuer(),
                issued.crl.crl_number().unwrap_or_default()
            ),
        });
    }
    let reading = vault.clone();
    let state = Arc::new(blocking(move || reading.read()).await?);
    let mut tasks = tokio::task::JoinSet::new();
    for (position, target) in targets.iter().enumerate() {
        let run = TargetRun {
            vault: vault.clone(),
            hub: hub.clone(),
            device: device.to_owned(),
            target: target.clone(),
            options: options.clone(),
            state: Arc::clone(&state),
            now,
            progress: Arc::clone(&progress),
        };
        tasks.spawn(async move { (position, run.run().await) });
    }
    let mut reports: Vec<Option<TargetReport>> = targets.iter().map(|_| None).collect();
    while let Some(joined) = tasks.join_next().await {
        match joined {
            Ok((position, report)) => reports[position] = Some(report),
            Err(e) => {
                return Err(VaultError::Invalid(format!(
                    "a provisioning task failed: {e}"
                )));
            }
        }
    }
    Ok(reports.into_iter().flatten().collect())
}

/// Runs a blocking vault operation off the async threads.
async fn blocking<T: Send + 'static>(
    work: impl FnOnce() -> Result<T, VaultError> + Send + 'static,
) -> Result<T, VaultError> {
    tokio::task::spawn_blocking(work)
        .await
        .map_err(|e| VaultError::Invalid(format!("a vault operation failed: {e}")))?
}

/// One target's provisioning.
struct TargetRun {
    vault: Vault,
    hub: ServiceClient,
    device: String,
    target: Target,
    options: ProvisionOptions,
    state: Arc<VaultState>,
    now: OffsetDateTime,
    progress: ProgressSink,
}

/// What a run found out on its way, for the report.
#[derive(Default)]
struct Found {
    action: Option<CertAction>,
    version: Option<TwinVersion>,
    thumbprint: Option<String>,
    not_after: Option<OffsetDateTime>,
    written: bool,
}

impl TargetRun {
    fn say(&self, message: String) {
        (self.progress)(&Progress {
            target: Some(self.target.clone()),
            message,
        });
    }

    async fn run(self) -> TargetReport {
        let started = Instant::now();
        let mut found = Found::default();
        let result = self.steps(started, &mut found).await;
        let elapsed = started.elapsed();
        match &result {
            Ok(()) => self.say(format!(
                "applied (desired version {}) after {:.1}s",
                found.version.map_or(0, TwinVersion::get),
                elapsed.as_secs_f64()
            )),
            Err(e) => self.say(format!("failed: {}", crate::error_chain(e))),
        }
        TargetReport {
            target: self.target.clone(),
            action: found.action.unwrap_or(CertAction::NotChecked),
            outcome: match result {
                Ok(()) => TargetOutcome::Applied {
                    written: found.written,
                },
                Err(e) => TargetOutcome::Failed(e),
            },
            desired_version: found.version,
            thumbprint: found.thumbprint,
            not_after: found.not_after,
            elapsed,
        }
    }

    async fn twin(&self) -> Result<ModuleTwin, TargetError> {
        Ok(self
            .hub
            .get_module_twin(&self.device, &self.target.module)
            .await?)
    }

    fn timed_out(&self, started: Instant) -> bool {
        started.elapsed() >= self.options.timeout
    }

    async fn steps(&self, started: Instant, found: &mut Found) -> Result<(), TargetError> {
        let (twin, reported) = self.first_report(started).await?;
        let (issued, thumbprint) = match reported.as_ref().filter(|_| !self.options.crl_only) {
            Some(reported) => self.certificate(reported, found).await?,
            None => (None, None),
        };
        let version = self.write_desired(&twin, issued.as_ref(), found).await?;
        let expected = Expectation {
            version,
            thumbprint,
            crls: self
                .state
                .crls
                .iter()
                .map(|c| {
                    (
                        c.role.twin_name().to_owned(),
                        c.crl.crl_number().unwrap_or_default(),
                    )
                })
                .collect(),
        };
        self.wait_applied(started, &expected, found).await
    }

    /// Step 1: the twin with the reported section holding a CSR to sign (any report, or
    /// none, when only CRLs are pushed).
    async fn first_report(
        &self,
        started: Instant,
    ) -> Result<(ModuleTwin, Option<ReportedPki>), TargetError> {
        let property = self.target.property();
        let mut said = String::new();
        loop {
            let twin = self.twin().await?;
            let parsed = parse_reported(self.target.reported(&twin), &property).and_then(|r| {
                if self.options.crl_only || r.csr.is_some() {
                    Ok(r)
                } else {
                    Err(format!("it reports no csr in {property} yet"))
                }
            });
            let why = match parsed {
                Ok(reported) => return Ok((twin, Some(reported))),
                Err(_) if self.options.crl_only => return Ok((twin, None)),
                Err(why) => why,
            };
            self.still_waiting(started, why, &mut said)?;
            tokio::time::sleep(self.options.poll).await;
        }
    }

    /// Step 2: the certificate kept, or the CSR signed. Returns the new certificate (if one
    /// was issued) and the thumbprint the module must report.
    async fn certificate(
        &self,
        reported: &ReportedPki,
        found: &mut Found,
    ) -> Result<(Option<pki::Certificate>, Option<String>), TargetError> {
        match decide(
            &self.state.index,
            reported,
            self.options.renew_days,
            self.now,
        ) {
            Decision::Keep {
                thumbprint,
                days_left,
            } => {
                self.say(format!(
                    "keeps its certificate {thumbprint} from this vault ({days_left} days left)"
                ));
                found.action = Some(CertAction::Kept);
                Ok((None, Some(thumbprint)))
            }
            Decision::Sign { why } => {
                let signed = self.sign(reported, &why).await?;
                found.action = Some(CertAction::Issued);
                found.thumbprint = Some(signed.record.thumbprint.clone());
                found.not_after = Some(signed.record.not_after);
                Ok((Some(signed.certificate), Some(signed.record.thumbprint)))
            }
        }
    }

    /// Step 3: the desired section, unless it says it all already. Returns the desired
    /// version the module must answer.
    async fn write_desired(
        &self,
        twin: &ModuleTwin,
        issued: Option<&pki::Certificate>,
        found: &mut Found,
    ) -> Result<Option<TwinVersion>, TargetError> {
        let property = self.target.property();
        let current = self
            .target
            .desired(twin)
            .and_then(|v| DesiredPki::from_twin(Some(&v), self.target.section()).ok());
        let wanted = desired_document(&self.state, issued, current.as_ref());
        let version = if needs_patch(current.as_ref(), &wanted) {
            let written = self
                .hub
                .update_module_desired(
                    &self.device,
                    &self.target.module,
                    &self.target.patch(&wanted),
                )
                .await?;
            found.written = true;
            self.say(format!(
                "wrote the desired {property} (version {})",
                written.desired_version().map_or(0, TwinVersion::get)
            ));
            written.desired_version()
        } else {
            self.say(format!(
                "the desired {property} is up to date (version {})",
                twin.desired_version().map_or(0, TwinVersion::get)
            ));
            twin.desired_version()
        };
        found.version = version;
        Ok(version)
    }

    /// Step 4: polls until the module reports what was expected, refuses it, or time is up.
    async fn wait_applied(
        &self,
        started: Instant,
        expected: &Expectation,
        found: &mut Found,
    ) -> Result<(), TargetError> {
        let property = self.target.property();
        let mut said = String::new();
        loop {
            let twin = self.twin().await?;
            let why = match parse_reported(self.target.reported(&twin), &property) {
                Ok(reported) => {
                    if let Some(app) = &reported.application_cert {
                        found.thumbprint = Some(app.thumbprint.clone());
                        found.not_after = Some(app.not_after);
                    }
                    match verdict(&reported, expected, &property) {
                        Verdict::Done => return Ok(()),
                        Verdict::Failed(e) => return Err(e),
                        Verdict::Wait(why) => why,
                    }
                }
                Err(why) => why,
            };
            self.still_waiting(started, why, &mut said)?;
            tokio::time::sleep(self.options.poll).await;
        }
    }

    /// Fails with the reason once time is up; otherwise says why it waits (when the reason
    /// changed).
    fn still_waiting(
        &self,
        started: Instant,
        why: String,
        said: &mut String,
    ) -> Result<(), TargetError> {
        if self.timed_out(started) {
            return Err(TargetError::Timeout {
                waited: started.elapsed(),
                last: why,
            });
        }
        if why != *said {
            self.say(format!("waiting: {why}"));
            *said = why;
        }
        Ok(())
    }

    /// Signs the reported CSR after checking its URI against the reported certificate's.
    async fn sign(
        &self,
        reported: &ReportedPki,
        why: &str,
    ) -> Result<crate::vault::Signed, TargetError> {
        let property = self.target.property();
        let csr = reported.csr.clone().ok_or_else(|| TargetError::NoCsr {
            property: property.clone(),
        })?;
        let uri = reported
            .application_cert
            .as_ref()
            .and_then(|a| a.application_uri.clone())
            .ok_or(TargetError::NoApplicationUri { property })?;
        let request = CertificateRequest::parse(csr.as_bytes()).map_err(VaultError::from)?;
        if request.application_uri() != uri {
            return Err(TargetError::UriMismatch {
                csr: request.application_uri().to_owned(),
                reported: uri,
            });
        }
        let vault = self.vault.clone();
        let options = SignOptions {
            application_uri: Some(uri.clone()),
            cert_type: self.options.cert_type,
            years: None,
        };
        let now = self.now;
        let signed = blocking(move || vault.sign(csr.as_bytes(), &options, now)).await?;
        self.say(format!(
            "signed its CSR for {uri} ({why}): {} ({}), serial {}, valid until {}",
            signed.record.thumbprint,
            self.options.cert_type,
            signed.record.serial,
            crate::date(signed.record.not_after)
        ));
        Ok(signed)
    }
}

impl TargetReport {
    /// `applied`, `unchanged`, `rejected`, `error`, `timeout` or `failed`.
    #[must_use]
    pub fn status(&self) -> &'static str {
        match &self.outcome {
            TargetOutcome::Applied { written: true } => "applied",
            TargetOutcome::Applied { written: false } => "unchanged",
            TargetOutcome::Failed(TargetError::Refused { status, .. }) => status,
            TargetOutcome::Failed(TargetError::Timeout { .. }) => "timeout",
            TargetOutcome::Failed(_) => "failed",
        }
    }

    /// The failure with its causes, if it failed.
    #[must_use]
    pub fn error(&self) -> Option<String> {
        match &self.outcome {
            TargetOutcome::Failed(e) => Some(crate::error_chain(e)),
            TargetOutcome::Applied { .. } => None,
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use provisioning::ErrorCode;
    use provisioning::contract::{ApplicationCertReport, CrlReport};
    use time::macros::datetime;

    use super::*;
    use crate::model::{CrlState, CrlStates, FORMAT, IssuedRecord};

    const NOW: OffsetDateTime = datetime!(2026-12-01 10:00 UTC);

    fn reported(status: Status, version: u64, thumbprint: &str, crl: u64) -> ReportedPki {
        let mut report = ReportedPki::outcome_only(status, None, Some(TwinVersion::new(version)));
        report.application_cert = Some(ApplicationCertReport {
            thumbprint: thumbprint.to_owned(),
            subject: "CN=OpcPlc".to_owned(),
            issuer: "CN=OpcPlc".to_owned(),
            not_before: NOW,
            not_after: NOW + time::Duration::days(365),
            days_left: 365,
            self_signed: true,
            application_uri: Some("urn:plc".to_owned()),
        });
        report.crls.insert(
            "opcVaultRoot".to_owned(),
            CrlReport {
                issuer: "CN=OPC Vault CA".to_owned(),
                this_update: NOW,
                next_update: None,
                out_of_date: false,
                crl_number: Some(crl),
                revoked_count: 0,
                stores: vec!["trusted".to_owned()],
            },
        );
        report
    }

    fn expected(version: u64, thumbprint: Option<&str>, crl: u64) -> Expectation {
        Expectation {
            version: Some(TwinVersion::new(version)),
            thumbprint: thumbprint.map(str::to_owned),
            crls: vec![("opcVaultRoot".to_owned(), crl)],
        }
    }

    #[test]
    fn a_report_for_an_older_desired_version_is_waited_on_even_when_it_is_a_refusal() {
        let mut old = reported(Status::Rejected, 3, "AA", 1);
        old.error = Some(ItemError::new(
            "crls.x",
            ErrorCode::BadInvalidArgument,
            "bad",
        ));
        assert!(matches!(
            verdict(&old, &expected(4, Some("AA"), 1), "pki"),
            Verdict::Wait(_)
        ));
        let applied_old = reported(Status::Applied, 3, "AA", 1);
        assert!(matches!(
            verdict(&applied_old, &expected(4, Some("AA"), 1), "pki"),
            Verdict::Wait(_)
        ));
        match verdict(&old, &expected(3, Some("AA"), 1), "pki") {
            Verdict::Failed(TargetError::Refused {
                status,
                version,
                error,
                ..
            }) => {
                assert_eq!(
                    (status, version, error.item.as_str()),
                    ("rejected", 3, "crls.x")
                );
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn an_applied_report_is_done_only_with_the_thumbprint_and_every_crl_number() {
        let report = reported(Status::Applied, 5, "AA", 2);
        assert!(matches!(
            verdict(&report, &expected(5, Some("AA"), 2), "pki"),
            Verdict::Done
        ));
        assert!(matches!(
            verdict(&report, &expected(4, None, 2), "pki"),
            Verdict::Done
        ));
        assert!(matches!(
            verdict(&report, &expected(5, Some("BB"), 2), "pki"),
            Verdict::Wait(_)
        ));
        assert!(matches!(
            verdict(&report, &expected(5, Some("AA"), 3), "pki"),
            Verdict::Wait(_)
        ));
        let error = reported(Status::Error, 5, "AA", 2);
        assert!(matches!(
            verdict(&error, &expected(5, None, 2), "pki"),
            Verdict::Failed(_)
        ));
    }

    fn index_with(thumbprint: &str, status: CertStatus, not_after: OffsetDateTime) -> Index {
        Index {
            format: FORMAT,
            crls: CrlStates {
                root: CrlState {
                    number: 1,
                    this_update: NOW,
                    next_update: NOW,
                },
                issuing: None,
            },
            certificates: vec![IssuedRecord {
                serial: "01".to_owned(),
                thumbprint: thumbprint.to_owned(),
                subject: "CN=OpcPlc".to_owned(),
                application_uri: "urn:plc".to_owned(),
                cert_type: CertType::Both,
                issuer: CaRole::Root,
                not_before: NOW,
                not_after,
                issued_at: NOW,
                status,
                revoked_at: None,
                reason: None,
            }],
        }
    }

    #[test]
    fn a_certificate_stays_only_when_this_vault_issued_it_it_is_valid_and_not_due() {
        let report = reported(Status::Applied, 1, "AA", 1);
        let year = NOW + time::Duration::days(365);
        assert_eq!(
            decide(&index_with("AA", CertStatus::Valid, year), &report, 30, NOW),
            Decision::Keep {
                thumbprint: "AA".to_owned(),
                days_left: 365
            }
        );
        for (index, why) in [
            (index_with("BB", CertStatus::Valid, year), "self-signed"),
            (
                index_with("AA", CertStatus::Revoked, year),
                "AA was revoked",
            ),
            (
                index_with("AA", CertStatus::Valid, NOW + time::Duration::days(30)),
                "30 day(s) left",
            ),
        ] {
            assert_eq!(
                decide(&index, &report, 30, NOW),
                Decision::Sign {
                    why: why.to_owned()
                }
            );
        }
    }

    #[test]
    fn only_the_members_the_vault_sets_are_compared_and_a_stale_intermediate_is_removed() {
        let wanted = DesiredPki {
            trusted: BTreeMap::from([("opcVaultRoot".to_owned(), Some("R".to_owned()))]),
            issuers: BTreeMap::from([("opcVaultIssuing".to_owned(), None)]),
            ..DesiredPki::default()
        };
        assert!(needs_patch(None, &wanted));
        let mut current = DesiredPki {
            application_cert: Some("C".to_owned()),
            trusted: BTreeMap::from([
                ("opcVaultRoot".to_owned(), Some("R".to_owned())),
                ("operatorCa".to_owned(), Some("O".to_owned())),
            ]),
            ..DesiredPki::default()
        };
        assert!(!needs_patch(Some(&current), &wanted));
        current
            .issuers
            .insert("opcVaultIssuing".to_owned(), Some("I".to_owned()));
        assert!(needs_patch(Some(&current), &wanted));
        let new_cert = DesiredPki {
            application_cert: Some("D".to_owned()),
            ..DesiredPki::default()
        };
        assert!(needs_patch(Some(&current), &new_cert));
    }

    #[test]
    fn targets_read_and_print_as_module_or_module_colon_store() {
        assert_eq!("opcplc".parse::<Target>().unwrap(), Target::own("opcplc"));
        let store: Target = "certagent:dotnetplc".parse().unwrap();
        assert_eq!(store, Target::store("certagent", "dotnetplc"));
        assert_eq!(store.to_string(), "certagent:dotnetplc");
        assert_eq!(store.property(), "stores.dotnetplc");
        assert_eq!(
            store.patch(&DesiredPki::default()),
            json!({"stores": {"dotnetplc": {}}})
        );
        assert!("".parse::<Target>().is_err());
        assert!("m:".parse::<Target>().is_err());
        assert!("m:a/b".parse::<Target>().is_err());
    }
}
