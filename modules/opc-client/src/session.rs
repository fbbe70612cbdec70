//! One session per (endpoint, security) (docs/reference/opc-ua-apps.md §2.4): a loop that connects
//! with the create-session backoff, runs each action when it is due, sends keep-alives and
//! disconnects after the missed-keep-alive threshold, then reconnects on a later wake-up.
//!
//! Deliberate differences from the reference: every action keeps its own interval (the
//! reference ran every action on every wake-up); nothing is executed, and nothing is logged
//! per action, while the session is down.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, PoisonError, Weak};
use std::time::Duration;

use pki::{PeerExpectations, Store, Thumbprint, Validator};
use tokio::sync::watch;
use tokio::time::Instant;
use ua::{Client, ClientError, ClientOptions, EndpointInfo, SecurityMode, Verifier};

use crate::action::{Action, ActionKind, SessionActions};
use crate::config::{APPLICATION_NAME, Config};
use crate::hosts;

/// Prints a line without a log prefix (the reference's exception lines and CSR).
pub type Printer = Arc<dyn Fn(&str) + Send + Sync>;

/// What every session shares.
pub struct Shared {
    /// The resolved configuration.
    pub config: Config,
    /// The client's PKI store.
    pub store: Store,
    /// The validator over the store (cached snapshot) and the policy in force (the command
    /// line's, or the twin's once it changed it).
    pub validator: Arc<Validator>,
    /// Lines without prefix.
    pub print: Printer,
    /// Sessions currently connected (for `--di`).
    pub connected: AtomicUsize,
    /// The verifiers of every session, for the twin's report of rejected certificates.
    pub refusals: Arc<Refusals>,
    /// Bumped whenever the store's certificates, keys or CRLs change (the twin, cert-agent, an
    /// operator): a session that failed to connect tries again at once instead of waiting out
    /// `--sw` (a new trust list or own certificate is exactly what it was waiting for).
    pub store_changes: watch::Sender<u64>,
}

/// The verifiers the sessions use, so their refusals can be reported (the twin's `rejected`).
#[derive(Debug, Default)]
pub struct Refusals {
    verifiers: Mutex<Vec<Weak<Verifier>>>,
}

impl Refusals {
    /// Remembers a verifier a session started to use (forgotten once no session holds it).
    pub fn track(&self, verifier: &Arc<Verifier>) {
        let mut verifiers = self
            .verifiers
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        verifiers.retain(|v| v.strong_count() > 0);
        verifiers.push(Arc::downgrade(verifier));
    }

    /// Thumbprint -> status of the refusals the live verifiers remember (the newest per
    /// certificate).
    #[must_use]
    pub fn reasons(&self) -> BTreeMap<Thumbprint, pki::StatusCode> {
        let verifiers = self
            .verifiers
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        let mut all: Vec<ua::Rejection> = verifiers
            .iter()
            .filter_map(Weak::upgrade)
            .flat_map(|v| v.rejections())
            .collect();
        all.sort_by_key(|r| r.at);
        all.into_iter().map(|r| (r.thumbprint, r.status)).collect()
    }
}

impl std::fmt::Debug for Shared {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Shared")
            .field("connected", &self.connected)
            .finish_non_exhaustive()
    }
}

/// Why a session could not be created.
#[derive(Debug, thiserror::Error)]
enum ConnectError {
    #[error("the server offers no {0} endpoint")]
    NoEndpoint(&'static str),
    #[error(transparent)]
    Client(#[from] ClientError),
    #[error("the connect task failed")]
    Task(#[source] tokio::task::JoinError),
}

impl ConnectError {
    /// The reason line printed after the failure line: the status, then every cause.
    fn reason(&self) -> String {
        let status = match self {
            Self::Client(e) => e.status().map(|s| s.name),
            Self::NoEndpoint(_) => Some("BadSecurityPolicyRejected"),
            Self::Task(_) => None,
        };
        let mut text = self.to_string();
        let mut source = std::error::Error::source(self);
        while let Some(cause) = source {
            text.push_str(": ");
            text.push_str(&cause.to_string());
            source = cause.source();
        }
        match status {
            Some(name) => format!("ServiceResultException: {name}: {text}"),
            None => format!("ServiceResultException: {text}"),
        }
    }
}

/// The session's verifiers, kept across connects (their rejections, one `--aa` warning).
#[derive(Default)]
struct Verifiers {
    /// Checks the server on the discovery channel (role and host name).
    discovery: Option<Arc<Verifier>>,
    /// Checks it at `CreateSession` (also the policy's key limits and the endpoint's URI).
    session: Option<Arc<Verifier>>,
}

/// A pending action and when it is due next.
struct Pending {
    action: Action,
    due: Instant,
}

/// The live session: its client, the namespace array and keep-alive bookkeeping.
struct Live {
    client: Client,
    namespaces: Vec<String>,
    missed: u32,
    next_keep_alive: Instant,
}

/// How long after a store change failed connects are retried quickly.
const QUICK_RETRY_WINDOW: Duration = Duration::from_secs(10);
/// The interval of those quick retries.
const QUICK_RETRY: Duration = Duration::from_millis(500);

/// What the wake-up depends on while a session is up.
#[derive(Debug, Clone, Copy)]
struct Connected {
    /// When the next keep-alive read is due.
    keep_alive: Instant,
    /// When the next action is due, if any is left.
    next_action: Option<Instant>,
}

/// When the session loop wakes next (unless the store or `shutdown` changes first).
///
/// Connected: at the next keep-alive or action, at the latest after `wait` (`--sw`).
/// Disconnected: a reconnect after `wait`, or every [`QUICK_RETRY`] until
/// `quick_retries_until` (set [`QUICK_RETRY_WINDOW`] after a store change: right after one the
/// server is often being provisioned too, by the same CA tool in the same minute).
fn next_wake(
    now: Instant,
    wait: Duration,
    quick_retries_until: Option<Instant>,
    connected: Option<Connected>,
) -> Instant {
    let mut next = now + wait;
    match connected {
        Some(session) => {
            next = next.min(session.keep_alive);
            if let Some(due) = session.next_action {
                next = next.min(due);
            }
        }
        None => {
            if quick_retries_until.is_some_and(|until| now < until) {
                next = next.min(now + QUICK_RETRY);
            }
        }
    }
    next
}

/// Runs one session until `shutdown` turns true.
pub async fn run(shared: Arc<Shared>, spec: SessionActions, mut shutdown: watch::Receiver<bool>) {
    let url = spec.endpoint_url.clone();
    let security = if spec.use_security {
        "with security"
    } else {
        "without security"
    };
    tracing::info!(target: "opcclient", "Connect and monitor session and nodes on endpoint '{url}' {security}.");
    let cli = &shared.config.cli;
    let wait = Duration::from_secs(cli.session_connect_wait);
    let keep_alive = Duration::from_secs(cli.keep_alive_interval);
    let now = Instant::now();
    let mut pending: Vec<Pending> = spec
        .actions
        .iter()
        .map(|a| Pending {
            action: a.clone(),
            due: now,
        })
        .collect();
    let mut failures: u32 = 0;
    let mut verifiers = Verifiers::default();
    let mut live: Option<Live> = None;
    let mut store_changes = shared.store_changes.subscribe();
    let mut quick_retries_until: Option<Instant> = None;

    loop {
        if *shutdown.borrow() {
            break;
        }
        if live.is_none() {
            match connect(&shared, &spec, failures, &mut verifiers).await {
                Ok(client) => {
                    failures = 0;
                    live = Some(established(&shared, &url, client, keep_alive).await);
                }
                Err(err) => {
                    failures = failures.saturating_add(1);
                    tracing::error!(target: "opcclient", "Session creation to endpoint '{url}' failed {failures} time(s). Please verify if server is up and OpcClient configuration is correct.");
                    (shared.print)(&err.reason());
                }
            }
        }
        if let Some(session) = &mut live {
            let now = Instant::now();
            let mut i = 0;
            while i < pending.len() {
                if pending[i].due > now {
                    i += 1;
                    continue;
                }
                execute(session, &pending[i].action, security).await;
                let interval = pending[i].action.interval;
                if interval == 0 {
                    pending.remove(i);
                } else {
                    pending[i].due = now + Duration::from_secs(u64::from(interval));
                    i += 1;
                }
            }
            let lost = Instant::now() >= session.next_keep_alive
                && !keep_alive_once(&shared, &url, session, keep_alive).await;
            if lost && let Some(session) = live.take() {
                session.client.disconnect().await;
                shared.connected.fetch_sub(1, Ordering::Relaxed);
            }
        }
        let next = next_wake(
            Instant::now(),
            wait,
            quick_retries_until,
            live.as_ref().map(|session| Connected {
                keep_alive: session.next_keep_alive,
                next_action: pending.iter().map(|p| p.due).min(),
            }),
        );
        tokio::select! {
            () = tokio::time::sleep_until(next) => {}
            Ok(()) = store_changes.changed(), if live.is_none() => {
                tracing::info!(target: "opcclient", "The certificate store changed: connecting to endpoint '{url}' again now.");
                quick_retries_until = Some(Instant::now() + QUICK_RETRY_WINDOW);
            }
            changed = shutdown.changed() => {
                // A dropped sender means stop, like `true`.
                if changed.is_err() {
                    break;
                }
            }
        }
    }
    if let Some(session) = live.take() {
        session.client.disconnect().await;
        shared.connected.fetch_sub(1, Ordering::Relaxed);
        tracing::info!(target: "opcclient", "Session to endpoint URI '{url}' closed successfully.");
    }
}

/// Discovers the endpoints, picks the most secure one offered and creates the session with the
/// backed-off timeout.
async fn connect(
    shared: &Arc<Shared>,
    spec: &SessionActions,
    failures: u32,
    verifiers: &mut Verifiers,
) -> Result<Client, ConnectError> {
    let timeout = shared.config.create_session_timeout(failures);
    let kind = if spec.use_security {
        "secured"
    } else {
        "unsecured"
    };
    tracing::info!(
        target: "opcclient",
        "Create {kind} session for endpoint URI '{}' with timeout of {} ms.",
        spec.endpoint_url,
        timeout.as_millis()
    );
    // open62541 matches the endpoints' URLs exactly: give it the URL without the `/` that the
    // log lines print for an empty path. An aliased host is dialled at its address and its
    // certificate checked against its name (`hosts`).
    let (url, server_host) = match hosts::dial(
        &stack_url(&spec.endpoint_url),
        &shared.config.cli.host_aliases,
    ) {
        Some((dialled, host)) => (dialled, Some(host)),
        None => (stack_url(&spec.endpoint_url), None),
    };
    let use_security = spec.use_security;
    let mut discovery_options = ClientOptions::new(APPLICATION_NAME);
    discovery_options.server_host.clone_from(&server_host);
    discovery_options.validation = shared.validator.options();
    discovery_options.timeout = timeout;
    if !use_security {
        // An unsecured session authenticates nobody: its server certificate is not judged.
        discovery_options.security_policy = pki::SecurityPolicy::None;
        discovery_options.security_mode = SecurityMode::None;
    }
    let discovery = if let Some(v) = &verifiers.discovery {
        Arc::clone(v)
    } else {
        // The server is checked already on the discovery channel, before its policy and URI
        // are known: role and host name here, everything at CreateSession. `--aa` applies here
        // (an accepted server is trusted from then on).
        let mut expect = Client::expectations(&url, &discovery_options)?;
        expect.security_policy = None;
        expect.application_uri = None;
        let fresh = Arc::new(
            Verifier::new(Arc::clone(&shared.validator), expect)
                .with_auto_accept(shared.config.cli.certs.auto_accept),
        );
        verifiers.discovery = Some(Arc::clone(&fresh));
        shared.refusals.track(&fresh);
        fresh
    };
    let store = shared.store.clone();
    let discovery_url = url.clone();
    let endpoints = tokio::task::spawn_blocking(move || {
        ua::discover_endpoints(&discovery_url, &discovery_options, &store, &discovery)
    })
    .await
    .map_err(ConnectError::Task)??;
    let chosen = ua::select_endpoint(&endpoints, use_security)
        .ok_or(ConnectError::NoEndpoint(if use_security {
            "secure"
        } else {
            "None/None"
        }))?
        .clone();
    let session_timeout = shared.config.requested_session_timeout(failures);
    let mut options = client_options(shared, &chosen, timeout, session_timeout);
    options.server_host = server_host;
    let expect = Client::expectations(&url, &options)?;
    let current = match &verifiers.session {
        Some(v) if same(v.expectations(), &expect) => Arc::clone(v),
        _ => {
            let fresh = Arc::new(Verifier::new(Arc::clone(&shared.validator), expect));
            verifiers.session = Some(Arc::clone(&fresh));
            shared.refusals.track(&fresh);
            fresh
        }
    };
    let store = shared.store.clone();
    tokio::task::spawn_blocking(move || Client::connect_with(&url, &options, &store, current))
        .await
        .map_err(ConnectError::Task)?
        .map_err(ConnectError::from)
}

/// `opc.tcp://host:port/` → `opc.tcp://host:port`; URLs with a path stay as they are.
fn stack_url(url: &str) -> String {
    match url.split_once("://") {
        Some((_, rest)) if rest.find('/') == Some(rest.len() - 1) => {
            url[..url.len() - 1].to_owned()
        }
        _ => url.to_owned(),
    }
}

fn client_options(
    shared: &Shared,
    chosen: &EndpointInfo,
    timeout: Duration,
    session_timeout: Duration,
) -> ClientOptions {
    let mut options = ClientOptions::new(APPLICATION_NAME);
    options.security_policy = chosen.security_policy;
    options.security_mode = chosen.security_mode;
    options.expected_server_uri = (chosen.security_mode != SecurityMode::None
        && !chosen.server_application_uri.is_empty())
    .then(|| chosen.server_application_uri.clone());
    options.validation = shared.validator.options();
    options.timeout = timeout;
    options.session_timeout = Some(session_timeout);
    options.request_timeout = Some(Duration::from_millis(
        shared.config.cli.operation_timeout_ms,
    ));
    options.max_string_length = Some(shared.config.cli.max_string_length);
    options
}

fn same(a: &PeerExpectations, b: &PeerExpectations) -> bool {
    a.security_policy == b.security_policy
        && a.application_uri == b.application_uri
        && a.host_name == b.host_name
}

/// The success block: session, namespace array, minimal sampling interval.
async fn established(shared: &Shared, url: &str, client: Client, keep_alive: Duration) -> Live {
    shared.connected.fetch_add(1, Ordering::Relaxed);
    if let Some(id) = client.session_id() {
        tracing::info!(target: "opcclient", "Session successfully created with Id {id}.");
    } else {
        // Every CreateSession response carries an id; this is for a server that sent a null one.
        tracing::info!(target: "opcclient", "Session successfully created.");
    }
    // Reads time out after `--ot` in the client itself (a `BadTimeout` status).
    let namespaces = match client.namespace_array().await {
        Ok(namespaces) => namespaces,
        Err(e) => {
            tracing::warn!(target: "opcclient", "The namespace array of endpoint '{url}' cannot be read: {e}");
            Vec::new()
        }
    };
    tracing::info!(target: "opcclient", "The session to endpoint '{url}' has {} entries in its namespace array:", namespaces.len());
    for (i, uri) in namespaces.iter().enumerate() {
        tracing::info!(target: "opcclient", "Namespace index {i}: {uri}");
    }
    match client.min_sampling_interval().await {
        Ok(Some(ms)) => {
            tracing::info!(target: "opcclient", "The server on endpoint '{url}' supports a minimal sampling interval of {ms} ms.");
        }
        Ok(None) => {
            tracing::info!(target: "opcclient", "The server on endpoint '{url}' does not report a minimal sampling interval.");
        }
        Err(e) => {
            tracing::warn!(target: "opcclient", "The minimal sampling interval of endpoint '{url}' cannot be read: {e}");
        }
    }
    Live {
        client,
        namespaces,
        missed: 0,
        next_keep_alive: Instant::now() + keep_alive,
    }
}

/// One keep-alive; `false` when the missed-keep-alive threshold is hit (disconnect).
async fn keep_alive_once(
    shared: &Shared,
    url: &str,
    session: &mut Live,
    interval: Duration,
) -> bool {
    session.next_keep_alive = Instant::now() + interval;
    let status = match session.client.keep_alive(interval).await {
        Ok(()) => {
            if session.missed > 0 {
                let verb = if session.missed > 1 { "were" } else { "was" };
                tracing::info!(target: "opcclient", "Session endpoint: {url} got a keep alive after {} {verb} missed.", session.missed);
            }
            session.missed = 0;
            return true;
        }
        Err(e) => e
            .status()
            .map_or_else(|| e.to_string(), |s| s.name.to_owned()),
    };
    session.missed += 1;
    tracing::warn!(target: "opcclient", "Session endpoint: {url} has Status: {status}");
    tracing::warn!(target: "opcclient", "Missed KeepAlives: {}", session.missed);
    let threshold = shared.config.cli.keep_alive_threshold;
    if session.missed >= threshold {
        tracing::warn!(target: "opcclient", "Hit configured missed keep alive threshold of {threshold}. Disconnecting the session to endpoint {url}.");
        return false;
    }
    true
}

/// Executes one action and logs its result.
async fn execute(session: &Live, action: &Action, security: &str) {
    tracing::info!(
        target: "opcclient",
        "Execute 'OpcClient.{}' action on node '{}' on endpoint '{}' {security}.",
        action.kind.type_name(),
        action.node,
        action.endpoint_url
    );
    let desc = action.describe();
    let outcome = match ua::resolve_node_id(&action.node, &session.namespaces) {
        Ok(node) => read(&session.client, action.kind, &node).await,
        Err(e) => Err(("BadNodeIdInvalid".to_owned(), e.to_string())),
    };
    match outcome {
        Ok(lines) => {
            tracing::info!(target: "opcclient", "Action ({desc}) completed successfully");
            for (label, value) in lines {
                tracing::info!(target: "opcclient", "{label} ({desc}): {value}");
            }
        }
        Err((status, details)) => {
            tracing::error!(target: "opcclient", "Action ({desc}) execution with error");
            tracing::error!(target: "opcclient", "Result ({desc}): {status}");
            tracing::error!(target: "opcclient", "Details ({desc}): {details}");
        }
    }
}

/// The labelled values an action reports, or (status, details).
async fn read(
    client: &Client,
    kind: ActionKind,
    node: &ua::ua::NodeId,
) -> Result<Vec<(&'static str, String)>, (String, String)> {
    let failed = |e: ClientError| {
        (
            e.status()
                .map_or_else(|| "Bad".to_owned(), |s| s.name.to_owned()),
            e.to_string(),
        )
    };
    let mut lines = Vec::new();
    if kind == ActionKind::Read {
        let (name, description) = client.describe(node).await.map_err(failed)?;
        lines.push(("DisplayName", name));
        lines.push(("Description", description));
    }
    let value = client.read_value(node).await.map_err(failed)?;
    lines.push(("Value", ua::format_value(&value)));
    Ok(lines)
}

#[cfg(test)]
mod tests {
    use super::*;

    const WAIT: Duration = Duration::from_secs(10);

    #[test]
    fn a_failed_connect_is_retried_after_the_connect_wait() {
        let now = Instant::now();
        assert_eq!(next_wake(now, WAIT, None, None), now + WAIT);
    }

    #[test]
    fn after_a_store_change_failed_connects_are_retried_quickly_until_the_window_ends() {
        let changed = Instant::now();
        let until = changed + QUICK_RETRY_WINDOW;
        for offset in [
            Duration::ZERO,
            Duration::from_secs(5),
            Duration::from_millis(9_999),
        ] {
            let now = changed + offset;
            assert_eq!(next_wake(now, WAIT, Some(until), None), now + QUICK_RETRY);
        }
        let after = until + Duration::from_millis(1);
        assert_eq!(next_wake(after, WAIT, Some(until), None), after + WAIT);
        assert_eq!(next_wake(until, WAIT, Some(until), None), until + WAIT);
    }

    #[test]
    fn a_quick_retry_never_waits_longer_than_the_connect_wait() {
        let now = Instant::now();
        let short = Duration::from_millis(200);
        let until = now + QUICK_RETRY_WINDOW;
        assert_eq!(next_wake(now, short, Some(until), None), now + short);
    }

    #[test]
    fn a_live_session_wakes_for_its_keep_alive_or_next_action_not_for_quick_retries() {
        let now = Instant::now();
        let until = now + QUICK_RETRY_WINDOW;
        let keep_alive = now + Duration::from_secs(3);
        let idle = Connected {
            keep_alive,
            next_action: None,
        };
        assert_eq!(next_wake(now, WAIT, Some(until), Some(idle)), keep_alive);
        let action = now + Duration::from_secs(1);
        let busy = Connected {
            keep_alive,
            next_action: Some(action),
        };
        assert_eq!(next_wake(now, WAIT, None, Some(busy)), action);
        let late = Connected {
            keep_alive: now + Duration::from_mins(1),
            next_action: Some(now + Duration::from_secs(90)),
        };
        assert_eq!(next_wake(now, WAIT, None, Some(late)), now + WAIT);
    }
}
