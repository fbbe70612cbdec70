//! Push management and the module twin on one PLC (ADR 0017): the PLC runs on the simulated IoT
//! Edge runtime with its twin driving the store, and asyncua pushes to it
//! (`tests/python/push_client.py`). What push installs shows up in the reported `pki` within
//! about a second (the twin driver's store watch); what the twin installed cannot be removed by
//! push (`BadRequestNotAllowed`), neither by `RemoveCertificate` nor by a written trust list
//! that leaves it out, and the store stays as it was.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::too_many_lines,
    missing_docs
)]

mod common;
#[path = "common/push.rs"]
mod push_common;

use std::path::Path;
use std::time::{Duration, Instant};

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use edge_sim::{Config, EdgeSim, Running};
use push_common::{ClientFiles, PUSH_USERS, Peer, Plc, run};
use serde_json::{Value, json};
use test_support::{Ca, TestStore};
use tokio_util::sync::CancellationToken;

const MODULE: &str = "opcplc";
const PATIENCE: Duration = Duration::from_secs(30);
const CLIENT_URI: &str = "urn:asyncua:twin-push:client";

/// The PLC on `store` with its module twin on `sim` (and the push tests' administrator).
fn spawn_plc(store: &Path, sim: &Running) -> Plc {
    let ca_file = store.join("edge-ca.pem");
    std::fs::write(&ca_file, sim.ca_pem()).unwrap();
    let connection = sim.module_connection_string(MODULE).unwrap();
    let mqtt_port = sim.mqtt_port().to_string();
    Plc::start_with(store, &PUSH_USERS, |command| {
        command
            .env("EdgeHubConnectionString", connection)
            .env("EdgeModuleCACertificateFile", &ca_file)
            .env("EDGE_SIM_MQTT_PORT", mqtt_port);
    })
}

/// The reported `pki` once it satisfies `done`, and when it first did.
async fn reported_pki(sim: &Running, plc: &Plc, done: impl Fn(&Value) -> bool) -> (Value, Instant) {
    let deadline = Instant::now() + PATIENCE;
    loop {
        let pki = sim
            .twin(MODULE)
            .unwrap()
            .module_properties()
            .reported
            .get("pki")
            .cloned()
            .unwrap_or(Value::Null);
        if done(&pki) {
            return (pki, Instant::now());
        }
        assert!(
            Instant::now() < deadline,
            "reported pki never matched; last: {pki:#}\nPLC output:\n{}",
            plc.text()
        );
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
}

/// asyncua's push client as the administrator over `SignAndEncrypt`, running `actions`; the
/// actions' results.
fn push(plc: &Plc, client: &ClientFiles, actions: &[Value]) -> Vec<Value> {
    let output = run(plc, Peer::Asyncua, &[client.admin(actions)]);
    let attempt = &output.attempts[0];
    assert_eq!(attempt["connected"], true, "{attempt:#}");
    attempt["actions"].as_array().unwrap().clone()
}

fn b64(der: &[u8]) -> String {
    STANDARD.encode(der)
}

fn status(action: &Value) -> &str {
    action["status"].as_str().unwrap_or_default()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn push_changes_reach_the_twin_and_twin_entries_stay_the_twins() {
    let sim_dir = tempfile::tempdir().unwrap();
    let config = Config::new(sim_dir.path().join("edge-sim"))
        .ephemeral()
        .with_modules([MODULE]);
    let sim = EdgeSim::start(config, CancellationToken::new())
        .await
        .unwrap();
    let client = ClientFiles::self_signed("TwinPushClient", CLIENT_URI);
    let dir = TestStore::new().with_trusted(&client.issued.cert);
    let plc = spawn_plc(dir.path(), &sim);

    // The twin installs a vendor CA (its entry, recorded as `trusted.vendorCa`).
    let vendor = Ca::root("Vendor CA");
    sim.patch_desired(
        MODULE,
        json!({ "pki": { "trusted": { "vendorCa": b64(&vendor.der()) } } }),
    )
    .unwrap();
    let vendor_thumbprint = vendor.thumbprint();
    reported_pki(&sim, &plc, |p| {
        p["status"] == "applied" && p["trusted"]["vendorCa"]["thumbprint"] == vendor_thumbprint
    })
    .await;

    // A GDS adds its CA to the issuer list by push: the twin reports it under its thumbprint.
    let gds = Ca::root("GDS CA");
    let gds_thumbprint = gds.thumbprint();
    let actions = push(
        &plc,
        &client,
        &[
            json!({ "add_certificate": { "certificate": b64(&gds.der()), "trusted": false } }),
            json!({ "apply_changes": {} }),
        ],
    );
    let applied_at = Instant::now();
    assert!(actions.iter().all(|a| status(a) == "Good"), "{actions:#?}");
    let (pki, seen_at) = reported_pki(&sim, &plc, |p| {
        p["issuers"][gds_thumbprint.as_str()]["thumbprint"] == gds_thumbprint
    })
    .await;
    eprintln!(
        "the push reached the reported pki {} ms after ApplyChanges returned",
        seen_at.duration_since(applied_at).as_millis()
    );
    assert_eq!(pki["trusted"]["vendorCa"]["thumbprint"], vendor_thumbprint);

    // Push cannot remove the twin's entry, neither directly nor by a trust list without it.
    let store = dir.path().to_path_buf();
    let before = test_support::snapshot(&store);
    let actions = push(
        &plc,
        &client,
        &[
            json!({ "remove_certificate": { "thumbprint": vendor_thumbprint, "trusted": true } }),
            json!({ "write_trust_list": {
                "specified_lists": 1,
                "trusted_certificates": [b64(&client.issued.cert.to_der().unwrap())],
                "trusted_crls": [], "issuer_certificates": [], "issuer_crls": [],
            } }),
            json!({ "apply_changes": {} }),
        ],
    );
    assert_eq!(status(&actions[0]), "BadRequestNotAllowed", "{actions:#?}");
    assert_eq!(status(&actions[1]), "BadRequestNotAllowed", "{actions:#?}");
    assert_eq!(status(&actions[2]), "Good", "nothing staged: {actions:#?}");
    assert_eq!(
        test_support::snapshot(&store),
        before,
        "a refused push changed the store"
    );
    assert!(
        plc.text().contains("trusted.vendorCa"),
        "the refusal names the twin's entry:\n{}",
        plc.text()
    );

    // But the entry push installed can go again, by push.
    let actions = push(
        &plc,
        &client,
        &[
            json!({ "remove_certificate": { "thumbprint": gds_thumbprint, "trusted": false } }),
            json!({ "apply_changes": {} }),
        ],
    );
    assert!(actions.iter().all(|a| status(a) == "Good"), "{actions:#?}");
    reported_pki(&sim, &plc, |p| {
        p["issuers"].get(gds_thumbprint.as_str()).is_none()
            && p["trusted"]["vendorCa"]["thumbprint"] == vendor_thumbprint
    })
    .await;
}
