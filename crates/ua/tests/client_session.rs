//! Our client against our server on loopback: endpoint discovery and the most secure choice,
//! a session on every secure endpoint offered, namespace array, `nsu=` resolution, keep-alive
//! and the server's `MinSupportedSampleRate`.

#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use std::sync::Arc;
use std::time::Duration;

use pki::{SecurityPolicy, ValidationOptions, Validator};
use ua::{Client, ClientOptions, SecurityMode, Verifier};

mod common;

use common::{SERVER_URI, open, setup};

#[tokio::test(flavor = "multi_thread")]
async fn every_secure_endpoint_offered_gives_a_session_and_the_strongest_is_chosen() {
    let common::Fixture {
        server,
        client_store,
        _server_store: _kept,
    } = setup();
    let url = server.endpoint_url().to_owned();
    let endpoints = {
        let url = url.clone();
        let store = open(&client_store);
        let options = ClientOptions::new("TestClient");
        let mut expect = Client::expectations(&url, &options).unwrap();
        expect.security_policy = None;
        let validator = Arc::new(Validator::new(store.clone(), ValidationOptions::default()));
        let verifier = Arc::new(Verifier::new(validator, expect));
        tokio::task::spawn_blocking(move || {
            ua::discover_endpoints(&url, &options, &store, &verifier)
        })
        .await
        .unwrap()
        .unwrap()
    };
    assert!(
        endpoints
            .iter()
            .all(|e| e.server_application_uri == SERVER_URI)
    );
    let best = ua::select_endpoint(&endpoints, true).unwrap();
    assert_eq!(best.security_mode, SecurityMode::SignAndEncrypt);
    assert_eq!(best.security_policy, SecurityPolicy::Aes256Sha256RsaPss);
    assert!(
        ua::select_endpoint(&endpoints, false).is_none(),
        "no None endpoint without --ut"
    );

    for endpoint in &endpoints {
        let mut options = ClientOptions::new("TestClient");
        options.security_policy = endpoint.security_policy;
        options.security_mode = endpoint.security_mode;
        options.expected_server_uri = Some(endpoint.server_application_uri.clone());
        options.session_timeout = Some(Duration::from_secs(10));
        let store = open(&client_store);
        let url = url.clone();
        let client = tokio::task::spawn_blocking(move || Client::connect(&url, &options, store))
            .await
            .unwrap()
            .unwrap_or_else(|e| {
                panic!(
                    "{:?}/{:?}: {e:?}",
                    endpoint.security_policy, endpoint.security_mode
                )
            });
        client.keep_alive(Duration::from_secs(5)).await.unwrap();
        // The id the client learnt from CreateSession is the one the server tracks.
        let id = client
            .session_id()
            .expect("the session id of CreateSession");
        assert!(
            server.session_ids().contains(id),
            "{id} not in {:?}",
            server.session_ids()
        );
        let namespaces = client.namespace_array().await.unwrap();
        assert_eq!(namespaces[0], "http://opcfoundation.org/UA/");
        assert!(namespaces.iter().any(|n| n == SERVER_URI), "{namespaces:?}");
        let node =
            ua::resolve_node_id("nsu=http://opcfoundation.org/UA/;i=2258", &namespaces).unwrap();
        let value = client.read_value(&node).await.unwrap();
        assert!(
            ua::format_value(&value).contains('/'),
            "{}",
            ua::format_value(&value)
        );
        // open62541 servers publish it (a Duration, ms).
        assert!(client.min_sampling_interval().await.unwrap().unwrap() >= 0.0);
        let (name, _) = client.describe(&node).await.unwrap();
        assert_eq!(name, "CurrentTime");
        client.disconnect().await;
    }
    server.shutdown();
}
