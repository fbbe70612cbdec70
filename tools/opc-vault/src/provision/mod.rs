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

use std::fmt;
use std::str::FromStr;
use std::sync::Arc;
use std::time::{Duration, Instant};

use hub_proto::twin::TwinVersion;
use hub_service::{ModuleTwin, ServiceClient, ServiceError};
use provisioning::{
    DesiredPki, ItemError, PKI_PROPERTY, ReportedPki, STORES_PROPERTY, Section, StoreName,
};
use serde_json::{Value, json};
use time::OffsetDateTime;

use crate::csr::CertificateRequest;
use crate::error::VaultError;
use crate::journal::RunJournal;
use crate::model::CertType;
use crate::vault::{SignOptions, Vault, VaultState};

mod rules;
#[cfg(test)]
mod tests;

pub(crate) use rules::parse_reported;
pub use rules::{Decision, Expectation, Verdict, decide, desired_document, needs_patch, verdict};

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
    pub(crate) fn reported(&self, twin: &ModuleTwin) -> Option<Value> {
        match &self.store {
            None => twin.reported(PKI_PROPERTY),
            Some(store) => twin
                .reported(STORES_PROPERTY)
                .and_then(|stores| stores.get(store).cloned()),
        }
    }

    /// Its desired section in a twin.
    pub(crate) fn desired(&self, twin: &ModuleTwin) -> Option<Value> {
        match &self.store {
            None => twin.desired(PKI_PROPERTY),
            Some(store) => twin
                .desired(STORES_PROPERTY)
                .and_then(|stores| stores.get(store).cloned()),
        }
    }

    /// The desired patch that sets its section to (the members of) `document`.
    fn patch(&self, document: &DesiredPki) -> Value {
        self.section_patch(&Value::Object(document.to_twin()))
    }

    /// The desired patch that merges `section` into its section (`pki` or
    /// `stores.<store>`).
    pub(crate) fn section_patch(&self, section: &Value) -> Value {
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
    /// How many targets are worked on at the same time (at least 1).
    pub concurrency: usize,
}

impl Default for ProvisionOptions {
    /// 60 s, polling every 500 ms, certificates renewed 30 days before they expire, both
    /// server and client use, 64 targets at a time.
    fn default() -> Self {
        Self {
            timeout: Duration::from_mins(1),
            poll: Duration::from_millis(500),
            crl_only: false,
            renew_days: 30,
            cert_type: CertType::Both,
            concurrency: DEFAULT_CONCURRENCY,
        }
    }
}

/// Targets worked on at the same time by default: each mostly waits on its module, and 64
/// keep a hub's twin-operation rate well below its throttling limits for small tiers.
pub const DEFAULT_CONCURRENCY: usize = 64;

/// A target on a device: what fleet runs work on.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct DeviceTarget {
    /// The device id.
    pub device: String,
    /// The target on it.
    pub target: Target,
}

impl fmt::Display for DeviceTarget {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.device, self.target)
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

/// Called with each target's report as it ends (a fleet run's progress bar).
pub type DoneSink = Arc<dyn Fn(&TargetReport) + Send + Sync>;

/// What a fleet run attaches to [`provision_many`].
#[derive(Clone, Default)]
pub struct RunHooks {
    /// The run journal: signatures and outcomes are recorded, earlier signatures reused.
    pub journal: Option<Arc<RunJournal>>,
    /// Told of each target's end.
    pub done: Option<DoneSink>,
}

/// What happened to a target's application certificate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CertAction {
    /// Its CSR was signed: a new certificate.
    Issued,
    /// Its certificate from this vault stays.
    Kept,
    /// The certificate an interrupted run of the same journal signed for its CSR was
    /// written (nothing new was signed).
    Reused,
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
    /// The device.
    pub device: String,
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
    let targets: Vec<DeviceTarget> = targets
        .iter()
        .map(|target| DeviceTarget {
            device: device.to_owned(),
            target: target.clone(),
        })
        .collect();
    provision_many(
        vault,
        hub,
        &targets,
        options,
        now,
        progress,
        RunHooks::default(),
    )
    .await
}

/// [`provision`] of targets on any devices, at most `options.concurrency` at a time; with a
/// run journal in `hooks`, every signature and every outcome is recorded in it, and a CSR it
/// says was signed earlier in the run gets that certificate again instead of a new one.
pub async fn provision_many(
    vault: &Vault,
    hub: &ServiceClient,
    targets: &[DeviceTarget],
    options: &ProvisionOptions,
    now: OffsetDateTime,
    progress: ProgressSink,
    hooks: RunHooks,
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
    let permits = Arc::new(tokio::sync::Semaphore::new(options.concurrency.max(1)));
    let mut tasks = tokio::task::JoinSet::new();
    for (position, target) in targets.iter().enumerate() {
        let run = TargetRun {
            vault: vault.clone(),
            hub: hub.clone(),
            device: target.device.clone(),
            target: target.target.clone(),
            options: options.clone(),
            state: Arc::clone(&state),
            now,
            progress: Arc::clone(&progress),
            hooks: hooks.clone(),
        };
        let permits = Arc::clone(&permits);
        tasks.spawn(async move {
            // The semaphore is never closed, so a permit always comes.
            let _permit = permits.acquire_owned().await.ok();
            (position, run.run().await)
        });
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
    hooks: RunHooks,
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

    fn key(&self) -> String {
        format!("{}/{}", self.device, self.target)
    }

    /// Appends `event` to the run journal, when the run has one.
    fn journal(&self, event: &crate::journal::Event) -> Result<(), VaultError> {
        match &self.hooks.journal {
            Some(journal) => journal.append(event),
            None => Ok(()),
        }
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
        let report = TargetReport {
            device: self.device.clone(),
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
        };
        if let Some(journal) = &self.hooks.journal {
            let done = crate::journal::Event::Done {
                target: self.key(),
                status: report.status().to_owned(),
            };
            if let Err(e) = journal.append(&done) {
                self.say(format!(
                    "cannot record the outcome in the run journal: {}",
                    crate::error_chain(&e)
                ));
            }
        }
        if let Some(done) = &self.hooks.done {
            done(&report);
        }
        report
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
                let (signed, reused) = self.sign(reported, &why).await?;
                found.action = Some(if reused {
                    CertAction::Reused
                } else {
                    CertAction::Issued
                });
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
    ) -> Result<(crate::vault::Signed, bool), TargetError> {
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
        let csr_key = crate::journal::csr_key(&csr);
        if let Some(serial) = self.hooks.journal.as_ref().and_then(|j| j.signed(&csr_key)) {
            let vault = self.vault.clone();
            let signed = blocking(move || vault.issued(&serial)).await?;
            self.say(format!(
                "reuses {} (serial {}), signed for this CSR earlier in the run",
                signed.record.thumbprint, signed.record.serial
            ));
            return Ok((signed, true));
        }
        if let Some(since) = self
            .hooks
            .journal
            .as_ref()
            .and_then(|j| j.begun_since(&csr_key))
        {
            let vault = self.vault.clone();
            let key = request.public_key().map_err(VaultError::from)?;
            let (wanted, since) = (uri.clone(), since);
            let found = blocking(move || vault.issued_for(&wanted, &key, since)).await?;
            if let Some(signed) = found {
                self.say(format!(
                    "reuses {} (serial {}), signed for this CSR by the interrupted run",
                    signed.record.thumbprint, signed.record.serial
                ));
                self.journal(&crate::journal::Event::Signed {
                    target: self.key(),
                    csr_sha256: csr_key,
                    serial: signed.record.serial.clone(),
                })?;
                return Ok((signed, true));
            }
        }
        self.journal(&crate::journal::Event::Signing {
            target: self.key(),
            csr_sha256: csr_key.clone(),
        })?;
        let vault = self.vault.clone();
        let options = SignOptions {
            application_uri: Some(uri.clone()),
            cert_type: self.options.cert_type,
            years: None,
        };
        let now = self.now;
        let signed = blocking(move || vault.sign(csr.as_bytes(), &options, now)).await?;
        // Recorded before the twin names the certificate: a resumed run reuses it.
        self.journal(&crate::journal::Event::Signed {
            target: self.key(),
            csr_sha256: csr_key,
            serial: signed.record.serial.clone(),
        })?;
        self.say(format!(
            "signed its CSR for {uri} ({why}): {} ({}), serial {}, valid until {}",
            signed.record.thumbprint,
            self.options.cert_type,
            signed.record.serial,
            crate::date(signed.record.not_after)
        ));
        Ok((signed, false))
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
