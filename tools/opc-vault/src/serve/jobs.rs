//! The page's actions as jobs: each runs in its own task, writes its progress lines as it
//! goes, and ends with an outcome only once the modules reported the result (or failed, or
//! timed out). The page polls `GET /api/jobs`; nothing is lost when it is closed meanwhile.
//!
//! - **provision** a target: sign its reported CSR unless it holds a valid certificate of the
//!   vault, write certificate, CA chain and CRLs, wait for `applied` ([`provision`]).
//! - **renew**: the same, signing the current CSR even when the certificate is still valid.
//! - **revoke** a target's certificate (the one it reports, which the vault must have issued),
//!   then push the new CRL to every module with a report.
//! - **push CRLs** to every module with a report (`provision --crl-only` on each device).
//! - **approve** a rejected certificate: `approveRejected.<THUMBPRINT>: true` in the target's
//!   desired section, then wait for `applied` at that version.

use std::collections::{BTreeMap, VecDeque};
use std::fmt::Write as _;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use clap::ValueEnum as _;
use hub_service::ServiceClient;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use time::OffsetDateTime;

use crate::model::RevocationReason;
use crate::provision::{
    Expectation, Progress, ProvisionOptions, Target, TargetReport, Verdict, parse_reported,
    provision, verdict,
};
use crate::vault::Vault;

/// How many finished jobs are kept.
const KEPT: usize = 50;

/// An action the page asks for.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(tag = "action", rename_all = "camelCase", deny_unknown_fields)]
pub enum Action {
    /// Provision one target.
    Provision {
        /// The device id.
        device: String,
        /// `module` or `module:store`.
        target: String,
    },
    /// Sign the target's current CSR again.
    Renew {
        /// The device id.
        device: String,
        /// `module` or `module:store`.
        target: String,
    },
    /// Revoke the target's certificate and push the new CRL everywhere.
    Revoke {
        /// The device id.
        device: String,
        /// `module` or `module:store`.
        target: String,
        /// As `opc-vault revoke --reason` names it (default `unspecified`).
        #[serde(default)]
        reason: Option<String>,
    },
    /// Push the CA chain and the current CRLs to every module with a report.
    PushCrls,
    /// Trust a certificate the target refused.
    Approve {
        /// The device id.
        device: String,
        /// `module` or `module:store`.
        target: String,
        /// The refused certificate's thumbprint.
        thumbprint: String,
    },
}

impl Action {
    /// The store it works on, `device/target`; `None` for pushing CRLs everywhere.
    #[must_use]
    pub fn store(&self) -> Option<String> {
        match self {
            Self::Provision { device, target }
            | Self::Renew { device, target }
            | Self::Revoke { device, target, .. }
            | Self::Approve { device, target, .. } => Some(format!("{device}/{target}")),
            Self::PushCrls => None,
        }
    }

    /// A title for the job list.
    #[must_use]
    pub fn title(&self) -> String {
        match self {
            Self::Provision { device, target } => format!("Provision {device}/{target}"),
            Self::Renew { device, target } => format!("Renew {device}/{target}"),
            Self::Revoke { device, target, .. } => format!("Revoke {device}/{target}"),
            Self::PushCrls => "Push CRLs to every module".to_owned(),
            Self::Approve {
                device,
                target,
                thumbprint,
            } => format!("Approve {thumbprint} on {device}/{target}"),
        }
    }
}

/// Where a job is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum JobState {
    /// Still going.
    Running,
    /// Every module reported the result.
    Succeeded,
    /// Something failed: see the outcome.
    Failed,
}

/// One job, as the page shows it.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Job {
    /// Its number.
    pub id: u64,
    /// What it does.
    pub title: String,
    /// The store it works on (`device/target`), when it is one store.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub store: Option<String>,
    /// Where it is.
    pub state: JobState,
    /// When it started.
    #[serde(with = "time::serde::rfc3339")]
    pub started_at: OffsetDateTime,
    /// When it ended.
    #[serde(
        skip_serializing_if = "Option::is_none",
        with = "time::serde::rfc3339::option"
    )]
    pub finished_at: Option<OffsetDateTime>,
    /// Progress lines, oldest first.
    pub lines: Vec<String>,
    /// How it ended.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub outcome: Option<String>,
}

/// The jobs, newest first.
#[derive(Debug, Clone, Default)]
pub struct Jobs {
    inner: Arc<Mutex<JobList>>,
}

#[derive(Debug, Default)]
struct JobList {
    next: u64,
    jobs: VecDeque<Job>,
}

impl Jobs {
    /// Every job kept, newest first.
    #[must_use]
    pub fn list(&self) -> Vec<Job> {
        self.lock().jobs.iter().cloned().collect()
    }

    /// One job.
    #[must_use]
    pub fn get(&self, id: u64) -> Option<Job> {
        self.lock().jobs.iter().find(|j| j.id == id).cloned()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, JobList> {
        // A panic while holding the lock leaves a consistent list (every change is one push).
        self.inner
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    fn start(&self, title: String, store: Option<String>) -> u64 {
        let mut list = self.lock();
        list.next += 1;
        let id = list.next;
        list.jobs.push_front(Job {
            id,
            title,
            store,
            state: JobState::Running,
            started_at: OffsetDateTime::now_utc(),
            finished_at: None,
            lines: Vec::new(),
            outcome: None,
        });
        while list.jobs.len() > KEPT {
            // Drop the oldest finished job; running ones stay.
            match list.jobs.iter().rposition(|j| j.state != JobState::Running) {
                Some(at) => {
                    list.jobs.remove(at);
                }
                None => break,
            }
        }
        id
    }

    fn say(&self, id: u64, line: String) {
        tracing::info!(job = id, "{line}");
        if let Some(job) = self.lock().jobs.iter_mut().find(|j| j.id == id) {
            job.lines.push(line);
        }
    }

    fn finish(&self, id: u64, result: Result<String, String>) {
        match &result {
            Ok(outcome) => tracing::info!(job = id, "done: {outcome}"),
            Err(error) => tracing::warn!(job = id, "failed: {error}"),
        }
        if let Some(job) = self.lock().jobs.iter_mut().find(|j| j.id == id) {
            job.finished_at = Some(OffsetDateTime::now_utc());
            let (state, outcome) = match result {
                Ok(outcome) => (JobState::Succeeded, outcome),
                Err(error) => (JobState::Failed, error),
            };
            job.state = state;
            job.outcome = Some(outcome);
        }
    }
}

/// What the jobs work with.
#[derive(Clone)]
pub struct Worker {
    /// The vault.
    pub vault: Vault,
    /// The hub's service API.
    pub hub: Arc<ServiceClient>,
    /// How long a module may take and how often its twin is read.
    pub options: ProvisionOptions,
    /// The job list.
    pub jobs: Jobs,
}

/// Why an action cannot start.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ActionError {
    /// A target that is not `module` or `module:store`.
    #[error("target {0:?}: {1}")]
    Target(String, String),
    /// A revocation reason `revoke` does not know.
    #[error("unknown revocation reason {0:?}")]
    Reason(String),
    /// An empty device id or thumbprint.
    #[error("{0} must not be empty")]
    Empty(&'static str),
}

/// A target named by the page.
fn target(text: &str) -> Result<Target, ActionError> {
    text.parse::<Target>()
        .map_err(|e| ActionError::Target(text.to_owned(), e))
}

/// Checks an action's arguments before a job starts (so a mistake is a 400, not a job).
pub fn check(action: &Action) -> Result<(), ActionError> {
    match action {
        Action::PushCrls => Ok(()),
        Action::Provision { device, target: t } | Action::Renew { device, target: t } => {
            non_empty(device, "device")?;
            target(t).map(drop)
        }
        Action::Revoke {
            device,
            target: t,
            reason,
        } => {
            non_empty(device, "device")?;
            target(t)?;
            reason_of(reason.as_deref()).map(drop)
        }
        Action::Approve {
            device,
            target: t,
            thumbprint,
        } => {
            non_empty(device, "device")?;
            non_empty(thumbprint, "thumbprint")?;
            target(t).map(drop)
        }
    }
}

fn non_empty(value: &str, what: &'static str) -> Result<(), ActionError> {
    if value.trim().is_empty() {
        Err(ActionError::Empty(what))
    } else {
        Ok(())
    }
}

fn reason_of(reason: Option<&str>) -> Result<RevocationReason, ActionError> {
    match reason {
        None => Ok(RevocationReason::Unspecified),
        Some(name) => {
            RevocationReason::from_str(name, true).map_err(|_| ActionError::Reason(name.to_owned()))
        }
    }
}

impl Worker {
    /// Starts a job for `action` (checked with [`check`] first); returns its id.
    pub fn spawn(&self, action: Action) -> Result<u64, ActionError> {
        check(&action)?;
        let id = self.jobs.start(action.title(), action.store());
        let worker = self.clone();
        tokio::spawn(async move {
            let result = worker.run(id, action).await;
            worker.jobs.finish(id, result);
        });
        Ok(id)
    }

    fn sink(&self, id: u64) -> crate::provision::ProgressSink {
        let jobs = self.jobs.clone();
        Arc::new(move |p: &Progress| jobs.say(id, p.to_string()))
    }

    async fn run(&self, id: u64, action: Action) -> Result<String, String> {
        match action {
            Action::Provision { device, target: t } => {
                self.provision(id, &device, &[target_or(&t)?], self.options.clone())
                    .await
            }
            Action::Renew { device, target: t } => {
                let options = ProvisionOptions {
                    renew_days: u32::MAX,
                    ..self.options.clone()
                };
                self.provision(id, &device, &[target_or(&t)?], options)
                    .await
            }
            Action::Revoke {
                device,
                target: t,
                reason,
            } => {
                let reason = reason_of(reason.as_deref()).map_err(|e| e.to_string())?;
                self.revoke(id, &device, &target_or(&t)?, reason).await
            }
            Action::PushCrls => self.push_crls(id).await,
            Action::Approve {
                device,
                target: t,
                thumbprint,
            } => {
                self.approve(id, &device, &target_or(&t)?, &thumbprint)
                    .await
            }
        }
    }

    async fn provision(
        &self,
        id: u64,
        device: &str,
        targets: &[Target],
        options: ProvisionOptions,
    ) -> Result<String, String> {
        let reports = provision(
            &self.vault,
            &self.hub,
            device,
            targets,
            &options,
            OffsetDateTime::now_utc(),
            self.sink(id),
        )
        .await
        .map_err(|e| crate::error_chain(&e))?;
        summary(device, &reports)
    }

    async fn revoke(
        &self,
        id: u64,
        device: &str,
        target: &Target,
        reason: RevocationReason,
    ) -> Result<String, String> {
        let twin = self
            .hub
            .get_module_twin(device, &target.module)
            .await
            .map_err(|e| crate::error_chain(&e))?;
        let reported = parse_reported(target.reported(&twin), &target.property())?;
        let thumbprint = reported
            .application_cert
            .map(|c| c.thumbprint)
            .ok_or_else(|| format!("{target} reports no application certificate"))?;
        let vault = self.vault.clone();
        let print = thumbprint.clone();
        let revocation = tokio::task::spawn_blocking(move || {
            vault.revoke(&print, reason, OffsetDateTime::now_utc())
        })
        .await
        .map_err(|e| format!("the revocation task failed: {e}"))?
        .map_err(|e| crate::error_chain(&e))?;
        if revocation.already_revoked {
            self.jobs.say(
                id,
                format!("vault: {thumbprint} was revoked before; pushing the CRLs again"),
            );
        } else if let Some(crl) = &revocation.crl {
            self.jobs.say(
                id,
                format!(
                    "vault: revoked serial {} ({thumbprint}); {} CRL number {}",
                    revocation.record.serial,
                    crl.role,
                    crl.crl.crl_number().unwrap_or_default()
                ),
            );
        }
        let pushed = self.push_crls(id).await?;
        Ok(format!("{thumbprint} revoked; {pushed}"))
    }

    /// Every target with a report, by device.
    async fn reporting_targets(&self) -> Result<BTreeMap<String, Vec<Target>>, String> {
        let twins = self
            .hub
            .query_twins(super::view::MODULES_QUERY, Some(1000))
            .await
            .map_err(|e| crate::error_chain(&e))?;
        let mut by_device: BTreeMap<String, Vec<Target>> = BTreeMap::new();
        for twin in &twins {
            let mut targets = Vec::new();
            if twin.reported(provisioning::PKI_PROPERTY).is_some() {
                targets.push(Target::own(&twin.module_id));
            }
            if let Some(Value::Object(stores)) = twin.reported(provisioning::STORES_PROPERTY) {
                targets.extend(stores.keys().map(|s| Target::store(&twin.module_id, s)));
            }
            if !targets.is_empty() {
                by_device
                    .entry(twin.device_id.clone())
                    .or_default()
                    .extend(targets);
            }
        }
        Ok(by_device)
    }

    async fn push_crls(&self, id: u64) -> Result<String, String> {
        let by_device = self.reporting_targets().await?;
        if by_device.is_empty() {
            return Ok("no module reports a store yet".to_owned());
        }
        let options = ProvisionOptions {
            crl_only: true,
            ..self.options.clone()
        };
        let mut outcomes = Vec::new();
        let mut failed = false;
        for (device, targets) in &by_device {
            match self.provision(id, device, targets, options.clone()).await {
                Ok(line) => outcomes.push(line),
                Err(line) => {
                    failed = true;
                    outcomes.push(line);
                }
            }
        }
        let text = outcomes.join("; ");
        if failed { Err(text) } else { Ok(text) }
    }

    async fn approve(
        &self,
        id: u64,
        device: &str,
        target: &Target,
        thumbprint: &str,
    ) -> Result<String, String> {
        let thumbprint = crate::normalise_hex(thumbprint);
        let patch = target.section_patch(&json!({ "approveRejected": { &thumbprint: true } }));
        let twin = self
            .hub
            .update_module_desired(device, &target.module, &patch)
            .await
            .map_err(|e| crate::error_chain(&e))?;
        let version = twin.desired_version();
        self.jobs.say(
            id,
            format!(
                "{target}: wrote approveRejected.{thumbprint} (desired version {})",
                version.map_or(0, hub_proto::TwinVersion::get)
            ),
        );
        let expected = Expectation {
            version,
            thumbprint: None,
            crls: Vec::new(),
        };
        self.wait(id, device, target, &expected).await?;
        Ok(format!("{target} trusts {thumbprint}"))
    }

    /// Polls the target's twin until its report meets `expected`, fails, or the time is up.
    async fn wait(
        &self,
        id: u64,
        device: &str,
        target: &Target,
        expected: &Expectation,
    ) -> Result<(), String> {
        let started = Instant::now();
        let property = target.property();
        let mut said = String::new();
        loop {
            let twin = self
                .hub
                .get_module_twin(device, &target.module)
                .await
                .map_err(|e| crate::error_chain(&e))?;
            let why = match parse_reported(target.reported(&twin), &property) {
                Err(why) => why,
                Ok(reported) => match verdict(&reported, expected, &property) {
                    Verdict::Done => return Ok(()),
                    Verdict::Failed(e) => {
                        return Err(format!("{target}: {}", crate::error_chain(&e)));
                    }
                    Verdict::Wait(why) => why,
                },
            };
            if why != said {
                self.jobs.say(id, format!("{target}: {why}"));
                said = why;
            }
            if started.elapsed() >= self.options.timeout {
                return Err(format!(
                    "{target}: no applied report within {:?}: {said}",
                    self.options.timeout
                ));
            }
            tokio::time::sleep(self.options.poll.min(Duration::from_secs(5))).await;
        }
    }
}

fn target_or(text: &str) -> Result<Target, String> {
    target(text).map_err(|e| e.to_string())
}

/// One line for the reports of one device; `Err` when any target failed.
fn summary(device: &str, reports: &[TargetReport]) -> Result<String, String> {
    let lines: Vec<String> = reports
        .iter()
        .map(|r| {
            let mut line = format!("{device}/{}: {}", r.target, r.status());
            if let Some(thumbprint) = &r.thumbprint {
                let _ = write!(line, " ({thumbprint})");
            }
            if let Some(error) = r.error() {
                let _ = write!(line, ": {error}");
            }
            line
        })
        .collect();
    let text = lines.join("; ");
    if reports.iter().all(TargetReport::succeeded) {
        Ok(text)
    } else {
        Err(text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn actions_are_read_from_the_pages_json_and_refused_when_malformed() {
        let action: Action = serde_json::from_value(json!({
            "action": "revoke", "device": "edge1", "target": "opcclient", "reason": "keyCompromise"
        }))
        .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(check(&action), Ok(()));
        assert_eq!(action.title(), "Revoke edge1/opcclient");
        assert_eq!(action.store().as_deref(), Some("edge1/opcclient"));
        let push: Action =
            serde_json::from_value(json!({"action": "pushCrls"})).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(push, Action::PushCrls);
        assert!(serde_json::from_value::<Action>(json!({"action": "format"})).is_err());
        assert!(
            serde_json::from_value::<Action>(
                json!({"action": "provision", "device": "d", "target": "m", "extra": 1})
            )
            .is_err()
        );
        let bad_reason = Action::Revoke {
            device: "d".into(),
            target: "m".into(),
            reason: Some("bored".into()),
        };
        assert_eq!(check(&bad_reason), Err(ActionError::Reason("bored".into())));
        let empty = Action::Approve {
            device: "d".into(),
            target: "m".into(),
            thumbprint: " ".into(),
        };
        assert_eq!(check(&empty), Err(ActionError::Empty("thumbprint")));
        let bad_target = Action::Provision {
            device: "d".into(),
            target: "m:".into(),
        };
        assert!(matches!(check(&bad_target), Err(ActionError::Target(..))));
    }

    #[test]
    fn the_job_list_keeps_running_jobs_and_the_newest_finished_ones() {
        let jobs = Jobs::default();
        let running = jobs.start("long".into(), Some("edge1/opcplc".into()));
        for i in 0..KEPT + 5 {
            let id = jobs.start(format!("job {i}"), None);
            jobs.say(id, "a line".into());
            jobs.finish(
                id,
                if i % 2 == 0 {
                    Ok("ok".into())
                } else {
                    Err("no".into())
                },
            );
        }
        let list = jobs.list();
        assert_eq!(list.len(), KEPT);
        assert!(
            list.iter()
                .any(|j| j.id == running && j.state == JobState::Running)
        );
        assert_eq!(list[0].title, format!("job {}", KEPT + 4));
        assert_eq!(list[0].lines, vec!["a line".to_owned()]);
        assert_eq!(list[0].state, JobState::Succeeded);
        assert_eq!(list[1].state, JobState::Failed);
        assert!(jobs.get(running).unwrap().finished_at.is_none());
    }
}
