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
use opc_plc::{Cli, Config, SerilogFormat};
use tracing_subscriber::EnvFilter;
use tracing_subscriber::layer::SubscriberExt as _;
use tracing_subscriber::util::SubscriberInitExt as _;

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

fn init_logging(
    config: &Config,
) -> anyhow::Result<Option<tracing_appender::non_blocking::WorkerGuard>> {
    let level = opc_plc::logging::filter_for(&config.cli.log_level)
        .with_context(|| format!("unknown log level '{}'", config.cli.log_level))?;
    let console = tracing_subscriber::fmt::layer()
        .event_format(SerilogFormat)
        .with_writer(std::io::stdout);
    let (file, guard) = match &config.cli.log_file {
        Some(path) => {
            let path = config.working_dir.join(path);
            let dir = path.parent().map(PathBuf::from).unwrap_or_default();
            let name = path
                .file_name()
                .context("the log file has no file name")?
                .to_owned();
            std::fs::create_dir_all(&dir)
                .with_context(|| format!("cannot create {}", dir.display()))?;
            let file = opc_plc::logging::open_log_file(
                &dir.join(name),
                Duration::from_secs(config.cli.log_flush_seconds),
            )
            .with_context(|| format!("cannot open the log file {}", path.display()))?;
            let (writer, guard) = tracing_appender::non_blocking(file);
            let layer = tracing_subscriber::fmt::layer()
                .event_format(SerilogFormat)
                .with_ansi(false)
                .with_writer(writer);
            (Some(layer), Some(guard))
        }
        None => (None, None),
    };
    tracing_subscriber::registry()
        .with(EnvFilter::new(format!(
            "{level},open62541_sys=warn,open62541=warn"
        )))
        .with(console)
        .with(file)
        .try_init()
        .context("cannot set up logging")?;
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
