//! Direct methods: the MQTT request/response pair and the service REST bodies.
//!
//! Over MQTT (docs/reference/iot-edge.md §1.9) a request arrives on
//! `$iothub/methods/POST/{name}/?$rid={rid}` with a JSON or empty body, and the module answers on
//! `$iothub/methods/res/{status}/?$rid=…` with any integer status and a JSON or empty body. Through
//! the service API the caller POSTs
//! `{"methodName","payload","responseTimeoutInSeconds","connectTimeoutInSeconds"}` and gets
//! `{"status","payload"}` back.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::ids::{MethodName, RequestId};
use crate::topic::Topic;

/// Status edgeHub returns when a module does not answer in time (`GatewayTimeout`).
pub const STATUS_GATEWAY_TIMEOUT: i32 = 504;
/// Status for a method nobody handles (IoT Hub's "device not online / method not registered").
pub const STATUS_NOT_FOUND: i32 = 404;
/// Default response timeout of a direct method, in seconds.
pub const DEFAULT_RESPONSE_TIMEOUT_SECS: u64 = 30;
/// Shortest response timeout IoT Hub accepts, in seconds.
pub const MIN_RESPONSE_TIMEOUT_SECS: u64 = 5;
/// Longest response timeout IoT Hub accepts, in seconds.
pub const MAX_RESPONSE_TIMEOUT_SECS: u64 = 300;
/// Largest request or response payload, 128 KB.
pub const MAX_PAYLOAD_BYTES: usize = 128 * 1024;

/// Why a method payload could not be read.
#[derive(Debug, thiserror::Error)]
pub enum MethodError {
    /// The payload is neither empty nor JSON.
    #[error("method payload is not valid json")]
    Json(#[source] serde_json::Error),
    /// The payload is larger than [`MAX_PAYLOAD_BYTES`].
    #[error("method payload has {0} bytes, more than {MAX_PAYLOAD_BYTES}")]
    TooLarge(usize),
}

fn parse_payload(body: &[u8]) -> Result<Value, MethodError> {
    if body.len() > MAX_PAYLOAD_BYTES {
        return Err(MethodError::TooLarge(body.len()));
    }
    if body.iter().all(u8::is_ascii_whitespace) {
        return Ok(Value::Null);
    }
    serde_json::from_slice(body).map_err(MethodError::Json)
}

fn payload_bytes(payload: &Value) -> Vec<u8> {
    if payload.is_null() {
        Vec::new()
    } else {
        // Serializing a `Value` cannot fail.
        serde_json::to_vec(payload).unwrap_or_default()
    }
}

/// A direct-method call delivered to a module.
#[derive(Debug, Clone, PartialEq)]
pub struct MethodRequest {
    /// The method name.
    pub name: MethodName,
    /// Correlates the response.
    pub rid: RequestId,
    /// The JSON payload; `null` for an empty body.
    pub payload: Value,
}

impl MethodRequest {
    /// Builds the request from a received topic's parts and its body.
    pub fn from_parts(name: MethodName, rid: RequestId, body: &[u8]) -> Result<Self, MethodError> {
        Ok(Self {
            name,
            rid,
            payload: parse_payload(body)?,
        })
    }

    /// The topic to publish the request on.
    #[must_use]
    pub fn topic(&self) -> Topic {
        Topic::MethodRequest {
            name: self.name.clone(),
            rid: self.rid.clone(),
        }
    }

    /// The body to publish: compact JSON, empty for `null`.
    #[must_use]
    pub fn body(&self) -> Vec<u8> {
        payload_bytes(&self.payload)
    }

    /// The response to this request with `status` and `payload`.
    #[must_use]
    pub fn respond(&self, status: i32, payload: Value) -> MethodResponse {
        MethodResponse {
            rid: self.rid.clone(),
            status,
            payload,
        }
    }
}

/// A module's answer to a direct-method call.
#[derive(Debug, Clone, PartialEq)]
pub struct MethodResponse {
    /// The request this answers.
    pub rid: RequestId,
    /// Any integer; by convention HTTP-like (200 success).
    pub status: i32,
    /// The JSON payload; `null` for an empty body.
    pub payload: Value,
}

impl MethodResponse {
    /// Builds the response from a received topic's parts and its body.
    pub fn from_parts(status: i32, rid: RequestId, body: &[u8]) -> Result<Self, MethodError> {
        Ok(Self {
            rid,
            status,
            payload: parse_payload(body)?,
        })
    }

    /// The topic to publish the response on.
    #[must_use]
    pub fn topic(&self) -> Topic {
        Topic::MethodResponse {
            status: self.status,
            rid: self.rid.clone(),
        }
    }

    /// The body to publish: compact JSON, empty for `null`.
    #[must_use]
    pub fn body(&self) -> Vec<u8> {
        payload_bytes(&self.payload)
    }
}

/// The service API's method invocation body (`POST /twins/{d}/modules/{m}/methods`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CloudToDeviceMethod {
    /// The method to call.
    pub method_name: String,
    /// The payload handed to the module.
    #[serde(default)]
    pub payload: Value,
    /// How long to wait for the module's answer (5–300 s, default 30).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub response_timeout_in_seconds: Option<u64>,
    /// How long to wait for the module to connect.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub connect_timeout_in_seconds: Option<u64>,
}

impl CloudToDeviceMethod {
    /// The response timeout to apply: the requested one clamped to 5–300 s, else 30 s.
    #[must_use]
    pub fn response_timeout_secs(&self) -> u64 {
        self.response_timeout_in_seconds
            .map_or(DEFAULT_RESPONSE_TIMEOUT_SECS, |t| {
                t.clamp(MIN_RESPONSE_TIMEOUT_SECS, MAX_RESPONSE_TIMEOUT_SECS)
            })
    }
}

/// The service API's method result body: `{"status": int, "payload": any}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CloudToDeviceMethodResult {
    /// The module's status.
    pub status: i32,
    /// The module's payload.
    #[serde(default)]
    pub payload: Value,
}

impl From<MethodResponse> for CloudToDeviceMethodResult {
    fn from(r: MethodResponse) -> Self {
        Self {
            status: r.status,
            payload: r.payload,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn request() -> MethodRequest {
        MethodRequest::from_parts(
            MethodName::new("reset").unwrap(),
            RequestId::new("1").unwrap(),
            br#"{"hard": true}"#,
        )
        .unwrap()
    }

    #[test]
    fn captured_method_exchange_is_reproduced() {
        // docs/reference/iot-edge.md §1.9: in `$iothub/methods/POST/reset/?$rid=1` +
        // `{"hard": true}`, out `$iothub/methods/res/200/?$rid=1` + `{"ok": true}`.
        let req = request();
        assert_eq!(
            req.topic().to_string(),
            "$iothub/methods/POST/reset/?$rid=1"
        );
        assert_eq!(req.payload, json!({"hard": true}));
        let res = req.respond(200, json!({"ok": true}));
        assert_eq!(res.topic().to_string(), "$iothub/methods/res/200/?$rid=1");
        assert_eq!(res.body(), br#"{"ok":true}"#.to_vec());
    }

    #[test]
    fn empty_body_is_null_and_null_is_an_empty_body() {
        let res = MethodResponse::from_parts(200, RequestId::new("7").unwrap(), b"").unwrap();
        assert_eq!(res.payload, Value::Null);
        assert!(res.body().is_empty());
    }

    #[test]
    fn invalid_or_oversized_payload_is_refused() {
        let rid = RequestId::new("1").unwrap();
        assert!(matches!(
            MethodResponse::from_parts(200, rid.clone(), b"{nope"),
            Err(MethodError::Json(_))
        ));
        let big = vec![b' '; MAX_PAYLOAD_BYTES + 1];
        assert!(matches!(
            MethodResponse::from_parts(200, rid, &big),
            Err(MethodError::TooLarge(_))
        ));
    }

    #[test]
    fn service_invocation_body_uses_sdk_field_names() {
        let body = r#"{"methodName":"reset","payload":{"a":1},"responseTimeoutInSeconds":1000,"connectTimeoutInSeconds":10}"#;
        let call: CloudToDeviceMethod = serde_json::from_str(body).unwrap();
        assert_eq!(call.method_name, "reset");
        assert_eq!(call.response_timeout_secs(), MAX_RESPONSE_TIMEOUT_SECS);
        assert_eq!(serde_json::to_string(&call).unwrap(), body);
        let result = CloudToDeviceMethodResult::from(request().respond(200, json!(null)));
        assert_eq!(
            serde_json::to_string(&result).unwrap(),
            r#"{"status":200,"payload":null}"#
        );
    }

    #[test]
    fn missing_timeout_defaults_to_30_seconds() {
        let call: CloudToDeviceMethod = serde_json::from_str(r#"{"methodName":"x"}"#).unwrap();
        assert_eq!(call.response_timeout_secs(), 30);
        assert_eq!(call.payload, Value::Null);
    }
}
