//! The `$edgeAgent` twin's reported properties, in edgeAgent's shape: `schemaVersion`,
//! `lastDesiredVersion`, `lastDesiredStatus`, `runtime`, `systemModules` and
//! `modules.<m>.{runtimeStatus, statusDescription, exitCode, lastStartTimeUtc,
//! lastExitTimeUtc, restartCount, lastRestartTimeUtc, status, restartPolicy, type, settings}`.

use std::sync::Arc;

use hub_proto::ModuleId;
use serde_json::{Map, Value, json};
use time::OffsetDateTime;
use tracing::warn;

use super::plan::{Deployment, ModulePlan};
use crate::state::State;
use crate::state::metadata::timestamp;

/// The module id of edgeAgent.
pub const EDGE_AGENT: &str = "$edgeAgent";
/// The module id of edgeHub.
pub const EDGE_HUB: &str = "$edgeHub";

/// Writes reported patches to `$edgeAgent`.
#[derive(Debug, Clone)]
pub(crate) struct Reporter {
    state: Arc<State>,
    agent: ModuleId,
}

impl Reporter {
    pub(crate) fn new(state: Arc<State>, agent: ModuleId) -> Self {
        Self { state, agent }
    }

    /// The whole picture at start: what was deployed, every module `unknown` until started.
    pub(crate) fn deployment(&self, deployment: &Deployment, desired_version: u64) {
        let desired = &deployment.manifest.modules_content.edge_agent.desired;
        let now = timestamp(OffsetDateTime::now_utc());
        let system = json!({
            "runtimeStatus": "running",
            "lastStartTimeUtc": now,
            "restartCount": 0,
            "type": "docker",
        });
        let mut modules = Map::new();
        for plan in &deployment.modules {
            let spec = desired.modules.get(plan.name.as_str());
            modules.insert(
                plan.name.to_string(),
                module_entry(plan, spec.map(|s| &s.settings.image)),
            );
        }
        self.patch(json!({
            "schemaVersion": desired.schema_version,
            "lastDesiredVersion": desired_version,
            "lastDesiredStatus": {"code": 200, "description": ""},
            "runtime": {"type": "docker", "platform": {"os": std::env::consts::OS, "architecture": std::env::consts::ARCH}},
            "systemModules": {"edgeAgent": system, "edgeHub": system},
            "modules": modules,
        }));
    }

    /// A redeployment of desired `version` was applied: the `started` modules get a fresh
    /// entry (until their supervisor reports them), the `removed` ones disappear.
    pub(crate) fn redeployed(
        &self,
        deployment: &Deployment,
        version: u64,
        started: &[String],
        removed: &[String],
    ) {
        let desired = &deployment.manifest.modules_content.edge_agent.desired;
        let mut modules = Map::new();
        for name in removed {
            modules.insert(name.clone(), Value::Null);
        }
        for plan in &deployment.modules {
            if started.iter().any(|n| n == plan.name.as_str()) {
                let spec = desired.modules.get(plan.name.as_str());
                let mut entry = module_entry(plan, spec.map(|s| &s.settings.image));
                // The supervisor may already have reported the new run: keep its fields.
                if let Value::Object(fields) = &mut entry {
                    fields.remove("runtimeStatus");
                    fields.remove("restartCount");
                }
                modules.insert(plan.name.to_string(), entry);
            }
        }
        self.patch(json!({
            "schemaVersion": desired.schema_version,
            "lastDesiredVersion": version,
            "lastDesiredStatus": {"code": 200, "description": ""},
            "modules": modules,
        }));
    }

    /// Desired `version` could not be applied: `code` and the reason, modules unchanged.
    pub(crate) fn desired_status(&self, version: u64, code: u16, description: &str) {
        self.patch(json!({
            "lastDesiredVersion": version,
            "lastDesiredStatus": {"code": code, "description": description},
        }));
    }

    /// Merges `fields` into `modules.<module>`.
    pub(crate) fn module(&self, module: &str, fields: Value) {
        let mut modules = Map::new();
        modules.insert(module.to_owned(), fields);
        let mut patch = Map::new();
        patch.insert("modules".to_owned(), Value::Object(modules));
        self.patch_map(&patch);
    }

    fn patch(&self, patch: Value) {
        if let Value::Object(patch) = patch {
            self.patch_map(&patch);
        }
    }

    fn patch_map(&self, patch: &Map<String, Value>) {
        if let Err(e) = self.state.patch_reported(&self.agent, patch) {
            warn!(error = %e, "cannot report the runtime status");
        }
    }
}

fn module_entry(plan: &ModulePlan, image: Option<&String>) -> Value {
    json!({
        "runtimeStatus": "unknown",
        "status": plan.status,
        "restartPolicy": plan.restart_policy,
        "restartCount": 0,
        "type": "docker",
        "settings": {"image": image},
    })
}
