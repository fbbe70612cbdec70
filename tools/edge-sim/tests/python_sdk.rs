//! Interop with the official Azure IoT Python SDKs: `azure-iot-device` as a module (connection
//! string and edge environment with the workload socket) and `azure-iot-hub` as the service.
//!
//! These tests fail loudly when Python or the pinned SDKs are missing: run `scripts/prereqs`
//! (it creates `.venv` from `requirements-test.txt`). The scripts live in `tests/python/`.
//!
//! `azure-iot-device` only connects to MQTT port 8883 (it has no port option), so the module
//! tests run edge-sim's MQTT server on 127.0.0.1:8883 for real, one at a time inside this test
//! binary ([`PORT_8883`]); they fail with the reason when the port cannot be bound. No other
//! test of the workspace binds 8883 (they all use port 0), and `cargo test` runs test binaries
//! one after another.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // Test helpers fail loudly.

mod common;

use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::Duration;

use common::{Peer, Seen, https, service_token, start};
use edge_sim::{Config, EdgeSim, Running, StartError};
use hub_proto::topic::METHOD_REQUESTS_FILTER;
use serde_json::{Value, json};
use tokio::io::{AsyncBufReadExt as _, BufReader, Lines};
use tokio::process::{Child, ChildStdout, Command};
use tokio::sync::Mutex;
use tokio_util::sync::CancellationToken;

/// The only MQTT port the Python device SDK connects to (docs/reference/iot-edge.md §0.7).
const SDK_MQTT_PORT: u16 = 8883;

/// Serialises the tests of this binary that listen on [`SDK_MQTT_PORT`].
static PORT_8883: Mutex<()> = Mutex::const_new(());

const SCENARIO_TIMEOUT: Duration = Duration::from_mins(2);
/// How long a bind of 8883 is retried while the previous test's listener is closing.
const BIND_RETRY: Duration = Duration::from_secs(5);

/// Starts edge-sim in `dir` with its MQTT server on 127.0.0.1:8883 (the service API on a
/// free port). Panics with the reason when 8883 cannot be bound.
async fn start_on_8883(dir: &Path, modules: &[&str]) -> Running {
    let deadline = tokio::time::Instant::now() + BIND_RETRY;
    loop {
        let mut config = Config::new(dir).ephemeral().with_modules(modules);
        config.mqtt_port = SDK_MQTT_PORT;
        match EdgeSim::start(config, CancellationToken::new()).await {
            Ok(running) => return running,
            Err(StartError::Bind { addr, source })
                if addr.port() == SDK_MQTT_PORT
                    && source.kind() == std::io::ErrorKind::AddrInUse
                    && tokio::time::Instant::now() < deadline =>
            {
                // The previous test of this binary may still be closing its listener.
                tokio::time::sleep(Duration::from_millis(50)).await;
            }
            Err(StartError::Bind { addr, source }) => panic!(
                "PORT {SDK_MQTT_PORT} UNAVAILABLE: edge-sim cannot listen on {addr}: {source}. \
                 The Azure IoT device SDK (azure-iot-device) only connects to MQTT port \
                 {SDK_MQTT_PORT} and has no option to change it, so these interop tests need \
                 127.0.0.1:{SDK_MQTT_PORT} free: stop whatever listens there (`edge-sim down`, \
                 a local edgeHub or MQTT broker) and run the tests again."
            ),
            Err(e) => panic!("edge-sim does not start: {e:?}"),
        }
    }
}

/// The venv's Python with the pinned SDKs; panics with the fix (`scripts/prereqs`) otherwise.
fn python() -> PathBuf {
    test_support::python::python(&["azure.iot.device", "azure.iot.hub", "paho.mqtt.client"])
}

fn script(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/python")
        .join(name)
}

fn twin_path(sim: &Running, module: &str) -> String {
    format!(
        "/twins/{}/modules/{module}?api-version=2021-04-12",
        sim.device_id()
    )
}

async fn service_patch(sim: &Running, module: &str, desired: Value) {
    let body = json!({"properties": {"desired": desired}}).to_string();
    let auth = [("authorization", service_token(sim))];
    let (status, text) = https(sim, "PATCH", &twin_path(sim, module), &auth, &body).await;
    assert_eq!(status, 200, "service PATCH failed: {text}");
}

async fn service_method(sim: &Running, module: &str, payload: Value) -> Value {
    let path = format!(
        "/twins/{}/modules/{module}/methods?api-version=2021-04-12",
        sim.device_id()
    );
    let body = json!({"methodName": "ping", "payload": payload, "responseTimeoutInSeconds": 10})
        .to_string();
    let auth = [("authorization", service_token(sim))];
    let (status, text) = https(sim, "POST", &path, &auth, &body).await;
    assert_eq!(status, 200, "service method call failed: {text}");
    serde_json::from_str(&text).unwrap()
}

/// Waits until `module` has a live MQTT connection.
async fn wait_connected(sim: &Running, module: &str) {
    for _ in 0..400 {
        if sim.is_connected(module) {
            return;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("the SDK did not reconnect");
}

/// A running `module_client.py` and its event lines.
struct ModuleScript {
    child: Child,
    lines: Lines<BufReader<ChildStdout>>,
    stderr: tokio::task::JoinHandle<String>,
}

impl ModuleScript {
    /// Starts `module_client.py mode keys methods` with `env`.
    fn spawn(mode: &str, keys: &str, methods: u32, env: Vec<(String, String)>) -> Self {
        let mut child = Command::new(python())
            .arg(script("module_client.py"))
            .args([mode, keys, &methods.to_string()])
            .env("PYTHONUNBUFFERED", "1")
            .envs(env)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .kill_on_drop(true)
            .spawn()
            .unwrap();
        let stdout = child.stdout.take().unwrap();
        let mut stderr = child.stderr.take().unwrap();
        let stderr = tokio::spawn(async move {
            let mut text = String::new();
            let _ = tokio::io::AsyncReadExt::read_to_string(&mut stderr, &mut text).await;
            text
        });
        Self {
            child,
            lines: BufReader::new(stdout).lines(),
            stderr,
        }
    }

    /// The next event; `None` when the script closed its output.
    async fn next_event(&mut self) -> Option<Value> {
        let line = self.lines.next_line().await.unwrap()?;
        let event: Value = serde_json::from_str(&line)
            .unwrap_or_else(|_| panic!("unexpected script output: {line}"));
        if matches!(event["event"].as_str(), Some("timeout" | "thread-error")) {
            panic!("module script failed: {event}");
        }
        Some(event)
    }

    /// Runs `scenario` (which reads events until "done") within the time limit, then checks
    /// that the script exited successfully; stderr is shown on any failure.
    async fn finish(mut self, finished: Result<(), tokio::time::error::Elapsed>) {
        let status = if finished.is_ok() {
            tokio::time::timeout(Duration::from_secs(30), self.child.wait())
                .await
                .ok()
        } else {
            let _ = self.child.kill().await;
            None
        };
        let stderr = self.stderr.await.unwrap_or_default();
        assert!(
            finished.is_ok(),
            "module scenario timed out; script stderr:\n{stderr}"
        );
        let status = status.expect("script did not exit").unwrap();
        assert!(
            status.success(),
            "module script failed ({status}); stderr:\n{stderr}"
        );
    }
}

/// Runs `module_client.py` in `mode` as `module` and plays the hub's part of the scenario:
/// desired patch through the service API, method call, dropped connection, method call and
/// desired patch again (the SDK does not re-subscribe: the persistent session must hold).
async fn module_scenario(sim: &Running, module: &str, mode: &str, env: Vec<(String, String)>) {
    sim.patch_desired(module, json!({"seed": 1})).unwrap();
    let mut script = ModuleScript::spawn(mode, "fromService,afterDrop", 2, env);
    let mut methods = 0;
    let scenario = async {
        while let Some(event) = script.next_event().await {
            match event["event"].as_str().unwrap() {
                "connected" => {
                    assert_eq!(event["twin"]["desired"]["seed"], 1, "{event}");
                    assert!(event["twin"]["reported"]["$version"].is_u64(), "{event}");
                }
                "reported" => {
                    let twin = sim.twin(module).unwrap();
                    assert_eq!(twin.reported.properties()["sdk"]["ok"], true);
                }
                "ready" => service_patch(sim, module, json!({"fromService": {"v": 1}})).await,
                "desired" if event["patch"].get("fromService").is_some() && methods == 0 => {
                    let answer = service_method(sim, module, json!({"n": 1})).await;
                    assert_eq!(answer["status"], 200, "{answer}");
                    assert_eq!(answer["payload"]["echo"], json!({"n": 1}), "{answer}");
                    methods += 1;
                }
                "method" if methods == 1 => {
                    // Drop the connection; the SDK reconnects without subscribing again.
                    let id = module.parse().unwrap();
                    assert!(sim.faults().drop_connection(&id));
                    tokio::time::sleep(Duration::from_millis(500)).await;
                    wait_connected(sim, module).await;
                    tokio::time::sleep(Duration::from_millis(300)).await;
                    let answer = service_method(sim, module, json!({"n": 2})).await;
                    assert_eq!(answer["payload"]["echo"], json!({"n": 2}), "{answer}");
                    methods += 1;
                    service_patch(sim, module, json!({"afterDrop": true})).await;
                }
                "done" => return,
                _ => {}
            }
        }
    };
    let finished = tokio::time::timeout(SCENARIO_TIMEOUT, scenario).await;
    script.finish(finished).await;
}

fn connection_string_env(sim: &Running, module: &str) -> Vec<(String, String)> {
    vec![
        (
            "EDGE_SIM_MODULE_CS".to_owned(),
            sim.module_connection_string(module).unwrap(),
        ),
        (
            "EDGE_SIM_CA_FILE".to_owned(),
            sim.ca_path().display().to_string(),
        ),
    ]
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn python_module_client_from_connection_string_speaks_the_twin_protocol() {
    let _port = PORT_8883.lock().await;
    let dir = tempfile::tempdir().unwrap();
    let sim = start_on_8883(dir.path(), &["pymod"]).await;
    let env = connection_string_env(&sim, "pymod");
    module_scenario(&sim, "pymod", "cs", env).await;
    sim.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn python_module_client_from_edge_environment_uses_the_workload_socket() {
    let _port = PORT_8883.lock().await;
    let dir = tempfile::tempdir().unwrap();
    let sim = start_on_8883(dir.path(), &["pyedge"]).await;
    let env: Vec<(String, String)> = sim.edge_env("pyedge").unwrap().into_iter().collect();
    module_scenario(&sim, "pyedge", "edge", env).await;
    sim.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn python_module_client_survives_an_edge_sim_restart_without_subscribing_again() {
    let _port = PORT_8883.lock().await;
    let dir = tempfile::tempdir().unwrap();
    let first = start_on_8883(dir.path(), &["pyrestart"]).await;
    first
        .patch_desired("pyrestart", json!({"seed": 1}))
        .unwrap();
    let mut env = connection_string_env(&first, "pyrestart");
    // A reconnect refused while edge-sim is down is retried after 1 s instead of 10 s.
    env.push(("EDGE_SIM_RETRY_INTERVAL".to_owned(), "1".to_owned()));
    let mut script = ModuleScript::spawn("cs", "afterRestart", 1, env);
    let mut sim = Some(first);
    let mut restarted = false;
    let scenario = async {
        while let Some(event) = script.next_event().await {
            match event["event"].as_str().unwrap() {
                "ready" => {
                    // The SDK subscribed once, on this first connection. edge-sim goes down
                    // and comes back on the same state directory and port.
                    tokio::time::sleep(Duration::from_millis(300)).await;
                    sim.take().unwrap().shutdown().await;
                    let saved: Value = serde_json::from_slice(
                        &std::fs::read(dir.path().join("sessions.json")).unwrap(),
                    )
                    .unwrap();
                    let client_id = saved["sessions"].as_object().unwrap().keys().next();
                    assert!(
                        client_id.is_some_and(|c| c.ends_with("/pyrestart")),
                        "{saved}"
                    );
                    let second = start_on_8883(dir.path(), &[]).await;
                    wait_connected(&second, "pyrestart").await;
                    // Let the SDK's twin GET after the reconnect be answered first, so that
                    // the patch below can only arrive as a notification of the subscription
                    // kept in the restored session.
                    tokio::time::sleep(Duration::from_millis(500)).await;
                    let answer =
                        service_method(&second, "pyrestart", json!({"after": "restart"})).await;
                    assert_eq!(answer["status"], 200, "{answer}");
                    assert_eq!(answer["payload"]["echo"], json!({"after": "restart"}));
                    service_patch(&second, "pyrestart", json!({"afterRestart": true})).await;
                    sim = Some(second);
                    restarted = true;
                }
                "desired" if event["patch"].get("afterRestart").is_some() => {
                    assert!(restarted, "{event}");
                    assert!(
                        event["patch"].get("seed").is_none(),
                        "a notification, not the full document of a twin GET: {event}"
                    );
                }
                "done" => return,
                _ => {}
            }
        }
    };
    let finished = tokio::time::timeout(SCENARIO_TIMEOUT, scenario).await;
    script.finish(finished).await;
    if let Some(sim) = sim {
        sim.shutdown().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn python_service_sdk_manages_twins_methods_and_configurations() {
    // The service SDK takes the API port from its connection string: free ports are fine.
    let sim = start(&["svcmod"]).await;
    // A raw module that answers every method with 200 and its payload.
    let (mut peer, _) = Peer::connect(&sim.running, "svcmod", false).await;
    peer.subscribe(METHOD_REQUESTS_FILTER).await;
    peer.publish("$iothub/twin/GET/?$rid=sync", "").await;
    peer.next_publish().await;
    let responder = tokio::spawn(async move {
        while let Some(seen) = peer.events.recv().await {
            if let Seen::Publish(p) = seen
                && p.topic.starts_with("$iothub/methods/POST/")
            {
                let rid = p.topic.rsplit('=').next().unwrap().to_owned();
                let payload: Value = serde_json::from_slice(&p.payload).unwrap_or(Value::Null);
                let body = json!({"pong": payload}).to_string();
                peer.publish(&format!("$iothub/methods/res/200/?$rid={rid}"), body)
                    .await;
            }
        }
    });
    let output = Command::new(python())
        .arg(script("service_client.py"))
        .env(
            "EDGE_SIM_SERVICE_CS",
            sim.running.service_connection_string(),
        )
        .env("EDGE_SIM_DEVICE", sim.running.device_id())
        .env("EDGE_SIM_MODULE", "svcmod")
        .env("REQUESTS_CA_BUNDLE", sim.running.ca_path())
        .kill_on_drop(true)
        .output();
    let output = tokio::time::timeout(SCENARIO_TIMEOUT, output)
        .await
        .expect("service script timed out")
        .unwrap();
    responder.abort();
    assert!(
        output.status.success(),
        "service script failed; stderr:\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let stdout = String::from_utf8_lossy(&output.stdout);
    let result: Value = serde_json::from_str(stdout.lines().last().unwrap()).unwrap();
    assert_eq!(result["initial_desired_version"], 1, "{result}");
    assert_eq!(result["stale_etag_status"], 412, "{result}");
    assert_eq!(
        result["desired_after_replace"],
        json!({"only": 1}),
        "{result}"
    );
    assert_eq!(
        result["method"],
        json!({"status": 200, "payload": {"pong": {"x": 1}}}),
        "{result}"
    );
    assert!(result["module_generation_id"].as_str().unwrap().len() > 10);
    assert_eq!(result["deployed_desired"], true, "{result}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn python_service_sdk_queries_module_twins_page_by_page() {
    let sim = start(&["q1", "q2", "q3", "q4", "q5", "other"]).await;
    for module in ["q1", "q3", "q4", "q5", "other"] {
        sim.running
            .state()
            .patch_reported(
                &hub_proto::ModuleId::new(module).unwrap(),
                json!({"pki": {"status": "ok"}}).as_object().unwrap(),
            )
            .unwrap();
    }
    let query = "SELECT * FROM devices.modules \
                 WHERE is_defined(properties.reported.pki) AND STARTSWITH(moduleId, 'q')";
    let output = Command::new(python())
        .arg(script("query_client.py"))
        .env(
            "EDGE_SIM_SERVICE_CS",
            sim.running.service_connection_string(),
        )
        .env("EDGE_SIM_QUERY", query)
        .env("EDGE_SIM_PAGE_SIZE", "2")
        .env("REQUESTS_CA_BUNDLE", sim.running.ca_path())
        .kill_on_drop(true)
        .output();
    let output = tokio::time::timeout(SCENARIO_TIMEOUT, output)
        .await
        .expect("query script timed out")
        .unwrap();
    assert!(
        output.status.success(),
        "query script failed; stderr:\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let stdout = String::from_utf8_lossy(&output.stdout);
    let result: Value = serde_json::from_str(stdout.lines().last().unwrap()).unwrap();
    // q2 reports no pki and `other` does not start with q: four twins, two per page.
    assert_eq!(
        result["pages"],
        json!([["q1", "q3"], ["q4", "q5"]]),
        "{result}"
    );
    assert_eq!(result["types"], json!(["twin", "twin"]), "{result}");
    assert_eq!(result["tokens"], 1, "{result}");
    assert_eq!(result["bad_query_status"], 400, "{result}");
    let message = result["bad_query_message"].as_str().unwrap();
    assert!(
        message.starts_with("ErrorCode:BadRequest;")
            && message.contains("expected FROM, found 'FORM' at column 10"),
        "{message}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn python_service_sdk_manages_configurations_of_a_fleet() {
    let dir = tempfile::tempdir().unwrap();
    let config = Config::new(dir.path())
        .ephemeral()
        .with_fleet(edge_sim::FleetConfig::new(3));
    let sim = EdgeSim::start(config, tokio_util::sync::CancellationToken::new())
        .await
        .unwrap();
    let output = Command::new(python())
        .arg(script("configuration_client.py"))
        .env("EDGE_SIM_SERVICE_CS", sim.service_connection_string())
        .env("REQUESTS_CA_BUNDLE", sim.ca_path())
        .kill_on_drop(true)
        .output();
    let output = tokio::time::timeout(SCENARIO_TIMEOUT, output)
        .await
        .expect("configuration script timed out")
        .unwrap();
    assert!(
        output.status.success(),
        "configuration script failed; stderr:\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let stdout = String::from_utf8_lossy(&output.stdout);
    let result: Value = serde_json::from_str(stdout.lines().last().unwrap()).unwrap();
    assert_eq!(result["created"]["id"], "py-layer", "{result}");
    assert_eq!(
        result["created"]["system"],
        json!({"targetedCount": 1, "appliedCount": 0}),
        "{result}"
    );
    assert_eq!(result["created"]["metrics"], json!({"plcs": 3}), "{result}");
    assert_eq!(result["created"]["labels"], json!({"owner": "python"}));
    assert_eq!(
        result["got"],
        json!({"priority": 3, "target": "deviceId = 'plant-0002'"})
    );
    assert_eq!(result["listed"], json!(["py-layer"]));
    assert_eq!(result["updated"]["priority"], 4);
    assert_ne!(result["updated"]["etag"], result["created"]["etag"]);
    assert_eq!(result["stale_status"], 412, "{result}");
    assert_eq!(result["after_delete"], json!([]));
    // What the configuration set stayed on the twin only while it existed.
    let twin = sim.fleet().unwrap().twin("plant-0002", "opcplc").unwrap();
    assert!(
        twin.desired
            .properties()
            .get("pki")
            .is_none_or(|p| p.get("expiryWarningDays").is_none())
    );
}
