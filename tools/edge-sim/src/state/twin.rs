//! A module twin as the simulator stores it: desired, reported and tags, with versions,
//! metadata and an etag.
//!
//! Pure data and functions; the caller passes `now`. Patches follow hub-proto's merge rules
//! (`null` deletes, objects merge), so the simulator and the module client agree on what a
//! patch does.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use hub_proto::TwinProperties;
use hub_proto::twin::{VERSION_KEY, diff, merge};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::metadata::{self, METADATA_KEY};

/// One section (desired or reported) of a twin.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Section {
    /// The properties, without `$version` or `$metadata`.
    properties: Map<String, Value>,
    /// `$version`; 1 for a new twin.
    version: u64,
    /// The `$metadata` tree.
    metadata: Map<String, Value>,
}

impl Section {
    /// An empty section at version 1, stamped `now`.
    #[must_use]
    pub fn new(now: &str) -> Self {
        Self {
            properties: Map::new(),
            version: 1,
            metadata: metadata::stamp(now, 1),
        }
    }

    /// Merges `patch` (service members ignored), bumps `$version` and returns it.
    pub fn apply_patch(&mut self, patch: &Map<String, Value>, now: &str) -> u64 {
        let patch: Map<String, Value> = patch
            .iter()
            .filter(|(k, _)| !k.starts_with('$'))
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        merge(&mut self.properties, &patch);
        self.version = self.version.saturating_add(1);
        metadata::apply(&mut self.metadata, &patch, now, self.version);
        self.version
    }

    /// Replaces the properties with `new`; returns the patch that did it (empty when nothing
    /// changed, in which case the version stays).
    pub fn replace(&mut self, new: &Map<String, Value>, now: &str) -> Map<String, Value> {
        let patch = diff(&self.properties, new);
        if !patch.is_empty() {
            self.apply_patch(&patch, now);
        }
        patch
    }

    /// `$version`.
    #[must_use]
    pub fn version(&self) -> u64 {
        self.version
    }

    /// The properties without service members.
    #[must_use]
    pub fn properties(&self) -> &Map<String, Value> {
        &self.properties
    }

    /// What a module sees: the properties and `$version`.
    #[must_use]
    pub fn module_view(&self) -> Map<String, Value> {
        let mut view = self.properties.clone();
        view.insert(VERSION_KEY.to_owned(), Value::from(self.version));
        view
    }

    /// What the service API shows: the properties, `$metadata` and `$version`.
    #[must_use]
    pub fn service_view(&self) -> Map<String, Value> {
        let mut view = self.properties.clone();
        view.insert(
            METADATA_KEY.to_owned(),
            Value::Object(self.metadata.clone()),
        );
        view.insert(VERSION_KEY.to_owned(), Value::from(self.version));
        view
    }
}

/// A module twin.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TwinRecord {
    /// Desired properties.
    pub desired: Section,
    /// Reported properties.
    pub reported: Section,
    /// Tags (service only).
    #[serde(default)]
    pub tags: Map<String, Value>,
    /// Twin version: bumped by every change of any part; the etag derives from it.
    pub version: u64,
}

impl TwinRecord {
    /// A fresh twin stamped `now`.
    #[must_use]
    pub fn new(now: &str) -> Self {
        Self {
            desired: Section::new(now),
            reported: Section::new(now),
            tags: Map::new(),
            version: 1,
        }
    }

    /// The etag: base64 of the big-endian twin version, the shape IoT Hub uses
    /// (`"AAAAAAAAAAE="` for version 1).
    #[must_use]
    pub fn etag(&self) -> String {
        BASE64.encode(self.version.to_be_bytes())
    }

    /// Whether an `If-Match` header value allows an update: absent, `*` or this etag
    /// (quoted or not).
    #[must_use]
    pub fn if_match_allows(&self, if_match: Option<&str>) -> bool {
        match if_match.map(|v| v.trim().trim_matches('"')) {
            None | Some("*" | "") => true,
            Some(tag) => tag == self.etag(),
        }
    }

    /// The twin GET response body a module receives.
    #[must_use]
    pub fn module_properties(&self) -> TwinProperties {
        TwinProperties {
            desired: self.desired.module_view(),
            reported: self.reported.module_view(),
        }
    }

    /// Applies a reported patch; returns the new reported `$version`.
    pub fn patch_reported(&mut self, patch: &Map<String, Value>, now: &str) -> u64 {
        self.version = self.version.saturating_add(1);
        self.reported.apply_patch(patch, now)
    }

    /// Applies a desired patch; returns the notification a module receives (the patch with
    /// `$version`).
    pub fn patch_desired(&mut self, patch: &Map<String, Value>, now: &str) -> Map<String, Value> {
        self.version = self.version.saturating_add(1);
        let version = self.desired.apply_patch(patch, now);
        notification(patch, version)
    }

    /// Replaces desired properties; the notification, or `None` when nothing changed.
    pub fn replace_desired(
        &mut self,
        desired: &Map<String, Value>,
        now: &str,
    ) -> Option<Map<String, Value>> {
        let patch = self.desired.replace(desired, now);
        if patch.is_empty() {
            return None;
        }
        self.version = self.version.saturating_add(1);
        Some(notification(&patch, self.desired.version()))
    }

    /// Merges `patch` into the tags.
    pub fn patch_tags(&mut self, patch: &Map<String, Value>) {
        merge(&mut self.tags, patch);
        self.version = self.version.saturating_add(1);
    }

    /// Replaces the tags.
    pub fn replace_tags(&mut self, tags: Map<String, Value>) {
        if self.tags != tags {
            self.tags = tags;
            self.version = self.version.saturating_add(1);
        }
    }
}

fn notification(patch: &Map<String, Value>, version: u64) -> Map<String, Value> {
    let mut body: Map<String, Value> = patch
        .iter()
        .filter(|(k, _)| !k.starts_with('$'))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    body.insert(VERSION_KEY.to_owned(), Value::from(version));
    body
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

    #[test]
    fn a_fresh_twin_is_at_version_one_in_both_sections() {
        let twin = TwinRecord::new("t");
        assert_eq!(
            serde_json::to_value(twin.module_properties()).unwrap(),
            json!({"desired": {"$version": 1}, "reported": {"$version": 1}})
        );
        assert_eq!(twin.etag(), "AAAAAAAAAAE=");
    }

    #[test]
    fn desired_patch_notification_carries_the_new_version_and_nulls() {
        let mut twin = TwinRecord::new("t");
        twin.patch_desired(&object(json!({"a": 1, "b": 2})), "t1");
        let note = twin.patch_desired(&object(json!({"a": null, "$version": 99})), "t2");
        assert_eq!(Value::Object(note), json!({"a": null, "$version": 3}));
        assert_eq!(
            Value::Object(twin.desired.module_view()),
            json!({"b": 2, "$version": 3})
        );
    }

    #[test]
    fn every_change_moves_the_etag() {
        let mut twin = TwinRecord::new("t");
        let first = twin.etag();
        twin.patch_reported(&object(json!({"x": 1})), "t1");
        assert_ne!(twin.etag(), first);
        assert!(!twin.if_match_allows(Some(&format!("\"{first}\""))));
        assert!(twin.if_match_allows(Some(&format!("\"{}\"", twin.etag()))));
        assert!(twin.if_match_allows(Some("\"*\"")));
        assert!(twin.if_match_allows(None));
    }

    #[test]
    fn replacing_desired_sends_the_difference_and_nothing_when_equal() {
        let mut twin = TwinRecord::new("t");
        twin.patch_desired(&object(json!({"a": 1, "b": {"c": 2}})), "t1");
        let note = twin
            .replace_desired(&object(json!({"b": {"c": 2}, "d": 4})), "t2")
            .unwrap();
        assert_eq!(
            Value::Object(note),
            json!({"a": null, "d": 4, "$version": 3})
        );
        assert!(
            twin.replace_desired(&object(json!({"b": {"c": 2}, "d": 4})), "t3")
                .is_none()
        );
    }

    #[test]
    fn service_view_has_metadata_and_version() {
        let mut twin = TwinRecord::new("t0");
        twin.patch_desired(&object(json!({"pki": {"x": "y"}})), "t1");
        let view = twin.desired.service_view();
        assert_eq!(view["$version"], json!(2));
        assert_eq!(view["$metadata"]["pki"]["x"]["$lastUpdated"], json!("t1"));
        assert_eq!(view["$metadata"]["$lastUpdatedVersion"], json!(2));
    }
}
