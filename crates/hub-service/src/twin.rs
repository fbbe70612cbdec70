//! [`ModuleTwin`]: the service API's module twin (the SDK's `Twin` model).

use hub_proto::twin::properties_only;
use hub_proto::{TwinProperties, TwinVersion};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// A module twin as the service API returns it (docs/reference/iot-edge.md §5.2):
/// `deviceId`, `moduleId`, `etag`, `version`, `tags` and `properties.desired`/`reported`, each
/// section with `$version` and `$metadata`.
///
/// Lenient: missing members take their defaults and members not named here (`status`,
/// `connectionState`, `x509Thumbprint`, …) are kept in [`ModuleTwin::other`], so serializing
/// the twin gives back what the hub sent.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ModuleTwin {
    /// The device id.
    #[serde(default)]
    pub device_id: String,
    /// The module id.
    #[serde(default)]
    pub module_id: String,
    /// The twin's etag (for `If-Match`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub etag: Option<String>,
    /// The twin's version (changes with every update of any section).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<u64>,
    /// The tags, when the twin has any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tags: Option<Map<String, Value>>,
    /// The desired and reported sections, `$version` and `$metadata` included.
    #[serde(default)]
    pub properties: TwinProperties,
    /// Every other member of the twin, as sent.
    #[serde(flatten)]
    pub other: Map<String, Value>,
}

impl ModuleTwin {
    /// The desired property `name` without `$` metadata at any level; `None` when absent (and
    /// for `$` names, which are metadata).
    #[must_use]
    pub fn desired(&self, name: &str) -> Option<Value> {
        member(&self.properties.desired, name)
    }

    /// The reported property `name` without `$` metadata at any level.
    #[must_use]
    pub fn reported(&self, name: &str) -> Option<Value> {
        member(&self.properties.reported, name)
    }

    /// The desired section without `$version`, `$metadata` and other `$` members.
    #[must_use]
    pub fn desired_properties(&self) -> Map<String, Value> {
        properties_only(&self.properties.desired)
    }

    /// The reported section without `$` members.
    #[must_use]
    pub fn reported_properties(&self) -> Map<String, Value> {
        properties_only(&self.properties.reported)
    }

    /// The desired section's `$version`.
    #[must_use]
    pub fn desired_version(&self) -> Option<TwinVersion> {
        self.properties.desired_version()
    }

    /// The reported section's `$version`.
    #[must_use]
    pub fn reported_version(&self) -> Option<TwinVersion> {
        self.properties.reported_version()
    }
}

fn member(section: &Map<String, Value>, name: &str) -> Option<Value> {
    if name.starts_with('$') {
        return None;
    }
    section.get(name).map(|v| match v {
        Value::Object(inner) => Value::Object(properties_only(inner)),
        other => other.clone(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// A twin as edge-sim's service API sends it (`twins_modules.rs`).
    fn edge_sim_twin() -> Value {
        json!({
            "deviceId": "edge-sim",
            "moduleId": "opcplc",
            "etag": "AAAAAAAAAAI=",
            "deviceEtag": "AAAAAAAAAAI=",
            "status": "enabled",
            "statusUpdateTime": "0001-01-01T00:00:00Z",
            "connectionState": "Disconnected",
            "lastActivityTime": "0001-01-01T00:00:00Z",
            "cloudToDeviceMessageCount": 0,
            "authenticationType": "sas",
            "x509Thumbprint": {"primaryThumbprint": null, "secondaryThumbprint": null},
            "modelId": "",
            "version": 3,
            "tags": {"site": "lab"},
            "properties": {
                "desired": {
                    "pki": {"trusted": {"a": "PEM"}},
                    "$metadata": {"$lastUpdated": "2025-01-01T00:00:00Z",
                                  "pki": {"$lastUpdated": "2025-01-01T00:00:00Z"}},
                    "$version": 2
                },
                "reported": {
                    "pki": {"status": "ok", "$metadata": {"$lastUpdated": "x"}},
                    "$metadata": {"$lastUpdated": "2025-01-01T00:00:00Z"},
                    "$version": 5
                }
            }
        })
    }

    #[test]
    fn service_twin_parses_and_serializes_back_to_what_was_sent() {
        let sent = edge_sim_twin();
        let twin: ModuleTwin = serde_json::from_value(sent.clone()).unwrap();
        assert_eq!(twin.device_id, "edge-sim");
        assert_eq!(twin.module_id, "opcplc");
        assert_eq!(twin.etag.as_deref(), Some("AAAAAAAAAAI="));
        assert_eq!(twin.version, Some(3));
        assert_eq!(
            twin.tags,
            Some(json!({"site": "lab"}).as_object().unwrap().clone())
        );
        assert_eq!(twin.other["connectionState"], "Disconnected");
        assert_eq!(serde_json::to_value(&twin).unwrap(), sent);
    }

    #[test]
    fn members_are_read_without_metadata() {
        let twin: ModuleTwin = serde_json::from_value(edge_sim_twin()).unwrap();
        assert_eq!(twin.desired("pki"), Some(json!({"trusted": {"a": "PEM"}})));
        assert_eq!(twin.reported("pki"), Some(json!({"status": "ok"})));
        assert_eq!(twin.desired("nope"), None);
        assert_eq!(twin.desired("$version"), None);
        assert_eq!(
            Value::Object(twin.desired_properties()),
            json!({"pki": {"trusted": {"a": "PEM"}}})
        );
        assert_eq!(
            Value::Object(twin.reported_properties()),
            json!({"pki": {"status": "ok"}})
        );
        assert_eq!(twin.desired_version(), Some(TwinVersion::new(2)));
        assert_eq!(twin.reported_version(), Some(TwinVersion::new(5)));
    }

    #[test]
    fn a_sparse_twin_takes_defaults() {
        let twin: ModuleTwin =
            serde_json::from_value(json!({"moduleId": "m", "etag": null})).unwrap();
        assert_eq!(twin.module_id, "m");
        assert_eq!(twin.etag, None);
        assert!(twin.properties.desired.is_empty());
        assert_eq!(twin.desired_version(), None);
        assert_eq!(
            serde_json::to_value(&twin).unwrap(),
            json!({"deviceId": "", "moduleId": "m", "properties": {"desired": {}, "reported": {}}})
        );
    }
}
