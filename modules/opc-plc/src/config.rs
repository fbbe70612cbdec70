//! The command line of the OPC PLC (docs/reference/opc-ua-apps.md §1.2, 2018 column plus `--mks`,
//! `--rsha1`, `--drurs`, `--cdn`; the certificate options are `module_cli`'s [`CertificateArgs`]),
//! resolved once into a [`Config`]: flags > environment (`OPCPLC_*`) > defaults.
//!
//! Mono.Options accepted `--x=v` and `--x v` for every option, under its short and its long
//! name; clap does the same for long names, so each short name is a visible long alias
//! (`--ab` = `--applicationcertbase64`). Lists are comma separated.

use std::path::PathBuf;
use std::time::Duration;

use clap::Parser;
use module_cli::{CertificateArgs, args};
use module_runtime::logging::{self, LogArgs};

use crate::simulation::{NodeSet, SimulationOptions};
use crate::slow_fast::NodeType;

/// `OpcPlc`: the application name and the certificate's common name (docs/reference/opc-ua-apps.md
/// §1.1).
pub const APPLICATION_NAME: &str = "OpcPlc";
/// The reference's product URI.
pub const PRODUCT_URI: &str = "https://github.com/azure-samples/iot-edge-opc-plc";
/// The reference's default port.
pub const DEFAULT_PORT: u16 = 50000;

/// The OPC PLC's command line.
#[derive(Debug, Clone, Parser)]
#[command(
    name = "opc-plc",
    about = "OPC UA PLC simulation server (the OPC PLC's options, trust decided by our PKI validator)",
    version,
    mut_arg(args::CERT_PASSWORD, |a| a.env("OPCPLC_CERTPASSWORD")),
    mut_arg(args::TRUST_OWN_CERTIFICATE, |a| a.help("Puts the server's own certificate into the trusted peer store")),
    mut_arg(args::CSR, |a| a.help("Prints the `CreateSigningRequest` information and writes `OpcPlc.csr`")),
    mut_arg(logging::LOG_FILE, |a| a.env("OPCPLC_LOGFILE").help("The log file (default: `<hostname>-plc.log` only when given)")),
    mut_arg(logging::LOG_LEVEL, |a| a.env("OPCPLC_LOGLEVEL"))
)]
pub struct Cli {
    /// The server port of the OPC server endpoint.
    #[arg(long = "portnum", visible_alias = "pn", env = "OPCPLC_PORTNUM", default_value_t = DEFAULT_PORT)]
    pub port: u16,
    /// The endpoint URL path part of the OPC server endpoint.
    #[arg(
        long = "path",
        visible_alias = "op",
        env = "OPCPLC_PATH",
        default_value = ""
    )]
    pub path: String,
    /// The fully qualified hostname of the PLC (default: this machine's host name, lowercased).
    #[arg(long = "plchostname", visible_alias = "ph", env = "OPCPLC_PLCHOSTNAME")]
    pub host_name: Option<String>,
    /// Interface the server listens on (default: all interfaces).
    #[arg(long = "listenhost", env = "OPCPLC_LISTENHOST")]
    pub listen_host: Option<String>,
    /// Number of cycles in one simulation phase.
    #[arg(
        long = "simulationcyclecount",
        visible_alias = "sc",
        default_value_t = 50
    )]
    pub cycle_count: u32,
    /// Length of one cycle in milliseconds.
    #[arg(long = "cycletime", visible_alias = "ct", default_value_t = 100)]
    pub cycle_time_ms: u64,
    /// Number of slow nodes (`Slow<Type><n>`, plus `BadSlow<Type>1`).
    #[arg(long = "slownodes", visible_alias = "sn", default_value_t = 1)]
    pub slow_nodes: u32,
    /// Rate in seconds to change the slow nodes.
    #[arg(long = "slowrate", visible_alias = "sr", default_value_t = 10)]
    pub slow_rate_seconds: u32,
    /// Data type of the slow nodes: `UInt`, `Double`, `Bool` or `UIntArray`.
    #[arg(long = "slowtype", visible_alias = "st", default_value = "UInt")]
    pub slow_type: NodeType,
    /// Number of fast nodes (`Fast<Type><n>`, plus `BadFast<Type>1`).
    #[arg(long = "fastnodes", visible_alias = "fn", default_value_t = 1)]
    pub fast_nodes: u32,
    /// Rate in seconds to change the fast nodes.
    #[arg(long = "fastrate", visible_alias = "fr", default_value_t = 1)]
    pub fast_rate_seconds: u32,
    /// Data type of the fast nodes: `UInt`, `Double`, `Bool` or `UIntArray`.
    #[arg(long = "fasttype", visible_alias = "ft", default_value = "UInt")]
    pub fast_type: NodeType,
    /// Adds the unsecure None/None endpoint.
    #[arg(
        long = "unsecuretransport",
        visible_alias = "ut",
        default_value_t = false
    )]
    pub unsecure_transport: bool,
    /// The certificate and store options (docs/reference/opc-ua-apps.md §1.2 2018 column,
    /// `--mks --rsha1 --drurs --cdn`).
    #[command(flatten)]
    pub certs: CertificateArgs,
    /// The log options (`--lf --ll --lt`).
    #[command(flatten)]
    pub log: LogArgs,
    /// The administrator's user name: OPC UA's `SecurityAdmin`, the only user who may use push
    /// management (`ServerConfiguration`, OPC 10000-12).
    #[arg(
        long = "adminuser",
        visible_alias = "au",
        env = "OPCPLC_ADMINUSER",
        default_value = "sysadmin"
    )]
    pub admin_user: String,
    /// The administrator's password. Unlike the OPC PLC (`demo`) there is no default: without
    /// it nobody is administrator and push management refuses every caller. Prefer the
    /// environment variable (a command line is visible to other processes).
    #[arg(
        long = "adminpassword",
        visible_alias = "ac",
        env = "OPCPLC_ADMINPASSWORD",
        hide_env_values = true
    )]
    pub admin_password: Option<String>,
    /// A plain user's name (may read and call the simulation's methods, not push management).
    #[arg(
        long = "defaultuser",
        visible_alias = "du",
        env = "OPCPLC_DEFAULTUSER",
        default_value = "user1"
    )]
    pub default_user: String,
    /// The plain user's password; no default (the OPC PLC's is `password`): without it only
    /// anonymous and the administrator log in.
    #[arg(
        long = "defaultpassword",
        visible_alias = "dc",
        env = "OPCPLC_DEFAULTPASSWORD",
        hide_env_values = true
    )]
    pub default_password: Option<String>,
    /// Leave the PKI to the command line and other tools (cert-agent) even on IoT Edge: the
    /// module twin does not drive the store.
    #[arg(
        long = "no-twin-pki",
        env = "OPCPLC_NOTWINPKI",
        default_value_t = false
    )]
    pub no_twin_pki: bool,
    /// Stop right after the server started (for tests and smoke checks).
    #[arg(long = "exit-after-start", default_value_t = false)]
    pub exit_after_start: bool,
}

/// Everything `run` needs, resolved once.
#[derive(Debug, Clone)]
pub struct Config {
    /// The parsed command line.
    pub cli: Cli,
    /// The host name the PLC names itself by (lowercased).
    pub host_name: String,
    /// Where relative store paths and `OpcPlc.csr` live.
    pub working_dir: PathBuf,
}

impl Config {
    /// Resolves the command line with the machine's host name.
    #[must_use]
    pub fn new(cli: Cli, machine_host_name: &str, working_dir: PathBuf) -> Self {
        let host_name = cli
            .host_name
            .clone()
            .unwrap_or_else(|| machine_host_name.to_owned())
            .to_lowercase();
        Self {
            cli,
            host_name,
            working_dir,
        }
    }

    /// The user names and passwords the server accepts besides anonymous (`--au/--ac`,
    /// `--du/--dc`); a user without a password is not offered.
    #[must_use]
    pub fn users(&self) -> Vec<ua::UserLogin> {
        let cli = &self.cli;
        [
            (
                &cli.admin_user,
                &cli.admin_password,
                ua::Role::SecurityAdmin,
            ),
            (&cli.default_user, &cli.default_password, ua::Role::User),
        ]
        .into_iter()
        .filter_map(|(name, password, role)| {
            let password = password.as_deref().filter(|p| !p.is_empty())?;
            (!name.is_empty()).then(|| ua::UserLogin::new(name, password, role))
        })
        .collect()
    }

    /// `urn:OpcPlc:<host label>[:<path with / as :>]` (docs/reference/opc-ua-apps.md §1.1).
    #[must_use]
    pub fn application_uri(&self) -> String {
        let label = self.host_name.split('.').next().unwrap_or_default();
        let path =
            self.cli
                .path
                .split('/')
                .filter(|p| !p.is_empty())
                .fold(String::new(), |mut acc, p| {
                    acc.push(':');
                    acc.push_str(p);
                    acc
                });
        format!("urn:{APPLICATION_NAME}:{label}{path}")
    }

    /// The simulation timing and node sets (`--sc --ct --sn --sr --st --fn --fr --ft`).
    #[must_use]
    pub fn simulation(&self) -> SimulationOptions {
        let cli = &self.cli;
        SimulationOptions {
            cycles_per_phase: cli.cycle_count,
            cycle_time: Duration::from_millis(cli.cycle_time_ms),
            slow: NodeSet {
                count: cli.slow_nodes,
                rate: Duration::from_secs(u64::from(cli.slow_rate_seconds)),
                node_type: cli.slow_type,
            },
            fast: NodeSet {
                count: cli.fast_nodes,
                rate: Duration::from_secs(u64::from(cli.fast_rate_seconds)),
                node_type: cli.fast_type,
            },
        }
    }

    /// `opc.tcp://<host>:<port><path>`.
    #[must_use]
    pub fn endpoint_url(&self, port: u16) -> String {
        format!("opc.tcp://{}:{port}{}", self.host_name, self.cli.path)
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    fn parse(args: &[&str]) -> Cli {
        Cli::try_parse_from(std::iter::once("opc-plc").chain(args.iter().copied())).unwrap()
    }

    #[test]
    fn the_certificate_options_are_flattened_beside_the_plcs_own() {
        // The certificate names themselves are module-cli's (its args tests).
        let a = parse(&["--ab=Zm9v", "--pn=4841", "--aa"]);
        assert_eq!(a.certs.application_cert_base64.as_deref(), Some("Zm9v"));
        assert_eq!(a.port, 4841);
        assert!(a.certs.auto_accept);
        assert_eq!(parse(&["--portnum", "4842"]).port, 4842);
    }

    #[test]
    fn the_shared_certificate_options_carry_the_plcs_names() {
        use clap::CommandFactory as _;
        let command = Cli::command();
        let text = |id: &str| args::option_text(&command, id).unwrap();
        let password_env = text(args::CERT_PASSWORD).env;
        assert_eq!(password_env.as_deref(), Some("OPCPLC_CERTPASSWORD"));
        assert!(
            text(args::AUTO_ACCEPT)
                .help
                .starts_with("All certificates of peers")
        );
        assert!(
            text(args::TRUST_OWN_CERTIFICATE)
                .help
                .contains("server's own certificate")
        );
        assert!(text(args::CSR).help.ends_with("`OpcPlc.csr`"));
        let min_key_size = text(args::MIN_KEY_SIZE).help;
        assert_eq!(min_key_size, "Minimum key size of peer certificates");
    }

    #[test]
    fn the_application_uri_follows_the_reference_formula() {
        let config = Config::new(
            parse(&["--ph", "PLC.Example.com", "--op", "/a/b"]),
            "x",
            PathBuf::new(),
        );
        assert_eq!(config.host_name, "plc.example.com");
        assert_eq!(config.application_uri(), "urn:OpcPlc:plc:a:b");
        assert_eq!(
            config.endpoint_url(50000),
            "opc.tcp://plc.example.com:50000/a/b"
        );
    }

    #[test]
    fn simulation_options_have_the_reference_defaults_and_parse_types() {
        let config = Config::new(parse(&[]), "x", PathBuf::new());
        assert_eq!(config.simulation(), SimulationOptions::default());
        assert!(!config.cli.certs.reject_sha1);
        let config = Config::new(
            parse(&[
                "--sn=3",
                "--sr",
                "2",
                "--st=double",
                "--fn",
                "0",
                "--fr=5",
                "--ft",
                "UIntArray",
                "--sc=4",
                "--ct=20",
                "--rsha1",
            ]),
            "x",
            PathBuf::new(),
        );
        let sim = config.simulation();
        assert_eq!(sim.slow.count, 3);
        assert_eq!(sim.slow.rate, Duration::from_secs(2));
        assert_eq!(sim.slow.node_type, NodeType::Double);
        assert_eq!(sim.fast.count, 0);
        assert_eq!(sim.fast.rate, Duration::from_secs(5));
        assert_eq!(sim.fast.node_type, NodeType::UIntArray);
        assert_eq!(sim.cycles_per_phase, 4);
        assert_eq!(sim.cycle_time, Duration::from_millis(20));
        assert!(config.cli.certs.reject_sha1);
        let err = Cli::try_parse_from(["opc-plc", "--st=Int"]).unwrap_err();
        assert!(err.to_string().contains("unknown node type 'Int'"), "{err}");
    }

    #[test]
    fn the_machine_host_name_is_the_default_and_is_lowercased() {
        let config = Config::new(parse(&[]), "OpcPlc-123456", PathBuf::new());
        assert_eq!(config.application_uri(), "urn:OpcPlc:opcplc-123456");
        assert_eq!(config.cli.port, DEFAULT_PORT);
    }
}
