//! `pki` on the store a .NET OPC UA application leaves (the OPC PLC after its first start,
//! `test_support::dotnet::DotnetAppStore`): reading its certificate and PFX key, a CSR for that
//! key, and installing the CA-signed certificate so the application finds it with its key after
//! a restart (docs/reference/dotnet-directory-store.md).
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::collections::BTreeSet;
use std::fs;
use std::net::IpAddr;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

use openssl::pkcs12::Pkcs12;
use openssl::pkey::PKey;
use openssl::x509::X509Req;
use pki::{Certificate, KeyFormat, Operation, PlanErrorKind, Store, create_csr};
use test_support::dotnet::{DotnetAppStore, dotnet_name};
use test_support::pkcs12::{
    EmptyPassword, OID_DATA, OID_ENCRYPTED_DATA, OID_FRIENDLY_NAME, OID_LOCAL_KEY_ID,
    OID_PBE_SHA1_3DES, OID_SHA1, OID_SHROUDED_KEY_BAG, PfxContents,
};
use test_support::{Ca, Issued, LeafSpec, snapshot};
use x509_parser::certification_request::X509CertificationRequest;
use x509_parser::extensions::{GeneralName, ParsedExtension};
use x509_parser::prelude::FromDer;

use common::{cert, expect_plan_error, open, opts};

const URI: &str = "urn:OpcPlc:plc1";
const ORGANIZATION: &str = "OPC Foundation";

/// The OPC PLC's store after its first start, opened with `pki`.
fn plc_store() -> (tempfile::TempDir, DotnetAppStore, Store) {
    let dir = tempfile::tempdir().unwrap();
    let dotnet = DotnetAppStore::create(
        dir.path(),
        "OpcPlc",
        URI,
        &["plc1", "plc1.factory.local", "10.1.2.3"],
    );
    let store = open(dir.path());
    (dir, dotnet, store)
}

/// A certificate from `ca` for `key`, with the subject and SAN of the OPC PLC's certificate.
fn signed_for(ca: &Ca, key: &PKey<openssl::pkey::Private>) -> Issued {
    ca.leaf(
        LeafSpec::server("OpcPlc", URI, "plc1")
            .organization(ORGANIZATION)
            .dns("plc1.factory.local")
            .ip("10.1.2.3")
            .with_key(key.clone()),
    )
}

fn files_in(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    files
}

fn mode(path: &Path) -> u32 {
    fs::metadata(path).unwrap().permissions().mode() & 0o777
}

/// Installs a CA-signed certificate for the store's own key the way `cert-agent` does (the CA
/// as issuer, the certificate without a key) and returns it.
fn install_ca_signed(dotnet: &DotnetAppStore, store: &Store) -> Issued {
    let ca = Ca::root("Factory CA");
    let signed = signed_for(&ca, &dotnet.own.key);
    store
        .transact(
            vec![
                Operation::AddIssuers(vec![cert(ca.cert())]),
                Operation::UpdateApplicationCertificate {
                    cert: cert(&signed.cert),
                    key: None,
                },
            ],
            &opts(),
        )
        .unwrap();
    signed
}

#[test]
fn the_dotnet_store_is_read_with_its_own_certificate_and_pfx_key() {
    let (_dir, dotnet, store) = plc_store();
    let contents = store.contents().unwrap();
    assert!(contents.unreadable.is_empty(), "{:?}", contents.unreadable);
    assert_eq!(contents.own.len(), 1);
    let own = contents.application_certificate().unwrap();
    assert_eq!(own.file, dotnet.cert_file());
    assert_eq!(own.key_file.as_deref(), Some(dotnet.key_file().as_path()));
    assert_eq!(own.cert.der(), dotnet.own.der().as_slice());
    assert_eq!(own.cert.subject(), "CN=OpcPlc, O=OPC Foundation");

    let key = store.load_key(own).unwrap();
    assert_eq!(key.format(), KeyFormat::Pfx);
    assert!(key.matches(&own.cert));
    assert!(key.pkey().public_eq(&dotnet.own.key));
}

#[test]
fn a_csr_from_the_dotnet_store_carries_the_certificate_san_and_verifies_with_its_key() {
    let (_dir, _dotnet, store) = plc_store();
    let contents = store.contents().unwrap();
    let own = contents.application_certificate().unwrap();
    let key = store.load_key(own).unwrap();

    let der = create_csr(&own.cert, &key, None, None).unwrap();
    assert!(X509Req::from_der(&der).unwrap().verify(key.pkey()).unwrap());
    let (_, csr) = X509CertificationRequest::from_der(&der).unwrap();
    assert_eq!(
        csr.certification_request_info.subject.as_raw(),
        own.cert.subject_der()
    );
    let mut uris = BTreeSet::new();
    let mut dns = BTreeSet::new();
    let mut ips = BTreeSet::new();
    for ext in csr.requested_extensions().into_iter().flatten() {
        if let ParsedExtension::SubjectAlternativeName(san) = ext {
            for name in &san.general_names {
                match name {
                    GeneralName::URI(u) => {
                        uris.insert((*u).to_owned());
                    }
                    GeneralName::DNSName(d) => {
                        dns.insert((*d).to_owned());
                    }
                    GeneralName::IPAddress(bytes) => {
                        let octets: [u8; 4] = (*bytes).try_into().unwrap();
                        ips.insert(IpAddr::from(octets));
                    }
                    other => panic!("unexpected SAN entry {other:?}"),
                }
            }
        }
    }
    assert_eq!(uris, BTreeSet::from([URI.to_owned()]));
    assert_eq!(
        dns,
        own.cert
            .dns_names()
            .iter()
            .cloned()
            .collect::<BTreeSet<_>>()
    );
    assert_eq!(
        dns,
        BTreeSet::from(["plc1".to_owned(), "plc1.factory.local".to_owned()])
    );
    assert_eq!(ips, BTreeSet::from(["10.1.2.3".parse::<IpAddr>().unwrap()]));
}

#[test]
fn a_ca_signed_certificate_replaces_the_pair_with_one_cert_and_one_pfx_named_by_the_dotnet_rule() {
    let (_dir, dotnet, store) = plc_store();
    let signed = install_ca_signed(&dotnet, &store);
    let name = dotnet_name(&signed.cert);
    assert_eq!(name, format!("OpcPlc [{}]", signed.thumbprint()));

    let own = dotnet.root().join("own");
    let new_cert = own.join("certs").join(format!("{name}.der"));
    let new_pfx = own.join("private").join(format!("{name}.pfx"));
    assert_eq!(
        files_in(&own.join("certs")),
        std::slice::from_ref(&new_cert)
    );
    assert_eq!(
        files_in(&own.join("private")),
        std::slice::from_ref(&new_pfx)
    );
    assert!(
        !dotnet.cert_file().exists() && !dotnet.key_file().exists(),
        "the old certificate and PFX are gone"
    );
    assert_eq!(fs::read(&new_cert).unwrap(), signed.der());
    assert_eq!(mode(&new_pfx), 0o600);

    let contents = store.contents().unwrap();
    let installed = contents.application_certificate().unwrap();
    assert_eq!(installed.cert.der(), signed.der().as_slice());
    assert!(store.load_key(installed).unwrap().matches(&installed.cert));
}

#[test]
fn the_new_pfx_holds_the_new_certificate_and_the_same_key_as_dotnet_writes_it() {
    let (_dir, dotnet, store) = plc_store();
    let signed = install_ca_signed(&dotnet, &store);
    let pfx_file = dotnet
        .root()
        .join("own/private")
        .join(format!("{}.pfx", dotnet_name(&signed.cert)));
    let bytes = fs::read(pfx_file).unwrap();

    // What the .NET stack loads it with: no password (the empty one, else the null one).
    let pfx = PfxContents::read(&bytes);
    assert_eq!(pfx.mac_password, EmptyPassword::Empty);
    assert_eq!(
        (pfx.mac_digest.as_str(), pfx.mac_iterations),
        (OID_SHA1, 2000)
    );
    let mut safes = pfx.safe_content_types.clone();
    safes.sort();
    assert_eq!(safes, [OID_DATA, OID_ENCRYPTED_DATA]);

    assert_eq!(pfx.certs.len(), 1, "one certificate per PFX: the new one");
    assert_eq!(
        test_support::thumbprint(&pfx.certs[0].der),
        signed.thumbprint(),
        "the PFX holds the new certificate (the application uses the one in the PFX)"
    );
    let cert_pbe = pfx.certs[0].safe_algorithm.as_ref().unwrap();
    assert_eq!(
        (cert_pbe.oid.as_str(), cert_pbe.iterations),
        (OID_PBE_SHA1_3DES, 2000)
    );

    assert_eq!(pfx.keys.len(), 1);
    let key = &pfx.keys[0];
    assert_eq!(key.bag_id, OID_SHROUDED_KEY_BAG);
    let key_pbe = key.algorithm.as_ref().unwrap();
    assert_eq!(
        (key_pbe.oid.as_str(), key_pbe.iterations),
        (OID_PBE_SHA1_3DES, 2000)
    );
    let pkey = PKey::private_key_from_pkcs8(&key.pkcs8).unwrap();
    assert_eq!(
        pkey.private_key_to_der().unwrap(),
        dotnet.own.key.private_key_to_der().unwrap(),
        "the key is the one the application had"
    );

    assert!(pfx.certs[0].attribute(OID_FRIENDLY_NAME).is_none());
    assert!(key.attribute(OID_FRIENDLY_NAME).is_none());
    let id = key.attribute(OID_LOCAL_KEY_ID).unwrap();
    assert_eq!(pfx.certs[0].attribute(OID_LOCAL_KEY_ID), Some(id));

    // OpenSSL's reader agrees, with the same (empty) password.
    let parsed = Pkcs12::from_der(&bytes).unwrap().parse2("").unwrap();
    let parsed_cert = parsed.cert.unwrap().to_der().unwrap();
    assert_eq!(test_support::thumbprint(&parsed_cert), signed.thumbprint());
    assert!(parsed.ca.is_none_or(|ca| ca.is_empty()));
}

#[test]
fn a_certificate_for_another_key_is_refused_and_the_store_is_unchanged() {
    let (dir, dotnet, store) = plc_store();
    let before = snapshot(dir.path());
    let ca = Ca::root("Factory CA");
    let stranger = signed_for(&ca, &test_support::rsa_key(2048));
    let result = store.transact(
        vec![
            Operation::AddIssuers(vec![cert(ca.cert())]),
            Operation::UpdateApplicationCertificate {
                cert: cert(&stranger.cert),
                key: None,
            },
        ],
        &opts(),
    );
    let (index, kind) = expect_plan_error(result);
    assert_eq!(index, 1);
    assert!(
        matches!(kind, PlanErrorKind::KeyMismatch { which: "existing" }),
        "{kind:?}"
    );
    assert_eq!(snapshot(dir.path()), before);
    assert!(dotnet.cert_file().is_file() && dotnet.key_file().is_file());
}

#[test]
fn rejected_certificates_are_named_alike_by_pki_and_by_the_dotnet_stack() {
    let (_dir, dotnet, store) = plc_store();
    let by_dotnet = test_support::self_signed(LeafSpec::client("Client: a/b", "urn:c"));
    let path = dotnet.write_rejected(&by_dotnet.cert);
    let contents = store.contents().unwrap();
    assert_eq!(contents.rejected.len(), 1);
    assert_eq!(contents.rejected[0].file, path);
    assert_eq!(contents.rejected[0].cert.der(), by_dotnet.der().as_slice());

    let by_pki = test_support::self_signed(LeafSpec::client("Server <1>|x", "urn:s"));
    store
        .add_rejected(&Certificate::from_der(&by_pki.der()).unwrap())
        .unwrap();
    let expected = dotnet
        .root()
        .join("rejected/certs")
        .join(format!("{}.der", dotnet_name(&by_pki.cert)));
    assert_eq!(
        expected.file_name().unwrap().to_str().unwrap(),
        format!("Server +1++x [{}].der", by_pki.thumbprint())
    );
    assert_eq!(fs::read(expected).unwrap(), by_pki.der());
}

#[test]
fn the_new_pair_belongs_to_the_owner_of_the_pair_it_replaces() {
    use std::os::unix::fs::MetadataExt;
    // The app (`$APP_UID` in the OPC PLC image) must still read its 0600 key after cert-agent
    // (root on the device) wrote it. As root the old pair is given to another user first; a
    // plain user can only own it itself, which the same assertions then check.
    let (_dir, dotnet, store) = plc_store();
    let ours = fs::metadata(dotnet.key_file()).unwrap();
    let app = if ours.uid() == 0 {
        (4242, 4343)
    } else {
        (ours.uid(), ours.gid())
    };
    for file in [dotnet.cert_file(), dotnet.key_file()] {
        std::os::unix::fs::chown(file, Some(app.0), Some(app.1)).unwrap();
    }
    let signed = install_ca_signed(&dotnet, &store);
    let name = dotnet_name(&signed.cert);
    let own = dotnet.root().join("own");
    let pfx = own.join("private").join(format!("{name}.pfx"));
    for file in [own.join("certs").join(format!("{name}.der")), pfx.clone()] {
        let meta = fs::metadata(&file).unwrap();
        assert_eq!((meta.uid(), meta.gid()), app, "{}", file.display());
    }
    assert_eq!(mode(&pfx), 0o600);
}
