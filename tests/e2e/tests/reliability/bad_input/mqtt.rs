//! Malformed MQTT (`mqtt.json`) sent to edge-sim's edgeHub port by a raw client over a real
//! socket (black box: nothing here knows the broker's code). Each case opens a connection
//! (TLS unless `"tls": false`), sends its `frames` — a `connect` (a valid CONNECT of the
//! module `opcplc` with the case's changes), `publish`, `subscribe`, raw `hex` or `text` — and
//! reads what comes back until the broker closes the connection or is quiet for a while. The
//! packets received must start with the case's `received` (each entry a prefix of a packet's
//! summary: `CONNACK 5`, `SUBACK 1`, `PUBACK 3`, `PUBLISH <topic> <payload>`), and the
//! connection must be closed or open as `closed` says. A module client connected before the
//! first case must still read its twin after the last, and a fresh one must connect.

use std::io::{ErrorKind, Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use edge_client::{ClientOptions, ModuleClient};
use edge_sim::Running;
use hub_proto::{ConnectionString, SasToken};
use serde_json::{Value, json};

use crate::support::{Corpus, Fixtures, sim, text, tls_unverified};

const MODULE: &str = "opcplc";
/// How long an answer the case expects may take.
const ANSWER: Duration = Duration::from_secs(10);
/// How long the broker may stay quiet before a connection counts as left open.
const QUIET: Duration = Duration::from_millis(1500);

/// The connection under test: TLS or plain TCP.
enum Stream {
    Plain(TcpStream),
    Tls(Box<openssl::ssl::SslStream<TcpStream>>),
}

impl Stream {
    fn write_all(&mut self, bytes: &[u8]) -> std::io::Result<()> {
        match self {
            Self::Plain(s) => s.write_all(bytes),
            Self::Tls(s) => s.write_all(bytes),
        }
    }

    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        match self {
            Self::Plain(s) => s.read(buf),
            Self::Tls(s) => s.read(buf),
        }
    }
}

/// The MQTT remaining length.
fn remaining_length(mut n: usize) -> Vec<u8> {
    let mut out = Vec::new();
    loop {
        let mut byte = u8::try_from(n % 128).unwrap();
        n /= 128;
        if n > 0 {
            byte |= 0x80;
        }
        out.push(byte);
        if n == 0 {
            return out;
        }
    }
}

fn mqtt_string(text: &str) -> Vec<u8> {
    let mut out = u16::try_from(text.len()).unwrap().to_be_bytes().to_vec();
    out.extend_from_slice(text.as_bytes());
    out
}

fn packet(first: u8, body: &[u8]) -> Vec<u8> {
    let mut out = vec![first];
    out.extend(remaining_length(body.len()));
    out.extend_from_slice(body);
    out
}

/// What a valid CONNECT of `MODULE` carries.
struct Login {
    client_id: String,
    username: String,
    password: String,
}

impl Login {
    /// The login of `MODULE` and the corpus's fixtures: `hub`, `device`, `audience`,
    /// `expiry`, `expiredToken` (signed right, an hour ago), `bigPayload` (300 KB).
    fn new(sim: &Running) -> (Self, Fixtures) {
        let cs = ConnectionString::parse(&sim.module_connection_string(MODULE).unwrap()).unwrap();
        let audience = cs.audience().to_string();
        let now = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .unwrap()
            .as_secs();
        let expiry = now + 3600;
        let token = SasToken::sign(&audience, cs.shared_access_key(), None, expiry);
        let expired = SasToken::sign(&audience, cs.shared_access_key(), None, now - 3600);
        let device = sim.device_id();
        let mut fixtures = Fixtures::default();
        fixtures.set("hub", sim.hub_host());
        fixtures.set("device", device.clone());
        fixtures.set("audience", hub_proto::encoding::encode_component(&audience));
        fixtures.set("expiry", expiry.to_string());
        fixtures.set("expiredToken", expired.to_string());
        fixtures.set("bigPayload", "x".repeat(300 * 1024));
        let login = Self {
            client_id: format!("{device}/{MODULE}"),
            username: format!(
                "{}/{device}/{MODULE}/?api-version=2018-06-30",
                sim.hub_host()
            ),
            password: token.to_string(),
        };
        (login, fixtures)
    }

    /// A CONNECT with `changes` (`protocol`, `level`, `flags`, `keepAlive`, `clientId`,
    /// `username`, `password`; `null` leaves a field out).
    fn connect(&self, changes: &Value) -> Vec<u8> {
        let field = |name: &str, default: &str| -> Option<String> {
            match changes.get(name) {
                Some(Value::Null) => None,
                Some(v) => Some(v.as_str().unwrap().to_owned()),
                None => Some(default.to_owned()),
            }
        };
        let username = field("username", &self.username);
        let password = field("password", &self.password);
        let mut flags = 0x02; // clean session
        if username.is_some() {
            flags |= 0x80;
        }
        if password.is_some() {
            flags |= 0x40;
        }
        let flags = changes["flags"]
            .as_u64()
            .map_or(flags, |f| u8::try_from(f).unwrap());
        let level = changes["level"]
            .as_u64()
            .map_or(4, |l| u8::try_from(l).unwrap());
        let keep_alive = changes["keepAlive"]
            .as_u64()
            .map_or(60, |k| u16::try_from(k).unwrap());
        let mut body = mqtt_string(changes["protocol"].as_str().unwrap_or("MQTT"));
        body.push(level);
        body.push(flags);
        body.extend(keep_alive.to_be_bytes());
        body.extend(mqtt_string(
            &field("clientId", &self.client_id).unwrap_or_default(),
        ));
        for value in [username, password].into_iter().flatten() {
            body.extend(mqtt_string(&value));
        }
        packet(0x10, &body)
    }
}

/// The bytes of one frame of a case.
fn frame(login: &Login, frame: &Value) -> Vec<u8> {
    if let Some(changes) = frame.get("connect") {
        return login.connect(changes);
    }
    if let Some(hex) = frame.get("hex") {
        let hex: String = hex
            .as_str()
            .unwrap()
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect();
        return (0..hex.len())
            .step_by(2)
            .map(|i| u8::from_str_radix(&hex[i..i + 2], 16).unwrap())
            .collect();
    }
    if let Some(text) = frame.get("text") {
        return text.as_str().unwrap().as_bytes().to_vec();
    }
    if let Some(publish) = frame.get("publish") {
        let qos = publish["qos"].as_u64().unwrap_or(1);
        let mut body = mqtt_string(publish["topic"].as_str().unwrap());
        if qos > 0 {
            body.extend(7u16.to_be_bytes());
        }
        body.extend_from_slice(publish["payload"].as_str().unwrap_or_default().as_bytes());
        return packet(0x30 | (u8::try_from(qos).unwrap() << 1), &body);
    }
    if let Some(filters) = frame.get("subscribe") {
        let mut body = 9u16.to_be_bytes().to_vec();
        for filter in filters.as_array().unwrap() {
            body.extend(mqtt_string(filter.as_str().unwrap()));
            body.push(1);
        }
        return packet(0x82, &body);
    }
    panic!("unknown frame {frame}")
}

/// One packet received, summarised.
fn summary(kind: u8, body: &[u8]) -> String {
    match kind >> 4 {
        2 => format!("CONNACK {}", body.get(1).copied().unwrap_or(255)),
        3 => {
            let len = usize::from(u16::from_be_bytes([body[0], body[1]]));
            let topic = String::from_utf8_lossy(&body[2..2 + len]);
            let skip = if kind & 0x06 == 0 { 2 + len } else { 4 + len };
            format!("PUBLISH {topic} {}", String::from_utf8_lossy(&body[skip..]))
        }
        4 => format!("PUBACK {}", u16::from_be_bytes([body[0], body[1]])),
        9 => format!(
            "SUBACK {}",
            body[2..]
                .iter()
                .map(u8::to_string)
                .collect::<Vec<_>>()
                .join(",")
        ),
        13 => "PINGRESP".to_owned(),
        other => format!("packet type {other}"),
    }
}

/// Splits `bytes` into packets.
fn packets(bytes: &[u8]) -> Vec<String> {
    let mut out = Vec::new();
    let mut at = 0;
    while at < bytes.len() {
        let kind = bytes[at];
        let (mut len, mut shift, mut i) = (0usize, 0, at + 1);
        while let Some(&b) = bytes.get(i) {
            len |= usize::from(b & 0x7f) << shift;
            shift += 7;
            i += 1;
            if b & 0x80 == 0 {
                break;
            }
        }
        let Some(body) = bytes.get(i..i + len) else {
            out.push("a truncated packet".to_owned());
            break;
        };
        out.push(summary(kind, body));
        at = i + len;
    }
    out
}

/// Opens a connection to the broker.
fn open(sim: &Running, tls: bool) -> Stream {
    let tcp = TcpStream::connect(("127.0.0.1", sim.mqtt_port())).unwrap();
    if !tls {
        tcp.set_read_timeout(Some(Duration::from_millis(100)))
            .unwrap();
        return Stream::Plain(tcp);
    }
    let tls = tls_unverified(tcp);
    Stream::Tls(Box::new(tls))
}

/// Reads into `received` until `done` says so, the broker closes (`true`), or `quiet` passes
/// without a byte.
fn read_until(
    stream: &mut Stream,
    received: &mut Vec<u8>,
    quiet: Duration,
    done: impl Fn(&[u8]) -> bool,
) -> bool {
    let mut quiet_since = Instant::now();
    let mut buf = [0u8; 16384];
    while quiet_since.elapsed() < quiet && !done(received) {
        match stream.read(&mut buf) {
            Ok(0) => return true,
            Ok(n) => {
                received.extend_from_slice(&buf[..n]);
                quiet_since = Instant::now();
            }
            Err(e) if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => {}
            Err(_) => return true,
        }
    }
    false
}

/// Sends the case's frames (after a `connect`, waits for the broker's answer); returns the
/// packets received and whether the broker closed the connection.
fn exchange(sim: &Running, login: &Login, case: &Value) -> (Vec<String>, bool) {
    let tls = case["tls"].as_bool().unwrap_or(true);
    // A case may say how long the broker may take to close (its CONNECT timeout).
    let quiet = case["within"].as_u64().map_or(QUIET, Duration::from_secs);
    let mut stream = open(sim, tls);
    let mut received = Vec::new();
    let mut closed = false;
    for f in case["frames"].as_array().unwrap() {
        if stream.write_all(&frame(login, f)).is_err() {
            closed = true;
            break;
        }
        if f.get("connect").is_some() {
            let before = received.len();
            closed = read_until(&mut stream, &mut received, ANSWER, |r| r.len() > before);
            if closed {
                break;
            }
        }
    }
    // First what the case expects (however slow the machine), then quiet or the close.
    let expected = case["expect"]["received"].as_array().map_or(0, Vec::len);
    if !closed {
        closed = read_until(&mut stream, &mut received, ANSWER, |r| {
            packets(r).len() >= expected
        });
    }
    if !closed {
        closed = read_until(&mut stream, &mut received, quiet, |_| false);
    }
    (packets(&received), closed)
}

/// `Ok` when the case's expectation holds.
fn check_case(sim: &Running, login: &Login, case: &Value) -> Result<(), String> {
    let (received, closed) = exchange(sim, login, case);
    let expect = &case["expect"];
    let wanted: Vec<&str> = expect["received"]
        .as_array()
        .map(|r| r.iter().map(|p| p.as_str().unwrap()).collect())
        .unwrap_or_default();
    let matches = wanted.len() == received.len()
        && wanted.iter().zip(&received).all(|(w, r)| r.starts_with(w));
    let wanted_closed = expect["closed"].as_bool().unwrap();
    if !matches || closed != wanted_closed {
        return Err(format!(
            "expected {wanted:?} and closed = {wanted_closed}, got {received:?} and closed = {closed}"
        ));
    }
    Ok(())
}

fn client_options(sim: &Running) -> ClientOptions {
    ClientOptions {
        port: sim.mqtt_port(),
        ..ClientOptions::default()
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_malformed_mqtt_connection_is_refused_or_closed_and_the_broker_serves_on() {
    let corpus = Corpus::load("mqtt");
    let dir = tempfile::tempdir().unwrap();
    let sim = sim(&dir.path().join("edge-sim"), &[MODULE, "other"]).await;
    // Another module, connected throughout.
    let cs = sim.module_connection_string("other").unwrap();
    let other =
        ModuleClient::from_connection_string(&cs, sim.ca_pem(), client_options(&sim)).unwrap();
    other
        .update_reported(json!({ "before": true }))
        .await
        .unwrap();
    let (login, fixtures) = Login::new(&sim);
    // Every case on its own connection. The ones that log in (or may: the pending ones) run
    // one after the other, as a second connection of a module takes over the first; the
    // others all at once, as some wait for the broker's CONNECT timeout.
    let logs_in = |case: &Value| {
        case.get("pending").is_some()
            || case["frames"]
                .as_array()
                .unwrap()
                .iter()
                .any(|f| f.get("connect") == Some(&json!({})))
    };
    let run = |case: &Value| check_case(&sim, &login, &fixtures.resolve(case));
    let outcomes: Vec<(&Value, Result<(), String>)> = tokio::task::block_in_place(|| {
        std::thread::scope(|s| {
            let handles: Vec<_> = corpus
                .cases()
                .iter()
                .filter(|case| !logs_in(case))
                .map(|case| s.spawn(move || (case, run(case))))
                .collect();
            let mut outcomes: Vec<_> = corpus
                .cases()
                .iter()
                .filter(|case| logs_in(case))
                .map(|case| (case, run(case)))
                .collect();
            outcomes.extend(handles.into_iter().map(|h| h.join().unwrap()));
            outcomes
        })
    });
    let mut failures = Vec::new();
    for (case, outcome) in &outcomes {
        let name = text(case, "name");
        match (case.get("pending"), outcome) {
            (None, Err(why)) => failures.push(format!("{name}: {why}")),
            (Some(_), Ok(())) => failures.push(format!("{name}: passes now; drop its `pending`")),
            (Some(pending), Err(why)) => {
                eprintln!("bad input mqtt: pending {name:?} ({pending}): {why}");
            }
            (None, Ok(())) => {}
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} cases failed:\n{}",
        failures.len(),
        corpus.cases().len(),
        failures.join("\n")
    );
    // The broker serves the module that stayed and a new connection of the one under test.
    other
        .update_reported(json!({ "after": true }))
        .await
        .unwrap();
    let twin = other.get_twin().await.unwrap();
    assert_eq!(twin.reported["after"], true);
    let cs = sim.module_connection_string(MODULE).unwrap();
    let fresh =
        ModuleClient::from_connection_string(&cs, sim.ca_pem(), client_options(&sim)).unwrap();
    fresh
        .update_reported(json!({ "alive": true }))
        .await
        .unwrap();
    assert_eq!(
        sim.twin(MODULE).unwrap().reported.properties()["alive"],
        true
    );
    fresh.shutdown().await;
    other.shutdown().await;
    eprintln!("bad input mqtt: {} cases", corpus.cases().len());
}
