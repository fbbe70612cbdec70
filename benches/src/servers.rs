//! The servers under test as processes: our `opc-plc` (one build per crypto backend) and the
//! two peers, each with the same address space (`FastDouble1..N`, `Double`, +1.0 every second,
//! beside the standard nodes) and the same security (`Basic256Sha256` `SignAndEncrypt`, the
//! benchmarks' CA and CRL), optionally pinned to one core with `taskset`.
//!
//! A server is ready when it says so (`READY` from the peers' scripts) or, for `opc-plc`, when
//! its port accepts a connection. Its output goes to a log file next to the results, which a
//! failure quotes.

use std::io::{BufRead as _, BufReader, Write as _};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, ExitStatus, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use anyhow::{Context as _, Result, bail};
use rustix::process::{Pid, Signal, kill_process};
use serde_json::json;

use crate::certs::{ASYNCUA_URI, Fixture, HOST_IP, NODE_OPCUA_URI, PLC_URI};

/// How long a server may take to become ready.
pub const START_TIMEOUT: Duration = Duration::from_mins(1);
/// How long a server may take to stop before it is killed.
pub const STOP_TIMEOUT: Duration = Duration::from_secs(10);

/// Which server.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Kind {
    /// Our OPC PLC, the binary at this path.
    OpcPlc(PathBuf),
    /// The asyncua server script run by this Python.
    Asyncua {
        /// The venv's interpreter.
        python: PathBuf,
        /// `benches/peers/asyncua_server.py`.
        script: PathBuf,
    },
    /// The node-opcua server script run by this Node.js.
    NodeOpcua {
        /// `node`.
        node: PathBuf,
        /// `benches/peers/node-opcua/server.js`.
        script: PathBuf,
    },
}

/// A server as the reports name it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Server {
    /// Its name in the reports (`opc-plc`, `opc-plc (mbedTLS)`, `asyncua`, `node-opcua`).
    pub name: String,
    /// What runs.
    pub kind: Kind,
}

impl Server {
    /// The application URI its certificate carries.
    #[must_use]
    pub fn uri(&self) -> &'static str {
        match self.kind {
            Kind::OpcPlc(_) => PLC_URI,
            Kind::Asyncua { .. } => ASYNCUA_URI,
            Kind::NodeOpcua { .. } => NODE_OPCUA_URI,
        }
    }
}

/// How one run of a server is set up.
#[derive(Debug, Clone)]
pub struct Launch {
    /// Number of `FastDouble` variables.
    pub doubles: u32,
    /// The TCP port.
    pub port: u16,
    /// The core to pin it to (`taskset -c`), if any.
    pub core: Option<usize>,
    /// Where its output goes.
    pub log: PathBuf,
}

/// A running server.
#[derive(Debug)]
pub struct Running {
    /// Its name.
    pub name: String,
    /// Its process id (`taskset` executes the server in its own process).
    pub pid: u32,
    /// `opc.tcp://127.0.0.1:<port>`.
    pub url: String,
    /// Its application URI.
    pub uri: &'static str,
    child: Child,
    stdin: Option<ChildStdin>,
    log: PathBuf,
}

/// The command line of `server` for `launch` (the program first), without pinning.
pub fn command_line(server: &Server, fixture: &Fixture, launch: &Launch) -> Result<Vec<String>> {
    let path = |p: &Path| p.display().to_string();
    Ok(match &server.kind {
        Kind::OpcPlc(binary) => vec![
            path(binary),
            "--pn".into(),
            launch.port.to_string(),
            "--ph".into(),
            "localhost".into(),
            "--listenhost".into(),
            HOST_IP.into(),
            "--fn".into(),
            launch.doubles.to_string(),
            "--ft".into(),
            "Double".into(),
            "--fr".into(),
            "1".into(),
        ],
        Kind::Asyncua { python, script } => {
            let peer = &fixture.asyncua;
            let plan = json!({
                "host": HOST_IP, "port": launch.port, "application_uri": ASYNCUA_URI,
                "certificate": peer.certificate, "private_key": peer.private_key,
                "trusted_dir": peer.trusted_dir, "crl_dir": peer.crl_dir,
                "namespace": opc_load::PLC_NAMESPACE, "doubles": launch.doubles,
                "update_seconds": 1.0,
            });
            let plan_file = fixture.dir.join(format!("asyncua-{}.json", launch.port));
            std::fs::write(&plan_file, plan.to_string())?;
            vec![path(python), path(script), path(&plan_file)]
        }
        Kind::NodeOpcua { node, script } => {
            let peer = &fixture.node_opcua;
            let plan = json!({
                "host": HOST_IP, "port": launch.port, "application_uri": NODE_OPCUA_URI,
                "certificate": peer.certificate, "private_key": peer.private_key,
                "pki_dir": peer.trusted_dir,
                "namespace": opc_load::PLC_NAMESPACE, "doubles": launch.doubles,
                "update_seconds": 1.0,
            });
            let plan_file = fixture.dir.join(format!("node-opcua-{}.json", launch.port));
            std::fs::write(&plan_file, plan.to_string())?;
            vec![path(node), path(script), path(&plan_file)]
        }
    })
}

/// `taskset -c <core>` before `command`, when pinned.
#[must_use]
pub fn pinned(command: Vec<String>, core: Option<usize>) -> Vec<String> {
    match core {
        Some(core) => ["taskset".to_owned(), "-c".to_owned(), core.to_string()]
            .into_iter()
            .chain(command)
            .collect(),
        None => command,
    }
}

/// Starts `server` and waits until it is ready.
pub fn start(server: &Server, fixture: &Fixture, launch: &Launch) -> Result<Running> {
    let argv = pinned(command_line(server, fixture, launch)?, launch.core);
    let log = std::fs::File::create(&launch.log)
        .with_context(|| format!("creating {}", launch.log.display()))?;
    let mut command = Command::new(&argv[0]);
    command
        .args(&argv[1..])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(log.try_clone()?);
    if let Kind::OpcPlc(_) = server.kind {
        command.current_dir(&fixture.plc_dir);
    }
    let mut child = command
        .spawn()
        .with_context(|| format!("starting {}", argv.join(" ")))?;
    let stdin = child.stdin.take();
    // Copy stdout to the log; report READY through a channel.
    let (ready_tx, ready_rx) = mpsc::channel();
    if let Some(stdout) = child.stdout.take() {
        let mut log = log;
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if line.trim() == "READY" {
                    let _ = ready_tx.send(());
                }
                let _ = writeln!(log, "{line}");
            }
        });
    }
    let mut running = Running {
        name: server.name.clone(),
        pid: child.id(),
        url: format!("opc.tcp://{HOST_IP}:{}", launch.port),
        uri: server.uri(),
        child,
        stdin,
        log: launch.log.clone(),
    };
    let deadline = Instant::now() + START_TIMEOUT;
    loop {
        let ready = match server.kind {
            Kind::OpcPlc(_) => TcpStream::connect((HOST_IP, launch.port)).is_ok(),
            _ => ready_rx.try_recv().is_ok(),
        };
        if ready {
            return Ok(running);
        }
        if let Some(status) = running.child.try_wait()? {
            bail!(
                "{} exited with {status} before it was ready:\n{}",
                server.name,
                running.log_tail()
            );
        }
        if Instant::now() > deadline {
            let tail = running.log_tail();
            let _ = running.stop();
            bail!(
                "{} was not ready within {START_TIMEOUT:?}:\n{tail}",
                server.name
            );
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

impl Running {
    /// Asks the server to stop (stdin closed and SIGTERM), kills it after [`STOP_TIMEOUT`].
    pub fn stop(&mut self) -> Result<ExitStatus> {
        drop(self.stdin.take());
        if let Some(pid) = i32::try_from(self.pid).ok().and_then(Pid::from_raw) {
            let _ = kill_process(pid, Signal::TERM);
        }
        let deadline = Instant::now() + STOP_TIMEOUT;
        loop {
            if let Some(status) = self.child.try_wait()? {
                return Ok(status);
            }
            if Instant::now() > deadline {
                self.child.kill()?;
                return Ok(self.child.wait()?);
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// Whether the process still runs.
    pub fn is_running(&mut self) -> bool {
        matches!(self.child.try_wait(), Ok(None))
    }

    /// The last lines of its log.
    #[must_use]
    pub fn log_tail(&self) -> String {
        let text = std::fs::read_to_string(&self.log).unwrap_or_default();
        let lines: Vec<&str> = text.lines().collect();
        lines[lines.len().saturating_sub(20)..].join("\n")
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        if self.is_running() {
            let _ = self.stop();
        }
    }
}

/// `perf record --call-graph dwarf` attached to a running process (scripts/bench --perf).
#[derive(Debug)]
pub struct Profile(Child);

impl Profile {
    /// Starts recording `pid` into `output`.
    pub fn start(pid: u32, output: &Path) -> Result<Self> {
        if let Some(dir) = output.parent() {
            std::fs::create_dir_all(dir)?;
        }
        let child = Command::new("perf")
            // DWARF unwinding: Debian's libcrypto has no frame pointers and no symbols here, and
            // frame-pointer call chains stop inside it; `.eh_frame` unwinding crosses it.
            .args([
                "record",
                "--call-graph",
                "dwarf,16384",
                "-F",
                "499",
                "-q",
                "-p",
                &pid.to_string(),
                "-o",
            ])
            .arg(output)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .context("starting perf record (install linux-perf)")?;
        Ok(Self(child))
    }

    /// Stops recording (SIGINT, as perf expects) and waits for the file to be written.
    pub fn stop(mut self) -> Result<()> {
        if let Some(pid) = i32::try_from(self.0.id()).ok().and_then(Pid::from_raw) {
            let _ = kill_process(pid, Signal::INT);
        }
        self.0.wait()?;
        Ok(())
    }
}

/// A TCP port nobody listens on now.
pub fn free_port() -> Result<u16> {
    let listener = std::net::TcpListener::bind((HOST_IP, 0))?;
    Ok(listener.local_addr()?.port())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pinning_puts_taskset_before_the_command() {
        let cmd = vec!["opc-plc".to_owned(), "--pn".to_owned(), "1".to_owned()];
        assert_eq!(
            pinned(cmd.clone(), Some(0)),
            ["taskset", "-c", "0", "opc-plc", "--pn", "1"]
        );
        assert_eq!(pinned(cmd.clone(), None), cmd);
    }
}
