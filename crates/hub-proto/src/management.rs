//! The IoT Edge management API (edgelet's `mgmt.sock`): routes and api-versions.
//!
//! HTTP/1.1 over a unix socket, like the workload API, and with the same api-versions: every
//! route takes `?api-version=` (any version edgelet knows, all of them at least
//! `2018-06-28`); errors are `{"message": "…"}`. The bodies are the workload API's:
//! `GET /modules` answers a [`ModuleList`](crate::workload::ModuleList), `GET /modules/{name}`
//! one [`ModuleDetails`](crate::workload::ModuleDetails), errors an
//! [`ErrorResponse`](crate::workload::ErrorResponse). Restart, start and stop answer
//! `204 No Content`. Creating, updating, deleting and preparing the update of a module are
//! edgeAgent's (`403 Forbidden` for every other caller), so they are parsed too, to be refused.
//!
//! Module names are docker container names, not identities: edgelet percent-decodes the
//! path segment, drops leading `/` and hands the rest to the runtime, which answers 404 for a
//! name it does not know. [`ManagementRoute::parse`] does the same and checks only that the
//! name is not empty.

use std::borrow::Cow;

use crate::encoding::{DecodeError, decode_component, encode_component};
use crate::workload::ApiVersion;

/// A management API route.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ManagementRoute {
    /// `GET /modules`: every module with its status.
    ListModules,
    /// `GET /modules/{name}`: one module with its status.
    GetModule {
        /// The module name.
        module: String,
    },
    /// `POST /modules/{name}/restart`: stop the module if it runs, and start it.
    RestartModule {
        /// The module name.
        module: String,
    },
    /// `POST /modules/{name}/start`.
    StartModule {
        /// The module name.
        module: String,
    },
    /// `POST /modules/{name}/stop`.
    StopModule {
        /// The module name.
        module: String,
    },
    /// `POST /modules`: create a module (edgeAgent only).
    CreateModule,
    /// `PUT /modules/{name}`: replace a module (edgeAgent only).
    UpdateModule {
        /// The module name.
        module: String,
    },
    /// `DELETE /modules/{name}`: remove a module (edgeAgent only).
    DeleteModule {
        /// The module name.
        module: String,
    },
    /// `POST /modules/{name}/prepareupdate`: pull the image of an update (edgeAgent only).
    PrepareUpdate {
        /// The module name.
        module: String,
    },
}

/// Why a request is not a management API route.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ManagementPathError {
    /// The path is none of the known routes (edgelet answers 404).
    #[error("unknown management route {0:?}")]
    UnknownRoute(String),
    /// The path is a route, but not for this method (edgelet answers 405).
    #[error("method {method} is not allowed on {path:?}")]
    MethodNotAllowed {
        /// The request method.
        method: String,
        /// The request path.
        path: String,
    },
    /// The query has no `api-version` (edgelet answers 400).
    #[error("request lacks the api-version parameter")]
    MissingApiVersion,
    /// The `api-version` is not one edgelet knows, e.g. older than `2018-06-28` (400).
    #[error("unknown api-version {0:?}")]
    UnknownApiVersion(String),
    /// The module name is empty, e.g. `/modules//restart` (no route matches: 404).
    #[error("the module name in the path is empty")]
    EmptyModuleName,
    /// A path segment has invalid percent-encoding (no route matches: 404).
    #[error("management path has invalid percent-encoding")]
    Encoding(#[source] DecodeError),
}

impl ManagementRoute {
    /// The HTTP method of the route.
    #[must_use]
    pub const fn method(&self) -> &'static str {
        match self {
            Self::ListModules | Self::GetModule { .. } => "GET",
            Self::UpdateModule { .. } => "PUT",
            Self::DeleteModule { .. } => "DELETE",
            Self::RestartModule { .. }
            | Self::StartModule { .. }
            | Self::StopModule { .. }
            | Self::CreateModule
            | Self::PrepareUpdate { .. } => "POST",
        }
    }

    /// Whether only edgeAgent may call the route (everyone else gets 403).
    #[must_use]
    pub const fn is_agent_only(&self) -> bool {
        matches!(
            self,
            Self::CreateModule
                | Self::UpdateModule { .. }
                | Self::DeleteModule { .. }
                | Self::PrepareUpdate { .. }
        )
    }

    /// The module the route names, if any.
    #[must_use]
    pub fn module(&self) -> Option<&str> {
        match self {
            Self::ListModules | Self::CreateModule => None,
            Self::GetModule { module }
            | Self::RestartModule { module }
            | Self::StartModule { module }
            | Self::StopModule { module }
            | Self::UpdateModule { module }
            | Self::DeleteModule { module }
            | Self::PrepareUpdate { module } => Some(module),
        }
    }

    /// The request target (path and query) for `version`, the module name percent-encoded
    /// like the Python SDK encodes path segments (`$edgeAgent` becomes `%24edgeAgent`).
    #[must_use]
    pub fn request_target(&self, version: ApiVersion) -> String {
        let path = match self {
            Self::ListModules | Self::CreateModule => "/modules".to_owned(),
            Self::GetModule { module }
            | Self::UpdateModule { module }
            | Self::DeleteModule { module } => format!("/modules/{}", encode_component(module)),
            Self::RestartModule { module } => {
                format!("/modules/{}/restart", encode_component(module))
            }
            Self::StartModule { module } => format!("/modules/{}/start", encode_component(module)),
            Self::StopModule { module } => format!("/modules/{}/stop", encode_component(module)),
            Self::PrepareUpdate { module } => {
                format!("/modules/{}/prepareupdate", encode_component(module))
            }
        };
        format!("{path}?api-version={version}")
    }

    /// Parses a request (`method`, target `/path?api-version=…`) into the route and its
    /// api-version. The api-version is checked first, like edgelet's server does; actions
    /// (`restart`, `start`, `stop`) match ignoring case, as in edgelet.
    pub fn parse(method: &str, target: &str) -> Result<(Self, ApiVersion), ManagementPathError> {
        let (path, query) = target.split_once('?').unwrap_or((target, ""));
        let version = query
            .split('&')
            .find_map(|kv| kv.strip_prefix("api-version="))
            .ok_or(ManagementPathError::MissingApiVersion)?;
        let version = version
            .parse()
            .map_err(|_| ManagementPathError::UnknownApiVersion(version.to_owned()))?;
        let levels: Vec<&str> = path
            .strip_prefix('/')
            .ok_or_else(|| ManagementPathError::UnknownRoute(path.to_owned()))?
            .split('/')
            .collect();
        let not_allowed = || ManagementPathError::MethodNotAllowed {
            method: method.to_owned(),
            path: path.to_owned(),
        };
        let route = match levels.as_slice() {
            ["modules"] => match method {
                "GET" => Self::ListModules,
                "POST" => Self::CreateModule,
                _ => return Err(not_allowed()),
            },
            ["modules", m] => {
                let module = module_name(m)?;
                match method {
                    "GET" => Self::GetModule { module },
                    "PUT" => Self::UpdateModule { module },
                    "DELETE" => Self::DeleteModule { module },
                    _ => return Err(not_allowed()),
                }
            }
            ["modules", m, action] => {
                let action = decode_component(action).map_err(ManagementPathError::Encoding)?;
                let make: fn(String) -> Self = match action.to_ascii_lowercase().as_str() {
                    "restart" => |module| Self::RestartModule { module },
                    "start" => |module| Self::StartModule { module },
                    "stop" => |module| Self::StopModule { module },
                    "prepareupdate" => |module| Self::PrepareUpdate { module },
                    _ => return Err(ManagementPathError::UnknownRoute(path.to_owned())),
                };
                let module = module_name(m)?;
                if method != "POST" {
                    return Err(not_allowed());
                }
                make(module)
            }
            _ => return Err(ManagementPathError::UnknownRoute(path.to_owned())),
        };
        Ok((route, version))
    }
}

/// A module name from its path segment: percent-decoded, leading `/` dropped (edgelet's
/// `trim_start_matches('/')`), not empty.
fn module_name(segment: &str) -> Result<String, ManagementPathError> {
    let decoded: Cow<'_, str> = decode_component(segment).map_err(ManagementPathError::Encoding)?;
    let name = decoded.trim_start_matches('/');
    if name.is_empty() {
        return Err(ManagementPathError::EmptyModuleName);
    }
    Ok(name.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(
        method: &str,
        target: &str,
    ) -> Result<(ManagementRoute, ApiVersion), ManagementPathError> {
        ManagementRoute::parse(method, target)
    }

    fn module(m: &str) -> String {
        m.to_owned()
    }

    #[test]
    fn module_routes_parse_with_their_method_and_api_version() {
        assert_eq!(
            parse("GET", "/modules?api-version=2018-06-28").unwrap(),
            (ManagementRoute::ListModules, ApiVersion::V2018_06_28)
        );
        assert_eq!(
            parse("GET", "/modules/opcplc?api-version=2022-08-03").unwrap(),
            (
                ManagementRoute::GetModule {
                    module: module("opcplc")
                },
                ApiVersion::V2022_08_03
            )
        );
        for (action, route) in [
            (
                "restart",
                ManagementRoute::RestartModule {
                    module: module("opcplc"),
                },
            ),
            (
                "start",
                ManagementRoute::StartModule {
                    module: module("opcplc"),
                },
            ),
            (
                "stop",
                ManagementRoute::StopModule {
                    module: module("opcplc"),
                },
            ),
        ] {
            let target = format!("/modules/opcplc/{action}?api-version=2020-07-07");
            assert_eq!(parse("POST", &target).unwrap().0, route, "{action}");
            assert!(!route.is_agent_only(), "{action}");
            assert_eq!(route.method(), "POST");
        }
    }

    #[test]
    fn actions_match_ignoring_case_like_edgelet() {
        assert_eq!(
            parse("POST", "/modules/m/ReStart?api-version=2018-06-28")
                .unwrap()
                .0,
            ManagementRoute::RestartModule {
                module: module("m")
            }
        );
    }

    #[test]
    fn the_module_name_is_percent_decoded_and_leading_slashes_are_dropped() {
        assert_eq!(
            parse("POST", "/modules/%24edgeHub/restart?api-version=2018-06-28")
                .unwrap()
                .0,
            ManagementRoute::RestartModule {
                module: module("$edgeHub")
            }
        );
        assert_eq!(
            parse("GET", "/modules/a%20b?api-version=2018-06-28")
                .unwrap()
                .0,
            ManagementRoute::GetModule {
                module: module("a b")
            }
        );
        assert_eq!(
            parse("POST", "/modules/%2Fm/stop?api-version=2018-06-28")
                .unwrap()
                .0,
            ManagementRoute::StopModule {
                module: module("m")
            }
        );
        assert!(matches!(
            parse("GET", "/modules/%FF?api-version=2018-06-28"),
            Err(ManagementPathError::Encoding(_))
        ));
    }

    #[test]
    fn request_targets_round_trip_through_the_parser() {
        let m = module("$edgeAgent");
        for route in [
            ManagementRoute::ListModules,
            ManagementRoute::CreateModule,
            ManagementRoute::GetModule { module: m.clone() },
            ManagementRoute::RestartModule { module: m.clone() },
            ManagementRoute::StartModule { module: m.clone() },
            ManagementRoute::StopModule { module: m.clone() },
            ManagementRoute::UpdateModule { module: m.clone() },
            ManagementRoute::DeleteModule { module: m.clone() },
            ManagementRoute::PrepareUpdate { module: m.clone() },
        ] {
            let target = route.request_target(ApiVersion::V2019_11_05);
            assert_eq!(
                parse(route.method(), &target).unwrap(),
                (route.clone(), ApiVersion::V2019_11_05),
                "{target}"
            );
        }
        assert_eq!(
            ManagementRoute::RestartModule { module: m }.request_target(ApiVersion::V2018_06_28),
            "/modules/%24edgeAgent/restart?api-version=2018-06-28"
        );
    }

    #[test]
    fn a_missing_or_old_api_version_is_refused() {
        assert_eq!(
            parse("GET", "/modules"),
            Err(ManagementPathError::MissingApiVersion)
        );
        assert_eq!(
            parse("GET", "/modules?other=1"),
            Err(ManagementPathError::MissingApiVersion)
        );
        assert_eq!(
            parse("POST", "/modules/m/restart?api-version=2017-11-10"),
            Err(ManagementPathError::UnknownApiVersion(
                "2017-11-10".to_owned()
            ))
        );
        // The version is checked before the route, like edgelet's server.
        assert_eq!(
            parse("GET", "/nope"),
            Err(ManagementPathError::MissingApiVersion)
        );
    }

    #[test]
    fn an_empty_module_name_is_refused() {
        for target in [
            "/modules//restart?api-version=2018-06-28",
            "/modules/%2F/stop?api-version=2018-06-28",
        ] {
            assert_eq!(
                parse("POST", target),
                Err(ManagementPathError::EmptyModuleName),
                "{target}"
            );
        }
        assert_eq!(
            parse("GET", "/modules/?api-version=2018-06-28"),
            Err(ManagementPathError::EmptyModuleName)
        );
    }

    #[test]
    fn unknown_actions_and_paths_are_unknown_routes() {
        for (method, target) in [
            ("POST", "/modules/m/reboot?api-version=2018-06-28"),
            ("GET", "/modules/m/logs?api-version=2018-06-28"),
            ("POST", "/modules/m/restart/now?api-version=2018-06-28"),
            ("GET", "/identities?api-version=2018-06-28"),
            ("GET", "modules?api-version=2018-06-28"),
        ] {
            assert!(
                matches!(
                    parse(method, target),
                    Err(ManagementPathError::UnknownRoute(_))
                ),
                "{target}"
            );
        }
    }

    #[test]
    fn a_known_path_with_another_method_is_not_allowed() {
        for (method, target) in [
            ("GET", "/modules/m/restart?api-version=2018-06-28"),
            ("DELETE", "/modules?api-version=2018-06-28"),
            ("POST", "/modules/m?api-version=2018-06-28"),
        ] {
            assert!(
                matches!(
                    parse(method, target),
                    Err(ManagementPathError::MethodNotAllowed { .. })
                ),
                "{method} {target}"
            );
        }
    }

    #[test]
    fn create_update_delete_and_prepare_update_are_for_edge_agent_only() {
        for (method, target) in [
            ("POST", "/modules?api-version=2018-06-28"),
            ("PUT", "/modules/x?api-version=2018-06-28"),
            ("DELETE", "/modules/x?api-version=2018-06-28"),
            ("POST", "/modules/x/prepareupdate?api-version=2018-06-28"),
        ] {
            let (route, _) = parse(method, target).unwrap();
            assert!(route.is_agent_only(), "{method} {target}");
        }
        assert!(!ManagementRoute::ListModules.is_agent_only());
        assert_eq!(
            ManagementRoute::DeleteModule {
                module: module("x")
            }
            .module(),
            Some("x")
        );
    }
}
