//! `POST /twins/{d}/modules/{m}/methods`: invoke a direct method over MQTT (or, for
//! `$edgeAgent` under `edge-sim up`, on the simulated agent: `Broker::serve_locally`).

use std::time::Duration;

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use hub_proto::method::{CloudToDeviceMethod, CloudToDeviceMethodResult};
use hub_proto::{MethodName, ModuleId};

use super::{ServiceContext, ServiceError};
use crate::mqtt::InvokeError;

/// Calls the method and answers `{"status", "payload"}`; 404 when the module is not
/// connected, 504 when it does not answer within `responseTimeoutInSeconds`.
pub(crate) async fn post(
    ctx: &ServiceContext,
    module: &ModuleId,
    body: &[u8],
) -> Result<Response, ServiceError> {
    let call: CloudToDeviceMethod = serde_json::from_slice(body)
        .map_err(|e| ServiceError::bad_request(format!("invalid method call: {e}")))?;
    let name = MethodName::new(call.method_name.clone())
        .map_err(|e| ServiceError::bad_request(e.to_string()))?;
    let timeout = Duration::from_secs(call.response_timeout_secs());
    match ctx
        .broker
        .invoke_method(module, name, call.payload, timeout)
        .await
    {
        Ok(response) => Ok(Json(CloudToDeviceMethodResult::from(response)).into_response()),
        Err(e @ InvokeError::NotConnected(_)) => {
            Err(ServiceError::not_found("DeviceNotOnline", e.to_string()))
        }
        Err(e @ InvokeError::InvalidRequest(_)) => Err(ServiceError::bad_request(e.to_string())),
        Err(e @ InvokeError::Timeout(_)) => Err(ServiceError::new(
            StatusCode::GATEWAY_TIMEOUT,
            "GatewayTimeout",
            e.to_string(),
        )),
    }
}
