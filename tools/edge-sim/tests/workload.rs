//! The per-module workload API over its unix socket.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // Test helpers fail loudly.

mod common;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use common::{start, uds};
use hub_proto::ConnectionString;
use openssl::x509::X509;
use serde_json::{Value, json};

/// The module's workload socket: `EdgeSim::start` returns once it listens.
fn socket_of(sim: &edge_sim::Running, module: &str) -> std::path::PathBuf {
    let socket = sim.workload_socket(module).unwrap();
    assert!(
        std::os::unix::fs::FileTypeExt::is_socket(&std::fs::metadata(&socket).unwrap().file_type()),
        "{} is not listening when start returned",
        socket.display()
    );
    socket
}

fn genid(sim: &edge_sim::Running, module: &str) -> String {
    sim.edge_env(module).unwrap()["IOTEDGE_MODULEGENERATIONID"].clone()
}

#[tokio::test]
async fn trust_bundle_is_the_dev_ca_for_old_and_new_api_versions() {
    let sim = start(&["m1"]).await;
    let socket = socket_of(&sim.running, "m1");
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
    let socket = socket_of(&sim.running, "m1");
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
    let socket = socket_of(&sim.running, "m1");
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
    let socket = socket_of(&sim.running, "m1");
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

#[tokio::test]
async fn a_module_added_later_has_a_listening_socket_when_add_module_returns() {
    let sim = start(&[]).await;
    sim.running.add_module("late").unwrap();
    let socket = socket_of(&sim.running, "late");
    let (status, body) = uds(&socket, "GET", "/trust-bundle?api-version=2022-08-03", "").await;
    assert_eq!(status, 200, "{body}");
}

#[tokio::test]
async fn encrypted_data_decrypts_only_for_the_same_module_and_initialization_vector() {
    let sim = start(&["m1", "m2"]).await;
    let (s1, s2) = (socket_of(&sim.running, "m1"), socket_of(&sim.running, "m2"));
    let (g1, g2) = (genid(&sim.running, "m1"), genid(&sim.running, "m2"));
    let secret = BASE64.encode(b"module secret");
    let iv = BASE64.encode(b"iv-one");
    let encrypt = json!({"plaintext": secret, "initializationVector": iv}).to_string();
    let (status, text) = uds(
        &s1,
        "POST",
        &format!("/modules/m1/genid/{g1}/encrypt?api-version=2018-06-28"),
        &encrypt,
    )
    .await;
    assert_eq!(status, 200, "{text}");
    let ciphertext = serde_json::from_str::<Value>(&text).unwrap()["ciphertext"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_ne!(BASE64.decode(&ciphertext).unwrap(), b"module secret");
    let decrypt = |iv: &str| {
        json!({"ciphertext": ciphertext, "initializationVector": BASE64.encode(iv)}).to_string()
    };
    let target1 = format!("/modules/m1/genid/{g1}/decrypt?api-version=2022-08-03");
    let (status, text) = uds(&s1, "POST", &target1, &decrypt("iv-one")).await;
    assert_eq!(status, 200, "{text}");
    assert_eq!(
        serde_json::from_str::<Value>(&text).unwrap()["plaintext"],
        secret
    );
    // Another initialization vector, or another module's key, does not decrypt.
    let (status, text) = uds(&s1, "POST", &target1, &decrypt("iv-two")).await;
    assert_eq!(status, 400, "{text}");
    assert!(text.contains("cannot be decrypted"), "{text}");
    let target2 = format!("/modules/m2/genid/{g2}/decrypt?api-version=2022-08-03");
    let (status, _) = uds(&s2, "POST", &target2, &decrypt("iv-one")).await;
    assert_eq!(status, 400);
    // m2 cannot use m1's route on its socket, and bad input is a clear 400.
    let (status, _) = uds(&s2, "POST", &target1, &decrypt("iv-one")).await;
    assert_eq!(status, 403);
    let (status, text) = uds(
        &s1,
        "POST",
        &target1,
        r#"{"ciphertext": "%%", "initializationVector": ""}"#,
    )
    .await;
    assert_eq!(status, 400);
    assert!(text.contains("ciphertext is not base64"), "{text}");
}

#[tokio::test]
async fn module_list_is_empty_without_a_deployment() {
    let sim = start(&["m1"]).await;
    let socket = socket_of(&sim.running, "m1");
    let (status, text) = uds(&socket, "GET", "/modules?api-version=2022-08-03", "").await;
    assert_eq!(status, 200, "{text}");
    assert_eq!(
        serde_json::from_str::<Value>(&text).unwrap(),
        json!({"modules": []})
    );
}
