//! The `opc-client` binary against Python asyncua as the server (another OPC UA stack): trust in
//! both directions, revocation of the server's certificate, a server sending its certificate
//! chain, `nsu=` read actions resolved through asyncua's namespace array, per-action intervals.

#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

mod common;

use std::path::Path;

use common::{ClientProcess, PythonServer, failure_reason, free_port, write, write_identity};
use serde_json::json;
use test_support::{Ca, Issued, LeafSpec, TestStore};

const SERVER_URI: &str = "urn:asyncua:interop";
const NAMESPACE: &str = "urn:test:interop";
/// Bytes of the server's `s=Long` string.
const LONG_TEXT_LENGTH: usize = 5000;

/// Starts asyncua with `leaf` (and `chain` sent after it), trusting clients issued by `trusted`.
fn server(dir: &Path, leaf: &Issued, chain: &[&Ca], trusted: &[&Ca]) -> PythonServer {
    server_on(dir, leaf, chain, trusted, free_port())
}

/// [`server`] on a given port (to restart it where a client expects it).
fn server_on(dir: &Path, leaf: &Issued, chain: &[&Ca], trusted: &[&Ca], port: u16) -> PythonServer {
    let (cert, key) = write_identity(dir, "server", leaf);
    let chain: Vec<String> = chain
        .iter()
        .enumerate()
        .map(|(i, ca)| {
            write(dir, &format!("chain{i}.pem"), &ca.cert().to_pem().unwrap())
                .display()
                .to_string()
        })
        .collect();
    let trusted_dir = dir.join("client-trust");
    let crl_dir = dir.join("client-crl");
    std::fs::create_dir_all(&trusted_dir).unwrap();
    std::fs::create_dir_all(&crl_dir).unwrap();
    for (i, ca) in trusted.iter().enumerate() {
        write(
            &trusted_dir,
            &format!("ca{i}.pem"),
            &ca.cert().to_pem().unwrap(),
        );
        write(&crl_dir, &format!("ca{i}.der"), &ca.crl(&[]));
    }
    PythonServer::start(
        dir,
        &json!({
            "host": "127.0.0.1",
            "port": port,
            "application_uri": SERVER_URI,
            "certificate": cert,
            "private_key": key,
            "chain": chain,
            // open62541 1.5's client refuses a chain in the CreateSession response (it compares
            // it with the endpoint's leaf): the chain travels in GetEndpoints and OPN.
            "chain_at_create_session": false,
            "trusted_dir": trusted_dir,
            "crl_dir": crl_dir,
            "namespace": NAMESPACE,
            "long_text_length": LONG_TEXT_LENGTH,
        }),
    )
}

/// An asyncua server and a client store issued by one CA that both trust.
fn trusting_each_other(dir: &Path) -> (PythonServer, TestStore) {
    let ca = Ca::root("Interop CA");
    let srv = server(dir, &server_leaf(&ca), &[], &[&ca]);
    let store = client_store(&ca);
    (srv, store)
}

/// Our client's store: a certificate issued by `ca`, which it trusts (with an empty CRL).
fn client_store(ca: &Ca) -> TestStore {
    TestStore::new()
        .with_own(&common::client_leaf(ca))
        .with_trusted(ca.cert())
        .with_trusted_crl(&ca.crl(&[]))
}

fn server_leaf(ca: &Ca) -> Issued {
    common::server_leaf(ca, "AsyncuaServer", SERVER_URI)
}

/// A client store (the `--ap/--tp/--ip/--rp` paths point into it).
fn client_args<'a>(store: &'a TestStore, url: &'a str, extra: &[&'a str]) -> Vec<String> {
    let p = |sub: &str| store.path().join(sub).display().to_string();
    let mut args: Vec<String> = vec![
        "--de".into(),
        url.into(),
        "--ap".into(),
        p("own"),
        "--tp".into(),
        p("trusted"),
        "--ip".into(),
        p("issuer"),
        "--rp".into(),
        p("rejected"),
        "--sw".into(),
        "1".into(),
        "--ct".into(),
        "2".into(),
    ];
    args.extend(extra.iter().map(|s| (*s).to_owned()));
    args
}

fn start_client(dir: &Path, args: &[String]) -> ClientProcess {
    let refs: Vec<&str> = args.iter().map(String::as_str).collect();
    ClientProcess::start(dir, &refs)
}

fn reason(client: &ClientProcess, url: &str) -> String {
    client.wait_for("the failure pair", |l| failure_reason(l, url, 1).is_some());
    failure_reason(&client.lines(), url, 1).unwrap()
}

#[test]
fn a_trusted_asyncua_server_is_read_with_nsu_node_ids_and_intervals_are_honoured() {
    let dir = tempfile::tempdir().unwrap();
    let (srv, store) = trusting_each_other(dir.path());
    let url = format!("{}/", srv.url());
    let work = tempfile::tempdir().unwrap();
    write(
        work.path(),
        "actionconfig.json",
        json!([{
            "EndpointUrl": srv.url(),
            "Read": [{"Id": format!("nsu={NAMESPACE};s=Answer"), "Interval": 0}],
            "Test": [{"Id": "i=2258", "Interval": 1}]
        }])
        .to_string()
        .as_bytes(),
    );
    let mut client = start_client(
        work.path(),
        &client_args(&store, &srv.url(), &["--tc=false"]),
    );

    let read = format!(
        "ActionId: 000 ActionType: 'OpcReadAction', Endpoint: '{url}' Node 'nsu={NAMESPACE};s=Answer'"
    );
    let test =
        format!("ActionId: 001 ActionType: 'OpcTestAction', Endpoint: '{url}' Node 'i=2258'");
    let done = format!("Action ({test}) completed successfully");
    client.wait_for("three test executions", |l| {
        l.iter().filter(|x| **x == done).count() >= 3
    });
    let lines = client.lines();
    assert!(lines.contains(&format!("Value ({read}): 42")), "{lines:#?}");
    assert!(lines.contains(&format!("DisplayName ({read}): Answer")));
    assert!(lines.contains(&"Namespace index 0: http://opcfoundation.org/UA/".to_owned()));
    // asyncua leaves MinSupportedSampleRate empty: said plainly, not as a read failure.
    assert!(
        lines.contains(&format!(
            "The server on endpoint '{url}' does not report a minimal sampling interval."
        )),
        "{lines:#?}"
    );
    assert!(
        lines
            .iter()
            .any(|l| l.contains(NAMESPACE) && l.starts_with("Namespace index "))
    );
    // Interval 0 runs once, however often the session wakes up.
    let once = format!("Action ({read}) completed successfully");
    assert_eq!(lines.iter().filter(|x| **x == once).count(), 1);
    // The session id logged is the one asyncua assigned (docs/reference/opc-ua-apps.md §2.5 success
    // line).
    let logged: Vec<&str> = lines
        .iter()
        .filter_map(|l| l.strip_prefix("Session successfully created with Id "))
        .filter_map(|l| l.strip_suffix('.'))
        .collect();
    assert_eq!(logged.len(), 1, "{lines:#?}");
    assert_eq!(srv.session_ids(), vec![logged[0].to_owned()]);
    assert_eq!(client.stop(), Some(0));
}

#[test]
fn strings_longer_than_opcmaxstringlen_fail_the_action_with_encoding_limits_exceeded() {
    let dir = tempfile::tempdir().unwrap();
    let (srv, store) = trusting_each_other(dir.path());
    let url = format!("{}/", srv.url());
    let node = format!("nsu={NAMESPACE};s=Long");
    let desc =
        format!("ActionId: 000 ActionType: 'OpcTestAction', Endpoint: '{url}' Node '{node}'");
    let run = |limit: Option<usize>| {
        let work = tempfile::tempdir().unwrap();
        write(
            work.path(),
            "actionconfig.json",
            json!([{"EndpointUrl": srv.url(), "Test": [{"Id": node, "Interval": 0}]}])
                .to_string()
                .as_bytes(),
        );
        let limit = limit.map(|n| n.to_string());
        let mut extra = vec!["--tc=false"];
        if let Some(limit) = &limit {
            extra.extend(["--ol", limit.as_str()]);
        }
        let mut client = start_client(work.path(), &client_args(&store, &srv.url(), &extra));
        client.wait_for("the action's outcome", |l| {
            l.iter().any(|x| x.starts_with(&format!("Action ({desc})")))
        });
        let lines = client.lines();
        assert_eq!(client.stop(), Some(0));
        lines
    };

    // One byte short of the value: refused as the .NET stack's MaxStringLength does.
    let lines = run(Some(LONG_TEXT_LENGTH - 1));
    assert!(
        lines.contains(&format!("Action ({desc}) execution with error")),
        "{lines:#?}"
    );
    assert!(
        lines.contains(&format!("Result ({desc}): BadEncodingLimitsExceeded")),
        "{lines:#?}"
    );
    // Exactly the value's length, and the default (4 MiB): read in full.
    for limit in [Some(LONG_TEXT_LENGTH), None] {
        let lines = run(limit);
        let value = format!("Value ({desc}): {}", "x".repeat(LONG_TEXT_LENGTH));
        assert!(lines.contains(&value), "{limit:?}: {lines:#?}");
    }
}

#[test]
fn our_client_refuses_an_untrusted_asyncua_server() {
    let ca = Ca::root("Interop CA");
    let dir = tempfile::tempdir().unwrap();
    // The seed walk-through's situation (docs/reference/seed-walkthrough.md): the server has a
    // self-signed certificate nobody trusts yet.
    let self_signed = test_support::self_signed(
        LeafSpec::server("AsyncuaServer", SERVER_URI, "localhost").ip("127.0.0.1"),
    );
    let srv = server(dir.path(), &self_signed, &[], &[&ca]);
    let url = format!("{}/", srv.url());
    let store = client_store(&ca);
    let work = tempfile::tempdir().unwrap();
    let mut client = start_client(work.path(), &client_args(&store, &srv.url(), &[]));
    let reason = reason(&client, &url);
    assert!(
        reason.starts_with("ServiceResultException: BadCertificateUntrusted:"),
        "{reason}"
    );
    // The refused server certificate waits in rejected/certs for an operator.
    let rejected = std::fs::read_dir(store.path().join("rejected/certs"))
        .unwrap()
        .count();
    assert_eq!(rejected, 1);
    assert_eq!(client.stop(), Some(0));
}

#[test]
fn an_asyncua_server_refuses_an_untrusted_client() {
    let ca = Ca::root("Interop CA");
    let stranger = Ca::root("Stranger CA");
    let dir = tempfile::tempdir().unwrap();
    // The server trusts only clients of `ca`; ours is issued by `stranger`.
    let srv = server(dir.path(), &server_leaf(&ca), &[], &[&ca]);
    let url = format!("{}/", srv.url());
    let store = TestStore::new()
        .with_own(&common::client_leaf(&stranger))
        .with_trusted(ca.cert())
        .with_trusted_crl(&ca.crl(&[]));
    let work = tempfile::tempdir().unwrap();
    let mut client = start_client(work.path(), &client_args(&store, &srv.url(), &[]));
    let reason = reason(&client, &url);
    // The server refused us: our verifier accepted the server (nothing rejected here).
    assert!(reason.contains("connection failed"), "{reason}");
    let rejected =
        std::fs::read_dir(store.path().join("rejected/certs")).map_or(0, Iterator::count);
    assert_eq!(rejected, 0);
    assert_eq!(client.stop(), Some(0));
}

#[test]
fn a_revoked_asyncua_server_certificate_is_refused() {
    let ca = Ca::root("Interop CA");
    let dir = tempfile::tempdir().unwrap();
    let leaf = server_leaf(&ca);
    let srv = server(dir.path(), &leaf, &[], &[&ca]);
    let url = format!("{}/", srv.url());
    let store = TestStore::new()
        .with_own(&common::client_leaf(&ca))
        .with_trusted(ca.cert())
        .with_trusted_crl(&ca.crl(&[&leaf.cert]));
    let work = tempfile::tempdir().unwrap();
    let mut client = start_client(work.path(), &client_args(&store, &srv.url(), &[]));
    let reason = reason(&client, &url);
    assert!(
        reason.starts_with("ServiceResultException: BadCertificateRevoked:"),
        "{reason}"
    );
    assert_eq!(client.stop(), Some(0));
}

#[test]
fn an_asyncua_server_sending_its_chain_is_validated_through_the_intermediate() {
    let root = Ca::root("Interop Root");
    let intermediate = root.intermediate("Interop Intermediate");
    let leaf = intermediate
        .leaf(LeafSpec::server("AsyncuaServer", SERVER_URI, "localhost").ip("127.0.0.1"));
    // The client knows only the root (and both CRLs): the intermediate comes from the server.
    let store = TestStore::new()
        .with_own(&common::client_leaf(&root))
        .with_trusted(root.cert())
        .with_trusted_crl(&root.crl(&[]))
        .with_trusted_crl(&intermediate.crl(&[]));

    // Without the chain the path cannot be built.
    let dir = tempfile::tempdir().unwrap();
    let alone = server(dir.path(), &leaf, &[], &[&root]);
    let url = format!("{}/", alone.url());
    let work = tempfile::tempdir().unwrap();
    let mut client = start_client(work.path(), &client_args(&store, &alone.url(), &[]));
    let reason = reason(&client, &url);
    assert!(
        reason.starts_with("ServiceResultException: BadCertificateChainIncomplete:"),
        "{reason}"
    );
    assert_eq!(client.stop(), Some(0));
    drop(alone);

    let dir = tempfile::tempdir().unwrap();
    let chained = server(dir.path(), &leaf, &[&intermediate], &[&root]);
    let url = format!("{}/", chained.url());
    let work = tempfile::tempdir().unwrap();
    let mut client = start_client(work.path(), &client_args(&store, &chained.url(), &[]));
    let desc =
        format!("ActionId: 000 ActionType: 'OpcTestAction', Endpoint: '{url}' Node 'i=2258'");
    client.wait_line(&format!("Action ({desc}) completed successfully"));
    assert_eq!(client.stop(), Some(0));
}

#[test]
fn a_session_lost_to_a_server_restart_is_replaced_by_a_new_logged_one() {
    let ca = Ca::root("Interop CA");
    let dir = tempfile::tempdir().unwrap();
    let leaf = server_leaf(&ca);
    let port = free_port();
    let srv = server_on(dir.path(), &leaf, &[], &[&ca], port);
    let url = format!("{}/", srv.url());
    let store = client_store(&ca);
    let work = tempfile::tempdir().unwrap();
    write(
        work.path(),
        "actionconfig.json",
        json!([{"EndpointUrl": srv.url(), "Test": [{"Id": "i=2258", "Interval": 1}]}])
            .to_string()
            .as_bytes(),
    );
    let mut client = start_client(
        work.path(),
        &client_args(
            &store,
            &srv.url(),
            &["--tc=false", "--ki", "4", "--kt", "2"],
        ),
    );
    let logged = |l: &[String]| -> Vec<String> {
        l.iter()
            .filter_map(|l| l.strip_prefix("Session successfully created with Id "))
            .filter_map(|l| l.strip_suffix('.'))
            .map(str::to_owned)
            .collect()
    };
    client.wait_for("the first session", |l| logged(l).len() == 1);

    // The server is back before the keep-alive threshold. The stack must not quietly open a
    // new session under the old id: the lost session runs into the threshold and the client
    // logs the session the restarted server created.
    drop(srv);
    client.wait_line("Missed KeepAlives: 1");
    let dir = tempfile::tempdir().unwrap();
    let srv = server_on(dir.path(), &leaf, &[], &[&ca], port);
    client.wait_line(&format!(
        "Hit configured missed keep alive threshold of 2. Disconnecting the session to endpoint {url}."
    ));
    client.wait_for("the second session", |l| logged(l).len() == 2);
    let ids = logged(&client.lines());
    assert_eq!(srv.session_ids(), vec![ids[1].clone()]);
    assert_eq!(client.stop(), Some(0));
}
