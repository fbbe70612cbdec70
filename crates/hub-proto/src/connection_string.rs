//! IoT Hub connection strings: module, device and service (policy) forms.
//!
//! `HostName={hub};DeviceId={d};ModuleId={m};SharedAccessKey={b64}[;GatewayHostName={gw}]`
//! (iotedgehubdev `_generateModuleConnectionStr`, docs/reference/iot-edge.md §2.4) and
//! `HostName={hub};SharedAccessKeyName={policy};SharedAccessKey={b64}` for the service.
//! Parsing follows the Python SDK (`common/auth/connection_string.py`): `;`-separated
//! `key=value` pairs split at the first `=`, known keys only, no duplicates. Empty segments
//! (a trailing `;`) are tolerated.

use std::fmt;
use std::str::FromStr;

use crate::ids::{DeviceId, IdError, ModuleId};
use crate::sas::{Audience, KeyError, SharedAccessKey};

const HOST_NAME: &str = "HostName";
const DEVICE_ID: &str = "DeviceId";
const MODULE_ID: &str = "ModuleId";
const SHARED_ACCESS_KEY: &str = "SharedAccessKey";
const SHARED_ACCESS_KEY_NAME: &str = "SharedAccessKeyName";
const GATEWAY_HOST_NAME: &str = "GatewayHostName";
const SHARED_ACCESS_SIGNATURE: &str = "SharedAccessSignature";
const X509: &str = "x509";

/// A parsed connection string.
#[derive(Clone, PartialEq, Eq)]
pub enum ConnectionString {
    /// A module identity with a symmetric key.
    Module {
        /// IoT Hub host name (the SAS audience's host).
        host_name: String,
        /// The device.
        device_id: DeviceId,
        /// The module.
        module_id: ModuleId,
        /// The module's key.
        shared_access_key: SharedAccessKey,
        /// Where to connect instead of the hub (edgeHub), if set.
        gateway_host_name: Option<String>,
    },
    /// A device identity with a symmetric key.
    Device {
        /// IoT Hub host name.
        host_name: String,
        /// The device.
        device_id: DeviceId,
        /// The device's key.
        shared_access_key: SharedAccessKey,
        /// Where to connect instead of the hub, if set.
        gateway_host_name: Option<String>,
    },
    /// A service policy such as `iothubowner`.
    Service {
        /// IoT Hub host name.
        host_name: String,
        /// The policy name (`skn` of its tokens).
        shared_access_key_name: String,
        /// The policy key.
        shared_access_key: SharedAccessKey,
    },
}

/// Why a connection string could not be parsed.
#[derive(Debug, thiserror::Error)]
pub enum ConnectionStringError {
    /// A segment is not `key=value`.
    #[error("connection string segment {0:?} is not key=value")]
    Malformed(String),
    /// A key appears twice.
    #[error("connection string has {0} twice")]
    Duplicate(String),
    /// A key is not one IoT Hub defines.
    #[error("connection string has the unknown key {0:?}")]
    UnknownKey(String),
    /// Known but unsupported authentication (`x509`, `SharedAccessSignature`).
    #[error("connection string uses {0} authentication, which is not supported")]
    Unsupported(&'static str),
    /// The keys present form no complete identity.
    #[error(
        "connection string is incomplete: it needs HostName and SharedAccessKey with DeviceId or SharedAccessKeyName"
    )]
    Incomplete,
    /// `ModuleId` without `DeviceId`, or `SharedAccessKeyName` with `DeviceId`.
    #[error("connection string mixes device and service keys")]
    Mixed,
    /// A device or module id is invalid.
    #[error("connection string holds an invalid identifier")]
    Id(#[source] IdError),
    /// The key is not valid base64.
    #[error("connection string holds an invalid shared access key")]
    Key(#[source] KeyError),
}

impl ConnectionString {
    /// Parses a connection string.
    pub fn parse(s: &str) -> Result<Self, ConnectionStringError> {
        let mut fields: Vec<(&str, &str)> = Vec::new();
        for segment in s.split(';').map(str::trim).filter(|seg| !seg.is_empty()) {
            let (key, value) = segment
                .split_once('=')
                .ok_or_else(|| ConnectionStringError::Malformed(segment.to_owned()))?;
            if !matches!(
                key,
                HOST_NAME
                    | DEVICE_ID
                    | MODULE_ID
                    | SHARED_ACCESS_KEY
                    | SHARED_ACCESS_KEY_NAME
                    | GATEWAY_HOST_NAME
                    | SHARED_ACCESS_SIGNATURE
                    | X509
            ) {
                return Err(ConnectionStringError::UnknownKey(key.to_owned()));
            }
            if fields.iter().any(|(k, _)| *k == key) {
                return Err(ConnectionStringError::Duplicate(key.to_owned()));
            }
            fields.push((key, value));
        }
        let get = |key: &str| {
            fields
                .iter()
                .find(|(k, _)| *k == key)
                .map(|(_, v)| *v)
                .filter(|v| !v.is_empty())
        };
        if get(X509).is_some() {
            return Err(ConnectionStringError::Unsupported(X509));
        }
        if get(SHARED_ACCESS_SIGNATURE).is_some() {
            return Err(ConnectionStringError::Unsupported(SHARED_ACCESS_SIGNATURE));
        }
        let host_name = get(HOST_NAME)
            .ok_or(ConnectionStringError::Incomplete)?
            .to_owned();
        let shared_access_key = SharedAccessKey::from_base64(
            get(SHARED_ACCESS_KEY).ok_or(ConnectionStringError::Incomplete)?,
        )
        .map_err(ConnectionStringError::Key)?;
        let gateway_host_name = get(GATEWAY_HOST_NAME).map(str::to_owned);
        let id = |v: &str| DeviceId::new(v).map_err(ConnectionStringError::Id);
        match (get(DEVICE_ID), get(MODULE_ID), get(SHARED_ACCESS_KEY_NAME)) {
            (Some(device), Some(module), None) => Ok(Self::Module {
                host_name,
                device_id: id(device)?,
                module_id: ModuleId::new(module).map_err(ConnectionStringError::Id)?,
                shared_access_key,
                gateway_host_name,
            }),
            (Some(device), None, None) => Ok(Self::Device {
                host_name,
                device_id: id(device)?,
                shared_access_key,
                gateway_host_name,
            }),
            (None, None, Some(name)) if gateway_host_name.is_none() => Ok(Self::Service {
                host_name,
                shared_access_key_name: name.to_owned(),
                shared_access_key,
            }),
            (None, None, None) => Err(ConnectionStringError::Incomplete),
            _ => Err(ConnectionStringError::Mixed),
        }
    }

    /// The IoT Hub host name.
    #[must_use]
    pub fn host_name(&self) -> &str {
        match self {
            Self::Module { host_name, .. }
            | Self::Device { host_name, .. }
            | Self::Service { host_name, .. } => host_name,
        }
    }

    /// The host to open the connection to: the gateway if set, else the hub.
    #[must_use]
    pub fn connect_host(&self) -> &str {
        match self {
            Self::Module {
                gateway_host_name: Some(gw),
                ..
            }
            | Self::Device {
                gateway_host_name: Some(gw),
                ..
            } => gw,
            _ => self.host_name(),
        }
    }

    /// The key that signs this identity's tokens.
    #[must_use]
    pub fn shared_access_key(&self) -> &SharedAccessKey {
        match self {
            Self::Module {
                shared_access_key, ..
            }
            | Self::Device {
                shared_access_key, ..
            }
            | Self::Service {
                shared_access_key, ..
            } => shared_access_key,
        }
    }

    /// The SAS audience of this identity's tokens.
    #[must_use]
    pub fn audience(&self) -> Audience {
        match self {
            Self::Module {
                host_name,
                device_id,
                module_id,
                ..
            } => Audience::Module {
                host: host_name.clone(),
                device: device_id.clone(),
                module: module_id.clone(),
            },
            Self::Device {
                host_name,
                device_id,
                ..
            } => Audience::Device {
                host: host_name.clone(),
                device: device_id.clone(),
            },
            Self::Service { host_name, .. } => Audience::Hub {
                host: host_name.clone(),
            },
        }
    }

    /// The policy name for service tokens (`skn`).
    #[must_use]
    pub fn key_name(&self) -> Option<&str> {
        match self {
            Self::Service {
                shared_access_key_name,
                ..
            } => Some(shared_access_key_name),
            _ => None,
        }
    }
}

impl FromStr for ConnectionString {
    type Err = ConnectionStringError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

impl fmt::Display for ConnectionString {
    /// Writes the connection string, key included (it is a secret: do not log it).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Module {
                host_name,
                device_id,
                module_id,
                shared_access_key,
                gateway_host_name,
            } => {
                write!(
                    f,
                    "{HOST_NAME}={host_name};{DEVICE_ID}={device_id};{MODULE_ID}={module_id};{SHARED_ACCESS_KEY}={}",
                    shared_access_key.to_base64()
                )?;
                if let Some(gw) = gateway_host_name {
                    write!(f, ";{GATEWAY_HOST_NAME}={gw}")?;
                }
                Ok(())
            }
            Self::Device {
                host_name,
                device_id,
                shared_access_key,
                gateway_host_name,
            } => {
                write!(
                    f,
                    "{HOST_NAME}={host_name};{DEVICE_ID}={device_id};{SHARED_ACCESS_KEY}={}",
                    shared_access_key.to_base64()
                )?;
                if let Some(gw) = gateway_host_name {
                    write!(f, ";{GATEWAY_HOST_NAME}={gw}")?;
                }
                Ok(())
            }
            Self::Service {
                host_name,
                shared_access_key_name,
                shared_access_key,
            } => write!(
                f,
                "{HOST_NAME}={host_name};{SHARED_ACCESS_KEY_NAME}={shared_access_key_name};{SHARED_ACCESS_KEY}={}",
                shared_access_key.to_base64()
            ),
        }
    }
}

impl fmt::Debug for ConnectionString {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The key is redacted by `SharedAccessKey`'s own Debug.
        match self {
            Self::Module {
                host_name,
                device_id,
                module_id,
                shared_access_key,
                gateway_host_name,
            } => f
                .debug_struct("Module")
                .field("host_name", host_name)
                .field("device_id", device_id)
                .field("module_id", module_id)
                .field("shared_access_key", shared_access_key)
                .field("gateway_host_name", gateway_host_name)
                .finish(),
            Self::Device {
                host_name,
                device_id,
                shared_access_key,
                gateway_host_name,
            } => f
                .debug_struct("Device")
                .field("host_name", host_name)
                .field("device_id", device_id)
                .field("shared_access_key", shared_access_key)
                .field("gateway_host_name", gateway_host_name)
                .finish(),
            Self::Service {
                host_name,
                shared_access_key_name,
                shared_access_key,
            } => f
                .debug_struct("Service")
                .field("host_name", host_name)
                .field("shared_access_key_name", shared_access_key_name)
                .field("shared_access_key", shared_access_key)
                .finish(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEY: &str = "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=";

    #[test]
    fn iotedgehubdev_module_string_parses() {
        let s = format!(
            "HostName=myhub.azure-devices.net;GatewayHostName=localhost;DeviceId=edgedev1;ModuleId=opcplc;SharedAccessKey={KEY}"
        );
        let cs = ConnectionString::parse(&s).unwrap();
        assert_eq!(cs.host_name(), "myhub.azure-devices.net");
        assert_eq!(cs.connect_host(), "localhost");
        assert_eq!(
            cs.audience().to_string(),
            "myhub.azure-devices.net/devices/edgedev1/modules/opcplc"
        );
        assert_eq!(cs.shared_access_key().to_base64(), KEY);
        // Display writes the canonical order; it parses back to the same value.
        assert_eq!(ConnectionString::parse(&cs.to_string()).unwrap(), cs);
    }

    #[test]
    fn device_string_without_gateway_connects_to_the_hub() {
        let cs = ConnectionString::parse(&format!(
            "HostName=h.example;DeviceId=d1;SharedAccessKey={KEY};"
        ))
        .unwrap();
        assert!(matches!(cs, ConnectionString::Device { .. }));
        assert_eq!(cs.connect_host(), "h.example");
        assert_eq!(cs.audience().to_string(), "h.example/devices/d1");
    }

    #[test]
    fn service_string_yields_a_policy_audience() {
        let cs = ConnectionString::parse(&format!(
            "HostName=localhost:8443;SharedAccessKeyName=iothubowner;SharedAccessKey={KEY}"
        ))
        .unwrap();
        assert_eq!(cs.key_name(), Some("iothubowner"));
        assert_eq!(cs.audience().to_string(), "localhost:8443");
        assert_eq!(
            cs.to_string(),
            format!(
                "HostName=localhost:8443;SharedAccessKeyName=iothubowner;SharedAccessKey={KEY}"
            )
        );
    }

    #[test]
    fn key_value_with_equals_signs_is_split_at_the_first() {
        // Base64 padding `=` belongs to the value.
        let cs = ConnectionString::parse(&format!("HostName=h;DeviceId=d;SharedAccessKey={KEY}"))
            .unwrap();
        assert_eq!(cs.shared_access_key().to_base64(), KEY);
    }

    #[test]
    fn malformed_strings_are_refused() {
        let cases = [
            ("HostName=h;DeviceId=d", "Incomplete"),
            (
                "HostName=h;DeviceId=d;DeviceId=e;SharedAccessKey=aGk=",
                "Duplicate",
            ),
            (
                "HostName=h;Foo=1;DeviceId=d;SharedAccessKey=aGk=",
                "UnknownKey",
            ),
            ("HostName=h;DeviceId", "Malformed"),
            ("HostName=h;DeviceId=d;x509=true", "Unsupported"),
            ("HostName=h;ModuleId=m;SharedAccessKey=aGk=", "Mixed"),
            ("HostName=h;DeviceId=d;SharedAccessKey=!!", "Key"),
            ("HostName=h;DeviceId=a/b;SharedAccessKey=aGk=", "Id"),
        ];
        for (s, want) in cases {
            let err = ConnectionString::parse(s).unwrap_err();
            assert!(format!("{err:?}").starts_with(want), "{s}: {err:?}");
        }
    }

    #[test]
    fn debug_output_redacts_the_key() {
        let cs = ConnectionString::parse(&format!("HostName=h;DeviceId=d;SharedAccessKey={KEY}"))
            .unwrap();
        assert!(!format!("{cs:?}").contains(KEY));
    }
}
