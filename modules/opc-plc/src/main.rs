//! `opc-plc`: resolves the [`Config`] once, sets up the 2018-style console (and optional file)
//! log and runs the PLC until SIGINT/SIGTERM.
//!
//! Exit codes: 0 after a clean shutdown, 1 when start-up failed (invalid certificate input,
//! refused batch, server not started: the store is unchanged), 2 for command-line usage errors.

use std::io::Write as _;
use std::process::ExitCode;
use std::sync::mpsc;

use clap::Parser as _;
use module_cli::startup;
use module_runtime::{logging, memory, signals};
use opc_plc::{Cli, Config};
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
    let (stop, shutdown) = mpsc::channel();
    // SIGINT and SIGTERM stop the PLC (docker stop, iotedge restart).
    if let Err(e) = signals::watch(stop) {
        eprintln!("cannot watch for SIGTERM: {e}");
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

fn init_logging(config: &Config) -> Result<Option<WorkerGuard>, ExitCode> {
    let setup = config.cli.log.setup("open62541_sys=warn,open62541=warn");
    logging::init_for_main(&config.working_dir, &setup)
}
