//! The running `opc-plc` process notices another process replacing its application certificate
//! in the store (written here through the `pki` crate, as cert-agent does) and serves the new one
//! without a restart: a client that trusts only the new certificate's CA is refused before and
//! gets a session after, from the same process.

#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

mod common;

use std::io::{BufRead as _, BufReader};
use std::process::{Child, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use pki::{Certificate, Crl, Operation, PlanOptions, PrivateKey, Store, StoreLayout};
use test_support::{Ca, LeafSpec, TestStore};
use ua::ClientError;

const PATIENCE: Duration = Duration::from_secs(15);

/// The PLC process; killed when dropped.
struct Running {
    child: Child,
    lines: mpsc::Receiver<String>,
    seen: Vec<String>,
}

impl Running {
    /// Waits for a line containing `needle` and returns it.
    fn wait_for(&mut self, needle: &str) -> String {
        let deadline = Instant::now() + PATIENCE;
        loop {
            if let Some(line) = self.seen.iter().find(|l| l.contains(needle)) {
                return line.clone();
            }
            let left = deadline.saturating_duration_since(Instant::now());
            match self.lines.recv_timeout(left) {
                Ok(line) => self.seen.push(line),
                Err(e) => panic!("no line with {needle:?} ({e}) in\n{}", self.seen.join("\n")),
            }
        }
    }

    fn count(&mut self, needle: &str) -> usize {
        while let Ok(line) = self.lines.try_recv() {
            self.seen.push(line);
        }
        self.seen.iter().filter(|l| l.contains(needle)).count()
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_new_application_certificate_written_to_the_store_is_served_without_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let client_ca = Ca::root("Client CA");
    let client = client_ca.leaf(LeafSpec::client("TestClient", "urn:test:client"));
    let plc_ca = Ca::root("PLC CA");

    let mut child = common::plc_command(dir.path(), "localhost")
        .args([
            &format!("--tb={}", STANDARD.encode(client_ca.der())),
            &format!("--rb={}", STANDARD.encode(client_ca.crl(&[]))),
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let (tx, lines) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines() {
            let Ok(line) = line else { break };
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    let mut plc = Running {
        child,
        lines,
        seen: Vec::new(),
    };
    let started = plc.wait_for("OPC UA Server started at opc.tcp://localhost:");
    let port: u16 = started.rsplit(':').next().unwrap().trim().parse().unwrap();

    // The client trusts only the PLC CA: the PLC's self-signed certificate is refused.
    let client_store = TestStore::new()
        .with_own(&client)
        .with_trusted(plc_ca.cert())
        .with_trusted_crl(&plc_ca.crl(&[]));
    let path = client_store.path().to_owned();
    let before = tokio::task::spawn_blocking(move || common::connect(port, &path).map(|_| ()))
        .await
        .unwrap();
    assert!(
        matches!(before, Err(ClientError::ServerCertificate(_))),
        "{before:?}"
    );

    // Another process (here the test, through pki) writes a CA-signed certificate and key.
    let new_cert = plc_ca.leaf(LeafSpec::server(
        "OpcPlc",
        "urn:OpcPlc:localhost",
        "localhost",
    ));
    let plc_store = Store::open(StoreLayout::under(dir.path().join("pki"))).unwrap();
    plc_store
        .transact(
            vec![
                Operation::AddIssuers(vec![Certificate::from_der(&plc_ca.der()).unwrap()]),
                Operation::UpdateCrl(Crl::from_der(&plc_ca.crl(&[])).unwrap()),
                Operation::UpdateApplicationCertificate {
                    cert: Certificate::from_der(&new_cert.der()).unwrap(),
                    key: Some(PrivateKey::from_bytes(&new_cert.key_pem_pkcs8(), None).unwrap()),
                },
            ],
            &PlanOptions::new(time::OffsetDateTime::now_utc()),
        )
        .unwrap();

    let thumbprint = new_cert.thumbprint();
    plc.wait_for(&format!(
        "Activating the new application certificate with thumbprint '{thumbprint}'."
    ));
    plc.wait_for("applying it without a restart");

    let path = client_store.path().to_owned();
    let session = tokio::task::spawn_blocking(move || common::connect(port, &path))
        .await
        .unwrap()
        .expect("the new certificate is trusted by the client");
    session.read_current_time().await.unwrap();
    session.disconnect().await;

    // Same process, started once.
    assert!(plc.child.try_wait().unwrap().is_none(), "the PLC exited");
    assert_eq!(plc.count("OPC UA Server started at"), 1);
}

#[test]
fn the_watcher_reports_trust_list_changes_and_keeps_the_certificate_when_a_new_one_is_unusable() {
    use opc_plc::watcher::Change;

    let own = test_support::self_signed(
        LeafSpec::server("OpcPlc", "urn:OpcPlc:localhost", "localhost").ip("127.0.0.1"),
    );
    let store_dir = TestStore::new().with_own(&own);
    let store = Store::open(StoreLayout::under(store_dir.path())).unwrap();
    let mut options = ua::ServerOptions::new(
        ua::Identity::new(
            "OpcPlc",
            "urn:OpcPlc:localhost",
            opc_plc::PRODUCT_URI,
            "127.0.0.1",
        ),
        0,
    );
    options.listen_host = Some("127.0.0.1".to_owned());
    let server = ua::Server::start(&options, store.clone()).unwrap();
    let mut watcher = opc_plc::StoreWatcher::new(&server);
    assert_eq!(
        server.certificate_thumbprint().to_string(),
        own.thumbprint()
    );
    assert_eq!(watcher.poll(&server), Change::None);

    // A trusted CA and its CRL arrive.
    let ca = Ca::root("Some CA");
    store
        .transact(
            vec![
                Operation::AddTrusted(vec![Certificate::from_der(&ca.der()).unwrap()]),
                Operation::UpdateCrl(Crl::from_der(&ca.crl(&[])).unwrap()),
            ],
            &PlanOptions::new(time::OffsetDateTime::now_utc()),
        )
        .unwrap();
    assert_eq!(watcher.poll(&server), Change::TrustLists);
    assert_eq!(watcher.poll(&server), Change::None);

    // A foreign writer drops a certificate into own/certs and, half-way, a key that is not its
    // own: the server keeps its certificate, and the same state is not retried every second.
    let other = ca.leaf(LeafSpec::server(
        "OpcPlc",
        "urn:OpcPlc:localhost",
        "localhost",
    ));
    let certs = store_dir.path().join("own/certs");
    let private = store_dir.path().join("own/private");
    for entry in std::fs::read_dir(&certs).unwrap() {
        std::fs::remove_file(entry.unwrap().path()).unwrap();
    }
    for entry in std::fs::read_dir(&private).unwrap() {
        std::fs::remove_file(entry.unwrap().path()).unwrap();
    }
    let stem = test_support::cert_file_stem(&other.cert);
    std::fs::write(certs.join(format!("{stem}.der")), other.der()).unwrap();
    std::fs::write(private.join(format!("{stem}.pem")), own.key_pem_pkcs8()).unwrap();
    assert_eq!(watcher.poll(&server), Change::Failed);
    assert_eq!(watcher.poll(&server), Change::None);
    assert_eq!(
        server.certificate_thumbprint().to_string(),
        own.thumbprint()
    );

    // The matching key arrives: the new certificate is activated.
    std::fs::write(private.join(format!("{stem}.pem")), other.key_pem_pkcs8()).unwrap();
    assert_eq!(
        watcher.poll(&server),
        Change::ApplicationCertificate(other.thumbprint().parse().unwrap())
    );
    assert_eq!(
        server.certificate_thumbprint().to_string(),
        other.thumbprint()
    );
}
