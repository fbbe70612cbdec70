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

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, PoisonError};

use axum::Router;
use axum::body::Bytes;
use axum::extract::State as Extract;
use axum::http::{Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use hub_proto::ModuleId;
use hub_proto::encoding::encode_component;
use hub_proto::workload::{ErrorResponse, WorkloadPathError, WorkloadRoute};
use tokio::net::UnixListener;
use tokio_util::sync::CancellationToken;
use tokio_util::task::TaskTracker;
use tracing::{Instrument as _, debug, info_span, warn};

use crate::state::State;
use crate::tls::DevPki;

/// The directory under the state directory that holds the module sockets.
pub const SOCKET_DIR: &str = "workload";

/// The socket path of `module` under the state directory `state_dir`.
#[must_use]
pub fn socket_path(state_dir: &Path, module: &ModuleId) -> PathBuf {
    state_dir
        .join(SOCKET_DIR)
        .join(format!("{}.sock", encode_component(module.as_str())))
}

/// A workload API failure, answered as `{"message": …}`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{status}: {message}")]
pub struct WorkloadError {
    /// HTTP status.
    pub status: StatusCode,
    /// The message.
    pub message: String,
}

impl WorkloadError {
    pub(crate) fn new(status: StatusCode, message: impl Into<String>) -> Self {
        Self {
            status,
            message: message.into(),
        }
    }
}

impl IntoResponse for WorkloadError {
    fn into_response(self) -> Response {
        let body = ErrorResponse {
            message: self.message,
        };
        (self.status, axum::Json(body)).into_response()
    }
}

impl From<WorkloadPathError> for WorkloadError {
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
pub(crate) struct Sockets {
    state_dir: PathBuf,
    state: Arc<State>,
    pki: Arc<DevPki>,
    shutdown: CancellationToken,
    runtime: tokio::runtime::Handle,
    tasks: TaskTracker,
    bound: Mutex<HashSet<ModuleId>>,
}

impl std::fmt::Debug for Sockets {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Sockets")
            .field("state_dir", &self.state_dir)
            .finish_non_exhaustive()
    }
}

impl Sockets {
    /// Creates `<state>/workload/`; sockets are served on the current tokio runtime.
    pub(crate) fn new(
        state_dir: PathBuf,
        state: Arc<State>,
        pki: Arc<DevPki>,
        shutdown: CancellationToken,
    ) -> Result<Self, BindError> {
        let dir = state_dir.join(SOCKET_DIR);
        std::fs::create_dir_all(&dir).map_err(|source| BindError {
            path: dir.clone(),
            source,
        })?;
        Ok(Self {
            state_dir,
            state,
            pki,
            shutdown,
            runtime: tokio::runtime::Handle::current(),
            tasks: TaskTracker::new(),
            bound: Mutex::new(HashSet::new()),
        })
    }

    /// Binds `module`'s socket if it is not bound yet, and serves it until shutdown.
    pub(crate) fn ensure(&self, module: &ModuleId) -> Result<PathBuf, BindError> {
        let path = socket_path(&self.state_dir, module);
        let mut bound = self.bound.lock().unwrap_or_else(PoisonError::into_inner);
        if bound.contains(module) {
            return Ok(path);
        }
        // A socket file left by a previous run would make bind fail.
        let _ = std::fs::remove_file(&path);
        let bind_error = |source| BindError {
            path: path.clone(),
            source,
        };
        let listener = std::os::unix::net::UnixListener::bind(&path).map_err(bind_error)?;
        listener.set_nonblocking(true).map_err(bind_error)?;
        bound.insert(module.clone());
        drop(bound);
        let socket = Socket {
            module: module.clone(),
            state: self.state.clone(),
            pki: self.pki.clone(),
        };
        self.tasks.spawn_on(
            serve_socket(listener, path.clone(), socket, self.shutdown.clone()),
            &self.runtime,
        );
        Ok(path)
    }

    /// Binds a socket for every module identity that exists now.
    pub(crate) fn ensure_all(&self) -> Result<(), BindError> {
        for identity in self.state.modules() {
            self.ensure(&identity.module_id)?;
        }
        Ok(())
    }
}

/// A workload socket could not be bound.
#[derive(Debug, thiserror::Error)]
#[error("cannot bind the workload socket {path}")]
pub struct BindError {
    /// The socket path.
    pub path: PathBuf,
    /// The cause.
    #[source]
    pub source: std::io::Error,
}

/// Binds sockets for module identities created from now on (service API, deployments) until
/// `shutdown`, then waits for every socket task to end.
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
    sockets.tasks.close();
    sockets.tasks.wait().await;
}

async fn serve_socket(
    listener: std::os::unix::net::UnixListener,
    path: PathBuf,
    socket: Socket,
    shutdown: CancellationToken,
) {
    let span = info_span!("workload", module = %socket.module);
    async move {
        let listener = match UnixListener::from_std(listener) {
            Ok(l) => l,
            Err(e) => {
                warn!(error = %e, path = %path.display(), "cannot serve the workload socket");
                return;
            }
        };
        debug!(path = %path.display(), "workload socket listening");
        let app = Router::new().fallback(handle).with_state(socket);
        let served = axum::serve(listener, app)
            .with_graceful_shutdown(shutdown.cancelled_owned())
            .await;
        if let Err(e) = served {
            warn!(error = %e, "workload socket failed");
        }
        let _ = std::fs::remove_file(&path);
    }
    .instrument(span)
    .await;
}

#[tracing::instrument(skip_all, fields(method = %method, path = %uri.path()))]
async fn handle(
    Extract(socket): Extract<Socket>,
    method: Method,
    uri: Uri,
    body: Bytes,
) -> Response {
    let target = uri
        .path_and_query()
        .map_or_else(|| uri.path().to_owned(), ToString::to_string);
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
    match result {
        Ok(response) => response,
        Err(e) => {
            debug!(status = %e.status, message = %e.message, "workload request refused");
            e.into_response()
        }
    }
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
