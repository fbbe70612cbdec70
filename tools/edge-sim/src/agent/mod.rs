//! The simulated edgeAgent: runs the modules of a deployment manifest as processes.
//!
//! [`plan::plan`] turns a manifest into [`plan::ModulePlan`]s; [`Agent::start`] creates the
//! identities, seeds the twins from `modulesContent`, starts the modules in `startupOrder`
//! (one supervisor task per module, restart policy with backoff; a module whose image is a
//! container image gets its identity and twin and is reported as not runnable, the others
//! run), multiplexes their output as
//! [`LogLine`]s, reports runtime status on the `$edgeAgent` twin, serves `$edgeAgent`'s
//! `RestartModule` and `ping` direct methods, and serves the management API to the modules
//! that bind its socket (`crate::management`; restart, start and stop reach the supervisors
//! through [`control`]). Mapping of manifest fields: `docs/edge-sim.md`.

pub(crate) mod control;
pub mod plan;
mod report;
mod supervisor;

use std::collections::BTreeMap;
use std::fmt;
use std::future::Future;
use std::os::unix::fs::symlink;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use hub_proto::ModuleId;
use hub_proto::env::IOTEDGE_MANAGEMENTURI;
use serde_json::{Value, json};
use tokio::sync::{broadcast, mpsc, oneshot};
use tokio::task::JoinHandle;
use tokio_util::sync::CancellationToken;
use tracing::{info, warn};

pub use plan::{Deployment, ModulePlan, PlanError, PlanOptions, Program, Volume};
pub use report::{EDGE_AGENT, EDGE_HUB};

use crate::management;
use crate::mqtt::{Broker, LocalCall};
use crate::running::{ModuleHost, Running};
use crate::state::{DesiredUpdate, UpdateError};
use control::{ActionError, ActionRequest, Controls, ModuleAction};
use report::Reporter;
use supervisor::{Control, Supervisor};

/// The variable telling a module edge-sim's MQTT port (modules default to 8883).
pub const MQTT_PORT_VAR: &str = "EDGE_SIM_MQTT_PORT";

/// The variable listing the deployment's host names as `name=127.0.0.1,…` (see
/// [`plan::host_aliases`]).
pub const HOSTS_VAR: &str = "EDGE_SIM_HOSTS";

/// How long `startupOrder` waits for one module's start before starting the next anyway.
const START_WAIT: Duration = Duration::from_secs(30);

/// Tunables of the agent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AgentOptions {
    /// The first restart delay; doubled per restart (edgeAgent's cool-off), capped at
    /// `backoff_max`.
    pub backoff_base: Duration,
    /// The longest restart delay.
    pub backoff_max: Duration,
    /// Time between SIGTERM and SIGKILL when stopping a module (like `docker stop`).
    pub stop_grace: Duration,
}

impl Default for AgentOptions {
    /// A 1 s first delay, at most 60 s, 10 s stop grace.
    fn default() -> Self {
        Self {
            backoff_base: Duration::from_secs(1),
            backoff_max: Duration::from_mins(1),
            stop_grace: Duration::from_secs(10),
        }
    }
}

impl AgentOptions {
    /// The delay before restart number `restarts + 1`: the first restart is immediate,
    /// then `backoff_base * 2^(restarts - 1)`, at most `backoff_max`.
    #[must_use]
    pub fn backoff(&self, restarts: u32) -> Duration {
        if restarts == 0 {
            return Duration::ZERO;
        }
        let factor = 1u32.checked_shl(restarts - 1).unwrap_or(u32::MAX);
        self.backoff_base
            .checked_mul(factor)
            .map_or(self.backoff_max, |d| d.min(self.backoff_max))
    }
}

/// One line of a module's stdout or stderr.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LogLine {
    /// The module.
    pub module: String,
    /// The line, without its newline.
    pub line: String,
}

impl fmt::Display for LogLine {
    /// `module | line`, like `docker compose up`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} | {}", self.module, self.line)
    }
}

/// Why the agent could not start a deployment.
#[derive(Debug, thiserror::Error)]
pub enum AgentError {
    /// Identities or twins could not be created.
    #[error("cannot seed the module twins")]
    Seed(#[from] UpdateError),
    /// A module identity could not be created.
    #[error("cannot create the identity of {0}")]
    Identity(String),
    /// A module directory or volume could not be prepared.
    #[error("cannot prepare {path}")]
    Prepare {
        /// The directory or link.
        path: PathBuf,
        /// The cause.
        #[source]
        source: std::io::Error,
    },
    /// A module's management API socket could not be bound.
    #[error("cannot serve the management api")]
    Management(#[from] management::BindError),
}

/// A running deployment; dropping it stops the modules (their process groups are killed).
#[derive(Debug)]
pub struct Agent {
    shutdown: CancellationToken,
    task: Option<JoinHandle<()>>,
    broker: Arc<Broker>,
    methods_of: ModuleId,
}

impl Agent {
    /// Deploys `deployment` on `running`: creates identities, seeds twins, prepares working
    /// directories and volumes, and starts the modules in start order. Returns once every
    /// module was started (or is desired stopped). From then on a change of `$edgeAgent`'s
    /// desired properties (service API PATCH/PUT, `applyConfigurationContent`) is planned
    /// like the first deployment and reconciled: new modules are started, removed ones
    /// stopped, changed ones restarted.
    pub async fn start(
        running: &Running,
        deployment: Deployment,
        options: AgentOptions,
        logs: mpsc::UnboundedSender<LogLine>,
        shutdown: CancellationToken,
    ) -> Result<Self, AgentError> {
        let host = running.module_host();
        let state = host.state().clone();
        let device = running.device_id();
        let edge_agent = module_id(EDGE_AGENT)?;
        for name in [EDGE_AGENT, EDGE_HUB] {
            host.add_module(name)
                .map_err(|_| AgentError::Identity(name.to_owned()))?;
        }
        state.apply_configuration(&device, &deployment.modules_content)?;
        let desired_version = state.twin(&edge_agent).map_or(1, |t| t.desired.version());
        // Subscribed before the first module starts: no later change is missed.
        let desired = state.subscribe_desired(&edge_agent);
        let reporter = Reporter::new(state.clone(), edge_agent.clone());
        reporter.deployment(&deployment, desired_version);

        let shutdown = shutdown.child_token();
        let (controls, requests) = Controls::new();
        let management =
            management::Sockets::new(host.state_dir(), state.clone(), controls, shutdown.clone())?;
        let mut modules = Modules {
            host,
            reporter,
            logs,
            options,
            shutdown: shutdown.clone(),
            running: BTreeMap::new(),
            management,
            hosts: plan::host_aliases(&deployment.modules),
        };
        for plan in deployment.modules.clone() {
            modules.start(plan).await?;
        }

        let broker = running.broker().clone();
        let (calls_tx, calls_rx) = mpsc::unbounded_channel();
        broker.serve_locally(&edge_agent, calls_tx);
        let task = tokio::spawn(run(
            modules,
            deployment.options,
            calls_rx,
            requests,
            desired,
            shutdown.clone(),
        ));
        info!(device = %device, "deployment started");
        Ok(Self {
            shutdown,
            task: Some(task),
            broker,
            methods_of: edge_agent,
        })
    }

    /// Stops every module (SIGTERM to its process group, SIGKILL after the grace period) and
    /// waits for the supervisors.
    pub async fn shutdown(mut self) {
        self.shutdown.cancel();
        self.broker.stop_serving_locally(&self.methods_of);
        if let Some(task) = self.task.take() {
            let _ = task.await;
        }
    }
}

impl Drop for Agent {
    fn drop(&mut self) {
        self.shutdown.cancel();
        self.broker.stop_serving_locally(&self.methods_of);
    }
}

fn module_id(name: &str) -> Result<ModuleId, AgentError> {
    ModuleId::new(name).map_err(|_| AgentError::Identity(name.to_owned()))
}

/// One supervised module.
struct Supervised {
    plan: ModulePlan,
    control: mpsc::UnboundedSender<Control>,
    task: JoinHandle<()>,
}

/// The supervised modules and what starting one needs.
struct Modules {
    host: ModuleHost,
    reporter: Reporter,
    logs: mpsc::UnboundedSender<LogLine>,
    options: AgentOptions,
    shutdown: CancellationToken,
    running: BTreeMap<String, Supervised>,
    /// The management API sockets of the modules that bind it.
    management: management::Sockets,
    /// `EDGE_SIM_HOSTS` for the modules started next: the deployment's host names.
    hosts: String,
}

impl Modules {
    /// Creates the identity, prepares the working directory and volumes, and starts the
    /// module's supervisor; returns once it was started (edgeAgent does not wait for
    /// readiness either) or [`START_WAIT`] passed. A module edge-sim cannot run (a container
    /// image) gets its identity and a supervisor that reports why and answers restart and
    /// start requests with that reason; nothing is prepared for it.
    async fn start(&mut self, plan: ModulePlan) -> Result<(), AgentError> {
        let name = plan.name.to_string();
        self.host
            .add_module(&name)
            .map_err(|_| AgentError::Identity(name.clone()))?;
        let workdir = if plan.not_runnable().is_some() {
            plan.workdir(self.host.state_dir())
        } else {
            prepare(self.host.state_dir(), &plan)?
        };
        let mut env = self
            .host
            .edge_env(&name)
            .map_err(|_| AgentError::Identity(name.clone()))?;
        // Processes cannot be given edgeHub's port 8883 by a container network: tell them
        // the port edge-sim listens on (a module may ignore it when it is 8883).
        env.insert(MQTT_PORT_VAR.to_owned(), self.host.mqtt_port().to_string());
        // Containers reach each other by host name on the deployment's network; processes
        // share this machine: the names resolve to the loopback address (`EDGE_SIM_HOSTS`).
        if !self.hosts.is_empty() {
            env.insert(HOSTS_VAR.to_owned(), self.hosts.clone());
        }
        env.extend(plan.env.clone());
        // The container path of the bind does not exist for a process: the module's own
        // socket replaces whatever the manifest says.
        if plan.management && plan.not_runnable().is_none() {
            let socket = self.management.ensure(&plan.name)?;
            env.insert(
                IOTEDGE_MANAGEMENTURI.to_owned(),
                format!("unix://{}", socket.display()),
            );
        } else {
            self.management.remove(plan.name.as_str());
        }
        let (control, rx) = mpsc::unbounded_channel();
        let (started_tx, started_rx) = oneshot::channel();
        let supervisor = Supervisor {
            plan: plan.clone(),
            env,
            workdir,
            reporter: self.reporter.clone(),
            logs: self.logs.clone(),
            options: self.options.clone(),
        };
        let task = tokio::spawn(supervisor.run(rx, started_tx, self.shutdown.clone()));
        self.running.insert(
            name,
            Supervised {
                plan,
                control,
                task,
            },
        );
        let _ = tokio::time::timeout(START_WAIT, started_rx).await;
        Ok(())
    }

    /// Stops the module (its supervisor ends when its control channel closes) and waits.
    async fn stop(&mut self, name: &str) {
        if let Some(supervised) = self.running.remove(name) {
            drop(supervised.control);
            let _ = supervised.task.await;
        }
    }

    /// Runs `deployment`'s modules: starts new ones, stops removed ones, restarts changed
    /// ones; unchanged modules keep running. Returns what changed, for the report.
    async fn reconcile(&mut self, deployment: &Deployment) -> Result<Changes, AgentError> {
        let wanted: BTreeMap<&str, &ModulePlan> = deployment
            .modules
            .iter()
            .map(|p| (p.name.as_str(), p))
            .collect();
        let mut changes = Changes::default();
        let current: Vec<String> = self.running.keys().cloned().collect();
        for name in current {
            match wanted.get(name.as_str()) {
                None => {
                    self.stop(&name).await;
                    self.management.remove(&name);
                    info!(module = %name, "module removed from the deployment");
                    changes.removed.push(name);
                }
                Some(plan) if self.running.get(&name).is_some_and(|s| s.plan != **plan) => {
                    self.stop(&name).await;
                    info!(module = %name, "module changed in the deployment");
                    changes.started.push(name);
                }
                Some(_) => {}
            }
        }
        self.hosts = plan::host_aliases(&deployment.modules);
        for plan in &deployment.modules {
            let name = plan.name.as_str();
            if !self.running.contains_key(name) {
                if !changes.started.iter().any(|n| n == name) {
                    info!(module = %name, "module added to the deployment");
                    changes.started.push(name.to_owned());
                }
                self.start(plan.clone()).await?;
            }
        }
        Ok(changes)
    }

    /// Stops every module.
    async fn stop_all(&mut self) {
        let names: Vec<String> = self.running.keys().cloned().collect();
        for name in names {
            self.stop(&name).await;
        }
    }

    /// Sends `action` to the module's supervisor; the future resolves once the supervisor
    /// confirmed it (restart and start: started again; stop: the process is gone), and owns
    /// what it needs, so the agent's loop need not wait for it.
    fn request(
        &self,
        module: &str,
        action: ModuleAction,
    ) -> Result<impl Future<Output = Result<(), ActionError>> + Send + 'static, ActionError> {
        let supervised = self
            .running
            .get(module)
            .ok_or_else(|| ActionError::NotDeployed(module.to_owned()))?;
        let (ack, confirmed) = oneshot::channel();
        let control = match action {
            ModuleAction::Restart => Control::Restart(ack),
            ModuleAction::Start => Control::Start(ack),
            ModuleAction::Stop => Control::Stop(ack),
        };
        let waited = self.options.stop_grace + START_WAIT;
        let not_confirmed = ActionError::NotConfirmed {
            module: module.to_owned(),
            verb: action.verb(),
            waited,
        };
        // A closed channel drops the ack: the wait below ends at once as not confirmed.
        let _ = supervised.control.send(control);
        let module = module.to_owned();
        Ok(async move {
            match tokio::time::timeout(waited, confirmed).await {
                Ok(Ok(Ok(()))) => {
                    info!(module = %module, action = action.verb(), "module action done");
                    Ok(())
                }
                Ok(Ok(Err(reason))) => Err(ActionError::Start { module, reason }),
                Ok(Err(_)) | Err(_) => {
                    warn!(module = %module, action = action.verb(), "module action not confirmed");
                    Err(not_confirmed)
                }
            }
        })
    }
}

/// Modules a redeployment touched.
#[derive(Debug, Default)]
struct Changes {
    /// Started anew (added or changed).
    started: Vec<String>,
    /// Stopped and forgotten.
    removed: Vec<String>,
}

/// The agent's loop: `$edgeAgent`'s direct methods, the management API's module actions and
/// redeployments, until `shutdown`.
async fn run(
    mut modules: Modules,
    plan_options: PlanOptions,
    mut calls: mpsc::UnboundedReceiver<LocalCall>,
    mut requests: mpsc::UnboundedReceiver<ActionRequest>,
    mut desired: broadcast::Receiver<DesiredUpdate>,
    shutdown: CancellationToken,
) {
    loop {
        tokio::select! {
            () = shutdown.cancelled() => break,
            call = calls.recv() => match call {
                Some(call) => {
                    let answer = method(&call, &modules).await;
                    let _ = call.reply.send(answer);
                }
                None => break,
            },
            // The management sockets hold a sender as long as this loop runs.
            Some(request) = requests.recv() => {
                match modules.request(&request.module, request.action) {
                    // Confirmed off the loop: a restart must not hold up other requests.
                    Ok(confirmed) => {
                        tokio::spawn(async move {
                            let _ = request.reply.send(confirmed.await);
                        });
                    }
                    Err(e) => {
                        let _ = request.reply.send(Err(e));
                    }
                }
            },
            update = desired.recv() => match update {
                // Lagging only means several changes: the full twin is read anyway.
                Ok(_) | Err(broadcast::error::RecvError::Lagged(_)) => {
                    redeploy(&mut modules, &plan_options).await;
                }
                Err(broadcast::error::RecvError::Closed) => {}
            },
        }
    }
    // The supervisors see `shutdown` too and stop their processes; wait for them.
    modules.stop_all().await;
    modules.management.close().await;
}

/// Plans `$edgeAgent`'s (and `$edgeHub`'s) current desired properties and reconciles the
/// running modules with them; an unusable deployment leaves them running and is reported
/// as `lastDesiredStatus` 400 with the reason.
async fn redeploy(modules: &mut Modules, options: &PlanOptions) {
    let state = modules.host.state().clone();
    let (Ok(agent_id), Ok(hub_id)) = (ModuleId::new(EDGE_AGENT), ModuleId::new(EDGE_HUB)) else {
        return;
    };
    let Some(agent_twin) = state.twin(&agent_id) else {
        return;
    };
    let version = agent_twin.desired.version();
    let hub_desired = state
        .twin(&hub_id)
        .map(|t| t.desired.properties().clone())
        .unwrap_or_default();
    let mut content = serde_json::Map::new();
    content.insert(
        EDGE_AGENT.to_owned(),
        json!({"properties.desired": agent_twin.desired.properties()}),
    );
    content.insert(
        EDGE_HUB.to_owned(),
        json!({"properties.desired": hub_desired}),
    );
    let manifest = json!({ "modulesContent": content });
    let deployment = match plan::plan(&manifest, options) {
        Ok(deployment) => deployment,
        Err(e) => {
            let reason = error_chain(&e);
            warn!(version, reason = %reason, "desired deployment refused");
            modules.reporter.desired_status(version, 400, &reason);
            return;
        }
    };
    match modules.reconcile(&deployment).await {
        Ok(changes) => {
            info!(
                version,
                started = ?changes.started,
                removed = ?changes.removed,
                "desired deployment applied"
            );
            modules
                .reporter
                .redeployed(&deployment, version, &changes.started, &changes.removed);
        }
        Err(e) => {
            let reason = error_chain(&e);
            warn!(version, reason = %reason, "desired deployment failed");
            modules.reporter.desired_status(version, 500, &reason);
        }
    }
}

fn error_chain(e: &dyn std::error::Error) -> String {
    let mut text = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        text.push_str(": ");
        text.push_str(&s.to_string());
        source = s.source();
    }
    text
}

/// Creates `<state>/modules/<m>/` (the directory standing for the container's `/`), the
/// volumes' host directories and, under it, a link named like each container path
/// (`appdata/pki` → the host directory), then the working directory standing for
/// `createOptions.WorkingDir` (`<state>/modules/<m>/appdata` for `/appdata`; the module
/// directory itself without one), which it returns.
fn prepare(state_dir: &Path, plan: &ModulePlan) -> Result<PathBuf, AgentError> {
    let root = plan.root(state_dir);
    let io = |path: &Path| {
        let path = path.to_owned();
        move |source| AgentError::Prepare { path, source }
    };
    std::fs::create_dir_all(&root).map_err(io(&root))?;
    for volume in &plan.volumes {
        std::fs::create_dir_all(&volume.host).map_err(io(&volume.host))?;
        let link = plan::host_path(&root, &volume.target);
        if let Some(parent) = link.parent() {
            std::fs::create_dir_all(parent).map_err(io(parent))?;
        }
        if std::fs::symlink_metadata(&link).is_ok() {
            std::fs::remove_file(&link).map_err(io(&link))?;
        }
        symlink(&volume.host, &link).map_err(io(&link))?;
    }
    // Docker creates a missing working directory too; inside a volume link it lands in the
    // volume, as in the container.
    let workdir = plan.workdir(state_dir);
    std::fs::create_dir_all(&workdir).map_err(io(&workdir))?;
    Ok(workdir)
}

/// `$edgeAgent`'s direct methods: `RestartModule` (`{"schemaVersion":"1.0","id":"<m>"}`)
/// and `ping`.
async fn method(call: &LocalCall, modules: &Modules) -> (i32, Value) {
    match call.name.as_str() {
        "ping" => (200, Value::Null),
        "RestartModule" => restart(&call.payload, modules).await,
        other => (
            501,
            json!({"message": format!("method {other} is not implemented by edge-sim's $edgeAgent")}),
        ),
    }
}

async fn restart(payload: &Value, modules: &Modules) -> (i32, Value) {
    let Some(id) = payload.get("id").and_then(Value::as_str) else {
        return (400, json!({"message": "payload needs an \"id\""}));
    };
    let confirmed = match modules.request(id, ModuleAction::Restart) {
        Ok(confirmed) => confirmed,
        Err(e) => return (404, json!({"message": e.to_string()})),
    };
    match confirmed.await {
        Ok(()) => (200, Value::Null),
        Err(e) => (500, json!({"message": e.to_string()})),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_from_the_second_restart_and_is_capped() {
        let o = AgentOptions {
            backoff_base: Duration::from_millis(100),
            backoff_max: Duration::from_millis(500),
            stop_grace: Duration::from_secs(1),
        };
        let delays: Vec<u128> = (0..6).map(|n| o.backoff(n).as_millis()).collect();
        assert_eq!(delays, [0, 100, 200, 400, 500, 500]);
        assert_eq!(o.backoff(u32::MAX), Duration::from_millis(500));
    }

    #[test]
    fn log_lines_read_like_docker_compose() {
        let line = LogLine {
            module: "opcplc".to_owned(),
            line: "hello".to_owned(),
        };
        assert_eq!(line.to_string(), "opcplc | hello");
    }
}
