//! `up` (foreground, like `docker compose up`), `up -d` (a background `edge-sim up` with its
//! log in `<state>/edge-sim.log`) and `down`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context as _, bail};
use edge_sim::agent::PlanOptions;
use edge_sim::agent::plan::plan;
use edge_sim::{Agent, AgentOptions, Config, EdgeSim};
use rustix::process::{Pid, Signal, kill_process};
use std::os::unix::process::CommandExt as _;
use tokio::sync::mpsc;
use tokio_util::sync::CancellationToken;

use super::instance::{Instance, LOG_FILE, PID_FILE};
use super::{EXIT_OK, UpArgs};

/// How long `up -d` and `down` wait for the instance.
const WAIT: Duration = Duration::from_mins(1);

/// Runs in the foreground until Ctrl-C or SIGTERM.
pub async fn foreground(state: &Path, args: UpArgs) -> anyhow::Result<u8> {
    let mut config = Config::new(state);
    config.mqtt_port = args.mqtt_port;
    config.api_port = args.api_port;
    config.fleet = args.fleet();
    config.rate_limit = args.rate_limit();
    // Plan before binding anything, so that a missing binary fails fast.
    let template = match &args.manifest {
        Some(path) => Some((path.clone(), read_json(path)?)),
        None => None,
    };
    let shutdown = CancellationToken::new();
    let running = EdgeSim::start(config, shutdown.clone())
        .await
        .context("cannot start edge-sim")?;
    let state_dir = running.state_dir().to_owned();
    // The system modules' twins exist even without a deployment, as on a real device.
    for system in [edge_sim::agent::EDGE_AGENT, edge_sim::agent::EDGE_HUB] {
        running
            .add_module(system)
            .with_context(|| format!("cannot create {system}"))?;
    }
    let (logs_tx, mut logs) = mpsc::unbounded_channel();
    let printer = tokio::spawn(async move {
        use std::io::Write as _;
        while let Some(line) = logs.recv().await {
            // A closed stdout (`| head`) must not stop the simulator.
            let _ = writeln!(std::io::stdout().lock(), "{line}");
        }
    });
    let agent = match template {
        Some((path, template)) => {
            let repo = args
                .repo
                .clone()
                .or_else(|| path.parent().map(Path::to_owned))
                .unwrap_or_else(|| PathBuf::from("."));
            let target_dir = args
                .target_dir
                .clone()
                .unwrap_or_else(|| repo.join("target"));
            let options = PlanOptions {
                repo_root: repo,
                target_dir,
                profile: args.profile.clone(),
                vars: std::env::vars().collect::<BTreeMap<_, _>>(),
                state_dir: state_dir.clone(),
            };
            let deployment = plan(&template, &options)
                .with_context(|| format!("cannot run {}", path.display()))?;
            Some(
                Agent::start(
                    &running,
                    deployment,
                    AgentOptions::default(),
                    logs_tx.clone(),
                    shutdown.clone(),
                )
                .await
                .context("cannot start the deployment")?,
            )
        }
        None => None,
    };
    drop(logs_tx);
    let instance = Instance::of(&running);
    instance.write(&state_dir)?;
    eprintln!(
        "edge-sim: mqtt on port {}, service api on port {}, CA {}",
        instance.mqtt_port,
        instance.api_port,
        instance.ca_file.display()
    );
    wait_for_signal().await;
    eprintln!("edge-sim: stopping");
    if let Some(agent) = agent {
        agent.shutdown().await;
    }
    running.shutdown().await;
    let _ = printer.await;
    Instance::remove(&state_dir);
    Ok(EXIT_OK)
}

/// Starts `edge-sim up` in the background and waits until it published its instance file.
pub fn detach(state: &Path, args: &UpArgs) -> anyhow::Result<u8> {
    std::fs::create_dir_all(state).with_context(|| format!("cannot create {}", state.display()))?;
    let state = std::fs::canonicalize(state)
        .with_context(|| format!("cannot resolve {}", state.display()))?;
    if let Ok(old) = Instance::read(&state)
        && alive(old.pid)
    {
        bail!(
            "edge-sim is already up in {} (pid {})",
            state.display(),
            old.pid
        );
    }
    Instance::remove(&state);
    let log_path = state.join(LOG_FILE);
    let log = std::fs::File::create(&log_path)
        .with_context(|| format!("cannot create {}", log_path.display()))?;
    let exe = std::env::current_exe().context("cannot find the edge-sim binary")?;
    let mut command = Command::new(exe);
    command
        .arg("--state")
        .arg(&state)
        .arg("up")
        .arg("--mqtt-port")
        .arg(args.mqtt_port.to_string())
        .arg("--api-port")
        .arg(args.api_port.to_string())
        .arg("--profile")
        .arg(&args.profile)
        .arg("--fleet")
        .arg(args.fleet.to_string())
        .arg("--fleet-prefix")
        .arg(&args.fleet_prefix)
        .arg("--rate-limit")
        .arg(args.rate_limit.to_string());
    for module in &args.fleet_modules {
        command.arg("--fleet-module").arg(module.to_string());
    }
    if let Some(manifest) = &args.manifest {
        command.arg("--manifest").arg(absolute(manifest)?);
    }
    if let Some(repo) = &args.repo {
        command.arg("--repo").arg(absolute(repo)?);
    }
    if let Some(target) = &args.target_dir {
        command.arg("--target-dir").arg(absolute(target)?);
    }
    let mut child = command
        .stdin(Stdio::null())
        .stdout(log.try_clone().context("cannot share the log file")?)
        .stderr(log)
        // Its own process group: a Ctrl-C in this terminal does not reach it.
        .process_group(0)
        .spawn()
        .context("cannot start the background edge-sim")?;
    let deadline = Instant::now() + WAIT;
    loop {
        if let Ok(instance) = Instance::read(&state)
            && instance.pid == child.id()
        {
            println!(
                "edge-sim up (pid {}): mqtt port {}, service api port {}, logs in {}",
                instance.pid,
                instance.mqtt_port,
                instance.api_port,
                log_path.display()
            );
            return Ok(EXIT_OK);
        }
        if let Ok(Some(status)) = child.try_wait() {
            let tail = std::fs::read_to_string(&log_path).unwrap_or_default();
            bail!("the background edge-sim exited ({status}):\n{tail}");
        }
        if Instant::now() > deadline {
            bail!(
                "the background edge-sim did not start; see {}",
                log_path.display()
            );
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// Stops the instance of `state` (SIGTERM) and waits until it is gone.
pub async fn down(state: &Path) -> anyhow::Result<u8> {
    let pid_path = state.join(PID_FILE);
    let text = std::fs::read_to_string(&pid_path)
        .with_context(|| format!("no edge-sim is up in {} (no pid file)", state.display()))?;
    let pid: u32 = text
        .trim()
        .parse()
        .with_context(|| format!("{} is corrupt", pid_path.display()))?;
    let Some(target) = i32::try_from(pid).ok().and_then(Pid::from_raw) else {
        bail!("{} is corrupt", pid_path.display());
    };
    if !alive(pid) {
        Instance::remove(state);
        println!("edge-sim was not running (stale pid {pid})");
        return Ok(EXIT_OK);
    }
    kill_process(target, Signal::TERM).with_context(|| format!("cannot signal pid {pid}"))?;
    let deadline = tokio::time::Instant::now() + WAIT;
    while alive(pid) && state.join(PID_FILE).exists() {
        if tokio::time::Instant::now() > deadline {
            bail!("edge-sim (pid {pid}) did not stop");
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    println!("edge-sim down (pid {pid})");
    Ok(EXIT_OK)
}

/// Whether `pid` exists and is not a zombie.
fn alive(pid: u32) -> bool {
    std::fs::read_to_string(format!("/proc/{pid}/stat")).is_ok_and(|stat| {
        stat.rsplit(')')
            .next()
            .is_some_and(|rest| !rest.trim_start().starts_with('Z'))
    })
}

fn absolute(path: &Path) -> anyhow::Result<PathBuf> {
    std::path::absolute(path).with_context(|| format!("cannot resolve {}", path.display()))
}

fn read_json(path: &Path) -> anyhow::Result<serde_json::Value> {
    let bytes = std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))?;
    serde_json::from_slice(&bytes).with_context(|| format!("{} is not json", path.display()))
}

async fn wait_for_signal() {
    let ctrl_c = tokio::signal::ctrl_c();
    match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
        Ok(mut term) => {
            tokio::select! {
                _ = ctrl_c => {}
                _ = term.recv() => {}
            }
        }
        Err(_) => {
            let _ = ctrl_c.await;
        }
    }
}
