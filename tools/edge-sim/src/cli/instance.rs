//! `<state>/instance.json`: how CLI commands find a running `edge-sim up` (ports, hosts, CA
//! and the service connection string), and `<state>/edge-sim.pid`.

use std::path::{Path, PathBuf};

use anyhow::Context as _;
use edge_sim::Running;
use edge_sim::state::write_atomic;
use serde::{Deserialize, Serialize};

/// The instance file name.
pub const INSTANCE_FILE: &str = "instance.json";
/// The pid file name.
pub const PID_FILE: &str = "edge-sim.pid";
/// The log file of a detached instance.
pub const LOG_FILE: &str = "edge-sim.log";

/// What a running instance publishes about itself.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Instance {
    /// The process id of `edge-sim up`.
    pub pid: u32,
    /// The bound MQTT port.
    pub mqtt_port: u16,
    /// The bound service API port.
    pub api_port: u16,
    /// The IoT Hub host name.
    pub hub_host: String,
    /// The gateway host name (also the TLS name of the service API).
    pub gateway_host: String,
    /// The edge device id.
    pub device_id: String,
    /// The dev CA file.
    pub ca_file: PathBuf,
    /// The absolute state directory.
    pub state_dir: PathBuf,
    /// The `iothubowner` connection string.
    pub service_connection_string: String,
}

impl Instance {
    /// Describes `running` in this process.
    pub fn of(running: &Running) -> Self {
        Self {
            pid: std::process::id(),
            mqtt_port: running.mqtt_port(),
            api_port: running.api_port(),
            hub_host: running.hub_host(),
            gateway_host: running.gateway_host().to_owned(),
            device_id: running.device_id(),
            ca_file: running.ca_path(),
            state_dir: running.state_dir().to_owned(),
            service_connection_string: running.service_connection_string(),
        }
    }

    /// Writes the instance and pid files (0600: the connection string holds a key).
    pub fn write(&self, state: &Path) -> anyhow::Result<()> {
        let json = serde_json::to_vec_pretty(self).context("cannot encode the instance")?;
        write_atomic(&state.join(INSTANCE_FILE), &json, 0o600)
            .context("cannot write the instance file")?;
        write_atomic(
            &state.join(PID_FILE),
            format!("{}\n", self.pid).as_bytes(),
            0o644,
        )
        .context("cannot write the pid file")
    }

    /// Reads the instance of `state`, if one is up.
    pub fn read(state: &Path) -> anyhow::Result<Self> {
        let path = state.join(INSTANCE_FILE);
        let bytes = std::fs::read(&path).with_context(|| {
            format!(
                "no running edge-sim in {} (start one with `edge-sim up -d --state {}`)",
                state.display(),
                state.display()
            )
        })?;
        serde_json::from_slice(&bytes).with_context(|| format!("{} is corrupt", path.display()))
    }

    /// Removes the instance and pid files (at shutdown).
    pub fn remove(state: &Path) {
        let _ = std::fs::remove_file(state.join(INSTANCE_FILE));
        let _ = std::fs::remove_file(state.join(PID_FILE));
    }
}
