//! Service API errors in IoT Hub's shape: `{"Message": "ErrorCode:<code>;<text>",
//! "ExceptionMessage": "…"}` with the matching HTTP status.

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::json;

/// An error answer of the service API.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{status} {code}: {message}")]
pub struct ServiceError {
    /// HTTP status.
    pub status: StatusCode,
    /// IoT Hub error code name (`DeviceNotFound`, `PreconditionFailed`, ...).
    pub code: &'static str,
    /// What went wrong.
    pub message: String,
}

impl ServiceError {
    /// An error with `status`, IoT Hub `code` and `message`.
    pub fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> Self {
        Self {
            status,
            code,
            message: message.into(),
        }
    }

    /// 400 `ArgumentInvalid`.
    pub fn bad_request(message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, "ArgumentInvalid", message)
    }

    /// 404 `DeviceNotFound` / `ModuleNotFound`.
    pub fn not_found(code: &'static str, message: impl Into<String>) -> Self {
        Self::new(StatusCode::NOT_FOUND, code, message)
    }
}

impl IntoResponse for ServiceError {
    fn into_response(self) -> Response {
        let body = json!({
            "Message": format!("ErrorCode:{};{}", self.code, self.message),
            "ExceptionMessage": format!("edge-sim: {}", self.message),
        });
        (self.status, Json(body)).into_response()
    }
}

impl From<crate::state::UpdateError> for ServiceError {
    fn from(e: crate::state::UpdateError) -> Self {
        use crate::state::UpdateError;
        match &e {
            UpdateError::DeviceNotFound(_) => Self::not_found("DeviceNotFound", e.to_string()),
            UpdateError::ModuleNotFound(_) => Self::not_found("ModuleNotFound", e.to_string()),
            UpdateError::PreconditionFailed { .. } => Self::new(
                StatusCode::PRECONDITION_FAILED,
                "PreconditionFailed",
                e.to_string(),
            ),
            UpdateError::Keys => Self::new(
                StatusCode::INTERNAL_SERVER_ERROR,
                "ServerError",
                e.to_string(),
            ),
        }
    }
}
