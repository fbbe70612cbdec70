#![allow(clippy::unwrap_used, clippy::expect_used)]
//! Patch-merge table, hub-side version bumps, diffs and the module's desired-state ordering.

use hub_proto::twin::{PatchOutcome, TwinOutcome, apply_patch, diff, merge};
use hub_proto::{DesiredState, TwinVersion};
use serde_json::{Map, Value, json};

fn obj(v: Value) -> Map<String, Value> {
    match v {
        Value::Object(m) => m,
        other => panic!("not an object: {other}"),
    }
}

#[test]
fn merge_table() {
    // (name, target, patch, expected)
    let cases = [
        (
            "adds a member",
            json!({"a": 1}),
            json!({"b": 2}),
            json!({"a": 1, "b": 2}),
        ),
        (
            "replaces a scalar",
            json!({"a": 1}),
            json!({"a": "x"}),
            json!({"a": "x"}),
        ),
        (
            "null deletes",
            json!({"a": 1, "b": 2}),
            json!({"a": null}),
            json!({"b": 2}),
        ),
        (
            "null on a missing member is a no-op",
            json!({"a": 1}),
            json!({"z": null}),
            json!({"a": 1}),
        ),
        (
            "objects merge recursively",
            json!({"pki": {"trusted": {"ca1": "A", "ca2": "B"}}}),
            json!({"pki": {"trusted": {"ca2": null, "ca3": "C"}}}),
            json!({"pki": {"trusted": {"ca1": "A", "ca3": "C"}}}),
        ),
        (
            "an object replaces a scalar",
            json!({"a": 1}),
            json!({"a": {"b": 2}}),
            json!({"a": {"b": 2}}),
        ),
        (
            "a scalar replaces an object",
            json!({"a": {"b": 2}}),
            json!({"a": 1}),
            json!({"a": 1}),
        ),
        (
            "arrays replace, never merge",
            json!({"a": [1, 2, 3]}),
            json!({"a": [4]}),
            json!({"a": [4]}),
        ),
        (
            "null inside a new object is not stored",
            json!({}),
            json!({"a": {"b": null, "c": 1}}),
            json!({"a": {"c": 1}}),
        ),
        (
            "empty patch changes nothing",
            json!({"a": 1}),
            json!({}),
            json!({"a": 1}),
        ),
    ];
    for (name, target, patch, expected) in cases {
        let mut target = obj(target);
        merge(&mut target, &obj(patch));
        assert_eq!(Value::Object(target), expected, "{name}");
    }
}

#[test]
fn captured_reported_patch_merges_into_the_stored_section() {
    // docs/reference/iot-edge.md §1.6:
    // `{"certs": {"trustedCa1": {"thumbprint": "AB12"}}, "obsolete": null}`.
    let mut reported = obj(json!({"obsolete": true, "certs": {}, "$version": 4}));
    let version = apply_patch(
        &mut reported,
        &obj(json!({"certs": {"trustedCa1": {"thumbprint": "AB12"}}, "obsolete": null})),
    );
    assert_eq!(version, TwinVersion::new(5));
    assert_eq!(
        Value::Object(reported),
        json!({"certs": {"trustedCa1": {"thumbprint": "AB12"}}, "$version": 5})
    );
}

#[test]
fn first_patch_of_a_fresh_section_yields_version_two() {
    // A fresh twin has `$version` 1 in both sections.
    let mut section = Map::new();
    assert_eq!(
        apply_patch(&mut section, &obj(json!({"a": 1}))),
        TwinVersion::new(2)
    );
}

#[test]
fn service_members_of_a_patch_are_ignored_by_the_hub() {
    let mut section = obj(json!({"a": 1, "$version": 7}));
    let version = apply_patch(
        &mut section,
        &obj(json!({"$version": 100, "$metadata": {}, "b": 2})),
    );
    assert_eq!(version, TwinVersion::new(8));
    assert_eq!(
        Value::Object(section),
        json!({"a": 1, "b": 2, "$version": 8})
    );
}

#[test]
fn diff_then_merge_reproduces_the_target() {
    let from = obj(json!({
        "pki": {"trusted": {"ca1": "A", "ca2": "B"}, "applicationCert": "X"},
        "gone": 1,
        "same": {"x": 1},
        "$version": 3
    }));
    let to = obj(json!({
        "pki": {"trusted": {"ca1": "A", "ca3": "C"}, "applicationCert": {"pem": "Y"}},
        "same": {"x": 1},
        "new": [1, 2],
        "$version": 9
    }));
    let patch = diff(&from, &to);
    assert_eq!(
        Value::Object(patch.clone()),
        json!({
            "pki": {"trusted": {"ca2": null, "ca3": "C"}, "applicationCert": {"pem": "Y"}},
            "gone": null,
            "new": [1, 2]
        })
    );
    let mut merged = from.clone();
    merge(&mut merged, &patch);
    merged.remove("$version");
    let mut expected = to.clone();
    expected.remove("$version");
    assert_eq!(merged, expected);
}

#[test]
fn diff_of_equal_sections_is_empty() {
    let a = obj(json!({"a": {"b": [1]}, "$version": 1}));
    let b = obj(json!({"a": {"b": [1]}, "$version": 2}));
    assert!(diff(&a, &b).is_empty());
}

fn desired(v: Value) -> Map<String, Value> {
    obj(v)
}

#[test]
fn full_desired_document_is_adopted_after_connect() {
    let mut state = DesiredState::new();
    assert_eq!(state.version(), None);
    let outcome = state.on_twin(desired(json!({"pki": {"a": 1}, "$version": 3})));
    assert_eq!(outcome, TwinOutcome::Changed);
    assert_eq!(state.version(), Some(TwinVersion::new(3)));
}

#[test]
fn newer_desired_patch_is_applied() {
    let mut state = DesiredState::new();
    state.on_twin(desired(
        json!({"certs": {"trustedCa1": "PEM1", "trustedCa2": "PEM2"}, "$version": 3}),
    ));
    // docs/reference/iot-edge.md §1.7: the body carries `$version`; null deletes.
    let outcome = state.on_patch(
        TwinVersion::new(4),
        &desired(json!({"certs": {"trustedCa2": null, "trustedCa3": "PEM3"}, "$version": 4})),
    );
    assert_eq!(outcome, PatchOutcome::Applied);
    assert_eq!(
        Value::Object(state.document().unwrap().clone()),
        json!({"certs": {"trustedCa1": "PEM1", "trustedCa3": "PEM3"}, "$version": 4})
    );
}

#[test]
fn stale_desired_patch_is_ignored() {
    let mut state = DesiredState::new();
    state.on_twin(desired(json!({"a": 1, "$version": 6})));
    for old in [5, 6] {
        assert_eq!(
            state.on_patch(TwinVersion::new(old), &desired(json!({"a": 99}))),
            PatchOutcome::Stale
        );
    }
    assert_eq!(state.document().unwrap()["a"], json!(1));
}

#[test]
fn patch_before_any_twin_asks_for_a_get() {
    let mut state = DesiredState::new();
    assert_eq!(
        state.on_patch(TwinVersion::new(1), &desired(json!({"a": 1}))),
        PatchOutcome::NoBaseline
    );
    assert_eq!(state.document(), None);
}

#[test]
fn key_deleted_while_offline_disappears_with_the_full_document() {
    // docs/reference/iot-edge.md §5.1: after reconnect the full desired v6 lacks `trustedCa2`; no
    // null is sent.
    let mut state = DesiredState::new();
    state.on_twin(desired(
        json!({"certs": {"trustedCa1": "A", "trustedCa2": "B"}, "$version": 4}),
    ));
    let outcome = state.on_twin(desired(
        json!({"certs": {"trustedCa1": "A", "trustedCa3": "PEM3"}, "$version": 6}),
    ));
    assert_eq!(outcome, TwinOutcome::Changed);
    assert_eq!(
        state.document().unwrap()["certs"],
        json!({"trustedCa1": "A", "trustedCa3": "PEM3"})
    );
}

#[test]
fn same_version_after_reconnect_is_unchanged() {
    let mut state = DesiredState::new();
    state.on_twin(desired(json!({"a": 1, "$version": 4})));
    assert_eq!(
        state.on_twin(desired(json!({"a": 1, "$version": 4}))),
        TwinOutcome::Unchanged
    );
}

#[test]
fn lower_version_after_identity_recreation_is_adopted() {
    // A re-created module identity starts again at `$version` 1.
    let mut state = DesiredState::new();
    state.on_twin(desired(json!({"a": 1, "$version": 40})));
    assert_eq!(
        state.on_twin(desired(json!({"b": 2, "$version": 1}))),
        TwinOutcome::Changed
    );
    assert_eq!(state.version(), Some(TwinVersion::new(1)));
    assert_eq!(
        state.on_patch(TwinVersion::new(2), &desired(json!({"c": 3}))),
        PatchOutcome::Applied
    );
}
