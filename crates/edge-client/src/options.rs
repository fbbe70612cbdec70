//! Typed options of the module client; the library reads no environment on its own.

use std::time::Duration;

use crate::core::backoff::Backoff;
use crate::core::session::RetryPolicy;

/// The MQTT port of IoT Hub and edgeHub (docs/reference/iot-edge.md §1.1).
pub const DEFAULT_MQTT_PORT: u16 = 8883;

/// rumqttc's default is 10 KB; IoT Hub and edgeHub allow 256 KB messages
/// (docs/reference/iot-edge.md §1.1).
pub const MAX_PACKET_BYTES: usize = 256 * 1024;

/// Options of a [`ModuleClient`](crate::ModuleClient). `Default` gives the SDKs' behaviour.
#[derive(Debug, Clone, PartialEq)]
pub struct ClientOptions {
    /// MQTT port on the gateway host; 8883 on a real device, overridable for tests.
    pub port: u16,
    /// MQTT keep-alive (the Python SDK's default, 60 s).
    pub keep_alive: Duration,
    /// Lifetime of each SAS token (default 1 h, like the Python SDK's `sastoken_ttl`).
    pub sas_ttl: Duration,
    /// Fraction of the token lifetime after which it is renewed (default 0.8).
    pub sas_renew_fraction: f64,
    /// Delays between reconnect attempts (default 100 ms doubling to 30 s, with jitter).
    pub reconnect: Backoff,
    /// How twin GETs and reported patches are retried on 429, 5xx and timeouts.
    pub retry: RetryPolicy,
    /// How long TCP + TLS + CONNECT may take.
    pub connect_timeout: Duration,
    /// Check reported patches against edgeHub's rules before sending (default on).
    pub validate_reported: bool,
    /// The `DeviceClientType` of the MQTT username.
    pub product_info: String,
}

impl Default for ClientOptions {
    fn default() -> Self {
        Self {
            port: DEFAULT_MQTT_PORT,
            keep_alive: Duration::from_mins(1),
            sas_ttl: Duration::from_secs(hub_proto::sas::DEFAULT_TTL_SECS),
            sas_renew_fraction: 0.8,
            reconnect: Backoff::default(),
            retry: RetryPolicy::default(),
            connect_timeout: Duration::from_secs(10),
            validate_reported: true,
            product_info: format!("edge-client/{}", env!("CARGO_PKG_VERSION")),
        }
    }
}
