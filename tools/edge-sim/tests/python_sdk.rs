//! Interop with the official Azure IoT Python SDKs: `azure-iot-device` as a module (connection
//! string and edge environment with the workload socket) and `azure-iot-hub` as the service.
//!
//! These tests fail loudly when Python or the pinned SDKs are missing: run `scripts/prereqs`
//! (it creates `.venv` from `requirements-test.txt`). The scripts live in `tests/python/`.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // Test helpers fail loudly.

mod common;

use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::Duration;

use common::{Peer, Seen, https, service_token, start};
use hub_proto::topic::METHOD_REQUESTS_FILTER;
use serde_json::{Value, json};
use tokio::io::{AsyncBufReadExt as _, BufReader};
use tokio::process::Command;

const SCENARIO_TIMEOUT: Duration = Duration::from_mins(2);

/// The venv's Python if it exists, else `python3` from `PATH`; panics with a fix otherwise.
fn python() -> PathBuf {
    let venv = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../.venv/bin/python");
    let python = if venv.exists() {
        venv
    } else {
        PathBuf::from("python3")
    };
    let check = std::process::Command::new(&python)
        .args([
            "-c",
            "import azure.iot.device, azure.iot.hub, paho.mqtt.client",
        ])
        .output()
        .unwrap_or_else(|e| {
            panic!(
                "PYTHON MISSING: cannot run {} ({e}); run scripts/prereqs to create .venv \
                 with requirements-test.txt",
                python.display()
            )
        });
    assert!(
        check.status.success(),
        "PYTHON SDKS MISSING: {} cannot import azure-iot-device / azure-iot-hub: {}\n\
         run scripts/prereqs (installs requirements-test.txt into .venv)",
        python.display(),
        String::from_utf8_lossy(&check.stderr)
    );
    python
}

fn script(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/python")
        .join(name)
}

fn twin_path(sim: &edge_sim::Running, module: &str) -> String {
    format!(
        "/twins/{}/modules/{module}?api-version=2021-04-12",
        sim.device_id()
    )
}

async fn service_patch(sim: &edge_sim::Running, module: &str, desired: Value) {
    let body = json!({"properties": {"desired": desired}}).to_string();
    let auth = [("authorization", service_token(sim))];
    let (status, text) = https(sim, "PATCH", &twin_path(sim, module), &auth, &body).await;
    assert_eq!(status, 200, "service PATCH failed: {text}");
}

async fn service_method(sim: &edge_sim::Running, module: &str, payload: Value) -> Value {
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

/// Runs `module_client.py` in `mode` as `module` and plays the hub's part of the scenario:
/// desired patch through the service API, method call, dropped connection, method call and
/// desired patch again (the SDK does not re-subscribe: the persistent session must hold).
async fn module_scenario(
    sim: &edge_sim::Running,
    module: &str,
    mode: &str,
    env: Vec<(String, String)>,
) {
    sim.patch_desired(module, json!({"seed": 1})).unwrap();
    let mut child = Command::new(python())
        .arg(script("module_client.py"))
        .args([mode, "fromService,afterDrop", "2"])
        .env("EDGE_SIM_MQTT_PORT", sim.mqtt_port().to_string())
        .env("PYTHONUNBUFFERED", "1")
        .envs(env)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let mut stderr = child.stderr.take().unwrap();
    let stderr_task = tokio::spawn(async move {
        let mut text = String::new();
        let _ = tokio::io::AsyncReadExt::read_to_string(&mut stderr, &mut text).await;
        text
    });
    let mut lines = BufReader::new(stdout).lines();
    let mut methods = 0;
    let scenario = async {
        while let Some(line) = lines.next_line().await.unwrap() {
            let event: Value = serde_json::from_str(&line)
                .unwrap_or_else(|_| panic!("unexpected script output: {line}"));
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
                    for _ in 0..200 {
                        if sim.is_connected(module) {
                            break;
                        }
                        tokio::time::sleep(Duration::from_millis(50)).await;
                    }
                    assert!(sim.is_connected(module), "the SDK did not reconnect");
                    tokio::time::sleep(Duration::from_millis(300)).await;
                    let answer = service_method(sim, module, json!({"n": 2})).await;
                    assert_eq!(answer["payload"]["echo"], json!({"n": 2}), "{answer}");
                    methods += 1;
                    service_patch(sim, module, json!({"afterDrop": true})).await;
                }
                "done" => return,
                "timeout" | "thread-error" => panic!("module script failed: {event}"),
                _ => {}
            }
        }
    };
    let finished = tokio::time::timeout(SCENARIO_TIMEOUT, scenario).await;
    let status = if finished.is_ok() {
        tokio::time::timeout(Duration::from_secs(30), child.wait())
            .await
            .ok()
    } else {
        let _ = child.kill().await;
        None
    };
    let stderr = stderr_task.await.unwrap_or_default();
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

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn python_module_client_from_connection_string_speaks_the_twin_protocol() {
    let sim = start(&["pymod"]).await;
    let env = vec![
        (
            "EDGE_SIM_MODULE_CS".to_owned(),
            sim.running.module_connection_string("pymod").unwrap(),
        ),
        (
            "EDGE_SIM_CA_FILE".to_owned(),
            sim.running.ca_path().display().to_string(),
        ),
    ];
    module_scenario(&sim.running, "pymod", "cs", env).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn python_module_client_from_edge_environment_uses_the_workload_socket() {
    let sim = start(&["pyedge"]).await;
    let env: Vec<(String, String)> = sim
        .running
        .edge_env("pyedge")
        .unwrap()
        .into_iter()
        .collect();
    let socket = sim.running.workload_socket("pyedge").unwrap();
    for _ in 0..100 {
        if socket.exists() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    module_scenario(&sim.running, "pyedge", "edge", env).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn python_service_sdk_manages_twins_methods_and_configurations() {
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
