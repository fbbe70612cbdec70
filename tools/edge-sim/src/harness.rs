//! For tests and demos of modules on edge-sim: a deployment manifest built from module
//! definitions ([`Module`], [`manifest`]), edge-sim's agent running it with the modules' log
//! lines collected ([`deploy`], [`Logs`]), and waits on what the modules report
//! ([`eventually`], [`reported`], [`agent_status`]).
//!
//! Everything here fails loudly (it panics, with the module logs) instead of returning
//! errors: a test wants exactly that. How long a wait may take is [`Logs::patience`] (default
//! [`PATIENCE`]); the agent's timings are the caller's [`AgentOptions`] ([`FAST`] for tests).
//! Ports are edge-sim's free ones.

// Failing loudly is the point of this module (see above).
#![allow(clippy::expect_used, clippy::panic)]

use std::collections::BTreeMap;
use std::path::Path;
use std::time::Duration;

use serde_json::{Map, Value, json};
use tokio::sync::mpsc;
use tokio_util::sync::CancellationToken;

use crate::agent::PlanOptions;
use crate::agent::plan::plan;
use crate::{Agent, AgentOptions, Config, EdgeSim, LogLine, Running};

/// How long [`eventually`] and [`Logs::wait_for`] wait unless [`Logs::patience`] says
/// otherwise.
pub const PATIENCE: Duration = Duration::from_secs(30);

/// How often a wait looks again.
pub const POLL: Duration = Duration::from_millis(50);

/// Agent timings for tests: restarts after 200 ms, backing off to at most 1 s; 2 s between
/// SIGTERM and SIGKILL.
pub const FAST: AgentOptions = AgentOptions {
    backoff_base: Duration::from_millis(200),
    backoff_max: Duration::from_secs(1),
    stop_grace: Duration::from_secs(2),
};

/// One module of a deployment manifest: a process image (the executable), its arguments
/// (`createOptions.Cmd`), `HostConfig` (binds, mounts) and other create options, environment,
/// restart policy and startup order. Desired `running`; `restartPolicy` `always` and no
/// `startupOrder` (last) unless set.
#[derive(Debug, Clone, PartialEq)]
pub struct Module {
    image: String,
    args: Vec<String>,
    host_config: Map<String, Value>,
    create_options: Map<String, Value>,
    env: Map<String, Value>,
    restart_policy: String,
    startup_order: Option<u32>,
}

impl Module {
    /// A module running `image` (edge-sim runs it as a process).
    #[must_use]
    pub fn new(image: impl Into<String>) -> Self {
        Self {
            image: image.into(),
            args: Vec::new(),
            host_config: Map::new(),
            create_options: Map::new(),
            env: Map::new(),
            restart_policy: "always".to_owned(),
            startup_order: None,
        }
    }

    /// Adds arguments (`createOptions.Cmd`).
    #[must_use]
    pub fn args<S: Into<String>>(mut self, args: impl IntoIterator<Item = S>) -> Self {
        self.args.extend(args.into_iter().map(Into::into));
        self
    }

    /// Sets `HostConfig.Binds` (`volume:/path`, `/host:/container`).
    #[must_use]
    pub fn binds(self, binds: &[&str]) -> Self {
        self.host_config("Binds", json!(binds))
    }

    /// Sets `HostConfig.<key>` (`Mounts`, for instance).
    #[must_use]
    pub fn host_config(mut self, key: &str, value: Value) -> Self {
        self.host_config.insert(key.to_owned(), value);
        self
    }

    /// Sets `createOptions.<key>` (`Hostname`, for instance); `Cmd` and `HostConfig` set here
    /// are replaced by [`Module::args`] and [`Module::host_config`] when those are used.
    #[must_use]
    pub fn create_option(mut self, key: &str, value: Value) -> Self {
        self.create_options.insert(key.to_owned(), value);
        self
    }

    /// Sets the manifest environment variable `name` (`"env": {name: {"value": …}}`).
    #[must_use]
    pub fn env(mut self, name: &str, value: impl Into<Value>) -> Self {
        self.env
            .insert(name.to_owned(), json!({ "value": value.into() }));
        self
    }

    /// Sets `restartPolicy` (`always`, `on-failure`, `on-unhealthy`, `never`).
    #[must_use]
    pub fn restart_policy(mut self, policy: &str) -> Self {
        policy.clone_into(&mut self.restart_policy);
        self
    }

    /// Sets `startupOrder`.
    #[must_use]
    pub fn startup_order(mut self, order: u32) -> Self {
        self.startup_order = Some(order);
        self
    }

    /// The module's entry under `$edgeAgent`'s desired `modules`.
    #[must_use]
    pub fn to_json(&self) -> Value {
        let mut create = self.create_options.clone();
        if !self.args.is_empty() {
            create.insert("Cmd".to_owned(), json!(self.args));
        }
        if !self.host_config.is_empty() {
            create.insert(
                "HostConfig".to_owned(),
                Value::Object(self.host_config.clone()),
            );
        }
        let mut module = json!({
            "version": "1.0", "type": "docker", "status": "running",
            "restartPolicy": self.restart_policy,
            "settings": {"image": self.image, "createOptions": Value::Object(create).to_string()},
        });
        if let Some(order) = self.startup_order {
            module["startupOrder"] = json!(order);
        }
        if !self.env.is_empty() {
            module["env"] = Value::Object(self.env.clone());
        }
        module
    }
}

/// A deployment manifest (`modulesContent`) of the system modules and `modules`, by name.
/// Add a module's desired properties as `manifest["modulesContent"][name]`.
#[must_use]
pub fn manifest<N: Into<String>>(modules: impl IntoIterator<Item = (N, Module)>) -> Value {
    let modules: Map<String, Value> = modules
        .into_iter()
        .map(|(name, module)| (name.into(), module.to_json()))
        .collect();
    json!({"modulesContent": {
        "$edgeAgent": {"properties.desired": {
            "schemaVersion": "1.1",
            "runtime": {"type": "docker", "settings": {}},
            "systemModules": {
                "edgeAgent": {"type": "docker", "settings": {"image": "mcr.microsoft.com/azureiotedge-agent:1.5"}},
                "edgeHub": {"type": "docker", "status": "running", "restartPolicy": "always",
                            "settings": {"image": "mcr.microsoft.com/azureiotedge-hub:1.5"}}
            },
            "modules": modules
        }},
        "$edgeHub": {"properties.desired": {"schemaVersion": "1.2", "routes": {},
                     "storeAndForwardConfiguration": {"timeToLiveSecs": 7200}}}
    }})
}

/// edge-sim on free ports with its state in `state_dir`, not persisted.
///
/// # Panics
/// When it cannot start.
pub async fn sim(state_dir: &Path) -> Running {
    EdgeSim::start(Config::new(state_dir).ephemeral(), CancellationToken::new())
        .await
        .expect("edge-sim starts")
}

/// How [`deploy`] plans a manifest: no variables, `dir` as the repository root (images are
/// paths), volumes under `running`'s state directory.
#[must_use]
pub fn plan_options(running: &Running, dir: &Path) -> PlanOptions {
    PlanOptions {
        repo_root: dir.to_owned(),
        target_dir: dir.join("target"),
        profile: "debug".to_owned(),
        vars: BTreeMap::new(),
        state_dir: running.state_dir().to_owned(),
    }
}

/// Plans `manifest` (with [`plan_options`]) and runs it with edge-sim's agent; returns once
/// every module was started, with the collector of the modules' log lines.
///
/// # Panics
/// When the manifest cannot be planned or the agent cannot start it.
pub async fn deploy(
    running: &Running,
    dir: &Path,
    manifest: &Value,
    options: AgentOptions,
) -> (Agent, Logs) {
    let deployment = plan(manifest, &plan_options(running, dir)).expect("the manifest plans");
    let (tx, rx) = mpsc::unbounded_channel();
    let agent = Agent::start(running, deployment, options, tx, CancellationToken::new())
        .await
        .expect("the agent starts the deployment");
    (agent, Logs::new(rx))
}

/// The modules' log lines (`module | line`), kept for waits, counts and failure messages.
#[derive(Debug)]
pub struct Logs {
    rx: mpsc::UnboundedReceiver<LogLine>,
    seen: Vec<String>,
    /// How long [`eventually`] and [`Logs::wait_for`] wait.
    pub patience: Duration,
}

impl Logs {
    /// Collects the lines `rx` receives (the agent's log channel), waiting up to [`PATIENCE`].
    #[must_use]
    pub fn new(rx: mpsc::UnboundedReceiver<LogLine>) -> Self {
        Self {
            rx,
            seen: Vec::new(),
            patience: PATIENCE,
        }
    }

    /// Every line so far, those that arrived since the last call included.
    pub fn drain(&mut self) -> &[String] {
        while let Ok(line) = self.rx.try_recv() {
            self.seen.push(line.to_string());
        }
        &self.seen
    }

    /// How many lines of `module` contain `needle`.
    pub fn count(&mut self, module: &str, needle: &str) -> usize {
        let prefix = format!("{module} | ");
        self.drain()
            .iter()
            .filter(|l| l.starts_with(&prefix) && l.contains(needle))
            .count()
    }

    /// Waits for a line of `module` containing `needle`.
    ///
    /// # Panics
    /// When none came within [`Logs::patience`].
    pub async fn wait_for(&mut self, module: &str, needle: &str) {
        let deadline = tokio::time::Instant::now() + self.patience;
        while self.count(module, needle) == 0 {
            assert!(
                tokio::time::Instant::now() < deadline,
                "no line of {module} with {needle:?}; logs:\n{}",
                self.seen.join("\n")
            );
            tokio::time::sleep(POLL).await;
        }
    }
}

/// Polls `read` until `check` holds and returns that value.
///
/// # Panics
/// After [`Logs::patience`], with `what`, the last value and the module logs.
pub async fn eventually(
    logs: &mut Logs,
    what: &str,
    read: impl Fn() -> Value,
    check: impl Fn(&Value) -> bool,
) -> Value {
    let deadline = tokio::time::Instant::now() + logs.patience;
    loop {
        let value = read();
        if check(&value) {
            return value;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "{what}: {value:#}\nlogs:\n{}",
            logs.drain().join("\n")
        );
        tokio::time::sleep(POLL).await;
    }
}

/// `module`'s reported properties (`null` without a twin).
#[must_use]
pub fn reported(running: &Running, module: &str) -> Value {
    running.twin(module).map_or(Value::Null, |t| {
        Value::Object(t.reported.properties().clone())
    })
}

/// `$edgeAgent`'s reported status of `module` (`modules.<module>`).
#[must_use]
pub fn agent_status(running: &Running, module: &str) -> Value {
    reported(running, "$edgeAgent")["modules"][module].clone()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_module_is_the_manifest_entry_edge_agent_reads() {
        let module = Module::new("/bin/m")
            .args(["--pn", "50000"])
            .binds(&["pki:/appdata/pki"])
            .create_option("Hostname", json!("plc"))
            .host_config(
                "Mounts",
                json!([{"Type": "volume", "Source": "v", "Target": "/v"}]),
            )
            .env("SAY", "hello")
            .restart_policy("on-failure")
            .startup_order(1);
        let create = json!({
            "Hostname": "plc",
            "Cmd": ["--pn", "50000"],
            "HostConfig": {"Binds": ["pki:/appdata/pki"],
                           "Mounts": [{"Type": "volume", "Source": "v", "Target": "/v"}]},
        });
        let entry = module.to_json();
        assert_eq!(
            serde_json::from_str::<Value>(entry["settings"]["createOptions"].as_str().unwrap())
                .unwrap(),
            create
        );
        assert_eq!(entry["restartPolicy"], "on-failure");
        assert_eq!(entry["startupOrder"], 1);
        assert_eq!(entry["env"], json!({"SAY": {"value": "hello"}}));
        let plain = Module::new("/bin/m").to_json();
        assert_eq!(plain["settings"]["createOptions"], "{}");
        assert_eq!(plain["restartPolicy"], "always");
        assert!(plain.get("startupOrder").is_none() && plain.get("env").is_none());
    }

    #[test]
    fn a_manifest_plans_with_its_modules_in_startup_order() {
        let m = manifest([
            ("b", Module::new("/bin/b").startup_order(1)),
            ("a", Module::new("/bin/a").startup_order(2)),
            ("c", Module::new("/bin/c")),
        ]);
        let dir = Path::new("/tmp/harness");
        let options = PlanOptions {
            repo_root: dir.to_owned(),
            target_dir: dir.join("target"),
            profile: "debug".to_owned(),
            vars: BTreeMap::new(),
            state_dir: dir.join("state"),
        };
        let deployment = plan(&m, &options).unwrap();
        let names: Vec<&str> = deployment.modules.iter().map(|p| p.name.as_str()).collect();
        assert_eq!(names, ["b", "a", "c"]);
    }
}
