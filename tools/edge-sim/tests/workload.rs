//! The per-module workload API over its unix socket.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // Test helpers fail loudly.

mod common;

use std::time::Duration;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use common::{start, uds};
use hub_proto::ConnectionString;
use openssl::x509::X509;
use serde_json::{Value, json};

async fn socket_of(sim: &edge_sim::Running, module: &str) -> std::path::PathBuf {
    let socket = sim.workload_socket(module).unwrap();
    for _ in 0..100 {
        if socket.exists() {
            return socket;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    panic!("workload socket {} never appeared", socket.display());
}

fn genid(sim: &edge_sim::Running, module: &str) -> String {
    sim.edge_env(module).unwrap()["IOTEDGE_MODULEGENERATIONID"].clone()
}

#[tokio::test]
async fn trust_bundle_is_the_dev_ca_for_old_and_new_api_versions() {
    let sim = start(&["m1"]).await;
    let socket = socket_of(&sim.running, "m1").await;
    for version in ["2018-06-28", "2022-08-03"] {
        let (status, text) = uds(
            &socket,
            "GET",
            &format!("/trust-bundle?api-version={version}"),
            "",
        )
        .await;
        assert_eq!(status, 200);
        let bundle: Value = serde_json::from_str(&text).unwrap();
        assert_eq!(bundle["certificate"], sim.running.ca_pem());
    }
    let (status, text) = uds(&socket, "GET", "/trust-bundle?api-version=2017-11-11", "").await;
    assert_eq!(status, 400);
    assert!(serde_json::from_str::<Value>(&text).unwrap()["message"].is_string());
}

#[tokio::test]
async fn sign_returns_the_hmac_under_the_module_key() {
    let sim = start(&["m1"]).await;
    let socket = socket_of(&sim.running, "m1").await;
    let data = b"hub%2Fdevices%2Fedge-sim%2Fmodules%2Fm1\n1795823214";
    // Like the Python SDK: no Content-Type, keyId and algo present.
    let request = json!({"keyId": "primary", "algo": "HMACSHA256", "data": BASE64.encode(data)});
    let target = format!(
        "/modules/m1/genid/{}/sign?api-version=2022-08-03",
        genid(&sim.running, "m1")
    );
    let (status, text) = uds(&socket, "POST", &target, &request.to_string()).await;
    assert_eq!(status, 200, "{text}");
    let cs = ConnectionString::parse(&sim.running.module_connection_string("m1").unwrap()).unwrap();
    let digest: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(digest["digest"], cs.shared_access_key().sign(data));
}

#[tokio::test]
async fn sign_with_a_stale_generation_id_or_for_another_module_is_refused() {
    let sim = start(&["m1", "m2"]).await;
    let socket = socket_of(&sim.running, "m1").await;
    let request = json!({"data": "aGk="}).to_string();
    let (status, _) = uds(
        &socket,
        "POST",
        "/modules/m1/genid/1/sign?api-version=2022-08-03",
        &request,
    )
    .await;
    assert_eq!(status, 400);
    let target = format!(
        "/modules/m2/genid/{}/sign?api-version=2022-08-03",
        genid(&sim.running, "m2")
    );
    let (status, _) = uds(&socket, "POST", &target, &request).await;
    assert_eq!(status, 403);
}

#[tokio::test]
async fn server_certificate_is_issued_by_the_dev_ca_with_both_names() {
    let sim = start(&["m1"]).await;
    let socket = socket_of(&sim.running, "m1").await;
    let target = format!(
        "/modules/m1/genid/{}/certificate/server?api-version=2022-08-03",
        genid(&sim.running, "m1")
    );
    let (status, text) = uds(&socket, "POST", &target, r#"{"commonName": "opcplc-host"}"#).await;
    assert_eq!(status, 201, "{text}");
    let response: hub_proto::workload::CertificateResponse = serde_json::from_str(&text).unwrap();
    let chain = X509::stack_from_pem(response.certificate.as_bytes()).unwrap();
    let ca = X509::from_pem(sim.running.ca_pem().as_bytes()).unwrap();
    assert!(chain[0].verify(&ca.public_key().unwrap()).unwrap());
    let names: Vec<String> = chain[0]
        .subject_alt_names()
        .unwrap()
        .iter()
        .filter_map(|n| n.dnsname().map(str::to_owned))
        .collect();
    assert_eq!(names, ["opcplc-host", "m1"]);
    assert!(response.private_key.bytes.contains("BEGIN PRIVATE KEY"));
}
