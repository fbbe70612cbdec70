//! The module side of desired properties: full documents after each connect, then only newer
//! patches.
//!
//! IoT Hub does not queue desired notifications for a disconnected module
//! (docs/reference/iot-edge.md §0.2, §1.7), so after every (re)connect the module GETs the twin and
//! reconciles the *full* desired document; notifications whose `$version` is not newer than the
//! state it holds are ignored (iot-hub-devguide-device-twins.md §"Device reconnection flow").

use serde_json::{Map, Value};

use super::patch::merge;
use super::version::{TwinVersion, VERSION_KEY};

/// The desired document a module holds, kept in `$version` order.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct DesiredState {
    document: Option<Map<String, Value>>,
}

/// What adopting a twin GET's desired section did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TwinOutcome {
    /// The document is new (first GET, or its `$version` differs from the held one).
    Changed,
    /// The held document already had this `$version`.
    Unchanged,
}

/// What a desired notification did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PatchOutcome {
    /// The patch was merged; the held document is now at its version.
    Applied,
    /// The patch is not newer than the held document and was ignored.
    Stale,
    /// No twin GET has been adopted yet, so there is nothing to patch; GET the twin.
    NoBaseline,
}

impl DesiredState {
    /// A state that has seen no twin yet.
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    /// Adopts the desired section of a twin GET response, replacing what was held.
    ///
    /// The GET result is authoritative even when its `$version` is lower than the held one:
    /// versions restart at 1 when a module identity is deleted and created again, and the
    /// Python SDK likewise reacts to any *different* version, not only a higher one.
    pub fn on_twin(&mut self, desired: Map<String, Value>) -> TwinOutcome {
        let outcome = match (self.version(), TwinVersion::of(&desired)) {
            (Some(held), Some(new)) if held == new => TwinOutcome::Unchanged,
            _ => TwinOutcome::Changed,
        };
        self.document = Some(desired);
        outcome
    }

    /// Applies a desired notification `patch` that arrived with `$version` = `version`.
    pub fn on_patch(&mut self, version: TwinVersion, patch: &Map<String, Value>) -> PatchOutcome {
        let Some(document) = self.document.as_mut() else {
            return PatchOutcome::NoBaseline;
        };
        if TwinVersion::of(document).is_some_and(|held| version <= held) {
            return PatchOutcome::Stale;
        }
        let properties: Map<String, Value> = patch
            .iter()
            .filter(|(k, _)| !k.starts_with('$'))
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        merge(document, &properties);
        document.insert(VERSION_KEY.to_owned(), Value::from(version.get()));
        PatchOutcome::Applied
    }

    /// Forgets the held document (for example when the identity changed).
    pub fn reset(&mut self) {
        self.document = None;
    }

    /// The full desired document held, including `$version`.
    #[must_use]
    pub fn document(&self) -> Option<&Map<String, Value>> {
        self.document.as_ref()
    }

    /// The `$version` of the held document.
    #[must_use]
    pub fn version(&self) -> Option<TwinVersion> {
        self.document.as_ref().and_then(TwinVersion::of)
    }
}
