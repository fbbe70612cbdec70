//! Fleet runs on an in-process edge-sim with real own-`pki` twin drivers as modules: targets
//! chosen by a twin query, a query that matches nothing, the fleet table's columns, the JSON
//! summary, and an `opc-vault rotate` killed with SIGKILL in the middle of a run and resumed:
//! the resumed run completes and no CSR is signed twice.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

mod common;

use std::process::{Command, Stdio};
use std::sync::Arc;
use std::time::Duration;

use common::{Module, PATIENCE, Sim, options, vault};
use opc_vault::fleet::{Column, FleetOptions, query_of, run};
use opc_vault::provision::ProgressSink;
use serde_json::Value;

const BIN: &str = env!("CARGO_BIN_EXE_opc-vault");

fn quiet() -> ProgressSink {
    Arc::new(|_| {})
}

async fn wait_for_csrs(sim: &Sim, modules: &[&str]) {
    for module in modules {
        sim.reported_until(module, "pki", "reported a CSR", |pki| {
            pki["csr"].is_string()
        })
        .await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_query_chooses_the_targets_and_a_second_run_changes_nothing() {
    let names = ["plc1", "plc2", "client1"];
    let sim = Sim::start(&names).await;
    let _modules: Vec<Module> = names
        .iter()
        .map(|m| Module::start(&sim, m, &format!("urn:{m}")))
        .collect();
    wait_for_csrs(&sim, &names).await;
    let (_dir, vault) = vault(true);
    let hub = sim.hub();
    let fleet = |condition: &str| FleetOptions {
        query: query_of(condition),
        provision: options(),
        command: "provision".to_owned(),
        resume: false,
    };

    let report = run(
        &vault,
        &hub,
        &fleet("STARTSWITH(moduleId, 'plc')"),
        test_support::now(),
        quiet(),
        None,
    )
    .await
    .unwrap();
    let targets: Vec<String> = report.rows.iter().map(|r| r.target.clone()).collect();
    assert_eq!(targets, vec!["plc1", "plc2"]);
    assert!(report.all_ok(), "{report:#?}");
    assert_eq!(report.issued, 2);
    assert_eq!(report.counts.get(&Column::Ok), Some(&2));
    assert!(
        sim.twin("client1").await.desired("pki").is_none(),
        "a module the query did not match was written to"
    );

    // Again: nothing to sign, nothing to write.
    let again = run(
        &vault,
        &hub,
        &fleet("FROM devices.modules WHERE STARTSWITH(moduleId, 'plc')"),
        test_support::now(),
        quiet(),
        None,
    )
    .await
    .unwrap();
    assert_eq!(again.issued, 0);
    assert!(
        again.rows.iter().all(|r| r.status == "unchanged"),
        "{again:#?}"
    );

    // A query that matches nothing is an empty run, not an error.
    let nothing = run(
        &vault,
        &hub,
        &fleet("properties.reported.pki.expiry.status = 'expired'"),
        test_support::now(),
        quiet(),
        None,
    )
    .await
    .unwrap();
    assert_eq!(nothing.targets, 0);
    assert!(nothing.all_ok());
    let json = serde_json::to_value(&nothing).unwrap();
    assert_eq!(json["targets"], 0);
    assert_eq!(json["rows"], Value::Array(vec![]));

    // A query the hub refuses is an error naming the query.
    let refused = run(
        &vault,
        &hub,
        &fleet("moduleId = "),
        test_support::now(),
        quiet(),
        None,
    )
    .await
    .unwrap_err();
    assert!(
        refused.to_string().contains("WHERE moduleId ="),
        "{refused}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_module_that_does_not_answer_is_pending_and_the_resumed_run_finishes_it() {
    let names = ["plc1", "plc2"];
    let sim = Sim::start(&names).await;
    let plc1 = Module::start(&sim, "plc1", "urn:plc1");
    let mut plc2 = Module::start(&sim, "plc2", "urn:plc2");
    wait_for_csrs(&sim, &names).await;
    // plc2 stops: its twin keeps its report, but nothing applies what is written now.
    plc2.stop();
    let (_dir, vault) = vault(false);
    let hub = sim.hub();
    let mut fleet = FleetOptions {
        query: query_of(opc_vault::fleet::EVERY_STORE),
        provision: opc_vault::provision::ProvisionOptions {
            timeout: Duration::from_secs(3),
            ..options()
        },
        command: "rotate".to_owned(),
        resume: false,
    };
    let first = run(&vault, &hub, &fleet, test_support::now(), quiet(), None)
        .await
        .unwrap();
    assert!(!first.all_ok());
    let plc2_row = first.rows.iter().find(|r| r.target == "plc2").unwrap();
    assert_ne!(plc2_row.column, Column::Ok, "{first:#?}");
    assert_eq!(first.issued, 2, "both CSRs were signed: {first:#?}");

    // plc2 comes back; the resumed run skips plc1 and reuses plc2's certificate.
    plc2.restart(&sim, "plc2", "urn:plc2");
    fleet.resume = true;
    fleet.provision.timeout = PATIENCE;
    let second = run(&vault, &hub, &fleet, test_support::now(), quiet(), None)
        .await
        .unwrap();
    assert!(second.all_ok(), "{second:#?}");
    assert_eq!(second.run, first.run);
    let plc1_row = second.rows.iter().find(|r| r.target == "plc1").unwrap();
    assert_eq!(plc1_row.status, "done before");
    assert_eq!(
        second.issued, 0,
        "the resumed run signed again: {second:#?}"
    );
    assert_eq!(vault.read().unwrap().index.certificates.len(), 2);
    let reported = sim.twin("plc2").await.reported("pki").unwrap();
    let thumbprint = reported["applicationCert"]["thumbprint"].as_str().unwrap();
    assert!(
        vault
            .read()
            .unwrap()
            .index
            .by_thumbprint(thumbprint)
            .is_some(),
        "plc2 reports {thumbprint}, not the vault's certificate"
    );
    let resumed_row = second.rows.iter().find(|r| r.target == "plc2").unwrap();
    assert_eq!(resumed_row.thumbprint.as_deref(), Some(thumbprint));
    drop(plc1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rotate_killed_in_the_middle_resumes_without_signing_any_csr_twice() {
    let names: Vec<String> = (1..=6).map(|i| format!("plc{i}")).collect();
    let refs: Vec<&str> = names.iter().map(String::as_str).collect();
    let sim = Sim::start(&refs).await;
    let _modules: Vec<Module> = refs
        .iter()
        .map(|m| Module::start(&sim, m, &format!("urn:{m}")))
        .collect();
    wait_for_csrs(&sim, &refs).await;
    let dir = tempfile::tempdir().unwrap();
    let vault_dir = dir.path().join("vault");
    let (hub, ca) = (sim.running.service_connection_string(), sim.ca_file());
    let rotate = |extra: &[&str]| {
        let mut command = Command::new(BIN);
        command
            .arg("--vault")
            .arg(&vault_dir)
            .args(["rotate", "--days", "30", "--hub", &hub, "--hub-ca"])
            .arg(&ca)
            .args(["--concurrency", "1", "--timeout", "30s", "--json"])
            .args(extra)
            .env_remove("IOTHUB_CONNECTION_STRING")
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        command
    };
    let init = Command::new(BIN)
        .arg("--vault")
        .arg(&vault_dir)
        .arg("init")
        .output()
        .unwrap();
    assert!(init.status.success());

    // Kill it as soon as its journal records the second signature.
    let mut child = rotate(&[]).spawn().unwrap();
    let runs = vault_dir.join("runs");
    let deadline = std::time::Instant::now() + PATIENCE;
    loop {
        let signed = std::fs::read_dir(&runs)
            .ok()
            .and_then(|mut d| d.next())
            .and_then(|e| std::fs::read_to_string(e.unwrap().path()).ok())
            .map_or(0, |text| text.matches("\"event\":\"signed\"").count());
        if signed >= 2 {
            break;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "no second signature in the journal"
        );
        std::thread::sleep(Duration::from_millis(5));
    }
    child.kill().unwrap(); // SIGKILL
    let killed = child.wait_with_output().unwrap();
    assert!(!killed.status.success());

    let resumed = rotate(&["--resume"]).output().unwrap();
    let stderr = String::from_utf8_lossy(&resumed.stderr);
    assert!(resumed.status.success(), "{stderr}");
    assert!(stderr.contains("resuming the interrupted run"), "{stderr}");
    let summary: Value = serde_json::from_slice(&resumed.stdout).unwrap();
    assert_eq!(summary["targets"], 6);
    assert_eq!(summary["counts"]["ok"], 6, "{summary}");

    // Six modules, six certificates: none signed twice, each one the module reports.
    let index: Value =
        serde_json::from_slice(&std::fs::read(vault_dir.join("index.json")).unwrap()).unwrap();
    let issued: Vec<&str> = index["certificates"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["thumbprint"].as_str().unwrap())
        .collect();
    assert_eq!(issued.len(), 6, "{issued:?}");
    for module in &refs {
        let pki = sim.twin(module).await.reported("pki").unwrap();
        let thumbprint = pki["applicationCert"]["thumbprint"].as_str().unwrap();
        assert!(
            issued.contains(&thumbprint),
            "{module} reports {thumbprint}"
        );
    }
    // A finished run is not resumed again: a new run finds nothing to do.
    let again = rotate(&["--resume"]).output().unwrap();
    let summary: Value = serde_json::from_slice(&again.stdout).unwrap();
    assert_eq!(summary["issued"], 0, "{summary}");
    assert_ne!(summary["run"], Value::Null);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn renew_revoke_and_crl_take_their_targets_from_a_query() {
    let names = ["plc1", "plc2"];
    let sim = Sim::start(&names).await;
    let _modules: Vec<Module> = names
        .iter()
        .map(|m| Module::start(&sim, m, &format!("urn:{m}")))
        .collect();
    wait_for_csrs(&sim, &names).await;
    let dir = tempfile::tempdir().unwrap();
    let vault_dir = dir.path().join("vault");
    let (hub, ca) = (sim.running.service_connection_string(), sim.ca_file());
    let hub_args = vec![
        "--hub".to_owned(),
        hub.clone(),
        "--hub-ca".to_owned(),
        ca.display().to_string(),
    ];
    let opc_vault = move |args: &[&str]| {
        let output = Command::new(BIN)
            .arg("--vault")
            .arg(&vault_dir)
            .args(args)
            .args(&hub_args)
            .args(["--timeout", "30s", "--json"])
            .env_remove("IOTHUB_CONNECTION_STRING")
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
        assert!(output.status.success(), "{args:?}: {stderr}");
        let json = String::from_utf8_lossy(&output.stdout);
        // revoke and crl print their lines before the JSON summary.
        let at = json
            .find("{\n")
            .unwrap_or_else(|| panic!("no JSON summary: {json}"));
        serde_json::from_str::<Value>(&json[at..]).unwrap()
    };
    let init = Command::new(BIN)
        .arg("--vault")
        .arg(dir.path().join("vault"))
        .arg("init")
        .output()
        .unwrap();
    assert!(init.status.success());
    let thumbprint = |pki: &Value| {
        pki["applicationCert"]["thumbprint"]
            .as_str()
            .unwrap()
            .to_owned()
    };

    let provisioned = opc_vault(&["provision", "--where", "STARTSWITH(moduleId, 'plc')"]);
    assert_eq!(provisioned["issued"], 2, "{provisioned}");
    let plc1 = thumbprint(&sim.twin("plc1").await.reported("pki").unwrap());
    let plc2 = thumbprint(&sim.twin("plc2").await.reported("pki").unwrap());

    // renew: plc1 gets a new certificate although its own is valid; plc2 is not touched.
    let renewed = opc_vault(&["renew", "--where", "moduleId = 'plc1'"]);
    assert_eq!(renewed["issued"], 1, "{renewed}");
    let plc1_renewed = thumbprint(&sim.twin("plc1").await.reported("pki").unwrap());
    assert_ne!(plc1_renewed, plc1);
    assert_eq!(
        thumbprint(&sim.twin("plc2").await.reported("pki").unwrap()),
        plc2
    );

    // revoke: plc2's certificate is revoked and every store gets the CRL listing it.
    let pushed = opc_vault(&[
        "revoke",
        "--where",
        "moduleId = 'plc2'",
        "--reason",
        "keyCompromise",
    ]);
    assert_eq!(pushed["targets"], 2, "{pushed}");
    let index: Value =
        serde_json::from_slice(&std::fs::read(dir.path().join("vault/index.json")).unwrap())
            .unwrap();
    let record = index["certificates"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["thumbprint"] == plc2.as_str())
        .unwrap();
    assert_eq!(record["status"], "revoked");
    assert_eq!(record["reason"], "keyCompromise");
    let crl = sim.twin("plc1").await.reported("pki").unwrap()["crls"]["opcVaultRoot"].clone();
    assert_eq!(crl["revokedCount"], 1, "{crl}");
    let number = crl["crlNumber"].as_u64().unwrap();

    // crl: a fresh CRL reaches the stores the query names.
    let fresh = opc_vault(&["crl", "--where", "moduleId IN ['plc1', 'plc2']"]);
    assert_eq!(fresh["counts"]["ok"], 2, "{fresh}");
    let crl = sim.twin("plc2").await.reported("pki").unwrap()["crls"]["opcVaultRoot"].clone();
    assert_eq!(crl["crlNumber"].as_u64().unwrap(), number + 1, "{crl}");
}
