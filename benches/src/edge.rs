//! P3, P6 and P7: the twin path on an in-process edge-sim (its MQTT server, service API and
//! agent are the real ones; only the machine is shared).
//!
//! - P3 [`twin_round_trips`]: the `opc-plc` binary runs as a module under edge-sim's agent,
//!   provisioned once by `opc-vault`; then, 100 times, a new certificate for its key is written
//!   to `pki.applicationCert` with one desired PATCH through the service API, and the time
//!   until its reported `pki.applicationCert.thumbprint` is the new one is taken (edge-sim's
//!   twin state is read every millisecond, in-process, so the wait adds no request of its own).
//! - P6 [`fan_out`]: 200 module clients (`edge-client`) connected to edge-sim, each answering a
//!   desired `bench` property with the same reported one; one PATCH per module through the
//!   service API, all sent at once; the time until every module's report arrived.
//! - P7 [`provision_many`]: 50 modules, each the real own-`pki` twin driver (`module-runtime`,
//!   as in `opc-plc`) on a store with a self-signed certificate; the time `opc-vault`'s
//!   `provision` takes to sign every CSR, write every twin and see every module report
//!   `applied`.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{Context as _, Result, bail, ensure};
use base64::Engine as _;
use edge_client::{ClientOptions, ModuleClient};
use edge_sim::harness::{self, Module};
use edge_sim::{Config, EdgeSim, Running};
use hub_service::{ServiceClient, TlsTrust};
use module_runtime::twin::{TwinPki, TwinPkiOptions};
use opc_vault::provision::{ProvisionOptions, Target, provision};
use opc_vault::{CertType, SignOptions, Vault};
use pki::{Operation, PlanOptions, SelfSignedSpec, Store, StoreLayout, ValidationOptions};
use serde::Serialize;
use serde_json::json;
use time::OffsetDateTime;
use tokio_util::sync::CancellationToken;

use crate::stats::{median, percentile};

/// How long any wait of these benchmarks may take before it fails.
const PATIENCE: Duration = Duration::from_mins(1);

/// Latencies of repeated trials, milliseconds.
#[derive(Debug, Clone, Serialize)]
pub struct Latencies {
    /// Every trial, in order.
    pub trials_ms: Vec<f64>,
    /// Median.
    pub p50_ms: Option<f64>,
    /// 99th percentile (nearest rank).
    pub p99_ms: Option<f64>,
    /// Largest.
    pub max_ms: Option<f64>,
}

impl Latencies {
    /// The statistics of `trials_ms`.
    #[must_use]
    pub fn of(trials_ms: Vec<f64>) -> Self {
        Self {
            p50_ms: median(&trials_ms),
            p99_ms: percentile(&trials_ms, 99.0),
            max_ms: trials_ms.iter().copied().reduce(f64::max),
            trials_ms,
        }
    }
}

fn service_client(sim: &Running) -> Result<ServiceClient> {
    Ok(ServiceClient::from_connection_string(
        &sim.service_connection_string(),
        TlsTrust::CaPem(sim.ca_pem().to_owned()),
    )?)
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// P3: `trials` desired `PATCH`es of `pki.applicationCert` to an `opc-plc` module on edge-sim,
/// each until the module reports the new thumbprint.
pub async fn twin_round_trips(
    plc: &Path,
    work: &Path,
    vault: &Vault,
    trials: usize,
) -> Result<Latencies> {
    const MODULE: &str = "opcplc";
    let sim = harness::sim(&work.join("p3-edge-sim")).await;
    let port = crate::servers::free_port()?;
    let module = Module::new(plc.display().to_string()).args([
        "--pn".to_owned(),
        port.to_string(),
        "--ph".to_owned(),
        "localhost".to_owned(),
        "--listenhost".to_owned(),
        crate::certs::HOST_IP.to_owned(),
    ]);
    let manifest = harness::manifest([(MODULE, module)]);
    let (agent, mut logs) = harness::deploy(&sim, work, &manifest, harness::FAST).await;
    logs.patience = PATIENCE;
    let hub = service_client(&sim)?;
    let device = sim.device_id();
    let now = OffsetDateTime::now_utc();

    // Provision it once (CA, CRL, a first certificate), as an operator would.
    let reports = provision(
        vault,
        &hub,
        &device,
        &[Target::own(MODULE)],
        &ProvisionOptions {
            timeout: PATIENCE,
            ..ProvisionOptions::default()
        },
        now,
        Arc::new(|_| {}),
    )
    .await?;
    ensure!(
        reports
            .iter()
            .all(opc_vault::provision::TargetReport::succeeded),
        "the first provisioning failed: {reports:?}\n{}",
        logs.drain().join("\n")
    );
    let csr = harness::reported(&sim, MODULE)["pki"]["csr"]
        .as_str()
        .map(|c| base64::engine::general_purpose::STANDARD.decode(c))
        .context("the module reports no CSR")??;

    let mut trials_ms = Vec::with_capacity(trials);
    for _ in 0..trials {
        let signed = vault.sign(
            &csr,
            &SignOptions {
                application_uri: None,
                cert_type: CertType::Both,
                years: None,
            },
            OffsetDateTime::now_utc(),
        )?;
        let thumbprint = signed.certificate.thumbprint().to_string();
        let patch = json!({"pki": {"applicationCert":
            base64::engine::general_purpose::STANDARD.encode(signed.certificate.der())}});
        let started = Instant::now();
        hub.update_module_desired(&device, MODULE, &patch).await?;
        loop {
            let reported = harness::reported(&sim, MODULE);
            if reported["pki"]["applicationCert"]["thumbprint"] == thumbprint.as_str() {
                break;
            }
            if started.elapsed() > PATIENCE {
                bail!(
                    "{MODULE} never reported {thumbprint}: {}\n{}",
                    reported["pki"],
                    logs.drain().join("\n")
                );
            }
            tokio::time::sleep(Duration::from_millis(1)).await;
        }
        trials_ms.push(ms(started.elapsed()));
    }
    agent.shutdown().await;
    sim.shutdown().await;
    Ok(Latencies::of(trials_ms))
}

/// What P6 measured.
#[derive(Debug, Clone, Serialize)]
pub struct FanOut {
    /// Connected module clients.
    pub modules: usize,
    /// From the first PATCH sent to the last report seen, milliseconds.
    pub all_reported_ms: f64,
    /// How long sending the `PATCH`es took (all at once), milliseconds.
    pub patches_sent_ms: f64,
}

/// P6: `count` module clients on edge-sim; one desired patch each; the time until all reported.
pub async fn fan_out(work: &Path, count: usize) -> Result<FanOut> {
    let names: Vec<String> = (1..=count).map(|i| format!("module{i:03}")).collect();
    let sim = EdgeSim::start(
        Config::new(work.join("p6-edge-sim"))
            .ephemeral()
            .with_modules(&names),
        CancellationToken::new(),
    )
    .await?;
    let mut clients = Vec::with_capacity(count);
    for name in &names {
        let options = ClientOptions {
            port: sim.mqtt_port(),
            ..ClientOptions::default()
        };
        let client = Arc::new(ModuleClient::from_connection_string(
            &sim.module_connection_string(name)?,
            sim.ca_pem(),
            options,
        )?);
        // Each module answers a desired `bench` with the same reported value.
        let answering = Arc::clone(&client);
        let mut desired = client.desired_stream();
        tokio::spawn(async move {
            while let Some(update) = desired.recv().await {
                let value = update.patch.as_ref().and_then(|p| p.get("bench")).cloned();
                if let Some(value) = value {
                    let _ = answering.update_reported(json!({ "bench": value })).await;
                }
            }
        });
        clients.push(client);
    }
    // Every client connected (its first full desired document arrived at the twin's session).
    let deadline = Instant::now() + PATIENCE;
    while !names.iter().all(|n| sim.is_connected(n)) {
        ensure!(
            Instant::now() < deadline,
            "not every module client connected"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    // Let each client finish its first twin GET before the patches.
    tokio::time::sleep(Duration::from_secs(2)).await;

    let hub = service_client(&sim)?;
    let device = sim.device_id();
    let started = Instant::now();
    let mut sends = Vec::with_capacity(count);
    for name in &names {
        let (hub, device, name) = (hub.clone(), device.clone(), name.clone());
        sends.push(tokio::spawn(async move {
            hub.update_module_desired(&device, &name, &json!({"bench": name}))
                .await
        }));
    }
    for send in sends {
        send.await??;
    }
    let patches_sent = started.elapsed();
    let mut pending: Vec<&String> = names.iter().collect();
    while !pending.is_empty() {
        pending.retain(|n| harness::reported(&sim, n)["bench"] != n.as_str());
        ensure!(
            started.elapsed() < PATIENCE,
            "{} modules never reported",
            pending.len()
        );
        tokio::time::sleep(Duration::from_millis(2)).await;
    }
    let all_reported = started.elapsed();
    for client in clients {
        if let Ok(client) = Arc::try_unwrap(client) {
            client.shutdown().await;
        }
    }
    sim.shutdown().await;
    Ok(FanOut {
        modules: count,
        all_reported_ms: ms(all_reported),
        patches_sent_ms: ms(patches_sent),
    })
}

/// What P7 measured.
#[derive(Debug, Clone, Serialize)]
pub struct Provisioned {
    /// Modules provisioned.
    pub modules: usize,
    /// `provision` from its call to its return (every module `applied`), milliseconds.
    pub provision_ms: f64,
}

/// P7: `count` modules with the own-`pki` twin driver; `opc-vault provision` of all of them.
pub async fn provision_many(work: &Path, count: usize) -> Result<Provisioned> {
    let names: Vec<String> = (1..=count).map(|i| format!("plc{i:02}")).collect();
    let dir = work.join("p7");
    let sim = EdgeSim::start(
        Config::new(dir.join("edge-sim"))
            .ephemeral()
            .with_modules(&names),
        CancellationToken::new(),
    )
    .await?;
    let ca_file = dir.join("edge-ca.pem");
    std::fs::write(&ca_file, sim.ca_pem())?;
    let now = OffsetDateTime::now_utc();
    let mut modules = Vec::with_capacity(count);
    for name in &names {
        let uri = format!("urn:{name}:bench");
        let store_dir = dir.join("stores").join(name);
        std::fs::create_dir_all(&store_dir)?;
        let store = Store::open(StoreLayout::under(&store_dir))?;
        store.transact(
            vec![Operation::CreateSelfSigned(SelfSignedSpec::new(
                &format!("CN={name}"),
                &uri,
                vec![crate::certs::HOST_NAME.to_owned()],
            ))],
            &PlanOptions::new(now),
        )?;
        let env = module_env(&sim, name, &ca_file)?;
        let twin = TwinPki::start_from_environment(
            env,
            store,
            TwinPkiOptions::new(uri, ValidationOptions::default()),
        )?
        .context("the environment names a module identity")?;
        modules.push(twin);
    }
    // Every module has reported its CSR (what provision signs).
    let deadline = Instant::now() + PATIENCE;
    while !names
        .iter()
        .all(|n| harness::reported(&sim, n)["pki"]["csr"].is_string())
    {
        ensure!(Instant::now() < deadline, "not every module reported a CSR");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let vault = Vault::init(&dir.join("vault"), &opc_vault::InitOptions::default(), now)?;
    let hub = service_client(&sim)?;
    let targets: Vec<Target> = names.iter().map(|n| Target::own(n)).collect();
    let started = Instant::now();
    let reports = provision(
        &vault,
        &hub,
        &sim.device_id(),
        &targets,
        &ProvisionOptions::default(),
        OffsetDateTime::now_utc(),
        Arc::new(|_| {}),
    )
    .await?;
    let took = started.elapsed();
    let failed: Vec<String> = reports
        .iter()
        .filter(|r| !r.succeeded())
        .map(|r| format!("{}: {:?}", r.target, r.outcome))
        .collect();
    ensure!(failed.is_empty(), "provisioning failed: {failed:?}");
    for m in modules {
        m.stop();
    }
    sim.shutdown().await;
    Ok(Provisioned {
        modules: count,
        provision_ms: ms(took),
    })
}

/// The environment of a module process on edge-sim with a connection string (as the opc-vault
/// tests give their modules).
fn module_env(
    sim: &Running,
    module: &str,
    ca_file: &Path,
) -> Result<impl Fn(&str) -> Option<String> + Send + 'static> {
    let cs = sim.module_connection_string(module)?;
    let ca: PathBuf = ca_file.to_owned();
    let port = sim.mqtt_port().to_string();
    Ok(move |name: &str| match name {
        "EdgeHubConnectionString" => Some(cs.clone()),
        "EdgeModuleCACertificateFile" => Some(ca.display().to_string()),
        "EDGE_SIM_MQTT_PORT" => Some(port.clone()),
        _ => None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn latencies_summarise_the_trials() {
        let l = Latencies::of((1..=100).map(f64::from).collect());
        assert_eq!(l.p50_ms, Some(50.5));
        assert_eq!(l.p99_ms, Some(99.0));
        assert_eq!(l.max_ms, Some(100.0));
        assert_eq!(Latencies::of(Vec::new()).p50_ms, None);
    }
}

/// What P8 measured.
#[derive(Debug, Clone, Serialize)]
pub struct FleetRotation {
    /// Simulated devices.
    pub devices: u32,
    /// Stores rotated (two per device: `opcplc` and `certagent:plc`).
    pub targets: usize,
    /// The service API's rate limit, requests per second.
    pub rate_limit: u32,
    /// Targets worked on at the same time.
    pub concurrency: usize,
    /// `rotate` from its call to its return (every store `applied`), seconds.
    pub rotate_s: f64,
    /// Certificates issued.
    pub issued: usize,
    /// Requests the hub answered 429 (each retried after its `Retry-After`).
    pub throttled: u64,
    /// Requests the hub served during the rotation (twin reads, patches, polls).
    pub requests: u64,
    /// The fleet's start until every module reported, seconds.
    pub fleet_up_s: f64,
    /// This process's RSS grew by this much with the fleet up (edge-sim's memory), KiB.
    pub fleet_rss_kib: u64,
}

fn rss_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmRSS:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|v| v.parse().ok())
        })
        .unwrap_or(0)
}

/// P8: an edge-sim fleet of `devices` devices × 2 module twins behind a rate limit of `rate`
/// requests/s; `opc-vault rotate` of every store (each self-signed, so each signed).
pub async fn fleet_rotation(
    work: &Path,
    devices: u32,
    rate: u32,
    concurrency: usize,
) -> Result<FleetRotation> {
    let dir = work.join("p8");
    let before = rss_kib();
    let started = Instant::now();
    let sim = EdgeSim::start(
        Config::new(dir.join("edge-sim"))
            .ephemeral()
            .with_fleet(edge_sim::FleetConfig::new(devices))
            .with_rate_limit(edge_sim::service_api::throttle::RateLimit::per_second(rate)),
        CancellationToken::new(),
    )
    .await?;
    let fleet = sim.fleet().context("no fleet")?;
    let deadline = Instant::now() + Duration::from_mins(10);
    loop {
        let reported = fleet.devices().iter().all(|d| {
            ["opcplc", "certagent"].iter().all(|m| {
                fleet
                    .twin(d, m)
                    .is_some_and(|t| !t.reported.properties().is_empty())
            })
        });
        if reported {
            break;
        }
        ensure!(Instant::now() < deadline, "the fleet never reported");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    let fleet_up = started.elapsed();
    let fleet_rss = rss_kib().saturating_sub(before);
    let vault = Vault::init(
        &dir.join("vault"),
        &opc_vault::InitOptions::default(),
        OffsetDateTime::now_utc(),
    )?;
    let hub = service_client(&sim)?.with_retry(opc_vault::fleet::RETRY);
    let options = opc_vault::fleet::FleetOptions {
        query: opc_vault::fleet::query_of(opc_vault::fleet::EVERY_STORE),
        provision: ProvisionOptions {
            renew_days: 30,
            concurrency,
            timeout: Duration::from_mins(5),
            ..ProvisionOptions::default()
        },
        command: "rotate".to_owned(),
        resume: false,
    };
    let served_before = sim.admitted_requests();
    let started = Instant::now();
    let report = opc_vault::fleet::run(
        &vault,
        &hub,
        &options,
        OffsetDateTime::now_utc(),
        Arc::new(|_| {}),
        None,
    )
    .await?;
    let took = started.elapsed();
    ensure!(
        report.all_ok(),
        "the rotation did not finish: {:?}",
        report.counts
    );
    let throttled = sim.throttled_requests();
    let requests = sim.admitted_requests() - served_before;
    sim.shutdown().await;
    Ok(FleetRotation {
        devices,
        targets: report.targets,
        rate_limit: rate,
        concurrency,
        rotate_s: took.as_secs_f64(),
        issued: report.issued,
        throttled,
        requests,
        fleet_up_s: fleet_up.as_secs_f64(),
        fleet_rss_kib: fleet_rss,
    })
}
