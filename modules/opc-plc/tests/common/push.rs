//! What the push management tests share (`tests/push.rs`, `tests/twin_push.rs`,
//! `tests/expiry_alarm.rs`, included with `#[path]`): the `opc-plc` process with its log, a
//! client's certificate files, the two push drivers (asyncua's `tests/python/push_client.py`,
//! node-opcua's `tests/node/push_client.js`) run with a JSON plan, and store assertions.

#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::BTreeMap;
use std::io::{Read as _, Write as _};
use std::os::unix::fs::{OpenOptionsExt as _, PermissionsExt as _};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use serde_json::{Value, json};
use test_support::{Issued, LeafSpec, TestStore, self_signed};

pub const STARTED: &str = "OPC UA Server started at ";
pub use crate::common::plc::Plc;

/// The users of the push tests' PLC: the administrator and a plain user.
pub const PUSH_USERS: [&str; 8] = [
    "--au", ADMIN.0, "--ac", ADMIN.1, "--du", USER.0, "--dc", USER.1,
];
pub const ADMIN: (&str, &str) = ("sysadmin", "demo");
pub const USER: (&str, &str) = ("user1", "password");

pub fn files_in(dir: &Path) -> Vec<Vec<u8>> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    entries
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_file())
        .map(|p| std::fs::read(p).unwrap())
        .collect()
}

/// A client's certificate and key as PEM files (both peers read PEM).
pub struct ClientFiles {
    pub _dir: tempfile::TempDir,
    pub cert: PathBuf,
    pub key: PathBuf,
    pub issued: Issued,
    pub uri: &'static str,
}

impl ClientFiles {
    pub fn self_signed(cn: &str, uri: &'static str) -> Self {
        let issued = self_signed(LeafSpec::client(cn, uri));
        let dir = tempfile::tempdir().unwrap();
        let cert = dir.path().join("client.pem");
        let key = dir.path().join("client.key.pem");
        std::fs::write(&cert, issued.pem()).unwrap();
        std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(0o600)
            .open(&key)
            .unwrap()
            .write_all(&issued.key_pem_pkcs8())
            .unwrap();
        Self {
            _dir: dir,
            cert,
            key,
            issued,
            uri,
        }
    }

    /// One connection with `mode` over `Basic256Sha256` as `user` (None: anonymous).
    pub fn attempt(&self, mode: &str, user: Option<(&str, &str)>, actions: &[Value]) -> Value {
        let mut attempt = json!({
            "policy": "Basic256Sha256",
            "mode": mode,
            "certificate": self.cert,
            "private_key": self.key,
            "application_uri": self.uri,
            "actions": actions,
        });
        if let Some((name, password)) = user {
            attempt["user"] = json!({ "name": name, "password": password });
        }
        attempt
    }

    pub fn admin(&self, actions: &[Value]) -> Value {
        self.attempt("SignAndEncrypt", Some(ADMIN), actions)
    }
}

#[derive(Clone, Copy, Debug)]
pub enum Peer {
    Asyncua,
    NodeOpcua,
}

/// A running driver.
pub struct Driver {
    pub peer: Peer,
    pub child: Child,
    pub stdout: std::thread::JoinHandle<Vec<u8>>,
    pub stderr: std::thread::JoinHandle<Vec<u8>>,
    pub count: usize,
    pub _plan_dir: tempfile::TempDir,
}

pub fn tests_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests")
}

/// node, after checking the pinned node-opcua push client is installed (panics with the fix).
pub fn node() -> PathBuf {
    let modules = tests_dir().join("node/node_modules");
    for package in ["node-opcua", "node-opcua-server-configuration"] {
        assert!(
            modules.join(package).join("package.json").exists(),
            "NODE TEST PEER MISSING: {} has no {package}; run scripts/prereqs (npm ci in \
             modules/opc-plc/tests/node from its package-lock.json)",
            modules.display()
        );
    }
    let check = Command::new("node")
        .arg("--version")
        .output()
        .unwrap_or_else(|e| {
            panic!(
                "NODE MISSING: cannot run node ({e}); install Node.js 20 and run scripts/prereqs"
            )
        });
    assert!(check.status.success(), "node --version failed: {check:?}");
    PathBuf::from("node")
}

/// Starts `peer`'s driver with `attempts` against `url` (no pinned server certificate: the
/// drivers take it from the endpoints and report it).
pub fn spawn(peer: Peer, url: &str, attempts: &[Value]) -> Driver {
    let (program, script) = match peer {
        Peer::Asyncua => (
            test_support::python::python(&["asyncua"]),
            tests_dir().join("python/push_client.py"),
        ),
        Peer::NodeOpcua => (node(), tests_dir().join("node/push_client.js")),
    };
    let plan_dir = tempfile::tempdir().unwrap();
    let plan = plan_dir.path().join("plan.json");
    std::fs::write(
        &plan,
        serde_json::to_vec(&json!({ "url": url, "timeout": 10, "attempts": attempts })).unwrap(),
    )
    .unwrap();
    let mut child = Command::new(program)
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
    Driver {
        peer,
        child,
        stdout,
        stderr,
        count: attempts.len(),
        _plan_dir: plan_dir,
    }
}

/// What a driver printed.
pub struct Output {
    pub attempts: Vec<Value>,
    /// stdout and stderr, to check no key material leaked.
    pub text: String,
}

pub fn finish(plc: &Plc, mut driver: Driver) -> Output {
    let deadline = Instant::now() + Duration::from_secs(60 + 15 * driver.count as u64);
    let status = loop {
        if let Some(status) = driver.child.try_wait().unwrap() {
            break status;
        }
        if Instant::now() > deadline {
            let _ = driver.child.kill();
            panic!("{:?} driver hung; server log:\n{}", driver.peer, plc.text());
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let stdout = driver.stdout.join().unwrap();
    let stderr = driver.stderr.join().unwrap();
    let stderr = String::from_utf8_lossy(&stderr).into_owned();
    assert!(
        status.success(),
        "{:?} driver failed ({status}):\n{stderr}\nserver log:\n{}",
        driver.peer,
        plc.text()
    );
    let result: Value = serde_json::from_slice(&stdout)
        .unwrap_or_else(|e| panic!("{:?} driver printed no JSON ({e}):\n{stderr}", driver.peer));
    let attempts = result["attempts"].as_array().unwrap().clone();
    assert_eq!(attempts.len(), driver.count);
    Output {
        attempts,
        text: format!("{}\n{stderr}", String::from_utf8_lossy(&stdout)),
    }
}

pub fn run(plc: &Plc, peer: Peer, attempts: &[Value]) -> Output {
    finish(plc, spawn(peer, &plc.url(), attempts))
}

/// Waits until `path` exists while `driver` runs (panics with its output if it ends first).
pub fn wait_for_file(plc: &Plc, driver: &mut Driver, path: &Path) {
    let deadline = Instant::now() + Duration::from_secs(30);
    while !path.exists() {
        if driver.child.try_wait().unwrap().is_some() {
            let stderr = String::from_utf8_lossy(
                &std::mem::replace(&mut driver.stderr, std::thread::spawn(Vec::new))
                    .join()
                    .unwrap(),
            )
            .into_owned();
            let stdout = std::mem::replace(&mut driver.stdout, std::thread::spawn(Vec::new))
                .join()
                .unwrap();
            panic!(
                "{:?} driver ended before {}:\n{}\n{stderr}\nserver log:\n{}",
                driver.peer,
                path.display(),
                String::from_utf8_lossy(&stdout),
                plc.text()
            );
        }
        assert!(
            Instant::now() < deadline,
            "timed out waiting for {}; server log:\n{}",
            path.display(),
            plc.text()
        );
        std::thread::sleep(Duration::from_millis(20));
    }
}

pub fn b64(der: &[u8]) -> String {
    STANDARD.encode(der)
}

/// The action `i` of an attempt, asserting the attempt connected.
pub fn action(attempt: &Value, i: usize) -> &Value {
    assert_eq!(attempt["connected"], true, "{attempt:#}");
    &attempt["actions"][i]
}

pub fn assert_good(action: &Value) {
    assert_eq!(action["status"], "Good", "{action:#}");
}

pub fn assert_status(action: &Value, status: &str, what: &str) {
    assert_eq!(action["status"], status, "{what}: {action:#}");
}

pub fn thumbprints(list: &Value) -> Vec<String> {
    list.as_array()
        .unwrap_or_else(|| panic!("not a list: {list:#}"))
        .iter()
        .map(|c| c["thumbprint"].as_str().unwrap().to_owned())
        .collect()
}

/// A store trusting `clients` (their self-signed certificates in `trusted/certs`).
pub fn store_trusting(clients: &[&ClientFiles]) -> TestStore {
    clients.iter().fold(TestStore::new(), |store, c| {
        store.with_trusted(&c.issued.cert)
    })
}

/// The store's files as `pki`'s snapshot has them (bytes and mode), to compare before/after.
pub fn snapshot(store: &Path) -> BTreeMap<PathBuf, (Vec<u8>, u32)> {
    test_support::snapshot(store)
}

pub fn assert_unchanged(
    before: &BTreeMap<PathBuf, (Vec<u8>, u32)>,
    store: &Path,
    what: &str,
    plc: &Plc,
) {
    let after = snapshot(store);
    let names = |m: &BTreeMap<PathBuf, (Vec<u8>, u32)>| m.keys().cloned().collect::<Vec<_>>();
    assert_eq!(
        names(before),
        names(&after),
        "{what}: the store's files changed; server log:\n{}",
        plc.text()
    );
    for (path, content) in before {
        assert!(
            after[path] == *content,
            "{what}: {} changed; server log:\n{}",
            path.display(),
            plc.text()
        );
    }
}

/// Every private key file of the store is 0600 and its content appears in none of `texts`.
pub fn assert_keys_private(store: &Path, texts: &[&str]) {
    let dir = store.join("own/private");
    let mut keys = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        if !path.is_file() {
            continue;
        }
        keys += 1;
        let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600, "{} has mode {mode:o}", path.display());
        let bytes = std::fs::read(&path).unwrap();
        // The private parts (d, p, q), as the drivers or a log would print bytes: base64 at each
        // alignment and hex. (The modulus is public: it is in the certificate and the CSR.)
        let rsa = openssl::pkey::PKey::private_key_from_pem(&bytes)
            .unwrap()
            .rsa()
            .unwrap();
        let mut needles = vec![b64(&bytes)];
        for secret in [rsa.d(), rsa.p().unwrap(), rsa.q().unwrap()] {
            let secret = secret.to_vec();
            for offset in 0..3 {
                needles.push(b64(&secret[offset..offset + 48]));
            }
            let hex = secret[..32].iter().fold(String::new(), |mut hex, b| {
                use std::fmt::Write as _;
                write!(hex, "{b:02x}").unwrap();
                hex
            });
            needles.push(hex.clone());
            needles.push(hex.to_uppercase());
        }
        for (t, text) in texts.iter().enumerate() {
            for needle in &needles {
                assert!(
                    !text.contains(needle.as_str()),
                    "private key material of {} appears in output {t}",
                    path.display()
                );
            }
        }
    }
    assert!(keys > 0, "no key in {}", dir.display());
}
