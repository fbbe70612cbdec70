//! Desired patches through forced edgeHub disconnects (issue #12, R3): cert-agent on edge-sim
//! receives a stream of desired patches through IoT Hub's service API while edge-sim drops its
//! MQTT connection now and then without a DISCONNECT (`Faults::drop_connection`, what an
//! edgeHub restart or a network drop does); the agent reconnects by itself.
//!
//! What "applied" means here: every patch replaces the certificate the twin names `peer` in the
//! store's trusted list, alternating between two certificates, so the document of every version
//! differs from the one before and applying it writes the store; the agent then logs
//! `Store 'app': Applied the desired PKI of twin version <v>: trust lists updated.` once per
//! version it applied (a document it applied already writes nothing and logs nothing), and
//! reports `stores.app.desiredVersion = <v>`. Each patch is sent only after the agent reported
//! the previous version, so every version is one the agent must apply: whether its
//! notification arrived, was lost with a dropped connection (the full document after the
//! reconnect then carries it) or was resent when the session resumed.
//!
//! Asserted: the applied versions, read from the log lines, are exactly the patched versions in
//! order, each once (none skipped, none applied twice, never an older one after a newer one);
//! every forced disconnect found a connection to drop and the agent reconnected after each; the
//! final report is the final desired document (version, status, the thumbprint of `peer`).
//!
//! The suite runs 100 patches with 10 disconnects; `R3_PATCHES=500 R3_DISCONNECTS=50` (or
//! `scripts/disconnects`) runs the full campaign.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::too_many_lines)]

mod common;

use std::time::Duration;

use common::{b64, cert_agent_module, deploy, stores};
use edge_sim::harness::{eventually, manifest, sim};
use hub_proto::ModuleId;
use hub_service::{ServiceClient, TlsTrust};
use serde_json::{Value, json};
use test_support::{Ca, LeafSpec};

const MODULE: &str = "certagent";
const APPLIED: &str = "Store 'app': Applied the desired PKI of twin version ";

fn env_count(name: &str, default: u64) -> u64 {
    std::env::var(name).map_or(default, |v| {
        v.parse()
            .unwrap_or_else(|_| panic!("{name}={v:?} is not a count"))
    })
}

/// The versions of the agent's `Applied … twin version <v>` lines, in log order.
fn applied_versions(lines: &[String]) -> Vec<u64> {
    lines
        .iter()
        .filter(|l| l.starts_with(&format!("{MODULE} | ")))
        .filter_map(|l| {
            let rest = &l[l.find(APPLIED)? + APPLIED.len()..];
            let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
            digits.parse().ok()
        })
        .collect()
}

#[test]
fn applied_versions_are_read_from_the_agents_lines_only() {
    let lines = [
        format!("{MODULE} | 2026-12-06 [INF] {APPLIED}7: trust lists updated."),
        format!("other | {APPLIED}8: trust lists updated."),
        format!("{MODULE} | {APPLIED}9."),
    ];
    assert_eq!(applied_versions(&lines), [7, 9]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn desired_patches_through_forced_disconnects_are_each_applied_once_in_order() {
    let patches = env_count("R3_PATCHES", 100);
    let disconnects = env_count("R3_DISCONNECTS", 10);
    assert!(
        disconnects > 0 && disconnects <= patches,
        "R3_DISCONNECTS must be 1..=R3_PATCHES"
    );
    let dir = tempfile::tempdir().unwrap();
    let sim = sim(&dir.path().join("state")).await;
    let deployment = manifest([(MODULE, cert_agent_module())]);
    let (_agent, mut logs) = deploy(&sim, dir.path(), &deployment).await;
    let service = ServiceClient::from_connection_string(
        &sim.service_connection_string(),
        TlsTrust::CaPem(sim.ca_pem().to_owned()),
    )
    .unwrap();
    let device = sim.device_id();
    let module = ModuleId::new(MODULE).unwrap();
    let faults = sim.faults();

    let ca = Ca::root("R3 CA");
    let peers = [
        ca.leaf(LeafSpec::client("peer-a", "urn:r3:peer-a")),
        ca.leaf(LeafSpec::client("peer-b", "urn:r3:peer-b")),
    ];
    let patch = |i: u64| {
        let peer = &peers[usize::from(i % 2 == 1)];
        json!({ "stores": { "app": { "trusted": { "peer": b64(&peer.der()) } } } })
    };
    let reported_version = |s: &Value| s["app"]["desiredVersion"].as_u64();

    let mut expected = Vec::new();
    let mut dropped = 0;
    let every = patches / disconnects;
    let started = std::time::Instant::now();
    for i in 1..=patches {
        let twin = service
            .update_module_desired(&device, MODULE, &patch(i))
            .await
            .unwrap_or_else(|e| panic!("patch {i}: {e}"));
        let version = twin.properties.desired["$version"]
            .as_u64()
            .expect("the desired $version");
        expected.push(version);
        // A forced disconnect every `every` patches, racing the patch's delivery, the agent's
        // store transaction or its report: right away, or a few milliseconds later.
        if i % every == 0 && dropped < disconnects {
            tokio::time::sleep(Duration::from_millis(i % 7)).await;
            assert!(
                faults.drop_connection(&module),
                "patch {i}: the agent had no connection to drop"
            );
            dropped += 1;
        }
        let what = format!("the agent reports desired version {version} (patch {i})");
        stores(&sim, &mut logs, &what, |s| {
            reported_version(s).is_some_and(|v| v >= version)
        })
        .await;
    }
    let elapsed = started.elapsed();

    // The final report is the final desired document.
    let last = *expected.last().unwrap();
    let final_peer = &peers[usize::from(patches % 2 == 1)];
    let reported = stores(&sim, &mut logs, "the final report", |s| {
        reported_version(s) == Some(last)
    })
    .await;
    assert_eq!(reported["app"]["status"], "applied", "{reported:#}");
    assert_eq!(
        reported["app"]["trusted"]["peer"]["thumbprint"],
        final_peer.thumbprint(),
        "{reported:#}"
    );
    let desired = service.get_module_twin(&device, MODULE).await.unwrap();
    assert_eq!(desired.properties.desired["$version"], json!(last));

    // Every version applied exactly once, in order; the agent came back after every drop.
    let lines = logs.drain().to_vec();
    let applied = applied_versions(&lines);
    assert_eq!(dropped, disconnects);
    assert_eq!(
        applied,
        expected,
        "applied versions differ from the patched ones (missing: {:?}, twice: {:?})",
        expected
            .iter()
            .filter(|v| !applied.contains(v))
            .collect::<Vec<_>>(),
        applied
            .iter()
            .enumerate()
            .filter(|(i, v)| applied[..*i].contains(v))
            .map(|(_, v)| v)
            .collect::<Vec<_>>()
    );
    eventually(
        &mut logs,
        "the agent connected again after the last drop",
        || json!(faults.is_connected(&module)),
        |c| c == &json!(true),
    )
    .await;
    assert!(
        faults.connects(&module) > dropped,
        "{} connections for {dropped} drops",
        faults.connects(&module)
    );
    eprintln!(
        "{patches} patches, {dropped} forced disconnects, {} connections, every version applied once, in {elapsed:.1?}",
        faults.connects(&module)
    );
}
