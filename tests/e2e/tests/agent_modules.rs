//! edge-sim's agent running real modules: two instances of the workspace's
//! `edge-test-module` (built on `edge-client`, connecting from the `IOTEDGE_*` environment
//! through the workload API) deployed from a manifest. They share a named volume, a failing
//! module is restarted per its `restartPolicy` (and `never` is not), `$edgeAgent`'s
//! `RestartModule` restarts a module, which connects again, and a module given the management
//! API (`/var/run/iotedge/mgmt.sock` bound) restarts another with edge-client's
//! `ManagementClient`.

use std::path::Path;
use std::time::Duration;

use edge_sim::harness::{FAST, Logs, Module, agent_status, eventually, manifest, reported, sim};
use edge_sim::{Agent, Running, harness};
use serde_json::json;

const WAIT: Duration = Duration::from_secs(15);
const MODULE_BINARY: &str = env!("CARGO_BIN_EXE_edge-test-module");

/// A manifest module running `edge-test-module` with `cmd`.
fn module(cmd: &[&str]) -> Module {
    Module::new(MODULE_BINARY).args(cmd.iter().copied())
}

/// Deploys `modules` with fast restarts; waits are [`WAIT`] long.
async fn deploy(
    sim: &Running,
    dir: &Path,
    modules: impl IntoIterator<Item = (&str, Module)>,
) -> (Agent, Logs) {
    let (agent, mut logs) = harness::deploy(sim, dir, &manifest(modules), FAST).await;
    logs.patience = WAIT;
    (agent, logs)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_modules_share_a_volume_and_restart_module_restarts_one() {
    let dir = tempfile::tempdir().unwrap();
    let sim = sim(&dir.path().join("state")).await;
    let modules = [
        (
            "writer",
            module(&["write", "data/note.txt", "from the writer"])
                .startup_order(0)
                .binds(&["shared:/data"]),
        ),
        (
            "reader",
            module(&["read", "mnt/shared/note.txt"])
                .startup_order(1)
                .host_config(
                    "Mounts",
                    json!([{"Type": "volume", "Source": "shared", "Target": "/mnt/shared"}]),
                ),
        ),
    ];
    let (agent, mut logs) = deploy(&sim, dir.path(), modules).await;

    // Each module connected through the workload API and reported; the reader saw the file
    // the writer wrote into the shared volume.
    eventually(
        &mut logs,
        "writer reported",
        || reported(&sim, "writer"),
        |r| r["wrote"] == "from the writer" && r["starts"] == 1,
    )
    .await;
    eventually(
        &mut logs,
        "reader reported",
        || reported(&sim, "reader"),
        |r| r["read"] == "from the writer",
    )
    .await;
    let volume = sim.state_dir().join("volumes/shared/note.txt");
    assert_eq!(std::fs::read_to_string(volume).unwrap(), "from the writer");

    // The module answers methods; $edgeAgent restarts it and it connects again.
    let pong = sim
        .invoke_method("writer", "ping", json!(1), WAIT)
        .await
        .unwrap();
    assert_eq!((pong.status, pong.payload), (200, json!({"pong": 1})));
    let restart = sim
        .invoke_method(
            "$edgeAgent",
            "RestartModule",
            json!({"schemaVersion": "1.0", "id": "writer"}),
            WAIT,
        )
        .await
        .unwrap();
    assert_eq!(restart.status, 200, "{restart:?}");
    eventually(
        &mut logs,
        "writer restarted and reported again",
        || reported(&sim, "writer"),
        |r| r["starts"] == 2,
    )
    .await;
    let status = eventually(
        &mut logs,
        "$edgeAgent status of writer",
        || agent_status(&sim, "writer"),
        |s| s["restartCount"] == 1 && s["runtimeStatus"] == "running",
    )
    .await;
    assert!(status["lastRestartTimeUtc"].is_string(), "{status:#}");
    assert_eq!(
        reported(&sim, "reader")["starts"],
        1,
        "the reader was left alone"
    );
    agent.shutdown().await;
    assert_eq!(agent_status(&sim, "reader")["runtimeStatus"], "stopped");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_failing_module_is_restarted_per_its_policy_and_never_means_never() {
    let dir = tempfile::tempdir().unwrap();
    let sim = sim(&dir.path().join("state")).await;
    let modules = [
        (
            "flaky",
            module(&["crash", "3"]).restart_policy("on-failure"),
        ),
        ("once", module(&["crash", "4"]).restart_policy("never")),
        ("done", module(&["crash", "0"]).restart_policy("on-failure")),
    ];
    let (agent, mut logs) = deploy(&sim, dir.path(), modules).await;

    // on-failure: every start connects and reports before failing, and is started again.
    eventually(
        &mut logs,
        "flaky restarted",
        || reported(&sim, "flaky"),
        |r| r["starts"].as_u64() >= Some(3),
    )
    .await;
    let flaky = eventually(
        &mut logs,
        "$edgeAgent status of flaky",
        || agent_status(&sim, "flaky"),
        |s| s["restartCount"].as_u64() >= Some(2),
    )
    .await;
    assert_eq!(flaky["exitCode"], 3, "{flaky:#}");

    // never: one start, reported as failed with its exit code.
    let once = eventually(
        &mut logs,
        "$edgeAgent status of once",
        || agent_status(&sim, "once"),
        |s| s["runtimeStatus"] == "failed",
    )
    .await;
    assert_eq!(
        (once["exitCode"].clone(), once["restartCount"].clone()),
        (json!(4), json!(0))
    );
    // on-failure after a clean exit: stopped, not restarted.
    let done = eventually(
        &mut logs,
        "$edgeAgent status of done",
        || agent_status(&sim, "done"),
        |s| s["runtimeStatus"] == "stopped" && s["exitCode"] == 0,
    )
    .await;
    assert_eq!(done["restartCount"], 0, "{done:#}");
    // While flaky goes on being restarted, once and done stay at one start.
    let flaky_starts = reported(&sim, "flaky")["starts"].as_u64().unwrap();
    eventually(
        &mut logs,
        "flaky keeps being restarted",
        || reported(&sim, "flaky"),
        |r| r["starts"].as_u64() > Some(flaky_starts),
    )
    .await;
    assert_eq!(reported(&sim, "once")["starts"], 1);
    assert_eq!(reported(&sim, "done")["starts"], 1);
    let lines = logs.drain();
    assert_eq!(
        lines
            .iter()
            .filter(|l| *l == "once | crash start 1")
            .count(),
        1,
        "{lines:#?}"
    );
    agent.shutdown().await;
}

/// The bind a real deployment writes to give a module the management API.
const MGMT_BIND: &str = "/var/run/iotedge/mgmt.sock:/var/run/iotedge/mgmt.sock";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_module_given_the_management_api_restarts_another_and_one_without_cannot() {
    let dir = tempfile::tempdir().unwrap();
    let sim = sim(&dir.path().join("state")).await;
    let modules = [
        (
            "writer",
            module(&["write", "note.txt", "written"]).startup_order(0),
        ),
        (
            "restarter",
            module(&["restart", "writer"])
                .startup_order(1)
                .binds(&[MGMT_BIND]),
        ),
        ("lonely", module(&["restart", "writer"]).startup_order(2)),
    ];
    let (agent, mut logs) = deploy(&sim, dir.path(), modules).await;

    // The restarter connected, restarted the writer over its management socket and reported.
    eventually(
        &mut logs,
        "restarter reported",
        || reported(&sim, "restarter"),
        |r| r["restarted"] == "writer" && r["status"] == "ok",
    )
    .await;
    let counter = sim.state_dir().join("modules/writer/starts");
    eventually(
        &mut logs,
        "the writer's start counter",
        || json!(std::fs::read_to_string(&counter).unwrap_or_default()),
        |n| n == "2",
    )
    .await;
    eventually(
        &mut logs,
        "the restarted writer reported again",
        || reported(&sim, "writer"),
        |r| r["starts"] == 2 && r["wrote"] == "written",
    )
    .await;
    eventually(
        &mut logs,
        "$edgeAgent status of writer",
        || agent_status(&sim, "writer"),
        |s| s["restartCount"] == 1 && s["runtimeStatus"] == "running",
    )
    .await;

    // Without the bind there is no management API, and the module says so.
    let lonely = eventually(
        &mut logs,
        "lonely reported",
        || reported(&sim, "lonely"),
        |r| r["restarted"] == "writer" && r["status"].is_string(),
    )
    .await;
    let status = lonely["status"].as_str().unwrap();
    assert!(
        status.contains("management API is not available")
            && status.contains("IOTEDGE_MANAGEMENTURI"),
        "{status}"
    );
    assert_eq!(
        std::fs::read_to_string(&counter).unwrap(),
        "2",
        "the writer was restarted once"
    );
    assert_eq!(reported(&sim, "restarter")["starts"], 1);
    agent.shutdown().await;
}
