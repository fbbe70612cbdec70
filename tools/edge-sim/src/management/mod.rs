//! The management API (edgelet's `mgmt.sock`) for the modules whose manifest binds it.
//!
//! A deployment gives a module the runtime's management socket with a bind
//! (`"Binds": ["/var/run/iotedge/mgmt.sock:/var/run/iotedge/mgmt.sock"]`, see
//! [`MANAGEMENT_SOCKETS`](crate::agent::plan::MANAGEMENT_SOCKETS)). A process cannot be given
//! a container path, so the agent serves each such module a socket of its own,
//! `<state>/mgmt/<module>.sock` (edge-sim then knows the caller, as with the workload
//! sockets), and names it in `IOTEDGE_MANAGEMENTURI`.
//!
//! Request targets are parsed by hub-proto's [`ManagementRoute::parse`]; [`check_route`] adds
//! what the socket knows (the caller: edgeAgent's routes are 403 for modules) as a pure
//! function. `GET /modules` and `GET /modules/{name}` answer the workload API's module list,
//! from `$edgeAgent`'s reported status; restart, start and stop go to the agent's supervisor
//! of the module and answer 204 once it confirmed. Errors are `{"message": "…"}`.

mod modules;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use axum::Router;
use axum::extract::State as Extract;
use axum::http::{Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use hub_proto::ModuleId;
use hub_proto::management::{ManagementPathError, ManagementRoute};
use tokio_util::sync::CancellationToken;

use crate::agent::EDGE_AGENT;
use crate::agent::control::{ActionError, Controls, ModuleAction};
pub use crate::edgelet::BindError;
use crate::edgelet::{Api, ApiError, ModuleSockets, request_target, respond};
use crate::state::State;

/// The directory under the state directory that holds the management sockets.
pub const SOCKET_DIR: &str = Api::Management.socket_dir();

/// The management socket of `module` under the state directory `state_dir`.
#[must_use]
pub fn socket_path(state_dir: &Path, module: &ModuleId) -> PathBuf {
    Api::Management.socket_path(state_dir, module)
}

/// A management API failure, answered as `{"message": …}`.
pub type ManagementError = ApiError;

impl From<ManagementPathError> for ManagementError {
    /// edgelet's answers: no matching route 404, another method 405, api-version 400.
    fn from(e: ManagementPathError) -> Self {
        let status = match e {
            ManagementPathError::UnknownRoute(_)
            | ManagementPathError::EmptyModuleName
            | ManagementPathError::Encoding(_) => StatusCode::NOT_FOUND,
            ManagementPathError::MethodNotAllowed { .. } => StatusCode::METHOD_NOT_ALLOWED,
            ManagementPathError::MissingApiVersion | ManagementPathError::UnknownApiVersion(_) => {
                StatusCode::BAD_REQUEST
            }
        };
        Self::new(status, e.to_string())
    }
}

impl From<ActionError> for ManagementError {
    /// A module the agent does not run is 404, like a container docker does not know.
    fn from(e: ActionError) -> Self {
        let status = match e {
            ActionError::NotDeployed(_) => StatusCode::NOT_FOUND,
            _ => StatusCode::INTERNAL_SERVER_ERROR,
        };
        Self::new(status, e.to_string())
    }
}

/// Parses a request on the socket of `caller`: the route must exist for the method and carry
/// a known api-version; creating, updating, deleting and preparing the update of a module are
/// edgeAgent's (`403 Forbidden` for any other caller, like edgelet's `auth_agent`).
pub fn check_route(
    method: &Method,
    target: &str,
    caller: &ModuleId,
) -> Result<ManagementRoute, ManagementError> {
    let (route, _version) = ManagementRoute::parse(method.as_str(), target)?;
    if route.is_agent_only() && caller.as_str() != EDGE_AGENT {
        return Err(ManagementError::new(
            StatusCode::FORBIDDEN,
            format!(
                "{} {} is only available to {EDGE_AGENT}, not to {caller}",
                route.method(),
                target.split('?').next().unwrap_or(target)
            ),
        ));
    }
    Ok(route)
}

#[derive(Clone)]
struct Socket {
    module: ModuleId,
    state: Arc<State>,
    controls: Controls,
}

/// The management sockets of the agent's modules: [`Sockets::ensure`] binds one before it
/// returns (the module started right after finds it), a task serves it until
/// [`Sockets::remove`] or shutdown.
#[derive(Debug)]
pub(crate) struct Sockets {
    per_module: ModuleSockets,
    state: Arc<State>,
    controls: Controls,
}

impl Sockets {
    /// Creates `<state>/mgmt/`; module actions go to the agent through `controls`.
    pub(crate) fn new(
        state_dir: &Path,
        state: Arc<State>,
        controls: Controls,
        shutdown: CancellationToken,
    ) -> Result<Self, BindError> {
        Ok(Self {
            per_module: ModuleSockets::new(Api::Management, state_dir, shutdown)?,
            state,
            controls,
        })
    }

    /// Binds `module`'s socket unless it is bound, and serves it; returns its path.
    pub(crate) fn ensure(&self, module: &ModuleId) -> Result<PathBuf, BindError> {
        let socket = Socket {
            module: module.clone(),
            state: self.state.clone(),
            controls: self.controls.clone(),
        };
        let app = Router::new().fallback(handle).with_state(socket);
        self.per_module.ensure(module, app)
    }

    /// Stops serving `module`'s socket, if any, and removes the file (a module that no longer
    /// binds the management socket, or left the deployment).
    pub(crate) fn remove(&self, module: &str) {
        self.per_module.remove(module);
    }

    /// Stops serving every socket, removes the files and waits for the socket tasks.
    pub(crate) async fn close(&self) {
        self.per_module.close().await;
    }
}

#[tracing::instrument(skip_all, fields(method = %method, path = %uri.path()))]
async fn handle(Extract(socket): Extract<Socket>, method: Method, uri: Uri) -> Response {
    let target = request_target(&uri);
    let action = |module: String, action: ModuleAction| {
        let controls = socket.controls.clone();
        async move {
            controls.act(&module, action).await?;
            Ok(StatusCode::NO_CONTENT.into_response())
        }
    };
    let result = match check_route(&method, &target, &socket.module) {
        Ok(ManagementRoute::ListModules) => Ok(modules::list(&socket.state)),
        Ok(ManagementRoute::GetModule { module }) => modules::get(&socket.state, &module),
        Ok(ManagementRoute::RestartModule { module }) => {
            action(module, ModuleAction::Restart).await
        }
        Ok(ManagementRoute::StartModule { module }) => action(module, ModuleAction::Start).await,
        Ok(ManagementRoute::StopModule { module }) => action(module, ModuleAction::Stop).await,
        // Only reachable by edgeAgent, which is edge-sim itself.
        Ok(
            ManagementRoute::CreateModule
            | ManagementRoute::UpdateModule { .. }
            | ManagementRoute::DeleteModule { .. }
            | ManagementRoute::PrepareUpdate { .. },
        ) => Err(ManagementError::new(
            StatusCode::NOT_IMPLEMENTED,
            "edge-sim deploys from the $edgeAgent twin, not through the management api",
        )),
        Err(e) => Err(e),
    };
    respond(Api::Management, result)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn module(m: &str) -> ModuleId {
        ModuleId::new(m).unwrap()
    }

    #[test]
    fn module_actions_and_lists_are_open_to_every_module() {
        for (method, target) in [
            (Method::GET, "/modules?api-version=2018-06-28"),
            (Method::GET, "/modules/other?api-version=2022-08-03"),
            (
                Method::POST,
                "/modules/other/restart?api-version=2018-06-28",
            ),
            (Method::POST, "/modules/other/start?api-version=2018-06-28"),
            (Method::POST, "/modules/other/stop?api-version=2018-06-28"),
        ] {
            assert!(
                check_route(&method, target, &module("caller")).is_ok(),
                "{method} {target}"
            );
        }
    }

    #[test]
    fn edge_agent_routes_are_forbidden_to_modules() {
        for (method, target) in [
            (Method::POST, "/modules?api-version=2018-06-28"),
            (Method::PUT, "/modules/x?api-version=2018-06-28"),
            (Method::DELETE, "/modules/x?api-version=2018-06-28"),
            (
                Method::POST,
                "/modules/x/prepareupdate?api-version=2018-06-28",
            ),
        ] {
            let e = check_route(&method, target, &module("caller")).unwrap_err();
            assert_eq!(e.status, StatusCode::FORBIDDEN, "{method} {target}");
            assert!(e.message.contains("$edgeAgent"), "{}", e.message);
        }
        assert!(
            check_route(
                &Method::DELETE,
                "/modules/x?api-version=2018-06-28",
                &module("$edgeAgent")
            )
            .is_ok()
        );
    }

    #[test]
    fn path_errors_get_edgelet_status_codes() {
        let caller = module("caller");
        for (method, target, status) in [
            (Method::GET, "/modules", StatusCode::BAD_REQUEST),
            (
                Method::GET,
                "/modules?api-version=2017-11-10",
                StatusCode::BAD_REQUEST,
            ),
            (
                Method::POST,
                "/modules/x/reboot?api-version=2018-06-28",
                StatusCode::NOT_FOUND,
            ),
            (
                Method::POST,
                "/modules//restart?api-version=2018-06-28",
                StatusCode::NOT_FOUND,
            ),
            (
                Method::GET,
                "/modules/x/restart?api-version=2018-06-28",
                StatusCode::METHOD_NOT_ALLOWED,
            ),
        ] {
            let e = check_route(&method, target, &caller).unwrap_err();
            assert_eq!(e.status, status, "{method} {target}: {}", e.message);
        }
    }

    #[test]
    fn a_module_outside_the_deployment_is_not_found() {
        let e = ManagementError::from(ActionError::NotDeployed("x".to_owned()));
        assert_eq!(e.status, StatusCode::NOT_FOUND);
        assert_eq!(e.message, "module x is not in the deployment");
        let e = ManagementError::from(ActionError::AgentGone);
        assert_eq!(e.status, StatusCode::INTERNAL_SERVER_ERROR);
    }

    #[test]
    fn socket_paths_encode_the_module_id() {
        let p = socket_path(Path::new("/s"), &module("$edgeAgent"));
        assert_eq!(p, Path::new("/s/mgmt/%24edgeAgent.sock"));
    }
}
