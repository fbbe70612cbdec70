//! An in-process edge-sim with modules under provisioning: each a real own-`pki` twin driver
//! (`module_runtime::twin::TwinPki`) on a temp store with a self-signed certificate, connected
//! the way `opc-plc` is (`EdgeHubConnectionString`, `EdgeModuleCACertificateFile`,
//! `EDGE_SIM_MQTT_PORT`), or cert-agent's reconciler over a temp PKI root; a vault; and a
//! service API client as an operator's tooling builds it.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use edge_sim::{Config, EdgeSim, Running};
use hub_service::{ModuleTwin, ServiceClient, TlsTrust};
use module_runtime::twin::{DriverOptions, TwinDriver, TwinPki, TwinPkiOptions};
use opc_vault::provision::{Progress, ProgressSink, ProvisionOptions, Target, TargetReport};
use opc_vault::{InitOptions, IntermediateOptions, Vault};
use pki::{Operation, PlanOptions, SelfSignedSpec, Store, StoreLayout, ValidationOptions};
use serde_json::Value;
use tempfile::TempDir;
use tokio_util::sync::CancellationToken;

/// How long a test waits for something that should happen.
pub const PATIENCE: Duration = Duration::from_secs(30);

/// edge-sim with module identities, in a temp dir that lives as long as this.
pub struct Sim {
    pub running: Running,
    pub dir: TempDir,
}

impl Sim {
    pub async fn start(modules: &[&str]) -> Self {
        let dir = tempfile::tempdir().unwrap();
        let config = Config::new(dir.path().join("state"))
            .ephemeral()
            .with_modules(modules);
        let running = EdgeSim::start(config, CancellationToken::new())
            .await
            .unwrap();
        std::fs::write(dir.path().join("edge-ca.pem"), running.ca_pem()).unwrap();
        Self { running, dir }
    }

    pub fn ca_file(&self) -> PathBuf {
        self.dir.path().join("edge-ca.pem")
    }

    /// A service API client: the service connection string and the dev CA.
    pub fn hub(&self) -> ServiceClient {
        ServiceClient::from_connection_string(
            &self.running.service_connection_string(),
            TlsTrust::CaPem(self.running.ca_pem().to_owned()),
        )
        .unwrap()
    }

    pub fn device(&self) -> String {
        self.running.device_id()
    }

    /// The environment a module process gets (a module connection string and the CA).
    pub fn module_env(&self, module: &str) -> impl Fn(&str) -> Option<String> + Send + 'static {
        let cs = self.running.module_connection_string(module).unwrap();
        let ca = self.ca_file().to_string_lossy().into_owned();
        let port = self.running.mqtt_port().to_string();
        move |name: &str| match name {
            "EdgeHubConnectionString" => Some(cs.clone()),
            "EdgeModuleCACertificateFile" => Some(ca.clone()),
            "EDGE_SIM_MQTT_PORT" => Some(port.clone()),
            _ => None,
        }
    }

    pub async fn twin(&self, module: &str) -> ModuleTwin {
        self.hub()
            .get_module_twin(&self.device(), module)
            .await
            .unwrap()
    }

    /// Waits until the module's reported `property` satisfies `done`; returns it.
    pub async fn reported_until(
        &self,
        module: &str,
        property: &str,
        what: &str,
        done: impl Fn(&Value) -> bool,
    ) -> Value {
        let deadline = tokio::time::Instant::now() + PATIENCE;
        loop {
            let twin = self.twin(module).await;
            if let Some(value) = twin.reported(property)
                && done(&value)
            {
                return value;
            }
            assert!(
                tokio::time::Instant::now() < deadline,
                "{module}: never {what}; reported {:?}",
                twin.reported(property)
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }
}

/// A store with a self-signed application certificate for `uri`, as a module's command line
/// leaves it at its first start.
pub fn self_signed_store(dir: &Path, cn: &str, uri: &str) -> Store {
    let store = Store::open(StoreLayout::under(dir)).unwrap();
    store
        .transact(
            vec![Operation::CreateSelfSigned(SelfSignedSpec::new(
                &format!("CN={cn}"),
                uri,
                vec!["localhost".into()],
            ))],
            &PlanOptions::new(test_support::now()),
        )
        .unwrap();
    store
}

/// A module under provisioning: the own-`pki` twin driver of `opc-plc`/`opc-client` on its
/// own temp store.
pub struct Module {
    pub twin: Option<TwinPki>,
    pub dir: TempDir,
    pub store: Store,
}

impl Module {
    /// A module whose certificate is for `cert_uri` and whose own URI (asked for by its CSR,
    /// required of a new certificate) is `uri`.
    pub fn start_with(sim: &Sim, module: &str, cert_uri: &str, uri: &str) -> Self {
        let dir = tempfile::tempdir().unwrap();
        let store = self_signed_store(dir.path(), module, cert_uri);
        let mut options = TwinPkiOptions::new(uri.to_owned(), ValidationOptions::default());
        options.refresh = Duration::from_secs(5);
        let twin = TwinPki::start_from_environment(sim.module_env(module), store.clone(), options)
            .unwrap()
            .expect("the environment names a module identity");
        Self {
            twin: Some(twin),
            dir,
            store,
        }
    }

    pub fn start(sim: &Sim, module: &str, uri: &str) -> Self {
        Self::start_with(sim, module, uri, uri)
    }

    /// Stops the module's twin driver: its store stays, nothing applies its twin.
    pub fn stop(&mut self) {
        if let Some(twin) = self.twin.take() {
            twin.stop();
        }
    }

    /// Starts it again on the same store (like a module after its device came back).
    pub fn restart(&mut self, sim: &Sim, module: &str, uri: &str) {
        self.stop();
        let mut options = TwinPkiOptions::new(uri.to_owned(), ValidationOptions::default());
        options.refresh = Duration::from_secs(5);
        self.twin =
            TwinPki::start_from_environment(sim.module_env(module), self.store.clone(), options)
                .unwrap();
    }
}

impl Drop for Module {
    fn drop(&mut self) {
        if let Some(twin) = self.twin.take() {
            twin.stop();
        }
    }
}

/// cert-agent never restarts anything in these tests.
pub struct NoRestarts;

impl cert_agent::Restarter for NoRestarts {
    async fn restart(&self, module: &str) -> Result<(), String> {
        Err(format!("no restarts in this test ({module})"))
    }
}

/// cert-agent's reconciler on a temp PKI root, driven by its twin.
pub struct Agent {
    pub driver: Option<TwinDriver>,
    pub root: TempDir,
}

impl Agent {
    /// The agent with one store `store` holding an app's self-signed certificate for `uri`.
    pub fn start(sim: &Sim, module: &str, store: &str, uri: &str) -> Self {
        let root = tempfile::tempdir().unwrap();
        self_signed_store(&root.path().join(store), "VendorServer", uri);
        let stores = cert_agent::AgentStores::new(root.path().to_owned(), NoRestarts);
        let driver = TwinDriver::start_from_environment(
            sim.module_env(module),
            stores,
            DriverOptions {
                refresh: Duration::from_secs(5),
                ..DriverOptions::default()
            },
        )
        .unwrap()
        .expect("the environment names a module identity");
        Self {
            driver: Some(driver),
            root,
        }
    }
}

impl Drop for Agent {
    fn drop(&mut self) {
        if let Some(driver) = self.driver.take() {
            driver.stop();
        }
    }
}

/// A vault in a temp dir (with an issuing intermediate when asked).
pub fn vault(intermediate: bool) -> (TempDir, Vault) {
    let dir = tempfile::tempdir().unwrap();
    let options = InitOptions {
        intermediate: intermediate.then(IntermediateOptions::default),
        ..InitOptions::default()
    };
    let vault = Vault::init(&dir.path().join("vault"), &options, test_support::now()).unwrap();
    (dir, vault)
}

/// Options for tests: quick polls, a generous timeout.
pub fn options() -> ProvisionOptions {
    ProvisionOptions {
        timeout: PATIENCE,
        poll: Duration::from_millis(100),
        ..ProvisionOptions::default()
    }
}

/// A progress sink that keeps the lines.
pub fn progress() -> (ProgressSink, Arc<Mutex<Vec<String>>>) {
    let lines: Arc<Mutex<Vec<String>>> = Arc::default();
    let sink_lines = Arc::clone(&lines);
    let sink: ProgressSink = Arc::new(move |p: &Progress| {
        sink_lines.lock().unwrap().push(p.to_string());
    });
    (sink, lines)
}

/// Provisions `targets` through the service API and returns the reports and the lines.
pub async fn provision(
    sim: &Sim,
    vault: &Vault,
    targets: &[Target],
    options: &ProvisionOptions,
) -> (Vec<TargetReport>, Vec<String>) {
    let (sink, lines) = progress();
    let reports = opc_vault::provision::provision(
        vault,
        &sim.hub(),
        &sim.device(),
        targets,
        options,
        test_support::now(),
        sink,
    )
    .await
    .unwrap();
    let lines = lines.lock().unwrap().clone();
    (reports, lines)
}
