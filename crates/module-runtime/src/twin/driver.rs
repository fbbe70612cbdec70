//! The twin driver: connection, desired stream, refresh and store watch, reported patches.

use std::future::Future;
use std::path::PathBuf;
use std::thread::JoinHandle;
use std::time::Duration;

use edge_client::{ClientOptions, EnvironmentError, ModuleClient};
use hub_proto::twin::TwinVersion;
use pki::FolderFingerprint;
use serde_json::{Map, Value};
use tokio::time::MissedTickBehavior;
use tokio_util::sync::CancellationToken;

use super::Trigger;
use crate::logging::with_causes;

/// What a module's twin driver reconciles. See the module documentation for the contract.
pub trait Reconciler: Send + 'static {
    /// The top-level desired and reported properties it owns (`pki`, `stores`).
    fn properties(&self) -> &'static [&'static str];

    /// The folders whose changes trigger a pass ([`Trigger::StoreChanged`]).
    fn watched(&self) -> Vec<PathBuf>;

    /// One pass over the full desired document (`$version` removed: it is `version`). Returns
    /// the full value of each owned reported property (one left out is removed from the twin),
    /// or `None` when the pass could not produce a picture (nothing is reported then).
    fn pass(
        &mut self,
        desired: &Map<String, Value>,
        version: Option<TwinVersion>,
        trigger: Trigger,
    ) -> impl Future<Output = Option<Map<String, Value>>>;
}

/// How often the driver looks again.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DriverOptions {
    /// How often the last desired document is reconciled again.
    pub refresh: Duration,
    /// How often the watched folders are checked for changes.
    pub watch: Duration,
}

impl Default for DriverOptions {
    /// Refresh every 30 s, watch every second.
    fn default() -> Self {
        Self {
            refresh: Duration::from_secs(30),
            watch: Duration::from_secs(1),
        }
    }
}

/// Why the twin could not be started.
#[derive(Debug, thiserror::Error)]
pub enum TwinStartError {
    /// The environment names a module identity, but a wrong one.
    #[error(transparent)]
    Environment(#[from] EnvironmentError),
    /// The driver thread or its runtime could not be created.
    #[error("cannot start the module twin thread")]
    Thread(#[source] std::io::Error),
}

/// A running twin driver; [`TwinDriver::stop`] ends it.
pub struct TwinDriver {
    shutdown: CancellationToken,
    thread: Option<JoinHandle<()>>,
}

impl TwinDriver {
    /// Starts the driver when the environment (read through `lookup`) names a module identity
    /// (`IOTEDGE_*`, or a module connection string); `Ok(None)` when it names none.
    /// `EDGE_SIM_MQTT_PORT` (set by edge-sim's agent) overrides the MQTT port.
    pub fn start_from_environment<R: Reconciler>(
        lookup: impl Fn(&str) -> Option<String> + Send + 'static,
        reconciler: R,
        options: DriverOptions,
    ) -> Result<Option<Self>, TwinStartError> {
        match edge_client::select_environment(&lookup) {
            Err(EnvironmentError::NotFound { .. }) => return Ok(None),
            Err(e) => return Err(e.into()),
            Ok(_) => {}
        }
        let mut client_options = ClientOptions::default();
        if let Some(port) = lookup("EDGE_SIM_MQTT_PORT").and_then(|p| p.trim().parse().ok()) {
            client_options.port = port;
        }
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(TwinStartError::Thread)?;
        let shutdown = CancellationToken::new();
        let token = shutdown.clone();
        let thread = std::thread::Builder::new()
            .name("module-twin".to_owned())
            .spawn(move || {
                runtime.block_on(async move {
                    let client = tokio::select! {
                        () = token.cancelled() => return,
                        built = ModuleClient::from_environment(lookup, client_options) => built,
                    };
                    match client {
                        Ok(client) => {
                            drive(&client, reconciler, options, &token).await;
                            client.shutdown().await;
                        }
                        Err(e) => tracing::error!(
                            target: "twin",
                            "The module twin is not available: {:#}",
                            with_causes(&e)
                        ),
                    }
                });
            })
            .map_err(TwinStartError::Thread)?;
        Ok(Some(Self {
            shutdown,
            thread: Some(thread),
        }))
    }

    /// Stops the driver and waits for it.
    pub fn stop(mut self) {
        self.shutdown.cancel();
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

impl Drop for TwinDriver {
    fn drop(&mut self) {
        self.shutdown.cancel();
    }
}

/// The folders' fingerprint; an unreadable folder is logged and counts as changed next time.
fn fingerprint(dirs: Vec<PathBuf>) -> Option<FolderFingerprint> {
    match FolderFingerprint::read(dirs) {
        Ok(f) => Some(f),
        Err(e) => {
            tracing::debug!(target: "twin", "cannot watch the store: {}", with_causes(&e));
            None
        }
    }
}

async fn drive<R: Reconciler>(
    client: &ModuleClient,
    mut reconciler: R,
    options: DriverOptions,
    shutdown: &CancellationToken,
) {
    let mut stream = client.desired_stream();
    let mut refresh = tokio::time::interval(options.refresh);
    refresh.set_missed_tick_behavior(MissedTickBehavior::Delay);
    let mut watch = tokio::time::interval(options.watch);
    watch.set_missed_tick_behavior(MissedTickBehavior::Delay);
    let mut desired: Option<(Map<String, Value>, Option<TwinVersion>)> = None;
    // The hub's reported properties owned here; `None` until read after a (re)connect.
    let mut hub_reported: Option<Map<String, Value>> = None;
    let mut seen = fingerprint(reconciler.watched());
    loop {
        let trigger = tokio::select! {
            () = shutdown.cancelled() => return,
            update = stream.recv() => {
                let Some(update) = update else { return };
                if update.full {
                    hub_reported = None;
                }
                let mut document = update.document;
                document.remove(hub_proto::twin::VERSION_KEY);
                desired = Some((document, update.version));
                Trigger::Document
            }
            _ = refresh.tick() => Trigger::Refresh,
            _ = watch.tick() => {
                let now = fingerprint(reconciler.watched());
                // Unchanged, or unreadable as before (logged at debug): nothing to report.
                if now == seen {
                    continue;
                }
                seen = now;
                Trigger::StoreChanged
            }
        };
        let Some((document, version)) = &desired else {
            continue;
        };
        // Taken before the pass: a change during it is seen by the next poll.
        seen = fingerprint(reconciler.watched());
        let Some(reported) = reconciler.pass(document, *version, trigger).await else {
            continue;
        };
        if hub_reported.is_none() {
            match client.get_twin().await {
                Ok(twin) => {
                    hub_reported = Some(owned(reconciler.properties(), &twin.reported));
                }
                Err(e) => {
                    tracing::warn!(target: "twin", "Cannot read the reported properties: {}", with_causes(&e));
                    continue;
                }
            }
        }
        let Some(previous) = &hub_reported else {
            continue;
        };
        let reported = owned(reconciler.properties(), &reported);
        let patch = hub_proto::twin::diff(previous, &reported);
        if patch.is_empty() {
            continue;
        }
        match client.update_reported(Value::Object(patch)).await {
            Ok(()) => hub_reported = Some(reported),
            Err(e) => {
                tracing::warn!(target: "twin", "Cannot report the PKI state: {}", with_causes(&e));
            }
        }
    }
}

/// The members of `all` named in `properties`.
fn owned(properties: &[&str], all: &Map<String, Value>) -> Map<String, Value> {
    properties
        .iter()
        .filter_map(|p| all.get(*p).map(|v| ((*p).to_owned(), v.clone())))
        .collect()
}

#[cfg(test)]
#[path = "driver_tests.rs"]
mod tests;
