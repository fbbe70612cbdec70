//! The 2018 OPC PLC's and OPC Client's console and file dialect (Serilog's default console
//! template): `[HH:mm:ss INF] message`, levels `VRB DBG INF WRN ERR FTL`.
//!
//! A `tracing` event with the field `fatal = true` is printed as `FTL` (tracing has no fatal
//! level). Fields other than the message follow it as `key=value`, so operator lines that
//! mirror the reference (no fields) come out exactly as the reference prints them.

use std::fmt::{self, Write as _};
use std::path::{Path, PathBuf};
use std::time::Duration;

use tracing::field::{Field, Visit};
use tracing::{Event, Level, Subscriber};
use tracing_appender::non_blocking::WorkerGuard;
use tracing_subscriber::EnvFilter;
use tracing_subscriber::fmt::format::Writer;
use tracing_subscriber::fmt::{FmtContext, FormatEvent, FormatFields};
use tracing_subscriber::layer::{Context, Layer, SubscriberExt as _};
use tracing_subscriber::registry::LookupSpan;
use tracing_subscriber::util::SubscriberInitExt as _;

/// The Serilog-style formatter.
#[derive(Debug, Clone, Copy, Default)]
pub struct SerilogFormat;

impl<S, N> FormatEvent<S, N> for SerilogFormat
where
    S: Subscriber + for<'a> LookupSpan<'a>,
    N: for<'a> FormatFields<'a> + 'static,
{
    fn format_event(
        &self,
        _ctx: &FmtContext<'_, S, N>,
        mut writer: Writer<'_>,
        event: &Event<'_>,
    ) -> fmt::Result {
        let mut fields = Fields::default();
        event.record(&mut fields);
        let now = time::OffsetDateTime::now_utc();
        let level = level_name(*event.metadata().level(), fields.fatal);
        writeln!(
            writer,
            "{}",
            line(
                now.hour(),
                now.minute(),
                now.second(),
                level,
                &fields.text()
            )
        )
    }
}

/// Serilog's three-letter level names; `fatal` marks an error as `FTL`.
#[must_use]
pub fn level_name(level: Level, fatal: bool) -> &'static str {
    match level {
        Level::TRACE => "VRB",
        Level::DEBUG => "DBG",
        Level::INFO => "INF",
        Level::WARN => "WRN",
        Level::ERROR if fatal => "FTL",
        Level::ERROR => "ERR",
    }
}

/// One console line: `[HH:mm:ss LVL] message`.
#[must_use]
pub fn line(hour: u8, minute: u8, second: u8, level: &str, message: &str) -> String {
    format!("[{hour:02}:{minute:02}:{second:02} {level}] {message}")
}

/// The `tracing` filter directive for a module's `--ll` value (2018 names, HEAD names too).
#[must_use]
pub fn filter_for(log_level: &str) -> Option<&'static str> {
    Some(match log_level.to_ascii_lowercase().as_str() {
        "fatal" | "critical" | "error" => "error",
        "warn" | "warning" => "warn",
        "info" | "information" => "info",
        "debug" => "debug",
        "verbose" | "trace" => "trace",
        _ => return None,
    })
}

#[derive(Debug, Default)]
struct Fields {
    message: String,
    rest: String,
    fatal: bool,
    /// `log.target` of an event from the `log` bridge.
    log_target: Option<String>,
}

impl Fields {
    fn text(&self) -> String {
        if self.rest.is_empty() {
            self.message.clone()
        } else {
            format!("{}{}", self.message, self.rest)
        }
    }
}

impl Visit for Fields {
    // `log.*` fields come from the `log` bridge (open62541's logger): file and line noise.
    fn record_u64(&mut self, field: &Field, value: u64) {
        if !field.name().starts_with("log.") {
            let _ = write!(self.rest, " {}={value}", field.name());
        }
    }

    fn record_bool(&mut self, field: &Field, value: bool) {
        if field.name() == "fatal" {
            self.fatal = value;
        } else {
            let _ = write!(self.rest, " {}={value}", field.name());
        }
    }

    fn record_str(&mut self, field: &Field, value: &str) {
        if field.name() == "message" {
            value.clone_into(&mut self.message);
        } else if field.name() == "log.target" {
            self.log_target = Some(value.to_owned());
        } else if !field.name().starts_with("log.") {
            let _ = write!(self.rest, " {}={value}", field.name());
        }
    }

    fn record_debug(&mut self, field: &Field, value: &dyn fmt::Debug) {
        if field.name() == "message" {
            self.message = format!("{value:?}");
        } else if !field.name().starts_with("log.") {
            let _ = write!(self.rest, " {}={value:?}", field.name());
        }
    }
}

/// open62541 warnings about the configuration it starts from, which the module replaces before
/// it is used: the stack installs the default access control and (the client's default
/// encryption, and the server's on the mbedTLS build) an accept-all certificate verification
/// without trust lists, then `ua` installs our `pki` verifier and access control. The access-control plugin logs its two lines at every
/// installation, the first with its name "Unconfigured", the second for the user-token policy
/// of the discovery-only `None` policy (an X509 token carries a certificate and a signature,
/// no secret). Operators read them as alarms that are not true of the running server, so they
/// are shown only at `--ll debug` and `verbose` (as warnings, unchanged).
pub const STACK_SETUP_WARNINGS: &[&str] = &[
    "Empty trustlist passed. Leaving the previously configured certificate verification in place",
    "AccessControl: Unconfigured AccessControl. Users have all permissions.",
    "x509 Certificate Authentication configured, but no encrypting SecurityPolicy. This can leak credentials on the network.",
];

/// Drops [`STACK_SETUP_WARNINGS`] (from open62541's log bridge, target `open62541_sys`).
#[derive(Debug, Clone, Copy, Default)]
pub struct QuietStackSetup;

impl QuietStackSetup {
    /// Whether an event with this target, level and message is one of the set-up warnings.
    #[must_use]
    pub fn is_setup_warning(target: &str, level: Level, message: &str) -> bool {
        target == "open62541_sys"
            && level == Level::WARN
            && STACK_SETUP_WARNINGS.iter().any(|w| message.ends_with(w))
    }
}

impl<S: Subscriber> Layer<S> for QuietStackSetup {
    fn event_enabled(&self, event: &Event<'_>, _ctx: Context<'_, S>) -> bool {
        let meta = event.metadata();
        if *meta.level() != Level::WARN {
            return true;
        }
        let mut fields = Fields::default();
        event.record(&mut fields);
        // Events of the `log` bridge name their real target in the `log.target` field.
        let target = fields.log_target.as_deref().unwrap_or(meta.target());
        !Self::is_setup_warning(target, *meta.level(), &fields.message)
    }
}

/// Opens the `--lf` log file for appending (created if missing) and starts a thread that syncs
/// it to the disk every `flush_interval` (`--lt`; 0 is taken as 1 s), as Serilog's
/// `flushToDiskInterval` does for the reference. Lines reach the file (the OS) as soon as the
/// logging worker writes them; the interval bounds what a power loss can take.
pub fn open_log_file(path: &Path, flush_interval: Duration) -> std::io::Result<std::fs::File> {
    let file = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)?;
    let syncer = file.try_clone()?;
    let interval = flush_interval.max(Duration::from_secs(1));
    std::thread::Builder::new()
        .name("log-flush".to_owned())
        .spawn(move || {
            loop {
                std::thread::sleep(interval);
                // A failed sync is retried at the next interval; the lines are already written.
                let _ = syncer.sync_data();
            }
        })?;
    Ok(file)
}

/// Argument id of `--lf` (for `mut_arg`, to add the application's environment variable).
pub const LOG_FILE: &str = "log_file";
/// Argument id of `--ll` (for `mut_arg`, to add the application's environment variable).
pub const LOG_LEVEL: &str = "log_level";

/// The log options of the reference apps (`--lf`, `--ll`, `--lt`); a module flattens them into
/// its command line and sets the environment variables and help texts with `mut_arg`.
#[derive(Debug, Clone, clap::Args)]
pub struct LogArgs {
    /// The log file (written only when given).
    #[arg(long = "logfile", visible_alias = "lf")]
    pub log_file: Option<PathBuf>,
    /// The log level: fatal, error, warn, info, debug, verbose.
    #[arg(long = "loglevel", visible_alias = "ll", default_value = "info")]
    pub log_level: String,
    /// Seconds between flushes of the log file to disk.
    #[arg(
        long = "logflushtimespan",
        visible_alias = "lt",
        default_value_t = 30,
        help = "Seconds between flushes of the log file to disk (lines reach the file as they come; every interval the file is synced to the disk, like Serilog's flushToDiskInterval)"
    )]
    pub log_flush_seconds: u64,
}

impl LogArgs {
    /// The module's logging as given on its command line (the file synced every `--lt`
    /// seconds), with its own extra `directives` (e.g. `open62541_sys=warn`).
    #[must_use]
    pub fn setup<'a>(&'a self, directives: &'a str) -> LogSetup<'a> {
        LogSetup {
            level: &self.log_level,
            file: self.log_file.as_deref(),
            flush_interval: Some(Duration::from_secs(self.log_flush_seconds)),
            directives,
        }
    }
}

/// How a module logs: the console always, a file with the same lines when `--lf` is given.
#[derive(Debug, Clone, Copy)]
pub struct LogSetup<'a> {
    /// The `--ll` value (2018 or HEAD names, see [`filter_for`]).
    pub level: &'a str,
    /// The `--lf` file, already resolved against the working directory (its directory is
    /// created; the file is appended to).
    pub file: Option<&'a Path>,
    /// `Some(--lt)`: sync the file to the disk at that interval ([`open_log_file`]); `None`: the
    /// lines are written as they come and left to the OS.
    pub flush_interval: Option<Duration>,
    /// Extra `tracing` filter directives after the level, e.g. `open62541=warn`.
    pub directives: &'a str,
}

/// Why logging could not be set up (the module exits with a usage error).
#[derive(Debug, thiserror::Error)]
pub enum LogInitError {
    /// `--ll` names no known level.
    #[error("unknown log level '{0}'")]
    UnknownLevel(String),
    /// `--lf` ends without a file name.
    #[error("the log file has no file name")]
    NoFileName,
    /// The log file's directory could not be created.
    #[error("cannot create {}", .dir.display())]
    CreateDir {
        /// The directory.
        dir: PathBuf,
        /// Why.
        #[source]
        source: std::io::Error,
    },
    /// The log file could not be opened.
    #[error("cannot open the log file {}", .path.display())]
    Open {
        /// The file.
        path: PathBuf,
        /// Why.
        #[source]
        source: std::io::Error,
    },
    /// A global subscriber was already installed.
    #[error("cannot set up logging")]
    Init(#[source] tracing_subscriber::util::TryInitError),
}

/// [`init`] for a module whose `--lf` file (`setup.file`) is relative to `working_dir` (an
/// absolute `--lf` stays as given).
pub fn init_in(
    working_dir: &Path,
    setup: &LogSetup<'_>,
) -> Result<Option<WorkerGuard>, LogInitError> {
    let file = setup.file.map(|path| working_dir.join(path));
    init(&LogSetup {
        file: file.as_deref(),
        ..*setup
    })
}

/// [`init_in`] for a module's `main`: a failure is printed to stderr with its causes
/// (`error: cause: …`) and gives the usage exit code 2.
pub fn init_for_main(
    working_dir: &Path,
    setup: &LogSetup<'_>,
) -> Result<Option<WorkerGuard>, std::process::ExitCode> {
    init_in(working_dir, setup).map_err(|e| {
        eprintln!("{}", with_causes(&e));
        std::process::ExitCode::from(2)
    })
}

/// `error: cause: cause …`, the way `anyhow` shows an error with `{:#}`, for one log line.
#[must_use]
pub fn with_causes(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}

/// Installs the global subscriber: [`SerilogFormat`] lines on stdout and, with a file, the same
/// lines (no colours) written off the logging thread. Keep the returned guard until exit: it
/// flushes the file's pending lines when dropped.
pub fn init(setup: &LogSetup<'_>) -> Result<Option<WorkerGuard>, LogInitError> {
    let level = filter_for(setup.level)
        .ok_or_else(|| LogInitError::UnknownLevel(setup.level.to_owned()))?;
    let console = tracing_subscriber::fmt::layer()
        .event_format(SerilogFormat)
        .with_writer(std::io::stdout);
    let (file, guard) = match setup.file {
        Some(path) => {
            let dir = path.parent().map(PathBuf::from).unwrap_or_default();
            let name = path.file_name().ok_or(LogInitError::NoFileName)?;
            std::fs::create_dir_all(&dir).map_err(|source| LogInitError::CreateDir {
                dir: dir.clone(),
                source,
            })?;
            let full = dir.join(name);
            let opened = match setup.flush_interval {
                Some(interval) => open_log_file(&full, interval),
                None => std::fs::OpenOptions::new()
                    .create(true)
                    .append(true)
                    .open(&full),
            };
            let file = opened.map_err(|source| LogInitError::Open {
                path: path.to_owned(),
                source,
            })?;
            let (writer, guard) = tracing_appender::non_blocking(file);
            let layer = tracing_subscriber::fmt::layer()
                .event_format(SerilogFormat)
                .with_ansi(false)
                .with_writer(writer);
            (Some(layer), Some(guard))
        }
        None => (None, None),
    };
    let filter = if setup.directives.is_empty() {
        level.to_owned()
    } else {
        format!("{level},{}", setup.directives)
    };
    // Below debug the stack's set-up warnings are noise (see `STACK_SETUP_WARNINGS`).
    let quiet = matches!(level, "error" | "warn" | "info").then_some(QuietStackSetup);
    tracing_subscriber::registry()
        .with(EnvFilter::new(filter))
        .with(quiet)
        .with(console)
        .with(file)
        .try_init()
        .map_err(LogInitError::Init)?;
    Ok(guard)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    #[test]
    fn the_log_options_have_the_reference_names_and_defaults() {
        use clap::Parser as _;
        #[derive(Debug, clap::Parser)]
        struct Cli {
            #[command(flatten)]
            log: LogArgs,
        }
        let defaults = Cli::try_parse_from(["app"]).unwrap().log;
        assert_eq!(defaults.log_file, None);
        assert_eq!(defaults.log_level, "info");
        assert_eq!(defaults.log_flush_seconds, 30);
        let given =
            Cli::try_parse_from(["app", "--lf=x.log", "--ll", "debug", "--logflushtimespan=5"])
                .unwrap()
                .log;
        assert_eq!(given.log_file, Some(PathBuf::from("x.log")));
        assert_eq!(given.log_level, "debug");
        assert_eq!(given.log_flush_seconds, 5);
    }

    #[test]
    fn an_init_failure_is_shown_with_its_causes() {
        let err = LogInitError::Open {
            path: PathBuf::from("/logs/plc.log"),
            source: std::io::Error::other("denied"),
        };
        assert_eq!(
            with_causes(&err),
            "cannot open the log file /logs/plc.log: denied"
        );
        assert_eq!(
            with_causes(&LogInitError::NoFileName),
            "the log file has no file name"
        );
    }

    #[test]
    fn a_line_has_the_serilog_console_shape() {
        assert_eq!(
            line(9, 5, 7, "INF", "Trusted issuer store contains 0 certs"),
            "[09:05:07 INF] Trusted issuer store contains 0 certs"
        );
    }

    #[test]
    fn levels_use_serilog_names_and_fatal_errors_are_ftl() {
        assert_eq!(level_name(Level::TRACE, false), "VRB");
        assert_eq!(level_name(Level::DEBUG, false), "DBG");
        assert_eq!(level_name(Level::INFO, false), "INF");
        assert_eq!(level_name(Level::WARN, false), "WRN");
        assert_eq!(level_name(Level::ERROR, false), "ERR");
        assert_eq!(level_name(Level::ERROR, true), "FTL");
    }

    #[test]
    fn the_log_file_is_appended_to_and_written_at_once() {
        use std::io::Write as _;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("host-plc.log");
        std::fs::write(&path, "old\n").unwrap();
        let mut file = open_log_file(&path, std::time::Duration::from_secs(30)).unwrap();
        writeln!(file, "new").unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "old\nnew\n");
        assert!(
            open_log_file(&dir.path().join("missing/x.log"), std::time::Duration::ZERO).is_err()
        );
    }

    #[test]
    fn bad_log_settings_are_refused_before_anything_is_installed() {
        let dir = tempfile::tempdir().unwrap();
        let setup = |level, file| LogSetup {
            level,
            file,
            flush_interval: None,
            directives: "",
        };
        let err = init(&setup("loud", None)).unwrap_err();
        assert_eq!(err.to_string(), "unknown log level 'loud'");
        let blocker = dir.path().join("file");
        std::fs::write(&blocker, "").unwrap();
        let under_a_file = blocker.join("x.log");
        let err = init(&setup("info", Some(&under_a_file))).unwrap_err();
        assert!(matches!(err, LogInitError::CreateDir { .. }), "{err}");
        let err = init(&setup("info", Some(Path::new("/")))).unwrap_err();
        assert!(matches!(err, LogInitError::NoFileName), "{err}");
    }

    #[test]
    fn only_the_stack_set_up_warnings_are_recognised() {
        // The message as the open62541 crate's bridge logs it: "(category) text".
        let access =
            "(server) AccessControl: Unconfigured AccessControl. Users have all permissions.";
        assert!(QuietStackSetup::is_setup_warning(
            "open62541_sys",
            Level::WARN,
            access
        ));
        let trust = "(userland) Empty trustlist passed. Leaving the previously configured certificate verification in place";
        assert!(QuietStackSetup::is_setup_warning(
            "open62541_sys",
            Level::WARN,
            trust
        ));
        // Another level, target or message is kept.
        assert!(!QuietStackSetup::is_setup_warning(
            "open62541_sys",
            Level::ERROR,
            access
        ));
        assert!(!QuietStackSetup::is_setup_warning(
            "opcplc",
            Level::WARN,
            access
        ));
        let other =
            "(securechannel) Connection 5 | SecureChannel 3 | Could not verify the certificate";
        assert!(!QuietStackSetup::is_setup_warning(
            "open62541_sys",
            Level::WARN,
            other
        ));
    }

    #[test]
    fn log_levels_of_both_generations_are_understood() {
        assert_eq!(filter_for("verbose"), Some("trace"));
        assert_eq!(filter_for("Fatal"), Some("error"));
        assert_eq!(filter_for("loud"), None);
    }
}
