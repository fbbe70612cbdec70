//! `opc-client`: resolves the [`Config`] once, sets up the 2018-style console (and optional
//! file) log and runs the client until SIGINT/SIGTERM.
//!
//! Exit codes: 0 after a clean shutdown, 1 when start-up failed (invalid certificate input or
//! refused batch: the store is unchanged), 2 for command-line usage errors and an invalid
//! action file.

use std::io::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use anyhow::Context as _;
use clap::Parser as _;
use opc_client::{Cli, Config};
use opc_plc::SerilogFormat;
use tokio::sync::watch;
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
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(e) => {
            eprintln!("cannot start the async runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    let print: opc_client::session::Printer = Arc::new(|line: &str| {
        let mut out = std::io::stdout().lock();
        let _ = writeln!(out, "{line}");
    });
    let result = runtime.block_on(async move {
        let (stop, shutdown) = watch::channel(false);
        tokio::spawn(async move {
            let Ok(mut term) =
                tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
            else {
                // Keep `stop` alive: without SIGTERM handling the client still runs until killed.
                std::future::pending::<()>().await;
                return;
            };
            tokio::select! {
                _ = tokio::signal::ctrl_c() => {}
                _ = term.recv() => {}
            }
            let _ = stop.send(true);
        });
        opc_client::run(config, shutdown, print).await
    });
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            let code = e.exit_code();
            eprintln!("{:#}", anyhow::Error::new(e));
            ExitCode::from(code)
        }
    }
}

/// The machine's host name (in the `ApplicationUri` and the certificate).
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
            let (writer, guard) =
                tracing_appender::non_blocking(tracing_appender::rolling::never(dir, name));
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
            // open62541 warns at every connect ("Empty trustlist passed", endpoint URL
            // notes) although our verifier is in place: only its errors reach operators.
            "{level},open62541_sys=error,open62541=error"
        )))
        .with(console)
        .with(file)
        .try_init()
        .context("cannot set up logging")?;
    Ok(guard)
}
