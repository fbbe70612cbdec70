//! `edge-sim`: the simulated IoT Edge runtime's command line (see `docs/edge-sim.md`).
//!
//! Exit codes: 0 success (and a valid manifest for `validate`); 1 failure (an invalid
//! manifest, an unreachable instance, a refused request); 2 usage errors (from clap).

mod cli;

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info")),
        )
        .with_writer(std::io::stderr)
        .init();
    match cli::run(cli::Cli::parse().into_config()) {
        Ok(code) => ExitCode::from(code),
        Err(e) => {
            eprintln!("edge-sim: {e:#}");
            ExitCode::from(cli::EXIT_FAILED)
        }
    }
}
