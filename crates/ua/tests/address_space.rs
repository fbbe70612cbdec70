//! A module's address space on a running server: nodes added and written from other threads
//! while the server runs, read by a secure client (CA-signed, trusted through the CA), methods
//! calling back into Rust, and refusals of bad input.

#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};

use pki::{Store, StoreLayout};
use test_support::{Ca, Issued, LeafSpec, TestStore, self_signed};
use ua::ua as t;
use ua::{
    AddressSpace, Client, ClientError, ClientOptions, Identity, OBJECTS_FOLDER, ReadValues, Server,
    ServerError, ServerOptions, ValueType, Variable,
};

const SERVER_URI: &str = "urn:test:server";
const CLIENT_URI: &str = "urn:test:client";
const NAMESPACE: &str = "urn:test:nodes";

struct Fixture {
    server: Server,
    client: Issued,
    own: Issued,
    _server_store: TestStore,
}

fn fixture() -> Fixture {
    let own = self_signed(LeafSpec::server("TestServer", SERVER_URI, "localhost").ip("127.0.0.1"));
    let ca = Ca::root("Test CA");
    let client = ca.leaf(LeafSpec::client("TestClient", CLIENT_URI));
    let server_store = TestStore::new()
        .with_own(&own)
        .with_trusted(ca.cert())
        .with_trusted_crl(&ca.crl(&[]));
    let mut options = ServerOptions::new(
        Identity::new(
            "TestServer",
            SERVER_URI,
            "https://example.invalid/test",
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
    Fixture {
        server,
        client,
        own,
        _server_store: server_store,
    }
}

/// Our client over Basic256Sha256/SignAndEncrypt (the default options).
async fn secure_client(f: &Fixture) -> (Client, TestStore) {
    let store = TestStore::new()
        .with_own(&f.client)
        .with_trusted(&f.own.cert);
    let path = store.path().to_owned();
    let url = f.server.endpoint_url().to_owned();
    let client = tokio::task::spawn_blocking(move || {
        Client::connect(
            &url,
            &ClientOptions::new("TestClient"),
            Store::open(StoreLayout::under(path)).unwrap(),
        )
    })
    .await
    .unwrap()
    .unwrap();
    (client, store)
}

/// A value with its status (`Client::read_value` makes a bad status an error).
async fn data_value(client: &Client, node: &t::NodeId) -> t::DataValue {
    let read = ReadValues::new(std::slice::from_ref(node));
    client.read_values(&read).await.unwrap().remove(0)
}

/// The status of a failed call.
fn refusal(err: ClientError) -> &'static str {
    match err {
        ClientError::Request(status) => status.name,
        other => panic!("not a refused request: {other}"),
    }
}

fn variable(ns: u16, name: &str, value_type: ValueType, initial: t::Variant) -> Variable {
    Variable {
        node_id: t::NodeId::string(ns, name),
        name: name.to_owned(),
        value_type,
        array: false,
        initial,
        writable: false,
    }
}

fn folder(space: &AddressSpace, ns: u16) -> t::NodeId {
    space
        .add_folder(
            &t::NodeId::ns0(OBJECTS_FOLDER),
            &t::NodeId::string(ns, "Plant"),
            "Plant",
        )
        .unwrap()
}

#[tokio::test(flavor = "multi_thread")]
async fn variables_of_every_type_added_by_a_module_are_read_over_a_secure_channel() {
    let f = fixture();
    let space = f.server.address_space();
    let ns = space.add_namespace(NAMESPACE).unwrap();
    // 0 is OPC UA, 1 the application URI; registering again finds the same index.
    assert_eq!(ns, 2);
    assert_eq!(space.add_namespace(NAMESPACE).unwrap(), ns);
    let plant = folder(&space, ns);
    let vars = [
        variable(
            ns,
            "Flag",
            ValueType::Boolean,
            t::Variant::scalar(t::Boolean::new(true)),
        ),
        variable(
            ns,
            "Signed",
            ValueType::Int32,
            t::Variant::scalar(t::Int32::new(-5)),
        ),
        variable(
            ns,
            "Counter",
            ValueType::UInt32,
            t::Variant::scalar(t::UInt32::new(7)),
        ),
        variable(
            ns,
            "Ratio",
            ValueType::Float,
            t::Variant::scalar(t::Float::new(1.5)),
        ),
        variable(
            ns,
            "Level",
            ValueType::Double,
            t::Variant::scalar(t::Double::new(-2.25)),
        ),
    ];
    for v in &vars {
        assert_eq!(space.add_variable(&plant, v).unwrap(), v.node_id);
    }
    let array = Variable {
        array: true,
        writable: true,
        ..variable(
            ns,
            "Counters",
            ValueType::UInt32,
            t::Variant::array(t::Array::from_slice(&[
                t::UInt32::new(1),
                t::UInt32::new(2),
            ])),
        )
    };
    space.add_variable(&plant, &array).unwrap();

    let (client, _store) = secure_client(&f).await;
    for v in vars.iter().chain([&array]) {
        let read = client.read_value(&v.node_id).await.unwrap();
        // Same type, same value (the array as an array).
        assert_eq!(read, v.initial, "{}", v.name);
        assert_eq!(read.is_scalar(), !v.array, "{}", v.name);
    }
    client.disconnect().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn writes_from_a_module_thread_reach_a_secure_client_while_the_server_runs() {
    let f = fixture();
    let space = f.server.address_space();
    let ns = space.add_namespace(NAMESPACE).unwrap();
    let plant = folder(&space, ns);
    let node = variable(
        ns,
        "Counter",
        ValueType::UInt32,
        t::Variant::scalar(t::UInt32::new(7)),
    );
    space.add_variable(&plant, &node).unwrap();
    let (client, _store) = secure_client(&f).await;

    // A module thread writes while the server thread serves the client.
    let writer_space = space.clone();
    let counter = t::NodeId::string(ns, "Counter");
    let writer_node = counter.clone();
    let writer = std::thread::spawn(move || {
        for i in 100..=300_u32 {
            writer_space
                .write(&writer_node, &t::Variant::scalar(t::UInt32::new(i)))
                .unwrap();
        }
    });
    let mut seen = Vec::new();
    loop {
        let v = client.read_value(&counter).await.unwrap();
        let v = v.as_scalar::<t::UInt32>().unwrap().value();
        seen.push(v);
        if v == 300 {
            break;
        }
        assert!(seen.len() < 10_000, "the last write never showed: {seen:?}");
    }
    writer.join().unwrap();
    assert!(seen.windows(2).all(|w| w[0] <= w[1]), "{seen:?}");
    assert_eq!(
        space
            .read(&counter)
            .unwrap()
            .as_scalar::<t::UInt32>()
            .unwrap()
            .value(),
        300
    );
    client.disconnect().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_value_written_with_a_status_reaches_the_client_with_that_status() {
    let f = fixture();
    let space = f.server.address_space();
    let ns = space.add_namespace(NAMESPACE).unwrap();
    let plant = folder(&space, ns);
    let node = variable(
        ns,
        "Sensor",
        ValueType::UInt32,
        t::Variant::scalar(t::UInt32::new(0)),
    );
    space.add_variable(&plant, &node).unwrap();
    let (client, _store) = secure_client(&f).await;

    // UncertainLastUsableValue with a value.
    space
        .write_with_status(
            &node.node_id,
            &t::Variant::scalar(t::UInt32::new(9)),
            0x4090_0000,
        )
        .unwrap();
    let value = data_value(&client, &node.node_id).await;
    assert_eq!(value.status().unwrap().name(), "UncertainLastUsableValue");
    assert_eq!(
        value
            .value()
            .unwrap()
            .as_scalar::<t::UInt32>()
            .unwrap()
            .value(),
        9
    );

    // BadNoCommunication with the value kept.
    space
        .write_with_status(
            &node.node_id,
            &t::Variant::scalar(t::UInt32::new(9)),
            0x8031_0000,
        )
        .unwrap();
    let value = data_value(&client, &node.node_id).await;
    assert_eq!(value.status().unwrap().name(), "BadNoCommunication");
    // Good again.
    space
        .write_with_status(&node.node_id, &t::Variant::scalar(t::UInt32::new(10)), 0)
        .unwrap();
    let value = data_value(&client, &node.node_id).await;
    assert!(value.status().is_none_or(|s| s.is_good()));
    assert_eq!(
        value
            .value()
            .unwrap()
            .as_scalar::<t::UInt32>()
            .unwrap()
            .value(),
        10
    );
    client.disconnect().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn methods_run_their_rust_callback_and_return_its_status() {
    let f = fixture();
    let space = f.server.address_space();
    let ns = space.add_namespace(NAMESPACE).unwrap();
    let plant = folder(&space, ns);
    let calls = Arc::new(AtomicU32::new(0));
    let counted = Arc::clone(&calls);
    let reset = space
        .add_method(
            &plant,
            &t::NodeId::string(ns, "Reset"),
            "Reset",
            move || {
                counted.fetch_add(1, Ordering::SeqCst);
                Ok(())
            },
        )
        .unwrap();
    let refuse = space
        .add_method(&plant, &t::NodeId::string(ns, "Refuse"), "Refuse", || {
            Err(t::StatusCode::BADINVALIDSTATE)
        })
        .unwrap();
    assert_eq!(reset, t::NodeId::string(ns, "Reset"));

    let (client, _store) = secure_client(&f).await;
    client.call_method(&plant, &reset, &[]).await.unwrap();
    client.call_method(&plant, &reset, &[]).await.unwrap();
    assert_eq!(calls.load(Ordering::SeqCst), 2);
    let err = client.call_method(&plant, &refuse, &[]).await.unwrap_err();
    assert_eq!(refusal(err), "BadInvalidState");
    // The methods take no arguments.
    let err = client
        .call_method(&plant, &reset, &[t::Variant::scalar(t::UInt32::new(1))])
        .await
        .unwrap_err();
    assert_eq!(refusal(err), "BadTooManyArguments");
    assert_eq!(calls.load(Ordering::SeqCst), 2);
    client.disconnect().await;
}

#[test]
fn bad_names_types_and_ids_are_refused_with_clear_errors() {
    let f = fixture();
    let space = f.server.address_space();
    assert!(matches!(
        space.add_namespace("urn:bad\0ns"),
        Err(ServerError::InvalidConfig("namespace URI"))
    ));
    let ns = space.add_namespace(NAMESPACE).unwrap();
    let plant = folder(&space, ns);
    assert!(matches!(
        space.add_folder(&plant, &t::NodeId::string(ns, "x"), ""),
        Err(ServerError::InvalidConfig("node name"))
    ));
    let counter = variable(
        ns,
        "Counter",
        ValueType::UInt32,
        t::Variant::scalar(t::UInt32::new(1)),
    );
    space.add_variable(&plant, &counter).unwrap();
    // The same node id twice.
    assert!(matches!(
        space.add_variable(&plant, &counter),
        Err(ServerError::Stack(_))
    ));
    // A value of another type than the node's.
    assert!(matches!(
        space.write(&counter.node_id, &t::Variant::scalar(t::Boolean::new(true))),
        Err(ServerError::Stack(_))
    ));
    assert_eq!(
        space
            .read(&counter.node_id)
            .unwrap()
            .as_scalar::<t::UInt32>()
            .unwrap()
            .value(),
        1
    );
    // An unknown node.
    assert!(
        space
            .write(
                &t::NodeId::string(ns, "Nope"),
                &t::Variant::scalar(t::UInt32::new(1))
            )
            .is_err()
    );
    assert!(space.read(&t::NodeId::string(ns, "Nope")).is_err());
}
