//! Pipelined reads (`Client::read_values_pipelined_blocking`) against our server on loopback,
//! over Basic256Sha256/SignAndEncrypt with a CA-signed client: every answer good at depth 1 and
//! 8 with the depth reached; a caller that stops gets no answer after the call returned (and a
//! disconnect and drop right after is safe); a server that shuts down, or stops answering
//! behind a frozen TCP relay, makes the call return with the outstanding reads as errors.

#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use std::io::{Read as _, Write as _};
use std::net::{TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use test_support::TestStore;
use ua::ua::{DataValue, NodeId};
use ua::{Client, ClientError, ClientOptions, ReadValues};

mod common;

use common::{SERVER_URI, open, setup};

fn connect(url: &str, store: &TestStore, request_timeout: Duration) -> Client {
    let mut options = ClientOptions::new("TestClient");
    options.expected_server_uri = Some(SERVER_URI.to_owned());
    options.request_timeout = Some(request_timeout);
    Client::connect(url, &options, open(store)).unwrap()
}

/// `ServerStatus.CurrentTime`, `ServerStatus.State` and `NamespaceArray`: three values that
/// every open62541 server has.
fn three_values() -> ReadValues {
    ReadValues::new(&[
        NodeId::ns0(ua::SERVER_CURRENT_TIME),
        NodeId::ns0(2259),
        NodeId::ns0(2255),
    ])
}

fn all_good(values: &[DataValue]) -> bool {
    values.len() == 3
        && values
            .iter()
            .all(|v| v.status().is_none_or(|s| s.is_good()) && v.value().is_some())
}

#[test]
fn every_answer_is_good_at_depth_one_and_eight_and_the_depth_is_reached() {
    let f = setup();
    let client = connect(
        f.server.endpoint_url(),
        &f.client_store,
        Duration::from_secs(5),
    );
    let read = three_values();
    for depth in [1, 8] {
        let wanted = 200;
        let (mut good, mut bad) = (0usize, Vec::new());
        let run = client
            .read_values_pipelined_blocking(&read, depth, |answer| {
                match answer {
                    Ok(values) if all_good(&values) => good += 1,
                    Ok(values) => bad.push(format!("{values:?}")),
                    Err(e) => bad.push(e.to_string()),
                }
                good + bad.len() < wanted
            })
            .unwrap();
        assert!(bad.is_empty(), "depth {depth}: {bad:?}");
        assert_eq!(run.answers, good, "depth {depth}");
        // Stopped at the 200th answer: only those already in flight came after it.
        assert!(
            (wanted..wanted + depth).contains(&good),
            "depth {depth}: {good} answers"
        );
        assert_eq!(run.max_in_flight, depth);
    }
    // The session is still good for a plain read afterwards.
    assert!(all_good(&client.read_values_blocking(&read).unwrap()));
    client.disconnect_blocking();
    f.server.shutdown();
}

#[test]
fn a_caller_that_stops_gets_the_ones_in_flight_and_nothing_after_the_call_returned() {
    let f = setup();
    let client = connect(
        f.server.endpoint_url(),
        &f.client_store,
        Duration::from_secs(5),
    );
    let read = three_values();
    let seen = Arc::new(AtomicUsize::new(0));
    let counter = Arc::clone(&seen);
    let run = client
        .read_values_pipelined_blocking(&read, 8, move |answer| {
            assert!(all_good(&answer.unwrap()));
            counter.fetch_add(1, Ordering::SeqCst);
            false
        })
        .unwrap();
    // The first answer said stop: nothing more was sent, the other seven were drained.
    assert_eq!(run.max_in_flight, 8);
    assert_eq!(run.answers, 8);
    assert_eq!(seen.load(Ordering::SeqCst), 8);

    // A second call on the same session sees only its own answers.
    let mut second = 0;
    let run = client
        .read_values_pipelined_blocking(&read, 4, |answer| {
            assert!(all_good(&answer.unwrap()));
            second += 1;
            second < 10
        })
        .unwrap();
    assert_eq!(run.answers, second);
    assert!((10..14).contains(&second), "{second}");

    // Stopped at once, then disconnected and dropped right after the call: whatever open62541
    // still runs (the disconnect's and the delete's cancellations) reaches no caller.
    let late = Arc::new(AtomicUsize::new(0));
    let counter = Arc::clone(&late);
    let run = client
        .read_values_pipelined_blocking(&read, 8, move |_| {
            counter.fetch_add(1, Ordering::SeqCst);
            false
        })
        .unwrap();
    let after_return = late.load(Ordering::SeqCst);
    assert_eq!(after_return, run.answers);
    client.disconnect_blocking();
    assert_eq!(late.load(Ordering::SeqCst), after_return);
    assert_eq!(seen.load(Ordering::SeqCst), 8);
    f.server.shutdown();
}

#[test]
fn a_server_that_shuts_down_mid_pipeline_ends_the_call_with_the_outstanding_reads_as_errors() {
    let f = setup();
    // Long enough that a call waiting for timeouts instead of seeing the connection go would
    // fail the bound below.
    let timeout = Duration::from_secs(5);
    let client = connect(f.server.endpoint_url(), &f.client_store, timeout);
    let read = three_values();
    let server = Mutex::new(Some(f.server));
    let (mut good, mut errors) = (0usize, Vec::new());
    let mut stopped_at = None;
    // The caller never asks to stop: the lost session alone ends the call.
    let run = client
        .read_values_pipelined_blocking(&read, 8, |answer| {
            match answer {
                Ok(values) => {
                    assert!(all_good(&values));
                    good += 1;
                }
                Err(e) => {
                    assert!(stopped_at.is_some(), "an error before the shutdown: {e}");
                    errors.push(e);
                }
            }
            if good == 50 && stopped_at.is_none() {
                stopped_at = Some(Instant::now());
                server.lock().unwrap().take().unwrap().shutdown();
            }
            true
        })
        .unwrap();
    let stopped_at = stopped_at.expect("50 good answers before the shutdown");
    let waited = stopped_at.elapsed();
    assert!(
        waited < timeout,
        "the call returned {waited:?} after the shutdown"
    );
    assert!(!errors.is_empty(), "the reads in flight were answered");
    assert!(errors.len() <= 8, "{} errors: {errors:?}", errors.len());
    assert!(
        errors.iter().all(|e| matches!(e, ClientError::Request(_))),
        "{errors:?}"
    );
    assert_eq!(run.answers, good + errors.len());
    assert_eq!(run.max_in_flight, 8);
    // The session is gone: the next call fails at once, nothing sent.
    assert!(
        client
            .read_values_pipelined_blocking(&read, 8, |_| panic!("an answer without a session"))
            .is_err()
    );
    drop(client);
}

/// A TCP relay to `target` on loopback that can be frozen: from then on it forwards nothing
/// either way and keeps the connections open (a server that stopped answering).
struct Relay {
    port: u16,
    frozen: Arc<AtomicBool>,
}

impl Relay {
    fn start(target: u16) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let frozen = Arc::new(AtomicBool::new(false));
        let flag = Arc::clone(&frozen);
        std::thread::spawn(move || {
            for client in listener.incoming() {
                let Ok(client) = client else { return };
                let Ok(server) = TcpStream::connect(("127.0.0.1", target)) else {
                    return;
                };
                for (mut from, mut to) in [
                    (client.try_clone().unwrap(), server.try_clone().unwrap()),
                    (server, client),
                ] {
                    let flag = Arc::clone(&flag);
                    std::thread::spawn(move || {
                        let mut buf = [0u8; 16 * 1024];
                        loop {
                            let n = match from.read(&mut buf) {
                                Ok(0) | Err(_) => return,
                                Ok(n) => n,
                            };
                            if flag.load(Ordering::SeqCst) {
                                continue;
                            }
                            if to.write_all(&buf[..n]).is_err() {
                                return;
                            }
                        }
                    });
                }
            }
        });
        Self { port, frozen }
    }
}

#[test]
fn a_server_that_stops_answering_ends_the_call_with_timeouts_within_the_request_timeout() {
    let f = setup();
    let relay = Relay::start(f.server.port());
    let timeout = Duration::from_millis(800);
    let url = format!("opc.tcp://127.0.0.1:{}", relay.port);
    let client = connect(&url, &f.client_store, timeout);
    let read = three_values();
    let (mut good, mut errors) = (0usize, Vec::new());
    let mut frozen_at = None;
    let run = client
        .read_values_pipelined_blocking(&read, 8, |answer| {
            match answer {
                Ok(values) => {
                    assert!(all_good(&values));
                    good += 1;
                }
                Err(e) => errors.push(e.to_string()),
            }
            if good == 50 && frozen_at.is_none() {
                frozen_at = Some(Instant::now());
                relay.frozen.store(true, Ordering::SeqCst);
            }
            // As a load client does: stop at the first error.
            errors.is_empty()
        })
        .unwrap();
    let waited = frozen_at
        .expect("50 good answers before the freeze")
        .elapsed();
    // Each read times out after 800 ms, checked once a second by open62541; the call gives up
    // on the rest 800 ms plus that second after the first error.
    assert!(
        waited < timeout * 2 + Duration::from_secs(2),
        "the call returned {waited:?} after the freeze"
    );
    assert!(!errors.is_empty());
    assert!(errors.len() <= 8, "{errors:?}");
    assert!(
        errors.iter().all(|e| e.contains("BadTimeout")),
        "{errors:?}"
    );
    assert_eq!(run.answers, good + errors.len());
    drop(client);
    f.server.shutdown();
}
