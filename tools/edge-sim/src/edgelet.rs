//! What edgelet's workload and management APIs share: a unix socket per module under the
//! state directory ([`Api::socket_path`]), served with one [`axum::Router`] per module by
//! `ModuleSockets` (crate-internal), and failures answered as `{"message": …}` ([`ApiError`],
//! docs/reference/iot-edge.md §2.3).
//!
//! [`workload`](crate::workload) and [`management`](crate::management) keep what differs:
//! their routes and handlers, how a path error maps to a status, and when a socket is bound
//! or removed.

use std::collections::HashMap;
use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, PoisonError};

use axum::Router;
use axum::http::{StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use hub_proto::ModuleId;
use hub_proto::encoding::encode_component;
use hub_proto::workload::ErrorResponse;
use tokio::net::UnixListener;
use tokio_util::sync::CancellationToken;
use tokio_util::task::TaskTracker;
use tracing::{Instrument as _, Span, debug, info_span, warn};

/// One of edgelet's per-module socket APIs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Api {
    /// The workload API (`aziot-edged`'s workload socket): every module has one.
    Workload,
    /// The management API (`mgmt.sock`): for the modules whose manifest binds it.
    Management,
}

impl Api {
    /// The directory under the state directory that holds this API's module sockets.
    #[must_use]
    pub const fn socket_dir(self) -> &'static str {
        match self {
            Self::Workload => "workload",
            Self::Management => "mgmt",
        }
    }

    /// The socket of `module` under the state directory `state_dir`:
    /// `<state>/<dir>/<module, percent-encoded>.sock`.
    #[must_use]
    pub fn socket_path(self, state_dir: &Path, module: &ModuleId) -> PathBuf {
        state_dir
            .join(self.socket_dir())
            .join(format!("{}.sock", encode_component(module.as_str())))
    }

    /// The span a module's socket is served in (named like the API, with the module).
    fn span(self, module: &ModuleId) -> Span {
        match self {
            Self::Workload => info_span!("workload", module = %module),
            Self::Management => info_span!("management", module = %module),
        }
    }
}

impl fmt::Display for Api {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Workload => "workload",
            Self::Management => "management",
        })
    }
}

/// A workload or management API failure, answered as `{"message": …}`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{status}: {message}")]
pub struct ApiError {
    /// HTTP status.
    pub status: StatusCode,
    /// The message.
    pub message: String,
}

impl ApiError {
    pub(crate) fn new(status: StatusCode, message: impl Into<String>) -> Self {
        Self {
            status,
            message: message.into(),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = ErrorResponse {
            message: self.message,
        };
        (self.status, axum::Json(body)).into_response()
    }
}

/// The request target as the routes parse it: the path with its query.
pub(crate) fn request_target(uri: &Uri) -> String {
    uri.path_and_query()
        .map_or_else(|| uri.path().to_owned(), ToString::to_string)
}

/// A handler's answer: its response, or its error as `{"message": …}` (logged at debug).
pub(crate) fn respond(api: Api, result: Result<Response, ApiError>) -> Response {
    match result {
        Ok(response) => response,
        Err(e) => {
            debug!(status = %e.status, message = %e.message, "{api} request refused");
            e.into_response()
        }
    }
}

/// A module socket (or the directory of the sockets) could not be bound.
#[derive(Debug, thiserror::Error)]
#[error("cannot bind the {api} socket {path}")]
pub struct BindError {
    /// The API of the socket.
    pub api: Api,
    /// The socket path (or its directory).
    pub path: PathBuf,
    /// The cause.
    #[source]
    pub source: std::io::Error,
}

/// One bound socket.
struct Bound {
    path: PathBuf,
    stop: CancellationToken,
}

/// The sockets of one API, one a module: [`ModuleSockets::ensure`] binds a module's socket
/// before it returns (a module started right after finds it), a task serves it with the
/// module's router until [`ModuleSockets::remove`], [`ModuleSockets::close`] or shutdown.
pub(crate) struct ModuleSockets {
    api: Api,
    state_dir: PathBuf,
    shutdown: CancellationToken,
    runtime: tokio::runtime::Handle,
    tasks: TaskTracker,
    bound: Mutex<HashMap<String, Bound>>,
}

impl fmt::Debug for ModuleSockets {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ModuleSockets")
            .field("api", &self.api)
            .field("state_dir", &self.state_dir)
            .finish_non_exhaustive()
    }
}

impl ModuleSockets {
    /// Creates `<state>/<dir>/`; sockets are served on the current tokio runtime until
    /// `shutdown`.
    pub(crate) fn new(
        api: Api,
        state_dir: &Path,
        shutdown: CancellationToken,
    ) -> Result<Self, BindError> {
        let dir = state_dir.join(api.socket_dir());
        std::fs::create_dir_all(&dir).map_err(|source| BindError {
            api,
            path: dir.clone(),
            source,
        })?;
        Ok(Self {
            api,
            state_dir: state_dir.to_owned(),
            shutdown,
            runtime: tokio::runtime::Handle::current(),
            tasks: TaskTracker::new(),
            bound: Mutex::new(HashMap::new()),
        })
    }

    /// Binds `module`'s socket unless it is bound, and serves `app` on it; returns its path.
    /// A bound socket keeps the router it was bound with.
    pub(crate) fn ensure(&self, module: &ModuleId, app: Router) -> Result<PathBuf, BindError> {
        let path = self.api.socket_path(&self.state_dir, module);
        let mut bound = self.bound.lock().unwrap_or_else(PoisonError::into_inner);
        if bound.contains_key(module.as_str()) {
            return Ok(path);
        }
        // A socket file left by a previous run would make bind fail.
        let _ = std::fs::remove_file(&path);
        let bind_error = |source| BindError {
            api: self.api,
            path: path.clone(),
            source,
        };
        let listener = std::os::unix::net::UnixListener::bind(&path).map_err(bind_error)?;
        listener.set_nonblocking(true).map_err(bind_error)?;
        let stop = self.shutdown.child_token();
        bound.insert(
            module.as_str().to_owned(),
            Bound {
                path: path.clone(),
                stop: stop.clone(),
            },
        );
        drop(bound);
        let served = serve(self.api, listener, app, stop).instrument(self.api.span(module));
        self.tasks.spawn_on(served, &self.runtime);
        debug!(module = %module, path = %path.display(), "{} socket listening", self.api);
        Ok(path)
    }

    /// Stops serving `module`'s socket, if any, and removes the file.
    pub(crate) fn remove(&self, module: &str) {
        let removed = self
            .bound
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .remove(module);
        if let Some(bound) = removed {
            bound.stop.cancel();
            // Removed here, not by the task: a socket bound again at once keeps its file.
            let _ = std::fs::remove_file(&bound.path);
        }
    }

    /// Stops serving every socket, removes the files and waits for the socket tasks.
    pub(crate) async fn close(&self) {
        let bound: Vec<Bound> = self
            .bound
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .drain()
            .map(|(_, b)| b)
            .collect();
        for b in bound {
            b.stop.cancel();
            let _ = std::fs::remove_file(&b.path);
        }
        self.tasks.close();
        self.tasks.wait().await;
    }
}

async fn serve(
    api: Api,
    listener: std::os::unix::net::UnixListener,
    app: Router,
    stop: CancellationToken,
) {
    let listener = match UnixListener::from_std(listener) {
        Ok(l) => l,
        Err(e) => {
            warn!(error = %e, "cannot serve the {api} socket");
            return;
        }
    };
    let served = axum::serve(listener, app)
        .with_graceful_shutdown(stop.cancelled_owned())
        .await;
    if let Err(e) = served {
        warn!(error = %e, "{api} socket failed");
    }
}
