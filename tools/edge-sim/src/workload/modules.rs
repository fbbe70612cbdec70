//! `GET /modules`: the runtime's modules and their status, from the `$edgeAgent` twin's
//! reported `modules` (what edge-sim's agent runs); empty without a deployment.

use axum::Json;
use axum::response::{IntoResponse, Response};
use hub_proto::ModuleId;
use hub_proto::workload::{
    ExitStatusDetails, ModuleDetails, ModuleList, ModuleStatusDetails, RuntimeStatusDetails,
};
use serde_json::{Value, json};

use crate::agent::EDGE_AGENT;
use crate::state::State;

/// Lists the deployed modules.
pub(crate) fn get(state: &State) -> Response {
    Json(list(state)).into_response()
}

/// The deployed modules with their runtime status, ordered by name.
pub(crate) fn list(state: &State) -> ModuleList {
    let reported = ModuleId::new(EDGE_AGENT)
        .ok()
        .and_then(|id| state.twin(&id))
        .map(|twin| twin.reported.properties().clone())
        .unwrap_or_default();
    let modules = reported
        .get("modules")
        .and_then(Value::as_object)
        .map(|modules| {
            modules
                .iter()
                .map(|(name, entry)| details(name, entry))
                .collect()
        })
        .unwrap_or_default();
    ModuleList { modules }
}

fn details(name: &str, entry: &Value) -> ModuleDetails {
    let text = |key: &str| entry.get(key).and_then(Value::as_str).map(str::to_owned);
    let exit_status = match (text("lastExitTimeUtc"), entry.get("exitCode")) {
        (Some(exit_time), Some(code)) => Some(ExitStatusDetails {
            exit_time,
            status_code: code.to_string(),
        }),
        _ => None,
    };
    ModuleDetails {
        id: name.to_owned(),
        name: name.to_owned(),
        kind: text("type").unwrap_or_else(|| "docker".to_owned()),
        config: json!({"settings": entry.get("settings").cloned().unwrap_or(Value::Null), "env": []}),
        status: ModuleStatusDetails {
            start_time: text("lastStartTimeUtc"),
            exit_status,
            runtime_status: RuntimeStatusDetails {
                status: text("runtimeStatus").unwrap_or_else(|| "unknown".to_owned()),
                description: text("statusDescription"),
            },
        },
    }
}
