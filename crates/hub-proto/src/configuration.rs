//! IoT Hub configurations (automatic device management and layered IoT Edge deployments) as
//! types, and the pure rules of what they do to module twins.
//!
//! The service API's shape (`PUT/GET/DELETE /configurations/{id}`, `GET /configurations`):
//! `{id, schemaVersion: "1.0", labels, content: {modulesContent: {<module>:
//! {"properties.desired.<path>": value, …}}}, targetCondition, priority, metrics: {queries},
//! systemMetrics: {results, queries}, etag, createdTimeUtc, lastUpdatedTimeUtc}`.
//!
//! The rules, shared by every hub implementation:
//! - [`module_layer`]: a module's content as desired-property paths (`pki.trusted`) and values;
//!   `properties.desired` alone means the whole desired document (path `""`).
//! - [`resolve`]: for one module of one device, the winning value of every path among the
//!   configurations that target the device: the higher `priority` wins; on equal priority the
//!   configuration created later wins (IoT Edge's rule for deployments; equal creation times
//!   fall back to the id, so the result never depends on iteration order).
//! - [`layer_patch`]: the desired patch that turns what the configurations set before into
//!   what they set now: new and changed values set, paths no configuration sets any more
//!   deleted (`null`), unchanged paths left alone (so a direct twin write to such a path stays
//!   until a configuration changes it).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// The configuration schema version IoT Hub writes.
pub const SCHEMA_VERSION: &str = "1.0";
/// The prefix of a module content key.
pub const DESIRED_PREFIX: &str = "properties.desired";
/// The system metric of the targeted devices.
pub const TARGETED_COUNT: &str = "targetedCount";
/// The system metric of the devices that applied the configuration.
pub const APPLIED_COUNT: &str = "appliedCount";

/// A configuration as the service API sends and receives it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Configuration {
    /// The configuration id (the URL's).
    pub id: String,
    /// Always `"1.0"`.
    #[serde(default = "schema_version")]
    pub schema_version: String,
    /// Free labels.
    #[serde(default)]
    pub labels: BTreeMap<String, String>,
    /// What it sets.
    #[serde(default)]
    pub content: ConfigurationContent,
    /// Which devices it targets (a twin query condition on devices, `*` for all).
    #[serde(default)]
    pub target_condition: String,
    /// Higher wins.
    #[serde(default)]
    pub priority: i64,
    /// The user's metrics: name -> query.
    #[serde(default)]
    pub metrics: ConfigurationMetrics,
    /// The hub's metrics ([`TARGETED_COUNT`], [`APPLIED_COUNT`]).
    #[serde(default)]
    pub system_metrics: ConfigurationMetrics,
    /// The etag (the hub's; a client's value is ignored, `If-Match` says what it expects).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub etag: Option<String>,
    /// When it was created (RFC 3339).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created_time_utc: Option<String>,
    /// When it was last changed (RFC 3339).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_updated_time_utc: Option<String>,
}

fn schema_version() -> String {
    SCHEMA_VERSION.to_owned()
}

/// `content`: module twin contents by module id.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ConfigurationContent {
    /// `<module>` -> `{"properties.desired.<path>": value, …}`.
    #[serde(default)]
    pub modules_content: BTreeMap<String, Map<String, Value>>,
}

/// `metrics` / `systemMetrics`: query texts and their last results.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ConfigurationMetrics {
    /// Name -> count.
    #[serde(default)]
    pub results: BTreeMap<String, u64>,
    /// Name -> query text.
    #[serde(default)]
    pub queries: BTreeMap<String, String>,
}

/// Why a configuration's content is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ContentError {
    /// A key is not `properties.desired` or `properties.desired.<path>`.
    #[error("module {module}: {key:?} is not properties.desired or properties.desired.<path>")]
    Key {
        /// The module.
        module: String,
        /// The key.
        key: String,
    },
    /// `properties.desired` alone must be an object.
    #[error("module {module}: properties.desired must be an object")]
    NotAnObject {
        /// The module.
        module: String,
    },
}

/// A module's content as paths (dot-separated, `""` for the whole document) and values.
pub fn module_layer(
    module: &str,
    content: &Map<String, Value>,
) -> Result<BTreeMap<String, Value>, ContentError> {
    let mut layer = BTreeMap::new();
    for (key, value) in content {
        let bad = || ContentError::Key {
            module: module.to_owned(),
            key: key.clone(),
        };
        let rest = key.strip_prefix(DESIRED_PREFIX).ok_or_else(bad)?;
        let path = if rest.is_empty() {
            if !value.is_object() {
                return Err(ContentError::NotAnObject {
                    module: module.to_owned(),
                });
            }
            String::new()
        } else {
            let path = rest.strip_prefix('.').ok_or_else(bad)?;
            if path
                .split('.')
                .any(|segment| segment.is_empty() || segment.starts_with('$'))
            {
                return Err(bad());
            }
            path.to_owned()
        };
        layer.insert(path, value.clone());
    }
    Ok(layer)
}

/// A configuration's standing when several set the same path.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Precedence {
    /// `priority`: higher wins.
    pub priority: i64,
    /// Creation time (RFC 3339 UTC, so it sorts as text): later wins on equal priority.
    pub created: String,
    /// The id, last tie-breaker.
    pub id: String,
}

impl Precedence {
    /// The precedence of `configuration`.
    #[must_use]
    pub fn of(configuration: &Configuration) -> Self {
        Self {
            priority: configuration.priority,
            created: configuration.created_time_utc.clone().unwrap_or_default(),
            id: configuration.id.clone(),
        }
    }
}

/// The winning value of every path among `layers` (each with its precedence), with the id of
/// the configuration it comes from.
#[must_use]
pub fn resolve<'a>(
    layers: impl IntoIterator<Item = (&'a Precedence, &'a BTreeMap<String, Value>)>,
) -> BTreeMap<String, (Precedence, Value)> {
    let mut winners: BTreeMap<String, (Precedence, Value)> = BTreeMap::new();
    for (precedence, layer) in layers {
        for (path, value) in layer {
            match winners.get(path) {
                Some((best, _)) if best >= precedence => {}
                _ => {
                    winners.insert(path.clone(), (precedence.clone(), value.clone()));
                }
            }
        }
    }
    winners
}

/// The desired patch from what the configurations set before (`previous`) to what they set
/// now (`current`): changed and new paths set, paths gone deleted (`null`), equal ones
/// untouched. Paths are applied shortest first, so a longer path set by another
/// configuration refines a shorter one. `""` (the whole document) is merged at the top.
#[must_use]
pub fn layer_patch(
    previous: &BTreeMap<String, Value>,
    current: &BTreeMap<String, Value>,
) -> Map<String, Value> {
    let mut patch = Map::new();
    let mut gone: Vec<&String> = previous
        .keys()
        .filter(|p| !current.contains_key(*p))
        .collect();
    gone.sort_by_key(|p| depth(p));
    for path in gone {
        if path.is_empty() {
            if let Some(Value::Object(old)) = previous.get(path) {
                for key in old.keys() {
                    if !patch.contains_key(key) {
                        patch.insert(key.clone(), Value::Null);
                    }
                }
            }
        } else {
            set_path(&mut patch, path, Value::Null);
        }
    }
    let mut changed: Vec<(&String, &Value)> = current
        .iter()
        .filter(|(p, v)| previous.get(*p) != Some(*v))
        .collect();
    changed.sort_by_key(|(p, _)| depth(p));
    for (path, value) in changed {
        if path.is_empty() {
            if let Value::Object(map) = value {
                for (k, v) in map {
                    patch.insert(k.clone(), v.clone());
                }
            }
        } else {
            set_path(&mut patch, path, value.clone());
        }
    }
    patch
}

fn depth(path: &str) -> usize {
    if path.is_empty() {
        0
    } else {
        path.split('.').count()
    }
}

/// Sets `path` (dot-separated) in `target` to `value`, creating objects on the way (and
/// replacing a non-object on the way).
fn set_path(target: &mut Map<String, Value>, path: &str, value: Value) {
    let mut segments = path.split('.').peekable();
    let mut map = target;
    while let Some(segment) = segments.next() {
        if segments.peek().is_none() {
            map.insert(segment.to_owned(), value);
            return;
        }
        let entry = map
            .entry(segment.to_owned())
            .or_insert_with(|| Value::Object(Map::new()));
        if !entry.is_object() {
            *entry = Value::Object(Map::new());
        }
        let Value::Object(next) = entry else { return };
        map = next;
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn object(v: Value) -> Map<String, Value> {
        match v {
            Value::Object(m) => m,
            _ => Map::new(),
        }
    }

    fn layer(v: Value) -> BTreeMap<String, Value> {
        module_layer("m", &object(v)).unwrap()
    }

    fn precedence(priority: i64, created: &str, id: &str) -> Precedence {
        Precedence {
            priority,
            created: created.into(),
            id: id.into(),
        }
    }

    #[test]
    fn content_keys_become_paths_and_bad_keys_are_refused() {
        let l = layer(json!({
            "properties.desired.pki.rejectSha1SignedCertificates": false,
            "properties.desired.site": "a",
        }));
        assert_eq!(
            l.keys().collect::<Vec<_>>(),
            ["pki.rejectSha1SignedCertificates", "site"]
        );
        assert_eq!(
            layer(json!({"properties.desired": {"a": 1}}))[""],
            json!({"a": 1})
        );
        for bad in [
            json!({"properties.reported.x": 1}),
            json!({"properties.desiredx": 1}),
            json!({"properties.desired.": 1}),
            json!({"properties.desired.a..b": 1}),
            json!({"properties.desired.$version": 1}),
            json!({"properties.desired": 3}),
        ] {
            assert!(module_layer("m", &object(bad.clone())).is_err(), "{bad}");
        }
    }

    #[test]
    fn the_higher_priority_wins_per_path_and_ties_go_to_the_later_one() {
        let low = precedence(1, "2026-01-01T00:00:00Z", "low");
        let high = precedence(5, "2025-01-01T00:00:00Z", "high");
        let later = precedence(1, "2026-02-01T00:00:00Z", "later");
        let a = layer(json!({"properties.desired.x": "low", "properties.desired.y": "low"}));
        let b = layer(json!({"properties.desired.x": "high"}));
        let c = layer(json!({"properties.desired.y": "later", "properties.desired.z": 1}));
        for order in [
            vec![(&low, &a), (&high, &b), (&later, &c)],
            vec![(&later, &c), (&high, &b), (&low, &a)],
        ] {
            let won = resolve(order);
            assert_eq!(won["x"], (high.clone(), json!("high")));
            assert_eq!(won["y"], (later.clone(), json!("later")));
            assert_eq!(won["z"].1, json!(1));
        }
    }

    #[test]
    fn the_patch_sets_changes_deletes_what_is_gone_and_leaves_the_rest() {
        let before = BTreeMap::from([
            ("pki.a".to_owned(), json!(1)),
            ("pki.b".to_owned(), json!(2)),
            ("site".to_owned(), json!("x")),
        ]);
        let after = BTreeMap::from([
            ("pki.a".to_owned(), json!(1)),
            ("pki.b".to_owned(), json!(3)),
            ("pki.c.d".to_owned(), json!(true)),
        ]);
        assert_eq!(
            Value::Object(layer_patch(&before, &after)),
            json!({"pki": {"b": 3, "c": {"d": true}}, "site": null})
        );
        assert!(layer_patch(&after, &after).is_empty());
    }

    #[test]
    fn a_longer_path_refines_a_shorter_one_in_the_patch() {
        let after = BTreeMap::from([
            ("pki".to_owned(), json!({"a": 1, "b": 2})),
            ("pki.b".to_owned(), json!(9)),
        ]);
        assert_eq!(
            Value::Object(layer_patch(&BTreeMap::new(), &after)),
            json!({"pki": {"a": 1, "b": 9}})
        );
    }

    #[test]
    fn the_service_shape_round_trips_with_defaults() {
        let text = json!({
            "id": "fleet-pki",
            "content": {"modulesContent": {"opcplc": {"properties.desired.pki.x": 1}}},
            "targetCondition": "STARTSWITH(deviceId, 'plant-')",
            "priority": 10,
            "metrics": {"queries": {"applied": "SELECT deviceId FROM devices.modules"}},
        });
        let c: Configuration = serde_json::from_value(text).unwrap();
        assert_eq!(c.schema_version, "1.0");
        assert_eq!(c.priority, 10);
        let back = serde_json::to_value(&c).unwrap();
        assert_eq!(back["targetCondition"], "STARTSWITH(deviceId, 'plant-')");
        assert_eq!(back["systemMetrics"], json!({"results": {}, "queries": {}}));
        assert!(back.get("etag").is_none());
    }
}
