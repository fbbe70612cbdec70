//! The store itself under operations: wrong file types, read-only stores, all-or-nothing
//! batches, stores written by other tools, the configuration lines.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::too_many_lines)]

mod common;

use std::os::unix::fs::PermissionsExt;

use common::{URI, cert, expect_plan_error, open, opts, plc_store, texts};
use pki::{Crl, KeyError, Operation, Store, StoreError, StoreLayout, TransactError};
use test_support::{Ca, LeafSpec, TestStore, self_signed, snapshot};

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
fn a_store_is_not_created_under_a_read_only_folder() {
    let dir = TestStore::new();
    let root = dir.path().join("pki");
    std::fs::create_dir(&root).unwrap();
    std::fs::set_permissions(&root, std::fs::Permissions::from_mode(0o555)).unwrap();
    let err = Store::open(StoreLayout::under(root.join("opcplc"))).unwrap_err();
    assert!(
        matches!(err, StoreError::ReadOnly { ref path } if *path == root),
        "{err:?}"
    );
    assert!(!root.join("opcplc").exists());
    std::fs::set_permissions(&root, std::fs::Permissions::from_mode(0o755)).unwrap();
    Store::open(StoreLayout::under(root.join("opcplc"))).unwrap();
    assert!(root.join("opcplc/own/certs").is_dir());
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
fn the_owner_record_commits_with_the_batch_and_only_with_it() {
    let (dir, store) = plc_store();
    let ca = Ca::root("Vault CA");
    let stranger = Ca::root("Stranger CA");
    assert_eq!(store.contents_and_record().unwrap().1, None);

    let outcome = store
        .transact(
            vec![
                Operation::WriteRecord(b"{\"v\":1}".to_vec()),
                Operation::AddTrusted(vec![cert(ca.cert())]),
            ],
            &opts(),
        )
        .unwrap();
    assert!(outcome.changed);
    let (contents, record) = store.contents_and_record().unwrap();
    assert_eq!(record.as_deref(), Some(&b"{\"v\":1}"[..]));
    assert_eq!(contents.trusted.len(), 1);
    assert!(dir.path().join(pki::store::RECORD_FILE).is_file());

    // The same bytes again: nothing to write.
    let again = store
        .transact(vec![Operation::WriteRecord(b"{\"v\":1}".to_vec())], &opts())
        .unwrap();
    assert!(!again.changed);

    // A refused batch leaves the old record with the old files.
    let before = snapshot(dir.path());
    expect_plan_error(store.transact(
        vec![
            Operation::WriteRecord(b"{\"v\":2}".to_vec()),
            Operation::UpdateCrl(Crl::from_der(&stranger.crl(&[])).unwrap()),
        ],
        &opts(),
    ));
    assert_eq!(snapshot(dir.path()), before);
    assert_eq!(
        store.contents_and_record().unwrap().1.as_deref(),
        Some(&b"{\"v\":1}"[..])
    );
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

#[test]
fn a_private_key_in_a_certificate_or_crl_folder_is_skipped_and_named_a_key() {
    let stray = self_signed(LeafSpec::client("Stray", "urn:stray"));
    let dir = TestStore::new();
    let pem = dir.path().join("trusted/certs/leaked.pem");
    std::fs::write(&pem, stray.key_pem_pkcs8()).unwrap();
    let der = dir.path().join("trusted/crl/leaked.crl");
    std::fs::write(&der, stray.key.private_key_to_der().unwrap()).unwrap();
    let garbage = dir.path().join("issuer/certs/garbage.der");
    std::fs::write(&garbage, b"not a certificate").unwrap();
    let contents = open(dir.path()).contents().unwrap();
    let reason = |file: &std::path::Path| {
        contents
            .unreadable
            .iter()
            .find_map(|u| (u.file == file).then(|| u.reason.clone()))
            .unwrap_or_else(|| {
                panic!(
                    "{} is not listed: {:?}",
                    file.display(),
                    contents.unreadable
                )
            })
    };
    for key in [&pem, &der] {
        assert_eq!(
            reason(key),
            "a private key, which does not belong in a certificate or CRL folder"
        );
    }
    assert!(reason(&garbage).starts_with("the certificate is not valid DER"));
    assert!(contents.trusted.is_empty() && contents.trusted_crls.is_empty());
}
