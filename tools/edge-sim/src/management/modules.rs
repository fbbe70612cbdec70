//! `GET /modules` and `GET /modules/{name}`: the deployment's modules with the same status
//! data as the workload API's `GET /modules` (`$edgeAgent`'s reported `modules`).

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

use super::ManagementError;
use crate::state::State;
use crate::workload::modules::list as deployed;

/// Lists the deployed modules.
pub(super) fn list(state: &State) -> Response {
    Json(deployed(state)).into_response()
}

/// One deployed module; 404 for a name that is not in the deployment.
pub(super) fn get(state: &State, name: &str) -> Result<Response, ManagementError> {
    deployed(state)
        .modules
        .into_iter()
        .find(|m| m.name == name)
        .map(|m| Json(m).into_response())
        .ok_or_else(|| {
            ManagementError::new(
                StatusCode::NOT_FOUND,
                format!("module {name} is not in the deployment"),
            )
        })
}
