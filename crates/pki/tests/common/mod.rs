//! Fixtures of the store-operation tests (`operations_*.rs`): a PLC store, the CSR flow, plan
//! errors.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use std::path::Path;

use pki::{
    Certificate, Operation, PlanErrorKind, PlanOptions, SelfSignedSpec, Store, StoreLayout,
    TransactError,
};
use test_support::{Ca, LeafSpec, TestStore, now};

pub const URI: &str = "urn:OpcPlc:plc1";

pub fn open(path: &Path) -> Store {
    Store::open(StoreLayout::under(path)).unwrap()
}

pub fn cert(x: &openssl::x509::X509Ref) -> Certificate {
    Certificate::from_der(&x.to_der().unwrap()).unwrap()
}

pub fn opts() -> PlanOptions {
    PlanOptions::new(now())
}

pub fn spec() -> SelfSignedSpec {
    SelfSignedSpec::new("CN=OpcPlc", URI, vec!["plc1".into()])
}

pub fn texts(lines: &[pki::LogLine]) -> Vec<String> {
    lines.iter().map(|l| l.text.clone()).collect()
}

/// A store holding a self-signed OPC PLC certificate created by the store itself.
pub fn plc_store() -> (TestStore, Store) {
    let dir = TestStore::new();
    let store = open(dir.path());
    store
        .transact(vec![Operation::CreateSelfSigned(spec())], &opts())
        .unwrap();
    (dir, store)
}

/// The CA signs a certificate for the store's current key (the CSR flow).
pub fn sign_for_store(store: &Store, ca: &Ca, cn: &str) -> Certificate {
    let contents = store.contents().unwrap();
    let own = contents.application_certificate().unwrap();
    let key = store.load_key(own).unwrap();
    let issued = ca.leaf(LeafSpec::server(cn, URI, "plc1").with_key(key.pkey().clone()));
    cert(&issued.cert)
}

pub fn expect_plan_error(result: Result<pki::Outcome, TransactError>) -> (usize, PlanErrorKind) {
    match result {
        Err(TransactError::Plan(err)) => (err.index, err.kind),
        other => panic!("expected a plan error, got {other:?}"),
    }
}
