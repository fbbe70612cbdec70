//! Files placed on the volume (`volume.json`): a running opc-plc watches its store (trust
//! lists, CRLs, its own certificate; `modules/opc-plc/src/watcher.rs`), which another process
//! may write at any time. Each case places one bad file (its `content` is base64 of the bytes)
//! or a folder under the case's name into a store folder; the PLC must log it once as
//! `Skipped the unreadable store file '<path>': <reason>` with the case's reason, keep
//! running and keep serving a session of a client its trusted CA certified, and must neither
//! remove the file nor touch anything else: once the case's file is taken away the store is
//! byte for byte as before.

use std::path::Path;
use std::process::Command;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use openssl::x509::X509;
use pki::{Store, StoreLayout};
use serde_json::Value;
use test_support::{Ca, LeafSpec, TestStore, self_signed, snapshot};

use crate::support::{Corpus, Fixtures, Process, b64, binary, text};

fn fixtures(ca: &Ca, crl: &[u8]) -> Fixtures {
    let mut f = Fixtures::default();
    let cert = ca.leaf(LeafSpec::client("Placed", "urn:placed"));
    let der = cert.der();
    f.set(
        "garbage",
        b64(&(0..=255u8).cycle().take(700).collect::<Vec<_>>()),
    );
    f.set("truncatedCert", b64(&der[..der.len() / 2]));
    let pem = String::from_utf8(cert.cert.to_pem().unwrap()).unwrap();
    f.set("truncatedCertPem", b64(&pem.as_bytes()[..pem.len() / 2]));
    f.set("caCrl", b64(crl));
    f.set("truncatedCrl", b64(&crl[..crl.len() / 2]));
    f.set("ca", b64(&ca.der()));
    let stray = self_signed(LeafSpec::client("Stray", "urn:stray"));
    f.set("keyPem", b64(&stray.key_pem_pkcs8()));
    f.set("keyDer", b64(&stray.key.private_key_to_der().unwrap()));
    f.set(
        "garbagePem",
        b64(b"-----BEGIN CERTIFICATE-----\n!!!! not base64 !!!!\n-----END CERTIFICATE-----\n"),
    );
    f
}

/// A session of a client `ca` certified, trusting the PLC's own (self-signed) certificate.
fn serves(plc: &Process, ca: &Ca, crl: &[u8], own: &X509, port: u16) -> Result<(), String> {
    let client = ca.leaf(LeafSpec::client("TestClient", "urn:test:client"));
    let store = TestStore::new()
        .with_own(&client)
        .with_trusted(ca.cert())
        .with_trusted(own)
        .with_trusted_crl(crl);
    let mut options = ua::ClientOptions::new("TestClient");
    options.check_host_name = false;
    ua::Client::connect(
        &format!("opc.tcp://127.0.0.1:{port}"),
        &options,
        Store::open(StoreLayout::under(store.path())).unwrap(),
    )
    .map(drop)
    .map_err(|e| format!("the PLC refuses a trusted client: {e}\n{}", plc.output()))
}

fn check_case(
    plc: &Process,
    store: &Path,
    case: &Value,
    fixtures: &Fixtures,
    serve: impl Fn() -> Result<(), String>,
) -> Result<(), String> {
    let before = snapshot(store);
    let path = store.join(text(case, "folder")).join(text(case, "file"));
    if case["directory"] == true {
        std::fs::create_dir(&path).unwrap();
    } else {
        let content = fixtures.resolve(&case["content"]);
        let bytes = STANDARD.decode(content.as_str().unwrap()).unwrap();
        std::fs::write(&path, bytes).unwrap();
    }
    let reason = text(&case["expect"], "log");
    // The PLC names it by its store path (relative to its working folder).
    let named = format!("{}/{}'", text(case, "folder"), text(case, "file"));
    let line = plc.wait_for(&["Skipped the unreadable store file '", &named, reason]);
    eprintln!("bad input volume: {line}");
    plc.assert_alive();
    serve()?;
    if !path.exists() {
        return Err("the PLC removed the file".to_owned());
    }
    let logged = plc.count(&["Skipped the unreadable store file '", &named]);
    if logged != 1 {
        return Err(format!("logged {logged} times: {line}"));
    }
    if case["directory"] == true {
        std::fs::remove_dir(&path).unwrap();
    } else {
        std::fs::remove_file(&path).unwrap();
    }
    if snapshot(store) != before {
        return Err("the store changed".to_owned());
    }
    Ok(())
}

#[test]
fn every_bad_file_placed_in_a_watched_store_is_logged_skipped_and_left_alone() {
    let corpus = Corpus::load("volume");
    let dir = tempfile::tempdir().unwrap();
    let ca = Ca::root("Factory CA");
    let crl = ca.crl(&[]);
    let store = dir.path().join("pki");
    for (folder, file, bytes) in [
        ("trusted/certs", "factory.der", ca.der()),
        ("trusted/crl", "factory.crl", crl.clone()),
    ] {
        std::fs::create_dir_all(store.join(folder)).unwrap();
        std::fs::write(store.join(folder).join(file), bytes).unwrap();
    }
    let mut command = Command::new(binary("opc-plc"));
    command
        .current_dir(dir.path())
        .env_remove("EdgeHubConnectionString")
        .env_remove("IOTEDGE_WORKLOADURI")
        .args(["--pn=0", "--listenhost=127.0.0.1", "--ph=localhost"]);
    let plc = Process::spawn("opc-plc", command);
    let line = plc.wait_for(&["OPC UA Server started at opc.tcp://localhost:"]);
    let port: u16 = line.rsplit(':').next().unwrap().trim().parse().unwrap();
    let own = Store::open(StoreLayout::under(&store))
        .unwrap()
        .contents()
        .unwrap()
        .application_certificate()
        .expect("the PLC's own certificate")
        .cert
        .x509()
        .clone();
    serves(&plc, &ca, &crl, &own, port).unwrap();
    let fixtures = fixtures(&ca, &crl);
    let mut failures = Vec::new();
    for case in corpus.cases() {
        if let Err(why) = check_case(&plc, &store, case, &fixtures, || {
            serves(&plc, &ca, &crl, &own, port)
        }) {
            failures.push(format!("{}: {why}", text(case, "name")));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} cases failed:\n{}\nopc-plc output:\n{}",
        failures.len(),
        corpus.cases().len(),
        failures.join("\n"),
        plc.output()
    );
    eprintln!("bad input volume: {} cases", corpus.cases().len());
}
