//! Command-line values (`cli.json`) of opc-plc, opc-client, cert-agent and opc-vault. Each case
//! runs its binary in a folder holding what that binary finds in a real deployment — the
//! module's own store (`pki/`, made by the module itself on a first run), or an initialised
//! vault (`vault/`) — outside IoT Edge. It must exit with the case's code (2 for a usage
//! error, 1 for a value refused at run time) and say the case's message, and the folder must
//! be byte for byte as it was: no partial state, no new file.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;
use test_support::snapshot;

use crate::support::{Corpus, Fixtures, Process, binary, text};

/// How long a refused command line may run.
const EXIT_WITHIN: Duration = Duration::from_secs(30);

/// The environment variables that would make a module look for IoT Edge or edge-sim.
const EDGE_VARIABLES: [&str; 6] = [
    "EdgeHubConnectionString",
    "EdgeModuleCACertificateFile",
    "IOTEDGE_WORKLOADURI",
    "IOTEDGE_MODULEID",
    "EDGE_SIM_HOSTS",
    "OPC_VAULT",
];

fn command(name: &str, dir: &Path) -> Command {
    let mut command = Command::new(binary(name));
    command.current_dir(dir);
    for variable in EDGE_VARIABLES {
        command.env_remove(variable);
    }
    command
}

/// A folder with `binary`'s own store, made by `binary` itself: started until it says it
/// runs, then killed.
fn module_template(name: &str, root: &Path) -> PathBuf {
    let dir = root.join(format!("template-{name}"));
    std::fs::create_dir_all(&dir).unwrap();
    let mut command = command(name, &dir);
    let ready = match name {
        "opc-plc" => {
            command.args(["--pn=0", "--listenhost=127.0.0.1"]);
            "OPC UA Server started at"
        }
        "opc-client" => {
            command.args(["--de=opc.tcp://127.0.0.1:1", "--sw=60"]);
            "Session creation to endpoint"
        }
        other => panic!("no template for {other}"),
    };
    let mut process = Process::spawn(name, command);
    process.wait_for(&[ready]);
    process.kill();
    assert!(
        dir.join("pki/own/private").is_dir(),
        "{name} made no store:\n{}",
        process.output()
    );
    dir
}

/// A folder with an initialised vault at `vault/`.
fn vault_template(root: &Path) -> PathBuf {
    let dir = root.join("template-opc-vault");
    std::fs::create_dir_all(&dir).unwrap();
    let out = command("opc-vault", &dir)
        .args(["--vault", "vault", "init"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    dir
}

/// Copies the tree `from` to `to`, modes included.
fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_tree(&entry.path(), &target);
            let mode = entry.metadata().unwrap().permissions();
            std::fs::set_permissions(&target, mode).unwrap();
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// Runs `command` until it exits (killed after [`EXIT_WITHIN`]); its code and its output.
fn run(mut command: Command) -> (Option<i32>, String) {
    let mut child = command
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + EXIT_WITHIN;
    while child.try_wait().unwrap().is_none() {
        if Instant::now() > deadline {
            let _ = child.kill();
            break;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let out = child.wait_with_output().unwrap();
    let output = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.code(), output)
}

fn check_case(
    case: &Value,
    fixtures: &Fixtures,
    template: &Path,
    dir: &Path,
) -> Result<(), String> {
    copy_tree(template, dir);
    let before = snapshot(dir);
    let args = fixtures.resolve(&case["args"]);
    let args: Vec<&str> = args
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a.as_str().unwrap())
        .collect();
    let expect = fixtures.resolve(&case["expect"]);
    let mut command = command(text(case, "binary"), dir);
    command.args(&args);
    let (code, output) = run(command);
    let exit = expect["exit"].as_i64().map(|c| i32::try_from(c).unwrap());
    if code != exit {
        return Err(format!("exit code {code:?}, expected {exit:?}:\n{output}"));
    }
    let message = text(&expect, "message");
    if !output.contains(message) {
        return Err(format!("no {message:?} in:\n{output}"));
    }
    if snapshot(dir) != before {
        return Err("the folder changed".to_owned());
    }
    Ok(())
}

#[test]
fn every_bad_command_line_value_is_refused_precisely_and_leaves_no_state() {
    let corpus = Corpus::load("cli");
    let root = tempfile::tempdir().unwrap();
    // A port someone else listens on.
    let busy = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let mut fixtures = Fixtures::default();
    fixtures.set("busyPort", busy.local_addr().unwrap().port().to_string());
    let templates = std::thread::scope(|s| {
        let plc = s.spawn(|| module_template("opc-plc", root.path()));
        let client = s.spawn(|| module_template("opc-client", root.path()));
        let vault = vault_template(root.path());
        let agent = root.path().join("template-cert-agent");
        std::fs::create_dir_all(&agent).unwrap();
        let plc = plc.join().unwrap();
        // cert-agent's PKI root (`--pki-root=.`) holds the PLC's store.
        copy_tree(&plc.join("pki"), &agent.join("plc"));
        [
            ("opc-plc", plc),
            ("opc-client", client.join().unwrap()),
            ("opc-vault", vault),
            ("cert-agent", agent),
        ]
    });
    let template = |binary: &str| {
        templates
            .iter()
            .find_map(|(name, dir)| (*name == binary).then(|| dir.clone()))
            .unwrap_or_else(|| panic!("no binary {binary}"))
    };
    // Two at a time: most cases exit at once, some after opening the store.
    let cases: Vec<(usize, &Value)> = corpus.cases().iter().enumerate().collect();
    let failures: Vec<String> = std::thread::scope(|s| {
        let handles: Vec<_> = cases
            .chunks(cases.len().div_ceil(2))
            .map(|chunk| {
                let (fixtures, root, template) = (&fixtures, root.path(), &template);
                s.spawn(move || {
                    chunk
                        .iter()
                        .filter_map(|(i, case)| {
                            let dir = root.join(format!("case-{i}"));
                            check_case(case, fixtures, &template(text(case, "binary")), &dir)
                                .err()
                                .map(|why| format!("{}: {why}", text(case, "name")))
                        })
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().unwrap())
            .collect()
    });
    drop(busy);
    assert!(
        failures.is_empty(),
        "{} of {} cases failed:\n{}",
        failures.len(),
        corpus.cases().len(),
        failures.join("\n\n")
    );
    eprintln!("bad input cli: {} cases", corpus.cases().len());
}
