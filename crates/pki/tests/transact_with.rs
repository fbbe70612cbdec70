//! `Store::transact_with` (and `check_with`, its plan without the commit): a batch planned from
//! the store's contents and record under the same writer lock as its commit.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::time::Duration;

use common::{cert, open, opts};
use pki::{Operation, TransactWithError};
use test_support::{Ca, LeafSpec, TestStore, self_signed, snapshot};

/// An empty store whose record is `first`, and a peer certificate to add.
fn with_record_first() -> (TestStore, pki::Store, pki::Certificate) {
    let dir = TestStore::new();
    let store = open(dir.path());
    store
        .transact(vec![Operation::WriteRecord(b"first".to_vec())], &opts())
        .unwrap();
    let peer = cert(&self_signed(LeafSpec::client("Peer", "urn:peer")).cert);
    (dir, store, peer)
}

#[test]
fn the_planner_sees_contents_and_record_and_its_batch_is_committed() {
    let (_dir, store, peer) = with_record_first();

    let outcome = store
        .transact_with(|contents, record| -> Result<_, String> {
            assert!(contents.trusted.is_empty());
            assert_eq!(record, Some(&b"first"[..]));
            Ok((
                vec![
                    Operation::AddTrusted(vec![peer.clone()]),
                    Operation::WriteRecord(b"second".to_vec()),
                ],
                opts(),
            ))
        })
        .unwrap();
    assert!(outcome.changed);
    let (contents, record) = store.contents_and_record().unwrap();
    assert_eq!(contents.trusted.len(), 1);
    assert_eq!(record.as_deref(), Some(&b"second"[..]));
}

#[test]
fn a_refusal_of_the_planner_or_the_store_writes_nothing() {
    let dir = TestStore::new();
    let store = open(dir.path());
    let before = snapshot(dir.path());
    let refused = store.transact_with(|_, record| -> Result<(Vec<Operation>, _), String> {
        assert_eq!(record, None);
        Err("not allowed".to_owned())
    });
    assert!(matches!(refused, Err(TransactWithError::Refused(ref e)) if e == "not allowed"));
    assert_eq!(refused.unwrap_err().to_string(), "not allowed");

    // A CRL whose issuer the store does not hold (refused by default).
    let crl = pki::Crl::from_der(&Ca::root("Stranger").crl(&[])).unwrap();
    let invalid = store.transact_with(|_, _| -> Result<_, String> {
        Ok((vec![Operation::UpdateCrl(crl.clone())], opts()))
    });
    assert!(matches!(
        invalid,
        Err(TransactWithError::Transact(pki::TransactError::Plan(_)))
    ));
    assert_eq!(snapshot(dir.path()), before);
}

#[test]
fn no_reader_sees_the_store_between_the_plan_and_the_commit() {
    let dir = TestStore::new();
    let store = open(dir.path());
    let peer = cert(&self_signed(LeafSpec::client("Peer", "urn:peer")).cert);
    let reader_store = store.clone();
    let mut reader = None;
    store
        .transact_with(|contents, _| -> Result<_, String> {
            assert!(contents.trusted.is_empty());
            let store = reader_store.clone();
            reader = Some(std::thread::spawn(move || {
                store.contents().unwrap().trusted.len()
            }));
            // Without the lock the reader would read the empty store now.
            std::thread::sleep(Duration::from_millis(300));
            Ok((vec![Operation::AddTrusted(vec![peer.clone()])], opts()))
        })
        .unwrap();
    assert_eq!(reader.unwrap().join().unwrap(), 1);
}

#[test]
fn check_with_plans_the_same_batch_and_writes_nothing_either_way() {
    let (dir, store, peer) = with_record_first();
    let before = snapshot(dir.path());

    // A batch the store accepts: planned, not committed.
    store
        .check_with(|contents, record| -> Result<_, String> {
            assert!(contents.trusted.is_empty());
            assert_eq!(record, Some(&b"first"[..]));
            Ok((vec![Operation::AddTrusted(vec![peer.clone()])], opts()))
        })
        .unwrap();
    assert_eq!(snapshot(dir.path()), before);

    // One it refuses, as transact_with would.
    let crl = pki::Crl::from_der(&Ca::root("Stranger").crl(&[])).unwrap();
    let invalid = store.check_with(|_, _| -> Result<_, String> {
        Ok((vec![Operation::UpdateCrl(crl.clone())], opts()))
    });
    assert!(matches!(
        invalid,
        Err(TransactWithError::Transact(pki::TransactError::Plan(_)))
    ));
    let refused = store.check_with(|_, _| -> Result<(Vec<Operation>, _), String> {
        Err("not allowed".to_owned())
    });
    assert!(matches!(refused, Err(TransactWithError::Refused(ref e)) if e == "not allowed"));
    assert_eq!(snapshot(dir.path()), before);
}
