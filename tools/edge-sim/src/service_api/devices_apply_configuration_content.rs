//! `POST /devices/{d}/applyConfigurationContent`: apply a deployment's `modulesContent`.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::Value;
use tracing::info;

use super::{ServiceContext, ServiceError, json_object};

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
