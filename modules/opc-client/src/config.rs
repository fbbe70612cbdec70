//! The command line of the OPC Client (reference §2.2) plus every certificate option of the OPC
//! PLC (§1.2, 2018 column, and `--mks`, `--drurs`, `--cdn`), resolved once into a [`Config`]:
//! flags > environment (`OPCCLIENT_*`) > defaults.
//!
//! As in the PLC module, each short name is a visible long alias (`--de` = `--defaultendpointurl`)
//! and lists are comma separated.

use std::path::PathBuf;
use std::time::Duration;

use clap::{ArgAction, Parser};

/// `OpcClient`: the application name and the certificate's common name (reference §2.1).
pub const APPLICATION_NAME: &str = "OpcClient";
/// The reference's product URI.
pub const PRODUCT_URI: &str = "https://github.com/azure-samples/iot-edge-opc-client";
/// The endpoint of the default test action.
pub const DEFAULT_ENDPOINT_URL: &str = "opc.tcp://opcplc:50000";
/// The action file's default name, in the working directory.
pub const DEFAULT_CONFIG_FILE: &str = "actionconfig.json";
/// The reference's `OpcSessionCreationBackoffMax`.
pub const BACKOFF_MAX: u32 = 5;

/// The OPC Client's command line.
#[derive(Debug, Clone, Parser)]
#[command(
    name = "opc-client",
    about = "OPC UA client testing connectivity and running read actions (the OPC Client's options, trust decided by our PKI validator)",
    version
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
    /// Create-session timeout in seconds (at least 1), multiplied by the failures so far (×1…×5).
    #[arg(long = "createsessiontimeout", visible_alias = "ct", default_value_t = 10, value_parser = clap::value_parser!(u64).range(1..))]
    pub create_session_timeout: u64,
    /// Seconds between keep-alives of a session (at least 2).
    #[arg(long = "keepaliveinterval", visible_alias = "ki", default_value_t = 2, value_parser = clap::value_parser!(u64).range(2..))]
    pub keep_alive_interval: u64,
    /// Missed keep-alives before the session is disconnected (at least 1).
    #[arg(long = "keepalivethreshold", visible_alias = "kt", default_value_t = 5, value_parser = clap::value_parser!(u32).range(1..))]
    pub keep_alive_threshold: u32,

    /// All server certificates are trusted automatically (a security risk).
    #[arg(long = "autoaccept", visible_alias = "aa", default_value_t = false)]
    pub auto_accept: bool,
    /// Puts the client's own certificate into the trusted peer store.
    #[arg(long = "trustowncert", visible_alias = "to", default_value_t = false)]
    pub trust_own_certificate: bool,
    /// Own certificate store type (only `Directory` is supported).
    #[arg(
        long = "appcertstoretype",
        visible_alias = "at",
        default_value = "Directory"
    )]
    pub app_cert_store_type: String,
    /// Own certificate store path.
    #[arg(
        long = "appcertstorepath",
        visible_alias = "ap",
        default_value = "pki/own"
    )]
    pub app_cert_store_path: PathBuf,
    /// Trusted peer certificate store path.
    #[arg(
        long = "trustedcertstorepath",
        visible_alias = "tp",
        default_value = "pki/trusted"
    )]
    pub trusted_store_path: PathBuf,
    /// Rejected certificate store path.
    #[arg(
        long = "rejectedcertstorepath",
        visible_alias = "rp",
        default_value = "pki/rejected"
    )]
    pub rejected_store_path: PathBuf,
    /// Trusted issuer certificate store path.
    #[arg(
        long = "issuercertstorepath",
        visible_alias = "ip",
        default_value = "pki/issuer"
    )]
    pub issuer_store_path: PathBuf,
    /// Prints the `CreateSigningRequest` information and writes `OpcClient.csr`.
    #[arg(long = "csr", default_value_t = false)]
    pub csr: bool,
    /// Update or set the application certificate (base64 DER).
    #[arg(long = "applicationcertbase64", visible_alias = "ab")]
    pub application_cert_base64: Option<String>,
    /// Update or set the application certificate from a file.
    #[arg(long = "applicationcertfile", visible_alias = "af")]
    pub application_cert_file: Option<PathBuf>,
    /// Private key of the new application certificate (base64 of PEM text or PFX).
    #[arg(long = "privatekeybase64", visible_alias = "pb")]
    pub private_key_base64: Option<String>,
    /// Private key of the new application certificate, from a file (PEM or PFX).
    #[arg(long = "privatekeyfile", visible_alias = "pk")]
    pub private_key_file: Option<PathBuf>,
    /// Password of the PFX or PEM key.
    #[arg(
        long = "certpassword",
        visible_alias = "cp",
        env = "OPCCLIENT_CERTPASSWORD",
        hide_env_values = true
    )]
    pub cert_password: Option<String>,
    /// Adds certificates to the trusted peer store (base64 DER, comma separated).
    #[arg(
        long = "addtrustedcertbase64",
        visible_alias = "tb",
        value_delimiter = ','
    )]
    pub add_trusted_base64: Vec<String>,
    /// Adds certificates to the trusted peer store (files, comma separated).
    #[arg(
        long = "addtrustedcertfile",
        visible_alias = "tf",
        value_delimiter = ','
    )]
    pub add_trusted_file: Vec<PathBuf>,
    /// Adds certificates to the trusted issuer store (base64 DER, comma separated).
    #[arg(
        long = "addissuercertbase64",
        visible_alias = "ib",
        value_delimiter = ','
    )]
    pub add_issuer_base64: Vec<String>,
    /// Adds certificates to the trusted issuer store (files, comma separated).
    #[arg(
        long = "addissuercertfile",
        visible_alias = "if",
        value_delimiter = ','
    )]
    pub add_issuer_file: Vec<PathBuf>,
    /// Installs a CRL (base64 DER) into the stores holding its issuer.
    #[arg(long = "updatecrlbase64", visible_alias = "rb")]
    pub update_crl_base64: Option<String>,
    /// Installs a CRL from a file into the stores holding its issuer.
    #[arg(long = "updatecrlfile", visible_alias = "uc")]
    pub update_crl_file: Option<PathBuf>,
    /// Removes certificates by thumbprint from the trusted peer and issuer stores (comma separated).
    #[arg(long = "removecert", visible_alias = "rc", value_delimiter = ',')]
    pub remove_cert: Vec<String>,
    /// Minimum key size of server certificates.
    #[arg(long = "mincertkeysize", visible_alias = "mks", default_value_t = 2048)]
    pub min_key_size: u16,
    /// Accept CAs whose revocation status is unknown (no CRL).
    #[arg(
        long = "dontrejectunknownrevocationstatus",
        visible_alias = "drurs",
        default_value_t = false
    )]
    pub dont_reject_unknown_revocation: bool,
    /// Extra DNS names or IP addresses for the certificate (comma separated).
    #[arg(long = "certdnsnames", visible_alias = "cdn", value_delimiter = ',')]
    pub cert_dns_names: Vec<String>,

    /// The log file (written only when given).
    #[arg(long = "logfile", visible_alias = "lf", env = "OPCCLIENT_LOGFILE")]
    pub log_file: Option<PathBuf>,
    /// The log level: fatal, error, warn, info, debug, verbose.
    #[arg(
        long = "loglevel",
        visible_alias = "ll",
        env = "OPCCLIENT_LOGLEVEL",
        default_value = "info"
    )]
    pub log_level: String,
    /// Seconds between file log flushes (lines are written as they come; accepted for compatibility).
    #[arg(long = "logflushtimespan", visible_alias = "lt", default_value_t = 30)]
    pub log_flush_seconds: u64,
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

    /// `urn:OpcClient:<host label>` (reference §2.1).
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
    fn out_of_range_timing_values_are_usage_errors() {
        for args in [["--ki", "1"], ["--kt", "0"], ["--ct", "0"], ["--sw", "0"]] {
            let all = std::iter::once("opc-client").chain(args);
            assert!(Cli::try_parse_from(all).is_err(), "{args:?}");
        }
    }

    #[test]
    fn certificate_options_take_short_and_long_names() {
        let c = parse(&[
            "--ab=Zm9v",
            "--tb",
            "a,b",
            "--ib",
            "c",
            "--aa",
            "--uc",
            "x.crl",
        ]);
        assert_eq!(c.application_cert_base64.as_deref(), Some("Zm9v"));
        assert_eq!(c.add_trusted_base64, ["a", "b"]);
        assert_eq!(c.add_issuer_base64, ["c"]);
        assert!(c.auto_accept);
        assert_eq!(c.update_crl_file, Some(PathBuf::from("x.crl")));
    }
}
