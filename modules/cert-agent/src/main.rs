//! `cert-agent`: resolves the [`Config`] once, sets up the console (and optional file) log and
//! runs the agent until SIGINT/SIGTERM.
//!
//! Exit codes: 0 after a clean shutdown, 1 when it cannot run (no module identity in the
//! environment, the twin cannot start), 2 for command-line usage errors.

use std::process::ExitCode;
use std::sync::mpsc;

use cert_agent::{Cli, Config};
use clap::Parser as _;
use module_runtime::{logging, memory, signals};

fn main() -> ExitCode {
    // Before any thread starts (the log writer is one): one malloc arena (module_runtime::memory).
    let allocator_tuned = memory::tune_allocator();
    let working_dir = std::env::current_dir().unwrap_or_default();
    let config = Config::new(Cli::parse(), working_dir);
    let setup = config.cli.log.setup("");
    let _guard = match logging::init_for_main(&config.working_dir, &setup) {
        Ok(guard) => guard,
        Err(usage_error) => return usage_error,
    };
    if !allocator_tuned {
        tracing::debug!("malloc keeps its default arenas and thresholds");
    }
    let (stop, shutdown) = mpsc::channel();
    if let Err(e) = signals::watch(stop) {
        eprintln!("cannot watch for SIGTERM: {e}");
        return ExitCode::FAILURE;
    }
    match cert_agent::run(&config, |k| std::env::var(k).ok(), &shutdown) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            tracing::error!(target: "cert_agent", "{}", logging::with_causes(&e));
            eprintln!("{:#}", anyhow::Error::new(e));
            ExitCode::FAILURE
        }
    }
}
