//! [`ServiceError`], and the reading of IoT Hub's error bodies ([`parse_error_body`]).

use std::time::Duration;

use hub_proto::ConnectionStringError;
use serde_json::Value;

/// Why a call of the service API failed.
#[derive(Debug, thiserror::Error)]
pub enum ServiceError {
    /// The connection string or the trust anchors are unusable.
    #[error("invalid service client configuration")]
    Config(#[source] ConfigError),
    /// The TCP connection could not be opened.
    #[error("cannot connect to {endpoint}")]
    Io {
        /// `host:port`.
        endpoint: String,
        /// The operating system's reason.
        #[source]
        source: std::io::Error,
    },
    /// The TLS handshake failed: an untrusted or misnamed server certificate, or no common
    /// protocol.
    #[error("tls handshake with {endpoint} failed{}", reason_suffix(.reason.as_deref()))]
    Tls {
        /// `host:port`.
        endpoint: String,
        /// The certificate verification result, when verification failed (`hostname
        /// mismatch`, `unable to get local issuer certificate`, ...).
        reason: Option<String>,
        /// OpenSSL's error.
        #[source]
        source: openssl::ssl::Error,
    },
    /// The HTTP exchange failed (connection closed, malformed answer, answer too large).
    #[error("http exchange with {endpoint} failed")]
    Http {
        /// `host:port`.
        endpoint: String,
        /// hyper's (or the body reader's) error.
        #[source]
        source: Box<dyn std::error::Error + Send + Sync>,
    },
    /// No complete answer within the request timeout.
    #[error("{endpoint} did not answer within {after:?}")]
    Timeout {
        /// `host:port`.
        endpoint: String,
        /// The timeout that expired.
        after: Duration,
    },
    /// The hub answered with an error status (after the retries, for 429 and 5xx).
    #[error("service api answered {status}{}: {message}", code_suffix(.code.as_deref()))]
    Status {
        /// The HTTP status.
        status: u16,
        /// IoT Hub's error code (`ModuleNotFound`, `ThrottlingException`, `404103`, ...),
        /// when the body names one.
        code: Option<String>,
        /// The hub's message (or the body's text).
        message: String,
    },
    /// A successful answer that breaks the service API's rules (a query answered with
    /// items that are not twins, a continuation token that names the page just read).
    #[error("the service api's answer breaks the protocol: {0}")]
    Protocol(String),
    /// A successful answer whose body is not what the call returns.
    #[error("cannot decode the {what} in the answer")]
    Decode {
        /// What was expected (`module twin`, `method result`, ...).
        what: &'static str,
        /// serde's reason.
        #[source]
        source: serde_json::Error,
    },
}

/// Why a [`crate::ServiceClient`] cannot be built.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// The connection string does not parse.
    #[error("invalid service connection string")]
    ConnectionString(#[source] ConnectionStringError),
    /// A device or module connection string instead of a policy's.
    #[error(
        "not a service connection string: it needs HostName, SharedAccessKeyName and SharedAccessKey"
    )]
    NotAService,
    /// `HostName` is not `host` or `host:port`.
    #[error("invalid HostName {0:?}: expected host or host:port")]
    HostName(String),
    /// The CA PEM holds no certificate.
    #[error("the ca pem holds no certificate")]
    NoCaCertificate,
    /// The CA PEM does not parse, or OpenSSL refused the TLS setup.
    #[error("cannot set up tls")]
    Tls(#[source] openssl::error::ErrorStack),
}

impl From<ConfigError> for ServiceError {
    fn from(e: ConfigError) -> Self {
        Self::Config(e)
    }
}

fn reason_suffix(reason: Option<&str>) -> String {
    reason.map_or_else(String::new, |r| format!(": {r}"))
}

fn code_suffix(code: Option<&str>) -> String {
    code.map_or_else(String::new, |c| format!(" {c}"))
}

/// Longest body text kept as a message when the body is not one of the hub's error shapes.
const MAX_TEXT_MESSAGE: usize = 512;

/// Reads IoT Hub's error code and message from an error answer's body.
///
/// Shapes understood:
/// - `{"Message": "ErrorCode:<code>;<text>", "ExceptionMessage": "…"}` (the registry and twin
///   routes; also edge-sim's, `tools/edge-sim/src/service_api/error.rs`);
/// - `{"Message": "{\"errorCode\":404103,\"message\":\"…\",…}"}` (a JSON error inside
///   `Message`) and `{"errorCode": 504101, "message": "…", …}` (direct methods);
/// - `{"Message": "<text>"}` or `{"message": "<text>"}` without a code;
/// - anything else: the body's text (shortened), or `status` alone when it is empty.
#[must_use]
pub fn parse_error_body(status: u16, body: &[u8]) -> (Option<String>, String) {
    if let Ok(value) = serde_json::from_slice::<Value>(body)
        && let Some(parsed) = from_json(&value)
    {
        return parsed;
    }
    let text = String::from_utf8_lossy(body);
    let text = text.trim();
    if text.is_empty() {
        return (None, format!("http status {status}"));
    }
    let mut message: String = text.chars().take(MAX_TEXT_MESSAGE).collect();
    if message.len() < text.len() {
        message.push('…');
    }
    (None, message)
}

fn from_json(value: &Value) -> Option<(Option<String>, String)> {
    let object = value.as_object()?;
    if let Some(code) = object.get("errorCode").and_then(code_text) {
        let message = object
            .get("message")
            .or_else(|| object.get("Message"))
            .and_then(Value::as_str)
            .unwrap_or_default();
        return Some((Some(code), message.to_owned()));
    }
    let message = object
        .get("Message")
        .or_else(|| object.get("message"))
        .and_then(Value::as_str)?;
    if let Some(rest) = message.strip_prefix("ErrorCode:") {
        return Some(match rest.split_once(';') {
            Some((code, text)) => (Some(code.trim().to_owned()), text.trim().to_owned()),
            None => (Some(rest.trim().to_owned()), String::new()),
        });
    }
    if message.trim_start().starts_with('{')
        && let Ok(inner) = serde_json::from_str::<Value>(message)
        && let Some(parsed) = from_json(&inner)
    {
        return Some(parsed);
    }
    Some((None, message.to_owned()))
}

/// An error code given as a number (`404103`) or a string.
fn code_text(code: &Value) -> Option<String> {
    match code {
        Value::Number(n) => Some(n.to_string()),
        Value::String(s) if !s.is_empty() => Some(s.clone()),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(body: &str) -> (Option<String>, String) {
        parse_error_body(400, body.as_bytes())
    }

    #[test]
    fn iot_hub_error_code_and_text_are_split() {
        let (code, message) = parse(
            r#"{"Message":"ErrorCode:ThrottlingException;Request was throttled.","ExceptionMessage":"Tracking ID:abc-G:1-TimeStamp:05/01/2025 10:00:00"}"#,
        );
        assert_eq!(code.as_deref(), Some("ThrottlingException"));
        assert_eq!(message, "Request was throttled.");
    }

    #[test]
    fn edge_sim_error_bodies_are_read_like_the_hubs() {
        let (code, message) = parse(
            r#"{"Message":"ErrorCode:ModuleNotFound;module nope does not exist on device edge-sim","ExceptionMessage":"edge-sim: module nope does not exist on device edge-sim"}"#,
        );
        assert_eq!(code.as_deref(), Some("ModuleNotFound"));
        assert_eq!(message, "module nope does not exist on device edge-sim");
    }

    #[test]
    fn numeric_error_codes_of_method_calls_are_read_at_the_top_or_inside_message() {
        let (code, message) = parse(
            r#"{"errorCode":504101,"trackingId":"x","message":"Timed out waiting for the response from device.","info":{"timeout":"00:00:30"},"timestampUtc":"2025-01-01T00:00:00Z"}"#,
        );
        assert_eq!(code.as_deref(), Some("504101"));
        assert_eq!(message, "Timed out waiting for the response from device.");
        let (code, message) = parse(
            r#"{"Message":"{\"errorCode\":404103,\"trackingId\":\"x\",\"message\":\"Device is not online.\",\"timestampUtc\":\"t\"}","ExceptionMessage":""}"#,
        );
        assert_eq!(code.as_deref(), Some("404103"));
        assert_eq!(message, "Device is not online.");
    }

    #[test]
    fn messages_without_a_code_are_kept_whole() {
        assert_eq!(
            parse(r#"{"Message":"Something odd"}"#),
            (None, "Something odd".to_owned())
        );
        assert_eq!(
            parse(r#"{"message":"bad socket"}"#),
            (None, "bad socket".to_owned())
        );
    }

    #[test]
    fn other_bodies_become_their_text_or_the_status() {
        assert_eq!(
            parse("<html>Bad Gateway</html>"),
            (None, "<html>Bad Gateway</html>".to_owned())
        );
        assert_eq!(
            parse_error_body(502, b""),
            (None, "http status 502".to_owned())
        );
        assert_eq!(parse("[1, 2]"), (None, "[1, 2]".to_owned()));
        let long = "x".repeat(2000);
        let (_, message) = parse(&long);
        assert_eq!(message.chars().count(), MAX_TEXT_MESSAGE + 1);
        assert!(message.ends_with('…'));
    }

    #[test]
    fn status_errors_name_status_code_and_message() {
        let e = ServiceError::Status {
            status: 404,
            code: Some("ModuleNotFound".to_owned()),
            message: "module nope does not exist".to_owned(),
        };
        assert_eq!(
            e.to_string(),
            "service api answered 404 ModuleNotFound: module nope does not exist"
        );
        let e = ServiceError::Status {
            status: 502,
            code: None,
            message: "http status 502".to_owned(),
        };
        assert_eq!(e.to_string(), "service api answered 502: http status 502");
    }
}
