//! The `opc-client` process on the simulated IoT Edge runtime, provisioned through its module
//! twin instead of its command line: it reports a CSR, the CA signs it, the desired properties
//! carry the certificate and the PLC's CA and CRL, and the client's next attempt creates a
//! session with the CA-signed PLC (in-process, loopback).

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::too_many_lines,
    missing_docs
)]

mod common;

use std::path::Path;
use std::time::{Duration, Instant};

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use common::{ClientProcess, ca_signed_plc, free_port, write};
use edge_sim::{Config, EdgeSim, Running};
use openssl::x509::X509Req;
use pki::{Store, StoreLayout};
use serde_json::{Value, json};
use test_support::{Ca, Issued};
use tokio_util::sync::CancellationToken;

const MODULE: &str = "opcclient";
const PATIENCE: Duration = Duration::from_secs(30);

fn reported_pki(sim: &Running) -> Value {
    sim.twin(MODULE)
        .unwrap()
        .module_properties()
        .reported
        .get("pki")
        .cloned()
        .unwrap_or(Value::Null)
}

/// Waits (off the runtime's workers) until the reported `pki` satisfies `done`.
fn wait_reported(sim: &Running, client: &ClientProcess, done: impl Fn(&Value) -> bool) -> Value {
    tokio::task::block_in_place(|| {
        let deadline = Instant::now() + PATIENCE;
        loop {
            let pki = reported_pki(sim);
            if done(&pki) {
                return pki;
            }
            assert!(
                Instant::now() < deadline,
                "reported pki never matched; last: {pki:#}\nclient log:\n{}",
                client.raw_lines().join("\n")
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    })
}

/// The CA's answer to the reported CSR: a certificate for the key the CSR names (the test CA
/// issues from a key pair, so it certifies the store's key after checking it is the CSR's).
fn sign_reported_csr(ca: &Ca, reported: &Value, store_dir: &Path) -> Issued {
    let der = STANDARD.decode(reported["csr"].as_str().unwrap()).unwrap();
    let request = X509Req::from_der(&der).unwrap();
    let public = request.public_key().unwrap();
    assert!(request.verify(&public).unwrap());
    let store = Store::open(StoreLayout::under(store_dir)).unwrap();
    let contents = store.contents().unwrap();
    let key = store
        .load_key(contents.application_certificate().unwrap())
        .unwrap();
    assert!(public.public_eq(key.pkey()));
    ca.leaf(
        test_support::LeafSpec::client("OpcClient", &common::client_uri())
            .with_key(key.pkey().clone()),
    )
}

/// Starts `opc-client` on `sim`'s module identity, with a long wait between attempts (only a
/// store change can end it in time).
fn start_twin_client(sim: &Running, dir: &Path, url: &str) -> ClientProcess {
    let edge_ca = write(dir, "edge-ca.pem", sim.ca_pem().as_bytes());
    ClientProcess::start_with_env(
        dir,
        &["--de", url, "--sw", "120", "--ct", "2"],
        &[
            (
                "EdgeHubConnectionString",
                sim.module_connection_string(MODULE).unwrap(),
            ),
            ("EdgeModuleCACertificateFile", edge_ca.display().to_string()),
            ("EDGE_SIM_MQTT_PORT", sim.mqtt_port().to_string()),
        ],
    )
}

/// The complete desired `pki` of the client: its certificate, the PLC's CA as trusted, its own
/// CA as issuer, and both CRLs.
fn full_pki(signed: &Issued, plc_ca: &Ca, client_ca: &Ca) -> Value {
    json!({ "pki": {
        "applicationCert": STANDARD.encode(signed.der()),
        "trusted": { "plcCa": STANDARD.encode(plc_ca.der()) },
        "issuers": { "clientCa": STANDARD.encode(client_ca.der()) },
        "crls": {
            "plcCa": STANDARD.encode(plc_ca.crl(&[])),
            "clientCa": STANDARD.encode(client_ca.crl(&[])),
        },
    }})
}

#[tokio::test(flavor = "multi_thread")]
async fn the_twin_provisions_the_client_which_then_creates_its_session() {
    let dir = tempfile::tempdir().unwrap();
    let config = Config::new(dir.path().join("edge-sim"))
        .ephemeral()
        .with_modules([MODULE]);
    let sim = EdgeSim::start(config, CancellationToken::new())
        .await
        .unwrap();
    let plc_ca = Ca::root("PLC CA");
    let client_ca = Ca::root("Client CA");
    let plc_dir = tempfile::tempdir().unwrap();
    let (plc, plc_leaf) = tokio::task::block_in_place(|| {
        ca_signed_plc(plc_dir.path(), &plc_ca, &client_ca, free_port())
    });

    let client_dir = tempfile::tempdir().unwrap();
    let client = start_twin_client(&sim, client_dir.path(), &plc.url());

    // Self-signed and trusting nobody: the session fails, and the twin shows why and the CSR.
    let first = wait_reported(&sim, &client, |p| p["csr"].is_string());
    assert_eq!(first["applicationCert"]["selfSigned"], true);
    assert_eq!(
        first["applicationCert"]["applicationUri"],
        common::client_uri()
    );
    tokio::task::block_in_place(|| {
        client.wait_for("a failed session", |lines| {
            lines
                .iter()
                .any(|l| l.starts_with("Session creation to endpoint"))
        });
    });

    let signed = sign_reported_csr(&client_ca, &first, &client_dir.path().join("pki"));
    // The certificate without its issuer: refused as a whole (the PLC CA is not installed
    // either), with the item and the reason in the twin.
    sim.patch_desired(
        MODULE,
        json!({ "pki": {
            "applicationCert": STANDARD.encode(signed.der()),
            "trusted": { "plcCa": STANDARD.encode(plc_ca.der()) },
        }}),
    )
    .unwrap();
    let refused = wait_reported(&sim, &client, |p| p["status"] == "rejected");
    assert_eq!(refused["error"]["item"], "applicationCert");
    assert_eq!(refused["error"]["code"], "BadCertificateChainIncomplete");
    assert_eq!(refused["trusted"], json!({}));
    assert_eq!(refused["applicationCert"]["selfSigned"], true);
    // The PLC's certificate the client refused, with its verifier's reason.
    let plc_thumb = plc_leaf.thumbprint();
    assert_eq!(refused["rejected"][&plc_thumb]["subject"], "CN=OpcPlc");
    assert_eq!(
        refused["rejected"][&plc_thumb]["reason"],
        "BadCertificateChainIncomplete"
    );

    sim.patch_desired(MODULE, full_pki(&signed, &plc_ca, &client_ca))
        .unwrap();
    let applied = wait_reported(&sim, &client, |p| {
        p["applicationCert"]["thumbprint"] == signed.thumbprint().as_str()
    });
    assert_eq!(applied["status"], "applied");
    assert_eq!(
        applied["trusted"]["plcCa"]["thumbprint"],
        plc_ca.thumbprint()
    );
    assert_eq!(applied["crls"]["plcCa"]["stores"], json!(["trusted"]));
    assert_eq!(applied["crls"]["clientCa"]["stores"], json!(["issuer"]));

    // The store changed, so the client tries again at once (not after its 120 s wait) and
    // succeeds with the provisioned certificate and trust list.
    let applied_at = std::time::Instant::now();
    tokio::task::block_in_place(|| {
        client.wait_for("the success block", |lines| {
            lines
                .iter()
                .any(|l| l.starts_with("Session successfully created with Id"))
        });
    });
    assert!(
        applied_at.elapsed() < std::time::Duration::from_secs(5),
        "the session came {:?} after the twin was applied",
        applied_at.elapsed()
    );
    tokio::task::block_in_place(|| {
        client.wait_for("the retry line", |lines| {
            lines
                .iter()
                .any(|l| l.contains("The certificate store changed: connecting to endpoint"))
        });
    });
    drop(plc);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_client_provisioned_before_its_server_connects_as_soon_as_the_server_is() {
    // A CA tool provisions the client and the PLC in the same minute, the client first: its
    // store change makes it try at once and the PLC still serves its self-signed certificate.
    // Quick retries after the change, not `--sw 120`, give it its session once the PLC's new
    // certificate is active.
    let dir = tempfile::tempdir().unwrap();
    let config = Config::new(dir.path().join("edge-sim"))
        .ephemeral()
        .with_modules([MODULE]);
    let sim = EdgeSim::start(config, CancellationToken::new())
        .await
        .unwrap();
    let plc_ca = Ca::root("PLC CA");
    let client_ca = Ca::root("Client CA");
    let plc_dir = tempfile::tempdir().unwrap();
    let trusted = write(
        plc_dir.path(),
        "client-ca.pem",
        &client_ca.cert().to_pem().unwrap(),
    );
    let crl = write(plc_dir.path(), "client-ca.crl", &client_ca.crl(&[]));
    let port = free_port();
    let plc_args: Vec<String> = [
        "--tf",
        trusted.to_str().unwrap(),
        "--uc",
        crl.to_str().unwrap(),
    ]
    .iter()
    .map(|s| (*s).to_owned())
    .collect();
    let plc = tokio::task::block_in_place(|| common::Plc::start(plc_dir.path(), port, &plc_args));

    let client_dir = tempfile::tempdir().unwrap();
    let client = start_twin_client(&sim, client_dir.path(), &plc.url());
    let first = wait_reported(&sim, &client, |p| p["csr"].is_string());
    let signed = sign_reported_csr(&client_ca, &first, &client_dir.path().join("pki"));
    sim.patch_desired(MODULE, full_pki(&signed, &plc_ca, &client_ca))
        .unwrap();
    tokio::task::block_in_place(|| {
        client.wait_for("the retry refused by the still self-signed PLC", |lines| {
            lines.iter().any(|l| {
                l.starts_with("Session creation to endpoint") && l.contains("failed 2 time(s)")
            })
        });
    });

    // Now the PLC gets its CA-signed certificate (its store watch activates it).
    let plc_store = Store::open(StoreLayout::under(plc_dir.path().join("pki"))).unwrap();
    let contents = plc_store.contents().unwrap();
    let own = contents.application_certificate().unwrap();
    let key = plc_store.load_key(own).unwrap();
    let uri = own.cert.application_uri().unwrap().to_owned();
    let plc_leaf = plc_ca.leaf(
        test_support::LeafSpec::server("OpcPlc", &uri, "localhost")
            .ip("127.0.0.1")
            .with_key(key.pkey().clone()),
    );
    plc_store
        .transact(
            vec![
                pki::Operation::AddIssuers(vec![
                    pki::Certificate::from_der(&plc_ca.der()).unwrap(),
                ]),
                pki::Operation::UpdateApplicationCertificate {
                    cert: pki::Certificate::from_der(&plc_leaf.der()).unwrap(),
                    key: None,
                },
            ],
            &pki::PlanOptions::new(test_support::now()),
        )
        .unwrap();
    let provisioned_at = Instant::now();
    tokio::task::block_in_place(|| {
        client.wait_for("the session", |lines| {
            lines
                .iter()
                .any(|l| l.starts_with("Session successfully created with Id"))
        });
    });
    assert!(
        provisioned_at.elapsed() < Duration::from_secs(8),
        "the session came {:?} after the PLC's certificate",
        provisioned_at.elapsed()
    );
    drop(plc);
}
