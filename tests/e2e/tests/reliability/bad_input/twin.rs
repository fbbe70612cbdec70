//! Desired `pki` documents (`twin-pki.json`) against the running `opc-plc` and `opc-client`
//! processes on edge-sim. Both start self-signed, get the corpus's `base` document (a
//! certificate of the factory CA for their key, the CA, its CRL) and then every case: the base
//! with the case's `desired` merged in (or the case's whole `section`), as a new desired
//! version. Each must be answered with `status: rejected` for that version, the case's
//! `error.item`, `error.code` and message, the store byte for byte as it was, no key material
//! in the report, and the module still running; at the end the base again is `applied` and
//! the PLC still serves a session.

use std::path::Path;
use std::process::Command;

use edge_sim::Running;
use pki::{Store, StoreLayout};
use serde_json::{Value, json};
use test_support::{LeafSpec, TestStore, snapshot};

use super::{Authorities, identity_fixtures, secrets};
use crate::support::{
    Corpus, Fixtures, Process, merge, module_command, replace_desired, sim, text, wait_reported,
};

/// One module under test: its twin name, its process and its store.
struct Target<'a> {
    module: &'static str,
    process: Process,
    store: std::path::PathBuf,
    sim: &'a Running,
}

impl Target<'_> {
    fn wait(&self, what: &str, done: impl Fn(&Value) -> bool) -> Value {
        wait_reported(self.sim, self.module, "pki", &self.process, what, done)
    }

    /// Sets desired `pki` to `doc`; returns the reported `pki` answering that version.
    fn desire(&self, doc: &Value) -> (u64, Value) {
        let version = replace_desired(self.sim, self.module, json!({ "pki": doc }));
        let reported = self.wait(&format!("desired version {version}"), |p| {
            p["desiredVersion"] == version
        });
        (version, reported)
    }
}

/// Runs every case against `target`; returns how many ran.
fn run_cases(target: &Target<'_>, corpus: &Corpus, fixtures: &Fixtures) -> usize {
    let base = fixtures.resolve(&corpus.document["base"]);
    let (_, applied) = target.desire(&base);
    assert_eq!(
        applied["status"], "applied",
        "{}: the base: {applied:#}",
        target.module
    );
    let thumbprint = fixtures.resolve(&json!("${appThumbprint}"));
    assert_eq!(applied["applicationCert"]["thumbprint"], thumbprint);
    let before = snapshot(&target.store);
    let secrets = secrets(fixtures);
    let mut failures = Vec::new();
    for case in corpus.cases() {
        let name = text(case, "name");
        let doc = match case.get("section") {
            Some(section) => fixtures.resolve(section),
            None => merge(&base, &fixtures.resolve(&case["desired"])),
        };
        let expect = fixtures.resolve(&case["expect"]);
        let (_, reported) = target.desire(&doc);
        if let Err(why) = check_case(target, &expect, &reported, &before, &thumbprint, &secrets) {
            failures.push(format!("{name}: {why}"));
        }
    }
    assert!(
        failures.is_empty(),
        "{}: {} of {} cases failed:\n{}",
        target.module,
        failures.len(),
        corpus.cases().len(),
        failures.join("\n")
    );
    for secret in &secrets {
        assert_eq!(
            target.process.count(&[secret.as_str()]),
            0,
            "{}: key material in the log",
            target.module
        );
    }
    let (_, again) = target.desire(&base);
    assert_eq!(again["status"], "applied", "{again:#}");
    assert_eq!(again["error"], Value::Null);
    assert_eq!(snapshot(&target.store), before, "{}", target.module);
    corpus.cases().len()
}

/// The checks of one case: status, item, code, message, the store, the report, the log.
fn check_case(
    target: &Target<'_>,
    expect: &Value,
    reported: &Value,
    before: &crate::support::Snapshot,
    thumbprint: &Value,
    secrets: &[String],
) -> Result<(), String> {
    let status = expect.get("status").cloned().unwrap_or(json!("rejected"));
    let error = &reported["error"];
    let got = (&reported["status"], &error["item"], &error["code"]);
    if got != (&status, &expect["item"], &expect["code"]) {
        return Err(format!(
            "expected {status} {} {}, got {} {} {} ({})",
            expect["item"], expect["code"], got.0, got.1, got.2, error["message"]
        ));
    }
    let message = error["message"].as_str().unwrap_or_default();
    if !message.contains(text(expect, "message")) {
        return Err(format!(
            "the message {message:?} lacks {}",
            expect["message"]
        ));
    }
    // The store keeps what it had, and the report says so.
    if snapshot(&target.store) != *before {
        return Err("the store changed".to_owned());
    }
    if reported["applicationCert"]["thumbprint"] != *thumbprint {
        return Err(format!("reported {}", reported["applicationCert"]));
    }
    let whole = reported.to_string();
    if secrets.iter().any(|s| whole.contains(s.as_str())) {
        return Err("key material in the report".to_owned());
    }
    target.process.assert_alive();
    // The module says why in its log, with the item and the code.
    let item = expect["item"].as_str().unwrap_or_default();
    let code = expect["code"].as_str().unwrap_or_default();
    target
        .process
        .wait_for(&["was not applied (", &format!("{item}: {code})")]);
    Ok(())
}

fn start<'a>(sim: &'a Running, module: &'static str, dir: &Path, args: &[&str]) -> Target<'a> {
    std::fs::create_dir_all(dir).unwrap();
    let binary = if module == "opcplc" {
        "opc-plc"
    } else {
        "opc-client"
    };
    let mut command: Command = module_command(sim, module, binary, dir);
    command.args(args);
    let process = Process::spawn(binary, command);
    let target = Target {
        module,
        process,
        store: dir.join("pki"),
        sim,
    };
    target.wait("the first report", |p| p["csr"].is_string());
    target
}

/// The PLC still serves: a session of a client the factory CA certified, trusting that CA.
fn plc_serves(plc: &Target<'_>, ca: &Authorities, port: u16) {
    let client = ca
        .factory
        .leaf(LeafSpec::client("TestClient", "urn:test:client"));
    let store = TestStore::new()
        .with_own(&client)
        .with_trusted(ca.factory.cert())
        .with_trusted_crl(&ca.crl);
    let mut options = ua::ClientOptions::new("TestClient");
    options.check_host_name = false;
    let session = ua::Client::connect(
        &format!("opc.tcp://127.0.0.1:{port}"),
        &options,
        Store::open(StoreLayout::under(store.path())).unwrap(),
    );
    assert!(
        session.is_ok(),
        "the PLC refuses a trusted client: {:?}\n{}",
        session.err(),
        plc.process.output()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_bad_desired_pki_document_is_refused_precisely_on_the_plc_and_the_client() {
    let corpus = Corpus::load("twin-pki");
    let dir = tempfile::tempdir().unwrap();
    let sim = sim(&dir.path().join("edge-sim"), &["opcplc", "opcclient"]).await;
    let ca = Authorities::new();
    tokio::task::block_in_place(|| {
        let plc = start(
            &sim,
            "opcplc",
            &dir.path().join("plc"),
            &["--pn=0", "--listenhost", "127.0.0.1", "--ph", "localhost"],
        );
        let line = plc
            .process
            .wait_for(&["OPC UA Server started at opc.tcp://localhost:"]);
        let port: u16 = line.rsplit(':').next().unwrap().trim().parse().unwrap();
        let url = format!("opc.tcp://127.0.0.1:{port}");
        let client = start(
            &sim,
            "opcclient",
            &dir.path().join("client"),
            &["--de", &url, "--sw", "120", "--ct", "2"],
        );
        let runs = std::thread::scope(|s| {
            let handles: Vec<_> = [&plc, &client]
                .into_iter()
                .map(|target| {
                    let fixtures = identity_fixtures(&ca, &target.store);
                    let corpus = &corpus;
                    s.spawn(move || run_cases(target, corpus, &fixtures))
                })
                .collect();
            handles
                .into_iter()
                .map(|h| h.join().unwrap())
                .collect::<Vec<_>>()
        });
        plc_serves(&plc, &ca, port);
        eprintln!(
            "bad input twin-pki: {} cases on opc-plc, {} on opc-client",
            runs[0], runs[1]
        );
    });
}
