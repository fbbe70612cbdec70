//! The simulated edgeAgent: runs the modules of a deployment manifest as processes.
//!
//! [`plan::plan`] turns a manifest into [`plan::ModulePlan`]s; [`Agent::start`] creates the
//! identities, seeds the twins from `modulesContent`, starts the modules in `startupOrder`
//! (one supervisor task per module, restart policy with backoff), multiplexes their output as
//! [`LogLine`]s, reports runtime status on the `$edgeAgent` twin and serves `$edgeAgent`'s
//! `RestartModule` and `ping` direct methods. Mapping of manifest fields:
//! `docs/edge-sim.md`.

pub mod plan;
mod report;
mod supervisor;

use std::collections::HashMap;
use std::fmt;
use std::os::unix::fs::symlink;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use hub_proto::ModuleId;
use serde_json::{Value, json};
use tokio::sync::{mpsc, oneshot};
use tokio::task::JoinSet;
use tokio_util::sync::CancellationToken;
use tracing::{info, warn};

pub use plan::{Deployment, ModulePlan, PlanError, PlanOptions, Volume};
pub use report::{EDGE_AGENT, EDGE_HUB};

use crate::mqtt::{Broker, LocalCall};
use crate::running::Running;
use crate::state::UpdateError;
use report::Reporter;
use supervisor::{Control, Supervisor};

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
}

/// A running deployment; dropping it stops the modules (their process groups are killed).
#[derive(Debug)]
pub struct Agent {
    shutdown: CancellationToken,
    tasks: JoinSet<()>,
    broker: Arc<Broker>,
    methods_of: ModuleId,
}

impl Agent {
    /// Deploys `deployment` on `running`: creates identities, seeds twins, prepares working
    /// directories and volumes, and starts the modules in start order. Returns once every
    /// module was started (or is desired stopped).
    pub async fn start(
        running: &Running,
        deployment: Deployment,
        options: AgentOptions,
        logs: mpsc::UnboundedSender<LogLine>,
        shutdown: CancellationToken,
    ) -> Result<Self, AgentError> {
        let state = running.state().clone();
        let device = running.device_id();
        let edge_agent = module_id(EDGE_AGENT)?;
        for name in [EDGE_AGENT, EDGE_HUB] {
            running
                .add_module(name)
                .map_err(|_| AgentError::Identity(name.to_owned()))?;
        }
        for plan in &deployment.modules {
            running
                .add_module(plan.name.as_str())
                .map_err(|_| AgentError::Identity(plan.name.to_string()))?;
        }
        state.apply_configuration(&device, &deployment.modules_content)?;
        let desired_version = state.twin(&edge_agent).map_or(1, |t| t.desired.version());
        let reporter = Reporter::new(state.clone(), edge_agent.clone());
        reporter.deployment(&deployment, desired_version);

        let shutdown = shutdown.child_token();
        let mut tasks = JoinSet::new();
        let mut controls = HashMap::new();
        for plan in deployment.modules {
            let workdir = prepare(running.state_dir(), &plan)?;
            let mut env = running
                .edge_env(plan.name.as_str())
                .map_err(|_| AgentError::Identity(plan.name.to_string()))?;
            env.extend(plan.env.clone());
            let (tx, rx) = mpsc::unbounded_channel();
            controls.insert(plan.name.to_string(), tx);
            let (started_tx, started_rx) = oneshot::channel();
            let supervisor = Supervisor {
                plan,
                env,
                workdir,
                reporter: reporter.clone(),
                logs: logs.clone(),
                options: options.clone(),
            };
            tasks.spawn(supervisor.run(rx, started_tx, shutdown.clone()));
            // edgeAgent starts a module once the previous startupOrder was started.
            let _ = tokio::time::timeout(START_WAIT, started_rx).await;
        }

        let broker = running.broker().clone();
        let (calls_tx, calls_rx) = mpsc::unbounded_channel();
        broker.serve_locally(&edge_agent, calls_tx);
        tasks.spawn(serve_methods(calls_rx, controls, shutdown.clone()));
        info!(device = %device, "deployment started");
        Ok(Self {
            shutdown,
            tasks,
            broker,
            methods_of: edge_agent,
        })
    }

    /// Stops every module (SIGTERM to its process group, SIGKILL after the grace period) and
    /// waits for the supervisors.
    pub async fn shutdown(mut self) {
        self.shutdown.cancel();
        self.broker.stop_serving_locally(&self.methods_of);
        while self.tasks.join_next().await.is_some() {}
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

/// Creates `<state>/modules/<m>/`, the volumes' host directories and, in the working
/// directory, a link named like each container path (`appdata/pki` → the host directory).
fn prepare(state_dir: &Path, plan: &ModulePlan) -> Result<PathBuf, AgentError> {
    let workdir = state_dir.join("modules").join(plan.name.as_str());
    let io = |path: &Path| {
        let path = path.to_owned();
        move |source| AgentError::Prepare { path, source }
    };
    std::fs::create_dir_all(&workdir).map_err(io(&workdir))?;
    for volume in &plan.volumes {
        std::fs::create_dir_all(&volume.host).map_err(io(&volume.host))?;
        let link = workdir.join(volume.target.trim_start_matches('/'));
        if let Some(parent) = link.parent() {
            std::fs::create_dir_all(parent).map_err(io(parent))?;
        }
        if std::fs::symlink_metadata(&link).is_ok() {
            std::fs::remove_file(&link).map_err(io(&link))?;
        }
        symlink(&volume.host, &link).map_err(io(&link))?;
    }
    Ok(workdir)
}

/// `$edgeAgent`'s direct methods: `RestartModule` (`{"schemaVersion":"1.0","id":"<m>"}`)
/// and `ping`.
async fn serve_methods(
    mut calls: mpsc::UnboundedReceiver<LocalCall>,
    controls: HashMap<String, mpsc::UnboundedSender<Control>>,
    shutdown: CancellationToken,
) {
    loop {
        let call = tokio::select! {
            () = shutdown.cancelled() => return,
            call = calls.recv() => match call {
                Some(call) => call,
                None => return,
            },
        };
        let answer = match call.name.as_str() {
            "ping" => (200, Value::Null),
            "RestartModule" => restart(&call.payload, &controls).await,
            other => (
                501,
                json!({"message": format!("method {other} is not implemented by edge-sim's $edgeAgent")}),
            ),
        };
        let _ = call.reply.send(answer);
    }
}

async fn restart(
    payload: &Value,
    controls: &HashMap<String, mpsc::UnboundedSender<Control>>,
) -> (i32, Value) {
    let Some(id) = payload.get("id").and_then(Value::as_str) else {
        return (400, json!({"message": "payload needs an \"id\""}));
    };
    let Some(control) = controls.get(id) else {
        return (
            404,
            json!({"message": format!("module {id} is not in the deployment")}),
        );
    };
    let (ack, started) = oneshot::channel();
    if control.send(Control::Restart(ack)).is_err() {
        return (
            500,
            json!({"message": format!("module {id} is not supervised")}),
        );
    }
    if let Ok(Ok(())) = tokio::time::timeout(START_WAIT, started).await {
        info!(module = id, "module restarted on request");
        (200, Value::Null)
    } else {
        warn!(module = id, "restart not confirmed");
        (
            500,
            json!({"message": format!("module {id} did not restart")}),
        )
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
