//! The command line of the OPC Client (docs/reference/opc-ua-apps.md §2.2) plus every certificate
//! option of the OPC PLC (§1.2, 2018 column, and `--mks`, `--rsha1`, `--drurs`, `--cdn`:
//! `module_cli`'s [`CertificateArgs`]), resolved once into a [`Config`]: flags > environment
//! (`OPCCLIENT_*`) > defaults.
//!
//! As in the PLC module, each short name is a visible long alias (`--de` = `--defaultendpointurl`)
//! and lists are comma separated.

use std::path::PathBuf;
use std::time::Duration;

use clap::{ArgAction, Parser};
use module_cli::{CertificateArgs, args};
use module_runtime::logging::{self, LogArgs};

use crate::hosts::HostAlias;

/// `OpcClient`: the application name and the certificate's common name
/// (docs/reference/opc-ua-apps.md §2.1).
pub const APPLICATION_NAME: &str = "OpcClient";
/// The reference's product URI.
pub const PRODUCT_URI: &str = "https://github.com/azure-samples/iot-edge-opc-client";
/// The endpoint of the default test action.
pub const DEFAULT_ENDPOINT_URL: &str = "opc.tcp://opcplc:50000";
/// The action file's default name, in the working directory.
pub const DEFAULT_CONFIG_FILE: &str = "actionconfig.json";
/// `--opcmaxstringlen`'s default (4 MiB, docs/reference/opc-ua-apps.md §2.2).
pub const DEFAULT_MAX_STRING_LENGTH: u32 = 4 * 1024 * 1024;
/// The reference's `OpcSessionCreationBackoffMax`.
pub const BACKOFF_MAX: u32 = 5;

/// The OPC Client's command line.
#[derive(Debug, Clone, Parser)]
#[command(
    name = "opc-client",
    about = "OPC UA client testing connectivity and running read actions (the OPC Client's options, trust decided by our PKI validator)",
    version,
    mut_arg(args::CERT_PASSWORD, |a| a.env("OPCCLIENT_CERTPASSWORD")),
    mut_arg(args::AUTO_ACCEPT, |a| a.help("All server certificates are trusted automatically (a security risk)")),
    mut_arg(args::TRUST_OWN_CERTIFICATE, |a| a.help("Puts the client's own certificate into the trusted peer store")),
    mut_arg(args::CSR, |a| a.help("Prints the `CreateSigningRequest` information and writes `OpcClient.csr`")),
    mut_arg(args::MIN_KEY_SIZE, |a| a.help("Minimum key size of server certificates")),
    mut_arg(logging::LOG_FILE, |a| a.env("OPCCLIENT_LOGFILE").help("The log file (written only when given)")),
    mut_arg(logging::LOG_LEVEL, |a| a.env("OPCCLIENT_LOGLEVEL"))
)]
#[allow(clippy::struct_excessive_bools)] // one bool per flag of the reference's command line
pub struct Cli {
    /// The action configuration file (default `actionconfig.json` in the working directory).
    #[arg(
        long = "configfile",
        visible_alias = "cf",
        env = "OPCCLIENT_CONFIGFILE",
        default_value = DEFAULT_CONFIG_FILE
    )]
    pub config_file: PathBuf,
    /// Adds the default test action (read `i=2258` every 30 s); `--tc=false` or `--tc-` turns it off.
    #[arg(
        long = "testconnectivity",
        visible_alias = "tc",
        action = ArgAction::Set,
        num_args = 0..=1,
        default_value_t = true,
        default_missing_value = "true"
    )]
    pub test_connectivity: bool,
    /// Turns the default test action off (Mono.Options' `--tc-`).
    #[arg(long = "tc-", hide = true, default_value_t = false)]
    pub no_test_connectivity: bool,
    /// Adds a test action on the default endpoint without security.
    #[arg(
        long = "testunsecureconnectivity",
        visible_alias = "tu",
        default_value_t = false
    )]
    pub test_unsecure_connectivity: bool,
    /// The endpoint of the default test action(s).
    #[arg(
        long = "defaultendpointurl",
        visible_alias = "de",
        env = "OPCCLIENT_DEFAULTENDPOINTURL",
        default_value = DEFAULT_ENDPOINT_URL
    )]
    pub default_endpoint_url: String,
    /// Seconds between the session loop's wake-ups (reconnect attempts), at least 1.
    #[arg(long = "sessionconnectwait", visible_alias = "sw", default_value_t = 10, value_parser = clap::value_parser!(u64).range(1..))]
    pub session_connect_wait: u64,
    /// Seconds between diagnostics blocks (0: off).
    #[arg(
        long = "diagnosticsinterval",
        visible_alias = "di",
        default_value_t = 0
    )]
    pub diagnostics_interval: u64,
    /// Timeout of OPC UA requests in milliseconds.
    #[arg(long = "operationtimeout", visible_alias = "ot", default_value_t = 120_000, value_parser = clap::value_parser!(u64).range(1..))]
    pub operation_timeout_ms: u64,
    /// The longest string (UTF-8 bytes) accepted in a value read (the .NET stack's
    /// `MaxStringLength`); a longer one fails the read with `BadEncodingLimitsExceeded`.
    #[arg(long = "opcmaxstringlen", visible_alias = "ol", default_value_t = DEFAULT_MAX_STRING_LENGTH, value_parser = clap::value_parser!(u32).range(1..))]
    pub max_string_length: u32,
    /// Create-session timeout in seconds (at least 1), multiplied by the failures so far (×1…×5).
    #[arg(long = "createsessiontimeout", visible_alias = "ct", default_value_t = 10, value_parser = clap::value_parser!(u64).range(1..))]
    pub create_session_timeout: u64,
    /// Seconds between keep-alives of a session (at least 2).
    #[arg(long = "keepaliveinterval", visible_alias = "ki", default_value_t = 2, value_parser = clap::value_parser!(u64).range(2..))]
    pub keep_alive_interval: u64,
    /// Missed keep-alives before the session is disconnected (at least 1).
    #[arg(long = "keepalivethreshold", visible_alias = "kt", default_value_t = 5, value_parser = clap::value_parser!(u32).range(1..))]
    pub keep_alive_threshold: u32,

    /// Host aliases `name=address`: a server whose endpoint URL names `name` is dialled at
    /// `address`, its certificate still checked against `name` (edge-sim sets
    /// `EDGE_SIM_HOSTS` for the module host names of a deployment: processes share one machine
    /// where containers share a network).
    #[arg(long = "host-alias", env = "EDGE_SIM_HOSTS", value_delimiter = ',')]
    pub host_aliases: Vec<HostAlias>,

    /// The certificate and store options, as for the PLC (docs/reference/opc-ua-apps.md §2.2, §1.2
    /// 2018 column, `--mks --rsha1 --drurs --cdn`).
    #[command(flatten)]
    pub certs: CertificateArgs,

    /// The log options (`--lf --ll --lt`).
    #[command(flatten)]
    pub log: LogArgs,
}

/// Everything `run` needs, resolved once.
#[derive(Debug, Clone)]
pub struct Config {
    /// The parsed command line.
    pub cli: Cli,
    /// The machine's host name (lowercased), in the `ApplicationUri`.
    pub host_name: String,
    /// Where relative store paths, the action file and `OpcClient.csr` live.
    pub working_dir: PathBuf,
}

impl Config {
    /// Resolves the command line with the machine's host name.
    #[must_use]
    pub fn new(cli: Cli, machine_host_name: &str, working_dir: PathBuf) -> Self {
        Self {
            cli,
            host_name: machine_host_name.to_lowercase(),
            working_dir,
        }
    }

    /// `urn:OpcClient:<host label>` (docs/reference/opc-ua-apps.md §2.1).
    #[must_use]
    pub fn application_uri(&self) -> String {
        let label = self.host_name.split('.').next().unwrap_or_default();
        format!("urn:{APPLICATION_NAME}:{label}")
    }

    /// Whether the default test action is added (`--tc`, unless `--tc=false` or `--tc-`).
    #[must_use]
    pub fn test_connectivity(&self) -> bool {
        self.cli.test_connectivity && !self.cli.no_test_connectivity
    }

    /// The action file, relative to the working directory.
    #[must_use]
    pub fn config_file(&self) -> PathBuf {
        self.working_dir.join(&self.cli.config_file)
    }

    /// The create-session timeout after `failures` failed attempts: `--ct` × min(failures + 1, 5).
    #[must_use]
    pub fn create_session_timeout(&self, failures: u32) -> Duration {
        let factor = failures.saturating_add(1).min(BACKOFF_MAX);
        Duration::from_secs(
            self.cli
                .create_session_timeout
                .saturating_mul(u64::from(factor)),
        )
    }

    /// The session timeout requested at `CreateSession` after `failures` failed attempts. The
    /// reference requests the create-session timeout ([`Self::create_session_timeout`]); a
    /// session must however outlive `--kt` missed keep-alives `--ki` seconds apart, or with
    /// `--ki` ≥ `--ct` the server would end it between two keep-alives and the client would
    /// reconnect for ever. So: the larger of the two.
    #[must_use]
    pub fn requested_session_timeout(&self, failures: u32) -> Duration {
        let keep_alives = Duration::from_secs(
            self.cli
                .keep_alive_interval
                .saturating_mul(u64::from(self.cli.keep_alive_threshold).saturating_add(1)),
        );
        self.create_session_timeout(failures).max(keep_alives)
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    fn parse(args: &[&str]) -> Cli {
        Cli::try_parse_from(std::iter::once("opc-client").chain(args.iter().copied())).unwrap()
    }

    fn config(args: &[&str]) -> Config {
        Config::new(parse(args), "OpcClient-123456", PathBuf::from("/appdata"))
    }

    #[test]
    fn defaults_follow_the_reference() {
        let c = config(&[]);
        assert!(c.test_connectivity());
        assert!(!c.cli.test_unsecure_connectivity);
        assert_eq!(c.cli.default_endpoint_url, "opc.tcp://opcplc:50000");
        assert_eq!(c.cli.session_connect_wait, 10);
        assert_eq!(c.cli.operation_timeout_ms, 120_000);
        assert_eq!(c.cli.keep_alive_interval, 2);
        assert_eq!(c.cli.keep_alive_threshold, 5);
        assert_eq!(c.cli.max_string_length, 4_194_304);
        assert_eq!(config(&["--ol", "1000"]).cli.max_string_length, 1000);
        assert_eq!(
            config(&["--opcmaxstringlen", "2000"]).cli.max_string_length,
            2000
        );
        assert_eq!(c.config_file(), PathBuf::from("/appdata/actionconfig.json"));
        assert_eq!(c.application_uri(), "urn:OpcClient:opcclient-123456");
    }

    #[test]
    fn test_connectivity_can_be_switched_off_both_ways() {
        assert!(config(&["--tc"]).test_connectivity());
        assert!(!config(&["--tc=false"]).test_connectivity());
        assert!(!config(&["--tc-"]).test_connectivity());
    }

    #[test]
    fn the_create_session_timeout_backs_off_linearly_up_to_five_times() {
        let c = config(&["--ct", "10"]);
        let secs: Vec<u64> = (0..7)
            .map(|f| c.create_session_timeout(f).as_secs())
            .collect();
        assert_eq!(secs, [10, 20, 30, 40, 50, 50, 50]);
    }

    #[test]
    fn the_session_outlives_the_missed_keep_alives_it_may_wait_for() {
        // Defaults: 2 s × (5 + 1) = 12 s of keep-alives, 10 s create-session timeout.
        let c = config(&[]);
        assert_eq!(c.requested_session_timeout(0), Duration::from_secs(12));
        assert_eq!(c.requested_session_timeout(1), Duration::from_secs(20));
        let slow = config(&["--ki", "30", "--kt", "2", "--ct", "10"]);
        assert_eq!(slow.requested_session_timeout(4), Duration::from_secs(90));
    }

    #[test]
    fn out_of_range_timing_values_are_usage_errors() {
        for args in [
            ["--ki", "1"],
            ["--kt", "0"],
            ["--ct", "0"],
            ["--sw", "0"],
            ["--ol", "0"],
            ["--ol", "-1"],
        ] {
            let all = std::iter::once("opc-client").chain(args);
            assert!(Cli::try_parse_from(all).is_err(), "{args:?}");
        }
    }

    #[test]
    fn the_certificate_policy_is_the_reference_clients_and_the_names_are_the_clients() {
        use clap::CommandFactory as _;
        // docs/reference/opc-ua-apps.md §2.1: SHA-1 allowed (`--rsha1` rejects it), as module-cli's
        // default policy.
        assert!(!parse(&[]).certs.validation().reject_sha1);
        assert!(parse(&["--rsha1"]).certs.validation().reject_sha1);
        let command = Cli::command();
        let text = |id: &str| args::option_text(&command, id).unwrap();
        let password_env = text(args::CERT_PASSWORD).env;
        assert_eq!(password_env.as_deref(), Some("OPCCLIENT_CERTPASSWORD"));
        assert!(
            text(args::AUTO_ACCEPT)
                .help
                .starts_with("All server certificates")
        );
        assert!(
            text(args::TRUST_OWN_CERTIFICATE)
                .help
                .contains("client's own certificate")
        );
        assert!(text(args::CSR).help.ends_with("`OpcClient.csr`"));
        let min_key_size = text(args::MIN_KEY_SIZE).help;
        assert_eq!(min_key_size, "Minimum key size of server certificates");
        // The certificate names are module-cli's (its args tests); here only that they are in.
        let c = parse(&["--ab=Zm9v", "--aa"]);
        assert_eq!(c.certs.application_cert_base64.as_deref(), Some("Zm9v"));
        assert!(c.certs.auto_accept);
    }
}
