//! What the three suites share: the workspace's binaries, module processes with their console
//! collected, modules on an in-process edge-sim, waits, and the corpus files with their
//! `${fixture}` placeholders.

use std::collections::BTreeMap;
use std::io::{BufRead as _, BufReader, Read};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use edge_sim::{Config, EdgeSim, Running};
use serde_json::{Map, Value};
use tokio_util::sync::CancellationToken;

/// How long a wait for a module's answer may take.
pub const PATIENCE: Duration = Duration::from_secs(30);

/// The repository root.
pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .canonicalize()
        .unwrap()
}

/// A binary of the workspace, built next to this test (`cargo test --workspace` builds every
/// module and tool; alone, `cargo build -p <package>` first).
pub fn binary(name: &str) -> PathBuf {
    // The test binary is `<target>/<profile>/deps/reliability-…`.
    let exe = std::env::current_exe().unwrap();
    let path = exe.parent().unwrap().parent().unwrap().join(name);
    assert!(
        path.is_file(),
        "{} is missing: build it first (cargo build -p {name}; cargo test --workspace does)",
        path.display()
    );
    path
}

/// Standard base64 of `bytes`.
pub fn b64(bytes: &[u8]) -> String {
    STANDARD.encode(bytes)
}

/// A process with its stdout and stderr collected line by line; killed when dropped.
pub struct Process {
    child: Child,
    /// Its stdin when kept open (a peer that ends when its stdin closes).
    _stdin: Option<std::process::ChildStdin>,
    lines: Arc<Mutex<Vec<String>>>,
    /// What it is, for messages.
    pub name: String,
}

impl Process {
    /// Spawns `command` with piped output.
    pub fn spawn(name: &str, command: Command) -> Self {
        Self::spawn_with(name, command, false)
    }

    /// Spawns `command` with piped output and its stdin held open until it is dropped.
    pub fn spawn_keeping_stdin(name: &str, command: Command) -> Self {
        Self::spawn_with(name, command, true)
    }

    fn spawn_with(name: &str, mut command: Command, keep_stdin: bool) -> Self {
        let mut child = command
            .stdin(if keep_stdin {
                Stdio::piped()
            } else {
                Stdio::null()
            })
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap_or_else(|e| panic!("{name} does not start: {e}"));
        let lines = Arc::new(Mutex::new(Vec::new()));
        for stream in [
            Box::new(child.stdout.take().unwrap()) as Box<dyn Read + Send>,
            Box::new(child.stderr.take().unwrap()),
        ] {
            let lines = Arc::clone(&lines);
            std::thread::spawn(move || {
                for line in BufReader::new(stream).lines() {
                    let Ok(line) = line else { break };
                    lines.lock().unwrap().push(line);
                }
            });
        }
        Self {
            _stdin: child.stdin.take(),
            child,
            lines,
            name: name.to_owned(),
        }
    }

    /// Every line so far.
    pub fn output(&self) -> String {
        self.lines.lock().unwrap().join("\n")
    }

    /// How many lines contain every one of `parts`.
    pub fn count(&self, parts: &[&str]) -> usize {
        self.lines
            .lock()
            .unwrap()
            .iter()
            .filter(|l| parts.iter().all(|p| l.contains(p)))
            .count()
    }

    /// Waits for a line containing every one of `parts` and returns it.
    pub fn wait_for(&self, parts: &[&str]) -> String {
        let deadline = Instant::now() + PATIENCE;
        loop {
            if let Some(line) = self
                .lines
                .lock()
                .unwrap()
                .iter()
                .find(|l| parts.iter().all(|p| l.contains(p)))
            {
                return line.clone();
            }
            self.assert_alive();
            assert!(
                Instant::now() < deadline,
                "{}: no line with {parts:?} in\n{}",
                self.name,
                self.output()
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// Panics (with its output) unless the process still runs.
    pub fn assert_alive(&self) {
        // `try_wait` needs `&mut`; until it is reaped an exited child is a zombie in /proc.
        assert!(
            !zombie(self.child.id()),
            "{} is dead:\n{}",
            self.name,
            self.output()
        );
    }

    /// SIGKILL, then reaps it.
    pub fn kill(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Whether `pid` is a zombie (exited, not yet reaped).
fn zombie(pid: u32) -> bool {
    std::fs::read_to_string(format!("/proc/{pid}/stat"))
        .ok()
        .and_then(|s| {
            s.rsplit_once(") ")
                .and_then(|(_, rest)| rest.chars().next())
        })
        .is_none_or(|state| state == 'Z' || state == 'X')
}

impl Drop for Process {
    fn drop(&mut self) {
        self.kill();
    }
}

/// edge-sim in this process on free ports, with `modules` as identities, its state in `dir`.
pub async fn sim(dir: &Path, modules: &[&str]) -> Running {
    let config = Config::new(dir).ephemeral().with_modules(modules.to_vec());
    EdgeSim::start(config, CancellationToken::new())
        .await
        .expect("edge-sim starts")
}

/// A module binary run in `dir` on `module`'s identity of `sim` (the connection string
/// variables the modules read outside IoT Edge, edge-sim's MQTT port).
pub fn module_command(sim: &Running, module: &str, binary_name: &str, dir: &Path) -> Command {
    let ca_file = dir.join(format!("{module}-edge-ca.pem"));
    std::fs::write(&ca_file, sim.ca_pem()).unwrap();
    let mut command = Command::new(binary(binary_name));
    command
        .current_dir(dir)
        .env(
            "EdgeHubConnectionString",
            sim.module_connection_string(module).unwrap(),
        )
        .env("EdgeModuleCACertificateFile", &ca_file)
        .env("EDGE_SIM_MQTT_PORT", sim.mqtt_port().to_string());
    command
}

/// `module`'s reported property `name` (`null` while absent).
pub fn reported(sim: &Running, module: &str, name: &str) -> Value {
    sim.twin(module)
        .unwrap()
        .reported
        .properties()
        .get(name)
        .cloned()
        .unwrap_or(Value::Null)
}

/// Polls (off the runtime's workers) until `module`'s reported `name` satisfies `done`.
pub fn wait_reported(
    sim: &Running,
    module: &str,
    name: &str,
    process: &Process,
    what: &str,
    done: impl Fn(&Value) -> bool,
) -> Value {
    tokio::task::block_in_place(|| {
        let deadline = Instant::now() + PATIENCE;
        loop {
            let value = reported(sim, module, name);
            if done(&value) {
                return value;
            }
            process.assert_alive();
            assert!(
                Instant::now() < deadline,
                "{what}: reported {name} never matched; last: {value:#}\n{} output:\n{}",
                process.name,
                process.output()
            );
            std::thread::sleep(Duration::from_millis(30));
        }
    })
}

/// Replaces `module`'s desired properties; returns the new desired `$version`.
pub fn replace_desired(sim: &Running, module: &str, desired: Value) -> u64 {
    let Value::Object(desired) = desired else {
        panic!("desired properties are an object")
    };
    sim.replace_desired(module, desired)
        .unwrap()
        .desired
        .version()
}

/// A store's files: relative path -> (bytes, mode).
pub type Snapshot = BTreeMap<PathBuf, (Vec<u8>, u32)>;

/// A corpus file of `tests/bad-input/`: its `cases` (each an object with at least `name`) and
/// any other top-level members.
pub struct Corpus {
    /// The file, for messages.
    pub file: PathBuf,
    /// The whole document.
    pub document: Value,
}

impl Corpus {
    /// Reads `tests/bad-input/<name>.json`.
    pub fn load(name: &str) -> Self {
        let file = repo_root()
            .join("tests/bad-input")
            .join(format!("{name}.json"));
        let text = std::fs::read_to_string(&file)
            .unwrap_or_else(|e| panic!("cannot read {}: {e}", file.display()));
        let document: Value = serde_json::from_str(&text)
            .unwrap_or_else(|e| panic!("{} is not JSON: {e}", file.display()));
        let corpus = Self { file, document };
        let mut names = std::collections::BTreeSet::new();
        for case in corpus.cases() {
            let name = case["name"].as_str().unwrap_or_else(|| {
                panic!("{}: a case without a name: {case}", corpus.file.display())
            });
            assert!(
                names.insert(name.to_owned()),
                "{}: two cases named {name:?}",
                corpus.file.display()
            );
        }
        corpus
    }

    /// The cases.
    pub fn cases(&self) -> &[Value] {
        self.document["cases"].as_array().map_or(&[], Vec::as_slice)
    }
}

/// Named values a corpus refers to as `"${name}"` (the whole string: replaced by the value) or
/// inside a longer string (replaced by the value's text).
#[derive(Default, Clone)]
pub struct Fixtures(BTreeMap<String, Value>);

impl Fixtures {
    /// Adds `name`.
    pub fn set(&mut self, name: &str, value: impl Into<Value>) {
        self.0.insert(name.to_owned(), value.into());
    }

    /// `value` with every placeholder replaced; an unknown name is a broken corpus.
    pub fn resolve(&self, value: &Value) -> Value {
        match value {
            Value::String(text) => self.resolve_text(text),
            Value::Array(items) => Value::Array(items.iter().map(|v| self.resolve(v)).collect()),
            Value::Object(map) => Value::Object(
                map.iter()
                    .map(|(k, v)| {
                        (
                            self.resolve_text(k).as_str().unwrap().to_owned(),
                            self.resolve(v),
                        )
                    })
                    .collect(),
            ),
            other => other.clone(),
        }
    }

    fn resolve_text(&self, text: &str) -> Value {
        if let Some(name) = text.strip_prefix("${").and_then(|t| t.strip_suffix('}'))
            && !name.contains('}')
        {
            return self.get(name).clone();
        }
        let mut out = String::new();
        let mut rest = text;
        while let Some(start) = rest.find("${") {
            out.push_str(&rest[..start]);
            let end = rest[start..]
                .find('}')
                .unwrap_or_else(|| panic!("unclosed placeholder in {text:?}"));
            let name = &rest[start + 2..start + end];
            match self.get(name) {
                Value::String(s) => out.push_str(s),
                other => out.push_str(&other.to_string()),
            }
            rest = &rest[start + end + 1..];
        }
        out.push_str(rest);
        Value::String(out)
    }

    fn get(&self, name: &str) -> &Value {
        self.0.get(name).unwrap_or_else(|| {
            panic!(
                "the corpus names an unknown fixture ${{{name}}}; known: {:?}",
                self.0.keys().collect::<Vec<_>>()
            )
        })
    }
}

/// `base` with `patch` merged in (objects recursively, `null` removes, anything else replaces).
pub fn merge(base: &Value, patch: &Value) -> Value {
    match (base, patch) {
        (Value::Object(base), Value::Object(patch)) => {
            let mut out: Map<String, Value> = base.clone();
            for (key, value) in patch {
                if value.is_null() {
                    out.remove(key);
                } else {
                    let merged = out
                        .get(key)
                        .map_or_else(|| value.clone(), |b| merge(b, value));
                    out.insert(key.clone(), merged);
                }
            }
            Value::Object(out)
        }
        (_, patch) => patch.clone(),
    }
}

/// The string member `key` of a case (panics naming the case when missing).
pub fn text<'a>(case: &'a Value, key: &str) -> &'a str {
    case[key]
        .as_str()
        .unwrap_or_else(|| panic!("case {:?} has no string {key:?}", case["name"]))
}

/// TLS over `tcp` to an edge-sim endpoint, its certificate not checked (the server's name and
/// CA are not the point of a bad-input case). The handshake may be slow on a loaded machine:
/// reads time out after 100 ms only once it is done.
pub fn tls_unverified(tcp: std::net::TcpStream) -> openssl::ssl::SslStream<std::net::TcpStream> {
    use openssl::ssl::{SslConnector, SslMethod, SslVerifyMode};
    tcp.set_read_timeout(Some(Duration::from_secs(20))).unwrap();
    let mut connector = SslConnector::builder(SslMethod::tls()).unwrap();
    connector.set_verify(SslVerifyMode::NONE);
    let tls = connector
        .build()
        .configure()
        .unwrap()
        .verify_hostname(false)
        .connect("localhost", tcp)
        .unwrap();
    tls.get_ref()
        .set_read_timeout(Some(Duration::from_millis(100)))
        .unwrap();
    tls
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn placeholders_are_replaced_whole_or_inside_text_and_merges_follow_twin_patches() {
        let mut f = Fixtures::default();
        f.set("cert", "QUJD");
        f.set("n", json!(5));
        assert_eq!(
            f.resolve(&json!({"a": "${cert}", "b": "x ${cert} ${n}", "${cert}": ["${n}"]})),
            json!({"a": "QUJD", "b": "x QUJD 5", "QUJD": [5]})
        );
        assert!(std::panic::catch_unwind(|| f.resolve(&json!("${nope}"))).is_err());
        assert_eq!(
            merge(
                &json!({"a": {"x": 1, "y": 2}, "b": 1}),
                &json!({"a": {"x": null, "z": 3}, "b": [1]})
            ),
            json!({"a": {"y": 2, "z": 3}, "b": [1]})
        );
    }
}
