//! cert-agent's command line, resolved once into a [`Config`]: flags > environment
//! (`CERTAGENT_*`) > defaults.

use std::path::PathBuf;

use clap::Parser;
use module_runtime::logging::{self, LogArgs};

/// Where the stores live in the container by default: the shared volume the apps mount.
pub const DEFAULT_PKI_ROOT: &str = "/appdata/pki";

/// cert-agent's command line.
#[derive(Debug, Clone, Parser)]
#[command(
    name = "cert-agent",
    about = "Keeps the OPC UA PKI stores of applications that cannot read module twins (each store is <pki-root>/<storeName>/, the OPC UA directory-store tree) as cert-agent's module twin desires (properties.desired.stores), and reports them (properties.reported.stores)",
    version,
    mut_arg(logging::LOG_FILE, |a| a.env("CERTAGENT_LOGFILE")),
    mut_arg(logging::LOG_LEVEL, |a| a.env("CERTAGENT_LOGLEVEL"))
)]
pub struct Cli {
    /// The folder holding the stores: `<pki-root>/<storeName>/{own,trusted,issuer,rejected}`
    /// (relative paths are relative to the working directory).
    #[arg(long = "pki-root", env = "CERTAGENT_PKIROOT", default_value = DEFAULT_PKI_ROOT)]
    pub pki_root: PathBuf,
    /// The log options (`--lf --ll --lt`).
    #[command(flatten)]
    pub log: LogArgs,
}

/// Everything `run` needs, resolved once.
#[derive(Debug, Clone)]
pub struct Config {
    /// The parsed command line.
    pub cli: Cli,
    /// The PKI root, resolved against the working directory.
    pub pki_root: PathBuf,
    /// Where relative paths (`--pki-root`, `--lf`) are resolved.
    pub working_dir: PathBuf,
}

impl Config {
    /// Resolves the command line against `working_dir`.
    #[must_use]
    pub fn new(cli: Cli, working_dir: PathBuf) -> Self {
        Self {
            pki_root: working_dir.join(&cli.pki_root),
            cli,
            working_dir,
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    #[test]
    fn the_pki_root_defaults_to_the_shared_volume_and_relative_roots_follow_the_working_dir() {
        let cli = Cli::try_parse_from(["cert-agent"]).unwrap();
        let config = Config::new(cli, PathBuf::from("/work"));
        assert_eq!(config.pki_root, PathBuf::from("/appdata/pki"));
        let cli = Cli::try_parse_from(["cert-agent", "--pki-root", "appdata/pki", "--ll", "debug"])
            .unwrap();
        assert_eq!(cli.log.log_level, "debug");
        let config = Config::new(cli, PathBuf::from("/work"));
        assert_eq!(config.pki_root, PathBuf::from("/work/appdata/pki"));
    }
}
