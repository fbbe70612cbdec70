//! The module twin drives the module's own PKI store (ARCHITECTURE §4.1): every desired
//! document goes through [`provisioning::reconcile`], and the difference between what the hub
//! has as `properties.reported.pki` and the new picture is sent as a reported patch (with
//! `null`s for entries that are gone).
//!
//! The driver runs on its own thread with a small tokio runtime, next to the module's OPC UA
//! stack, which picks store changes up itself (the PLC's store watch, the validators' trust
//! cache). It reconciles after every connect (full document: patches sent while offline are
//! lost by IoT Hub's design), after every newer patch, and every [`TwinPkiOptions::refresh`]
//! with the last document, so the reported picture follows what the store shows (a CSR after
//! a key change, newly rejected certificates). Reconciling an unchanged document writes nothing.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::Duration;

use edge_client::{ClientOptions, EnvironmentError, ModuleClient};
use pki::{Store, Thumbprint, ValidationOptions};
use provisioning::{Context, Reconciliation, Section, Status};
use serde_json::{Map, Value, json};
use tokio_util::sync::CancellationToken;

use crate::logging::with_causes;

/// The reported (and desired) property of a module's own PKI.
pub const PKI_PROPERTY: &str = "pki";

/// How often the last desired document is reconciled again by default.
pub const DEFAULT_REFRESH: Duration = Duration::from_secs(30);

/// How the driver reconciles.
#[derive(Debug, Clone)]
pub struct TwinPkiOptions {
    /// The module's `ApplicationUri` (a new certificate must carry it; the CSR asks for it).
    pub application_uri: String,
    /// DNS names for the CSR; `None` keeps those of the current certificate.
    pub dns_names: Option<Vec<String>>,
    /// The module's validation policy (from its command line).
    pub validation: ValidationOptions,
    /// How often the last desired document is reconciled again.
    pub refresh: Duration,
    /// Why the module's validators refused the certificates in `rejected/`, when it knows.
    pub rejection_reasons: Option<RejectionReasons>,
    /// Where the policy of an applied document goes (the module's running validators). Without
    /// it a twin policy other than the command line's is refused.
    pub policy: Option<PolicySink>,
}

/// Applies a validation policy to the module's running validators.
#[derive(Clone)]
pub struct PolicySink(Arc<dyn Fn(ValidationOptions) + Send + Sync>);

impl PolicySink {
    /// Wraps the function that installs a policy (e.g. `Validator::set_options` on each of
    /// the module's validators).
    pub fn new(apply: impl Fn(ValidationOptions) + Send + Sync + 'static) -> Self {
        Self(Arc::new(apply))
    }
}

impl std::fmt::Debug for PolicySink {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("PolicySink(..)")
    }
}

/// A source of the module's recent refusals: thumbprint -> OPC UA status name (the server's
/// verifier, for instance), reported next to each rejected certificate.
#[derive(Clone)]
pub struct RejectionReasons(Arc<dyn Fn() -> BTreeMap<Thumbprint, String> + Send + Sync>);

impl RejectionReasons {
    /// Wraps a function that lists the refusals the module remembers.
    pub fn new(source: impl Fn() -> BTreeMap<Thumbprint, String> + Send + Sync + 'static) -> Self {
        Self(Arc::new(source))
    }
}

impl std::fmt::Debug for RejectionReasons {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("RejectionReasons(..)")
    }
}

impl TwinPkiOptions {
    /// Options for a module with `application_uri` running `validation`; the CSR keeps the
    /// current certificate's DNS names; refresh every [`DEFAULT_REFRESH`].
    #[must_use]
    pub fn new(application_uri: String, validation: ValidationOptions) -> Self {
        Self {
            application_uri,
            dns_names: None,
            validation,
            refresh: DEFAULT_REFRESH,
            rejection_reasons: None,
            policy: None,
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

/// A running twin driver; [`TwinPki::stop`] ends it.
pub struct TwinPki {
    shutdown: CancellationToken,
    thread: Option<JoinHandle<()>>,
}

impl TwinPki {
    /// Starts the driver when the environment (read through `lookup`) names a module identity
    /// (`IOTEDGE_*`, or a module connection string); `Ok(None)` when it names none, i.e. the
    /// module runs outside IoT Edge and its command line alone configures the store.
    /// `EDGE_SIM_MQTT_PORT` (set by edge-sim's agent) overrides the MQTT port.
    pub fn start_from_environment(
        lookup: impl Fn(&str) -> Option<String> + Send + 'static,
        store: Store,
        options: TwinPkiOptions,
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
                            drive(&client, store, &options, &token).await;
                            client.shutdown().await;
                        }
                        Err(e) => tracing::error!(
                            target: "twin",
                            "The module twin is not available, the PKI is configured by the command line only: {:#}",
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

    /// [`TwinPki::start_from_environment`] for a module's start-up: a broken environment is
    /// logged and the module runs on, configured by its command line only.
    pub fn start_or_log(
        lookup: impl Fn(&str) -> Option<String> + Send + 'static,
        store: Store,
        options: TwinPkiOptions,
    ) -> Option<Self> {
        Self::start_from_environment(lookup, store, options).unwrap_or_else(|e| {
            tracing::error!(target: "twin", "The module twin is not available, the PKI is configured by the command line only: {}", with_causes(&e));
            None
        })
    }

    /// Stops the driver and waits for it.
    pub fn stop(mut self) {
        self.shutdown.cancel();
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

impl Drop for TwinPki {
    fn drop(&mut self) {
        self.shutdown.cancel();
    }
}

/// The desired section and its `$version`, as last received.
type Desired = (Option<Value>, Option<i64>);

async fn drive(
    client: &ModuleClient,
    store: Store,
    options: &TwinPkiOptions,
    shutdown: &CancellationToken,
) {
    let mut stream = client.desired_stream();
    let mut refresh = tokio::time::interval(options.refresh);
    refresh.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    let mut desired: Option<Desired> = None;
    // What the hub holds as reported `pki`; `None` until read after a (re)connect.
    let mut hub_reported: Option<Map<String, Value>> = None;
    // The policy the module's validators run with.
    let mut in_force = options.validation.clone();
    loop {
        // A refresh logs only what changed the store; a new document always gets its line.
        let mut new_document = false;
        tokio::select! {
            () = shutdown.cancelled() => return,
            update = stream.recv() => {
                new_document = true;
                let Some(update) = update else { return };
                if update.full {
                    hub_reported = None;
                }
                let version = update.version.and_then(|v| i64::try_from(v.get()).ok());
                desired = Some((update.document.get(PKI_PROPERTY).cloned(), version));
            }
            _ = refresh.tick() => {}
        }
        let Some((section, version)) = desired.clone() else {
            continue;
        };
        let context = context(options);
        let task_store = store.clone();
        let reconciled = tokio::task::spawn_blocking(move || {
            provisioning::reconcile(
                &task_store,
                section.as_ref(),
                version,
                Section::OwnPki,
                &context,
            )
        })
        .await;
        let Ok(reconciliation) = reconciled else {
            tracing::error!(target: "twin", "The PKI reconciliation failed unexpectedly.");
            continue;
        };
        if new_document || reconciliation.changed {
            log_outcome(&reconciliation, version);
        }
        let mut reported = reconciliation.reported;
        if reconciliation.status == Status::Applied {
            apply_policy(options, &mut in_force, reconciliation.validation);
        }
        reported.insert(
            "rejectUnknownRevocationStatus".to_owned(),
            Value::Bool(in_force.reject_unknown_revocation),
        );
        if hub_reported.is_none() {
            hub_reported = Some(match client.get_twin().await {
                Ok(twin) => twin
                    .reported
                    .get(PKI_PROPERTY)
                    .and_then(Value::as_object)
                    .cloned()
                    .unwrap_or_default(),
                Err(e) => {
                    tracing::warn!(target: "twin", "Cannot read the reported properties: {}", with_causes(&e));
                    continue;
                }
            });
        }
        let Some(previous) = &hub_reported else {
            continue;
        };
        let patch = hub_proto::twin::diff(previous, &reported);
        if patch.is_empty() {
            continue;
        }
        match client
            .update_reported(json!({ PKI_PROPERTY: Value::Object(patch) }))
            .await
        {
            Ok(()) => hub_reported = Some(reported),
            Err(e) => {
                tracing::warn!(target: "twin", "Cannot report the PKI state: {}", with_causes(&e));
            }
        }
    }
}

/// The reconciliation context: the module's identity and policy, the refusals it remembers.
fn context(options: &TwinPkiOptions) -> Context {
    Context {
        application_uri: Some(options.application_uri.clone()),
        dns_names: options.dns_names.clone(),
        validation: options.validation.clone(),
        live_policy: options.policy.is_some(),
        rejection_reasons: options
            .rejection_reasons
            .as_ref()
            .map(|source| (source.0)())
            .unwrap_or_default(),
        ..Context::new(time::OffsetDateTime::now_utc())
    }
}

/// Installs the policy of an applied document when it differs from the one in force.
fn apply_policy(
    options: &TwinPkiOptions,
    in_force: &mut ValidationOptions,
    wanted: ValidationOptions,
) {
    let Some(sink) = &options.policy else {
        return;
    };
    if *in_force == wanted {
        return;
    }
    (sink.0)(wanted.clone());
    tracing::info!(
        target: "twin",
        "Certificates of CAs whose revocation status is unknown (no CRL) are now {}.",
        if wanted.reject_unknown_revocation { "rejected" } else { "accepted" }
    );
    *in_force = wanted;
}

fn log_outcome(reconciliation: &Reconciliation, version: Option<i64>) {
    let version = version.map_or_else(|| "-".to_owned(), |v| v.to_string());
    if let Some(error) = &reconciliation.error {
        tracing::warn!(
            target: "twin",
            "The desired PKI of twin version {version} was not applied ({}: {}): {}",
            error.item,
            error.code,
            error.message
        );
    } else if reconciliation.status == Status::Applied && reconciliation.changed {
        tracing::info!(
            target: "twin",
            "Applied the desired PKI of twin version {version}{}{}.",
            if reconciliation.trust_changed { ": trust lists updated" } else { "" },
            if reconciliation.application_certificate_changed {
                ", new application certificate"
            } else {
                ""
            },
        );
    }
}
