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
use provisioning::{Context, ItemError, Reconciliation, Section, Status};
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
    // Why the current document was refused, so a refresh re-reports instead of re-running it.
    let mut refused: Option<ItemError> = None;
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
        let Some(reported) = pass(
            &store,
            options,
            (section, version),
            new_document,
            &mut refused,
            &mut in_force,
        )
        .await
        else {
            continue;
        };
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

/// What one pass did.
enum Pass {
    /// The document was reconciled.
    Reconciled(Box<Reconciliation>),
    /// A refused document was only re-reported.
    Reported(Map<String, Value>),
}

/// One pass: a new document, or one that was applied, is reconciled; a refused one is not
/// re-run on a refresh (its plan would log the OPC PLC's lines and the refusal every time) but
/// re-reported with the same error. Returns the reported section, with the policy in force.
async fn pass(
    store: &Store,
    options: &TwinPkiOptions,
    (section, version): Desired,
    new_document: bool,
    refused: &mut Option<ItemError>,
    in_force: &mut ValidationOptions,
) -> Option<Map<String, Value>> {
    let context = context(options);
    let task_store = store.clone();
    let previous = refused.clone().filter(|_| !new_document);
    let outcome = tokio::task::spawn_blocking(move || match previous {
        Some(error) => Pass::Reported(provisioning::report(
            &task_store,
            Status::Rejected,
            version,
            Some(&error),
            &context,
        )),
        None => Pass::Reconciled(Box::new(provisioning::reconcile(
            &task_store,
            section.as_ref(),
            version,
            Section::OwnPki,
            &context,
        ))),
    })
    .await;
    let mut reported = match outcome {
        Err(_) => {
            tracing::error!(target: "twin", "The PKI reconciliation failed unexpectedly.");
            return None;
        }
        Ok(Pass::Reported(reported)) => reported,
        Ok(Pass::Reconciled(reconciliation)) => {
            if new_document || reconciliation.changed {
                log_outcome(&reconciliation, version);
            }
            *refused = match reconciliation.status {
                Status::Rejected => reconciliation.error.clone(),
                _ => None,
            };
            if reconciliation.status == Status::Applied {
                apply_policy(options, in_force, reconciliation.validation);
            }
            reconciliation.reported
        }
    };
    reported.insert(
        "rejectUnknownRevocationStatus".to_owned(),
        Value::Bool(in_force.reject_unknown_revocation),
    );
    Some(reported)
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

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]

    use std::sync::Mutex;

    use base64::Engine as _;
    use base64::engine::general_purpose::STANDARD;
    use pki::{Certificate, Operation, PlanOptions, SelfSignedSpec, StoreLayout};
    use test_support::{Ca, TestStore, now};

    use super::*;

    const URI: &str = "urn:OpcPlc:test";

    fn module_store() -> (TestStore, Store) {
        let dir = TestStore::new();
        let store = Store::open(StoreLayout::under(dir.path())).unwrap();
        store
            .transact(
                vec![Operation::CreateSelfSigned(SelfSignedSpec::new(
                    "CN=OpcPlc",
                    URI,
                    vec!["plc".into()],
                ))],
                &PlanOptions::new(now()),
            )
            .unwrap();
        (dir, store)
    }

    #[tokio::test]
    async fn a_refused_document_is_re_reported_on_a_refresh_and_re_run_when_delivered_again() {
        let (_dir, store) = module_store();
        let ca = Ca::root("Vault CA");
        let doc = json!({ "crls": { "vaultCa": STANDARD.encode(ca.crl(&[])) } });
        let options = TwinPkiOptions::new(URI.to_owned(), ValidationOptions::default());
        let mut refused = None;
        let mut in_force = options.validation.clone();

        let first = pass(
            &store,
            &options,
            (Some(doc.clone()), Some(2)),
            true,
            &mut refused,
            &mut in_force,
        )
        .await
        .unwrap();
        assert_eq!(first["status"], "rejected");
        assert_eq!(first["error"]["item"], "crls.vaultCa");
        assert!(refused.is_some());

        // The CA arrives by other means: re-running the document would now apply it, so a
        // refresh that still reports the refusal proves the plan was not run again.
        store
            .transact(
                vec![Operation::AddTrusted(vec![
                    Certificate::from_der(&ca.der()).unwrap(),
                ])],
                &PlanOptions::new(now()),
            )
            .unwrap();
        let refresh = pass(
            &store,
            &options,
            (Some(doc.clone()), Some(2)),
            false,
            &mut refused,
            &mut in_force,
        )
        .await
        .unwrap();
        assert_eq!(refresh["status"], "rejected");
        assert_eq!(refresh["error"], first["error"]);
        assert!(store.contents().unwrap().trusted_crls.is_empty());

        // Delivered again (a reconnect or a patch): reconciled, now applied.
        let again = pass(
            &store,
            &options,
            (Some(doc), Some(3)),
            true,
            &mut refused,
            &mut in_force,
        )
        .await
        .unwrap();
        assert_eq!(again["status"], "applied");
        assert_eq!(again["rejectUnknownRevocationStatus"], true);
        assert!(refused.is_none());
        assert_eq!(store.contents().unwrap().trusted_crls.len(), 1);
    }

    #[tokio::test]
    async fn the_twin_policy_is_installed_once_per_change_and_reverts_when_removed() {
        let (_dir, store) = module_store();
        let installed: Arc<Mutex<Vec<bool>>> = Arc::default();
        let sink = Arc::clone(&installed);
        let mut options = TwinPkiOptions::new(URI.to_owned(), ValidationOptions::default());
        options.policy = Some(PolicySink::new(move |policy| {
            sink.lock().unwrap().push(policy.reject_unknown_revocation);
        }));
        let mut refused = None;
        let mut in_force = options.validation.clone();
        let relax = json!({ "rejectUnknownRevocationStatus": false });
        for (doc, version) in [(Some(relax.clone()), 2), (Some(relax), 3), (None, 4)] {
            let reported = pass(
                &store,
                &options,
                (doc.clone(), Some(version)),
                true,
                &mut refused,
                &mut in_force,
            )
            .await
            .unwrap();
            assert_eq!(reported["status"], "applied");
            assert_eq!(
                reported["rejectUnknownRevocationStatus"],
                doc.is_none(),
                "version {version}"
            );
        }
        assert_eq!(*installed.lock().unwrap(), vec![false, true]);
    }
}
