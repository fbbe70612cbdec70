//! The requests of the service API, built without sockets: where the hub listens
//! ([`Endpoint`]), the paths with their percent-encoded ids ([`Route`]), the bodies and the
//! `Authorization` token.
//!
//! Paths and bodies are the Python service SDK's (`azure-iot-hub` 2.7.0,
//! docs/reference/iot-edge.md §5.2): every path argument encoded like
//! `urllib.parse.quote(s, safe="")` (`$edgeAgent` → `%24edgeAgent`), api-version
//! [`API_VERSION`].

use std::fmt;
use std::time::Duration;

use hub_proto::encoding::encode_component;
use hub_proto::method::CloudToDeviceMethod;
use hub_proto::sas::DEFAULT_TTL_SECS;
use hub_proto::{SasToken, SharedAccessKey};
use serde_json::{Value, json};

use crate::error::ConfigError;

/// The api-version of every request (the one `azure-iot-hub` 2.7.0 sends).
pub const API_VERSION: &str = "2021-04-12";

/// The HTTPS port of a hub whose `HostName` names none.
pub const DEFAULT_PORT: u16 = 443;

/// Where the hub's service API listens, from the connection string's `HostName`
/// (`<name>.azure-devices.net`, or `localhost:<port>` for edge-sim).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Endpoint {
    /// The host to connect to and to check the server certificate against (no brackets for
    /// an IPv6 address).
    pub host: String,
    /// The TCP port.
    pub port: u16,
    /// `HostName` as written: the `Host` header and the SAS audience (`sr`), as the SDKs send
    /// them (with the port when there is one).
    pub host_name: String,
}

impl Endpoint {
    /// Splits a `HostName` into host and port (443 when absent); `[v6]:port` and a bare IPv6
    /// address are understood.
    pub fn parse(host_name: &str) -> Result<Self, ConfigError> {
        let bad = || ConfigError::HostName(host_name.to_owned());
        if host_name.is_empty()
            || host_name
                .chars()
                .any(|c| c.is_whitespace() || matches!(c, '/' | '?' | '#' | '@'))
        {
            return Err(bad());
        }
        let (host, port) = if let Some(rest) = host_name.strip_prefix('[') {
            let (host, after) = rest.split_once(']').ok_or_else(bad)?;
            match after {
                "" => (host, None),
                _ => (host, Some(after.strip_prefix(':').ok_or_else(bad)?)),
            }
        } else if host_name.matches(':').count() > 1 {
            // A bare IPv6 address: no port can be told apart.
            (host_name, None)
        } else {
            match host_name.split_once(':') {
                Some((host, port)) => (host, Some(port)),
                None => (host_name, None),
            }
        };
        let port = match port {
            None => DEFAULT_PORT,
            Some(p) => p.parse().ok().filter(|p| *p != 0).ok_or_else(bad)?,
        };
        if host.is_empty() {
            return Err(bad());
        }
        Ok(Self {
            host: host.to_owned(),
            port,
            host_name: host_name.to_owned(),
        })
    }
}

impl fmt::Display for Endpoint {
    /// `host:port` (`[v6]:port`), as error messages name it.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.host.contains(':') {
            write!(f, "[{}]:{}", self.host, self.port)
        } else {
            write!(f, "{}:{}", self.host, self.port)
        }
    }
}

/// A service API resource.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Route<'a> {
    /// `/twins/{d}/modules/{m}`: GET, PATCH, PUT.
    ModuleTwin {
        /// The device id.
        device: &'a str,
        /// The module id.
        module: &'a str,
    },
    /// `/twins/{d}/modules/{m}/methods`: POST.
    ModuleMethod {
        /// The device id.
        device: &'a str,
        /// The module id.
        module: &'a str,
    },
    /// `/devices/{d}/applyConfigurationContent`: POST.
    ApplyConfigurationContent {
        /// The device id.
        device: &'a str,
    },
    /// `/devices/{d}/modules/{m}`: GET, PUT, DELETE.
    ModuleIdentity {
        /// The device id.
        device: &'a str,
        /// The module id.
        module: &'a str,
    },
    /// `/devices/{d}/modules`: GET.
    ModuleIdentities {
        /// The device id.
        device: &'a str,
    },
    /// `/devices/query`: POST (twin queries).
    Query,
    /// `/configurations/{id}`: GET, PUT, DELETE.
    Configuration {
        /// The configuration id.
        id: &'a str,
    },
    /// `/configurations`: GET.
    Configurations,
}

impl Route<'_> {
    /// The request target: the path with percent-encoded ids and `?api-version=`.
    #[must_use]
    pub fn path(&self) -> String {
        let e = encode_component;
        let path = match *self {
            Self::ModuleTwin { device, module } => {
                format!("/twins/{}/modules/{}", e(device), e(module))
            }
            Self::ModuleMethod { device, module } => {
                format!("/twins/{}/modules/{}/methods", e(device), e(module))
            }
            Self::ApplyConfigurationContent { device } => {
                format!("/devices/{}/applyConfigurationContent", e(device))
            }
            Self::ModuleIdentity { device, module } => {
                format!("/devices/{}/modules/{}", e(device), e(module))
            }
            Self::ModuleIdentities { device } => format!("/devices/{}/modules", e(device)),
            Self::Query => "/devices/query".to_owned(),
            Self::Configuration { id } => format!("/configurations/{}", e(id)),
            Self::Configurations => "/configurations".to_owned(),
        };
        format!("{path}?api-version={API_VERSION}")
    }
}

/// The body of a desired-properties PATCH or PUT: `{"properties": {"desired": desired}}`.
#[must_use]
pub fn desired_body(desired: &Value) -> Value {
    json!({"properties": {"desired": desired}})
}

/// The body of a twin query: the SDK's `QuerySpecification`, `{"query": query}`.
#[must_use]
pub fn query_body(query: &str) -> Value {
    json!({"query": query})
}

/// The body of a module identity PUT that creates a module with keys of the hub's choosing.
#[must_use]
pub fn new_module_body(module: &str) -> Value {
    json!({"moduleId": module})
}

/// The body of a direct-method call: the SDK's `CloudToDeviceMethod` with the response
/// timeout in whole seconds, rounded up (the hub clamps it to 5–300 s).
#[must_use]
pub fn method_body(method: &str, payload: &Value, timeout: Duration) -> CloudToDeviceMethod {
    let secs = timeout
        .as_secs()
        .saturating_add(u64::from(timeout.subsec_nanos() > 0));
    CloudToDeviceMethod {
        method_name: method.to_owned(),
        payload: payload.clone(),
        response_timeout_in_seconds: Some(secs),
        connect_timeout_in_seconds: None,
    }
}

/// The `Authorization` header value at `now` (Unix seconds): a policy token for the hub
/// (`sr` = `HostName` as written, `skn` = the policy), valid for an hour like the SDKs'.
#[must_use]
pub fn authorization(host_name: &str, key: &SharedAccessKey, key_name: &str, now: u64) -> String {
    SasToken::sign_with_ttl(host_name, key, Some(key_name), now, DEFAULT_TTL_SECS).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn host_names_with_and_without_ports_are_split() {
        let e = Endpoint::parse("localhost:8443").unwrap();
        assert_eq!((e.host.as_str(), e.port), ("localhost", 8443));
        assert_eq!(e.host_name, "localhost:8443");
        let e = Endpoint::parse("myhub.azure-devices.net").unwrap();
        assert_eq!((e.host.as_str(), e.port), ("myhub.azure-devices.net", 443));
        assert_eq!(e.to_string(), "myhub.azure-devices.net:443");
        let e = Endpoint::parse("[::1]:8443").unwrap();
        assert_eq!((e.host.as_str(), e.port), ("::1", 8443));
        assert_eq!(e.to_string(), "[::1]:8443");
        let e = Endpoint::parse("::1").unwrap();
        assert_eq!((e.host.as_str(), e.port), ("::1", 443));
    }

    #[test]
    fn malformed_host_names_are_refused() {
        for bad in [
            "",
            ":8443",
            "localhost:",
            "localhost:0",
            "localhost:70000",
            "localhost:x",
            "[::1",
            "[::1]x",
            "https://hub",
            "a b",
        ] {
            assert!(
                matches!(Endpoint::parse(bad), Err(ConfigError::HostName(_))),
                "{bad:?}"
            );
        }
    }

    #[test]
    fn paths_percent_encode_ids_like_the_python_sdk() {
        let twin = Route::ModuleTwin {
            device: "edge-sim",
            module: "$edgeAgent",
        };
        assert_eq!(
            twin.path(),
            "/twins/edge-sim/modules/%24edgeAgent?api-version=2021-04-12"
        );
        let method = Route::ModuleMethod {
            device: "dev 1",
            module: "a/b",
        };
        assert_eq!(
            method.path(),
            "/twins/dev%201/modules/a%2Fb/methods?api-version=2021-04-12"
        );
        assert_eq!(
            Route::ApplyConfigurationContent { device: "d" }.path(),
            "/devices/d/applyConfigurationContent?api-version=2021-04-12"
        );
        assert_eq!(
            Route::ModuleIdentity {
                device: "d",
                module: "$edgeHub"
            }
            .path(),
            "/devices/d/modules/%24edgeHub?api-version=2021-04-12"
        );
        assert_eq!(
            Route::ModuleIdentities { device: "d" }.path(),
            "/devices/d/modules?api-version=2021-04-12"
        );
        assert_eq!(Route::Query.path(), "/devices/query?api-version=2021-04-12");
    }

    #[test]
    fn query_body_is_the_sdk_query_specification() {
        assert_eq!(
            query_body("SELECT * FROM devices.modules WHERE tags.site = 'a'").to_string(),
            r#"{"query":"SELECT * FROM devices.modules WHERE tags.site = 'a'"}"#
        );
    }

    #[test]
    fn desired_body_nests_the_patch_and_keeps_nulls() {
        let patch = json!({"certs": {"a": null, "b": "PEM-B"}});
        assert_eq!(
            desired_body(&patch).to_string(),
            r#"{"properties":{"desired":{"certs":{"a":null,"b":"PEM-B"}}}}"#
        );
    }

    #[test]
    fn method_body_uses_sdk_names_and_whole_seconds_rounded_up() {
        let body = method_body("ping", &json!({"x": 1}), Duration::from_millis(2500));
        assert_eq!(
            serde_json::to_string(&body).unwrap(),
            r#"{"methodName":"ping","payload":{"x":1},"responseTimeoutInSeconds":3}"#
        );
        let body = method_body("ping", &Value::Null, Duration::from_secs(30));
        assert_eq!(body.response_timeout_in_seconds, Some(30));
    }

    #[test]
    fn authorization_is_a_policy_token_for_the_host_name_with_its_port() {
        let key = SharedAccessKey::from_bytes(vec![7; 32]).unwrap();
        let header = authorization("localhost:8443", &key, "iothubowner", 1000);
        let token = SasToken::parse(&header).unwrap();
        assert_eq!(token.encoded_resource(), "localhost%3A8443");
        assert_eq!(token.key_name(), Some("iothubowner"));
        assert_eq!(token.expiry(), 1000 + DEFAULT_TTL_SECS);
        assert!(token.verify(&[&key], 1000).is_ok());
        assert!(header.ends_with("&skn=iothubowner"));
    }
}
