//! Malformed HTTP (`http.json`) sent by a raw client to edge-sim's workload API (the module
//! `opcplc`'s unix socket, plain HTTP/1.1) and to its IoT Hub service API (TLS). Each case
//! writes its `request` bytes as they stand (placeholders: `${device}`, `${genid}`, `${api}`,
//! `${auth}` = a valid service token, `${big}` = 1 MB of text) and reads the answer until the
//! server closes the connection or is quiet for a while. The answer must have the case's
//! `status` and a body containing its `body`, or the connection must be closed without an
//! answer (`closed`). Afterwards both APIs still serve a good request (the trust bundle, a
//! twin) and the twin is as it was.

use std::io::{ErrorKind, Read, Write};
use std::net::TcpStream;
use std::os::unix::net::UnixStream;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use edge_sim::Running;
use hub_proto::{ConnectionString, SasToken};
use serde_json::Value;

use crate::support::{Corpus, Fixtures, sim, text, tls_unverified};

const MODULE: &str = "opcplc";
/// How long the first byte of an answer may take.
const ANSWER: Duration = Duration::from_secs(10);
/// How long a server may stay quiet before the answer counts as complete.
const QUIET: Duration = Duration::from_millis(1500);

/// Sends `request` to `api` (`workload`, `service`, or `service-plain`: the service port
/// without TLS); returns what came back and whether the server closed the connection. With
/// `answer`, waits up to [`ANSWER`] for the first byte.
fn send(sim: &Running, api: &str, request: &[u8], answer: bool) -> (Vec<u8>, bool) {
    let mut stream: Box<dyn ReadWrite> = match api {
        "workload" => {
            let s = UnixStream::connect(sim.workload_socket(MODULE).unwrap()).unwrap();
            s.set_read_timeout(Some(Duration::from_millis(100)))
                .unwrap();
            Box::new(s)
        }
        "service" | "service-plain" => {
            let tcp = TcpStream::connect(("127.0.0.1", sim.api_port())).unwrap();
            if api == "service-plain" {
                tcp.set_read_timeout(Some(Duration::from_millis(100)))
                    .unwrap();
                Box::new(tcp)
            } else {
                let tls = tls_unverified(tcp);
                Box::new(tls)
            }
        }
        other => panic!("unknown api {other}"),
    };
    // A server may answer and close before it read everything: read its answer anyway.
    let _ = stream.write_all(request);
    let mut closed = false;
    let mut received = Vec::new();
    let mut buf = [0u8; 16384];
    // First an answer when one is expected (however slow the machine), then until quiet or
    // closed.
    let first = if answer { ANSWER } else { Duration::ZERO };
    for (quiet, until_bytes) in [(first, true), (QUIET, false)] {
        let mut quiet_since = Instant::now();
        while (received.is_empty() || !until_bytes) && quiet_since.elapsed() < quiet && !closed {
            match stream.read(&mut buf) {
                Ok(0) => closed = true,
                Ok(n) => {
                    received.extend_from_slice(&buf[..n]);
                    quiet_since = Instant::now();
                }
                Err(e) if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => {}
                Err(_) => closed = true,
            }
        }
    }
    (received, closed)
}

trait ReadWrite: Read + Write {}
impl<T: Read + Write> ReadWrite for T {}

/// The status code of an HTTP answer.
fn status(answer: &str) -> Option<u16> {
    answer
        .strip_prefix("HTTP/1.1 ")
        .and_then(|rest| rest.get(..3))
        .and_then(|code| code.parse().ok())
}

fn check_case(sim: &Running, case: &Value) -> Result<(), String> {
    let request = text(case, "request");
    let expect = &case["expect"];
    let (answer, closed) = send(
        sim,
        text(case, "api"),
        request.as_bytes(),
        expect["status"].is_u64(),
    );
    let answer = String::from_utf8_lossy(&answer).into_owned();
    if expect["closed"] == true {
        if !answer.is_empty() || !closed {
            return Err(format!(
                "expected the connection closed without an answer, got closed = {closed}: {answer:?}"
            ));
        }
        return Ok(());
    }
    let wanted = expect["status"]
        .as_u64()
        .and_then(|s| u16::try_from(s).ok());
    if status(&answer) != wanted {
        return Err(format!("expected status {wanted:?}, got {answer:?}"));
    }
    let body = expect["body"].as_str().unwrap_or_default();
    let (_, got) = answer.split_once("\r\n\r\n").unwrap_or_default();
    if !got.contains(body) {
        return Err(format!("no {body:?} in the body {got:?}"));
    }
    Ok(())
}

/// A good request to `api`, answered 200.
fn serves(sim: &Running, fixtures: &Fixtures, api: &str) {
    let request = match api {
        "workload" => {
            "GET /trust-bundle?api-version=${api} HTTP/1.1\r\nHost: workload\r\nConnection: close\r\n\r\n"
        }
        _ => {
            "GET /twins/${device}/modules/opcplc?api-version=2021-04-12 HTTP/1.1\r\nHost: localhost\r\nAuthorization: ${auth}\r\nConnection: close\r\n\r\n"
        }
    };
    let request = fixtures.resolve(&Value::String(request.to_owned()));
    let (answer, _) = send(sim, api, request.as_str().unwrap().as_bytes(), true);
    let answer = String::from_utf8_lossy(&answer);
    assert_eq!(status(&answer), Some(200), "{api} does not serve: {answer}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_malformed_http_request_is_refused_and_the_apis_serve_on() {
    let corpus = Corpus::load("http");
    let dir = tempfile::tempdir().unwrap();
    let sim = sim(&dir.path().join("edge-sim"), &[MODULE, "other"]).await;
    let env = sim.edge_env(MODULE).unwrap();
    let service = ConnectionString::parse(&sim.service_connection_string()).unwrap();
    let expiry = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs()
        + 3600;
    let token = SasToken::sign(
        &service.audience().to_string(),
        service.shared_access_key(),
        service.key_name(),
        expiry,
    );
    let mut fixtures = Fixtures::default();
    fixtures.set("device", sim.device_id());
    fixtures.set("genid", env["IOTEDGE_MODULEGENERATIONID"].clone());
    fixtures.set("api", env["IOTEDGE_APIVERSION"].clone());
    fixtures.set("auth", token.to_string());
    fixtures.set("big", "b".repeat(1024 * 1024));
    let twin_before = sim.twin(MODULE).unwrap();
    let outcomes: Vec<(String, Result<(), String>)> = tokio::task::block_in_place(|| {
        serves(&sim, &fixtures, "workload");
        serves(&sim, &fixtures, "service");
        std::thread::scope(|s| {
            let handles: Vec<_> = corpus
                .cases()
                .iter()
                .map(|case| {
                    let (sim, fixtures) = (&sim, &fixtures);
                    s.spawn(move || {
                        let case = fixtures.resolve(case);
                        (text(&case, "name").to_owned(), check_case(sim, &case))
                    })
                })
                .collect();
            handles.into_iter().map(|h| h.join().unwrap()).collect()
        })
    });
    let failures: Vec<String> = outcomes
        .into_iter()
        .filter_map(|(name, outcome)| outcome.err().map(|why| format!("{name}: {why}")))
        .collect();
    assert!(
        failures.is_empty(),
        "{} of {} cases failed:\n{}",
        failures.len(),
        corpus.cases().len(),
        failures.join("\n")
    );
    tokio::task::block_in_place(|| {
        serves(&sim, &fixtures, "workload");
        serves(&sim, &fixtures, "service");
    });
    assert_eq!(
        sim.twin(MODULE).unwrap().desired,
        twin_before.desired,
        "a refused request changed the twin"
    );
    eprintln!("bad input http: {} cases", corpus.cases().len());
}
