//! Trusting a CA across a fleet as an IoT Hub configuration (a layered deployment), not as
//! per-device patches: `opc-vault trust-config`.
//!
//! [`configuration`] builds it, a plain function: for every target (`module` for its own
//! `pki`, `module:store` for a cert-agent store) the content sets, under names that start
//! with `--name`, this vault's root in `trusted` and `issuers` and its issuing CA in
//! `issuers` (`properties.desired.pki.trusted.<name>Root`, …), plus any further CA given with
//! `--ca`.
//!
//! **No CRLs.** A configuration's content cannot change on IoT Hub, while a CA issues a new
//! CRL every few days: a CRL in a configuration would go stale, and once a store holds a newer
//! CRL of the same CA (from `rotate` or `crl --where`), the module refuses the older one and
//! with it the whole desired document (revocations cannot be rolled back). A test found
//! exactly that. So the CRLs travel per store, current, with `rotate` and `crl --where`.
//! The hub applies it to every device its target condition selects, now and when devices
//! join later, with the priority rules of configurations, and counts the devices that applied
//! it ([`wait_applied`] follows `systemMetrics`).
//!
//! A CA rollover is two such configurations: the old vault's chain under one name
//! (`--name opcVaultOld`) and the new vault's under another (`--name opcVaultNext`) while
//! `opc-vault rotate` re-issues every certificate from the new vault; then the old one is
//! deleted. IoT Hub does not let a configuration's content change, so a stage is a new id, and
//! [`run`] refuses to replace a configuration whose content differs.

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use hub_proto::configuration::{
    APPLIED_COUNT, Configuration, ConfigurationContent, TARGETED_COUNT,
};
use hub_service::{ServiceClient, ServiceError};
use provisioning::{PKI_PROPERTY, STORES_PROPERTY};
use serde_json::{Map, Value};

use crate::error::VaultError;
use crate::model::CaRole;
use crate::provision::Target;
use crate::vault::VaultState;

/// What to publish.
#[derive(Debug, Clone)]
pub struct TrustOptions {
    /// The configuration id.
    pub id: String,
    /// The devices (a twin query condition on devices; `*` for all).
    pub target_condition: String,
    /// Higher wins where configurations set the same path.
    pub priority: i64,
    /// The stores to trust in.
    pub targets: Vec<Target>,
    /// The names' prefix of this vault's CAs and CRLs (`<name>Root`, `<name>Issuing`).
    pub name: String,
    /// Further CA certificates: twin name and certificate.
    pub extra: Vec<(String, pki::Certificate)>,
}

/// The configuration that trusts this vault's CA certificates (and the extra CAs) in every
/// target; no CRLs (see the module docs).
pub fn configuration(
    state: &VaultState,
    options: &TrustOptions,
) -> Result<Configuration, VaultError> {
    for name in std::iter::once(&options.name).chain(options.extra.iter().map(|(n, _)| n)) {
        hub_proto::twin::validate_property_name(name)
            .map_err(|e| VaultError::Invalid(format!("the twin name {name:?}: {e}")))?;
    }
    let b64 = |der: &[u8]| Value::String(BASE64.encode(der));
    let role_name = |role: CaRole| match role {
        CaRole::Root => format!("{}Root", options.name),
        CaRole::Issuing => format!("{}Issuing", options.name),
    };
    let mut entries: Vec<(String, String, Value)> = Vec::new();
    entries.push((
        "trusted".into(),
        role_name(CaRole::Root),
        b64(state.root.der()),
    ));
    entries.push((
        "issuers".into(),
        role_name(CaRole::Root),
        b64(state.root.der()),
    ));
    if let Some(issuing) = &state.issuing {
        entries.push((
            "issuers".into(),
            role_name(CaRole::Issuing),
            b64(issuing.der()),
        ));
    }
    for (name, cert) in &options.extra {
        entries.push(("trusted".into(), name.clone(), b64(cert.der())));
    }
    let mut modules: BTreeMap<String, Map<String, Value>> = BTreeMap::new();
    for target in &options.targets {
        let section = match &target.store {
            None => format!("properties.desired.{PKI_PROPERTY}"),
            Some(store) => format!("properties.desired.{STORES_PROPERTY}.{store}"),
        };
        let content = modules.entry(target.module.clone()).or_default();
        for (list, name, value) in &entries {
            content.insert(format!("{section}.{list}.{name}"), value.clone());
        }
    }
    Ok(Configuration {
        id: options.id.clone(),
        schema_version: hub_proto::configuration::SCHEMA_VERSION.to_owned(),
        labels: BTreeMap::from([("createdBy".to_owned(), "opc-vault".to_owned())]),
        content: ConfigurationContent {
            modules_content: modules,
        },
        target_condition: options.target_condition.clone(),
        priority: options.priority,
        metrics: hub_proto::configuration::ConfigurationMetrics::default(),
        system_metrics: hub_proto::configuration::ConfigurationMetrics::default(),
        etag: None,
        created_time_utc: None,
        last_updated_time_utc: None,
    })
}

/// Where a configuration stands: devices targeted and devices that applied it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Counts {
    /// `systemMetrics.results.targetedCount`.
    pub targeted: u64,
    /// `systemMetrics.results.appliedCount`.
    pub applied: u64,
}

impl Counts {
    /// The counts of a configuration as the hub returned it.
    #[must_use]
    pub fn of(configuration: &Configuration) -> Self {
        let get = |name: &str| {
            configuration
                .system_metrics
                .results
                .get(name)
                .copied()
                .unwrap_or_default()
        };
        Self {
            targeted: get(TARGETED_COUNT),
            applied: get(APPLIED_COUNT),
        }
    }

    /// Every targeted device applied it.
    #[must_use]
    pub fn complete(self) -> bool {
        self.applied >= self.targeted
    }
}

/// Creates the configuration, or finds it there with the same content; refuses to change
/// the content of an existing one (IoT Hub does not allow it: use a new id).
pub async fn run(hub: &ServiceClient, wanted: &Configuration) -> Result<Configuration, VaultError> {
    let hub_error = |e: &ServiceError| VaultError::Invalid(crate::error_chain(e));
    match hub.get_configuration(&wanted.id).await {
        Ok(existing) if existing.content == wanted.content => {
            if existing.target_condition != wanted.target_condition
                || existing.priority != wanted.priority
            {
                // Target condition and priority may change on IoT Hub.
                let mut changed = existing.clone();
                changed.target_condition = wanted.target_condition.clone();
                changed.priority = wanted.priority;
                return hub
                    .put_configuration(&changed, existing.etag.as_deref())
                    .await
                    .map_err(|e| hub_error(&e));
            }
            Ok(existing)
        }
        Ok(_) => Err(VaultError::Invalid(format!(
            "the configuration {} exists with other content; IoT Hub does not allow changing a configuration's content: publish a new --id (and delete this one with --delete)",
            wanted.id
        ))),
        Err(ServiceError::Status { status: 404, .. }) => hub
            .put_configuration(wanted, None)
            .await
            .map_err(|e| hub_error(&e)),
        Err(e) => Err(hub_error(&e)),
    }
}

/// Polls the configuration until every targeted device applied it or `timeout` passed;
/// `say` hears each change of the counts. Returns the last counts.
pub async fn wait_applied(
    hub: &ServiceClient,
    id: &str,
    timeout: Duration,
    poll: Duration,
    say: &(dyn Fn(Counts) + Send + Sync),
) -> Result<Counts, VaultError> {
    let started = Instant::now();
    let mut last = None;
    loop {
        let configuration = hub
            .get_configuration(id)
            .await
            .map_err(|e| VaultError::Invalid(crate::error_chain(&e)))?;
        let counts = Counts::of(&configuration);
        if last != Some(counts) {
            say(counts);
            last = Some(counts);
        }
        if counts.complete() || started.elapsed() >= timeout {
            return Ok(counts);
        }
        tokio::time::sleep(poll).await;
    }
}

#[cfg(test)]
mod tests {
    use time::macros::datetime;

    use super::*;
    use crate::vault::{InitOptions, IntermediateOptions, Vault};

    fn state() -> (tempfile::TempDir, VaultState) {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let options = InitOptions {
            intermediate: Some(IntermediateOptions::default()),
            ..InitOptions::default()
        };
        let vault = Vault::init(
            &dir.path().join("v"),
            &options,
            datetime!(2026-12-07 0:00 UTC),
        )
        .unwrap_or_else(|e| panic!("{e}"));
        let state = vault.read().unwrap_or_else(|e| panic!("{e}"));
        (dir, state)
    }

    fn options(name: &str) -> TrustOptions {
        TrustOptions {
            id: "trust-next".into(),
            target_condition: "*".into(),
            priority: 10,
            targets: vec![Target::own("opcplc"), Target::store("certagent", "plc")],
            name: name.into(),
            extra: Vec::new(),
        }
    }

    #[test]
    fn the_content_trusts_the_chain_without_crls_in_every_store_under_the_names() {
        let (_dir, state) = state();
        let configuration =
            configuration(&state, &options("opcVaultNext")).unwrap_or_else(|e| panic!("{e}"));
        let plc = &configuration.content.modules_content["opcplc"];
        let mut keys: Vec<&String> = plc.keys().collect();
        keys.sort();
        assert_eq!(
            keys,
            vec![
                "properties.desired.pki.issuers.opcVaultNextIssuing",
                "properties.desired.pki.issuers.opcVaultNextRoot",
                "properties.desired.pki.trusted.opcVaultNextRoot",
            ]
        );
        assert_eq!(
            plc["properties.desired.pki.trusted.opcVaultNextRoot"],
            Value::String(BASE64.encode(state.root.der()))
        );
        let agent = &configuration.content.modules_content["certagent"];
        assert!(agent.contains_key("properties.desired.stores.plc.trusted.opcVaultNextRoot"));
        // Every key is one the hub's rules read as a desired path.
        for (module, content) in &configuration.content.modules_content {
            hub_proto::configuration::module_layer(module, content)
                .unwrap_or_else(|e| panic!("{e}"));
        }
        assert_eq!(configuration.target_condition, "*");
        assert_eq!(configuration.priority, 10);
    }

    #[test]
    fn a_name_the_twin_rules_refuse_is_an_error() {
        let (_dir, state) = state();
        let refused = configuration(&state, &options("opc.vault")).unwrap_err();
        assert!(refused.to_string().contains("opc.vault"), "{refused}");
    }

    #[test]
    fn counts_are_complete_once_every_targeted_device_applied() {
        let mut configuration = Configuration {
            id: "x".into(),
            schema_version: "1.0".into(),
            labels: BTreeMap::new(),
            content: ConfigurationContent::default(),
            target_condition: "*".into(),
            priority: 0,
            metrics: hub_proto::configuration::ConfigurationMetrics::default(),
            system_metrics: hub_proto::configuration::ConfigurationMetrics::default(),
            etag: None,
            created_time_utc: None,
            last_updated_time_utc: None,
        };
        configuration
            .system_metrics
            .results
            .insert(TARGETED_COUNT.into(), 3);
        configuration
            .system_metrics
            .results
            .insert(APPLIED_COUNT.into(), 2);
        assert!(!Counts::of(&configuration).complete());
        configuration
            .system_metrics
            .results
            .insert(APPLIED_COUNT.into(), 3);
        assert_eq!(
            Counts::of(&configuration),
            Counts {
                targeted: 3,
                applied: 3
            }
        );
        assert!(Counts::of(&configuration).complete());
    }
}
