//! A real open62541 server with our validator, on a loopback port the OS picks, against our own
//! client: untrusted, CA-signed, revoked while running, server checks on the client side, and the
//! own certificate replaced on the running server.

#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use std::path::Path;
use std::time::{Duration, Instant};

use pki::{Crl, Operation, PlanOptions, StatusCode, Store, StoreLayout};
use test_support::{Ca, Issued, LeafSpec, TestStore, self_signed};
use ua::{Client, ClientError, ClientOptions, Identity, Server, ServerOptions};

const SERVER_URI: &str = "urn:test:server";
const CLIENT_URI: &str = "urn:test:client";

fn server_identity() -> Identity {
    Identity::new(
        "TestServer",
        SERVER_URI,
        "https://example.invalid/test",
        "127.0.0.1",
    )
}

fn server_cert() -> Issued {
    self_signed(LeafSpec::server("TestServer", SERVER_URI, "localhost").ip("127.0.0.1"))
}

fn open(store: &TestStore) -> Store {
    Store::open(StoreLayout::under(store.path())).unwrap()
}

fn start(store: &TestStore) -> Server {
    let mut options = ServerOptions::new(server_identity(), 0);
    options.listen_host = Some("127.0.0.1".to_owned());
    Server::start(&options, open(store)).unwrap()
}

/// A client store with `own` and trusting `server`.
fn client_store(own: &Issued, server: &Issued) -> TestStore {
    TestStore::new().with_own(own).with_trusted(&server.cert)
}

fn connect(url: &str, store: &TestStore) -> Result<Client, ClientError> {
    Client::connect(url, &ClientOptions::new("TestClient"), open(store))
}

fn file_names(dir: &Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect()
}

#[test]
fn a_self_signed_client_is_refused_as_untrusted_and_lands_in_rejected() {
    let own = server_cert();
    let server_store = TestStore::new().with_own(&own);
    let server = start(&server_store);
    let intruder = self_signed(LeafSpec::client("Intruder", CLIENT_URI));

    let err = connect(server.endpoint_url(), &client_store(&intruder, &own)).unwrap_err();

    // OPC 10000-4 §5.5.2: the server hides the reason from the peer.
    let status = err.status().expect("a status code");
    assert_eq!(status.name, "BadSecurityChecksFailed", "{err}");
    let rejections = server.verifier().rejections();
    assert_eq!(
        rejections.last().unwrap().status,
        StatusCode::BadCertificateUntrusted
    );
    assert_eq!(
        rejections.last().unwrap().thumbprint.to_string(),
        intruder.thumbprint()
    );
    let rejected = file_names(&server_store.path().join("rejected/certs"));
    assert!(
        rejected.iter().any(|f| f.contains(&intruder.thumbprint())),
        "{rejected:?}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_ca_signed_client_gets_a_session_and_reads_the_current_time() {
    let own = server_cert();
    let ca = Ca::root("Test CA");
    let client = ca.leaf(LeafSpec::client("TestClient", CLIENT_URI));
    let server_store = TestStore::new()
        .with_own(&own)
        .with_trusted(ca.cert())
        .with_trusted_crl(&ca.crl(&[]));
    let server = start(&server_store);
    let url = server.endpoint_url().to_owned();
    let store = client_store(&client, &own);

    let session = tokio::task::spawn_blocking(move || connect(&url, &store))
        .await
        .unwrap()
        .unwrap();
    let now = time::OffsetDateTime::now_utc();
    let current = session.read_current_time().await.unwrap();
    assert!(
        (current - now).abs() < time::Duration::seconds(30),
        "{current} vs {now}"
    );
    session.disconnect().await;
    assert!(server.verifier().rejections().is_empty());
}

#[tokio::test(flavor = "multi_thread")]
async fn a_crl_written_while_the_server_runs_refuses_the_next_connection_as_revoked() {
    let own = server_cert();
    let ca = Ca::root("Test CA");
    let client = ca.leaf(LeafSpec::client("TestClient", CLIENT_URI));
    let server_store = TestStore::new()
        .with_own(&own)
        .with_trusted(ca.cert())
        .with_issuer(ca.cert())
        .with_trusted_crl(&ca.crl(&[]));
    let server = start(&server_store);
    let store = client_store(&client, &own);
    let first = connect(server.endpoint_url(), &store).unwrap();
    first.disconnect().await;

    let revoking = ca.crl(&[&client.cert]);
    open(&server_store)
        .transact(
            vec![Operation::UpdateCrl(Crl::from_der(&revoking).unwrap())],
            &PlanOptions::new(test_support::now()),
        )
        .unwrap();

    let err = connect(server.endpoint_url(), &store).unwrap_err();
    assert_eq!(
        err.status().unwrap().name,
        "BadSecurityChecksFailed",
        "{err}"
    );
    assert_eq!(
        server.verifier().rejections().last().unwrap().status,
        StatusCode::BadCertificateRevoked
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_crl_revoking_an_open_session_closes_it_within_two_seconds() {
    let own = server_cert();
    let ca = Ca::root("Test CA");
    let client = ca.leaf(LeafSpec::client("TestClient", CLIENT_URI));
    let server_store = TestStore::new()
        .with_own(&own)
        .with_trusted(ca.cert())
        .with_trusted_crl(&ca.crl(&[]));
    let server = start(&server_store);
    let url = server.endpoint_url().to_owned();
    let store = client_store(&client, &own);
    let session = {
        let (url, store) = (url.clone(), client_store(&client, &own));
        tokio::task::spawn_blocking(move || connect(&url, &store))
            .await
            .unwrap()
            .unwrap()
    };
    session.read_current_time().await.unwrap();
    assert_eq!(server.session_count(), 1);

    let revoking = ca.crl(&[&client.cert]);
    open(&server_store)
        .transact(
            vec![Operation::UpdateCrl(Crl::from_der(&revoking).unwrap())],
            &PlanOptions::new(test_support::now()),
        )
        .unwrap();
    let written = Instant::now();

    let closed_after = loop {
        if server.session_count() == 0 {
            break written.elapsed();
        }
        assert!(
            written.elapsed() < Duration::from_secs(2),
            "the revoked session is still open"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    };
    eprintln!("revoked session closed {closed_after:?} after the CRL was written");
    let read = tokio::time::timeout(Duration::from_secs(10), session.read_current_time())
        .await
        .expect("the read returns");
    assert!(read.is_err(), "the revoked client still reads: {read:?}");
    let err = tokio::task::spawn_blocking(move || connect(&url, &store))
        .await
        .unwrap()
        .unwrap_err();
    assert_eq!(
        err.status().unwrap().name,
        "BadSecurityChecksFailed",
        "{err}"
    );
    assert_eq!(
        server.verifier().rejections().last().unwrap().status,
        StatusCode::BadCertificateRevoked
    );
}

#[test]
fn the_client_refuses_a_server_its_store_does_not_trust() {
    let own = server_cert();
    let server_store = TestStore::new().with_own(&own);
    let server = start(&server_store);
    let me = self_signed(LeafSpec::client("TestClient", CLIENT_URI));
    let store = TestStore::new().with_own(&me);

    let err = connect(server.endpoint_url(), &store).unwrap_err();
    let ClientError::ServerCertificate(refusal) = &err else {
        panic!("expected our refusal, got {err}");
    };
    assert_eq!(refusal.status, StatusCode::BadCertificateUntrusted);
    assert!(
        file_names(&store.path().join("rejected/certs"))
            .iter()
            .any(|f| f.contains(&own.thumbprint()))
    );
}

#[test]
fn the_client_refuses_a_server_whose_certificate_lacks_the_host_name() {
    let elsewhere = self_signed(LeafSpec::server(
        "TestServer",
        SERVER_URI,
        "plc.example.invalid",
    ));
    let server_store = TestStore::new().with_own(&elsewhere);
    let server = start(&server_store);
    let me = self_signed(LeafSpec::client("TestClient", CLIENT_URI));

    let err = connect(server.endpoint_url(), &client_store(&me, &elsewhere)).unwrap_err();
    let ClientError::ServerCertificate(refusal) = &err else {
        panic!("expected our refusal, got {err}");
    };
    assert_eq!(refusal.status, StatusCode::BadCertificateHostNameInvalid);
}

#[test]
fn the_client_refuses_a_server_with_another_application_uri() {
    let own = server_cert();
    let server_store = TestStore::new().with_own(&own);
    let server = start(&server_store);
    let me = self_signed(LeafSpec::client("TestClient", CLIENT_URI));
    let mut options = ClientOptions::new("TestClient");
    options.expected_server_uri = Some("urn:someone:else".to_owned());

    let err = Client::connect(
        server.endpoint_url(),
        &options,
        open(&client_store(&me, &own)),
    )
    .unwrap_err();
    let ClientError::ServerCertificate(refusal) = &err else {
        panic!("expected our refusal, got {err}");
    };
    assert_eq!(refusal.status, StatusCode::BadCertificateUriInvalid);
}

#[test]
fn auto_accept_trusts_an_unknown_client_and_copies_it_to_trusted() {
    let own = server_cert();
    let server_store = TestStore::new().with_own(&own);
    let mut options = ServerOptions::new(server_identity(), 0);
    options.listen_host = Some("127.0.0.1".to_owned());
    options.auto_accept = true;
    let server = Server::start(&options, open(&server_store)).unwrap();
    let newcomer = self_signed(LeafSpec::client("Newcomer", CLIENT_URI));

    let session = connect(server.endpoint_url(), &client_store(&newcomer, &own)).unwrap();
    drop(session);
    let trusted = file_names(&server_store.path().join("trusted/certs"));
    assert!(
        trusted.iter().any(|f| f.contains(&newcomer.thumbprint())),
        "{trusted:?}"
    );
}

#[test]
fn a_new_own_certificate_is_seen_by_the_next_connection_without_a_restart() {
    let old = server_cert();
    let new = server_cert();
    let me = self_signed(LeafSpec::client("TestClient", CLIENT_URI));
    let server_store = TestStore::new().with_own(&old).with_trusted(&me.cert);
    let server = start(&server_store);
    // The client trusts only the new certificate.
    let store = client_store(&me, &new);

    let before = connect(server.endpoint_url(), &store).unwrap_err();
    assert!(
        matches!(before, ClientError::ServerCertificate(ref e) if e.status == StatusCode::BadCertificateUntrusted),
        "{before}"
    );

    // A connection that has not sent OpenSecureChannel yet: open62541's own
    // UA_Server_updateCertificate dereferences its NULL security policy and crashes the server.
    let half_open = std::net::TcpStream::connect(("127.0.0.1", server.port())).unwrap();
    std::thread::sleep(Duration::from_millis(100));
    let started = Instant::now();
    server
        .update_certificate(
            &pki::Certificate::from_der(&new.der()).unwrap(),
            &pki::PrivateKey::from_pkey(new.key.clone()),
        )
        .unwrap();
    let updated = started.elapsed();
    let session = loop {
        match connect(server.endpoint_url(), &store) {
            Ok(session) => break session,
            Err(e) if started.elapsed() < Duration::from_secs(5) => {
                eprintln!("not yet: {e}");
                std::thread::sleep(Duration::from_millis(20));
            }
            Err(e) => panic!("the new certificate was not used: {e}"),
        }
    };
    eprintln!(
        "own certificate update: call {updated:?}, first new session after {:?}",
        started.elapsed()
    );
    drop(session);
    drop(half_open);
}

#[tokio::test(flavor = "multi_thread")]
async fn sessions_of_the_previous_own_certificate_are_closed_by_the_update() {
    let old = server_cert();
    let new = server_cert();
    let me = self_signed(LeafSpec::client("TestClient", CLIENT_URI));
    let server_store = TestStore::new().with_own(&old).with_trusted(&me.cert);
    let server = start(&server_store);
    let url = server.endpoint_url().to_owned();
    let store = client_store(&me, &old).with_trusted(&new.cert);
    let session = tokio::task::spawn_blocking(move || connect(&url, &store))
        .await
        .unwrap()
        .unwrap();
    session.read_current_time().await.unwrap();
    assert_eq!(server.session_count(), 1);

    server
        .update_certificate(
            &pki::Certificate::from_der(&new.der()).unwrap(),
            &pki::PrivateKey::from_pkey(new.key.clone()),
        )
        .unwrap();

    // The update returns after the server thread closed the session.
    assert_eq!(server.session_count(), 0);
    let read = tokio::time::timeout(Duration::from_secs(10), session.read_current_time())
        .await
        .expect("the read returns");
    assert!(read.is_err(), "the old session still reads: {read:?}");
}

/// (policy, mode, application URI) of every endpoint `server` offers, through our discovery
/// (`me`, trusted by the server, over a secure channel to the server certificate `own`: a
/// None/None client finds no endpoint to connect to on a server without a None endpoint).
fn offered(server: &Server, me: &Issued, own: &Issued) -> Vec<(String, String, String)> {
    let client_store = TestStore::new().with_own(me).with_trusted(&own.cert);
    let store = open(&client_store);
    let url = server.endpoint_url();
    let options = ClientOptions::new("TestClient");
    let mut expect = Client::expectations(url, &options).unwrap();
    expect.security_policy = None;
    let validator = std::sync::Arc::new(pki::Validator::new(
        store.clone(),
        pki::ValidationOptions::default(),
    ));
    let verifier = std::sync::Arc::new(ua::Verifier::new(validator, expect));
    ua::discover_endpoints(url, &options, &store, &verifier)
        .unwrap()
        .into_iter()
        .map(|e| {
            (
                ua::policy_uri(e.security_policy).to_owned(),
                e.security_mode.name().to_owned(),
                e.server_application_uri,
            )
        })
        .collect()
}

#[test]
fn only_the_three_secure_policies_are_offered_and_none_only_on_request() {
    let own = server_cert();
    let me = self_signed(LeafSpec::client("TestClient", CLIENT_URI));
    let server_store = TestStore::new().with_own(&own).with_trusted(&me.cert);
    let secure = offered(&start(&server_store), &me, &own);
    assert_eq!(secure.len(), 6, "{secure:#?}");
    for policy in ua::SECURE_POLICIES {
        let uri = ua::policy_uri(policy);
        assert_eq!(
            secure.iter().filter(|(p, _, _)| p == uri).count(),
            2,
            "{uri}"
        );
    }
    assert!(
        secure.iter().all(|(_, _, app)| app == SERVER_URI),
        "{secure:#?}"
    );

    let mut options = ServerOptions::new(server_identity(), 0);
    options.listen_host = Some("127.0.0.1".to_owned());
    options.unsecure_transport = true;
    let all = offered(
        &Server::start(&options, open(&server_store)).unwrap(),
        &me,
        &own,
    );
    assert_eq!(all.len(), 7, "{all:#?}");
    assert!(
        all.iter()
            .any(|(p, _, _)| p == ua::policy_uri(pki::SecurityPolicy::None))
    );
}
