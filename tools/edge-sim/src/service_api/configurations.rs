//! `GET/PUT/DELETE /configurations/{id}`, `GET /configurations`: IoT Hub configurations
//! (layered deployments) in IoT Hub's shape (`hub_proto::configuration::Configuration`),
//! applied to the fleet's module twins (`crate::fleet::configurations` has the semantics).
//!
//! `PUT` creates (200, as IoT Hub answers) or replaces; `If-Match` with the configuration's
//! etag, `*` or none; a stale etag is 412 `PreconditionFailed`, and so is an etag for a
//! configuration that does not exist. Without a fleet these routes answer 404: the edge device
//! is deployed with `applyConfigurationContent`.

use axum::Json;
use axum::http::{Method, StatusCode};
use axum::response::{IntoResponse, Response};
use hub_proto::configuration::Configuration;

use super::{ServiceContext, ServiceError, only};
use crate::fleet::Fleet;
use crate::fleet::configurations::{ConfigurationError, to_json};

fn fleet(ctx: &ServiceContext) -> Result<&Fleet, ServiceError> {
    ctx.fleet.as_deref().ok_or_else(|| {
        ServiceError::not_found(
            "ConfigurationNotFound",
            "edge-sim serves configurations for fleet devices only: start it with a fleet (--fleet N)",
        )
    })
}

impl From<ConfigurationError> for ServiceError {
    fn from(e: ConfigurationError) -> Self {
        match &e {
            ConfigurationError::NotFound(_) => {
                Self::not_found("ConfigurationNotFound", e.to_string())
            }
            ConfigurationError::PreconditionFailed(_) => Self::new(
                StatusCode::PRECONDITION_FAILED,
                "PreconditionFailed",
                e.to_string(),
            ),
            ConfigurationError::Invalid(_) => Self::bad_request(e.to_string()),
        }
    }
}

/// Serves `/configurations/{id}`.
pub(crate) fn handle(
    ctx: &ServiceContext,
    method: &Method,
    id: &str,
    if_match: Option<&str>,
    body: &[u8],
) -> Result<Response, ServiceError> {
    let fleet = fleet(ctx)?;
    match *method {
        Method::GET => {
            let configuration = fleet.with_configurations(|c, twins| c.get(twins, id))?;
            Ok(Json(to_json(&configuration)).into_response())
        }
        Method::PUT => {
            let configuration: Configuration = serde_json::from_slice(body).map_err(|e| {
                ServiceError::bad_request(format!("body is not a configuration: {e}"))
            })?;
            let (configuration, _created) =
                fleet.with_configurations(|c, twins| c.put(twins, id, configuration, if_match))?;
            Ok(Json(to_json(&configuration)).into_response())
        }
        Method::DELETE => {
            fleet.with_configurations(|c, twins| c.delete(twins, id, if_match))?;
            Ok(StatusCode::NO_CONTENT.into_response())
        }
        _ => {
            only(method, &Method::GET)?;
            Err(ServiceError::bad_request("unsupported method"))
        }
    }
}

/// Serves `GET /configurations`.
pub(crate) fn list(ctx: &ServiceContext) -> Result<Response, ServiceError> {
    let fleet = fleet(ctx)?;
    let all = fleet.with_configurations(|c, twins| c.list(twins));
    Ok(Json(all.iter().map(to_json).collect::<Vec<_>>()).into_response())
}
