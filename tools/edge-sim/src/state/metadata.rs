//! The service view's `$metadata`: when each property was last updated, at every level.
//!
//! IoT Hub keeps a tree parallel to a desired or reported section in which every node carries
//! `$lastUpdated` (ISO 8601 with milliseconds) and `$lastUpdatedVersion` (the section's
//! `$version` after the update), docs/reference/iot-edge.md §1.8 and §5.2. Modules never see it
//! (twin GET responses carry no `$metadata`, docs/reference/iot-edge.md §1.5); the service API
//! does.

use serde_json::{Map, Value};
use time::OffsetDateTime;
use time::macros::format_description;

/// The member holding the metadata tree inside a service-view section.
pub const METADATA_KEY: &str = "$metadata";
/// When a node was last updated.
pub const LAST_UPDATED_KEY: &str = "$lastUpdated";
/// The section `$version` of that update.
pub const LAST_UPDATED_VERSION_KEY: &str = "$lastUpdatedVersion";

/// Formats `now` like IoT Hub's `$lastUpdated`: `YYYY-MM-DDTHH:MM:SS.mmmZ`.
#[must_use]
pub fn timestamp(now: OffsetDateTime) -> String {
    let utc = now.to_offset(time::UtcOffset::UTC);
    utc.format(format_description!(
        "[year]-[month]-[day]T[hour]:[minute]:[second].[subsecond digits:3]Z"
    ))
    // Formatting a UTC date with a fixed description cannot fail for years 0..=9999.
    .unwrap_or_default()
}

/// A metadata node stamped with `now` and `version`.
#[must_use]
pub fn stamp(now: &str, version: u64) -> Map<String, Value> {
    let mut node = Map::new();
    node.insert(LAST_UPDATED_KEY.to_owned(), Value::from(now));
    node.insert(LAST_UPDATED_VERSION_KEY.to_owned(), Value::from(version));
    node
}

/// Records `patch` (already merged into the section, which is now at `version`) in the
/// metadata tree `meta`: every node on the path of a changed property is re-stamped, deleted
/// properties lose their node.
pub fn apply(meta: &mut Map<String, Value>, patch: &Map<String, Value>, now: &str, version: u64) {
    meta.extend(stamp(now, version));
    for (key, value) in patch.iter().filter(|(k, _)| !k.starts_with('$')) {
        match value {
            Value::Null => {
                meta.remove(key);
            }
            Value::Object(inner_patch) => {
                let slot = meta
                    .entry(key.clone())
                    .or_insert_with(|| Value::Object(Map::new()));
                if !slot.is_object() {
                    *slot = Value::Object(Map::new());
                }
                if let Value::Object(inner_meta) = slot {
                    apply(inner_meta, inner_patch, now, version);
                }
            }
            _ => {
                meta.insert(key.clone(), Value::Object(stamp(now, version)));
            }
        }
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

    #[test]
    fn timestamps_have_millisecond_precision_and_a_z() {
        let t = OffsetDateTime::from_unix_timestamp_nanos(1_700_000_000_123_456_789).unwrap();
        assert_eq!(timestamp(t), "2023-11-14T22:13:20.123Z");
    }

    #[test]
    fn every_level_on_the_path_of_a_change_is_stamped() {
        let mut meta = stamp("t1", 1);
        apply(
            &mut meta,
            &object(json!({"pki": {"a": 1}, "b": true})),
            "t2",
            2,
        );
        assert_eq!(meta["$lastUpdatedVersion"], json!(2));
        assert_eq!(meta["pki"]["$lastUpdated"], json!("t2"));
        assert_eq!(meta["pki"]["a"]["$lastUpdatedVersion"], json!(2));
        assert_eq!(meta["b"]["$lastUpdated"], json!("t2"));
    }

    #[test]
    fn untouched_siblings_keep_their_stamp_and_deleted_members_lose_theirs() {
        let mut meta = stamp("t1", 1);
        apply(
            &mut meta,
            &object(json!({"pki": {"a": 1, "b": 2}})),
            "t2",
            2,
        );
        apply(
            &mut meta,
            &object(json!({"pki": {"a": null, "b": 3}})),
            "t3",
            3,
        );
        assert!(meta["pki"].get("a").is_none());
        assert_eq!(meta["pki"]["b"]["$lastUpdatedVersion"], json!(3));
        apply(&mut meta, &object(json!({"c": 1})), "t4", 4);
        assert_eq!(meta["pki"]["$lastUpdatedVersion"], json!(3));
        assert_eq!(meta["$lastUpdatedVersion"], json!(4));
    }
}
