//! Fleet commands against an edge-sim fleet (in-process module twins on real stores, IoT
//! Hub's paging, throttling and configurations): a 100-device fleet rotated through a rate
//! limit (429 with `Retry-After`) and a SIGKILL in the middle of the run, resumed without a
//! certificate issued twice; devices offline during a rotation converging when they return;
//! a CA rollover through two configurations.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::too_many_lines,
    missing_docs
)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use edge_sim::service_api::throttle::RateLimit;
use edge_sim::{Config, EdgeSim, FleetConfig, Running};
use serde_json::Value;
use tokio_util::sync::CancellationToken;

const BIN: &str = env!("CARGO_BIN_EXE_opc-vault");
const PATIENCE: Duration = Duration::from_mins(2);

struct Fleet {
    running: Running,
    dir: tempfile::TempDir,
}

impl Fleet {
    async fn start(devices: u32, rate: Option<RateLimit>) -> Self {
        let dir = tempfile::tempdir().unwrap();
        let mut config = Config::new(dir.path().join("state"))
            .ephemeral()
            .with_fleet(FleetConfig::new(devices));
        if let Some(rate) = rate {
            config = config.with_rate_limit(rate);
        }
        let running = EdgeSim::start(config, CancellationToken::new())
            .await
            .unwrap();
        std::fs::write(dir.path().join("edge-ca.pem"), running.ca_pem()).unwrap();
        Self { running, dir }
    }

    fn vault(&self, name: &str) -> PathBuf {
        self.vault_with(name, "CN=OPC Vault CA")
    }

    fn vault_with(&self, name: &str, subject: &str) -> PathBuf {
        let path = self.dir.path().join(name);
        if !path.exists() {
            let init = Command::new(BIN)
                .arg("--vault")
                .arg(&path)
                .args(["init", "--subject", subject])
                .output()
                .unwrap();
            assert!(
                init.status.success(),
                "{}",
                String::from_utf8_lossy(&init.stderr)
            );
        }
        path
    }

    /// `opc-vault --vault <vault> <args> --hub … --hub-ca …`.
    fn command(&self, vault: &Path, args: &[&str]) -> Command {
        let mut command = Command::new(BIN);
        command
            .arg("--vault")
            .arg(vault)
            .args(args)
            .arg("--hub")
            .arg(self.running.service_connection_string())
            .arg("--hub-ca")
            .arg(self.dir.path().join("edge-ca.pem"))
            .env_remove("IOTHUB_CONNECTION_STRING")
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        command
    }

    fn run(&self, vault: &Path, args: &[&str]) -> Output {
        self.command(vault, args).output().unwrap()
    }

    fn reported(&self, device: &str, module: &str) -> Value {
        let twin = self.running.fleet().unwrap().twin(device, module).unwrap();
        Value::Object(twin.reported.properties().clone())
    }

    /// Every reported section of every fleet module: (device/target, section).
    fn sections(&self) -> Vec<(String, Value)> {
        let fleet = self.running.fleet().unwrap();
        let mut out = Vec::new();
        for device in fleet.devices() {
            let plc = self.reported(&device, "opcplc");
            out.push((format!("{device}/opcplc"), plc["pki"].clone()));
            let agent = self.reported(&device, "certagent");
            out.push((
                format!("{device}/certagent:plc"),
                agent["stores"]["plc"].clone(),
            ));
        }
        out
    }

    async fn until(&self, what: &str, done: impl Fn(&Self) -> bool) {
        let deadline = Instant::now() + PATIENCE;
        while !done(self) {
            assert!(Instant::now() < deadline, "never {what}");
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }
}

fn summary(output: &Output) -> Value {
    let text = String::from_utf8_lossy(&output.stdout);
    let at = text.find("{\n").unwrap_or_else(|| {
        panic!(
            "no JSON summary: {text}\n{}",
            String::from_utf8_lossy(&output.stderr)
        )
    });
    serde_json::from_str(&text[at..]).unwrap()
}

fn thumbprint(section: &Value) -> String {
    section["applicationCert"]["thumbprint"]
        .as_str()
        .unwrap_or_default()
        .to_owned()
}

fn index(vault: &Path) -> Vec<Value> {
    let index: Value =
        serde_json::from_slice(&std::fs::read(vault.join("index.json")).unwrap()).unwrap();
    index["certificates"].as_array().unwrap().clone()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_hundred_devices_rotate_through_throttling_and_a_kill_without_a_certificate_issued_twice()
{
    let fleet = Fleet::start(
        100,
        // Below what 16 concurrent targets ask for: the hub refuses with 429 and Retry-After.
        Some(RateLimit {
            rate: 40.0,
            burst: 10,
        }),
    )
    .await;
    fleet
        .until("reported every CSR", |f| {
            f.sections().iter().all(|(_, s)| s["csr"].is_string())
        })
        .await;
    let vault = fleet.vault("vault");
    let rotate = |extra: &[&str]| {
        let mut args = vec![
            "rotate",
            "--days",
            "30",
            "--concurrency",
            "16",
            "--timeout",
            "60s",
            "--json",
        ];
        args.extend_from_slice(extra);
        fleet.command(&vault, &args)
    };

    // Killed once its journal records 60 signatures.
    let mut child = rotate(&[]).spawn().unwrap();
    let deadline = Instant::now() + PATIENCE;
    loop {
        let signed = std::fs::read_dir(vault.join("runs"))
            .ok()
            .and_then(|mut d| d.next())
            .and_then(|e| std::fs::read_to_string(e.unwrap().path()).ok())
            .map_or(0, |text| text.matches("\"event\":\"signed\"").count());
        if signed >= 60 {
            break;
        }
        assert!(Instant::now() < deadline, "no 60 signatures in the journal");
        std::thread::sleep(Duration::from_millis(5));
    }
    child.kill().unwrap();
    assert!(!child.wait_with_output().unwrap().status.success());

    let resumed = rotate(&["--resume"]).output().unwrap();
    let stderr = String::from_utf8_lossy(&resumed.stderr);
    assert!(resumed.status.success(), "{stderr}");
    let summary = summary(&resumed);
    assert_eq!(summary["targets"], 200);
    assert_eq!(summary["counts"]["ok"], 200, "{summary}");
    assert!(
        fleet.running.throttled_requests() > 0,
        "the rate limit never answered 429: the test proves nothing about throttling"
    );

    // 200 stores, 200 certificates, each reported by its store.
    let issued = index(&vault);
    assert_eq!(issued.len(), 200);
    let thumbprints: std::collections::BTreeSet<&str> = issued
        .iter()
        .map(|c| c["thumbprint"].as_str().unwrap())
        .collect();
    for (target, section) in fleet.sections() {
        assert_eq!(section["status"], "applied", "{target}: {section}");
        assert!(
            thumbprints.contains(thumbprint(&section).as_str()),
            "{target}"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn devices_offline_during_a_rotation_converge_when_they_return() {
    let fleet = Fleet::start(10, None).await;
    fleet
        .until("reported every CSR", |f| {
            f.sections().iter().all(|(_, s)| s["csr"].is_string())
        })
        .await;
    let vault = fleet.vault("vault");
    let sim = fleet.running.fleet().unwrap();
    for device in ["plant-0003", "plant-0007"] {
        sim.set_online(device, false).unwrap();
    }
    let first = fleet.run(
        &vault,
        &["rotate", "--days", "30", "--timeout", "3s", "--json"],
    );
    assert!(!first.status.success());
    let first = summary(&first);
    assert_eq!(first["counts"]["ok"], 16, "{first}");
    assert_eq!(first["counts"]["unreachable"], 4, "{first}");
    let unreachable: Vec<String> = first["rows"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["column"] == "unreachable")
        .map(|r| r["device"].as_str().unwrap().to_owned())
        .collect();
    assert!(
        unreachable
            .iter()
            .all(|d| d == "plant-0003" || d == "plant-0007"),
        "{unreachable:?}"
    );

    // Back online, the devices apply what was written meanwhile; the resumed run finds them done.
    for device in ["plant-0003", "plant-0007"] {
        sim.set_online(device, true).unwrap();
    }
    let second = fleet.run(
        &vault,
        &[
            "rotate",
            "--days",
            "30",
            "--timeout",
            "60s",
            "--json",
            "--resume",
        ],
    );
    let second_summary = summary(&second);
    assert!(second.status.success(), "{second_summary}");
    assert_eq!(second_summary["counts"]["ok"], 20);
    assert_eq!(
        second_summary["issued"], 0,
        "signed again: {second_summary}"
    );
    assert_eq!(index(&vault).len(), 20);
    // The vault's CRLs run 7 days, within the 30 of --days: the rotation issued CRL 2 and
    // every store holds it; the resumed run issued none.
    for (target, section) in fleet.sections() {
        assert_eq!(
            section["crls"]["opcVaultRoot"]["crlNumber"], 2,
            "{target}: {section}"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_ca_rollover_goes_out_as_configurations_with_both_cas_trusted_during_the_overlap() {
    let fleet = Fleet::start(10, None).await;
    fleet
        .until("reported every CSR", |f| {
            f.sections().iter().all(|(_, s)| s["csr"].is_string())
        })
        .await;
    let (old, new) = (
        fleet.vault("old"),
        fleet.vault_with("new", "CN=OPC Vault CA 2027"),
    );
    let root_thumbprint = |vault: &Path| {
        let der = std::fs::read(vault.join("ca/root.der")).unwrap();
        pki::Certificate::from_der(&der)
            .unwrap()
            .thumbprint()
            .to_string()
    };
    let (old_root, new_root) = (root_thumbprint(&old), root_thumbprint(&new));
    let trusted = |section: &Value| -> Vec<String> {
        section["trusted"]
            .as_object()
            .map(|t| {
                t.values()
                    .map(|c| c["thumbprint"].as_str().unwrap_or_default().to_owned())
                    .collect()
            })
            .unwrap_or_default()
    };
    let publish = |vault: &Path, id: &str, name: &str| {
        let output = fleet.run(
            vault,
            &[
                "trust-config",
                "--id",
                id,
                "--target-condition",
                "STARTSWITH(deviceId, 'plant-')",
                "--module",
                "opcplc,certagent:plc",
                "--name",
                name,
                "--timeout",
                "60s",
            ],
        );
        let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
        assert!(
            output.status.success(),
            "{stdout}{}",
            String::from_utf8_lossy(&output.stderr)
        );
        stdout
    };

    let rotated = fleet.run(&old, &["rotate", "--days", "30", "--json"]);
    assert!(rotated.status.success());
    // The overlap: the old vault's chain and the new one's, each as a configuration.
    let table = publish(&old, "trust-old", "opcVaultOld");
    assert!(
        table
            .lines()
            .nth(1)
            .unwrap()
            .split_whitespace()
            .eq(["trust-old", "10", "10"]),
        "{table}"
    );
    publish(&new, "trust-new", "opcVaultNext");
    for (target, section) in fleet.sections() {
        let trusted = trusted(&section);
        assert!(
            trusted.contains(&old_root) && trusted.contains(&new_root),
            "{target}: {trusted:?}"
        );
    }
    // Every certificate re-issued by the new vault; the old root stays trusted meanwhile.
    let rotated = fleet.run(&new, &["rotate", "--days", "30", "--json"]);
    let rotated_summary = summary(&rotated);
    assert!(rotated.status.success(), "{rotated_summary}");
    assert_eq!(rotated_summary["issued"], 20);
    for (target, section) in fleet.sections() {
        assert_eq!(
            section["applicationCert"]["issuer"], "CN=OPC Vault CA 2027",
            "{target}"
        );
        assert!(trusted(&section).contains(&old_root), "{target}");
    }
    // The old chain goes: deleting its configuration removes what only it set.
    let deleted = fleet.run(&old, &["trust-config", "--id", "trust-old", "--delete"]);
    assert!(deleted.status.success());
    let deadline = Instant::now() + PATIENCE;
    loop {
        let sections = fleet.sections();
        let left: Vec<&(String, Value)> = sections
            .iter()
            .filter(|(_, s)| trusted(s).contains(&old_root) || !trusted(s).contains(&new_root))
            .collect();
        if left.is_empty() {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "{} store(s) never dropped the old root ({old_root}) or lost the new ({new_root}): {:#}",
            left.len(),
            left[0].1
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    // A configuration's content cannot change on IoT Hub: another chain under the same id is
    // refused with the reason.
    let refused = fleet.run(
        &old,
        &[
            "trust-config",
            "--id",
            "trust-new",
            "--target-condition",
            "*",
            "--module",
            "opcplc",
        ],
    );
    assert!(!refused.status.success());
    assert!(
        String::from_utf8_lossy(&refused.stderr)
            .contains("does not allow changing a configuration's content")
    );
}
