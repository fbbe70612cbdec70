//! The vault through its library API, without a hub: init, signing (the OPC UA profile, the
//! refusals), lifetimes, revocation and CRLs checked with `pki`'s parser and validator,
//! concurrent signing, file modes, and interrupted writes.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

use std::collections::BTreeSet;
use std::fs;
use std::os::unix::fs::PermissionsExt as _;
use std::path::Path;

use opc_vault::{
    CaRole, CertStatus, CertType, CsrError, InitOptions, IntermediateOptions, RevocationReason,
    SignOptions, Vault, VaultError,
};
use openssl::x509::{ReasonCode, X509Crl};
use pki::{
    Certificate, PeerExpectations, PeerRole, SelfSignedSpec, StatusCode, TrustSnapshot,
    ValidationOptions, create_csr, create_self_signed, validate_chain,
};
use tempfile::TempDir;
use test_support::{csr_der, now, rsa_key};
use time::Duration;

/// A vault in a temp dir, with an issuing intermediate when asked.
fn vault(intermediate: bool) -> (TempDir, Vault) {
    vault_with(&InitOptions {
        intermediate: intermediate.then(IntermediateOptions::default),
        ..InitOptions::default()
    })
}

fn vault_with(options: &InitOptions) -> (TempDir, Vault) {
    let dir = tempfile::tempdir().unwrap();
    let vault = Vault::init(&dir.path().join("vault"), options, now()).unwrap();
    (dir, vault)
}

/// A CSR as a module reports it: for a fresh self-signed certificate's key, with its SAN.
fn module_csr(uri: &str) -> Vec<u8> {
    let spec = SelfSignedSpec::new(
        "CN=OpcPlc, O=Contoso",
        uri,
        vec!["plc1".into(), "10.1.2.3".into()],
    );
    let (cert, key) = create_self_signed(&spec, now()).unwrap();
    create_csr(&cert, &key, None, None).unwrap()
}

fn sign(vault: &Vault, uri: &str) -> opc_vault::Signed {
    vault
        .sign(&module_csr(uri), &SignOptions::default(), now())
        .unwrap()
}

fn index_len(vault: &Vault) -> usize {
    vault.read().unwrap().index.certificates.len()
}

/// The vault's chain as a module's store holds it after provisioning: the root trusted, the
/// intermediate an issuer, both CRLs.
fn module_trust(vault: &Vault) -> TrustSnapshot {
    let state = vault.read().unwrap();
    let crls: Vec<pki::Crl> = state.crls.iter().map(|c| c.crl.clone()).collect();
    let issuers: Vec<Certificate> = state.issuing.iter().cloned().collect();
    TrustSnapshot::new(std::slice::from_ref(&state.root), &issuers, &crls)
}

fn validate(vault: &Vault, leaf: &Certificate) -> Result<(), StatusCode> {
    let expect = PeerExpectations {
        role: Some(PeerRole::Client),
        ..PeerExpectations::default()
    };
    validate_chain(
        &module_trust(vault),
        std::slice::from_ref(leaf),
        now(),
        &ValidationOptions::default(),
        &expect,
    )
    .map(drop)
    .map_err(|e| e.status)
}

#[test]
fn init_with_an_intermediate_gives_a_chain_that_pki_validates_root_trusted_intermediate_issuer() {
    let (_dir, vault) = vault(true);
    let state = vault.read().unwrap();
    let root = &state.root;
    let issuing = state.issuing.as_ref().expect("an intermediate");
    assert!(root.is_self_signed() && root.is_ca() && root.path_len().is_none());
    let root_ku = root.key_usage().unwrap();
    assert!(root_ku.key_cert_sign && root_ku.crl_sign && !root_ku.digital_signature);
    assert!(root.subject_key_id().is_some());
    assert!(issuing.is_ca() && !issuing.is_self_signed());
    assert_eq!(issuing.path_len(), Some(0));
    assert_eq!(issuing.authority_key_id(), root.subject_key_id());
    assert!(issuing.subject_key_id().is_some());
    assert!(issuing.is_signed_by(root));
    assert_eq!(root.subject(), "CN=OPC Vault CA");
    assert_eq!(issuing.subject(), "CN=OPC Vault Issuing CA");
    // Critical flags are not exposed by pki: read them with openssl's text form.
    let text = String::from_utf8(issuing.x509().to_text().unwrap()).unwrap();
    assert!(
        text.contains("X509v3 Basic Constraints: critical"),
        "{text}"
    );
    assert!(text.contains("X509v3 Key Usage: critical"), "{text}");
    assert!(text.contains("sha256WithRSAEncryption"), "{text}");
    // An initial empty CRL per CA, number 1, issued by it.
    for (role, ca) in state.cas() {
        let crl = state.crl(role).unwrap();
        assert_eq!(crl.crl_number(), Some(1));
        assert_eq!(crl.revoked_count(), 0);
        assert!(crl.is_issued_by(ca));
    }

    let signed = sign(&vault, "urn:OpcPlc:plc1");
    assert!(signed.certificate.is_signed_by(issuing));
    assert_eq!(signed.record.issuer, CaRole::Issuing);
    assert_eq!(validate(&vault, &signed.certificate), Ok(()));
}

#[test]
fn an_application_certificate_has_the_opc_ua_profile_and_copies_the_csr() {
    let (_dir, vault) = vault(false);
    let signed = vault
        .sign(
            &module_csr("urn:OpcPlc:plc1"),
            &SignOptions {
                cert_type: CertType::Server,
                ..SignOptions::default()
            },
            now(),
        )
        .unwrap();
    let cert = &signed.certificate;
    assert_eq!(cert.subject(), "CN=OpcPlc, O=Contoso");
    assert_eq!(cert.application_uri(), Some("urn:OpcPlc:plc1"));
    assert_eq!(cert.dns_names(), ["plc1".to_owned()]);
    assert_eq!(
        cert.ip_addresses(),
        ["10.1.2.3".parse::<std::net::IpAddr>().unwrap()]
    );
    assert!(!cert.is_ca());
    let ku = cert.key_usage().unwrap();
    assert!(
        ku.digital_signature && ku.non_repudiation && ku.key_encipherment && ku.data_encipherment
    );
    assert!(!ku.key_cert_sign && !ku.crl_sign);
    let eku = cert.extended_key_usage().unwrap();
    assert!(eku.server_auth && !eku.client_auth);
    assert_eq!(cert.serial().len(), 20);
    assert!(cert.subject_key_id().is_some());
    let state = vault.read().unwrap();
    assert_eq!(cert.authority_key_id(), state.root.subject_key_id());
    let text = String::from_utf8(cert.x509().to_text().unwrap()).unwrap();
    assert!(text.contains("X509v3 Key Usage: critical"), "{text}");
    assert!(
        text.contains("X509v3 Basic Constraints: critical"),
        "{text}"
    );
    assert!(text.contains("sha256WithRSAEncryption"), "{text}");
    // A server certificate is refused for a client role, as OPC UA stacks do.
    assert_eq!(
        validate(&vault, cert),
        Err(StatusCode::BadCertificateUseNotAllowed)
    );
    // Recorded in the index with what `list` shows.
    let record = state
        .index
        .by_thumbprint(&cert.thumbprint().to_string())
        .unwrap();
    assert_eq!(record, &signed.record);
    assert_eq!(record.cert_type, CertType::Server);
    assert_eq!(record.status, CertStatus::Valid);
    assert_eq!(record.serial.len(), 40);
    assert_eq!(
        fs::read(vault.dir().join(record.file())).unwrap(),
        cert.der()
    );
}

#[test]
fn a_csr_without_a_uri_is_refused_and_nothing_is_recorded() {
    let (_dir, vault) = vault(false);
    let key = rsa_key(2048);
    let der = csr_der("NoUri", None, &[], &key, &key);
    let err = vault
        .sign(&der, &SignOptions::default(), now())
        .unwrap_err();
    assert!(
        matches!(err, VaultError::Csr(CsrError::NoApplicationUri)),
        "{err:?}"
    );
    assert_eq!(index_len(&vault), 0);
}

#[test]
fn a_uri_other_than_the_app_uri_given_is_refused() {
    let (_dir, vault) = vault(false);
    let options = SignOptions {
        application_uri: Some("urn:OpcPlc:plc2".into()),
        ..SignOptions::default()
    };
    let err = vault
        .sign(&module_csr("urn:OpcPlc:plc1"), &options, now())
        .unwrap_err();
    assert!(
        matches!(err, VaultError::Csr(CsrError::UriMismatch { ref requested, ref expected })
            if requested == "urn:OpcPlc:plc1" && expected == "urn:OpcPlc:plc2"),
        "{err:?}"
    );
    assert_eq!(index_len(&vault), 0);
}

#[test]
fn a_csr_whose_signature_does_not_verify_is_refused() {
    let (_dir, vault) = vault(false);
    // Signed by another key than the one it asks a certificate for.
    let der = csr_der(
        "Forged",
        Some("urn:forged"),
        &[],
        &rsa_key(2048),
        &rsa_key(2048),
    );
    let err = vault
        .sign(&der, &SignOptions::default(), now())
        .unwrap_err();
    assert!(
        matches!(err, VaultError::Csr(CsrError::Signature)),
        "{err:?}"
    );
    assert_eq!(index_len(&vault), 0);
}

#[test]
fn the_lifetime_is_capped_by_the_issuing_ca() {
    let (_dir, vault) = vault_with(&InitOptions {
        ca_years: 3,
        intermediate: Some(IntermediateOptions {
            years: 5,
            ..IntermediateOptions::default()
        }),
        ..InitOptions::default()
    });
    let state = vault.read().unwrap();
    let issuing = state.issuing.clone().unwrap();
    // The intermediate asked for 5 years under a 3-year root.
    assert_eq!(issuing.not_after(), state.root.not_after());
    let signed = vault
        .sign(
            &module_csr("urn:a"),
            &SignOptions {
                years: Some(10),
                ..SignOptions::default()
            },
            now(),
        )
        .unwrap();
    assert_eq!(signed.certificate.not_after(), issuing.not_after());
    assert_eq!(signed.record.not_after, issuing.not_after());
    // Within the CA's life, the requested lifetime holds.
    let short = vault
        .sign(
            &module_csr("urn:b"),
            &SignOptions {
                years: Some(1),
                ..SignOptions::default()
            },
            now(),
        )
        .unwrap();
    let lifetime = short.certificate.not_after() - now();
    assert!(
        lifetime > Duration::days(364) && lifetime <= Duration::days(366),
        "{lifetime}"
    );
    // A CA that has expired issues nothing.
    let later = issuing.not_after() + Duration::days(1);
    let err = vault
        .sign(&module_csr("urn:c"), &SignOptions::default(), later)
        .unwrap_err();
    assert!(matches!(err, VaultError::CaExpired { .. }), "{err:?}");
}

#[test]
fn crl_numbers_strictly_increase_across_crl_runs() {
    let (_dir, vault) = vault(true);
    let mut last = (1, 1);
    for run in 0..3 {
        let issued = vault.issue_crls(Some(3), now()).unwrap();
        assert_eq!(issued.len(), 2);
        let state = vault.read().unwrap();
        let root = state.crl(CaRole::Root).unwrap().crl_number().unwrap();
        let issuing = state.crl(CaRole::Issuing).unwrap().crl_number().unwrap();
        assert!(
            root > last.0 && issuing > last.1,
            "run {run}: {root}, {issuing}"
        );
        last = (root, issuing);
        let crl = state.crl(CaRole::Root).unwrap();
        assert_eq!(
            crl.next_update().unwrap() - crl.this_update(),
            Duration::days(3)
        );
    }
    // Only the current CRL of each CA stays in the folder.
    let files: BTreeSet<String> = fs::read_dir(vault.dir().join("crl"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(
        files,
        BTreeSet::from(["root-4.crl".to_owned(), "issuing-4.crl".to_owned()])
    );
    // The default period is the vault's 7 days (OPC Vault used the CA's expiry).
    vault.issue_crls(None, now()).unwrap();
    let state = vault.read().unwrap();
    let crl = state.crl(CaRole::Issuing).unwrap();
    assert_eq!(
        crl.next_update().unwrap() - crl.this_update(),
        Duration::days(7)
    );
}

#[test]
fn a_revoked_serial_is_in_the_next_crl_and_its_chain_is_then_revoked() {
    let (_dir, vault) = vault(true);
    let kept = sign(&vault, "urn:kept");
    let signed = sign(&vault, "urn:revoked");
    assert_eq!(validate(&vault, &signed.certificate), Ok(()));

    let before = vault
        .read()
        .unwrap()
        .crl(CaRole::Issuing)
        .unwrap()
        .crl_number();
    let revocation = vault
        .revoke(
            &signed.record.serial.to_lowercase(),
            RevocationReason::KeyCompromise,
            now(),
        )
        .unwrap();
    assert!(!revocation.already_revoked);
    assert_eq!(revocation.record.status, CertStatus::Revoked);

    let state = vault.read().unwrap();
    let crl = state.crl(CaRole::Issuing).unwrap();
    assert!(crl.crl_number() > before);
    assert!(crl.is_issued_by(state.issuing.as_ref().unwrap()));
    assert_eq!(crl.revoked_count(), 1);
    assert!(crl.is_revoked(&signed.certificate));
    assert!(!crl.is_revoked(&kept.certificate));
    // The root's CRL did not change: the revoked certificate was the intermediate's.
    assert_eq!(state.crl(CaRole::Root).unwrap().crl_number(), Some(1));
    // The reason is in the CRL entry.
    let parsed = X509Crl::from_der(crl.der()).unwrap();
    let entry = &parsed.get_revoked().unwrap()[0];
    let (_, reason) = entry.extension::<ReasonCode>().unwrap().unwrap();
    assert_eq!(reason.get_i64().unwrap(), 1);

    assert_eq!(
        validate(&vault, &signed.certificate),
        Err(StatusCode::BadCertificateRevoked)
    );
    assert_eq!(validate(&vault, &kept.certificate), Ok(()));

    // By thumbprint, again: nothing changes.
    let again = vault
        .revoke(
            &signed.record.thumbprint,
            RevocationReason::Superseded,
            now(),
        )
        .unwrap();
    assert!(again.already_revoked && again.crl.is_none());
    assert_eq!(again.record.reason, Some(RevocationReason::KeyCompromise));
    assert_eq!(
        vault
            .read()
            .unwrap()
            .crl(CaRole::Issuing)
            .unwrap()
            .crl_number(),
        crl.crl_number()
    );
    assert!(matches!(
        vault.revoke("00FF", RevocationReason::Unspecified, now()),
        Err(VaultError::NotFound(_))
    ));
}

#[test]
fn concurrent_signs_are_all_recorded_with_distinct_serials_in_a_consistent_index() {
    let (_dir, vault) = vault(true);
    let csrs: Vec<Vec<u8>> = (0..4)
        .map(|i| module_csr(&format!("urn:app:{i}")))
        .collect();
    let threads: Vec<_> = (0..6)
        .map(|t| {
            let vault = vault.clone();
            let csrs = csrs.clone();
            std::thread::spawn(move || {
                (0..3)
                    .map(|i| {
                        vault
                            .sign(&csrs[(t + i) % csrs.len()], &SignOptions::default(), now())
                            .unwrap()
                            .record
                            .serial
                    })
                    .collect::<Vec<_>>()
            })
        })
        .collect();
    let issued: Vec<String> = threads
        .into_iter()
        .flat_map(|t| t.join().unwrap())
        .collect();
    assert_eq!(issued.len(), 18);
    let state = vault.read().unwrap();
    let recorded: BTreeSet<&str> = state
        .index
        .certificates
        .iter()
        .map(|r| r.serial.as_str())
        .collect();
    assert_eq!(
        state.index.certificates.len(),
        18,
        "every sign is in the index once"
    );
    assert_eq!(recorded.len(), 18, "serials are distinct");
    assert_eq!(recorded, issued.iter().map(String::as_str).collect());
    for record in &state.index.certificates {
        let der = fs::read(vault.dir().join(record.file())).unwrap();
        assert_eq!(
            Certificate::from_der(&der)
                .unwrap()
                .thumbprint()
                .to_string(),
            record.thumbprint
        );
    }
}

#[test]
fn keys_are_0600_and_the_vault_folders_0700() {
    let (_dir, vault) = vault(true);
    sign(&vault, "urn:a");
    let mode = |path: &Path| fs::metadata(path).unwrap().permissions().mode() & 0o777;
    for key in ["ca/root.key.pem", "ca/issuing.key.pem"] {
        assert_eq!(mode(&vault.dir().join(key)), 0o600, "{key}");
    }
    for file in ["index.json", "config.json", "ca/root.der", "crl/root-1.crl"] {
        assert_eq!(mode(&vault.dir().join(file)), 0o600, "{file}");
    }
    for dir in ["", "ca", "crl", "certs"] {
        assert_eq!(mode(&vault.dir().join(dir)), 0o700, "{dir}");
    }
}

#[test]
fn init_refuses_an_existing_vault_and_any_non_empty_folder_and_leaves_them_as_they_were() {
    let (dir, vault) = vault(false);
    let index = fs::read(vault.dir().join("index.json")).unwrap();
    let err = Vault::init(vault.dir(), &InitOptions::default(), now()).unwrap_err();
    assert!(matches!(err, VaultError::Exists { .. }), "{err:?}");
    assert_eq!(fs::read(vault.dir().join("index.json")).unwrap(), index);
    let other = dir.path().join("other");
    fs::create_dir(&other).unwrap();
    fs::write(other.join("notes.txt"), "mine").unwrap();
    assert!(matches!(
        Vault::init(&other, &InitOptions::default(), now()),
        Err(VaultError::Exists { .. })
    ));
    // An empty folder is fine (a mounted volume).
    let empty = dir.path().join("empty");
    fs::create_dir(&empty).unwrap();
    Vault::init(&empty, &InitOptions::default(), now()).unwrap();
    // No staging folder is left next to them.
    let names: BTreeSet<String> = fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(
        names,
        BTreeSet::from(["vault".into(), "other".into(), "empty".into()])
    );
    assert!(matches!(
        Vault::open(&dir.path().join("nothing")),
        Err(VaultError::NotAVault { .. })
    ));
}

#[test]
fn a_temp_file_left_by_an_interrupted_write_is_removed_and_the_old_state_stays() {
    let (_dir, vault) = vault(true);
    let first = sign(&vault, "urn:a");
    // A run died after writing its new index to a temp file, before the rename.
    let torn = vault.dir().join(".index.json.tmp-99999-0");
    fs::write(&torn, b"{\"format\": 1, \"crls\": {").unwrap();
    // And after writing a CRL it never committed.
    let orphan = vault.dir().join("crl/issuing-2.crl");
    fs::write(&orphan, b"half a CRL").unwrap();
    assert_eq!(index_len(&vault), 1, "readers see the old index");
    let second = sign(&vault, "urn:b");
    assert!(!torn.exists(), "the next writer removes the temp file");
    let state = vault.read().unwrap();
    assert_eq!(state.index.certificates.len(), 2);
    assert_eq!(state.index.certificates[0], first.record);
    assert_eq!(state.index.certificates[1], second.record);
    // The next CRL takes the number after the committed one, replacing the orphan.
    vault.issue_crls(None, now()).unwrap();
    let state = vault.read().unwrap();
    assert_eq!(state.crl(CaRole::Issuing).unwrap().crl_number(), Some(2));
}

#[test]
fn a_torn_or_corrupt_vault_file_gives_an_error_naming_the_file() {
    let (_dir, vault) = vault(true);
    sign(&vault, "urn:a");
    let index = vault.dir().join("index.json");
    let bytes = fs::read(&index).unwrap();
    fs::write(&index, &bytes[..bytes.len() / 2]).unwrap();
    for err in [
        vault.read().unwrap_err(),
        vault
            .sign(&module_csr("urn:b"), &SignOptions::default(), now())
            .unwrap_err(),
        vault.issue_crls(None, now()).unwrap_err(),
    ] {
        let text = err.to_string();
        assert!(matches!(err, VaultError::Corrupt { .. }), "{err:?}");
        assert!(text.contains("index.json is corrupt"), "{text}");
    }
    fs::write(&index, &bytes).unwrap();
    // A key that is not the CA's.
    let key = vault.dir().join("ca/issuing.key.pem");
    fs::write(&key, rsa_key(2048).private_key_to_pem_pkcs8().unwrap()).unwrap();
    let err = vault
        .sign(&module_csr("urn:b"), &SignOptions::default(), now())
        .unwrap_err();
    assert!(
        err.to_string()
            .contains("issuing.key.pem is corrupt: the key does not belong to ca/issuing.der"),
        "{err}"
    );
    // A CRL file that is not the one the index names.
    fs::copy(
        vault.dir().join("crl/root-1.crl"),
        vault.dir().join("crl/issuing-1.crl"),
    )
    .unwrap();
    let err = vault.read().unwrap_err();
    assert!(
        err.to_string().contains("issuing-1.crl is corrupt"),
        "{err}"
    );
}

#[test]
fn stale_crls_are_renewed_only_after_half_their_period() {
    let (_dir, vault) = vault(false);
    assert!(vault.refresh_crls(now()).unwrap().is_empty());
    assert!(
        vault
            .refresh_crls(now() + Duration::days(3))
            .unwrap()
            .is_empty()
    );
    let renewed = vault.refresh_crls(now() + Duration::days(4)).unwrap();
    assert_eq!(renewed.len(), 1);
    assert_eq!(renewed[0].crl.crl_number(), Some(2));
}
