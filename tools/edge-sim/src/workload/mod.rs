//! The workload API (edgelet's `aziot-edged` workload socket), one unix socket per module.
//!
//! HTTP/1.1 over `<state>/workload/<module>.sock` (real devices bind-mount a per-module socket
//! the same way, docs/reference/iot-edge.md §2.1): trust bundle, sign, server certificate,
//! encrypt/decrypt and `GET /modules`. Request targets are parsed by hub-proto's
//! [`WorkloadRoute::parse`]; [`check_route`] adds what the socket knows (method, module,
//! generation id) as a pure function; each route is served by the file named like its URL.
//! Errors are `{"message": "…"}` (docs/reference/iot-edge.md §2.3).

mod certificate_server;
mod encrypt;
pub(crate) mod modules;
mod sign;
mod trust_bundle;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use axum::Router;
use axum::body::Bytes;
use axum::extract::State as Extract;
use axum::http::{Method, StatusCode, Uri};
use axum::response::Response;
use hub_proto::ModuleId;
use hub_proto::workload::{WorkloadPathError, WorkloadRoute};
use tokio_util::sync::CancellationToken;
use tracing::warn;

pub use crate::edgelet::BindError;
use crate::edgelet::{Api, ApiError, ModuleSockets, request_target, respond};
use crate::state::State;
use crate::tls::DevPki;

/// The directory under the state directory that holds the module sockets.
pub const SOCKET_DIR: &str = Api::Workload.socket_dir();

/// The socket path of `module` under the state directory `state_dir`.
#[must_use]
pub fn socket_path(state_dir: &Path, module: &ModuleId) -> PathBuf {
    Api::Workload.socket_path(state_dir, module)
}

/// A workload API failure, answered as `{"message": …}`.
pub type WorkloadError = ApiError;

impl From<WorkloadPathError> for ApiError {
    fn from(e: WorkloadPathError) -> Self {
        let status = match e {
            WorkloadPathError::UnknownRoute(_) => StatusCode::NOT_FOUND,
            _ => StatusCode::BAD_REQUEST,
        };
        Self::new(status, e.to_string())
    }
}

/// Parses a request on the socket of `socket_module`: the route must exist, use its method,
/// carry a known api-version and, for module routes, name the socket's own module (edgelet
/// checks the caller's identity, `auth_caller`).
pub fn check_route(
    method: &Method,
    target: &str,
    socket_module: &ModuleId,
) -> Result<WorkloadRoute, WorkloadError> {
    let (route, _version) = WorkloadRoute::parse(target)?;
    let expected = match route {
        WorkloadRoute::TrustBundle
        | WorkloadRoute::ManifestTrustBundle
        | WorkloadRoute::ListModules => Method::GET,
        _ => Method::POST,
    };
    if *method != expected {
        return Err(WorkloadError::new(
            StatusCode::METHOD_NOT_ALLOWED,
            format!("{method} is not allowed on this route"),
        ));
    }
    let module = match &route {
        WorkloadRoute::Sign { module, .. }
        | WorkloadRoute::ServerCertificate { module, .. }
        | WorkloadRoute::IdentityCertificate { module }
        | WorkloadRoute::Encrypt { module, .. }
        | WorkloadRoute::Decrypt { module, .. } => Some(module),
        _ => None,
    };
    if let Some(module) = module
        && module != socket_module
    {
        return Err(WorkloadError::new(
            StatusCode::FORBIDDEN,
            format!("module {module} is not the caller {socket_module}"),
        ));
    }
    Ok(route)
}

#[derive(Clone)]
struct Socket {
    module: ModuleId,
    state: Arc<State>,
    pki: Arc<DevPki>,
}

/// The workload sockets of every module: each is bound by [`Sockets::ensure`] before it
/// returns (so a module started right after finds its socket), then served by a task.
#[derive(Debug)]
pub(crate) struct Sockets {
    per_module: ModuleSockets,
    state: Arc<State>,
    pki: Arc<DevPki>,
}

impl Sockets {
    /// Creates `<state>/workload/`; sockets are served on the current tokio runtime.
    pub(crate) fn new(
        state_dir: &Path,
        state: Arc<State>,
        pki: Arc<DevPki>,
        shutdown: CancellationToken,
    ) -> Result<Self, BindError> {
        Ok(Self {
            per_module: ModuleSockets::new(Api::Workload, state_dir, shutdown)?,
            state,
            pki,
        })
    }

    /// Binds `module`'s socket if it is not bound yet, and serves it until shutdown.
    pub(crate) fn ensure(&self, module: &ModuleId) -> Result<PathBuf, BindError> {
        let socket = Socket {
            module: module.clone(),
            state: self.state.clone(),
            pki: self.pki.clone(),
        };
        let app = Router::new().fallback(handle).with_state(socket);
        self.per_module.ensure(module, app)
    }

    /// Binds a socket for every module identity that exists now.
    pub(crate) fn ensure_all(&self) -> Result<(), BindError> {
        for identity in self.state.modules() {
            self.ensure(&identity.module_id)?;
        }
        Ok(())
    }
}

/// Binds sockets for module identities created from now on (service API, deployments) until
/// `shutdown`, then stops every socket, removes the files and waits for the socket tasks.
pub(crate) async fn serve(sockets: Arc<Sockets>, shutdown: CancellationToken) {
    let mut added = sockets.state.subscribe_added();
    loop {
        tokio::select! {
            () = shutdown.cancelled() => break,
            module = added.recv() => match module {
                Ok(module) => {
                    if let Err(e) = sockets.ensure(&module) {
                        warn!(error = %e, cause = %e.source, "workload socket not available");
                    }
                }
                Err(tokio::sync::broadcast::error::RecvError::Lagged(_)) => {
                    // Missed announcements: bind whatever has no socket yet.
                    if let Err(e) = sockets.ensure_all() {
                        warn!(error = %e, cause = %e.source, "workload socket not available");
                    }
                }
                Err(tokio::sync::broadcast::error::RecvError::Closed) => break,
            },
        }
    }
    sockets.per_module.close().await;
}

#[tracing::instrument(skip_all, fields(method = %method, path = %uri.path()))]
async fn handle(
    Extract(socket): Extract<Socket>,
    method: Method,
    uri: Uri,
    body: Bytes,
) -> Response {
    let target = request_target(&uri);
    let result = match check_route(&method, &target, &socket.module) {
        Ok(WorkloadRoute::TrustBundle) => Ok(trust_bundle::get(&socket.pki)),
        Ok(WorkloadRoute::ManifestTrustBundle) => Ok(trust_bundle::get_manifest()),
        Ok(WorkloadRoute::Sign { generation_id, .. }) => {
            sign::post(&socket.state, &socket.module, &generation_id, &body)
        }
        Ok(WorkloadRoute::ServerCertificate { generation_id, .. }) => {
            certificate_server::post(
                socket.state.clone(),
                socket.pki.clone(),
                &socket.module,
                &generation_id,
                &body,
            )
            .await
        }
        Ok(WorkloadRoute::Encrypt { generation_id, .. }) => {
            encrypt::post_encrypt(&socket.state, &socket.module, &generation_id, &body)
        }
        Ok(WorkloadRoute::Decrypt { generation_id, .. }) => {
            encrypt::post_decrypt(&socket.state, &socket.module, &generation_id, &body)
        }
        Ok(WorkloadRoute::ListModules) => Ok(modules::get(&socket.state)),
        Ok(WorkloadRoute::IdentityCertificate { .. }) => Err(WorkloadError::new(
            StatusCode::NOT_FOUND,
            "identity certificates are not supported by edge-sim (modules use sasToken)",
        )),
        Err(e) => Err(e),
    };
    respond(Api::Workload, result)
}

/// Checks that `generation_id` is the module identity's current one.
pub(crate) fn check_generation(
    state: &State,
    module: &ModuleId,
    generation_id: &str,
) -> Result<crate::state::ModuleIdentity, WorkloadError> {
    let identity = state.module(module).ok_or_else(|| {
        WorkloadError::new(
            StatusCode::NOT_FOUND,
            format!("module {module} does not exist"),
        )
    })?;
    if identity.generation_id != generation_id {
        return Err(WorkloadError::new(
            StatusCode::BAD_REQUEST,
            format!("generation id {generation_id} is not the module's current one"),
        ));
    }
    Ok(identity)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn module(m: &str) -> ModuleId {
        ModuleId::new(m).unwrap()
    }

    #[test]
    fn every_known_api_version_is_accepted_and_others_are_400() {
        for v in hub_proto::workload::ApiVersion::ALL {
            let target = format!("/trust-bundle?api-version={v}");
            assert!(check_route(&Method::GET, &target, &module("m")).is_ok());
        }
        let e = check_route(
            &Method::GET,
            "/trust-bundle?api-version=2030-01-01",
            &module("m"),
        )
        .unwrap_err();
        assert_eq!(e.status, StatusCode::BAD_REQUEST);
        let e = check_route(&Method::GET, "/trust-bundle", &module("m")).unwrap_err();
        assert_eq!(e.status, StatusCode::BAD_REQUEST);
    }

    #[test]
    fn sign_for_another_module_is_forbidden() {
        let e = check_route(
            &Method::POST,
            "/modules/other/genid/1/sign?api-version=2022-08-03",
            &module("m"),
        )
        .unwrap_err();
        assert_eq!(e.status, StatusCode::FORBIDDEN);
    }

    #[test]
    fn encoded_module_ids_match_the_socket_module() {
        let route = check_route(
            &Method::POST,
            "/modules/%24edgeAgent/genid/7/sign?api-version=2018-06-28",
            &module("$edgeAgent"),
        )
        .unwrap();
        assert_eq!(
            route,
            WorkloadRoute::Sign {
                module: module("$edgeAgent"),
                generation_id: "7".to_owned()
            }
        );
    }

    #[test]
    fn wrong_method_is_405_and_unknown_route_is_404() {
        let e = check_route(
            &Method::POST,
            "/trust-bundle?api-version=2022-08-03",
            &module("m"),
        )
        .unwrap_err();
        assert_eq!(e.status, StatusCode::METHOD_NOT_ALLOWED);
        let e =
            check_route(&Method::GET, "/nope?api-version=2022-08-03", &module("m")).unwrap_err();
        assert_eq!(e.status, StatusCode::NOT_FOUND);
    }

    #[test]
    fn socket_paths_encode_the_module_id() {
        let p = socket_path(Path::new("/s"), &module("$edgeAgent"));
        assert_eq!(p, Path::new("/s/workload/%24edgeAgent.sock"));
    }
}
