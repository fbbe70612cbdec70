//! The validation matrix of OPC 10000-4 Table 106, on generated hierarchies.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use openssl::hash::MessageDigest;
use openssl::x509::X509;
use pki::{
    Certificate, Crl, PeerExpectations, PeerRole, SecurityPolicy, StatusCode, StoreLayout,
    TrustSnapshot, ValidationOptions, Validator, validate_chain,
};
use test_support::{Ca, CaSpec, CrlSpec, Issued, LeafSpec, TestStore, now, self_signed};
use time::Duration;

fn cert(x: &X509) -> Certificate {
    Certificate::from_der(&x.to_der().unwrap()).unwrap()
}

fn crl(der: &[u8]) -> Crl {
    Crl::from_der(der).unwrap()
}

fn snapshot(trusted: &[&X509], issuers: &[&X509], crls: &[&[u8]]) -> TrustSnapshot {
    let trusted: Vec<Certificate> = trusted.iter().map(|x| cert(x)).collect();
    let issuers: Vec<Certificate> = issuers.iter().map(|x| cert(x)).collect();
    let crls: Vec<Crl> = crls.iter().map(|d| crl(d)).collect();
    TrustSnapshot::new(&trusted, &issuers, &crls)
}

fn check(snap: &TrustSnapshot, presented: &[&X509]) -> Result<(), StatusCode> {
    check_with(
        snap,
        presented,
        &ValidationOptions::default(),
        &PeerExpectations::default(),
    )
}

fn check_with(
    snap: &TrustSnapshot,
    presented: &[&X509],
    options: &ValidationOptions,
    expect: &PeerExpectations,
) -> Result<(), StatusCode> {
    let chain: Vec<Certificate> = presented.iter().map(|x| cert(x)).collect();
    validate_chain(snap, &chain, now(), options, expect)
        .map(|_| ())
        .map_err(|e| e.status)
}

fn client(ca: &Ca) -> Issued {
    ca.leaf(LeafSpec::client("OpcClient", "urn:OpcClient:host"))
}

#[test]
fn self_signed_unknown_certificate_is_untrusted() {
    let peer = self_signed(LeafSpec::client("Peer", "urn:peer"));
    let snap = snapshot(&[], &[], &[]);
    assert_eq!(
        check(&snap, &[&peer.cert]),
        Err(StatusCode::BadCertificateUntrusted)
    );
}

#[test]
fn self_signed_trusted_certificate_is_accepted() {
    let peer = self_signed(LeafSpec::client("Peer", "urn:peer"));
    let snap = snapshot(&[&peer.cert], &[], &[]);
    assert_eq!(check(&snap, &[&peer.cert]), Ok(()));
}

#[test]
fn ca_signed_certificate_with_trusted_ca_and_crl_is_accepted() {
    let ca = Ca::root("Vault CA");
    let leaf = client(&ca);
    let empty_crl = ca.crl(&[]);
    let snap = snapshot(&[ca.cert()], &[], &[&empty_crl]);
    assert_eq!(check(&snap, &[&leaf.cert]), Ok(()));
}

#[test]
fn revoked_leaf_is_refused_as_revoked() {
    let ca = Ca::root("Vault CA");
    let leaf = client(&ca);
    let crl = ca.crl(&[&leaf.cert]);
    let snap = snapshot(&[ca.cert()], &[], &[&crl]);
    assert_eq!(
        check(&snap, &[&leaf.cert]),
        Err(StatusCode::BadCertificateRevoked)
    );
}

#[test]
fn revoked_intermediate_is_refused_as_issuer_revoked() {
    let root = Ca::root("Root CA");
    let inter = root.intermediate("Intermediate CA");
    let leaf = client(&inter);
    let root_crl = root.crl(&[inter.cert()]);
    let inter_crl = inter.crl(&[]);
    let snap = snapshot(&[root.cert()], &[inter.cert()], &[&root_crl, &inter_crl]);
    assert_eq!(
        check(&snap, &[&leaf.cert]),
        Err(StatusCode::BadCertificateIssuerRevoked)
    );
}

#[test]
fn trusted_ca_without_crl_is_revocation_unknown_unless_relaxed() {
    let ca = Ca::root("Vault CA");
    let leaf = client(&ca);
    let snap = snapshot(&[ca.cert()], &[], &[]);
    assert_eq!(
        check(&snap, &[&leaf.cert]),
        Err(StatusCode::BadCertificateRevocationUnknown)
    );
    let relaxed = ValidationOptions {
        reject_unknown_revocation: false,
        ..ValidationOptions::default()
    };
    assert_eq!(
        check_with(&snap, &[&leaf.cert], &relaxed, &PeerExpectations::default()),
        Ok(())
    );
}

#[test]
fn missing_crl_of_the_root_is_issuer_revocation_unknown() {
    let root = Ca::root("Root CA");
    let inter = root.intermediate("Intermediate CA");
    let leaf = client(&inter);
    let inter_crl = inter.crl(&[]);
    let snap = snapshot(&[root.cert()], &[inter.cert()], &[&inter_crl]);
    assert_eq!(
        check(&snap, &[&leaf.cert]),
        Err(StatusCode::BadCertificateIssuerRevocationUnknown)
    );
}

#[test]
fn ca_only_in_issuer_store_does_not_make_the_leaf_trusted() {
    let ca = Ca::root("Vault CA");
    let leaf = client(&ca);
    let crl = ca.crl(&[]);
    let snap = snapshot(&[], &[ca.cert()], &[&crl]);
    assert_eq!(
        check(&snap, &[&leaf.cert]),
        Err(StatusCode::BadCertificateUntrusted)
    );
}

#[test]
fn trusted_leaf_with_its_ca_in_the_issuer_store_is_accepted() {
    let ca = Ca::root("Vault CA");
    let leaf = client(&ca);
    let crl = ca.crl(&[]);
    let snap = snapshot(&[&leaf.cert], &[ca.cert()], &[&crl]);
    assert_eq!(check(&snap, &[&leaf.cert]), Ok(()));
}

#[test]
fn certificate_of_a_foreign_ca_has_an_incomplete_chain() {
    let ours = Ca::root("Our CA");
    let foreign = Ca::root("Foreign CA");
    let leaf = client(&foreign);
    let crl = ours.crl(&[]);
    let snap = snapshot(&[ours.cert()], &[], &[&crl]);
    assert_eq!(
        check(&snap, &[&leaf.cert]),
        Err(StatusCode::BadCertificateChainIncomplete)
    );
}

#[test]
fn a_leaf_claiming_our_ca_but_signed_by_another_key_is_invalid() {
    let ours = Ca::root("Vault CA");
    let impostor = Ca::root("Vault CA"); // same name, different key
    let leaf = client(&impostor);
    let crl = ours.crl(&[]);
    let snap = snapshot(&[ours.cert()], &[], &[&crl]);
    let status = check(&snap, &[&leaf.cert]).unwrap_err();
    // The impostor's AKI names another key: no issuer matches, so the chain is incomplete.
    assert_eq!(status, StatusCode::BadCertificateChainIncomplete);
}

#[test]
fn expired_and_not_yet_valid_leaves_are_time_invalid() {
    let ca = Ca::root("Vault CA");
    let crl = ca.crl(&[]);
    let snap = snapshot(&[ca.cert()], &[], &[&crl]);
    let expired = ca.leaf(LeafSpec::client("Old", "urn:old").expired());
    let future = ca.leaf(LeafSpec::client("Future", "urn:future").not_yet_valid());
    assert_eq!(
        check(&snap, &[&expired.cert]),
        Err(StatusCode::BadCertificateTimeInvalid)
    );
    assert_eq!(
        check(&snap, &[&future.cert]),
        Err(StatusCode::BadCertificateTimeInvalid)
    );
}

#[test]
fn expired_ca_is_issuer_time_invalid() {
    let t = now();
    let ca =
        Ca::root_with(CaSpec::new("Old CA").valid(t - Duration::days(400), t - Duration::days(1)));
    let leaf = ca.leaf(LeafSpec::client("Client", "urn:c"));
    let crl = ca.crl(&[]);
    let snap = snapshot(&[ca.cert()], &[], &[&crl]);
    assert_eq!(
        check(&snap, &[&leaf.cert]),
        Err(StatusCode::BadCertificateIssuerTimeInvalid)
    );
}

#[test]
fn application_uri_mismatch_is_uri_invalid() {
    let peer = self_signed(LeafSpec::client("Peer", "urn:peer:real"));
    let snap = snapshot(&[&peer.cert], &[], &[]);
    let expect = PeerExpectations {
        application_uri: Some("urn:peer:claimed".into()),
        ..PeerExpectations::default()
    };
    assert_eq!(
        check_with(&snap, &[&peer.cert], &ValidationOptions::default(), &expect),
        Err(StatusCode::BadCertificateUriInvalid)
    );
    let expect = PeerExpectations {
        application_uri: Some("urn:peer:real".into()),
        ..PeerExpectations::default()
    };
    assert_eq!(
        check_with(&snap, &[&peer.cert], &ValidationOptions::default(), &expect),
        Ok(())
    );
}

#[test]
fn host_name_must_be_in_the_server_certificate() {
    let server = self_signed(LeafSpec::server("OpcPlc", "urn:OpcPlc:plc", "plc").ip("127.0.0.1"));
    let snap = snapshot(&[&server.cert], &[], &[]);
    let with_host = |host: &str| PeerExpectations {
        host_name: Some(host.into()),
        role: Some(PeerRole::Server),
        ..PeerExpectations::default()
    };
    let opts = ValidationOptions::default();
    assert_eq!(
        check_with(&snap, &[&server.cert], &opts, &with_host("PLC")),
        Ok(())
    );
    assert_eq!(
        check_with(&snap, &[&server.cert], &opts, &with_host("127.0.0.1")),
        Ok(())
    );
    assert_eq!(
        check_with(&snap, &[&server.cert], &opts, &with_host("other")),
        Err(StatusCode::BadCertificateHostNameInvalid)
    );
}

#[test]
fn ca_certificate_used_as_application_certificate_is_use_not_allowed() {
    let ca = Ca::root("Vault CA");
    let leaf = ca.leaf(LeafSpec::client("Sneaky", "urn:sneaky").as_ca());
    let crl = ca.crl(&[]);
    let snap = snapshot(&[ca.cert()], &[], &[&crl]);
    assert_eq!(
        check(&snap, &[&leaf.cert]),
        Err(StatusCode::BadCertificateUseNotAllowed)
    );
}

#[test]
fn missing_client_auth_usage_is_use_not_allowed_for_a_client() {
    let peer =
        self_signed(LeafSpec::client("Peer", "urn:peer").extended_key_usage(&["serverAuth"]));
    let snap = snapshot(&[&peer.cert], &[], &[]);
    let expect = PeerExpectations {
        role: Some(PeerRole::Client),
        ..PeerExpectations::default()
    };
    assert_eq!(
        check_with(&snap, &[&peer.cert], &ValidationOptions::default(), &expect),
        Err(StatusCode::BadCertificateUseNotAllowed)
    );
}

#[test]
fn a_1024_bit_key_fails_the_policy_check() {
    let peer = self_signed(LeafSpec::client("Weak", "urn:weak").key_bits(1024));
    let snap = snapshot(&[&peer.cert], &[], &[]);
    assert_eq!(
        check(&snap, &[&peer.cert]),
        Err(StatusCode::BadCertificatePolicyCheckFailed)
    );
    let relaxed = ValidationOptions {
        min_key_bits: 1024,
        ..ValidationOptions::default()
    };
    assert_eq!(
        check_with(&snap, &[&peer.cert], &relaxed, &PeerExpectations::default()),
        Ok(())
    );
}

#[test]
fn sha1_signed_certificate_fails_the_policy_check_when_rejected() {
    let ca = Ca::root("Vault CA");
    let leaf = ca.leaf(LeafSpec::client("Old", "urn:old").digest(MessageDigest::sha1()));
    let crl = ca.crl(&[]);
    let snap = snapshot(&[ca.cert()], &[], &[&crl]);
    assert_eq!(
        check(&snap, &[&leaf.cert]),
        Err(StatusCode::BadCertificatePolicyCheckFailed)
    );
    let allow = ValidationOptions {
        reject_sha1: false,
        ..ValidationOptions::default()
    };
    assert_eq!(
        check_with(&snap, &[&leaf.cert], &allow, &PeerExpectations::default()),
        Ok(())
    );
}

#[test]
fn security_policy_limits_the_key_length() {
    let peer = self_signed(LeafSpec::client("Big", "urn:big").key_bits(4096));
    let snap = snapshot(&[&peer.cert], &[], &[]);
    let expect = |policy| PeerExpectations {
        security_policy: Some(policy),
        ..PeerExpectations::default()
    };
    let opts = ValidationOptions::default();
    assert_eq!(
        check_with(
            &snap,
            &[&peer.cert],
            &opts,
            &expect(SecurityPolicy::Basic256Sha256)
        ),
        Ok(())
    );
    assert_eq!(
        check_with(
            &snap,
            &[&peer.cert],
            &opts,
            &expect(SecurityPolicy::Basic256)
        ),
        Err(StatusCode::BadCertificatePolicyCheckFailed)
    );
}

#[test]
fn chain_sent_by_the_peer_validates_with_only_the_root_trusted() {
    let root = Ca::root("Root CA");
    let inter = root.intermediate("Intermediate CA");
    let leaf = client(&inter);
    let root_crl = root.crl(&[]);
    let inter_crl = inter.crl(&[]);
    // Neither the intermediate nor the leaf is in any store: the peer sends the intermediate.
    let snap = snapshot(&[root.cert()], &[], &[&root_crl, &inter_crl]);
    assert_eq!(
        check(&snap, &[&leaf.cert]),
        Err(StatusCode::BadCertificateChainIncomplete)
    );
    assert_eq!(check(&snap, &[&leaf.cert, inter.cert()]), Ok(()));
}

#[test]
fn a_peer_sent_ca_never_adds_trust() {
    let rogue = Ca::root("Rogue CA");
    let leaf = client(&rogue);
    let crl = rogue.crl(&[]);
    let snap = snapshot(&[], &[], &[&crl]);
    assert_eq!(
        check(&snap, &[&leaf.cert, rogue.cert()]),
        Err(StatusCode::BadCertificateUntrusted)
    );
}

#[test]
fn path_length_constraint_is_enforced() {
    let root = Ca::root_with(CaSpec::new("Root CA").path_len(0));
    let inter = root.intermediate("Intermediate CA");
    let leaf = client(&inter);
    let root_crl = root.crl(&[]);
    let inter_crl = inter.crl(&[]);
    let snap = snapshot(&[root.cert()], &[inter.cert()], &[&root_crl, &inter_crl]);
    assert_eq!(
        check(&snap, &[&leaf.cert]),
        Err(StatusCode::BadCertificateIssuerUseNotAllowed)
    );
}

#[test]
fn crl_signed_by_another_key_is_not_used() {
    let ca = Ca::root("Vault CA");
    let impostor = Ca::root("Vault CA");
    let leaf = client(&ca);
    // A "CRL" in the right name that revokes the leaf but is signed by another key is ignored.
    let forged = impostor.crl_with(CrlSpec::new(9).revoke(&leaf.cert));
    let snap = snapshot(&[ca.cert()], &[], &[&forged]);
    assert_eq!(
        check(&snap, &[&leaf.cert]),
        Err(StatusCode::BadCertificateRevocationUnknown)
    );
}

#[test]
fn empty_and_garbage_chains_are_invalid() {
    let snap = snapshot(&[], &[], &[]);
    assert_eq!(
        validate_chain(
            &snap,
            &[],
            now(),
            &ValidationOptions::default(),
            &PeerExpectations::default()
        )
        .unwrap_err()
        .status,
        StatusCode::BadCertificateInvalid
    );
    let store = TestStore::new();
    let validator = Validator::new(
        pki::Store::open(StoreLayout::under(store.path())).unwrap(),
        ValidationOptions::default(),
    );
    let err = validator
        .validate(b"\x30\x03\x02\x01", now(), &PeerExpectations::default())
        .unwrap_err();
    assert_eq!(err.status, StatusCode::BadCertificateInvalid);
}

#[test]
fn validator_copies_untrusted_certificates_to_rejected_and_bounds_the_store() {
    let store = TestStore::new();
    let pki_store = pki::Store::open(StoreLayout::under(store.path()))
        .unwrap()
        .with_max_rejected(3);
    let validator = Validator::new(pki_store, ValidationOptions::default());
    let mut peers = Vec::new();
    for i in 0..5 {
        let peer = self_signed(LeafSpec::client(
            &format!("Peer{i}"),
            &format!("urn:peer{i}"),
        ));
        let err = validator
            .validate(&peer.der(), now(), &PeerExpectations::default())
            .unwrap_err();
        assert_eq!(err.status, StatusCode::BadCertificateUntrusted);
        peers.push(peer);
        std::thread::sleep(std::time::Duration::from_millis(15)); // distinct mtimes
    }
    let rejected = validator.cache().store().contents().unwrap().rejected;
    let names: Vec<String> = rejected
        .iter()
        .map(|r| r.cert.subject().to_owned())
        .collect();
    assert_eq!(names.len(), 3, "{names:?}");
    for kept in ["CN=Peer2", "CN=Peer3", "CN=Peer4"] {
        assert!(names.contains(&kept.to_owned()), "{names:?}");
    }
}

#[test]
fn validator_sees_trust_list_changes_made_by_another_writer() {
    let ca = Ca::root("Vault CA");
    let leaf = client(&ca);
    let store = TestStore::new()
        .with_trusted(ca.cert())
        .with_trusted_crl(&ca.crl(&[]));
    let validator = Validator::new(
        pki::Store::open(StoreLayout::under(store.path())).unwrap(),
        ValidationOptions::default(),
    );
    let expect = PeerExpectations::default();
    assert!(validator.validate(&leaf.der(), now(), &expect).is_ok());
    let generation = validator.cache().generation();
    assert!(validator.validate(&leaf.der(), now(), &expect).is_ok());
    assert_eq!(
        validator.cache().generation(),
        generation,
        "unchanged store must not be re-read"
    );
    // The chain's parse is remembered (ParsedChains), its verdict never: the same bytes
    // validated at another time are decided at that time.
    let err = validator
        .validate(&leaf.der(), now() + time::Duration::days(3650 * 3), &expect)
        .unwrap_err();
    assert_eq!(err.status, StatusCode::BadCertificateTimeInvalid);

    // Another process installs a newer CRL that revokes the leaf (through its own Store handle).
    let other = pki::Store::open(StoreLayout::under(store.path())).unwrap();
    let revoking = Crl::from_der(&ca.crl(&[&leaf.cert])).unwrap();
    other
        .transact(
            vec![pki::Operation::UpdateCrl(revoking)],
            &pki::PlanOptions::new(now()),
        )
        .unwrap();
    let err = validator.validate(&leaf.der(), now(), &expect).unwrap_err();
    assert_eq!(err.status, StatusCode::BadCertificateRevoked);
    assert!(validator.cache().generation() > generation);
}
