//! R4, the trust matrix (`tests/trust-matrix.json`): how our modules decide on a peer's
//! certificate, per OPC 10000-4 Table 106, with another OPC UA stack as the peer. Every case
//! runs twice:
//!
//! - **opc-plc**: an asyncua client (`modules/opc-plc/tests/python/ua_client.py`) presents the
//!   case's certificate (`Basic256Sha256`, `SignAndEncrypt`) to the PLC;
//! - **opc-client**: our client connects to an asyncua server
//!   (`modules/opc-client/tests/python/ua_server.py`) that presents it.
//!
//! Our side holds the case's trust lists (the root CA trusted; the case's CRLs; the peer itself
//! when the case says so) and policy options (`--drurs`, `--rsha1`). The outcome is asserted on
//! both ends: accepted — the asyncua client read the server time / the asyncua server created
//! a session; refused — our module logged `Certificate '<subject>' rejected: <StatusCode>` with
//! the case's exact code and the peer got no session (the PLC hides the reason from the peer
//! as OPC 10000-4 §5.5.2 asks: asyncua sees `BadSecurityChecksFailed`). Cases sharing a
//! configuration share one PLC or one client process. `docs/trust-matrix.md` holds the same
//! table, generated from the JSON ([`render`]) and checked here, so the two cannot drift.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use openssl::hash::MessageDigest;
use openssl::x509::X509;
use serde_json::{Value, json};
use test_support::{Ca, Issued, LeafSpec, TestStore, self_signed};

use crate::support::{Process, binary, repo_root, text};

/// The `ApplicationUri` of the asyncua client (and of the client certificates).
const CLIENT_URI: &str = "urn:asyncua:matrix:client";
/// The `ApplicationUri` of the asyncua servers.
const SERVER_URI: &str = "urn:asyncua:matrix:server";
/// The security policy of every connection.
const POLICY: &str = "Basic256Sha256";

/// The table, `tests/trust-matrix.json`.
fn matrix() -> Value {
    let path = repo_root().join("tests/trust-matrix.json");
    serde_json::from_slice(&std::fs::read(&path).unwrap())
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn cases(matrix: &Value) -> &[Value] {
    matrix["cases"].as_array().unwrap()
}

/// What a case expects on `side` (`Plc` or `Client`): `accepted` or a `StatusCode` name.
fn expected<'a>(case: &'a Value, side: &str) -> &'a str {
    case.get(format!("expect{side}"))
        .and_then(Value::as_str)
        .unwrap_or_else(|| text(case, "expect"))
}

/// What the asyncua client sees when the PLC refuses it: `BadSecurityChecksFailed` when the
/// certificate is refused at `OpenSecureChannel` (the reason hidden, OPC 10000-4 §5.5.2), the
/// code itself when it is refused at CreateSession/ActivateSession (`peerSees`).
fn peer_sees(case: &Value) -> &str {
    case["peerSees"]
        .as_str()
        .unwrap_or("BadSecurityChecksFailed")
}

/// A case of one side: its number, the case, the peer's certificate.
type Member<'a> = (usize, &'a Value, Peer);

/// The CAs of the matrix.
struct Authorities {
    root: Ca,
    intermediate: Ca,
    revoked_intermediate: Ca,
    stranger: Ca,
}

impl Authorities {
    fn new() -> Self {
        let root = Ca::root("Matrix Root CA");
        Self {
            intermediate: root.intermediate("Matrix Issuing CA"),
            revoked_intermediate: root.intermediate("Matrix Revoked Issuing CA"),
            root,
            stranger: Ca::root("Matrix Stranger CA"),
        }
    }
}

/// The peer's certificate of `case` on `side` (distinct subjects: `TM<nn> <side>`), and the CA
/// certificates it sends after its leaf.
struct Peer {
    issued: Issued,
    chain: Vec<X509>,
}

fn peer(ca: &Authorities, index: usize, case: &Value, side: &str) -> Peer {
    let spec = &case["peer"];
    let cn = format!("TM{index:02} {side}");
    let mut leaf = if side == "Plc" {
        // The PLC's peer is a client.
        LeafSpec::client(&cn, spec["uri"].as_str().unwrap_or(CLIENT_URI))
    } else {
        LeafSpec::server(&cn, spec["uri"].as_str().unwrap_or(SERVER_URI), "localhost")
            .ip("127.0.0.1")
    };
    if spec["expired"] == true {
        leaf = leaf.expired();
    }
    if spec["notYetValid"] == true {
        leaf = leaf.not_yet_valid();
    }
    if let Some(bits) = spec["keyBits"].as_u64() {
        leaf = leaf.key_bits(u32::try_from(bits).unwrap());
    }
    if spec["sha1"] == true {
        leaf = leaf.digest(MessageDigest::sha1());
    }
    if spec["asCa"] == true {
        leaf = leaf.as_ca();
    }
    let issued_by = text(spec, "issuer");
    let (issued, signer) = match issued_by {
        "self" => (self_signed(leaf), None),
        "root" => (ca.root.leaf(leaf), None),
        "intermediate" => (ca.intermediate.leaf(leaf), Some(&ca.intermediate)),
        "revokedIntermediate" => (
            ca.revoked_intermediate.leaf(leaf),
            Some(&ca.revoked_intermediate),
        ),
        "stranger" => (ca.stranger.leaf(leaf), None),
        other => panic!("unknown issuer {other}"),
    };
    let chain = if spec["sendChain"] == true {
        vec![
            signer
                .expect("a chain needs an intermediate")
                .cert()
                .clone(),
        ]
    } else {
        Vec::new()
    };
    Peer { issued, chain }
}

/// Our store for a configuration: the root trusted, the CRLs named, the peers to trust.
fn our_store(ca: &Authorities, root_crl: &[u8], ours: &Value, trusted: &[&X509]) -> TestStore {
    let mut store = TestStore::new().with_trusted(ca.root.cert());
    for peer in trusted {
        store = store.with_trusted(peer);
    }
    for crl in ours["crls"].as_array().unwrap() {
        match crl.as_str().unwrap() {
            "root" => store = store.with_trusted_crl(root_crl),
            "intermediate" => {
                store = store
                    .with_trusted_crl(&ca.intermediate.crl(&[]))
                    .with_trusted_crl(&ca.revoked_intermediate.crl(&[]));
            }
            other => panic!("unknown CRL {other}"),
        }
    }
    store
}

fn options(ours: &Value) -> Vec<String> {
    ours["options"].as_array().map_or_else(Vec::new, |o| {
        o.iter().map(|v| v.as_str().unwrap().to_owned()).collect()
    })
}

/// Writes `issued`'s certificate (PEM) and key (PEM, 0600) under `dir` as `<stem>.pem` and
/// `<stem>.key.pem`, and each chain certificate as `<stem>-chain<i>.pem`.
fn write_identity(dir: &Path, stem: &str, peer: &Peer) -> (PathBuf, PathBuf, Vec<PathBuf>) {
    use std::io::Write as _;
    use std::os::unix::fs::OpenOptionsExt as _;
    let cert = dir.join(format!("{stem}.pem"));
    std::fs::write(&cert, peer.issued.pem()).unwrap();
    let key = dir.join(format!("{stem}.key.pem"));
    std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(&key)
        .unwrap()
        .write_all(&peer.issued.key_pem_pkcs8())
        .unwrap();
    let chain = peer
        .chain
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let path = dir.join(format!("{stem}-chain{i}.pem"));
            std::fs::write(&path, c.to_pem().unwrap()).unwrap();
            path
        })
        .collect();
    (cert, key, chain)
}

/// Whether `lines` hold our refusal of `peer` with `code` (any code when empty); `Err` with
/// what they hold otherwise. The line names the leaf by thumbprint (its subject is the
/// certificate that failed: an issuer's for `BadCertificateIssuer…`).
fn refusal(lines: &str, peer: &Peer, code: &str) -> Result<(), String> {
    let thumbprint = format!("thumbprint={}", peer.issued.thumbprint());
    let ours: Vec<&str> = lines
        .lines()
        .filter(|l| l.contains(&thumbprint) && l.contains("' rejected: "))
        .collect();
    let wanted = format!("' rejected: {code}");
    if ours
        .iter()
        .any(|l| l.contains(&format!("{wanted} ")) || (code.is_empty() && l.contains(&wanted)))
    {
        Ok(())
    } else {
        Err(format!("expected a refusal with {code}, logged {ours:?}"))
    }
}

/// One configuration on the PLC: a PLC with `ours`, an asyncua client per case.
fn plc_group(ca: &Authorities, root_crl: &[u8], ours: &Value, cases: &[Member<'_>]) -> Vec<String> {
    let trusted: Vec<&X509> = cases
        .iter()
        .filter(|(_, case, _)| case["peer"]["trusted"] == true)
        .map(|(_, _, p)| &p.issued.cert)
        .collect();
    let store = our_store(ca, root_crl, ours, &trusted);
    let mut command = Command::new(binary("opc-plc"));
    command
        .current_dir(store.path())
        .env_remove("EdgeHubConnectionString")
        .args(["--pn=0", "--listenhost=127.0.0.1", "--ph=localhost"])
        .args([
            "--ap", "own", "--tp", "trusted", "--ip", "issuer", "--rp", "rejected",
        ])
        .args(options(ours));
    let plc = Process::spawn("opc-plc", command);
    let line = plc.wait_for(&["OPC UA Server started at opc.tcp://localhost:"]);
    let port: u16 = line.rsplit(':').next().unwrap().trim().parse().unwrap();
    let own = std::fs::read_dir(store.path().join("own/certs"))
        .unwrap()
        .next()
        .unwrap()
        .unwrap()
        .path();
    let files = tempfile::tempdir().unwrap();
    let attempts: Vec<Value> = cases
        .iter()
        .map(|(i, _, peer)| {
            let (cert, key, chain) = write_identity(files.path(), &format!("peer{i}"), peer);
            json!({
                "policy": POLICY,
                "mode": "SignAndEncrypt",
                "certificate": cert,
                "private_key": key,
                "application_uri": CLIENT_URI,
                "chain": chain,
                "actions": [{ "read": "i=2258" }],
            })
        })
        .collect();
    let plan = files.path().join("plan.json");
    std::fs::write(
        &plan,
        json!({
            "url": format!("opc.tcp://127.0.0.1:{port}"),
            "server_certificate": own,
            "timeout": 10,
            "attempts": attempts,
        })
        .to_string(),
    )
    .unwrap();
    let python = test_support::python::python(&["asyncua"]);
    let out = Command::new(python)
        .arg(repo_root().join("modules/opc-plc/tests/python/ua_client.py"))
        .arg(&plan)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "ua_client.py failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let results: Value = serde_json::from_slice(&out.stdout).unwrap();
    let results = results["attempts"].as_array().unwrap();
    plc.assert_alive();
    let log = plc.output();
    let mut failures = Vec::new();
    for ((_, case, peer), result) in cases.iter().zip(results) {
        let want = expected(case, "Plc");
        let outcome = if want == "accepted" {
            if result["connected"] == true && result["actions"][0]["status"] == "Good" {
                refusal(&log, peer, "")
                    .err()
                    .map_or_else(|| Err("a refusal was logged".to_owned()), |_| Ok(()))
            } else {
                Err(format!(
                    "the asyncua client was refused: {}",
                    result["error"]
                ))
            }
        } else if result["connected"] == true {
            Err(format!("expected {want}, the asyncua client connected"))
        } else if result["error"]["status"] != peer_sees(case) {
            Err(format!(
                "the peer should see {}, saw {}",
                peer_sees(case),
                result["error"]
            ))
        } else if let Some(line) = case["plcLog"].as_str() {
            // A check open62541 makes itself, logged in its words.
            log.contains(line).then_some(()).ok_or_else(|| {
                let near: Vec<&str> = log
                    .lines()
                    .filter(|l| l.contains("ERR") || l.contains("Uri"))
                    .collect();
                format!("no {line:?} in the log; its errors: {near:#?}")
            })
        } else {
            refusal(&log, peer, want)
        };
        if let Err(why) = outcome {
            failures.push(format!("opc-plc: {}: {why}", text(case, "name")));
        }
    }
    failures
}

/// The `ApplicationUri` opc-client builds from the machine's host name.
fn client_uri() -> String {
    let host = std::fs::read_to_string("/proc/sys/kernel/hostname")
        .ok()
        .map(|h| h.trim().to_lowercase())
        .filter(|h| !h.is_empty())
        .unwrap_or_else(|| "localhost".to_owned());
    format!(
        "urn:OpcClient:{}",
        host.split('.').next().unwrap_or_default()
    )
}

/// One configuration on opc-client: an asyncua server per case, one client reading from all.
fn client_group(
    ca: &Authorities,
    root_crl: &[u8],
    ours: &Value,
    cases: &[Member<'_>],
) -> Vec<String> {
    let trusted: Vec<&X509> = cases
        .iter()
        .filter(|(_, case, _)| case["peer"]["trusted"] == true)
        .map(|(_, _, p)| &p.issued.cert)
        .collect();
    let store = our_store(ca, root_crl, ours, &trusted)
        .with_own(&ca.root.leaf(LeafSpec::client("OpcClient", &client_uri())));
    let dir = tempfile::tempdir().unwrap();
    let servers: Vec<(Process, u16)> = cases
        .iter()
        .map(|(i, _, peer)| {
            let case_dir = dir.path().join(format!("server{i}"));
            let trust = case_dir.join("trusted");
            let crls = case_dir.join("crl");
            std::fs::create_dir_all(&trust).unwrap();
            std::fs::create_dir_all(&crls).unwrap();
            std::fs::write(trust.join("root.pem"), ca.root.cert().to_pem().unwrap()).unwrap();
            std::fs::write(crls.join("root.der"), root_crl).unwrap();
            let (cert, key, chain) = write_identity(&case_dir, "server", peer);
            let port = std::net::TcpListener::bind("127.0.0.1:0")
                .unwrap()
                .local_addr()
                .unwrap()
                .port();
            let plan = case_dir.join("plan.json");
            std::fs::write(
                &plan,
                json!({
                    "host": "127.0.0.1",
                    "port": port,
                    "application_uri": SERVER_URI,
                    "certificate": cert,
                    "private_key": key,
                    "chain": chain,
                    "chain_at_create_session": false,
                    "trusted_dir": trust,
                    "crl_dir": crls,
                    "namespace": "urn:test:matrix",
                    "long_text_length": 10,
                })
                .to_string(),
            )
            .unwrap();
            let mut command = Command::new(test_support::python::python(&["asyncua"]));
            command
                .arg(repo_root().join("modules/opc-client/tests/python/ua_server.py"))
                .arg(&plan);
            let server = Process::spawn_keeping_stdin(&format!("asyncua server {i}"), command);
            server.wait_for(&["READY"]);
            (server, port)
        })
        .collect();
    let actions: Vec<Value> = servers
        .iter()
        .map(|(_, port)| {
            json!({
                "EndpointUrl": format!("opc.tcp://127.0.0.1:{port}"),
                "Test": [{ "Id": "i=2258", "Interval": 0 }],
            })
        })
        .collect();
    std::fs::write(
        dir.path().join("actionconfig.json"),
        json!(actions).to_string(),
    )
    .unwrap();
    let p = |sub: &str| store.path().join(sub).display().to_string();
    let mut command = Command::new(binary("opc-client"));
    command
        .current_dir(dir.path())
        .env_remove("EdgeHubConnectionString")
        .args([
            "--ap",
            &p("own"),
            "--tp",
            &p("trusted"),
            "--ip",
            &p("issuer"),
        ])
        .args([
            "--rp",
            &p("rejected"),
            "--sw",
            "1",
            "--ct",
            "2",
            "--tc=false",
        ])
        .args(options(ours));
    let client = Process::spawn("opc-client", command);
    let mut failures = Vec::new();
    for ((_, case, peer), (server, _)) in cases.iter().zip(&servers) {
        let want = expected(case, "Client");
        let outcome = if want == "accepted" {
            wait(|| server.count(&["SESSION "]) > 0)
                .then_some(())
                .ok_or_else(|| {
                    format!(
                        "no session on the asyncua server; refusals logged: {:?}",
                        refusal(&client.output(), peer, "").err()
                    )
                })
                .and_then(|()| match refusal(&client.output(), peer, "") {
                    Ok(()) => Err("a refusal was logged".to_owned()),
                    Err(_) => Ok(()),
                })
        } else {
            wait(|| refusal(&client.output(), peer, want).is_ok());
            refusal(&client.output(), peer, want).and_then(|()| {
                if server.count(&["SESSION "]) == 0 {
                    Ok(())
                } else {
                    Err("the asyncua server created a session".to_owned())
                }
            })
        };
        if let Err(why) = outcome {
            failures.push(format!("opc-client: {}: {why}", text(case, "name")));
        }
    }
    client.assert_alive();
    failures
}

/// Polls `done` for up to 20 s.
fn wait(done: impl Fn() -> bool) -> bool {
    let deadline = Instant::now() + Duration::from_secs(20);
    while Instant::now() < deadline {
        if done() {
            return true;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    done()
}

/// The matrix as the Markdown table of `docs/trust-matrix.md`.
pub fn render(matrix: &Value) -> String {
    let mut out = String::from(
        "| # | peer certificate | Table 106 step | our lists and options | opc-plc | opc-client |\n| --- | --- | --- | --- | --- | --- |\n",
    );
    for (i, case) in cases(matrix).iter().enumerate() {
        let ours = &case["ours"];
        let crls: Vec<&str> = ours["crls"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c.as_str().unwrap())
            .collect();
        let mut setup = vec![if crls.is_empty() {
            "root trusted, no CRL".to_owned()
        } else {
            format!("root trusted, CRLs: {}", crls.join(", "))
        }];
        if case["peer"]["trusted"] == true {
            setup.push("the peer trusted".to_owned());
        }
        setup.extend(options(ours).iter().map(|o| format!("`{o}`")));
        let cell = |side: &str| match expected(case, side) {
            "accepted" => "accepted".to_owned(),
            // On the PLC, what the asyncua client is told too.
            code if side == "Plc" => format!("`{code}` (asyncua: `{}`)", peer_sees(case)),
            code => format!("`{code}`"),
        };
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} | {} |",
            i + 1,
            text(case, "name"),
            text(case, "table106"),
            setup.join("; "),
            cell("Plc"),
            cell("Client")
        );
    }
    out
}

#[test]
fn the_documented_matrix_is_the_tested_one() {
    let doc = std::fs::read_to_string(repo_root().join("docs/trust-matrix.md")).unwrap();
    let table = render(&matrix());
    assert!(
        doc.contains(&table),
        "docs/trust-matrix.md does not hold the table of tests/trust-matrix.json; it should read:\n{table}"
    );
    assert!(cases(&matrix()).len() >= 15);
}

#[test]
fn every_peer_certificate_is_decided_per_table_106_on_the_plc_and_the_client() {
    let matrix = matrix();
    let ca = Authorities::new();
    let mut by_side: Vec<(&str, Vec<Member<'_>>)> = ["Plc", "Client"]
        .iter()
        .map(|side| {
            let peers = cases(&matrix)
                .iter()
                .enumerate()
                .map(|(i, case)| (i + 1, case, peer(&ca, i + 1, case, side)))
                .collect();
            (*side, peers)
        })
        .collect();
    // The root's CRL revokes the revoked intermediate and every case's revoked leaf.
    let mut revoked = vec![ca.revoked_intermediate.cert().clone()];
    for (_, peers) in &by_side {
        for (_, case, peer) in peers {
            if case["peer"]["revoked"] == true {
                revoked.push(peer.issued.cert.clone());
            }
        }
    }
    let root_crl = ca.root.crl(&revoked.iter().collect::<Vec<_>>());
    let mut failures = Vec::new();
    std::thread::scope(|s| {
        let mut handles = Vec::new();
        for (side, peers) in by_side.drain(..) {
            // One group per configuration of our side.
            let mut groups: Vec<(String, Vec<Member<'_>>)> = Vec::new();
            for (i, case, peer) in peers {
                let key = case["ours"].to_string();
                match groups.iter_mut().find(|(k, _)| *k == key) {
                    Some((_, members)) => members.push((i, case, peer)),
                    None => groups.push((key, vec![(i, case, peer)])),
                }
            }
            let (ca, root_crl) = (&ca, &root_crl);
            handles.push(s.spawn(move || {
                groups
                    .iter()
                    .flat_map(|(_, members)| {
                        let ours = &members[0].1["ours"];
                        if side == "Plc" {
                            plc_group(ca, root_crl, ours, members)
                        } else {
                            client_group(ca, root_crl, ours, members)
                        }
                    })
                    .collect::<Vec<_>>()
            }));
        }
        for h in handles {
            failures.extend(h.join().unwrap());
        }
    });
    assert!(
        failures.is_empty(),
        "{} of {} decisions differ:\n{}",
        failures.len(),
        2 * cases(&matrix).len(),
        failures.join("\n")
    );
    eprintln!(
        "trust matrix: {} cases on opc-plc and on opc-client",
        cases(&matrix).len()
    );
}
