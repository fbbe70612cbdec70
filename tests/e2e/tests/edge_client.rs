//! `edge-client` against an in-process `edge-sim`: the three connection modes, desired-state
//! delivery and reconciliation, reported patches, retries, methods, reconnects and token
//! renewal. Ephemeral ports and temp directories only; everything on loopback.

// Test helpers outside `#[test]` functions: failing loudly is what a test wants.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::BTreeMap;
use std::time::Duration;

use edge_client::{
    Backoff, ClientOptions, ConnectionState, DesiredStream, DesiredUpdate, MethodReply,
    ModuleClient, ReportedError, RetryPolicy,
};
use edge_sim::{Config, EdgeSim, Running};
use hub_proto::{MethodName, ModuleId};
use serde_json::{Value, json};
use tokio_util::sync::CancellationToken;

const MODULE: &str = "opcplc";
const WAIT: Duration = Duration::from_secs(15);

struct Sim {
    running: Running,
    _dir: tempfile::TempDir,
}

async fn sim() -> Sim {
    let dir = tempfile::tempdir().unwrap();
    let config = Config::new(dir.path().join("state"))
        .ephemeral()
        .with_modules([MODULE]);
    let running = EdgeSim::start(config, CancellationToken::new())
        .await
        .unwrap();
    Sim { running, _dir: dir }
}

/// The `IOTEDGE_*` environment of the module (its workload socket listens once
/// `EdgeSim::start` returned).
fn edge_env(sim: &Sim) -> BTreeMap<String, String> {
    sim.running.edge_env(MODULE).unwrap()
}

fn options(sim: &Sim) -> ClientOptions {
    options_for_port(sim.running.mqtt_port())
}

fn options_for_port(port: u16) -> ClientOptions {
    ClientOptions {
        port,
        reconnect: Backoff::new(Duration::from_millis(20), Duration::from_millis(200)),
        retry: RetryPolicy {
            backoff: Backoff::new(Duration::from_millis(20), Duration::from_millis(200)),
            max_attempts: 4,
            response_timeout: Duration::from_secs(5),
        },
        ..ClientOptions::default()
    }
}

fn client(sim: &Sim) -> ModuleClient {
    let cs = sim.running.module_connection_string(MODULE).unwrap();
    ModuleClient::from_connection_string(&cs, sim.running.ca_pem(), options(sim)).unwrap()
}

async fn next(stream: &mut DesiredStream) -> DesiredUpdate {
    tokio::time::timeout(WAIT, stream.recv())
        .await
        .expect("a desired update in time")
        .expect("the stream is open")
}

/// Waits until the client reports connection number `n` or later.
async fn connected(client: &ModuleClient, n: u64) {
    let mut watch = client.watch_connection();
    tokio::time::timeout(
        WAIT,
        watch.wait_for(
            |s| matches!(s, ConnectionState::Connected { connection } if *connection >= n),
        ),
    )
    .await
    .expect("connected in time")
    .expect("the client is running");
}

fn module_id() -> ModuleId {
    ModuleId::new(MODULE).unwrap()
}

#[tokio::test]
async fn client_connects_with_a_module_connection_string_and_gets_the_full_desired_state() {
    let sim = sim().await;
    sim.running
        .patch_desired(MODULE, json!({"pki": {"a": 1}}))
        .unwrap();
    let client = client(&sim);
    let mut desired = client.desired_stream();
    let first = next(&mut desired).await;
    assert!(first.full);
    assert_eq!(first.document["pki"], json!({"a": 1}));
    let twin = client.get_twin().await.unwrap();
    assert_eq!(twin.desired["pki"], json!({"a": 1}));
    client.shutdown().await;
}

#[tokio::test]
async fn client_connects_from_the_iotedge_environment_through_the_workload_api() {
    let sim = sim().await;
    let env = edge_env(&sim);
    let client = ModuleClient::from_environment(|k| env.get(k).cloned(), options(&sim))
        .await
        .unwrap();
    connected(&client, 1).await;
    client
        .update_reported(json!({"mode": "workload"}))
        .await
        .unwrap();
    assert_eq!(
        sim.running
            .twin(MODULE)
            .unwrap()
            .module_properties()
            .reported["mode"],
        json!("workload")
    );
    client.shutdown().await;
}

#[tokio::test]
async fn client_connects_from_edge_hub_connection_string_and_ca_file() {
    let sim = sim().await;
    let env: BTreeMap<&str, String> = [
        (
            "EdgeHubConnectionString",
            sim.running.module_connection_string(MODULE).unwrap(),
        ),
        (
            "EdgeModuleCACertificateFile",
            sim.running.ca_path().display().to_string(),
        ),
    ]
    .into_iter()
    .collect();
    let client = ModuleClient::from_environment(|k| env.get(k).cloned(), options(&sim))
        .await
        .unwrap();
    connected(&client, 1).await;
    client
        .update_reported(json!({"mode": "iotedgehubdev"}))
        .await
        .unwrap();
    client.shutdown().await;
}

#[tokio::test]
async fn desired_patch_is_delivered_as_a_patch_with_the_merged_document() {
    let sim = sim().await;
    let client = client(&sim);
    let mut desired = client.desired_stream();
    let first = next(&mut desired).await;
    sim.running
        .patch_desired(MODULE, json!({"pki": {"b": 2}}))
        .unwrap();
    let update = next(&mut desired).await;
    assert!(!update.full);
    assert!(update.version > first.version);
    assert_eq!(update.patch.unwrap()["pki"], json!({"b": 2}));
    assert_eq!(update.document["pki"], json!({"b": 2}));
    client.shutdown().await;
}

#[tokio::test]
async fn desired_stream_is_a_futures_stream() {
    use futures_util::StreamExt as _;

    let sim = sim().await;
    sim.running.patch_desired(MODULE, json!({"s": 1})).unwrap();
    let client = client(&sim);
    let mut desired = client.desired_stream();
    let first = tokio::time::timeout(WAIT, desired.next())
        .await
        .expect("the full document in time")
        .expect("the stream is open");
    assert!(first.full);
    sim.running.patch_desired(MODULE, json!({"s": 2})).unwrap();
    let mut patches = desired.filter(|u| std::future::ready(!u.full));
    let patch = tokio::time::timeout(WAIT, patches.next())
        .await
        .expect("the patch in time")
        .expect("the stream is open");
    assert_eq!(patch.document["s"], json!(2));
    client.shutdown().await;
    assert!(
        tokio::time::timeout(WAIT, patches.next())
            .await
            .unwrap()
            .is_none(),
        "the stream ends with the client"
    );
}

#[tokio::test]
async fn changes_made_while_offline_arrive_as_full_state_on_reconnect() {
    let sim = sim().await;
    sim.running
        .patch_desired(MODULE, json!({"keep": 1, "gone": 2}))
        .unwrap();
    let client = client(&sim);
    let mut desired = client.desired_stream();
    assert!(next(&mut desired).await.document.contains_key("gone"));

    // Offline: the hub drops the module and refuses it for a while; the twin changes meanwhile.
    sim.running
        .faults()
        .refuse_connects_for(Duration::from_millis(800));
    let mut watch = client.watch_connection();
    assert!(sim.running.faults().drop_connection(&module_id()));
    tokio::time::timeout(
        WAIT,
        watch.wait_for(|s| !matches!(s, ConnectionState::Connected { .. })),
    )
    .await
    .expect("the client notices the drop")
    .unwrap();
    sim.running
        .patch_desired(MODULE, json!({"gone": null, "added": 3}))
        .unwrap();

    let update = next(&mut desired).await;
    assert!(
        update.full,
        "offline patches are lost; the full document replaces them"
    );
    assert_eq!(update.document["keep"], json!(1));
    assert_eq!(update.document["added"], json!(3));
    assert!(
        !update.document.contains_key("gone"),
        "a key deleted offline is absent"
    );
    client.shutdown().await;
}

#[tokio::test]
async fn reported_patch_is_acknowledged_and_a_refused_one_carries_edge_hubs_reason() {
    let sim = sim().await;
    let cs = sim.running.module_connection_string(MODULE).unwrap();
    let client = ModuleClient::from_connection_string(
        &cs,
        sim.running.ca_pem(),
        ClientOptions {
            validate_reported: false,
            ..options(&sim)
        },
    )
    .unwrap();
    client
        .update_reported(json!({"pki": {"status": "applied"}}))
        .await
        .unwrap();
    assert_eq!(
        sim.running
            .twin(MODULE)
            .unwrap()
            .module_properties()
            .reported["pki"],
        json!({"status": "applied"})
    );
    let err = client
        .update_reported(json!({"opcplc.der": "x"}))
        .await
        .unwrap_err();
    let ReportedError::Refused { status, reason } = &err else {
        panic!("{err:?}");
    };
    assert_eq!(*status, 400);
    assert!(reason.contains("opcplc.der"), "{reason}");
    client.shutdown().await;
}

#[tokio::test]
async fn throttled_and_failed_twin_operations_are_retried() {
    let sim = sim().await;
    let client = client(&sim);
    let mut desired = client.desired_stream();
    next(&mut desired).await;
    sim.running.faults().fail_next_twin_operations(2, 429);
    client
        .update_reported(json!({"after": "throttling"}))
        .await
        .unwrap();
    sim.running.faults().fail_next_twin_operations(2, 500);
    let twin = client.get_twin().await.unwrap();
    assert_eq!(twin.reported["after"], json!("throttling"));
    // More failures than attempts: the error says so instead of hanging.
    sim.running.faults().fail_next_twin_operations(10, 503);
    let err = client.update_reported(json!({"x": 1})).await.unwrap_err();
    assert!(
        matches!(err, ReportedError::RetriesExhausted { attempts: 4, .. }),
        "{err:?}"
    );
    sim.running.faults().clear();
    client.shutdown().await;
}

#[tokio::test]
async fn direct_method_round_trips_and_unknown_methods_get_404() {
    let sim = sim().await;
    let client = client(&sim);
    client.on_method(MethodName::new("reset").unwrap(), |call| async move {
        MethodReply::ok(json!({"echo": call.payload}))
    });
    // The full document comes after the SUBSCRIBEs were answered on the same connection.
    next(&mut client.desired_stream()).await;
    let response = sim
        .running
        .invoke_method(
            MODULE,
            "reset",
            json!({"hard": true}),
            Duration::from_secs(5),
        )
        .await
        .unwrap();
    assert_eq!(response.status, 200);
    assert_eq!(response.payload, json!({"echo": {"hard": true}}));
    let response = sim
        .running
        .invoke_method(MODULE, "nope", Value::Null, Duration::from_secs(5))
        .await
        .unwrap();
    assert_eq!(response.status, 404);
    client.shutdown().await;
}

#[tokio::test]
async fn client_reconnects_after_the_hub_drops_it_and_subscriptions_still_work() {
    let sim = sim().await;
    let client = client(&sim);
    client.on_any_method(|call| async move { MethodReply::ok(json!(call.name.as_str())) });
    let mut desired = client.desired_stream();
    next(&mut desired).await;

    assert!(sim.running.faults().drop_connection(&module_id()));
    connected(&client, 2).await;
    let full = next(&mut desired).await;
    assert!(full.full, "a reconnect yields the full document again");

    sim.running
        .patch_desired(MODULE, json!({"after": "drop"}))
        .unwrap();
    let update = next(&mut desired).await;
    assert_eq!(update.document["after"], json!("drop"));
    let response = sim
        .running
        .invoke_method(MODULE, "ping", Value::Null, Duration::from_secs(5))
        .await
        .unwrap();
    assert_eq!((response.status, response.payload), (200, json!("ping")));
    client.shutdown().await;
}

#[tokio::test]
async fn short_lived_sas_tokens_are_renewed_and_the_connection_keeps_working() {
    let sim = sim().await;
    let env = edge_env(&sim);
    let client = ModuleClient::from_environment(
        |k| env.get(k).cloned(),
        ClientOptions {
            sas_ttl: Duration::from_secs(2),
            ..options(&sim)
        },
    )
    .await
    .unwrap();
    let mut desired = client.desired_stream();
    next(&mut desired).await;
    // Renewed at 80 % of 2 s: two renewals mean two reconnects with fresh tokens, each after
    // a clean MQTT DISCONNECT.
    connected(&client, 3).await;
    assert!(
        sim.running.clean_disconnects(MODULE) >= 2,
        "renewal closes with DISCONNECT: {}",
        sim.running.clean_disconnects(MODULE)
    );
    client
        .update_reported(json!({"renewed": true}))
        .await
        .unwrap();
    sim.running
        .patch_desired(MODULE, json!({"after": "renewal"}))
        .unwrap();
    loop {
        let update = next(&mut desired).await;
        if update.document.get("after") == Some(&json!("renewal")) {
            break;
        }
    }
    client.shutdown().await;
}

#[tokio::test]
async fn client_reconnects_after_the_hub_restarts_and_sees_changes_made_meanwhile() {
    let dir = tempfile::tempdir().unwrap();
    let state = dir.path().join("state");
    let first = EdgeSim::start(
        Config::new(&state).ephemeral().with_modules([MODULE]),
        CancellationToken::new(),
    )
    .await
    .unwrap();
    let port = first.mqtt_port();
    first.patch_desired(MODULE, json!({"before": 1})).unwrap();
    let client = ModuleClient::from_connection_string(
        &first.module_connection_string(MODULE).unwrap(),
        first.ca_pem(),
        options_for_port(port),
    )
    .unwrap();
    client.on_any_method(|call| async move { MethodReply::ok(json!(call.name.as_str())) });
    let mut desired = client.desired_stream();
    assert_eq!(next(&mut desired).await.document["before"], json!(1));
    connected(&client, 1).await;

    // The hub goes down (its state is saved) and comes back on the same port and state dir.
    let mut watch = client.watch_connection();
    first.shutdown().await;
    tokio::time::timeout(
        WAIT,
        watch.wait_for(|s| !matches!(s, ConnectionState::Connected { .. })),
    )
    .await
    .expect("the client notices the hub going away")
    .unwrap();
    let mut config = Config::new(&state).ephemeral().with_modules([MODULE]);
    config.mqtt_port = port;
    let second = EdgeSim::start(config, CancellationToken::new())
        .await
        .unwrap();
    second.patch_desired(MODULE, json!({"after": 2})).unwrap();

    // Same credentials and CA (persisted): the client reconnects, and the full desired state
    // from the persisted twin includes the change made after the restart.
    let update = tokio::time::timeout(WAIT, async {
        loop {
            let update = next(&mut desired).await;
            if update.document.contains_key("after") {
                break update;
            }
        }
    })
    .await
    .expect("the change made around the restart arrives");
    assert_eq!(
        update.document["before"],
        json!(1),
        "the twin survived the restart"
    );
    assert_eq!(update.document["after"], json!(2));

    // Subscriptions are back after the restart: a direct method reaches the client.
    let response = second
        .invoke_method(MODULE, "ping", Value::Null, Duration::from_secs(5))
        .await
        .unwrap();
    assert_eq!((response.status, response.payload), (200, json!("ping")));
    client.shutdown().await;
    second.shutdown().await;
}
