//! The twin document a module receives from a twin GET: `{"desired": {…}, "reported": {…}}`.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::version::TwinVersion;

/// The body of a twin GET response (docs/reference/iot-edge.md §1.5): only the properties section.
///
/// edgeHub sends no `$metadata` to modules, but IoT Hub may; it is kept in the maps and
/// [`properties_only`] strips it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct TwinProperties {
    /// The desired section, including `$version`.
    #[serde(default)]
    pub desired: Map<String, Value>,
    /// The reported section, including `$version`.
    #[serde(default)]
    pub reported: Map<String, Value>,
}

/// Why a twin GET body could not be read.
#[derive(Debug, thiserror::Error)]
pub enum TwinDocumentError {
    /// The body is not JSON, or `desired`/`reported` are not objects.
    #[error("twin document is not valid json")]
    Json(#[source] serde_json::Error),
    /// The body is JSON but not an object.
    #[error("twin document is not a json object")]
    NotAnObject,
}

impl TwinProperties {
    /// Parses a twin GET response body.
    pub fn from_slice(body: &[u8]) -> Result<Self, TwinDocumentError> {
        // Through `Value` first: serde would also accept a two-element array for the struct.
        let value: Value = serde_json::from_slice(body).map_err(TwinDocumentError::Json)?;
        if !value.is_object() {
            return Err(TwinDocumentError::NotAnObject);
        }
        serde_json::from_value(value).map_err(TwinDocumentError::Json)
    }

    /// Serializes the document as edgeHub sends it (compact JSON).
    #[must_use]
    pub fn to_vec(&self) -> Vec<u8> {
        // Serializing maps of `Value` cannot fail: every key is a string.
        serde_json::to_vec(self).unwrap_or_default()
    }

    /// The `$version` of the desired section.
    #[must_use]
    pub fn desired_version(&self) -> Option<TwinVersion> {
        TwinVersion::of(&self.desired)
    }

    /// The `$version` of the reported section.
    #[must_use]
    pub fn reported_version(&self) -> Option<TwinVersion> {
        TwinVersion::of(&self.reported)
    }
}

/// A copy of a section without service members (`$version`, `$metadata`, `$lastUpdated`, ...)
/// at any level.
///
/// Property names may not start with `$` (twin rules, docs/reference/iot-edge.md §1.8), so every
/// `$` member is service metadata.
#[must_use]
pub fn properties_only(section: &Map<String, Value>) -> Map<String, Value> {
    section
        .iter()
        .filter(|(k, _)| !k.starts_with('$'))
        .map(|(k, v)| {
            let v = match v {
                Value::Object(inner) => Value::Object(properties_only(inner)),
                other => other.clone(),
            };
            (k.clone(), v)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn documented_get_response_parses() {
        // docs/reference/iot-edge.md §1.5 (iot-mqtt-connect-to-iot-hub.md).
        let body = br#"{"desired":{"telemetrySendFrequency":"5m","$version":12},"reported":{"telemetrySendFrequency":"5m","batteryLevel":55,"$version":123}}"#;
        let twin = TwinProperties::from_slice(body).unwrap();
        assert_eq!(twin.desired_version(), Some(TwinVersion::new(12)));
        assert_eq!(twin.reported_version(), Some(TwinVersion::new(123)));
        assert_eq!(twin.reported["batteryLevel"], json!(55));
    }

    #[test]
    fn serialized_document_round_trips() {
        let body = br#"{"desired":{"$version":1},"reported":{"$version":1}}"#;
        let twin = TwinProperties::from_slice(body).unwrap();
        assert_eq!(twin.to_vec(), body.to_vec());
    }

    #[test]
    fn non_object_body_is_an_error() {
        assert!(matches!(
            TwinProperties::from_slice(b"[{}, {}]"),
            Err(TwinDocumentError::NotAnObject)
        ));
        assert!(matches!(
            TwinProperties::from_slice(b" "),
            Err(TwinDocumentError::Json(_))
        ));
        assert!(matches!(
            TwinProperties::from_slice(br#"{"desired": 1}"#),
            Err(TwinDocumentError::Json(_))
        ));
    }

    #[test]
    fn metadata_is_stripped_at_every_level() {
        let Value::Object(section) = json!({
            "pki": {"a": 1, "$metadata": {"$lastUpdated": "x"}},
            "$version": 3,
            "$metadata": {}
        }) else {
            unreachable!()
        };
        assert_eq!(
            Value::Object(properties_only(&section)),
            json!({"pki": {"a": 1}})
        );
    }
}
