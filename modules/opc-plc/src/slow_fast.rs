//! The slow and fast node sets of the reference OPC PLC (HEAD `SlowFastCommon`,
//! docs/reference/opc-ua-apps.md §1.6): `Slow<Type><n>` / `Fast<Type><n>` plus one `BadSlow<Type>1`
//! / `BadFast<Type>1`, their data types, first values and update rules as pure functions.
//!
//! With the reference's defaults (no bounds, step 1, no randomization) a `UInt` node counts up
//! by one per update and wraps to 0 after `u32::MAX`, a `Double` node adds 1.0, a `Bool` node
//! toggles (first value `true`) and a `UIntArray` node holds 32 `UInt32` that each count up (and
//! wrap). The `Bad…` node follows the same rule while its status walks a fixed sequence of ten
//! (Good ×3, `UncertainLastUsableValue`, Good ×3, `UncertainLastUsableValue`, `BadDataLost`,
//! `BadNoCommunication`); after `BadNoCommunication` the value starts again from the first
//! value. The reference publishes `BadNoCommunication` without a value; open62541 1.5 refuses
//! an empty value for these types, so our node keeps its last value under that status (clients
//! must not use a value with a bad status anyway, OPC 10000-4 §7.11.5).

use std::fmt;
use std::str::FromStr;

/// Length of a `UIntArray` node's value.
pub const UINT_ARRAY_LENGTH: usize = 32;

/// The `--st` / `--ft` data type of a node set.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum NodeType {
    /// `UInt32`, counting up (the default).
    #[default]
    UInt,
    /// `Double`, counting up by 1.0.
    Double,
    /// `Boolean`, toggling.
    Bool,
    /// `UInt32[32]`, every element counting up.
    UIntArray,
}

impl NodeType {
    /// The name used in node names (`SlowUInt1`) and in `--help`.
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            Self::UInt => "UInt",
            Self::Double => "Double",
            Self::Bool => "Bool",
            Self::UIntArray => "UIntArray",
        }
    }

    /// The value a node of this type starts with.
    #[must_use]
    pub fn first_value(self) -> Value {
        match self {
            Self::UInt => Value::UInt(0),
            Self::Double => Value::Double(0.0),
            Self::Bool => Value::Bool(true),
            Self::UIntArray => Value::UIntArray(vec![0; UINT_ARRAY_LENGTH]),
        }
    }
}

impl fmt::Display for NodeType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// An unknown `--st`/`--ft` value.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown node type '{0}' (expected UInt, Double, Bool or UIntArray)")]
pub struct UnknownNodeType(pub String);

impl FromStr for NodeType {
    type Err = UnknownNodeType;

    /// Case-insensitive, like the reference's `Enum.TryParse(ignoreCase: true)`. The reference
    /// silently falls back to `UInt` on an unknown name; we refuse it with a clear error.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        [Self::UInt, Self::Double, Self::Bool, Self::UIntArray]
            .into_iter()
            .find(|t| t.name().eq_ignore_ascii_case(s.trim()))
            .ok_or_else(|| UnknownNodeType(s.to_owned()))
    }
}

/// A node's value.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// A `UInt32`.
    UInt(u32),
    /// A `Double`.
    Double(f64),
    /// A `Boolean`.
    Bool(bool),
    /// A `UInt32` array.
    UIntArray(Vec<u32>),
}

/// The next value of a node of type `node_type` whose current value is `current` (`None`: the
/// node has no value, e.g. after `BadNoCommunication`, or a client wrote another type).
#[must_use]
pub fn next_value(node_type: NodeType, current: Option<&Value>) -> Value {
    match (node_type, current) {
        (NodeType::UInt, Some(Value::UInt(v))) => Value::UInt(next_uint(*v, 0, u32::MAX, 1)),
        (NodeType::UInt, _) => Value::UInt(next_uint(0, 0, u32::MAX, 1)),
        (NodeType::Double, Some(Value::Double(v))) => {
            Value::Double(next_double(*v, 0.0, f64::MAX, 1.0))
        }
        (NodeType::Double, _) => Value::Double(next_double(0.0, 0.0, f64::MAX, 1.0)),
        (NodeType::Bool, Some(Value::Bool(v))) => Value::Bool(!v),
        (NodeType::Bool, _) => Value::Bool(true),
        (NodeType::UIntArray, Some(Value::UIntArray(v))) => {
            Value::UIntArray(v.iter().map(|x| x.wrapping_add(1)).collect())
        }
        (NodeType::UIntArray, _) => Value::UIntArray(vec![0; UINT_ARRAY_LENGTH]),
    }
}

/// The reference's bounded step for `UInt` nodes: from `value % max`, add `step`; below `min`
/// or past `max` start again at `min`.
#[must_use]
pub fn next_uint(value: u32, min: u32, max: u32, step: u32) -> u32 {
    let base = if max == 0 { 0 } else { value % max };
    if base < min {
        return min;
    }
    let sum = u64::from(base) + u64::from(step);
    if sum > u64::from(max) {
        min
    } else {
        // `sum <= max`, a u32.
        u32::try_from(sum).unwrap_or(min)
    }
}

/// The same rule for `Double` nodes with a non-negative range.
#[must_use]
pub fn next_double(value: f64, min: f64, max: f64, step: f64) -> f64 {
    let base = value % max;
    if base < min || base + step > max {
        min
    } else {
        base + step
    }
}

/// The status of one update of a `Bad…` node.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BadStatus {
    /// `Good`.
    Good,
    /// `UncertainLastUsableValue` (0x40900000).
    UncertainLastUsableValue,
    /// `BadDataLost` (0x809D0000), with a value.
    BadDataLost,
    /// `BadNoCommunication` (0x80310000); the reference sends no value with it.
    BadNoCommunication,
}

impl BadStatus {
    /// The OPC UA status code.
    #[must_use]
    pub fn code(self) -> u32 {
        match self {
            Self::Good => 0,
            Self::UncertainLastUsableValue => 0x4090_0000,
            Self::BadDataLost => 0x809D_0000,
            Self::BadNoCommunication => 0x8031_0000,
        }
    }

    /// Whether the reference's update carries a new value (all but `BadNoCommunication`).
    #[must_use]
    pub fn has_value(self) -> bool {
        self != Self::BadNoCommunication
    }
}

/// The reference's status sequence of the `Bad…` nodes, one step per update.
pub const BAD_STATUS_SEQUENCE: [BadStatus; 10] = [
    BadStatus::Good,
    BadStatus::Good,
    BadStatus::Good,
    BadStatus::UncertainLastUsableValue,
    BadStatus::Good,
    BadStatus::Good,
    BadStatus::Good,
    BadStatus::UncertainLastUsableValue,
    BadStatus::BadDataLost,
    BadStatus::BadNoCommunication,
];

/// The status of the `update`-th update (0-based) of a `Bad…` node.
#[must_use]
pub fn bad_status(update: u64) -> BadStatus {
    // The remainder is below 10.
    let index = usize::try_from(update % 10).unwrap_or(0);
    BAD_STATUS_SEQUENCE[index]
}

/// The names of a node set: `count` nodes `<prefix><Type><n>` (n from 1) and the bad node
/// `Bad<prefix><Type>1`.
#[must_use]
pub fn node_names(prefix: &str, node_type: NodeType, count: u32) -> (Vec<String>, String) {
    let nodes = (1..=count)
        .map(|n| format!("{prefix}{}{n}", node_type.name()))
        .collect();
    (nodes, format!("Bad{prefix}{}1", node_type.name()))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    #[test]
    fn node_types_parse_case_insensitively_and_refuse_unknown_names() {
        assert_eq!("uint".parse::<NodeType>().unwrap(), NodeType::UInt);
        assert_eq!("DOUBLE".parse::<NodeType>().unwrap(), NodeType::Double);
        assert_eq!("Bool".parse::<NodeType>().unwrap(), NodeType::Bool);
        assert_eq!(
            "uintarray".parse::<NodeType>().unwrap(),
            NodeType::UIntArray
        );
        assert_eq!(
            "Int".parse::<NodeType>().unwrap_err().to_string(),
            "unknown node type 'Int' (expected UInt, Double, Bool or UIntArray)"
        );
    }

    #[test]
    fn names_follow_the_reference_pattern() {
        let (nodes, bad) = node_names("Slow", NodeType::UInt, 2);
        assert_eq!(nodes, ["SlowUInt1", "SlowUInt2"]);
        assert_eq!(bad, "BadSlowUInt1");
        let (nodes, bad) = node_names("Fast", NodeType::UIntArray, 0);
        assert!(nodes.is_empty());
        assert_eq!(bad, "BadFastUIntArray1");
    }

    #[test]
    fn uint_nodes_count_up_and_wrap_to_zero() {
        let mut v = NodeType::UInt.first_value();
        for expected in 1..=3 {
            v = next_value(NodeType::UInt, Some(&v));
            assert_eq!(v, Value::UInt(expected));
        }
        assert_eq!(next_uint(u32::MAX - 1, 0, u32::MAX, 1), u32::MAX);
        assert_eq!(next_uint(u32::MAX, 0, u32::MAX, 1), 1);
        // Bounds and steps of the reference's rule.
        assert_eq!(next_uint(9, 5, 10, 2), 5);
        assert_eq!(next_uint(2, 5, 10, 2), 5);
        assert_eq!(next_uint(6, 5, 10, 2), 8);
    }

    #[test]
    fn double_nodes_add_one_and_bool_nodes_toggle_from_true() {
        let v = next_value(NodeType::Double, Some(&Value::Double(2.5)));
        assert_eq!(v, Value::Double(3.5));
        assert_eq!(NodeType::Bool.first_value(), Value::Bool(true));
        assert_eq!(
            next_value(NodeType::Bool, Some(&Value::Bool(true))),
            Value::Bool(false)
        );
        assert!((next_double(9.5, 0.0, 10.0, 1.0)).abs() < f64::EPSILON);
    }

    #[test]
    fn uint_array_nodes_hold_32_counters() {
        let first = NodeType::UIntArray.first_value();
        let Value::UIntArray(values) = next_value(NodeType::UIntArray, Some(&first)) else {
            panic!("an array");
        };
        assert_eq!(values, vec![1; UINT_ARRAY_LENGTH]);
        let wrapped = next_value(
            NodeType::UIntArray,
            Some(&Value::UIntArray(vec![u32::MAX, 4])),
        );
        assert_eq!(wrapped, Value::UIntArray(vec![0, 5]));
    }

    #[test]
    fn a_node_without_value_starts_again_from_the_first_value() {
        assert_eq!(next_value(NodeType::UInt, None), Value::UInt(1));
        assert_eq!(next_value(NodeType::Bool, None), Value::Bool(true));
        assert_eq!(
            next_value(NodeType::UIntArray, None),
            NodeType::UIntArray.first_value()
        );
        // A value of another type (a client wrote it) counts as none.
        assert_eq!(
            next_value(NodeType::UInt, Some(&Value::Bool(true))),
            Value::UInt(1)
        );
    }

    #[test]
    fn the_bad_node_status_walks_the_reference_sequence() {
        let statuses: Vec<u32> = (0..12).map(|u| bad_status(u).code()).collect();
        assert_eq!(
            statuses,
            [
                0,
                0,
                0,
                0x4090_0000,
                0,
                0,
                0,
                0x4090_0000,
                0x809D_0000,
                0x8031_0000,
                0,
                0
            ]
        );
        assert!(!bad_status(9).has_value());
        assert!(bad_status(8).has_value());
    }
}
