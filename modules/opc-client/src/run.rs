//! The client's start-up in the reference order (docs/reference/opc-ua-apps.md §2.5): greeting,
//! store configuration, the certificate batch, the "Application certificate is for …" line, the CSR
//! block, the store listing, the actions; then one task per session (and the `--di` diagnostics)
//! until shutdown.

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use module_cli::csr::ApplicationType;
use module_cli::startup::{self, Application, StartupError};
use module_runtime::twin::{PolicySink, RejectionReasons, TwinPki, TwinPkiOptions};
use pki::{FolderFingerprint, LogLine, Store, ValidationOptions, Validator};
use time::OffsetDateTime;
use tokio::sync::watch;
use tokio::task::JoinSet;
use ua::Identity;

use crate::action::{self, Action, ActionFileError, SessionActions};
use crate::config::{APPLICATION_NAME, Config, PRODUCT_URI};
use crate::session::{self, Printer, Refusals, Shared};

/// The client's last line when start-up fails.
pub const FAILED_UNEXPECTEDLY: &str = "OPC client failed unexpectedly.";

/// Why the client stopped with an error (operator lines are already logged).
#[derive(Debug, thiserror::Error)]
pub enum RunError {
    /// The certificate start-up failed (store, batch, `--to`, `--csr`).
    #[error(transparent)]
    Startup(#[from] StartupError),
    /// The action file exists but cannot be read or is invalid.
    #[error("the action configuration file '{file}' is invalid: {source}")]
    ActionFile {
        /// The file.
        file: PathBuf,
        /// Where and what.
        #[source]
        source: ActionFileError,
    },
}

impl RunError {
    /// The process exit code: 2 for configuration input (action file), 1 otherwise.
    #[must_use]
    pub fn exit_code(&self) -> u8 {
        match self {
            Self::ActionFile { .. } => 2,
            Self::Startup(_) => 1,
        }
    }
}

/// Runs the client until `shutdown` turns true (or its sender is dropped). `print` gets the
/// lines the reference writes without a log prefix (the base64 CSR, session failure reasons).
pub async fn run(
    config: Config,
    mut shutdown: watch::Receiver<bool>,
    print: Printer,
) -> Result<(), RunError> {
    let prepared = match prepare(&config, &print) {
        Ok(prepared) => prepared,
        Err(err) => {
            if let RunError::Startup(StartupError::Provision(p)) = &err {
                LogLine::error(p.step().failure_line()).emit();
            }
            if let RunError::ActionFile { file, source } = &err {
                tracing::error!(target: "opcclient", "The action configuration file '{}' is invalid: {source}", file.display());
            }
            tracing::error!(target: "opcclient", fatal = true, "{FAILED_UNEXPECTEDLY}");
            return Err(err);
        }
    };
    let (store, validation, sessions, application_uri) = prepared;
    // On IoT Edge the twin drives the store: trust changes reach the validator through its
    // cache, a new own certificate the next session.
    let refusals = Arc::new(Refusals::default());
    let mut twin_options = TwinPkiOptions::new(application_uri, validation.clone());
    let reasons = Arc::clone(&refusals);
    twin_options.rejection_reasons = Some(RejectionReasons::new(move || reasons.reasons()));
    // Every session's verifiers share this validator: a twin policy reaches them all.
    let validator = Arc::new(Validator::new(store.clone(), validation));
    let policy_target = Arc::clone(&validator);
    twin_options.policy = Some(PolicySink::new(move |policy| {
        policy_target.set_options(policy);
    }));
    let twin = TwinPki::start_or_log(|k| std::env::var(k).ok(), store.clone(), twin_options);
    let actions: usize = sessions.iter().map(|s| s.actions.len()).sum();
    let recurring: usize = sessions
        .iter()
        .flat_map(|s| &s.actions)
        .filter(|a| a.interval > 0)
        .count();
    let (store_changes, _) = watch::channel(0);
    let shared = Arc::new(Shared {
        validator,
        config,
        store,
        print,
        connected: AtomicUsize::new(0),
        refusals,
        store_changes,
    });
    tracing::info!(target: "opcclient", "OpcClient is running. Press CTRL-C to quit.");

    let mut tasks = JoinSet::new();
    tasks.spawn(watch_store(Arc::clone(&shared), shutdown.clone()));
    let session_count = sessions.len();
    for spec in sessions {
        tasks.spawn(session::run(Arc::clone(&shared), spec, shutdown.clone()));
    }
    if shared.config.cli.diagnostics_interval > 0 {
        let counts = Counts {
            sessions: session_count,
            actions,
            recurring,
        };
        tasks.spawn(diagnostics(Arc::clone(&shared), counts, shutdown.clone()));
    }
    while !*shutdown.borrow() {
        if shutdown.changed().await.is_err() {
            break;
        }
    }
    while tasks.join_next().await.is_some() {}
    if let Some(twin) = twin {
        // Joining the driver's thread blocks; it ends within one reconciliation.
        let _ = tokio::task::spawn_blocking(move || twin.stop()).await;
    }
    tracing::info!(target: "opcclient", "OpcClient is shutting down.");
    Ok(())
}

/// How often the store is checked for changes that should end a session's wait.
const STORE_POLL: std::time::Duration = std::time::Duration::from_millis(250);

/// Bumps [`Shared::store_changes`] whenever the store's certificates, keys or CRLs change
/// (polling folder fingerprints, like the PLC's store watch: a mounted volume may not deliver
/// inotify events), until shutdown.
async fn watch_store(shared: Arc<Shared>, mut shutdown: watch::Receiver<bool>) {
    let dirs = shared.store.layout().content_directories();
    let mut seen = FolderFingerprint::read(dirs.clone()).ok();
    let mut ticks = tokio::time::interval(STORE_POLL);
    ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tokio::select! {
            _ = ticks.tick() => {}
            changed = shutdown.changed() => {
                if changed.is_err() || *shutdown.borrow() {
                    return;
                }
            }
        }
        let now = FolderFingerprint::read(dirs.clone()).ok();
        if now != seen {
            seen = now;
            shared
                .store_changes
                .send_modify(|generation| *generation += 1);
        }
    }
}

type Prepared = (Store, ValidationOptions, Vec<SessionActions>, String);

fn prepare(config: &Config, print: &Printer) -> Result<Prepared, RunError> {
    let cli = &config.cli;
    let dir = &config.working_dir;
    tracing::info!(target: "opcclient", "Current directory is: {}", dir.display());
    if let Some(file) = &cli.log.log_file {
        tracing::info!(target: "opcclient", "Log file is: {}", dir.join(file).display());
    }
    tracing::info!(target: "opcclient", "Log level is: {}", cli.log.log_level);
    tracing::info!(target: "opcclient", "{APPLICATION_NAME} V{} starting up...", env!("CARGO_PKG_VERSION"));
    let certs = &cli.certs;
    let mut identity = Identity::new(
        APPLICATION_NAME,
        &config.application_uri(),
        PRODUCT_URI,
        &config.host_name,
    );
    identity.extra_dns_names.clone_from(&certs.cert_dns_names);
    let app = Application {
        name: APPLICATION_NAME,
        product_uri: PRODUCT_URI,
        application_type: ApplicationType::Client,
    };
    let spec = identity.self_signed_spec();
    let started = startup::certificates(certs, dir, &app, spec, &mut |line| print(line))?;
    let (store, validation) = (started.store, started.validation);
    let contents = store.contents().map_err(StartupError::from)?;
    pki::emit_all(&pki::store_listing(&contents));

    let sessions = load_actions(config)?;
    Ok((store, validation, sessions, started.application_uri))
}

/// The action file (if any) plus the test actions, grouped into sessions, with their lines.
fn load_actions(config: &Config) -> Result<Vec<SessionActions>, RunError> {
    let cli = &config.cli;
    let file = config.config_file();
    tracing::info!(target: "opcclient", "Attemtping to load action configuration from: {}", file.display());
    let mut actions: Vec<Action> = match std::fs::read_to_string(&file) {
        Ok(text) => action::parse(&text, &cli.default_endpoint_url, 0).map_err(|source| {
            RunError::ActionFile {
                file: file.clone(),
                source,
            }
        })?,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            tracing::info!(target: "opcclient", "The action configuration file '{}' does not exist. Continue...", file.display());
            Vec::new()
        }
        Err(e) => {
            return Err(RunError::ActionFile {
                file: file.clone(),
                source: ActionFileError {
                    line: 0,
                    column: 0,
                    path: String::new(),
                    message: format!("cannot read the file: {e}"),
                },
            });
        }
    };
    if config.test_connectivity() {
        tracing::info!(target: "opcclient", "Creating test action to test connectivity");
        let id = actions.len();
        actions.push(action::test_action(id, &cli.default_endpoint_url, true));
    }
    if cli.test_unsecure_connectivity {
        tracing::info!(target: "opcclient", "Creating test action to test unsecured connectivity");
        let id = actions.len();
        actions.push(action::test_action(id, &cli.default_endpoint_url, false));
    }
    tracing::info!(target: "opcclient", "There is(are) {} action(s) configured.", actions.len());
    let sessions = action::group(actions);
    for session in &sessions {
        let security = if session.use_security {
            "with security"
        } else {
            "without security"
        };
        tracing::info!(target: "opcclient", "Actions on '{}' {security}.", session.endpoint_url);
        for a in &session.actions {
            if a.interval > 0 {
                tracing::info!(target: "opcclient", "{}, recurring each: {} sec", a.describe(), a.interval);
            } else {
                tracing::info!(target: "opcclient", "{}, executed once", a.describe());
            }
        }
    }
    Ok(sessions)
}

/// Fixed counts of the diagnostics block.
#[derive(Debug, Clone, Copy)]
struct Counts {
    sessions: usize,
    actions: usize,
    recurring: usize,
}

/// The `--di` block every interval (docs/reference/opc-ua-apps.md §2.5 `Diagnostics.cs`).
async fn diagnostics(shared: Arc<Shared>, counts: Counts, mut shutdown: watch::Receiver<bool>) {
    let started = OffsetDateTime::now_utc();
    let every = Duration::from_secs(shared.config.cli.diagnostics_interval);
    loop {
        tokio::select! {
            () = tokio::time::sleep(every) => {}
            changed = shutdown.changed() => {
                if changed.is_err() {
                    return;
                }
            }
        }
        if *shutdown.borrow() {
            return;
        }
        for line in diagnostics_lines(
            OffsetDateTime::now_utc(),
            started,
            counts,
            shared.connected.load(Ordering::Relaxed),
            working_set_mb(),
        ) {
            tracing::info!(target: "opcclient", "{line}");
        }
    }
}

fn diagnostics_lines(
    now: OffsetDateTime,
    started: OffsetDateTime,
    counts: Counts,
    connected: usize,
    working_set_mb: Option<u64>,
) -> Vec<String> {
    vec![
        "==========================================================================".to_owned(),
        format!(
            "OpcClient status @ {} (started @ {})",
            pki::dotnet_time(now),
            pki::dotnet_time(started)
        ),
        "---------------------------------".to_owned(),
        format!("OPC sessions: {}", counts.sessions),
        format!("connected OPC sessions: {connected}"),
        format!("# of actions: {}", counts.actions),
        format!("# of recurring actions: {}", counts.recurring),
        "---------------------------------".to_owned(),
        format!(
            "current working set in MB: {}",
            working_set_mb.map_or_else(|| "unknown".to_owned(), |mb| mb.to_string())
        ),
        "==========================================================================".to_owned(),
    ]
}

/// Resident set size in MiB (`VmRSS` of `/proc/self/status`).
fn working_set_mb() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmRSS:"))?;
    let kb: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_diagnostics_block_counts_sessions_and_actions() {
        let at = time::macros::datetime!(2018-10-20 20:54:42 UTC);
        let lines = diagnostics_lines(
            at,
            at,
            Counts {
                sessions: 2,
                actions: 3,
                recurring: 1,
            },
            1,
            Some(7),
        );
        assert_eq!(
            lines[1],
            "OpcClient status @ 10/20/2018 20:54:42 (started @ 10/20/2018 20:54:42)"
        );
        assert!(lines.contains(&"OPC sessions: 2".to_owned()));
        assert!(lines.contains(&"connected OPC sessions: 1".to_owned()));
        assert!(lines.contains(&"# of actions: 3".to_owned()));
        assert!(lines.contains(&"# of recurring actions: 1".to_owned()));
        assert!(lines.contains(&"current working set in MB: 7".to_owned()));
    }
}
