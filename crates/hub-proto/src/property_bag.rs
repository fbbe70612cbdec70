//! The property bag at the end of module message topics: URL-encoded `k=v&k2=v2`.
//!
//! System properties carry a `$.` prefix (`$.on` output name, `$.mid` message id, `$.ct`
//! content type, ...; edgeHub `SystemProperties.cs`). Keys and values are encoded like the
//! Python SDK's `urlencode(..., quote_via=quote)`, so `$.ct=application/json` goes on the wire
//! as `%24.ct=application%2Fjson`.

use std::fmt;

use crate::encoding::{DecodeError, decode_component, encode_component};

/// System property: the output a module sent the message to.
pub const OUTPUT_NAME: &str = "$.on";
/// System property: message id.
pub const MESSAGE_ID: &str = "$.mid";
/// System property: correlation id.
pub const CORRELATION_ID: &str = "$.cid";
/// System property: content type.
pub const CONTENT_TYPE: &str = "$.ct";
/// System property: content encoding.
pub const CONTENT_ENCODING: &str = "$.ce";
/// System property added by edgeHub on input messages: the sending device.
pub const CONNECTION_DEVICE_ID: &str = "$.cdid";
/// System property added by edgeHub on input messages: the sending module.
pub const CONNECTION_MODULE_ID: &str = "$.cmid";

/// An ordered list of message properties, as carried at the end of a message topic.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PropertyBag(Vec<(String, String)>);

impl PropertyBag {
    /// An empty bag.
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    /// Appends a property (keys are not deduplicated, order is kept).
    #[must_use]
    pub fn with(mut self, key: impl Into<String>, value: impl Into<String>) -> Self {
        self.0.push((key.into(), value.into()));
        self
    }

    /// Parses the encoded form; a pair without `=` has an empty value.
    pub fn parse(encoded: &str) -> Result<Self, DecodeError> {
        let mut pairs = Vec::new();
        for pair in encoded.split('&').filter(|p| !p.is_empty()) {
            let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
            pairs.push((
                decode_component(k)?.into_owned(),
                decode_component(v)?.into_owned(),
            ));
        }
        Ok(Self(pairs))
    }

    /// The first value stored under `key`.
    #[must_use]
    pub fn get(&self, key: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }

    /// All properties in order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &str)> {
        self.0.iter().map(|(k, v)| (k.as_str(), v.as_str()))
    }

    /// Whether the bag holds no property.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl fmt::Display for PropertyBag {
    /// Writes the encoded form, `k=v&k2=v2`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, (k, v)) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str("&")?;
            }
            write!(f, "{}={}", encode_component(k), encode_component(v))?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn python_sdk_output_bag_is_reproduced() {
        // docs/reference/iot-edge.md §1.10, captured from send_message_to_output(msg, "output1").
        let bag = PropertyBag::new()
            .with(OUTPUT_NAME, "output1")
            .with(CONTENT_TYPE, "application/json")
            .with(CONTENT_ENCODING, "utf-8")
            .with("k", "v w");
        assert_eq!(
            bag.to_string(),
            "%24.on=output1&%24.ct=application%2Fjson&%24.ce=utf-8&k=v%20w"
        );
    }

    #[test]
    fn encoded_bag_parses_back() {
        let bag = PropertyBag::parse("%24.cdid=TestEdgeDevice&%24.cmid=SenderModule&flag").unwrap();
        assert_eq!(bag.get(CONNECTION_DEVICE_ID), Some("TestEdgeDevice"));
        assert_eq!(bag.get(CONNECTION_MODULE_ID), Some("SenderModule"));
        assert_eq!(bag.get("flag"), Some(""));
        assert_eq!(bag.get("missing"), None);
    }
}
