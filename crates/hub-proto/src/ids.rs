//! Identifiers that cross the wire: device and module ids, request ids and method names.
//!
//! Each is a newtype that can only hold a value the protocol accepts, so topics and SAS
//! audiences built from them are always well formed.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// Why a string is not a valid identifier.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum IdError {
    /// The identifier is empty.
    #[error("{kind} is empty")]
    Empty {
        /// Which identifier (`device id`, `module id`, ...).
        kind: &'static str,
    },
    /// The identifier is longer than the protocol allows.
    #[error("{kind} is longer than {max} bytes")]
    TooLong {
        /// Which identifier.
        kind: &'static str,
        /// The maximum length in bytes.
        max: usize,
    },
    /// The identifier holds a character the protocol does not allow.
    #[error("{kind} contains the invalid character {ch:?}")]
    InvalidChar {
        /// Which identifier.
        kind: &'static str,
        /// The first offending character.
        ch: char,
    },
}

/// Maximum length of a device or module id (IoT Hub identity registry).
pub const MAX_IDENTITY_LEN: usize = 128;

/// Maximum length accepted for a request id or a method name.
pub const MAX_TOKEN_LEN: usize = 128;

// IoT Hub identity registry: "ASCII 7-bit alphanumeric characters plus the following special
// characters: - : . + % _ # * ? ! ( ) , = @ ; $ '". `/` is not among them, which is what keeps
// topics and SAS audiences unambiguous.
const IDENTITY_SPECIALS: &str = "-:.+%_#*?!(),=@;$'";

fn check_identity(kind: &'static str, s: &str) -> Result<(), IdError> {
    if s.is_empty() {
        return Err(IdError::Empty { kind });
    }
    if s.len() > MAX_IDENTITY_LEN {
        return Err(IdError::TooLong {
            kind,
            max: MAX_IDENTITY_LEN,
        });
    }
    match s
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || IDENTITY_SPECIALS.contains(*c)))
    {
        Some(ch) => Err(IdError::InvalidChar { kind, ch }),
        None => Ok(()),
    }
}

// Request ids and method names travel inside topic levels: they must not split a level (`/`),
// start the query (`?`), act as MQTT wildcards (`#`, `+`, MQTT 3.1.1 §4.7.1) or hold
// whitespace and control characters.
fn check_token(kind: &'static str, s: &str) -> Result<(), IdError> {
    if s.is_empty() {
        return Err(IdError::Empty { kind });
    }
    if s.len() > MAX_TOKEN_LEN {
        return Err(IdError::TooLong {
            kind,
            max: MAX_TOKEN_LEN,
        });
    }
    match s
        .chars()
        .find(|c| matches!(c, '/' | '?' | '#' | '+') || c.is_whitespace() || c.is_control())
    {
        Some(ch) => Err(IdError::InvalidChar { kind, ch }),
        None => Ok(()),
    }
}

macro_rules! string_id {
    ($(#[$doc:meta])* $name:ident, $kind:literal, $check:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub struct $name(String);

        impl $name {
            /// Parses and validates the identifier.
            pub fn new(s: impl Into<String>) -> Result<Self, IdError> {
                let s = s.into();
                $check($kind, &s)?;
                Ok(Self(s))
            }

            /// The identifier as a string slice.
            #[must_use]
            pub fn as_str(&self) -> &str {
                &self.0
            }

            /// Compares with another identifier ignoring ASCII case, as edgeHub does for SAS
            /// audiences.
            #[must_use]
            pub fn eq_ignore_case(&self, other: &Self) -> bool {
                self.0.eq_ignore_ascii_case(&other.0)
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl FromStr for $name {
            type Err = IdError;

            fn from_str(s: &str) -> Result<Self, Self::Err> {
                Self::new(s)
            }
        }

        impl AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }

        impl Serialize for $name {
            fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(&self.0)
            }
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let s = String::deserialize(deserializer)?;
                Self::new(s).map_err(serde::de::Error::custom)
            }
        }
    };
}

string_id!(
    /// An IoT Hub device id (case-sensitive, ≤ 128 ASCII characters, no `/`).
    DeviceId,
    "device id",
    check_identity
);

string_id!(
    /// An IoT Hub module id, such as `opcplc` or `$edgeAgent` (same rules as a device id).
    ModuleId,
    "module id",
    check_identity
);

string_id!(
    /// The `$rid` that correlates a twin or method request with its response.
    RequestId,
    "request id",
    check_token
);

string_id!(
    /// The name of a direct method, the `{name}` level of `$iothub/methods/POST/{name}/`.
    MethodName,
    "method name",
    check_token
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn system_module_ids_are_valid() {
        assert!(ModuleId::new("$edgeAgent").is_ok());
        assert!(ModuleId::new("$edgeHub").is_ok());
    }

    #[test]
    fn identity_with_slash_is_rejected() {
        assert_eq!(
            DeviceId::new("a/b"),
            Err(IdError::InvalidChar {
                kind: "device id",
                ch: '/'
            })
        );
    }

    #[test]
    fn identity_longer_than_128_is_rejected() {
        assert!(DeviceId::new("a".repeat(128)).is_ok());
        assert!(matches!(
            DeviceId::new("a".repeat(129)),
            Err(IdError::TooLong { max: 128, .. })
        ));
    }

    #[test]
    fn empty_identity_is_rejected() {
        assert!(matches!(ModuleId::new(""), Err(IdError::Empty { .. })));
    }

    #[test]
    fn request_id_rejects_topic_separators_and_wildcards() {
        assert!(RequestId::new("914b0bd5-6599-4b32-8abf-fcca7cabd79a").is_ok());
        for bad in ["a/b", "a?b", "a#", "a+", "a b", "a\u{1}"] {
            assert!(RequestId::new(bad).is_err(), "{bad:?} accepted");
        }
    }

    #[test]
    fn ids_compare_ignoring_case_for_audiences() {
        let a = DeviceId::new("EdgeDev1").unwrap();
        let b = DeviceId::new("edgedev1").unwrap();
        assert_ne!(a, b);
        assert!(a.eq_ignore_case(&b));
    }

    #[test]
    fn id_deserialization_validates() {
        assert!(serde_json::from_str::<DeviceId>("\"a/b\"").is_err());
        let id: ModuleId = serde_json::from_str("\"opcplc\"").unwrap();
        assert_eq!(id.as_str(), "opcplc");
    }
}
