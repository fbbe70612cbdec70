//! The cert-agent on edge-sim: a deployment of the agent (and optionally an `opc-plc` that
//! leaves its store to the agent) run by edge-sim's agent as processes, the modules' log lines,
//! and waits on reported properties.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use edge_sim::agent::PlanOptions;
use edge_sim::agent::plan::plan;
use edge_sim::{Agent, AgentOptions, Config, EdgeSim, LogLine, Running};
use serde_json::{Value, json};
use tokio::sync::mpsc;
use tokio_util::sync::CancellationToken;

pub const PATIENCE: Duration = Duration::from_secs(30);
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

/// A manifest module.
pub fn module(image: &str, order: u32, cmd: &[String], binds: &[&str], env: &Value) -> Value {
    let create = json!({"Cmd": cmd, "HostConfig": {"Binds": binds}});
    json!({
        "version": "1.0", "type": "docker", "status": "running",
        "restartPolicy": "always", "startupOrder": order,
        "settings": {"image": image, "createOptions": create.to_string()},
        "env": env,
    })
}

/// cert-agent as a real deployment has it: the shared volume and the management socket.
pub fn cert_agent_module() -> Value {
    module(
        CERT_AGENT,
        0,
        &["--pki-root".into(), "appdata/pki".into()],
        &[
            "pki:/appdata/pki",
            "/var/run/iotedge/mgmt.sock:/var/run/iotedge/mgmt.sock",
        ],
        &json!({"IOTEDGE_MANAGEMENTURI": {"value": "unix:///var/run/iotedge/mgmt.sock"}}),
    )
}

/// `opc-plc` standing for a third-party server: its store is `<volume>/<store>`, it does not
/// read its own twin.
pub fn plc_module(port: u16, store: &str) -> Value {
    let path = |part: &str| format!("appdata/pki/{store}/{part}");
    let cmd: Vec<String> = [
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
    ]
    .into();
    module(
        opc_plc().to_str().unwrap(),
        1,
        &cmd,
        &["pki:/appdata/pki"],
        &json!({}),
    )
}

pub fn manifest(modules: &Value) -> Value {
    json!({"modulesContent": {
        "$edgeAgent": {"properties.desired": {
            "schemaVersion": "1.1",
            "runtime": {"type": "docker", "settings": {}},
            "systemModules": {
                "edgeAgent": {"type": "docker", "settings": {"image": "mcr.microsoft.com/azureiotedge-agent:1.5"}},
                "edgeHub": {"type": "docker", "status": "running", "restartPolicy": "always",
                            "settings": {"image": "mcr.microsoft.com/azureiotedge-hub:1.5"}}
            },
            "modules": modules
        }},
        "$edgeHub": {"properties.desired": {"schemaVersion": "1.2", "routes": {},
                     "storeAndForwardConfiguration": {"timeToLiveSecs": 7200}}}
    }})
}

/// edge-sim in `dir/state`.
pub async fn sim(dir: &Path) -> Running {
    EdgeSim::start(
        Config::new(dir.join("state")).ephemeral(),
        CancellationToken::new(),
    )
    .await
    .unwrap()
}

/// The host folder of the named volume `pki`.
pub fn volume(sim: &Running) -> PathBuf {
    sim.state_dir().join("volumes/pki")
}

pub async fn deploy(sim: &Running, dir: &Path, manifest: &Value) -> (Agent, Logs) {
    let options = PlanOptions {
        repo_root: dir.to_owned(),
        target_dir: dir.join("target"),
        profile: "debug".to_owned(),
        vars: BTreeMap::new(),
        state_dir: sim.state_dir().to_owned(),
    };
    let deployment = plan(manifest, &options).unwrap();
    let (tx, rx) = mpsc::unbounded_channel();
    let fast = AgentOptions {
        backoff_base: Duration::from_millis(200),
        backoff_max: Duration::from_secs(1),
        stop_grace: Duration::from_secs(5),
    };
    let agent = Agent::start(sim, deployment, fast, tx, CancellationToken::new())
        .await
        .unwrap();
    (
        agent,
        Logs {
            rx,
            seen: Vec::new(),
        },
    )
}

/// The modules' log lines (`module | line`).
pub struct Logs {
    rx: mpsc::UnboundedReceiver<LogLine>,
    seen: Vec<String>,
}

impl Logs {
    pub fn drain(&mut self) -> &[String] {
        while let Ok(line) = self.rx.try_recv() {
            self.seen.push(line.to_string());
        }
        &self.seen
    }

    /// How many lines of `module` contain `needle`.
    pub fn count(&mut self, module: &str, needle: &str) -> usize {
        let prefix = format!("{module} | ");
        self.drain()
            .iter()
            .filter(|l| l.starts_with(&prefix) && l.contains(needle))
            .count()
    }

    /// Waits for a line of `module` containing `needle`.
    pub async fn wait_for(&mut self, module: &str, needle: &str) {
        let deadline = tokio::time::Instant::now() + PATIENCE;
        while self.count(module, needle) == 0 {
            assert!(
                tokio::time::Instant::now() < deadline,
                "no line of {module} with {needle:?}; logs:\n{}",
                self.seen.join("\n")
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }
}

pub fn reported(sim: &Running, module: &str) -> Value {
    sim.twin(module).map_or(Value::Null, |t| {
        Value::Object(t.reported.properties().clone())
    })
}

/// Polls `read` until `check` holds, failing with the last value and the module logs.
pub async fn eventually(
    logs: &mut Logs,
    what: &str,
    read: impl Fn() -> Value,
    check: impl Fn(&Value) -> bool,
) -> Value {
    let deadline = tokio::time::Instant::now() + PATIENCE;
    loop {
        let value = read();
        if check(&value) {
            return value;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "{what}: {value:#}\nlogs:\n{}",
            logs.drain().join("\n")
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
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

/// `$edgeAgent`'s reported status of `module`.
pub fn agent_status(sim: &Running, module: &str) -> Value {
    reported(sim, "$edgeAgent")["modules"][module].clone()
}
