//! The `opc-plc` binary against another OPC UA stack: Python `asyncua` (pinned in
//! `requirements-test.txt`) as the client, over `Basic256Sha256` and `Aes256_Sha256_RsaPss` with
//! `SignAndEncrypt` (issue #4, "Tests that must exist").
//!
//! Each test runs one PLC process on 127.0.0.1 with a port the OS picks and a temporary store,
//! drives `tests/python/ua_client.py` with a JSON plan, and asserts on both sides: what the
//! client saw, what the server logged and what landed in the store.

#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

mod common;

use common::plc::Plc;

use std::io::{Read as _, Write as _};
use std::os::unix::fs::OpenOptionsExt as _;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use pki::{Crl, Operation, PlanOptions, Store, StoreLayout};
use serde_json::{Value, json};
use test_support::{Ca, Issued, LeafSpec, TestStore, self_signed};

/// The policies issue #4 names, as asyncua spells them.
const POLICIES: [&str; 2] = ["Basic256Sha256", "Aes256Sha256RsaPss"];
const CLIENT_URI: &str = "urn:asyncua:interop:client";

/// A client certificate, its key and the CA certificates it sends, as files asyncua reads
/// (it picks the format by extension).
struct ClientFiles {
    _dir: tempfile::TempDir,
    cert: PathBuf,
    key: PathBuf,
    chain: Vec<PathBuf>,
    thumbprint: String,
    cn: String,
}

impl ClientFiles {
    fn new(issued: &Issued, chain: &[&Ca]) -> Self {
        let dir = tempfile::tempdir().unwrap();
        let cert = dir.path().join("client.pem");
        let key = dir.path().join("client.key.pem");
        std::fs::write(&cert, issued.pem()).unwrap();
        // Private keys are 0600, in tests too.
        std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(0o600)
            .open(&key)
            .unwrap()
            .write_all(&issued.key_pem_pkcs8())
            .unwrap();
        let chain = chain
            .iter()
            .enumerate()
            .map(|(i, ca)| {
                let path = dir.path().join(format!("ca{i}.der"));
                std::fs::write(&path, ca.der()).unwrap();
                path
            })
            .collect();
        Self {
            _dir: dir,
            cert,
            key,
            chain,
            thumbprint: issued.thumbprint(),
            cn: issued.cn(),
        }
    }

    /// One connection attempt with `policy` (`SignAndEncrypt`) running `actions`.
    fn attempt(&self, policy: &str, actions: &[Value]) -> Value {
        json!({
            "policy": policy,
            "mode": "SignAndEncrypt",
            "certificate": self.cert,
            "private_key": self.key,
            "application_uri": CLIENT_URI,
            "chain": self.chain,
            "actions": actions,
        })
    }
}

/// A running `ua_client.py`.
struct Python {
    child: Child,
    stdout: std::thread::JoinHandle<Vec<u8>>,
    stderr: std::thread::JoinHandle<Vec<u8>>,
    count: usize,
    _plan_dir: tempfile::TempDir,
}

/// Starts `ua_client.py` with `attempts` against `plc`.
fn spawn_asyncua(plc: &Plc, attempts: &[Value]) -> Python {
    let python = test_support::python::python(&["asyncua"]);
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/python/ua_client.py");
    let plan_dir = tempfile::tempdir().unwrap();
    let plan = plan_dir.path().join("plan.json");
    let count = attempts.len();
    std::fs::write(
        &plan,
        serde_json::to_vec(&json!({
            "url": plc.url(),
            "server_certificate": plc.server_certificate(),
            "timeout": 10,
            "attempts": attempts,
        }))
        .unwrap(),
    )
    .unwrap();
    let mut child = Command::new(python)
        .arg(&script)
        .arg(&plan)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let drain = |mut pipe: Box<dyn std::io::Read + Send>| {
        std::thread::spawn(move || {
            let mut bytes = Vec::new();
            pipe.read_to_end(&mut bytes).unwrap();
            bytes
        })
    };
    let stdout = drain(Box::new(child.stdout.take().unwrap()));
    let stderr = drain(Box::new(child.stderr.take().unwrap()));
    Python {
        child,
        stdout,
        stderr,
        count,
        _plan_dir: plan_dir,
    }
}

/// Waits for `python` to end; returns one result per attempt.
fn finish(plc: &Plc, mut python: Python) -> Vec<Value> {
    // Every request has a 10 s timeout in the plan; this only stops a hung interpreter.
    let deadline = Instant::now() + Duration::from_secs(60 + 15 * python.count as u64);
    let status = loop {
        if let Some(status) = python.child.try_wait().unwrap() {
            break status;
        }
        if Instant::now() > deadline {
            let _ = python.child.kill();
            panic!("ua_client.py hung; server log:\n{}", plc.text());
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let stdout = python.stdout.join().unwrap();
    let stderr = python.stderr.join().unwrap();
    let stderr = String::from_utf8_lossy(&stderr);
    assert!(
        status.success(),
        "ua_client.py failed ({status}):\n{stderr}\nserver log:\n{}",
        plc.text()
    );
    let result: Value = serde_json::from_slice(&stdout)
        .unwrap_or_else(|e| panic!("ua_client.py printed no JSON ({e}):\n{stderr}"));
    let attempts = result["attempts"].as_array().unwrap().clone();
    assert_eq!(attempts.len(), python.count);
    attempts
}

/// Runs `ua_client.py` with `attempts` against `plc`; returns one result per attempt.
fn asyncua(plc: &Plc, attempts: &[Value]) -> Vec<Value> {
    finish(plc, spawn_asyncua(plc, attempts))
}

fn read(node: &str) -> Value {
    json!({ "read": node })
}

fn assert_refused(result: &Value, what: &str) {
    assert_eq!(result["connected"], false, "{what}: {result:#}");
    // OPC 10000-4 §5.5.2 / OPC 10000-6 §6.7.4: the server hides the reason at
    // OpenSecureChannel; the specific code is in its log.
    assert_eq!(
        result["error"]["status"], "BadSecurityChecksFailed",
        "{what}: {result:#}"
    );
}

fn assert_connected(result: &Value, what: &str) {
    assert_eq!(result["connected"], true, "{what}: {result:#}");
}

/// Asserts that the result of reading `i=2258` (`Server_ServerStatus_CurrentTime`) is a
/// `DateTime` close to the test machine's clock.
fn assert_current_time(action: &Value) {
    assert_eq!(action["read"], "i=2258", "{action:#}");
    assert_eq!(action["status"], "Good", "{action:#}");
    assert_eq!(action["type"], "DateTime", "{action:#}");
    let server = action["unix"].as_f64().unwrap();
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs_f64();
    assert!(
        (server - now).abs() < 60.0,
        "server time {server} vs now {now}"
    );
}

/// A PLC on a store trusting a CA, and a client certificate of that CA as files asyncua reads.
/// Bind the store (`store: _store`) before the PLC when taking it apart: bindings drop in
/// reverse order, so the PLC stops before its store is removed.
struct Trusted {
    plc: Plc,
    store: TestStore,
    files: ClientFiles,
    client: Issued,
    ca: Ca,
}

impl Trusted {
    /// Starts the PLC with `extra` arguments.
    fn start(extra: &[&str]) -> Self {
        let ca = Ca::root("Interop CA");
        let client = ca.leaf(LeafSpec::client("AsyncuaClient", CLIENT_URI));
        let files = ClientFiles::new(&client, &[]);
        let store = store_trusting(&ca);
        let plc = Plc::start(store.path(), extra);
        Self {
            plc,
            store,
            files,
            client,
            ca,
        }
    }
}

/// A store trusting `ca` (trusted and issuer lists, with its current CRL in both), as the seed's
/// step 2 leaves it (docs/reference/seed-walkthrough.md).
fn store_trusting(ca: &Ca) -> TestStore {
    let crl = ca.crl(&[]);
    TestStore::new()
        .with_trusted(ca.cert())
        .with_issuer(ca.cert())
        .with_trusted_crl(&crl)
        .with_issuer_crl(&crl)
}

#[test]
fn a_self_signed_client_is_refused_as_untrusted_and_lands_in_rejected_certs() {
    let store = TestStore::new();
    let plc = Plc::start(store.path(), &[]);
    let intruders: Vec<(Issued, ClientFiles)> = POLICIES
        .iter()
        .map(|policy| {
            let issued = self_signed(LeafSpec::client(&format!("Intruder {policy}"), CLIENT_URI));
            let files = ClientFiles::new(&issued, &[]);
            (issued, files)
        })
        .collect();

    let results = asyncua(
        &plc,
        &POLICIES
            .iter()
            .zip(&intruders)
            .map(|(policy, (_, files))| files.attempt(policy, &[read("i=2258")]))
            .collect::<Vec<_>>(),
    );

    let rejected = plc.rejected();
    for ((policy, (issued, files)), result) in POLICIES.iter().zip(&intruders).zip(&results) {
        assert_refused(result, policy);
        assert!(result["actions"].as_array().unwrap().is_empty());
        plc.assert_logged(&["BadCertificateUntrusted", &format!("CN={}", files.cn)]);
        assert!(
            rejected.contains(&issued.der()),
            "{policy}: {} is not in rejected/certs",
            files.thumbprint
        );
    }
    assert_eq!(rejected.len(), POLICIES.len());
    assert_eq!(plc.count_logged(&["BadCertificateRevoked"]), 0);
}

#[test]
fn a_ca_signed_client_reads_the_time_and_the_telemetry_and_calls_the_methods() {
    // Phases of 4 cycles of 50 ms, so a second of sampling sees several of them.
    let Trusted {
        store: _store,
        files,
        plc,
        ..
    } = Trusted::start(&["--sc=4", "--ct=50"]);

    let results = asyncua(
        &plc,
        &POLICIES
            .iter()
            .map(|policy| files.attempt(policy, &telemetry_actions()))
            .collect::<Vec<_>>(),
    );

    for (policy, result) in POLICIES.iter().zip(&results) {
        assert_connected(result, policy);
        let actions = result["actions"].as_array().unwrap();
        assert_eq!(actions.len(), telemetry_actions().len(), "{result:#}");
        assert_current_time(&actions[0]);
        for (i, (name, value_type)) in TELEMETRY.iter().enumerate() {
            assert_eq!(
                actions[1]["rows"][0][i]["type"], *value_type,
                "{policy}: {name}"
            );
        }
        assert_telemetry_moves(&rows(&actions[1]));
        assert_methods_work(policy, actions);
    }
    assert!(plc.rejected().is_empty());
    assert_eq!(plc.count_logged(&["rejected: Bad"]), 0, "{}", plc.text());
}

/// The reference's telemetry nodes (docs/reference/opc-ua-apps.md §1.6) and the variant type each
/// has.
const TELEMETRY: [(&str, &str); 8] = [
    ("AlternatingBoolean", "Boolean"),
    ("RandomSignedInt32", "Int32"),
    ("RandomUnsignedInt32", "UInt32"),
    ("StepUp", "UInt32"),
    ("SpikeData", "Double"),
    ("DipData", "Double"),
    ("PositiveTrendData", "Float"),
    ("NegativeTrendData", "Float"),
];
const NAMESPACE: &str = "http://microsoft.com/Opc/OpcPlc/";

/// A node of the OPC PLC namespace by its string identifier (the reference's node ids).
fn plc_node(name: &str) -> String {
    format!("nsu={NAMESPACE};s={name}")
}

fn sample(names: &[&str], count: u32) -> Value {
    let nodes: Vec<String> = names.iter().map(|n| plc_node(n)).collect();
    json!({ "sample": { "nodes": nodes, "count": count, "interval": 0.05 } })
}

fn call(method: &str) -> Value {
    json!({ "call": { "object": plc_node("Methods"), "method": plc_node(method) } })
}

fn sleep(seconds: f64) -> Value {
    json!({ "sleep": seconds })
}

/// Read the time, watch every telemetry node for a while, then each method and its effect.
/// The indexes are the ones [`assert_methods_work`] reads.
fn telemetry_actions() -> Vec<Value> {
    let names = TELEMETRY.map(|(n, _)| n);
    vec![
        read("i=2258"),
        sample(&names, 24),
        call("StopStepUp"),
        sleep(0.3),
        sample(&["StepUp"], 6),
        call("ResetStepUp"),
        sleep(0.3),
        sample(&["StepUp"], 4),
        call("StartStepUp"),
        sleep(0.3),
        sample(&["StepUp"], 4),
        sample(&["PositiveTrendData", "NegativeTrendData"], 1),
        call("ResetTrend"),
        sleep(0.3),
        sample(&["PositiveTrendData", "NegativeTrendData"], 1),
    ]
}

/// The rows of a `sample` action: per row, per node, the value (every read Good).
fn rows(action: &Value) -> Vec<Vec<Value>> {
    assert!(action.get("error").is_none(), "{action:#}");
    action["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|row| {
            row.as_array()
                .unwrap()
                .iter()
                .map(|cell| {
                    assert_eq!(cell["status"], "Good", "{action:#}");
                    cell["value"].clone()
                })
                .collect()
        })
        .collect()
}

fn column(rows: &[Vec<Value>], i: usize) -> Vec<Value> {
    rows.iter().map(|r| r[i].clone()).collect()
}

fn numbers(values: &[Value]) -> Vec<f64> {
    values.iter().map(|v| v.as_f64().unwrap()).collect()
}

fn integers(values: &[Value]) -> Vec<i64> {
    values.iter().map(|v| v.as_i64().unwrap()).collect()
}

fn non_decreasing<T: PartialOrd>(values: &[T]) -> bool {
    values.windows(2).all(|w| w[0] <= w[1])
}

/// Not every value the same (JSON equality: the values are exactly what the server sent).
fn changes(values: &[Value]) -> bool {
    values.iter().any(|v| *v != values[0])
}

/// Values follow docs/reference/opc-ua-apps.md §1.6 over about six phases of four cycles.
fn assert_telemetry_moves(rows: &[Vec<Value>]) {
    assert!(rows.len() > 1);
    let alternating = column(rows, 0);
    assert!(
        alternating.contains(&json!(true)) && alternating.contains(&json!(false)),
        "AlternatingBoolean does not toggle: {alternating:?}"
    );
    for (i, name) in [(1, "RandomSignedInt32"), (2, "RandomUnsignedInt32")] {
        let values = column(rows, i);
        assert!(changes(&values), "{name} does not change: {values:?}");
    }
    assert!(integers(&column(rows, 2)).iter().all(|v| *v >= 0));
    let step_up = integers(&column(rows, 3));
    assert!(
        non_decreasing(&step_up) && step_up.last() > step_up.first(),
        "StepUp does not count up: {step_up:?}"
    );
    // A sine of amplitude 100 with one spike of x10 (dip of x-10) per phase.
    let sine = |v: f64| v.abs() <= 100.0 + 1e-9;
    let is = |v: f64, want: f64| (v - want).abs() < 1e-9;
    let spike = numbers(&column(rows, 4));
    assert!(
        spike.iter().all(|v| sine(*v) || is(*v, 1000.0)),
        "SpikeData: {spike:?}"
    );
    let dip = numbers(&column(rows, 5));
    assert!(
        dip.iter().all(|v| sine(*v) || is(*v, -1000.0)),
        "DipData: {dip:?}"
    );
    for i in [4, 5] {
        assert!(changes(&column(rows, i)), "{:?}", column(rows, i));
    }
    let positive = numbers(&column(rows, 6));
    assert!(
        non_decreasing(&positive) && positive.last() > positive.first() && positive[0] >= 100.0,
        "PositiveTrendData: {positive:?}"
    );
    let negative: Vec<f64> = numbers(&column(rows, 7)).iter().map(|v| -v).collect();
    assert!(
        non_decreasing(&negative) && negative.last() > negative.first() && negative[0] >= -100.0,
        "NegativeTrendData (negated): {negative:?}"
    );
}

/// Every method answers Good and has its effect (actions of [`telemetry_actions`]).
fn assert_methods_work(policy: &str, actions: &[Value]) {
    for i in [2, 5, 8, 12] {
        assert_eq!(actions[i]["status"], "Good", "{policy}: {:#}", actions[i]);
        assert_eq!(
            actions[i]["outputs"],
            json!([]),
            "{policy}: {:#}",
            actions[i]
        );
    }
    let stopped = integers(&column(&rows(&actions[4]), 0));
    assert!(
        stopped.iter().all(|v| *v == stopped[0]),
        "{policy}: StepUp moves after StopStepUp: {stopped:?}"
    );
    let reset = integers(&column(&rows(&actions[7]), 0));
    assert!(
        reset.iter().all(|v| *v == 0),
        "{policy}: StepUp after ResetStepUp (stopped): {reset:?}"
    );
    let started = integers(&column(&rows(&actions[10]), 0));
    assert!(
        non_decreasing(&started) && started[0] > 0,
        "{policy}: StepUp after StartStepUp: {started:?}"
    );
    let before = numbers(&rows(&actions[11])[0]);
    let after = numbers(&rows(&actions[14])[0]);
    assert!(
        after[0] < before[0] && after[0] >= 100.0,
        "{policy}: PositiveTrendData {before:?} -> {after:?} after ResetTrend"
    );
    assert!(
        after[1] > before[1] && after[1] <= 100.0,
        "{policy}: NegativeTrendData {before:?} -> {after:?} after ResetTrend"
    );
}

#[test]
fn a_crl_revoking_the_client_written_while_the_plc_runs_closes_its_sessions_and_refuses_it() {
    let Trusted {
        ca,
        client,
        store,
        files,
        plc,
    } = Trusted::start(&[]);
    let flags = tempfile::tempdir().unwrap();
    let go = flags.path().join("go");

    // One open session per policy (one client process each), held across the revocation.
    let mut held: Vec<(PathBuf, Python)> = POLICIES
        .iter()
        .enumerate()
        .map(|(i, policy)| {
            let ready = flags.path().join(format!("ready{i}"));
            let attempt = files.attempt(
                policy,
                &[
                    read("i=2258"),
                    json!({ "signal": ready }),
                    json!({ "wait_for": { "path": go, "timeout": 60 } }),
                    read("i=2258"),
                ],
            );
            (ready, spawn_asyncua(&plc, &[attempt]))
        })
        .collect();
    let deadline = Instant::now() + Duration::from_secs(30);
    while let Some(i) = held.iter().position(|(ready, _)| !ready.exists()) {
        if held[i].1.child.try_wait().unwrap().is_some() {
            let (_, python) = held.remove(i);
            panic!(
                "a client ended before its session opened: {:#?}",
                finish(&plc, python)
            );
        }
        assert!(
            Instant::now() < deadline,
            "no session opened:\n{}",
            plc.text()
        );
        std::thread::sleep(Duration::from_millis(20));
    }

    // The CA revokes the client; the new CRL goes into the running PLC's store through `pki`
    // (as the twin reconciliation and the CLI's --updatecrlbase64 do).
    let revoking = ca.crl(&[&client.cert]);
    Store::open(StoreLayout::under(store.path()))
        .unwrap()
        .transact(
            vec![Operation::UpdateCrl(Crl::from_der(&revoking).unwrap())],
            &PlanOptions::new(test_support::now()),
        )
        .unwrap();
    let closing = [
        "Closing the session of 'CN=AsyncuaClient'",
        "BadCertificateRevoked",
    ];
    wait_until(&plc, "the revoked sessions to close", || {
        plc.count_logged(&closing) >= POLICIES.len()
    });
    std::fs::write(&go, b"go").unwrap();

    for ((_, python), policy) in held.into_iter().zip(POLICIES) {
        let result = finish(&plc, python).remove(0);
        assert_connected(&result, policy);
        let actions = result["actions"].as_array().unwrap();
        assert_current_time(&actions[0]);
        assert!(actions[2].get("error").is_none(), "{policy}: {result:#}");
        // The server closed the session: the read after the revocation fails.
        let after = &actions[3]["error"]["status"];
        assert!(
            *after == "BadSessionIdInvalid" || *after == "BadSessionClosed",
            "{policy}: the revoked client still reads: {result:#}"
        );
    }

    // New connections of the revoked client are refused.
    let attempts: Vec<Value> = POLICIES
        .iter()
        .map(|policy| files.attempt(policy, &[read("i=2258")]))
        .collect();
    for (policy, result) in POLICIES.iter().zip(&asyncua(&plc, &attempts)) {
        assert_refused(result, policy);
    }
    let refused = ["rejected: BadCertificateRevoked", "CN=AsyncuaClient"];
    plc.assert_logged(&refused);
    assert!(
        plc.count_logged(&refused) >= POLICIES.len(),
        "{}",
        plc.text()
    );
}

/// Polls `done` until it holds (panics with the server log after 30 s).
fn wait_until(plc: &Plc, what: &str, mut done: impl FnMut() -> bool) {
    let deadline = Instant::now() + Duration::from_secs(30);
    while !done() {
        assert!(
            Instant::now() < deadline,
            "timed out waiting for {what}; server log:\n{}",
            plc.text()
        );
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[test]
fn a_client_sending_its_intermediate_is_accepted_with_only_the_root_trusted() {
    let root = Ca::root("Interop Root CA");
    let intermediate = root.intermediate("Interop Intermediate CA");
    // Only the root is trusted; the intermediate is in no list (its CRL is published with the
    // root's, as a CA's CRL chain is).
    let store = TestStore::new()
        .with_trusted(root.cert())
        .with_trusted_crl(&root.crl(&[]))
        .with_trusted_crl(&intermediate.crl(&[]));
    let plc = Plc::start(store.path(), &[]);
    // Per policy, one client sends its chain in OpenSecureChannel and CreateSession (asyncua's
    // host certificate), the other, like the .NET stack, in OpenSecureChannel only (the leaf
    // alone at CreateSession). Distinct leaves, so no attempt profits from another's chain.
    let clients: Vec<(&str, bool, ClientFiles, ClientFiles)> = POLICIES
        .iter()
        .flat_map(|policy| [(*policy, true), (*policy, false)])
        .map(|(policy, at_create_session)| {
            let cn = format!("ChainClient {policy} {at_create_session}");
            let leaf = intermediate.leaf(LeafSpec::client(&cn, CLIENT_URI));
            (
                policy,
                at_create_session,
                ClientFiles::new(&leaf, &[]),
                ClientFiles::new(&leaf, &[&intermediate]),
            )
        })
        .collect();

    let mut attempts = Vec::new();
    // First each leaf alone: without the intermediate no chain can be built, which also proves
    // the server had not seen the chain before the accepted attempts.
    for (policy, _, leaf_only, _) in &clients {
        attempts.push(leaf_only.attempt(policy, &[read("i=2258")]));
    }
    for (policy, at_create_session, _, with_chain) in &clients {
        let mut attempt = with_chain.attempt(policy, &[read("i=2258")]);
        attempt["chain_at_create_session"] = json!(at_create_session);
        attempts.push(attempt);
    }
    let results = asyncua(&plc, &attempts);

    let (refused, accepted) = results.split_at(clients.len());
    for ((policy, at_create_session, leaf_only, _), result) in clients.iter().zip(refused) {
        assert_refused(result, &format!("{policy} {at_create_session}, leaf only"));
        plc.assert_logged(&[
            "BadCertificateChainIncomplete",
            &format!("CN={}", leaf_only.cn),
        ]);
    }
    for ((policy, at_create_session, _, _), result) in clients.iter().zip(accepted) {
        assert_connected(
            result,
            &format!("{policy}, chain at CreateSession: {at_create_session}"),
        );
        assert_current_time(&result["actions"][0]);
    }
}

/// The server's session diagnostics (OPC 10000-5 §6.3.4, `SessionsDiagnosticsSummaryType`): the
/// two mandatory arrays name every open session with the certificate it was admitted with and
/// count its requests, while no node is instantiated per session (ADR 0019: the per-session
/// object is an `OptionalPlaceholder`, and open62541 is patched not to create it, for P4).
#[test]
fn the_session_diagnostics_arrays_show_each_sessions_certificate_without_a_node_per_session() {
    let Trusted {
        store: _store,
        client,
        files,
        plc,
        ..
    } = Trusted::start(&[]);

    let results = asyncua(
        &plc,
        &[files.attempt(
            "Basic256Sha256",
            &[
                // SessionSecurityDiagnosticsArray, SessionDiagnosticsArray, CurrentSessionCount.
                read("i=3708"),
                read("i=3707"),
                read("i=2277"),
                json!({ "browse": "i=3706" }),
            ],
        )],
    );

    let result = &results[0];
    assert_connected(result, "Basic256Sha256");
    let actions = result["actions"].as_array().unwrap();

    let security = array(&actions[0]);
    assert_eq!(security.len(), 1, "one session open: {:#}", actions[0]);
    let ours = &security[0];
    assert_eq!(
        ours["ClientCertificate"],
        hex(&client.der()),
        "the certificate the session was admitted with: {ours:#}"
    );
    assert_eq!(
        ours["SecurityPolicyUri"],
        "http://opcfoundation.org/UA/SecurityPolicy#Basic256Sha256"
    );
    // MessageSecurityMode SignAndEncrypt.
    assert_eq!(ours["SecurityMode"], 3, "{ours:#}");
    let session_id = ours["SessionId"].as_str().unwrap();

    let sessions = array(&actions[1]);
    assert_eq!(sessions.len(), 1, "{:#}", actions[1]);
    let session = &sessions[0];
    assert_eq!(session["SessionId"], session_id, "{session:#}");
    assert_eq!(session["ClientDescription"]["ApplicationUri"], CLIENT_URI);
    // The read of the security array before it is counted.
    assert!(
        session["ReadCount"]["TotalCount"].as_u64().unwrap() >= 1,
        "{session:#}"
    );

    assert_eq!(
        actions[2]["value"], 1,
        "CurrentSessionCount: {:#}",
        actions[2]
    );
    let mut children: Vec<&str> = array_of(&actions[3], "names")
        .iter()
        .map(|n| n.as_str().unwrap())
        .collect();
    children.sort_unstable();
    assert_eq!(
        children,
        ["SessionDiagnosticsArray", "SessionSecurityDiagnosticsArray"],
        "no object per session under SessionsDiagnosticsSummary: {:#}",
        actions[3]
    );
}

/// The array value a read action returned.
fn array(action: &Value) -> &Vec<Value> {
    array_of(action, "value")
}

fn array_of<'a>(action: &'a Value, key: &str) -> &'a Vec<Value> {
    action[key]
        .as_array()
        .unwrap_or_else(|| panic!("an array in {key}: {action:#}"))
}

fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write as _;
    bytes.iter().fold(String::new(), |mut hex, b| {
        write!(hex, "{b:02x}").unwrap();
        hex
    })
}
