//! Store operations on the own certificate with the OPC PLC's semantics (self-signed
//! creation, CSR, installing a CA-signed certificate and its key), every bad input leaving the
//! store unchanged.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::too_many_lines)]

mod common;

use std::os::unix::fs::PermissionsExt;

use common::{URI, cert, expect_plan_error, open, opts, plc_store, sign_for_store, spec, texts};
use pki::{
    Activation, Certificate, Crl, Operation, PlanErrorKind, PrivateKey, StatusCode, create_csr,
    store_listing,
};
use test_support::{Ca, CrlSpec, LeafSpec, TestStore, snapshot};

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
fn a_certificate_installed_for_a_running_application_is_not_announced_as_activated() {
    // The running PLC (or the app of a cert-agent store) activates it and says so itself:
    // one change, one activation line.
    let ca = Ca::root("Vault CA");
    let (_dir, store) = plc_store();
    let new = sign_for_store(&store, &ca, "OpcPlc");
    let mut options = opts();
    options.activation = Activation::ByApplication;
    let outcome = store
        .transact(
            vec![
                Operation::AddIssuers(vec![cert(ca.cert())]),
                Operation::UpdateApplicationCertificate {
                    cert: new.clone(),
                    key: None,
                },
            ],
            &options,
        )
        .unwrap();
    let lines = texts(&outcome.lines);
    let t_new = new.thumbprint();
    assert!(
        lines.contains(&format!(
            "The new application certificate 'CN=OpcPlc' and thumbprint '{t_new}' was added to the application certificate store."
        )),
        "{lines:?}"
    );
    assert!(
        !lines.iter().any(|l| l.starts_with("Activating")),
        "{lines:?}"
    );
    assert_eq!(
        store
            .contents()
            .unwrap()
            .application_certificate()
            .unwrap()
            .cert,
        new
    );
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
