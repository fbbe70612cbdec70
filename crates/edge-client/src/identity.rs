//! Who the module is and how it authenticates, chosen from the environment.
//!
//! Three ways a module learns its identity, in this order of precedence (docs/reference/iot-edge.md
//! §2.2, §2.4–2.5):
//! 1. the `IOTEDGE_*` variables of the IoT Edge runtime: tokens are signed by the workload API
//!    and edgeHub is verified with the workload API's trust bundle;
//! 2. `EdgeHubConnectionString` + `EdgeModuleCACertificateFile` (iotedgehubdev, `edge-sim
//!    modulecred`): a module connection string with `GatewayHostName`, and a CA file;
//! 3. `IotHubConnectionString` + `EdgeModuleCACertificateFile` (the .NET SDK's fallback).
//!
//! Like the Python SDK, an incomplete `IOTEDGE_*` set falls back to the connection strings;
//! a complete but invalid one is an error (it is what a real device gives).
//! [`select_environment`] is a pure function over a lookup, so tests pass a map.

use std::path::PathBuf;

use hub_proto::env::{
    EDGE_HUB_CONNECTION_STRING, EDGE_MODULE_CA_CERTIFICATE_FILE, IOT_HUB_CONNECTION_STRING,
    IOTEDGE_APIVERSION, IOTEDGE_DEVICEID, IOTEDGE_GATEWAYHOSTNAME, IOTEDGE_IOTHUBHOSTNAME,
    IOTEDGE_MODULEGENERATIONID, IOTEDGE_MODULEID, IOTEDGE_WORKLOADURI,
};
use hub_proto::sas::Audience;
use hub_proto::{ConnectionString, DeviceId, EdgeEnvironment, ModuleId, SharedAccessKey};

use crate::error::EnvironmentError;

/// The `IOTEDGE_*` variables the workload mode needs (the Python SDK's list,
/// docs/reference/iot-edge.md §2.2).
pub const REQUIRED_EDGE_VARIABLES: [&str; 7] = [
    IOTEDGE_IOTHUBHOSTNAME,
    IOTEDGE_DEVICEID,
    IOTEDGE_MODULEID,
    IOTEDGE_GATEWAYHOSTNAME,
    IOTEDGE_MODULEGENERATIONID,
    IOTEDGE_WORKLOADURI,
    IOTEDGE_APIVERSION,
];

/// A module identity and where its hub is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ModuleIdentity {
    /// The IoT Hub host name: the SAS audience's host and the username's first level.
    pub hub_host: String,
    /// Where to connect: edgeHub's host name (TLS server name), or the hub itself.
    pub gateway_host: String,
    /// The edge device.
    pub device: DeviceId,
    /// The module.
    pub module: ModuleId,
}

impl ModuleIdentity {
    /// The identity of a module connection string; `None` for device and service strings.
    #[must_use]
    pub fn from_connection_string(cs: &ConnectionString) -> Option<Self> {
        match cs {
            ConnectionString::Module {
                host_name,
                device_id,
                module_id,
                ..
            } => Some(Self {
                hub_host: host_name.clone(),
                gateway_host: cs.connect_host().to_owned(),
                device: device_id.clone(),
                module: module_id.clone(),
            }),
            _ => None,
        }
    }

    /// The identity the `IOTEDGE_*` variables describe.
    #[must_use]
    pub fn from_edge_environment(env: &EdgeEnvironment) -> Self {
        Self {
            hub_host: env.iothub_hostname.clone(),
            gateway_host: env.gateway_hostname.clone(),
            device: env.device_id.clone(),
            module: env.module_id.clone(),
        }
    }

    /// The MQTT client id, `{device}/{module}` (edgeHub compares it ordinally,
    /// docs/reference/iot-edge.md §1.2).
    #[must_use]
    pub fn client_id(&self) -> String {
        format!("{}/{}", self.device, self.module)
    }

    /// The MQTT username:
    /// `{hub}/{device}/{module}/?api-version=…&DeviceClientType={encoded product}`.
    #[must_use]
    pub fn username(&self, product_info: &str) -> String {
        format!(
            "{}/{}/{}/?api-version={MQTT_API_VERSION}&DeviceClientType={}",
            self.hub_host,
            self.device,
            self.module,
            hub_proto::encoding::encode_component(product_info)
        )
    }

    /// The SAS audience of the module's tokens.
    #[must_use]
    pub fn audience(&self) -> Audience {
        Audience::Module {
            host: self.hub_host.clone(),
            device: self.device.clone(),
            module: self.module.clone(),
        }
    }
}

/// The api-version in the MQTT username: the C SDK's and .NET's current one
/// (docs/reference/iot-edge.md §1.2).
pub const MQTT_API_VERSION: &str = "2020-09-30";

/// Which of the three environment modes applies, with what it needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EnvironmentSource {
    /// The IoT Edge runtime's variables and its workload API.
    Workload(EdgeEnvironment),
    /// A module connection string and the CA file that verifies edgeHub.
    ConnectionString {
        /// The variable the connection string came from.
        variable: &'static str,
        /// The module identity.
        identity: ModuleIdentity,
        /// The module key.
        key: SharedAccessKey,
        /// The PEM file with the CA certificates.
        ca_file: PathBuf,
    },
}

/// Decides how to connect from environment variables read through `lookup`.
pub fn select_environment(
    lookup: impl Fn(&str) -> Option<String>,
) -> Result<EnvironmentSource, EnvironmentError> {
    let get = |name: &str| lookup(name).filter(|v| !v.trim().is_empty());
    let missing: Vec<&'static str> = REQUIRED_EDGE_VARIABLES
        .into_iter()
        .filter(|name| get(name).is_none())
        .collect();
    if missing.is_empty() {
        return EdgeEnvironment::from_lookup(&lookup)
            .map(EnvironmentSource::Workload)
            .map_err(EnvironmentError::Edge);
    }
    for (variable, need_gateway) in [
        (EDGE_HUB_CONNECTION_STRING, true),
        (IOT_HUB_CONNECTION_STRING, false),
    ] {
        let Some(text) = get(variable) else {
            continue;
        };
        let cs = ConnectionString::parse(&text)
            .map_err(|source| EnvironmentError::ConnectionString { variable, source })?;
        let not_a_module = EnvironmentError::NotAModule {
            variable,
            requirement: if need_gateway {
                " with GatewayHostName"
            } else {
                ""
            },
        };
        let ConnectionString::Module {
            shared_access_key,
            gateway_host_name,
            ..
        } = &cs
        else {
            return Err(not_a_module);
        };
        if need_gateway && gateway_host_name.is_none() {
            return Err(not_a_module);
        }
        let ca_file = get(EDGE_MODULE_CA_CERTIFICATE_FILE)
            .ok_or(EnvironmentError::MissingCaFile { variable })?;
        let identity = ModuleIdentity::from_connection_string(&cs).ok_or(not_a_module)?;
        return Ok(EnvironmentSource::ConnectionString {
            variable,
            identity,
            key: shared_access_key.clone(),
            ca_file: PathBuf::from(ca_file),
        });
    }
    Err(EnvironmentError::NotFound { missing })
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use super::*;

    const KEY: &str = "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=";

    fn edge_vars() -> HashMap<&'static str, String> {
        [
            (IOTEDGE_IOTHUBHOSTNAME, "myhub.azure-devices.net"),
            (IOTEDGE_DEVICEID, "edgedev1"),
            (IOTEDGE_MODULEID, "certagent"),
            (IOTEDGE_GATEWAYHOSTNAME, "localhost"),
            (IOTEDGE_MODULEGENERATIONID, "637123456789"),
            (IOTEDGE_WORKLOADURI, "unix:///run/scratch/workload.sock"),
            (IOTEDGE_APIVERSION, "2022-08-03"),
        ]
        .into_iter()
        .map(|(k, v)| (k, v.to_owned()))
        .collect()
    }

    fn edge_hub_cs() -> String {
        format!(
            "HostName=myhub.azure-devices.net;GatewayHostName=localhost;DeviceId=edgedev1;ModuleId=opcplc;SharedAccessKey={KEY}"
        )
    }

    fn select(vars: &HashMap<&'static str, String>) -> Result<EnvironmentSource, EnvironmentError> {
        select_environment(|k| vars.get(k).cloned())
    }

    #[test]
    fn complete_iotedge_variables_win_over_connection_strings() {
        let mut vars = edge_vars();
        vars.insert(EDGE_HUB_CONNECTION_STRING, edge_hub_cs());
        vars.insert(EDGE_MODULE_CA_CERTIFICATE_FILE, "/ca.pem".to_owned());
        let Ok(EnvironmentSource::Workload(env)) = select(&vars) else {
            panic!("workload mode expected");
        };
        assert_eq!(env.module_id.as_str(), "certagent");
    }

    #[test]
    fn incomplete_iotedge_variables_fall_back_to_edge_hub_connection_string() {
        let mut vars = edge_vars();
        vars.remove(IOTEDGE_MODULEGENERATIONID);
        vars.insert(EDGE_HUB_CONNECTION_STRING, edge_hub_cs());
        vars.insert(EDGE_MODULE_CA_CERTIFICATE_FILE, "/ca.pem".to_owned());
        let Ok(EnvironmentSource::ConnectionString {
            variable,
            identity,
            ca_file,
            ..
        }) = select(&vars)
        else {
            panic!("connection-string mode expected");
        };
        assert_eq!(variable, EDGE_HUB_CONNECTION_STRING);
        assert_eq!(identity.gateway_host, "localhost");
        assert_eq!(identity.hub_host, "myhub.azure-devices.net");
        assert_eq!(ca_file, PathBuf::from("/ca.pem"));
    }

    #[test]
    fn edge_hub_connection_string_wins_over_iot_hub_connection_string() {
        let vars: HashMap<_, _> = [
            (EDGE_HUB_CONNECTION_STRING, edge_hub_cs()),
            (
                IOT_HUB_CONNECTION_STRING,
                format!("HostName=h;DeviceId=d;ModuleId=other;SharedAccessKey={KEY}"),
            ),
            (EDGE_MODULE_CA_CERTIFICATE_FILE, "/ca.pem".to_owned()),
        ]
        .into_iter()
        .collect();
        let Ok(EnvironmentSource::ConnectionString { identity, .. }) = select(&vars) else {
            panic!("connection-string mode expected");
        };
        assert_eq!(identity.module.as_str(), "opcplc");
    }

    #[test]
    fn iot_hub_connection_string_is_the_last_resort_and_needs_no_gateway() {
        let vars: HashMap<_, _> = [
            (
                IOT_HUB_CONNECTION_STRING,
                format!("HostName=h.example;DeviceId=d;ModuleId=m;SharedAccessKey={KEY}"),
            ),
            (EDGE_MODULE_CA_CERTIFICATE_FILE, "/ca.pem".to_owned()),
        ]
        .into_iter()
        .collect();
        let Ok(EnvironmentSource::ConnectionString {
            variable, identity, ..
        }) = select(&vars)
        else {
            panic!("connection-string mode expected");
        };
        assert_eq!(variable, IOT_HUB_CONNECTION_STRING);
        assert_eq!(identity.gateway_host, "h.example");
    }

    #[test]
    fn empty_environment_names_every_missing_variable() {
        let err = select(&HashMap::new()).unwrap_err();
        assert!(
            matches!(&err, EnvironmentError::NotFound { missing } if missing == &REQUIRED_EDGE_VARIABLES),
            "{err:?}"
        );
        let text = err.to_string();
        for name in REQUIRED_EDGE_VARIABLES {
            assert!(text.contains(name), "{text}");
        }
        assert!(text.contains("EdgeHubConnectionString"), "{text}");
    }

    #[test]
    fn partial_iotedge_variables_name_only_the_missing_ones() {
        let mut vars = edge_vars();
        vars.remove(IOTEDGE_WORKLOADURI);
        vars.insert(IOTEDGE_APIVERSION, "  ".to_owned());
        let err = select(&vars).unwrap_err();
        assert!(
            matches!(&err, EnvironmentError::NotFound { missing } if missing == &[IOTEDGE_WORKLOADURI, IOTEDGE_APIVERSION]),
            "{err:?}"
        );
    }

    #[test]
    fn complete_but_invalid_iotedge_variables_are_an_error_not_a_fallback() {
        let mut vars = edge_vars();
        vars.insert(IOTEDGE_APIVERSION, "2030-01-01".to_owned());
        vars.insert(EDGE_HUB_CONNECTION_STRING, edge_hub_cs());
        vars.insert(EDGE_MODULE_CA_CERTIFICATE_FILE, "/ca.pem".to_owned());
        assert!(matches!(select(&vars), Err(EnvironmentError::Edge(_))));
    }

    #[test]
    fn connection_string_without_ca_file_is_refused() {
        let vars: HashMap<_, _> = [(EDGE_HUB_CONNECTION_STRING, edge_hub_cs())]
            .into_iter()
            .collect();
        assert!(matches!(
            select(&vars),
            Err(EnvironmentError::MissingCaFile {
                variable: EDGE_HUB_CONNECTION_STRING
            })
        ));
    }

    #[test]
    fn edge_hub_connection_string_without_gateway_is_refused() {
        let vars: HashMap<_, _> = [
            (
                EDGE_HUB_CONNECTION_STRING,
                format!("HostName=h;DeviceId=d;ModuleId=m;SharedAccessKey={KEY}"),
            ),
            (EDGE_MODULE_CA_CERTIFICATE_FILE, "/ca.pem".to_owned()),
        ]
        .into_iter()
        .collect();
        let err = select(&vars).unwrap_err();
        assert!(err.to_string().contains("GatewayHostName"), "{err}");
    }

    #[test]
    fn device_connection_string_is_refused() {
        let vars: HashMap<_, _> = [
            (
                EDGE_HUB_CONNECTION_STRING,
                format!("HostName=h;DeviceId=d;SharedAccessKey={KEY};GatewayHostName=gw"),
            ),
            (EDGE_MODULE_CA_CERTIFICATE_FILE, "/ca.pem".to_owned()),
        ]
        .into_iter()
        .collect();
        assert!(matches!(
            select(&vars),
            Err(EnvironmentError::NotAModule { .. })
        ));
    }

    #[test]
    fn username_and_client_id_follow_the_sdks() {
        let identity = ModuleIdentity {
            hub_host: "myhub.azure-devices.net".to_owned(),
            gateway_host: "localhost".to_owned(),
            device: DeviceId::new("edgedev1").unwrap(),
            module: ModuleId::new("opcplc").unwrap(),
        };
        assert_eq!(identity.client_id(), "edgedev1/opcplc");
        assert_eq!(
            identity.username("edge-client/0.1.0"),
            "myhub.azure-devices.net/edgedev1/opcplc/?api-version=2020-09-30&DeviceClientType=edge-client%2F0.1.0"
        );
        assert_eq!(
            identity.audience().to_string(),
            "myhub.azure-devices.net/devices/edgedev1/modules/opcplc"
        );
    }
}
