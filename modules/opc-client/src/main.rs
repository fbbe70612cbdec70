//! `opc-client`: resolves the [`Config`] once, sets up the 2018-style console (and optional
//! file) log and runs the client until SIGINT/SIGTERM.
//!
//! Exit codes: 0 after a clean shutdown, 1 when start-up failed (invalid certificate input or
//! refused batch: the store is unchanged), 2 for command-line usage errors and an invalid
//! action file.

use std::io::Write as _;
use std::process::ExitCode;
use std::sync::Arc;

use clap::Parser as _;
use module_cli::startup;
use module_runtime::{logging, memory};
use opc_client::{Cli, Config};
use tokio::sync::watch;
use tracing_appender::non_blocking::WorkerGuard;

fn main() -> ExitCode {
    // Before any thread starts (the log writer is one): one malloc arena (module_runtime::memory).
    let allocator_tuned = memory::tune_allocator();
    let host_name = startup::machine_host_name();
    let config = Config::new(Cli::parse(), &host_name, startup::working_dir());
    let _guard = match init_logging(&config) {
        Ok(guard) => guard,
        Err(usage_error) => return usage_error,
    };
    if !allocator_tuned {
        tracing::debug!("malloc keeps its default arenas and thresholds");
    }
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

fn init_logging(config: &Config) -> Result<Option<WorkerGuard>, ExitCode> {
    // open62541 warns at connects (endpoint URL notes and the like) although our verifier
    // decides: only its errors reach operators.
    let setup = config.cli.log.setup("open62541_sys=error,open62541=error");
    logging::init_for_main(&config.working_dir, &setup)
}
