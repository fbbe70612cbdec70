//! The reconciler of a module that validates its peers itself (`opc-plc`, `opc-client`): its
//! own store under `properties.desired.pki`, the validation policy applied live to its
//! validators, the refusals its verifiers remember reported next to the rejected certificates.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use hub_proto::twin::TwinVersion;
use pki::{StatusCode, Store, Thumbprint, ValidationOptions};
use provisioning::{Context, DesiredInput, PKI_PROPERTY, Section, Status};
use serde_json::{Map, Value};

use super::Trigger;
use super::driver::{DriverOptions, Reconciler, TwinDriver, TwinStartError};
use super::store_twin::StoreTwin;
use crate::logging::with_causes;

/// How the driver reconciles a module's own store.
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

impl TwinPkiOptions {
    /// Options for a module with `application_uri` running `validation`; the CSR keeps the
    /// current certificate's DNS names; the driver's default timing.
    #[must_use]
    pub fn new(application_uri: String, validation: ValidationOptions) -> Self {
        Self {
            application_uri,
            dns_names: None,
            validation,
            refresh: DriverOptions::default().refresh,
            rejection_reasons: None,
            policy: None,
        }
    }
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

/// A source of the module's recent refusals: thumbprint -> status (the server's verifier, for
/// instance), reported next to each rejected certificate.
#[derive(Clone)]
pub struct RejectionReasons(Arc<dyn Fn() -> BTreeMap<Thumbprint, StatusCode> + Send + Sync>);

impl RejectionReasons {
    /// Wraps a function that lists the refusals the module remembers.
    pub fn new(
        source: impl Fn() -> BTreeMap<Thumbprint, StatusCode> + Send + Sync + 'static,
    ) -> Self {
        Self(Arc::new(source))
    }
}

impl std::fmt::Debug for RejectionReasons {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("RejectionReasons(..)")
    }
}

/// The reconciler of a module's own `pki`.
#[derive(Debug)]
pub struct OwnPki {
    store: Store,
    options: TwinPkiOptions,
    /// `None` only while a pass runs on the blocking pool.
    twin: Option<StoreTwin>,
    /// The policy the module's validators run with.
    in_force: ValidationOptions,
}

impl OwnPki {
    /// The reconciler of `store` with `options`.
    #[must_use]
    pub fn new(store: Store, options: TwinPkiOptions) -> Self {
        Self {
            store,
            in_force: options.validation.clone(),
            options,
            twin: Some(StoreTwin::new()),
        }
    }

    /// The reconciliation context: the module's identity and policy, the refusals it remembers.
    fn context(&self) -> Context {
        Context {
            application_uri: Some(self.options.application_uri.clone()),
            dns_names: self.options.dns_names.clone(),
            validation: self.options.validation.clone(),
            policy_in_force: self.in_force.clone(),
            live_policy: self.options.policy.is_some(),
            rejection_reasons: self
                .options
                .rejection_reasons
                .as_ref()
                .map(|source| (source.0)())
                .unwrap_or_default(),
            ..Context::new(time::OffsetDateTime::now_utc())
        }
    }

    /// Installs the policy of an applied document when it differs from the one in force.
    fn apply_policy(&mut self, wanted: ValidationOptions) {
        let Some(sink) = &self.options.policy else {
            return;
        };
        if self.in_force == wanted {
            return;
        }
        (sink.0)(wanted.clone());
        let before = &self.in_force;
        if before.reject_unknown_revocation != wanted.reject_unknown_revocation {
            tracing::info!(
                target: "twin",
                "Certificates of CAs whose revocation status is unknown (no CRL) are now {}.",
                if wanted.reject_unknown_revocation { "rejected" } else { "accepted" }
            );
        }
        if before.reject_sha1 != wanted.reject_sha1 {
            tracing::info!(
                target: "twin",
                "SHA-1 signed certificates are now {}.",
                if wanted.reject_sha1 { "rejected" } else { "accepted" }
            );
        }
        if before.min_key_bits != wanted.min_key_bits {
            tracing::info!(
                target: "twin",
                "Certificates with keys shorter than {} bits are now rejected.",
                wanted.min_key_bits
            );
        }
        self.in_force = wanted;
    }
}

impl Reconciler for OwnPki {
    fn properties(&self) -> &'static [&'static str] {
        &[PKI_PROPERTY]
    }

    fn watched(&self) -> Vec<PathBuf> {
        self.store.layout().content_directories().to_vec()
    }

    async fn pass(
        &mut self,
        desired: &Map<String, Value>,
        version: Option<TwinVersion>,
        trigger: Trigger,
    ) -> Option<Map<String, Value>> {
        let context = self.context();
        let store = self.store.clone();
        let section = desired.get(PKI_PROPERTY).cloned();
        let mut twin = self.twin.take()?;
        let outcome = tokio::task::spawn_blocking(move || {
            let pass = twin.pass(
                &store,
                DesiredInput {
                    value: section.as_ref(),
                    version,
                    section: Section::OwnPki,
                },
                trigger,
                &context,
            );
            (twin, pass)
        })
        .await;
        let Ok((twin, pass)) = outcome else {
            tracing::error!(target: "twin", "The PKI reconciliation failed unexpectedly.");
            self.twin = Some(StoreTwin::new());
            return None;
        };
        self.twin = Some(twin);
        if let Some(reconciliation) = &pass.reconciliation
            && reconciliation.outcome.status == Status::Applied
        {
            self.apply_policy(reconciliation.validation.clone());
        }
        let mut out = Map::new();
        out.insert(
            PKI_PROPERTY.to_owned(),
            Value::Object(pass.reported.to_twin()),
        );
        Some(out)
    }
}

/// A module's own-`pki` twin driver ([`OwnPki`] on a [`TwinDriver`]).
pub struct TwinPki(TwinDriver);

impl TwinPki {
    /// Starts the driver when the environment (read through `lookup`) names a module identity
    /// (`IOTEDGE_*`, or a module connection string); `Ok(None)` when it names none, i.e. the
    /// module runs outside IoT Edge and its command line alone configures the store.
    pub fn start_from_environment(
        lookup: impl Fn(&str) -> Option<String> + Send + 'static,
        store: Store,
        options: TwinPkiOptions,
    ) -> Result<Option<Self>, TwinStartError> {
        let driver = DriverOptions {
            refresh: options.refresh,
            ..DriverOptions::default()
        };
        Ok(
            TwinDriver::start_from_environment(lookup, OwnPki::new(store, options), driver)?
                .map(Self),
        )
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
    pub fn stop(self) {
        self.0.stop();
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]

    use std::sync::Mutex;

    use serde_json::json;

    use super::*;

    use super::super::fixtures::{URI, module_store};

    #[tokio::test]
    async fn the_twin_policy_is_installed_once_per_change_and_reverts_when_removed() {
        let (_dir, store) = module_store();
        let installed: Arc<Mutex<Vec<(bool, bool, u32)>>> = Arc::default();
        let sink = Arc::clone(&installed);
        let mut options = TwinPkiOptions::new(URI.to_owned(), ValidationOptions::default());
        options.policy = Some(PolicySink::new(move |p| {
            sink.lock()
                .unwrap()
                .push((p.reject_unknown_revocation, p.reject_sha1, p.min_key_bits));
        }));
        let mut own = OwnPki::new(store, options);
        let relax = json!({
            "rejectUnknownRevocationStatus": false,
            "rejectSha1SignedCertificates": false,
            "minimumCertificateKeySize": 1024,
        });
        for (doc, version, relaxed) in [
            (Some(&relax), 2, true),
            (Some(&relax), 3, true),
            (None, 4, false),
        ] {
            let mut desired = Map::new();
            if let Some(doc) = doc {
                desired.insert(PKI_PROPERTY.to_owned(), doc.clone());
            }
            let reported = own
                .pass(&desired, Some(TwinVersion::new(version)), Trigger::Document)
                .await
                .unwrap();
            let pki = &reported[PKI_PROPERTY];
            assert_eq!(pki["status"], "applied");
            assert_eq!(
                pki["rejectUnknownRevocationStatus"], !relaxed,
                "version {version}"
            );
            assert_eq!(pki["rejectSha1SignedCertificates"], !relaxed);
            assert_eq!(
                pki["minimumCertificateKeySize"],
                if relaxed { 1024 } else { 2048 }
            );
        }
        assert_eq!(
            *installed.lock().unwrap(),
            vec![(false, false, 1024), (true, true, 2048)]
        );
    }
}
