#![allow(clippy::unwrap_used, clippy::expect_used)]
//! edgeHub's reported-patch rules: for each rule an accepted and a rejected case.

use hub_proto::ReportedPatchError;
use hub_proto::twin::{
    MAX_DEPTH, MAX_NAME_BYTES, MAX_PATCH_BYTES, MAX_SAFE_INTEGER, MAX_STRING_BYTES,
    MIN_SAFE_INTEGER, parse_reported_patch, validate_reported_patch,
};
use serde_json::{Map, Value, json};

type Check = fn(&ReportedPatchError) -> bool;

fn obj(v: Value) -> Map<String, Value> {
    match v {
        Value::Object(m) => m,
        other => panic!("not an object: {other}"),
    }
}

/// `{"l1": {"l2": … {"l<levels>": 1}}}`: `levels` nested property levels.
fn nested(levels: usize) -> Value {
    (1..=levels)
        .rev()
        .fold(json!(1), |inner, i| json!({ format!("l{i}"): inner }))
}

type Case = (&'static str, Value, Option<Check>);

fn check_table(cases: Vec<Case>) {
    for (name, patch, expected) in cases {
        let result = validate_reported_patch(&obj(patch));
        match (expected, result) {
            (None, Ok(())) => {}
            (Some(check), Err(e)) => assert!(check(&e), "{name}: unexpected error {e:?}"),
            (None, Err(e)) => panic!("{name}: rejected with {e:?}"),
            (Some(_), Ok(())) => panic!("{name}: accepted"),
        }
    }
}

#[test]
fn names_are_at_most_1024_bytes() {
    let name_ok = "n".repeat(MAX_NAME_BYTES);
    let name_long = "n".repeat(MAX_NAME_BYTES + 1);
    // Multi-byte characters count in UTF-8 bytes: 342 × "€" (3 bytes) = 1026 bytes.
    let name_long_utf8 = "€".repeat(342);
    check_table(vec![
        ("name of 1024 bytes", json!({ name_ok: 1 }), None),
        (
            "name of 1025 bytes",
            json!({ name_long: 1 }),
            Some(|e| matches!(e, ReportedPatchError::NameTooLong { .. })),
        ),
        (
            "name of 1026 utf-8 bytes",
            json!({ name_long_utf8: 1 }),
            Some(|e| matches!(e, ReportedPatchError::NameTooLong { .. })),
        ),
    ]);
}

#[test]
fn names_hold_no_dot_dollar_hash_whitespace_or_control_characters() {
    check_table(vec![
        ("plain name", json!({"opcplc_der": "x"}), None),
        (
            "dash, underscore and non-ASCII letters",
            json!({"a-b_cä": 1}),
            None,
        ),
        (
            "dot",
            json!({"opcplc.der": "x"}),
            Some(|e| matches!(e, ReportedPatchError::InvalidNameChar { ch: '.', .. })),
        ),
        (
            "dollar",
            json!({"$version": 3}),
            Some(|e| matches!(e, ReportedPatchError::InvalidNameChar { ch: '$', .. })),
        ),
        (
            "hash",
            json!({"a#b": 1}),
            Some(|e| matches!(e, ReportedPatchError::InvalidNameChar { ch: '#', .. })),
        ),
        (
            "space",
            json!({"a b": 1}),
            Some(|e| matches!(e, ReportedPatchError::InvalidNameChar { ch: ' ', .. })),
        ),
        (
            "non-breaking space",
            json!({"a\u{a0}b": 1}),
            Some(|e| matches!(e, ReportedPatchError::InvalidNameChar { ch: '\u{a0}', .. })),
        ),
        (
            "control character",
            json!({"a\u{1}b": 1}),
            Some(|e| matches!(e, ReportedPatchError::InvalidNameChar { ch: '\u{1}', .. })),
        ),
        (
            "invalid name nested deep",
            json!({"pki": {"crls": {"ca.crl": "x"}}}),
            Some(|e| matches!(e, ReportedPatchError::InvalidNameChar { ch: '.', .. })),
        ),
    ]);
}

#[test]
fn strings_are_at_most_4096_bytes() {
    check_table(vec![
        (
            "string of 4096 bytes",
            json!({ "s": "s".repeat(MAX_STRING_BYTES) }),
            None,
        ),
        (
            "string of 4097 bytes",
            json!({ "s": "s".repeat(MAX_STRING_BYTES + 1) }),
            Some(|e| matches!(e, ReportedPatchError::StringTooLong { len: 4097, .. })),
        ),
        (
            "string of 4098 utf-8 bytes",
            json!({ "s": "ä".repeat(MAX_STRING_BYTES / 2 + 1) }),
            Some(|e| matches!(e, ReportedPatchError::StringTooLong { len: 4098, .. })),
        ),
    ]);
}

#[test]
fn objects_nest_at_most_10_deep() {
    // Objects may be values of properties at levels 1 to 10.
    check_table(vec![
        (
            "11 property levels (10 nested objects)",
            nested(MAX_DEPTH + 1),
            None,
        ),
        (
            "12 property levels (11 nested objects)",
            nested(MAX_DEPTH + 2),
            Some(|e| matches!(e, ReportedPatchError::TooDeep { .. })),
        ),
    ]);
}

#[test]
fn integers_lie_within_2_pow_52() {
    check_table(vec![
        (
            "largest safe integer",
            json!({ "i": MAX_SAFE_INTEGER }),
            None,
        ),
        (
            "smallest safe integer",
            json!({ "i": MIN_SAFE_INTEGER }),
            None,
        ),
        ("large float", json!({ "f": 1.0e300 }), None),
        (
            "integer 2^52",
            json!({ "i": MAX_SAFE_INTEGER + 1 }),
            Some(|e| matches!(e, ReportedPatchError::IntegerOutOfRange { .. })),
        ),
        (
            "integer below -2^52",
            json!({ "i": MIN_SAFE_INTEGER - 1 }),
            Some(|e| matches!(e, ReportedPatchError::IntegerOutOfRange { .. })),
        ),
        (
            "integer beyond i64",
            json!({ "i": u64::MAX }),
            Some(|e| matches!(e, ReportedPatchError::IntegerOutOfRange { .. })),
        ),
    ]);
}

#[test]
fn arrays_hold_no_null() {
    check_table(vec![
        ("null deletes a property", json!({ "obsolete": null }), None),
        (
            "array of values and objects",
            json!({ "a": [1, "x", {"b": [true]}] }),
            None,
        ),
        (
            "null in an array",
            json!({ "a": [1, null] }),
            Some(|e| matches!(e, ReportedPatchError::NullInArray)),
        ),
        (
            "null in a nested array inside an object inside an array",
            json!({ "a": [{"b": [[null]]}] }),
            Some(|e| matches!(e, ReportedPatchError::NullInArray)),
        ),
    ]);
}

#[test]
fn patch_of_32_kb_is_accepted_and_one_byte_more_is_rejected() {
    // `{"p0":"…","p1":"…",…}`: fill with 4000-byte strings, then pad to an exact size.
    let build = |size: usize| {
        let mut patch = Map::new();
        let mut i = 0;
        loop {
            let current = serde_json::to_vec(&patch).unwrap().len();
            // Adding `,"pN":""` costs the key's length + 6 bytes (5 for the first member).
            let key = format!("p{i}");
            let overhead = key.len() + if patch.is_empty() { 5 } else { 6 };
            let room = size - current;
            if room < overhead {
                break;
            }
            // Leave either nothing or enough room for one more member.
            let free = room - overhead;
            let len = if free > 4000 {
                4000.min(free - 16)
            } else {
                free
            };
            patch.insert(key, Value::String("x".repeat(len)));
            i += 1;
        }
        assert_eq!(serde_json::to_vec(&patch).unwrap().len(), size);
        patch
    };
    assert!(validate_reported_patch(&build(MAX_PATCH_BYTES)).is_ok());
    assert!(matches!(
        validate_reported_patch(&build(MAX_PATCH_BYTES + 1)),
        Err(ReportedPatchError::TooLarge { size }) if size == MAX_PATCH_BYTES + 1
    ));
}

#[test]
fn body_must_be_a_json_object() {
    assert!(matches!(
        parse_reported_patch(b"{not json"),
        Err(ReportedPatchError::NotJson(_))
    ));
    assert!(matches!(
        parse_reported_patch(b"[1, 2]"),
        Err(ReportedPatchError::NotAnObject)
    ));
    assert!(matches!(
        parse_reported_patch(b"\"x\""),
        Err(ReportedPatchError::NotAnObject)
    ));
    assert!(parse_reported_patch(br#"{"pki": {"status": "applied"}}"#).is_ok());
}

#[test]
fn error_messages_are_lowercase_and_name_the_property() {
    let err = validate_reported_patch(&obj(json!({"opcplc.der": "x"}))).unwrap_err();
    let text = err.to_string();
    assert!(text.starts_with("property name \"opcplc.der\""), "{text}");
    let long = "n".repeat(2000);
    let err = validate_reported_patch(&obj(json!({ long: 1 }))).unwrap_err();
    // Long names are cut in messages.
    assert!(err.to_string().len() < 200, "{err}");
}
