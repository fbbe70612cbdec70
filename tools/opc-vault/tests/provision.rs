//! `provision` against an in-process edge-sim through IoT Hub's service REST API: modules
//! running the real own-`pki` twin driver (as `opc-plc` and `opc-client` do) and cert-agent's
//! reconciler report CSRs; the vault signs them and writes certificate, CA chain and CRLs to
//! their desired properties; the modules apply them and report the vault's thumbprint. A second
//! run writes nothing; a revocation reaches every module with `--crl-only`; a module that
//! refuses the document fails the run with its error.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

mod common;

use common::{Agent, Module, Sim, options, provision};
use opc_vault::provision::{CertAction, Target, TargetError, TargetOutcome};
use opc_vault::{CaRole, RevocationReason};
use provisioning::ErrorCode;
use serde_json::json;

const PLC_URI: &str = "urn:OpcPlc:localhost";
const CLIENT_URI: &str = "urn:OpcClient:localhost";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_modules_report_the_vault_certificates_and_a_second_run_writes_nothing() {
    let sim = Sim::start(&["opcplc", "opcclient"]).await;
    let _plc = Module::start(&sim, "opcplc", PLC_URI);
    let _client = Module::start(&sim, "opcclient", CLIENT_URI);
    let (_dir, vault) = common::vault(true);
    let targets = [Target::own("opcplc"), Target::own("opcclient")];

    let (reports, lines) = provision(&sim, &vault, &targets, &options()).await;
    let state = vault.read().unwrap();
    assert_eq!(state.index.certificates.len(), 2, "{lines:#?}");
    for (report, uri) in reports.iter().zip([PLC_URI, CLIENT_URI]) {
        assert!(report.succeeded(), "{report:?}\n{lines:#?}");
        assert_eq!(report.status(), "applied");
        assert_eq!(report.action, CertAction::Issued);
        let record = state
            .index
            .certificates
            .iter()
            .find(|r| r.application_uri == uri)
            .unwrap();
        assert_eq!(
            report.thumbprint.as_deref(),
            Some(record.thumbprint.as_str())
        );
        // The module reports it, applied, for the version written.
        let twin = sim.twin(&report.target.module).await;
        let pki = twin.reported("pki").unwrap();
        assert_eq!(pki["status"], "applied");
        assert_eq!(
            pki["applicationCert"]["thumbprint"],
            record.thumbprint.as_str()
        );
        assert_eq!(pki["applicationCert"]["selfSigned"], false);
        assert_eq!(pki["applicationCert"]["issuer"], "CN=OPC Vault Issuing CA");
        assert_eq!(pki["desiredVersion"], twin.desired_version().unwrap().get());
        assert_eq!(pki["crls"][CaRole::Issuing.twin_name()]["crlNumber"], 1);
        // The desired document under the stable names.
        let desired = twin.desired("pki").unwrap();
        let names = |member: &str| -> Vec<String> {
            desired[member]
                .as_object()
                .unwrap()
                .keys()
                .cloned()
                .collect()
        };
        assert_eq!(names("trusted"), ["opcVaultRoot"]);
        assert_eq!(names("issuers"), ["opcVaultIssuing", "opcVaultRoot"]);
        assert_eq!(names("crls"), ["opcVaultIssuing", "opcVaultRoot"]);
    }
    assert!(
        lines.iter().any(|l| l.starts_with("opcplc: signed its CSR for urn:OpcPlc:localhost (self-signed)")),
        "{lines:#?}"
    );

    // Again: every certificate stays, nothing is written, the desired versions stay.
    let versions = [
        sim.twin("opcplc").await.desired_version(),
        sim.twin("opcclient").await.desired_version(),
    ];
    let (again, lines) = provision(&sim, &vault, &targets, &options()).await;
    for report in &again {
        assert!(report.succeeded(), "{report:?}\n{lines:#?}");
        assert_eq!(report.status(), "unchanged");
        assert_eq!(report.action, CertAction::Kept);
    }
    assert_eq!(
        [
            sim.twin("opcplc").await.desired_version(),
            sim.twin("opcclient").await.desired_version(),
        ],
        versions
    );
    assert_eq!(vault.read().unwrap().index.certificates.len(), 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_revocation_reaches_every_module_with_crl_only() {
    let sim = Sim::start(&["opcplc", "opcclient"]).await;
    let _plc = Module::start(&sim, "opcplc", PLC_URI);
    let _client = Module::start(&sim, "opcclient", CLIENT_URI);
    let (_dir, vault) = common::vault(true);
    let targets = [Target::own("opcplc"), Target::own("opcclient")];
    let (reports, lines) = provision(&sim, &vault, &targets, &options()).await;
    assert!(
        reports
            .iter()
            .all(opc_vault::provision::TargetReport::succeeded),
        "{lines:#?}"
    );
    let client_cert = reports[1].thumbprint.clone().unwrap();

    let revocation = vault
        .revoke(
            &client_cert,
            RevocationReason::KeyCompromise,
            test_support::now(),
        )
        .unwrap();
    let number = revocation.crl.unwrap().crl.crl_number().unwrap();
    assert_eq!(number, 2);
    let crl_only = opc_vault::provision::ProvisionOptions {
        crl_only: true,
        ..options()
    };
    let (reports, lines) = provision(&sim, &vault, &targets, &crl_only).await;
    for report in &reports {
        assert!(report.succeeded(), "{report:?}\n{lines:#?}");
        assert_eq!(report.status(), "applied");
        assert_eq!(report.action, CertAction::NotChecked);
        let pki = sim
            .twin(&report.target.module)
            .await
            .reported("pki")
            .unwrap();
        let crl = &pki["crls"][CaRole::Issuing.twin_name()];
        assert_eq!(crl["crlNumber"], number, "{pki:#}");
        assert_eq!(crl["revokedCount"], 1);
        assert_eq!(pki["crls"][CaRole::Root.twin_name()]["crlNumber"], 1);
    }
    // The client still holds its (now revoked) certificate: --crl-only leaves it alone.
    let client = sim.twin("opcclient").await.reported("pki").unwrap();
    assert_eq!(
        client["applicationCert"]["thumbprint"],
        client_cert.as_str()
    );
    // A normal run then renews the revoked certificate (the CSR of the same key).
    let (reports, lines) = provision(&sim, &vault, &[Target::own("opcclient")], &options()).await;
    assert!(reports[0].succeeded(), "{lines:#?}");
    assert_eq!(reports[0].action, CertAction::Issued);
    assert_ne!(reports[0].thumbprint.as_deref(), Some(client_cert.as_str()));
    assert!(
        lines.iter().any(|l| l.contains("was revoked")),
        "{lines:#?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_module_that_refuses_the_document_fails_the_run_with_its_error() {
    let sim = Sim::start(&["opcplc", "opcclient"]).await;
    // The operator's own entry in the PLC's twin is broken: the module refuses the whole
    // document the vault's patch merges into.
    sim.running
        .patch_desired(
            "opcplc",
            json!({"pki": {"trusted": {"broken": "bm90IGEgY2VydGlmaWNhdGU="}}}),
        )
        .unwrap();
    let _plc = Module::start(&sim, "opcplc", PLC_URI);
    let _client = Module::start(&sim, "opcclient", CLIENT_URI);
    let (_dir, vault) = common::vault(false);
    let targets = [Target::own("opcplc"), Target::own("opcclient")];

    let (reports, lines) = provision(&sim, &vault, &targets, &options()).await;
    let TargetOutcome::Failed(TargetError::Refused {
        status,
        property,
        error,
        ..
    }) = &reports[0].outcome
    else {
        panic!(
            "the PLC did not fail with its refusal: {:?}\n{lines:#?}",
            reports[0]
        );
    };
    assert_eq!((*status, property.as_str()), ("rejected", "pki"));
    assert_eq!(error.item, "trusted.broken");
    assert_eq!(
        error.code,
        ErrorCode::Status(pki::StatusCode::BadCertificateInvalid)
    );
    assert_eq!(reports[0].status(), "rejected");
    let message = reports[0].error().unwrap();
    assert!(
        message.contains("trusted.broken: BadCertificateInvalid"),
        "{message}"
    );
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with("opcplc: failed: rejected the desired pki of version")),
        "{lines:#?}"
    );
    // The other module is not held up.
    assert!(reports[1].succeeded(), "{:?}", reports[1]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_refusal_of_an_earlier_document_is_not_taken_for_the_answer_to_the_new_one() {
    let sim = Sim::start(&["opcplc"]).await;
    // An earlier, botched write of the vault's own CRL name: the module refuses it...
    sim.running
        .patch_desired(
            "opcplc",
            json!({"pki": {"crls": {"opcVaultRoot": "bm90IGEgQ1JM"}}}),
        )
        .unwrap();
    let _plc = Module::start(&sim, "opcplc", PLC_URI);
    sim.reported_until("opcplc", "pki", "rejected the botched CRL", |pki| {
        pki["status"] == "rejected" && pki["error"]["item"] == "crls.opcVaultRoot"
    })
    .await;
    // ...and the vault's run replaces it: the old refusal is not its answer.
    let (_dir, vault) = common::vault(false);
    let (reports, lines) = provision(&sim, &vault, &[Target::own("opcplc")], &options()).await;
    assert!(reports[0].succeeded(), "{:?}\n{lines:#?}", reports[0]);
    assert_eq!(reports[0].status(), "applied");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_csr_for_another_uri_than_the_modules_certificate_is_not_signed() {
    let sim = Sim::start(&["opcplc"]).await;
    // The store's certificate is for one URI, the module asks for another in its CSR.
    let _plc = Module::start_with(&sim, "opcplc", "urn:old:plc", PLC_URI);
    let (_dir, vault) = common::vault(false);
    let before = sim.twin("opcplc").await.desired_version();

    let (reports, lines) = provision(&sim, &vault, &[Target::own("opcplc")], &options()).await;
    let TargetOutcome::Failed(TargetError::UriMismatch { csr, reported }) = &reports[0].outcome
    else {
        panic!("not refused: {:?}\n{lines:#?}", reports[0]);
    };
    assert_eq!((csr.as_str(), reported.as_str()), (PLC_URI, "urn:old:plc"));
    assert!(vault.read().unwrap().index.certificates.is_empty());
    assert_eq!(sim.twin("opcplc").await.desired_version(), before);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_cert_agent_store_is_provisioned_through_its_stores_entry() {
    let sim = Sim::start(&["certagent", "opcplc"]).await;
    let _agent = Agent::start(&sim, "certagent", "vendorplc", "urn:vendor:plc");
    let _plc = Module::start(&sim, "opcplc", PLC_URI);
    let (_dir, vault) = common::vault(true);
    let targets = [
        Target::store("certagent", "vendorplc"),
        Target::own("opcplc"),
    ];

    let (reports, lines) = provision(&sim, &vault, &targets, &options()).await;
    for report in &reports {
        assert!(report.succeeded(), "{report:?}\n{lines:#?}");
    }
    let state = vault.read().unwrap();
    let record = state
        .index
        .certificates
        .iter()
        .find(|r| r.application_uri == "urn:vendor:plc")
        .unwrap();
    let twin = sim.twin("certagent").await;
    let store = &twin.reported("stores").unwrap()["vendorplc"];
    assert_eq!(store["status"], "applied");
    assert_eq!(
        store["applicationCert"]["thumbprint"],
        record.thumbprint.as_str()
    );
    let desired = &twin.desired("stores").unwrap()["vendorplc"];
    assert!(desired["applicationCert"].is_string());
    assert!(desired["trusted"]["opcVaultRoot"].is_string());
    assert!(
        twin.desired("pki").is_none(),
        "nothing but stores is written to cert-agent"
    );
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with("certagent:vendorplc: wrote the desired stores.vendorplc")),
        "{lines:#?}"
    );

    // A second run leaves both alone.
    let (again, lines) = provision(&sim, &vault, &targets, &options()).await;
    assert!(
        again.iter().all(|r| r.status() == "unchanged"),
        "{again:?}\n{lines:#?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_module_that_never_reports_times_out_with_what_it_waited_for() {
    let sim = Sim::start(&["silent"]).await;
    let (_dir, vault) = common::vault(false);
    let quick = opc_vault::provision::ProvisionOptions {
        timeout: std::time::Duration::from_secs(1),
        ..options()
    };
    let (reports, _) = provision(&sim, &vault, &[Target::own("silent")], &quick).await;
    let TargetOutcome::Failed(TargetError::Timeout { last, .. }) = &reports[0].outcome else {
        panic!("no timeout: {:?}", reports[0]);
    };
    assert_eq!(last, "it reports no pki yet");
    assert_eq!(reports[0].status(), "timeout");
}
