//! Store operations with the OPC PLC's semantics, and every bad input leaving the store unchanged.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::too_many_lines)]

use std::os::unix::fs::PermissionsExt;
use std::path::Path;

use pki::{
    Certificate, Crl, KeyError, Operation, PlanErrorKind, PlanOptions, PrivateKey, SelfSignedSpec,
    StatusCode, Store, StoreError, StoreKind, StoreLayout, Thumbprint, TransactError,
    UnknownCrlIssuer, create_csr, store_listing,
};
use test_support::{Ca, CrlSpec, LeafSpec, TestStore, now, self_signed, snapshot};

const URI: &str = "urn:OpcPlc:plc1";

fn open(path: &Path) -> Store {
    Store::open(StoreLayout::under(path)).unwrap()
}

fn cert(x: &openssl::x509::X509Ref) -> Certificate {
    Certificate::from_der(&x.to_der().unwrap()).unwrap()
}

fn opts() -> PlanOptions {
    PlanOptions::new(now())
}

fn spec() -> SelfSignedSpec {
    SelfSignedSpec::new("CN=OpcPlc", URI, vec!["plc1".into()])
}

fn texts(lines: &[pki::LogLine]) -> Vec<String> {
    lines.iter().map(|l| l.text.clone()).collect()
}

/// A store holding a self-signed OPC PLC certificate created by the store itself.
fn plc_store() -> (TestStore, Store) {
    let dir = TestStore::new();
    let store = open(dir.path());
    store
        .transact(vec![Operation::CreateSelfSigned(spec())], &opts())
        .unwrap();
    (dir, store)
}

/// The CA signs a certificate for the store's current key (the CSR flow).
fn sign_for_store(store: &Store, ca: &Ca, cn: &str) -> Certificate {
    let contents = store.contents().unwrap();
    let own = contents.application_certificate().unwrap();
    let key = store.load_key(own).unwrap();
    let issued = ca.leaf(LeafSpec::server(cn, URI, "plc1").with_key(key.pkey().clone()));
    cert(&issued.cert)
}

fn expect_plan_error(result: Result<pki::Outcome, TransactError>) -> (usize, PlanErrorKind) {
    match result {
        Err(TransactError::Plan(err)) => (err.index, err.kind),
        other => panic!("expected a plan error, got {other:?}"),
    }
}

#[test]
fn self_signed_certificate_is_created_once_with_private_permissions() {
    let dir = TestStore::new();
    let store = open(dir.path());
    let outcome = store
        .transact(vec![Operation::CreateSelfSigned(spec())], &opts())
        .unwrap();
    assert!(outcome.changed);
    let lines = texts(&outcome.lines);
    assert_eq!(
        lines[0],
        "No existing Application certificate found. Create a self-signed Application certificate valid from yesterday for 12 months,"
    );
    assert_eq!(lines[1], "with a 2048 bit key and 256 bit hash.");
    let thumbprint = outcome.application_certificate.unwrap();
    assert_eq!(
        lines[2],
        format!("Application certificate with thumbprint '{thumbprint}' created.")
    );

    let contents = store.contents().unwrap();
    let own = contents.application_certificate().unwrap();
    assert_eq!(own.cert.subject(), "CN=OpcPlc");
    assert_eq!(own.cert.application_uri(), Some(URI));
    assert_eq!(
        own.file.file_name().unwrap().to_str().unwrap(),
        format!("OpcPlc [{thumbprint}].der")
    );
    let key_file = own.key_file.as_ref().unwrap();
    assert_eq!(
        key_file.metadata().unwrap().permissions().mode() & 0o777,
        0o600
    );
    assert_eq!(
        dir.path()
            .join("own/private")
            .metadata()
            .unwrap()
            .permissions()
            .mode()
            & 0o777,
        0o700
    );
    assert!(store.load_key(own).unwrap().matches(&own.cert));

    // A second run finds it and writes nothing.
    let before = snapshot(dir.path());
    let again = store
        .transact(vec![Operation::CreateSelfSigned(spec())], &opts())
        .unwrap();
    assert!(!again.changed);
    assert_eq!(
        texts(&again.lines),
        [format!(
            "Application certificate with thumbprint '{thumbprint}' found in the application certificate store."
        )]
    );
    assert_eq!(snapshot(dir.path()), before);
}

#[test]
fn csr_is_made_from_the_existing_key_with_the_san() {
    let (_dir, store) = plc_store();
    let contents = store.contents().unwrap();
    let own = contents.application_certificate().unwrap();
    let key = store.load_key(own).unwrap();
    let der = create_csr(&own.cert, &key, None, None).unwrap();
    let req = openssl::x509::X509Req::from_der(&der).unwrap();
    assert!(req.public_key().unwrap().public_eq(key.pkey()));
    assert!(req.verify(key.pkey()).unwrap());
    let text = String::from_utf8(req.to_text().unwrap()).unwrap();
    assert!(
        text.contains(&format!("URI:{URI}")) && text.contains("DNS:plc1"),
        "{text}"
    );
}

#[test]
fn the_seed_step_two_batch_installs_cert_ca_and_crl_on_empty_trust_lists() {
    let (dir, store) = plc_store();
    let ca = Ca::root("Azure IoT OPC Vault CA");
    let old = store
        .contents()
        .unwrap()
        .application_certificate()
        .unwrap()
        .cert
        .clone();
    let new = sign_for_store(&store, &ca, "OpcPlc");
    let ca_cert = cert(ca.cert());
    let crl = Crl::from_der(&ca.crl(&[])).unwrap();

    // Given in the command line's order; applied in the 2018 order.
    let outcome = store
        .transact(
            vec![
                Operation::UpdateApplicationCertificate {
                    cert: new.clone(),
                    key: None,
                },
                Operation::AddTrusted(vec![ca_cert.clone()]),
                Operation::AddIssuers(vec![ca_cert.clone()]),
                Operation::UpdateCrl(crl.clone()),
                Operation::CreateSelfSigned(spec()),
            ],
            &opts(),
        )
        .unwrap();
    let ca_subject = ca_cert.subject();
    let t_ca = ca_cert.thumbprint();
    let (t_old, t_new) = (old.thumbprint(), new.thumbprint());
    assert_eq!(
        texts(&outcome.lines),
        [
            "Starting to add certificate(s) to the trusted issuer store.".to_owned(),
            format!(
                "Certificate '{ca_subject}' and thumbprint '{t_ca}' was added to the trusted issuer store."
            ),
            "Starting to add certificate(s) to the trusted peer store.".to_owned(),
            format!(
                "Certificate '{ca_subject}' and thumbprint '{t_ca}' was added to the trusted peer store."
            ),
            "Starting to update the current CRL.".to_owned(),
            "Remove the current CRL from the trusted peer store.".to_owned(),
            format!("The new CRL issued by '{ca_subject}' was added to the trusted peer store."),
            "Remove the current CRL from the trusted issuer store.".to_owned(),
            format!("The new CRL issued by '{ca_subject}' was added to the trusted issuer store."),
            "Start updating the current application certificate.".to_owned(),
            format!(
                "The current application certificate has SubjectName 'CN=OpcPlc' and thumbprint '{t_old}'."
            ),
            "Remove the existing application certificate.".to_owned(),
            format!(
                "The new application certificate 'CN=OpcPlc' and thumbprint '{t_new}' was added to the application certificate store."
            ),
            format!("Activating the new application certificate with thumbprint '{t_new}'."),
            format!(
                "Application certificate with thumbprint '{t_new}' found in the application certificate store."
            ),
        ]
    );
    let contents = store.contents().unwrap();
    assert_eq!(contents.own.len(), 1);
    let own = contents.application_certificate().unwrap();
    assert_eq!(own.cert, new);
    assert!(
        store.load_key(own).unwrap().matches(&new),
        "the CSR key was kept"
    );
    assert_eq!(contents.trusted_crls.len(), 1);
    assert_eq!(contents.issuer_crls.len(), 1);

    let listing = texts(&store_listing(&contents));
    let next = pki::dotnet_time(crl.next_update().unwrap());
    assert_eq!(
        listing,
        [
            "Trusted issuer store contains 1 certs".to_owned(),
            format!("01: Subject '{ca_subject}' (thumbprint: {t_ca})"),
            "Trusted issuer store has 1 CRLs.".to_owned(),
            format!("01: Issuer '{ca_subject}', Next update time '{next}'"),
            "Trusted peer store contains 1 certs".to_owned(),
            format!("01: Subject '{ca_subject}' (thumbprint: {t_ca})"),
            "Trusted peer store has 1 CRLs.".to_owned(),
            format!("01: Issuer '{ca_subject}', Next update time '{next}'"),
            "Rejected certificate store contains 0 certs".to_owned(),
        ]
    );

    // Re-applying the same batch changes nothing and writes nothing.
    let before = snapshot(dir.path());
    let again = store
        .transact(
            vec![
                Operation::AddIssuers(vec![ca_cert.clone()]),
                Operation::AddTrusted(vec![ca_cert]),
                Operation::UpdateCrl(crl),
                Operation::UpdateApplicationCertificate {
                    cert: new,
                    key: None,
                },
            ],
            &opts(),
        )
        .unwrap();
    assert!(!again.changed);
    assert_eq!(snapshot(dir.path()), before);
}

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
fn application_certificate_errors_leave_the_store_unchanged() {
    let (dir, store) = plc_store();
    let ca = Ca::root("Vault CA");
    let ca_cert = cert(ca.cert());
    let trust = || {
        vec![
            Operation::AddTrusted(vec![ca_cert.clone()]),
            Operation::AddIssuers(vec![ca_cert.clone()]),
        ]
    };
    let before = snapshot(dir.path());
    let key = {
        let contents = store.contents().unwrap();
        store
            .load_key(contents.application_certificate().unwrap())
            .unwrap()
    };
    let attempt = |cert: Certificate, key: Option<PrivateKey>| {
        let mut ops = trust();
        ops.push(Operation::UpdateApplicationCertificate { cert, key });
        expect_plan_error(store.transact(ops, &opts()))
    };

    // Subject mismatch.
    let other_name =
        ca.leaf(LeafSpec::server("NotOpcPlc", URI, "plc1").with_key(key.pkey().clone()));
    let (index, kind) = attempt(cert(&other_name.cert), None);
    assert_eq!(
        index, 2,
        "the failing item is named by its position in the batch"
    );
    assert_eq!(
        kind.to_string(),
        "The SubjectName 'CN=NotOpcPlc' of the new certificate doesn't match the current certificates SubjectName 'CN=OpcPlc'."
    );

    // A CA certificate as application certificate.
    let ca_like = ca.leaf(
        LeafSpec::server("OpcPlc", URI, "plc1")
            .with_key(key.pkey().clone())
            .as_ca(),
    );
    let (_, kind) = attempt(cert(&ca_like.cert), None);
    assert!(
        matches!(kind, PlanErrorKind::CaAsApplicationCertificate { .. }),
        "{kind:?}"
    );

    // Expired.
    let expired = ca.leaf(
        LeafSpec::server("OpcPlc", URI, "plc1")
            .with_key(key.pkey().clone())
            .expired(),
    );
    let (_, kind) = attempt(cert(&expired.cert), None);
    assert_eq!(kind.status_code(), StatusCode::BadCertificateTimeInvalid);

    // Certificate for another key (not from our CSR).
    let foreign_key = ca.leaf(LeafSpec::server("OpcPlc", URI, "plc1"));
    let (_, kind) = attempt(cert(&foreign_key.cert), None);
    assert_eq!(kind, PlanErrorKind::KeyMismatch { which: "existing" });

    // A supplied key that does not match.
    let mismatched = PrivateKey::from_bytes(&foreign_key.key_pem_pkcs8(), None).unwrap();
    let (_, kind) = attempt(sign_for_store(&store, &ca, "OpcPlc"), Some(mismatched));
    assert_eq!(kind, PlanErrorKind::KeyMismatch { which: "provided" });

    // Signed by a CA the store does not hold.
    let stranger = Ca::root("Stranger CA");
    let (_, kind) = attempt(sign_for_store(&store, &stranger, "OpcPlc"), None);
    assert!(
        matches!(kind, PlanErrorKind::NotChained(ref e) if e.status == StatusCode::BadCertificateChainIncomplete),
        "{kind:?}"
    );
    assert!(kind.to_string().starts_with(
        "Failed to verify integrity of the new certificate and the trusted issuer list."
    ));

    // Revoked by the very CRL of the batch.
    let revoked_cert = sign_for_store(&store, &ca, "OpcPlc");
    let revoking = ca.crl_with(CrlSpec::new(1).revoke(revoked_cert.x509()));
    let mut ops = trust();
    ops.push(Operation::UpdateCrl(Crl::from_der(&revoking).unwrap()));
    ops.push(Operation::UpdateApplicationCertificate {
        cert: revoked_cert,
        key: None,
    });
    let (_, kind) = expect_plan_error(store.transact(ops, &opts()));
    assert!(
        matches!(kind, PlanErrorKind::NotChained(ref e) if e.status == StatusCode::BadCertificateRevoked)
    );

    // Wrong application URI when one is expected.
    let mut strict = opts();
    strict.application_uri = Some("urn:OpcPlc:elsewhere".into());
    let mut ops = trust();
    ops.push(Operation::UpdateApplicationCertificate {
        cert: sign_for_store(&store, &ca, "OpcPlc"),
        key: None,
    });
    let (_, kind) = expect_plan_error(store.transact(ops, &strict));
    assert_eq!(kind.status_code(), StatusCode::BadCertificateUriInvalid);

    assert_eq!(
        snapshot(dir.path()),
        before,
        "every refused batch left the store byte-for-byte unchanged"
    );
}

#[test]
fn without_an_existing_certificate_a_key_must_be_supplied() {
    let ca = Ca::root("Vault CA");
    let issued = ca.leaf(LeafSpec::server("OpcPlc", URI, "plc1"));
    let dir = TestStore::new().with_trusted(ca.cert());
    let store = open(dir.path());
    let before = snapshot(dir.path());
    let (_, kind) = expect_plan_error(store.transact(
        vec![Operation::UpdateApplicationCertificate {
            cert: cert(&issued.cert),
            key: None,
        }],
        &opts(),
    ));
    assert_eq!(kind, PlanErrorKind::NoPrivateKey);
    assert_eq!(snapshot(dir.path()), before);
}

#[test]
fn supplied_keys_in_pem_pfx_and_encrypted_forms_are_installed() {
    let ca = Ca::root("Vault CA");
    for (label, bytes, password) in [
        ("pkcs8", None, None),
        ("pkcs1", Some("pkcs1"), None),
        ("encrypted", Some("enc"), Some("s3cret")),
        ("pfx", Some("pfx"), Some("s3cret")),
        ("pfx-no-password", Some("pfx0"), None),
    ] {
        let issued = ca.leaf(LeafSpec::server("OpcPlc", URI, "plc1"));
        let key_bytes = match bytes {
            None => issued.key_pem_pkcs8(),
            Some("pkcs1") => issued.key_pem_pkcs1(),
            Some("enc") => issued.key_pem_encrypted("s3cret"),
            Some("pfx") => issued.pfx("s3cret"),
            _ => issued.pfx(""),
        };
        let key = PrivateKey::from_bytes(&key_bytes, password).unwrap();
        let expected_format = if label.starts_with("pfx") {
            "PFX"
        } else {
            "PEM"
        };
        assert_eq!(key.format().to_string(), expected_format, "{label}");
        let dir = TestStore::new()
            .with_trusted(ca.cert())
            .with_issuer(ca.cert());
        let store = open(dir.path());
        let outcome = store
            .transact(
                vec![Operation::UpdateApplicationCertificate {
                    cert: cert(&issued.cert),
                    key: Some(key),
                }],
                &opts(),
            )
            .unwrap();
        assert!(
            outcome
                .lines
                .iter()
                .any(|l| l.text == format!("The private key for the new certificate was passed in using {expected_format} format.")),
            "{label}"
        );
        let contents = store.contents().unwrap();
        let own = contents.application_certificate().unwrap();
        assert!(store.load_key(own).unwrap().matches(&own.cert), "{label}");
        let mode = own
            .key_file
            .as_ref()
            .unwrap()
            .metadata()
            .unwrap()
            .permissions()
            .mode()
            & 0o777;
        assert_eq!(mode, 0o600, "{label}");
    }
}

#[test]
fn a_directory_where_a_file_is_expected_is_reported_and_never_overwritten() {
    let ca = Ca::root("Vault CA");
    let dir = TestStore::new();
    // A folder that looks like a certificate file: listed as unreadable, not fatal.
    std::fs::create_dir(dir.path().join("trusted/certs/odd.der")).unwrap();
    // A folder exactly where the CA's file would be written.
    let ca_cert = cert(ca.cert());
    let target = dir
        .path()
        .join("issuer/certs")
        .join(format!("Vault CA [{}].der", ca_cert.thumbprint()));
    std::fs::create_dir(&target).unwrap();
    let store = open(dir.path());
    let contents = store.contents().unwrap();
    assert!(
        contents
            .unreadable
            .iter()
            .any(|u| u.file.ends_with("odd.der")
                && u.reason == "a directory where a file is expected")
    );
    let before = snapshot(dir.path());
    let err = store
        .transact(
            vec![
                Operation::AddTrusted(vec![ca_cert.clone()]),
                Operation::AddIssuers(vec![ca_cert]),
            ],
            &opts(),
        )
        .unwrap_err();
    assert!(
        matches!(err, TransactError::Store(StoreError::NotAFile { ref path }) if *path == target),
        "{err:?}"
    );
    assert_eq!(snapshot(dir.path()), before);
    assert!(!dir.path().join(".pki.journal").exists());
}

#[test]
fn a_read_only_store_is_refused_before_anything_is_written() {
    let ca = Ca::root("Vault CA");
    let dir = TestStore::new();
    let store = open(dir.path());
    let certs = dir.path().join("trusted/certs");
    std::fs::set_permissions(&certs, std::fs::Permissions::from_mode(0o500)).unwrap();
    let before = snapshot(dir.path());
    let err = store
        .transact(vec![Operation::AddTrusted(vec![cert(ca.cert())])], &opts())
        .unwrap_err();
    assert!(
        matches!(err, TransactError::Store(StoreError::ReadOnly { ref path }) if *path == certs),
        "{err:?}"
    );
    assert_eq!(
        err.to_string(),
        format!("the store folder '{}' is read-only", certs.display())
    );
    std::fs::set_permissions(&certs, std::fs::Permissions::from_mode(0o700)).unwrap();
    assert_eq!(snapshot(dir.path()), before);
}

#[test]
fn a_batch_with_one_bad_item_writes_nothing() {
    let (dir, store) = plc_store();
    let ca = Ca::root("Vault CA");
    let stranger = Ca::root("Stranger CA");
    let before = snapshot(dir.path());
    let (index, _) = expect_plan_error(store.transact(
        vec![
            Operation::AddTrusted(vec![cert(ca.cert())]),
            Operation::UpdateCrl(Crl::from_der(&stranger.crl(&[])).unwrap()),
        ],
        &opts(),
    ));
    assert_eq!(index, 1);
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

#[test]
fn stores_written_by_other_tools_are_read_pfx_keys_pem_and_crt_certificates_included() {
    let ca = Ca::root("Vault CA");
    let app = ca.leaf(LeafSpec::server("OpcPlc", URI, "plc1"));
    let peer = self_signed(LeafSpec::client("Peer", "urn:peer"));
    let dir = TestStore::new()
        .with_trusted(ca.cert())
        .with_issuer(ca.cert());
    let stem = format!("OpcPlc [{}]", app.thumbprint());
    std::fs::write(dir.path().join(format!("own/certs/{stem}.der")), app.der()).unwrap();
    let key_file = dir.path().join(format!("own/private/{stem}.pfx"));
    std::fs::write(&key_file, app.pfx("pw")).unwrap();
    std::fs::write(dir.path().join("trusted/certs/peer.crt"), peer.pem()).unwrap();
    std::fs::write(
        dir.path().join("trusted/certs/junk.der"),
        b"not a certificate",
    )
    .unwrap();

    let store = Store::open(StoreLayout::under(dir.path()))
        .unwrap()
        .with_key_password(Some("pw".into()));
    let contents = store.contents().unwrap();
    assert_eq!(contents.trusted.len(), 2, "the .crt PEM file is read");
    assert!(
        contents
            .unreadable
            .iter()
            .any(|u| u.file.ends_with("junk.der"))
    );
    let own = contents.application_certificate().unwrap();
    assert_eq!(own.key_file.as_deref(), Some(key_file.as_path()));
    let key = store.load_key(own).unwrap();
    assert_eq!(key.format(), pki::KeyFormat::Pfx);
    assert!(key.matches(&own.cert));

    // Without the password the PFX key cannot be read, and the error says why.
    let no_pw = Store::open(StoreLayout::under(dir.path())).unwrap();
    assert!(matches!(
        no_pw.load_key(own),
        Err(StoreError::Key {
            source: KeyError::Unsupported,
            ..
        })
    ));

    // A CSR-flow renewal keeps the key in its PFX container, rebuilt around the new certificate.
    let renewed = ca.leaf(LeafSpec::server("OpcPlc", URI, "plc1").with_key(app.key.clone()));
    store
        .transact(
            vec![Operation::UpdateApplicationCertificate {
                cert: cert(&renewed.cert),
                key: None,
            }],
            &opts(),
        )
        .unwrap();
    let contents = store.contents().unwrap();
    let own = contents.application_certificate().unwrap();
    assert_eq!(own.cert.thumbprint().to_string(), renewed.thumbprint());
    assert!(own.key_file.as_ref().unwrap().extension().unwrap() == "pfx");
    let pfx =
        openssl::pkcs12::Pkcs12::from_der(&std::fs::read(own.key_file.as_ref().unwrap()).unwrap())
            .unwrap()
            .parse2("pw")
            .unwrap();
    assert_eq!(pfx.cert.unwrap().to_der().unwrap(), renewed.der());
    assert!(!key_file.exists(), "the old key file was removed");
}

#[test]
fn configuration_lines_use_the_reference_wording() {
    let dir = TestStore::new();
    let layout = StoreLayout::under(dir.path());
    let lines = texts(&pki::configuration_lines(
        &layout,
        &pki::ValidationOptions::default(),
        "OpcPlc",
    ));
    assert_eq!(lines[0], "Trusted Issuer store type is: Directory");
    assert_eq!(
        lines[1],
        format!(
            "Trusted Issuer Certificate store path is: {}",
            dir.path().join("issuer").display()
        )
    );
    assert!(lines.contains(&"Rejection of SHA1 signed certificates is enabled".to_owned()));
    assert!(lines.contains(&"Minimum certificate key size set to 2048".to_owned()));
    assert_eq!(
        lines.last().unwrap(),
        "Application Certificate subject name is: OpcPlc"
    );
}
