//! The `opc-plc` process on the simulated IoT Edge runtime: its module twin provisions its PKI
//! (docs/architecture.md §6; step 2 of the seed walk-through, docs/reference/seed-walkthrough.md,
//! without copy and paste). The PLC reports a CSR; the CA signs it and writes certificate, CAs and
//! CRLs to the desired properties; the PLC applies them, reports the thumbprints, and serves the
//! CA-signed certificate to a client that trusts only that CA. A broken item is refused and
//! reported while the PLC keeps serving; a trust entry removed from the twin is removed from the
//! store.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::too_many_lines,
    missing_docs
)]

mod common;

use std::io::{BufRead as _, BufReader};
use std::path::Path;
use std::process::{Child, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use edge_sim::{Config, EdgeSim, Running};
use openssl::x509::X509Req;
use pki::{Store, StoreLayout};
use serde_json::{Value, json};
use test_support::{Ca, LeafSpec, TestStore};
use tokio_util::sync::CancellationToken;
use ua::ClientError;

const MODULE: &str = "opcplc";
const PATIENCE: Duration = Duration::from_secs(30);

/// The PLC process with its output collected; killed when dropped.
struct Plc {
    child: Child,
    lines: Arc<Mutex<Vec<String>>>,
}

impl Plc {
    fn output(&self) -> String {
        self.lines.lock().unwrap().join("\n")
    }

    fn wait_for_line(&self, needle: &str) -> String {
        let deadline = Instant::now() + PATIENCE;
        loop {
            if let Some(line) = self
                .lines
                .lock()
                .unwrap()
                .iter()
                .find(|l| l.contains(needle))
            {
                return line.clone();
            }
            assert!(
                Instant::now() < deadline,
                "no line with {needle:?} in\n{}",
                self.output()
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

impl Drop for Plc {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn spawn_plc(dir: &Path, sim: &Running) -> Plc {
    let ca_file = dir.join("edge-ca.pem");
    std::fs::write(&ca_file, sim.ca_pem()).unwrap();
    let mut child = common::plc_command(dir, "localhost")
        .env(
            "EdgeHubConnectionString",
            sim.module_connection_string(MODULE).unwrap(),
        )
        .env("EdgeModuleCACertificateFile", &ca_file)
        .env("EDGE_SIM_MQTT_PORT", sim.mqtt_port().to_string())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let lines = Arc::new(Mutex::new(Vec::new()));
    for stream in [
        Box::new(child.stdout.take().unwrap()) as Box<dyn std::io::Read + Send>,
        Box::new(child.stderr.take().unwrap()),
    ] {
        let lines = Arc::clone(&lines);
        std::thread::spawn(move || {
            for line in BufReader::new(stream).lines() {
                let Ok(line) = line else { break };
                lines.lock().unwrap().push(line);
            }
        });
    }
    Plc { child, lines }
}

/// Waits until the PLC's reported `pki` satisfies `done`.
async fn reported_pki(sim: &Running, plc: &Plc, done: impl Fn(&Value) -> bool) -> Value {
    let deadline = Instant::now() + PATIENCE;
    loop {
        let twin = sim.twin(MODULE).unwrap();
        let pki = twin
            .module_properties()
            .reported
            .get("pki")
            .cloned()
            .unwrap_or(Value::Null);
        if done(&pki) {
            return pki;
        }
        assert!(
            Instant::now() < deadline,
            "reported pki never matched; last: {pki:#}\nPLC output:\n{}",
            plc.output()
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

async fn connect(port: u16, store: &Path) -> Result<(), ClientError> {
    let store = store.to_owned();
    tokio::task::spawn_blocking(move || common::connect(port, &store).map(|_| ()))
        .await
        .unwrap()
}

fn b64(der: &[u8]) -> String {
    STANDARD.encode(der)
}

#[tokio::test(flavor = "multi_thread")]
async fn the_twin_provisions_the_plc_store_and_the_plc_reports_what_it_holds() {
    let dir = tempfile::tempdir().unwrap();
    let config = Config::new(dir.path().join("edge-sim"))
        .ephemeral()
        .with_modules([MODULE]);
    let sim = EdgeSim::start(config, CancellationToken::new())
        .await
        .unwrap();
    let plc_dir = dir.path().join("plc");
    std::fs::create_dir(&plc_dir).unwrap();
    let plc = spawn_plc(&plc_dir, &sim);
    let started = plc.wait_for_line("OPC UA Server started at opc.tcp://localhost:");
    let port: u16 = started.rsplit(':').next().unwrap().trim().parse().unwrap();

    // Step 1: the PLC reports its self-signed certificate and a CSR for its key.
    let first = reported_pki(&sim, &plc, |p| p["csr"].is_string()).await;
    assert_eq!(first["status"], "applied");
    assert_eq!(first["applicationCert"]["selfSigned"], true);
    assert_eq!(
        first["applicationCert"]["applicationUri"],
        "urn:OpcPlc:localhost"
    );
    let csr = X509Req::from_der(&STANDARD.decode(first["csr"].as_str().unwrap()).unwrap()).unwrap();
    let requested = csr.public_key().unwrap();
    assert!(csr.verify(&requested).unwrap());

    // A client that trusts only the PLC CA is refused by the self-signed PLC.
    let plc_ca = Ca::root("PLC CA");
    let client_ca = Ca::root("Client CA");
    let client = client_ca.leaf(LeafSpec::client("TestClient", "urn:test:client"));
    let client_store = TestStore::new()
        .with_own(&client)
        .with_trusted(plc_ca.cert())
        .with_trusted_crl(&plc_ca.crl(&[]));
    assert!(matches!(
        connect(port, client_store.path()).await,
        Err(ClientError::ServerCertificate(_))
    ));

    // Step 2: the CA signs the CSR (for the key the CSR names: the store's) and provisions.
    let plc_store = Store::open(StoreLayout::under(plc_dir.join("pki"))).unwrap();
    let contents = plc_store.contents().unwrap();
    let key = plc_store
        .load_key(contents.application_certificate().unwrap())
        .unwrap();
    assert!(requested.public_eq(key.pkey()));
    let signed = plc_ca.leaf(
        LeafSpec::server("OpcPlc", "urn:OpcPlc:localhost", "localhost")
            .with_key(key.pkey().clone()),
    );
    sim.patch_desired(
        MODULE,
        json!({ "pki": {
            "applicationCert": b64(&signed.der()),
            "issuers": { "plcCa": b64(&plc_ca.der()) },
            "trusted": { "clientCa": b64(&client_ca.der()) },
            "crls": {
                "plcCa": b64(&plc_ca.crl(&[])),
                "clientCa": b64(&client_ca.crl(&[])),
            },
        }}),
    )
    .unwrap();
    let applied = reported_pki(&sim, &plc, |p| {
        p["applicationCert"]["thumbprint"] == signed.thumbprint().as_str()
    })
    .await;
    assert_eq!(applied["status"], "applied");
    assert_eq!(applied["error"], Value::Null);
    assert_eq!(applied["applicationCert"]["selfSigned"], false);
    assert_eq!(
        applied["issuers"]["plcCa"]["thumbprint"],
        plc_ca.thumbprint()
    );
    assert_eq!(
        applied["trusted"]["clientCa"]["thumbprint"],
        client_ca.thumbprint()
    );
    assert_eq!(applied["crls"]["clientCa"]["stores"], json!(["trusted"]));
    assert_eq!(applied["crls"]["plcCa"]["stores"], json!(["issuer"]));
    plc.wait_for_line("Applied the desired PKI of twin version");

    // The running PLC serves the new certificate and trusts the client's CA.
    let deadline = Instant::now() + PATIENCE;
    while let Err(e) = connect(port, client_store.path()).await {
        assert!(
            Instant::now() < deadline,
            "never connected: {e}\n{}",
            plc.output()
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }

    // One change, one activation: the store commit installs the certificate, the PLC's store
    // watch activates it and says so once.
    let activations = plc
        .output()
        .lines()
        .filter(|l| {
            l.contains(&format!(
                "Activating the new application certificate with thumbprint '{}'",
                signed.thumbprint()
            ))
        })
        .count();
    assert_eq!(activations, 1, "{}", plc.output());

    // A client the PLC does not trust is refused; the store watch reports it within about a
    // second, with the verifier's reason and what an operator needs to decide.
    let stranger = test_support::self_signed(LeafSpec::client("Stranger", "urn:test:stranger"));
    let stranger_store = TestStore::new()
        .with_own(&stranger)
        .with_trusted(plc_ca.cert())
        .with_trusted_crl(&plc_ca.crl(&[]));
    assert!(connect(port, stranger_store.path()).await.is_err());
    let thumb = stranger.thumbprint();
    let refused_at = Instant::now();
    let with_rejected = reported_pki(&sim, &plc, |p| p["rejected"].get(&thumb).is_some()).await;
    assert!(
        refused_at.elapsed() < Duration::from_secs(10),
        "reported after {:?}, not by the 30 s refresh",
        refused_at.elapsed()
    );
    let entry = &with_rejected["rejected"][&thumb];
    assert_eq!(entry["subject"], "CN=Stranger");
    assert_eq!(entry["issuer"], "CN=Stranger");
    assert_eq!(entry["applicationUri"], "urn:test:stranger");
    assert_eq!(entry["reason"], "BadCertificateUntrusted");
    assert!(entry["at"].is_string() && entry["notAfter"].is_string());

    // Approved remotely: the PLC trusts it from its next connection.
    sim.patch_desired(
        MODULE,
        json!({ "pki": { "approveRejected": { thumb.clone(): true } } }),
    )
    .unwrap();
    let approved = reported_pki(&sim, &plc, |p| p["trusted"].get(&thumb).is_some()).await;
    assert_eq!(approved["status"], "applied");
    assert!(approved["rejected"].get(&thumb).is_none());
    let deadline = Instant::now() + PATIENCE;
    while let Err(e) = connect(port, stranger_store.path()).await {
        assert!(
            Instant::now() < deadline,
            "the approved client is still refused: {e}\n{}",
            plc.output()
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    // Taking the approval back takes the trust back.
    sim.patch_desired(MODULE, json!({ "pki": { "approveRejected": null } }))
        .unwrap();
    reported_pki(&sim, &plc, |p| p["trusted"].get(&thumb).is_none()).await;
    let deadline = Instant::now() + PATIENCE;
    while connect(port, stranger_store.path()).await.is_ok() {
        assert!(Instant::now() < deadline, "the client is still accepted");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }

    // A client of a CA without a CRL: refused by the PLC's default policy, accepted once the
    // twin relaxes it, by the running PLC.
    let lax_ca = Ca::root("Lax CA");
    let lax_client = lax_ca.leaf(LeafSpec::client("LaxClient", "urn:test:lax"));
    let lax_store = TestStore::new()
        .with_own(&lax_client)
        .with_trusted(plc_ca.cert())
        .with_trusted_crl(&plc_ca.crl(&[]));
    sim.patch_desired(
        MODULE,
        json!({ "pki": { "trusted": { "laxCa": b64(&lax_ca.der()) } } }),
    )
    .unwrap();
    reported_pki(&sim, &plc, |p| p["trusted"].get("laxCa").is_some()).await;
    assert!(connect(port, lax_store.path()).await.is_err());
    plc.wait_for_line("BadCertificateRevocationUnknown");
    sim.patch_desired(
        MODULE,
        json!({ "pki": { "rejectUnknownRevocationStatus": false } }),
    )
    .unwrap();
    let relaxed = reported_pki(&sim, &plc, |p| p["rejectUnknownRevocationStatus"] == false).await;
    assert_eq!(relaxed["status"], "applied");
    plc.wait_for_line("revocation status is unknown (no CRL) are now accepted.");
    connect(port, lax_store.path()).await.unwrap();
    sim.patch_desired(
        MODULE,
        json!({ "pki": { "rejectUnknownRevocationStatus": null, "trusted": { "laxCa": null } } }),
    )
    .unwrap();
    reported_pki(&sim, &plc, |p| {
        p["rejectUnknownRevocationStatus"] == true && p["trusted"].get("laxCa").is_none()
    })
    .await;

    // A stricter key-size policy from the twin refuses the 2048-bit client at once; removing
    // it accepts the client again, without a restart.
    sim.patch_desired(
        MODULE,
        json!({ "pki": { "minimumCertificateKeySize": 4096 } }),
    )
    .unwrap();
    reported_pki(&sim, &plc, |p| p["minimumCertificateKeySize"] == 4096).await;
    plc.wait_for_line("Certificates with keys shorter than 4096 bits are now rejected.");
    assert!(connect(port, client_store.path()).await.is_err());
    plc.wait_for_line("BadCertificatePolicyCheckFailed");
    sim.patch_desired(
        MODULE,
        json!({ "pki": { "minimumCertificateKeySize": null } }),
    )
    .unwrap();
    reported_pki(&sim, &plc, |p| p["minimumCertificateKeySize"] == 2048).await;
    connect(port, client_store.path()).await.unwrap();

    // A broken item: refused and reported, store untouched, the PLC keeps serving.
    let before = test_support::snapshot(&plc_dir.join("pki"));
    sim.patch_desired(
        MODULE,
        json!({ "pki": { "crls": { "broken": "not a CRL" } } }),
    )
    .unwrap();
    let rejected = reported_pki(&sim, &plc, |p| p["status"] == "rejected").await;
    assert_eq!(rejected["error"]["item"], "crls.broken");
    assert_eq!(rejected["error"]["code"], "BadCertificateInvalid");
    assert_eq!(
        rejected["applicationCert"]["thumbprint"],
        signed.thumbprint().as_str()
    );
    plc.wait_for_line("was not applied (crls.broken: BadCertificateInvalid)");
    assert_eq!(test_support::snapshot(&plc_dir.join("pki")), before);
    connect(port, client_store.path()).await.unwrap();

    // Removing the client CA (and its CRL) from the twin removes them from the store; the
    // reported picture drops the names and the client is refused again.
    sim.patch_desired(
        MODULE,
        json!({ "pki": {
            "trusted": { "clientCa": null },
            "crls": { "broken": null, "clientCa": null },
        }}),
    )
    .unwrap();
    let removed = reported_pki(&sim, &plc, |p| {
        p["status"] == "applied" && p["trusted"].get("clientCa").is_none()
    })
    .await;
    assert_eq!(removed["trusted"], json!({}));
    assert!(removed["crls"].get("clientCa").is_none());
    assert_eq!(
        removed["issuers"]["plcCa"]["thumbprint"],
        plc_ca.thumbprint()
    );
    let deadline = Instant::now() + PATIENCE;
    while connect(port, client_store.path()).await.is_ok() {
        assert!(Instant::now() < deadline, "the client is still accepted");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}
