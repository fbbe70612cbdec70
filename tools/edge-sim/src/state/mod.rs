//! The hub's state: identities (device, modules, the `iothubowner` policy) and module twins,
//! persisted as JSON in the state directory so that they survive a restart.
//!
//! [`State`] is shared by the MQTT server, the workload API and the service API. Mutations
//! take a short lock (never held across an `.await`), mark the state dirty for the persister
//! task and notify subscribers: desired changes per module ([`State::subscribe_desired`]) and
//! new module identities ([`State::subscribe_added`]).

mod identity;
pub mod metadata;
mod persist;
mod twin;

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use hub_proto::{DeviceId, ModuleId};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use time::OffsetDateTime;
use tokio::sync::{broadcast, watch};

pub use identity::{DeviceIdentity, ModuleIdentity, Policy, SymmetricKeys, generation_id};
pub use persist::write_atomic;
pub use twin::{Section, TwinRecord};

/// The file name of the persisted state inside the state directory.
pub const STATE_FILE: &str = "state.json";
/// The name of the service policy with full rights.
pub const IOTHUBOWNER: &str = "iothubowner";
/// The hub host name used when none is configured or persisted.
pub const DEFAULT_HUB_HOST: &str = "edge-sim.azure-devices.net";
/// `managedBy` of modules created from a deployment.
pub const MANAGED_BY_IOT_EDGE: &str = "iotEdge";

/// How many desired notifications a slow connection may lag behind before it misses some.
const DESIRED_CHANNEL_CAPACITY: usize = 64;

/// What [`State::open`] needs to create a state that does not exist yet.
#[derive(Debug, Clone)]
pub struct StateOptions {
    /// The IoT Hub host name; `None` keeps the persisted one (or [`DEFAULT_HUB_HOST`]).
    pub hub_host: Option<String>,
    /// The edge device id, used when the state is created.
    pub device_id: DeviceId,
    /// Module identities to create at start if missing.
    pub modules: Vec<ModuleId>,
}

/// Why the state could not be loaded or saved.
#[derive(Debug, thiserror::Error)]
pub enum StateError {
    /// The state file exists but could not be read.
    #[error("cannot read state file {path}")]
    Read {
        /// The file.
        path: PathBuf,
        /// The cause.
        #[source]
        source: std::io::Error,
    },
    /// The state file is not valid state JSON.
    #[error("state file {path} is corrupt")]
    Parse {
        /// The file.
        path: PathBuf,
        /// The cause.
        #[source]
        source: serde_json::Error,
    },
    /// The state could not be written.
    #[error("cannot write state file {path}")]
    Write {
        /// The file.
        path: PathBuf,
        /// The cause.
        #[source]
        source: std::io::Error,
    },
    /// Random keys could not be generated.
    #[error("cannot generate identity keys")]
    Keys(#[source] openssl::error::ErrorStack),
}

/// Why a twin or identity operation was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum UpdateError {
    /// No such device.
    #[error("device {0} does not exist")]
    DeviceNotFound(String),
    /// No such module identity.
    #[error("module {0} does not exist")]
    ModuleNotFound(ModuleId),
    /// `If-Match` names another etag.
    #[error("precondition failed: the etag is now {current}")]
    PreconditionFailed {
        /// The current etag.
        current: String,
    },
    /// Keys could not be generated for a new identity.
    #[error("cannot generate identity keys")]
    Keys,
}

/// A desired-properties notification for one module.
#[derive(Debug, Clone, PartialEq)]
pub struct DesiredUpdate {
    /// The desired `$version` after the change.
    pub version: u64,
    /// The patch as sent to the module, including `$version`.
    pub patch: Arc<Map<String, Value>>,
}

/// A change to a twin through the service API.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TwinUpdate {
    /// New or patched desired properties.
    pub desired: Option<Map<String, Value>>,
    /// New or patched tags.
    pub tags: Option<Map<String, Value>>,
}

/// A module identity to create or update (`PUT /devices/{d}/modules/{m}`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ModuleSpec {
    /// The module id.
    pub module_id: ModuleId,
    /// `managedBy`.
    pub managed_by: Option<String>,
    /// Keys to set; `None` keeps the existing ones or generates new ones.
    pub keys: Option<SymmetricKeys>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct ModuleRecord {
    identity: ModuleIdentity,
    twin: TwinRecord,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Snapshot {
    hub_host: String,
    device: DeviceIdentity,
    policy: Policy,
    modules: BTreeMap<ModuleId, ModuleRecord>,
}

/// The shared, persisted state of the simulated hub.
#[derive(Debug)]
pub struct State {
    path: PathBuf,
    inner: Mutex<Snapshot>,
    dirty: watch::Sender<u64>,
    desired: Mutex<HashMap<ModuleId, broadcast::Sender<DesiredUpdate>>>,
    added: broadcast::Sender<ModuleId>,
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    // A panic while holding the lock cannot leave a half-applied patch visible (every
    // mutation is one merge), so a poisoned lock is still usable.
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

fn now_stamp() -> String {
    metadata::timestamp(OffsetDateTime::now_utc())
}

impl State {
    /// Loads the state from `dir`, or creates it (fresh keys) when there is none, then
    /// creates the module identities of `options` that are missing and saves.
    pub fn open(dir: &Path, options: &StateOptions) -> Result<Self, StateError> {
        let path = dir.join(STATE_FILE);
        let now = OffsetDateTime::now_utc();
        let mut snapshot = match std::fs::read(&path) {
            Ok(bytes) => {
                serde_json::from_slice::<Snapshot>(&bytes).map_err(|source| StateError::Parse {
                    path: path.clone(),
                    source,
                })?
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Snapshot {
                hub_host: DEFAULT_HUB_HOST.to_owned(),
                device: DeviceIdentity {
                    device_id: options.device_id.clone(),
                    generation_id: generation_id(now),
                    keys: SymmetricKeys::generate().map_err(StateError::Keys)?,
                },
                policy: Policy {
                    name: IOTHUBOWNER.to_owned(),
                    keys: SymmetricKeys::generate().map_err(StateError::Keys)?,
                },
                modules: BTreeMap::new(),
            },
            Err(source) => return Err(StateError::Read { path, source }),
        };
        if let Some(host) = &options.hub_host {
            snapshot.hub_host.clone_from(host);
        }
        let stamp = metadata::timestamp(now);
        for module in &options.modules {
            if !snapshot.modules.contains_key(module) {
                let identity = ModuleIdentity::generate(
                    snapshot.device.device_id.clone(),
                    module.clone(),
                    now,
                )
                .map_err(StateError::Keys)?;
                snapshot.modules.insert(
                    module.clone(),
                    ModuleRecord {
                        identity,
                        twin: TwinRecord::new(&stamp),
                    },
                );
            }
        }
        let (dirty, _) = watch::channel(0);
        let (added, _) = broadcast::channel(DESIRED_CHANNEL_CAPACITY);
        let state = Self {
            path,
            inner: Mutex::new(snapshot),
            dirty,
            desired: Mutex::new(HashMap::new()),
            added,
        };
        state.save()?;
        Ok(state)
    }

    /// Writes the state file now (atomically, mode 0600: it holds keys).
    pub fn save(&self) -> Result<(), StateError> {
        let bytes = self.to_json();
        write_atomic(&self.path, &bytes, 0o600).map_err(|source| StateError::Write {
            path: self.path.clone(),
            source,
        })
    }

    /// The state as the JSON written to the state file.
    #[must_use]
    pub fn to_json(&self) -> Vec<u8> {
        // Serializing plain maps and strings cannot fail.
        serde_json::to_vec_pretty(&*lock(&self.inner)).unwrap_or_default()
    }

    /// The path of the state file.
    #[must_use]
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// A receiver that changes whenever the state needs saving.
    #[must_use]
    pub fn watch_dirty(&self) -> watch::Receiver<u64> {
        self.dirty.subscribe()
    }

    fn mark_dirty(&self) {
        self.dirty.send_modify(|n| *n = n.wrapping_add(1));
    }

    /// The IoT Hub host name (the SAS audience host).
    #[must_use]
    pub fn hub_host(&self) -> String {
        lock(&self.inner).hub_host.clone()
    }

    /// The edge device.
    #[must_use]
    pub fn device(&self) -> DeviceIdentity {
        lock(&self.inner).device.clone()
    }

    /// The `iothubowner` policy.
    #[must_use]
    pub fn policy(&self) -> Policy {
        lock(&self.inner).policy.clone()
    }

    /// A module identity.
    #[must_use]
    pub fn module(&self, module: &ModuleId) -> Option<ModuleIdentity> {
        lock(&self.inner)
            .modules
            .get(module)
            .map(|r| r.identity.clone())
    }

    /// Every module identity, ordered by id.
    #[must_use]
    pub fn modules(&self) -> Vec<ModuleIdentity> {
        lock(&self.inner)
            .modules
            .values()
            .map(|r| r.identity.clone())
            .collect()
    }

    /// The module's identity, created with fresh keys if missing.
    pub fn ensure_module(&self, module: &ModuleId) -> Result<ModuleIdentity, StateError> {
        let mut inner = lock(&self.inner);
        if let Some(record) = inner.modules.get(module) {
            return Ok(record.identity.clone());
        }
        let identity =
            Self::insert_module(&mut inner, module, None, None).map_err(StateError::Keys)?;
        drop(inner);
        self.mark_dirty();
        let _ = self.added.send(module.clone());
        Ok(identity)
    }

    fn insert_module(
        inner: &mut Snapshot,
        module: &ModuleId,
        keys: Option<SymmetricKeys>,
        managed_by: Option<String>,
    ) -> Result<ModuleIdentity, openssl::error::ErrorStack> {
        let mut identity = ModuleIdentity::generate(
            inner.device.device_id.clone(),
            module.clone(),
            OffsetDateTime::now_utc(),
        )?;
        if let Some(keys) = keys {
            identity.keys = keys;
        }
        identity.managed_by = managed_by;
        inner.modules.insert(
            module.clone(),
            ModuleRecord {
                identity: identity.clone(),
                twin: TwinRecord::new(&now_stamp()),
            },
        );
        Ok(identity)
    }

    /// Creates or updates a module identity; returns it and whether it was created.
    pub fn put_module(
        &self,
        spec: ModuleSpec,
        if_match: Option<&str>,
    ) -> Result<(ModuleIdentity, bool), UpdateError> {
        let mut inner = lock(&self.inner);
        let result = if let Some(record) = inner.modules.get_mut(&spec.module_id) {
            let identity = &mut record.identity;
            if !etag_allows(&identity.etag(), if_match) {
                return Err(UpdateError::PreconditionFailed {
                    current: identity.etag(),
                });
            }
            identity.managed_by = spec.managed_by;
            if let Some(keys) = spec.keys {
                identity.keys = keys;
            }
            identity.version = identity.version.saturating_add(1);
            (identity.clone(), false)
        } else {
            let identity =
                Self::insert_module(&mut inner, &spec.module_id, spec.keys, spec.managed_by)
                    .map_err(|_| UpdateError::Keys)?;
            (identity, true)
        };
        drop(inner);
        self.mark_dirty();
        if result.1 {
            let _ = self.added.send(result.0.module_id.clone());
        }
        Ok(result)
    }

    /// Deletes a module identity and its twin.
    pub fn delete_module(
        &self,
        module: &ModuleId,
        if_match: Option<&str>,
    ) -> Result<(), UpdateError> {
        let mut inner = lock(&self.inner);
        let record = inner
            .modules
            .get(module)
            .ok_or_else(|| UpdateError::ModuleNotFound(module.clone()))?;
        if !etag_allows(&record.identity.etag(), if_match) {
            return Err(UpdateError::PreconditionFailed {
                current: record.identity.etag(),
            });
        }
        inner.modules.remove(module);
        drop(inner);
        self.mark_dirty();
        Ok(())
    }

    /// A copy of a module's twin.
    #[must_use]
    pub fn twin(&self, module: &ModuleId) -> Option<TwinRecord> {
        lock(&self.inner)
            .modules
            .get(module)
            .map(|r| r.twin.clone())
    }

    /// A copy of every module twin, ordered by module id, taken at one instant.
    #[must_use]
    pub fn twins(&self) -> Vec<(ModuleId, TwinRecord)> {
        lock(&self.inner)
            .modules
            .iter()
            .map(|(id, r)| (id.clone(), r.twin.clone()))
            .collect()
    }

    /// Applies a (validated) reported patch; returns the new reported `$version`.
    pub fn patch_reported(
        &self,
        module: &ModuleId,
        patch: &Map<String, Value>,
    ) -> Result<u64, UpdateError> {
        let mut inner = lock(&self.inner);
        let record = inner
            .modules
            .get_mut(module)
            .ok_or_else(|| UpdateError::ModuleNotFound(module.clone()))?;
        let version = record.twin.patch_reported(patch, &now_stamp());
        drop(inner);
        self.mark_dirty();
        Ok(version)
    }

    /// Changes desired properties and tags: merged when `replace` is false (a `null`
    /// deletes), replaced otherwise. Honours `If-Match` and notifies the module.
    pub fn update_twin(
        &self,
        module: &ModuleId,
        update: &TwinUpdate,
        replace: bool,
        if_match: Option<&str>,
    ) -> Result<TwinRecord, UpdateError> {
        let mut inner = lock(&self.inner);
        let record = inner
            .modules
            .get_mut(module)
            .ok_or_else(|| UpdateError::ModuleNotFound(module.clone()))?;
        let twin = &mut record.twin;
        if !twin.if_match_allows(if_match) {
            return Err(UpdateError::PreconditionFailed {
                current: twin.etag(),
            });
        }
        let now = now_stamp();
        let notification = match (&update.desired, replace) {
            (Some(desired), false) if !desired.is_empty() => {
                Some(twin.patch_desired(desired, &now))
            }
            (Some(desired), true) => twin.replace_desired(desired, &now),
            _ => None,
        };
        match (&update.tags, replace) {
            (Some(tags), false) if !tags.is_empty() => twin.patch_tags(tags),
            (Some(tags), true) => twin.replace_tags(tags.clone()),
            _ => {}
        }
        let result = twin.clone();
        if let Some(patch) = notification {
            self.notify_desired(module, result.desired.version(), patch);
        }
        drop(inner);
        self.mark_dirty();
        Ok(result)
    }

    /// Applies a deployment's `modulesContent`: each module's desired properties are replaced
    /// by `properties.desired`, creating module identities as needed. Returns the modules.
    pub fn apply_configuration(
        &self,
        device: &str,
        modules_content: &Map<String, Value>,
    ) -> Result<Vec<ModuleId>, UpdateError> {
        if device != self.device().device_id.as_str() {
            return Err(UpdateError::DeviceNotFound(device.to_owned()));
        }
        let mut touched = Vec::new();
        for (name, content) in modules_content {
            let Ok(module) = ModuleId::new(name.clone()) else {
                continue;
            };
            let desired = content
                .get("properties.desired")
                .and_then(Value::as_object)
                .cloned()
                .unwrap_or_default();
            if self.module(&module).is_none() {
                self.put_module(
                    ModuleSpec {
                        module_id: module.clone(),
                        managed_by: Some(MANAGED_BY_IOT_EDGE.to_owned()),
                        keys: None,
                    },
                    None,
                )?;
            }
            let update = TwinUpdate {
                desired: Some(desired),
                tags: None,
            };
            self.update_twin(&module, &update, true, None)?;
            touched.push(module);
        }
        Ok(touched)
    }

    fn notify_desired(&self, module: &ModuleId, version: u64, patch: Map<String, Value>) {
        if let Some(tx) = lock(&self.desired).get(module) {
            // No receiver means no connection: IoT Hub drops notifications for offline
            // modules too (docs/reference/iot-edge.md §1.7).
            let _ = tx.send(DesiredUpdate {
                version,
                patch: Arc::new(patch),
            });
        }
    }

    /// Desired notifications for `module` from now on.
    #[must_use]
    pub fn subscribe_desired(&self, module: &ModuleId) -> broadcast::Receiver<DesiredUpdate> {
        lock(&self.desired)
            .entry(module.clone())
            .or_insert_with(|| broadcast::channel(DESIRED_CHANNEL_CAPACITY).0)
            .subscribe()
    }

    /// Ids of module identities created from now on.
    #[must_use]
    pub fn subscribe_added(&self) -> broadcast::Receiver<ModuleId> {
        self.added.subscribe()
    }
}

fn etag_allows(etag: &str, if_match: Option<&str>) -> bool {
    match if_match.map(|v| v.trim().trim_matches('"')) {
        None | Some("*" | "") => true,
        Some(tag) => tag == etag,
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn options(modules: &[&str]) -> StateOptions {
        StateOptions {
            hub_host: None,
            device_id: DeviceId::new("dev").unwrap(),
            modules: modules.iter().map(|m| ModuleId::new(*m).unwrap()).collect(),
        }
    }

    fn object(v: Value) -> Map<String, Value> {
        match v {
            Value::Object(m) => m,
            _ => Map::new(),
        }
    }

    #[test]
    fn state_survives_reopening_with_keys_and_twins() {
        let dir = tempfile::tempdir().unwrap();
        let m = ModuleId::new("opcplc").unwrap();
        let state = State::open(dir.path(), &options(&["opcplc"])).unwrap();
        let identity = state.module(&m).unwrap();
        let update = TwinUpdate {
            desired: Some(object(json!({"a": 1}))),
            tags: None,
        };
        state.update_twin(&m, &update, false, None).unwrap();
        state.save().unwrap();
        drop(state);
        let state = State::open(dir.path(), &options(&[])).unwrap();
        assert_eq!(state.module(&m).unwrap(), identity);
        assert_eq!(state.twin(&m).unwrap().desired.version(), 2);
    }

    #[test]
    fn desired_changes_are_announced_to_subscribers_of_that_module_only() {
        let dir = tempfile::tempdir().unwrap();
        let state = State::open(dir.path(), &options(&["a", "b"])).unwrap();
        let a = ModuleId::new("a").unwrap();
        let b = ModuleId::new("b").unwrap();
        let mut rx_a = state.subscribe_desired(&a);
        let mut rx_b = state.subscribe_desired(&b);
        let update = TwinUpdate {
            desired: Some(object(json!({"x": 1}))),
            tags: None,
        };
        state.update_twin(&a, &update, false, None).unwrap();
        let note = rx_a.try_recv().unwrap();
        assert_eq!(note.version, 2);
        assert_eq!(
            Value::Object((*note.patch).clone()),
            json!({"x": 1, "$version": 2})
        );
        assert!(rx_b.try_recv().is_err());
    }

    #[test]
    fn stale_etag_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let state = State::open(dir.path(), &options(&["a"])).unwrap();
        let a = ModuleId::new("a").unwrap();
        let etag = state.twin(&a).unwrap().etag();
        let update = TwinUpdate {
            desired: Some(object(json!({"x": 1}))),
            tags: None,
        };
        state.update_twin(&a, &update, false, Some(&etag)).unwrap();
        assert!(matches!(
            state.update_twin(&a, &update, false, Some(&format!("\"{etag}\""))),
            Err(UpdateError::PreconditionFailed { .. })
        ));
    }

    #[test]
    fn configuration_creates_modules_and_replaces_desired() {
        let dir = tempfile::tempdir().unwrap();
        let state = State::open(dir.path(), &options(&[])).unwrap();
        let mut added = state.subscribe_added();
        let content = object(json!({
            "$edgeAgent": {"properties.desired": {"schemaVersion": "1.1"}},
            "opcplc": {"properties.desired": {"pki": {"a": "b"}}}
        }));
        let touched = state.apply_configuration("dev", &content).unwrap();
        assert_eq!(touched.len(), 2);
        assert_eq!(added.try_recv().unwrap().as_str(), "$edgeAgent");
        let twin = state.twin(&ModuleId::new("opcplc").unwrap()).unwrap();
        assert_eq!(twin.desired.properties()["pki"], json!({"a": "b"}));
        assert!(matches!(
            state.apply_configuration("other", &content),
            Err(UpdateError::DeviceNotFound(_))
        ));
    }
}
