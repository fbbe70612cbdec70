//! Remote approval (`approveRejected`) for every module: the rejected list tells the operator
//! what was refused and why, an approval moves the certificate to the trusted store, and
//! taking the approval back takes the trust back.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{agent, b64, context, module_store, run_as, twin};
use pki::{Certificate, StatusCode};
use provisioning::{ErrorCode, Section, Status};
use serde_json::json;
use test_support::{Ca, LeafSpec, self_signed, snapshot};

#[test]
fn a_rejected_certificate_is_reported_with_what_an_operator_needs_to_decide() {
    let (_dir, store) = module_store();
    let stranger = self_signed(LeafSpec::client("Stranger", "urn:stranger:client"));
    let cert = Certificate::from_der(&stranger.der()).unwrap();
    store.add_rejected(&cert).unwrap();

    // The module's verifier remembers why it refused it...
    let mut remembered = context();
    remembered
        .rejection_reasons
        .insert(cert.thumbprint(), pki::StatusCode::BadCertificateUntrusted);
    let result = run_as(&store, None, 1, Section::OwnPki, &remembered);
    let entry = &twin(&result.reported)["rejected"][stranger.thumbprint().as_str()];
    assert_eq!(entry["subject"], "CN=Stranger");
    assert_eq!(entry["issuer"], "CN=Stranger");
    assert_eq!(entry["applicationUri"], "urn:stranger:client");
    assert!(entry["notBefore"].is_string() && entry["notAfter"].is_string());
    assert!(entry["at"].is_string());
    assert_eq!(entry["reason"], "BadCertificateUntrusted");

    // ...and without that memory (an app of cert-agent, a restart) the store's trust lists
    // judge it now.
    let result = run_as(&store, None, 1, Section::AgentStore, &agent());
    let entry = &result.reported.rejected[&stranger.thumbprint()];
    assert_eq!(
        entry.reason,
        Some(ErrorCode::Status(StatusCode::BadCertificateUntrusted))
    );

    // A CA-issued certificate whose CA is not there cannot be chained.
    let ca = Ca::root("Other CA");
    let issued = ca.leaf(LeafSpec::client("Issued", "urn:issued"));
    store
        .add_rejected(&Certificate::from_der(&issued.der()).unwrap())
        .unwrap();
    let result = run_as(&store, None, 1, Section::AgentStore, &agent());
    assert_eq!(
        result.reported.rejected[&issued.thumbprint()].reason,
        Some(ErrorCode::Status(StatusCode::BadCertificateChainIncomplete))
    );
}

#[test]
fn an_approval_trusts_the_certificate_and_taking_it_back_removes_it_again() {
    for (section, context) in [(Section::OwnPki, context()), (Section::AgentStore, agent())] {
        let (dir, store) = module_store();
        let stranger = self_signed(LeafSpec::client("Stranger", "urn:stranger"));
        let cert = Certificate::from_der(&stranger.der()).unwrap();
        store.add_rejected(&cert).unwrap();
        let t = stranger.thumbprint();

        let desired = json!({ "approveRejected": { t.clone(): true } });
        let result = run_as(&store, Some(&desired), 2, section, &context);
        assert_eq!(result.outcome.status, Status::Applied, "{section:?}");
        assert!(result.trust_changed);
        let contents = store.contents().unwrap();
        assert!(contents.rejected.is_empty());
        assert_eq!(contents.trusted[0].cert.thumbprint().to_string(), t);
        // Reported as trusted under its thumbprint, gone from rejected.
        assert_eq!(
            result.reported.trusted[&t].subject.as_deref(),
            Some("CN=Stranger")
        );
        assert!(result.reported.rejected.is_empty());

        // The same document again is a no-op, not an error.
        let before = snapshot(dir.path());
        let again = run_as(&store, Some(&desired), 2, section, &context);
        assert_eq!(again.outcome.status, Status::Applied);
        assert!(!again.changed);
        assert_eq!(snapshot(dir.path()), before);

        // `false` (or removing the entry) takes the approval back: no longer trusted.
        let withdrawn = json!({ "approveRejected": { t.clone(): false } });
        let result = run_as(&store, Some(&withdrawn), 3, section, &context);
        assert_eq!(result.outcome.status, Status::Applied);
        assert!(store.contents().unwrap().trusted.is_empty());
        assert!(!result.reported.trusted.contains_key(&t));
    }
}

#[test]
fn an_approved_certificate_also_named_in_trusted_stays_when_one_of_the_two_goes() {
    let (_dir, store) = module_store();
    let stranger = self_signed(LeafSpec::client("Stranger", "urn:stranger"));
    store
        .add_rejected(&Certificate::from_der(&stranger.der()).unwrap())
        .unwrap();
    let t = stranger.thumbprint();
    let both = json!({
        "approveRejected": { t.clone(): true },
        "trusted": { "stranger": b64(&stranger.cert) },
    });
    assert_eq!(
        run_as(&store, Some(&both), 2, Section::OwnPki, &context())
            .outcome
            .status,
        Status::Applied
    );
    let named_only = json!({ "trusted": { "stranger": b64(&stranger.cert) } });
    let result = run_as(&store, Some(&named_only), 3, Section::OwnPki, &context());
    assert_eq!(result.outcome.status, Status::Applied);
    assert_eq!(store.contents().unwrap().trusted.len(), 1);
    assert!(result.reported.trusted.contains_key("stranger"));
}
