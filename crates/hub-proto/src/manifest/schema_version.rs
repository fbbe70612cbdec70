//! `schemaVersion` of `$edgeAgent` and `$edgeHub`, and which versions the runtime accepts.
//!
//! edgeAgent requires major 1 and at most 1.1 (`EdgeAgentConnection.cs`,
//! `ExpectedSchemaVersion = 1.1.0`; a newer one is reported as status 412). edgeHub accepts
//! 1.0 to 1.3 (`EdgeHubConfigParser.cs`). Same in 1.4.43, 1.5.44 and main
//! (docs/reference/iot-edge.md §3.1).

use std::fmt;
use std::str::FromStr;

/// A `major.minor[.patch]` schema version.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct SchemaVersion {
    /// Major version.
    pub major: u32,
    /// Minor version.
    pub minor: u32,
    /// Patch version (0 when absent).
    pub patch: u32,
}

/// Why a schema version is not accepted.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SchemaVersionError {
    /// The text is not `major.minor[.patch]`.
    #[error("schema version {0:?} is not major.minor")]
    Malformed(String),
    /// The version is outside what the module accepts.
    #[error("{module} does not accept schema version {version} (accepted: {accepted})")]
    Unsupported {
        /// `$edgeAgent` or `$edgeHub`.
        module: &'static str,
        /// The version found.
        version: SchemaVersion,
        /// The accepted range.
        accepted: &'static str,
    },
}

impl SchemaVersion {
    /// A version from its parts.
    #[must_use]
    pub const fn new(major: u32, minor: u32, patch: u32) -> Self {
        Self {
            major,
            minor,
            patch,
        }
    }

    /// Parses a `$edgeAgent` schema version and checks that edgeAgent accepts it.
    pub fn for_edge_agent(text: &str) -> Result<Self, SchemaVersionError> {
        let version: Self = text.parse()?;
        if version.major == 1 && version <= Self::new(1, 1, 0) {
            Ok(version)
        } else {
            Err(SchemaVersionError::Unsupported {
                module: "$edgeAgent",
                version,
                accepted: "1.0 to 1.1",
            })
        }
    }

    /// Parses a `$edgeHub` schema version and checks that edgeHub accepts it.
    pub fn for_edge_hub(text: &str) -> Result<Self, SchemaVersionError> {
        let version: Self = text.parse()?;
        if version.major == 1 && version.minor <= 3 {
            Ok(version)
        } else {
            Err(SchemaVersionError::Unsupported {
                module: "$edgeHub",
                version,
                accepted: "1.0 to 1.3",
            })
        }
    }
}

impl FromStr for SchemaVersion {
    type Err = SchemaVersionError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let malformed = || SchemaVersionError::Malformed(s.to_owned());
        let parts: Vec<&str> = s.split('.').collect();
        let num = |p: &str| {
            if p.is_empty() || !p.bytes().all(|b| b.is_ascii_digit()) {
                return Err(malformed());
            }
            p.parse::<u32>().map_err(|_| malformed())
        };
        match parts.as_slice() {
            [major, minor] => Ok(Self::new(num(major)?, num(minor)?, 0)),
            [major, minor, patch] => Ok(Self::new(num(major)?, num(minor)?, num(patch)?)),
            _ => Err(malformed()),
        }
    }
}

impl fmt::Display for SchemaVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}", self.major, self.minor)?;
        if self.patch != 0 {
            write!(f, ".{}", self.patch)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn edge_agent_accepts_1_0_and_1_1_only() {
        assert!(SchemaVersion::for_edge_agent("1.0").is_ok());
        assert!(SchemaVersion::for_edge_agent("1.1").is_ok());
        assert!(SchemaVersion::for_edge_agent("1.1.0").is_ok());
        for rejected in ["1.2", "1.4", "2.0", "1.1.1"] {
            assert!(
                matches!(
                    SchemaVersion::for_edge_agent(rejected),
                    Err(SchemaVersionError::Unsupported { .. })
                ),
                "{rejected} accepted"
            );
        }
    }

    #[test]
    fn edge_hub_accepts_1_0_to_1_3() {
        for accepted in ["1.0", "1.1", "1.2", "1.3"] {
            assert!(SchemaVersion::for_edge_hub(accepted).is_ok(), "{accepted}");
        }
        assert!(SchemaVersion::for_edge_hub("1.4").is_err());
    }

    #[test]
    fn malformed_versions_are_refused() {
        for bad in ["1", "", "1.x", "1..1", "v1.1", "1.1.1.1"] {
            assert!(
                matches!(
                    bad.parse::<SchemaVersion>(),
                    Err(SchemaVersionError::Malformed(_))
                ),
                "{bad:?} parsed"
            );
        }
    }
}
