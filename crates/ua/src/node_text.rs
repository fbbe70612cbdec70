//! Node ids as operators write them (`i=2258`, `ns=2;s=Foo`, `nsu=<uri>;s=Foo`, OPC 10000-6
//! §5.3.1.10/§5.3.1.11) and values as the OPC Client logs them. Pure functions.

use std::fmt::Write as _;

use open62541::{ScalarValue, VariantValue, ua};

/// Why a node id text cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NodeIdError {
    /// The text is not a node id (`i=`, `s=`, `g=`, `b=`, optionally after `ns=` or `nsu=`).
    #[error(
        "'{0}' is not a NodeId or nsu= ExpandedNodeId (e.g. i=2258, ns=2;s=Name, nsu=urn:x;i=5)"
    )]
    Syntax(String),
    /// The namespace URI is not in the server's namespace array.
    #[error("the namespace '{0}' is not in the server's namespace array")]
    UnknownNamespace(String),
}

/// Identifier prefixes after which an `nsu=` URI ends.
const ID_PREFIXES: [&str; 4] = [";i=", ";s=", ";g=", ";b="];

/// Checks the syntax of a node id text without a namespace array (`nsu=` URIs are resolved
/// later, per session, by [`resolve_node_id`]).
pub fn check_node_id(text: &str) -> Result<(), NodeIdError> {
    match split_nsu(text) {
        Some((_, id)) => parse_in(1, id, text).map(|_| ()),
        None => parse(text).map(|_| ()),
    }
}

/// Resolves a node id text against a server's namespace array: `nsu=<uri>;…` becomes
/// `ns=<index of uri>;…`; other forms are parsed as they are.
pub fn resolve_node_id(text: &str, namespaces: &[String]) -> Result<ua::NodeId, NodeIdError> {
    let Some((uri, id)) = split_nsu(text) else {
        return parse(text);
    };
    let index = namespaces
        .iter()
        .position(|n| n == uri)
        .and_then(|i| u16::try_from(i).ok())
        .ok_or_else(|| NodeIdError::UnknownNamespace(uri.to_owned()))?;
    parse_in(index, id, text)
}

/// A value as the OPC Client prints it: date-times in .NET's invariant `G` format
/// (`10/20/2018 20:54:42`), booleans `True`/`False`, texts as they are, arrays as `[a, b]`.
#[must_use]
pub fn format_value(value: &ua::Variant) -> String {
    if value.is_empty() {
        return "null".to_owned();
    }
    if !value.is_scalar() {
        if let Some(strings) = value.to_array::<ua::String>() {
            let items: Vec<_> = strings
                .iter()
                .map(|s| s.as_str().unwrap_or_default().to_owned())
                .collect();
            return format!("[{}]", items.join(", "));
        }
        return format!("{value:?}");
    }
    match value.to_value() {
        VariantValue::Scalar(scalar) => format_scalar(&scalar, value),
        other => format!("{other:?}"),
    }
}

fn format_scalar(scalar: &ScalarValue, value: &ua::Variant) -> String {
    match scalar {
        ScalarValue::Boolean(b) => if b.value() { "True" } else { "False" }.to_owned(),
        ScalarValue::SByte(v) => v.value().to_string(),
        ScalarValue::Byte(v) => v.value().to_string(),
        ScalarValue::Int16(v) => v.value().to_string(),
        ScalarValue::UInt16(v) => v.value().to_string(),
        ScalarValue::Int32(v) => v.value().to_string(),
        ScalarValue::UInt32(v) => v.value().to_string(),
        ScalarValue::Int64(v) => v.value().to_string(),
        ScalarValue::UInt64(v) => v.value().to_string(),
        ScalarValue::Float(v) => v.value().to_string(),
        ScalarValue::Double(v) => v.value().to_string(),
        ScalarValue::String(s) => s.as_str().unwrap_or_default().to_owned(),
        ScalarValue::DateTime(dt) => dt.to_utc().map_or_else(
            || format!("{dt:?}"),
            |utc| pki::dotnet_time(time::OffsetDateTime::from(utc)),
        ),
        ScalarValue::NodeId(id) => id.to_string(),
        ScalarValue::ExpandedNodeId(id) => id.to_string(),
        ScalarValue::StatusCode(s) => s.name().to_owned(),
        ScalarValue::LocalizedText(t) => t.text().as_str().unwrap_or_default().to_owned(),
        ScalarValue::ByteString(b) => {
            b.as_bytes()
                .unwrap_or_default()
                .iter()
                .fold(String::new(), |mut out, byte| {
                    let _ = write!(out, "{byte:02X}");
                    out
                })
        }
        _ => format!("{value:?}"),
    }
}

/// `nsu=<uri>;<id>` → `(uri, id)`; `None` for other forms.
fn split_nsu(text: &str) -> Option<(&str, &str)> {
    let rest = text.trim().strip_prefix("nsu=")?;
    let at = ID_PREFIXES.iter().filter_map(|p| rest.find(p)).min()?;
    Some((&rest[..at], &rest[at + 1..]))
}

fn parse(text: &str) -> Result<ua::NodeId, NodeIdError> {
    let trimmed = text.trim();
    // An `nsu=` without an identifier, or any text open62541 cannot read.
    if trimmed.starts_with("nsu=") || trimmed.is_empty() {
        return Err(NodeIdError::Syntax(text.to_owned()));
    }
    trimmed
        .parse::<ua::NodeId>()
        .map_err(|_| NodeIdError::Syntax(text.to_owned()))
}

fn parse_in(index: u16, id: &str, original: &str) -> Result<ua::NodeId, NodeIdError> {
    let text = if index == 0 {
        id.to_owned()
    } else {
        format!("ns={index};{id}")
    };
    text.parse::<ua::NodeId>()
        .map_err(|_| NodeIdError::Syntax(original.to_owned()))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use open62541::DataType as _;

    use super::*;

    fn namespaces() -> Vec<String> {
        vec![
            "http://opcfoundation.org/UA/".to_owned(),
            "urn:OpcPlc:plc".to_owned(),
            "http://microsoft.com/Opc/OpcPlc/".to_owned(),
        ]
    }

    #[test]
    fn plain_node_ids_parse_as_they_are() {
        assert_eq!(
            resolve_node_id("i=2258", &[]).unwrap(),
            ua::NodeId::ns0(2258)
        );
        assert_eq!(
            resolve_node_id("ns=2;s=AlternatingBoolean", &[]).unwrap(),
            ua::NodeId::string(2, "AlternatingBoolean")
        );
    }

    #[test]
    fn nsu_uris_resolve_through_the_namespace_array() {
        assert_eq!(
            resolve_node_id(
                "nsu=http://microsoft.com/Opc/OpcPlc/;s=RandomSignedInt32",
                &namespaces()
            )
            .unwrap(),
            ua::NodeId::string(2, "RandomSignedInt32")
        );
        assert_eq!(
            resolve_node_id("nsu=http://opcfoundation.org/UA/;i=2258", &namespaces()).unwrap(),
            ua::NodeId::ns0(2258)
        );
        assert_eq!(
            resolve_node_id("nsu=urn:unknown;i=1", &namespaces()).unwrap_err(),
            NodeIdError::UnknownNamespace("urn:unknown".to_owned())
        );
    }

    #[test]
    fn broken_texts_are_syntax_errors() {
        for text in ["", "2258", "x=1", "nsu=urn:x", "ns=;i=1", "nsu=urn:x;q=1"] {
            assert!(check_node_id(text).is_err(), "{text}");
        }
        check_node_id("nsu=urn:any;s=Name").unwrap();
        check_node_id("ns=3;g=09087e75-8e5e-499b-954f-f2a9603db28a").unwrap();
    }

    #[test]
    fn values_print_like_the_opc_client() {
        let time = ua::DateTime::try_from_unix_timestamp_nanos(1_540_068_882_000_000_000).unwrap();
        assert_eq!(
            format_value(&ua::Variant::scalar(time)),
            "10/20/2018 20:54:42"
        );
        assert_eq!(
            format_value(&ua::Variant::scalar(ua::Boolean::new(true))),
            "True"
        );
        assert_eq!(format_value(&ua::Variant::scalar(ua::Int32::new(-7))), "-7");
        assert_eq!(format_value(&ua::Variant::init()), "null");
    }
}
