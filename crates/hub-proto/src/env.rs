//! The environment IoT Edge gives a module, as names and as a typed record.
//!
//! Names come from edgeAgent (`CreateOrUpdateCommand.cs` `GetEnvVars`, `Constants.cs`;
//! docs/reference/iot-edge.md §2.1) and from the SDKs' local-debug fallback (§2.4–2.5). Libraries
//! never read the process environment: [`EdgeEnvironment::from_lookup`] takes a lookup function, so
//! the binary passes `std::env::var` and tests pass a map; the simulator writes the same record
//! with [`EdgeEnvironment::to_vars`].

use crate::ids::{DeviceId, IdError, ModuleId};
use crate::workload::{ApiVersion, WorkloadPathError};

/// Workload API URI, e.g. `unix:///var/run/iotedge/workload.sock`.
pub const IOTEDGE_WORKLOADURI: &str = "IOTEDGE_WORKLOADURI";
/// Authentication scheme, always `sasToken`.
pub const IOTEDGE_AUTHSCHEME: &str = "IOTEDGE_AUTHSCHEME";
/// The module identity's generation id.
pub const IOTEDGE_MODULEGENERATIONID: &str = "IOTEDGE_MODULEGENERATIONID";
/// IoT Hub host name, the SAS audience's host.
pub const IOTEDGE_IOTHUBHOSTNAME: &str = "IOTEDGE_IOTHUBHOSTNAME";
/// The edge device's host name: where edgeHub listens (TLS name and connect host).
pub const IOTEDGE_GATEWAYHOSTNAME: &str = "IOTEDGE_GATEWAYHOSTNAME";
/// Nested edge only: the parent device's host name.
pub const IOTEDGE_PARENTHOSTNAME: &str = "IOTEDGE_PARENTHOSTNAME";
/// The edge device id.
pub const IOTEDGE_DEVICEID: &str = "IOTEDGE_DEVICEID";
/// The module id.
pub const IOTEDGE_MODULEID: &str = "IOTEDGE_MODULEID";
/// Workload api-version, `2022-08-03` on 1.4 and 1.5.
pub const IOTEDGE_APIVERSION: &str = "IOTEDGE_APIVERSION";
/// Management API URI: set for edgeAgent; another module has it only when its deployment binds
/// `mgmt.sock` and sets the variable (edge-sim sets it for such modules).
pub const IOTEDGE_MANAGEMENTURI: &str = "IOTEDGE_MANAGEMENTURI";
/// edgeAgent only: where module workload sockets are mounted from.
pub const IOTEDGE_WORKLOADLISTEN_MNTURI: &str = "IOTEDGE_WORKLOADLISTEN_MNTURI";
/// edgeAgent and edgeHub: the edge device's host name.
pub const EDGE_DEVICE_HOST_NAME: &str = "EdgeDeviceHostName";
/// Log level edgeAgent adds unless the deployment sets it.
pub const RUNTIME_LOG_LEVEL: &str = "RuntimeLogLevel";
/// Upstream protocol, when configured on edgeAgent.
pub const UPSTREAM_PROTOCOL: &str = "UpstreamProtocol";
/// Local-debug fallback: a module connection string with `GatewayHostName`.
pub const EDGE_HUB_CONNECTION_STRING: &str = "EdgeHubConnectionString";
/// Local-debug fallback used by .NET: a connection string.
pub const IOT_HUB_CONNECTION_STRING: &str = "IotHubConnectionString";
/// Local-debug fallback: path of the PEM CA file that verifies edgeHub.
pub const EDGE_MODULE_CA_CERTIFICATE_FILE: &str = "EdgeModuleCACertificateFile";

/// The only value of `IOTEDGE_AUTHSCHEME`.
pub const AUTH_SCHEME_SAS_TOKEN: &str = "sasToken";
/// The workload URI inside a module container.
pub const DEFAULT_WORKLOAD_URI: &str = "unix:///var/run/iotedge/workload.sock";

/// The `IOTEDGE_*` variables a module needs to connect through the workload API.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EdgeEnvironment {
    /// `IOTEDGE_IOTHUBHOSTNAME`.
    pub iothub_hostname: String,
    /// `IOTEDGE_GATEWAYHOSTNAME`.
    pub gateway_hostname: String,
    /// `IOTEDGE_DEVICEID`.
    pub device_id: DeviceId,
    /// `IOTEDGE_MODULEID`.
    pub module_id: ModuleId,
    /// `IOTEDGE_MODULEGENERATIONID`.
    pub generation_id: String,
    /// `IOTEDGE_WORKLOADURI`.
    pub workload_uri: String,
    /// `IOTEDGE_APIVERSION`.
    pub api_version: ApiVersion,
    /// `IOTEDGE_AUTHSCHEME`, if set (the Python SDK does not read it).
    pub auth_scheme: Option<String>,
    /// `IOTEDGE_PARENTHOSTNAME`, nested edge only.
    pub parent_hostname: Option<String>,
}

/// Why the environment does not describe an IoT Edge module.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EdgeEnvironmentError {
    /// A required variable is missing or empty.
    #[error("environment variable {0} is not set")]
    Missing(&'static str),
    /// `IOTEDGE_DEVICEID` or `IOTEDGE_MODULEID` is not a valid id.
    #[error("environment variable {name} holds an invalid identifier")]
    Id {
        /// The variable.
        name: &'static str,
        /// Why the value is invalid.
        #[source]
        source: IdError,
    },
    /// `IOTEDGE_APIVERSION` is not a known workload api-version.
    #[error("environment variable {IOTEDGE_APIVERSION} holds an unknown api-version")]
    ApiVersion(#[source] WorkloadPathError),
    /// `IOTEDGE_AUTHSCHEME` is set to something other than `sasToken`.
    #[error("environment variable {IOTEDGE_AUTHSCHEME} is {0:?}, only sasToken is supported")]
    AuthScheme(String),
}

impl EdgeEnvironment {
    /// Reads the variables the Python SDK requires (docs/reference/iot-edge.md §2.2) through
    /// `lookup`.
    ///
    /// `IOTEDGE_AUTHSCHEME` is optional (Python ignores it), but when set it must be
    /// `sasToken`, compared ignoring case like the .NET SDK.
    pub fn from_lookup(
        lookup: impl Fn(&str) -> Option<String>,
    ) -> Result<Self, EdgeEnvironmentError> {
        let get = |name: &'static str| lookup(name).filter(|v| !v.is_empty());
        let required = |name| get(name).ok_or(EdgeEnvironmentError::Missing(name));
        let device_id = DeviceId::new(required(IOTEDGE_DEVICEID)?).map_err(|source| {
            EdgeEnvironmentError::Id {
                name: IOTEDGE_DEVICEID,
                source,
            }
        })?;
        let module_id = ModuleId::new(required(IOTEDGE_MODULEID)?).map_err(|source| {
            EdgeEnvironmentError::Id {
                name: IOTEDGE_MODULEID,
                source,
            }
        })?;
        let auth_scheme = get(IOTEDGE_AUTHSCHEME);
        if let Some(scheme) = &auth_scheme
            && !scheme.eq_ignore_ascii_case(AUTH_SCHEME_SAS_TOKEN)
        {
            return Err(EdgeEnvironmentError::AuthScheme(scheme.clone()));
        }
        Ok(Self {
            iothub_hostname: required(IOTEDGE_IOTHUBHOSTNAME)?,
            gateway_hostname: required(IOTEDGE_GATEWAYHOSTNAME)?,
            device_id,
            module_id,
            generation_id: required(IOTEDGE_MODULEGENERATIONID)?,
            workload_uri: required(IOTEDGE_WORKLOADURI)?,
            api_version: required(IOTEDGE_APIVERSION)?
                .parse()
                .map_err(EdgeEnvironmentError::ApiVersion)?,
            auth_scheme,
            parent_hostname: get(IOTEDGE_PARENTHOSTNAME),
        })
    }

    /// The variables as edgeAgent sets them for a module, in a stable order.
    #[must_use]
    pub fn to_vars(&self) -> Vec<(&'static str, String)> {
        let mut vars = vec![
            (IOTEDGE_WORKLOADURI, self.workload_uri.clone()),
            (
                IOTEDGE_AUTHSCHEME,
                self.auth_scheme
                    .clone()
                    .unwrap_or_else(|| AUTH_SCHEME_SAS_TOKEN.to_owned()),
            ),
            (IOTEDGE_MODULEGENERATIONID, self.generation_id.clone()),
            (IOTEDGE_IOTHUBHOSTNAME, self.iothub_hostname.clone()),
            (IOTEDGE_GATEWAYHOSTNAME, self.gateway_hostname.clone()),
            (IOTEDGE_DEVICEID, self.device_id.to_string()),
            (IOTEDGE_MODULEID, self.module_id.to_string()),
            (IOTEDGE_APIVERSION, self.api_version.to_string()),
        ];
        if let Some(parent) = &self.parent_hostname {
            vars.push((IOTEDGE_PARENTHOSTNAME, parent.clone()));
        }
        vars
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use super::*;

    fn captured() -> HashMap<String, String> {
        // docs/reference/iot-edge.md §5.1, the edge-environment run of the Python SDK.
        [
            ("IOTEDGE_IOTHUBHOSTNAME", "myhub.azure-devices.net"),
            ("IOTEDGE_DEVICEID", "edgedev1"),
            ("IOTEDGE_MODULEID", "certagent"),
            ("IOTEDGE_GATEWAYHOSTNAME", "localhost"),
            ("IOTEDGE_MODULEGENERATIONID", "637123456789"),
            ("IOTEDGE_WORKLOADURI", "unix:///run/scratch/workload.sock"),
            ("IOTEDGE_APIVERSION", "2022-08-03"),
            ("IOTEDGE_AUTHSCHEME", "sasToken"),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect()
    }

    #[test]
    fn captured_environment_parses_and_writes_back() {
        let vars = captured();
        let env = EdgeEnvironment::from_lookup(|k| vars.get(k).cloned()).unwrap();
        assert_eq!(env.module_id.as_str(), "certagent");
        assert_eq!(env.api_version, ApiVersion::V2022_08_03);
        let written: HashMap<String, String> = env
            .to_vars()
            .into_iter()
            .map(|(k, v)| (k.to_owned(), v))
            .collect();
        assert_eq!(written, vars);
    }

    #[test]
    fn missing_variable_is_named() {
        let mut vars = captured();
        vars.remove(IOTEDGE_MODULEGENERATIONID);
        assert_eq!(
            EdgeEnvironment::from_lookup(|k| vars.get(k).cloned()),
            Err(EdgeEnvironmentError::Missing(IOTEDGE_MODULEGENERATIONID))
        );
    }

    #[test]
    fn other_auth_scheme_is_refused() {
        let mut vars = captured();
        vars.insert(IOTEDGE_AUTHSCHEME.to_owned(), "x509".to_owned());
        assert_eq!(
            EdgeEnvironment::from_lookup(|k| vars.get(k).cloned()),
            Err(EdgeEnvironmentError::AuthScheme("x509".to_owned()))
        );
    }

    #[test]
    fn unknown_api_version_is_refused() {
        let mut vars = captured();
        vars.insert(IOTEDGE_APIVERSION.to_owned(), "2030-01-01".to_owned());
        assert!(matches!(
            EdgeEnvironment::from_lookup(|k| vars.get(k).cloned()),
            Err(EdgeEnvironmentError::ApiVersion(_))
        ));
    }
}
