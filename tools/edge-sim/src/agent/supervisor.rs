//! One module's process: start, log pumping, exit handling per restart policy with backoff,
//! restart, start and stop requests (`RestartModule`, the management API), and a
//! process-group stop. A module edge-sim cannot run (a container image) is reported as such
//! and answers restart and start requests with the reason.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::process::{ExitStatus, Stdio};
use std::time::Duration;

use hub_proto::manifest::{ModuleExit, ModuleStatus};
use rustix::process::{Pid, Signal, kill_process_group};
use serde_json::json;
use time::OffsetDateTime;
use tokio::io::{AsyncBufReadExt as _, AsyncRead, BufReader};
use tokio::process::{Child, Command};
use tokio::sync::{mpsc, oneshot};
use tokio::task::JoinSet;
use tokio_util::sync::CancellationToken;
use tracing::{info, warn};

use super::plan::{ModulePlan, Program};
use super::report::Reporter;
use super::{AgentOptions, LogLine};
use crate::state::metadata::timestamp;

/// Answers a [`Control`]: `Err` says why the module could not be started.
pub(crate) type Ack = oneshot::Sender<Result<(), String>>;

/// What the agent asks a supervisor to do.
#[derive(Debug)]
pub(crate) enum Control {
    /// Stop the process if it runs and start it again now; acknowledged once started.
    Restart(Ack),
    /// Start the process now unless it runs (a pending backoff is cut short); acknowledged
    /// once started, at once when it already runs.
    Start(Ack),
    /// Stop the process if it runs (SIGTERM, SIGKILL after the grace period); the exit is then
    /// handled like any other, by the restart policy (edgeAgent's rule for a module that
    /// stopped). Acknowledged once the process is gone and its exit reported, at once when
    /// none runs.
    Stop(Ack),
}

/// Everything a supervisor needs.
pub(crate) struct Supervisor {
    pub(crate) plan: ModulePlan,
    /// The full environment added to the inherited one (`IOTEDGE_*` and the manifest's).
    pub(crate) env: BTreeMap<String, String>,
    pub(crate) workdir: PathBuf,
    pub(crate) reporter: Reporter,
    pub(crate) logs: mpsc::UnboundedSender<LogLine>,
    pub(crate) options: AgentOptions,
}

/// How a run ended.
enum Ended {
    Exited(ExitStatus),
    /// Stopped by [`Control::Stop`], with its exit status.
    Stopped(ExitStatus, Ack),
    Restarted(Ack),
    Shutdown,
}

/// How a wait before a start ended.
enum Waited {
    /// The delay passed: start.
    Elapsed,
    /// A restart or start request cut the wait short: start and acknowledge it.
    Asked(Ack),
    Shutdown,
}

impl Supervisor {
    /// Runs the module until `shutdown`; `started` fires after the first start attempt (or
    /// at once for a stopped module), which is what `startupOrder` waits for.
    // One state machine (wait, start, watch, decide) reads best in one place.
    #[allow(clippy::too_many_lines)]
    pub(crate) async fn run(
        self,
        mut commands: mpsc::UnboundedReceiver<Control>,
        started: oneshot::Sender<()>,
        shutdown: CancellationToken,
    ) {
        if let Some(reason) = self.plan.not_runnable() {
            return self.hold(&reason, commands, started, shutdown).await;
        }
        let name = self.plan.name.to_string();
        let mut started = Some(started);
        let mut restart_count: u32 = 0;
        // Whether the next start is a restart (by request or by the restart policy).
        let mut restarting = false;
        let mut next: Option<Duration> =
            (self.plan.status == ModuleStatus::Running).then_some(Duration::ZERO);
        if next.is_none() {
            self.reporter
                .module(&name, json!({"runtimeStatus": "stopped", "statusDescription": "desired status is stopped"}));
        }
        let mut pending_ack = None;
        loop {
            let mut ack = pending_ack.take();
            if next.is_none()
                && let Some(s) = started.take()
            {
                let _ = s.send(());
            }
            match wait(next, &mut commands, &shutdown).await {
                Waited::Elapsed => {}
                Waited::Asked(a) => ack = Some(a),
                Waited::Shutdown => return,
            }
            let now = OffsetDateTime::now_utc();
            let mut pumps = JoinSet::new();
            let child = self.spawn(&mut pumps);
            let mut fields = json!({
                "lastStartTimeUtc": timestamp(now),
                "restartCount": restart_count,
            });
            if restarting {
                fields["lastRestartTimeUtc"] = json!(timestamp(now));
            }
            let ended = match child {
                Ok(child) => {
                    fields["runtimeStatus"] = json!("running");
                    fields["statusDescription"] = json!("running");
                    self.reporter.module(&name, fields);
                    info!(module = %name, pid = child.id(), "module started");
                    if let Some(s) = started.take() {
                        let _ = s.send(());
                    }
                    if let Some(a) = ack.take() {
                        let _ = a.send(Ok(()));
                    }
                    self.watch(child, &mut commands, &shutdown).await
                }
                Err(e) => {
                    let line = format!("edge-sim: cannot start {}: {e}", self.program());
                    let _ = self.logs.send(LogLine {
                        module: name.clone(),
                        line,
                    });
                    fields["statusDescription"] = json!(format!("cannot start: {e}"));
                    self.reporter.module(&name, fields);
                    if let Some(s) = started.take() {
                        let _ = s.send(());
                    }
                    if let Some(a) = ack.take() {
                        let _ = a.send(Err(format!("cannot start {}: {e}", self.program())));
                    }
                    Ended::Exited(failure_status())
                }
            };
            // Pipes end when the process group is gone; a daemonised grandchild that keeps
            // them open is not waited for.
            let _ = tokio::time::timeout(Duration::from_secs(1), async {
                while pumps.join_next().await.is_some() {}
            })
            .await;
            pumps.abort_all();
            match ended {
                Ended::Shutdown => {
                    self.reporter.module(
                        &name,
                        json!({"runtimeStatus": "stopped", "statusDescription": "edge-sim stopped", "lastExitTimeUtc": timestamp(OffsetDateTime::now_utc())}),
                    );
                    return;
                }
                Ended::Restarted(a) => {
                    pending_ack = Some(a);
                    restart_count = restart_count.saturating_add(1);
                    restarting = true;
                    next = Some(Duration::ZERO);
                }
                Ended::Exited(status) => {
                    next = self.exited(&name, status, "exited", restart_count);
                    restarting = next.is_some();
                    if restarting {
                        restart_count = restart_count.saturating_add(1);
                    }
                }
                Ended::Stopped(status, a) => {
                    next = self.exited(&name, status, "stopped on request, exited", restart_count);
                    restarting = next.is_some();
                    if restarting {
                        restart_count = restart_count.saturating_add(1);
                    }
                    let _ = a.send(Ok(()));
                }
            }
        }
    }

    /// A module that cannot run as a process: reports `reason` (`runtimeStatus: failed`, or
    /// `stopped` when that is its desired status) and logs it once, then answers restart and
    /// start requests with `reason` (the management API's 500, `RestartModule`'s 500) and stop
    /// requests at once (nothing runs), until `shutdown`.
    ///
    /// edgeAgent has no status for "cannot be run here": a module whose image cannot be
    /// pulled or created makes its deployment report `lastDesiredStatus` 500 and is missing
    /// from the reported `modules` until its container exists. `failed` ("exited with a
    /// failure") is the closest of its five runtime statuses for a module that is not working,
    /// and unlike a missing entry it carries the reason.
    async fn hold(
        self,
        reason: &str,
        mut commands: mpsc::UnboundedReceiver<Control>,
        started: oneshot::Sender<()>,
        shutdown: CancellationToken,
    ) {
        let name = self.plan.name.to_string();
        warn!(module = %name, reason, "module not started");
        let _ = self.logs.send(LogLine {
            module: name.clone(),
            line: format!("edge-sim: {reason}"),
        });
        let fields = if self.plan.status == ModuleStatus::Running {
            json!({"runtimeStatus": "failed", "statusDescription": reason})
        } else {
            json!({"runtimeStatus": "stopped", "statusDescription": format!("desired status is stopped; {reason}")})
        };
        self.reporter.module(&name, fields);
        let _ = started.send(());
        loop {
            tokio::select! {
                () = shutdown.cancelled() => return,
                command = commands.recv() => match command {
                    Some(Control::Restart(ack) | Control::Start(ack)) => {
                        let _ = ack.send(Err(reason.to_owned()));
                    }
                    Some(Control::Stop(ack)) => {
                        let _ = ack.send(Ok(()));
                    }
                    None => return,
                },
            }
        }
    }

    /// The program, for messages.
    fn program(&self) -> String {
        match &self.plan.program {
            Program::Executable(path) => path.display().to_string(),
            Program::Image(image) => image.clone(),
        }
    }

    /// Reports an exit and applies the restart policy: the delay before the restart, or
    /// `None` when the module stays down. `how` starts the status description.
    fn exited(
        &self,
        name: &str,
        status: ExitStatus,
        how: &str,
        restart_count: u32,
    ) -> Option<Duration> {
        let code = exit_code(status);
        let exit = if code == 0 {
            ModuleExit::Success
        } else {
            ModuleExit::Failure
        };
        let restart = self.plan.restart_policy.restarts_after(exit);
        let runtime = match (restart, exit) {
            (true, _) => "backoff",
            (false, ModuleExit::Success) => "stopped",
            (false, _) => "failed",
        };
        info!(module = %name, code, runtime, how, "module exited");
        self.reporter.module(
            name,
            json!({
                "runtimeStatus": runtime,
                "statusDescription": format!("{how} with code {code}"),
                "exitCode": code,
                "lastExitTimeUtc": timestamp(OffsetDateTime::now_utc()),
            }),
        );
        restart.then(|| self.options.backoff(restart_count))
    }

    fn spawn(&self, pumps: &mut JoinSet<()>) -> std::io::Result<Child> {
        let Program::Executable(program) = &self.plan.program else {
            return Err(std::io::Error::other("not an executable"));
        };
        std::fs::create_dir_all(&self.workdir)?;
        let mut command = Command::new(program);
        command
            .args(&self.plan.args)
            .envs(&self.env)
            .current_dir(&self.workdir)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            // Its own process group, so that a stop reaches the module's children too.
            .process_group(0)
            .kill_on_drop(true);
        let mut child = command.spawn()?;
        let name = self.plan.name.to_string();
        if let Some(out) = child.stdout.take() {
            pumps.spawn(pump(out, name.clone(), self.logs.clone()));
        }
        if let Some(err) = child.stderr.take() {
            pumps.spawn(pump(err, name, self.logs.clone()));
        }
        Ok(child)
    }

    /// Watches the running process until it exits or a request or shutdown ends it.
    async fn watch(
        &self,
        mut child: Child,
        commands: &mut mpsc::UnboundedReceiver<Control>,
        shutdown: &CancellationToken,
    ) -> Ended {
        loop {
            tokio::select! {
                status = child.wait() => return match status {
                    Ok(status) => Ended::Exited(status),
                    Err(e) => {
                        warn!(module = %self.plan.name, error = %e, "cannot wait for the module");
                        self.stop(&mut child).await;
                        Ended::Exited(failure_status())
                    }
                },
                command = commands.recv() => match command {
                    // It runs already.
                    Some(Control::Start(ack)) => {
                        let _ = ack.send(Ok(()));
                    }
                    // Acknowledged by the next start.
                    Some(Control::Restart(ack)) => {
                        self.stop(&mut child).await;
                        return Ended::Restarted(ack);
                    }
                    Some(Control::Stop(ack)) => {
                        let status = self.stop(&mut child).await;
                        return Ended::Stopped(status, ack);
                    }
                    None => {
                        self.stop(&mut child).await;
                        return Ended::Shutdown;
                    }
                },
                () = shutdown.cancelled() => {
                    self.stop(&mut child).await;
                    return Ended::Shutdown;
                }
            }
        }
    }

    /// SIGTERM to the process group, SIGKILL after the grace period (like `docker stop`);
    /// returns how the process ended.
    async fn stop(&self, child: &mut Child) -> ExitStatus {
        let group = child
            .id()
            .and_then(|id| i32::try_from(id).ok())
            .and_then(Pid::from_raw);
        if let Some(group) = group {
            let _ = kill_process_group(group, Signal::TERM);
            if let Ok(Ok(status)) =
                tokio::time::timeout(self.options.stop_grace, child.wait()).await
            {
                // The leader is gone; make sure no member of its group survives.
                let _ = kill_process_group(group, Signal::KILL);
                return status;
            }
            let _ = kill_process_group(group, Signal::KILL);
        }
        let _ = child.kill().await;
        child.wait().await.unwrap_or_else(|_| failure_status())
    }
}

/// Waits before a start: `Some(delay)` is a backoff (zero: none), `None` waits until a
/// restart or start request. A stop request finds nothing running and is acknowledged at once;
/// a pending restart of the restart policy still happens, as with edgeAgent.
async fn wait(
    delay: Option<Duration>,
    commands: &mut mpsc::UnboundedReceiver<Control>,
    shutdown: &CancellationToken,
) -> Waited {
    if delay == Some(Duration::ZERO) {
        return Waited::Elapsed;
    }
    let sleep = async {
        match delay {
            Some(delay) => tokio::time::sleep(delay).await,
            None => std::future::pending().await,
        }
    };
    tokio::pin!(sleep);
    loop {
        tokio::select! {
            () = shutdown.cancelled() => return Waited::Shutdown,
            () = &mut sleep => return Waited::Elapsed,
            command = commands.recv() => match command {
                Some(Control::Restart(ack) | Control::Start(ack)) => return Waited::Asked(ack),
                Some(Control::Stop(ack)) => {
                    let _ = ack.send(Ok(()));
                }
                None => return Waited::Shutdown,
            },
        }
    }
}

/// A start or wait failure counts as a crash: exit code 1.
fn failure_status() -> ExitStatus {
    use std::os::unix::process::ExitStatusExt as _;
    // A wait status of 0x100 is "exited with code 1".
    ExitStatus::from_raw(0x100)
}

/// The exit code, or `128 + signal` like a shell (and Docker) reports a killed process.
fn exit_code(status: ExitStatus) -> i32 {
    use std::os::unix::process::ExitStatusExt as _;
    status
        .code()
        .or_else(|| status.signal().map(|s| 128 + s))
        .unwrap_or(-1)
}

/// Sends every line of `reader` as the module's log line.
async fn pump(
    reader: impl AsyncRead + Unpin,
    module: String,
    logs: mpsc::UnboundedSender<LogLine>,
) {
    let mut lines = BufReader::new(reader).lines();
    while let Ok(Some(line)) = lines.next_line().await {
        if logs
            .send(LogLine {
                module: module.clone(),
                line,
            })
            .is_err()
        {
            break;
        }
    }
}
