//! `opc-vault`: parses the command line (flags > environment > defaults) and runs one command
//! of the library (`opc_vault::cli::run`) with the current time. See `docs/opc-vault.md`.
//!
//! Exit codes: 0 success; 1 failure (the error is printed with its causes, naming what and
//! why; `provision` also when any target failed); 2 usage errors (from clap).

use std::process::ExitCode;

use clap::Parser as _;
use opc_vault::cli::{self, Cli};

fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("warn")),
        )
        .with_writer(std::io::stderr)
        .without_time()
        .with_target(false)
        .init();
    let cli = Cli::parse();
    match cli::run(cli, time::OffsetDateTime::now_utc()) {
        Ok(code) => ExitCode::from(code),
        Err(e) => {
            eprintln!("opc-vault: {:#}", anyhow::Error::new(e));
            ExitCode::from(cli::EXIT_FAILED)
        }
    }
}
