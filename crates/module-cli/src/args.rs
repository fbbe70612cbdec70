//! The certificate command line of the reference apps (docs/reference/opc-ua-apps.md §1.2, 2018
//! column, plus HEAD's `--mks`, `--rsha1`, `--drurs` and `--cdn`), shared by the OPC PLC and the
//! OPC Client (§2.2: "as for the PLC").
//!
//! A module flattens [`CertificateArgs`] into its command line (`#[command(flatten)]`). Each
//! short name is a visible long alias (`--ab` = `--applicationcertbase64`), as Mono.Options
//! accepted both; lists are comma separated. What differs per application is set by the module
//! on its command with `mut_arg` on the argument ids below: the `--cp` environment variable
//! ([`CERT_PASSWORD`], e.g. `OPCPLC_CERTPASSWORD`) and the help texts naming the application
//! ([`AUTO_ACCEPT`], [`TRUST_OWN_CERTIFICATE`], [`CSR`], [`MIN_KEY_SIZE`]).

use std::path::{Path, PathBuf};

use pki::{LogLine, Store, StoreLayout, ValidationOptions};

/// Argument id of `--aa` (for `mut_arg`).
pub const AUTO_ACCEPT: &str = "auto_accept";
/// Argument id of `--to` (for `mut_arg`).
pub const TRUST_OWN_CERTIFICATE: &str = "trust_own_certificate";
/// Argument id of `--csr` (for `mut_arg`).
pub const CSR: &str = "csr";
/// Argument id of `--cp` (for `mut_arg`, to add the application's environment variable).
pub const CERT_PASSWORD: &str = "cert_password";
/// Argument id of `--mks` (for `mut_arg`).
pub const MIN_KEY_SIZE: &str = "min_key_size";

/// The certificate and PKI store options of the reference apps.
#[derive(Debug, Clone, clap::Args)]
#[allow(clippy::struct_excessive_bools)] // one bool per flag of the reference's command line
pub struct CertificateArgs {
    /// All certificates of peers are trusted automatically (a security risk).
    #[arg(long = "autoaccept", visible_alias = "aa", default_value_t = false)]
    pub auto_accept: bool,
    /// Puts the application's own certificate into the trusted peer store.
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
    /// Prints the `CreateSigningRequest` information and writes `<ApplicationName>.csr`.
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
    #[arg(long = "certpassword", visible_alias = "cp", hide_env_values = true)]
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
    /// Minimum key size of peer certificates.
    #[arg(
        long = "mincertkeysize",
        visible_alias = "mks",
        default_value_t = 2048,
        value_parser = clap::value_parser!(u16).range(
            i64::from(*pki::KEY_SIZE_RANGE.start())..=i64::from(*pki::KEY_SIZE_RANGE.end())
        )
    )]
    pub min_key_size: u16,
    /// Reject SHA-1 signed peer certificates (the reference accepts them by default).
    #[arg(long = "rejectsha1", visible_alias = "rsha1", default_value_t = false)]
    pub reject_sha1: bool,
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
}

impl CertificateArgs {
    /// Whether `--at` names the only store type there is here (`Directory`, any case).
    #[must_use]
    pub fn is_directory_store(&self) -> bool {
        self.app_cert_store_type.eq_ignore_ascii_case("Directory")
    }

    /// The peer-certificate policy: `--mks`, `--drurs`, and SHA-1 accepted unless `--rsha1`
    /// (both reference generations accept SHA-1 by default, ADR 0005).
    #[must_use]
    pub fn validation(&self) -> ValidationOptions {
        ValidationOptions {
            min_key_bits: u32::from(self.min_key_size),
            reject_unknown_revocation: !self.dont_reject_unknown_revocation,
            reject_sha1: self.reject_sha1,
        }
    }

    /// The store layout with relative paths resolved against `dir`; the root is the trusted
    /// store's parent.
    #[must_use]
    pub fn store_layout(&self, dir: &Path) -> StoreLayout {
        StoreLayout::custom(
            dir.join(
                self.trusted_store_path
                    .parent()
                    .map(PathBuf::from)
                    .unwrap_or_default(),
            ),
            dir.join(&self.app_cert_store_path),
            dir.join(&self.trusted_store_path),
            dir.join(&self.issuer_store_path),
            dir.join(&self.rejected_store_path),
        )
    }

    /// The store layout as the operator gave it (for the configuration lines).
    #[must_use]
    pub fn shown_layout(&self) -> StoreLayout {
        StoreLayout::custom(
            PathBuf::new(),
            self.app_cert_store_path.clone(),
            self.trusted_store_path.clone(),
            self.issuer_store_path.clone(),
            self.rejected_store_path.clone(),
        )
    }

    /// The store configuration lines (docs/reference/opc-ua-apps.md §1.5.1) for `application_name`.
    #[must_use]
    pub fn configuration_lines(&self, application_name: &str) -> Vec<LogLine> {
        pki::configuration_lines(&self.shown_layout(), &self.validation(), application_name)
    }

    /// Logs the store configuration lines, then opens the store under `dir` with the `--cp`
    /// password for the own key.
    pub fn open_store(&self, dir: &Path, application_name: &str) -> Result<Store, pki::StoreError> {
        pki::emit_all(&self.configuration_lines(application_name));
        Ok(Store::open(self.store_layout(dir))?.with_key_password(self.cert_password.clone()))
    }
}

/// What a command shows for one of the shared options after the module's `mut_arg` calls.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OptionText {
    /// The help text (`--help`).
    pub help: String,
    /// The environment variable the option reads, if any.
    pub env: Option<String>,
}

/// The help text and environment variable `command` gives the option with argument id `id`
/// (one of the ids above); `None` when the command has no such option. Lets a module check
/// that its `mut_arg` calls name the application.
#[must_use]
pub fn option_text(command: &clap::Command, id: &str) -> Option<OptionText> {
    let arg = command.get_arguments().find(|a| a.get_id() == id)?;
    Some(OptionText {
        help: arg.get_help().map(ToString::to_string).unwrap_or_default(),
        env: arg.get_env().map(|e| e.to_string_lossy().into_owned()),
    })
}

/// A command with only the certificate options, for this crate's tests.
#[cfg(test)]
pub(crate) mod test_cli {
    #![allow(clippy::unwrap_used)]

    use clap::Parser;

    use super::{CERT_PASSWORD, CertificateArgs};

    #[derive(Debug, Parser)]
    #[command(mut_arg(CERT_PASSWORD, |a| a.env("MODULE_CLI_TEST_CERTPASSWORD")))]
    pub(crate) struct Cli {
        #[command(flatten)]
        pub(crate) certs: CertificateArgs,
    }

    /// The certificate options of `args` (without the program name).
    pub(crate) fn parse(args: &[&str]) -> CertificateArgs {
        Cli::try_parse_from(std::iter::once("app").chain(args.iter().copied()))
            .unwrap()
            .certs
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use pki::StoreKind;

    use super::test_cli::{Cli, parse};
    use super::*;

    #[test]
    fn short_and_long_names_take_values_with_equals_or_space() {
        let a = parse(&[
            "--ab=Zm9v",
            "--tb",
            "a,b",
            "--addissuercertbase64",
            "c",
            "--aa",
        ]);
        assert_eq!(a.application_cert_base64.as_deref(), Some("Zm9v"));
        assert_eq!(a.add_trusted_base64, ["a", "b"]);
        assert_eq!(a.add_issuer_base64, ["c"]);
        assert!(a.auto_accept);
        let b = parse(&[
            "--applicationcertbase64",
            "Zm9v",
            "--uc",
            "x.crl",
            "--rc=AB,CD",
        ]);
        assert_eq!(b.application_cert_base64.as_deref(), Some("Zm9v"));
        assert_eq!(b.update_crl_file, Some(PathBuf::from("x.crl")));
        assert_eq!(b.remove_cert, ["AB", "CD"]);
    }

    #[test]
    fn the_policy_accepts_sha1_and_needs_revocation_by_default() {
        let defaults = parse(&[]).validation();
        assert_eq!(defaults.min_key_bits, 2048);
        assert!(!defaults.reject_sha1);
        assert!(defaults.reject_unknown_revocation);
        let strict = parse(&["--mks=4096", "--rsha1", "--drurs"]).validation();
        assert_eq!(strict.min_key_bits, 4096);
        assert!(strict.reject_sha1);
        assert!(!strict.reject_unknown_revocation);
        // The twin's `minimumCertificateKeySize` range: the command line cannot go below it.
        for bad in ["--mks=512", "--mks=16385"] {
            let err = <Cli as clap::Parser>::try_parse_from(["test", bad]).unwrap_err();
            assert!(err.to_string().contains("is not in 1024..=16384"), "{err}");
        }
        assert_eq!(parse(&["--mks=1024"]).validation().min_key_bits, 1024);
    }

    #[test]
    fn relative_store_paths_are_resolved_against_the_working_directory() {
        let args = parse(&["--tp", "certs/peers", "--ap=/abs/own"]);
        assert!(args.is_directory_store());
        let layout = args.store_layout(Path::new("/appdata"));
        assert_eq!(
            layout.store(StoreKind::Trusted),
            Path::new("/appdata/certs/peers")
        );
        assert_eq!(layout.store(StoreKind::Own), Path::new("/abs/own"));
        assert_eq!(
            args.shown_layout().store(StoreKind::Issuer),
            Path::new("pki/issuer")
        );
        assert!(!parse(&["--at", "X509Store"]).is_directory_store());
        assert!(parse(&["--at", "directory"]).is_directory_store());
    }

    #[test]
    fn option_texts_show_the_defaults_and_what_mut_arg_set() {
        use clap::CommandFactory as _;
        let command = Cli::command();
        let text = |id: &str| option_text(&command, id).unwrap();
        assert_eq!(
            text(CERT_PASSWORD).env.as_deref(),
            Some("MODULE_CLI_TEST_CERTPASSWORD")
        );
        assert_eq!(
            text(AUTO_ACCEPT).help,
            "All certificates of peers are trusted automatically (a security risk)"
        );
        assert_eq!(text(AUTO_ACCEPT).env, None);
        assert!(
            text(TRUST_OWN_CERTIFICATE)
                .help
                .contains("application's own")
        );
        assert!(option_text(&command, "no_such_option").is_none());
    }

    #[test]
    fn the_configuration_lines_name_the_application_and_the_policy() {
        let lines = parse(&["--rsha1"]).configuration_lines("OpcClient");
        let text: Vec<String> = lines.iter().map(|l| l.text.clone()).collect();
        assert!(
            text.contains(&"Rejection of SHA1 signed certificates is enabled".to_owned()),
            "{text:?}"
        );
        assert!(
            text.contains(&"Application Certificate subject name is: OpcClient".to_owned()),
            "{text:?}"
        );
    }
}
