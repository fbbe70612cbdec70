//! `GET /trust-bundle` and `GET /manifest-trust-bundle`.

use axum::Json;
use axum::response::{IntoResponse, Response};
use hub_proto::workload::TrustBundleResponse;

use crate::tls::DevPki;

/// `200 {"certificate": "<PEM>"}`: the dev CA, which signed the hub's server certificate.
pub(crate) fn get(pki: &DevPki) -> Response {
    Json(TrustBundleResponse {
        certificate: pki.ca_pem().to_owned(),
    })
    .into_response()
}

/// `200 {"certificate": ""}`: the simulator has no manifest signing, so the bundle is empty.
pub(crate) fn get_manifest() -> Response {
    Json(TrustBundleResponse {
        certificate: String::new(),
    })
    .into_response()
}
