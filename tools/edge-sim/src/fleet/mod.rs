//! Fleets: many simulated devices in the same process as the edge device, served by the same
//! service API (docs/edge-sim.md, Fleets; ADR 0015).
//!
//! A fleet device is not an IoT Edge device with processes: it is a row of module twins in the
//! fleet's own twin table ([`Fleet`], beside [`crate::State`], which keeps the one edge device
//! and stays as it was), and each of its modules is a small async task ([`module`]) that reacts
//! to desired changes of its twin by running the project's `provisioning` library on a real
//! store under `<state>/fleet/<device>/<module>[/<store>]`, then writes the reported section
//! (`pki`, or `stores.<name>`) as `opc-plc` or `cert-agent` would. The service API dispatches
//! by device id: the edge device's id goes to [`crate::State`], a fleet device's to [`Fleet`].
//!
//! Fleet twins live in memory only (the stores are on disk and are found again by the next
//! start); they are not persisted in `state.json`.
//!
//! # Layout
//! - `cert`: a module's first start, the self-signed certificate (one key per module kind).
//! - `module`: the module tasks and their pass over the stores.
//! - [`configurations`]: IoT Hub configurations (layered deployments) applied to fleet twins.

mod cert;
pub mod configurations;
mod module;

use std::collections::BTreeMap;
use std::ops::ControlFlow;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use hub_proto::twin::diff;
use hub_proto::{DeviceId, ModuleId};
use pki::{Operation, PlanOptions, Store, StoreLayout};
use provisioning::StoreName;
use serde_json::{Map, Value};
use time::OffsetDateTime;
use tokio::sync::{Notify, Semaphore};
use tokio::task::JoinSet;
use tokio_util::sync::CancellationToken;

pub use cert::{CertError, application_uri};
pub use configurations::Configurations;

use crate::state::metadata;
use crate::state::{ModuleIdentity, TwinRecord, TwinUpdate, UpdateError};

/// The directory under the state directory holding the fleet's stores.
pub const FLEET_DIR: &str = "fleet";
/// The device id prefix when none is given: `plant-0001`, `plant-0002`, …
pub const DEFAULT_PREFIX: &str = "plant-";
/// The module of the default fleet that keeps its own store (`pki`), like `opc-plc`.
pub const DEFAULT_OWN_MODULE: &str = "opcplc";
/// The module of the default fleet that keeps another app's store, like `cert-agent`.
pub const DEFAULT_AGENT_MODULE: &str = "certagent";
/// The store the default fleet's agent module keeps (`stores.plc`).
pub const DEFAULT_AGENT_STORE: &str = "plc";

/// What a simulated module does with its twin.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ModuleKind {
    /// Its own store under `properties.desired.pki`, reported as `pki` (like `opc-plc`).
    OwnPki,
    /// Stores of other apps under `properties.desired.stores.<name>`, reported as
    /// `stores.<name>` (like `cert-agent`); a `restartModule` is answered as done at once.
    Stores(Vec<StoreName>),
}

/// One simulated module of every fleet device.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FleetModule {
    /// The module id.
    pub id: ModuleId,
    /// What it does.
    pub kind: ModuleKind,
}

/// Why a fleet configuration is invalid.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FleetConfigError {
    /// A module id is not a valid module id.
    #[error("invalid fleet module id {0:?}")]
    ModuleId(String),
    /// A store name is not a store name.
    #[error("invalid store name {name:?} of fleet module {module}: {reason}")]
    StoreName {
        /// The module.
        module: String,
        /// The name.
        name: String,
        /// Why.
        reason: String,
    },
    /// The prefix does not make valid device ids.
    #[error("fleet prefix {prefix:?} does not make valid device ids: {reason}")]
    Prefix {
        /// The prefix.
        prefix: String,
        /// Why.
        reason: String,
    },
    /// Two modules have the same id.
    #[error("fleet module {0} is configured twice")]
    Duplicate(String),
    /// A fleet device would have the edge device's id.
    #[error("fleet device {0} has the id of the edge device")]
    EdgeDevice(String),
}

impl FleetModule {
    /// A module with its own store, reported as `pki`.
    pub fn own_pki(id: &str) -> Result<Self, FleetConfigError> {
        Ok(Self {
            id: ModuleId::new(id).map_err(|_| FleetConfigError::ModuleId(id.to_owned()))?,
            kind: ModuleKind::OwnPki,
        })
    }

    /// A module keeping the stores `stores`, reported as `stores.<name>`.
    pub fn stores(id: &str, stores: &[&str]) -> Result<Self, FleetConfigError> {
        let names = stores
            .iter()
            .map(|name| {
                StoreName::new(name).map_err(|e| FleetConfigError::StoreName {
                    module: id.to_owned(),
                    name: (*name).to_owned(),
                    reason: e.to_string(),
                })
            })
            .collect::<Result<_, _>>()?;
        Ok(Self {
            id: ModuleId::new(id).map_err(|_| FleetConfigError::ModuleId(id.to_owned()))?,
            kind: ModuleKind::Stores(names),
        })
    }

    /// Parses `<module>` (own `pki`) or `<module>:<store>[+<store>…]` (stores), the CLI's
    /// `--fleet-module` syntax.
    pub fn parse(text: &str) -> Result<Self, FleetConfigError> {
        match text.split_once(':') {
            None => Self::own_pki(text),
            Some((id, stores)) => {
                let stores: Vec<&str> = stores.split('+').collect();
                Self::stores(id, &stores)
            }
        }
    }
}

impl std::fmt::Display for FleetModule {
    /// The [`FleetModule::parse`] syntax.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.kind {
            ModuleKind::OwnPki => write!(f, "{}", self.id),
            ModuleKind::Stores(names) => {
                let names: Vec<&str> = names.iter().map(StoreName::as_str).collect();
                write!(f, "{}:{}", self.id, names.join("+"))
            }
        }
    }
}

/// A fleet: `devices` devices `<prefix>0001`…, each with the same `modules`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FleetConfig {
    /// How many devices.
    pub devices: u32,
    /// The device id prefix.
    pub prefix: String,
    /// The simulated modules of every device.
    pub modules: Vec<FleetModule>,
}

impl FleetConfig {
    /// `devices` devices `plant-0001`… with `opcplc` (own `pki`) and `certagent` keeping the
    /// store `plc`.
    #[must_use]
    #[allow(
        clippy::missing_panics_doc,
        reason = "literal ids, proven valid by a unit test"
    )]
    pub fn new(devices: u32) -> Self {
        #[allow(
            clippy::expect_used,
            reason = "literal ids, proven valid by a unit test"
        )]
        let modules = vec![
            FleetModule::own_pki(DEFAULT_OWN_MODULE).expect("valid module id"),
            FleetModule::stores(DEFAULT_AGENT_MODULE, &[DEFAULT_AGENT_STORE])
                .expect("valid module id and store name"),
        ];
        Self {
            devices,
            prefix: DEFAULT_PREFIX.to_owned(),
            modules,
        }
    }

    /// The device ids, `<prefix>0001`… (at least four digits).
    pub fn device_ids(&self) -> Result<Vec<DeviceId>, FleetConfigError> {
        (1..=self.devices)
            .map(|n| {
                let id = format!("{}{n:04}", self.prefix);
                DeviceId::new(&id).map_err(|e| FleetConfigError::Prefix {
                    prefix: self.prefix.clone(),
                    reason: e.to_string(),
                })
            })
            .collect()
    }

    /// Checks the ids and names (and that no module is configured twice).
    pub fn validate(&self) -> Result<(), FleetConfigError> {
        self.device_ids()?;
        let mut seen = std::collections::BTreeSet::new();
        for module in &self.modules {
            if !seen.insert(module.id.as_str()) {
                return Err(FleetConfigError::Duplicate(module.id.to_string()));
            }
        }
        Ok(())
    }
}

/// Why the fleet could not start.
#[derive(Debug, thiserror::Error)]
pub enum FleetError {
    /// The configuration is invalid.
    #[error("invalid fleet")]
    Config(#[from] FleetConfigError),
    /// A shared module key or an identity's keys could not be generated.
    #[error("cannot generate the fleet's module keys")]
    Key(#[source] openssl::error::ErrorStack),
    /// A store could not be created or opened.
    #[error("cannot create the store {path} of fleet module {device}/{module}")]
    Store {
        /// The device.
        device: String,
        /// The module.
        module: String,
        /// The store folder.
        path: PathBuf,
        /// Why.
        #[source]
        source: Box<dyn std::error::Error + Send + Sync>,
    },
}

/// Why a fleet call was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FleetCallError {
    /// No such fleet device.
    #[error("fleet device {0} does not exist")]
    DeviceNotFound(String),
}

/// A twin's key: (device id, module id); the table and the twin query are in this order.
pub(crate) type TwinKey = (String, String);

struct DeviceEntry {
    online: bool,
    /// Bumped when the device comes online: its modules apply the full document again.
    epoch: u64,
}

pub(crate) struct FleetTwin {
    twin: TwinRecord,
    wake: Arc<Notify>,
    /// The module identity (fresh keys at every start; read-only through the service API).
    identity: ModuleIdentity,
}

struct Table {
    devices: BTreeMap<String, DeviceEntry>,
    twins: BTreeMap<TwinKey, FleetTwin>,
    configurations: Configurations,
}

/// What a module task reads of its twin.
#[derive(Debug, Clone)]
pub(crate) struct ModuleView {
    pub(crate) online: bool,
    pub(crate) epoch: u64,
    pub(crate) desired: Map<String, Value>,
    pub(crate) version: u64,
}

/// The fleet's twin table and its devices' online state.
pub struct Fleet {
    table: Mutex<Table>,
    modules: Vec<FleetModule>,
}

impl std::fmt::Debug for Fleet {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Fleet")
            .field("devices", &lock(&self.table).devices.len())
            .field("modules", &self.modules)
            .finish_non_exhaustive()
    }
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    // Every mutation is one merge under the lock: a poisoned lock is still consistent.
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

fn now_stamp() -> String {
    metadata::timestamp(OffsetDateTime::now_utc())
}

/// One module's stores, opened.
struct ModuleStores {
    device: String,
    module: FleetModule,
    stores: Vec<(Option<StoreName>, Store)>,
}

impl Fleet {
    /// Creates the stores (a self-signed certificate where a store has none), the twin table
    /// and one task per module, spawned on `tasks` until `shutdown`. Blocking (store I/O and
    /// signatures, spread over the machine's cores): call it from a blocking thread.
    pub(crate) fn start(
        config: &FleetConfig,
        edge_device: &str,
        state_dir: &Path,
    ) -> Result<(Arc<Self>, FleetTasks), FleetError> {
        config.validate()?;
        let devices = config.device_ids()?;
        if let Some(clash) = devices.iter().find(|d| d.as_str() == edge_device) {
            return Err(FleetConfigError::EdgeDevice(clash.to_string()).into());
        }
        let root = state_dir.join(FLEET_DIR);
        let keys = config
            .modules
            .iter()
            .map(|_| cert::generate_key())
            .collect::<Result<Vec<_>, _>>()
            .map_err(FleetError::Key)?;
        let now = OffsetDateTime::now_utc();
        let opened = open_all(&devices, &config.modules, &keys, &root, now);
        let opened = opened.into_iter().collect::<Result<Vec<_>, _>>()?;
        let stamp = now_stamp();
        let mut twins = BTreeMap::new();
        let mut tasks = Vec::new();
        for module in opened {
            let wake = Arc::new(Notify::new());
            let identity = ModuleIdentity::generate(
                DeviceId::new(&module.device).map_err(|e| FleetConfigError::Prefix {
                    prefix: config.prefix.clone(),
                    reason: e.to_string(),
                })?,
                module.module.id.clone(),
                now,
            )
            .map_err(FleetError::Key)?;
            twins.insert(
                (module.device.clone(), module.module.id.to_string()),
                FleetTwin {
                    twin: TwinRecord::new(&stamp),
                    wake: wake.clone(),
                    identity,
                },
            );
            tasks.push((module, wake));
        }
        let devices = devices
            .iter()
            .map(|d| {
                (
                    d.to_string(),
                    DeviceEntry {
                        online: true,
                        epoch: 1,
                    },
                )
            })
            .collect();
        let fleet = Arc::new(Self {
            table: Mutex::new(Table {
                devices,
                twins,
                configurations: Configurations::default(),
            }),
            modules: config.modules.clone(),
        });
        Ok((
            fleet.clone(),
            FleetTasks {
                fleet,
                modules: tasks,
            },
        ))
    }

    /// The simulated modules of every device.
    #[must_use]
    pub fn modules(&self) -> &[FleetModule] {
        &self.modules
    }

    /// The device ids, in order.
    #[must_use]
    pub fn devices(&self) -> Vec<String> {
        lock(&self.table).devices.keys().cloned().collect()
    }

    /// Whether `device` is a fleet device.
    #[must_use]
    pub fn contains_device(&self, device: &str) -> bool {
        lock(&self.table).devices.contains_key(device)
    }

    /// Whether the device is online; `None` for no fleet device.
    #[must_use]
    pub fn is_online(&self, device: &str) -> Option<bool> {
        lock(&self.table).devices.get(device).map(|d| d.online)
    }

    /// Switches a device on- or offline. Offline, its modules neither apply nor report
    /// (desired patches are still accepted, like IoT Hub for a disconnected device); back
    /// online, every module applies the current full desired document and reports, like a
    /// module after a reconnect. Setting the state it already has changes nothing.
    pub fn set_online(&self, device: &str, online: bool) -> Result<(), FleetCallError> {
        let mut table = lock(&self.table);
        let entry = table
            .devices
            .get_mut(device)
            .ok_or_else(|| FleetCallError::DeviceNotFound(device.to_owned()))?;
        if entry.online == online {
            return Ok(());
        }
        entry.online = online;
        if online {
            entry.epoch = entry.epoch.wrapping_add(1);
        }
        for ((_, _), twin) in table
            .twins
            .range((device.to_owned(), String::new())..)
            .take_while(|((d, _), _)| d == device)
        {
            twin.wake.notify_one();
        }
        Ok(())
    }

    /// A copy of a module twin.
    #[must_use]
    pub fn twin(&self, device: &str, module: &str) -> Option<TwinRecord> {
        lock(&self.table)
            .twins
            .get(&(device.to_owned(), module.to_owned()))
            .map(|t| t.twin.clone())
    }

    /// The module identities of a device, by module id; `None` for no fleet device.
    #[must_use]
    pub fn identities(&self, device: &str) -> Option<Vec<ModuleIdentity>> {
        let table = lock(&self.table);
        table.devices.get(device)?;
        Some(
            table
                .twins
                .range((device.to_owned(), String::new())..)
                .take_while(|((d, _), _)| d == device)
                .map(|(_, t)| t.identity.clone())
                .collect(),
        )
    }

    /// Changes desired properties and tags like the service API (`replace` for PUT), with
    /// `If-Match`, and wakes the module.
    pub fn update_twin(
        &self,
        device: &str,
        module: &ModuleId,
        update: &TwinUpdate,
        replace: bool,
        if_match: Option<&str>,
    ) -> Result<TwinRecord, UpdateError> {
        let mut table = lock(&self.table);
        if !table.devices.contains_key(device) {
            return Err(UpdateError::DeviceNotFound(device.to_owned()));
        }
        let entry = table
            .twins
            .get_mut(&(device.to_owned(), module.to_string()))
            .ok_or_else(|| UpdateError::ModuleNotFound(module.clone()))?;
        if !entry.twin.if_match_allows(if_match) {
            return Err(UpdateError::PreconditionFailed {
                current: entry.twin.etag(),
            });
        }
        let now = now_stamp();
        let twin = &mut entry.twin;
        match (&update.desired, replace) {
            (Some(desired), false) if !desired.is_empty() => {
                twin.patch_desired(desired, &now);
            }
            (Some(desired), true) => {
                twin.replace_desired(desired, &now);
            }
            _ => {}
        }
        match (&update.tags, replace) {
            (Some(tags), false) if !tags.is_empty() => twin.patch_tags(tags),
            (Some(tags), true) => twin.replace_tags(tags.clone()),
            _ => {}
        }
        entry.wake.notify_one();
        Ok(entry.twin.clone())
    }

    /// Merges `patch` (`null` deletes) into a module's desired properties, like a service
    /// PATCH without `If-Match`.
    pub fn patch_desired(
        &self,
        device: &str,
        module: &ModuleId,
        patch: Map<String, Value>,
    ) -> Result<TwinRecord, UpdateError> {
        let update = TwinUpdate {
            desired: Some(patch),
            tags: None,
        };
        self.update_twin(device, module, &update, false, None)
    }

    /// Calls `f` with every twin after `after` in (device, module) order, with whether its
    /// device is online, until it breaks.
    pub(crate) fn for_each_twin(
        &self,
        after: Option<&TwinKey>,
        mut f: impl FnMut(&TwinKey, &TwinRecord, bool) -> ControlFlow<()>,
    ) {
        let table = lock(&self.table);
        let range: Box<dyn Iterator<Item = (&TwinKey, &FleetTwin)>> = match after {
            Some(after) => Box::new(table.twins.range::<TwinKey, _>((
                std::ops::Bound::Excluded(after),
                std::ops::Bound::Unbounded,
            ))),
            None => Box::new(table.twins.iter()),
        };
        for (key, twin) in range {
            let online = table.devices.get(&key.0).is_some_and(|d| d.online);
            if f(key, &twin.twin, online).is_break() {
                break;
            }
        }
    }

    /// What a module task needs of its twin.
    pub(crate) fn view(&self, device: &str, module: &str) -> Option<ModuleView> {
        let table = lock(&self.table);
        let entry = table.devices.get(device)?;
        let twin = &table
            .twins
            .get(&(device.to_owned(), module.to_owned()))?
            .twin;
        Some(ModuleView {
            online: entry.online,
            epoch: entry.epoch,
            desired: twin.desired.properties().clone(),
            version: twin.desired.version(),
        })
    }

    /// Writes the new full value of the reported `property` as the difference to what the
    /// twin holds, unless the device went offline (or came back) since `epoch`. Returns
    /// whether it was written.
    pub(crate) fn report(
        &self,
        device: &str,
        module: &str,
        property: &str,
        value: Value,
        epoch: u64,
    ) -> bool {
        let mut table = lock(&self.table);
        if !table
            .devices
            .get(device)
            .is_some_and(|d| d.online && d.epoch == epoch)
        {
            return false;
        }
        let Some(entry) = table.twins.get_mut(&(device.to_owned(), module.to_owned())) else {
            return false;
        };
        let mut from = Map::new();
        if let Some(old) = entry.twin.reported.properties().get(property) {
            from.insert(property.to_owned(), old.clone());
        }
        let mut to = Map::new();
        to.insert(property.to_owned(), value);
        let patch = diff(&from, &to);
        if !patch.is_empty() {
            entry.twin.patch_reported(&patch, &now_stamp());
        }
        true
    }

    /// Runs `f` on the configurations and the twin table under one lock (the configuration
    /// routes: a change and its effect on the twins are one step).
    pub(crate) fn with_configurations<T>(
        &self,
        f: impl FnOnce(&mut Configurations, &mut configurations::Twins<'_>) -> T,
    ) -> T {
        let mut table = lock(&self.table);
        let Table {
            devices,
            twins,
            configurations,
        } = &mut *table;
        let mut view = configurations::Twins::new(
            devices.iter().map(|(d, entry)| (d, entry.online)),
            twins,
            &self.modules,
        );
        f(configurations, &mut view)
    }
}

/// The module tasks of a started fleet, to be spawned on the simulator's runtime.
pub(crate) struct FleetTasks {
    fleet: Arc<Fleet>,
    modules: Vec<(ModuleStores, Arc<Notify>)>,
}

/// How many module passes run at once (each is blocking store I/O and signatures).
fn pass_permits() -> usize {
    std::thread::available_parallelism().map_or(2, |n| n.get().clamp(2, 8))
}

impl FleetTasks {
    /// Spawns one task per module on `tasks`, stopping at `shutdown`; returns the fleet.
    pub(crate) fn spawn(self, tasks: &mut JoinSet<()>, shutdown: &CancellationToken) -> Arc<Fleet> {
        let permits = Arc::new(Semaphore::new(pass_permits()));
        for (stores, wake) in self.modules {
            let task = module::ModuleTask {
                fleet: self.fleet.clone(),
                device: stores.device,
                module: stores.module,
                stores: stores.stores,
                wake,
                permits: permits.clone(),
            };
            tasks.spawn(task.run(shutdown.clone()));
        }
        self.fleet
    }
}

/// Opens (creating on first start) every module's stores, spread over the machine's cores.
fn open_all(
    devices: &[DeviceId],
    modules: &[FleetModule],
    keys: &[openssl::pkey::PKey<openssl::pkey::Private>],
    root: &Path,
    now: OffsetDateTime,
) -> Vec<Result<ModuleStores, FleetError>> {
    let jobs: Vec<(String, usize)> = devices
        .iter()
        .flat_map(|d| (0..modules.len()).map(move |m| (d.to_string(), m)))
        .collect();
    let threads = std::thread::available_parallelism().map_or(2, |n| n.get().min(8));
    let chunk = jobs.len().div_ceil(threads).max(1);
    std::thread::scope(|scope| {
        let handles: Vec<_> = jobs
            .chunks(chunk)
            .map(|part| {
                scope.spawn(move || {
                    part.iter()
                        .map(|(device, m)| {
                            module::quietly(|| {
                                open_module(root, device, &modules[*m], &keys[*m], now)
                            })
                        })
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| {
                h.join().unwrap_or_else(|_| {
                    vec![Err(FleetError::Store {
                        device: String::new(),
                        module: String::new(),
                        path: root.to_owned(),
                        source: "a store creation thread panicked".into(),
                    })]
                })
            })
            .collect()
    })
}

/// Opens (creating on first start) the stores of one module: `<root>/<device>/<module>` for
/// an own store, `<root>/<device>/<module>/<store>` for each kept store.
fn open_module(
    root: &Path,
    device: &str,
    module: &FleetModule,
    key: &openssl::pkey::PKey<openssl::pkey::Private>,
    now: OffsetDateTime,
) -> Result<ModuleStores, FleetError> {
    let dir = root.join(device).join(module.id.as_str());
    let folders: Vec<(Option<StoreName>, PathBuf)> = match &module.kind {
        ModuleKind::OwnPki => vec![(None, dir)],
        ModuleKind::Stores(names) => names
            .iter()
            .map(|n| (Some(n.clone()), dir.join(n.as_str())))
            .collect(),
    };
    let mut stores = Vec::new();
    for (name, path) in folders {
        let error = |source: Box<dyn std::error::Error + Send + Sync>| FleetError::Store {
            device: device.to_owned(),
            module: module.id.to_string(),
            path: path.clone(),
            source,
        };
        let store = Store::open(StoreLayout::under(&path)).map_err(|e| error(Box::new(e)))?;
        let contents = store.contents().map_err(|e| error(Box::new(e)))?;
        if contents.application_certificate().is_none() {
            let (cert, key) = cert::self_signed(key, device, module.id.as_str(), now)
                .map_err(|e| error(Box::new(e)))?;
            let mut options = PlanOptions::new(now);
            options.activation = pki::Activation::ByApplication;
            store
                .transact(
                    vec![Operation::UpdateApplicationCertificate {
                        cert,
                        key: Some(key),
                    }],
                    &options,
                )
                .map_err(|e| error(Box::new(e)))?;
        }
        stores.push((name, store));
    }
    Ok(ModuleStores {
        device: device.to_owned(),
        module: module.clone(),
        stores,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_fleet_names_its_devices_and_modules() {
        let config = FleetConfig::new(3);
        config.validate().unwrap();
        let ids: Vec<String> = config
            .device_ids()
            .unwrap()
            .iter()
            .map(ToString::to_string)
            .collect();
        assert_eq!(ids, ["plant-0001", "plant-0002", "plant-0003"]);
        assert_eq!(config.modules[0].kind, ModuleKind::OwnPki);
        assert_eq!(
            config.modules[1],
            FleetModule::parse("certagent:plc").unwrap()
        );
        for text in ["opcplc", "certagent:plc", "agent:a+b"] {
            assert_eq!(FleetModule::parse(text).unwrap().to_string(), text);
        }
    }

    #[test]
    fn reports_are_dropped_while_offline_and_from_before_a_reconnect() {
        let dir = tempfile::tempdir().unwrap();
        let (fleet, _tasks) = Fleet::start(&FleetConfig::new(1), "edge", dir.path()).unwrap();
        let d = "plant-0001";
        let epoch = fleet.view(d, "opcplc").unwrap().epoch;
        let report =
            |value: serde_json::Value, epoch| fleet.report(d, "opcplc", "pki", value, epoch);
        assert!(report(serde_json::json!({"a": 1, "b": 2}), epoch));
        fleet.set_online(d, false).unwrap();
        assert!(!report(serde_json::json!({"a": 3}), epoch), "offline");
        fleet.set_online(d, true).unwrap();
        assert!(
            !report(serde_json::json!({"a": 3}), epoch),
            "a pass from before the reconnect"
        );
        let now = fleet.view(d, "opcplc").unwrap();
        assert_eq!(now.epoch, epoch + 1);
        assert!(report(serde_json::json!({"a": 3}), now.epoch));
        // The full value replaces the old one: `b` is gone, not merged.
        let twin = fleet.twin(d, "opcplc").unwrap();
        assert_eq!(
            twin.reported.properties()["pki"],
            serde_json::json!({"a": 3})
        );
        assert_eq!(twin.reported.version(), 3);
        assert!(fleet.set_online("plant-0002", true).is_err());
        assert!(matches!(
            Fleet::start(&FleetConfig::new(1), "plant-0001", dir.path()),
            Err(FleetError::Config(FleetConfigError::EdgeDevice(_)))
        ));
    }

    #[test]
    fn bad_names_are_refused_with_the_reason() {
        assert!(matches!(
            FleetModule::parse("a/b"),
            Err(FleetConfigError::ModuleId(_))
        ));
        assert!(matches!(
            FleetModule::parse("agent:a.b"),
            Err(FleetConfigError::StoreName { .. })
        ));
        let mut config = FleetConfig::new(1);
        config.prefix = "bad prefix/".into();
        assert!(matches!(
            config.validate(),
            Err(FleetConfigError::Prefix { .. })
        ));
        let mut config = FleetConfig::new(1);
        config.modules.push(FleetModule::own_pki("opcplc").unwrap());
        assert_eq!(
            config.validate(),
            Err(FleetConfigError::Duplicate("opcplc".into()))
        );
    }
}
