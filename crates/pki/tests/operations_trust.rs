//! Store operations on the trust lists with the OPC PLC's semantics (add, remove, CRLs,
//! approving a rejected certificate), every bad input leaving the store unchanged.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::too_many_lines)]

mod common;

use common::{cert, expect_plan_error, open, opts, texts};
use pki::{Crl, Operation, PlanErrorKind, StatusCode, StoreKind, Thumbprint, UnknownCrlIssuer};
use test_support::{Ca, CrlSpec, LeafSpec, TestStore, self_signed, snapshot};

#[test]
fn removal_logs_per_store_and_warns_for_absent_certificates() {
    let ca = Ca::root("Vault CA");
    let dir = TestStore::new()
        .with_trusted(ca.cert())
        .with_issuer(ca.cert());
    let store = open(dir.path());
    let t: Thumbprint = ca.thumbprint().parse().unwrap();
    let absent: Thumbprint = "00112233445566778899AABBCCDDEEFF00112233".parse().unwrap();
    let outcome = store
        .transact(
            vec![Operation::RemoveCertificates(vec![t, absent])],
            &opts(),
        )
        .unwrap();
    assert_eq!(
        texts(&outcome.lines),
        [
            "Starting to remove certificate(s) from trusted peer and trusted issuer store."
                .to_owned(),
            format!("Removed certificate with thumbprint '{t}' from the trusted peer store."),
            format!("Removed certificate with thumbprint '{t}' from the trusted issuer store."),
            format!(
                "Failed to remove certificate with thumbprint '{absent}' from the trusted peer store."
            ),
            format!(
                "Failed to delete certificate with thumbprint '{absent}' from the trusted issuer store."
            ),
        ]
    );
    let contents = store.contents().unwrap();
    assert!(contents.trusted.is_empty() && contents.issuer.is_empty());
}

#[test]
fn adding_a_present_certificate_says_it_already_exists() {
    let ca = Ca::root("Vault CA");
    let dir = TestStore::new().with_issuer(ca.cert());
    let store = open(dir.path());
    let before = snapshot(dir.path());
    let outcome = store
        .transact(vec![Operation::AddIssuers(vec![cert(ca.cert())])], &opts())
        .unwrap();
    assert!(!outcome.changed);
    assert_eq!(
        outcome.lines[1].text,
        "Certificate 'CN=Vault CA' already exists in trusted issuer store."
    );
    assert_eq!(snapshot(dir.path()), before);
}

#[test]
fn empty_lists_are_refused_with_the_reference_errors() {
    let dir = TestStore::new();
    let store = open(dir.path());
    let (_, kind) =
        expect_plan_error(store.transact(vec![Operation::RemoveCertificates(vec![])], &opts()));
    assert_eq!(
        kind.to_string(),
        "There is no thumbprint specified for certificates to remove. Please check your command line options."
    );
    let (_, kind) = expect_plan_error(store.transact(vec![Operation::AddIssuers(vec![])], &opts()));
    assert_eq!(
        kind.to_string(),
        "The issuer certificate data is invalid. Please check your command line options."
    );
}

#[test]
fn a_newer_crl_replaces_the_installed_one_and_an_older_one_is_refused() {
    let ca = Ca::root("Vault CA");
    let leaf = ca.leaf(LeafSpec::client("Client", "urn:c"));
    let first = ca.crl(&[]); // number 1
    let second = ca.crl(&[&leaf.cert]); // number 2
    let dir = TestStore::new()
        .with_trusted(ca.cert())
        .with_trusted_crl(&first);
    let store = open(dir.path());
    store
        .transact(
            vec![Operation::UpdateCrl(Crl::from_der(&second).unwrap())],
            &opts(),
        )
        .unwrap();
    let contents = store.contents().unwrap();
    assert_eq!(contents.trusted_crls.len(), 1);
    assert_eq!(contents.trusted_crls[0].crl.crl_number(), Some(2));

    let before = snapshot(dir.path());
    let (_, kind) = expect_plan_error(store.transact(
        vec![Operation::UpdateCrl(Crl::from_der(&first).unwrap())],
        &opts(),
    ));
    assert!(
        matches!(kind, PlanErrorKind::CrlRollback { ref installed, ref new, .. } if installed == "2" && new == "1")
    );
    assert_eq!(snapshot(dir.path()), before);
}

#[test]
fn a_crl_goes_only_into_stores_holding_its_issuer() {
    let ca = Ca::root("Vault CA");
    let dir = TestStore::new().with_issuer(ca.cert());
    let store = open(dir.path());
    store
        .transact(
            vec![Operation::UpdateCrl(Crl::from_der(&ca.crl(&[])).unwrap())],
            &opts(),
        )
        .unwrap();
    let contents = store.contents().unwrap();
    assert_eq!(
        (contents.trusted_crls.len(), contents.issuer_crls.len()),
        (0, 1)
    );
}

#[test]
fn crl_of_an_unknown_issuer_is_refused_or_skipped_by_policy() {
    let ours = Ca::root("Vault CA");
    let other = Ca::root("Other CA");
    let dir = TestStore::new().with_trusted(ours.cert());
    let store = open(dir.path());
    let before = snapshot(dir.path());
    let crl = Crl::from_der(&other.crl(&[])).unwrap();
    let (_, kind) =
        expect_plan_error(store.transact(vec![Operation::UpdateCrl(crl.clone())], &opts()));
    assert!(
        matches!(kind, PlanErrorKind::CrlIssuerUnknown { ref issuer } if issuer == "CN=Other CA")
    );
    assert_eq!(
        kind.status_code(),
        StatusCode::BadCertificateChainIncomplete
    );
    assert_eq!(snapshot(dir.path()), before);

    let mut lenient = opts();
    lenient.unknown_crl_issuer = UnknownCrlIssuer::Ignore;
    let outcome = store
        .transact(vec![Operation::UpdateCrl(crl)], &lenient)
        .unwrap();
    assert!(!outcome.changed);
    assert_eq!(outcome.lines.last().unwrap().level, pki::Level::Warn);
    assert_eq!(snapshot(dir.path()), before);
}

#[test]
fn crl_with_a_bad_signature_is_refused() {
    let ours = Ca::root("Vault CA");
    let impostor = Ca::root("Vault CA");
    let dir = TestStore::new().with_trusted(ours.cert());
    let store = open(dir.path());
    let before = snapshot(dir.path());
    let forged = Crl::from_der(&impostor.crl_with(CrlSpec::new(5))).unwrap();
    let (_, kind) = expect_plan_error(store.transact(vec![Operation::UpdateCrl(forged)], &opts()));
    assert!(
        matches!(kind, PlanErrorKind::CrlSignatureInvalid { .. }),
        "{kind:?}"
    );
    assert_eq!(snapshot(dir.path()), before);
}

#[test]
fn approving_a_rejected_certificate_moves_it_to_trusted() {
    let peer = self_signed(LeafSpec::client("Peer", "urn:peer"));
    let dir = TestStore::new().with_rejected(&peer.cert);
    let store = open(dir.path());
    let t: Thumbprint = peer.thumbprint().parse().unwrap();
    store
        .transact(vec![Operation::ApproveRejected(t)], &opts())
        .unwrap();
    let contents = store.contents().unwrap();
    assert!(contents.rejected.is_empty());
    assert_eq!(contents.trusted[0].cert.thumbprint(), t);
    let (_, kind) = expect_plan_error(store.transact(vec![Operation::ApproveRejected(t)], &opts()));
    assert_eq!(kind, PlanErrorKind::RejectedNotFound(t));
}

#[test]
fn removing_a_crl_and_a_single_certificate_for_reconcilers() {
    let ca = Ca::root("Vault CA");
    let crl_der = ca.crl(&[]);
    let dir = TestStore::new()
        .with_trusted(ca.cert())
        .with_issuer(ca.cert())
        .with_trusted_crl(&crl_der)
        .with_issuer_crl(&crl_der);
    let store = open(dir.path());
    let crl = Crl::from_der(&crl_der).unwrap();
    store
        .transact(
            vec![
                Operation::RemoveCrl(crl.thumbprint()),
                Operation::RemoveCertificate {
                    store: StoreKind::Issuer,
                    thumbprint: ca.thumbprint().parse().unwrap(),
                },
            ],
            &opts(),
        )
        .unwrap();
    let contents = store.contents().unwrap();
    assert!(contents.trusted_crls.is_empty() && contents.issuer_crls.is_empty());
    assert!(contents.issuer.is_empty());
    assert_eq!(contents.trusted.len(), 1);
}
