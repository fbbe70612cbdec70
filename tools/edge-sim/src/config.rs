//! The simulator's configuration, resolved once by the caller and passed by value.

use std::net::{IpAddr, Ipv4Addr};
use std::path::PathBuf;

use hub_proto::{DeviceId, ModuleId};

use crate::fleet::FleetConfig;
use crate::service_api::throttle::RateLimit;

/// The MQTT port of edgeHub and IoT Hub (the Python SDK cannot use another,
/// docs/reference/iot-edge.md §0.7).
pub const DEFAULT_MQTT_PORT: u16 = 8883;
/// The service API port when none is given.
pub const DEFAULT_API_PORT: u16 = 8443;
/// The gateway host name modules connect to when none is given (the server certificate
/// always names it).
pub const DEFAULT_GATEWAY_HOST: &str = "localhost";
/// The edge device id when none is given.
pub const DEFAULT_DEVICE_ID: &str = "edge-sim";

/// How to run the simulator.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Config {
    /// Where state, certificates and workload sockets live (created if missing).
    pub state_dir: PathBuf,
    /// Address to bind; loopback unless the operator asks otherwise.
    pub bind: IpAddr,
    /// MQTT over TLS port; 0 picks a free one.
    pub mqtt_port: u16,
    /// Service API (HTTPS) port; 0 picks a free one.
    pub api_port: u16,
    /// IoT Hub host name for SAS audiences; `None` keeps the persisted one.
    pub hub_host: Option<String>,
    /// Edge device id, used when the state is created.
    pub device_id: DeviceId,
    /// `GatewayHostName` / `IOTEDGE_GATEWAYHOSTNAME` given to modules.
    pub gateway_host: String,
    /// Names (DNS or IP) the server certificate carries, besides the gateway host.
    pub server_names: Vec<String>,
    /// Module identities to create at start if missing.
    pub modules: Vec<ModuleId>,
    /// Fleet devices served beside the edge device (docs/edge-sim.md, Fleets); none by
    /// default.
    pub fleet: Option<FleetConfig>,
    /// IoT Hub's rate limit of the service API (429 `ThrottlingException` beyond it); off by
    /// default.
    pub rate_limit: Option<RateLimit>,
}

impl Config {
    /// Defaults: loopback, ports 8883 and 8443, gateway `localhost`, a server certificate for
    /// `localhost`, the machine's host name and `127.0.0.1`.
    #[must_use]
    pub fn new(state_dir: impl Into<PathBuf>) -> Self {
        let mut server_names = vec![DEFAULT_GATEWAY_HOST.to_owned()];
        server_names.extend(crate::tls::machine_hostname());
        server_names.push(Ipv4Addr::LOCALHOST.to_string());
        Self {
            state_dir: state_dir.into(),
            bind: IpAddr::V4(Ipv4Addr::LOCALHOST),
            mqtt_port: DEFAULT_MQTT_PORT,
            api_port: DEFAULT_API_PORT,
            hub_host: None,
            device_id: default_device_id(),
            gateway_host: DEFAULT_GATEWAY_HOST.to_owned(),
            server_names,
            modules: Vec::new(),
            fleet: None,
            rate_limit: None,
        }
    }

    /// The same configuration on free ports (0), for tests.
    #[must_use]
    pub fn ephemeral(mut self) -> Self {
        self.mqtt_port = 0;
        self.api_port = 0;
        self
    }

    /// Adds module identities to create at start.
    #[must_use]
    pub fn with_modules<I, S>(mut self, modules: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        self.modules.extend(
            modules
                .into_iter()
                .filter_map(|m| ModuleId::new(m.as_ref()).ok()),
        );
        self
    }

    /// Serves `fleet` beside the edge device.
    #[must_use]
    pub fn with_fleet(mut self, fleet: FleetConfig) -> Self {
        self.fleet = Some(fleet);
        self
    }

    /// Limits the service API to `limit`.
    #[must_use]
    pub fn with_rate_limit(mut self, limit: RateLimit) -> Self {
        self.rate_limit = Some(limit);
        self
    }

    /// The server certificate's names: the gateway host first, then `server_names`.
    #[must_use]
    pub fn certificate_names(&self) -> Vec<String> {
        let mut names = vec![self.gateway_host.clone()];
        for name in &self.server_names {
            if !names.contains(name) {
                names.push(name.clone());
            }
        }
        names
    }
}

#[allow(clippy::expect_used)] // The literal is letters and `-`; the unit test proves it valid.
fn default_device_id() -> DeviceId {
    DeviceId::new(DEFAULT_DEVICE_ID).expect("DEFAULT_DEVICE_ID is a valid device id")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_are_loopback_and_the_standard_ports() {
        let c = Config::new("/tmp/x");
        assert_eq!(c.device_id.as_str(), DEFAULT_DEVICE_ID);
        assert_eq!(c.bind, IpAddr::V4(Ipv4Addr::LOCALHOST));
        assert_eq!((c.mqtt_port, c.api_port), (8883, 8443));
        let c = c.ephemeral().with_modules(["a", "b.c", "bad/x"]);
        assert_eq!((c.mqtt_port, c.api_port), (0, 0));
        assert_eq!(c.modules.len(), 2);
        assert_eq!(c.certificate_names()[0], "localhost");
        assert!(c.certificate_names().contains(&"127.0.0.1".to_owned()));
    }
}
