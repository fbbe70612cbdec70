//! edgeHub's validation of reported-property patches, as a pure function.
//!
//! Mirrors `ReportedPropertiesValidator.cs` (Azure/iotedge `edge-hub/core/…/twin/`, identical
//! in 1.4.43, 1.5.44 and main; docs/reference/iot-edge.md §1.8). A violation makes edgeHub answer
//! the PATCH with status 400. The checks run in edgeHub's order: every property (name, value,
//! depth) depth first, then the size of the whole patch, then `null` inside arrays.
//!
//! Like edgeHub, only object members are checked for names, string length, integer range and
//! depth; array elements are only checked for `null`.

use serde_json::{Map, Number, Value};

/// Deepest nesting of objects below a top-level property (`TwinPropertyMaxDepth`).
///
/// Top-level properties are at depth 1; an object may be the value of a property at depth 1
/// to 10, so leaves can sit at depth 11.
pub const MAX_DEPTH: usize = 10;
/// Longest property name in UTF-8 bytes (`TwinPropertyNameMaxLength`).
pub const MAX_NAME_BYTES: usize = 1024;
/// Longest string value in UTF-8 bytes (`TwinPropertyValueMaxLength`).
pub const MAX_STRING_BYTES: usize = 4096;
/// Largest accepted integer, 2^52 − 1 (`TwinPropertyMaxSafeValue`).
pub const MAX_SAFE_INTEGER: i64 = 4_503_599_627_370_495;
/// Smallest accepted integer, −2^52 (`TwinPropertyMinSafeValue`).
pub const MIN_SAFE_INTEGER: i64 = -4_503_599_627_370_496;
/// Largest serialized patch in bytes, 32 KB (`TwinPropertyDocMaxLength`).
pub const MAX_PATCH_BYTES: usize = 32 * 1024;

/// How many characters of an offending name an error keeps.
const NAME_EXCERPT_CHARS: usize = 32;

/// Why edgeHub would refuse a reported patch (status 400).
#[derive(Debug, thiserror::Error)]
pub enum ReportedPatchError {
    /// The body is not JSON.
    #[error("reported patch is not valid json")]
    NotJson(#[source] serde_json::Error),
    /// The body is JSON but not an object.
    #[error("reported patch is not a json object")]
    NotAnObject,
    /// A property name is longer than [`MAX_NAME_BYTES`].
    #[error("property name {name:?}… is longer than {MAX_NAME_BYTES} bytes")]
    NameTooLong {
        /// The start of the name.
        name: String,
    },
    /// A property name holds `.`, `$`, `#`, whitespace or a control character.
    #[error("property name {name:?} contains the invalid character {ch:?}")]
    InvalidNameChar {
        /// The start of the name.
        name: String,
        /// The first offending character.
        ch: char,
    },
    /// A string value is longer than [`MAX_STRING_BYTES`].
    #[error("value of property {name:?} has {len} bytes, more than {MAX_STRING_BYTES}")]
    StringTooLong {
        /// The start of the property name.
        name: String,
        /// The value's length in UTF-8 bytes.
        len: usize,
    },
    /// An integer lies outside ±2^52.
    #[error("value of property {name:?} is outside {MIN_SAFE_INTEGER}..={MAX_SAFE_INTEGER}")]
    IntegerOutOfRange {
        /// The start of the property name.
        name: String,
    },
    /// Objects are nested deeper than [`MAX_DEPTH`].
    #[error("property {name:?} nests objects deeper than {MAX_DEPTH}")]
    TooDeep {
        /// The start of the name of the property whose object is too deep.
        name: String,
    },
    /// The serialized patch is larger than [`MAX_PATCH_BYTES`].
    #[error("reported patch has {size} bytes, more than {MAX_PATCH_BYTES}")]
    TooLarge {
        /// The size of the serialized patch.
        size: usize,
    },
    /// An array holds `null`.
    #[error("arrays cannot contain null")]
    NullInArray,
}

/// Parses a reported PATCH body and validates it; the patch to apply on success.
pub fn parse_reported_patch(body: &[u8]) -> Result<Map<String, Value>, ReportedPatchError> {
    let value: Value = serde_json::from_slice(body).map_err(ReportedPatchError::NotJson)?;
    let Value::Object(patch) = value else {
        return Err(ReportedPatchError::NotAnObject);
    };
    validate_reported_patch(&patch)?;
    Ok(patch)
}

/// Checks a reported patch against edgeHub's rules.
pub fn validate_reported_patch(patch: &Map<String, Value>) -> Result<(), ReportedPatchError> {
    validate_properties(patch, 1)?;
    // edgeHub measures `TwinCollection.ToJson()`: the compact serialization.
    let size = serde_json::to_vec(patch).map_or(0, |v| v.len());
    if size > MAX_PATCH_BYTES {
        return Err(ReportedPatchError::TooLarge { size });
    }
    if has_null_in_array(patch.values(), false) {
        return Err(ReportedPatchError::NullInArray);
    }
    Ok(())
}

fn excerpt(name: &str) -> String {
    name.chars().take(NAME_EXCERPT_CHARS).collect()
}

fn validate_properties(
    properties: &Map<String, Value>,
    depth: usize,
) -> Result<(), ReportedPatchError> {
    for (name, value) in properties {
        validate_property_name(name)?;
        match value {
            Value::Number(n) => validate_number(name, n)?,
            Value::String(s) if s.len() > MAX_STRING_BYTES => {
                return Err(ReportedPatchError::StringTooLong {
                    name: excerpt(name),
                    len: s.len(),
                });
            }
            Value::Object(inner) => {
                if depth > MAX_DEPTH {
                    return Err(ReportedPatchError::TooDeep {
                        name: excerpt(name),
                    });
                }
                validate_properties(inner, depth + 1)?;
            }
            _ => {}
        }
    }
    Ok(())
}

/// Checks one property name against edgeHub's rules (also those of desired properties that a
/// module turns into reported names).
pub fn validate_property_name(name: &str) -> Result<(), ReportedPatchError> {
    if name.len() > MAX_NAME_BYTES {
        return Err(ReportedPatchError::NameTooLong {
            name: excerpt(name),
        });
    }
    // `$` is reserved for service members and `#` stands in for `$` in IoT Hub's store, so
    // both are refused, as are `.`, whitespace and control characters (.NET `char.IsControl`
    // and `char.IsWhiteSpace` match Rust's `is_control` and `is_whitespace`).
    match name
        .chars()
        .find(|&c| c.is_control() || c.is_whitespace() || matches!(c, '.' | '$' | '#'))
    {
        Some(ch) => Err(ReportedPatchError::InvalidNameChar {
            name: excerpt(name),
            ch,
        }),
        None => Ok(()),
    }
}

fn validate_number(name: &str, n: &Number) -> Result<(), ReportedPatchError> {
    // Integers beyond i64 (serde_json stores them as u64) are out of range too; floats are
    // not range-checked by edgeHub.
    let in_range = match (n.as_i64(), n.is_u64()) {
        (Some(i), _) => (MIN_SAFE_INTEGER..=MAX_SAFE_INTEGER).contains(&i),
        (None, true) => false,
        (None, false) => true,
    };
    if in_range {
        Ok(())
    } else {
        Err(ReportedPatchError::IntegerOutOfRange {
            name: excerpt(name),
        })
    }
}

fn has_null_in_array<'a>(values: impl Iterator<Item = &'a Value>, in_array: bool) -> bool {
    values.into_iter().any(|v| match v {
        Value::Null => in_array,
        Value::Array(items) => has_null_in_array(items.iter(), true),
        Value::Object(members) => has_null_in_array(members.values(), false),
        _ => false,
    })
}
