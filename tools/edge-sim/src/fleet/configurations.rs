//! IoT Hub configurations (layered deployments) over the fleet's module twins.
//!
//! A configuration targets fleet devices by its `targetCondition`, a twin query condition on
//! the device: `*` (every device), or any `WHERE` condition `hub_proto::query` evaluates,
//! against `{"deviceId": …}` (fleet devices have no tags; a condition on `tags.…` targets no
//! device), e.g. `deviceId = 'plant-0001'`, `deviceId IN ['plant-0001', 'plant-0002']`,
//! `STARTSWITH(deviceId, 'plant-00')`. An empty condition targets no device.
//!
//! After every change (create, replace, delete) every fleet module twin gets the desired patch
//! `hub_proto::configuration::layer_patch` computes from what the configurations set on it
//! before and what they set now ([`hub_proto::configuration::resolve`]: the higher priority
//! wins per path; on equal priority the one created later). Modules of `modulesContent` that
//! the fleet devices do not have are ignored.
//!
//! Metrics: `targetedCount` is the number of targeted devices; `appliedCount` the targeted
//! devices where every module of the content that the device has reports, in every section it
//! reports (`pki`, or each `stores.<name>`), `status: applied` with a `desiredVersion` at or
//! after the desired `$version` the module's twin had right after this configuration was last
//! created or replaced. A user metric `SELECT deviceId FROM devices.modules WHERE …` counts the
//! distinct fleet devices with a module twin matching the condition.

use std::collections::BTreeMap;

use hub_proto::configuration::{
    APPLIED_COUNT, Configuration, ConfigurationMetrics, ContentError, Precedence, TARGETED_COUNT,
    layer_patch, module_layer, resolve,
};
use hub_proto::query::{Collection, Query};
use serde_json::{Map, Value, json};

use super::{FleetModule, FleetTwin, ModuleKind, TwinKey, now_stamp};

/// Why a configuration was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ConfigurationError {
    /// No configuration with this id.
    #[error("configuration {0} does not exist")]
    NotFound(String),
    /// `If-Match` names another etag (or a configuration that does not exist).
    #[error("precondition failed: {0}")]
    PreconditionFailed(String),
    /// The document is invalid.
    #[error("{0}")]
    Invalid(String),
}

impl From<ContentError> for ConfigurationError {
    fn from(e: ContentError) -> Self {
        Self::Invalid(e.to_string())
    }
}

/// Which devices a configuration targets.
#[derive(Debug, Clone)]
enum Target {
    All,
    Nothing,
    Condition(Box<Query>),
}

impl Target {
    fn parse(text: &str) -> Result<Self, ConfigurationError> {
        let text = text.trim();
        if text == "*" {
            return Ok(Self::All);
        }
        if text.is_empty() {
            return Ok(Self::Nothing);
        }
        Query::parse(&format!("SELECT * FROM devices WHERE {text}"))
            .map(|q| Self::Condition(Box::new(q)))
            .map_err(|e| {
                ConfigurationError::Invalid(format!("invalid targetCondition {text:?}: {e}"))
            })
    }

    fn targets(&self, device: &str) -> bool {
        match self {
            Self::All => true,
            Self::Nothing => false,
            Self::Condition(q) => q.matches(&json!({"deviceId": device})),
        }
    }
}

/// A user metric: a module twin query counted by distinct devices.
fn parse_metric(name: &str, text: &str) -> Result<Query, ConfigurationError> {
    let trimmed = text.trim_start();
    let rest = trimmed
        .get(..15)
        .filter(|head| head.eq_ignore_ascii_case("SELECT deviceId"))
        .map(|_| &trimmed[15..]);
    let invalid = |why: String| ConfigurationError::Invalid(format!("metric {name}: {why}"));
    let Some(rest) = rest else {
        return Err(invalid(format!(
            "{text:?} is not SELECT deviceId FROM devices.modules …"
        )));
    };
    let query = Query::parse(&format!("SELECT *{rest}")).map_err(|e| invalid(e.to_string()))?;
    if query.from != Collection::Modules {
        return Err(invalid(
            "edge-sim counts module twins: FROM devices.modules".into(),
        ));
    }
    Ok(query)
}

#[derive(Debug, Clone)]
struct Stored {
    configuration: Configuration,
    version: u64,
    target: Target,
    precedence: Precedence,
    layers: BTreeMap<String, BTreeMap<String, Value>>,
    metrics: BTreeMap<String, Query>,
    /// The desired `$version` of each twin right after this configuration was last written.
    written: BTreeMap<TwinKey, u64>,
}

/// The configurations of the hub and what they set on each fleet twin.
#[derive(Debug, Default)]
pub struct Configurations {
    items: BTreeMap<String, Stored>,
    /// What the configurations set on each twin (path -> value) after the last change.
    applied: BTreeMap<TwinKey, BTreeMap<String, Value>>,
    /// Etag counter: every write takes the next value.
    versions: u64,
}

/// The fleet's twins as the configurations see them.
pub(crate) struct Twins<'a> {
    devices: Vec<String>,
    /// The devices that are online.
    online: std::collections::BTreeSet<String>,
    table: &'a mut BTreeMap<TwinKey, FleetTwin>,
    modules: &'a [FleetModule],
}

impl<'a> Twins<'a> {
    pub(crate) fn new(
        devices: impl Iterator<Item = (&'a String, bool)>,
        twins: &'a mut BTreeMap<TwinKey, FleetTwin>,
        modules: &'a [FleetModule],
    ) -> Self {
        let devices: Vec<(&String, bool)> = devices.collect();
        Self {
            online: devices
                .iter()
                .filter(|(_, online)| *online)
                .map(|(d, _)| (*d).clone())
                .collect(),
            devices: devices.into_iter().map(|(d, _)| d.clone()).collect(),
            table: twins,
            modules,
        }
    }
}

fn etag(version: u64) -> String {
    use base64::Engine as _;
    base64::engine::general_purpose::STANDARD.encode(version.to_be_bytes())
}

fn if_match_allows(current: Option<&str>, if_match: Option<&str>) -> bool {
    match if_match.map(|v| v.trim().trim_matches('"')) {
        None | Some("*" | "") => true,
        Some(tag) => current == Some(tag),
    }
}

impl Configurations {
    /// Creates or replaces configuration `id` from `configuration` (its `id` must be empty or
    /// `id`), honouring `If-Match`, and applies the change to the twins. Returns the stored
    /// configuration and whether it was created.
    pub(crate) fn put(
        &mut self,
        twins: &mut Twins<'_>,
        id: &str,
        mut configuration: Configuration,
        if_match: Option<&str>,
    ) -> Result<(Configuration, bool), ConfigurationError> {
        if !configuration.id.is_empty() && configuration.id != id {
            return Err(ConfigurationError::Invalid(format!(
                "the body's id {:?} is not the URL's {id:?}",
                configuration.id
            )));
        }
        if id.is_empty() || id.len() > 128 {
            return Err(ConfigurationError::Invalid(format!(
                "invalid configuration id {id:?}"
            )));
        }
        let existing = self.items.get(id);
        let current = existing.map(|s| etag(s.version));
        if !if_match_allows(current.as_deref(), if_match) {
            return Err(ConfigurationError::PreconditionFailed(match current {
                Some(etag) => format!("the etag of configuration {id} is now {etag}"),
                None => format!("configuration {id} does not exist"),
            }));
        }
        let target = Target::parse(&configuration.target_condition)?;
        let mut layers = BTreeMap::new();
        for (module, content) in &configuration.content.modules_content {
            layers.insert(module.clone(), module_layer(module, content)?);
        }
        let metrics = configuration
            .metrics
            .queries
            .iter()
            .map(|(name, text)| Ok((name.clone(), parse_metric(name, text)?)))
            .collect::<Result<_, ConfigurationError>>()?;
        let now = now_stamp();
        let created = existing.is_none();
        id.clone_into(&mut configuration.id);
        configuration.created_time_utc = Some(
            existing
                .and_then(|s| s.configuration.created_time_utc.clone())
                .unwrap_or_else(|| now.clone()),
        );
        configuration.last_updated_time_utc = Some(now);
        hub_proto::configuration::SCHEMA_VERSION.clone_into(&mut configuration.schema_version);
        configuration.system_metrics = ConfigurationMetrics::default();
        configuration.metrics.results.clear();
        self.versions += 1;
        let stored = Stored {
            precedence: Precedence::of(&configuration),
            configuration,
            version: self.versions,
            target,
            layers,
            metrics,
            written: BTreeMap::new(),
        };
        self.items.insert(id.to_owned(), stored);
        self.apply(twins, Some(id));
        Ok((self.view(twins, id)?, created))
    }

    /// Deletes configuration `id` (honouring `If-Match`) and takes back what it set.
    pub(crate) fn delete(
        &mut self,
        twins: &mut Twins<'_>,
        id: &str,
        if_match: Option<&str>,
    ) -> Result<(), ConfigurationError> {
        let stored = self
            .items
            .get(id)
            .ok_or_else(|| ConfigurationError::NotFound(id.to_owned()))?;
        let current = etag(stored.version);
        if !if_match_allows(Some(&current), if_match) {
            return Err(ConfigurationError::PreconditionFailed(format!(
                "the etag of configuration {id} is now {current}"
            )));
        }
        self.items.remove(id);
        self.apply(twins, None);
        Ok(())
    }

    /// Configuration `id` with its etag and metrics now.
    pub(crate) fn get(
        &self,
        twins: &Twins<'_>,
        id: &str,
    ) -> Result<Configuration, ConfigurationError> {
        self.view(twins, id)
    }

    /// Every configuration, by id.
    pub(crate) fn list(&self, twins: &Twins<'_>) -> Vec<Configuration> {
        self.items
            .keys()
            .filter_map(|id| self.view(twins, id).ok())
            .collect()
    }

    /// Applies the configurations again on top of `device`'s twins as they are now, as after
    /// a deployment replaced their desired properties (`applyConfigurationContent`).
    pub(crate) fn reapply(&mut self, twins: &mut Twins<'_>, device: &str) {
        self.applied.retain(|(d, _), _| d != device);
        self.apply(twins, None);
    }

    /// Brings every fleet twin to what the configurations set now; records the desired
    /// `$version` for the configuration `written` (just created or replaced).
    fn apply(&mut self, twins: &mut Twins<'_>, written: Option<&str>) {
        let now = now_stamp();
        let mut written_versions = Vec::new();
        for device in &twins.devices {
            let targeting: Vec<&Stored> = self
                .items
                .values()
                .filter(|s| s.target.targets(device))
                .collect();
            for module in twins.modules {
                let key = (device.clone(), module.id.to_string());
                let layers = targeting.iter().filter_map(|s| {
                    s.layers
                        .get(module.id.as_str())
                        .map(|layer| (&s.precedence, layer))
                });
                let current: BTreeMap<String, Value> = resolve(layers)
                    .into_iter()
                    .map(|(path, (_, value))| (path, value))
                    .collect();
                let previous = self.applied.get(&key).cloned().unwrap_or_default();
                let patch = layer_patch(&previous, &current);
                let Some(entry) = twins.table.get_mut(&key) else {
                    continue;
                };
                if !patch.is_empty() {
                    entry.twin.patch_desired(&patch, &now);
                    entry.wake.notify_one();
                }
                if current.is_empty() {
                    self.applied.remove(&key);
                } else {
                    self.applied.insert(key.clone(), current);
                }
                if let Some(id) = written {
                    written_versions.push((key, entry.twin.desired.version(), id.to_owned()));
                }
            }
        }
        for (key, version, id) in written_versions {
            if let Some(stored) = self.items.get_mut(&id)
                && stored.layers.contains_key(key.1.as_str())
            {
                if stored.target.targets(&key.0) {
                    stored.written.insert(key, version);
                } else {
                    stored.written.remove(&key);
                }
            }
        }
    }

    fn view(&self, twins: &Twins<'_>, id: &str) -> Result<Configuration, ConfigurationError> {
        let stored = self
            .items
            .get(id)
            .ok_or_else(|| ConfigurationError::NotFound(id.to_owned()))?;
        let mut configuration = stored.configuration.clone();
        configuration.etag = Some(etag(stored.version));
        let targeted: Vec<&String> = twins
            .devices
            .iter()
            .filter(|d| stored.target.targets(d))
            .collect();
        let applied = targeted
            .iter()
            .filter(|device| applied_on(stored, twins, device))
            .count();
        let system = &mut configuration.system_metrics;
        system
            .results
            .insert(TARGETED_COUNT.to_owned(), targeted.len() as u64);
        system
            .results
            .insert(APPLIED_COUNT.to_owned(), applied as u64);
        system.queries.insert(
            TARGETED_COUNT.to_owned(),
            format!(
                "SELECT deviceId FROM devices WHERE {}",
                stored.configuration.target_condition
            ),
        );
        system.queries.insert(
            APPLIED_COUNT.to_owned(),
            "targeted devices whose content modules report status 'applied' at or after the desired version this configuration wrote".to_owned(),
        );
        for (name, query) in &stored.metrics {
            let mut devices = std::collections::BTreeSet::new();
            for ((device, module), entry) in twins.table.iter() {
                let online = twins.online.contains(device);
                let json = crate::service_api::twin_json_of(device, module, &entry.twin, online);
                if query.matches(&json) {
                    devices.insert(device);
                }
            }
            configuration
                .metrics
                .results
                .insert(name.clone(), devices.len() as u64);
        }
        Ok(configuration)
    }
}

/// Whether every content module of `stored` on `device` reports it applied.
fn applied_on(stored: &Stored, twins: &Twins<'_>, device: &str) -> bool {
    let mut any = false;
    for module in twins.modules {
        if !stored.layers.contains_key(module.id.as_str()) {
            continue;
        }
        let key = (device.to_owned(), module.id.to_string());
        let (Some(wanted), Some(entry)) = (stored.written.get(&key), twins.table.get(&key)) else {
            return false;
        };
        let reported = entry.twin.reported.properties();
        let sections: Vec<Option<&Value>> = match &module.kind {
            ModuleKind::OwnPki => vec![reported.get(provisioning::PKI_PROPERTY)],
            ModuleKind::Stores(names) => names
                .iter()
                .map(|n| {
                    reported
                        .get(provisioning::STORES_PROPERTY)
                        .and_then(|s| s.get(n.as_str()))
                })
                .collect(),
        };
        let ok = sections.iter().all(|section| {
            section.is_some_and(|s| {
                s.get("status").and_then(Value::as_str) == Some("applied")
                    && s.get("desiredVersion")
                        .and_then(Value::as_u64)
                        .is_some_and(|v| v >= *wanted)
            })
        });
        if !ok {
            return false;
        }
        any = true;
    }
    any
}

/// A JSON object from a configuration, for answers.
pub(crate) fn to_json(configuration: &Configuration) -> Value {
    serde_json::to_value(configuration).unwrap_or_else(|_| Value::Object(Map::new()))
}
