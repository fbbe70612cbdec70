//! The cert-agent on edge-sim: a deployment of the agent (and optionally an `opc-plc` that
//! leaves its store to the agent) run by edge-sim's agent as processes, and waits on its
//! reported `stores`; the rest is [`edge_sim::harness`].
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::{Path, PathBuf};
use std::time::Duration;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use edge_sim::harness::{self, FAST, Logs, Module, eventually, reported};
use edge_sim::{Agent, AgentOptions, Running};
use serde_json::Value;

pub const CERT_AGENT: &str = env!("CARGO_BIN_EXE_cert-agent");

/// The `opc-plc` binary built next to cert-agent (`cargo test --workspace` builds every
/// module; alone, run `cargo build -p opc-plc` first).
pub fn opc_plc() -> PathBuf {
    let path = Path::new(CERT_AGENT).with_file_name("opc-plc");
    assert!(
        path.is_file(),
        "{} is missing: this test runs the opc-plc module; build it with `cargo build -p opc-plc` (cargo test --workspace does)",
        path.display()
    );
    path
}

pub fn b64(der: &[u8]) -> String {
    STANDARD.encode(der)
}

/// A free loopback port (the PLC keeps it across its restarts).
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// cert-agent as a real deployment has it: the shared volume and the management socket.
pub fn cert_agent_module() -> Module {
    Module::new(CERT_AGENT)
        .startup_order(0)
        .args(["--pki-root", "appdata/pki"])
        .binds(&[
            "pki:/appdata/pki",
            "/var/run/iotedge/mgmt.sock:/var/run/iotedge/mgmt.sock",
        ])
        .env("IOTEDGE_MANAGEMENTURI", "unix:///var/run/iotedge/mgmt.sock")
}

/// `opc-plc` standing for a third-party server: its store is `<volume>/<store>`, it does not
/// read its own twin.
pub fn plc_module(port: u16, store: &str) -> Module {
    let path = |part: &str| format!("appdata/pki/{store}/{part}");
    Module::new(opc_plc().to_str().unwrap())
        .startup_order(1)
        .args([
            "--pn".to_owned(),
            port.to_string(),
            "--listenhost".into(),
            "127.0.0.1".into(),
            "--ph".into(),
            "localhost".into(),
            "--no-twin-pki".into(),
            "--ap".into(),
            path("own"),
            "--tp".into(),
            path("trusted"),
            "--ip".into(),
            path("issuer"),
            "--rp".into(),
            path("rejected"),
        ])
        .binds(&["pki:/appdata/pki"])
}

/// The host folder of the named volume `pki`.
pub fn volume(sim: &Running) -> PathBuf {
    sim.state_dir().join("volumes/pki")
}

/// Deploys `manifest` with fast restarts and 5 s for a module to stop.
pub async fn deploy(sim: &Running, dir: &Path, manifest: &Value) -> (Agent, Logs) {
    let options = AgentOptions {
        stop_grace: Duration::from_secs(5),
        ..FAST
    };
    harness::deploy(sim, dir, manifest, options).await
}

/// Waits until cert-agent's reported `stores` satisfies `check`.
pub async fn stores(
    sim: &Running,
    logs: &mut Logs,
    what: &str,
    check: impl Fn(&Value) -> bool,
) -> Value {
    eventually(
        logs,
        what,
        || reported(sim, "certagent")["stores"].clone(),
        check,
    )
    .await
}
