//! The command line: one [`Cli`] parsed by clap, resolved once into a [`Config`] (flags >
//! environment > defaults), dispatched to the command files.

mod commands;
mod instance;
mod up;

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

/// Exit code of a successful command.
pub const EXIT_OK: u8 = 0;
/// Exit code of a failed command (or an invalid manifest for `validate`).
pub const EXIT_FAILED: u8 = 1;

/// Command line: flags override the environment, which overrides the defaults.
#[derive(Debug, Parser)]
#[command(name = "edge-sim", version, about = "Simulated Azure IoT Edge runtime")]
pub struct Cli {
    /// State directory (identities, twins, certificates, workload sockets, volumes).
    #[arg(
        long,
        global = true,
        env = "EDGE_SIM_STATE",
        default_value = ".edge-sim"
    )]
    state: PathBuf,
    #[command(subcommand)]
    command: Command,
}

/// The commands.
#[derive(Debug, Subcommand)]
enum Command {
    /// Run the hub, the workload API, the service API and (with --manifest) the modules.
    Up(UpArgs),
    /// Stop an instance started with `up -d`.
    Down,
    /// Show the modules and their runtime status.
    Status,
    /// Read or change a module twin.
    #[command(subcommand)]
    Twin(TwinCommand),
    /// Invoke a direct method on a module (`$edgeAgent` offers `RestartModule` and `ping`).
    Method {
        /// The module.
        module: String,
        /// The method name.
        name: String,
        /// The JSON payload.
        #[arg(long, default_value = "null")]
        payload: String,
        /// Seconds to wait for the answer.
        #[arg(long, default_value_t = 30)]
        timeout: u64,
    },
    /// Print a module's credentials like iotedgehubdev (creates the identity if missing).
    Modulecred {
        /// The module.
        module: String,
        /// Print the full `IOTEDGE_*` environment as `export` lines instead.
        #[arg(long)]
        env: bool,
    },
    /// Print the service connection string and the CA file.
    Hubcred,
    /// Check a deployment manifest against the official schemas and edgeAgent's rules.
    Validate {
        /// The manifest (template or generated).
        manifest: PathBuf,
    },
}

/// `twin` subcommands.
#[derive(Debug, Subcommand)]
enum TwinCommand {
    /// Print the module twin.
    Get {
        /// The module.
        module: String,
    },
    /// Merge a patch into the desired properties (`null` deletes).
    Patch {
        /// The module.
        module: String,
        /// The desired patch: JSON text, or `@file`.
        #[arg(long)]
        desired: String,
    },
}

/// `up` options.
#[derive(Debug, Clone, Args)]
pub struct UpArgs {
    /// The deployment manifest (template) whose modules to run.
    #[arg(long, env = "EDGE_SIM_MANIFEST")]
    manifest: Option<PathBuf>,
    /// Detach: run in the background, logs in `<state>/edge-sim.log`.
    #[arg(short = 'd', long)]
    detach: bool,
    /// MQTT over TLS port (0 = a free port; the Azure IoT SDKs only use 8883).
    #[arg(long, env = "EDGE_SIM_MQTT_PORT", default_value_t = edge_sim::config::DEFAULT_MQTT_PORT)]
    mqtt_port: u16,
    /// Service API (HTTPS) port (0 = a free port).
    #[arg(long, env = "EDGE_SIM_API_PORT", default_value_t = edge_sim::config::DEFAULT_API_PORT)]
    api_port: u16,
    /// The repository with `modules/<dir>` for `${MODULES.<dir>}` (default: the manifest's
    /// directory).
    #[arg(long)]
    repo: Option<PathBuf>,
    /// Cargo's target directory (default: `CARGO_TARGET_DIR`, else `<repo>/target`).
    #[arg(long, env = "CARGO_TARGET_DIR")]
    target_dir: Option<PathBuf>,
    /// The Cargo profile directory holding the module binaries.
    #[arg(long, default_value = "debug")]
    profile: String,
    /// Fleet devices to simulate beside the edge device (`<prefix>0001`…; 0 = none).
    #[arg(long, env = "EDGE_SIM_FLEET", default_value_t = 0)]
    fleet: u32,
    /// The fleet's device id prefix.
    #[arg(long, default_value = edge_sim::fleet::DEFAULT_PREFIX)]
    fleet_prefix: String,
    /// A module of every fleet device: `<module>` keeps its own store (`pki`, like opc-plc),
    /// `<module>:<store>[+<store>…]` keeps stores of other apps (`stores.<name>`, like
    /// cert-agent). Repeat it; default `opcplc` and `certagent:plc`.
    #[arg(long = "fleet-module", value_parser = parse_fleet_module)]
    fleet_modules: Vec<edge_sim::FleetModule>,
    /// The service API's rate limit in requests per second (bursts of one second's worth;
    /// beyond it 429 `ThrottlingException` with `Retry-After`, like IoT Hub); 0 = none.
    #[arg(long, env = "EDGE_SIM_RATE_LIMIT", default_value_t = 0)]
    rate_limit: u32,
}

fn parse_fleet_module(text: &str) -> Result<edge_sim::FleetModule, String> {
    edge_sim::FleetModule::parse(text).map_err(|e| e.to_string())
}

impl UpArgs {
    /// The fleet these options ask for, if any.
    fn fleet(&self) -> Option<edge_sim::FleetConfig> {
        (self.fleet > 0).then(|| {
            let mut fleet = edge_sim::FleetConfig::new(self.fleet);
            fleet.prefix.clone_from(&self.fleet_prefix);
            if !self.fleet_modules.is_empty() {
                fleet.modules.clone_from(&self.fleet_modules);
            }
            fleet
        })
    }

    /// The rate limit these options ask for, if any.
    fn rate_limit(&self) -> Option<edge_sim::service_api::throttle::RateLimit> {
        (self.rate_limit > 0)
            .then(|| edge_sim::service_api::throttle::RateLimit::per_second(self.rate_limit))
    }
}

/// Everything a command needs, resolved once.
#[derive(Debug)]
pub struct Config {
    state: PathBuf,
    command: Command,
}

impl Cli {
    /// Resolves the configuration.
    pub fn into_config(self) -> Config {
        Config {
            state: self.state,
            command: self.command,
        }
    }
}

/// Runs the command; returns the process exit code.
pub fn run(config: Config) -> anyhow::Result<u8> {
    if let Command::Validate { manifest } = &config.command {
        return commands::validate(manifest);
    }
    if let Command::Up(args) = &config.command
        && args.detach
    {
        return up::detach(&config.state, args);
    }
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| anyhow::anyhow!("cannot start the async runtime: {e}"))?;
    runtime.block_on(async move {
        let state = config.state;
        match config.command {
            Command::Up(args) => up::foreground(&state, args).await,
            Command::Down => up::down(&state).await,
            Command::Status => commands::status(&state).await,
            Command::Twin(TwinCommand::Get { module }) => commands::twin_get(&state, &module).await,
            Command::Twin(TwinCommand::Patch { module, desired }) => {
                commands::twin_patch(&state, &module, &desired).await
            }
            Command::Method {
                module,
                name,
                payload,
                timeout,
            } => commands::method(&state, &module, &name, &payload, timeout).await,
            Command::Modulecred { module, env } => commands::modulecred(&state, &module, env).await,
            Command::Hubcred => commands::hubcred(&state),
            Command::Validate { .. } => Ok(EXIT_OK),
        }
    })
}
