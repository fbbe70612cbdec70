#![allow(clippy::unwrap_used, clippy::needless_pass_by_value)]

use openssl::pkey::PKey;
use openssl::rsa::Rsa;
use serde_json::json;
use time::macros::datetime;

use super::*;
use crate::model::RevocationReason;
use crate::vault::{InitOptions, IntermediateOptions, SignOptions, Vault};

const NOW: OffsetDateTime = datetime!(2026-12-01 10:00 UTC);

fn vault() -> (tempfile::TempDir, Vault) {
    let dir = tempfile::tempdir().unwrap();
    let options = InitOptions {
        intermediate: Some(IntermediateOptions {
            subject: "CN=OPC Vault Issuing CA".into(),
            years: 5,
        }),
        ..InitOptions::default()
    };
    let vault = Vault::init(&dir.path().join("vault"), &options, NOW).unwrap();
    (dir, vault)
}

fn signed(vault: &Vault, cn: &str, uri: &str) -> crate::vault::Signed {
    let key = PKey::from_rsa(Rsa::generate(2048).unwrap()).unwrap();
    let csr = test_support::csr_der(cn, Some(uri), &[], &key, &key);
    vault.sign(&csr, &SignOptions::default(), NOW).unwrap()
}

fn app_cert(thumbprint: &str, issuer: &str, self_signed: bool) -> Value {
    json!({
        "thumbprint": thumbprint, "subject": "CN=OpcPlc", "issuer": issuer,
        "notBefore": "2026-11-01T00:00:00Z", "notAfter": "2027-11-01T00:00:00Z",
        "daysLeft": 334, "selfSigned": self_signed, "applicationUri": "urn:opcplc"
    })
}

fn reported(cert: Value, desired_version: u64) -> Value {
    json!({
        "status": "applied", "desiredVersion": desired_version,
        "applicationCert": cert,
        "expiry": {"status": "ok", "warningDays": 14},
    })
}

fn twin(device: &str, module: &str, desired: Value, reported: Value) -> ModuleTwin {
    serde_json::from_value(json!({
        "deviceId": device, "moduleId": module, "etag": "AAAAAAAAAAE=", "version": 3,
        "properties": {"desired": desired, "reported": reported},
    }))
    .unwrap()
}

#[test]
fn a_self_signed_module_shows_no_chain_and_no_vault_record() {
    let (_dir, vault) = vault();
    let state = vault.read().unwrap();
    let plc = twin(
        "edge1",
        "opcplc",
        json!({"$version": 1}),
        json!({"pki": reported(app_cert("AA", "CN=OpcPlc", true), 1)}),
    );
    let view = modules("hub.example", &[plc], &[], &state, NOW);
    assert_eq!(view.modules.len(), 1);
    let store = &view.modules[0].stores[0];
    assert_eq!(store.target, "opcplc");
    assert!(store.chain.is_empty());
    assert!(store.vault.is_none());
    assert!(!store.has_desired);
    assert!(!store.applying);
    assert_eq!(
        store
            .reported
            .as_ref()
            .unwrap()
            .application_cert
            .as_ref()
            .unwrap()
            .thumbprint,
        "AA"
    );
}

#[test]
fn a_certificate_of_the_vault_hangs_on_the_issuing_ca_and_the_root_and_shows_its_record() {
    let (_dir, vault) = vault();
    let issued = signed(&vault, "OpcPlc", "urn:opcplc");
    let thumbprint = issued.certificate.thumbprint().to_string();
    vault
        .revoke(&thumbprint, RevocationReason::KeyCompromise, NOW)
        .unwrap();
    let state = vault.read().unwrap();
    let plc = twin(
        "edge1",
        "opcplc",
        json!({"$version": 2, "pki": {"applicationCert": "…"}}),
        json!({"pki": reported(app_cert(&thumbprint, "CN=OPC Vault Issuing CA", false), 2)}),
    );
    let view = modules("hub.example", &[plc], &[], &state, NOW);
    let store = &view.modules[0].stores[0];
    assert_eq!(
        store.chain,
        vec![
            ChainLink {
                subject: "CN=OPC Vault Issuing CA".into(),
                role: Some(CaRole::Issuing)
            },
            ChainLink {
                subject: "CN=OPC Vault CA".into(),
                role: Some(CaRole::Root)
            },
        ]
    );
    let record = store.vault.as_ref().unwrap();
    assert_eq!(record.status, CertStatus::Revoked);
    assert_eq!(record.serial, issued.record.serial);
}

#[test]
fn an_unknown_issuer_is_shown_as_the_one_link_of_its_chain() {
    let (_dir, vault) = vault();
    let state = vault.read().unwrap();
    assert_eq!(
        chain_of("CN=Other CA", &state),
        vec![ChainLink {
            subject: "CN=Other CA".into(),
            role: None
        }]
    );
    assert_eq!(
        chain_of("CN=OPC Vault CA", &state),
        vec![ChainLink {
            subject: "CN=OPC Vault CA".into(),
            role: Some(CaRole::Root)
        }]
    );
}

#[test]
fn cert_agent_stores_are_listed_from_desired_and_reported_with_their_targets() {
    let (_dir, vault) = vault();
    let state = vault.read().unwrap();
    let agent = twin(
        "edge1",
        "certagent",
        json!({"$version": 5, "stores": {"dotnetplc": {"restartModule": "dotnetplc"}, "publisher": {}}}),
        json!({"stores": {
            "dotnetplc": reported(app_cert("BB", "CN=OpcPlc", true), 4),
            "scanned": reported(app_cert("CC", "CN=OpcPlc", true), 5),
        }}),
    );
    let view = modules("hub.example", &[agent], &[], &state, NOW);
    let targets: Vec<(&str, bool, bool)> = view.modules[0]
        .stores
        .iter()
        .map(|s| (s.target.as_str(), s.has_desired, s.applying))
        .collect();
    // dotnetplc: desired $version 5 but reported for 4, so still applying; scanned: found
    // on the volume, not in the twin yet.
    assert_eq!(
        targets,
        vec![
            ("certagent:dotnetplc", true, true),
            ("certagent:publisher", true, true),
            ("certagent:scanned", false, false),
        ]
    );
}

#[test]
fn a_reported_section_that_is_not_the_contracts_is_shown_as_unreadable_not_dropped() {
    let (_dir, vault) = vault();
    let state = vault.read().unwrap();
    let odd = twin(
        "edge1",
        "vendor",
        json!({}),
        json!({"pki": {"status": "fine", "applicationCert": 7}}),
    );
    let view = modules("hub.example", &[odd], &[], &state, NOW);
    let store = &view.modules[0].stores[0];
    assert!(store.reported.is_none());
    assert!(
        store
            .unreadable
            .as_deref()
            .unwrap()
            .starts_with("the reported section is not the contract's"),
        "{:?}",
        store.unreadable
    );
}

#[test]
fn twins_without_certificates_are_left_out_and_runtime_status_comes_from_edge_agent() {
    let (_dir, vault) = vault();
    let state = vault.read().unwrap();
    let plc = twin(
        "edge1",
        "opcplc",
        json!({}),
        json!({"pki": reported(app_cert("AA", "CN=OpcPlc", true), 1)}),
    );
    let other = twin("edge1", "sensor", json!({"interval": 5}), json!({}));
    let agent = twin(
        "edge1",
        EDGE_AGENT,
        json!({}),
        json!({
            "systemModules": {"edgeHub": {"runtimeStatus": "running"}},
            "modules": {"opcplc": {"runtimeStatus": "backoff", "statusDescription": "exited with 1"}},
        }),
    );
    let view = modules(
        "hub.example",
        &[other, plc],
        std::slice::from_ref(&agent),
        &state,
        NOW,
    );
    assert_eq!(view.modules.len(), 1);
    assert_eq!(view.modules[0].runtime_status.as_deref(), Some("backoff"));
    assert_eq!(
        view.modules[0].status_description.as_deref(),
        Some("exited with 1")
    );
    let statuses = runtime_statuses(&[agent]);
    assert_eq!(
        statuses
            .get(&("edge1".to_owned(), "$edgeHub".to_owned()))
            .map(|(s, _)| s.as_str()),
        Some("running")
    );
}

#[test]
fn the_ca_view_lists_issued_certificates_newest_first_with_the_crls() {
    let (_dir, vault) = vault();
    let first = signed(&vault, "OpcPlc", "urn:opcplc");
    let later = NOW + time::Duration::hours(1);
    let key = PKey::from_rsa(Rsa::generate(2048).unwrap()).unwrap();
    let csr = test_support::csr_der("OpcClient", Some("urn:opcclient"), &[], &key, &key);
    let second = vault.sign(&csr, &SignOptions::default(), later).unwrap();
    vault
        .revoke(&first.record.serial, RevocationReason::Superseded, later)
        .unwrap();
    let state = vault.read().unwrap();
    let view = ca(&state, later);
    assert_eq!(view.cas.len(), 2);
    assert_eq!(view.cas[0].role, CaRole::Root);
    let serials: Vec<&str> = view
        .issued
        .iter()
        .map(|i| i.record.serial.as_str())
        .collect();
    assert_eq!(
        serials,
        vec![second.record.serial.as_str(), first.record.serial.as_str()]
    );
    assert_eq!(view.issued[1].record.status, CertStatus::Revoked);
    let issuing = view
        .crls
        .iter()
        .find(|c| c.role == CaRole::Issuing)
        .unwrap();
    assert_eq!(issuing.revoked_count, 1);
    assert!(!issuing.overdue);
    let json = serde_json::to_value(&view).unwrap();
    assert_eq!(json["issued"][1]["status"], "revoked");
    assert_eq!(json["issued"][1]["applicationUri"], "urn:opcplc");
    assert!(revocation_reasons().contains(&"keyCompromise".to_owned()));
}
