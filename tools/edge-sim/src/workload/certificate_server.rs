//! `POST /modules/{moduleId}/genid/{genId}/certificate/server`: a server certificate from the
//! dev CA.

use std::sync::Arc;

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use hub_proto::ModuleId;
use hub_proto::workload::ServerCertificateRequest;
use time::OffsetDateTime;

use super::{WorkloadError, check_generation};
use crate::state::State;
use crate::tls::DevPki;

/// Issues the certificate: `201` with the PKCS#8 key, the chain and the expiry.
pub(crate) async fn post(
    state: Arc<State>,
    pki: Arc<DevPki>,
    module: &ModuleId,
    generation_id: &str,
    body: &[u8],
) -> Result<Response, WorkloadError> {
    check_generation(&state, module, generation_id)?;
    let request: ServerCertificateRequest = serde_json::from_slice(body).map_err(|e| {
        WorkloadError::new(
            StatusCode::BAD_REQUEST,
            format!("invalid certificate request: {e}"),
        )
    })?;
    if request.common_name.is_empty() {
        return Err(WorkloadError::new(
            StatusCode::BAD_REQUEST,
            "commonName is empty",
        ));
    }
    let module_id = module.as_str().to_owned();
    // RSA key generation takes tens of milliseconds: keep it off the async workers.
    let issued = tokio::task::spawn_blocking(move || {
        pki.issue_server_certificate(&request.common_name, &module_id, OffsetDateTime::now_utc())
    })
    .await
    .map_err(|e| WorkloadError::new(StatusCode::INTERNAL_SERVER_ERROR, e.to_string()))?
    .map_err(|e| WorkloadError::new(StatusCode::INTERNAL_SERVER_ERROR, e.to_string()))?;
    Ok((StatusCode::CREATED, Json(issued)).into_response())
}
