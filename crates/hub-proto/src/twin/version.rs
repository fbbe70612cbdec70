//! `$version`: the monotonically increasing version of a twin's desired or reported section.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// The name of the version member inside a desired or reported section.
pub const VERSION_KEY: &str = "$version";

/// The version of a desired or reported section (`$version`).
///
/// IoT Hub guarantees that it increases with every update (iot-hub-devguide-device-twins.md
/// §"Optimistic concurrency"); it does not guarantee steps of one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct TwinVersion(u64);

impl TwinVersion {
    /// The version of a freshly created twin section.
    pub const INITIAL: Self = Self(1);

    /// Wraps a raw version number.
    #[must_use]
    pub const fn new(v: u64) -> Self {
        Self(v)
    }

    /// The raw version number.
    #[must_use]
    pub const fn get(self) -> u64 {
        self.0
    }

    /// The next version, saturating at `u64::MAX`.
    #[must_use]
    pub const fn next(self) -> Self {
        Self(self.0.saturating_add(1))
    }

    /// Reads `$version` from a desired or reported section, if it holds a non-negative integer.
    #[must_use]
    pub fn of(section: &Map<String, Value>) -> Option<Self> {
        section.get(VERSION_KEY).and_then(Value::as_u64).map(Self)
    }
}

impl fmt::Display for TwinVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

impl FromStr for TwinVersion {
    type Err = std::num::ParseIntError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        s.parse().map(Self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn version_is_read_from_a_section() {
        let Value::Object(section) = json!({"a": 1, "$version": 12}) else {
            unreachable!()
        };
        assert_eq!(TwinVersion::of(&section), Some(TwinVersion::new(12)));
    }

    #[test]
    fn missing_or_negative_version_is_none() {
        let Value::Object(section) = json!({"$version": -1}) else {
            unreachable!()
        };
        assert_eq!(TwinVersion::of(&section), None);
        assert_eq!(TwinVersion::of(&Map::new()), None);
    }

    #[test]
    fn versions_order_numerically() {
        assert!(TwinVersion::new(9) < TwinVersion::new(10));
        assert_eq!(TwinVersion::new(9).next(), TwinVersion::new(10));
    }
}
