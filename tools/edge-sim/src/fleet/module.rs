//! A fleet module: a task that waits for its twin to change and then runs one pass of the
//! project's `provisioning` over its stores, as `module-runtime`'s own-`pki` reconciler
//! (`opc-plc`) and `cert-agent`'s store reconciler do, and reports the picture.
//!
//! A pass runs when the device is online and the desired `$version` differs from the one last
//! applied, or the device came online again since (the full document, like a module after a
//! reconnect). Offline, nothing is applied or reported. Not simulated: the modules' 30 s
//! refresh and their store watch (nothing else writes these stores).

use std::sync::Arc;

use hub_proto::twin::TwinVersion;
use pki::{Store, ValidationOptions};
use provisioning::contract::RestartState;
use provisioning::{
    Context, DesiredInput, PKI_PROPERTY, REPORTED_BUDGET_BYTES, ReportedPki, STORES_PROPERTY,
    Section, Status, StoreName, reconcile, record_restart,
};
use serde_json::{Map, Value};
use time::OffsetDateTime;
use tokio::sync::{Notify, Semaphore};
use tokio_util::sync::CancellationToken;

use super::{Fleet, FleetModule, ModuleKind, ModuleView, application_uri};

/// A module task's state.
pub(crate) struct ModuleTask {
    pub(crate) fleet: Arc<Fleet>,
    pub(crate) device: String,
    pub(crate) module: FleetModule,
    pub(crate) stores: Vec<(Option<StoreName>, Store)>,
    pub(crate) wake: Arc<Notify>,
    pub(crate) permits: Arc<Semaphore>,
}

/// The smallest share of the report budget a kept store gets (cert-agent's rule).
const MIN_STORE_BUDGET: usize = 4 * 1024;

impl ModuleTask {
    pub(crate) async fn run(self, shutdown: CancellationToken) {
        let module = self.module.id.to_string();
        // (desired $version, online epoch) of the last pass.
        let mut done: Option<(u64, u64)> = None;
        let mut in_force = ValidationOptions::default();
        let stores = Arc::new(self.stores);
        loop {
            if let Some(view) = self.fleet.view(&self.device, &module)
                && due(&view, done)
            {
                let Ok(_permit) = self.permits.acquire().await else {
                    return;
                };
                let input = PassInput {
                    device: self.device.clone(),
                    module: self.module.clone(),
                    stores: stores.clone(),
                    desired: view.desired,
                    version: view.version,
                    in_force: in_force.clone(),
                };
                match tokio::task::spawn_blocking(move || quietly(|| pass(&input))).await {
                    Ok(out) => {
                        in_force = out.in_force;
                        self.fleet.report(
                            &self.device,
                            &module,
                            out.property,
                            out.value,
                            view.epoch,
                        );
                    }
                    Err(e) => {
                        tracing::error!(device = %self.device, module, error = %e, "fleet module pass failed");
                    }
                }
                done = Some((view.version, view.epoch));
            }
            tokio::select! {
                () = self.wake.notified() => {}
                () = shutdown.cancelled() => return,
            }
        }
    }
}

/// Runs `f` without printing its `pki` and `provisioning` log lines: they are the simulated
/// modules' logs (eight lines a module at its first start), not edge-sim's.
pub(crate) fn quietly<T>(f: impl FnOnce() -> T) -> T {
    tracing::subscriber::with_default(tracing::subscriber::NoSubscriber::default(), f)
}

/// Whether a module runs a pass: online, and the desired `$version` or the online epoch
/// differs from the last pass's (`done`), i.e. a new document or a reconnect.
pub(crate) fn due(view: &ModuleView, done: Option<(u64, u64)>) -> bool {
    view.online && done != Some((view.version, view.epoch))
}

/// What one pass works on.
pub(crate) struct PassInput {
    pub(crate) device: String,
    pub(crate) module: FleetModule,
    pub(crate) stores: Arc<Vec<(Option<StoreName>, Store)>>,
    pub(crate) desired: Map<String, Value>,
    pub(crate) version: u64,
    /// The validation policy the module "runs" with (own `pki`).
    pub(crate) in_force: ValidationOptions,
}

/// What one pass produced.
pub(crate) struct PassOutput {
    /// `pki` or `stores`.
    pub(crate) property: &'static str,
    /// Its full new value.
    pub(crate) value: Value,
    /// The policy in force after it.
    pub(crate) in_force: ValidationOptions,
}

/// One pass (blocking): every store reconciled with its desired section.
pub(crate) fn pass(input: &PassInput) -> PassOutput {
    let now = OffsetDateTime::now_utc();
    let version = Some(TwinVersion::new(input.version));
    match &input.module.kind {
        ModuleKind::OwnPki => {
            let context = Context {
                application_uri: Some(application_uri(&input.device, input.module.id.as_str())),
                policy_in_force: input.in_force.clone(),
                // The simulated module takes the document's policy, as opc-plc does.
                live_policy: true,
                ..Context::new(now)
            };
            let Some((_, store)) = input.stores.first() else {
                return PassOutput {
                    property: PKI_PROPERTY,
                    value: Value::Object(Map::new()),
                    in_force: input.in_force.clone(),
                };
            };
            let done = reconcile(
                store,
                DesiredInput {
                    value: input.desired.get(PKI_PROPERTY),
                    version,
                    section: Section::OwnPki,
                },
                &context,
            );
            let in_force = if done.outcome.status == Status::Applied {
                done.validation.clone()
            } else {
                input.in_force.clone()
            };
            PassOutput {
                property: PKI_PROPERTY,
                value: Value::Object(done.reported.to_twin()),
                in_force,
            }
        }
        ModuleKind::Stores(_) => {
            let context = Context {
                report_budget: (REPORTED_BUDGET_BYTES / input.stores.len().max(1))
                    .max(MIN_STORE_BUDGET),
                ..Context::new(now)
            };
            let section = input.desired.get(STORES_PROPERTY);
            let mut stores = Map::new();
            for (name, store) in input.stores.iter() {
                let Some(name) = name else { continue };
                let doc = section.and_then(|s| s.get(name.as_str()));
                let done = reconcile(
                    store,
                    DesiredInput {
                        value: doc,
                        version,
                        section: Section::AgentStore,
                    },
                    &context,
                );
                let mut reported = done.reported;
                restart_at_once(store, &mut reported, now);
                stores.insert(name.as_str().to_owned(), Value::Object(reported.to_twin()));
            }
            PassOutput {
                property: STORES_PROPERTY,
                value: Value::Object(stores),
                in_force: input.in_force.clone(),
            }
        }
    }
}

/// A pending restart (`restartModule`) is answered as done at once: there is no process to
/// restart; recorded in the store like cert-agent records the runtime's answer.
fn restart_at_once(store: &Store, reported: &mut ReportedPki, now: OffsetDateTime) {
    let Some(restart) = reported
        .restart
        .as_ref()
        .filter(|r| r.state == RestartState::Pending)
    else {
        return;
    };
    let thumbprint = restart.thumbprint.clone();
    match record_restart(store, &thumbprint, Ok(()), now) {
        Ok(Some(done)) => reported.restart = Some(done),
        Ok(None) => {}
        Err(e) => tracing::warn!(error = %e, "fleet store restart could not be recorded"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn view(online: bool, version: u64, epoch: u64) -> ModuleView {
        ModuleView {
            online,
            epoch,
            desired: Map::new(),
            version,
        }
    }

    #[test]
    fn a_pass_runs_for_a_new_document_or_a_reconnect_and_never_offline() {
        assert!(due(&view(true, 1, 1), None), "the first document");
        assert!(!due(&view(true, 1, 1), Some((1, 1))), "nothing new");
        assert!(due(&view(true, 2, 1), Some((1, 1))), "a newer document");
        assert!(
            due(&view(true, 1, 2), Some((1, 1))),
            "back online: the full document again"
        );
        assert!(
            !due(&view(false, 2, 1), Some((1, 1))),
            "offline: nothing is applied"
        );
        assert!(!due(&view(false, 1, 1), None));
    }
}
