//! Reconciliation of a module's desired `pki` with its store: the CSR flow, idempotence,
//! all-or-nothing refusals, removals by name, CRL updates, the record and the size budget of
//! the report; approvals and the validation policy of every module.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::too_many_lines)]

mod common;

use common::{
    Engine as _, URI, agent, b64, context, module_store, provisioned, run, run_as, sign_csr,
    thumbprint, twin,
};
use pki::{Certificate, Operation, PlanOptions, StatusCode, Thumbprint};
use provisioning::{ErrorCode, REPORTED_BUDGET_BYTES, Section, Status};
use serde_json::{Value, json};
use test_support::{Ca, LeafSpec, now, self_signed, snapshot};

#[test]
fn a_fresh_module_reports_its_self_signed_certificate_and_a_csr_and_writes_nothing() {
    let (dir, store) = module_store();
    let before = snapshot(dir.path());
    let result = run(&store, None, 1);
    assert_eq!(result.outcome.status, Status::Applied);
    assert!(!result.changed);
    assert_eq!(snapshot(dir.path()), before);

    let r = twin(&result.reported);
    assert_eq!(r["status"], "applied");
    assert_eq!(r["desiredVersion"], 1);
    assert!(r.get("error").is_none(), "no null members: {r}");
    assert_eq!(r["applicationCert"]["selfSigned"], true);
    assert_eq!(r["applicationCert"]["subject"], "CN=OpcPlc");
    assert_eq!(r["applicationCert"]["applicationUri"], URI);
    assert_eq!(r["trusted"], json!({}));
    assert_eq!(r["crls"], json!({}));
    // The policy in force is reported (the module's command line).
    assert_eq!(r["rejectUnknownRevocationStatus"], true);
    assert_eq!(r["rejectSha1SignedCertificates"], true);
    assert_eq!(r["minimumCertificateKeySize"], 2048);

    // The CSR is for the store's key, with the application URI in its SAN.
    let signed = sign_csr(&Ca::root("Vault CA"), &store, &result.reported);
    assert_eq!(
        test_support::thumbprint(&signed.to_der().unwrap()).len(),
        40
    );
    hub_proto_check(&r);
}

/// The report is a valid reported patch for edgeHub.
fn hub_proto_check(reported: &Value) {
    let mut patch = serde_json::Map::new();
    patch.insert("pki".into(), reported.clone());
    hub_proto::twin::validate_reported_patch(&patch).unwrap();
}

#[test]
fn the_csr_flow_installs_certificate_ca_and_crl_in_one_commit_and_reports_them() {
    let (dir, store) = module_store();
    let ca = Ca::root("Vault CA");
    let first = run(&store, None, 1);
    let signed = sign_csr(&ca, &store, &first.reported);
    let crl = ca.crl(&[]);

    let result = run(&store, Some(&provisioned(&ca, &signed, &crl)), 2);
    assert_eq!(result.outcome, provisioning::Outcome::applied());
    assert!(result.changed && result.trust_changed && result.application_certificate_changed);

    let r = twin(&result.reported);
    assert_eq!(r["desiredVersion"], 2);
    assert_eq!(r["applicationCert"]["thumbprint"], thumbprint(&signed));
    assert_eq!(r["applicationCert"]["selfSigned"], false);
    assert_eq!(r["applicationCert"]["issuer"], "CN=Vault CA");
    assert_eq!(r["trusted"]["vaultCa"]["thumbprint"], ca.thumbprint());
    assert_eq!(r["issuers"]["vaultCa"]["subject"], "CN=Vault CA");
    assert_eq!(r["crls"]["vaultCa"]["issuer"], "CN=Vault CA");
    assert_eq!(r["crls"]["vaultCa"]["stores"], json!(["trusted", "issuer"]));
    assert_eq!(r["crls"]["vaultCa"]["revokedCount"], 0);
    assert_eq!(r["crls"]["vaultCa"]["outOfDate"], false);
    assert!(r["crls"]["vaultCa"]["crlNumber"].is_u64());
    hub_proto_check(&r);

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
    // The record names the application certificate the twin installed: push management may
    // not replace it while the document names it.
    let record = std::fs::read(dir.path().join(pki::store::RECORD_FILE)).unwrap();
    let owned = provisioning::push::twin_owned(Some(&record));
    assert_eq!(
        owned.application_certificate.map(|t| t.to_string()),
        Some(thumbprint(&signed))
    );
    assert_eq!(
        owned.trusted.values().collect::<Vec<_>>(),
        ["trusted.vaultCa"]
    );
}

#[test]
fn the_same_document_again_writes_nothing_and_reports_the_same() {
    let (dir, store) = module_store();
    let ca = Ca::root("Vault CA");
    let first = run(&store, None, 1);
    let desired = provisioned(&ca, &sign_csr(&ca, &store, &first.reported), &ca.crl(&[]));
    // Both passes at the same instant: the report holds days left, which real time between
    // two passes could move across a day boundary.
    let at = context();
    let applied = run_as(&store, Some(&desired), 2, Section::OwnPki, &at);
    assert!(applied.changed);

    let before = snapshot(dir.path());
    let again = run_as(&store, Some(&desired), 2, Section::OwnPki, &at);
    assert_eq!(again.outcome.status, Status::Applied);
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
    let first = run(&store, None, 1);
    let signed = sign_csr(&ca, &store, &first.reported);
    let before = snapshot(dir.path());

    let cases: Vec<(Value, &str, ErrorCode)> = vec![
        (
            json!({ "trusted": { "vaultCa": b64(ca.cert()) }, "crls": { "bad": "not base64!" } }),
            "crls.bad",
            ErrorCode::Status(StatusCode::BadCertificateInvalid),
        ),
        (
            json!({ "trusted": { "vaultCa": b64(ca.cert()) },
                    "crls": { "stranger": common::BASE64.encode(stranger.crl(&[])) } }),
            "crls.stranger",
            ErrorCode::Status(StatusCode::BadCertificateChainIncomplete),
        ),
        (
            // A CA-signed certificate without its CA: does not chain.
            json!({ "applicationCert": b64(&signed) }),
            "applicationCert",
            ErrorCode::Status(StatusCode::BadCertificateChainIncomplete),
        ),
        (
            json!({ "trusted": { "vaultCa": 42 } }),
            "trusted.vaultCa",
            ErrorCode::BadTypeMismatch,
        ),
        (
            json!({ "trusted": [b64(ca.cert())] }),
            "trusted",
            ErrorCode::BadTypeMismatch,
        ),
        (
            json!({ "issuer": { "vaultCa": b64(ca.cert()) } }),
            "issuer",
            ErrorCode::BadInvalidArgument,
        ),
        (
            json!({ "approveRejected": { "AB": true } }),
            "approveRejected.AB",
            ErrorCode::BadInvalidArgument,
        ),
        (
            json!({ "restartModule": "opcplc" }),
            "restartModule",
            ErrorCode::BadInvalidArgument,
        ),
        (
            json!(["not", "an", "object"]),
            "",
            ErrorCode::BadTypeMismatch,
        ),
    ];
    for (desired, item, code) in cases {
        let result = run(&store, Some(&desired), 3);
        assert_eq!(result.outcome.status, Status::Rejected, "{desired}");
        let error = result.outcome.error.as_ref().unwrap();
        assert_eq!((error.item.as_str(), error.code), (item, code), "{error}");
        assert!(!result.changed);
        assert_eq!(snapshot(dir.path()), before, "{desired}");
        let r = twin(&result.reported);
        assert_eq!(r["status"], "rejected");
        assert_eq!(r["error"]["item"], item);
        assert_eq!(r["error"]["code"], code.name());
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
    let result = run(&store, Some(&json!({ "privateKey": key_pem })), 2);
    assert_eq!(result.outcome.status, Status::Rejected);
    let error = result.outcome.error.unwrap();
    assert_eq!(error.item, "privateKey");
    assert_eq!(
        error.code,
        ErrorCode::Status(StatusCode::BadSecurityChecksFailed)
    );
    assert!(error.message.contains("CSR"), "{}", error.message);
    assert_eq!(snapshot(dir.path()), before);
    // The report carries the reason, never the key.
    let text = serde_json::to_string(&result.reported).unwrap();
    assert!(!text.contains("PRIVATE KEY"));

    // Pasted where a certificate or CRL belongs, in any encoding: refused as a key, not as a
    // broken certificate.
    let stray = self_signed(LeafSpec::server("Y", URI, "y"));
    let der = base64::Engine::encode(
        &base64::engine::general_purpose::STANDARD,
        stray.key.private_key_to_der().unwrap(),
    );
    let pfx = base64::Engine::encode(&base64::engine::general_purpose::STANDARD, stray.pfx("pw"));
    for (doc, item) in [
        (
            json!({ "trusted": { "pasted": key_pem } }),
            "trusted.pasted",
        ),
        (json!({ "issuers": { "pasted": der } }), "issuers.pasted"),
        (json!({ "crls": { "pasted": pfx } }), "crls.pasted"),
        (json!({ "applicationCert": key_pem }), "applicationCert"),
    ] {
        let error = run(&store, Some(&doc), 3).outcome.error.unwrap();
        assert_eq!(
            (error.item.as_str(), error.code),
            (item, ErrorCode::Status(StatusCode::BadSecurityChecksFailed)),
            "{doc}"
        );
        assert!(
            error.message.contains("a private key was given"),
            "{}",
            error.message
        );
        assert_eq!(snapshot(dir.path()), before);
    }
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
    assert_eq!(run(&store, Some(&both), 2).outcome.status, Status::Applied);
    assert_eq!(store.contents().unwrap().trusted.len(), 3);

    let one = json!({ "trusted": { "client": b64(&peer.cert) } });
    let result = run(&store, Some(&one), 3);
    assert_eq!(result.outcome.status, Status::Applied);
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
    let r = &twin(&result.reported)["trusted"];
    assert_eq!(r["client"]["thumbprint"], peer.thumbprint());
    assert_eq!(r[by_hand.thumbprint().as_str()]["subject"], "CN=Other");
    assert!(r.get("vaultCa").is_none());

    // The whole section removed: the twin's entries go, the operator's stays.
    let result = run(&store, None, 4);
    assert_eq!(result.outcome.status, Status::Applied);
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
    let old = json!({ "trusted": { "old": b64(ca.cert()) } });
    assert_eq!(run(&store, Some(&old), 2).outcome.status, Status::Applied);
    let certs = dir.path().join("trusted/certs");
    let before = snapshot(&certs);
    let result = run(
        &store,
        Some(&json!({ "trusted": { "new": b64(ca.cert()) } })),
        3,
    );
    assert_eq!(result.outcome.status, Status::Applied);
    assert!(!result.trust_changed);
    assert_eq!(snapshot(&certs), before);
    assert_eq!(result.reported.trusted["new"].thumbprint, ca.thumbprint());
    assert!(!result.reported.trusted.contains_key("old"));
}

#[test]
fn a_newer_crl_replaces_the_old_one_and_an_older_one_is_refused() {
    let (dir, store) = module_store();
    let ca = Ca::root("Vault CA");
    let first = run(&store, None, 1);
    let signed = sign_csr(&ca, &store, &first.reported);
    let peer = ca.leaf(LeafSpec::client("Client", "urn:client"));
    let crl1 = ca.crl(&[]);
    let crl2 = ca.crl(&[&peer.cert]);
    let applied = run(&store, Some(&provisioned(&ca, &signed, &crl1)), 2);
    assert_eq!(applied.outcome.status, Status::Applied);

    let result = run(&store, Some(&provisioned(&ca, &signed, &crl2)), 3);
    assert_eq!(result.outcome, provisioning::Outcome::applied());
    assert!(result.trust_changed && !result.application_certificate_changed);
    assert_eq!(result.reported.crls["vaultCa"].revoked_count, 1);
    let contents = store.contents().unwrap();
    assert_eq!(contents.trusted_crls.len(), 1);
    assert_eq!(contents.issuer_crls.len(), 1);
    assert_eq!(contents.trusted_crls[0].crl.revoked_count(), 1);

    // Revocations cannot be rolled back through the twin.
    let before = snapshot(dir.path());
    let result = run(&store, Some(&provisioned(&ca, &signed, &crl1)), 4);
    assert_eq!(result.outcome.status, Status::Rejected);
    let error = result.outcome.error.unwrap();
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
    let result = run(&store, Some(&desired), 2);
    assert_eq!(result.outcome.status, Status::Rejected);
    let error = result.outcome.error.unwrap();
    assert_eq!(error.item, "applicationCert");
    assert!(error.message.contains("private key"), "{}", error.message);
    assert_eq!(snapshot(dir.path()), before);
}

#[test]
fn policy_knobs_a_module_cannot_apply_live_are_refused_not_reported_as_applied() {
    let (dir, store) = module_store();
    let ca = Ca::root("Vault CA");
    let mut fixed = context();
    fixed.live_policy = false;
    // The module's policy (the default) may be restated.
    let same = json!({
        "rejectUnknownRevocationStatus": true,
        "rejectSha1SignedCertificates": true,
        "minimumCertificateKeySize": 2048,
        "trusted": { "ca": b64(ca.cert()) },
    });
    let result = run_as(&store, Some(&same), 2, Section::OwnPki, &fixed);
    assert_eq!(result.outcome.status, Status::Applied);
    // Another policy cannot be applied by the running validators: the document is refused.
    let before = snapshot(dir.path());
    for (knob, value) in [
        ("rejectUnknownRevocationStatus", json!(false)),
        ("rejectSha1SignedCertificates", json!(false)),
        ("minimumCertificateKeySize", json!(4096)),
    ] {
        let other = run_as(
            &store,
            Some(&json!({ knob: value })),
            3,
            Section::OwnPki,
            &fixed,
        );
        let error = other.outcome.error.unwrap();
        assert_eq!(
            (error.item.as_str(), error.code),
            (knob, ErrorCode::BadNotSupported)
        );
        assert_eq!(snapshot(dir.path()), before);
        assert_eq!(other.reported.trusted["ca"].thumbprint, ca.thumbprint());
    }
}

#[test]
fn the_policy_knobs_of_a_live_module_are_applied_reported_and_revert_when_removed() {
    let (_dir, store) = module_store();
    let live = context();
    let desired = json!({
        "rejectUnknownRevocationStatus": false,
        "rejectSha1SignedCertificates": false,
        "minimumCertificateKeySize": 3072,
    });
    let switched = run_as(&store, Some(&desired), 4, Section::OwnPki, &live);
    assert_eq!(switched.outcome.status, Status::Applied);
    let v = &switched.validation;
    assert!(!v.reject_unknown_revocation && !v.reject_sha1);
    assert_eq!(v.min_key_bits, 3072);
    // The report shows what the validators now run with.
    let r = twin(&switched.reported);
    assert_eq!(r["rejectUnknownRevocationStatus"], false);
    assert_eq!(r["rejectSha1SignedCertificates"], false);
    assert_eq!(r["minimumCertificateKeySize"], 3072);

    // Removed: back to the command line's.
    let unset = run_as(&store, None, 5, Section::OwnPki, &live);
    assert_eq!(unset.validation, live.validation);
    // A refused document keeps the policy in force.
    let mut in_force = live.clone();
    in_force.policy_in_force = switched.validation.clone();
    let refused = run_as(
        &store,
        Some(&json!({ "minimumCertificateKeySize": 1000 })),
        6,
        Section::OwnPki,
        &in_force,
    );
    assert_eq!(refused.outcome.status, Status::Rejected);
    assert_eq!(refused.validation, switched.validation);
    assert_eq!(refused.reported.minimum_certificate_key_size, Some(3072));
}

#[test]
fn policy_knobs_on_a_cert_agent_store_are_refused_as_not_applicable() {
    let (dir, store) = module_store();
    let before = snapshot(dir.path());
    for knob in [
        "rejectUnknownRevocationStatus",
        "rejectSha1SignedCertificates",
        "minimumCertificateKeySize",
    ] {
        let value = if knob == "minimumCertificateKeySize" {
            json!(2048)
        } else {
            json!(true)
        };
        let result = run_as(
            &store,
            Some(&json!({ knob: value })),
            2,
            Section::AgentStore,
            &agent(),
        );
        let error = result.outcome.error.unwrap();
        assert_eq!(
            (error.item.as_str(), error.code),
            (knob, ErrorCode::BadNotSupported)
        );
        assert!(
            error.message.contains("not applicable"),
            "{}",
            error.message
        );
        // A store's report carries no policy: the app's is not known.
        assert_eq!(result.reported.reject_unknown_revocation_status, None);
        assert_eq!(snapshot(dir.path()), before);
    }
}

#[test]
fn an_unreadable_record_loses_names_not_certificates() {
    let (dir, store) = module_store();
    let ca = Ca::root("Vault CA");
    let desired = json!({ "trusted": { "vaultCa": b64(ca.cert()) } });
    assert_eq!(
        run(&store, Some(&desired), 2).outcome.status,
        Status::Applied
    );
    std::fs::write(dir.path().join(pki::store::RECORD_FILE), b"{ torn").unwrap();

    // Reported under its thumbprint until the next reconciliation records the name again.
    let result = run(&store, Some(&desired), 2);
    assert_eq!(result.outcome.status, Status::Applied);
    assert_eq!(
        result.reported.trusted["vaultCa"].thumbprint,
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
    let result = run(&store, None, 1);
    let size = serde_json::to_vec(&result.reported).unwrap().len();
    assert!(size <= REPORTED_BUDGET_BYTES, "{size}");
    assert_eq!(result.reported.truncated, Some(true));
    assert_eq!(result.reported.status, Status::Applied);
    assert!(result.reported.csr.is_some());
    assert!(!result.reported.trusted.is_empty());
    // A smaller budget (cert-agent shares 24 KiB among its stores) is kept too.
    let mut small = context();
    small.report_budget = 8 * 1024;
    let result = run_as(&store, None, 1, Section::OwnPki, &small);
    assert!(
        result.reported.size() <= 8 * 1024,
        "{}",
        result.reported.size()
    );
}

#[test]
fn a_store_the_module_cannot_read_is_reported_as_an_error() {
    let (dir, store) = module_store();
    std::fs::write(dir.path().join(pki::store::JOURNAL_FILE), b"garbage").unwrap();
    let result = run(&store, None, 7);
    assert_eq!(result.outcome.status, Status::Error);
    let error = result.outcome.error.unwrap();
    assert_eq!(
        (error.item.as_str(), error.code),
        ("store", ErrorCode::BadConfigurationError)
    );
    assert!(error.message.contains("journal"), "{}", error.message);
    assert_eq!(result.reported.status, Status::Error);
}

#[test]
fn an_unknown_thumbprint_in_the_approvals_names_itself() {
    let (dir, store) = module_store();
    let before = snapshot(dir.path());
    let unknown: Thumbprint = "0000000000000000000000000000000000000001".parse().unwrap();
    let desired = json!({ "approveRejected": { unknown.to_string(): true } });
    for section in [Section::OwnPki, Section::AgentStore] {
        let result = run_as(&store, Some(&desired), 3, section, &context());
        assert_eq!(result.outcome.status, Status::Rejected);
        let error = result.outcome.error.unwrap();
        assert_eq!(error.item, format!("approveRejected.{unknown}"));
        assert_eq!(error.code, ErrorCode::BadNotFound);
        assert_eq!(snapshot(dir.path()), before);
    }
}
