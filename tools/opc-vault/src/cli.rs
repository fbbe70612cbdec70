//! The command line: [`Cli`] parsed by clap (flags > environment > defaults) and [`run`],
//! which performs one command, prints for operators and returns the exit code.
//!
//! Output: results on stdout (a certificate, a table, PEM), progress and errors on stderr.

use std::io::{Read as _, Write as _};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use base64::Engine as _;
use clap::{Args, Parser, Subcommand, ValueEnum};
use hub_service::{ServiceClient, ServiceError, TlsTrust};
use time::OffsetDateTime;

use crate::error::VaultError;
use crate::model::{CertStatus, CertType, RevocationReason};
use crate::provision::{self, ProvisionOptions, Target, TargetReport};
use crate::vault::{
    DEFAULT_VAULT_DIR, InitOptions, IntermediateOptions, SignOptions, Vault, VaultState,
};
use crate::{date, table, timestamp};

/// Exit code of a successful command.
pub const EXIT_OK: u8 = 0;
/// Exit code of a failed command (or of `provision` when a target failed).
pub const EXIT_FAILED: u8 = 1;
/// Exit code of a usage error (clap's).
pub const EXIT_USAGE: u8 = 2;

/// `opc-vault`'s command line.
#[derive(Debug, Parser)]
#[command(
    name = "opc-vault",
    version,
    about = "The CA of OPC UA applications on IoT Edge: signs the CSRs modules report in their twins, revokes, issues CRLs and provisions modules through their twins"
)]
pub struct Cli {
    /// The vault folder: CA keys (0600), CA certificates, the index of issued certificates,
    /// the current CRLs, the configuration.
    #[arg(long, global = true, env = "OPC_VAULT", default_value = DEFAULT_VAULT_DIR)]
    pub vault: PathBuf,
    /// The command.
    #[command(subcommand)]
    pub command: Command,
}

/// The commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Create the vault: a self-signed root CA (and an issuing intermediate), keys, an empty CRL per CA.
    Init(InitArgs),
    /// Sign a CSR (PEM, DER or base64, from a file or stdin); prints the certificate as base64 DER.
    Sign(SignArgs),
    /// Revoke an issued certificate (by serial number or thumbprint) and issue the CRL listing it.
    Revoke(RevokeArgs),
    /// Issue fresh CRLs for every CA (each with a higher cRLNumber).
    Crl(CrlArgs),
    /// Print the CA certificates, root first (and with --crls their current CRLs).
    Ca(CaArgs),
    /// List the issued certificates: serial, subject, URI, notAfter, days left, status.
    List,
    /// Sign the CSRs modules report and write certificate, CA chain and CRLs to their twins; wait until they apply them.
    Provision(ProvisionArgs),
    /// Sign the current CSR of each target again now, although its certificate is still valid (provision with an unlimited renewal window).
    Renew(ProvisionArgs),
    /// Re-issue every certificate that expires within --days and bring every store's CA chain and CRLs up to date, across the fleet (a twin query).
    Rotate(RotateArgs),
    /// Trust this vault's CA certificates (and further CAs) on every device a target condition selects, as an IoT Hub configuration; wait until they applied it.
    TrustConfig(TrustConfigArgs),
    /// Serve the operator's page: every module's certificates, approvals, provision, renew, revoke, the twin editor, the CA.
    Serve(ServeArgs),
}

/// What fleet runs share: the selection, the journal, the output.
#[derive(Debug, Args)]
pub struct FleetArgs {
    /// Choose the targets with an IoT Hub twin query instead of --module/--device: a condition, `WHERE …` or `FROM devices.modules WHERE …` (e.g. "properties.reported.pki.expiry.status = 'warning'"); every store the matching module twins report is a target.
    #[arg(long = "where", value_name = "QUERY")]
    pub where_: Option<String>,
    /// Continue the newest unfinished run of this command (its journal in <vault>/runs/): targets it finished are skipped, CSRs it signed are not signed again.
    #[arg(long)]
    pub resume: bool,
    /// How many targets at the same time.
    #[arg(long, default_value_t = crate::provision::DEFAULT_CONCURRENCY, value_parser = concurrency)]
    pub concurrency: usize,
    /// Print the fleet summary as JSON on stdout (for automation) instead of the table.
    #[arg(long)]
    pub json: bool,
}

/// `rotate` options.
#[derive(Debug, Args)]
pub struct RotateArgs {
    /// Re-issue certificates of this vault with this many days left or fewer (and sign the CSR of every store without one).
    #[arg(long)]
    pub days: u32,
    /// The IoT Hub (or edge-sim) service connection string (HostName=…;SharedAccessKeyName=…;SharedAccessKey=…).
    #[arg(long, env = "IOTHUB_CONNECTION_STRING", hide_env_values = true)]
    pub hub: String,
    /// A PEM file of CAs that verify the hub's TLS certificate (edge-sim's dev CA); without it the system roots.
    #[arg(long, env = "OPC_VAULT_HUB_CA")]
    pub hub_ca: Option<PathBuf>,
    /// How long each module may take to apply (e.g. 60s, 2m).
    #[arg(long, default_value = "60s", value_parser = duration)]
    pub timeout: Duration,
    /// What new certificates are for (extended key usage).
    #[arg(long = "type", value_enum, default_value_t = CertType::Both)]
    pub cert_type: CertType,
    /// The selection (every store of the hub without --where), journal and output.
    #[command(flatten)]
    pub fleet: FleetArgs,
}

/// `init` options.
#[derive(Debug, Args)]
pub struct InitArgs {
    /// RSA key size of the CAs.
    #[arg(long, default_value_t = 2048, value_parser = key_bits)]
    pub key_bits: u32,
    /// The root CA's subject.
    #[arg(long, default_value = "CN=OPC Vault CA")]
    pub subject: String,
    /// The root CA's lifetime in years.
    #[arg(long, default_value_t = 10)]
    pub ca_years: u32,
    /// Also create an issuing intermediate CA (pathLen 0) that signs the application certificates.
    #[arg(long)]
    pub intermediate: bool,
    /// The intermediate's subject.
    #[arg(
        long,
        default_value = "CN=OPC Vault Issuing CA",
        requires = "intermediate"
    )]
    pub intermediate_subject: String,
    /// The intermediate's lifetime in years (capped by the root's).
    #[arg(long, default_value_t = 5, requires = "intermediate")]
    pub intermediate_years: u32,
    /// The default lifetime of application certificates in years (capped by the issuing CA).
    #[arg(long, default_value_t = 1)]
    pub cert_years: u32,
    /// The default CRL period in days (nextUpdate = thisUpdate + this).
    #[arg(long, default_value_t = 7)]
    pub crl_days: u32,
}

/// `sign` options.
#[derive(Debug, Args)]
pub struct SignArgs {
    /// The CSR file (PEM, DER or base64), or `-` for stdin.
    #[arg(long)]
    pub csr: String,
    /// The `ApplicationUri` the CSR must carry.
    #[arg(long)]
    pub app_uri: Option<String>,
    /// What the certificate is for (extended key usage).
    #[arg(long = "type", value_enum, default_value_t = CertType::Both)]
    pub cert_type: CertType,
    /// Lifetime in years (default: the vault's), capped by the issuing CA.
    #[arg(long)]
    pub years: Option<u32>,
    /// Write `<CN> [<THUMBPRINT>].der` into this folder instead of printing base64.
    #[arg(long)]
    pub out_dir: Option<PathBuf>,
}

/// `revoke` options.
#[derive(Debug, Args)]
pub struct RevokeArgs {
    /// The certificate's serial number or thumbprint (hex, as `list` shows them); or --where.
    #[arg(required_unless_present = "where_", conflicts_with = "where_")]
    pub certificate: Option<String>,
    /// Why (RFC 5280 reason code in the CRL entry).
    #[arg(long, value_enum, default_value_t = RevocationReason::Unspecified)]
    pub reason: RevocationReason,
    /// With --where: revoke the certificate every matching store reports (those this vault issued), then push the new CRLs to every store of the hub.
    #[command(flatten)]
    pub push: PushArgs,
}

/// `crl` options.
#[derive(Debug, Args)]
pub struct CrlArgs {
    /// Days until nextUpdate (default: the vault's, 7 unless init said otherwise).
    #[arg(long)]
    pub days: Option<u32>,
    /// With --where: push the new CRLs (and the CA chain) to every matching store.
    #[command(flatten)]
    pub push: PushArgs,
}

/// Pushing to the fleet from `revoke` and `crl`.
#[derive(Debug, Args)]
pub struct PushArgs {
    /// The IoT Hub (or edge-sim) service connection string; needed with --where.
    #[arg(long, env = "IOTHUB_CONNECTION_STRING", hide_env_values = true)]
    pub hub: Option<String>,
    /// A PEM file of CAs that verify the hub's TLS certificate (edge-sim's dev CA).
    #[arg(long, env = "OPC_VAULT_HUB_CA")]
    pub hub_ca: Option<PathBuf>,
    /// How long each module may take to apply (e.g. 60s, 2m).
    #[arg(long, default_value = "60s", value_parser = duration)]
    pub timeout: Duration,
    /// The selection, journal and output.
    #[command(flatten)]
    pub fleet: FleetArgs,
}

/// How `ca` prints.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// PEM blocks.
    Pem,
    /// One base64 DER line each (what twins and the reference apps' command lines take).
    Base64,
}

/// `ca` options.
#[derive(Debug, Args)]
pub struct CaArgs {
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Pem)]
    pub format: Format,
    /// Also print each CA's current CRL.
    #[arg(long)]
    pub crls: bool,
}

/// `provision` options.
#[derive(Debug, Args)]
pub struct ProvisionArgs {
    /// A module to provision: `<module>` for its own twin `pki`, `<module>:<store>` for a cert-agent store; repeat or separate with commas.
    #[arg(long = "module", required_unless_present = "where_", conflicts_with = "where_", value_delimiter = ',', value_parser = target)]
    pub modules: Vec<Target>,
    /// The IoT Hub (or edge-sim) service connection string (HostName=…;SharedAccessKeyName=…;SharedAccessKey=…).
    #[arg(long, env = "IOTHUB_CONNECTION_STRING", hide_env_values = true)]
    pub hub: String,
    /// A PEM file of CAs that verify the hub's TLS certificate (edge-sim's dev CA); without it the system roots.
    #[arg(long, env = "OPC_VAULT_HUB_CA")]
    pub hub_ca: Option<PathBuf>,
    /// The edge device id (a service connection string names none); not with --where.
    #[arg(
        long,
        env = "IOTEDGE_DEVICEID",
        required_unless_present = "where_",
        conflicts_with = "where_"
    )]
    pub device: Option<String>,
    /// How long each module may take to apply (e.g. 60s, 2m).
    #[arg(long, default_value = "60s", value_parser = duration)]
    pub timeout: Duration,
    /// Push the CA chain and fresh CRLs only; leave the certificates alone.
    #[arg(long)]
    pub crl_only: bool,
    /// Renew a certificate from this vault when it has this many days left or fewer.
    #[arg(long, default_value_t = 30)]
    pub renew_days: u32,
    /// What new certificates are for (extended key usage).
    #[arg(long = "type", value_enum, default_value_t = CertType::Both)]
    pub cert_type: CertType,
    /// Fleet runs: targets by query, resume, concurrency, JSON.
    #[command(flatten)]
    pub fleet: FleetArgs,
}

/// `trust-config` options.
#[derive(Debug, Args)]
pub struct TrustConfigArgs {
    /// The configuration id (IoT Hub: lower-case letters, digits and -:+%_#*?!(),=@;$').
    #[arg(long)]
    pub id: String,
    /// The devices, as a twin query condition on devices (`deviceId = 'x'`, `STARTSWITH(deviceId, 'plant-')`, `tags.site = 'a'`), or `*` for all.
    #[arg(long, required_unless_present = "delete")]
    pub target_condition: Option<String>,
    /// Where several configurations set the same path, the higher priority wins.
    #[arg(long, default_value_t = 10)]
    pub priority: i64,
    /// A store to trust in: `<module>` for its own `pki`, `<module>:<store>` for a cert-agent store; repeat or separate with commas.
    #[arg(long = "module", value_delimiter = ',', value_parser = target, required_unless_present = "delete")]
    pub modules: Vec<Target>,
    /// The prefix of the twin names of this vault's CAs and CRLs (`<name>Root`, `<name>Issuing`); a rollover publishes the old and the new vault under different names.
    #[arg(long, default_value = "opcVault")]
    pub name: String,
    /// A further CA to trust: `<twin name>=<certificate file>` (PEM or DER); repeat for more.
    #[arg(long = "ca", value_name = "NAME=FILE")]
    pub extra: Vec<String>,
    /// Delete the configuration instead (what only it set is removed from the twins).
    #[arg(long)]
    pub delete: bool,
    /// How long to wait until every targeted device applied it.
    #[arg(long, default_value = "5m", value_parser = duration)]
    pub timeout: Duration,
    /// The IoT Hub (or edge-sim) service connection string.
    #[arg(long, env = "IOTHUB_CONNECTION_STRING", hide_env_values = true)]
    pub hub: String,
    /// A PEM file of CAs that verify the hub's TLS certificate (edge-sim's dev CA).
    #[arg(long, env = "OPC_VAULT_HUB_CA")]
    pub hub_ca: Option<PathBuf>,
}

/// `serve` options.
#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Where to listen; a non-loopback address needs --tls-cert and --tls-key.
    #[arg(long, env = "OPC_VAULT_LISTEN", default_value = crate::serve::DEFAULT_LISTEN)]
    pub listen: std::net::SocketAddr,
    /// The IoT Hub (or edge-sim) service connection string (HostName=…;SharedAccessKeyName=…;SharedAccessKey=…); its key also logs in.
    #[arg(long, env = "IOTHUB_CONNECTION_STRING", hide_env_values = true)]
    pub hub: String,
    /// A PEM file of CAs that verify the hub's TLS certificate (edge-sim's dev CA); without it the system roots.
    #[arg(long, env = "OPC_VAULT_HUB_CA")]
    pub hub_ca: Option<PathBuf>,
    /// Serve HTTPS with this PEM certificate (chain).
    #[arg(long, requires = "tls_key")]
    pub tls_cert: Option<PathBuf>,
    /// The PEM private key of --tls-cert.
    #[arg(long, requires = "tls_cert")]
    pub tls_key: Option<PathBuf>,
    /// How long each module may take to apply what an action wrote (e.g. 60s, 2m).
    #[arg(long, default_value = "60s", value_parser = duration)]
    pub timeout: Duration,
    /// What new certificates are for (extended key usage).
    #[arg(long = "type", value_enum, default_value_t = CertType::Both)]
    pub cert_type: CertType,
}

fn concurrency(text: &str) -> Result<usize, String> {
    match text.trim().parse::<usize>() {
        Ok(n) if (1..=1024).contains(&n) => Ok(n),
        _ => Err(format!("'{text}' is not a number from 1 to 1024")),
    }
}

fn key_bits(text: &str) -> Result<u32, String> {
    match text.trim().parse::<u32>() {
        Ok(bits) if crate::issue::KEY_SIZES.contains(&bits) => Ok(bits),
        _ => Err(format!("'{text}' is not 2048, 3072 or 4096")),
    }
}

fn target(text: &str) -> Result<Target, String> {
    text.parse()
}

/// Parses `90`, `90s`, `1500ms`, `2m`, `1h`.
pub fn duration(text: &str) -> Result<Duration, String> {
    let text = text.trim();
    let split = text
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(text.len());
    let (number, unit) = text.split_at(split);
    let value: u64 = number
        .parse()
        .map_err(|_| format!("'{text}' is not a duration such as 60s, 2m or 1500ms"))?;
    match unit {
        "" | "s" => Ok(Duration::from_secs(value)),
        "ms" => Ok(Duration::from_millis(value)),
        "m" => Ok(Duration::from_secs(value.saturating_mul(60))),
        "h" => Ok(Duration::from_secs(value.saturating_mul(3600))),
        _ => Err(format!(
            "'{text}': unknown unit '{unit}' (use ms, s, m or h)"
        )),
    }
}

/// Why a command could not run.
#[derive(Debug, thiserror::Error)]
pub enum CliError {
    /// The vault failed.
    #[error(transparent)]
    Vault(#[from] VaultError),
    /// The service API client could not be set up.
    #[error("cannot use the hub")]
    Hub(#[from] ServiceError),
    /// A file given on the command line could not be read or written.
    #[error("cannot {action} {path}")]
    File {
        /// What was done.
        action: &'static str,
        /// The file.
        path: PathBuf,
        /// Why not.
        #[source]
        source: std::io::Error,
    },
    /// Output could not be written.
    #[error("cannot write the output")]
    Output(#[source] std::io::Error),
    /// The async runtime could not start.
    #[error("cannot start the async runtime")]
    Runtime(#[source] std::io::Error),
    /// The page could not be served.
    #[error("cannot serve the page")]
    Serve(#[from] crate::serve::ServeError),
}

/// Writes to stdout; a closed pipe (`| head`) is not an error.
fn print(text: &str) -> Result<(), CliError> {
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(CliError::Output(e)),
        _ => Ok(()),
    }
}

/// Writes a line to stderr.
fn note(text: &str) {
    let _ = writeln!(std::io::stderr().lock(), "{text}");
}

/// Runs the command at `now`; returns the exit code.
pub fn run(cli: Cli, now: OffsetDateTime) -> Result<u8, CliError> {
    let dir = cli.vault;
    match cli.command {
        Command::Init(args) => init(&dir, &args, now),
        Command::Sign(args) => sign(&Vault::open(&dir)?, &args, now),
        Command::Revoke(args) => revoke(&Vault::open(&dir)?, &args, now),
        Command::Crl(args) => crl(&Vault::open(&dir)?, &args, now),
        Command::Ca(args) => ca(&Vault::open(&dir)?.read()?, &args),
        Command::List => list(&Vault::open(&dir)?.read()?, now),
        Command::Provision(args) => provision(&Vault::open(&dir)?, &args, now),
        Command::Rotate(args) => rotate(&Vault::open(&dir)?, &args, now),
        Command::Renew(mut args) => {
            if args.crl_only {
                return Err(CliError::Vault(VaultError::Invalid(
                    "renew signs certificates: --crl-only belongs to provision".to_owned(),
                )));
            }
            args.renew_days = u32::MAX;
            provision(&Vault::open(&dir)?, &args, now)
        }
        Command::TrustConfig(args) => trust_config(&Vault::open(&dir)?, &args),
        Command::Serve(args) => serve(&Vault::open(&dir)?, &args),
    }
}

fn init(dir: &Path, args: &InitArgs, now: OffsetDateTime) -> Result<u8, CliError> {
    let options = InitOptions {
        key_bits: args.key_bits,
        subject: args.subject.clone(),
        ca_years: args.ca_years,
        intermediate: args.intermediate.then(|| IntermediateOptions {
            subject: args.intermediate_subject.clone(),
            years: args.intermediate_years,
        }),
        cert_years: args.cert_years,
        crl_days: args.crl_days,
    };
    let vault = Vault::init(dir, &options, now)?;
    let state = vault.read()?;
    let rows: Vec<Vec<String>> = state
        .cas()
        .into_iter()
        .map(|(role, cert)| {
            vec![
                role.to_string(),
                cert.subject().to_owned(),
                cert.thumbprint().to_string(),
                date(cert.not_after()),
            ]
        })
        .collect();
    print(&format!("Created the vault {}\n", dir.display()))?;
    print(&table::render(
        &["CA", "SUBJECT", "THUMBPRINT", "NOT AFTER"],
        &rows,
    ))?;
    let issuer = state
        .cas()
        .last()
        .map(|(_, c)| (c.subject().to_owned(), c.not_after()));
    let (issuer, until) = issuer.map_or((String::new(), String::new()), |(s, t)| (s, date(t)));
    print(&format!(
        "Application certificates are issued by '{issuer}' for {} year(s), never past {until} \
         (the issuing CA's expiry); CRLs are valid for {} day(s).\n",
        state.config.cert_years, state.config.crl_days
    ))?;
    Ok(EXIT_OK)
}

fn read_input(name: &str) -> Result<Vec<u8>, CliError> {
    if name == "-" {
        let mut bytes = Vec::new();
        std::io::stdin()
            .read_to_end(&mut bytes)
            .map_err(|source| CliError::File {
                action: "read the CSR from",
                path: PathBuf::from("stdin"),
                source,
            })?;
        return Ok(bytes);
    }
    std::fs::read(name).map_err(|source| CliError::File {
        action: "read the CSR",
        path: PathBuf::from(name),
        source,
    })
}

fn sign(vault: &Vault, args: &SignArgs, now: OffsetDateTime) -> Result<u8, CliError> {
    let csr = read_input(&args.csr)?;
    let options = SignOptions {
        application_uri: args.app_uri.clone(),
        cert_type: args.cert_type,
        years: args.years,
    };
    let signed = vault.sign(&csr, &options, now)?;
    let record = &signed.record;
    note(&format!(
        "Issued '{}' for {} ({}): serial {}, thumbprint {}, valid until {}.",
        record.subject,
        record.application_uri,
        record.cert_type,
        record.serial,
        record.thumbprint,
        timestamp(record.not_after)
    ));
    match &args.out_dir {
        Some(dir) => {
            std::fs::create_dir_all(dir).map_err(|source| CliError::File {
                action: "create",
                path: dir.clone(),
                source,
            })?;
            let path = dir.join(format!(
                "{} [{}].der",
                signed.certificate.file_stem(),
                record.thumbprint
            ));
            std::fs::write(&path, signed.certificate.der()).map_err(|source| CliError::File {
                action: "write",
                path: path.clone(),
                source,
            })?;
            print(&format!("{}\n", path.display()))?;
        }
        None => print(&format!(
            "{}\n",
            base64::engine::general_purpose::STANDARD.encode(signed.certificate.der())
        ))?,
    }
    Ok(EXIT_OK)
}

fn push_hub(push: &PushArgs) -> Result<ServiceClient, CliError> {
    let hub = push.hub.as_deref().ok_or_else(|| {
        CliError::Vault(VaultError::Invalid(
            "--where needs the hub: --hub or IOTHUB_CONNECTION_STRING".to_owned(),
        ))
    })?;
    Ok(ServiceClient::from_connection_string(
        hub,
        hub_trust(push.hub_ca.as_ref())?,
    )?)
}

fn push_options(push: &PushArgs) -> ProvisionOptions {
    ProvisionOptions {
        timeout: push.timeout,
        crl_only: true,
        concurrency: push.fleet.concurrency,
        ..ProvisionOptions::default()
    }
}

/// `revoke --where`: the certificates the matching stores report, then the CRLs everywhere.
fn revoke_where(
    vault: &Vault,
    args: &RevokeArgs,
    condition: &str,
    now: OffsetDateTime,
) -> Result<u8, CliError> {
    let hub = push_hub(&args.push)?;
    let query = crate::fleet::query_of(condition);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(CliError::Runtime)?;
    let twins = runtime
        .block_on(hub.query_twins(&query, Some(1000)))
        .map_err(|e| {
            VaultError::Invalid(format!(
                "the query {query:?} failed: {}",
                crate::error_chain(&e)
            ))
        })?;
    let index = vault.read()?.index;
    let mut revoked = 0;
    for target in crate::fleet::targets_of(&twins) {
        let twin = twins
            .iter()
            .find(|t| t.device_id == target.device && t.module_id == target.target.module);
        let thumbprint = twin.and_then(|t| target.target.reported(t)).and_then(|r| {
            r["applicationCert"]["thumbprint"]
                .as_str()
                .map(str::to_owned)
        });
        let Some(thumbprint) = thumbprint else {
            note(&format!("{target}: reports no application certificate"));
            continue;
        };
        match index.by_thumbprint(&thumbprint) {
            None => note(&format!(
                "{target}: {thumbprint} is not from this vault; left alone"
            )),
            Some(record) if record.status == crate::model::CertStatus::Revoked => {
                note(&format!("{target}: {thumbprint} was revoked before"));
            }
            Some(record) => {
                vault.revoke(&record.serial, args.reason, now)?;
                revoked += 1;
                print(&format!(
                    "Revoked {} '{}' of {target} ({}).\n",
                    record.serial, record.subject, args.reason
                ))?;
            }
        }
    }
    print(&format!(
        "{revoked} certificate(s) revoked; pushing the CRLs to every store.\n"
    ))?;
    drop(runtime);
    fleet_run(
        vault,
        &hub,
        crate::fleet::EVERY_STORE,
        "crl-push",
        push_options(&args.push),
        &args.push.fleet,
        now,
    )
}

fn revoke(vault: &Vault, args: &RevokeArgs, now: OffsetDateTime) -> Result<u8, CliError> {
    if let Some(condition) = &args.push.fleet.where_ {
        return revoke_where(vault, args, condition, now);
    }
    let certificate = args.certificate.as_deref().unwrap_or_default();
    let revocation = vault.revoke(certificate, args.reason, now)?;
    let record = &revocation.record;
    if revocation.already_revoked {
        print(&format!(
            "{} '{}' ({}) was already revoked on {} ({}); nothing changed.\n",
            record.serial,
            record.subject,
            record.application_uri,
            record.revoked_at.map(timestamp).unwrap_or_default(),
            record.reason.unwrap_or(RevocationReason::Unspecified)
        ))?;
        return Ok(EXIT_OK);
    }
    print(&format!(
        "Revoked {} '{}' ({}): {}.\n",
        record.serial, record.subject, record.application_uri, args.reason
    ))?;
    if let Some(issued) = &revocation.crl {
        print(&crl_line(&issued.crl))?;
    }
    print("Push it to the modules with `opc-vault provision --crl-only --module …`.\n")?;
    Ok(EXIT_OK)
}

fn crl_line(crl: &pki::Crl) -> String {
    format!(
        "CRL of '{}': number {}, {} revoked, next update {}.\n",
        crl.issuer(),
        crl.crl_number().unwrap_or_default(),
        crl.revoked_count(),
        crl.next_update().map(timestamp).unwrap_or_default()
    )
}

fn crl(vault: &Vault, args: &CrlArgs, now: OffsetDateTime) -> Result<u8, CliError> {
    for issued in vault.issue_crls(args.days, now)? {
        print(&crl_line(&issued.crl))?;
    }
    match &args.push.fleet.where_ {
        None => Ok(EXIT_OK),
        Some(condition) => fleet_run(
            vault,
            &push_hub(&args.push)?,
            condition,
            "crl-push",
            push_options(&args.push),
            &args.push.fleet,
            now,
        ),
    }
}

fn pem(label: &str, der: &[u8]) -> String {
    let body = base64::engine::general_purpose::STANDARD.encode(der);
    let mut out = format!("-----BEGIN {label}-----\n");
    for line in body.as_bytes().chunks(64) {
        out.push_str(&String::from_utf8_lossy(line));
        out.push('\n');
    }
    out.push_str("-----END ");
    out.push_str(label);
    out.push_str("-----\n");
    out
}

fn ca(state: &VaultState, args: &CaArgs) -> Result<u8, CliError> {
    let encode = |label: &str, der: &[u8]| match args.format {
        Format::Pem => pem(label, der),
        Format::Base64 => format!(
            "{}\n",
            base64::engine::general_purpose::STANDARD.encode(der)
        ),
    };
    for (role, cert) in state.cas() {
        print(&encode("CERTIFICATE", cert.der()))?;
        if args.crls
            && let Some(crl) = state.crl(role)
        {
            print(&encode("X509 CRL", crl.der()))?;
        }
    }
    Ok(EXIT_OK)
}

fn list(state: &VaultState, now: OffsetDateTime) -> Result<u8, CliError> {
    let rows: Vec<Vec<String>> = state
        .index
        .certificates
        .iter()
        .map(|r| {
            let status = match (r.status, r.reason) {
                (CertStatus::Revoked, Some(reason)) => format!("revoked ({reason})"),
                (CertStatus::Revoked, None) => "revoked".to_owned(),
                (CertStatus::Valid, _) if r.not_after <= now => "expired".to_owned(),
                (CertStatus::Valid, _) => "valid".to_owned(),
            };
            vec![
                r.serial.clone(),
                r.subject.clone(),
                r.application_uri.clone(),
                date(r.not_after),
                r.days_left(now).to_string(),
                status,
            ]
        })
        .collect();
    print(&table::render(
        &[
            "SERIAL",
            "SUBJECT",
            "APPLICATION URI",
            "NOT AFTER",
            "DAYS LEFT",
            "STATUS",
        ],
        &rows,
    ))?;
    Ok(EXIT_OK)
}

fn hub_trust(hub_ca: Option<&PathBuf>) -> Result<TlsTrust, CliError> {
    Ok(match hub_ca {
        Some(path) => {
            TlsTrust::CaPem(
                std::fs::read_to_string(path).map_err(|source| CliError::File {
                    action: "read the hub CA",
                    path: path.clone(),
                    source,
                })?,
            )
        }
        None => TlsTrust::System,
    })
}

fn trust_config(vault: &Vault, args: &TrustConfigArgs) -> Result<u8, CliError> {
    let hub = ServiceClient::from_connection_string(&args.hub, hub_trust(args.hub_ca.as_ref())?)?
        .with_retry(crate::fleet::RETRY);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(CliError::Runtime)?;
    if args.delete {
        runtime
            .block_on(hub.delete_configuration(&args.id))
            .map_err(CliError::Hub)?;
        print(&format!("Deleted the configuration {}.\n", args.id))?;
        return Ok(EXIT_OK);
    }
    let mut extra = Vec::new();
    for entry in &args.extra {
        let (name, file) = entry.split_once('=').ok_or_else(|| {
            CliError::Vault(VaultError::Invalid(format!(
                "--ca {entry:?} is not NAME=FILE"
            )))
        })?;
        let path = PathBuf::from(file);
        let bytes = std::fs::read(&path).map_err(|source| CliError::File {
            action: "read the CA certificate",
            path: path.clone(),
            source,
        })?;
        let cert = pki::Certificate::from_der_or_pem(&bytes).map_err(|e| {
            CliError::Vault(VaultError::Invalid(format!("{}: {e}", path.display())))
        })?;
        extra.push((name.to_owned(), cert));
    }
    let options = crate::trust::TrustOptions {
        id: args.id.clone(),
        target_condition: args.target_condition.clone().unwrap_or_default(),
        priority: args.priority,
        targets: args.modules.clone(),
        name: args.name.clone(),
        extra,
    };
    let wanted = crate::trust::configuration(&vault.read()?, &options)?;
    let published = runtime.block_on(crate::trust::run(&hub, &wanted))?;
    note(&format!(
        "The configuration {} targets {:?} with priority {}; waiting until every targeted device applied it.",
        published.id, published.target_condition, published.priority
    ));
    let say = |counts: crate::trust::Counts| {
        note(&format!(
            "applied on {} of {} device(s)",
            counts.applied, counts.targeted
        ));
    };
    let counts = runtime.block_on(crate::trust::wait_applied(
        &hub,
        &args.id,
        args.timeout,
        Duration::from_millis(500),
        &say,
    ))?;
    print(&crate::table::render(
        &["CONFIGURATION", "TARGETED", "APPLIED"],
        &[vec![
            args.id.clone(),
            counts.targeted.to_string(),
            counts.applied.to_string(),
        ]],
    ))?;
    Ok(if counts.complete() {
        EXIT_OK
    } else {
        EXIT_FAILED
    })
}

fn serve(vault: &Vault, args: &ServeArgs) -> Result<u8, CliError> {
    let hub = ServiceClient::from_connection_string(&args.hub, hub_trust(args.hub_ca.as_ref())?)?;
    let hub_key = match hub_proto::ConnectionString::parse(&args.hub) {
        Ok(hub_proto::ConnectionString::Service {
            shared_access_key, ..
        }) => Some(shared_access_key.to_base64()),
        _ => None,
    };
    let options = crate::serve::ServeOptions {
        listen: args.listen,
        hub,
        hub_key,
        token: None,
        tls: args.tls_cert.clone().zip(args.tls_key.clone()),
        provision: ProvisionOptions {
            timeout: args.timeout,
            cert_type: args.cert_type,
            ..ProvisionOptions::default()
        },
    };
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(CliError::Runtime)?;
    runtime.block_on(async {
        let shutdown = tokio_util::sync::CancellationToken::new();
        let host = options.hub.host_name().to_owned();
        let served = crate::serve::start(vault.clone(), options, shutdown.clone()).await?;
        print(&format!(
            "The operator's page of vault {} and hub {host} is at\n\n    {}\n\n\
             Open that address (it logs in once), or log in with the token {} or the hub's \
             shared access key. Ctrl-C stops.\n",
            vault.dir().display(),
            served.url,
            served.token,
        ))?;
        let _ = tokio::signal::ctrl_c().await;
        note("Stopping.");
        shutdown.cancel();
        served.stopped().await;
        Ok::<_, CliError>(())
    })?;
    Ok(EXIT_OK)
}

fn rotate(vault: &Vault, args: &RotateArgs, now: OffsetDateTime) -> Result<u8, CliError> {
    let hub = ServiceClient::from_connection_string(&args.hub, hub_trust(args.hub_ca.as_ref())?)?;
    let options = ProvisionOptions {
        timeout: args.timeout,
        renew_days: args.days,
        cert_type: args.cert_type,
        concurrency: args.fleet.concurrency,
        ..ProvisionOptions::default()
    };
    let condition = args
        .fleet
        .where_
        .clone()
        .unwrap_or_else(|| crate::fleet::EVERY_STORE.to_owned());
    // A resumed run's CRLs were issued by the run it continues.
    if !args.fleet.resume && crate::fleet::crls_due(&vault.read()?, args.days, now) {
        for issued in vault.issue_crls(None, now)? {
            note(&format!(
                "rotate: a CRL was due within {} days; {}",
                args.days,
                crl_line(&issued.crl).trim_end()
            ));
        }
    }
    fleet_run(vault, &hub, &condition, "rotate", options, &args.fleet, now)
}

/// A fleet run of `command` over the targets `condition` selects: progress on stderr (a bar
/// on a terminal), the table or the JSON summary on stdout; exit 1 unless every target is ok.
fn fleet_run(
    vault: &Vault,
    hub: &ServiceClient,
    condition: &str,
    command: &str,
    provision: ProvisionOptions,
    args: &FleetArgs,
    now: OffsetDateTime,
) -> Result<u8, CliError> {
    use std::io::IsTerminal as _;

    // A fleet run makes many calls: more patience with a throttling hub than one command's.
    let hub = &hub.clone().with_retry(crate::fleet::RETRY);
    let options = crate::fleet::FleetOptions {
        query: crate::fleet::query_of(condition),
        provision,
        command: command.to_owned(),
        resume: args.resume,
    };
    note(&format!(
        "{command}: {} through {}",
        options.query,
        hub.host_name()
    ));
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(CliError::Runtime)?;
    let bar = std::io::stderr().is_terminal();
    // On a terminal a progress bar replaces the per-target lines; elsewhere (logs, CI) every
    // line is kept.
    let progress: provision::ProgressSink = if bar {
        Arc::new(|line| {
            if line.target.is_none() {
                note(&format!("\r\x1b[K{line}"));
            }
        })
    } else {
        Arc::new(|line| note(&line.to_string()))
    };
    let tally: Arc<
        std::sync::Mutex<(
            usize,
            std::collections::BTreeMap<crate::fleet::Column, usize>,
        )>,
    > = Arc::default();
    let done: Option<crate::fleet::FleetDoneSink> = bar.then(|| {
        let tally = Arc::clone(&tally);
        Arc::new(move |report: &provision::TargetReport, total: usize| {
            let mut tally = tally
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            tally.0 += 1;
            *tally
                .1
                .entry(crate::fleet::classify(report.status(), None))
                .or_insert(0) += 1;
            let line = crate::fleet::progress_bar(tally.0, total, &tally.1, 30);
            let _ = write!(std::io::stderr().lock(), "\r\x1b[K{line}");
        }) as crate::fleet::FleetDoneSink
    });
    let report = runtime.block_on(crate::fleet::run(vault, hub, &options, now, progress, done))?;
    if bar {
        note("");
    }
    if args.json {
        let json = serde_json::to_string_pretty(&report).unwrap_or_default();
        print(&format!("{json}\n"))?;
    } else {
        print(&crate::fleet::table(&report))?;
    }
    note(&format!(
        "run {} ({} target(s)); its journal is {}/runs/{}.jsonl{}",
        report.run,
        report.targets,
        vault.dir().display(),
        report.run,
        if report.all_ok() {
            ""
        } else {
            "; --resume continues it"
        }
    ));
    Ok(if report.all_ok() {
        EXIT_OK
    } else {
        EXIT_FAILED
    })
}

fn provision(vault: &Vault, args: &ProvisionArgs, now: OffsetDateTime) -> Result<u8, CliError> {
    let trust = hub_trust(args.hub_ca.as_ref())?;
    let hub = ServiceClient::from_connection_string(&args.hub, trust)?;
    let options = ProvisionOptions {
        timeout: args.timeout,
        crl_only: args.crl_only,
        renew_days: args.renew_days,
        cert_type: args.cert_type,
        concurrency: args.fleet.concurrency,
        ..ProvisionOptions::default()
    };
    let device = match (&args.fleet.where_, &args.device) {
        (Some(condition), _) => {
            let command = if args.crl_only {
                "crl-push"
            } else {
                "provision"
            };
            return fleet_run(vault, &hub, condition, command, options, &args.fleet, now);
        }
        (None, Some(device)) => device,
        // clap requires one of the two.
        (None, None) => {
            return Err(CliError::Vault(VaultError::Invalid(
                "name the device (--device) or the targets (--where)".to_owned(),
            )));
        }
    };
    note(&format!(
        "Provisioning {} target(s) of device {} through {}{}.",
        args.modules.len(),
        device,
        hub.host_name(),
        if args.crl_only { " (CRLs only)" } else { "" }
    ));
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(CliError::Runtime)?;
    let progress: provision::ProgressSink = Arc::new(|line| note(&line.to_string()));
    let reports = runtime.block_on(provision::provision(
        vault,
        &hub,
        device,
        &args.modules,
        &options,
        now,
        progress,
    ))?;
    print(&report_table(&reports))?;
    let failed: Vec<String> = reports
        .iter()
        .filter(|r| !r.succeeded())
        .map(|r| r.target.to_string())
        .collect();
    if failed.is_empty() {
        return Ok(EXIT_OK);
    }
    // Each failure was printed with its reason when it happened.
    note(&format!(
        "{} of {} target(s) failed: {}",
        failed.len(),
        reports.len(),
        failed.join(", ")
    ));
    Ok(EXIT_FAILED)
}

/// The final table of `provision`.
#[must_use]
pub fn report_table(reports: &[TargetReport]) -> String {
    let rows: Vec<Vec<String>> = reports
        .iter()
        .map(|r| {
            vec![
                r.target.module.clone(),
                r.target.store.clone().unwrap_or_else(|| "-".to_owned()),
                r.thumbprint.clone().unwrap_or_else(|| "-".to_owned()),
                r.not_after.map_or_else(|| "-".to_owned(), date),
                r.status().to_owned(),
                format!("{:.1}s", r.elapsed.as_secs_f64()),
            ]
        })
        .collect();
    table::render(
        &[
            "MODULE",
            "STORE",
            "THUMBPRINT",
            "NOT AFTER",
            "STATUS",
            "ELAPSED",
        ],
        &rows,
    )
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    #[test]
    fn durations_take_the_usual_units_and_refuse_others() {
        assert_eq!(duration("60s").unwrap(), Duration::from_mins(1));
        assert_eq!(duration("90").unwrap(), Duration::from_secs(90));
        assert_eq!(duration("2m").unwrap(), Duration::from_mins(2));
        assert_eq!(duration("1500ms").unwrap(), Duration::from_millis(1500));
        assert!(duration("soon").is_err());
        assert!(duration("5d").unwrap_err().contains("unknown unit 'd'"));
    }

    #[test]
    fn targets_are_modules_or_modules_with_a_store_and_bad_names_are_refused() {
        let cli = Cli::try_parse_from([
            "opc-vault",
            "provision",
            "--module",
            "opcplc,certagent:dotnetplc",
            "--module",
            "opcclient",
            "--hub",
            "HostName=h;SharedAccessKeyName=k;SharedAccessKey=a2V5",
            "--device",
            "edge",
        ])
        .unwrap();
        let Command::Provision(args) = cli.command else {
            panic!("not provision");
        };
        assert_eq!(
            args.modules,
            vec![
                Target::own("opcplc"),
                Target::store("certagent", "dotnetplc"),
                Target::own("opcclient")
            ]
        );
        assert_eq!(args.timeout, Duration::from_mins(1));
        assert_eq!(args.renew_days, 30);
        assert!(
            Cli::try_parse_from([
                "opc-vault",
                "provision",
                "--module",
                "a:.hidden",
                "--hub",
                "x",
                "--device",
                "d"
            ])
            .is_err()
        );
    }

    #[test]
    fn intermediate_options_need_intermediate_and_key_sizes_are_checked() {
        assert!(
            Cli::try_parse_from(["opc-vault", "init", "--intermediate-subject", "CN=x"]).is_err()
        );
        assert!(Cli::try_parse_from(["opc-vault", "init", "--key-bits", "1024"]).is_err());
        assert!(
            Cli::try_parse_from(["opc-vault", "init", "--key-bits", "3072", "--intermediate"])
                .is_ok()
        );
    }
}
