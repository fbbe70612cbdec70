//! Twin patches: merge a patch into a section, bump `$version`, and compute a patch.
//!
//! A patch is a JSON object of partial updates (docs/reference/iot-edge.md §1.6–1.7): nested
//! objects merge, a member set to `null` is deleted, every other value replaces what was there.
//! This is JSON Merge Patch (RFC 7386); like it, and unlike edgeHub's `JsonEx.Merge`, a `null`
//! inside a newly added object is dropped rather than stored, so a stored twin never holds `null`.

use serde_json::{Map, Value};

use super::version::{TwinVersion, VERSION_KEY};

/// Merges `patch` into `target`: objects merge recursively, `null` deletes, anything else
/// replaces.
pub fn merge(target: &mut Map<String, Value>, patch: &Map<String, Value>) {
    for (key, value) in patch {
        match value {
            Value::Null => {
                target.remove(key);
            }
            Value::Object(inner_patch) => {
                let slot = target
                    .entry(key.clone())
                    .or_insert_with(|| Value::Object(Map::new()));
                if !slot.is_object() {
                    *slot = Value::Object(Map::new());
                }
                if let Value::Object(inner_target) = slot {
                    merge(inner_target, inner_patch);
                }
            }
            other => {
                target.insert(key.clone(), other.clone());
            }
        }
    }
}

/// Applies a patch to a stored section the way the hub does and returns the new `$version`.
///
/// Service members of the patch (`$version`, `$metadata`, any `$` name) are ignored; the
/// section's `$version` is incremented (a section without one starts at 1, so the first
/// patch yields 2).
pub fn apply_patch(section: &mut Map<String, Value>, patch: &Map<String, Value>) -> TwinVersion {
    let properties: Map<String, Value> = patch
        .iter()
        .filter(|(k, _)| !k.starts_with('$'))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    merge(section, &properties);
    let version = TwinVersion::of(section)
        .unwrap_or(TwinVersion::INITIAL)
        .next();
    section.insert(VERSION_KEY.to_owned(), Value::from(version.get()));
    version
}

/// The patch that turns `from` into `to`: changed and added members, `null` for removed ones.
///
/// `merge(from, &diff(from, to))` yields `to` whenever `to` holds no `null` (stored twins never
/// do). Service members (`$…`) are ignored on both sides.
#[must_use]
pub fn diff(from: &Map<String, Value>, to: &Map<String, Value>) -> Map<String, Value> {
    let mut patch = Map::new();
    for (key, old) in from.iter().filter(|(k, _)| !k.starts_with('$')) {
        match (old, to.get(key)) {
            (_, None) => {
                patch.insert(key.clone(), Value::Null);
            }
            (Value::Object(old_inner), Some(Value::Object(new_inner))) => {
                let inner = diff(old_inner, new_inner);
                if !inner.is_empty() {
                    patch.insert(key.clone(), Value::Object(inner));
                }
            }
            (old, Some(new)) if old != new => {
                patch.insert(key.clone(), new.clone());
            }
            _ => {}
        }
    }
    for (key, new) in to.iter().filter(|(k, _)| !k.starts_with('$')) {
        if !from.contains_key(key) {
            patch.insert(key.clone(), new.clone());
        }
    }
    patch
}
