//! Desired `stores` (`twin-stores.json`) against a running `cert-agent` on edge-sim, with two
//! stores on its volume: `target` (the .NET OPC PLC's layout, PFX key) that the cases aim at,
//! and `good` (our PEM layout) that keeps a fine document throughout. Each case is the
//! corpus's `base` for `target` with the case's `desired` merged in (or a store the case
//! names, or the case's whole `section`); it must be answered for that desired version with
//! `rejected` and the case's item, code and message on the store(s) it names, `good` still
//! `applied`, the whole volume byte for byte as it was, and the agent running. At the end the
//! base again is `applied`.

use std::path::Path;

use edge_sim::Running;
use pki::{Operation, PlanOptions, SelfSignedSpec, Store, StoreLayout};
use serde_json::{Value, json};
use test_support::dotnet::DotnetAppStore;
use test_support::snapshot;

use super::{Authorities, identity_fixtures, secrets};
use crate::support::{
    Corpus, Fixtures, Process, merge, module_command, replace_desired, sim, text, wait_reported,
};

const MODULE: &str = "certagent";

struct Agent<'a> {
    process: Process,
    volume: std::path::PathBuf,
    sim: &'a Running,
}

impl Agent<'_> {
    /// Sets desired `stores` to `stores`; returns the reported `stores` answering it.
    fn desire(&self, stores: &Value) -> Value {
        let version = replace_desired(self.sim, MODULE, json!({ "stores": stores }));
        wait_reported(
            self.sim,
            MODULE,
            "stores",
            &self.process,
            &format!("desired version {version}"),
            |s| {
                s.as_object().is_some_and(|s| {
                    !s.is_empty() && s.values().all(|r| r["desiredVersion"] == version)
                })
            },
        )
    }
}

fn check_case(
    agent: &Agent<'_>,
    expect: &Value,
    reported: &Value,
    before: &crate::support::Snapshot,
    secrets: &[String],
) -> Result<(), String> {
    let stores: Vec<&String> = match expect.get("store").and_then(Value::as_str) {
        Some("*") => reported.as_object().unwrap().keys().collect(),
        _ => vec![],
    };
    let named = expect
        .get("store")
        .and_then(Value::as_str)
        .filter(|s| *s != "*")
        .unwrap_or("target")
        .to_owned();
    let stores: Vec<String> = if stores.is_empty() {
        vec![named]
    } else {
        stores.into_iter().cloned().collect()
    };
    if expect["absent"] == true {
        for store in &stores {
            if reported.get(store).is_some() {
                return Err(format!("store {store:?} is reported"));
            }
        }
        agent.process.wait_for(&[text(expect, "log")]);
    }
    for store in stores.iter().filter(|_| expect["absent"] != true) {
        let r = &reported[store];
        let error = &r["error"];
        let got = (&r["status"], &error["item"], &error["code"]);
        if got != (&json!("rejected"), &expect["item"], &expect["code"]) {
            return Err(format!(
                "store {store}: expected rejected {} {}, got {} {} {} ({})",
                expect["item"], expect["code"], got.0, got.1, got.2, error["message"]
            ));
        }
        let message = error["message"].as_str().unwrap_or_default();
        if !message.contains(text(expect, "message")) {
            return Err(format!(
                "store {store}: the message {message:?} lacks {}",
                expect["message"]
            ));
        }
    }
    if !stores.iter().any(|s| s == "good") && reported["good"]["status"] != "applied" {
        return Err(format!(
            "the good store is not applied: {}",
            reported["good"]
        ));
    }
    if snapshot(&agent.volume) != *before {
        return Err("the volume changed".to_owned());
    }
    let whole = reported.to_string();
    if secrets.iter().any(|s| whole.contains(s.as_str())) {
        return Err("key material in the report".to_owned());
    }
    agent.process.assert_alive();
    Ok(())
}

/// A PEM-layout store as our modules leave it.
fn pem_store(dir: &Path) {
    Store::open(StoreLayout::under(dir))
        .unwrap()
        .transact(
            vec![Operation::CreateSelfSigned(SelfSignedSpec::new(
                "CN=EdgePlc",
                "urn:EdgePlc:edge",
                vec!["edge".into()],
            ))],
            &PlanOptions::new(test_support::now()),
        )
        .unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_bad_desired_store_is_refused_precisely_and_the_volume_stays_as_it_was() {
    let corpus = Corpus::load("twin-stores");
    let dir = tempfile::tempdir().unwrap();
    let sim = sim(&dir.path().join("edge-sim"), &[MODULE]).await;
    let volume = dir.path().join("volume");
    std::fs::create_dir(&volume).unwrap();
    let _dotnet = DotnetAppStore::create(
        &volume.join("target"),
        "OpcPlc",
        "urn:dotnetplc:OpcPlc",
        &["dotnetplc"],
    );
    pem_store(&volume.join("good"));
    let ca = Authorities::new();
    let mut target: Fixtures = identity_fixtures(&ca, &volume.join("target"));
    target.set("longName", "s".repeat(300));
    let good: Fixtures = identity_fixtures(&ca, &volume.join("good"));
    let mut command = module_command(&sim, MODULE, "cert-agent", dir.path());
    command.args(["--pki-root", volume.to_str().unwrap()]);
    let agent = Agent {
        process: Process::spawn("cert-agent", command),
        volume: volume.clone(),
        sim: &sim,
    };
    tokio::task::block_in_place(|| {
        let base = target.resolve(&corpus.document["base"]);
        let good_doc = good.resolve(&corpus.document["base"]);
        let first = agent.desire(&json!({ "target": base, "good": good_doc }));
        for store in ["target", "good"] {
            assert_eq!(first[store]["status"], "applied", "{store}: {first:#}");
        }
        let before = snapshot(&volume);
        let secrets = secrets(&target);
        let mut failures = Vec::new();
        for case in corpus.cases() {
            let name = text(case, "name");
            let stores = if let Some(section) = case.get("section") {
                target.resolve(section)
            } else if let Some(store) = case.get("store") {
                let mut all = json!({ "target": base, "good": good_doc });
                let store = target.resolve(store);
                all[store.as_str().unwrap()] = target.resolve(&case["desired"]);
                all
            } else {
                let desired = target.resolve(&case["desired"]);
                let doc = if desired.is_object() {
                    merge(&base, &desired)
                } else {
                    desired
                };
                json!({ "target": doc, "good": good_doc })
            };
            let expect = target.resolve(&case["expect"]);
            let reported = agent.desire(&stores);
            if let Err(why) = check_case(&agent, &expect, &reported, &before, &secrets) {
                failures.push(format!("{name}: {why}\n{reported:#}"));
            }
        }
        assert!(
            failures.is_empty(),
            "{} of {} cases failed:\n{}\ncert-agent output:\n{}",
            failures.len(),
            corpus.cases().len(),
            failures.join("\n"),
            agent.process.output()
        );
        let again = agent.desire(&json!({ "target": base, "good": good_doc }));
        for store in ["target", "good"] {
            assert_eq!(again[store]["status"], "applied", "{store}: {again:#}");
        }
        assert_eq!(snapshot(&volume), before);
        for secret in &secrets {
            assert_eq!(
                agent.process.count(&[secret.as_str()]),
                0,
                "key material logged"
            );
        }
        eprintln!(
            "bad input twin-stores: {} cases on cert-agent",
            corpus.cases().len()
        );
    });
}
