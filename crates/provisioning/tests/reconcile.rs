//! Reconciliation of a module's desired `pki` with its store: the CSR flow, idempotence,
//! all-or-nothing refusals, removals by name, CRL updates, cert-agent extras, the record and
//! the size budget of the report.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::too_many_lines)]

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use openssl::x509::{X509, X509Req};
use pki::{Certificate, Operation, PlanOptions, SelfSignedSpec, Store, StoreLayout, Thumbprint};
use provisioning::{Context, REPORTED_BUDGET_BYTES, Reconciliation, Section, Status, reconcile};
use serde_json::{Value, json};
use test_support::{Ca, LeafSpec, TestStore, now, self_signed, snapshot};

const URI: &str = "urn:OpcPlc:plc1";

fn b64(x: &X509) -> String {
    BASE64.encode(x.to_der().unwrap())
}

fn context() -> Context {
    Context {
        application_uri: Some(URI.to_owned()),
        ..Context::new(now())
    }
}

/// A module's store after its first start: a self-signed certificate and its key.
fn module_store() -> (TestStore, Store) {
    let dir = TestStore::new();
    let store = Store::open(StoreLayout::under(dir.path())).unwrap();
    store
        .transact(
            vec![Operation::CreateSelfSigned(SelfSignedSpec::new(
                "CN=OpcPlc",
                URI,
                vec!["plc1".into()],
            ))],
            &PlanOptions::new(now()),
        )
        .unwrap();
    (dir, store)
}

fn run(store: &Store, desired: &Value, version: i64) -> Reconciliation {
    reconcile(
        store,
        Some(desired),
        Some(version),
        Section::OwnPki,
        &context(),
    )
}

/// What the CA does with the reported CSR: a certificate for the requested key. (The test CA
/// issues from a key pair, so it certifies the store's key after checking that the CSR asks
/// for exactly that key.)
fn sign_csr(ca: &Ca, store: &Store, reported: &serde_json::Map<String, Value>) -> X509 {
    let der = BASE64
        .decode(reported["csr"].as_str().expect("a CSR is reported"))
        .unwrap();
    let request = X509Req::from_der(&der).unwrap();
    let public = request.public_key().unwrap();
    assert!(
        request.verify(&public).unwrap(),
        "the CSR is signed by its key"
    );
    let contents = store.contents().unwrap();
    let key = store
        .load_key(contents.application_certificate().unwrap())
        .unwrap();
    assert!(
        public.public_eq(key.pkey()),
        "the CSR is for the store's key"
    );
    ca.leaf(LeafSpec::server("OpcPlc", URI, "plc1").with_key(key.pkey().clone()))
        .cert
}

fn thumbprint(x: &X509) -> String {
    test_support::thumbprint(&x.to_der().unwrap())
}

/// The desired document the CA writes: the signed certificate, the CA as trusted and issuer,
/// and its CRL.
fn provisioned(ca: &Ca, signed: &X509, crl: &[u8]) -> Value {
    json!({
        "applicationCert": b64(signed),
        "trusted": { "vaultCa": b64(ca.cert()) },
        "issuers": { "vaultCa": b64(ca.cert()) },
        "crls": { "vaultCa": BASE64.encode(crl) },
    })
}

#[test]
fn a_fresh_module_reports_its_self_signed_certificate_and_a_csr_and_writes_nothing() {
    let (dir, store) = module_store();
    let before = snapshot(dir.path());
    let result = reconcile(&store, None, Some(1), Section::OwnPki, &context());
    assert_eq!(result.status, Status::Applied);
    assert!(!result.changed);
    assert_eq!(snapshot(dir.path()), before);

    let r = &result.reported;
    assert_eq!(r["status"], "applied");
    assert_eq!(r["desiredVersion"], 1);
    assert_eq!(r["error"], Value::Null);
    assert_eq!(r["applicationCert"]["selfSigned"], true);
    assert_eq!(r["applicationCert"]["subject"], "CN=OpcPlc");
    assert_eq!(r["applicationCert"]["applicationUri"], URI);
    assert_eq!(r["trusted"], json!({}));
    assert_eq!(r["crls"], json!({}));

    // The CSR is for the store's key, with the application URI in its SAN.
    let der = BASE64.decode(r["csr"].as_str().unwrap()).unwrap();
    let request = X509Req::from_der(&der).unwrap();
    let contents = store.contents().unwrap();
    let own = contents.application_certificate().unwrap();
    let key = store.load_key(own).unwrap();
    assert!(request.public_key().unwrap().public_eq(key.pkey()));
    let text = String::from_utf8(request.to_text().unwrap()).unwrap();
    assert!(text.contains(URI), "{text}");
    hub_proto_check(r);
}

/// The report is a valid reported patch for edgeHub.
fn hub_proto_check(reported: &serde_json::Map<String, Value>) {
    let mut patch = serde_json::Map::new();
    patch.insert("pki".into(), Value::Object(reported.clone()));
    hub_proto::twin::validate_reported_patch(&patch).unwrap();
}

#[test]
fn the_csr_flow_installs_certificate_ca_and_crl_in_one_commit_and_reports_them() {
    let (dir, store) = module_store();
    let ca = Ca::root("Vault CA");
    let first = reconcile(&store, None, Some(1), Section::OwnPki, &context());
    let signed = sign_csr(&ca, &store, &first.reported);
    let crl = ca.crl(&[]);

    let result = run(&store, &provisioned(&ca, &signed, &crl), 2);
    assert_eq!(result.status, Status::Applied, "{:?}", result.error);
    assert!(result.changed && result.trust_changed && result.application_certificate_changed);

    let r = &result.reported;
    assert_eq!(r["desiredVersion"], 2);
    assert_eq!(r["applicationCert"]["thumbprint"], thumbprint(&signed));
    assert_eq!(r["applicationCert"]["selfSigned"], false);
    assert_eq!(r["applicationCert"]["issuer"], "CN=Vault CA");
    assert_eq!(r["trusted"]["vaultCa"]["thumbprint"], ca.thumbprint());
    assert_eq!(r["issuers"]["vaultCa"]["subject"], "CN=Vault CA");
    assert_eq!(r["crls"]["vaultCa"]["issuer"], "CN=Vault CA");
    assert_eq!(r["crls"]["vaultCa"]["stores"], json!(["trusted", "issuer"]));
    assert_eq!(r["crls"]["vaultCa"]["revokedCount"], 0);
    assert!(r["crls"]["vaultCa"]["crlNumber"].is_u64());
    hub_proto_check(r);

    // The store holds exactly that: one own certificate (the signed one, same key), the CA in
    // both lists, its CRL in both.
    let contents = store.contents().unwrap();
    assert_eq!(contents.own.len(), 1);
    assert_eq!(
        contents.own[0].cert.thumbprint().to_string(),
        thumbprint(&signed)
    );
    assert_eq!(contents.trusted.len(), 1);
    assert_eq!(contents.issuer.len(), 1);
    assert_eq!(contents.trusted_crls.len(), 1);
    assert_eq!(contents.issuer_crls.len(), 1);
    assert!(dir.path().join(pki::store::RECORD_FILE).is_file());
}

#[test]
fn the_same_document_again_writes_nothing_and_reports_the_same() {
    let (dir, store) = module_store();
    let ca = Ca::root("Vault CA");
    let first = reconcile(&store, None, Some(1), Section::OwnPki, &context());
    let desired = provisioned(&ca, &sign_csr(&ca, &store, &first.reported), &ca.crl(&[]));
    let applied = run(&store, &desired, 2);
    assert!(applied.changed);

    let before = snapshot(dir.path());
    let again = run(&store, &desired, 2);
    assert_eq!(again.status, Status::Applied);
    assert!(!again.changed && !again.trust_changed && !again.application_certificate_changed);
    assert_eq!(snapshot(dir.path()), before);
    // The CSR too: RSA PKCS#1 v1.5 signatures are deterministic.
    assert_eq!(again.reported, applied.reported);
}

#[test]
fn one_bad_item_refuses_the_document_and_leaves_store_and_report_as_they_were() {
    let (dir, store) = module_store();
    let ca = Ca::root("Vault CA");
    let stranger = Ca::root("Stranger CA");
    let first = reconcile(&store, None, Some(1), Section::OwnPki, &context());
    let signed = sign_csr(&ca, &store, &first.reported);
    let before = snapshot(dir.path());

    let cases: Vec<(Value, &str, &str)> = vec![
        (
            json!({ "trusted": { "vaultCa": b64(ca.cert()) }, "crls": { "bad": "not base64!" } }),
            "crls.bad",
            "BadCertificateInvalid",
        ),
        (
            json!({ "trusted": { "vaultCa": b64(ca.cert()) },
                    "crls": { "stranger": BASE64.encode(stranger.crl(&[])) } }),
            "crls.stranger",
            "BadCertificateChainIncomplete",
        ),
        (
            // A CA-signed certificate without its CA: does not chain.
            json!({ "applicationCert": b64(&signed) }),
            "applicationCert",
            "BadCertificateChainIncomplete",
        ),
        (
            json!({ "trusted": { "vaultCa": 42 } }),
            "trusted.vaultCa",
            "BadTypeMismatch",
        ),
        (
            json!({ "trusted": [b64(ca.cert())] }),
            "trusted",
            "BadTypeMismatch",
        ),
        (
            json!({ "issuer": { "vaultCa": b64(ca.cert()) } }),
            "issuer",
            "BadInvalidArgument",
        ),
        (
            json!({ "approveRejected": { "AB": true } }),
            "approveRejected",
            "BadInvalidArgument",
        ),
        (json!(["not", "an", "object"]), "", "BadTypeMismatch"),
    ];
    for (desired, item, code) in cases {
        let result = run(&store, &desired, 3);
        assert_eq!(result.status, Status::Rejected, "{desired}");
        let error = result.error.as_ref().unwrap();
        assert_eq!(
            (error.item.as_str(), error.code.as_str()),
            (item, code),
            "{error}"
        );
        assert!(!result.changed);
        assert_eq!(snapshot(dir.path()), before, "{desired}");
        let r = &result.reported;
        assert_eq!(r["status"], "rejected");
        assert_eq!(r["error"]["item"], item);
        assert_eq!(r["error"]["code"], code);
        assert!(!r["error"]["message"].as_str().unwrap().is_empty());
        // The report still shows the store as it is: self-signed, nothing trusted.
        assert_eq!(r["applicationCert"]["selfSigned"], true);
        assert_eq!(r["trusted"], json!({}));
    }
}

#[test]
fn a_private_key_in_the_twin_is_refused_and_never_written() {
    let (dir, store) = module_store();
    let before = snapshot(dir.path());
    let key_pem =
        String::from_utf8(self_signed(LeafSpec::server("X", URI, "x")).key_pem_pkcs8()).unwrap();
    let result = run(&store, &json!({ "privateKey": key_pem }), 2);
    assert_eq!(result.status, Status::Rejected);
    let error = result.error.unwrap();
    assert_eq!(error.item, "privateKey");
    assert_eq!(error.code, "BadSecurityChecksFailed");
    assert!(error.message.contains("CSR"), "{}", error.message);
    assert_eq!(snapshot(dir.path()), before);
    // The report carries the reason, never the key.
    let text = serde_json::to_string(&result.reported).unwrap();
    assert!(!text.contains("PRIVATE KEY"));
}

#[test]
fn a_name_dropped_from_the_twin_removes_its_certificate_only() {
    let (_dir, store) = module_store();
    let ca = Ca::root("Vault CA");
    let peer = self_signed(LeafSpec::client("Client", "urn:client"));
    let by_hand = self_signed(LeafSpec::client("Other", "urn:other"));
    // An operator's certificate, installed by the command line: not the twin's to remove.
    store
        .transact(
            vec![Operation::AddTrusted(vec![
                Certificate::from_der(&by_hand.der()).unwrap(),
            ])],
            &PlanOptions::new(now()),
        )
        .unwrap();

    let both = json!({ "trusted": { "vaultCa": b64(ca.cert()), "client": b64(&peer.cert) } });
    assert_eq!(run(&store, &both, 2).status, Status::Applied);
    assert_eq!(store.contents().unwrap().trusted.len(), 3);

    let one = json!({ "trusted": { "client": b64(&peer.cert) } });
    let result = run(&store, &one, 3);
    assert_eq!(result.status, Status::Applied);
    assert!(result.trust_changed);
    let trusted: Vec<String> = store
        .contents()
        .unwrap()
        .trusted
        .iter()
        .map(|s| s.cert.thumbprint().to_string())
        .collect();
    assert_eq!(trusted.len(), 2);
    assert!(!trusted.contains(&ca.thumbprint()));
    assert!(trusted.contains(&peer.thumbprint()));
    assert!(trusted.contains(&by_hand.thumbprint()));

    // Reported: the twin's name, and the operator's certificate under its thumbprint.
    let r = &result.reported["trusted"];
    assert_eq!(r["client"]["thumbprint"], peer.thumbprint());
    assert_eq!(r[by_hand.thumbprint().as_str()]["subject"], "CN=Other");
    assert!(r.get("vaultCa").is_none());

    // The whole section removed: the twin's entries go, the operator's stays.
    let result = reconcile(&store, None, Some(4), Section::OwnPki, &context());
    assert_eq!(result.status, Status::Applied);
    let contents = store.contents().unwrap();
    assert_eq!(contents.trusted.len(), 1);
    assert_eq!(
        contents.trusted[0].cert.thumbprint().to_string(),
        by_hand.thumbprint()
    );
}

#[test]
fn a_renamed_entry_changes_the_record_not_the_trust_list() {
    let (dir, store) = module_store();
    let ca = Ca::root("Vault CA");
    assert_eq!(
        run(&store, &json!({ "trusted": { "old": b64(ca.cert()) } }), 2).status,
        Status::Applied
    );
    let certs = dir.path().join("trusted/certs");
    let files = |d: &std::path::Path| snapshot(d);
    let before = files(&certs);
    let result = run(&store, &json!({ "trusted": { "new": b64(ca.cert()) } }), 3);
    assert_eq!(result.status, Status::Applied);
    assert!(!result.trust_changed);
    assert_eq!(files(&certs), before);
    assert_eq!(
        result.reported["trusted"]["new"]["thumbprint"],
        ca.thumbprint()
    );
    assert!(result.reported["trusted"].get("old").is_none());
}

#[test]
fn a_newer_crl_replaces_the_old_one_and_an_older_one_is_refused() {
    let (dir, store) = module_store();
    let ca = Ca::root("Vault CA");
    let first = reconcile(&store, None, Some(1), Section::OwnPki, &context());
    let signed = sign_csr(&ca, &store, &first.reported);
    let peer = ca.leaf(LeafSpec::client("Client", "urn:client"));
    let crl1 = ca.crl(&[]);
    let crl2 = ca.crl(&[&peer.cert]);
    assert_eq!(
        run(&store, &provisioned(&ca, &signed, &crl1), 2).status,
        Status::Applied
    );

    let result = run(&store, &provisioned(&ca, &signed, &crl2), 3);
    assert_eq!(result.status, Status::Applied, "{:?}", result.error);
    assert!(result.trust_changed && !result.application_certificate_changed);
    assert_eq!(result.reported["crls"]["vaultCa"]["revokedCount"], 1);
    let contents = store.contents().unwrap();
    assert_eq!(contents.trusted_crls.len(), 1);
    assert_eq!(contents.issuer_crls.len(), 1);
    assert_eq!(contents.trusted_crls[0].crl.revoked_count(), 1);

    // Revocations cannot be rolled back through the twin.
    let before = snapshot(dir.path());
    let result = run(&store, &provisioned(&ca, &signed, &crl1), 4);
    assert_eq!(result.status, Status::Rejected);
    let error = result.error.unwrap();
    assert_eq!(error.item, "crls.vaultCa");
    assert!(error.message.contains("older"), "{}", error.message);
    assert_eq!(snapshot(dir.path()), before);
}

#[test]
fn an_application_certificate_for_another_key_is_refused() {
    let (dir, store) = module_store();
    let ca = Ca::root("Vault CA");
    let foreign = ca.leaf(LeafSpec::server("OpcPlc", URI, "plc1"));
    let before = snapshot(dir.path());
    let desired = provisioned(&ca, &foreign.cert, &ca.crl(&[]));
    let result = run(&store, &desired, 2);
    assert_eq!(result.status, Status::Rejected);
    let error = result.error.unwrap();
    assert_eq!(error.item, "applicationCert");
    assert!(error.message.contains("private key"), "{}", error.message);
    assert_eq!(snapshot(dir.path()), before);
}

#[test]
fn a_revocation_policy_the_module_does_not_run_with_is_refused_not_reported_as_applied() {
    let (dir, store) = module_store();
    let ca = Ca::root("Vault CA");
    // The module's policy (the default: reject unknown revocation status) may be restated.
    let same = run(
        &store,
        &json!({ "rejectUnknownRevocationStatus": true, "trusted": { "ca": b64(ca.cert()) } }),
        2,
    );
    assert_eq!(same.status, Status::Applied, "{:?}", same.error);
    // Another policy cannot be applied by the running validators: the document is refused.
    let before = snapshot(dir.path());
    let other = run(
        &store,
        &json!({ "rejectUnknownRevocationStatus": false, "trusted": {} }),
        3,
    );
    assert_eq!(other.status, Status::Rejected);
    let error = other.error.unwrap();
    assert_eq!(error.item, "rejectUnknownRevocationStatus");
    assert_eq!(error.code, "BadNotSupported");
    assert!(error.message.contains("--drurs"), "{}", error.message);
    assert_eq!(snapshot(dir.path()), before);
    assert_eq!(
        other.reported["trusted"]["ca"]["thumbprint"],
        ca.thumbprint()
    );
    // A module that applies the policy to its running validators takes either value.
    let mut live = context();
    live.live_policy = true;
    let desired = json!({ "rejectUnknownRevocationStatus": false });
    let switched = reconcile(&store, Some(&desired), Some(4), Section::OwnPki, &live);
    assert_eq!(switched.status, Status::Applied, "{:?}", switched.error);
    assert!(!switched.validation.reject_unknown_revocation);
    let unset = reconcile(&store, None, Some(5), Section::OwnPki, &live);
    assert!(
        unset.validation.reject_unknown_revocation,
        "back to the command line's"
    );
    // A module started with --drurs runs the other policy and accepts it.
    let mut relaxed = context();
    relaxed.validation.reject_unknown_revocation = false;
    let desired = json!({ "rejectUnknownRevocationStatus": false });
    let accepted = reconcile(&store, Some(&desired), Some(4), Section::OwnPki, &relaxed);
    assert_eq!(accepted.status, Status::Applied);
    let bad = run(&store, &json!({ "rejectUnknownRevocationStatus": "no" }), 5);
    assert_eq!(bad.error.unwrap().item, "rejectUnknownRevocationStatus");
}

#[test]
fn cert_agent_approves_rejected_certificates_and_names_the_module_to_restart() {
    let (_dir, store) = module_store();
    let stranger = self_signed(LeafSpec::client("Stranger", "urn:stranger"));
    let cert = Certificate::from_der(&stranger.der()).unwrap();
    store.add_rejected(&cert).unwrap();

    let first = reconcile(&store, None, Some(1), Section::AgentStore, &context());
    assert_eq!(
        first.reported["rejected"][stranger.thumbprint().as_str()]["subject"],
        "CN=Stranger"
    );

    let desired = json!({
        "approveRejected": { stranger.thumbprint(): true },
        "restartModule": "opcplc",
    });
    let result = reconcile(
        &store,
        Some(&desired),
        Some(2),
        Section::AgentStore,
        &context(),
    );
    assert_eq!(result.status, Status::Applied, "{:?}", result.error);
    assert_eq!(result.restart_module.as_deref(), Some("opcplc"));
    let contents = store.contents().unwrap();
    assert!(contents.rejected.is_empty());
    assert_eq!(
        contents.trusted[0].cert.thumbprint().to_string(),
        stranger.thumbprint()
    );
    assert_eq!(result.reported["rejected"], json!({}));

    // Approved already: the same document is a no-op, not an error.
    let again = reconcile(
        &store,
        Some(&desired),
        Some(2),
        Section::AgentStore,
        &context(),
    );
    assert_eq!(again.status, Status::Applied);
    assert!(!again.changed);

    // An unknown thumbprint names itself.
    let unknown: Thumbprint = "0000000000000000000000000000000000000001".parse().unwrap();
    let desired = json!({ "approveRejected": { unknown.to_string(): true } });
    let result = reconcile(
        &store,
        Some(&desired),
        Some(3),
        Section::AgentStore,
        &context(),
    );
    assert_eq!(result.status, Status::Rejected);
    assert_eq!(
        result.error.unwrap().item,
        format!("approveRejected.{unknown}")
    );

    // A module's own section has no such properties.
    let own = reconcile(
        &store,
        Some(&json!({ "restartModule": "opcplc" })),
        Some(4),
        Section::OwnPki,
        &context(),
    );
    assert_eq!(own.error.unwrap().item, "restartModule");
}

#[test]
fn an_unreadable_record_loses_names_not_certificates() {
    let (dir, store) = module_store();
    let ca = Ca::root("Vault CA");
    let desired = json!({ "trusted": { "vaultCa": b64(ca.cert()) } });
    assert_eq!(run(&store, &desired, 2).status, Status::Applied);
    std::fs::write(dir.path().join(pki::store::RECORD_FILE), b"{ torn").unwrap();

    // Reported under its thumbprint until the next reconciliation records the name again.
    let result = run(&store, &desired, 2);
    assert_eq!(result.status, Status::Applied);
    assert_eq!(
        result.reported["trusted"]["vaultCa"]["thumbprint"],
        ca.thumbprint()
    );
    assert_eq!(store.contents().unwrap().trusted.len(), 1);
    let record = std::fs::read_to_string(dir.path().join(pki::store::RECORD_FILE)).unwrap();
    assert!(record.contains("vaultCa"), "{record}");
}

#[test]
fn a_large_store_is_reported_within_the_budget() {
    let (_dir, store) = module_store();
    let ca = Ca::root("Vault CA");
    let certs: Vec<Certificate> = (0..150)
        .map(|i| {
            let issued = ca.leaf(
                LeafSpec::client(
                    &format!("Client number {i} with a rather long common name"),
                    &format!("urn:client:{i}"),
                )
                .key_bits(1024),
            );
            Certificate::from_der(&issued.der()).unwrap()
        })
        .collect();
    store
        .transact(vec![Operation::AddTrusted(certs)], &PlanOptions::new(now()))
        .unwrap();
    let result = reconcile(&store, None, Some(1), Section::OwnPki, &context());
    let size = serde_json::to_vec(&result.reported).unwrap().len();
    assert!(size <= REPORTED_BUDGET_BYTES, "{size}");
    assert_eq!(result.reported["truncated"], true);
    assert_eq!(result.reported["status"], "applied");
    assert!(result.reported["csr"].is_string());
    assert!(!result.reported["trusted"].as_object().unwrap().is_empty());
}
