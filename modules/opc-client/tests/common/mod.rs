//! Shared by the process tests: the `opc-client` binary in a temporary working directory with
//! its console captured line by line, the `opc-plc` module in-process, and certificate files.

#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use std::io::{BufRead as _, BufReader, Write as _};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::{Arc, Mutex, mpsc};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use test_support::{Ca, Issued, LeafSpec};

/// How long a test waits for a log line before failing.
pub const WAIT: Duration = Duration::from_secs(20);

/// The machine's host name as the client sees it (its `ApplicationUri` is built from it).
pub fn host_name() -> String {
    std::fs::read_to_string("/proc/sys/kernel/hostname")
        .ok()
        .map(|h| h.trim().to_lowercase())
        .filter(|h| !h.is_empty())
        .unwrap_or_else(|| "localhost".to_owned())
}

/// `urn:OpcClient:<host label>`.
pub fn client_uri() -> String {
    format!(
        "urn:OpcClient:{}",
        host_name().split('.').next().unwrap_or_default()
    )
}

/// A client certificate issued by `ca` for this machine's client identity.
pub fn client_leaf(ca: &Ca) -> Issued {
    ca.leaf(LeafSpec::client("OpcClient", &client_uri()))
}

/// A server certificate for `uri` reachable at 127.0.0.1.
pub fn server_leaf(ca: &Ca, cn: &str, uri: &str) -> Issued {
    ca.leaf(LeafSpec::server(cn, uri, "localhost").ip("127.0.0.1"))
}

/// A PLC in `dir` on `port` with a certificate of `plc_ca` (its issuer store holds `plc_ca`)
/// that trusts `client_ca` and its CRL; `plc_ca` and `client_ca` may be the same CA.
pub fn ca_signed_plc(dir: &Path, plc_ca: &Ca, client_ca: &Ca, port: u16) -> (Plc, Issued) {
    let leaf = server_leaf(plc_ca, "OpcPlc", "urn:OpcPlc:plc-test");
    let (cert, key) = write_identity(dir, "plc", &leaf);
    let trusted = write(dir, "client-ca.pem", &client_ca.cert().to_pem().unwrap());
    let issuer = write(dir, "plc-ca.pem", &plc_ca.cert().to_pem().unwrap());
    let crl = write(dir, "client-ca.crl", &client_ca.crl(&[]));
    let args: Vec<String> = [
        "--af",
        &cert,
        "--pk",
        &key,
        "--tf",
        trusted.to_str().unwrap(),
        "--if",
        issuer.to_str().unwrap(),
        "--uc",
        crl.to_str().unwrap(),
    ]
    .iter()
    .map(|s| (*s).to_owned())
    .collect();
    (Plc::start(dir, port, &args), leaf)
}

/// A free loopback port the OS picked (the servers need it before they start and again after a
/// restart on the same port).
pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// Writes `bytes` to `dir/name` and returns the path.
pub fn write(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, bytes).unwrap();
    path
}

/// Writes a certificate (PEM) and its key (PKCS#8 PEM); returns both paths as strings.
pub fn write_identity(dir: &Path, stem: &str, issued: &Issued) -> (String, String) {
    let cert = write(dir, &format!("{stem}.pem"), &issued.pem());
    let key = write(dir, &format!("{stem}.key.pem"), &issued.key_pem_pkcs8());
    (cert.display().to_string(), key.display().to_string())
}

/// The `opc-client` process with its console captured.
pub struct ClientProcess {
    child: Child,
    lines: Arc<Mutex<Vec<String>>>,
    reader: Option<JoinHandle<()>>,
    /// Its working directory (the PKI store lives under `pki/`).
    pub dir: PathBuf,
}

impl ClientProcess {
    /// Starts the client in `dir` with `args`.
    pub fn start(dir: &Path, args: &[&str]) -> Self {
        Self::start_with_env(dir, args, &[])
    }

    /// Starts the client in `dir` with `args` and extra environment variables.
    pub fn start_with_env(dir: &Path, args: &[&str], env: &[(&str, String)]) -> Self {
        let mut child = Command::new(env!("CARGO_BIN_EXE_opc-client"))
            .args(args)
            .envs(env.iter().map(|(k, v)| (*k, v.as_str())))
            .current_dir(dir)
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("opc-client starts");
        let stdout = child.stdout.take().unwrap();
        let lines = Arc::new(Mutex::new(Vec::new()));
        let sink = Arc::clone(&lines);
        let reader = std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines() {
                let Ok(line) = line else { break };
                sink.lock().unwrap().push(line);
            }
        });
        Self {
            child,
            lines,
            reader: Some(reader),
            dir: dir.to_owned(),
        }
    }

    /// Every line so far, without the `[HH:mm:ss LVL] ` prefix (lines printed without a prefix
    /// are kept as they are).
    pub fn lines(&self) -> Vec<String> {
        self.lines
            .lock()
            .unwrap()
            .iter()
            .map(|l| strip_prefix(l).to_owned())
            .collect()
    }

    /// The raw console lines.
    pub fn raw_lines(&self) -> Vec<String> {
        self.lines.lock().unwrap().clone()
    }

    /// Waits until `found` holds for the lines; panics with the log after [`WAIT`].
    pub fn wait_for(&self, what: &str, found: impl Fn(&[String]) -> bool) {
        let deadline = Instant::now() + WAIT;
        loop {
            if found(&self.lines()) {
                return;
            }
            assert!(
                Instant::now() < deadline,
                "timed out waiting for {what}; client log:\n{}",
                self.raw_lines().join("\n")
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// Waits for a line equal to `line`.
    pub fn wait_line(&self, line: &str) {
        self.wait_for(&format!("'{line}'"), |lines| {
            lines.iter().any(|l| l == line)
        });
    }

    /// Waits until the process exits by itself; returns its exit code.
    pub fn wait_exit(&mut self) -> Option<i32> {
        let deadline = Instant::now() + WAIT;
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                if let Some(reader) = self.reader.take() {
                    reader.join().unwrap();
                }
                return status.code();
            }
            assert!(Instant::now() < deadline, "opc-client did not exit");
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// SIGTERM, then waits for the clean shutdown; returns the exit code.
    pub fn stop(&mut self) -> Option<i32> {
        let _ = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status();
        self.wait_exit()
    }
}

impl Drop for ClientProcess {
    fn drop(&mut self) {
        if self.child.try_wait().ok().flatten().is_none() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

fn strip_prefix(line: &str) -> &str {
    // `[HH:mm:ss LVL] ` is 15 characters.
    if line.len() >= 15 && line.starts_with('[') && line.as_bytes()[13] == b']' {
        &line[15..]
    } else {
        line
    }
}

/// The `opc-plc` module run in-process (its `run`) on a thread, with its own working directory.
pub struct Plc {
    stop: Option<mpsc::Sender<()>>,
    thread: Option<JoinHandle<()>>,
    /// The port it listens on (127.0.0.1).
    pub port: u16,
}

impl Plc {
    /// Starts the PLC in `dir` on `port` with extra command-line `args` and waits until it
    /// accepts connections.
    pub fn start(dir: &Path, port: u16, args: &[String]) -> Self {
        let mut all: Vec<String> = [
            "opc-plc",
            "--pn",
            &port.to_string(),
            "--ph",
            "127.0.0.1",
            "--listenhost",
            "127.0.0.1",
        ]
        .iter()
        .map(|s| (*s).to_owned())
        .collect();
        all.extend(args.iter().cloned());
        let cli = <opc_plc::Cli as clap::Parser>::try_parse_from(all).unwrap();
        let config = opc_plc::Config::new(cli, "127.0.0.1", dir.to_owned());
        let (stop, shutdown) = mpsc::channel();
        let thread = std::thread::spawn(move || {
            let mut print = |_: &str| {};
            opc_plc::run(&config, &shutdown, &mut print).expect("the PLC runs");
        });
        let deadline = Instant::now() + WAIT;
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(Instant::now() < deadline, "the PLC did not start");
            std::thread::sleep(Duration::from_millis(50));
        }
        Self {
            stop: Some(stop),
            thread: Some(thread),
            port,
        }
    }

    /// `opc.tcp://127.0.0.1:<port>`.
    pub fn url(&self) -> String {
        format!("opc.tcp://127.0.0.1:{}", self.port)
    }

    /// Stops the PLC and waits for it.
    pub fn stop(mut self) {
        self.shutdown();
    }

    fn shutdown(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(thread) = self.thread.take() {
            thread.join().unwrap();
        }
    }
}

impl Drop for Plc {
    fn drop(&mut self) {
        self.shutdown();
    }
}

/// Python asyncua as the server (`tests/python/ua_server.py`), stopped by closing its stdin.
pub struct PythonServer {
    child: Child,
    stdin: Option<ChildStdin>,
    /// What it printed after `READY` (e.g. `SESSION <id>` per session it created).
    out: Arc<Mutex<Vec<String>>>,
    /// The port it listens on (127.0.0.1).
    pub port: u16,
}

impl PythonServer {
    /// Starts the script with the plan written into `dir`, waits for `READY`.
    pub fn start(dir: &Path, plan: &serde_json::Value) -> Self {
        let python = test_support::python::python(&["asyncua"]);
        let plan_path = write(dir, "plan.json", plan.to_string().as_bytes());
        let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/python/ua_server.py");
        let mut child = Command::new(python)
            .arg(script)
            .arg(&plan_path)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("python starts");
        let stdin = child.stdin.take();
        let mut out = BufReader::new(child.stdout.take().unwrap());
        let mut line = String::new();
        out.read_line(&mut line).unwrap();
        if line.trim() != "READY" {
            let mut err = String::new();
            if let Some(mut e) = child.stderr.take() {
                let _ = std::io::Read::read_to_string(&mut e, &mut err);
            }
            panic!("the asyncua server did not start: {line}{err}");
        }
        // Keep draining stderr so a chatty server never blocks.
        if let Some(stderr) = child.stderr.take() {
            std::thread::spawn(move || for _ in BufReader::new(stderr).lines() {});
        }
        let printed = Arc::new(Mutex::new(Vec::new()));
        let sink = Arc::clone(&printed);
        std::thread::spawn(move || {
            for line in out.lines().map_while(Result::ok) {
                sink.lock().unwrap().push(line);
            }
        });
        let port = u16::try_from(plan["port"].as_u64().unwrap()).unwrap();
        Self {
            child,
            stdin,
            out: printed,
            port,
        }
    }

    /// The ids of the sessions the server created so far, as asyncua prints them (`i=10`).
    pub fn session_ids(&self) -> Vec<String> {
        self.out
            .lock()
            .unwrap()
            .iter()
            .filter_map(|l| l.strip_prefix("SESSION "))
            .map(str::to_owned)
            .collect()
    }

    /// `opc.tcp://127.0.0.1:<port>`.
    pub fn url(&self) -> String {
        format!("opc.tcp://127.0.0.1:{}", self.port)
    }
}

impl Drop for PythonServer {
    fn drop(&mut self) {
        if let Some(mut stdin) = self.stdin.take() {
            let _ = stdin.write_all(b"");
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The failure pair: the failure line for the `n`th attempt, and the reason line right after it.
pub fn failure_reason(lines: &[String], url: &str, n: u32) -> Option<String> {
    let failure = format!(
        "Session creation to endpoint '{url}' failed {n} time(s). Please verify if server is up and OpcClient configuration is correct."
    );
    let at = lines.iter().position(|l| *l == failure)?;
    lines.get(at + 1).cloned()
}
