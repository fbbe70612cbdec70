//! cert-agent's reconciler: every store named in `properties.desired.stores` or found under the
//! PKI root, each reconciled on its own (one refused or unwritable store never holds up the
//! others), then the restarts their new application certificates call for.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use hub_proto::twin::TwinVersion;
use module_runtime::twin::{Reconciler, StoreTwin, Trigger};
use pki::{Store, StoreLayout};
use provisioning::contract::RestartState;
use provisioning::{
    Context, DesiredInput, ErrorCode, ItemError, Outcome, REPORTED_BUDGET_BYTES, ReportedPki,
    STORES_PROPERTY, Section, Status, StoreName, record_restart,
};
use serde_json::{Map, Value};
use time::OffsetDateTime;

use crate::restart::Restarter;

/// The smallest report budget of one store, however many stores there are.
const MIN_STORE_BUDGET: usize = 4 * 1024;

/// One store under cert-agent's care.
#[derive(Debug)]
struct Kept {
    store: Store,
    twin: StoreTwin,
}

/// The reconciler of `properties.desired.stores`.
#[derive(Debug)]
pub struct AgentStores<R> {
    root: PathBuf,
    restarter: R,
    /// The stores opened so far; `None` only while a pass runs on the blocking pool.
    kept: Option<BTreeMap<String, Kept>>,
    /// Restarts asked for in this run (store, certificate thumbprint): asked once even when
    /// the answer could not be recorded (an unwritable store would otherwise restart the app
    /// at every pass).
    asked: BTreeSet<(String, String)>,
    /// Folders under the root that look like stores but cannot be store names, warned about
    /// once each.
    ignored: BTreeSet<String>,
}

impl<R: Restarter> AgentStores<R> {
    /// The stores under `root`, restarted through `restarter`.
    #[must_use]
    pub fn new(root: PathBuf, restarter: R) -> Self {
        Self {
            root,
            restarter,
            kept: Some(BTreeMap::new()),
            asked: BTreeSet::new(),
            ignored: BTreeSet::new(),
        }
    }
}

/// What the blocking part of a pass hands back.
struct Passed {
    kept: BTreeMap<String, Kept>,
    reported: BTreeMap<String, ReportedPki>,
    /// Store-like folders whose names cannot be store names, with why.
    ignored: Vec<(String, String)>,
    /// Desired store names that cannot even be reported (not a twin property name), with why.
    unreportable: Vec<(String, String)>,
}

impl<R: Restarter> Reconciler for AgentStores<R> {
    fn properties(&self) -> &'static [&'static str] {
        &[STORES_PROPERTY]
    }

    fn watched(&self) -> Vec<PathBuf> {
        let mut dirs = vec![self.root.clone()];
        if let Some(kept) = &self.kept {
            for k in kept.values() {
                dirs.extend(k.store.layout().content_directories());
            }
        }
        dirs
    }

    async fn pass(
        &mut self,
        desired: &Map<String, Value>,
        version: Option<TwinVersion>,
        trigger: Trigger,
    ) -> Option<Map<String, Value>> {
        let kept = self.kept.take()?;
        let root = self.root.clone();
        let section = desired.get(STORES_PROPERTY).cloned();
        let blocking = tokio::task::spawn_blocking(move || {
            pass_stores(&root, kept, section.as_ref(), version, trigger)
        })
        .await;
        let Ok(Passed {
            kept,
            mut reported,
            ignored,
            unreportable,
        }) = blocking
        else {
            tracing::error!(target: "cert_agent", "The store reconciliation failed unexpectedly.");
            self.kept = Some(BTreeMap::new());
            return None;
        };
        self.kept = Some(kept);
        for (name, why) in ignored {
            if self.ignored.insert(name.clone()) {
                tracing::warn!(
                    target: "cert_agent",
                    "The folder '{name}' under the PKI root holds a store but is not managed: {why}. Rename it to manage it through the twin."
                );
            }
        }
        for (name, why) in unreportable {
            if self.ignored.insert(name.clone()) {
                tracing::warn!(
                    target: "cert_agent",
                    "The desired store {name:?} is not applied: {why}. It is left out of the report, which IoT Hub would refuse whole."
                );
            }
        }
        self.restarts(&mut reported).await;
        let mut stores = Map::new();
        for (name, report) in reported {
            stores.insert(name, Value::Object(report.to_twin()));
        }
        let mut out = Map::new();
        out.insert(STORES_PROPERTY.to_owned(), Value::Object(stores));
        Some(out)
    }
}

impl<R: Restarter> AgentStores<R> {
    /// Asks the runtime for the restarts committed with new application certificates, records
    /// the answers in the stores and reports them.
    async fn restarts(&mut self, reported: &mut BTreeMap<String, ReportedPki>) {
        let Some(kept) = &self.kept else {
            return;
        };
        for (name, report) in reported.iter_mut() {
            let Some(restart) = report
                .restart
                .as_ref()
                .filter(|r| r.state == RestartState::Pending)
                .cloned()
            else {
                continue;
            };
            let Some(store) = kept.get(name).map(|k| k.store.clone()) else {
                continue;
            };
            if !self
                .asked
                .insert((name.clone(), restart.thumbprint.clone()))
            {
                continue;
            }
            tracing::info!(
                target: "cert_agent",
                "Store '{name}': restarting module '{}' for its new application certificate with thumbprint '{}'.",
                restart.module,
                restart.thumbprint
            );
            let answer = self.restarter.restart(&restart.module).await;
            match &answer {
                Ok(()) => {
                    tracing::info!(target: "cert_agent", "Store '{name}': module '{}' restarted.", restart.module);
                }
                Err(e) => {
                    tracing::warn!(target: "cert_agent", "Store '{name}': module '{}' could not be restarted: {e}", restart.module);
                }
            }
            let now = OffsetDateTime::now_utc();
            let thumbprint = restart.thumbprint.clone();
            let recorded = tokio::task::spawn_blocking(move || {
                record_restart(&store, &thumbprint, answer, now)
            })
            .await;
            match recorded {
                Ok(Ok(Some(done))) => report.restart = Some(done),
                Ok(Ok(None)) | Err(_) => {}
                Ok(Err(e)) => tracing::warn!(
                    target: "cert_agent",
                    "Store '{name}': the restart could not be recorded: {}",
                    module_runtime::logging::with_causes(&e)
                ),
            }
        }
    }
}

/// The blocking part: every store reconciled or reported on its own.
fn pass_stores(
    root: &Path,
    mut kept: BTreeMap<String, Kept>,
    section: Option<&Value>,
    version: Option<TwinVersion>,
    trigger: Trigger,
) -> Passed {
    let now = OffsetDateTime::now_utc();
    let docs: BTreeMap<String, Value> = match section {
        None | Some(Value::Null) => BTreeMap::new(),
        Some(Value::Object(map)) => map
            .iter()
            .filter(|(k, _)| !k.starts_with('$'))
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect(),
        Some(other) => {
            // Not a map of stores: nothing is applied (an empty document would remove every
            // entry the twin installed); every store shows why.
            let error = ItemError::new(
                "",
                ErrorCode::BadTypeMismatch,
                format!(
                    "properties.desired.stores must be an object of stores by name, not {}",
                    json_kind(other)
                ),
            );
            tracing::warn!(target: "cert_agent", "The desired stores were not applied: {}", error.message);
            return report_all(root, kept, version, &error, now);
        }
    };
    let mut names: Vec<String> = docs.keys().cloned().collect();
    let (found, ignored) = discover(root);
    for found in found {
        if !docs.contains_key(found.as_str()) {
            names.push(found.as_str().to_owned());
        }
    }
    let context = context(now, names.len());
    let mut reported = BTreeMap::new();
    let mut unreportable = Vec::new();
    for name in names {
        let report = match StoreName::new(&name) {
            // Only a twin written around IoT Hub's rules gets here: a report naming it would
            // be refused whole, hiding every other store.
            Err(e) if hub_proto::twin::validate_property_name(&name).is_err() => {
                unreportable.push((name, e.to_string()));
                continue;
            }
            Err(e) => ReportedPki::outcome_only(
                Status::Rejected,
                Some(ItemError::new(
                    "",
                    ErrorCode::BadInvalidArgument,
                    e.to_string(),
                )),
                version,
            ),
            Ok(store_name) => match open(root, &store_name, version, &mut kept) {
                Err(report) => *report,
                Ok(k) => {
                    let doc = docs.get(&name);
                    k.twin
                        .pass(
                            &k.store,
                            DesiredInput {
                                value: doc,
                                version,
                                section: Section::AgentStore,
                            },
                            trigger,
                            &context,
                        )
                        .reported
                }
            },
        };
        reported.insert(name, report);
    }
    // Stores neither desired nor on disk any more are forgotten.
    kept.retain(|name, _| reported.contains_key(name));
    Passed {
        kept,
        reported,
        ignored,
        unreportable,
    }
}

/// The context of a store of another app, with its share of the report budget.
fn context(now: OffsetDateTime, stores: usize) -> Context {
    Context {
        report_budget: (REPORTED_BUDGET_BYTES / stores.max(1)).max(MIN_STORE_BUDGET),
        ..Context::new(now)
    }
}

/// Opens (and on first use creates) a store, or the report of why it cannot be.
fn open<'a>(
    root: &Path,
    name: &StoreName,
    version: Option<TwinVersion>,
    kept: &'a mut BTreeMap<String, Kept>,
) -> Result<&'a mut Kept, Box<ReportedPki>> {
    let key = name.as_str().to_owned();
    if !kept.contains_key(&key) {
        let dir = root.join(name.as_str());
        let existed = dir.is_dir();
        match Store::open(StoreLayout::under(&dir)) {
            Ok(store) => {
                if !existed {
                    tracing::info!(target: "cert_agent", "Store '{name}': created the store folder '{}'.", dir.display());
                    give_to_root_owner(root, &dir);
                }
                kept.insert(
                    key.clone(),
                    Kept {
                        store,
                        twin: StoreTwin::named(name.as_str()),
                    },
                );
            }
            Err(e) => {
                let message = module_runtime::logging::with_causes(&e);
                tracing::warn!(target: "cert_agent", "Store '{name}': cannot open the store: {message}");
                return Err(Box::new(ReportedPki::outcome_only(
                    Status::Error,
                    Some(ItemError::new(
                        "store",
                        ErrorCode::BadConfigurationError,
                        message,
                    )),
                    version,
                )));
            }
        }
    }
    kept.get_mut(&key)
        .ok_or_else(|| Box::new(ReportedPki::outcome_only(Status::Error, None, version)))
}

/// Gives a store folder cert-agent created (and everything in it) to the owner of the PKI
/// root: the app that will use the store runs as that user (the volume's owner), not as the
/// agent (usually root). Logged and left as it is when the agent may not `chown`.
fn give_to_root_owner(root: &Path, dir: &Path) {
    use std::os::unix::fs::MetadataExt;
    let Ok(owner) = std::fs::metadata(root) else {
        return;
    };
    let (uid, gid) = (owner.uid(), owner.gid());
    let mut pending = vec![dir.to_path_buf()];
    while let Some(path) = pending.pop() {
        let Ok(meta) = std::fs::symlink_metadata(&path) else {
            continue;
        };
        if (meta.uid(), meta.gid()) != (uid, gid)
            && let Err(e) = std::os::unix::fs::lchown(&path, Some(uid), Some(gid))
        {
            tracing::warn!(target: "cert_agent", "Cannot give '{}' to uid {uid} gid {gid}, the owner of the PKI root: {e}", path.display());
            return;
        }
        if meta.is_dir()
            && let Ok(entries) = std::fs::read_dir(&path)
        {
            pending.extend(entries.filter_map(Result::ok).map(|e| e.path()));
        }
    }
}

/// Every kept or discovered store reported with `error`, nothing planned.
fn report_all(
    root: &Path,
    mut kept: BTreeMap<String, Kept>,
    version: Option<TwinVersion>,
    error: &ItemError,
    now: OffsetDateTime,
) -> Passed {
    let outcome = Outcome {
        status: Status::Rejected,
        error: Some(error.clone()),
    };
    let (names, ignored) = discover(root);
    let context = context(now, names.len());
    let mut reported = BTreeMap::new();
    for store_name in names {
        let name = store_name.as_str().to_owned();
        let report = match open(root, &store_name, version, &mut kept) {
            Err(report) => *report,
            Ok(k) => provisioning::report(
                &k.store,
                DesiredInput {
                    value: None,
                    version,
                    section: Section::AgentStore,
                },
                &outcome,
                &context,
            ),
        };
        reported.insert(name, report);
    }
    Passed {
        kept,
        reported,
        ignored,
        unreportable: Vec::new(),
    }
}

/// The folders under `root` that hold a store (an `own` or `trusted` folder), hidden ones
/// left out; an unreadable root finds none (a desired store then reports why). Folders whose
/// names cannot be store names (IoT Hub would refuse the report that names them) come second,
/// with why.
fn discover(root: &Path) -> (Vec<StoreName>, Vec<(String, String)>) {
    let Ok(entries) = std::fs::read_dir(root) else {
        return (Vec::new(), Vec::new());
    };
    let mut names = Vec::new();
    let mut ignored = Vec::new();
    for entry in entries.filter_map(Result::ok) {
        let path = entry.path();
        if !(path.join("own").is_dir() || path.join("trusted").is_dir()) {
            continue;
        }
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.starts_with('.') {
            continue;
        }
        match entry.file_name().to_str().map(StoreName::new) {
            Some(Ok(store)) => names.push(store),
            Some(Err(e)) => ignored.push((name, e.to_string())),
            None => ignored.push((name, "its name is not UTF-8".to_owned())),
        }
    }
    names.sort();
    ignored.sort();
    (names, ignored)
}

fn json_kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}
