//! `opc-plc`: resolves the [`Config`] once, sets up the 2018-style console (and optional file)
//! log and runs the PLC until SIGINT/SIGTERM.
//!
//! Exit codes: 0 after a clean shutdown, 1 when start-up failed (invalid certificate input,
//! refused batch, server not started: the store is unchanged), 2 for command-line usage errors.

use std::io::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::mpsc;
use std::time::Duration;

use anyhow::Context as _;
use clap::Parser as _;
use module_cli::logging::{self, LogSetup};
use opc_plc::{Cli, Config};
use tracing_appender::non_blocking::WorkerGuard;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let working_dir = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("."));
    let config = Config::new(cli, &machine_host_name(), working_dir);
    let _guard = match init_logging(&config) {
        Ok(guard) => guard,
        Err(e) => {
            eprintln!("{e:#}");
            return ExitCode::from(2);
        }
    };
    let (stop, shutdown) = mpsc::channel();
    if let Err(e) = watch_signals(stop) {
        eprintln!("{e:#}");
        return ExitCode::FAILURE;
    }
    let mut print = |line: &str| {
        let mut out = std::io::stdout().lock();
        let _ = writeln!(out, "{line}");
    };
    match opc_plc::run(&config, &shutdown, &mut print) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("{:#}", anyhow::Error::new(e));
            ExitCode::FAILURE
        }
    }
}

/// The machine's host name (the reference's default for `--ph`).
fn machine_host_name() -> String {
    std::fs::read_to_string("/proc/sys/kernel/hostname")
        .ok()
        .or_else(|| std::env::var("HOSTNAME").ok())
        .map(|h| h.trim().to_owned())
        .filter(|h| !h.is_empty())
        .unwrap_or_else(|| "localhost".to_owned())
}

fn init_logging(config: &Config) -> anyhow::Result<Option<WorkerGuard>> {
    let file = config
        .cli
        .log_file
        .as_ref()
        .map(|path| config.working_dir.join(path));
    let guard = logging::init(&LogSetup {
        level: &config.cli.log_level,
        file: file.as_deref(),
        flush_interval: Some(Duration::from_secs(config.cli.log_flush_seconds)),
        directives: "open62541_sys=warn,open62541=warn",
    })?;
    Ok(guard)
}

/// SIGINT and SIGTERM stop the PLC (docker stop, iotedge restart).
fn watch_signals(stop: mpsc::Sender<()>) -> anyhow::Result<()> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_io()
        .build()
        .context("cannot build the signal runtime")?;
    std::thread::Builder::new()
        .name("signals".to_owned())
        .spawn(move || {
            runtime.block_on(async {
                let Ok(mut term) =
                    tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
                else {
                    return;
                };
                tokio::select! {
                    _ = tokio::signal::ctrl_c() => {}
                    _ = term.recv() => {}
                }
                let _ = stop.send(());
            });
        })
        .context("cannot spawn the signal thread")?;
    Ok(())
}
