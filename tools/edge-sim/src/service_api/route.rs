//! The service API's request paths, parsed without sockets.
//!
//! Routes used by the Python service SDK (`azure-iot-hub` 2.7.0, docs/reference/iot-edge.md §5.2);
//! path arguments arrive percent-encoded (`$edgeAgent` as `%24edgeAgent`).

use hub_proto::encoding::decode_component;

/// A service API route (the method is checked by the route's handler).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ServiceRoute {
    /// `/twins/{d}/modules/{m}`: GET, PATCH, PUT.
    ModuleTwin {
        /// Device id as sent.
        device: String,
        /// Module id as sent.
        module: String,
    },
    /// `/twins/{d}/modules/{m}/methods`: POST.
    ModuleMethods {
        /// Device id.
        device: String,
        /// Module id.
        module: String,
    },
    /// `/devices/{d}/applyConfigurationContent`: POST.
    ApplyConfigurationContent {
        /// Device id.
        device: String,
    },
    /// `/devices/{d}/modules/{m}`: GET, PUT, DELETE.
    ModuleIdentity {
        /// Device id.
        device: String,
        /// Module id.
        module: String,
    },
    /// `/devices/{d}/modules`: GET.
    ModuleIdentities {
        /// Device id.
        device: String,
    },
    /// `/devices/query`: POST (twin queries).
    Query,
    /// `/configurations/{id}`: GET, PUT, DELETE.
    Configuration {
        /// Configuration id.
        id: String,
    },
    /// `/configurations`: GET.
    Configurations,
}

/// Why a path is no service API route.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RouteError {
    /// No route matches.
    #[error("no route for {0}")]
    Unknown(String),
    /// A segment has invalid percent-encoding.
    #[error("path has invalid percent-encoding")]
    Encoding,
}

impl ServiceRoute {
    /// Parses a request path (without the query).
    pub fn parse(path: &str) -> Result<Self, RouteError> {
        let levels: Vec<&str> = path.trim_start_matches('/').split('/').collect();
        let d = |s: &str| {
            decode_component(s)
                .map(std::borrow::Cow::into_owned)
                .map_err(|_| RouteError::Encoding)
        };
        match levels.as_slice() {
            ["twins", device, "modules", module] => Ok(Self::ModuleTwin {
                device: d(device)?,
                module: d(module)?,
            }),
            ["twins", device, "modules", module, "methods"] => Ok(Self::ModuleMethods {
                device: d(device)?,
                module: d(module)?,
            }),
            ["devices", "query"] => Ok(Self::Query),
            ["configurations"] => Ok(Self::Configurations),
            ["configurations", id] if !id.is_empty() => Ok(Self::Configuration { id: d(id)? }),
            ["devices", device, "applyConfigurationContent"] => {
                Ok(Self::ApplyConfigurationContent { device: d(device)? })
            }
            ["devices", device, "modules", module] => Ok(Self::ModuleIdentity {
                device: d(device)?,
                module: d(module)?,
            }),
            ["devices", device, "modules"] => Ok(Self::ModuleIdentities { device: d(device)? }),
            _ => Err(RouteError::Unknown(path.to_owned())),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sdk_paths_parse_with_decoded_ids() {
        assert_eq!(
            ServiceRoute::parse("/twins/dev/modules/%24edgeAgent").unwrap(),
            ServiceRoute::ModuleTwin {
                device: "dev".into(),
                module: "$edgeAgent".into()
            }
        );
        assert_eq!(
            ServiceRoute::parse("/twins/dev/modules/opcplc/methods").unwrap(),
            ServiceRoute::ModuleMethods {
                device: "dev".into(),
                module: "opcplc".into()
            }
        );
        assert_eq!(
            ServiceRoute::parse("/devices/dev/applyConfigurationContent").unwrap(),
            ServiceRoute::ApplyConfigurationContent {
                device: "dev".into()
            }
        );
        assert_eq!(
            ServiceRoute::parse("/devices/dev/modules").unwrap(),
            ServiceRoute::ModuleIdentities {
                device: "dev".into()
            }
        );
        assert_eq!(
            ServiceRoute::parse("/devices/query").unwrap(),
            ServiceRoute::Query
        );
        assert_eq!(
            ServiceRoute::parse("/configurations/fleet%2Dpki").unwrap(),
            ServiceRoute::Configuration {
                id: "fleet-pki".into()
            }
        );
        assert_eq!(
            ServiceRoute::parse("/configurations").unwrap(),
            ServiceRoute::Configurations
        );
        assert_eq!(
            ServiceRoute::parse("/devices/dev/modules/m").unwrap(),
            ServiceRoute::ModuleIdentity {
                device: "dev".into(),
                module: "m".into()
            }
        );
    }

    #[test]
    fn other_paths_are_unknown() {
        assert!(matches!(
            ServiceRoute::parse("/twins/dev"),
            Err(RouteError::Unknown(_))
        ));
        assert!(matches!(
            ServiceRoute::parse("/configurations/"),
            Err(RouteError::Unknown(_))
        ));
        assert!(matches!(
            ServiceRoute::parse("/devices/dev/modules/m/x"),
            Err(RouteError::Unknown(_))
        ));
        assert_eq!(
            ServiceRoute::parse("/twins/%FF/modules/m"),
            Err(RouteError::Encoding)
        );
    }
}
