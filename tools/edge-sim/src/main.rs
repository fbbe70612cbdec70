//! `edge-sim`: runs the simulated IoT Edge runtime from a state directory.
//!
//! For now this serves edgeHub's MQTT, the workload API and the service API; the full CLI
//! (`up`, `twin`, `method`, `modulecred`, ...) builds on the same [`edge_sim::Config`].
//!
//! Exit codes: 0 after a clean shutdown (Ctrl-C / SIGTERM), 1 when the simulator cannot start.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context as _;
use clap::Parser;
use edge_sim::{Config, EdgeSim};
use tokio_util::sync::CancellationToken;

/// Command line: flags override the environment, which overrides the defaults.
#[derive(Debug, Parser)]
#[command(name = "edge-sim", version, about = "Simulated Azure IoT Edge runtime")]
struct Cli {
    /// State directory (identities, twins, certificates, workload sockets).
    #[arg(long, env = "EDGE_SIM_STATE", default_value = ".edge-sim")]
    state: PathBuf,
    /// MQTT over TLS port (the Azure IoT SDKs only use 8883).
    #[arg(long, env = "EDGE_SIM_MQTT_PORT", default_value_t = edge_sim::config::DEFAULT_MQTT_PORT)]
    mqtt_port: u16,
    /// Service API (HTTPS) port.
    #[arg(long, env = "EDGE_SIM_API_PORT", default_value_t = edge_sim::config::DEFAULT_API_PORT)]
    api_port: u16,
    /// Module identities to create if missing.
    #[arg(long = "module")]
    modules: Vec<String>,
}

impl Cli {
    fn into_config(self) -> Config {
        let mut config = Config::new(self.state).with_modules(self.modules);
        config.mqtt_port = self.mqtt_port;
        config.api_port = self.api_port;
        config
    }
}

fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info")),
        )
        .init();
    match run(Cli::parse().into_config()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("edge-sim: {e:#}");
            ExitCode::FAILURE
        }
    }
}

fn run(config: Config) -> anyhow::Result<()> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("cannot start the async runtime")?;
    runtime.block_on(async {
        let shutdown = CancellationToken::new();
        let running = EdgeSim::start(config, shutdown.clone())
            .await
            .context("cannot start edge-sim")?;
        println!(
            "edge-sim: mqtt on port {}, service api on port {}, CA {}",
            running.mqtt_port(),
            running.api_port(),
            running.ca_path().display()
        );
        println!("{}", running.service_connection_string());
        wait_for_signal().await;
        running.shutdown().await;
        Ok(())
    })
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
