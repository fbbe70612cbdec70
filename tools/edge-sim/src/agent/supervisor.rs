//! One module's process: start, log pumping, exit handling per restart policy with backoff,
//! `RestartModule`, and a process-group stop.

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

use super::plan::ModulePlan;
use super::report::Reporter;
use super::{AgentOptions, LogLine};
use crate::state::metadata::timestamp;

/// What the agent asks a supervisor to do.
#[derive(Debug)]
pub(crate) enum Control {
    /// Stop the process if it runs and start it again now; acknowledged once started.
    Restart(oneshot::Sender<()>),
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
    Restarted(oneshot::Sender<()>),
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
        let name = self.plan.name.to_string();
        let mut started = Some(started);
        let mut restart_count: u32 = 0;
        let mut next: Option<Duration> =
            (self.plan.status == ModuleStatus::Running).then_some(Duration::ZERO);
        if next.is_none() {
            self.reporter
                .module(&name, json!({"runtimeStatus": "stopped", "statusDescription": "desired status is stopped"}));
        }
        let mut pending_ack = None;
        loop {
            let mut ack = pending_ack.take();
            match next {
                None => {
                    if let Some(s) = started.take() {
                        let _ = s.send(());
                    }
                    tokio::select! {
                        () = shutdown.cancelled() => return,
                        command = commands.recv() => match command {
                            Some(Control::Restart(a)) => ack = Some(a),
                            None => return,
                        },
                    }
                }
                Some(delay) if !delay.is_zero() => {
                    tokio::select! {
                        () = shutdown.cancelled() => return,
                        () = tokio::time::sleep(delay) => {}
                        command = commands.recv() => match command {
                            Some(Control::Restart(a)) => ack = Some(a),
                            None => return,
                        },
                    }
                }
                Some(_) => {}
            }
            let now = OffsetDateTime::now_utc();
            let mut pumps = JoinSet::new();
            let child = self.spawn(&mut pumps);
            let mut fields = json!({
                "lastStartTimeUtc": timestamp(now),
                "restartCount": restart_count,
            });
            if restart_count > 0 {
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
                        let _ = a.send(());
                    }
                    self.watch(child, &mut commands, &shutdown).await
                }
                Err(e) => {
                    let line = format!(
                        "edge-sim: cannot start {}: {e}",
                        self.plan.program.display()
                    );
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
                        let _ = a.send(());
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
                    next = Some(Duration::ZERO);
                }
                Ended::Exited(status) => {
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
                    info!(module = %name, code, runtime, "module exited");
                    self.reporter.module(
                        &name,
                        json!({
                            "runtimeStatus": runtime,
                            "statusDescription": format!("exited with code {code}"),
                            "exitCode": code,
                            "lastExitTimeUtc": timestamp(OffsetDateTime::now_utc()),
                        }),
                    );
                    if restart {
                        next = Some(self.options.backoff(restart_count));
                        restart_count = restart_count.saturating_add(1);
                    } else {
                        next = None;
                    }
                }
            }
        }
    }

    fn spawn(&self, pumps: &mut JoinSet<()>) -> std::io::Result<Child> {
        std::fs::create_dir_all(&self.workdir)?;
        let mut command = Command::new(&self.plan.program);
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

    async fn watch(
        &self,
        mut child: Child,
        commands: &mut mpsc::UnboundedReceiver<Control>,
        shutdown: &CancellationToken,
    ) -> Ended {
        tokio::select! {
            status = child.wait() => match status {
                Ok(status) => Ended::Exited(status),
                Err(e) => {
                    warn!(module = %self.plan.name, error = %e, "cannot wait for the module");
                    self.stop(&mut child).await;
                    Ended::Exited(failure_status())
                }
            },
            command = commands.recv() => {
                self.stop(&mut child).await;
                match command {
                    // Acknowledged by the next start.
                    Some(Control::Restart(ack)) => Ended::Restarted(ack),
                    None => Ended::Shutdown,
                }
            }
            () = shutdown.cancelled() => {
                self.stop(&mut child).await;
                Ended::Shutdown
            }
        }
    }

    /// SIGTERM to the process group, SIGKILL after the grace period (like `docker stop`).
    async fn stop(&self, child: &mut Child) {
        let group = child
            .id()
            .and_then(|id| i32::try_from(id).ok())
            .and_then(Pid::from_raw);
        if let Some(group) = group {
            let _ = kill_process_group(group, Signal::TERM);
            if tokio::time::timeout(self.options.stop_grace, child.wait())
                .await
                .is_ok()
            {
                // The leader is gone; make sure no member of its group survives.
                let _ = kill_process_group(group, Signal::KILL);
                return;
            }
            let _ = kill_process_group(group, Signal::KILL);
        }
        let _ = child.kill().await;
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
