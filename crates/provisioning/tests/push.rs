//! Push management (OPC 10000-12 §7.7–7.8) against a real store: staged changes planned into
//! one `pki` transaction, refusals that leave the store as it was, and the module twin's
//! ownership of the entries it installed.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::too_many_lines)]

mod common;

use common::{Engine as _, URI, b64, module_store, run};
use pki::{Certificate, Operation, PrivateKey, StatusCode, Store};
use provisioning::push::{
    self, Masks, Pending, PushError, PushPlan, PushStatus, Staged, Transaction, TrustList,
    twin_owned,
};
use serde_json::json;
use test_support::{Ca, LeafSpec, now, self_signed, snapshot};

fn record(store: &Store) -> Option<Vec<u8>> {
    store.contents_and_record().unwrap().1
}

fn plan(store: &Store, staged: &Staged) -> Result<PushPlan, PushError> {
    plan_with_key(store, staged, None)
}

fn plan_with_key(
    store: &Store,
    staged: &Staged,
    pending: Option<&PrivateKey>,
) -> Result<PushPlan, PushError> {
    let (contents, record) = store.contents_and_record().unwrap();
    push::plan(&contents, record.as_deref(), staged, pending, now())
}

fn apply(store: &Store, staged: &Staged) -> pki::Outcome {
    let plan = plan(store, staged).unwrap();
    store.transact(plan.operations, &plan.options).unwrap()
}

fn thumbprints(certs: &[pki::store::StoredCertificate]) -> Vec<String> {
    certs
        .iter()
        .map(|s| s.cert.thumbprint().to_string())
        .collect()
}

fn tx() -> Transaction<u32> {
    Transaction::new(1)
}

fn peer(cn: &str) -> test_support::Issued {
    self_signed(LeafSpec::client(cn, &format!("urn:{cn}")))
}

#[test]
fn a_trust_list_replaces_the_lists_it_specifies_and_nothing_else() {
    let (_dir, store) = module_store();
    let old = peer("Old");
    let ca = Ca::root("Operator CA");
    let mut first = tx();
    first.stage_add_certificate(old.der(), true).unwrap();
    first.stage_add_certificate(ca.der(), false).unwrap();
    apply(&store, first.staged());

    let new = peer("New");
    let mut second = tx();
    second.stage_trust_list(TrustList {
        specified: Masks::TRUSTED_CERTIFICATES | Masks::TRUSTED_CRLS,
        trusted_certificates: vec![new.der()],
        ..TrustList::default()
    });
    let planned = plan(&store, second.staged()).unwrap();
    assert!(planned.trust_changes && !planned.own_changes);
    assert!(matches!(
        planned.operations.as_slice(),
        [Operation::RemoveCertificate { .. }, Operation::AddTrusted(added)] if added.len() == 1
    ));
    store
        .transact(planned.operations, &planned.options)
        .unwrap();
    let contents = store.contents().unwrap();
    assert_eq!(thumbprints(&contents.trusted), [new.thumbprint()]);
    // The issuer list was not specified: it keeps the CA.
    assert_eq!(thumbprints(&contents.issuer), [ca.thumbprint()]);

    // The same trust list again is nothing to do.
    assert!(plan(&store, second.staged()).unwrap().operations.is_empty());
    // Read back, the store's trust list is what was written.
    let read = TrustList::from_store(&contents, Masks::ALL);
    assert_eq!(read.trusted_certificates, vec![new.der()]);
    assert_eq!(read.issuer_certificates, vec![ca.der()]);
    let only = TrustList::from_store(&contents, Masks::ISSUER_CERTIFICATES);
    assert!(only.trusted_certificates.is_empty());
    assert_eq!(TrustList::decode(&read.encode(), 1 << 20).unwrap(), read);
}

#[test]
fn a_ca_with_its_crl_installs_in_one_push_and_leaves_with_it() {
    let (_dir, store) = module_store();
    let ca = Ca::root("Operator CA");
    let crl = ca.crl(&[]);
    let mut t = tx();
    t.stage_trust_list(TrustList {
        specified: Masks::ALL,
        trusted_certificates: vec![ca.der()],
        trusted_crls: vec![crl.clone()],
        ..TrustList::default()
    });
    apply(&store, t.staged());
    let contents = store.contents().unwrap();
    assert_eq!(contents.trusted_crls.len(), 1);

    let mut remove = tx();
    remove
        .stage_remove_certificate(&ca.thumbprint(), true)
        .unwrap();
    let planned = plan(&store, remove.staged()).unwrap();
    assert!(
        planned
            .operations
            .iter()
            .any(|op| matches!(op, Operation::RemoveCrl(_))),
        "{:?}",
        planned.operations
    );
    store
        .transact(planned.operations, &planned.options)
        .unwrap();
    let contents = store.contents().unwrap();
    assert!(contents.trusted.is_empty() && contents.trusted_crls.is_empty());
}

#[test]
fn one_bad_item_refuses_the_whole_push_and_names_it() {
    let (dir, store) = module_store();
    let before = snapshot(dir.path());
    let good = peer("Good");
    let mut t = tx();
    t.stage_trust_list(TrustList {
        specified: Masks::ALL,
        trusted_certificates: vec![good.der(), b"not a certificate".to_vec()],
        ..TrustList::default()
    });
    let error = plan(&store, t.staged()).unwrap_err();
    assert_eq!(
        error.code,
        PushStatus::Certificate(StatusCode::BadCertificateInvalid)
    );
    assert!(error.message.contains("TrustedCertificates[1]"), "{error}");

    let mut t = tx();
    t.stage_trust_list(TrustList {
        specified: Masks::ALL,
        issuer_crls: vec![b"not a CRL".to_vec()],
        ..TrustList::default()
    });
    let error = plan(&store, t.staged()).unwrap_err();
    assert!(error.message.contains("IssuerCrls[0]"), "{error}");

    // An application certificate in the issuer list is not a CA.
    let mut t = tx();
    t.stage_trust_list(TrustList {
        specified: Masks::ISSUER_CERTIFICATES,
        issuer_certificates: vec![good.der()],
        ..TrustList::default()
    });
    assert_eq!(
        plan(&store, t.staged()).unwrap_err().code,
        PushStatus::Certificate(StatusCode::BadCertificateInvalid)
    );
    assert_eq!(snapshot(dir.path()), before);
}

#[test]
fn add_and_remove_certificate_check_their_arguments() {
    let (_dir, store) = module_store();
    let mut t = tx();
    let leaf = peer("Leaf");
    assert_eq!(
        t.stage_add_certificate(leaf.der(), false).unwrap_err().code,
        PushStatus::Certificate(StatusCode::BadCertificateInvalid),
        "only a CA goes to the issuer list"
    );
    assert_eq!(
        t.stage_add_certificate(b"junk".to_vec(), true)
            .unwrap_err()
            .code,
        PushStatus::Certificate(StatusCode::BadCertificateInvalid)
    );
    assert_eq!(
        t.stage_remove_certificate("XYZ", true).unwrap_err().code,
        PushStatus::BadInvalidArgument
    );
    assert!(t.staged().is_empty());

    t.stage_remove_certificate(&leaf.thumbprint(), true)
        .unwrap();
    let error = plan(&store, t.staged()).unwrap_err();
    assert_eq!(error.code, PushStatus::BadInvalidArgument);
    assert!(error.message.contains("trusted list"), "{error}");
    t.unstage_last();
    assert!(t.staged().is_empty());

    // Added then removed in the same transaction: nothing to do.
    t.stage_add_certificate(leaf.der(), true).unwrap();
    t.stage_remove_certificate(&leaf.thumbprint(), true)
        .unwrap();
    assert!(plan(&store, t.staged()).unwrap().operations.is_empty());
}

#[test]
fn entries_the_twin_installed_are_refused_to_push_removals() {
    let (dir, store) = module_store();
    let plc_ca = Ca::root("PLC CA");
    let operator = peer("Operator");
    let plc_crl = common::BASE64.encode(plc_ca.crl(&[]));
    let result = run(
        &store,
        Some(&json!({
            "trusted": { "plcCa": b64(plc_ca.cert()) },
            "issuers": { "plcCa": b64(plc_ca.cert()) },
            "crls": { "plcCa": plc_crl },
        })),
        1,
    );
    assert_eq!(result.outcome.status, provisioning::Status::Applied);
    let owned = twin_owned(record(&store).as_deref());
    assert_eq!(
        owned.trusted.values().collect::<Vec<_>>(),
        ["trusted.plcCa"]
    );
    assert_eq!(
        owned.issuers.values().collect::<Vec<_>>(),
        ["issuers.plcCa"]
    );
    assert_eq!(owned.crls.values().collect::<Vec<_>>(), ["crls.plcCa"]);
    assert_eq!(owned.application_certificate, None);
    let before = snapshot(dir.path());

    // RemoveCertificate of the twin's CA.
    let mut t = tx();
    t.stage_remove_certificate(&plc_ca.thumbprint(), true)
        .unwrap();
    let error = plan(&store, t.staged()).unwrap_err();
    assert_eq!(error.code, PushStatus::BadRequestNotAllowed);
    assert!(error.message.contains("trusted.plcCa"), "{error}");
    assert!(error.message.contains("module twin"), "{error}");

    // A trust list that leaves it out.
    let mut t = tx();
    t.stage_trust_list(TrustList {
        specified: Masks::TRUSTED_CERTIFICATES,
        trusted_certificates: vec![operator.der()],
        ..TrustList::default()
    });
    let error = plan(&store, t.staged()).unwrap_err();
    assert_eq!(error.code, PushStatus::BadRequestNotAllowed);
    assert!(error.message.contains("trusted.plcCa"), "{error}");

    // A trust list that leaves out the twin's CRL.
    let mut t = tx();
    t.stage_trust_list(TrustList {
        specified: Masks::TRUSTED_CRLS | Masks::ISSUER_CRLS,
        ..TrustList::default()
    });
    let error = plan(&store, t.staged()).unwrap_err();
    assert!(error.message.contains("crls.plcCa"), "{error}");
    assert_eq!(snapshot(dir.path()), before, "nothing is applied");

    // Keeping the twin's entries, the operator's certificate is added, and the twin's next
    // pass leaves it alone.
    let mut t = tx();
    let mut list = TrustList::from_store(&store.contents().unwrap(), Masks::ALL);
    list.trusted_certificates.push(operator.der());
    t.stage_trust_list(list);
    apply(&store, t.staged());
    let again = run(
        &store,
        Some(&json!({
            "trusted": { "plcCa": b64(plc_ca.cert()) },
            "issuers": { "plcCa": b64(plc_ca.cert()) },
            "crls": { "plcCa": plc_crl },
        })),
        2,
    );
    assert_eq!(again.outcome.status, provisioning::Status::Applied);
    let contents = store.contents().unwrap();
    assert!(thumbprints(&contents.trusted).contains(&operator.thumbprint()));
    // It is reported under its thumbprint.
    let reported = common::twin(&again.reported);
    assert!(
        reported["trusted"]
            .as_object()
            .unwrap()
            .contains_key(&operator.thumbprint()),
        "{reported}"
    );
}

#[test]
fn an_approval_of_the_twin_is_the_twins() {
    let (_dir, store) = module_store();
    let peer = peer("Peer");
    store
        .transact(
            vec![Operation::AddTrusted(vec![
                Certificate::from_der(&peer.der()).unwrap(),
            ])],
            &pki::PlanOptions::new(now()),
        )
        .unwrap();
    let result = run(
        &store,
        Some(&json!({ "approveRejected": { peer.thumbprint(): true } })),
        1,
    );
    assert_eq!(
        result.outcome.status,
        provisioning::Status::Applied,
        "{:?}",
        result.outcome.error
    );
    let mut t = tx();
    t.stage_remove_certificate(&peer.thumbprint(), true)
        .unwrap();
    let error = plan(&store, t.staged()).unwrap_err();
    assert_eq!(error.code, PushStatus::BadRequestNotAllowed);
    assert!(error.message.contains("approveRejected."), "{error}");
}

#[test]
fn one_session_at_a_time_has_changes_pending() {
    let mut pending: Pending<u32> = Pending::new();
    let ca = Ca::root("CA");
    pending
        .begin(&1)
        .unwrap()
        .stage_add_certificate(ca.der(), false)
        .unwrap();
    assert_eq!(
        pending.begin(&2).unwrap_err().code,
        PushStatus::BadTransactionPending
    );
    assert_eq!(
        pending.take(&2).unwrap_err().code,
        PushStatus::BadTransactionPending
    );
    assert!(pending.for_session(&2).is_none());
    assert_eq!(pending.for_session(&1).unwrap().staged().changes.len(), 1);
    // The same session stages more into the same transaction.
    pending
        .begin(&1)
        .unwrap()
        .stage_add_certificate(ca.der(), true)
        .unwrap();
    pending.discard(&2);
    assert!(pending.is_pending(), "another session cannot discard it");
    pending.discard(&1);
    assert!(pending.take(&1).unwrap().is_none());
    pending.begin(&2).unwrap();
    let taken = pending.take(&2).unwrap().unwrap();
    assert_eq!(*taken.session(), 2);
    assert!(!pending.is_pending());
}

/// A CA-signed certificate for the store's current key.
fn signed_for_current_key(store: &Store, ca: &Ca) -> Vec<u8> {
    let contents = store.contents().unwrap();
    let key = store
        .load_key(contents.application_certificate().unwrap())
        .unwrap();
    ca.leaf(LeafSpec::server("OpcPlc", URI, "plc1").with_key(key.pkey().clone()))
        .der()
}

#[test]
fn update_certificate_installs_the_certificate_with_its_issuers_on_the_current_key() {
    let (_dir, store) = module_store();
    let ca = Ca::root("Vault CA");
    let signed = signed_for_current_key(&store, &ca);
    let owned = twin_owned(record(&store).as_deref());
    let mut t = tx();
    t.stage_application_certificate(signed.clone(), vec![ca.der()], None, &owned)
        .unwrap();
    let planned = plan(&store, t.staged()).unwrap();
    assert!(planned.own_changes);
    assert_eq!(planned.options.application_uri.as_deref(), Some(URI));
    assert_eq!(planned.options.activation, pki::Activation::ByApplication);
    assert!(matches!(
        planned.operations.as_slice(),
        [
            Operation::AddIssuers(_),
            Operation::UpdateApplicationCertificate { key: None, .. }
        ]
    ));
    let outcome = store
        .transact(planned.operations, &planned.options)
        .unwrap();
    assert_eq!(
        outcome.application_certificate.map(|t| t.to_string()),
        Some(test_support::thumbprint(&signed))
    );
    assert_eq!(
        thumbprints(&store.contents().unwrap().issuer),
        [ca.thumbprint()]
    );
}

#[test]
fn update_certificate_needs_a_matching_key() {
    let (_dir, store) = module_store();
    let ca = Ca::root("Vault CA");
    let other = ca.leaf(LeafSpec::server("OpcPlc", URI, "plc1"));
    let owned = twin_owned(None);

    // No key: the current key does not match.
    let mut t = tx();
    t.stage_application_certificate(other.der(), vec![ca.der()], None, &owned)
        .unwrap();
    let error = plan(&store, t.staged()).unwrap_err();
    assert_eq!(
        error.code,
        PushStatus::Certificate(StatusCode::BadSecurityChecksFailed)
    );

    // The key of CreateSigningRequest(regeneratePrivateKey) matches.
    let pending = PrivateKey::from_pkey(other.key.clone());
    let planned = plan_with_key(&store, t.staged(), Some(&pending)).unwrap();
    assert!(matches!(
        planned.operations.last(),
        Some(Operation::UpdateApplicationCertificate { key: Some(_), .. })
    ));
    store
        .transact(planned.operations, &planned.options)
        .unwrap();

    // A key sent with it must be its own.
    let third = ca.leaf(LeafSpec::server("OpcPlc", URI, "plc1"));
    let wrong = PrivateKey::from_pkey(test_support::rsa_key(2048));
    let mut t = tx();
    t.stage_application_certificate(third.der(), vec![], Some(wrong), &owned)
        .unwrap();
    assert_eq!(
        plan(&store, t.staged()).unwrap_err().code,
        PushStatus::Certificate(StatusCode::BadSecurityChecksFailed)
    );
    let mut t = tx();
    t.stage_application_certificate(
        third.der(),
        vec![],
        Some(PrivateKey::from_pkey(third.key.clone())),
        &owned,
    )
    .unwrap();
    plan(&store, t.staged()).unwrap();

    // Another application's URI.
    let foreign = ca.leaf(LeafSpec::server("Other", "urn:other", "plc1"));
    let mut t = tx();
    t.stage_application_certificate(
        foreign.der(),
        vec![],
        Some(PrivateKey::from_pkey(foreign.key.clone())),
        &owned,
    )
    .unwrap();
    assert_eq!(
        plan(&store, t.staged()).unwrap_err().code,
        PushStatus::Certificate(StatusCode::BadCertificateUriInvalid)
    );
}

#[test]
fn the_twin_owns_the_application_certificate_it_names() {
    let (dir, store) = module_store();
    let ca = Ca::root("Vault CA");
    let signed = signed_for_current_key(&store, &ca);
    let signed_x509 = openssl::x509::X509::from_der(&signed).unwrap();
    let result = run(
        &store,
        Some(&common::provisioned(&ca, &signed_x509, &ca.crl(&[]))),
        1,
    );
    assert_eq!(result.outcome.status, provisioning::Status::Applied);
    let record_bytes = record(&store).unwrap();
    let text = String::from_utf8_lossy(&record_bytes);
    assert!(
        text.contains(&format!(
            r#""applicationCert": "{}""#,
            test_support::thumbprint(&signed)
        )),
        "{text}"
    );
    let owned = twin_owned(Some(&record_bytes));
    assert_eq!(
        owned.application_certificate.map(|t| t.to_string()),
        Some(test_support::thumbprint(&signed))
    );
    let before = snapshot(dir.path());

    let next = signed_for_current_key(&store, &ca);
    let mut t = tx();
    let error = t
        .stage_application_certificate(next.clone(), vec![], None, &owned)
        .unwrap_err();
    assert_eq!(error.code, PushStatus::BadRequestNotAllowed);
    assert!(error.message.contains("pki.applicationCert"), "{error}");
    assert!(t.staged().is_empty());

    // Staged before the twin took it over: refused when planned.
    t.stage_application_certificate(next, vec![], None, &twin_owned(None))
        .unwrap();
    assert_eq!(
        plan(&store, t.staged()).unwrap_err().code,
        PushStatus::BadRequestNotAllowed
    );
    assert_eq!(snapshot(dir.path()), before);

    // A document without applicationCert gives it back.
    let result = run(
        &store,
        Some(&json!({ "trusted": { "vaultCa": b64(ca.cert()) } })),
        2,
    );
    assert_eq!(result.outcome.status, provisioning::Status::Applied);
    assert_eq!(
        twin_owned(record(&store).as_deref()).application_certificate,
        None
    );
}

#[test]
fn a_signing_request_uses_the_current_key_or_a_new_one_of_its_size() {
    let (_dir, store) = module_store();
    let contents = store.contents().unwrap();
    let own = contents.application_certificate().unwrap();
    let key = store.load_key(own).unwrap();

    let (der, new_key) =
        push::create_signing_request(&own.cert, &key, &push::SigningRequest::default()).unwrap();
    assert!(new_key.is_none());
    let req = openssl::x509::X509Req::from_der(&der).unwrap();
    assert!(req.public_key().unwrap().public_eq(key.pkey()));
    let text = String::from_utf8(req.to_text().unwrap()).unwrap();
    assert!(text.contains("OpcPlc") && text.contains(URI), "{text}");

    let short = push::SigningRequest {
        regenerate_private_key: true,
        nonce: &[7; 31],
        ..push::SigningRequest::default()
    };
    assert_eq!(
        push::create_signing_request(&own.cert, &key, &short)
            .unwrap_err()
            .code,
        PushStatus::BadInvalidArgument
    );

    let fresh = push::SigningRequest {
        regenerate_private_key: true,
        nonce: &[7; 32],
        subject: Some("CN=Plc2, O=Contoso"),
        ..push::SigningRequest::default()
    };
    let (der, new_key) = push::create_signing_request(&own.cert, &key, &fresh).unwrap();
    let new_key = new_key.unwrap();
    assert_eq!(new_key.bits(), key.bits());
    let req = openssl::x509::X509Req::from_der(&der).unwrap();
    assert!(req.public_key().unwrap().public_eq(new_key.pkey()));
    assert!(req.verify(new_key.pkey()).unwrap());
    let text = String::from_utf8(req.to_text().unwrap()).unwrap();
    assert!(text.contains("Plc2") && text.contains(URI), "{text}");

    let bad = push::SigningRequest {
        subject: Some("CN="),
        ..push::SigningRequest::default()
    };
    assert_eq!(
        push::create_signing_request(&own.cert, &key, &bad)
            .unwrap_err()
            .code,
        PushStatus::BadInvalidArgument
    );
}

#[test]
fn the_rejected_list_is_the_rejected_store_newest_first() {
    let older = peer("Older");
    let newer = peer("Newer");
    let dir = test_support::TestStore::new()
        .with_rejected(&older.cert)
        .with_rejected(&newer.cert);
    let store = Store::open(pki::StoreLayout::under(dir.path())).unwrap();
    let contents = store.contents().unwrap();
    let old_file = contents
        .rejected
        .iter()
        .find(|s| s.cert.thumbprint().to_string() == older.thumbprint())
        .unwrap()
        .file
        .clone();
    let an_hour_ago = std::time::SystemTime::now() - std::time::Duration::from_hours(1);
    std::fs::File::options()
        .write(true)
        .open(&old_file)
        .unwrap()
        .set_modified(an_hour_ago)
        .unwrap();
    assert_eq!(
        push::rejected_list(&contents),
        vec![newer.der(), older.der()]
    );
    assert!(push::rejected_list(&pki::StoreContents::default()).is_empty());
}

#[test]
fn apply_changes_commits_the_plan_under_the_store_lock_or_nothing() {
    let (dir, store) = module_store();
    let plc_ca = Ca::root("PLC CA");
    run(
        &store,
        Some(&json!({ "trusted": { "plcCa": b64(plc_ca.cert()) } })),
        1,
    );
    let before = snapshot(dir.path());
    let mut t = tx();
    t.stage_trust_list(TrustList {
        specified: Masks::TRUSTED_CERTIFICATES,
        ..TrustList::default()
    });
    let error = push::apply(
        &store,
        t.staged(),
        None,
        &pki::ValidationOptions::default(),
        now(),
    )
    .unwrap_err();
    assert_eq!(error.code, PushStatus::BadRequestNotAllowed);
    assert_eq!(snapshot(dir.path()), before);

    // A CRL whose issuer is in neither list is refused by the store.
    let stranger = Ca::root("Stranger");
    let mut t = tx();
    t.stage_trust_list(TrustList {
        specified: Masks::TRUSTED_CRLS,
        trusted_crls: vec![stranger.crl(&[])],
        ..TrustList::default()
    });
    let error = push::apply(
        &store,
        t.staged(),
        None,
        &pki::ValidationOptions::default(),
        now(),
    )
    .unwrap_err();
    assert!(matches!(error.code, PushStatus::Certificate(_)), "{error}");
    assert_eq!(snapshot(dir.path()), before);

    let operator = peer("Operator");
    let mut t = tx();
    t.stage_add_certificate(operator.der(), true).unwrap();
    let applied = push::apply(
        &store,
        t.staged(),
        None,
        &pki::ValidationOptions::default(),
        now(),
    )
    .unwrap();
    assert!(applied.trust_changed && !applied.application_certificate_changed);
    assert_eq!(store.contents().unwrap().trusted.len(), 2);
}

#[test]
fn check_refuses_what_the_store_would_refuse_at_apply_and_writes_nothing() {
    let (dir, store) = module_store();
    let ca = Ca::root("Vault CA");
    let signed = signed_for_current_key(&store, &ca);
    let owned = twin_owned(record(&store).as_deref());
    let validation = pki::ValidationOptions::default();
    let before = snapshot(dir.path());

    // Its CA is in neither list and was not sent with it: the plan takes it, the store would not.
    let mut t = tx();
    t.stage_application_certificate(signed.clone(), vec![], None, &owned)
        .unwrap();
    plan(&store, t.staged()).unwrap();
    let error = push::check(&store, t.staged(), None, &validation, now()).unwrap_err();
    assert_eq!(
        error.code,
        PushStatus::Certificate(StatusCode::BadCertificateChainIncomplete),
        "{error}"
    );
    assert_eq!(
        push::apply(&store, t.staged(), None, &validation, now())
            .unwrap_err()
            .code,
        error.code,
        "apply refuses it the same way"
    );
    assert_eq!(snapshot(dir.path()), before);

    // The CA trusted earlier in the same transaction: accepted, and still nothing written.
    let mut t = tx();
    t.stage_add_certificate(ca.der(), true).unwrap();
    t.stage_application_certificate(signed.clone(), vec![], None, &owned)
        .unwrap();
    push::check(&store, t.staged(), None, &validation, now()).unwrap();
    assert_eq!(snapshot(dir.path()), before);
    let applied = push::apply(&store, t.staged(), None, &validation, now()).unwrap();
    assert!(applied.application_certificate_changed);
    assert_eq!(
        store
            .contents()
            .unwrap()
            .application_certificate()
            .unwrap()
            .cert
            .der(),
        signed
    );
}
