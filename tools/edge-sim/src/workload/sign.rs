//! `POST /modules/{moduleId}/genid/{genId}/sign`: HMAC-SHA256 with the module identity key.

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use hub_proto::ModuleId;
use hub_proto::workload::{ALGO_HMAC_SHA256, SignRequest, SignResponse};

use super::{WorkloadError, check_generation};
use crate::state::State;

/// Signs the request's `data` with the module's primary (or `keyId: "secondary"`) key.
pub(crate) fn post(
    state: &State,
    module: &ModuleId,
    generation_id: &str,
    body: &[u8],
) -> Result<Response, WorkloadError> {
    let identity = check_generation(state, module, generation_id)?;
    // The Python SDK sends no Content-Type (docs/reference/iot-edge.md §2.2), so the body is read
    // as JSON whatever the header says.
    let request: SignRequest = serde_json::from_slice(body).map_err(|e| {
        WorkloadError::new(
            StatusCode::BAD_REQUEST,
            format!("invalid sign request: {e}"),
        )
    })?;
    if request.algo != ALGO_HMAC_SHA256 {
        return Err(WorkloadError::new(
            StatusCode::BAD_REQUEST,
            format!("unsupported algorithm {}", request.algo),
        ));
    }
    let key = match request.key_id.as_str() {
        "primary" => &identity.keys.primary_key,
        "secondary" => &identity.keys.secondary_key,
        other => {
            return Err(WorkloadError::new(
                StatusCode::BAD_REQUEST,
                format!("unknown key id {other}"),
            ));
        }
    };
    let key = hub_proto::SharedAccessKey::from_base64(key).map_err(|e| {
        WorkloadError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            format!("module key unusable: {e}"),
        )
    })?;
    let data = request.decoded_data().map_err(|e| {
        WorkloadError::new(StatusCode::BAD_REQUEST, format!("data is not base64: {e}"))
    })?;
    Ok(Json(SignResponse {
        digest: key.sign(&data),
    })
    .into_response())
}
