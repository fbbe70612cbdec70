//! `POST /devices/{d}/applyConfigurationContent`: apply a deployment's `modulesContent`.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::Value;
use tracing::info;

use super::{ServiceContext, ServiceError, json_object};
use crate::fleet::Fleet;
use crate::state::TwinUpdate;

/// Sets every listed module's desired properties from `properties.desired` (creating module
/// identities as needed) and answers 204, as IoT Hub does.
pub(crate) fn post(
    ctx: &ServiceContext,
    device: &str,
    body: &[u8],
) -> Result<Response, ServiceError> {
    let content = json_object(body)?;
    let Some(Value::Object(modules_content)) = content.get("modulesContent") else {
        return Err(ServiceError::bad_request("modulesContent is missing"));
    };
    let modules = ctx.state.apply_configuration(device, modules_content)?;
    info!(modules = modules.len(), "configuration applied");
    Ok(StatusCode::NO_CONTENT.into_response())
}

/// The same for a fleet device: the desired properties of each listed module the device has
/// are replaced; other modules (`$edgeAgent`, `$edgeHub`, modules the fleet does not simulate)
/// are ignored, as the fleet's modules are fixed; the configurations targeting the device are
/// then applied on top again. 204.
pub(crate) fn post_fleet(
    fleet: &Fleet,
    device: &str,
    body: &[u8],
) -> Result<Response, ServiceError> {
    let content = json_object(body)?;
    let Some(Value::Object(modules_content)) = content.get("modulesContent") else {
        return Err(ServiceError::bad_request("modulesContent is missing"));
    };
    let mut applied = 0;
    for module in fleet.modules() {
        let Some(section) = modules_content.get(module.id.as_str()) else {
            continue;
        };
        let desired = section
            .get("properties.desired")
            .and_then(Value::as_object)
            .cloned()
            .unwrap_or_default();
        let update = TwinUpdate {
            desired: Some(desired),
            tags: None,
        };
        fleet.update_twin(device, &module.id, &update, true, None)?;
        applied += 1;
    }
    // The layered configurations go on top of the new base, as on IoT Edge.
    fleet.with_configurations(|configurations, twins| configurations.reapply(twins, device));
    info!(
        device,
        modules = applied,
        "configuration applied to a fleet device"
    );
    Ok(StatusCode::NO_CONTENT.into_response())
}
