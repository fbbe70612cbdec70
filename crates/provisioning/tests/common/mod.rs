//! Shared fixtures of the provisioning tests: a module store after its first start, the CA's
//! side of the CSR flow, and shorthands for a reconciliation.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

pub use base64::Engine;
pub use base64::engine::general_purpose::STANDARD as BASE64;
use hub_proto::twin::TwinVersion;
use openssl::x509::{X509, X509Req};
use pki::{Operation, PlanOptions, SelfSignedSpec, Store, StoreLayout};
use provisioning::{Context, DesiredInput, Reconciliation, ReportedPki, Section, reconcile};
use serde_json::{Value, json};
use test_support::{Ca, LeafSpec, TestStore, now};

pub const URI: &str = "urn:OpcPlc:plc1";

pub fn b64(x: &X509) -> String {
    BASE64.encode(x.to_der().unwrap())
}

/// A live module (its validators take the twin's policy) with the PLC's URI.
pub fn context() -> Context {
    Context {
        application_uri: Some(URI.to_owned()),
        live_policy: true,
        ..Context::new(now())
    }
}

/// cert-agent's view of another app's store: no URI of its own, no policy.
pub fn agent() -> Context {
    Context::new(now())
}

/// A module's store after its first start: a self-signed certificate and its key.
pub fn module_store() -> (TestStore, Store) {
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

pub fn run_as(
    store: &Store,
    desired: Option<&Value>,
    version: u64,
    section: Section,
    context: &Context,
) -> Reconciliation {
    reconcile(
        store,
        DesiredInput {
            value: desired,
            version: Some(TwinVersion::new(version)),
            section,
        },
        context,
    )
}

pub fn run(store: &Store, desired: Option<&Value>, version: u64) -> Reconciliation {
    run_as(store, desired, version, Section::OwnPki, &context())
}

/// The report as the twin holds it.
pub fn twin(reported: &ReportedPki) -> Value {
    Value::Object(reported.to_twin())
}

/// What the CA does with the reported CSR: a certificate for the requested key. (The test CA
/// issues from a key pair, so it certifies the store's key after checking that the CSR asks
/// for exactly that key and carries the application URI.)
pub fn sign_csr(ca: &Ca, store: &Store, reported: &ReportedPki) -> X509 {
    let der = BASE64
        .decode(reported.csr.as_deref().expect("a CSR is reported"))
        .unwrap();
    let request = X509Req::from_der(&der).unwrap();
    let public = request.public_key().unwrap();
    assert!(
        request.verify(&public).unwrap(),
        "the CSR is signed by its key"
    );
    let text = String::from_utf8(request.to_text().unwrap()).unwrap();
    let uri = reported
        .application_cert
        .as_ref()
        .and_then(|c| c.application_uri.clone())
        .unwrap();
    assert!(text.contains(&uri), "{text}");
    let contents = store.contents().unwrap();
    let key = store
        .load_key(contents.application_certificate().unwrap())
        .unwrap();
    assert!(
        public.public_eq(key.pkey()),
        "the CSR is for the store's key"
    );
    // The subject the CSR asks for (a CA copies it; the app's subject may not change).
    let entry = |nid| {
        request
            .subject_name()
            .entries_by_nid(nid)
            .next()
            .map(|e| String::from_utf8_lossy(e.data().as_slice()).into_owned())
    };
    let cn = entry(openssl::nid::Nid::COMMONNAME).unwrap();
    let mut spec = LeafSpec::server(&cn, &uri, "plc1").with_key(key.pkey().clone());
    if let Some(org) = entry(openssl::nid::Nid::ORGANIZATIONNAME) {
        spec = spec.organization(&org);
    }
    ca.leaf(spec).cert
}

pub fn thumbprint(x: &X509) -> String {
    test_support::thumbprint(&x.to_der().unwrap())
}

/// The desired document the CA writes: the signed certificate, the CA as trusted and issuer,
/// and its CRL.
pub fn provisioned(ca: &Ca, signed: &X509, crl: &[u8]) -> Value {
    json!({
        "applicationCert": b64(signed),
        "trusted": { "vaultCa": b64(ca.cert()) },
        "issuers": { "vaultCa": b64(ca.cert()) },
        "crls": { "vaultCa": BASE64.encode(crl) },
    })
}
