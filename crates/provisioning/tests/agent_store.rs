//! cert-agent's view of a store it keeps for an application it does not run: the .NET OPC
//! PLC's layout after its first start (PFX key), the CSR built from the app's own key, the
//! signed certificate installed so the app finds it with its key, and the restart committed
//! with it.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{BASE64, Engine as _, agent, b64, run_as, sign_csr, thumbprint};
use pki::{StatusCode, Store, StoreLayout};
use provisioning::contract::RestartState;
use provisioning::{ErrorCode, Section, Status, record_restart};
use serde_json::json;
use test_support::dotnet::{DotnetAppStore, dotnet_name};
use test_support::{Ca, LeafSpec, now, snapshot};

const DOTNET_URI: &str = "urn:opcplc:OpcPlc";

fn dotnet_store() -> (tempfile::TempDir, DotnetAppStore, Store) {
    let dir = tempfile::tempdir().unwrap();
    let dotnet = DotnetAppStore::create(dir.path(), "OpcPlc", DOTNET_URI, &["opcplc"]);
    let store = Store::open(StoreLayout::under(dir.path())).unwrap();
    (dir, dotnet, store)
}

#[test]
fn the_app_key_stays_in_its_pfx_and_the_signed_certificate_joins_it_with_a_restart() {
    let (_dir, dotnet, store) = dotnet_store();
    let first = run_as(&store, None, 1, Section::AgentStore, &agent());
    assert_eq!(first.outcome.status, Status::Applied);
    let own = first.reported.application_cert.clone().unwrap();
    assert_eq!(own.application_uri.as_deref(), Some(DOTNET_URI));
    assert!(own.self_signed);
    assert!(first.reported.csr.is_some(), "a CSR from the app's PFX key");

    let ca = Ca::root("Factory CA");
    let signed = sign_csr(&ca, &store, &first.reported);
    let desired = json!({
        "applicationCert": b64(&signed),
        "issuers": { "factoryCa": b64(ca.cert()) },
        "trusted": { "factoryCa": b64(ca.cert()) },
        "crls": { "factoryCa": BASE64.encode(ca.crl(&[])) },
        "restartModule": "opcplc",
    });
    let result = run_as(&store, Some(&desired), 2, Section::AgentStore, &agent());
    assert_eq!(
        result.outcome.status,
        Status::Applied,
        "{:?}",
        result.outcome.error
    );
    assert!(result.application_certificate_changed);

    // One certificate and one PFX, named as the .NET stack looks for them, same key.
    let name = dotnet_name(&signed);
    let own_dir = dotnet.root().join("own");
    assert!(own_dir.join("certs").join(format!("{name}.der")).is_file());
    assert!(
        own_dir
            .join("private")
            .join(format!("{name}.pfx"))
            .is_file()
    );
    assert!(!dotnet.key_file().exists());

    // The restart is committed with the certificate, pending until the runtime answers.
    let restart = result.reported.restart.clone().unwrap();
    assert_eq!(restart.module, "opcplc");
    assert_eq!(restart.thumbprint, thumbprint(&signed));
    assert_eq!(restart.state, RestartState::Pending);
    assert!(restart.at.is_none());

    record_restart(&store, &restart.thumbprint, Ok(()), now()).unwrap();
    let after = run_as(&store, Some(&desired), 2, Section::AgentStore, &agent());
    let restart = after.reported.restart.unwrap();
    assert_eq!(restart.state, RestartState::Restarted);
    assert!(restart.at.is_some());
    assert!(!after.changed);

    // A trust-list change asks for no restart: the .NET stack re-reads its folders.
    let revoked = ca.leaf(LeafSpec::client("X", "urn:x"));
    let mut newer = desired.clone();
    newer["crls"]["factoryCa"] = json!(BASE64.encode(ca.crl(&[&revoked.cert])));
    let trust_only = run_as(&store, Some(&newer), 3, Section::AgentStore, &agent());
    assert_eq!(trust_only.outcome.status, Status::Applied);
    assert!(trust_only.trust_changed && !trust_only.application_certificate_changed);
    assert_eq!(
        trust_only.reported.restart.unwrap().state,
        RestartState::Restarted
    );
}

#[test]
fn a_failed_restart_is_reported_with_the_runtime_answer_and_a_newer_certificate_wins() {
    let (_dir, _dotnet, store) = dotnet_store();
    let first = run_as(&store, None, 1, Section::AgentStore, &agent());
    let ca = Ca::root("Factory CA");
    let signed = sign_csr(&ca, &store, &first.reported);
    let desired = json!({
        "applicationCert": b64(&signed),
        "issuers": { "factoryCa": b64(ca.cert()) },
        "restartModule": "opcplc",
    });
    let result = run_as(&store, Some(&desired), 2, Section::AgentStore, &agent());
    let t = result.reported.restart.unwrap().thumbprint;
    // An answer for another certificate is ignored.
    record_restart(&store, "00", Err("stale".into()), now()).unwrap();
    record_restart(
        &store,
        &t,
        Err("404: module opcplc not found".into()),
        now(),
    )
    .unwrap();
    let after = run_as(&store, Some(&desired), 2, Section::AgentStore, &agent());
    let restart = after.reported.restart.unwrap();
    assert_eq!(restart.state, RestartState::Failed);
    assert_eq!(
        restart.error.as_deref(),
        Some("404: module opcplc not found")
    );
}

#[test]
fn the_new_certificate_must_be_for_the_same_application() {
    let (dir, _dotnet, store) = dotnet_store();
    let first = run_as(&store, None, 1, Section::AgentStore, &agent());
    let ca = Ca::root("Factory CA");
    let contents = store.contents().unwrap();
    let key = store
        .load_key(contents.application_certificate().unwrap())
        .unwrap();
    // The right key and subject, another application URI.
    let wrong = ca.leaf(
        LeafSpec::server("OpcPlc", "urn:someone:else", "opcplc")
            .organization("OPC Foundation")
            .with_key(key.pkey().clone()),
    );
    let before = snapshot(dir.path());
    let desired = json!({
        "applicationCert": b64(&wrong.cert),
        "issuers": { "factoryCa": b64(ca.cert()) },
    });
    let result = run_as(&store, Some(&desired), 2, Section::AgentStore, &agent());
    let error = result.outcome.error.unwrap();
    assert_eq!(
        (error.item.as_str(), error.code),
        (
            "applicationCert",
            ErrorCode::Status(StatusCode::BadCertificateUriInvalid)
        )
    );
    assert_eq!(snapshot(dir.path()), before);
    assert_eq!(result.reported.csr, first.reported.csr);
}
