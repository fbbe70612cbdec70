//! A secure server and a client store, both with certificates of one CA (and its empty CRL),
//! shared by the client tests.

use pki::{Store, StoreLayout};
use test_support::{Ca, LeafSpec, TestStore};
use ua::{Identity, Server, ServerOptions};

/// The server's application URI (its certificate carries it).
pub const SERVER_URI: &str = "urn:test:server";

/// The store at `store`.
pub fn open(store: &TestStore) -> Store {
    Store::open(StoreLayout::under(store.path())).unwrap()
}

/// A running server on loopback and a client store it trusts (and that trusts it).
pub struct Fixture {
    pub server: Server,
    pub client_store: TestStore,
    /// The server's store (keep it bound while the server runs: dropping it removes it).
    pub _server_store: TestStore,
}

/// Starts the server of a [`Fixture`].
pub fn setup() -> Fixture {
    let ca = Ca::root("Root");
    let server_leaf =
        ca.leaf(LeafSpec::server("TestServer", SERVER_URI, "localhost").ip("127.0.0.1"));
    let client_leaf = ca.leaf(LeafSpec::client("TestClient", "urn:test:client"));
    let server_store = TestStore::new()
        .with_own(&server_leaf)
        .with_trusted(ca.cert())
        .with_trusted_crl(&ca.crl(&[]));
    let client_store = TestStore::new()
        .with_own(&client_leaf)
        .with_trusted(ca.cert())
        .with_trusted_crl(&ca.crl(&[]));
    let identity = Identity::new(
        "TestServer",
        SERVER_URI,
        "https://example.invalid",
        "127.0.0.1",
    );
    let mut options = ServerOptions::new(identity, 0);
    options.listen_host = Some("127.0.0.1".to_owned());
    let server = Server::start(&options, open(&server_store)).unwrap();
    Fixture {
        server,
        client_store,
        _server_store: server_store,
    }
}
