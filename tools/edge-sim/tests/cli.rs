#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::too_many_lines
)]
//! The `edge-sim` binary: `validate`, and an `up -d` / `status` / `twin` / `method` /
//! `modulecred` / `hubcred` / `down` round trip on free ports.

use std::os::unix::fs::PermissionsExt as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::{Duration, Instant};

use edge_sim::harness::{self, Module};
use serde_json::{Value, json};

const BIN: &str = env!("CARGO_BIN_EXE_edge-sim");

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../crates/hub-proto/tests/fixtures/real-manifests")
}

fn edge_sim(state: &Path, args: &[&str]) -> Output {
    Command::new(BIN)
        .arg("--state")
        .arg(state)
        .args(args)
        .output()
        .unwrap()
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn real_manifests() -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(fixtures())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    files.sort();
    assert_eq!(files.len(), 6);
    files
}

fn validate(dir: &Path, manifest: &Value) -> Output {
    let path = dir.join("m.json");
    std::fs::write(&path, manifest.to_string()).unwrap();
    Command::new(BIN)
        .arg("validate")
        .arg(&path)
        .output()
        .unwrap()
}

#[test]
fn every_real_manifest_is_valid() {
    for file in real_manifests() {
        let out = Command::new(BIN)
            .arg("validate")
            .arg(&file)
            .output()
            .unwrap();
        assert_eq!(
            out.status.code(),
            Some(0),
            "{}: {}",
            file.display(),
            stdout(&out)
        );
        assert!(stdout(&out).contains("valid"));
    }
}

#[test]
fn broken_manifests_are_invalid_with_the_json_path_of_each_problem() {
    let dir = tempfile::tempdir().unwrap();
    let file = real_manifests()
        .into_iter()
        .find(|f| {
            f.to_string_lossy()
                .ends_with("4.0__deployment.template.json")
        })
        .unwrap();
    let good: Value = serde_json::from_slice(&std::fs::read(file).unwrap()).unwrap();
    let agent = "/modulesContent/$edgeAgent/properties.desired";
    let first_module = good
        .pointer(&format!("{agent}/modules"))
        .and_then(Value::as_object)
        .unwrap()
        .keys()
        .next()
        .unwrap()
        .clone();

    let mut m = good.clone();
    *m.pointer_mut(&format!("{agent}/schemaVersion")).unwrap() = json!("1.2");
    let out = validate(dir.path(), &m);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stdout(&out).contains(&format!(
            "{agent}/schemaVersion: $edgeAgent does not accept"
        )),
        "{}",
        stdout(&out)
    );

    let mut m = good.clone();
    let module = m
        .pointer_mut(&format!("{agent}/modules/{first_module}"))
        .unwrap();
    module["settings"].as_object_mut().unwrap().remove("image");
    module["startupOrder"] = json!(-1);
    let out = validate(dir.path(), &m);
    assert_eq!(out.status.code(), Some(1));
    let text = stdout(&out);
    assert!(
        text.contains(&format!(
            "{agent}/modules/{first_module}/settings/image: settings.image is required"
        )),
        "{text}"
    );
    assert!(
        text.contains(&format!(
            "{agent}/modules/{first_module}/startupOrder: startupOrder must be"
        )),
        "{text}"
    );

    let path = dir.path().join("bad.json");
    std::fs::write(&path, "{not json").unwrap();
    let out = Command::new(BIN)
        .arg("validate")
        .arg(&path)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn usage_errors_exit_with_2() {
    let out = Command::new(BIN).arg("validate").output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let out = Command::new(BIN).arg("frobnicate").output().unwrap();
    assert_eq!(out.status.code(), Some(2));
}

/// Stops the detached instance even when an assertion fails.
struct Down<'a>(&'a Path);

impl Drop for Down<'_> {
    fn drop(&mut self) {
        let _ = edge_sim(self.0, &["down"]);
    }
}

fn wait_for(what: &str, mut check: impl FnMut() -> Option<String>) -> String {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        if let Some(v) = check() {
            return v;
        }
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(100));
    }
}

#[test]
fn detached_up_serves_status_twins_methods_and_credentials_until_down() {
    let dir = tempfile::tempdir().unwrap();
    let state = dir.path().join("state");
    let module = dir.path().join("m.sh");
    std::fs::write(
        &module,
        "#!/bin/sh\necho \"hello from $IOTEDGE_MODULEID\"\nexec sleep 300\n",
    )
    .unwrap();
    std::fs::set_permissions(&module, std::fs::Permissions::from_mode(0o755)).unwrap();
    let mut manifest = harness::manifest([("sensor", Module::new(module.display().to_string()))]);
    manifest["modulesContent"]["sensor"] = json!({"properties.desired": {"interval": 5}});
    let manifest_path = dir.path().join("deployment.json");
    std::fs::write(&manifest_path, manifest.to_string()).unwrap();

    let out = edge_sim(
        &state,
        &[
            "up",
            "-d",
            "--mqtt-port",
            "0",
            "--api-port",
            "0",
            "--manifest",
            manifest_path.to_str().unwrap(),
        ],
    );
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}{}",
        stdout(&out),
        String::from_utf8_lossy(&out.stderr)
    );
    let _down = Down(&state);
    let instance: Value =
        serde_json::from_slice(&std::fs::read(state.join("instance.json")).unwrap()).unwrap();
    assert_ne!(instance["apiPort"], 0);
    assert_ne!(instance["mqttPort"], 0);

    let log = wait_for("the module's log line", || {
        let log = std::fs::read_to_string(state.join("edge-sim.log")).unwrap_or_default();
        log.contains("sensor | hello from sensor").then_some(log)
    });
    assert!(log.contains("sensor | hello from sensor"));

    let status = wait_for("running status", || {
        let s = stdout(&edge_sim(&state, &["status"]));
        s.lines()
            .any(|l| l.starts_with("sensor") && l.contains("running"))
            .then_some(s)
    });
    assert!(status.contains("MODULE"), "{status}");

    let out = edge_sim(&state, &["twin", "get", "sensor"]);
    let twin: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(twin["properties"]["desired"]["interval"], 5);

    let patch = dir.path().join("patch.json");
    std::fs::write(&patch, r#"{"interval": 7, "mode": "fast"}"#).unwrap();
    let out = edge_sim(
        &state,
        &[
            "twin",
            "patch",
            "sensor",
            "--desired",
            &format!("@{}", patch.display()),
        ],
    );
    assert_eq!(out.status.code(), Some(0));
    let out = edge_sim(
        &state,
        &["twin", "patch", "sensor", "--desired", r#"{"mode": null}"#],
    );
    let twin: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(twin["properties"]["desired"]["interval"], 7);
    assert!(twin["properties"]["desired"].get("mode").is_none());

    let out = edge_sim(
        &state,
        &[
            "method",
            "$edgeAgent",
            "RestartModule",
            "--payload",
            r#"{"schemaVersion":"1.0","id":"sensor"}"#,
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    wait_for("restartCount 1", || {
        let out = edge_sim(&state, &["twin", "get", "$edgeAgent"]);
        let twin: Value = serde_json::from_slice(&out.stdout).ok()?;
        (twin["properties"]["reported"]["modules"]["sensor"]["restartCount"] == 1).then(String::new)
    });

    let cred = stdout(&edge_sim(&state, &["modulecred", "sensor"]));
    let mut lines = cred.lines();
    let cs = lines.next().unwrap();
    assert!(
        cs.starts_with("EdgeHubConnectionString=HostName="),
        "{cred}"
    );
    assert!(
        cs.contains(";DeviceId=edge-sim;ModuleId=sensor;SharedAccessKey="),
        "{cred}"
    );
    assert!(cs.contains(";GatewayHostName=localhost"), "{cred}");
    let ca = lines.next().unwrap();
    assert!(ca.starts_with("EdgeModuleCACertificateFile=/"), "{cred}");
    assert!(Path::new(ca.split_once('=').unwrap().1).is_file());

    let env = stdout(&edge_sim(&state, &["modulecred", "sensor", "--env"]));
    assert!(env.contains("export IOTEDGE_MODULEID=sensor"), "{env}");
    assert!(env.contains("export IOTEDGE_WORKLOADURI=unix:///"), "{env}");
    assert!(env.contains("/workload/sensor.sock"), "{env}");

    let hub = stdout(&edge_sim(&state, &["hubcred"]));
    let api_port = instance["apiPort"].as_u64().unwrap();
    assert!(
        hub.starts_with(&format!("IotHubConnectionString=HostName=localhost:{api_port};SharedAccessKeyName=iothubowner;SharedAccessKey=")),
        "{hub}"
    );
    assert!(hub.contains("\nCACertificateFile=/"), "{hub}");

    let out = edge_sim(&state, &["down"]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(!state.join("instance.json").exists());
    let out = edge_sim(&state, &["status"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no running edge-sim"));
}

#[test]
fn detached_up_with_a_fleet_creates_its_stores_and_hubcred_still_works() {
    let dir = tempfile::tempdir().unwrap();
    let state = dir.path().join("state");
    let out = edge_sim(
        &state,
        &[
            "up",
            "-d",
            "--mqtt-port",
            "0",
            "--api-port",
            "0",
            "--fleet",
            "3",
            "--fleet-prefix",
            "line-",
            "--fleet-module",
            "plc",
            "--fleet-module",
            "agent:a+b",
            "--rate-limit",
            "1000",
        ],
    );
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let _down = Down(&state);
    // Every store exists with its self-signed certificate when the instance is up.
    for device in ["line-0001", "line-0002", "line-0003"] {
        for store in ["plc", "agent/a", "agent/b"] {
            let certs = state
                .join("fleet")
                .join(device)
                .join(store)
                .join("own/certs");
            let count = std::fs::read_dir(&certs)
                .unwrap_or_else(|e| panic!("{}: {e}", certs.display()))
                .count();
            assert_eq!(count, 1, "{}", certs.display());
        }
    }
    assert!(!state.join("fleet/line-0004").exists());
    let hub = stdout(&edge_sim(&state, &["hubcred"]));
    assert!(
        hub.starts_with("IotHubConnectionString=HostName=localhost:"),
        "{hub}"
    );
    // A bad fleet module is a usage error naming it.
    let out = edge_sim(
        &state,
        &["up", "--fleet", "1", "--fleet-module", "agent:a.b"],
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("agent"));
}
