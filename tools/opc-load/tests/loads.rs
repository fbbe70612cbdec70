//! The loads against our server in this process (a secure endpoint, a CA-signed client): reads
//! of `Double`s are counted with the server's CPU and memory, one or several in flight per
//! session, every kind of bad answer is an error with its reason (and the session is set up
//! again), set-ups are counted, and a server that refuses the client stops the load before it
//! starts.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::cast_precision_loss,
    missing_docs
)]

use std::path::PathBuf;
use std::time::Duration;

use opc_load::load::LoadError;
use opc_load::{PLC_NAMESPACE, ReadLoad, SetupLoad, Target, fast_doubles, run_reads, run_setups};
use pki::{Store, StoreLayout};
use test_support::{Ca, LeafSpec, TestStore};
use ua::ua as t;
use ua::{ClientOptions, Identity, OBJECTS_FOLDER, Server, ServerOptions, ValueType, Variable};

const SERVER_URI: &str = "urn:test:server";

struct Fixture {
    server: Server,
    client_store: TestStore,
    _server_store: TestStore,
}

/// A server with `FastDouble1..3` (`Double`) and `NotADouble` (`UInt32`) in the OPC PLC's
/// namespace, trusting clients of one CA; a client store of that CA that trusts the server's
/// CA. `trust_client`: whether the server trusts the client's CA at all.
fn fixture(trust_client: bool) -> Fixture {
    let ca = Ca::root("Load CA");
    let server_leaf =
        ca.leaf(LeafSpec::server("TestServer", SERVER_URI, "localhost").ip("127.0.0.1"));
    let client_leaf = ca.leaf(LeafSpec::client("OpcLoad", "urn:test:opc-load"));
    let mut server_store = TestStore::new().with_own(&server_leaf);
    if trust_client {
        server_store = server_store
            .with_trusted(ca.cert())
            .with_trusted_crl(&ca.crl(&[]));
    }
    let client_store = TestStore::new()
        .with_own(&client_leaf)
        .with_trusted(ca.cert())
        .with_trusted_crl(&ca.crl(&[]));
    let mut options = ServerOptions::new(
        Identity::new(
            "TestServer",
            SERVER_URI,
            "https://example.invalid",
            "127.0.0.1",
        ),
        0,
    );
    options.listen_host = Some("127.0.0.1".to_owned());
    let server = Server::start(
        &options,
        Store::open(StoreLayout::under(server_store.path())).unwrap(),
    )
    .unwrap();
    let space = server.address_space();
    let ns = space.add_namespace(PLC_NAMESPACE).unwrap();
    let objects = t::NodeId::ns0(OBJECTS_FOLDER);
    for i in 1..=3 {
        let name = format!("FastDouble{i}");
        space
            .add_variable(
                &objects,
                &Variable {
                    node_id: t::NodeId::string(ns, &name),
                    name,
                    value_type: ValueType::Double,
                    array: false,
                    initial: t::Variant::scalar(t::Double::new(f64::from(i))),
                    writable: false,
                },
            )
            .unwrap();
    }
    space
        .add_variable(
            &objects,
            &Variable {
                node_id: t::NodeId::string(ns, "NotADouble"),
                name: "NotADouble".to_owned(),
                value_type: ValueType::UInt32,
                array: false,
                initial: t::Variant::scalar(t::UInt32::new(7)),
                writable: false,
            },
        )
        .unwrap();
    Fixture {
        server,
        client_store,
        _server_store: server_store,
    }
}

fn target(f: &Fixture) -> Target {
    let mut options = ClientOptions::new("OpcLoad");
    options.expected_server_uri = Some(SERVER_URI.to_owned());
    Target {
        url: format!("opc.tcp://127.0.0.1:{}", f.server.port()),
        store_root: PathBuf::from(f.client_store.path()),
        options,
        // The server runs in this process.
        server_pid: Some(std::process::id()),
    }
}

fn reads(nodes: Vec<String>, sessions: usize) -> ReadLoad {
    ReadLoad {
        nodes,
        sessions,
        warmup: Duration::from_millis(200),
        duration: Duration::from_secs(1),
        interval: None,
        in_flight: 1,
        sample_every: Some(Duration::from_millis(250)),
    }
}

#[test]
fn reads_of_doubles_are_counted_with_the_servers_cpu_and_memory() {
    let f = fixture(true);
    let report = run_reads(&target(&f), &reads(fast_doubles(PLC_NAMESPACE, 3), 2)).unwrap();
    assert_eq!(report.errors, 0, "{:?}", report.error_messages);
    assert_eq!((report.sessions, report.values_per_read), (2, 3));
    assert!(report.reads > 0, "{report:?}");
    let rate = report.reads as f64 / report.seconds;
    assert!((report.reads_per_second - rate).abs() < 1e-6);
    // The server is this process: its CPU is at least the client's, its memory is sampled.
    assert!(
        report.server_cpu.unwrap() >= report.client_cpu - 0.05,
        "{report:?}"
    );
    let end = report.server_end.unwrap();
    assert!(end.rss_kib > 0 && end.hwm_kib >= end.rss_kib);
    assert!(
        report.server_rss_samples.len() >= 4,
        "{:?}",
        report.server_rss_samples
    );
    assert_eq!(
        report.server_rss_max_kib,
        report.server_rss_samples.iter().map(|s| s.1).max()
    );
    assert_eq!(f.server.session_count(), 0, "every session was closed");
}

#[test]
fn reads_pipelined_eight_deep_are_counted_without_errors() {
    let f = fixture(true);
    let mut load = reads(fast_doubles(PLC_NAMESPACE, 3), 2);
    load.in_flight = 8;
    let report = run_reads(&target(&f), &load).unwrap();
    assert_eq!(report.errors, 0, "{:?}", report.error_messages);
    assert_eq!(report.reconnects, 0);
    assert_eq!(report.in_flight, 8);
    assert!(report.reads > 0, "{report:?}");
    assert_eq!(f.server.session_count(), 0, "every session was closed");
}

#[test]
fn no_read_in_flight_or_a_pause_between_pipelined_reads_is_refused() {
    let f = fixture(true);
    let mut load = reads(fast_doubles(PLC_NAMESPACE, 1), 1);
    load.in_flight = 0;
    assert!(matches!(
        run_reads(&target(&f), &load),
        Err(LoadError::Invalid(_))
    ));
    load.in_flight = 2;
    load.interval = Some(Duration::from_millis(10));
    assert!(matches!(
        run_reads(&target(&f), &load),
        Err(LoadError::Invalid(_))
    ));
}

#[test]
fn a_missing_node_or_a_value_that_is_not_a_double_is_an_error_with_its_reason() {
    let f = fixture(true);
    for ((name, reason), in_flight) in [
        ("NoSuchNode", "BadNodeIdUnknown"),
        ("NotADouble", "not a Double"),
    ]
    .into_iter()
    .flat_map(|case| [(case, 1), (case, 4)])
    {
        let node = format!("nsu={PLC_NAMESPACE};s={name}");
        let mut nodes = fast_doubles(PLC_NAMESPACE, 2);
        nodes.push(node.clone());
        let mut load = reads(nodes, 1);
        load.in_flight = in_flight;
        let report = run_reads(&target(&f), &load).unwrap();
        assert_eq!(report.reads, 0, "{node}");
        assert!(report.errors > 0, "{node}");
        assert!(
            report.reconnects > 0,
            "each error sets the session up again ({node})"
        );
        assert!(
            report
                .error_messages
                .iter()
                .all(|m| m.contains(&node) && m.contains(reason)),
            "{node}: {:?}",
            report.error_messages
        );
        assert!(report.error_messages.len() <= opc_load::load::ERRORS_KEPT);
    }
}

#[test]
fn an_unknown_namespace_stops_the_load_before_it_starts() {
    let f = fixture(true);
    let err = run_reads(&target(&f), &reads(fast_doubles("urn:nobody", 1), 1)).unwrap_err();
    assert!(
        matches!(&err, LoadError::Node { node, .. } if node == "nsu=urn:nobody;s=FastDouble1"),
        "{err}"
    );
}

#[test]
fn set_ups_are_counted_and_the_servers_cpu_divided_among_them() {
    let f = fixture(true);
    let load = SetupLoad {
        concurrency: 2,
        warmup: Duration::from_millis(200),
        duration: Duration::from_secs(1),
    };
    let report = run_setups(&target(&f), &load).unwrap();
    assert_eq!(report.errors, 0, "{:?}", report.error_messages);
    assert!(report.setups > 0, "{report:?}");
    let per_setup = report.server_cpu_ms_per_setup.unwrap();
    let server_cpu_ms = report.server_cpu.unwrap() * report.seconds * 1000.0;
    assert!(
        (per_setup * report.setups as f64 - server_cpu_ms).abs() < 1.0,
        "{report:?}"
    );
}

#[test]
fn a_server_that_refuses_the_client_stops_the_load_with_the_reason() {
    let f = fixture(false);
    let err = run_reads(&target(&f), &reads(fast_doubles(PLC_NAMESPACE, 1), 1)).unwrap_err();
    match err {
        LoadError::NotConnected {
            sessions: 1,
            connected: 0,
            error,
        } => assert!(error.contains("BadSecurityChecksFailed"), "{error}"),
        other => panic!("{other}"),
    }
    let setups = run_setups(
        &target(&f),
        &SetupLoad {
            concurrency: 1,
            warmup: Duration::ZERO,
            duration: Duration::from_millis(500),
        },
    )
    .unwrap();
    assert_eq!(setups.setups, 0);
    assert!(setups.errors > 0);
    assert!(
        setups.error_messages[0].contains("BadSecurityChecksFailed"),
        "{:?}",
        setups.error_messages
    );
}
