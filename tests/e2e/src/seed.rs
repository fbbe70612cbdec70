//! The seed walk-through (docs/reference/seed-walkthrough.md) as one scenario, zero manual
//! steps: `deployment.template.json` on edge-sim, the CA in an `opc-vault`, and the three acts
//! of the seed — everything self-signed and refused; every module provisioned through its
//! twin and the client reading `i=2258`; a revoked client refused. `./scripts/demo` plays it
//! live ([`crate`]'s `seed-demo` binary) and `tests/seed.rs` asserts it.
//!
//! Each act returns what it observed (log lines, reported properties, files, times) or the
//! [`StepFailed`] that says what did not happen.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use edge_sim::agent::PlanOptions;
use edge_sim::agent::plan::plan;
use edge_sim::harness::{Logs, agent_status, reported};
use edge_sim::{Agent, AgentOptions, Config, EdgeSim, Running};
use hub_service::{ServiceClient, TlsTrust};
use opc_vault::provision::{Progress, ProvisionOptions, Target, TargetReport, provision};
use opc_vault::{CertType, InitOptions, RevocationReason, SignOptions, Vault};
use pki::{Operation, PlanOptions as PkiPlanOptions, SelfSignedSpec, Store, StoreLayout};
use serde_json::Value;
use time::OffsetDateTime;
use tokio::sync::mpsc;
use tokio_util::sync::CancellationToken;

/// The PLC whose twin drives its store.
pub const PLC: &str = "opcplc";
/// The client whose twin drives its store; it tests `opc.tcp://opcplc:50000`.
pub const CLIENT: &str = "opcclient";
/// The PLC that does not read its twin (standing for the .NET OPC PLC).
pub const THIRD_PARTY: &str = "thirdpartyplc";
/// The agent that keeps the third-party PLC's store.
pub const AGENT: &str = "certagent";
/// The third-party PLC's port in the manifest.
pub const THIRD_PARTY_PORT: u16 = 50001;

/// What did not happen as it should.
#[derive(Debug, thiserror::Error)]
#[error("{step}: {message}")]
pub struct StepFailed {
    /// The act or step.
    pub step: &'static str,
    /// What was expected and what was seen instead.
    pub message: String,
}

fn failed(step: &'static str, message: impl Into<String>) -> StepFailed {
    StepFailed {
        step,
        message: message.into(),
    }
}

/// Where the scenario runs.
#[derive(Debug, Clone)]
pub struct SeedOptions {
    /// The repository (holds `deployment.template.json` and `modules/`).
    pub repo_root: PathBuf,
    /// Cargo's target directory.
    pub target_dir: PathBuf,
    /// `debug` or `release`: where the module binaries are.
    pub profile: String,
    /// A fresh folder for edge-sim's state, the vault and the demo client's store.
    pub work_dir: PathBuf,
    /// How long each wait may take.
    pub patience: Duration,
}

impl SeedOptions {
    /// The options of a test binary of this crate (`<target>/<profile>/deps/<test>-…`, the
    /// modules in `<target>/<profile>`), with its state in `work_dir`.
    ///
    /// # Panics
    /// When the test binary is not where Cargo puts test binaries.
    #[must_use]
    #[allow(clippy::expect_used)]
    pub fn for_test_binary(work_dir: &Path) -> Self {
        let exe = std::env::current_exe().expect("the test binary's path");
        let profile_dir = exe
            .parent()
            .and_then(Path::parent)
            .expect("a test binary in <target>/<profile>/deps");
        Self {
            repo_root: Path::new(env!("CARGO_MANIFEST_DIR")).join("../.."),
            target_dir: profile_dir.parent().unwrap_or(profile_dir).to_owned(),
            profile: profile_dir
                .file_name()
                .and_then(|n| n.to_str())
                .unwrap_or("debug")
                .to_owned(),
            work_dir: work_dir.to_owned(),
            patience: Duration::from_secs(40),
        }
    }
}

/// Progress lines for an operator (the demo prints them; the test ignores them).
pub type Say = Arc<dyn Fn(&str) + Send + Sync>;

/// The running scenario: edge-sim with the deployment, the vault, the service client.
pub struct Seed {
    options: SeedOptions,
    sim: Running,
    agent: Option<Agent>,
    logs: Logs,
    vault: Vault,
    hub: ServiceClient,
    say: Say,
}

/// Act 1: what showed that nothing was trusted yet.
#[derive(Debug, Clone)]
pub struct SelfSigned {
    /// The client's failure lines.
    pub client_lines: Vec<String>,
    /// The CSRs each target reported (target, base64).
    pub csrs: Vec<(String, String)>,
    /// The store files in the volumes: the PLC's own certificate, the third-party PLC's.
    pub store_files: Vec<PathBuf>,
}

/// Act 2: provisioning and what it led to.
#[derive(Debug)]
pub struct Provisioned {
    /// One report per target.
    pub reports: Vec<TargetReport>,
    /// How long `provision` took.
    pub provision_took: Duration,
    /// From the end of `provision` to the client's `Session successfully created` line.
    pub session_after: Duration,
    /// The client's session and value lines.
    pub client_lines: Vec<String>,
    /// The third-party PLC's restarts (through cert-agent and the management API).
    pub third_party_restarts: u64,
    /// The thumbprint each twin-reading module reports, with the SHA-1 of its store file.
    pub thumbprints: Vec<(String, String, String)>,
}

/// Act 3: the revocation.
#[derive(Debug, Clone)]
pub struct Revoked {
    /// The client certificate revoked.
    pub thumbprint: String,
    /// From the end of the CRL push to the PLC's refusal line.
    pub refused_after: Duration,
    /// The PLC's refusal lines.
    pub plc_lines: Vec<String>,
}

impl Seed {
    /// Starts edge-sim (free ports, state in `work_dir/edge-sim`), runs
    /// `deployment.template.json` with its agent, and initialises the vault in
    /// `work_dir/vault`.
    pub async fn start(options: SeedOptions, say: Say) -> Result<Self, StepFailed> {
        let step = "start";
        let manifest_path = options.repo_root.join("deployment.template.json");
        let text = std::fs::read_to_string(&manifest_path).map_err(|e| {
            failed(
                step,
                format!("cannot read {}: {e}", manifest_path.display()),
            )
        })?;
        let manifest: Value = serde_json::from_str(&text).map_err(|e| {
            failed(
                step,
                format!("{} is not JSON: {e}", manifest_path.display()),
            )
        })?;
        let state_dir = options.work_dir.join("edge-sim");
        let sim = EdgeSim::start(
            Config::new(&state_dir).ephemeral(),
            CancellationToken::new(),
        )
        .await
        .map_err(|e| failed(step, format!("edge-sim did not start: {e}")))?;
        let deployment = plan(
            &manifest,
            &PlanOptions {
                repo_root: options.repo_root.clone(),
                target_dir: options.target_dir.clone(),
                profile: options.profile.clone(),
                vars: std::collections::BTreeMap::new(),
                state_dir: sim.state_dir().to_owned(),
            },
        )
        .map_err(|e| failed(step, crate::chain(&e)))?;
        if let Some(module) = deployment
            .modules
            .iter()
            .find(|m| m.not_runnable().is_some())
        {
            return Err(failed(
                step,
                format!(
                    "{}: {} (build the modules: cargo build --profile {} -p opc-plc -p opc-client -p cert-agent)",
                    module.name,
                    module.not_runnable().unwrap_or_default(),
                    options.profile
                ),
            ));
        }
        for port in [50000, THIRD_PARTY_PORT] {
            if std::net::TcpListener::bind(("0.0.0.0", port)).is_err() {
                return Err(failed(
                    step,
                    format!(
                        "port {port} is in use: the deployment's PLCs listen on 50000 and 50001; stop what holds it"
                    ),
                ));
            }
        }
        let (tx, rx) = mpsc::unbounded_channel();
        let agent_options = AgentOptions {
            backoff_base: Duration::from_millis(200),
            backoff_max: Duration::from_secs(2),
            stop_grace: Duration::from_secs(5),
        };
        let agent = Agent::start(
            &sim,
            deployment,
            agent_options,
            tx,
            CancellationToken::new(),
        )
        .await
        .map_err(|e| failed(step, crate::chain(&e)))?;
        let mut logs = Logs::new(rx);
        logs.patience = options.patience;
        let vault = Vault::init(
            &options.work_dir.join("vault"),
            &InitOptions::default(),
            OffsetDateTime::now_utc(),
        )
        .map_err(|e| failed(step, crate::chain(&e)))?;
        let hub = ServiceClient::from_connection_string(
            &sim.service_connection_string(),
            TlsTrust::CaPem(sim.ca_pem().to_owned()),
        )
        .map_err(|e| failed(step, crate::chain(&e)))?;
        Ok(Self {
            options,
            sim,
            agent: Some(agent),
            logs,
            vault,
            hub,
            say,
        })
    }

    /// The simulated runtime.
    #[must_use]
    pub fn sim(&self) -> &Running {
        &self.sim
    }

    /// The vault.
    #[must_use]
    pub fn vault(&self) -> &Vault {
        &self.vault
    }

    /// The service API client the acts use.
    #[must_use]
    pub fn hub(&self) -> &ServiceClient {
        &self.hub
    }

    /// Every module log line so far (`module | line`).
    pub fn log_lines(&mut self) -> Vec<String> {
        self.logs.drain().to_vec()
    }

    /// The volume folder `name` in edge-sim's state.
    #[must_use]
    pub fn volume(&self, name: &str) -> PathBuf {
        self.sim.state_dir().join("volumes").join(name)
    }

    /// Act 1: the PLC and the client run self-signed, report their CSRs, and the client's
    /// secure session is refused; the third-party PLC's store is on the shared volume where
    /// cert-agent reports it.
    pub async fn self_signed(&mut self) -> Result<SelfSigned, StepFailed> {
        let step = "act 1";
        let failure = format!(
            "Session creation to endpoint 'opc.tcp://{PLC}:50000/' failed 1 time(s). Please verify if server is up and OpcClient configuration is correct."
        );
        self.wait_line(step, CLIENT, &failure).await?;
        self.wait_reported(step, "every CSR", |s| {
            [
                s.reported(PLC)["pki"]["csr"].as_str(),
                s.reported(CLIENT)["pki"]["csr"].as_str(),
                s.reported(AGENT)["stores"][THIRD_PARTY]["csr"].as_str(),
            ]
            .iter()
            .all(Option::is_some)
        })
        .await?;
        let csrs = vec![
            (
                PLC.to_owned(),
                self.reported(PLC)["pki"]["csr"]
                    .as_str()
                    .unwrap_or_default()
                    .to_owned(),
            ),
            (
                CLIENT.to_owned(),
                self.reported(CLIENT)["pki"]["csr"]
                    .as_str()
                    .unwrap_or_default()
                    .to_owned(),
            ),
            (
                format!("{AGENT}:{THIRD_PARTY}"),
                self.reported(AGENT)["stores"][THIRD_PARTY]["csr"]
                    .as_str()
                    .unwrap_or_default()
                    .to_owned(),
            ),
        ];
        let store_files = vec![
            own_certificate_file(&self.volume("opcplc-pki")).ok_or_else(|| {
                failed(
                    step,
                    "the PLC's certificate is not in its volume opcplc-pki",
                )
            })?,
            own_certificate_file(&self.volume("pki").join(THIRD_PARTY)).ok_or_else(|| {
                failed(
                    step,
                    "the third-party PLC's certificate is not in the shared volume pki",
                )
            })?,
        ];
        let client_lines = self.lines_of(
            CLIENT,
            &["Session creation to endpoint", "ServiceResultException"],
        );
        (self.say)(&format!("opcclient | {failure}"));
        if let Some(reason) = client_lines
            .iter()
            .find(|l| l.contains("ServiceResultException"))
        {
            (self.say)(reason);
        }
        Ok(SelfSigned {
            client_lines,
            csrs,
            store_files,
        })
    }

    /// Act 2: `opc-vault provision` of the three targets; then the client's secure session
    /// and its read of `i=2258`, and the third-party PLC, restarted by cert-agent, accepting a
    /// client certificate of the same CA.
    pub async fn provision(&mut self) -> Result<Provisioned, StepFailed> {
        let step = "act 2";
        let targets = [
            Target::own(PLC),
            Target::own(CLIENT),
            Target::store(AGENT, THIRD_PARTY),
        ];
        let say = Arc::clone(&self.say);
        let started = Instant::now();
        let reports = provision(
            &self.vault,
            &self.hub,
            &self.sim.device_id(),
            &targets,
            &ProvisionOptions {
                timeout: self.options.patience,
                ..ProvisionOptions::default()
            },
            OffsetDateTime::now_utc(),
            Arc::new(move |p: &Progress| say(&format!("opc-vault | {p}"))),
        )
        .await
        .map_err(|e| failed(step, crate::chain(&e)))?;
        let provision_took = started.elapsed();
        let ended = Instant::now();
        if let Some(bad) = reports.iter().find(|r| !r.succeeded()) {
            return Err(failed(
                step,
                format!("{} was not provisioned: {:?}", bad.target, bad.outcome),
            ));
        }
        self.wait_line(step, CLIENT, "Session successfully created with Id")
            .await?;
        let session_after = ended.elapsed();
        self.wait_line(step, CLIENT, "Value (ActionId: 000").await?;
        let client_lines = self.lines_of(
            CLIENT,
            &[
                "Session successfully created with Id",
                "completed successfully",
                "Value (ActionId: 000",
            ],
        );
        for line in &client_lines {
            (self.say)(line);
        }
        // cert-agent restarted the third-party PLC through the management API.
        self.wait_reported(step, "the third-party PLC restarted", |s| {
            s.reported(AGENT)["stores"][THIRD_PARTY]["restart"]["state"] == "restarted"
        })
        .await?;
        let third_party_restarts = agent_status(&self.sim, THIRD_PARTY)["restartCount"]
            .as_u64()
            .unwrap_or_default();
        self.connect_third_party(step).await?;
        (self.say)(&format!(
            "a client certificate of the vault's CA connects to {THIRD_PARTY} (restarted {third_party_restarts} time(s) by {AGENT})"
        ));
        let thumbprints = vec![
            (
                PLC.to_owned(),
                self.reported(PLC)["pki"]["applicationCert"]["thumbprint"]
                    .as_str()
                    .unwrap_or_default()
                    .to_owned(),
                file_thumbprint(&self.volume("opcplc-pki")),
            ),
            (
                CLIENT.to_owned(),
                self.reported(CLIENT)["pki"]["applicationCert"]["thumbprint"]
                    .as_str()
                    .unwrap_or_default()
                    .to_owned(),
                file_thumbprint(&self.volume("opcclient-pki")),
            ),
            (
                THIRD_PARTY.to_owned(),
                self.reported(AGENT)["stores"][THIRD_PARTY]["applicationCert"]["thumbprint"]
                    .as_str()
                    .unwrap_or_default()
                    .to_owned(),
                file_thumbprint(&self.volume("pki").join(THIRD_PARTY)),
            ),
        ];
        Ok(Provisioned {
            reports,
            provision_took,
            session_after,
            client_lines,
            third_party_restarts,
            thumbprints,
        })
    }

    /// Act 3: the client's certificate is revoked and the fresh CRL pushed to every target;
    /// the PLC refuses the client.
    pub async fn revoke_client(&mut self) -> Result<Revoked, StepFailed> {
        let step = "act 3";
        let thumbprint = self.reported(CLIENT)["pki"]["applicationCert"]["thumbprint"]
            .as_str()
            .unwrap_or_default()
            .to_owned();
        let vault = self.vault.clone();
        let revoking = thumbprint.clone();
        tokio::task::spawn_blocking(move || {
            vault.revoke(
                &revoking,
                RevocationReason::KeyCompromise,
                OffsetDateTime::now_utc(),
            )
        })
        .await
        .map_err(|e| failed(step, e.to_string()))?
        .map_err(|e| failed(step, crate::chain(&e)))?;
        (self.say)(&format!(
            "opc-vault | revoked the client's certificate {thumbprint}"
        ));
        let refused_before = self.logs.count(PLC, "BadCertificateRevoked");
        let say = Arc::clone(&self.say);
        let reports = provision(
            &self.vault,
            &self.hub,
            &self.sim.device_id(),
            &[
                Target::own(PLC),
                Target::own(CLIENT),
                Target::store(AGENT, THIRD_PARTY),
            ],
            &ProvisionOptions {
                timeout: self.options.patience,
                crl_only: true,
                ..ProvisionOptions::default()
            },
            OffsetDateTime::now_utc(),
            Arc::new(move |p: &Progress| say(&format!("opc-vault | {p}"))),
        )
        .await
        .map_err(|e| failed(step, crate::chain(&e)))?;
        if let Some(bad) = reports.iter().find(|r| !r.succeeded()) {
            return Err(failed(
                step,
                format!("{}: the CRL was not applied: {:?}", bad.target, bad.outcome),
            ));
        }
        let pushed = Instant::now();
        let deadline = pushed + self.options.patience;
        while self.logs.count(PLC, "BadCertificateRevoked") <= refused_before {
            if Instant::now() > deadline {
                return Err(failed(
                    step,
                    format!(
                        "the PLC never refused the revoked client; logs:\n{}",
                        self.logs.drain().join("\n")
                    ),
                ));
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        let refused_after = pushed.elapsed();
        let plc_lines = self.lines_of(PLC, &["BadCertificateRevoked"]);
        if let Some(line) = plc_lines.last() {
            (self.say)(line);
        }
        Ok(Revoked {
            thumbprint,
            refused_after,
            plc_lines,
        })
    }

    /// Stops the modules and edge-sim.
    pub async fn shutdown(mut self) {
        if let Some(agent) = self.agent.take() {
            agent.shutdown().await;
        }
        self.sim.shutdown().await;
    }

    fn reported(&self, module: &str) -> Value {
        reported(&self.sim, module)
    }

    /// Lines of `module` that contain one of `needles`, without the `module | ` prefix.
    fn lines_of(&mut self, module: &str, needles: &[&str]) -> Vec<String> {
        let prefix = format!("{module} | ");
        self.logs
            .drain()
            .iter()
            .filter_map(|l| l.strip_prefix(&prefix))
            .filter(|l| needles.iter().any(|n| l.contains(n)))
            .map(str::to_owned)
            .collect()
    }

    async fn wait_line(
        &mut self,
        step: &'static str,
        module: &str,
        needle: &str,
    ) -> Result<(), StepFailed> {
        let deadline = Instant::now() + self.options.patience;
        while self.logs.count(module, needle) == 0 {
            if Instant::now() > deadline {
                return Err(failed(
                    step,
                    format!(
                        "no line of {module} with {needle:?}; logs:\n{}",
                        self.logs.drain().join("\n")
                    ),
                ));
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        Ok(())
    }

    async fn wait_reported(
        &mut self,
        step: &'static str,
        what: &str,
        check: impl Fn(&Self) -> bool,
    ) -> Result<(), StepFailed> {
        let deadline = Instant::now() + self.options.patience;
        while !check(self) {
            if Instant::now() > deadline {
                return Err(failed(
                    step,
                    format!(
                        "{what} never showed in the reported properties; logs:\n{}",
                        self.logs.drain().join("\n")
                    ),
                ));
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        Ok(())
    }

    /// A client with a certificate of the vault's CA connects to the third-party PLC (at its
    /// host name, dialled on this machine as the client module does on edge-sim).
    async fn connect_third_party(&self, step: &'static str) -> Result<(), StepFailed> {
        let dir = self.options.work_dir.join("demo-client");
        let store = demo_client_store(&dir, &self.vault).map_err(|e| failed(step, e))?;
        let deadline = Instant::now() + self.options.patience;
        loop {
            let store = store.clone();
            let attempt = tokio::task::spawn_blocking(move || {
                let mut options = ua::ClientOptions::new("DemoClient");
                options.server_host = Some(THIRD_PARTY.to_owned());
                ua::Client::connect(
                    &format!("opc.tcp://127.0.0.1:{THIRD_PARTY_PORT}"),
                    &options,
                    store,
                )
                .map(|_| ())
            })
            .await
            .map_err(|e| failed(step, e.to_string()))?;
            match attempt {
                Ok(()) => return Ok(()),
                Err(e) if Instant::now() > deadline => {
                    return Err(failed(
                        step,
                        format!("the third-party PLC refuses a client of the vault's CA: {e}"),
                    ));
                }
                Err(_) => tokio::time::sleep(Duration::from_millis(250)).await,
            }
        }
    }
}

/// A client store with a certificate the vault signed for its key, and the vault's CA and CRL
/// trusted.
fn demo_client_store(dir: &Path, vault: &Vault) -> Result<Store, String> {
    let store = Store::open(StoreLayout::under(dir)).map_err(|e| crate::chain(&e))?;
    let now = OffsetDateTime::now_utc();
    let options = PkiPlanOptions::new(now);
    store
        .transact(
            vec![Operation::CreateSelfSigned(SelfSignedSpec::new(
                "CN=DemoClient",
                "urn:opc-demo:client",
                vec!["localhost".to_owned()],
            ))],
            &options,
        )
        .map_err(|e| crate::chain(&e))?;
    let contents = store.contents().map_err(|e| crate::chain(&e))?;
    let own = contents
        .application_certificate()
        .ok_or("the demo client has no certificate")?;
    let key = store.load_key(own).map_err(|e| crate::chain(&e))?;
    let csr = pki::create_csr(&own.cert, &key, None, None).map_err(|e| crate::chain(&e))?;
    let signed = vault
        .sign(
            &csr,
            &SignOptions {
                cert_type: CertType::Client,
                ..SignOptions::default()
            },
            now,
        )
        .map_err(|e| crate::chain(&e))?;
    let state = vault.read().map_err(|e| crate::chain(&e))?;
    let mut batch = Vec::new();
    for (role, ca) in state.cas() {
        batch.push(Operation::AddTrusted(vec![ca.clone()]));
        batch.push(Operation::AddIssuers(vec![ca.clone()]));
        if let Some(crl) = state.crl(role) {
            batch.push(Operation::UpdateCrl(crl.clone()));
        }
    }
    batch.push(Operation::UpdateApplicationCertificate {
        cert: signed.certificate,
        key: None,
    });
    store
        .transact(batch, &options)
        .map_err(|e| crate::chain(&e))?;
    Ok(store)
}

/// The one certificate file in `<store>/own/certs`.
fn own_certificate_file(store: &Path) -> Option<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(store.join("own/certs"))
        .ok()?
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "der"))
        .collect();
    files.sort();
    (files.len() == 1).then(|| files.remove(0))
}

/// The SHA-1 (upper-case hex) of the store's own certificate file, empty when there is not
/// exactly one.
fn file_thumbprint(store: &Path) -> String {
    own_certificate_file(store)
        .and_then(|f| std::fs::read(f).ok())
        .and_then(|der| pki::Certificate::from_der(&der).ok())
        .map(|c| c.thumbprint().to_string())
        .unwrap_or_default()
}

/// Lines collected by a [`Say`] (for tests).
#[derive(Debug, Clone, Default)]
pub struct Collected(pub Arc<Mutex<Vec<String>>>);

impl Collected {
    /// A [`Say`] that keeps the lines here.
    #[must_use]
    pub fn say(&self) -> Say {
        let lines = Arc::clone(&self.0);
        Arc::new(move |line: &str| {
            if let Ok(mut lines) = lines.lock() {
                lines.push(line.to_owned());
            }
        })
    }
}
