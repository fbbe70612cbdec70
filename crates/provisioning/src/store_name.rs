//! The name of a store cert-agent keeps for another application: one folder under its PKI
//! root (`<root>/<storeName>/`, the Annex F tree), so the name must be a plain folder name; and
//! it is a key of the twin's `stores`, so it must be a name IoT Hub accepts for a property.

use std::fmt;

/// A store name that is a plain folder name: not empty, not `.` or `..`, no `/` or NUL, not
/// hidden (`.pki.*` are the store's own files), at most 255 bytes (one path component); and a
/// twin property name: no `.`, `$`, `#`, whitespace or control characters (IoT Hub refuses a
/// document, desired or reported, with such a name anywhere in it).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct StoreName(String);

/// Why a name is not a store name.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum StoreNameError {
    /// The name is empty.
    #[error("a store name must not be empty")]
    Empty,
    /// `.` or `..`, or another name starting with a dot.
    #[error("'{0}' is not a plain folder name: a store name must not start with '.'")]
    Dot(String),
    /// A `/`, `\` or NUL.
    #[error("'{0}' is not a plain folder name: a store name must not contain '/', '\\\\' or NUL")]
    Separator(String),
    /// Longer than one path component may be.
    #[error("a store name must be at most 255 bytes")]
    TooLong,
    /// A character IoT Hub refuses in a property name.
    #[error(
        "'{name}' cannot be a twin property name: IoT Hub refuses {ch:?} in property names ('.', '$', '#', whitespace and control characters)"
    )]
    NotAPropertyName {
        /// The name.
        name: String,
        /// The first character IoT Hub refuses.
        ch: char,
    },
}

impl StoreName {
    /// Checks `name`.
    pub fn new(name: &str) -> Result<Self, StoreNameError> {
        if name.is_empty() {
            return Err(StoreNameError::Empty);
        }
        if name.starts_with('.') {
            return Err(StoreNameError::Dot(name.to_owned()));
        }
        if name.contains(['/', '\\', '\0']) {
            return Err(StoreNameError::Separator(name.to_owned()));
        }
        if name.len() > 255 {
            return Err(StoreNameError::TooLong);
        }
        if let Err(hub_proto::twin::ReportedPatchError::InvalidNameChar { ch, .. }) =
            hub_proto::twin::validate_property_name(name)
        {
            return Err(StoreNameError::NotAPropertyName {
                name: name.to_owned(),
                ch,
            });
        }
        Ok(Self(name.to_owned()))
    }

    /// The name.
    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for StoreName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_folder_names_are_store_names() {
        for name in ["opcplc", "OpcPublisher", "plc-1_a", "ü", "vendor(1)"] {
            assert_eq!(StoreName::new(name).unwrap().as_str(), name);
        }
    }

    #[test]
    fn paths_and_hidden_names_are_refused() {
        assert_eq!(StoreName::new(""), Err(StoreNameError::Empty));
        for name in [".", "..", ".pki.lock"] {
            assert!(
                matches!(StoreName::new(name), Err(StoreNameError::Dot(_))),
                "{name}"
            );
        }
        for name in ["a/b", "/etc", "a\\b", "a\0b"] {
            assert!(
                matches!(StoreName::new(name), Err(StoreNameError::Separator(_))),
                "{name}"
            );
        }
        assert_eq!(
            StoreName::new(&"x".repeat(256)),
            Err(StoreNameError::TooLong)
        );
    }

    #[test]
    fn names_iot_hub_refuses_as_property_names_are_refused() {
        for (name, ch) in [
            ("opc.plc", '.'),
            ("OPC Publisher", ' '),
            ("a$b", '$'),
            ("a#b", '#'),
            ("tab\there", '\t'),
        ] {
            let err = StoreName::new(name).unwrap_err();
            assert_eq!(
                err,
                StoreNameError::NotAPropertyName {
                    name: name.to_owned(),
                    ch
                }
            );
            assert!(err.to_string().contains("cannot be a twin property name"));
        }
    }
}
